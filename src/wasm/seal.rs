//! Sealing and verifying from JavaScript: `validator.seal`, `verify`, `generateKey` and
//! `digestAttachment`. Randomness (nonces, key seeds) comes from `crypto.getRandomValues`; the
//! core itself takes none.

use js_sys::{Function, Promise, Reflect, Uint8Array};
use serde_json::{json, Map, Value};
use sha2::Digest as _;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::js::{self, BytesError};
use super::{
    builtin_form, compile_options, definition_text, error, get, json_value, locale_option, now_option, options_arg,
    string_arg, stringify, to_js,
};
use super::{FormInput, FormValidator};
use crate::seal::envelope::{self, Refusal, SealOptions, Unsigned, VerifyOptions};
use crate::seal::keys::{Algorithm, GenerateError, KeyError, PrivateKey, PublicKey};
use crate::Form;

#[wasm_bindgen(typescript_custom_section)]
const SEAL_TYPES: &'static str = r#"
/** `EdDSA` (Ed25519, RFC 8037), `ES256` (P-256, r‖s) or `SM2-SM3` (GB/T 32918 with SM3, this project's name). */
export type SealAlgorithm = "EdDSA" | "ES256" | "SM2-SM3";
/** A JWK (RFC 7517): OKP/Ed25519, EC/P-256 or EC/SM2; `d` only in a private key. */
export interface Jwk { kty: string; crv: string; x: string; y?: string; d?: string; kid?: string; alg?: string; use?: string; }
/** A key set: a JWKS, an array of public JWKs, or one public JWK. */
export type KeySet = { keys: Jwk[] } | Jwk[] | Jwk;
/**
 * A signer outside the module (a non-extractable WebCrypto key, a USB key): it is given the exact
 * signing input and returns the 64-byte signature. `publicKey` checks the signature before the
 * envelope is handed out.
 */
export interface ExternalSigner {
  alg: SealAlgorithm; kid: string; publicKey: Jwk;
  sign(signingInput: Uint8Array<ArrayBuffer>): Promise<ArrayBufferView | ArrayBuffer> | ArrayBufferView | ArrayBuffer;
}
/** A private JWK (with `kid`) handed to the module, or an external signer. */
export type Signer = Jwk | ExternalSigner;
/** `ttl`: seconds, or a duration such as "24h" or "PT24H" (default 24 hours). */
export interface SealOptions { now?: Date | string; ttl?: number | string; locale?: Locale; }
/** A JWS in the flattened JSON serialization, protected header only. */
export interface Envelope { protected: string; payload: string; signature: string; }
export interface Payload {
  form: { id: string; version: string; digest: string };
  data: { [field: string]: JsonValue };
  warnings: { path: string; code: string; message: string }[];
  attachments: { [key: string]: JsonValue }[];
  iat: string; exp: string; nonce: string; locale: Locale;
  generator: { name: string; version: string };
}
/** Sealed, or refused because the data has errors (then `report` says which). */
export type SealResult =
  | { sealed: true; envelope: Envelope; payload: Payload; report: Report }
  | { sealed: false; report: Report };
/**
 * `maxSkew`: seconds an issued-at may lie in the future (default 300). `deadlines`: the overrides
 * the sealer used. `definitions`: custom forms (JSON text or objects) besides the built-in ones.
 */
export interface VerifyOptions {
  now?: Date | string; maxSkew?: number; deadlines?: { [name: string]: DeadlineOverride };
  definitions?: (string | object)[];
}
/** A verified payload; `nonce` is for the receiver's replay check. */
export interface Verified { kid: string; alg: SealAlgorithm; nonce: string; payload: Payload; report: Report; }
export interface KeyPair { privateKey: Jwk; publicKey: Jwk; }
/** Lower-case hex digests of an attachment's bytes. */
export interface AttachmentDigests { sha256: string; sm3: string; }
"#;

