//! Identifier checks: each kind of identifier a filing form carries, usable on its own.
//!
//! Every check takes what a person typed, normalises it (docs/identifiers.md: trim, half-width,
//! upper-case codes, no spaces or hyphens inside codes), and returns a [`Checked`]: the normalised
//! value and every finding with its code, severity and parameters. Checks never panic and never
//! read the clock, except [`resident_id`], which takes `today` to reject birth dates in the future.
//!
//! This module owns the algorithms and the policies of docs/identifiers.md; it does not know about forms,
//! paths, legal bases or messages: rendering a result in a locale is `IdentifierReport`'s
//! (`src/identifier.rs`), and the text normalisation it shares with dates is `crate::normalize`.
//!
//! Speed: a valid value allocates only what its result owns (the normalised value, and a display
//! form where the kind has one); codes are read through a stack buffer and plain ASCII takes a fast
//! path before any Unicode table. [`examine`] gives the result without a copy of the input;
//! `tests/ident_allocations.rs` counts the allocations. The engine goes one step further: its
//! examine (crate-internal, [`Examined`]) borrows the normalised value and the display form from
//! the input when they are the input itself (or the input trimmed), which is what most valid
//! values typed as printed are, so checking them allocates nothing.

use std::borrow::Cow;

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
pub mod scripts;
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

/// What a check found, without the input it was given: [`Checked`] less `kind` and `input`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// The normalised value, when the input could be read as this kind at all.
    pub normalized: Option<String>,
    /// The form to show a person when it differs from `normalized`.
    pub display: Option<String>,
    /// Every finding, errors first as found.
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// True when no finding is an error (warnings and infos allowed).
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// Adds a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The outcome of a single finding.
    pub fn finding(finding: Finding) -> Self {
        Outcome { findings: vec![finding], ..Outcome::default() }
    }

    /// This outcome as the [`Checked`] result of checking `input` as `kind`.
    pub fn checked(self, kind: IdentifierKind, input: &str) -> Checked {
        Checked {
            kind,
            input: input.to_owned(),
            normalized: self.normalized,
            display: self.display,
            findings: self.findings,
        }
    }
}

/// What a check found, borrowed from the input where it can be: [`Outcome`] with the normalised
/// value and the display form as [`Cow`]s, borrowed when they are the input as typed (or trimmed)
/// and owned when normalising changed them. The engine's form of a result (`rules/identifier.rs`,
/// `rules/cross_field.rs`): a value that is already normal is not copied.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Examined<'a> {
    /// The normalised value, when the input could be read as this kind at all.
    pub normalized: Option<Cow<'a, str>>,
    /// The form to show a person when it differs from `normalized`.
    pub display: Option<Cow<'a, str>>,
    /// Every finding, errors first as found.
    pub findings: Vec<Finding>,
}

impl Examined<'_> {
    /// True when no finding is an error (warnings and infos allowed).
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// Adds a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The outcome of a single finding.
    pub fn finding(finding: Finding) -> Self {
        Examined { findings: vec![finding], ..Examined::default() }
    }
}

impl From<Examined<'_>> for Outcome {
    fn from(e: Examined<'_>) -> Self {
        Outcome {
            normalized: e.normalized.map(Cow::into_owned),
            display: e.display.map(Cow::into_owned),
            findings: e.findings,
        }
    }
}

/// Checks `input` as identifier `kind`. `today` is the Beijing calendar date of the check (only
/// resident IDs use it, to refuse future birth dates); `None` skips that comparison.
pub fn check(kind: IdentifierKind, input: &str, today: Option<Today>) -> Checked {
    examine(kind, input, today).checked(kind, input)
}

/// [`check`] without copying the input into the result: for callers that hold the input already
/// (a valid value then allocates only its normalised form).
pub fn examine(kind: IdentifierKind, input: &str, today: Option<Today>) -> Outcome {
    examine_borrowed(kind, input, today).into()
}

