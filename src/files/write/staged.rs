//! A set of outputs moved into a folder all or nothing, replacing only what sopc wrote there.
//!
//! The folder `DIR` keeps a record of the files sopc wrote into it, `DIR/.sopc-build.json`,
//! each with a hash of its bytes. A build may replace a top-level entry of `DIR` (a file, or a
//! folder such as `NAME.checklists/`) only when everything in it is in the record, unchanged.
//!
//! The new outputs are written into `DIR/.sopc-build/new/` and flushed. Then a journal,
//! `DIR/.sopc-build/journal`, lists the entries to move in; each old entry is moved into
//! `DIR/.sopc-build/old/`, then its new one into place; the record is the last entry. Once all
//! are in, the journal is removed, then the work folder. A run that finds a work folder
//! finishes it first: without a journal, it held only staged files and is removed; with a
//! journal that says `forward`, every new entry is still in `new/` or already in place, so
//! the moves are finished; with `back` (a failure while moving), every entry moved is put back.
//! So after a failure or a kill at any step, `DIR` holds the whole old set or, once the next
//! build has started, the whole new set.

use crate::text::ShowPath;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{
    Keep, context, describe, fault, file_in_the_way, flush_staged, sync_dir, worded,
    write_atomically, write_staged,
};

/// The record of outputs, in `DIR`.
pub const RECORD: &str = ".sopc-build.json";
/// The work folder of a build, in `DIR`.
pub const WORK: &str = ".sopc-build";
const JOURNAL: &str = "journal";

/// Why a set of outputs was not moved in.
#[derive(Debug)]
pub enum PublishError {
    /// `DIR` was not changed (or was put back exactly as it was).
    Unchanged(String),
    /// `DIR` is left partly changed; the next build into it finishes or undoes the change.
    Partial(String),
}

/// What finishing an interrupted build did, to tell the user.
#[derive(Debug, PartialEq, Eq)]
pub enum Recovered {
    /// There was nothing to finish.
    Nothing,
    /// Only staged files were left; they were removed.
    Cleaned,
    /// The new outputs of the interrupted build were all moved in.
    Finished,
    /// The previous outputs were put back.
    PutBack,
}

#[derive(Serialize, Deserialize, Default)]
struct Record {
    /// Says what the file is to whoever opens it.
    about: String,
    /// Every file sopc wrote in `DIR`, by path relative to it (with `/`), with its hash.
    files: BTreeMap<String, String>,
}

const ABOUT: &str = "the files sopc build wrote in this folder; it replaces only these";

#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Direction {
    Forward,
    Back,
}

#[derive(Serialize, Deserialize)]
struct Journal {
    direction: Direction,
    /// The top-level entries moved, in order.
    entries: Vec<String>,
}

/// Finishes or undoes a build of `dir` that was interrupted, and removes what it left.
pub fn recover(dir: &Path) -> io::Result<Recovered> {
    let _lock = lock(dir)?;
    recover_locked(dir)
}

/// Holds `dir` for one build: a second `sopc build` into it meanwhile stops at once.
struct Lock(#[allow(dead_code, reason = "held for its lock, until dropped")] Option<fs::File>);

/// Takes the lock of `dir` (an advisory `flock` on the folder itself, so nothing is left
/// behind); where the folder cannot be opened or the file system has no locks, goes on without.
fn lock(dir: &Path) -> io::Result<Lock> {
    let Ok(folder) = fs::File::open(dir) else {
        return Ok(Lock(None));
    };
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{FlockOperation, flock};
        if flock(&folder, FlockOperation::NonBlockingLockExclusive)
            == Err(rustix::io::Errno::WOULDBLOCK)
        {
            return Err(worded(
                io::ErrorKind::WouldBlock,
                "another `sopc build` is writing into this folder right now: wait for it to end",
            ));
        }
    }
    Ok(Lock(Some(folder)))
}

