//! The audit report: the JSON of `sopc audit --format json` as `docs/audit.md` describes it
//! (with `title` on stages, `case_id` and `fields` on rejected rows).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

pub use super::cases::{
    CaseData, CaseDeviation, CaseIds, CaseList, CaseReport, DeviationKind, Listed, OpenCase,
    OpenList, round6,
};
pub use super::events::{DropReason, DroppedRow};
pub use super::process::TransitionKind;
pub use super::rows::{RejectReason, RejectedRow, RowWarning};
use super::timestamp::Timestamp;

/// The report's schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// A map that keeps its keys in the order given (stages in SOP order, ids sorted).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<T> Ordered<T> {
    /// The value under `key`; `None` when the key is not listed (for counts: zero).
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The whole audit.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `schema_version`: [`SCHEMA_VERSION`], bumped when the JSON shape changes incompatibly.
    pub schema_version: u32,
    /// `sop`: the SOP file as the user named it.
    pub sop: String,
    /// `pipeline`: the id of the audited pipeline.
    pub pipeline: String,
    /// `log`: what was read from the log, and how clean it was.
    pub log: LogSummary,
    /// `rejected_rows`: every row refused, with its line and reason, in line order.
    pub rejected_rows: Vec<RejectedRow>,
    /// `row_warnings`: rows kept with a part dropped (`bad-amount`: the amount), in line order.
    pub row_warnings: Vec<RowWarning>,
    /// `dropped_rows`: rows collapsed into the row they repeat (re-saves, exact duplicates).
    pub dropped_rows: Vec<DroppedRow>,
    /// `stages`: the pipeline's stages in SOP order, then the stage values the SOP does not know,
    /// sorted.
    pub stages: Vec<StageReport>,
    /// `never_visited`: ids of the SOP's stages no event entered.
    pub never_visited: Vec<String>,
    /// `start_stages`: per stage, how many cases start there (non-zero counts only).
    pub start_stages: Ordered<u64>,
    /// `end_stages`: per stage, how many cases end there: their last event is in it.
    pub end_stages: Ordered<u64>,
    /// `transitions`: every move between consecutive events of a case, ordered by (from, to).
    pub transitions: Vec<TransitionReport>,
    /// `deviations`: what the log did that the SOP does not allow.
    pub deviations: Deviations,
    /// `open_cases`: the cases not (yet) in a terminal stage at `log.as_of`.
    pub open_cases: OpenCases,
    /// `fitness`: how well the log as a whole follows the pipeline.
    pub fitness: Fitness,
    /// `kpis`: every kpi of the document, in reading order, computed where it can be.
    pub kpis: Vec<KpiReport>,
    /// `cases`: one entry per case, sorted by case id.
    pub cases: CaseList,
    /// When each case started (its first accepted event), in the order of case ids: for the
    /// page's picture of the cases started per week; not in the JSON.
    #[serde(skip)]
    pub case_starts: Vec<Timestamp>,
}

/// The `log` object: what was read and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct LogSummary {
    /// `file`: the log as the user named it (`-` for standard input).
    pub file: String,
    /// `rows`: data rows in the file: neither the header nor blank lines count.
    pub rows: u64,
    /// `rejected`: how many rows were refused (listed in `rejected_rows`).
    pub rejected: u64,
    /// `dropped`: how many rows were collapsed into one they repeat (listed in `dropped_rows`).
    pub dropped: u64,
    /// `events`: the accepted rows left after collapsing: one per stage entry.
    pub events: u64,
    /// `cases`: distinct case ids among the events.
    pub cases: u64,
    /// `first`: the earliest event, RFC 3339 in UTC; null without events.
    pub first: Option<String>,
    /// `last`: the latest event, RFC 3339 in UTC; null without events.
    pub last: Option<String>,
    /// `as_of`: "now" for open cases: `--as-of`, else the latest accepted row; RFC 3339 in UTC,
    /// null when there is neither.
    pub as_of: Option<String>,
    /// `out_of_order_cases`: cases whose rows are not in time order in the file (only information:
    /// each case is sorted).
    pub out_of_order_cases: u64,
}

