//! Table-driven rule tests: every file under `tests/data/rules/` holds a small form definition and
//! cases of data, time and the exact findings expected (format in `tests/data/README.md`). The
//! same files run under wasm (`tests/wasm.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::fs;
use std::path::Path;

#[test]
fn rule_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules");
    let mut paths: Vec<_> = fs::read_dir(&dir).expect("tests/data/rules").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let (mut failures, mut count) = (Vec::new(), 0);
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (n, f) = common::rule_file(&file_name, &fs::read_to_string(path).expect("read"));
        count += n;
        failures.extend(f);
    }
    assert!(count > 50, "only {count} rule cases found");
    assert!(failures.is_empty(), "{} of {count} rule cases failed:\n{}", failures.len(), failures.join("\n"));
}

// ---- issue 10: values under hostile input ----

use formseal::{CompileOptions, Form, Locale, Severity, Timestamp};
use serde_json::{json, Value};

fn now() -> Timestamp {
    "2005-06-01T10:00:00+08:00".parse().expect("time")
}

fn one_field(field: Value) -> Form {
    let def = json!({ "id": "v", "version": "1", "title": { "zh-CN": "表", "en": "Form" }, "fields": [field] });
    Form::from_value(def, &CompileOptions::default()).expect("compiles")
}

/// `9007199254740993` (as a number or as a string) was normalised to `9007199254740992.0`
/// without a word, and sealed. A number a double cannot hold exactly is an error now.
#[test]
fn integers_past_2_pow_53_are_not_rounded_silently() {
    let form = one_field(json!({ "name": "n", "kind": "number", "label": { "zh-CN": "数", "en": "Number" } }));
    let big: Value = serde_json::from_str("9007199254740993").expect("u64");
    for value in [
        big,
        json!("9007199254740993"),
        json!("-9007199254740993"),
        json!(18_446_744_073_709_551_615u64),
        json!(1e300),
        json!("9007199254740992"),
        json!("１２３４５６７８９０１２３４５６７８９"),
    ] {
        let report = form.validate(&json!({ "n": value }), now(), Locale::En);
        assert!(!report.valid, "{value}: {:?}", report.normalized);
        assert_eq!(report.findings[0].code, "number_not_exact", "{value}");
        assert!(report.findings[0].message.contains("exact"), "{}", report.findings[0].message);
    }
    // The largest safe integer, and ordinary numbers, are still numbers.
    for (value, normalized) in [
        (json!(9_007_199_254_740_991u64), json!(9_007_199_254_740_991u64)),
        (json!("-9007199254740991"), json!(-9_007_199_254_740_991i64)),
        (json!("1,234.5"), json!(1234.5)),
    ] {
        let report = form.validate(&json!({ "n": value }), now(), Locale::En);
        assert!(report.valid, "{value}: {:?}", report.findings);
        assert_eq!(report.normalized["n"], normalized);
    }
}

/// A name of U+200B satisfied `required`: a value made only of invisible characters is blank.
#[test]
fn invisible_only_value_does_not_satisfy_required() {
    for kind in ["text", "long_text", "mobile"] {
        let form = one_field(
            json!({ "name": "t", "kind": kind, "required": true, "label": { "zh-CN": "姓名", "en": "Name" } }),
        );
        for blank in ["\u{200B}", "\u{FEFF}\u{200B} \u{2060}", "\u{200E}\u{202E}", "\u{3000}\u{00AD}"] {
            let report = form.validate(&json!({ "t": blank }), now(), Locale::En);
            assert!(!report.valid, "{kind} {blank:?}");
            assert_eq!(report.findings.len(), 1, "{kind}: {:?}", report.findings);
            assert_eq!(report.findings[0].severity, Severity::Error);
            assert!(report.normalized.get("t").is_none(), "{kind}: {:?}", report.normalized);
        }
    }
}

/// Bidi controls (U+202A-U+202E, U+2066-U+2069) can make text read differently from what it holds
/// (`陈晓东\u{202E}` …): they are dropped from text, with a warning.
#[test]
fn bidi_controls_in_text_are_dropped_with_a_warning() {
    let form = one_field(json!({ "name": "t", "kind": "text", "label": { "zh-CN": "名称", "en": "Name" } }));
    let report = form.validate(&json!({ "t": "华信\u{202E}网通\u{2066}商务\u{2069}网" }), now(), Locale::ZhCn);
    assert!(report.valid, "{:?}", report.findings);
    assert_eq!(report.normalized["t"], "华信网通商务网");
    assert_eq!(report.counts.warnings, 1);
    let warning = &report.findings[0];
    assert_eq!((warning.code.as_str(), warning.severity), ("bidi_controls_removed", Severity::Warning));
    assert_eq!(warning.params["count"], 3);
    assert!(!warning.message.is_empty() && !warning.message.contains("bidi_controls_removed"), "{}", warning.message);
    let report = form.validate(&json!({ "t": "华信网通" }), now(), Locale::En);
    assert!(report.findings.is_empty());
}

/// Findings sort in form order through groups and list items (the presence pass numbers fields
/// without storing a path per field; this pins the order it must keep).
#[test]
fn findings_follow_form_order_through_nested_scopes() {
    let l = json!({ "zh-CN": "名", "en": "Name" });
    let def = json!({ "id": "o", "version": "1", "title": l, "fields": [
        { "name": "a", "kind": "text", "label": l, "required": true },
        { "name": "g", "kind": "group", "label": l, "fields": [
            { "name": "p", "kind": "text", "label": l, "required": true },
            { "name": "q", "kind": "text", "label": l, "max_length": 1 } ] },
        { "name": "l", "kind": "group", "repeatable": true, "label": l, "fields": [
            { "name": "x", "kind": "text", "label": l, "required": true },
            { "name": "y", "kind": "text", "label": l, "max_length": 1 } ] },
        { "name": "z", "kind": "text", "label": l, "required": true } ] });
    let form = Form::from_value(def, &CompileOptions::default()).expect("compiles");
    let data = json!({ "g": { "q": "long" }, "l": [{ "y": "long" }, { "x": "ok", "y": "long" }], "unknown": 1 });
    let report = form.validate(&data, now(), Locale::En);
    let paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["a", "g.p", "g.q", "l[0].x", "l[0].y", "l[1].y", "z", "unknown"]);
}
