//! `sopc check`: run the driver on the paths named, print the findings, choose the exit code.

use std::io::Write;
use std::path::Path;

use super::cli::{CheckArgs, Deny, Format};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human, json, sarif};
use crate::diag::Severity;
use crate::driver::{Baseline, CheckOptions, CheckOutcome, PathError, check_paths};
use crate::files::write::{Keep, describe, write_atomically};
use crate::text::ShowPath;

/// Prints on stderr what was left out of the run (notes) and what could not be read (errors).
pub(super) fn report_inputs(outcome: &CheckOutcome) {
    for (path, why) in &outcome.skipped {
        say!("note: skipped `{}`: {why}", crate::text::visible(path));
    }
    for (path, why) in &outcome.unreadable {
        say!("error: cannot read `{}`: {why}", crate::text::visible(path));
    }
}

pub(super) fn run(args: CheckArgs) -> u8 {
    let options = CheckOptions {
        require_reason: args.require_reason,
        keep_models: false,
        today: args.today,
        ..super::check_options()
    };
    // Read before the run, so that a bad baseline stops it before any output.
    let baseline = match args.baseline.as_deref().map(read_baseline).transpose() {
        Ok(b) => b,
        Err(message) => {
            say!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut outcome = if args.fix {
        match super::fix_cmd::run(&args, &options) {
            super::fix_cmd::FixRun::Report(o) => o,
            super::fix_cmd::FixRun::Exit(code) => return code,
        }
    } else {
        match check_paths(&args.paths, &options) {
            Ok(o) => o,
            Err(PathError(message)) => {
                say!("error: {message}");
                return EXIT_USAGE;
            }
        }
    };
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &outcome);
    }
    let accepted = baseline.map_or(0, |b| b.filter(&mut outcome));
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        Format::Human => {
            let color = super::use_color(std::io::IsTerminal::is_terminal(&std::io::stdout()));
            human::write(&mut stdout, &outcome, color, None)
        }
        Format::Json => json::write(&mut stdout, &outcome),
        Format::Sarif => sarif::write(&mut stdout, &outcome),
        Format::Github => json::write_github(&mut stdout, &outcome),
    };
    if written.and_then(|_| stdout.flush()).is_err() {
        return EXIT_USAGE;
    }
    report_inputs(&outcome);
    if accepted > 0 {
        let s = if accepted == 1 { "" } else { "s" };
        say!("note: {accepted} finding{s} recorded in the baseline not shown");
    }
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let deny_warnings = args.deny.contains(&Deny::Warnings) && warnings > 0;
    let too_many = args.max_warnings.is_some_and(|n| warnings > n);
    if errors == 0 && deny_warnings {
        let s = if warnings == 1 { "" } else { "s" };
        say!("error: {warnings} warning{s} and `--deny warnings`: the run fails on any warning");
    } else if errors == 0 && too_many {
        let s = if warnings == 1 { "" } else { "s" };
        let max = args.max_warnings.unwrap_or_default();
        say!("error: {warnings} warning{s}, more than `--max-warnings {max}` allows");
    }
    if errors > 0 || deny_warnings || too_many {
        EXIT_FAIL
    } else if !outcome.unreadable.is_empty() {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}

/// The baseline at `path`, or what is wrong with it.
fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let shown = path.shown();
    let bytes = crate::files::read::read_regular(path, crate::files::read::SMALL_LIMIT)
        .map_err(|e| format!("cannot read baseline `{shown}`: {e}"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("baseline `{shown}` is not UTF-8 text"))?;
    Baseline::from_json(&text).map_err(|why| {
        format!("cannot use baseline `{shown}`: {why}\nhelp: write one with `sopc check --write-baseline {shown}`")
    })
}

/// Records every finding of `outcome` in `path`; the run succeeds when it is written.
fn write_baseline(path: &Path, outcome: &CheckOutcome) -> u8 {
    report_inputs(outcome);
    let text = Baseline::to_json(outcome);
    if let Err(e) = write_atomically(path, text.as_bytes(), Keep::Mode) {
        say!(
            "error: cannot write baseline `{}`: {}",
            path.shown(),
            describe(&e)
        );
        return EXIT_USAGE;
    }
    let n = outcome.findings.len();
    let s = if n == 1 { "" } else { "s" };
    say!(
        "recorded {n} finding{s} in `{}`; `sopc check --baseline {}` reports only new ones",
        path.shown(),
        path.shown()
    );
    if outcome.unreadable.is_empty() {
        EXIT_OK
    } else {
        EXIT_USAGE
    }
}
