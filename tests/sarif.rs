//! `sopc check --format sarif`: valid SARIF 2.1.0 that says what the JSON output says.

use serde_json::Value;

use crate::support::{Project, Run, repo, run_in, run_in_code};

/// The official schema, kept in the repository so the test needs no network.
fn schema_errors(sarif: &Value) -> Vec<String> {
    let path = repo().join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("the SARIF schema is in tests/schemas");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        // A draft 6 format that draft 4 validators skip; GitHub's upload checks it.
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("the schema compiles");
    validator
        .iter_errors(sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// RFC 3986: only unreserved, reserved and `%XX` escapes, and a scheme, if any, well-formed.
fn is_uri_reference(s: &str) -> bool {
    let bytes = s.as_bytes();
    let escapes_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
    });
    let scheme_ok = match s.split_once(':') {
        Some((before, _)) if !before.contains(['/', '?', '#']) => {
            before.starts_with(|c: char| c.is_ascii_alphabetic())
                && before
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => true,
    };
    escapes_ok && scheme_ok
}

pub(crate) fn assert_valid(run: &Run) -> Value {
    let sarif = run.json();
    let errors = schema_errors(&sarif);
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    sarif
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

/// `(rule, file, line, column, end line, end column)` of a JSON diagnostic or label.
fn json_place(d: &Value) -> (String, String, u64, u64, u64, u64) {
    (
        d["rule"].as_str().unwrap_or_default().to_string(),
        d["file"].as_str().expect("file").to_string(),
        d["line"].as_u64().expect("line"),
        d["column"].as_u64().expect("column"),
        d["end_line"].as_u64().expect("end_line"),
        d["end_column"].as_u64().expect("end_column"),
    )
}

/// The same for a SARIF location, with the rule given.
fn sarif_place(rule: &str, location: &Value) -> (String, String, u64, u64, u64, u64) {
    let physical = &location["physicalLocation"];
    let region = &physical["region"];
    (
        rule.to_string(),
        physical["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .to_string(),
        region["startLine"].as_u64().expect("startLine"),
        region["startColumn"].as_u64().expect("startColumn"),
        region["endLine"].as_u64().expect("endLine"),
        region["endColumn"].as_u64().expect("endColumn"),
    )
}

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        "off" => "none",
        other => panic!("unknown severity `{other}`"),
    }
}

#[test]
fn broken_examples_are_valid_sarif() {
    let run = run_in_code(
        &repo(),
        &["check", "--format", "sarif", "examples/broken"],
        1,
    );
    let sarif = assert_valid(&run);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["$schema"]
            .as_str()
            .is_some_and(|s| s.ends_with("sarif-schema-2.1.0.json"))
    );
    assert_eq!(sarif["runs"].as_array().map(Vec::len), Some(1));
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "sopc");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn one_result_per_json_diagnostic() {
    let args = ["check", "examples/broken", "--format"];
    let json = run_in_code(&repo(), &[&args[..], &["json"]].concat(), 1).json();
    let sarif = run_in_code(&repo(), &[&args[..], &["sarif"]].concat(), 1).json();
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let results = results(&sarif);
    assert!(!results.is_empty());
    assert_eq!(results.len(), diagnostics.len());
    for (d, r) in diagnostics.iter().zip(results) {
        let rule = r["ruleId"].as_str().expect("ruleId");
        assert_eq!(json_place(d), sarif_place(rule, &r["locations"][0]));
        assert_eq!(
            r["level"],
            sarif_level(d["severity"].as_str().expect("severity"))
        );
        let message = r["message"]["text"].as_str().expect("message");
        assert!(message.starts_with(d["message"].as_str().expect("message")));
        let labels = d["labels"].as_array().expect("labels");
        let related = r["relatedLocations"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        // JSON's labels start with the primary one, which SARIF says at the primary location.
        let primary = &r["locations"][0]["message"]["text"];
        let labels = match primary.as_str() {
            Some(text) => {
                assert_eq!(labels[0]["message"], text, "{rule}");
                let (_, file, line, column, end_line, end_column) = json_place(d);
                assert_eq!(
                    json_place(&labels[0]),
                    (String::new(), file, line, column, end_line, end_column)
                );
                &labels[1..]
            }
            None => &labels[..],
        };
        assert_eq!(labels.len(), related.len(), "{rule}");
        for (l, rl) in labels.iter().zip(related) {
            assert_eq!(json_place(l), sarif_place("", rl));
            assert_eq!(rl["message"]["text"], l["message"]);
        }
    }
    // Every check of examples/broken fires, errors, warnings and notes alike.
    for level in ["error", "warning", "note"] {
        assert!(results.iter().any(|r| r["level"] == level), "no {level}");
    }
}

#[test]
fn every_check_is_a_rule_and_results_point_at_theirs() {
    let run = run_in_code(
        &repo(),
        &["check", "--format", "sarif", "examples/broken"],
        1,
    );
    let sarif = run.json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let registry = run_in(&repo(), &["rules", "--format", "json"]).json();
    let registry = registry.as_array().expect("rules list");
    assert_eq!(rules.len(), registry.len());
    for (rule, check) in rules.iter().zip(registry) {
        assert_eq!(rule["id"], check["name"]);
        assert_eq!(rule["shortDescription"]["text"], check["summary"]);
        let default = check["default"].as_str().expect("default");
        assert_eq!(rule["defaultConfiguration"]["level"], sarif_level(default));
        for text in [&rule["fullDescription"]["text"], &rule["help"]["text"]] {
            assert!(
                text.as_str().is_some_and(|t| !t.is_empty()),
                "{}",
                rule["id"]
            );
        }
        let markdown = rule["help"]["markdown"].as_str().expect("markdown");
        assert!(markdown.contains("## Why it matters"), "{}", rule["id"]);
    }
    for r in results(&sarif) {
        let index = usize::try_from(r["ruleIndex"].as_u64().expect("ruleIndex")).expect("index");
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
}

#[test]
fn columns_count_unicode_scalar_values() {
    let p = Project::new().file(
        "销售.sop",
        "role 销售代表 \"销售代表\" { reports_to 经理 responsibilities \"跟进\" }\n",
    );
    let json = p.run_code(&["check", "--format", "json"], 1).json();
    let run = p.run_code(&["check", "--format", "sarif"], 1);
    let sarif = assert_valid(&run);
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let d = &json["diagnostics"][0];
    let r = &results(&sarif)[0];
    assert_eq!(r["ruleId"], "undefined-reference");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], d["column"]);
    assert_eq!(region["startColumn"], 31);
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%E9%94%80%E5%94%AE.sop"
    );
}

