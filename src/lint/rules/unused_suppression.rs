//! The `unused-suppression` check (info by default): reports a `# sopc: allow(...)` comment
//! that silences nothing.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a `# sopc: allow(...)` comment that silences nothing: no finding of the named
    /// checks falls inside the block below it, the comment is not directly above a block, or
    /// it names a check that does not exist.
    ///
    /// ## Why it matters
    ///
    /// Exceptions outlive their reasons. When the problem is fixed the comment should go, or it
    /// will hide the next real problem in that block.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// pipeline sales {
    ///   stage lead {
    ///     # sopc: allow(task-without-due)
    ///     task call { due 24h done_when "Called" }
    ///     -> won
    ///   }
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
    ///   stage lead {
    ///     owner rep
    ///     exit "Qualified"
    ///     # sopc: allow(task-without-due) -- the customer sets the date
    ///     task call { done_when "Called" }
    ///     -> won
    ///   }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static UNUSED_SUPPRESSION = "unused-suppression", Info,
        "a `# sopc: allow(...)` comment silences nothing", None;
}
