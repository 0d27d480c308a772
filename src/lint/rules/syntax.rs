//! The `syntax` check (error by default): reports a file that does not follow the grammar of
//! the language.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a file that does not follow the grammar of the language: a missing `}`, an
    /// unknown attribute, an unterminated string, a value of the wrong shape. It says what was
    /// expected at the place, in the words of the language, and suggests the closest attribute
    /// when a name is misspelt.
    ///
    /// ## Why it matters
    ///
    /// Nothing else can be checked or built from a file that cannot be read. The other files of
    /// the run are still checked.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// role sales_rep "Sales rep" {
    ///   responsibilites "Follow up leads"
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role sales_rep "Sales rep" {
    ///   responsibilities "Follow up leads"
    /// }
    /// ```
    pub static SYNTAX = "syntax", Error, "the file does not parse", None;
}
