// Turns bench/out/*.json and criterion's estimates into bench/results/latest.md and
// bench/results/chart.svg. Every ratio in the file comes from one run of `make bench`.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, statSync } from "node:fs";
import { execSync } from "node:child_process";
import { cpus, totalmem, loadavg, release } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GAPS } from "./peers/rules.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const json = (p) => JSON.parse(readFileSync(p, "utf8"));
const node = json(join(here, "out/node.json"));
const browser = json(join(here, "out/browser.json"));
const size = json(join(here, "out/size.json"));
// The counting-allocator bench (benches/allocations.rs) and the jsonschema peer
// (benches/jsonschema-peer); absent when run.sh was not run to its end.
const allocs = existsSync(join(here, "out/allocations.json")) ? json(join(here, "out/allocations.json")) : null;
const jschema = existsSync(join(here, "out/jsonschema.json")) ? json(join(here, "out/jsonschema.json")) : null;
// The embed with a form of 5,000 controls (bench/embed.mjs); absent when run.sh was not run to its end.
const embed = existsSync(join(here, "out/embed.json")) ? json(join(here, "out/embed.json")) : null;
const jsonschemaVersion = (() => {
  try {
    const lock = readFileSync(join(root, "benches/jsonschema-peer/Cargo.lock"), "utf8");
    return /name = "jsonschema"\nversion = "([^"]+)"/.exec(lock)?.[1] ?? "?";
  } catch { return "?"; }
})();
const sh = (cmd) => { try { return execSync(cmd, { cwd: root, encoding: "utf8", env: { ...process.env, PATH: `${join(root, "tests/js/node_modules/.bin")}:${process.env.PATH}` } }).trim(); } catch { return "?"; } };

// criterion: target/criterion/<group>/<bench>/new/{benchmark,estimates}.json; median in ns.
const native = {};
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    if (name === "new" && existsSync(join(p, "benchmark.json"))) {
      const b = json(join(p, "benchmark.json"));
      const e = json(join(p, "estimates.json"));
      native[b.full_id] = { median: e.median.point_estimate, lo: e.median.confidence_interval.lower_bound, hi: e.median.confidence_interval.upper_bound };
    } else walk(p);
  }
}
if (existsSync(join(root, "target/criterion"))) walk(join(root, "target/criterion"));

const n0 = (x) => Math.round(x).toLocaleString("en-US");
const n1 = (x) => x.toFixed(1);
const n2 = (x) => x.toFixed(2);
const us = (ns) => (ns / 1000 >= 100 ? n0(ns / 1000) : (ns / 1000).toFixed(ns / 1000 >= 10 ? 1 : 2));
const ratio = (a, b) => `${a / b < 0.1 ? (a / b).toPrecision(2) : (a / b).toFixed(2)}×`;
const kb = (b) => `${(b / 1000).toFixed(1)} kB`;
const met = (ok) => (ok ? "**met**" : "**missed**");
const peers = ["ajv", "zod", "valibot"];
const PEER = { formseal: "formseal (wasm, Node)", ajv: "Ajv (compiled)", zod: "Zod", valibot: "Valibot" };

const m = node.medians;
const fsValid = m["valid/formseal"], fsInvalid = m["invalid/formseal"];
const bestPeer = (kind) => Math.max(...peers.map((p) => m[`${kind}/${p}`]));
const nat = (id) => native[id]?.median;
// Native ops/s from the Node run's own rotation (benches/throughput.rs) when present: the same
// minutes as the peers; otherwise criterion's median.
const nativeValidOps = m["valid/native"] ?? (nat("validate/network-unit-filing/valid") ? 1e9 / nat("validate/network-unit-filing/valid") : NaN);
const nativeInvalidOps = m["invalid/native"] ?? (nat("validate/network-unit-filing/invalid") ? 1e9 / nat("validate/network-unit-filing/invalid") : NaN);
// What a page downloads before its first validation is the package's web module as shipped: it
// holds sealing too (issue 15's split is not built), so the forms-only build is reported beside it
// as what that split would leave, never in its place.
const firstPage = size.formseal.full.total;
const formsOnlyNote = size.formseal.formsOnly ? `; a forms-only build ${kb(size.formseal.formsOnly.total.gzip)}` : "";
// The same bytes as `firstPage` while the package ships one module; two names for two budgets.
const everything = firstPage;
const cold = browser.cold.formseal.median;
const fieldP99 = browser.field.formseal.p99 * 1000;
const fieldP50 = browser.field.formseal.p50 * 1000;
const allocValid = allocs?.["network-unit-filing/valid"], allocInvalid = allocs?.["network-unit-filing/invalid"];
const jm = jschema?.medians_ns;
const embedSubmit = embed?.submit_ms.median, embedKey = embed?.keystroke_ms;
// Speed ratio formseal/jsonschema: above 1× formseal is faster (the budget).
const jsRatio = (kind) => jm ? jm[`${kind}/jsonschema`] / jm[`${kind}/formseal`] : NaN;

