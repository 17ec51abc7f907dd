//! Table-driven identifier vectors: every file under `tests/data/ident/` (format in
//! `tests/data/README.md`). Each case is named by its file and index so a failure says where.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use formseal::ident;

fn files_in(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn identifier_vectors() {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, text) in files_in("tests/data/ident") {
        let (n, f) = common::identifier_file(&name, &text);
        count += n;
        failures.extend(f);
    }
    assert!(count > 400, "only {count} identifier cases");
    assert!(failures.is_empty(), "{} of {count} identifier cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// The wasm run embeds the vector files; it must embed exactly the files the directories hold,
/// with the same contents.
#[test]
fn embedded_vector_lists_match_the_directories() {
    for (dir, embedded) in [("tests/data/ident", common::IDENT_FILES), ("tests/data/rules", common::RULE_FILES)] {
        let on_disk = files_in(dir);
        let listed: Vec<(String, String)> = embedded.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
        assert_eq!(listed, on_disk, "{dir}: update the list in tests/common/mod.rs");
    }
}

#[test]
fn every_identifier_code_has_messages_in_both_locales() {
    let known: BTreeSet<&str> = formseal::messages::known_codes().collect();
    let missing: Vec<&str> = ident::codes().filter(|c| !known.contains(c)).collect();
    assert!(missing.is_empty(), "codes without a catalogue entry: {missing:?}");
}

/// A valid value's normalised form is valid and normalises to itself (the `identifier` fuzz
/// target's property). Returns the first check.
fn checked_stably(kind: ident::IdentifierKind, input: &str) -> ident::Checked {
    let first = ident::check(kind, input, None);
    if let (true, Some(normalized)) = (first.is_valid(), first.normalized.as_deref()) {
        let second = ident::check(kind, normalized, None);
        assert!(second.is_valid(), "{kind:?} {input:?} → {normalized:?}: {:?}", second.findings);
        assert_eq!(second.normalized.as_deref(), Some(normalized), "{kind:?} {input:?}");
    }
    first
}

/// Issue 11: an extension written with a hyphen after a complete landline (`010-12345678-801`)
/// reads exactly as the same extension written with `转`, for every area code, and its normalised
/// form (`;ext=`) reads back as the same number.
#[test]
fn hyphen_extension_reads_like_zhuan_for_every_area_code() {
    let mut accepted = 0;
    // `0086` is the international prefix, not an area code: `0086-2345678-12` is +86 23 4567812.
    for area in (0..1000).map(|a| format!("{a:03}")).filter(|a| a != "086") {
        for subscriber in ["2345678", "23456789"] {
            let hyphen = checked_stably(ident::IdentifierKind::Phone, &format!("0{area}-{subscriber}-12"));
            let zhuan = checked_stably(ident::IdentifierKind::Phone, &format!("0{area}-{subscriber} 转 12"));
            assert_eq!(hyphen.is_valid(), zhuan.is_valid(), "0{area}-{subscriber}-12: {:?}", hyphen.findings);
            if hyphen.is_valid() {
                assert_eq!(hyphen.normalized, zhuan.normalized, "0{area}-{subscriber}-12");
                assert!(
                    hyphen.normalized.as_deref().is_some_and(|n| n.ends_with(";ext=12")),
                    "{:?}",
                    hyphen.normalized
                );
                accepted += 1;
            }
        }
    }
    // The same count as tests/fuzz_regressions.rs's sweep of `转 12`.
    assert_eq!(accepted, 2 * 698 + 2 + 110);
}

/// Issue 11: exactly the national short-number  ranges of docs/identifiers.md are short numbers (12xxx,
/// 100xx, 95xxx, 96xxx: 3,100 of the 100,000 five-digit numbers): a warning on a phone field, an
/// error of their own on a mobile field, never a mobile-length error; stable when checked again.
#[test]
fn short_numbers_are_exactly_the_national_ranges() {
    let mut short = 0;
    for n in 0..100_000 {
        let number = format!("{n:05}");
        let phone = checked_stably(ident::IdentifierKind::Phone, &number);
        let codes: Vec<&str> = phone.findings.iter().map(|f| f.code.as_ref()).collect();
        let expected = number.starts_with("12")
            || number.starts_with("100")
            || number.starts_with("95")
            || number.starts_with("96");
        assert_eq!(codes.contains(&"phone_short_number"), expected, "{number}: {codes:?}");
        let mobile = ident::check(ident::IdentifierKind::Mobile, &number, None);
        let mobile_codes: Vec<&str> = mobile.findings.iter().map(|f| f.code.as_ref()).collect();
        if expected {
            short += 1;
            assert!(phone.is_valid() && codes == ["phone_short_number"], "{number}: {codes:?}");
            assert_eq!(phone.normalized.as_deref(), Some(number.as_str()));
            assert_eq!(mobile_codes, ["mobile_short_number"], "{number}");
        } else {
            assert!(!mobile_codes.contains(&"mobile_short_number"), "{number}: {mobile_codes:?}");
        }
    }
    assert_eq!(short, 1000 + 100 + 1000 + 1000);
}

/// Issue 11: digits 3-14 of a 公网安备 number are never checked (digits 7-8 vary in real numbers,
/// districts need not be GB/T 2260 codes); 12-digit numbers are a warning; other lengths an error.
#[test]
fn psb_checks_only_province_and_length() {
    for middle in 0..100 {
        let n = format!("京公网安备1101{middle:02}{middle:02}000001号");
        let checked = checked_stably(ident::IdentifierKind::PsbFilingNumber, &n);
        assert!(checked.is_valid() && checked.findings.is_empty(), "{n}: {:?}", checked.findings);
        assert_eq!(checked.normalized.as_deref(), Some(n.as_str()));
    }
    for len in 2..=20 {
        let n = format!("粤公网安备44{}号", "0".repeat(len - 2));
        let codes: Vec<String> = checked_stably(ident::IdentifierKind::PsbFilingNumber, &n)
            .findings
            .iter()
            .map(|f| f.code.to_string())
            .collect();
        let expected: &[&str] = match len {
            14 => &[],
            12 => &["psb_filing_legacy"],
            _ => &["psb_filing_digits"],
        };
        assert_eq!(codes, expected, "{n}");
    }
}

/// Issue 11: the site serial is the same after every licence form: 1-4 digits and an optional
/// `A` or `X`, after `ICP备…号`, `ICP证…号` and the A1/A2/B1/B2 licences alike.
#[test]
fn site_serial_is_the_same_after_every_licence_form() {
    let forms = [
        "京ICP备2023000001号",
        "京ICP备05002571号",
        "京ICP证030173号",
        "粤B2-20090059",
        "苏A2-20120001",
        "京B1-20180001",
        "京A1-20150001",
        "B2-20090059",
    ];
    let serials =
        ["", "-1", "-12", "-123", "-1234", "-1A", "-12X", "-1234A", "-12345", "-1B", "-A", "-1AX", "-", "-0y"];
    for form in forms {
        for serial in serials {
            let value = format!("{form}{serial}");
            let checked = checked_stably(ident::IdentifierKind::IcpNumber, &value);
            let body = serial.strip_prefix('-').unwrap_or("");
            let digits = body.trim_end_matches(['A', 'X']);
            let ok = serial.is_empty()
                || ((1..=4).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && body.len() - digits.len() <= 1);
            assert_eq!(checked.is_valid(), ok, "{value}: {:?}", checked.findings);
            if ok {
                assert_eq!(checked.normalized.as_deref(), Some(value.as_str()));
            } else {
                let codes: Vec<&str> = checked.findings.iter().map(|f| f.code.as_ref()).collect();
                assert_eq!(codes, ["icp_serial"], "{value}");
            }
        }
    }
}
