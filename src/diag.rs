//! Diagnostics: what every stage of the pipeline reports, before any output format.

pub use crate::finding_data::{FindingData, ImportProblem, ValueProblem};
use crate::rule_id::RuleId;
use crate::syntax::Span;

/// Index of a file in a [`crate::model::SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file the place is in.
    pub file: FileId,
    /// The bytes of the place in the file's text (byte offsets, end exclusive).
    pub span: Span,
}

impl Loc {
    /// The place `span` in `file`.
    pub fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

/// How much a finding matters, after configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `sopc check` (exit code 1).
    Error,
    /// Reported; fails `sopc check` only under `--deny warnings` or past `--max-warnings`.
    Warning,
    /// Reported as a note; never fails `sopc check`.
    Info,
}

impl Severity {
    /// The lowercase name used in output and configuration: `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A second place that matters to a finding (the first definition of a duplicate, the start stage).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where the second place is.
    pub loc: Loc,
    /// What the second place is, shown under its underline.
    pub message: String,
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// It does what the finding asks and nothing else (the one close name, the ASCII comma).
    Safe,
    /// One of several ways, or a guess: a person chooses.
    Unsafe,
}

impl Applicability {
    /// The lowercase name used in the JSON and SARIF output: `safe` or `unsafe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes at `loc` with `new_text`; an empty span inserts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The bytes replaced (an empty span inserts at its start).
    pub loc: Loc,
    /// The text that takes their place (empty to delete).
    pub new_text: String,
}

/// A change to the source that removes a finding: what it does, in words, and its edits (which
/// do not overlap).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, in words, for a person choosing it ("rename to `sales_rep`").
    pub title: String,
    /// The edits, which do not overlap.
    pub edits: Vec<Edit>,
    /// Whether the fix can be applied without a person looking at it.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix of one edit: the text at `loc` becomes `new_text`.
    pub fn replace(
        title: impl Into<String>,
        loc: Loc,
        new_text: impl Into<String>,
        applicability: Applicability,
    ) -> Self {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                loc,
                new_text: new_text.into(),
            }],
            applicability,
        }
    }
}

/// One finding of one check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The check; its stable name (e.g. `unreachable-stage`) is `rule.name()`.
    pub rule: RuleId,
    /// The sentence a user reads first.
    pub message: String,
    /// The primary place: where the underline goes.
    pub loc: Loc,
    /// What the primary place is (shown under the underline).
    pub label: Option<String>,
    /// Other places that matter to the finding, each with its own label.
    pub labels: Vec<Label>,
    /// A suggestion of what to do, shown as `help:` under the finding.
    pub help: Option<String>,
    /// The names the finding is about (ids, the members of a cycle), for tools.
    pub names: Vec<String>,
    /// A severity fixed by the finding itself (e.g. a suppression without a reason under
    /// `--require-reason` is a warning), instead of the check's configured level.
    pub severity: Option<Severity>,
    /// What the finding is about, as data for tools. `None` for a check's finding, whose data
    /// is its kind (the check) and its `names`.
    pub data: Option<FindingData<Loc>>,
    /// Changes that would remove it, the best first.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A finding of `rule` at `loc` with `message`, and nothing else yet.
    pub fn new(rule: RuleId, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            loc,
            label: None,
            labels: Vec::new(),
            help: None,
            names: Vec::new(),
            severity: None,
            data: None,
            fixes: Vec::new(),
        }
    }

    /// The finding `data` describes at `loc`, in the words made from it.
    pub fn of(loc: Loc, data: FindingData<Loc>) -> Self {
        let mut d = Diagnostic::new(data.rule(), loc, data.message());
        d.label = data.label();
        d.help = data.help();
        if let Some((first, message)) = data.secondary() {
            d.labels.push(Label {
                loc: *first,
                message: message.to_string(),
            });
        }
        d.data = Some(data);
        d
    }

    /// Sets the finding's data for tools, keeping its words.
    pub fn with_data(mut self, data: FindingData<Loc>) -> Self {
        self.data = Some(data);
        self
    }

    /// Adds a fix after the ones it has (the best first).
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// Sets the text shown under the primary underline.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a second place with what it is.
    pub fn with_secondary(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Fixes the severity, overriding the check's configured level.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// Sets the names the finding is about (ids, the members of a cycle), for tools.
    pub fn with_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.names = names.into_iter().map(Into::into).collect();
        self
    }
}

pub use crate::suggest::{Suggester, did_you_mean};
