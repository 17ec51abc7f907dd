//! Domain names: UTS #46 in its strict form, then the CNNIC registry rules under the Chinese TLDs
//! and a homograph policy elsewhere (docs/identifiers.md, "Domain names").
//!
//! Steps:
//! 1. Inputs over [`MAX_INPUT_BYTES`] are refused before any work (`domain_input_too_long`).
//! 2. Trim; the full-width dots `。` `．` `｡` are label separators; one trailing root dot is
//!    accepted and dropped (`example.cn.` is the same name as `example.cn`).
//! 3. Something that reads as an IPv4 or IPv6 address is not a domain (`domain_is_ip`).
//! 4. UTS #46 ToASCII with `UseSTD3ASCIIRules`, `CheckHyphens` and `VerifyDnsLength`. The `idna`
//!    crate's error says nothing about what failed, so on failure our own diagnostics name the
//!    label and the rule (`domain_empty_label`, `domain_invalid_char`, `domain_hyphen_edge`,
//!    `domain_double_hyphen`, `domain_label_too_long`, `domain_too_long`, `domain_wildcard`),
//!    falling back to `domain_idna_invalid` (bidi, joiner context, bad Punycode …).
//! 5. On the A-label and U-label forms: at least two labels, TLD not all digits and not one
//!    letter, no emoji anywhere and no symbol that IDNA2008 disallows (below); under `.cn`,
//!    `.中国`, `.中國` the CNNIC label rules (a-z, digits, hyphen, Han;
//!    no `--` except the `xn--` prefix; at most 20 Han characters); under other TLDs a label
//!    mixing scripts beyond the UTS #39 "highly restrictive" combinations is a warning.
//! 6. Look-alikes (UTS #39 whole-script confusables): a label written in Cyrillic or Greek letters
//!    that all look like ASCII (`раураӏ` for `paypal`) is `domain_confusable`, an error under the
//!    Chinese TLDs (besides `domain_cn_invalid_char`) and a warning elsewhere. A label that mixes
//!    scripts is already `domain_mixed_script` outside the Chinese TLDs and is not reported twice.
//!
//! Symbols (docs/identifiers.md, "Forms seen in real filings"): strict UTS #46 still lets through
//! characters that IDNA2008 (RFC 5892) disallows and no registry accepts: currency signs (`€`),
//! mathematical symbols (`∞`), arrows (`→`), dingbats (`✓`) and other symbols and punctuation.
//! After the emoji check, a label holding one is `domain_symbol`, an error under every TLD. The
//! test is RFC 5892's by general category: symbols (Sm, Sc, Sk, So), punctuation (P*), enclosing
//! marks (Me), letter and other numbers (Nl, No), and the combining marks for symbols
//! (U+20D0-U+20FF) and musical symbols (U+1D100-U+1D24F), except RFC 5892's own exceptions that
//! are PVALID or CONTEXTO (`·` U+00B7 in Catalan, `・` U+30FB in Japanese, `〇` U+3007, the Greek
//! keraia, the Hebrew geresh and gershayim, the Tibetan tsheg, two Arabic signs). A one-letter
//! TLD (`example.c`) is `domain_tld_one_letter`: no such TLD exists.
//!
//! The normalised value is the A-label form (lower-case ASCII, no trailing dot); `display` is the
//! U-label form when it differs.

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

use std::borrow::Cow;

use super::scripts::{self, Script};
use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Longest input read at all, in bytes (UTF-8). A domain is at most 253 octets in A-label form;
/// its Unicode form is shorter or of similar size, so 1024 bytes leaves room for spaces and
/// full-width characters while refusing pasted documents before any work.
pub const MAX_INPUT_BYTES: usize = 1024;
/// Longest domain in A-label form, without the root dot (RFC 1035 / UTS #46 VerifyDnsLength).
pub const MAX_DOMAIN_OCTETS: usize = 253;
/// Longest label in A-label form.
pub const MAX_LABEL_OCTETS: usize = 63;
/// Most Han characters per label under the Chinese TLDs (CNNIC).
pub const MAX_HAN_PER_LABEL: usize = 20;

/// The A-labels of the Chinese TLDs whose registry rules apply: `.cn`, `.中国`, `.中國`.
pub const CHINESE_TLDS: [&str; 3] = ["cn", "xn--fiqs8s", "xn--fiqz9s"];

