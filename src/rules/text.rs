//! Text and long text (`text`, `long_text`): trimming, line ends, control characters, length in
//! characters (not bytes: a Chinese character counts as one) and whole-value patterns.
//!
//! Keys: `min_length`, `max_length`, `pattern`, `pattern_message` (only with `pattern`).

use regex::Regex;
use serde_json::Value;

use super::{as_text, type_mismatch, Checked};
use crate::error::SchemaError;
use crate::finding::Finding;
use crate::limits::{self, MAX_VALUE_CHARS};
use crate::messages::Localized;
use crate::schema::{pattern, FieldDef, KindName};

/// A compiled text field.
#[derive(Debug)]
pub(crate) struct Text {
    pub long: bool,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub pattern: Option<Pattern>,
}

/// A whole-value pattern, compiled once (`schema/pattern.rs`), with the author's own message.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub regex: Regex,
    pub source: String,
    pub message: Option<Localized>,
}

/// The keys this family accepts beyond those of every field.
pub(crate) fn accepts(def: &FieldDef, key: &str) -> bool {
    match key {
        "min_length" | "max_length" | "pattern" => true,
        "pattern_message" => def.pattern.is_some(),
        _ => false,
    }
}

pub(crate) fn compile(def: &FieldDef, path: &str) -> Result<Text, SchemaError> {
    if let (Some(a), Some(b)) = (def.min_length, def.max_length) {
        if a > b {
            return Err(SchemaError::new(
                "schema_invalid",
                format!("{path}.min_length"),
                "min_length is larger than max_length",
            ));
        }
    }
    let pattern = match &def.pattern {
        Some(p) => Some(compile_pattern(p, def.pattern_message.clone(), &format!("{path}.pattern"))?),
        None => None,
    };
    Ok(Text { long: def.kind == KindName::LongText, min_length: def.min_length, max_length: def.max_length, pattern })
}

fn compile_pattern(source: &str, message: Option<Localized>, path: &str) -> Result<Pattern, SchemaError> {
    if source.len() > limits::MAX_PATTERN_BYTES {
        return Err(SchemaError::new(
            "schema_limit",
            path,
            format!("a pattern is at most {} bytes", limits::MAX_PATTERN_BYTES),
        ));
    }
    let regex = pattern::compile(source).map_err(|e| SchemaError::new("schema_bad_pattern", path, e))?;
    Ok(Pattern { regex, source: source.to_owned(), message })
}

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

impl Text {
    pub(crate) fn check(&self, value: &Value) -> Checked {
        check(value, self.long, self.min_length, self.max_length, self.pattern.as_ref())
    }
}

fn check(value: &Value, long: bool, min: Option<u32>, max: Option<u32>, pattern: Option<&Pattern>) -> Checked {
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
    let normalized: std::borrow::Cow<'_, str> = if long && trimmed.contains('\r') {
        trimmed.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        trimmed.into()
    };
    // Count characters once, stopping early for absurd sizes so a 10 MB value costs little.
    let length = normalized.chars().take(MAX_VALUE_CHARS + 1).count();
    if length > MAX_VALUE_CHARS {
        findings
            .push(Finding::error("too_long").with("max", MAX_VALUE_CHARS).with("length", normalized.chars().count()));
        return Checked::text(value, &normalized, findings);
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
    if normalized.is_empty() {
        return Checked::with(None, findings);
    }
    Checked::text(value, &normalized, findings)
}
