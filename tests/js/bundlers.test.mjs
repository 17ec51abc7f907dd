// Issue 13, items 1, 2 and 4: the package as portal teams use it, from the packed tarball.
// `import { FormValidator } from "formseal"` (the bare import) in an app built by Vite 7 and by
// webpack 5 with their default configs (no config file, no wasm plugin), and a React app using
// react-hook-form's `standardSchemaResolver` with a FormValidator built by Vite 8, each run in
// Chromium. One build per bundler, shared by the assertions. The apps are tests/js/apps/; the
// README shows their sources as they are (checked below). `formseal/bundler` in Node (Jest and
// Vitest on Node) is checked too.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { REPO_DIR, installedProject, runScript } from "./lib/project.mjs";
import { startServer } from "./lib/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const APPS = join(here, "apps");
const LAUNCH = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  timeout: 60_000,
};
/** The apps' own dependencies, installed in tests/js by `npm ci`, linked into the temp project. */
const APP_DEPS = ["react", "react-dom", "react-hook-form", "@hookform/resolvers"];

async function viteBuild(vite, root) {
  const { build } = await import(vite);
  // configFile: false: Vite's defaults, exactly as `vite build` in a new project without a config.
  await build({ root, configFile: false, logLevel: "error" });
  return join(root, "dist");
}

async function webpackBuild(root) {
  const { default: webpack } = await import("webpack");
  // webpack's defaults: entry ./src/index.js, output dist/main.js; only the mode is given, as
  // `webpack --mode production` run in the app's folder would (its output path is the cwd's dist).
  const config = { context: root, mode: "production", output: { path: join(root, "dist") } };
  const stats = await new Promise((resolve, reject) =>
    webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  if (stats.hasErrors()) throw new Error(stats.toString("errors-only"));
  const dist = join(root, "dist");
  const html = readFileSync(join(root, "index.html"), "utf8")
    .replace('<script type="module" src="/src/index.js"></script>', '<script src="main.js"></script>');
  writeFileSync(join(dist, "index.html"), html);
  return dist;
}

/** Serves `dist` under the strict CSP, opens it in Chromium, and records what happened. */
async function open(browser, dist) {
  const server = await startServer({ "/": dist });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const log = { errors: [], console: [], responses: [] };
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on("response", (r) => log.responses.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] }));
  await page.goto(`${server.url}/`);
  return { page, log, close: async () => { await context.close(); await server.close(); } };
}

function assertClean(log) {
  assert.deepEqual(log.errors, [], "no uncaught error in the page");
  // The apps have no favicon: Chromium's request for /favicon.ico is the one 404 expected.
  log.responses = log.responses.filter((r) => !r.url.endsWith("/favicon.ico"));
  const favicon = (m) => /Failed to load resource.*404/.test(m.text) && log.responses.every((r) => r.status === 200);
  assert.deepEqual(log.console.filter((m) => (m.type === "error" || m.type === "warning") && !favicon(m)), []);
  const wasm = log.responses.filter((r) => new URL(r.url).pathname.endsWith(".wasm"));
  assert.ok(wasm.length >= 1 && wasm.every((r) => r.status === 200 && r.type === "application/wasm"), JSON.stringify(log.responses));
  assert.deepEqual(log.responses.filter((r) => r.status !== 200), []);
}

/** The vanilla app (apps/vanilla): findings on the planted errors, then one fixed as typed. */
async function checkVanilla(browser, dist) {
  const { page, log, close } = await open(browser, dist);
  try {
    await page.waitForSelector("form[data-valid]");
    assert.equal(await page.getAttribute("form", "data-valid"), "false");
    const findings = await page.$$eval("#findings li", (items) => items.map((li) => ({ ...li.dataset, message: li.textContent })));
    const errors = findings.filter((f) => f.severity === "error").map((f) => `${f.path}:${f.code}`).sort();
    assert.deepEqual(errors, ["id_number:resident_id_check_char", "mobile:mobile_length"], JSON.stringify(findings));
    assert.match(findings.find((f) => f.path === "mobile").message, /手机号码.*11/);
    await page.fill('input[name="mobile"]', "13701098765");
    await page.fill('input[name="id_number"]', "11010119850405105X");
    await page.waitForSelector('form[data-valid="true"]');
    assertClean(log);
  } finally {
    await close();
  }
}

