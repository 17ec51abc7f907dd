// Finishes pkg/ after wasm-pack (run by build-pkg.sh; idempotent on fresh wasm-pack output):
// - the bare `formseal` entry for browsers and bundlers, web/auto.js, which initialises the web
//   build itself (top-level await on `new URL("./formseal_bg.wasm", import.meta.url)`, which
//   Vite, webpack 5 and Rollup all turn into an emitted asset with their default configs);
// - `formseal/web` used before `await init()` throws a FormsealError `not_initialized` instead of
//   "Cannot read properties of undefined (reading '__wbindgen_malloc')";
// - Standard Schema v1 (`~standard`) on FormValidator, in the glue of every build, and its types;
// - the finding codes as a string-literal union (`FindingCode`), from src/messages/;
// - `Symbol.dispose` declared for TypeScript libs older than esnext.disposable (`lib: ES2022`);
// - one wasm in the package: the node (CommonJS) glue reads web/formseal_bg.wasm, the very file the
//   web and bundler entries fetch, and node/'s own copy is removed (it must be byte-identical: the
//   same cargo output through the same wasm-opt; the build stops if it is not);
// - the URLs the web glue and web/auto.js fetch the wasm from carry `?v=` and the first 16 hex
//   digits of its SHA-256, so a server can let browsers cache it for good (docs/receiver.md);
// - the module's JavaScript snippet (src/wasm/decode.js) inlined into each glue;
// - embed/limits.js, the limits the embed applies before handing values to the module, read from
//   src/limits.rs so that the two cannot drift.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const read = (f) => readFileSync(join(pkg, f), "utf8");
const write = (f, text) => writeFileSync(join(pkg, f), text);

/** Replaces exactly one occurrence of `from` in `text`, or fails the build. */
function once(text, from, to, where) {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`${where}: expected one ${JSON.stringify(from)}, found ${n}`);
  return text.replace(from, () => to);
}

// The finding codes: every key of the message catalogue (each code has its zh-CN and en text).
const messages = join(root, "src/messages");
const codes = new Set();
for (const f of readdirSync(messages).filter((f) => f.endsWith(".json") && f !== "bases.json")) {
  for (const code of Object.keys(JSON.parse(readFileSync(join(messages, f), "utf8")))) codes.add(code);
}
if (codes.size < 50) throw new Error(`only ${codes.size} finding codes in src/messages`);
const union = [...codes].sort().map((c) => JSON.stringify(c)).join("\n  | ");

const STANDARD_TYPES = `
/** A Standard Schema v1 issue (https://standardschema.dev): one error finding. */
export interface StandardIssue {
  readonly message: string;
  /** The finding's path as segments: \`websites[0].domains[1]\` is \`["websites", 0, "domains", 1]\`. */
  readonly path?: ReadonlyArray<PropertyKey>;
  /** The finding's code, or the FormsealError's code when the value is not form data at all. */
  readonly code: FindingCode | (string & {});
}
/** The result of \`validator["~standard"].validate(value)\`. */
export type StandardResult =
  | { readonly value: { [field: string]: JsonValue }; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };
/** The Standard Schema v1 properties of a FormValidator. */
export interface StandardSchemaProps {
  readonly version: 1;
  readonly vendor: "formseal";
  /** Validates at the current time in the validator's locale: the normalised data, or the error findings. */
  readonly validate: (value: unknown) => StandardResult;
  readonly types?: { readonly input: FormInput; readonly output: { [field: string]: JsonValue } } | undefined;
}
/** Declared here too so that the types compile with \`lib: ["ES2022"]\` (TypeScript merges it with esnext.disposable's). */
declare global { interface SymbolConstructor { readonly dispose: unique symbol; } }
`;

const STANDARD_MEMBER = `
    /**
     * Standard Schema v1 (https://standardschema.dev), for react-hook-form's
     * \`standardSchemaResolver\`, TanStack Form and the rest: \`validate(value)\` gives
     * \`{ value: normalized }\` or \`{ issues }\`, one per error finding, with its message (in the
     * validator's locale), path segments and code. Warnings are not issues.
     */
    readonly "~standard": StandardSchemaProps;`;

