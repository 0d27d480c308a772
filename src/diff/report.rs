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
    pub schema_version: SchemaVersion,
    /// The old side as named on the command line (a path, or a git revision).
    pub old: String,
    /// The new side as named on the command line (a path, a git revision or the work tree).
    pub new: String,
    /// Every file whose text differs, sorted by path.
    pub files: Vec<FileDiff>,
    pub changes: Vec<Change>,
    /// Every role whose work changed: who must read the SOP again. Sorted.
    pub affected_roles: Vec<String>,
    pub graph: Vec<GraphImpact>,
    pub findings: FindingsDiff,
    /// The `version` of the first document with a change (see `versions`).
    pub version: VersionChange,
    /// The `version` of every document (a file with a `sop` header) whose own file or imports
    /// changed.
    pub versions: Vec<DocumentVersion>,
    pub summary: Summary,
    /// The new side of each pipeline with a change, for the Markdown's charts.
    #[serde(skip)]
    #[schemars(skip)]
    pub charts: Vec<Chart>,
}

/// A pipeline's new stages and transitions, with what changed marked.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub file: String,
    pub pipeline: String,
    pub title: String,
    pub stages: Vec<ChartStage>,
    /// (from, to) as indexes into `stages`, the condition, and whether it is new.
    pub edges: Vec<(usize, usize, Option<String>, bool)>,
    /// Qualified ids of the stages and transitions removed.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChartStage {
    pub id: String,
    pub label: String,
    pub terminal: bool,
    pub mark: Option<ChangeKind>,
}

/// One file whose text differs between the sides.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileDiff {
    /// The path on the new side (on the old side for a removed file).
    pub path: String,
    pub status: FileStatus,
    /// The path on the old side of a file renamed in git.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// Whether anything but layout changed (a side that does not parse is compared as text:
    /// any difference counts).
    pub semantic: bool,
    pub old_parse_error: Option<ParseError>,
    pub new_parse_error: Option<ParseError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Removed,
    Modified,
    Renamed,
}

/// Why a side of a file could not be compared entity by entity.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParseError {
    /// `syntax`, or `import` when the file parses but a file it imports does not.
    pub rule: String,
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
    pub file: String,
    pub kind: EntityKind,
    /// The qualified id on the new side (on the old side for a removed entity).
    pub id: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Sop,
    Goal,
    Strategy,
    Role,
    Pipeline,
    Stage,
    Task,
    Transition,
    Training,
    Kpi,
    Feedback,
}

impl EntityKind {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
    Renamed,
}

impl ChangeKind {
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
    pub new: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// A task's owner that changed because its stage's owner did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Longer,
    Shorter,
    Raised,
    Lowered,
    Changed,
    Later,
    Earlier,
    MoreOften,
    LessOften,
}

impl Direction {
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
    pub pipeline: String,
    /// The stage the work enters at, when it changed.
    pub start: Option<StartChange>,
    /// Stages reachable from the start before and not any more (qualified ids).
    pub newly_unreachable: Vec<String>,
    /// Stages that could reach a terminal stage before and cannot any more.
    pub newly_trapped: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartChange {
    pub old: Option<String>,
    pub new: Option<String>,
}

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
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    /// The line on the side the finding is on.
    pub line: usize,
    /// The qualified id of the entity it is about, if any.
    pub id: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionChange {
    pub old: Option<String>,
    pub new: Option<String>,
    pub bumped: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentVersion {
    pub file: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub bumped: bool,
    /// Whether the document or a file it imports changed in meaning.
    pub semantic: bool,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub files: usize,
    pub changes: usize,
    pub introduced: usize,
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
