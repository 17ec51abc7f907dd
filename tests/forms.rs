//! The built-in forms: each compiles, its valid example is valid at the seeds' own time, its
//! invalid example gives exactly the findings listed in `forms/examples/<id>.invalid.expect.json`,
//! and the schema errors of `tests/data/schema/errors.json` are refused with their paths.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use formseal::forms::BUILTINS;
use formseal::{CompileOptions, Form, Locale, Severity, Timestamp};
use serde::Deserialize;
use serde_json::{json, Value};

const SEED_TIME: &str = "2005-06-01T10:00:00+08:00";

fn now() -> Timestamp {
    SEED_TIME.parse().expect("seed time")
}

#[test]
fn six_builtin_forms_compile_with_bilingual_titles() {
    assert_eq!(BUILTINS.len(), 6);
    for b in BUILTINS {
        let form = Form::builtin(b.id).unwrap_or_else(|e| panic!("{}: {e}", b.id));
        assert_eq!(form.id(), b.id);
        assert!(!form.title().zh_cn.is_empty() && !form.title().en.is_empty());
    }
    assert!(Form::builtin("no-such-form").is_err_and(|e| e.is_unknown_form()));
}

#[test]
fn valid_examples_are_valid_at_the_seed_time() {
    for b in BUILTINS {
        let form = Form::builtin(b.id).expect("builtin");
        let data: Value = serde_json::from_str(b.valid_example()).expect("example JSON");
        for locale in Locale::ALL {
            let report = form.validate(&data, now(), locale);
            let errors: Vec<_> = report.errors().map(|f| format!("{} {}", f.path, f.code)).collect();
            assert!(report.valid, "{} ({locale:?}) has errors: {errors:?}", b.id);
        }
        // Normalising is idempotent: the normalised data validates to itself.
        let first = form.validate(&data, now(), Locale::ZhCn);
        let second = form.validate(&first.normalized, now(), Locale::ZhCn);
        assert_eq!(first.normalized, second.normalized, "{}: normalising twice changed the data", b.id);
        assert!(second.valid, "{}: normalised data is not valid", b.id);
    }
}

#[derive(Deserialize)]
struct ExpectedFinding {
    path: String,
    code: String,
    severity: Severity,
}

#[test]
fn invalid_examples_give_exactly_the_expected_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("forms/examples");
    for b in BUILTINS {
        let form = Form::builtin(b.id).expect("builtin");
        let data: Value = serde_json::from_str(b.invalid_example()).expect("example JSON");
        let report = form.validate(&data, now(), Locale::En);
        assert!(!report.valid, "{}: the invalid example is valid", b.id);
        let text = fs::read_to_string(dir.join(format!("{}.invalid.expect.json", b.id))).expect("expect file");
        let expected: Vec<ExpectedFinding> = serde_json::from_str(&text).expect("expect JSON");
        let want: BTreeSet<(String, String, Severity)> =
            expected.into_iter().map(|e| (e.path, e.code, e.severity)).collect();
        let got: BTreeSet<(String, String, Severity)> = report
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| (f.path.clone(), f.code.clone(), f.severity))
            .collect();
        assert_eq!(got, want, "{}", b.id);
        for f in &report.findings {
            assert!(!f.message.contains('{'), "{}: unrendered message {:?}", b.id, f.message);
            if f.severity != Severity::Info && !f.code.starts_with("unknown_") {
                assert!(f.basis.is_some(), "{}: {} at {} cites no legal basis", b.id, f.code, f.path);
            }
        }
    }
}

#[test]
fn campaign_deadlines_can_be_overridden_at_load_time() {
    let late = json!({ "kind": "campaign" });
    let _ = late;
    let b = formseal::forms::builtin("virus-sample-storage").expect("builtin");
    let data: Value = serde_json::from_str(b.valid_example()).expect("example");
    let after: Timestamp = "2005-06-24T17:00:00+08:00".parse().expect("time");
    let stock = Form::builtin("virus-sample-storage").expect("form").validate(&data, after, Locale::ZhCn);
    assert!(stock.findings.iter().any(|f| f.code == "deadline_passed_hours"), "16:30 has passed at 17:00");

    let mut options = CompileOptions::default();
    options.deadline_overrides.insert("virus_application".into(), json!({ "before": "2005-06-27T16:30:00+08:00" }));
    let extended = Form::builtin_with("virus-sample-storage", &options).expect("override compiles");
    let report = extended.validate(&data, after, Locale::ZhCn);
    assert!(report.findings.iter().any(|f| f.code == "deadline_hours_left"), "{:?}", report.findings);
    assert_eq!(extended.definition()["deadlines"]["virus_application"]["before"], "2005-06-27T16:30:00+08:00");

    options.deadline_overrides.clear();
    options.deadline_overrides.insert("no_such_deadline".into(), json!({ "by": "2005-07-01" }));
    let err = Form::builtin_with("virus-sample-storage", &options).expect_err("unknown name refused");
    assert_eq!((err.code(), err.path()), ("schema_unknown_deadline", "deadlines.no_such_deadline"));
}

#[derive(Deserialize)]
struct SchemaCases {
    cases: Vec<SchemaCase>,
}

#[derive(Deserialize)]
struct SchemaCase {
    name: String,
    definition: Value,
    code: String,
    path: String,
}

#[test]
fn bad_definitions_are_refused_with_their_json_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schema/errors.json");
    let file: SchemaCases = serde_json::from_str(&fs::read_to_string(path).expect("read")).expect("JSON");
    let mut failures = Vec::new();
    for case in &file.cases {
        match Form::from_value(case.definition.clone(), &CompileOptions::default()) {
            Ok(_) => failures.push(format!("{}: compiled", case.name)),
            Err(e) if e.code() != case.code || e.path() != case.path => failures.push(format!(
                "{}: got {} at {:?} ({}), want {} at {:?}",
                case.name,
                e.code(),
                e.path(),
                e.message(),
                case.code,
                case.path
            )),
            Err(e) => assert!(e.to_string().contains(&case.path), "{e}"),
        }
    }
    assert!(file.cases.len() >= 30);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Field names become JavaScript property names in the embed's drafts: a group `constructor`
/// holding `prototype` let typing pollute `Object.prototype` (issue 16). Such names are refused
/// when the definition is compiled.
#[test]
fn prototype_names_are_refused_as_field_names() {
    for name in ["constructor", "prototype", "__proto__"] {
        let def = json!({ "id": "p", "version": "1", "title": { "zh-CN": "表", "en": "Form" }, "fields": [
            { "name": "g", "kind": "group", "label": { "zh-CN": "组", "en": "Group" }, "fields": [
                { "name": name, "kind": "text", "label": { "zh-CN": "名", "en": "Name" } } ] } ] });
        let err = Form::from_value(def, &CompileOptions::default()).expect_err(name);
        assert_eq!((err.code(), err.path()), ("schema_invalid", "fields[0].fields[0].name"), "{name}: {err}");
        assert!(err.message().contains(name) || name == "__proto__", "{name}: {}", err.message());
    }
}
