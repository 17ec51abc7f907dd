//! Findings: what a check says about a value.
//!
//! A [`Finding`] is the raw result of one check: a stable snake_case code, a severity and named
//! parameters. It knows nothing about where the value sits in a form, which article asks for it or
//! how the message reads in a given language; the report attaches those (see `report.rs`).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How serious a finding is. Only [`Severity::Error`] makes a form invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (e.g. how many days are left before a deadline).
    Info,
    /// Shown to the person but never blocks (e.g. a late filing, a legacy ID format).
    Warning,
    /// Blocks sealing.
    Error,
}

impl Severity {
    /// The lower-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Named parameters of a finding, in the order they were added.
pub type Params = Map<String, Value>;

/// One finding of one check.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable machine code, snake_case. Codes are API: they never change meaning.
    pub code: Cow<'static, str>,
    /// How serious it is.
    pub severity: Severity,
    /// Values the message refers to (`{expected}`, `{days_overdue}` …).
    pub params: Params,
}

impl Finding {
    /// A finding with the given code and severity and no parameters.
    pub fn new(code: impl Into<Cow<'static, str>>, severity: Severity) -> Self {
        Finding { code: code.into(), severity, params: Params::new() }
    }

    /// An error finding.
    pub fn error(code: &'static str) -> Self {
        Self::new(code, Severity::Error)
    }

    /// A warning finding.
    pub fn warning(code: &'static str) -> Self {
        Self::new(code, Severity::Warning)
    }

    /// An info finding.
    pub fn info(code: &'static str) -> Self {
        Self::new(code, Severity::Info)
    }

    /// Adds a parameter (builder style).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// Whether this finding blocks the form.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
