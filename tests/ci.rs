//! The CI adoption aids: the pre-commit hook runs sopc as its docs say.

use serde::Deserialize;

use crate::support::{repo, run_in, run_in_code};

#[derive(Debug, Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
}

#[test]
fn pre_commit_hook_runs_sopc_check_on_sop_files() {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml");
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h.id == "sopc-check")
        .expect("a sopc-check hook");
    assert_eq!(hook.language, "rust");
    assert_eq!(hook.files, r"\.sop$");
    assert!(hook.pass_filenames);
    // pre-commit appends the staged file names to the entry.
    let mut words = hook.entry.split_whitespace();
    assert_eq!(words.next(), Some("sopc"));
    let mut args: Vec<&str> = words.collect();
    args.push("examples/sales/sales.sop");
    run_in(&repo(), &args);
    args.push("examples/broken/invalid-value.sop");
    assert_eq!(run_in_code(&repo(), &args, 1).code, 1);
}
