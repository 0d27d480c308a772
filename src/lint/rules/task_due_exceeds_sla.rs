//! The `task-due-exceeds-sla` check (warning by default): reports a task whose `due` is longer
//! than its stage's `sla`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a task whose `due` is longer than its stage's `sla`. Both count from entering
    /// the stage, so such a task cannot be done in time without the stage running late. The
    /// finding points at the task's `due`, with a label on the stage's `sla`.
    ///
    /// ## Why it matters
    ///
    /// The task's owner plans by `due` and the manager watches the `sla`: when they disagree,
    /// one of them is wrong, and the stage misses its time whenever the task uses the time it
    /// was given.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead {
    ///     sla 2d
    ///     task call { due 3d done_when "Called" }
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
    ///
    /// role rep { responsibilities "Sell" }
    ///
    /// training basics {
    ///   for rep
    ///   when new_hire
    /// }
    ///
    /// pipeline deals {
    ///   stage lead {
    ///     owner rep
    ///     sla 2d
    ///     exit "Qualified"
    ///     task call {
    ///       due 24h
    ///       done_when "Called"
    ///     }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    ///
    /// feedback weekly_review {
    ///   cadence weekly
    ///   owner rep
    ///   with rep
    /// }
    /// ```
    pub static TASK_DUE_EXCEEDS_SLA = "task-due-exceeds-sla", Warning,
        "a task's `due` is longer than its stage's `sla`", Some(check);
}

/// The duration in minutes; `None` when it is zero or too long, which `invalid-value` reports.
fn minutes(d: &crate::syntax::Duration) -> Option<u64> {
    d.amount.filter(|&n| n > 0)?.checked_mul(d.unit.minutes())
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in &p.stages {
            let Some(sla) = &s.sla else { continue };
            let Some(sla_minutes) = minutes(&sla.value) else {
                continue;
            };
            for t in &s.tasks {
                let Some(due) = &t.due else { continue };
                if minutes(&due.value).is_none_or(|m| m <= sla_minutes) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RuleId::TaskDueExceedsSla,
                        due.loc,
                        format!(
                            "task `{}` is due in `{}`, longer than the `{}` sla of stage `{}`",
                            t.def.id, due.value.text, sla.value.text, s.def.id
                        ),
                    )
                    .with_label("longer than the stage's sla")
                    .with_secondary(sla.loc, "the stage's sla")
                    .with_help(format!(
                        "shorten the task's `due` to at most `{}`, or give the stage a longer `sla`",
                        sla.value.text
                    ))
                    .with_names([p.def.id.clone(), s.def.id.clone(), t.def.id.clone()]),
                );
            }
        }
    }
}
