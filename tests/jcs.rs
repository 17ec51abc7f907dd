#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! RFC 8785 (JCS) against the reference implementations' test data in tests/data/jcs/ (see its
//! SOURCES.md), plus the strict parser's refusals.

mod common;

use formseal::seal::jcs::{self, canonicalize, long_numbers_to_strings, parse_strict};
use serde_json::json;

fn code<T: std::fmt::Debug>(r: Result<T, jcs::JcsError>) -> &'static str {
    r.expect_err("should be refused").code()
}

// The reference vectors' checks are in tests/common/seal.rs, shared with tests/wasm.rs.

#[test]
fn reference_vectors_byte_for_byte() {
    assert_eq!(common::seal::jcs_reference_vectors(), 6);
}

#[test]
fn es6_number_serialisation() {
    assert_eq!(common::seal::es6_numbers(), 10_000);
}

/// The wasm run embeds the data files; it must embed exactly the files the directory holds.
#[test]
fn embedded_vectors_match_the_directory() {
    let mut embedded = vec![("es6testfile_first10000.txt".to_owned(), common::seal::ES6_NUMBERS)];
    for (name, input, output, outhex) in common::seal::JCS_REFERENCE {
        embedded.push((format!("input/{name}.json"), *input));
        embedded.push((format!("output/{name}.json"), *output));
        embedded.push((format!("outhex/{name}.txt"), *outhex));
    }
    common::seal::assert_embeds_directory("tests/data/jcs", embedded);
}

#[test]
fn members_sort_by_utf16_code_units() {
    // U+10000 is D800 DC00 in UTF-16, before U+E000; in UTF-8 (and Rust's str order) it is after.
    let value = json!({ "\u{e000}": 1, "\u{10000}": 2, "a": 3, "B": 4, "": 5 });
    assert_eq!(canonicalize(&value).unwrap(), "{\"\":5,\"B\":4,\"a\":3,\"\u{10000}\":2,\"\u{e000}\":1}");
}

#[test]
fn string_escapes() {
    let value = json!("\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\"\\/\u{7f}\u{2028}é😂");
    assert_eq!(
        canonicalize(&value).unwrap(),
        "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\\"\\\\/\u{7f}\u{2028}é😂\""
    );
}

#[test]
fn duplicate_keys_refused_at_any_depth() {
    for text in [
        r#"{"a":1,"a":1}"#,
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"x":{"a":null,"a":[]}}"#,
        r#"[0,{"b":[{"c":0,"c":1}]}]"#,
        r#"{"a":1,"\u0061":2}"#, // the same name, spelled two ways
        r#"{"😂":1,"\ud83d\ude02":2}"#,
    ] {
        let e = parse_strict(text).expect_err(text);
        assert_eq!(e.code(), "jcs_duplicate_key", "{text}: {e}");
        assert!(e.message().contains("duplicate key"), "{e}");
    }
    // The same name in different objects is fine.
    assert!(parse_strict(r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#).is_ok());
}

#[test]
fn big_integers() {
    // Refused when read: not a double, whether serde_json would keep it (u64/i64) or round it.
    for text in [
        "9007199254740993",
        "-9007199254740993",
        "[18446744073709551615]",
        r#"{"a":{"b":123456789012345678901234567890}}"#,
        "-99999999999999999999999",
        "1234567890123456789",
        "1234567890123456700",
        "18446744073709551617",
    ] {
        assert_eq!(code(parse_strict(text)), "jcs_number_not_exact", "{text}");
    }
    // Read when a double holds them exactly, and written the way ECMAScript writes that double.
    for (text, canonical) in [
        ("9007199254740992", "9007199254740992"),
        ("-9007199254740992", "-9007199254740992"),
        ("9007199254740994", "9007199254740994"),
        ("18446744073709551616", "18446744073709552000"), // 2^64, exact
        ("18446744073709552000", "18446744073709552000"), // 2^64 as JCS writes it
        ("1234567890123456800", "1234567890123456800"),   // 1234567890123456768 as JCS writes it
        ("-333333333333333300000", "-333333333333333300000"),
        ("100000000000000000000", "100000000000000000000"),
        ("1000000000000000000000", "1e+21"),
        ("9007199254740993.0", "9007199254740992"), // decimal notation: rounded, as JSON intends
        ("1E2", "100"),
    ] {
        assert_eq!(canonicalize(&parse_strict(text).unwrap()).unwrap(), canonical, "{text}");
    }

    // Refused when written; long_numbers_to_strings turns them into their decimal text.
    let mut value = json!({
        "id": 9007199254740993u64,
        "neg": -9007199254740993i64,
        "max": u64::MAX,
        "ok": 9007199254740992u64,
        "deep": [[{ "n": i64::MIN + 1 }]],
        "float": 1.5,
    });
    assert_eq!(code(canonicalize(&value)), "jcs_number_not_exact");
    assert_eq!(code(canonicalize(&json!([u64::MAX]))), "jcs_number_not_exact");
    long_numbers_to_strings(&mut value);
    assert_eq!(
        canonicalize(&value).unwrap(),
        r#"{"deep":[[{"n":"-9223372036854775807"}]],"float":1.5,"id":"9007199254740993","max":"18446744073709551615","neg":"-9007199254740993","ok":9007199254740992}"#
    );
    // i64::MIN is -2^63, a double.
    assert_eq!(canonicalize(&json!(i64::MIN)).unwrap(), "-9223372036854775808");
}

#[test]
fn limits_and_malformed_input() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse_strict(&deep(jcs::MAX_DEPTH)).is_ok());
    assert_eq!(code(parse_strict(&deep(jcs::MAX_DEPTH + 1))), "jcs_too_deep");
    assert_eq!(code(parse_strict(&deep(100_000))), "jcs_too_deep");
    // Brackets inside strings do not count.
    assert!(parse_strict(&format!("[{:?}]", "[".repeat(1000))).is_ok());

    let mut value = json!(0);
    for _ in 0..jcs::MAX_DEPTH {
        value = json!([value]);
    }
    assert!(canonicalize(&value).is_ok());
    assert_eq!(code(canonicalize(&json!({ "x": value }))), "jcs_too_deep");

    let big = format!("\"{}\"", "a".repeat(jcs::MAX_BYTES));
    assert_eq!(code(parse_strict(&big)), "jcs_too_large");
    assert_eq!(code(canonicalize(&json!("a".repeat(jcs::MAX_BYTES)))), "jcs_too_large");

    for text in ["", "{", "[1,]", "{\"a\":1}x", "\u{feff}{}", "NaN", "Infinity", "1e400", "01", "'a'", "{\"a\" 1}"] {
        assert_eq!(code(parse_strict(text)), "jcs_json", "{text:?}");
    }
}

#[test]
fn canonicalize_is_idempotent() {
    let samples = [
        json!(null),
        json!([]),
        json!({}),
        json!({ "z": [1, 2.5, -0.0, 1e-7, 1e21, 123456789.125], "a": { "c": "\u{1}", "b": true }, "é": "中文" }),
        json!([{ "\u{10ffff}": [[[]]], "\u{ffff}": {} }]),
    ];
    for value in samples {
        let once = canonicalize(&value).unwrap();
        let twice = canonicalize(&parse_strict(&once).unwrap()).unwrap();
        assert_eq!(once, twice);
    }
}

#[test]
fn errors_display_code_and_message() {
    let e = parse_strict(r#"{"a":1,"a":2}"#).unwrap_err();
    assert_eq!(e.to_string(), format!("jcs_duplicate_key: {}", e.message()));
    let _: &dyn std::error::Error = &e;
}
