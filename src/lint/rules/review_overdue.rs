//! The `review-overdue` check (warning by default): reports a `sop` header whose `reviewed`
//! date plus one `review` cadence is before today.

use crate::diag::{Diagnostic, Loc};
use crate::lint::calendar;
use crate::lint::context::Context;
use crate::rule_id::RuleId;
use crate::syntax::Cadence;

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports an SOP whose next review is past: the `sop` header's `reviewed` date plus one
    /// `review` cadence lies before today. "Today" is the current UTC date, or the date given
    /// with `sopc check --today YYYY-MM-DD` for a reproducible run. A review due today is not
    /// overdue yet. `monthly`, `quarterly` and `yearly` add calendar months; `daily`, `weekly`,
    /// `biweekly` and `every DURATION` add days. The finding points at `reviewed`.
    ///
    /// ## Why it matters
    ///
    /// An SOP is checked and adjusted periodically, or it drifts away from how the team really
    /// works: the handbook then teaches steps nobody follows. A date in the file makes the
    /// promise of `review quarterly` something a CI run can hold the owner to.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// Reviewed quarterly, last on 2020-01-15: the next review was due on 2020-04-15.
    ///
    /// ```sop
    /// sop sales {
    ///   review quarterly
    ///   reviewed 2020-01-15
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// Checked with `--today 2026-12-01`: the next review is due on 2027-02-16. After the
    /// review, set `reviewed` to its date.
    ///
    /// ```sop
    /// sop sales {
    ///   review quarterly
    ///   reviewed 2026-11-16
    /// }
    /// ```
    pub static REVIEW_OVERDUE = "review-overdue", Warning,
        "`reviewed` plus one `review` cadence lies before today", Some(check);
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(h) = &cx.model.header else { return };
    let (Some(review), Some(reviewed)) = (&h.review, &h.reviewed) else {
        return;
    };
    let Some(due) = calendar::review_due(h) else {
        return;
    };
    if due >= cx.today {
        return;
    }
    let cadence = match &review.value {
        Cadence::Named(named, _) => named.keyword().to_string(),
        Cadence::Every(d, _) => format!("every {}", d.text),
    };
    out.push(
        Diagnostic::new(
            RuleId::ReviewOverdue,
            Loc::new(h.def.file(), reviewed.span),
            format!(
                "the review of `{}` is overdue: last reviewed on {}, the `{cadence}` review was due on {due}",
                h.def.id, reviewed.text
            ),
        )
        .with_label(format!("next review due on {due}"))
        .with_secondary(review.loc, "the review cadence")
        .with_help("review the SOP with its owner, then set `reviewed` to the date of that review")
        .with_names([h.def.id.clone()]),
    );
}
