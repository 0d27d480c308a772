//! Human output: miette's graphical reports, then a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::terminal::{self, Snippet};
use crate::diag::{Loc, Severity};
use crate::driver::{CheckOutcome, Finding};
use crate::model::SourceDb;

/// One finding as miette sees it.
#[derive(Debug)]
struct Report {
    code: &'static str,
    message: String,
    severity: Severity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Snippet,
    related: Vec<Report>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl MietteDiagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn MietteDiagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}

/// The message and labels of a report, with the snippet of the file they point into.
struct Part {
    message: String,
    labels: Vec<(Option<String>, Loc)>,
}

/// A report for miette: user text escaped, and a [`Snippet`] of the lines the labels are on.
fn build(
    db: &SourceDb,
    code: &'static str,
    severity: Severity,
    help: Option<&str>,
    part: Part,
) -> Report {
    let file = part.labels[0].1.file;
    let src = db.get(file);
    let spans: Vec<_> = part.labels.iter().map(|(_, loc)| loc.span).collect();
    let (source, moved) = Snippet::new(&src.display, &src.text, &src.lines, &spans);
    let labels = part
        .labels
        .iter()
        .zip(moved)
        .enumerate()
        .map(|(i, ((text, _), span))| {
            let text = text.as_deref().map(|t| terminal::text(t).into_owned());
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })
        .collect();
    Report {
        code,
        message: terminal::text(&part.message).into_owned(),
        severity,
        help: help.map(|h| terminal::text(h).into_owned()),
        labels,
        source,
        related: Vec::new(),
    }
}

fn report(db: &SourceDb, finding: &Finding) -> Report {
    let d = &finding.diag;
    let mut main = Part {
        message: d.message.clone(),
        labels: vec![(d.label.clone(), d.loc)],
    };
    let mut related = Vec::new();
    for l in &d.labels {
        if l.loc.file == d.loc.file {
            main.labels.push((Some(l.message.clone()), l.loc));
        } else {
            let part = Part {
                message: l.message.clone(),
                labels: vec![(None, l.loc)],
            };
            related.push(build(db, "", Severity::Info, None, part));
        }
    }
    let mut report = build(db, d.rule.name(), finding.severity, d.help.as_deref(), main);
    report.related = related;
    report
}

/// Writes every finding and the summary line. `width` fixes the wrapping width (tests).
pub fn write(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    write_reports(out, outcome, color, width)?;
    writeln!(out, "{}", summary(outcome))
}

/// Writes every finding, without the summary line (`sopc fmt` reports syntax errors this way).
pub fn write_reports(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut handler = GraphicalReportHandler::new_themed(theme);
    if let Some(w) = width {
        handler = handler.with_width(w);
    }
    for f in &outcome.findings {
        let mut text = String::new();
        handler
            .render_report(&mut text, &report(&outcome.db, f))
            .map_err(io::Error::other)?;
        writeln!(out, "{}", terminal::guard_lines(&text))?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "2 errors, 1 warning in 3 files"
pub fn summary(outcome: &CheckOutcome) -> String {
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let infos = outcome.count(Severity::Info);
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    format!(
        "{} in {}",
        parts.join(", "),
        plural(outcome.db.sop_count(), "file")
    )
}
