//! Source text and the mapping from byte offsets to lines and columns.

use super::ast::Span;

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// The line, counting from 1.
    pub line: usize,
    /// The column, counting Unicode scalar values from 1.
    pub column: usize,
}

/// Byte offsets of line starts, for turning spans into lines and columns.
///
/// A line ends at LF, CRLF or a lone CR: the same lines every output format counts, and the
/// ones the quoted source in human output shows.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars_before[k]`: how many characters start before byte `k * CHUNK`, so a column on
    /// a very long line (a minified file) costs at most one chunk of counting, not the line.
    chars_before: Vec<usize>,
}

/// Bytes per entry of [`LineIndex::chars_before`].
const CHUNK: usize = 1024;

/// How many characters start in `bytes` (UTF-8 continuation bytes do not start one).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        let mut chars_before = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut total = 0;
        chars_before.push(0);
        for chunk in bytes.chunks(CHUNK) {
            total += count_chars(chunk);
            chars_before.push(total);
        }
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// How many characters start before byte `offset`.
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let k = offset / CHUNK;
        match self.chars_before.get(k) {
            Some(&before) => before + count_chars(&text.as_bytes()[k * CHUNK..offset]),
            None => count_chars(&text.as_bytes()[..offset]),
        }
    }

    /// Line and column of a byte offset. An offset inside a character counts as that character;
    /// a UTF-8 byte-order mark does not take a column.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut prefix_end = offset;
        while !text.is_char_boundary(prefix_end) {
            prefix_end -= 1;
        }
        let bom = usize::from(line == 0 && text[start..prefix_end].starts_with('\u{FEFF}'));
        let chars = if prefix_end - start <= CHUNK {
            text[start..prefix_end].chars().count()
        } else {
            self.chars_to(text, prefix_end) - self.chars_to(text, start)
        };
        LineCol {
            line: line + 1,
            column: chars - bom + 1,
        }
    }

    /// The span of the whole line holding `offset`, without its line ending.
    pub fn line_span(&self, text: &str, offset: usize) -> Span {
        let line = self
            .starts
            .partition_point(|&s| s <= offset.min(text.len()))
            - 1;
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(text.len(), |&n| n - 1);
        let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Span::new(start, end.max(start))
    }

    /// 0-based line number of an offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_not_bytes() {
        let text = "ab\r\n线索获取 x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 6 });
        assert_eq!(idx.line_span(text, 1), Span::new(0, 2));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a\rb\r\nc\nd\r";
        let idx = LineIndex::new(text);
        let at = |c: char| idx.line_col(text, text.find(c).unwrap());
        assert_eq!(at('b'), LineCol { line: 2, column: 1 });
        assert_eq!(at('c'), LineCol { line: 3, column: 1 });
        assert_eq!(at('d'), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_span(text, 0), Span::new(0, 1));
        assert_eq!(idx.line_span(text, 2), Span::new(2, 3));
        assert_eq!(idx.line_of(text.len()), 4);
    }

    #[test]
    fn columns_on_a_very_long_line() {
        let text = format!("{}x", "中a".repeat(5000));
        let idx = LineIndex::new(&text);
        let x = text.len() - 1;
        assert_eq!(
            idx.line_col(&text, x),
            LineCol {
                line: 1,
                column: 10_001
            }
        );
        let text = format!("a\n{}", text);
        let idx = LineIndex::new(&text);
        assert_eq!(
            idx.line_col(&text, x + 2),
            LineCol {
                line: 2,
                column: 10_001
            }
        );
        // Inside a character counts as that character.
        assert_eq!(idx.line_col(&text, 2 + 1), LineCol { line: 2, column: 1 });
        assert_eq!(
            idx.line_col(&text, 2 + 3000 * 4 + 1),
            LineCol {
                line: 2,
                column: 6001
            }
        );
    }

    #[test]
    fn bom_takes_no_column() {
        let text = "\u{FEFF}sop";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
    }
}
