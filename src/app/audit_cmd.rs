//! `sopc audit SOP_FILE LOG`: check the SOP, read the log, print the audit, apply the gates.

use crate::text::ShowPath;
use std::io::Write;
use std::path::Path;

use super::cli::{AuditArgs, AuditDeny, AuditFormat, CasesArg, InputFormatArg};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, audit_human, human};
use crate::audit::log::{InputFormat, LogError, LogStream, ReadOptions};
use crate::audit::preset::Preset;
use crate::audit::report::{Listed, Report};
use crate::audit::sql::Dialect;
use crate::audit::timestamp::{Timestamp, parse_offset};
use crate::audit::view::{AuditView, Cases};
use crate::audit::{self, Audit, AuditError, AuditInput};
use crate::diag::Severity;
use crate::driver::{CheckOptions, PathError, check_paths};
use crate::files::read;
use crate::files::write::{Keep, describe, write_atomically, write_atomically_with};
use crate::render::{Lang, Templates};

/// A reason to stop before the audit, printed on stderr (exit 2).
struct Usage(String);

pub(super) fn run(args: AuditArgs) -> u8 {
    match run_audit(&args) {
        Ok(code) => code,
        Err(Usage(message)) => {
            say!("error: {message}");
            EXIT_USAGE
        }
    }
}

