//! One side of a diff: a check run by the driver, with models kept, and a pairing key for each
//! file it read (its path relative to the side's folder), so that the two sides' files meet.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::entities::{self, Entity};
use super::report::{DocumentVersion, EntityKind, ParseError};
use crate::diag::FileId;
use crate::driver::{CheckOptions, CheckOutcome, check_paths};

/// One version of the files compared.
pub struct Side {
    /// How the command line named it.
    pub label: String,
    /// The driver's check of this side, with the models of its files kept.
    pub outcome: CheckOutcome,
    keys: HashMap<FileId, String>,
}

/// The options both sides are checked with: `sopc check`'s, models kept.
pub(crate) fn options() -> CheckOptions {
    CheckOptions {
        keep_models: true,
        ..CheckOptions::default()
    }
}

impl Side {
    /// A side from a check run; `key` names each file (by its canonical path) for pairing.
    pub fn new(label: String, outcome: CheckOutcome, key: impl Fn(&Path) -> String) -> Side {
        let keys = outcome
            .db
            .ids()
            .map(|id| (id, key(&outcome.db.get(id).canonical)))
            .collect();
        Side {
            label,
            outcome,
            keys,
        }
    }

    pub(crate) fn key(&self, id: FileId) -> String {
        self.keys.get(&id).cloned().unwrap_or_default()
    }

    pub(crate) fn text(&self, id: FileId) -> &str {
        &self.outcome.db.get(id).text
    }

    /// Every SOP file read, by pairing key.
    pub(crate) fn sop_files(&self) -> BTreeMap<String, FileId> {
        let db = &self.outcome.db;
        db.ids()
            .filter(|id| db.get(*id).is_sop())
            .map(|id| (self.key(id), id))
            .collect()
    }

    /// Why the file cannot be compared entity by entity: it does not parse, or it belongs to
    /// no model because a file it imports does not.
    pub(crate) fn parse_error(&self, id: FileId) -> Option<ParseError> {
        let db = &self.outcome.db;
        let broken = |f: FileId, rule: &str| {
            let src = db.get(f);
            let e = src.parsed.as_ref().err()?;
            let lc = src.line_col(e.span.start);
            Some(ParseError {
                rule: rule.into(),
                message: e.message(),
                file: self.key(f),
                line: lc.line,
                column: lc.column,
            })
        };
        if let Some(e) = broken(id, "syntax") {
            return Some(e);
        }
        let modelled = self.outcome.models.iter().any(|m| m.files.contains(&id));
        if modelled {
            return None;
        }
        db.ids().find_map(|f| broken(f, "import"))
    }

    /// The entities of every model, each once (a library imported by several documents).
    pub(crate) fn entities(&self) -> Vec<Entity> {
        let mut seen: HashSet<(String, EntityKind, String)> = HashSet::new();
        let mut out = Vec::new();
        for m in &self.outcome.models {
            let key = |f: FileId| Some(self.key(f));
            for e in entities::flatten(m, &key) {
                if seen.insert((e.file.clone(), e.kind, e.qid())) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The `version` of each document, by the pairing key of its file.
    fn versions(&self) -> BTreeMap<String, (Option<String>, Vec<String>)> {
        let mut out = BTreeMap::new();
        for m in &self.outcome.models {
            let (Some(root), Some(h)) = (m.root, &m.header) else {
                continue;
            };
            let files = m.files.iter().map(|f| self.key(*f)).collect();
            let version = h.version.as_ref().map(|v| entities::fold(&v.value));
            out.insert(self.key(root), (version, files));
        }
        out
    }
}

/// The version of every document of the new side, old beside new.
pub(crate) fn versions(
    old: &Side,
    new: &Side,
    semantic_files: &HashSet<String>,
) -> Vec<DocumentVersion> {
    let olds = old.versions();
    new.versions()
        .into_iter()
        .map(|(file, (version, files))| {
            let was = olds.get(&file);
            let old_version = was.and_then(|(v, _)| v.clone());
            DocumentVersion {
                bumped: was.is_some() && old_version != version,
                semantic: files.iter().any(|f| semantic_files.contains(f)),
                file,
                old: old_version,
                new: version,
            }
        })
        .collect()
}

/// The two sides of `sopc diff OLD NEW`: two files (paired with each other, their imports by
/// the path relative to each file's folder) or two folders (files paired by relative path).
pub fn path_sides(old: &Path, new: &Path) -> Result<(Side, Side), String> {
    let meta = |p: &Path| {
        std::fs::metadata(p).map_err(|_| {
            format!(
                "`{}` does not exist; name two files or two folders to compare",
                p.display()
            )
        })
    };
    let (mo, mn) = (meta(old)?, meta(new)?);
    if mo.is_dir() != mn.is_dir() {
        return Err(format!(
            "`{}` and `{}` must both be files or both be folders",
            old.display(),
            new.display()
        ));
    }
    let root_key = (!mn.is_dir()).then(|| slashes(&new.display().to_string()));
    let old_side = load(old, root_key.clone())?;
    let new_side = load(new, root_key)?;
    Ok((old_side, new_side))
}

/// Checks `path` (a file named `root_key` in the report, or a folder) as `sopc check` would.
fn load(path: &Path, root_key: Option<String>) -> Result<Side, String> {
    let outcome = match check_paths(&[path.to_path_buf()], &options()) {
        Ok(o) => o,
        // A folder without SOP files: every file of the other side is added or removed.
        Err(_) if path.is_dir() => CheckOutcome::default(),
        Err(e) => return Err(e.0),
    };
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let base: PathBuf = if path.is_dir() {
        canonical.clone()
    } else {
        canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let label = path.display().to_string();
    Ok(Side::new(label, outcome, |c| match &root_key {
        Some(k) if c == canonical => k.clone(),
        _ => relative(c, &base),
    }))
}

/// `path` relative to `base` with `/` between the parts, else the path itself.
pub(crate) fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    slashes(&rel.display().to_string())
}

fn slashes(s: &str) -> String {
    if std::path::MAIN_SEPARATOR == '/' {
        s.to_string()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