/// Finding codes of this check.
pub const CODES: &[&str] = &[
    "domain_input_too_long",
    "domain_empty",
    "domain_is_ip",
    "domain_wildcard",
    "domain_empty_label",
    "domain_invalid_char",
    "domain_hyphen_edge",
    "domain_double_hyphen",
    "domain_label_too_long",
    "domain_too_long",
    "domain_invalid_punycode",
    "domain_idna_invalid",
    "domain_single_label",
    "domain_tld_numeric",
    "domain_emoji",
    "domain_symbol",
    "domain_tld_one_letter",
    "domain_cn_invalid_char",
    "domain_cn_too_many_han",
    "domain_mixed_script",
    "domain_confusable",
];

/// Checks one domain name.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::Domain, input)
}

/// [`check`] without a copy of the input: a valid ASCII name allocates only its normalised form
/// (and an IDN its display form too).
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] borrowing from `input`: the A-label form of a name typed in lower-case ASCII is
/// the input (trimmed) itself.
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    let name = read(input);
    let mut out = Examined { findings: name.findings, ..Examined::default() };
    if let Some(ascii) = name.ascii {
        out.display = name.unicode;
        out.normalized = Some(ascii);
    }
    out
}

/// A domain as read by [`read`]: the A-label form, the U-label form when it differs, and the
/// findings; borrowed from the input where nothing had to change.
pub(crate) struct Name<'a> {
    /// The A-label form, when strict UTS #46 accepted the name.
    pub ascii: Option<Cow<'a, str>>,
    /// The U-label form, when it differs from `ascii`.
    pub unicode: Option<Cow<'a, str>>,
    /// Every finding.
    pub findings: Vec<Finding>,
}

/// Reads one domain name (the work of [`examine`], for the e-mail and URL checks too).
pub(crate) fn read(input: &str) -> Name<'_> {
    let mut name = Name { ascii: None, unicode: None, findings: Vec::new() };
    if input.len() > MAX_INPUT_BYTES {
        name.findings
            .push(Finding::error("domain_input_too_long").with("length", input.len()).with("max", MAX_INPUT_BYTES));
        return name;
    }
    let prepared = prepare(input);
    if prepared.is_empty() {
        name.findings.push(Finding::error("domain_empty"));
        return name;
    }
    if looks_like_ip(&prepared) {
        name.findings.push(Finding::error("domain_is_ip").with("value", prepared.as_ref()));
        return name;
    }
    let ascii = match &prepared {
        Cow::Borrowed(p) => strict_to_ascii(p),
        Cow::Owned(p) => strict_to_ascii(p).map(|a| Cow::Owned(a.into_owned())),
    };
    match ascii {
        Some(ascii) => {
            let unicode = to_unicode_cow(&ascii);
            policy_checks(&ascii, &unicode, &mut name.findings);
            // The U-label form of an IDN is decoded (allocated) for the policy checks anyway, so it
            // is kept even when it is the input as typed: borrowing it instead would save nothing
            // here and cost `examine` a copy.
            if unicode != ascii {
                name.unicode = Some(Cow::Owned(unicode.into_owned()));
            }
            name.ascii = Some(ascii);
        }
        None => diagnose(&prepared, &mut name.findings),
    }
    name
}

/// The U-label form of a domain for display: every valid `xn--` label decoded. A name that does
/// not decode cleanly is returned unchanged (never with U+FFFD replacement characters).
pub fn to_unicode(ascii: &str) -> String {
    to_unicode_cow(ascii).into_owned()
}

/// [`to_unicode`], borrowed when no label is an A-label (nothing to decode).
fn to_unicode_cow(ascii: &str) -> Cow<'_, str> {
    if ascii.is_ascii() && !ascii.split('.').any(|l| l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"))) {
        return Cow::Borrowed(ascii);
    }
    let (text, result) = Uts46::new().to_unicode(ascii.as_bytes(), AsciiDenyList::EMPTY, Hyphens::Allow);
    match result {
        Ok(()) => text,
        Err(_) => Cow::Borrowed(ascii),
    }
}

/// Trim (including the ideographic space), full-width dots to `.`, one trailing root dot dropped.
fn prepare(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let is_wide_dot = |c: char| matches!(c, '\u{3002}' | '\u{FF0E}' | '\u{FF61}');
    let mut s = if trimmed.is_ascii() || !trimmed.contains(is_wide_dot) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.chars().map(|c| if is_wide_dot(c) { '.' } else { c }).collect())
    };
    if s.ends_with('.') && !s.ends_with("..") {
        match &mut s {
            Cow::Borrowed(b) => *b = b.get(..b.len() - 1).unwrap_or(""),
            Cow::Owned(o) => {
                o.pop();
            }
        }
    }
    s
}

