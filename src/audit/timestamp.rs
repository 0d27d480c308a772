//! Timestamps of an audit log: a strict grammar parsed by hand, UTC arithmetic, RFC 3339
//! output and calendar periods.
//!
//! Grammar: `YYYY-MM-DD`, optionally `T` or one space and `HH:MM[:SS[.fraction]]` with an optional
//! zone `Z`/`z`/`±HH:MM`/`±HHMM`/`±HH`. The date and time must exist.

use crate::lint::calendar::{civil_from_days, days_from_civil};
use crate::syntax::Period;

/// An instant in UTC: seconds since 1970-01-01T00:00:00Z and nanoseconds. Packed to 12 bytes
/// (not 16): a log holds one per event, ten million of them and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(C, packed(4))]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

const DAY: i64 = 86_400;

/// A timestamp shown in RFC 3339, in UTC: `2026-03-01T01:30:05.065Z`, the fraction only when
/// there is one and without trailing zeros.
#[derive(Debug, Clone, Copy)]
pub struct Rfc3339(Timestamp);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Timestamp { secs, nanos } = self.0;
        let (y, m, d) = civil_from_days(secs.div_euclid(DAY));
        let s = secs.rem_euclid(DAY);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )?;
        if nanos > 0 {
            let (mut fraction, mut digits) = (nanos, 9);
            while fraction % 10 == 0 {
                fraction /= 10;
                digits -= 1;
            }
            write!(f, ".{fraction:0digits$}")?;
        }
        f.write_str("Z")
    }
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Timestamp {
    /// The instant `secs` seconds after the epoch.
    pub fn from_secs(secs: i64) -> Timestamp {
        Timestamp { secs, nanos: 0 }
    }

    /// Parses a timestamp of the log's grammar (`docs/audit.md`); `default_offset_s` is the zone of a value
    /// that names none (seconds east of UTC).
    pub fn parse(text: &str, default_offset_s: i32) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let mut secs = days_from_civil(i64::from(year), month, day) * DAY;
        let mut nanos = 0;
        let mut offset = i64::from(default_offset_s);
        let rest = &b[10..];
        if !rest.is_empty() {
            if rest.len() < 6 || !(rest[0] == b'T' || rest[0] == b' ') || rest[3] != b':' {
                return None;
            }
            let hour = digits(&rest[1..3])?;
            let minute = digits(&rest[4..6])?;
            if hour > 23 || minute > 59 {
                return None;
            }
            let mut i = 6;
            let mut second = 0;
            if rest.get(i) == Some(&b':') {
                second = digits(rest.get(i + 1..i + 3)?)?;
                if second > 59 {
                    return None;
                }
                i += 3;
                if rest.get(i) == Some(&b'.') {
                    let start = i + 1;
                    let mut end = start;
                    while end < rest.len() && rest[end].is_ascii_digit() {
                        end += 1;
                    }
                    let len = end - start;
                    if !(1..=9).contains(&len) {
                        return None;
                    }
                    nanos = digits(&rest[start..end])? * 10u32.pow(9 - len as u32);
                    i = end;
                }
            }
            if i < rest.len() {
                offset = zone(&rest[i..])?;
            }
            secs += i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        }
        let secs = secs - offset;
        // An instant whose UTC form would need a fifth year digit (or is before year 1) cannot
        // be written back as RFC 3339: refuse it like any other bad timestamp.
        let first = days_from_civil(1, 1, 1) * DAY;
        let past_last = days_from_civil(10_000, 1, 1) * DAY;
        if secs < first || secs >= past_last {
            return None;
        }
        Some(Timestamp { secs, nanos })
    }

    /// RFC 3339 in UTC with `Z`; a fraction only when there is one, without trailing zeros.
    pub fn rfc3339(self) -> String {
        Rfc3339(self).to_string()
    }

    /// The RFC 3339 text of [`Timestamp::rfc3339`], written where it is displayed or serialised
    /// (as a string) without a `String` of its own.
    pub fn in_rfc3339(self) -> Rfc3339 {
        Rfc3339(self)
    }

    /// `YYYY-MM-DD HH:MM` in UTC, for people.
    pub fn short(self) -> String {
        let full = self.rfc3339();
        format!("{} {}", &full[..10], &full[11..16])
    }

    /// Seconds from `earlier` to `self` (negative when `self` is earlier).
    pub fn seconds_since(self, earlier: Timestamp) -> f64 {
        (self.secs - earlier.secs) as f64
            + (f64::from(self.nanos) - f64::from(earlier.nanos)) * 1e-9
    }

    /// Whether more than `secs` whole seconds passed from `earlier` to `self`, exactly.
    pub fn exceeds(self, earlier: Timestamp, secs: u64) -> bool {
        let diff = i128::from(self.secs - earlier.secs) * 1_000_000_000 + i128::from(self.nanos)
            - i128::from(earlier.nanos);
        diff > i128::from(secs) * 1_000_000_000
    }

    /// The calendar date in UTC.
    pub fn date(self) -> (i64, u32, u32) {
        civil_from_days(self.secs.div_euclid(DAY))
    }

    fn days(self) -> i64 {
        self.secs.div_euclid(DAY)
    }
}

