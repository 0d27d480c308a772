//! The `untrained-owner` check (warning by default): reports a stage that `requires` a training
//! whose `for` lacks the stage's owner.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a stage that `requires` a training whose `for` does not include the stage's
    /// owner role. The finding points at the training's name in `requires`.
    ///
    /// ## Why it matters
    ///
    /// The stage says its owner must have had the training; if the training is not planned for
    /// that role, the people doing the work are never trained for it.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" }
    /// role manager { responsibilities "Coach" }
    /// training negotiation { for manager }
    /// pipeline sales {
    ///   stage quote { owner rep requires negotiation exit "Agreed" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    /// role rep { responsibilities "Sell" }
    /// role manager { responsibilities "Coach" }
    /// training negotiation { for rep, manager }
    /// feedback weekly { cadence weekly owner manager with rep }
    /// pipeline sales {
    ///   stage quote { owner rep requires negotiation exit "Agreed" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static UNTRAINED_OWNER = "untrained-owner", Warning,
        "a stage `requires` a training whose `for` does not include the stage's owner", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // (training, role) for every `for`, so a stage's check does not walk a long `for` list.
    let planned: std::collections::HashSet<(usize, usize)> = m
        .trainings
        .iter()
        .enumerate()
        .flat_map(|(ti, t)| {
            t.for_roles
                .iter()
                .filter_map(move |f| Some((ti, f.target?)))
        })
        .collect();
    for p in &m.pipelines {
        for s in &p.stages {
            let Some(owner) = s.owner.as_ref() else {
                continue;
            };
            let Some(role) = owner.target else { continue };
            for r in &s.requires {
                let Some(ti) = r.target else { continue };
                let training = &m.trainings[ti];
                if planned.contains(&(ti, role)) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RuleId::UntrainedOwner,
                        r.loc,
                        format!(
                            "stage `{}` requires training `{}`, which is not for its owner `{}`",
                            s.def.id, training.def.id, owner.name
                        ),
                    )
                    .with_label(format!(
                        "`{}` is not planned for `{}`",
                        training.def.id, owner.name
                    ))
                    .with_secondary(training.def.loc, "the training is defined here")
                    .with_help(format!(
                        "add `{}` to the `for` of training `{}`",
                        owner.name, training.def.id
                    ))
                    .with_names([
                        s.def.id.clone(),
                        training.def.id.clone(),
                        owner.name.clone(),
                    ]),
                );
            }
        }
    }
}
