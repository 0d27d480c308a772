//! `sopc diff --git BASE [PATH...]`: the old side read from git with the `git` command, held in
//! a workspace's in-memory overlays at the files' places in the work tree, so that its imports
//! and its `sopc.yaml` are the old ones too. Nothing is checked out or written.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::sides::{Side, options, relative};
use crate::driver::{CheckOutcome, Workspace, check_paths};

/// The sides of `--git BASE [PATH...]`, and the old path of each file renamed (by new path).
pub fn git_sides(
    base: &str,
    paths: &[PathBuf],
) -> Result<(Side, Side, BTreeMap<String, String>), String> {
    let top = git(Path::new("."), &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("`--git` needs a git repository: run `sopc diff` inside one ({e})"))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let top = top.canonicalize().unwrap_or(top);
    let (old_rev, new_rev) = revisions(&top, base)?;
    let specs: Vec<String> = paths
        .iter()
        .map(|p| pathspec(&top, p))
        .collect::<Result<_, _>>()?;
    let under = |path: &str| {
        specs.is_empty()
            || specs
                .iter()
                .any(|s| s.is_empty() || path == s || path.starts_with(&format!("{s}/")))
    };
    // Renames: `git diff -M` pairs an old path with its new one.
    let mut args = vec!["diff", "--name-status", "-z", "-M", old_rev.as_str()];
    if let Some(n) = &new_rev {
        args.push(n.as_str());
    }
    args.push("--");
    let out = git(&top, &args)?;
    let mut old_paths = BTreeMap::new();
    let mut new_names = BTreeMap::new();
    let fields: Vec<String> = out
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut i = 0;
    while i < fields.len() {
        let status = &fields[i];
        if status.starts_with('R') && i + 2 < fields.len() {
            old_paths.insert(fields[i + 2].clone(), fields[i + 1].clone());
            new_names.insert(fields[i + 1].clone(), fields[i + 2].clone());
            i += 3;
        } else if status.starts_with('C') {
            i += 3;
        } else {
            i += 2;
        }
    }
    let label = base.to_string();
    let old = tree_side(&top, &old_rev, label.clone(), &under, &new_names)?;
    let new = match &new_rev {
        Some(rev) => tree_side(&top, rev, rev.clone(), &under, &BTreeMap::new())?,
        None => {
            let paths: Vec<PathBuf> = if specs.is_empty() {
                vec![top.clone()]
            } else {
                specs
                    .iter()
                    .map(|s| top.join(s))
                    .filter(|p| p.exists())
                    .collect()
            };
            let outcome = if paths.is_empty() {
                CheckOutcome::default()
            } else {
                check_paths(&paths, &options()).unwrap_or_default()
            };
            Side::new("work tree".into(), outcome, |c| relative(c, &top))
        }
    };
    // Only what PATH names, on both sides, is compared; imports from elsewhere still resolve.
    Ok((old, new, old_paths))
}

/// The revisions of `BASE`: `A..B` and `A...B` (from where B left A) compare two commits,
/// a single revision compares with the work tree.
fn revisions(top: &Path, base: &str) -> Result<(String, Option<String>), String> {
    let head = |s: &str| {
        if s.is_empty() {
            "HEAD".to_string()
        } else {
            s.to_string()
        }
    };
    let (old, new) = if let Some((a, b)) = base.split_once("...") {
        let (a, b) = (head(a), head(b));
        verify(top, &a)?;
        verify(top, &b)?;
        let out = git(top, &["merge-base", &a, &b])
            .map_err(|e| format!("`{a}` and `{b}` have no common ancestor ({e})"))?;
        (String::from_utf8_lossy(&out).trim().to_string(), Some(b))
    } else if let Some((a, b)) = base.split_once("..") {
        (head(a), Some(head(b)))
    } else {
        (base.to_string(), None)
    };
    verify(top, &old)?;
    if let Some(n) = &new {
        verify(top, n)?;
    }
    Ok((old, new))
}

