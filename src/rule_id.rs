//! The checks by identity: [`RuleId`], below both the diagnostics that name a check and the
//! registry (`lint/registry.rs`) that gives each its name, level, documentation and code.

/// Declares [`RuleId`] from the list of checks in the registry's order.
macro_rules! rule_ids {
    ($($variant:ident,)*) => {
        /// A check, by its place in the registry. Its stable name is `RuleId::name`, its entry
        /// `RuleId::info` (both in `lint/registry.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(
                #[doc = concat!("The check `", stringify!($variant), "`: its name, level and ")]
                #[doc = "documentation are its registry entry, [`RuleId::info`]."]
                $variant,
            )*
        }

        impl RuleId {
            /// Every check, in the registry's order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];
        }
    };
}

rule_ids! {
    Syntax,
    UndefinedReference,
    DuplicateDefinition,
    ImportError,
    InvalidValue,
    MissingHeader,
    UnreachableStage,
    UnownedTask,
    MissingTerminal,
    TrainingCycle,
    ReportingCycle,
    DeadEndStage,
    NoPathToTerminal,
    AmbiguousBranch,
    DuplicateTransition,
    StageWithoutOwner,
    StageWithoutExitCriteria,
    TaskWithoutDoneCriteria,
    TaskWithoutDue,
    UntrainedOwner,
    RoleWithoutTraining,
    RoleWithoutResponsibilities,
    KpiWithoutTarget,
    KpiWithoutOwner,
    GoalWithoutTarget,
    GoalWithoutDeadline,
    NoFeedback,
    SopWithoutReview,
    UnusedDefinition,
    UnusedSuppression,
    InvalidConfig,
    BidiControl,
    ReviewOverdue,
    TaskDueExceedsSla,
    UnitMismatch,
    TransitionFromTerminal,
    InvalidSuppression,
    UnusedOverride,
}

impl RuleId {
    /// The check's place in the registry table.
    pub fn index(self) -> usize {
        self as usize
    }
}
