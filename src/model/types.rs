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
    pub id: String,
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

    pub fn file(&self) -> FileId {
        self.loc.file
    }
}

/// A name used somewhere, and the definition it resolved to.
#[derive(Debug, Clone)]
pub struct Ref {
    pub name: String,
    pub loc: Loc,
    pub target: Option<usize>,
}

/// A text attribute's value and where it was written.
#[derive(Debug, Clone)]
pub struct Text {
    pub value: String,
    pub loc: Loc,
}

/// An attribute that was given, with where.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

/// The `sop` header of a document.
#[derive(Debug, Clone)]
pub struct Header {
    pub def: Def,
    pub version: Option<Text>,
    pub owner: Option<Ref>,
    pub review: Option<At<Cadence>>,
    /// `reviewed DATE`: when the SOP itself was last reviewed (the next review is due one
    /// `review` cadence later).
    pub reviewed: Option<Date>,
    pub lang: Option<Text>,
    pub summary: Option<Text>,
    pub description: Option<Text>,
}

/// The `sop` block is the document's [`Header`]; `Sop` names it after its keyword.
pub type Sop = Header;

#[derive(Debug, Clone)]
pub struct GoalTarget {
    pub kpi: Ref,
    pub comparator: Comparator,
    pub quantity: Quantity,
    pub by: Option<Date>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Goal {
    pub def: Def,
    pub targets: Vec<GoalTarget>,
    pub region: Option<Text>,
    pub product: Option<Text>,
    pub owner: Option<Ref>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Strategy {
    pub def: Def,
    pub supports: Vec<Ref>,
    pub owner: Option<Ref>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub def: Def,
    pub responsibilities: Vec<Text>,
    pub skills: Vec<Text>,
    pub reports_to: Option<Ref>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Transition {
    pub target: Ref,
    pub when: Option<Text>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub def: Def,
    pub owner: Option<Ref>,
    pub due: Option<At<Duration>>,
    pub done_when: Option<Text>,
    pub guidance: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub def: Def,
    pub owner: Option<Ref>,
    pub sla: Option<At<Duration>>,
    pub requires: Vec<Ref>,
    pub entry: Vec<Text>,
    pub exit: Vec<Text>,
    pub terminal: bool,
    pub tasks: Vec<Task>,
    pub transitions: Vec<Transition>,
    pub guidance: Option<Text>,
    pub description: Option<Text>,
    pub node: NodeIndex,
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub def: Def,
    pub start: Option<Ref>,
    /// `case "商机"`: what one item flowing through the pipeline is called (a deal, a ticket).
    pub case: Option<String>,
    pub stages: Vec<Stage>,
    /// Node weights are indexes into `stages`; edge weights index the source stage's transitions.
    pub graph: DiGraph<usize, usize>,
    pub description: Option<Text>,
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

#[derive(Debug, Clone)]
pub struct Training {
    pub def: Def,
    pub for_roles: Vec<Ref>,
    pub when: Option<At<TrainingWhen>>,
    pub topics: Vec<Text>,
    pub format: Vec<Text>,
    pub duration: Option<At<Duration>>,
    pub requires: Vec<Ref>,
    pub assessment: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct KpiTarget {
    pub comparator: Comparator,
    pub quantity: Quantity,
    pub per: Option<Period>,
    pub loc: Loc,
}

/// `stage x` or `stage p.x` in a kpi, resolved to (pipeline, stage).
#[derive(Debug, Clone)]
pub struct StageRef {
    pub pipeline: Option<String>,
    pub stage: String,
    pub loc: Loc,
    pub target: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Kpi {
    pub def: Def,
    pub kind: Option<KpiKind>,
    /// `measure ...` as written; [`Kpi::measure_in_effect`] infers one when it is absent.
    pub measure: Option<Measure>,
    pub unit: Option<Text>,
    pub target: Option<KpiTarget>,
    pub owner: Option<Ref>,
    pub source: Option<Text>,
    pub review: Option<At<Cadence>>,
    pub stage: Option<StageRef>,
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

#[derive(Debug, Clone)]
pub struct Feedback {
    pub def: Def,
    pub cadence: Option<At<Cadence>>,
    pub owner: Option<Ref>,
    pub with: Vec<Ref>,
    pub covers: Vec<Ref>,
    pub description: Option<Text>,
}

/// One document: its own file and every file it imports, resolved.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The file the document was read from.
    pub root: Option<FileId>,
    /// Every file of the document in reading order (imports first).
    pub files: Vec<FileId>,
    pub header: Option<Header>,
    pub goals: Vec<Goal>,
    pub strategies: Vec<Strategy>,
    pub roles: Vec<Role>,
    pub pipelines: Vec<Pipeline>,
    pub trainings: Vec<Training>,
    pub kpis: Vec<Kpi>,
    pub feedbacks: Vec<Feedback>,
    pub role_index: HashMap<String, usize>,
    pub goal_index: HashMap<String, usize>,
    pub kpi_index: HashMap<String, usize>,
    pub training_index: HashMap<String, usize>,
}

impl Model {
    /// Whether a block of this kind at the top of the file belongs to the document's own file.
    pub fn is_own(&self, def: &Def) -> bool {
        Some(def.file()) == self.root
    }
}
