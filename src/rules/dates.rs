//! Dates, date-times and deadlines, all in Beijing time, all against a `now` that is passed in.
//!
//! Day-counted deadlines follow how Chinese law counts periods: the day of the event is not
//! counted and the period ends at the end of its last day, so "within 30 days of go-live on
//! 1 May" ends at 31 May 23:59:59.999 Beijing time. Hour-counted deadlines are exact.

use crate::time::Date;
use crate::time::Timestamp;
use serde_json::Value;

use super::{type_mismatch, Checked};
use crate::finding::{Finding, Severity};
use crate::time;

pub(crate) fn date(value: &Value) -> Checked {
    let Value::String(s) = value else {
        return Checked::with(None, vec![type_mismatch("date", value)]);
    };
    // A JavaScript `Date` arrives as an instant (`2005-05-31T16:00:00.000Z`): its Beijing
    // calendar date is the date the person picked.
    match time::parse_date(s).or_else(|| time::parse_instant(s).map(time::beijing_date)) {
        Some(d) => Checked::ok(Value::String(d.to_string())),
        None => Checked::with(None, vec![Finding::error("invalid_date").with("value", s.trim())]),
    }
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

    fn date(self) -> Date {
        match self {
            When::Day(d) => d,
            When::Instant(t) => time::beijing_date(t),
        }
    }

    fn instant(self) -> Option<Timestamp> {
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

/// When a deadline falls due.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DueAt {
    /// At the end of this Beijing day (day-counted and `by` deadlines).
    EndOfDay(Date),
    /// At this instant; `inclusive` when the instant itself is still in time.
    Instant { at: Timestamp, inclusive: bool },
}

impl DueAt {
    pub fn after_days(start: When, days: u32) -> Option<DueAt> {
        time::add_days(start.date(), i64::from(days)).map(DueAt::EndOfDay)
    }

    pub fn after_hours(start: When, hours: u32) -> Option<DueAt> {
        let at = time::add_hours(start.instant()?, i64::from(hours))?;
        Some(DueAt::Instant { at, inclusive: true })
    }
}

/// The finding of a deadline at `t`: `deadline_days_left` / `deadline_hours_left` (info) when in
/// time, `deadline_passed` / `deadline_passed_hours` with `severity` when late.
pub(crate) fn deadline(due: DueAt, t: Timestamp, severity: Severity) -> Finding {
    match due {
        DueAt::EndOfDay(day) => {
            let due_text = day.to_string();
            let today = time::beijing_date(t);
            let left = time::days_between(today, day);
            if left >= 0 {
                Finding::info("deadline_days_left").with("due", due_text).with("days_left", left)
            } else {
                Finding::new("deadline_passed", severity).with("due", due_text).with("days_overdue", -left)
            }
        }
        DueAt::Instant { at, inclusive } => {
            let due_text = time::format_instant(at);
            let on_time = if inclusive { t <= at } else { t < at };
            let seconds = (at.as_second() - t.as_second()).abs();
            let hours = (seconds + 3599) / 3600;
            if on_time {
                Finding::info("deadline_hours_left")
                    .with("due", due_text)
                    .with("hours_left", hours)
                    .with("days_left", seconds / 86_400)
            } else {
                let days = (seconds + 86_399) / 86_400;
                Finding::new("deadline_passed_hours", severity)
                    .with("due", due_text)
                    .with("hours_overdue", hours.max(1))
                    .with("days_overdue", days.max(1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        time::parse_instant(s).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn thirty_days_counts_from_the_next_day() {
        let live = When::Day(time::parse_date("2005-05-01").unwrap_or_default());
        let due = DueAt::after_days(live, 30).unwrap_or(DueAt::EndOfDay(Date::default()));
        let last = deadline(due, at("2005-05-31T23:59:59+08:00"), Severity::Warning);
        assert_eq!((last.code.as_ref(), last.params.get("days_left")), ("deadline_days_left", Some(&Value::from(0))));
        let late = deadline(due, at("2005-06-01T00:00:00+08:00"), Severity::Warning);
        assert_eq!((late.code.as_ref(), late.severity), ("deadline_passed", Severity::Warning));
        assert_eq!(late.params.get("days_overdue"), Some(&Value::from(1)));
    }

    #[test]
    fn exclusive_instant_deadline() {
        let due = DueAt::Instant { at: at("2005-06-24T16:30:00+08:00"), inclusive: false };
        assert_eq!(deadline(due, at("2005-06-24T16:29:59+08:00"), Severity::Error).code, "deadline_hours_left");
        assert_eq!(deadline(due, at("2005-06-24T16:30:00+08:00"), Severity::Error).code, "deadline_passed_hours");
    }
}
