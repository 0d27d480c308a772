//! A workspace: the sources of a language server or any front end that checks the same files
//! again and again. Texts held in memory (an editor's unsaved buffers) take the place of the
//! files on disk, for the documents checked, for the files they import and for `sopc.yaml`;
//! parses are kept per file, and the findings and model of a document are kept until its text,
//! the text of one of its imports or its project's configuration changes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use super::check::{CheckOptions, CheckOutcome, Finding, check_inputs};
use super::inputs::{Inputs, PathError, expand};
use crate::lint::config::FILE_NAME;
use crate::model::{
    self, Model, SourceDb, SourceText, Sources, overlay_key, read_source, read_source_after,
};

/// Sources on disk with in-memory overlays, and the results of the documents checked.
#[derive(Default)]
pub struct Workspace {
    /// The options [`Workspace::check_document`] checks with.
    options: CheckOptions,
    state: Arc<State>,
    /// The last result of each document checked with [`Workspace::check_document`], by path.
    documents: HashMap<PathBuf, Cached>,
    /// Documents lowered and checked (not served from the cache).
    checks: u64,
}

/// What one check of a document gave.
#[derive(Debug)]
pub struct DocumentResult {
    /// Every file read for the document: the findings point into them.
    pub db: SourceDb,
    /// In the order of [`CheckOutcome::findings`]; findings in imported files and in `sopc.yaml` included,
    /// as `sopc check` on the document alone reports them.
    pub findings: Vec<Finding>,
    /// The document's model; `None` when it, or a file it imports, does not parse.
    pub model: Option<Arc<Model>>,
    /// Files that could not be read (a `sopc.yaml`), with why.
    pub unreadable: Vec<(String, String)>,
    /// Counts the checks of this workspace: a result served from the cache keeps the number of
    /// the check that made it.
    pub generation: u64,
}

impl DocumentResult {
    /// The findings that point into `path` (as the editor names it), for publishing per file.
    pub fn findings_in(&self, path: &Path) -> impl Iterator<Item = &Finding> {
        let key = overlay_key(path);
        self.findings
            .iter()
            .filter(move |f| self.db.get(f.diag.loc.file).canonical == key)
    }
}

/// How much work a workspace has done, for tests and for a server's logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Files parsed (a file whose text did not change is parsed once).
    pub parses: u64,
    /// Documents lowered and checked by [`Workspace::check_document`].
    pub checks: u64,
}

struct Cached {
    /// Every file the result depends on (the document, its imports, the `sopc.yaml` of their
    /// roots, present or not) with the version it had.
    deps: Vec<(PathBuf, Version)>,
    /// [`State::epoch`] when checked: an in-memory file appearing or going can change what an
    /// import finds.
    epoch: u64,
    result: Arc<DocumentResult>,
}

/// What a file was when a result was made: an overlay's version, or the file's size and time
/// of change on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Version {
    Memory(u64),
    Disk(u64, Option<SystemTime>),
    Absent,
}

/// What the [`SourceDb`] of each check reads through.
#[derive(Default)]
struct State {
    overlays: RwLock<HashMap<PathBuf, Overlay>>,
    /// The last parse of each file, by canonical path.
    parses: Mutex<HashMap<PathBuf, SourceText>>,
    parsed: AtomicU64,
    next_version: AtomicU64,
    epoch: AtomicU64,
}

struct Overlay {
    text: Arc<[u8]>,
    version: u64,
}

impl Sources for State {
    fn overlay(&self, path: &Path) -> Option<Arc<[u8]>> {
        let overlays = self.overlays.read().unwrap_or_else(|e| e.into_inner());
        overlays.get(path).map(|o| o.text.clone())
    }

