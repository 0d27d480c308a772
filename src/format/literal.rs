//! String literals in their canonical form.

use crate::syntax::Str;
use crate::syntax::strings::trim_indent;

/// `s` as the layout writes it on a line indented by `indent` spaces. `src` is the file's text.
pub(super) fn render(s: &Str, src: &str, indent: usize) -> String {
    if !s.triple {
        return quote(&s.value);
    }
    let written = &src[s.span.start..s.span.end];
    let raw = &written[3..written.len() - 3];
    let candidate = if !raw.contains('\n') && one_line_fits(&s.value) {
        format!("\"\"\"{}\"\"\"", s.value)
    } else {
        block(&s.value, indent)
    };
    // A value that cannot be written another way (a carriage return before a line break, say)
    // keeps the text it was written with.
    let body = &candidate[3..candidate.len() - 3];
    if !body.contains("\"\"\"") && trim_indent(body) == s.value {
        candidate
    } else {
        written.to_string()
    }
}

/// Whether a value can stay on the line of its `"""`: a single non-empty line that does not end
/// in `"` (which would run into the closing `"""`).
fn one_line_fits(value: &str) -> bool {
    !value.is_empty() && !value.contains('\n') && !value.ends_with('"')
}

/// The opening `"""` ends its line; the text follows indented two spaces more than the line
/// that holds the string; the closing `"""` is on a line of its own, at that line's indent.
fn block(value: &str, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("\"\"\"\n");
    if !value.is_empty() {
        for line in value.split('\n') {
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out.push_str(&" ".repeat(indent));
    out.push_str("\"\"\"");
    out
}

/// A plain `"..."` literal with the fewest escapes that keep it on one line and visible.
pub(super) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if invisible(c) => out.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters written as `\u{...}`: control characters (a raw `\r` cannot be written at all),
/// line and paragraph separators, a byte order mark, and the bidirectional overrides that can
/// make a line display differently from what it says.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    fn triple(src: &str) -> Str {
        let value = trim_indent(&src[3..src.len() - 3]);
        Str {
            value,
            span: Span::new(0, src.len()),
            triple: true,
        }
    }

    #[test]
    fn quotes_minimally() {
        assert_eq!(quote("中文 \"x\" \\ é"), r#""中文 \"x\" \\ é""#);
        assert_eq!(quote("a\nb\tc\r\u{7}"), r#""a\nb\tc\u{D}\u{7}""#);
        assert_eq!(quote("\u{202E}"), r#""\u{202E}""#);
    }

    #[test]
    fn triple_strings_are_reindented() {
        let src = "\"\"\"\n\t\tone\n\n\t\t  two\n\t\"\"\"";
        assert_eq!(
            render(&triple(src), src, 2),
            "\"\"\"\n    one\n\n      two\n  \"\"\""
        );
    }

    #[test]
    fn one_line_triple_strings_stay_on_their_line() {
        let src = r#""""C:\new""""#;
        assert_eq!(render(&triple(src), src, 4), src);
        let src = "\"\"\"say \"hi\"\"\"\"";
        let s = Str {
            value: "say \"hi\"".into(),
            span: Span::new(0, src.len()),
            triple: true,
        };
        assert_eq!(render(&s, src, 0), "\"\"\"\n  say \"hi\"\n\"\"\"");
    }

    #[test]
    fn empty_triple_string() {
        let src = "\"\"\"   \"\"\"";
        assert_eq!(render(&triple(src), src, 2), "\"\"\"\n  \"\"\"");
    }
}
