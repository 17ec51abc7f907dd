//! The core's vectors again, inside WebAssembly: identifier and rule vectors (embedded, since wasm
//! cannot read files) and the built-in forms' examples. Run by `make test` under Node and in
//! headless Chromium through `wasm-pack test`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use formseal::forms::BUILTINS;
use formseal::{Form, Locale, Timestamp};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn identifier_vectors_in_wasm() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in common::IDENT_FILES {
        let (n, f) = common::identifier_file(name, text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 400, "only {count} identifier cases");
    assert!(failures.is_empty(), "{} of {count} failed in wasm:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
fn rule_vectors_in_wasm() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in common::RULE_FILES {
        let (n, f) = common::rule_file(name, text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 50);
    assert!(failures.is_empty(), "{} of {count} failed in wasm:\n{}", failures.len(), failures.join("\n"));
}

#[wasm_bindgen_test]
fn builtin_examples_in_wasm() {
    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    for b in BUILTINS {
        let form = Form::builtin(b.id).unwrap();
        let valid: serde_json::Value = serde_json::from_str(b.valid_example).unwrap();
        assert!(form.validate(&valid, now, Locale::ZhCn).valid, "{}", b.id);
        let invalid: serde_json::Value = serde_json::from_str(b.invalid_example).unwrap();
        assert!(!form.validate(&invalid, now, Locale::En).valid, "{}", b.id);
    }
}
