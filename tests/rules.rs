//! Table-driven rule tests: every file under `tests/data/rules/` holds a small form definition and
//! cases of data, time and the exact findings expected (format in `tests/data/README.md`). The
//! same files will run under wasm.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::Path;

use formseal::{Form, Locale, Report, Timestamp};
use serde::Deserialize;
use serde_json::{Map, Value};

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

#[test]
fn rule_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules");
    let mut paths: Vec<_> = fs::read_dir(&dir).expect("tests/data/rules").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let (mut failures, mut count) = (Vec::new(), 0);
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file: RuleFile = serde_json::from_str(&fs::read_to_string(path).expect("read"))
            .unwrap_or_else(|e| panic!("{file_name}: {e}"));
        let options = formseal::CompileOptions { deadline_overrides: file.overrides.clone() };
        let form = Form::from_value(file.definition.clone(), &options)
            .unwrap_or_else(|e| panic!("{file_name} ({}): {e}", file.name));
        for (i, case) in file.cases.iter().enumerate() {
            count += 1;
            check_case(&form, case, &format!("{file_name}#{i} {}", case.name), &mut failures);
        }
    }
    assert!(count > 50, "only {count} rule cases found");
    assert!(failures.is_empty(), "{} of {count} rule cases failed:\n{}", failures.len(), failures.join("\n"));
}
