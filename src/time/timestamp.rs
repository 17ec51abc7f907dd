//! Instants ([`Timestamp`]) and reading RFC 3339 / ISO 8601 date-times.

use std::fmt;
use std::str::FromStr;

use super::civil::{self, Date};
use super::duration::SignedDuration;
use super::TimeError;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// The largest UTC offset a date-time may carry, ±25:59:59 (what jiff read; RFC 3339 needs ±23:59).
const MAX_OFFSET_SECONDS: i32 = 25 * 3600 + 59 * 60 + 59;

/// An instant: whole seconds since 1970-01-01T00:00:00Z (floored) and the nanoseconds after them.
///
/// The range is jiff's, −009999-01-02T01:59:59Z..=9999-12-30T22:00:00.999999999Z: every instant
/// in it has a calendar date under any offset up to ±25:59:59. Ordered by time. `Display` is RFC
/// 3339 in UTC (`2005-06-01T02:00:00Z`, fractional seconds only when there are any); `FromStr`
/// reads RFC 3339 and the ISO 8601 forms jiff read ([`Timestamp::from_str`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    // Field order is the ordering (`nanosecond` is always 0..1e9 after a floored `second`).
    second: i64,
    nanosecond: u32,
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Default for Timestamp {
    fn default() -> Timestamp {
        Timestamp::UNIX_EPOCH
    }
}

impl Timestamp {
    /// The earliest instant, −009999-01-02T01:59:59Z.
    pub const MIN: Timestamp =
        Timestamp { second: civil::MIN_DAYS * SECONDS_PER_DAY + MAX_OFFSET_SECONDS as i64, nanosecond: 0 };
    /// The latest instant, 9999-12-30T22:00:00.999999999Z.
    pub const MAX: Timestamp = Timestamp {
        second: civil::MAX_DAYS * SECONDS_PER_DAY + SECONDS_PER_DAY - 1 - MAX_OFFSET_SECONDS as i64,
        nanosecond: 999_999_999,
    };
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp { second: 0, nanosecond: 0 };

    /// The instant `second` seconds and `nanosecond` (0..1e9) nanoseconds after the epoch.
    fn checked(second: i64, nanosecond: u32) -> Result<Timestamp, TimeError> {
        let t = Timestamp { second, nanosecond };
        if nanosecond >= 1_000_000_000 || t < Timestamp::MIN || t > Timestamp::MAX {
            return Err(TimeError::new("the instant is out of range"));
        }
        Ok(t)
    }

    /// The instant `second` seconds plus `nanosecond` (−999,999,999..=999,999,999) nanoseconds
    /// after the epoch, if in range (as jiff's `Timestamp::new`).
    pub fn new(second: i64, nanosecond: i32) -> Result<Timestamp, TimeError> {
        if nanosecond.unsigned_abs() >= 1_000_000_000 {
            return Err(TimeError::new("the nanoseconds are outside -999999999..=999999999"));
        }
        Timestamp::UNIX_EPOCH.checked_add(SignedDuration::new(second, nanosecond))
    }

    /// The instant `second` whole seconds after the epoch (before, when negative).
    pub fn from_second(second: i64) -> Result<Timestamp, TimeError> {
        Timestamp::checked(second, 0)
    }

    /// The instant `millisecond` milliseconds after the epoch (a JavaScript `Date`'s time).
    pub fn from_millisecond(millisecond: i64) -> Result<Timestamp, TimeError> {
        let nanos = u32::try_from(millisecond.rem_euclid(1000) * 1_000_000).unwrap_or(0);
        Timestamp::checked(millisecond.div_euclid(1000), nanos)
    }

    /// Whole seconds since the epoch, truncated toward zero (so 0.5 s before the epoch is 0, as
    /// in jiff).
    pub fn as_second(self) -> i64 {
        if self.second < 0 && self.nanosecond > 0 {
            self.second + 1
        } else {
            self.second
        }
    }

