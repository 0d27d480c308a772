//! The `role-without-responsibilities` check (warning by default): reports a role without
//! `responsibilities`.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a role without `responsibilities`.
    ///
    /// ## Why it matters
    ///
    /// A role is defined by what it is responsible for. Without a list, duties overlap or fall
    /// between roles, and the handbook's role pages are empty.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role rep "Sales rep" { }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role rep "Sales rep" { responsibilities "Lead follow-up", "Customer relationships" }
    /// ```
    pub static ROLE_WITHOUT_RESPONSIBILITIES = "role-without-responsibilities", Warning,
        "a role has no `responsibilities`", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for role in cx
        .model
        .roles
        .iter()
        .filter(|r| r.responsibilities.is_empty())
    {
        out.push(
            Diagnostic::new(
                RuleId::RoleWithoutResponsibilities,
                role.def.loc,
                format!("role `{}` has no responsibilities", role.def.id),
            )
            .with_label("what is this role responsible for?")
            .with_help("add `responsibilities \"...\", \"...\"`")
            .with_names([role.def.id.clone()]),
        );
    }
}
