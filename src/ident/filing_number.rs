//! Filing and licence numbers shown in a website's footer.
//!
//! - 公安联网备案号 `<省简称>公网安备 <14 digits>号`. Normalised without the space:
//!   `京公网安备11010502030143号` (the space is typographic only; a missing `号` is supplied).
//!   Only digits 1-2 are checked, against the province of the abbreviation (a mismatch is an
//!   error: typically a footer copied from another site). Digits 3-6 need not be a GB/T 2260
//!   county code and digits 7-8 vary in real numbers (02, 25, 27, 30, 40, 61 …): neither is
//!   checked. The 12-digit numbers some provinces issued before 2016 still stand in footers: they
//!   are accepted with the warning [`PSB_LEGACY`] and normalised as typed (nothing is added).
//! - ICP 备案号 `<简称>ICP备<8 or 10 digits>号[-<n>]`: `京ICP备2023000001号-3A`; ICP 证
//!   `<简称>ICP证<6 digits>号[-<n>]`; 增值电信业务经营许可证 `[<简称>]<A|B><1|2>-<8 digits>[-<n>]`
//!   such as `粤B2-20090059-5`, including the A2 licences of 第一类增值电信业务
//!   (`苏A2-20120001-1`). Normalised: `ICP` upper-case, half-width, no spaces, `号` supplied if
//!   missing.
//! - The site serial `-<n>` is the same after every one of these forms (docs/identifiers.md, "Forms seen
//!   in real filings"): 1-4 digits, optionally followed by `A` (app) or `X` (mini-program), as in
//!   `粤B2-20090059-12X` or `京ICP证030173号-1A`.
//!
//! ICP numbers use 蜀 for Sichuan, 黔 for Guizhou and 陇 for Gansu. The police abbreviations
//! 川, 贵 and 甘 are accepted with a warning and normalised to the ICP ones ("when in doubt, warn
//! rather than block": both name the same province unambiguously).

use super::normalize::{self, TextBuf};
use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// PSB: not of the form `<简称>公网安备<digits>号` (no params).
pub const PSB_FORMAT: &str = "psb_filing_format";
/// PSB: the leading character is no province abbreviation (params: `found`).
pub const PSB_PROVINCE: &str = "psb_filing_province";
/// PSB: the number is neither 14 digits nor the legacy 12 (params: `length`).
pub const PSB_DIGITS: &str = "psb_filing_digits";
/// Warning: a pre-2016 12-digit number; the current one has 14 digits (params: `length`).
pub const PSB_LEGACY: &str = "psb_filing_legacy";
/// PSB: digits 1-2 are not the province of the abbreviation (params: `abbreviation`,
/// `expected`, `found`).
pub const PSB_PROVINCE_MISMATCH: &str = "psb_filing_province_mismatch";

/// ICP: not an ICP 备案号, ICP 证 or 经营许可证 number (no params).
pub const ICP_FORMAT: &str = "icp_format";
/// ICP: the leading character is no province abbreviation (params: `found`).
pub const ICP_PROVINCE: &str = "icp_province";
/// Warning: the police abbreviation (川/贵/甘) instead of the ICP one (蜀/黔/陇) (params: `found`,
/// `expected`).
pub const ICP_POLICE_ABBREVIATION: &str = "icp_police_abbreviation";
/// ICP 备案号: not 8 or 10 digits (params: `length`).
pub const ICP_FILING_DIGITS: &str = "icp_filing_digits";
/// ICP 证: not 6 digits (params: `length`).
pub const ICP_LICENCE_DIGITS: &str = "icp_licence_digits";
/// 经营许可证: not 8 digits after `B2-` (params: `length`).
pub const ICP_PERMIT_DIGITS: &str = "icp_permit_digits";
/// The `-n` serial is not 1-4 digits optionally followed by `A` or `X` (params: `found`).
pub const ICP_SERIAL: &str = "icp_serial";

/// Finding codes of these checks. All errors except [`PSB_LEGACY`] and
/// [`ICP_POLICE_ABBREVIATION`], warnings.
pub const CODES: &[&str] = &[
    PSB_FORMAT,
    PSB_PROVINCE,
    PSB_DIGITS,
    PSB_LEGACY,
    PSB_PROVINCE_MISMATCH,
    ICP_FORMAT,
    ICP_PROVINCE,
    ICP_POLICE_ABBREVIATION,
    ICP_FILING_DIGITS,
    ICP_LICENCE_DIGITS,
    ICP_PERMIT_DIGITS,
    ICP_SERIAL,
];

