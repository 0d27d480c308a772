//! `sopc diff`: read both sides through the driver, compare them, print the report in the
//! format asked for, and choose the exit code from the gates asked for.

use std::collections::BTreeMap;
use std::io::Write;

use super::cli::{DiffArgs, DiffDeny, DiffFormat};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::diff;

pub(super) fn run(args: DiffArgs) -> u8 {
    let sides = match &args.git {
        Some(base) => diff::git_sides(base, &args.paths),
        None => match args.paths.as_slice() {
            [old, new] => diff::path_sides(old, new).map(|(o, n)| (o, n, BTreeMap::new())),
            _ => Err(format!(
                "`sopc diff` compares two files or two folders, and {} {} given; run `sopc diff OLD NEW` or `sopc diff --git BASE [PATH...]`",
                args.paths.len(),
                if args.paths.len() == 1 { "was" } else { "were" }
            )),
        },
    };
    let (old, new, old_paths) = match sides {
        Ok(s) => s,
        Err(message) => {
            say!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let report = diff::diff(&old, &new, &old_paths);
    let text = match args.format {
        DiffFormat::Human => diff::human(&report),
        DiffFormat::Markdown => diff::markdown(&report),
        DiffFormat::Json => report.to_json(),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return EXIT_USAGE;
    }
    for side in [&old, &new] {
        for (path, why) in &side.outcome.unreadable {
            say!(
                "warning: cannot read `{}`: {why}",
                crate::text::visible(path)
            );
        }
    }
    let failed = args.deny.iter().any(|d| match d {
        DiffDeny::NewErrors => report.has_new_errors(),
        DiffDeny::Changes => report.has_changes(),
    });
    if failed { EXIT_FAIL } else { EXIT_OK }
}

/// `sopc schema diff`: the JSON Schema of `sopc diff --format json`.
pub(super) fn schema() -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(diff::json_schema().as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}
