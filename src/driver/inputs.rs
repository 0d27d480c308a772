//! The files a run reads: each path named, and the `*.sop` files of each directory named.

use crate::text::ShowPath;
use std::path::{Path, PathBuf};

use crate::files::walk;

/// Why the paths on the command line give nothing to check: a path that does not exist, or a
/// folder without a `.sop` file. The message is complete, without `error: `.
#[derive(Debug)]
pub struct PathError(pub String);

/// What a run reads.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The files to check, each with the path to show for it.
    pub files: Vec<(PathBuf, String)>,
    /// Paths the directory walks left out, with why (shown as notes).
    pub skipped: Vec<(String, String)>,
    /// Folders the walks could not read, with why.
    pub unreadable: Vec<(String, String)>,
}

/// The files to check: each path named, and every `*.sop` in each directory named.
pub fn expand(paths: &[PathBuf]) -> Result<Inputs, PathError> {
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let mut out = Inputs::default();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|_| PathError(format!("`{}` does not exist", p.shown())))?;
        if !meta.is_dir() {
            // Named by the user: read wherever it leads, but only if it is a regular file.
            out.files.push((p.clone(), p.display().to_string()));
            continue;
        }
        let found = walk::sop_files(p);
        if found.files.is_empty() && found.unreadable.is_empty() {
            return Err(PathError(nothing_found(p, &found)));
        }
        let show = |(f, why): (PathBuf, String)| (display_path(p, &f), why);
        out.files.extend(
            found
                .files
                .into_iter()
                .map(|f| (f.clone(), display_path(p, &f))),
        );
        out.skipped.extend(found.skipped.into_iter().map(show));
        out.unreadable
            .extend(found.unreadable.into_iter().map(show));
    }
    Ok(out)
}

/// The message for a directory without a `.sop` file to check: most likely the wrong folder,
/// or files hidden by the walking rules.
fn nothing_found(dir: &Path, found: &walk::Walk) -> String {
    let left = walk::left_out(dir, found);
    let files = |n: usize| {
        if n == 1 {
            "1 `.sop` file is".to_string()
        } else {
            format!("{n} `.sop` files are")
        }
    };
    let mut reasons = Vec::new();
    if left.ignored > 0 {
        reasons.push(format!(
            "{} excluded by `.gitignore` or `.ignore` rules",
            files(left.ignored)
        ));
    }
    if left.hidden > 0 {
        reasons.push(format!(
            "{} in hidden folders or files (named `.*`)",
            files(left.hidden)
        ));
    }
    if !found.skipped.is_empty() {
        let n = found.skipped.len();
        reasons.push(if n == 1 {
            "1 path was skipped (below)".to_string()
        } else {
            format!("{n} paths were skipped (below)")
        });
    }
    let mut message = format!("no `.sop` file found in `{}`", dir.shown());
    if reasons.is_empty() {
        message.push_str("; name the folder or the files that hold your SOPs");
    } else {
        message.push_str(&format!(
            ": {}; name a file on the command line to check it anyway",
            reasons.join(", ")
        ));
    }
    for (path, why) in &found.skipped {
        message.push_str(&format!(
            "\nnote: skipped `{}`: {why}",
            crate::text::visible(&display_path(dir, path))
        ));
    }
    message
}

/// `dir` as the user wrote it joined with the file's path inside it.
fn display_path(dir: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(dir).unwrap_or(file);
    if dir == Path::new(".") {
        rel.display().to_string()
    } else {
        dir.join(rel).display().to_string()
    }
}
