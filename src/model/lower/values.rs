//! Values that parse but cannot be true: zero durations, percentages over 100, dates that do
//! not exist.

use super::Lowering;
use crate::diag::{Diagnostic, FileId, Loc};
use crate::lint::RuleId;
use crate::model::types::*;
use crate::syntax::{self, Cadence};

/// The longest duration, in minutes: its seconds still fit a signed 64-bit count, which is what
/// the audit measures time in.
pub(super) const MAX_MINUTES: u64 = i64::MAX as u64 / 60;

impl Lowering {
    pub(super) fn duration(&mut self, file: FileId, d: &syntax::Duration) -> At<syntax::Duration> {
        match d.amount {
            Some(0) => self.diags.push(
                Diagnostic::new(
                    RuleId::InvalidValue,
                    Loc::new(file, d.span),
                    format!("duration `{}` is zero", d.text),
                )
                .with_label("zero")
                .with_help("give a time longer than zero, e.g. `24h`"),
            ),
            Some(n) if n <= MAX_MINUTES / d.unit.minutes() => {}
            _ => {
                let largest = format!("{}{}", MAX_MINUTES / d.unit.minutes(), d.unit.suffix());
                self.diags.push(
                    Diagnostic::new(
                        RuleId::InvalidValue,
                        Loc::new(file, d.span),
                        format!(
                            "duration `{}` is too long: the largest allowed is `{largest}`",
                            d.text
                        ),
                    )
                    .with_label("too long")
                    .with_help(format!(
                        "give a duration of at most `{largest}` (about 292 billion years)"
                    )),
                )
            }
        }
        At {
            value: d.clone(),
            loc: Loc::new(file, d.span),
        }
    }

    pub(super) fn cadence(&mut self, file: FileId, c: &Cadence) -> At<Cadence> {
        if let Cadence::Every(d, _) = c {
            self.duration(file, d);
        }
        At {
            value: c.clone(),
            loc: Loc::new(file, c.span()),
        }
    }

    pub(super) fn quantity(&mut self, file: FileId, q: &syntax::Quantity) {
        if q.percent && q.value > 100.0 {
            self.diags.push(
                Diagnostic::new(
                    RuleId::InvalidValue,
                    Loc::new(file, q.number_span),
                    format!("percentage `{}` is over 100%", q.text),
                )
                .with_label("over 100%")
                .with_help("a percentage is between 0% and 100%"),
            );
        } else if !q.value.is_finite() {
            self.diags.push(
                Diagnostic::new(
                    RuleId::InvalidValue,
                    Loc::new(file, q.number_span),
                    format!("number `{}` is too large", q.text),
                )
                .with_label("too large")
                .with_help("a number must be below 1.8 × 10^308; write it in a larger unit"),
            );
        }
    }

    pub(super) fn date(&mut self, file: FileId, d: &syntax::Date) {
        if !date_exists(d.year, d.month, d.day) {
            self.diags.push(
                Diagnostic::new(
                    RuleId::InvalidValue,
                    Loc::new(file, d.span),
                    format!("date `{}` does not exist", d.text),
                )
                .with_label("no such day")
                .with_help(date_help(d)),
            );
        }
    }
}

fn date_exists(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn date_help(d: &syntax::Date) -> String {
    if !(1..=12).contains(&d.month) {
        "months run from 01 to 12".to_string()
    } else {
        format!("that month has no day {:02}", d.day)
    }
}
