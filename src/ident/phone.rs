//! Telephone numbers: mainland mobiles, landlines and 400/800 service lines.
//!
//! Input: trimmed, full-width digits made half-width; spaces, hyphens, dots and parentheses are
//! dropped; a `+86`, `0086` (or, before an 11-digit mobile, a bare `86`) country prefix is removed.
//!
//! Normalised forms (what gets sealed):
//! - mobile: E.164, `+8613812345678`;
//! - landline: E.164 without the trunk `0`, `+861012345678`; an extension follows in the RFC 3966
//!   form `;ext=123` (`+861012345678;ext=123`). Extensions are typed as `转123`, `分机123`,
//!   `ext 123`, `ext.123`, `x123`, `#123` or `,123`, 1-6 digits;
//! - service line: the 10 national digits, `4001234567` (these are not reachable from abroad, so
//!   not E.164), with an optional `;ext=`;
//! - short service number: its 5 digits, `12377`; after an area code (a city's line of a
//!   national hotline, `(0794) 12388`) E.164 like a landline, `+8679412388`.
//!
//! An extension may also follow a complete landline or 400/800 line after a hyphen,
//! `010-12345678-801` (see [`check_phone`]).
//!
//! National short service numbers (docs/identifiers.md, "Forms seen in real filings"): the 12xxx
//! government hotlines, the carriers' 100xx and the 95xxx/96xxx service numbers, 5 digits each.
//! On a phone field they are accepted with the warning [`PHONE_SHORT_NUMBER`] (they cannot be
//! dialled from abroad and do not reach a named person), also after an area code, as footers
//! print a city's hotline (`（0794）12388`); on a mobile field they are the error
//! [`MOBILE_SHORT_NUMBER`], never a "mobile of the wrong length".
//!
//! Area codes: `0` + 2 digits for 10 and 20-29, `0` + 3 digits for all others; no area code starts
//! `01` except Beijing's `010`, and `0400`/`0800` are none. The subscriber number has 7 or 8 digits.
//!
//! A mobile dialled from a landline in another city carries the long-distance `0`
//! (`013812345678`); that `0` is dropped, in both checks, and the number is a mobile. So is a `0`
//! typed before a 10-digit 400/800 line.

use super::normalize::{self, TextBuf};
use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Mobile: a country code other than +86 (params: `found`).
pub const MOBILE_COUNTRY_CODE: &str = "mobile_country_code";
/// Mobile: a character that is not a digit (params: `found`).
pub const MOBILE_CHARACTER: &str = "mobile_character";
/// Mobile: not 11 digits (params: `length`).
pub const MOBILE_LENGTH: &str = "mobile_length";
/// Mobile: does not start with 13-19 (params: `found`, the first two digits).
pub const MOBILE_PREFIX: &str = "mobile_prefix";

/// Phone: a country code other than +86 (params: `found`).
pub const PHONE_COUNTRY_CODE: &str = "phone_country_code";
/// Phone: a character that is not a digit (params: `found`).
pub const PHONE_CHARACTER: &str = "phone_character";
/// Phone: no known form (mobile, landline, 400/800 line) (params: `length`).
pub const PHONE_FORMAT: &str = "phone_format";
/// Phone: starts with 1 but is no 11-digit `1[3-9]` mobile number (params: `length`).
pub const PHONE_MOBILE_FORMAT: &str = "phone_mobile_format";
/// Phone: a landline whose subscriber number is not 7-8 digits (params: `area_code`, `length`).
pub const PHONE_LANDLINE_LENGTH: &str = "phone_landline_length";
/// Phone: an area code that cannot exist: `01` followed by anything but `0`, or `0400`/`0800`
/// (params: `area_code`).
pub const PHONE_AREA_CODE: &str = "phone_area_code";
/// Phone: a 7-8 digit local number without area code (params: `length`).
pub const PHONE_AREA_CODE_MISSING: &str = "phone_area_code_missing";
/// Phone: a 400/800 line that is not 10 digits (params: `length`).
pub const PHONE_SERVICE_LENGTH: &str = "phone_service_length";
/// Phone: an extension that is not 1-6 digits, or an extension on a mobile or short number
/// (params: `found`).
pub const PHONE_EXTENSION: &str = "phone_extension";
/// Warning: a national short service number (12xxx, 100xx, 95xxx, 96xxx) on a contact-phone
/// field: it cannot be dialled from abroad and does not reach a named person (params: `number`).
pub const PHONE_SHORT_NUMBER: &str = "phone_short_number";
/// Mobile: a national short service number, not a mobile (params: `number`).
pub const MOBILE_SHORT_NUMBER: &str = "mobile_short_number";

