//! The `dead-end-stage` check (warning by default): reports a stage that is not `terminal` and
//! has no outgoing `->`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a stage that is not `terminal` and has no outgoing `->`.
    ///
    /// A stage whose `->` names no stage is not a dead end: its author said what comes next and
    /// mistyped it, which `undefined-reference` reports.
    ///
    /// ## Why it matters
    ///
    /// Work that enters a dead end stays there: the SOP does not say what happens next, so every
    /// rep improvises.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> on_hold }
    ///   stage on_hold { }
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
    ///   stage lead { owner rep exit "Qualified" -> on_hold }
    ///   stage on_hold { owner rep exit "Budget approved" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static DEAD_END_STAGE = "dead-end-stage", Warning,
        "a non-terminal stage has no outgoing `->`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in p
            .stages
            .iter()
            .filter(|s| !s.terminal && s.transitions.is_empty())
        {
            out.push(
                Diagnostic::new(RuleId::DeadEndStage, s.def.loc, format!("stage `{}` has no way out", s.def.id))
                    .with_label("no `->` and not `terminal`")
                    .with_help("add `-> NEXT_STAGE` to say what comes next, or mark it `terminal` if the process ends here")
                    .with_names([p.def.id.clone(), s.def.id.clone()]),
            );
        }
    }
}
