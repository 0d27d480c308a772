//! Checks: one file per check under `rules/`, one registry table, configuration and suppressions.

pub mod calendar;
pub mod config;
pub mod context;
mod graph;
pub mod registry;
pub mod rules;
pub mod suppress;

use std::collections::HashSet;

use crate::diag::Diagnostic;

pub use context::Context;
pub use registry::{Level, RULES, RuleId, RuleInfo, find_rule};

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
