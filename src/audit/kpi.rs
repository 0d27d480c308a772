//! KPIs computed from the log: conversions, amounts, counts and durations of the cases that
//! entered a kpi's stage, over the whole log or per calendar period.

use std::collections::HashMap;

use super::events::EventLog;
use super::figures::quantile;
use super::kpi_method::{Method, sentence, unit_seconds};
use super::report::{KpiReport, KpiValue, Measure, PeriodValue, round6};
use super::timestamp::{Timestamp, period_key, period_label};
use crate::model::{Kpi, Model, SourceDb};
use crate::render::Lang;
use crate::syntax::{Comparator, KpiKind, Period};

/// What the kpis are computed from.
pub struct KpiInput<'a> {
    /// The resolved document whose kpis are computed.
    pub model: &'a Model,
    /// The files the document was read from, for pointing at a kpi in messages.
    pub db: &'a SourceDb,
    /// Index of the audited pipeline in `model.pipelines`.
    pub pipeline: usize,
    /// The events of the log, case by case.
    pub log: &'a EventLog,
    /// Whether the log has an amount column; without one an amount kpi is `no amount column`.
    pub has_amount: bool,
    /// `--as-of`: the periods run up to it when it is after the last event; `None`: up to the
    /// last event.
    pub as_of: Option<Timestamp>,
}

/// One report per kpi of the document, in reading order.
pub fn compute(input: &KpiInput) -> Vec<KpiReport> {
    input
        .model
        .kpis
        .iter()
        .map(|k| {
            let (report, goal) = plan(input.model, input.db, input.pipeline, input.has_amount, k);
            match goal {
                Some(goal) => values(input, report, &goal),
                None => report,
            }
        })
        .collect()
}

/// What a computable kpi is held against.
#[derive(Debug, Clone)]
pub struct Goal {
    /// Index of the kpi's stage in the audited pipeline.
    pub stage: usize,
    /// The stage's id.
    pub stage_id: String,
    /// How the value must compare with `value`.
    pub comparator: Comparator,
    /// The target's number; for a duration, in seconds.
    pub value: f64,
    /// `per PERIOD` of the target.
    pub per: Option<Period>,
    /// What is computed.
    pub measure: Measure,
}

/// Every kpi of the document as far as the SOP decides it: the report without the values the
/// log gives, and for a computable kpi its goal. `--emit-sql` compiles the goals into SQL.
pub fn plans(
    model: &Model,
    db: &SourceDb,
    pipeline: usize,
    has_amount: bool,
) -> Vec<(KpiReport, Option<Goal>)> {
    model
        .kpis
        .iter()
        .map(|k| plan(model, db, pipeline, has_amount, k))
        .collect()
}

fn plan(
    model: &Model,
    db: &SourceDb,
    pipeline: usize,
    has_amount: bool,
    kpi: &Kpi,
) -> (KpiReport, Option<Goal>) {
    let stage_name = kpi.stage.as_ref().map(|s| match s.target {
        Some((p, i)) => model.pipelines[p].stages[i].def.id.clone(),
        None => s.stage.clone(),
    });
    let qualitative = kpi.kind == Some(KpiKind::Qualitative);
    let measure = Measure::of(kpi.measure_in_effect());
    let per = kpi.target.as_ref().and_then(|t| t.per);
    let mut report = KpiReport {
        id: kpi.def.id.clone(),
        stage: stage_name,
        computable: false,
        reason: None,
        measure: (!qualitative).then_some(measure),
        method: String::new(),
        unit: None,
        target: None,
        missing_amount: None,
        target_s: None,
        value: None,
        numerator: None,
        denominator: None,
        periods: None,
        met: None,
    };
    let unit = kpi
        .target
        .as_ref()
        .and_then(|t| t.quantity.unit.as_ref().map(|u| u.name.clone()))
        .or_else(|| kpi.unit.as_ref().map(|u| u.value.clone()));
    let unit_s = unit.as_deref().and_then(unit_seconds);
    let reason = if qualitative {
        Some("qualitative")
    } else if kpi.stage.is_none() {
        Some("no stage")
    } else if kpi.target.is_none() {
        Some("no target")
    } else if kpi.stage.as_ref().and_then(|s| s.target).is_none() {
        Some("unknown stage")
    } else if kpi.stage.as_ref().and_then(|s| s.target).map(|t| t.0) != Some(pipeline) {
        Some("stage of another pipeline")
    } else if measure == Measure::Amount && !has_amount {
        Some("no amount column")
    } else if measure == Measure::Duration && unit_s.is_none() {
        Some("no time unit")
    } else {
        None
    };
    report.method = sentence(
        &Method {
            measure: report.measure,
            stage: report.stage.as_deref(),
            per,
            reason,
            case: None,
        },
        Lang::En,
    );
    let (Some(target), Some((_, stage)), None) = (
        &kpi.target,
        kpi.stage.as_ref().and_then(|s| s.target),
        reason,
    ) else {
        report.reason = reason.map(str::to_string);
        return (report, None);
    };
    report.computable = true;
    report.target = Some(target_text(db, target.loc));
    if measure != Measure::Conversion {
        report.unit = Some(unit);
    }
    // What `met` compares with: a duration's target in seconds.
    let value = match (measure, unit_s) {
        (Measure::Duration, Some(s)) => {
            let v = target.quantity.value * s;
            report.target_s = Some(v);
            v
        }
        _ => target.quantity.value,
    };
    let goal = Goal {
        stage,
        stage_id: model.pipelines[pipeline].stages[stage].def.id.clone(),
        comparator: target.comparator,
        value,
        per,
        measure,
    };
    (report, Some(goal))
}