fn recover_locked(dir: &Path) -> io::Result<Recovered> {
    let work = dir.join(WORK);
    match fs::symlink_metadata(&work) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Recovered::Nothing),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => {
            return Err(worded(
                io::ErrorKind::AlreadyExists,
                format!(
                    "`{}` is in the way: sopc keeps its work folder there; remove it",
                    work.shown()
                ),
            ));
        }
        Ok(_) => {}
    }
    let journal = match fs::read(work.join(JOURNAL)) {
        Ok(bytes) => serde_json::from_slice::<Journal>(&bytes).ok(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let Some(journal) = journal else {
        // Written before anything in `dir` was touched (the journal is written whole).
        remove_work(&work)?;
        return Ok(Recovered::Cleaned);
    };
    let moves = Moves::new(dir, &work);
    match journal.direction {
        Direction::Forward => {
            for name in &journal.entries {
                moves.finish(name)?;
                fault::point("recover")?;
            }
        }
        Direction::Back => {
            for name in journal.entries.iter().rev() {
                moves.undo(name)?;
                fault::point("recover")?;
            }
        }
    }
    remove_work(&work)?;
    Ok(match journal.direction {
        Direction::Forward => Recovered::Finished,
        Direction::Back => Recovered::PutBack,
    })
}

/// Writes `outputs` (paths relative to `dir`, with their bytes) into `dir`, all or nothing:
/// creates `dir` when needed, refuses to replace an entry sopc did not write, and keeps the
/// record of outputs up to date. Outputs of earlier builds that this one does not write stay.
pub fn publish(dir: &Path, outputs: &[(PathBuf, Vec<u8>)]) -> Result<(), PublishError> {
    let unchanged = |e: io::Error| PublishError::Unchanged(describe(&e));
    if let Some(file) = file_in_the_way(dir) {
        let what = if file == dir {
            format!("`{}` is a file, not a folder", dir.shown())
        } else {
            format!(
                "`{}` is a file, so the folder `{}` cannot be made in it",
                file.shown(),
                dir.shown()
            )
        };
        return Err(PublishError::Unchanged(format!(
            "{what}: choose another `-o`"
        )));
    }
    let created = create_dirs(dir).map_err(unchanged)?;
    let undo_created = |e: PublishError| {
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        e
    };
    let _lock = lock(dir).map_err(|e| undo_created(PublishError::Unchanged(describe(&e))))?;
    recover_locked(dir).map_err(|e| {
        undo_created(PublishError::Unchanged(format!(
            "cannot finish the interrupted build left in `{}`: {}",
            dir.join(WORK).shown(),
            describe(&e)
        )))
    })?;
    remove_old_staging(dir);
    let record = read_record(dir);
    let entries: BTreeSet<String> = outputs.iter().filter_map(|(p, _)| top(p)).collect();
    let refused = refusals(dir, record.as_ref(), &entries);
    if !refused.is_empty() {
        let list: Vec<String> = refused.iter().map(|r| format!("\n  {r}")).collect();
        return Err(undo_created(PublishError::Unchanged(format!(
            "sopc replaces only what it wrote itself (it keeps the list in `{}`), and these are not:{}\nmove or remove them, or build into another folder with `-o`",
            dir.join(RECORD).shown(),
            list.concat()
        ))));
    }
    let mut files: BTreeMap<String, String> = record
        .map(|r| r.files)
        .unwrap_or_default()
        .into_iter()
        .filter(|(path, _)| !entries.contains(path.split('/').next().unwrap_or(path)))
        .collect();
    for (path, bytes) in outputs {
        files.insert(slashed(path), hash(bytes));
    }
    let record = Record {
        about: ABOUT.to_string(),
        files,
    };
    let mut record_bytes = serde_json::to_vec_pretty(&record).unwrap_or_default();
    record_bytes.push(b'\n');
    let work = dir.join(WORK);
    stage(&work, outputs, &record_bytes).map_err(|e| {
        let _ = remove_work(&work);
        undo_created(PublishError::Unchanged(format!(
            "cannot write the new outputs into `{}`: {}",
            work.shown(),
            describe(&e)
        )))
    })?;
    let mut order: Vec<String> = entries.into_iter().collect();
    order.push(RECORD.to_string());
    move_in(dir, &work, order).map_err(|e| match e {
        PublishError::Unchanged(_) => undo_created(e),
        partial @ PublishError::Partial(_) => partial,
    })
}

/// Removes the staging folders `.sopc-build-PID` that builds before the record of outputs left
/// when they were killed.
fn remove_old_staging(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if let Some(pid) = name.strip_prefix(".sopc-build-")
            && !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes the outputs and the record into `work/new`, all flushed to disk.
fn stage(work: &Path, outputs: &[(PathBuf, Vec<u8>)], record: &[u8]) -> io::Result<()> {
    fs::create_dir(work).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            worded(
                e.kind(),
                "another `sopc build` is writing into this folder right now",
            )
        } else {
            e
        }
    })?;
    let new = work.join("new");
    fs::create_dir(&new)?;
    let record_path = PathBuf::from(RECORD);
    let all = outputs
        .iter()
        .map(|(p, b)| (p, b.as_slice()))
        .chain([(&record_path, record)]);
    let mut folders = BTreeSet::new();
    for (path, bytes) in all {
        let full = new.join(path);
        if let Some(parent) = full.parent()
            && folders.insert(parent.to_path_buf())
        {
            fs::create_dir_all(parent)?;
        }
        write_staged(&full, bytes)?;
        fault::point("stage")?;
    }
    // Everything staged reaches the disk before the journal names it.
    flush_staged(
        &new,
        outputs
            .iter()
            .map(|(p, _)| p.as_path())
            .chain([record_path.as_path()]),
    )?;
    for folder in folders.iter().rev() {
        sync_dir(folder);
    }
    sync_dir(work);
    Ok(())
}

