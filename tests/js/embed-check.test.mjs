// The embed's JavaScript is linted (eslint.embed.config.mjs) and type-checked (npm/jsconfig.json:
// checkJs, strict, no unused names) against the built package's types, and its public types (embed.d.ts) hold under `tsc --strict`
// for a page that uses the API and the events: `e.detail` of `formseal:sealed` and the others.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PKG_DIR, REPO_DIR, run } from "./lib/project.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const TSC = join(here, "node_modules", ".bin", "tsc");
const ESLINT = join(here, "node_modules", ".bin", "eslint");

test("the embed's JavaScript passes ESLint", { timeout: 120_000 }, async () => {
  const result = await run(ESLINT, ["-c", join(here, "eslint.embed.config.mjs"), "--max-warnings", "0", "embed.js", "embed"], { cwd: join(REPO_DIR, "npm") }).catch((e) => e);
  assert.ok(!(result instanceof Error), result.message);
});

test("the embed's JavaScript type-checks (checkJs, strict)", { timeout: 120_000 }, async () => {
  const result = await run(TSC, ["-p", join(REPO_DIR, "npm", "jsconfig.json")]).catch((e) => e);
  assert.ok(!(result instanceof Error), result.message);
});

// src/wasm/decode.js runs inside every result's crossing: the same lint, and strict checkJs.
test("the module's JavaScript snippet (src/wasm/decode.js) passes ESLint and type-checks", { timeout: 120_000 }, async () => {
  const lint = await run(ESLINT, ["-c", join(here, "eslint.embed.config.mjs"), "--max-warnings", "0", "src/wasm/decode.js"], { cwd: REPO_DIR }).catch((e) => e);
  assert.ok(!(lint instanceof Error), lint.message);
  const dir = mkdtempSync(join(tmpdir(), "formseal-snippet-"));
  try {
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { checkJs: true, allowJs: true, noEmit: true, strict: true, noUnusedLocals: true, noUnusedParameters: true,
        noImplicitReturns: true, noFallthroughCasesInSwitch: true, target: "ES2022", lib: ["ES2022"], module: "ESNext", types: [] },
      files: [join(REPO_DIR, "src", "wasm", "decode.js")],
    }));
    const check = await run(TSC, ["-p", join(dir, "tsconfig.json")]).catch((e) => e);
    assert.ok(!(check instanceof Error), check.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const USAGE = `import { configure, upgrade, upgradeAll, upgradedForm, load, type UpgradedForm, type SealedDetail } from "formseal/embed";

configure({ drafts: "session", draftMaxAge: 60 * 60 * 1000, locale: "en" });
await load();
const form = document.querySelector("form");
if (form) {
  const upgraded: UpgradedForm = await upgrade(form, { form: "user-filing", drafts: false });
  const data: { [field: string]: unknown } = upgraded.data();
  void data;
  upgradedForm(form)?.destroy();
  form.addEventListener("formseal:sealed", (e) => {
    e.preventDefault();
    const detail: SealedDetail = e.detail;
    const envelope: unknown = detail.envelope;
    void envelope;
  });
  form.addEventListener("formseal:receipt", (e) => {
    const id: string = e.detail.id;
    const at: string = e.detail.received_at;
    void id, at;
  });
  form.addEventListener("formseal:refused", (e) => {
    const code: string | undefined = e.detail.code;
    void code;
  });
  form.addEventListener("formseal:ready", (e) => {
    const state: string = e.detail.state;
    void state;
  });
}
document.addEventListener("formseal:receipt", (e) => console.log(e.detail.id));
window.addEventListener("formseal:sealed", (e) => console.log(e.detail.envelope));
const all: UpgradedForm[] = await upgradeAll();
void all;
`;

test("embed.d.ts under tsc --strict: the API and e.detail of every event type-check", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "formseal-embed-types-"));
  try {
    writeFileSync(join(dir, "usage.ts"), USAGE);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "bundler",
        // lib ES2022 with the DOM, as the Vite template sets, no skipLibCheck (the web build's
        // `.d.ts` declares `Symbol.dispose` itself since issue 13.3).
        lib: ["ES2022", "DOM", "DOM.Iterable"], types: [],
        paths: { "formseal/embed": [join(PKG_DIR, "embed.d.ts")] },
      },
      files: ["usage.ts"],
    }));
    const result = await run(TSC, ["-p", join(dir, "tsconfig.json")]).catch((e) => e);
    assert.ok(!(result instanceof Error), result.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
