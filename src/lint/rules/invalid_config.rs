//! The `invalid-config` check (error by default): reports a `sopc.yaml` that sopc cannot
//! follow.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a `sopc.yaml` that sopc cannot follow: a YAML syntax error or a duplicate key, an
    /// unknown top-level key, a check name that does not exist, a level other than `error`,
    /// `warning`, `info` or `off`, an unknown preset in `extends`, or an invalid glob in
    /// `overrides`. It points at the line and column in `sopc.yaml` and suggests the closest
    /// valid name.
    ///
    /// ## Why it matters
    ///
    /// A misspelt check name or level would otherwise be ignored without a word, and the team
    /// would believe a check is on (or off) when it is not. What is valid in the file still
    /// applies; what is not is reported here.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```yaml
    /// rules:
    ///   task-without-deu: error
    /// ```
    ///
    /// ### Good
    ///
    /// ```yaml
    /// extends: recommended
    /// rules:
    ///   task-without-due: error
    ///   unused-definition: off
    /// ```
    pub static INVALID_CONFIG = "invalid-config", Error,
        "`sopc.yaml` has a syntax error, an unknown key, check, level or preset, or a bad glob",
        None;
}
