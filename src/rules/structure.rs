//! Structure: groups (`group`, an object of fields) and lists (`list` of an `item` field, or a
//! `group` with `repeatable`). Its compile step compiles the fields inside through the walk in
//! `schema/`; the walk over data (`validate.rs`) calls its checks for a list as a whole.
//!
//! Keys: `fields` and `repeatable` (groups); `item` and `unique` (lists); `min_items` and
//! `max_items` (lists and repeatable groups; at most `limits::MAX_LIST_ITEMS`).

use serde_json::Value;

use crate::error::SchemaError;
use crate::finding::Finding;
use crate::limits;
use crate::normalized::Normalized;
use crate::schema::{Compiler, FieldDef, FieldId, Form, Kind, KindName};

/// A compiled list: its item is a field of its own (no name; its paths end in an index).
#[derive(Debug)]
pub(crate) struct List {
    pub item: FieldId,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
    pub unique: bool,
}

/// The keys this family accepts beyond those of every field.
pub(crate) fn accepts(def: &FieldDef, key: &str) -> bool {
    let list = def.kind == KindName::List;
    match key {
        "item" | "unique" => list,
        "fields" | "repeatable" => !list,
        "min_items" | "max_items" => list || def.repeatable,
        _ => false,
    }
}

/// `min_items` ≤ `max_items` ≤ the list limit (lists, repeatable groups, multiple choices).
pub(crate) fn check_items(def: &FieldDef, path: &str) -> Result<(), SchemaError> {
    if let (Some(a), Some(b)) = (def.min_items, def.max_items) {
        if a > b {
            return Err(SchemaError::new(
                "schema_invalid",
                format!("{path}.min_items"),
                "min_items is larger than max_items",
            ));
        }
    }
    if let Some(max) = def.max_items {
        if max as usize > limits::MAX_LIST_ITEMS {
            return Err(SchemaError::new(
                "schema_limit",
                format!("{path}.max_items"),
                format!("lists hold at most {} items", limits::MAX_LIST_ITEMS),
            ));
        }
    }
    Ok(())
}

pub(crate) fn compile_list(
    c: &mut Compiler,
    def: &FieldDef,
    path: &str,
    depth: usize,
    id: FieldId,
) -> Result<Kind, SchemaError> {
    check_items(def, path)?;
    let Some(item) = &def.item else {
        return Err(SchemaError::new("schema_invalid", format!("{path}.item"), "a list needs an `item` field"));
    };
    if item.name.is_some() {
        return Err(SchemaError::new("schema_invalid", format!("{path}.item.name"), "a list item has no name"));
    }
    if item.required_if.is_some() || item.forbidden_if.is_some() {
        return Err(SchemaError::new(
            "schema_invalid",
            format!("{path}.item"),
            "conditions belong on the list, not its item",
        ));
    }
    let basis = c.field_mut(id).and_then(|f| f.basis.clone());
    let item_id =
        c.field(item, String::new(), &format!("{path}.item"), basis.as_deref(), depth + 1, Some(id), 0, true)?;
    let unlabelled = c.field_mut(item_id).is_some_and(|f| f.label.zh_cn.is_empty());
    if unlabelled {
        let list_label = def.label.clone().unwrap_or_default();
        let mut inner = Vec::new();
        if let Some(f) = c.field_mut(item_id) {
            f.label = list_label.clone();
            f.full_label = list_label.clone();
            if let Kind::Group(scope) = &f.kind {
                inner.clone_from(&scope.fields);
            }
        }
        if def.label.is_some() {
            c.qualify(&inner, &list_label);
        }
    }
    Ok(Kind::List(List { item: item_id, min_items: def.min_items, max_items: def.max_items, unique: def.unique }))
}

pub(crate) fn compile_group(
    c: &mut Compiler,
    def: &FieldDef,
    path: &str,
    depth: usize,
    id: FieldId,
) -> Result<Kind, SchemaError> {
    check_items(def, path)?;
    let defs = def.fields.as_deref().unwrap_or_default();
    if defs.is_empty() {
        return Err(SchemaError::new("schema_invalid", format!("{path}.fields"), "a group needs at least one field"));
    }
    let basis = c.field_mut(id).and_then(|f| f.basis.clone());
    if !def.repeatable {
        let scope = c.scope(defs, &format!("{path}.fields"), basis.as_deref(), depth + 1, Some(id))?;
        if let Some(group_label) = &def.label {
            c.qualify(&scope.fields, group_label);
        }
        return Ok(Kind::Group(scope));
    }
    // A repeatable group is a list whose item is the group.
    let label = def.label.clone().unwrap_or_default();
    let item_id = c.reserve(String::new(), label, basis.clone(), Some(id), 0, true);
    let scope = c.scope(defs, &format!("{path}.fields"), basis.as_deref(), depth + 1, Some(item_id))?;
    if let Some(group_label) = &def.label {
        c.qualify(&scope.fields, group_label);
    }
    if let Some(f) = c.field_mut(item_id) {
        f.kind = Kind::Group(scope);
    }
    Ok(Kind::List(List { item: item_id, min_items: def.min_items, max_items: def.max_items, unique: false }))
}

impl List {
    /// `too_few_items` / `too_many_items` for `count` items that are not empty.
    pub(crate) fn count(&self, count: usize) -> impl Iterator<Item = Finding> {
        let few = self
            .min_items
            .filter(|min| count < *min as usize)
            .map(|min| Finding::error("too_few_items").with("min", min).with("count", count));
        let many = self
            .max_items
            .filter(|max| count > *max as usize)
            .map(|max| Finding::error("too_many_items").with("max", max).with("count", count));
        few.into_iter().chain(many)
    }
}

/// Lists this short are compared item by item: hashing them would cost more than it saves.
const COMPARE_AT_MOST: usize = 16;

/// The items of a `unique` list that repeat an earlier one, each with the index of its first
/// occurrence. Holes (items left empty) are not compared. Items are compared as the JSON they
/// stand for; a short list of plain values without building any.
pub(crate) fn duplicates(items: &[Option<Normalized<'_>>], form: &Form) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if items.len() <= COMPARE_AT_MOST {
        // Plain values are compared where they are; groups and lists as JSON values, made once.
        let made: Vec<Option<Value>> = if items.iter().flatten().all(|v| v.value().is_some()) {
            Vec::new()
        } else {
            items.iter().map(|v| v.as_ref().map(|v| v.snapshot(form))).collect()
        };
        let value = |i: usize| -> Option<&Value> {
            match made.get(i) {
                Some(v) => v.as_ref(),
                None => items.get(i).and_then(Option::as_ref).and_then(Normalized::value),
            }
        };
        for i in 0..items.len() {
            let Some(v) = value(i) else { continue };
            if let Some(first) = (0..i).position(|e| value(e) == Some(v)) {
                out.push((i, first));
            }
        }
        return out;
    }
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, v) in items.iter().enumerate() {
        let Some(v) = v else { continue };
        match seen.entry(v.snapshot(form).to_string()) {
            std::collections::hash_map::Entry::Occupied(first) => out.push((i, *first.get())),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    out
}