/// One element of `stages`: the figures of one stage, or of a stage value the SOP does not know.
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    /// `id`: the stage's id, or the value as the log writes it for an unknown stage.
    pub id: String,
    /// The stage's title (its id for an unknown stage or one without a title).
    pub title: String,
    /// `known`: whether the stage is one of the pipeline's.
    pub known: bool,
    /// `terminal`: whether the SOP marks the stage `terminal` (never for an unknown stage).
    pub terminal: bool,
    /// `sla_s`: the stage's `sla`, in seconds; null without one.
    pub sla_s: Option<u64>,
    /// `entries`: how many times a case entered the stage (its events).
    pub entries: u64,
    /// `cases`: how many distinct cases entered the stage.
    pub cases: u64,
    /// `ended_here`: how many cases have their last event in the stage.
    pub ended_here: u64,
    /// `next`: per stage moved to directly from this one, how many times (non-zero counts only).
    pub next: Ordered<u64>,
    /// `conversion`: each `next` count divided by `entries`, to 6 decimals.
    pub conversion: Ordered<f64>,
    /// `dwell`: how long completed visits stayed in the stage.
    pub dwell: Dwell,
    /// `sla_breaches`: completed visits that took longer than the `sla`; null without an `sla`.
    pub sla_breaches: Option<u64>,
    /// `sla_breach_rate`: `sla_breaches` over completed visits, to 6 decimals; null without an
    /// `sla` or without a completed visit.
    pub sla_breach_rate: Option<f64>,
    /// `open`: cases still in the stage: their last event is here and the stage is not terminal.
    pub open: u64,
    /// `open_overdue`: of those, how many have stayed longer than the `sla` at `as_of`; null
    /// without an `sla`.
    pub open_overdue: Option<u64>,
    /// Only on unknown stages (null there when nothing is close).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<Option<String>>,
    /// Events per role; only with a role column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Ordered<u64>>,
    /// Events per actor; only with an actor column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actors: Option<Ordered<u64>>,
    /// Events whose role is not the stage's owner; null without a role column, without an owner
    /// and on unknown stages.
    pub owner_mismatch: Option<u64>,
}

/// A stage's `dwell`: the times of its completed visits, those followed by another event.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dwell {
    /// `completed`: how many visits were followed by another event of their case.
    pub completed: u64,
    /// `median_s`: the median visit, in seconds to the microsecond; null without a completed visit.
    pub median_s: Option<f64>,
    /// `p90_s`: the 90th percentile (numpy's linear method), in seconds; null without a completed
    /// visit.
    pub p90_s: Option<f64>,
    /// `max_s`: the longest visit, in seconds; null without a completed visit.
    pub max_s: Option<f64>,
}

/// One element of `transitions`: a move between two consecutive events of a case.
#[derive(Debug, Clone, Serialize)]
pub struct TransitionReport {
    /// `from`: the stage (id, or unknown value) of the earlier event.
    pub from: String,
    /// `to`: the stage (id, or unknown value) of the later event.
    pub to: String,
    /// `count`: how many times cases made the move.
    pub count: u64,
    /// `kind`: `allowed` when the SOP has the `->`, else the kind of deviation.
    pub kind: TransitionKind,
}

/// One element of `deviations.disallowed_transitions`: a move the SOP has no `->` for.
#[derive(Debug, Clone, Serialize)]
pub struct DisallowedTransition {
    /// `from`: the stage (id, or unknown value) moved from.
    pub from: String,
    /// `to`: the stage (id, or unknown value) moved to.
    pub to: String,
    /// `count`: how many times cases made the move.
    pub count: u64,
    /// `kind`: `skip`, `backward`, `jump` or `unknown-stage`.
    pub kind: TransitionKind,
    /// Sorted as strings.
    pub cases: CaseIds,
}

