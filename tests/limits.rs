//! Bad input gets a clear error or finding, never a panic or a hang. Each limit of
//! `formseal::limits` has a test here that shows its error. No test measures time: a regression
//! to exponential or quadratic work shows up as a test that does not finish.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use formseal::limits;
use formseal::{parse_data, CompileOptions, Form, Locale, Timestamp};
use serde_json::{json, Map, Value};

fn now() -> Timestamp {
    "2005-06-01T10:00:00+08:00".parse().expect("time")
}

fn text_form(extra: Value) -> Form {
    let mut field = json!({ "name": "t", "kind": "text", "label": { "zh-CN": "文本", "en": "Text" } });
    if let (Some(f), Some(e)) = (field.as_object_mut(), extra.as_object()) {
        f.extend(e.clone());
    }
    let def = json!({ "id": "t", "version": "1", "title": { "zh-CN": "表", "en": "Form" }, "fields": [field] });
    Form::from_value(def, &CompileOptions::default()).expect("compiles")
}

#[test]
fn malformed_json_data_is_a_data_error() {
    for (bytes, code) in [
        (&b"{\"a\": "[..], "data_json"),
        (&b"{'a': 1}"[..], "data_json"),
        (&b"[1, 2]"[..], "data_not_object"),
        (&b"\"text\""[..], "data_not_object"),
        (&b"null"[..], "data_not_object"),
        (&b""[..], "data_json"),
        (&[0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d][..], "data_not_utf8"),
    ] {
        let err = parse_data(bytes).expect_err("refused");
        assert_eq!(err.code(), code, "{:?}: {err}", String::from_utf8_lossy(bytes));
        assert!(!err.message().is_empty());
    }
    assert!(parse_data("\u{feff}{\"a\":1}".as_bytes()).is_ok(), "a UTF-8 byte-order mark is accepted");
}

#[test]
fn non_object_data_through_the_api_is_a_finding() {
    let form = Form::builtin("user-filing").expect("form");
    for data in [json!([1, 2]), json!("x"), json!(null), json!(3)] {
        let report = form.validate(&data, now(), Locale::En);
        assert!(!report.valid);
        assert_eq!(report.findings[0].code, "type_mismatch");
    }
}

#[test]
fn wrong_value_types_are_findings() {
    let form = Form::builtin("network-unit-filing").expect("form");
    let data = json!({ "unit_name": { "a": 1 }, "domains": 5, "websites": "x", "network_live_date": 20050501,
                       "accept_security_notice": [true], "ip_addresses": [[["1.1.1.1"]]] });
    let report = form.validate(&data, now(), Locale::ZhCn);
    assert!(!report.valid);
    let mismatches = report.findings.iter().filter(|f| f.code == "type_mismatch").count();
    assert!(mismatches >= 4, "{:#?}", report.findings);
}

#[test]
fn data_over_the_size_limit_is_refused_before_parsing() {
    let big = format!("{{\"t\": \"{}\"}}", "a".repeat(limits::MAX_DATA_BYTES));
    assert_eq!(parse_data(big.as_bytes()).expect_err("too big").code(), "data_too_large");
}

#[test]
fn a_ten_megabyte_string_is_a_finding_not_a_crash() {
    let form = text_form(json!({ "max_length": 100 }));
    let ten_mb = "字".repeat(10 * 1024 * 1024 / 3);
    let report = form.validate(&json!({ "t": ten_mb }), now(), Locale::ZhCn);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].code, "too_long");
    assert_eq!(report.findings[0].params["max"], limits::MAX_VALUE_CHARS);
    // Identifier kinds refuse it early too.
    let builtin = Form::builtin("user-filing").expect("form");
    let report = builtin.validate(&json!({ "email": "a".repeat(10 * 1024 * 1024) }), now(), Locale::ZhCn);
    assert!(report.findings.iter().any(|f| f.path == "email" && f.severity == formseal::Severity::Error));
}

#[test]
fn ten_thousand_unknown_fields_are_summarised() {
    let form = Form::builtin("user-filing").expect("form");
    let mut data = Map::new();
    for i in 0..10_000 {
        data.insert(format!("field_{i}"), json!(i));
    }
    let report = form.validate(&Value::Object(data), now(), Locale::En);
    let unknown = report.findings.iter().filter(|f| f.code == "unknown_field").count();
    assert_eq!(unknown, limits::MAX_UNKNOWN_FIELDS_REPORTED);
    let summary = report.findings.iter().find(|f| f.code == "too_many_unknown_fields").expect("summary");
    assert_eq!(summary.params["count"], 10_000);
}

