//! The human report of `sopc audit`: a page a sales manager reads in a minute, labelled in the
//! document's language (`en` or `zh`).

use std::io::{self, Write};

use super::audit_text::{
    EXAMPLES, Labels, NAME_WIDTH, UNKNOWN_SHOWN, VALUE_WIDTH, case_examples, count, counted,
    display, duration, kind_label, kpi_value, labels, line_no, percent, short_time, shown,
    shown_stages, shown_unknown, sla_text, titles, top_next, width,
};
use super::cli::CasesArg;
use crate::audit::report::{CaseReport, DeviationKind, Report, TransitionKind};
use crate::model::Model;

/// Rows of each list shown before "…and N more".
const REJECTED_SHOWN: usize = 10;
const CASES_SHOWN: usize = 20;
const DEVIATIONS_SHOWN: usize = 8;

pub(super) fn write(
    out: &mut dyn Write,
    report: &Report,
    model: &Model,
    lang: Option<&str>,
    cases: CasesArg,
) -> io::Result<()> {
    let l = labels(lang);
    let titles = titles(report);
    // Every name and value from the SOP or the log is shown escaped and cut to a bounded width.
    let title =
        |id: &str| -> String { shown(titles.get(id).map_or(id, String::as_str), NAME_WIDTH) };
    let log = &report.log;
    let pipeline_title = model
        .pipelines
        .iter()
        .find(|p| p.def.id == report.pipeline)
        .map_or(report.pipeline.as_str(), |p| p.def.display_title());
    let period = match (&log.first, &log.last) {
        (Some(f), Some(t)) => format!("{} → {}", day(f), day(t)),
        _ => l.no_events.to_string(),
    };
    writeln!(
        out,
        "{} {} ({}) · {} · {} · {} · {} {}",
        l.audit,
        shown(&report.pipeline, NAME_WIDTH),
        shown(pipeline_title, NAME_WIDTH),
        counted(log.cases, l.cases),
        counted(log.events, l.events),
        period,
        l.as_of,
        log.as_of
            .as_deref()
            .map_or("—".to_string(), |t| shown(&short_time(t), VALUE_WIDTH)),
    )?;
    let resaves = report
        .dropped_rows
        .iter()
        .filter(|d| d.reason.as_str() == "repeated-stage")
        .count();
    writeln!(
        out,
        "{} {} · {} · {} · {} ({}, {}) · {} · {}",
        l.log,
        shown(&log.file, usize::MAX),
        counted(log.rows, l.rows),
        counted(log.rejected, l.rejected),
        counted(log.dropped, l.dropped),
        counted(resaves as u64, l.resaves),
        counted(log.dropped - resaves as u64, l.duplicates),
        counted(report.row_warnings.len() as u64, l.warnings),
        counted(log.out_of_order_cases, l.out_of_order),
    )?;
    writeln!(out)?;
    stage_table(out, report, model, l, &title)?;
    if !report.never_visited.is_empty() {
        let names: Vec<String> = report.never_visited.iter().map(|s| title(s)).collect();
        writeln!(out, "{}: {}", l.never_visited, names.join(", "))?;
    }
    writeln!(out)?;
    deviations(out, report, l, &title)?;
    fitness(out, report, l)?;
    open_cases(out, report, l, &title)?;
    kpis(out, report, model, l)?;
    rejected(out, report, l)?;
    case_list(out, report, l, &title, cases)
}

fn stage_table(
    out: &mut dyn Write,
    report: &Report,
    model: &Model,
    l: &Labels,
    title: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    let mut rows = vec![[
        l.stage.to_string(),
        l.entries.to_string(),
        l.median.to_string(),
        l.p90.to_string(),
        l.sla.to_string(),
        l.breaches.to_string(),
        l.open.to_string(),
        l.next.to_string(),
    ]];
    let (listed, hidden_stages) = shown_stages(report);
    for s in listed {
        let next: Vec<String> = top_next(report, s)
            .into_iter()
            .map(|(to, share, kind)| match kind {
                TransitionKind::Allowed => format!("{} {share}", title(to)),
                k => format!(
                    "{} {share} {}",
                    title(to),
                    kind_label(l, DeviationKind::of(k))
                ),
            })
            .collect();
        let dash = || "—".to_string();
        rows.push([
            shown(&display(s), NAME_WIDTH),
            count(s.entries),
            s.dwell.median_s.map_or_else(dash, duration),
            s.dwell.p90_s.map_or_else(dash, duration),
            sla_text(model, &report.pipeline, &s.id)
                .or_else(|| s.sla_s.map(|x| duration(x as f64)))
                .unwrap_or_else(dash),
            match (s.sla_breaches, s.sla_breach_rate) {
                (Some(b), Some(r)) => format!("{} ({})", count(b), percent(r)),
                (Some(b), None) => count(b),
                _ => dash(),
            },
            if s.terminal {
                dash()
            } else {
                format!(
                    "{}/{}",
                    count(s.open),
                    s.open_overdue.map_or_else(dash, count)
                )
            },
            next.join(", "),
        ]);
    }
    let widths: Vec<usize> = (0..8)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - width(cell));
            match c {
                0 => line.push_str(&format!("{cell}{pad}")),
                7 => line.push_str(&format!("  {cell}")),
                _ => line.push_str(&format!("  {pad}{cell}")),
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    more(out, hidden_stages + UNKNOWN_SHOWN, UNKNOWN_SHOWN, l)
}