/// The values of a computable kpi, from the log.
fn values(input: &KpiInput, mut report: KpiReport, g: &Goal) -> KpiReport {
    let (measure, stage, per) = (g.measure, g.stage, g.per);
    let entries = first_entries(input.log, stage);
    let goal = |v: KpiValue| v.as_f64().map(|v| meets(v, g.comparator, g.value));
    let log = input.log;
    let since_first = |c: usize, t: Timestamp| t.seconds_since(log.times[log.offsets[c]]);
    match per {
        None => {
            let entered = entries.iter().flatten().count() as u64;
            let value = match measure {
                Measure::Conversion => {
                    report.numerator = Some(entered);
                    report.denominator = Some(log.cases() as u64);
                    percent(entered, log.cases() as u64)
                }
                Measure::Amount => {
                    let (sum, missing) = amounts(log, &entries);
                    report.missing_amount = Some(missing);
                    KpiValue::Number(sum)
                }
                Measure::Count => KpiValue::Count(entered),
                Measure::Duration => {
                    let mut times: Vec<f64> = entries
                        .iter()
                        .enumerate()
                        .filter_map(|(c, e)| e.map(|t| since_first(c, t)))
                        .collect();
                    median(&mut times)
                }
            };
            report.value = Some(value);
            report.met = Some(goal(value));
        }
        Some(per) => {
            if measure == Measure::Amount {
                report.missing_amount = Some(amounts(log, &entries).1);
            }
            let mut buckets: HashMap<i64, Bucket> = HashMap::new();
            for (c, &entry) in entries.iter().enumerate() {
                match (measure, entry) {
                    // A cohort: the cases whose first event falls in the period.
                    (Measure::Conversion, _) => {
                        let b = bucket(&mut buckets, per, log.times[log.offsets[c]]);
                        b.cases += 1;
                        b.entered += u64::from(entry.is_some());
                    }
                    (Measure::Amount, Some(t)) if !log.case_amounts[c].is_nan() => {
                        bucket(&mut buckets, per, t).amount += log.case_amounts[c];
                    }
                    (Measure::Count, Some(t)) => bucket(&mut buckets, per, t).entered += 1,
                    (Measure::Duration, Some(t)) => {
                        bucket(&mut buckets, per, t)
                            .durations
                            .push(since_first(c, t));
                    }
                    _ => {}
                }
            }
            let empty = Bucket::default();
            let value_of = |b: &Bucket| match measure {
                Measure::Conversion => {
                    (percent(b.entered, b.cases), Some(b.entered), Some(b.cases))
                }
                Measure::Amount => (KpiValue::Number(b.amount), None, None),
                Measure::Count => (KpiValue::Count(b.entered), None, None),
                Measure::Duration => (median(&mut b.durations.clone()), None, None),
            };
            let periods = listed_periods(period_range(log, input.as_of, per), &buckets)
                .into_iter()
                .map(|listed| {
                    let (label, b) = match listed {
                        Listed::One(key) => {
                            (period_label(per, key), buckets.get(&key).unwrap_or(&empty))
                        }
                        Listed::Empty(first, last) => (
                            format!("{}/{}", period_label(per, first), period_label(per, last)),
                            &empty,
                        ),
                    };
                    let (value, numerator, denominator) = value_of(b);
                    PeriodValue {
                        period: label,
                        value,
                        numerator,
                        denominator,
                        met: goal(value),
                    }
                })
                .collect();
            report.periods = Some(periods);
        }
    }
    report
}

/// The median of durations in seconds, to the microsecond; undefined without any.
fn median(times: &mut [f64]) -> KpiValue {
    if times.is_empty() {
        return KpiValue::Undefined;
    }
    times.sort_unstable_by(f64::total_cmp);
    KpiValue::Number(round6(quantile(times, 0.5)))
}

fn percent(num: u64, den: u64) -> KpiValue {
    if den == 0 {
        KpiValue::Undefined
    } else {
        KpiValue::Number(round6(100.0 * num as f64 / den as f64))
    }
}

