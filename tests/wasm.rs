//! The core's vectors again, inside WebAssembly: identifier and rule vectors, the sealing code's
//! published JCS and signature vectors (all embedded, since wasm cannot read files), the built-in
//! forms' examples, and a seal→verify round trip per algorithm. Run by `make test` under Node and
//! in headless Chromium through `wasm-pack test`.
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
        let valid: serde_json::Value = serde_json::from_str(b.valid_example()).unwrap();
        assert!(form.validate(&valid, now, Locale::ZhCn).valid, "{}", b.id);
        let invalid: serde_json::Value = serde_json::from_str(b.invalid_example()).unwrap();
        assert!(!form.validate(&invalid, now, Locale::En).valid, "{}", b.id);
    }
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn crypto_vectors_in_wasm() {
    assert_eq!(common::seal::crypto_vectors(), 3 + 1 + 1 + 1 + 1 + 2 + 262 + 151);
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn jcs_reference_vectors_in_wasm() {
    assert_eq!(common::seal::jcs_reference_vectors(), 6);
}

#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn jcs_es6_numbers_in_wasm() {
    assert_eq!(common::seal::es6_numbers(), 10_000);
}

/// Sealing code compiled to wasm32 makes envelopes that verify (tests/seal.rs has the rest).
#[cfg(feature = "seal")]
#[wasm_bindgen_test]
fn seal_and_verify_round_trip_in_wasm() {
    use formseal::seal::envelope::{seal, verify, SealOptions, VerifyOptions};
    use formseal::seal::keys::{Algorithm, PrivateKey};
    use formseal::SignedDuration;

    // A form without attachments, so SM2 needs no SM3 digests.
    let id = "user-filing";
    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    let form = Form::builtin(id).unwrap();
    let data: serde_json::Value = serde_json::from_str(formseal::forms::builtin(id).unwrap().valid_example()).unwrap();
    let options = SealOptions { now, ttl: SignedDuration::from_hours(24), nonce: [9u8; 16], locale: Locale::ZhCn };
    let verify_options =
        VerifyOptions { now: now + SignedDuration::from_mins(1), max_skew: SignedDuration::from_mins(5) };
    let forms = |id: &str, version: &str| Form::builtin(id).ok().filter(|f| f.version() == version);
    for alg in [Algorithm::EdDSA, Algorithm::Es256, Algorithm::Sm2Sm3] {
        let key = PrivateKey::from_seed(alg, Some("k1".into()), &[7u8; 32]).unwrap();
        let envelope = seal(&form, &data, &key, &options).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
        let envelope = serde_json::to_string(&envelope).unwrap();
        let verified = verify(&envelope, &[key.public()], &verify_options, &forms)
            .unwrap_or_else(|e| panic!("{alg}: {}", e.code()));
        assert_eq!((verified.alg, verified.kid.as_str(), verified.payload.form.id.as_str()), (alg, "k1", id));
        assert!(verified.report.valid);
        // Another key of the same algorithm does not verify it.
        let other = PrivateKey::from_seed(alg, Some("k1".into()), &[8u8; 32]).unwrap().public();
        assert!(verify(&envelope, &[other], &verify_options, &forms).is_err(), "{alg}");
    }
}

