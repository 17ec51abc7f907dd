//! The normalised data as validation holds it: an overlay on the input document. A value the
//! checks left as it was is borrowed from the input; only a value that changed is owned; groups
//! and lists hold their fields by slot ([`FieldId`]), in form order. Nothing is copied into a
//! `serde_json::Value` until the normalised data is asked for ([`Normalized::to_value`]) or
//! serialised ([`Shown`]).
//!
//! While conditions and rules read it, list items that were empty stay in place as holes (so
//! indices stay the ones the person sees, and a condition sees them as `null`, as it always
//! has); the normalised data leaves them out.

use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::{Map, Value};

use crate::schema::{FieldId, Form};

/// A normalised value: see the module's documentation.
#[derive(Debug)]
pub(crate) enum Normalized<'d> {
    /// A value exactly as the input holds it.
    Same(&'d Value),
    /// A value the checks changed (trimmed, folded, put in its canonical form).
    New(Value),
    /// A group, or the document: its fields present, by slot, in form order (slots increase).
    Group(Members<'d>),
    /// A list: its items in order, `None` for an item that was empty.
    List(Vec<Option<Normalized<'d>>>),
}

/// The fields present in a group, by slot, in form order.
pub(crate) type Members<'d> = Vec<(FieldId, Normalized<'d>)>;

/// What a hole in a list reads as.
static NULL: Value = Value::Null;

/// The field `id` among `members`.
pub(crate) fn member<'a, 'd>(members: &'a [(FieldId, Normalized<'d>)], id: FieldId) -> Option<&'a Normalized<'d>> {
    members.binary_search_by_key(&id, |(m, _)| *m).ok().and_then(|i| members.get(i)).map(|(_, v)| v)
}

/// The field `id` among `members`, to change it.
pub(crate) fn member_mut<'a, 'd>(
    members: &'a mut [(FieldId, Normalized<'d>)],
    id: FieldId,
) -> Option<&'a mut Normalized<'d>> {
    let i = members.binary_search_by_key(&id, |(m, _)| *m).ok()?;
    members.get_mut(i).map(|(_, v)| v)
}

impl<'d> Normalized<'d> {
    /// The value when it is one JSON value (not a group or list of fields).
    pub fn value(&self) -> Option<&Value> {
        match self {
            Normalized::Same(v) => Some(v),
            Normalized::New(v) => Some(v),
            Normalized::Group(_) | Normalized::List(_) => None,
        }
    }

