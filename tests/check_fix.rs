//! `sopc check --fix`: the fixes that findings carry, applied, in the layout `sopc fmt` writes,
//! never bringing a new finding of reading and resolving.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::support::{Project, Run, repo};

/// Every file of `examples/broken`, relative to it.
fn broken_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("examples/broken") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).expect("inside").to_path_buf());
            }
        }
    }
    let base = repo().join("examples/broken");
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

/// A copy of `examples/broken`.
fn broken_copy() -> Project {
    let base = repo().join("examples/broken");
    broken_files().iter().fold(Project::new(), |p, f| {
        p.bytes(
            &f.to_string_lossy(),
            &std::fs::read(base.join(f)).expect("readable"),
        )
    })
}

/// The findings of reading and resolving, by (rule, file, message), counted.
fn reading_findings(run: &Run) -> HashMap<(String, String, String), usize> {
    let reading = [
        "syntax",
        "undefined-reference",
        "duplicate-definition",
        "import-error",
        "invalid-value",
    ];
    let mut out = HashMap::new();
    for d in run.json()["diagnostics"].as_array().expect("diagnostics") {
        let rule = d["rule"].as_str().expect("rule");
        if reading.contains(&rule) {
            let key = (
                rule.to_string(),
                d["file"].as_str().expect("file").to_string(),
                d["message"].as_str().expect("message").to_string(),
            );
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

fn has_syntax_error(run: &Run) -> bool {
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .any(|d| d["rule"] == "syntax")
}

#[test]
fn fixes_on_every_broken_example_bring_no_new_finding_and_are_formatted() {
    let mut changed = Vec::new();
    for file in broken_files() {
        if file.extension().is_none_or(|e| e != "sop") {
            continue;
        }
        let name = file.to_string_lossy().to_string();
        let p = broken_copy();
        let before_text = std::fs::read_to_string(p.path().join(&file)).expect("the fixture");
        let before = p.run_any(&["check", "--format", "json", &name]);
        let fixed = p.run_any(&[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            &name,
        ]);
        assert!(
            fixed.code == 0 || fixed.code == 1,
            "{name}: {}",
            fixed.stderr
        );
        let after_text = std::fs::read_to_string(p.path().join(&file)).expect("the fixture");
        // What `--fix` reports is what a check of the fixed files finds.
        let after = p.run_any(&["check", "--format", "json", &name]);
        assert_eq!(fixed.json(), after.json(), "{name}");
        let (was, now) = (reading_findings(&before), reading_findings(&after));
        if has_syntax_error(&before) {
            continue;
        }
        for (key, n) in &now {
            assert!(
                was.get(key).is_some_and(|w| w >= n),
                "{name}: the fix brought {key:?}\n{after_text}"
            );
        }
        if after_text != before_text {
            assert!(
                now.values().sum::<usize>() < was.values().sum::<usize>(),
                "{name}: a fix removes its finding"
            );
            // The fixed file is what `sopc fmt` writes.
            p.run_code(&["fmt", "--check", &name], 0);
            changed.push(name);
        }
    }
    assert!(
        changed.contains(&"undefined-reference.sop".to_string()),
        "{changed:?}"
    );
}

#[test]
fn diff_shows_the_fix_and_writes_nothing() {
    let p = broken_copy();
    let before = std::fs::read_to_string(p.path().join("undefined-reference.sop")).unwrap();
    let run = p.run_code(&["check", "--fix", "--diff", "undefined-reference.sop"], 1);
    assert!(
        run.stdout
            .starts_with("--- undefined-reference.sop\t(original)\n")
    );
    assert!(
        run.stdout
            .contains("\n-  requires crm_basic\n+  requires crm_basics\n")
    );
    let after = std::fs::read_to_string(p.path().join("undefined-reference.sop")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn fix_writes_the_fix_and_reports_what_is_left() {
    let p = Project::new().file(
        "a.sop",
        "sop s { owner sales_rpe review quarterly }\nrole sales_rep { responsibilities \"跟进线索\" }\n",
    );
    let run = p.run_any(&["check", "--fix", "--format", "json", "a.sop"]);
    assert!(
        run.stderr.contains("fixed: 1 fix in 1 file"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(p.path().join("a.sop")).unwrap();
    assert!(text.contains("owner sales_rep\n"), "{text}");
    assert!(
        !run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "undefined-reference")
    );
    // Nothing left to fix: the file stays as it is.
    p.run_code(&["check", "--fix", "--diff", "a.sop"], 0);
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let text = "pipeline p1 {\n  stage won { terminal }\n}\n\npipeline p2 {\n  stage won { terminal }\n}\n\nkpi k {\n  stage won\n}\n";
    let p = Project::new().file("a.sop", text);
    let run = p.run_code(&["check", "--fix", "--diff", "a.sop"], 0);
    assert_eq!(run.stdout, "");
    p.run_any(&["check", "--fix", "--unsafe-fixes", "a.sop"]);
    let fixed = std::fs::read_to_string(p.path().join("a.sop")).unwrap();
    assert_eq!(fixed, text.replace("  stage won\n}", "  stage p1.won\n}"));
}

#[test]
fn syntax_fixes_follow_one_another_to_a_file_that_parses() {
    let p = Project::new().file(
        "a.sop",
        "role r ｛ responsibilities \"跟进\"，\"报价\" ｝\n",
    );
    let run = p.run_any(&["check", "--fix", "--format", "json", "a.sop"]);
    assert!(!has_syntax_error(&run), "{}", run.stdout);
    let fixed = std::fs::read_to_string(p.path().join("a.sop")).unwrap();
    assert_eq!(
        fixed,
        "role r {\n  responsibilities \"跟进\", \"报价\"\n}\n"
    );
}

#[test]
fn the_fix_flags_need_fix() {
    let p = Project::new().file("a.sop", "role r { responsibilities \"x\" }\n");
    let run = p.run_code(&["check", "--diff", "a.sop"], 2);
    assert!(run.stderr.contains("--fix"), "{}", run.stderr);
}
