//! A form definition from anywhere (a filing office's JSON, possibly hostile): compiling never
//! panics, and a definition that compiles can describe itself and validate an empty document.
#![no_main]

use formseal::{CompileOptions, Form, Locale, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(form) = Form::compile_with(text, &CompileOptions::default()) else { return };
    let now = Timestamp::from_second(1_117_591_200).unwrap_or(Timestamp::UNIX_EPOCH);
    let _ = form.describe(Locale::En);
    let _ = form.validate(&serde_json::json!({}), now, Locale::ZhCn);
});
