//! Conditions (`required_if`, `forbidden_if`, a rule's `when`) and field references.
//!
//! A reference is resolved when the form is compiled, to "so many scopes out, then this dotted
//! path". At validation time the scopes are the normalised objects from the root down to the
//! current list item, so a reference costs a few map look-ups and never searches.
//!
//! Evaluation is linear: an `in` is a hash set, and a list a condition looks into is made a set
//! once per validation ([`ListSets`]), so a test costs the smaller of its values and the list's
//! items. Every part of a condition is bounded when compiled (`limits::MAX_CONDITION_*`).

use std::collections::{HashMap, HashSet};

use serde_json::{Number, Value};

use super::FieldId;
use crate::normalized::{member, Normalized};

/// A resolved field reference: `up` scopes outwards from the current one, then the slots `steps`
/// through groups; the last is the field itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ref {
    pub up: usize,
    pub steps: Vec<FieldId>,
    pub field: FieldId,
}

/// One level of the runtime scope chain: the normalised fields of an object (the document, a
/// group, a list item) and how many list indices lead to it (`validate.rs` keeps the indices).
#[derive(Clone, Copy)]
pub(crate) struct ScopeFrame<'a> {
    pub object: &'a [(FieldId, Normalized<'a>)],
    pub depth: usize,
}

impl Ref {
    /// The frame this reference starts from.
    pub fn frame<'s, 'a>(&self, scopes: &'s [ScopeFrame<'a>]) -> Option<&'s ScopeFrame<'a>> {
        scopes.len().checked_sub(self.up + 1).and_then(|i| scopes.get(i))
    }

    /// The normalised value this reference names, if present.
    pub fn get<'a>(&self, scopes: &[ScopeFrame<'a>]) -> Option<&'a Normalized<'a>> {
        let frame = self.frame(scopes)?;
        let mut steps = self.steps.iter();
        let mut value = member(frame.object, *steps.next()?)?;
        for step in steps {
            value = member(value.members()?, *step)?;
        }
        Some(value)
    }
}

/// A compiled condition.
#[derive(Clone, Debug)]
pub(crate) enum Condition {
    Equals(Ref, Value),
    In(Ref, ValueSet),
    NotEmpty(Ref),
    Empty(Ref),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

/// A number as a hash key with the meaning of `serde_json`'s equality (`1` and `1.0` differ,
/// `0.0` and `-0.0` do not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum NumberKey {
    Unsigned(u64),
    Signed(i64),
    Float(u64),
}

fn number_key(n: &Number) -> NumberKey {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => NumberKey::Unsigned(u),
        (None, Some(i), _) => NumberKey::Signed(i),
        (None, None, f) => NumberKey::Float(f.map_or(0, |f| if f == 0.0 { 0 } else { f.to_bits() })),
    }
}

/// JSON values looked up by hash: scalars in sets, arrays and objects (rare in conditions) by
/// equality. Membership means the same as `==` on `serde_json::Value`.
#[derive(Clone, Debug, Default)]
pub(crate) struct ValueSet {
    values: Vec<Value>,
    strings: HashSet<String>,
    /// The byte lengths of `strings`: a string of another length is not looked up (nor hashed).
    lengths: HashSet<usize>,
    numbers: HashSet<NumberKey>,
    booleans: [bool; 2],
    null: bool,
    composite: Vec<Value>,
}

impl ValueSet {
    pub fn new(values: Vec<Value>) -> Self {
        let mut set = ValueSet::default();
        for v in &values {
            match v {
                Value::Null => set.null = true,
                Value::Bool(b) => {
                    if let Some(slot) = set.booleans.get_mut(usize::from(*b)) {
                        *slot = true;
                    }
                }
                Value::Number(n) => {
                    set.numbers.insert(number_key(n));
                }
                Value::String(s) => {
                    set.lengths.insert(s.len());
                    set.strings.insert(s.clone());
                }
                Value::Array(_) | Value::Object(_) => set.composite.push(v.clone()),
            }
        }
        set.values = values;
        set
    }

    pub fn contains(&self, value: &Value) -> bool {
        match value {
            Value::Null => self.null,
            Value::Bool(b) => self.booleans.get(usize::from(*b)).copied().unwrap_or(false),
            Value::Number(n) => self.numbers.contains(&number_key(n)),
            Value::String(s) => self.lengths.contains(&s.len()) && self.strings.contains(s.as_str()),
            Value::Array(_) | Value::Object(_) => self.composite.iter().any(|c| c == value),
        }
    }

