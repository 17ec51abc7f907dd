//! 统一社会信用代码 (GB 32100-2015).
//!
//! 18 characters over `0123456789ABCDEFGHJKLMNPQRTUWXY`: registration authority (1), category
//! (2), division code of the registering authority (3-8), the GB 11714 organisation code (9-17)
//! and a check character (18). Normalised form: the 18 characters, upper-case, no separators.
//!
//! Before the USCC (2015) businesses had a 15-digit registration number (注册号) on their licence.
//! Typed into a USCC field it is an error of its own, [`REGISTRATION_NUMBER`], asking for the
//! 18-character code on the current licence rather than naming a wrong length (docs/identifiers.md,
//! "Forms seen in real filings").

use super::normalize::{self, TextBuf};
use super::org_code;
use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Wrong number of characters (params: `length`, `expected`).
pub const LENGTH: &str = "uscc_length";
/// 15 digits: a pre-2015 business registration number (注册号), not a USCC (params: `found`).
pub const REGISTRATION_NUMBER: &str = "uscc_registration_number";
/// A character outside the alphabet, e.g. I, O, S, V, Z (params: `position` 1-based, `found`).
pub const CHARACTER: &str = "uscc_character";
/// The check character does not match (params: `expected`, `found`).
pub const CHECK_CHAR: &str = "uscc_check_char";
/// Position 1 is no registration authority of GB 32100 (params: `found`).
pub const AUTHORITY: &str = "uscc_authority";
/// Position 2 is no category of the authority at position 1 (params: `authority`, `found`,
/// `allowed`).
pub const CATEGORY: &str = "uscc_category";
/// Positions 3-8 are not a 6-digit division code (params: `found`).
pub const DIVISION: &str = "uscc_division";
/// Warning: the embedded organisation code (positions 9-17) fails its own check (params:
/// `org_code`, `expected`, `found`). Never an error: real licences must never be blocked.
pub const ORG_CODE_CHECK: &str = "uscc_org_code_check";

/// Finding codes of this check. All are errors except [`ORG_CODE_CHECK`], a warning.
pub const CODES: &[&str] =
    &[LENGTH, REGISTRATION_NUMBER, CHARACTER, CHECK_CHAR, AUTHORITY, CATEGORY, DIVISION, ORG_CODE_CHECK];

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Registration authority (position 1) → allowed categories (position 2), GB 32100-2015 with its
/// amendment No. 1 (2016), as reproduced in public copies of the standard's table:
/// 1 机构编制 {1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体, 9 其他};
/// 2 外交 {1 外国常驻新闻机构, 9}; 3 司法行政 {1 律师执业机构, 2 公证处, 3 基层法律服务所,
/// 4 司法鉴定机构, 5 仲裁委员会, 9}; 4 文化 {1 外国在华文化中心, 9}; 5 民政 {1 社会团体,
/// 2 民办非企业单位, 3 基金会, 9}; 6 旅游 {1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门
/// 常驻内地(大陆)代表机构, 9}; 7 宗教 {1 宗教活动场所, 2 宗教院校, 9}; 8 工会 {1 基层工会, 9};
/// 9 工商 {1 企业, 2 个体工商户, 3 农民专业合作社}; A 中央军委改革和编制办公室 {1 军队事业单位,
/// 9}; N 农业 {1 组级, 2 村级, 3 乡镇级集体经济组织, 9}; Y 其他 {1}.
///
/// N has no category 4: every public copy of the table lists N {1, 2, 3, 9} only, and
/// docs/identifiers.md makes a pair outside the table an error.
const AUTHORITIES: &[(char, &str)] = &[
    ('1', "1239"),
    ('2', "19"),
    ('3', "123459"),
    ('4', "19"),
    ('5', "1239"),
    ('6', "129"),
    ('7', "129"),
    ('8', "19"),
    ('9', "123"),
    ('A', "19"),
    ('N', "1239"),
    ('Y', "1"),
];

/// Value of a character of the alphabet (A = 10 … Y = 30).
fn value(c: char) -> Option<u32> {
    let v = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A'..='H' => c as u32 - 'A' as u32 + 10,
        'J'..='N' => c as u32 - 'J' as u32 + 18,
        'P'..='R' => c as u32 - 'P' as u32 + 23,
        'T' | 'U' => c as u32 - 'T' as u32 + 26,
        'W'..='Y' => c as u32 - 'W' as u32 + 28,
        _ => return None,
    };
    Some(v)
}

/// The check character of 17 characters, or `None` if they are not 17 characters of the alphabet.
fn check_char_of(mut first17: impl Iterator<Item = char>) -> Option<char> {
    let mut sum: u32 = 0;
    for w in WEIGHTS {
        sum = sum.checked_add(value(first17.next()?)?.checked_mul(w)?)?;
    }
    if first17.next().is_some() {
        return None;
    }
    let c = (31 - sum % 31) % 31;
    ALPHABET.as_bytes().get(usize::try_from(c).ok()?).map(|&b| char::from(b))
}