/// Whether the prepared input is an IP address rather than a name: four all-digit labels (also
/// `256.1.1.1` or `010.1.1.1`, which are malformed addresses, not names) or an IPv6 address,
/// bracketed or not. Full-width digits count as digits.
fn looks_like_ip(s: &str) -> bool {
    let half = crate::normalize::half_width_cow(s);
    let inner = half.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(&half);
    if inner.contains(':') {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let mut parts = 0;
    for p in inner.split('.') {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

/// UTS #46 ToASCII, strict: STD3 ASCII rules, CheckHyphens, VerifyDnsLength.
fn strict_to_ascii(s: &str) -> Option<Cow<'_, str>> {
    Uts46::new().to_ascii(s.as_bytes(), AsciiDenyList::STD3, Hyphens::Check, DnsLength::Verify).ok()
}

/// The A-label of one label with no checks beyond those needed to compute it (for lengths).
fn lenient_label_to_ascii(label: &str) -> Option<String> {
    Uts46::new()
        .to_ascii(label.as_bytes(), AsciiDenyList::EMPTY, Hyphens::Allow, DnsLength::Ignore)
        .ok()
        .map(|c| c.into_owned())
}

/// Whether one character can appear in a strict UTS #46 label: alone, after a Latin letter or
/// after a Hebrew letter (so that combining marks, which may not start a label, and characters
/// the bidi rule only admits in right-to-left labels, such as Arabic-Indic digits, are not
/// blamed for what is really a context error).
fn char_allowed(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-';
    }
    let uts = Uts46::new();
    let ok = |s: &str| uts.to_ascii(s.as_bytes(), AsciiDenyList::STD3, Hyphens::Allow, DnsLength::Ignore).is_ok();
    let mut buf = String::with_capacity(8);
    ["", "a", "\u{05D0}"].iter().any(|prefix| {
        buf.clear();
        buf.push_str(prefix);
        buf.push(c);
        ok(&buf)
    })
}

/// Whether a finding names `c` by its code point rather than itself (it cannot be seen).
pub(crate) fn is_invisible_in_findings(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFD}')
}

/// How a character is named in a finding: itself when visible, else its code point.
pub(crate) fn describe_char(c: char) -> String {
    if is_invisible_in_findings(c) {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
    }
}

/// Explains why strict UTS #46 refused the name: per-label findings where we can tell, else the
/// generic `domain_idna_invalid` naming the first label that fails on its own.
fn diagnose(s: &str, findings: &mut Vec<Finding>) {
    let before = findings.len();
    let labels: Vec<&str> = s.split('.').collect();
    let count = labels.len();
    let mut total_octets = count.saturating_sub(1);
    for (i, label) in labels.iter().enumerate() {
        let position = i + 1;
        if label.is_empty() {
            findings.push(Finding::error("domain_empty_label").with("position", position).with("domain", s));
            continue;
        }
        if *label == "*" && count > 1 && i == 0 {
            findings.push(Finding::error("domain_wildcard").with("domain", s));
            continue;
        }
        // An `xn--` label is judged by what its Punycode decodes to.
        let lower = label.to_lowercase();
        let decoded = match lower.strip_prefix("xn--") {
            Some(rest) => match idna::punycode::decode_to_string(rest) {
                Some(d) => d,
                None => {
                    findings.push(Finding::error("domain_invalid_punycode").with("label", *label));
                    total_octets += label.len();
                    continue;
                }
            },
            None => lower,
        };
        if let Some(c) = decoded.chars().find(|&c| !char_allowed(c)) {
            findings.push(
                Finding::error("domain_invalid_char")
                    .with("label", *label)
                    .with("char", describe_char(c))
                    .with("codepoint", format!("U+{:04X}", c as u32)),
            );
            continue;
        }
        let Some(a_label) = lenient_label_to_ascii(label) else {
            // Every character is allowed on its own, yet the label does not map: a context rule
            // (bidi, joiners, leading combining mark) fails; the generic finding below says so.
            total_octets += label.len();
            continue;
        };
        // The label as UTS #46 maps it (lower case, full-width to ASCII, NFC), for hyphen rules.
        let mapped = to_unicode(&a_label);
        if mapped.starts_with('-') || mapped.ends_with('-') {
            findings.push(Finding::error("domain_hyphen_edge").with("label", *label));
        } else if mapped.get(2..4) == Some("--") {
            findings.push(Finding::error("domain_double_hyphen").with("label", *label));
        }
        total_octets += a_label.len();
        if a_label.len() > MAX_LABEL_OCTETS {
            findings.push(
                Finding::error("domain_label_too_long")
                    .with("label", *label)
                    .with("length", a_label.len())
                    .with("max", MAX_LABEL_OCTETS),
            );
        }
    }
    if total_octets > MAX_DOMAIN_OCTETS {
        findings.push(Finding::error("domain_too_long").with("length", total_octets).with("max", MAX_DOMAIN_OCTETS));
    }
    if findings.len() == before {
        let culprit = labels
            .iter()
            .find(|l| {
                Uts46::new().to_ascii(l.as_bytes(), AsciiDenyList::STD3, Hyphens::Check, DnsLength::Ignore).is_err()
            })
            .copied()
            .unwrap_or(s);
        findings.push(Finding::error("domain_idna_invalid").with("label", culprit));
    }
}

