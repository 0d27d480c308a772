//! What the audit's human report and HTML page show: the sections, the rows of each list (and
//! how many are left out), the headings and the figures formatted for people, computed once from a
//! [`Report`] into plain structs. `app/` prints the view on a terminal; the page is the built-in
//! template `audit.html` (or a user's, `--templates DIR`) fed with the view.
//!
//! Text from the SOP or the log (titles, case ids, values) is kept as it is: the terminal escapes
//! and cuts it, the page's template escapes it for HTML.

use std::collections::HashMap;

use serde::Serialize;

use super::kpi_method;
pub use super::numbers::{amount, count, duration, percent};
use super::pictures::Pictures;
use super::report::{
    DeviationKind, KpiReport, KpiValue, Measure, Report, StageReport, TransitionKind, UnknownStage,
};
use super::timestamp::{Timestamp, parse_offset};
use crate::model::Model;
use crate::render::labels::{self, AuditLabels};
use crate::render::{Lang, TemplateError, Templates};

/// The built-in template of the page.
pub const PAGE_TEMPLATE: &str = "audit.html";

/// Examples of case ids shown after a count.
const EXAMPLES: usize = 3;
/// Unknown stages shown one by one; a log full of garbage values must not flood the report.
const UNKNOWN_SHOWN: usize = 10;
/// Rows of the rejected rows and of the row warnings shown.
const REJECTED_SHOWN: usize = 10;
/// Cases of the case list shown.
const CASES_SHOWN: usize = 20;
/// Disallowed transitions and bad starts shown in the report.
const DEVIATIONS_SHOWN: usize = 8;
/// Disallowed transitions and bad starts shown on the page.
const PAGE_DEVIATIONS_SHOWN: usize = 12;
/// Stages a stage's `next` names.
const NEXT_SHOWN: usize = 3;
/// Open cases the page lists.
const PAGE_OPEN_SHOWN: usize = 50;
/// Roles and actors a stage's row names, the most events first.
const HANDLERS_SHOWN: usize = 3;
/// Owner mismatches (stage and role) listed.
const MISMATCHES_SHOWN: usize = 8;
/// Owner mismatches the page lists.
const PAGE_MISMATCHES_SHOWN: usize = 20;

/// Which cases the report lists one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cases {
    /// Every case (`--cases all`).
    All,
    /// Only the cases with at least one deviation (`--cases deviating`, the default).
    Deviating,
    /// No case (`--cases none`).
    None,
}

/// The first rows of a list, and how many it has in all.
#[derive(Debug, Clone, Serialize)]
pub struct Listed<T> {
    /// The rows shown, at most the list's limit.
    pub rows: Vec<T>,
    /// Rows in the whole list.
    pub total: usize,
    /// Rows left out: `total` minus the rows shown.
    pub more: usize,
}

impl<T> Listed<T> {
    fn new(all: impl ExactSizeIterator<Item = T>, shown: usize) -> Self {
        let total = all.len();
        Listed {
            rows: all.take(shown).collect(),
            total,
            more: total.saturating_sub(shown),
        }
    }
}

/// Everything the report and the page show.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    /// `en` or `zh`.
    pub lang: Lang,
    /// For `<html lang=..>`: `en` or `zh-CN`.
    pub html_lang: &'static str,
    /// The words of the report and the page in `lang`: headings, legends, units.
    pub labels: &'static AuditLabels,
    /// The audited pipeline's id and title.
    pub pipeline: String,
    /// The pipeline's title, else its id.
    pub pipeline_title: String,
    /// The figures of the log.
    pub summary: Summary,
    /// The stage table.
    pub stages: Stages,
    /// The disallowed transitions, bad starts and unknown stages.
    pub deviations: Deviations,
    /// The alignment and token-replay fitness.
    pub fitness: Fitness,
    /// The open cases at the time of the export, and the overdue ones.
    pub open_cases: OpenCases,
    /// Who handled each stage, by role and by actor; none when the log has neither column.
    pub handled: Option<Handled>,
    /// Each kpi of the SOP, in the report's order.
    pub kpis: Vec<Kpi>,
    /// Rows of the log refused, in line order (the first 10).
    pub rejected_rows: Listed<RejectedRow>,
    /// Rows kept with a part dropped, such as a bad amount (the first 10).
    pub row_warnings: Listed<RowWarning>,
    /// The cases listed one by one (none when `--cases none` or no case is chosen).
    pub cases: Option<CaseList>,
    /// What only the page shows, or shows otherwise.
    pub page: Page,
}

/// The figures of the log: counts with their words (`6 cases`, `6 个案例`).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Cases in the log, with their word: `6 cases`.
    pub cases: String,
    /// Events, the accepted rows left after collapsing repeats: `42 events`.
    pub events: String,
    /// `2026-03-01 → 2026-03-10`, or the words for no events.
    pub period: String,
    /// `2026-03-10 12:00 UTC`, or `—`.
    pub as_of: String,
    /// The log as the user named it.
    pub file: String,
    /// Rows of the log, header not counted: `50 rows`.
    pub rows: String,
    /// Rows refused: `2 rejected`.
    pub rejected: String,
    /// Rows collapsed into the row they repeat (re-saves and exact duplicates).
    pub dropped: String,
    /// Of the dropped rows, the re-saves: a case's stage written again.
    pub resaves: String,
    /// Of the dropped rows, the exact duplicates: dropped rows that are not re-saves.
    pub duplicates: String,
    /// Rows kept with a part dropped: `1 warning`.
    pub warnings: String,
    /// Cases whose rows are not in time order in the file.
    pub out_of_order: String,
}

