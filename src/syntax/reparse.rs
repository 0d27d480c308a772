//! Parsing a file again after an edit, for an editor that sends a change per keystroke: the
//! top-level items before the edit and after it are kept from the last parse (those after it
//! moved by the change in length), and only the text between them is parsed. The result is
//! the AST [`parse`] gives for the whole new text; when that cannot be shown cheaply (the old
//! text did not parse, the text between does not parse on its own) the whole text is parsed.
//!
//! Why the pieces agree with a whole parse: a top-level item ends with its own last token (the
//! `}` of a block, the closing quote of an import), and the grammar never looks past it, so an
//! item whose bytes and start are unchanged parses the same. The text between is cut at the end
//! of a kept item and at the start of a kept item that begins a line, so a comment cannot run
//! across either cut.

use super::ast::*;
use super::comments;
use super::errors::SyntaxError;
use super::parser::parse;

/// The parse of `text`, which was `old_text` (whose parse was `old`) before an edit.
pub fn parse_after_edit(
    old_text: &str,
    old: &SourceFile,
    text: &str,
) -> Result<SourceFile, SyntaxError> {
    reuse(old_text, old, text).map_or_else(|| parse(text), Ok)
}

fn reuse(old_text: &str, old: &SourceFile, text: &str) -> Option<SourceFile> {
    let (o, n) = (old_text.as_bytes(), text.as_bytes());
    let prefix = o.iter().zip(n).take_while(|(a, b)| a == b).count();
    let room = o.len().min(n.len()) - prefix;
    let suffix = o
        .iter()
        .rev()
        .zip(n.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let items = &old.items;
    // Kept before: the items that end before the first changed byte.
    let head = items.partition_point(|i| item_span(i).end <= prefix);
    let cut_start = if head == 0 {
        0
    } else {
        item_span(&items[head - 1]).end
    };
    // Kept after: from the first item wholly in the unchanged end that starts a line.
    let unchanged_from = o.len() - suffix;
    let moved = |start: usize| start + n.len() - o.len();
    let mut tail = items
        .partition_point(|i| item_span(i).start < unchanged_from)
        .max(head);
    while tail < items.len() {
        let start = moved(item_span(&items[tail]).start);
        if start > cut_start && n[start - 1] == b'\n' {
            break;
        }
        tail += 1;
    }
    if head == 0 && tail == items.len() {
        return None;
    }
    let cut_end = items
        .get(tail)
        .map_or(n.len(), |i| moved(item_span(i).start));
    let between = text.get(cut_start..cut_end)?;
    // A byte-order mark is read only at the very start of a file.
    if cut_start > 0 && between.contains('\u{FEFF}') {
        return None;
    }
    let middle = parse(between).ok()?;
    let mut out = Vec::with_capacity(head + middle.items.len() + items.len() - tail);
    out.extend(items[..head].iter().cloned());
    out.extend(middle.items.into_iter().map(|mut i| {
        shift_item(&mut i, cut_start, true);
        i
    }));
    let grew = n.len() >= o.len();
    let by = n.len().abs_diff(o.len());
    out.extend(items[tail..].iter().cloned().map(|mut i| {
        shift_item(&mut i, by, grew);
        i
    }));
    Some(SourceFile {
        items: out,
        comments: comments::scan(text),
    })
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Import(i) => i.span,
        Item::Block(b) => b.span,
    }
}

/// Moves every span of `item` `by` bytes, later in the text when `later`, else earlier.
fn shift_item(item: &mut Item, by: usize, later: bool) {
    let mut m = Mover { by, later };
    match item {
        Item::Import(Import { path, span }) => {
            m.str(path);
            m.span(span);
        }
        Item::Block(b) => m.block(b),
    }
}

struct Mover {
    by: usize,
    later: bool,
}

impl Mover {
    fn span(&mut self, s: &mut Span) {
        if self.later {
            s.start += self.by;
            s.end += self.by;
        } else {
            s.start -= self.by;
            s.end -= self.by;
        }
    }

    fn ident(&mut self, i: &mut Ident) {
        self.span(&mut i.span);
    }

    fn str(&mut self, s: &mut Str) {
        self.span(&mut s.span);
    }

