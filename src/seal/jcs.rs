//! RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes a seal signs.
//!
//! - [`parse_strict`] reads JSON as JCS needs it: no duplicate object keys at any depth (serde_json's
//!   own `Value` silently keeps the last one), within [`MAX_BYTES`] and [`MAX_DEPTH`], and no integer
//!   that an IEEE-754 double cannot hold exactly.
//! - [`canonicalize`] writes a value as RFC 8785 text: members sorted by UTF-16 code units, no
//!   whitespace, the minimal string escapes, numbers as ECMAScript's `Number.prototype.toString`.
//! - [`long_numbers_to_strings`] turns integers a double cannot hold into decimal strings, so a
//!   payload carries long numbers as strings (docs/payload.md).
//!
//! **Numbers.** JCS is defined on I-JSON (RFC 7493), where every number is a double. A number is
//! *exact* when it is a double, or an integer equal to the double nearest it: every integer within
//! ±2^53, and beyond that only those a double holds (9007199254740994 is exact, 9007199254740993 is
//! not). [`canonicalize`] refuses inexact integers (serde_json keeps them as u64/i64). In
//! [`parse_strict`] an integer token (no fraction, no exponent) of 16 digits or more is judged on its
//! own digits, so integers beyond u64/i64 that serde_json would quietly round are caught too: it is
//! read only if the double nearest it equals it, or is written exactly like it by JCS (canonical
//! text writes large doubles as shortest digits padded with zeros, 1234567890123456800 for
//! 1234567890123456768, and must read back); it is then that double. Tokens with a fraction or an
//! exponent are decimal notation for a double and are rounded to the nearest one, as JSON intends
//! (correctly: serde_json's `float_roundtrip` feature). Non-finite numbers cannot occur: JSON has no
//! spelling for them, serde_json refuses `1e400` as out of range, and a `serde_json::Value` cannot
//! hold NaN or an infinity.
//!
//! **Symmetry.** [`canonicalize`] refuses what [`parse_strict`] would refuse (deeper than
//! [`MAX_DEPTH`], longer than [`MAX_BYTES`], inexact integers), so whatever it produces reads back.

use std::fmt;
use std::fmt::Write as _;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::limits;

/// Largest JSON text [`parse_strict`] reads and [`canonicalize`] writes, in bytes: twice
/// [`limits::MAX_DATA_BYTES`], room for a payload around data of the largest size (canonical text
/// can be longer than its source: `1e20` is written `100000000000000000000`).
pub const MAX_BYTES: usize = 2 * limits::MAX_DATA_BYTES;

/// Deepest nesting of arrays and objects [`parse_strict`] reads and [`canonicalize`] writes:
/// [`limits::MAX_DATA_DEPTH`] plus room for the payload's own levels around the data.
pub const MAX_DEPTH: usize = limits::MAX_DATA_DEPTH + 4;

/// Why JSON could not be parsed strictly or canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JcsError {
    code: &'static str,
    message: String,
}

impl JcsError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        JcsError { code, message: message.into() }
    }

    /// A stable code: `jcs_too_large`, `jcs_too_deep`, `jcs_json` (not JSON), `jcs_duplicate_key`,
    /// `jcs_number_not_exact` (an integer a double cannot hold; see the module documentation).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// A message in English for logs.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for JcsError {}

fn too_deep() -> JcsError {
    JcsError::new("jcs_too_deep", format!("nested deeper than {MAX_DEPTH} levels"))
}

fn too_large(len: usize) -> JcsError {
    JcsError::new("jcs_too_large", format!("{len} bytes or more; the limit is {MAX_BYTES}"))
}

fn not_exact(number: &str) -> JcsError {
    let shown: String = number.chars().take(40).collect();
    let more = if shown.len() < number.len() { "…" } else { "" };
    JcsError::new(
        "jcs_number_not_exact",
        format!("the integer {shown}{more} is not exactly representable as an IEEE-754 double; send it as a string"),
    )
}

/// Whether a double holds `n` exactly.
fn u64_exact(n: u64) -> bool {
    const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
    let f = n as f64;
    n <= 1 << 53 || (f < TWO_POW_64 && f as u64 == n)
}

/// `None` when a double holds `n` exactly, else its decimal text.
fn inexact_integer(n: &Number) -> Option<String> {
    let exact = match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => u64_exact(u),
        (None, Some(i)) => u64_exact(i.unsigned_abs()),
        (None, None) => true, // a double
    };
    (!exact).then(|| n.to_string())
}

/// Checks, before serde_json sees the text, the nesting depth and every integer token (which
/// serde_json would round to a double without a word when it is beyond u64/i64). Linear, no
/// allocation except for the rare integer token of 16 digits or more.
fn scan(text: &str) -> Result<(), JcsError> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped, mut i) = (0usize, false, false, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep());
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let start = i - 1;
                while bytes.get(i).is_some_and(|c| matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')) {
                    i += 1;
                }
                let token = text.get(start..i).unwrap_or_default();
                check_integer_token(token)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Refuses an integer token (no fraction, no exponent) whose nearest double neither equals it nor
/// is written that way by JCS. Other tokens, and malformed ones (left for serde_json), pass.
fn check_integer_token(token: &str) -> Result<(), JcsError> {
    let digits = token.strip_prefix('-').unwrap_or(token);
    // 15 digits are always exact (< 2^53); leading zeros and non-digits are not this check's concern.
    if digits.len() <= 15 || digits.starts_with('0') || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Ok(());
    }
    // `parse` rounds correctly. The exact integer value of a double below 2^128 is its `u128`
    // (`as` saturates above, and the comparison then fails: such exact spellings are refused).
    let nearest = digits.parse::<f64>().unwrap_or(f64::INFINITY);
    let mut canonical = String::new();
    if nearest.is_finite() {
        write_double(nearest, &mut canonical);
    }
    let exact = nearest < 2f64.powi(128) && (nearest as u128).to_string() == digits;
    if exact || canonical == digits {
        Ok(())
    } else {
        Err(not_exact(token))
    }
}

