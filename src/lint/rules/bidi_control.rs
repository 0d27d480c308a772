//! The `bidi-control` check (error by default): reports a Unicode bidirectional control
//! character in a comment, a string or an identifier.

use crate::diag::{Applicability, Diagnostic, FileId, Fix, Loc};
use crate::rule_id::RuleId;
use crate::syntax::SyntaxError;
use crate::syntax::bidi::{self, Place};

crate::declare_rule! {
    /// ## What it does
    ///
    /// Reports a Unicode bidirectional control character (U+202A to U+202E, U+2066 to U+2069)
    /// in a comment, a string or an identifier. The finding names the character, e.g.
    /// `U+202E RIGHT-TO-LEFT OVERRIDE`, and the quoted source shows it as the escape `\u{202e}`. An
    /// identifier cannot hold one, so there it also stops the file from parsing;
    /// it is reported as this check rather than as `syntax`.
    ///
    /// ## Why it matters
    ///
    /// These characters reorder how the text around them is displayed, so the source can read
    /// differently from what it does ("Trojan Source"): a comment can seem to end earlier, a
    /// condition in a `when` can look like another, and a reviewer cannot see it in a diff. A
    /// string that really needs one can write it as an escape, `\u{202E}`, which stays visible.
    ///
    /// ## Example
    ///
    /// ### Bad
    ///
    /// The string below holds `U+202E RIGHT-TO-LEFT OVERRIDE` before `leads`, invisible here:
    ///
    /// ```sop
    /// role rep "Sales rep" {
    #[doc = "   responsibilities \"Follow up \u{202E}leads\""]
    /// }
    /// ```
    ///
    /// ### Good
    ///
    /// ```sop
    /// role rep "Sales rep" {
    ///   responsibilities "Follow up leads"
    /// }
    /// ```
    pub static BIDI_CONTROL = "bidi-control", Error,
        "a comment, string or identifier holds a Unicode bidirectional control character", None;
}

/// A finding for every bidirectional control character of one file's text.
pub fn findings(file: FileId, text: &str) -> Vec<Diagnostic> {
    bidi::scan(text)
        .into_iter()
        .map(|b| {
            let name = b.describe();
            let (place, help) = match b.place {
                Place::Comment => (Some("a comment"), "remove it from the comment".to_string()),
                Place::String => (
                    Some("a string"),
                    format!(
                        "remove it, or write it as the escape `\\u{{{:X}}}` if the text needs it",
                        u32::from(b.char)
                    ),
                ),
                Place::Identifier => (
                    Some("an identifier"),
                    "remove it: a name is made of letters, digits and `_`".to_string(),
                ),
                Place::Between => (
                    None,
                    "remove it: only spaces and line breaks may stand between words".to_string(),
                ),
            };
            let message = match place {
                Some(place) => format!(
                    "{place} holds `{name}`, which can make the source read differently from what it does"
                ),
                None => format!(
                    "`{name}` stands between words, where it can make the source read differently from what it does"
                ),
            };
            let loc = Loc::new(file, b.span);
            // Out of a comment or from between words it changes nothing but the display; in a
            // name or a string, a person looks at what the text then says.
            let removal = match b.place {
                Place::Comment | Place::Between => Applicability::Safe,
                Place::Identifier | Place::String => Applicability::Unsafe,
            };
            let mut d = Diagnostic::new(RuleId::BidiControl, loc, message)
                .with_label(format!("`{name}` here"))
                .with_help(help)
                .with_fix(Fix::replace(format!("remove `{name}`"), loc, "", removal));
            if b.place == Place::String {
                let escape = format!("\\u{{{:X}}}", u32::from(b.char));
                d = d.with_fix(Fix::replace(
                    format!("write it as `{escape}`"),
                    loc,
                    escape,
                    Applicability::Unsafe,
                ));
            }
            d.with_names([name])
        })
        .collect()
}

/// True when a syntax error is only a bidirectional control character where the grammar has
/// no room for one (in or next to an identifier): the finding of this check already says it.
/// The error may point at the word just before the character (`sales` in `sales\u{202E}rep`).
pub fn explains(error: &SyntaxError, text: &str) -> bool {
    let Some(rest) = text.get(error.span.start..) else {
        return false;
    };
    let len = error.span.len();
    rest.char_indices()
        .take_while(|&(i, _)| i <= len)
        .any(|(_, c)| bidi::control_name(c).is_some())
}
