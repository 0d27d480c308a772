//! The `no-feedback` check (warning by default): reports a document with a pipeline but no
//! `feedback` block, own or imported.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a document (a file with a `sop` header) that has a pipeline but no `feedback`
    /// block, neither its own nor imported. The finding points at the `sop` header.
    ///
    /// ## Why it matters
    ///
    /// A process improves only when its results are discussed: weekly one-on-ones and team
    /// meetings are where figures turn into corrections.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// sop sales { review quarterly }
    /// pipeline p {
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
    /// pipeline p {
    ///   stage lead { owner rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// feedback weekly_one_on_one { cadence weekly owner rep with rep }
    /// ```
    pub static NO_FEEDBACK = "no-feedback", Warning, "a document with a pipeline has no `feedback` block", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    let Some(header) = &m.header else { return };
    if m.pipelines.is_empty() || !m.feedbacks.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            RuleId::NoFeedback,
            header.def.loc,
            format!("document `{}` has a pipeline but no feedback loop", header.def.id),
        )
        .with_label("no `feedback` block")
        .with_help("add a `feedback` block, e.g. `feedback one_on_one { cadence weekly owner MANAGER with REP covers KPI }`")
        .with_names([header.def.id.clone()]),
    );
}
