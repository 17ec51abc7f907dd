//! 组织机构代码 (GB 11714-1997): 8 body characters (digits or A-Z) and a check character.
//!
//! Normalised form: the 9 characters without the hyphen (`600037341`), following the crate-wide
//! rule that codes are sealed without separators; `display` carries the printed form
//! `60003734-1`. The hyphen is optional on input.

use super::normalize::{self, TextBuf};
use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Wrong number of characters (params: `length`, `expected`).
pub const LENGTH: &str = "org_code_length";
/// A character that cannot appear at its position (params: `position` 1-based, `found`).
pub const CHARACTER: &str = "org_code_character";
/// The check character does not match the body (params: `expected`, `found`).
pub const CHECK_CHAR: &str = "org_code_check_char";
/// A body in the reserved range `PDY00001`–`PDY99999` (params: `found`).
pub const RESERVED: &str = "org_code_reserved";

/// Finding codes of this check (all errors).
pub const CODES: &[&str] = &[LENGTH, CHARACTER, CHECK_CHAR, RESERVED];

const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Value of a body character: `0-9` → 0-9, `A-Z` → 10-35.
fn value(c: char) -> Option<u32> {
    match c {
        '0'..='9' | 'A'..='Z' => c.to_digit(36),
        _ => None,
    }
}

/// The GB 11714 check character of an 8-character body (digits and upper-case A-Z), or `None`
/// when the body is not 8 such characters. Used for the embedded code of a USCC too.
pub fn check_digit(body: &str) -> Option<char> {
    let mut sum: u32 = 0;
    let mut n = 0usize;
    for (c, w) in body.chars().zip(WEIGHTS) {
        sum = sum.checked_add(value(c)?.checked_mul(w)?)?;
        n += 1;
    }
    if n != WEIGHTS.len() || body.chars().count() != WEIGHTS.len() {
        return None;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

/// Whether an 8-character body is in the range reserved for internal use (`PDY00001`–`PDY99999`).
pub fn is_reserved(body: &str) -> bool {
    match body.strip_prefix("PDY") {
        Some(rest) => rest.len() == 5 && rest.bytes().all(|b| b.is_ascii_digit()) && rest != "00000",
        None => false,
    }
}

/// Checks one value.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::OrgCode, input)
}

/// [`check`] without a copy of the input: a valid value allocates its normalised and its printed
/// form, nothing else.
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] borrowing from `input` the normalised form (`600037341` typed so) or the printed
/// one (`60003734-1`, as most people type it) when it is the input as typed (or trimmed).
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    if normalize::too_long(input) {
        return Examined::finding(
            Finding::error(LENGTH).with("length", normalize::char_count(input)).with("expected", 9),
        );
    }
    let mut out = Examined::default();
    let buf = TextBuf::collect(normalize::code_chars(input));
    let code = buf.as_str();
    let len = code.chars().count();
    let mut readable = true;
    if len != 9 {
        out.push(Finding::error(LENGTH).with("length", len).with("expected", 9));
        readable = false;
    }
    let bad = code.chars().enumerate().find(
        |&(i, c)| {
            if i < 8 {
                value(c).is_none()
            } else {
                !(c.is_ascii_digit() || c == 'X')
            }
        },
    );
    if let Some((i, c)) = bad {
        out.push(Finding::error(CHARACTER).with("position", i + 1).with("found", c.to_string()));
        readable = false;
    }
    // From here on: 9 ASCII characters.
    let (true, Some(body), Some(&found)) = (readable, code.get(..8), code.as_bytes().get(8)) else {
        return out;
    };
    let found = char::from(found);
    if let Some(expected) = check_digit(body) {
        if expected != found {
            out.push(
                Finding::error(CHECK_CHAR).with("expected", expected.to_string()).with("found", found.to_string()),
            );
        }
    }
    if is_reserved(body) {
        out.push(Finding::error(RESERVED).with("found", body));
    }
    let mut check = [0u8; 4];
    out.display = Some(normalize::borrow_or_concat(input, &[body, "-", found.encode_utf8(&mut check)]));
    out.normalized = Some(normalize::borrow_or_own(input, code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_arithmetic() {
        // 6·3+0·7+0·9+0·10+3·5+7·8+3·4+4·2 = 109; 109 mod 11 = 10; 11-10 = 1.
        assert_eq!(check_digit("60003734"), Some('1'));
        // The example of GB 11714: D2143569-X.
        assert_eq!(check_digit("D2143569"), Some('X'));
        assert_eq!(check_digit("00000000"), Some('0'));
        assert_eq!(check_digit("6000373"), None);
        assert_eq!(check_digit("600037341"), None);
        assert_eq!(check_digit("6000373a"), None);
    }

    #[test]
    fn reserved_range() {
        assert!(is_reserved("PDY00001"));
        assert!(is_reserved("PDY99999"));
        assert!(!is_reserved("PDY00000"));
        assert!(!is_reserved("PDX00001"));
    }

    #[test]
    fn printed_form_is_display() {
        let c = check("60003734-1");
        assert!(c.is_valid());
        assert_eq!(c.normalized.as_deref(), Some("600037341"));
        assert_eq!(c.display.as_deref(), Some("60003734-1"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "-",
            "身份证号码码码码码",
            "\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}",
        ] {
            assert!(!check(s).is_valid());
        }
        assert!(!check(&"1".repeat(100_000)).is_valid());
    }
}
