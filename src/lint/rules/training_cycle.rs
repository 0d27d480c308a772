use petgraph::graph::DiGraph;

use crate::diag::Diagnostic;
use crate::lint::{Context, graph};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports training prerequisites (`requires` in a `training`) that form a cycle, and shows
    /// the cycle. The finding points at the `requires` of the first training of the cycle in
    /// reading order.
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
        let first = &trainings[ids[0]];
        let next = &trainings[ids[(1) % ids.len()]];
        let edge = first
            .requires
            .iter()
            .find(|r| r.target == Some(ids[1 % ids.len()]))
            .expect("the cycle follows a requires");
        let mut names: Vec<String> = ids.iter().map(|&i| trainings[i].def.id.clone()).collect();
        names.push(first.def.id.clone());
        let shown = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" -> ");
        let mut d = Diagnostic::new(
            TRAINING_CYCLE.name,
            edge.loc,
            format!("training prerequisites form a cycle: {shown}"),
        )
        .with_label(format!("`{}` requires `{}`", first.def.id, next.def.id))
        .with_help("remove one `requires` of the cycle so the trainings can be taken in order");
        for w in 1..ids.len() {
            let t = &trainings[ids[w]];
            if let Some(r) = t
                .requires
                .iter()
                .find(|r| r.target == Some(ids[(w + 1) % ids.len()]))
            {
                d = d.with_secondary(r.loc, format!("`{}` requires `{}`", t.def.id, r.name));
            }
        }
        names.pop();
        out.push(d.with_names(names));
    }
}
