//! The command line: clap commands, exit codes and output formats. `main.rs` only calls [`run`].

mod audit_cmd;
mod audit_human;
mod build_cmd;
mod check;
mod cli;
mod diff_cmd;
mod fix_cmd;
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

/// The options every command took, set once before the command runs.
static GLOBAL: std::sync::OnceLock<cli::GlobalArgs> = std::sync::OnceLock::new();

fn global() -> cli::GlobalArgs {
    GLOBAL.get().cloned().unwrap_or_default()
}

/// The check options every command starts from: `--config`.
fn check_options() -> crate::driver::CheckOptions {
    crate::driver::CheckOptions {
        config: global().config,
        ..crate::driver::CheckOptions::default()
    }
}

/// Whether to colour what goes to a stream: `--color`, else colour on a terminal unless
/// `NO_COLOR` is set.
fn use_color(is_terminal: bool) -> bool {
    match global().color {
        cli::Color::Always => true,
        cli::Color::Never => false,
        cli::Color::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn dispatch(cli: Cli) -> u8 {
    if let Some(path) = &cli.global.config
        && !path.is_file()
    {
        terminal::say!(
            "error: cannot read `{}`: no such file\nhelp: `--config` names a configuration file such as `sopc.yaml`",
            crate::text::visible(&path.display().to_string())
        );
        return EXIT_USAGE;
    }
    let _ = GLOBAL.set(cli.global.clone());
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules_cmd::list(args),
        Command::Explain(args) => rules_cmd::explain(args),
        Command::Fmt(args) => fmt_cmd::run(args),
        Command::Build(args) => build_cmd::run(args),
        Command::Graph(args) => graph_cmd::run(args),
        Command::Schema(args) => match args.of {
            Some(cli::SchemaOf::Diff) => diff_cmd::schema(),
            None => schema_cmd::run(),
        },
        Command::Init(args) => init_cmd::run(args),
        Command::Audit(args) => audit_cmd::run(*args),
        Command::Diff(args) => diff_cmd::run(args),
        Command::Lsp(args) => lsp_cmd::run(args),
    }
}