    /// The nanoseconds after [`Timestamp::as_second`], with its sign (−999,999,999..=999,999,999).
    pub fn subsec_nanosecond(self) -> i32 {
        let n = i32::try_from(self.nanosecond).unwrap_or(0);
        if self.second < 0 && n > 0 {
            n - 1_000_000_000
        } else {
            n
        }
    }

    /// `self + duration`, if in range.
    pub fn checked_add(self, duration: SignedDuration) -> Result<Timestamp, TimeError> {
        let out = || TimeError::new("the instant is out of range");
        let total =
            i128::from(self.second) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanosecond) + duration.as_nanos();
        let second = i64::try_from(total.div_euclid(i128::from(NANOS_PER_SECOND))).map_err(|_| out())?;
        let nanosecond = u32::try_from(total.rem_euclid(i128::from(NANOS_PER_SECOND))).map_err(|_| out())?;
        Timestamp::checked(second, nanosecond)
    }

    /// `self - duration`, if in range.
    pub fn checked_sub(self, duration: SignedDuration) -> Result<Timestamp, TimeError> {
        self.checked_add(-duration)
    }

    /// The duration from `self` to `later` (negative when `later` is earlier).
    pub fn duration_until(self, later: Timestamp) -> SignedDuration {
        let nanos = (i128::from(later.second) - i128::from(self.second)) * i128::from(NANOS_PER_SECOND)
            + (i128::from(later.nanosecond) - i128::from(self.nanosecond));
        // Two instants in range are at most ~631 billion seconds apart: always representable.
        SignedDuration::from_nanos_i128(nanos)
    }

    /// The duration from `earlier` to `self`.
    pub fn duration_since(self, earlier: Timestamp) -> SignedDuration {
        earlier.duration_until(self)
    }

    /// The system clock, for the CLI, the receiver and tests: the library itself never reads the
    /// clock (every function takes the instant it works on). Not in the wasm build, where there
    /// is no system clock (the JavaScript façade reads `Date.now()`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Timestamp {
        use std::time::{SystemTime, UNIX_EPOCH};
        let since = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => SignedDuration::from_std(d),
            Err(e) => -SignedDuration::from_std(e.duration()),
        };
        Timestamp::UNIX_EPOCH.checked_add(since).unwrap_or(if since.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    /// The civil date and time of this instant at `offset` seconds east of UTC: the date, and
    /// the seconds since its midnight.
    pub(crate) fn civil_at(self, offset: i32) -> (Date, i64) {
        let local = self.second + i64::from(offset);
        let days = local.div_euclid(SECONDS_PER_DAY);
        // Every instant in range has a date under any offset up to ±25:59:59.
        let date = Date::from_unix_days(days).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX });
        (date, local.rem_euclid(SECONDS_PER_DAY))
    }

    /// The instant of `date` at `seconds` after midnight plus `nanosecond`, at `offset` seconds
    /// east of UTC, if in range.
    pub(crate) fn from_civil(date: Date, seconds: i64, nanosecond: u32, offset: i32) -> Option<Timestamp> {
        let second = date.unix_days() * SECONDS_PER_DAY + seconds - i64::from(offset);
        Timestamp::checked(second, nanosecond).ok()
    }
}

