//! The one table of every check: name, default level, summary, documentation, and the code.

use super::Context;
use super::rules;
use crate::diag::{Diagnostic, Severity};

/// A configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub const NAMES: [&'static str; 4] = ["error", "warning", "info", "off"];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "info" => Level::Info,
            "off" => Level::Off,
            _ => return None,
        })
    }

    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

pub type CheckFn = fn(&Context, &mut Vec<Diagnostic>);

/// One check of the registry.
#[derive(Debug)]
pub struct RuleInfo {
    pub name: &'static str,
    pub default: Level,
    pub summary: &'static str,
    /// Markdown: what it does, why it matters, bad and good examples.
    pub docs: &'static str,
    /// `None` for checks made while reading and resolving (syntax, names, imports, values).
    pub check: Option<CheckFn>,
}

impl RuleInfo {
    /// The documentation with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Declares a check: its doc comment is its documentation.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $ident:ident = $name:literal, $level:ident, $summary:literal, $check:expr;) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::lint::RuleInfo = $crate::lint::RuleInfo {
            name: $name,
            default: $crate::lint::Level::$level,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// Every check, in the contract's order.
pub static RULES: &[&RuleInfo] = &[
    &rules::syntax::SYNTAX,
    &rules::undefined_reference::UNDEFINED_REFERENCE,
    &rules::duplicate_definition::DUPLICATE_DEFINITION,
    &rules::import_error::IMPORT_ERROR,
    &rules::invalid_value::INVALID_VALUE,
    &rules::missing_header::MISSING_HEADER,
    &rules::unreachable_stage::UNREACHABLE_STAGE,
    &rules::unowned_task::UNOWNED_TASK,
    &rules::missing_terminal::MISSING_TERMINAL,
    &rules::training_cycle::TRAINING_CYCLE,
    &rules::reporting_cycle::REPORTING_CYCLE,
    &rules::dead_end_stage::DEAD_END_STAGE,
    &rules::no_path_to_terminal::NO_PATH_TO_TERMINAL,
    &rules::ambiguous_branch::AMBIGUOUS_BRANCH,
    &rules::duplicate_transition::DUPLICATE_TRANSITION,
    &rules::stage_without_owner::STAGE_WITHOUT_OWNER,
    &rules::stage_without_exit_criteria::STAGE_WITHOUT_EXIT_CRITERIA,
    &rules::task_without_done_criteria::TASK_WITHOUT_DONE_CRITERIA,
    &rules::task_without_due::TASK_WITHOUT_DUE,
    &rules::untrained_owner::UNTRAINED_OWNER,
    &rules::role_without_training::ROLE_WITHOUT_TRAINING,
    &rules::role_without_responsibilities::ROLE_WITHOUT_RESPONSIBILITIES,
    &rules::kpi_without_target::KPI_WITHOUT_TARGET,
    &rules::kpi_without_owner::KPI_WITHOUT_OWNER,
    &rules::goal_without_target::GOAL_WITHOUT_TARGET,
    &rules::goal_without_deadline::GOAL_WITHOUT_DEADLINE,
    &rules::no_feedback::NO_FEEDBACK,
    &rules::sop_without_review::SOP_WITHOUT_REVIEW,
    &rules::unused_definition::UNUSED_DEFINITION,
    &rules::unused_suppression::UNUSED_SUPPRESSION,
    &rules::invalid_config::INVALID_CONFIG,
    &rules::bidi_control::BIDI_CONTROL,
];

/// The check with this name.
pub fn find_rule(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().copied().find(|r| r.name == name)
}
