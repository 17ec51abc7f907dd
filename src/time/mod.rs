//! Beijing time: the only time zone of the filing rules (UTC+08:00, no daylight saving since 1991).
//!
//! The core never reads the clock: every function here takes the instant it works on. Parsing is
//! lenient in what people type (full-width digits, `/` separators, a missing offset means Beijing
//! time) and strict in what it produces (RFC 3339 with `+08:00`).
//!
//! The types are our own, small and fixed-offset (no time-zone database, no daylight saving):
//! [`Timestamp`] (an instant), [`Date`] (a proleptic Gregorian date) and [`SignedDuration`]. They
//! replaced the `jiff` crate (issue 15: 57.9 KB of the gzipped wasm) with the same method names
//! and the same results; `tests/time_vs_jiff.rs` compares them with jiff on generated inputs.

mod civil;
mod duration;
mod timestamp;

use std::fmt;

pub use civil::Date;
pub use duration::SignedDuration;
pub use timestamp::Timestamp;

use crate::normalize::half_width_cow;
use timestamp::{Offset, TimeOfDay};

/// UTC+08:00, in seconds east of UTC.
pub const BEIJING_OFFSET: i32 = 8 * 3600;

/// Why a date, an instant or a duration could not be read or computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeError(&'static str);

impl TimeError {
    pub(crate) const fn new(reason: &'static str) -> TimeError {
        TimeError(reason)
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for TimeError {}

/// Parses an RFC 3339 instant (`2005-06-01T10:00:00+08:00`, `…Z`); without an offset the time is
/// read as Beijing time (`2005-06-24T16:30`, `2005-06-24` for its midnight). Full-width digits
/// and a space instead of `T` are accepted. What [`Timestamp::from_str`] reads, plus that.
pub fn parse_instant(input: &str) -> Option<Timestamp> {
    let text = half_width_cow(input);
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    let text = text.replacen(' ', "T", 1);
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    // A civil date-time, read in Beijing time. As jiff did, a numeric offset is ignored here
    // (an instant with one that is out of range lands here) and `Z` is refused.
    let parsed = timestamp::parse_temporal(text.as_bytes()).ok()?;
    if parsed.offset == Some(Offset::Zulu) {
        return None;
    }
    let time = parsed.time.unwrap_or(TimeOfDay::default());
    Timestamp::from_civil(parsed.date, time.seconds(), time.nanosecond, BEIJING_OFFSET)
}

/// Parses a calendar date: `2005-06-30`, `2005/6/30`, `2005年6月30日`, full-width digits.
pub fn parse_date(input: &str) -> Option<Date> {
    let text = half_width_cow(input);
    if text.is_empty() || text.len() > 32 {
        return None;
    }
    // Any of the separators people type splits the parts (no copy of the text with each made '-').
    let mut parts = text.trim_end_matches('日').split(['-', '/', '.', '年', '月']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The Beijing calendar date of an instant.
pub fn beijing_date(at: Timestamp) -> Date {
    at.civil_at(BEIJING_OFFSET).0
}

/// The first instant of a Beijing calendar day.
pub fn start_of_day(date: Date) -> Option<Timestamp> {
    Timestamp::from_civil(date, 0, 0, BEIJING_OFFSET)
}

/// The last instant (23:59:59.999999999) of a Beijing calendar day: the end of a date-only
/// deadline ("截止到2005年6月30日").
pub fn end_of_day(date: Date) -> Option<Timestamp> {
    Timestamp::from_civil(date, 86_399, 999_999_999, BEIJING_OFFSET)
}

/// Formats an instant as RFC 3339 in Beijing time, to the second: `2005-06-24T16:30:00+08:00`.
pub fn format_instant(at: Timestamp) -> String {
    let (date, secs) = at.civil_at(BEIJING_OFFSET);
    let mut out = String::with_capacity(25);
    // Years before 0 (only from instants no one types) as jiff's `%Y` wrote them: `-001`.
    let _ = fmt::Write::write_fmt(
        &mut out,
        format_args!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
            date.year(),
            date.month(),
            date.day(),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ),
    );
    out
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.days_until(to)
}

/// `date` plus `days` calendar days, if representable.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add_days(days)
}

/// `at` plus `hours` hours, if representable.
pub fn add_hours(at: Timestamp, hours: i64) -> Option<Timestamp> {
    at.checked_add(SignedDuration::from_secs(hours.checked_mul(3600)?)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_leniently_and_strictly() {
        assert_eq!(parse_date("2005-06-30").map(|d| d.to_string()), Some("2005-06-30".into()));
        assert_eq!(parse_date("２００５/6/3").map(|d| d.to_string()), Some("2005-06-03".into()));
        assert_eq!(parse_date("2005年6月30日").map(|d| d.to_string()), Some("2005-06-30".into()));
        assert_eq!(parse_date("2005-02-29"), None);
        assert!(parse_date("2004-02-29").is_some());
        assert_eq!(parse_date("05-06-30"), None);
        assert_eq!(parse_date("2005-06-30T00:00"), None);
    }

    #[test]
    fn instants_default_to_beijing_time() {
        let local = parse_instant("2005-06-24T16:30").map(format_instant);
        assert_eq!(local.as_deref(), Some("2005-06-24T16:30:00+08:00"));
        let utc = parse_instant("2005-06-24T08:30:00Z").map(format_instant);
        assert_eq!(utc.as_deref(), Some("2005-06-24T16:30:00+08:00"));
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn end_of_day_is_last_instant_in_beijing() {
        let date = parse_date("2005-06-30").and_then(end_of_day);
        let next = parse_instant("2005-07-01T00:00:00+08:00");
        assert!(date < next && date.is_some());
        assert_eq!(date.map(format_instant).as_deref(), Some("2005-06-30T23:59:59+08:00"));
    }

    fn instant(s: &str) -> Option<String> {
        parse_instant(s).map(format_instant)
    }

    #[test]
    fn what_people_and_browsers_type_reads() {
        // A JavaScript Date (toISOString), RFC 3339 in any offset, lower case, a space for T.
        assert_eq!(instant("2005-05-31T16:00:00.000Z").as_deref(), Some("2005-06-01T00:00:00+08:00"));
        assert_eq!(instant("2005-06-24T03:30:00-05:00").as_deref(), Some("2005-06-24T16:30:00+08:00"));
        assert_eq!(instant("2005-06-24t08:30:00z").as_deref(), Some("2005-06-24T16:30:00+08:00"));
        assert_eq!(instant("2005-06-24 16:30:00+08:00").as_deref(), Some("2005-06-24T16:30:00+08:00"));
        assert_eq!(instant("２００５－０６－２４　１６：３０").as_deref(), Some("2005-06-24T16:30:00+08:00"));
        assert_eq!(instant("2005-06-24").as_deref(), Some("2005-06-24T00:00:00+08:00"));
        // Temporal's ZonedDateTime.toString(): the annotation is checked and the offset decides.
        assert_eq!(instant("2005-06-24T16:30:00+08:00[Asia/Shanghai]").as_deref(), Some("2005-06-24T16:30:00+08:00"));
        // A leap second reads as the second before it, as jiff read it.
        assert_eq!(instant("2005-12-31T23:59:60Z").as_deref(), Some("2006-01-01T07:59:59+08:00"));
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        for bad in [
            "2005-02-29T10:00:00+08:00",
            "2100-02-29",
            "2005-04-31",
            "2005-13-01",
            "2005-00-10",
            "2005-06-24T24:00:00+08:00",
            "2005-06-24T16:60:00+08:00",
            "2005-06-24T16:30:61+08:00",
            "2005-06-24T16:30:00+26:00",
            "2005-06-24T16:30:00.Z",
            "2005-06-24T16:30:00Z junk",
            "2005-06-24T16:3",
            "2005-0624",
            "",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad:?}");
        }
        assert!(parse_instant("2000-02-29T10:00").is_some() && parse_instant("1900-02-29T10:00").is_none());
        // A date-time with Z cannot be a Beijing civil time, and an instant needs an offset.
        assert!("2005-06-24T16:30:00".parse::<Timestamp>().is_err());
        assert!("2005-06-24".parse::<Timestamp>().is_err());
    }

    #[test]
    fn day_arithmetic_crosses_months_years_and_leap_days() {
        let d = |s: &str| parse_date(s).unwrap_or_default();
        assert_eq!(add_days(d("2004-02-28"), 1).map(|x| x.to_string()).as_deref(), Some("2004-02-29"));
        assert_eq!(add_days(d("2005-02-28"), 1).map(|x| x.to_string()).as_deref(), Some("2005-03-01"));
        assert_eq!(add_days(d("2005-05-01"), 30).map(|x| x.to_string()).as_deref(), Some("2005-05-31"));
        assert_eq!(add_days(d("2005-12-31"), 1).map(|x| x.to_string()).as_deref(), Some("2006-01-01"));
        assert_eq!(add_days(d("1970-01-01"), -1).map(|x| x.to_string()).as_deref(), Some("1969-12-31"));
        assert_eq!(add_days(Date::MAX, 1), None);
        assert_eq!(days_between(d("2005-06-30"), d("2005-06-01")), -29);
        assert_eq!(days_between(d("2000-01-01"), d("2001-01-01")), 366);
        let at = parse_instant("2005-06-30T20:00:00+08:00").unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(add_hours(at, 5).map(format_instant).as_deref(), Some("2005-07-01T01:00:00+08:00"));
        assert_eq!(add_hours(at, i64::MAX), None);
        // 16:00Z on 30 June is already 1 July in Beijing.
        let utc = parse_instant("2005-06-30T16:00:00Z").unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(beijing_date(utc).to_string(), "2005-07-01");
        assert_eq!(start_of_day(d("2005-07-01")), Some(utc));
    }

    #[test]
    fn durations_read_as_the_cli_and_js_docs_say() {
        let secs = |s: &str| s.parse::<SignedDuration>().map(SignedDuration::as_secs).ok();
        assert_eq!(secs("24h"), Some(86_400));
        assert_eq!(secs("30m"), Some(1800));
        assert_eq!(secs("PT24H"), Some(86_400));
        assert_eq!(secs("1h 30m"), Some(5400));
        assert_eq!(secs("-5m"), Some(-300));
        assert_eq!(secs("5m ago"), Some(-300));
        assert_eq!(secs("0s"), Some(0));
        assert_eq!(secs("soon"), None);
        assert_eq!(secs("1d"), None);
        assert_eq!(format!("{:#}", SignedDuration::from_hours(366 * 24)), "8784h");
        assert_eq!(SignedDuration::from_mins(90).to_string(), "PT1H30M");
    }
}