/// `self + duration`, saturating at [`Timestamp::MIN`]/[`Timestamp::MAX`] (jiff panicked);
/// [`Timestamp::checked_add`] says when it would leave the range.
impl std::ops::Add<SignedDuration> for Timestamp {
    type Output = Timestamp;
    fn add(self, duration: SignedDuration) -> Timestamp {
        self.checked_add(duration).unwrap_or(if duration.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
    }
}

/// `self - duration`, saturating like `+`.
impl std::ops::Sub<SignedDuration> for Timestamp {
    type Output = Timestamp;
    fn sub(self, duration: SignedDuration) -> Timestamp {
        self + -duration
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2005-06-01T02:00:00Z`, `…:00.5Z` with a fraction (trailing zeros dropped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, secs) = self.civil_at(0);
        write!(f, "{date}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)?;
        write_fraction(f, self.nanosecond)?;
        f.write_str("Z")
    }
}

/// `.` and the nanoseconds without trailing zeros; nothing when there are none.
pub(crate) fn write_fraction(f: &mut impl fmt::Write, nanosecond: u32) -> fmt::Result {
    if nanosecond == 0 {
        return Ok(());
    }
    let mut digits = format!("{nanosecond:09}");
    while digits.ends_with('0') {
        digits.pop();
    }
    write!(f, ".{digits}")
}

impl FromStr for Timestamp {
    type Err = TimeError;

    /// Reads an instant with its offset: RFC 3339 (`2005-06-24T16:30:00+08:00`, `…Z`, `t`/`z` in
    /// lower case, a space for `T`, `.000` or `,000` up to nine digits, `-05:00`) and the other
    /// ISO 8601 / Temporal forms jiff read: basic format (`20050624T163000Z`), the time without
    /// seconds (`T16:30Z`) or minutes (`T16Z`), offsets `+08`, `+0800` or `+08:00:00`, a second
    /// of `60` (a leap second, read as `59`: the instant is the second before), six-digit signed
    /// years (`+002005`), and bracketed RFC 9557 annotations (`[Asia/Shanghai]`, checked for
    /// syntax and ignored: the offset decides the instant). The time and the offset are required.
    fn from_str(text: &str) -> Result<Timestamp, TimeError> {
        let parsed = parse_temporal(text.as_bytes())?;
        let time = parsed.time.ok_or_else(|| TimeError::new("an instant needs a time of day"))?;
        let offset = match parsed.offset {
            Some(Offset::Zulu) => 0,
            Some(Offset::Numeric(seconds)) => seconds,
            None => return Err(TimeError::new("an instant needs an offset (Z or +08:00)")),
        };
        Timestamp::from_civil(parsed.date, time.seconds(), time.nanosecond, offset)
            .ok_or_else(|| TimeError::new("the instant is out of range"))
    }
}

/// An offset as written: `Z`, or seconds east of UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Offset {
    Zulu,
    Numeric(i32),
}

/// A time of day as written (a leap second already read as `59`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct TimeOfDay {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
}

impl TimeOfDay {
    pub fn seconds(self) -> i64 {
        i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }
}

/// A date-time as written: the date, and the time and offset if there were any.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Parsed {
    pub date: Date,
    pub time: Option<TimeOfDay>,
    pub offset: Option<Offset>,
}

/// The unread rest of the input.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn bump(&mut self) {
        self.rest = self.rest.get(1..).unwrap_or(&[]);
    }

    /// Consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Whether the next `n` bytes are ASCII digits.
    fn digits_ahead(&self, n: usize) -> bool {
        self.rest.get(..n).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    }

    /// Exactly `n` ASCII digits, as a number.
    fn number(&mut self, n: usize, what: &'static str) -> Result<u32, TimeError> {
        let digits = self.rest.get(..n).filter(|d| d.iter().all(u8::is_ascii_digit));
        let Some(digits) = digits else {
            return Err(TimeError::new(what));
        };
        self.rest = self.rest.get(n..).unwrap_or(&[]);
        Ok(digits.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    /// Exactly `n` digits in `range`.
    fn field(&mut self, n: usize, range: std::ops::RangeInclusive<u32>, what: &'static str) -> Result<u32, TimeError> {
        let value = self.number(n, what)?;
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(TimeError::new(what))
        }
    }

    /// An optional fraction: `.` or `,` and 1..=9 digits, as nanoseconds.
    fn fraction(&mut self) -> Result<Option<u32>, TimeError> {
        if !matches!(self.peek(), Some(b'.' | b',')) {
            return Ok(None);
        }
        self.bump();
        let mut nanos = 0u32;
        let mut count = 0;
        while count < 9 {
            match self.peek() {
                Some(d @ b'0'..=b'9') => {
                    nanos = nanos * 10 + u32::from(d - b'0');
                    count += 1;
                    self.bump();
                }
                _ => break,
            }
        }
        if count == 0 {
            return Err(TimeError::new("a decimal point needs digits after it"));
        }
        Ok(Some(nanos * 10u32.pow(9 - count)))
    }
}

/// Reads `Date [(T|t|space) Time [Offset]] [Annotations]`, the whole input (the Temporal
/// grammar jiff implements, without week dates).
pub(crate) fn parse_temporal(input: &[u8]) -> Result<Parsed, TimeError> {
    let mut c = Cursor { rest: input };
    let date = date_spec(&mut c)?;
    let (mut time, mut offset) = (None, None);
    if matches!(c.peek(), Some(b'T' | b't' | b' ')) {
        c.bump();
        time = Some(time_spec(&mut c)?);
        offset = offset_spec(&mut c)?;
    }
    annotations(&mut c)?;
    if !c.rest.is_empty() {
        return Err(TimeError::new("unexpected text after the date-time"));
    }
    Ok(Parsed { date, time, offset })
}

fn date_spec(c: &mut Cursor<'_>) -> Result<Date, TimeError> {
    let year = match c.peek() {
        Some(sign @ (b'+' | b'-')) => {
            c.bump();
            let y = i32::try_from(c.field(6, 0..=9999, "a signed year has six digits, at most 009999")?).unwrap_or(0);
            if sign == b'-' && y == 0 {
                return Err(TimeError::new("the year -000000 is not allowed"));
            }
            if sign == b'-' {
                -y
            } else {
                y
            }
        }
        _ => i32::try_from(c.number(4, "the year has four digits")?).unwrap_or(0),
    };
    let extended = c.eat(b'-');
    let month = c.field(2, 1..=12, "the month has two digits, 01..12")?;
    if extended {
        if !c.eat(b'-') {
            return Err(TimeError::new("expected - after the month"));
        }
    } else if c.peek() == Some(b'-') {
        return Err(TimeError::new("a date is either 2005-06-24 or 20050624"));
    }
    let day = c.field(2, 1..=31, "the day has two digits, 01..31")?;
    let year = i16::try_from(year).map_err(|_| TimeError::new("the year is out of range"))?;
    Date::new(year, i8::try_from(month).unwrap_or(0), i8::try_from(day).unwrap_or(0))
}

/// `HH[[:]MM[[:]SS[.fraction]]]`, the separators all present or all absent.
fn time_spec(c: &mut Cursor<'_>) -> Result<TimeOfDay, TimeError> {
    let mut time =
        TimeOfDay { hour: to_u8(c.field(2, 0..=23, "the hour has two digits, 00..23")?), ..TimeOfDay::default() };
    let extended = c.peek() == Some(b':');
    if !next_component(c, extended) {
        return Ok(time);
    }
    time.minute = to_u8(c.field(2, 0..=59, "the minute has two digits, 00..59")?);
    if !next_component(c, extended) {
        return Ok(time);
    }
    // A leap second (`60`) is read as 59, as jiff did: the instant is the second before it.
    time.second = to_u8(c.field(2, 0..=60, "the second has two digits, 00..59")?).min(59);
    time.nanosecond = c.fraction()?.unwrap_or(0);
    Ok(time)
}

/// Whether another time component follows: after `:` in extended form, or two digits in basic.
fn next_component(c: &mut Cursor<'_>, extended: bool) -> bool {
    if extended {
        c.eat(b':')
    } else {
        c.digits_ahead(2)
    }
}

fn to_u8(n: u32) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// `Z`, `z`, or `±HH[[:]MM[[:]SS[.fraction]]]` (hours up to 25; a fraction rounds to the second).
fn offset_spec(c: &mut Cursor<'_>) -> Result<Option<Offset>, TimeError> {
    match c.peek() {
        Some(b'Z' | b'z') => {
            c.bump();
            Ok(Some(Offset::Zulu))
        }
        Some(b'+' | b'-') => numeric_offset(c, true).map(|s| Some(Offset::Numeric(s))),
        _ => Ok(None),
    }
}

/// A signed offset in seconds; `subminute` allows seconds (and a fraction) after the minutes.
fn numeric_offset(c: &mut Cursor<'_>, subminute: bool) -> Result<i32, TimeError> {
    let negative = c.peek() == Some(b'-');
    c.bump();
    let hours = c.field(2, 0..=25, "the offset's hours have two digits, 00..25")?;
    let extended = c.peek() == Some(b':');
    let mut seconds = hours * 3600;
    if next_component(c, extended) {
        seconds += c.field(2, 0..=59, "the offset's minutes have two digits, 00..59")? * 60;
        if !subminute {
            if c.peek() == Some(b':') {
                return Err(TimeError::new("this offset has no seconds"));
            }
        } else if next_component(c, extended) {
            seconds += c.field(2, 0..=59, "the offset's seconds have two digits, 00..59")?;
            if c.fraction()?.is_some_and(|n| n >= 500_000_000) {
                seconds += 1;
            }
        }
    }
    let seconds = i32::try_from(seconds).unwrap_or(i32::MAX);
    if seconds > MAX_OFFSET_SECONDS {
        return Err(TimeError::new("the offset is out of range"));
    }
    Ok(if negative { -seconds } else { seconds })
}

/// RFC 9557 annotations (`[Asia/Shanghai]`, `[+08:00]`, `[u-ca=iso8601]`), checked for syntax
/// and ignored. As in jiff, a critical (`!`) annotation other than a time zone is refused.
fn annotations(c: &mut Cursor<'_>) -> Result<(), TimeError> {
    let bad = || TimeError::new("a bracketed annotation is malformed");
    let mut first = true;
    while c.eat(b'[') {
        let critical = c.eat(b'!');
        let zone_allowed = std::mem::replace(&mut first, false);
        if zone_allowed && matches!(c.peek(), Some(b'+' | b'-')) {
            numeric_offset(c, false)?;
        } else if zone_allowed && !is_key_value(c.rest) {
            // A time zone name: components of [A-Za-z._][A-Za-z0-9._+-]*, separated by `/`.
            loop {
                if !matches!(c.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'.' | b'_')) {
                    return Err(bad());
                }
                c.bump();
                while matches!(c.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' | b'+')) {
                    c.bump();
                }
                if !c.eat(b'/') {
                    break;
                }
            }
        } else {
            // key=value: key [a-z_][a-z0-9_-]*, value alphanumeric runs joined by `-`.
            if !matches!(c.peek(), Some(b'a'..=b'z' | b'_')) {
                return Err(bad());
            }
            c.bump();
            while matches!(c.peek(), Some(b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')) {
                c.bump();
            }
            if !c.eat(b'=') {
                return Err(bad());
            }
            loop {
                let start = c.rest.len();
                while c.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                    c.bump();
                }
                if c.rest.len() == start {
                    return Err(bad());
                }
                if !c.eat(b'-') {
                    break;
                }
            }
            if critical {
                return Err(TimeError::new("a critical annotation is not supported"));
            }
        }
        if !c.eat(b']') {
            return Err(bad());
        }
    }
    Ok(())
}

/// Whether an annotation's text is `key=…` (its first name component is followed by `=`).
fn is_key_value(rest: &[u8]) -> bool {
    let first = rest.first().copied();
    if !matches!(first, Some(b'A'..=b'Z' | b'a'..=b'z' | b'.' | b'_')) {
        return false;
    }
    let after = rest
        .iter()
        .skip(1)
        .position(|b| !matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' | b'+'))
        .map(|p| p + 1);
    after.and_then(|p| rest.get(p)) == Some(&b'=')
}
