import { FormValidator, checkIdentifier, forms, isFormsealError, verify } from "formseal";
import type { FindingCode, Jwk, Report } from "formseal";

const form = FormValidator.builtin("network-unit-filing", { locale: "zh-CN" });
const el = document.querySelector("form")!;
const report: Report = form.validate(Object.fromEntries(new FormData(el)), { now: new Date() });
report.valid; report.findings;                                 // the same report as the CLI's JSON
form.validateField("principal.mobile", "138 0013 8000");       // one field as it is typed
form.describe("en");                                           // fields, labels, help, options
checkIdentifier("uscc", "91110000600037341L");                 // same result as `formseal check`
forms().map((f) => f.title.en);                                // the built-in forms
const missing: FindingCode[] = report.findings.filter((f) => f.code === "required").map((f) => f.code);

// Sealing with a non-extractable WebCrypto key: formseal sees only the bytes to sign.
const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
const { kty = "", crv = "", x = "" } = await crypto.subtle.exportKey("jwk", pair.publicKey);
const publicKey: Jwk = { kty, crv, x, kid: "k1", alg: "EdDSA" };
const signer = { alg: "EdDSA", kid: "k1", publicKey,
  sign: (bytes: Uint8Array<ArrayBuffer>) => crypto.subtle.sign("Ed25519", pair.privateKey, bytes) } as const;
const result = await form.seal(Object.fromEntries(new FormData(el)), signer);
if (!result.sealed) console.log(result.report.findings);       // data with errors is never sealed

// On a Node server: the trusted keys by kid, then refuse a nonce seen before.
try {
  const { payload, nonce } = verify(result.sealed ? result.envelope : "", { keys: [publicKey] });
  console.log(payload.form.id, nonce, missing);
} catch (e) {
  if (isFormsealError(e)) console.log(e.code);                 // "signature_invalid", "expired", …
}
