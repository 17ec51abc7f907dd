//! Rules between fields (`rules[]` of kind `same_as`, `differs_from`, `not_after`,
//! `not_in_future`, `certificate`, `subject_certificate`): one value compared with another, the
//! certificate number checked as the identifier kind its type names, and the certificate type
//! agreeing with the subject's nature.
//!
//! Keys: `field` and `other` (`same_as`, `differs_from`, `not_after`: dates), `field`
//! (`not_in_future`: a date), `type_field` + `number_field` + `kinds` (`certificate`),
//! `nature_field` + `type_field` + `allowed` (`subject_certificate`). Every rule also has `id`,
//! `severity`, `basis`, `when`, `each` and `message`, read by the walk in `schema/`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::dates::{self, When};
use crate::error::SchemaError;
use crate::finding::{Finding, Severity};
use crate::ident::{self, IdentifierKind};
use crate::messages::Localized;
use crate::schema::{Kind, Ref, RuleCx, RuleDef, RuleKindName};
use crate::time;
use crate::validate::RuleAt;

/// A compiled rule between fields.
#[derive(Debug)]
pub(crate) enum Cross {
    SameAs {
        field: Ref,
        other: Ref,
    },
    DiffersFrom {
        field: Ref,
        other: Ref,
    },
    NotAfter {
        field: Ref,
        other: Ref,
    },
    NotInFuture {
        field: Ref,
    },
    Certificate {
        type_field: Ref,
        number_field: Ref,
        kinds: BTreeMap<String, Option<IdentifierKind>>,
    },
    SubjectCertificate {
        nature_field: Ref,
        type_field: Ref,
        allowed: BTreeMap<String, Vec<String>>,
        labels: BTreeMap<String, Localized>,
    },
}

pub(crate) fn compile(def: &RuleDef, cx: &RuleCx<'_>) -> Result<Cross, SchemaError> {
    let path = cx.path;
    Ok(match def.kind {
        RuleKindName::SameAs => {
            Cross::SameAs { field: cx.need("field", &def.field)?.0, other: cx.need("other", &def.other)?.0 }
        }
        RuleKindName::DiffersFrom => {
            Cross::DiffersFrom { field: cx.need("field", &def.field)?.0, other: cx.need("other", &def.other)?.0 }
        }
        RuleKindName::NotAfter => {
            let (field, f) = cx.need("field", &def.field)?;
            cx.dated("field", f)?;
            let (other, o) = cx.need("other", &def.other)?;
            cx.dated("other", o)?;
            Cross::NotAfter { field, other }
        }
        RuleKindName::NotInFuture => {
            let (field, f) = cx.need("field", &def.field)?;
            cx.dated("field", f)?;
            Cross::NotInFuture { field }
        }
        RuleKindName::Certificate => {
            let (type_field, _) = cx.need("type_field", &def.type_field)?;
            let (number_field, _) = cx.need("number_field", &def.number_field)?;
            let mut kinds = BTreeMap::new();
            for (t, k) in def.kinds.clone().unwrap_or_default() {
                let kind = match k {
                    Some(name) => Some(IdentifierKind::parse(&name).ok_or_else(|| {
                        SchemaError::new(
                            "schema_invalid",
                            format!("{path}.kinds.{t}"),
                            format!("unknown identifier kind {name:?}"),
                        )
                    })?),
                    None => None,
                };
                kinds.insert(t, kind);
            }
            if kinds.is_empty() {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.kinds"),
                    "name the identifier kind of each certificate type",
                ));
            }
            Cross::Certificate { type_field, number_field, kinds }
        }
        RuleKindName::SubjectCertificate => {
            let (nature_field, nf) = cx.need("nature_field", &def.nature_field)?;
            let (type_field, tf) = cx.need("type_field", &def.type_field)?;
            let mut labels = BTreeMap::new();
            for f in [nf, tf] {
                if let Kind::Choice(choice) = &f.kind {
                    for o in &choice.options {
                        labels.insert(o.value.clone(), o.label.clone());
                    }
                }
            }
            let allowed = def.allowed.clone().unwrap_or_default();
            if allowed.is_empty() {
                return Err(SchemaError::new(
                    "schema_invalid",
                    format!("{path}.allowed"),
                    "list the certificate types allowed for each subject nature",
                ));
            }
            Cross::SubjectCertificate { nature_field, type_field, allowed, labels }
        }
        RuleKindName::Deadline => {
            return Err(SchemaError::new("schema_invalid", path, "a deadline is not a rule between fields"))
        }
    })
}