#[wasm_bindgen]
extern "C" {
    /// `Signer` in TypeScript.
    #[wasm_bindgen(typescript_type = "Signer")]
    pub type Signer;
    /// `SealOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "SealOptions")]
    pub type SealOptionsJs;
    /// `VerifyOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "VerifyOptions")]
    pub type VerifyOptionsJs;
    /// `KeySet` in TypeScript.
    #[wasm_bindgen(typescript_type = "KeySet")]
    pub type KeySet;
    /// `Envelope | string` in TypeScript.
    #[wasm_bindgen(typescript_type = "Envelope | string")]
    pub type EnvelopeInput;
    /// `SealAlgorithm` in TypeScript.
    #[wasm_bindgen(typescript_type = "SealAlgorithm")]
    pub type SealAlgorithmTag;
}

fn key_error(e: KeyError) -> JsValue {
    error(e.code(), e.message(), None)
}

fn seal_error(e: envelope::SealError) -> JsValue {
    error(e.code(), e.message(), None)
}

/// Fills `buf` from `crypto.getRandomValues` (browsers, Node 19+, Deno).
fn random(buf: &mut [u8]) -> Result<(), JsValue> {
    let no_source = || error("random_unavailable", "crypto.getRandomValues is not available", None);
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| no_source())?;
    let fill = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(no_source)?;
    let array = Uint8Array::new_with_length(buf.len() as u32);
    fill.call1(&crypto, &array).map_err(|_| no_source())?;
    array.copy_to(buf);
    Ok(())
}

fn ttl_option(options: &JsValue) -> Result<crate::time::SignedDuration, JsValue> {
    let bad = || error("invalid_option", "ttl is seconds or a duration such as \"24h\"", Some("ttl"));
    match get(options, "ttl")? {
        None => Ok(crate::time::SignedDuration::from_hours(24)),
        Some(v) => match (v.as_f64(), v.as_string()) {
            (Some(secs), _) if secs.is_finite() && secs > 0.0 && secs < 1e12 => {
                Ok(crate::time::SignedDuration::from_secs(secs as i64))
            }
            (_, Some(text)) => text.parse::<crate::time::SignedDuration>().map_err(|_| bad()),
            _ => Err(bad()),
        },
    }
}

/// A JS object as a JSON value (through `JSON.stringify`, within the data limits).
fn object_json(value: &JsValue, what: &str) -> Result<Value, JsValue> {
    match json_value(value)? {
        v @ Value::Object(_) => Ok(v),
        _ => Err(error("invalid_argument", &format!("{what} is an object"), None)),
    }
}

/// The longest signature read from an external signer (an SM2 or P-256 `r ‖ s` is 64 bytes).
const MAX_SIGNATURE_BYTES: u32 = 1024;

/// The bytes an external signer returned: a typed array, `DataView` or `ArrayBuffer`; anything
/// else (a `Proxy`, a detached buffer, `Object.create(Uint8Array.prototype)`) is `signer_failed`.
fn signature_bytes(value: &JsValue) -> Result<Vec<u8>, JsValue> {
    let view = js::bytes(value).map_err(|e| match e {
        BytesError::NotBytes => {
            error("signer_failed", "the signer returned neither a Uint8Array nor an ArrayBuffer", None)
        }
        BytesError::Detached => error("signer_failed", "the signer returned a detached buffer", None),
    })?;
    if view.length() > MAX_SIGNATURE_BYTES {
        return Err(error("signer_failed", "the signer returned more bytes than any signature has", None));
    }
    Ok(view.to_vec())
}

/// Signs with `signature` (made by whoever holds the key), checks it with `public`, and gives the
/// `SealResult` object.
fn finish(unsigned: Unsigned, signature: &[u8], public: &PublicKey) -> Result<JsValue, JsValue> {
    let payload = serde_json::to_value(unsigned.payload()).map_err(|e| error("internal", &e.to_string(), None))?;
    let report = serde_json::to_value(unsigned.report()).map_err(|e| error("internal", &e.to_string(), None))?;
    let envelope = unsigned.finish(signature, Some(public)).map_err(seal_error)?;
    to_js(&json!({ "sealed": true, "envelope": envelope, "payload": payload, "report": report }))
}

