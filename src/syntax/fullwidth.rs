//! Full-width punctuation, as a Chinese input method types it, and the ASCII the language
//! wants instead: for the syntax error's help and its fix alike. The fix is the one that makes
//! the text parse: the ASCII character where it is valid at that point, else the character
//! removed.

use pest::Parser as _;

use super::ast::Span;
use super::grammar::{Rule, SopParser};

/// Every character of the table and the ASCII it stands for.
pub const TABLE: &[(&str, &str)] = &[
    ("，", ","),
    ("、", ","),
    ("“", "\""),
    ("”", "\""),
    ("＂", "\""),
    ("｛", "{"),
    ("｝", "}"),
    ("（", "("),
    ("）", ")"),
    ("＃", "#"),
    ("＞", ">"),
    ("＜", "<"),
    ("＝", "="),
    ("－", "-"),
    ("．", "."),
    ("。", "."),
    ("：", ":"),
    ("\u{3000}", " "),
    // Not full-width, and as invisible: a vertical tab and a form feed.
    ("\u{0B}", " "),
    ("\u{0C}", " "),
];

/// The ASCII punctuation a full-width character typed with a Chinese input method stands for.
pub fn ascii_for(written: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(c, _)| *c == written)
        .map(|(_, ascii)| *ascii)
}

/// A character of the table as a message names it: the spaces by name, since they cannot be seen.
pub fn name_of(written: &str) -> String {
    match written {
        "\u{3000}" => "the full-width space (U+3000)".to_string(),
        "\u{0B}" => "a vertical tab (U+000B)".to_string(),
        "\u{0C}" => "a form feed (U+000C)".to_string(),
        other => format!("the full-width `{other}`"),
    }
}

/// What to do with a character of the table, for the help and the fix's title: write the ASCII
/// when `replacement` is it, else remove the character.
pub fn advice(written: &str, replacement: &str) -> Option<String> {
    let ascii = ascii_for(written)?;
    Some(if replacement != ascii {
        format!(
            "remove {}: the text parses without it, not with an ASCII `{ascii}` in its place",
            name_of(written)
        )
    } else if ascii == " " {
        format!("write an ASCII space instead of {}", name_of(written))
    } else {
        format!("write the ASCII `{ascii}` instead of {}", name_of(written))
    })
}

/// The help for a character of the table when no change of it alone makes the text parse.
pub fn unsure(written: &str) -> Option<String> {
    let ascii = ascii_for(written)?;
    Some(format!(
        "{} is not part of the language: write the ASCII `{ascii}` if that belongs here, else remove it",
        name_of(written)
    ))
}

/// The edits that put `replacement` in place of the character at `span`: an opening quote
/// written as ASCII takes the closing full-width quote of its line with it.
pub fn edits(text: &str, span: Span, replacement: &str) -> Vec<(Span, String)> {
    let mut out = vec![(span, replacement.to_string())];
    let written = text.get(span.start..span.end).unwrap_or_default();
    if replacement == "\"" && matches!(written, "“" | "＂") {
        let rest = &text[span.end..];
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        if let Some(at) = line.find(['”', '＂']) {
            let start = span.end + at;
            let len = line[at..].chars().next().map_or(0, char::len_utf8);
            out.push((Span::new(start, start + len), "\"".to_string()));
        }
    }
    out
}

