//! The audit page's pictures, inline SVG without scripts: the process map (the SOP's pipeline in
//! the handbook's layout, each edge with how many cases took it), the funnel of cases reaching
//! each stage, the dwell times per stage against the SLA, and each kpi per period against its
//! target. Each picture has a title and a legend, and reads in greyscale: what colour says, a
//! dash, a hatch or a label says too.
//!
//! Every figure drawn is also written on its element (`data-count`, `data-value`), the same
//! numbers as the JSON report of the same run.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::numbers::{amount, duration, percent};
use super::report::{KpiReport, Report, StageReport, TransitionKind};
use super::timestamp::{Timestamp, period_key, period_label};
use crate::model::Model;
use crate::render::escape::html as esc;
use crate::render::labels::AuditLabels;
use crate::render::layout::{self, EdgeIn, NodeSize};
use crate::syntax::Period;

/// The pictures of one page, each a whole `<svg>` element.
#[derive(Debug, Clone, Serialize)]
pub struct Pictures {
    /// The SOP's pipeline in the handbook's layout, each edge with how many cases took it.
    pub process_map: String,
    /// The funnel: the cases that entered each stage, as a share of all cases.
    pub funnel: String,
    /// Each non-terminal stage's completed visits: their range, median and 90th percentile,
    /// against the `sla`.
    pub dwell: String,
    /// One per kpi computed per period, with at least one period.
    pub kpis: Vec<String>,
    /// The cases started per week (per month, or per year, when the log spans too many weeks):
    /// a bar per period, its first accepted event's, in the page's offset.
    pub started: String,
}

const FONT: f64 = 12.0;
const LINE: f64 = 15.0;
const PAD: f64 = 8.0;
/// Fills of a stage by its SLA breach rate, lightest first (also written as a percentage).
const GOOD: &str = "#e3f1e6";
const WARN: &str = "#fdf0c8";
const BAD: &str = "#f6d3d0";
const RED: &str = "#b3261e";
const INK: &str = "#333";

/// Width of `s` in pixels at `size`: a wide (CJK) character is one em, others about 0.6.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2 {
                1.0
            } else {
                0.6
            }
        })
        .sum::<f64>()
        * size
}

/// A number for SVG, to one decimal.
fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Cuts `s` to at most `max` pixels, with `…`.
fn cut(s: &str, max: f64) -> String {
    if text_width(s, FONT) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out, FONT) + text_width(&c.to_string(), FONT) + FONT > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn open(out: &mut String, class: &str, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"picture {class}\" role=\"img\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-size=\"{FONT}\" \
         aria-label=\"{t}\"><title>{t}</title>\
         <defs><pattern id=\"{class}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{RED}\" stroke-width=\"2\"/></pattern>\
         <marker id=\"{class}-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" \
         markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"{INK}\"/></marker>\
         <marker id=\"{class}-arrow-bad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" \
         markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"{RED}\"/></marker>\
         </defs><rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        w = num(width),
        h = num(height),
        t = esc(title),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
        num(x),
        num(y),
        esc(s)
    );
}

/// The legend: a row of swatches, each drawn by `swatch` at its x, y, and its words.
fn legend(out: &mut String, y: f64, items: &[(String, &str)]) {
    let _ = write!(out, "<g class=\"legend\">");
    let mut x = PAD;
    for (swatch, words) in items {
        let _ = write!(
            out,
            "<g transform=\"translate({} {})\">{swatch}</g>",
            num(x),
            num(y)
        );
        text(out, x + 26.0, y + 4.0, "start", words);
        x += 36.0 + text_width(words, FONT);
    }
    let _ = write!(out, "</g>");
}

/// The width a legend takes.
fn legend_width(items: &[(String, &str)]) -> f64 {
    PAD + items
        .iter()
        .map(|(_, w)| 36.0 + text_width(w, FONT))
        .sum::<f64>()
}

