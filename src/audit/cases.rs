//! The report's per-case lists (`cases`, `open_cases.cases`, the cases of each disallowed
//! transition), made from the events when they are read or written rather than kept as objects:
//! a log of two million cases would otherwise hold two million objects of strings beside its
//! events. What a case's entry says follows from its events and the pipeline, except its
//! alignment cost and token-replay fitness, which are kept as two numbers a case.

use std::rc::Rc;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::events::EventLog;
use super::names::Names;
use super::process::{Process, TransitionKind};
use super::timestamp::{Rfc3339, Timestamp};

/// The events of every case and what else their entries need.
#[derive(Debug)]
pub struct CaseData {
    /// The events, case by case (cases sorted by id).
    pub log: EventLog,
    /// The audited pipeline.
    pub process: Process,
    /// "Now" for open cases.
    pub as_of: Timestamp,
    /// Per case, its alignment cost; empty when the pipeline has no complete path.
    pub alignment_cost: Vec<u32>,
    /// Per case, its token-replay fitness, rounded to 6 decimals.
    pub token_fitness: Vec<f64>,
}

/// A deviation of a case, by stage slot: `from` is `None` for a bad start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// The slot moved from; `None` for a bad start.
    pub from: Option<u32>,
    /// The slot moved to, or the bad first stage.
    pub to: u32,
    /// What kind of deviation.
    pub kind: DeviationKind,
}

impl CaseData {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.log.cases()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.log.cases() == 0
    }

    /// The id of case `c`.
    pub fn id(&self, c: usize) -> &str {
        &self.log.case_ids[c]
    }

    /// The id of a stage slot (an unknown stage's value).
    pub fn slot_id(&self, slot: u32) -> &str {
        self.log.stage_id(&self.process, slot)
    }

    /// The case whose id is `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        let ids = &self.log.case_ids;
        let (mut lo, mut hi) = (0, ids.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match ids[mid].cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Case `c`'s bad start first, if any, then its disallowed moves in order.
    pub fn deviations(&self, c: usize) -> impl Iterator<Item = Deviation> + '_ {
        let stages = &self.log.stages[self.log.range(c)];
        let first = stages.first().copied();
        let bad_start = first.filter(|&f| {
            let known = self.log.known_stage(f);
            known.is_none() || known != self.process.start
        });
        let start = bad_start.map(|to| Deviation {
            from: None,
            to,
            kind: DeviationKind::BadStart,
        });
        let moves = stages.windows(2).filter_map(|w| {
            let kind = self
                .process
                .kind(self.log.known_stage(w[0]), self.log.known_stage(w[1]));
            (kind != TransitionKind::Allowed).then(|| Deviation {
                from: Some(w[0]),
                to: w[1],
                kind: DeviationKind::of(kind),
            })
        });
        start.into_iter().chain(moves)
    }

    /// Whether case `c` has a deviation.
    pub fn deviates(&self, c: usize) -> bool {
        self.deviations(c).next().is_some()
    }

    /// How many of case `c`'s completed visits took longer than their stage's `sla`.
    pub fn sla_breaches(&self, c: usize) -> u64 {
        let range = self.log.range(c);
        let (stages, times) = (&self.log.stages[range.clone()], &self.log.times[range]);
        (0..stages.len().saturating_sub(1))
            .filter(|&i| {
                self.log
                    .known_stage(stages[i])
                    .and_then(|k| self.process.sla_s[k])
                    .is_some_and(|sla| times[i + 1].exceeds(times[i], sla))
            })
            .count() as u64
    }

    /// Case `c`'s last stage slot and when it entered it.
    fn last(&self, c: usize) -> (u32, Timestamp) {
        let end = self.log.range(c).end - 1;
        (self.log.stages[end], self.log.times[end])
    }

    /// Whether case `c`'s last event is in a terminal stage.
    pub fn closed(&self, c: usize) -> bool {
        let (last, _) = self.last(c);
        self.log
            .known_stage(last)
            .is_some_and(|k| self.process.terminal[k])
    }

    /// Case `c`'s entry of `cases`.
    pub fn case(&self, c: usize) -> CaseReport {
        let range = self.log.range(c);
        let first = self.log.stages[range.start];
        let (last, _) = self.last(c);
        let cost = self.alignment_cost.get(c).map(|&d| u64::from(d));
        let fitness = match (cost, self.process.shortest_complete_path) {
            (Some(d), Some(l)) => Some(round6(alignment_fitness(d, range.len(), l))),
            _ => None,
        };
        CaseReport {
            case_id: self.id(c).to_string(),
            events: range.len() as u64,
            first: self.slot_id(first).to_string(),
            last: self.slot_id(last).to_string(),
            closed: self.closed(c),
            alignment_fitness: fitness,
            alignment_cost: cost,
            token_replay_fitness: self.token_fitness[c],
            deviations: self
                .deviations(c)
                .map(|d| CaseDeviation {
                    from: d.from.map(|s| self.slot_id(s).to_string()),
                    to: self.slot_id(d.to).to_string(),
                    kind: d.kind,
                })
                .collect(),
            sla_breaches: self.sla_breaches(c),
        }
    }

    /// How long case `c` has been in its last stage at the as-of time, and whether that is
    /// longer than the stage's `sla`; `None` when the case is closed.
    pub fn open(&self, c: usize) -> Option<(f64, bool)> {
        if self.closed(c) {
            return None;
        }
        let (last, since) = self.last(c);
        let sla = self
            .log
            .known_stage(last)
            .and_then(|k| self.process.sla_s[k]);
        let overdue = sla.is_some_and(|sla| self.as_of.exceeds(since, sla));
        Some((round6(self.as_of.seconds_since(since)), overdue))
    }

    /// Case `c`'s entry of `open_cases.cases`, when it is open.
    pub fn open_case(&self, c: usize) -> Option<OpenCase> {
        let e = self.open_entry(c)?;
        Some(OpenCase {
            case_id: e.case_id.to_string(),
            stage: e.stage.to_string(),
            since: e.since.to_string(),
            age_s: e.age_s,
            overdue: e.overdue,
        })
    }

    /// Case `c`'s entry of `open_cases.cases` borrowing its text, when it is open.
    fn open_entry(&self, c: usize) -> Option<OpenEntry<'_>> {
        let (age_s, overdue) = self.open(c)?;
        let (last, since) = self.last(c);
        Some(OpenEntry {
            case_id: self.id(c),
            stage: self.slot_id(last),
            since: since.in_rfc3339(),
            age_s,
            overdue,
        })
    }
}

