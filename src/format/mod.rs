//! `sopc fmt`: every `.sop` file in one canonical layout, every comment kept in its place.
//!
//! The formatter sits beside the syntax layer and depends on it alone. [`format()`] parses the
//! text, writes the AST out again in the layout described in `docs/formatting.md`, and returns
//! the result only after checking that it parses to the same syntax tree with the same comments
//! attached to the same places ([`same_meaning`]).

mod comments;
mod equal;
mod layout;
mod literal;
mod tree;

pub use equal::same_meaning;

use crate::syntax::{self, SourceFile, SyntaxError};

/// The comment that keeps `sopc fmt` away from a file, among the comment lines at its top:
/// `# sopc: fmt-ignore-file`, optionally followed by ` -- reason`.
pub const IGNORE_FILE: &str = "sopc: fmt-ignore-file";

/// Why a text was not formatted.
#[derive(Debug, Clone)]
pub enum FormatError {
    /// The text does not parse.
    Syntax(SyntaxError),
    /// The formatted text would not mean the same as the original: a bug in the formatter.
    /// The string says what differs.
    WouldChangeMeaning(String),
}

/// `text` in the canonical layout, checked to mean the same.
pub fn format(text: &str) -> Result<String, FormatError> {
    let file = syntax::parse(text).map_err(FormatError::Syntax)?;
    let out = layout(text, &file);
    if out == text {
        return Ok(out);
    }
    let new = syntax::parse(&out).map_err(|e| {
        FormatError::WouldChangeMeaning(format!(
            "the result does not parse: {} at byte {}\n{out}",
            e.message(),
            e.span.start
        ))
    })?;
    same_meaning(text, &file, &out, &new).map_err(FormatError::WouldChangeMeaning)?;
    Ok(out)
}

/// `file`, parsed from `text`, in the canonical layout, without the check [`format()`] makes.
pub fn layout(text: &str, file: &SourceFile) -> String {
    layout::print(text, file)
}

/// Whether the comment lines at the top of `text` (before anything else) hold [`IGNORE_FILE`].
/// Read line by line, so that a file that does not parse can be ignored too.
pub fn is_ignored(text: &str) -> bool {
    text.trim_start_matches('\u{FEFF}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map_while(|l| l.strip_prefix('#'))
        .any(|c| {
            c.trim_start()
                .strip_prefix(IGNORE_FILE)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comment_only_at_the_top() {
        assert!(is_ignored(
            "# about\n\n# sopc: fmt-ignore-file -- on purpose\nrole x {"
        ));
        assert!(is_ignored("\u{FEFF}#sopc: fmt-ignore-file"));
        assert!(!is_ignored("role x {}\n# sopc: fmt-ignore-file\n"));
        assert!(!is_ignored("# sopc: fmt-ignore-filex\n"));
    }

    #[test]
    fn formats_a_small_file() {
        let text = "role a \"A\" {responsibilities \"x\",\"y\" # why\n}\r\nstage_like_role_b_follows_no_blank_line\n";
        assert!(matches!(format(text), Err(FormatError::Syntax(_))));
        let text = "role a \"A\" {responsibilities \"x\",\"y\" # why\n}\r\nrole b{}";
        assert_eq!(
            format(text).unwrap(),
            "role a \"A\" {\n  responsibilities \"x\", \"y\" # why\n}\n\nrole b {}\n"
        );
    }
}