/// The stage table: the SOP's stages, then the most entered unknown ones.
#[derive(Debug, Clone, Serialize)]
pub struct Stages {
    /// The SOP's stages in the SOP's order, then at most 10 unknown stages, the most entered first.
    pub rows: Vec<StageRow>,
    /// Unknown stages left out.
    pub more: usize,
    /// Titles of the SOP's stages no case entered.
    pub never_visited: Vec<String>,
}

/// A row of the stage table: one stage, its figures formatted.
#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    /// The stage's title; an unknown stage's id with a `?`.
    pub title: String,
    /// Times cases entered the stage: `1,234`.
    pub entries: String,
    /// Median dwell of the completed visits as a duration (`3d09h`), or `—`.
    pub median: String,
    /// 90th percentile of the dwell of the completed visits, or `—`.
    pub p90: String,
    /// The `sla` as the SOP writes it, else in seconds as a duration, else `—`.
    pub sla: String,
    /// The `sla` as the SOP writes it, else `—`.
    pub sla_written: String,
    /// Breaches with their share (`2 (50%)`), or `—`.
    pub breaches: String,
    /// Breaches alone (`2`), or `—`.
    pub breach_count: String,
    /// `open/overdue` (`1/1`); `—` for a terminal stage.
    pub open: String,
    /// Where the cases went next, the most frequent first.
    pub next: Vec<NextStage>,
    /// The bar of the page: the stage's entries as a percentage of the most entered stage's, and
    /// the part that broke the SLA as a percentage of the bar (`50.0`).
    pub bar: String,
    /// The part of the bar that broke the SLA, as a percentage of the bar (`50.0`).
    pub bar_breached: String,
}

/// A stage the cases of a stage went to next.
#[derive(Debug, Clone, Serialize)]
pub struct NextStage {
    /// The next stage's title; an unknown stage's id with a `?`.
    pub title: String,
    /// Its share of the stage's entries: `60%`.
    pub share: String,
    /// The words for the kind of a disallowed move (`skip`); none when the SOP allows it.
    pub kind: Option<&'static str>,
}

/// The deviations section: what the SOP does not allow, with example cases.
#[derive(Debug, Clone, Serialize)]
pub struct Deviations {
    /// Whether any case deviates or any stage of the log is unknown.
    pub any: bool,
    /// Deviating cases, and all cases: `3`, `6`.
    pub deviating: String,
    /// All cases (`6`), the denominator of `deviating`.
    pub cases: String,
    /// Disallowed transitions between the SOP's stages, the most frequent first.
    pub transitions: Listed<Transition>,
    /// Stages cases started in against the SOP, the most frequent first.
    pub bad_starts: Listed<BadStart>,
    /// Stages of the log that the SOP does not have, the most frequent first.
    pub unknown: Listed<Unknown>,
}

/// A disallowed transition between two of the SOP's stages, with how often cases made it.
#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    /// The words for its kind: `skip`, `backward`, `jump`.
    pub kind: &'static str,
    /// Title of the stage the cases left.
    pub from: String,
    /// Title of the stage the cases entered.
    pub to: String,
    /// Times cases made the move: `12`.
    pub count: String,
    /// Some cases that made it.
    pub examples: Examples,
}

/// A stage where cases started although it is not the pipeline's `start`.
#[derive(Debug, Clone, Serialize)]
pub struct BadStart {
    /// The stage's title.
    pub stage: String,
    /// `1 case`.
    pub cases: String,
    /// Some cases that started there (none on the page).
    pub examples: Examples,
}

/// A stage value of the log that the SOP's pipeline does not have.
#[derive(Debug, Clone, Serialize)]
pub struct Unknown {
    /// The stage value as the log writes it.
    pub id: String,
    /// Events entering it: `5 events`.
    pub events: String,
    /// Cases that entered it: `2 cases`.
    pub cases: String,
    /// The SOP's stage id it is closest to, if one is close.
    pub did_you_mean: Option<String>,
    /// Some cases that entered it.
    pub examples: Examples,
}

/// Example case ids.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Examples {
    /// The first three case ids.
    pub ids: Vec<String>,
    /// Whether there are more than these.
    pub more: bool,
}

impl Examples {
    fn of<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let more = ids.len() > EXAMPLES;
        Examples {
            ids: ids.take(EXAMPLES).map(str::to_string).collect(),
            more,
        }
    }
}

/// Each fitness as `0.743`, or `—`.
#[derive(Debug, Clone, Serialize)]
pub struct Fitness {
    /// Log fitness by alignment (the headline): 1 when every case walks an allowed path from
    /// start to a terminal stage.
    pub alignment: String,
    /// Alignment fitness of the closed cases alone (those whose last event is in a terminal
    /// stage), or `—` without any.
    pub closed: String,
    /// Cases that follow the SOP exactly, and all cases.
    pub fitting: String,
    /// All cases, the denominator of `fitting`.
    pub cases: String,
    /// Log fitness by token replay.
    pub token_replay: String,
}

/// The open cases: those in a non-terminal stage at the time of the export.
#[derive(Debug, Clone, Serialize)]
pub struct OpenCases {
    /// `4 cases`.
    pub cases: String,
    /// Open cases overdue, longer in their stage than its `sla`: `2`.
    pub overdue: String,
    /// The cases overdue longest.
    pub longest: Vec<OpenCase>,
}

