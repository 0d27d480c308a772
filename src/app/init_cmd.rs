//! `sopc init [DIR]`: a small working project to start from. It never overwrites a file.

use std::path::{Path, PathBuf};

use super::cli::InitArgs;
use super::{EXIT_OK, EXIT_USAGE};

/// The files of a new project, by path inside it.
pub const FILES: &[(&str, &str)] = &[
    ("sopc.yaml", include_str!("init/sopc.yaml")),
    ("sales.sop", include_str!("init/sales.sop")),
    ("shared/roles.sop", include_str!("init/roles.sop")),
];

pub(super) fn run(args: InitArgs) -> u8 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(p, _)| dir.join(p))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        for p in &existing {
            eprintln!("error: `{}` already exists", p.display());
        }
        eprintln!("nothing was written: sopc init never overwrites a file");
        return EXIT_USAGE;
    }
    if let Err(e) = write(&dir) {
        eprintln!("error: cannot write into `{}`: {e}", dir.display());
        return EXIT_USAGE;
    }
    for (p, _) in FILES {
        println!("created {}", dir.join(p).display());
    }
    println!();
    println!(
        "next: sopc check {0} && sopc build {0} -o {1}",
        dir.display(),
        dir.join("out").display()
    );
    EXIT_OK
}

fn write(dir: &Path) -> std::io::Result<()> {
    for (path, text) in FILES {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // `create_new`: a file that appeared since the check is still not overwritten.
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)?;
        f.write_all(text.as_bytes())?;
    }
    Ok(())
}
