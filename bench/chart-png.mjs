// Renders bench/results/chart.svg to chart.png beside it with Debian's Chromium (no network).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(here, "results/chart.svg"), "utf8");
const width = Number(/width="(\d+)"/.exec(svg)[1]);
const height = Number(/height="(\d+)"/.exec(svg)[1]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
await page.locator("svg").screenshot({ path: join(here, "results/chart.png") });
await browser.close();
