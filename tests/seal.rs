//! Sealing and verification: round trips for every algorithm, the external-signer path, and one
//! test per refusal of the verifier's policy (docs/payload.md, SECURITY.md).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use formseal::seal::envelope::{prepare, seal, verify, Envelope, Refusal, SealOptions, VerifyOptions};
use formseal::seal::keys::{Algorithm, PrivateKey, PublicKey};
use formseal::seal::{b64, jcs};
use formseal::SignedDuration;
use formseal::{CompileOptions, Form, Locale, Timestamp};
use serde_json::{json, Value};

const SEED_TIME: &str = "2005-06-01T10:00:00+08:00";

fn now() -> Timestamp {
    SEED_TIME.parse().unwrap()
}

fn key(alg: Algorithm, kid: &str) -> PrivateKey {
    PrivateKey::from_seed(alg, Some(kid.into()), &[7u8; 32]).unwrap()
}

fn example(id: &str) -> Value {
    serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap()
}

fn options() -> SealOptions {
    SealOptions { now: now(), ttl: SignedDuration::from_hours(24), nonce: [9u8; 16], locale: Locale::ZhCn }
}

fn verify_options(at: Timestamp) -> VerifyOptions {
    VerifyOptions { now: at, max_skew: SignedDuration::from_mins(5) }
}

fn builtin_forms(id: &str, version: &str) -> Option<Form> {
    Form::builtin(id).ok().filter(|f| f.version() == version)
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

fn sealed(alg: Algorithm, id: &str) -> (String, PublicKey) {
    let k = key(alg, "k1");
    let form = Form::builtin(id).unwrap();
    let mut data = example(id);
    if alg == Algorithm::Sm2Sm3 {
        with_sm3(&mut data);
    }
    let envelope = match seal(&form, &data, &k, &options()) {
        Ok(e) => e,
        Err(Refusal::Invalid(r)) => panic!("{id} invalid: {:?}", r.findings),
        Err(Refusal::Error(e)) => panic!("{id}: {e}"),
    };
    (serde_json::to_string(&envelope).unwrap(), k.public())
}

fn check(envelope: &str, keys: &[PublicKey]) -> Result<formseal::seal::envelope::Verified, String> {
    verify(envelope, keys, &verify_options(now() + SignedDuration::from_mins(1)), &builtin_forms)
        .map_err(|e| e.code().to_owned())
}

/// Re-signs an envelope whose parts were edited, so only the edit is being judged.
fn resign(protected: &Value, payload_bytes: &[u8], k: &PrivateKey) -> String {
    let p = b64::encode(jcs::canonicalize(protected).unwrap().as_bytes());
    let pl = b64::encode(payload_bytes);
    let sig = k.sign(format!("{p}.{pl}").as_bytes()).unwrap();
    serde_json::to_string(&json!({ "protected": p, "payload": pl, "signature": b64::encode(&sig) })).unwrap()
}

fn parts(envelope: &str) -> (Value, Vec<u8>) {
    let e: Envelope = serde_json::from_str(envelope).unwrap();
    let header: Value = serde_json::from_slice(&b64::decode(&e.protected).unwrap()).unwrap();
    (header, b64::decode(&e.payload).unwrap())
}

#[test]
fn every_algorithm_round_trips_for_every_builtin_form() {
    for alg in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3] {
        for b in formseal::forms::BUILTINS {
            let (envelope, public) = sealed(alg, b.id);
            let verified = check(&envelope, &[public]).unwrap_or_else(|e| panic!("{alg} {}: {e}", b.id));
            assert_eq!(verified.payload.form.id, b.id);
            assert_eq!(verified.nonce, b64::encode(&[9u8; 16]));
            assert_eq!(verified.payload.iat, SEED_TIME);
            assert_eq!(verified.payload.exp, "2005-06-02T10:00:00+08:00");
            assert!(verified.report.valid);
        }
    }
}

