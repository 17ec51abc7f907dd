//! `validate_field` checks only what a field's findings depend on (src/field.rs). Property: for
//! generated documents and every path, it gives exactly the findings (in the same order, with the
//! same messages) that validating the whole document, with the value put at that path, gives at
//! that path or inside it. The whole validation here is the reference: the document is rebuilt
//! with the value inserted the way `validate_field` documents it, and its findings filtered by
//! path text.
// Native only: proptest is a native dev-dependency, and the wasm run has its own vectors.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use formseal::{Form, Locale, ReportFinding, Timestamp};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn now() -> Timestamp {
    "2005-06-01T10:00:00+08:00".parse().unwrap()
}

#[derive(Clone, Debug)]
enum Seg {
    Name(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        out.push(Seg::Name(name.to_owned()));
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            out.push(Seg::Index(idx.trim_end_matches(']').parse().unwrap()));
        }
    }
    out
}

/// The value put at its path: missing or mistyped containers become empty ones, short lists are
/// padded with `null`.
fn insert(slot: &mut Value, segs: &[Seg], value: Value) {
    let Some((first, rest)) = segs.split_first() else {
        *slot = value;
        return;
    };
    match first {
        Seg::Name(n) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            insert(slot.as_object_mut().unwrap().entry(n.clone()).or_insert(Value::Null), rest, value);
        }
        Seg::Index(i) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            let a = slot.as_array_mut().unwrap();
            if a.len() <= *i {
                a.resize(*i + 1, Value::Null);
            }
            insert(&mut a[*i], rest, value);
        }
    }
}

