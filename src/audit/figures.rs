//! The figures of §4 that come from counting: stages, dwell times and SLAs, transitions and
//! their kinds, deviations, open cases.

use std::collections::HashMap;

use super::events::EventLog;
use super::process::{Process, TransitionKind};
use super::report::{
    CaseIds, Deviations, DisallowedTransition, Dwell, OpenCases, Ordered, StageReport,
    TransitionReport, UnknownStage, round6,
};
use super::stages::did_you_mean;
use super::timestamp::Timestamp;

/// Everything counted, plus what each case contributes to its own report.
#[derive(Debug, Default)]
pub struct Figures {
    /// One report per stage slot: the SOP's stages in declaration order, then the unknown ones.
    pub stages: Vec<StageReport>,
    /// Ids of the SOP's stages no event entered.
    pub never_visited: Vec<String>,
    /// Per stage, how many cases start there (non-zero counts only).
    pub start_stages: Ordered<u64>,
    /// Per stage, how many cases end there: their last event is in it.
    pub end_stages: Ordered<u64>,
    /// Every pair of consecutive stages observed, with its count and kind, ordered by slot pair.
    pub transitions: Vec<TransitionReport>,
    /// The disallowed transitions, bad starts and unknown stages, counted.
    pub deviations: Deviations,
    /// The cases whose last event is in a non-terminal stage, and the overdue ones (counts:
    /// the list is made from the events, see [`super::cases`]).
    pub open_cases: OpenCases,
}

#[derive(Debug, Default, Clone)]
struct StageAcc {
    entries: u64,
    cases: u64,
    last_case: Option<usize>,
    ended_here: u64,
    starts: u64,
    bad_starts: u64,
    dwell: Vec<f64>,
    breaches: u64,
    open: u64,
    overdue: u64,
}

#[derive(Debug)]
struct TransitionAcc {
    count: u64,
    kind: TransitionKind,
    /// Cases with this transition, when it is not allowed (in case order, each once).
    cases: Vec<u32>,
}

/// Counts the figures of `log` against `process`; `as_of` is "now" for open cases.
pub fn compute(log: &EventLog, process: &Process, as_of: Timestamp) -> Figures {
    let slots = log.slots();
    let mut acc = vec![StageAcc::default(); slots];
    let mut transitions: HashMap<(u32, u32), TransitionAcc> = HashMap::new();
    let mut figures = Figures::default();
    let mut with_disallowed = 0;
    let mut deviating = 0;
    for c in 0..log.cases() {
        let range = log.range(c);
        let stages = &log.stages[range.clone()];
        let times = &log.times[range];
        let (Some(&first), Some(&last)) = (stages.first(), stages.last()) else {
            continue;
        };
        acc[first as usize].starts += 1;
        let bad_start = log.known_stage(first).is_none() || log.known_stage(first) != process.start;
        if bad_start {
            acc[first as usize].bad_starts += 1;
        }
        let mut disallowed = false;
        for (i, &s) in stages.iter().enumerate() {
            let a = &mut acc[s as usize];
            a.entries += 1;
            if a.last_case != Some(c) {
                a.last_case = Some(c);
                a.cases += 1;
            }
            let Some(&next) = stages.get(i + 1) else {
                continue;
            };
            a.dwell.push(times[i + 1].seconds_since(times[i]));
            if let Some(sla) = log.known_stage(s).and_then(|k| process.sla_s[k])
                && times[i + 1].exceeds(times[i], sla)
            {
                a.breaches += 1;
            }
            let t = transitions
                .entry((s, next))
                .or_insert_with(|| TransitionAcc {
                    count: 0,
                    kind: process.kind(log.known_stage(s), log.known_stage(next)),
                    cases: Vec::new(),
                });
            t.count += 1;
            if t.kind != TransitionKind::Allowed {
                disallowed = true;
                if t.cases.last() != Some(&(c as u32)) {
                    t.cases.push(c as u32);
                }
            }
        }
        with_disallowed += u64::from(disallowed);
        deviating += u64::from(disallowed || bad_start);
        let end = &mut acc[last as usize];
        end.ended_here += 1;
        let terminal = log.known_stage(last).is_some_and(|k| process.terminal[k]);
        if !terminal {
            let since = times[times.len() - 1];
            let sla = log.known_stage(last).and_then(|k| process.sla_s[k]);
            let overdue = sla.is_some_and(|sla| as_of.exceeds(since, sla));
            end.open += 1;
            end.overdue += u64::from(overdue);
        }
    }

    let id = |slot: usize| log.stage_id(process, slot as u32).to_string();
    let mut pairs: Vec<((u32, u32), TransitionAcc)> = transitions.into_iter().collect();
    pairs.sort_unstable_by_key(|(k, _)| *k);
    for (slot, a) in acc.iter_mut().enumerate() {
        figures
            .stages
            .push(stage_report(log, process, slot, a, &pairs));
        if slot < log.known && a.entries == 0 {
            figures.never_visited.push(id(slot));
        }
        if a.starts > 0 {
            figures.start_stages.0.push((id(slot), a.starts));
        }
        if a.bad_starts > 0 {
            figures
                .deviations
                .bad_starts
                .0
                .push((id(slot), a.bad_starts));
            figures.deviations.cases_with_bad_start += a.bad_starts;
        }
        if a.ended_here > 0 {
            figures.end_stages.0.push((id(slot), a.ended_here));
        }
        if a.open > 0 {
            figures.open_cases.by_stage.0.push((id(slot), a.open));
        }
        figures.open_cases.count += a.open;
        figures.open_cases.overdue += a.overdue;
        if slot >= log.known {
            let value = id(slot);
            let suggestion = figures.stages[slot].did_you_mean.clone().flatten();
            let unknown = UnknownStage {
                events: a.entries,
                cases: a.cases,
                did_you_mean: suggestion,
            };
            figures.deviations.unknown_stages.0.push((value, unknown));
        }
    }
    for ((from, to), t) in pairs {
        let (from, to) = (id(from as usize), id(to as usize));
        if t.kind != TransitionKind::Allowed {
            figures
                .deviations
                .disallowed_transitions
                .push(DisallowedTransition {
                    from: from.clone(),
                    to: to.clone(),
                    count: t.count,
                    kind: t.kind,
                    cases: CaseIds::new(log.case_ids.clone(), t.cases),
                });
        }
        figures.transitions.push(TransitionReport {
            from,
            to,
            count: t.count,
            kind: t.kind,
        });
    }
    figures.deviations.cases_with_disallowed_transition = with_disallowed;
    figures.deviations.deviating_cases = deviating;
    figures
}

