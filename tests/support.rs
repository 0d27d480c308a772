//! A small builder: write files into a temporary project, run sopc there, look at the result.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of sopc did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics, showing what sopc printed, unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32, args: &[&str]) {
        assert_eq!(
            self.code, code,
            "sopc {args:?} exited {} where {code} was expected\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }

    /// The JSON printed on stdout.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// `(rule, line)` of every diagnostic in JSON output.
    pub fn rules_and_lines(&self) -> Vec<(String, u64)> {
        self.json()["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().expect("rule").to_string(),
                    d["line"].as_u64().expect("line"),
                )
            })
            .collect()
    }
}

/// A temporary project directory with files in it.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Self {
        Project {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn file(self, path: &str, text: &str) -> Self {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("create dirs");
        std::fs::write(full, bytes).expect("write file");
        self
    }

    #[allow(dead_code, reason = "used by some test modules only")]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs sopc with `args` in the project directory; it must exit 0.
    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_code(args, 0)
    }

    /// Runs sopc with `args` in the project directory; it must exit with `code`.
    #[track_caller]
    pub fn run_code(&self, args: &[&str], code: i32) -> Run {
        run_in_code(self.dir.path(), args, code)
    }

    /// Runs sopc with `args` in the project directory, whatever its exit code (for tests that
    /// look at the code themselves, as one of several outcomes).
    #[allow(dead_code, reason = "used by some test modules only")]
    pub fn run_any(&self, args: &[&str]) -> Run {
        run_in_any(self.dir.path(), args)
    }
}

/// The repository's own directory.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the sopc binary in `dir`; it must exit 0.
#[allow(dead_code, reason = "used by some test modules only")]
#[track_caller]
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_in_code(dir, args, 0)
}

/// Runs the sopc binary in `dir`; it must exit with `code`.
#[track_caller]
pub fn run_in_code(dir: &Path, args: &[&str], code: i32) -> Run {
    let run = run_in_any(dir, args);
    run.expect_code(code, args);
    run
}

/// Runs the sopc binary in `dir`, whatever its exit code.
pub fn run_in_any(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sopc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("sopc runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}
