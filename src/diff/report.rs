//! What `sopc diff` reports, as plain serializable data: the JSON output (its JSON Schema is
//! generated from these same types) and what the human and Markdown outputs are written from.

use schemars::JsonSchema;
use serde::Serialize;

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
        "DiffSchemaVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The version of this JSON shape.",
            "type": "integer",
            "const": SCHEMA_VERSION,
        })
    }
}

/// The semantic difference between two versions of a set of SOP files.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sopc diff")]
pub struct DiffReport {
    /// The version of this JSON shape (`schema_version`), always [`SCHEMA_VERSION`].
    pub schema_version: SchemaVersion,
    /// The old side as named on the command line (a path, or a git revision).
    pub old: String,
    /// The new side as named on the command line (a path, a git revision or the work tree).
    pub new: String,
    /// Every file whose text differs, sorted by path.
    pub files: Vec<FileDiff>,
    /// Every entity added, removed, changed or renamed, sorted by file, then by the entity's place
    /// in the new file (a removed one at its place in the old file), then kind.
    pub changes: Vec<Change>,
    /// Every role whose work changed: who must read the SOP again. Sorted.
    pub affected_roles: Vec<String>,
    /// For each pipeline on both sides, what the change did to its graph.
    pub graph: Vec<GraphImpact>,
    /// The findings of `sopc check` introduced and fixed, matched by check, file and entity.
    pub findings: FindingsDiff,
    /// The `version` of the first document with a change (see `versions`).
    pub version: VersionChange,
    /// The `version` of every document (a file with a `sop` header) whose own file or imports
    /// changed.
    pub versions: Vec<DocumentVersion>,
    /// The counts of files, changes, introduced and fixed findings.
    pub summary: Summary,
    /// The new side of each pipeline with a change, for the Markdown's charts.
    #[serde(skip)]
    #[schemars(skip)]
    pub charts: Vec<Chart>,
}

/// A pipeline's new stages and transitions, with what changed marked.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// The file the pipeline is in, on the new side.
    pub file: String,
    /// The pipeline's qualified id.
    pub pipeline: String,
    /// The pipeline's title, or its id when it has none.
    pub title: String,
    /// Every stage of the new side, in the order of the file.
    pub stages: Vec<ChartStage>,
    /// (from, to) as indexes into `stages`, the condition, and whether it is new.
    pub edges: Vec<(usize, usize, Option<String>, bool)>,
    /// Qualified ids of the stages and transitions removed.
    pub removed: Vec<String>,
}

/// A stage in a [`Chart`], on the new side.
#[derive(Debug, Clone)]
pub struct ChartStage {
    /// The stage's qualified id.
    pub id: String,
    /// The stage's title, or its local id when it has none.
    pub label: String,
    /// Whether the stage is marked `terminal`.
    pub terminal: bool,
    /// `Added` or `Modified` when the stage (or a task in it) changed; `None` when not.
    pub mark: Option<ChangeKind>,
}

/// One file whose text differs between the sides.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileDiff {
    /// The path on the new side (on the old side for a removed file).
    pub path: String,
    /// Whether the file was added, removed, modified or renamed (`status`).
    pub status: FileStatus,
    /// The path on the old side of a file renamed in git.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Whether anything but layout changed (a side that does not parse is compared as text:
    /// any difference counts).
    pub semantic: bool,
    /// Why the old side could not be compared entity by entity (its or an import's syntax
    /// error); `null` when it could.
    pub old_parse_error: Option<ParseError>,
    /// Why the new side could not be compared entity by entity (its or an import's syntax
    /// error); `null` when it could.
    pub new_parse_error: Option<ParseError>,
}

/// How a file differs between the sides (`files[].status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides with the same path, with a different text.
    Modified,
    /// Renamed in git; the old path is in `old_path`.
    Renamed,
}

/// Why a side of a file could not be compared entity by entity.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParseError {
    /// `syntax`, or `import` when the file parses but a file it imports does not.
    pub rule: String,
    /// The error message, as `sopc check` prints it.
    pub message: String,
    /// The file the error is in (the import, for `import`).
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

/// One entity added, removed, changed or renamed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The file the entity is in (on the new side, on the old side for a removed entity).
    pub file: String,
    /// What kind of entity it is (`sop`, `stage`, `task`, ...).
    pub kind: EntityKind,
    /// The qualified id on the new side (on the old side for a removed entity).
    pub id: String,
    /// Whether it was added, removed, modified or renamed.
    pub change: ChangeKind,
    /// The id before a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_id: Option<String>,
    /// The condition of an added or removed transition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The title (on the new side, else the old), for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The attributes that differ (empty for `added` and `removed`).
    pub attributes: Vec<AttributeChange>,
}

/// The kind of an entity, named by its keyword in the language (`kind` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A file's `sop` header.
    Sop,
    /// A `goal` block.
    Goal,
    /// A `strategy` block.
    Strategy,
    /// A `role` block.
    Role,
    /// A `pipeline` block.
    Pipeline,
    /// A `stage` of a pipeline.
    Stage,
    /// A `task` of a stage.
    Task,
    /// A transition between two stages (`->`).
    Transition,
    /// A `training` block.
    Training,
    /// A `kpi` block.
    Kpi,
    /// A `feedback` block.
    Feedback,
}

