//! `sopc build`: check, render every document in memory, then move all outputs into place at
//! once (`files::write::staged`), so a failure never leaves a half-written handbook.

use crate::text::ShowPath;
use std::collections::BTreeMap;
use std::io::{self, Write};

use std::path::Path;

use super::check::report_inputs;
use super::cli::{BuildArgs, LangArg};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human};
use crate::diag::Severity;
use crate::driver::{CheckOptions, PathError, check_paths};
use crate::files::write::describe;
use crate::files::write::staged::{self, PublishError, Recovered};
use crate::lint::calendar::{self, Day};
use crate::model::Model;
use crate::render::{DocumentView, Lang, SiteDocument, Templates, render_document, render_site};

pub(super) fn run(args: BuildArgs) -> u8 {
    // What a killed build left is finished first, whatever becomes of this one.
    if args.output.is_dir() && !recover(&args.output) {
        return EXIT_USAGE;
    }
    let outcome = match check_paths(
        &args.paths,
        &CheckOptions {
            keep_models: true,
            today: args.today,
            ..super::check_options()
        },
    ) {
        Ok(o) => o,
        Err(PathError(message)) => {
            say!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut stdout = io::stdout().lock();
    if !outcome.findings.is_empty() {
        let color = super::use_color(io::IsTerminal::is_terminal(&io::stdout()));
        if human::write(&mut stdout, &outcome, color, None).is_err() {
            return EXIT_USAGE;
        }
    }
    report_inputs(&outcome);
    if outcome.count(Severity::Error) > 0 {
        say!("error: nothing was built: fix the errors above first");
        return EXIT_FAIL;
    }
    if !outcome.unreadable.is_empty() {
        return EXIT_USAGE;
    }
    let documents = match documents(&outcome) {
        Ok(d) if d.is_empty() => {
            say!("error: no document to build: no file has a `sop` header");
            return EXIT_USAGE;
        }
        Ok(d) => d,
        Err(e) => {
            say!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let templates = match &args.templates {
        Some(dir) => match Templates::from_dir(dir) {
            Ok(t) => t,
            Err(e) => {
                say!("error: {e}");
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
    let today = args.today.unwrap_or_else(Day::today_utc);
    let views: Vec<(&String, DocumentView, Option<bool>)> = (documents.iter())
        .map(|(name, (_, model))| {
            let overdue = (model.header.as_ref())
                .and_then(calendar::review_due)
                .map(|due| due < today);
            (name, DocumentView::from_model(model, lang), overdue)
        })
        .collect();
    let template_error = |e: crate::render::TemplateError| {
        say!("error: template {e}");
        say!("nothing was written");
        EXIT_USAGE
    };
    for (name, view, _) in &views {
        match render_document(view, name, &templates) {
            Ok(files) => outputs.extend(files),
            Err(e) => return template_error(e),
        }
    }
    // Several documents make a site: an index of them all and a page per role.
    if views.len() > 1 {
        let site: Vec<SiteDocument> = (views.iter())
            .map(|(name, view, overdue)| SiteDocument {
                name,
                view,
                overdue: *overdue,
            })
            .collect();
        match render_site(&site, &templates) {
            Ok(files) => outputs.extend(files),
            Err(e) => return template_error(e),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(dup) = outputs.iter().find(|o| !seen.insert(&o.path)) {
        say!(
            "error: two outputs would both be `{}`: rename one of the documents (or its folder) and build again\nnothing was written",
            args.output.join(&dup.path).shown()
        );
        return EXIT_USAGE;
    }
    let outputs: Vec<_> = outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
    match staged::publish(&args.output, &outputs) {
        Ok(()) => {}
        Err(PublishError::Unchanged(why)) => {
            say!(
                "error: cannot write to `{}`: {why}\nnothing was changed",
                args.output.shown()
            );
            return EXIT_USAGE;
        }
        Err(PublishError::Partial(why)) => {
            say!("error: cannot write to `{}`: {why}", args.output.shown());
            return EXIT_USAGE;
        }
    }
    for (name, (source, _)) in &documents {
        let _ = writeln!(
            stdout,
            "built {} -> {}",
            crate::text::visible(source),
            args.output.join(format!("{name}.*")).shown()
        );
    }
    EXIT_OK
}

/// Finishes or undoes a build of `dir` that was interrupted; false (after saying why) when
/// that is not possible.
fn recover(dir: &Path) -> bool {
    match staged::recover(dir) {
        Ok(Recovered::Nothing | Recovered::Cleaned) => true,
        Ok(Recovered::Finished) => {
            say!(
                "note: an earlier `sopc build` into `{}` was interrupted; its new outputs are now all in place",
                dir.shown()
            );
            true
        }
        Ok(Recovered::PutBack) => {
            say!(
                "note: an earlier `sopc build` into `{}` was interrupted; the outputs before it were put back",
                dir.shown()
            );
            true
        }
        Err(e) => {
            say!(
                "error: an earlier `sopc build` into `{}` was interrupted, and finishing it failed: {}\nfix the problem and run again; the build's work folder is `{}`",
                dir.shown(),
                describe(&e),
                dir.join(staged::WORK).shown()
            );
            false
        }
    }
}

/// Every document of the run (a model with a `sop` header), by output name, with its source path.
/// The output name is the file stem made safe ([`output_name`]); documents that share one are
/// told apart by their folders below the folder they have in common (`sales/sales`,
/// `sales-en/sales`), so that they build side by side.
fn documents(
    outcome: &crate::driver::CheckOutcome,
) -> Result<BTreeMap<String, (String, &Model)>, String> {
    let mut found: Vec<(String, std::path::PathBuf, String, &Model)> = Vec::new();
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
        let dir = src
            .canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        found.push((output_name(&stem), dir, src.display.clone(), m));
    }
    let mut out: BTreeMap<String, (String, &Model)> = BTreeMap::new();
    for (name, dir, display, m) in &found {
        let same: Vec<&std::path::PathBuf> = (found.iter())
            .filter(|(n, ..)| n == name)
            .map(|(_, d, ..)| d)
            .collect();
        let name = if same.len() > 1 {
            qualified(name, dir, &common_folder(&same))
        } else {
            name.clone()
        };
        if let Some((other, _)) = out.get(&name) {
            return Err(format!(
                "`{other}` and `{display}` would both write `{name}.*`: rename one of them, or build them into separate folders"
            ));
        }
        out.insert(name, (display.clone(), *m));
    }
    Ok(out)
}

/// The deepest folder that holds all of `dirs`.
fn common_folder(dirs: &[&std::path::PathBuf]) -> std::path::PathBuf {
    let mut common: std::path::PathBuf = dirs[0].clone();
    for d in &dirs[1..] {
        while !d.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// `name` inside the folders that lead from `common` to `dir`, each made safe: `sales-en/sales`.
fn qualified(name: &str, dir: &Path, common: &Path) -> String {
    let rel = dir.strip_prefix(common).unwrap_or(dir);
    let mut parts: Vec<String> = (rel.components())
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(output_name(&s.to_string_lossy())),
            _ => None,
        })
        .collect();
    parts.push(name.to_string());
    parts.join("/")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_are_told_apart_by_their_folders() {
        let (a, b) = (
            std::path::PathBuf::from("/r/examples/sales"),
            std::path::PathBuf::from("/r/examples/sales-en"),
        );
        let common = common_folder(&[&a, &b]);
        assert_eq!(common, Path::new("/r/examples"));
        assert_eq!(qualified("sales", &a, &common), "sales/sales");
        assert_eq!(qualified("sales", &b, &common), "sales-en/sales");
        let (c, d) = (
            std::path::PathBuf::from("/r/x"),
            std::path::PathBuf::from("/r/x/a b"),
        );
        let common = common_folder(&[&c, &d]);
        assert_eq!(qualified("s", &c, &common), "s");
        assert_eq!(qualified("s", &d, &common), "a_b/s");
    }

    #[test]
    fn output_names_stay_inside_the_folder() {
        assert_eq!(output_name("sales"), "sales");
        assert_eq!(output_name("销售 流程"), "销售_流程");
        assert_eq!(output_name(".."), "sop");
        assert_eq!(output_name("a/b\\c"), "a_b_c");
        assert_eq!(output_name("v1.2"), "v1.2");
    }
}
