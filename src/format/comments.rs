//! Where the comments of a file are, relative to the nodes the layout writes.

use crate::syntax::Comment;

/// The comments of one file, in order, with the file's text.
pub(super) struct Comments<'a> {
    src: &'a str,
    all: &'a [Comment],
}

/// The comments between two nodes of a sequence (or between a `{` and a node, or a node and a
/// `}`), with the blank lines among them.
#[derive(Debug, Default)]
pub(super) struct Gap<'a> {
    /// A comment on the same line as what precedes the gap: it stays at the end of that line.
    pub trailing: Option<&'a Comment>,
    /// Comments on lines of their own, each with whether a blank line comes before it.
    pub lines: Vec<(bool, &'a Comment)>,
    /// Whether a blank line comes between the last of `lines` (or the start of the gap) and
    /// what follows the gap.
    pub blank_after: bool,
}

impl Gap<'_> {
    /// Whether a blank line opens the gap: before its first comment line, or before what follows.
    pub fn blank_first(&self) -> bool {
        self.lines.first().map_or(self.blank_after, |l| l.0)
    }
}

impl<'a> Comments<'a> {
    pub fn new(src: &'a str, all: &'a [Comment]) -> Self {
        Comments { src, all }
    }

    /// The comments that start in `from..to`.
    pub fn within(&self, from: usize, to: usize) -> &'a [Comment] {
        let lo = self.all.partition_point(|c| c.span.start < from);
        let hi = self.all.partition_point(|c| c.span.start < to).max(lo);
        &self.all[lo..hi]
    }

    /// Whether the text between two offsets holds a line break.
    pub fn breaks(&self, from: usize, to: usize) -> bool {
        self.src[from..to].contains('\n')
    }

    /// Whether the text between two offsets holds an empty line.
    fn blank(&self, from: usize, to: usize) -> bool {
        self.src[from..to].matches('\n').nth(1).is_some()
    }

    /// The comments between `from` and `to`, a stretch with nothing else but whitespace.
    pub fn gap(&self, from: usize, to: usize) -> Gap<'a> {
        let mut gap = Gap::default();
        let mut last = from;
        for (k, c) in self.within(from, to).iter().enumerate() {
            if k == 0 && !c.own_line {
                gap.trailing = Some(c);
            } else {
                gap.lines.push((self.blank(last, c.span.start), c));
            }
            last = c.span.end;
        }
        gap.blank_after = self.blank(last, to);
        gap
    }
}

/// A comment as the layout writes it: `#` and its text without trailing whitespace.
pub(super) fn text(c: &Comment) -> String {
    format!("#{}", c.text.trim_end())
}