fn whole(form: &Form, path: &str, value: &Value, data: Option<&Value>, locale: Locale) -> Vec<ReportFinding> {
    let mut document = match data {
        Some(Value::Object(o)) => Value::Object(o.clone()),
        _ => Value::Object(Map::new()),
    };
    insert(&mut document, &segments(path), value.clone());
    let inside =
        |p: &str| p == path || p.strip_prefix(path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
    form.validate(&document, now(), locale).findings.into_iter().filter(|f| within(f, &inside)).collect()
}

/// Whether a finding of the whole validation is inside the path: by its path text, except that an
/// unknown key is inside only when the object holding it is (a key may itself be spelled like a
/// path, `"websites[0].domains[1]"` at the root, and is then no finding of that field).
fn within(f: &ReportFinding, inside: &dyn Fn(&str) -> bool) -> bool {
    if f.code == "unknown_field" {
        let name = f.params.get("name").and_then(Value::as_str).unwrap_or_default();
        // An object's unknown key is at `holder.key`; an attachment's, at the attachment itself.
        let holder = match f.path.strip_suffix(name) {
            Some("") => "",
            Some(p) => p.strip_suffix('.').unwrap_or(&f.path),
            None => &f.path,
        };
        return !holder.is_empty() && inside(holder);
    }
    inside(&f.path)
}

/// An unknown key spelled like a field's path is not that field's finding (found by the
/// `validate_field` fuzz target: the old string filter returned it).
#[test]
fn an_unknown_key_spelled_like_a_path_is_not_that_fields_finding() {
    let form = Form::builtin("network-unit-filing").unwrap();
    let doc = json!({ "websites[0].domains[1]": "x", "websites": [{ "domains": ["a.cn", "b.cn"] }] });
    let got = form.validate_field("websites[0].domains[1]", &json!("b.cn"), Some(&doc), now(), Locale::En).unwrap();
    assert!(got.iter().all(|f| f.code != "unknown_field"), "{got:?}");
    let whole = form.validate(&doc, now(), Locale::En);
    assert!(whole.findings.iter().any(|f| f.code == "unknown_field" && f.path == "websites[0].domains[1]"));
}

/// Every path of the form's fields (list items at indices 0 and 2) from its description.
fn form_paths(description: &Value, out: &mut Vec<String>) {
    fn walk(field: &Value, path: String, out: &mut Vec<String>) {
        out.push(path.clone());
        if let Some(fields) = field["fields"].as_array() {
            for f in fields {
                walk(f, format!("{path}.{}", f["name"].as_str().unwrap()), out);
            }
        }
        if field.get("item").is_some() {
            for i in [0, 2] {
                walk(&field["item"], format!("{path}[{i}]"), out);
            }
        }
    }
    for f in description["fields"].as_array().unwrap() {
        walk(f, f["name"].as_str().unwrap().to_owned(), out);
    }
}

/// Every path present in a document (containers and leaves).
fn data_paths(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    if !path.is_empty() {
        out.push((path.clone(), v.clone()));
    }
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                data_paths(c, if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                data_paths(c, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn agree(form: &Form, path: &str, value: &Value, data: Option<&Value>) -> Result<(), String> {
    for locale in [Locale::ZhCn, Locale::En] {
        let Ok(got) = form.validate_field(path, value, data, now(), locale) else { return Ok(()) };
        let want = whole(form, path, value, data, locale);
        if got != want {
            return Err(format!(
                "{}: {path} = {value} (data: {}):\n  validate_field {}\n  whole          {}",
                form.id(),
                data.is_some(),
                serde_json::to_string(&got).unwrap(),
                serde_json::to_string(&want).unwrap()
            ));
        }
    }
    Ok(())
}

/// Values a person (or a hostile caller) may put in a field.
fn values() -> Vec<Value> {
    vec![
        json!(""),
        json!(null),
        json!("x"),
        json!(123),
        json!(false),
        json!(true),
        json!({"zz": 1}),
        json!(["x", ""]),
        json!("13901012345"),
        json!("110108196507221013"),
        json!("2005-05-12"),
        json!("huaxin-wt.com.cn"),
        json!("enterprise"),
    ]
}

#[test]
fn every_field_of_every_example_agrees_with_the_whole_validation() {
    let mut failures = Vec::new();
    for b in formseal::forms::BUILTINS {
        let form = Form::builtin(b.id).unwrap();
        let mut paths = Vec::new();
        form_paths(&form.describe(Locale::En), &mut paths);
        for example in [b.valid_example(), b.invalid_example()] {
            let doc: Value = serde_json::from_str(example).unwrap();
            let mut present = Vec::new();
            data_paths(&doc, String::new(), &mut present);
            for (path, value) in &present {
                for data in [Some(&doc), None] {
                    if let Err(e) = agree(&form, path, value, data) {
                        failures.push(e);
                    }
                }
            }
            for path in &paths {
                for value in values() {
                    if let Err(e) = agree(&form, path, &value, Some(&doc)) {
                        failures.push(e);
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements, the first:\n{}",
        failures.len(),
        failures[..failures.len().min(3)].join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// A document made from an example by changing values at random places, and a field checked
    /// at a random path: the same findings.
    #[test]
    fn a_changed_document_agrees_with_the_whole_validation(
        which in 0..formseal::forms::BUILTINS.len(),
        valid in any::<bool>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..13usize), 0..6),
        focus in any::<prop::sample::Index>(),
        typed in 0..13usize,
    ) {
        let b = &formseal::forms::BUILTINS[which];
        let form = Form::builtin(b.id).unwrap();
        let mut doc: Value = serde_json::from_str(if valid { b.valid_example() } else { b.invalid_example() }).unwrap();
        let pool = values();
        for (at, v) in edits {
            let mut present = Vec::new();
            data_paths(&doc, String::new(), &mut present);
            if present.is_empty() {
                break;
            }
            let (path, _) = &present[at.index(present.len())];
            insert(&mut doc, &segments(path), pool[v].clone());
        }
        let mut paths = Vec::new();
        form_paths(&form.describe(Locale::En), &mut paths);
        let path = &paths[focus.index(paths.len())];
        prop_assert_eq!(agree(&form, path, &pool[typed], Some(&doc)), Ok(()));
        prop_assert_eq!(agree(&form, path, &pool[typed], None), Ok(()));
    }
}
