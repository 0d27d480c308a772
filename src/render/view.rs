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
    /// Always `1`: the [`SCHEMA_VERSION`] of this shape.
    pub schema_version: SchemaVersion,
    /// The language of generated labels: the header's `lang`, else `en`.
    pub lang: Lang,
    /// The `sop` header of the document's own file.
    pub sop: SopView,
    /// Every `goal` of the document and its imports, in reading order (imports first).
    pub goals: Vec<GoalView>,
    /// Every `strategy`, in reading order.
    pub strategies: Vec<StrategyView>,
    /// Every `role`, in reading order.
    pub roles: Vec<RoleView>,
    /// Every `pipeline`, in reading order.
    pub pipelines: Vec<PipelineView>,
    /// Every `training`, in reading order.
    pub trainings: Vec<TrainingView>,
    /// Every `kpi`, in reading order.
    pub kpis: Vec<KpiView>,
    /// Every `feedback` loop, in reading order.
    pub feedback: Vec<FeedbackView>,
}

/// A reference to a definition: its id (qualified for stages and tasks) and display title.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefView {
    /// The id; qualified for stages (`pipeline.stage`) and tasks (`pipeline.stage.task`).
    pub id: String,
    /// The definition's title, or its id when it has none (or cannot be found).
    pub title: String,
}

/// The `sop` header.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SopView {
    /// The header's id (`sop ID "title"`); empty when the document has no header.
    pub id: String,
    /// The header's title, or its id when it has none; empty without a header.
    pub title: String,
    /// The header's `version`, as written.
    pub version: Option<String>,
    /// The header's `owner`: the role accountable for the SOP.
    pub owner: Option<RefView>,
    /// How often the SOP itself is reviewed: `quarterly`, `every 6w`, ...
    pub review: Option<String>,
    /// When the SOP itself was last reviewed: `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    /// The header's `summary`: a short text for the title page.
    pub summary: Option<String>,
    /// The header's `description`: free text.
    pub description: Option<String>,
}

/// A number as written, with its value and unit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityView {
    /// As written, with `_` separators and `%`: `5_000_000`, `30%`.
    pub text: String,
    /// The number without `_` and `%`: `30%` gives `30.0`.
    pub value: f64,
    /// Whether the number was written with `%`.
    pub percent: bool,
    /// The unit identifier after the number (`CNY`); `None` when absent.
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

/// A `goal`: what the SOP is for, with the targets that say when it is met.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalView {
    /// The goal's id.
    pub id: String,
    /// The goal's title, or its id when it has none.
    pub title: String,
    /// Its `target` lines, in the order written.
    pub targets: Vec<GoalTargetView>,
    /// The goal's `region`, as written.
    pub region: Option<String>,
    /// The goal's `product`, as written.
    pub product: Option<String>,
    /// The role accountable for the goal (`owner`).
    pub owner: Option<RefView>,
    /// The goal's `description`: free text.
    pub description: Option<String>,
}

/// `target revenue >= 5_000_000 CNY by 2026-09-30`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalTargetView {
    /// The kpi the target is set on.
    pub kpi: RefView,
    /// How the kpi's value must compare with `quantity` (`>=`, `<`, ...).
    pub comparator: Comparator,
    /// The level to reach, with its unit.
    pub quantity: QuantityView,
    /// `YYYY-MM-DD`.
    pub by: Option<String>,
}

pub use crate::syntax::Comparator;

/// A `strategy`: how the goals it `supports` are to be reached.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyView {
    /// The strategy's id.
    pub id: String,
    /// The strategy's title, or its id when it has none.
    pub title: String,
    /// The goals it serves (`supports`).
    pub supports: Vec<RefView>,
    /// The role accountable for the strategy (`owner`).
    pub owner: Option<RefView>,
    /// The strategy's `description`: free text.
    pub description: Option<String>,
}

/// A `role`: a job in the SOP, with what it owns and which trainings it takes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleView {
    /// The role's id.
    pub id: String,
    /// The role's title, or its id when it has none.
    pub title: String,
    /// What the role is responsible for (`responsibilities`), merged in the order written.
    pub responsibilities: Vec<String>,
    /// The skills the role needs (`skills`), merged in the order written.
    pub skills: Vec<String>,
    /// The role this one reports to (`reports_to`).
    pub reports_to: Option<RefView>,
    /// The role's `description`: free text.
    pub description: Option<String>,
    /// The stages and tasks whose (resolved) owner is this role, in declaration order.
    pub owns: OwnsView,
    /// The trainings that are `for` this role, in declaration order.
    pub trainings: Vec<RefView>,
}

/// What a role owns: everything whose (resolved) `owner` is the role, in declaration order.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnsView {
    /// Qualified stage ids: `pipeline.stage`.
    pub stages: Vec<RefView>,
    /// Qualified task ids: `pipeline.stage.task`.
    pub tasks: Vec<RefView>,
    /// Kpis whose `owner` is this role.
    pub kpis: Vec<RefView>,
    /// Feedback loops whose `owner` is this role.
    pub feedback: Vec<RefView>,
}

/// A `pipeline`: the stages work flows through.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineView {
    /// The pipeline's id.
    pub id: String,
    /// The pipeline's title, or its id when it has none.
    pub title: String,
    /// The pipeline's `description`: free text.
    pub description: Option<String>,
    /// The stage the work enters at (`start`, else the first stage declared).
    pub start: Option<RefView>,
    /// What one item flowing through the pipeline is called (`case "商机"`), as written.
    pub case: Option<String>,
    /// In declaration order.
    pub stages: Vec<StageView>,
}

