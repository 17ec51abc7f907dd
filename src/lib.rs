//! formseal checks Chinese government network-security filing forms and seals them.
//!
//! A form is a JSON definition ([`Form::compile`], or one of the six [`forms::BUILTINS`]) compiled
//! once; [`Form::validate`] checks a document at a given time and returns a [`Report`] with every
//! finding (stable code, path, severity, legal basis, message in zh-CN or en) and the normalised
//! data. Identifiers can also be checked on their own with [`check_identifier`].
//!
//! ```
//! use formseal::{Form, Locale, Timestamp};
//!
//! let form = Form::builtin("incident-report").unwrap();
//! let data = serde_json::json!({ "unit_name": "北京某网络科技有限公司", "reporter_mobile": "138 0013 8000" });
//! let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
//! let report = form.validate(&data, now, Locale::ZhCn);
//! assert!(!report.valid); // required fields are missing
//! for finding in report.errors() {
//!     println!("{} {}: {}", finding.path, finding.code, finding.message);
//! }
//! ```
//!
//! The core never reads the clock: `now` is always passed in, so every deadline is testable.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod data;
mod describe;
mod error;
mod field;
pub mod finding;
pub mod forms;
pub mod ident;
mod identifier;
mod json;
pub mod limits;
pub mod messages;
pub mod normalize;
mod normalized;
mod path;
mod render;
mod report;
pub(crate) mod rules;
mod schema;
#[cfg(feature = "seal")]
pub mod seal;
pub mod time;
mod validate;

pub use data::{parse_data, parse_value};
pub use error::{DataError, SchemaError};
pub use finding::{Finding, Severity};
pub use ident::{check as check_identifier, Checked, IdentifierKind};
pub use identifier::{IdentifierFinding, IdentifierReport};
pub use messages::{Locale, Localized};
pub use report::{Basis, Counts, FormRef, Report, ReportFinding};
pub use schema::{CompileOptions, Form};
pub use time::{SignedDuration, Timestamp};
pub use validate::Outcome;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The façade's conversion of results into JavaScript, reachable for tests/wasm.rs only: not API.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod __wasm_testing {
    pub use crate::wasm::to_js;
}
