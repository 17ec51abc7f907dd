//! Envelope verification. The first byte picks a mode:
//!
//! - 0: the rest is envelope text;
//! - 1 to 127: the rest is (position, byte) edits applied to a genuine envelope (one per
//!   algorithm, sealed once per process); an edited envelope that differs from the genuine one is
//!   always refused;
//! - 128 to 255: the rest is edits to the *payload's members* (data, warnings, attachments, nonce,
//!   iat, exp) of a genuine payload, which is then signed again with the trusted key: what a key
//!   holder who signs what no sealer produced can do. A mutated payload that verifies must be
//!   exactly what a sealer makes of its data: sealing the payload's data again at its `iat`, with
//!   its time to live, nonce and locale, gives the same form, data, attachments, times, nonce,
//!   locale and generator, and the same warnings apart from those about what normalising changed
//!   (an unknown field dropped, `http://` added …: they come from an input that is not in the
//!   payload, and the verifier checks them by undoing the change).
//!
//! Verification never panics.
#![no_main]

use formseal::seal::envelope::{prepare, seal, verify, Payload, SealOptions, VerifyOptions};
use formseal::seal::keys::{Algorithm, PrivateKey, PublicKey};
use formseal::seal::{b64, jcs};
use formseal::SignedDuration;
use formseal::{Form, Locale, Timestamp};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

// The warning codes about what normalising changed: the library's own list, so the target cannot
// fall behind it.
use formseal::seal::INPUT_WARNINGS;

/// A genuine payload and what signed it.
struct Sealed {
    key: PrivateKey,
    protected: String,
    payload: Value,
}

struct Fixture {
    keys: Vec<PublicKey>,
    envelopes: Vec<String>,
    sealed: Vec<Sealed>,
    options: VerifyOptions,
}

fn example(id: &str) -> Value {
    formseal::forms::builtin(id).and_then(|b| serde_json::from_str(b.valid_example()).ok()).unwrap_or_default()
}

/// Adds an SM3 digest beside every attachment's SHA-256, as a portal sealing with SM2 does.
fn with_sm3(value: &mut Value) {
    match value {
        Value::Object(o) if o.contains_key("sha256") => {
            o.insert("sm3".into(), json!("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"));
        }
        Value::Object(o) => o.values_mut().for_each(with_sm3),
        Value::Array(a) => a.iter_mut().for_each(with_sm3),
        _ => {}
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
        let options = SealOptions { now, ttl: SignedDuration::from_hours(24), nonce: [9; 16], locale: Locale::ZhCn };
        // The user filing as typed by a person: a 15-digit ID number and a field the form does not
        // have (two warnings about what normalising changed). The network unit filing: attachments
        // (with SM3, for SM2), a look-alike domain (a warning about the data) and a homepage
        // without a scheme.
        let mut user = example("user-filing");
        user["id_number"] = json!("110101850405105");
        user["note"] = json!("<b>x</b>");
        let mut unit = example("network-unit-filing");
        with_sm3(&mut unit);
        if let Some(site) = unit.get_mut("websites").and_then(|w| w.get_mut(0)) {
            site["homepage"] = json!("www.huaxin-wt.com.cn");
            if let Some(domains) = site.get_mut("domains").and_then(Value::as_array_mut) {
                domains.push(json!("раураӏ.com"));
            }
        }
        let mut fixture =
            Fixture { keys: Vec::new(), envelopes: Vec::new(), sealed: Vec::new(), options: verify_options(now) };
        for (i, alg) in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3].into_iter().enumerate() {
            let Ok(key) = PrivateKey::from_seed(alg, Some(format!("k{i}")), &[7; 32]) else { continue };
            fixture.keys.push(key.public());
            for (id, data) in [("user-filing", &user), ("network-unit-filing", &unit)] {
                let Ok(form) = Form::builtin(id) else { continue };
                let Ok(e) = seal(&form, data, &key, &options) else { continue };
                fixture.envelopes.extend(serde_json::to_string(&e).ok());
                let payload = b64::decode(&e.payload).ok().and_then(|b| serde_json::from_slice(&b).ok());
                if let Some(payload) = payload {
                    fixture.sealed.push(Sealed { key: key.clone(), protected: e.protected.clone(), payload });
                }
            }
        }
        fixture.options = verify_options(now + SignedDuration::from_mins(1));
        fixture
    })
}

