//! Every check of the registry has a fixture under `tests/fixtures/` whose `# expect: RULE`
//! markers say exactly where it must fire (and, by their absence, where it must not), and
//! snapshots of what sopc prints for it, human and JSON.

use std::collections::BTreeSet;

use crate::support::{repo, run_in_any};

/// `(file, line, rule)` for every `# expect: a, b` marker in the files of a fixture: the file
/// `tests/fixtures/RULE.sop` and the files of the folder `tests/fixtures/RULE/`.
fn markers(rule: &str) -> BTreeSet<(String, u64, String)> {
    let mut files = Vec::new();
    let file = format!("tests/fixtures/{rule}.sop");
    if repo().join(&file).is_file() {
        files.push(file);
    }
    let dir = format!("tests/fixtures/{rule}");
    if let Ok(entries) = std::fs::read_dir(repo().join(&dir)) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            files.push(format!("{dir}/{name}"));
        }
    }
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(repo().join(&f)).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(pos) = line.find("# expect:") {
                for r in line[pos + "# expect:".len()..].split(',') {
                    out.insert((f.clone(), i as u64 + 1, r.trim().to_string()));
                }
            }
        }
    }
    out
}

fn fixture(rule: &str) -> Option<String> {
    let file = format!("tests/fixtures/{rule}.sop");
    let dir = format!("tests/fixtures/{rule}");
    if repo().join(&file).is_file() {
        Some(file)
    } else if repo().join(&dir).is_dir() {
        Some(dir)
    } else {
        None
    }
}

#[test]
fn every_check_fires_exactly_where_its_fixture_says() {
    let mut problems = Vec::new();
    for rule in sopc::lint::RULES {
        let Some(path) = fixture(rule.name) else {
            problems.push(format!("{}: no fixture under tests/fixtures/", rule.name));
            continue;
        };
        let expected: BTreeSet<(String, u64)> = markers(rule.name)
            .into_iter()
            .filter(|(_, _, r)| r == rule.name)
            .map(|(f, l, _)| (f, l))
            .collect();
        if expected.is_empty() {
            problems.push(format!("{path}: no `# expect: {}` marker", rule.name));
        }
        let run = run_in_any(&repo(), &["check", "--format", "json", &path]);
        let json = run.json();
        let actual: BTreeSet<(String, u64)> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule.name)
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect();
        if actual != expected {
            problems.push(format!(
                "{path}: expected at {:?}, fired at {:?}",
                expected.difference(&actual).collect::<Vec<_>>(),
                actual.difference(&expected).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn snapshots_of_every_check() {
    for rule in sopc::lint::RULES {
        let Some(path) = fixture(rule.name) else {
            continue;
        };
        let human = run_in_any(&repo(), &["check", &path]);
        insta::assert_snapshot!(format!("{}.human", rule.name), human.stdout);
        let json = run_in_any(&repo(), &["check", "--format", "json", &path]);
        let pretty = serde_json::to_string_pretty(&json.json()).unwrap();
        insta::assert_snapshot!(format!("{}.json", rule.name), pretty);
    }
}
