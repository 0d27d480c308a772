//! Finding the `.sop` files of a directory: what `sopc check DIR`, `fmt DIR` and `build DIR`
//! read.
//!
//! The rules (documented in `docs/files.md`): every file whose name ends in `.sop`, in the
//! directory and below; hidden files and directories (a name starting with `.`) are skipped, and
//! so is what `.ignore` files exclude, and `.gitignore` inside a git repository. A symbolic link
//! is followed only when it leads to a regular file or a directory inside the project root of
//! the walked directory; any other link, and any `.sop` that is a FIFO, a device or a socket, is
//! left out and reported. Sorted by path, so runs are reproducible.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::read;

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The `.sop` files, sorted, as paths under the walked directory.
    pub files: Vec<PathBuf>,
    /// Paths left out, with why: links that lead out of the project, special files, loops.
    pub skipped: Vec<(PathBuf, String)>,
    /// Directories that could not be read, with why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Every `.sop` file in `dir`, by the rules above.
pub fn sop_files(dir: &Path) -> Walk {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let root = crate::model::project_root_of_dir(&canonical);
    let refused: Arc<Mutex<Vec<(PathBuf, String)>>> = Arc::default();
    let noted = Arc::clone(&refused);
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            if entry.depth() == 0 || !entry.path_is_symlink() {
                return true;
            }
            match read::follow_link(entry.path(), &root) {
                Ok(_) => true,
                Err(why) => {
                    // Only what sopc would have read is worth a note.
                    let relevant =
                        entry.file_type().is_some_and(|t| t.is_dir()) || is_sop(entry.path());
                    if relevant && let Ok(mut list) = noted.lock() {
                        list.push((entry.path().to_path_buf(), why.to_string()));
                    }
                    false
                }
            }
        })
        .build();
    let mut out = Walk::default();
    for result in walker {
        match result {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() || !is_sop(entry.path()) {
                    continue;
                }
                if kind.is_file() {
                    out.files.push(entry.into_path());
                } else if let Err(why) = read::kind_of(entry.path()) {
                    out.skipped.push((entry.into_path(), why.to_string()));
                }
            }
            Err(e) => walk_error(&e, &mut out),
        }
    }
    if let Ok(mut list) = refused.lock() {
        out.skipped.append(&mut list);
    }
    out.files.sort();
    out.skipped.sort();
    out
}

/// A problem met while walking: a `.sop` link that leads nowhere is read (and reported as
/// missing) like any file; a link loop is left out; a folder that cannot be read is an error.
fn walk_error(e: &ignore::Error, out: &mut Walk) {
    let (path, loop_) = error_path(e);
    let Some(path) = path else {
        // Not tied to a path (a bad pattern in an ignore file): say so, but check the rest.
        out.skipped.push((PathBuf::new(), e.to_string()));
        return;
    };
    if loop_ {
        out.skipped.push((
            path,
            "the link leads back into a folder being walked".into(),
        ));
    } else if is_sop(&path) && !path.is_dir() {
        out.files.push(path);
    } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() || m.is_symlink()) {
        let why = e
            .io_error()
            .map_or_else(|| e.to_string(), ToString::to_string);
        out.unreadable.push((path, why));
    }
}

fn error_path(e: &ignore::Error) -> (Option<PathBuf>, bool) {
    match e {
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::WithPath { path, err } => {
            let (inner, loop_) = error_path(err);
            (inner.or_else(|| Some(path.clone())), loop_)
        }
        ignore::Error::Loop { child, .. } => (Some(child.clone()), true),
        _ => (None, false),
    }
}

fn is_sop(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "sop")
}

/// How many `.sop` files under `dir` the walk's filters left out, for the message of a walk that
/// found none: in hidden files or directories, and excluded by ignore files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// `.sop` files that are, or are inside, a hidden file or directory (a name starting with `.`).
    pub hidden: usize,
    /// Every other `.sop` file left out: those that `.ignore` or `.gitignore` files exclude.
    pub ignored: usize,
}

/// Walks `dir` again with no filter at all (links not followed) and counts the `.sop` files the
/// real walk did not find, other than those it reported as skipped.
pub fn left_out(dir: &Path, walk: &Walk) -> LeftOut {
    let mut out = LeftOut::default();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .build();
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        if entry.depth() == 0
            || !is_sop(path)
            || entry.file_type().is_some_and(|t| t.is_dir())
            || walk.files.iter().any(|f| f == path)
            || walk.skipped.iter().any(|(s, _)| s == path)
        {
            continue;
        }
        let inside = path.strip_prefix(dir).unwrap_or(path);
        let hidden = inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if hidden {
            out.hidden += 1;
        } else {
            out.ignored += 1;
        }
    }
    out
}