    fn source(&self, display: String, canonical: PathBuf, bytes: Vec<u8>) -> SourceText {
        let mut parses = self.parses.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = parses.get(&canonical)
            && known.text.as_bytes() == bytes.as_slice()
        {
            let mut source = known.clone();
            source.display = display;
            return source;
        }
        self.parsed.fetch_add(1, Ordering::Relaxed);
        let source = if parses.contains_key(&canonical) {
            // An edited file (an editor's buffer after a keystroke): what did not change is not
            // parsed again. The lock is held meanwhile; an edit is rarely one of many reads.
            read_source_after(display, canonical.clone(), bytes, parses.get(&canonical))
        } else {
            drop(parses);
            let source = read_source(display, canonical.clone(), bytes);
            parses = self.parses.lock().unwrap_or_else(|e| e.into_inner());
            source
        };
        parses.insert(canonical, source.clone());
        source
    }
}

impl State {
    fn version(&self, path: &Path) -> Version {
        let overlays = self.overlays.read().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = overlays.get(path) {
            return Version::Memory(o.version);
        }
        match std::fs::metadata(path) {
            Ok(meta) => Version::Disk(meta.len(), meta.modified().ok()),
            Err(_) => Version::Absent,
        }
    }
}

impl Workspace {
    /// An empty workspace: no overlay, nothing cached, the default check options.
    pub fn new() -> Self {
        Self::default()
    }

    /// A workspace whose [`Workspace::check_document`] checks with `options` (models are
    /// always kept).
    pub fn with_options(options: CheckOptions) -> Self {
        Workspace {
            options,
            ..Workspace::default()
        }
    }

