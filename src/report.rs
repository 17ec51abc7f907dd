//! The validation report: valid or not, every finding with its path, code, severity, parameters,
//! legal basis and rendered message, and the normalised data. Its JSON shape is the same from the
//! CLI, the Rust API and (later) JavaScript.

use serde::Serialize;
use serde_json::Value;

use crate::finding::{Params, Severity};
use crate::messages::Locale;

/// The form a report is about.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FormRef {
    /// The form's id.
    pub id: String,
    /// The form's version.
    pub version: String,
}

/// How many findings of each severity a report has.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Findings that block sealing.
    pub errors: usize,
    /// Findings shown but not blocking.
    pub warnings: usize,
    /// Information (e.g. days left before a deadline).
    pub infos: usize,
}

/// The legal basis a finding cites.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Basis {
    /// Stable id (`reg33.art12`).
    pub id: String,
    /// The citation in the report's locale (《计算机信息网络国际联网安全保护管理办法》第十二条).
    pub text: String,
}

/// One finding, placed in the form.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ReportFinding {
    /// Where: `domains[1]`, `principal.mobile`; empty for the form as a whole.
    pub path: String,
    /// Stable snake_case code.
    pub code: String,
    /// Error, warning or info.
    pub severity: Severity,
    /// The field's label in the report's locale, when the finding is about a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The message in the report's locale.
    pub message: String,
    /// The legal basis, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// The id of the rule that made the finding, for rules that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The finding's parameters (locale-independent).
    pub params: Params,
}

/// The result of validating one document against one form.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// The form.
    pub form: FormRef,
    /// True when there is no error (warnings and infos allowed).
    pub valid: bool,
    /// The time the data was validated at, RFC 3339 in Beijing time.
    pub now: String,
    /// The locale of the messages.
    pub locale: Locale,
    /// Findings per severity.
    pub counts: Counts,
    /// Every finding, in form order: fields first, then rules.
    pub findings: Vec<ReportFinding>,
    /// The normalised data: what would be sealed. Invalid values keep what was typed.
    pub normalized: Value,
}

impl Report {
    /// The findings that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &ReportFinding> {
        self.findings.iter().filter(|f| f.severity == Severity::Error)
    }

    /// The findings that are warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &ReportFinding> {
        self.findings.iter().filter(|f| f.severity == Severity::Warning)
    }
}
