//! `sopc diff`: what a change to an SOP means. Both sides are checked by the driver as `sopc
//! check` would check them; their models are flattened into entities (`entities.rs`), matched by
//! file, kind and qualified id after renames (`compare.rs`), and the changes held against the
//! roles, the pipelines' graphs and the findings (`impact.rs`). `sides.rs` reads a side from
//! files or folders, `git.rs` from a git revision; `human.rs` and `markdown.rs` write the
//! report for people. A front end like `audit/`: it uses the driver, the model and `render/`'s
//! escapes, and nothing but `app/` uses it.

mod compare;
mod entities;
mod git;
mod human;
mod impact;
mod markdown;
mod report;
mod sides;

use std::collections::{BTreeMap, HashMap, HashSet};

pub use git::git_sides;
pub use human::human;
pub use markdown::markdown;
pub use report::*;
pub use sides::{Side, path_sides};

use entities::Entity;

/// Compares two sides. `old_paths` names, by new path, the old path of each file renamed.
pub fn diff(old: &Side, new: &Side, old_paths: &BTreeMap<String, String>) -> DiffReport {
    // Files: every SOP file read on either side, by pairing key.
    let old_files = old.sop_files();
    let new_files = new.sop_files();
    let renamed_back: HashMap<&str, &str> = old_paths
        .iter()
        .map(|(n, o)| (n.as_str(), o.as_str()))
        .collect();
    let mut keys: Vec<&String> = old_files.keys().chain(new_files.keys()).collect();
    keys.sort();
    keys.dedup();
    // A side that does not parse (or whose imports do not) is compared as text only.
    let mut text_only = HashSet::new();
    let mut errors = HashMap::new();
    for key in &keys {
        let o = old_files.get(*key).and_then(|f| old.parse_error(*f));
        let n = new_files.get(*key).and_then(|f| new.parse_error(*f));
        if o.is_some() || n.is_some() {
            text_only.insert((*key).clone());
        }
        errors.insert((*key).clone(), (o, n));
    }
    let keep = |e: &Entity| !text_only.contains(&e.file);
    let old_entities: Vec<Entity> = old.entities().into_iter().filter(keep).collect();
    let new_entities: Vec<Entity> = new.entities().into_iter().filter(keep).collect();
    let r = compare::renames(&old_entities, &new_entities);
    let changes: Vec<Change> = compare::changes(&old_entities, &new_entities, &r)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let changed_files: HashSet<&str> = changes.iter().map(|c| c.file.as_str()).collect();
    let mut files = Vec::new();
    for key in &keys {
        let (o, n) = (old_files.get(*key), new_files.get(*key));
        let same_text = match (o, n) {
            (Some(o), Some(n)) => old.text(*o) == new.text(*n),
            _ => false,
        };
        let has_changes = changed_files.contains(key.as_str());
        if same_text && !has_changes {
            continue;
        }
        let status = match (o, n) {
            (None, _) => FileStatus::Added,
            (_, None) => FileStatus::Removed,
            _ if renamed_back.contains_key(key.as_str()) => FileStatus::Renamed,
            _ => FileStatus::Modified,
        };
        let (old_parse_error, new_parse_error) = errors.remove(*key).unwrap_or_default();
        let semantic = if text_only.contains(*key) {
            !same_text
        } else {
            has_changes
        };
        files.push(FileDiff {
            path: (*key).clone(),
            status,
            old_path: (status == FileStatus::Renamed)
                .then(|| renamed_back[key.as_str()].to_string()),
            semantic,
            old_parse_error,
            new_parse_error,
        });
    }
    let semantic_files: HashSet<String> = files
        .iter()
        .filter(|f| f.semantic)
        .map(|f| f.path.clone())
        .collect();
    let affected_roles = impact::affected_roles(&changes, &old_entities, &new_entities, &r);
    let graph = impact::graph_impact(&old_entities, &new_entities, &r, &semantic_files);
    let findings = impact::findings(old, new, &old_entities, &new_entities, &r, &text_only);
    let versions = sides::versions(old, new, &semantic_files);
    let version = versions
        .iter()
        .find(|v| v.semantic)
        .or(versions.first())
        .map(|v| VersionChange {
            old: v.old.clone(),
            new: v.new.clone(),
            bumped: v.bumped,
        })
        .unwrap_or_default();
    let charts = markdown::charts(&changes, &new_entities);
    let summary = Summary {
        files: files.len(),
        changes: changes.len(),
        introduced: findings.introduced.len(),
        fixed: findings.fixed.len(),
    };
    DiffReport {
        schema_version: SchemaVersion,
        old: old.label.clone(),
        new: new.label.clone(),
        files,
        changes,
        affected_roles,
        graph,
        findings,
        version,
        versions,
        summary,
        charts,
    }
}