/// A finite double as a `Number` (any integer converted to a double is finite).
fn double(f: f64) -> Number {
    Number::from_f64(f).unwrap_or_else(|| Number::from(0))
}

/// Builds a `Value` like serde_json's own, but refuses a repeated key in any object.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    // An integer a double does not hold passed `scan` only as the JCS spelling of a double
    // (1234567890123456800 for 1234567890123456768): keep that double, which `as` rounds to.
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(if u64_exact(n) { n.into() } else { double(n as f64) }))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(if u64_exact(n.unsigned_abs()) { n.into() } else { double(n as f64) }))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Number::from_f64(f).map(Value::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                let shown: String = key.chars().take(40).collect();
                return Err(de::Error::custom(format_args!("duplicate key {shown:?}")));
            }
            let value = map.next_value_seed(Strict)?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

/// Parses JSON text strictly: at most [`MAX_BYTES`], nested at most [`MAX_DEPTH`], no duplicate
/// key in any object, no integer a double cannot hold exactly (module documentation). A byte
/// order mark is refused like any other stray character.
pub fn parse_strict(text: &str) -> Result<Value, JcsError> {
    if text.len() > MAX_BYTES {
        return Err(too_large(text.len()));
    }
    scan(text)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = Strict.deserialize(&mut deserializer).and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|e| {
        // The visitor's only own error is the duplicate key; serde_json's are syntax and end of input.
        let code = if e.is_data() { "jcs_duplicate_key" } else { "jcs_json" };
        JcsError::new(code, e.to_string())
    })
}

/// Writes `value` as RFC 8785 canonical JSON. Fails on an integer a double cannot hold
/// (`jcs_number_not_exact`: use [`long_numbers_to_strings`] first), deeper than [`MAX_DEPTH`] or
/// longer than [`MAX_BYTES`].
pub fn canonicalize(value: &Value) -> Result<String, JcsError> {
    let mut out = String::new();
    write_value(value, &mut out, 0)?;
    if out.len() > MAX_BYTES {
        return Err(too_large(out.len()));
    }
    Ok(out)
}

fn write_value(value: &Value, out: &mut String, depth: usize) -> Result<(), JcsError> {
    if out.len() > MAX_BYTES {
        return Err(too_large(out.len()));
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            if depth >= MAX_DEPTH {
                return Err(too_deep());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            if depth >= MAX_DEPTH {
                return Err(too_deep());
            }
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            // RFC 8785 §3.2.3: by the UTF-16 code units of the names, not by UTF-8 bytes or chars
            // (they differ above U+FFFF versus U+E000..U+FFFF).
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (name, member)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_value(member, out, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// RFC 8785 §3.2.2.2: escape `"`, `\` and U+0000..U+001F only; `\b \t \n \f \r` by their short
/// forms, the other controls as `\u00xx` in lower-case hex; everything else as is (UTF-8).
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\0'..='\u{1f}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(n: &Number, out: &mut String) -> Result<(), JcsError> {
    if let Some(text) = inexact_integer(n) {
        return Err(not_exact(&text));
    }
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        // Exact integers are below 2^64 < 1e21, where ECMAScript writes plain digits.
        (Some(u), _, _) => {
            let _ = write!(out, "{u}");
        }
        (None, Some(i), _) => {
            let _ = write!(out, "{i}");
        }
        (None, None, Some(f)) => write_double(f, out),
        (None, None, None) => {}
    }
    Ok(())
}

/// ECMAScript `Number.prototype.toString` (ECMA-262 Number::toString, radix 10) for a finite
/// double, by `ryu-js`: the fewest digits that read back to the same double, the closest of those,
/// the even one on a tie (Rust's own `{}` rounds that tie up), `-0` written `0`.
fn write_double(f: f64, out: &mut String) {
    out.push_str(ryu_js::Buffer::new().format_finite(f));
}

/// Replaces every number a double cannot hold exactly (integers beyond ±2^53 that are not
/// doubles, which serde_json keeps as u64/i64) by its decimal text as a string, at any depth, so
/// [`canonicalize`] accepts the value. Iterative: no recursion, whatever the depth.
pub fn long_numbers_to_strings(value: &mut Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items.iter_mut()),
            Value::Object(members) => pending.extend(members.values_mut()),
            Value::Number(n) => {
                if let Some(text) = inexact_integer(n) {
                    *value = Value::String(text);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactness_boundaries() {
        assert!(u64_exact(1 << 53));
        assert!(!u64_exact((1 << 53) + 1));
        assert!(u64_exact((1 << 53) + 2));
        assert!(u64_exact(1 << 63));
        assert!(!u64_exact(u64::MAX)); // rounds to 2^64, which u64 cannot hold
        assert!(check_integer_token("18446744073709551616").is_ok()); // 2^64
        assert!(check_integer_token("-18446744073709551617").is_err());
        assert!(check_integer_token("100000000000000000000").is_ok());
        assert!(check_integer_token(&"9".repeat(400)).is_err());
        assert!(check_integer_token("12345678901234567.5").is_ok()); // not an integer token
    }

    #[test]
    fn doubles_in_every_notation() {
        for (f, text) in [
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123.456, "123.456"),
            (1e-6, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (-0.0, "0"),
            (-2.5, "-2.5"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ] {
            let mut out = String::new();
            write_double(f, &mut out);
            assert_eq!(out, text);
        }
    }
}