impl Cross {
    /// Checks the rule in one scope (the document, or one item of the rule's `each` list).
    pub(crate) fn check<'f>(&'f self, at: &mut RuleAt<'_, 'f, '_>) {
        let severity = at.rule.severity;
        let basis = at.rule.basis.as_deref();
        match self {
            Cross::SameAs { field, other } | Cross::DiffersFrom { field, other } => {
                let (Some(a), Some(b)) = (at.get(field), at.get(other)) else { return };
                let differs = !at.same(a, b);
                let finding = match self {
                    Cross::SameAs { .. } => differs.then(|| Finding::new("same_as", severity)),
                    _ => (!differs).then(|| Finding::new("differs_from", severity)),
                };
                if let Some(f) = finding {
                    let f = f.with("other", at.path_text(other));
                    let other_label = at.label(other);
                    at.report(Some(field), f, basis, vec![("other_label", vec![other_label])]);
                }
            }
            Cross::NotAfter { field, other } => {
                let (Some(a), Some(b)) = (at.value(field).and_then(When::read), at.value(other).and_then(When::read))
                else {
                    return;
                };
                if dates::is_after(a, b) {
                    let f = Finding::new("not_after", severity).with("other", at.path_text(other));
                    let other_label = at.label(other);
                    at.report(Some(field), f, basis, vec![("other_label", vec![other_label])]);
                }
            }
            Cross::NotInFuture { field } => {
                let Some(v) = at.value(field) else { return };
                let now = at.now();
                if When::read(v).is_some_and(|w| dates::in_future(w, now)) {
                    let f = Finding::new("not_in_future", severity)
                        .with("value", v.clone())
                        .with("now", time::format_instant(now));
                    at.report(Some(field), f, basis, Vec::new());
                }
            }
            Cross::Certificate { type_field, number_field, kinds } => {
                let (Some(t), Some(n)) = (at.value(type_field), at.value(number_field)) else { return };
                let Some(kind) = t.as_str().and_then(|t| kinds.get(t)).copied().flatten() else { return };
                let Some(number) = n.as_str() else { return };
                let checked = ident::examine_borrowed(kind, number, Some(at.today()));
                let valid = checked.is_valid();
                if valid {
                    // A number already in its normal form is left as it is: replacing it with
                    // itself would cost a path and a copy on every valid call.
                    if let Some(norm) = checked.normalized.filter(|norm| norm != number) {
                        at.replace(number_field, Value::String(norm.into_owned()));
                    }
                }
                for f in checked.findings {
                    // The rule's severity applies to the identifier's errors; its warnings stay warnings.
                    let severity = if f.severity == Severity::Error { severity } else { f.severity };
                    at.report(Some(number_field), Finding { severity, ..f }, basis, Vec::new());
                }
            }
            Cross::SubjectCertificate { nature_field, type_field, allowed, labels } => {
                let (Some(n), Some(t)) = (at.value(nature_field), at.value(type_field)) else { return };
                let (Some(list), Some(type_name)) = (n.as_str().and_then(|n| allowed.get(n)), t.as_str()) else {
                    return;
                };
                if list.iter().any(|a| a == type_name) {
                    return;
                }
                let f = Finding::new("certificate_type_mismatch", severity)
                    .with("nature", n.clone())
                    .with("type", type_name)
                    .with("allowed", list.clone());
                let label_of = |v: &str| labels.get(v);
                let nature_label: Vec<&Localized> = n.as_str().and_then(label_of).into_iter().collect();
                let type_label: Vec<&Localized> = label_of(type_name).into_iter().collect();
                let allowed_labels: Vec<&Localized> = list.iter().filter_map(|a| label_of(a)).collect();
                let localized = vec![
                    ("nature_label", nature_label),
                    ("type_label", type_label),
                    ("allowed_labels", allowed_labels),
                ];
                at.report(Some(type_field), f, basis, localized);
            }
        }
    }
}
