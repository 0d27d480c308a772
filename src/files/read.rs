//! Reading input files: regular files only, within a size limit, links confined to a root.
//!
//! Every file sopc reads from disk comes through [`read_regular`] (or [`read_stream`] for an
//! audit log, which may be a pipe): a FIFO would block forever, a device such as `/dev/zero`
//! never ends, and `/proc` files are not what a user means by an SOP. The kind of a path is
//! checked before it is opened, and again on the open handle, so a file swapped for a FIFO in
//! between is still refused.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest `.sop` file read: far above any real SOP (the largest generated benchmark
/// document is 12 MB), far below what would exhaust memory.
pub const SOP_LIMIT: u64 = 64 * MIB;
/// The largest `sopc.yaml`, stage map or template read.
pub const SMALL_LIMIT: u64 = 16 * MIB;
/// The largest audit log read: about 25 million rows of a typical CRM export.
pub const LOG_LIMIT: u64 = 2 * 1024 * MIB;

const MIB: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing at the path (or a link that leads nowhere).
    Missing,
    /// A directory where a file was expected.
    Directory,
    /// A FIFO, a device or a socket: never opened.
    NotRegular(FileKindName),
    /// Larger than the limit, in bytes.
    TooLarge {
        /// The largest size read, in bytes.
        limit: u64,
    },
    /// The operating system refused (permissions, a link loop, ...).
    Unreadable(String),
}

/// What a path that is not a regular file is, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKindName {
    /// A named pipe: opening it would wait for a writer.
    Fifo,
    /// A character device, such as `/dev/zero`.
    CharDevice,
    /// A block device, such as a disk.
    BlockDevice,
    /// A Unix domain socket.
    Socket,
    /// Any other kind of special file (on platforms other than Unix, every one).
    Other,
}

impl fmt::Display for FileKindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKindName::Fifo => "a FIFO",
            FileKindName::CharDevice => "a character device",
            FileKindName::BlockDevice => "a block device",
            FileKindName::Socket => "a socket",
            FileKindName::Other => "a special file",
        })
    }
}

impl fmt::Display for ReadError {
    /// The reason, to follow "cannot read `PATH`: ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::Directory => f.write_str("it is a directory, not a file"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than {}, the most sopc reads", size(*limit))
            }
            ReadError::Unreadable(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ReadError {}

/// `64 MiB`, `2 GiB`.
pub fn size(bytes: u64) -> String {
    if bytes >= 1024 * MIB && bytes.is_multiple_of(1024 * MIB) {
        format!("{} GiB", bytes / (1024 * MIB))
    } else if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

impl ReadError {
    fn io(e: &io::Error) -> ReadError {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::Missing,
            io::ErrorKind::IsADirectory => ReadError::Directory,
            _ => ReadError::Unreadable(e.to_string()),
        }
    }
}

/// What a path (links followed) is, without opening it.
pub fn kind_of(path: &Path) -> Result<(), ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::io(&e))?;
    regular(&meta)
}

