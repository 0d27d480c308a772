//! What human output needs to be safe on a terminal and on a CI runner: user text with its hidden
//! characters escaped, no line that starts like a workflow command, and source snippets that hold
//! only the few lines a report shows, cut around the span when a line is long.

use std::borrow::Cow;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::render::escape::{visible, visible_with};
use crate::syntax::{LineIndex, Span};

/// User text for a terminal: control and bidirectional characters escaped (`\u{1b}`).
pub(super) fn text(s: &str) -> Cow<'_, str> {
    visible(s)
}

/// Output where no line begins, after its indentation, with `::` (a GitHub Actions runner reads
/// such a line as a workflow command): the first colon of such a line is written `\u{3a}`.
pub(super) fn guard_lines(out: &str) -> Cow<'_, str> {
    if !out.lines().any(|l| l.trim_start().starts_with("::")) {
        return Cow::Borrowed(out);
    }
    let mut guarded = String::with_capacity(out.len() + 8);
    for line in out.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if line[indent..].starts_with("::") {
            guarded.push_str(&line[..indent]);
            guarded.push_str("\\u{3a}");
            guarded.push_str(&line[indent + 1..]);
        } else {
            guarded.push_str(line);
        }
    }
    Cow::Owned(guarded)
}

/// A line longer than this many characters is shown as a window around its spans.
const LONG_LINE: usize = 200;
/// Characters shown on each side of the spans in a long line.
const MARGIN: usize = 60;
/// Spans this many lines apart or fewer share one excerpt of the file, with every line between
/// them; further apart, each has its own. A span longer than this is shown by its first line.
const NEAR_LINES: usize = 50;

/// How one shown line of the original text sits in its excerpt.
#[derive(Debug)]
struct ShownLine {
    /// Byte range of the original line shown (after any cut).
    from: usize,
    to: usize,
    /// Offset in the excerpt where the shown text of `from..` begins (after a leading `…`).
    at: usize,
}

/// Consecutive lines of the file, as shown.
#[derive(Debug)]
struct Excerpt {
    /// Where the excerpt starts in the snippet's offsets (excerpts follow each other).
    base: usize,
    text: String,
    /// 0-based number of the original line the excerpt starts with.
    first_line: usize,
}

/// The lines of one file around a report's labels, as miette reads them: hidden characters
/// escaped, long lines cut around the spans (`…` marks a cut), line numbers and columns those of
/// the original file. Building one reads only those lines, so a report costs the same in a small
/// file as in a large one.
#[derive(Debug)]
pub(super) struct Snippet {
    name: String,
    excerpts: Vec<Excerpt>,
    /// Snippet offset and original column (in characters) of each label's start.
    columns: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet of `text` (named `name`) that shows `spans`, and the spans moved into it.
    pub(super) fn new(
        name: &str,
        text: &str,
        lines: &LineIndex,
        spans: &[Span],
    ) -> (Snippet, Vec<SourceSpan>) {
        let spans: Vec<Span> = spans.iter().map(|s| clamp(text, lines, *s)).collect();
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (spans[i].start, spans[i].end));
        // Groups of spans near each other, in file order.
        let mut groups: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        for i in order {
            let (first, last) = (lines.line_of(spans[i].start), lines.line_of(spans[i].end));
            match groups.last_mut() {
                Some((_, end, members)) if first <= *end + NEAR_LINES => {
                    *end = (*end).max(last);
                    members.push(i);
                }
                _ => groups.push((first, last, vec![i])),
            }
        }
        let mut excerpts = Vec::new();
        let mut moved = vec![SourceSpan::from((0, 0)); spans.len()];
        let mut base = 0;
        for (first, last, members) in groups {
            let group: Vec<Span> = members.iter().map(|&i| spans[i]).collect();
            let (excerpt, places) = excerpt(text, lines, first, last, &group, base);
            base += excerpt.text.len();
            excerpts.push(excerpt);
            for (i, place) in members.into_iter().zip(places) {
                moved[i] = place;
            }
        }
        let columns = spans
            .iter()
            .zip(&moved)
            .map(|(s, m)| {
                let line_start = lines.line_span(text, s.start).start;
                (m.offset(), text[line_start..s.start].chars().count())
            })
            .collect();
        (
            Snippet {
                name: text_name(name),
                excerpts,
                columns,
            },
            moved,
        )
    }
}

