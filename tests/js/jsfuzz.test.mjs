// A property test over the JavaScript surface (issue 16): a seeded generator of nested values,
// odd types (proxies, revoked proxies, throwing getters, detached buffers, symbols, BigInts,
// cycles, lone surrogates) and odd options is thrown at every function of the packed tarball, a
// fixed number of cases. Every call must return or throw a FormsealError with a code: 0 traps,
// 0 untyped errors, every seal promise settled; the valid example still validates throughout.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EXAMPLES_DIR, installedProject } from "./lib/project.mjs";

const SEED = Number(process.env.FORMSEAL_JSFUZZ_SEED ?? 20050601);
const CASES = Number(process.env.FORMSEAL_JSFUZZ_CASES ?? 3000);
const ASYNC_CASES = 150;
const NOW = "2005-06-01T10:00:00+08:00";
const IDS = ["network-unit-filing", "user-filing", "filing-change", "security-commitment", "virus-sample-storage", "incident-report"];
const valid = Object.fromEntries(IDS.map((id) => [id, JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.valid.json`), "utf8"))]));

/** mulberry32: a small seeded PRNG, so every run makes the same cases. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const strings = ["", "x", "user-filing", "network-unit-filing", "uscc", "domain", "resident-id", "mobile", "phone",
    "principal.mobile", "websites[0].domains[1]", "unit_name", "zh-CN", "en", "fr", "EdDSA", "ES256", "SM2-SM3",
    "2005-06-01T10:00:00+08:00", "2005-06-01", "garbage", "24h", "PT1H", "-1", "NaN", "\uD800", "a\uDC00b", "\u0000",
    "名".repeat(50), "91110000600037341L", "110101199003077777", "测试.中国", "__proto__", "constructor", "1e309",
    "{", "[]", "{\"id\":1}", "x".repeat(5000)];
  const numbers = [0, -0, 1, -1, 42, 2 ** 31, 2 ** 32, 2 ** 53 + 1, -(2 ** 31), 1.5, NaN, Infinity, -Infinity, Number.MAX_VALUE, 91110000600037341];
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const detached = () => {
    const b = new ArrayBuffer(8);
    structuredClone(b, { transfer: [b] });
    return b;
  };
  const leaf = () => {
    switch (int(22)) {
      case 0: return pick(strings);
      case 1: return pick(numbers);
      case 2: return random() < 0.5;
      case 3: return null;
      case 4: return undefined;
      case 5: return BigInt(int(1000));
      case 6: return Symbol("s");
      case 7: return () => 1;
      case 8: return new Date(pick([0, Date.UTC(2005, 5, 1), NaN, 8.64e15, -8.64e15]));
      case 9: return new Proxy({ a: 1 }, {});
      case 10: return revoked();
      case 11: return new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("keys"); } });
      case 12: return { get a() { throw new Error("getter"); } };
      case 13: return { toJSON() { throw new Error("toJSON"); } };
      case 14: return { length: pick([-1, "-1", 2 ** 31, "200000000", NaN]) };
      case 15: return new Uint8Array(int(40));
      case 16: return pick([new ArrayBuffer(int(16)), new DataView(new ArrayBuffer(8), 2, 3), new Uint16Array(3), new Float64Array(2)]);
      case 17: return detached();
      case 18: return Object.create(pick([null, Date.prototype, Uint8Array.prototype, Array.prototype]));
      case 19: { const o = { a: 1 }; o.self = o; return o; }
      case 20: return new (class extends Date { getTime() { throw new Error("no"); } })();
      default: return new Proxy(new Date(), {});
    }
  };
  const own = (o, key, v) => Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  const value = (depth = 0) => {
    if (depth > 3 || random() < 0.5) return leaf();
    if (random() < 0.4) return Array.from({ length: int(4) }, () => value(depth + 1));
    const o = {};
    // Own data properties, so a key "__proto__" is a field named so, not a prototype change.
    for (let i = int(4); i > 0; i--) own(o, pick(strings).slice(0, 20) || "k", value(depth + 1));
    return o;
  };
  /** A form-shaped document: a valid example with a few fields replaced by odd values. */
  const document = () => {
    const id = pick(IDS);
    const doc = structuredClone(valid[id]);
    const keys = Object.keys(doc);
    for (let i = int(3); i >= 0; i--) own(doc, pick(keys), value(1));
    if (random() < 0.2) own(doc, pick(strings), value(1));
    return { id, doc };
  };
  const options = () => {
    if (random() < 0.25) return leaf();
    const o = {};
    const keys = ["now", "locale", "deadlines", "ttl", "maxSkew", "definitions"];
    for (const k of keys) if (random() < 0.35) o[k] = random() < 0.5 ? value(2) : pick({
      now: [NOW, new Date(Date.UTC(2005, 5, 1)), "2005-06-01"], locale: ["zh-CN", "en"],
      deadlines: [{ nope: { by: "2005-07-15" } }, {}], ttl: [60, "24h"], maxSkew: [300], definitions: [[], [valid]],
    }[k]);
    return o;
  };
  return { random, int, pick, value, leaf, document, options, strings };
}

/** Runs the cases against one build; returns counts and the first few failures. */
async function fuzz(api) {
  const random = prng(SEED);
  const g = generator(random);
  const { FormValidator, checkIdentifier, generateKey, digestAttachment, verify, forms } = api;
  const isFormsealError = api.isFormsealError ?? ((e) => e?.name === "FormsealError"); // older builds lack the guard
  const validators = Object.fromEntries(IDS.map((id) => [id, FormValidator.builtin(id)]));
  const pair = generateKey("EdDSA", "k1");
  const stats = { calls: 0, values: 0, formsealErrors: 0, traps: 0, untyped: 0, unsettled: 0, afterwardsFailed: 0, codes: new Set() };
  const failures = [];
  const judge = (label, e) => {
    if (e instanceof Error && e.name === "FormsealError" && /^[a-z][a-z0-9_]*$/.test(e.code ?? "") && isFormsealError(e)) {
      stats.formsealErrors++;
      stats.codes.add(e.code);
      return;
    }
    const trap = e instanceof WebAssembly.RuntimeError || /unreachable|out of bounds|__wbindgen|recursive use/i.test(String(e?.message));
    if (trap) stats.traps++;
    else stats.untyped++;
    if (failures.length < 10) failures.push(`${label}: ${e?.name}: ${e?.message} ${String(e?.stack).split("\n").slice(1, 4).join(" | ")}`);
  };
  const calls = [
    () => FormValidator.builtin(g.random() < 0.5 ? g.pick(IDS) : g.value(), g.options()),
    () => FormValidator.fromDefinition(g.value(), g.options()),
    () => { const { id, doc } = g.document(); return validators[id].validate(doc, g.options()); },
    () => validators[g.pick(IDS)].validate(g.value(), g.options()),
    () => validators[g.pick(IDS)].validateField(g.pick([g.pick(g.strings), g.leaf()]), g.value(), g.pick([undefined, g.value(), g.document().doc]), g.options()),
    () => validators[g.pick(IDS)].describe(g.pick([undefined, "en", "zh-CN", g.leaf()])),
    () => checkIdentifier(g.pick([g.pick(g.strings), g.leaf()]), g.value(), g.options()),
    () => generateKey(g.pick(["EdDSA", "ES256", "SM2-SM3", g.leaf()]), g.pick([undefined, "kid", g.leaf()])),
    () => digestAttachment(g.value()),
    () => verify(g.value(), g.pick([pair.publicKey, [pair.publicKey], g.value()]), g.options()),
    () => forms(),
    () => { const { id, doc } = g.document(); return validators[id]["~standard"].validate(g.pick([doc, g.value()])); },
  ];
  const stillValid = () => validators["user-filing"].validate(valid["user-filing"], { now: NOW }).valid === true;
  for (let i = 0; i < CASES; i++) {
    const which = g.int(calls.length);
    stats.calls++;
    try {
      calls[which]();
      stats.values++;
    } catch (e) {
      judge(`case ${i} (call ${which})`, e);
    }
    if (i % 100 === 99 && !stillValid()) stats.afterwardsFailed++;
  }
  // Seals: odd data, odd signers, odd options; every promise must settle.
  for (let i = 0; i < ASYNC_CASES; i++) {
    const { id, doc } = g.document();
    const signer = g.pick([
      pair.privateKey, g.value(),
      { alg: "EdDSA", kid: "k1", publicKey: pair.publicKey, sign: () => g.value() },
      { alg: "EdDSA", kid: "k1", publicKey: pair.publicKey, sign: async () => g.value() },
      { alg: g.leaf(), kid: g.leaf(), publicKey: g.value(), sign: () => new Uint8Array(64) },
    ]);
    stats.calls++;
    let promise;
    try {
      promise = validators[id].seal(g.pick([doc, valid[id], g.value()]), signer, g.pick([{ now: NOW }, g.options()]));
    } catch (e) {
      judge(`seal ${i} (sync)`, e);
      continue;
    }
    const result = await Promise.race([
      promise.then(() => "resolved", (e) => e),
      new Promise((resolve) => setTimeout(() => resolve("unsettled"), 5_000)),
    ]);
    if (result === "unsettled") stats.unsettled++;
    else if (result === "resolved") stats.values++;
    else judge(`seal ${i}`, result);
  }
  if (!stillValid()) stats.afterwardsFailed++;
  return { stats, failures };
}

function assertClean({ stats, failures }) {
  assert.equal(stats.calls, CASES + ASYNC_CASES);
  assert.equal(stats.traps, 0, `traps: ${failures.join("\n")}`);
  assert.equal(stats.untyped, 0, `untyped errors: ${failures.join("\n")}`);
  assert.equal(stats.unsettled, 0, "seal promises that never settled");
  assert.equal(stats.afterwardsFailed, 0, "the valid example stopped validating");
  // The generator reaches both outcomes and many distinct codes (it is not a no-op).
  assert.ok(stats.values > CASES / 10, JSON.stringify({ ...stats, codes: [...stats.codes] }));
  assert.ok(stats.formsealErrors > CASES / 10, JSON.stringify({ ...stats, codes: [...stats.codes] }));
  assert.ok(stats.codes.size >= 12, [...stats.codes].join(" "));
}

describe(`JS property test: ${CASES} + ${ASYNC_CASES} seeded cases (seed ${SEED})`, { timeout: 300_000 }, () => {
  let require;
  before(async () => {
    require = createRequire(join(await installedProject(), "package.json"));
  }, { timeout: 240_000 });

  test("node build: 0 traps, 0 untyped errors, every promise settled", { timeout: 240_000 }, async () => {
    assertClean(await fuzz(require("formseal")));
  });

  test("web build: 0 traps, 0 untyped errors, every promise settled", { timeout: 240_000 }, async () => {
    const api = await import(pathToFileURL(require.resolve("formseal/web")).href);
    await api.default({ module_or_path: readFileSync(require.resolve("formseal/web/formseal_bg.wasm")) });
    assertClean(await fuzz(api));
  });
});
