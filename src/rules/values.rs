//! Choices, booleans and numbers: the values a portal sends from selects, radios, tick-boxes
//! and number inputs, as strings (from `FormData`) or as JSON values.

use std::collections::HashMap;

use serde_json::{Number, Value};

use super::{as_text, type_mismatch, Checked};
use crate::finding::Finding;
use crate::limits;
use crate::schema::ChoiceOption;

/// A choice: one option, or for `multiple` a selection of options normalised to the
/// definition's order without repeats. Options are looked up by hash and a selection reads at
/// most [`limits::MAX_LIST_ITEMS`] items, so the work is linear in the options and the items.
pub(crate) fn choice(
    value: &Value,
    options: &[ChoiceOption],
    positions: &HashMap<String, usize>,
    multiple: bool,
    min_items: Option<u32>,
    max_items: Option<u32>,
) -> Checked {
    let mut findings = Vec::new();
    let one = |v: &Value, findings: &mut Vec<Finding>| -> Option<usize> {
        let Some(text) = as_text(v) else {
            findings.push(type_mismatch("choice", v));
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match positions.get(text) {
            Some(position) => Some(*position),
            None => {
                findings.push(Finding::error("not_an_option").with("value", text));
                None
            }
        }
    };
    let value_at = |position: usize| options.get(position).map(|o| Value::String(o.value.clone()));
    if !multiple {
        if value.is_array() {
            return Checked::with(None, vec![type_mismatch("choice", value)]);
        }
        let v = one(value, &mut findings).and_then(value_at);
        return Checked::with(v, findings);
    }
    let items: &[Value] = match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    };
    let mut chosen = vec![false; options.len()];
    for item in items.iter().take(limits::MAX_LIST_ITEMS) {
        if let Some(slot) = one(item, &mut findings).and_then(|p| chosen.get_mut(p)) {
            *slot = true;
        }
    }
    if items.len() > limits::MAX_LIST_ITEMS {
        findings.push(Finding::error("too_many_items").with("max", limits::MAX_LIST_ITEMS).with("count", items.len()));
    }
    // Chosen values keep the definition's order so equal selections normalise equally.
    let chosen: Vec<Value> =
        chosen.iter().enumerate().filter(|(_, c)| **c).filter_map(|(position, _)| value_at(position)).collect();
    if chosen.is_empty() {
        return Checked::with(None, findings);
    }
    if let Some(min) = min_items {
        if chosen.len() < min as usize {
            findings.push(Finding::error("too_few_items").with("min", min).with("count", chosen.len()));
        }
    }
    if let Some(max) = max_items {
        if chosen.len() > max as usize {
            findings.push(Finding::error("too_many_items").with("max", max).with("count", chosen.len()));
        }
    }
    Checked::with(Some(Value::Array(chosen)), findings)
}

pub(crate) fn boolean(value: &Value) -> Checked {
    match value {
        Value::Bool(b) => Checked::ok(Value::Bool(*b)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "1" | "yes" | "是" => Checked::ok(Value::Bool(true)),
            "false" | "off" | "0" | "no" | "否" => Checked::ok(Value::Bool(false)),
            "" => Checked::with(None, Vec::new()),
            _ => Checked::with(None, vec![type_mismatch("boolean", value)]),
        },
        Value::Number(n) if n.as_u64() == Some(1) => Checked::ok(Value::Bool(true)),
        Value::Number(n) if n.as_u64() == Some(0) => Checked::ok(Value::Bool(false)),
        other => Checked::with(None, vec![type_mismatch("boolean", other)]),
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

pub(crate) fn number(value: &Value, min: Option<f64>, max: Option<f64>, integer: bool) -> Checked {
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
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    };
    Checked::with(Some(normalized), findings)
}
