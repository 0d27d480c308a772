//! User text shown as itself: every character a terminal or a viewer would not show (control
//! characters, bidirectional controls) written as a visible escape. The lowest layer: reading and
//! writing files, the checks and every front end name paths and values through it.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::path::Path;

/// A character a terminal (or a viewer of the file) would not show as itself: the C0 and C1
/// control characters, DEL, and the Unicode bidirectional controls (U+202A–U+202E,
/// U+2066–U+2069), which reorder the text around them.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_hidden`] character for which `keep` says no written as a visible escape in
/// the language's own notation (`\u{1b}`). Borrows when there is nothing to escape.
pub fn visible_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hidden(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hidden(c) && !keep(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` as one line of terminal text: every hidden character, line breaks included, escaped.
pub fn visible(s: &str) -> Cow<'_, str> {
    visible_with(s, |_| false)
}

/// A path for a message: its text with every [`is_hidden`] character escaped, line breaks
/// included, so that no file name can start a line of output or send a control sequence.
pub struct ShownPath<'a>(&'a Path);

impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&visible(&self.0.to_string_lossy()))
    }
}

/// [`ShownPath`] for any path: `path.shown()` where one would write `path.display()`.
pub trait ShowPath {
    /// The path for a message, hidden characters escaped.
    fn shown(&self) -> ShownPath<'_>;
}

impl<P: AsRef<Path> + ?Sized> ShowPath for P {
    fn shown(&self) -> ShownPath<'_> {
        ShownPath(self.as_ref())
    }
}

/// A chain of names in code quotes, one arrow between each: `` `a` -> `b` -> `a` ``. A cycle
/// lists its first name again at the end.
pub fn chain(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" -> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_visible() {
        assert_eq!(visible("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(visible("x\ny"), "x\\u{a}y");
        assert_eq!(visible("\u{202e}abc"), "\\u{202e}abc");
        assert!(matches!(visible("线索 plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_path_with_a_line_break_and_an_escape_stays_on_one_line() {
        let shown = Path::new("a\n::error::x\u{1b}[31m.sop").shown().to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}'),
            "{shown}"
        );
        assert!(
            shown.contains("\\u{a}") && shown.contains("\\u{1b}"),
            "{shown}"
        );
    }
}
