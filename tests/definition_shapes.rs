//! Definitions refused for their JSON shape (`tests/data/schema/shapes.json`): an unknown key at
//! every depth, a wrong type for every kind of value, a number out of range, a missing required
//! key, an unknown kind or severity name, a text without one of its locales. Each is a
//! `schema_shape` error at the JSON path of the problem, with a message that names JSON shapes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::Path;

use formseal::{CompileOptions, Form};
use serde_json::{Map, Value};

/// Replaces or adds the value at a JSON pointer (`""` is the whole document).
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        assert_eq!(pointer, "", "a pointer starts with /");
        *doc = value;
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}")) {
        Value::Object(members) => {
            members.insert(last, value);
        }
        Value::Array(items) => items[last.parse::<usize>().expect("an index")] = value,
        _ => panic!("{parent} holds no members"),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').expect("a member's pointer");
    let members: &mut Map<String, Value> =
        doc.pointer_mut(parent).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("no object at {parent}"));
    assert!(members.remove(last).is_some(), "no {pointer} to remove");
}

#[test]
fn bad_definition_shapes_are_refused_with_their_json_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schema/shapes.json");
    let file: Value = serde_json::from_str(&fs::read_to_string(path).expect("read")).expect("JSON");
    let base = &file["base"];
    Form::from_value(base.clone(), &CompileOptions::default()).expect("the base definition compiles");

    let cases = file["cases"].as_array().expect("cases");
    assert!(cases.len() >= 50);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let mut def = base.clone();
        for (pointer, value) in case.get("set").and_then(Value::as_object).into_iter().flatten() {
            set(&mut def, pointer, value.clone());
        }
        for pointer in case.get("remove").and_then(Value::as_array).into_iter().flatten() {
            remove(&mut def, pointer.as_str().expect("a pointer"));
        }
        let (code, want) = (case["code"].as_str().expect("code"), case["path"].as_str().expect("path"));
        let err = match Form::from_value(def, &CompileOptions::default()) {
            Ok(_) => {
                failures.push(format!("{name}: compiled"));
                continue;
            }
            Err(e) => e,
        };
        if (err.code(), err.path()) != (code, want) {
            failures.push(format!(
                "{name}: got {} at {:?} ({}), want {code} at {want:?}",
                err.code(),
                err.path(),
                err.message()
            ));
        }
        if let Some(text) = case.get("message").and_then(Value::as_str) {
            if !err.message().contains(text) {
                failures.push(format!("{name}: message {:?} does not say {text:?}", err.message()));
            }
        }
        // The author knows JSON, not the Rust types the definition is read into.
        for rust in [
            "Def",
            "KindName",
            "Localized",
            "struct ",
            "enum ",
            "u32",
            "u64",
            "f64",
            "Option",
            "Vec",
            "sequence",
            "map",
        ] {
            if err.message().contains(rust) {
                failures.push(format!("{name}: message {:?} names {rust:?}", err.message()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