fn run_audit(args: &AuditArgs) -> Result<u8, Usage> {
    if args.emit_sql {
        refuse_with_emit_sql(args)?;
    }
    let read = read_options(args)?;
    let as_of = match &args.as_of {
        Some(text) => Some(
            Timestamp::parse(text.trim(), read.default_offset_s).ok_or_else(|| {
                Usage(format!(
                    "`--as-of {text}` is not a timestamp such as `2026-04-01T00:00:00Z`"
                ))
            })?,
        ),
        None => None,
    };
    if args.min_fitness.is_some_and(|f| !f.is_finite()) {
        return Err(Usage("`--min-fitness` must be a number such as 0.8".into()));
    }
    let templates = match &args.templates {
        Some(dir) => Templates::from_dir(dir).map_err(|e| Usage(e.to_string()))?,
        None => Templates::embedded(),
    };
    if args.sop.is_dir() {
        return Err(Usage(format!(
            "`{}` is a directory; name the `.sop` file to audit against",
            args.sop.shown()
        )));
    }
    let options = CheckOptions {
        keep_models: true,
        ..super::check_options()
    };
    let mut outcome = check_paths(std::slice::from_ref(&args.sop), &options)
        .map_err(|PathError(message)| Usage(message))?;
    if let Some((path, why)) = outcome.unreadable.first() {
        return Err(Usage(format!("cannot read `{path}`: {why}")));
    }
    if outcome.count(Severity::Error) > 0 {
        outcome.findings.retain(|f| f.severity == Severity::Error);
        let mut stderr = std::io::stderr().lock();
        let _ = human::write_reports(&mut stderr, &outcome, false, None);
        let n = outcome.findings.len();
        return Err(Usage(format!(
            "the SOP has {n} error{}; fix {} before auditing against it",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        )));
    }
    let Some(model) = outcome.models.first() else {
        return Err(Usage(format!(
            "`{}` is not an SOP document",
            args.sop.shown()
        )));
    };
    let pipeline = choose_pipeline(model, args.pipeline.as_deref())?;
    if args.emit_sql {
        return emit_sql(args, model, &outcome.db, pipeline, &read, as_of);
    }
    let stream = open_log(&args.log)?;
    let mut read = read;
    read.format = match args.input_format {
        Some(InputFormatArg::Csv) => InputFormat::Csv,
        Some(InputFormatArg::Jsonl) => InputFormat::Jsonl,
        Some(InputFormatArg::Xes) => InputFormat::Xes,
        None if args.log == "-" => InputFormat::sniff(stream.head()),
        None => InputFormat::from_path(&args.log),
    };
    let stage_map = read_stage_map(args)?;
    // The page shows its times in the zone the log is written in; only a page needs it.
    read.scan_zones = args.html.is_some();
    let input = AuditInput {
        model,
        db: &outcome.db,
        pipeline,
        sop_name: args.sop.shown().to_string(),
        log_name: args.log.clone(),
        data: Vec::new(),
        read,
        stage_map: stage_map.as_deref(),
        as_of,
    };
    let Audit {
        mut report,
        written_offset: offset,
    } = audit::run_from(input, stream).map_err(|e| Usage(explain(&e, args)))?;
    if let (Some(path), Some((log, process))) = (&args.export_xes, report.cases.events()) {
        // Written as it is made: the document of a large log is never held whole.
        write_atomically_with(path, &mut |out| {
            audit::xes::write(log, process, &args.log, out)
        })
        .map_err(|e| Usage(format!("cannot write `{}`: {}", path.shown(), describe(&e))))?;
    }
    let failed = gates(&report, args);
    let lang = Lang::of_document(
        model
            .header
            .as_ref()
            .and_then(|h| h.lang.as_ref())
            .map(|l| l.value.as_str()),
    );
    let cases = match args.cases.unwrap_or(CasesArg::Deviating) {
        CasesArg::All => Cases::All,
        CasesArg::Deviating => Cases::Deviating,
        CasesArg::None => Cases::None,
    };
    let view = (matches!(args.format, AuditFormat::Human) || args.html.is_some())
        .then(|| AuditView::new(&report, model, lang, cases))
        .map(|v| match offset {
            Some(o) => v.in_offset(&report, o),
            None => v,
        });
    // The page is rendered before anything is printed: a template that fails stops the run
    // with nothing written.
    let page = match (&args.html, &view) {
        (Some(path), Some(view)) => {
            let page = view
                .page_html(&templates)
                .map_err(|e| Usage(format!("template {e}\nnothing was written")))?;
            Some((path, page))
        }
        _ => None,
    };
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match (args.format, &view) {
        (AuditFormat::Human, Some(view)) => audit_human::write(&mut stdout, view),
        _ => {
            match args.cases.unwrap_or(CasesArg::All) {
                CasesArg::All => report.cases.listed = Listed::All,
                CasesArg::Deviating => report.cases.listed = Listed::Deviating,
                CasesArg::None => report.cases.listed = Listed::None,
            }
            serde_json::to_writer(&mut stdout, &report)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(stdout))
        }
    };
    if written.and_then(|()| stdout.flush()).is_err() {
        return Ok(EXIT_USAGE);
    }
    if let Some((path, page)) = page {
        // Beside and renamed: a full disk keeps the previous report whole.
        write_atomically(path, page.as_bytes(), Keep::Mode)
            .map_err(|e| Usage(format!("cannot write `{}`: {}", path.shown(), describe(&e))))?;
    }
    for line in &failed {
        say!("error: {line}");
    }
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAIL
    })
}

/// What `--emit-sql` does not use, refused rather than ignored: the script reads the table
/// named by `--table` and only prints itself.
fn refuse_with_emit_sql(args: &AuditArgs) -> Result<(), Usage> {
    if !args.log.is_empty() {
        return Err(Usage(format!(
            "a log file (`{}`) does not apply with `--emit-sql`, whose script reads the table of \
             `--table`; drop the log, or audit it without `--emit-sql`",
            args.log
        )));
    }
    let given = [
        (matches!(args.format, AuditFormat::Json), "--format json"),
        (args.html.is_some(), "--html"),
        (args.templates.is_some(), "--templates"),
        (args.cases.is_some(), "--cases"),
        (args.export_xes.is_some(), "--export-xes"),
        (!args.deny.is_empty(), "--deny"),
        (args.min_fitness.is_some(), "--min-fitness"),
        (args.input_format.is_some(), "--input-format"),
        (args.delimiter.is_some(), "--delimiter"),
    ];
    match given.iter().find(|(set, _)| *set) {
        Some((_, option)) => Err(Usage(format!(
            "`{option}` does not apply with `--emit-sql`, which prints an SQL script and reads no \
             log; drop `{option}`, or audit a log file without `--emit-sql`"
        ))),
        None => Ok(()),
    }
}