/// The `deviations` object: what the log did that the SOP does not allow.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Deviations {
    /// `disallowed_transitions`: every move whose kind is not `allowed`, ordered by (from, to).
    pub disallowed_transitions: Vec<DisallowedTransition>,
    /// `cases_with_disallowed_transition`: cases that made at least one such move.
    pub cases_with_disallowed_transition: u64,
    /// `bad_starts`: per first stage other than the pipeline's start, how many cases start there.
    pub bad_starts: Ordered<u64>,
    /// `cases_with_bad_start`: how many cases do not start at the pipeline's start.
    pub cases_with_bad_start: u64,
    /// `unknown_stages`: per stage value the SOP does not know, sorted, its events and cases.
    pub unknown_stages: Ordered<UnknownStage>,
    /// `deviating_cases`: cases with a bad start or a disallowed transition, each counted once.
    pub deviating_cases: u64,
    /// Stage and role pairs where the role is not the stage's owner (stages in `stages` order,
    /// roles sorted); empty without a role column.
    pub owner_mismatch: Vec<OwnerMismatch>,
}

/// A value of `deviations.owner_mismatch`: a stage and a role other than its `owner`.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerMismatch {
    /// `stage`: the stage's id.
    pub stage: String,
    /// `role`: the role as the log writes it.
    pub role: String,
    /// `events`: events of the stage with that role.
    pub events: u64,
    /// `cases`: distinct cases among those events.
    pub cases: u64,
}

/// A value of `deviations.unknown_stages`: a stage value the SOP does not know.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownStage {
    /// `events`: how many events name it.
    pub events: u64,
    /// `cases`: how many distinct cases have such an event.
    pub cases: u64,
    /// `did_you_mean`: the closest stage id of the pipeline; null when nothing is close.
    pub did_you_mean: Option<String>,
}

/// The `open_cases` object: cases whose last event is not in a terminal stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OpenCases {
    /// `count`: how many cases are open.
    pub count: u64,
    /// `overdue`: how many open cases have been in their stage longer than its `sla` at `as_of`.
    pub overdue: u64,
    /// `by_stage`: per stage, how many open cases are in it (non-zero counts only).
    pub by_stage: Ordered<u64>,
    /// Sorted by case id.
    pub cases: OpenList,
}

/// The `fitness` object: the two measures of how well the log follows the pipeline.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fitness {
    /// `alignment`: the headline measure, from the fewest moves making each case a complete path.
    pub alignment: Alignment,
    /// `token_replay`: pm4py's token-based replay measure.
    pub token_replay: TokenReplay,
}

/// The `fitness.alignment` object; its figures are null when the pipeline has no complete path.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Alignment {
    /// `log_fitness`: 1 − (sum of costs) / (sum over cases of events + `shortest_complete_path`),
    /// to 6 decimals; null without cases.
    pub log_fitness: Option<f64>,
    /// `mean_case_fitness`: the mean of the cases' `alignment_fitness`; null without cases.
    pub mean_case_fitness: Option<f64>,
    /// `fitting_cases`: cases whose history is a complete path of the SOP (cost 0).
    pub fitting_cases: u64,
    /// `closed_cases`: cases whose last event is in a terminal stage.
    pub closed_cases: u64,
    /// `closed_log_fitness`: `log_fitness` over the closed cases only; null without any.
    pub closed_log_fitness: Option<f64>,
    /// `shortest_complete_path`: stages on the shortest path from the start to a terminal stage;
    /// null when there is none.
    pub shortest_complete_path: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
/// The `fitness.token_replay` object.
pub struct TokenReplay {
    /// `log_fitness`: ½(1 − missing/consumed) + ½(1 − remaining/produced) over the log's totals,
    /// to 6 decimals; null without cases.
    pub log_fitness: Option<f64>,
    /// `mean_case_fitness`: the mean of the cases' `token_replay_fitness`; null without cases.
    pub mean_case_fitness: Option<f64>,
    /// `fitting_cases`: cases replayed with no missing and no remaining token.
    pub fitting_cases: u64,
    /// `missing`: tokens that had to be created to fire a transition, over all cases.
    pub missing: u64,
    /// `consumed`: tokens consumed, over all cases.
    pub consumed: u64,
    /// `remaining`: tokens left behind at the end of a replay, over all cases.
    pub remaining: u64,
    /// `produced`: tokens produced, over all cases.
    pub produced: u64,
}

