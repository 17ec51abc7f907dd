//! One field as typed, against the whole validation: arbitrary data for a built-in form (the first
//! byte picks the form, the second a field path of it, the third which value of the document is
//! typed there). `validate_field` never panics, and gives exactly the findings, in order, that
//! validating the whole document with that value put at the path gives at the path or inside it
//! (src/field.rs checks only what those findings depend on; this is the property that makes that
//! safe). Also in tests/field_incremental.rs, on generated documents.
#![no_main]

use formseal::{Form, Locale, Timestamp};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use std::sync::OnceLock;

struct Built {
    form: Form,
    paths: Vec<String>,
}

fn forms() -> &'static Vec<Built> {
    static FORMS: OnceLock<Vec<Built>> = OnceLock::new();
    FORMS.get_or_init(|| {
        formseal::forms::BUILTINS
            .iter()
            .filter_map(|b| Form::builtin(b.id).ok())
            .map(|form| {
                let mut paths = Vec::new();
                if let Some(fields) = form.describe(Locale::En)["fields"].as_array() {
                    for f in fields {
                        walk(f, f["name"].as_str().unwrap_or_default().to_owned(), &mut paths);
                    }
                }
                Built { form, paths }
            })
            .collect()
    })
}

fn walk(field: &Value, path: String, out: &mut Vec<String>) {
    out.push(path.clone());
    if let Some(fields) = field["fields"].as_array() {
        for f in fields {
            walk(f, format!("{path}.{}", f["name"].as_str().unwrap_or_default()), out);
        }
    }
    if field.get("item").is_some() {
        for i in [0, 1, 3] {
            walk(&field["item"], format!("{path}[{i}]"), out);
        }
    }
}

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
            out.push(Seg::Index(idx.trim_end_matches(']').parse().unwrap_or(0)));
        }
    }
    out
}

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
            if let Value::Object(o) = slot {
                insert(o.entry(n.clone()).or_insert(Value::Null), rest, value);
            }
        }
        Seg::Index(i) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(a) = slot {
                if a.len() <= *i {
                    a.resize(*i + 1, Value::Null);
                }
                if let Some(item) = a.get_mut(*i) {
                    insert(item, rest, value);
                }
            }
        }
    }
}

/// Every value in the document, depth first.
fn values(v: &Value, out: &mut Vec<Value>) {
    out.push(v.clone());
    match v {
        Value::Object(o) => o.values().for_each(|c| values(c, out)),
        Value::Array(a) => a.iter().for_each(|c| values(c, out)),
        _ => {}
    }
}

/// Whether a finding of the whole validation is inside the path: by its path text, except that an
/// unknown key is inside only when the object holding it is (a key may itself be spelled like a
/// path, `"websites[0].domains[1]"` at the root, and is then no finding of that field).
fn within(f: &formseal::ReportFinding, inside: &dyn Fn(&str) -> bool) -> bool {
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

fuzz_target!(|data: &[u8]| {
    let [form_byte, path_byte, value_byte, bytes @ ..] = data else { return };
    let forms = forms();
    let Some(built) = forms.get(usize::from(*form_byte) % forms.len().max(1)) else { return };
    let Some(path) = built.paths.get(usize::from(*path_byte) % built.paths.len().max(1)) else { return };
    let Ok(document) = formseal::parse_data(bytes) else { return };
    let mut pool = Vec::new();
    values(&document, &mut pool);
    let typed = pool.get(usize::from(*value_byte) % pool.len().max(1)).cloned().unwrap_or(Value::Null);
    let locale = if form_byte & 0x80 == 0 { Locale::ZhCn } else { Locale::En };
    let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
    let got = built.form.validate_field(path, &typed, Some(&document), now, locale);
    let Ok(got) = got else { panic!("{path} is a field of the form: {got:?}") };
    let mut whole = match &document {
        Value::Object(o) => Value::Object(o.clone()),
        _ => Value::Object(Map::new()),
    };
    insert(&mut whole, &segments(path), typed);
    let inside =
        |p: &str| p == path || p.strip_prefix(path.as_str()).is_some_and(|r| r.starts_with('.') || r.starts_with('['));
    let want: Vec<_> =
        built.form.validate(&whole, now, locale).findings.into_iter().filter(|f| within(f, &inside)).collect();
    assert_eq!(got, want, "validate_field({path}) differs from the whole validation");
});
