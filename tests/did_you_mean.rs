//! Did-you-mean on names: never the definition being written, a stage of another pipeline said
//! as such, and near misses among short Chinese names.

use serde_json::Value;

use crate::support::Project;

const HEAD: &str = "sop s { owner rep review quarterly }\n\
                    role rep { responsibilities \"跟进\" }\n\
                    training basics { for rep when new_hire }\n\
                    feedback weekly { cadence weekly owner rep with rep }\n";

/// The `undefined-reference` findings of checking `body` after [`HEAD`].
fn undefined(body: &str) -> Vec<Value> {
    let p = Project::new().file("doc.sop", &format!("{HEAD}{body}"));
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "undefined-reference")
        .cloned()
        .collect()
}

fn only(body: &str) -> Value {
    let found = undefined(body);
    assert_eq!(found.len(), 1, "{found:#?}");
    found[0].clone()
}

#[test]
fn a_stage_of_another_pipeline_is_said_to_be_there() {
    let d = only(
        "pipeline p1 {\n  stage a { owner rep exit \"x\" -> z }\n  stage done { terminal }\n}\n\
         pipeline p2 {\n  stage z { owner rep exit \"x\" -> end }\n  stage end { terminal }\n}\n",
    );
    assert_eq!(d["message"], "no stage named `z` in pipeline `p1`");
    // Not `a`, the stage the `->` is written in, nor anything else: nothing is close.
    assert_eq!(d["data"]["suggestion"], Value::Null);
    assert_eq!(d["data"]["elsewhere"], serde_json::json!(["p2"]));
    assert_eq!(d["fixes"], serde_json::json!([]));
    assert_eq!(
        d["help"],
        "`z` is a stage of pipeline `p2`, and a `->` stays inside its pipeline: add `stage z { ... }` to `p1`"
    );
    assert_eq!(
        d["labels"][0]["message"],
        "a stage of pipeline `p2`, not of this pipeline"
    );
}

#[test]
fn a_stage_of_another_pipeline_with_a_near_miss_here_gets_an_unsafe_fix() {
    let d = only(
        "pipeline p1 {\n  stage lead { owner rep exit \"x\" -> close }\n  stage closed { terminal }\n}\n\
         pipeline p2 {\n  stage close { owner rep exit \"x\" -> end }\n  stage end { terminal }\n}\n",
    );
    assert_eq!(d["data"]["suggestion"], "closed");
    assert_eq!(
        d["help"],
        "`close` is a stage of pipeline `p2`, and a `->` stays inside its pipeline: did you mean `closed`?"
    );
    // Which was meant is not sure: `--fix` alone does not apply it.
    assert_eq!(d["fixes"][0]["applicability"], "unsafe");
}

#[test]
fn a_kpi_naming_the_wrong_pipeline_gets_the_right_one() {
    let d = only(
        "pipeline p1 {\n  stage a { owner rep exit \"x\" -> done }\n  stage done { terminal }\n}\n\
         pipeline p2 {\n  stage z { owner rep exit \"x\" -> end }\n  stage end { terminal }\n}\n\
         kpi k { owner rep target >= 1 stage p1.z }\n",
    );
    assert_eq!(d["help"], "did you mean `p2.z`?");
    assert_eq!(d["fixes"][0]["applicability"], "safe");
    assert_eq!(d["fixes"][0]["edits"][0]["new_text"], "p2.z");
}

#[test]
fn the_stage_being_written_is_never_suggested() {
    // `laed` is one transposition from `lead`, the stage it is written in: no suggestion.
    let d = only(
        "pipeline p {\n  stage lead { owner rep exit \"x\" -> laed }\n  stage won { terminal }\n}\n",
    );
    assert_eq!(d["data"]["suggestion"], Value::Null);
    // Another stage as close is suggested instead.
    let d = only(
        "pipeline p {\n  stage lead { owner rep exit \"x\" -> leed }\n  stage lend { owner rep exit \"x\" -> won }\n  stage won { terminal }\n}\n",
    );
    assert_eq!(d["data"]["suggestion"], "lend");
}

#[test]
fn a_role_does_not_report_to_itself_by_suggestion() {
    let d = only("role sales_rep { responsibilities \"x\" reports_to sales_rpe }\n");
    assert_eq!(d["data"]["suggestion"], Value::Null);
    let d = only(
        "role sales_rep { responsibilities \"x\" reports_to sales_mgr }\nrole sales_mgr2 { responsibilities \"x\" }\n",
    );
    assert_eq!(d["data"]["suggestion"], "sales_mgr2");
}

