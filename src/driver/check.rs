//! Checking a set of files: read them, follow their imports, lower each document, run the
//! checks, apply configuration and suppressions.

use std::collections::HashSet;
use std::path::PathBuf;

use super::inputs::{Inputs, PathError, expand};
use crate::diag::{Applicability, Diagnostic, Edit, FileId, FindingData, Fix, Loc, Severity};
use crate::lint::RuleId;
use crate::lint::{self, Context, config::Configs, suppress};
use crate::model::{self, ReadError, SourceDb};
use crate::syntax::{SyntaxError, SyntaxErrorKind, fullwidth};

/// What shapes a check run besides the paths.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--require-reason`: a suppression without a reason after ` -- ` draws a warning.
    pub require_reason: bool,
    /// Keep each document's model in [`CheckOutcome::models`] (for rendering); a plain check
    /// drops it once the document's findings are out.
    pub keep_models: bool,
    /// What "today" is for checks that compare dates (`--today`); `None`: the current UTC date.
    pub today: Option<lint::calendar::Day>,
    /// A configuration file that replaces every project root's `sopc.yaml` (`--config`).
    pub config: Option<PathBuf>,
}

/// A finding with its severity in force.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The diagnostic as the check made it.
    pub diag: Diagnostic,
    /// The rule's level in the configuration of the file it points into, or the finding's
    /// fixed severity when it has one.
    pub severity: Severity,
}

/// Everything a check run found.
#[derive(Debug, Default)]
pub struct CheckOutcome {
    /// Every file read (inputs, their imports, `sopc.yaml` files), for showing the findings.
    pub db: SourceDb,
    /// The findings of reading first ([`reads`]), then those of the checks on the model; each
    /// group sorted by file, line, column.
    pub findings: Vec<Finding>,
    /// Paths that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    /// Paths found in directories but not read (a link leading out of the project, a FIFO),
    /// with why: notes, not errors.
    pub skipped: Vec<(String, String)>,
    /// The model of every file checked as a document or a stand-alone library, in check order
    /// (`sopc build` renders the ones with a header).
    pub models: Vec<model::Model>,
}

