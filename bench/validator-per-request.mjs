// A validator made per request in a server, never freed (issue 16, item 5): does the wasm memory
// stay bounded? Loads pkg/web (its init() hands back the WebAssembly.Memory), then for each of
// N requests makes `FormValidator.builtin(id)` and validates the valid example, keeping no
// reference (as a handler would). Reports the wasm memory after every 10% of the requests and
// the time per request, then the same with `free()` and with `using`-style disposal.
//
//   node bench/validator-per-request.mjs [requests=100000] [pkg dir=pkg]
//
// Not part of `make test` (no timed assertions); the figures quoted in README.md come from
// running it (the old figures: the same script with the package built before the shared forms).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const requests = Number(process.argv[2] ?? 100_000);
const pkg = resolve(process.argv[3] ?? "pkg");
const api = await import(pathToFileURL(join(pkg, "web/formseal.js")).href);
const { memory } = await api.default({ module_or_path: readFileSync(join(pkg, "web/formseal_bg.wasm")) });
const { FormValidator } = api;
const examples = resolve(import.meta.dirname, "../forms/examples");
const valid = JSON.parse(readFileSync(join(examples, "user-filing.valid.json"), "utf8"));
const now = "2005-06-01T10:00:00+08:00";
const MiB = (b) => (b / 1024 / 1024).toFixed(1);

/** `yieldEvery`: return to the event loop after that many requests, as a server does between
 * requests (the FinalizationRegistry that frees unreferenced validators runs only then). */
async function run(label, handle, yieldEvery = 0) {
  const start = memory.buffer.byteLength;
  const t0 = process.hrtime.bigint();
  const marks = [];
  let failed = null;
  for (let i = 1; i <= requests; i++) {
    try {
      handle();
    } catch (e) {
      failed = `request ${i}: ${e?.name}: ${e?.message}`;
      break;
    }
    if (yieldEvery && i % yieldEvery === 0) await new Promise((r) => setImmediate(r));
    if (i % (requests / 10) === 0) marks.push(MiB(memory.buffer.byteLength));
  }
  const us = Number(process.hrtime.bigint() - t0) / 1000 / requests;
  console.log(`${label}: wasm memory ${MiB(start)} MiB → ${MiB(memory.buffer.byteLength)} MiB ` +
    `(after each 10%: ${marks.join(", ")}), ${us.toFixed(1)} µs a request${failed ? `; FAILED at ${failed}` : ""}`);
}

console.log(`node ${process.version}, ${requests} requests, package ${pkg}`);
await run("builtin() per request, never freed, the event loop turning every 100 requests", () => {
  FormValidator.builtin("user-filing").validate(valid, { now });
}, 100);
await run("builtin() per request, never freed, no turn of the event loop", () => {
  FormValidator.builtin("user-filing").validate(valid, { now });
});
await run("builtin() per request, free()", () => {
  const v = FormValidator.builtin("user-filing");
  v.validate(valid, { now });
  v.free();
});
await run("builtin() per request, [Symbol.dispose]() (what `using` calls)", () => {
  const v = FormValidator.builtin("user-filing");
  try {
    v.validate(valid, { now });
  } finally {
    v[Symbol.dispose]();
  }
});
