//! Numbers (`number`): JSON numbers or what a person types (full-width digits, thousands
//! separators), exact up to 2^53, normalised to integers where they are whole.
//!
//! Keys: `min`, `max` (finite, `min` ≤ `max`), `integer`.

use serde_json::{Number as JsonNumber, Value};

use super::{type_mismatch, Checked};
use crate::error::SchemaError;
use crate::finding::Finding;
use crate::schema::FieldDef;

/// A compiled number field.
#[derive(Debug)]
pub(crate) struct Number {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
}

/// The keys this family accepts beyond those of every field.
pub(crate) fn accepts(key: &str) -> bool {
    matches!(key, "min" | "max" | "integer")
}

pub(crate) fn compile(def: &FieldDef, path: &str) -> Result<Number, SchemaError> {
    match (def.min, def.max) {
        (Some(a), _) | (_, Some(a)) if !a.is_finite() => {
            Err(SchemaError::new("schema_invalid", format!("{path}.min"), "min and max are finite numbers"))
        }
        (Some(a), Some(b)) if a > b => {
            Err(SchemaError::new("schema_invalid", format!("{path}.min"), "min is larger than max"))
        }
        _ => Ok(Number { min: def.min, max: def.max, integer: def.integer }),
    }
}

impl Number {
    pub(crate) fn check(&self, value: &Value) -> Checked {
        number(value, self.min, self.max, self.integer)
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let t: String = crate::ident::normalize::half_width(text).chars().filter(|c| *c != ',' && *c != ' ').collect();
    if t.is_empty()
        || t.len() > 40
        || !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// The largest magnitude below which a double holds every integer exactly (2^53 - 1).
const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

fn number(value: &Value, min: Option<f64>, max: Option<f64>, integer: bool) -> Checked {
    let n = match value {
        // An integer past 2^53 is refused below; `as_f64` would round it first, so compare exactly.
        Value::Number(n) if n.as_u64().is_some_and(|u| u > 1 << 53) => Some(f64::INFINITY),
        Value::Number(n) if n.as_i64().is_some_and(|i| i.unsigned_abs() > 1 << 53) => Some(f64::NEG_INFINITY),
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => return Checked::with(None, Vec::new()),
        Value::String(s) => match parse_number(s) {
            Some(n) => Some(n),
            None => return Checked::with(None, vec![Finding::error("not_a_number").with("value", s.trim())]),
        },
        other => return Checked::with(None, vec![type_mismatch("number", other)]),
    };
    let Some(n) = n else {
        return Checked::with(None, vec![type_mismatch("number", value)]);
    };
    // Past 2^53 a double no longer holds every integer: 9007199254740993 would be read (and
    // sealed) as 9007199254740992. Such a number is refused, and kept as it was given.
    if n.abs() > MAX_EXACT {
        let given = match value {
            Value::String(s) => Value::String(s.trim().to_owned()),
            other => other.clone(),
        };
        return Checked::with(Some(given.clone()), vec![Finding::error("number_not_exact").with("value", given)]);
    }
    let mut findings = Vec::new();
    if integer && n.fract() != 0.0 {
        findings.push(Finding::error("not_an_integer").with("value", n));
    }
    if let Some(min) = min {
        if n < min {
            findings.push(Finding::error("number_too_small").with("min", min).with("value", n));
        }
    }
    if let Some(max) = max {
        if n > max {
            findings.push(Finding::error("number_too_large").with("max", max).with("value", n));
        }
    }
    // Keep integers integral in the normalised data (`3`, not `3.0`).
    let normalized = if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Value::Number(JsonNumber::from(n as i64))
    } else {
        JsonNumber::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    };
    Checked::with(Some(normalized), findings)
}
