//! Website URLs: http or https, parsed by the `url` crate (WHATWG URL Standard).
//!
//! - Inputs over [`MAX_INPUT_BYTES`] (2048, the common practical URL limit) are refused first,
//!   and so is a URL whose normalised (percent-encoded) form is over it.
//! - Trim. **Policy**: people type `www.example.cn`; an input without a scheme is read as
//!   `http://…` and a warning (`url_scheme_added`) says so, because the sealed value then has a
//!   scheme the person did not choose (the site may be https only). `//host/…` gets `http:` too.
//! - The scheme must be http or https (`url_scheme_not_http`); `mailto:`, `ftp://` … are errors.
//! - No user name or password in the URL (`url_credentials`).
//! - The host goes through [`super::domain::check`] (strict UTS #46, CNNIC rules, homograph and
//!   emoji policy); its findings are carried over as-is (`domain_*`). The `url` crate itself is
//!   lenient (WHATWG: no hyphen checks, `_` allowed), so this is where the domain policy bites.
//! - An IP host is a warning (`url_ip_host`): a website normally has a domain. The IP check's
//!   findings (non-public ranges) are carried over. The WHATWG parser reads `010.1.1.1` as octal
//!   and `0x7f.1` as 127.0.0.1; a host it reads as IPv4 whose text is not the canonical dotted
//!   quad is an error (`url_ip_ambiguous`).
//! - Normalised: the `url` crate's serialisation (A-label host, lower-case scheme and host,
//!   default port dropped, `/` path for an empty path, percent-encoded path and query);
//!   `display`: the same with the U-label host, when it differs.

use url::{Host, Url};

use std::borrow::Cow;

use super::{domain, ip, Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Longest input read at all, in bytes.
pub const MAX_INPUT_BYTES: usize = 2048;

/// Finding codes of this check. The domain and IP checks' codes are carried over too.
pub const CODES: &[&str] = &[
    "url_input_too_long",
    "url_empty",
    "url_scheme_added",
    "url_scheme_not_http",
    "url_invalid",
    "url_invalid_port",
    "url_no_host",
    "url_credentials",
    "url_ip_host",
    "url_ip_ambiguous",
];

/// Checks one website URL.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::Url, input)
}

/// [`check`] without a copy of the input.
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] in the engine's form. Nothing is borrowed: the normalised URL is the `url` crate's
/// serialisation, a string it has allocated whether or not it equals the input, and it is moved
/// out rather than copied.
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    let mut out = Examined::default();
    if input.len() > MAX_INPUT_BYTES {
        out.push(Finding::error("url_input_too_long").with("length", input.len()).with("max", MAX_INPUT_BYTES));
        return out;
    }
    let trimmed = input.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        out.push(Finding::error("url_empty"));
        return out;
    }
    let (text, added) = with_scheme(trimmed);
    let mut url = match Url::parse(&text) {
        Ok(u) => u,
        Err(e) => {
            parse_error(e, &text, &mut out.findings);
            return out;
        }
    };
    if added {
        out.push(Finding::warning("url_scheme_added").with("url", url.as_str()));
    }
    if !matches!(url.scheme(), "http" | "https") {
        out.push(Finding::error("url_scheme_not_http").with("scheme", url.scheme()));
        return out;
    }
    if !url.username().is_empty() || url.password().is_some() {
        out.push(Finding::error("url_credentials"));
    }
    let raw_host = raw_host(&text).unwrap_or_default();
    let mut unicode_host = None;
    match url.host() {
        None => {
            out.push(Finding::error("url_no_host"));
            return out;
        }
        Some(Host::Domain(d)) => {
            let dom = domain::read(d);
            out.findings.extend(dom.findings);
            let new_host = dom.ascii.filter(|ascii| ascii != d).map(Cow::into_owned);
            unicode_host = dom.unicode.map(Cow::into_owned);
            if let Some(ascii) = new_host {
                // Only a dropped root dot differs; keep the sealed URL in the same form.
                let _ = url.set_host(Some(&ascii));
            }
        }
        Some(Host::Ipv4(a)) => {
            if raw_host != a.to_string() {
                out.push(Finding::error("url_ip_ambiguous").with("host", raw_host).with("ip", a.to_string()));
            } else {
                out.push(Finding::warning("url_ip_host").with("ip", a.to_string()));
                out.findings.extend(ip::examine_borrowed(&a.to_string()).findings);
            }
        }
        Some(Host::Ipv6(a)) => {
            out.push(Finding::warning("url_ip_host").with("ip", a.to_string()));
            out.findings.extend(ip::examine_borrowed(&a.to_string()).findings);
        }
    }
    out.display = unicode_host.map(|h| Cow::Owned(display_with_host(&url, &h)));
    let normalized: String = url.into();
    // Serialising percent-encodes (a Chinese character in the path becomes 9 bytes, a control
    // character 3), so an input under the limit can give a longer normalised URL. That URL is what
    // would be sealed and checked again by the receiver, so it must be within the limit too
    // (found by fuzzing: tests/fuzz_regressions.rs).
    if normalized.len() > MAX_INPUT_BYTES {
        out.push(Finding::error("url_input_too_long").with("length", normalized.len()).with("max", MAX_INPUT_BYTES));
    }
    out.normalized = Some(Cow::Owned(normalized));
    out
}

