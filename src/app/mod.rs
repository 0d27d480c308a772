//! The command line: clap commands, exit codes and output formats. `main.rs` only calls [`run`].

mod audit_cmd;
mod audit_html;
mod audit_human;
mod audit_text;
mod build_cmd;
mod check;
mod cli;
mod fmt_cmd;
mod graph_cmd;
mod human;
mod init_cmd;
mod json;
mod lsp_cmd;
mod rules_cmd;
mod sarif;
mod schema_cmd;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

pub use cli::{Cli, Command};

/// Exit code: no error.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings that fail the run.
pub const EXIT_FAIL: u8 = 1;
/// Exit code: the run could not be done (bad arguments, unreadable path).
pub const EXIT_USAGE: u8 = 2;

/// Runs sopc with the process's arguments.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(dispatch(cli))
}

fn dispatch(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules_cmd::list(args),
        Command::Explain(args) => rules_cmd::explain(args),
        Command::Fmt(args) => fmt_cmd::run(args),
        Command::Build(args) => build_cmd::run(args),
        Command::Graph(args) => graph_cmd::run(args),
        Command::Schema => schema_cmd::run(),
        Command::Init(args) => init_cmd::run(args),
        Command::Audit(args) => audit_cmd::run(*args),
        Command::Lsp => lsp_cmd::run(),
    }
}
