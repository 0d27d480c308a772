//! The one table of every check: name, default level, summary, documentation, and the code.

use super::context::Context;
use super::rules;
use crate::diag::{Diagnostic, Severity};
pub use crate::rule_id::RuleId;

/// A configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Reported as an error: fails `sopc check`.
    Error,
    /// Reported as a warning (`warn` is read too).
    Warning,
    /// Reported as a note; never fails `sopc check`.
    Info,
    /// Not run at all.
    Off,
}

impl Level {
    /// The level names `sopc.yaml` accepts, in the order of the variants.
    pub const NAMES: [&'static str; 4] = ["error", "warning", "info", "off"];

    /// The name as written in `sopc.yaml` and shown by `sopc rules`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }

    /// The level written `s` in `sopc.yaml` (`warn` is `Warning`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "info" => Level::Info,
            "off" => Level::Off,
            _ => return None,
        })
    }

    /// The severity a finding of a check at this level gets; `None` for `Off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// A check that looks at a model: it pushes its findings onto the vector.
pub type CheckFn = fn(&Context, &mut Vec<Diagnostic>);

/// One check of the registry.
#[derive(Debug)]
pub struct RuleInfo {
    /// The check's stable name, e.g. `unreachable-stage`, used in `sopc.yaml` and suppressions.
    pub name: &'static str,
    /// The level when `sopc.yaml` sets none: the `recommended` preset's (the others derive
    /// from it).
    pub default: Level,
    /// One line on what the check reports, for `sopc rules`.
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

/// Defines the registry table from one list: a row is a check's variant of [`RuleId`] (declared
/// in `rule_id.rs`, in the same order) and its entry. The `match` of [`RuleId::info`] names
/// every variant, so a check without an entry, or an entry without a variant, does not compile.
macro_rules! rules {
    ($($variant:ident => $module:ident :: $info:ident,)*) => {
        impl RuleId {
            /// The check's entry in the registry.
            pub fn info(self) -> &'static RuleInfo {
                match self {
                    $(RuleId::$variant => &rules::$module::$info,)*
                }
            }
        }

        /// Every check, in the order `sopc rules` lists them.
        pub static RULES: &[&RuleInfo] = &[$(&rules::$module::$info,)*];
    };
}

rules! {
    Syntax => syntax::SYNTAX,
    UndefinedReference => undefined_reference::UNDEFINED_REFERENCE,
    DuplicateDefinition => duplicate_definition::DUPLICATE_DEFINITION,
    ImportError => import_error::IMPORT_ERROR,
    InvalidValue => invalid_value::INVALID_VALUE,
    MissingHeader => missing_header::MISSING_HEADER,
    UnreachableStage => unreachable_stage::UNREACHABLE_STAGE,
    UnownedTask => unowned_task::UNOWNED_TASK,
    MissingTerminal => missing_terminal::MISSING_TERMINAL,
    TrainingCycle => training_cycle::TRAINING_CYCLE,
    ReportingCycle => reporting_cycle::REPORTING_CYCLE,
    DeadEndStage => dead_end_stage::DEAD_END_STAGE,
    NoPathToTerminal => no_path_to_terminal::NO_PATH_TO_TERMINAL,
    AmbiguousBranch => ambiguous_branch::AMBIGUOUS_BRANCH,
    DuplicateTransition => duplicate_transition::DUPLICATE_TRANSITION,
    StageWithoutOwner => stage_without_owner::STAGE_WITHOUT_OWNER,
    StageWithoutExitCriteria => stage_without_exit_criteria::STAGE_WITHOUT_EXIT_CRITERIA,
    TaskWithoutDoneCriteria => task_without_done_criteria::TASK_WITHOUT_DONE_CRITERIA,
    TaskWithoutDue => task_without_due::TASK_WITHOUT_DUE,
    UntrainedOwner => untrained_owner::UNTRAINED_OWNER,
    RoleWithoutTraining => role_without_training::ROLE_WITHOUT_TRAINING,
    RoleWithoutResponsibilities => role_without_responsibilities::ROLE_WITHOUT_RESPONSIBILITIES,
    KpiWithoutTarget => kpi_without_target::KPI_WITHOUT_TARGET,
    KpiWithoutOwner => kpi_without_owner::KPI_WITHOUT_OWNER,
    GoalWithoutTarget => goal_without_target::GOAL_WITHOUT_TARGET,
    GoalWithoutDeadline => goal_without_deadline::GOAL_WITHOUT_DEADLINE,
    NoFeedback => no_feedback::NO_FEEDBACK,
    SopWithoutReview => sop_without_review::SOP_WITHOUT_REVIEW,
    UnusedDefinition => unused_definition::UNUSED_DEFINITION,
    UnusedSuppression => unused_suppression::UNUSED_SUPPRESSION,
    InvalidConfig => invalid_config::INVALID_CONFIG,
    BidiControl => bidi_control::BIDI_CONTROL,
    ReviewOverdue => review_overdue::REVIEW_OVERDUE,
    TaskDueExceedsSla => task_due_exceeds_sla::TASK_DUE_EXCEEDS_SLA,
    UnitMismatch => unit_mismatch::UNIT_MISMATCH,
    TransitionFromTerminal => transition_from_terminal::TRANSITION_FROM_TERMINAL,
    InvalidSuppression => invalid_suppression::INVALID_SUPPRESSION,
    UnusedOverride => unused_override::UNUSED_OVERRIDE,
}

impl RuleId {
    /// The check's stable name, e.g. `unreachable-stage`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The check with this name, as a user writes it in `sopc.yaml` or a suppression.
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The check with this name.
pub fn find_rule(name: &str) -> Option<&'static RuleInfo> {
    RuleId::from_name(name).map(RuleId::info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_table_agree() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (i, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(id.index(), i);
            assert!(std::ptr::eq(id.info(), RULES[i]));
            assert_eq!(RuleId::from_name(id.name()), Some(*id));
            assert_eq!(id.to_string(), id.name());
        }
        assert_eq!(RuleId::from_name("no-such-check"), None);
        for id in RuleId::ALL {
            let camel: String = id
                .name()
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(
                format!("{id:?}"),
                camel,
                "the variant is named after its check"
            );
        }
        assert_eq!(RuleId::BidiControl.name(), "bidi-control");
    }
}
