//! The report as a pull-request comment: a summary, a table of changes per file, the roles to
//! tell, the findings, and a Mermaid chart of each changed pipeline that GitHub renders as it is.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::entities::{Entity, Local};
use super::human::pipeline_of;
use super::report::{
    AttributeChange, Change, ChangeKind, Chart, ChartStage, DiffReport, EntityKind, FindingRef,
};
use crate::render::escape::{md_cell, md_inline, mermaid_text};

/// The new side of every pipeline something in changed, marked.
pub(crate) fn charts(changes: &[Change], new: &[Entity]) -> Vec<Chart> {
    let mut by_pipeline: HashMap<(&str, &str), Vec<&Change>> = HashMap::new();
    for c in changes {
        if let Some(p) = pipeline_of(c) {
            by_pipeline.entry((&c.file, p)).or_default().push(c);
        }
    }
    let in_file = super::impact::by_file(new);
    let mut out = Vec::new();
    for p in new.iter().filter(|e| e.kind == EntityKind::Pipeline) {
        let pid = p.qid();
        let inside = by_pipeline
            .get(&(p.file.as_str(), pid.as_str()))
            .cloned()
            .unwrap_or_default();
        if inside.is_empty() {
            continue;
        }
        let mark = |kind: EntityKind, id: &str| {
            inside
                .iter()
                .find(|c| c.kind == kind && c.id == id)
                .map(|c| c.change)
        };
        let mut chart = Chart {
            file: p.file.clone(),
            pipeline: pid.clone(),
            title: p.title.clone().unwrap_or_else(|| pid.clone()),
            ..Chart::default()
        };
        let mut index = HashMap::new();
        let here = &in_file[p.file.as_str()];
        for s in here
            .iter()
            .filter(|e| e.kind == EntityKind::Stage)
            .filter(|e| e.parent.as_deref() == Some(pid.as_str()))
        {
            let id = s.qid();
            let task_changed = inside
                .iter()
                .any(|c| c.kind == EntityKind::Task && c.id.starts_with(&format!("{id}.")));
            let stage_mark = match mark(EntityKind::Stage, &id) {
                Some(ChangeKind::Added) => Some(ChangeKind::Added),
                Some(_) => Some(ChangeKind::Modified),
                None if task_changed => Some(ChangeKind::Modified),
                None => None,
            };
            index.insert(id.clone(), chart.stages.len());
            chart.stages.push(ChartStage {
                label: s.title.clone().unwrap_or_else(|| local(s)),
                terminal: s.attrs.contains_key(&("terminal", None)),
                id,
                mark: stage_mark,
            });
        }
        for t in here.iter().filter(|e| e.kind == EntityKind::Transition) {
            let Local::Transition { from, to } = &t.local else {
                continue;
            };
            if let (Some(&a), Some(&b)) = (index.get(from), index.get(to)) {
                let when = t.attrs.get(&("when", None)).map(|w| w.shown.clone());
                let added = mark(EntityKind::Transition, &t.qid()) == Some(ChangeKind::Added);
                chart.edges.push((a, b, when, added));
            }
        }
        chart.removed = inside
            .iter()
            .filter(|c| c.change == ChangeKind::Removed)
            .filter(|c| matches!(c.kind, EntityKind::Stage | EntityKind::Transition))
            .map(|c| c.id.clone())
            .collect();
        out.push(chart);
    }
    out
}

fn local(e: &Entity) -> String {
    match &e.local {
        Local::Id(id) => id.clone(),
        Local::Transition { .. } => e.qid(),
    }
}

/// The whole comment.
pub fn markdown(r: &DiffReport) -> String {
    let mut out = String::from("## SOP changes\n\n");
    let _ = writeln!(out, "Comparing {} with {}.\n", code(&r.old), code(&r.new));
    let files = plural(r.summary.files, "file", "files");
    let changes = plural(r.summary.changes, "change", "changes");
    let mut summary = format!("**{files}, {changes}**");
    if !r.affected_roles.is_empty() {
        let roles: Vec<String> = r.affected_roles.iter().map(|n| code(n)).collect();
        let _ = write!(summary, ", affects {}", roles.join(", "));
    }
    out.push_str(&summary);
    out.push_str("\n\n");
    if r.files.is_empty() {
        out.push_str("No SOP file changed.\n");
        return out;
    }
    for v in r
        .versions
        .iter()
        .filter(|v| v.semantic && !v.bumped && v.old.is_some())
    {
        let _ = writeln!(
            out,
            "> **Note:** {} changed in meaning but its `version` stayed {}; bump it so readers know which one they follow.\n",
            code(&v.file),
            v.new.as_deref().map_or_else(|| "unset".to_string(), code)
        );
    }
    for f in &r.files {
        let status = match &f.old_path {
            Some(old) => format!("renamed from {}", code(old)),
            None => format!("{:?}", f.status).to_lowercase(),
        };
        let _ = writeln!(out, "### {} ({status})\n", code(&f.path));
        for (side, e) in [("old", &f.old_parse_error), ("new", &f.new_parse_error)] {
            if let Some(e) = e {
                let _ = writeln!(
                    out,
                    "The {side} version does not parse ({}, line {}): {}; compared as text only.\n",
                    code(&e.file),
                    e.line,
                    md_inline(&e.message)
                );
            }
        }
        let rows: Vec<&Change> = r.changes.iter().filter(|c| c.file == f.path).collect();
        if rows.is_empty() {
            if !f.semantic {
                out.push_str("Only layout or comments changed: no change in meaning.\n\n");
            }
        } else {
            out.push_str("| Kind | Id | Change |\n| --- | --- | --- |\n");
            for c in rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    c.kind.name(),
                    code(&c.id),
                    change_cell(c)
                );
            }
            out.push('\n');
        }
        for chart in r.charts.iter().filter(|c| c.file == f.path) {
            mermaid(&mut out, chart);
        }
    }
    if !r.affected_roles.is_empty() {
        out.push_str("### Who must read it again\n\n");
        for role in &r.affected_roles {
            let _ = writeln!(out, "- {}", code(role));
        }
        out.push('\n');
    }
    let graph: Vec<String> = r.graph.iter().flat_map(super::human::graph_lines).collect();
    if !graph.is_empty() {
        out.push_str("### Pipelines\n\n");
        for line in graph {
            let _ = writeln!(out, "- {}", md_inline_code(&line));
        }
        out.push('\n');
    }
    for (title, list) in [
        ("Findings introduced", &r.findings.introduced),
        ("Findings fixed", &r.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        out.push_str("| Severity | Rule | Where | Message |\n| --- | --- | --- | --- |\n");
        for f in list {
            finding_row(&mut out, f);
        }
        out.push('\n');
    }
    out
}

