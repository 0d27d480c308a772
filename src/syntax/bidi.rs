//! Unicode bidirectional control characters in source text (the "Trojan Source" attack): where
//! each one stands, found without parsing, so a file that does not parse is scanned too.

use super::ast::Span;

/// The characters that reorder how text is displayed: embeddings, overrides and isolates.
const CONTROLS: [(char, &str); 9] = [
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// The Unicode name of a bidirectional control character, `None` for any other character.
pub fn control_name(c: char) -> Option<&'static str> {
    CONTROLS.iter().find(|(k, _)| *k == c).map(|(_, n)| *n)
}

/// What a bidirectional control character stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside a `#` comment.
    Comment,
    /// Inside a string literal, plain or triple-quoted.
    String,
    /// Inside or next to a name (an identifier cannot hold one, so the file does not parse).
    Identifier,
    /// Between words, where only whitespace may stand.
    Between,
}

/// One bidirectional control character in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidiControl {
    /// The character's bytes in the file.
    pub span: Span,
    /// The control character itself, e.g. `'\u{202E}'`.
    pub char: char,
    /// What it stands in, which decides how the finding is worded.
    pub place: Place,
}

impl BidiControl {
    /// `U+202E RIGHT-TO-LEFT OVERRIDE`.
    pub fn describe(&self) -> String {
        format!(
            "U+{:04X} {}",
            u32::from(self.char),
            control_name(self.char).unwrap_or("BIDIRECTIONAL CONTROL")
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Comment,
    Plain,
    Triple,
}

/// Every bidirectional control character of `text`, in order.
pub fn scan(text: &str) -> Vec<BidiControl> {
    // Nearly every file has none: one pass over the bytes decides. All nine are encoded as
    // E2 80 AA..AE or E2 81 A6..A9.
    let bytes = text.as_bytes();
    if !bytes
        .windows(2)
        .any(|w| w[0] == 0xE2 && (w[1] == 0x80 || w[1] == 0x81))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut state = State::Code;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if control_name(c).is_some() {
            let place = match state {
                State::Comment => Place::Comment,
                State::Plain | State::Triple => Place::String,
                State::Code => {
                    let next = chars.peek().map(|&(_, n)| n);
                    if prev.is_some_and(is_name_char) || next.is_some_and(is_name_char) {
                        Place::Identifier
                    } else {
                        Place::Between
                    }
                }
            };
            out.push(BidiControl {
                span: Span::new(i, i + c.len_utf8()),
                char: c,
                place,
            });
            continue;
        }
        state = match (state, c) {
            (State::Code, '#') => State::Comment,
            (State::Code, '"') if text[i..].starts_with("\"\"\"") => {
                chars.next();
                chars.next();
                State::Triple
            }
            (State::Code, '"') => State::Plain,
            (State::Comment, '\n' | '\r') => State::Code,
            (State::Plain, '\\') => {
                // An escaped character never ends the string (but a line end does).
                if chars.peek().is_some_and(|&(_, n)| n != '\n' && n != '\r') {
                    chars.next();
                }
                State::Plain
            }
            (State::Plain, '"' | '\n' | '\r') => State::Code,
            (State::Triple, '"') if text[i..].starts_with("\"\"\"") => {
                chars.next();
                chars.next();
                State::Code
            }
            (s, _) => s,
        };
        prev = Some(c);
    }
    out
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_control_and_where_it_stands() {
        let text = "# a\u{202E}b\nrole r\u{2066}x { responsibilities \"\u{202D}\\\"\u{2069}\" }\n\
                    x \"\"\"\n\u{202A}\n\"\"\" \u{202C} \"\\u{202E}\"";
        let found: Vec<(char, Place)> = scan(text).iter().map(|b| (b.char, b.place)).collect();
        assert_eq!(
            found,
            vec![
                ('\u{202E}', Place::Comment),
                ('\u{2066}', Place::Identifier),
                ('\u{202D}', Place::String),
                ('\u{2069}', Place::String),
                ('\u{202A}', Place::String),
                ('\u{202C}', Place::Between),
            ]
        );
        let first = &scan(text)[0];
        assert_eq!(&text[first.span.start..first.span.end], "\u{202E}");
        assert_eq!(first.describe(), "U+202E RIGHT-TO-LEFT OVERRIDE");
    }

    #[test]
    fn other_text_has_none() {
        assert!(scan("role r { responsibilities \"\u{2014} “quoted” 中文\" }").is_empty());
    }
}
