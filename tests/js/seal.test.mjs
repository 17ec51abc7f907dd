// Sealing from the npm package and the CLI, checked against independent peers: `jose` verifies
// the Ed25519 and ES256 envelopes (flattened JWS, algorithms pinned) and signs envelopes formseal
// verifies; `sm-crypto` verifies formseal's SM2 signatures (hash: true, the default user ID) and
// makes signatures formseal verifies. Also the JS API's refusals.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as jose from "jose";
import smCrypto from "sm-crypto";
import { EXAMPLES_DIR, installedProject } from "./lib/project.mjs";
import { cli, tempFile } from "./lib/cli.mjs";

const { sm2 } = smCrypto;
const SEED = "2005-06-01T10:00:00+08:00";
const VERIFY_AT = "2005-06-01T10:01:00+08:00";
const TYP = "formseal+jws";

const example = (id, kind = "valid") => JSON.parse(readFileSync(join(EXAMPLES_DIR, `${id}.${kind}.json`), "utf8"));
const b64 = (s) => Buffer.from(s, "base64url");
const hex = (s) => b64(s).toString("hex");
const signingInput = (e) => `${e.protected}.${e.payload}`;
const publicOf = ({ d: _d, ...rest }) => rest;

/** Puts SHA-256 and SM3 digests (of stand-in bytes) on every attachment, as a portal sealing with SM2 does. */
function withDigests(value, digestAttachment) {
  if (Array.isArray(value)) return value.map((v) => withDigests(v, digestAttachment));
  if (value && typeof value === "object") {
    if ("sha256" in value) return { ...value, ...digestAttachment(new TextEncoder().encode(value.name ?? "file")) };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDigests(v, digestAttachment)]));
  }
  return value;
}

/** An SM2 key from sm-crypto as a formseal JWK. */
function sm2Jwk(keypair, kid) {
  const point = keypair.publicKey; // "04" ‖ x ‖ y, hex
  const url = (h) => Buffer.from(h, "hex").toString("base64url");
  return {
    kty: "EC", crv: "SM2", kid, alg: "SM2-SM3",
    x: url(point.slice(2, 66)), y: url(point.slice(66, 130)), d: url(keypair.privateKey.padStart(64, "0")),
  };
}

const sm2PublicHex = (jwk) => `04${hex(jwk.x)}${hex(jwk.y)}`;

