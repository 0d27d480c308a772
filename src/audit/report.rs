//! The audit report: exactly the JSON shape of §5 of the contract (with a few extra keys the
//! contract allows: `title` on stages, `case_id` and `fields` on rejected rows).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

pub use super::events::{DropReason, DroppedRow};
pub use super::process::TransitionKind;
pub use super::rows::{RejectReason, RejectedRow, RowWarning};

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
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The whole audit.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub sop: String,
    pub pipeline: String,
    pub log: LogSummary,
    pub rejected_rows: Vec<RejectedRow>,
    pub row_warnings: Vec<RowWarning>,
    pub dropped_rows: Vec<DroppedRow>,
    pub stages: Vec<StageReport>,
    pub never_visited: Vec<String>,
    pub start_stages: Ordered<u64>,
    pub end_stages: Ordered<u64>,
    pub transitions: Vec<TransitionReport>,
    pub deviations: Deviations,
    pub open_cases: OpenCases,
    pub fitness: Fitness,
    pub kpis: Vec<KpiReport>,
    pub cases: Vec<CaseReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogSummary {
    pub file: String,
    pub rows: u64,
    pub rejected: u64,
    pub dropped: u64,
    pub events: u64,
    pub cases: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub as_of: Option<String>,
    pub out_of_order_cases: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub id: String,
    /// The stage's title (its id for an unknown stage or one without a title).
    pub title: String,
    pub known: bool,
    pub terminal: bool,
    pub sla_s: Option<u64>,
    pub entries: u64,
    pub cases: u64,
    pub ended_here: u64,
    pub next: Ordered<u64>,
    pub conversion: Ordered<f64>,
    pub dwell: Dwell,
    pub sla_breaches: Option<u64>,
    pub sla_breach_rate: Option<f64>,
    pub open: u64,
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct Dwell {
    pub completed: u64,
    pub median_s: Option<f64>,
    pub p90_s: Option<f64>,
    pub max_s: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransitionReport {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub kind: TransitionKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisallowedTransition {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub kind: TransitionKind,
    /// Sorted as strings.
    pub cases: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Deviations {
    pub disallowed_transitions: Vec<DisallowedTransition>,
    pub cases_with_disallowed_transition: u64,
    pub bad_starts: Ordered<u64>,
    pub cases_with_bad_start: u64,
    pub unknown_stages: Ordered<UnknownStage>,
    pub deviating_cases: u64,
    /// Stage and role pairs where the role is not the stage's owner (stages in `stages` order,
    /// roles sorted); empty without a role column.
    pub owner_mismatch: Vec<OwnerMismatch>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerMismatch {
    pub stage: String,
    pub role: String,
    pub events: u64,
    pub cases: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnknownStage {
    pub events: u64,
    pub cases: u64,
    pub did_you_mean: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OpenCases {
    pub count: u64,
    pub overdue: u64,
    pub by_stage: Ordered<u64>,
    /// Sorted by case id.
    pub cases: Vec<OpenCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenCase {
    pub case_id: String,
    pub stage: String,
    pub since: String,
    pub age_s: f64,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Fitness {
    pub alignment: Alignment,
    pub token_replay: TokenReplay,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Alignment {
    pub log_fitness: Option<f64>,
    pub mean_case_fitness: Option<f64>,
    pub fitting_cases: u64,
    pub closed_cases: u64,
    pub closed_log_fitness: Option<f64>,
    pub shortest_complete_path: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenReplay {
    pub log_fitness: Option<f64>,
    pub mean_case_fitness: Option<f64>,
    pub fitting_cases: u64,
    pub missing: u64,
    pub consumed: u64,
    pub remaining: u64,
    pub produced: u64,
}

/// One kpi: a conversion, a total, values per period, or not computable. Keys that do not
/// belong to the form are left out.
#[derive(Debug, Clone, Serialize)]
pub struct KpiReport {
    pub id: String,
    pub stage: Option<String>,
    pub computable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// Absent for conversions and kpis that cannot be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_amount: Option<u64>,
    /// Without `per`: the value (null for a conversion of zero cases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<KpiValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    /// With `per`: one value per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<PeriodValue>>,
    /// Without `per` (null when there is no value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<Option<bool>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Conversion,
    Amount,
    Count,
}

/// A count is an integer, an amount or a conversion a number; null when undefined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KpiValue {
    Count(u64),
    Number(f64),
    Undefined,
}

impl KpiValue {
    pub fn as_f64(self) -> Option<f64> {
        match self {
            KpiValue::Count(n) => Some(n as f64),
            KpiValue::Number(x) => Some(x),
            KpiValue::Undefined => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodValue {
    pub period: String,
    pub value: KpiValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    pub case_id: String,
    pub events: u64,
    pub first: String,
    pub last: String,
    pub closed: bool,
    pub alignment_fitness: Option<f64>,
    pub alignment_cost: Option<u64>,
    pub token_replay_fitness: f64,
    pub deviations: Vec<CaseDeviation>,
    pub sla_breaches: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseDeviation {
    /// Null for a bad start.
    pub from: Option<String>,
    pub to: String,
    pub kind: DeviationKind,
}

/// A bad start, or the kind of a disallowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationKind {
    BadStart,
    UnknownStage,
    Skip,
    Backward,
    Jump,
}

impl DeviationKind {
    pub fn of(kind: TransitionKind) -> DeviationKind {
        match kind {
            TransitionKind::UnknownStage => DeviationKind::UnknownStage,
            TransitionKind::Skip => DeviationKind::Skip,
            TransitionKind::Backward => DeviationKind::Backward,
            // An allowed transition is no deviation; never asked for.
            TransitionKind::Jump | TransitionKind::Allowed => DeviationKind::Jump,
        }
    }

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

/// Rounds a fraction to 6 decimals, as the contract asks.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