#[test]
fn the_payload_carries_what_a_receiver_needs() {
    let (envelope, _) = sealed(Algorithm::EdDSA, "incident-report");
    let (header, payload) = parts(&envelope);
    assert_eq!(header, json!({ "alg": "EdDSA", "kid": "k1", "typ": "formseal+jws" }));
    let p: Value = serde_json::from_slice(&payload).unwrap();
    assert!(p["form"]["digest"].as_str().unwrap().starts_with("sha-256:"));
    assert_eq!(p["generator"]["name"], "formseal");
    assert_eq!(p["locale"], "zh-CN");
    assert!(p["attachments"].is_array());
    // The payload bytes are their own canonical form.
    assert_eq!(jcs::canonicalize(&p).unwrap().as_bytes(), payload.as_slice());
}

#[test]
fn data_with_errors_is_never_sealed() {
    let form = Form::builtin("network-unit-filing").unwrap();
    let invalid: Value =
        serde_json::from_str(formseal::forms::builtin("network-unit-filing").unwrap().invalid_example()).unwrap();
    match seal(&form, &invalid, &key(Algorithm::EdDSA, "k1"), &options()) {
        Err(Refusal::Invalid(report)) => assert!(report.errors().count() > 0),
        other => panic!("sealed invalid data: {other:?}"),
    }
}

#[test]
fn an_sm2_seal_needs_the_sm3_digest_of_every_attachment() {
    let form = Form::builtin("network-unit-filing").unwrap();
    match seal(&form, &example("network-unit-filing"), &key(Algorithm::Sm2Sm3, "k1"), &options()) {
        Err(Refusal::Error(e)) => {
            assert_eq!(e.code(), "attachment_sm3_missing");
            assert!(e.message().starts_with("approval_certificate"), "{e}");
        }
        other => panic!("sealed with SM2 without SM3 digests: {other:?}"),
    }
}

#[test]
fn an_external_signer_signs_the_exact_signing_input() {
    let k = key(Algorithm::Es256, "usb-1");
    let form = Form::builtin("user-filing").unwrap();
    let unsigned = prepare(&form, &example("user-filing"), Algorithm::Es256, "usb-1", &options()).unwrap();
    // The outside party sees only bytes, and returns a signature.
    let signature = k.sign(unsigned.signing_input().as_bytes()).unwrap();
    let envelope = unsigned.clone().finish(&signature, Some(&k.public())).unwrap();
    check(&serde_json::to_string(&envelope).unwrap(), &[k.public()]).unwrap();
    // A faulty signer is caught when the envelope is assembled.
    let err = unsigned.finish(&[0u8; 64], Some(&k.public())).unwrap_err();
    assert_eq!(err.code(), "signature_invalid");
}

#[test]
fn any_single_changed_byte_fails() {
    let (envelope, public) = sealed(Algorithm::EdDSA, "user-filing");
    let e: Envelope = serde_json::from_str(&envelope).unwrap();
    let mut failures = 0;
    let mut total = 0;
    for which in 0..3 {
        let original = [&e.protected, &e.payload, &e.signature][which].clone();
        for i in 0..original.len() {
            let mut bytes = original.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(bytes).unwrap();
            let mut edited = e.clone();
            *[&mut edited.protected, &mut edited.payload, &mut edited.signature][which] = changed;
            total += 1;
            if check(&serde_json::to_string(&edited).unwrap(), std::slice::from_ref(&public)).is_err() {
                failures += 1;
            }
        }
    }
    assert_eq!(failures, total, "every single-character change must fail ({total} tried)");
}