/// The fill of a stage by its breach rate; none without an SLA or a completed visit.
fn breach_fill(rate: Option<f64>) -> &'static str {
    match rate {
        None => "#fff",
        Some(r) if r < 0.1 => GOOD,
        Some(r) if r < 0.25 => WARN,
        Some(_) => BAD,
    }
}

impl Pictures {
    /// The pictures of `report`, audited against `model`, with the words of `l`.
    pub fn new(report: &Report, model: &Model, l: &AuditLabels) -> Pictures {
        let known: Vec<&StageReport> = report.stages.iter().filter(|s| s.known).collect();
        Pictures {
            process_map: process_map(report, model, l, &known),
            funnel: funnel(report, l, &known),
            dwell: dwell(l, &known),
            kpis: report
                .kpis
                .iter()
                .filter_map(|k| kpi_periods(k, model, l))
                .collect(),
            started: started(report, l, 0),
        }
    }
}

/// The SOP's pipeline in the handbook's layout: each stage with its entries, median dwell and
/// breach rate; each edge with the cases that took it, thicker the more did; observed moves the
/// SOP does not allow red and dashed.
fn process_map(report: &Report, model: &Model, l: &AuditLabels, known: &[&StageReport]) -> String {
    let index: HashMap<&str, usize> = known
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let lines: Vec<[String; 4]> = known
        .iter()
        .map(|s| {
            [
                cut(&s.title, 160.0),
                format!("{} {}", l.entries, s.entries),
                format!(
                    "{} {}",
                    l.median,
                    s.dwell.median_s.map_or("—".to_string(), duration)
                ),
                match s.sla_breach_rate {
                    Some(r) => format!("{} {}", l.breaches, percent(r)),
                    None if s.terminal => l.terminal.to_string(),
                    None => format!("{} —", l.breaches),
                },
            ]
        })
        .collect();
    let sizes: Vec<NodeSize> = lines
        .iter()
        .map(|ls| NodeSize {
            width: ls.iter().map(|t| text_width(t, FONT)).fold(60.0, f64::max) + 2.0 * PAD,
            height: 4.0 * LINE + 2.0 * PAD,
        })
        .collect();
    // The SOP's edges, then the observed moves it does not allow, each with its count.
    let mut edges: Vec<(usize, usize, u64, bool)> = Vec::new();
    let pipeline = model.pipelines.iter().find(|p| p.def.id == report.pipeline);
    if let Some(p) = pipeline {
        for s in &p.stages {
            for t in &s.transitions {
                let to = t.target.target.and_then(|i| p.stages.get(i));
                if let (Some(&a), Some(&b)) = (
                    index.get(s.def.id.as_str()),
                    to.and_then(|t| index.get(t.def.id.as_str())),
                ) && !edges.iter().any(|e| e.0 == a && e.1 == b)
                {
                    edges.push((a, b, 0, true));
                }
            }
        }
    }
    for t in &report.transitions {
        let (Some(&a), Some(&b)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) else {
            continue;
        };
        if a == b {
            continue;
        }
        match edges.iter_mut().find(|e| e.0 == a && e.1 == b) {
            Some(e) => e.2 += t.count,
            None => edges.push((a, b, t.count, t.kind == TransitionKind::Allowed)),
        }
    }
    let start = pipeline
        .and_then(|p| p.start_stage())
        .and_then(|i| pipeline.and_then(|p| p.stages.get(i)))
        .and_then(|s| index.get(s.def.id.as_str()).copied())
        .unwrap_or(0);
    let ins: Vec<EdgeIn> = edges
        .iter()
        .map(|&(from, to, _, _)| EdgeIn { from, to })
        .collect();
    let lay = layout::layout(&sizes, &ins, start);
    let most = edges.iter().map(|e| e.2).max().unwrap_or(0).max(1);
    let legend_items = vec![
        (
            format!(
                "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"{INK}\" stroke-width=\"3\"/>"
            ),
            l.pic_allowed,
        ),
        (
            format!(
                "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"{RED}\" stroke-width=\"3\" \
                 stroke-dasharray=\"5 3\"/>"
            ),
            l.pic_not_allowed,
        ),
        (
            format!(
                "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"{GOOD}\" stroke=\"{INK}\"/>"
            ),
            l.pic_breach_low,
        ),
        (
            format!(
                "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"{WARN}\" stroke=\"{INK}\"/>"
            ),
            l.pic_breach_mid,
        ),
        (
            format!(
                "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"{BAD}\" stroke=\"{INK}\"/>"
            ),
            l.pic_breach_high,
        ),
    ];
    let top = 24.0;
    let width = (lay.width + 40.0)
        .max(legend_width(&legend_items))
        .max(200.0);
    let height = top + lay.height + 2.0 * LINE + 16.0;
    let mut out = String::new();
    open(&mut out, "process-map", width, height, l.pic_process_map);
    text(&mut out, PAD, 16.0, "start", l.pic_edge_note);
    let _ = write!(out, "<g transform=\"translate(0 {})\">", num(top));
    for (route, &(from, to, count, allowed)) in lay.edges.iter().zip(&edges) {
        let w = 1.0 + 5.0 * count as f64 / most as f64;
        let points: Vec<String> = route
            .points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let (stroke, dash, marker, class) = if allowed {
            (INK, "", "process-map-arrow", "edge allowed")
        } else {
            (
                RED,
                " stroke-dasharray=\"6 3\"",
                "process-map-arrow-bad",
                "edge disallowed",
            )
        };
        let opacity = if count == 0 {
            " stroke-opacity=\"0.4\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<g class=\"{class}\" data-from=\"{}\" data-to=\"{}\" data-count=\"{count}\">\
             <polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}{opacity} \
             marker-end=\"url(#{marker})\"/>",
            esc(&known[from].id),
            esc(&known[to].id),
            points.join(" "),
            num(w),
        );
        // The count at the middle of the route, on a white box so that it reads over lines.
        let p = &route.points;
        let (mx, my) = if p.len() >= 2 {
            let (a, b) = (p[(p.len() - 1) / 2], p[p.len() / 2]);
            if p.len() % 2 == 0 {
                ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
            } else {
                a
            }
        } else {
            p.first().copied().unwrap_or_default()
        };
        let label = count.to_string();
        let lw = text_width(&label, FONT) + 6.0;
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"#fff\"/>",
            num(mx - lw / 2.0),
            num(my - 7.0),
            num(lw)
        );
        let fill = if allowed { INK } else { RED };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{fill}\">{label}</text></g>",
            num(mx),
            num(my + 4.0)
        );
    }
    for ((p, size), (s, ls)) in lay.nodes.iter().zip(&sizes).zip(known.iter().zip(&lines)) {
        let (x0, y0) = (p.x - size.width / 2.0, p.y - size.height / 2.0);
        let stroke = if s.terminal {
            " stroke-width=\"2.5\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<g class=\"stage\" data-stage=\"{}\" data-entries=\"{}\">\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\" stroke=\"{INK}\"{stroke}/>",
            esc(&s.id),
            s.entries,
            num(x0),
            num(y0),
            num(size.width),
            num(size.height),
            breach_fill(s.sla_breach_rate),
        );
        for (i, t) in ls.iter().enumerate() {
            let y = y0 + PAD + LINE * (i as f64 + 0.8);
            if i == 0 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
                    num(p.x),
                    num(y),
                    esc(t)
                );
            } else {
                text(&mut out, p.x, y, "middle", t);
            }
        }
        let _ = write!(out, "</g>");
    }
    let _ = write!(out, "</g>");
    legend(&mut out, top + lay.height + LINE, &legend_items);
    out.push_str("</svg>");
    out
}