fn deviations(
    out: &mut dyn Write,
    report: &Report,
    l: &Labels,
    title: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    let d = &report.deviations;
    if d.deviating_cases == 0 && d.unknown_stages.0.is_empty() {
        return writeln!(out, "{}: {}", l.deviations, l.no_deviation);
    }
    writeln!(
        out,
        "{}: {}{}{} {}",
        l.deviations,
        count(d.deviating_cases),
        l.of,
        count(report.log.cases),
        l.deviating
    )?;
    // Transitions into and out of unknown stages are told once, with each unknown stage.
    let mut list: Vec<_> = d
        .disallowed_transitions
        .iter()
        .filter(|t| t.kind != TransitionKind::UnknownStage)
        .collect();
    list.sort_by_key(|t| std::cmp::Reverse(t.count));
    for t in list.iter().take(DEVIATIONS_SHOWN) {
        writeln!(
            out,
            "  {} {} → {}  {}{}  {} {}",
            kind_label(l, DeviationKind::of(t.kind)),
            title(&t.from),
            title(&t.to),
            count(t.count),
            l.times,
            l.example,
            examples(&t.cases)
        )?;
    }
    if list.len() > DEVIATIONS_SHOWN {
        writeln!(out, "  … {} {}", list.len() - DEVIATIONS_SHOWN, l.more)?;
    }
    let (start_examples, entered_examples) = case_examples(report);
    let mut bad_starts: Vec<&(String, u64)> = d.bad_starts.0.iter().collect();
    bad_starts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (stage, n) in bad_starts.iter().take(DEVIATIONS_SHOWN) {
        let ids = start_examples
            .get(stage.as_str())
            .map_or(&[][..], Vec::as_slice);
        writeln!(
            out,
            "  {} {}  {}  {} {}",
            l.bad_start,
            title(stage),
            counted(*n, l.cases),
            l.example,
            examples(ids)
        )?;
    }
    more(out, bad_starts.len(), DEVIATIONS_SHOWN, l)?;
    let (unknown, hidden_unknown) = shown_unknown(report);
    for (id, u) in unknown {
        let hint = u
            .did_you_mean
            .as_ref()
            .map(|s| format!(" — {} `{}`?", l.did_you_mean, shown(s, NAME_WIDTH)))
            .unwrap_or_default();
        let ids = entered_examples
            .get(id.as_str())
            .map_or(&[][..], Vec::as_slice);
        let id = shown(id, NAME_WIDTH);
        writeln!(
            out,
            "  {} `{id}`: {} {} {}  {} {}{hint}",
            l.unknown_stage,
            counted(u.events, l.events),
            l.in_cases,
            counted(u.cases, l.cases),
            l.example,
            examples(ids)
        )?;
    }
    more(out, hidden_unknown + UNKNOWN_SHOWN, UNKNOWN_SHOWN, l)
}

fn fitness(out: &mut dyn Write, report: &Report, l: &Labels) -> io::Result<()> {
    let a = &report.fitness.alignment;
    let t = &report.fitness.token_replay;
    let f = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.3}"));
    writeln!(
        out,
        "{}: {} {} ({} {}) · {}{}{} {} · {} {}",
        l.fitness,
        l.alignment,
        f(a.log_fitness),
        l.closed,
        f(a.closed_log_fitness),
        count(a.fitting_cases),
        l.of,
        count(report.log.cases),
        l.fit_exactly,
        l.token_replay,
        f(t.log_fitness)
    )
}

fn open_cases(
    out: &mut dyn Write,
    report: &Report,
    l: &Labels,
    title: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    let o = &report.open_cases;
    let mut overdue: Vec<_> = o.cases.iter().filter(|c| c.overdue).collect();
    overdue.sort_by(|a, b| b.age_s.total_cmp(&a.age_s));
    let longest: Vec<String> = overdue
        .iter()
        .take(EXAMPLES)
        .map(|c| {
            format!(
                "{} {} {}",
                shown(&c.case_id, NAME_WIDTH),
                title(&c.stage),
                duration(c.age_s)
            )
        })
        .collect();
    write!(
        out,
        "{}: {} ({} {})",
        l.open_cases,
        counted(o.count, l.cases),
        count(o.overdue),
        l.overdue
    )?;
    if !longest.is_empty() {
        write!(out, " · {}: {}", l.longest, longest.join(", "))?;
    }
    writeln!(out)
}

