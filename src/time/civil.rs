//! Proleptic Gregorian calendar dates and the day arithmetic under them (Howard Hinnant's
//! `days_from_civil` / `civil_from_days`, exact for every year, no tables).

use std::fmt;

use super::TimeError;

/// The first year a [`Date`] can hold (the range jiff had, so no value readable before is lost).
pub const MIN_YEAR: i16 = -9999;
/// The last year a [`Date`] can hold.
pub const MAX_YEAR: i16 = 9999;

/// A calendar date (proleptic Gregorian), years −9999..=9999. Ordered by time; `Display` is
/// `YYYY-MM-DD` (years outside 0..=9999 as `-YYYYYY`/`+YYYYYY`, as RFC 3339's extension).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order is the ordering: year, then month, then day.
    year: i16,
    month: i8,
    day: i8,
}

/// 0000-01-01, as jiff's.
impl Default for Date {
    fn default() -> Date {
        Date { year: 0, month: 1, day: 1 }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Whether `year` has 29 February.
pub(crate) const fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1..=12) of `year`; 0 for a month out of range.
pub(crate) const fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to `year-month-day` (Hinnant's `days_from_civil`); the date must be valid.
pub(crate) const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`): (year, month, day).
pub(crate) const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Days from 1970-01-01 to the first and the last day a [`Date`] can hold.
pub(crate) const MIN_DAYS: i64 = days_from_civil(MIN_YEAR as i64, 1, 1);
pub(crate) const MAX_DAYS: i64 = days_from_civil(MAX_YEAR as i64, 12, 31);

impl Date {
    /// The earliest date, −9999-01-01.
    pub const MIN: Date = Date { year: MIN_YEAR, month: 1, day: 1 };
    /// The latest date, 9999-12-31.
    pub const MAX: Date = Date { year: MAX_YEAR, month: 12, day: 31 };

    /// The date `year-month-day`, if it is on the calendar (2005-02-29 is not) and in range.
    pub fn new(year: i16, month: i8, day: i8) -> Result<Date, TimeError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(TimeError::new("the year is outside -9999..=9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(TimeError::new("the month is outside 1..=12"));
        }
        if day < 1 || i64::from(day) > days_in_month(i64::from(year), i64::from(month)) {
            return Err(TimeError::new("the day is not in that month"));
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> i8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> i8 {
        self.day
    }

    /// Days from 1970-01-01 (negative before).
    pub fn unix_days(self) -> i64 {
        days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day))
    }

    /// The date `days` after 1970-01-01, if in range.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        if !(MIN_DAYS..=MAX_DAYS).contains(&days) {
            return None;
        }
        let (y, m, d) = civil_from_days(days);
        Some(Date { year: i16::try_from(y).ok()?, month: i8::try_from(m).ok()?, day: i8::try_from(d).ok()? })
    }

    /// This date plus `days` calendar days (minus, when negative), if in range.
    pub fn checked_add_days(self, days: i64) -> Option<Date> {
        Date::from_unix_days(self.unix_days().checked_add(days)?)
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.unix_days() - self.unix_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_year(f, self.year)?;
        write!(f, "-{:02}-{:02}", self.month, self.day)
    }
}

/// A year as RFC 3339 / ISO 8601 write it: four digits, or a sign and six digits outside 0..=9999.
pub(crate) fn write_year(f: &mut impl fmt::Write, year: i16) -> fmt::Result {
    if year < 0 {
        write!(f, "-{:06}", year.unsigned_abs())
    } else {
        write!(f, "{year:04}")
    }
}
