//! The `unowned-task` check (error by default): reports a task with no `owner` in a stage with
//! no `owner` either.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a task with no `owner` in a stage with no `owner` either: nobody is responsible
    /// for it. (A task's owner is its own `owner`, else its stage's.)
    ///
    /// ## Why it matters
    ///
    /// One clear owner per step is the point of an SOP. A task that belongs to nobody is a task
    /// nobody does.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" }
    /// pipeline sales {
    ///   stage lead {
    ///     task call { due 24h done_when "Called" }
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
    pub static UNOWNED_TASK = "unowned-task", Error,
        "a task has no owner, and its stage has none either", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for stage in p.stages.iter().filter(|s| s.owner.is_none()) {
            for task in stage.tasks.iter().filter(|t| t.owner.is_none()) {
                out.push(
                    Diagnostic::new(
                        RuleId::UnownedTask,
                        task.def.loc,
                        format!(
                            "task `{}` has no owner, and stage `{}` has none either",
                            task.def.id, stage.def.id
                        ),
                    )
                    .with_label("nobody owns this task")
                    .with_secondary(stage.def.loc, "this stage has no `owner`")
                    .with_help("add `owner ROLE` to the task, or to its stage")
                    .with_names([stage.def.id.clone(), task.def.id.clone()]),
                );
            }
        }
    }
}
