//! The `invalid-suppression` check (warning by default): reports a `# sopc:` comment that is
//! not a well-formed `allow(...)`.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a comment that starts with `# sopc:` but is not a well-formed suppression
    /// `# sopc: allow(rule-name, other-rule)`: the parentheses are missing or not closed, the
    /// list is empty, or the word is not `allow` (`alow`, `allows`, `disable`). Text after the
    /// closing `)` is allowed: it is the reason (`-- the customer sets the date`).
    /// `# sopc: fmt-ignore-file`, which keeps `sopc fmt` away from a file, is not a suppression
    /// and is not reported.
    ///
    /// ## Why it matters
    ///
    /// A malformed suppression silences nothing, and nothing else says so: the author believes
    /// the finding is accepted on purpose while it keeps failing the build, or, worse, a
    /// reviewer reads the comment as a decision that was never applied.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// # sopc: allow task-without-due
    /// role rep { responsibilities "Sell" }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    ///
    /// role rep { responsibilities "Sell" }
    ///
    /// training basics {
    ///   for rep
    ///   when new_hire
    /// }
    ///
    /// pipeline deals {
    ///   stage lead {
    ///     owner rep
    ///     exit "Qualified"
    ///     # sopc: allow(task-without-due) -- the customer sets the date
    ///     task call { done_when "Called" }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    ///
    /// feedback weekly_review {
    ///   cadence weekly
    ///   owner rep
    ///   with rep
    /// }
    /// ```
    pub static INVALID_SUPPRESSION = "invalid-suppression", Warning,
        "a comment starting with `# sopc:` is not a well-formed `allow(...)`", None;
}
