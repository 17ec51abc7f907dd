//! Text and long text: trimming, line ends, control characters, length in characters (not
//! bytes: a Chinese character counts as one) and whole-value patterns.

use serde_json::Value;

use super::{as_text, type_mismatch, Checked};
use crate::finding::Finding;
use crate::limits::MAX_VALUE_CHARS;
use crate::schema::Pattern;

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
