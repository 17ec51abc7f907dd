//! STUB: to be written.
use super::{Checked, IdentifierKind};

/// Finding codes of this check.
pub const CODES: &[&str] = &[];

/// Checks a phone number.
pub fn check_phone(input: &str) -> Checked {
    Checked::new(IdentifierKind::Phone, input)
}

/// Checks a mobile number.
pub fn check_mobile(input: &str) -> Checked {
    Checked::new(IdentifierKind::Mobile, input)
}