fn verify_options(now: Timestamp) -> VerifyOptions {
    VerifyOptions { now, max_skew: SignedDuration::from_mins(5) }
}

fn forms(id: &str, version: &str) -> Option<Form> {
    Form::builtin(id).ok().filter(|f| f.version() == version)
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode == 0 {
        if let Ok(text) = std::str::from_utf8(rest) {
            let _ = verify_envelope(text, f);
        }
        return;
    }
    if mode >= 128 {
        payload_edits(usize::from(mode - 128), rest, f);
        return;
    }
    let Some(original) = f.envelopes.get(usize::from(mode) % f.envelopes.len().max(1)) else { return };
    let mut bytes = original.clone().into_bytes();
    for edit in rest.chunks_exact(3) {
        let (Some(&hi), Some(&lo), Some(&b)) = (edit.first(), edit.get(1), edit.get(2)) else { continue };
        let pos = usize::from(u16::from_be_bytes([hi, lo])) % bytes.len().max(1);
        if let Some(slot) = bytes.get_mut(pos) {
            *slot = b;
        }
    }
    let Ok(text) = String::from_utf8(bytes) else { return };
    let result = verify_envelope(&text, f);
    if text == *original {
        assert!(result.is_ok(), "the genuine envelope is refused: {result:?}");
    } else {
        assert!(result.is_err(), "an edited envelope verifies: {text}");
    }
});

fn verify_envelope(text: &str, f: &Fixture) -> Result<(), String> {
    verify(text, &f.keys, &f.options, &forms).map(|_| ()).map_err(|e| e.code().to_owned())
}

/// Reads the fuzzer's bytes as operations.
struct Ops<'d> {
    bytes: &'d [u8],
}

impl Ops<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    fn index(&mut self, len: usize) -> Option<usize> {
        let b = self.byte()?;
        (len > 0).then(|| usize::from(b) % len)
    }

    /// A string: a length byte, then that many bytes (UTF-8, lossily).
    fn text(&mut self) -> String {
        let len = usize::from(self.byte().unwrap_or(0) % 48).min(self.bytes.len());
        let (text, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        String::from_utf8_lossy(text).into_owned()
    }

    /// A value: a string, a number, a boolean, null, or a string a person might type.
    fn value(&mut self) -> Value {
        match self.byte().unwrap_or(0) % 8 {
            0 => Value::Null,
            1 => json!(self.byte().unwrap_or(0) % 2 == 0),
            2 => json!(i64::from(self.byte().unwrap_or(0)) - 64),
            3 => json!(format!(" {} ", self.text())),
            4 => json!("137 0109 8765"),
            5 => json!("<script>alert(1)</script>"),
            _ => json!(self.text()),
        }
    }
}