/// Police (公安) province abbreviations and their GB/T 2260 province codes (docs/identifiers.md).
const POLICE: &[(char, &str)] = &[
    ('京', "11"),
    ('津', "12"),
    ('冀', "13"),
    ('晋', "14"),
    ('蒙', "15"),
    ('辽', "21"),
    ('吉', "22"),
    ('黑', "23"),
    ('沪', "31"),
    ('苏', "32"),
    ('浙', "33"),
    ('皖', "34"),
    ('闽', "35"),
    ('赣', "36"),
    ('鲁', "37"),
    ('豫', "41"),
    ('鄂', "42"),
    ('湘', "43"),
    ('粤', "44"),
    ('桂', "45"),
    ('琼', "46"),
    ('渝', "50"),
    ('川', "51"),
    ('贵', "52"),
    ('黔', "52"),
    ('滇', "53"),
    ('藏', "54"),
    ('陕', "61"),
    ('甘', "62"),
    ('青', "63"),
    ('宁', "64"),
    ('新', "65"),
];

/// ICP abbreviations, and the police ones accepted with a warning (→ the ICP one).
const ICP: &str = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀黔滇藏陕陇青宁新";
pub(crate) const ICP_POLICE_VARIANTS: &[(char, char)] = &[('川', '蜀'), ('贵', '黔'), ('甘', '陇')];

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (s.get(..end).unwrap_or(""), s.get(end..).unwrap_or(""))
}

/// Checks a 公安联网备案号.
pub fn check_psb(input: &str) -> Checked {
    examine_psb(input).checked(IdentifierKind::PsbFilingNumber, input)
}

/// [`check_psb`] without a copy of the input: a valid number allocates only its normalised form.
pub fn examine_psb(input: &str) -> Outcome {
    examine_psb_borrowed(input).into()
}

/// [`examine_psb`] borrowing the normalised form from `input` when it is the input as typed (or
/// trimmed): `京公网安备11010502030143号`, without the typographic space.
pub(crate) fn examine_psb_borrowed(input: &str) -> Examined<'_> {
    let mut out = Examined::default();
    if normalize::too_long(input) {
        out.push(Finding::error(PSB_FORMAT));
        return out;
    }
    let buf = TextBuf::collect(normalize::compact_chars(input));
    let s = buf.as_str();
    let mut chars = s.chars();
    let (Some(abbr), rest) = (chars.next(), chars.as_str()) else {
        out.push(Finding::error(PSB_FORMAT));
        return out;
    };
    let Some(rest) = rest.strip_prefix("公网安备") else {
        out.push(Finding::error(PSB_FORMAT));
        return out;
    };
    let (digits, tail) = split_digits(rest);
    if digits.is_empty() || !(tail.is_empty() || tail == "号") {
        out.push(Finding::error(PSB_FORMAT));
        return out;
    }
    let province = POLICE.iter().find(|(a, _)| *a == abbr).map(|(_, p)| *p);
    match province {
        None => out.push(Finding::error(PSB_PROVINCE).with("found", abbr.to_string())),
        Some(p) => {
            if let Some(found) = digits.get(..2) {
                if found != p {
                    out.push(
                        Finding::error(PSB_PROVINCE_MISMATCH)
                            .with("abbreviation", abbr.to_string())
                            .with("expected", p)
                            .with("found", found),
                    );
                }
            }
        }
    }
    match digits.len() {
        14 => {}
        12 => out.push(Finding::warning(PSB_LEGACY).with("length", 12)),
        n => out.push(Finding::error(PSB_DIGITS).with("length", n)),
    }
    let mut abbr_bytes = [0u8; 4];
    out.normalized =
        Some(normalize::borrow_or_concat(input, &[abbr.encode_utf8(&mut abbr_bytes), "公网安备", digits, "号"]));
    out
}

/// Parses an optional `-n` serial at the end: 1-4 digits and an optional `A` (app) or `X`
/// (mini-program), after every form alike.
fn serial(tail: &str) -> Result<&str, ()> {
    if tail.is_empty() {
        return Ok("");
    }
    let Some(body) = tail.strip_prefix('-') else {
        return Err(());
    };
    let (digits, rest) = split_digits(body);
    let ok = (1..=4).contains(&digits.len()) && matches!(rest, "" | "A" | "X");
    if ok {
        Ok(tail)
    } else {
        Err(())
    }
}

/// Checks an ICP 备案号, ICP 证 or 增值电信业务经营许可证 number.
pub fn check_icp(input: &str) -> Checked {
    examine_icp(input).checked(IdentifierKind::IcpNumber, input)
}

/// [`check_icp`] without a copy of the input: a valid number allocates only its normalised form.
pub fn examine_icp(input: &str) -> Outcome {
    examine_icp_borrowed(input).into()
}