fn stage_report(
    log: &EventLog,
    process: &Process,
    slot: usize,
    a: &mut StageAcc,
    pairs: &[((u32, u32), TransitionAcc)],
) -> StageReport {
    let known = log.known_stage(slot as u32);
    let id = log.stage_id(process, slot as u32).to_string();
    let sla_s = known.and_then(|k| process.sla_s[k]);
    let from = pairs.partition_point(|(k, _)| (k.0 as usize) < slot);
    let to = pairs.partition_point(|(k, _)| (k.0 as usize) <= slot);
    let next: Vec<(String, u64)> = pairs[from..to]
        .iter()
        .map(|((_, b), t)| (log.stage_id(process, *b).to_string(), t.count))
        .collect();
    let conversion = next
        .iter()
        .map(|(k, n)| (k.clone(), round6(*n as f64 / a.entries as f64)))
        .collect();
    let dwell = std::mem::take(&mut a.dwell);
    let completed = dwell.len() as u64;
    StageReport {
        title: known.map_or_else(|| id.clone(), |k| process.titles[k].clone()),
        did_you_mean: known
            .is_none()
            .then(|| did_you_mean(&id, process).map(str::to_string)),
        id,
        known: known.is_some(),
        terminal: known.is_some_and(|k| process.terminal[k]),
        sla_s,
        entries: a.entries,
        cases: a.cases,
        ended_here: a.ended_here,
        next: Ordered(next),
        conversion: Ordered(conversion),
        dwell: summarize(dwell),
        sla_breaches: sla_s.map(|_| a.breaches),
        sla_breach_rate: sla_s
            .filter(|_| completed > 0)
            .map(|_| round6(a.breaches as f64 / completed as f64)),
        open: a.open,
        open_overdue: sla_s.map(|_| a.overdue),
        roles: None,
        actors: None,
        owner_mismatch: None,
    }
}

/// Count, median, p90 and maximum of the dwell times of completed visits.
pub fn summarize(mut dwell: Vec<f64>) -> Dwell {
    if dwell.is_empty() {
        return Dwell::default();
    }
    dwell.sort_unstable_by(f64::total_cmp);
    Dwell {
        completed: dwell.len() as u64,
        // To the microsecond: no binary noise such as 378360.00000000006 in the output.
        median_s: Some(round6(quantile(&dwell, 0.5))),
        p90_s: Some(round6(quantile(&dwell, 0.9))),
        max_s: dwell.last().copied(),
    }
}

/// The `q` quantile of sorted values by linear interpolation between closest ranks (numpy's
/// default, Hyndman–Fan type 7): h = (n−1)·q, x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = (h.floor() as usize).min(n - 1);
    let frac = h - lo as f64;
    match sorted.get(lo + 1) {
        Some(&hi) if frac > 0.0 => sorted[lo] + frac * (hi - sorted[lo]),
        _ => sorted[lo],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_numpy_linear() {
        // numpy.quantile([1, 2, 3, 4], [0.5, 0.9]) == [2.5, 3.7]
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&x, 0.5), 2.5);
        assert!((quantile(&x, 0.9) - 3.7).abs() < 1e-12);
        // Odd count: the middle value; p90 of 1..=5 is 4.6.
        let y = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&y, 0.5), 3.0);
        assert!((quantile(&y, 0.9) - 4.6).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.9), 7.0);
        assert_eq!(quantile(&x, 1.0), 4.0);
        assert_eq!(quantile(&x, 0.0), 1.0);
    }

    #[test]
    fn dwell_summary() {
        let d = summarize(vec![3600.0, 60.0, 86_400.0]);
        assert_eq!(d.completed, 3);
        assert_eq!(d.median_s, Some(3600.0));
        // h = 2 · 0.9 = 1.8 → 3600 + 0.8 · (86400 − 3600) = 69840
        assert!((d.p90_s.unwrap() - 69_840.0).abs() < 1e-9);
        assert_eq!(d.max_s, Some(86_400.0));
        let empty = summarize(Vec::new());
        assert_eq!((empty.completed, empty.median_s), (0, None));
    }

    #[test]
    fn rounding() {
        assert_eq!(round6(2.0 / 3.0), 0.666667);
        assert_eq!(round6(1.0 / 7.0), 0.142857);
        assert_eq!(round6(1.0), 1.0);
    }
}
