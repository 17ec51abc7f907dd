// The embed (`formseal/embed`) under what breaks forms in real portals, in headless Chromium
// against the reference receiver: hostile definitions and control names, values the module cannot
// take, drafts (two forms, fast reloads, two tabs, damaged), thousands of controls, a slow or
// missing wasm, double clicks, the receipt, accessibility (axe-core on every demo page) and
// teardown. Each test is named after the defect it holds (issues 13 and 16).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { PKG_DIR, REPO_DIR } from "./lib/project.mjs";
import { LAUNCH, startReceiver } from "./lib/receiver.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const formseal = require(join(PKG_DIR, "node", "formseal.js"));

/** A page of plain HTML served at `${url}/fixture/${name}` (no CSP, so a fixture may carry an inline module). */
const fixtures = new Map();
const fixture = (name, html) => {
  fixtures.set(name, html);
  return `/fixture/${name}`;
};
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** A page upgrading `form#f` with `definition` (and `options`), with a registered demo key as signer. */
function definitionPage(title, definition, formHtml, options = {}, lang = "en") {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="stylesheet" href="/pkg/embed.css"></head><body><main><h1>${esc(title)}</h1>
${formHtml}
</main>
<script type="module">
import { upgrade, configure } from "/pkg/embed.js?noauto";
const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
const { kty, crv, x } = await crypto.subtle.exportKey("jwk", pair.publicKey);
const publicKey = { kty, crv, x, kid: crypto.randomUUID(), alg: "EdDSA" };
await fetch("/api/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(publicKey) });
configure({ signer: { alg: "EdDSA", kid: publicKey.kid, publicKey, sign: (bytes) => crypto.subtle.sign("Ed25519", pair.privateKey, bytes) } });
const definition = ${JSON.stringify(JSON.stringify(definition))};
window.__upgrades = [...document.querySelectorAll("form")].map((form) => upgrade(form, { definition, ...${JSON.stringify(options)} })
  .then(() => "ready", (e) => "refused: " + (e.code ?? e.message)));
</script></body></html>`;
}

/** The demo's user-filing form (www/example.html's form) with `extra` markup inside it. */
function userFilingPage(title, extra = "", { forms = 1, lang = "zh-CN" } = {}) {
  const html = readFileSync(join(REPO_DIR, "www/example.html"), "utf8");
  const form = html.slice(html.indexOf("<form"), html.indexOf("</form>") + 7).replace("</form>", `${extra}\n</form>`);
  const many = Array.from({ length: forms }, (_, i) => form.replaceAll(/id="(\w)"/g, `id="$1${i}"`).replaceAll(/for="(\w)"/g, `for="$1${i}"`)).join("\n");
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="stylesheet" href="/pkg/embed.css"><script type="module" src="/js/site.mjs"></script></head>
<body><main><h1>${esc(title)}</h1>${many}</main></body></html>`;
}

const VALID_USER = Object.fromEntries(Object.entries(JSON.parse(readFileSync(join(REPO_DIR, "forms/examples/user-filing.valid.json"), "utf8")))
  .filter(([, v]) => typeof v === "string"));

describe("the embed in headless Chromium against the reference receiver", { timeout: 900_000 }, () => {
  let receiver;
  let browser;
  before(async () => {
    receiver = await startReceiver();
    browser = await chromium.launch(LAUNCH);
  }, { timeout: 600_000 });
  after(async () => {
    await browser?.close();
    receiver?.stop();
  });

  async function open(path, { context: given, bypassCSP = false, routes } = {}) {
    const context = given ?? await browser.newContext({ bypassCSP });
    await context.route("**/fixture/*", (route) => {
      const name = new URL(route.request().url()).pathname.split("/").pop();
      const body = fixtures.get(name);
      if (body === undefined) return route.fulfill({ status: 404, body: "no fixture" });
      return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const log = { errors: [], posts: [], navigations: [] };
    page.on("pageerror", (e) => log.errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" && m.text().startsWith("formseal:")) log.errors.push(m.text());
    });
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/submissions") log.posts.push(r);
    });
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) log.navigations.push(f.url());
    });
    if (routes) await routes(page);
    await page.goto(`${receiver.url}${path}`);
    return { context, page, log, close: () => (given ? page.close() : context.close()) };
  }

  // Ready: this embed marks the form; the embed before it set an expando (kept so the regression
  // tests fail on the defect, not on this helper, when run against it).
  const ready = (page, count = 1) => page.waitForFunction((n) => [...document.forms]
    .filter((f) => f.getAttribute("data-formseal-state") === "ready" || typeof f.formseal?.data === "function").length >= n, count);
  const status = (page, form = "form") => page.locator(`${form} .formseal-status`);

  async function fillUser(page, scope = "form", values = VALID_USER) {
    for (const [name, value] of Object.entries(values)) {
      const c = page.locator(`${scope} [name="${name}"]`).first();
      if ((await c.count()) === 0) continue; // the page does not ask for it
      const type = await c.getAttribute("type");
      if (type === "radio") await page.locator(`${scope} [name="${name}"][value="${value}"]`).check();
      else if ((await c.evaluate((e) => e.tagName)) === "SELECT") await c.selectOption(value);
      else await c.fill(value);
    }
    await page.locator(`${scope} [name="no_account_transfer"]`).check();
    await page.locator(`${scope} [name="declaration"]`).check();
  }

  // ---- issue 16, item 6 ----------------------------------------------------------------------

  test("prototype pollution from a definition: fields named constructor/prototype never reach Object.prototype", async () => {
    const definition = {
      id: "pollution", version: "1.0.0", title: { "zh-CN": "污染", en: "Pollution" },
      fields: [
        { name: "constructor", kind: "group", label: { "zh-CN": "组", en: "Group" }, fields: [
          { name: "prototype", kind: "group", label: { "zh-CN": "组", en: "Group" }, fields: [
            { name: "polluted", kind: "text", label: { "zh-CN": "值", en: "Value" } }] },
          { name: "assign", kind: "text", label: { "zh-CN": "值", en: "Value" } }] },
        { name: "x", kind: "text", label: { "zh-CN": "值", en: "Value" } },
      ],
    };
    const path = fixture("pollution.html", definitionPage("Pollution", definition, `<form id="f" action="/api/submissions">
<label for="p">Polluted</label><input id="p" name="constructor.prototype.polluted">
<label for="a">Assign</label><input id="a" name="constructor.assign">
<label for="x">X</label><input id="x" name="x"><button type="submit">Send</button></form>`));
    const { page, close } = await open(path);
    try {
      await page.waitForFunction(() => window.__upgrades !== undefined);
      const outcome = await page.evaluate(() => window.__upgrades[0]);
      // Refused at compile time (src/schema) or upgraded: either way typing must not pollute.
      await page.fill("#p", "yes");
      await page.fill("#a", "gone");
      await page.fill("#x", "x");
      await page.click("button[type=submit]");
      await page.waitForTimeout(300);
      const state = await page.evaluate(() => ({ polluted: ({}).polluted, assign: typeof Object.assign, inherited: "polluted" in Object.prototype }));
      assert.deepEqual(state, { polluted: undefined, assign: "function", inherited: false }, `upgrade: ${outcome}`);
    } finally {
      await close();
    }
  });

  // ---- issue 16, item 7 ----------------------------------------------------------------------

  test("control names shadowing the form's properties (action, elements, formseal, classList, dataset, reset) break nothing", async () => {
    const shadows = ["action", "elements", "formseal", "classList", "dataset", "reset", "noValidate", "prepend", "querySelectorAll"]
      .map((n) => `<input type="hidden" name="${n}" value="shadow">`).join("\n");
    const path = fixture("shadow.html", userFilingPage("Shadowed form", shadows));
    const { page, log, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.ok(await page.locator(".formseal-summary a").count() > 0, "every check ran");
      // "Discard draft" resets the form through HTMLFormElement.prototype.reset.
      await page.fill('[name="full_name"]', "王小明");
      await page.waitForTimeout(400);
      await page.reload();
      await ready(page);
      assert.equal(await page.inputValue('[name="full_name"]'), "王小明");
      await page.click(".formseal-discard");
      assert.equal(await page.inputValue('[name="full_name"]'), "");
      await fillUser(page);
      const receipt = page.evaluate(() => new Promise((resolve) => document.addEventListener("formseal:receipt", (e) => resolve(e.detail), { once: true })));
      await page.click("button[type=submit]");
      assert.equal((await receipt).form.id, "user-filing");
      assert.deepEqual(log.posts.map((r) => new URL(r.url()).pathname), ["/api/submissions"]);
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  // ---- issue 16, item 8 ----------------------------------------------------------------------

  test("an error during submit (a 3 MB paste, a lone surrogate) is caught, said in the page's language, values kept", async () => {
    const { page, log, close } = await open("/en/forms/user-filing.html");
    try {
      await ready(page);
      await page.evaluate(() => {
        const set = (name, value) => {
          const c = document.querySelector(`[name="${name}"]`);
          c.value = value;
          c.dispatchEvent(new Event("input", { bubbles: true }));
        };
        set("full_name", "x".repeat(3 * 1024 * 1024));
        set("address", "Flat 1 \ud83d, Beijing");
      });
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      const codes = await page.$$eval(".formseal-summary [data-code]", (links) => links.map((a) => `${a.dataset.path} | ${a.dataset.code}`));
      assert.ok(codes.includes("full_name | embed_too_long_to_check"), codes.join("\n"));
      assert.ok(codes.includes("address | embed_unreadable_character"), codes.join("\n"));
      assert.ok(codes.some((c) => c.startsWith("mobile |")), "the other fields are checked too");
      const messages = await page.locator(".formseal-message--error").allTextContents();
      assert.ok(messages.some((m) => /cannot be read/.test(m)), messages.join("\n"));
      assert.ok(!messages.some((m) => /JSON|hex escape/.test(m)), "no raw parser English");
      assert.equal(await page.evaluate(() => document.querySelector('[name="full_name"]').value.length), 3 * 1024 * 1024);
      assert.equal(await page.inputValue('[name="address"]'), "Flat 1 \ud83d, Beijing");
      // Left after typing: the field's own check says it in English too.
      await page.focus('[name="address"]');
      await page.press('[name="address"]', "Tab");
      assert.match(await page.locator('[name="address"]').evaluate((e) => document.getElementById(e.getAttribute("aria-describedby").split(" ").at(-1)).textContent), /cannot be read/);
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  // ---- issue 16, item 9 ----------------------------------------------------------------------

  test("drafts are lost: two forms of the same id on one page keep separate drafts", async () => {
    const path = fixture("two-forms.html", userFilingPage("Two forms", "", { forms: 2 }));
    const { page, close } = await open(path);
    try {
      await ready(page, 2);
      await page.locator('form >> nth=0 >> [name="full_name"]').fill("甲");
      await page.locator('form >> nth=1 >> [name="full_name"]').fill("乙");
      await page.waitForTimeout(400);
      await page.reload();
      await ready(page, 2);
      assert.equal(await page.locator('form >> nth=0 >> [name="full_name"]').inputValue(), "甲");
      assert.equal(await page.locator('form >> nth=1 >> [name="full_name"]').inputValue(), "乙");
    } finally {
      await close();
    }
  });

  test("drafts are lost: a reload within 250 ms of typing keeps the last input", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="full_name"]', "王小明");
      await page.reload(); // at once: pagehide saves
      await ready(page);
      assert.equal(await page.inputValue('[name="full_name"]'), "王小明");
    } finally {
      await close();
    }
  });

  test("drafts are lost: two tabs overwriting one draft are detected and said", async () => {
    const definition = JSON.parse(readFileSync(join(REPO_DIR, "forms/user-filing.json"), "utf8"));
    const html = readFileSync(join(REPO_DIR, "www/example.html"), "utf8");
    const form = html.slice(html.indexOf("<form"), html.indexOf("</form>") + 7);
    const path = fixture("local-drafts.html", definitionPage("Local drafts", definition, form, { drafts: "local" }, "en"));
    const context = await browser.newContext();
    const a = await open(path, { context });
    const b = await open(path, { context });
    try {
      await ready(a.page);
      await ready(b.page);
      await a.page.fill('[name="full_name"]', "from A");
      await a.page.waitForTimeout(400);
      await b.page.fill('[name="full_name"]', "from B");
      await b.page.waitForTimeout(400);
      assert.match(await status(b.page).textContent(), /another tab/, "the tab that overwrites says so");
      await a.page.waitForFunction(() => /another tab/.test(document.querySelector(".formseal-status").textContent));
    } finally {
      await context.close();
    }
  });

  test("drafts are lost: a damaged draft is removed and said, never 'saved at Invalid Date'", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await page.evaluate(() => {
        const damaged = JSON.stringify({ savedAt: "not a time", values: { full_name: "x" } });
        // Where this embed keeps the draft, and where the embed before it did.
        for (const key of Object.keys(sessionStorage)) if (key.startsWith("formseal:draft:")) sessionStorage.setItem(key, damaged);
        sessionStorage.setItem("formseal:draft:user-filing:/forms/user-filing.html:0", damaged);
        localStorage.setItem("formseal:draft:user-filing:/forms/user-filing.html", damaged);
      });
      await page.reload();
      // Ready, not merely a status shown: on a busy machine the first status is "loading".
      await ready(page);
      await page.waitForSelector(".formseal-status:not(:empty)");
      const text = await status(page).textContent();
      assert.doesNotMatch(text, /Invalid Date/);
      assert.match(text, /草稿已损坏/);
      assert.equal(await page.evaluate(() => sessionStorage.getItem("formseal:draft:user-filing:/forms/user-filing.html:0")), null);
    } finally {
      await close();
    }
  });

  // ---- issue 16, item 10 and issue 10, item 1 -------------------------------------------------

  test("a form with many controls: 5,000 controls and 1,000 errors give a capped summary that counts the rest, errors before warnings", { timeout: 180_000 }, async () => {
    const lists = 5;
    const items = 1000;
    const definition = {
      id: "many", version: "1.0.0", title: { "zh-CN": "很多", en: "Many" },
      fields: [
        ...Array.from({ length: lists }, (_, l) => ({ name: `m${l}`, kind: "list", max_items: items, label: { "zh-CN": `手机 ${l}`, en: `Mobiles ${l}` }, item: { kind: "mobile", label: { "zh-CN": "手机", en: "Mobile" } } })),
        { name: "site", kind: "domain", label: { "zh-CN": "域名", en: "Domain" } },
      ],
    };
    const controls = [];
    for (let l = 0; l < lists; l += 1) {
      for (let i = 0; i < items; i += 1) controls.push(`<div><label for="m${l}-${i}">Mobile ${l}.${i}</label><input id="m${l}-${i}" name="m${l}[${i}]" value="${l === 0 ? "1391234567" : "13912345678"}"></div>`);
    }
    const path = fixture("many.html", definitionPage("Many controls", definition,
      `<form id="f" action="/api/submissions">\n<label for="s">Domain</label><input id="s" name="site" value="раураӏ.com">\n${controls.join("\n")}\n<button type="submit">Send</button></form>`));
    const { page, log, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      const listed = await page.locator(".formseal-summary a").count();
      assert.equal(listed, 50);
      const more = Number(await page.getAttribute(".formseal-summary .formseal-more", "data-more"));
      assert.equal(listed + more, 1000, "the summary counts every error");
      assert.equal(await page.locator(".formseal-message--error").count(), 1000, "every field shows its message");
      assert.ok(await page.locator(".formseal-warnings").count() === 1, "the look-alike domain warns");
      assert.equal(await page.evaluate(() => !!(document.querySelector(".formseal-summary").compareDocumentPosition(document.querySelector(".formseal-warnings")) & Node.DOCUMENT_POSITION_FOLLOWING)), true,
        "errors come before warnings");
      // Focus moves to the summary (in the next frame, not inside the submit), which is scrolled
      // to the top of the view from the submit button 5,000 controls below it.
      await page.waitForFunction(() => document.activeElement?.classList.contains("formseal-summary"));
      const box = await page.locator(".formseal-summary").evaluate((e) => { const r = e.getBoundingClientRect(); return { top: r.top, height: innerHeight }; });
      assert.ok(box.top >= -1 && box.top < box.height / 2, `the summary is in view: ${JSON.stringify(box)}`);
      // A keystroke in a field in error re-checks it.
      await page.fill('[name="m0[0]"]', "13912345678");
      await page.waitForFunction(() => !document.querySelector('[name="m0[0]"]').hasAttribute("aria-invalid"));
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  test("the first whole-form check of a page ran unoptimised code inside the submit: the form is checked once while the page is idle, showing nothing", async () => {
    const definition = {
      id: "warm", version: "1.0.0", title: { "zh-CN": "预热", en: "Warm" },
      fields: [{ name: "m", kind: "list", max_items: 10, label: { "zh-CN": "手机", en: "Mobiles" }, item: { kind: "mobile", label: { "zh-CN": "手机", en: "Mobile" } } }],
    };
    const controls = Array.from({ length: 10 }, (_, i) => `<div><label for="m${i}">Mobile ${i}</label><input id="m${i}" name="m[${i}]" value="1391234567"></div>`).join("\n");
    const path = fixture("warm.html", `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warm</title></head><body>
<form id="f" action="/api/submissions">${controls}<button type="submit">Send</button></form>
<script type="module">
import { FormValidator } from "/pkg/web/formseal.js";
const validate = FormValidator.prototype.validate;
window.__validates = 0;
FormValidator.prototype.validate = function (...args) {
  window.__validates += 1;
  return validate.apply(this, args);
};
const { upgrade } = await import("/pkg/embed.js?noauto");
upgrade(document.getElementById("f"), { definition: ${JSON.stringify(JSON.stringify(definition))}, drafts: false });
</script></body></html>`);
    const { page, log, close } = await open(path);
    try {
      await ready(page);
      await page.waitForFunction(() => window.__validates === 1);
      await page.waitForTimeout(100);
      const shown = await page.evaluate(() => ({
        messages: document.querySelectorAll(".formseal-message, .formseal-summary, .formseal-warnings").length,
        invalid: document.querySelectorAll("[aria-invalid]").length,
        title: document.title, status: document.querySelector(".formseal-status").textContent, validates: window.__validates,
      }));
      assert.deepEqual(shown, { messages: 0, invalid: 0, title: "Warm", status: "", validates: 1 }, "the check while idle shows nothing");
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.equal(await page.locator(".formseal-message--error").count(), 10);
      assert.equal(await page.evaluate(() => window.__validates), 2, "a submit checks the form once");
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  // ---- issue 13, item 6 ----------------------------------------------------------------------

  test("focusing a summary taller than the view scrolled its heading out of view: it is scrolled to the top of the view", async () => {
    const definition = {
      id: "tall", version: "1.0.0", title: { "zh-CN": "很长", en: "Tall" },
      fields: [{ name: "m", kind: "list", max_items: 100, label: { "zh-CN": "手机", en: "Mobiles" }, item: { kind: "mobile", label: { "zh-CN": "手机", en: "Mobile" } } }],
    };
    const controls = Array.from({ length: 100 }, (_, i) => `<div><label for="m${i}">Mobile ${i}</label><input id="m${i}" name="m[${i}]" value="1391234567"></div>`).join("\n");
    const path = fixture("tall.html", definitionPage("Tall", definition, `<form id="f" action="/api/submissions">${controls}<button type="submit">Send</button></form>`));
    const { page, log, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForFunction(() => document.activeElement?.classList.contains("formseal-summary"));
      const box = await page.locator(".formseal-summary").evaluate((e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: innerHeight }; });
      assert.ok(box.bottom - box.top > box.height, `the summary is taller than the view: ${JSON.stringify(box)}`);
      assert.ok(Math.abs(box.top) <= 1, `the summary's top (its heading) is at the top of the view: ${JSON.stringify(box)}`);
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  test("a second submit rewrote every field's message and attributes where nothing had changed", async () => {
    const definition = {
      id: "again", version: "1.0.0", title: { "zh-CN": "再次", en: "Again" },
      fields: ["a", "b", "c"].map((name) => ({ name, kind: "mobile", required: true, label: { "zh-CN": `手机 ${name}`, en: `Mobile ${name}` } })),
    };
    const controls = ["a", "b", "c"].map((n) => `<div><label for="${n}">Mobile ${n}</label><input id="${n}" name="${n}" value="1391234567"></div>`).join("\n");
    const path = fixture("again.html", definitionPage("Again", definition, `<form id="f" action="/api/submissions">${controls}<button type="submit">Send</button></form>`));
    const { page, log, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      // Every write to the fields' messages and to the controls' attributes from now on.
      await page.evaluate(() => {
        const form = document.getElementById("f");
        window.__before = [...form.querySelectorAll(".formseal-message")];
        window.__writes = [];
        new MutationObserver((records) => {
          for (const r of records) {
            if (r.type === "attributes") window.__writes.push(`${r.target.id} ${r.attributeName}`);
            else for (const n of [...r.addedNodes, ...r.removedNodes]) if (n instanceof Element && n.matches(".formseal-message")) window.__writes.push(`message ${n.id}`);
          }
        }).observe(form, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-invalid", "aria-describedby"] });
      });
      const writes = () => page.evaluate(() => new Promise((r) => setTimeout(() => r(window.__writes.splice(0)), 0)));
      await page.click("button[type=submit]");
      await page.waitForFunction(() => document.activeElement?.classList.contains("formseal-summary"));
      assert.deepEqual(await writes(), [], "the same errors: no message and no attribute written again");
      assert.equal(await page.evaluate(() => window.__before.every((n) => n.isConnected)), true, "the same message elements");
      // One field put right: only its message goes and only its attributes change, once each
      // (whether the check when it was left or the submit takes it away).
      await page.fill("#b", "13912345678");
      await page.click("button[type=submit]");
      await page.waitForFunction(() => document.querySelectorAll(".formseal-summary a").length === 2);
      const bId = await page.evaluate(() => window.__before[1].id);
      assert.deepEqual((await writes()).sort(), [`b aria-describedby`, `b aria-invalid`, `message ${bId}`]);
      assert.equal(await page.locator("#b").getAttribute("aria-invalid"), null);
      assert.equal(await page.locator("#b").getAttribute("aria-describedby"), null);
      assert.equal(await page.locator("#b").evaluate((e) => e.validity.customError), false);
      for (const id of ["a", "c"]) {
        assert.equal(await page.locator(`#${id}`).getAttribute("aria-invalid"), "true");
        assert.equal(await page.locator(`#${id}`).evaluate((e) => e.validity.customError), true);
      }
      assert.deepEqual(log.errors, []);
    } finally {
      await close();
    }
  });

  test("a submit before the wasm has loaded is held: aria-busy, 'loading the checks', nothing leaves the page", async () => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const { page, log, close } = await open("/forms/user-filing.html", {
      routes: (p) => p.route(/\/pkg\/web\/formseal_bg\.wasm(\?|$)/, async (route) => {
        await gate;
        await route.continue();
      }),
    });
    try {
      await page.waitForSelector('form[data-formseal][aria-busy="true"]');
      await page.fill('[name="full_name"]', "王小明");
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForTimeout(300);
      assert.match(await status(page).textContent(), /正在加载检查程序/);
      assert.equal(log.posts.length, 0);
      assert.equal(log.navigations.length, 1, "no navigation");
      release();
      await page.waitForSelector(".formseal-summary"); // the held submit is carried out
      assert.equal(await page.getAttribute("form[data-formseal]", "aria-busy"), null);
      assert.equal(await page.inputValue('[name="full_name"]'), "王小明");
      assert.equal(log.posts.length, 0);
    } finally {
      release();
      await close();
    }
  });

  test("a wasm that cannot load is said and every value is kept", async () => {
    const { page, log, close } = await open("/en/forms/user-filing.html", {
      routes: (p) => p.route(/\/pkg\/web\/formseal_bg\.wasm(\?|$)/, (route) => route.abort()),
    });
    try {
      await page.waitForSelector('form[data-formseal-state="failed"]');
      assert.match(await status(page).textContent(), /could not be loaded/);
      await page.fill('[name="full_name"]', "Wang");
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForTimeout(300);
      assert.equal(log.posts.length, 0);
      assert.equal(log.navigations.length, 1, "no navigation");
      assert.equal(await page.inputValue('[name="full_name"]'), "Wang");
    } finally {
      await close();
    }
  });

  // ---- issue 13, items 7 and 8 -----------------------------------------------------------------

  test("a double click files twice: it files once, and the receipt takes focus, in view, grouped, local time, form locked", async () => {
    const { page, log, close } = await open("/example.html");
    try {
      await ready(page);
      await fillUser(page);
      const receipt = page.evaluate(() => new Promise((resolve) => document.addEventListener("formseal:receipt", (e) => resolve(e.detail), { once: true })));
      await page.dblclick("button[type=submit]");
      const body = await receipt;
      await page.waitForTimeout(500);
      assert.equal(log.posts.length, 1, "one submission");
      // The receipt: focused, in view, the number in groups of four, the time in the person's locale.
      const panel = page.locator(".formseal-receipt");
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("formseal-receipt")), true);
      const box = await panel.evaluate((e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: innerHeight }; });
      assert.ok(box.top >= -1 && box.bottom <= box.height + 1, `the receipt is in view: ${JSON.stringify(box)}`);
      assert.equal(await page.textContent(".formseal-receipt-number"), body.id.match(/.{1,4}/g).join(" "));
      assert.equal(await panel.getAttribute("data-receipt"), body.id);
      const shown = await page.textContent(".formseal-receipt time");
      assert.doesNotMatch(shown, /T\d\d:/, "not raw RFC 3339");
      assert.equal(shown, await page.evaluate((t) => new Intl.DateTimeFormat("zh-CN", { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(new Date(t)), body.received_at));
      // Locked: nothing to change, nothing to file again.
      assert.equal(await page.locator('[name="full_name"]').evaluate((e) => e.readOnly), true);
      assert.equal(await page.locator('[name="declaration"]').isDisabled(), true);
      assert.equal(await page.locator("button[type=submit]").isDisabled(), true);
      await page.evaluate(() => document.querySelector("form").requestSubmit());
      await page.waitForTimeout(300);
      assert.equal(log.posts.length, 1);
    } finally {
      await close();
    }
  });

  // ---- issue 13, item 9 ----------------------------------------------------------------------

  test("a radio group outside a fieldset: the error is not inside the first radio's label", async () => {
    const { page, close } = await open("/example.html");
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      const radio = page.locator('[name="user_type"]').first();
      const id = (await radio.getAttribute("aria-describedby")).split(" ").at(-1);
      assert.equal(await page.locator(`label #${id}`).count(), 0, "the message is in no label");
      const name = await radio.evaluate((e) => e.labels[0].textContent.trim());
      assert.equal(name, "个人");
    } finally {
      await close();
    }
  });

  test("tabbing through an empty required field shows no error before anything was typed", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      // Through every control of the form: text, radios, selects, tick-boxes.
      await page.focus("form[data-formseal] input, form[data-formseal] select");
      const count = await page.locator("form[data-formseal] input, form[data-formseal] select, form[data-formseal] textarea").count();
      for (let i = 0; i < count; i += 1) await page.keyboard.press("Tab");
      await page.waitForTimeout(200);
      assert.deepEqual(await page.locator(".formseal-message").allTextContents(), []);
    } finally {
      await close();
    }
  });

  test("inline errors are announced", async () => {
    const { page, close } = await open("/en/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="mobile"]', "1391234");
      await page.press('[name="mobile"]', "Tab");
      await page.locator(".formseal-message--error").first().waitFor();
      const message = await page.locator(".formseal-message--error").first().textContent();
      const live = await page.$$eval('[aria-live]', (nodes) => nodes.map((n) => n.textContent));
      assert.ok(live.some((t) => t.includes(message.replace(/^Error: /, ""))), `${message} not in a live region: ${JSON.stringify(live)}`);
    } finally {
      await close();
    }
  });

  test("the page title is prefixed 错误：/Error: while errors stand", async () => {
    const definition = { id: "one", version: "1.0.0", title: { "zh-CN": "一", en: "One" }, fields: [{ name: "x", kind: "text", required: true, label: { "zh-CN": "名称", en: "Name" } }] };
    const path = fixture("title.html", definitionPage("One field", definition, `<form id="f" action="/api/submissions"><label for="x">Name</label><input id="x" name="x"><button type="submit">Send</button></form>`));
    const { page, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.equal(await page.title(), "Error: One field");
      await page.fill("#x", "ok");
      await page.waitForFunction(() => document.title === "One field");
      const zh = await open("/forms/user-filing.html");
      try {
        await ready(zh.page);
        const before = await zh.page.title();
        await zh.page.click("form[data-formseal] button[type=submit]");
        await zh.page.waitForSelector(".formseal-summary");
        assert.equal(await zh.page.title(), `错误：${before}`);
      } finally {
        await zh.close();
      }
    } finally {
      await close();
    }
  });

  test("axe-core: every demo page has 0 violations, also with errors shown", { timeout: 300_000 }, async () => {
    const pages = readdirSync(join(REPO_DIR, "www"), { recursive: true }).map(String).filter((f) => f.endsWith(".html")).sort();
    assert.ok(pages.length >= 17, pages.join(", "));
    const context = await browser.newContext({ bypassCSP: true }); // to inject axe-core
    const axe = async (page) => {
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      assert.ok(result.passes.length > 10, "axe-core ran its rules");
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    };
    try {
      for (const rel of pages) {
        const { page } = await open(`/${rel.replace(/\\/g, "/")}`, { context });
        if (await page.locator("form[data-formseal]").count()) await ready(page);
        assert.deepEqual(await axe(page), [], `/${rel}`);
        if (rel.includes("forms/")) {
          await page.click("form[data-formseal] button[type=submit]");
          await page.waitForSelector(".formseal-summary");
          assert.deepEqual(await axe(page), [], `/${rel} with errors`);
        }
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  // ---- issue 13, items 10 and 11 ---------------------------------------------------------------

  test("drafts held ID numbers in localStorage with no expiry: sessionStorage by default, with an expiry", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="id_number"]', "11010519491231002X");
      await page.waitForTimeout(400);
      const stored = await page.evaluate(() => ({
        local: Object.keys(localStorage).filter((k) => k.startsWith("formseal:")),
        session: Object.entries(sessionStorage).filter(([k]) => k.startsWith("formseal:draft:")),
      }));
      assert.deepEqual(stored.local, []);
      assert.equal(stored.session.length, 1);
      const [[key, text]] = stored.session;
      const draft = JSON.parse(text);
      assert.ok(Date.parse(draft.expiresAt) > Date.now());
      // Expired: not restored, and gone.
      await page.evaluate(([k, d]) => sessionStorage.setItem(k, JSON.stringify({ ...d, expiresAt: new Date(Date.now() - 1000).toISOString() })), [key, draft]);
      await page.reload();
      await ready(page);
      assert.equal(await page.inputValue('[name="id_number"]'), "");
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), key), null);
    } finally {
      await close();
    }
  });

  test("messages quote the page's own label, and times in them are in the person's locale", async () => {
    const definition = {
      id: "labels", version: "1.0.0", title: { "zh-CN": "标签", en: "Labels" },
      fields: [{ name: "happened_at", kind: "datetime", required: true, label: { "zh-CN": "发生时间", en: "Time" } }],
      rules: [{ kind: "not_in_future", field: "happened_at" }],
    };
    const path = fixture("labels.html", definitionPage("Labels", definition,
      `<form id="f" action="/api/submissions"><label for="h">When the incident happened</label><input id="h" name="happened_at" type="datetime-local"><button type="submit">Send</button></form>`));
    const { page, close } = await open(path);
    try {
      await ready(page);
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      assert.match(await page.textContent(".formseal-summary a"), /“When the incident happened”/);
      await page.fill("#h", "2999-01-01T10:00");
      await page.click("button[type=submit]");
      await page.waitForSelector(".formseal-summary a[data-code=\"not_in_future\"]");
      const text = await page.textContent(".formseal-summary a");
      assert.match(text, /“When the incident happened”/);
      assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:/, `a raw RFC 3339 time in: ${text}`);
    } finally {
      await close();
    }
  });

  // ---- structure ---------------------------------------------------------------------------------

  test("destroy() removes what the upgrade added, and the form is left as it was", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      await page.fill('[name="mobile"]', "123");
      await page.click("form[data-formseal] button[type=submit]");
      await page.waitForSelector(".formseal-summary");
      await page.evaluate(async () => {
        const { upgradedForm } = await import("/pkg/embed.js");
        upgradedForm(document.querySelector("form[data-formseal]")).destroy();
      });
      const left = await page.evaluate(() => ({
        added: document.querySelectorAll("[class^='formseal-'], [class*=' formseal-']").length,
        invalid: document.querySelectorAll("[aria-invalid]").length,
        state: document.querySelector("form").getAttribute("data-formseal-state"),
        title: document.title.startsWith("错误"),
        value: document.querySelector('[name="mobile"]').value,
      }));
      assert.deepEqual(left, { added: 0, invalid: 0, state: null, title: false, value: "123" });
      // Its listeners are gone: leaving a bad field says nothing.
      await page.fill('[name="mobile"]', "12");
      await page.press('[name="mobile"]', "Tab");
      await page.waitForTimeout(200);
      assert.equal(await page.locator(".formseal-message").count(), 0);
    } finally {
      await close();
    }
  });

  test("destroy() left the control index observing the form: an abort listener registered with its own signal never runs", async () => {
    const { page, close } = await open("/forms/user-filing.html");
    try {
      await ready(page);
      const disconnected = await page.evaluate(async () => {
        const { upgradedForm } = await import("/pkg/embed.js");
        const disconnect = MutationObserver.prototype.disconnect;
        let n = 0;
        MutationObserver.prototype.disconnect = function () {
          n += 1;
          return disconnect.call(this);
        };
        try {
          upgradedForm(document.querySelector("form[data-formseal]")).destroy();
        } finally {
          MutationObserver.prototype.disconnect = disconnect;
        }
        return n;
      });
      assert.ok(disconnected >= 1, "the index's MutationObserver is disconnected");
    } finally {
      await close();
    }
  });
});