/// [`examine_icp`] borrowing the normalised form from `input` when it is the input as typed (or
/// trimmed): `京ICP备05012345号`, `粤B2-20090059-5`.
pub(crate) fn examine_icp_borrowed(input: &str) -> Examined<'_> {
    let mut out = Examined::default();
    if normalize::too_long(input) {
        out.push(Finding::error(ICP_FORMAT));
        return out;
    }
    let buf = TextBuf::collect(normalize::compact_chars(input));
    let s = buf.as_str();
    let mut chars = s.chars();
    let first = chars.next();
    // The abbreviation: any non-ASCII first character (checked below); absent only for 许可证.
    let (abbr, rest) = match first {
        Some(c) if !c.is_ascii() => (Some(c), chars.as_str()),
        _ => (None, s),
    };

    let abbr = match abbr {
        None => None,
        Some(a) if ICP.contains(a) => Some(a),
        Some(a) => match ICP_POLICE_VARIANTS.iter().find(|(p, _)| *p == a) {
            Some(&(_, icp)) => {
                out.push(
                    Finding::warning(ICP_POLICE_ABBREVIATION)
                        .with("found", a.to_string())
                        .with("expected", icp.to_string()),
                );
                Some(icp)
            }
            None => {
                out.push(Finding::error(ICP_PROVINCE).with("found", a.to_string()));
                Some(a)
            }
        },
    };
    let mut abbr_bytes = [0u8; 4];
    let prefix: &str = match abbr {
        Some(a) => a.encode_utf8(&mut abbr_bytes),
        None => "",
    };

    for (marker, counts, code) in
        [("ICP备", &[8usize, 10][..], ICP_FILING_DIGITS), ("ICP证", &[6][..], ICP_LICENCE_DIGITS)]
    {
        let Some(after) = rest.strip_prefix(marker) else {
            continue;
        };
        if abbr.is_none() {
            break;
        }
        let (digits, tail) = split_digits(after);
        let tail = tail.strip_prefix('号').unwrap_or(tail);
        if digits.is_empty() {
            break;
        }
        if !counts.contains(&digits.len()) {
            out.push(Finding::error(code).with("length", digits.len()));
        }
        match serial(tail) {
            Ok(serial) => {
                out.normalized = Some(normalize::borrow_or_concat(input, &[prefix, marker, digits, "号", serial]))
            }
            Err(()) => out.push(Finding::error(ICP_SERIAL).with("found", tail)),
        }
        return out;
    }

    // 增值电信业务经营许可证: [简称]A1/A2/B1/B2-YYYYNNNN[-n]
    let bytes = rest.as_bytes();
    let is_permit = matches!(bytes.first(), Some(b'A' | b'B'))
        && matches!(bytes.get(1), Some(b'1' | b'2'))
        && bytes.get(2) == Some(&b'-');
    if let (true, Some(kind), Some(after)) = (is_permit, rest.get(..2), rest.get(3..)) {
        let (digits, tail) = split_digits(after);
        if !digits.is_empty() {
            if digits.len() != 8 {
                out.push(Finding::error(ICP_PERMIT_DIGITS).with("length", digits.len()));
            }
            match serial(tail) {
                Ok(serial) => {
                    out.normalized = Some(normalize::borrow_or_concat(input, &[prefix, kind, "-", digits, serial]))
                }
                Err(()) => out.push(Finding::error(ICP_SERIAL).with("found", tail)),
            }
            return out;
        }
    }

    // Not readable as any form: the province findings made above say nothing useful alone.
    out.findings.clear();
    out.push(Finding::error(ICP_FORMAT));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psb_normalises() {
        let c = check_psb(" 京公网安备 １１０１０５０２０３０１４３号");
        assert!(c.is_valid(), "{c:?}");
        assert_eq!(c.normalized.as_deref(), Some("京公网安备11010502030143号"));
        assert!(check_psb("黔公网安备52010202000001号").is_valid());
        assert!(check_psb("贵公网安备52010202000001号").is_valid());
        assert!(!check_psb("沪公网安备11010502030143号").is_valid());
    }

    #[test]
    fn icp_forms() {
        let n = |s: &str| check_icp(s).normalized;
        assert_eq!(n("京icp备05002571号-1"), Some("京ICP备05002571号-1".into()));
        assert_eq!(n("京ICP备2023000001号-3A"), Some("京ICP备2023000001号-3A".into()));
        assert_eq!(n("京ICP证030173号"), Some("京ICP证030173号".into()));
        assert_eq!(n("粤B2-20090059-5"), Some("粤B2-20090059-5".into()));
        assert_eq!(n("川ICP备12345678号"), Some("蜀ICP备12345678号".into()));
        assert!(check_icp("川ICP备12345678号").is_valid());
        assert!(!check_icp("ICP备12345678号").is_valid());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", "京", "京公网安备", "京ICP备", "B2-", "B2", "\u{10FFFF}ICP证1号-", "京ICP备1号-"] {
            let _ = check_psb(s);
            let _ = check_icp(s);
        }
        assert!(!check_icp(&"京".repeat(100_000)).is_valid());
    }
}
