//! Resolved model types.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::diag::{FileId, Loc};
use crate::syntax::{
    Cadence, Comparator, Date, Duration, KpiKind, Measure, Period, Quantity, Span, TrainingWhen,
};

/// What every definition has: its id, title and where it is.
#[derive(Debug, Clone)]
pub struct Def {
    /// The block's id as written.
    pub id: String,
    /// The block's quoted title; `None` when it has none.
    pub title: Option<String>,
    /// Keyword and id: where diagnostics about the definition point.
    pub loc: Loc,
    /// The whole block.
    pub block: Span,
}

impl Def {
    /// The title, or the id when there is none.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }

    /// The file the definition is written in.
    pub fn file(&self) -> FileId {
        self.loc.file
    }
}

/// A name used somewhere, and the definition it resolved to.
#[derive(Debug, Clone)]
pub struct Ref {
    /// The name as written.
    pub name: String,
    /// Where the name is written.
    pub loc: Loc,
    /// Index of the definition it names in the model's list of that kind (`Model::roles` for an
    /// owner, `Pipeline::stages` for `start` and transitions, ...); `None` when it names nothing.
    pub target: Option<usize>,
}

/// A text attribute's value and where it was written.
#[derive(Debug, Clone)]
pub struct Text {
    /// The string's value, escapes processed and indentation stripped.
    pub value: String,
    /// The string literal, quotes included (for `format` and `unit`, the identifier).
    pub loc: Loc,
}

/// An attribute that was given, with where.
#[derive(Debug, Clone)]
pub struct At<T> {
    /// The value as written.
    pub value: T,
    /// Where the value is written: the duration or cadence itself, or for a training's `when` the
    /// whole attribute.
    pub loc: Loc,
}

