#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Every input a fuzz target (`fuzz/fuzz_targets/`) crashed on, as an ordinary test: the exact
//! input, kept in `tests/data/fuzz/<target>-crash-<hash>`, replayed through the same check the
//! target makes, plus a small readable case of the same bug.

use formseal::ident::{check, IdentifierKind, Today};

fn today() -> Option<Today> {
    Some(Today::of("2005-06-01T10:00:00+08:00".parse().unwrap()))
}

/// The `identifier` target's property: a valid value's normalised form is valid and normalises to
/// itself. The first byte of a fuzz input picks the kind. Returns whether the input was valid.
fn identifier_property(data: &[u8]) -> bool {
    let (selector, bytes) = data.split_first().unwrap();
    let input = std::str::from_utf8(bytes).unwrap();
    let kind = IdentifierKind::ALL[usize::from(*selector) % IdentifierKind::ALL.len()];
    let first = check(kind, input, today());
    if let (true, Some(normalized)) = (first.is_valid(), first.normalized.as_deref()) {
        let second = check(kind, normalized, today());
        assert!(second.is_valid(), "{kind:?}: normalised form is invalid: {:?}", second.findings);
        assert_eq!(second.normalized.as_deref(), Some(normalized));
    }
    first.is_valid()
}

/// fuzz `identifier`, 2026-11: a 2,045-byte URL (under the 2,048-byte limit) with NUL characters
/// in its path was valid, but its normalised form, with each NUL percent-encoded as `%00`, was
/// 2,049 bytes and so invalid when checked again: a receiver would refuse what the page sealed.
/// Now a normalised URL over the limit is `url_input_too_long` at once.
#[test]
fn url_whose_normalised_form_outgrows_the_limit_crash_20f3d758() {
    let data = include_bytes!("data/fuzz/identifier-crash-20f3d758");
    assert_eq!(IdentifierKind::ALL[usize::from(data[0]) % IdentifierKind::ALL.len()], IdentifierKind::Url);
    assert!(!identifier_property(data));
    let checked = check(IdentifierKind::Url, std::str::from_utf8(&data[1..]).unwrap(), None);
    assert!(checked.findings.iter().any(|f| f.code == "url_input_too_long"), "{:?}", checked.findings);
}

/// The same bug as people would meet it: a Chinese path of 1,823 bytes becomes 5,423 bytes
/// percent-encoded (9 bytes per character).
#[test]
fn url_with_a_long_chinese_path_is_refused_by_its_normalised_length() {
    let input = format!("https://www.example.cn/{}", "关于".repeat(300));
    assert!(input.len() <= formseal::ident::http_url::MAX_INPUT_BYTES);
    let checked = check(IdentifierKind::Url, &input, None);
    let too_long = checked.findings.iter().find(|f| f.code == "url_input_too_long").expect("refused");
    assert_eq!(too_long.params["length"], 23 + 600 * 9);
    // Just under the limit once encoded: still valid, and stable.
    let fits = format!("https://www.example.cn/{}", "关".repeat((2048 - 23) / 9));
    let checked = check(IdentifierKind::Url, &fits, None);
    assert!(checked.is_valid(), "{:?}", checked.findings);
    assert_eq!(checked.normalized.as_ref().unwrap().len(), 23 + 225 * 9);
    let mut data = vec![IdentifierKind::ALL.iter().position(|k| *k == IdentifierKind::Url).unwrap() as u8];
    data.extend_from_slice(fits.as_bytes());
    assert!(identifier_property(&data));
}

/// fuzz `identifier`, 2026-11 (CI's fuzz smoke): `0155-23456789 分机 126789` was read as area code
/// 0155 with an extension and sealed as `+8615523456789;ext=126789`, which is a mobile (155…) with
/// an extension when checked again, so invalid: a receiver would refuse what the page sealed. No
/// area code starts `01` but Beijing's `010`; `0` before an 11-digit mobile is the long-distance
/// prefix, so the number is that mobile, and a mobile takes no extension.
#[test]
fn landline_with_an_area_code_that_is_a_mobile_prefix_crash_8cf02a71() {
    let data = include_bytes!("data/fuzz/identifier-crash-8cf02a71");
    assert_eq!(IdentifierKind::ALL[usize::from(data[0]) % IdentifierKind::ALL.len()], IdentifierKind::Phone);
    assert!(!identifier_property(data));
    let checked = check(IdentifierKind::Phone, std::str::from_utf8(&data[1..]).unwrap(), None);
    let codes: Vec<_> = checked.findings.iter().map(|f| f.code.as_ref()).collect();
    assert_eq!(codes, ["phone_extension"]);
}

/// Every `0` + 3-digit area code + 7-8 digits + extension that the phone check accepts is still
/// valid, and the same, when its normalised form is checked again.
#[test]
fn every_accepted_landline_with_extension_is_stable() {
    let phone = IdentifierKind::ALL.iter().position(|k| *k == IdentifierKind::Phone).unwrap() as u8;
    let mut accepted = 0;
    for area in (0..1000).map(|a| format!("{a:03}")) {
        for subscriber in ["2345678", "23456789"] {
            let mut data = vec![phone];
            data.extend_from_slice(format!("0{area}-{subscriber} 转 12").as_bytes());
            accepted += usize::from(identifier_property(&data));
        }
    }
    // Not vacuous: 0300-0999 but 0400/0800 (698 codes) with either length; with the 7-digit number
    // 0400-/0800- as 400/800 lines after a dialling 0 (2), and the 2-digit codes 010 and 020-029
    // followed by an 8-digit one (0100-…, 0200-…: 110).
    assert_eq!(accepted, 2 * 698 + 2 + 110);
}