fn finding_row(out: &mut String, f: &FindingRef) {
    let _ = writeln!(
        out,
        "| {} | `{}` | {} | {} |",
        f.severity,
        f.rule,
        code(&format!("{}:{}", f.file, f.line)),
        md_inline_code(&f.message)
    );
}

fn change_cell(c: &Change) -> String {
    let mut parts = Vec::new();
    match c.change {
        ChangeKind::Added => parts.push("**added**".to_string()),
        ChangeKind::Removed => parts.push("**removed**".to_string()),
        ChangeKind::Renamed => parts.push(format!(
            "**renamed** from {}",
            code(c.from_id.as_deref().unwrap_or(""))
        )),
        ChangeKind::Modified => {}
    }
    if let Some(w) = &c.when {
        parts.push(format!("when {}", md_cell(w)));
    }
    for a in &c.attributes {
        parts.push(attribute_cell(a));
    }
    parts.join("; ")
}

/// One attribute for a table cell: the name in bold, the values as code.
fn attribute_cell(a: &AttributeChange) -> String {
    let mut name = format!("**{}**", a.name);
    if let Some(k) = &a.kpi {
        let _ = write!(name, " of {}", code(k));
    }
    let value = |v: &str| code(&crate::text::visible(v));
    let mut s = match (&a.old, &a.new) {
        (Some(o), Some(n)) => format!("{name} {} → {}", value(o), value(n)),
        (None, Some(n)) => format!("{name} {} added", value(n)),
        (Some(o), None) => format!("{name} removed (was {})", value(o)),
        (None, None) => name,
    };
    if let Some(d) = a.direction {
        let _ = write!(s, " ({})", d.name());
    }
    if a.inherited == Some(true) {
        s.push_str(" (from the stage's owner)");
    }
    s
}

/// A Mermaid flowchart of the new pipeline: added stages green, changed ones yellow, new
/// transitions drawn thick; what was removed is listed under it.
fn mermaid(out: &mut String, chart: &Chart) {
    let _ = writeln!(out, "Pipeline {}:\n", code(&chart.pipeline));
    out.push_str("```mermaid\nflowchart TD\n");
    for (i, s) in chart.stages.iter().enumerate() {
        let label = mermaid_text(&s.label);
        let shape = if s.terminal {
            format!("s{i}([\"{label}\"])")
        } else {
            format!("s{i}[\"{label}\"]")
        };
        let class = match s.mark {
            Some(ChangeKind::Added) => ":::added",
            Some(_) => ":::changed",
            None => "",
        };
        let _ = writeln!(out, "  {shape}{class}");
    }
    let mut thick = Vec::new();
    for (n, (a, b, when, added)) in chart.edges.iter().enumerate() {
        match when {
            Some(w) => {
                let _ = writeln!(out, "  s{a} -->|\"{}\"| s{b}", mermaid_text(w));
            }
            None => {
                let _ = writeln!(out, "  s{a} --> s{b}");
            }
        }
        if *added {
            thick.push(n.to_string());
        }
    }
    out.push_str("  classDef added fill:#d4f8d4,stroke:#1a7f37,stroke-width:2px\n");
    out.push_str("  classDef changed fill:#fff3c4,stroke:#9a6700,stroke-width:2px\n");
    if !thick.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#1a7f37,stroke-width:3px",
            thick.join(",")
        );
    }
    out.push_str("```\n\n");
    if !chart.removed.is_empty() {
        let removed: Vec<String> = chart.removed.iter().map(|r| code(r)).collect();
        let _ = writeln!(out, "Removed: {}\n", removed.join(", "));
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An id or path as inline code; text a code span cannot hold safely is escaped instead.
fn code(s: &str) -> String {
    if s.trim().is_empty() {
        return format!("\"{}\"", md_inline(s));
    }
    let unsafe_char = |c: char| c.is_control() || crate::text::is_hidden(c) || c == '`' || c == '|';
    if s.chars().any(unsafe_char) {
        md_inline(s)
    } else {
        format!("`{s}`")
    }
}

/// A line of the human output (names in backticks) as Markdown: the backticked names kept as
/// code, the rest escaped.
fn md_inline_code(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&code(part));
            continue;
        }
        // A blank after a code span stays a blank (escaped alone it would be `&#32;`).
        let trimmed = part.trim_start_matches(' ');
        out.push_str(&part[..part.len() - trimmed.len()]);
        if !trimmed.is_empty() {
            out.push_str(&md_inline(trimmed));
        }
    }
    out
}
