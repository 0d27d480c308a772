//! Checks on input written to mislead or to strain them: bidirectional control characters,
//! line endings that are not LF, durations too long to hold, configs full of comments, and
//! suppressions and suggestions that must stay right when made fast.

use crate::support::Project;

const HEAD: &str = "sop s { review weekly owner r }\nrole r { responsibilities \"x\" }\n\
                    training t { for r }\nfeedback f { cadence weekly owner r }\n";

/// `(rule, line, column)` of every finding in JSON output.
fn findings(p: &Project, file: &str) -> Vec<(String, u64, u64)> {
    let run = p.run_any(&["check", "--format", "json", file]);
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

// ------------------------------------------------------------------ bidi-control

#[test]
fn a_bidi_control_in_a_comment_or_string_is_an_error_naming_the_character() {
    let text = format!(
        "{HEAD}# note \u{202E} reversed\nrole q {{ responsibilities \"a\u{2066}b\u{2069}\" }}\n\
         training u {{ for q assessment \"escaped \\u{{202E}} is fine\" }}\n"
    );
    let p = Project::new().file("doc.sop", &text);
    assert_eq!(
        findings(&p, "doc.sop"),
        vec![
            ("bidi-control".to_string(), 5, 8),
            ("bidi-control".to_string(), 6, 29),
            ("bidi-control".to_string(), 6, 31),
        ]
    );
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let first = &run.json()["diagnostics"][0];
    assert_eq!(
        first["message"],
        "a comment holds `U+202E RIGHT-TO-LEFT OVERRIDE`, which can make the source read \
         differently from what it does"
    );
    assert_eq!(
        run.json()["diagnostics"][1]["help"].as_str().unwrap(),
        "remove it, or write it as the escape `\\u{2066}` if the text needs it"
    );
}

#[test]
fn a_bidi_control_in_an_identifier_is_reported_as_bidi_control_not_syntax() {
    let text = "role sales\u{202E}rep { responsibilities \"x\" }\n";
    let p = Project::new().file("lib.sop", text);
    assert_eq!(
        findings(&p, "lib.sop"),
        vec![("bidi-control".to_string(), 1, 11)]
    );
    let run = p.run_code(&["check", "--format", "json", "lib.sop"], 1);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(
        d["message"],
        "an identifier holds `U+202E RIGHT-TO-LEFT OVERRIDE`, which can make the source read \
         differently from what it does"
    );
    // Another syntax error in the file is still a syntax error.
    let p = Project::new().file("lib.sop", "# \u{2067}\nrole r { ownr x }\n");
    assert_eq!(
        findings(&p, "lib.sop"),
        vec![
            ("bidi-control".to_string(), 1, 3),
            ("syntax".to_string(), 2, 10)
        ]
    );
}

#[test]
fn human_output_never_writes_a_bidi_control_to_the_terminal() {
    let text = format!("{HEAD}# approved \u{202E}lagel yb\n");
    let p = Project::new().file("doc.sop", &text);
    let run = p.run_code(&["check", "doc.sop"], 1);
    assert!(
        run.stdout.contains("U+202E RIGHT-TO-LEFT OVERRIDE"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("# approved \\u{202e}lagel yb"),
        "{}",
        run.stdout
    );
    for c in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ] {
        assert!(
            !run.stdout.contains(c) && !run.stderr.contains(c),
            "{c:?} written"
        );
    }
}

#[test]
fn build_refuses_a_document_with_a_bidi_control() {
    let text = format!(
        "{HEAD}pipeline p {{ stage a {{ owner r exit \"x\" -> b when \"ok\u{202E}\" }} stage b {{ terminal }} }}\n"
    );
    let p = Project::new().file("doc.sop", &text);
    p.run_code(&["build", "doc.sop", "-o", "out"], 1);
    assert!(!p.path().join("out/doc.json").exists());
}

// ------------------------------------------------------------------ line endings

#[test]
fn a_lone_cr_ends_a_line_in_every_output_format() {
    let text = "sop s { review weekly owner r }\rrole r { responsibilities \"x\" }\r\
                # a comment ends at a lone CR\rfeedback f { cadence weekly owner zz }\r";
    let p = Project::new().file("doc.sop", text);
    assert_eq!(
        findings(&p, "doc.sop"),
        vec![("undefined-reference".to_string(), 4, 35)]
    );
    let sarif = p.run_code(&["check", "--format", "sarif", "doc.sop"], 1);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(35))
    );
    let github = p.run_code(&["check", "--format", "github", "doc.sop"], 1);
    assert!(
        github.stdout.contains("file=doc.sop,line=4,col=35,"),
        "{}",
        github.stdout
    );
    let human = p.run_code(&["check", "doc.sop"], 1);
    assert!(human.stdout.contains("[doc.sop:4:35]"), "{}", human.stdout);
    assert!(
        human
            .stdout
            .contains(" 4 │ feedback f { cadence weekly owner zz }"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_suppression_above_a_block_works_with_lone_cr_line_endings() {
    let text = "sop s { review weekly owner r }\rrole r { responsibilities \"x\" }\r\
                training t { for r }\rfeedback f { cadence weekly owner r }\r\
                # sopc: allow(kpi-without-target)\rkpi k { owner r stage p.a }\r\
                pipeline p { stage a { owner r exit \"x\" -> b } stage b { terminal } }\r";
    let p = Project::new().file("doc.sop", text);
    assert_eq!(findings(&p, "doc.sop"), vec![]);
}

// ------------------------------------------------------------------ values too large

#[test]
fn a_duration_too_long_to_hold_is_invalid_and_says_the_largest() {
    let text = format!(
        "{HEAD}pipeline p {{\n  stage a {{ owner r exit \"x\" sla 18446744073709551615m -> b }}\n  \
         stage b {{ owner r exit \"x\" sla 15250284452471w -> c }}\n  \
         stage c {{ owner r exit \"x\" sla 15250284452472w -> d }}\n  \
         stage d {{ owner r exit \"x\" sla 99999999999999999999999h -> e }}\n  stage e {{ terminal }}\n}}\n"
    );
    let p = Project::new().file("doc.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let found: Vec<(String, u64, String)> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "invalid-value".to_string(),
                6,
                "duration `18446744073709551615m` is too long: the largest allowed is \
                 `153722867280912930m`"
                    .to_string()
            ),
            (
                "invalid-value".to_string(),
                8,
                "duration `15250284452472w` is too long: the largest allowed is `15250284452471w`"
                    .to_string()
            ),
            (
                "invalid-value".to_string(),
                9,
                "duration `99999999999999999999999h` is too long: the largest allowed is \
                 `2562047788015215h`"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn a_number_too_large_for_a_float_is_invalid() {
    let text = format!(
        "{HEAD}kpi k {{ owner r target >= {} deals stage x }}\n",
        "9".repeat(400)
    );
    let p = Project::new().file("doc.sop", &text);
    let rules: Vec<String> = findings(&p, "doc.sop").into_iter().map(|f| f.0).collect();
    assert!(rules.contains(&"invalid-value".to_string()), "{rules:?}");
}

// ------------------------------------------------------------------ sopc.yaml

#[test]
fn a_config_with_many_comment_lines_after_rules_is_read() {
    let mut yaml = String::from("# project checks\nrules:\n");
    for i in 0..200 {
        yaml.push_str(&format!("  # note {i}\n"));
    }
    yaml.push_str("  task-without-due: error\n  # trailing\n");
    let text = format!(
        "{HEAD}pipeline p {{ stage a {{ owner r exit \"x\" task t {{ done_when \"y\" }} -> b }} stage b {{ terminal }} }}\n"
    );
    let p = Project::new()
        .file("sopc.yaml", &yaml)
        .file("doc.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let d = &run.json()["diagnostics"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{}", run.stdout);
    assert_eq!(
        (d[0]["rule"].as_str(), d[0]["severity"].as_str()),
        (Some("task-without-due"), Some("error"))
    );
}

// ------------------------------------------------------------------ fast, and still right

#[test]
fn suggestions_still_find_the_closest_name() {
    let text = format!(
        "{HEAD}role sales_rep {{ responsibilities \"x\" }}\nrole sales_manager {{ responsibilities \"x\" }}\n\
         training u {{ for sales_rep, sales_manager }}\n\
         pipeline p {{ start lead\n  stage leads {{ owner sales_rpe exit \"x\" -> wonn }}\n  \
         stage won {{ owner Sales_Manager terminal }}\n}}\nkpi k {{ owner r target >= 1 stage p.leds }}\n"
    );
    let p = Project::new().file("doc.sop", &text);
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let helps: Vec<(String, String)> = run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "undefined-reference")
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |m: &str, h: &str| (m.to_string(), h.to_string());
    assert_eq!(
        helps,
        vec![
            want(
                "no stage named `lead` in pipeline `p`",
                "did you mean `leads`?"
            ),
            want("no role named `sales_rpe`", "did you mean `sales_rep`?"),
            want(
                "no stage named `wonn` in pipeline `p`",
                "did you mean `won`?"
            ),
            want(
                "no role named `Sales_Manager`",
                "did you mean `sales_manager`?"
            ),
            want(
                "no stage named `leds` in pipeline `p`",
                "did you mean `p.leads`?"
            ),
        ]
    );
}

#[test]
fn nested_suppressions_silence_what_they_cover_and_only_that() {
    let text = format!(
        "{HEAD}# sopc: allow(task-without-due)\npipeline p {{\n  \
         # sopc: allow(stage-without-exit-criteria)\n  stage a {{ owner r\n    \
         # sopc: allow(task-without-done-criteria)\n    task t {{ }}\n    -> b\n  }}\n  \
         stage b {{ owner r task u {{ }} -> c }}\n  \
         # sopc: allow(task-without-due)\n  stage c {{ terminal }}\n}}\n"
    );
    let p = Project::new().file("doc.sop", &text);
    assert_eq!(
        findings(&p, "doc.sop"),
        vec![
            ("stage-without-exit-criteria".to_string(), 13, 3),
            ("task-without-done-criteria".to_string(), 13, 21),
            ("unused-suppression".to_string(), 14, 3),
        ]
    );
}

#[test]
fn with_bidi_control_off_an_identifier_holding_one_is_still_a_syntax_error() {
    let p = Project::new()
        .file("sopc.yaml", "rules:\n  bidi-control: off\n")
        .file(
            "lib.sop",
            "role sales\u{202E}rep { responsibilities \"x\" }\n# \u{202E}\n",
        );
    let run = p.run_code(&["check", "--format", "json", "lib.sop"], 1);
    let rules: Vec<String> = run.rules_and_lines().into_iter().map(|(r, _)| r).collect();
    assert_eq!(rules, ["syntax"], "{}", run.stdout);
}
