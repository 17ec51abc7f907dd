//! STUB: to be written.
use super::{Checked, IdentifierKind};

/// Finding codes of this check.
pub const CODES: &[&str] = &[];

/// Checks a 公安联网备案号.
pub fn check_psb(input: &str) -> Checked {
    Checked::new(IdentifierKind::PsbFilingNumber, input)
}

/// Checks an ICP number.
pub fn check_icp(input: &str) -> Checked {
    Checked::new(IdentifierKind::IcpNumber, input)
}
