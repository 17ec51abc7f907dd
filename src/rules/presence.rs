//! Required, required-if and forbidden-if, and tick-boxes that must be ticked. A missing value is
//! absent, `null`, an empty or blank string, an empty list or an empty group; `false` is a value
//! (a tick-box that must be ticked says `must_be_ticked` instead of `required`).
//!
//! Keys (every field has them): `required`, `required_if`, `forbidden_if` (conditions, compiled
//! in `schema/condition.rs`), `severity` (of a missing value).

use serde_json::Value;

use crate::finding::{Finding, Severity};
use crate::schema::{Field, Kind};

/// The finding for a field that is required (or conditionally required) and has `value`.
pub(crate) fn missing(field: &Field, value: Option<&Value>, required: bool) -> Option<Finding> {
    if !required {
        return None;
    }
    let boolean = matches!(field.kind, Kind::Boolean);
    match value {
        None if boolean => Some(Finding::new("must_be_ticked", field.severity)),
        None => Some(Finding::new("required", field.severity)),
        Some(Value::Bool(false)) if boolean => Some(Finding::new("must_be_ticked", field.severity)),
        Some(_) => None,
    }
}

/// The finding for a field that must be left empty but has a value.
pub(crate) fn forbidden() -> Finding {
    Finding::new("forbidden", Severity::Error)
}
