//! [`SignedDuration`]: an exact span of time (seconds and nanoseconds), for times to live and
//! clock skew, with the two spellings jiff read: ISO 8601 (`PT24H`) and "friendly" (`24h`,
//! `1h 30m`, `5 minutes`).

use std::fmt;
use std::str::FromStr;

use super::TimeError;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// A span of time, negative or positive: whole seconds and nanoseconds of the same sign.
///
/// `Display` writes ISO 8601 (`PT24H`); the alternate form (`{:#}`) the friendly one (`24h`).
/// `FromStr` reads both ([`SignedDuration::from_str`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SignedDuration {
    // Field order is the ordering: both parts carry the sign, so (secs, nanos) compares by time.
    secs: i64,
    nanos: i32,
}

impl fmt::Debug for SignedDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:#}")
    }
}

impl SignedDuration {
    /// No time at all.
    pub const ZERO: SignedDuration = SignedDuration { secs: 0, nanos: 0 };
    /// The longest duration.
    pub const MAX: SignedDuration = SignedDuration { secs: i64::MAX, nanos: 999_999_999 };
    /// The most negative duration.
    pub const MIN: SignedDuration = SignedDuration { secs: i64::MIN, nanos: -999_999_999 };

    /// `secs` seconds plus `nanos` nanoseconds (any sign, any size: carried into the seconds),
    /// saturating at the range's ends.
    pub fn new(secs: i64, nanos: i32) -> SignedDuration {
        SignedDuration::from_nanos_i128(i128::from(secs) * NANOS_PER_SECOND + i128::from(nanos))
    }

    /// `secs` seconds.
    pub const fn from_secs(secs: i64) -> SignedDuration {
        SignedDuration { secs, nanos: 0 }
    }

    /// `mins` minutes (saturating at the range's ends).
    pub const fn from_mins(mins: i64) -> SignedDuration {
        SignedDuration::from_secs(mins.saturating_mul(60))
    }

    /// `hours` hours (saturating at the range's ends).
    pub const fn from_hours(hours: i64) -> SignedDuration {
        SignedDuration::from_secs(hours.saturating_mul(3600))
    }

    /// Whole seconds (truncated toward zero).
    pub const fn as_secs(self) -> i64 {
        self.secs
    }

    /// The nanoseconds after [`SignedDuration::as_secs`], with the duration's sign.
    pub const fn subsec_nanos(self) -> i32 {
        self.nanos
    }

    /// Whether the duration is less than zero.
    pub const fn is_negative(self) -> bool {
        self.secs < 0 || self.nanos < 0
    }

    /// Whether the duration is zero.
    pub const fn is_zero(self) -> bool {
        self.secs == 0 && self.nanos == 0
    }

    /// All of it in nanoseconds.
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * NANOS_PER_SECOND + i128::from(self.nanos)
    }

    /// `nanos` nanoseconds, saturating at the range's ends.
    pub(crate) fn from_nanos_i128(nanos: i128) -> SignedDuration {
        match i64::try_from(nanos / NANOS_PER_SECOND) {
            Ok(secs) => SignedDuration { secs, nanos: i32::try_from(nanos % NANOS_PER_SECOND).unwrap_or(0) },
            Err(_) if nanos < 0 => SignedDuration::MIN,
            Err(_) => SignedDuration::MAX,
        }
    }

    /// `nanos` nanoseconds, if representable.
    fn checked_from_nanos(nanos: i128) -> Option<SignedDuration> {
        let secs = i64::try_from(nanos / NANOS_PER_SECOND).ok()?;
        Some(SignedDuration { secs, nanos: i32::try_from(nanos % NANOS_PER_SECOND).ok()? })
    }

    /// A `std::time::Duration` (saturating at [`SignedDuration::MAX`]).
    pub fn from_std(d: std::time::Duration) -> SignedDuration {
        match i64::try_from(d.as_secs()) {
            Ok(secs) => SignedDuration { secs, nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0) },
            Err(_) => SignedDuration::MAX,
        }
    }

    /// `self + other`, if representable.
    pub fn checked_add(self, other: SignedDuration) -> Option<SignedDuration> {
        SignedDuration::checked_from_nanos(self.as_nanos() + other.as_nanos())
    }
}

/// Saturating at [`SignedDuration::MIN`]/[`SignedDuration::MAX`] (jiff panicked).
impl std::ops::Add for SignedDuration {
    type Output = SignedDuration;
    fn add(self, other: SignedDuration) -> SignedDuration {
        SignedDuration::from_nanos_i128(self.as_nanos() + other.as_nanos())
    }
}

