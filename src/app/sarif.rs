//! SARIF 2.1.0 output, as GitHub code scanning accepts it: one run, every check of the registry
//! as a rule, one result per finding.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::json::region;
use crate::diag::{FileId, Fix, Loc, Severity};
use crate::driver::CheckOutcome;
use crate::lint::{Level, RULES, RuleInfo};
use crate::model::SourceDb;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Relative file URIs are relative to the directory sopc ran in, which CI runs at the
/// repository root: SARIF's conventional name for that base.
const SRCROOT: &str = "%SRCROOT%";

/// The key of our fingerprint; bump the version when its inputs change.
const FINGERPRINT_KEY: &str = "sopc/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Our columns count Unicode scalar values, not UTF-16 code units (SARIF's default for
    /// consumers that do not say).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// The finding's data (`--format json`'s `data`).
    properties: super::json::Data<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    /// Identifies a related location within its result; absent on the primary one.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Writes the SARIF log of a check run.
pub fn write(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let db = &outcome.db;
    let rules: Vec<Rule> = RULES.iter().map(|r| rule(r)).collect();
    let fingerprints = crate::driver::fingerprints(outcome);
    let results = outcome
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fingerprint)| {
            let d = &f.diag;
            let rule_index = d.rule.index();
            let primary = location(db, d.loc, None, d.label.as_deref());
            let text = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            SarifResult {
                rule_id: d.rule.name(),
                rule_index,
                level: severity_level(f.severity),
                message: Text { text },
                locations: [primary],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(db, l.loc, Some(i + 1), Some(&l.message)))
                    .collect(),
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
                properties: super::json::data(db, d),
                fixes: d.fixes.iter().map(|fix| sarif_fix(db, fix)).collect(),
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "sopc",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

/// A fix as SARIF: its edits grouped by file, in the order of their first edit.
fn sarif_fix(db: &SourceDb, fix: &Fix) -> SarifFix {
    let mut changes: Vec<(FileId, ArtifactChange)> = Vec::new();
    for edit in &fix.edits {
        let r = region(db, edit.loc);
        let replacement = Replacement {
            deleted_region: Region {
                start_line: r.line,
                start_column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
            },
            inserted_content: Text {
                text: edit.new_text.clone(),
            },
        };
        match changes.iter_mut().find(|(f, _)| *f == edit.loc.file) {
            Some((_, change)) => change.replacements.push(replacement),
            None => {
                let (uri, uri_base_id) = artifact_uri(&db.get(edit.loc.file).display);
                changes.push((
                    edit.loc.file,
                    ArtifactChange {
                        artifact_location: ArtifactLocation { uri, uri_base_id },
                        replacements: vec![replacement],
                    },
                ));
            }
        }
    }
    SarifFix {
        description: Text {
            text: fix.title.clone(),
        },
        artifact_changes: changes.into_iter().map(|(_, c)| c).collect(),
        properties: FixProperties {
            applicability: fix.applicability.as_str(),
        },
    }
}

fn rule(info: &RuleInfo) -> Rule {
    let docs = info.documentation();
    Rule {
        id: info.name,
        short_description: Text {
            text: info.summary.to_string(),
        },
        full_description: Text {
            text: what_it_does(&docs).unwrap_or_else(|| info.summary.to_string()),
        },
        help: Help {
            text: docs.clone(),
            markdown: docs,
        },
        default_configuration: Configuration {
            level: default_level(info.default),
        },
    }
}

/// The "What it does" section of a check's documentation, as one paragraph.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| l.trim() != "## What it does");
    lines.next()?;
    let text = lines
        .take_while(|l| !l.starts_with('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

fn default_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

fn severity_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn location(db: &SourceDb, loc: Loc, id: Option<usize>, message: Option<&str>) -> Location {
    let r = region(db, loc);
    let (uri, uri_base_id) = artifact_uri(&db.get(loc.file).display);
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: Region {
                start_line: r.line,
                start_column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
            },
        },
        message: message.map(|m| Text { text: m.into() }),
    }
}

/// The URI of a displayed path: relative to `%SRCROOT%` with forward slashes, or a `file:` URI
/// when the path is absolute; percent-encoded, since SARIF requires valid URI references.
fn artifact_uri(display: &str) -> (String, Option<&'static str>) {
    let slashed = if cfg!(windows) {
        display.replace('\\', "/")
    } else {
        display.to_string()
    };
    if Path::new(display).is_absolute() {
        let path = if slashed.starts_with('/') {
            slashed
        } else {
            // `C:/dir/file.sop`
            format!("/{slashed}")
        };
        // Keep a drive letter's colon readable; it is valid in a path after the first segment.
        return (format!("file://{}", encode_path(&path, true)), None);
    }
    let mut rel = slashed.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    (encode_path(rel, false), Some(SRCROOT))
}

/// Percent-encodes everything but unreserved characters, sub-delimiters, `@` and `/`. A `:`
/// is encoded too unless `keep_colon`: in a relative reference it would read as a scheme.
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&b)
            || (keep_colon && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(
            artifact_uri("examples/broken/a.sop"),
            ("examples/broken/a.sop".into(), Some(SRCROOT))
        );
        assert_eq!(artifact_uri("./a.sop").0, "a.sop");
        assert_eq!(
            artifact_uri("dir with space/销售#1%.sop").0,
            "dir%20with%20space/%E9%94%80%E5%94%AE%231%25.sop"
        );
        assert_eq!(artifact_uri("a:b.sop").0, "a%3Ab.sop");
    }

    #[cfg(unix)]
    #[test]
    fn absolute_paths_are_file_uris() {
        assert_eq!(
            artifact_uri("/tmp/x y.sop"),
            ("file:///tmp/x%20y.sop".into(), None)
        );
    }

    #[test]
    fn what_it_does_is_the_first_section() {
        let docs = "## What it does\n\nReports a thing\nthat is bad.\n\n## Why it matters\n\nx";
        assert_eq!(
            what_it_does(docs).as_deref(),
            Some("Reports a thing that is bad.")
        );
        assert_eq!(what_it_does("nothing"), None);
    }
}
