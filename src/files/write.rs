//! Writing output files: whole or not at all, never over what sopc did not write.
//!
//! Every single file sopc writes goes through [`write_atomically`] (or, for one written as it is
//! made, [`write_atomically_with`]): a temporary file beside the target, flushed to disk, then
//! renamed over it, so a reader (or a full disk, or a kill) never sees half a file. The outputs of `sopc build` go through [`staged`], which moves a whole set
//! of files into a folder all or nothing and refuses to replace what sopc did not write.

pub mod fault;
pub mod staged;

use crate::text::ShowPath;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a replaced file keeps of the file it replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Its permission bits. A new file gets the usual ones (`0666` less the umask).
    Mode,
    /// Its permission bits, owner and group (when permitted), extended attributes (on Linux),
    /// and, when it has other hard links, its identity: it is then rewritten in place after a
    /// backup copy is made beside it.
    Everything,
}

/// Replaces the file at `path` with `bytes`, or creates it. Through a symbolic link, the file it
/// points to is replaced and the link kept. The error says what is wrong in words, naming the
/// path where it is not `path` itself.
pub fn write_atomically(path: &Path, bytes: &[u8], keep: Keep) -> io::Result<()> {
    let target = resolve(path)?;
    let existing = existing_file(&target)?;
    if keep == Keep::Everything
        && let Some(meta) = &existing
        && links(meta) > 1
    {
        return rewrite_in_place(&target, bytes);
    }
    replace_beside(&target, existing.as_ref(), keep, &mut |file| {
        write_in_two(file, bytes)
    })
}

/// Like [`write_atomically`] with [`Keep::Mode`], the bytes written by `write` as it makes
/// them (through a buffer), so that a large file is never held whole: written beside the
/// target and renamed into place, so the target is the whole new file or the old one.
pub fn write_atomically_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve(path)?;
    let existing = existing_file(&target)?;
    replace_beside(&target, existing.as_ref(), Keep::Mode, &mut |file| {
        let mut out = io::BufWriter::with_capacity(1 << 16, &mut *file);
        write(&mut out)?;
        fault::point("write")?;
        out.flush()
    })
}

/// The file at `target`, `None` when there is none; a folder or anything else that is not a
/// regular file is refused.
fn existing_file(target: &Path) -> io::Result<Option<fs::Metadata>> {
    match fs::metadata(target) {
        Ok(m) if m.is_dir() => Err(worded(io::ErrorKind::IsADirectory, "it is a folder")),
        Ok(m) if !m.is_file() => Err(worded(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        )),
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes a new file beside `target` with `write`, gives it what `keep` keeps of `existing`,
/// and renames it into place; on any failure the file beside is removed.
fn replace_beside(
    target: &Path,
    existing: Option<&fs::Metadata>,
    keep: Keep,
    write: &mut dyn FnMut(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent(target);
    let (tmp, mut file) = create_beside(target, existing)?;
    let done = write(&mut file)
        .and_then(|()| {
            if let Some(meta) = existing {
                if keep == Keep::Everything {
                    keep_owner(&file, meta);
                    keep_xattrs(target, &file);
                }
                fs::set_permissions(&tmp, meta.permissions())?;
            }
            file.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, target));
    drop(file);
    match done {
        Ok(()) => {
            sync_dir(&dir);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Creates the file at `path` with `bytes`, never over an existing one: written beside it, then
/// linked into place (which fails if the name is taken), so it is whole or absent.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (tmp, mut file) = create_beside(path, None)?;
    let done = write_in_two(&mut file, bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| match fs::hard_link(&tmp, path) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                // A file system without hard links: check, then rename.
                if fs::symlink_metadata(path).is_ok() {
                    Err(io::ErrorKind::AlreadyExists.into())
                } else {
                    fs::rename(&tmp, path)
                }
            }
            linked => linked,
        });
    drop(file);
    let _ = fs::remove_file(&tmp);
    if done.is_ok() {
        sync_dir(&parent(path));
    }
    done
}

/// The first of `path` and its ancestors that exists and is not a folder: a file in the way of
/// a folder to create.
pub fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find_map(|a| match fs::metadata(a) {
            Ok(m) if m.is_dir() => Some(None),
            Ok(_) => Some(Some(a.to_path_buf())),
            Err(_) => None,
        })
        .flatten()
}

/// An I/O error in the user's words, without the `(os error N)` of the system.
pub fn describe(e: &io::Error) -> String {
    use io::ErrorKind as K;
    if e.get_ref().is_some() {
        return e.to_string();
    }
    let words = match e.kind() {
        K::PermissionDenied => "permission denied",
        K::StorageFull => "the disk is full",
        K::QuotaExceeded => "the disk quota is used up",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::NotFound => "it does not exist",
        K::AlreadyExists => "it already exists",
        K::NotADirectory => "a part of the path is a file, not a folder",
        K::IsADirectory => "it is a folder",
        K::DirectoryNotEmpty => "the folder is not empty",
        K::CrossesDevices => "it is on another file system",
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            return chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().chain(chars).collect::<String>()
            });
        }
    };
    words.to_string()
}

/// An error whose message is `words`.
pub(crate) fn worded(kind: io::ErrorKind, words: impl Into<String>) -> io::Error {
    io::Error::new(kind, words.into())
}

/// `e` with what was being done in front: `cannot rename ...: permission denied`.
pub(crate) fn context(e: &io::Error, doing: impl std::fmt::Display) -> io::Error {
    worded(e.kind(), format!("{doing}: {}", describe(e)))
}

