//! The `sopc` command: everything is in the library, [`sopc::run`] parses the arguments.

fn main() -> std::process::ExitCode {
    sopc::run()
}
