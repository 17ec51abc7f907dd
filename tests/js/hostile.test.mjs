// Issue 16, items 1-5: hostile and careless JavaScript values through the packed tarball, in Node
// (node build and web build) and in Chromium (web build). Every wrong type is a FormsealError
// with a stable code (never a trap, a glue TypeError or an unsettled promise), digestAttachment
// hashes exactly the bytes it is given, and the wasm memory stays bounded when a hostile call is
// repeated or a validator is made per request and never freed. After every case the module
// still validates the valid example. The cases are in lib/hostile-cases.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { EXAMPLES_DIR, installedPackage, installedProject } from "./lib/project.mjs";
import { startServer } from "./lib/server.mjs";
import { runHostile } from "./lib/hostile-cases.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const NOW = "2005-06-01T10:00:00+08:00";
const valid = JSON.parse(readFileSync(join(EXAMPLES_DIR, "user-filing.valid.json"), "utf8"));
/** The most the wasm memory may grow over a repeated hostile call (it was 190 MiB a call). */
const MAX_GROWTH = 2 * 1024 * 1024;
const LAUNCH = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  timeout: 60_000,
};

/** The assertions on runHostile's records, the same for every build. */
function check(results, { withLeaks }) {
  assert.ok(results.length >= 60, `only ${results.length} cases`);
  for (const r of results) {
    const where = `${r.name}: ${JSON.stringify(r)}`;
    assert.equal(r.afterwards, true, `${r.name}: the valid example no longer validates: ${r.afterwards}`);
    assert.notEqual(r.outcome, "unsettled", `${r.name}: the promise never settled`);
    if (r.expect === "digest") {
      assert.equal(r.outcome, "value", where);
      assert.equal(r.sha256, r.expectedSha256, where);
      assert.match(r.sm3, /^[0-9a-f]{64}$/, where);
      if (r.abc) assert.deepEqual({ sha256: r.sha256, sm3: r.sm3 }, r.abc, where);
    } else if (r.expect === "sealed") {
      assert.equal(r.outcome, "resolved", where);
      assert.equal(r.sealed, true, where);
    } else if (r.expect === "bounded") {
      assert.ok(r.growth <= MAX_GROWTH, `${r.name}: wasm memory grew by ${r.growth} bytes`);
    } else {
      assert.ok(r.outcome === "threw" || r.outcome === "rejected", where);
      assert.equal(r.isError, true, `${r.name}: threw a non-Error: ${where}`);
      assert.equal(r.errorName, "FormsealError", `${r.name}: ${r.errorName}: ${r.message}`);
      assert.equal(r.guard, true, `${r.name}: isFormsealError said false`);
      assert.ok(r.codeMatches, `${r.name}: code ${r.code}, expected ${r.expect}: ${r.message}`);
      assert.doesNotMatch(r.message, /unreachable|out of bounds|__wbindgen|RuntimeError/, where);
    }
  }
  const leaks = results.filter((r) => r.expect === "bounded");
  assert.equal(leaks.length, withLeaks ? 5 : 0);
}

describe("hostile values, Node, node build (require(\"formseal\"))", { timeout: 240_000 }, () => {
  let results;
  before(async () => {
    const dir = await installedProject();
    const api = createRequire(join(dir, "package.json"))("formseal");
    results = await runHostile(api, { valid, now: NOW, subtle: globalThis.crypto.subtle });
  }, { timeout: 240_000 });
  test("every hostile value is a FormsealError with its code, and the module keeps working", () => check(results, { withLeaks: false }));
});

describe("hostile values, Node, web build (formseal/web), with the wasm memory watched", { timeout: 240_000 }, () => {
  let results;
  before(async () => {
    const dir = await installedProject();
    const require = createRequire(join(dir, "package.json"));
    const api = await import(pathToFileURL(require.resolve("formseal/web")).href);
    const exports = await api.default({ module_or_path: readFileSync(require.resolve("formseal/web/formseal_bg.wasm")) });
    results = await runHostile(api, { valid, now: NOW, subtle: globalThis.crypto.subtle, memory: exports.memory });
  }, { timeout: 240_000 });
  test("every hostile value is a FormsealError with its code, and the module keeps working", () => check(results, { withLeaks: true }));
  test("repeated hostile calls and 20,000 unfreed validators leave the wasm memory bounded", () => {
    const leaks = results.filter((r) => r.expect === "bounded");
    for (const r of leaks) assert.ok(r.threw >= 0 && r.growth <= MAX_GROWTH, JSON.stringify(r));
    assert.equal(leaks.find((r) => r.name.includes("never freed")).threw, 0);
  });
});

describe("hostile values, Chromium, web build", { timeout: 240_000 }, () => {
  let server;
  let browser;
  let results;
  let log;
  before(async () => {
    const pkg = await installedPackage();
    server = await startServer({ "/formseal/": join(pkg, "web"), "/lib/": join(here, "lib"), "/examples/": EXAMPLES_DIR, "/": join(here, "page") });
    browser = await chromium.launch(LAUNCH);
    const page = await browser.newPage();
    log = [];
    page.on("pageerror", (e) => log.push(String(e)));
    await page.goto(`${server.url}/hostile.html`);
    await page.waitForSelector("body[data-done]", { timeout: 180_000 });
    assert.equal(await page.getAttribute("body", "data-done"), "ok", await page.textContent("#status"));
    results = await page.evaluate(() => window.__hostile);
  }, { timeout: 240_000 });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  test("every hostile value is a FormsealError with its code, and the module keeps working", () => {
    check(results, { withLeaks: true });
    assert.deepEqual(log, [], "no uncaught error in the page");
  });
});