/// Who handled each stage: the roles and the actors of its events, against the SOP's `owner`.
#[derive(Debug, Clone, Serialize)]
pub struct Handled {
    /// Whether the log has a role column: the rows have roles, an owner and a mismatch.
    pub by_role: bool,
    /// Whether the log has an actor column: the rows have actors.
    pub by_actor: bool,
    /// The stages of the stage table that cases entered, in its order.
    pub rows: Vec<HandledRow>,
    /// Each stage and role other than the stage's owner, in the stages' order, roles sorted (the
    /// first 8).
    pub mismatches: Listed<Mismatch>,
    /// The same, the first 20, for the page.
    pub page_mismatches: Listed<Mismatch>,
}

/// Who handled one stage.
#[derive(Debug, Clone, Serialize)]
pub struct HandledRow {
    /// The stage's title; an unknown stage's id with a `?`.
    pub stage: String,
    /// The stage's `owner` in the SOP (the role's id), or `—`.
    pub owner: String,
    /// The roles of its events, the most events first (the first 3).
    pub roles: Listed<Tally>,
    /// Events whose role is not the owner, with their share of the events with a role
    /// (`3 (20%)`); `—` without an owner (an unknown stage has none).
    pub not_owner: String,
    /// Whether any event's role is not the owner.
    pub mismatch: bool,
    /// The actors of its events, the most events first (the first 3).
    pub actors: Listed<Tally>,
}

/// A role or an actor and its events.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    /// The role or the actor as the log writes it.
    pub name: String,
    /// Its events: `12`.
    pub events: String,
}

/// A stage handled by a role other than its owner.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// The stage's title.
    pub stage: String,
    /// The stage's `owner` in the SOP (the role's id).
    pub owner: String,
    /// The role as the log writes it.
    pub role: String,
    /// Events of the stage with that role: `9`.
    pub events: String,
    /// Distinct cases among them: `7`.
    pub cases: String,
}

/// An open case overdue, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct OpenCase {
    /// The case id as the log writes it.
    pub case_id: String,
    /// Title of the stage it is in.
    pub stage: String,
    /// `7d12h`.
    pub age: String,
}

/// A kpi of the SOP and what the log says of it.
#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    /// The kpi's id in the SOP.
    pub id: String,
    /// The kpi's title in the SOP.
    pub title: Option<String>,
    /// Whether the kpi could be computed from the log; if not, `reason` says why.
    pub computable: bool,
    /// Why not, when not computable.
    pub reason: String,
    /// `met`, `missed`, `met 2 of 3`; `—` when not computable or without a value.
    pub status: String,
    /// Whether the status is plainly met.
    pub met: bool,
    /// `33.3% (2 of 6)`, or the last periods: `2026-03 1,800 CNY ✓ · …`.
    pub value: String,
    /// As the SOP writes it: `>= 25%`.
    pub target: Option<String>,
    /// Why not computable, in the report's language.
    pub reason_words: String,
    /// The target with its period in the report's language (`>= 1 每周`).
    pub target_words: Option<String>,
    /// How the value was computed, or why it could not be, in the page's language: `share of
    /// cases that reached `won``.
    pub method: String,
}

/// A row of the log refused.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    /// `line 15`, `第15行`.
    pub line: String,
    /// The reason's code: `bad-timestamp`, `field-count`, `missing-case-id`, ...
    pub reason: &'static str,
    /// The offending value, when the reason has one (`bad-timestamp`).
    pub value: Option<String>,
    /// `3 fields`, for a row with the wrong number of fields.
    pub fields: Option<String>,
    /// The row's case id, when it has one.
    pub case_id: Option<String>,
}

/// A row kept with a part of it dropped (`bad-amount`).
#[derive(Debug, Clone, Serialize)]
pub struct RowWarning {
    /// `line 15`, `第15行`.
    pub line: String,
    /// The reason's code: `bad-amount`.
    pub reason: String,
    /// The value dropped, as the log writes it.
    pub value: String,
    /// The row's case id.
    pub case_id: String,
}

/// The cases listed one by one, with a heading.
#[derive(Debug, Clone, Serialize)]
pub struct CaseList {
    /// `deviating cases` or `cases`.
    pub heading: &'static str,
    /// The cases, in the report's order (the first 20).
    pub cases: Listed<Case>,
}

/// A case of the case list.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// The case id as the log writes it.
    pub case_id: String,
    /// Titles of the first and the last stage.
    pub first: String,
    /// Title of the last stage.
    pub last: String,
    /// The case's alignment fitness as `0.743`, or `—`.
    pub fitness: String,
    /// The case's deviations (the first 3).
    pub deviations: Listed<CaseDeviation>,
}

/// A deviation of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDeviation {
    /// The words for its kind: `skip`, `backward`, `jump`, `bad start`, `unknown stage`.
    pub kind: &'static str,
    /// None for a bad start.
    pub from: Option<String>,
    /// Title of the stage the case entered.
    pub to: String,
}

/// What the page shows otherwise than the report: more deviations, the bad starts in the SOP's
/// order and without examples.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Disallowed transitions, the most frequent first (the first 12), with examples.
    pub transitions: Vec<Transition>,
    /// Bad starts in the SOP's order (the first 12), without examples.
    pub bad_starts: Vec<BadStart>,
    /// "As of" in the log's own offset when it has one (`2026-03-10 20:00 +08:00`), else UTC.
    pub as_of: String,
    /// The open cases, the overdue ones first, the longest in their stage first.
    pub open_cases: Listed<PageOpenCase>,
    /// The SVG pictures of the page: process map, funnel, dwell and KPI charts.
    pub pictures: Pictures,
}

/// An open case as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PageOpenCase {
    /// The case id as the log writes it.
    pub case_id: String,
    /// Title of the stage it is in.
    pub stage: String,
    /// When it entered the stage, in the page's offset.
    pub since: String,
    /// How long it has been in the stage at the time of the export: `7d12h`.
    pub age: String,
    /// Whether it is longer in its stage than the stage's `sla`.
    pub overdue: bool,
}

