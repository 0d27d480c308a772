//! The `unreachable-stage` check (error by default): reports a stage no chain of `->` leads to
//! from its pipeline's start.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::lint::graph;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a stage that no chain of `->` transitions leads to from its pipeline's start stage
    /// (`start`, else the first stage declared).
    ///
    /// While a stage reachable from the start has a `->` to a name that is no stage of the
    /// pipeline, nothing is reported here: that `->` may be meant for any stage, and
    /// `undefined-reference` reports it. Once the name is fixed, the stages still out of reach
    /// are reported.
    ///
    /// ## Why it matters
    ///
    /// No deal ever enters an unreachable stage: its tasks are never done and its owner never
    /// acts. Usually a `->` is missing or points at the wrong stage.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// sop s { review quarterly }
    /// pipeline sales {
    ///   stage lead { -> won }
    ///   stage demo { -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop s { review quarterly }
    /// role rep { responsibilities "Sell" }
    /// training basics { for rep when new_hire }
    /// feedback weekly { cadence weekly owner rep with rep }
    /// pipeline sales {
    ///   stage lead { owner rep exit "Interested" -> demo }
    ///   stage demo { owner rep exit "Demo given" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static UNREACHABLE_STAGE = "unreachable-stage", Error,
        "a stage cannot be reached from its pipeline's start stage", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        let Some(start) = p.start_stage() else {
            continue;
        };
        let start_stage = &p.stages[start];
        let seen = graph::reachable_from(&p.graph, start_stage.node);
        if graph::broken_edges(p).iter().any(|n| seen[n.index()]) {
            // A `->` on the way leads to an unknown stage, which may be any of them.
            continue;
        }
        for stage in &p.stages {
            if seen[stage.node.index()] {
                continue;
            }
            out.push(
                Diagnostic::new(
                    RuleId::UnreachableStage,
                    stage.def.loc,
                    format!(
                        "stage `{}` cannot be reached from `{}`",
                        stage.def.id, start_stage.def.id
                    ),
                )
                .with_label("no `->` leads here")
                .with_secondary(start_stage.def.loc, "the pipeline starts here")
                .with_help(format!(
                    "add `-> {}` to the stage that comes before it, or remove the stage",
                    stage.def.id
                ))
                .with_names([p.def.id.clone(), stage.def.id.clone()]),
            );
        }
    }
}
