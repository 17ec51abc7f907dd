//! Deadlines (`rules[]` of kind `deadline`, and the form's named `deadlines`): a filing due
//! within days or hours of a date in the form, or by a fixed date or instant, checked at the time
//! of validation or at a date in the form (`at`). All in Beijing time, against a `now` that is
//! passed in.
//!
//! Day-counted deadlines follow how Chinese law counts periods: the day of the event is not
//! counted and the period ends at the end of its last day, so "within 30 days of go-live on
//! 1 May" ends at 31 May 23:59:59.999 Beijing time. Hour-counted deadlines are exact.
//!
//! Keys: exactly one of `after` + `within` (`days` or `hours`), `deadline` (a named deadline),
//! `by` (a date, inclusive) or `before` (an instant, exclusive); `at`; `late_basis`.

use std::collections::BTreeMap;

use crate::time::Date;
use crate::time::Timestamp;

use super::dates::When;
use crate::error::SchemaError;
use crate::finding::{Finding, Severity};
use crate::schema::{Ref, RuleCx, RuleDef};
use crate::time;
use crate::validate::RuleAt;

/// A compiled deadline rule.
#[derive(Debug)]
pub(crate) struct Deadline {
    pub due: Due,
    pub at: Option<Ref>,
    pub late_basis: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Due {
    /// `within` days or hours after the date or date-time in `field`.
    After { field: Ref, days: Option<u32>, hours: Option<u32> },
    /// A fixed instant. `inclusive`: the instant itself is still in time (`by` a date).
    Fixed { instant: Timestamp, inclusive: bool, date_only: bool },
}

pub(crate) fn compile(
    def: &RuleDef,
    cx: &RuleCx<'_>,
    deadlines: &BTreeMap<String, (Due, Option<String>)>,
    basis: &mut Option<String>,
    late_basis: Option<String>,
) -> Result<Deadline, SchemaError> {
    let path = cx.path;
    let at = match &def.at {
        Some(_) => {
            let (r, f) = cx.need("at", &def.at)?;
            cx.dated("at", f)?;
            Some(r)
        }
        None => None,
    };
    let due = match (&def.after, &def.deadline, def.by.is_some() || def.before.is_some()) {
        (Some(_), None, false) => {
            let (field, f) = cx.need("after", &def.after)?;
            cx.dated("after", f)?;
            let within = def.within.clone().ok_or_else(|| {
                SchemaError::new("schema_invalid", format!("{path}.within"), "a relative deadline needs `within`")
            })?;
            match (within.days, within.hours) {
                (Some(_), None) | (None, Some(_)) => {}
                _ => {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.within"),
                        "`within` has either `days` or `hours`",
                    ))
                }
            }
            Due::After { field, days: within.days, hours: within.hours }
        }
        (None, Some(name), false) => {
            let (due, dbasis) = deadlines.get(name).ok_or_else(|| {
                SchemaError::new(
                    "schema_unknown_deadline",
                    format!("{path}.deadline"),
                    format!("the form has no deadline named {name:?}"),
                )
            })?;
            if def.basis.is_none() {
                if let Some(b) = dbasis {
                    *basis = Some(b.clone());
                }
            }
            match due {
                Due::Fixed { .. } => due.clone(),
                Due::After { .. } => {
                    return Err(SchemaError::new(
                        "schema_invalid",
                        format!("{path}.deadline"),
                        "named deadlines are fixed dates",
                    ))
                }
            }
        }
        (None, None, true) => fixed_due(def.by.as_deref(), def.before.as_deref(), path)?,
        _ => {
            return Err(SchemaError::new(
                "schema_invalid",
                path,
                "a deadline has exactly one of `after`+`within`, `deadline`, `by` or `before`",
            ))
        }
    };
    Ok(Deadline { due, at, late_basis })
}

/// A fixed deadline: `by` a date (its end, inclusive) or `before` an instant (exclusive).
pub(crate) fn fixed_due(by: Option<&str>, before: Option<&str>, path: &str) -> Result<Due, SchemaError> {
    match (by, before) {
        (Some(by), None) => {
            let date = time::parse_date(by).ok_or_else(|| {
                SchemaError::new("schema_invalid", format!("{path}.by"), format!("{by:?} is not a date (YYYY-MM-DD)"))
            })?;
            let instant = time::end_of_day(date)
                .ok_or_else(|| SchemaError::new("schema_invalid", format!("{path}.by"), "date out of range"))?;
            Ok(Due::Fixed { instant, inclusive: true, date_only: true })
        }
        (None, Some(before)) => {
            let instant = before.parse::<Timestamp>().map_err(|_| {
                SchemaError::new(
                    "schema_invalid",
                    format!("{path}.before"),
                    format!("{before:?} is not an RFC 3339 date-time with an offset"),
                )
            })?;
            Ok(Due::Fixed { instant, inclusive: false, date_only: false })
        }
        _ => Err(SchemaError::new(
            "schema_invalid",
            path.to_owned(),
            "a fixed deadline has exactly one of `by` (a date) or `before` (a date-time)",
        )),
    }
}

impl Deadline {
    /// Checks the deadline in one scope (the document, or one item of the rule's `each` list).
    pub(crate) fn check<'f>(&'f self, at: &mut RuleAt<'_, 'f, '_>) {
        let t = match &self.at {
            Some(r) => match at.value(r).and_then(When::read).and_then(When::instant) {
                Some(t) => t,
                None => return,
            },
            None => at.now(),
        };
        let (due_at, anchor) = match &self.due {
            Due::After { field, days, hours } => {
                let Some(start) = at.value(field).and_then(When::read) else { return };
                let due_at = match (days, hours) {
                    (Some(d), _) => DueAt::after_days(start, *d),
                    (None, Some(h)) => DueAt::after_hours(start, *h),
                    (None, None) => None,
                };
                let Some(due_at) = due_at else { return };
                (due_at, Some(field))
            }
            Due::Fixed { instant, inclusive, date_only, .. } => {
                let due_at = if *date_only {
                    DueAt::EndOfDay(time::beijing_date(*instant))
                } else {
                    DueAt::Instant { at: *instant, inclusive: *inclusive }
                };
                (due_at, self.at.as_ref())
            }
        };
        let rule = at.rule;
        let finding = deadline(due_at, t, rule.severity);
        let basis = rule.basis.as_deref();
        let basis = if finding.severity == Severity::Info { basis } else { self.late_basis.as_deref().or(basis) };
        let finding = match &rule.id {
            Some(id) => finding.with("deadline", id.as_str()),
            None => finding,
        };
        at.report(anchor, finding, basis, Vec::new());
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
    use serde_json::Value;

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
