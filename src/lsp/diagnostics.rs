//! Findings as LSP diagnostics: the range of each finding, its severity in force, its rule's
//! stable name as the code, its labels as related information.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString,
};

use super::Server;
use super::text::Lines;
use crate::diag::{FileId, Severity};
use crate::driver::{DocumentResult, Finding};
use crate::lint::RuleId;
use crate::model::SourceDb;

/// The line starts of the files of one result, computed once each.
pub(crate) struct LineCache<'a> {
    pub db: &'a SourceDb,
    lines: HashMap<FileId, Lines>,
}

impl<'a> LineCache<'a> {
    pub fn new(db: &'a SourceDb) -> Self {
        LineCache {
            db,
            lines: HashMap::new(),
        }
    }

    /// The path of a file of the result.
    pub fn path(&self, file: FileId) -> PathBuf {
        self.db.get(file).canonical.clone()
    }

    pub fn range(
        &mut self,
        file: FileId,
        span: crate::syntax::Span,
        enc: super::text::Encoding,
    ) -> lsp_types::Range {
        let text = &self.db.get(file).text;
        let lines = self.lines.entry(file).or_insert_with(|| Lines::new(text));
        lines.range(text, span, enc)
    }
}

/// The diagnostics of `result` that point into the file at `path`.
pub(crate) fn for_file(server: &Server, result: &DocumentResult, path: &Path) -> Vec<Diagnostic> {
    let mut cache = LineCache::new(&result.db);
    result
        .findings_in(path)
        .map(|f| convert(server, &mut cache, f))
        .collect()
}

/// The files other than SOP files (each `sopc.yaml`) with findings in `result`.
pub(crate) fn config_files(result: &DocumentResult) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = result
        .findings
        .iter()
        .map(|f| result.db.get(f.diag.loc.file))
        .filter(|s| !s.is_sop())
        .map(|s| s.canonical.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(crate) fn convert(server: &Server, cache: &mut LineCache, f: &Finding) -> Diagnostic {
    let d = &f.diag;
    let enc = server.enc;
    let (mut message, help) = match unsaved_import(cache, d) {
        Some(said) => said,
        None => (d.message.clone(), d.help.clone()),
    };
    if let Some(label) = &d.label
        && !repeats(&message, label)
    {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(
                server.uri_of(&cache.db.get(l.loc.file).canonical),
                cache.range(l.loc.file, l.loc.span, enc),
            ),
            message: l.message.clone(),
        })
        .collect();
    let tags = matches!(d.rule, RuleId::UnusedDefinition | RuleId::UnusedSuppression)
        .then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: cache.range(d.loc.file, d.loc.span, enc),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.name().to_string())),
        code_description: None,
        source: Some("sopc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: None,
    }
}

/// Whether the primary label of a finding says nothing the message does not: the range marks
/// the place already, so "unknown key `x` (unknown key)" would say it twice, and "here" or
/// "unexpected here" only points.
fn repeats(message: &str, label: &str) -> bool {
    let label = label.trim().trim_end_matches('?').to_lowercase();
    let core = label.strip_suffix("here").unwrap_or(&label).trim();
    core.is_empty() || core == "unexpected" || message.to_lowercase().contains(core)
}

/// What to say of an import in a buffer that has no file: relative to nothing, it cannot be
/// found until the buffer is saved.
fn unsaved_import(
    cache: &LineCache,
    d: &crate::diag::Diagnostic,
) -> Option<(String, Option<String>)> {
    use crate::finding_data::{FindingData, ImportProblem};
    if !super::text::is_unsaved(&cache.db.get(d.loc.file).canonical) {
        return None;
    }
    match &d.data {
        Some(FindingData::Import {
            path,
            problem: ImportProblem::Missing | ImportProblem::OutsideProject,
        }) => Some((
            format!("`{path}` cannot be imported by a buffer that is not saved"),
            Some(
                "save the buffer as a `.sop` file in its project: an import is found beside \
                 the file that imports it"
                    .into(),
            ),
        )),
        _ => None,
    }
}