/// A case's alignment fitness: 1 − cost / (events + the shortest complete path), 1 for a case
/// that follows the SOP exactly.
pub fn alignment_fitness(cost: u64, events: usize, shortest: usize) -> f64 {
    1.0 - cost as f64 / (events + shortest) as f64
}

/// Which cases the `cases` list of the JSON holds (`--cases`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Listed {
    /// Every case.
    #[default]
    All,
    /// The cases with a deviation.
    Deviating,
    /// None.
    None,
}

/// The `cases` list: one entry per case, sorted by case id.
#[derive(Debug, Clone, Default)]
pub struct CaseList {
    data: Option<Rc<CaseData>>,
    /// Which cases the JSON lists; [`CaseList::iter`] gives every case whatever this says.
    pub listed: Listed,
}

impl CaseList {
    /// The list of the cases of `data`.
    pub fn new(data: Rc<CaseData>) -> CaseList {
        CaseList {
            data: Some(data),
            listed: Listed::All,
        }
    }

    /// The events and per-case figures the entries are made from.
    pub fn data(&self) -> Option<&CaseData> {
        self.data.as_deref()
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        self.data.as_ref().map_or(0, |d| d.len())
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every case's entry, in case order.
    pub fn iter(&self) -> impl Iterator<Item = CaseReport> + '_ {
        self.data
            .iter()
            .flat_map(|d| (0..d.len()).map(move |c| d.case(c)))
    }
}

impl CaseList {
    /// The accepted, collapsed events of every case and the pipeline they were audited
    /// against, to write as XES ([`super::xes::write`]).
    pub fn events(&self) -> Option<(&EventLog, &Process)> {
        self.data.as_deref().map(|d| (&d.log, &d.process))
    }
}

