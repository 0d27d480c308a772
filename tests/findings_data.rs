//! What a finding carries for tools: its kind and data, and fixes that, applied, remove it.
//! The assertions are on kinds, data and places, not on message text.

use serde_json::Value;

use crate::support::{Project, Run};

fn check(text: &str) -> Run {
    Project::new()
        .file("a.sop", text)
        .run_any(&["check", "--format", "json", "a.sop"])
}

fn diagnostics(run: &Run) -> Vec<Value> {
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone()
}

/// The one finding whose data has this kind.
#[track_caller]
fn finding(run: &Run, kind: &str) -> Value {
    let found: Vec<Value> = diagnostics(run)
        .into_iter()
        .filter(|d| d["data"]["kind"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "one `{kind}` finding in {}", run.stdout);
    found.into_iter().next().expect("one")
}

/// The byte offset of a 1-based line and column counted in characters.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n').expect("the line exists") + 1;
    }
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(column as usize - 1)
            .map_or(rest.len(), |(i, _)| i)
}

/// The text with the edits of one JSON fix made, from its lines and columns.
fn apply(text: &str, fix: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = fix["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            assert_eq!(e["file"], "a.sop");
            let n = |k: &str| e[k].as_u64().expect(k);
            (
                offset(text, n("line"), n("column")),
                offset(text, n("end_line"), n("end_column")),
                e["new_text"].as_str().expect("new_text").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// Applies the finding's only fix, which must be safe, and checks the file again: it parses and
/// no finding of that kind is left.
#[track_caller]
fn fixed_by_its_safe_fix(text: &str, kind: &str) -> String {
    let d = finding(&check(text), kind);
    let fixes = d["fixes"].as_array().expect("fixes");
    assert_eq!(fixes.len(), 1, "{d}");
    assert_eq!(fixes[0]["applicability"], "safe");
    assert!(fixes[0]["title"].as_str().is_some_and(|t| !t.is_empty()));
    let after = apply(text, &fixes[0]);
    let again = check(&after);
    let left = diagnostics(&again);
    assert!(
        !left
            .iter()
            .any(|d| d["rule"] == "syntax" || d["data"]["kind"] == kind),
        "after the fix:\n{after}\n{}",
        again.stdout
    );
    after
}

const ROLE: &str = "role sales_rep { responsibilities \"跟进线索\" }\n";

#[test]
fn an_undefined_owner_says_its_namespace_and_suggestion() {
    let run = check(&format!(
        "sop s {{ owner sales_rpe review quarterly }}\n{ROLE}"
    ));
    let d = finding(&run, "undefined");
    assert_eq!(d["rule"], "undefined-reference");
    assert_eq!(d["data"]["namespace"], "role");
    assert_eq!(d["data"]["name"], "sales_rpe");
    assert_eq!(d["data"]["suggestion"], "sales_rep");
}

#[test]
fn an_undefined_name_without_a_close_one_has_no_fix() {
    let run = check(&format!(
        "sop s {{ owner marketing review quarterly }}\n{ROLE}"
    ));
    let d = finding(&run, "undefined");
    assert_eq!(d["data"]["suggestion"], Value::Null);
    assert_eq!(d["fixes"], serde_json::json!([]));
}

#[test]
fn a_duplicate_carries_the_first_definition_s_place() {
    let run = check(&format!("{ROLE}\n\n{ROLE}"));
    let d = finding(&run, "duplicate");
    assert_eq!(d["rule"], "duplicate-definition");
    assert_eq!(d["data"]["namespace"], "role");
    assert_eq!(d["data"]["id"], "sales_rep");
    assert_eq!(d["line"], 4);
    let first = &d["data"]["first"];
    assert_eq!(
        (&first["file"], &first["line"], &first["column"]),
        (&Value::from("a.sop"), &Value::from(1), &Value::from(1))
    );
}

#[test]
fn an_import_cycle_carries_the_chain() {
    let run = Project::new()
        .file("a.sop", "import \"b.sop\"\nsop s { review quarterly }\n")
        .file("b.sop", "import \"a.sop\"\n")
        .run_any(&["check", "--format", "json", "a.sop"]);
    let d = finding(&run, "import_cycle");
    assert_eq!(d["rule"], "import-error");
    let chain: Vec<&str> = d["data"]["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .map(|c| c.as_str().expect("a path"))
        .collect();
    assert_eq!(chain, ["a.sop", "b.sop", "a.sop"]);
}

#[test]
fn a_missing_import_says_its_problem_and_path() {
    let run = check("import \"lib/roles.sop\"\n");
    let d = finding(&run, "import");
    assert_eq!(d["data"]["problem"], "missing");
    assert_eq!(d["data"]["path"], "lib/roles.sop");
}

#[test]
fn an_impossible_value_says_its_problem() {
    let run = check("kpi k { target >= 101% owner r }\nrole r { responsibilities \"x\" }\n");
    let d = finding(&run, "invalid_value");
    assert_eq!(d["data"]["problem"], "percent_over_100");
    assert_eq!(d["data"]["value"], "101%");
}

#[test]
fn a_check_s_finding_has_its_kind_and_the_ids_it_is_about() {
    let run = check(
        "sop s { review quarterly }\npipeline p {\n  stage a { -> c }\n  stage b { -> c }\n  stage c { terminal }\n}\n",
    );
    let d = finding(&run, "unreachable_stage");
    assert_eq!(d["rule"], "unreachable-stage");
    assert_eq!(d["data"]["names"], serde_json::json!(["p", "b"]));
}

#[test]
fn the_first_label_is_the_primary_one() {
    let run = check(&format!("{ROLE}{ROLE}"));
    let d = finding(&run, "duplicate");
    let labels = d["labels"].as_array().expect("labels");
    assert_eq!(labels.len(), 2);
    let place = |v: &Value| {
        (
            v["file"].clone(),
            v["line"].clone(),
            v["column"].clone(),
            v["end_line"].clone(),
            v["end_column"].clone(),
        )
    };
    assert_eq!(place(&labels[0]), place(&d));
    assert!(labels[0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(place(&labels[1]), place(&d["data"]["first"]));
}

#[test]
fn a_syntax_error_says_what_was_found_and_expected() {
    let d = finding(&check("role r { ownr x }\n"), "syntax");
    assert_eq!(d["data"]["error"], "unexpected");
    assert_eq!(d["data"]["found"], "ownr");
    assert_eq!(d["data"]["block"], "role");
    assert!(
        d["data"]["allowed"]
            .as_array()
            .is_some_and(|a| a.contains(&Value::from("responsibilities")))
    );
    let d = finding(&check("role r { responsibilities \"x\"\n"), "syntax");
    assert_eq!(d["data"]["found"], Value::Null, "the end of the file");
}

#[test]
fn the_did_you_mean_fix_removes_the_finding() {
    let after = fixed_by_its_safe_fix(
        &format!("sop s {{ owner sales_rpe review quarterly }}\n{ROLE}"),
        "undefined",
    );
    assert!(after.starts_with("sop s { owner sales_rep review quarterly }"));
}

#[test]
fn a_stage_of_a_named_pipeline_is_fixed_with_its_pipeline() {
    let text = "sop s { review quarterly }\npipeline p {\n  stage lead { -> won }\n  stage won { terminal }\n}\nkpi k { stage p.wno }\n";
    let after = fixed_by_its_safe_fix(text, "undefined");
    assert!(after.contains("kpi k { stage p.won }"), "{after}");
    let after = fixed_by_its_safe_fix(&text.replace("p.wno", "q.won"), "undefined");
    assert!(after.contains("kpi k { stage p.won }"), "{after}");
}

#[test]
fn a_stage_in_several_pipelines_gets_one_unsafe_fix_per_pipeline() {
    let text = "pipeline p1 {\n  stage won { terminal }\n}\npipeline p2 {\n  stage won { terminal }\n}\nkpi k { stage won }\n";
    let d = finding(&check(text), "ambiguous");
    assert_eq!(
        d["data"]["candidates"],
        serde_json::json!(["p1.won", "p2.won"])
    );
    let fixes = d["fixes"].as_array().expect("fixes");
    assert_eq!(fixes.len(), 2);
    for (fix, pipeline) in fixes.iter().zip(["p1", "p2"]) {
        assert_eq!(fix["applicability"], "unsafe");
        let after = apply(text, fix);
        assert!(after.contains(&format!("kpi k {{ stage {pipeline}.won }}")));
        assert!(
            !diagnostics(&check(&after))
                .iter()
                .any(|d| d["data"]["kind"] == "ambiguous" || d["rule"] == "syntax")
        );
    }
}

#[test]
fn the_full_width_comma_fix_removes_the_finding() {
    let after = fixed_by_its_safe_fix("role r { responsibilities \"跟进\"，\"报价\" }\n", "syntax");
    assert_eq!(after, "role r { responsibilities \"跟进\",\"报价\" }\n");
}

#[test]
fn the_full_width_brace_fix_removes_the_finding() {
    let after = fixed_by_its_safe_fix("role r ｛ responsibilities \"跟进\" }\n", "syntax");
    assert_eq!(after, "role r { responsibilities \"跟进\" }\n");
}

#[test]
fn full_width_quotes_are_fixed_as_a_pair() {
    let text = "role r { responsibilities “跟进” }\n";
    let d = finding(&check(text), "syntax");
    assert_eq!(d["fixes"][0]["edits"].as_array().map(Vec::len), Some(2));
    let after = fixed_by_its_safe_fix(text, "syntax");
    assert_eq!(after, "role r { responsibilities \"跟进\" }\n");
}

#[test]
fn the_ideographic_space_fix_removes_the_finding() {
    let after = fixed_by_its_safe_fix("role r {\u{3000}responsibilities \"跟进\" }\n", "syntax");
    assert_eq!(after, "role r { responsibilities \"跟进\" }\n");
}

#[test]
fn the_misspelt_keyword_fix_removes_the_finding() {
    let after = fixed_by_its_safe_fix("role r { responsibilites \"跟进\" }\n", "syntax");
    assert_eq!(after, "role r { responsibilities \"跟进\" }\n");
}

#[test]
fn fix_columns_count_characters_after_cjk_text() {
    let text = "role 销售代表 { responsibilities \"跟进线索\" }\nsop 手册 \"销售手册\" { owner 销售代 review quarterly }\n";
    let d = finding(&check(text), "undefined");
    let edit = &d["fixes"][0]["edits"][0];
    let line = text.lines().nth(1).expect("line 2");
    let byte = line.find("销售代 ").expect("the name");
    let column = line[..byte].chars().count() as u64 + 1;
    assert_eq!(column, 23, "counted by hand");
    assert_eq!(
        (
            &edit["line"],
            &edit["column"],
            &edit["end_line"],
            &edit["end_column"]
        ),
        (
            &Value::from(2),
            &Value::from(column),
            &Value::from(2),
            &Value::from(column + 3)
        )
    );
    assert_eq!(edit["new_text"], "销售代表");
    let after = fixed_by_its_safe_fix(text, "undefined");
    assert!(after.contains("owner 销售代表 review"));
}

#[test]
fn github_lines_end_where_the_finding_ends() {
    let text = "role 销售代表 { responsibilities \"跟进线索\" }\nsop 手册 \"销售手册\" { owner 销售代 review quarterly }\n";
    let run = Project::new()
        .file("a.sop", text)
        .run_any(&["check", "--format", "github", "a.sop"]);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("::error file=a.sop,line=2,col=23,endLine=2,endColumn=26,")),
        "{}",
        run.stdout
    );
}

#[test]
fn sarif_carries_the_same_data_and_fixes() {
    let text = "pipeline p1 {\n  stage won { terminal }\n}\npipeline p2 {\n  stage won { terminal }\n}\nkpi k { stage won owner sales_rpe }\nrole sales_rep { responsibilities \"跟进\" }\n";
    let p = Project::new().file("a.sop", text);
    let json = p.run_any(&["check", "--format", "json", "a.sop"]).json();
    let sarif = crate::sarif::assert_valid(&p.run_any(&["check", "--format", "sarif", "a.sop"]));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(results.len(), diagnostics.len());
    let mut with_fixes = 0;
    for (d, r) in diagnostics.iter().zip(results) {
        assert_eq!(r["properties"], d["data"]);
        let fixes = d["fixes"].as_array().expect("fixes");
        let sarif_fixes = r["fixes"].as_array().map_or(&[][..], Vec::as_slice);
        assert_eq!(fixes.len(), sarif_fixes.len());
        for (f, s) in fixes.iter().zip(sarif_fixes) {
            with_fixes += 1;
            assert_eq!(s["description"]["text"], f["title"]);
            assert_eq!(s["properties"]["applicability"], f["applicability"]);
            let replacement = &s["artifactChanges"][0]["replacements"][0];
            let edit = &f["edits"][0];
            assert_eq!(replacement["deletedRegion"]["startColumn"], edit["column"]);
            assert_eq!(
                replacement["deletedRegion"]["endColumn"],
                edit["end_column"]
            );
            assert_eq!(replacement["insertedContent"]["text"], edit["new_text"]);
        }
    }
    assert_eq!(
        with_fixes, 3,
        "two pipelines to choose from, one close role"
    );
}

#[test]
fn a_misspelt_check_in_sopc_yaml_is_fixed_to_the_close_one() {
    let yaml = "rules:\n  unreachable-stag: off\n  task-without-due: eror\n";
    let p = Project::new()
        .file("sopc.yaml", yaml)
        .file("a.sop", "role r { responsibilities \"x\" }\n");
    let run = p.run_any(&["check", "--format", "json", "a.sop"]);
    let configs: Vec<Value> = diagnostics(&run)
        .into_iter()
        .filter(|d| d["rule"] == "invalid-config")
        .collect();
    assert_eq!(configs.len(), 2, "{}", run.stdout);
    let mut fixed = yaml.to_string();
    // The later edit first, so that the earlier one's place stays right.
    for d in configs.iter().rev() {
        assert_eq!(d["data"]["kind"], "invalid_config");
        let fix = &d["fixes"][0];
        assert_eq!(fix["applicability"], "safe");
        assert_eq!(fix["edits"][0]["file"], "sopc.yaml");
        let e = &fix["edits"][0];
        let n = |k: &str| e[k].as_u64().expect(k);
        let (start, end) = (
            offset(&fixed, n("line"), n("column")),
            offset(&fixed, n("end_line"), n("end_column")),
        );
        fixed.replace_range(start..end, e["new_text"].as_str().expect("new_text"));
    }
    assert_eq!(
        fixed,
        "rules:\n  unreachable-stage: off\n  task-without-due: error\n"
    );
    let p = Project::new()
        .file("sopc.yaml", &fixed)
        .file("a.sop", "role r { responsibilities \"x\" }\n");
    let run = p.run_any(&["check", "--format", "json", "a.sop"]);
    assert!(
        !diagnostics(&run)
            .iter()
            .any(|d| d["rule"] == "invalid-config"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_misspelt_check_in_a_suppression_is_fixed_to_the_close_one() {
    let text = "sop s { review quarterly }\n# sopc: allow(stage-without-ownr) -- the team is not hired yet\npipeline p {\n  stage a { exit \"x\" -> b }\n  stage b { terminal }\n}\n";
    let d = diagnostics(&check(text))
        .into_iter()
        .find(|d| {
            d["rule"] == "unused-suppression" && d["data"]["names"][0] == "stage-without-ownr"
        })
        .expect("the unknown check");
    let after = apply(text, &d["fixes"][0]);
    assert!(after.contains("# sopc: allow(stage-without-owner) -- "));
    let left = diagnostics(&check(&after));
    assert!(
        !left
            .iter()
            .any(|d| d["rule"] == "unused-suppression" || d["rule"] == "stage-without-owner"),
        "{left:?}"
    );
}

#[test]
fn a_bidirectional_control_is_removed_from_a_comment_and_escaped_in_a_string() {
    let text = "role r { responsibilities \"跟进\u{202E}线索\" } # 注释\u{202E}x\n";
    let found = diagnostics(&check(text));
    let bidi: Vec<&Value> = found
        .iter()
        .filter(|d| d["rule"] == "bidi-control")
        .collect();
    assert_eq!(bidi.len(), 2, "{found:?}");
    // In the string: remove it or escape it, a person chooses.
    let in_string = bidi[0];
    let choices: Vec<&str> = in_string["fixes"]
        .as_array()
        .expect("fixes")
        .iter()
        .map(|f| f["applicability"].as_str().expect("applicability"))
        .collect();
    assert_eq!(choices, ["unsafe", "unsafe"]);
    // In the comment: removing it is safe. The later place first, so the earlier one stays.
    let in_comment = bidi[1];
    assert_eq!(in_comment["fixes"][0]["applicability"], "safe");
    let removed = apply(text, &in_comment["fixes"][0]);
    assert!(removed.ends_with("# 注释x\n"), "{removed}");
    let both = apply(&removed, &in_string["fixes"][1]);
    assert!(both.contains("\"跟进\\u{202E}线索\""), "{both}");
    assert!(
        !diagnostics(&check(&both))
            .iter()
            .any(|d| d["rule"] == "bidi-control" || d["rule"] == "syntax")
    );
}
