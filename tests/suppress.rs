//! `# sopc: allow(...)` comments: what they silence, and what is reported about them.

use crate::support::Project;

const DOC: &str = r#"sop s { review quarterly owner rep }
role rep { responsibilities "Sell" }
training onboarding { for rep }
feedback f { cadence weekly owner rep }
# sopc: allow(task-without-due) -- the customer sets the date
pipeline sales {
  stage lead {
    owner rep
    exit "Qualified"
    task call { done_when "Called" }
    # sopc: allow(task-without-done-criteria)
    task visit { due 3d }
    -> won
  }
  stage won { terminal }
}
"#;

fn findings(p: &Project, args: &[&str]) -> Vec<(String, u64, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let run = p.run_any(&all);
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_suppression_covers_its_block_and_everything_inside() {
    let p = Project::new().file("a.sop", DOC);
    assert_eq!(findings(&p, &["a.sop"]), vec![]);
    // Without the comments, both tasks are reported.
    let plain = DOC.replace(
        "# sopc: allow(task-without-due) -- the customer sets the date\n",
        "",
    );
    let plain = plain.replace("    # sopc: allow(task-without-done-criteria)\n", "");
    let p = Project::new().file("a.sop", &plain);
    let found = findings(&p, &["a.sop"]);
    assert_eq!(
        found,
        vec![
            ("task-without-due".to_string(), 9, "warning".to_string()),
            (
                "task-without-done-criteria".to_string(),
                10,
                "warning".to_string()
            ),
        ]
    );
}

#[test]
fn require_reason_warns_about_a_suppression_without_one() {
    let p = Project::new().file("a.sop", DOC);
    let found = findings(&p, &["--require-reason", "a.sop"]);
    assert_eq!(
        found,
        vec![("unused-suppression".to_string(), 11, "warning".to_string())]
    );
    let run = p.run_code(
        &["check", "--require-reason", "--deny", "warnings", "a.sop"],
        1,
    );
    assert!(
        run.stdout.contains("this suppression gives no reason"),
        "{}",
        run.stdout
    );
}

#[test]
fn unused_misplaced_and_unknown_suppressions_are_reported() {
    let text = DOC
        .replace(
            "allow(task-without-done-criteria)",
            "allow(task-without-done-criteria, stage-without-owner)",
        )
        .replace(
            "  stage won { terminal }",
            "  # sopc: allow(dead-end-stage)\n  stage won { terminal }",
        )
        .replace(
            "feedback f {",
            "# sopc: allow(sop-without-review)\n\n# sopc: allow(no-such-check)\nfeedback f {",
        );
    let p = Project::new().file("a.sop", &text);
    let found = findings(&p, &["a.sop"]);
    assert_eq!(
        found,
        vec![
            // Not directly above a block: a blank line comes between.
            ("unused-suppression".to_string(), 4, "info".to_string()),
            // A check that does not exist.
            ("unused-suppression".to_string(), 6, "info".to_string()),
            // Line 14 is used by one of its names: in use. Line 18 silences nothing.
            ("unused-suppression".to_string(), 18, "info".to_string()),
        ]
    );
    let run = p.run(&["check", "a.sop"]);
    assert!(
        run.stdout.contains("no check is named `no-such-check`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("this suppression is not directly above a block"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("this suppression silences nothing: `dead-end-stage` does not fire"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_suppression_does_not_hide_syntax_errors() {
    let p = Project::new().file("a.sop", "# sopc: allow(syntax)\nrole r {\n");
    let found = findings(&p, &["a.sop"]);
    assert_eq!(found, vec![("syntax".to_string(), 2, "error".to_string())]);
}
