//! The canonical layout: the AST written out again, with the comments put back where they were.
//!
//! Each node of a sequence (a top-level item, an entry of a block) carries the comments on the
//! lines just above it and the comment at the end of its own line, so it keeps them when it
//! moves. Comments inside one line (between the items of a list, say) stay between the same two
//! pieces, and force a line break after them.

use super::comments::{self, Comments, Gap};
use super::literal;
use super::tree::{Node, Piece, header_end, next_token, pieces};
use crate::syntax::{AttrKey, Block, Comment, SourceFile};

/// `file`, parsed from `src`, in the canonical layout.
pub(super) fn print(src: &str, file: &SourceFile) -> String {
    let mut p = Printer {
        src,
        comments: Comments::new(src, &file.comments),
        out: String::with_capacity(src.len() + src.len() / 8),
    };
    let nodes: Vec<Node> = file.items.iter().map(Node::of_item).collect();
    p.sequence(&nodes, Gap::default(), (0, src.len()), 0);
    p.out
}

struct Printer<'a> {
    src: &'a str,
    comments: Comments<'a>,
    out: String,
}

/// A node of a sequence with the comments that go with it.
struct Unit<'a> {
    node: Node<'a>,
    above: Gap<'a>,
    trailing: Option<&'a Comment>,
}

