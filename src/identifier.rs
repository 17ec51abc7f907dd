//! What `ident/` leaves to the crate: an identifier check as the CLI's `check` and JavaScript's
//! `checkIdentifier` report it (the findings rendered in a locale), and the Beijing calendar date
//! a check runs on. `ident/` itself knows neither messages nor time zones.

use serde::Serialize;

use crate::finding::{Params, Severity};
use crate::ident::{Checked, Today};
use crate::messages::{render, Locale};

/// One identifier check as the CLI's `check` and JavaScript's `checkIdentifier` report it: the
/// input, validity, the normalised (and display) form, and each finding with its message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdentifierReport {
    /// Exactly what was checked.
    pub input: String,
    /// True when no finding is an error.
    pub valid: bool,
    /// The normalised value, when the input could be read as this kind.
    pub normalized: Option<String>,
    /// The form to show a person, when it differs (a domain's U-label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Every finding.
    pub findings: Vec<IdentifierFinding>,
}

/// A finding of [`IdentifierReport`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdentifierFinding {
    /// Stable code.
    pub code: String,
    /// Error, warning or info.
    pub severity: Severity,
    /// The message in the requested locale.
    pub message: String,
    /// The finding's parameters.
    pub params: Params,
}

impl Checked {
    /// This result with messages rendered in `locale`.
    pub fn report(&self, locale: Locale) -> IdentifierReport {
        IdentifierReport {
            input: self.input.clone(),
            valid: self.is_valid(),
            normalized: self.normalized.clone(),
            display: self.display.clone(),
            findings: self
                .findings
                .iter()
                .map(|f| IdentifierFinding {
                    code: f.code.clone().into_owned(),
                    severity: f.severity,
                    message: render(&f.code, &f.params, locale),
                    params: f.params.clone(),
                })
                .collect(),
        }
    }
}

impl Today {
    /// The Beijing calendar date of `at`.
    pub fn of(at: crate::time::Timestamp) -> Today {
        let d = crate::time::beijing_date(at);
        Today { year: d.year(), month: d.month(), day: d.day() }
    }
}
