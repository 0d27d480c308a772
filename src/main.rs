fn main() -> std::process::ExitCode {
    sopc::run()
}
