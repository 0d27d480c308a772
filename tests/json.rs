//! The JSON output, pinned by a mirror of the contract's shape that denies unknown fields.

use serde::Deserialize;

use crate::support::{Project, repo, run_in_code};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Diagnostic {
    rule: String,
    severity: String,
    message: String,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    labels: Vec<Label>,
    help: Option<String>,
    data: serde_json::Map<String, serde_json::Value>,
    fixes: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    message: String,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn parse(stdout: &str) -> Output {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn broken_examples_match_the_contract_shape() {
    let run = run_in_code(
        &repo(),
        &["check", "--format", "json", "examples/broken"],
        1,
    );
    let out = parse(&run.stdout);
    let count = |s: &str| out.diagnostics.iter().filter(|d| d.severity == s).count();
    assert_eq!(out.summary.errors, count("error"));
    assert_eq!(out.summary.warnings, count("warning"));
    assert_eq!(out.summary.infos, count("info"));
    assert!(out.summary.files >= 30);
    for d in &out.diagnostics {
        assert!(sopc::lint::find_rule(&d.rule).is_some(), "{}", d.rule);
        assert!(d.file.starts_with("examples/broken/"), "{}", d.file);
        assert!((d.line, d.column) <= (d.end_line, d.end_column), "{d:?}");
        assert!(!d.message.is_empty() && !d.message.ends_with('.'), "{d:?}");
        assert!(d.help.is_some(), "every finding says how to fix it: {d:?}");
        for l in &d.labels {
            assert!(!l.message.is_empty() && (l.line, l.column) <= (l.end_line, l.end_column));
            assert!(l.file.starts_with("examples/broken/"));
        }
        assert!(
            d.data["kind"].as_str().is_some_and(|k| !k.is_empty()),
            "{d:?}"
        );
        for fix in &d.fixes {
            assert!(
                fix["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{d:?}"
            );
            assert!(matches!(
                fix["applicability"].as_str(),
                Some("safe" | "unsafe")
            ));
            assert!(
                fix["edits"].as_array().is_some_and(|e| !e.is_empty()),
                "{d:?}"
            );
        }
    }
    // The findings of reading first, then the checks on the model; each sorted by file, line,
    // column.
    let keys: Vec<(bool, &str, usize, usize)> = out
        .diagnostics
        .iter()
        .map(|d| {
            let rule = sopc::lint::RuleId::from_name(&d.rule).unwrap();
            (
                !sopc::driver::reads(rule),
                d.file.as_str(),
                d.line,
                d.column,
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn positions_count_characters_and_end_is_exclusive() {
    let p = Project::new().file(
        "a.sop",
        "sop s { review weekly }\npipeline 流程 {\n  stage 线索 { -> 客户筛选 }\n  stage 完成 { terminal }\n}\nfeedback f { cadence weekly }\n",
    );
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let out = parse(&run.stdout);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.rule == "undefined-reference")
        .expect("undefined");
    // `  stage 线索 { -> 客户筛选 }`: the name starts at character 17 and has 4 characters.
    assert_eq!((d.line, d.column, d.end_line, d.end_column), (3, 17, 3, 21));
    assert_eq!(d.message, "no stage named `客户筛选` in pipeline `流程`");
}

#[test]
fn control_characters_stay_valid_json() {
    let p = Project::new().file("a.sop", "import \"x\\ny\\t\\u{7}.sop\"\n");
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let out = parse(&run.stdout);
    assert_eq!(out.diagnostics[0].rule, "import-error");
    assert!(out.diagnostics[0].message.contains("x\ny\t\u{7}.sop"));
}

#[test]
fn labels_point_at_the_second_place() {
    let p = Project::new()
        .file("lib/roles.sop", "role rep { responsibilities \"x\" }\n")
        .file(
            "a.sop",
            "import \"lib/roles.sop\"\nrole rep { responsibilities \"y\" }\n",
        );
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let out = parse(&run.stdout);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.rule == "duplicate-definition")
        .expect("duplicate");
    assert_eq!((d.file.as_str(), d.line), ("a.sop", 2));
    assert_eq!(d.labels.len(), 2);
    // The primary label first, at the finding's place.
    assert_eq!(
        (
            d.labels[0].file.as_str(),
            d.labels[0].line,
            d.labels[0].column
        ),
        (d.file.as_str(), d.line, d.column)
    );
    assert_eq!(d.labels[0].message, "defined again here");
    assert_eq!(
        (
            d.labels[1].file.as_str(),
            d.labels[1].line,
            d.labels[1].column
        ),
        ("lib/roles.sop", 1, 1)
    );
    assert_eq!(d.labels[1].message, "first defined here");
}