impl CheckOutcome {
    /// How many findings have severity `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Checks `paths` (files, or directories searched for `*.sop`).
pub fn check_paths(paths: &[PathBuf], options: &CheckOptions) -> Result<CheckOutcome, PathError> {
    Ok(check_inputs(SourceDb::new(), expand(paths)?, options))
}

/// Checks the files of `inputs`, reading them (and their imports) into `db`.
pub(super) fn check_inputs(db: SourceDb, inputs: Inputs, options: &CheckOptions) -> CheckOutcome {
    let Inputs {
        files,
        skipped,
        unreadable,
    } = inputs;
    let mut outcome = CheckOutcome {
        db,
        skipped,
        unreadable,
        ..CheckOutcome::default()
    };
    let mut diags = Vec::new();
    let mut sups = Vec::new();
    let mut imported: HashSet<FileId> = HashSet::new();
    let mut libraries: Vec<FileId> = Vec::new();
    let mut seen: HashSet<FileId> = HashSet::new();
    // In batches, so that memory grows with the largest documents, not with the repository:
    // read and parse a batch on every core, follow its imports, check its documents on every
    // core, then drop their ASTs and models. Libraries are kept: documents import them.
    for batch in files.chunks(BATCH) {
        let mut documents = Vec::new();
        for ((_, display), loaded) in batch.iter().zip(outcome.db.load_many(batch)) {
            match loaded {
                Ok(id) if seen.insert(id) => {
                    let src = outcome.db.get(id);
                    if !src.is_sop() || src.ast().is_none() {
                        continue;
                    }
                    if is_document(&outcome.db, id) {
                        documents.push(id);
                    } else {
                        libraries.push(id);
                    }
                }
                Ok(_) | Err(ReadError::Directory) => {}
                Err(e) => outcome.unreadable.push((display.clone(), e.to_string())),
            }
        }
        let mut jobs = Vec::new();
        for &file in &documents {
            if let Some(job) = document_job(&mut outcome.db, file, &mut imported, &mut diags) {
                jobs.push(job);
            }
        }
        run_jobs(&mut outcome, &jobs, options, &mut diags);
        let (found, invalid) = suppress::collect_in(&outcome.db, documents.iter().copied());
        sups.extend(found);
        diags.extend(invalid);
        for &file in &documents {
            if !imported.contains(&file) {
                outcome.db.release_ast(file);
            }
        }
    }
    // A library is checked on its own only when no document of the run imports it: inside a
    // document its names can refer to the document's own definitions.
    let mut jobs = Vec::new();
    for &file in &libraries {
        if imported.contains(&file) {
            jobs.push(Job::HeaderOnly(file));
        } else if let Some(job) = document_job(&mut outcome.db, file, &mut imported, &mut diags) {
            jobs.push(job);
        }
    }
    run_jobs(&mut outcome, &jobs, options, &mut diags);
    let rest: Vec<FileId> = outcome
        .db
        .ids()
        .filter(|id| outcome.db.get(*id).ast().is_some())
        .collect();
    let (found, invalid) = suppress::collect_in(&outcome.db, rest);
    sups.extend(found);
    diags.extend(invalid);
    // The `sopc.yaml` of each project root met (imports included), read once.
    let mut configs = match &options.config {
        Some(path) => Configs::forced(path.clone()),
        None => Configs::default(),
    };
    for id in outcome.db.ids() {
        if outcome.db.get(id).is_sop() {
            configs.load_for(&mut outcome.db, id);
        }
    }
    diags.append(&mut configs.diagnostics);
    diags.extend(configs.unused_overrides(&outcome.db));
    outcome.unreadable.append(&mut configs.unreadable);
    for id in outcome.db.ids() {
        let src = outcome.db.get(id);
        if src.is_sop() {
            diags.extend(lint::rules::bidi_control::findings(id, &src.text));
        }
        if let Err(e) = &src.parsed {
            // Said by the bidi-control finding at the character, unless that check is off.
            if lint::rules::bidi_control::explains(e, &src.text)
                && configs.level(&outcome.db, RuleId::BidiControl, id) != lint::Level::Off
            {
                continue;
            }
            diags.push(syntax_diagnostic(id, e, &src.text));
        }
    }
    let diags = lint::dedup(diags);
    let diags = suppress::apply(diags, &sups, options.require_reason);
    let mut findings: Vec<Finding> = diags
        .into_iter()
        .filter_map(|d| {
            // The level set where the finding points: that file's project, that file's path.
            let level = configs.level(&outcome.db, d.rule, d.loc.file);
            let severity = match (level.severity(), d.severity) {
                (None, _) => return None,
                (Some(_), Some(fixed)) => fixed,
                (Some(s), None) => s,
            };
            Some(Finding { diag: d, severity })
        })
        .collect();
    let db = &outcome.db;
    findings.sort_by_cached_key(|f| {
        let src = db.get(f.diag.loc.file);
        let lc = src.line_col(f.diag.loc.span.start);
        (
            !reads(f.diag.rule),
            src.display.clone(),
            lc.line,
            lc.column,
            f.diag.rule.name(),
            f.diag.message.clone(),
        )
    });
    outcome.findings = findings;
    outcome
}

/// Whether `rule` reports a problem met while reading the files into a model (a file that does
/// not parse, an import, a name, a value, the configuration): such a finding is printed before
/// the checks that run on the model, whose findings it often causes (a mistyped `->` leaves
/// stages unreachable).
pub fn reads(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::Syntax
            | RuleId::BidiControl
            | RuleId::ImportError
            | RuleId::InvalidConfig
            | RuleId::UndefinedReference
            | RuleId::DuplicateDefinition
            | RuleId::InvalidValue
    )
}

/// Files read, parsed and checked together before their ASTs are dropped.
const BATCH: usize = 64;

/// The `syntax` finding for the syntax error of `file` (whose text is `text`): the one
/// conversion, for `sopc check` and `sopc fmt` alike.
pub fn syntax_diagnostic(file: FileId, e: &SyntaxError, text: &str) -> Diagnostic {
    let loc = Loc::new(file, e.span);
    let d = Diagnostic::of(loc, FindingData::Syntax(e.kind.clone()));
    match syntax_fix(loc, e, text) {
        Some(fix) => d.with_fix(fix),
        None => d,
    }
}