/// [`examine`] borrowing from `input`: a normalised value (or display form) that is the input as
/// typed, or trimmed, is not copied (issue 12, item 4). What the engine calls.
pub(crate) fn examine_borrowed(kind: IdentifierKind, input: &str, today: Option<Today>) -> Examined<'_> {
    match kind {
        IdentifierKind::Uscc => uscc::examine_borrowed(input),
        IdentifierKind::OrgCode => org_code::examine_borrowed(input),
        IdentifierKind::ResidentId => resident_id::examine_borrowed(input, today),
        IdentifierKind::Domain => domain::examine_borrowed(input),
        IdentifierKind::Email => email::examine_borrowed(input),
        IdentifierKind::Url => http_url::examine_borrowed(input),
        IdentifierKind::Phone => phone::examine_phone_borrowed(input),
        IdentifierKind::Mobile => phone::examine_mobile_borrowed(input),
        IdentifierKind::Ip => ip::examine_borrowed(input),
        IdentifierKind::PsbFilingNumber => filing_number::examine_psb_borrowed(input),
        IdentifierKind::IcpNumber => filing_number::examine_icp_borrowed(input),
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

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Option<Today> = Some(Today { year: 2005, month: 6, day: 1 });

    /// Whether `c` borrows text equal to `expected`.
    fn borrowed(c: &Option<Cow<'_, str>>, expected: &str) -> bool {
        matches!(c, Some(Cow::Borrowed(s)) if *s == expected)
    }

    #[test]
    fn a_value_typed_in_its_normal_form_is_borrowed_not_copied() {
        let normal = [
            (IdentifierKind::Uscc, "91110000600037341L"),
            (IdentifierKind::OrgCode, "600037341"),
            (IdentifierKind::ResidentId, "110108196507221013"),
            (IdentifierKind::Domain, "www.huaxin-wt.com.cn"),
            (IdentifierKind::Email, "zhangjianguo@huaxin-wt.com.cn"),
            (IdentifierKind::Phone, "+861065012345"),
            (IdentifierKind::Phone, "4001234567"),
            (IdentifierKind::Phone, "12377"),
            (IdentifierKind::Mobile, "+8613901012345"),
            (IdentifierKind::Ip, "202.106.12.34"),
            (IdentifierKind::Ip, "2001:db8::1"),
            (IdentifierKind::PsbFilingNumber, "京公网安备11010502030143号"),
            (IdentifierKind::IcpNumber, "京ICP备05012345号"),
            (IdentifierKind::IcpNumber, "粤B2-20090059-5"),
        ];
        for (kind, input) in normal {
            for typed in [input.to_owned(), format!(" {input} ")] {
                let e = examine_borrowed(kind, &typed, TODAY);
                assert!(borrowed(&e.normalized, input), "{kind:?} {typed:?}: {e:?}");
                assert_eq!(Outcome::from(e), examine(kind, &typed, TODAY));
            }
        }
        // The printed forms, as typed, are the display forms.
        let org = examine_borrowed(IdentifierKind::OrgCode, "60003734-1", TODAY);
        assert!(borrowed(&org.display, "60003734-1") && !borrowed(&org.normalized, "600037341"), "{org:?}");
        let mail = examine_borrowed(IdentifierKind::Email, "张三@例子.中国", TODAY);
        assert!(borrowed(&mail.display, "张三@例子.中国"), "{mail:?}");
    }

    #[test]
    fn a_value_that_normalising_changes_is_owned() {
        let changed = [
            (IdentifierKind::Uscc, "９１１１ 0000-600037341l", "91110000600037341L"),
            (IdentifierKind::ResidentId, "11010519491231002x", "11010519491231002X"),
            (IdentifierKind::ResidentId, "110105491231002", "11010519491231002X"),
            (IdentifierKind::Domain, "WWW.Huaxin-wt.com.cn.", "www.huaxin-wt.com.cn"),
            (IdentifierKind::Mobile, "13901012345", "+8613901012345"),
            (IdentifierKind::Phone, "010-65012345", "+861065012345"),
            (IdentifierKind::Ip, "2001:DB8::1", "2001:db8::1"),
            (IdentifierKind::IcpNumber, "川ICP备12345678号", "蜀ICP备12345678号"),
        ];
        for (kind, input, normal) in changed {
            let e = examine_borrowed(kind, input, TODAY);
            assert!(matches!(&e.normalized, Some(Cow::Owned(s)) if s == normal), "{kind:?} {input:?}: {e:?}");
        }
    }
}