// Plain JavaScript, the same in the ES module and the CommonJS glue (FormValidator is in scope).
const STANDARD_JS = `
// formseal: Standard Schema v1 (https://standardschema.dev) on FormValidator (scripts/pkg-finish.mjs).
function __formsealStandardPath(path) {
    const segments = [];
    for (const m of String(path).matchAll(/\\[(\\d+)\\]|([^.[\\]]+)/g)) segments.push(m[1] !== undefined ? Number(m[1]) : m[2]);
    return segments;
}
const __formsealStandard = new WeakMap();
Object.defineProperty(FormValidator.prototype, "~standard", {
    configurable: true,
    get() {
        let props = __formsealStandard.get(this);
        if (props === undefined) {
            const validator = this;
            props = Object.freeze({
                version: 1,
                vendor: "formseal",
                validate(value) {
                    let report;
                    try {
                        report = validator.validate(value);
                    } catch (e) {
                        if (e === null || typeof e !== "object" || e.name !== "FormsealError") throw e;
                        return { issues: [{ message: String(e.message), code: String(e.code) }] };
                    }
                    if (report.valid) return { value: report.normalized };
                    const issues = report.findings
                        .filter((f) => f.severity === "error")
                        .map((f) => ({ message: f.message, path: __formsealStandardPath(f.path), code: f.code }));
                    return { issues };
                },
            });
            __formsealStandard.set(this, props);
        }
        return props;
    },
});
`;

const NOT_READY = `const __formsealNotReady = new Proxy({}, {
    get(_, name) {
        if (typeof name !== "string") return undefined;
        const e = new Error("formseal/web is not initialised: await init() (its default export) first, or import \\"formseal\\", which initialises itself");
        e.name = "FormsealError";
        e.code = "not_initialized";
        throw e;
    },
});
let wasmModule, wasmInstance, wasm = __formsealNotReady;`;

for (const build of ["web", "node"]) {
  let dts = read(`${build}/formseal.d.ts`);
  dts = once(dts, "export type FindingCode = string; // @FINDING_CODES@ (build-pkg.sh writes the union from src/messages/)",
    `export type FindingCode =\n  | ${union};`, `${build}/formseal.d.ts`);
  dts = once(dts, "export class FormValidator {", `${STANDARD_TYPES}\nexport class FormValidator {${STANDARD_MEMBER}`, `${build}/formseal.d.ts`);
  write(`${build}/formseal.d.ts`, dts);

  let js = read(`${build}/formseal.js`);
  if (build === "web") {
    js = once(js, "let wasmModule, wasmInstance, wasm;", NOT_READY, "web/formseal.js");
    for (const f of ["function initSync(module) {", "async function __wbg_init(module_or_path) {"]) {
      js = once(js, `${f}\n    if (wasm !== undefined) return wasm;`, `${f}\n    if (wasm !== __formsealNotReady) return wasm;`, "web/formseal.js");
    }
  }
  const anchor = build === "web" ? "export { initSync, __wbg_init as default };" : "exports.FormValidator = FormValidator;";
  js = once(js, anchor, `${anchor}\n${STANDARD_JS}`, `${build}/formseal.js`);
  write(`${build}/formseal.js`, js);
}

