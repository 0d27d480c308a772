//! The AST as the formatter walks it: nodes of a sequence, and the pieces of one line.

use crate::syntax::{
    Attr, Block, Cadence, Entry, Import, Item, KpiKind, Quantity, Span, Str, TrainingWhen,
    Transition, Value,
};

/// One thing of a sequence: a top-level item or an entry of a block.
#[derive(Debug, Clone, Copy)]
pub(super) enum Node<'a> {
    Import(&'a Import),
    Block(&'a Block),
    Attr(&'a Attr),
    Transition(&'a Transition),
}

impl<'a> Node<'a> {
    pub fn of_item(item: &'a Item) -> Self {
        match item {
            Item::Import(i) => Node::Import(i),
            Item::Block(b) => Node::Block(b),
        }
    }

    pub fn of_entry(entry: &'a Entry) -> Self {
        match entry {
            Entry::Attr(a) => Node::Attr(a),
            Entry::Block(b) => Node::Block(b),
            Entry::Transition(t) => Node::Transition(t),
        }
    }

    pub fn start(self) -> usize {
        match self {
            Node::Import(i) => i.span.start,
            Node::Block(b) => b.span.start,
            Node::Attr(a) => a.span.start,
            Node::Transition(t) => t.span.start,
        }
    }

    /// Where the node's last token ends. The parser's spans of attributes and transitions that
    /// end in an optional part also cover the whitespace and comments after them.
    pub fn end(self) -> usize {
        match self {
            Node::Import(i) => i.span.end,
            Node::Block(b) => b.span.end,
            Node::Attr(_) | Node::Transition(_) => {
                pieces(self).last().map_or(self.start(), |p| p.span.end)
            }
        }
    }

    /// The canonical order within a sequence: imports before blocks at the top of a file;
    /// attributes, then nested blocks, then transitions inside a block.
    pub fn rank(self) -> u8 {
        match self {
            Node::Import(_) | Node::Attr(_) => 0,
            Node::Block(_) => 1,
            Node::Transition(_) => 2,
        }
    }

    /// A name for the node that survives reordering: its kind and its index among its kind.
    pub fn kind_letter(self) -> char {
        match self {
            Node::Import(_) => 'i',
            Node::Block(_) => 'b',
            Node::Attr(_) => 'a',
            Node::Transition(_) => 't',
        }
    }

    /// The nodes directly inside, for a block.
    pub fn children(self) -> Vec<Node<'a>> {
        match self {
            Node::Block(b) => b.entries.iter().map(Node::of_entry).collect(),
            _ => Vec::new(),
        }
    }
}

/// The offset of the first token at or after `from`, past whitespace and comments: the `{` after
/// a block's header, the `,` before a list item, a keyword without a span.
pub(super) fn next_token(src: &str, from: usize) -> usize {
    let mut in_comment = false;
    for (i, c) in src[from..].char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '#' => in_comment = true,
            c if c.is_whitespace() => {}
            _ => return from + i,
        }
    }
    src.len()
}

/// Where a block's header (keyword, id, title) ends.
pub(super) fn header_end(b: &Block) -> usize {
    b.title.as_ref().map_or(b.id.span.end, |t| t.span.end)
}

/// One token (or a few that always go together) of a line, with where it was written.
#[derive(Debug, Clone)]
pub(super) struct Piece<'a> {
    /// A token written before the piece that has no span of its own in the AST (a comparator,
    /// `by`, `per`, `when`), or "".
    pub keyword: &'static str,
    /// The piece's text as it is written, or "" for a string literal.
    pub lead: String,
    /// A string literal, rendered by the layout (it depends on the indentation).
    pub str: Option<&'a Str>,
    /// Where the piece was written: the comments between the previous piece and this one are
    /// the ones inside the line.
    pub span: Span,
    /// A list item after the first: a `,` goes before it.
    pub comma: bool,
}

impl<'a> Piece<'a> {
    fn text(lead: impl Into<String>, span: Span) -> Self {
        Piece {
            keyword: "",
            lead: lead.into(),
            str: None,
            span,
            comma: false,
        }
    }

    fn string(s: &'a Str) -> Self {
        Piece {
            keyword: "",
            lead: String::new(),
            str: Some(s),
            span: s.span,
            comma: false,
        }
    }

    fn after(mut self, keyword: &'static str) -> Self {
        self.keyword = keyword;
        self
    }