/// Finding codes of these checks (all errors except [`PHONE_SHORT_NUMBER`], a warning).
pub const CODES: &[&str] = &[
    MOBILE_COUNTRY_CODE,
    MOBILE_CHARACTER,
    MOBILE_LENGTH,
    MOBILE_PREFIX,
    MOBILE_SHORT_NUMBER,
    PHONE_COUNTRY_CODE,
    PHONE_CHARACTER,
    PHONE_FORMAT,
    PHONE_MOBILE_FORMAT,
    PHONE_LANDLINE_LENGTH,
    PHONE_AREA_CODE,
    PHONE_AREA_CODE_MISSING,
    PHONE_SERVICE_LENGTH,
    PHONE_EXTENSION,
    PHONE_SHORT_NUMBER,
];

/// Extension markers, matched case-insensitively on the half-width text (longest first).
const EXTENSION_MARKERS: &[&str] = &[";ext=", "ext.", "ext", "分机", "转", "x", "#", ","];

/// Whether `c` is dropped between digits: spaces, hyphens/dashes, parentheses, dots, slashes.
fn is_punctuation(c: char) -> bool {
    normalize::is_code_separator(c) || matches!(c, '(' | ')' | '.' | '/')
}

/// Drops what people type between digits: spaces, hyphens/dashes, parentheses, dots, slashes.
fn strip_punctuation(s: &str) -> TextBuf {
    TextBuf::collect(s.chars().filter(|&c| !is_punctuation(c)))
}

/// The national number after removing a country prefix.
struct National<'a> {
    digits: &'a str,
    /// Whether a +86 / 0086 / 86 prefix was removed.
    had_country_code: bool,
}

enum Prefix<'a> {
    Ok(National<'a>),
    /// A `+` prefix for another country.
    OtherCountry,
}

/// The country code as typed after `+`: the digits up to the first space or other non-digit, at
/// most 3 (`"+1 415 …"` → `+1`, `"+85291234567"` → `+852`).
fn typed_country_code(text: &str) -> String {
    let after = text.split_once('+').map(|(_, a)| a).unwrap_or("");
    let mut code = String::from("+");
    code.extend(after.chars().take_while(char::is_ascii_digit).take(3));
    code
}

fn strip_country(s: &str) -> Prefix<'_> {
    if let Some(rest) = s.strip_prefix('+') {
        return match rest.strip_prefix("86") {
            Some(national) => Prefix::Ok(National { digits: national, had_country_code: true }),
            None => Prefix::OtherCountry,
        };
    }
    if let Some(national) = s.strip_prefix("0086") {
        return Prefix::Ok(National { digits: national, had_country_code: true });
    }
    if let Some(national) = s.strip_prefix("86") {
        let b = national.as_bytes();
        if b.len() == 11 && national.bytes().all(|c| c.is_ascii_digit()) && b.first() == Some(&b'1') {
            return Prefix::Ok(National { digits: national, had_country_code: true });
        }
    }
    Prefix::Ok(National { digits: s, had_country_code: false })
}

/// Whether `digits` starts with 13-19.
fn has_mobile_prefix(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.first() == Some(&b'1') && b.get(1).is_some_and(|c| (b'3'..=b'9').contains(c))
}

fn is_mobile(digits: &str) -> bool {
    digits.len() == 11 && has_mobile_prefix(digits)
}

/// Whether `digits` is a national short service number (docs/identifiers.md, "Forms seen in real
/// filings"): 5 digits in the 12xxx government hotlines (12315, 12345, 12377 …), the carriers'
/// 100xx (10000, 10010, 10086) or the 95xxx/96xxx service numbers (95555, 96110 …).
fn is_short_number(digits: &str) -> bool {
    digits.len() == 5
        && digits.bytes().all(|b| b.is_ascii_digit())
        && ["12", "100", "95", "96"].iter().any(|p| digits.starts_with(p))
}

fn is_service_line(digits: &str) -> bool {
    digits.len() == 10 && (digits.starts_with("400") || digits.starts_with("800"))
}

/// Drops a `0` dialled before a number that takes none (`013812345678`: the long-distance `0`
/// before a mobile), when what follows is such a number by `takes_no_zero`.
fn drop_dialling_zero(digits: &str, takes_no_zero: impl Fn(&str) -> bool) -> &str {
    match digits.strip_prefix('0') {
        Some(rest) if takes_no_zero(rest) => rest,
        _ => digits,
    }
}