fn meets(value: f64, comparator: Comparator, target: f64) -> bool {
    match comparator {
        Comparator::Ge => value >= target,
        Comparator::Le => value <= target,
        Comparator::Gt => value > target,
        Comparator::Lt => value < target,
        Comparator::Eq => value == target,
    }
}

/// Per case, the time of its first entry into `stage` (if it entered it).
fn first_entries(log: &EventLog, stage: usize) -> Vec<Option<Timestamp>> {
    (0..log.cases())
        .map(|c| {
            log.range(c)
                .find(|&i| log.known_stage(log.stages[i]) == Some(stage))
                .map(|i| log.times[i])
        })
        .collect()
}

/// Sum of the amounts of the cases that entered the stage, and how many of them have none.
fn amounts(log: &EventLog, entries: &[Option<Timestamp>]) -> (f64, u64) {
    let (mut sum, mut missing) = (0.0, 0);
    for (c, entry) in entries.iter().enumerate() {
        if entry.is_none() {
            continue;
        }
        let amount = log.case_amounts[c];
        if amount.is_nan() {
            missing += 1;
        } else {
            sum += amount;
        }
    }
    (sum, missing)
}

/// What one period adds up.
#[derive(Debug, Clone, Default)]
struct Bucket {
    cases: u64,
    entered: u64,
    amount: f64,
    /// Duration kpis: each case's time from its first event to its first entry, in seconds.
    durations: Vec<f64>,
}

fn bucket(buckets: &mut HashMap<i64, Bucket>, per: Period, t: Timestamp) -> &mut Bucket {
    buckets.entry(period_key(per, t)).or_default()
}

/// Periods listed one by one; after them, a run of periods without any entry is one element.
pub const LISTED_PERIODS: i64 = 1_000;

/// One element of a kpi's list of periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    One(i64),
    /// Consecutive periods, first and last, none of which has an entry.
    Empty(i64, i64),
}

/// The first [`LISTED_PERIODS`] periods of `range` one by one, then every period with an entry
/// one by one and each run of periods between them as one [`Listed::Empty`]: the list grows with
/// the entries, never with the length of the range (a log from `0001-01-01` to `9999-12-31`).
fn listed_periods(range: std::ops::Range<i64>, buckets: &HashMap<i64, Bucket>) -> Vec<Listed> {
    let head_end = range.end.min(range.start.saturating_add(LISTED_PERIODS));
    let mut out: Vec<Listed> = (range.start..head_end).map(Listed::One).collect();
    let mut later: Vec<i64> = buckets
        .keys()
        .copied()
        .filter(|k| (head_end..range.end).contains(k))
        .collect();
    later.sort_unstable();
    let mut next = head_end;
    for key in later {
        if key > next {
            out.push(if key - 1 == next {
                Listed::One(next)
            } else {
                Listed::Empty(next, key - 1)
            });
        }
        out.push(Listed::One(key));
        next = key + 1;
    }
    if next < range.end {
        out.push(if range.end - 1 == next {
            Listed::One(next)
        } else {
            Listed::Empty(next, range.end - 1)
        });
    }
    out
}

/// Every period from the first event's to as-of's (or the last event's, when later), zeros
/// included.
fn period_range(log: &EventLog, as_of: Option<Timestamp>, per: Period) -> std::ops::Range<i64> {
    let (Some(first), Some(last)) = (log.times.iter().min(), log.times.iter().max()) else {
        return 0..0;
    };
    let end = as_of.map_or(*last, |a| a.max(*last));
    period_key(per, *first)..period_key(per, end) + 1
}

/// The target's source text after `target`, white space folded.
fn target_text(db: &SourceDb, loc: crate::diag::Loc) -> String {
    let text = &db.get(loc.file).text;
    let raw = text.get(loc.span.start..loc.span.end).unwrap_or_default();
    let raw = raw.trim_start().strip_prefix("target").unwrap_or(raw);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[i64]) -> HashMap<i64, Bucket> {
        list.iter().map(|&k| (k, Bucket::default())).collect()
    }

    #[test]
    fn short_ranges_are_listed_whole() {
        let listed = listed_periods(5..9, &keys(&[6]));
        assert_eq!(listed, (5..9).map(Listed::One).collect::<Vec<_>>());
    }

    #[test]
    fn empty_periods_after_the_first_thousand_are_runs() {
        let listed = listed_periods(0..5_000_000, &keys(&[3, 2_000, 2_002, 4_999_999]));
        assert_eq!(listed.len(), 1_000 + 6);
        assert_eq!(listed[999], Listed::One(999));
        assert_eq!(
            &listed[1000..],
            &[
                Listed::Empty(1_000, 1_999),
                Listed::One(2_000),
                Listed::One(2_001),
                Listed::One(2_002),
                Listed::Empty(2_003, 4_999_998),
                Listed::One(4_999_999),
            ]
        );
        let tail = listed_periods(0..1_500, &keys(&[]));
        assert_eq!(tail.last(), Some(&Listed::Empty(1_000, 1_499)));
    }
}
