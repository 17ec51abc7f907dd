//! The core's vectors again, inside WebAssembly: identifier and rule vectors, the sealing code's
//! published JCS and signature vectors (all embedded, since wasm cannot read files), the built-in
//! forms' examples, and a seal→verify round trip per algorithm. Run by `make test` under Node and
//! in headless Chromium through `wasm-pack test`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use formseal::forms::BUILTINS;
use formseal::{Form, Locale, Timestamp};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn identifier_vectors_in_wasm() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in common::IDENT_FILES {
        let (n, f) = common::identifier_file(name, text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 400, "only {count} identifier cases");
    assert!(failures.is_empty(), "{} of {count} failed in wasm:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
fn rule_vectors_in_wasm() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in common::RULE_FILES {
        let (n, f) = common::rule_file(name, text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 50);
    assert!(failures.is_empty(), "{} of {count} failed in wasm:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
fn builtin_examples_in_wasm() {
    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    for b in BUILTINS {
        let form = Form::builtin(b.id).unwrap();
        let valid: serde_json::Value = serde_json::from_str(b.valid_example()).unwrap();
        assert!(form.validate(&valid, now, Locale::ZhCn).valid, "{}", b.id);
        let invalid: serde_json::Value = serde_json::from_str(b.invalid_example()).unwrap();
        assert!(!form.validate(&invalid, now, Locale::En).valid, "{}", b.id);
    }
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn crypto_vectors_in_wasm() {
    assert_eq!(common::seal::crypto_vectors(), 3 + 1 + 1 + 1 + 1 + 2 + 262 + 151);
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn jcs_reference_vectors_in_wasm() {
    assert_eq!(common::seal::jcs_reference_vectors(), 6);
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn jcs_es6_numbers_in_wasm() {
    assert_eq!(common::seal::es6_numbers(), 10_000);
}

/// Sealing code compiled to wasm32 makes envelopes that verify (tests/seal.rs has the rest).
#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn seal_and_verify_round_trip_in_wasm() {
    use formseal::seal::envelope::{seal, verify, SealOptions, VerifyOptions};
    use formseal::seal::keys::{Algorithm, PrivateKey};
    use formseal::SignedDuration;

    // A form without attachments, so SM2 needs no SM3 digests.
    let id = "user-filing";
    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    let form = Form::builtin(id).unwrap();
    let data: serde_json::Value = serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap();
    let options = SealOptions { now, ttl: SignedDuration::from_hours(24), nonce: [9u8; 16], locale: Locale::ZhCn };
    let verify_options =
        VerifyOptions { now: now + SignedDuration::from_mins(1), max_skew: SignedDuration::from_mins(5) };
    let forms = |id: &str, version: &str| Form::builtin(id).ok().filter(|f| f.version() == version);
    for alg in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3] {
        let key = PrivateKey::from_seed(alg, Some("k1".into()), &[7u8; 32]).unwrap();
        let envelope = seal(&form, &data, &key, &options).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
        let envelope = serde_json::to_string(&envelope).unwrap();
        let verified = verify(&envelope, &[key.public()], &verify_options, &forms)
            .unwrap_or_else(|e| panic!("{alg}: {}", e.code()));
        assert_eq!((verified.alg, verified.kid.as_str(), verified.payload.form.id.as_str()), (alg, "k1", id));
        assert!(verified.report.valid);
        // Another key of the same algorithm does not verify it.
        let other = PrivateKey::from_seed(alg, Some("k1".into()), &[8u8; 32]).unwrap().public();
        assert!(verify(&envelope, &[other], &verify_options, &forms).is_err(), "{alg}");
    }
}
