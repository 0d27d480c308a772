//! Language 1.1: the `reviewed`, `measure` and `case` attributes, and names compared after NFC.

use crate::support::Project;

const DOC: &str = r#"sop s "S" {
  owner lead
  review quarterly
  reviewed 2026-06-30
}

role lead {
  responsibilities "x"
}

pipeline p {
  case "商机"
  stage a {
    owner lead
    exit "done"
    -> b
  }
  stage b { terminal }
}

kpi won {
  measure amount
  target >= 5 CNY
  owner lead
  stage b
}

kpi ratio {
  target >= 30%
  owner lead
  stage b
}

feedback weekly_review {
  cadence weekly
  owner lead
  with lead
  covers won, ratio
}

training intro {
  for lead
  when new_hire
}
"#;

#[test]
fn the_new_attributes_reach_the_model_json() {
    let p = Project::new().file("s.sop", DOC);
    p.run(&["build", "s.sop", "-o", "out"]);
    let text = std::fs::read_to_string(p.path().join("out/s.json")).expect("model json");
    let model: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(model["sop"]["reviewed"], "2026-06-30");
    assert_eq!(model["pipelines"][0]["case"], "商机");
    assert_eq!(model["kpis"][0]["measure"], "amount");
    // Without `measure`, a `%` target is a conversion.
    assert_eq!(model["kpis"][1]["measure"], "conversion");
    let schema = p.run(&["schema"]).stdout;
    for field in ["\"reviewed\"", "\"case\"", "\"measure\"", "\"conversion\""] {
        assert!(schema.contains(field), "schema lacks {field}");
    }
}

#[test]
fn fmt_keeps_the_new_attributes_in_canonical_layout() {
    let messy = "sop s \"S\" {   reviewed    2026-06-30\n review quarterly }\n\
                 pipeline p { case   \"deal\" stage a { terminal } }\n\
                 kpi k { measure   duration target <= 3 d }\n";
    let p = Project::new().file("s.sop", messy);
    p.run(&["fmt", "s.sop"]);
    let out = std::fs::read_to_string(p.path().join("s.sop")).expect("formatted");
    assert_eq!(
        out,
        "sop s \"S\" {\n  reviewed 2026-06-30\n  review quarterly\n}\n\n\
         pipeline p {\n  case \"deal\"\n  stage a { terminal }\n}\n\n\
         kpi k {\n  measure duration\n  target <= 3 d\n}\n"
    );
    p.run(&["fmt", "--check", "s.sop"]);
}

#[test]
fn a_reviewed_date_that_does_not_exist_is_an_invalid_value() {
    let p = Project::new().file("s.sop", "sop s { review yearly reviewed 2026-02-30 }\n");
    let run = p.run_code(&["check", "--format", "json", "s.sop"], 1);
    assert!(
        run.rules_and_lines()
            .contains(&("invalid-value".to_string(), 1)),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_measure_names_the_four_measures() {
    let p = Project::new().file("k.sop", "kpi k {\n  measure speed\n}\n");
    let run = p.run_code(&["check", "k.sop"], 1);
    assert!(
        run.stdout
            .contains("`conversion`, `count`, `amount` or `duration`"),
        "{}",
        run.stdout
    );
}

#[test]
fn measure_ends_a_quantity_instead_of_being_its_unit() {
    let p = Project::new().file(
        "k.sop",
        "kpi k { target >= 5 measure count owner o }\nrole o { responsibilities \"x\" }\n",
    );
    let run = p.run_any(&["check", "--format", "json", "k.sop"]);
    let rules: Vec<String> = run.rules_and_lines().into_iter().map(|(r, _)| r).collect();
    assert!(!rules.contains(&"syntax".to_string()), "{}", run.stdout);
}

/// `é` written decomposed at the definition and precomposed at the reference is one name; the
/// outputs show the id as the definition writes it.
#[test]
fn identifiers_compare_after_nfc_normalization() {
    let decomposed = "re\u{301}sume\u{301}";
    let precomposed = "r\u{e9}sum\u{e9}";
    let text = format!(
        "sop s {{ owner {precomposed} review weekly }}\n\
         role {decomposed} {{ responsibilities \"x\" }}\n\
         role {precomposed} {{ responsibilities \"y\" }}\n"
    );
    let p = Project::new().file("s.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "s.sop"], 1);
    let json = run.json();
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags.iter().all(|d| d["rule"] != "undefined-reference"),
        "{}",
        run.stdout
    );
    let dup = diags
        .iter()
        .find(|d| d["rule"] == "duplicate-definition")
        .unwrap_or_else(|| panic!("the two spellings are one id: {}", run.stdout));
    assert_eq!(dup["line"], 3);

    let ok = format!(
        "sop s {{ owner {precomposed} review weekly }}\nrole {decomposed} {{ responsibilities \"x\" }}\n\
         pipeline p {{ stage {decomposed} {{ owner {precomposed} exit \"e\" -> fin }} stage fin {{ terminal }} }}\n"
    );
    let p = Project::new().file("s.sop", &ok);
    let run = p.run_any(&["check", "--format", "json", "s.sop"]);
    let json = run.json();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        assert_ne!(d["rule"], "undefined-reference", "{}", run.stdout);
        if d["rule"] == "role-without-training" {
            assert!(
                d["message"].as_str().unwrap().contains(decomposed),
                "the id as defined: {d}"
            );
        }
    }
}

/// A comment between a block's header and its `{` goes after the `{`, in every combination
/// with a comment that ends the `{` line, and the result is stable.
#[test]
fn fmt_moves_comments_between_a_header_and_its_brace() {
    let text = "role a # about a\n{\n  responsibilities \"x\"\n}\n\n\
                role b # about b\n{ # more\n  responsibilities \"x\"\n}\n\n\
                role c\n# own line\n{ # brace\n  responsibilities \"x\"\n}\n";
    let p = Project::new().file("r.sop", text);
    p.run(&["fmt", "r.sop"]);
    let out = std::fs::read_to_string(p.path().join("r.sop")).expect("formatted");
    assert_eq!(
        out,
        "role a { # about a\n  responsibilities \"x\"\n}\n\n\
         role b { # about b\n  # more\n  responsibilities \"x\"\n}\n\n\
         role c {\n  # own line\n  # brace\n  responsibilities \"x\"\n}\n"
    );
    p.run(&["fmt", "--check", "r.sop"]);
}

#[test]
fn explain_suggests_the_check_a_word_belongs_to() {
    let p = Project::new();
    let run = p.run_code(&["explain", "unreachable"], 2);
    assert!(
        run.stderr.contains("did you mean `unreachable-stage`?"),
        "{}",
        run.stderr
    );
    let run = p.run_code(&["explain", "cycle"], 2);
    assert!(
        run.stderr
            .contains("did you mean `training-cycle` or `reporting-cycle`?"),
        "{}",
        run.stderr
    );
}

/// A did-you-mean names the id as its definition writes it, not its normalized form.
#[test]
fn suggestions_keep_the_id_as_written() {
    let decomposed = "re\u{301}sume\u{301}";
    let text = format!(
        "role {decomposed} {{ responsibilities \"x\" }}\nrole boss {{ responsibilities \"y\" reports_to resume }}\n"
    );
    let p = Project::new().file("r.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "r.sop"], 1);
    let json = run.json();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "undefined-reference")
        .unwrap_or_else(|| panic!("{}", run.stdout))
        .clone();
    assert_eq!(
        d["help"],
        format!("did you mean `{decomposed}`?"),
        "{}",
        run.stdout
    );
}