/// The fix of a syntax error when it is known: for full-width punctuation what makes the text
/// parse there (the ASCII, both quotes of a full-width pair on the line, or nothing), the keyword
/// a misspelt one is close to.
fn syntax_fix(loc: Loc, e: &SyntaxError, text: &str) -> Option<Fix> {
    if let SyntaxErrorKind::HyphenInName { name } = &e.kind {
        let underscored = name.replace('-', "_");
        return Some(Fix::replace(
            format!("change `{name}` to `{underscored}`"),
            loc,
            underscored,
            Applicability::Safe,
        ));
    }
    if let SyntaxErrorKind::AttributeColon { .. } = &e.kind {
        // `owner:r` keeps a space between the keyword and its value.
        let spaced = text[e.span.end..].starts_with(char::is_whitespace);
        return Some(Fix::replace(
            "remove the `:`",
            loc,
            if spaced { "" } else { " " },
            Applicability::Safe,
        ));
    }
    let SyntaxErrorKind::Unexpected {
        suggestion: Some(s),
        ..
    } = &e.kind
    else {
        return None;
    };
    let written = text.get(e.span.start..e.span.end)?;
    let Some(advice) = fullwidth::advice(written, s) else {
        return Some(Fix::replace(
            format!("change `{written}` to `{s}`"),
            loc,
            s.clone(),
            Applicability::Safe,
        ));
    };
    let mut edits = fullwidth::edits(text, e.span, s).into_iter();
    let (_, first) = edits.next()?;
    let mut fix = Fix::replace(advice, loc, first, Applicability::Safe);
    fix.edits.extend(edits.map(|(span, new_text)| Edit {
        loc: Loc::new(loc.file, span),
        new_text,
    }));
    Some(fix)
}

/// A document is a file with a `sop` header; a file without one is a library.
fn is_document(db: &SourceDb, f: FileId) -> bool {
    db.get(f).ast().is_some_and(|ast| ast.is_document())
}

/// Follows the imports of `file` (reading them into `db`); the job that checks it, unless a
/// syntax error in an import stops it.
fn document_job(
    db: &mut SourceDb,
    file: FileId,
    imported: &mut HashSet<FileId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Job> {
    let root = model::project_root(&db.get(file).canonical);
    let doc = model::document_files(db, file, &root);
    diags.extend(doc.diagnostics);
    imported.extend(doc.files.iter().copied().filter(|&f| f != file));
    // A syntax error in an import: its own report says it all.
    let broken = doc.files.iter().any(|f| db.get(*f).ast().is_none());
    (!broken).then_some(Job::Document(file, doc.files))
}

/// Checks every job on every core.
fn run_jobs(
    outcome: &mut CheckOutcome,
    jobs: &[Job],
    options: &CheckOptions,
    diags: &mut Vec<Diagnostic>,
) {
    let db = &outcome.db;
    let today = options.today.unwrap_or_else(lint::calendar::Day::today_utc);
    for (found, m) in crate::parallel::map(jobs, |job| run_job(db, job, today)) {
        diags.extend(found);
        if options.keep_models {
            outcome.models.extend(m);
        }
    }
}

/// One unit of checking.
enum Job {
    /// A file with everything it imports, checked as one document (or as a library on its own).
    Document(FileId, Vec<FileId>),
    /// A library the user named that a document imports: checked inside that document, but a
    /// pipeline in it still needs a header of its own.
    HeaderOnly(FileId),
}

fn run_job(
    db: &SourceDb,
    job: &Job,
    today: lint::calendar::Day,
) -> (Vec<Diagnostic>, Option<model::Model>) {
    match job {
        Job::HeaderOnly(file) => {
            let (m, _) = model::lower(db, &[*file], *file);
            let cx = Context {
                db,
                model: &m,
                given: true,
                today,
            };
            let mut out = Vec::new();
            let check = lint::rules::missing_header::MISSING_HEADER
                .check
                .expect("a model check");
            check(&cx, &mut out);
            (out, None)
        }
        Job::Document(file, files) => {
            let (m, mut out) = model::lower(db, files, *file);
            let cx = Context {
                db,
                model: &m,
                given: true,
                today,
            };
            out.extend(lint::check(&cx));
            (out, Some(m))
        }
    }
}
