//! `sopc audit`: a CRM stage history held against the SOP. Reading the log (CSV or JSON Lines,
//! every rejected row kept with its line and reason), the events of each case, the figures per
//! stage, the deviations, fitness against the pipeline's graph and the KPIs, into a [`Report`]
//! whose JSON shape `docs/audit.md` describes.
//!
//! Depends on `model`, and on `render` for the labels and the page's template; [`view`] is what
//! the report and the page show, and printing it is the `app` layer's business.

mod cases;
mod chunks;
mod collect;
mod csv_log;
pub mod events;
pub mod figures;
pub mod fitness;
mod jsonl_log;
pub mod kpi;
pub mod kpi_method;
pub mod log;
pub mod names;
mod numbers;
pub mod pictures;
pub mod preset;
pub mod process;
pub mod report;
pub mod roles;
pub mod rows;
pub mod sql;
mod sql_kpis;
pub mod stages;
pub mod timestamp;
pub mod view;
pub mod xes;

pub use log::{Columns, InputFormat, LogError, ReadOptions};
pub use process::{Process, TransitionKind};
pub use report::Report;
pub use stages::{StageMap, StageMapError};
pub use timestamp::Timestamp;

use crate::model::{Model, SourceDb};
use report::{LogSummary, RejectedRow};

/// Stage values named when none of them is a stage of the SOP.
const STAGE_VALUES_SHOWN: usize = 8;

/// What one audit is run on.
pub struct AuditInput<'a> {
    /// The resolved document whose pipeline is audited.
    pub model: &'a Model,
    /// The files the document was read from, for pointing at what the SOP says (an `sla`, a kpi).
    pub db: &'a SourceDb,
    /// Index of the audited pipeline in `model.pipelines`.
    pub pipeline: usize,
    /// The SOP file as the user named it.
    pub sop_name: String,
    /// The log as the user named it (`-` for standard input).
    pub log_name: String,
    /// The log's bytes, when it is held in memory ([`run`]); freed as soon as they are read.
    /// Empty when the log is read from a stream ([`run_from`]).
    pub data: Vec<u8>,
    /// How to read the log: its format, CSV delimiter, column names and default time zone.
    pub read: ReadOptions,
    /// The text of the `--stage-map` file.
    pub stage_map: Option<&'a [u8]>,
    /// "Now" for open cases; default: the latest accepted timestamp.
    pub as_of: Option<Timestamp>,
}

/// An audit's report, and what else was asked for.
pub struct Audit {
    /// The report, whose JSON shape `docs/audit.md` describes; its events are written as XES
    /// by [`xes::write`] (see [`report::CaseList::events`]).
    pub report: Report,
    /// The one zone other than UTC the log's timestamps are written in, when
    /// [`ReadOptions::scan_zones`] asked for it and there is one.
    pub written_offset: Option<i32>,
}

/// Why an audit could not be done.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditError {
    /// The `--stage-map` file was refused: the line and why.
    StageMap(StageMapError),
    /// The log cannot be read at all: required columns missing, or an unusable delimiter.
    Log(LogError),
    /// A stage's `sla` is too long to count in seconds: auditing without it would drop it
    /// silently.
    SlaTooLong {
        /// The stage's id.
        stage: String,
        /// The duration as written, `18446744073709551615m`.
        text: String,
        /// Where it is written: the file as displayed, and the 1-based line.
        file: String,
        /// The 1-based line of the `sla` in that file.
        line: usize,
    },
    /// The log has events, but none in a stage of the SOP: the stage column or the mapping is
    /// surely wrong. The first few stage values, each with its did-you-mean.
    NoKnownStage {
        /// How many events the log has.
        events: u64,
        /// The first few stage values, each with its did-you-mean.
        values: Vec<String>,
    },
    /// The log has rows but none was accepted: the mapping is surely wrong.
    NoUsableRow {
        /// How many data rows the log has.
        rows: u64,
        /// The rejected rows, each with its line and reason.
        rejected: Vec<RejectedRow>,
    },
}

