// Exercises an instance of the formseal API (whichever build loaded it) and returns plain JSON
// for the tests to assert on. Runs inside a child process of the temp project.
"use strict";
const { readFileSync, readdirSync } = require("node:fs");
const { join } = require("node:path");

const SEED = "2005-06-01T10:00:00+08:00";

function slim(f) {
  return { path: f.path, code: f.code, severity: f.severity, message: f.message, basis: f.basis, rule: f.rule, params: f.params, label: f.label };
}

function caught(fn) {
  try {
    const value = fn();
    return { outcome: "value", value };
  } catch (e) {
    return {
      outcome: "threw",
      isError: e instanceof Error,
      name: e && e.name,
      code: e && e.code,
      path: e && e.path,
      message: e && e.message,
      ctor: e && e.constructor && e.constructor.name,
    };
  }
}

function examples(dir) {
  const out = {};
  for (const file of readdirSync(dir).sort()) {
    const m = /^(.+)\.(valid|invalid)\.json$/.exec(file);
    if (!m) continue;
    out[m[1]] ??= {};
    out[m[1]][m[2]] = JSON.parse(readFileSync(join(dir, file), "utf8"));
  }
  return out;
}

function deep(n) {
  let v = "leaf";
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

exports.probe = function probe({ forms, FormValidator, checkIdentifier }, examplesDir) {
  const ex = examples(examplesDir);
  const result = { forms: forms(), valid: {}, invalid: {} };

  for (const [id, { valid, invalid }] of Object.entries(ex)) {
    const v = FormValidator.builtin(id);
    const summarize = (r) => ({ valid: r.valid, counts: r.counts, now: r.now, locale: r.locale, form: r.form,
      errors: r.findings.filter((f) => f.severity === "error").map(slim), normalizedKeys: Object.keys(r.normalized) });
    result.valid[id] = {
      date: summarize(v.validate(valid, { now: new Date(SEED) })),
      string: summarize(v.validate(valid, { now: SEED })),
    };
    const zh = v.validate(invalid, { now: SEED });
    const en = v.validate(invalid, { now: SEED, locale: "en" });
    const enValidator = FormValidator.builtin(id, { locale: "en" }).validate(invalid, { now: SEED });
    result.invalid[id] = {
      valid: zh.valid, counts: zh.counts, locale: zh.locale, enLocale: en.locale,
      zh: zh.findings.map(slim), en: en.findings.map(slim), enValidator: enValidator.findings.map(slim),
    };
  }

  const nuf = FormValidator.builtin("network-unit-filing");
  result.id = nuf.id;
  result.version = nuf.version;
  result.field = {
    short: nuf.validateField("principal.mobile", "123", undefined, { now: SEED }).map(slim),
    spaced: nuf.validateField("principal.mobile", "138 0013 8000", undefined, { now: SEED }).map(slim),
    shortEn: nuf.validateField("principal.mobile", "123", undefined, { now: SEED, locale: "en" }).map(slim),
  };
  result.describe = { en: nuf.describe("en"), zh: nuf.describe(), zhExplicit: nuf.describe("zh-CN") };
  result.identifiers = {
    uscc: checkIdentifier("uscc", "91110000600037341L"),
    usccBad: checkIdentifier("uscc", "91110000600037341A"),
    domain: checkIdentifier("domain", "测试.中国"),
  };

  const vs = ex["virus-sample-storage"].valid;
  const late = "2005-06-26T10:00:00+08:00";
  const deadlineFindings = (v) => v.validate(vs, { now: late }).findings.filter((f) => f.rule === "virus_application").map(slim);
  result.deadlines = {
    builtin: deadlineFindings(FormValidator.builtin("virus-sample-storage")),
    overridden: deadlineFindings(FormValidator.builtin("virus-sample-storage", {
      deadlines: { virus_application: { before: "2005-06-27T16:30:00+08:00" } },
    })),
    unknownName: caught(() => FormValidator.builtin("virus-sample-storage", { deadlines: { nope: { by: "2005-07-01" } } })),
  };

  const definition = JSON.parse(readFileSync(join(examplesDir, "..", "user-filing.json"), "utf8"));
  const badKind = structuredClone(definition);
  badKind.fields[1].kind = "no_such_kind";
  result.definitions = {
    goodObject: caught(() => FormValidator.fromDefinition(definition).id),
    goodText: caught(() => FormValidator.fromDefinition(JSON.stringify(definition)).id),
    badKind: caught(() => FormValidator.fromDefinition(badKind)),
    badText: caught(() => FormValidator.fromDefinition("{ not json")),
    badId: caught(() => FormValidator.fromDefinition({ ...definition, id: 7 })),
  };

  // Bad inputs: each must give a value or a FormsealError; afterwards the module must still work.
  const good = ex["network-unit-filing"].valid;
  const cyclic = { unit_name: "x" };
  cyclic.self = cyclic;
  const manyKeys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
  const hostile = { get unit_name() { throw new Error("boom from a getter"); } };
  const cases = {
    "validate(null)": () => nuf.validate(null),
    "validate(undefined)": () => nuf.validate(undefined),
    "validate(42)": () => nuf.validate(42),
    'validate("x")': () => nuf.validate("x"),
    "validate([1])": () => nuf.validate([1]),
    "validate(cyclic)": () => nuf.validate(cyclic),
    "validate({bigint})": () => nuf.validate({ unit_name: 10n }),
    "validate(bigint)": () => nuf.validate(10n),
    "validate(10 MB string field)": () => nuf.validate({ ...good, unit_name: "名".repeat(10 * 1024 * 1024 / 3) }),
    "validate(10,000 keys)": () => nuf.validate(manyKeys),
    "validate(1,000-deep)": () => nuf.validate({ ...good, address: deep(1000) }),
    "validate(throwing getter)": () => nuf.validate(hostile),
    "validate(function)": () => nuf.validate(() => 1),
    'validate(now: "garbage")': () => nuf.validate(good, { now: "garbage" }),
    "validate(now: Invalid Date)": () => nuf.validate(good, { now: new Date(NaN) }),
    "validate(now: 42)": () => nuf.validate(good, { now: 42 }),
    "validate(now: year 275760)": () => nuf.validate(good, { now: new Date(8.64e15) }),
    'validate(locale: "fr")': () => nuf.validate(good, { now: SEED, locale: "fr" }),
    'builtin(locale: "fr")': () => FormValidator.builtin("network-unit-filing", { locale: "fr" }),
    'builtin("no-such-form")': () => FormValidator.builtin("no-such-form"),
    'builtin(deadlines: "x")': () => FormValidator.builtin("virus-sample-storage", { deadlines: "x" }),
    'describe("fr")': () => nuf.describe("fr"),
    'checkIdentifier("passport", "x")': () => checkIdentifier("passport", "x"),
    'checkIdentifier("uscc", {})': () => checkIdentifier("uscc", {}),
    'checkIdentifier("uscc", 10n)': () => checkIdentifier("uscc", 10n),
    'checkIdentifier("uscc", 18-digit number)': () => checkIdentifier("uscc", 91110000600037341),
    'checkIdentifier("domain", 10 MB)': () => checkIdentifier("domain", "a".repeat(10 * 1024 * 1024)),
    'validateField("unit_name", 10 MB)': () => nuf.validateField("unit_name", "名".repeat(10 * 1024 * 1024 / 3)),
    'validateField("principal.mobile", 10 MB)': () => nuf.validateField("principal.mobile", "1".repeat(10 * 1024 * 1024)),
    'validateField("websites[0].domains[0]", 10 MB)': () => nuf.validateField("websites[0].domains[0]", "a.".repeat(5 * 1024 * 1024) + "cn"),
    'validateField("no.such", 1)': () => nuf.validateField("no.such", 1),
    'validateField("principal.mobile", cyclic)': () => nuf.validateField("principal.mobile", cyclic),
    'validateField("principal.mobile", 1,000-deep)': () => nuf.validateField("principal.mobile", deep(1000)),
    "fromDefinition(42)": () => FormValidator.fromDefinition(42),
    "fromDefinition(null)": () => FormValidator.fromDefinition(null),
    "fromDefinition(cyclic)": () => FormValidator.fromDefinition(cyclic),
  };
  result.bad = {};
  for (const [name, fn] of Object.entries(cases)) {
    const started = Date.now();
    const r = caught(fn);
    if (r.outcome === "value") {
      const v = r.value;
      r.value = undefined;
      r.type = Array.isArray(v) ? "array" : typeof v;
      if (v && typeof v === "object" && "findings" in v) {
        r.valid = v.valid;
        r.findings = v.findings.length;
        r.codes = [...new Set(v.findings.map((f) => f.code))].slice(0, 10);
      } else if (Array.isArray(v)) {
        r.findings = v.length;
        r.codes = [...new Set(v.map((f) => f.code))].slice(0, 10);
      }
    }
    r.ms = Date.now() - started;
    const after = caught(() => nuf.validate(good, { now: SEED }).valid);
    r.afterwards = after.outcome === "value" ? after.value : after;
    result.bad[name] = r;
  }
  return result;
};
