//! Diagnostics: what every stage of the pipeline reports, before any output format.

use crate::rule_id::RuleId;
use crate::syntax::Span;

/// Index of a file in a [`crate::model::SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    pub fn new(file: FileId, span: Span) -> Self {
        Loc { file, span }
    }
}

/// How much a finding matters, after configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
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
    pub loc: Loc,
    pub message: String,
}

/// One finding of one check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The check; its stable name (e.g. `unreachable-stage`) is `rule.name()`.
    pub rule: RuleId,
    pub message: String,
    pub loc: Loc,
    /// What the primary place is (shown under the underline).
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// The names the finding is about (ids, the members of a cycle), for tools.
    pub names: Vec<String>,
    /// A severity fixed by the finding itself (e.g. a suppression without a reason under
    /// `--require-reason` is a warning), instead of the check's configured level.
    pub severity: Option<Severity>,
}

impl Diagnostic {
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
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_secondary(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            loc,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

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
