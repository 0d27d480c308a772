//! YAML to a small tree where every node knows where it was written (serde-saphyr's `Spanned`).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::syntax::Span;

/// A YAML node and the bytes it was written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NodeKind {
    Null,
    /// A scalar as text: `off`, `1` and `yes` stay the words they were written as.
    Scalar(String),
    Seq(Vec<Node>),
    /// Entries in the order written.
    Map(Vec<(Node, Node)>),
}

impl NodeKind {
    /// What this is, for "expected a mapping, found a list".
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing",
            NodeKind::Scalar(_) => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error: the parser's message and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct YamlError {
    pub message: String,
    pub span: Span,
}

/// A key given a second time in one mapping. The tree keeps only the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Duplicate {
    pub key: String,
    pub first: Span,
    pub again: Span,
}

/// Parses one YAML document. An empty document (or only comments) is [`NodeKind::Null`].
pub(super) fn parse(text: &str) -> Result<(Node, Vec<Duplicate>), YamlError> {
    // Repeated keys reach the tree so that both places can be shown. Comments are not read
    // into the tree: emitted, they are buffered while the parser looks ahead for a key, and a
    // buffer limit (32 by default) would refuse a config with a longer run of comment lines.
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        emit_comments: false,
    };
    match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options) {
        Ok(raw) => {
            let mut duplicates = Vec::new();
            let root = resolve(text, raw, &mut duplicates);
            Ok((root, duplicates))
        }
        Err(e) => {
            let rendered = e.render_with_options(serde_saphyr::render_options! {
                snippets: serde_saphyr::SnippetMode::Off,
                formatter: &serde_saphyr::UserMessageFormatter,
            });
            let (span, message) = match e.location() {
                Some(loc) => {
                    let suffix = format!(" at line {}, column {}", loc.line(), loc.column());
                    let message = rendered.strip_suffix(&suffix).unwrap_or(&rendered);
                    (span_of(text, loc), message.to_string())
                }
                None => (Span::new(0, 0), rendered),
            };
            Err(YamlError {
                message: message.trim_end_matches('.').to_string(),
                span,
            })
        }
    }
}

/// The tree as deserialized: children carry saphyr locations, scalars that YAML typed as
/// booleans or numbers carry no text (it is read back from the source).
#[derive(Debug)]
enum RawNode {
    Null,
    Scalar(Option<String>),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }

    fn visit_bool<E>(self, _: bool) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_i128<E>(self, _: i128) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_u128<E>(self, _: u128) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(Some(v.to_string())))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode::Scalar(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
}

fn resolve(text: &str, raw: Spanned<RawNode>, duplicates: &mut Vec<Duplicate>) -> Node {
    let span = span_of(text, raw.referenced);
    let kind = match raw.value {
        RawNode::Null => NodeKind::Null,
        RawNode::Scalar(Some(s)) => NodeKind::Scalar(s),
        RawNode::Scalar(None) => NodeKind::Scalar(text[span.start..span.end].to_string()),
        RawNode::Seq(items) => NodeKind::Seq(
            items
                .into_iter()
                .map(|i| resolve(text, i, duplicates))
                .collect(),
        ),
        RawNode::Map(raw_entries) => {
            let mut entries: Vec<(Node, Node)> = Vec::new();
            for (k, v) in raw_entries {
                let key = resolve(text, k, duplicates);
                let value = resolve(text, v, duplicates);
                let earlier = entries.iter().find(|(e, _)| match (&e.kind, &key.kind) {
                    (NodeKind::Scalar(a), NodeKind::Scalar(b)) => a == b,
                    _ => false,
                });
                match (earlier, &key.kind) {
                    (Some((first, _)), NodeKind::Scalar(name)) => duplicates.push(Duplicate {
                        key: name.clone(),
                        first: first.span,
                        again: key.span,
                    }),
                    _ => entries.push((key, value)),
                }
            }
            NodeKind::Map(entries)
        }
    };
    Node { kind, span }
}

/// The bytes a location covers; an empty location inside a line covers the character there, so
/// that a block list or mapping is underlined at its first character.
fn span_of(text: &str, loc: Location) -> Span {
    let s = loc.span();
    let (start, len) = match (s.byte_offset(), s.byte_len()) {
        (Some(o), Some(l)) => (usize_of(o), usize_of(l)),
        _ => (offset_of(text, loc.line(), loc.column()), 0),
    };
    let start = floor_char_boundary(text, start.min(text.len()));
    let mut end = floor_char_boundary(text, start.saturating_add(len).min(text.len()));
    if end == start {
        end += text[start..]
            .chars()
            .next()
            .filter(|c| !matches!(c, '\n' | '\r'))
            .map_or(0, char::len_utf8);
    }
    Span::new(start, end)
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The byte offset of a 1-based line and a 1-based column counted in characters.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(usize_of(line - 2))
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(usize_of(column.saturating_sub(1)))
        .map_or(rest.len(), |(i, _)| i);
    line_start + in_line
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str, node: &Node) -> String {
        text[node.span.start..node.span.end].to_string()
    }

    #[test]
    fn keeps_words_and_places() {
        let text = "rules:\n  unused-definition: off\n  x: 1\n";
        let (root, _) = parse(text).unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!("{root:?}")
        };
        let NodeKind::Map(rules) = &top[0].1.kind else {
            panic!("{root:?}")
        };
        assert_eq!(rules[0].1.kind, NodeKind::Scalar("off".into()));
        assert_eq!(scalar(text, &rules[0].0), "unused-definition");
        assert_eq!(rules[1].1.kind, NodeKind::Scalar("1".into()));
        // The mapping starts at its first key: one character is underlined.
        assert_eq!(scalar(text, &top[0].1), "u");
    }

    #[test]
    fn empty_and_comment_only_are_null() {
        assert_eq!(parse("").unwrap().0.kind, NodeKind::Null);
        assert_eq!(parse("# nothing yet\n").unwrap().0.kind, NodeKind::Null);
    }

    #[test]
    fn syntax_errors_have_a_place_and_no_location_suffix() {
        let text = "rules:\n  a: error\n b: off\n";
        let e = parse(text).unwrap_err();
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert_eq!(e.span.start, text.find(" b:").unwrap() + 1);
    }

    #[test]
    fn a_repeated_key_is_kept_once_and_reported_with_both_places() {
        let text = "rules:\n  a: error\n  a: off\n";
        let (root, duplicates) = parse(text).unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!("{root:?}")
        };
        let NodeKind::Map(rules) = &top[0].1.kind else {
            panic!("{root:?}")
        };
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].1.kind, NodeKind::Scalar("error".into()));
        assert_eq!(duplicates[0].key, "a");
        assert_eq!(duplicates[0].first.start, text.find("a:").unwrap());
        assert_eq!(duplicates[0].again.start, text.rfind("a:").unwrap());
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(offset_of("ab\n线索x\n", 2, 3), "ab\n线索".len());
        assert_eq!(offset_of("ab", 5, 1), 2);
    }
}
