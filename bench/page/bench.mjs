// One page, two roles chosen by the query: `?impl=formseal|ajv&mode=cold|field`. Cold: from the
// first line of this module to the first full-form validation (glue or bundle fetched, wasm
// fetched, compiled and instantiated, form compiled, example validated). Field: one field as typed,
// thousands of calls, each timed (the page is cross-origin isolated, so performance.now() is fine
// grained). The result goes to window.__result.
const t0 = performance.now();
const q = new URLSearchParams(location.search);
const impl = q.get("impl");
const mode = q.get("mode");
const NOW = new Date("2005-06-01T10:00:00+08:00");
const data = window.__data;

async function load() {
  if (impl === "formseal") {
    const m = await import("/formseal/formseal.js");
    const tImport = performance.now();
    await m.default({ module_or_path: "/formseal/formseal_bg.wasm" });
    const tInit = performance.now();
    const v = m.FormValidator.builtin("network-unit-filing", { locale: "zh-CN" });
    const tCompile = performance.now();
    return {
      marks: { import: tImport - t0, init: tInit - tImport, compile: tCompile - tInit },
      validate: (d) => v.validate(d, { now: NOW }).valid,
      field: (value) => v.validateField("principal.mobile", value),
    };
  }
  const m = await import("/peer/ajv.js");
  const tImport = performance.now();
  const run = m.compile();
  const field = m.compileField();
  const tCompile = performance.now();
  return {
    marks: { import: tImport - t0, init: 0, compile: tCompile - tImport },
    validate: (d) => run(d, NOW).valid,
    field,
  };
}

try {
  const x = await load();
  const tv = performance.now();
  const valid = x.validate(data);
  const tEnd = performance.now();
  const result = { impl, mode, valid, cold: tEnd - t0, marks: { ...x.marks, validate: tEnd - tv } };
  if (mode === "field") {
    // "13901012345" typed digit by digit, then with the spaces people type: 22 values, cycled.
    const full = "13901012345";
    const values = [];
    for (let i = 1; i <= full.length; i++) values.push(full.slice(0, i));
    for (let i = 1; i <= full.length; i++) values.push(`${full.slice(0, 3)} ${full.slice(3, 7)} ${full.slice(7)}`.slice(0, i + 2));
    const n = Number(q.get("n") ?? 5000);
    for (let i = 0; i < 500; i++) x.field(values[i % values.length]); // warm-up
    const times = new Float64Array(n);
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const a = performance.now();
      x.field(values[i % values.length]);
      times[i] = performance.now() - a;
    }
    result.fieldTotal = performance.now() - start;
    result.fieldCalls = n;
    times.sort();
    result.p50 = times[Math.floor(n * 0.5)];
    result.p90 = times[Math.floor(n * 0.9)];
    result.p95 = times[Math.floor(n * 0.95)];
    result.p99 = times[Math.floor(n * 0.99)];
    result.max = times[n - 1];
    result.isolated = crossOriginIsolated;
  }
  window.__result = result;
  document.getElementById("status").textContent = JSON.stringify(result);
} catch (e) {
  window.__result = { impl, mode, error: String(e?.stack ?? e) };
}
