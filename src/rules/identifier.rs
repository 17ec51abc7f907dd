//! Identifier field kinds (`uscc`, `org_code`, `resident_id`, `domain`, `email`, `url`, `phone`,
//! `mobile`, `ip`, `psb_filing_number`, `icp_number`): the value is checked by `crate::ident` and
//! replaced by its normalised form when valid. An invalid value keeps what the person typed. No
//! keys of their own: the kind names the check.

use serde_json::Value;

use super::{as_text, type_mismatch, Checked};
use crate::ident::{self, IdentifierKind, Today};

pub(crate) fn check(kind: IdentifierKind, value: &Value, today: Option<Today>) -> Checked {
    let Some(text) = as_text(value) else {
        return Checked::with(None, vec![type_mismatch(kind.as_str(), value)]);
    };
    if text.trim().is_empty() {
        return Checked::with(None, Vec::new());
    }
    // Borrowed from `text` when already normal: `Checked::normal` then copies nothing, and moves
    // a normalised value that had to be built rather than copy it again.
    let checked = ident::examine_borrowed(kind, &text, today);
    let valid = checked.is_valid();
    match checked.normalized {
        Some(n) if valid => Checked::normal(value, n, checked.findings),
        _ => Checked::text(value, text.trim(), checked.findings),
    }
}