    /// The values, for the size of the condition (each value counts its JSON nodes).
    pub fn values(&self) -> &[Value] {
        &self.values
    }
}

/// Lists (and arrays) of the normalised data made sets on first use, by address: the normalised
/// data does not change while conditions are evaluated, so each list is hashed at most once per
/// validation however many conditions and list items look into it.
#[derive(Default)]
pub(crate) struct ListSets {
    sets: HashMap<usize, ValueSet>,
}

/// Lists this short are scanned: hashing them would cost more than it saves.
const SCAN_AT_MOST: usize = 8;

impl ListSets {
    fn of(&mut self, list: &Normalized<'_>) -> &ValueSet {
        let address = std::ptr::from_ref(list) as usize;
        self.sets.entry(address).or_insert_with(|| {
            // A group item equals no scalar, and conditions compare scalars only.
            ValueSet::new(list.items().into_iter().flatten().flatten().cloned().collect())
        })
    }
}

impl Condition {
    /// Evaluates against normalised data. Absent values are empty; on lists and arrays `equals`
    /// means "contains" and `in` means "contains any" (an empty item reads as `null`). `lists`
    /// must only ever see the same normalised data (one per validation).
    pub fn holds(&self, scopes: &[ScopeFrame<'_>], lists: &mut ListSets) -> bool {
        match self {
            Condition::Equals(r, v) => match r.get(scopes) {
                None => false,
                Some(x) => match (x.len(), x.items()) {
                    (Some(len), _) if len > SCAN_AT_MOST => lists.of(x).contains(v),
                    (_, Some(mut items)) => items.any(|i| i == Some(v)),
                    _ => x.value() == Some(v),
                },
            },
            // A long list is hashed once and each of the condition's values looked up in it, so a
            // test costs its own values whatever the list and however many items evaluate it.
            Condition::In(r, set) => match r.get(scopes) {
                None => false,
                Some(x) => match (x.len(), x.items()) {
                    (Some(len), _) if len > SCAN_AT_MOST => {
                        let list = lists.of(x);
                        set.values().iter().any(|v| list.contains(v))
                    }
                    (_, Some(mut items)) => items.any(|i| i.is_some_and(|i| set.contains(i))),
                    _ => x.value().is_some_and(|v| set.contains(v)),
                },
            },
            Condition::NotEmpty(r) => r.get(scopes).is_some_and(|x| !x.is_empty()),
            Condition::Empty(r) => r.get(scopes).is_none_or(Normalized::is_empty),
            Condition::All(cs) => cs.iter().all(|c| c.holds(scopes, lists)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(scopes, lists)),
            Condition::Not(c) => !c.holds(scopes, lists),
        }
    }

    /// Every reference the condition reads.
    pub fn refs(&self, f: &mut dyn FnMut(&Ref)) {
        match self {
            Condition::Equals(r, _) | Condition::In(r, _) | Condition::NotEmpty(r) | Condition::Empty(r) => f(r),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.refs(f)),
            Condition::Not(c) => c.refs(f),
        }
    }

    /// Nodes plus the JSON nodes of every compared value: what [`crate::limits::MAX_CONDITION_SIZE`]
    /// bounds over a definition.
    pub fn size(&self) -> usize {
        match self {
            Condition::Equals(_, v) => 1 + json_nodes(v),
            Condition::In(_, set) => 1 + set.values().iter().map(json_nodes).sum::<usize>(),
            Condition::NotEmpty(_) | Condition::Empty(_) => 1,
            Condition::All(cs) | Condition::Any(cs) => 1 + cs.iter().map(Condition::size).sum::<usize>(),
            Condition::Not(c) => 1 + c.size(),
        }
    }
}

/// The size of a compared value: one, and one more per 64 bytes of a string (comparing or hashing
/// a string costs its length). Conditions compare scalars only (`schema_invalid` otherwise).
pub(crate) fn json_nodes(value: &Value) -> usize {
    match value {
        Value::String(s) => 1 + s.len() / 64,
        Value::Array(items) => 1 + items.iter().map(json_nodes).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(json_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// Whether a normalised value counts as empty (`false` is a value, not empty).
pub(crate) fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}
