//! Sealing and verifying: the payload, the JWS envelope around it, and the verifier's policy.
//!
//! A payload is the normalised data of a valid form with everything a receiver needs to judge it
//! again: the form's id, version and the SHA-256 of the exact definition used (after deadline
//! overrides), the warnings the person was shown, the attachments' digests, issued-at and expiry
//! in Beijing time, a 128-bit nonce and the generator. Its bytes are RFC 8785 canonical JSON.
//!
//! The envelope is a JWS (RFC 7515) in the flattened JSON serialization with a protected header
//! only: `{"alg","kid","typ":"formseal+jws"}`. Signing is split in two so an outside party can
//! sign (a non-extractable WebCrypto key, a USB key): [`prepare`] gives the exact signing input,
//! [`Unsigned::finish`] assembles and checks the envelope.
//!
//! Verification ([`verify`]) pins the algorithm by key id, refuses `none`, `crit`, unprotected
//! headers, embedded keys, non-canonical base64url and payload bytes, a definition digest that
//! does not match, expiry and issued-at in the future beyond the allowed skew, and re-validates the
//! data with the same rules at the time it was sealed. A trusted key can still sign anything, so it
//! then re-derives what a sealer would have produced from the payload's data and refuses any
//! difference: data not in its normalised form, warnings the rules did not give (or left out), an
//! attachments list that is not the data's, a nonce, issued-at or expiry not in the exact form a
//! sealer writes, and a time to live over [`MAX_TTL`]. Like the rest of the core it reads neither
//! the clock nor a random source: `now` and the nonce are passed in.

use std::borrow::Borrow;
use std::fmt;

use crate::time::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::keys::{Algorithm, PrivateKey, PublicKey};
use super::{b64, jcs, rederive};
use crate::report::Report;
use crate::schema::Form;
use crate::{time, Locale, Severity};

/// The `typ` of every formseal envelope's protected header.
pub const ENVELOPE_TYPE: &str = "formseal+jws";
/// The generator name written into every payload.
pub const GENERATOR: &str = "formseal";
/// The longest time to live a sealer gives (366 days: a year, leap day included). A payload whose
/// `exp` is further from its `iat` is refused (`ttl_too_long`), by the sealer and the verifier.
pub const MAX_TTL: SignedDuration = SignedDuration::from_hours(366 * 24);

/// Why sealing or verification failed. Opaque; match on [`SealError::code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealError {
    code: &'static str,
    message: String,
}

impl SealError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        SealError { code, message: message.into() }
    }

    /// Stable code, e.g. `envelope_malformed`, `header_alg_none`, `header_crit`, `header_embedded_key`,
    /// `unknown_kid`, `alg_mismatch`, `signature_invalid`, `payload_not_canonical`, `form_unknown`,
    /// `digest_mismatch`, `nonce_invalid`, `time_invalid`, `ttl_invalid`, `ttl_too_long`, `expired`,
    /// `issued_in_future`, `revalidation_failed`, `payload_not_normalized`, `attachments_mismatch`,
    /// `warnings_mismatch`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, in English.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for SealError {}

/// The SHA-256 of a definition's canonical JSON, `sha-256:` + base64url: what a payload names.
/// Computed once per compiled form and then kept with it.
pub fn definition_digest(form: &Form) -> Result<String, SealError> {
    if let Some(digest) = form.digest.get() {
        return Ok(digest.clone());
    }
    let canonical =
        jcs::canonicalize(form.definition()).map_err(|e| SealError::new("definition_not_canonical", e.to_string()))?;
    let digest = format!("sha-256:{}", b64::encode(&Sha256::digest(canonical.as_bytes())));
    Ok(form.digest.get_or_init(|| digest).clone())
}

/// A warning as the person was shown it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownWarning {
    /// Field path.
    pub path: String,
    /// Stable code.
    pub code: String,
    /// The message as shown.
    pub message: String,
}

/// The form a payload was sealed against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadForm {
    /// Form id.
    pub id: String,
    /// Form version.
    pub version: String,
    /// [`definition_digest`] of the definition used.
    pub digest: String,
}

/// The generator of a payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generator {
    /// `formseal`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// What is signed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// The form.
    pub form: PayloadForm,
    /// The normalised data (long numbers as strings).
    pub data: Value,
    /// The warnings shown to the person.
    pub warnings: Vec<ShownWarning>,
    /// Attachment metadata found in the data, with its path: name, media type, size, digests.
    pub attachments: Vec<Value>,
    /// Issued at, RFC 3339 Beijing time.
    pub iat: String,
    /// Expires at, RFC 3339 Beijing time.
    pub exp: String,
    /// 128 random bits, base64url: a receiver refuses a nonce it has seen.
    pub nonce: String,
    /// The locale the person used.
    pub locale: Locale,
    /// Who made the payload.
    pub generator: Generator,
}

