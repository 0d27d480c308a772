//! The human report of `sopc audit`: the audit's view printed on a terminal, a page a sales
//! manager reads in a minute. What it shows is the view's choice; here every name and value from
//! the SOP or the log is escaped and cut to a bounded width, and the stage table is aligned.

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::audit::view::{AuditView, Examples, Listed, Tally};
use crate::render::labels::AuditLabels;

/// Widest a stage name (or a case id) is shown: the stage table is as wide as its widest name,
/// and a log can hold a name of any length.
const NAME_WIDTH: usize = 40;

/// Widest any other value from the log (a rejected value, a reason) is shown.
const VALUE_WIDTH: usize = 60;

pub(super) fn write(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let s = &v.summary;
    writeln!(
        out,
        "{} {} ({}) · {} · {} · {} · {} {}",
        l.audit,
        name(&v.pipeline),
        name(&v.pipeline_title),
        s.cases,
        s.events,
        shown(&s.period, usize::MAX),
        l.as_of,
        shown(&s.as_of, VALUE_WIDTH),
    )?;
    writeln!(
        out,
        "{} {} · {} · {} · {} ({}, {}) · {} · {}",
        l.log,
        shown(&s.file, usize::MAX),
        s.rows,
        s.rejected,
        s.dropped,
        s.resaves,
        s.duplicates,
        s.warnings,
        s.out_of_order,
    )?;
    writeln!(out)?;
    stage_table(out, v)?;
    if !v.stages.never_visited.is_empty() {
        let names: Vec<String> = v.stages.never_visited.iter().map(|s| name(s)).collect();
        writeln!(out, "{}: {}", l.never_visited, names.join(", "))?;
    }
    writeln!(out)?;
    handled(out, v)?;
    deviations(out, v)?;
    owner_mismatch(out, v)?;
    let f = &v.fitness;
    writeln!(
        out,
        "{}: {} {} ({} {}) · {}{}{} {} · {} {}",
        l.fitness,
        l.alignment,
        f.alignment,
        l.closed,
        f.closed,
        f.fitting,
        l.of,
        f.cases,
        l.fit_exactly,
        l.token_replay,
        f.token_replay
    )?;
    open_cases(out, v)?;
    kpis(out, v)?;
    rejected(out, v)?;
    case_list(out, v)
}