fn regular(meta: &Metadata) -> Result<(), ReadError> {
    let t = meta.file_type();
    if t.is_file() {
        Ok(())
    } else if t.is_dir() {
        Err(ReadError::Directory)
    } else {
        Err(ReadError::NotRegular(special_kind(meta)))
    }
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> FileKindName {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        FileKindName::Fifo
    } else if t.is_char_device() {
        FileKindName::CharDevice
    } else if t.is_block_device() {
        FileKindName::BlockDevice
    } else if t.is_socket() {
        FileKindName::Socket
    } else {
        FileKindName::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_: &Metadata) -> FileKindName {
    FileKindName::Other
}

/// Opens `path` for reading without ever blocking on it: on Unix with `O_NONBLOCK` (which
/// changes nothing for a regular file, and makes opening a FIFO return at once instead of
/// waiting for a writer) and `O_NOCTTY` (a terminal never becomes the controlling one).
fn open(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Reads the regular file at `path` (links followed), at most `limit` bytes. Anything else —
/// a directory, a FIFO, a device, a socket — is refused before it is opened.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    kind_of(path)?;
    let file = open(path).map_err(|e| ReadError::io(&e))?;
    // The path may have been swapped between the check and the open: what counts is what
    // was opened.
    let meta = file.metadata().map_err(|e| ReadError::io(&e))?;
    regular(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    read_bounded(file, limit, meta.len())
}

/// Reads an audit log: a regular file, or a FIFO such as `<(zcat log.gz)`, at most `limit`
/// bytes. Directories, devices and sockets are refused.
pub fn read_stream(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    match kind_of(path) {
        Ok(()) => read_regular(path, limit),
        Err(ReadError::NotRegular(FileKindName::Fifo)) => {
            // Blocking here is what the user asked for: the writer is on the other end.
            let file = File::open(path).map_err(|e| ReadError::io(&e))?;
            read_bounded(file, limit, 0)
        }
        Err(e) => Err(e),
    }
}

/// Opens an audit log to be read as a stream: a regular file of at most `limit` bytes, or a
/// FIFO (whose size the reader must bound). Directories, devices and sockets are refused.
pub fn open_stream(path: &Path, limit: u64) -> Result<File, ReadError> {
    match kind_of(path) {
        Ok(()) => {
            let file = open(path).map_err(|e| ReadError::io(&e))?;
            let meta = file.metadata().map_err(|e| ReadError::io(&e))?;
            regular(&meta)?;
            if meta.len() > limit {
                return Err(ReadError::TooLarge { limit });
            }
            Ok(file)
        }
        Err(ReadError::NotRegular(FileKindName::Fifo)) => {
            // Blocking here is what the user asked for: the writer is on the other end.
            File::open(path).map_err(|e| ReadError::io(&e))
        }
        Err(e) => Err(e),
    }
}

/// Reads standard input, at most `limit` bytes.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded(io::stdin().lock(), limit, 0)
}

fn read_bounded(reader: impl Read, limit: u64, hint: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(usize::try_from(hint.min(limit)).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(&e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Why a link found in a walk (or a template folder) is not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Its target resolves outside the root.
    Outside,
    /// Its target is not a regular file or a directory.
    NotRegular(FileKindName),
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkRefusal::Outside => f.write_str("the link leads outside the project"),
            LinkRefusal::NotRegular(kind) => {
                write!(f, "the link leads to {kind}, not a regular file")
            }
        }
    }
}

/// Where the link at `path` leads, if it may be followed: to a regular file or a directory
/// inside `root` (which must be canonical). `Ok(None)`: it leads nowhere (dangling or a loop),
/// which reading it will report.
pub fn follow_link(path: &Path, root: &Path) -> Result<Option<PathBuf>, LinkRefusal> {
    let Ok(target) = path.canonicalize() else {
        return Ok(None);
    };
    if !target.starts_with(root) {
        return Err(LinkRefusal::Outside);
    }
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() || meta.is_dir() => Ok(Some(target)),
        Ok(meta) => Err(LinkRefusal::NotRegular(special_kind(&meta))),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(SOP_LIMIT), "64 MiB");
        assert_eq!(size(LOG_LIMIT), "2 GiB");
        assert_eq!(size(10), "10 bytes");
    }

    #[test]
    fn a_bound_is_a_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap(), b"12345");
        assert_eq!(
            read_regular(&path, 4),
            Err(ReadError::TooLarge { limit: 4 })
        );
        assert_eq!(
            read_bounded(&b"12345"[..], 4, 0),
            Err(ReadError::TooLarge { limit: 4 })
        );
        assert_eq!(read_regular(dir.path(), 5), Err(ReadError::Directory));
        assert_eq!(
            read_regular(&dir.path().join("b"), 5),
            Err(ReadError::Missing)
        );
    }
}
