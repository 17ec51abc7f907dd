//! `Form::validate_field`: the findings for one field, for checking as a person types.
//!
//! The findings are exactly those a validation of the whole document, with the value put at its
//! path (in the rest of the data, or in an empty document), gives at that path or inside it; but
//! only what they depend on is checked. From the compiled references, the field knows the
//! conditions and rules that can place a finding inside it and the fields those read; the walk in
//! `validate.rs` checks the field, those fields and the rules, and of the groups around the field
//! only whether their other fields are empty (which decides whether a group is there). It is the
//! same engine with a narrower walk, not a second one: `tests/field_incremental.rs` checks, for
//! generated documents and every path, that the findings equal those of the whole validation.

use crate::time::Timestamp;
use serde_json::{Map, Value};

use crate::error::DataError;
use crate::messages::Locale;
use crate::path::Path;
use crate::report::ReportFinding;
use crate::schema::{FieldId, Form, Kind, Ref};
use crate::validate::{Focus, FocusPlan};

#[derive(Debug, PartialEq)]
enum Segment {
    Name(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, None), |(n, r)| (n, Some(r)));
        if name.is_empty() {
            return None;
        }
        out.push(Segment::Name(name.to_owned()));
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                let digits = idx.strip_suffix(']')?;
                out.push(Segment::Index(digits.parse().ok().filter(|i| *i < crate::limits::MAX_LIST_ITEMS)?));
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The typed path the segments name in the form, if they name a field (or a list item) of it.
fn resolve(form: &Form, segments: &[Segment]) -> Option<Path> {
    let mut field: Option<FieldId> = None;
    let mut indices = Vec::new();
    for seg in segments {
        field = Some(match (seg, field) {
            (Segment::Name(n), None) => form.root.find(n)?,
            (Segment::Name(n), Some(id)) => form.scope_of(id)?.find(n)?,
            (Segment::Index(i), Some(id)) => match &form.field(id)?.kind {
                Kind::List(list) => {
                    indices.push(u32::try_from(*i).ok()?);
                    list.item
                }
                _ => return None,
            },
            (Segment::Index(_), None) => return None,
        });
    }
    Some(Path { field, indices, key: None })
}

/// The focus on `target` holding `value`: the way to it and its field's plan.
fn focus<'v>(form: &'v Form, target: Path, value: &'v Value) -> Option<Focus<'v>> {
    let id = target.field?;
    let plan = form.focus_plans.get(id.0 as usize)?.get_or_init(|| plan(form, id));
    let mut chain = Vec::new();
    let mut at = target.field;
    let mut index = target.indices.len();
    while let Some(id) = at {
        let Some(field) = form.field(id) else { break };
        let item = if field.is_item() {
            index = index.saturating_sub(1);
            target.indices.get(index).copied()
        } else {
            None
        };
        chain.push((id, item));
        at = field.parent;
    }
    chain.reverse();
    Some(Focus { target, chain, value, plan })
}

/// What the findings inside the field `id` depend on (see [`FocusPlan`]).
fn plan(form: &Form, id: FieldId) -> FocusPlan {
    let n = form.fields.len();
    let (start, end) = form.field(id).map_or((0, 0), |f| (id.0, f.end.0));
    let inside = |id: FieldId| id.0 >= start && id.0 < end;
    let mut needed = vec![false; n];
    let mut mark = |r: &Ref| {
        let to = form.field(r.field).map_or(r.field.0 + 1, |f| f.end.0);
        for slot in needed.iter_mut().take(to as usize).skip(r.field.0 as usize) {
            *slot = true;
        }
    };
    // The presence conditions of the fields inside the focus, and the rules placing findings there.
    for id in start..end {
        if let Some(field) = form.field(FieldId(id)) {
            for condition in [&field.required_if, &field.forbidden_if].into_iter().flatten() {
                condition.refs(&mut mark);
            }
        }
    }
    let mut rules = vec![false; form.rules.len()];
    for (r, rule) in form.rules.iter().enumerate() {
        if rule.anchor().is_some_and(|a| inside(a.field)) {
            if let Some(slot) = rules.get_mut(r) {
                *slot = true;
            }
            rule.refs(&mut mark);
        }
    }
    let mut holds_needed = vec![false; n];
    for (id, _) in needed.iter().enumerate().filter(|(_, n)| **n) {
        let mut at = form.field(FieldId(u32::try_from(id).unwrap_or(u32::MAX))).and_then(|f| f.parent);
        while let Some(parent) = at {
            if let Some(slot) = holds_needed.get_mut(parent.0 as usize) {
                *slot = true;
            }
            at = form.field(parent).and_then(|f| f.parent);
        }
    }
    FocusPlan { needed, holds_needed, rules }
}

impl Form {
    /// The findings for the field at `path` (`principal.mobile`, `domains[1]`) holding `value`,
    /// with the rest of the form's data from `data` when given (so cross-field rules see it).
    /// A path that names no field of the form is an error with code `unknown_field_path`.
    pub fn validate_field(
        &self,
        path: &str,
        value: &Value,
        data: Option<&Value>,
        now: Timestamp,
        locale: Locale,
    ) -> Result<Vec<ReportFinding>, DataError> {
        let unknown = || DataError::new("unknown_field_path", format!("the form has no field {path:?}"));
        let segments = parse_path(path).ok_or_else(unknown)?;
        let target = resolve(self, &segments).ok_or_else(unknown)?;
        let empty = Value::Object(Map::new());
        let document = match data {
            Some(d @ Value::Object(_)) => d,
            _ => &empty,
        };
        let focus = focus(self, target, value).ok_or_else(unknown)?;
        Ok(crate::render::findings(self.check_focused(document, now, &focus), locale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2005-06-01T10:00:00+08:00".parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn paths_parse() {
        assert_eq!(parse_path("a.b[2].c").map(|s| s.len()), Some(4));
        assert!(parse_path("a[x]").is_none());
        assert!(parse_path("").is_none());
        assert!(parse_path("a..b").is_none());
        assert!(parse_path("a[99999999999]").is_none());
    }

    #[test]
    fn one_field_alone_and_with_its_neighbours() -> Result<(), Box<dyn std::error::Error>> {
        let form = Form::builtin("network-unit-filing")?;
        let alone = form.validate_field("principal.mobile", &json!("12345"), None, now(), Locale::En)?;
        assert!(!alone.is_empty() && alone.iter().all(|f| f.path == "principal.mobile"), "{alone:?}");
        let ok = form.validate_field("principal.mobile", &json!("138 0013 8000"), None, now(), Locale::En)?;
        assert!(ok.is_empty(), "{ok:?}");
        // Cross-field: the emergency contact's mobile may not equal the principal's.
        let example: Value = serde_json::from_str(crate::forms::BUILTINS[0].valid_example())?;
        let principal = example["principal"]["mobile"].clone();
        let clash = form.validate_field("emergency_contact.mobile", &principal, Some(&example), now(), Locale::En)?;
        assert!(clash.iter().any(|f| f.code == "differs_from"), "{clash:?}");
        // List items by index.
        let item = form.validate_field("websites[0].domains[1]", &json!("abc--d.cn"), None, now(), Locale::En)?;
        assert_eq!(item.first().map(|f| f.code.as_str()), Some("domain_double_hyphen"));
        assert!(form.validate_field("no_such.field", &json!(1), None, now(), Locale::En).is_err());
        Ok(())
    }
}
