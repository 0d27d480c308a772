//! Every file read in a run: its text, its parse, and how to name it in output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::FileId;
use crate::syntax::{self, LineCol, LineIndex, SourceFile, Span, SyntaxError};

/// A file that was read.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The path as the user gave it, or as reached through imports.
    pub display: String,
    /// The resolved path on disk.
    pub canonical: PathBuf,
    /// The whole text, decoded as UTF-8 (invalid bytes replaced by U+FFFD).
    pub text: String,
    /// Where `text`'s lines start, to turn byte offsets into lines and columns.
    pub lines: LineIndex,
    /// The AST, or the file's first syntax error (invalid UTF-8 included); read it through
    /// [`SourceText::ast`], which knows about released ASTs.
    pub parsed: Result<SourceFile, SyntaxError>,
    /// An SOP file, or another text file (`sopc.yaml`) kept only so diagnostics can point into it.
    pub kind: FileKind,
    /// The AST was dropped to save memory (see [`SourceDb::release_ast`]).
    released: bool,
}

/// What a file in the [`SourceDb`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A `.sop` file (or any file read as SOP): parsed, checked and counted.
    Sop,
    /// Another text file, such as `sopc.yaml`: never parsed as SOP, checked or counted.
    Text,
}

impl SourceText {
    /// The 1-based line and column of byte `offset` of the text.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The AST; `None` for a file that does not parse, or whose AST was released.
    pub fn ast(&self) -> Option<&SourceFile> {
        if self.released {
            return None;
        }
        self.parsed.as_ref().ok()
    }

    /// Whether it is an SOP file, not a text file such as `sopc.yaml`.
    pub fn is_sop(&self) -> bool {
        self.kind == FileKind::Sop
    }
}

pub use crate::files::read::ReadError;
use crate::files::read::{self, SOP_LIMIT};

/// All files of a run, each read and parsed once.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceText>,
    by_path: HashMap<PathBuf, FileId>,
    /// Where texts come from besides the disk (an editor's unsaved buffers), and earlier parses.
    sources: Option<SharedSources>,
}

/// Texts held in memory in place of files on disk, and a cache of parses: what a language
/// server gives a run (see `crate::driver::Workspace`). Without one, every file is read from
/// disk and parsed.
pub trait Sources: Send + Sync {
    /// The text that takes the place of the file at `path` (absolute, without `.` or `..`;
    /// canonical when the file exists on disk), if there is one.
    fn overlay(&self, path: &Path) -> Option<Arc<[u8]>>;

    /// Decodes and parses one file's bytes, as [`read_source`] does; may give back an earlier
    /// parse of the same bytes.
    fn source(&self, display: String, canonical: PathBuf, bytes: Vec<u8>) -> SourceText {
        read_source(display, canonical, bytes)
    }
}

#[derive(Clone)]
struct SharedSources(Arc<dyn Sources>);

impl std::fmt::Debug for SharedSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sources")
    }
}

impl SourceDb {
    /// An empty database that reads every file from disk.
    pub fn new() -> Self {
        Self::default()
    }

    /// A database that reads through `sources`: their overlays first, then the disk.
    pub fn with_sources(sources: Arc<dyn Sources>) -> Self {
        SourceDb {
            sources: Some(SharedSources(sources)),
            ..SourceDb::default()
        }
    }

    /// The bytes held in memory for `path` (absolute, normalized), if any.
    pub fn overlay(&self, path: &Path) -> Option<Arc<[u8]>> {
        self.sources.as_ref().and_then(|s| s.0.overlay(path))
    }

    /// `path` resolved on disk; a path that exists only as an overlay is its own canonical path.
    fn canonical(&self, path: &Path) -> Result<PathBuf, ReadError> {
        match canonicalize(path) {
            Err(ReadError::Missing) if self.sources.is_some() => {
                let key = overlay_key(path);
                match self.overlay(&key) {
                    Some(_) => Ok(key),
                    None => Err(ReadError::Missing),
                }
            }
            other => other,
        }
    }

    /// Reads and parses the file at `canonical`: its overlay, else the disk.
    fn read(&self, canonical: &Path, display: String) -> Result<SourceText, ReadError> {
        if let Some(bytes) = self.overlay(canonical) {
            return Ok(self.parse(display, canonical.to_path_buf(), bytes.to_vec()));
        }
        let bytes = read::read_regular(canonical, SOP_LIMIT)?;
        Ok(self.parse(display, canonical.to_path_buf(), bytes))
    }

    fn parse(&self, display: String, canonical: PathBuf, bytes: Vec<u8>) -> SourceText {
        match &self.sources {
            Some(s) => s.0.source(display, canonical, bytes),
            None => read_source(display, canonical, bytes),
        }
    }

    /// The file with id `id`; panics on an id this database did not give.
    pub fn get(&self, id: FileId) -> &SourceText {
        &self.files[id.0]
    }

    /// How many files were added, text files such as `sopc.yaml` included.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was added yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many SOP files were read: the "N files" of a summary (configuration files do not count).
    pub fn sop_count(&self) -> usize {
        self.files.iter().filter(|f| f.is_sop()).count()
    }

