//! `sopc audit`: a CRM stage history held against the SOP. Reading the log (CSV or JSON Lines,
//! every rejected row kept with its line and reason), the events of each case, the figures per
//! stage, the deviations, fitness against the pipeline's graph and the KPIs, into a [`Report`]
//! whose JSON shape `docs/audit.md` describes.
//!
//! Depends on `model`, and on `render` for the labels and the page's template; [`view`] is what
//! the report and the page show, and printing it is the `app` layer's business.

mod csv_log;
pub mod events;
pub mod figures;
pub mod fitness;
mod jsonl_log;
pub mod kpi;
pub mod log;
pub mod pictures;
pub mod process;
pub mod report;
pub mod stages;
pub mod timestamp;
pub mod view;

pub use log::{Columns, InputFormat, LogError, ReadOptions};
pub use process::{Process, TransitionKind};
pub use report::Report;
pub use stages::{StageMap, StageMapError};
pub use timestamp::Timestamp;

use crate::model::{Model, SourceDb};
use report::{CaseReport, LogSummary, RejectedRow};

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
    /// The log's bytes; freed as soon as they are read.
    pub data: Vec<u8>,
    /// How to read the log: its format, CSV delimiter, column names and default time zone.
    pub read: ReadOptions,
    /// The text of the `--stage-map` file.
    pub stage_map: Option<&'a [u8]>,
    /// "Now" for open cases; default: the latest accepted timestamp.
    pub as_of: Option<Timestamp>,
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
    /// The log has rows but none was accepted: the mapping is surely wrong.
    NoUsableRow {
        /// How many data rows the log has.
        rows: u64,
        /// The rejected rows, each with its line and reason.
        rejected: Vec<RejectedRow>,
    },
}

/// Runs the audit.
pub fn audit(input: AuditInput) -> Result<Report, AuditError> {
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
    let raw = log::read(
        &input.data,
        &input.read,
        stages::Resolver::new(&process, map),
    )
    .map_err(AuditError::Log)?;
    drop(input.data);
    if raw.rows > 0 && raw.records.is_empty() {
        return Err(AuditError::NoUsableRow {
            rows: raw.rows,
            rejected: raw.rejected,
        });
    }
    let mut raw = raw;
    let (rows, has_amount) = (raw.rows, raw.has_amount);
    let rejected_rows = std::mem::take(&mut raw.rejected);
    let row_warnings = std::mem::take(&mut raw.warnings);
    let log = events::build(raw, &process);
    let as_of = input.as_of.or(log.latest_accepted);
    let figures = figures::compute(&log, &process, as_of.unwrap_or_default());
    let fitness = fitness::compute(&log, &process);
    let kpis = kpi::compute(&kpi::KpiInput {
        model: input.model,
        db: input.db,
        pipeline: input.pipeline,
        log: &log,
        has_amount,
        as_of,
    });
    let figures::Figures {
        stages,
        never_visited,
        start_stages,
        end_stages,
        transitions,
        deviations,
        open_cases,
        case_deviations,
        case_breaches,
    } = figures;
    let cases = case_deviations
        .into_iter()
        .zip(case_breaches)
        .zip(&fitness.cases)
        .enumerate()
        .map(|(c, ((deviations, sla_breaches), fit))| {
            let range = log.range(c);
            let first = log.stages[range.start];
            let last = log.stages[range.end - 1];
            CaseReport {
                case_id: log.case_ids[c].to_string(),
                events: range.len() as u64,
                first: log.stage_id(&process, first).to_string(),
                last: log.stage_id(&process, last).to_string(),
                closed: log.known_stage(last).is_some_and(|k| process.terminal[k]),
                alignment_fitness: fit.alignment_fitness.map(report::round6),
                alignment_cost: fit.alignment_cost,
                token_replay_fitness: report::round6(fit.tokens.fitness()),
                deviations,
                sla_breaches,
            }
        })
        .collect();
    Ok(Report {
        schema_version: report::SCHEMA_VERSION,
        sop: input.sop_name.clone(),
        pipeline: pipeline.def.id.clone(),
        log: LogSummary {
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
        },
        rejected_rows,
        row_warnings,
        dropped_rows: log.dropped,
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
        cases,
    })
}