#[test]
fn the_verifier_refuses_what_the_policy_says() {
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, public) = sealed(Algorithm::EdDSA, "user-filing");
    let keys = [public.clone()];
    let (header, payload) = parts(&envelope);
    let with_header = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut h = header.as_object().unwrap().clone();
        edit(&mut h);
        resign(&Value::Object(h), &payload, &k)
    };
    let cases: Vec<(&str, String, &[PublicKey])> = vec![
        (
            "header_alg_none",
            with_header(&|h| {
                h.insert("alg".into(), json!("none"));
            }),
            &keys,
        ),
        (
            "header_crit",
            with_header(&|h| {
                h.insert("crit".into(), json!(["exp"]));
            }),
            &keys,
        ),
        (
            "header_embedded_key",
            with_header(&|h| {
                h.insert("jwk".into(), public.to_jwk());
            }),
            &keys,
        ),
        (
            "header_embedded_key",
            with_header(&|h| {
                h.insert("jku".into(), json!("https://example.invalid/k"));
            }),
            &keys,
        ),
        (
            "header_embedded_key",
            with_header(&|h| {
                h.insert("x5u".into(), json!("https://example.invalid/c"));
            }),
            &keys,
        ),
        (
            "alg_mismatch",
            with_header(&|h| {
                h.insert("alg".into(), json!("ES256"));
            }),
            &keys,
        ),
        (
            "unknown_kid",
            with_header(&|h| {
                h.insert("kid".into(), json!("k2"));
            }),
            &keys,
        ),
        (
            "header_typ",
            with_header(&|h| {
                h.insert("typ".into(), json!("JWT"));
            }),
            &keys,
        ),
        ("unknown_kid", envelope.clone(), &[]),
    ];
    for (code, env, keys) in cases {
        assert_eq!(check(&env, keys).err().as_deref(), Some(code), "{env}");
    }
    // An unprotected header.
    let mut outer: Value = serde_json::from_str(&envelope).unwrap();
    outer["header"] = json!({ "kid": "k1" });
    assert_eq!(check(&outer.to_string(), &keys).err().as_deref(), Some("header_unprotected"));
    // Bad base64url: padding.
    let mut outer: Value = serde_json::from_str(&envelope).unwrap();
    outer["signature"] = json!(format!("{}=", outer["signature"].as_str().unwrap()));
    assert_eq!(check(&outer.to_string(), &keys).err().as_deref(), Some("base64_invalid"));
    // Payload bytes that are valid JSON but not their own canonical form, correctly signed.
    let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&payload).unwrap()).unwrap();
    assert_eq!(check(&resign(&header, &pretty, &k), &keys).err().as_deref(), Some("payload_not_canonical"));
    // Duplicate keys in the envelope.
    let dup = envelope.replacen('{', "{\"payload\":\"x\",", 1);
    assert_eq!(check(&dup, &keys).err().as_deref(), Some("envelope_malformed"));
}

#[test]
fn the_time_window_is_enforced() {
    let (envelope, public) = sealed(Algorithm::Sm2Sm3, "user-filing");
    let keys = [public];
    let at =
        |t: &str| verify(&envelope, &keys, &verify_options(t.parse().unwrap()), &builtin_forms).map_err(|e| e.code());
    assert!(at("2005-06-02T09:59:59+08:00").is_ok());
    assert_eq!(at("2005-06-02T10:00:00+08:00").err(), Some("expired"));
    assert!(at("2005-06-01T09:55:00+08:00").is_ok(), "five minutes of clock skew are allowed");
    assert_eq!(at("2005-06-01T09:54:59+08:00").err(), Some("issued_in_future"));
}

#[test]
fn a_payload_for_one_form_does_not_verify_as_another_definition() {
    let (envelope, public) = sealed(Algorithm::EdDSA, "virus-sample-storage");
    // The receiver compiled the form with other deadline overrides: another definition.
    let mut options = CompileOptions::default();
    options.deadline_overrides.insert("virus_application".into(), json!({ "before": "2005-06-27T16:30:00+08:00" }));
    let other = |id: &str, _: &str| Form::builtin_with(id, &options).ok();
    let err = verify(&envelope, std::slice::from_ref(&public), &verify_options(now()), &other).unwrap_err();
    assert_eq!(err.code(), "digest_mismatch");
    // The same payload relabelled as another built-in form, correctly signed: the digest names
    // the virus-sample definition, not the incident report's.
    let k = key(Algorithm::EdDSA, "k1");
    let (header, payload) = parts(&envelope);
    let mut p: Value = serde_json::from_slice(&payload).unwrap();
    p["form"]["id"] = json!("incident-report");
    p["form"]["version"] = json!(Form::builtin("incident-report").unwrap().version());
    let relabelled = resign(&header, jcs::canonicalize(&p).unwrap().as_bytes(), &k);
    assert_eq!(check(&relabelled, std::slice::from_ref(&public)).err().as_deref(), Some("digest_mismatch"));
    // A form the receiver does not know.
    let none = |_: &str, _: &str| None::<Form>;
    assert_eq!(verify(&envelope, &[public], &verify_options(now()), &none).unwrap_err().code(), "form_unknown");
}

