//! E-mail addresses: a practical check, not full RFC 5322.
//!
//! - Inputs over [`MAX_INPUT_BYTES`] are refused before any work.
//! - Trim; the full-width `＠` is read as `@`; the local part is converted from full-width ASCII
//!   to half-width (an input-method slip, never intended).
//! - Exactly one `@` (quoted local parts such as `"a@b"@example.cn` are not supported; nobody
//!   files one).
//! - Local part: 1-64 octets of the dot-atom set (ASCII letters, digits and
//!   ``!#$%&'*+/=?^_`{|}~-``), dots neither first, last nor doubled. **Policy**: non-ASCII
//!   characters (RFC 6531 internationalised addresses such as `张三@例子.中国`) are accepted
//!   without a finding; control, space and format characters are not. The local part keeps its
//!   case (it is case-sensitive in principle) and is not Unicode-normalised.
//! - Domain: [`super::domain::check`], whose findings are carried over **as-is** (codes
//!   `domain_*`), so the person reads exactly which part of the domain is wrong. An address
//!   literal (`user@[203.0.113.1]`) is refused through `domain_is_ip`.
//! - Normalised: `local@a-label-domain` (domain lower-case ASCII), at most 254 octets;
//!   `display` uses the U-label domain when it differs.

use std::borrow::Cow;

use super::{domain, Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Longest input read at all, in bytes.
pub const MAX_INPUT_BYTES: usize = 1024;
/// Longest local part, in octets (RFC 5321).
pub const MAX_LOCAL_OCTETS: usize = 64;
/// Longest address, in octets (RFC 5321 path limit minus the angle brackets).
pub const MAX_ADDRESS_OCTETS: usize = 254;

/// Finding codes of this check. The domain check's codes ([`domain::CODES`]) are carried over too.
pub const CODES: &[&str] = &[
    "email_input_too_long",
    "email_empty",
    "email_missing_at",
    "email_multiple_at",
    "email_local_empty",
    "email_local_too_long",
    "email_local_invalid_char",
    "email_local_dot_edge",
    "email_local_double_dot",
    "email_too_long",
];

/// Checks one e-mail address.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::Email, input)
}

/// [`check`] without a copy of the input: a valid ASCII address allocates only its normalised form.
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] borrowing from `input`: an address typed in its normal form (a lower-case ASCII
/// domain, no full-width characters) is the input (trimmed) itself, and so is the display form
/// of an IDN address typed with its U-label domain.
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    let mut out = Examined::default();
    if input.len() > MAX_INPUT_BYTES {
        out.push(Finding::error("email_input_too_long").with("length", input.len()).with("max", MAX_INPUT_BYTES));
        return out;
    }
    let trimmed = input.trim_matches(|c: char| c.is_whitespace());
    let text: Cow<'_, str> = if trimmed.is_ascii() || !trimmed.contains('\u{FF20}') {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.chars().map(|c| if c == '\u{FF20}' { '@' } else { c }).collect())
    };
    if text.is_empty() {
        out.push(Finding::error("email_empty"));
        return out;
    }
    let (local, domain_part) = match text.split_once('@') {
        None => {
            out.push(Finding::error("email_missing_at").with("value", text.as_ref()));
            return out;
        }
        Some((_, rest)) if rest.contains('@') => {
            out.push(Finding::error("email_multiple_at").with("value", text.as_ref()));
            return out;
        }
        Some((l, d)) => (l, d),
    };
    let local: Cow<'_, str> = if local.chars().all(|c| super::normalize::half_width_char(c) == c) {
        Cow::Borrowed(local)
    } else {
        Cow::Owned(local.chars().map(super::normalize::half_width_char).collect())
    };
    let local_ok = check_local(&local, &mut out.findings);

    let dom = domain::read(domain_part);
    out.findings.extend(dom.findings);
    if let (true, Some(ascii)) = (local_ok, dom.ascii) {
        let normalized = super::normalize::borrow_or_concat(input, &[&local, "@", &ascii]);
        if normalized.len() > MAX_ADDRESS_OCTETS {
            out.push(Finding::error("email_too_long").with("length", normalized.len()).with("max", MAX_ADDRESS_OCTETS));
        }
        out.display = dom.unicode.map(|u| super::normalize::borrow_or_concat(input, &[&local, "@", &u]));
        out.normalized = Some(normalized);
    }
    out
}

/// Checks the local part; true when it can be used as is.
fn check_local(local: &str, findings: &mut Vec<Finding>) -> bool {
    if local.is_empty() {
        findings.push(Finding::error("email_local_empty"));
        return false;
    }
    let before = findings.len();
    if local.len() > MAX_LOCAL_OCTETS {
        findings.push(Finding::error("email_local_too_long").with("length", local.len()).with("max", MAX_LOCAL_OCTETS));
    }
    if let Some(c) = local.chars().find(|&c| !local_char_allowed(c)) {
        findings.push(
            Finding::error("email_local_invalid_char")
                .with("local", local)
                .with("char", domain::describe_char(c))
                .with("codepoint", format!("U+{:04X}", c as u32)),
        );
    }
    if local.starts_with('.') || local.ends_with('.') {
        findings.push(Finding::error("email_local_dot_edge").with("local", local));
    }
    if local.contains("..") {
        findings.push(Finding::error("email_local_double_dot").with("local", local));
    }
    findings.len() == before
}

/// The dot-atom characters plus, by policy, visible non-ASCII characters (RFC 6531).
fn local_char_allowed(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || domain::is_invisible_in_findings(c)
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic() {
        let c = check(" Zhang.San＠例子.中国 ");
        assert!(c.is_valid(), "{:?}", c.findings);
        assert_eq!(c.normalized.as_deref(), Some("Zhang.San@xn--fsqu00a.xn--fiqs8s"));
        assert_eq!(c.display.as_deref(), Some("Zhang.San@例子.中国"));
        let bad = check("a..b@-x.cn");
        let codes: Vec<&str> = bad.findings.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(codes, ["email_local_double_dot", "domain_hyphen_edge"]);
        assert_eq!(bad.normalized, None);
    }
}