#[test]
fn ten_thousand_fields_in_a_definition_hit_the_field_limit() {
    let fields: Vec<Value> = (0..10_000)
        .map(|i| json!({ "name": format!("f{i}"), "kind": "text", "label": { "zh-CN": "字", "en": "F" } }))
        .collect();
    let def = json!({ "id": "big", "version": "1", "title": { "zh-CN": "表", "en": "Form" }, "fields": fields });
    let err = Form::from_value(def, &CompileOptions::default()).expect_err("too many fields");
    assert_eq!((err.code(), err.path()), ("schema_limit", "fields[1000]"));
}

#[test]
fn a_definition_over_the_size_limit_is_refused() {
    let text = format!("{{\"id\": \"{}\"}}", "a".repeat(limits::MAX_DEFINITION_BYTES));
    assert_eq!(Form::compile(&text).expect_err("too big").code(), "schema_too_large");
}

#[test]
fn nesting_a_thousand_deep_is_refused() {
    let deep = format!("{{\"t\": {}{}}}", "[".repeat(1000), "]".repeat(1000));
    assert_eq!(parse_data(deep.as_bytes()).expect_err("too deep").code(), "data_too_deep");
    let deep_def = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    assert_eq!(Form::compile(&deep_def).expect_err("too deep").code(), "schema_json");
    // Through the API, deep data under a field is never walked beyond the form's own depth.
    let mut v = json!("x");
    for _ in 0..1000 {
        v = json!([v]);
    }
    let report = text_form(json!({})).validate(&json!({ "t": v }), now(), Locale::En);
    assert_eq!(report.findings[0].code, "type_mismatch");
}

#[test]
fn a_list_over_the_item_limit_stops_at_the_limit() {
    let def = json!({ "id": "l", "version": "1", "title": { "zh-CN": "表", "en": "Form" },
        "fields": [ { "name": "ips", "kind": "list", "label": { "zh-CN": "地址", "en": "IPs" }, "item": { "kind": "ip" } } ] });
    let form = Form::from_value(def, &CompileOptions::default()).expect("compiles");
    let ips: Vec<Value> = (0..100_000).map(|i| json!(format!("203.0.{}.{}", (i / 256) % 256, i % 256))).collect();
    let report = form.validate(&json!({ "ips": ips }), now(), Locale::En);
    assert!(report.findings.iter().any(|f| f.code == "too_many_items" && f.params["max"] == limits::MAX_LIST_ITEMS));
}

#[test]
fn findings_are_capped() {
    let def = json!({ "id": "l", "version": "1", "title": { "zh-CN": "表", "en": "Form" },
        "fields": [ { "name": "ips", "kind": "list", "label": { "zh-CN": "地址", "en": "IPs" }, "item": { "kind": "ip" } },
                    { "name": "more", "kind": "list", "label": { "zh-CN": "地址", "en": "IPs" }, "item": { "kind": "ip" } } ] });
    let form = Form::from_value(def, &CompileOptions::default()).expect("compiles");
    let bad: Vec<Value> = (0..limits::MAX_LIST_ITEMS).map(|_| json!("not an ip")).collect();
    let report = form.validate(&json!({ "ips": bad.clone(), "more": bad }), now(), Locale::En);
    assert_eq!(report.findings.len(), limits::MAX_FINDINGS + 1);
    let last = report.findings.iter().find(|f| f.code == "too_many_findings").expect("summary");
    assert_eq!(last.params["count"], limits::MAX_LIST_ITEMS * 2 - limits::MAX_FINDINGS);
}

/// `(a+)+$` makes a backtracking engine take time exponential in the input: on `aaa…a!` with n
/// `a`s it tries about 2^n ways to split the run before failing (n = 30 already takes seconds in
/// JavaScript's engine). Here it is linear: the regex crate compiles patterns to automata and never
/// backtracks. The input is the longest value a pattern ever sees, [`limits::MAX_VALUE_CHARS`]
/// (20,000) characters: 19,999 `a` and one `!`. Longer values are `too_long` before any pattern
/// runs (below).
#[test]
fn a_pathological_pattern_runs_in_linear_time() {
    assert_eq!(limits::MAX_VALUE_CHARS, 20_000, "the sizes stated above");
    let input = format!("{}!", "a".repeat(limits::MAX_VALUE_CHARS - 1));
    assert_eq!(input.chars().count(), 20_000);
    let form = text_form(json!({ "pattern": "(a+)+$" }));
    let report = form.validate(&json!({ "t": input }), now(), Locale::En);
    assert_eq!(report.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["pattern_mismatch"]);
    // Other classic exponential or polynomial backtracking patterns, on the same 20,000 characters.
    for pattern in ["(a|a)*b", "(a|aa)+$", "(a*)*$", "(.*a){20}", "(\\w+\\s?)*$", "^(a+)+b", "(x+x+)+y"] {
        let form = text_form(json!({ "pattern": pattern }));
        let report = form.validate(&json!({ "t": input }), now(), Locale::En);
        assert!(!report.valid, "{pattern}");
    }
}