/// The input with `http://` put in front when it has no scheme; true when added.
fn with_scheme(text: &str) -> (Cow<'_, str>, bool) {
    if let Some(rest) = text.strip_prefix("//") {
        return (Cow::Owned(format!("http://{rest}")), true);
    }
    if let Some((scheme, _)) = text.split_once(':') {
        let is_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        // `example.cn:8080/x` is host and port, not scheme `example.cn`: a scheme is followed by
        // `//`, or is one of the opaque schemes people paste (mailto:, javascript:, data: …).
        let opaque = ["mailto", "javascript", "data", "tel", "file", "about"];
        let after = text.get(scheme.len() + 1..).unwrap_or("");
        if is_scheme && (after.starts_with("//") || opaque.iter().any(|o| o.eq_ignore_ascii_case(scheme))) {
            return (Cow::Borrowed(text), false);
        }
    }
    (Cow::Owned(format!("http://{text}")), true)
}

/// The host as typed (between `//` and the next `/`, `?`, `#`, `\`; userinfo and port removed).
fn raw_host(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("//")?;
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return host_port.split_once(']').and_then(|(h, _)| host_port.get(..h.len() + 1));
    }
    Some(host_port.split(':').next().unwrap_or(""))
}

/// Reports a URL the `url` crate refused; host errors are re-examined by the domain check so the
/// person learns which part of the host is wrong.
fn parse_error(e: url::ParseError, text: &str, findings: &mut Vec<Finding>) {
    use url::ParseError as P;
    match e {
        P::EmptyHost => findings.push(Finding::error("url_no_host")),
        P::InvalidPort => findings.push(Finding::error("url_invalid_port")),
        P::IdnaError | P::InvalidDomainCharacter | P::InvalidIpv4Address | P::InvalidIpv6Address => {
            let host = raw_host(text).unwrap_or_default();
            let before = findings.len();
            if matches!(e, P::InvalidIpv6Address) || host.starts_with('[') {
                let inner = host.trim_start_matches('[').trim_end_matches(']');
                findings.extend(ip::examine_borrowed(inner).findings.into_iter().filter(Finding::is_error));
            } else if !host.is_empty() {
                findings.extend(domain::examine_borrowed(host).findings.into_iter().filter(Finding::is_error));
            }
            if findings.len() == before {
                findings.push(Finding::error("url_invalid").with("reason", e.to_string()));
            }
        }
        _ => findings.push(Finding::error("url_invalid").with("reason", e.to_string())),
    }
}

/// The serialisation of `url` with `host` (the U-label form) in place of its host.
fn display_with_host(url: &Url, host: &str) -> String {
    let mut s = format!("{}://{host}", url.scheme());
    if let Some(port) = url.port() {
        s.push_str(&format!(":{port}"));
    }
    s.push_str(url.path());
    if let Some(q) = url.query() {
        s.push('?');
        s.push_str(q);
    }
    if let Some(f) = url.fragment() {
        s.push('#');
        s.push_str(f);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(input: &str) -> Vec<String> {
        check(input).findings.iter().map(|f| f.code.to_string()).collect()
    }

    #[test]
    fn hosts() {
        let c = check("https://例子.中国/关于?x=1#top");
        assert!(c.is_valid(), "{:?}", c.findings);
        assert_eq!(c.normalized.as_deref(), Some("https://xn--fsqu00a.xn--fiqs8s/%E5%85%B3%E4%BA%8E?x=1#top"));
        assert_eq!(c.display.as_deref(), Some("https://例子.中国/%E5%85%B3%E4%BA%8E?x=1#top"));
        assert_eq!(codes("www.example.cn"), ["url_scheme_added"]);
        assert_eq!(check("example.cn:8080/a").normalized.as_deref(), Some("http://example.cn:8080/a"));
        assert_eq!(codes("http://010.1.1.1/"), ["url_ip_ambiguous"]);
        assert_eq!(codes("http://a b.cn/"), ["domain_invalid_char"]);
        assert_eq!(codes("http://[::1]/"), ["url_ip_host", "ip_loopback"]);
        assert_eq!(codes("mailto:a@example.cn"), ["url_scheme_not_http"]);
        assert_eq!(check("http://Example.CN./").normalized.as_deref(), Some("http://example.cn/"));
    }
}
