//! Checks: one file per check under `rules/`, one registry table, configuration and suppressions.

pub mod calendar;
pub mod config;
mod graph;
pub mod registry;
pub mod rules;
pub mod suppress;

use std::collections::HashSet;

use crate::diag::{Diagnostic, FileId};
use crate::model::{Model, SourceDb};

pub use registry::{Level, RULES, RuleId, RuleInfo, find_rule};

/// What a check sees: the resolved document and the files it came from.
pub struct Context<'a> {
    pub db: &'a SourceDb,
    pub model: &'a Model,
    /// The file was named on the command line (or found in a named directory), not only imported.
    pub given: bool,
    /// The date that "before today" compares with (`--today`, else the current UTC date).
    pub today: calendar::Day,
}

impl Context<'_> {
    /// A document is a file with a `sop` header; a file without one is a library (see
    /// [`crate::syntax::SourceFile::is_document`]).
    pub fn is_document(&self) -> bool {
        self.model.is_document
    }

    pub fn root(&self) -> Option<FileId> {
        self.model.root
    }
}

/// Runs every check that looks at a model.
pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        if let Some(check) = rule.check {
            check(cx, &mut out);
        }
    }
    out
}

/// Drops repeats: a library imported by several documents is reported once.
pub fn dedup(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diags
        .into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect()
}
