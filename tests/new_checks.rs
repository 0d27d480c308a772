//! The checks of language 1.1 where their fixtures cannot show it: dates against `--today`,
//! and the command-line options that go with them.

use crate::support::Project;

fn rules(run: &crate::support::Run) -> Vec<(String, u64)> {
    run.rules_and_lines()
}

const REVIEWED: &str = "sop s {\n  review quarterly\n  reviewed 2026-06-30\n}\n";

/// Quarterly after 2026-06-30 is 2026-09-30: due that day, overdue the day after.
#[test]
fn review_overdue_is_strictly_before_today() {
    let p = Project::new().file("s.sop", REVIEWED);
    for (today, fires) in [
        ("2026-09-29", false),
        ("2026-09-30", false),
        ("2026-10-01", true),
    ] {
        let run = p.run(&["check", "--format", "json", "--today", today, "s.sop"]);
        let found = rules(&run).contains(&("review-overdue".to_string(), 3));
        assert_eq!(found, fires, "--today {today}: {}", run.stdout);
    }
    let run = p.run(&["check", "--today", "2026-10-01", "s.sop"]);
    assert!(
        run.stdout
            .contains("the `quarterly` review was due on 2026-09-30"),
        "{}",
        run.stdout
    );
}

#[test]
fn months_keep_the_day_or_take_the_last_of_a_shorter_month() {
    let p = Project::new().file("s.sop", "sop s { review monthly reviewed 2026-01-31 }\n");
    // One month after 2026-01-31 is 2026-02-28.
    let due = p.run(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-02-28",
        "s.sop",
    ]);
    assert!(rules(&due).is_empty(), "{}", due.stdout);
    let late = p.run(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-03-01",
        "s.sop",
    ]);
    assert_eq!(rules(&late), [("review-overdue".to_string(), 1)]);
}

#[test]
fn build_takes_today_too_and_a_bad_date_is_a_usage_error() {
    let p = Project::new().file("s.sop", REVIEWED);
    let run = p.run(&["build", "s.sop", "-o", "out", "--today", "2027-01-01"]);
    assert!(run.stdout.contains("review-overdue"), "{}", run.stdout);
    let run = p.run(&["build", "s.sop", "-o", "out2", "--today", "2026-07-01"]);
    assert!(!run.stdout.contains("review-overdue"), "{}", run.stdout);
    let bad = p.run_code(&["check", "--today", "2026-02-30", "s.sop"], 2);
    assert!(
        bad.stderr.contains("`2026-02-30` is not a date"),
        "{}",
        bad.stderr
    );
}

#[test]
fn unit_mismatch_needs_two_units_and_a_percentage_is_none() {
    let text = "goal g {\n  target k >= 30% by 2026-09-30\n  target k >= 3 by 2026-09-30\n  target k >= 3 pct by 2026-09-30\n}\nkpi k {\n  unit percent\n  target >= 30%\n}\n";
    let p = Project::new().file("g.sop", text);
    let run = p.run(&["check", "--format", "json", "g.sop"]);
    let found: Vec<u64> = rules(&run)
        .into_iter()
        .filter(|(r, _)| r == "unit-mismatch")
        .map(|(_, l)| l)
        .collect();
    assert_eq!(found, [4], "{}", run.stdout);
}

#[test]
fn a_reason_after_the_parenthesis_is_allowed_and_a_misspelt_verb_is_named() {
    let text = "# sopc: allow(unused-definition) because we share it\nrole r { responsibilities \"x\" }\n\
                # sopc: alow(unused-definition)\nrole q { responsibilities \"x\" }\n";
    let p = Project::new().file("lib.sop", text);
    let run = p.run(&["check", "--format", "json", "lib.sop"]);
    assert_eq!(
        rules(&run)
            .into_iter()
            .filter(|(r, _)| r == "invalid-suppression")
            .collect::<Vec<_>>(),
        [("invalid-suppression".to_string(), 3)]
    );
    let human = p.run(&["check", "lib.sop"]);
    assert!(
        human.stdout.contains("did you mean `allow`?"),
        "{}",
        human.stdout
    );
}

