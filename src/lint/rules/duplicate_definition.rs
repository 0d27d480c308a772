//! The `duplicate-definition` check (error by default): reports an id defined twice in one
//! namespace, or a single-valued attribute given twice in one block.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports an id defined twice in one namespace (two roles `sales_rep` in a document and its
    /// imports, two stages `lead` in one pipeline, two tasks with one id in a stage), and a
    /// single-valued attribute given twice in one block (two `owner`s). The later one is
    /// reported, with a label on the first.
    ///
    /// ## Why it matters
    ///
    /// With two definitions, which one a reference means is a guess; with two owners, nobody
    /// knows who is accountable.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role sales_rep { responsibilities "Follow up leads" }
    /// role sales_rep { responsibilities "Close deals" }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role sales_rep { responsibilities "Follow up leads", "Close deals" }
    /// ```
    pub static DUPLICATE_DEFINITION = "duplicate-definition", Error,
        "an id is defined twice in one namespace, or a single-valued attribute is given twice", None;
}
