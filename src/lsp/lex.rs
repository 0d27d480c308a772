//! A lexical scan of a text that need not parse: the words, strings, comments, numbers and
//! symbols of the language, for semantic tokens, for the context of a completion and for the
//! keyword under the cursor.

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};

use super::keywords::{self, CADENCES};
use super::text::{Encoding, Lines};
use super::{Failure, Server};
use crate::syntax::{BlockKind, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Word,
    Str,
    Comment,
    Number,
    Arrow,
    Cmp,
    Open,
    Close,
    Comma,
    Dot,
    Other,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: Tok,
    pub span: Span,
    /// The first token of its line.
    pub first: bool,
}

/// The tokens of `text`, in order. A string or comment left open runs to the end of its line
/// (a plain string) or of the text (a triple-quoted one).
pub fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut first = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            first = true;
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c == b'#' {
            i = memchr(b, i, b'\n');
            Tok::Comment
        } else if text[i..].starts_with("\"\"\"") {
            i += 3;
            loop {
                if i >= b.len() {
                    break;
                }
                if b[i] == b'\\' {
                    i = after_escape(text, i);
                } else if text[i..].starts_with("\"\"\"") {
                    i += 3;
                    break;
                } else {
                    i += 1;
                }
            }
            Tok::Str
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'\n' {
                if b[i] == b'\\' {
                    i = after_escape(text, i);
                    continue;
                }
                i += 1;
                if b[i - 1] == b'"' {
                    break;
                }
            }
            Tok::Str
        } else if c.is_ascii_digit() {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric()
                    || matches!(b[i], b'_' | b'.' | b'-' | b':' | b'%'))
            {
                i += 1;
            }
            Tok::Number
        } else if text[i..].starts_with("->") {
            i += 2;
            Tok::Arrow
        } else if matches!(c, b'>' | b'<' | b'=') {
            i += 1;
            if i < b.len() && b[i] == b'=' {
                i += 1;
            }
            Tok::Cmp
        } else if c == b'{' {
            i += 1;
            Tok::Open
        } else if c == b'}' {
            i += 1;
            Tok::Close
        } else if c == b',' {
            i += 1;
            Tok::Comma
        } else if c == b'.' {
            i += 1;
            Tok::Dot
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            if ch == '_' || unicode_ident::is_xid_start(ch) {
                i += ch.len_utf8();
                for ch in text[i..].chars() {
                    if unicode_ident::is_xid_continue(ch) {
                        i += ch.len_utf8();
                    } else {
                        break;
                    }
                }
                Tok::Word
            } else {
                i += ch.len_utf8();
                Tok::Other
            }
        };
        let end = i.min(b.len());
        out.push(Token {
            kind,
            span: Span::new(start, end),
            first,
        });
        first = false;
        i = end;
    }
    out
}

/// Past the backslash at `i` and the character it escapes.
fn after_escape(text: &str, i: usize) -> usize {
    let next = text[i + 1..].chars().next().map_or(0, char::len_utf8);
    i + 1 + next
}

fn memchr(b: &[u8], from: usize, c: u8) -> usize {
    b[from..]
        .iter()
        .position(|&x| x == c)
        .map_or(b.len(), |p| from + p)
}

