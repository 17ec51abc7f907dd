#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Native only: jiff is a native dev-dependency (`wasm-pack test` builds every test target).
#![cfg(not(target_arch = "wasm32"))]
//! Our fixed-offset time module (src/time/) against jiff, the crate it replaced (issue 15): the
//! same instants, dates and durations read, written and counted, on every day of four centuries,
//! both ends of the range, and generated inputs (valid and not). The oracle functions below are
//! src/time.rs as it was on jiff, verbatim.

use formseal::time::{self, Date, SignedDuration, Timestamp};
use proptest::prelude::*;

/// src/time.rs on jiff.
mod oracle {
    use jiff::civil::{Date, DateTime};
    use jiff::tz::{Offset, TimeZone};
    use jiff::{SignedDuration, Timestamp};

    use formseal::normalize::half_width;

    fn beijing() -> TimeZone {
        TimeZone::fixed(Offset::constant(8))
    }

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

    pub fn beijing_date(at: Timestamp) -> Date {
        at.to_zoned(beijing()).date()
    }

    pub fn start_of_day(date: Date) -> Option<Timestamp> {
        date.to_datetime(jiff::civil::Time::midnight()).to_zoned(beijing()).ok().map(|z| z.timestamp())
    }

    pub fn end_of_day(date: Date) -> Option<Timestamp> {
        date.to_datetime(jiff::civil::Time::MAX).to_zoned(beijing()).ok().map(|z| z.timestamp())
    }

