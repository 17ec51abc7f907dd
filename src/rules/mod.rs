//! Rule families, one room per family: each module owns the definition keys it accepts, its
//! compile step (called by the walk in `schema/`) and its check step (called by the walk over data
//! in `validate.rs`). None of them knows about paths, legal bases or messages: a check returns
//! the normalised value and its findings, and a rule reports through [`crate::validate::RuleAt`].
//!
//! | module | family | keys |
//! |---|---|---|
//! | `presence` | required, required-if, forbidden-if, tick-boxes | `required`, `required_if`, `forbidden_if`, `severity` |
//! | `text` | text and long text: length in characters, patterns, control characters | `min_length`, `max_length`, `pattern`, `pattern_message` |
//! | `choice` | choices, single or multiple | `options`, `multiple`, `min_items`, `max_items` |
//! | `number` | numbers | `min`, `max`, `integer` |
//! | `boolean` | tick-boxes and yes/no | |
//! | `dates` | dates and date-times, and how they compare | |
//! | `identifier` | identifier kinds, delegating to `crate::ident` | |
//! | `attachment` | attachment metadata | `media_types`, `max_size` |
//! | `structure` | groups and lists | `fields`, `repeatable`, `item`, `unique`, `min_items`, `max_items` |
//! | `cross_field` | same-as, differs-from, not-after, not-in-future, certificate by type, type by nature | `field`, `other`, `type_field`, `number_field`, `kinds`, `nature_field`, `allowed` |
//! | `deadline` | deadlines, relative or fixed | `after`, `within`, `deadline`, `by`, `before`, `at`, `late_basis` |

pub(crate) mod attachment;
pub(crate) mod boolean;
pub(crate) mod choice;
pub(crate) mod cross_field;
pub(crate) mod dates;
pub(crate) mod deadline;
pub(crate) mod identifier;
pub(crate) mod number;
pub(crate) mod presence;
pub(crate) mod structure;
pub(crate) mod text;

use serde_json::Value;

use crate::finding::Finding;

/// What one value check gives: the normalised value and its findings.
pub(crate) struct Checked {
    pub value: Normal,
    pub findings: Vec<Finding>,
}

/// The normalised value a check gives.
#[derive(Debug)]
pub(crate) enum Normal {
    /// Nothing usable was given: the field is left out of the normalised data.
    Absent,
    /// The value as given is already normal: the normalised data borrows it (nothing copied).
    Same,
    /// The value normalised.
    New(Value),
}

impl Checked {
    pub fn ok(value: Value) -> Self {
        Checked { value: Normal::New(value), findings: Vec::new() }
    }

    pub fn with(value: Option<Value>, findings: Vec<Finding>) -> Self {
        Checked { value: value.map_or(Normal::Absent, Normal::New), findings }
    }

    /// The value as given, already normal.
    pub fn same(findings: Vec<Finding>) -> Self {
        Checked { value: Normal::Same, findings }
    }

    /// A text value normalised to `normalized`: the input itself when it is that string already,
    /// so only a value that changed is copied.
    pub fn text(input: &Value, normalized: &str, findings: Vec<Finding>) -> Self {
        if input.as_str() == Some(normalized) {
            Checked::same(findings)
        } else {
            Checked::ok(Value::String(normalized.to_owned())).and(findings)
        }
    }

    /// [`Checked::text`] of a normalised text that may own its string: the input itself when it is
    /// that string already, else that string, moved rather than copied when owned.
    pub fn normal(input: &Value, normalized: std::borrow::Cow<'_, str>, findings: Vec<Finding>) -> Self {
        if input.as_str() == Some(&*normalized) {
            Checked::same(findings)
        } else {
            Checked::ok(Value::String(normalized.into_owned())).and(findings)
        }
    }

    fn and(mut self, findings: Vec<Finding>) -> Self {
        self.findings = findings;
        self
    }
}

/// A `type_mismatch` finding: the value has the wrong JSON type for the field's kind.
pub(crate) fn type_mismatch(expected: &'static str, got: &Value) -> Finding {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    Finding::error("type_mismatch").with("expected", expected).with("got", got)
}

/// Largest integer JavaScript represents exactly (2^53 - 1).
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// Reads a scalar as text the way portals send it: strings as they are, whole numbers in their
/// JSON form (a phone number sent as a number is still a phone number). Numbers beyond 2^53, and
/// fractions, are refused: from JavaScript they have already lost digits (an 18-digit USCC sent
/// as a number arrives wrong), so reading them as text would check a value nobody typed.
pub(crate) fn as_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Number(n) if n.as_u64().is_some_and(|u| u <= MAX_SAFE_INTEGER) => {
            Some(std::borrow::Cow::Owned(n.to_string()))
        }
        _ => None,
    }
}
