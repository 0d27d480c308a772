//! Syntax errors in words a user knows: what went wrong, the message, the label and the help.
//! `translate.rs` turns a pest failure into one of these.

use super::ast::{BlockKind, Span};

/// The phrase for an expected duration (as `translate.rs` writes it).
pub(crate) const DURATION: &str = "a duration such as `24h` or `3d`";

/// A file that does not parse: where, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The bytes of the source the error is about (byte offsets; empty at a point).
    pub span: Span,
    /// What went wrong.
    pub kind: SyntaxErrorKind,
}

/// What went wrong when a file does not parse, with the data its words are made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    /// Something else was found where the grammar needed one of `expected`.
    Unexpected {
        /// Human phrases, e.g. "`}`", "an attribute such as `owner`", "a string".
        expected: Vec<String>,
        /// What stands at the place, e.g. "`ownr`" or "end of file".
        found: String,
        /// The block being read, when inside one.
        context: Option<BlockKind>,
        /// Every attribute keyword the block accepts there.
        allowed: Vec<String>,
        /// A keyword close to what was found.
        suggestion: Option<String>,
    },
    /// A block keyword outside the block it belongs in (`stage` at the top of a file).
    Misplaced {
        /// Human phrases of what could stand there.
        expected: Vec<String>,
        /// What stands at the place, e.g. "`stage`".
        found: String,
        /// The block keyword the found block goes inside (`pipeline` for a `stage`).
        belongs_in: String,
    },
    /// A colon after an attribute keyword (`owner: r`); the span is the colon.
    AttributeColon {
        /// The attribute keyword before the colon, as written.
        attribute: String,
    },
    /// The file ends inside a block; the span is the header of the block whose `}` is missing.
    UnclosedBlock {
        /// The block's keyword (`stage`).
        block: String,
        /// The block's id, as written.
        id: String,
    },
    /// A block keyword inside a block that cannot hold that block, where the block around it
    /// can: the block is not closed before it. The span is the header of the block.
    UnclosedBefore {
        /// The block's keyword (`role`).
        block: String,
        /// The block's id, as written.
        id: String,
        /// The line of the block's header, from 1.
        line: usize,
        /// The block keyword found inside it (`role`).
        found: String,
        /// The line of that keyword, from 1: the `}` goes before it.
        before: usize,
    },
    /// A name written with `-` (`lead-capture`); the span is the name.
    HyphenInName {
        /// The name as written, hyphens included.
        name: String,
    },
    /// A `\u` escape not of the form `\u{XXXX}` with 1 to 6 hex digits; `escape` is as written,
    /// up to its `}` when it has one.
    MalformedUnicodeEscape {
        /// The escape as written.
        escape: String,
    },
    /// `by DATE` in a kpi's target; the span is `by`.
    DeadlineInKpi,
    /// A `"` string runs to the end of its line.
    UnterminatedString,
    /// A `"""` string is never closed.
    UnterminatedTripleString,
    /// A backslash that is not one of the escapes of the language.
    UnknownEscape {
        /// The backslash and the character after it, as written (`\q`).
        escape: String,
    },
    /// `\u{...}` naming no Unicode scalar value.
    InvalidEscape {
        /// The number inside the braces.
        code: u32,
    },
    /// The parser gave up (a nesting or backtracking limit).
    TooComplex,
    /// The bytes are not UTF-8 (the span is the first bad character).
    InvalidUtf8,
}

impl SyntaxError {
    /// The message of the `syntax` finding, as [`SyntaxErrorKind::message`] words it.
    pub fn message(&self) -> String {
        self.kind.message()
    }

    /// The help of the `syntax` finding, as [`SyntaxErrorKind::help`] words it.
    pub fn help(&self) -> Option<String> {
        self.kind.help()
    }

    /// A short label for the place.
    pub fn label(&self) -> String {
        self.kind.label()
    }
}

