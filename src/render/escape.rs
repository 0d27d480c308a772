//! Escaping user text for the formats it lands in: terminals, Markdown, Mermaid and DOT. Each
//! function turns any string into text that the format shows as that string and nothing more: no
//! markup, no line structure, no terminal control sequence.

use std::fmt::Write as _;

pub use crate::text::{is_hidden, visible, visible_with};

/// Escapes text for HTML and SVG/XML, in content and in quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become entities, and control characters other than line feed and tab are dropped
/// (XML 1.0 cannot carry them and HTML reads them as errors). The one HTML escape of sopc's own
/// pages; the templates use minijinja's.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A relative path for a Markdown link target: every character but letters, digits (CJK
/// included) and `-._~/` percent-encoded, so that no file name can end the link, open markup or
/// break the line (a viewer decodes it back to the file's name).
pub fn md_link(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || "-._~/".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Backslash-escapes what Markdown would read as markup in running text, on one line: line breaks
/// become spaces, other control characters visible escapes. Constructs that only open at the start
/// of a line (`- `, `1. `, `===`, indentation) are escaped at the start of the text too, since a
/// template may put the text there or right after a list marker.
pub fn md_inline(s: &str) -> String {
    let one_line = s.replace("\r\n", " ").replace(['\n', '\r'], " ");
    let text = visible_with(&one_line, |c| c == '\t');
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = true;
    for (i, &c) in chars.iter().enumerate() {
        if at_start {
            if c == ' ' || c == '\t' {
                // Leading blanks would make an indented code block, or an item's content.
                out.push_str("&#32;");
                continue;
            }
            at_start = false;
            if matches!(c, '-' | '+' | '=') {
                out.push('\\');
                out.push(c);
                continue;
            }
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("\\&"),
            '.' | ')' if ordered_marker(&chars[..i], chars.get(i + 1)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Running text for a table cell: [`md_inline`] of each line, the lines joined with `<br>`.
pub fn md_cell(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(md_inline)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Whether the text after a `&` would make it an entity (`&amp;`, `&#60;`).
fn starts_entity(rest: &[char]) -> bool {
    let body = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    body > 0 && rest.get(body) == Some(&';')
}

/// Whether `before` (the text so far) is all digits and `next` a blank or the end, so that the
/// `.` or `)` between them would make an ordered list marker at the start of a line (`1. `).
fn ordered_marker(before: &[char], next: Option<&char>) -> bool {
    !before.is_empty()
        && before.len() <= 9
        && before.iter().all(char::is_ascii_digit)
        && next.is_none_or(|c| c.is_whitespace())
}

/// A long text kept as Markdown, with raw HTML disabled (`&` and `<` as entities) and control
/// characters other than tab and line breaks escaped visibly. A code fence it opens and does not
/// close is closed at its end, so it cannot swallow what the template puts after it.
pub fn md_text(s: &str) -> String {
    let text = visible_with(s, |c| matches!(c, '\t' | '\n' | '\r'));
    let mut out = text.replace('&', "&amp;").replace('<', "&lt;");
    if let Some(fence) = open_fence(&out) {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&fence);
    }
    out
}

/// The closing fence a text needs when it ends inside a fenced code block.
fn open_fence(text: &str) -> Option<String> {
    let mut open: Option<(char, usize)> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let rest = &line[indent..];
        let Some(c) = rest.chars().next().filter(|c| matches!(c, '`' | '~')) else {
            continue;
        };
        let run = rest.chars().take_while(|&x| x == c).count();
        if run < 3 {
            continue;
        }
        let after = &rest[run..];
        match open {
            None if c == '~' || !after.contains('`') => open = Some((c, run)),
            Some((oc, olen)) if oc == c && run >= olen && after.trim().is_empty() => open = None,
            _ => {}
        }
    }
    open.map(|(c, n)| c.to_string().repeat(n))
}

/// Text inside a quoted Mermaid label: everything that could end the label, start a directive
/// (`%%{init: …}%%`) or be read as markup becomes a numeric entity code (`#34;`), which Mermaid
/// turns back into the character; line breaks become spaces, control characters visible escapes.
pub fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '#' | '"' | '<' | '>' | '&' | '`' | '|' | '\\' | '%' | '{' | '}' => {
                let _ = write!(out, "#{};", c as u32);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden(c) => {
                let _ = write!(out, "#92;u#123;{:x}#125;", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A DOT string literal, quotes included. A line break is DOT's `\n`; other control characters,
/// which Graphviz rejects or drops (NUL ends its input), are shown as visible escapes.
pub fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push_str("\\n"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_cannot_end_the_link_or_the_line() {
        assert_eq!(
            md_link("销售.checklists/stage-01-a.md"),
            "销售.checklists/stage-01-a.md"
        );
        assert_eq!(md_link("a b)\n[x](y"), "a%20b%29%0A%5Bx%5D%28y");
        assert_eq!(md_link("\u{202e}"), "%E2%80%AE");
    }

    #[test]
    fn inline_markdown_stays_one_line_of_text() {
        assert_eq!(md_inline("T\n\n---\n- list"), "T  --- - list");
        assert_eq!(md_inline("- a"), "\\- a");
        assert_eq!(md_inline("1. a"), "1\\. a");
        assert_eq!(md_inline("1.0"), "1.0");
        assert_eq!(md_inline("2026 plan. go"), "2026 plan. go");
        assert_eq!(md_inline("    code"), "&#32;&#32;&#32;&#32;code");
        assert_eq!(md_inline("AT&amp;T R&D"), "AT\\&amp;T R&D");
        assert_eq!(md_inline("a|b"), "a\\|b");
        assert_eq!(md_cell("a\nb|c"), "a<br>b\\|c");
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(md_text("see\n````rust\nx"), "see\n````rust\nx\n````");
        assert_eq!(md_text("```\nx\n```\n"), "```\nx\n```\n");
        assert_eq!(md_text("~~~\n```\n"), "~~~\n```\n~~~");
        assert_eq!(md_text("a <b> & c"), "a &lt;b> &amp; c");
    }

    #[test]
    fn diagram_text_cannot_break_out() {
        assert_eq!(
            mermaid_text("%%{init: x}%%"),
            "#37;#37;#123;init: x#125;#37;#37;"
        );
        assert_eq!(
            mermaid_text("a \"b\" <c> #1"),
            "a #34;b#34; #60;c#62; #35;1"
        );
        assert_eq!(dot_string("a\u{0}b\nc"), "\"a\\\\u{0}b\\nc\"");
        assert_eq!(dot_string("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