/// Parses `--timezone`: `Z` or `±HH:MM` (also `±HHMM`, `±HH`), as seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i32> {
    let s = zone(text.as_bytes())?;
    i32::try_from(s).ok()
}

/// A zone suffix: `Z`, `z`, `±HH:MM`, `±HHMM` or `±HH`, in seconds east of UTC.
fn zone(b: &[u8]) -> Option<i64> {
    match b {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let s = i64::from(h) * 3600 + i64::from(m) * 60;
            Some(if *sign == b'-' { -s } else { s })
        }
        _ => None,
    }
}

/// ASCII digits to a number; `None` for anything else (Unicode digits included).
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A calendar period as an ordinal: consecutive periods have consecutive keys.
pub fn period_key(period: Period, t: Timestamp) -> i64 {
    let (y, m, _) = t.date();
    match period {
        Period::Day => t.days(),
        // Weeks from Monday 1969-12-29 (1970-01-01 was a Thursday): week k runs from day
        // 7k − 3 (Monday) to 7k + 3 (Sunday).
        Period::Week => (t.days() + 3).div_euclid(7),
        Period::Month => y * 12 + i64::from(m - 1),
        Period::Quarter => y * 4 + i64::from((m - 1) / 3),
        Period::Year => y,
    }
}

/// The label of a period key: `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-Qn`, `YYYY`.
pub fn period_label(period: Period, key: i64) -> String {
    match period {
        Period::Day => {
            let (y, m, d) = civil_from_days(key);
            format!("{y:04}-{m:02}-{d:02}")
        }
        Period::Week => {
            // The ISO year is the year of the week's Thursday.
            let thursday = key * 7;
            let (y, _, _) = civil_from_days(thursday);
            let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
            format!("{y:04}-W{week:02}")
        }
        Period::Month => format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1),
        Period::Quarter => format!("{:04}-Q{}", key.div_euclid(4), key.rem_euclid(4) + 1),
        Period::Year => format!("{key:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        Timestamp::parse(s, 0).map(Timestamp::rfc3339)
    }

    #[test]
    fn accepts_the_grammar() {
        assert_eq!(p("2026-03-01").as_deref(), Some("2026-03-01T00:00:00Z"));
        assert_eq!(
            p("2026-03-01T09:30").as_deref(),
            Some("2026-03-01T09:30:00Z")
        );
        assert_eq!(
            p("2026-03-01 09:30:15").as_deref(),
            Some("2026-03-01T09:30:15Z")
        );
        assert_eq!(
            p("2026-03-01T09:30:15.250").as_deref(),
            Some("2026-03-01T09:30:15.25Z")
        );
        assert_eq!(
            p("2026-03-01T09:30:15.123456789z").as_deref(),
            Some("2026-03-01T09:30:15.123456789Z")
        );
        assert_eq!(
            p("2026-03-01T08:00+08:00").as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
        assert_eq!(
            p("2026-03-01T08:00+0800").as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
        assert_eq!(
            p("2026-03-01T01:00+08").as_deref(),
            Some("2026-02-28T17:00:00Z")
        );
        assert_eq!(
            p("2026-03-01T22:00-05:30").as_deref(),
            Some("2026-03-02T03:30:00Z")
        );
        assert_eq!(p("2024-02-29").as_deref(), Some("2024-02-29T00:00:00Z"));
        assert_eq!(p("2000-02-29").as_deref(), Some("2000-02-29T00:00:00Z"));
        assert_eq!(
            p("1969-12-31T23:59:59").as_deref(),
            Some("1969-12-31T23:59:59Z")
        );
    }

    #[test]
    fn rejects_what_does_not_exist_or_is_not_the_grammar() {
        for bad in [
            "",
            "2026-02-30",
            "2025-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "2026-03-01T25:00",
            "2026-03-01T24:00",
            "2026-03-01T10:60",
            "2026-03-01T10:00:60",
            "2026-03-01T10:00:00.",
            "2026-03-01T10:00:00.1234567890",
            "2026-03-01Z",
            "2026-03-01T10",
            "2026-03-01T10:00+8",
            "2026-03-01T10:00+08:0",
            "2026-03-01T10:00+24:00",
            "2026-03-01T10:00 +08:00",
            "2026-03-01  10:00",
            "2026-3-1",
            "26-03-01",
            "2026/03/01",
            "２０２６-03-01",
            "2026-03-01t10:00",
            "2026-03-01T10:00:00.5+08:00:00",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_outside_years_1_to_9999_utc_are_refused() {
        assert!(Timestamp::parse("9999-12-31T23:59:59.999999999-23:59", 0).is_none());
        assert!(Timestamp::parse("0001-01-01T00:30:00+01:00", 0).is_none());
        assert_eq!(
            Timestamp::parse("9999-12-31T23:59:59Z", 0)
                .map(Timestamp::rfc3339)
                .as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
    }

    #[test]
    fn default_zone_applies_only_without_a_zone() {
        let east8 = 8 * 3600;
        let t = Timestamp::parse("2026-03-01 08:00", east8).unwrap();
        assert_eq!(t.rfc3339(), "2026-03-01T00:00:00Z");
        let t = Timestamp::parse("2026-03-01 08:00Z", east8).unwrap();
        assert_eq!(t.rfc3339(), "2026-03-01T08:00:00Z");
        let t = Timestamp::parse("2026-03-01", east8).unwrap();
        assert_eq!(t.rfc3339(), "2026-02-28T16:00:00Z");
        assert_eq!(parse_offset("+08:00"), Some(east8));
        assert_eq!(parse_offset("-0330"), Some(-(3 * 3600 + 1800)));
        assert_eq!(parse_offset("8"), None);
    }

    #[test]
    fn differences_and_exact_comparisons() {
        let a = Timestamp::parse("2026-03-01T00:00:00", 0).unwrap();
        let b = Timestamp::parse("2026-03-03T00:00:00.5", 0).unwrap();
        assert!((b.seconds_since(a) - 172_800.5).abs() < 1e-9);
        assert!(b.exceeds(a, 172_800));
        let c = Timestamp::parse("2026-03-03T00:00:00", 0).unwrap();
        assert!(!c.exceeds(a, 172_800));
        assert!(a.seconds_since(b) < 0.0);
    }

    #[test]
    fn periods() {
        let t = |s: &str| Timestamp::parse(s, 0).unwrap();
        let label = |per, s: &str| period_label(per, period_key(per, t(s)));
        assert_eq!(label(Period::Day, "2026-03-01T23:59"), "2026-03-01");
        assert_eq!(label(Period::Month, "2026-03-31"), "2026-03");
        assert_eq!(label(Period::Quarter, "2026-03-31"), "2026-Q1");
        assert_eq!(label(Period::Quarter, "2026-04-01"), "2026-Q2");
        assert_eq!(label(Period::Year, "2026-12-31"), "2026");
        // ISO weeks: 2026-01-01 is a Thursday, so it is in 2026-W01; 2027-01-01 (Friday) is in
        // 2026-W53; 2024-12-30 (Monday) is in 2025-W01.
        assert_eq!(label(Period::Week, "2026-01-01"), "2026-W01");
        assert_eq!(label(Period::Week, "2027-01-01"), "2026-W53");
        assert_eq!(label(Period::Week, "2024-12-30"), "2025-W01");
        assert_eq!(label(Period::Week, "2024-12-29"), "2024-W52");
        let (a, b) = (
            period_key(Period::Week, t("2026-03-01")),
            period_key(Period::Week, t("2026-03-02")),
        );
        assert_eq!(b, a + 1, "Sunday then Monday");
    }

    #[test]
    fn calendar_round_trip() {
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
