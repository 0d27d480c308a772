//! The `stage-without-exit-criteria` check (warning by default): reports a non-terminal stage
//! without `exit` criteria.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a non-terminal stage without `exit` criteria.
    ///
    /// ## Why it matters
    ///
    /// Exit criteria say when the work of a stage is done and the deal may move on. Without them
    /// each rep decides alone, and the stages mean different things to different people.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> won }
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
    ///   stage lead { owner rep exit "Contact details complete" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static STAGE_WITHOUT_EXIT_CRITERIA = "stage-without-exit-criteria", Warning,
        "a non-terminal stage has no `exit`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in p.stages.iter().filter(|s| !s.terminal && s.exit.is_empty()) {
            out.push(
                Diagnostic::new(
                    RuleId::StageWithoutExitCriteria,
                    s.def.loc,
                    format!("stage `{}` has no exit criteria", s.def.id),
                )
                .with_label("when is this stage done?")
                .with_help("add `exit \"...\"` saying what must be true before the work moves on")
                .with_names([p.def.id.clone(), s.def.id.clone()]),
            );
        }
    }
}