/// The excerpt of lines `first..=last` with a line of context on each side, starting at snippet
/// offset `base`, and where `spans` land in it.
fn excerpt(
    text: &str,
    lines: &LineIndex,
    first: usize,
    last: usize,
    spans: &[Span],
    base: usize,
) -> (Excerpt, Vec<SourceSpan>) {
    let last_line = lines.line_of(text.len());
    let first_line = first.saturating_sub(1);
    let end_line = (last + 1).min(last_line);
    let mut out = String::new();
    let mut shown = Vec::new();
    for line in first_line..=end_line {
        let start = line_start(text, lines, line);
        let full = lines.line_span(text, start);
        let (from, to) = cut(text, full, spans);
        if from > full.start {
            out.push('…');
        }
        shown.push(ShownLine {
            from,
            to,
            at: out.len(),
        });
        out.push_str(&visible_with(&text[from..to], |c| c == '\t'));
        if to < full.end {
            out.push('…');
        }
        // The line ending as in the file, so miette counts lines as it would there; but a lone
        // CR, which ends a line in every output format, as LF: a terminal would go back to the
        // start of the line and draw the next one over it.
        let next = if line < last_line {
            line_start(text, lines, line + 1)
        } else {
            text.len()
        };
        match &text[full.end..next] {
            "\r" => out.push('\n'),
            ending => out.push_str(ending),
        }
    }
    let place = |offset: usize| -> usize {
        let line = lines.line_of(offset).clamp(first_line, end_line);
        let s = &shown[line - first_line];
        let p = offset.clamp(s.from, s.to);
        base + s.at + visible_with(&text[s.from..p], |c| c == '\t').len()
    };
    let places = spans
        .iter()
        .map(|s| {
            let (a, b) = (place(s.start), place(s.end));
            (a, b.max(a) - a).into()
        })
        .collect();
    (
        Excerpt {
            base,
            text: out,
            first_line,
        },
        places,
    )
}

fn text_name(name: &str) -> String {
    text(name).into_owned()
}

fn line_start(text: &str, lines: &LineIndex, line: usize) -> usize {
    // `line_span` of any offset on the line gives its start; the index knows where lines begin.
    let mut lo = 0;
    let mut hi = text.len();
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if lines.line_of(mid) < line {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A span inside the text and on character boundaries, at most [`NEAR_LINES`] lines long.
fn clamp(text: &str, lines: &LineIndex, span: Span) -> Span {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start);
    let mut end = floor(span.end).max(start);
    if lines.line_of(end) - lines.line_of(start) > NEAR_LINES {
        end = lines.line_span(text, start).end;
    }
    Span::new(start, end)
}

/// The part of the line `full` to show: all of it when it is short, else a window around the
/// span ends on it (or its beginning when none is), on character boundaries.
fn cut(text: &str, full: Span, spans: &[Span]) -> (usize, usize) {
    let line = &text[full.start..full.end];
    if line.chars().count() <= LONG_LINE {
        return (full.start, full.end);
    }
    let on_line: Vec<usize> = spans
        .iter()
        .flat_map(|s| [s.start, s.end])
        .filter(|p| (full.start..=full.end).contains(p))
        .collect();
    let (lo, hi) = match (on_line.iter().min(), on_line.iter().max()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => (full.start, full.start),
    };
    let back = |p: usize, n: usize| {
        text[full.start..p]
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(full.start, |(i, _)| full.start + i)
    };
    let forth = |p: usize, n: usize| {
        text[p..full.end]
            .char_indices()
            .nth(n)
            .map_or(full.end, |(i, _)| p + i)
    };
    let from = if lo == full.start {
        lo
    } else {
        back(lo, MARGIN)
    };
    let to = forth(hi, MARGIN).min(forth(from, LONG_LINE));
    (from, to.max(from))
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (offset, end) = (span.offset(), span.offset() + span.len());
        // A span reaching across two excerpts has no text: miette then shows them one by one.
        let excerpt = self
            .excerpts
            .iter()
            .find(|e| e.base <= offset && end <= e.base + e.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let local: SourceSpan = (offset - excerpt.base, span.len()).into();
        let inner = excerpt.text.as_str().read_span(&local, before, after)?;
        let start = inner.span().offset();
        // miette counts columns in bytes; sopc counts characters of the original line.
        let column = if inner.column() == 0 {
            0
        } else {
            self.columns
                .iter()
                .find(|(at, _)| *at == start + excerpt.base)
                .map_or_else(
                    || {
                        let text = &excerpt.text;
                        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                        text[line_start..start].chars().count()
                    },
                    |(_, c)| *c,
                )
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (start + excerpt.base, inner.span().len()).into(),
            inner.line() + excerpt.first_line,
            column,
            inner.line_count() + excerpt.first_line,
        )))
    }
}