    /// Holds `text` in place of the file at `path` (which need not exist on disk) until
    /// [`Workspace::remove_overlay`]. A `sopc.yaml` can be held too. Bytes that are not UTF-8
    /// are reported as the file on disk would be.
    pub fn set_overlay(&mut self, path: &Path, text: impl Into<Vec<u8>>) {
        let key = overlay_key(path);
        let version = self.state.next_version.fetch_add(1, Ordering::Relaxed);
        let overlay = Overlay {
            text: text.into().into(),
            version,
        };
        let mut overlays = self
            .state
            .overlays
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if overlays.insert(key.clone(), overlay).is_none() && !key.exists() {
            self.state.epoch.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Goes back to the file on disk for `path`, and forgets its result as a document (an
    /// editor closed it).
    pub fn remove_overlay(&mut self, path: &Path) {
        let key = overlay_key(path);
        let mut overlays = self
            .state
            .overlays
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if overlays.remove(&key).is_some() && !key.exists() {
            self.state.epoch.fetch_add(1, Ordering::Relaxed);
        }
        self.documents.remove(&key);
    }

    /// Forgets what is kept for the file at `path` unless an overlay holds it: its result as a
    /// document and its parse. For a front end that reads many files once (a language server
    /// finding references over a folder), so that memory stays that of the files in use; the
    /// file is read and parsed again the next time it is needed.
    pub fn forget(&mut self, path: &Path) {
        let key = overlay_key(path);
        if self.state.overlay(&key).is_some() {
            return;
        }
        self.documents.remove(&key);
        let mut parses = self.state.parses.lock().unwrap_or_else(|e| e.into_inner());
        parses.remove(&key);
    }

    /// Checks `paths` (files, or directories searched for `*.sop`) as `sopc check` does, but
    /// through the overlays; a path held only in memory is checked as a file.
    pub fn check_paths(
        &mut self,
        paths: &[PathBuf],
        options: &CheckOptions,
    ) -> Result<CheckOutcome, PathError> {
        let (memory, disk): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .iter()
            .cloned()
            .partition(|p| !p.exists() && self.state.overlay(&overlay_key(p)).is_some());
        let mut inputs = if disk.is_empty() && !memory.is_empty() {
            Inputs::default()
        } else {
            expand(&disk)?
        };
        inputs.files.extend(
            memory
                .into_iter()
                .map(|p| (p.clone(), p.display().to_string())),
        );
        Ok(check_inputs(self.db(), inputs, options))
    }

    /// Checks the document at `path` (a file with a `sop` header, or a library on its own) as
    /// `sopc check PATH` would, through the overlays. Served from the cache unless the text of
    /// the document, of a file it imports, or of their `sopc.yaml` changed since the last check.
    pub fn check_document(&mut self, path: &Path) -> Result<Arc<DocumentResult>, PathError> {
        let key = overlay_key(path);
        let epoch = self.state.epoch.load(Ordering::Relaxed);
        if let Some(cached) = self.documents.get(&key)
            && cached.epoch == epoch
            && cached.deps.iter().all(|(p, v)| self.state.version(p) == *v)
        {
            return Ok(cached.result.clone());
        }
        if self.state.overlay(&key).is_none() && !path.exists() {
            return Err(PathError(format!("`{}` does not exist", path.display())));
        }
        let inputs = Inputs {
            files: vec![(path.to_path_buf(), path.display().to_string())],
            ..Inputs::default()
        };
        let options = CheckOptions {
            keep_models: true,
            ..self.options.clone()
        };
        let outcome = check_inputs(self.db(), inputs, &options);
        self.checks += 1;
        let mut paths: HashSet<PathBuf> = HashSet::from([key.clone()]);
        for id in outcome.db.ids() {
            let canonical = &outcome.db.get(id).canonical;
            paths.insert(canonical.clone());
            if outcome.db.get(id).is_sop() {
                paths.insert(model::project_root(canonical).join(FILE_NAME));
            }
        }
        let deps = paths
            .into_iter()
            .map(|p| {
                let v = self.state.version(&p);
                (p, v)
            })
            .collect();
        let result = Arc::new(DocumentResult {
            findings: outcome.findings,
            model: outcome.models.into_iter().next().map(Arc::new),
            unreadable: outcome.unreadable,
            db: outcome.db,
            generation: self.checks,
        });
        self.documents.insert(
            key,
            Cached {
                deps,
                epoch,
                result: result.clone(),
            },
        );
        Ok(result)
    }

    /// The model of the document at `path` (checking it if needed); `None` when it, or a file it
    /// imports, does not parse.
    pub fn model(&mut self, path: &Path) -> Result<Option<Arc<Model>>, PathError> {
        Ok(self.check_document(path)?.model.clone())
    }

    /// The documents checked with [`Workspace::check_document`] (and not closed) that read
    /// `path`, through an import or as their configuration: the ones to check again and
    /// publish when `path` changes. `path` itself is not among them; sorted.
    pub fn dependents(&self, path: &Path) -> Vec<PathBuf> {
        let key = overlay_key(path);
        let mut out: Vec<PathBuf> = self
            .documents
            .iter()
            .filter(|(doc, c)| **doc != key && c.deps.iter().any(|(p, _)| *p == key))
            .map(|(doc, _)| doc.clone())
            .collect();
        out.sort();
        out
    }

    /// How much work the workspace has done so far.
    pub fn stats(&self) -> Stats {
        Stats {
            parses: self.state.parsed.load(Ordering::Relaxed),
            checks: self.checks,
        }
    }

    fn db(&self) -> SourceDb {
        SourceDb::with_sources(self.state.clone())
    }
}

/// Checks `bytes` as the file at `path` (which need not exist), with its imports and its
/// project's `sopc.yaml` read from disk: for text that has no file of its own (fuzzing, tests,
/// benchmarks). Nothing is cached.
pub fn check_source(
    path: &Path,
    bytes: impl Into<Vec<u8>>,
    options: &CheckOptions,
) -> CheckOutcome {
    let key = overlay_key(path);
    let sources = OneText {
        path: key.clone(),
        bytes: bytes.into().into(),
    };
    let inputs = Inputs {
        files: vec![(key, path.display().to_string())],
        ..Inputs::default()
    };
    check_inputs(SourceDb::with_sources(Arc::new(sources)), inputs, options)
}

/// One text in place of one file, parsed as read.
struct OneText {
    path: PathBuf,
    bytes: Arc<[u8]>,
}

impl Sources for OneText {
    fn overlay(&self, path: &Path) -> Option<Arc<[u8]>> {
        (path == self.path).then(|| self.bytes.clone())
    }
}