    fn listed(mut self, index: usize) -> Self {
        self.comma = index > 0;
        self
    }
}

/// The pieces of a node's first line: a whole attribute, transition or import, or a block's
/// header up to (not including) its `{`.
pub(super) fn pieces(node: Node<'_>) -> Vec<Piece<'_>> {
    match node {
        Node::Import(i) => vec![
            Piece::text("import", Span::new(i.span.start, i.span.start + 6)),
            Piece::string(&i.path),
        ],
        Node::Block(b) => {
            let mut out = vec![
                Piece::text(b.kind.keyword(), b.keyword_span),
                Piece::text(b.id.name.as_str(), b.id.span),
            ];
            out.extend(b.title.as_ref().map(Piece::string));
            out
        }
        Node::Transition(t) => {
            let mut out = vec![
                Piece::text("->", Span::new(t.span.start, t.span.start + 2)),
                Piece::text(t.target.name.as_str(), t.target.span),
            ];
            out.extend(t.when.as_ref().map(|w| Piece::string(w).after("when")));
            out
        }
        Node::Attr(a) => {
            let mut out = vec![Piece::text(a.key.keyword(), a.key_span)];
            value(&a.value, &mut out);
            out
        }
    }
}

fn value<'a>(v: &'a Value, out: &mut Vec<Piece<'a>>) {
    match v {
        Value::Flag => {}
        Value::Ident(i) => out.push(Piece::text(i.name.as_str(), i.span)),
        Value::Idents(list) => out.extend(
            list.iter()
                .enumerate()
                .map(|(k, i)| Piece::text(i.name.as_str(), i.span).listed(k)),
        ),
        Value::Str(s) => out.push(Piece::string(s)),
        Value::Strings(list) => out.extend(
            list.iter()
                .enumerate()
                .map(|(k, s)| Piece::string(s).listed(k)),
        ),
        Value::Duration(d) => out.push(Piece::text(d.text.as_str(), d.span)),
        Value::Cadence(c) => cadence(c, out),
        Value::TrainingWhen(w) => match w {
            TrainingWhen::NewHire(span) => out.push(Piece::text("new_hire", *span)),
            TrainingWhen::Ongoing(span) => out.push(Piece::text("ongoing", *span)),
            TrainingWhen::Cadence(c) => cadence(c, out),
        },
        Value::KpiKind(kind, span) => out.push(Piece::text(
            match kind {
                KpiKind::Quantitative => "quantitative",
                KpiKind::Qualitative => "qualitative",
            },
            *span,
        )),
        Value::Measure(m, span) => out.push(Piece::text(m.keyword(), *span)),
        Value::Date(d) => out.push(Piece::text(d.text.as_str(), d.span)),
        Value::GoalTarget(t) => {
            out.push(Piece::text(t.kpi.name.as_str(), t.kpi.span));
            quantity(&t.quantity, t.comparator.symbol(), out);
            out.extend(
                t.by.as_ref()
                    .map(|d| Piece::text(d.text.as_str(), d.span).after("by")),
            );
        }
        Value::KpiTarget(t) => {
            quantity(&t.quantity, t.comparator.symbol(), out);
            out.extend(
                t.per
                    .map(|(p, span)| Piece::text(p.keyword(), span).after("per")),
            );
        }
        Value::StagePath(p) => {
            let text = match &p.pipeline {
                Some(pipeline) => format!("{}.{}", pipeline.name, p.stage.name),
                None => p.stage.name.clone(),
            };
            out.push(Piece::text(text, p.span));
        }
    }
}

fn quantity<'a>(q: &'a Quantity, comparator: &'static str, out: &mut Vec<Piece<'a>>) {
    out.push(Piece::text(q.text.as_str(), q.number_span).after(comparator));
    out.extend(
        q.unit
            .as_ref()
            .map(|u| Piece::text(u.name.as_str(), u.span)),
    );
}

fn cadence<'a>(c: &'a Cadence, out: &mut Vec<Piece<'a>>) {
    match c {
        Cadence::Named(named, span) => out.push(Piece::text(named.keyword(), *span)),
        Cadence::Every(d, span) => {
            out.push(Piece::text("every", Span::new(span.start, span.start + 5)));
            out.push(Piece::text(d.text.as_str(), d.span));
        }
    }
}
