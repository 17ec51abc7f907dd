//! Identifier field kinds (USCC, organisation code, resident ID, domain, e-mail, URL, phone,
//! mobile, IP, filing numbers): the value is checked by `crate::ident` and replaced by its
//! normalised form when valid. An invalid value keeps what the person typed.

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
    let checked = ident::check(kind, &text, today);
    let normalized = match (&checked.normalized, checked.is_valid()) {
        (Some(n), true) => n.clone(),
        _ => text.trim().to_owned(),
    };
    Checked::with(Some(Value::String(normalized)), checked.findings)
}
