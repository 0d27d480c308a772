//! The `role-without-training` check (warning by default): reports a role that owns a stage or
//! a task but that no training is `for`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a role that owns a stage or a task but that no training is `for`.
    ///
    /// ## Why it matters
    ///
    /// People who carry out the process need to learn it: new hires need onboarding and
    /// everybody needs practice. A role with work and no training is learning on the customer.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep { responsibilities "Sell" }
    /// pipeline sales {
    ///   stage lead { owner rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    /// role rep { responsibilities "Sell" }
    /// training onboarding { for rep when new_hire }
    /// feedback weekly { cadence weekly owner rep with rep }
    /// pipeline sales {
    ///   stage lead { owner rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static ROLE_WITHOUT_TRAINING = "role-without-training", Warning,
        "a role owns a stage or a task, but no training is `for` it", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    let mut owns = vec![false; m.roles.len()];
    for p in &m.pipelines {
        for s in &p.stages {
            let owners = s
                .owner
                .iter()
                .chain(s.tasks.iter().filter_map(|t| t.owner.as_ref()));
            for r in owners {
                if let Some(i) = r.target {
                    owns[i] = true;
                }
            }
        }
    }
    let mut trained = vec![false; m.roles.len()];
    for t in &m.trainings {
        for r in &t.for_roles {
            if let Some(i) = r.target {
                trained[i] = true;
            }
        }
    }
    for (i, role) in m.roles.iter().enumerate() {
        if owns[i] && !trained[i] {
            out.push(
                Diagnostic::new(
                    RuleId::RoleWithoutTraining,
                    role.def.loc,
                    format!("role `{}` owns work but has no training", role.def.id),
                )
                .with_label("no training is `for` this role")
                .with_help(format!(
                    "add a training for it, e.g. `training onboarding {{ for {} when new_hire }}`",
                    role.def.id
                ))
                .with_names([role.def.id.clone()]),
            );
        }
    }
}