impl Serialize for CaseList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(data) = self.data.as_deref() else {
            return serializer.serialize_seq(Some(0))?.end();
        };
        let mut seq = serializer.serialize_seq(None)?;
        if self.listed != Listed::None {
            for c in 0..data.len() {
                if self.listed == Listed::Deviating && !data.deviates(c) {
                    continue;
                }
                seq.serialize_element(&data.case(c))?;
            }
        }
        seq.end()
    }
}

/// The list `open_cases.cases`: the open cases, sorted by case id.
#[derive(Debug, Clone, Default)]
pub struct OpenList {
    data: Option<Rc<CaseData>>,
}

impl OpenList {
    /// The open cases of `data`.
    pub fn new(data: Rc<CaseData>) -> OpenList {
        OpenList { data: Some(data) }
    }

    /// Each open case: its number, how long it has been in its stage and whether it is overdue.
    pub fn brief(&self) -> impl Iterator<Item = (usize, f64, bool)> + '_ {
        self.data.iter().flat_map(|d| {
            (0..d.len()).filter_map(move |c| d.open(c).map(|(age, overdue)| (c, age, overdue)))
        })
    }

    /// The entry of case number `c`, when it is open.
    pub fn get(&self, c: usize) -> Option<OpenCase> {
        self.data.as_ref()?.open_case(c)
    }

    /// Every open case's entry, in case order.
    pub fn iter(&self) -> impl Iterator<Item = OpenCase> + '_ {
        self.data
            .iter()
            .flat_map(|d| (0..d.len()).filter_map(move |c| d.open_case(c)))
    }
}

/// An element of `open_cases.cases` as it is written: an [`OpenCase`] borrowing its text.
#[derive(Serialize)]
struct OpenEntry<'a> {
    case_id: &'a str,
    stage: &'a str,
    since: Rfc3339,
    age_s: f64,
    overdue: bool,
}

impl Serialize for OpenList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for d in self.data.iter() {
            for entry in (0..d.len()).filter_map(|c| d.open_entry(c)) {
                seq.serialize_element(&entry)?;
            }
        }
        seq.end()
    }
}

/// Case ids by number (sorted as strings), over the log's list of ids.
#[derive(Debug, Clone, Default)]
pub struct CaseIds {
    names: Arc<Names>,
    cases: Vec<u32>,
}

impl CaseIds {
    /// The cases numbered `cases` of `names`.
    pub fn new(names: Arc<Names>, cases: Vec<u32>) -> CaseIds {
        CaseIds { names, cases }
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The ids in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.cases.iter().map(|&c| self.names.get(c as usize))
    }
}

impl Serialize for CaseIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for id in self.iter() {
            seq.serialize_element(id)?;
        }
        seq.end()
    }
}

/// One element of `open_cases.cases`.
#[derive(Debug, Clone, Serialize)]
pub struct OpenCase {
    /// `case_id`: the case's id, as the log writes it.
    pub case_id: String,
    /// `stage`: the stage (id, or unknown value) of its last event.
    pub stage: String,
    /// `since`: when it entered that stage, RFC 3339 in UTC.
    pub since: String,
    /// `age_s`: seconds from `since` to `as_of`, to the microsecond.
    pub age_s: f64,
    /// `overdue`: whether `age_s` exceeds the stage's `sla` (false without one).
    pub overdue: bool,
}

/// One element of `cases`.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    /// `case_id`: the case's id, as the log writes it.
    pub case_id: String,
    /// `events`: how many events the case has, after collapsing.
    pub events: u64,
    /// `first`: the stage (id, or unknown value) of its first event.
    pub first: String,
    /// `last`: the stage (id, or unknown value) of its last event.
    pub last: String,
    /// `closed`: whether its last event is in a terminal stage.
    pub closed: bool,
    /// `alignment_fitness`: 1 − `alignment_cost` / (events + `shortest_complete_path`), to 6
    /// decimals; null when the pipeline has no complete path.
    pub alignment_fitness: Option<f64>,
    /// `alignment_cost`: the fewest log and model moves that make the history a complete path;
    /// null when the pipeline has none.
    pub alignment_cost: Option<u64>,
    /// `token_replay_fitness`: ½(1 − missing/consumed) + ½(1 − remaining/produced), to 6 decimals.
    pub token_replay_fitness: f64,
    /// `deviations`: its bad start first, if any, then its disallowed moves in order.
    pub deviations: Vec<CaseDeviation>,
    /// `sla_breaches`: how many of its visits took longer than their stage's `sla`.
    pub sla_breaches: u64,
}

