//! Choices (`choice`): one option, or with `multiple` a selection, as a portal sends them from
//! selects, radios and check-box groups, as strings (from `FormData`) or as JSON values.
//!
//! Keys: `options` (values unique, non-empty, no surrounding spaces; at most
//! `limits::MAX_OPTIONS`), `multiple`, and with `multiple` `min_items` / `max_items`.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::{as_text, type_mismatch, Checked};
use crate::error::SchemaError;
use crate::finding::Finding;
use crate::limits;
use crate::messages::Localized;
use crate::schema::FieldDef;

/// A compiled choice.
#[derive(Debug)]
pub(crate) struct Choice {
    pub options: Vec<ChoiceOption>,
    /// Each option's value to its position, so a choice is looked up by hash, never scanned.
    pub positions: HashMap<String, usize>,
    pub multiple: bool,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
}

#[derive(Debug)]
pub(crate) struct ChoiceOption {
    pub value: String,
    pub label: Localized,
}

/// The keys this family accepts beyond those of every field.
pub(crate) fn accepts(def: &FieldDef, key: &str) -> bool {
    match key {
        "options" | "multiple" => true,
        "min_items" | "max_items" => def.multiple,
        _ => false,
    }
}

pub(crate) fn compile(def: &FieldDef, path: &str) -> Result<Choice, SchemaError> {
    super::structure::check_items(def, path)?;
    let defs = def.options.as_deref().unwrap_or_default();
    if defs.is_empty() {
        return Err(SchemaError::new(
            "schema_invalid",
            format!("{path}.options"),
            "a choice needs at least one option",
        ));
    }
    if defs.len() > limits::MAX_OPTIONS {
        return Err(SchemaError::new(
            "schema_limit",
            format!("{path}.options"),
            format!("a choice has at most {} options", limits::MAX_OPTIONS),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut options = Vec::with_capacity(defs.len());
    for (i, o) in defs.iter().enumerate() {
        if o.value.trim().is_empty() || o.value.trim() != o.value || !seen.insert(o.value.clone()) {
            return Err(SchemaError::new(
                "schema_invalid",
                format!("{path}.options[{i}].value"),
                "option values are non-empty, unique and untrimmed-free",
            ));
        }
        options.push(ChoiceOption { value: o.value.clone(), label: o.label.clone() });
    }
    let positions = options.iter().enumerate().map(|(i, o)| (o.value.clone(), i)).collect();
    Ok(Choice { options, positions, multiple: def.multiple, min_items: def.min_items, max_items: def.max_items })
}

impl Choice {
    pub(crate) fn check(&self, value: &Value) -> Checked {
        choice(value, &self.options, &self.positions, self.multiple, self.min_items, self.max_items)
    }
}

/// A choice: one option, or for `multiple` a selection of options normalised to the
/// definition's order without repeats. Options are looked up by hash and a selection reads at
/// most [`limits::MAX_LIST_ITEMS`] items, so the work is linear in the options and the items.
fn choice(
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
        // An option given exactly as the definition spells it is kept as given.
        return match one(value, &mut findings) {
            Some(p) if options.get(p).is_some_and(|o| value.as_str() == Some(o.value.as_str())) => {
                Checked::same(findings)
            }
            p => Checked::with(p.and_then(value_at), findings),
        };
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
