//! Beijing time: the only time zone of the filing rules (UTC+08:00, no daylight saving since 1991).
//!
//! The core never reads the clock: every function here takes the instant it works on. Parsing is
//! lenient in what people type (full-width digits, `/` separators, a missing offset means Beijing
//! time) and strict in what it produces (RFC 3339 with `+08:00`).

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use crate::normalize::half_width;

/// UTC+08:00.
pub const BEIJING_OFFSET: Offset = Offset::constant(8);

fn beijing() -> TimeZone {
    TimeZone::fixed(BEIJING_OFFSET)
}

/// Parses an RFC 3339 instant (`2005-06-01T10:00:00+08:00`, `…Z`); without an offset the time is
/// read as Beijing time. Full-width digits and a space instead of `T` are accepted.
pub fn parse_instant(input: &str) -> Option<Timestamp> {
    let text = half_width(input);
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    let text = text.replacen(' ', "T", 1);
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let local: DateTime = text.parse().ok()?;
    local.to_zoned(beijing()).ok().map(|z| z.timestamp())
}

/// Parses a calendar date: `2005-06-30`, `2005/6/30`, `2005年6月30日`, full-width digits.
pub fn parse_date(input: &str) -> Option<Date> {
    let text = half_width(input);
    if text.is_empty() || text.len() > 32 {
        return None;
    }
    let cleaned: String = text
        .trim_end_matches('日')
        .chars()
        .map(|c| if matches!(c, '/' | '.' | '年' | '月') { '-' } else { c })
        .collect();
    let mut parts = cleaned.split('-');
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
    at.to_zoned(beijing()).date()
}

/// The first instant of a Beijing calendar day.
pub fn start_of_day(date: Date) -> Option<Timestamp> {
    date.to_datetime(jiff::civil::Time::midnight()).to_zoned(beijing()).ok().map(|z| z.timestamp())
}

/// The last instant (23:59:59.999999999) of a Beijing calendar day: the end of a date-only
/// deadline ("截止到2005年6月30日").
pub fn end_of_day(date: Date) -> Option<Timestamp> {
    date.to_datetime(jiff::civil::Time::MAX).to_zoned(beijing()).ok().map(|z| z.timestamp())
}

/// Formats an instant as RFC 3339 in Beijing time, to the second: `2005-06-24T16:30:00+08:00`.
pub fn format_instant(at: Timestamp) -> String {
    at.to_zoned(beijing()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map(|span| i64::from(span.get_days())).unwrap_or(0)
}

/// `date` plus `days` calendar days, if representable.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// `at` plus `hours` hours, if representable.
pub fn add_hours(at: Timestamp, hours: i64) -> Option<Timestamp> {
    at.checked_add(SignedDuration::from_hours(hours)).ok()
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
}
