//! The words and number formats shared by the human and HTML audit reports: labels in English
//! and Chinese, durations like `3d09h`, counts with separators, display widths.

use std::collections::HashMap;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::audit::report::{
    DeviationKind, KpiReport, KpiValue, Measure, Report, StageReport, TransitionKind, UnknownStage,
};
use crate::model::Model;

/// Examples of case ids shown after a count.
pub(super) const EXAMPLES: usize = 3;

/// Unknown stages shown one by one; a log full of garbage values must not flood the report.
pub(super) const UNKNOWN_SHOWN: usize = 10;

/// The SOP's stages, then the most entered unknown stages; and how many unknown ones are left out.
pub(super) fn shown_stages(report: &Report) -> (Vec<&StageReport>, usize) {
    let (mut shown, mut unknown): (Vec<&StageReport>, Vec<&StageReport>) =
        report.stages.iter().partition(|s| s.known);
    unknown.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.id.cmp(&b.id)));
    let hidden = unknown.len().saturating_sub(UNKNOWN_SHOWN);
    shown.extend(unknown.into_iter().take(UNKNOWN_SHOWN));
    (shown, hidden)
}

/// Where the cases of a stage went next: the three most frequent stages, each with its share of
/// the stage's entries (as text) and how the SOP classes the move.
pub(super) fn top_next<'a>(
    report: &'a Report,
    stage: &'a StageReport,
) -> Vec<(&'a String, String, TransitionKind)> {
    let mut next: Vec<(&String, &u64)> = stage.next.0.iter().map(|(k, v)| (k, v)).collect();
    next.sort_by(|a, b| b.1.cmp(a.1));
    next.into_iter()
        .take(3)
        .map(|(to, n)| {
            let kind = report
                .transitions
                .iter()
                .find(|t| t.from == stage.id && &t.to == to)
                .map_or(TransitionKind::Allowed, |t| t.kind);
            (to, percent(*n as f64 / stage.entries.max(1) as f64), kind)
        })
        .collect()
}

/// The most frequent unknown stages, and how many are left out.
pub(super) fn shown_unknown(report: &Report) -> (Vec<(&String, &UnknownStage)>, usize) {
    let mut all: Vec<(&String, &UnknownStage)> = report
        .deviations
        .unknown_stages
        .0
        .iter()
        .map(|(k, v)| (k, v))
        .collect();
    all.sort_by(|a, b| b.1.events.cmp(&a.1.events).then_with(|| a.0.cmp(b.0)));
    let hidden = all.len().saturating_sub(UNKNOWN_SHOWN);
    all.truncate(UNKNOWN_SHOWN);
    (all, hidden)
}

/// The display title of every stage id, looked up once.
pub(super) fn titles(report: &Report) -> HashMap<&str, String> {
    report
        .stages
        .iter()
        .map(|s| (s.id.as_str(), display(s)))
        .collect()
}

/// Example case ids per stage id.
pub(super) type Examples<'a> = HashMap<&'a str, Vec<String>>;

/// Example cases, gathered in one pass: per stage, the cases that start there with a bad start,
/// and the cases that enter it by a bad start or a disallowed transition (at most one more than
/// shown).
pub(super) fn case_examples(report: &Report) -> (Examples<'_>, Examples<'_>) {
    let (mut starts, mut entered) = (Examples::new(), Examples::new());
    for c in &report.cases {
        for d in &c.deviations {
            let maps = if d.kind == DeviationKind::BadStart {
                [Some(&mut starts), Some(&mut entered)]
            } else {
                [Some(&mut entered), None]
            };
            for map in maps.into_iter().flatten() {
                let ids = map.entry(d.to.as_str()).or_default();
                if ids.len() <= EXAMPLES && ids.last() != Some(&c.case_id) {
                    ids.push(c.case_id.clone());
                }
            }
        }
    }
    (starts, entered)
}

/// The labels for the document's `lang` (`zh`, else English).
pub(super) fn labels(lang: Option<&str>) -> &'static Labels {
    if lang == Some("zh") { &ZH } else { &EN }
}