impl SyntaxErrorKind {
    /// The kind's name in machine output, e.g. `unexpected`.
    pub fn name(&self) -> &'static str {
        match self {
            SyntaxErrorKind::Unexpected { .. } => "unexpected",
            SyntaxErrorKind::Misplaced { .. } => "misplaced",
            SyntaxErrorKind::AttributeColon { .. } => "attribute_colon",
            SyntaxErrorKind::UnclosedBlock { .. } | SyntaxErrorKind::UnclosedBefore { .. } => {
                "unclosed_block"
            }
            SyntaxErrorKind::HyphenInName { .. } => "hyphen_in_name",
            SyntaxErrorKind::MalformedUnicodeEscape { .. } => "malformed_unicode_escape",
            SyntaxErrorKind::DeadlineInKpi => "deadline_in_kpi",
            SyntaxErrorKind::UnterminatedString => "unterminated_string",
            SyntaxErrorKind::UnterminatedTripleString => "unterminated_triple_string",
            SyntaxErrorKind::UnknownEscape { .. } => "unknown_escape",
            SyntaxErrorKind::InvalidEscape { .. } => "invalid_escape",
            SyntaxErrorKind::TooComplex => "too_complex",
            SyntaxErrorKind::InvalidUtf8 => "invalid_utf8",
        }
    }

    /// The message a user reads, e.g. "expected `}`, found end of file".
    pub fn message(&self) -> String {
        match self {
            SyntaxErrorKind::Unexpected {
                expected, found, ..
            } if expected.is_empty() => {
                format!("unexpected {}", shown(found))
            }
            SyntaxErrorKind::Unexpected {
                expected, found, ..
            } => format!("expected {}, found {}", or_list(expected), shown(found)),
            SyntaxErrorKind::Misplaced {
                expected, found, ..
            } => format!("expected {}, found {found}", or_list(expected)),
            SyntaxErrorKind::AttributeColon { attribute } => {
                format!(
                    "attributes take no colon: write `{attribute}` and its value with a space between"
                )
            }
            SyntaxErrorKind::UnclosedBlock { block, id } => {
                format!("`{block} {id}` is not closed: its `}}` is missing")
            }
            SyntaxErrorKind::UnclosedBefore {
                block,
                id,
                line,
                found,
                before,
            } => format!(
                "`{block} {id}` on line {line} is not closed: a `{found}` block on line {before} cannot be inside it"
            ),
            SyntaxErrorKind::HyphenInName { name } => {
                format!("`{name}` is not a name: names cannot contain `-`")
            }
            SyntaxErrorKind::MalformedUnicodeEscape { escape } => {
                let digits = escape
                    .trim_start_matches("\\u")
                    .trim_start_matches('{')
                    .trim_end_matches('}');
                let problem = if !escape.starts_with("\\u{") {
                    "needs its hex digits between `{` and `}`"
                } else if digits.len() > 6 {
                    "has more than 6 hex digits"
                } else if !escape.ends_with('}') {
                    "is not closed with `}`"
                } else {
                    "has no hex digits"
                };
                format!("the escape `{escape}` {problem}")
            }
            SyntaxErrorKind::DeadlineInKpi => {
                "a kpi's target takes no deadline: `by` belongs in a goal's target".to_string()
            }
            SyntaxErrorKind::UnterminatedString => {
                "unterminated string: a `\"` string must end on the line it starts".to_string()
            }
            SyntaxErrorKind::UnterminatedTripleString => {
                "unterminated string: this `\"\"\"` is never closed".to_string()
            }
            SyntaxErrorKind::UnknownEscape { escape } => format!("unknown escape `{escape}`"),
            SyntaxErrorKind::InvalidEscape { code } => {
                format!("`\\u{{{code:X}}}` is not a Unicode character")
            }
            SyntaxErrorKind::TooComplex => "the file is too deeply nested to read".to_string(),
            SyntaxErrorKind::InvalidUtf8 => "the file is not valid UTF-8".to_string(),
        }
    }

    /// What to do about it, when there is something to say (the allowed attributes, the closest
    /// keyword, where a misplaced block goes).
    pub fn help(&self) -> Option<String> {
        match self {
            SyntaxErrorKind::Unexpected {
                context,
                allowed,
                suggestion,
                expected,
                found,
            } => {
                let written = found.trim_matches('`');
                if let Some(s) = suggestion {
                    if let Some(advice) = super::fullwidth::advice(written, s) {
                        return Some(advice);
                    }
                    return Some(format!("did you mean `{s}`?"));
                }
                if let Some(unsure) = super::fullwidth::unsure(written) {
                    return Some(unsure);
                }
                if allowed.is_empty() {
                    return Some(if expected.iter().any(|e| e == DURATION) {
                        "a duration is a whole number and one of `m` (minutes), `h` (hours), `d` (days) or `w` (weeks), e.g. `2d` or `4w`"
                            .to_string()
                    } else if expected.is_empty() {
                        format!("remove {found} or write it differently")
                    } else if expected.iter().any(|e| e == "`{`") {
                        "a block is written `KEYWORD id \"Title\" { ... }`, its attributes between the braces"
                            .to_string()
                    } else {
                        format!("write {} here", or_list(expected))
                    });
                }
                let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>();
                Some(match context {
                    Some(kind) => format!("a `{}` block takes {}", kind.keyword(), and_list(&list)),
                    None => format!("a file holds {}", and_list(&list)),
                })
            }
            SyntaxErrorKind::Misplaced { found, belongs_in, .. } => Some(format!(
                "{found} blocks go inside a `{belongs_in}` block"
            )),
            SyntaxErrorKind::AttributeColon { attribute } => Some(format!(
                "remove the `:`: an attribute is written `{attribute} VALUE`, not `{attribute}: VALUE`"
            )),
            SyntaxErrorKind::UnclosedBlock { block, .. } => Some(format!(
                "add a `}}` where the `{block}` block ends, after its last attribute"
            )),
            SyntaxErrorKind::UnclosedBefore { before, .. } => {
                Some(format!("add `}}` before line {before}"))
            }
            SyntaxErrorKind::HyphenInName { name } => Some(format!(
                "write `{}`: names are letters, digits and `_`",
                name.replace('-', "_")
            )),
            SyntaxErrorKind::MalformedUnicodeEscape { .. } => Some(
                "write a code point as `\\u{XXXX}`, 1 to 6 hex digits, e.g. `\\u{4E2D}`; write `\\\\` for a backslash"
                    .to_string(),
            ),
            SyntaxErrorKind::DeadlineInKpi => Some(
                "remove `by DATE` here and give it to a goal on this kpi, e.g. `goal g { target KPI >= 5 by 2026-12-31 }`"
                    .to_string(),
            ),
            SyntaxErrorKind::UnterminatedString => Some(
                "close it with `\"` before the end of the line, or use `\"\"\"` for text over several lines"
                    .to_string(),
            ),
            SyntaxErrorKind::UnterminatedTripleString => {
                Some("close it with `\"\"\"`".to_string())
            }
            SyntaxErrorKind::UnknownEscape { .. } => Some(
                "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{XXXX}`; write `\\\\` for a backslash"
                    .to_string(),
            ),
            SyntaxErrorKind::InvalidEscape { .. } => {
                Some("use a code point from 0 to 10FFFF outside D800..DFFF".to_string())
            }
            SyntaxErrorKind::TooComplex => {
                Some("split the file, or look for a long run of unclosed brackets or quotes".to_string())
            }
            SyntaxErrorKind::InvalidUtf8 => Some("save the file as UTF-8".to_string()),
        }
    }

    /// A short label for the place.
    pub fn label(&self) -> String {
        match self {
            SyntaxErrorKind::Unexpected { expected, .. } if expected.len() == 1 => {
                format!("expected {}", expected[0])
            }
            SyntaxErrorKind::Unexpected { .. } => "unexpected here".to_string(),
            SyntaxErrorKind::Misplaced { .. } => "not allowed at the top of a file".to_string(),
            SyntaxErrorKind::AttributeColon { .. } => "remove this colon".to_string(),
            SyntaxErrorKind::UnclosedBlock { .. } | SyntaxErrorKind::UnclosedBefore { .. } => {
                "this block has no `}`".to_string()
            }
            SyntaxErrorKind::HyphenInName { .. } => "`-` in a name".to_string(),
            SyntaxErrorKind::DeadlineInKpi => "a deadline in a kpi".to_string(),
            SyntaxErrorKind::UnterminatedString => "the line ends inside this string".to_string(),
            SyntaxErrorKind::UnterminatedTripleString => "opened here".to_string(),
            SyntaxErrorKind::UnknownEscape { .. }
            | SyntaxErrorKind::InvalidEscape { .. }
            | SyntaxErrorKind::MalformedUnicodeEscape { .. } => "this escape".to_string(),
            SyntaxErrorKind::TooComplex => "here".to_string(),
            SyntaxErrorKind::InvalidUtf8 => "not UTF-8".to_string(),
        }
    }
}

