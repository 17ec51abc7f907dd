//! The vector checks shared by the native tests and the wasm tests (`tests/wasm.rs`): each takes
//! a file's name and text and returns how many cases it ran and what failed, so the same data
//! files run natively and inside WebAssembly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, dead_code)]

#[cfg(feature = "serve")]
pub mod receiver;
#[cfg(feature = "seal")]
pub mod seal;

use std::collections::BTreeSet;

use formseal::ident::{self, IdentifierKind, Today};
use formseal::{Form, Locale, Report, Timestamp};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Every vector file, embedded, for runs that cannot read files (wasm). `tests/identifiers.rs`
/// checks that this list is exactly what the directories hold.
pub const IDENT_FILES: &[(&str, &str)] = &[
    ("domain.json", include_str!("../data/ident/domain.json")),
    ("email.json", include_str!("../data/ident/email.json")),
    ("icp-number.json", include_str!("../data/ident/icp-number.json")),
    ("ip.json", include_str!("../data/ident/ip.json")),
    ("mobile.json", include_str!("../data/ident/mobile.json")),
    ("org-code.json", include_str!("../data/ident/org-code.json")),
    ("phone.json", include_str!("../data/ident/phone.json")),
    ("psb-filing-number.json", include_str!("../data/ident/psb-filing-number.json")),
    ("resident-id.json", include_str!("../data/ident/resident-id.json")),
    ("url.json", include_str!("../data/ident/url.json")),
    ("uscc.json", include_str!("../data/ident/uscc.json")),
];

/// Every rule vector file, embedded (see [`IDENT_FILES`]).
pub const RULE_FILES: &[(&str, &str)] = &[
    ("cross_field.json", include_str!("../data/rules/cross_field.json")),
    ("deadlines.json", include_str!("../data/rules/deadlines.json")),
    ("presence.json", include_str!("../data/rules/presence.json")),
    ("values.json", include_str!("../data/rules/values.json")),
];

#[derive(Deserialize)]
struct IdentFile {
    kind: String,
    #[serde(default)]
    today: Option<String>,
    cases: Vec<IdentCase>,
}

#[derive(Deserialize)]
struct IdentCase {
    #[serde(default)]
    name: String,
    input: String,
    valid: bool,
    #[serde(default)]
    normalized: Option<String>,
    #[serde(default)]
    display: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
}

fn parse_today(s: &str) -> Today {
    let parts: Vec<&str> = s.split('-').collect();
    assert_eq!(parts.len(), 3, "today must be YYYY-MM-DD: {s}");
    Today { year: parts[0].parse().unwrap(), month: parts[1].parse().unwrap(), day: parts[2].parse().unwrap() }
}

/// Runs one identifier vector file; returns (cases run, failures).
pub fn identifier_file(file_name: &str, text: &str) -> (usize, Vec<String>) {
    let file: IdentFile = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file_name}: {e}"));
    let kind = IdentifierKind::parse(&file.kind).unwrap_or_else(|| panic!("{file_name}: unknown kind"));
    let today = file.today.as_deref().map(parse_today);
    let mut failures = Vec::new();
    for (i, case) in file.cases.iter().enumerate() {
        let id = format!("{file_name}#{i} {} ({:?})", case.name, case.input);
        let got = ident::check(kind, &case.input, today);
        let got_codes: BTreeSet<&str> = got.findings.iter().map(|f| f.code.as_ref()).collect();
        let want_codes: BTreeSet<&str> = case.codes.iter().map(String::as_str).collect();
        if got.is_valid() != case.valid {
            failures.push(format!("{id}: valid {} expected {} ({got_codes:?})", got.is_valid(), case.valid));
        }
        if got_codes != want_codes {
            failures.push(format!("{id}: codes {got_codes:?} expected {want_codes:?}"));
        }
        if case.normalized.is_some() && got.normalized != case.normalized {
            failures.push(format!("{id}: normalized {:?} expected {:?}", got.normalized, case.normalized));
        }
        if case.display.is_some() && got.display != case.display {
            failures.push(format!("{id}: display {:?} expected {:?}", got.display, case.display));
        }
        if case.valid && got.normalized.is_none() {
            failures.push(format!("{id}: a valid value must have a normalized form"));
        }
    }
    (file.cases.len(), failures)
}

