//! The `task-without-done-criteria` check (warning by default): reports a task without
//! `done_when`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a task without `done_when`.
    ///
    /// ## Why it matters
    ///
    /// A task needs a completion standard: "call the lead" is done when what is known? Without
    /// one, the checklist box gets ticked whatever the result.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead {
    ///     task call { due 24h }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    /// role rep { responsibilities "Sell" }
    /// training basics { for rep when new_hire }
    /// feedback weekly { cadence weekly owner rep with rep }
    /// pipeline sales {
    ///   stage lead {
    ///     owner rep
    ///     exit "Qualified"
    ///     task call { due 24h done_when "Budget and decision maker known" }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static TASK_WITHOUT_DONE_CRITERIA = "task-without-done-criteria", Warning,
        "a task has no `done_when`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in &p.stages {
            for t in s.tasks.iter().filter(|t| t.done_when.is_none()) {
                out.push(
                    Diagnostic::new(
                        RuleId::TaskWithoutDoneCriteria,
                        t.def.loc,
                        format!("task `{}` has no completion criteria", t.def.id),
                    )
                    .with_label("when is this task done?")
                    .with_help("add `done_when \"...\"` with the result that completes the task")
                    .with_names([
                        p.def.id.clone(),
                        s.def.id.clone(),
                        t.def.id.clone(),
                    ]),
                );
            }
        }
    }
}