/// Moves the staged entries into `dir`, the journal first; on a failure, puts `dir` back.
fn move_in(dir: &Path, work: &Path, order: Vec<String>) -> Result<(), PublishError> {
    let mut journal = Journal {
        direction: Direction::Forward,
        entries: order,
    };
    let journal_path = work.join(JOURNAL);
    let written = write_journal(&journal_path, &journal).and_then(|()| fault::point("journal"));
    if let Err(e) = written {
        // Without a whole journal, the next run removes the work folder without a look.
        let _ = fs::remove_file(&journal_path);
        let _ = remove_work(work);
        return Err(PublishError::Unchanged(format!(
            "cannot write the journal of the build in `{}`: {}",
            work.shown(),
            describe(&e)
        )));
    }
    let moves = Moves::new(dir, work);
    let moved = journal
        .entries
        .iter()
        .try_for_each(|name| moves.forward(name));
    let moved = moved.and_then(|()| fault::point("cleanup"));
    let Err(e) = moved else {
        sync_dir(dir);
        // The journal goes first: a work folder without one is only removed.
        return remove_work(work).map_err(|e| {
            PublishError::Unchanged(format!(
                "the new outputs are in place, but `{}` could not be removed: {}",
                work.shown(),
                describe(&e)
            ))
        });
    };
    // Even when the journal cannot say so (a full disk), putting back is tried: a run that
    // finds the journal still saying `forward` finishes the moves instead, from any state.
    journal.direction = Direction::Back;
    let _ = write_journal(&journal_path, &journal);
    let back = journal.entries.iter().rev().try_for_each(|name| {
        moves.undo(name)?;
        fault::point("rollback")
    });
    match back.and_then(|()| {
        sync_dir(dir);
        remove_work(work)
    }) {
        Ok(()) => Err(PublishError::Unchanged(format!(
            "{}; the previous outputs were put back",
            describe(&e)
        ))),
        Err(undo) => Err(PublishError::Partial(format!(
            "{}; then putting the previous outputs back failed: {}\n`{}` is left partly updated: once the problem is fixed, run `sopc build` into it again, which first completes or undoes this build",
            describe(&e),
            describe(&undo),
            dir.shown()
        ))),
    }
}

fn write_journal(path: &Path, journal: &Journal) -> io::Result<()> {
    let bytes = serde_json::to_vec(journal).map_err(io::Error::other)?;
    write_atomically(path, &bytes, Keep::Mode)
}

