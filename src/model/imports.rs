//! Imports: which files make up a document, in reading order, and what is wrong with its imports.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::source_db::{ReadError, SourceDb, overlay_key};
use crate::diag::{Diagnostic, FileId, FindingData, ImportProblem, Loc};
use crate::syntax::{Item, Str};

/// The project root of a file: the nearest directory holding `sopc.yaml`, else the nearest
/// holding `.git`, else the file's own directory.
pub fn project_root(file: &Path) -> PathBuf {
    project_root_of_dir(file.parent().unwrap_or(Path::new("/")))
}

/// The project root of the files in `dir`: the nearest directory from `dir` up holding
/// `sopc.yaml`, else the nearest holding `.git`, else `dir` itself.
pub fn project_root_of_dir(dir: &Path) -> PathBuf {
    let dir = dir.to_path_buf();
    for marker in ["sopc.yaml", ".git"] {
        if let Some(found) = dir.ancestors().find(|d| d.join(marker).exists()) {
            return found.to_path_buf();
        }
    }
    dir
}

/// The files of one document and the problems found while following its imports.
#[derive(Debug, Default)]
pub struct DocumentFiles {
    /// Reading order: every import before the file that imports it; the document's file last.
    pub files: Vec<FileId>,
    /// Imports that could not be followed: missing or unreadable files, cycles.
    pub diagnostics: Vec<Diagnostic>,
}

/// Follows the imports of `root_file`, loading files into `db`.
pub fn document_files(db: &mut SourceDb, root_file: FileId, project: &Path) -> DocumentFiles {
    let mut out = DocumentFiles::default();
    let mut done: HashSet<FileId> = HashSet::new();
    // Depth-first without recursion: (file, its imports, next import to follow).
    db.ensure_ast(root_file);
    let mut stack: Vec<(FileId, Vec<Str>, usize)> = vec![(root_file, imports_of(db, root_file), 0)];
    while let Some((file, imports, next)) = stack.last_mut() {
        let file = *file;
        let Some(import) = imports.get(*next).cloned() else {
            stack.pop();
            if done.insert(file) {
                out.files.push(file);
            }
            continue;
        };
        *next += 1;
        let loc = Loc::new(file, import.span);
        match resolve(db, file, &import, project) {
            Err(diag) => out.diagnostics.push(*diag),
            Ok(target) if done.contains(&target) => {}
            Ok(target) => {
                if let Some(pos) = stack.iter().position(|(f, _, _)| *f == target) {
                    let mut chain: Vec<String> = stack[pos..]
                        .iter()
                        .map(|(f, _, _)| db.get(*f).display.clone())
                        .collect();
                    chain.push(db.get(target).display.clone());
                    out.diagnostics.push(
                        Diagnostic::of(
                            loc,
                            FindingData::ImportCycle {
                                chain: chain.clone(),
                            },
                        )
                        .with_names(chain),
                    );
                } else {
                    db.ensure_ast(target);
                    let imports = imports_of(db, target);
                    stack.push((target, imports, 0));
                }
            }
        }
    }
    out
}

fn imports_of(db: &SourceDb, file: FileId) -> Vec<Str> {
    db.get(file)
        .ast()
        .map(|ast| {
            ast.items
                .iter()
                .filter_map(|i| match i {
                    Item::Import(imp) => Some(imp.path.clone()),
                    Item::Block(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn resolve(
    db: &mut SourceDb,
    from: FileId,
    import: &Str,
    project: &Path,
) -> Result<FileId, Box<Diagnostic>> {
    let loc = Loc::new(from, import.span);
    let fail = |problem: ImportProblem| {
        Box::new(
            Diagnostic::of(
                loc,
                FindingData::Import {
                    path: import.value.clone(),
                    problem,
                },
            )
            .with_names([import.value.clone()]),
        )
    };
    let written = Path::new(&import.value);
    if import.value.is_empty() {
        return Err(fail(ImportProblem::Empty));
    }
    if written.is_absolute() || written.has_root() {
        return Err(fail(ImportProblem::Absolute));
    }
    let importer = db.get(from);
    let base_dir = importer
        .canonical
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    let display_dir = Path::new(&importer.display)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let on_disk = base_dir.join(written);
    let display = normalize(&display_dir.join(written));
    let project = project
        .canonicalize()
        .unwrap_or_else(|_| project.to_path_buf());
    let outside = || fail(ImportProblem::OutsideProject);
    // Refused before looking at the disk: whether a file outside exists is none of our business.
    if !normalize(&on_disk).starts_with(&project) {
        return Err(outside());
    }
    let canonical = match on_disk.canonicalize() {
        Ok(p) => p,
        // A file not saved yet, held in memory.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && db.overlay(&overlay_key(&on_disk)).is_some() =>
        {
            overlay_key(&on_disk)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(ImportProblem::Missing));
        }
        Err(e) => {
            return Err(fail(ImportProblem::Unreadable {
                reason: e.to_string(),
            }));
        }
    };
    // Through a symbolic link, perhaps.
    if !canonical.starts_with(&project) {
        return Err(outside());
    }
    match db.load(&canonical, &display.to_string_lossy()) {
        Ok(id) if id == from => Err(fail(ImportProblem::SelfImport)),
        Ok(id) => Ok(id),
        Err(ReadError::Directory) => Err(fail(ImportProblem::Directory)),
        Err(ReadError::Missing) => Err(fail(ImportProblem::Missing)),
        Err(ReadError::NotRegular(kind)) => Err(fail(ImportProblem::NotRegular {
            what: kind.to_string(),
        })),
        Err(ReadError::TooLarge { limit }) => Err(fail(ImportProblem::TooLarge {
            limit: crate::files::read::size(limit),
        })),
        Err(ReadError::Unreadable(e)) => Err(fail(ImportProblem::Unreadable {
            reason: e.to_string(),
        })),
    }
}

/// `a/./b/../c` -> `a/c`, without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
