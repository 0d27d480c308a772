//! `sopc check`: run the driver on the paths named, print the findings, choose the exit code.

use std::io::Write;

use super::cli::{CheckArgs, Color, Deny, Format};
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human, json, sarif};
use crate::diag::Severity;
use crate::driver::{CheckOptions, CheckOutcome, PathError, check_paths};

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
    };
    let outcome = if args.fix {
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
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
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
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let deny_warnings = args.deny.contains(&Deny::Warnings) && warnings > 0;
    let too_many = args.max_warnings.is_some_and(|n| warnings > n);
    if errors > 0 || deny_warnings || too_many {
        EXIT_FAIL
    } else if !outcome.unreadable.is_empty() {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}