/// What to put in place of the full-width character at `span` so that the text parses there:
/// its ASCII when that is valid at this point, else nothing (a space between two words). The
/// choice that gets the parse of the whole text further wins, the ASCII when both do as well; it
/// is the fix when the text then parses, or fails only beyond the line changed, where the other
/// choice fails earlier or the lines up to the one changed parse (with the blocks open there
/// closed). `None` when no choice gets past the character so. Full-width characters further on
/// are passed over the same way, each with the better of its two choices.
pub(crate) fn repair(text: &str, span: Span) -> Option<String> {
    // Each later character costs up to eight parses of the text: fewer on a large file.
    let later = (2 * 1024 * 1024 / text.len().max(1)).clamp(2, 32);
    let written = text.get(span.start..span.end)?;
    let ascii = ascii_for(written)?;
    // (how far the whole text parses, whether its lines parse, the choice), the ASCII first.
    let tried: Vec<(usize, bool, &str)> = choices(text, span, ascii)
        .into_iter()
        .map(|candidate| {
            let edits = edits(text, span, candidate);
            let fixed = apply(text, &edits);
            let whole = settled_reach(fixed, later).map_or(usize::MAX, |r| original(r, &edits));
            (whole, parses_to_line_end(text, &edits, later), candidate)
        })
        .collect();
    let (best, rest) = tried
        .iter()
        .enumerate()
        .rev()
        .max_by_key(|(_, (whole, line_ok, _))| (*whole, *line_ok))
        .map(|(i, _)| {
            let others: Vec<usize> = tried
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| t.0)
                .collect();
            (tried[i], others)
        })?;
    let (whole, line_ok, candidate) = best;
    let last = span.end.max(
        edits(text, span, candidate)
            .iter()
            .map(|(s, _)| s.end)
            .max()?,
    );
    let line_end = text[last..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| last + i);
    let further = rest.iter().all(|other| whole > *other);
    let past = whole == usize::MAX || (whole > line_end && (further || line_ok));
    past.then(|| candidate.to_string())
}

/// The two choices for a character of the table: its ASCII, and nothing (a space between two
/// words); one for a space.
fn choices(text: &str, span: Span, ascii: &'static str) -> Vec<&'static str> {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let apart = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let removed = if apart(before) && apart(after) {
        " "
    } else {
        ""
    };
    if removed == ascii {
        vec![ascii]
    } else {
        vec![ascii, removed]
    }
}

/// Where the parse of `text` fails once up to `later` full-width characters it fails at are each
/// replaced by the choice that gets further (the ASCII when both do as well); `None` when it
/// then parses. The place is in the coordinates of `text`.
fn settled_reach(mut text: String, later: usize) -> Option<usize> {
    let mut made: Vec<Edits> = Vec::new();
    for _ in 0..later {
        let at = reach(&text)?;
        let written = text[at..]
            .chars()
            .next()
            .map(|c| &text[at..at + c.len_utf8()]);
        let Some(ascii) = written.and_then(ascii_for) else {
            return Some(back(at, &made));
        };
        let span = Span::new(at, at + written.map_or(0, str::len));
        let mut best: Option<(usize, String, Edits)> = None;
        for candidate in choices(&text, span, ascii) {
            let edits = edits(&text, span, candidate);
            let fixed = apply(&text, &edits);
            let got = reach(&fixed).map_or(usize::MAX, |r| original(r, &edits));
            if got > at && best.as_ref().is_none_or(|b| got > b.0) {
                best = Some((got, fixed, edits));
            }
        }
        let Some((_, fixed, edits)) = best else {
            return Some(back(at, &made));
        };
        text = fixed;
        made.push(edits);
    }
    reach(&text).map(|at| back(at, &made))
}

/// A place in a text after the batches of edits `made` (each made on the text the ones before
/// left) as a place in the text before them.
fn back(mut at: usize, made: &[Edits]) -> usize {
    for edits in made.iter().rev() {
        at = original(at, edits);
    }
    at
}

/// Edits of one text: each span and what to put there.
type Edits = Vec<(Span, String)>;

fn apply(text: &str, edits: &[(Span, String)]) -> String {
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut out = text.to_string();
    for (span, new) in sorted {
        out.replace_range(span.start..span.end, new);
    }
    out
}

/// Where the parse of `text` fails, `None` when it does not.
fn reach(text: &str) -> Option<usize> {
    match SopParser::parse(Rule::file, text) {
        Ok(_) => None,
        Err(e) => Some(match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        }),
    }
}

