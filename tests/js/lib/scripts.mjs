// The scripts run inside the temp project, one per way of loading the package. Each imports the
// package by its published name and prints lib/probe-core.cjs's results as JSON.
import { pathToFileURL, fileURLToPath } from "node:url";

const core = fileURLToPath(new URL("./probe-core.cjs", import.meta.url));
const print = "process.stdout.write(JSON.stringify(result));";

export const scripts = {
  // `import … from "formseal"` in Node: the `node` condition of the exports map.
  "probe-esm.mjs": `
import { forms, FormValidator, checkIdentifier } from "formseal";
import core from ${JSON.stringify(pathToFileURL(core).href)};
const result = core.probe({ forms, FormValidator, checkIdentifier }, process.env.FORMSEAL_EXAMPLES);
result.resolved = import.meta.resolve("formseal");
${print}
`,
  // The web build in Node, initialised with the wasm bytes.
  "probe-web.mjs": `
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import init, { forms, FormValidator, checkIdentifier } from "formseal/web";
import core from ${JSON.stringify(pathToFileURL(core).href)};
const require = createRequire(import.meta.url);
const exports = await init({ module_or_path: readFileSync(require.resolve("formseal/web/formseal_bg.wasm")) });
const result = core.probe({ forms, FormValidator, checkIdentifier }, process.env.FORMSEAL_EXAMPLES);
result.resolved = import.meta.resolve("formseal/web");
result.initReturned = typeof exports;
${print}
`,
  // require("formseal") from CommonJS.
  "probe.cjs": `
const { forms, FormValidator, checkIdentifier } = require("formseal");
const core = require(${JSON.stringify(core)});
const result = core.probe({ forms, FormValidator, checkIdentifier }, process.env.FORMSEAL_EXAMPLES);
result.resolved = require.resolve("formseal");
${print}
`,
};
