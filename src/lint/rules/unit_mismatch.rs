//! The `unit-mismatch` check (warning by default): reports a goal `target` whose unit differs
//! from the `unit` of its kpi.

use crate::diag::{Diagnostic, Loc};
use crate::lint::context::Context;
use crate::model::name_key;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a goal `target` whose unit differs from the `unit` of the kpi it names, such as
    /// `target revenue >= 5_000_000 USD` for a kpi with `unit CNY`. It fires only when both
    /// the target and the kpi have a unit; a percentage (`30%`) is not a unit. The finding
    /// points at the target's unit, with a label on the kpi's.
    ///
    /// ## Why it matters
    ///
    /// The goal is measured by the kpi: when they count different things, the goal can never be
    /// read off the figures, and reports compare numbers that do not match.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// goal q3 {
    ///   target won >= 20 customers by 2026-09-30
    /// }
    ///
    /// kpi won {
    ///   unit deals
    ///   target >= 20 deals
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    ///
    /// role rep { responsibilities "Sell" }
    ///
    /// goal q3 {
    ///   target won >= 20 deals by 2026-09-30
    /// }
    ///
    /// kpi won {
    ///   unit deals
    ///   target >= 20 deals
    ///   owner rep
    /// }
    /// ```
    pub static UNIT_MISMATCH = "unit-mismatch", Warning,
        "a goal `target` names a kpi whose `unit` differs from the target's unit", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for g in &cx.model.goals {
        for t in &g.targets {
            let Some(unit) = &t.quantity.unit else {
                continue;
            };
            let Some(kpi) = t.kpi.target.and_then(|i| cx.model.kpis.get(i)) else {
                continue;
            };
            let Some(kpi_unit) = &kpi.unit else { continue };
            if name_key(&unit.name) == name_key(&kpi_unit.value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    RuleId::UnitMismatch,
                    Loc::new(t.loc.file, unit.span),
                    format!(
                        "goal `{}` sets a target in `{}` for kpi `{}`, which is measured in `{}`",
                        g.def.id, unit.name, kpi.def.id, kpi_unit.value
                    ),
                )
                .with_label(format!("`{}` here", unit.name))
                .with_secondary(
                    kpi_unit.loc,
                    format!("the kpi's unit is `{}`", kpi_unit.value),
                )
                .with_help(format!(
                    "write the target in `{}`, or point it at a kpi measured in `{}`",
                    kpi_unit.value, unit.name
                ))
                .with_names([
                    g.def.id.clone(),
                    kpi.def.id.clone(),
                    unit.name.clone(),
                ]),
            );
        }
    }
}
