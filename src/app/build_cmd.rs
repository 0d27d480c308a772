//! `sopc build`: check, render every document in memory, then write all outputs into a staging
//! folder and rename them into place, so a failure never leaves a half-written handbook.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::check::{CheckOptions, PathError, check_paths, report_inputs};
use super::cli::{BuildArgs, LangArg};
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human};
use crate::diag::Severity;
use crate::model::Model;
use crate::render::{DocumentView, Lang, Output, Templates, render_document};

pub(super) fn run(args: BuildArgs) -> u8 {
    let outcome = match check_paths(
        &args.paths,
        &CheckOptions {
            keep_models: true,
            ..CheckOptions::default()
        },
    ) {
        Ok(o) => o,
        Err(PathError(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut stdout = io::stdout().lock();
    if !outcome.findings.is_empty() {
        let color =
            io::IsTerminal::is_terminal(&io::stdout()) && std::env::var_os("NO_COLOR").is_none();
        if human::write(&mut stdout, &outcome, color, None).is_err() {
            return EXIT_USAGE;
        }
    }
    report_inputs(&outcome);
    if outcome.count(Severity::Error) > 0 {
        eprintln!("error: nothing was built: fix the errors above first");
        return EXIT_FAIL;
    }
    if !outcome.unreadable.is_empty() {
        return EXIT_USAGE;
    }
    let documents = match documents(&outcome) {
        Ok(d) if d.is_empty() => {
            eprintln!("error: no document to build: no file has a `sop` header");
            return EXIT_USAGE;
        }
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let templates = match &args.templates {
        Some(dir) => match Templates::from_dir(dir) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        },
        None => Templates::embedded(),
    };
    let lang = args.lang.map(|l| match l {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    });
    let mut outputs = Vec::new();
    for (name, (_, model)) in &documents {
        let view = DocumentView::from_model(model, lang);
        match render_document(&view, name, &templates) {
            Ok(files) => outputs.extend(files),
            Err(e) => {
                eprintln!("error: template {e}");
                eprintln!("nothing was written");
                return EXIT_USAGE;
            }
        }
    }
    if let Err(e) = write_atomically(&args.output, &outputs) {
        eprintln!(
            "error: cannot write to `{}`: {e}; nothing was changed",
            args.output.display()
        );
        return EXIT_USAGE;
    }
    for (name, (source, _)) in &documents {
        let _ = writeln!(
            stdout,
            "built {source} -> {}",
            args.output.join(format!("{name}.*")).display()
        );
    }
    EXIT_OK
}

/// Every document of the run (a model with a `sop` header), by output name, with its source path.
fn documents(outcome: &super::CheckOutcome) -> Result<BTreeMap<String, (String, &Model)>, String> {
    let mut out: BTreeMap<String, (String, &Model)> = BTreeMap::new();
    for m in &outcome.models {
        let (Some(root), Some(_)) = (m.root, &m.header) else {
            continue;
        };
        let src = outcome.db.get(root);
        let stem = src
            .canonical
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = output_name(&stem);
        if let Some((other, _)) = out.get(&name) {
            return Err(format!(
                "`{other}` and `{}` would both write `{name}.*`: build them into separate folders",
                src.display
            ));
        }
        out.insert(name, (src.display.clone(), m));
    }
    Ok(out)
}

/// A file stem made safe as a file name in any folder: letters, digits, `-`, `_` and inner `.`;
/// anything else becomes `_`.
pub(crate) fn output_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_matches('.');
    if name.is_empty() {
        "sop".to_string()
    } else {
        name.to_string()
    }
}

/// Writes `outputs` under `dir`: first all into a staging folder, then each top-level entry is
/// renamed into place (a file replaces the old file, a folder the old folder). When `dir` does
/// not exist yet, the staging folder sits next to it and becomes it in one rename.
fn write_atomically(dir: &Path, outputs: &[Output]) -> io::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::other("it is not a folder"));
    }
    let exists = dir.is_dir();
    let tag = format!("sopc-build-{}", std::process::id());
    let staging = if exists {
        dir.join(format!(".{tag}"))
    } else {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let base = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        parent.join(format!(".{base}.{tag}"))
    };
    let result = stage(&staging, outputs).and_then(|()| {
        if exists {
            move_entries(&staging, dir)
        } else {
            std::fs::rename(&staging, dir)
        }
    });
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, outputs: &[Output]) -> io::Result<()> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)?;
    }
    std::fs::create_dir_all(staging)?;
    for o in outputs {
        let path = staging.join(&o.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut f = std::fs::File::create(&path)?;
        f.write_all(&o.bytes)?;
        f.sync_all()?;
    }
    Ok(())
}

/// Renames each entry of `staging` into `dir`; an old folder of the same name is first moved
/// aside into `staging` (and deleted with it).
fn move_entries(staging: &Path, dir: &Path) -> io::Result<()> {
    let mut names: Vec<_> = std::fs::read_dir(staging)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    let aside = staging.join(".replaced");
    for name in names {
        let target = dir.join(&name);
        if target.is_dir() {
            std::fs::create_dir_all(&aside)?;
            std::fs::rename(&target, aside.join(&name))?;
        }
        std::fs::rename(staging.join(&name), &target)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_stay_inside_the_folder() {
        assert_eq!(output_name("sales"), "sales");
        assert_eq!(output_name("销售 流程"), "销售_流程");
        assert_eq!(output_name(".."), "sop");
        assert_eq!(output_name("a/b\\c"), "a_b_c");
        assert_eq!(output_name("v1.2"), "v1.2");
    }
}
