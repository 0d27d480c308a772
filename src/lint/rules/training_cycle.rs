//! The `training-cycle` check (error by default): reports training prerequisites (`requires`)
//! that form a cycle.

use petgraph::graph::DiGraph;

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::lint::graph;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports training prerequisites (`requires` in a `training`) that form a cycle, and shows
    /// the cycle. The finding points where the cycle closes in reading order: at the `requires`
    /// of the training of the cycle read last, with labels on the other links.
    ///
    /// ## Why it matters
    ///
    /// When training A needs B first and B needs A first, nobody can ever start either: the
    /// training plan cannot be put in order.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// training basics { requires advanced }
    /// training advanced { requires basics }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// training basics { }
    /// training advanced { requires basics }
    /// ```
    pub static TRAINING_CYCLE = "training-cycle", Error,
        "training prerequisites (`requires`) form a cycle", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let trainings = &cx.model.trainings;
    let mut g: DiGraph<usize, usize> = DiGraph::new();
    let nodes: Vec<_> = (0..trainings.len()).map(|i| g.add_node(i)).collect();
    for (i, t) in trainings.iter().enumerate() {
        for (ri, r) in t.requires.iter().enumerate() {
            if let Some(j) = r.target {
                g.add_edge(nodes[i], nodes[j], ri);
            }
        }
    }
    for cycle in graph::cycles(&g) {
        let ids: Vec<usize> = cycle.iter().map(|n| g[*n]).collect();
        let next = |k: usize| ids[(k + 1) % ids.len()];
        // Reported where the cycle closes in reading order: at the `requires` of the training
        // read last, like a duplicate or an import cycle.
        let closed = graph::Closed::new(&ids, |i| trainings[i].def.id.clone());
        let last = closed.last;
        let closing = &trainings[ids[last]];
        let edge = closing
            .requires
            .iter()
            .find(|r| r.target == Some(next(last)))
            .expect("the cycle follows a requires");
        let shown = closed.chain();
        let mut d = Diagnostic::new(
            RuleId::TrainingCycle,
            edge.loc,
            format!("training prerequisites form a cycle: {shown}"),
        )
        .with_label(format!(
            "`{}` requires `{}`, closing the cycle",
            closing.def.id, edge.name
        ))
        .with_help("remove one `requires` of the cycle so the trainings can be taken in order");
        for k in closed.others() {
            let t = &trainings[ids[k]];
            if let Some(r) = t.requires.iter().find(|r| r.target == Some(next(k))) {
                d = d.with_secondary(r.loc, format!("`{}` requires `{}`", t.def.id, r.name));
            }
        }
        out.push(d.with_names(closed.names));
    }
}
