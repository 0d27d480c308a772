//! The `import-error` check (error by default): reports an `import` that cannot be followed
//! (missing, unreadable, absolute, outside the project, or a cycle).

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports an `import` whose file is missing or unreadable, that imports itself through a
    /// cycle, that is an absolute path, or that leaves the project root (the nearest folder with
    /// `sopc.yaml`, else the git repository, else the file's own folder), symlinks included.
    ///
    /// ## Why it matters
    ///
    /// The roles, trainings and KPIs a document relies on come from its imports; when one cannot
    /// be read, the document is incomplete. Keeping imports inside the project makes a checkout
    /// self-contained and keeps a document from reading files it should not.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// import "shared/no-such-file.sop"
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// # shared roles live in a library file next to this one
    /// role sales_rep { responsibilities "Follow up leads" }
    /// ```
    pub static IMPORT_ERROR = "import-error", Error,
        "an imported file is missing, unreadable, cyclic, or outside the project root", None;
}
