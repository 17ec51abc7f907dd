//! Errors that are not findings: a bad form definition ([`SchemaError`]) and data that cannot be
//! read at all ([`DataError`]). A bad *value* in readable data is never an error; it is a finding
//! in the report.

use std::fmt;

/// A form definition that cannot be compiled. Names the JSON path in the definition and what is
/// wrong. Opaque on purpose: match on [`SchemaError::code`], which is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    code: &'static str,
    path: String,
    message: String,
}

impl SchemaError {
    pub(crate) fn new(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        SchemaError { code, path: path.into(), message: message.into() }
    }

    /// Stable snake_case code: `schema_json`, `schema_shape`, `schema_too_large`, `schema_limit`,
    /// `schema_invalid`, `schema_duplicate_name`, `schema_unknown_reference`, `schema_reference_kind`,
    /// `schema_bad_pattern`, `schema_unknown_basis`, `schema_unknown_deadline`, `schema_duplicate_key`,
    /// `unknown_form`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// JSON path into the definition (`fields[3].options[0].value`); empty for the whole document.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, in English, for the form's author.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the definition named no known built-in form.
    pub fn is_unknown_form(&self) -> bool {
        self.code == "unknown_form"
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code == "unknown_form" {
            write!(f, "{}", self.message)
        } else if self.path.is_empty() {
            write!(f, "form definition: {}", self.message)
        } else {
            write!(f, "form definition at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for SchemaError {}

/// Data that cannot be read as a form's data at all: not UTF-8, not JSON, not an object, too big
/// or too deep. Opaque; match on [`DataError::code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    code: &'static str,
    message: String,
}

impl DataError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        DataError { code, message: message.into() }
    }

    /// Stable code: `data_too_large`, `data_not_utf8`, `data_json`, `data_duplicate_key`, `data_too_deep`,
    /// `data_not_object`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, in English.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "data: {}", self.message)
    }
}

impl std::error::Error for DataError {}
