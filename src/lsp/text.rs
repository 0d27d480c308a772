//! Positions and addresses at the edge of the server: byte offsets to LSP positions (UTF-16 code
//! units, or UTF-8 bytes when the client negotiates it) and back, `file:` URIs to paths and back.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::syntax::Span;

/// How the columns of LSP positions count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units: what LSP requires unless the client offers another.
    #[default]
    Utf16,
    /// Bytes of UTF-8.
    Utf8,
}

/// Where each line of a text starts.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the line starts of `text` (lines end at `\n`).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The line holding byte `offset` (clamped to the text), from 0.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte where line `line` starts, or the end of the text past the last line.
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// The LSP position of byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        Position::new(line as u32, col as u32)
    }

    /// The LSP range of the byte span `span`, each end as [`Lines::position`] gives it.
    pub fn range(&self, text: &str, span: Span, enc: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// The byte offset of an LSP position; a column past the end of its line is the end of the
    /// line (before its line break), a line past the end is the end of the text.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e - 1);
        let content = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in content.char_indices() {
            if units >= want {
                return start + i;
            }
            units += match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        start + content.len()
    }
}

/// The path of a `file:` URI; `None` for another scheme.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` (empty host) or `file://localhost/p`.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path);
    let text = String::from_utf8(bytes).ok()?;
    Some(PathBuf::from(text))
}

/// The folder, found nowhere on disk, that holds the buffers of URIs other than `file:` (VS
/// Code's `untitled:Untitled-1`, a new file never saved): they belong to no project, so they
/// are checked with the default configuration and import nothing.
pub const UNSAVED_DIR: &str = "/.sopc-unsaved-buffers";

/// The path a document is held at: a `file:` URI's path, or for another scheme a name in
/// [`UNSAVED_DIR`] made of the whole URI (each byte other than a letter, a digit, `-`, `_`,
/// `:` or `~` percent-encoded, so that the name is one component and never `.` or `..`).
pub fn uri_to_key(uri: &Uri) -> PathBuf {
    if let Some(path) = uri_to_path(uri) {
        return path;
    }
    let mut name = String::new();
    for b in uri.as_str().bytes() {
        if b.is_ascii_alphanumeric() || b"-_:~".contains(&b) {
            name.push(b as char);
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    Path::new(UNSAVED_DIR).join(name)
}

/// Whether `path` is the place of a buffer that has no file ([`uri_to_key`]).
pub fn is_unsaved(path: &Path) -> bool {
    path.parent() == Some(Path::new(UNSAVED_DIR))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(hex) = std::str::from_utf8(&b[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let text = "a😀线b\nx";
        let lines = Lines::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(
            lines.position(text, b, Encoding::Utf16),
            Position::new(0, 4)
        );
        assert_eq!(lines.position(text, b, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(lines.offset(text, Position::new(0, 4), Encoding::Utf16), b);
        assert_eq!(lines.offset(text, Position::new(0, 8), Encoding::Utf8), b);
        assert_eq!(
            lines.offset(text, Position::new(0, 99), Encoding::Utf16),
            b + 1
        );
        assert_eq!(
            lines.offset(text, Position::new(1, 0), Encoding::Utf16),
            b + 2
        );
        assert_eq!(
            lines.offset(text, Position::new(7, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/销售 a#b.sop");
        let uri = path_to_uri(p);
        assert!(uri.as_str().starts_with("file:///tmp/"), "{}", uri.as_str());
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let u = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&u), None);
        let key = uri_to_key(&u);
        assert_eq!(key, Path::new(UNSAVED_DIR).join("untitled:Untitled-1"));
        assert!(is_unsaved(&key) && !is_unsaved(p));
        let odd = Uri::from_str("untitled:../a/b.sop").unwrap();
        assert_eq!(
            uri_to_key(&odd).file_name().unwrap(),
            "untitled:%2E%2E%2Fa%2Fb%2Esop"
        );
    }
}
