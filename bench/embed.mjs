// The embed with a very large form, in headless Chromium (Debian's, driven by playwright-core): a
// definition of 5 lists of 1,000 mobile numbers (5,000 controls), 1,000 of them wrong. Measures
// (1) a submit, once the page is idle after the upgrade: from requestSubmit() to the summary and
// every field message in the page, and to the next frame painted; (2) a keystroke in a field in error (the synchronous input handler);
// (3) the check of that field once typing pauses (this embed defers it by RECHECK_MS; the embed
// before it ran it inside every keystroke). Not a test: figures only, medians of RUNS.
// Usage (after `make pkg`): node bench/embed.mjs [runs] [--embed path/to/another/embed.js] [--split]
//   --embed measures another version of embed.js (e.g. one from git history) against the same pkg/:
//   the page gets that file and, for each of its modules (/pkg/embed/*.js), the file of that name
//   in the `embed/` directory beside it when there is one (pkg/'s otherwise, e.g. limits.js).
//   --split also records a Chromium trace of each submit and splits its time: the module's
//   validate() (timed around FormValidator.prototype.validate), style and layout inside the submit
//   (forced by the page's JavaScript), the rest of the submit (the embed's own JavaScript and the
//   DOM writes), and the style, layout and paint of the frame that shows it. Tracing adds overhead.
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const args = process.argv.slice(2);
const embedAt = args.indexOf("--embed");
const EMBED = embedAt >= 0 ? resolve(args.splice(embedAt, 2)[1]) : undefined;
const splitAt = args.indexOf("--split");
const SPLIT = splitAt >= 0 && args.splice(splitAt, 1).length > 0;
const RUNS = Number(args[0] ?? 7);
const KEYS = 200;
const LISTS = 5;
const ITEMS = 1000;
const WRONG = 1000;

// playwright-core from bench/ (make bench installs it) or else from tests/js/ (make tools).
let playwright;
for (const from of [join(here, "package.json"), join(root, "tests/js/package.json")]) {
  try {
    playwright = createRequire(from)("playwright-core");
    break;
  } catch {
    // try the next
  }
}
if (!playwright) throw new Error("playwright-core is not installed: run `make tools`");