#[test]
fn config_file_replaces_the_projects_sopc_yaml() {
    let doc = "pipeline p {\n  stage a {\n    task t { done_when \"x\" }\n    -> b\n  }\n  stage b { terminal }\n}\n";
    let p = Project::new()
        .file("sopc.yaml", "rules: { task-without-due: off }\n")
        .file("ci/strict.yaml", "rules: { task-without-due: error }\n")
        .file("p.sop", doc);
    let run = p.run_any(&["check", "--format", "json", "p.sop"]);
    assert!(!rules(&run).iter().any(|(r, _)| r == "task-without-due"));
    let run = p.run_code(
        &[
            "check",
            "--format",
            "json",
            "--config",
            "ci/strict.yaml",
            "p.sop",
        ],
        1,
    );
    assert!(rules(&run).contains(&("task-without-due".to_string(), 3)));
    let missing = p.run_any(&["check", "--config", "nope.yaml", "p.sop"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("nope.yaml"), "{}", missing.stderr);
}

#[test]
fn rules_shows_the_levels_in_effect() {
    let p = Project::new()
        .file(
            "sopc.yaml",
            "extends: strict\nrules: { unused-definition: off }\n",
        )
        .file("other.yaml", "rules: { no-feedback: info }\n");
    let run = p.run(&["rules", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap().clone();
    assert_eq!(row("task-without-due")["level"], "error");
    assert_eq!(row("task-without-due")["default"], "warning");
    assert_eq!(row("unused-definition")["level"], "off");
    assert_eq!(row("syntax")["level"], "error");
    let human = p.run(&["rules"]);
    let line = human
        .stdout
        .lines()
        .find(|l| l.starts_with("task-without-due "))
        .unwrap();
    assert!(
        line.contains("error") && line.ends_with("(default: warning)"),
        "{line}"
    );
    let run = p.run(&["rules", "--format", "json", "--config", "other.yaml"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let feedback = rows.iter().find(|r| r["name"] == "no-feedback").unwrap();
    assert_eq!(feedback["level"], "info");
    let tasks = rows
        .iter()
        .find(|r| r["name"] == "task-without-due")
        .unwrap();
    assert_eq!(tasks["level"], "warning");
}

#[test]
fn every_command_takes_color() {
    let p = Project::new().file("s.sop", "sop s {\n  review weekly\n}\n");
    p.run(&["check", "--color", "never", "s.sop"]);
    p.run(&["fmt", "--color", "always", "--check", "s.sop"]);
    p.run(&["build", "s.sop", "-o", "out", "--color", "never"]);
    p.run(&["--color", "never", "rules"]);
    p.run(&["explain", "review-overdue", "--color", "auto"]);
    p.run(&["schema", "--color", "never"]);
    let colored = p.run_code(
        &[
            "check",
            "--color",
            "always",
            "--today",
            "2026-01-01",
            "x.sop",
        ],
        2,
    );
    assert!(colored.stderr.contains("x.sop"), "{}", colored.stderr);
    let bad = Project::new().file("b.sop", "role r {\n");
    let run = bad.run_code(&["check", "--color", "always", "b.sop"], 1);
    assert!(
        run.stdout.contains('\u{1b}'),
        "colour was asked for: {}",
        run.stdout
    );
}

/// A reader that stops early (`sopc rules | head -c 100`) closes the pipe: the command ends
/// without a panic or a message.
#[test]
fn a_closed_output_ends_every_command_quietly() {
    use std::process::{Command, Stdio};
    let repo = crate::support::repo();
    for args in [
        vec!["rules"],
        vec!["explain", "unreachable-stage"],
        vec!["schema"],
        vec!["check", "examples/broken"],
        vec!["graph", "examples/sales/sales.sop"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sopc"))
            .args(&args)
            .current_dir(&repo)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sopc runs");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("sopc ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(out.status.code().is_some(), "{args:?} ended by a signal");
    }
}
