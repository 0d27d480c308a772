//! The `goal-without-target` check (warning by default): reports a goal without any `target`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a goal without any `target`.
    ///
    /// ## Why it matters
    ///
    /// A goal is a number to reach by a date. "Grow in South China" is a wish; "new revenue
    /// >= 5,000,000 CNY by 2026-09-30" is a goal the team can plan for.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// goal growth { region "South China" }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role lead { responsibilities "Report revenue" }
    /// kpi revenue { unit CNY target >= 1 owner lead }
    /// goal growth { region "South China" target revenue >= 5_000_000 CNY by 2026-09-30 }
    /// ```
    pub static GOAL_WITHOUT_TARGET = "goal-without-target", Warning, "a goal has no `target`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for g in cx.model.goals.iter().filter(|g| g.targets.is_empty()) {
        out.push(
            Diagnostic::new(
                RuleId::GoalWithoutTarget,
                g.def.loc,
                format!("goal `{}` has no target", g.def.id),
            )
            .with_label("how will you know it is reached?")
            .with_help("add `target KPI >= VALUE by YYYY-MM-DD`")
            .with_names([g.def.id.clone()]),
        );
    }
}
