//! The `missing-terminal` check (error by default): reports a pipeline without a `terminal`
//! stage.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a pipeline that has no `terminal` stage, an empty pipeline included.
    ///
    /// ## Why it matters
    ///
    /// A process without an end never finishes: there is no point at which a deal is won, lost
    /// or handed over, and no way to measure how long the work takes.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> deal }
    ///   stage deal { -> lead }
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
    ///   stage lead { owner rep exit "Qualified" -> deal }
    ///   stage deal { owner rep exit "Signed" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static MISSING_TERMINAL = "missing-terminal", Error,
        "a pipeline has no `terminal` stage", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in cx
        .model
        .pipelines
        .iter()
        .filter(|p| !p.stages.iter().any(|s| s.terminal))
    {
        let message = if p.stages.is_empty() {
            format!(
                "pipeline `{}` has no stages, so no terminal stage",
                p.def.id
            )
        } else {
            format!("pipeline `{}` has no terminal stage", p.def.id)
        };
        out.push(
            Diagnostic::new(RuleId::MissingTerminal, p.def.loc, message)
                .with_label("the work in this pipeline never ends")
                .with_help("add a stage that ends the process, e.g. `stage won \"Won\" { terminal }`, and lead to it with `->`")
                .with_names([p.def.id.clone()]),
        );
    }
}