const definition = {
  id: "many-controls", version: "1.0.0", title: { "zh-CN": "很多栏目", en: "Many controls" },
  fields: Array.from({ length: LISTS }, (_, l) => ({
    name: `m${l}`, kind: "list", max_items: ITEMS, label: { "zh-CN": `手机 ${l}`, en: `Mobiles ${l}` },
    item: { kind: "mobile", label: { "zh-CN": "手机", en: "Mobile" } },
  })),
};
const controls = [];
for (let l = 0; l < LISTS; l += 1) {
  for (let i = 0; i < ITEMS; i += 1) {
    const wrong = l * ITEMS + i < WRONG;
    controls.push(`<div><label for="m${l}-${i}">Mobile ${l}.${i}</label><input id="m${l}-${i}" name="m${l}[${i}]" value="${wrong ? "1391234567" : "13912345678"}"></div>`);
  }
}
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Many controls</title>
<link rel="stylesheet" href="/pkg/embed.css"></head><body><main><h1>Many controls</h1>
<form id="f" action="/nowhere">${controls.join("\n")}<button type="submit">Send</button></form></main>
<script type="module">
import { upgrade } from "/pkg/embed.js?noauto";
window.__ready = upgrade(document.getElementById("f"), { definition: ${JSON.stringify(JSON.stringify(definition))}, drafts: false });
</script></body></html>`;

/** With --embed: where a request for /pkg/embed.js or /pkg/embed/<module>.js is served from. */
function swapped(path) {
  if (path === "/pkg/embed.js") return EMBED;
  const own = /^\/pkg\/embed\/([\w-]+\.js)$/.exec(path);
  if (own && existsSync(join(dirname(EMBED), "embed", own[1]))) return join(dirname(EMBED), "embed", own[1]);
  return normalize(join(pkg, path.replace(/^\/pkg\//, "")));
}

const TYPES = { ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
const pkg = join(root, "pkg");
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const headers = { "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
  if (path === "/") return res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" }).end(page);
  const file = EMBED ? swapped(path) : normalize(join(pkg, path.replace(/^\/pkg\//, "")));
  const inside = file.startsWith(pkg + sep) || (EMBED && (file === EMBED || file.startsWith(join(dirname(EMBED), "embed") + sep)));
  if (!path.startsWith("/pkg/") || !inside || !TYPES[extname(file)]) return res.writeHead(404, headers).end();
  try {
    const body = await readFile(file);
    return res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] }).end(body);
  } catch {
    return res.writeHead(404, headers).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Starts a Chromium trace of the page; the function it returns ends it and sums, on the page's main
 * thread, style recalculation and layout between the submit and the summary's insertion (forced by
 * JavaScript), and style, layout and paint from there to the frame painted.
 */
async function startTrace(p) {
  const cdp = await p.context().newCDPSession(p);
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  await cdp.send("Tracing.start", { categories: "devtools.timeline,blink.user_timing", transferMode: "ReportEvents" });
  return async () => {
    const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.end");
    await complete;
    const mark = (name) => events.find((e) => e.name === name);
    const [start, inserted, shown] = ["formseal-submit", "formseal-inserted", "formseal-painted"].map(mark);
    if (!start || !inserted || !shown) throw new Error("the trace lacks the submit's marks");
    const sum = (from, to, names) => events
      .filter((e) => e.ph === "X" && e.pid === start.pid && e.tid === start.tid && e.ts >= from && e.ts < to && names.includes(e.name))
      .reduce((ms, e) => ms + (e.dur ?? 0) / 1000, 0);
    const LAYOUT = ["UpdateLayoutTree", "Layout"];
    return {
      forced_style_layout: sum(start.ts, inserted.ts, LAYOUT),
      frame_style_layout: sum(inserted.ts, shown.ts, LAYOUT),
      frame_paint: sum(inserted.ts, shown.ts, ["PrePaint", "Paint", "Layerize", "Commit"]),
    };
  };
}

/** Medians of the split, and the submit's time left to the embed's own work and DOM writes. */
function splitMedians(rows) {
  const of = (f) => Math.round(median(rows.map(f)) * 10) / 10;
  return {
    submit: of((r) => r.submit),
    validate: of((r) => r.validate),
    forced_style_layout: of((r) => r.forced_style_layout),
    embed: of((r) => r.submit - r.validate - r.forced_style_layout),
    frame_style_layout: of((r) => r.frame_style_layout),
    frame_paint: of((r) => r.frame_paint),
  };
}

const browser = await playwright.chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const submits = [];
const painted = [];
const keys = [];
const rechecks = [];
/** @type {Record<string, number>[]} */
const splits = [];
let listed;
try {
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${base}/`);
    await p.evaluate(() => window.__ready);
    // A person presses submit on a page that is idle, not in the instant the form is upgraded (the
    // embed checks the form once when the page is first idle: form.js, warmUpWhenIdle).
    await p.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5000 })));
    const trace = SPLIT ? await startTrace(p) : undefined;
    const t = await p.evaluate((split) => new Promise((resolve) => {
      const form = document.getElementById("f");
      const validated = { ms: 0 };
      const timed = split ? import("/pkg/web/formseal.js").then(({ FormValidator }) => {
        const validate = FormValidator.prototype.validate;
        FormValidator.prototype.validate = function (...a) {
          const v0 = performance.now();
          try { return validate.apply(this, a); } finally { validated.ms += performance.now() - v0; }
        };
      }) : Promise.resolve();
      void timed.then(() => {
        performance.mark("formseal-submit");
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (!form.querySelector(".formseal-summary")) return;
          observer.disconnect();
          const t1 = performance.now();
          performance.mark("formseal-inserted");
          requestAnimationFrame(() => requestAnimationFrame(() => {
            performance.mark("formseal-painted");
            resolve({ inserted: t1 - t0, painted: performance.now() - t0, validate: validated.ms });
          }));
        });
        observer.observe(form, { childList: true });
        form.requestSubmit();
      });
    }), SPLIT);
    submits.push(t.inserted);
    painted.push(t.painted);
    if (trace) splits.push({ ...(await trace()), validate: t.validate, submit: t.inserted });
    listed = await p.evaluate(() => ({
      links: document.querySelectorAll(".formseal-summary a").length,
      messages: document.querySelectorAll(".formseal-message--error").length,
    }));
    // Keystrokes in a field in error: each re-checks the field against the whole form's data.
    const k = await p.evaluate((n) => {
      const c = document.querySelector('[name="m0[0]"]');
      const times = [];
      for (let i = 0; i < n; i += 1) {
        c.value = `1234${i % 10}`;
        const t0 = performance.now();
        c.dispatchEvent(new InputEvent("input", { bubbles: true }));
        times.push(performance.now() - t0);
      }
      return times;
    }, KEYS);
    keys.push(...k);
    // This embed checks a field in error again once typing pauses: the cost of that check.
    const r = await p.evaluate(async (n) => {
      const f = await window.__ready;
      if (typeof f.flushRechecks !== "function") return [];
      const times = [];
      for (let i = 0; i < n; i += 1) {
        const t0 = performance.now();
        f.check("m0[0]");
        times.push(performance.now() - t0);
      }
      return times;
    }, 20);
    rechecks.push(...r);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const round = (x) => Math.round(x * 10) / 10;
const result = {
  embed: EMBED ?? "pkg/embed.js",
  controls: LISTS * ITEMS, errors: WRONG, runs: RUNS, shown: listed,
  submit_ms: { median: round(median(submits)), max: round(Math.max(...submits)) },
  submit_painted_ms: { median: round(median(painted)), max: round(Math.max(...painted)) },
  keystroke_ms: { median: round(median(keys)), p95: round([...keys].sort((a, b) => a - b)[Math.floor(keys.length * 0.95)]), count: keys.length },
  ...(splits.length ? { split_ms: splitMedians(splits) } : {}),
  ...(rechecks.length ? { recheck_after_pause_ms: { median: round(median(rechecks)), max: round(Math.max(...rechecks)), count: rechecks.length } } : {}),
};
console.log(JSON.stringify(result, null, 2));
