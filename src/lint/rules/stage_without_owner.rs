//! The `stage-without-owner` check (warning by default): reports a non-terminal stage, or a
//! terminal one with tasks, without an `owner`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a non-terminal stage, or a terminal stage that has tasks, without an `owner`.
    ///
    /// ## Why it matters
    ///
    /// Every step of the process needs one person accountable for moving the work on; without it
    /// deals wait in the stage with nobody to chase them.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" }
    /// pipeline sales {
    ///   stage lead { exit "Qualified" -> won }
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
    ///   stage lead { owner rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static STAGE_WITHOUT_OWNER = "stage-without-owner", Warning,
        "a non-terminal stage, or a terminal stage with tasks, has no `owner`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in &p.stages {
            if s.owner.is_some() || (s.terminal && s.tasks.is_empty()) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    RuleId::StageWithoutOwner,
                    s.def.loc,
                    format!("stage `{}` has no owner", s.def.id),
                )
                .with_label("who is accountable for this stage?")
                .with_help("add `owner ROLE` naming the role that moves work through this stage")
                .with_names([p.def.id.clone(), s.def.id.clone()]),
            );
        }
    }
}
