// The npm package as a user gets it: `npm pack` of pkg/, installed into an empty project, loaded
// by its published name from ESM (`formseal`, `formseal/web`) and CommonJS (`require`).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES_DIR, installedPackage, packedTarball, runScript } from "./lib/project.mjs";
import { scripts } from "./lib/scripts.mjs";

const SEED = "2005-06-01T10:00:00+08:00";
const FORM_IDS = [
  "network-unit-filing", "user-filing", "filing-change",
  "security-commitment", "virus-sample-storage", "incident-report",
];
const REG33 = "《计算机信息网络国际联网安全保护管理办法》";

const key = (f) => `${f.path} | ${f.code} | ${f.severity}`;
const expected = (id) =>
  JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.invalid.expect.json`), "utf8")).map(key).sort();
const significant = (findings) => findings.filter((f) => f.severity !== "info").map(key).sort();

/** The same checks for each way of loading the package. */
function suite(label, script, resolvedSuffix) {
  describe(label, { timeout: 240_000 }, () => {
    let r;
    before(async () => {
      r = await runScript(script, scripts[script], { FORMSEAL_EXAMPLES: EXAMPLES_DIR });
    }, { timeout: 240_000 });

    test("loads the expected build through the exports map", { timeout: 5_000 }, () => {
      assert.ok(r.resolved.endsWith(resolvedSuffix), r.resolved);
      assert.ok(r.resolved.includes("node_modules/formseal/"), r.resolved);
    });

    test("forms() lists the six built-in forms with titles in both languages", { timeout: 5_000 }, () => {
      assert.deepEqual(r.forms.map((f) => f.id).sort(), [...FORM_IDS].sort());
      for (const f of r.forms) {
        assert.match(f.version, /^\d+\.\d+\.\d+$/);
        assert.match(f.title["zh-CN"], /\p{Script=Han}/u);
        assert.match(f.title.en, /^[A-Z]/);
      }
    });

    test("every valid example is valid at the seed time, now as Date and as string", { timeout: 5_000 }, () => {
      assert.deepEqual(Object.keys(r.valid).sort(), [...FORM_IDS].sort());
      for (const [id, { date, string }] of Object.entries(r.valid)) {
        for (const [how, rep] of Object.entries({ date, string })) {
          assert.deepEqual(rep.errors, [], `${id} (now as ${how}) has errors`);
          assert.equal(rep.valid, true, `${id} (now as ${how})`);
          assert.equal(rep.counts.errors, 0);
          assert.equal(rep.form.id, id);
          assert.equal(rep.locale, "zh-CN");
          assert.equal(Date.parse(rep.now), Date.parse(SEED), `${id} report.now ${rep.now}`);
          assert.ok(rep.normalizedKeys.length > 0, `${id} normalized is empty`);
        }
        assert.deepEqual(date, string, `${id}: Date and string now differ`);
      }
    });

    test("every invalid example gives exactly its expected (path, code, severity) set", { timeout: 5_000 }, () => {
      assert.deepEqual(Object.keys(r.invalid).sort(), [...FORM_IDS].sort());
      for (const [id, inv] of Object.entries(r.invalid)) {
        assert.equal(inv.valid, false, id);
        assert.deepEqual(significant(inv.zh), expected(id), `${id} (zh-CN)`);
        assert.deepEqual(significant(inv.en), expected(id), `${id} (en)`);
        assert.equal(inv.counts.errors, inv.zh.filter((f) => f.severity === "error").length, `${id} counts.errors`);
        assert.equal(inv.counts.warnings, inv.zh.filter((f) => f.severity === "warning").length, `${id} counts.warnings`);
        assert.equal(inv.counts.infos, inv.zh.filter((f) => f.severity === "info").length, `${id} counts.infos`);
      }
    });

    test("messages: zh-CN by default, en on request, different, no unfilled placeholders", { timeout: 5_000 }, () => {
      for (const [id, inv] of Object.entries(r.invalid)) {
        assert.equal(inv.locale, "zh-CN", id);
        assert.equal(inv.enLocale, "en", id);
        assert.equal(inv.zh.length, inv.en.length, id);
        assert.deepEqual(inv.enValidator, inv.en, `${id}: builtin({ locale: "en" }) differs from validate(…, { locale: "en" })`);
        inv.zh.forEach((zh, i) => {
          const en = inv.en[i];
          const where = `${id} ${zh.path} ${zh.code}`;
          assert.equal(en.code, zh.code, where);
          assert.equal(en.path, zh.path, where);
          for (const m of [zh.message, en.message]) {
            assert.ok(m.length > 3, `${where}: empty message`);
            assert.doesNotMatch(m, /[{}]/, `${where}: placeholder in ${JSON.stringify(m)}`);
            assert.doesNotMatch(m, /undefined|null|NaN|\[object/, `${where}: ${JSON.stringify(m)}`);
          }
          assert.notEqual(zh.message, en.message, where);
          assert.match(zh.message, /\p{Script=Han}/u, `${where}: zh message has no Chinese`);
          assert.match(en.message, /[A-Za-z]{3}/, `${where}: en message has no English`);
          if (zh.label !== undefined) assert.notEqual(zh.label, en.label, `${where}: label`);
        });
      }
    });

    test("a network-unit-filing finding cites the Measures (reg33) in both languages", { timeout: 5_000 }, () => {
      const zh = r.invalid["network-unit-filing"].zh.find((f) => f.path === "unit_name" && f.code === "required");
      assert.ok(zh, "no required finding for unit_name");
      assert.equal(zh.basis.id, "reg33.art12");
      assert.ok(zh.basis.text.includes(REG33), zh.basis.text);
      assert.match(zh.basis.text, /第十二条/);
      const en = r.invalid["network-unit-filing"].en.find((f) => f.path === "unit_name" && f.code === "required");
      assert.match(en.basis.text, /Art\. 12/);
      const late = r.invalid["network-unit-filing"].zh.find((f) => f.code === "deadline_passed");
      assert.ok(late.basis.text.includes(REG33), "late filing cites the Measures");
    });

    test("validateField: principal.mobile as it is typed", { timeout: 5_000 }, () => {
      assert.deepEqual(r.field.short.map((f) => f.code).sort(), ["mobile_length", "mobile_prefix"]);
      for (const f of r.field.short) {
        assert.equal(f.path, "principal.mobile");
        assert.equal(f.severity, "error");
        assert.equal(f.label, "单位负责人·手机号码", "a finding names the group the field belongs to");
      }
      assert.equal(r.field.short.find((f) => f.code === "mobile_length").params.length, 3);
      assert.match(r.field.short.find((f) => f.code === "mobile_length").message, /11/);
      assert.equal(r.field.shortEn[0].label, "Principal (person in charge): Mobile number");
      assert.deepEqual(r.field.spaced, [], "a mobile number with spaces is accepted");
    });

    test("describe() labels in en and zh-CN", { timeout: 5_000 }, () => {
      const { en, zh, zhExplicit } = r.describe;
      assert.equal(en.id, "network-unit-filing");
      assert.equal(en.locale, "en");
      assert.equal(zh.locale, "zh-CN");
      assert.deepEqual(zh, zhExplicit);
      assert.equal(en.title, "Network unit filing");
      assert.equal(zh.title, "联网单位备案表");
      const find = (d, path) => {
        const stack = [...d.fields];
        for (let i = 0; i < 10_000 && stack.length; i++) {
          const f = stack.shift();
          if (f.path === path) return f;
          stack.push(...(f.fields ?? []), ...(f.item ? [f.item] : []));
        }
        return undefined;
      };
      const mobileEn = find(en, "principal.mobile");
      const mobileZh = find(zh, "principal.mobile");
      assert.ok(mobileEn && mobileZh, "principal.mobile is described");
      assert.equal(mobileEn.label, "Mobile number");
      assert.equal(mobileZh.label, "手机号码");
      assert.equal(mobileEn.kind, "mobile");
      const unitName = find(en, "unit_name");
      assert.equal(unitName.required, true);
      const nature = find(en, "subject_nature");
      assert.equal(nature.kind, "choice");
      assert.ok(nature.options.length >= 2 && nature.options.every((o) => o.value && /[A-Za-z]/.test(o.label)));
      assert.equal(en.fields.length, zh.fields.length);
      for (const f of en.fields) assert.doesNotMatch(f.label, /\p{Script=Han}/u, `en label ${f.path}: ${f.label}`);
    });

    test("checkIdentifier: USCC and an internationalised .中国 domain", { timeout: 5_000 }, () => {
      const { uscc, usccBad, domain } = r.identifiers;
      assert.deepEqual(uscc, { input: "91110000600037341L", valid: true, normalized: "91110000600037341L", findings: [] });
      assert.equal(usccBad.valid, false);
      assert.deepEqual(usccBad.findings.map((f) => f.code), ["uscc_check_char"]);
      assert.equal(domain.valid, true);
      assert.equal(domain.normalized, "xn--0zwm56d.xn--fiqs8s");
      assert.equal(domain.display, "测试.中国");
      assert.deepEqual(domain.findings, []);
    });

    test("campaign deadline overrides by name", { timeout: 5_000 }, () => {
      const { builtin, overridden, unknownName } = r.deadlines;
      assert.equal(builtin.length, 1);
      assert.equal(builtin[0].code, "deadline_passed_hours");
      assert.equal(builtin[0].severity, "warning");
      assert.equal(builtin[0].params.due, "2005-06-24T16:30:00+08:00");
      assert.equal(overridden.length, 1);
      assert.equal(overridden[0].code, "deadline_hours_left");
      assert.equal(overridden[0].severity, "info");
      assert.equal(overridden[0].params.due, "2005-06-27T16:30:00+08:00");
      assert.equal(overridden[0].params.hours_left, 31);
      assert.equal(unknownName.name, "FormsealError");
      assert.equal(unknownName.code, "schema_unknown_deadline");
      assert.equal(unknownName.path, "deadlines.nope");
    });

    test("fromDefinition: good definitions compile; bad ones throw FormsealError with code and JSON path", { timeout: 5_000 }, () => {
      const d = r.definitions;
      assert.deepEqual(d.goodObject, { outcome: "value", value: "user-filing" });
      assert.deepEqual(d.goodText, { outcome: "value", value: "user-filing" });
      for (const [name, path] of [["badKind", "fields[1].kind"], ["badId", "id"], ["badText", ""]]) {
        const e = d[name];
        assert.equal(e.outcome, "threw", name);
        assert.equal(e.isError, true, `${name} is an Error`);
        assert.equal(e.name, "FormsealError", name);
        assert.match(e.code, /^schema_[a-z_]+$/, name);
        assert.equal(e.path, path, name);
        assert.ok(e.message.length > 0, name);
      }
    });

    test("bad inputs give a report or a FormsealError, never a crash, and the module keeps working", { timeout: 5_000 }, () => {
      // Where the code is part of the contract, it is pinned.
      const codes = {
        "validate(null)": "data_not_object", "validate(42)": "data_not_object",
        'validate("x")': "data_not_object", "validate([1])": "data_not_object",
        "validate(cyclic)": "data_unserializable", "validate({bigint})": "data_unserializable",
        "validate(10 MB string field)": "data_too_large", "validate(1,000-deep)": "data_too_deep",
        'validate(now: "garbage")': "invalid_option", 'validate(locale: "fr")': "invalid_option",
        'builtin(locale: "fr")': "invalid_option", 'describe("fr")': "invalid_option",
        'checkIdentifier("passport", "x")': "unknown_identifier_kind",
        'validateField("no.such", 1)': "unknown_field_path", 'builtin("no-such-form")': "unknown_form",
        // The same limits as validate(): depth and size, not a JSON parser's recursion error.
        'validateField("principal.mobile", 1,000-deep)': "data_too_deep",
        'validateField("principal.mobile", 10 MB)': "data_too_large",
        'checkIdentifier("domain", 10 MB)': "data_too_large",
        // A number past 2^53 has already lost digits: refused rather than checked.
        'checkIdentifier("uscc", 18-digit number)': "invalid_value",
      };
      assert.ok(Object.keys(r.bad).length >= 30);
      for (const [name, c] of Object.entries(r.bad)) {
        assert.equal(c.afterwards, true, `${name}: a normal validate() afterwards gave ${JSON.stringify(c.afterwards)}`);
        assert.ok(c.ms < 5_000, `${name} took ${c.ms} ms`);
        if (c.outcome === "threw") {
          assert.equal(c.isError, true, `${name}: threw a non-Error`);
          assert.equal(c.name, "FormsealError", `${name}: threw ${c.name}: ${c.message}`);
          assert.match(c.code ?? "", /^[a-z][a-z_]*$/, `${name}: code ${c.code}`);
          assert.ok(c.message, `${name}: no message`);
        } else {
          assert.ok(c.findings > 0, `${name}: returned ${c.type} without findings`);
        }
        if (name in codes) assert.equal(c.code, codes[name], `${name}: ${JSON.stringify(c)}`);
      }
      assert.equal(r.bad['validate(now: "garbage")'].path, "now");
      assert.equal(r.bad['validate(locale: "fr")'].path, "locale");
      assert.ok(r.bad["validate(10,000 keys)"].codes.includes("too_many_unknown_fields"));
    });
  });
}

suite('ESM: import { … } from "formseal" (node build)', "probe-esm.mjs", "/node_modules/formseal/node/formseal.js");
suite('ESM: import init from "formseal/web", initialised with the wasm bytes', "probe-web.mjs", "/node_modules/formseal/web/formseal.js");
suite('CommonJS: require("formseal")', "probe.cjs", "/node_modules/formseal/node/formseal.js");

describe("package contents", { timeout: 240_000 }, () => {
  let dir;
  let manifest;
  before(async () => {
    dir = await installedPackage();
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  }, { timeout: 240_000 });

  test("package.json has exports, files, license and a real version", { timeout: 5_000 }, () => {
    assert.equal(manifest.name, "formseal");
    assert.match(manifest.version, /^\d+\.\d+\.\d+/);
    assert.equal(manifest.license, "MIT OR Apache-2.0");
    assert.ok(Array.isArray(manifest.files) && manifest.files.length > 0);
    for (const sub of [".", "./web", "./bundler", "./node"]) assert.ok(manifest.exports[sub], `exports["${sub}"]`);
    assert.equal(manifest.exports["."].node.default, "./node/formseal.js");
    assert.equal(manifest.exports["."].default.default, "./web/auto.js", "the bare import initialises itself outside Node");
    assert.equal(manifest.exports["./bundler"].node.default, "./node/formseal.js", "formseal/bundler in Node (Jest, Vitest)");
    assert.equal(manifest.exports["./bundler"].default.default, "./web/auto.js", "formseal/bundler needs no wasm plugin");
    for (const field of ["repository", "homepage", "bugs"]) assert.ok(manifest[field], `package.json has ${field}`);
    assert.ok(manifest.files.includes("CHANGELOG.md"));
  });

  test("every file listed and every exports target is in the installed package", { timeout: 5_000 }, () => {
    for (const f of manifest.files) assert.ok(existsSync(join(dir, f)), `files: ${f} missing`);
    const targets = [];
    const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
    walk(manifest.exports);
    for (const t of [...targets, manifest.main, manifest.module, manifest.types]) {
      assert.ok(existsSync(join(dir, t)), `${t} missing`);
    }
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "node/package.json"), "utf8")), { type: "commonjs" });
  });

  // Issue 15 item 4: the web, bundler and Node entry points share one wasm file.
  test("the tarball carries the wasm once and is within the 1 MB budget", { timeout: 5_000 }, async () => {
    const wasm = readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.wasm$/.test(f));
    assert.deepEqual(wasm, ["web/formseal_bg.wasm"]);
    assert.ok(!manifest.files.some((f) => f.startsWith("node/formseal_bg.wasm")), "node/ lists no wasm of its own");
    const bytes = statSync(await packedTarball()).size;
    assert.ok(bytes <= 1_000_000, `the packed tarball is ${bytes} bytes`);
  });

  test("the .d.ts files have no `any` and declare the public types", { timeout: 5_000 }, () => {
    const dts = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".d.ts"));
    for (const f of ["web/formseal.d.ts", "web/auto.d.ts", "web/formseal_bg.wasm.d.ts", "node/formseal.d.ts", "embed.d.ts"]) {
      assert.ok(dts.map(String).includes(f), `${f} missing from ${dts.join(", ")}`);
    }
    for (const f of dts) {
      const text = readFileSync(join(dir, f), "utf8");
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      const lines = code.split("\n").filter((l) => /\bany\b/.test(l));
      assert.deepEqual(lines, [], `${f} uses any`);
    }
    for (const build of ["web", "node"]) {
      const text = readFileSync(join(dir, build, "formseal.d.ts"), "utf8");
      for (const name of ["Report", "Finding", "FormsealError", "IdentifierResult", "FormDescription"]) {
        assert.match(text, new RegExp(`export (interface|type) ${name}\\b`), `${build}: ${name}`);
      }
      assert.match(text, /export function forms\(\): FormSummary\[\]/, build);
      assert.match(text, /validate\(data: FormInput, options\?: ValidateOptions \| null\): Report/, build);
    }
  });
});
