//! Sealing and verifying from JavaScript: `validator.seal`, `verify`, `generateKey` and
//! `digestAttachment`. Randomness (nonces, key seeds) comes from `crypto.getRandomValues`; the
//! core itself takes none.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{compile_options, error, get, json_value, locale_option, now_option, schema_error, stringify, to_js};
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
  sign(signingInput: Uint8Array): Promise<Uint8Array | ArrayBuffer> | Uint8Array | ArrayBuffer;
}
/** A private JWK (with `kid`) handed to the module, or an external signer. */
export type Signer = Jwk | ExternalSigner;
/** `ttl`: seconds, or a duration such as "24h" or "PT24H" (default 24 hours). */
export interface SealOptions { now?: Date | string; ttl?: number | string; locale?: Locale | string; }
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

fn ttl_option(options: &JsValue) -> Result<jiff::SignedDuration, JsValue> {
    let bad = || error("invalid_option", "ttl is seconds or a duration such as \"24h\"", Some("ttl"));
    match get(options, "ttl") {
        None => Ok(jiff::SignedDuration::from_hours(24)),
        Some(v) => match (v.as_f64(), v.as_string()) {
            (Some(secs), _) if secs.is_finite() && secs > 0.0 && secs < 1e12 => {
                Ok(jiff::SignedDuration::from_secs(secs as i64))
            }
            (_, Some(text)) => text.parse::<jiff::SignedDuration>().map_err(|_| bad()),
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

fn signature_bytes(value: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    Err(error("signer_failed", "the signer returned neither a Uint8Array nor an ArrayBuffer", None))
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
        match self.start_seal(data.into(), signer.into(), options.map(Into::into).unwrap_or(JsValue::UNDEFINED)) {
            Ok(Started::Done(value)) => Promise::resolve(&value),
            Ok(Started::External { unsigned, sign, public }) => wasm_bindgen_futures::future_to_promise(async move {
                let input = Uint8Array::from(unsigned.signing_input().as_bytes());
                let returned = sign
                    .call1(&JsValue::UNDEFINED, &input)
                    .map_err(|e| error("signer_failed", &format!("the signer threw: {}", describe(&e)), None))?;
                let signature = JsFuture::from(Promise::resolve(&returned))
                    .await
                    .map_err(|e| error("signer_failed", &format!("the signer failed: {}", describe(&e)), None))?;
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
        if let Some(sign) = get(&signer, "sign") {
            let sign = sign.dyn_into::<Function>().map_err(|_| error("signer_invalid", "sign is a function", None))?;
            let alg = get(&signer, "alg")
                .and_then(|a| a.as_string())
                .and_then(|a| Algorithm::parse(&a))
                .ok_or_else(|| error("signer_invalid", "the signer's alg is EdDSA, ES256 or SM2-SM3", None))?;
            let kid = get(&signer, "kid")
                .and_then(|k| k.as_string())
                .filter(|k| !k.is_empty())
                .ok_or_else(|| error("signer_invalid", "the signer needs a kid", None))?;
            let public = get(&signer, "publicKey").ok_or_else(|| {
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

fn describe(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Verifies an envelope (an object or its JSON text) against trusted keys, looked up by `kid`;
/// the key pins the algorithm. Re-validates the data with the form's rules at the time it was
/// sealed. Returns the verified payload and its nonce (refuse a nonce you have seen: replay), or
/// throws a `FormsealError` whose `code` says why (`signature_invalid`, `expired`, …).
#[wasm_bindgen(unchecked_return_type = "Verified")]
pub fn verify(envelope: EnvelopeInput, keys: KeySet, options: Option<VerifyOptionsJs>) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let envelope: JsValue = envelope.into();
    let text = match envelope.as_string() {
        Some(text) => text,
        None => stringify(&envelope)?.ok_or_else(|| error("envelope_malformed", "the envelope is an object", None))?,
    };
    let keys: JsValue = keys.into();
    let keys_json =
        if Array::is_array(&keys) { json!({ "keys": json_value(&keys)? }) } else { object_json(&keys, "the key set")? };
    let keys = crate::seal::keys::key_set(&keys_json).map_err(key_error)?;
    let compile = compile_options(&options)?;
    let mut custom = Vec::new();
    if let Some(definitions) = get(&options, "definitions") {
        let definitions = definitions
            .dyn_into::<Array>()
            .map_err(|_| error("invalid_option", "definitions is an array", Some("definitions")))?;
        for d in definitions.iter() {
            let text = match d.as_string() {
                Some(t) => t,
                None => stringify(&d)?.unwrap_or_default(),
            };
            custom.push(Form::compile_with(&text, &compile).map_err(schema_error)?);
        }
    }
    let max_skew = match get(&options, "maxSkew") {
        None => jiff::SignedDuration::from_mins(5),
        Some(v) => match v.as_f64() {
            Some(s) if s.is_finite() && (0.0..1e9).contains(&s) => jiff::SignedDuration::from_secs(s as i64),
            _ => return Err(error("invalid_option", "maxSkew is a number of seconds", Some("maxSkew"))),
        },
    };
    let builtin = std::cell::OnceCell::new();
    let form_for = |id: &str, version: &str| -> Option<&Form> {
        custom.iter().find(|f| f.id() == id && f.version() == version).or_else(|| {
            let form = Form::builtin_with(id, &compile).ok().filter(|f| f.version() == version)?;
            Some(builtin.get_or_init(|| form))
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
pub fn generate_key(alg: SealAlgorithmTag, kid: Option<String>) -> Result<JsValue, JsValue> {
    let name = JsValue::from(alg).as_string().unwrap_or_default();
    let alg = Algorithm::parse(&name)
        .ok_or_else(|| error("invalid_argument", "the algorithm is EdDSA, ES256 or SM2-SM3", None))?;
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

/// SHA-256 and SM3 of an attachment's bytes, lower-case hex, for its metadata (WebCrypto has no
/// SM3, which seals with SM2 keys need).
#[wasm_bindgen(js_name = digestAttachment, unchecked_return_type = "AttachmentDigests")]
pub fn digest_attachment(bytes: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&crate::seal::attachment_digests(bytes))
}
