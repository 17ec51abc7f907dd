// Seals a built-in form through the external-signer API with non-extractable WebCrypto keys
// (Ed25519 and P-256): the private key never leaves the browser's key store, formseal only sees
// the signing input and the signature. The results go to window.__sealed for the test, which
// verifies them with the native CLI.
import init, { FormValidator } from "/formseal/formseal.js";

const NOW = "2005-06-01T10:00:00+08:00";
const status = document.getElementById("status");

async function sealWith(algorithm, signParams, alg, kid, data) {
  const pair = await crypto.subtle.generateKey(algorithm, false, ["sign", "verify"]);
  const exported = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const publicKey = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y, kid, alg };
  const signer = {
    alg,
    kid,
    publicKey,
    sign: async (bytes) => crypto.subtle.sign(signParams, pair.privateKey, bytes),
  };
  const result = await FormValidator.builtin("user-filing").seal(data, signer, { now: NOW });
  return { extractable: pair.privateKey.extractable, publicKey, result };
}

try {
  await init();
  const data = await (await fetch("/examples/user-filing.valid.json")).json();
  window.__sealed = {
    ed25519: await sealWith({ name: "Ed25519" }, { name: "Ed25519" }, "EdDSA", "browser-ed25519", data),
    p256: await sealWith({ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }, "ES256", "browser-p256", data),
  };
  document.getElementById("out").textContent = JSON.stringify(window.__sealed.ed25519.result.envelope, null, 2);
  status.textContent = "sealed";
  document.body.dataset.done = "ok";
} catch (e) {
  status.textContent = `${e.name}: ${e.code ?? ""} ${e.message}`;
  document.body.dataset.done = "error";
}
