//! The `reporting-cycle` check (error by default): reports `reports_to` links between roles
//! that form a cycle.

use petgraph::graph::DiGraph;

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::lint::graph;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports `reports_to` links between roles that form a cycle, and shows the cycle. The
    /// finding points where the cycle closes in reading order: at the `reports_to` of the role
    /// of the cycle read last, with labels on the other links.
    ///
    /// ## Why it matters
    ///
    /// A reporting line has to end somewhere: when the rep reports to the manager and the
    /// manager to the rep, nobody is the one to escalate to.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" reports_to manager }
    /// role manager { responsibilities "Coach" reports_to rep }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" reports_to manager }
    /// role manager { responsibilities "Coach" }
    /// ```
    pub static REPORTING_CYCLE = "reporting-cycle", Error,
        "`reports_to` forms a cycle", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let roles = &cx.model.roles;
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..roles.len()).map(|i| g.add_node(i)).collect();
    for (i, r) in roles.iter().enumerate() {
        if let Some(j) = r.reports_to.as_ref().and_then(|t| t.target) {
            g.add_edge(nodes[i], nodes[j], ());
        }
    }
    for cycle in graph::cycles(&g) {
        let ids: Vec<usize> = cycle.iter().map(|n| g[*n]).collect();
        // Reported where the cycle closes in reading order: at the role read last.
        let closed = graph::Closed::new(&ids, |i| roles[i].def.id.clone());
        let closing = &roles[ids[closed.last]];
        let link = closing.reports_to.as_ref().expect("in a cycle");
        let shown = closed.chain();
        let mut d = Diagnostic::new(
            RuleId::ReportingCycle,
            link.loc,
            format!("reporting lines form a cycle: {shown}"),
        )
        .with_label(format!(
            "`{}` reports to `{}`, closing the cycle",
            closing.def.id, link.name
        ))
        .with_help("remove one `reports_to` of the cycle so the line ends at the top role");
        for k in closed.others() {
            if let Some(r) = &roles[ids[k]].reports_to {
                d = d.with_secondary(
                    r.loc,
                    format!("`{}` reports to `{}`", roles[ids[k]].def.id, r.name),
                );
            }
        }
        out.push(d.with_names(closed.names));
    }
}