impl AuditView {
    /// The view of `report`, audited against `model`, in `lang`, listing `cases`.
    pub fn new(report: &Report, model: &Model, lang: Lang, cases: Cases) -> Self {
        let l = lang.audit_labels();
        let titles: HashMap<&str, String> = report
            .stages
            .iter()
            .map(|s| (s.id.as_str(), display(s)))
            .collect();
        let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
        let pipeline_title = model
            .pipelines
            .iter()
            .find(|p| p.def.id == report.pipeline)
            .map_or(report.pipeline.as_str(), |p| p.def.display_title())
            .to_string();
        let examples = CaseExamples::of(report);
        AuditView {
            lang,
            html_lang: lang.html_code(),
            labels: l,
            pipeline: report.pipeline.clone(),
            pipeline_title,
            summary: summary(report, l),
            stages: stages(report, model, l, &title),
            deviations: deviations(report, l, &title, &examples),
            fitness: fitness(report),
            open_cases: open_cases(report, l, &title),
            handled: handled(report, model, &title),
            kpis: report
                .kpis
                .iter()
                .map(|k| kpi(k, model, &report.pipeline, lang))
                .collect(),
            rejected_rows: Listed::new(
                report.rejected_rows.iter().map(|r| RejectedRow {
                    line: line_no(l, r.line),
                    reason: r.reason.as_str(),
                    value: r.value.clone(),
                    fields: r.fields.map(|n| counted(n as u64, l.fields)),
                    case_id: r.case_id.clone(),
                }),
                REJECTED_SHOWN,
            ),
            row_warnings: Listed::new(
                report.row_warnings.iter().map(|w| RowWarning {
                    line: line_no(l, w.line),
                    reason: w.reason.to_string(),
                    value: w.value.clone(),
                    case_id: w.case_id.clone(),
                }),
                REJECTED_SHOWN,
            ),
            cases: case_list(report, l, &title, cases),
            page: Page {
                transitions: disallowed(report)
                    .take(PAGE_DEVIATIONS_SHOWN)
                    .map(|t| transition(t, l, &title))
                    .collect(),
                bad_starts: report
                    .deviations
                    .bad_starts
                    .0
                    .iter()
                    .take(PAGE_DEVIATIONS_SHOWN)
                    .map(|(stage, n)| BadStart {
                        stage: title(stage),
                        cases: counted(*n, l.cases),
                        examples: Examples::default(),
                    })
                    .collect(),
                as_of: log_time(report.log.as_of.as_deref(), 0),
                open_cases: page_open_cases(report, &title, 0),
                pictures: Pictures::new(report, model, l),
            },
        }
    }

    /// The page's times (as of, open cases since, the weeks cases started in) in `offset_s`
    /// seconds east of UTC: the log's own offset ([`written_offset`]).
    pub fn in_offset(mut self, report: &Report, offset_s: i32) -> Self {
        self.page.as_of = log_time(report.log.as_of.as_deref(), offset_s);
        self.page.pictures.started = super::pictures::started(report, self.labels, offset_s);
        if let Some(data) = report.cases.data() {
            for c in &mut self.page.open_cases.rows {
                if let Some(open) = data.find(&c.case_id).and_then(|i| data.open_case(i)) {
                    c.since = log_time(Some(&open.since), offset_s);
                }
            }
        }
        self
    }

    /// The page: the template `audit.html` of `templates` fed with the view, its text without
    /// control characters (other than line feed and tab), which HTML cannot show.
    pub fn page_html(&self, templates: &Templates) -> Result<String, TemplateError> {
        let mut value = serde_json::to_value(self).map_err(|e| TemplateError {
            template: PAGE_TEMPLATE.to_string(),
            path: None,
            line: None,
            message: format!("the audit cannot be given to the template: {e}"),
        })?;
        drop_controls(&mut value);
        templates.render(PAGE_TEMPLATE, self.lang, &value)
    }
}

/// Removes the control characters but line feed and tab from every string of `value`.
fn drop_controls(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if s.chars().any(is_dropped) => s.retain(|c| !is_dropped(c)),
        Value::Array(items) => items.iter_mut().for_each(drop_controls),
        Value::Object(map) => map.values_mut().for_each(drop_controls),
        _ => {}
    }
}

fn is_dropped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// An RFC 3339 time of the report in `offset_s`: `2026-03-10 20:00 +08:00`, or `… UTC`.
fn log_time(t: Option<&str>, offset_s: i32) -> String {
    let Some(t) = t else {
        return "—".to_string();
    };
    let Some(at) = Timestamp::parse(t, 0) else {
        return t.to_string();
    };
    if offset_s == 0 {
        return format!("{} UTC", at.short());
    }
    let secs = at.seconds_since(Timestamp::from_secs(0)).floor() as i64;
    let local = Timestamp::from_secs(secs + i64::from(offset_s));
    let (sign, a) = if offset_s < 0 {
        ('-', -offset_s)
    } else {
        ('+', offset_s)
    };
    format!("{} {sign}{:02}:{:02}", local.short(), a / 3600, a / 60 % 60)
}

/// The one zone the log's timestamps are written in, when they all name the same one other than
/// UTC (a timestamp without a zone is in `default_offset_s`, the `--timezone`): the page shows its
/// times there. `None` when they are in UTC or in several zones.
pub fn written_offset(data: &[u8], default_offset_s: i32) -> Option<i32> {
    match written_zones(data, default_offset_s) {
        Zones::One(z) if z != 0 => Some(z),
        _ => None,
    }
}

