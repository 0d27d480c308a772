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
///
/// The scan compares bytes only, and moves past a character that is not ASCII as a whole
/// ([`char_len`]), so that every token starts and ends on a character boundary whatever the
/// text: the spans can be sliced and turned into positions without a check.
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
        } else if b[i..].starts_with(b"\"\"\"") {
            i += 3;
            while i < b.len() {
                if b[i] == b'\\' {
                    i = after_escape(b, i);
                } else if b[i..].starts_with(b"\"\"\"") {
                    i += 3;
                    break;
                } else {
                    i += char_len(b, i);
                }
            }
            Tok::Str
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'\n' {
                if b[i] == b'\\' {
                    i = after_escape(b, i);
                    continue;
                }
                let quote = b[i] == b'"';
                i += char_len(b, i);
                if quote {
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
        } else if b[i..].starts_with(b"->") {
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
            let ch = char_at(text, i);
            if ch == '_' || unicode_ident::is_xid_start(ch) {
                i += char_len(b, i);
                while i < b.len() && unicode_ident::is_xid_continue(char_at(text, i)) {
                    i += char_len(b, i);
                }
                Tok::Word
            } else {
                i += char_len(b, i);
                Tok::Other
            }
        };
        let end = i.min(b.len());
        debug_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
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

/// The length in bytes of the character whose first byte is at `i` (1 for a byte that starts
/// no character, which a `str` never holds).
fn char_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
    .min(b.len() - i)
}

/// The character at byte `i`, a character boundary.
fn char_at(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or('\u{fffd}')
}

/// Past the backslash at `i` and the character it escapes.
fn after_escape(b: &[u8], i: usize) -> usize {
    if i + 1 < b.len() {
        i + 1 + char_len(b, i + 1)
    } else {
        b.len()
    }
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

/// A definition or a use of a name, found in the tokens of a text that need not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub kind: BlockKind,
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    pub is_def: bool,
    /// A definition's title, as written.
    pub title: Option<String>,
    /// For a stage or a task: the pipeline it is in (a definition, a `->` or a `start`) or the
    /// one written before the dot (a kpi's `stage pipeline.stage`); `None` when not said.
    pub pipeline: Option<String>,
}

impl Name {
    /// Whether `self` and `other` can be the same definition: the same kind and id, and for a
    /// stage, no two different pipelines.
    pub fn same(&self, other: &Name) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && match (&self.pipeline, &other.pipeline) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// How the names after an attribute's key are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// One name.
    One(BlockKind),
    /// Names separated by commas.
    List(BlockKind),
    /// A kpi's `stage`: `stage` or `pipeline.stage`.
    StagePath,
}

/// What attribute `key`, first on its line inside a block of `kind`, takes as names.
fn takes(kind: Option<BlockKind>, key: &str) -> Option<Takes> {
    use BlockKind as K;
    Some(match (kind, key) {
        (_, "owner" | "reports_to") => Takes::One(K::Role),
        (_, "with") => Takes::List(K::Role),
        (Some(K::Training), "for") => Takes::List(K::Role),
        (_, "requires") => Takes::List(K::Training),
        (Some(K::Pipeline), "start") => Takes::One(K::Stage),
        (_, "covers") => Takes::List(K::Kpi),
        (_, "supports") => Takes::List(K::Goal),
        (Some(K::Goal), "target") => Takes::One(K::Kpi),
        (Some(K::Kpi), "stage") => Takes::StagePath,
        _ => return None,
    })
}

/// The text of a string token without its quotes.
pub fn unquote(s: &str) -> &str {
    let inner = s
        .strip_prefix("\"\"\"")
        .map(|r| r.strip_suffix("\"\"\"").unwrap_or(r))
        .or_else(|| {
            s.strip_prefix('"')
                .map(|r| r.strip_suffix('"').unwrap_or(r))
        })
        .unwrap_or(s);
    inner.trim()
}

/// Every definition (a block keyword first on its line and the id after it) and every use (the
/// ids after an attribute that takes names, and after `->`) in `text`, in order: a tolerant
/// reading of a text being typed, which need not parse.
pub fn names(text: &str, toks: &[Token]) -> Vec<Name> {
    let word = |t: &Token| &text[t.span.start..t.span.end];
    let mut out = Vec::new();
    // The blocks open, as (kind, id), and the header of the next block to open.
    let mut stack: Vec<Option<(BlockKind, String)>> = Vec::new();
    let mut header: Option<(BlockKind, String)> = None;
    let mut n = 0;
    while n < toks.len() {
        let t = &toks[n];
        match t.kind {
            Tok::Open => {
                stack.push(header.take());
                n += 1;
                continue;
            }
            Tok::Close => {
                stack.pop();
                header = None;
                n += 1;
                continue;
            }
            _ => {}
        }
        if !t.first {
            n += 1;
            continue;
        }
        let open: Vec<&(BlockKind, String)> = stack.iter().flatten().collect();
        let enclosing = open.last().map(|b| b.0);
        let pipeline = open
            .iter()
            .rev()
            .find(|b| b.0 == BlockKind::Pipeline)
            .map(|b| b.1.clone());
        // The rest of the line.
        let end = toks[n + 1..]
            .iter()
            .position(|x| x.first)
            .map_or(toks.len(), |p| n + 1 + p);
        let line = &toks[n + 1..end];
        let attr = (t.kind == Tok::Word)
            .then(|| takes(enclosing, word(t)))
            .flatten();
        let block = (t.kind == Tok::Word && attr.is_none())
            .then(|| keywords::block_kind(word(t)))
            .flatten();
        header = None;
        if let Some(kind) = block {
            if let Some(id) = line.first().filter(|x| x.kind == Tok::Word) {
                let title = line
                    .get(1)
                    .filter(|x| x.kind == Tok::Str)
                    .map(|x| unquote(word(x)).to_string());
                let name = word(id).to_string();
                out.push(Name {
                    kind,
                    name: name.clone(),
                    span: id.span,
                    is_def: true,
                    title,
                    pipeline: matches!(kind, BlockKind::Stage | BlockKind::Task)
                        .then(|| pipeline.clone())
                        .flatten(),
                });
                header = Some((kind, name));
            }
        } else if t.kind == Tok::Arrow {
            if let Some(id) = line.first().filter(|x| x.kind == Tok::Word) {
                out.push(use_of(
                    BlockKind::Stage,
                    word(id),
                    id.span,
                    pipeline.clone(),
                ));
            }
        } else if let Some(takes) = attr {
            match takes {
                Takes::One(kind) => {
                    if let Some(id) = line.first().filter(|x| x.kind == Tok::Word) {
                        let p = (kind == BlockKind::Stage)
                            .then(|| pipeline.clone())
                            .flatten();
                        out.push(use_of(kind, word(id), id.span, p));
                    }
                }
                Takes::List(kind) => {
                    let mut expect = true;
                    for x in line {
                        match x.kind {
                            Tok::Word if expect => {
                                out.push(use_of(kind, word(x), x.span, None));
                                expect = false;
                            }
                            Tok::Comma => expect = true,
                            _ => break,
                        }
                    }
                }
                Takes::StagePath => match line {
                    [p, dot, s, ..]
                        if p.kind == Tok::Word && dot.kind == Tok::Dot && s.kind == Tok::Word =>
                    {
                        out.push(use_of(BlockKind::Pipeline, word(p), p.span, None));
                        let pl = Some(word(p).to_string());
                        out.push(use_of(BlockKind::Stage, word(s), s.span, pl));
                    }
                    [s, ..] if s.kind == Tok::Word => {
                        out.push(use_of(BlockKind::Stage, word(s), s.span, None));
                    }
                    _ => {}
                },
            }
        }
        // Braces later on the line open and close blocks as they come.
        n += 1;
    }
    out
}

fn use_of(kind: BlockKind, name: &str, span: Span, pipeline: Option<String>) -> Name {
    Name {
        kind,
        name: name.to_string(),
        span,
        is_def: false,
        title: None,
        pipeline,
    }
}

/// The paths of the files `text` imports, as written (`import "path"`).
pub fn imports(text: &str, toks: &[Token]) -> Vec<String> {
    toks.windows(2)
        .filter(|w| {
            w[0].first
                && w[0].kind == Tok::Word
                && &text[w[0].span.start..w[0].span.end] == "import"
                && w[1].kind == Tok::Str
        })
        .map(|w| unquote(&text[w[1].span.start..w[1].span.end]).to_string())
        .collect()
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
    fn names_of_a_text_being_typed() {
        let text = "pipeline 流程 {\n  start 线索\n  stage 线索 \"线索获取\" {\n    owner 代表\n    -> 成交\n    requires a, b\n  }\n}\nkpi k {\n  stage 流程.线索\n  owner \n";
        let toks = tokens(text);
        let found = names(text, &toks);
        let got: Vec<(BlockKind, &str, bool, Option<&str>)> = found
            .iter()
            .map(|n| {
                assert_eq!(&text[n.span.start..n.span.end], n.name);
                (
                    n.kind,
                    &text[n.span.start..n.span.end],
                    n.is_def,
                    n.pipeline.as_deref(),
                )
            })
            .collect();
        use BlockKind as K;
        assert_eq!(
            got,
            vec![
                (K::Pipeline, "流程", true, None),
                (K::Stage, "线索", false, Some("流程")),
                (K::Stage, "线索", true, Some("流程")),
                (K::Role, "代表", false, None),
                (K::Stage, "成交", false, Some("流程")),
                (K::Training, "a", false, None),
                (K::Training, "b", false, None),
                (K::Kpi, "k", true, None),
                (K::Pipeline, "流程", false, None),
                (K::Stage, "线索", false, Some("流程")),
            ]
        );
        let title = names(text, &toks)[2].title.clone();
        assert_eq!(title.as_deref(), Some("线索获取"));
        assert_eq!(
            imports(
                "import \"a.sop\"\nimport b\n",
                &tokens("import \"a.sop\"\nimport b\n")
            ),
            vec!["a.sop"]
        );
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