/// Cases reaching each of the SOP's stages, as bars of the share of all cases.
fn funnel(report: &Report, l: &AuditLabels, known: &[&StageReport]) -> String {
    let total = report.log.cases.max(1);
    let name_w = known
        .iter()
        .map(|s| text_width(&cut(&s.title, 160.0), FONT))
        .fold(40.0, f64::max)
        + 2.0 * PAD;
    let bar_w = 360.0;
    let row = 22.0;
    let top = 24.0;
    let items = vec![(
        "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"#5b7fa8\"/>".to_string(),
        l.pic_funnel_legend,
    )];
    let width = (name_w + bar_w + 120.0).max(legend_width(&items));
    let height = top + row * known.len() as f64 + 2.0 * LINE + 8.0;
    let mut out = String::new();
    open(&mut out, "funnel", width, height, l.pic_funnel);
    text(&mut out, name_w, 16.0, "start", l.pic_funnel_axis);
    for (i, s) in known.iter().enumerate() {
        let y = top + row * i as f64;
        let w = bar_w * s.cases as f64 / total as f64;
        text(
            &mut out,
            name_w - 6.0,
            y + 14.0,
            "end",
            &cut(&s.title, 160.0),
        );
        let _ = write!(
            out,
            "<rect class=\"bar\" data-stage=\"{}\" data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"16\" fill=\"#5b7fa8\"/>",
            esc(&s.id),
            s.cases,
            num(name_w),
            num(y + 2.0),
            num(w)
        );
        text(
            &mut out,
            name_w + w + 6.0,
            y + 14.0,
            "start",
            &format!("{} ({})", s.cases, percent(s.cases as f64 / total as f64)),
        );
    }
    legend(&mut out, top + row * known.len() as f64 + LINE, &items);
    out.push_str("</svg>");
    out
}

