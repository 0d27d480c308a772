//! The `duplicate-transition` check (warning by default): reports a `-> target` given a second
//! time in the same stage.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a `-> target` that appears a second time in the same stage, whatever the `when`
    /// conditions say. The later one is reported, with a label on the first.
    ///
    /// ## Why it matters
    ///
    /// Two ways to the same stage are one way with two conditions: merge the conditions so the
    /// diagram and the checklist show one transition.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead { -> won when "signed" -> won when "paid" }
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
    /// feedback weekly { cadence weekly owner rep with rep }
    /// pipeline sales {
    ///   stage lead { owner rep exit "Signed or paid" -> won when "signed or paid" }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static DUPLICATE_TRANSITION = "duplicate-transition", Warning,
        "the same `-> target` appears twice in one stage", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.pipelines {
        for s in &p.stages {
            let mut first = HashMap::new();
            for t in &s.transitions {
                // Names compare after NFC normalization, as everywhere.
                let key = crate::model::name_key(&t.target.name);
                match first.get(&key) {
                    None => {
                        first.insert(key, t.loc);
                    }
                    Some(earlier) => out.push(
                        Diagnostic::new(
                            RuleId::DuplicateTransition,
                            t.loc,
                            format!("stage `{}` has `-> {}` twice", s.def.id, t.target.name),
                        )
                        .with_label("the same target again")
                        .with_secondary(*earlier, "first here")
                        .with_help("keep one `->` and combine the conditions in its `when`")
                        .with_names([s.def.id.clone(), t.target.name.clone()]),
                    ),
                }
            }
        }
    }
}
