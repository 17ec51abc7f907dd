#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Native only: its dev-dependencies are not built for wasm32 (`wasm-pack test` builds every test target).
#![cfg(not(target_arch = "wasm32"))]
//! Property tests (proptest): normalising is idempotent and keeps a valid value valid, for every
//! identifier kind; seal then verify round-trips for every algorithm; any single changed byte of an
//! envelope is refused; no data makes `validate` panic. Case counts are kept small so `make test`
//! stays quick on two cores; the fuzz targets (`fuzz/`, `make fuzz`) explore the same ground longer.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use formseal::ident::{check, IdentifierKind, Today};
use formseal::seal::envelope::{seal, verify, SealOptions, VerifyOptions};
use formseal::seal::keys::{Algorithm, PrivateKey};
use formseal::SignedDuration;
use formseal::{Form, Locale, Timestamp};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const SEED_TIME: &str = "2005-06-01T10:00:00+08:00";
const ALGORITHMS: [Algorithm; 3] = [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3];

fn now() -> Timestamp {
    SEED_TIME.parse().unwrap()
}

fn today() -> Option<Today> {
    Some(Today::of(now()))
}

/// The valid inputs of the identifier vectors (`tests/data/ident/*.json`), by kind.
fn valid_inputs() -> &'static Vec<(IdentifierKind, String)> {
    static INPUTS: OnceLock<Vec<(IdentifierKind, String)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ident");
        let mut out = Vec::new();
        let mut paths: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let file: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            let kind = IdentifierKind::parse(file["kind"].as_str().unwrap()).unwrap();
            for case in file["cases"].as_array().unwrap() {
                if case["valid"] == json!(true) {
                    out.push((kind, case["input"].as_str().unwrap().to_owned()));
                }
            }
        }
        assert!(out.len() > 150, "only {} valid identifier vectors", out.len());
        out
    })
}

/// Full-width forms of ASCII letters and digits (`１` for `1`), as a Chinese input method types them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap() } else { c })
        .collect()
}

// String strategies are built from characters, not from regular expressions: proptest's regex
// strategies need its `std` feature, which turns on regex-syntax's Unicode tables for the whole
// test build, and `\p{Han}` would then compile in tests although the library refuses it.

/// Strings of up to `max` characters drawn from `chars`.
fn text(chars: impl Strategy<Value = char>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(chars, 0..=max).prop_map(String::from_iter)
}

/// Up to three of the spaces people paste around values: space, tab, ideographic space.
fn spaces() -> impl Strategy<Value = String> {
    text(prop::sample::select(vec![' ', '\t', '\u{3000}']), 3)
}

/// The characters that matter to codes, numbers and domains, so that valid values turn up.
fn code_char() -> impl Strategy<Value = char> {
    let mut chars: Vec<char> = ('0'..='9').chain('A'..='Z').chain('a'..='z').collect();
    chars.extend("-. +@/:中国京公网安备号\u{3002}".chars());
    chars.extend('\u{FF10}'..='\u{FF19}');
    prop::sample::select(chars)
}

/// An object key: 1 to 12 of a-z and `_`.
fn key() -> impl Strategy<Value = String> {
    let chars: Vec<char> = ('a'..='z').chain(['_']).collect();
    prop::collection::vec(prop::sample::select(chars), 1..=12).prop_map(String::from_iter)
}