macro_rules! labels {
    ($($field:ident: $en:expr, $zh:expr;)*) => {
        /// The fixed words of the audit report, one field per word.
        pub(super) struct Labels { $(pub(super) $field: &'static str,)* }
        const EN: Labels = Labels { $($field: $en,)* };
        const ZH: Labels = Labels { $($field: $zh,)* };
    };
}

labels! {
    audit: "audit", "执行审计";
    cases: "cases", "个案例";
    events: "events", "个事件";
    as_of: "as of", "截至";
    log: "log", "日志";
    rows: "rows", "行";
    rejected: "rejected", "行被拒绝";
    dropped: "dropped", "行被合并";
    resaves: "re-saves", "次重复保存";
    duplicates: "duplicates", "条重复";
    warnings: "warnings", "条警告";
    out_of_order: "cases out of order", "个案例顺序错乱";
    stage: "stage", "阶段";
    entries: "entries", "进入";
    median: "median", "中位";
    p90: "p90", "P90";
    sla: "sla", "时限";
    breaches: "breaches", "超时";
    open: "open/overdue", "未结/逾期";
    next: "next", "去向";
    never_visited: "never visited", "从未进入";
    deviations: "deviations", "偏差";
    of: " of ", "/";
    deviating: "cases deviate from the SOP", "个案例偏离 SOP";
    no_deviation: "no deviation from the SOP", "没有偏离 SOP 的案例";
    skip: "skip", "跳过";
    backward: "backward", "回退";
    jump: "jump", "跳转";
    unknown_stage: "unknown stage", "未知阶段";
    bad_start: "bad start", "起点不符";
    example: "e.g.", "如";
    times: "×", "次";
    in_cases: "in", "涉及";
    did_you_mean: "did you mean", "是否应为";
    fitness: "fitness", "拟合度";
    alignment: "alignment", "对齐";
    closed: "closed cases", "已结束案例";
    fit_exactly: "cases follow the SOP exactly", "个案例完全符合";
    token_replay: "token replay", "令牌重放";
    open_cases: "open", "未结";
    overdue: "overdue", "逾期";
    longest: "longest overdue", "逾期最久";
    kpis: "KPIs", "指标";
    met: "met", "达标";
    missed: "missed", "未达标";
    partly: "met", "达标";
    not_computable: "not computable", "无法计算";
    target: "target", "目标";
    rejected_rows: "rejected rows", "被拒绝的行";
    row_warnings: "row warnings", "行警告";
    line: "line", "第";
    line_suffix: "", "行";
    more: "more", "条未列出";
    case_list: "cases", "案例";
    deviating_cases: "deviating cases", "偏离 SOP 的案例";
    no_events: "no events", "没有事件";
    fields: "fields", "个字段";
    no_periods: "no period", "没有时段";
}

/// A stage's `sla` as the SOP writes it (`2d`, `1w`).
pub(super) fn sla_text(model: &Model, pipeline: &str, stage: &str) -> Option<String> {
    let p = model.pipelines.iter().find(|p| p.def.id == pipeline)?;
    let s = p.stages.get(*p.stage_index.get(stage)?)?;
    Some(s.sla.as_ref()?.value.text.clone())
}

pub(super) fn display(stage: &StageReport) -> String {
    if stage.known {
        stage.title.clone()
    } else {
        format!("{}?", stage.id)
    }
}

/// The status word and the value(s) of a computable kpi.
pub(super) fn kpi_value(k: &KpiReport, l: &Labels) -> (String, String) {
    let unit = k
        .unit
        .clone()
        .flatten()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let show = |v: KpiValue| match (v, k.measure) {
        (KpiValue::Undefined, _) => "—".to_string(),
        (v, Some(Measure::Conversion)) => {
            format!("{:.1}%", v.as_f64().unwrap_or_default())
        }
        (KpiValue::Count(n), _) => format!("{}{unit}", count(n)),
        (KpiValue::Number(x), _) => format!("{}{unit}", amount(x)),
    };
    let word = |met: Option<bool>| match met {
        Some(true) => l.met,
        Some(false) => l.missed,
        None => "—",
    };
    if let Some(periods) = &k.periods {
        if periods.is_empty() {
            return ("—".to_string(), l.no_periods.to_string());
        }
        let met = periods.iter().filter(|p| p.met == Some(true)).count();
        let status = if met == periods.len() {
            l.met.to_string()
        } else if met == 0 {
            l.missed.to_string()
        } else {
            format!("{} {met}{}{}", l.partly, l.of, periods.len())
        };
        let shown: Vec<String> = periods
            .iter()
            .rev()
            .take(4)
            .rev()
            .map(|p| {
                format!(
                    "{} {} {}",
                    p.period,
                    show(p.value),
                    if p.met == Some(true) { "✓" } else { "✗" }
                )
            })
            .collect();
        return (status, shown.join(" · "));
    }
    let value = k.value.map_or("—".to_string(), show);
    let value = match (k.numerator, k.denominator) {
        (Some(n), Some(d)) => format!("{value} ({}{}{})", count(n), l.of, count(d)),
        _ => value,
    };
    (word(k.met.flatten()).to_string(), value)
}

pub(super) fn kind_label(l: &Labels, kind: DeviationKind) -> &'static str {
    match kind {
        DeviationKind::BadStart => l.bad_start,
        DeviationKind::UnknownStage => l.unknown_stage,
        DeviationKind::Skip => l.skip,
        DeviationKind::Backward => l.backward,
        DeviationKind::Jump => l.jump,
    }
}

pub(super) fn examples(ids: &[String]) -> String {
    let mut text = ids
        .iter()
        .take(EXAMPLES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > EXAMPLES {
        text.push_str(", …");
    }
    text
}

/// `2026-03-28T18:00:00Z` as `2026-03-28 18:00 UTC`.
pub(super) fn short_time(t: &str) -> String {
    match (t.get(..10), t.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => t.to_string(),
    }
}

/// A duration for people: `45s`, `12m30s`, `5h07m`, `3d09h` (rounded to the last unit shown).
pub(super) fn duration(secs: f64) -> String {
    if !secs.is_finite() {
        return "—".to_string();
    }
    let sign = if secs < 0.0 { "-" } else { "" };
    let s = secs.abs();
    if s >= 86_400.0 {
        let h = (s / 3600.0).round() as u64;
        format!("{sign}{}d{:02}h", h / 24, h % 24)
    } else if s >= 3600.0 {
        let m = (s / 60.0).round() as u64;
        format!("{sign}{}h{:02}m", m / 60, m % 60)
    } else if s >= 60.0 {
        let x = s.round() as u64;
        format!("{sign}{}m{:02}s", x / 60, x % 60)
    } else {
        format!("{sign}{}s", s.round() as u64)
    }
}

pub(super) fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p > 0.0 && p < 0.5 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

/// `line 14` or `第14行`.
pub(super) fn line_no(l: &Labels, n: u64) -> String {
    if l.line_suffix.is_empty() {
        format!("{} {n}", l.line)
    } else {
        format!("{}{n}{}", l.line, l.line_suffix)
    }
}

/// `3 cases`, `1 case`; labels in Chinese have no plural.
pub(super) fn counted(n: u64, label: &str) -> String {
    let (first, rest) = label.split_once(' ').unwrap_or((label, ""));
    let singular = n == 1 && label.is_ascii() && first.len() > 1;
    let first = match first.strip_suffix('s') {
        Some(stem) if singular => stem,
        _ => first,
    };
    let space = if rest.is_empty() { "" } else { " " };
    format!("{} {first}{space}{rest}", count(n))
}

/// `1234567` as `1,234,567`.
pub(super) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub(super) fn amount(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let s = count(x.abs() as u64);
        if x < 0.0 { format!("-{s}") } else { s }
    } else {
        format!("{x:.2}")
    }
}

/// Widest a stage name (or a case id) is shown: the stage table is as wide as its widest name,
/// and a log can hold a name of any length.
pub(super) const NAME_WIDTH: usize = 40;

/// Widest any other value from the log (a rejected value, a reason) is shown.
pub(super) const VALUE_WIDTH: usize = 60;

/// Text from the SOP or the log for a terminal: control and bidirectional characters escaped
/// (`\u{1b}`), and at most `max` columns wide, cut with `…`. A character counts at least one
/// column here, so that a name made only of zero-width characters is cut as well.
pub(super) fn shown(s: &str, max: usize) -> String {
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
pub(super) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(45.4), "45s");
        assert_eq!(duration(750.0), "12m30s");
        assert_eq!(duration(5.0 * 3600.0 + 7.0 * 60.0), "5h07m");
        assert_eq!(duration(3.0 * 86_400.0 + 9.0 * 3600.0), "3d09h");
        // 3d 9h 40m rounds to the hour: 3d10h; 23h59m50s rounds to 24h00m.
        assert_eq!(duration(3.0 * 86_400.0 + 9.0 * 3600.0 + 2400.0), "3d10h");
        assert_eq!(duration(86_390.0), "24h00m");
        assert_eq!(duration(-7200.0), "-2h00m");
    }

    #[test]
    fn numbers_and_widths() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(counted(1, "cases out of order"), "1 case out of order");
        assert_eq!(counted(2, "re-saves"), "2 re-saves");
        assert_eq!(counted(1, "re-saves"), "1 re-save");
        assert_eq!(counted(1, "个案例"), "1 个案例");
        assert_eq!(amount(5_000_000.0), "5,000,000");
        assert_eq!(amount(12.5), "12.50");
        assert_eq!(percent(0.934), "93%");
        assert_eq!(percent(0.001), "<1%");
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