describe("bundlers: the packed tarball in apps built with default configs, run in Chromium", { timeout: 600_000 }, () => {
  let dir;
  let browser;
  const dists = {};
  before(async () => {
    dir = await installedProject();
    for (const name of APP_DEPS) {
      const target = join(dir, "node_modules", name);
      mkdirSync(dirname(target), { recursive: true });
      if (!existsSync(target)) symlinkSync(join(here, "node_modules", name), target, "dir");
    }
    for (const [app, from] of [["app-vite7", "vanilla"], ["app-webpack", "vanilla"], ["app-react", "react"]]) {
      cpSync(join(APPS, from), join(dir, app), { recursive: true });
    }
    // One build per bundler, one after the other (2 cores).
    dists.vite7 = await viteBuild("vite7", join(dir, "app-vite7"));
    dists.webpack = await webpackBuild(join(dir, "app-webpack"));
    dists.vite8 = await viteBuild("vite8", join(dir, "app-react"));
    browser = await chromium.launch(LAUNCH);
  }, { timeout: 600_000 });
  after(async () => {
    await browser?.close();
  });

  test("Vite 7: the bare import builds without a plugin and validates in the page", { timeout: 120_000 }, async () => {
    assert.equal(readdirSync(join(dists.vite7, "assets")).filter((f) => f.endsWith(".wasm")).length, 1, "the wasm is one emitted asset");
    await checkVanilla(browser, dists.vite7);
  });

  test("webpack 5: the bare import builds with the default config and validates in the page", { timeout: 120_000 }, async () => {
    assert.equal(readdirSync(dists.webpack).filter((f) => f.endsWith(".wasm")).length, 1, "the wasm is one emitted asset");
    await checkVanilla(browser, dists.webpack);
  });

  test("Vite 8 + React + react-hook-form's standardSchemaResolver: errors on the right fields, zh-CN then en", { timeout: 120_000 }, async () => {
    const valid = JSON.parse(readFileSync(join(REPO_DIR, "forms/examples/user-filing.valid.json"), "utf8"));
    const { page, log, close } = await open(browser, dists.vite8);
    const fill = async (overrides) => {
      for (const [name, value] of Object.entries({ ...valid, ...overrides })) {
        if (typeof value === "boolean") await page.setChecked(`input[name="${name}"]`, value);
        else await page.fill(`input[name="${name}"]`, value);
      }
      await page.click('button[type="submit"]');
    };
    const errorsShown = () => page.$$eval("[data-error-for]", (els) =>
      Object.fromEntries(els.map((el) => [el.dataset.errorFor, el.textContent])));
    try {
      await page.waitForSelector('button[type="submit"]');
      await fill({ mobile: "1370109", email: "chenxiaodong@", declaration: false });
      await page.waitForSelector('[data-error-for="mobile"]');
      let shown = await errorsShown();
      assert.deepEqual(Object.keys(shown).sort(), ["declaration", "email", "mobile"], JSON.stringify(shown));
      assert.match(shown.mobile, /^手机号码应为 11 位数字/);
      assert.match(shown.declaration, /\p{Script=Han}/u);
      assert.equal(await page.getAttribute("#mobile", "aria-invalid"), "true");
      assert.equal(await page.getAttribute("#full_name", "aria-invalid"), null);

      await page.click("#locale");
      await page.waitForSelector('form[lang="en"]');
      await fill({ mobile: "1370109", email: "chenxiaodong@", declaration: false });
      await page.waitForSelector('[data-error-for="mobile"]');
      shown = await errorsShown();
      assert.deepEqual(Object.keys(shown).sort(), ["declaration", "email", "mobile"], JSON.stringify(shown));
      assert.match(shown.mobile, /11 digits/);
      assert.doesNotMatch(Object.values(shown).join(" "), /\p{Script=Han}/u, "English messages");

      await fill({});
      await page.waitForSelector("output[data-valid]");
      assert.deepEqual(await errorsShown(), {});
      const normalized = JSON.parse(await page.textContent("output[data-valid]"));
      assert.equal(normalized.mobile, "+8613701098765", "the resolver hands the normalised data to onSubmit");
      assert.equal(normalized.declaration, true, "a ticked box is normalised to true");
      assertClean(log);
    } finally {
      await close();
    }
  });
});