#[test]
fn a_longer_chinese_name_finds_the_short_one_it_starts_with() {
    let body = "pipeline p {\n  stage 接单 { owner rep exit \"x\" -> 后厨准备 }\n  stage 后厨 { owner rep exit \"x\" -> 完成 }\n  stage 完成 { terminal }\n}\n";
    let d = only(body);
    assert_eq!(d["help"], "did you mean `后厨`?");
    assert_eq!(d["fixes"][0]["applicability"], "safe");
    // `sopc check --fix` applies it, and the document is clean.
    let p = Project::new().file("doc.sop", &format!("{HEAD}{body}"));
    p.run(&["check", "--fix", "doc.sop"]);
    let text = std::fs::read_to_string(p.path().join("doc.sop")).unwrap();
    assert!(text.contains("-> 后厨\n"), "{text}");
    p.run(&["check", "doc.sop"]);
}

#[test]
fn a_short_chinese_name_written_for_a_longer_one_is_found() {
    let d = only(
        "pipeline p {\n  stage 接单 { owner rep exit \"x\" -> 报价 }\n  stage 报价审批 { owner rep exit \"x\" -> 完成 }\n  stage 完成 { terminal }\n}\n",
    );
    assert_eq!(d["help"], "did you mean `报价审批`?");
}

#[test]
fn one_character_off_in_a_two_character_chinese_name_is_found() {
    let d = only(
        "pipeline p {\n  stage 接单 { owner rep exit \"x\" -> 前厨 }\n  stage 后厨 { owner rep exit \"x\" -> 完成 }\n  stage 完成 { terminal }\n}\n",
    );
    assert_eq!(d["help"], "did you mean `后厨`?");
}

#[test]
fn nothing_close_gets_no_suggestion() {
    for (body, name) in [
        (
            "pipeline p {\n  stage 接单 { owner rep exit \"x\" -> 财务 }\n  stage 后厨 { owner rep exit \"x\" -> 完成 }\n  stage 完成 { terminal }\n}\n",
            "财务",
        ),
        (
            "pipeline p {\n  stage lead { owner rep exit \"x\" -> marketing }\n  stage won { terminal }\n}\n",
            "marketing",
        ),
        (
            // One letter for another is not close: `b` is not `a`.
            "pipeline p {\n  stage a { owner rep exit \"x\" -> b }\n  stage c { owner rep exit \"x\" -> d }\n  stage d { terminal }\n}\n",
            "b",
        ),
    ] {
        let found = undefined(body);
        let d = found
            .iter()
            .find(|d| d["data"]["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {found:#?}"));
        assert_eq!(d["data"]["suggestion"], Value::Null, "{name}: {d:#?}");
        assert_eq!(d["fixes"], serde_json::json!([]), "{name}");
    }
}

#[test]
fn a_latin_near_miss_is_still_found() {
    let d = only(
        "pipeline p {\n  stage lead { owner rep exit \"x\" -> wno }\n  stage won { terminal }\n}\n",
    );
    assert_eq!(d["help"], "did you mean `won`?");
    let d = only(
        "pipeline p {\n  stage lead { owner rep exit \"x\" -> qualify }\n  stage qualify_lead { owner rep exit \"x\" -> won }\n  stage won { terminal }\n}\n",
    );
    assert_eq!(d["help"], "did you mean `qualify_lead`?");
}

#[test]
fn two_names_equally_close_make_an_unsafe_fix_that_plain_fix_leaves_alone() {
    let roles = "role abc { responsibilities \"x\" }\nrole abd { responsibilities \"y\" }\n";
    let d = only(&format!("{roles}kpi k {{ owner abx target >= 5 }}\n"));
    assert_eq!(d["data"]["suggestion"], "abc");
    assert_eq!(d["fixes"][0]["applicability"], "unsafe");
    // One close name alone is a safe fix.
    let d = only("kpi k { owner rpe target >= 5 }\n");
    assert_eq!(d["data"]["suggestion"], "rep");
    assert_eq!(d["fixes"][0]["applicability"], "safe");
    // The same for a `->` between two stages as close as each other.
    let d = only(
        "pipeline p {\n  stage lead { owner rep exit \"x\" -> wxn }\n  stage won { terminal }\n  stage wan { terminal }\n}\n",
    );
    assert_eq!(d["fixes"][0]["applicability"], "unsafe");

    let text = format!("{HEAD}{roles}kpi k {{ owner abx target >= 5 }}\n");
    let p = Project::new().file("doc.sop", &text);
    p.run_code(&["check", "--fix", "doc.sop"], 1);
    assert_eq!(
        std::fs::read_to_string(p.path().join("doc.sop")).unwrap(),
        text
    );
}
