//! STUB: to be written.
use super::{Checked, IdentifierKind};

/// Finding codes of this check.
pub const CODES: &[&str] = &[];

/// Checks one value.
pub fn check(input: &str) -> Checked {
    Checked::new(IdentifierKind::Uscc, input)
}