/// One kpi: a conversion, a total, values per period, or not computable. Keys that do not
/// belong to the form are left out.
#[derive(Debug, Clone, Serialize)]
pub struct KpiReport {
    /// `id`: the kpi's id.
    pub id: String,
    /// `stage`: the stage id of the kpi's `stage` (as written when it names none); null without
    /// `stage`.
    pub stage: Option<String>,
    /// `computable`: whether the kpi could be computed from the log; if not, `reason` says why.
    pub computable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `reason`: only when not computable: `qualitative`, `no stage`, `no target`, `unknown stage`,
    /// `stage of another pipeline` or `no amount column`.
    pub reason: Option<String>,
    /// `measure`: what is computed: the kpi's `measure`, else inferred from its target's unit;
    /// null for a qualitative kpi, which measures nothing the log holds.
    pub measure: Option<Measure>,
    /// `method`: one sentence saying how the value was computed, or why it could not be.
    pub method: String,
    /// Absent for conversions and kpis that cannot be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Option<String>>,
    /// `target`: only when computable: the target as written after `target`, e.g.
    /// `>= 5_000_000 per quarter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `missing_amount`: amount kpis only: cases that entered the stage but have no amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_amount: Option<u64>,
    /// `target_s`: duration kpis only: the target's number in seconds, what `met` compares with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_s: Option<f64>,
    /// Without `per`: the value (null for a conversion of zero cases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<KpiValue>,
    /// `numerator`: conversions without `per`: cases that entered the stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    /// `denominator`: conversions without `per`: every case of the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    /// With `per`: one value per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<PeriodValue>>,
    /// Without `per` (null when there is no value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<Option<bool>>,
}

/// What a kpi computes: its `measure`, else decided by its target: a percentage, a currency, a
/// time unit or another unit (the target's, else the kpi's `unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// `conversion`, for a `%` target: the share of cases that entered the stage, in percent.
    Conversion,
    /// `amount`, for a currency (three capital letters, `CNY`): the sum of the amounts of the cases
    /// that entered the stage.
    Amount,
    /// `count`, for any other unit: how many cases entered the stage.
    Count,
    /// `duration`, for a time unit (`h`, `days`): the median time, in seconds, from a case's
    /// first event to its first entry into the stage.
    Duration,
}

impl Measure {
    /// The measure the audit computes for a measure of the language.
    pub fn of(m: crate::syntax::Measure) -> Measure {
        match m {
            crate::syntax::Measure::Conversion => Measure::Conversion,
            crate::syntax::Measure::Count => Measure::Count,
            crate::syntax::Measure::Amount => Measure::Amount,
            crate::syntax::Measure::Duration => Measure::Duration,
        }
    }
}

/// A count is an integer, an amount, a conversion or a duration a number; null when undefined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KpiValue {
    /// A count of cases: a JSON integer.
    Count(u64),
    /// An amount, a conversion in percent or a duration in seconds: a JSON number.
    Number(f64),
    /// A conversion of zero cases, a duration of no case: null.
    Undefined,
}

impl KpiValue {
    /// The value as a number; `None` when undefined.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            KpiValue::Count(n) => Some(n as f64),
            KpiValue::Number(x) => Some(x),
            KpiValue::Undefined => None,
        }
    }
}

/// One element of a kpi's `periods`.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodValue {
    /// `period`: its label, `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-Qn` or `YYYY`; for a run of
    /// empty periods after the first 1,000, `first/last`.
    pub period: String,
    /// `value`: the kpi's value in the period.
    pub value: KpiValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `numerator`: conversions only: cases of the period's cohort that entered the stage.
    pub numerator: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `denominator`: conversions only: cases whose first event falls in the period.
    pub denominator: Option<u64>,
    /// `met`: whether the value meets the target; null when the value is null.
    pub met: Option<bool>,
}
