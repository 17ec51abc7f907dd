//! Each identifier kind (the first byte picks it) on arbitrary text: never panics, and a valid
//! value's normalised form is valid and normalises to itself (normalising is idempotent).
#![no_main]

use formseal::ident::{check, IdentifierKind, Today};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let Ok(input) = std::str::from_utf8(bytes) else { return };
    let kinds = IdentifierKind::ALL;
    let Some(&kind) = kinds.get(usize::from(selector) % kinds.len()) else { return };
    let today =
        Some(Today::of(formseal::Timestamp::from_second(1_117_591_200).unwrap_or(formseal::Timestamp::UNIX_EPOCH)));
    let first = check(kind, input, today);
    if let (true, Some(normalized)) = (first.is_valid(), first.normalized.as_deref()) {
        let second = check(kind, normalized, today);
        assert!(second.is_valid(), "{kind:?}: {input:?} → {normalized:?} is invalid: {:?}", second.findings);
        assert_eq!(second.normalized.as_deref(), Some(normalized), "{kind:?}: not idempotent on {input:?}");
    }
});
