//! Rules between fields: same-as, differs-from, the certificate number checked as the kind its
//! type names, and the certificate type agreeing with the subject's nature.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::finding::{Finding, Severity};
use crate::ident::{self, Checked as IdentChecked, IdentifierKind, Today};

pub(crate) fn same_as(a: &Value, b: &Value, severity: Severity) -> Option<Finding> {
    (a != b).then(|| Finding::new("same_as", severity))
}

pub(crate) fn differs_from(a: &Value, b: &Value, severity: Severity) -> Option<Finding> {
    (a == b).then(|| Finding::new("differs_from", severity))
}

/// Checks a certificate number as the identifier kind its certificate type names. `None` when the
/// type names no kind (free text) or is not in the table.
pub(crate) fn certificate(
    kinds: &BTreeMap<String, Option<IdentifierKind>>,
    cert_type: &Value,
    number: &Value,
    today: Option<Today>,
) -> Option<IdentChecked> {
    let kind = (*kinds.get(cert_type.as_str()?)?)?;
    Some(ident::check(kind, number.as_str()?, today))
}

/// `certificate_type_mismatch` when the type is not among those allowed for the nature.
pub(crate) fn subject_certificate(
    allowed: &BTreeMap<String, Vec<String>>,
    nature: &Value,
    cert_type: &Value,
    severity: Severity,
) -> Option<Finding> {
    let list = allowed.get(nature.as_str()?)?;
    let t = cert_type.as_str()?;
    (!list.iter().any(|a| a == t))
        .then(|| Finding::new("certificate_type_mismatch", severity).with("nature", nature.clone()).with("type", t))
}