    fn block(&mut self, b: &mut Block) {
        let Block {
            kind: _,
            keyword_span,
            id,
            title,
            entries,
            span,
        } = b;
        self.span(keyword_span);
        self.ident(id);
        if let Some(t) = title {
            self.str(t);
        }
        for e in entries {
            match e {
                Entry::Attr(a) => self.attr(a),
                Entry::Block(b) => self.block(b),
                Entry::Transition(Transition { target, when, span }) => {
                    self.ident(target);
                    if let Some(w) = when {
                        self.str(w);
                    }
                    self.span(span);
                }
            }
        }
        self.span(span);
    }

    fn attr(&mut self, a: &mut Attr) {
        let Attr {
            key: _,
            key_span,
            value,
            span,
        } = a;
        self.span(key_span);
        self.span(span);
        match value {
            Value::Flag => {}
            Value::Ident(i) => self.ident(i),
            Value::Idents(v) => v.iter_mut().for_each(|i| self.ident(i)),
            Value::Str(s) => self.str(s),
            Value::Strings(v) => v.iter_mut().for_each(|s| self.str(s)),
            Value::Duration(d) => self.duration(d),
            Value::Cadence(c) => self.cadence(c),
            Value::TrainingWhen(w) => match w {
                TrainingWhen::NewHire(s) | TrainingWhen::Ongoing(s) => self.span(s),
                TrainingWhen::Cadence(c) => self.cadence(c),
            },
            Value::KpiKind(_, s) | Value::Measure(_, s) => self.span(s),
            Value::Date(d) => self.date(d),
            Value::GoalTarget(GoalTarget {
                kpi,
                comparator: _,
                quantity,
                by,
            }) => {
                self.ident(kpi);
                self.quantity(quantity);
                if let Some(d) = by {
                    self.date(d);
                }
            }
            Value::KpiTarget(KpiTarget {
                comparator: _,
                quantity,
                per,
            }) => {
                self.quantity(quantity);
                if let Some((_, s)) = per {
                    self.span(s);
                }
            }
            Value::StagePath(StagePath {
                pipeline,
                stage,
                span,
            }) => {
                if let Some(p) = pipeline {
                    self.ident(p);
                }
                self.ident(stage);
                self.span(span);
            }
        }
    }

    fn duration(&mut self, d: &mut Duration) {
        self.span(&mut d.span);
    }

    fn date(&mut self, d: &mut Date) {
        self.span(&mut d.span);
    }

    fn cadence(&mut self, c: &mut Cadence) {
        match c {
            Cadence::Named(_, s) => self.span(s),
            Cadence::Every(d, s) => {
                self.duration(d);
                self.span(s);
            }
        }
    }

    fn quantity(&mut self, q: &mut Quantity) {
        let Quantity {
            text: _,
            value: _,
            percent: _,
            number_span,
            unit,
        } = q;
        self.span(number_span);
        if let Some(u) = unit {
            self.ident(u);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "role a {\n}\n\nrole b {\n}\n\nrole c {}\nrole d {\n}\n";

    #[test]
    fn only_the_text_between_kept_items_is_parsed_again() {
        let old = parse(TEXT).unwrap();
        // An edit in `b`: the others are kept, `c` and `d` moved by one byte.
        let next = TEXT.replace("role b {", "role bb {");
        let again = reuse(TEXT, &old, &next).expect("items kept");
        assert_eq!(again, parse(&next).unwrap());
        let Item::Block(d) = &again.items[3] else {
            panic!("a block")
        };
        assert_eq!(&next[d.span.start..d.span.end], "role d {\n}");
        // A `#` typed before `c` comments its line out: the cut is not made before `c`.
        let swallow = TEXT.replace("\nrole c", "\n#role c");
        let again = reuse(TEXT, &old, &swallow).expect("`a`, `b` and `d` kept");
        assert_eq!(again, parse(&swallow).unwrap());
        assert_eq!(again.items.len(), 3);
        // Nothing to keep when the first block is edited and no later block starts a line.
        let one = "role a {}";
        assert!(reuse(one, &parse(one).unwrap(), "role ab {}").is_none());
    }
}