/// `--emit-sql`: the script on standard output.
fn emit_sql(
    args: &AuditArgs,
    model: &crate::model::Model,
    db: &crate::model::SourceDb,
    pipeline: usize,
    read: &ReadOptions,
    as_of: Option<Timestamp>,
) -> Result<u8, Usage> {
    let dialect = Dialect::parse(args.dialect.trim()).ok_or_else(|| {
        Usage(format!(
            "no SQL dialect `{}`; the dialects: `duckdb`, `spark`, `postgres`",
            args.dialect
        ))
    })?;
    let stage_map = read_stage_map(args)?;
    let script = audit::emit_sql(&audit::SqlRequest {
        model,
        db,
        pipeline,
        sop_name: args.sop.shown().to_string(),
        stage_map: stage_map.as_deref(),
        dialect,
        table: args.table.as_deref().unwrap_or_default(),
        columns: &read.columns,
        as_of,
        amount_col: args.amount_col.as_deref().or_else(|| {
            args.preset
                .as_ref()
                .and(read.columns.amount.first().map(String::as_str))
        }),
        filter: read.filter.as_ref().map(|f| f.value.as_str()),
        wide: &read.wide,
    })
    .map_err(|e| Usage(explain(&e, args)))?;
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(script.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return Ok(EXIT_USAGE);
    }
    Ok(EXIT_OK)
}

fn read_stage_map(args: &AuditArgs) -> Result<Option<Vec<u8>>, Usage> {
    match &args.stage_map {
        Some(p) => Ok(Some(read::read_regular(p, read::SMALL_LIMIT).map_err(
            |e| Usage(format!("cannot read the stage map `{}`: {e}", p.shown())),
        )?)),
        None => Ok(None),
    }
}

/// One line per gate asked for that fails, saying what failed and by how much; the run exits 1
/// when there is any. Deviations alone never fail.
fn gates(report: &Report, args: &AuditArgs) -> Vec<String> {
    let mut failed = Vec::new();
    if let (Some(min), Some(fitness)) = (args.min_fitness, report.fitness.alignment.log_fitness)
        && fitness < min
    {
        // Three decimals, more when three would show the fitness equal to the minimum.
        let digits = (3..=6)
            .find(|&d| {
                format!("{fitness:.d$}")
                    .parse::<f64>()
                    .is_ok_and(|f| f < min)
            })
            .unwrap_or(6);
        failed.push(format!(
            "the run fails: the log's alignment fitness is {fitness:.digits$}, {:.digits$} below \
             `--min-fitness {min}`",
            min - fitness
        ));
    }
    let mut asked: Vec<AuditDeny> = Vec::new();
    for deny in &args.deny {
        if !asked.contains(deny) {
            asked.push(*deny);
        }
    }
    for deny in asked {
        if let Some((why, hint)) = denied(report, deny) {
            failed.push(format!(
                "the run fails: {why} and `--deny {}`{hint}",
                deny_name(deny)
            ));
        }
    }
    failed
}

