//! The verifier's half of "a receiver stores only what the rules produce": from a payload's data
//! and warnings, an input that the sealer would have turned into exactly that payload.
//!
//! A payload's data is the normalised data of what the person typed, and its warnings are the ones
//! they were shown for what they typed. Most warnings are about the normalised value itself (a
//! confusable domain, a late filing) and come back when the normalised data is validated again.
//! A few are about what normalising *changed*, and validating the normalised data gives them no
//! more:
//!
//! | code | what normalising did | undone by |
//! |---|---|---|
//! | `unknown_field` | dropped a field the form (or an attachment) does not have | putting the field back (value `null`) |
//! | `too_many_unknown_fields` | dropped more than 20 such fields, reported as a count | putting back as many |
//! | `url_scheme_added` | wrote `http://` in front of a URL typed without a scheme | removing `http://` |
//! | `resident_id_legacy_15` | converted a 15-digit ID number to 18 digits | converting it back |
//! | `icp_police_abbreviation` | replaced a police-style province abbreviation in an ICP number | putting the police one back |
//! | `bidi_controls_removed` | dropped the bidi controls from a text | appending as many (U+2066) |
//!
//! [`input_before_normalising`] undoes each change a payload's warning names. The verifier then
//! validates that input: it must give back the same data and exactly the same warnings, in order,
//! with the same messages. A warning that cannot be undone (its path holds no such value, its
//! message is not the catalogue's) is one no sealer gave. A warning code added to the rules that
//! reports a change made by normalising must be added here, or seals carrying it are refused.

use serde_json::{Map, Value};

use super::envelope::ShownWarning;
use crate::ident::filing_number::ICP_POLICE_VARIANTS;
use crate::{limits, messages, Locale};

/// The warning codes that report a change made by normalising (an unknown field dropped, `http://`
/// added, …): verify undoes each before validating again. Public so that fuzz targets and receivers
/// use this list rather than a copy.
pub const INPUT_WARNINGS: [&str; 6] = [
    "unknown_field",
    "too_many_unknown_fields",
    "url_scheme_added",
    "resident_id_legacy_15",
    "icp_police_abbreviation",
    "bidi_controls_removed",
];

/// Most unknown fields put back for one `too_many_unknown_fields` warning: as many as a data
/// document within [`limits::MAX_DATA_BYTES`] can hold (each takes at least `"":0,`, 5 bytes, and
/// a 1-byte name more for all but one). This bounds the verifier's work for a claimed count.
pub const MAX_RESTORED_UNKNOWN_FIELDS: usize = limits::MAX_DATA_BYTES / 6;

/// A warning of the payload names a change that cannot be undone: no sealer gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUndoable;

/// The value of the one placeholder `{name}` of `code`'s template in `message`, when `message` is
/// that template filled in.
fn placeholder_value<'m>(code: &str, name: &str, message: &'m str, locale: Locale) -> Option<&'m str> {
    let template = messages::template(code, locale)?;
    let (before, after) = template.split_once(&format!("{{{name}}}"))?;
    if before.contains('{') || after.contains('{') {
        return None;
    }
    message.strip_prefix(before)?.strip_suffix(after)
}

enum Segment<'p> {
    Name(&'p str),
    Index(usize),
}

/// `a.b[2].c` as segments; `None` for a path that is not one of field names and indices.
fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    if path.is_empty() {
        return Some(out);
    }
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if name.is_empty() {
            return None;
        }
        out.push(Segment::Name(name));
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index = rest.get(1..close)?;
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            out.push(Segment::Index(index.parse().ok()?));
            rest = rest.get(close + 1..)?;
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    Some(out)
}

