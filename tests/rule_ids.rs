//! Typed rule ids: one list defines the registry table and `RuleId`, and every output still
//! shows and orders checks by their names.

use sopc::lint::{RULES, RuleId};

use crate::support::Project;

/// A task with neither an owner nor a due time, in a stage without an owner: `unowned-task`
/// and `task-without-due` point at the same place.
const DOC: &str = r#"sop s { review quarterly owner rep }
role rep { responsibilities "Sell" }
training onboarding { for rep }
feedback f { cadence weekly owner rep }
pipeline sales {
  stage lead {
    exit "Qualified"
    task call { done_when "Called" }
    -> won
  }
  stage won { terminal }
}
"#;

fn rules_and_helps(p: &Project) -> Vec<(String, u64, Option<String>)> {
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_string(),
                d["line"].as_u64().expect("line"),
                d["help"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn ids_and_the_registry_table_are_one_list() {
    assert_eq!(RuleId::ALL.len(), RULES.len());
    for (i, (id, info)) in RuleId::ALL.iter().zip(RULES).enumerate() {
        assert_eq!(id.index(), i);
        assert_eq!(id.name(), info.name);
        assert_eq!(id.info().name, info.name);
        assert_eq!(RuleId::from_name(info.name), Some(*id), "{}", info.name);
        assert_eq!(id.to_string(), info.name);
        assert_eq!(
            serde_json::to_string(id).unwrap(),
            format!("\"{}\"", info.name)
        );
    }
    assert_eq!(RuleId::from_name("syntax"), Some(RuleId::Syntax));
    assert_eq!(RuleId::from_name("bidi-control"), Some(RuleId::BidiControl));
    assert_eq!(RuleId::from_name("dead-end-stag"), None);
    assert_eq!(RuleId::from_name("Syntax"), None);
    assert_eq!(RuleId::from_name(""), None);
}

#[test]
fn findings_in_one_place_are_ordered_by_rule_name() {
    // The registry puts `unowned-task` before `task-without-due`; output orders by name.
    let p = Project::new().file("a.sop", DOC);
    let rules: Vec<(String, u64)> = rules_and_helps(&p)
        .into_iter()
        .map(|(r, l, _)| (r, l))
        .collect();
    assert_eq!(
        rules,
        [
            ("stage-without-owner".to_string(), 6),
            ("task-without-due".to_string(), 8),
            ("unowned-task".to_string(), 8),
        ]
    );
}

#[test]
fn unknown_names_from_the_user_stay_user_errors() {
    let doc = DOC.replace(
        "    task call",
        "    # sopc: allow(unowned-tsk)\n    task call",
    );
    let p = Project::new()
        .file("a.sop", &doc)
        .file("sopc.yaml", "rules:\n  task-without-du: off\n");
    let found = rules_and_helps(&p);
    let did_you_mean = |rule: &str, name: &str| {
        found
            .iter()
            .any(|(r, _, h)| r == rule && h.as_deref() == Some(&format!("did you mean `{name}`?")))
    };
    assert!(
        did_you_mean("invalid-config", "task-without-due"),
        "{found:?}"
    );
    assert!(
        did_you_mean("unused-suppression", "unowned-task"),
        "{found:?}"
    );
    // Neither misspelt name silences or changes anything.
    assert!(
        found.iter().any(|(r, _, _)| r == "task-without-due"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(r, _, _)| r == "unowned-task"),
        "{found:?}"
    );
}
