//! RFC 8785 canonical JSON: the strict parser never panics; what it accepts canonicalises, the
//! canonical text parses again to the same value, and canonicalising that is a fixed point.
#![no_main]

use formseal::seal::jcs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(value) = jcs::parse_strict(text) else { return };
    let Ok(canonical) = jcs::canonicalize(&value) else { return };
    let reparsed = match jcs::parse_strict(&canonical) {
        Ok(v) => v,
        Err(e) => panic!("canonical text does not parse: {e}: {canonical:?}"),
    };
    let twice = match jcs::canonicalize(&reparsed) {
        Ok(c) => c,
        Err(e) => panic!("canonical value does not canonicalise: {e}: {canonical:?}"),
    };
    assert_eq!(canonical, twice, "canonicalisation is not a fixed point");
});
