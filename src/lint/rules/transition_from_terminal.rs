//! The `transition-from-terminal` check (warning by default): reports a `->` out of a
//! `terminal` stage.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a `->` out of a `terminal` stage. The finding points at the `->`.
    ///
    /// ## Why it matters
    ///
    /// `terminal` says the work ends there: a won or lost deal. A transition out of it says the
    /// opposite, and the checks that follow the flow (`unreachable-stage`,
    /// `no-path-to-terminal`) then read a different process from the one people see. Either
    /// the stage is not the end, or the transition belongs to another stage.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> won }
    ///   stage won {
    ///     terminal
    ///     -> lead
    ///   }
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
    ///     exit "Qualified"
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
    pub static TRANSITION_FROM_TERMINAL = "transition-from-terminal", Warning,
        "a `terminal` stage has an outgoing `->`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in p.stages.iter().filter(|s| s.terminal) {
            for t in &s.transitions {
                out.push(
                    Diagnostic::new(
                        RuleId::TransitionFromTerminal,
                        t.loc,
                        format!(
                            "terminal stage `{}` has a transition `-> {}`",
                            s.def.id, t.target.name
                        ),
                    )
                    .with_label("the work ends at a terminal stage")
                    .with_secondary(s.def.loc, "marked `terminal`")
                    .with_help(
                        "remove the `->`, or remove `terminal` if the work goes on from this stage",
                    )
                    .with_names([
                        p.def.id.clone(),
                        s.def.id.clone(),
                        t.target.name.clone(),
                    ]),
                );
            }
        }
    }
}
