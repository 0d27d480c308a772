//! `sopc.yaml`: levels, presets, overrides, and its own errors at their place in the YAML.

use serde_json::Value;

use crate::support::{Project, Run, run_in_code};

/// A document with one warning (`task-without-due`, line 19) and one info (`unused-definition`,
/// line 8).
const DOC: &str = r#"sop demo "Demo" {
  version "1.0"
  owner rep
  review quarterly
}

role rep "Rep" { responsibilities "Follow up leads" }
role spare "Spare" { responsibilities "Nothing yet" }

training basics "Basics" {
  for rep
  when new_hire
}

pipeline flow "Flow" {
  stage lead "Lead" {
    owner rep
    exit "Qualified"
    task call "Call" {
      done_when "Logged"
    }
    -> won
  }
  stage won "Won" { terminal }
}

feedback weekly "Weekly" {
  cadence weekly
  owner rep
}
"#;

/// `(rule, severity, file, line)` of every diagnostic.
fn findings(run: &Run) -> Vec<(String, String, String, u64)> {
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn finding(rule: &str, severity: &str, file: &str, line: u64) -> (String, String, String, u64) {
    (rule.into(), severity.into(), file.into(), line)
}

fn check(config: &str) -> Run {
    Project::new()
        .file("sopc.yaml", config)
        .file("doc.sop", DOC)
        .run_any(&["check", "--format", "json"])
}

/// The only diagnostic of a run, which must be an `invalid-config` error.
fn config_error(run: &Run) -> Value {
    let diags = run.json()["diagnostics"].as_array().unwrap().clone();
    let errors: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "invalid-config")
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(run.code, 1);
    errors[0].clone()
}

#[test]
fn without_config_the_defaults_apply() {
    let run = Project::new()
        .file("doc.sop", DOC)
        .run(&["check", "--format", "json"]);
    assert_eq!(
        findings(&run),
        [
            finding("unused-definition", "info", "doc.sop", 8),
            finding("task-without-due", "warning", "doc.sop", 19),
        ]
    );
}

#[test]
fn a_rule_set_to_error_fails_the_run() {
    let run = check("rules: { task-without-due: error }\n");
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run),
        [
            finding("unused-definition", "info", "doc.sop", 8),
            finding("task-without-due", "error", "doc.sop", 19),
        ]
    );
    assert_eq!(run.json()["summary"]["errors"], 1);
}

#[test]
fn a_rule_set_to_off_is_silent() {
    let run = check("rules:\n  task-without-due: off\n  unused-definition: warning\n");
    assert_eq!(run.code, 0);
    assert_eq!(
        findings(&run),
        [finding("unused-definition", "warning", "doc.sop", 8)]
    );
}

#[test]
fn an_empty_config_changes_nothing() {
    let run = check("# nothing configured yet\n");
    assert_eq!(run.code, 0);
    assert_eq!(run.rules_and_lines().len(), 2);
    // `sopc.yaml` is not one of the files counted.
    assert_eq!(run.json()["summary"]["files"], 1);
}

#[test]
fn strict_makes_warnings_errors_and_keeps_infos() {
    let run = check("extends: strict\n");
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run),
        [
            finding("unused-definition", "info", "doc.sop", 8),
            finding("task-without-due", "error", "doc.sop", 19),
        ]
    );
}

#[test]
fn minimal_keeps_errors_only_and_rules_apply_on_top() {
    let run = check("extends: minimal\n");
    assert_eq!(run.code, 0);
    assert_eq!(findings(&run), []);
    let run = check("extends: minimal\nrules:\n  unused-definition: info\n");
    assert_eq!(
        findings(&run),
        [finding("unused-definition", "info", "doc.sop", 8)]
    );
}

