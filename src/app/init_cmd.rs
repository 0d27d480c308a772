//! `sopc init [DIR]`: a small working project to start from. It never overwrites a file.

use crate::text::ShowPath;
use std::path::{Path, PathBuf};

use super::EXIT_USAGE;
use super::cli::InitArgs;
use super::terminal::say;
use crate::files::write::{describe, file_in_the_way, write_new};

/// The files of a new project, by path inside it.
pub const FILES: &[(&str, &str)] = &[
    ("sopc.yaml", include_str!("init/sopc.yaml")),
    ("sales.sop", include_str!("init/sales.sop")),
    ("shared/roles.sop", include_str!("init/roles.sop")),
];

pub(super) fn run(args: InitArgs) -> u8 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    // A file where a folder of the project must be: say so before anything is written.
    let folders = FILES
        .iter()
        .filter_map(|(p, _)| dir.join(p).parent().map(Path::to_path_buf));
    for folder in std::iter::once(dir.clone()).chain(folders) {
        if let Some(file) = file_in_the_way(&folder) {
            say!(
                "error: `{}` is a file, not a folder: sopc init needs a folder there (it creates one that does not exist)",
                file.shown()
            );
            say!("nothing was written: give sopc init another folder, or move the file away");
            return EXIT_USAGE;
        }
    }
    let existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(p, _)| dir.join(p))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        for p in &existing {
            say!("error: `{}` already exists", p.shown());
        }
        say!("nothing was written: sopc init never overwrites a file");
        return EXIT_USAGE;
    }
    if let Err((path, e)) = write(&dir) {
        say!("error: cannot write `{}`: {}", path.shown(), describe(&e));
        return EXIT_USAGE;
    }
    let mut out = String::new();
    for (p, _) in FILES {
        out.push_str(&format!("created {}\n", dir.join(p).shown()));
    }
    out.push_str(&format!(
        "\nnext: sopc check {0} && sopc build {0} -o {1}\n",
        dir.shown(),
        dir.join("out").shown()
    ));
    super::rules_cmd::print_quietly(&out)
}

/// Writes every file, each whole or not at all; on a failure, the path and why.
fn write(dir: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    for (path, text) in FILES {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
        }
        // Never over a file, even one that appeared since the check.
        write_new(&full, text.as_bytes()).map_err(|e| (full.clone(), e))?;
    }
    Ok(())
}