/// What the façade hands JavaScript (src/wasm/encode.rs and decode.js, one crossing) read back
/// through `JSON.stringify` is exactly the value's serde JSON: every built-in form's reports in
/// both locales, its description, identifier results, and values chosen to break a decoder
/// (`__proto__` keys, astral characters, a leading BOM, empty strings, deep and empty
/// containers, numbers at the edges, enum shapes).
#[wasm_bindgen_test]
fn results_cross_into_javascript_exactly() {
    use formseal::__wasm_testing::to_js;
    use serde_json::{json, Value};

    // JavaScript has one number type: 1.0 and 1 are the same number there.
    fn numbers_as_f64(v: Value) -> Value {
        match v {
            Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number),
            Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect()),
            other => other,
        }
    }
    fn same(value: &impl serde::Serialize, what: &str) {
        let js = to_js(value).unwrap_or_else(|_| panic!("{what}: to_js failed"));
        let text: String = js_sys::JSON::stringify(&js).unwrap().into();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(numbers_as_f64(back), numbers_as_f64(serde_json::to_value(value).unwrap()), "{what}");
    }

    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    for b in BUILTINS {
        let form = Form::builtin(b.id).unwrap();
        for locale in [Locale::ZhCn, Locale::En] {
            for example in [b.valid_example(), b.invalid_example()] {
                let data: Value = serde_json::from_str(example).unwrap();
                same(&form.validate(&data, now, locale), b.id);
            }
            same(&form.describe(locale), b.id);
        }
    }
    for (kind, value) in [("uscc", "91110000600037341L"), ("domain", "华信网通.中国"), ("mobile", "139 0101 23")]
    {
        let kind = formseal::IdentifierKind::parse(kind).unwrap();
        same(&formseal::check_identifier(kind, value, None).report(Locale::En), value);
    }
    let hostile = json!({
        "__proto__": { "polluted": true },
        "constructor": "c",
        "": "",
        "\u{feff}bom": "\u{feff}\u{1F600}𠀀 a\u{0}b\"\\",
        "10": 1, "2": -0.5, "a": [[], {}, [[[null]]]],
        "numbers": [0, -1, 9007199254740991u64, -9007199254740991i64, 1.5e300, 5e-324, 0.1],
        "bools": [true, false],
    });
    same(&hostile, "hostile");
    // A byte-order mark at the very start of the text is a character, not a mark to drop.
    same(&"\u{feff}\u{feff}first", "leading BOM");
    same(&["", "\u{feff}", "\u{10FFFF}", "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}"], "sequence edges");
    let js = to_js(&hostile).unwrap();
    let proto = js_sys::Reflect::get_prototype_of(&js).unwrap();
    assert!(proto == js_sys::Object::get_prototype_of(&js_sys::Object::new().into()), "__proto__ set the prototype");
    assert!(!js_sys::Reflect::has(&js_sys::Object::new(), &"polluted".into()).unwrap(), "Object.prototype polluted");

    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { a: Option<u8>, b: () },
    }
    same(&[Shape::Unit, Shape::Newtype(1), Shape::Tuple(2, "t"), Shape::Struct { a: None, b: () }], "enums");
    same(&(Some('字'), b"by".as_slice(), ()), "tuple");
}

/// A page's setter on `Object.prototype` runs while a result is built, and it may call formseal
/// again, growing the module's memory: the outer result must still be read whole and right (the
/// stream is copied out of the memory, the reader's state saved), and nothing may trap.
#[wasm_bindgen_test]
fn a_setter_on_object_prototype_that_calls_formseal_again_breaks_no_result() {
    use formseal::__wasm_testing::to_js;
    use serde_json::{json, Value};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;

    let nested: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = nested.clone();
    let setter = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        // Large enough to grow the memory, and hijacked itself by nothing.
        let big = json!({ "blob": "字".repeat(1 << 20), "list": [1, 2, 3] });
        let js = to_js(&big).unwrap();
        seen.borrow_mut().push(js_sys::JSON::stringify(&js).unwrap().into());
    });
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"set".into(), setter.as_ref()).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    let prototype = js_sys::Object::get_prototype_of(&js_sys::Object::new().into());
    js_sys::Object::define_property(&prototype, &"hijacked".into(), &descriptor);

    let outer = json!({ "a": "前", "hijacked": 1, "z": ["后", { "deep": "尾" }] });
    let result = to_js(&outer);
    js_sys::Reflect::delete_property(&prototype, &"hijacked".into()).unwrap();
    let text: String = js_sys::JSON::stringify(&result.unwrap()).unwrap().into();
    // The setter took "hijacked" (as any assignment in JavaScript would); the rest is whole.
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json!({ "a": "前", "z": ["后", { "deep": "尾" }] }));
    let nested = nested.borrow();
    assert_eq!(nested.len(), 1);
    let inner: Value = serde_json::from_str(&nested[0]).unwrap();
    assert_eq!(inner["list"], json!([1, 2, 3]));
    assert_eq!(inner["blob"].as_str().map(|s| s.chars().count()), Some(1 << 20));
}
