//! The `kpi-without-owner` check (warning by default): reports a kpi without an `owner`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a kpi without an `owner`.
    ///
    /// ## Why it matters
    ///
    /// Somebody has to watch each measure and act when it misses its target; a figure that
    /// belongs to nobody is read by nobody.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// kpi revenue { target >= 5_000_000 }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role manager { responsibilities "Team results" }
    /// kpi revenue { target >= 5_000_000 owner manager }
    /// ```
    pub static KPI_WITHOUT_OWNER = "kpi-without-owner", Warning, "a kpi has no `owner`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for k in cx.model.kpis.iter().filter(|k| k.owner.is_none()) {
        out.push(
            Diagnostic::new(
                RuleId::KpiWithoutOwner,
                k.def.loc,
                format!("kpi `{}` has no owner", k.def.id),
            )
            .with_label("who watches this figure?")
            .with_help("add `owner ROLE` naming the role that answers for this kpi")
            .with_names([k.def.id.clone()]),
        );
    }
}
