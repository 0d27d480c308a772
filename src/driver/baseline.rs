//! Fingerprints of findings, and baselines made of them: the findings a repository accepted
//! when it adopted sopc (`sopc check --write-baseline FILE`), left out of later runs
//! (`--baseline FILE`) so that only new ones are reported.
//!
//! A fingerprint is made of the check, the file (relative to its project root) and what the
//! finding is about: the qualified ids it names and the source text it points at. It has no
//! line or column, so an edit elsewhere in the file does not make an accepted finding new.
//! Identical findings in one file are told apart by their order.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::check::{CheckOutcome, Finding};
use crate::model::{self, SourceDb};

/// The format version of a baseline file; bump it when the fingerprint's inputs change.
pub const BASELINE_VERSION: u32 = 1;

/// The fingerprint of every finding of `outcome`, in the order of `outcome.findings`.
pub fn fingerprints(outcome: &CheckOutcome) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    outcome
        .findings
        .iter()
        .map(|f| {
            let key = key(&outcome.db, f);
            let nth = seen.entry(key.clone()).or_default();
            *nth += 1;
            fnv(&[&key, &nth.to_string()])
        })
        .collect()
}

/// What identifies a finding, without its place: check, file, ids, text.
fn key(db: &SourceDb, f: &Finding) -> String {
    let src = db.get(f.diag.loc.file);
    let root = model::project_root(&src.canonical);
    let file = src
        .canonical
        .strip_prefix(&root)
        .unwrap_or(&src.canonical)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let span = f.diag.loc.span;
    let text = src
        .text
        .get(span.start..span.end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    [f.diag.rule.name(), &file, &f.diag.names.join("."), &text].join("\u{0}")
}

/// FNV-1a (64 bits) of the parts: the same value on every machine and every build.
fn fnv(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// One recorded finding. Only the fingerprint counts; the rest is for people reading the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    file: String,
    message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    sopc_baseline: u32,
    findings: Vec<Entry>,
}

/// The findings a repository accepted.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Reads a baseline file's text; the error says what is wrong with it.
    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            format!("it is not a baseline written by `sopc check --write-baseline` ({e})")
        })?;
        if file.sopc_baseline != BASELINE_VERSION {
            return Err(format!(
                "it is a baseline of version {}, this sopc reads version {BASELINE_VERSION}",
                file.sopc_baseline
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// The baseline file recording every finding of `outcome`, sorted so that it diffs well.
    pub fn to_json(outcome: &CheckOutcome) -> String {
        let mut findings: Vec<Entry> = outcome
            .findings
            .iter()
            .zip(fingerprints(outcome))
            .map(|(f, fingerprint)| Entry {
                fingerprint,
                rule: f.diag.rule.name().to_string(),
                file: outcome.db.get(f.diag.loc.file).display.clone(),
                message: f.diag.message.clone(),
            })
            .collect();
        findings.sort_by(|a, b| {
            (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint))
        });
        let file = File {
            sopc_baseline: BASELINE_VERSION,
            findings,
        };
        serde_json::to_string_pretty(&file).expect("plain data serializes") + "\n"
    }

    /// Leaves out of `outcome` the findings recorded here; returns how many were left out.
    pub fn filter(&self, outcome: &mut CheckOutcome) -> usize {
        let keep: Vec<bool> = fingerprints(outcome)
            .iter()
            .map(|f| !self.fingerprints.contains(f))
            .collect();
        let before = outcome.findings.len();
        let mut flags = keep.into_iter();
        outcome.findings.retain(|_| flags.next().unwrap_or(true));
        before - outcome.findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fnv(&[]), "cbf29ce484222325");
        assert_eq!(fnv(&["a"]), fnv(&["a"]));
        assert_ne!(fnv(&["ab", "c"]), fnv(&["a", "bc"]));
    }

    #[test]
    fn a_baseline_of_another_version_is_refused() {
        let err = Baseline::from_json("{\"sopc_baseline\": 9, \"findings\": []}").unwrap_err();
        assert!(err.contains("version 9"), "{err}");
        assert!(Baseline::from_json("{\"sopc_baseline\": 1, \"findings\": []}").is_ok());
    }
}