const budgets = [
  ["bytes before the first validation (wasm + glue, gzip)", "≤ 200 KB", `${kb(firstPage.gzip)} gzip, ${kb(firstPage.brotli)} brotli (the package's one module, sealing included${formsOnlyNote})`, met(firstPage.gzip <= 200_000), `${n2(firstPage.gzip / 200_000)}× the budget`],
  ["everything, sealing included (gzip)", "≤ 260 KB", `${kb(everything.gzip)} gzip, ${kb(everything.brotli)} brotli`, met(everything.gzip <= 260_000), `${n2(everything.gzip / 260_000)}× the budget`],
  ["cold start in Chromium (fetch, compile, instantiate, first full validation)", "≤ 30 ms", `${n1(cold)} ms median of ${browser.cold.formseal.runs} (Ajv: ${n1(browser.cold.ajv.median)} ms)`, met(cold <= 30), `${n2(cold / 30)}× the budget`],
  ["one field as typed, in Chromium", "p50 ≤ 2 µs, p99 ≤ 50 µs", `p50 ${n1(fieldP50)} µs, p99 ${n0(fieldP99)} µs (Ajv: p50 ${n1(browser.field.ajv.p50 * 1000)} µs, p99 ${n0(browser.field.ajv.p99 * 1000)} µs)`, met(fieldP50 <= 2 && fieldP99 <= 50), `p50 ${n2(fieldP50 / 2)}×, p99 ${n2(fieldP99 / 50)}× the budget`],
  ...(embed ? [
    [`submit of a ${n0(embed.controls)}-control form (embed, Chromium)`, "≤ 100 ms", `${n1(embedSubmit)} ms median of ${embed.runs} (${n0(embed.errors)} errors: the summary and every field's message in the page; the frame showing them painted at ${n1(embed.submit_painted_ms.median)} ms)`, met(embedSubmit <= 100), `${n2(embedSubmit / 100)}× the budget`],
    ["keystroke in that form (embed, Chromium)", "≤ 5 ms", `median ${n1(embedKey.median)} ms, p95 ${n1(embedKey.p95)} ms of ${n0(embedKey.count)}${embed.recheck_after_pause_ms ? ` (the field's check once typing pauses: ${n1(embed.recheck_after_pause_ms.median)} ms median)` : ""}`, met(embedKey.p95 <= 5), `p95 ${n2(embedKey.p95 / 5)}× the budget`],
  ] : []),
  ["a whole form from JavaScript vs Ajv, same rules", "≥ 1× Ajv", `valid ${ratio(fsValid, m["valid/ajv"])}, invalid ${ratio(fsInvalid, m["invalid/ajv"])} of Ajv's ops/s`, met(fsValid >= m["valid/ajv"] && fsInvalid >= m["invalid/ajv"]), ""],
  ...(jm ? [["native validation of a whole form vs the Rust `jsonschema` crate on the equivalent JSON Schema, same process", "faster (> 1×)", `valid ${ratio(jm["valid/jsonschema"], jm["valid/formseal"])}, invalid ${ratio(jm["invalid/jsonschema"], jm["invalid/formseal"])} jsonschema's speed (formseal ${us(jm["valid/formseal"])} / ${us(jm["invalid/formseal"])} µs, jsonschema ${us(jm["valid/jsonschema"])} / ${us(jm["invalid/jsonschema"])} µs)`, met(jsRatio("valid") > 1 && jsRatio("invalid") > 1), `formseal takes ${n2(1 / jsRatio("valid"))}× jsonschema's time (valid)`]] : []),
  ...(allocValid ? [["allocations per whole-form validation (`network-unit-filing`)", "≤ 60", `\`validate\` ${n0(allocValid.allocations)} valid, ${n0(allocInvalid.allocations)} invalid (${n0(allocValid.bytes)} / ${n0(allocInvalid.bytes)} bytes)${allocValid.check !== undefined ? `; \`check\` (no messages) ${n0(allocValid.check)} / ${n0(allocInvalid.check)}, of which the normalised document alone ${n0(allocValid.normalized)} / ${n0(allocInvalid.normalized)}` : ""}`, met(allocValid.allocations <= 60 && allocInvalid.allocations <= 60), `${n2(allocValid.allocations / 60)}× the budget`]] : []),
  ["native validation of a whole form vs the JS peers", "≥ 5×", `valid ${ratio(nativeValidOps, bestPeer("valid"))}, invalid ${ratio(nativeInvalidOps, bestPeer("invalid"))} the fastest peer`, met(nativeValidOps >= 5 * bestPeer("valid") && nativeInvalidOps >= 5 * bestPeer("invalid")), ""],
];

const lines = [];
const P = (s = "") => lines.push(s);
P("# formseal benchmarks: latest run");
P();
P(`Written by \`make bench\` (bench/report.mjs) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC from commit \`${sh("git rev-parse --short HEAD")}\`${sh("git status --porcelain -- src Cargo.toml") ? " (with uncommitted changes)" : ""}. Every ratio below is from this one run.`);
P();
P("## Machine and versions");
P();
P(`- CPU: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores; RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Linux ${release()}; load average at the end ${loadavg().map(n2).join(", ")} (the machine is shared with other work)`);
P(`- ${sh("rustc -V")}; wasm-bindgen ${sh("wasm-bindgen --version").replace("wasm-bindgen ", "")}; ${sh("wasm-opt --version")}`);
P(`- Node ${node.node}; Chromium ${browser.chromium} (headless, playwright-core)`);
P(`- peers: ${Object.entries(size.versions).map(([k, v]) => `${k} ${v}`).join(", ")}; Rust jsonschema ${jsonschemaVersion}`);
P(`- runs: Node ${node.rounds} alternating rounds of ${node.msPerSample} ms per implementation and case (medians); Chromium ${browser.cold.formseal.runs} cold starts each, alternating, fresh context each; ${n0(browser.field.formseal.calls)} field calls each; criterion 30 samples (median)`);
P();
P("## Budgets (docs/budgets.md)");
P();
P("| what | budget | measured | | |");
P("|---|---|---|---|---|");
for (const b of budgets) P(`| ${b.join(" | ")} |`);
P();
P("### Why the missed budgets are missed, and what it would take");
P();
const cs = browser.cold.formseal.marks;
P(`- **Bytes** (${n2(firstPage.gzip / 200_000)}× the 200 KB budget before the first validation): the package's one module holds the forms, the definition compiler and sealing; a forms-only build's wasm is ${kb(size.formseal.formsOnly?.wasm.gzip ?? size.formseal.full.wasm.gzip)} gzip by itself. \`jiff\`, \`serde_path_to_error\` and \`unicode-script\` are gone (changes.md 7-9); what remains is ICU4X normalisation and properties data behind \`idna\`, \`url\`, \`regex\` with the definition compiler, and formseal's own code (ARCHITECTURE.md, Size). Issue 15's items 1-2 would close most of the rest: the built-in forms compiled ahead of time and the compiler, \`regex\` and sealing in modules loaded on first use. The JavaScript stacks are ${n2(firstPage.gzip / size.peers["Ajv + ajv-formats + ajv-i18n (zh) + tldts"].gzip)}× (Ajv stack), ${n2(firstPage.gzip / size.peers["Zod 4 + zh-CN locale"].gzip)}× (Zod) and ${n2(firstPage.gzip / size.peers.Valibot.gzip)}× (Valibot) smaller because they lean on the browser for IDNA and URLs.`);
P(`- **Cold start** (${n2(cold / 30)}× the 30 ms budget; Ajv's bundle takes ${n2(browser.cold.ajv.median / cold)}× formseal's time on the same machine): importing the glue ${n1(cs.import)} ms, fetching, compiling and instantiating ${kb(size.formseal.full.wasm.raw)} of wasm ${n1(cs.init)} ms, compiling the form definition ${n1(cs.compile)} ms, the first validation ${n1(cs.validate)} ms (code V8 compiles lazily and runs in its baseline tier first; the message catalogue is a static table since changes.md 16, nothing is parsed). In Node (measured once, changes.md 16), \`--liftoff-only\` made the form's compile 14 ms instead of about 40: much of the first calls is V8 compiling the module's functions, the definition compiler's largest among them (\`Compiler::field\` is 54 KB of code). Smaller wasm and the built-in forms compiled ahead of time (issue 15) would both cut it; the ratio to Ajv is the number to trust on this shared machine.`);
P(`- **One field as typed** (p50 ${n1(fieldP50)} µs, p99 ${n0(fieldP99)} µs): \`validateField\` now walks only what the field's findings depend on (field.rs: the field, the fields its conditions and rules read, and whether its group's other fields are empty); natively that is ${nat("field/principal.mobile/alone") ? `${us(nat("field/principal.mobile/alone"))} µs alone and ${us(nat("field/principal.mobile/with-data"))} µs with the document` : "criterion's field/* figures"}. What remains in Chromium: the wasm built at opt-level "z" (the engine's small functions, \`Chars::next\` among them, are calls: formseal's own code at opt-level 3 made a field check 0.63 of the time in Node for 80 KB gzip more, changes.md 15), and the crossing, which is one call each way since changes.md 14 (the value and path read, the findings written as one byte stream and one text; a \`--cpu-prof\` puts the text's \`TextDecoder\` call at 9% of a field check and building the objects at 9%). On a shared machine (load average ${loadavg().map(n2).join(", ")} at the end of this run, ${cpus().length} cores) the tail also carries descheduling.`);
P(`- **Throughput from JavaScript** (${ratio(fsValid, m["valid/ajv"])} of Ajv): formseal in wasm runs ${n1(nativeValidOps / fsValid)}× slower than natively. Per call the document crosses twice (\`JSON.stringify\` and serde_json in; the report with its normalised document out as one byte stream and one text, changes.md 14), the code is built at opt-level "z" for size (formseal's own code at opt-level 3 is 1.3-1.7× faster and 80 KB gzip larger, changes.md 15), and formseal renders every message with label and legal basis and returns the normalised document, which the peers do not produce. Natively formseal is ${ratio(nativeValidOps, m["valid/ajv"])} Ajv.`);
if (jm) P(`- **Native vs the Rust \`jsonschema\` crate** (${ratio(jm["valid/jsonschema"], jm["valid/formseal"])} its speed on the valid example, ${ratio(jm["invalid/jsonschema"], jm["invalid/formseal"])} on the invalid one): the schema checks less (no check characters, normalisation, field comparisons, times or warnings: its section below), and jsonschema returns errors without rendering them or building an output document. A perf profile of \`Form::validate\` on the valid example (benches/throughput.rs, \`perf record --call-graph dwarf\`) puts about a third of the time in the identifier checks (domains through UTS #46 about half of that), a fifth in building and dropping the normalised document (a map entry, a key and a value string per field), a seventh in the cross-field rules (the certificate number checked as its type), and 7% in rendering. The overlay (changes.md 12) took the document out of \`check\`; \`validate\` still builds it as a \`Value\` for its \`Report\`. What would close the rest: identifier checks that skip the work the engine does not use (the display forms of org codes, e-mails and URLs are computed and dropped), finding parameters with static keys instead of a \`serde_json::Map\`, and a \`Report\` that can borrow from the data.`);
if (allocValid) P(`- **Allocations** (${n0(allocValid.allocations)} per valid \`validate\`, ${n0(allocInvalid.allocations)} per invalid, budget 60${allocValid.check !== undefined ? `; \`check\` without messages ${n0(allocValid.check)}` : ""}): \`check\` keeps the normalised data as an overlay on the input (changes.md 12); \`validate\` still makes it as a \`serde_json::Value\` for its \`Report\`${allocValid.normalized !== undefined ? ` (${n0(allocValid.normalized)} allocations, as a clone of it shows)` : ""}, which the JavaScript façade does not. Identifier checks borrow their input when it is already normal (changes.md 13), dates too (16). What \`check\` still allocates: the deadline findings' parameters (owned keys and values of a \`serde_json::Map\`, public in \`Finding\`), the attachment's metadata object, the overlay's group and list vectors, the normal forms of values that change (a mobile's \`+86…\`, a domain's A-label, a URL's serialisation) (valgrind dhat, changes.md 16). The first call in a process makes ${n0(allocValid.first)} (the catalogue and the bases are static tables since changes.md 16; 637 before).`);
P(`- **Native vs the JS peers** (${ratio(nativeValidOps, bestPeer("valid"))} the fastest peer, budget 5×): the same profile as against jsonschema; the peers skip the messages, legal bases, normalisation and ordering.`);
P();
P(`## A whole form from JavaScript: \`${node.form}\`, one Node process`);
P();
P("Operations per second (median); ratio = formseal / peer (above 1× formseal is faster).");
P();
P("| implementation | valid example | invalid example | formseal/peer (valid) | formseal/peer (invalid) |");
P("|---|---:|---:|---:|---:|");
for (const k of ["formseal", ...peers]) {
  P(`| ${PEER[k]} | ${n0(m[`valid/${k}`])} | ${n0(m[`invalid/${k}`])} | ${k === "formseal" ? "" : ratio(fsValid, m[`valid/${k}`])} | ${k === "formseal" ? "" : ratio(fsInvalid, m[`invalid/${k}`])} |`);
}
P(`| formseal native (${m["valid/native"] ? "in the same rotation, benches/throughput.rs" : "criterion"}) | ${n0(nativeValidOps)} | ${n0(nativeInvalidOps)} | ${ratio(nativeValidOps, m["valid/ajv"])} vs Ajv | ${ratio(nativeInvalidOps, m["invalid/ajv"])} vs Ajv |`);
P();
const agree = Object.entries(node.agreement).map(([kind, r]) => `${kind}: ${Object.entries(r).map(([k, v]) => `${k} ${v.errors} errors/${v.warnings} warnings`).join(", ")}`);
P(`Same verdicts on the same data (checked before timing): ${agree.join("; ")}.`);
P();
P("What formseal does in that time that the peers do not, or cannot, express:");
P();
for (const g of GAPS) P(`- ${g}`);
P("- formseal also renders every message from its catalogue with the field's label and the legal basis, sorts findings into form order, and returns the normalised document; Ajv's messages come from ajv-i18n and say nothing about the field (`应当匹配格式 \"cn-mobile\"`), custom keywords get a generic text");
P("- Ajv compiles its schema with `new Function`, so a page needs `'unsafe-eval'` in its CSP (or a standalone build step, which custom keywords with functions complicate); formseal needs only `'wasm-unsafe-eval'`");
P();
P("## Native (criterion, opt-level 3, LTO)");
P();
P("The wasm column is formseal's package in Node, each form alone, measured minutes after criterion under whatever load the machine had then: indicative only. The native/JS ratios quoted above come from the one Node rotation.");
P();
P("| benchmark | median | ops/s | formseal in Node (wasm) ops/s | native/wasm |");
P("|---|---:|---:|---:|---:|");
for (const [id, e] of Object.entries(native).sort()) {
  const form = id.startsWith("validate/") ? id.slice("validate/".length) : null;
  const wasm = form ? node.allForms[form] : null;
  P(`| ${id} | ${us(e.median)} µs | ${n0(1e9 / e.median)} | ${wasm ? n0(wasm) : ""} | ${wasm ? ratio(1e9 / e.median, wasm) : ""} |`);
}
P();
if (jschema) {
  P(`## Native peer: the Rust \`jsonschema\` crate, one process (\`${jschema.form}\`)`);
  P();
  P(`benches/jsonschema-peer: formseal and jsonschema ${jsonschemaVersion} (\`should_validate_formats(true)\`) on the equivalent JSON Schema (network-unit-filing.schema.json there), ${jschema.rounds} alternating rounds of ${jschema.msPerSample} ms per implementation and case in one process; median time per call. Speed ratio = formseal's speed / the peer's (above 1× formseal is faster). formseal is built there with \`regex\`'s Unicode and \`perf\` features, which jsonschema switches on (its Cargo.toml says why it is a crate of its own).`);
  P();
  P("| implementation | valid example | invalid example | formseal/peer (valid) | formseal/peer (invalid) |");
  P("|---|---:|---:|---:|---:|");
  for (const [k, label] of [["formseal", "formseal `Form::validate`"], ["jsonschema", "jsonschema `iter_errors` (every error)"], ["jsonschema-is-valid", "jsonschema `is_valid`"]]) {
    P(`| ${label} | ${us(jm[`valid/${k}`])} µs | ${us(jm[`invalid/${k}`])} µs | ${k === "formseal" ? "" : ratio(jm[`valid/${k}`], jm["valid/formseal"])} | ${k === "formseal" ? "" : ratio(jm[`invalid/${k}`], jm["invalid/formseal"])} |`);
  }
  P();
  const v = jschema.verdicts;
  P(`Verdicts checked before timing: valid: formseal ${v.valid.formseal_errors} errors/${v.valid.formseal_warnings} warnings, jsonschema ${v.valid.jsonschema_errors} errors; invalid: formseal ${v.invalid.formseal_errors} errors/${v.invalid.formseal_warnings} warnings, jsonschema ${v.invalid.jsonschema_errors} errors (${v.invalid.jsonschema.map((e) => `\`${e.split(" ")[0] || "/"}\``).join(", ")}). The schema checks less than formseal: no check characters, normalisation, uniqueness after normalisation, field comparisons, times or warnings (the list is in benches/jsonschema-peer/src/main.rs).`);
  P();
}
if (allocs) {
  P("## Allocations per whole-form validation (benches/allocations.rs)");
  P();
  P(`A counting global allocator (\`stats_alloc\` over the system allocator) around one \`Form::validate\` call on a parsed document, the report dropped inside the count; the form compiled and one call made before counting. Every one of ${allocValid?.calls ?? "the"} calls per case allocated the same; exact counts, independent of the machine's load.`);
  P();
  P("| form/example | allocations | reallocations | bytes (allocated, and grown by reallocation) | findings |");
  P("|---|---:|---:|---:|---:|");
  for (const [id, a] of Object.entries(allocs)) P(`| ${id} | ${n0(a.allocations)} | ${n0(a.reallocations)} | ${n0(a.bytes)} | ${a.findings} |`);
  P();
}
P("## Chromium");
P();
P("Cold start: from the first line of the page's module to the first full-form validation result, with nothing cached (`Cache-Control: no-store`, a new browser context per run); milliseconds, median of the runs (min–max).");
P();
P("| | total | import glue / bundle | fetch + compile + instantiate wasm | compile the form | first validation |");
P("|---|---:|---:|---:|---:|---:|");
for (const k of ["formseal", "ajv"]) {
  const c = browser.cold[k];
  P(`| ${k === "ajv" ? "Ajv bundle (esbuild)" : "formseal web build"} | ${n1(c.median)} (${n1(c.min)}–${n1(c.max)}) | ${n1(c.marks.import)} | ${n1(c.marks.init)} | ${n1(c.marks.compile)} | ${n1(c.marks.validate)} |`);
}
P();
P("One field as typed (`principal.mobile`, the number typed digit by digit, with and without spaces), each call timed with `performance.now()` in a cross-origin-isolated page (5 µs resolution): microseconds.");
P();
P("| | p50 | p90 | p95 | p99 | max | mean |");
P("|---|---:|---:|---:|---:|---:|---:|");
for (const k of ["formseal", "ajv"]) {
  const f = browser.field[k];
  const q = (x) => (x === undefined ? "" : n0(x * 1000));
  P(`| ${k === "ajv" ? "Ajv (the field's own compiled schema)" : "formseal `validateField`"} | ${q(f.p50)} | ${q(f.p90)} | ${q(f.p95)} | ${q(f.p99)} | ${q(f.max)} | ${n1(f.mean * 1000)} |`);
}
P();
if (embed) {
  P(`The embed (\`formseal/embed\`) upgrading a form of ${n0(embed.controls)} controls (5 lists of 1,000 mobile numbers, ${n0(embed.errors)} of them wrong; bench/embed.mjs), a fresh browser context per run, ${embed.runs} runs: a submit from \`requestSubmit()\` to the summary (${embed.shown?.links ?? "?"} errors listed, the rest counted) and ${n0(embed.shown?.messages ?? 0)} field messages in the page, and to the next frame painted; a keystroke in a field in error (the input handler); the check of that field once typing pauses. Milliseconds.`);
  P();
  P("| | median | max / p95 |");
  P("|---|---:|---:|");
  P(`| submit, to the summary in the page | ${n1(embedSubmit)} | ${n1(embed.submit_ms.max)} (max) |`);
  P(`| submit, to the frame that shows it painted | ${n1(embed.submit_painted_ms.median)} | ${n1(embed.submit_painted_ms.max)} (max) |`);
  P(`| keystroke (${n0(embedKey.count)}) | ${n1(embedKey.median)} | ${n1(embedKey.p95)} (p95) |`);
  if (embed.recheck_after_pause_ms) P(`| the field's check once typing pauses (${n0(embed.recheck_after_pause_ms.count)}) | ${n1(embed.recheck_after_pause_ms.median)} | ${n1(embed.recheck_after_pause_ms.max)} (max) |`);
  P();
  if (embed.split_ms) {
    const sp = embed.split_ms;
    P(`Traced (\`--split\`, medians): of a ${n1(sp.submit)} ms submit, the module's \`validate()\` ${n1(sp.validate)} ms, style and layout forced inside it ${n1(sp.forced_style_layout)} ms, the embed's own work and DOM writes ${n1(sp.embed)} ms; then the frame's style and layout ${n1(sp.frame_style_layout)} ms and paint ${n1(sp.frame_paint)} ms.`);
    P();
  }
}
P("## Bytes");
P();
P("Minified JavaScript from esbuild (`--bundle --minify`, ESM, browser); formseal's web build as `make pkg` makes it (wasm-opt -Oz). gzip -9 and brotli -q 11 (Node's zlib).");
P();
P("| what a page downloads | raw | gzip | brotli |");
P("|---|---:|---:|---:|");
const row = (name, s) => P(`| ${name} | ${n0(s.raw)} | ${n0(s.gzip)} | ${n0(s.brotli)} |`);
if (size.formseal.formsOnly) {
  row("formseal, forms only (`--no-default-features`): wasm", size.formseal.formsOnly.wasm);
  row("formseal, forms only: JS glue", size.formseal.formsOnly.glue);
  row("formseal, forms only: wasm + glue (what the split of issue 15 would leave)", size.formseal.formsOnly.total);
  row("**formseal before the first validation** (the package's module, sealing included): wasm + glue", size.formseal.full.total);
  row("what sealing adds", size.formseal.sealAdds);
} else {
  row("formseal (default features): wasm + glue", size.formseal.full.total);
}
for (const [name, s] of Object.entries(size.peers)) row(name, s);
P();
if (size.formseal.sealAdds && Math.abs(size.formseal.sealAdds.gzip) < 5_000) {
  P(`Sealing adds only ${n0(size.formseal.sealAdds.gzip)} bytes gzip here because the wasm façade (src/wasm.rs) does not call any sealing code yet, so the linker drops it; once seal/verify/generateKey are exported, the same \`make bench\` measures what they add (natively the \`seal\` feature brings Ed25519, P-256, SM2/SM3, SHA-2 and JCS).`);
  P();
}
P("The peers' bundles include the same rule functions as the benchmarks (`bench/peers/`); tldts is the domain library (public-suffix list) a portal would add for registrable-domain checks. jose signs with WebCrypto (Ed25519, ES256); sm-crypto brings SM2/SM3 in JavaScript.");
P();
P("## README budget table");
P();
P("| what | budget | measured | vs the JavaScript peers |");
P("|---|---|---|---|");
P(`| bytes before the first validation (gzip) | ≤ 200 KB | ${kb(firstPage.gzip)} (brotli ${kb(firstPage.brotli)}): missed ${n2(firstPage.gzip / 200_000)}×; the package's one module holds sealing too${formsOnlyNote} | Ajv stack ${kb(size.peers["Ajv + ajv-formats + ajv-i18n (zh) + tldts"].gzip)}, Zod ${kb(size.peers["Zod 4 + zh-CN locale"].gzip)}, Valibot ${kb(size.peers.Valibot.gzip)} |`);
P(`| everything, sealing included (gzip) | ≤ 260 KB | ${kb(everything.gzip)} | + jose ${kb(size.peers["jose (FlattenedSign, flattenedVerify, importJWK)"].gzip)}, sm-crypto ${kb(size.peers["sm-crypto (sm2, sm3)"].gzip)} |`);
P(`| cold start in Chromium | ≤ 30 ms | ${n1(cold)} ms | Ajv ${n1(browser.cold.ajv.median)} ms |`);
P(`| one field as typed, Chromium | p50 ≤ 2 µs, p99 ≤ 50 µs | p50 ${n1(fieldP50)} µs, p99 ${n0(fieldP99)} µs | Ajv p50 ${n1(browser.field.ajv.p50 * 1000)} µs, p99 ${n0(browser.field.ajv.p99 * 1000)} µs |`);
if (embed) {
  P(`| submit of a ${n0(embed.controls)}-control form (embed, Chromium) | ≤ 100 ms | ${n1(embedSubmit)} ms | |`);
  P(`| keystroke in that form (embed, Chromium) | ≤ 5 ms | p95 ${n1(embedKey.p95)} ms | |`);
}
P(`| whole form from JS (\`${node.form}\`) | ≥ Ajv | ${n0(fsValid)} ops/s valid, ${n0(fsInvalid)} invalid | ${ratio(fsValid, m["valid/ajv"])} Ajv, ${ratio(fsValid, m["valid/zod"])} Zod, ${ratio(fsValid, m["valid/valibot"])} Valibot (valid) |`);
P(`| native whole form | ≥ 5× the JS peers | ${n0(nativeValidOps)} ops/s valid | ${ratio(nativeValidOps, bestPeer("valid"))} the fastest peer |`);
if (jm) P(`| native whole form vs Rust \`jsonschema\` | faster | ${us(jm["valid/formseal"])} µs valid, ${us(jm["invalid/formseal"])} µs invalid | ${ratio(jm["valid/jsonschema"], jm["valid/formseal"])} jsonschema's speed (valid), ${ratio(jm["invalid/jsonschema"], jm["invalid/formseal"])} (invalid) |`);
if (allocValid) P(`| allocations per whole-form validation | ≤ 60 | ${n0(allocValid.allocations)} valid, ${n0(allocInvalid.allocations)} invalid${allocValid.check !== undefined ? ` (without messages ${n0(allocValid.check)} / ${n0(allocInvalid.check)}; the normalised document alone ${n0(allocValid.normalized)} / ${n0(allocInvalid.normalized)})` : ""} | |`);
P();
if (existsSync(join(here, "results/changes.md"))) {
  P("## Changes made to meet the budgets");
  P();
  P("See [changes.md](changes.md): each change, and its before/after measured in one run.");
  P();
}
P("![chart](chart.png) (also [chart.svg](chart.svg))");
P();

