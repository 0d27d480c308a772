//! The `ambiguous-branch` check (warning by default): reports a stage with two or more `->`
//! where at least one has no `when`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a stage with two or more `->` where at least one has no `when` condition. The
    /// finding points at the stage, with a label on each `->` that lacks a condition.
    ///
    /// ## Why it matters
    ///
    /// When a stage can lead to several others, the person doing the work must know which way to
    /// go. A branch without a condition leaves it to chance.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> won when "signed" -> lost }
    ///   stage won { terminal }
    ///   stage lost { terminal }
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
    ///   stage lead { owner rep exit "Decided" -> won when "signed" -> lost when "declined" }
    ///   stage won { terminal }
    ///   stage lost { terminal }
    /// }
    /// ```
    pub static AMBIGUOUS_BRANCH = "ambiguous-branch", Warning,
        "a stage has two or more `->` and at least one has no `when`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in p.stages.iter().filter(|s| s.transitions.len() >= 2) {
            let bare: Vec<_> = s.transitions.iter().filter(|t| t.when.is_none()).collect();
            if bare.is_empty() {
                continue;
            }
            let mut d = Diagnostic::new(
                RuleId::AmbiguousBranch,
                s.def.loc,
                match bare.as_slice() {
                    [one] => format!(
                        "stage `{}` branches, but `-> {}` has no `when`",
                        s.def.id, one.target.name
                    ),
                    many => format!(
                        "stage `{}` branches, but {} of its {} `->` have no `when`",
                        s.def.id,
                        many.len(),
                        s.transitions.len()
                    ),
                },
            )
            .with_label("this stage branches")
            .with_help("give every `->` of a branching stage a condition: `-> STAGE when \"...\"`")
            .with_names([p.def.id.clone(), s.def.id.clone()]);
            for t in bare {
                d = d.with_secondary(t.loc, format!("when is `-> {}` taken?", t.target.name));
            }
            out.push(d);
        }
    }
}
