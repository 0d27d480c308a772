//! The `invalid-value` check (error by default): reports a value that cannot be true (no such
//! date, over 100%, a zero or too large duration, an unknown `lang`).

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports values that cannot be true: a date that does not exist (`2026-02-30`), a
    /// percentage over 100, a zero duration (`0h`), a duration or number too large to hold, a
    /// `lang` other than `"en"` or `"zh"`.
    ///
    /// ## Why it matters
    ///
    /// A deadline on a day that never comes or a due time of zero hours cannot be met; it is
    /// almost always a typo that would otherwise reach the printed handbook.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// ```sop
    /// kpi csat { target >= 120% }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role lead { responsibilities "Run the survey" }
    /// kpi csat { target >= 90% owner lead }
    /// ```
    pub static INVALID_VALUE = "invalid-value", Error,
        "a value is impossible: a date that does not exist, a percentage over 100, a zero duration", None;
}