/// Every object and array member path of `value` (its own path first).
fn member_paths(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                path.push(k.clone());
                member_paths(v, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(i.to_string());
                member_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match v {
        Value::Object(o) => o.get_mut(step),
        Value::Array(a) => step.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

/// One edit somewhere inside `target` (a member of the payload).
fn edit_inside(target: &mut Value, ops: &mut Ops<'_>) {
    let mut paths = Vec::new();
    member_paths(target, &mut Vec::new(), &mut paths);
    let Some(path) = ops.index(paths.len()).and_then(|i| paths.get(i)) else { return };
    let op = ops.byte().unwrap_or(0) % 4;
    let key = ops.text();
    let value = ops.value();
    let Some(slot) = at_mut(target, path) else { return };
    match (op, slot) {
        // Add a member, or an item.
        (0, Value::Object(o)) => {
            o.insert(if key.is_empty() { "note".into() } else { key }, value);
        }
        (0, Value::Array(a)) => a.push(value),
        // Remove one.
        (1, Value::Object(o)) => {
            if let Some(k) = o.keys().nth(usize::from(key.len())).cloned() {
                o.remove(&k);
            }
        }
        (1, Value::Array(a)) if !a.is_empty() => {
            a.remove(key.len() % a.len());
        }
        // Swap two items (warnings out of order).
        (2, Value::Array(a)) if a.len() > 1 => {
            let other = key.len() % a.len();
            a.swap(0, other);
        }
        // Replace the value.
        (_, slot) => *slot = value,
    }
}

/// An instant near the genuine one, written as a sealer does or in another spelling.
fn time_edit(genuine: &str, ops: &mut Ops<'_>) -> Value {
    let Some(at) = formseal::time::parse_instant(genuine) else { return json!(genuine) };
    let shift = i64::from(ops.byte().unwrap_or(0) as i8) * i64::from(ops.byte().unwrap_or(1)) * 3600;
    let shifted = at.checked_add(SignedDuration::from_secs(shift)).unwrap_or(at);
    let text = formseal::time::format_instant(shifted);
    json!(match ops.byte().unwrap_or(0) % 6 {
        0 => text,
        1 => text.trim_end_matches("+08:00").to_owned(),
        2 => shifted.to_string(),
        3 => text.replace('2', "２"),
        4 => "9000-01-01T00:00:00+08:00".to_owned(),
        _ => ops.text(),
    })
}

fn payload_edits(which: usize, rest: &[u8], f: &Fixture) {
    let Some(sealed) = f.sealed.get(which % f.sealed.len().max(1)) else { return };
    let mut payload = sealed.payload.clone();
    let mut ops = Ops { bytes: rest };
    while let Some(op) = ops.byte() {
        match op % 7 {
            0 => edit_inside(&mut payload["data"], &mut ops),
            1 => edit_inside(&mut payload["warnings"], &mut ops),
            2 => edit_inside(&mut payload["attachments"], &mut ops),
            3 => {
                let len = usize::from(ops.byte().unwrap_or(0) % 20);
                payload["nonce"] = match ops.byte().unwrap_or(0) % 3 {
                    0 => json!(b64::encode(&vec![ops.byte().unwrap_or(0); len])),
                    1 => json!(ops.text()),
                    _ => json!(""),
                };
            }
            4 => payload["iat"] = time_edit(payload["iat"].as_str().unwrap_or_default(), &mut ops),
            5 => payload["exp"] = time_edit(payload["exp"].as_str().unwrap_or_default(), &mut ops),
            _ => payload["locale"] = json!(if ops.byte().unwrap_or(0) % 2 == 0 { "en" } else { "zh-CN" }),
        }
    }
    let Ok(bytes) = jcs::canonicalize(&payload) else { return };
    let payload_b64 = b64::encode(bytes.as_bytes());
    let Ok(signature) = sealed.key.sign(format!("{}.{payload_b64}", sealed.protected).as_bytes()) else { return };
    let envelope =
        json!({ "protected": sealed.protected, "payload": payload_b64, "signature": b64::encode(&signature) });
    let Ok(verified) = verify(&envelope.to_string(), &f.keys, &f.options, &forms) else { return };
    if payload == sealed.payload {
        return;
    }
    assert_is_what_a_sealer_makes(&verified.payload, sealed);
}

/// `accepted` is what sealing its own data gives, warnings about normalising's changes aside.
fn assert_is_what_a_sealer_makes(accepted: &Payload, sealed: &Sealed) {
    let form = forms(&accepted.form.id, &accepted.form.version).expect("verify found the form");
    let iat = formseal::time::parse_instant(&accepted.iat).expect("verify read iat");
    let exp = formseal::time::parse_instant(&accepted.exp).expect("verify read exp");
    let nonce: [u8; 16] = b64::decode(&accepted.nonce).ok().and_then(|n| n.try_into().ok()).expect("a 16-byte nonce");
    let options = SealOptions { now: iat, ttl: iat.duration_until(exp), nonce, locale: accepted.locale };
    let kid = sealed.key.kid().unwrap_or_default();
    let resealed = match prepare(&form, &accepted.data, sealed.key.alg(), kid, &options) {
        Ok(unsigned) => unsigned.payload().clone(),
        Err(e) => panic!("a verified payload's data does not seal again: {e:?}\n{accepted:?}"),
    };
    let canonical = |p: &Payload| {
        let mut v = serde_json::to_value(p).unwrap_or_default();
        if let Some(w) = v.get_mut("warnings").and_then(Value::as_array_mut) {
            w.retain(|w| !INPUT_WARNINGS.contains(&w["code"].as_str().unwrap_or_default()));
        }
        jcs::canonicalize(&v).unwrap_or_default()
    };
    assert_eq!(canonical(accepted), canonical(&resealed), "a verified payload is not what a sealer makes of its data");
}
