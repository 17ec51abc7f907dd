//! Reading a data document from bytes, with the limits of `limits.rs`: size, UTF-8, JSON,
//! nesting depth, no key given twice, and an object at the top. A document that passes is handed to
//! [`crate::Form::validate`], which never fails on it.

use serde_json::Value;

use crate::error::DataError;
use crate::json::JsonError;
use crate::limits;

/// The deepest nesting of `[` / `{` in `text`, outside strings. Linear, no allocation, stops
/// counting once `limit` is passed.
fn nesting_depth(text: &[u8], limit: usize) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return max;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parses one JSON value from bytes within the same limits as [`parse_data`] (size, UTF-8,
/// depth), whatever its type: a single field's value as a person types it.
pub fn parse_value(bytes: &[u8]) -> Result<Value, DataError> {
    if bytes.len() > limits::MAX_DATA_BYTES {
        return Err(DataError::new(
            "data_too_large",
            format!("{} bytes; the limit is {}", bytes.len(), limits::MAX_DATA_BYTES),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| DataError::new("data_not_utf8", format!("not UTF-8 text (byte {})", e.valid_up_to())))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if nesting_depth(text.as_bytes(), limits::MAX_DATA_DEPTH) > limits::MAX_DATA_DEPTH {
        return Err(DataError::new("data_too_deep", format!("nested deeper than {} levels", limits::MAX_DATA_DEPTH)));
    }
    crate::json::parse_unique(text).map_err(|e| match e {
        JsonError::Syntax(e) => DataError::new("data_json", format!("not valid JSON: {e}")),
        JsonError::DuplicateKey(path) => {
            DataError::new("data_duplicate_key", format!("the key {path} is given twice; give each field once"))
        }
    })
}

/// Parses form data from bytes: at most [`limits::MAX_DATA_BYTES`], UTF-8, JSON, nested at most
/// [`limits::MAX_DATA_DEPTH`] deep, an object at the top.
pub fn parse_data(bytes: &[u8]) -> Result<Value, DataError> {
    let value = parse_value(bytes)?;
    if !value.is_object() {
        return Err(DataError::new("data_not_object", "form data is a JSON object of field names to values"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(br#"{"a":"[[[{{{","b":[1,[2]]}"#, 100), 3);
        assert_eq!(nesting_depth(br#"{"a":"\"[["}"#, 100), 1);
    }
}
