//! `sopc lsp`: the language server on stdin and stdout.

pub(super) fn run() -> u8 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    crate::lsp::serve(stdin.lock(), stdout.lock())
}