describe("sealing: the package and the CLI against jose and sm-crypto", { timeout: 300_000 }, () => {
  let fs;
  before(async () => {
    const require = createRequire(join(await installedProject(), "index.js"));
    fs = require("formseal");
  }, { timeout: 240_000 });

  for (const alg of ["EdDSA", "ES256"]) {
    test(`${alg}: a package-made envelope verifies with jose, algorithm pinned`, async () => {
      const { privateKey, publicKey } = fs.generateKey(alg, `pkg-${alg}`);
      assert.equal(privateKey.alg, alg);
      assert.equal(publicKey.d, undefined, "the public JWK has no private part");
      const r = await fs.FormValidator.builtin("user-filing").seal(example("user-filing"), privateKey, { now: SEED });
      assert.equal(r.sealed, true);
      const key = await jose.importJWK(publicKey, alg);
      const out = await jose.flattenedVerify(r.envelope, key, { algorithms: [alg] });
      assert.deepEqual(out.protectedHeader, { alg, kid: `pkg-${alg}`, typ: TYP });
      const payload = JSON.parse(new TextDecoder().decode(out.payload));
      assert.equal(payload.form.id, "user-filing");
      assert.deepEqual(payload, r.payload);
      const other = alg === "EdDSA" ? "ES256" : "EdDSA";
      await assert.rejects(jose.flattenedVerify(r.envelope, key, { algorithms: [other] }), { code: "ERR_JOSE_ALG_NOT_ALLOWED" });
      // And formseal's own verifier, with the nonce for the replay check.
      const v = fs.verify(r.envelope, [publicKey], { now: VERIFY_AT });
      assert.equal(v.nonce, r.payload.nonce);
      assert.equal(b64(v.nonce).length, 16, "a 128-bit nonce");
    });

    test(`${alg}: a CLI-made envelope verifies with jose`, async () => {
      const { stdout: keyText } = await cli(["keygen", "--alg", alg === "EdDSA" ? "ed25519" : "es256", "--kid", `cli-${alg}`]);
      const jwk = JSON.parse(keyText);
      const keyFile = tempFile("key.jwk", keyText);
      const { stdout } = await cli(["seal", "network-unit-filing", join(EXAMPLES_DIR, "network-unit-filing.valid.json"), "--key", keyFile, "--now", SEED]);
      const envelope = JSON.parse(stdout);
      const out = await jose.flattenedVerify(envelope, await jose.importJWK(publicOf(jwk), alg), { algorithms: [alg] });
      assert.equal(out.protectedHeader.kid, `cli-${alg}`);
      assert.equal(JSON.parse(new TextDecoder().decode(out.payload)).form.id, "network-unit-filing");
    });

    test(`${alg}: an envelope signed by jose verifies in formseal (package and CLI)`, async () => {
      const { privateKey, publicKey } = fs.generateKey(alg, `jose-${alg}`);
      // A payload formseal made (its bytes are canonical), signed again by jose with its own code.
      const r = await fs.FormValidator.builtin("incident-report").seal(example("incident-report"), privateKey, { now: SEED });
      const signed = await new jose.FlattenedSign(b64(r.envelope.payload))
        .setProtectedHeader({ typ: TYP, kid: `jose-${alg}`, alg }) // another member order than formseal's
        .sign(await jose.importJWK(privateKey, alg));
      assert.notEqual(signed.protected, r.envelope.protected, "jose wrote its own header bytes");
      assert.equal(signed.payload, r.envelope.payload);
      assert.equal(fs.verify(signed, [publicKey], { now: VERIFY_AT }).kid, `jose-${alg}`);
      const { stdout } = await cli(["verify", tempFile("env.json", JSON.stringify(signed)), "--keys", tempFile("keys.json", JSON.stringify({ keys: [publicKey] })), "--now", VERIFY_AT]);
      assert.equal(JSON.parse(stdout).form.id, "incident-report");
    });
  }

  test("SM2-SM3: formseal's signatures (package and CLI) verify with sm-crypto", async () => {
    const { privateKey, publicKey } = fs.generateKey("SM2-SM3", "sm2-pkg");
    const data = withDigests(example("network-unit-filing"), fs.digestAttachment);
    const r = await fs.FormValidator.builtin("network-unit-filing").seal(data, privateKey, { now: SEED });
    assert.equal(r.sealed, true, JSON.stringify(r.report?.findings?.filter((f) => f.severity === "error")));
    assert.ok(r.payload.attachments.length > 0 && r.payload.attachments.every((a) => /^[0-9a-f]{64}$/.test(a.sm3)));
    const options = { hash: true, der: false }; // default user ID 1234567812345678
    assert.equal(sm2.doVerifySignature(signingInput(r.envelope), hex(r.envelope.signature), sm2PublicHex(publicKey), options), true);
    // A control: the same signature over one changed byte does not verify.
    assert.equal(sm2.doVerifySignature(`${signingInput(r.envelope)}x`, hex(r.envelope.signature), sm2PublicHex(publicKey), options), false);

    const { stdout: keyText } = await cli(["keygen", "--alg", "sm2", "--kid", "sm2-cli"]);
    const { stdout } = await cli(["seal", "user-filing", join(EXAMPLES_DIR, "user-filing.valid.json"), "--key", tempFile("sm2.jwk", keyText), "--now", SEED]);
    const envelope = JSON.parse(stdout);
    assert.equal(JSON.parse(b64(envelope.protected)).alg, "SM2-SM3");
    assert.equal(sm2.doVerifySignature(signingInput(envelope), hex(envelope.signature), sm2PublicHex(JSON.parse(keyText)), options), true);
  });

  test("SM2-SM3: sm-crypto's keys and signatures work in formseal", async () => {
    const keypair = sm2.generateKeyPairHex();
    const jwk = sm2Jwk(keypair, "sm2-peer");
    // sm-crypto signs the signing input of an envelope formseal prepared with the same key.
    const r = await fs.FormValidator.builtin("user-filing").seal(example("user-filing"), jwk, { now: SEED });
    const peerSignature = sm2.doSignature(signingInput(r.envelope), keypair.privateKey, { hash: true, der: false });
    const envelope = { ...r.envelope, signature: Buffer.from(peerSignature, "hex").toString("base64url") };
    assert.notEqual(envelope.signature, r.envelope.signature, "SM2 signatures are randomised in sm-crypto");
    assert.equal(fs.verify(envelope, [publicOf(jwk)], { now: VERIFY_AT }).alg, "SM2-SM3");
    // The user ID is part of the signature: one made with another ID does not verify.
    const otherId = sm2.doSignature(signingInput(r.envelope), keypair.privateKey, { hash: true, der: false, userId: "formseal" });
    assert.throws(
      () => fs.verify({ ...r.envelope, signature: Buffer.from(otherId, "hex").toString("base64url") }, [publicOf(jwk)], { now: VERIFY_AT }),
      { code: "signature_invalid" },
    );
  });

  test("seal refuses data with errors and returns the report", async () => {
    const { privateKey } = fs.generateKey("EdDSA");
    const r = await fs.FormValidator.builtin("user-filing").seal(example("user-filing", "invalid"), privateKey, { now: SEED });
    assert.equal(r.sealed, false);
    assert.equal(r.envelope, undefined);
    assert.ok(r.report.counts.errors > 0 && r.report.valid === false);
  });

  test("an external signer gets the exact signing input; a faulty one is caught", async () => {
    const { privateKey, publicKey } = fs.generateKey("ES256", "usb-1");
    const v = fs.FormValidator.builtin("user-filing");
    let seen;
    const jwsKey = await jose.importJWK(privateKey, "ES256");
    const good = {
      alg: "ES256", kid: "usb-1", publicKey,
      async sign(bytes) {
        seen = new TextDecoder().decode(bytes);
        // A real outside signer: jose signs the bytes it is given, without the envelope.
        const compact = await new jose.CompactSign(bytes).setProtectedHeader({ alg: "ES256" }).sign(jwsKey);
        return b64(compact.split(".")[2]);
      },
    };
    // jose's compact signature is over its own header, so this signer is faulty on purpose.
    await assert.rejects(v.seal(example("user-filing"), good, { now: SEED }), { name: "FormsealError", code: "signature_invalid" });
    assert.match(seen, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "the signer saw base64url(header).base64url(payload)");

    const ok = { ...good, sign: async (bytes) => { seen = bytes; return new Uint8Array(await rawSign(privateKey, bytes)); } };
    const r = await v.seal(example("user-filing"), ok, { now: SEED });
    assert.equal(r.sealed, true);
    assert.equal(new TextDecoder().decode(seen), signingInput(r.envelope));
    await assert.rejects(v.seal(example("user-filing"), { ...ok, sign: () => { throw new Error("card removed"); } }, { now: SEED }),
      (e) => e.code === "signer_failed" && /card removed/.test(e.message));
    await assert.rejects(v.seal(example("user-filing"), { ...ok, sign: async () => "not bytes" }, { now: SEED }), { code: "signer_failed" });
    await assert.rejects(v.seal(example("user-filing"), { ...ok, publicKey: undefined }, { now: SEED }), { code: "signer_invalid" });
    await assert.rejects(v.seal(example("user-filing"), { ...ok, alg: "EdDSA" }, { now: SEED }), { code: "alg_mismatch" });
    await assert.rejects(v.seal(example("user-filing"), publicKey, { now: SEED }), { code: "jwk_invalid" });
  });

  test("verify throws a FormsealError whose code says why", async () => {
    const ed = fs.generateKey("EdDSA", "k1");
    const es = fs.generateKey("ES256", "k1");
    const r = await fs.FormValidator.builtin("user-filing").seal(example("user-filing"), ed.privateKey, { now: SEED, ttl: "1h" });
    const code = (envelope, keys, options = { now: VERIFY_AT }) => {
      try {
        fs.verify(envelope, keys, options);
        return "verified";
      } catch (e) {
        assert.equal(e.name, "FormsealError");
        return e.code;
      }
    };
    assert.equal(code(r.envelope, [ed.publicKey]), "verified");
    assert.equal(code(JSON.stringify(r.envelope), { keys: [ed.publicKey] }), "verified", "text and a JWKS work too");
    assert.equal(code(r.envelope, [es.publicKey]), "alg_mismatch", "the key pins the algorithm");
    assert.equal(code(r.envelope, [ed.publicKey], { now: "2005-06-01T11:00:00+08:00" }), "expired");
    assert.equal(code(r.envelope, [ed.publicKey], { now: "2005-06-01T09:50:00+08:00" }), "issued_in_future");
    assert.equal(code(r.envelope, [ed.publicKey], { now: "2005-06-01T09:50:00+08:00", maxSkew: 900 }), "verified");
    const flipped = r.envelope.signature.startsWith("A") ? `B${r.envelope.signature.slice(1)}` : `A${r.envelope.signature.slice(1)}`;
    assert.equal(code({ ...r.envelope, signature: flipped }, [ed.publicKey]), "signature_invalid");
    assert.equal(code({ ...r.envelope, header: { kid: "k1" } }, [ed.publicKey]), "header_unprotected");
    assert.equal(code(r.envelope, [ed.privateKey]), "jwk_private_in_key_set");
    assert.equal(code(r.envelope, [fs.generateKey("EdDSA", "k2").publicKey]), "unknown_kid");
    const vs = await fs.FormValidator.builtin("virus-sample-storage").seal(example("virus-sample-storage"), ed.privateKey, { now: SEED });
    assert.equal(code(vs.envelope, [ed.publicKey]), "verified");
    const moved = { virus_application: { before: "2005-06-27T16:30:00+08:00" } };
    assert.equal(code(vs.envelope, [ed.publicKey], { now: VERIFY_AT, deadlines: moved }), "digest_mismatch",
      "a receiver with other deadline overrides has another definition");
  });

  test("verify refuses payloads no sealer produces, even signed by a trusted key", async () => {
    // RFC 8785 for the values a payload holds: members sorted by UTF-16 code units, ES6 numbers.
    const canonical = (v) => Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
      : v && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
      : JSON.stringify(v);
    const code = (envelope, keys) => {
      try {
        fs.verify(envelope, keys, { now: VERIFY_AT });
        return "verified";
      } catch (e) {
        assert.equal(e.name, "FormsealError");
        return e.code;
      }
    };
    // The key holder edits a genuine payload and signs it again (jose, or sm-crypto for SM2).
    const forge = async (r, key, edit) => {
      const payload = structuredClone(r.payload);
      edit(payload);
      const bytes = new TextEncoder().encode(canonical(payload));
      if (key.alg === "SM2-SM3") {
        const protectedB64 = r.envelope.protected;
        const payloadB64 = Buffer.from(bytes).toString("base64url");
        const signature = sm2.doSignature(`${protectedB64}.${payloadB64}`, hex(key.d), { hash: true, der: false });
        return { protected: protectedB64, payload: payloadB64, signature: Buffer.from(signature, "hex").toString("base64url") };
      }
      return new jose.FlattenedSign(bytes).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TYP }).sign(await jose.importJWK(key, key.alg));
    };

    const ed = fs.generateKey("EdDSA", "k1");
    const data = example("network-unit-filing");
    data.websites[0].domains.push("раураӏ.com"); // a look-alike domain: a warning about the data
    data.websites[0].homepage = "www.huaxin-wt.com.cn"; // a warning that http:// was added
    data.note = "<b>x</b>"; // a warning that the field is dropped
    const r = await fs.FormValidator.builtin("network-unit-filing").seal(data, ed.privateKey, { now: SEED });
    assert.equal(r.sealed, true);
    assert.deepEqual(r.payload.warnings.map((w) => w.code), ["domain_confusable", "url_scheme_added", "unknown_field"]);
    assert.equal(code(r.envelope, [ed.publicKey]), "verified");
    assert.equal(code(await forge(r, ed.privateKey, () => {}), [ed.publicKey]), "verified", "re-signing alone changes nothing");

    const cases = [
      ["payload_not_normalized", (p) => { p.data.unit_name = `  ${p.data.unit_name} `; }],
      ["payload_not_normalized", (p) => { p.data.principal.mobile = "137 0109 8765"; }],
      ["payload_not_normalized", (p) => { p.data.note = "<script>alert(1)</script>"; }],
      ["warnings_mismatch", (p) => { p.warnings.push({ path: "", code: "approved", message: "已审核通过" }); }],
      ["warnings_mismatch", (p) => { p.warnings[0].message = "已审核通过"; }],
      ["warnings_mismatch", (p) => { p.warnings = []; }],
      ["warnings_mismatch", (p) => { p.warnings.reverse(); }],
      ["attachments_mismatch", (p) => { p.attachments = []; }],
      ["attachments_mismatch", (p) => { p.attachments[0].size += 1; }],
      ["nonce_invalid", (p) => { p.nonce = ""; }],
      ["nonce_invalid", (p) => { p.nonce = "x"; }],
      ["time_invalid", (p) => { p.iat = p.iat.replace("+08:00", ""); }],
      ["time_invalid", (p) => { p.iat = p.iat.replace("2005", "２００５"); }],
      ["time_invalid", (p) => { p.exp = "2005-06-02T02:00:00Z"; }],
      ["ttl_invalid", (p) => { p.exp = "2005-06-01T09:00:00+08:00"; }],
      ["ttl_too_long", (p) => { p.exp = "9000-01-01T00:00:00+08:00"; }],
    ];
    for (const [expected, edit] of cases) {
      assert.equal(code(await forge(r, ed.privateKey, edit), [ed.publicKey]), expected, edit.toString());
    }

    // An SM2-SM3 seal whose attachment lost its SM3 digest, in the data and the list alike.
    const sm = fs.generateKey("SM2-SM3", "sm2");
    const s = await fs.FormValidator.builtin("network-unit-filing").seal(withDigests(example("network-unit-filing"), fs.digestAttachment), sm.privateKey, { now: SEED });
    assert.equal(s.sealed, true);
    assert.equal(code(await forge(s, sm.privateKey, () => {}), [sm.publicKey]), "verified");
    const noSm3 = await forge(s, sm.privateKey, (p) => {
      delete p.data.approval_certificate.sm3;
      delete p.attachments[0].sm3;
    });
    assert.equal(code(noSm3, [sm.publicKey]), "attachments_mismatch");
    // And the sealer gives no time to live over a year and a day.
    await assert.rejects(fs.FormValidator.builtin("user-filing").seal(example("user-filing"), ed.privateKey, { now: SEED, ttl: "8785h" }),
      (e) => e.name === "FormsealError" && e.code === "ttl_too_long");
  });

  test("bad arguments to seal, verify and generateKey are typed errors, never a crash", async () => {
    const v = fs.FormValidator.builtin("user-filing");
    const data = example("user-filing");
    const { privateKey, publicKey } = fs.generateKey("EdDSA", "k");
    for (const signer of [null, undefined, 42, "jwk", [], {}, { kty: "OKP" }, { ...privateKey, d: "AAAA" }, { alg: "EdDSA", kid: "k", sign: 5, publicKey }]) {
      await assert.rejects(v.seal(data, signer, { now: SEED }), (e) => e.name === "FormsealError" && typeof e.code === "string", `signer ${JSON.stringify(signer)}`);
    }
    for (const options of [{ ttl: -1 }, { ttl: "forever" }, { now: "yesterday" }, { locale: "fr" }]) {
      await assert.rejects(v.seal(data, privateKey, options), { code: "invalid_option" }, JSON.stringify(options));
    }
    for (const envelope of [null, 7, "", "{", "[]", {}, { protected: 1, payload: 2, signature: 3 }, "x".repeat(5_000_000)]) {
      assert.throws(() => fs.verify(envelope, [publicKey]), (e) => e.name === "FormsealError" && typeof e.code === "string");
    }
    for (const keys of [null, [], {}, { keys: 5 }, [{ kty: "RSA", kid: "r" }], Array(101).fill(publicKey)]) {
      assert.throws(() => fs.verify("{}", keys), (e) => e.name === "FormsealError" && /^jwk_|invalid_argument/.test(e.code), JSON.stringify(keys)?.slice(0, 40));
    }
    assert.throws(() => fs.generateKey("RS256"), { code: "invalid_argument" });
  });

  test("digestAttachment gives the standard SHA-256 and SM3 of \"abc\"", () => {
    assert.deepEqual(fs.digestAttachment(new TextEncoder().encode("abc")), {
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      sm3: "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    });
  });
});

/** ES256 over `bytes` with Node's WebCrypto, r‖s as JWS wants: a signer that knows nothing of formseal. */
async function rawSign(jwk, bytes) {
  const key = await crypto.subtle.importKey("jwk", { ...jwk, alg: undefined, kid: undefined }, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  return crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, bytes);
}