/// Each stage's completed visits: a line from zero to the longest, a box from the median to the 90th
/// percentile, a tick at the median, and the stage's SLA as a dashed red line.
fn dwell(l: &AuditLabels, known: &[&StageReport]) -> String {
    let shown: Vec<&&StageReport> = known
        .iter()
        .filter(|s| !s.terminal && s.dwell.completed > 0)
        .collect();
    let scale = shown
        .iter()
        .flat_map(|s| [s.dwell.max_s, s.sla_s.map(|x| x as f64)])
        .flatten()
        .fold(0.0, f64::max)
        .max(1.0);
    let name_w = shown
        .iter()
        .map(|s| text_width(&cut(&s.title, 160.0), FONT))
        .fold(40.0, f64::max)
        + 2.0 * PAD;
    let axis_w = 360.0;
    let row = 26.0;
    let top = 24.0;
    let items = vec![
        (
            "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"#333\"/>".to_string(),
            l.pic_dwell_range,
        ),
        (
            "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"#c9d6e6\" stroke=\"#333\"/>\
             <line x1=\"4\" y1=\"-6\" x2=\"4\" y2=\"6\" stroke=\"#000\" stroke-width=\"3\"/>"
                .to_string(),
            l.pic_dwell_box,
        ),
        (
            format!(
                "<line x1=\"10\" y1=\"-7\" x2=\"10\" y2=\"7\" stroke=\"{RED}\" stroke-width=\"2\" \
                 stroke-dasharray=\"4 2\"/>"
            ),
            l.c_sla,
        ),
    ];
    // Room for the figures written after the longest visit.
    let width = (name_w + axis_w + 170.0).max(legend_width(&items));
    let height = top + row * shown.len().max(1) as f64 + 2.0 * LINE + 24.0;
    let x = |s: f64| name_w + axis_w * s / scale;
    let mut out = String::new();
    open(&mut out, "dwell", width, height, l.pic_dwell);
    text(
        &mut out,
        name_w,
        16.0,
        "start",
        &format!("0 — {}", duration(scale)),
    );
    if shown.is_empty() {
        text(&mut out, PAD, top + 14.0, "start", l.pic_no_visit);
    }
    for (i, s) in shown.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        let d = &s.dwell;
        let (median, p90, max) = (
            d.median_s.unwrap_or(0.0),
            d.p90_s.unwrap_or(0.0),
            d.max_s.unwrap_or(0.0),
        );
        text(
            &mut out,
            name_w - 6.0,
            y + 4.0,
            "end",
            &cut(&s.title, 160.0),
        );
        let _ = write!(
            out,
            "<g class=\"dwell-row\" data-stage=\"{}\" data-median=\"{median}\" data-p90=\"{p90}\" \
             data-max=\"{max}\">\
             <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"#c9d6e6\" stroke=\"#333\"/>\
             <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"3\"/>",
            esc(&s.id),
            num(x(0.0)),
            num(y),
            num(x(max)),
            num(y),
            num(x(median)),
            num(y - 7.0),
            num((x(p90) - x(median)).max(1.0)),
            num(x(median)),
            num(y - 7.0),
            num(x(median)),
            num(y + 7.0),
        );
        if let Some(sla) = s.sla_s {
            let _ = write!(
                out,
                "<line class=\"sla\" data-sla=\"{sla}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" \
                 stroke=\"{RED}\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>",
                num(x(sla as f64)),
                num(y - 11.0),
                num(x(sla as f64)),
                num(y + 11.0),
            );
        }
        let _ = write!(out, "</g>");
        text(
            &mut out,
            x(max) + 6.0,
            y + 4.0,
            "start",
            &format!(
                "{} / {} / {}",
                duration(median),
                duration(p90),
                duration(max)
            ),
        );
    }
    legend(
        &mut out,
        top + row * shown.len().max(1) as f64 + LINE + 8.0,
        &items,
    );
    out.push_str("</svg>");
    out
}