#[wasm_bindgen]
impl FormValidator {
    /// Validates `data` and, when it has no errors, seals it: resolves to `{ sealed: true,
    /// envelope, payload, report }`, or `{ sealed: false, report }` when the data has errors
    /// (nothing with errors is ever sealed). The signer is a private JWK with a `kid`, or an
    /// external signer `{ alg, kid, publicKey, sign(bytes) }`. Other failures reject with a
    /// `FormsealError`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SealResult>")]
    pub fn seal(&self, data: FormInput, signer: Signer, options: Option<SealOptionsJs>) -> Promise {
        let signer: JsValue = signer.into();
        let started = options_arg(options).and_then(|options| self.start_seal(data.into(), signer.clone(), options));
        match started {
            Ok(Started::Done(value)) => Promise::resolve(&value),
            Ok(Started::External { unsigned, sign, public }) => wasm_bindgen_futures::future_to_promise(async move {
                // Every step catches what JavaScript throws, so the promise always settles.
                let input = Uint8Array::from(unsigned.signing_input().as_bytes());
                let returned = sign
                    .call1(&signer, &input)
                    .map_err(|e| error("signer_failed", &format!("the signer threw: {}", js::message_of(&e)), None))?;
                let signature = JsFuture::from(Promise::resolve(&returned))
                    .await
                    .map_err(|e| error("signer_failed", &format!("the signer failed: {}", js::message_of(&e)), None))?;
                finish(*unsigned, &signature_bytes(&signature)?, &public)
            }),
            Err(e) => Promise::reject(&e),
        }
    }

    fn start_seal(&self, data: JsValue, signer: JsValue, options: JsValue) -> Result<Started, JsValue> {
        let data = super::form_data(&data)?;
        let mut nonce = [0u8; 16];
        random(&mut nonce)?;
        let seal_options = SealOptions {
            now: now_option(&options)?,
            ttl: ttl_option(&options)?,
            nonce,
            locale: locale_option(&options, self.locale)?,
        };
        let refused = |r: Refusal| match r {
            Refusal::Invalid(report) => match to_js(&json!({ "sealed": false, "report": report })) {
                Ok(v) => Ok(Started::Done(v)),
                Err(e) => Err(e),
            },
            Refusal::Error(e) => Err(seal_error(e)),
        };
        let field = |name: &'static str| {
            js::property(&signer, name).map_err(|e| {
                error("signer_invalid", &format!("the signer's {name} could not be read: {}", js::message_of(&e)), None)
            })
        };
        if let Some(sign) = field("sign")? {
            let sign = sign.dyn_into::<Function>().map_err(|_| error("signer_invalid", "sign is a function", None))?;
            let alg = field("alg")?
                .and_then(|a| js::string(&a, 16).ok())
                .and_then(|a| Algorithm::parse(&a))
                .ok_or_else(|| error("signer_invalid", "the signer's alg is EdDSA, ES256 or SM2-SM3", None))?;
            let kid = field("kid")?
                .and_then(|k| js::string(&k, 1024).ok())
                .filter(|k| !k.is_empty())
                .ok_or_else(|| error("signer_invalid", "the signer needs a kid (a string)", None))?;
            let public = field("publicKey")?.ok_or_else(|| {
                error("signer_invalid", "the signer needs its publicKey (a JWK) to check signatures", None)
            })?;
            let public = PublicKey::from_jwk(&object_json(&public, "publicKey")?).map_err(key_error)?;
            if public.alg() != alg {
                return Err(error("alg_mismatch", "the signer's publicKey is of another algorithm than its alg", None));
            }
            return match envelope::prepare(&self.form, &data, alg, &kid, &seal_options) {
                Ok(unsigned) => Ok(Started::External { unsigned: Box::new(unsigned), sign, public: Box::new(public) }),
                Err(r) => refused(r),
            };
        }
        let key = PrivateKey::from_jwk(&object_json(&signer, "the signer")?).map_err(key_error)?;
        let kid = key.kid().ok_or_else(|| error("jwk_missing_kid", "the signing key needs a kid", None))?;
        match envelope::prepare(&self.form, &data, key.alg(), kid, &seal_options) {
            Ok(unsigned) => {
                let signature = key.sign(unsigned.signing_input().as_bytes()).map_err(key_error)?;
                finish(unsigned, &signature, &key.public()).map(Started::Done)
            }
            Err(r) => refused(r),
        }
    }
}