/// The zones the timestamps of (a piece of) a log are written in, for [`written_offset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zones {
    /// No timestamp.
    None,
    /// All in this one, in seconds east of UTC.
    One(i32),
    /// In several, or in one that cannot be read.
    Several,
}

impl Zones {
    /// The zones of two pieces of a log together.
    pub fn and(self, other: Zones) -> Zones {
        match (self, other) {
            (Zones::None, z) | (z, Zones::None) => z,
            (Zones::One(a), Zones::One(b)) if a == b => Zones::One(a),
            _ => Zones::Several,
        }
    }

    /// The one zone other than UTC, as [`written_offset`] gives it.
    pub fn offset(self) -> Option<i32> {
        match self {
            Zones::One(z) if z != 0 => Some(z),
            _ => None,
        }
    }
}

/// The zones of `data`, cut at line breaks into pieces whose zones add up ([`Zones::and`]).
pub fn written_zones(data: &[u8], default_offset_s: i32) -> Zones {
    let digit = |i: usize| data.get(i).is_some_and(u8::is_ascii_digit);
    let mut found: Option<i32> = None;
    let mut i = 0;
    while i + 16 <= data.len() {
        // `YYYY-MM-DD[T ]HH:MM`, not in the middle of a longer number.
        let at = |k: usize, b: u8| data.get(i + k) == Some(&b);
        let starts = (i == 0 || !data[i - 1].is_ascii_digit())
            && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
                .iter()
                .all(|&k| digit(i + k))
            && at(4, b'-')
            && at(7, b'-')
            && (at(10, b'T') || at(10, b' '))
            && at(13, b':');
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 16;
        if data.get(j) == Some(&b':') && digit(j + 1) && digit(j + 2) {
            j += 3;
            if data.get(j) == Some(&b'.') {
                j += 1;
                while digit(j) {
                    j += 1;
                }
            }
        }
        let mut end = j;
        while end < data.len()
            && end < j + 6
            && matches!(data[end], b'+' | b'-' | b':' | b'Z' | b'z' | b'0'..=b'9')
        {
            end += 1;
        }
        let zone = if end > j {
            match std::str::from_utf8(&data[j..end])
                .ok()
                .and_then(parse_offset)
            {
                Some(z) => z,
                None => return Zones::Several,
            }
        } else {
            default_offset_s
        };
        match found {
            Some(z) if z != zone => return Zones::Several,
            _ => found = Some(zone),
        }
        i = end.max(i + 1);
    }
    found.map_or(Zones::None, Zones::One)
}

/// The open cases for the page, the overdue first, each the longest in its stage first.
fn page_open_cases(
    report: &Report,
    title: &dyn Fn(&str) -> String,
    offset_s: i32,
) -> Listed<PageOpenCase> {
    // Cases are numbered in the order of their ids.
    let mut open: Vec<(usize, f64, bool)> = report.open_cases.cases.brief().collect();
    open.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| b.1.total_cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let list = &report.open_cases.cases;
    Listed::new(
        open.into_iter()
            .map(|(c, _, _)| list.get(c).expect("an open case"))
            .map(|c| PageOpenCase {
                case_id: c.case_id.clone(),
                stage: title(&c.stage),
                since: log_time(Some(&c.since), offset_s),
                age: duration(c.age_s),
                overdue: c.overdue,
            }),
        PAGE_OPEN_SHOWN,
    )
}

/// Why a kpi is not computable, in words of `lang`'s page.
fn reason_words(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    match reason {
        "qualitative" => "定性指标".to_string(),
        "no stage" => "未指定阶段".to_string(),
        "no target" => "没有目标".to_string(),
        "unknown stage" => "未知阶段".to_string(),
        "stage of another pipeline" => "阶段属于其他流程".to_string(),
        "no amount column" => "日志没有金额列".to_string(),
        "no time unit" => "目标没有时间单位".to_string(),
        other => other.to_string(),
    }
}

/// A target as written, its `per PERIOD` in words of the page (`>= 1 每周`).
fn target_words(lang: Lang, target: &str) -> String {
    if lang == Lang::En {
        return target.to_string();
    }
    match target.split_once(" per ") {
        Some((value, period)) => format!("{value} 每{}", labels::period(lang, period.trim())),
        None => target.to_string(),
    }
}

fn summary(report: &Report, l: &AuditLabels) -> Summary {
    let log = &report.log;
    let day = |t: &str| t.chars().take(10).collect::<String>();
    let resaves = report
        .dropped_rows
        .iter()
        .filter(|d| d.reason.as_str() == "repeated-stage")
        .count() as u64;
    Summary {
        cases: counted(log.cases, l.cases),
        events: counted(log.events, l.events),
        period: match (&log.first, &log.last) {
            (Some(f), Some(t)) => format!("{} → {}", day(f), day(t)),
            _ => l.no_events.to_string(),
        },
        as_of: log.as_of.as_deref().map_or("—".to_string(), short_time),
        file: log.file.clone(),
        rows: counted(log.rows, l.rows),
        rejected: counted(log.rejected, l.rejected),
        dropped: counted(log.dropped, l.dropped),
        resaves: counted(resaves, l.resaves),
        duplicates: counted(log.dropped.saturating_sub(resaves), l.duplicates),
        warnings: counted(report.row_warnings.len() as u64, l.warnings),
        out_of_order: counted(log.out_of_order_cases, l.out_of_order),
    }
}

