//! Finds the `#` comments of a file that parsed, skipping `#` inside strings.

use super::ast::{Comment, Span};

/// Every comment in `text`, in order. `text` must be a file that parsed.
pub fn scan(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    let mut line_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => {
                i += 1;
                line_start = i;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                let body = i + 3;
                let end = text[body..]
                    .find("\"\"\"")
                    .map_or(bytes.len(), |e| body + e + 3);
                if let Some(nl) = text[i..end].rfind(['\n', '\r']) {
                    line_start = i + nl + 1;
                }
                i = end;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'#' => {
                let end = text[i..].find(['\n', '\r']).map_or(bytes.len(), |e| i + e);
                let before = &text[line_start..i];
                comments.push(Comment {
                    text: text[i + 1..end].to_string(),
                    span: Span::new(i, end),
                    own_line: before
                        .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                        .is_empty(),
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hashes_in_strings() {
        let text = "# a\nx \"#no\" # b\r\ny \"\"\"\n # no\n\"\"\"\n  # c\r# d\rz # e";
        let found: Vec<(String, bool)> = scan(text)
            .into_iter()
            .map(|c| (c.text, c.own_line))
            .collect();
        assert_eq!(
            found,
            vec![
                (" a".to_string(), true),
                (" b".to_string(), false),
                (" c".to_string(), true),
                (" d".to_string(), true),
                (" e".to_string(), false)
            ]
        );
    }
}