/// Options for sealing.
#[derive(Clone, Debug)]
pub struct SealOptions {
    /// The time of sealing (issued-at), and the time the data is validated at; both to the whole
    /// second, as `iat` is written, so that a verifier validating at `iat` sees what the sealer saw.
    pub now: Timestamp,
    /// How long the payload stays valid: positive, at most [`MAX_TTL`].
    pub ttl: SignedDuration,
    /// 16 random bytes from the caller (the core has no random source).
    pub nonce: [u8; 16],
    /// The locale of the messages.
    pub locale: Locale,
}

/// Sealing refused: either the data has errors (the report says which) or something else failed.
#[derive(Clone, Debug)]
pub enum Refusal {
    /// The data has errors; nothing with errors is ever sealed.
    Invalid(Box<Report>),
    /// Any other failure.
    Error(SealError),
}

impl From<SealError> for Refusal {
    fn from(e: SealError) -> Self {
        Refusal::Error(e)
    }
}

/// A payload ready to be signed by any signer.
#[derive(Clone, Debug)]
pub struct Unsigned {
    alg: Algorithm,
    kid: String,
    protected: String,
    payload: String,
    contents: Payload,
    report: Report,
}

/// A JWS in the flattened JSON serialization, protected header only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// base64url of the protected header's canonical JSON.
    pub protected: String,
    /// base64url of the payload's canonical JSON.
    pub payload: String,
    /// base64url of the signature.
    pub signature: String,
}