// The chart: two panels of horizontal bars, throughput (Node) and gzip bytes.
function bars(title, items, unit, x0, y0, w) {
  const max = Math.max(...items.map((i) => i[1]));
  const out = [`<text x="${x0}" y="${y0}" font-weight="bold">${title}</text>`];
  items.forEach(([label, v, color], i) => {
    const y = y0 + 14 + i * 24;
    const bw = Math.max(1, ((w - 260) * v) / max);
    out.push(`<text x="${x0}" y="${y + 13}">${label}</text>`);
    out.push(`<rect x="${x0 + 190}" y="${y}" width="${bw.toFixed(1)}" height="18" fill="${color}"/>`);
    out.push(`<text x="${x0 + 196 + bw}" y="${y + 13}">${unit(v)}</text>`);
  });
  return { svg: out.join("\n"), height: y0 + 14 + items.length * 24 };
}
const C = { formseal: "#c0392b", ajv: "#2c7fb8", zod: "#41ab5d", valibot: "#8c6bb1", native: "#7f0000" };
const W = 760;
const panels = [
  bars("Whole form, valid example: validations per second (Node, higher is better)",
    [["formseal native", nativeValidOps, C.native], ...["formseal", ...peers].map((k) => [k === "formseal" ? "formseal wasm" : k, m[`valid/${k}`], C[k]])], n0, 10, 20, W),
  bars("Whole form, invalid example: validations per second (Node)",
    [["formseal native", nativeInvalidOps, C.native], ...["formseal", ...peers].map((k) => [k === "formseal" ? "formseal wasm" : k, m[`invalid/${k}`], C[k]])], n0, 10, 20, W),
  bars("Bytes before the first validation, gzip (lower is better)", [
    ["formseal (package)", firstPage.gzip, C.formseal],
    ["Ajv+formats+i18n+tldts", size.peers["Ajv + ajv-formats + ajv-i18n (zh) + tldts"].gzip, C.ajv],
    ["Zod + zh-CN", size.peers["Zod 4 + zh-CN locale"].gzip, C.zod],
    ["Valibot", size.peers.Valibot.gzip, C.valibot],
  ], kb, 10, 20, W),
  bars("Cold start in Chromium, ms, median (lower is better; budget 30 ms)", [
    ["formseal web build", cold, C.formseal],
    ["Ajv bundle", browser.cold.ajv.median, C.ajv],
  ], (v) => `${n1(v)} ms`, 10, 20, W),
];
let y = 0;
const body = panels.map((p) => { const g = `<g transform="translate(0 ${y})">${p.svg}</g>`; y += p.height + 10; return g; }).join("\n");
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results/chart.svg"), svg);
writeFileSync(join(here, "results/latest.md"), lines.join("\n"));
console.log(lines.join("\n"));