#[test]
fn data_that_fails_the_rules_is_refused_even_when_correctly_signed() {
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, _) = sealed(Algorithm::EdDSA, "user-filing");
    let (header, payload) = parts(&envelope);
    let mut p: Value = serde_json::from_slice(&payload).unwrap();
    p["data"]["mobile"] = json!("12345");
    let forged = resign(&header, jcs::canonicalize(&p).unwrap().as_bytes(), &k);
    assert_eq!(check(&forged, &[k.public()]).err().as_deref(), Some("revalidation_failed"));
}

// ------------------------------------------------------------------ payloads no sealer produces
//
// A key holder can sign anything. Each test below takes a genuine payload, changes one member the
// way no sealer would, re-signs it with the same trusted key, and expects a refusal with its own
// code (issue 10, item 4).

/// `envelope`'s payload after `edit`, re-signed with `k`.
fn forged(envelope: &str, k: &PrivateKey, edit: &dyn Fn(&mut Value)) -> String {
    let (header, payload) = parts(envelope);
    let mut p: Value = serde_json::from_slice(&payload).unwrap();
    edit(&mut p);
    resign(&header, jcs::canonicalize(&p).unwrap().as_bytes(), k)
}

fn sealed_data(alg: Algorithm, id: &str, data: &Value) -> String {
    let envelope = match seal(&Form::builtin(id).unwrap(), data, &key(alg, "k1"), &options()) {
        Ok(e) => e,
        Err(Refusal::Invalid(r)) => panic!("{id} invalid: {:?}", r.findings),
        Err(Refusal::Error(e)) => panic!("{id}: {e}"),
    };
    serde_json::to_string(&envelope).unwrap()
}

fn payload_of(envelope: &str) -> Value {
    serde_json::from_slice(&parts(envelope).1).unwrap()
}

/// What a person might type: spaces, a 15-digit ID number, a URL without a scheme, a police-style
/// ICP abbreviation, fields the form does not have. Sealed as is, it must verify.
fn untidy_user_filing() -> Value {
    let mut data = example("user-filing");
    data["full_name"] = json!("  陈晓东 ");
    data["id_number"] = json!("110101850405105");
    data["mobile"] = json!("137 0109 8765");
    data["note"] = json!("<b>hello</b>");
    data
}

#[test]
fn genuine_seals_of_untidy_input_still_verify() {
    let k = key(Algorithm::EdDSA, "k1");
    let envelope = sealed_data(Algorithm::EdDSA, "user-filing", &untidy_user_filing());
    let verified = check(&envelope, &[k.public()]).unwrap();
    let codes: Vec<&str> = verified.payload.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["resident_id_legacy_15", "unknown_field"]);
    assert_eq!(verified.payload.data["mobile"], "+8613701098765");

    // Network unit filing: a homepage without a scheme, a 川 (police-style) ICP number, unknown fields at the top,
    // in a list item and in an attachment, and more unknown fields than are reported one by one.
    let mut data = example("network-unit-filing");
    data["websites"][0]["homepage"] = json!("www.huaxin-wt.com.cn");
    data["websites"][0]["icp_number"] = json!("川ICP备05012345号");
    data["websites"][0]["remark"] = json!("x");
    data["approval_certificate"]["uploaded_by"] = json!("portal");
    for i in 0..25 {
        data[format!("extra_{i:02}")] = json!(i);
    }
    let envelope = sealed_data(Algorithm::EdDSA, "network-unit-filing", &data);
    let verified = check(&envelope, &[k.public()]).unwrap();
    let mut codes: Vec<&str> = verified.payload.warnings.iter().map(|w| w.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes,
        ["icp_police_abbreviation", "too_many_unknown_fields", "unknown_field", "url_scheme_added"],
        "{:?}",
        verified.payload.warnings
    );
    // And in English.
    let form = Form::builtin("network-unit-filing").unwrap();
    let en = SealOptions { locale: Locale::En, ..options() };
    let envelope = serde_json::to_string(&seal(&form, &data, &k, &en).unwrap()).unwrap();
    check(&envelope, &[k.public()]).unwrap();
}