/// The blocks open at byte `offset`, outermost first: each block's kind and id.
pub fn open_blocks(text: &str, toks: &[Token], offset: usize) -> Vec<(BlockKind, String)> {
    let mut stack: Vec<Option<(BlockKind, String)>> = Vec::new();
    let mut header: Option<(BlockKind, String)> = None;
    for (n, t) in toks.iter().enumerate() {
        if t.span.start >= offset {
            break;
        }
        match t.kind {
            Tok::Word if t.first => {
                let word = &text[t.span.start..t.span.end];
                header = keywords::block_kind(word).and_then(|k| {
                    let id = toks.get(n + 1).filter(|x| x.kind == Tok::Word)?;
                    Some((k, text[id.span.start..id.span.end].to_string()))
                });
            }
            Tok::Open => stack.push(header.take()),
            Tok::Close => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.into_iter().flatten().collect()
}

const TYPES: [SemanticTokenType; 8] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NUMBER,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::TYPE,
];

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

const KEYWORD_VALUES: [&str; 9] = [
    "when",
    "by",
    "per",
    "every",
    "new_hire",
    "ongoing",
    "quantitative",
    "qualitative",
    "import",
];

/// The semantic token type (an index into the legend) of each token, and whether it declares.
pub fn classify(text: &str, toks: &[Token]) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(toks.len());
    let mut after_block = false;
    for t in toks {
        let word = &text[t.span.start..t.span.end];
        let class = match t.kind {
            Tok::Word if after_block => (7, true),
            Tok::Word if t.first && keywords::block_kind(word).is_some() => (0, false),
            Tok::Word if t.first && keywords::attr(None, word).is_some() => (1, false),
            Tok::Word
                if KEYWORD_VALUES.contains(&word)
                    || CADENCES.contains(&word)
                    || word == "terminal" =>
            {
                (0, false)
            }
            Tok::Word => (2, false),
            Tok::Str => (3, false),
            Tok::Comment => (4, false),
            Tok::Number => (5, false),
            Tok::Arrow | Tok::Cmp => (6, false),
            _ => (usize::MAX, false),
        };
        after_block = t.kind == Tok::Word && t.first && keywords::block_kind(word).is_some();
        out.push(class);
    }
    out
}

pub(crate) fn semantic_tokens(
    server: &mut Server,
    p: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, Failure> {
    let (_, doc) = server.doc(&p.text_document.uri)?;
    let data = encode(&doc.text, &doc.lines, server.enc);
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}

/// The tokens in LSP's relative encoding; a token over several lines is split per line.
pub fn encode(text: &str, lines: &Lines, enc: Encoding) -> Vec<SemanticToken> {
    let toks = tokens(text);
    let classes = classify(text, &toks);
    let mut out = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (t, (class, decl)) in toks.iter().zip(classes) {
        if class == usize::MAX {
            continue;
        }
        let mut start = t.span.start;
        while start < t.span.end {
            let line = lines.line_of(start);
            let line_end = lines.line_start(line + 1, text).min(t.span.end).max(start);
            let piece_end = if line_end > start && text.as_bytes()[line_end - 1] == b'\n' {
                line_end - 1
            } else {
                line_end
            };
            let a = lines.position(text, start, enc);
            let b = lines.position(text, piece_end, enc);
            if b.character > a.character {
                let delta_line = a.line - last_line;
                let delta_start = if delta_line == 0 {
                    a.character - last_col
                } else {
                    a.character
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: b.character - a.character,
                    token_type: class as u32,
                    token_modifiers_bitset: u32::from(decl),
                });
                last_line = a.line;
                last_col = a.character;
            }
            if line_end <= start {
                break;
            }
            start = line_end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_a_text_that_does_not_parse() {
        let text = "stage 线索 {\n  owner sales_rep # who\n  -> next when \"a \\\" b\n  sla 2d\n";
        let toks = tokens(text);
        let kinds: Vec<Tok> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Tok::Word,
                Tok::Word,
                Tok::Open,
                Tok::Word,
                Tok::Word,
                Tok::Comment,
                Tok::Arrow,
                Tok::Word,
                Tok::Word,
                Tok::Str,
                Tok::Word,
                Tok::Number
            ]
        );
        let blocks = open_blocks(text, &toks, text.len());
        assert_eq!(blocks, vec![(BlockKind::Stage, "线索".to_string())]);
    }

    #[test]
    fn an_escaped_wide_character_keeps_tokens_on_character_boundaries() {
        for text in ["\"\"\"a\\线\"\"\" x", "\"\\线\" y", "\"\\", "\"\"\"\\"] {
            let toks = tokens(text);
            for t in &toks {
                assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            }
            let lines = Lines::new(text);
            let _ = encode(text, &lines, Encoding::Utf16);
        }
    }
}
