//! The `unused-definition` check (info by default): reports a role, training or kpi that
//! nothing uses.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::model::{Def, Model, Ref};
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports definitions nothing uses: a role that no `owner`, `for`, `with` or `reports_to`
    /// names; a training with no `for` that no `requires` names; a kpi with no `stage` that no
    /// goal `target` and no feedback `covers` names. Only definitions in a document's own file
    /// are reported: a library's definitions are there for other files.
    ///
    /// ## Why it matters
    ///
    /// Leftovers make the handbook longer and suggest duties, trainings or measures that nobody
    /// carries out. Remove them or connect them.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// sop s { review quarterly owner lead }
    /// role lead { responsibilities "Own the SOP" }
    /// role trainer { responsibilities "Teach" }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop s { review quarterly owner lead }
    /// role lead { responsibilities "Own the SOP" }
    /// role trainer { responsibilities "Teach" reports_to lead }
    /// training onboarding { for lead }
    /// feedback coaching { owner trainer with lead }
    /// ```
    pub static UNUSED_DEFINITION = "unused-definition", Info,
        "a role, training or kpi that nothing names", Some(check);
}

fn mark(used: &mut [bool], r: &Ref) {
    if let Some(i) = r.target {
        used[i] = true;
    }
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    if !cx.is_document() {
        return;
    }
    let (roles, trainings, kpis) = usage(m);
    let mut report = |def: &Def, kind: &str, help: &str| {
        if m.is_own(def) {
            out.push(
                Diagnostic::new(
                    RuleId::UnusedDefinition,
                    def.loc,
                    format!("{kind} `{}` is never used", def.id),
                )
                .with_label("nothing refers to this")
                .with_help(help.to_string())
                .with_names([def.id.clone()]),
            );
        }
    };
    for (r, used) in m.roles.iter().zip(&roles) {
        if !used {
            report(
                &r.def,
                "role",
                "name it in an `owner`, `for`, `with` or `reports_to`, or remove it",
            );
        }
    }
    for (t, used) in m.trainings.iter().zip(&trainings) {
        if !used {
            report(
                &t.def,
                "training",
                "say who takes it with `for ROLE`, or remove it",
            );
        }
    }
    for (k, used) in m.kpis.iter().zip(&kpis) {
        if !used {
            report(
                &k.def,
                "kpi",
                "tie it to a `stage`, a goal `target` or a feedback `covers`, or remove it",
            );
        }
    }
}

/// Which roles, trainings and kpis are used, index by index.
fn usage(m: &Model) -> (Vec<bool>, Vec<bool>, Vec<bool>) {
    let mut roles = vec![false; m.roles.len()];
    let mut trainings = vec![false; m.trainings.len()];
    let mut kpis = vec![false; m.kpis.len()];
    let owner = |o: &Option<Ref>, roles: &mut Vec<bool>| {
        if let Some(r) = o {
            mark(roles, r);
        }
    };
    if let Some(h) = &m.header {
        owner(&h.owner, &mut roles);
    }
    for g in &m.goals {
        owner(&g.owner, &mut roles);
        for t in &g.targets {
            mark(&mut kpis, &t.kpi);
        }
    }
    for s in &m.strategies {
        owner(&s.owner, &mut roles);
    }
    for r in &m.roles {
        owner(&r.reports_to, &mut roles);
    }
    for p in &m.pipelines {
        for s in &p.stages {
            owner(&s.owner, &mut roles);
            for t in &s.tasks {
                owner(&t.owner, &mut roles);
            }
            for r in &s.requires {
                mark(&mut trainings, r);
            }
        }
    }
    for (i, t) in m.trainings.iter().enumerate() {
        for r in &t.for_roles {
            mark(&mut roles, r);
        }
        if !t.for_roles.is_empty() {
            trainings[i] = true;
        }
        for r in &t.requires {
            mark(&mut trainings, r);
        }
    }
    for (i, k) in m.kpis.iter().enumerate() {
        owner(&k.owner, &mut roles);
        if k.stage.is_some() {
            kpis[i] = true;
        }
    }
    for f in &m.feedbacks {
        owner(&f.owner, &mut roles);
        for r in &f.with {
            mark(&mut roles, r);
        }
        for r in &f.covers {
            mark(&mut kpis, r);
        }
    }
    (roles, trainings, kpis)
}