#[test]
fn uris_are_relative_and_encoded() {
    let p = Project::new().file("my sops/a,b#1.sop", "role r {}\n");
    let run = p.run(&["check", "--format", "sarif", "./my sops"]);
    let sarif = assert_valid(&run);
    let artifact = &results(&sarif)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "my%20sops/a,b%231.sop");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let p = Project::new().file("a.sop", "role r {}\nrole q {}\n");
    let first = p.run(&["check", "--format", "sarif"]);
    let second = p.run(&["check", "--format", "sarif"]);
    assert_eq!(first.stdout, second.stdout);
    let sarif = assert_valid(&first);
    let prints: Vec<&Value> = results(&sarif)
        .iter()
        .map(|r| &r["partialFingerprints"]["sopc/v1"])
        .collect();
    assert_eq!(prints.len(), 2);
    assert!(prints.iter().all(|f| f.is_string()));
    assert_ne!(prints[0], prints[1]);
    // Moving a finding down a line keeps its fingerprint.
    let moved = Project::new().file("a.sop", "\nrole r {}\nrole q {}\n");
    let moved = moved.run(&["check", "--format", "sarif"]).json();
    assert_eq!(
        &results(&moved)[0]["partialFingerprints"]["sopc/v1"],
        prints[0]
    );
}

#[test]
fn a_clean_run_has_no_results() {
    let p = Project::new().file("a.sop", "role r { responsibilities \"x\" }\n");
    let run = p.run(&["check", "--format", "sarif"]);
    let sarif = assert_valid(&run);
    assert!(results(&sarif).is_empty());
}

#[test]
fn the_schema_check_catches_bad_sarif() {
    let p = Project::new().file("a.sop", "role r {}\n");
    let mut sarif = p.run(&["check", "--format", "sarif"]).json();
    assert!(schema_errors(&sarif).is_empty());
    let result = &mut sarif["runs"][0]["results"][0];
    result["level"] = "fatal".into();
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.sop".into();
    let errors = schema_errors(&sarif);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}
