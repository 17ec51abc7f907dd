// The demo portal's own script: one signing key per browser, and formseal-embed told to use it.
//
// The key is a non-extractable WebCrypto Ed25519 key (P-256 where a browser lacks Ed25519), kept
// in IndexedDB so it survives reloads; page scripts can ask it to sign while the page is open but
// can never read it. Its public half is registered with the reference receiver (POST /api/keys).
// A real portal would register the key against the logged-in account, or use the certificate key
// on the unit's USB key, and verify each envelope only with the keys of the account that sends it
// (SECURITY.md).
import { configure } from "/pkg/embed.js";

const DB = "formseal-demo";
const STORE = "keys";

function idb(mode, run) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    };
  });
}

async function newKey() {
  const algorithms = [
    { generate: { name: "Ed25519" }, sign: { name: "Ed25519" }, alg: "EdDSA" },
    { generate: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" }, alg: "ES256" },
  ];
  for (const a of algorithms) {
    try {
      const pair = await crypto.subtle.generateKey(a.generate, false, ["sign", "verify"]);
      const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      const kid = `browser-${crypto.randomUUID()}`;
      const publicKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}), kid, alg: a.alg };
      return { privateKey: pair.privateKey, publicKey, sign: a.sign, registered: false };
    } catch {
      // this browser lacks the algorithm: try the next
    }
  }
  throw new Error("this browser has neither Ed25519 nor P-256 in WebCrypto");
}

let keyPromise;

/** The browser's key: loaded from IndexedDB, or made and stored; registered with the receiver. */
function browserKey() {
  keyPromise ??= (async () => {
    let key = await idb("readonly", (s) => s.get("signing")).catch(() => undefined);
    if (!key) {
      key = await newKey();
      await idb("readwrite", (s) => s.put(key, "signing"));
    }
    if (!key.registered) {
      const response = await fetch("/api/keys", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(key.publicKey),
      });
      if (!response.ok) throw new Error(`the receiver refused the key (${response.status})`);
      key.registered = true;
      await idb("readwrite", (s) => s.put(key, "signing"));
    }
    return key;
  })();
  keyPromise.catch(() => {
    keyPromise = undefined; // try again on the next submit
  });
  return keyPromise;
}

configure({
  signer: async () => {
    const key = await browserKey();
    return {
      alg: key.publicKey.alg,
      kid: key.publicKey.kid,
      publicKey: key.publicKey,
      sign: (bytes) => crypto.subtle.sign(key.sign, key.privateKey, bytes),
    };
  },
});

// Remember the last envelope so the "sealed payload" page can show it.
document.addEventListener("formseal:sealed", (e) => {
  sessionStorage.setItem("formseal:last", JSON.stringify(e.detail.envelope));
});
document.addEventListener("formseal:receipt", (e) => {
  sessionStorage.setItem("formseal:last-receipt", JSON.stringify(e.detail));
});