fn verify(top: &Path, rev: &str) -> Result<(), String> {
    if rev.starts_with('-') {
        return Err(format!(
            "`{rev}` is not a revision; name a branch, tag or commit"
        ));
    }
    git(top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map(|_| ())
        .map_err(|_| {
            format!("`{rev}` is not a commit in this repository; name a branch, tag or commit (such as `main` or `HEAD~1`)")
        })
}

/// `path` (as the user wrote it, from the current folder) relative to the repository's top.
fn pathspec(top: &Path, path: &Path) -> Result<String, String> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = crate::model::normalize(&abs);
    let resolved = match abs.canonicalize() {
        Ok(c) => c,
        Err(_) => match (abs.parent().map(Path::canonicalize), abs.file_name()) {
            (Some(Ok(dir)), Some(name)) => dir.join(name),
            _ => abs.clone(),
        },
    };
    match resolved.strip_prefix(top) {
        Ok(rel) => Ok(rel.display().to_string().replace('\\', "/")),
        Err(_) => Err(format!(
            "`{}` is outside the git repository at `{}`; name a path inside it",
            path.display(),
            top.display()
        )),
    }
}

/// The side of one commit: its `.sop` files and `sopc.yaml` files as overlays at their places
/// under `top`, the files under PATH checked (`renamed` gives each old path its new name).
fn tree_side(
    top: &Path,
    rev: &str,
    label: String,
    under: &dyn Fn(&str) -> bool,
    renamed: &BTreeMap<String, String>,
) -> Result<Side, String> {
    let out = git(
        top,
        &["ls-tree", "-r", "-z", "--full-tree", "--name-only", rev],
    )?;
    let names: Vec<String> = out
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .filter(|n| n.ends_with(".sop") || n == "sopc.yaml" || n.ends_with("/sopc.yaml"))
        .collect();
    let blobs = cat_blobs(top, rev, &names)?;
    let mut ws = Workspace::new();
    let mut checked = Vec::new();
    for (name, bytes) in names.iter().zip(blobs) {
        let place = top.join(name);
        ws.set_overlay(&place, bytes);
        if name.ends_with(".sop") && under(renamed.get(name).unwrap_or(name)) {
            checked.push(place);
        }
    }
    let outcome = if checked.is_empty() {
        CheckOutcome::default()
    } else {
        ws.check_paths(&checked, &options()).map_err(|e| e.0)?
    };
    Ok(Side::new(label, outcome, |c| {
        let rel = relative(c, top);
        renamed.get(&rel).cloned().unwrap_or(rel)
    }))
}

/// The blobs `rev:name` of every name, read by one `git cat-file --batch`.
fn cat_blobs(top: &Path, rev: &str, names: &[String]) -> Result<Vec<Vec<u8>>, String> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run `git`: {e}; install git or put it on PATH"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input: String = names.iter().map(|n| format!("{rev}:{n}\n")).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut out = Vec::new();
    let read = child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_end(&mut out);
    let _ = writer.join();
    let _ = child.wait();
    read.map_err(|e| format!("cannot read from `git cat-file`: {e}"))?;
    let mut blobs = Vec::new();
    let mut rest = &out[..];
    for name in names {
        let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .filter(|_| header.contains(" blob "))
            .ok_or_else(|| format!("cannot read `{name}` at `{rev}` from git: {header}"))?;
        let body = rest
            .get(end + 1..end + 1 + size)
            .ok_or_else(|| format!("cannot read `{name}` at `{rev}` from git"))?;
        blobs.push(body.to_vec());
        rest = rest.get(end + 2 + size..).unwrap_or(&[]);
    }
    Ok(blobs)
}

/// Runs `git -C dir ARGS`; its standard output, or what it said on failure.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `git`: {e}; install git or put it on PATH"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(said
            .lines()
            .next()
            .unwrap_or("git failed")
            .trim()
            .to_string())
    }
}