/// Registry and homograph rules on a name that passed strict UTS #46.
fn policy_checks(ascii: &str, unicode: &str, findings: &mut Vec<Finding>) {
    let a_count = ascii.split('.').count();
    if a_count < 2 {
        findings.push(Finding::error("domain_single_label").with("domain", unicode));
    }
    let tld = ascii.rsplit('.').next().unwrap_or("");
    if !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_digit()) {
        findings.push(Finding::error("domain_tld_numeric").with("tld", tld));
    } else if a_count >= 2 && tld.len() == 1 {
        findings.push(Finding::error("domain_tld_one_letter").with("tld", tld));
    }
    let chinese = a_count >= 2 && CHINESE_TLDS.contains(&tld);
    let n = unicode.split('.').count();
    for (i, label) in unicode.split('.').enumerate() {
        // ASCII is never an emoji or a symbol here (UTS #46's STD3 rules judged it), never of two
        // scripts and never a look-alike: only its CNNIC rules remain.
        let ascii_label = label.is_ascii();
        if !ascii_label {
            if let Some(c) = label.chars().find(|&c| is_emoji(c)) {
                findings.push(Finding::error("domain_emoji").with("label", label).with("char", describe_char(c)));
                continue;
            }
            if let Some(c) = label.chars().find(|&c| is_idna2008_symbol(c)) {
                findings.push(Finding::error("domain_symbol").with("label", label).with("char", describe_char(c)));
                continue;
            }
        }
        if chinese {
            if i + 1 == n {
                continue; // the TLD itself
            }
            cnnic_label(label, findings);
            // Already an error for its characters; also say what it imitates.
            if let Some(looks_like) = ascii_lookalike(label) {
                findings.push(Finding::error("domain_confusable").with("label", label).with("looks_like", looks_like));
            }
        } else if ascii_label {
            continue;
        } else if let Some(scripts) = mixed_scripts(label) {
            findings.push(Finding::warning("domain_mixed_script").with("label", label).with("scripts", scripts));
        } else if let Some(looks_like) = ascii_lookalike(label) {
            findings.push(Finding::warning("domain_confusable").with("label", label).with("looks_like", looks_like));
        }
    }
}

/// The ASCII label that a U-label imitates, when it has non-ASCII characters and every one of them
/// is a Cyrillic or Greek letter that looks like ASCII (UTS #39 confusables, [`super::confusables`]):
/// `раураӏ` gives `paypal`. Han and every other script are never look-alikes here, so Chinese
/// labels (`华信网通`, `测试123`) are never flagged.
fn ascii_lookalike(label: &str) -> Option<String> {
    if label.is_ascii() {
        return None;
    }
    let mut skeleton = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_ascii() {
            skeleton.push(c);
        } else {
            skeleton.push_str(super::confusables::latin_lookalike(c)?);
        }
    }
    Some(skeleton)
}

