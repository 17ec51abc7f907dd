//! Arbitrary data against each built-in form (the first byte picks the form and locale): reading
//! and validating never panic, and the normalised data of a valid report validates again.
#![no_main]

use formseal::{Form, Locale, Timestamp};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn forms() -> &'static Vec<Form> {
    static FORMS: OnceLock<Vec<Form>> = OnceLock::new();
    FORMS.get_or_init(|| formseal::forms::BUILTINS.iter().filter_map(|b| Form::builtin(b.id).ok()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let forms = forms();
    let Some(form) = forms.get(usize::from(selector) % forms.len().max(1)) else { return };
    let locale = if selector & 0x80 == 0 { Locale::ZhCn } else { Locale::En };
    let Ok(value) = formseal::parse_data(bytes) else { return };
    // 2005-06-01T10:00:00+08:00, the examples' own time.
    let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
    let report = form.validate(&value, now, locale);
    if report.valid {
        let again = form.validate(&report.normalized, now, locale);
        assert!(again.valid, "normalised data of a valid report is invalid: {:?}", again.findings);
    }
});
