//! IP addresses: IPv4 in dotted-decimal form and IPv6 (RFC 4291 text), via `std::net`.
//!
//! - Inputs over [`MAX_INPUT_BYTES`] are refused before any work.
//! - Trim, full-width digits/dots/colons to half-width; brackets around IPv6 (`[::1]`) dropped.
//! - IPv4 must be exactly four decimal octets 0-255. A leading zero (`010.1.1.1`) is an error:
//!   some software reads it as octal (8.1.1.1), so the address is ambiguous.
//! - IPv6 zone ids (`fe80::1%eth0`) are refused: they only mean something on one host.
//! - The normalised value is the canonical text (`std` Display: RFC 5952 for IPv6, lower case,
//!   longest zero run compressed).
//! - A filing names a server's public address, so an address in a special-purpose range
//!   (IANA special-purpose registries) is a warning naming the range. Stable Rust has no
//!   `is_global`, hence the explicit tables.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use std::borrow::Cow;

use super::{Checked, Examined, IdentifierKind, Outcome};
use crate::finding::Finding;

/// Longest input read at all, in bytes.
pub const MAX_INPUT_BYTES: usize = 1024;

/// Finding codes of this check.
pub const CODES: &[&str] = &[
    "ip_input_too_long",
    "ip_empty",
    "ip_invalid",
    "ip_leading_zero",
    "ip_zone_id",
    "ip_private",
    "ip_loopback",
    "ip_link_local",
    "ip_documentation",
    "ip_unspecified",
    "ip_multicast",
    "ip_reserved",
];

/// Checks one IP address.
pub fn check(input: &str) -> Checked {
    examine(input).checked(IdentifierKind::Ip, input)
}

/// [`check`] without a copy of the input: a valid address allocates only its normalised form.
pub fn examine(input: &str) -> Outcome {
    examine_borrowed(input).into()
}

/// [`examine`] borrowing the normalised form from `input` when the input (trimmed) is the
/// canonical text already (`202.106.12.34`, `2001:db8::1`).
pub(crate) fn examine_borrowed(input: &str) -> Examined<'_> {
    let mut out = Examined::default();
    if input.len() > MAX_INPUT_BYTES {
        out.push(Finding::error("ip_input_too_long").with("length", input.len()).with("max", MAX_INPUT_BYTES));
        return out;
    }
    let is_wide_dot = |c: char| matches!(c, '\u{3002}' | '\u{FF61}');
    let half = crate::normalize::half_width_cow(input);
    let text: Cow<'_, str> = if half.is_ascii() || !half.contains(is_wide_dot) {
        half
    } else {
        Cow::Owned(half.chars().map(|c| if is_wide_dot(c) { '.' } else { c }).collect())
    };
    if text.is_empty() {
        out.push(Finding::error("ip_empty"));
        return out;
    }
    match parse(&text) {
        Ok(addr) => {
            if let Some((code, range)) = special_range(addr) {
                out.push(Finding::warning(code).with("ip", addr.to_string()).with("range", range));
            }
            out.normalized = Some(super::normalize::display_borrowed(input, &addr));
        }
        Err(f) => out.push(f),
    }
    out
}

/// Parses an address strictly (see the module documentation); the error is the finding to report.
pub fn parse(text: &str) -> Result<IpAddr, Finding> {
    let inner = text.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(text);
    if inner.contains(':') {
        if inner.contains('%') {
            return Err(Finding::error("ip_zone_id").with("value", inner));
        }
        return inner
            .parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| Finding::error("ip_invalid").with("value", inner));
    }
    parse_v4(inner).map(IpAddr::V4)
}

/// Dotted-decimal IPv4: four octets of 1-3 digits, 0-255, no leading zeros.
fn parse_v4(text: &str) -> Result<Ipv4Addr, Finding> {
    let invalid = || Finding::error("ip_invalid").with("value", text);
    let mut octets = [0u8; 4];
    let mut count = 0;
    for part in text.split('.') {
        let slot = octets.get_mut(count).ok_or_else(invalid)?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        if part.len() > 1 && part.starts_with('0') {
            return Err(Finding::error("ip_leading_zero").with("value", text).with("octet", part));
        }
        *slot = part.parse::<u8>().map_err(|_| invalid())?;
        count += 1;
    }
    if count != 4 {
        return Err(invalid());
    }
    Ok(Ipv4Addr::from(octets))
}

/// The warning code and the CIDR range of a special-purpose address, `None` for a public one.
pub fn special_range(addr: IpAddr) -> Option<(&'static str, &'static str)> {
    match addr {
        IpAddr::V4(a) => special_v4(a),
        IpAddr::V6(a) => special_v6(a),
    }
}

