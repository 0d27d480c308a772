//! The `goal-without-deadline` check (warning by default): reports a goal with targets, none of
//! which has `by DATE`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a goal that has targets, none of which has `by DATE`. (A goal with no target at
    /// all is reported by `goal-without-target` instead.)
    ///
    /// ## Why it matters
    ///
    /// A target without a time frame can always be met later; a date turns it into a plan.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// kpi revenue { target >= 1 }
    /// goal growth { target revenue >= 5_000_000 CNY }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role lead { responsibilities "Report revenue" }
    /// kpi revenue { unit CNY target >= 1 owner lead }
    /// goal growth { target revenue >= 5_000_000 CNY by 2026-09-30 }
    /// ```
    pub static GOAL_WITHOUT_DEADLINE = "goal-without-deadline", Warning,
        "none of a goal's targets has `by DATE`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for g in &cx.model.goals {
        if g.targets.is_empty() || g.targets.iter().any(|t| t.by.is_some()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                RuleId::GoalWithoutDeadline,
                g.def.loc,
                format!("goal `{}` has no deadline", g.def.id),
            )
            .with_label("by when?")
            .with_help("end a target with `by YYYY-MM-DD`")
            .with_names([g.def.id.clone()]),
        );
    }
}
