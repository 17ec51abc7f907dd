//! Typed paths: where in a form a finding is, without building a string.
//!
//! A compiled form numbers its fields (`FieldId`, see `schema/`); a field inside list items is told
//! apart by the indices of those items. So a [`Path`] is a field, the list indices on the way to
//! it, and, for a key the form does not know (`unknown_field`), that key. Validation makes a path
//! only when it makes a finding; the dotted text the report shows (`websites[0].domains[1]`) is
//! made by [`Path::render`] when the report is rendered.

use crate::normalized::{member, Normalized};
use crate::schema::{FieldId, Form, Kind};

/// Where a finding is: a field (or a list item, which is a field of its own), the list indices on
/// the way, and an unknown key under it. `field: None` is the document itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Path {
    pub field: Option<FieldId>,
    /// One index per list item on the way from the root, outermost first.
    pub indices: Vec<u32>,
    /// A key the form does not know, under `field` (the document when `field` is `None`).
    pub key: Option<Box<str>>,
}

/// One step of a path, root first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'f> {
    Name(&'f str),
    Index(u32),
}

impl Path {
    /// The document itself (form-level findings).
    pub fn root() -> Path {
        Path { field: None, indices: Vec::new(), key: None }
    }

    /// The field `field` with the list indices `indices`.
    pub fn at(field: FieldId, indices: &[u32]) -> Path {
        Path { field: Some(field), indices: indices.to_vec(), key: None }
    }

    /// The unknown key `key` in the object of `field` (the document when `None`).
    pub fn unknown(field: Option<FieldId>, indices: &[u32], key: &str) -> Path {
        Path { field, indices: indices.to_vec(), key: Some(key.into()) }
    }

    /// The steps from the root, in order: field names and list indices, then the unknown key.
    pub fn steps<'f>(&'f self, form: &'f Form) -> Vec<Step<'f>> {
        let mut reversed = Vec::new();
        if let Some(key) = &self.key {
            reversed.push(Step::Name(key));
        }
        let mut index = self.indices.len();
        let mut at = self.field;
        while let Some(id) = at {
            let Some(field) = form.field(id) else { break };
            if field.is_item() {
                index = index.saturating_sub(1);
                reversed.push(Step::Index(self.indices.get(index).copied().unwrap_or(0)));
            } else {
                reversed.push(Step::Name(&field.name));
            }
            at = field.parent;
        }
        reversed.reverse();
        reversed
    }

    /// The dotted text of the path: `principal.mobile`, `websites[0].domains[1]`; empty for the
    /// document.
    pub fn render(&self, form: &Form) -> String {
        let mut out = String::new();
        for step in self.steps(form) {
            match step {
                Step::Name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(itoa(i).as_str());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether this path is `other` or lies inside it (`principal.mobile` is inside `principal`).
    pub fn is_within(&self, other: &Path, form: &Form) -> bool {
        if other.key.is_some() {
            return self == other;
        }
        let Some(target) = other.field else { return true };
        let mut at = self.field;
        while let Some(id) = at {
            if id == target {
                // The indices of `other` are those of the list items on the way to `target`.
                return self.indices.get(..other.indices.len()) == Some(other.indices.as_slice());
            }
            at = form.field(id).and_then(|f| f.parent);
        }
        false
    }

    /// The fields from the root down to this path's field (list items included), root first.
    pub fn chain(&self, form: &Form) -> Vec<FieldId> {
        let mut chain = Vec::new();
        let mut at = self.field;
        while let Some(id) = at {
            chain.push(id);
            at = form.field(id).and_then(|f| f.parent);
        }
        chain.reverse();
        chain
    }

    /// The key by which findings sort in the order the form reads (see `validate.rs`): the
    /// position of each field and the index of each list item on the way, root first, stopping at
    /// a group or list item the normalised data does not hold (its findings sort with the field
    /// that holds it). An unknown key sorts with the field whose object holds it, a list item (and
    /// an unknown key in it) with its list. `None` sorts last: the document's own findings and unknown keys at its root.
    pub fn order_key(&self, form: &Form, normalized: &[(FieldId, Normalized<'_>)]) -> Option<Vec<u32>> {
        let chain = self.chain(form);
        let mut key = Vec::with_capacity(chain.len() + self.indices.len());
        let mut object = Some(normalized);
        let mut value: Option<&Normalized<'_>> = None;
        let mut index = 0usize;
        let last = chain.len().saturating_sub(1);
        for (step, id) in chain.into_iter().enumerate() {
            let Some(field) = form.field(id) else { break };
            if field.is_item() {
                // A list item's own findings, and those of its unknown keys, sort with the list.
                if step == last {
                    break;
                }
                let i = self.indices.get(index).copied().unwrap_or(0);
                index += 1;
                // Only an item that is a group in the normalised data is a scope of its own.
                let item = match value {
                    Some(Normalized::List(items)) => items.get(i as usize).and_then(Option::as_ref),
                    _ => None,
                };
                match (item, &field.kind) {
                    (Some(Normalized::Group(o)), Kind::Group(_)) => {
                        key.push(i);
                        object = Some(o);
                        value = None;
                    }
                    _ => break,
                }
            } else {
                // A field counts only inside a scope the normalised data holds.
                let Some(scope) = object else { break };
                key.push(field.position);
                value = member(scope, id);
                object = match (value, &field.kind) {
                    (Some(Normalized::Group(o)), Kind::Group(_)) => Some(o),
                    _ => None,
                };
            }
        }
        (!key.is_empty()).then_some(key)
    }
}

/// A small integer as text, without going through `format!`.
fn itoa(mut n: u32) -> String {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    digits.get(at..).map(|d| d.iter().map(|&b| char::from(b)).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::itoa;

    #[test]
    fn small_integers_as_text() {
        for n in [0u32, 7, 10, 999, 4_294_967_295] {
            assert_eq!(itoa(n), n.to_string());
        }
    }
}
