// The web build as a plain ES module in headless Chromium, served on localhost under a strict
// Content-Security-Policy, and a negative control that proves a CSP violation would be seen.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { EXAMPLES_DIR, installedPackage } from "./lib/project.mjs";
import { CSP, startServer } from "./lib/server.mjs";
import { cli, tempFile } from "./lib/cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, "output");
const LAUNCH = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
  timeout: 60_000,
};

/** Opens `path`, waits for <body data-done>, and returns what the page and the console said. */
async function visit(browser, url, routes = async () => {}) {
  const context = await browser.newContext();
  await routes(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const log = { console: [], errors: [], violations: [], responses: [] };
  page.on("console", (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("response", (r) => log.responses.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"], csp: r.headers()["content-security-policy"] }));
  // Injected by the browser driver, outside the page's CSP: records every violation report.
  await page.addInitScript(() => {
    // Which WebAssembly entry the glue took: streaming compile, or the buffered fallback.
    window.__wasmCalls = [];
    for (const name of ["instantiateStreaming", "compileStreaming", "instantiate", "compile"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        const call = { name, result: "pending" };
        window.__wasmCalls.push(call);
        const promise = original.apply(this, args);
        promise.then(() => { call.result = "ok"; }, (e) => { call.result = String(e); });
        return promise;
      };
    }
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-done]", { timeout: 30_000 });
  log.violations = await page.evaluate(() => window.__violations);
  log.wasmCalls = await page.evaluate(() => window.__wasmCalls);
  return { context, page, log };
}

describe("web build in headless Chromium under a strict CSP", { timeout: 240_000 }, () => {
  let server;
  let browser;
  before(async () => {
    const pkg = await installedPackage();
    server = await startServer({ "/formseal/": join(pkg, "web"), "/examples/": EXAMPLES_DIR, "/": join(here, "page") });
    browser = await chromium.launch(LAUNCH);
  }, { timeout: 240_000 });
  after(async () => {
    await browser?.close();
    await server?.close();
  }, { timeout: 30_000 });

  test("validates the network-unit-filing examples and writes the findings into the page", { timeout: 60_000 }, async () => {
    const { context, page, log } = await visit(browser, `${server.url}/`);
    try {
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, "browser.png"), fullPage: true });

      const status = await page.textContent("#status");
      assert.equal(await page.getAttribute("body", "data-done"), "ok", `page failed: ${status}\n${JSON.stringify(log, null, 1)}`);
      assert.equal(await page.getAttribute('section[data-kind="valid"]', "data-valid"), "true");
      assert.equal(await page.locator('section[data-kind="valid"] li[data-severity="error"]').count(), 0);
      assert.equal(await page.getAttribute('section[data-kind="invalid"]', "data-valid"), "false");

      const invalid = await page.$$eval('section[data-kind="invalid"] li', (items) =>
        items.map((li) => ({ path: li.dataset.path, code: li.dataset.code, severity: li.dataset.severity,
          message: li.querySelector(".message").textContent, basis: li.querySelector(".basis")?.textContent ?? "" })));
      const has = (path, code) => invalid.find((f) => f.path === path && f.code === code);
      assert.ok(has("unit_name", "required"), JSON.stringify(invalid));
      assert.ok(has("principal.id_number", "resident_id_check_char"));
      assert.ok(has("websites[0].domains[1]", "duplicate_item"));
      assert.equal(has("network_live_date", "deadline_passed")?.severity, "warning");
      assert.equal(has("unit_name", "required").message, "请填写“单位名称”。");
      assert.match(has("principal.id_number", "resident_id_check_char").message, /校验码/);
      assert.match(has("unit_name", "required").basis, /《计算机信息网络国际联网安全保护管理办法》第十二条/);
      assert.equal(invalid.filter((f) => f.severity === "error").length, 10);

      assert.equal(await page.textContent("#domain"), "测试.中国 → xn--0zwm56d.xn--fiqs8s");
      assert.equal(await page.textContent("#field"), "mobile_length mobile_prefix");
      // Text, not markup: the findings are plain text nodes.
      assert.equal(await page.locator("#out script, #out img, #out iframe").count(), 0);

      // Worked under the CSP: the document carried it, the wasm came as application/wasm, and
      // nothing was refused or logged.
      const doc = log.responses.find((r) => r.url === `${server.url}/`);
      assert.equal(doc?.csp, CSP);
      const wasm = log.responses.find((r) => new URL(r.url).pathname === "/formseal/formseal_bg.wasm");
      assert.equal(wasm?.status, 200, JSON.stringify(log.responses));
      assert.equal(wasm.type, "application/wasm");
      // Issue 15 item 5: compiled as it streams in, from the URL that names the wasm's digest.
      assert.deepEqual(log.wasmCalls, [{ name: "instantiateStreaming", result: "ok" }]);
      const digest = createHash("sha256").update(readFileSync(join(await installedPackage(), "web/formseal_bg.wasm"))).digest("hex");
      assert.equal(new URL(wasm.url).searchParams.get("v"), digest.slice(0, 16));
      assert.deepEqual(log.violations, []);
      assert.deepEqual(log.errors, []);
      assert.deepEqual(log.console.filter((m) => m.type === "error" || m.type === "warning"), []);
      assert.ok(!log.console.some((m) => /Content.Security.Policy|Refused to/i.test(m.text)), JSON.stringify(log.console));
      assert.deepEqual(log.responses.filter((r) => r.status !== 200), []);
    } finally {
      await context.close();
    }
  });

  test("a non-extractable WebCrypto key seals a built-in form; the native CLI verifies it", { timeout: 120_000 }, async () => {
    const { context, page, log } = await visit(browser, `${server.url}/seal.html`);
    try {
      const status = await page.textContent("#status");
      assert.equal(await page.getAttribute("body", "data-done"), "ok", `page failed: ${status}\n${JSON.stringify(log, null, 1)}`);
      const sealed = await page.evaluate(() => window.__sealed);
      for (const [name, { extractable, publicKey, result }] of Object.entries(sealed)) {
        assert.equal(extractable, false, `${name}: the private key is not extractable`);
        assert.equal(result.sealed, true, `${name}: ${JSON.stringify(result.report?.findings)}`);
        const { stdout } = await cli([
          "verify", tempFile(`${name}.envelope.json`, JSON.stringify(result.envelope)),
          "--keys", tempFile(`${name}.jwk`, JSON.stringify(publicKey)),
          "--now", "2005-06-01T10:01:00+08:00",
        ]);
        const payload = JSON.parse(stdout);
        assert.equal(payload.form.id, "user-filing", name);
        assert.equal(payload.nonce, result.payload.nonce, name);
      }
      assert.deepEqual(log.violations, []);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test("negative control: a wasm served as application/octet-stream takes the buffered fallback, and the spy sees it", { timeout: 60_000 }, async () => {
    const { context, page, log } = await visit(browser, `${server.url}/`, (c) => c.route(/\/formseal\/formseal_bg\.wasm(\?|$)/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
    }));
    try {
      assert.equal(await page.getAttribute("body", "data-done"), "ok", await page.textContent("#status"));
      assert.equal(log.wasmCalls[0]?.name, "instantiateStreaming");
      assert.match(log.wasmCalls[0].result, /TypeError/);
      assert.deepEqual(log.wasmCalls.slice(1), [{ name: "instantiate", result: "ok" }]);
      assert.ok(log.console.some((m) => m.type === "warning" && /instantiateStreaming/.test(m.text)), JSON.stringify(log.console));
    } finally {
      await context.close();
    }
  });

  test("negative control: without 'wasm-unsafe-eval' the page fails and the violation is seen", { timeout: 60_000 }, async () => {
    const { context, page, log } = await visit(browser, `${server.url}/?csp=no-wasm`);
    try {
      assert.equal(await page.getAttribute("body", "data-done"), "error");
      assert.match(await page.textContent("#status"), /CompileError|WebAssembly|unsafe-eval/i);
      const refused = log.violations.length > 0 || log.console.some((m) => /Content.Security.Policy|unsafe-eval/i.test(m.text));
      assert.ok(refused, `no violation recorded: ${JSON.stringify(log)}`);
    } finally {
      await context.close();
    }
  });
});