fn stage_table(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
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
    for s in &v.stages.rows {
        let next: Vec<String> = s
            .next
            .iter()
            .map(|n| match n.kind {
                None => format!("{} {}", name(&n.title), n.share),
                Some(kind) => format!("{} {} {kind}", name(&n.title), n.share),
            })
            .collect();
        rows.push([
            name(&s.title),
            s.entries.clone(),
            s.median.clone(),
            s.p90.clone(),
            s.sla.clone(),
            s.breaches.clone(),
            s.open.clone(),
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
    more(out, v.stages.more, l)
}

/// Who handled each stage: its roles against the SOP's owner, and its actors; nothing without a
/// role and an actor column.
fn handled(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let Some(h) = &v.handled else {
        return Ok(());
    };
    writeln!(out, "{}:", l.handled)?;
    let mut header = vec![l.stage.to_string()];
    if h.by_role {
        header.extend([l.owner, l.roles, l.not_owner].map(String::from));
    }
    if h.by_actor {
        header.push(l.actors.to_string());
    }
    let mut rows = vec![header];
    for r in &h.rows {
        let mut row = vec![name(&r.stage)];
        if h.by_role {
            row.extend([name(&r.owner), tallies(&r.roles, l), r.not_owner.clone()]);
        }
        if h.by_actor {
            row.push(tallies(&r.actors, l));
        }
        rows.push(row);
    }
    // Names left-aligned, the mismatch count right-aligned.
    let right = |c: usize| h.by_role && c == 3;
    table(out, &rows, &right)?;
    writeln!(out)
}

/// The stages handled by a role other than their owner, as a table.
fn owner_mismatch(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let Some(m) = v.handled.as_ref().map(|h| &h.mismatches) else {
        return Ok(());
    };
    if m.total == 0 {
        return Ok(());
    }
    writeln!(out, "{} ({}):", l.owner_mismatch, m.total)?;
    let mut rows = vec![[l.stage, l.owner, l.role, l.n_events, l.n_cases].map(String::from)];
    for r in &m.rows {
        rows.push([
            name(&r.stage),
            name(&r.owner),
            name(&r.role),
            r.events.clone(),
            r.cases.clone(),
        ]);
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    table(out, &rows, &|c| c >= 3)?;
    more(out, m.more, l)
}

/// `王芳 30, 李雷 14 and 2 more`: names and their events, escaped and cut.
fn tallies(t: &Listed<Tally>, l: &AuditLabels) -> String {
    if t.total == 0 {
        return "—".to_string();
    }
    let mut text = t
        .rows
        .iter()
        .map(|r| format!("{} {}", name(&r.name), r.events))
        .collect::<Vec<_>>()
        .join(", ");
    if t.more > 0 {
        text.push_str(&format!(" {} {} {}", l.and_more, t.more, l.and_more_after));
    }
    text
}

/// Rows indented by two, each column as wide as its widest cell (in terminal columns), the
/// columns `right` says right-aligned, the last column not padded.
fn table(
    out: &mut dyn Write,
    rows: &[Vec<String>],
    right: &dyn Fn(usize) -> bool,
) -> io::Result<()> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - width(cell));
            line.push(' ');
            if right(c) {
                line.push_str(&format!("{pad}{cell}"));
            } else if c + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell}{pad}"));
            }
            line.push(' ');
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn deviations(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let d = &v.deviations;
    if !d.any {
        return writeln!(out, "{}: {}", l.deviations, l.no_deviation);
    }
    writeln!(
        out,
        "{}: {}{}{} {}",
        l.deviations, d.deviating, l.of, d.cases, l.deviating
    )?;
    for t in &d.transitions.rows {
        writeln!(
            out,
            "  {} {} → {}  {}{}  {} {}",
            t.kind,
            name(&t.from),
            name(&t.to),
            t.count,
            l.times,
            l.example,
            examples(&t.examples)
        )?;
    }
    more(out, d.transitions.more, l)?;
    for b in &d.bad_starts.rows {
        writeln!(
            out,
            "  {} {}  {}  {} {}",
            l.bad_start,
            name(&b.stage),
            b.cases,
            l.example,
            examples(&b.examples)
        )?;
    }
    more(out, d.bad_starts.more, l)?;
    for u in &d.unknown.rows {
        let hint = u
            .did_you_mean
            .as_ref()
            .map(|s| format!(" — {} `{}`?", l.did_you_mean, name(s)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} `{}`: {} {} {}  {} {}{hint}",
            l.unknown_stage,
            name(&u.id),
            u.events,
            l.in_cases,
            u.cases,
            l.example,
            examples(&u.examples)
        )?;
    }
    more(out, d.unknown.more, l)
}

fn open_cases(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let o = &v.open_cases;
    write!(
        out,
        "{}: {} ({} {})",
        l.open_cases, o.cases, o.overdue, l.overdue
    )?;
    if !o.longest.is_empty() {
        let longest: Vec<String> = o
            .longest
            .iter()
            .map(|c| format!("{} {} {}", name(&c.case_id), name(&c.stage), c.age))
            .collect();
        write!(out, " · {}: {}", l.longest, longest.join(", "))?;
    }
    writeln!(out)
}

fn kpis(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    if v.kpis.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}:", l.kpis)?;
    for k in &v.kpis {
        let shown_name = match &k.title {
            Some(title) => format!("{} ({})", name(title), name(&k.id)),
            None => name(&k.id),
        };
        if k.computable {
            let target = shown(k.target_words.as_deref().unwrap_or_default(), VALUE_WIDTH);
            writeln!(
                out,
                "  {}  {shown_name}: {}  {} {target}",
                k.status, k.value, l.target
            )?;
        } else {
            let why = shown(&k.reason_words, usize::MAX);
            writeln!(out, "  —  {shown_name}: {} ({why})", l.not_computable)?;
        }
        // How the value was computed, under it.
        writeln!(out, "       {}", shown(&k.method, usize::MAX))?;
    }
    Ok(())
}