enum Started {
    Done(JsValue),
    External { unsigned: Box<Unsigned>, sign: Function, public: Box<PublicKey> },
}

/// Verifies an envelope (an object or its JSON text) against trusted keys, looked up by `kid`;
/// the key pins the algorithm. Re-validates the data with the form's rules at the time it was
/// sealed. Returns the verified payload and its nonce (refuse a nonce you have seen: replay), or
/// throws a `FormsealError` whose `code` says why (`signature_invalid`, `expired`, …).
#[wasm_bindgen(unchecked_return_type = "Verified")]
pub fn verify(envelope: EnvelopeInput, keys: KeySet, options: Option<VerifyOptionsJs>) -> Result<JsValue, JsValue> {
    let options = options_arg(options)?;
    let envelope: JsValue = envelope.into();
    let text = if envelope.is_string() {
        // Twice the data limit, as the canonical-JSON reader's own limit (`seal::jcs`).
        string_arg(&envelope, "the envelope", 2 * crate::limits::MAX_DATA_BYTES)
            .map_err(|_| error("envelope_malformed", "the envelope is larger than the limit", None))?
    } else {
        stringify(&envelope)?.ok_or_else(|| error("envelope_malformed", "the envelope is an object", None))?
    };
    let keys: JsValue = keys.into();
    let keys_json =
        if js::is_array(&keys) { json!({ "keys": json_value(&keys)? }) } else { object_json(&keys, "the key set")? };
    let keys = crate::seal::keys::key_set(&keys_json).map_err(key_error)?;
    let compile = compile_options(&options)?;
    let mut custom = Vec::new();
    if let Some(definitions) = get(&options, "definitions")? {
        let definitions = js::array_items(&definitions, 100)
            .ok_or_else(|| error("invalid_option", "definitions is an array of at most 100", Some("definitions")))?;
        for d in definitions {
            let form = Form::compile_with(&definition_text(&d)?, &compile).map_err(super::schema_error)?;
            custom.push(form);
        }
    }
    let max_skew = match get(&options, "maxSkew")? {
        None => crate::time::SignedDuration::from_mins(5),
        Some(v) => match v.as_f64() {
            Some(s) if s.is_finite() && (0.0..1e9).contains(&s) => crate::time::SignedDuration::from_secs(s as i64),
            _ => return Err(error("invalid_option", "maxSkew is a number of seconds", Some("maxSkew"))),
        },
    };
    let builtin = std::cell::OnceCell::new();
    let form_for = |id: &str, version: &str| -> Option<&Form> {
        custom.iter().find(|f| f.id() == id && f.version() == version).or_else(|| {
            // Shared with the validators when there are no overrides: not compiled per call.
            let form = builtin_form(id, &compile).ok().filter(|f| f.version() == version)?;
            Some(&**builtin.get_or_init(|| form))
        })
    };
    let verified = envelope::verify(&text, &keys, &VerifyOptions { now: now_option(&options)?, max_skew }, &form_for)
        .map_err(seal_error)?;
    let mut out = Map::new();
    out.insert("kid".into(), Value::String(verified.kid));
    out.insert("alg".into(), Value::String(verified.alg.name().to_owned()));
    out.insert("nonce".into(), Value::String(verified.nonce));
    out.insert(
        "payload".into(),
        serde_json::to_value(&verified.payload).map_err(|e| error("internal", &e.to_string(), None))?,
    );
    out.insert(
        "report".into(),
        serde_json::to_value(&verified.report).map_err(|e| error("internal", &e.to_string(), None))?,
    );
    to_js(&Value::Object(out))
}