/// Saturating at [`SignedDuration::MIN`]/[`SignedDuration::MAX`] (jiff panicked).
impl std::ops::Sub for SignedDuration {
    type Output = SignedDuration;
    fn sub(self, other: SignedDuration) -> SignedDuration {
        SignedDuration::from_nanos_i128(self.as_nanos() - other.as_nanos())
    }
}

/// Saturating: −MIN is MAX.
impl std::ops::Neg for SignedDuration {
    type Output = SignedDuration;
    fn neg(self) -> SignedDuration {
        SignedDuration::from_nanos_i128(-self.as_nanos())
    }
}

impl fmt::Display for SignedDuration {
    /// ISO 8601 (`PT8784H`, `-PT1H30M`, `PT0.5S`); with `{:#}` the friendly form (`8784h`,
    /// `1h 30m ago`, `500ms`), as jiff wrote them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let negative = self.is_negative();
        let secs = self.secs.unsigned_abs();
        let nanos = self.nanos.unsigned_abs();
        let (hours, minutes, seconds) = (secs / 3600, secs / 60 % 60, secs % 60);
        if negative && !f.alternate() {
            f.write_str("-")?;
        }
        if f.alternate() {
            let (ms, us, ns) = (nanos / 1_000_000, nanos / 1000 % 1000, nanos % 1000);
            let parts =
                [(hours, "h"), (minutes, "m"), (seconds, "s"), (ms.into(), "ms"), (us.into(), "µs"), (ns.into(), "ns")];
            let mut wrote = false;
            for (value, unit) in parts.into_iter().filter(|(v, _)| *v != 0) {
                if wrote {
                    f.write_str(" ")?;
                }
                write!(f, "{value}{unit}")?;
                wrote = true;
            }
            if !wrote {
                f.write_str("0s")?;
            }
            if negative {
                f.write_str(" ago")?;
            }
            return Ok(());
        }
        f.write_str("PT")?;
        if hours != 0 {
            write!(f, "{hours}H")?;
        }
        if minutes != 0 {
            write!(f, "{minutes}M")?;
        }
        if seconds != 0 || nanos != 0 || (hours == 0 && minutes == 0) {
            write!(f, "{seconds}")?;
            super::timestamp::write_fraction(f, nanos)?;
            f.write_str("S")?;
        }
        Ok(())
    }
}

/// The units a duration may be written in, largest first, with their nanoseconds.
const UNITS: [(i128, &[&str]); 6] = [
    (3600 * NANOS_PER_SECOND, &["hours", "hour", "hrs", "hr", "h"]),
    (60 * NANOS_PER_SECOND, &["minutes", "minute", "mins", "min", "m"]),
    (NANOS_PER_SECOND, &["seconds", "second", "secs", "sec", "s"]),
    (1_000_000, &["milliseconds", "millisecond", "millis", "milli", "msecs", "msec", "ms"]),
    (1000, &["microseconds", "microsecond", "micros", "micro", "usecs", "usec", "µsecs", "µsec", "µs", "us"]),
    (1, &["nanoseconds", "nanosecond", "nanos", "nano", "nsecs", "nsec", "ns"]),
];

impl FromStr for SignedDuration {
    type Err = TimeError;

    /// Reads what jiff read for a `SignedDuration`: ISO 8601 time durations (`PT24H`, `PT1H30M`,
    /// `-PT1S`, `PT0.5S`; `P`, `T` and the units in either case; no days, which are not a fixed
    /// length) and the friendly form: numbers with units largest first, each unit once, spaces or
    /// `, ` between (`24h`, `1h30m`, `1h 30m`, `1 hour, 30 minutes`, `0.5s`, `-5m`, `5m ago`), or
    /// `H:MM:SS[.fraction]` (`01:30:00`). Units: `h` `hr` `hrs` `hour` `hours`, `m` `min` `mins`
    /// `minute` `minutes`, `s` `sec` `secs` `second` `seconds`, `ms` `msec` …, `us`/`µs` `usec`
    /// …, `ns` `nsec` … (lower case). A fraction only on the last unit.
    fn from_str(text: &str) -> Result<SignedDuration, TimeError> {
        let bad = || TimeError::new("not a duration (e.g. 24h, 30m, PT24H)");
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'-') => (Some(true), text.get(1..).unwrap_or("")),
            Some(b'+') => (Some(false), text.get(1..).unwrap_or("")),
            _ => (None, text),
        };
        let nanos = if matches!(rest.as_bytes().first(), Some(b'P' | b'p')) {
            iso(rest.get(1..).unwrap_or(""), sign == Some(true)).ok_or_else(bad)?
        } else {
            let (body, ago) = match rest.strip_suffix("ago") {
                Some(body) if body.ends_with(|c: char| c.is_ascii_whitespace()) => (body.trim_end(), true),
                _ => (rest.trim_end_matches(|c: char| c.is_ascii_whitespace()), false),
            };
            if ago && sign.is_some() {
                return Err(TimeError::new("a duration is either signed or followed by \"ago\", not both"));
            }
            let n = if body.contains(':') { clock(body) } else { friendly(body, sign == Some(true)) };
            let n = n.ok_or_else(bad)?;
            if ago {
                -n
            } else {
                n
            }
        };
        let nanos = if sign == Some(true) { -nanos } else { nanos };
        SignedDuration::checked_from_nanos(nanos).ok_or_else(|| TimeError::new("the duration is out of range"))
    }
}

