//! Dates and date-times (`date`, `datetime`), in Beijing time: what people type is read leniently
//! (`time.rs`) and normalised to `YYYY-MM-DD` and RFC 3339 with `+08:00`. No keys of their own.
//! The comparisons the date rules (`cross_field.rs`, `deadline.rs`) make are here too.

use crate::time::Date;
use crate::time::Timestamp;
use serde_json::Value;

use super::{type_mismatch, Checked};
use crate::finding::Finding;
use crate::time;

pub(crate) fn date(value: &Value) -> Checked {
    let Value::String(s) = value else {
        return Checked::with(None, vec![type_mismatch("date", value)]);
    };
    // A JavaScript `Date` arrives as an instant (`2005-05-31T16:00:00.000Z`): its Beijing
    // calendar date is the date the person picked.
    match time::parse_date(s).or_else(|| time::parse_instant(s).map(time::beijing_date)) {
        // Typed as `YYYY-MM-DD` already: what `Date` writes, digit for digit; nothing to copy.
        Some(_) if is_normal_date(s) => Checked::same(Vec::new()),
        Some(d) => Checked::ok(Value::String(d.to_string())),
        None => Checked::with(None, vec![Finding::error("invalid_date").with("value", s.trim())]),
    }
}

/// Whether `s` is exactly a date as [`Date`]'s `Display` writes it: four digits, `-`, two
/// digits, `-`, two digits (the year of a date `parse_date` reads has four digits).
fn is_normal_date(s: &str) -> bool {
    s.len() == 10 && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

pub(crate) fn datetime(value: &Value) -> Checked {
    let Value::String(s) = value else {
        return Checked::with(None, vec![type_mismatch("datetime", value)]);
    };
    match time::parse_instant(s) {
        Some(t) => Checked::ok(Value::String(time::format_instant(t))),
        None => Checked::with(None, vec![Finding::error("invalid_datetime").with("value", s.trim())]),
    }
}

/// A normalised date or date-time value as a point in time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum When {
    Day(Date),
    Instant(Timestamp),
}

impl When {
    pub fn read(value: &Value) -> Option<When> {
        let s = value.as_str()?;
        if s.len() <= 10 {
            time::parse_date(s).map(When::Day)
        } else {
            time::parse_instant(s).map(When::Instant)
        }
    }

    pub(crate) fn date(self) -> Date {
        match self {
            When::Day(d) => d,
            When::Instant(t) => time::beijing_date(t),
        }
    }

    pub(crate) fn instant(self) -> Option<Timestamp> {
        match self {
            When::Day(d) => time::start_of_day(d),
            When::Instant(t) => Some(t),
        }
    }
}

/// `a` is later than `b`: dates compare as days, otherwise as instants (a date meaning its
/// first instant).
pub(crate) fn is_after(a: When, b: When) -> bool {
    match (a, b) {
        (When::Instant(x), When::Instant(y)) => x > y,
        _ if matches!(a, When::Day(_)) || matches!(b, When::Day(_)) => a.date() > b.date(),
        _ => a.instant() > b.instant(),
    }
}

/// `value` is later than `now`: a date is in the future when its day is after today's.
pub(crate) fn in_future(value: When, now: Timestamp) -> bool {
    match value {
        When::Day(d) => d > time::beijing_date(now),
        When::Instant(t) => t > now,
    }
}
