//! Values that parse but cannot be true: zero durations, percentages over 100, dates that do
//! not exist.

use super::Lowering;
use crate::diag::{Diagnostic, FileId, FindingData, Loc, ValueProblem};
use crate::model::types::*;
use crate::syntax::{self, Cadence};

/// The longest duration, in minutes: its seconds still fit a signed 64-bit count, which is what
/// the audit measures time in.
pub(super) const MAX_MINUTES: u64 = i64::MAX as u64 / 60;

impl Lowering {
    pub(super) fn duration(&mut self, file: FileId, d: &syntax::Duration) -> At<syntax::Duration> {
        match d.amount {
            Some(0) => self.diags.push(Diagnostic::of(
                Loc::new(file, d.span),
                FindingData::InvalidValue {
                    value: d.text.clone(),
                    problem: ValueProblem::ZeroDuration,
                },
            )),
            Some(n) if n <= MAX_MINUTES / d.unit.minutes() => {}
            _ => {
                let largest = format!("{}{}", MAX_MINUTES / d.unit.minutes(), d.unit.suffix());
                self.diags.push(Diagnostic::of(
                    Loc::new(file, d.span),
                    FindingData::InvalidValue {
                        value: d.text.clone(),
                        problem: ValueProblem::DurationTooLong { largest },
                    },
                ))
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
            self.diags.push(Diagnostic::of(
                Loc::new(file, q.number_span),
                FindingData::InvalidValue {
                    value: q.text.clone(),
                    problem: ValueProblem::PercentOver100,
                },
            ));
        } else if !q.value.is_finite() {
            self.diags.push(Diagnostic::of(
                Loc::new(file, q.number_span),
                FindingData::InvalidValue {
                    value: q.text.clone(),
                    problem: ValueProblem::NumberTooLarge,
                },
            ));
        }
    }

    pub(super) fn date(&mut self, file: FileId, d: &syntax::Date) {
        if !date_exists(d.year, d.month, d.day) {
            let day = (1..=12).contains(&d.month).then_some(d.day);
            self.diags.push(Diagnostic::of(
                Loc::new(file, d.span),
                FindingData::InvalidValue {
                    value: d.text.clone(),
                    problem: ValueProblem::NoSuchDate { day },
                },
            ));
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