/// A new key pair for `alg`, from `crypto.getRandomValues`: `{ privateKey, publicKey }` as JWKs
/// with `alg` and `kid` (random when not given). For demos and tests: a key in page memory is
/// readable by any script on the page; prefer a non-extractable WebCrypto key (SECURITY.md).
#[wasm_bindgen(js_name = generateKey, unchecked_return_type = "KeyPair")]
pub fn generate_key(
    alg: SealAlgorithmTag,
    #[wasm_bindgen(unchecked_param_type = "string | null")] kid: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let name = js::string(&JsValue::from(alg), 16).unwrap_or_default();
    let alg = Algorithm::parse(&name)
        .ok_or_else(|| error("invalid_argument", "the algorithm is EdDSA, ES256 or SM2-SM3", None))?;
    let kid = match kid.filter(|k| !k.is_undefined() && !k.is_null()) {
        Some(k) => Some(string_arg(&k, "kid", 1024)?),
        None => None,
    };
    let kid = match kid.filter(|k| !k.is_empty()) {
        Some(k) => k,
        None => {
            let mut bytes = [0u8; 9];
            random(&mut bytes)?;
            crate::seal::b64::encode(&bytes)
        }
    };
    let key = PrivateKey::generate(alg, Some(kid), &mut |seed| random(seed)).map_err(|e| match e {
        GenerateError::Random(e) => e,
        GenerateError::Key(e) => key_error(e),
    })?;
    to_js(&json!({ "privateKey": key.to_jwk(), "publicKey": key.public().to_jwk() }))
}

/// Bytes copied into the module at a time while hashing an attachment: its memory stays bounded
/// whatever the attachment's size.
const DIGEST_CHUNK: u32 = 64 * 1024;

/// SHA-256 and SM3 of an attachment's bytes, lower-case hex, for its metadata (WebCrypto has no
/// SM3, which seals with SM2 keys need). `bytes` is an `ArrayBuffer`, a typed array (its bytes,
/// whatever the element type) or a `DataView` (its window of the buffer); anything else (a
/// `Blob`, a string, an array of numbers) is `invalid_argument`, a detached buffer
/// `attachment_detached`.
#[wasm_bindgen(js_name = digestAttachment, unchecked_return_type = "AttachmentDigests")]
pub fn digest_attachment(
    #[wasm_bindgen(unchecked_param_type = "ArrayBuffer | ArrayBufferView")] bytes: JsValue,
) -> Result<JsValue, JsValue> {
    let view = js::bytes(&bytes).map_err(|e| match e {
        BytesError::NotBytes => error(
            "invalid_argument",
            "an attachment is an ArrayBuffer, a typed array or a DataView (read a Blob with arrayBuffer() first)",
            None,
        ),
        BytesError::Detached => error("attachment_detached", "the attachment's buffer is detached", None),
    })?;
    let length = view.length();
    let mut chunk = vec![0u8; length.min(DIGEST_CHUNK) as usize];
    let (mut sha256, mut sm3) = (sha2::Sha256::new(), sm3::Sm3::new());
    let mut start = 0;
    while start < length {
        let end = length.min(start.saturating_add(DIGEST_CHUNK));
        let Some(part) = chunk.get_mut(..(end - start) as usize) else { break };
        view.subarray(start, end).copy_to(part);
        sha256.update(&*part);
        sm3.update(&*part);
        start = end;
    }
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    to_js(&json!({ "sha256": hex(&sha256.finalize()), "sm3": hex(&sm3.finalize()) }))
}