/// A value one character over [`limits::MAX_VALUE_CHARS`] is refused as `too_long` and the pattern
/// is not run on it at all.
#[test]
fn a_value_over_the_length_limit_never_reaches_the_pattern() {
    let form = text_form(json!({ "pattern": "(a+)+$" }));
    let input = format!("{}!", "a".repeat(limits::MAX_VALUE_CHARS));
    let report = form.validate(&json!({ "t": input }), now(), Locale::En);
    assert_eq!(report.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["too_long"]);
}

fn compile_pattern(pattern: &str) -> Result<Form, formseal::SchemaError> {
    let def = json!({ "id": "t", "version": "1", "title": { "zh-CN": "表", "en": "Form" },
        "fields": [ { "name": "t", "kind": "text", "label": { "zh-CN": "文本", "en": "Text" }, "pattern": pattern } ] });
    Form::from_value(def, &CompileOptions::default())
}

/// Patterns are bounded twice, both when the form is compiled, never when data arrives: by their
/// source length ([`limits::MAX_PATTERN_BYTES`], `schema_limit`) and by the size of the compiled
/// automaton ([`limits::MAX_PATTERN_COMPILED_BYTES`], `schema_bad_pattern`), which short patterns
/// with nested counted repetitions can blow up.
#[test]
fn patterns_over_the_size_limits_are_refused_when_compiled() {
    assert!(compile_pattern(&"a".repeat(limits::MAX_PATTERN_BYTES)).is_ok(), "exactly at the limit");
    let err = compile_pattern(&"a".repeat(limits::MAX_PATTERN_BYTES + 1)).expect_err("over the byte limit");
    assert_eq!((err.code(), err.path()), ("schema_limit", "fields[0].pattern"));
    assert!(err.to_string().contains(&limits::MAX_PATTERN_BYTES.to_string()), "{err}");
    for pattern in ["(?:\\w{100}){100}", "[a-z]{1000}{1000}", "((a{50}){50}){50}"] {
        assert!(pattern.len() < limits::MAX_PATTERN_BYTES);
        let err = compile_pattern(pattern).expect_err(pattern);
        assert_eq!((err.code(), err.path()), ("schema_bad_pattern", "fields[0].pattern"), "{pattern}: {err}");
    }
}

#[test]
fn arbitrary_strings_never_panic_any_identifier_check() {
    let samples = [
        "",
        " ",
        "\u{0}",
        "\u{feff}",
        "\u{200b}",
        "𝟘𝟙𝟚",
        "٣٤٥",
        "-",
        "--",
        ".",
        "。",
        "@",
        "@@",
        "http://",
        "::",
        "[::1]",
        "京公网安备",
        "ICP备",
        "号",
        "1",
        "+86",
        "0086",
        "９".repeat(100).as_str().to_owned().leak(),
        "\u{10ffff}",
    ];
    for kind in formseal::IdentifierKind::ALL {
        for s in samples {
            let checked = formseal::check_identifier(kind, s, None);
            assert_eq!(checked.input, s);
            if !checked.is_valid() {
                assert!(checked.findings.iter().any(|f| f.is_error()), "{kind:?} {s:?}");
            }
        }
    }
}

/// [`limits::MAX_RULES`]: one rule more than the limit is refused when the form is compiled; the
/// limit itself compiles.
#[test]
fn rules_over_the_limit_are_refused() {
    let file: Value =
        serde_json::from_str(include_str!("data/rules/cross_field.json")).expect("tests/data/rules/cross_field.json");
    let rule = file["definition"]["rules"][0].clone();
    let with_rules = |n: usize| {
        let mut def = file["definition"].clone();
        def["rules"] = Value::Array(
            (0..n)
                .map(|i| {
                    let mut r = rule.clone();
                    r["id"] = json!(format!("rule_{i}"));
                    r
                })
                .collect(),
        );
        Form::from_value(def, &CompileOptions::default())
    };
    assert!(with_rules(limits::MAX_RULES).is_ok(), "exactly at the limit");
    let err = with_rules(limits::MAX_RULES + 1).expect_err("over the limit");
    assert_eq!((err.code(), err.path()), ("schema_limit", "rules"));
}