/// The document's `sop` header block.
#[derive(Debug, Clone)]
pub struct Header {
    /// Id, title and place of the header.
    pub def: Def,
    /// `version`: the SOP's version string.
    pub version: Option<Text>,
    /// `owner`: the role accountable for the SOP.
    pub owner: Option<Ref>,
    /// `review`: how often the SOP itself is reviewed.
    pub review: Option<At<Cadence>>,
    /// `reviewed DATE`: when the SOP itself was last reviewed (the next review is due one
    /// `review` cadence later).
    pub reviewed: Option<Date>,
    /// `lang`: the label language of generated outputs, `"en"` or `"zh"`; `None` means `"en"`.
    pub lang: Option<Text>,
    /// `summary`: a short statement of what the SOP covers.
    pub summary: Option<Text>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// The `sop` block is the document's [`Header`]; `Sop` names it after its keyword.
pub type Sop = Header;

/// One `target` line of a goal: `KPI CMP NUMBER [UNIT] [by DATE]`.
#[derive(Debug, Clone)]
pub struct GoalTarget {
    /// The kpi the target is on.
    pub kpi: Ref,
    /// How the kpi's value must compare with the quantity.
    pub comparator: Comparator,
    /// The number or percentage to reach, with its optional unit.
    pub quantity: Quantity,
    /// The deadline after `by`; `None` without one.
    pub by: Option<Date>,
    /// The whole `target` attribute.
    pub loc: Loc,
}

/// A `goal` block: what the team aims for.
#[derive(Debug, Clone)]
pub struct Goal {
    /// Id, title and place of the goal.
    pub def: Def,
    /// Its `target` lines, in source order.
    pub targets: Vec<GoalTarget>,
    /// `region`: the region the goal applies to.
    pub region: Option<Text>,
    /// `product`: the product the goal applies to.
    pub product: Option<Text>,
    /// `owner`: the role accountable for the goal.
    pub owner: Option<Ref>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// A `strategy` block: how goals are reached.
#[derive(Debug, Clone)]
pub struct Strategy {
    /// Id, title and place of the strategy.
    pub def: Def,
    /// `supports`: the goals it serves, every list merged in order.
    pub supports: Vec<Ref>,
    /// `owner`: the role accountable for the strategy.
    pub owner: Option<Ref>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// A `role` block: who does the work.
#[derive(Debug, Clone)]
pub struct Role {
    /// Id, title and place of the role.
    pub def: Def,
    /// `responsibilities`, every list merged in order.
    pub responsibilities: Vec<Text>,
    /// `skills` the role needs, every list merged in order.
    pub skills: Vec<Text>,
    /// `reports_to`: the role this one reports to.
    pub reports_to: Option<Ref>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// `-> target when "..."` in a stage.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The stage it leads to, resolved within the same pipeline (index into `Pipeline::stages`).
    pub target: Ref,
    /// The `when` condition: text for people, never evaluated; `None` without one.
    pub when: Option<Text>,
    /// The whole `->` line.
    pub loc: Loc,
}

/// A `task` block inside a stage.
#[derive(Debug, Clone)]
pub struct Task {
    /// Id, title and place of the task.
    pub def: Def,
    /// `owner`: who does it; `None` means the stage's owner (see `Stage::owner`).
    pub owner: Option<Ref>,
    /// `due`: time allowed, counted from when work enters the stage.
    pub due: Option<At<Duration>>,
    /// `done_when`: the completion standard.
    pub done_when: Option<Text>,
    /// `guidance`: how-to text for the handbook.
    pub guidance: Option<Text>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// A `stage` block of a pipeline.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Id, title and place of the stage.
    pub def: Def,
    /// `owner`: the role responsible for the stage, and the default owner of its tasks.
    pub owner: Option<Ref>,
    /// `sla`: the longest work is expected to stay in the stage.
    pub sla: Option<At<Duration>>,
    /// `requires`: trainings the stage's owner must have taken, every list merged in order.
    pub requires: Vec<Ref>,
    /// `entry` criteria, every list merged in order.
    pub entry: Vec<Text>,
    /// `exit` criteria, every list merged in order.
    pub exit: Vec<Text>,
    /// Whether the `terminal` flag is given: the stage ends the pipeline.
    pub terminal: bool,
    /// Its tasks in source order, a duplicate id left out.
    pub tasks: Vec<Task>,
    /// Its `->` transitions in source order.
    pub transitions: Vec<Transition>,
    /// `guidance`: how-to text for the handbook.
    pub guidance: Option<Text>,
    /// `description`: free text.
    pub description: Option<Text>,
    /// The stage's node in `Pipeline::graph`.
    pub node: NodeIndex,
}

/// A `pipeline` block: its stages and the graph of their transitions.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Id, title and place of the pipeline.
    pub def: Def,
    /// `start`: the stage where work enters; `None` means the first stage.
    pub start: Option<Ref>,
    /// `case "商机"`: what one item flowing through the pipeline is called (a deal, a ticket).
    pub case: Option<String>,
    /// Its stages in source order, a duplicate id left out.
    pub stages: Vec<Stage>,
    /// Node weights are indexes into `stages`; edge weights index the source stage's transitions.
    pub graph: DiGraph<usize, usize>,
    /// `description`: free text.
    pub description: Option<Text>,
    /// Stage id to index into `stages`.
    pub stage_index: HashMap<String, usize>,
}

impl Pipeline {
    /// The stage the work enters at: `start`, else the first stage declared.
    pub fn start_stage(&self) -> Option<usize> {
        match &self.start {
            Some(r) => r.target,
            None => (!self.stages.is_empty()).then_some(0),
        }
    }
}

/// A `training` block: how people learn the work.
#[derive(Debug, Clone)]
pub struct Training {
    /// Id, title and place of the training.
    pub def: Def,
    /// `for`: the roles that take it, every list merged in order.
    pub for_roles: Vec<Ref>,
    /// `when`: `new_hire`, `ongoing` or a cadence.
    pub when: Option<At<TrainingWhen>>,
    /// `topics` it covers, every list merged in order.
    pub topics: Vec<Text>,
    /// `format`: free identifiers such as `role_play`, every list merged in order.
    pub format: Vec<Text>,
    /// `duration`: how long it takes.
    pub duration: Option<At<Duration>>,
    /// `requires`: prerequisite trainings, every list merged in order.
    pub requires: Vec<Ref>,
    /// `assessment`: how completion is assessed.
    pub assessment: Option<Text>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// A kpi's `target`: `CMP NUMBER [UNIT] [per PERIOD]`.
#[derive(Debug, Clone)]
pub struct KpiTarget {
    /// How the kpi's value must compare with the quantity.
    pub comparator: Comparator,
    /// The number or percentage to reach, with its optional unit.
    pub quantity: Quantity,
    /// The period after `per`; `None` when absent.
    pub per: Option<Period>,
    /// The whole `target` attribute.
    pub loc: Loc,
}

/// `stage x` or `stage p.x` in a kpi, resolved to (pipeline, stage).
#[derive(Debug, Clone)]
pub struct StageRef {
    /// The `pipeline.` part as written; `None` for a plain stage id.
    pub pipeline: Option<String>,
    /// The stage id as written.
    pub stage: String,
    /// The stage path as written.
    pub loc: Loc,
    /// Indexes of the pipeline in `Model::pipelines` and of the stage in its `stages`; `None`
    /// when it names no stage, or a plain id names stages of several pipelines.
    pub target: Option<(usize, usize)>,
}

/// A `kpi` block: how the work is measured.
#[derive(Debug, Clone)]
pub struct Kpi {
    /// Id, title and place of the kpi.
    pub def: Def,
    /// `kind`: quantitative or qualitative; `None` when absent.
    pub kind: Option<KpiKind>,
    /// `measure ...` as written; [`Kpi::measure_in_effect`] infers one when it is absent.
    pub measure: Option<Measure>,
    /// `unit` the kpi is measured in, e.g. `CNY`.
    pub unit: Option<Text>,
    /// `target`: the level to reach; `None` when absent (`kpi-without-target`).
    pub target: Option<KpiTarget>,
    /// `owner`: the role accountable for the kpi.
    pub owner: Option<Ref>,
    /// `source`: where the figures come from.
    pub source: Option<Text>,
    /// `review`: how often the kpi is looked at.
    pub review: Option<At<Cadence>>,
    /// `stage`: the stage whose outcome the kpi measures.
    pub stage: Option<StageRef>,
    /// `description`: free text.
    pub description: Option<Text>,
}

impl Kpi {
    /// What the audit computes for the kpi: its `measure`, else one inferred from its target
    /// and unit: a `%` target is a conversion, a currency (three capital letters) an amount, a
    /// time unit a duration, anything else a count.
    pub fn measure_in_effect(&self) -> Measure {
        if let Some(m) = self.measure {
            return m;
        }
        if self.target.as_ref().is_some_and(|t| t.quantity.percent) {
            return Measure::Conversion;
        }
        let unit = self.unit.as_ref().map(|u| u.value.as_str()).or_else(|| {
            let t = self.target.as_ref()?;
            t.quantity.unit.as_ref().map(|u| u.name.as_str())
        });
        match unit {
            Some(u) if u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase()) => Measure::Amount,
            Some("m" | "min" | "h" | "hours" | "d" | "days" | "w" | "weeks") => Measure::Duration,
            _ => Measure::Count,
        }
    }
}

/// A `feedback` block: a recurring meeting that corrects course.
#[derive(Debug, Clone)]
pub struct Feedback {
    /// Id, title and place of the feedback.
    pub def: Def,
    /// `cadence`: how often it takes place.
    pub cadence: Option<At<Cadence>>,
    /// `owner`: the role that runs it.
    pub owner: Option<Ref>,
    /// `with`: the roles taking part, every list merged in order.
    pub with: Vec<Ref>,
    /// `covers`: the kpis discussed, every list merged in order.
    pub covers: Vec<Ref>,
    /// `description`: free text.
    pub description: Option<Text>,
}

/// One document: its own file and every file it imports, resolved.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The file the document was read from.
    pub root: Option<FileId>,
    /// Every file of the document in reading order (imports first).
    pub files: Vec<FileId>,
    /// The root file is a document ([`crate::syntax::SourceFile::is_document`]), not a library.
    pub is_document: bool,
    /// The root file's `sop` header (an imported file's is ignored); `None` for a library.
    pub header: Option<Header>,
    /// The goals in reading order; of two with one id, only the first.
    pub goals: Vec<Goal>,
    /// The strategies in reading order; of two with one id, only the first.
    pub strategies: Vec<Strategy>,
    /// The roles in reading order; of two with one id, only the first.
    pub roles: Vec<Role>,
    /// The pipelines in reading order; of two with one id, only the first.
    pub pipelines: Vec<Pipeline>,
    /// The trainings in reading order; of two with one id, only the first.
    pub trainings: Vec<Training>,
    /// The kpis in reading order; of two with one id, only the first.
    pub kpis: Vec<Kpi>,
    /// The feedbacks in reading order; of two with one id, only the first.
    pub feedbacks: Vec<Feedback>,
    /// Role id to index into `roles`.
    pub role_index: HashMap<String, usize>,
    /// Goal id to index into `goals`.
    pub goal_index: HashMap<String, usize>,
    /// Kpi id to index into `kpis`.
    pub kpi_index: HashMap<String, usize>,
    /// Training id to index into `trainings`.
    pub training_index: HashMap<String, usize>,
}

impl Model {
    /// Whether a block of this kind at the top of the file belongs to the document's own file.
    pub fn is_own(&self, def: &Def) -> bool {
        Some(def.file()) == self.root
    }
}
