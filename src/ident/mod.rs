//! Identifier checks: each kind of identifier a filing form carries, usable on its own.
//!
//! Every check takes what a person typed, normalises it (docs/identifiers.md: trim, half-width,
//! upper-case codes, no spaces or hyphens inside codes), and returns a [`Checked`]: the normalised
//! value and every finding with its code, severity and parameters. Checks never panic and never
//! read the clock, except [`resident_id`], which takes `today` to reject birth dates in the future.
//!
//! This module owns the algorithms and the policies of docs/identifiers.md; it does not know about forms,
//! paths, legal bases or messages.

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub mod normalize;

pub mod confusables;
pub mod domain;
pub mod email;
pub mod filing_number;
pub mod http_url;
pub mod ip;
pub mod org_code;
pub mod phone;
pub mod resident_id;
pub mod uscc;

/// The identifier kinds of `formseal check` and of the identifier field kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentifierKind {
    /// 统一社会信用代码 (GB 32100-2015).
    Uscc,
    /// 组织机构代码 (GB 11714-1997).
    OrgCode,
    /// 公民身份号码 (GB 11643-1999), 18 digits or the legacy 15.
    ResidentId,
    /// A domain name (UTS #46, then the CNNIC registry rules under .cn / .中国 / .中國).
    Domain,
    /// An e-mail address.
    Email,
    /// An http(s) URL.
    Url,
    /// A telephone number: mobile, landline or 400/800 service line.
    Phone,
    /// A mainland mobile number.
    Mobile,
    /// An IPv4 or IPv6 address.
    Ip,
    /// 公安联网备案号 (`京公网安备 11010502030143号`).
    PsbFilingNumber,
    /// ICP 备案号, ICP 证 or 增值电信业务经营许可证 number.
    IcpNumber,
}

impl IdentifierKind {
    /// Every kind, in the order of the CLI's help.
    pub const ALL: [IdentifierKind; 11] = [
        IdentifierKind::Uscc,
        IdentifierKind::OrgCode,
        IdentifierKind::ResidentId,
        IdentifierKind::Domain,
        IdentifierKind::Email,
        IdentifierKind::Url,
        IdentifierKind::Phone,
        IdentifierKind::Mobile,
        IdentifierKind::Ip,
        IdentifierKind::PsbFilingNumber,
        IdentifierKind::IcpNumber,
    ];

    /// The kebab-case name used by the CLI and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Uscc => "uscc",
            IdentifierKind::OrgCode => "org-code",
            IdentifierKind::ResidentId => "resident-id",
            IdentifierKind::Domain => "domain",
            IdentifierKind::Email => "email",
            IdentifierKind::Url => "url",
            IdentifierKind::Phone => "phone",
            IdentifierKind::Mobile => "mobile",
            IdentifierKind::Ip => "ip",
            IdentifierKind::PsbFilingNumber => "psb-filing-number",
            IdentifierKind::IcpNumber => "icp-number",
        }
    }

    /// Parses a kebab-case (or snake_case) kind name.
    pub fn parse(name: &str) -> Option<IdentifierKind> {
        let name = name.trim().replace('_', "-");
        IdentifierKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The result of checking one identifier.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// What was checked.
    pub kind: IdentifierKind,
    /// Exactly what the person typed.
    pub input: String,
    /// The normalised value (what gets sealed), when the input could be read as this kind at all.
    /// Present for valid values; may be present for invalid ones (e.g. a wrong check character).
    pub normalized: Option<String>,
    /// The form to show a person when it differs from `normalized` (the U-label of a domain).
    pub display: Option<String>,
    /// Every finding, errors first as found.
    pub findings: Vec<Finding>,
}

impl Checked {
    /// An empty result for `input`, to be filled by a check.
    pub fn new(kind: IdentifierKind, input: &str) -> Self {
        Checked { kind, input: input.to_owned(), normalized: None, display: None, findings: Vec::new() }
    }

    /// True when no finding is an error (warnings and infos allowed).
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// Adds a finding (builder style, for checks).
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

/// The calendar date used by checks that need "today" (birth dates not in the future).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Today {
    /// Year.
    pub year: i16,
    /// Month, 1-12.
    pub month: i8,
    /// Day, 1-31.
    pub day: i8,
}

/// Checks `input` as identifier `kind`. `today` is the Beijing calendar date of the check (only
/// resident IDs use it, to refuse future birth dates); `None` skips that comparison.
pub fn check(kind: IdentifierKind, input: &str, today: Option<Today>) -> Checked {
    match kind {
        IdentifierKind::Uscc => uscc::check(input),
        IdentifierKind::OrgCode => org_code::check(input),
        IdentifierKind::ResidentId => resident_id::check(input, today),
        IdentifierKind::Domain => domain::check(input),
        IdentifierKind::Email => email::check(input),
        IdentifierKind::Url => http_url::check(input),
        IdentifierKind::Phone => phone::check_phone(input),
        IdentifierKind::Mobile => phone::check_mobile(input),
        IdentifierKind::Ip => ip::check(input),
        IdentifierKind::PsbFilingNumber => filing_number::check_psb(input),
        IdentifierKind::IcpNumber => filing_number::check_icp(input),
    }
}

/// Every finding code any identifier check can emit (for catalogue completeness tests).
pub fn codes() -> impl Iterator<Item = &'static str> {
    [
        uscc::CODES,
        org_code::CODES,
        resident_id::CODES,
        domain::CODES,
        email::CODES,
        http_url::CODES,
        phone::CODES,
        ip::CODES,
        filing_number::CODES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

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
    pub severity: crate::Severity,
    /// The message in the requested locale.
    pub message: String,
    /// The finding's parameters.
    pub params: crate::finding::Params,
}

impl Checked {
    /// This result with messages rendered in `locale`.
    pub fn report(&self, locale: crate::Locale) -> IdentifierReport {
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
                    message: crate::messages::render(&f.code, &f.params, locale),
                    params: f.params.clone(),
                })
                .collect(),
        }
    }
}

impl Today {
    /// The Beijing calendar date of `at`.
    pub fn of(at: jiff::Timestamp) -> Today {
        let d = crate::time::beijing_date(at);
        Today { year: d.year(), month: d.month(), day: d.day() }
    }
}