fn stages(
    report: &Report,
    model: &Model,
    l: &AuditLabels,
    title: &dyn Fn(&str) -> String,
) -> Stages {
    let most = report
        .stages
        .iter()
        .map(|s| s.entries)
        .max()
        .unwrap_or(0)
        .max(1);
    let dash = || "—".to_string();
    let (listed, more) = shown_stages(report);
    let rows = listed
        .into_iter()
        .map(|s| {
            let written = sla_text(model, &report.pipeline, &s.id);
            let breached = match (s.sla_breaches, s.dwell.completed) {
                (Some(b), c) if c > 0 => 100.0 * b as f64 / c as f64,
                _ => 0.0,
            };
            StageRow {
                title: display(s),
                entries: count(s.entries),
                median: s.dwell.median_s.map_or_else(dash, duration),
                p90: s.dwell.p90_s.map_or_else(dash, duration),
                sla: written
                    .clone()
                    .or_else(|| s.sla_s.map(|x| duration(x as f64)))
                    .unwrap_or_else(dash),
                sla_written: written.unwrap_or_else(dash),
                breaches: match (s.sla_breaches, s.sla_breach_rate) {
                    (Some(b), Some(r)) => format!("{} ({})", count(b), percent(r)),
                    (Some(b), None) => count(b),
                    _ => dash(),
                },
                breach_count: s.sla_breaches.map_or_else(dash, count),
                open: if s.terminal {
                    dash()
                } else {
                    format!(
                        "{}/{}",
                        count(s.open),
                        s.open_overdue.map_or_else(dash, count)
                    )
                },
                next: top_next(report, s)
                    .into_iter()
                    .map(|(to, share, kind)| NextStage {
                        title: title(to),
                        share,
                        kind: (kind != TransitionKind::Allowed)
                            .then(|| kind_label(l, DeviationKind::of(kind))),
                    })
                    .collect(),
                bar: format!("{:.1}", 100.0 * s.entries as f64 / most as f64),
                bar_breached: format!("{breached:.1}"),
            }
        })
        .collect();
    Stages {
        rows,
        more,
        never_visited: report.never_visited.iter().map(|s| title(s)).collect(),
    }
}

/// The SOP's stages, then the most entered unknown stages; and how many unknown ones are left out.
fn shown_stages(report: &Report) -> (Vec<&StageReport>, usize) {
    let (mut shown, mut unknown): (Vec<&StageReport>, Vec<&StageReport>) =
        report.stages.iter().partition(|s| s.known);
    unknown.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.id.cmp(&b.id)));
    let hidden = unknown.len().saturating_sub(UNKNOWN_SHOWN);
    shown.extend(unknown.into_iter().take(UNKNOWN_SHOWN));
    (shown, hidden)
}

/// Where the cases of a stage went next: the most frequent stages, each with its share of the
/// stage's entries (as text) and how the SOP classes the move.
fn top_next<'a>(
    report: &'a Report,
    stage: &'a StageReport,
) -> Vec<(&'a String, String, TransitionKind)> {
    let mut next: Vec<(&String, &u64)> = stage.next.0.iter().map(|(k, v)| (k, v)).collect();
    next.sort_by(|a, b| b.1.cmp(a.1));
    next.into_iter()
        .take(NEXT_SHOWN)
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

/// The disallowed transitions between the SOP's stages, the most frequent first (transitions into
/// and out of unknown stages are told once, with each unknown stage).
fn disallowed(
    report: &Report,
) -> impl ExactSizeIterator<Item = &super::report::DisallowedTransition> {
    let mut list: Vec<_> = report
        .deviations
        .disallowed_transitions
        .iter()
        .filter(|t| t.kind != TransitionKind::UnknownStage)
        .collect();
    list.sort_by_key(|t| std::cmp::Reverse(t.count));
    list.into_iter()
}

fn transition(
    t: &super::report::DisallowedTransition,
    l: &AuditLabels,
    title: &dyn Fn(&str) -> String,
) -> Transition {
    Transition {
        kind: kind_label(l, DeviationKind::of(t.kind)),
        from: title(&t.from),
        to: title(&t.to),
        count: count(t.count),
        examples: Examples::of(t.cases.iter()),
    }
}

fn deviations(
    report: &Report,
    l: &AuditLabels,
    title: &dyn Fn(&str) -> String,
    examples: &CaseExamples,
) -> Deviations {
    let d = &report.deviations;
    let mut bad_starts: Vec<&(String, u64)> = d.bad_starts.0.iter().collect();
    bad_starts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut unknown: Vec<(&String, &UnknownStage)> =
        d.unknown_stages.0.iter().map(|(k, v)| (k, v)).collect();
    unknown.sort_by(|a, b| b.1.events.cmp(&a.1.events).then_with(|| a.0.cmp(b.0)));
    Deviations {
        any: d.deviating_cases > 0 || !d.unknown_stages.0.is_empty(),
        deviating: count(d.deviating_cases),
        cases: count(report.log.cases),
        transitions: Listed::new(
            disallowed(report).map(|t| transition(t, l, title)),
            DEVIATIONS_SHOWN,
        ),
        bad_starts: Listed::new(
            bad_starts.into_iter().map(|(stage, n)| BadStart {
                stage: title(stage),
                cases: counted(*n, l.cases),
                examples: Examples::of(examples.started(stage).iter().map(String::as_str)),
            }),
            DEVIATIONS_SHOWN,
        ),
        unknown: Listed::new(
            unknown.into_iter().map(|(id, u)| Unknown {
                id: id.clone(),
                events: counted(u.events, l.events),
                cases: counted(u.cases, l.cases),
                did_you_mean: u.did_you_mean.clone(),
                examples: Examples::of(examples.entered(id).iter().map(String::as_str)),
            }),
            UNKNOWN_SHOWN,
        ),
    }
}

/// Example cases per stage id, gathered in one pass: the cases that start there with a bad start,
/// and the cases that enter it by a bad start or a disallowed transition (at most one more than
/// shown, so that the report can say there are more).
struct CaseExamples<'a> {
    started: HashMap<&'a str, Vec<String>>,
    entered: HashMap<&'a str, Vec<String>>,
}