/// One element of a case's `deviations`.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDeviation {
    /// Null for a bad start.
    pub from: Option<String>,
    /// `to`: the stage (id, or unknown value) moved to, or the bad first stage.
    pub to: String,
    /// `kind`: what kind of deviation.
    pub kind: DeviationKind,
}

/// A bad start, or the kind of a disallowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationKind {
    /// `bad-start`: the case's first stage is not the pipeline's start.
    BadStart,
    /// `unknown-stage`: a move into or out of a stage the SOP does not know.
    UnknownStage,
    /// `skip`: a move forward over stages the SOP puts in between.
    Skip,
    /// `backward`: a move back, to a stage the SOP leads from to the one left (leaving a
    /// terminal stage too).
    Backward,
    /// `jump`: a move that is neither forward nor back.
    Jump,
}

impl DeviationKind {
    /// The deviation a disallowed transition of kind `kind` is.
    pub fn of(kind: TransitionKind) -> DeviationKind {
        match kind {
            TransitionKind::UnknownStage => DeviationKind::UnknownStage,
            TransitionKind::Skip => DeviationKind::Skip,
            TransitionKind::Backward => DeviationKind::Backward,
            // An allowed transition is no deviation; never asked for.
            TransitionKind::Jump | TransitionKind::Allowed => DeviationKind::Jump,
        }
    }

    /// The name in JSON: `bad-start`, `unknown-stage`, `skip`, `backward` or `jump`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviationKind::BadStart => "bad-start",
            DeviationKind::UnknownStage => "unknown-stage",
            DeviationKind::Skip => "skip",
            DeviationKind::Backward => "backward",
            DeviationKind::Jump => "jump",
        }
    }
}

/// Rounds a fraction to 6 decimals, as the JSON output promises.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::log::{InputFormat, ReadOptions, read};
    use crate::audit::stages::{Resolver, StageMap};

    /// The cases of a small log: open ones in known and unknown stages, one closed, fractions
    /// of a second, one overdue.
    fn data() -> CaseData {
        let mut process = Process::from_edges(3, Some(0), &[(0, 1), (1, 2)], &[2]);
        process.sla_s[1] = Some(3600);
        let csv = "case_id,stage,timestamp\n\
                   B,s0,2026-01-01T00:00:00.5Z\n\
                   A,s1,2026-01-02\n\
                   A,s0,2026-01-01\n\
                   C,s0,2026-01-01\n\
                   C,s1,2026-01-03\n\
                   C,s2,2026-01-04\n\
                   商机-甲,未知,2026-01-05T01:02:03.000120Z\n";
        let resolver = Resolver::new(&process, StageMap::default());
        let raw = read(
            csv.as_bytes(),
            &ReadOptions::new(InputFormat::Csv),
            resolver,
        )
        .expect("the log reads");
        let log = crate::audit::events::build(raw, &process);
        let cases = log.cases();
        CaseData {
            log,
            process,
            as_of: Timestamp::parse("2026-01-06T00:00:00Z", 0).expect("a timestamp"),
            alignment_cost: vec![0; cases],
            token_fitness: vec![1.0; cases],
        }
    }

    #[test]
    fn the_open_list_is_written_as_its_entries() {
        let list = OpenList::new(Rc::new(data()));
        let entries: Vec<OpenCase> = list.iter().collect();
        let ids: Vec<&str> = entries.iter().map(|e| e.case_id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "商机-甲"]);
        assert!(entries[0].overdue && !entries[1].overdue);
        assert_eq!(entries[1].since, "2026-01-01T00:00:00.5Z");
        assert_eq!(entries[2].since, "2026-01-05T01:02:03.00012Z");
        assert_eq!(
            serde_json::to_string(&list).expect("serialises"),
            serde_json::to_string(&entries).expect("serialises")
        );
    }
}