#[derive(Deserialize)]
struct RuleFile {
    name: String,
    definition: Value,
    #[serde(default)]
    overrides: Map<String, Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    now: Option<String>,
    data: Value,
    #[serde(default)]
    valid: Option<bool>,
    findings: Vec<Expected>,
    #[serde(default)]
    normalized: Option<Value>,
}

#[derive(Deserialize)]
struct Expected {
    path: String,
    code: String,
    severity: String,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    params: Map<String, Value>,
    #[serde(default)]
    message_en: Option<String>,
    #[serde(default)]
    message_zh: Option<String>,
}

const DEFAULT_NOW: &str = "2005-06-01T10:00:00+08:00";

fn check_case(form: &Form, case: &Case, id: &str, failures: &mut Vec<String>) {
    let now: Timestamp = case.now.as_deref().unwrap_or(DEFAULT_NOW).parse().expect("case time");
    let zh = form.validate(&case.data, now, Locale::ZhCn);
    let en = form.validate(&case.data, now, Locale::En);
    let mut got: Vec<(String, String, String)> =
        zh.findings.iter().map(|f| (f.path.clone(), f.code.clone(), f.severity.as_str().to_owned())).collect();
    let mut want: Vec<(String, String, String)> =
        case.findings.iter().map(|e| (e.path.clone(), e.code.clone(), e.severity.clone())).collect();
    got.sort();
    want.sort();
    if got != want {
        failures.push(format!("{id}: findings\n    got  {got:?}\n    want {want:?}"));
        return;
    }
    let expect_valid = !case.findings.iter().any(|e| e.severity == "error");
    if zh.valid != expect_valid || case.valid.is_some_and(|v| v != zh.valid) {
        failures.push(format!("{id}: valid is {}", zh.valid));
    }
    for e in &case.findings {
        let matching = |r: &Report| {
            r.findings
                .iter()
                .find(|f| f.path == e.path && f.code == e.code && f.severity.as_str() == e.severity)
                .cloned()
        };
        let (Some(fz), Some(fe)) = (matching(&zh), matching(&en)) else { continue };
        if let Some(b) = &e.basis {
            if fz.basis.as_ref().map(|x| x.id.as_str()) != Some(b.as_str()) {
                failures.push(format!("{id}: {} basis {:?}, want {b}", e.code, fz.basis));
            }
        }
        for (k, v) in &e.params {
            if fz.params.get(k) != Some(v) {
                failures.push(format!("{id}: {} param {k} = {:?}, want {v}", e.code, fz.params.get(k)));
            }
        }
        if e.message_en.as_ref().is_some_and(|m| *m != fe.message) {
            failures.push(format!("{id}: en message {:?}", fe.message));
        }
        if e.message_zh.as_ref().is_some_and(|m| *m != fz.message) {
            failures.push(format!("{id}: zh message {:?}", fz.message));
        }
        // Every message is rendered: no `{param}` left over, and the two locales differ.
        for m in [&fz.message, &fe.message] {
            if m.contains('{') || m.is_empty() {
                failures.push(format!("{id}: unrendered message {m:?}"));
            }
        }
    }
    if let Some(n) = &case.normalized {
        if &zh.normalized != n {
            failures.push(format!("{id}: normalized\n    got  {}\n    want {n}", zh.normalized));
        }
    }
}

/// Runs one rule vector file; returns (cases run, failures).
pub fn rule_file(file_name: &str, text: &str) -> (usize, Vec<String>) {
    let file: RuleFile = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file_name}: {e}"));
    let options = formseal::CompileOptions { deadline_overrides: file.overrides.clone() };
    let form = Form::from_value(file.definition.clone(), &options)
        .unwrap_or_else(|e| panic!("{file_name} ({}): {e}", file.name));
    let mut failures = Vec::new();
    for (i, case) in file.cases.iter().enumerate() {
        check_case(&form, case, &format!("{file_name}#{i} {}", case.name), &mut failures);
    }
    (file.cases.len(), failures)
}