    pub fn format_instant(at: Timestamp) -> String {
        at.to_zoned(beijing()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    pub fn days_between(from: Date, to: Date) -> i64 {
        from.until(to).map(|span| i64::from(span.get_days())).unwrap_or(0)
    }

    pub fn add_days(date: Date, days: i64) -> Option<Date> {
        date.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
    }

    pub fn add_hours(at: Timestamp, hours: i64) -> Option<Timestamp> {
        at.checked_add(SignedDuration::from_hours(hours)).ok()
    }
}

// Comparable shapes of both crates' values.
fn ts(t: Timestamp) -> (i64, i32) {
    (t.as_second(), t.subsec_nanosecond())
}
fn jts(t: jiff::Timestamp) -> (i64, i32) {
    (t.as_second(), t.subsec_nanosecond())
}
fn date(d: Date) -> (i16, i8, i8) {
    (d.year(), d.month(), d.day())
}
fn jdate(d: jiff::civil::Date) -> (i16, i8, i8) {
    (d.year(), d.month(), d.day())
}
fn ours(d: jiff::civil::Date) -> Date {
    Date::new(d.year(), d.month(), d.day()).unwrap()
}
fn ours_ts(t: jiff::Timestamp) -> Timestamp {
    Timestamp::new(t.as_second(), t.subsec_nanosecond()).unwrap()
}
fn dur(d: SignedDuration) -> (i64, i32) {
    (d.as_secs(), d.subsec_nanos())
}
fn jdur(d: jiff::SignedDuration) -> (i64, i32) {
    (d.as_secs(), d.subsec_nanos())
}

/// Everything the module does with one date, against jiff.
fn check_date(j: jiff::civil::Date) {
    let d = ours(j);
    assert_eq!(d.to_string(), j.to_string(), "Display of {j}");
    let epoch = jiff::civil::date(1970, 1, 1);
    assert_eq!(d.unix_days(), i64::from(epoch.until(j).unwrap().get_days()), "{j}");
    let (start, end) = (time::start_of_day(d), time::end_of_day(d));
    assert_eq!(start.map(ts), oracle::start_of_day(j).map(jts), "start_of_day {j}");
    assert_eq!(end.map(ts), oracle::end_of_day(j).map(jts), "end_of_day {j}");
    if let (Some(s), Some(js)) = (start, oracle::start_of_day(j)) {
        assert_eq!(time::format_instant(s), oracle::format_instant(js), "format_instant {j}");
        assert_eq!(date(time::beijing_date(s)), jdate(oracle::beijing_date(js)), "beijing_date {j}");
    }
    if let (Some(e), Some(je)) = (end, oracle::end_of_day(j)) {
        assert_eq!(time::format_instant(e), oracle::format_instant(je), "format_instant {j} end");
        assert_eq!(e.to_string(), je.to_string(), "Display of end of {j}");
    }
    let text = j.to_string();
    assert_eq!(time::parse_date(&text).map(date), oracle::parse_date(&text).map(jdate), "parse_date {text}");
    assert_eq!(time::parse_instant(&text).map(ts), oracle::parse_instant(&text).map(jts), "parse_instant {text}");
}

#[test]
fn the_ranges_are_jiffs() {
    assert_eq!(ts(Timestamp::MIN), jts(jiff::Timestamp::MIN));
    assert_eq!(ts(Timestamp::MAX), jts(jiff::Timestamp::MAX));
    assert_eq!(date(Date::MIN), jdate(jiff::civil::Date::MIN));
    assert_eq!(date(Date::MAX), jdate(jiff::civil::Date::MAX));
    assert_eq!(date(Date::default()), jdate(jiff::civil::Date::default()));
    assert_eq!(Timestamp::MIN.to_string(), jiff::Timestamp::MIN.to_string());
    assert_eq!(Timestamp::MAX.to_string(), jiff::Timestamp::MAX.to_string());
    assert_eq!(time::format_instant(Timestamp::MIN), oracle::format_instant(jiff::Timestamp::MIN));
    assert_eq!(time::format_instant(Timestamp::MAX), oracle::format_instant(jiff::Timestamp::MAX));
    assert_eq!(date(time::beijing_date(Timestamp::MIN)), jdate(oracle::beijing_date(jiff::Timestamp::MIN)));
    assert_eq!(date(time::beijing_date(Timestamp::MAX)), jdate(oracle::beijing_date(jiff::Timestamp::MAX)));
    for s in [i64::MIN, -377_705_116_801, jiff::Timestamp::MIN.as_second() - 1, 253_402_207_201, i64::MAX] {
        assert_eq!(Timestamp::from_second(s).is_ok(), jiff::Timestamp::from_second(s).is_ok(), "{s}");
    }
}

/// Every day of 1800..=2200 (leap years, 1900 and 2100 that are not, 2000 that is, every
/// month and year boundary, the epoch and the years before it) and the first and last 1,500
/// days of the range, one after another as jiff counts them.
#[test]
fn every_day_of_four_centuries_and_both_ends_of_the_range() {
    let walk = |from: jiff::civil::Date, days: usize| {
        let mut j = from;
        let mut d = ours(from);
        for _ in 0..days {
            check_date(j);
            let (nj, nd) = (j.tomorrow(), time::add_days(d, 1));
            match nj {
                Ok(nj) => {
                    assert_eq!(nd.map(date), Some(jdate(nj)), "the day after {j}");
                    assert_eq!(time::days_between(d, nd.unwrap()), 1);
                    j = nj;
                    d = nd.unwrap();
                }
                Err(_) => {
                    assert_eq!(nd, None, "the day after {j}");
                    break;
                }
            }
        }
    };
    walk(jiff::civil::date(1800, 1, 1), 146_462);
    walk(jiff::civil::Date::MIN, 1500);
    walk(jiff::civil::date(9995, 11, 22), 1500);
}

#[test]
fn what_people_type_reads_as_before() {
    let inputs = [
        "2005-06-24T16:30:00+08:00",
        "2005-06-24T08:30:00Z",
        "2005-06-24t08:30:00z",
        "2005-05-31T16:00:00.000Z",
        "2005-05-31T16:00:00.123456789Z",
        "2005-05-31T16:00:00,5Z",
        "2005-06-24T16:30:00-05:00",
        "2005-06-24T16:30:00+0800",
        "2005-06-24T16:30:00+08",
        "2005-06-24T16:30:00+08:00[Asia/Shanghai]",
        "2005-06-24T16:30[Asia/Shanghai]",
        "2005-06-24T16:30:00+08:00[u-ca=iso8601]",
        "2005-06-24 16:30:00+08:00",
        "2005-06-24 16:30",
        "2005-06-24T16:30",
        "2005-06-24T16",
        "2005-06-24",
        "20050624T163000Z",
        "20050624",
        "２００５－０６－２４Ｔ１６：３０",
        "  2005-06-24T16:30  ",
        "2005-06-30T23:59:60+08:00",
        "2005-02-29T10:00:00+08:00",
        "2004-02-29T10:00:00+08:00",
        "2005-06-24T24:00:00+08:00",
        "2005-06-24T16:60:00+08:00",
        "2005-06-24T16:30:61+08:00",
        "2005-06-24T16:30:00+26:00",
        "2005-06-24T16:30:00.Z",
        "2005-06-24T16:30:00.1234567891Z",
        "2005-06-24T16:30Z",
        "2005-06-24T16:3",
        "2005-6-24",
        "2005/06/24",
        "05-06-24",
        "yesterday",
        "",
        "1969-12-31T23:59:59.5Z",
        "0000-01-01T00:00:00Z",
        "+002005-06-24T16:30:00Z",
        "-000001-06-24T16:30:00Z",
        "9999-12-31T23:59:59+08:00",
        "9999-12-30T22:00:00Z",
        "9999-12-30T22:00:01Z",
    ];
    for input in inputs {
        assert_eq!(
            time::parse_instant(input).map(ts),
            oracle::parse_instant(input).map(jts),
            "parse_instant {input:?}"
        );
        assert_eq!(
            input.parse::<Timestamp>().ok().map(ts),
            input.parse::<jiff::Timestamp>().ok().map(jts),
            "Timestamp::from_str {input:?}"
        );
        assert_eq!(time::parse_date(input).map(date), oracle::parse_date(input).map(jdate), "parse_date {input:?}");
    }
    // And the ones the code depends on, by value.
    let at = |s: &str| time::parse_instant(s).map(time::format_instant);
    assert_eq!(at("2005-05-31T16:00:00.000Z").as_deref(), Some("2005-06-01T00:00:00+08:00"));
    assert_eq!(at("2005-06-24T16:30").as_deref(), Some("2005-06-24T16:30:00+08:00"));
    assert_eq!(at("2005-06-24T03:30:00-05:00").as_deref(), Some("2005-06-24T16:30:00+08:00"));
    assert_eq!(at("2005-06-30T23:59:60+08:00").as_deref(), Some("2005-06-30T23:59:59+08:00"));
    assert_eq!(at("2005-02-29T10:00"), None);
}

#[test]
fn durations_read_and_write_as_before() {
    let inputs = [
        "24h",
        "30m",
        "PT24H",
        "-5m",
        "-PT1S",
        "0s",
        "1h",
        "8784h",
        "8785h",
        "soon",
        "5m ago",
        "-5m ago",
        "1h30m",
        "1h 30m",
        "1 hour, 30 minutes",
        "2 hours",
        "90 mins",
        "0.5s",
        "1.5h",
        "1,5h",
        "1h0.5m",
        "1.5h30m",
        "PT1H30M",
        "pt1h30m",
        "PT0.5S",
        "PT1.5H",
        "PT1H0.5M",
        "PT",
        "P",
        "P1D",
        "PT1D",
        "1d",
        "1 day",
        "24H",
        "300",
        "",
        " ",
        "5 m",
        "5m ",
        " 5m",
        "+5m",
        "+ 5m",
        "- 5m",
        "5ms",
        "5us",
        "5µs",
        "5ns",
        "1h1h",
        "30m1h",
        "5mx",
        "1s 500ms",
        "1m,30s",
        "1m, 30s",
        "1m ,30s",
        "9223372036854775807s",
        "9223372036854775808s",
        "2562047788015215h",
        "PT9223372036854775807S",
        "01:30:00",
        "1:30:00",
        "01:30",
        "01:60:00",
        "01:30:00.5",
        "01:30:00 ago",
        "-01:30:00",
        "1h 01:30:00",
        "1h , 30m",
        "1h,",
        "1h, ",
        "5m  ago",
        "5mago",
        "5m ago ",
        "1h\t30m",
        "1h 30m, 5s",
        "0s ago",
        "1µs",
        "1μs",
        "1usecs",
        "-9223372036854775808s",
        "9223372036854775808ns",
        "99999999999999999999h",
        "+5m ago",
        "5 Minutes",
        "PT1M1H",
        "PT1.5M30S",
        "PT-1H",
        "PT1H ",
        "PT 1H",
        "PT1H ago",
        "PT0.0000000001S",
        ".5h",
        "1.h",
        "1milli",
        "1millis",
        "1micro",
        "1micros",
        "1nano",
        "1nanos",
        "1mil",
        "1hs",
        "1msecs",
        "1usec",
        "1µsecs",
        "1nsec",
    ];
    for input in inputs {
        assert_eq!(
            input.parse::<SignedDuration>().ok().map(dur),
            input.parse::<jiff::SignedDuration>().ok().map(jdur),
            "SignedDuration::from_str {input:?}"
        );
    }
    assert_eq!(format!("{:#}", SignedDuration::from_hours(366 * 24)), "8784h");
}

/// Regression: the first version of our duration parser refused `milli(s)`, `micro(s)` and
/// `nano(s)`, which jiff read (found by probing jiff unit by unit).
#[test]
fn durations_in_milli_micro_and_nano_units_read_as_jiff_read_them() {
    for input in ["1milli", "2millis", "3micro", "4micros", "5nano", "6nanos", "1h 2milli", "1.5millis"] {
        let jiff = input.parse::<jiff::SignedDuration>().ok().map(jdur);
        assert!(jiff.is_some(), "{input:?}");
        assert_eq!(input.parse::<SignedDuration>().ok().map(dur), jiff, "{input:?}");
    }
}

/// Date-time text built from parts, each part valid or not, spelled each way jiff read.
fn date_time_text() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        (1900u32..2101).prop_map(|y| format!("{y:04}")),
        (0u32..10000).prop_map(|y| format!("{y:04}")),
        ((0u32..10000), any::<bool>()).prop_map(|(y, neg)| format!("{}{y:06}", if neg { '-' } else { '+' })),
        Just("123".to_owned()),
    ];
    let two = |max: u32| (0..max).prop_map(|v| format!("{v:02}"));
    let sep = prop_oneof![Just("-"), Just("-"), Just(""), Just("/")];
    let tsep = prop_oneof![Just("T"), Just("t"), Just(" "), Just("T"), Just("_")];
    let csep = prop_oneof![Just(":"), Just(":"), Just("")];
    let fraction = prop_oneof![
        Just(String::new()),
        (1usize..11, any::<u64>(), prop_oneof![Just('.'), Just(',')])
            .prop_map(|(n, v, s)| format!("{s}{}", &format!("{v:020}")[..n])),
        Just(".".to_owned()),
    ];
    let offset = prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        Just("z".to_owned()),
        (prop_oneof![Just('+'), Just('-')], 0u32..27, 0u32..61, 0u32..61, 0usize..4, prop_oneof![Just(":"), Just("")])
            .prop_map(|(s, h, m, sec, parts, c)| match parts {
                0 => format!("{s}{h:02}"),
                1 => format!("{s}{h:02}{c}{m:02}"),
                2 => format!("{s}{h:02}{c}{m:02}{c}{sec:02}"),
                _ => format!("{s}{h:02}{c}{m:02}{c}{sec:02}.5"),
            }),
    ];
    let annotation = prop_oneof![
        4 => Just(""),
        1 => Just("[Asia/Shanghai]"),
        1 => Just("[+08:00]"),
        1 => Just("[!UTC]"),
        1 => Just("[u-ca=iso8601]"),
        1 => Just("[!u-ca=iso8601]"),
        1 => Just("[asia/shanghai][u-ca=iso8601]"),
        1 => Just("[]"),
        1 => Just("[Asia/Shanghai"),
    ];
    let time =
        (two(25), csep, two(61), two(62), 0usize..4, fraction, offset).prop_map(
            |(h, c, m, s, parts, f, o)| match parts {
                0 => String::new(),
                1 => format!("{h}{o}"),
                2 => format!("{h}{c}{m}{o}"),
                _ => format!("{h}{c}{m}{c}{s}{f}{o}"),
            },
        );
    (year, sep, two(14), two(33), tsep, time, annotation).prop_map(|(y, s, m, d, t, time, a)| {
        if time.is_empty() {
            format!("{y}{s}{m}{s}{d}{a}")
        } else {
            format!("{y}{s}{m}{s}{d}{t}{time}{a}")
        }
    })
}

