//! Text and long text: trimming, line ends, control characters, length in characters (not
//! bytes: a Chinese character counts as one) and whole-value patterns.

use serde_json::Value;

use super::{as_text, type_mismatch, Checked};
use crate::finding::Finding;
use crate::limits::MAX_VALUE_CHARS;
use crate::schema::Pattern;

/// The bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069):
/// invisible, yet they reorder what is shown (`abc\u{202E}fed` shows as `abcdef`).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is invisible when shown: a pasted formatting character (the identifiers' own list,
/// `ident::normalize::is_invisible`), a bidi control or mark, or another default-ignorable format
/// character. A value made only of these and spaces is blank.
pub(crate) fn is_invisible(c: char) -> bool {
    crate::ident::normalize::is_invisible(c)
        || is_bidi_control(c)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{034F}' | '\u{180E}' | '\u{2061}'..='\u{2064}')
}

pub(crate) fn check(
    value: &Value,
    long: bool,
    min: Option<u32>,
    max: Option<u32>,
    pattern: Option<&Pattern>,
) -> Checked {
    let Some(text) = as_text(value) else {
        return Checked::with(None, vec![type_mismatch(if long { "long_text" } else { "text" }, value)]);
    };
    let mut findings = Vec::new();
    // Bidi controls make text read differently from what it holds: dropped, with a warning.
    let bidi = text.chars().filter(|&c| is_bidi_control(c)).count();
    let text: std::borrow::Cow<'_, str> = if bidi > 0 {
        findings.push(Finding::warning("bidi_controls_removed").with("count", bidi));
        text.chars().filter(|&c| !is_bidi_control(c)).collect::<String>().into()
    } else {
        text
    };
    let trimmed = text.trim();
    let normalized: String = if long && trimmed.contains('\r') {
        trimmed.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        trimmed.to_owned()
    };
    // Count characters once, stopping early for absurd sizes so a 10 MB value costs little.
    let length = normalized.chars().take(MAX_VALUE_CHARS + 1).count();
    if length > MAX_VALUE_CHARS {
        findings
            .push(Finding::error("too_long").with("max", MAX_VALUE_CHARS).with("length", normalized.chars().count()));
        return Checked::with(Some(Value::String(normalized)), findings);
    }
    let allowed_control = |c: char| long && (c == '\n' || c == '\t');
    if normalized.chars().any(|c| c.is_control() && !allowed_control(c)) {
        findings.push(Finding::error("control_characters"));
    }
    if let Some(max) = max {
        if length > max as usize {
            findings.push(Finding::error("too_long").with("max", max).with("length", length));
        }
    }
    if let Some(min) = min {
        if length < min as usize {
            findings.push(Finding::error("too_short").with("min", min).with("length", length));
        }
    }
    if let Some(p) = pattern {
        if !p.regex.is_match(&normalized) {
            findings.push(Finding::error("pattern_mismatch").with("pattern", p.source.as_str()));
        }
    }
    let value = if normalized.is_empty() { None } else { Some(Value::String(normalized)) };
    Checked::with(value, findings)
}