fn collect_attachments(value: &Value, path: &str, out: &mut Vec<Value>) {
    match value {
        Value::Object(o) if o.contains_key("sha256") && o.contains_key("media_type") => {
            let mut entry = o.clone();
            entry.insert("path".into(), Value::String(path.to_owned()));
            out.push(Value::Object(entry));
        }
        Value::Object(o) => {
            for (k, v) in o {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                collect_attachments(v, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_attachments(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The path of the first attachment without an SM3 digest.
fn attachment_without_sm3(attachments: &[Value]) -> Option<&str> {
    attachments
        .iter()
        .find(|a| a.get("sm3").is_none())
        .map(|a| a.get("path").and_then(Value::as_str).unwrap_or_default())
}

/// The warnings of a report, as a payload carries them.
fn shown_warnings(report: &Report) -> Vec<ShownWarning> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| ShownWarning { path: f.path.clone(), code: f.code.clone(), message: f.message.clone() })
        .collect()
}

/// Validates `data` and, when it has no errors, builds the payload and the signing input for a
/// key `kid` of algorithm `alg`.
pub fn prepare(
    form: &Form,
    data: &Value,
    alg: Algorithm,
    kid: &str,
    options: &SealOptions,
) -> Result<Unsigned, Refusal> {
    if options.ttl <= SignedDuration::ZERO {
        return Err(SealError::new("ttl_invalid", "the time to live must be positive").into());
    }
    if options.ttl > MAX_TTL {
        return Err(SealError::new("ttl_too_long", format!("the time to live is at most {MAX_TTL:#}")).into());
    }
    // Issued-at is written to the second: validate at exactly that instant, as a verifier will.
    let iat = time::format_instant(options.now);
    let now = time::parse_instant(&iat).unwrap_or(options.now);
    let report = form.validate(data, now, options.locale);
    if !report.valid {
        return Err(Refusal::Invalid(Box::new(report)));
    }
    let mut normalized = report.normalized.clone();
    jcs::long_numbers_to_strings(&mut normalized);
    let mut attachments = Vec::new();
    collect_attachments(&normalized, "", &mut attachments);
    if alg == Algorithm::Sm2Sm3 {
        if let Some(path) = attachment_without_sm3(&attachments) {
            return Err(SealError::new(
                "attachment_sm3_missing",
                format!("{path}: an SM2 seal needs the attachment's SM3 digest"),
            )
            .into());
        }
    }
    let exp = now.checked_add(options.ttl).map_err(|_| SealError::new("ttl_invalid", "the expiry is out of range"))?;
    let payload = Payload {
        form: PayloadForm {
            id: form.id().to_owned(),
            version: form.version().to_owned(),
            digest: definition_digest(form)?,
        },
        data: normalized,
        warnings: shown_warnings(&report),
        attachments,
        iat,
        exp: time::format_instant(exp),
        nonce: b64::encode(&options.nonce),
        locale: options.locale,
        generator: Generator { name: GENERATOR.to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() },
    };
    let payload_value = serde_json::to_value(&payload).map_err(|e| SealError::new("payload_invalid", e.to_string()))?;
    let payload_json =
        jcs::canonicalize(&payload_value).map_err(|e| SealError::new("payload_invalid", e.to_string()))?;
    let mut header = Map::new();
    header.insert("alg".into(), Value::String(alg.name().to_owned()));
    header.insert("kid".into(), Value::String(kid.to_owned()));
    header.insert("typ".into(), Value::String(ENVELOPE_TYPE.to_owned()));
    let header_json =
        jcs::canonicalize(&Value::Object(header)).map_err(|e| SealError::new("header_invalid", e.to_string()))?;
    Ok(Unsigned {
        alg,
        kid: kid.to_owned(),
        protected: b64::encode(header_json.as_bytes()),
        payload: b64::encode(payload_json.as_bytes()),
        contents: payload,
        report,
    })
}

impl Unsigned {
    /// The exact bytes to sign: `base64url(header) "." base64url(payload)` (RFC 7515 §5.1).
    pub fn signing_input(&self) -> String {
        format!("{}.{}", self.protected, self.payload)
    }

    /// The algorithm the signature must be made with.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The key id in the header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The payload that is being signed.
    pub fn payload(&self) -> &Payload {
        &self.contents
    }

    /// The validation report the payload was built from (warnings included).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Assembles the envelope from a signature made elsewhere. With `public_key`, the signature is
    /// checked before the envelope is handed out, so a faulty signer is caught at the source.
    pub fn finish(self, signature: &[u8], public_key: Option<&PublicKey>) -> Result<Envelope, SealError> {
        if let Some(key) = public_key {
            if key.alg() != self.alg {
                return Err(SealError::new("alg_mismatch", "the public key is of another algorithm"));
            }
            if !key.verify(self.signing_input().as_bytes(), signature) {
                return Err(SealError::new("signature_invalid", "the signer's signature does not verify"));
            }
        }
        Ok(Envelope { protected: self.protected, payload: self.payload, signature: b64::encode(signature) })
    }
}

/// Validates and seals `data` with a private key handed to the module.
pub fn seal(form: &Form, data: &Value, key: &PrivateKey, options: &SealOptions) -> Result<Envelope, Refusal> {
    let kid = key.kid().ok_or_else(|| SealError::new("jwk_missing_kid", "the signing key needs a kid"))?;
    let unsigned = prepare(form, data, key.alg(), kid, options)?;
    let signature = key.sign(unsigned.signing_input().as_bytes()).map_err(|e| SealError::new(e.code(), e.message()))?;
    Ok(unsigned.finish(&signature, Some(&key.public()))?)
}

/// Options for verifying.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The time of verification.
    pub now: Timestamp,
    /// How far in the future an issued-at may be (clock skew between browser and server).
    pub max_skew: SignedDuration,
}

/// A payload whose signature, form, time window and data all checked out.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The key id that signed it.
    pub kid: String,
    /// The algorithm.
    pub alg: Algorithm,
    /// The payload.
    pub payload: Payload,
    /// The nonce, for the receiver's replay check.
    pub nonce: String,
    /// The re-validation report at the time of sealing (valid, possibly with warnings).
    pub report: Report,
}

fn decode_json(part: &str, what: &'static str) -> Result<(Vec<u8>, Value), SealError> {
    let bytes = b64::decode(part).map_err(|e| SealError::new("base64_invalid", format!("{what}: {e}")))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| SealError::new("envelope_malformed", format!("{what} is not UTF-8")))?;
    let value = jcs::parse_strict(text).map_err(|e| SealError::new("envelope_malformed", format!("{what}: {e}")))?;
    Ok((bytes, value))
}

/// Verifies an envelope (JSON text) against a trusted key set. `form_for` returns the form a
/// payload names (`id`, `version`), compiled with the same deadline overrides the sealer used: a
/// `&Form` from forms compiled once (a receiver), or an owned one compiled on demand.
pub fn verify<F: Borrow<Form>>(
    envelope: &str,
    keys: &[PublicKey],
    options: &VerifyOptions,
    form_for: &dyn Fn(&str, &str) -> Option<F>,
) -> Result<Verified, SealError> {
    let outer = jcs::parse_strict(envelope).map_err(|e| SealError::new("envelope_malformed", e.to_string()))?;
    let Value::Object(outer) = outer else {
        return Err(SealError::new("envelope_malformed", "an envelope is a JSON object"));
    };
    if outer.contains_key("header") {
        return Err(SealError::new("header_unprotected", "unprotected header members are refused"));
    }
    if outer.contains_key("signatures") {
        return Err(SealError::new(
            "envelope_malformed",
            "the general serialization is not accepted: one signature, flattened",
        ));
    }
    for key in outer.keys() {
        if !matches!(key.as_str(), "protected" | "payload" | "signature") {
            return Err(SealError::new("envelope_malformed", format!("unexpected member {key:?}")));
        }
    }
    let part = |name: &str| -> Result<&str, SealError> {
        outer
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| SealError::new("envelope_malformed", format!("missing {name}")))
    };
    let (protected_b64, payload_b64, signature_b64) = (part("protected")?, part("payload")?, part("signature")?);

    let (_, header) = decode_json(protected_b64, "protected header")?;
    let Value::Object(header) = header else {
        return Err(SealError::new("envelope_malformed", "the protected header is a JSON object"));
    };
    // `crit` first: an extension such as RFC 7797's `b64` comes with members of its own, and the
    // precise reason is that the extension is not understood.
    if header.contains_key("crit") {
        return Err(SealError::new("header_crit", "no critical extension is understood"));
    }
    for key in header.keys() {
        match key.as_str() {
            "alg" | "kid" | "typ" => {}
            "jwk" | "jku" | "x5u" | "x5c" | "x5t" | "x5t#S256" => {
                return Err(SealError::new(
                    "header_embedded_key",
                    "keys come from the trusted key set, never from the envelope",
                ))
            }
            other => return Err(SealError::new("header_unknown", format!("unexpected header member {other:?}"))),
        }
    }
    let alg_name = header.get("alg").and_then(Value::as_str).unwrap_or_default();
    if alg_name.eq_ignore_ascii_case("none") {
        return Err(SealError::new("header_alg_none", "unsigned envelopes are refused"));
    }
    if header.get("typ").and_then(Value::as_str) != Some(ENVELOPE_TYPE) {
        return Err(SealError::new("header_typ", format!("typ must be {ENVELOPE_TYPE:?}")));
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| SealError::new("unknown_kid", "the header names no kid"))?;
    let key = keys
        .iter()
        .find(|k| k.kid() == Some(kid))
        .ok_or_else(|| SealError::new("unknown_kid", format!("no trusted key {kid:?}")))?;
    // The key pins the algorithm: a header alg that differs is refused, whatever it says.
    if key.alg().name() != alg_name {
        return Err(SealError::new(
            "alg_mismatch",
            format!("key {kid:?} is {}, the header says {alg_name:?}", key.alg().name()),
        ));
    }
    let signature =
        b64::decode(signature_b64).map_err(|e| SealError::new("base64_invalid", format!("signature: {e}")))?;
    let signing_input = format!("{protected_b64}.{payload_b64}");
    if !key.verify(signing_input.as_bytes(), &signature) {
        return Err(SealError::new("signature_invalid", "the signature does not verify with the trusted key"));
    }

    let (payload_bytes, payload_value) = decode_json(payload_b64, "payload")?;
    let canonical =
        jcs::canonicalize(&payload_value).map_err(|e| SealError::new("payload_not_canonical", e.to_string()))?;
    if canonical.as_bytes() != payload_bytes.as_slice() {
        return Err(SealError::new("payload_not_canonical", "the payload bytes are not their own canonical JSON"));
    }
    let payload: Payload =
        serde_json::from_value(payload_value).map_err(|e| SealError::new("payload_invalid", e.to_string()))?;

    let form = form_for(&payload.form.id, &payload.form.version).ok_or_else(|| {
        SealError::new("form_unknown", format!("no form {} version {}", payload.form.id, payload.form.version))
    })?;
    let form: &Form = form.borrow();
    if form.version() != payload.form.version {
        return Err(SealError::new("form_unknown", "the form's version differs from the payload's"));
    }
    if definition_digest(form)? != payload.form.digest {
        return Err(SealError::new(
            "digest_mismatch",
            "the payload was sealed against another definition of this form",
        ));
    }
    // Everything below re-derives what a sealer would have written and refuses any difference: a
    // trusted key can sign anything, and the receiver stores only what the rules produce.
    if payload.generator.name != GENERATOR {
        return Err(SealError::new("payload_invalid", format!("the generator is not {GENERATOR:?}")));
    }
    if b64::decode(&payload.nonce).map_or(true, |n| n.len() != 16) {
        return Err(SealError::new("nonce_invalid", "the nonce is not 16 bytes in base64url, as a sealer writes it"));
    }
    let iat = sealer_time(&payload.iat, "iat")?;
    let exp = sealer_time(&payload.exp, "exp")?;
    let ttl = iat.duration_until(exp);
    if ttl <= SignedDuration::ZERO {
        return Err(SealError::new("ttl_invalid", format!("exp {} is not after iat {}", payload.exp, payload.iat)));
    }
    if ttl > MAX_TTL {
        return Err(SealError::new(
            "ttl_too_long",
            format!("exp {} is more than {MAX_TTL:#} after iat {}", payload.exp, payload.iat),
        ));
    }
    if options.now >= exp {
        return Err(SealError::new("expired", format!("the payload expired at {}", payload.exp)));
    }
    let latest = options.now.checked_add(options.max_skew).unwrap_or(options.now);
    if iat > latest {
        return Err(SealError::new(
            "issued_in_future",
            format!("issued at {}, later than now plus the allowed skew", payload.iat),
        ));
    }
    // The same rules at the time it was sealed: nothing is trusted because the browser said so.
    let report = form.validate(&payload.data, iat, payload.locale);
    if !report.valid {
        let codes: Vec<&str> = report.errors().map(|f| f.code.as_str()).collect();
        return Err(SealError::new(
            "revalidation_failed",
            format!("the data does not pass the form's rules: {}", codes.join(", ")),
        ));
    }
    let data = canonical_data(&payload.data)?;
    if sealed_form(&report)? != data {
        return Err(SealError::new(
            "payload_not_normalized",
            "the data is not what the rules normalise it to (a value not in its normalised form, or a field the form does not have)",
        ));
    }
    let mut attachments = Vec::new();
    collect_attachments(&payload.data, "", &mut attachments);
    if attachments != payload.attachments {
        return Err(SealError::new("attachments_mismatch", "the attachments list is not the one the data gives"));
    }
    if key.alg() == Algorithm::Sm2Sm3 {
        if let Some(path) = attachment_without_sm3(&attachments) {
            return Err(SealError::new(
                "attachments_mismatch",
                format!("{path}: an SM2 seal carries the attachment's SM3 digest"),
            ));
        }
    }
    // The warnings the person was shown: those of the data itself, and those about what
    // normalising changed (an unknown field dropped, `http://` added …), which come back only from
    // the input with those changes undone.
    let mismatch = || SealError::new("warnings_mismatch", "the warnings are not the ones the rules give for this data");
    let report = match rederive::input_before_normalising(&payload.data, &payload.warnings, payload.locale) {
        Err(rederive::NotUndoable) => return Err(mismatch()),
        Ok(None) => report,
        Ok(Some(input)) => {
            let again = form.validate(&input, iat, payload.locale);
            if !again.valid || sealed_form(&again)? != data {
                return Err(mismatch());
            }
            again
        }
    };
    if shown_warnings(&report) != payload.warnings {
        return Err(mismatch());
    }
    Ok(Verified { kid: kid.to_owned(), alg: key.alg(), nonce: payload.nonce.clone(), payload, report })
}

/// An instant exactly as a sealer writes it ([`time::format_instant`]: RFC 3339, Beijing time,
/// to the second); any other spelling of the same instant is refused.
fn sealer_time(text: &str, member: &str) -> Result<Timestamp, SealError> {
    time::parse_instant(text).filter(|t| time::format_instant(*t) == text).ok_or_else(|| {
        SealError::new(
            "time_invalid",
            format!("{member} {text:?} is not written as a sealer writes it (2005-06-01T10:00:00+08:00)"),
        )
    })
}

/// The canonical JSON of payload data, for comparing values whatever their number representation.
fn canonical_data(data: &Value) -> Result<String, SealError> {
    jcs::canonicalize(data).map_err(|e| SealError::new("payload_invalid", e.to_string()))
}

/// The canonical JSON of the data a sealer puts in a payload for this report.
fn sealed_form(report: &Report) -> Result<String, SealError> {
    let mut normalized = report.normalized.clone();
    jcs::long_numbers_to_strings(&mut normalized);
    canonical_data(&normalized)
}