/// What a `--deny` gate finds in the report and how to mend it, or `None` when it passes.
fn denied(report: &Report, deny: AuditDeny) -> Option<(String, &'static str)> {
    match deny {
        AuditDeny::Deviations => {
            let n = report.deviations.deviating_cases;
            (n > 0).then(|| {
                let why = format!(
                    "{n} of {} {} from the SOP",
                    count(report.log.cases, "case", "cases"),
                    if n == 1 { "deviates" } else { "deviate" }
                );
                (why, "")
            })
        }
        AuditDeny::Sla => {
            let stages: Vec<(String, u64)> = report
                .stages
                .iter()
                .filter_map(|s| {
                    let n = s.sla_breaches.unwrap_or(0);
                    (n > 0).then(|| (s.id.clone(), n))
                })
                .collect();
            let total: u64 = stages.iter().map(|(_, n)| n).sum();
            (total > 0).then(|| {
                let each: Vec<String> = stages
                    .iter()
                    .map(|(id, n)| format!("{} {n}", shown_name(id)))
                    .collect();
                let why = format!(
                    "{} longer than the stage's `sla` ({})",
                    count(total, "visit", "visits"),
                    some_names(&each)
                );
                (why, "")
            })
        }
        AuditDeny::OpenOverdue => {
            let n = report.open_cases.overdue;
            (n > 0).then(|| {
                let why = format!(
                    "{n} of {} {} past the `sla` of the stage {}",
                    count(report.open_cases.count, "open case", "open cases"),
                    if n == 1 { "is" } else { "are" },
                    if n == 1 { "it is in" } else { "they are in" }
                );
                (why, "")
            })
        }
        AuditDeny::RejectedRows => {
            let n = report.log.rejected;
            (n > 0).then(|| {
                let first = report.rejected_rows.first().map_or_else(String::new, |r| {
                    format!(" (the first on line {}: {})", r.line, r.reason.as_str())
                });
                let why = format!(
                    "{n} of {} {} rejected{first}",
                    count(report.log.rows, "row", "rows"),
                    if n == 1 { "was" } else { "were" }
                );
                (why, "; the report lists the rejected rows with their lines")
            })
        }
        AuditDeny::UnknownStages => {
            let unknown = &report.deviations.unknown_stages.0;
            (!unknown.is_empty()).then(|| {
                let events: u64 = unknown.iter().map(|(_, u)| u.events).sum();
                let names: Vec<String> = unknown.iter().map(|(name, _)| shown_name(name)).collect();
                let why = format!(
                    "{} of {} ({})",
                    count(events, "event", "events"),
                    count(unknown.len() as u64, "unknown stage", "unknown stages"),
                    some_names(&names)
                );
                (why, "; map the values to stages with `--stage-map`")
            })
        }
    }
}

/// The value `--deny` takes for a gate.
fn deny_name(deny: AuditDeny) -> &'static str {
    match deny {
        AuditDeny::Deviations => "deviations",
        AuditDeny::Sla => "sla",
        AuditDeny::OpenOverdue => "open-overdue",
        AuditDeny::RejectedRows => "rejected-rows",
        AuditDeny::UnknownStages => "unknown-stages",
    }
}

/// `1 case`, `3 cases`.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Names (or stage values from the log) shown in a gate's line.
const SHOWN_NAMES: usize = 5;

