//! Baselines: `sopc check --write-baseline FILE` records today's findings, `--baseline FILE`
//! reports only new ones. Fingerprints have no line number.

use crate::support::Project;

const DOC: &str = "pipeline p {\n  stage a {\n    task t { done_when \"x\" }\n    -> b\n  }\n  stage b { terminal }\n}\n";

fn baseline_prints(p: &Project, file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(p.path().join(file)).expect("baseline written");
    let json: serde_json::Value = serde_json::from_str(&text).expect("baseline is JSON");
    assert_eq!(json["sopc_baseline"], 1);
    let mut out: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn a_baseline_hides_recorded_findings_and_shows_new_ones() {
    let p = Project::new().file("p.sop", DOC);
    let before = p.run_code(&["check", "--format", "json", "p.sop"], 1);
    let recorded = before.rules_and_lines().len();
    assert!(recorded >= 3, "{}", before.stdout);
    let write = p.run(&["check", "--write-baseline", "sopc-baseline.json", "p.sop"]);
    assert!(
        write
            .stderr
            .contains(&format!("recorded {recorded} findings")),
        "{}",
        write.stderr
    );
    assert_eq!(baseline_prints(&p, "sopc-baseline.json").len(), recorded);
    let run = p.run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        "sopc-baseline.json",
        "p.sop",
    ]);
    assert!(run.rules_and_lines().is_empty(), "{}", run.stdout);

    // Lines added above every finding, and a new problem below: only the new one shows.
    let edited = format!(
        "# moved down\n\n{}",
        DOC.replace(
            "  stage b { terminal }\n",
            "  stage b { terminal }\n  stage c { terminal }\n"
        )
    );
    let p = Project::new().file("p.sop", &edited).file(
        "sopc-baseline.json",
        &std::fs::read_to_string(p.path().join("sopc-baseline.json")).unwrap(),
    );
    let run = p.run_code(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "sopc-baseline.json",
            "p.sop",
        ],
        1,
    );
    assert_eq!(
        run.rules_and_lines(),
        [("unreachable-stage".to_string(), 9)]
    );
}

#[test]
fn fingerprints_do_not_depend_on_how_the_file_was_named() {
    let p = Project::new().file("sops/p.sop", DOC).file(".git/HEAD", "");
    p.run(&["check", "--write-baseline", "one.json", "sops/p.sop"]);
    p.run(&["check", "--write-baseline", "two.json", "."]);
    assert_eq!(
        baseline_prints(&p, "one.json"),
        baseline_prints(&p, "two.json")
    );
}

#[test]
fn sarif_partial_fingerprints_are_the_baseline_fingerprints() {
    let p = Project::new().file("p.sop", DOC);
    p.run(&["check", "--write-baseline", "b.json", "p.sop"]);
    let sarif = p
        .run_code(&["check", "--format", "sarif", "p.sop"], 1)
        .json();
    let mut prints: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["sopc/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    prints.sort();
    assert_eq!(prints, baseline_prints(&p, "b.json"));
}

#[test]
fn identical_findings_are_counted() {
    let two = "role r {}\n# sopc: nope\nrole q {}\n# sopc: nope\nrole s {}\n";
    let p = Project::new().file("l.sop", two);
    p.run(&["check", "--write-baseline", "b.json", "l.sop"]);
    let three = format!("{two}# sopc: nope\nrole u {{}}\n");
    let p2 = Project::new().file("l.sop", &three).file(
        "b.json",
        &std::fs::read_to_string(p.path().join("b.json")).unwrap(),
    );
    let run = p2.run(&["check", "--format", "json", "--baseline", "b.json", "l.sop"]);
    let invalid: Vec<_> = run
        .rules_and_lines()
        .into_iter()
        .filter(|(r, _)| r == "invalid-suppression")
        .collect();
    assert_eq!(invalid.len(), 1, "{}", run.stdout);
}

#[test]
fn a_missing_or_foreign_baseline_stops_the_run() {
    let p = Project::new()
        .file("p.sop", DOC)
        .file("other.json", "{\"findings\": []}\n");
    let run = p.run_code(&["check", "--baseline", "nope.json", "p.sop"], 2);
    assert!(
        run.stderr.contains("cannot read baseline `nope.json`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    let run = p.run_code(&["check", "--baseline", "other.json", "p.sop"], 2);
    assert!(
        run.stderr.contains("--write-baseline other.json"),
        "{}",
        run.stderr
    );
    p.run_code(
        &[
            "check",
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
            "p.sop",
        ],
        2,
    );
}
