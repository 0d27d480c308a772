//! Turning string literals as written into their values.

/// What went wrong inside a string literal, at a byte offset relative to the literal's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscapeError {
    /// Byte offset of the escape's `\` from the start of the literal's text (after the quote).
    pub offset: usize,
    /// Length of the whole `\u{...}` escape, in bytes.
    pub len: usize,
    /// The code point written, which is a surrogate or above `10FFFF`.
    pub code: u32,
}

/// Processes the escapes of a plain `"..."` string body (the grammar has already checked their shape).
pub fn unescape(raw: &str) -> Result<String, EscapeError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match rest.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'u')) => {
                rest.next(); // `{`
                let mut code = 0u32;
                let mut end = i;
                for (j, h) in rest.by_ref() {
                    if h == '}' {
                        end = j + 1;
                        break;
                    }
                    code = code * 16 + h.to_digit(16).unwrap_or(0);
                }
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(EscapeError {
                            offset: i,
                            len: end - i,
                            code,
                        });
                    }
                }
            }
            // The grammar admits no other escape; keep the text if one slips through.
            Some((_, other)) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Ok(out)
}

/// The value of a `"""..."""` body: line endings normalised, blank first and last lines dropped,
/// and the common indentation of the non-blank lines removed (Kotlin's `trimIndent`).
pub fn trim_indent(raw: &str) -> String {
    let text = raw.replace("\r\n", "\n");
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                ""
            } else {
                &l[indent..]
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"a\"b\\c\nd\te"#).unwrap(), "a\"b\\c\nd\te");
        assert_eq!(unescape(r"\u{4E2D}\u{6587}").unwrap(), "中文");
        let err = unescape(r"x\u{D800}y").unwrap_err();
        assert_eq!((err.offset, err.len, err.code), (1, 8, 0xD800));
    }

    #[test]
    fn trim_indent_like_kotlin() {
        assert_eq!(trim_indent("\n    a\n      b\n    c\n  "), "a\n  b\nc");
        assert_eq!(trim_indent("one line"), "one line");
        assert_eq!(trim_indent("\r\n  x\r\n\r\n  y\r\n"), "x\n\ny");
        assert_eq!(trim_indent(""), "");
    }
}
