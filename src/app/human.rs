//! Human output: miette's graphical reports, then a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

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
    source: Source,
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

/// A file's text for miette, reporting columns in characters as the rest of sopc does (miette's
/// own count is in bytes, which is wrong for Chinese text).
#[derive(Debug)]
struct Source {
    name: String,
    text: String,
}

impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let start = inner.span().offset();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = if inner.column() == 0 {
            0
        } else {
            self.text[line_start..start].chars().count()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

fn source(db: &SourceDb, loc: Loc) -> Source {
    let src = db.get(loc.file);
    Source {
        name: src.display.clone(),
        text: src.text.clone(),
    }
}

fn span(loc: Loc) -> miette::SourceSpan {
    (loc.span.start, loc.span.len()).into()
}

fn report(db: &SourceDb, finding: &Finding) -> Report {
    let d = &finding.diag;
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        d.label.clone(),
        span(d.loc),
    )];
    let mut related = Vec::new();
    for l in &d.labels {
        if l.loc.file == d.loc.file {
            labels.push(LabeledSpan::new_with_span(
                Some(l.message.clone()),
                span(l.loc),
            ));
        } else {
            related.push(Report {
                code: "",
                message: l.message.clone(),
                severity: Severity::Info,
                help: None,
                labels: vec![LabeledSpan::new_primary_with_span(None, span(l.loc))],
                source: source(db, l.loc),
                related: Vec::new(),
            });
        }
    }
    Report {
        code: d.rule,
        message: d.message.clone(),
        severity: finding.severity,
        help: d.help.clone(),
        labels,
        source: source(db, d.loc),
        related,
    }
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
        writeln!(out, "{text}")?;
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
