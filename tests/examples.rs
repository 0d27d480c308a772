//! The repository's own content: the examples check as they claim.

use crate::support::{repo, run_in, run_in_any, run_in_code};

#[test]
fn sales_examples_check_clean() {
    let run = run_in(
        &repo(),
        &[
            "check",
            "--format",
            "json",
            // The examples were last reviewed on 2026-11-16, quarterly: pinned so that they
            // stay clean after their next review falls due.
            "--today",
            "2026-12-01",
            "examples/sales",
            "examples/sales-en",
        ],
    );
    let json = run.json();
    assert_eq!(
        json["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        run.stdout
    );
    assert_eq!(json["summary"]["files"], 4);
}

#[test]
fn readme_check_command_works() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- check examples/sales"));
    assert!(readme.contains("cargo test"));
    let run = run_in(
        &repo(),
        &["check", "--today", "2026-12-01", "examples/sales"],
    );
    assert!(
        run.stdout.ends_with("0 errors, 0 warnings in 2 files\n"),
        "{}",
        run.stdout
    );
}

/// Every file in `examples/broken/` (or folder, for a check that needs more than one file, such
/// as `invalid-config/` with its `sopc.yaml`) is named after a check, and that check fires on it:
/// an error fails the run, a warning or info shows in the output.
#[test]
fn each_broken_example_shows_its_check() {
    let dir = repo().join("examples/broken");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (rule, rel) = if path.is_dir() {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let rel = format!("examples/broken/{name}");
            (name, rel)
        } else {
            assert_eq!(
                path.extension().and_then(|x| x.to_str()),
                Some("sop"),
                "{}",
                path.display()
            );
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let rel = format!("examples/broken/{name}.sop");
            (name, rel)
        };
        let info = sopc::lint::find_rule(&rule)
            .unwrap_or_else(|| panic!("{} is not named after a check", path.display()));
        let run = run_in_any(&repo(), &["check", "--format", "json", &rel]);
        let rules: Vec<String> = run.rules_and_lines().into_iter().map(|(r, _)| r).collect();
        assert!(rules.contains(&rule), "{rel}: {rules:?}");
        let expected_code = if info.default == sopc::lint::Level::Error {
            1
        } else {
            0
        };
        assert_eq!(run.code, expected_code, "{rel}: {}", run.stdout);
        let human = run_in_code(&repo(), &["check", &rel], expected_code);
        assert!(human.stdout.contains(&rule), "{rel}: {}", human.stdout);
        seen += 1;
    }
    assert_eq!(
        seen,
        sopc::lint::RULES.len(),
        "one broken example per check"
    );
}