/// What `--emit-sql` is run on.
pub struct SqlRequest<'a> {
    /// The resolved document whose pipeline is audited.
    pub model: &'a Model,
    /// The files the document was read from.
    pub db: &'a SourceDb,
    /// Index of the audited pipeline in `model.pipelines`.
    pub pipeline: usize,
    /// The SOP file as the user named it, in the script's first line.
    pub sop_name: String,
    /// The text of the `--stage-map` file.
    pub stage_map: Option<&'a [u8]>,
    /// The engine the script is written for (`--dialect`).
    pub dialect: sql::Dialect,
    /// The history table (`--table`), as given.
    pub table: &'a str,
    /// The column names; the first of the case, stage and time names are the script's columns.
    pub columns: &'a Columns,
    /// `--as-of`: "now" for open cases; default: the latest event in the table.
    pub as_of: Option<Timestamp>,
    /// The amount column when one is named (`--amount-col`, or a preset's); without one the
    /// script reads no amount and amount kpis are not computable.
    pub amount_col: Option<&'a str>,
    /// A preset's row filter: the value its filter column (`columns.filter`) must hold.
    pub filter: Option<&'a str>,
    /// A preset's wide layout: the prefixes of its stage columns.
    pub wide: &'a [String],
}

/// The SQL script of `--emit-sql`.
pub fn emit_sql(request: &SqlRequest) -> Result<String, AuditError> {
    let pipeline = &request.model.pipelines[request.pipeline];
    let process = Process::new(pipeline);
    let map = match request.stage_map {
        Some(text) => StageMap::parse(text, &process).map_err(AuditError::StageMap)?,
        None => StageMap::default(),
    };
    let first = |names: &[String], default: &'static str| {
        names
            .first()
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let (case, stage, time) = (
        first(&request.columns.case, "case_id"),
        first(&request.columns.stage, "stage"),
        first(&request.columns.time, "timestamp"),
    );
    let kpis = kpi::plans(
        request.model,
        request.db,
        request.pipeline,
        request.amount_col.is_some(),
    );
    Ok(sql::script(&sql::SqlInput {
        process: &process,
        map: &map,
        dialect: request.dialect,
        table: request.table,
        case_col: &case,
        stage_col: &stage,
        time_col: &time,
        sop: &request.sop_name,
        pipeline: &pipeline.def.id,
        as_of: request
            .as_of
            .map(|t| (t.rfc3339(), t.seconds_since(Timestamp::from_secs(0)))),
        amount_col: request.amount_col,
        kpis: &kpis,
        layout: sql::SqlLayout {
            filter: request
                .filter
                .zip(request.columns.filter.first().map(String::as_str))
                .map(|(value, col)| (col, value)),
            stage_alt: request.columns.stage_alt.first().map(String::as_str),
            wide: request.wide,
        },
    }))
}

/// Runs the audit.
pub fn audit(input: AuditInput) -> Result<Report, AuditError> {
    run(input).map(|a| a.report)
}

/// Runs the audit on the log held in `input.data`, with the XES export when asked for.
pub fn run(mut input: AuditInput) -> Result<Audit, AuditError> {
    let data = std::mem::take(&mut input.data);
    run_from(input, std::io::Cursor::new(data))
}

