//! A pipeline as an inline SVG for the HTML handbook, laid out by [`super::layout`]: no scripts,
//! no external fonts, every text escaped.

use std::collections::HashMap;
use std::fmt::Write;

use super::escape::html as escape;
use super::layout::{self, EdgeIn, NodeSize, Placed, Route};
use super::view::PipelineView;

const FONT_SIZE: f64 = 13.0;
const LABEL_FONT_SIZE: f64 = 10.5;
/// A line of text, as tall as the glyph box of the CJK fonts of the stack (1.45 em).
const LINE_HEIGHT: f64 = 19.0;
const PAD_X: f64 = 14.0;
const PAD_Y: f64 = 9.0;
/// Titles wrap at this width.
const MAX_TEXT_WIDTH: f64 = 170.0;
/// Edge labels wrap at this width; they are never cut.
const MAX_LABEL_WIDTH: f64 = 120.0;
const LABEL_LINE_HEIGHT: f64 = 15.5;
/// Space inside a label's box, around its text.
const LABEL_PAD: f64 = 3.0;

/// The font stack of the diagram: the page's, with Chinese faces first found.
pub const FONT_STACK: &str = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', \
     'Microsoft YaHei', 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

/// How wide a character is, in ems: full width for CJK and other wide scripts.
fn char_em(c: char) -> f64 {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD);
    if wide {
        1.0
    } else if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
        0.68
    } else {
        0.56
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// Splits `s` into lines no wider than `max`, breaking at spaces in Latin text and anywhere
/// between wide characters.
fn wrap(s: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for word in split_breakable(s) {
        let w = text_width(&word, size);
        if width + w > max && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line = word.trim_start().to_string();
            width = text_width(&line, size);
        } else {
            line.push_str(&word);
            width += w;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Like [`wrap`], in as few lines, but with the lines as even as they can be: the narrowest
/// width that needs no more lines, so no line holds a lone last word.
fn balanced_wrap(s: &str, size: f64, max: f64) -> Vec<String> {
    let lines = wrap(s, size, max);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (max / lines.len() as f64, max);
    for _ in 0..12 {
        let mid = (lo + hi) / 2.0;
        if wrap(s, size, mid).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(s, size, hi)
}

/// Pieces that may start a new line: a wide character alone, or a Latin word with the space
/// before it.
fn split_breakable(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if char_em(c) >= 1.0 {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_whitespace() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(' ');
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// An SVG path through `points`, vertical at both ends of every segment.
fn path(route: &Route) -> String {
    let p = &route.points;
    if route.self_loop {
        let (x1, y1) = p[0];
        let (x2, y2) = p[1];
        return format!(
            "M{} {} C{} {} {} {} {} {}",
            num(x1),
            num(y1),
            num(x1 + 30.0),
            num(y1 - 18.0),
            num(x2 + 30.0),
            num(y2 + 18.0),
            num(x2),
            num(y2)
        );
    }
    let mut d = format!("M{} {}", num(p[0].0), num(p[0].1));
    for w in p.windows(2) {
        let (x1, y1) = w[0];
        let (x2, y2) = w[1];
        let my = (y1 + y2) / 2.0;
        let _ = write!(
            d,
            " C{} {} {} {} {} {}",
            num(x1),
            num(my),
            num(x2),
            num(my),
            num(x2),
            num(y2)
        );
    }
    d
}

/// An axis-aligned box.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn centred(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x0: x - w / 2.0,
            y0: y - h / 2.0,
            x1: x + w / 2.0,
            y1: y + h / 2.0,
        }
    }

    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Boxes already taken, in a grid of square cells so that a lookup only looks at the boxes
/// nearby: placing labels stays linear in their number on a picture of thousands of stages.
struct Taken {
    cells: HashMap<(i64, i64), Vec<usize>>,
    rects: Vec<Rect>,
}

/// The side of a grid cell: about a label's width.
const CELL: f64 = 128.0;

impl Taken {
    fn new() -> Taken {
        Taken {
            cells: HashMap::new(),
            rects: Vec::new(),
        }
    }

    fn span(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / CELL).floor() as i64;
        let (x0, x1, y0, y1) = (cell(r.x0), cell(r.x1), cell(r.y0), cell(r.y1));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn push(&mut self, r: Rect) {
        let i = self.rects.len();
        self.rects.push(r);
        for c in Taken::span(&r) {
            self.cells.entry(c).or_default().push(i);
        }
    }

    /// Whether `r` overlaps any box taken: the same answer as looking at every box.
    fn overlaps(&self, r: &Rect) -> bool {
        Taken::span(r).any(|c| {
            self.cells
                .get(&c)
                .is_some_and(|list| list.iter().any(|&i| self.rects[i].overlaps(r)))
        })
    }
}

/// Where an edge's label goes: on its first segment (its lane, for an edge beside a column of
/// stages), at the first of a few fixed spots along it (then beside it) that overlaps no node and
/// no label placed before; the middle if none is free.
fn label_position(route: &Route, w: f64, h: f64, taken: &Taken) -> (f64, f64) {
    let (x1, y1) = route.points[0];
    let (x2, y2) = route.points[1];
    if route.self_loop {
        return (x1 + 30.0 + w / 2.0, (y1 + y2) / 2.0);
    }
    // An edge in a lane beside a column of stages starts level; its label goes along the lane.
    let ((x1, y1), (x2, y2)) = match route.points.get(2) {
        Some(&lane) if y1 == y2 => ((x2, y2), lane),
        _ => ((x1, y1), (x2, y2)),
    };
    let along = [0.5, 0.32, 0.68, 0.2, 0.8];
    let beside = [0.0, w / 2.0 + 4.0, -(w / 2.0 + 4.0)];
    for dx in beside {
        for t in along {
            let (x, y) = (x1 + (x2 - x1) * t + dx, y1 + (y2 - y1) * t);
            let r = Rect::centred(x, y, w, h);
            if !taken.overlaps(&r) {
                return (x, y);
            }
        }
    }
    ((x1 + x2) / 2.0, (y1 + y2) / 2.0)
}

/// The pipeline as an `<svg>` element. `n` makes the marker ids unique within a page.
pub fn pipeline(p: &PipelineView, n: usize) -> String {
    drawing(p, n).svg
}

/// A pipeline's picture, and its slices for print.
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The whole picture, an `<svg>` element.
    pub svg: String,
    /// When the picture, as wide as the page, would be taller than [`SHRINK_ONTO_ONE`] times
    /// [`PRINT_HEIGHT`]: `<svg>`
    /// elements that each show one page-high band of it (cut between stages and labels where
    /// they can be), drawing it by reference (`<use>`), so they cost a few bytes each. Empty
    /// otherwise.
    pub slices: Vec<String>,
}

/// The width of an A4 page's text, in CSS px (178 mm).
pub const PRINT_WIDTH: f64 = 673.0;
/// The most of a diagram one printed page shows, in CSS px (225 mm).
pub const PRINT_HEIGHT: f64 = 850.0;
/// A picture that would take more pages than this is printed shrunk to one page instead: each
/// slice has the browser draw the whole picture again.
pub const MAX_SLICES: usize = 40;
/// A picture at most this many pages high (at the page's width) is printed shrunk onto one page,
/// to no less than two thirds of its size, instead of sliced: a whole diagram reads better than
/// a page of it and a sliver holding its last stage.
pub const SHRINK_ONTO_ONE: f64 = 1.5;

/// Where to cut a picture spanning `y0..y1` into bands at most `band` high, as few as that
/// allows and of about even height (no last page holding a sliver), never through one of `boxes`
/// (y ranges of stages and labels) unless a box is taller than a band.
fn cuts(y0: f64, y1: f64, band: f64, boxes: &[(f64, f64)]) -> Vec<f64> {
    let mut boxes = boxes.to_vec();
    boxes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = vec![y0];
    let mut at = y0;
    while y1 - at > band {
        // An even share of what is left, cut at the free spot nearest to it: just above or just
        // below the boxes that cross it.
        let bands_left = ((y1 - at) / band).ceil();
        let limit = at + band;
        let ideal = (at + (y1 - at) / bands_left).min(limit);
        let mut up = ideal;
        for &(a, b) in &boxes {
            if a < up && b > up {
                up = a - 2.0;
            }
        }
        let mut down = ideal;
        for &(a, b) in &boxes {
            if a < down && b > down {
                down = b + 2.0;
            }
        }
        let mut cut = if down <= limit && down - ideal < ideal - up {
            down
        } else {
            up
        };
        if cut <= at + band / 3.0 {
            cut = if down <= limit { down } else { limit };
        }
        out.push(cut);
        at = cut;
    }
    out.push(y1);
    out
}

/// The pipeline's picture and, for a tall one, its slices for print; see [`Drawing`].
pub fn drawing(p: &PipelineView, n: usize) -> Drawing {
    let titles: Vec<Vec<String>> = (p.stages.iter())
        .map(|s| wrap(&s.title, FONT_SIZE, MAX_TEXT_WIDTH))
        .collect();
    let sizes: Vec<NodeSize> = titles
        .iter()
        .map(|lines| NodeSize {
            width: lines
                .iter()
                .map(|l| text_width(l, FONT_SIZE))
                .fold(0.0, f64::max)
                .max(40.0)
                + 2.0 * PAD_X,
            height: lines.len() as f64 * LINE_HEIGHT + 2.0 * PAD_Y,
        })
        .collect();
    let mut edges = Vec::new();
    let mut whens = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(p.stages.len());
    for (i, s) in p.stages.iter().enumerate() {
        index.entry(s.id.as_str()).or_insert(i);
    }
    for (from, s) in p.stages.iter().enumerate() {
        for t in &s.transitions {
            if let Some(&to) = index.get(t.to.id.as_str()) {
                edges.push(EdgeIn { from, to });
                whens.push(t.when.clone());
            }
        }
    }
    let start = p.stages.iter().position(|s| s.start).unwrap_or(0);
    // Each label in full, wrapped, and the size of its box.
    let label_lines: Vec<Option<Vec<String>>> = (whens.iter())
        .map(|w| {
            w.as_ref().map(|w| {
                let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
                balanced_wrap(&w, LABEL_FONT_SIZE, MAX_LABEL_WIDTH)
            })
        })
        .collect();
    let label_sizes: Vec<Option<NodeSize>> = (label_lines.iter())
        .map(|lines| {
            lines.as_ref().map(|lines| NodeSize {
                width: (lines.iter())
                    .map(|l| text_width(l, LABEL_FONT_SIZE))
                    .fold(0.0, f64::max)
                    + 2.0 * LABEL_PAD,
                height: lines.len() as f64 * LABEL_LINE_HEIGHT + 2.0 * LABEL_PAD,
            })
        })
        .collect();
    let l = layout::layout_labelled(&sizes, &edges, &label_sizes, start);
    // Labels first: the picture must be wide enough for them.
    let mut labels = String::new();
    let mut bounds = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: l.width,
        y1: l.height,
    };
    // Boxes already taken, for labels the layout did not place: the nodes, then each label.
    let mut taken = Taken::new();
    for (p, s) in l.nodes.iter().zip(&sizes) {
        taken.push(Rect::centred(p.x, p.y, s.width, s.height));
    }
    for (i, route) in l.edges.iter().enumerate() {
        let (Some(lines), Some(size), Some(when)) = (&label_lines[i], label_sizes[i], &whens[i])
        else {
            continue;
        };
        let (x, y) = match l.labels.get(i).copied().flatten() {
            Some(Placed { x, y }) => (x, y),
            None => label_position(route, size.width, size.height, &taken),
        };
        let r = Rect::centred(x, y, size.width, size.height);
        taken.push(r);
        bounds = Rect {
            x0: bounds.x0.min(r.x0 - 4.0),
            y0: bounds.y0.min(r.y0 - 4.0),
            x1: bounds.x1.max(r.x1 + 4.0),
            y1: bounds.y1.max(r.y1 + 4.0),
        };
        let _ = write!(
            labels,
            "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" \
             fill=\"#ffffff\" fill-opacity=\"0.92\"/>",
            escape(when),
            num(r.x0),
            num(r.y0),
            num(size.width),
            num(size.height),
        );
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                labels,
                "<text x=\"{}\" y=\"{}\" font-size=\"{LABEL_FONT_SIZE}\" \
                 dominant-baseline=\"central\" fill=\"#333\">{}</text>",
                num(r.x0 + LABEL_PAD),
                num(r.y0 + LABEL_PAD + (k as f64 + 0.5) * LABEL_LINE_HEIGHT),
                escape(line)
            );
        }
        labels.push_str("</g>\n");
    }
    let mut out = String::new();
    let (w, h) = (bounds.x1 - bounds.x0, bounds.y1 - bounds.y0);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pipeline-diagram\" \
         viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\" \
         font-family=\"{FONT_STACK}\">",
        num(bounds.x0),
        num(bounds.y0),
        num(w),
        num(h),
        num(w),
        num(h),
        escape(&p.title),
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&p.title));
    let _ = writeln!(
        out,
        "<defs><marker id=\"arrow-{n}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0 0 L10 5 L0 10 z\" fill=\"#555\"/></marker></defs>"
    );
    let _ = writeln!(out, "<g id=\"pipeline-{n}-drawing\">");
    out.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.4\">\n");
    for (route, when) in l.edges.iter().zip(&whens) {
        let dash = if route.back {
            " stroke-dasharray=\"5 3\""
        } else {
            ""
        };
        let tip = when
            .as_ref()
            .map(|w| format!("<title>{}</title>", escape(w)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<path d=\"{}\"{dash} marker-end=\"url(#arrow-{n})\">{tip}</path>",
            path(route)
        );
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    out.push_str(&labels);
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for ((s, lines), (pos, size)) in (p.stages.iter().zip(&titles)).zip(l.nodes.iter().zip(&sizes))
    {
        let (fill, stroke, width) = match (s.terminal, s.start) {
            (true, _) => ("#eeeeee", "#333", "2.5"),
            (false, true) => ("#eef4ff", "#1f4e99", "2.5"),
            (false, false) => ("#ffffff", "#1f4e99", "1.4"),
        };
        let rx = if s.terminal { size.height / 2.0 } else { 6.0 };
        let _ = writeln!(
            out,
            "<g class=\"node{}\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
             rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
            if s.terminal { " terminal" } else { "" },
            escape(&s.id),
            num(pos.x - size.width / 2.0),
            num(pos.y - size.height / 2.0),
            num(size.width),
            num(size.height),
            num(rx),
        );
        let first = pos.y - (lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{FONT_SIZE}\" text-anchor=\"middle\" \
                 dominant-baseline=\"central\" fill=\"#111\">{}</text>",
                num(pos.x),
                num(first + i as f64 * LINE_HEIGHT),
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n</g>\n</svg>\n");
    // Slices, when the picture at the page's width is taller than a page shows.
    let scale = (PRINT_WIDTH / w).min(1.0);
    let mut slices = Vec::new();
    if h * scale > PRINT_HEIGHT * SHRINK_ONTO_ONE && h * scale <= PRINT_HEIGHT * MAX_SLICES as f64 {
        let boxes: Vec<(f64, f64)> = taken.rects.iter().map(|r| (r.y0, r.y1)).collect();
        let mut ys = cuts(bounds.y0, bounds.y1, PRINT_HEIGHT / scale, &boxes);
        if ys.len() > MAX_SLICES + 1 {
            ys.clear();
        }
        for band in ys.windows(2) {
            let (y0, y1) = (band[0], band[1]);
            slices.push(format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pipeline-slice\" \
                 viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" aria-hidden=\"true\" \
                 font-family=\"{FONT_STACK}\"><use href=\"#pipeline-{n}-drawing\"/></svg>\n",
                num(bounds.x0),
                num(y0),
                num(w),
                num(y1 - y0),
                num(w),
                num(y1 - y0),
            ));
        }
    }
    Drawing { svg: out, slices }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_wraps_and_measures_wider() {
        assert!(text_width("销售", 10.0) > text_width("ab", 10.0));
        let lines = wrap("一二三四五六七八九十一二三四五六", 13.0, 100.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(wrap("Lead capture", 13.0, 170.0), vec!["Lead capture"]);
    }

    #[test]
    fn cuts_fall_between_boxes() {
        // Boxes at 0-40, 90-130, 180-220, ...: bands of 150 cut just above a box.
        let boxes: Vec<(f64, f64)> = (0..10)
            .map(|i| (i as f64 * 90.0, i as f64 * 90.0 + 40.0))
            .collect();
        let ys = cuts(0.0, 900.0, 150.0, &boxes);
        assert_eq!(ys.first(), Some(&0.0));
        assert_eq!(ys.last(), Some(&900.0));
        for w in ys.windows(2) {
            assert!(w[1] - w[0] <= 150.0 && w[1] > w[0], "{ys:?}");
        }
        for y in &ys[1..ys.len() - 1] {
            assert!(
                !boxes.iter().any(|&(a, b)| a < *y && *y < b),
                "{y} cuts a box"
            );
        }
        assert_eq!(cuts(0.0, 100.0, 150.0, &boxes), vec![0.0, 100.0]);
        // A little more than a page is two halves, not a page and a sliver.
        assert_eq!(cuts(0.0, 1000.0, 850.0, &[]), vec![0.0, 500.0, 1000.0]);
        assert_eq!(
            cuts(0.0, 1000.0, 850.0, &[(480.0, 520.0)]),
            vec![0.0, 478.0, 1000.0]
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
    }
}
