//! Conditions (`required_if`, `forbidden_if`, a rule's `when`) and field references.
//!
//! A reference is resolved when the form is compiled, to "so many scopes out, then this dotted
//! path". At validation time the scopes are the normalised objects from the root down to the
//! current list item, so a reference costs a few map look-ups and never searches.

use serde_json::{Map, Value};

/// A resolved field reference: `up` scopes outwards from the current one, then `path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ref {
    pub up: usize,
    pub path: Vec<String>,
    /// The label of the field referred to, for messages.
    pub label: crate::messages::Localized,
}

/// One level of the runtime scope chain: the path of the object in the data and the object.
#[derive(Clone)]
pub(crate) struct ScopeFrame<'a> {
    pub prefix: String,
    pub object: &'a Map<String, Value>,
}

impl Ref {
    /// The normalised value this reference names, if present.
    pub fn get<'a>(&self, scopes: &[ScopeFrame<'a>]) -> Option<&'a Value> {
        let frame = scopes.len().checked_sub(self.up + 1).and_then(|i| scopes.get(i))?;
        let mut segments = self.path.iter();
        let mut value = frame.object.get(segments.next()?)?;
        for seg in segments {
            value = value.as_object()?.get(seg)?;
        }
        Some(value)
    }

    /// The data path of this reference as seen from `scopes` (`websites[0].go_live_date`).
    pub fn path_in(&self, scopes: &[ScopeFrame<'_>]) -> String {
        let prefix =
            scopes.len().checked_sub(self.up + 1).and_then(|i| scopes.get(i)).map(|f| f.prefix.as_str()).unwrap_or("");
        let tail = self.path.join(".");
        if prefix.is_empty() {
            tail
        } else {
            format!("{prefix}.{tail}")
        }
    }
}

/// A compiled condition.
#[derive(Clone, Debug)]
pub(crate) enum Condition {
    Equals(Ref, Value),
    In(Ref, Vec<Value>),
    NotEmpty(Ref),
    Empty(Ref),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

fn contains(value: &Value, wanted: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|v| v == wanted),
        other => other == wanted,
    }
}

impl Condition {
    /// Evaluates against normalised data. Absent values are empty; on arrays `equals` means
    /// "contains" and `in` means "contains any".
    pub fn holds(&self, scopes: &[ScopeFrame<'_>]) -> bool {
        match self {
            Condition::Equals(r, v) => r.get(scopes).is_some_and(|x| contains(x, v)),
            Condition::In(r, vs) => r.get(scopes).is_some_and(|x| vs.iter().any(|v| contains(x, v))),
            Condition::NotEmpty(r) => r.get(scopes).is_some_and(|x| !is_empty(x)),
            Condition::Empty(r) => r.get(scopes).is_none_or(is_empty),
            Condition::All(cs) => cs.iter().all(|c| c.holds(scopes)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(scopes)),
            Condition::Not(c) => !c.holds(scopes),
        }
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
