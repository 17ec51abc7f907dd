// A/B of two builds of the Node package in one process, alternating rounds, medians: how each
// change in bench/results/changes.md was measured. Usage: node ab.cjs <A/formseal.js> <B/formseal.js> [rounds]
const [, , a, b, roundsArg] = process.argv;
const ROUNDS = Number(roundsArg ?? 15);
const NOW = new Date("2005-06-01T10:00:00+08:00");
const data = require("../../forms/examples/network-unit-filing.valid.json");
const invalid = require("../../forms/examples/network-unit-filing.invalid.json");
const builds = { A: require(a), B: require(b) };
const cases = (fs) => {
  const v = fs.FormValidator.builtin("network-unit-filing");
  return {
    "validate valid": () => v.validate(data, { now: NOW }),
    "validate invalid": () => v.validate(invalid, { now: NOW }),
    "validateField alone": () => v.validateField("principal.mobile", "139 0101 23", undefined, { now: NOW }),
    "validateField with data": () => v.validateField("principal.mobile", "139 0101 23", data, { now: NOW }),
    "checkIdentifier uscc": () => fs.checkIdentifier("uscc", "91110000600037341L", { now: NOW }),
    "checkIdentifier domain": () => fs.checkIdentifier("domain", "华信网通.中国", { now: NOW }),
  };
};
const impl = { A: cases(builds.A), B: cases(builds.B) };
const perCall = (f, ms) => {
  let n = 0;
  const s = performance.now();
  while (performance.now() - s < ms) { f(); f(); f(); f(); n += 4; }
  return ((performance.now() - s) * 1000) / n;
};
const samples = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const name of Object.keys(impl.A)) {
    for (const k of r % 2 ? ["B", "A"] : ["A", "B"]) (samples[`${name}|${k}`] ??= []).push(perCall(impl[k][name], 60));
  }
}
const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
console.log(`| call | A µs | B µs | B/A |\n|---|---:|---:|---:|`);
for (const name of Object.keys(impl.A)) {
  const ma = median(samples[`${name}|A`]), mb = median(samples[`${name}|B`]);
  console.log(`| ${name} | ${ma.toFixed(1)} | ${mb.toFixed(1)} | ${(mb / ma).toFixed(2)} |`);
}
