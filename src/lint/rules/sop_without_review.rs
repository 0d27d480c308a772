//! The `sop-without-review` check (warning by default): reports a `sop` header without a
//! `review` cadence.

use crate::diag::Diagnostic;
use crate::lint::context::Context;
use crate::rule_id::RuleId;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a `sop` header without a `review` cadence.
    ///
    /// ## Why it matters
    ///
    /// Markets, products and teams change; an SOP nobody reviews drifts away from how the work
    /// is really done. A cadence puts the review in the calendar.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// sop sales "Sales procedure" { version "1.0" }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales "Sales procedure" { version "1.0" review quarterly }
    /// ```
    pub static SOP_WITHOUT_REVIEW = "sop-without-review", Warning, "the `sop` header has no `review` cadence", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(header) = &cx.model.header else {
        return;
    };
    if header.review.is_some() {
        return;
    }
    out.push(
        Diagnostic::new(
            RuleId::SopWithoutReview,
            header.def.loc,
            format!("sop `{}` has no review cadence", header.def.id),
        )
        .with_label("when is this procedure reviewed?")
        .with_help("add `review quarterly` (or another cadence) to the header")
        .with_names([header.def.id.clone()]),
    );
}