impl<'a> Printer<'a> {
    /// Writes `nodes` (in source order) one per line at `indent`, with the comments found between
    /// `from` and `to`. Inside a block it starts right after the `{`: `head` holds the comments
    /// of the block's header that move after it. At the top of a file it adds a blank line
    /// before each block.
    fn sequence(&mut self, nodes: &[Node<'a>], head: Gap<'a>, span: (usize, usize), indent: usize) {
        let top = indent == 0;
        let mut units: Vec<Unit<'a>> = Vec::with_capacity(nodes.len());
        let mut opening = head.trailing;
        // A comment that ended the `{` line of a block with comments between its header and
        // `{`: those come first, and it goes on a line of its own after them.
        let header_comments = head.trailing.is_some() || !head.lines.is_empty();
        let mut displaced = None;
        let mut last = span.0;
        for node in nodes {
            let above = self.comments.gap(last, node.start());
            match units.last_mut() {
                Some(prev) => prev.trailing = above.trailing,
                None if header_comments => displaced = above.trailing,
                None => opening = above.trailing,
            }
            units.push(Unit {
                node: *node,
                above,
                trailing: None,
            });
            last = node.end();
        }
        let end = self.comments.gap(last, span.1);
        match units.last_mut() {
            Some(prev) => prev.trailing = end.trailing,
            None if header_comments => displaced = end.trailing,
            None => opening = end.trailing,
        }
        if !top {
            self.trailing(opening);
        }
        // The header's comments go above the first entry in the canonical order.
        self.comment_lines(&head, false, indent);
        if let Some(c) = displaced {
            self.pad(indent);
            self.out.push_str(&comments::text(c));
            self.out.push('\n');
        }
        let headed = !head.lines.is_empty() || displaced.is_some();
        units.sort_by_key(|u| u.node.rank());
        for k in 0..units.len() {
            let unit = &units[k];
            // At the top of a file, a blank line before each block and the comments above it.
            let imports = [units[k.saturating_sub(1)].node, unit.node]
                .iter()
                .all(|n| matches!(n, Node::Import(_)));
            let blank = unit.above.blank_first()
                || (top && !imports)
                || (k == 0 && headed && head.blank_after);
            self.comment_lines(&unit.above, (k > 0 || headed) && blank, indent);
            if !unit.above.lines.is_empty() && unit.above.blank_after {
                self.out.push('\n');
            }
            self.node(unit.node, indent);
            self.trailing(unit.trailing);
        }
        // A blank line before the closing `}` (or the end of the file) goes.
        let blank = (headed || !units.is_empty()) && end.lines.first().is_some_and(|l| l.0);
        self.comment_lines(&end, blank, indent);
    }

    /// The comment lines of a gap, the first after a blank line when `blank_first`.
    fn comment_lines(&mut self, gap: &Gap<'a>, blank_first: bool, indent: usize) {
        if blank_first {
            self.out.push('\n');
        }
        for (k, (blank, c)) in gap.lines.iter().enumerate() {
            if k > 0 && *blank {
                self.out.push('\n');
            }
            self.pad(indent);
            self.out.push_str(&comments::text(c));
            self.out.push('\n');
        }
    }

    /// Ends the current line, with a comment if there is one.
    fn trailing(&mut self, c: Option<&Comment>) {
        if let Some(c) = c {
            self.out.push(' ');
            self.out.push_str(&comments::text(c));
        }
        self.out.push('\n');
    }

    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    fn node(&mut self, node: Node<'a>, indent: usize) {
        self.pad(indent);
        self.pieces(&pieces(node), indent);
        if let Node::Block(b) = node {
            self.block_body(b, indent);
        }
    }

    /// The pieces of one line. Comments between two pieces stay there: a line break follows
    /// them, and the line goes on indented two more spaces. A list keeps a line break written
    /// between two of its items.
    fn pieces(&mut self, pieces: &[Piece<'a>], indent: usize) {
        for (k, piece) in pieces.iter().enumerate() {
            if k > 0 {
                self.between_pieces(piece, pieces[k - 1].span.end, indent + 2);
            }
            self.out.push_str(&piece.lead);
            if let Some(s) = piece.str {
                // The indent of the line the string starts on (a continuation line, maybe).
                let line = &self.out[self.out.rfind('\n').map_or(0, |i| i + 1)..];
                let indent = line.len() - line.trim_start_matches(' ').len();
                self.out.push_str(&literal::render(s, self.src, indent));
            }
        }
    }

    /// What goes before `piece`, from `from` on: a `,` or a keyword, and the comments there.
    fn between_pieces(&mut self, piece: &Piece<'a>, from: usize, indent: usize) {
        let inside = self.comments.within(from, piece.span.start);
        let token = next_token(self.src, from);
        let (before, after) = inside.split_at(inside.partition_point(|c| c.span.start < token));
        if piece.comma {
            // The comma follows the item, unless comments come before it and one ends its line:
            // then it stays before that one, on a line of its own.
            let rest = if !before.is_empty() && after.first().is_some_and(|c| !c.own_line) {
                self.inline_comments(before, indent);
                after
            } else {
                inside
            };
            self.out.push(',');
            if !rest.is_empty() {
                self.inline_comments(rest, indent);
            } else if self.comments.breaks(from, piece.span.start) {
                self.out.push('\n');
                self.pad(indent);
            } else {
                self.out.push(' ');
            }
        } else if !piece.keyword.is_empty() {
            self.inline_comments_or_space(before, indent);
            self.out.push_str(piece.keyword);
            self.inline_comments_or_space(after, indent);
        } else {
            self.inline_comments_or_space(inside, indent);
        }
    }

    fn inline_comments_or_space(&mut self, list: &[Comment], indent: usize) {
        if list.is_empty() {
            self.out.push(' ');
        } else {
            self.inline_comments(list, indent);
        }
    }

    /// Comments inside a line; the line goes on after them at `indent`.
    fn inline_comments(&mut self, list: &[Comment], indent: usize) {
        for c in list {
            if c.own_line {
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.pad(indent);
            } else {
                self.out.push(' ');
            }
            self.out.push_str(&comments::text(c));
            self.out.push('\n');
        }
        self.pad(indent);
    }

    /// From the `{` after a block's header to its `}`.
    fn block_body(&mut self, b: &'a Block, indent: usize) {
        let header_end = header_end(b);
        let close = b.span.end - 1;
        let open = next_token(self.src, header_end);
        let nodes: Vec<Node<'a>> = Node::Block(b).children();
        if self.comments.within(header_end, close).is_empty() {
            match nodes.as_slice() {
                [] => return self.out.push_str(" {}"),
                [Node::Attr(a)] if a.key == AttrKey::Terminal => {
                    return self.out.push_str(" { terminal }");
                }
                _ => {}
            }
        }
        // Comments between the header and `{` move after it: one that ended the header's line
        // ends the `{` line, the others go above the first entry.
        self.out.push_str(" {");
        let head = self.comments.gap(header_end, open);
        self.sequence(&nodes, head, (open + 1, close), indent + 2);
        self.pad(indent);
        self.out.push('}');
    }
}