fn rejected(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let r = &v.rejected_rows;
    if r.total > 0 {
        writeln!(out, "{} ({}):", l.rejected_rows, r.total)?;
        for row in &r.rows {
            let mut text = format!("  {}  {}", row.line, row.reason);
            if let Some(value) = &row.value {
                text.push_str(&format!(" `{}`", shown(value, VALUE_WIDTH)));
            }
            if let Some(fields) = &row.fields {
                text.push_str(&format!(" ({fields})"));
            }
            if let Some(case) = &row.case_id {
                text.push_str(&format!("  ({})", name(case)));
            }
            writeln!(out, "{text}")?;
        }
        more(out, r.more, l)?;
    }
    let w = &v.row_warnings;
    if w.total > 0 {
        writeln!(out, "{} ({}):", l.row_warnings, w.total)?;
        for row in &w.rows {
            writeln!(
                out,
                "  {}  {} `{}`  ({})",
                row.line,
                shown(&row.reason, VALUE_WIDTH),
                shown(&row.value, VALUE_WIDTH),
                name(&row.case_id)
            )?;
        }
        more(out, w.more, l)?;
    }
    Ok(())
}

fn case_list(out: &mut dyn Write, v: &AuditView) -> io::Result<()> {
    let l = v.labels;
    let Some(list) = &v.cases else {
        return Ok(());
    };
    let Listed {
        rows,
        total,
        more: left_out,
    } = &list.cases;
    writeln!(out, "{} ({total}):", list.heading)?;
    for c in rows {
        let mut devs: Vec<String> = c
            .deviations
            .rows
            .iter()
            .map(|d| match &d.from {
                None => format!("{} {}", d.kind, name(&d.to)),
                Some(from) => format!("{} {} → {}", d.kind, name(from), name(&d.to)),
            })
            .collect();
        if c.deviations.more > 0 {
            devs.push(format!("… {} {}", c.deviations.more, l.more));
        }
        writeln!(
            out,
            "  {}  {} → {}  {} {}  {}",
            name(&c.case_id),
            name(&c.first),
            name(&c.last),
            l.fitness,
            c.fitness,
            devs.join("; ")
        )?;
    }
    more(out, *left_out, l)
}

/// Example case ids after a count, each escaped and cut.
fn examples(e: &Examples) -> String {
    let mut text = e
        .ids
        .iter()
        .map(|id| name(id))
        .collect::<Vec<_>>()
        .join(", ");
    if e.more {
        text.push_str(", …");
    }
    text
}

fn more(out: &mut dyn Write, left_out: usize, l: &AuditLabels) -> io::Result<()> {
    if left_out > 0 {
        writeln!(out, "  … {left_out} {}", l.more)?;
    }
    Ok(())
}

/// A name from the SOP or the log (a stage, a case id), escaped and cut to [`NAME_WIDTH`].
fn name(s: &str) -> String {
    shown(s, NAME_WIDTH)
}

/// Text from the SOP or the log for a terminal: control and bidirectional characters escaped
/// (`\u{1b}`), and at most `max` columns wide, cut with `…`. A character counts at least one
/// column here, so that a name made only of zero-width characters is cut as well.
fn shown(s: &str, max: usize) -> String {
    let s = crate::render::escape::visible(s);
    if s.chars().map(columns).sum::<usize>() <= max {
        return s.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = columns(c);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The columns one character of [`shown`] text takes, and at least one.
fn columns(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0).max(1)
}

/// Columns a string takes in a terminal (Unicode's East Asian Width: CJK and full-width
/// characters take two, combining marks none).
fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_cuts() {
        assert_eq!(width("客户筛选"), 8);
        assert_eq!(width("lead"), 4);
        assert_eq!(shown("a\u{1b}[31m", 40), "a\\u{1b}[31m");
        assert_eq!(shown("客户筛选阶段", 7), "客户筛…");
        assert_eq!(
            width(&shown(&"长".repeat(1000), NAME_WIDTH)),
            NAME_WIDTH - 1
        );
    }
}