/// The number of a target as written (`>= 1_000 per month`, `>= 25%`).
pub fn target_number(target: &str) -> Option<f64> {
    let t = target
        .trim_start()
        .trim_start_matches(['>', '<', '=', '!', ' ']);
    let n: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    n.parse().ok()
}

/// A kpi computed per period: a bar per period (solid when met, hatched when missed) and the
/// target as a dashed line.
fn kpi_periods(k: &KpiReport, model: &Model, l: &AuditLabels) -> Option<String> {
    let periods = k.periods.as_ref().filter(|p| !p.is_empty())?;
    let periods = &periods[periods.len().saturating_sub(24)..];
    let title = model
        .kpis
        .iter()
        .find(|m| m.def.id == k.id)
        .map_or(k.id.as_str(), |m| m.def.display_title());
    // A duration's target in seconds, the values' unit.
    let target = k
        .target_s
        .or_else(|| k.target.as_deref().and_then(target_number));
    let values: Vec<f64> = periods
        .iter()
        .map(|p| p.value.as_f64().unwrap_or(0.0))
        .collect();
    let scale = values
        .iter()
        .copied()
        .chain(target)
        .fold(0.0, f64::max)
        .max(1.0);
    let plot_h = 140.0;
    let bar = periods
        .iter()
        .map(|p| text_width(&p.period, FONT))
        .fold(36.0, f64::max);
    let gap = 14.0;
    let left = 56.0;
    let top = 30.0;
    let items = vec![
        (
            "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"#4d6b8a\"/>".to_string(),
            l.met,
        ),
        (
            "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"url(#kpi-hatch)\" stroke=\"#b3261e\"/>"
                .to_string(),
            l.missed,
        ),
        (
            format!(
                "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"{INK}\" stroke-width=\"2\" \
                 stroke-dasharray=\"6 3\"/>"
            ),
            l.target_line,
        ),
    ];
    let heading = format!("{title} · {}", l.pic_per_period);
    let width = (left + (bar + gap) * periods.len() as f64 + 20.0)
        .max(legend_width(&items))
        .max(text_width(&heading, FONT) + 2.0 * PAD);
    let height = top + plot_h + 34.0 + 2.0 * LINE;
    let y = |v: f64| top + plot_h - plot_h * v / scale;
    let mut out = String::new();
    open(&mut out, "kpi", width, height, &heading);
    text(&mut out, PAD, 16.0, "start", &heading);
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>",
        num(left - 4.0),
        num(top + plot_h),
        num(width - 8.0),
        num(top + plot_h)
    );
    for (i, (p, v)) in periods.iter().zip(&values).enumerate() {
        let x = left + (bar + gap) * i as f64;
        let met = p.met == Some(true);
        let fill = if met {
            "#4d6b8a\""
        } else {
            "url(#kpi-hatch)\" stroke=\"#b3261e\""
        };
        let _ = write!(
            out,
            "<rect class=\"bar\" data-period=\"{}\" data-value=\"{v}\" x=\"{}\" y=\"{}\" width=\"{bar}\" \
             height=\"{}\" fill=\"{fill}/>",
            esc(&p.period),
            num(x),
            y(*v),
            plot_h * v / scale,
        );
        text(&mut out, x + bar / 2.0, y(*v) - 4.0, "middle", &amount(*v));
        text(
            &mut out,
            x + bar / 2.0,
            top + plot_h + 14.0,
            "middle",
            &p.period,
        );
    }
    if let Some(t) = target {
        let _ = write!(
            out,
            "<line class=\"target\" data-value=\"{t}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" \
             stroke=\"{INK}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
            num(left - 4.0),
            y(t),
            num(width - 8.0),
            y(t)
        );
        text(&mut out, left - 8.0, y(t) + 4.0, "end", &amount(t));
    }
    legend(&mut out, top + plot_h + 34.0, &items);
    out.push_str("</svg>");
    Some(out)
}

