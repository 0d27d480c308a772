//! Whether two parses of a file say the same thing: the formatter's safety check.
//!
//! Two files mean the same when their ASTs are equal once spans are ignored and each sequence is
//! put in the canonical order (the only reordering the layout does, and one that changes no
//! meaning), and when every comment is still attached to the same node in the same way.

use std::collections::BTreeMap;

use super::tree::{Node, header_end, next_token};
use crate::syntax::{
    Attr, Block, Cadence, Comment, Entry, Ident, Item, LineIndex, SourceFile, Span, Str,
    TrainingWhen, Value,
};

/// `Ok` when `new` (parsed from `new_text`) means what `old` (from `old_text`) means; otherwise
/// what differs.
pub fn same_meaning(
    old_text: &str,
    old: &SourceFile,
    new_text: &str,
    new: &SourceFile,
) -> Result<(), String> {
    let (a, b) = (canonical(old), canonical(new));
    if a != b {
        // Only on failure: the pretty dump is slow on large files.
        return Err(format!(
            "the syntax trees differ:\n{}",
            first_difference(&format!("{a:#?}"), &format!("{b:#?}"))
        ));
    }
    let (a, b) = (anchors(old_text, old), anchors(new_text, new));
    if a != b {
        let moved: Vec<String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .map(|k| format!("{k}: {:?} -> {:?}", a.get(k), b.get(k)))
            .collect();
        return Err(format!("the comments moved:\n{}", moved.join("\n")));
    }
    let (mut a, mut b) = (directives(old_text, old), directives(new_text, new));
    // Imports move to the top, and the comments above them with them.
    a.sort();
    b.sort();
    if a != b {
        return Err(format!("`# sopc:` comments moved:\n{a:?}\n{b:?}"));
    }
    Ok(())
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines().zip(b.lines()).find(|(x, y)| x != y).map_or_else(
        || "(one is longer)".to_string(),
        |(x, y)| format!("- {x}\n+ {y}"),
    )
}

/// The AST without spans or comments, sequences in canonical order.
fn canonical(file: &SourceFile) -> SourceFile {
    let mut file = file.clone();
    file.comments.clear();
    file.items.sort_by_key(|i| Node::of_item(i).rank());
    for item in &mut file.items {
        match item {
            Item::Import(i) => {
                i.span = Span::default();
                str(&mut i.path);
            }
            Item::Block(b) => block(b),
        }
    }
    file
}

fn block(b: &mut Block) {
    b.keyword_span = Span::default();
    b.span = Span::default();
    ident(&mut b.id);
    if let Some(t) = &mut b.title {
        str(t);
    }
    b.entries.sort_by_key(|e| Node::of_entry(e).rank());
    for e in &mut b.entries {
        match e {
            Entry::Attr(a) => attr(a),
            Entry::Block(b) => block(b),
            Entry::Transition(t) => {
                t.span = Span::default();
                ident(&mut t.target);
                if let Some(w) = &mut t.when {
                    str(w);
                }
            }
        }
    }
}

fn attr(a: &mut Attr) {
    a.key_span = Span::default();
    a.span = Span::default();
    match &mut a.value {
        Value::Flag => {}
        Value::Ident(i) => ident(i),
        Value::Idents(list) => list.iter_mut().for_each(ident),
        Value::Str(s) => str(s),
        Value::Strings(list) => list.iter_mut().for_each(str),
        Value::Duration(d) => d.span = Span::default(),
        Value::Cadence(c) => cadence(c),
        Value::TrainingWhen(w) => match w {
            TrainingWhen::NewHire(s) | TrainingWhen::Ongoing(s) => *s = Span::default(),
            TrainingWhen::Cadence(c) => cadence(c),
        },
        Value::KpiKind(_, s) | Value::Measure(_, s) => *s = Span::default(),
        Value::Date(d) => d.span = Span::default(),
        Value::GoalTarget(t) => {
            ident(&mut t.kpi);
            t.quantity.number_span = Span::default();
            if let Some(u) = &mut t.quantity.unit {
                ident(u);
            }
            if let Some(d) = &mut t.by {
                d.span = Span::default();
            }
        }
        Value::KpiTarget(t) => {
            t.quantity.number_span = Span::default();
            if let Some(u) = &mut t.quantity.unit {
                ident(u);
            }
            if let Some((_, s)) = &mut t.per {
                *s = Span::default();
            }
        }
        Value::StagePath(p) => {
            p.span = Span::default();
            if let Some(i) = &mut p.pipeline {
                ident(i);
            }
            ident(&mut p.stage);
        }
    }
}

fn cadence(c: &mut Cadence) {
    match c {
        Cadence::Named(_, s) => *s = Span::default(),
        Cadence::Every(d, s) => {
            d.span = Span::default();
            *s = Span::default();
        }
    }
}

