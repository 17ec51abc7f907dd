// formseal's package against Ajv, Zod and Valibot in one Node process, in alternating rounds (the
// order rotates each round), on the same built-in form and the same data. Writes out/node.json.
// Usage: node node.mjs [rounds] [ms per measurement]
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ajvPeer from "./peers/ajv.mjs";
import * as zodPeer from "./peers/zod.mjs";
import * as valibotPeer from "./peers/valibot.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);
const formseal = require(join(root, "pkg/node/formseal.js"));
const ROUNDS = Number(process.argv[2] ?? 15);
const MS = Number(process.argv[3] ?? 150);
const NOW = new Date("2005-06-01T10:00:00+08:00");
const FORM = "network-unit-filing";
const example = (id, kind) => JSON.parse(readFileSync(join(root, `forms/examples/${id}.${kind}.json`), "utf8"));

/** Operations per second of `fn` over about `ms` milliseconds. */
function opsPerSec(fn, ms) {
  let n = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    elapsed = performance.now() - start;
    if (elapsed < ms / 10) batch *= 2;
  }
  return (n * 1000) / elapsed;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const validator = formseal.FormValidator.builtin(FORM, { locale: "zh-CN" });
const peers = { ajv: ajvPeer.compile(), zod: zodPeer.compile(), valibot: valibotPeer.compile() };
const impls = {
  formseal: (d) => {
    const r = validator.validate(d, { now: NOW });
    return { valid: r.valid, errors: r.counts.errors, warnings: r.counts.warnings };
  },
  ...Object.fromEntries(Object.entries(peers).map(([k, run]) => [k, (d) => {
    const r = run(d, NOW);
    return { valid: r.valid, errors: r.errors.length, warnings: r.warnings.length };
  }])),
};

// The same verdicts first: every peer must find what formseal finds on both examples.
const agreement = {};
for (const kind of ["valid", "invalid"]) {
  const data = example(FORM, kind);
  agreement[kind] = Object.fromEntries(Object.entries(impls).map(([k, f]) => [k, f(data)]));
}

const cases = ["valid", "invalid"].map((kind) => ({ kind, data: example(FORM, kind) }));
// formseal compiled natively (benches/throughput.rs, built by run.sh): a process per sample, so
// it takes its turn in the same rotation and the native/JS ratio comes from the same minutes.
const NATIVE = process.env.NATIVE_BIN;
const native = NATIVE ? { native: null } : {};
const names = [...Object.keys(impls), ...Object.keys(native)];
const measure = (name, c) => name === "native"
  ? Number(execFileSync(NATIVE, [FORM, c.kind, String(MS)], { encoding: "utf8" }))
  : opsPerSec(() => impls[name](c.data), MS);
const samples = {};
for (const c of cases) for (const n of names) samples[`${c.kind}/${n}`] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + round) % names.length];
      samples[`${c.kind}/${name}`].push(measure(name, c));
    }
  }
}

// formseal alone on every built-in form (for the native/Node ratio), and one field.
const allForms = {};
for (const { id } of formseal.forms()) {
  const v = formseal.FormValidator.builtin(id);
  for (const kind of ["valid", "invalid"]) {
    const data = example(id, kind);
    const xs = [];
    for (let i = 0; i < Math.max(5, ROUNDS >> 1); i++) xs.push(opsPerSec(() => v.validate(data, { now: NOW }), MS / 2));
    allForms[`${id}/${kind}`] = median(xs);
  }
}

const result = {
  node: process.version,
  versions: Object.fromEntries(["ajv", "ajv-formats", "ajv-i18n", "zod", "valibot"].map((p) =>
    [p, JSON.parse(readFileSync(join(here, "node_modules", p, "package.json"), "utf8")).version])),
  form: FORM, rounds: ROUNDS, msPerSample: MS, agreement,
  medians: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)])),
  spread: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, [Math.min(...xs), Math.max(...xs)]])),
  allForms,
};
mkdirSync(join(here, "out"), { recursive: true });
writeFileSync(join(here, "out/node.json"), JSON.stringify(result, null, 1));
for (const [k, v] of Object.entries(result.medians)) console.log(k.padEnd(20), Math.round(v).toString().padStart(9), "ops/s");