impl EntityKind {
    /// The keyword, as it appears in the JSON and the human and Markdown outputs.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Sop => "sop",
            EntityKind::Goal => "goal",
            EntityKind::Strategy => "strategy",
            EntityKind::Role => "role",
            EntityKind::Pipeline => "pipeline",
            EntityKind::Stage => "stage",
            EntityKind::Task => "task",
            EntityKind::Transition => "transition",
            EntityKind::Training => "training",
            EntityKind::Kpi => "kpi",
            EntityKind::Feedback => "feedback",
        }
    }
}

/// What happened to an entity (`change` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides with different attributes.
    Modified,
    /// The same entity under a new id (the old one in `from_id`).
    Renamed,
}

impl ChangeKind {
    /// The name, as it appears in the JSON and the human and Markdown outputs.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// One attribute that differs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeChange {
    /// The attribute keyword as written in the language (`owner`, `sla`, `exit`, ...), or
    /// `title`.
    pub name: String,
    /// The kpi a goal's `target` or `by` is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpi: Option<String>,
    /// The old value as written, white space folded; `null` when it was not given.
    pub old: Option<String>,
    /// The new value as written, white space folded; `null` when it is not given.
    pub new: Option<String>,
    /// Which way an ordered value moved (`sla` longer, `target` raised, ...); absent when the
    /// attribute has no order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// A task's owner that changed because its stage's owner did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited: Option<bool>,
}

/// Which way an attribute with an order moved (`direction` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// An `sla`, `due` or `duration` got longer (compared in minutes).
    Longer,
    /// An `sla`, `due` or `duration` got shorter (compared in minutes).
    Shorter,
    /// A `target` went up, with the same comparator, unit and period.
    Raised,
    /// A `target` went down, with the same comparator, unit and period.
    Lowered,
    /// A `target` changed its comparator, unit or period, so it is neither raised nor lowered.
    Changed,
    /// A goal target's `by` date moved later.
    Later,
    /// A goal target's `by` date moved earlier.
    Earlier,
    /// A `cadence`, `review` or a training's `when` became more frequent.
    MoreOften,
    /// A `cadence`, `review` or a training's `when` became less frequent.
    LessOften,
}

impl Direction {
    /// The name, as it appears in the JSON (kebab-case) and the human and Markdown outputs.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Longer => "longer",
            Direction::Shorter => "shorter",
            Direction::Raised => "raised",
            Direction::Lowered => "lowered",
            Direction::Changed => "changed",
            Direction::Later => "later",
            Direction::Earlier => "earlier",
            Direction::MoreOften => "more-often",
            Direction::LessOften => "less-often",
        }
    }
}

/// What a change did to one pipeline's graph.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphImpact {
    /// The pipeline's qualified id.
    pub pipeline: String,
    /// The stage the work enters at, when it changed.
    pub start: Option<StartChange>,
    /// Stages reachable from the start before and not any more (qualified ids).
    pub newly_unreachable: Vec<String>,
    /// Stages that could reach a terminal stage before and cannot any more.
    pub newly_trapped: Vec<String>,
}

/// The stage a pipeline starts at, on each side (`graph[].start`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartChange {
    /// The qualified id of the old start stage; `null` when the pipeline is new or had no stage.
    pub old: Option<String>,
    /// The qualified id of the new start stage; `null` when the pipeline is removed or has no
    /// stage.
    pub new: Option<String>,
}

/// The findings that differ between the sides (`findings` in the JSON).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingsDiff {
    /// Findings of the new side the old side did not have.
    pub introduced: Vec<FindingRef>,
    /// Findings of the old side the new side no longer has.
    pub fixed: Vec<FindingRef>,
}

/// A finding of `sopc check` on one side.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingRef {
    /// The check's id, such as `unowned-task`.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The message, as `sopc check` prints it.
    pub message: String,
    /// The file the finding is in, on the side it is on.
    pub file: String,
    /// The line on the side the finding is on.
    pub line: usize,
    /// The qualified id of the entity it is about, if any.
    pub id: Option<String>,
}

/// The `version` of a document's `sop` header on both sides.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionChange {
    /// The old version; `null` when the document is new or its header named none.
    pub old: Option<String>,
    /// The new version; `null` when the header names none.
    pub new: Option<String>,
    /// Whether the document is on both sides and its version differs.
    pub bumped: bool,
}

/// The `version` of one document (a file with a `sop` header) on both sides.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentVersion {
    /// The document's file on the new side, by its path relative to the side's folder.
    pub file: String,
    /// The old version; `null` when the document is new or its header named none.
    pub old: Option<String>,
    /// The new version; `null` when the header names none.
    pub new: Option<String>,
    /// Whether the document is on both sides and its version differs.
    pub bumped: bool,
    /// Whether the document or a file it imports changed in meaning.
    pub semantic: bool,
}

/// The counts at the end of the report (`summary` in the JSON).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// How many files differ (the length of `files`).
    pub files: usize,
    /// How many entities changed (the length of `changes`).
    pub changes: usize,
    /// How many findings the new side introduced.
    pub introduced: usize,
    /// How many findings the new side fixed.
    pub fixed: usize,
}

impl DiffReport {
    /// The report as pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("the report serializes");
        text.push('\n');
        text
    }

    /// Whether the new side has an error finding the old side did not have.
    pub fn has_new_errors(&self) -> bool {
        self.findings
            .introduced
            .iter()
            .any(|f| f.severity == "error")
    }

    /// Whether anything changed in meaning.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty() || self.files.iter().any(|f| f.semantic)
    }
}

/// The JSON Schema of the JSON `sopc diff --format json` prints, generated from [`DiffReport`].
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(DiffReport);
    let mut text = serde_json::to_string_pretty(&schema).expect("the schema serializes");
    text.push('\n');
    text
}
