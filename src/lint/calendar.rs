//! Calendar days, for the checks that compare a date with today (`review-overdue`).

use crate::syntax::{Cadence, NamedCadence};

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year, astronomical numbering (year 0 is 1 BC).
    pub year: i64,
    /// The month, 1 (January) to 12.
    pub month: u32,
    /// The day of the month, 1-based.
    pub day: u32,
}

impl Day {
    /// The day, if it exists in the calendar.
    pub fn new(year: i64, month: u32, day: u32) -> Option<Day> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(Day { year, month, day })
    }

    /// `YYYY-MM-DD`, checked for validity.
    pub fn parse(text: &str) -> Option<Day> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = text.get(r)?;
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        Day::new(i64::from(num(0..4)?), num(5..7)?, num(8..10)?)
    }

    /// The current date in UTC.
    pub fn today_utc() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Day::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// Days since 1970-01-01.
    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    fn from_days(z: i64) -> Day {
        let (year, month, day) = civil_from_days(z);
        Day { year, month, day }
    }

    /// `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Day {
        Day::from_days(self.days().saturating_add(n))
    }

    /// `n` calendar months later; the day becomes the last of a shorter month.
    pub fn add_months(self, n: u32) -> Day {
        let total = self.year * 12 + i64::from(self.month - 1) + i64::from(n);
        let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        Day {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// One `cadence` after this day: calendar months for `monthly`, `quarterly` and `yearly`,
    /// whole days otherwise (a duration shorter than a day counts as one day).
    pub fn after(self, cadence: &Cadence) -> Day {
        match cadence {
            Cadence::Named(named, _) => match named {
                NamedCadence::Daily => self.add_days(1),
                NamedCadence::Weekly => self.add_days(7),
                NamedCadence::Biweekly => self.add_days(14),
                NamedCadence::Monthly => self.add_months(1),
                NamedCadence::Quarterly => self.add_months(3),
                NamedCadence::Yearly => self.add_months(12),
            },
            Cadence::Every(d, _) => {
                let minutes = d
                    .amount
                    .unwrap_or(u64::MAX)
                    .saturating_mul(d.unit.minutes());
                let days = minutes.div_ceil(24 * 60).max(1);
                self.add_days(i64::try_from(days).unwrap_or(i64::MAX / 2))
            }
        }
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, month and day already valid (Howard
/// Hinnant's `days_from_civil`); the one day count of the dates sopc reads and of the audit's
/// timestamps.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a count of days since 1970-01-01 (inverse of
/// [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// When the SOP's next review is due: its `reviewed` date plus one `review` cadence; `None`
/// without both, or with an impossible `reviewed` date (an `invalid-value` already). A review is
/// overdue when this day lies before today; due today is not overdue.
pub fn review_due(header: &crate::model::Header) -> Option<Day> {
    let (review, reviewed) = (header.review.as_ref()?, header.reviewed.as_ref()?);
    let last = Day::new(i64::from(reviewed.year), reviewed.month, reviewed.day)?;
    Some(last.after(&review.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_months_clamp() {
        for text in ["1970-01-01", "2000-02-29", "2026-12-31", "2024-03-01"] {
            let d = Day::parse(text).unwrap();
            assert_eq!(Day::from_days(d.days()), d);
            assert_eq!(d.to_string(), text);
        }
        assert_eq!(Day::parse("1970-01-02").unwrap().days(), 1);
        assert_eq!(Day::parse("2026-02-30"), None);
        let d = Day::parse("2026-11-30").unwrap();
        assert_eq!(d.add_months(3).to_string(), "2027-02-28");
        assert_eq!(d.add_days(2).to_string(), "2026-12-02");
        assert_eq!(
            Day::parse("2024-01-31").unwrap().add_months(1).to_string(),
            "2024-02-29"
        );
    }
}