/// Flushes a folder's entries (new names, renames) to disk; where a folder cannot be opened
/// for that, the renames are still done.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The folder holding `path` (`.` for a bare name).
pub(crate) fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file a path names: through a symbolic link, its target.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            worded(
                e.kind(),
                format!(
                    "it is a symbolic link to a file that cannot be reached: {}",
                    describe(&e)
                ),
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new, empty temporary file beside `target`, with the permissions of `like` (or the usual
/// ones) from the start.
fn create_beside(target: &Path, like: Option<&fs::Metadata>) -> io::Result<(PathBuf, fs::File)> {
    let dir = parent(target);
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    for attempt in 0..100 {
        let tmp = dir.join(format!(".{name}.sopc-{}-{attempt}.tmp", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            options.mode(like.map_or(0o666, |m| m.permissions().mode() & 0o777));
        }
        #[cfg(not(unix))]
        let _ = like;
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(worded(
                    e.kind(),
                    format!("the folder `{}` does not exist", dir.shown()),
                ));
            }
            Err(e) => {
                return Err(context(
                    &e,
                    format_args!(
                        "cannot create a temporary file in `{}` to write it",
                        dir.shown()
                    ),
                ));
            }
        }
    }
    Err(worded(
        io::ErrorKind::AlreadyExists,
        format!(
            "cannot create a temporary file in `{}`: too many are left there",
            dir.shown()
        ),
    ))
}

/// Creates the file at `path` with `bytes`, in a folder of sopc's own that nothing reads until
/// [`flush_staged`] has run: no temporary name and no flush per file, which for a build of
/// thousands of checklists is most of its time.
pub(crate) fn write_staged(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create_new(path)?;
    write_in_two(&mut file, bytes)
}

/// Makes every file written by [`write_staged`] under `dir` (`files`, relative to it) durable:
/// on Linux one `syncfs` of the file system holding `dir`, elsewhere a flush of each file.
pub(crate) fn flush_staged<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = &'a Path>,
) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        let folder = fs::File::open(dir)?;
        rustix::fs::syncfs(&folder).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        for f in files {
            fs::File::open(dir.join(f))?.sync_all()?;
        }
        Ok(())
    }
}

/// Writes `bytes` in two halves, with the `write` fault point between them.
fn write_in_two(file: &mut fs::File, bytes: &[u8]) -> io::Result<()> {
    let (first, second) = bytes.split_at(bytes.len() / 2);
    file.write_all(first)?;
    fault::point("write")?;
    file.write_all(second)
}

/// Rewrites a file that has other hard links in place, so that every name keeps seeing it: a
/// copy of the old bytes is first made beside it (and left there if sopc is killed meanwhile);
/// if writing fails, the old bytes are put back.
fn rewrite_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let old = fs::read(target)?;
    let dir = parent(target);
    let backup = backup_path(target);
    if let Some(e) = interrupted(target) {
        return Err(e);
    }
    let (tmp, mut copy) = create_beside(target, None)?;
    let saved = copy
        .write_all(&old)
        .and_then(|()| copy.sync_all())
        .and_then(|()| fs::rename(&tmp, &backup));
    drop(copy);
    if let Err(e) = saved {
        let _ = fs::remove_file(&tmp);
        return Err(context(&e, "cannot make a backup copy beside it"));
    }
    sync_dir(&dir);
    let rewrite = |content: &[u8]| -> io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(target)?;
        write_in_two(&mut file, content)?;
        file.sync_all()
    };
    match rewrite(bytes) {
        Ok(()) => {
            let _ = fs::remove_file(&backup);
            Ok(())
        }
        Err(e) => {
            if rewrite(&old).is_ok() {
                let _ = fs::remove_file(&backup);
                Err(e)
            } else {
                Err(worded(
                    e.kind(),
                    format!(
                        "{}; its previous text is in `{}`",
                        describe(&e),
                        backup.shown()
                    ),
                ))
            }
        }
    }
}

/// Where [`rewrite_in_place`] keeps the old bytes of `target` while it writes.
fn backup_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    parent(target).join(format!(".{name}.sopc-backup"))
}

/// The error to give when a rewrite in place of `path` was interrupted (sopc was killed): its
/// old text is still in the backup beside it, and the file itself may be half-written.
pub fn interrupted(path: &Path) -> Option<io::Error> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let backup = backup_path(&target);
    fs::symlink_metadata(&backup).is_ok().then(|| {
        worded(
            io::ErrorKind::AlreadyExists,
            format!(
                "an earlier run was stopped while rewriting it, and its previous text is in `{}`: compare the two, keep the right text in the file, then remove the backup",
                backup.shown()
            ),
        )
    })
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &fs::Metadata) -> u64 {
    1
}

/// Gives `file` the owner and group of `meta`; not being allowed to (not root) is not an error.
#[cfg(unix)]
fn keep_owner(file: &fs::File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) {}

/// Copies the extended attributes of `from` (ACLs, labels, user attributes) onto `to`; those
/// that cannot be read or set (not permitted, not supported) are skipped.
#[cfg(target_os = "linux")]
fn keep_xattrs(from: &Path, to: &fs::File) {
    use rustix::fs::{XattrFlags, fsetxattr, getxattr, getxattr_query, listxattr, listxattr_query};
    let Ok(size) = listxattr_query(from) else {
        return;
    };
    let mut names = vec![0u8; size];
    let Ok(n) = listxattr(from, &mut names[..]) else {
        return;
    };
    for name in names[..n].split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        let Ok(size) = getxattr_query(from, name) else {
            continue;
        };
        let mut value = vec![0u8; size];
        if let Ok(len) = getxattr(from, name, &mut value[..]) {
            let _ = fsetxattr(to, name, &value[..len], XattrFlags::empty());
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_xattrs(_: &Path, _: &fs::File) {}