/// A `stage` of a pipeline, with its tasks and the transitions out of it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageView {
    /// Qualified: `pipeline.stage`.
    pub id: String,
    /// The id inside its pipeline.
    pub local_id: String,
    /// The stage's title, or its local id when it has none.
    pub title: String,
    /// The role responsible for the stage (`owner`); also its tasks' default owner.
    pub owner: Option<RefView>,
    /// The longest work is expected to stay in the stage (`sla`).
    pub sla: Option<DurationView>,
    /// Trainings the stage owner must have.
    pub requires: Vec<RefView>,
    /// Entry criteria (`entry`): what is true when work enters the stage.
    pub entry: Vec<String>,
    /// Exit criteria (`exit`): what must be true before work leaves the stage.
    pub exit: Vec<String>,
    /// Whether the stage ends the pipeline (`terminal`).
    pub terminal: bool,
    /// Whether this is the pipeline's start stage.
    pub start: bool,
    /// How-to text for the handbook (`guidance`).
    pub guidance: Option<String>,
    /// The stage's `description`: free text.
    pub description: Option<String>,
    /// The stage's tasks, in declaration order.
    pub tasks: Vec<TaskView>,
    /// Where work goes next: its `-> stage` lines, in the order written.
    pub transitions: Vec<TransitionView>,
    /// KPIs whose `stage` is this stage.
    pub kpis: Vec<RefView>,
}

/// A `task` of a stage.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskView {
    /// Qualified: `pipeline.stage.task`.
    pub id: String,
    /// The id inside its stage.
    pub local_id: String,
    /// The task's title, or its local id when it has none.
    pub title: String,
    /// The task's own `owner`, else its stage's.
    pub owner: Option<RefView>,
    /// Whether `owner` comes from the stage.
    pub owner_inherited: bool,
    /// Time allowed (`due`), counted from when work enters the stage.
    pub due: Option<DurationView>,
    /// The completion standard (`done_when`).
    pub done_when: Option<String>,
    /// How-to text for the handbook (`guidance`).
    pub guidance: Option<String>,
    /// The task's `description`: free text.
    pub description: Option<String>,
}

/// A `-> stage [when "..."]` line: where work may go from a stage.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionView {
    /// Qualified: `pipeline.stage`.
    pub to: RefView,
    /// The condition of `when "..."`; `None` for an unconditional transition.
    pub when: Option<String>,
}

/// A `training`: what a role learns, when, and how it is assessed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingView {
    /// The training's id.
    pub id: String,
    /// The training's title, or its id when it has none.
    pub title: String,
    /// The roles that take it.
    #[serde(rename = "for")]
    pub for_roles: Vec<RefView>,
    /// `new_hire`, `ongoing` or a cadence (`monthly`, `every 2w`).
    pub when: Option<String>,
    /// What it covers (`topics`), merged in the order written.
    pub topics: Vec<String>,
    /// How it is delivered (`format`): identifiers such as `classroom`, `role_play`.
    pub format: Vec<String>,
    /// How long it takes (`duration`).
    pub duration: Option<DurationView>,
    /// Prerequisite trainings.
    pub requires: Vec<RefView>,
    /// How completion is assessed (`assessment`).
    pub assessment: Option<String>,
    /// The training's `description`: free text.
    pub description: Option<String>,
}

/// A `kpi`: a measure of the pipeline's work, with its target.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiView {
    /// The kpi's id.
    pub id: String,
    /// The kpi's title, or its id when it has none.
    pub title: String,
    /// `quantitative` or `qualitative`.
    pub kind: Option<String>,
    /// What the audit computes: the kpi's `measure`, else the one inferred from its target and
    /// unit.
    pub measure: crate::syntax::Measure,
    /// The unit the kpi is measured in (`unit`), e.g. `CNY`, `deals`.
    pub unit: Option<String>,
    /// The level to reach (`target`), optionally per period.
    pub target: Option<KpiTargetView>,
    /// The role accountable for the kpi (`owner`).
    pub owner: Option<RefView>,
    /// Where the figures come from (`source`).
    pub source: Option<String>,
    /// How often the kpi is looked at (`review`): a cadence such as `weekly`, `every 2w`.
    pub review: Option<String>,
    /// Qualified: `pipeline.stage`.
    pub stage: Option<RefView>,
    /// The kpi's `description`: free text.
    pub description: Option<String>,
}

/// A kpi's `target CMP NUMBER [UNIT] [per PERIOD]`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KpiTargetView {
    /// How the kpi's value must compare with `quantity` (`>=`, `<`, ...).
    pub comparator: Comparator,
    /// The level to reach, with its unit.
    pub quantity: QuantityView,
    /// `day`, `week`, `month`, `quarter` or `year`.
    pub per: Option<String>,
}

/// A `feedback` loop: a recurring meeting of roles about kpis.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackView {
    /// The feedback loop's id.
    pub id: String,
    /// The feedback loop's title, or its id when it has none.
    pub title: String,
    /// How often it takes place (`cadence`): `weekly`, `every 2w`, ...
    pub cadence: Option<String>,
    /// The role that runs it (`owner`).
    pub owner: Option<RefView>,
    /// The roles taking part (`with`).
    pub with: Vec<RefView>,
    /// The kpis discussed (`covers`).
    pub covers: Vec<RefView>,
    /// The feedback loop's `description`: free text.
    pub description: Option<String>,
}