/// Duration text built from parts.
fn duration_text() -> impl Strategy<Value = String> {
    let unit = prop_oneof![
        Just("h"),
        Just("hr"),
        Just("hours"),
        Just("hour"),
        Just("m"),
        Just("min"),
        Just("mins"),
        Just("minutes"),
        Just("s"),
        Just("sec"),
        Just("seconds"),
        Just("ms"),
        Just("us"),
        Just("µs"),
        Just("ns"),
        Just("d"),
        Just("H"),
        Just("x"),
    ];
    let number = prop_oneof![
        (0u64..100_000).prop_map(|n| n.to_string()),
        (0u64..1000, 0u64..1000).prop_map(|(a, b)| format!("{a}.{b}")),
        any::<u64>().prop_map(|n| n.to_string()),
    ];
    let group = (number, prop_oneof![Just(""), Just(" ")], unit).prop_map(|(n, s, u)| format!("{n}{s}{u}"));
    let friendly = (proptest::collection::vec(group, 1..4), prop_oneof![Just(""), Just(" "), Just(", "), Just(",")])
        .prop_map(|(groups, sep)| groups.join(sep));
    let iso = (
        proptest::collection::vec((0u64..10_000, prop_oneof![Just('H'), Just('M'), Just('S'), Just('h')]), 0..4),
        any::<bool>(),
    )
        .prop_map(|(parts, t)| {
            let body: String = parts.iter().map(|(n, u)| format!("{n}{u}")).collect();
            format!("P{}{body}", if t { "T" } else { "" })
        });
    (
        prop_oneof![Just(""), Just("-"), Just("+")],
        prop_oneof![friendly, iso],
        prop_oneof![4 => Just(""), 1 => Just(" ago")],
    )
        .prop_map(|(sign, body, ago)| format!("{sign}{body}{ago}"))
}

