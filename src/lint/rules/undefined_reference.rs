//! The `undefined-reference` check (error by default): reports a name that refers to no
//! definition of the kind expected there.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a name that refers to no definition of the kind expected there: an `owner` that
    /// is no role, a `requires` that is no training, a `->` to a stage the pipeline does not
    /// have, a goal `target` or feedback `covers` that is no kpi. When a defined name is close,
    /// it suggests it.
    ///
    /// ## Why it matters
    ///
    /// A dangling name is a step nobody owns or a training nobody can find. It is usually a
    /// typo, or an `import` that was forgotten.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role sales_rep { responsibilities "Follow up leads" }
    /// pipeline sales {
    ///   stage lead { owner sales_repp exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// sop sales { review quarterly }
    /// role sales_rep { responsibilities "Follow up leads" }
    /// training basics { for sales_rep when new_hire }
    /// feedback weekly { cadence weekly owner sales_rep with sales_rep }
    /// pipeline sales {
    ///   stage lead { owner sales_rep exit "Qualified" -> won }
    ///   stage won { terminal }
    /// }
    /// ```
    pub static UNDEFINED_REFERENCE = "undefined-reference", Error,
        "a name refers to no definition of the expected kind", None;
}
