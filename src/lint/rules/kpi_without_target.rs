//! The `kpi-without-target` check (warning by default): reports a kpi without a `target`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a kpi without a `target`.
    ///
    /// ## Why it matters
    ///
    /// A measure without a target cannot tell you whether the process works: there is nothing to
    /// compare the figure with.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// kpi revenue { unit CNY }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role lead { responsibilities "Report revenue" }
    /// kpi revenue { unit CNY target >= 5_000_000 per quarter owner lead }
    /// ```
    pub static KPI_WITHOUT_TARGET = "kpi-without-target", Warning, "a kpi has no `target`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for k in cx.model.kpis.iter().filter(|k| k.target.is_none()) {
        out.push(
            Diagnostic::new(
                RuleId::KpiWithoutTarget,
                k.def.loc,
                format!("kpi `{}` has no target", k.def.id),
            )
            .with_label("what value counts as good?")
            .with_help("add `target >= VALUE`, optionally `per month` or another period")
            .with_names([k.def.id.clone()]),
        );
    }
}
