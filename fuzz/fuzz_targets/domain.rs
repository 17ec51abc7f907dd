//! Domain processing on arbitrary text: UTS #46, the CNNIC rules, the homograph checks and the
//! U-label display never panic; a valid name's A-label checks again to itself with the same
//! display, and the display form checks to the same A-label.
#![no_main]

use formseal::ident::domain;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let first = domain::check(input);
    let _ = domain::to_unicode(input);
    let Some(ascii) = first.normalized.as_deref() else { return };
    if !first.is_valid() {
        return;
    }
    let again = domain::check(ascii);
    assert!(again.is_valid(), "{input:?} → {ascii:?} is invalid: {:?}", again.findings);
    assert_eq!(again.normalized.as_deref(), Some(ascii));
    if let Some(display) = first.display.as_deref() {
        assert_eq!(domain::check(display).normalized.as_deref(), Some(ascii), "display {display:?}");
    }
});