/// CNNIC label rules on one U-label (hyphen edges and lengths were checked by UTS #46).
fn cnnic_label(label: &str, findings: &mut Vec<Finding>) {
    if let Some(c) = label.chars().find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || is_han(c))) {
        findings.push(Finding::error("domain_cn_invalid_char").with("label", label).with("char", describe_char(c)));
    }
    if label.contains("--") {
        findings.push(Finding::error("domain_double_hyphen").with("label", label));
    }
    let han = if label.is_ascii() { 0 } else { label.chars().filter(|&c| is_han(c)).count() };
    if han > MAX_HAN_PER_LABEL {
        findings.push(
            Finding::error("domain_cn_too_many_han")
                .with("label", label)
                .with("count", han)
                .with("max", MAX_HAN_PER_LABEL),
        );
    }
}

/// Whether IDNA2008 (RFC 5892) disallows `c` as a symbol, punctuation or number sign: the general
/// categories Sm, Sc, Sk, So, P*, Me, Nl and No, the combining marks for symbols and the musical
/// symbols blocks, less RFC 5892's PVALID and CONTEXTO exceptions among them. ASCII is judged by
/// UTS #46's STD3 rules before this, so it is never a symbol here.
pub fn is_idna2008_symbol(c: char) -> bool {
    use icu_properties::props::GeneralCategory as Gc;
    if c.is_ascii() {
        return false;
    }
    // RFC 5892 §2.6 exceptions (PVALID or CONTEXTO) that fall in the categories below.
    if matches!(
        c,
        '\u{00B7}'
            | '\u{0375}'
            | '\u{05F3}'
            | '\u{05F4}'
            | '\u{06FD}'
            | '\u{06FE}'
            | '\u{0F0B}'
            | '\u{3007}'
            | '\u{30FB}'
    ) {
        return false;
    }
    // RFC 5892 §2.5 IgnorableBlocks: marks that only combine with symbols.
    if matches!(c, '\u{20D0}'..='\u{20FF}' | '\u{1D100}'..='\u{1D24F}') {
        return true;
    }
    matches!(
        icu_properties::CodePointMapData::<Gc>::new().get(c),
        Gc::MathSymbol
            | Gc::CurrencySymbol
            | Gc::ModifierSymbol
            | Gc::OtherSymbol
            | Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
            | Gc::EnclosingMark
            | Gc::LetterNumber
            | Gc::OtherNumber
    )
}

fn is_han(c: char) -> bool {
    scripts::script(c) == Some(scripts::HAN)
}

/// The scripts of a label when they are not an allowed combination under UTS #39's "highly
/// restrictive" level: one script, or a subset of Latin+Han+Hiragana+Katakana (Japanese),
/// Latin+Han+Bopomofo (Chinese), Latin+Han+Hangul (Korean). Common and Inherited characters
/// (digits, hyphen, combining marks) belong to every script. Returns e.g. `"Greek, Latin"`.
fn mixed_scripts(label: &str) -> Option<String> {
    if label.is_ascii() {
        return None; // Latin letters, and digits and hyphens of every script
    }
    // The distinct scripts, as a set of script numbers.
    let mut seen = [0u64; scripts::COUNT.div_ceil(64)];
    let mut count = 0;
    for s in label.chars().filter_map(scripts::script) {
        let (word, bit) = (usize::from(s.id() / 64), s.id() % 64);
        if let Some(w) = seen.get_mut(word) {
            if *w & (1 << bit) == 0 {
                *w |= 1 << bit;
                count += 1;
            }
        }
    }
    if count <= 1 {
        return None;
    }
    // In number order, which is the names' order.
    let found = (0..=u8::MAX)
        .filter(|id| seen.get(usize::from(id / 64)).is_some_and(|w| w & (1 << (id % 64)) != 0))
        .filter_map(Script::from_id);
    const ALLOWED: [&[Script]; 3] = [
        &[scripts::LATIN, scripts::HAN, scripts::HIRAGANA, scripts::KATAKANA],
        &[scripts::LATIN, scripts::HAN, scripts::BOPOMOFO],
        &[scripts::LATIN, scripts::HAN, scripts::HANGUL],
    ];
    if ALLOWED.iter().any(|set| found.clone().all(|s| set.contains(&s))) {
        return None;
    }
    Some(found.map(Script::name).collect::<Vec<_>>().join(", "))
}

