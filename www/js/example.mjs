import { configure } from "/pkg/embed.js";

// A non-extractable key: page scripts can ask it to sign, never read it (SECURITY.md).
const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
const { kty, crv, x } = await crypto.subtle.exportKey("jwk", pair.publicKey);
const publicKey = { kty, crv, x, kid: crypto.randomUUID(), alg: "EdDSA" };
await fetch("/api/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(publicKey) }); // your server: bind it to the account
configure({ signer: { alg: "EdDSA", kid: publicKey.kid, publicKey, sign: (bytes) => crypto.subtle.sign("Ed25519", pair.privateKey, bytes) } });