/// Asserts the two normalisation properties on one input: a valid value's normalised form is
/// valid and normalises to itself.
fn assert_normalisation_is_stable(kind: IdentifierKind, input: &str) -> Result<(), TestCaseError> {
    let first = check(kind, input, today());
    if !first.is_valid() {
        return Ok(());
    }
    let Some(normalized) = first.normalized.as_deref() else { return Ok(()) };
    let second = check(kind, normalized, today());
    prop_assert!(second.is_valid(), "{kind:?} {input:?} → {normalized:?} is invalid: {:?}", second.findings);
    prop_assert_eq!(second.normalized.as_deref(), Some(normalized), "{:?} {:?}", kind, input);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every valid vector, decorated the way people paste values (surrounding spaces, tabs and
    /// ideographic spaces): still valid, same normalised value, and that value is a fixed point.
    #[test]
    fn identifier_normalisation_is_idempotent(
        index in any::<prop::sample::Index>(),
        before in spaces(),
        after in spaces(),
    ) {
        let (kind, input) = index.get(valid_inputs());
        let plain = check(*kind, input, today());
        prop_assert!(plain.is_valid());
        let decorated = format!("{before}{input}{after}");
        let checked = check(*kind, &decorated, today());
        prop_assert!(checked.is_valid(), "{kind:?} {decorated:?}: {:?}", checked.findings);
        prop_assert_eq!(&checked.normalized, &plain.normalized);
        assert_normalisation_is_stable(*kind, &decorated)?;
    }

    /// Codes typed with a full-width input method normalise to the same value as half-width ones.
    #[test]
    fn full_width_codes_normalise_like_half_width(index in any::<prop::sample::Index>()) {
        let codes: Vec<&(IdentifierKind, String)> = valid_inputs()
            .iter()
            .filter(|(k, _)| matches!(k, IdentifierKind::Uscc | IdentifierKind::OrgCode | IdentifierKind::ResidentId | IdentifierKind::Mobile))
            .collect();
        let (kind, input) = *index.get(&codes);
        let plain = check(*kind, input, today());
        let wide = check(*kind, &full_width(input), today());
        prop_assert!(wide.is_valid(), "{kind:?} {:?}: {:?}", full_width(input), wide.findings);
        prop_assert_eq!(&wide.normalized, &plain.normalized);
    }

    /// Arbitrary text for every kind: no panic, and whatever is valid normalises stably.
    #[test]
    fn identifier_checks_never_panic(kind in 0..IdentifierKind::ALL.len(), input in text(any::<char>(), 40)) {
        assert_normalisation_is_stable(IdentifierKind::ALL[kind], &input)?;
    }

    /// Text built from the characters that matter to codes and domains, so valid values turn up.
    #[test]
    fn identifier_normalisation_on_code_like_text(
        kind in 0..IdentifierKind::ALL.len(),
        input in text(code_char(), 24),
    ) {
        assert_normalisation_is_stable(IdentifierKind::ALL[kind], &input)?;
    }
}

fn builtin_forms(id: &str, version: &str) -> Option<Form> {
    Form::builtin(id).ok().filter(|f| f.version() == version)
}

fn verify_options() -> VerifyOptions {
    VerifyOptions { now: now() + SignedDuration::from_mins(1), max_skew: SignedDuration::from_mins(5) }
}

/// The valid example of a built-in form, with an SM3 digest beside each attachment's SHA-256 (SM2
/// seals require it; the other algorithms accept it).
fn example(id: &str) -> Value {
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
    let mut data: Value = serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap();
    with_sm3(&mut data);
    data
}

/// One genuine envelope per algorithm, sealed once (signing is slow in a debug build).
fn envelopes() -> &'static Vec<(Algorithm, String, formseal::seal::keys::PublicKey)> {
    static ENVELOPES: OnceLock<Vec<(Algorithm, String, formseal::seal::keys::PublicKey)>> = OnceLock::new();
    ENVELOPES.get_or_init(|| {
        let form = Form::builtin("user-filing").unwrap();
        let data = example("user-filing");
        ALGORITHMS
            .iter()
            .map(|&alg| {
                let key = PrivateKey::from_seed(alg, Some("k1".into()), &[7; 32]).unwrap();
                let options = SealOptions {
                    now: now(),
                    ttl: SignedDuration::from_hours(24),
                    nonce: [9; 16],
                    locale: Locale::ZhCn,
                };
                let envelope = seal(&form, &data, &key, &options).map_err(|_| "refused").unwrap();
                (alg, serde_json::to_string(&envelope).unwrap(), key.public())
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any key, any nonce, any built-in form, any algorithm: what is sealed verifies, with the
    /// normalised data, the nonce and the key id intact.
    #[test]
    fn seal_then_verify_round_trips(
        alg in 0..ALGORITHMS.len(),
        form in 0..formseal::forms::BUILTINS.len(),
        seed in any::<[u8; 32]>(),
        nonce in any::<[u8; 16]>(),
        locale in any::<bool>(),
    ) {
        let alg = ALGORITHMS[alg];
        let id = formseal::forms::BUILTINS[form].id;
        let form = Form::builtin(id).unwrap();
        let data = example(id);
        let key = PrivateKey::from_seed(alg, Some("kid-1".into()), &seed).unwrap();
        let locale = if locale { Locale::En } else { Locale::ZhCn };
        let options = SealOptions { now: now(), ttl: SignedDuration::from_hours(24), nonce, locale };
        let envelope = serde_json::to_string(&seal(&form, &data, &key, &options).map_err(|_| "refused").unwrap()).unwrap();
        let verified = verify(&envelope, &[key.public()], &verify_options(), &builtin_forms)
            .map_err(|e| e.code().to_owned());
        prop_assert!(verified.is_ok(), "{alg:?} {id}: {verified:?}");
        let verified = verified.unwrap();
        prop_assert_eq!(verified.kid, "kid-1");
        prop_assert_eq!(verified.alg, alg);
        prop_assert_eq!(&verified.payload.data, &form.validate(&data, now(), locale).normalized);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any single byte of an envelope replaced by any other ASCII byte: refused, for every algorithm.
    #[test]
    fn any_single_changed_byte_is_refused(which in 0..ALGORITHMS.len(), position in any::<prop::sample::Index>(), byte in 0u8..0x80) {
        let (alg, envelope, public) = &envelopes()[which];
        let mut bytes = envelope.clone().into_bytes();
        let at = position.index(bytes.len());
        prop_assume!(bytes[at] != byte);
        bytes[at] = byte;
        let edited = String::from_utf8(bytes).unwrap();
        let result = verify(&edited, std::slice::from_ref(public), &verify_options(), &builtin_forms);
        prop_assert!(result.is_err(), "{alg:?}: byte {at} → {byte:#04x} still verifies");
    }
}

/// Any JSON value, nested a few levels: the strings include what forms treat specially (dates,
/// codes, domains, full-width text, control characters).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        text(any::<char>(), 30).prop_map(Value::String),
        text(prop::sample::select("0123456789-: T+".chars().collect::<Vec<_>>()), 25).prop_map(Value::String),
        prop::sample::select(vec![
            "true",
            "false",
            "",
            " ",
            "2005-06-01",
            "individual",
            "resident_id",
            "xn--",
            "测试.中国"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// The field names of a form's valid example, at every depth, so random data hits real fields.
fn keys_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                out.push(k.clone());
                keys_of(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys_of(v, out)),
        _ => {}
    }
}

/// Replaces the value under `key`, wherever it is, by `replacement`.
fn replace_key(value: &mut Value, key: &str, replacement: &Value) {
    match value {
        Value::Object(o) => {
            for (k, v) in o.iter_mut() {
                if k == key {
                    *v = replacement.clone();
                } else {
                    replace_key(v, key, replacement);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| replace_key(v, key, replacement)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary documents, and valid examples with one field replaced by an arbitrary value, for
    /// every built-in form and both locales: `validate` returns a report (no panic), `valid`
    /// agrees with its errors, and a valid report's normalised data validates again.
    #[test]
    fn validate_never_panics(
        form in 0..formseal::forms::BUILTINS.len(),
        random in any_json(),
        field in any::<prop::sample::Index>(),
        replacement in any_json(),
        extra in prop::collection::vec((key(), any_json()), 0..3),
        locale in any::<bool>(),
    ) {
        let builtin = &formseal::forms::BUILTINS[form];
        let form = Form::builtin(builtin.id).unwrap();
        let locale = if locale { Locale::En } else { Locale::ZhCn };
        let mut example: Value = serde_json::from_str(builtin.valid_example()).unwrap();
        let mut keys = Vec::new();
        keys_of(&example, &mut keys);
        let key = field.get(&keys).clone();
        replace_key(&mut example, &key, &replacement);
        if let Value::Object(o) = &mut example {
            o.extend(extra.into_iter().collect::<Map<String, Value>>());
        }
        for data in [random, example] {
            let report = form.validate(&data, now(), locale);
            prop_assert_eq!(report.valid, report.errors().next().is_none());
            if report.valid {
                let again = form.validate(&report.normalized, now(), locale);
                prop_assert!(again.valid, "{}: normalised data is invalid: {:?}", builtin.id, again.findings);
            }
        }
    }
}