/// Up to 28 characters of the date-time alphabet, in any order.
fn short_text() -> impl Strategy<Value = String> {
    const ALPHABET: &[u8] = b"0123456789012345678901234567890123456789T:Zz+.,- []/!=abcs";
    proptest::collection::vec(0..ALPHABET.len(), 0..28)
        .prop_map(|ix| ix.iter().map(|&i| char::from(ALPHABET[i])).collect())
}

/// An instant anywhere in range (often near the epoch or in this era), with or without a fraction.
fn instant() -> impl Strategy<Value = jiff::Timestamp> {
    let (min, max) = (jiff::Timestamp::MIN.as_second(), jiff::Timestamp::MAX.as_second());
    let second = prop_oneof![min..=max, -200_000i64..200_000, 0i64..4_102_444_800, Just(min), Just(max)];
    let nanos = prop_oneof![Just(0i32), -999_999_999i32..=999_999_999];
    (second, nanos).prop_filter_map("in range", |(s, n)| jiff::Timestamp::new(s, n).ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_date_times_read_as_jiff_read_them(text in date_time_text()) {
        prop_assert_eq!(text.parse::<Timestamp>().ok().map(ts), text.parse::<jiff::Timestamp>().ok().map(jts), "{:?}", text);
        prop_assert_eq!(time::parse_instant(&text).map(ts), oracle::parse_instant(&text).map(jts), "{:?}", text);
        prop_assert_eq!(time::parse_date(&text).map(date), oracle::parse_date(&text).map(jdate), "{:?}", text);
    }

    #[test]
    fn any_short_text_reads_as_jiff_read_it(text in short_text()) {
        prop_assert_eq!(text.parse::<Timestamp>().ok().map(ts), text.parse::<jiff::Timestamp>().ok().map(jts), "{:?}", text);
        prop_assert_eq!(time::parse_instant(&text).map(ts), oracle::parse_instant(&text).map(jts), "{:?}", text);
    }

    #[test]
    fn generated_durations_read_as_jiff_read_them(text in duration_text()) {
        prop_assert_eq!(text.parse::<SignedDuration>().ok().map(dur), text.parse::<jiff::SignedDuration>().ok().map(jdur), "{:?}", text);
    }

    #[test]
    fn durations_write_as_jiff_wrote_them(secs in prop_oneof![-100_000i64..100_000, any::<i64>()], nanos in prop_oneof![Just(0i32), -999_999_999i32..=999_999_999]) {
        let Ok(j) = std::panic::catch_unwind(|| jiff::SignedDuration::new(secs, nanos)) else { return Ok(()) };
        let d = SignedDuration::new(secs, nanos);
        prop_assert_eq!(dur(d), jdur(j));
        prop_assert_eq!(d.to_string(), j.to_string());
        prop_assert_eq!(format!("{d:#}"), format!("{j:#}"));
        prop_assert_eq!(d.is_negative(), j.is_negative());
        prop_assert_eq!(d.to_string().parse::<SignedDuration>().ok().map(dur), Some(dur(d)));
        prop_assert_eq!(format!("{d:#}").parse::<SignedDuration>().ok().map(dur), Some(dur(d)));
    }

    #[test]
    fn instants_write_and_count_as_jiff_did(j in instant(), k in instant(), hours in -3_000_000i64..3_000_000, days in -3_000_000i64..3_000_000) {
        let t = ours_ts(j);
        let u = ours_ts(k);
        prop_assert_eq!(ts(t), jts(j));
        prop_assert_eq!(t.to_string(), j.to_string());
        prop_assert_eq!(time::format_instant(t), oracle::format_instant(j));
        prop_assert_eq!(date(time::beijing_date(t)), jdate(oracle::beijing_date(j)));
        prop_assert_eq!(t.cmp(&u), j.cmp(&k));
        prop_assert_eq!(dur(t.duration_until(u)), jdur(j.duration_until(k)));
        prop_assert_eq!(time::add_hours(t, hours).map(ts), oracle::add_hours(j, hours).map(jts));
        let step = j.duration_until(k);
        prop_assert_eq!(t.checked_add(t.duration_until(u)).ok().map(ts), j.checked_add(step).ok().map(jts));
        prop_assert_eq!(
            t.checked_add(SignedDuration::new(step.as_secs(), step.subsec_nanos())).ok().map(ts),
            j.checked_add(step).ok().map(jts)
        );
        let (d, jd) = (time::beijing_date(t), oracle::beijing_date(j));
        let (e, je) = (time::beijing_date(u), oracle::beijing_date(k));
        prop_assert_eq!(time::days_between(d, e), oracle::days_between(jd, je));
        prop_assert_eq!(time::add_days(d, days).map(date), oracle::add_days(jd, days).map(jdate));
        prop_assert_eq!(time::start_of_day(d).map(ts), oracle::start_of_day(jd).map(jts));
        prop_assert_eq!(time::end_of_day(d).map(ts), oracle::end_of_day(jd).map(jts));
        // What the format gives back reads back to the same second.
        let text = time::format_instant(t);
        prop_assert_eq!(time::parse_instant(&text).map(ts), oracle::parse_instant(&text).map(jts));
        let text = t.to_string();
        prop_assert_eq!(text.parse::<Timestamp>().ok().map(ts), Some(ts(t)));
    }

    #[test]
    fn milliseconds_read_as_jiff_read_them(ms in prop_oneof![any::<i64>(), -400_000_000_000_000i64..400_000_000_000_000]) {
        prop_assert_eq!(Timestamp::from_millisecond(ms).ok().map(ts), jiff::Timestamp::from_millisecond(ms).ok().map(jts));
        prop_assert_eq!(Timestamp::from_second(ms / 1000).ok().map(ts), jiff::Timestamp::from_second(ms / 1000).ok().map(jts));
    }

    #[test]
    fn typed_dates_read_as_before(y in 0u32..10000, m in 0u32..14, d in 0u32..33, style in 0usize..5) {
        let text = match style {
            0 => format!("{y:04}-{m:02}-{d:02}"),
            1 => format!("{y}/{m}/{d}"),
            2 => format!("{y}年{m}月{d}日"),
            3 => format!("{y:04}.{m}.{d}"),
            _ => format!("{y:04}-{m}-{d}T00:00"),
        };
        prop_assert_eq!(time::parse_date(&text).map(date), oracle::parse_date(&text).map(jdate), "{:?}", text);
    }
}