/// Text with bidi controls is sealed without them and with a `bidi_controls_removed` warning (a
/// change made by normalising): such a genuine seal must verify, and a forged count must not.
#[test]
fn genuine_seal_of_text_with_bidi_controls_verifies() {
    let k = key(Algorithm::EdDSA, "k1");
    let mut data = example("user-filing");
    data["full_name"] = json!("\u{202E}陈晓东\u{2066}");
    let envelope = sealed_data(Algorithm::EdDSA, "user-filing", &data);
    let verified = check(&envelope, &[k.public()]).unwrap();
    let codes: Vec<&str> = verified.payload.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["bidi_controls_removed"]);
    assert_eq!(verified.payload.data["full_name"], "陈晓东");
    // The same warning on a field that is no text (a tick-box) is no sealer's.
    let forged_envelope = forged(&envelope, &k, &|p| p["warnings"][0]["path"] = json!("declaration"));
    assert_eq!(check(&forged_envelope, &[k.public()]).err(), Some("warnings_mismatch".to_owned()));
}

#[test]
fn verify_refuses_data_not_in_its_normalised_form() {
    let k = key(Algorithm::EdDSA, "k1");
    let envelope = sealed_data(Algorithm::EdDSA, "user-filing", &example("user-filing"));
    let refused = |edit: &dyn Fn(&mut Value)| check(&forged(&envelope, &k, edit), &[k.public()]).err();
    let code = Some("payload_not_normalized".to_owned());
    assert_eq!(refused(&|p| p["data"]["mobile"] = json!("137 0109 8765")), code);
    assert_eq!(refused(&|p| p["data"]["full_name"] = json!("  陈晓东 ")), code);
    assert_eq!(refused(&|p| p["data"]["note"] = json!("<script>alert(1)</script>")), code, "an unknown field");
    assert_eq!(refused(&|p| p["data"]["declaration"] = json!("true")), code);
}