impl<'a> CaseExamples<'a> {
    fn of(report: &'a Report) -> Self {
        let (mut started, mut entered) = (HashMap::new(), HashMap::new());
        let Some(data) = report.cases.data() else {
            return CaseExamples { started, entered };
        };
        for c in 0..data.len() {
            for d in data.deviations(c) {
                let maps = if d.kind == DeviationKind::BadStart {
                    [Some(&mut started), Some(&mut entered)]
                } else {
                    [Some(&mut entered), None]
                };
                let id = data.id(c);
                for map in maps.into_iter().flatten() {
                    let ids: &mut Vec<String> = map.entry(data.slot_id(d.to)).or_default();
                    if ids.len() <= EXAMPLES && ids.last().map(String::as_str) != Some(id) {
                        ids.push(id.to_string());
                    }
                }
            }
        }
        CaseExamples { started, entered }
    }

    fn started(&self, stage: &str) -> &[String] {
        self.started.get(stage).map_or(&[], Vec::as_slice)
    }

    fn entered(&self, stage: &str) -> &[String] {
        self.entered.get(stage).map_or(&[], Vec::as_slice)
    }
}

fn fitness(report: &Report) -> Fitness {
    let a = &report.fitness.alignment;
    let f = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.3}"));
    Fitness {
        alignment: f(a.log_fitness),
        closed: f(a.closed_log_fitness),
        fitting: count(a.fitting_cases),
        cases: count(report.log.cases),
        token_replay: f(report.fitness.token_replay.log_fitness),
    }
}

fn open_cases(report: &Report, l: &AuditLabels, title: &dyn Fn(&str) -> String) -> OpenCases {
    let o = &report.open_cases;
    // Made into entries only for the few shown.
    let mut overdue: Vec<(usize, f64, bool)> = o.cases.brief().filter(|c| c.2).collect();
    overdue.sort_by(|a, b| b.1.total_cmp(&a.1));
    OpenCases {
        cases: counted(o.count, l.cases),
        overdue: count(o.overdue),
        longest: overdue
            .iter()
            .take(EXAMPLES)
            .filter_map(|&(c, _, _)| o.cases.get(c))
            .map(|c| OpenCase {
                case_id: c.case_id.clone(),
                stage: title(&c.stage),
                age: duration(c.age_s),
            })
            .collect(),
    }
}

