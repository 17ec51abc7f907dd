//! Native benchmarks (`make bench` runs them): every built-in form, valid and invalid example; one
//! field; each identifier kind; seal and verify per algorithm. Short warm-up and measurement times
//! so the whole run takes a few minutes on a shared machine; `bench/report.mjs` reads the medians
//! from `target/criterion/*/new/estimates.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use formseal::ident::{IdentifierKind, Today};
use formseal::{Form, Locale, Timestamp};
use serde_json::{json, Value};

const NOW: &str = "2005-06-01T10:00:00+08:00";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn forms(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for builtin in formseal::forms::BUILTINS {
        let form = Form::builtin(builtin.id).unwrap();
        for (kind, text) in [("valid", builtin.valid_example()), ("invalid", builtin.invalid_example())] {
            let data: Value = serde_json::from_str(text).unwrap();
            group.bench_function(format!("{}/{kind}", builtin.id), |b| {
                b.iter(|| form.validate(black_box(&data), now(), Locale::ZhCn))
            });
        }
    }
    group.finish();
    // The same validation without rendering: raw findings and the normalised data as an overlay
    // (what a receiver needing the verdict pays, and what the `jsonschema` peer compares with).
    let mut group = c.benchmark_group("check");
    for builtin in formseal::forms::BUILTINS {
        let form = Form::builtin(builtin.id).unwrap();
        for (kind, text) in [("valid", builtin.valid_example()), ("invalid", builtin.invalid_example())] {
            let data: Value = serde_json::from_str(text).unwrap();
            group.bench_function(format!("{}/{kind}", builtin.id), |b| {
                b.iter(|| form.check(black_box(&data), now()).valid())
            });
        }
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for builtin in formseal::forms::BUILTINS {
        group.bench_function(builtin.id, |b| b.iter(|| Form::builtin(black_box(builtin.id))));
    }
    group.finish();
}

fn field(c: &mut Criterion) {
    let form = Form::builtin("network-unit-filing").unwrap();
    let data: Value =
        serde_json::from_str(formseal::forms::builtin("network-unit-filing").unwrap().valid_example()).unwrap();
    let mut group = c.benchmark_group("field");
    let value = json!("139 0101 23");
    group.bench_function("principal.mobile/alone", |b| {
        b.iter(|| form.validate_field("principal.mobile", black_box(&value), None, now(), Locale::ZhCn))
    });
    group.bench_function("principal.mobile/with-data", |b| {
        b.iter(|| form.validate_field("principal.mobile", black_box(&value), Some(&data), now(), Locale::ZhCn))
    });
    group.finish();
}

fn identifiers(c: &mut Criterion) {
    let samples: [(IdentifierKind, &str); 11] = [
        (IdentifierKind::Uscc, "91110000600037341L"),
        (IdentifierKind::OrgCode, "60003734-1"),
        (IdentifierKind::ResidentId, "110108196507221013"),
        (IdentifierKind::Domain, "华信网通.中国"),
        (IdentifierKind::Email, "zhangjianguo@huaxin-wt.com.cn"),
        (IdentifierKind::Url, "http://www.huaxin-wt.com.cn/"),
        (IdentifierKind::Phone, "010-65012345"),
        (IdentifierKind::Mobile, "139 0101 2345"),
        (IdentifierKind::Ip, "202.106.12.34"),
        (IdentifierKind::PsbFilingNumber, "京公网安备 11010502030143号"),
        (IdentifierKind::IcpNumber, "京ICP备05012345号"),
    ];
    let today = Some(Today { year: 2005, month: 6, day: 1 });
    let mut group = c.benchmark_group("identifier");
    for (kind, value) in samples {
        group.bench_function(kind.as_str(), |b| b.iter(|| formseal::check_identifier(kind, black_box(value), today)));
    }
    group.finish();
}

#[cfg(feature = "seal")]
fn sealing(c: &mut Criterion) {
    use formseal::seal::envelope::{seal, verify, Refusal, SealOptions, VerifyOptions};
    use formseal::seal::keys::{Algorithm, PrivateKey};
    use formseal::SignedDuration;

    let id = "network-unit-filing";
    let form = Form::builtin(id).unwrap();
    let base: Value = serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap();
    let options =
        SealOptions { now: now(), ttl: SignedDuration::from_hours(24), nonce: [9u8; 16], locale: Locale::ZhCn };
    let verify_options =
        VerifyOptions { now: now() + SignedDuration::from_mins(1), max_skew: SignedDuration::from_mins(5) };
    // The form compiled once, as the receiver holds it: verify measures verification, not compiling.
    let form_for = |fid: &str, version: &str| (fid == form.id() && version == form.version()).then_some(&form);
    let mut group = c.benchmark_group("seal");
    for (name, alg) in [("EdDSA", Algorithm::EdDSA), ("ES256", Algorithm::Es256), ("SM2-SM3", Algorithm::Sm2Sm3)] {
        let key = PrivateKey::from_seed(alg, Some("k1".into()), &[7u8; 32]).unwrap();
        let mut data = base.clone();
        if alg == Algorithm::Sm2Sm3 {
            data["approval_certificate"]["sm3"] =
                json!("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        }
        let envelope = match seal(&form, &data, &key, &options) {
            Ok(e) => serde_json::to_string(&e).unwrap(),
            Err(Refusal::Invalid(r)) => panic!("invalid: {:?}", r.findings),
            Err(Refusal::Error(e)) => panic!("{e}"),
        };
        let keys = [key.public()];
        verify(&envelope, &keys, &verify_options, &form_for).unwrap();
        group.bench_function(format!("seal/{name}"), |b| b.iter(|| seal(&form, black_box(&data), &key, &options)));
        group.bench_function(format!("verify/{name}"), |b| {
            b.iter(|| verify(black_box(&envelope), &keys, &verify_options, &form_for))
        });
    }
    group.finish();
}

#[cfg(not(feature = "seal"))]
fn sealing(_: &mut Criterion) {}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(30)
        .without_plots()
}

criterion_group! { name = benches; config = config(); targets = forms, compile, field, identifiers, sealing }
criterion_main!(benches);