/// IPv4 special-purpose ranges (RFC 6890 and the IANA registry), most specific first.
const V4_RANGES: &[(u32, u8, &str, &str)] = &[
    (0x0000_0000, 32, "ip_unspecified", "0.0.0.0/32"),
    (0x0000_0000, 8, "ip_reserved", "0.0.0.0/8"),
    (0x0A00_0000, 8, "ip_private", "10.0.0.0/8"),
    (0x6440_0000, 10, "ip_private", "100.64.0.0/10"),
    (0x7F00_0000, 8, "ip_loopback", "127.0.0.0/8"),
    (0xA9FE_0000, 16, "ip_link_local", "169.254.0.0/16"),
    (0xAC10_0000, 12, "ip_private", "172.16.0.0/12"),
    (0xC000_0000, 24, "ip_reserved", "192.0.0.0/24"),
    (0xC000_0200, 24, "ip_documentation", "192.0.2.0/24"),
    (0xC0A8_0000, 16, "ip_private", "192.168.0.0/16"),
    (0xC612_0000, 15, "ip_documentation", "198.18.0.0/15"),
    (0xC633_6400, 24, "ip_documentation", "198.51.100.0/24"),
    (0xCB00_7100, 24, "ip_documentation", "203.0.113.0/24"),
    (0xE000_0000, 4, "ip_multicast", "224.0.0.0/4"),
    (0xF000_0000, 4, "ip_reserved", "240.0.0.0/4"),
];

fn special_v4(a: Ipv4Addr) -> Option<(&'static str, &'static str)> {
    let bits = u32::from(a);
    V4_RANGES
        .iter()
        .find(|&&(net, len, _, _)| {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            bits & mask == net
        })
        .map(|&(_, _, code, range)| (code, range))
}

/// IPv6 special-purpose ranges, most specific first; anything outside 2000::/3 (global unicast)
/// not listed here is reserved.
const V6_RANGES: &[(u128, u8, &str, &str)] = &[
    (0, 128, "ip_unspecified", "::/128"),
    (1, 128, "ip_loopback", "::1/128"),
    (0x0100_0000_0000_0000_0000_0000_0000_0000, 64, "ip_reserved", "100::/64"),
    (0x2001_0db8_0000_0000_0000_0000_0000_0000, 32, "ip_documentation", "2001:db8::/32"),
    (0x2001_0002_0000_0000_0000_0000_0000_0000, 48, "ip_documentation", "2001:2::/48"),
    (0x3fff_0000_0000_0000_0000_0000_0000_0000, 20, "ip_documentation", "3fff::/20"),
    (0xfc00_0000_0000_0000_0000_0000_0000_0000, 7, "ip_private", "fc00::/7"),
    (0xfe80_0000_0000_0000_0000_0000_0000_0000, 10, "ip_link_local", "fe80::/10"),
    (0xff00_0000_0000_0000_0000_0000_0000_0000, 8, "ip_multicast", "ff00::/8"),
];

fn special_v6(a: Ipv6Addr) -> Option<(&'static str, &'static str)> {
    // IPv4-mapped (::ffff:0:0/96): judged by the IPv4 address it carries.
    if let Some(v4) = a.to_ipv4_mapped() {
        return special_v4(v4);
    }
    let bits = u128::from(a);
    let listed = V6_RANGES.iter().find(|&&(net, len, _, _)| {
        let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
        bits & mask == net
    });
    match listed {
        Some(&(_, _, code, range)) => Some((code, range)),
        None => {
            const BLOCKS: [&str; 8] =
                ["::/3", "2000::/3", "4000::/3", "6000::/3", "8000::/3", "a000::/3", "c000::/3", "e000::/3"];
            let top = usize::try_from(bits >> 125).unwrap_or(0);
            (top != 1).then(|| ("ip_reserved", BLOCKS.get(top).copied().unwrap_or("::/0")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(input: &str) -> (Option<String>, Vec<String>) {
        let c = check(input);
        (c.normalized, c.findings.iter().map(|f| f.code.to_string()).collect())
    }

    #[test]
    fn ranges() {
        assert_eq!(one("8.8.8.8"), (Some("8.8.8.8".into()), vec![]));
        assert_eq!(one("172.31.255.255").1, ["ip_private"]);
        assert_eq!(one("172.32.0.1").1, Vec::<String>::new());
        assert_eq!(one("0.0.0.0").1, ["ip_unspecified"]);
        assert_eq!(one("0.1.2.3").1, ["ip_reserved"]);
        assert_eq!(one("255.255.255.255").1, ["ip_reserved"]);
        assert_eq!(one("::").1, ["ip_unspecified"]);
        assert_eq!(one("::ffff:192.168.1.1").1, ["ip_private"]);
        assert_eq!(one("2400:3200::1").1, Vec::<String>::new());
        assert_eq!(one("2001:DB8:0:0:0:0:0:1"), (Some("2001:db8::1".into()), vec!["ip_documentation".into()]));
    }

    #[test]
    fn malformed() {
        for s in ["1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "+1.2.3.4", "::g", "1:2"] {
            let c = check(s);
            assert!(!c.is_valid() || s.ends_with(' '), "{s}");
        }
        assert_eq!(one("010.1.1.1").1, ["ip_leading_zero"]);
        assert_eq!(one("fe80::1%eth0").1, ["ip_zone_id"]);
    }
}