/// Who handled each stage the stage table shows and a case entered; none without a role and an
/// actor column, or without events.
fn handled(report: &Report, model: &Model, title: &dyn Fn(&str) -> String) -> Option<Handled> {
    let (shown, _) = shown_stages(report);
    let by_role = shown.iter().any(|s| s.roles.is_some());
    let by_actor = shown.iter().any(|s| s.actors.is_some());
    if !by_role && !by_actor {
        return None;
    }
    let pipeline = model.pipelines.iter().find(|p| p.def.id == report.pipeline);
    let owner = |stage: &str| -> Option<String> {
        let p = pipeline?;
        let s = p.stages.get(*p.stage_index.get(stage)?)?;
        Some(s.owner.as_ref()?.name.clone())
    };
    let dash = || "—".to_string();
    let tallies = |map: &Option<super::report::Ordered<u64>>| {
        let mut all: Vec<&(String, u64)> = map.iter().flat_map(|m| &m.0).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Listed::new(
            all.into_iter().map(|(name, n)| Tally {
                name: name.clone(),
                events: count(*n),
            }),
            HANDLERS_SHOWN,
        )
    };
    let rows = shown
        .iter()
        .filter(|s| s.entries > 0)
        .map(|s| {
            let with_role: u64 = s.roles.iter().flat_map(|r| &r.0).map(|(_, n)| n).sum();
            HandledRow {
                stage: display(s),
                owner: s.known.then(|| owner(&s.id)).flatten().unwrap_or_else(dash),
                roles: tallies(&s.roles),
                not_owner: match s.owner_mismatch {
                    Some(0) => "0".to_string(),
                    Some(n) => format!(
                        "{} ({})",
                        count(n),
                        percent(n as f64 / with_role.max(1) as f64)
                    ),
                    None => dash(),
                },
                mismatch: s.owner_mismatch.is_some_and(|n| n > 0),
                actors: tallies(&s.actors),
            }
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        return None;
    }
    let mismatches = |shown: usize| {
        Listed::new(
            report.deviations.owner_mismatch.iter().map(|m| Mismatch {
                stage: title(&m.stage),
                owner: owner(&m.stage).unwrap_or_else(dash),
                role: m.role.clone(),
                events: count(m.events),
                cases: count(m.cases),
            }),
            shown,
        )
    };
    Some(Handled {
        by_role,
        by_actor,
        rows,
        mismatches: mismatches(MISMATCHES_SHOWN),
        page_mismatches: mismatches(PAGE_MISMATCHES_SHOWN),
    })
}

fn kpi(k: &KpiReport, model: &Model, pipeline: &str, lang: Lang) -> Kpi {
    let l = lang.audit_labels();
    let def = model.kpis.iter().find(|m| m.def.id == k.id);
    let title = def.map(|m| m.def.display_title().to_string());
    let method = kpi_method::sentence(
        &kpi_method::Method {
            measure: k.measure,
            stage: k.stage.as_deref(),
            per: def.and_then(|m| m.target.as_ref()).and_then(|t| t.per),
            reason: k.reason.as_deref(),
            case: model
                .pipelines
                .iter()
                .find(|p| p.def.id == pipeline)
                .and_then(|p| p.case.as_deref()),
        },
        lang,
    );
    let (status, value) = if k.computable {
        kpi_value(k, l, lang)
    } else {
        ("—".to_string(), String::new())
    };
    Kpi {
        id: k.id.clone(),
        title,
        computable: k.computable,
        reason: k.reason.clone().unwrap_or_default(),
        met: k.computable && status == l.met,
        status,
        value,
        reason_words: reason_words(lang, k.reason.as_deref().unwrap_or_default()),
        target_words: k.target.as_deref().map(|t| target_words(lang, t)),
        target: k.target.clone(),
        method,
    }
}

/// The status word and the value(s) of a computable kpi.
fn kpi_value(k: &KpiReport, l: &AuditLabels, lang: Lang) -> (String, String) {
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
        // Seconds, shown as a duration: never `18000 h`.
        (v, Some(Measure::Duration)) => {
            kpi_method::duration_words(v.as_f64().unwrap_or_default(), lang)
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
        // A period without a value (no cohort, no case for a median) is neither met nor missed.
        let judged = periods.iter().filter(|p| p.met.is_some()).count();
        let met = periods.iter().filter(|p| p.met == Some(true)).count();
        let status = if judged == 0 {
            "—".to_string()
        } else if met == judged {
            l.met.to_string()
        } else if met == 0 {
            l.missed.to_string()
        } else {
            format!("{} {met}{}{judged}", l.partly, l.of)
        };
        let shown: Vec<String> = periods
            .iter()
            .rev()
            .take(4)
            .rev()
            .map(|p| match p.met {
                Some(met) => format!(
                    "{} {} {}",
                    p.period,
                    show(p.value),
                    if met { "✓" } else { "✗" }
                ),
                None => format!("{} {}", p.period, show(p.value)),
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

fn case_list(
    report: &Report,
    l: &AuditLabels,
    title: &dyn Fn(&str) -> String,
    which: Cases,
) -> Option<CaseList> {
    let data = report.cases.data()?;
    let chosen: Vec<u32> = match which {
        Cases::None => return None,
        Cases::All => (0..data.len() as u32).collect(),
        Cases::Deviating => (0..data.len() as u32)
            .filter(|&c| data.deviates(c as usize))
            .collect(),
    };
    if chosen.is_empty() {
        return None;
    }
    let heading = match which {
        Cases::Deviating => l.deviating_cases,
        _ => l.case_list,
    };
    let cases = chosen
        .into_iter()
        .map(|c| data.case(c as usize))
        .map(|c| Case {
            case_id: c.case_id.clone(),
            first: title(&c.first),
            last: title(&c.last),
            fitness: c
                .alignment_fitness
                .map_or("—".to_string(), |f| format!("{f:.3}")),
            deviations: Listed::new(
                c.deviations.iter().map(|d| CaseDeviation {
                    kind: kind_label(l, d.kind),
                    from: d.from.as_deref().map(title),
                    to: title(&d.to),
                }),
                EXAMPLES,
            ),
        });
    Some(CaseList {
        heading,
        cases: Listed::new(cases, CASES_SHOWN),
    })
}

/// A stage's `sla` as the SOP writes it (`2d`, `1w`).
fn sla_text(model: &Model, pipeline: &str, stage: &str) -> Option<String> {
    let p = model.pipelines.iter().find(|p| p.def.id == pipeline)?;
    let s = p.stages.get(*p.stage_index.get(stage)?)?;
    Some(s.sla.as_ref()?.value.text.clone())
}

/// A stage's title; an unknown stage's id with a `?`.
fn display(stage: &StageReport) -> String {
    if stage.known {
        stage.title.clone()
    } else {
        format!("{}?", stage.id)
    }
}

fn kind_label(l: &AuditLabels, kind: DeviationKind) -> &'static str {
    match kind {
        DeviationKind::BadStart => l.bad_start,
        DeviationKind::UnknownStage => l.unknown_stage,
        DeviationKind::Skip => l.skip,
        DeviationKind::Backward => l.backward,
        DeviationKind::Jump => l.jump,
    }
}

/// `2026-03-28T18:00:00Z` as `2026-03-28 18:00 UTC`.
fn short_time(t: &str) -> String {
    match (t.get(..10), t.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => t.to_string(),
    }
}

/// `line 14` or `第14行`.
fn line_no(l: &AuditLabels, n: u64) -> String {
    if l.line_suffix.is_empty() {
        format!("{} {n}", l.line)
    } else {
        format!("{}{n}{}", l.line, l.line_suffix)
    }
}

/// `3 cases`, `1 case`; labels in Chinese have no plural.
pub fn counted(n: u64, label: &str) -> String {
    let (first, rest) = label.split_once(' ').unwrap_or((label, ""));
    let singular = n == 1 && label.is_ascii() && first.len() > 1;
    let first = match first.strip_suffix('s') {
        Some(stem) if singular => stem,
        _ => first,
    };
    let space = if rest.is_empty() { "" } else { " " };
    format!("{} {first}{space}{rest}", count(n))
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
    fn numbers() {
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
        assert_eq!(line_no(Lang::Zh.audit_labels(), 14), "第14行");
        assert_eq!(line_no(Lang::En.audit_labels(), 14), "line 14");
    }
}
