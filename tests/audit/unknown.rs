//! Unknown stages: `--deny unknown-stages`, and a log none of whose stages is known (exit 2).

use super::{audit_json, project};

#[test]
fn deny_unknown_stages_fails_only_with_an_unknown_stage() {
    let clean = "case_id,stage,timestamp\nA,lead,2026-03-01\nA,qualify,2026-03-02\n";
    let p = project("log.csv", clean);
    audit_json(&p, "log.csv", &["--deny", "unknown-stages"]).expect_code(0, &["clean"]);
    let typo =
        format!("{clean}A,Proposal ,2026-03-03\nB,lead,2026-03-01\nB,negotation,2026-03-02\n");
    let p = project("log.csv", &typo);
    let r = audit_json(&p, "log.csv", &["--deny", "unknown-stages"]);
    r.expect_code(1, &["typo"]);
    assert_eq!(
        r.json()["deviations"]["unknown_stages"]["negotation"]["events"],
        1
    );
    // `Proposal` is the title of `propose`: known. Other gates are not touched.
    audit_json(&p, "log.csv", &["--deny", "sla"]).expect_code(0, &["sla"]);
}

#[test]
fn a_log_with_no_known_stage_is_exit_2_naming_its_values() {
    let log = "case_id,stage,timestamp\nA,Lead,2026-03-01\nA,Qualifyy,2026-03-02\nB,Closed Won,2026-03-01\n";
    let p = project("log.csv", log);
    let r = audit_json(&p, "log.csv", &[]);
    r.expect_code(2, &["no known stage"]);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("none of the 3 events of `log.csv` is in a stage of the SOP")
            && r.stderr.contains("`Lead` (did you mean `lead`?)")
            && r.stderr.contains("`Closed Won`,")
            && r.stderr.contains("--stage-map"),
        "{}",
        r.stderr
    );
    // One known stage is enough to audit; an empty log is still a valid audit of zero cases.
    let p = project("log.csv", &format!("{log}C,lead,2026-03-03\n"));
    audit_json(&p, "log.csv", &[]).expect_code(0, &["one known"]);
    let p = project("log.csv", "case_id,stage,timestamp\n");
    audit_json(&p, "log.csv", &[]).expect_code(0, &["empty"]);
}
