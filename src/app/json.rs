//! Machine output: the JSON object of `sopc check --format json` (see `docs/json.md`), and
//! GitHub workflow commands.

use std::io::{self, Write};

use serde::Serialize;

use crate::diag::{Diagnostic, FindingData, Loc, Severity};
use crate::driver::CheckOutcome;
use crate::model::SourceDb;

#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    data: Data<'a>,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    new_text: &'a str,
}

/// A place in the data of a finding.
#[derive(Serialize)]
pub(super) struct Place<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// The data of a finding as JSON: its [`FindingData`] with places as file, line and column; for
/// a check's finding, the check's name (with `_`) as `kind` and the `names` it is about.
pub(super) fn data<'a>(db: &'a SourceDb, d: &'a Diagnostic) -> Data<'a> {
    match &d.data {
        Some(data) => Data::Finding(data.map_places(|loc| {
            let r = region(db, *loc);
            Place {
                file: &db.get(loc.file).display,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
            }
        })),
        None => Data::Check {
            kind: d.rule.name().replace('-', "_"),
            names: &d.names,
        },
    }
}

/// The `data` of one finding.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Data<'a> {
    Finding(FindingData<Place<'a>>),
    Check { kind: String, names: &'a [String] },
}

fn fixes<'a>(db: &'a SourceDb, d: &'a Diagnostic) -> Vec<JsonFix<'a>> {
    d.fixes
        .iter()
        .map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let r = region(db, e.loc);
                    JsonEdit {
                        file: &db.get(e.loc.file).display,
                        line: r.line,
                        column: r.column,
                        end_line: r.end_line,
                        end_column: r.end_column,
                        new_text: &e.new_text,
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// 1-based line and column of the start, and of the position just past the end.
pub(super) struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub(super) fn region(db: &SourceDb, loc: Loc) -> Region {
    let src = db.get(loc.file);
    let start = src.line_col(loc.span.start);
    let end = src.line_col(loc.span.end);
    Region {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn write(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let db = &outcome.db;
    let diagnostics = outcome
        .findings
        .iter()
        .map(|f| {
            let d = &f.diag;
            let r = region(db, d.loc);
            JsonDiagnostic {
                rule: d.rule.name(),
                severity: f.severity.as_str(),
                message: &d.message,
                file: &db.get(d.loc.file).display,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
                // The primary label first, at the finding's place, then the second places.
                labels: d
                    .label
                    .iter()
                    .map(|text| (d.loc, text))
                    .chain(d.labels.iter().map(|l| (l.loc, &l.message)))
                    .map(|(loc, message)| {
                        let r = region(db, loc);
                        JsonLabel {
                            message,
                            file: &db.get(loc.file).display,
                            line: r.line,
                            column: r.column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        }
                    })
                    .collect(),
                help: d.help.as_deref(),
                data: data(db, d),
                fixes: fixes(db, d),
            }
        })
        .collect();
    let output = JsonOutput {
        diagnostics,
        summary: JsonSummary {
            files: db.sop_count(),
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            infos: outcome.count(Severity::Info),
        },
    };
    serde_json::to_writer(&mut *out, &output).map_err(io::Error::other)?;
    writeln!(out)
}

/// Escapes data for a workflow command (`%`, CR, LF), and for a property also `:` and `,`. Other
/// control and bidirectional characters, which the runner's log would interpret, are shown as
/// visible escapes (`\u{1b}`).
fn escape(text: &str, property: bool) -> String {
    let text = crate::render::escape::visible_with(text, |c| c == '\r' || c == '\n');
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => s.push_str("%25"),
            '\r' => s.push_str("%0D"),
            '\n' => s.push_str("%0A"),
            ':' if property => s.push_str("%3A"),
            ',' if property => s.push_str("%2C"),
            c => s.push(c),
        }
    }
    s
}

/// One `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE` line per
/// finding; the end is the position just past the finding, as in the JSON.
pub fn write_github(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let db = &outcome.db;
    for f in &outcome.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let r = region(db, f.diag.loc);
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape(&db.get(f.diag.loc.file).display, true),
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            escape(f.diag.rule.name(), true),
            escape(&f.diag.message, false)
        )?;
    }
    Ok(())
}
