//! The report in plain words for a terminal: by file, then pipeline, one line per change.

use std::fmt::Write as _;

use super::report::{AttributeChange, Change, ChangeKind, DiffReport, EntityKind, GraphImpact};
use crate::render::escape::visible;

/// The pipeline a change is inside (or is), by qualified id.
pub(crate) fn pipeline_of(c: &Change) -> Option<&str> {
    match c.kind {
        EntityKind::Pipeline => Some(&c.id),
        EntityKind::Stage | EntityKind::Task | EntityKind::Transition => c.id.split('.').next(),
        _ => None,
    }
}

/// One attribute in plain words: "sla 3d → 5d (longer)".
pub(crate) fn attribute_text(a: &AttributeChange) -> String {
    let name = match &a.kpi {
        Some(k) => format!("{} of `{k}`", a.name),
        None => a.name.clone(),
    };
    let mut s = match (&a.old, &a.new) {
        (Some(o), Some(n)) => format!("{name} {} → {}", visible(o), visible(n)),
        (None, Some(n)) => format!("{name} {} added", visible(n)),
        (Some(o), None) => format!("{name} removed (was {})", visible(o)),
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

/// One change in plain words; inside a pipeline's group the pipeline's name is left out.
fn change_line(c: &Change, group: Option<&str>) -> String {
    let id = match group {
        Some(p) if c.kind != EntityKind::Pipeline => {
            c.id.strip_prefix(p)
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(&c.id)
        }
        _ => &c.id,
    };
    let mut s = format!("{} `{}`: ", c.kind.name(), visible(id));
    let mut parts = Vec::new();
    match c.change {
        ChangeKind::Added | ChangeKind::Removed => parts.push(c.change.name().to_string()),
        ChangeKind::Renamed => {
            let from = c.from_id.as_deref().unwrap_or("");
            let from = match group {
                Some(p) => from
                    .strip_prefix(p)
                    .and_then(|r| r.strip_prefix('.'))
                    .unwrap_or(from),
                None => from,
            };
            parts.push(format!("renamed from `{}`", visible(from)));
        }
        ChangeKind::Modified => {}
    }
    if let Some(w) = &c.when {
        parts.push(format!("when \"{}\"", visible(w)));
    }
    parts.extend(c.attributes.iter().map(attribute_text));
    s.push_str(&parts.join("; "));
    s
}

/// What one pipeline's graph lost, one line per fact.
pub(crate) fn graph_lines(g: &GraphImpact) -> Vec<String> {
    let mut out = Vec::new();
    let p = visible(&g.pipeline);
    if let Some(s) = &g.start {
        let show = |v: &Option<String>| {
            v.as_deref()
                .map_or_else(|| "none".to_string(), |v| format!("`{}`", visible(v)))
        };
        out.push(format!(
            "pipeline `{p}`: the work now enters at {} (was {})",
            show(&s.new),
            show(&s.old)
        ));
    }
    for s in &g.newly_unreachable {
        out.push(format!(
            "pipeline `{p}`: stage `{}` can no longer be reached from the start",
            visible(s)
        ));
    }
    for s in &g.newly_trapped {
        out.push(format!(
            "pipeline `{p}`: stage `{}` can no longer reach an end stage",
            visible(s)
        ));
    }
    out
}

/// The whole report.
pub fn human(r: &DiffReport) -> String {
    let mut out = String::new();
    if r.files.is_empty() {
        let _ = writeln!(
            out,
            "no difference between `{}` and `{}`",
            visible(&r.old),
            visible(&r.new)
        );
        return out;
    }
    for f in &r.files {
        let status = match &f.old_path {
            Some(old) => format!("renamed from `{}`", visible(old)),
            None => format!("{:?}", f.status).to_lowercase(),
        };
        let _ = writeln!(out, "{} ({status})", visible(&f.path));
        for (side, e) in [("old", &f.old_parse_error), ("new", &f.new_parse_error)] {
            if let Some(e) = e {
                let _ = writeln!(
                    out,
                    "  the {side} version does not parse ({}:{}:{}: {}); compared as text only",
                    visible(&e.file),
                    e.line,
                    e.column,
                    visible(&e.message)
                );
            }
        }
        let changes: Vec<&Change> = r.changes.iter().filter(|c| c.file == f.path).collect();
        if changes.is_empty() && !f.semantic {
            out.push_str("  only layout or comments changed: no change in meaning\n");
        }
        let mut current: Option<&str> = None;
        for c in changes {
            let group = pipeline_of(c);
            if group != current {
                if let Some(p) = group {
                    let _ = writeln!(out, "  pipeline `{}`", visible(p));
                }
                current = group;
            }
            let indent = if group.is_some() { "    " } else { "  " };
            let _ = writeln!(out, "{indent}{}", change_line(c, group));
        }
    }
    if !r.affected_roles.is_empty() {
        let roles: Vec<String> = (r.affected_roles.iter())
            .map(|n| format!("`{}`", visible(n)))
            .collect();
        let _ = writeln!(out, "\naffected roles: {}", roles.join(", "));
    }
    let graph: Vec<String> = r.graph.iter().flat_map(graph_lines).collect();
    if !graph.is_empty() {
        out.push('\n');
        for line in graph {
            let _ = writeln!(out, "{line}");
        }
    }
    for (title, list) in [
        ("findings introduced", &r.findings.introduced),
        ("findings fixed", &r.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for f in list {
            let _ = writeln!(
                out,
                "  {} {} {}:{}: {}",
                f.severity,
                f.rule,
                visible(&f.file),
                f.line,
                visible(&f.message)
            );
        }
    }
    for v in r
        .versions
        .iter()
        .filter(|v| v.semantic && !v.bumped && v.old.is_some())
    {
        let _ = writeln!(
            out,
            "\nnote: `{}` changed in meaning but its version stayed {}; bump `version` in its `sop` header",
            visible(&v.file),
            v.new
                .as_deref()
                .map_or_else(|| "unset".to_string(), |n| format!("`{}`", visible(n)))
        );
    }
    let s = &r.summary;
    let _ = writeln!(
        out,
        "\n{} file(s), {} change(s), {} finding(s) introduced, {} fixed",
        s.files, s.changes, s.introduced, s.fixed
    );
    out
}