/// A name from the log, backticked, cut short and on one line.
fn shown_name(name: &str) -> String {
    let mut cut: String = name
        .chars()
        .take(SHOWN_NAME_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if name.chars().count() > SHOWN_NAME_CHARS {
        cut.push('…');
    }
    format!("`{cut}`")
}

/// The first few of a list, with a count of the rest.
fn some_names(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(SHOWN_NAMES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN_NAMES {
        text.push_str(&format!(" and {} more", names.len() - SHOWN_NAMES));
    }
    text
}

fn read_options(args: &AuditArgs) -> Result<ReadOptions, Usage> {
    let delimiter = match args.delimiter.as_deref() {
        None => b',',
        Some("tab" | "\\t" | "\t") => b'\t',
        Some(d) if d.len() == 1 && d.is_ascii() && d != "\"" && d != "\n" && d != "\r" => {
            d.as_bytes()[0]
        }
        Some(d) => {
            return Err(Usage(format!(
                "`--delimiter {d}` must be one ASCII character other than a quote or a line break, or `tab`"
            )));
        }
    };
    let default_offset_s = match &args.timezone {
        Some(tz) => parse_offset(tz.trim()).ok_or_else(|| {
            Usage(format!(
                "`--timezone {tz}` is not an offset such as `+08:00`"
            ))
        })?,
        None => 0,
    };
    let mut options = ReadOptions::new(InputFormat::Csv);
    if let Some(name) = &args.preset {
        let preset = Preset::parse(name.trim()).ok_or_else(|| {
            Usage(format!(
                "no preset `{name}`; the presets: {}",
                Preset::list()
            ))
        })?;
        preset.apply(&mut options);
    }
    let columns = &mut options.columns;
    let set = |names: &mut Vec<String>, given: &Option<String>| {
        if let Some(g) = given {
            *names = vec![g.trim().to_string()];
        }
    };
    set(&mut columns.case, &args.case_col);
    set(&mut columns.stage, &args.stage_col);
    set(&mut columns.time, &args.time_col);
    set(&mut columns.amount, &args.amount_col);
    set(&mut columns.actor, &args.actor_col);
    set(&mut columns.role, &args.role_col);
    options.delimiter = delimiter;
    options.default_offset_s = default_offset_s;
    Ok(options)
}

fn choose_pipeline(model: &crate::model::Model, wanted: Option<&str>) -> Result<usize, Usage> {
    let ids: Vec<&str> = model.pipelines.iter().map(|p| p.def.id.as_str()).collect();
    match (wanted, ids.len()) {
        (Some(w), _) => ids.iter().position(|id| *id == w).ok_or_else(|| {
            Usage(format!(
                "no pipeline `{w}` in the SOP; its pipelines: {}",
                backticked(&ids)
            ))
        }),
        (None, 0) => Err(Usage("the SOP defines no pipeline to audit".into())),
        (None, 1) => Ok(0),
        (None, _) => Err(Usage(format!(
            "the SOP has several pipelines ({}); choose one with `--pipeline`",
            backticked(&ids)
        ))),
    }
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The log, opened to be read a chunk at a time (unpacked when gzipped).
fn open_log(path: &str) -> Result<LogStream, Usage> {
    let too_large = read::ReadError::TooLarge {
        limit: read::LOG_LIMIT,
    }
    .to_string();
    if path == "-" {
        if stdin_is_closed() {
            return Err(Usage(
                "standard input is closed (or `/dev/null`), so there is no log to read; pipe the \
                 log in (`sopc audit SOP - < log.csv`) or name the log file"
                    .into(),
            ));
        }
        return LogStream::new(Box::new(std::io::stdin()), read::LOG_LIMIT, too_large)
            .map_err(|e| Usage(format!("cannot read standard input: {e}")));
    }
    // A regular file or a pipe (`<(zcat log.gz)`); never a device.
    let file = read::open_stream(Path::new(path), read::LOG_LIMIT).map_err(|e| match e {
        read::ReadError::Directory => Usage(format!("`{path}` is a directory, not a log file")),
        e => Usage(format!("cannot read `{path}`: {e}")),
    })?;
    LogStream::new(Box::new(file), read::LOG_LIMIT, too_large)
        .map_err(|e| Usage(format!("cannot read `{path}`: {e}")))
}

/// Whether standard input gives nothing at all: closed (which the runtime turns into
/// `/dev/null` before `main`, and a read of a closed descriptor into an empty read), or the null
/// device itself. An empty pipe or file is still read: an empty log is a valid audit.
#[cfg(unix)]
fn stdin_is_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return true;
    };
    let Ok(meta) = std::fs::File::from(fd).metadata() else {
        return true;
    };
    std::fs::metadata("/dev/null").is_ok_and(|null| {
        meta.rdev() == null.rdev() && meta.dev() == null.dev() && meta.ino() == null.ino()
    })
}

#[cfg(not(unix))]
fn stdin_is_closed() -> bool {
    false
}

/// Column names shown in a "missing column" message; the rest are counted.
const SHOWN_COLUMNS: usize = 10;
/// Characters of one column name shown.
const SHOWN_NAME_CHARS: usize = 40;

/// The first few columns found, each cut short, with a count of the rest.
fn some_columns(found: &[String]) -> String {
    if found.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<String> = found
        .iter()
        .take(SHOWN_COLUMNS)
        .map(|name| {
            let mut cut: String = name.chars().take(SHOWN_NAME_CHARS).collect();
            if cut.len() < name.len() {
                cut.push('…');
            }
            cut
        })
        .collect();
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let mut text = backticked(&shown);
    if found.len() > SHOWN_COLUMNS {
        text.push_str(&format!(
            " and {} more ({} columns in all)",
            found.len() - SHOWN_COLUMNS,
            found.len()
        ));
    }
    text
}

/// `names` backticked and joined with `or`.
fn either(names: &[String]) -> String {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    backticked(&names).replace(", ", " or ")
}

/// The message of a log without a column the audit needs, with a hint that mends it: the
/// option naming that column, what a preset's layout needs, or the preset the log resembles
/// when it has every column that preset reads.
fn missing_columns(
    missing: &[Vec<String>],
    found: &[String],
    preset: Option<&str>,
    resembles: Option<&str>,
    args: &AuditArgs,
) -> String {
    let preset = preset.and_then(Preset::parse);
    let columns = read_options(args).map(|o| o.columns).ok();
    let mut options = Vec::new();
    let mut hints = Vec::new();
    for names in missing {
        if let Some(hint) = preset.and_then(|p| p.layout_hint(names)) {
            hints.push(hint);
            continue;
        }
        let option = columns.as_ref().and_then(|c| {
            [
                (&c.case, "--case-col"),
                (&c.stage, "--stage-col"),
                (&c.time, "--time-col"),
            ]
            .into_iter()
            .find(|(n, _)| *n == names)
            .map(|(_, option)| option)
        });
        match option {
            Some(option) => options.push(format!("`{option}`")),
            None => hints.push(format!("the log needs a column {}", either(names))),
        }
    }
    if !options.is_empty() {
        let one = options.len() == 1;
        hints.insert(
            0,
            format!(
                "name the {} with {}",
                if one { "column" } else { "columns" },
                options.join(", ")
            ),
        );
    }
    let mut text = format!(
        "the log has no column {}{}; found: {} ({})",
        missing
            .iter()
            .map(|n| either(n))
            .collect::<Vec<_>>()
            .join(", no column "),
        preset.map_or_else(String::new, |p| format!(" (preset `{}`)", p.name())),
        some_columns(found),
        hints.join("; ")
    );
    if let Some(like) = resembles.and_then(Preset::parse) {
        let lacks = like.lacks(found);
        let name = like.name();
        if lacks.is_empty() {
            text.push_str(&format!(
                "; it looks like a `{name}` export: try `--preset {name}`"
            ));
        } else {
            let what: Vec<String> = lacks.iter().map(|n| either(n)).collect();
            let needs = like.layout_hint(&lacks.concat()).unwrap_or_else(|| {
                format!(
                    "`--preset {name}` also needs the column {}",
                    what.join(" and the column ")
                )
            });
            text.push_str(&format!("; it looks like a `{name}` export, but {needs}"));
        }
    }
    text
}

/// The message of an audit that could not run.
fn explain(error: &AuditError, args: &AuditArgs) -> String {
    match error {
        AuditError::StageMap(e) => {
            let file = args
                .stage_map
                .as_ref()
                .map_or_else(String::new, |p| p.shown().to_string());
            format!("{file}:{}: {}", e.line, e.message)
        }
        AuditError::Log(LogError::MissingColumns {
            missing,
            found,
            preset,
            resembles,
        }) => missing_columns(missing, found, *preset, *resembles, args),
        AuditError::SlaTooLong {
            stage,
            text,
            file,
            line,
        } => format!(
            "{file}:{line}: the `sla {text}` of stage `{stage}` is too long to count in seconds; \
             give a shorter sla"
        ),
        AuditError::Log(LogError::Unreadable(why)) => format!("cannot read `{}`: {why}", args.log),
        AuditError::NoKnownStage { events, values } => format!(
            "none of the {events} events of `{}` is in a stage of the SOP; its stage values: {} \
             (is the stage column right? map the values with `--stage-map`)",
            args.log,
            values.join(", ")
        ),
        AuditError::NoUsableRow { rows, rejected } => {
            let mut text = format!(
                "none of the {rows} rows of `{}` could be used (is the column mapping right?)",
                args.log
            );
            for r in rejected.iter().take(5) {
                text.push_str(&format!("\n  line {}: {}", r.line, r.reason.as_str()));
                if let Some(v) = &r.value {
                    text.push_str(&format!(" `{v}`"));
                }
            }
            text
        }
    }
}