fn kpis(out: &mut dyn Write, report: &Report, model: &Model, l: &Labels) -> io::Result<()> {
    if report.kpis.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}:", l.kpis)?;
    for k in &report.kpis {
        let name =
            model
                .kpis
                .iter()
                .find(|m| m.def.id == k.id)
                .map_or(shown(&k.id, NAME_WIDTH), |m| {
                    format!(
                        "{} ({})",
                        shown(m.def.display_title(), NAME_WIDTH),
                        shown(&k.id, NAME_WIDTH)
                    )
                });
        if !k.computable {
            let why = shown(k.reason.as_deref().unwrap_or_default(), usize::MAX);
            writeln!(out, "  —  {name}: {} ({why})", l.not_computable)?;
            continue;
        }
        let (status, value) = kpi_value(k, l);
        let target = shown(k.target.as_deref().unwrap_or_default(), VALUE_WIDTH);
        writeln!(out, "  {status}  {name}: {value}  {} {target}", l.target)?;
    }
    Ok(())
}

fn rejected(out: &mut dyn Write, report: &Report, l: &Labels) -> io::Result<()> {
    let line = |n: u64| line_no(l, n);
    if !report.rejected_rows.is_empty() {
        writeln!(out, "{} ({}):", l.rejected_rows, report.rejected_rows.len())?;
        for r in report.rejected_rows.iter().take(REJECTED_SHOWN) {
            let mut text = format!("  {}  {}", line(r.line), r.reason.as_str());
            if let Some(v) = &r.value {
                text.push_str(&format!(" `{}`", shown(v, VALUE_WIDTH)));
            }
            if let Some(n) = r.fields {
                text.push_str(&format!(" ({})", counted(n as u64, l.fields)));
            }
            if let Some(c) = &r.case_id {
                text.push_str(&format!("  ({})", shown(c, NAME_WIDTH)));
            }
            writeln!(out, "{text}")?;
        }
        more(out, report.rejected_rows.len(), REJECTED_SHOWN, l)?;
    }
    if !report.row_warnings.is_empty() {
        writeln!(out, "{} ({}):", l.row_warnings, report.row_warnings.len())?;
        for w in report.row_warnings.iter().take(REJECTED_SHOWN) {
            writeln!(
                out,
                "  {}  {} `{}`  ({})",
                line(w.line),
                shown(w.reason, VALUE_WIDTH),
                shown(&w.value, VALUE_WIDTH),
                shown(&w.case_id, NAME_WIDTH)
            )?;
        }
        more(out, report.row_warnings.len(), REJECTED_SHOWN, l)?;
    }
    Ok(())
}

fn case_list(
    out: &mut dyn Write,
    report: &Report,
    l: &Labels,
    title: &dyn Fn(&str) -> String,
    which: CasesArg,
) -> io::Result<()> {
    let chosen: Vec<&CaseReport> = match which {
        CasesArg::None => return Ok(()),
        CasesArg::All => report.cases.iter().collect(),
        CasesArg::Deviating => report
            .cases
            .iter()
            .filter(|c| !c.deviations.is_empty())
            .collect(),
    };
    if chosen.is_empty() {
        return Ok(());
    }
    let heading = match which {
        CasesArg::Deviating => l.deviating_cases,
        _ => l.case_list,
    };
    writeln!(out, "{heading} ({}):", chosen.len())?;
    for c in chosen.iter().take(CASES_SHOWN) {
        let mut devs: Vec<String> = c
            .deviations
            .iter()
            .take(EXAMPLES)
            .map(|d| match &d.from {
                None => format!("{} {}", kind_label(l, d.kind), title(&d.to)),
                Some(f) => format!("{} {} → {}", kind_label(l, d.kind), title(f), title(&d.to)),
            })
            .collect();
        if c.deviations.len() > EXAMPLES {
            devs.push(format!("… {} {}", c.deviations.len() - EXAMPLES, l.more));
        }
        let fit = c
            .alignment_fitness
            .map_or("—".to_string(), |f| format!("{f:.3}"));
        writeln!(
            out,
            "  {}  {} → {}  {} {fit}  {}",
            shown(&c.case_id, NAME_WIDTH),
            title(&c.first),
            title(&c.last),
            l.fitness,
            devs.join("; ")
        )?;
    }
    more(out, chosen.len(), CASES_SHOWN, l)
}

/// The first ten characters of a timestamp (its date), escaped.
fn day(t: &str) -> String {
    shown(&t.chars().take(10).collect::<String>(), VALUE_WIDTH)
}

/// Example case ids after a count, each escaped and cut.
fn examples(ids: &[String]) -> String {
    let ids: Vec<String> = ids
        .iter()
        .take(EXAMPLES + 1)
        .map(|id| shown(id, NAME_WIDTH))
        .collect();
    super::audit_text::examples(&ids)
}

fn more(out: &mut dyn Write, total: usize, shown: usize, l: &Labels) -> io::Result<()> {
    if total > shown {
        writeln!(out, "  … {} {}", total - shown, l.more)?;
    }
    Ok(())
}
