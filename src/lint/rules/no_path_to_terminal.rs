//! The `no-path-to-terminal` check (warning by default): reports a reachable stage with
//! outgoing `->` from which no `terminal` stage can be reached.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::lint::graph;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a stage that can be reached from the start and has outgoing `->`, but from which
    /// no `terminal` stage can be reached: the work loops forever. In a pipeline without any
    /// terminal stage (itself a `missing-terminal` error) this holds for every such stage.
    ///
    /// A `->` to a name that is no stage of the pipeline is reported by `undefined-reference`
    /// alone: where it leads is unknown until the name is fixed, so a stage from which such a
    /// `->` can be reached is not reported here.
    ///
    /// ## Why it matters
    ///
    /// A deal caught in such a loop never closes, and nothing in the SOP says how to get out.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> nurture when "not ready" -> won when "signed" }
    ///   stage nurture { -> nurture }
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
    ///   stage lead { owner rep exit "Decided" -> nurture when "not ready" -> won when "signed" }
    ///   stage nurture { owner rep exit "Ready again" -> lead }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static NO_PATH_TO_TERMINAL = "no-path-to-terminal", Warning,
        "a reachable stage has transitions but no terminal stage is reachable from it", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        let terminals: Vec<_> = p
            .stages
            .iter()
            .filter(|s| s.terminal)
            .map(|s| s.node)
            .collect();
        let Some(start) = p.start_stage() else {
            continue;
        };
        let reachable = graph::reachable_from(&p.graph, p.stages[start].node);
        let ends = graph::reaching(&p.graph, &terminals);
        let unknown = graph::reaching(&p.graph, &graph::broken_edges(p));
        for s in &p.stages {
            let i = s.node.index();
            if reachable[i] && !ends[i] && !unknown[i] && !s.transitions.is_empty() {
                out.push(
                    Diagnostic::new(
                        RuleId::NoPathToTerminal,
                        s.def.loc,
                        format!("no terminal stage can be reached from stage `{}`", s.def.id),
                    )
                    .with_label("work that gets here never finishes")
                    .with_help("add a `->` from this stage, or from a stage after it, that leads to a `terminal` stage")
                    .with_names([p.def.id.clone(), s.def.id.clone()]),
                );
            }
        }
    }
}
