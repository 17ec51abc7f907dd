// Hostile and careless JavaScript values handed to every function of the package (issue 16,
// items 1-5). Plain ES module with no Node imports: tests/js/hostile.test.mjs runs it in Node
// (node build and web build) and tests/js/page/hostile.mjs in Chromium (web build).
//
// `runHostile(api, env)` returns one record per case: what happened (`value`, `threw`,
// `rejected`, `resolved`, `unsettled`), the error's name and code, whether `isFormsealError`
// agreed, and whether the valid example still validated afterwards. With `env.memory` (the web
// build's WebAssembly.Memory) it also runs the leak cases many times and records the growth.

const ABC = { sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  sm3: "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" };

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = (text) => new TextEncoder().encode(text);

function detachedBuffer(size) {
  const buffer = new ArrayBuffer(size);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

function revokedProxy() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** A value whose every trap throws. */
const trapping = () => new Proxy({}, new Proxy({}, { get: () => () => { throw new Error("trap"); } }));

/** What a call did, as plain data. */
function outcome(fn) {
  try {
    const value = fn();
    return { outcome: "value", value };
  } catch (e) {
    return { outcome: "threw", error: e };
  }
}

/** Calls `fn` (which returns a promise) and waits for it: threw, resolved, rejected or unsettled. */
async function settled(fn) {
  const call = outcome(fn);
  return call.outcome === "threw" ? call : settle(call.value);
}

async function settle(promise, ms = 5_000) {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve({ outcome: "unsettled" }), ms); });
  try {
    return await Promise.race([
      Promise.resolve(promise).then((value) => ({ outcome: "resolved", value }), (error) => ({ outcome: "rejected", error })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function record(name, r, api, stillValid, expect) {
  const e = r.error;
  const out = { name, outcome: r.outcome, expect };
  if (e !== undefined) {
    out.isError = e instanceof Error;
    out.errorName = e?.name;
    out.code = e?.code;
    out.message = String(e?.message ?? e);
    out.guard = (api.isFormsealError ?? ((x) => x?.name === "FormsealError"))(e); // older builds lack the guard
  }
  if (r.outcome === "value" || r.outcome === "resolved") out.value = r.value;
  out.afterwards = stillValid();
  return out;
}

/**
 * `api`: the package's exports. `env`: `{ valid, now, memory?, subtle }`, the valid user-filing
 * example, its seed time, the wasm memory (web build) and WebCrypto's `subtle`.
 */
export async function runHostile(api, env) {
  const { FormValidator, checkIdentifier, generateKey, digestAttachment, verify } = api;
  const { valid, now, subtle } = env;
  const stillValid = () => {
    try {
      return FormValidator.builtin("user-filing").validate(valid, { now }).valid === true;
    } catch (e) {
      return `threw ${e?.name}: ${e?.message}`;
    }
  };
  const form = FormValidator.builtin("user-filing");
  const results = [];

  // Item 1: every string and byte parameter given the wrong type.
  const sync = {
    "builtin(42)": [() => FormValidator.builtin(42), "invalid_argument"],
    "builtin(Symbol())": [() => FormValidator.builtin(Symbol("x")), "invalid_argument"],
    "builtin({length: -1})": [() => FormValidator.builtin({ length: -1 }), "invalid_argument"],
    'builtin({length: "200000000"})': [() => FormValidator.builtin({ length: "200000000" }), "invalid_argument"],
    "builtin(null)": [() => FormValidator.builtin(null), "invalid_argument"],
    "builtin()": [() => FormValidator.builtin(), "invalid_argument"],
    "builtin(revoked proxy)": [() => FormValidator.builtin(revokedProxy()), "invalid_argument"],
    'builtin("user-filing", 42)': [() => FormValidator.builtin("user-filing", 42), "invalid_option"],
    'builtin("user-filing", trapping options)': [() => FormValidator.builtin("user-filing", trapping()), "invalid_option"],
    'generateKey("EdDSA", 42)': [() => generateKey("EdDSA", 42), "invalid_argument"],
    'generateKey("EdDSA", {length: -1})': [() => generateKey("EdDSA", { length: -1 }), "invalid_argument"],
    "generateKey(42)": [() => generateKey(42), "invalid_argument"],
    'checkIdentifier({length: "-1"}, "x")': [() => checkIdentifier({ length: "-1" }, "x"), "invalid_argument"],
    'checkIdentifier(Symbol(), "x")': [() => checkIdentifier(Symbol("k"), "x"), "invalid_argument"],
    'checkIdentifier("uscc", "x", 42)': [() => checkIdentifier("uscc", "x", 42), "invalid_option"],
    'validateField({length: 2**31}, "x")': [() => form.validateField({ length: 2 ** 31 }, "x"), "invalid_argument"],
    'validateField(null, "x")': [() => form.validateField(null, "x"), "invalid_argument"],
    "digestAttachment({length: -1})": [() => digestAttachment({ length: -1 }), "invalid_argument"],
    "digestAttachment(null)": [() => digestAttachment(null), "invalid_argument"],
    "digestAttachment()": [() => digestAttachment(), "invalid_argument"],
    "validate(valid, 42)": [() => form.validate(valid, 42), "invalid_option"],
    "validate(revoked proxy)": [() => form.validate(revokedProxy()), "data_unserializable"],
    "validate(trapping proxy)": [() => form.validate(trapping()), "data_unserializable"],
    "validate(valid, { get now() { throw } })": [() => form.validate(valid, { get now() { throw new Error("no"); } }), "invalid_option"],
    "fromDefinition(revoked proxy)": [() => FormValidator.fromDefinition(revokedProxy()), "schema_json"],
    'fromDefinition({length: "200000000"})': [() => FormValidator.fromDefinition({ length: "200000000" }), /^schema_/],
    "verify({length: -1}, revoked proxy)": [() => verify({ length: -1 }, revokedProxy()), /^[a-z_]+$/],
    "verify(env, keys, { definitions: revoked proxy })": [() => verify({}, { keys: [] }, { definitions: revokedProxy() }), /^[a-z_]+$/],

    // Item 3: digestAttachment refuses what is not bytes.
    'digestAttachment("abc")': [() => digestAttachment("abc"), "invalid_argument"],
    "digestAttachment([97, 98, 99])": [() => digestAttachment([97, 98, 99]), "invalid_argument"],
    "digestAttachment(Blob)": [() => digestAttachment(new Blob(["abc"])), "invalid_argument"],
    "digestAttachment(Proxy of Uint8Array)": [() => digestAttachment(new Proxy(bytesOf("abc"), {})), "invalid_argument"],
    "digestAttachment(Object.create(Uint8Array.prototype))": [() => digestAttachment(Object.create(Uint8Array.prototype)), "invalid_argument"],
    "digestAttachment(detached ArrayBuffer)": [() => digestAttachment(detachedBuffer(16)), "attachment_detached"],
    "digestAttachment(Uint8Array of a detached buffer)": [() => {
      const view = new Uint8Array(new ArrayBuffer(16));
      structuredClone(view.buffer, { transfer: [view.buffer] });
      return digestAttachment(view);
    }, "attachment_detached"],

    // Item 4: bad `now` values and describe's locale.
    "validate(now: Proxy of a Date)": [() => form.validate(valid, { now: new Proxy(new Date(), {}) }), "invalid_option"],
    "validate(now: Date subclass whose getTime throws)": [() => form.validate(valid, {
      now: new (class extends Date { getTime() { throw new Error("no"); } })(),
    }), "invalid_option"],
    "validate(now: Object.create(Date.prototype))": [() => form.validate(valid, { now: Object.create(Date.prototype) }), "invalid_option"],
    "validate(now: revoked proxy)": [() => form.validate(valid, { now: revokedProxy() }), "invalid_option"],
    "validate(now: { getTime: 1 })": [() => form.validate(valid, { now: { getTime: 1 } }), "invalid_option"],
    "validateField(now: Proxy of a Date)": [() => form.validateField("phone", "1", null, { now: new Proxy(new Date(), {}) }), "invalid_option"],
    'checkIdentifier("uscc", …, now: Object.create(Date.prototype))': [() => checkIdentifier("uscc", "91110000600037341L", { now: Object.create(Date.prototype) }), "invalid_option"],
    "describe(42)": [() => form.describe(42), "invalid_option"],
    "describe({})": [() => form.describe({}), "invalid_option"],
    'describe("fr")': [() => form.describe("fr"), "invalid_option"],
  };
  for (const [name, [fn, expect]] of Object.entries(sync)) {
    results.push(record(name, outcome(fn), api, stillValid, String(expect)));
    const last = results[results.length - 1];
    last.codeMatches = expect instanceof RegExp ? expect.test(last.code ?? "") : last.code === expect;
    if (last.outcome === "value") last.value = undefined;
  }

  // What must work: exact bytes of every kind of buffer (and the controls for the refusals).
  const longBytes = new Uint8Array(1024 * 1024 + 7);
  for (let i = 0; i < longBytes.length; i++) longBytes[i] = (i * 31 + 7) & 0xff;
  const padded = bytesOf("xxabcdxx");
  const digests = {
    "ArrayBuffer": [bytesOf("abc").buffer, bytesOf("abc")],
    "Uint8Array": [bytesOf("abc"), bytesOf("abc")],
    "Uint8Array window (subarray)": [padded.subarray(2, 5), bytesOf("abc")],
    "DataView window": [new DataView(padded.buffer, 2, 3), bytesOf("abc")],
    "Uint16Array (its bytes, not its elements)": [new Uint16Array(bytesOf("abcd").buffer), bytesOf("abcd")],
    "Float64Array window": [new Float64Array(longBytes.buffer, 8, 3), longBytes.subarray(8, 32)],
    "empty ArrayBuffer": [new ArrayBuffer(0), new Uint8Array(0)],
    "1 MiB + 7 bytes (more than one chunk)": [longBytes, longBytes],
  };
  for (const [name, [input, exact]] of Object.entries(digests)) {
    const r = outcome(() => digestAttachment(input));
    const out = record(`digestAttachment(${name})`, r, api, stillValid, "digest");
    out.expectedSha256 = hex(await subtle.digest("SHA-256", exact.slice()));
    out.sha256 = r.value?.sha256;
    out.sm3 = r.value?.sm3;
    out.abc = exact.length === 3 && exact.every((b, i) => b === bytesOf("abc")[i]) ? ABC : undefined;
    out.value = undefined;
    results.push(out);
  }

  // Item 2: an external signer's bad result rejects with signer_failed; the promise settles.
  const keys = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const publicKey = { ...(await subtle.exportKey("jwk", keys.publicKey)), kid: "k1", alg: "EdDSA" };
  delete publicKey.key_ops;
  delete publicKey.ext;
  const realSignature = async (bytes) => new Uint8Array(await subtle.sign("Ed25519", keys.privateKey, bytes));
  const signers = {
    "signer returns a Proxy around a correct Uint8Array": [async (b) => new Proxy(await realSignature(b), {}), "signer_failed"],
    "signer returns a detached ArrayBuffer": [() => detachedBuffer(64), "signer_failed"],
    "signer returns Object.create(Uint8Array.prototype)": [() => Object.create(Uint8Array.prototype), "signer_failed"],
    "signer returns a revoked proxy": [() => revokedProxy(), "signer_failed"],
    "signer returns a thenable whose then throws": [() => ({ then() { throw new Error("then"); } }), "signer_failed"],
    "signer returns a string": [() => "signature", "signer_failed"],
    "signer returns 10 MB": [() => new Uint8Array(10 * 1024 * 1024), "signer_failed"],
    "signer throws": [() => { throw new Error("usb key removed"); }, "signer_failed"],
    "signer rejects with a revoked proxy": [() => Promise.reject(revokedProxy()), "signer_failed"],
    "signer returns a wrong signature": [() => new Uint8Array(64), /^[a-z_]+$/],
    // Controls: a correct signature as a Uint8Array, an ArrayBuffer and a DataView seals.
    "signer returns a correct Uint8Array (control)": [realSignature, "sealed"],
    "signer returns a correct ArrayBuffer (control)": [async (b) => (await realSignature(b)).buffer, "sealed"],
    "signer returns a correct DataView (control)": [async (b) => new DataView((await realSignature(b)).buffer), "sealed"],
  };
  for (const [name, [sign, expect]] of Object.entries(signers)) {
    const signer = { alg: "EdDSA", kid: "k1", publicKey, sign };
    const r = await settled(() => form.seal(valid, signer, { now }));
    const out = record(name, r, api, stillValid, String(expect));
    out.sealed = r.value?.sealed;
    out.value = undefined;
    out.codeMatches = expect === "sealed" ? out.sealed === true
      : expect instanceof RegExp ? r.outcome === "rejected" && expect.test(out.code ?? "") : out.code === expect;
    results.push(out);
  }
  {
    const r = await settled(() => form.seal(valid, { alg: "EdDSA", kid: "k1", publicKey, get sign() { throw new Error("no"); } }, { now }));
    const out = record("signer whose sign getter throws", r, api, stillValid, "signer_invalid");
    out.codeMatches = out.code === "signer_invalid";
    out.value = undefined;
    results.push(out);
  }
  {
    const r = await settled(() => form.seal(valid, { alg: "EdDSA", kid: "k1", publicKey, sign: realSignature }, { now: new Proxy(new Date(), {}) }));
    const out = record("seal(now: Proxy of a Date)", r, api, stillValid, "invalid_option");
    out.codeMatches = out.code === "invalid_option";
    out.value = undefined;
    results.push(out);
  }

  // Leaks (items 1, 4, 5): the same call many times; the wasm memory must not keep growing.
  if (env.memory) {
    const leaks = {
      'builtin({length: "200000000"}) ×200': [200, () => FormValidator.builtin({ length: "200000000" })],
      "validate(now: Proxy of a Date) ×2000": [2000, () => form.validate(valid, { now: new Proxy(new Date(), {}) })],
      "validate(now: Object.create(Date.prototype)) ×2000": [2000, () => form.validate(valid, { now: Object.create(Date.prototype) })],
      "digestAttachment({length: -1}) ×2000": [2000, () => digestAttachment({ length: -1 })],
      'FormValidator.builtin("user-filing"), never freed ×20000': [20000, () => FormValidator.builtin("user-filing")],
    };
    for (const [name, [n, fn]] of Object.entries(leaks)) {
      for (let i = 0; i < 5; i++) outcome(fn);
      const before = env.memory.buffer.byteLength;
      let threw = 0;
      for (let i = 0; i < n; i++) if (outcome(fn).outcome === "threw") threw++;
      results.push({ name: `leak: ${name}`, outcome: "leak", expect: "bounded", growth: env.memory.buffer.byteLength - before,
        threw, afterwards: stillValid() });
    }
  }
  return results;
}