/// Checks a mobile number.
pub fn check_mobile(input: &str) -> Checked {
    examine_mobile(input).checked(IdentifierKind::Mobile, input)
}

/// [`check_mobile`] without a copy of the input: a valid number allocates only its normalised form.
pub fn examine_mobile(input: &str) -> Outcome {
    examine_mobile_borrowed(input).into()
}

/// [`examine_mobile`] borrowing the normalised form from `input` when it is the input as typed
/// (or trimmed): a number typed in E.164, `+8613812345678`.
pub(crate) fn examine_mobile_borrowed(input: &str) -> Examined<'_> {
    if normalize::too_long(input) {
        return Examined::finding(Finding::error(MOBILE_LENGTH).with("length", normalize::char_count(input)));
    }
    let mut out = Examined::default();
    let typed = normalize::half_width_cow(input);
    let stripped = strip_punctuation(&typed);
    let national = match strip_country(stripped.as_str()) {
        Prefix::Ok(n) => n,
        Prefix::OtherCountry => {
            out.push(Finding::error(MOBILE_COUNTRY_CODE).with("found", typed_country_code(&typed)));
            return out;
        }
    };
    let digits = drop_dialling_zero(national.digits, is_mobile);
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
        out.push(Finding::error(MOBILE_CHARACTER).with("found", c.to_string()));
        return out;
    }
    if !national.had_country_code && is_short_number(digits) {
        out.push(Finding::error(MOBILE_SHORT_NUMBER).with("number", digits));
        return out;
    }
    if digits.len() != 11 {
        out.push(Finding::error(MOBILE_LENGTH).with("length", digits.len()));
    }
    if !digits.is_empty() && !has_mobile_prefix(digits) {
        out.push(Finding::error(MOBILE_PREFIX).with("found", digits.get(..2).unwrap_or(digits)));
    }
    if is_mobile(digits) {
        out.normalized = Some(normalize::borrow_or_concat(input, &["+86", digits]));
    }
    out
}

/// Splits off an extension: (main part, extension text if any). The first marker in the text
/// wins, the longest at that place; ASCII letters match in either case.
fn split_extension(s: &str) -> (&str, Option<&str>) {
    let bytes = s.as_bytes();
    for at in 0..bytes.len() {
        let Some(rest) = bytes.get(at..) else {
            break;
        };
        // EXTENSION_MARKERS is longest first, so the first match at a place is the longest.
        let found = EXTENSION_MARKERS
            .iter()
            .find(|m| rest.get(..m.len()).is_some_and(|head| head.eq_ignore_ascii_case(m.as_bytes())));
        if let Some(m) = found {
            if let (Some(main), Some(ext)) = (s.get(..at), s.get(at + m.len()..)) {
                return (main, Some(ext));
            }
        }
    }
    (s, None)
}

/// What a phone number was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Mobile,
    Landline,
    Service,
    Short,
}

/// The text after the last hyphen (or dash) of `main` when it is all digits, with what precedes
/// it: `010-12345678-801` → (`010-12345678`, `801`). Spaces around the hyphen are allowed.
fn hyphen_suffix(main: &str) -> Option<(&str, &str)> {
    let is_dash = |c: char| normalize::is_code_separator(c) && !matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}');
    let at = main.rfind(is_dash)?;
    let prefix = main.get(..at)?;
    let dash_len = main.get(at..)?.chars().next()?.len_utf8();
    let suffix = main.get(at + dash_len..)?.trim_matches([' ', '\t', '\u{3000}', '\u{00A0}']);
    (!suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit())).then_some((prefix, suffix))
}

/// Checks a phone number: a mobile, a landline or a 400/800 service line, with an optional
/// extension; a national short service number is accepted with a warning.
///
/// An extension may also be written with a hyphen after a complete landline or service line
/// (`010-12345678-801`): when the whole text is no valid number, but what precedes its last
/// hyphen is a landline or 400/800 line and what follows it is digits, those digits are the
/// extension. A text that is valid as one number keeps that reading (`021-2345678-9` is the
/// 8-digit `+862123456789`), so nothing accepted before reads differently now. The normalised
/// form writes the extension as `;ext=`, which reads back as the same number and extension.
pub fn check_phone(input: &str) -> Checked {
    examine_phone(input).checked(IdentifierKind::Phone, input)
}

