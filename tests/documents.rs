//! Documents and libraries: how files that import each other are checked together.

use crate::support::Project;

const DOC: &str = r#"import "lib/kpis.sop"
sop s { review quarterly }
pipeline sales {
  stage lead { exit "x" -> won }
  stage won { terminal }
}
feedback f { cadence weekly covers revenue }
"#;

/// A kpi library names a stage of the document that imports it.
const KPIS: &str = "kpi revenue { target >= 1 stage lead }\n";

#[test]
fn a_library_imported_by_a_document_is_checked_inside_it() {
    let p = Project::new()
        .file("doc.sop", DOC)
        .file("lib/kpis.sop", KPIS);
    let run = p.run(&["check", "--format", "json", "."]);
    let rules: Vec<(String, u64)> = run.rules_and_lines();
    assert!(
        !rules.iter().any(|(r, _)| r == "undefined-reference"),
        "{}",
        run.stdout
    );
    assert!(
        rules.iter().any(|(r, _)| r == "kpi-without-owner"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_library_on_its_own_must_resolve_its_names() {
    let p = Project::new().file("lib/kpis.sop", KPIS);
    let run = p.run_code(&["check", "--format", "json", "lib/kpis.sop"], 1);
    assert!(
        run.rules_and_lines()
            .contains(&("undefined-reference".to_string(), 1)),
        "{}",
        run.stdout
    );
}

#[test]
fn a_named_library_with_a_pipeline_needs_a_header_even_when_imported() {
    let p = Project::new()
        .file(
            "doc.sop",
            "import \"flow.sop\"\nsop s { review quarterly }\nfeedback f { cadence weekly }\n",
        )
        .file(
            "flow.sop",
            "\npipeline p {\n  stage a { exit \"x\" -> b }\n  stage b { terminal }\n}\n",
        );
    let run = p.run_code(&["check", "--format", "json", "."], 1);
    let rules = run.rules_and_lines();
    assert!(
        rules.contains(&("missing-header".to_string(), 2)),
        "{}",
        run.stdout
    );
    // Only imported, it is a library like any other.
    let run = p.run(&["check", "--format", "json", "doc.sop"]);
    assert!(
        !run.rules_and_lines()
            .iter()
            .any(|(r, _)| r == "missing-header"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_library_shared_by_two_documents_is_reported_once() {
    let p = Project::new()
        .file(
            "a.sop",
            "import \"roles.sop\"\nsop a { review quarterly owner r }\n",
        )
        .file(
            "b.sop",
            "import \"roles.sop\"\nsop b { review quarterly owner r }\n",
        )
        .file("roles.sop", "role r {}\n");
    let run = p.run(&["check", "--format", "json", "."]);
    assert_eq!(
        run.rules_and_lines(),
        vec![("role-without-responsibilities".to_string(), 1)]
    );
}

#[test]
fn an_import_cycle_is_reported_where_it_closes() {
    let p = Project::new()
        .file("a.sop", "import \"b.sop\"\nsop a { review quarterly }\n")
        .file(
            "b.sop",
            "role r { responsibilities \"x\" }\nimport \"a.sop\"\n",
        );
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let json = run.json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "import-error");
    assert_eq!(
        (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()),
        ("b.sop", 2)
    );
    assert_eq!(d["message"], "import cycle: `a.sop` -> `b.sop` -> `a.sop`");
}

#[cfg(unix)]
#[test]
fn imports_stay_inside_the_project() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("roles.sop"),
        "role r { responsibilities \"x\" }\n",
    )
    .unwrap();
    let p = Project::new().file("sopc.yaml", "").file(
        "a.sop",
        "import \"link/roles.sop\"\nimport \"/etc/passwd\"\nimport \"../x.sop\"\n",
    );
    std::os::unix::fs::symlink(outside.path(), p.path().join("link")).unwrap();
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let json = run.json();
    let messages: Vec<(&str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        messages,
        vec![
            ("import-error", 1),
            ("import-error", 2),
            ("import-error", 3)
        ]
    );
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("leaves the project root")
    );
    assert!(
        json["diagnostics"][1]["message"]
            .as_str()
            .unwrap()
            .contains("absolute path")
    );
}

/// One definition of a document: the file's syntax (a `sop` block) and the model lowered from it
/// agree, for a document, a library, and a library that imports a document.
#[test]
fn the_file_and_its_model_agree_on_what_a_document_is() {
    let p = Project::new()
        .file("doc.sop", DOC)
        .file("lib/kpis.sop", KPIS)
        .file("lib/uses.sop", "import \"../doc.sop\"\nrole r { }\n");
    for (name, document) in [
        ("doc.sop", true),
        ("lib/kpis.sop", false),
        ("lib/uses.sop", false),
    ] {
        let path = p.path().join(name);
        let mut db = sopc::model::SourceDb::new();
        let file = db.add(name.into(), path.clone(), std::fs::read(&path).unwrap());
        let doc = sopc::model::document_files(&mut db, file, p.path());
        let (model, _) = sopc::model::lower(&db, &doc.files, file);
        let ast = db.get(file).ast().expect("parses");
        assert_eq!(ast.is_document(), document, "{name}");
        assert_eq!(model.is_document, document, "{name}");
        assert_eq!(model.header.is_some(), document, "{name}");
    }
}