test("setIn and assemble follow own properties only and refuse __proto__/constructor/prototype (prototype pollution from a definition)", async () => {
  const { setIn, assemble } = await import(join(PKG_DIR, "embed", "controls.js"));
  const data = assemble([
    ["constructor.prototype.polluted", "yes"], ["__proto__.polluted", "yes"], ["constructor.assign", "gone"],
    ["a.b", "ok"], ["toString.x", "own"], ["list[1].name", "second"],
  ]);
  assert.equal(({}).polluted, undefined);
  assert.equal(typeof Object.assign, "function");
  assert.deepEqual(JSON.parse(JSON.stringify(data)), { a: { b: "ok" }, toString: { x: "own" }, list: [null, { name: "second" }] });
  assert.equal(setIn({}, ["__proto__", "x"], 1), false);
  assert.equal(setIn({}, ["prototype"], 1), false);
  const target = {};
  assert.equal(setIn(target, ["hasOwnProperty", "x"], 1), true);
  assert.deepEqual(target.hasOwnProperty, { x: 1 });
  // The built-in forms' data still comes out whole.
  const report = formseal.FormValidator.builtin("user-filing").validate(assemble([["full_name", "王小明"]]));
  assert.ok(!report.findings.some((f) => f.path === "full_name"));
});

test("a form's data assembled as a tree (one Array.from per list) is exactly what setIn makes: keys, order, holes, irregular names", async () => {
  const { assemble, assembleBySetIn, assembleByTree, prune } = await import(join(PKG_DIR, "embed", "controls.js"));
  // A small fixed generator (xorshift), so a failure names its case and comes back the same.
  let seed = 0x2545f491;
  const next = (n) => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const SEGMENTS = ["a", "b", "c", "constructor", "__proto__", 0, 1, 2, 4];
  const VALUES = [() => "x", () => "", () => null, () => undefined, () => ["p", "q"], () => [], () => ({ name: "f", sha256: "00" }), () => 7, () => true];
  let byTree = 0;
  for (let n = 0; n < 4000; n += 1) {
    const entries = Array.from({ length: 1 + next(8) }, () => [
      Array.from({ length: 1 + next(3) }, () => SEGMENTS[next(SEGMENTS.length)]), VALUES[next(VALUES.length)](),
    ]);
    const reference = assembleBySetIn(entries);
    const tree = assembleByTree(entries);
    if (tree === undefined) continue; // irregular names: assemble uses setIn
    byTree += 1;
    const label = `case ${n}: ${JSON.stringify(entries)}`;
    assert.deepStrictEqual(tree, reference, label); // holes differ from undefined here
    assert.equal(JSON.stringify(tree), JSON.stringify(reference), `${label} (key order)`);
    assert.deepStrictEqual(assemble(entries), prune(reference, true)[0] ?? {}, label);
  }
  assert.ok(byTree > 800, `a fifth of the cases or more are plain trees (${byTree})`);
  // A list of values: blank when every item there is empty, holes skipped; items that are objects pruned each.
  assert.deepStrictEqual(prune([, ""]), [[, ""], true]); // eslint-disable-line no-sparse-arrays
  assert.deepStrictEqual(prune([undefined]), [[undefined], false]);
  assert.deepStrictEqual(prune(["", null]), [["", null], true]);
  assert.deepStrictEqual(prune([{ a: "" }, { a: "x" }]), [[null, { a: "x" }], false]);
  // The bench's shape: 5 lists of 1,000.
  const many = [];
  for (let l = 0; l < 5; l += 1) for (let i = 0; i < 1000; i += 1) many.push([`m${l}[${i}]`, i % 7 ? "13912345678" : ""]);
  assert.deepStrictEqual(assembleByTree(many), assembleBySetIn(many));
});

test("MAX_VALUE_CHARS was a copy of src/limits.rs's in the embed: the embed refuses exactly what the module cannot check", async () => {
  const { MAX_VALUE_CHARS } = await import(join(PKG_DIR, "embed", "limits.js"));
  const validator = formseal.FormValidator.fromDefinition({
    id: "long", version: "1.0.0", title: { "zh-CN": "长", en: "Long" },
    fields: [{ name: "note", kind: "text", label: { "zh-CN": "备注", en: "Note" } }],
  });
  const over = validator.validate({ note: "x".repeat(MAX_VALUE_CHARS + 1) }).findings;
  assert.deepEqual(over.map((f) => [f.code, f.params?.max]), [["too_long", MAX_VALUE_CHARS]], "the module's own limit is the embed's");
  assert.deepEqual(validator.validate({ note: "x".repeat(MAX_VALUE_CHARS) }).findings, []);
  validator.free();
});
