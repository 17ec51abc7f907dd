// The demo portal as a person uses it: the reference receiver (`formseal serve`, the real binary,
// its SQLite store in a temp dir) serves www/ and pkg/; headless Chromium fills each built-in form
// wrongly, reads the error summary, fixes it, submits and gets a receipt. Also: the draft survives
// a reload, a replayed envelope is refused, the CSP holds, and markup in a value or a definition
// stays text. Screenshots go to tests/js/output/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { EXAMPLES_DIR, PKG_DIR, REPO_DIR, run } from "./lib/project.mjs";
import { LAUNCH, startReceiver } from "./lib/receiver.mjs";
import { CSP } from "./lib/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, "output");
const FORM_IDS = ["network-unit-filing", "user-filing", "filing-change", "security-commitment", "virus-sample-storage", "incident-report"];
const formseal = createRequire(import.meta.url)(join(PKG_DIR, "node", "formseal.js"));
const example = (id, kind) => JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.${kind}.json`), "utf8"));

/** (control name, value) pairs of a data object, the way the pages name their controls. */
function flatten(value, prefix = "", out = []) {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (Array.isArray(value) && prefix) {
    out.push([prefix, value]); // scalars: a checkbox group, or repeated inputs
  } else if (value && typeof value === "object" && !("sha256" in value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

/** Fills the page's controls from `data` as a person would; returns the names it could not place. */
async function fill(page, data) {
  const missed = [];
  for (const [name, value] of flatten(data)) {
    const controls = page.locator(`form[data-formseal] [name="${name}"]`);
    const count = await controls.count();
    if (Array.isArray(value)) {
      if (count > 0 && (await controls.first().getAttribute("type")) === "checkbox") {
        for (let i = 0; i < count; i += 1) {
          const c = controls.nth(i);
          await c.setChecked(value.includes(await c.getAttribute("value")));
        }
      } else {
        // Repeated inputs: name[0], name[1], …
        for (const [i, v] of value.entries()) {
          const item = page.locator(`form[data-formseal] [name="${name}[${i}]"]`);
          if ((await item.count()) === 0) missed.push(`${name}[${i}]`);
          else await item.fill(String(v ?? ""));
        }
      }
      continue;
    }
    if (count === 0) {
      missed.push(name);
      continue;
    }
    const first = controls.first();
    const type = await first.getAttribute("type");
    const tag = await first.evaluate((e) => e.tagName);
    if (type === "radio") {
      const option = page.locator(`form[data-formseal] [name="${name}"][value="${value}"]`);
      if (await option.count()) await option.check();
      else missed.push(name);
    } else if (type === "checkbox") {
      await first.setChecked(value === true);
    } else if (type === "file") {
      if (value) await first.setInputFiles({ name: value.name, mimeType: value.media_type, buffer: Buffer.from(`demo attachment ${value.name}`) });
    } else if (tag === "SELECT") {
      await first.selectOption(String(value ?? ""));
    } else if (type === "datetime-local") {
      // The control takes local (Beijing) time without an offset.
      await first.fill(String(value).slice(0, 16));
    } else {
      await first.fill(value === null || value === undefined ? "" : String(value));
    }
  }
  return missed;
}

const entries = (page, selector) => page.$$eval(selector, (links) => links.map((a) => `${a.dataset.path} | ${a.dataset.code}`).sort());

test("the committed form pages are what www/tools/build-pages.mjs makes from the current forms", { timeout: 60_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "formseal-www-"));
  try {
    await run(process.execPath, [join(REPO_DIR, "www/tools/build-pages.mjs")], {
      env: { ...process.env, FORMSEAL_WWW_OUT: out, FORMSEAL_NODE: join(PKG_DIR, "node", "formseal.js") },
    });
    const files = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith(".html"));
    assert.ok(files.length >= 16, files.join(", "));
    for (const f of files) {
      assert.equal(readFileSync(join(out, f), "utf8"), readFileSync(join(REPO_DIR, "www", f), "utf8"),
        `www/${f} is stale: run \`node www/tools/build-pages.mjs\` after \`make pkg\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

describe("the demo portal in headless Chromium against the reference receiver", { timeout: 600_000 }, () => {
  let receiver;
  let browser;
  before(async () => {
    receiver = await startReceiver();
    browser = await chromium.launch(LAUNCH);
    mkdirSync(OUTPUT, { recursive: true });
  }, { timeout: 600_000 });
  after(async () => {
    await browser?.close();
    receiver?.stop();
  });

  async function open(path) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const log = { errors: [], console: [], violations: [], responses: [] };
    page.on("pageerror", (e) => log.errors.push(String(e)));
    page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
    page.on("response", (r) => log.responses.push({ url: r.url(), status: r.status(), csp: r.headers()["content-security-policy"] }));
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective));
    });
    await page.goto(`${receiver.url}${path}`);
    return { context, page, log };
  }

  const ready = (page) => page.waitForFunction(() => document.querySelector("form[data-formseal]")?.getAttribute("data-formseal-state") === "ready");

  for (const id of FORM_IDS) {
    test(`${id}: wrong → summary with the expected fields and codes; fixed → sealed, sent, receipt`, { timeout: 120_000 }, async () => {
      const { context, page, log } = await open(`/forms/${id}.html`);
      try {
        await ready(page);
        const missed = await fill(page, example(id, "invalid"));
        await page.click("form[data-formseal] button[type=submit]");
        await page.waitForSelector(".formseal-summary");
        // Focus moved to the summary (in the frame after the submit), which is an alert.
        await page.waitForFunction(() => document.activeElement?.className === "formseal-summary");
        assert.equal(await page.getAttribute(".formseal-summary", "role"), "alert");
        await page.screenshot({ path: join(OUTPUT, `portal-${id}-errors.png`), fullPage: true });

        // The summary lists exactly the errors formseal finds in what the page holds, …
        const data = await page.evaluate(async () => (await import("/pkg/embed.js")).upgradedForm(document.querySelector("form[data-formseal]")).data());
        const report = formseal.FormValidator.builtin(id).validate(data);
        const expected = report.findings.filter((f) => f.severity === "error").map((f) => `${f.path} | ${f.code}`).sort();
        assert.ok(expected.length > 0, "the invalid example has errors on the page");
        assert.deepEqual(await entries(page, ".formseal-summary [data-code]"), expected);
        // … including the invalid example's own expected errors for every field the page has.
        // Codes that depend on the time are left out (the examples are judged at 2005-06-01, the
        // page at today's date), and so are values a person could not enter on the page (an
        // option the page does not offer, a file of the example's size).
        const wanted = JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.invalid.expect.json`), "utf8"))
          .filter((f) => f.severity === "error" && !/future|deadline|attachment_too_large/.test(f.code) && !missed.includes(f.path));
        const shown = new Set(expected);
        const onPage = [];
        for (const f of wanted) {
          if (await page.locator(`[name="${f.path}"], [name^="${f.path}["], [name^="${f.path}."]`).count()) onPage.push(`${f.path} | ${f.code}`);
        }
        assert.ok(onPage.length > 0);
        for (const key of onPage) assert.ok(shown.has(key), `${key} missing from the summary ${JSON.stringify(expected)}`);

        // Each error is tied to its field, and the first summary link focuses it.
        const first = page.locator(".formseal-summary a").first();
        const target = (await first.getAttribute("href")).slice(1);
        await first.click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), target);
        const invalid = page.locator(`[id="${target}"]`);
        assert.equal(await invalid.getAttribute("aria-invalid"), "true");
        const described = (await invalid.getAttribute("aria-describedby")).split(" ");
        assert.ok(await page.locator(`[id="${described.at(-1)}"].formseal-message--error`).count(), "aria-describedby names the message");
        assert.equal(await invalid.evaluate((e) => e.validity.customError), true, "setCustomValidity is in step");

        // Fixed: a fresh page with the valid example.
        await page.evaluate(() => sessionStorage.clear());
        await page.reload();
        await ready(page);
        await fill(page, example(id, "valid"));
        const sealed = page.evaluate(() => new Promise((resolve) => document.addEventListener("formseal:receipt", (e) => resolve(e.detail), { once: true })));
        await page.click("form[data-formseal] button[type=submit]");
        const receipt = await sealed;
        assert.match(receipt.id, /^[A-Za-z0-9_-]{10,}$/);
        assert.equal(receipt.form.id, id);
        assert.equal(await page.getAttribute(".formseal-receipt", "data-receipt"), receipt.id);
        assert.equal(await page.locator(".formseal-summary").count(), 0);
        await page.screenshot({ path: join(OUTPUT, `portal-${id}-submitted.png`), fullPage: true });
        // The receipt is on the server, and the warnings shown (late filing etc.) did not block.
        const stored = await (await fetch(`${receiver.url}/api/submissions/${receipt.id}`)).json();
        assert.equal(stored.id, receipt.id);
        // Sent once: the draft is gone.
        assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), `formseal:draft:${id}:/forms/${id}.html:0`), null);

        assert.deepEqual(log.errors, []);
        assert.deepEqual(await page.evaluate(() => window.__violations), []);
        assert.equal(log.responses.find((r) => r.url.endsWith(`/forms/${id}.html`))?.csp, CSP);
      } finally {
        await context.close();
      }
    });
  }

  test("the README's embedding example works as shown", { timeout: 60_000 }, async () => {
    const readme = readFileSync(join(REPO_DIR, "README.md"), "utf8");
    const html = readFileSync(join(REPO_DIR, "www/example.html"), "utf8");
    const form = html.slice(html.indexOf("    <form"), html.indexOf("</form>") + 7).split("\n").map((l) => l.slice(4)).join("\n");
    assert.ok(readme.includes(form), "README shows www/example.html's form as it is");
    assert.ok(readme.includes(readFileSync(join(REPO_DIR, "www/js/example.mjs"), "utf8").trimEnd()), "README shows www/js/example.mjs as it is");

    const { context, page, log } = await open("/example.html");
    try {
      await ready(page);
      await page.fill('[name="mobile"]', "23456");
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      const codes = await entries(page, ".formseal-summary [data-code]");
      assert.ok(codes.includes("mobile | mobile_prefix"), JSON.stringify(codes));
      assert.ok(codes.includes("declaration | must_be_ticked"), JSON.stringify(codes));
      await fill(page, example("user-filing", "valid"));
      const receipt = page.evaluate(() => new Promise((resolve) => document.addEventListener("formseal:receipt", (e) => resolve(e.detail), { once: true })));
      await page.click("button[type=submit]");
      assert.equal((await receipt).form.id, "user-filing");
      await page.screenshot({ path: join(OUTPUT, "portal-readme-example.png"), fullPage: true });
      assert.deepEqual(log.errors, []);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
    } finally {
      await context.close();
    }
  });

  // Issue 15 item 5: what the receiver sends a page for the wasm, and how the page compiles it.
  test("the wasm arrives pre-compressed, immutable under its digest, compiled as it streams, then from the cache", { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    try {
      await context.addInitScript(() => {
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
      });
      const page = await context.newPage();
      const wasm = [];
      page.on("response", (r) => { if (new URL(r.url()).pathname === "/pkg/web/formseal_bg.wasm") wasm.push(r); });
      const visit = async () => {
        await page.goto(`${receiver.url}/forms/user-filing.html`);
        await ready(page);
        return page.evaluate(() => ({
          calls: window.__wasmCalls,
          transfer: performance.getEntriesByType("resource").find((e) => new URL(e.name).pathname === "/pkg/web/formseal_bg.wasm")?.transferSize,
        }));
      };
      const first = await visit();
      assert.deepEqual(first.calls, [{ name: "instantiateStreaming", result: "ok" }]);
      assert.equal(wasm.length, 1);
      const headers = await wasm[0].allHeaders();
      const digest = createHash("sha256").update(readFileSync(join(PKG_DIR, "web/formseal_bg.wasm"))).digest("hex");
      assert.equal(new URL(wasm[0].url()).searchParams.get("v"), digest.slice(0, 16));
      assert.equal(headers["content-type"], "application/wasm");
      assert.equal(headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(headers.vary, "accept-encoding");
      assert.ok(["br", "gzip"].includes(headers["content-encoding"]), JSON.stringify(headers));
      const variant = readFileSync(join(PKG_DIR, `web/formseal_bg.wasm.${headers["content-encoding"] === "br" ? "br" : "gz"}`));
      assert.equal(Number(headers["content-length"]), variant.length, "the pre-compressed file, as it is");
      assert.ok(first.transfer > 0, "fetched over the network the first time");
      // A second visit takes the wasm from the cache without asking the server.
      const second = await visit();
      assert.deepEqual(second.calls, [{ name: "instantiateStreaming", result: "ok" }]);
      assert.equal(second.transfer, 0, "the second visit reads the wasm from the cache");
    } finally {
      await context.close();
    }
  });

  test("a reload mid-way brings the draft back, and it can be discarded", { timeout: 60_000 }, async () => {
    const { context, page } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="full_name"]', "王小明");
      await page.check('[name="user_type"][value="individual"]');
      await page.fill('[name="mobile"]', "139 1234 567");
      await page.waitForTimeout(400);
      await page.reload();
      await ready(page);
      assert.equal(await page.inputValue('[name="full_name"]'), "王小明");
      assert.equal(await page.isChecked('[name="user_type"][value="individual"]'), true);
      assert.equal(await page.inputValue('[name="mobile"]'), "139 1234 567");
      assert.match(await page.textContent(".formseal-status"), /草稿/);
      await page.click(".formseal-discard");
      assert.equal(await page.inputValue('[name="full_name"]'), "");
      await page.reload();
      await ready(page);
      assert.equal(await page.inputValue('[name="full_name"]'), "", "a discarded draft stays discarded");
    } finally {
      await context.close();
    }
  });

  test("a field is checked when it loses focus, then as it is typed; a failed submit keeps every value", { timeout: 60_000 }, async () => {
    const { context, page } = await open("/en/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="mobile"]', "1391234");
      await page.press('[name="mobile"]', "Tab");
      const message = page.locator(".formseal-message--error");
      await message.first().waitFor();
      assert.match(await message.first().textContent(), /11/, "the English message names 11 digits");
      await page.fill('[name="mobile"]', "13912345678");
      await page.waitForFunction(() => !document.querySelector('[name="mobile"]').hasAttribute("aria-invalid"));
      await page.fill('[name="full_name"]', "Wang");
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.equal(await page.inputValue('[name="full_name"]'), "Wang");
      assert.equal(await page.inputValue('[name="mobile"]'), "13912345678");
      assert.match(await page.textContent(".formseal-summary h2"), /There is a problem/);
    } finally {
      await context.close();
    }
  });

  test("the same envelope sent twice: the retry gets the original receipt (issue 10 item 9)", { timeout: 60_000 }, async () => {
    const { context, page } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await fill(page, example("user-filing", "valid"));
      const receipt = page.evaluate(() => new Promise((resolve) => document.addEventListener("formseal:receipt", (e) => resolve(e.detail), { once: true })));
      await page.click("form[data-formseal] button[type=submit]");
      const first = await receipt;
      const again = await page.evaluate(async () => {
        const response = await fetch("/api/submissions", { method: "POST", headers: { "Content-Type": "application/json" }, body: sessionStorage.getItem("formseal:last") });
        return { status: response.status, body: await response.json() };
      });
      // A retry of the same bytes (an answer lost on the way) is no error: 200 and the same receipt.
      // A different envelope with a stored nonce stays 409 (tests/serve.rs).
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first);
      // The sealed-payload page decodes it and shows the receiver's verdict.
      await page.goto(`${receiver.url}/sealed.html`);
      await page.waitForSelector("#decoded pre");
      const text = await page.textContent("#decoded");
      assert.match(text, /"typ": "formseal\+jws"/);
      assert.match(text, /"nonce"/);
      await page.waitForFunction(() => /已验签/.test(document.getElementById("decoded").textContent));
    } finally {
      await context.close();
    }
  });

  test("markup in a value or a definition stays text", { timeout: 60_000 }, async () => {
    const { context, page } = await open("/forms/user-filing.html");
    const attack = '<img src=x onerror="window.__pwned=1">';
    try {
      await ready(page);
      await page.fill('[name="full_name"]', attack);
      await page.fill('[name="unit_uscc"]', attack);
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.equal(await page.locator("main img").count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);

      await page.goto(`${receiver.url}/custom.html`);
      const definition = {
        id: "markup", version: "1.0.0",
        title: { "zh-CN": attack, en: attack },
        fields: [{ name: "x", kind: "text", required: true, label: { "zh-CN": attack, en: attack } }],
      };
      await page.fill("#definition", JSON.stringify(definition));
      await page.click("#definition-form button");
      await page.waitForSelector("#custom-form form");
      await page.click("#custom-form button[type=submit]");
      await page.waitForSelector("#custom-form .formseal-summary");
      assert.equal(await page.locator("main img").count(), 0);
      assert.ok((await page.textContent("#custom-form")).includes(attack), "shown as text");
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      await page.fill('#custom-form [name="x"]', "ok");
      await page.click("#custom-form button[type=submit]");
      await page.waitForSelector("#custom-envelope");
      assert.match(await page.textContent("#custom-envelope"), /"signature"/);
    } finally {
      await context.close();
    }
  });
});