#[test]
fn verify_refuses_warnings_the_rules_did_not_give() {
    let k = key(Algorithm::EdDSA, "k1");
    // Warnings of both kinds: one about the data itself (a look-alike domain) and two about what
    // normalising changed (a scheme added, an unknown field dropped).
    let mut data = example("network-unit-filing");
    data["websites"][0]["domains"].as_array_mut().unwrap().push(json!("раураӏ.com"));
    data["websites"][0]["homepage"] = json!("www.huaxin-wt.com.cn");
    data["note"] = json!("<b>x</b>");
    let envelope = sealed_data(Algorithm::EdDSA, "network-unit-filing", &data);
    let genuine = payload_of(&envelope)["warnings"].as_array().unwrap().clone();
    let codes: Vec<&str> = genuine.iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["domain_confusable", "url_scheme_added", "unknown_field"]);
    let refused = |edit: &dyn Fn(&mut Value)| check(&forged(&envelope, &k, edit), &[k.public()]).err();
    let code = Some("warnings_mismatch".to_owned());
    // A warning no rule gives.
    let approved = json!({ "path": "", "code": "approved", "message": "已审核通过" });
    assert_eq!(refused(&|p| p["warnings"].as_array_mut().unwrap().push(approved.clone())), code);
    // A genuine code with another message, or at another path.
    for i in 0..genuine.len() {
        assert_eq!(refused(&|p| p["warnings"][i]["message"] = json!("已审核通过")), code, "{i}");
        assert_eq!(refused(&|p| p["warnings"][i]["path"] = json!("unit_name")), code, "{i}");
    }
    // The warning about the data itself left out, or all of them.
    assert_eq!(refused(&|p| p["warnings"] = json!(genuine[1..])), code);
    assert_eq!(refused(&|p| p["warnings"] = json!([])), code);
    // Out of order, or twice.
    assert_eq!(refused(&|p| p["warnings"] = json!([genuine[1], genuine[0], genuine[2]])), code);
    assert_eq!(refused(&|p| p["warnings"].as_array_mut().unwrap().push(genuine[2].clone())), code);
    // An unknown field that is a field of the form, a URL scheme added to what is not a URL, a
    // 15-digit ID number or police-style ICP abbreviation that was never there.
    let claims = [
        ("unit_name", "unknown_field", "表单中没有“unit_name”这一项，该内容不会被提交。"),
        ("unit_name", "url_scheme_added", "x"),
        ("websites[0].icp_number", "resident_id_legacy_15", "x"),
        ("websites[0].icp_number", "icp_police_abbreviation", "x"),
        ("", "too_many_unknown_fields", "另有 21 项不属于本表单的内容，不会被提交。"),
    ];
    for (path, c, message) in claims {
        let claim = json!({ "path": path, "code": c, "message": message });
        assert_eq!(refused(&|p| p["warnings"].as_array_mut().unwrap().push(claim.clone())), code, "{c}");
    }
    // A payload sealed without warnings given the warnings of another.
    let tidy = sealed_data(Algorithm::EdDSA, "network-unit-filing", &example("network-unit-filing"));
    let forged_tidy = forged(&tidy, &k, &|p| p["warnings"] = json!(genuine));
    assert_eq!(check(&forged_tidy, &[k.public()]).err(), code);
    // Leaving out a warning about what normalising changed gives what a sealer makes of an input
    // that did not need the change: a genuine payload, accepted.
    assert!(check(&forged(&envelope, &k, &|p| p["warnings"] = json!(genuine[..2])), &[k.public()]).is_ok());
}

#[test]
fn verify_refuses_an_attachments_list_that_does_not_match_the_data() {
    let k = key(Algorithm::EdDSA, "k1");
    let envelope = sealed_data(Algorithm::EdDSA, "network-unit-filing", &example("network-unit-filing"));
    let genuine = payload_of(&envelope)["attachments"].clone();
    assert_eq!(genuine.as_array().unwrap().len(), 1);
    let refused = |edit: &dyn Fn(&mut Value)| check(&forged(&envelope, &k, edit), &[k.public()]).err();
    let code = Some("attachments_mismatch".to_owned());
    assert_eq!(refused(&|p| p["attachments"] = json!([])), code);
    assert_eq!(refused(&|p| p["attachments"][0]["size"] = json!(1)), code);
    assert_eq!(refused(&|p| p["attachments"][0]["path"] = json!("other")), code);
    assert_eq!(refused(&|p| p["attachments"].as_array_mut().unwrap().push(genuine[0].clone())), code);

    // An SM2-SM3 seal whose attachment has no SM3 digest, in the data and the list alike.
    let k = key(Algorithm::Sm2Sm3, "k1");
    let (envelope, _) = sealed(Algorithm::Sm2Sm3, "network-unit-filing");
    let without_sm3 = forged(&envelope, &k, &|p| {
        p["data"]["approval_certificate"].as_object_mut().unwrap().remove("sm3");
        p["attachments"][0].as_object_mut().unwrap().remove("sm3");
    });
    assert_eq!(check(&without_sm3, &[k.public()]).err(), code);
}

