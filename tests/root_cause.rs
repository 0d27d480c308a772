//! One typo, one finding, printed first: a `->` to a name that is no stage is reported by
//! `undefined-reference` alone, and the findings of reading come before the checks on the model
//! in every output format.

use crate::support::Project;

/// A clean document: seven stages in one chain. `{lead}` is the lead stage's `exit`, `{to}` the
/// target of the third stage's `->`.
fn document(lead_exit: bool, to: &str) -> String {
    let exit = if lead_exit {
        " exit \"联系人完整\""
    } else {
        ""
    };
    format!(
        "sop sales \"销售流程\" {{ owner rep review quarterly }}\n\
         role rep \"销售代表\" {{ responsibilities \"跟进客户\" }}\n\
         training basics {{ for rep when new_hire }}\n\
         feedback weekly {{ cadence weekly owner rep with rep }}\n\
         pipeline deals {{\n\
         \x20 stage lead {{ owner rep{exit} -> qualify }}\n\
         \x20 stage qualify {{ owner rep exit \"BANT\" -> needs }}\n\
         \x20 stage needs {{ owner rep exit \"需求明确\" -> {to} }}\n\
         \x20 stage proposal {{ owner rep exit \"已报价\" -> negotiate }}\n\
         \x20 stage negotiate {{ owner rep exit \"已谈妥\" -> contract }}\n\
         \x20 stage contract {{ owner rep exit \"已盖章\" -> won }}\n\
         \x20 stage won {{ terminal }}\n\
         }}\n"
    )
}

#[test]
fn the_clean_document_has_no_findings() {
    let p = Project::new().file("doc.sop", &document(true, "proposal"));
    let run = p.run(&["check", "--format", "json", "doc.sop"]);
    assert_eq!(run.rules_and_lines(), []);
}

#[test]
fn one_typo_in_a_chain_of_seven_stages_is_one_finding() {
    let p = Project::new().file("doc.sop", &document(true, "propsal"));
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    // Not `no-path-to-terminal` for the three stages before it, not `unreachable-stage` for the
    // four after it, not `dead-end-stage` for the stage whose only `->` it is.
    assert_eq!(
        run.rules_and_lines(),
        [("undefined-reference".to_string(), 8)]
    );
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["help"], "did you mean `proposal`?");
    // Its safe fix leaves nothing to report.
    p.run(&["check", "--fix", "doc.sop"]);
    let run = p.run(&["check", "--format", "json", "doc.sop"]);
    assert_eq!(run.rules_and_lines(), []);
}

/// The typo with a warning on an earlier line: the error that causes it comes first anyway.
fn typo_and_warning() -> Project {
    Project::new().file("doc.sop", &document(false, "propsal"))
}

#[test]
fn the_error_comes_first_in_json() {
    let run = typo_and_warning().run_code(&["check", "--format", "json", "doc.sop"], 1);
    assert_eq!(
        run.rules_and_lines(),
        [
            ("undefined-reference".to_string(), 8),
            ("stage-without-exit-criteria".to_string(), 6)
        ]
    );
}

#[test]
fn the_error_comes_first_in_human_output() {
    let run = typo_and_warning().run_code(&["check", "doc.sop"], 1);
    let error = run
        .stdout
        .find("no stage named `propsal`")
        .expect("the error");
    let warning = run
        .stdout
        .find("stage `lead` has no exit criteria")
        .or_else(|| run.stdout.find("stage-without-exit-criteria"))
        .expect("the warning");
    assert!(error < warning, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("undefined-reference\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("1 error, 1 warning in 1 file\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_error_comes_first_in_sarif() {
    let run = typo_and_warning().run_code(&["check", "--format", "sarif", "doc.sop"], 1);
    let rules: Vec<String> = run.json()["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["ruleId"].as_str().expect("ruleId").to_string())
        .collect();
    assert_eq!(
        rules,
        ["undefined-reference", "stage-without-exit-criteria"]
    );
}

#[test]
fn the_error_comes_first_in_github_annotations() {
    let run = typo_and_warning().run_code(&["check", "--format", "github", "doc.sop"], 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=doc.sop,line=8,"),
        "{}",
        run.stdout
    );
    assert!(
        lines[0].contains("title=undefined-reference::"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].starts_with("::warning file=doc.sop,line=6,"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_error_comes_first_for_the_editor() {
    let p = typo_and_warning();
    let mut ws = sopc::driver::Workspace::new();
    let result = ws
        .check_document(&p.path().join("doc.sop"))
        .expect("checked");
    let rules: Vec<&str> = result
        .findings_in(&p.path().join("doc.sop"))
        .map(|f| f.diag.rule.name())
        .collect();
    assert_eq!(
        rules,
        ["undefined-reference", "stage-without-exit-criteria"]
    );
}

#[test]
fn reading_errors_of_every_file_come_before_the_checks() {
    let p = Project::new()
        .file("a.sop", &document(false, "proposal"))
        .file("b.sop", &document(true, "propsal"));
    let run = p.run_code(&["check", "--format", "json", "."], 1);
    let found: Vec<(String, String)> = run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().into(),
                d["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = |f: &str, r: &str| (f.to_string(), r.to_string());
    assert_eq!(
        found,
        [
            want("b.sop", "undefined-reference"),
            want("a.sop", "stage-without-exit-criteria")
        ]
    );
}

#[test]
fn a_stage_out_of_reach_is_still_reported_when_the_typo_is_elsewhere() {
    // The typo is in a stage the start does not reach: reachability is known, and that stage
    // is reported.
    let text = document(true, "proposal").replace(
        "  stage won { terminal }\n",
        "  stage won { terminal }\n  stage orphan { owner rep exit \"x\" -> wonn }\n",
    );
    let p = Project::new().file("doc.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    assert_eq!(
        run.rules_and_lines(),
        [
            ("undefined-reference".to_string(), 13),
            ("unreachable-stage".to_string(), 13)
        ]
    );
}

#[test]
fn a_loop_without_a_way_out_is_still_reported_beside_a_typo() {
    // `loop` cannot reach the typo nor a terminal stage: it is still reported.
    let text = document(true, "propsal").replace(
        "-> qualify }",
        "-> qualify when \"ok\" -> loop when \"later\" }\n  stage loop { owner rep exit \"x\" -> loop }",
    );
    let p = Project::new().file("doc.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let rules: Vec<String> = run.rules_and_lines().into_iter().map(|(r, _)| r).collect();
    assert_eq!(rules, ["undefined-reference", "no-path-to-terminal"]);
}
