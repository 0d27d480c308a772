//! `sopc lsp`: the language server on stdin and stdout.

use super::cli::LspArgs;

pub(super) fn run(args: LspArgs) -> u8 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let options = crate::driver::CheckOptions {
        today: args.today,
        ..super::check_options()
    };
    crate::lsp::serve_with(stdin.lock(), stdout.lock(), options)
}