// The module's JavaScript snippet (src/wasm/decode.js, which builds every result) is inlined into
// each glue: wasm-bindgen leaves it a module of its own under snippets/, which a page would fetch
// only after the glue (one more round trip before the first check), and which node's CommonJS
// glue cannot `require` as the ES module it is. Inside a function of its own, so that none of
// its names meets the glue's.
for (const build of ["web", "node"]) {
  const glue = `${build}/formseal.js`;
  let js = read(glue);
  const imports = [...js.matchAll(/^(?:import \{ (\w+) \} from '(\.\/snippets\/[^']+)';|const \{ (\w+) \} = require\(String\.raw`(\.\/snippets\/[^`]+)`\);)$/gm)];
  if (imports.length !== 1) throw new Error(`${glue}: expected one snippet import (src/wasm/decode.js), found ${imports.length}`);
  const [line, webName, webPath, nodeName, nodePath] = imports[0];
  const name = webName ?? nodeName;
  const source = read(join(build, webPath ?? nodePath));
  const exported = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  if (exported.join() !== name || /^(export|import) /m.test(source.replace(/^export function /m, "function "))) {
    throw new Error(`${glue}: the snippet must export exactly \`function ${name}\` and import nothing`);
  }
  js = once(js, line, `const { ${name} } = (() => {\n${source.replace(/^export function /m, "function ")}\nreturn { ${name} };\n})();`, glue);
  write(glue, js);
  rmSync(join(pkg, build, "snippets"), { recursive: true });
}

// One wasm for every entry point: wasm-bindgen's nodejs and web targets emit the same module (the
// imports are all in the "./formseal_bg.js" namespace either way); only the glue differs.
const webWasm = readFileSync(join(pkg, "web/formseal_bg.wasm"));
const nodeWasm = readFileSync(join(pkg, "node/formseal_bg.wasm"));
if (!webWasm.equals(nodeWasm)) throw new Error("node/formseal_bg.wasm differs from web/formseal_bg.wasm: the node glue cannot share it");
{
  let js = read("node/formseal.js");
  js = once(js, "const wasmPath = `${__dirname}/formseal_bg.wasm`;",
    "const wasmPath = require('path').join(__dirname, '..', 'web', 'formseal_bg.wasm'); // the web build's wasm: one copy in the package",
    "node/formseal.js");
  write("node/formseal.js", js);
  rmSync(join(pkg, "node/formseal_bg.wasm"));
  rmSync(join(pkg, "node/formseal_bg.wasm.d.ts"));
}

// The wasm's version in the URL it is fetched from: a new build is a new URL, so the file itself
// may be cached as immutable (`formseal serve` checks the digest before it says so).
const wasmVersion = createHash("sha256").update(webWasm).digest("hex").slice(0, 16);
const wasmUrl = `formseal_bg.wasm?v=${wasmVersion}`;
{
  let js = read("web/formseal.js");
  js = once(js, "module_or_path = new URL('formseal_bg.wasm', import.meta.url);",
    `module_or_path = new URL('${wasmUrl}', import.meta.url);`, "web/formseal.js");
  write("web/formseal.js", js);
}

write("web/auto.js", `// \`import { FormValidator } from "formseal"\` in a browser or a bundler: the web build, initialised
// here with top-level await. Vite, webpack 5 and Rollup emit formseal_bg.wasm as an asset from
// the \`new URL(…, import.meta.url)\` below with their default configs; the page fetches it once.
import init from "./formseal.js";

await init({ module_or_path: new URL("./${wasmUrl}", import.meta.url) });

export * from "./formseal.js";
`);
write("web/auto.d.ts", `export * from "./formseal.js";\n`);

// The embed refuses a value longer than the module checks (src/limits.rs MAX_VALUE_CHARS) before
// sending it: the number comes from the Rust source, or the build fails.
/** The value of `pub const NAME: usize = …;` in src/limits.rs (digits and `_` only). */
function rustLimit(name) {
  const source = readFileSync(join(root, "src/limits.rs"), "utf8");
  const m = source.match(new RegExp(`^pub const ${name}: usize = ([0-9_]+);$`, "m"));
  const value = m ? Number(m[1].replaceAll("_", "")) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`src/limits.rs: no plain \`pub const ${name}: usize = <digits>;\``);
  return value;
}
mkdirSync(join(pkg, "embed"), { recursive: true });
write("embed/limits.js", `// Generated by scripts/pkg-finish.mjs from src/limits.rs: do not edit.

/** Longest value of one field the module checks, in characters (src/limits.rs MAX_VALUE_CHARS). */
export const MAX_VALUE_CHARS = ${rustLimit("MAX_VALUE_CHARS")};
`);
console.log(`pkg/ finished: ${codes.size} finding codes, web/auto.js, Standard Schema, embed/limits.js, one wasm (v=${wasmVersion})`);
