// Headless Chromium (Debian's, driven by playwright-core): cold start and one field as typed, for
// formseal's web build and for the Ajv equivalent bundled with esbuild. Cold runs alternate
// between the two, each in a fresh browser context (no cache). Writes out/browser.json.
// Usage: node browser.mjs [cold runs] [field calls]
import { createServer } from "node:http";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const COLD = Number(process.argv[2] ?? 15);
const CALLS = Number(process.argv[3] ?? 5000);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// The Ajv peer as a browser would get it: one minified ES module.
await mkdir(join(here, "out/browser"), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, "peers/ajv.mjs")], bundle: true, minify: true, format: "esm", platform: "browser",
  outfile: join(here, "out/browser/ajv.js"), logLevel: "warning",
});

const mounts = [["/formseal/", join(root, "pkg/web")], ["/peer/", join(here, "out/browser")], ["/page/", join(here, "page")]];
const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path === "/") path = "/page/index.html";
  const mount = mounts.find(([p]) => path.startsWith(p));
  // Cross-origin isolated, so performance.now() has its fine resolution; no caching between runs.
  // No CSP here: Ajv compiles with `new Function`, which a CSP without 'unsafe-eval' refuses.
  const headers = { "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
  const file = mount && normalize(join(mount[1], path.slice(mount[0].length)));
  if (!mount || !file.startsWith(normalize(mount[1]) + sep) || !TYPES[extname(file)]) return res.writeHead(404, headers).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)], "Content-Length": body.length }).end(body);
  } catch {
    res.writeHead(404, headers).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const data = JSON.parse(readFileSync(join(root, "forms/examples/network-unit-filing.valid.json"), "utf8"));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
async function visit(impl, mode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((d) => { window.__data = d; }, data);
  await page.goto(`${base}/?impl=${impl}&mode=${mode}&n=${CALLS}`);
  await page.waitForFunction(() => window.__result, null, { timeout: 120_000 });
  const result = await page.evaluate(() => window.__result);
  await context.close();
  if (result.error) throw new Error(`${impl} ${mode}: ${result.error}`);
  if (!result.valid) throw new Error(`${impl}: the valid example was not valid`);
  return result;
}

const cold = { formseal: [], ajv: [] };
for (let i = 0; i < COLD; i++) {
  for (const impl of i % 2 ? ["ajv", "formseal"] : ["formseal", "ajv"]) cold[impl].push(await visit(impl, "cold"));
}
const field = {};
for (const impl of ["formseal", "ajv"]) field[impl] = await visit(impl, "field");
const chromiumVersion = browser.version();
await browser.close();
server.close();

const summary = (runs) => ({
  runs: runs.length,
  median: median(runs.map((r) => r.cold)),
  min: Math.min(...runs.map((r) => r.cold)),
  max: Math.max(...runs.map((r) => r.cold)),
  marks: Object.fromEntries(Object.keys(runs[0].marks).map((k) => [k, median(runs.map((r) => r.marks[k]))])),
});
const result = {
  chromium: chromiumVersion,
  cold: { formseal: summary(cold.formseal), ajv: summary(cold.ajv) },
  field: Object.fromEntries(Object.entries(field).map(([k, r]) => [k, {
    calls: r.fieldCalls, p50: r.p50, p90: r.p90, p95: r.p95, p99: r.p99, max: r.max, mean: r.fieldTotal / r.fieldCalls, isolated: r.isolated,
  }])),
};
await writeFile(join(here, "out/browser.json"), JSON.stringify(result, null, 1));
console.log(JSON.stringify(result, null, 1));