#[test]
fn verify_refuses_a_nonce_the_sealer_does_not_make() {
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, _) = sealed(Algorithm::EdDSA, "user-filing");
    let code = Some("nonce_invalid".to_owned());
    let sixteen = b64::encode(&[9u8; 16]);
    for nonce in [
        String::new(),
        "x".to_owned(),
        b64::encode(&[9u8; 15]),
        b64::encode(&[9u8; 17]),
        format!("{sixteen}=="),
        // The same 16 bytes but non-zero unused bits in the last character.
        format!("{}B", &sixteen[..21]),
    ] {
        let forged = forged(&envelope, &k, &|p| p["nonce"] = json!(nonce));
        assert_eq!(check(&forged, &[k.public()]).err(), code, "{nonce:?}");
    }
}

#[test]
fn verify_refuses_times_not_in_the_sealers_form() {
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, _) = sealed(Algorithm::EdDSA, "user-filing");
    let code = Some("time_invalid".to_owned());
    for member in ["iat", "exp"] {
        let genuine = payload_of(&envelope)[member].as_str().unwrap().to_owned();
        let same_instant = [
            genuine.trim_end_matches("+08:00").to_owned(),
            genuine.replace("2005", "２００５"),
            genuine.replace('T', " "),
            genuine.replace("+08:00", ".000+08:00"),
            genuine.replace("10:00:00+08:00", "02:00:00Z"),
            genuine.replace("10:00:00+08:00", "02:00:00+00:00"),
            genuine.replace("T", "t"),
            format!(" {genuine}"),
            "yesterday".to_owned(),
            String::new(),
        ];
        for text in same_instant {
            let forged = forged(&envelope, &k, &|p| p[member] = json!(text));
            assert_eq!(check(&forged, &[k.public()]).err(), code, "{member} {text:?}");
        }
    }
}

#[test]
fn verify_refuses_exp_not_after_iat() {
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, _) = sealed(Algorithm::EdDSA, "user-filing");
    for exp in ["2005-06-01T10:00:00+08:00", "2005-06-01T09:59:59+08:00", "2004-06-01T10:00:00+08:00"] {
        let forged = forged(&envelope, &k, &|p| p["exp"] = json!(exp));
        // Checked at the time of issue, so that "expired" does not answer first.
        let at = verify_options(now() - SignedDuration::from_secs(1));
        let code = verify(&forged, &[k.public()], &at, &builtin_forms).err().map(|e| e.code());
        assert_eq!(code, Some("ttl_invalid"), "{exp}");
    }
}

#[test]
fn verify_refuses_an_exp_further_than_any_seal_reaches() {
    use formseal::seal::envelope::MAX_TTL;
    let k = key(Algorithm::EdDSA, "k1");
    let (envelope, _) = sealed(Algorithm::EdDSA, "user-filing");
    let longest = formseal::time::format_instant(now().checked_add(MAX_TTL).unwrap());
    let just_past = formseal::time::format_instant(now().checked_add(MAX_TTL + SignedDuration::from_secs(1)).unwrap());
    for (exp, expected) in
        [("9000-01-01T00:00:00+08:00", Err("ttl_too_long")), (&just_past, Err("ttl_too_long")), (&longest, Ok(()))]
    {
        let forged = forged(&envelope, &k, &|p| p["exp"] = json!(exp));
        let got = check(&forged, &[k.public()]).map(|_| ());
        assert_eq!(got, expected.map_err(str::to_owned), "{exp}");
    }
    // And the sealer never makes one: a longer time to live is refused.
    let form = Form::builtin("user-filing").unwrap();
    let too_long = SealOptions { ttl: MAX_TTL + SignedDuration::from_secs(1), ..options() };
    match seal(&form, &example("user-filing"), &k, &too_long) {
        Err(Refusal::Error(e)) => assert_eq!(e.code(), "ttl_too_long"),
        other => panic!("sealed with a time to live over MAX_TTL: {other:?}"),
    }
    let longest = SealOptions { ttl: MAX_TTL, ..options() };
    assert!(seal(&form, &example("user-filing"), &k, &longest).is_ok());
}