/// Runs the audit on the log `log` gives, read a chunk at a time (`input.data` is not read).
pub fn run_from<R: std::io::Read + Send>(input: AuditInput, log: R) -> Result<Audit, AuditError> {
    let pipeline = &input.model.pipelines[input.pipeline];
    let process = Process::new(pipeline);
    if let Some(i) =
        (0..process.len()).find(|&i| pipeline.stages[i].sla.is_some() && process.sla_s[i].is_none())
    {
        let sla = pipeline.stages[i].sla.as_ref().expect("found above");
        let source = input.db.get(sla.loc.file);
        return Err(AuditError::SlaTooLong {
            stage: process.ids[i].clone(),
            text: sla.value.text.clone(),
            file: source.display.clone(),
            line: source.line_col(sla.loc.span.start).line,
        });
    }
    let map = match input.stage_map {
        Some(text) => StageMap::parse(text, &process).map_err(AuditError::StageMap)?,
        None => StageMap::default(),
    };
    let (raw, zones) = log::read_from(log, &input.read, stages::Resolver::new(&process, map))
        .map_err(AuditError::Log)?;
    if raw.rows > 0 && raw.records.is_empty() {
        return Err(AuditError::NoUsableRow {
            rows: raw.rows,
            rejected: raw.rejected,
        });
    }
    let mut raw = raw;
    let (rows, has_amount, recorded_latest) = (raw.rows, raw.has_amount, raw.recorded_latest);
    let rejected_rows = std::mem::take(&mut raw.rejected);
    let row_warnings = std::mem::take(&mut raw.warnings);
    let log = events::build(raw, &process);
    if !log.stages.is_empty() && log.stages.iter().all(|&s| log.known_stage(s).is_none()) {
        return Err(AuditError::NoKnownStage {
            events: log.stages.len() as u64,
            values: log
                .unknown
                .iter()
                .take(STAGE_VALUES_SHOWN)
                .map(|v| {
                    let hint = stages::did_you_mean(v, &process)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    format!("`{v}`{hint}")
                })
                .chain(
                    (log.unknown.len() > STAGE_VALUES_SHOWN)
                        .then(|| format!("and {} more", log.unknown.len() - STAGE_VALUES_SHOWN)),
                )
                .collect(),
        });
    }
    let as_of = input.as_of.or(log.latest_accepted.max(recorded_latest));
    // Fitness (the alignments) on a second thread while the figures and kpis are counted; the
    // thread has its own copy of the pipeline, whose cache of reachable stages is not shared.
    let (figures, fitness, kpis) = std::thread::scope(|scope| {
        let own = process.clone();
        let log = &log;
        let fitness = scope.spawn(move || fitness::compute(log, &own));
        let figures = figures::compute(log, &process, as_of.unwrap_or_default());
        let kpis = kpi::compute(&kpi::KpiInput {
            model: input.model,
            db: input.db,
            pipeline: input.pipeline,
            log,
            has_amount,
            as_of,
        });
        let fitness = fitness
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (figures, fitness, kpis)
    });
    let owners: Vec<Vec<String>> = pipeline
        .stages
        .iter()
        .map(|s| owner_names(input.model, s))
        .collect();
    let roles::Roles {
        stages: stage_roles,
        mismatches,
    } = roles::compute(&log, &process, &owners);
    let figures::Figures {
        mut stages,
        never_visited,
        start_stages,
        end_stages,
        transitions,
        mut deviations,
        mut open_cases,
    } = figures;
    for (stage, r) in stages.iter_mut().zip(stage_roles) {
        stage.roles = r.roles;
        stage.actors = r.actors;
        stage.owner_mismatch = r.owner_mismatch;
    }
    deviations.owner_mismatch = mismatches;
    // A case's events are in time order: its first is its start.
    let case_starts = (0..log.cases())
        .map(|c| log.times[log.range(c).start])
        .collect();
    let summary = LogSummary {
        file: input.log_name.clone(),
        rows,
        rejected: rejected_rows.len() as u64,
        dropped: log.dropped.len() as u64,
        events: log.stages.len() as u64,
        cases: log.cases() as u64,
        first: log.times.iter().min().map(|t| t.rfc3339()),
        last: log.times.iter().max().map(|t| t.rfc3339()),
        as_of: as_of.map(Timestamp::rfc3339),
        out_of_order_cases: log.out_of_order_cases,
    };
    let mut log = log;
    let dropped_rows = std::mem::take(&mut log.dropped);
    let data = std::rc::Rc::new(cases::CaseData {
        log,
        process,
        as_of: as_of.unwrap_or_default(),
        alignment_cost: fitness.alignment_cost,
        token_fitness: fitness.token_fitness,
    });
    open_cases.cases = report::OpenList::new(data.clone());
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        sop: input.sop_name.clone(),
        pipeline: pipeline.def.id.clone(),
        log: summary,
        rejected_rows,
        row_warnings,
        dropped_rows,
        stages,
        never_visited,
        start_stages,
        end_stages,
        transitions,
        deviations,
        open_cases,
        fitness: report::Fitness {
            alignment: fitness.alignment,
            token_replay: fitness.token_replay,
        },
        kpis,
        cases: report::CaseList::new(data),
        case_starts,
    };
    Ok(Audit {
        report,
        written_offset: zones.offset(),
    })
}

/// The values of a role column that name a stage's owner: the role's id and its title.
fn owner_names(model: &Model, stage: &crate::model::Stage) -> Vec<String> {
    let Some(owner) = &stage.owner else {
        return Vec::new();
    };
    let mut names = vec![owner.name.clone()];
    if let Some(title) = owner
        .target
        .and_then(|i| model.roles.get(i))
        .and_then(|r| r.def.title.clone())
    {
        names.push(title);
    }
    names
}