fn ident(i: &mut Ident) {
    i.span = Span::default();
}

fn str(s: &mut Str) {
    s.span = Span::default();
}

/// Each comment's text (trailing whitespace aside) and kind, grouped by where it is attached:
/// inside a node, at the end of a node's line, on the lines above a node, right after a
/// block's `{`, or at the end of a block or of the file. Nodes are named by their path of
/// kinds and indexes among their kind, which reordering does not change.
fn anchors(text: &str, file: &SourceFile) -> BTreeMap<String, Vec<(String, bool)>> {
    let top: Vec<Node> = file.items.iter().map(Node::of_item).collect();
    let mut out: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    // The blocks (by their `open` anchor) with a comment between their header and `{`.
    let mut headed: std::collections::BTreeSet<String> = Default::default();
    for c in &file.comments {
        let (mut key, above_first, in_header_gap) = anchor(text, c, &top, "file", (0, 0));
        let mut own_line = c.own_line;
        // The header's comments come first after the `{`: the one that ended the header's line
        // ends the `{` line. A comment that ended the `{` line of such a block goes on a line of
        // its own after them, above the first entry.
        if let Some(open) = in_header_gap {
            headed.insert(open);
        } else if key.ends_with(" open") && !c.own_line && headed.contains(&key) {
            key = above_first;
            own_line = true;
        }
        out.entry(key)
            .or_default()
            .push((c.text.trim_end().to_string(), own_line));
    }
    out
}

/// Where `c` is attached among `nodes`, the content of `path` whose header ends at `head.0`
/// and whose `{` is at `head.1`; for a comment that ends the `{` line, where a comment on a
/// line of its own in the header would be attached; and, when `c` lies between the header and
/// the `{`, the `open` anchor of that block.
fn anchor(
    text: &str,
    c: &Comment,
    nodes: &[Node],
    path: &str,
    head: (usize, usize),
) -> (String, String, Option<String>) {
    let (head_end, open) = head;
    let at = c.span.start;
    let named: Vec<(String, Node)> = names(nodes, path);
    if let Some((name, node)) = named.iter().find(|(_, n)| n.start() <= at && at < n.end()) {
        return match node {
            Node::Block(b) => {
                let end = header_end(b);
                anchor(
                    text,
                    c,
                    &node.children(),
                    name,
                    (end, next_token(text, end)),
                )
            }
            _ => (format!("{name} inside"), String::new(), None),
        };
    }
    let first = named
        .iter()
        .min_by_key(|(_, n)| n.rank())
        .map_or(format!("{path} end"), |(name, _)| format!("{name} above"));
    // Comments in a block's header end the `{` line, or go above its first entry.
    let gap = (head_end <= at && at < open).then(|| format!("{path} open"));
    if at < open && !c.own_line {
        return (format!("{path} open"), first, gap);
    }
    if at < open {
        return (first, String::new(), gap);
    }
    let next = named.iter().find(|(_, n)| n.start() > at);
    let key = if c.own_line {
        next.map_or(format!("{path} end"), |(name, _)| format!("{name} above"))
    } else {
        named
            .iter()
            .rev()
            .find(|(_, n)| n.end() <= at)
            .map_or(format!("{path} open"), |(name, _)| format!("{name} after"))
    };
    (key, first, None)
}

/// Each node with its name under `path`.
fn names<'a>(nodes: &[Node<'a>], path: &str) -> Vec<(String, Node<'a>)> {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    nodes
        .iter()
        .map(|n| {
            let k = counts.entry(n.kind_letter()).or_default();
            *k += 1;
            (format!("{path}/{}{}", n.kind_letter(), *k - 1), *n)
        })
        .collect()
}

/// Every `# sopc:` comment on a line of its own, with the block whose header starts on the
/// next line (what a suppression applies to).
fn directives(text: &str, file: &SourceFile) -> Vec<(String, Option<String>)> {
    let lines = LineIndex::new(text);
    let mut blocks = Vec::new();
    let top: Vec<Node> = file.items.iter().map(Node::of_item).collect();
    collect_blocks(&top, "file", &lines, &mut blocks);
    file.comments
        .iter()
        .filter(|c| c.own_line && c.text.trim_start().starts_with("sopc:"))
        .map(|c| {
            let below = lines.line_of(c.span.start) + 1;
            let block = blocks
                .iter()
                .find(|(line, _)| *line == below)
                .map(|(_, name)| name.clone());
            (c.text.trim_end().to_string(), block)
        })
        .collect()
}

fn collect_blocks(nodes: &[Node], path: &str, lines: &LineIndex, out: &mut Vec<(usize, String)>) {
    for (name, node) in names(nodes, path) {
        if let Node::Block(_) = node {
            out.push((lines.line_of(node.start()), name.clone()));
            collect_blocks(&node.children(), &name, lines, out);
        }
    }
}