/// The value at `path`, if there is one.
fn at_path<'v>(root: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut current = root;
    for segment in segments(path)? {
        current = match (segment, current) {
            (Segment::Name(n), Value::Object(o)) => o.get_mut(n)?,
            (Segment::Index(i), Value::Array(a)) => a.get_mut(i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The object at `path`, created (empty) where a named member is missing: a group that held only
/// unknown fields is absent from the normalised data.
fn object_at<'v>(root: &'v mut Value, path: &str) -> Option<&'v mut Map<String, Value>> {
    let mut current = root;
    for segment in segments(path)? {
        current = match (segment, current) {
            (Segment::Name(n), Value::Object(o)) => o.entry(n).or_insert_with(|| Value::Object(Map::new())),
            (Segment::Index(i), Value::Array(a)) => a.get_mut(i)?,
            _ => return None,
        };
    }
    current.as_object_mut()
}

/// Puts back the unknown field a `unknown_field` warning reports.
fn restore_unknown_field(input: &mut Value, warning: &ShownWarning, locale: Locale) -> Result<(), NotUndoable> {
    let name = placeholder_value("unknown_field", "name", &warning.message, locale).ok_or(NotUndoable)?;
    // An attachment's unknown member is reported at the attachment's own path.
    let object = match at_path(input, &warning.path) {
        Some(Value::Object(attachment)) => attachment,
        Some(_) => return Err(NotUndoable),
        None => {
            let prefix = if warning.path == name {
                ""
            } else {
                warning.path.strip_suffix(name).and_then(|p| p.strip_suffix('.')).ok_or(NotUndoable)?
            };
            object_at(input, prefix).ok_or(NotUndoable)?
        }
    };
    if object.contains_key(name) {
        return Err(NotUndoable);
    }
    object.insert(name.to_owned(), Value::Null);
    Ok(())
}

/// Puts back the fields a `too_many_unknown_fields` warning counts, beyond the ones reported by
/// name (already put back), under names that sort after them.
fn restore_unknown_count(input: &mut Value, warning: &ShownWarning, locale: Locale) -> Result<(), NotUndoable> {
    let count = placeholder_value("too_many_unknown_fields", "count", &warning.message, locale)
        .and_then(|c| c.parse::<usize>().ok())
        .ok_or(NotUndoable)?;
    let Some(more) = count.checked_sub(limits::MAX_UNKNOWN_FIELDS_REPORTED).filter(|m| *m > 0) else {
        return Err(NotUndoable);
    };
    if more > MAX_RESTORED_UNKNOWN_FIELDS {
        return Err(NotUndoable);
    }
    let object = match at_path(input, &warning.path) {
        Some(Value::Object(o)) => o,
        _ => return Err(NotUndoable),
    };
    for i in 0..more {
        let name = format!("\u{10FFFF}{i:07}");
        if object.insert(name, Value::Null).is_some() {
            return Err(NotUndoable);
        }
    }
    Ok(())
}

fn text_at<'v>(input: &'v mut Value, path: &str) -> Result<&'v mut String, NotUndoable> {
    match at_path(input, path) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(NotUndoable),
    }
}

/// From a payload's data and warnings, the input the sealer would have turned into them: the data
/// with every change a warning reports undone. `Ok(None)` when no warning reports a change (the
/// data is its own input).
pub fn input_before_normalising(
    data: &Value,
    warnings: &[ShownWarning],
    locale: Locale,
) -> Result<Option<Value>, NotUndoable> {
    if !warnings.iter().any(|w| INPUT_WARNINGS.contains(&w.code.as_str())) {
        return Ok(None);
    }
    let mut input = data.clone();
    // Unknown fields reported by name first: a count is of the ones beyond them.
    for warning in warnings {
        match warning.code.as_str() {
            "unknown_field" => restore_unknown_field(&mut input, warning, locale)?,
            "url_scheme_added" => {
                let url = text_at(&mut input, &warning.path)?;
                *url = url.strip_prefix("http://").ok_or(NotUndoable)?.to_owned();
            }
            "resident_id_legacy_15" => {
                let id = text_at(&mut input, &warning.path)?;
                if id.len() != 18 || !id.is_ascii() || id.get(6..8) != Some("19") {
                    return Err(NotUndoable);
                }
                *id = format!("{}{}", id.get(..6).unwrap_or_default(), id.get(8..17).unwrap_or_default());
            }
            "icp_police_abbreviation" => {
                let number = text_at(&mut input, &warning.path)?;
                let mut chars = number.chars();
                let first = chars.next().ok_or(NotUndoable)?;
                let (police, _) = ICP_POLICE_VARIANTS.iter().find(|(_, icp)| *icp == first).ok_or(NotUndoable)?;
                *number = format!("{police}{}", chars.as_str());
            }
            "bidi_controls_removed" => {
                let count = placeholder_value("bidi_controls_removed", "count", &warning.message, locale)
                    .and_then(|c| c.parse::<usize>().ok())
                    .filter(|c| (1..=limits::MAX_VALUE_CHARS).contains(c))
                    .ok_or(NotUndoable)?;
                let text = text_at(&mut input, &warning.path)?;
                // Where they stood cannot be known and does not matter: the rule drops them all.
                text.extend(std::iter::repeat_n('\u{2066}', count));
            }
            _ => {}
        }
    }
    for warning in warnings.iter().filter(|w| w.code == "too_many_unknown_fields") {
        restore_unknown_count(&mut input, warning, locale)?;
    }
    Ok(Some(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_as_names_and_indices() {
        let ok = |p: &str| segments(p).map(|s| s.len());
        assert_eq!(ok(""), Some(0));
        assert_eq!(ok("a.b[2].c"), Some(4));
        assert_eq!(ok("a[1][2]"), Some(3));
        for bad in ["a.", ".a", "a[", "a[]", "a[x]", "a[1]b", "a..b", "[1]"] {
            assert!(segments(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_placeholder_is_read_back_from_its_message() {
        let message = messages::render(
            "unknown_field",
            &serde_json::json!({"name": "备注"}).as_object().cloned().unwrap_or_default(),
            Locale::ZhCn,
        );
        assert_eq!(placeholder_value("unknown_field", "name", &message, Locale::ZhCn), Some("备注"));
        assert_eq!(placeholder_value("unknown_field", "name", "已审核通过", Locale::ZhCn), None);
    }
}