/// Writes a message of sopc's own to standard error, a line at a time: its line breaks are
/// kept, every other hidden character escaped, and no line starts like a workflow command. User
/// text inside it is escaped where it is put in ([`crate::text::visible`], `path.shown()`), so it
/// cannot break a line either.
pub(super) fn eprint_message(message: &str) {
    let text = visible_with(message, |c| c == '\n');
    eprintln!("{}", guard_lines(&text));
}

/// `eprintln!` for messages: see [`eprint_message`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::app::terminal::eprint_message(&format!($($arg)*))
    };
}
pub(super) use say;

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, spans: &[Span]) -> (Snippet, Vec<SourceSpan>) {
        Snippet::new("f.sop", text, &LineIndex::new(text), spans)
    }

    #[test]
    fn a_short_file_is_served_as_written() {
        let text = "a\nbb\nccc\ndd\ne\n";
        let (s, moved) = snippet(text, &[Span::new(5, 8)]);
        assert_eq!(s.excerpts[0].text, "bb\nccc\ndd\n");
        assert_eq!(s.excerpts[0].first_line, 1);
        assert_eq!(moved, vec![SourceSpan::from((3, 3))]);
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let text = format!("{}X{}\n", "a".repeat(10_000), "b".repeat(10_000));
        let (s, moved) = snippet(&text, &[Span::new(10_000, 10_001)]);
        let shown = &s.excerpts[0].text;
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.starts_with('…') && shown.contains("…\n"));
        let m = moved[0];
        assert_eq!(&shown[m.offset()..m.offset() + m.len()], "X");
        assert_eq!(s.columns[0].1, 10_000);
    }

    #[test]
    fn hidden_characters_are_escaped_and_spans_follow() {
        let text = "x \u{1b}]0;t\u{7} 线索 y\n";
        let y = text.find('y').unwrap();
        let (s, moved) = snippet(text, &[Span::new(y, y + 1)]);
        let shown = &s.excerpts[0].text;
        assert_eq!(shown, "x \\u{1b}]0;t\\u{7} 线索 y\n");
        assert_eq!(&shown[moved[0].offset()..][..1], "y");
    }

    #[test]
    fn spans_far_apart_get_excerpts_of_their_own() {
        let text = "x\n".repeat(1000);
        let (s, moved) = snippet(&text, &[Span::new(1800, 1801), Span::new(2, 3)]);
        assert_eq!(s.excerpts.len(), 2);
        assert_eq!(s.excerpts[1].first_line, 899);
        assert_eq!(moved[1], SourceSpan::from((2, 1)));
        assert_eq!(moved[0].offset(), s.excerpts[1].base + 2);
    }

    #[test]
    fn workflow_commands_cannot_start_a_line() {
        assert_eq!(guard_lines("a\n  ::error::x\n"), "a\n  \\u{3a}:error::x\n");
        assert!(matches!(guard_lines("a :: b\n"), Cow::Borrowed(_)));
    }
}
