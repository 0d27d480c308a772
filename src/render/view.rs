//! The document view: the whole resolved model as plain, serializable data. It is `NAME.json`
//! (its JSON Schema is generated from these same types) and the data every template sees.

use schemars::JsonSchema;
use serde::Serialize;

use super::labels::Lang;

/// The version of the JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Always serializes as [`SCHEMA_VERSION`], and says so in the schema (`"const": 1`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchemaVersion;

impl Serialize for SchemaVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(SCHEMA_VERSION)
    }
}

impl JsonSchema for SchemaVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The version of this JSON shape.",
            "type": "integer",
            "const": SCHEMA_VERSION,
        })
    }
}

/// One SOP document with everything it imports, every name resolved.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sopc document")]
pub struct DocumentView {
    pub schema_version: SchemaVersion,
    /// The language of generated labels: the header's `lang`, else `en`.
    pub lang: Lang,
    pub sop: SopView,
    pub goals: Vec<GoalView>,
    pub strategies: Vec<StrategyView>,
    pub roles: Vec<RoleView>,
    pub pipelines: Vec<PipelineView>,
    pub trainings: Vec<TrainingView>,
    pub kpis: Vec<KpiView>,
    pub feedback: Vec<FeedbackView>,
}

/// A reference to a definition: its id (qualified for stages and tasks) and display title.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefView {
    pub id: String,
    /// The definition's title, or its id when it has none (or cannot be found).
    pub title: String,
}

/// The `sop` header.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SopView {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    pub owner: Option<RefView>,
    /// How often the SOP itself is reviewed: `quarterly`, `every 6w`, ...
    pub review: Option<String>,
    /// When the SOP itself was last reviewed: `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// A number as written, with its value and unit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityView {
    /// As written, with `_` separators and `%`: `5_000_000`, `30%`.
    pub text: String,
    pub value: f64,
    pub percent: bool,
    pub unit: Option<String>,
}

/// A duration as written and in minutes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DurationView {
    /// As written: `24h`, `2w`.
    pub text: String,
    /// `null` when the amount does not fit.
    pub minutes: Option<u64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalView {
    pub id: String,
    pub title: String,
    pub targets: Vec<GoalTargetView>,
    pub region: Option<String>,
    pub product: Option<String>,
    pub owner: Option<RefView>,
    pub description: Option<String>,
}

/// `target revenue >= 5_000_000 CNY by 2026-09-30`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalTargetView {
    pub kpi: RefView,
    pub comparator: Comparator,
    pub quantity: QuantityView,
    /// `YYYY-MM-DD`.
    pub by: Option<String>,
}

pub use crate::syntax::Comparator;

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyView {
    pub id: String,
    pub title: String,
    pub supports: Vec<RefView>,
    pub owner: Option<RefView>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleView {
    pub id: String,
    pub title: String,
    pub responsibilities: Vec<String>,
    pub skills: Vec<String>,
    pub reports_to: Option<RefView>,
    pub description: Option<String>,
    /// The stages and tasks whose (resolved) owner is this role, in declaration order.
    pub owns: OwnsView,
    /// The trainings that are `for` this role, in declaration order.
    pub trainings: Vec<RefView>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnsView {
    /// Qualified stage ids: `pipeline.stage`.
    pub stages: Vec<RefView>,
    /// Qualified task ids: `pipeline.stage.task`.
    pub tasks: Vec<RefView>,
    pub kpis: Vec<RefView>,
    pub feedback: Vec<RefView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The stage the work enters at (`start`, else the first stage declared).
    pub start: Option<RefView>,
    /// What one item flowing through the pipeline is called (`case "商机"`), as written.
    pub case: Option<String>,
    /// In declaration order.
    pub stages: Vec<StageView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageView {
    /// Qualified: `pipeline.stage`.
    pub id: String,
    /// The id inside its pipeline.
    pub local_id: String,
    pub title: String,
    pub owner: Option<RefView>,
    pub sla: Option<DurationView>,
    /// Trainings the stage owner must have.
    pub requires: Vec<RefView>,
    pub entry: Vec<String>,
    pub exit: Vec<String>,
    pub terminal: bool,
    /// Whether this is the pipeline's start stage.
    pub start: bool,
    pub guidance: Option<String>,
    pub description: Option<String>,
    pub tasks: Vec<TaskView>,
    pub transitions: Vec<TransitionView>,
    /// KPIs whose `stage` is this stage.
    pub kpis: Vec<RefView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskView {
    /// Qualified: `pipeline.stage.task`.
    pub id: String,
    /// The id inside its stage.
    pub local_id: String,
    pub title: String,
    /// The task's own `owner`, else its stage's.
    pub owner: Option<RefView>,
    /// Whether `owner` comes from the stage.
    pub owner_inherited: bool,
    pub due: Option<DurationView>,
    pub done_when: Option<String>,
    pub guidance: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionView {
    /// Qualified: `pipeline.stage`.
    pub to: RefView,
    pub when: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingView {
    pub id: String,
    pub title: String,
    /// The roles that take it.
    #[serde(rename = "for")]
    pub for_roles: Vec<RefView>,
    /// `new_hire`, `ongoing` or a cadence (`monthly`, `every 2w`).
    pub when: Option<String>,
    pub topics: Vec<String>,
    pub format: Vec<String>,
    pub duration: Option<DurationView>,
    /// Prerequisite trainings.
    pub requires: Vec<RefView>,
    pub assessment: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiView {
    pub id: String,
    pub title: String,
    /// `quantitative` or `qualitative`.
    pub kind: Option<String>,
    /// What the audit computes: the kpi's `measure`, else the one inferred from its target and
    /// unit.
    pub measure: crate::syntax::Measure,
    pub unit: Option<String>,
    pub target: Option<KpiTargetView>,
    pub owner: Option<RefView>,
    pub source: Option<String>,
    pub review: Option<String>,
    /// Qualified: `pipeline.stage`.
    pub stage: Option<RefView>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiTargetView {
    pub comparator: Comparator,
    pub quantity: QuantityView,
    /// `day`, `week`, `month`, `quarter` or `year`.
    pub per: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackView {
    pub id: String,
    pub title: String,
    pub cadence: Option<String>,
    pub owner: Option<RefView>,
    pub with: Vec<RefView>,
    pub covers: Vec<RefView>,
    pub description: Option<String>,
}
