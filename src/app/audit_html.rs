//! `sopc audit --html FILE`: the audit as one self-contained, printable HTML page, with a bar per
//! stage (its entries, the part that broke the SLA darker).

use std::fmt::Write as _;

use super::audit_text::{
    Labels, count, counted, display, duration, examples, kind_label, kpi_value, line_no,
    short_time, shown_stages, shown_unknown, sla_text, titles, top_next,
};
use crate::audit::report::{DeviationKind, Report, TransitionKind};
use crate::model::Model;
use crate::render::escape::html as e;

const STYLE: &str = "
body { font: 14px/1.45 system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; margin: 2em auto;
       max-width: 60em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.meta { color: #555; margin: .2em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.fill { background: #4a78b5; height: .9em; min-width: 1px; position: relative; margin-top: .2em; }
.fill span { background: #c0392b; position: absolute; right: 0; top: 0; bottom: 0; }
.bad { color: #c0392b; } .good { color: #1e824c; } td.status { white-space: nowrap; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
";

/// The page, in the document's language.
pub(super) fn page(report: &Report, model: &Model, lang: Option<&str>, l: &Labels) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let titles = titles(report);
    let title = |id: &str| -> String { titles.get(id).cloned().unwrap_or_else(|| id.to_string()) };
    let pipeline_title = model
        .pipelines
        .iter()
        .find(|p| p.def.id == report.pipeline)
        .map_or(report.pipeline.as_str(), |p| p.def.display_title());
    let html_lang = if lang == Some("zh") { "zh-CN" } else { "en" };
    let log = &report.log;
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{} {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{} {} ({})</h1>\n",
        e(l.audit),
        e(pipeline_title),
        e(l.audit),
        e(&report.pipeline),
        e(pipeline_title)
    );
    let period = match (&log.first, &log.last) {
        (Some(f), Some(t)) => format!("{} → {}", &f[..10.min(f.len())], &t[..10.min(t.len())]),
        _ => l.no_events.to_string(),
    };
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} · {} · {} · {} {}</p>\n<p class=\"meta\">{} {} · {} · {} · {}</p>",
        e(&counted(log.cases, l.cases)),
        e(&counted(log.events, l.events)),
        e(&period),
        e(l.as_of),
        e(&log.as_of.as_deref().map_or("—".to_string(), short_time)),
        e(l.log),
        e(&log.file),
        e(&counted(log.rows, l.rows)),
        e(&counted(log.rejected, l.rejected)),
        e(&counted(log.dropped, l.dropped)),
    );
    stages(&mut h, report, model, l, &title);
    deviations(&mut h, report, l, &title);
    let a = &report.fitness.alignment;
    let f = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.3}"));
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p>{} <b>{}</b> ({} {}) · {}{}{} {} · {} {}</p>",
        e(l.fitness),
        e(l.alignment),
        f(a.log_fitness),
        e(l.closed),
        f(a.closed_log_fitness),
        count(a.fitting_cases),
        e(l.of),
        count(log.cases),
        e(l.fit_exactly),
        e(l.token_replay),
        f(report.fitness.token_replay.log_fitness)
    );
    kpis(&mut h, report, model, l);
    if !report.rejected_rows.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{} ({})</h2>\n<ul>",
            e(l.rejected_rows),
            report.rejected_rows.len()
        );
        for r in report.rejected_rows.iter().take(10) {
            let value = r
                .value
                .as_deref()
                .map(|v| format!(" <code>{}</code>", e(v)));
            let _ = writeln!(
                h,
                "<li>{}: {}{}</li>",
                e(&line_no(l, r.line)),
                e(r.reason.as_str()),
                value.unwrap_or_default()
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn stages(
    h: &mut String,
    report: &Report,
    model: &Model,
    l: &Labels,
    title: &dyn Fn(&str) -> String,
) {
    let most = report
        .stages
        .iter()
        .map(|s| s.entries)
        .max()
        .unwrap_or(0)
        .max(1);
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th class=\"n\">{}</th><th style=\"width:25%\"></th>\
         <th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>\
         <th class=\"n\">{}</th><th>{}</th></tr>",
        e(l.stage),
        e(l.stage),
        e(l.entries),
        e(l.median),
        e(l.p90),
        e(l.sla),
        e(l.breaches),
        e(l.open),
        e(l.next)
    );
    let (shown, hidden_stages) = shown_stages(report);
    for s in shown {
        let width = 100.0 * s.entries as f64 / most as f64;
        let breached = match (s.sla_breaches, s.dwell.completed) {
            (Some(b), c) if c > 0 => 100.0 * b as f64 / c as f64,
            _ => 0.0,
        };
        let dash = || "—".to_string();
        let next: Vec<String> = top_next(report, s)
            .into_iter()
            .map(|(to, share, kind)| match kind {
                TransitionKind::Allowed => format!("{} {share}", e(&title(to))),
                k => format!(
                    "{} {share} <span class=\"bad\">{}</span>",
                    e(&title(to)),
                    e(kind_label(l, DeviationKind::of(k)))
                ),
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td><div class=\"fill\" style=\"width:{width:.1}%\">\
             <span style=\"width:{breached:.1}%\"></span></div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&display(s)),
            count(s.entries),
            s.dwell.median_s.map_or_else(dash, duration),
            s.dwell.p90_s.map_or_else(dash, duration),
            e(&sla_text(model, &report.pipeline, &s.id).unwrap_or_else(dash)),
            s.sla_breaches.map_or_else(dash, count),
            if s.terminal {
                dash()
            } else {
                format!(
                    "{}/{}",
                    count(s.open),
                    s.open_overdue.map_or_else(dash, count)
                )
            },
            next.join(", ")
        );
    }
    h.push_str("</table>\n");
    if hidden_stages > 0 {
        let _ = writeln!(h, "<p>… {hidden_stages} {}</p>", e(l.more));
    }
    if !report.never_visited.is_empty() {
        let names: Vec<String> = report.never_visited.iter().map(|s| title(s)).collect();
        let _ = writeln!(h, "<p>{}: {}</p>", e(l.never_visited), e(&names.join(", ")));
    }
}

fn deviations(h: &mut String, report: &Report, l: &Labels, title: &dyn Fn(&str) -> String) {
    let d = &report.deviations;
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p>{}{}{} {}</p>\n<ul>",
        e(l.deviations),
        count(d.deviating_cases),
        e(l.of),
        count(report.log.cases),
        e(l.deviating)
    );
    let mut list: Vec<_> = d
        .disallowed_transitions
        .iter()
        .filter(|t| t.kind != TransitionKind::UnknownStage)
        .collect();
    list.sort_by_key(|t| std::cmp::Reverse(t.count));
    for t in list.iter().take(12) {
        let _ = writeln!(
            h,
            "<li><b>{}</b> {} → {}: {}{} — {} {}</li>",
            e(kind_label(l, DeviationKind::of(t.kind))),
            e(&title(&t.from)),
            e(&title(&t.to)),
            count(t.count),
            e(l.times),
            e(l.example),
            e(&examples(&t.cases))
        );
    }
    for (stage, n) in d.bad_starts.0.iter().take(12) {
        let _ = writeln!(
            h,
            "<li><b>{}</b> {}: {}</li>",
            e(l.bad_start),
            e(&title(stage)),
            e(&counted(*n, l.cases))
        );
    }
    let (unknown, hidden_unknown) = shown_unknown(report);
    for (id, u) in unknown {
        let hint = u
            .did_you_mean
            .as_ref()
            .map(|s| format!(" — {} <code>{}</code>?", e(l.did_you_mean), e(s)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<li><b>{}</b> <code>{}</code>: {}{hint}</li>",
            e(l.unknown_stage),
            e(id),
            e(&counted(u.events, l.events))
        );
    }
    if hidden_unknown > 0 {
        let _ = writeln!(h, "<li>… {hidden_unknown} {}</li>", e(l.more));
    }
    h.push_str("</ul>\n");
}

fn kpis(h: &mut String, report: &Report, model: &Model, l: &Labels) {
    if report.kpis.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h2>{}</h2>\n<table>", e(l.kpis));
    for k in &report.kpis {
        let name = model
            .kpis
            .iter()
            .find(|m| m.def.id == k.id)
            .map_or(k.id.clone(), |m| m.def.display_title().to_string());
        let (status, value, class) = if k.computable {
            let (status, value) = kpi_value(k, l);
            let class = if status == l.met { "good" } else { "bad" };
            (status, value, class)
        } else {
            let why = k.reason.as_deref().unwrap_or_default();
            ("—".to_string(), format!("{} ({why})", l.not_computable), "")
        };
        let target = k
            .target
            .as_deref()
            .map(|t| format!("{} {}", e(l.target), e(t)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td class=\"status {class}\">{}</td><td>{}</td><td>{}</td><td>{target}</td></tr>",
            e(&status),
            e(&name),
            e(&value),
        );
    }
    h.push_str("</table>\n");
}