#[test]
fn overrides_match_paths_relative_to_the_root_and_later_ones_win() {
    let config = "\
rules:
  task-without-due: error
overrides:
  - files: legacy/**
    rules:
      task-without-due: off
  - files: [legacy/keep/*.sop, other/*.sop]
    rules: { task-without-due: warning }
";
    let run = Project::new()
        .file("sopc.yaml", config)
        .file("doc.sop", DOC)
        .file("legacy/old/doc.sop", DOC)
        .file("legacy/keep/doc.sop", DOC)
        .run_code(&["check", "--format", "json"], 1);
    let due: Vec<(String, String)> = findings(&run)
        .into_iter()
        .filter(|f| f.0 == "task-without-due")
        .map(|f| (f.2, f.1))
        .collect();
    assert_eq!(
        due,
        [
            ("doc.sop".to_string(), "error".to_string()),
            ("legacy/keep/doc.sop".to_string(), "warning".to_string()),
        ]
    );
}

#[test]
fn a_misspelt_rule_is_reported_where_it_is_written() {
    let run = check("extends: recommended\nrules:\n  task-without-deu: error\n");
    let e = config_error(&run);
    assert_eq!(e["file"], "sopc.yaml");
    assert_eq!(e["message"], "no check is named `task-without-deu`");
    assert_eq!(
        (&e["line"], &e["column"], &e["end_line"], &e["end_column"]),
        (
            &Value::from(3),
            &Value::from(3),
            &Value::from(3),
            &Value::from(19)
        )
    );
    assert_eq!(e["help"], "did you mean `task-without-due`?");
    // The rest of the document is still checked with the levels that are valid.
    assert!(
        run.rules_and_lines()
            .contains(&("task-without-due".to_string(), 19))
    );
}

#[test]
fn an_unknown_level_is_reported_at_the_value() {
    let run = check("rules: { task-without-due: errors, unused-definition: off }\n");
    let e = config_error(&run);
    assert_eq!(
        e["message"],
        "`errors` is not a level (for `task-without-due`)"
    );
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(1), &Value::from(28))
    );
    assert_eq!(e["help"], "did you mean `error`?");
    // `unused-definition: off` still applies.
    assert_eq!(
        run.rules_and_lines(),
        [
            ("invalid-config".to_string(), 1),
            ("task-without-due".to_string(), 19)
        ]
    );
}

#[test]
fn invalid_config_has_a_level_like_any_check() {
    let run = check("rules:\n  invalid-config: warning\n  task-without-deu: off\n");
    assert_eq!(run.code, 0);
    // A finding of reading the configuration comes before the checks.
    assert_eq!(
        findings(&run)[0],
        finding("invalid-config", "warning", "sopc.yaml", 3)
    );
}

#[test]
fn an_unknown_key_and_an_unknown_preset_are_reported() {
    let run = check("extends: strict\nrule:\n  task-without-due: off\n");
    let e = config_error(&run);
    assert_eq!(e["message"], "unknown key `rule`");
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(2), &Value::from(1))
    );
    assert_eq!(e["help"], "did you mean `rules`?");

    let run = check("extends: stricter\n");
    let e = config_error(&run);
    assert_eq!(e["message"], "no preset is named `stricter`");
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(1), &Value::from(10))
    );
    assert_eq!(e["help"], "did you mean `strict`?");
}

#[test]
fn a_bad_glob_and_an_override_without_files_are_reported() {
    let run = check("overrides:\n  - files: \"legacy/[a\"\n    rules: { task-without-due: off }\n");
    let e = config_error(&run);
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(2), &Value::from(12))
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("`legacy/[a` is not a valid glob"),
        "{e}"
    );
    let run = check("overrides:\n  - rules: { task-without-due: off }\n");
    let e = config_error(&run);
    assert_eq!(e["message"], "this override has no `files`");
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(2), &Value::from(5))
    );
}

#[test]
fn a_yaml_syntax_error_has_its_line_and_column() {
    let run = check("rules:\n  task-without-due: error\n unused-definition: off\n");
    let e = config_error(&run);
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(3), &Value::from(2))
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("`sopc.yaml` is not valid YAML: "),
        "{e}"
    );
    // Nothing of a file that cannot be read applies.
    assert!(
        findings(&run).contains(&finding("task-without-due", "warning", "doc.sop", 19)),
        "{}",
        run.stdout
    );
}

#[test]
fn a_key_given_twice_points_at_both() {
    let run = check("rules:\n  task-without-due: off\n  task-without-due: error\n");
    let e = config_error(&run);
    assert_eq!(e["message"], "`task-without-due` is given twice");
    assert_eq!(
        (&e["line"], &e["column"]),
        (&Value::from(3), &Value::from(3))
    );
    // The primary label, then the first key.
    assert_eq!(e["labels"][0]["line"], 3);
    assert_eq!(e["labels"][1]["line"], 2);
    // The first one applies.
    assert!(
        !run.rules_and_lines()
            .iter()
            .any(|(r, _)| r == "task-without-due")
    );
}

#[test]
fn the_config_of_a_parent_folder_applies_to_files_below_it() {
    let p = Project::new()
        .file(
            "sopc.yaml",
            "rules:\n  task-without-due: error\n  unused-definition: off\n  task-without-deu: off\n",
        )
        .file("team/sales/doc.sop", DOC);
    let run = p.run_code(&["check", "--format", "json", "team/sales"], 1);
    assert_eq!(
        findings(&run),
        [
            finding("invalid-config", "error", "sopc.yaml", 4),
            finding("task-without-due", "error", "team/sales/doc.sop", 19),
        ]
    );
    // Run from inside the subfolder, the config is shown as reached from there.
    let run = run_in_code(
        &p.path().join("team/sales"),
        &["check", "--format", "json"],
        1,
    );
    assert_eq!(
        findings(&run),
        [
            finding("invalid-config", "error", "../../sopc.yaml", 4),
            finding("task-without-due", "error", "doc.sop", 19),
        ]
    );
}

#[test]
fn the_config_is_shown_as_reached_from_the_paths_given() {
    let run = Project::new()
        .file("examples/x/sopc.yaml", "rules: { nope: off }\n")
        .file("examples/x/doc.sop", DOC)
        .run_code(&["check", "--format", "json", "examples/x"], 1);
    let e = config_error(&run);
    assert_eq!(e["file"], "examples/x/sopc.yaml");
}

#[test]
fn each_project_root_has_its_own_config() {
    let run = Project::new()
        .file("a/sopc.yaml", "rules: { task-without-due: off }\n")
        .file("a/doc.sop", DOC)
        .file("b/sopc.yaml", "rules: { task-without-due: error }\n")
        .file("b/doc.sop", DOC)
        .run_code(&["check", "--format", "json", "a", "b"], 1);
    let due: Vec<(String, String)> = findings(&run)
        .into_iter()
        .filter(|f| f.0 == "task-without-due")
        .map(|f| (f.2, f.1))
        .collect();
    assert_eq!(due, [("b/doc.sop".to_string(), "error".to_string())]);
    assert_eq!(run.json()["summary"]["files"], 2);
}

#[test]
fn a_fixed_severity_still_wins_unless_the_check_is_off() {
    let doc = "# sopc: allow(task-without-due)\nrole r { responsibilities \"x\" }\n";
    let p = Project::new()
        .file("sopc.yaml", "rules: { unused-suppression: error }\n")
        .file("doc.sop", doc);
    let run = p.run_code(&["check", "--format", "json", "--require-reason"], 1);
    let severities: Vec<(String, String)> =
        findings(&run).into_iter().map(|f| (f.0, f.1)).collect();
    assert!(
        severities.contains(&("unused-suppression".to_string(), "warning".to_string())),
        "{}",
        run.stdout
    );
    let p = p.file("sopc.yaml", "rules: { unused-suppression: off }\n");
    let run = p.run(&["check", "--format", "json", "--require-reason"]);
    assert_eq!(findings(&run), []);
}

/// The example at the top of `docs/configuration.md` is a valid configuration.
#[test]
fn the_documented_example_is_valid() {
    let docs = std::fs::read_to_string(crate::support::repo().join("docs/configuration.md"))
        .expect("docs/configuration.md");
    let start = docs.find("```yaml\n").expect("a yaml example") + "```yaml\n".len();
    let example = &docs[start..start + docs[start..].find("```").unwrap()];
    let run = check(example);
    assert!(
        !run.rules_and_lines()
            .iter()
            .any(|(r, _)| r == "invalid-config"),
        "{}",
        run.stdout
    );
    // The test project has no `legacy/` or draft files: each of those patterns is reported.
    let (unused, rest): (Vec<_>, Vec<_>) = findings(&run)
        .into_iter()
        .partition(|f| f.0 == "unused-override");
    assert_eq!(rest, [finding("task-without-due", "error", "doc.sop", 19)]);
    assert_eq!(unused.len(), 3, "{}", run.stdout);
}
