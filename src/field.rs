//! `Form::validate_field`: the findings for one field, for checking as a person types.
//!
//! The value is put at its path in the rest of the data (or in an empty document) and the form is
//! validated as a whole, so cross-field rules and conditions behave exactly as they will on
//! submit; only the findings at that path (or inside it) are returned. Correct first: the whole
//! form is cheap to validate (see `make bench` once it exists), and a second, partial engine
//! would be a second place for rules to disagree.

use crate::time::Timestamp;
use serde_json::{Map, Value};

use crate::error::DataError;
use crate::messages::Locale;
use crate::report::ReportFinding;
use crate::schema::{Field, Form, Kind};

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

/// Whether the path names a field (or a list item) of the form.
fn resolves(fields: &[Field], segments: &[Segment]) -> bool {
    let mut current: Option<&Field> = None;
    for seg in segments {
        current = match (seg, current) {
            (Segment::Name(n), None) => fields.iter().find(|f| &f.name == n),
            (Segment::Name(n), Some(Field { kind: Kind::Group { fields }, .. })) => {
                fields.iter().find(|f| &f.name == n)
            }
            (Segment::Index(_), Some(Field { kind: Kind::List { item, .. }, .. })) => Some(item),
            _ => None,
        };
        if current.is_none() {
            return false;
        }
    }
    true
}

fn insert(slot: &mut Value, segments: &[Segment], value: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *slot = value;
        return;
    };
    match first {
        Segment::Name(n) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(o) = slot {
                insert(o.entry(n.clone()).or_insert(Value::Null), rest, value);
            }
        }
        Segment::Index(i) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(a) = slot {
                if a.len() <= *i {
                    a.resize(*i + 1, Value::Null);
                }
                if let Some(item) = a.get_mut(*i) {
                    insert(item, rest, value);
                }
            }
        }
    }
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
        let segments = parse_path(path)
            .filter(|s| resolves(&self.fields, s))
            .ok_or_else(|| DataError::new("unknown_field_path", format!("the form has no field {path:?}")))?;
        let mut document = match data {
            Some(Value::Object(o)) => Value::Object(o.clone()),
            _ => Value::Object(Map::new()),
        };
        insert(&mut document, &segments, value.clone());
        let inside = |p: &str| {
            p == path || p.strip_prefix(path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        Ok(self.validate_keeping(&document, now, locale, &inside).findings)
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
        let example: Value = serde_json::from_str(crate::forms::BUILTINS[0].valid_example)?;
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