    /// The fields of a group.
    pub fn members(&self) -> Option<&[(FieldId, Normalized<'d>)]> {
        match self {
            Normalized::Group(m) => Some(m),
            _ => None,
        }
    }

    /// Whether it counts as empty for a condition (`false` is a value, not empty).
    pub fn is_empty(&self) -> bool {
        match self {
            Normalized::Same(v) => crate::schema::is_empty(v),
            Normalized::New(v) => crate::schema::is_empty(v),
            Normalized::Group(m) => m.is_empty(),
            Normalized::List(items) => items.is_empty(),
        }
    }

    /// The items a condition looks into, when it is a list or an array value: holes read as
    /// `null`; a group item is passed as `None` (it equals no scalar, and conditions compare
    /// scalars only).
    pub fn items(&self) -> Option<Items<'_, 'd>> {
        match self {
            Normalized::List(items) => Some(Items::List(items.iter())),
            Normalized::Same(Value::Array(items)) => Some(Items::Array(items.iter())),
            Normalized::New(Value::Array(items)) => Some(Items::Array(items.iter())),
            _ => None,
        }
    }

    /// How many items [`Normalized::items`] gives.
    pub fn len(&self) -> Option<usize> {
        match self {
            Normalized::List(items) => Some(items.len()),
            Normalized::Same(Value::Array(items)) => Some(items.len()),
            Normalized::New(Value::Array(items)) => Some(items.len()),
            _ => None,
        }
    }

    /// The value as the normalised data has it: holes left out.
    pub fn to_value(&self, form: &Form) -> Value {
        self.build(form, false)
    }

    /// [`Normalized::to_value`], moving what is owned instead of copying it.
    pub fn into_value(self, form: &Form) -> Value {
        match self {
            Normalized::Same(v) => without_holes(v.clone(), false),
            Normalized::New(v) => without_holes(v, false),
            Normalized::Group(members) => {
                let mut out = Map::new();
                for (id, v) in members {
                    if let Some(field) = form.field(id) {
                        out.insert(field.name.clone(), v.into_value(form));
                    }
                }
                Value::Object(out)
            }
            Normalized::List(items) => Value::Array(items.into_iter().flatten().map(|v| v.into_value(form)).collect()),
        }
    }

    /// The value as conditions and rules see it while validating: holes as `null`.
    pub fn snapshot(&self, form: &Form) -> Value {
        self.build(form, true)
    }

    fn build(&self, form: &Form, holes: bool) -> Value {
        match self {
            Normalized::Same(v) => without_holes((*v).clone(), holes),
            Normalized::New(v) => without_holes(v.clone(), holes),
            Normalized::Group(members) => {
                let mut out = Map::new();
                for (id, v) in members {
                    if let Some(field) = form.field(*id) {
                        out.insert(field.name.clone(), v.build(form, holes));
                    }
                }
                Value::Object(out)
            }
            Normalized::List(items) => Value::Array(
                items
                    .iter()
                    .filter_map(|item| match item {
                        Some(v) => Some(v.build(form, holes)),
                        None => holes.then_some(Value::Null),
                    })
                    .collect(),
            ),
        }
    }

    /// Whether two normalised values are equal, as the values conditions and rules see.
    pub fn same_as(&self, other: &Normalized<'_>, form: &Form) -> bool {
        match (self.value(), other.value()) {
            (Some(a), Some(b)) => a == b,
            // Groups and lists (rarely compared) as the JSON they stand for.
            _ => self.snapshot(form) == other.snapshot(form),
        }
    }
}

/// The normalised data keeps no holes, at any depth, also inside values given whole (a selection
/// of options, an attachment's metadata).
fn without_holes(mut value: Value, holes: bool) -> Value {
    if !holes {
        drop_holes(&mut value);
    }
    value
}

fn drop_holes(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.retain(|v| !v.is_null());
            items.iter_mut().for_each(drop_holes);
        }
        Value::Object(o) => o.values_mut().for_each(drop_holes),
        _ => {}
    }
}

/// The items of a list or an array value (see [`Normalized::items`]).
pub(crate) enum Items<'a, 'd> {
    List(std::slice::Iter<'a, Option<Normalized<'d>>>),
    Array(std::slice::Iter<'a, Value>),
}

impl<'a> Iterator for Items<'a, '_> {
    type Item = Option<&'a Value>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Items::List(it) => it.next().map(|item| match item {
                None => Some(&NULL),
                Some(v) => v.value(),
            }),
            Items::Array(it) => it.next().map(Some),
        }
    }
}

/// The normalised data serialised as the JSON it stands for, without building it: objects with
/// their keys in the order a `serde_json::Map` keeps them (sorted), holes left out.
pub(crate) struct Shown<'a, 'd> {
    pub form: &'a Form,
    pub value: &'a Normalized<'d>,
}

impl serde::Serialize for Shown<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Normalized::Same(v) => Holeless(v).serialize(serializer),
            Normalized::New(v) => Holeless(v).serialize(serializer),
            Normalized::Group(members) => {
                let mut names: Vec<(&str, &Normalized<'_>)> =
                    members.iter().filter_map(|(id, v)| self.form.field(*id).map(|f| (f.name.as_str(), v))).collect();
                names.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let mut map = serializer.serialize_map(Some(names.len()))?;
                for (name, v) in names {
                    map.serialize_entry(name, &Shown { form: self.form, value: v })?;
                }
                map.end()
            }
            Normalized::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.iter().flatten().count()))?;
                for v in items.iter().flatten() {
                    seq.serialize_element(&Shown { form: self.form, value: v })?;
                }
                seq.end()
            }
        }
    }
}

/// A JSON value serialised with its holes (`null` in arrays) left out, as [`drop_holes`] does.
struct Holeless<'a>(&'a Value);

impl serde::Serialize for Holeless<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.iter().filter(|v| !v.is_null()).count()))?;
                for v in items.iter().filter(|v| !v.is_null()) {
                    seq.serialize_element(&Holeless(v))?;
                }
                seq.end()
            }
            Value::Object(o) => {
                let mut map = serializer.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    map.serialize_entry(k, &Holeless(v))?;
                }
                map.end()
            }
            other => other.serialize(serializer),
        }
    }
}