/// The check character of the first 17 characters, or `None` if they are not 17 characters of
/// the alphabet.
pub fn check_char(first17: &str) -> Option<char> {
    check_char_of(first17.chars())
}

/// Categories allowed for a registration authority, if it is one.
fn categories(authority: char) -> Option<&'static str> {
    AUTHORITIES.iter().find(|(a, _)| *a == authority).map(|(_, c)| *c)
}

/// Checks one value.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::Uscc, input)
}

/// [`check`] without a copy of the input: a valid value allocates only its normalised form.
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] borrowing the normalised form from `input` when it is the input as typed (or trimmed).
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    if normalize::too_long(input) {
        return Examined::finding(
            Finding::error(LENGTH).with("length", normalize::char_count(input)).with("expected", 18),
        );
    }
    let mut out = Examined::default();
    let buf = TextBuf::collect(normalize::code_chars(input));
    let code = buf.as_str();
    let len = code.chars().count();
    if len == 15 && code.bytes().all(|b| b.is_ascii_digit()) {
        out.push(Finding::error(REGISTRATION_NUMBER).with("found", code));
        return out;
    }
    let mut readable = true;
    if len != 18 {
        out.push(Finding::error(LENGTH).with("length", len).with("expected", 18));
        readable = false;
    }
    if let Some((i, c)) = code.chars().enumerate().find(|&(_, c)| value(c).is_none()) {
        out.push(Finding::error(CHARACTER).with("position", i + 1).with("found", c.to_string()));
        readable = false;
    }
    // From here on: 18 characters of the alphabet, all ASCII, so bytes are characters.
    let (true, [authority, category, division @ .., _, _, _, _, _, _, _, _, _, _]) = (readable, code.as_bytes()) else {
        return out;
    };
    let (authority, category) = (char::from(*authority), char::from(*category));
    let (Some(body), Some(&embedded), Some(&found)) =
        (code.get(8..16), code.as_bytes().get(16), code.as_bytes().get(17))
    else {
        return out;
    };
    let (embedded, found) = (char::from(embedded), char::from(found));

    if let Some(expected) = check_char_of(code.chars().take(17)) {
        if expected != found {
            out.push(
                Finding::error(CHECK_CHAR).with("expected", expected.to_string()).with("found", found.to_string()),
            );
        }
    }

    match categories(authority) {
        None => out.push(Finding::error(AUTHORITY).with("found", authority.to_string())),
        Some(allowed) if !allowed.contains(category) => out.push(
            Finding::error(CATEGORY)
                .with("authority", authority.to_string())
                .with("found", category.to_string())
                .with("allowed", allowed.chars().map(String::from).collect::<Vec<_>>().join(", ")),
        ),
        Some(_) => {}
    }

    if !division.iter().all(u8::is_ascii_digit) {
        out.push(Finding::error(DIVISION).with("found", code.get(2..8).unwrap_or("")));
    }

    if let Some(expected) = org_code::check_digit(body) {
        if expected != embedded {
            out.push(
                Finding::warning(ORG_CODE_CHECK)
                    .with("org_code", format!("{body}-{embedded}"))
                    .with("expected", expected.to_string())
                    .with("found", embedded.to_string()),
            );
        }
    }

    out.normalized = Some(normalize::borrow_or_own(input, code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    #[test]
    fn check_char_arithmetic() {
        assert_eq!(check_char("91110000600037341"), Some('L'));
        assert_eq!(check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(check_char("9111000060003734"), None);
        assert_eq!(check_char("9111000060003734I"), None);
    }

    #[test]
    fn remainder_zero_maps_to_zero() {
        // Find a body whose sum is a multiple of 31 and check that its check char is '0'.
        let all_zero = "00000000000000000";
        assert_eq!(check_char(all_zero), Some('0'));
    }

    #[test]
    fn embedded_org_code_failure_is_only_a_warning() {
        // Body 60003734 with embedded check 2 instead of 1; USCC check char recomputed.
        let first17 = "91110000600037342";
        let full = format!("{first17}{}", check_char(first17).unwrap_or('?'));
        let c = check(&full);
        assert!(c.is_valid(), "{c:?}");
        assert_eq!(c.findings.len(), 1);
        assert_eq!(c.findings[0].severity, Severity::Warning);
        assert_eq!(c.findings[0].code, ORG_CODE_CHECK);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", "\u{0}", "é", "ＩＯＳＶＺ", "９１１１００００６０００３７３４１Ｌ身"] {
            let _ = check(s);
        }
        assert!(!check(&"9".repeat(1_000_000)).is_valid());
    }
}