/// Removes the work folder: its journal first, so that an interrupted removal leaves a folder
/// that is only cleaned, never replayed.
fn remove_work(work: &Path) -> io::Result<()> {
    match fs::remove_file(work.join(JOURNAL)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    sync_dir(work);
    match fs::remove_dir_all(work) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The renames between `dir`, `work/new` (the new outputs) and `work/old` (the old ones).
struct Moves {
    dir: PathBuf,
    new: PathBuf,
    old: PathBuf,
}

impl Moves {
    fn new(dir: &Path, work: &Path) -> Self {
        Moves {
            dir: dir.to_path_buf(),
            new: work.join("new"),
            old: work.join("old"),
        }
    }

    /// The old entry aside, then the new one in.
    fn forward(&self, name: &str) -> io::Result<()> {
        let (live, new, old) = self.paths(name);
        if exists(&live) {
            fs::create_dir_all(&self.old)?;
            rename(&live, &old, "cannot move the old")?;
            fault::point("backup")?;
        }
        rename(&new, &live, "cannot move the new")?;
        fault::point("move-in")
    }

    /// `forward`, from wherever an interrupted run left the entry.
    fn finish(&self, name: &str) -> io::Result<()> {
        let (live, new, old) = self.paths(name);
        if !exists(&new) {
            return Ok(());
        }
        if exists(&live) {
            if exists(&old) {
                remove_entry(&live)?;
            } else {
                fs::create_dir_all(&self.old)?;
                rename(&live, &old, "cannot move the old")?;
            }
        }
        rename(&new, &live, "cannot move the new")
    }

    /// Puts the old entry back (the new one back into the staging folder).
    fn undo(&self, name: &str) -> io::Result<()> {
        let (live, new, old) = self.paths(name);
        if !exists(&new) && exists(&live) {
            rename(&live, &new, "cannot move aside the new")?;
        }
        if exists(&old) {
            rename(&old, &live, "cannot put back the old")?;
        }
        Ok(())
    }

    fn paths(&self, name: &str) -> (PathBuf, PathBuf, PathBuf) {
        (
            self.dir.join(name),
            self.new.join(name),
            self.old.join(name),
        )
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn rename(from: &Path, to: &Path, doing: &str) -> io::Result<()> {
    fs::rename(from, to).map_err(|e| {
        let name = if doing.ends_with("new") { to } else { from };
        context(&e, format_args!("{doing} `{}`", name.shown()))
    })
}

fn remove_entry(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Creates `dir` and its missing ancestors; returns those created, outermost first.
fn create_dirs(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(|a| !exists(a))
        .map(Path::to_path_buf)
        .collect();
    fs::create_dir_all(dir).map_err(|e| {
        context(
            &e,
            format_args!("cannot create the folder `{}`", dir.shown()),
        )
    })?;
    Ok(missing.into_iter().rev().collect())
}

/// The record of `dir`: `None` when there is none, or it is not a record sopc wrote.
fn read_record(dir: &Path) -> Option<Record> {
    let path = dir.join(RECORD);
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    serde_json::from_slice(&fs::read(path).ok()?).ok()
}

/// Why each entry in the way of `entries` may not be replaced, one line each.
fn refusals(dir: &Path, record: Option<&Record>, entries: &BTreeSet<String>) -> Vec<String> {
    let empty = BTreeMap::new();
    let files = record.map_or(&empty, |r| &r.files);
    let mut out = Vec::new();
    if exists(&dir.join(RECORD)) && record.is_none() {
        out.push(format!(
            "`{}` is not a record sopc wrote",
            dir.join(RECORD).shown()
        ));
    }
    for name in entries {
        check_entry(dir, Path::new(name), files, &mut out);
    }
    out
}

/// Adds a line to `out` for each file under `rel` that is not in `files` as it is now.
fn check_entry(dir: &Path, rel: &Path, files: &BTreeMap<String, String>, out: &mut Vec<String>) {
    const MAX: usize = 20;
    let path = dir.join(rel);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return;
    };
    if out.len() >= MAX {
        if out.len() == MAX {
            out.push("and more".to_string());
        }
        return;
    }
    let shown = path.shown();
    if meta.is_dir() {
        let mut children: Vec<PathBuf> = match fs::read_dir(&path) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| rel.join(e.file_name()))
                .collect(),
            Err(e) => {
                out.push(format!("`{shown}` cannot be read: {}", describe(&e)));
                return;
            }
        };
        children.sort();
        for child in children {
            check_entry(dir, &child, files, out);
        }
        return;
    }
    let Some(recorded) = files.get(&slashed(rel)) else {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if meta.is_file() {
            "a file"
        } else {
            "an entry"
        };
        out.push(format!("`{shown}` is {what} sopc did not write"));
        return;
    };
    if !meta.is_file() {
        out.push(format!("`{shown}` is no longer the file sopc wrote"));
    } else if fs::read(&path).map(|b| hash(&b)).ok().as_ref() != Some(recorded) {
        out.push(format!("`{shown}` was changed since sopc wrote it"));
    }
}

/// The first component of a relative output path.
fn top(path: &Path) -> Option<String> {
    path.components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// FNV-1a, 128 bits: enough to see that a file was edited (not a defence against forgery).
fn hash(bytes: &[u8]) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let h = bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME));
    format!("fnv1a128:{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        assert_eq!(hash(b""), "fnv1a128:6c62272e07bb014262b821756295c58d");
        assert_ne!(hash(b"a"), hash(b"b"));
    }

    #[test]
    fn paths_are_slashed() {
        assert_eq!(slashed(Path::new("a/b/c.md")), "a/b/c.md");
        assert_eq!(top(Path::new("a/b/c.md")).as_deref(), Some("a"));
    }
}