/// A position of the edited text as a position of the original (the start of an edit for a
/// position inside its new text).
fn original(pos: usize, edits: &[(Span, String)]) -> usize {
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, _)| s.start);
    let mut shift: isize = 0;
    for (span, new) in sorted {
        let start = span.start.saturating_add_signed(shift);
        if pos < start {
            break;
        }
        if pos < start + new.len() {
            return span.start;
        }
        shift += new.len() as isize - (span.end - span.start) as isize;
    }
    pos.saturating_add_signed(-shift)
}

/// Whether the text up to the end of the line of the last edit, with the edits made and each
/// block still open there closed, parses (later full-width characters passed over).
fn parses_to_line_end(text: &str, edits: &[(Span, String)], later: usize) -> bool {
    let last = edits.iter().map(|(s, _)| s.end).max().unwrap_or(0);
    let end = text[last..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| last + i);
    let mut prefix = apply(&text[..end], edits);
    let open = open_braces(&prefix);
    for _ in 0..open {
        prefix.push_str("\n}");
    }
    prefix.push('\n');
    settled_reach(prefix, later).is_none()
}

/// How many `{` of `text` have no `}` yet, strings and comments skipped.
fn open_braces(text: &str) -> usize {
    let mut open = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|(_, c)| !matches!(c, '\n' | '\r')).is_some() {},
            '"' if text[i..].starts_with("\"\"\"") => {
                let end = text[i + 3..]
                    .find("\"\"\"")
                    .map_or(text.len(), |e| i + 6 + e);
                while chars.next_if(|(j, _)| *j < end).is_some() {}
            }
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' | '\r' => break,
                        _ => {}
                    }
                }
            }
            '{' => open += 1,
            '}' => open = open.saturating_sub(1),
            _ => {}
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str, written: &str) -> Option<String> {
        let start = text.find(written).expect("the character");
        repair(text, Span::new(start, start + written.len()))
    }

    #[test]
    fn the_ascii_where_it_is_valid_else_nothing() {
        let list = "role r {\n  responsibilities \"a\"，\"b\"\n}\n";
        assert_eq!(repaired(list, "，").as_deref(), Some(","));
        let after = "role r {\n  responsibilities \"y\"，\n}\n";
        assert_eq!(repaired(after, "，").as_deref(), Some(""));
        let version = "sop s {\n  version \"1.0\"，\n}\n";
        assert_eq!(repaired(version, "，").as_deref(), Some(""));
        let header = "role r ｛\n  skills \"a\"\n}\n";
        assert_eq!(repaired(header, "｛").as_deref(), Some("{"));
        let joined = "strategy s {\n  supports a（b\n}\n";
        assert_eq!(repaired(joined, "（"), None);
    }

    #[test]
    fn an_error_further_on_leaves_the_choice_to_what_gets_further() {
        // The list goes on on the next line; a stage is left open further down.
        let list = "role r {\n  skills \"a\"，\n    \"b\"\n}\npipeline p {\n  stage a {\n  stage b {\n  }\n}\n";
        assert_eq!(repaired(list, "，").as_deref(), Some(","));
        // Both fail on the misspelt keyword; only without the comma do its own lines parse.
        let version = "sop s {\n  version \"1.0\"，\n  ownr x\n}\n";
        assert_eq!(repaired(version, "，").as_deref(), Some(""));
        // The end of a list, and a later error.
        let after = "role r {\n  skills \"a\"，\n}\nrole s {\n  ownr x\n}\n";
        assert_eq!(repaired(after, "，").as_deref(), Some(""));
    }

    #[test]
    fn later_characters_are_passed_over() {
        let text = "role r ｛ responsibilities \"跟进\"，\"报价\" ｝\n";
        assert_eq!(repaired(text, "｛").as_deref(), Some("{"));
        let text = "role r {\n  responsibilities \"a\"，\"b\"，\n}\n";
        assert_eq!(repaired(text, "，").as_deref(), Some(","));
    }

    #[test]
    fn positions_map_back() {
        let edits = vec![(Span::new(2, 5), "x".to_string())];
        assert_eq!(original(1, &edits), 1);
        assert_eq!(original(2, &edits), 2);
        assert_eq!(original(3, &edits), 5);
    }
}