/// `{"error": "unexpected", "found": "ownr", "expected": [...], "suggestion": "owner", ...}`:
/// what was found without its backticks (`null` at the end of the file), the phrases expected.
impl serde::Serialize for SyntaxErrorKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("error", self.name())?;
        let found = |found: &str| {
            (found != "end of file").then(|| {
                found
                    .strip_prefix('`')
                    .and_then(|f| f.strip_suffix('`'))
                    .unwrap_or(found)
                    .to_string()
            })
        };
        match self {
            SyntaxErrorKind::Unexpected {
                expected,
                found: f,
                context,
                allowed,
                suggestion,
            } => {
                map.serialize_entry("found", &found(f))?;
                map.serialize_entry("expected", expected)?;
                map.serialize_entry("suggestion", suggestion)?;
                map.serialize_entry("block", &context.map(BlockKind::keyword))?;
                map.serialize_entry("allowed", allowed)?;
            }
            SyntaxErrorKind::Misplaced {
                expected,
                found: f,
                belongs_in,
            } => {
                map.serialize_entry("found", &found(f))?;
                map.serialize_entry("expected", expected)?;
                map.serialize_entry("belongs_in", belongs_in)?;
            }
            SyntaxErrorKind::UnknownEscape { escape }
            | SyntaxErrorKind::MalformedUnicodeEscape { escape } => {
                map.serialize_entry("escape", escape)?
            }
            SyntaxErrorKind::HyphenInName { name } => map.serialize_entry("name", name)?,
            SyntaxErrorKind::UnclosedBlock { block, id } => {
                map.serialize_entry("block", block)?;
                map.serialize_entry("id", id)?;
            }
            SyntaxErrorKind::UnclosedBefore {
                block,
                id,
                found,
                before,
                ..
            } => {
                map.serialize_entry("block", block)?;
                map.serialize_entry("id", id)?;
                map.serialize_entry("found", found)?;
                map.serialize_entry("before_line", before)?;
            }
            SyntaxErrorKind::AttributeColon { attribute } => {
                map.serialize_entry("attribute", attribute)?
            }
            SyntaxErrorKind::InvalidEscape { code } => map.serialize_entry("code", code)?,
            SyntaxErrorKind::UnterminatedString
            | SyntaxErrorKind::DeadlineInKpi
            | SyntaxErrorKind::UnterminatedTripleString
            | SyntaxErrorKind::TooComplex
            | SyntaxErrorKind::InvalidUtf8 => {}
        }
        map.end()
    }
}

/// What was found as a message shows it: a space that cannot be seen by its name.
fn shown(found: &str) -> String {
    match found.strip_prefix('`').and_then(|f| f.strip_suffix('`')) {
        Some(c @ ("\u{3000}" | "\u{0B}" | "\u{0C}")) => super::fullwidth::name_of(c),
        _ => found.to_string(),
    }
}

/// The items joined as a list with a final "or": "`a`, `b` or `c`".
pub fn or_list(items: &[String]) -> String {
    join(items, "or")
}

/// The items joined as a list with a final "and": "`a`, `b` and `c`".
pub fn and_list(items: &[String]) -> String {
    join(items, "and")
}

fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}