/// [`check_phone`] without a copy of the input: a valid number allocates only its normalised form.
pub fn examine_phone(input: &str) -> Outcome {
    examine_phone_borrowed(input).into()
}

/// [`examine_phone`] borrowing the normalised form from `input` when it is the input as typed (or
/// trimmed): a number typed in its normal form (`4001234567`, `+861065012345`, `12377`).
pub(crate) fn examine_phone_borrowed(input: &str) -> Examined<'_> {
    if normalize::too_long(input) {
        return Examined::finding(Finding::error(PHONE_FORMAT).with("length", normalize::char_count(input)));
    }
    let typed = normalize::half_width_cow(input);
    let (main, ext) = split_extension(&typed);
    let (whole, _) = read_phone(input, main, ext);
    if ext.is_some() || whole.is_valid() {
        return whole;
    }
    if let Some((number, suffix)) = hyphen_suffix(main) {
        if let (prefix, Some(Line::Landline | Line::Service)) = read_phone(input, number, None) {
            if prefix.is_valid() {
                return read_phone(input, number, Some(suffix)).0;
            }
        }
    }
    whole
}

/// Reads `main` (half-width, extension removed) as one phone number with extension `ext`; the
/// normalised form is borrowed from `input`, what was typed, when it is that text.
fn read_phone<'a>(input: &'a str, main: &str, ext: Option<&str>) -> (Examined<'a>, Option<Line>) {
    let mut out = Examined::default();
    let stripped = strip_punctuation(main);
    let national = match strip_country(stripped.as_str()) {
        Prefix::Ok(n) => n,
        Prefix::OtherCountry => {
            out.push(Finding::error(PHONE_COUNTRY_CODE).with("found", typed_country_code(main)));
            return (out, None);
        }
    };
    let digits = drop_dialling_zero(national.digits, |rest| is_mobile(rest) || is_service_line(rest));
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
        out.push(Finding::error(PHONE_CHARACTER).with("found", c.to_string()));
        return (out, None);
    }
    let ext_buf = ext.map(strip_punctuation);
    let ext = match ext_buf.as_ref().map(TextBuf::as_str) {
        None => None,
        Some(e) if (1..=6).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_digit()) => Some(e),
        Some(e) => {
            out.push(Finding::error(PHONE_EXTENSION).with("found", e));
            return (out, None);
        }
    };
    let (ext_marker, ext_digits) = match ext {
        Some(e) => (";ext=", e),
        None => ("", ""),
    };

    // A short service number is dialled as it is, within the mainland only.
    if !national.had_country_code && is_short_number(digits) {
        match ext {
            Some(e) => out.push(Finding::error(PHONE_EXTENSION).with("found", e)),
            None => {
                out.push(Finding::warning(PHONE_SHORT_NUMBER).with("number", digits));
                out.normalized = Some(normalize::borrow_or_own(input, digits));
            }
        }
        return (out, Some(Line::Short));
    }

    // After +86 the trunk 0 of a landline is dropped: `+86 10 …` is Beijing, `+86 755 …` Shenzhen.
    // `trunk` is that `0` put back in front of `digits`.
    let trunk = if national.had_country_code
        && !digits.starts_with('0')
        && !(is_mobile(digits) || digits.starts_with("400") || digits.starts_with("800"))
    {
        "0"
    } else {
        ""
    };

    let len = trunk.len() + digits.len();
    let starts_with = |p: &str| if trunk.is_empty() { digits.starts_with(p) } else { false };
    let mut line = None;
    if starts_with("1") {
        if !is_mobile(digits) {
            out.push(Finding::error(PHONE_MOBILE_FORMAT).with("length", len));
        } else if let Some(e) = ext {
            out.push(Finding::error(PHONE_EXTENSION).with("found", e));
        } else {
            out.normalized = Some(normalize::borrow_or_concat(input, &["+86", digits]));
            line = Some(Line::Mobile);
        }
    } else if starts_with("400") || starts_with("800") {
        if len == 10 {
            out.normalized = Some(normalize::borrow_or_concat(input, &[digits, ext_marker, ext_digits]));
            line = Some(Line::Service);
        } else {
            out.push(Finding::error(PHONE_SERVICE_LENGTH).with("length", len));
        }
    } else if let Some(rest) = if trunk.is_empty() { digits.strip_prefix('0') } else { Some(digits) } {
        let two_digit = rest.starts_with("10") || rest.starts_with('2');
        let split = if two_digit { 2 } else { 3 };
        match (rest.get(..split), rest.get(split..)) {
            // `01x` other than `010` was never allocated, nor `0400`/`0800`; read as `0` + 3 digits
            // they would seal a number (`+86155…`, `+86400…`) that is a mobile or a service line
            // when checked again.
            (Some(area), Some(_))
                if (area.starts_with('1') && !area.starts_with("10")) || area == "400" || area == "800" =>
            {
                out.push(Finding::error(PHONE_AREA_CODE).with("area_code", normalize::concat(&["0", area])));
            }
            // A city's line of a national hotline, dialled with its area code: `(0794) 12388`.
            (Some(area), Some(subscriber)) if !area.starts_with('0') && is_short_number(subscriber) => match ext {
                Some(e) => out.push(Finding::error(PHONE_EXTENSION).with("found", e)),
                None => {
                    out.push(
                        Finding::warning(PHONE_SHORT_NUMBER)
                            .with("number", normalize::concat(&["0", area, "-", subscriber])),
                    );
                    out.normalized = Some(normalize::borrow_or_concat(input, &["+86", area, subscriber]));
                    line = Some(Line::Short);
                }
            },
            (Some(area), Some(subscriber)) if !area.starts_with('0') => {
                if (7..=8).contains(&subscriber.len()) {
                    out.normalized =
                        Some(normalize::borrow_or_concat(input, &["+86", area, subscriber, ext_marker, ext_digits]));
                    line = Some(Line::Landline);
                } else {
                    out.push(
                        Finding::error(PHONE_LANDLINE_LENGTH)
                            .with("area_code", normalize::concat(&["0", area]))
                            .with("length", subscriber.len()),
                    );
                }
            }
            _ => out.push(Finding::error(PHONE_FORMAT).with("length", len)),
        }
    } else if (7..=8).contains(&len) {
        out.push(Finding::error(PHONE_AREA_CODE_MISSING).with("length", len));
    } else {
        out.push(Finding::error(PHONE_FORMAT).with("length", len));
    }
    (out, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(c: Checked) -> Option<String> {
        c.normalized
    }

    #[test]
    fn mobile_forms() {
        assert_eq!(norm(check_mobile("138 1234 5678")), Some("+8613812345678".into()));
        assert_eq!(norm(check_mobile("+86-138-1234-5678")), Some("+8613812345678".into()));
        assert_eq!(norm(check_mobile("008613812345678")), Some("+8613812345678".into()));
        assert_eq!(norm(check_mobile("8613812345678")), Some("+8613812345678".into()));
        assert_eq!(norm(check_mobile("１３８１２３４５６７８")), Some("+8613812345678".into()));
        assert!(!check_mobile("12812345678").is_valid());
        assert!(!check_mobile("+85291234567").is_valid());
    }

    #[test]
    fn area_code_split() {
        assert_eq!(norm(check_phone("010-12345678")), Some("+861012345678".into()));
        assert_eq!(norm(check_phone("(021) 1234 5678")), Some("+862112345678".into()));
        assert_eq!(norm(check_phone("0755-2345678")), Some("+867552345678".into()));
        assert_eq!(norm(check_phone("+86 755 23456789")), Some("+8675523456789".into()));
        assert_eq!(norm(check_phone("+86 10 12345678")), Some("+861012345678".into()));
        assert_eq!(norm(check_phone("010-12345678转123")), Some("+861012345678;ext=123".into()));
        assert_eq!(norm(check_phone("400-123-4567")), Some("4001234567".into()));
    }

    #[test]
    fn country_code_as_typed() {
        assert_eq!(typed_country_code("+1 415 555 0100"), "+1");
        assert_eq!(typed_country_code("(+852) 9123 4567"), "+852");
        assert_eq!(typed_country_code("+85291234567"), "+852");
        assert_eq!(typed_country_code("+"), "+");
    }

    #[test]
    fn extension_split() {
        assert_eq!(split_extension("010 1234 EXT. 12"), ("010 1234 ", Some(" 12")));
        assert_eq!(split_extension("01012345678"), ("01012345678", None));
        assert_eq!(split_extension("010-1234转5 x6"), ("010-1234", Some("5 x6")));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", "+", "+8", "0086", "86", "转", "İİİ转1", "\u{10FFFF}", "0", "00"] {
            let _ = check_phone(s);
            let _ = check_mobile(s);
        }
        assert!(!check_phone(&"1".repeat(1_000_000)).is_valid());
    }
}
