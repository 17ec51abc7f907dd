//! formseal: checks Chinese government filing forms and seals them.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod finding;
pub mod ident;
pub mod messages;

pub use finding::{Finding, Severity};
pub use ident::{check as check_identifier, Checked, IdentifierKind};
pub use messages::{Locale, Localized};
