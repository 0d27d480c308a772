//! The `task-without-due` check (warning by default): reports a task without `due`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a task without `due` (the time allowed, counted from entering the stage).
    ///
    /// ## Why it matters
    ///
    /// Every task should have a time frame; without one, nothing tells the owner or the manager
    /// that the work is late.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead {
    ///     task call { done_when "Called" }
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
    ///     task call { due 24h done_when "Called" }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static TASK_WITHOUT_DUE = "task-without-due", Warning, "a task has no `due`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in &p.stages {
            for t in s.tasks.iter().filter(|t| t.due.is_none()) {
                out.push(
                    Diagnostic::new(
                        RuleId::TaskWithoutDue,
                        t.def.loc,
                        format!("task `{}` has no due time", t.def.id),
                    )
                    .with_label("by when must this be done?")
                    .with_help(
                        "add `due DURATION`, e.g. `due 24h`, counted from entering the stage",
                    )
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
