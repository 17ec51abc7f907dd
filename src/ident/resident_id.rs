//! STUB: to be written.
use super::{Checked, IdentifierKind, Today};

/// Finding codes of this check.
pub const CODES: &[&str] = &[];

/// Checks one value.
pub fn check(input: &str, _today: Option<Today>) -> Checked {
    Checked::new(IdentifierKind::ResidentId, input)
}