/// A number with an optional fraction (`.` or `,`, up to nine digits): (whole, nanoseconds of
/// the fraction, the rest). The whole part fits an i64 (or is 2^63 when `negative`).
fn number(s: &str, negative: bool) -> Option<(i128, Option<i128>, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let whole = i128::from(s.get(..digits)?.parse::<u64>().ok()?);
    if whole > i128::from(i64::MAX) + i128::from(negative) {
        return None;
    }
    let rest = s.get(digits..)?;
    if !rest.starts_with(['.', ',']) {
        return Some((whole, None, rest));
    }
    let rest = rest.get(1..)?;
    let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if frac_len == 0 || frac_len > 9 {
        return None;
    }
    let frac: i128 = rest.get(..frac_len)?.parse().ok()?;
    let scale = 10i128.pow(9 - u32::try_from(frac_len).ok()?);
    Some((whole, Some(frac * scale), rest.get(frac_len..)?))
}

/// `T` and `nH`, `nM`, `nS` in that order, at least one, a fraction only on the last.
fn iso(s: &str, negative: bool) -> Option<i128> {
    let mut rest = s.strip_prefix(['T', 't'])?;
    let mut total: i128 = 0;
    let mut next_unit = 0;
    let mut fractional = false;
    while !rest.is_empty() {
        if fractional {
            return None;
        }
        let (whole, frac, after) = number(rest, negative)?;
        let unit = match after.chars().next()?.to_ascii_uppercase() {
            'H' => 0,
            'M' => 1,
            'S' => 2,
            _ => return None,
        };
        if unit < next_unit {
            return None;
        }
        total = add_unit(total, unit, whole, frac)?;
        fractional = frac.is_some();
        next_unit = unit + 1;
        rest = after.get(1..)?;
    }
    (next_unit > 0).then_some(total)
}

/// `total` plus `whole.frac` of unit `unit`.
fn add_unit(total: i128, unit: usize, whole: i128, frac: Option<i128>) -> Option<i128> {
    let (size, _) = UNITS.get(unit)?;
    let total = total.checked_add(whole.checked_mul(*size)?)?;
    total.checked_add(frac.map_or(0, |f| f * size / NANOS_PER_SECOND))
}

/// `H:MM:SS[.fraction]`.
fn clock(s: &str) -> Option<i128> {
    let (h, rest) = number(s, false).filter(|(_, f, _)| f.is_none()).map(|(h, _, r)| (h, r))?;
    let rest = rest.strip_prefix(':')?;
    let (m, rest) = number(rest, false).filter(|(_, f, _)| f.is_none()).map(|(m, _, r)| (m, r))?;
    let rest = rest.strip_prefix(':')?;
    let (sec, frac, rest) = number(rest, false)?;
    if !rest.is_empty() {
        return None;
    }
    add_unit(add_unit(add_unit(0, 0, h, None)?, 1, m, None)?, 2, sec, frac)
}

/// Friendly: `n unit` groups, largest unit first; between them nothing, spaces, or `,` and spaces.
fn friendly(s: &str, negative: bool) -> Option<i128> {
    let is_space = |c: char| c.is_ascii_whitespace();
    let mut rest = s;
    let mut total: i128 = 0;
    let mut next_unit = 0;
    while !rest.is_empty() {
        let (whole, frac, after) = number(rest, negative)?;
        let after = after.trim_start_matches(is_space);
        let word_len: usize = after.chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum();
        let word = after.get(..word_len)?;
        let unit = UNITS.iter().skip(next_unit).position(|(_, names)| names.contains(&word))? + next_unit;
        if frac.is_some() && unit + 1 == UNITS.len() {
            return None; // no fraction of a nanosecond
        }
        total = add_unit(total, unit, whole, frac)?;
        next_unit = unit + 1;
        rest = after.get(word_len..)?;
        if let Some(after_comma) = rest.strip_prefix(',') {
            rest = after_comma.trim_start_matches(is_space);
            if rest.len() == after_comma.len() || rest.is_empty() {
                return None;
            }
        } else {
            rest = rest.trim_start_matches(is_space);
        }
        if frac.is_some() && !rest.is_empty() {
            return None;
        }
    }
    (next_unit > 0).then_some(total)
}