    /// Every file's id, in the order the files were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len()).map(FileId)
    }

    /// Reads and parses `path` unless it was read before.
    pub fn load(&mut self, path: &Path, display: &str) -> Result<FileId, ReadError> {
        let canonical = self.canonical(path)?;
        if let Some(id) = self.by_path.get(&canonical) {
            return Ok(*id);
        }
        let source = self.read(&canonical, display.to_string())?;
        Ok(self.insert(source))
    }

    /// Adds text that did not come from disk (standard input, tests).
    pub fn add(&mut self, display: String, canonical: PathBuf, bytes: Vec<u8>) -> FileId {
        self.insert(read_source(display, canonical, bytes))
    }

    /// Drops a file's AST once its checks are done: a run over a large repository keeps only
    /// the text (for reports) and what the files import. [`SourceDb::ensure_ast`] brings it back.
    pub fn release_ast(&mut self, id: FileId) {
        let src = &mut self.files[id.0];
        if src.kind == FileKind::Sop && src.parsed.is_ok() {
            src.parsed = Ok(SourceFile::default());
            src.released = true;
        }
    }

    /// Parses a released file again.
    pub fn ensure_ast(&mut self, id: FileId) {
        let src = &mut self.files[id.0];
        if src.released {
            src.parsed = syntax::parse(&src.text);
            src.released = false;
        }
    }

    /// Adds a file read and parsed elsewhere (see [`read_source`]).
    pub fn insert(&mut self, source: SourceText) -> FileId {
        let id = FileId(self.files.len());
        self.by_path.insert(source.canonical.clone(), id);
        self.files.push(source);
        id
    }

    /// Reads and parses many files, on every core, and adds them in order. A file met before,
    /// or twice in `paths`, is read once.
    pub fn load_many(&mut self, paths: &[(PathBuf, String)]) -> Vec<Result<FileId, ReadError>> {
        let canonical: Vec<Result<PathBuf, ReadError>> = paths
            .iter()
            .map(|(p, _)| {
                let c = self.canonical(p)?;
                if self.overlay(&c).is_some() {
                    return Ok(c);
                }
                // Only what can be read: a FIFO is never opened, a directory never read.
                read::kind_of(&c).map(|()| c)
            })
            .collect();
        let mut first = std::collections::HashSet::new();
        let to_read: Vec<usize> = (0..paths.len())
            .filter(|&i| match &canonical[i] {
                Ok(c) => !self.by_path.contains_key(c) && first.insert(c.clone()),
                Err(_) => false,
            })
            .collect();
        let db = &*self;
        let read = crate::parallel::map(&to_read, |&i| {
            let c = canonical[i].as_ref().expect("only readable paths");
            db.read(c, paths[i].1.clone())
        });
        let mut failed = std::collections::HashMap::new();
        for (i, result) in to_read.into_iter().zip(read) {
            match result {
                Ok(source) => {
                    self.insert(source);
                }
                Err(e) => {
                    failed.insert(i, e);
                }
            }
        }
        canonical
            .into_iter()
            .enumerate()
            .map(|(i, c)| match failed.remove(&i) {
                Some(e) => Err(e),
                None => c.map(|c| self.by_path[&c]),
            })
            .collect()
    }

    /// Adds a text file that is not SOP (`sopc.yaml`), so diagnostics can point into it. It gets
    /// an empty AST: it has no blocks, imports or suppressions, and the checks never see it.
    pub fn add_text(&mut self, display: String, canonical: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len());
        self.by_path.entry(canonical.clone()).or_insert(id);
        self.files.push(SourceText {
            display,
            lines: LineIndex::new(&text),
            canonical,
            text,
            parsed: Ok(SourceFile::default()),
            kind: FileKind::Text,
            released: false,
        });
        id
    }
}

/// The path an overlay of `path` is kept under: its canonical path when the file exists, else
/// its folder's canonical path joined with its name, else the absolute path without `.` and `..`.
pub fn overlay_key(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = crate::model::normalize(&abs);
    match (abs.parent().map(Path::canonicalize), abs.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => abs,
    }
}

fn canonicalize(path: &Path) -> Result<PathBuf, ReadError> {
    path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Unreadable(e.to_string()),
    })
}

/// Decodes and parses one file's bytes.
pub fn read_source(display: String, canonical: PathBuf, bytes: Vec<u8>) -> SourceText {
    read_source_after(display, canonical, bytes, None)
}

/// Like [`read_source`], for a file whose text was `before` (with its parse) until an edit:
/// the parts the edit did not touch are not parsed again ([`syntax::parse_after_edit`]).
pub fn read_source_after(
    display: String,
    canonical: PathBuf,
    bytes: Vec<u8>,
    before: Option<&SourceText>,
) -> SourceText {
    let (text, parsed) = match String::from_utf8(bytes) {
        Ok(text) => {
            let parsed = match before.and_then(|b| Some((&b.text, b.ast()?))) {
                Some((old_text, old)) => syntax::parse_after_edit(old_text, old, &text),
                None => syntax::parse(&text),
            };
            (text, parsed)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let err = SyntaxError {
                span: Span::new(valid, valid + char_len_at(&text, valid)),
                kind: syntax::SyntaxErrorKind::InvalidUtf8,
            };
            (text, Err(err))
        }
    };
    SourceText {
        display,
        lines: LineIndex::new(&text),
        canonical,
        text,
        parsed,
        kind: FileKind::Sop,
        released: false,
    }
}

fn char_len_at(text: &str, offset: usize) -> usize {
    text[offset..].chars().next().map_or(0, char::len_utf8)
}