/// Extended_Pictographic (Unicode 16 emoji-data.txt) plus the regional indicators (flags) and
/// the skin-tone modifiers; sorted, non-overlapping, for a binary search. About 700 bytes.
const EMOJI: &[(u32, u32)] = &[
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x2388, 0x2388),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x2605),
    (0x2607, 0x2612),
    (0x2614, 0x2685),
    (0x2690, 0x2705),
    (0x2708, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271D, 0x271D),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2767),
    (0x2795, 0x2797),
    (0x27A1, 0x27A1),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F0FF),
    (0x1F10D, 0x1F10F),
    (0x1F12F, 0x1F12F),
    (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F1AD, 0x1F1FF), // includes the regional indicators 1F1E6..1F1FF
    (0x1F201, 0x1F20F),
    (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F),
    (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F),
    (0x1F249, 0x1F53D), // includes the skin-tone modifiers 1F3FB..1F3FF
    (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F774, 0x1F77F),
    (0x1F7D5, 0x1F7FF),
    (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F),
    (0x1F85A, 0x1F85F),
    (0x1F888, 0x1F88F),
    (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945),
    (0x1F947, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
];

/// Whether `c` is an emoji (pictograph, flag letter or skin-tone modifier).
pub fn is_emoji(c: char) -> bool {
    let cp = c as u32;
    EMOJI
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(input: &str) -> Vec<String> {
        check(input).findings.iter().map(|f| f.code.to_string()).collect()
    }

    #[test]
    fn emoji_table_is_sorted_and_disjoint() {
        for w in EMOJI.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:?}");
        }
        assert!(is_emoji('😀') && is_emoji('©') && is_emoji('\u{1F1E8}') && !is_emoji('a') && !is_emoji('中'));
    }

    #[test]
    fn valid_names() {
        let c = check("中国政府网.中国");
        assert!(c.is_valid(), "{:?}", c.findings);
        assert_eq!(c.normalized.as_deref(), Some("xn--fiqs8sirgfmhq98a.xn--fiqs8s"));
        assert_eq!(c.display.as_deref(), Some("中国政府网.中国"));
        assert_eq!(check("Example.CN.").normalized.as_deref(), Some("example.cn"));
    }

    #[test]
    fn diagnostics_name_the_rule() {
        assert_eq!(codes("a_b.com"), ["domain_invalid_char"]);
        assert_eq!(codes("-abc.cn"), ["domain_hyphen_edge"]);
        assert_eq!(codes("ab--cd.com"), ["domain_double_hyphen"]);
        assert_eq!(codes("a..cn"), ["domain_empty_label"]);
        assert_eq!(codes("*.example.cn"), ["domain_wildcard"]);
        assert_eq!(codes("xn--zz.com"), ["domain_invalid_punycode"]);
        assert_eq!(codes("a\u{0301}b\u{05D0}.com"), ["domain_idna_invalid"]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", ".", "..", "\u{0}", "\u{FFFD}", "[", "[]", "xn--", "xn--.cn", "\u{200D}", "。", "a。", "ｘｎ－－"]
        {
            let _ = check(s);
        }
        let big = "a".repeat(10 * 1024 * 1024);
        assert_eq!(codes(&big), ["domain_input_too_long"]);
        let long = format!("{}.cn", "a".repeat(300));
        let _ = check(&long);
    }

    #[test]
    fn pseudo_random_inputs_never_panic() {
        const PALETTE: &[char] = &[
            'a',
            'Z',
            '0',
            '9',
            '-',
            '.',
            '@',
            ':',
            '/',
            '[',
            ']',
            '%',
            '_',
            '*',
            ' ',
            '\u{3002}',
            '\u{FF0E}',
            '\u{FF20}',
            '\u{3000}',
            '\u{200C}',
            '\u{200D}',
            '\u{0301}',
            '\u{05D0}',
            '\u{0627}',
            '\u{0660}',
            '\u{0430}',
            '\u{03BF}',
            '中',
            '国',
            '\u{1F600}',
            '\u{FFFD}',
            '\u{0000}',
            '\u{FEFF}',
            'x',
            'n',
            'ß',
            '\u{10FFFF}',
            '\u{E000}',
            '\u{2488}',
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut s = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(PALETTE[(state % PALETTE.len() as u64) as usize]);
            }
            for p in ["", "xn--", "http://", "a@"] {
                let input = format!("{p}{s}");
                let _ = check(&input);
                let _ = super::super::email::check(&input);
                let _ = super::super::http_url::check(&input);
                let _ = super::super::ip::check(&input);
            }
        }
    }
}
