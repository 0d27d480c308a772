//! The `unused-override` check (info by default): reports a pattern under `overrides:` in
//! `sopc.yaml` that matches no file checked.

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a pattern under `overrides:` in `sopc.yaml` that matches none of the files the
    /// run checked (paths are relative to the folder of `sopc.yaml`). The finding points at the
    /// pattern's line in `sopc.yaml`. Check the whole project (`sopc check` at its root) for a
    /// verdict that holds: a run on a few files leaves the other patterns unmatched.
    ///
    /// ## Why it matters
    ///
    /// A pattern that matches nothing is usually a typo (`legcy/**`) or a folder that was
    /// renamed: the levels it sets no longer apply where the team believes they do, and the
    /// checks it meant to relax or tighten run at their usual level.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```yaml
    /// overrides:
    ///   - files: legacy/**
    ///     rules: { task-without-due: off }
    /// ```
    ///
    /// ### Good
    ///
    /// ```yaml
    /// overrides:
    ///   - files: "*.sop"
    ///     rules: { task-without-due: off }
    /// ```
    pub static UNUSED_OVERRIDE = "unused-override", Info,
        "a `sopc.yaml` override pattern matches no checked file", None;
}