/// Weeks the picture of started cases draws one bar each; a log spanning more is drawn per month.
pub const WEEKS_DRAWN: i64 = 104;
/// Months drawn one bar each; a log spanning more is drawn per year (and, beyond as many years,
/// per run of years).
pub const MONTHS_DRAWN: i64 = 120;

/// The cases started per week: a bar per ISO week from the first start to the last, zeros
/// included, the start of a case being its first accepted event, in `offset_s` seconds east of
/// UTC. Week labels are spaced so that none overlaps the next; a log spanning more than
/// [`WEEKS_DRAWN`] weeks is drawn per month, or per year, and the picture says so.
pub fn started(report: &Report, l: &AuditLabels, offset_s: i32) -> String {
    let epoch = Timestamp::from_secs(0);
    let local: Vec<Timestamp> = report
        .case_starts
        .iter()
        .map(|t| {
            let secs = t.seconds_since(epoch).floor() as i64;
            Timestamp::from_secs(secs + i64::from(offset_s))
        })
        .collect();
    let (Some(&first), Some(&last)) = (local.iter().min(), local.iter().max()) else {
        let items = started_legend(l);
        let width = legend_width(&items).max(200.0);
        let mut out = String::new();
        open(&mut out, "started", width, 30.0 + 2.0 * LINE, l.pic_started);
        text(&mut out, PAD, 16.0, "start", l.pic_no_case);
        legend(&mut out, 30.0 + LINE, &items);
        out.push_str("</svg>");
        return out;
    };
    let span = |p: Period| period_key(p, last) - period_key(p, first) + 1;
    let (period, note) = if span(Period::Week) <= WEEKS_DRAWN {
        (Period::Week, None)
    } else if span(Period::Month) <= MONTHS_DRAWN {
        (Period::Month, Some(l.pic_started_months))
    } else {
        (Period::Year, Some(l.pic_started_years))
    };
    // Years beyond the limit are drawn in runs of years, as many bars as months at most.
    let run = (span(period) + MONTHS_DRAWN - 1) / MONTHS_DRAWN;
    let base = period_key(period, first);
    let bars = ((span(period) + run - 1) / run) as usize;
    let mut counts = vec![0u64; bars];
    for t in &local {
        counts[((period_key(period, *t) - base) / run) as usize] += 1;
    }
    let label = |i: usize| {
        let from = base + i as i64 * run;
        let to = (from + run - 1).min(base + span(period) - 1);
        if to > from {
            format!(
                "{}–{}",
                period_label(period, from),
                period_label(period, to)
            )
        } else {
            period_label(period, from)
        }
    };
    let labels: Vec<String> = (0..bars).map(label).collect();
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let label_w = labels
        .iter()
        .map(|s| text_width(s, FONT))
        .fold(0.0, f64::max);
    // Slots share 720 pixels, each at most wide enough for its label (or 48).
    let slot = (720.0 / bars as f64)
        .min((label_w + 10.0).max(48.0))
        .max(6.0);
    let bar_w = slot * 0.8;
    // Every `every`-th bar is labelled: a label and the gap to the next fit in its slots.
    let mut every = ((label_w + 10.0) / slot).ceil().max(1.0) as usize;
    // Months are labelled at the same months of each year (January, July, ...).
    let by_month = period == Period::Month;
    if by_month {
        every = [1, 2, 3, 4, 6, 12]
            .into_iter()
            .find(|&n| n >= every)
            .unwrap_or_else(|| every.div_ceil(12) * 12);
    }
    let labelled = |i: usize| {
        if by_month {
            (base + i as i64).rem_euclid(every as i64) == 0
        } else {
            i.is_multiple_of(every)
        }
    };
    let value_w = text_width(&most.to_string(), FONT);
    let values_fit = slot >= value_w + 4.0;
    let left = (value_w + 14.0).max(36.0);
    let plot_h = 120.0;
    let lines = 1.0 + note.map_or(0.0, |_| 1.0);
    let top = 16.0 * lines + 20.0;
    let heading = match (labels.first(), labels.last()) {
        (Some(a), Some(b)) if bars > 1 => format!("{a} – {b}"),
        (Some(a), _) => a.clone(),
        _ => String::new(),
    };
    let heading = format!("{}: {} · {heading}", l.n_cases, report.case_starts.len());
    let items = started_legend(l);
    let width = (left + slot * bars as f64 + label_w / 2.0 + PAD)
        .max(legend_width(&items))
        .max(text_width(&heading, FONT) + 2.0 * PAD)
        .max(note.map_or(0.0, |n| text_width(n, FONT) + 2.0 * PAD));
    let axis_y = top + plot_h;
    let height = axis_y + 20.0 + LINE + 8.0 + LINE;
    let y = |v: u64| axis_y - plot_h * v as f64 / most as f64;
    let mut out = String::new();
    open(&mut out, "started", width, height, l.pic_started);
    text(&mut out, PAD, 16.0, "start", &heading);
    if let Some(note) = note {
        text(&mut out, PAD, 32.0, "start", note);
    }
    // The axis: 0, the half and the most, each with a light rule.
    let mut ticks = vec![0, most.div_ceil(2), most];
    ticks.dedup();
    for t in ticks {
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>",
            num(left - 4.0),
            num(y(t)),
            num(left + slot * bars as f64),
            num(y(t)),
            if t == 0 { "#999" } else { "#e4e4e4" },
        );
        text(&mut out, left - 6.0, y(t) + 4.0, "end", &t.to_string());
    }
    for (i, (&n, period)) in counts.iter().zip(&labels).enumerate() {
        let x = left + slot * i as f64;
        let _ = write!(
            out,
            "<rect class=\"bar\" data-period=\"{}\" data-value=\"{n}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"#5b7fa8\"/>",
            esc(period),
            num(x + (slot - bar_w) / 2.0),
            num(y(n)),
            num(bar_w),
            num(axis_y - y(n)),
        );
        if values_fit && n > 0 {
            text(
                &mut out,
                x + slot / 2.0,
                y(n) - 4.0,
                "middle",
                &n.to_string(),
            );
        }
        if labelled(i) {
            text(&mut out, x + slot / 2.0, axis_y + 20.0, "middle", period);
        }
    }
    legend(&mut out, axis_y + 20.0 + LINE + 8.0, &items);
    out.push_str("</svg>");
    out
}

fn started_legend(l: &AuditLabels) -> Vec<(String, &str)> {
    vec![(
        "<rect x=\"0\" y=\"-6\" width=\"20\" height=\"12\" fill=\"#5b7fa8\"/>".to_string(),
        l.pic_started_legend,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_numbers() {
        assert_eq!(target_number(">= 1_000 per month"), Some(1000.0));
        assert_eq!(target_number(">= 25%"), Some(25.0));
        assert_eq!(target_number("<= 4.5"), Some(4.5));
        assert_eq!(target_number("high"), None);
    }
}