describe("formseal/bundler in Node (what Jest and Vitest on Node load)", { timeout: 240_000 }, () => {
  test("require and import of formseal/bundler give the node build and validate", { timeout: 240_000 }, async () => {
    const r = await runScript("bundler-in-node.mjs", `
import { createRequire } from "node:module";
import { FormValidator } from "formseal/bundler";
const require = createRequire(import.meta.url);
const cjs = require("formseal/bundler");
process.stdout.write(JSON.stringify({
  esm: import.meta.resolve("formseal/bundler"), cjs: require.resolve("formseal/bundler"),
  same: cjs.FormValidator === FormValidator,
  valid: FormValidator.builtin("user-filing").validate({}, { now: "2005-06-01T10:00:00+08:00" }).valid,
}));
`);
    assert.match(r.esm, /node_modules\/formseal\/node\/formseal\.js$/);
    assert.match(r.cjs, /node_modules\/formseal\/node\/formseal\.js$/);
    assert.equal(r.same, true);
    assert.equal(r.valid, false);
  });
});

describe("the README shows the apps these tests build, as they are", () => {
  test("README.md contains apps/vanilla/src/index.js and apps/react/src/main.jsx verbatim", () => {
    const readme = readFileSync(join(REPO_DIR, "README.md"), "utf8");
    for (const file of ["vanilla/src/index.js", "react/src/main.jsx"]) {
      const source = readFileSync(join(APPS, file), "utf8");
      assert.ok(readme.includes(source), `README.md does not show tests/js/apps/${file} as it is`);
    }
  });
});

describe("formseal/web before init(): a typed not_initialized, then it works", { timeout: 240_000 }, () => {
  test("FormValidator.builtin before await init() throws FormsealError not_initialized", { timeout: 240_000 }, async () => {
    const r = await runScript("web-before-init.mjs", `
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import init, { FormValidator, isFormsealError } from "formseal/web";
const require = createRequire(import.meta.url);
const out = {};
for (const [name, fn] of Object.entries({ builtin: () => FormValidator.builtin("user-filing"), guard: () => isFormsealError(new Error()) })) {
  try { out[name] = { value: fn() }; } catch (e) { out[name] = { name: e.name, code: e.code, message: e.message, guard: e instanceof Error }; }
}
await init({ module_or_path: readFileSync(require.resolve("formseal/web/formseal_bg.wasm")) });
out.after = FormValidator.builtin("user-filing").validate({}, { now: "2005-06-01T10:00:00+08:00" }).valid;
out.again = typeof (await init());
process.stdout.write(JSON.stringify(out));
`);
    for (const call of ["builtin", "guard"]) {
      assert.deepEqual({ ...r[call], message: undefined }, { name: "FormsealError", code: "not_initialized", message: undefined, guard: true }, call);
      assert.match(r[call].message, /await init\(\)/);
    }
    assert.equal(r.after, false);
    assert.equal(r.again, "object", "a second init() returns the same exports");
  });
});

describe("Vite dev servers: the bare import in `vite` (not only `vite build`)", { timeout: 300_000 }, () => {
  // Vite 8's dev server works with the default config. Vite 7's pre-bundles the package into
  // node_modules/.vite/deps, away from its wasm (the page gets index.html for it), so the README
  // says to add optimizeDeps.exclude; this checks both statements.
  for (const [vite, config] of [["vite8", {}], ["vite7", { optimizeDeps: { exclude: ["formseal"] } }]]) {
    test(`${vite} dev server${Object.keys(config).length ? " with optimizeDeps.exclude" : ", default config"}: the page validates`, { timeout: 240_000 }, async () => {
      const dir = await installedProject();
      const root = join(dir, `dev-${vite}`);
      cpSync(join(APPS, "vanilla"), root, { recursive: true });
      // An app inside the project (as `npm create vite` makes one): node_modules in its root.
      rmSync(join(root, "package.json"));
      const { createServer } = await import(vite);
      const server = await createServer({ root, configFile: false, logLevel: "error", server: { host: "127.0.0.1" }, ...config });
      await server.listen();
      const browser = await chromium.launch(LAUNCH);
      try {
        const page = await browser.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(server.resolvedUrls.local[0]);
        await page.waitForSelector("form[data-valid]", { timeout: 60_000 });
        assert.equal(await page.getAttribute("form", "data-valid"), "false");
        assert.ok(await page.$('#findings li[data-path="mobile"][data-code="mobile_length"]'));
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.close();
      }
    });
  }
});
