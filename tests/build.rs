//! `sopc build`, `sopc graph`, `sopc schema` and `sopc init`: the outputs as a user gets them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Project, repo, run_in};

/// Every file under `dir`, by path relative to it (with `/`), with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .unwrap()
}

/// Builds `example` (a folder under `examples/`) into a fresh folder; returns its files.
fn build_example(example: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_in(
        &repo(),
        &[
            "build",
            &format!("examples/{example}"),
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    tree(&dir)
}

const EXAMPLES: &[&str] = &["sales", "sales-en"];

#[test]
fn every_example_builds_and_its_markdown_is_pinned() {
    for example in EXAMPLES {
        let files = build_example(example);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        for expected in ["sales.json", "sales.handbook.md", "sales.handbook.html"] {
            assert!(names.contains(&expected), "{example}: {names:?}");
        }
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("sales.checklists/stage-")),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("sales.checklists/role-")),
            "{names:?}"
        );
        insta::assert_snapshot!(
            format!("{example}.handbook.md"),
            text(&files, "sales.handbook.md")
        );
        // The checklists in one snapshot, each under its file name.
        let checklists: String = files
            .iter()
            .filter(|(n, _)| n.starts_with("sales.checklists/") && n.ends_with(".md"))
            .map(|(n, b)| format!("==> {n} <==\n{}\n", String::from_utf8_lossy(b)))
            .collect();
        insta::assert_snapshot!(format!("{example}.checklists.md"), checklists);
    }
}

#[test]
fn every_example_json_matches_the_schema() {
    let schema = run_in(&repo(), &["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for example in EXAMPLES {
        let files = build_example(example);
        let json: serde_json::Value = serde_json::from_slice(&files["sales.json"]).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{example}: {errors:#?}");
        assert_eq!(json["schema_version"], 1);
        let stage = &json["pipelines"][0]["stages"][1];
        assert_eq!(stage["id"], "sales_process.qualification");
        assert!(
            stage["tasks"][0]["id"]
                .as_str()
                .unwrap()
                .starts_with("sales_process.qualification.")
        );
    }
}

#[test]
fn the_schema_rejects_what_is_not_the_shape() {
    let schema = run_in(&repo(), &["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let files = build_example("sales-en");
    let mut json: serde_json::Value = serde_json::from_slice(&files["sales.json"]).unwrap();
    json["schema_version"] = 2.into();
    assert!(!validator.is_valid(&json));
    json["schema_version"] = 1.into();
    json["surprise"] = true.into();
    assert!(!validator.is_valid(&json));
}

const HOSTILE: &str = r#"
sop evil "<script>alert(1)</script>" {
  version "1.0 </style><script>alert(2)</script>"
  owner boss
  review monthly
}

role boss "<b>Boss</b> & \"co\"" {
  responsibilities "<img src=x onerror=alert(3)>"
}

training basics "Basics" {
  for boss
  when new_hire
}

pipeline flow "<i>Flow</i>" {
  stage first "<script>alert(4)</script>" {
    owner boss
    requires basics
    exit "done </div>"
    task t "<u>task</u>" {
      due 1d
      done_when "x < y && y > z"
    }
    -> last when "<svg onload=alert(5)>"
  }
  stage last "Last" { terminal }
}

kpi k "K" {
  target >= 1
  owner boss
  stage first
}

feedback f "F" {
  cadence weekly
  owner boss
  with boss
  covers k
}
"#;

#[test]
fn user_text_is_escaped_in_html() {
    let p = Project::new().file("evil.sop", HOSTILE);
    p.run(&["build", ".", "-o", "out"]);
    let files = tree(&p.path().join("out"));
    let htmls: Vec<(&String, String)> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(n, b)| (n, String::from_utf8(b.clone()).unwrap()))
        .collect();
    assert!(htmls.len() > 2, "{:?}", files.keys());
    for (name, html) in &htmls {
        for bad in [
            "<script>",
            "<b>Boss",
            "<img",
            "<i>Flow",
            "<u>task",
            "<svg onload",
            "</style><",
        ] {
            assert!(!html.contains(bad), "{name} contains {bad}");
        }
    }
    let handbook = text(&files, "evil.handbook.html");
    assert!(handbook.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    // Inside the diagram too.
    assert!(handbook.contains("&lt;script&gt;alert(4)&lt;/script&gt;"));
    assert!(
        handbook.contains("<svg xmlns="),
        "the diagram is inline SVG"
    );
    assert!(!handbook.contains("<script"), "no script at all");
}

#[test]
fn a_document_with_an_error_writes_nothing() {
    let p = Project::new().file(
        "bad.sop",
        "sop s { version \"1\" }\npipeline p { stage a { owner nobody -> b } stage b { terminal } }\n",
    );
    let run = p.run_code(&["build", ".", "-o", "out"], 1);
    assert!(run.stdout.contains("undefined-reference"), "{}", run.stdout);
    assert!(!p.path().join("out").exists());
    // Nor is anything left beside it.
    let names: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["bad.sop".to_string()]);
}

#[test]
fn a_failed_build_keeps_the_previous_outputs() {
    let good = std::fs::read_to_string(repo().join("src/app/init/sales.sop")).unwrap();
    let roles = std::fs::read_to_string(repo().join("src/app/init/roles.sop")).unwrap();
    let p = Project::new()
        .file("sopc.yaml", "")
        .file("sales.sop", &good)
        .file("shared/roles.sop", &roles);
    assert_eq!(p.run(&["build", ".", "-o", "out"]).code, 0);
    let before = tree(&p.path().join("out"));
    assert!(before.contains_key("sales.json"));
    std::fs::write(
        p.path().join("sales.sop"),
        good.replace("owner sales_rep", "owner nobody"),
    )
    .unwrap();
    assert_eq!(p.run_code(&["build", ".", "-o", "out"], 1).code, 1);
    assert_eq!(tree(&p.path().join("out")), before);
    // A template error too: everything is rendered before anything is written.
    std::fs::write(p.path().join("sales.sop"), &good).unwrap();
    std::fs::create_dir(p.path().join("tpl")).unwrap();
    std::fs::write(p.path().join("tpl/checklist.md"), "{% if %}").unwrap();
    p.run_code(&["build", ".", "-o", "out", "--templates", "tpl"], 2);
    assert_eq!(tree(&p.path().join("out")), before);
}

#[test]
fn rebuilding_gives_identical_bytes() {
    let first = build_example("sales");
    let second = build_example("sales");
    assert_eq!(first, second);
    // And into the same folder, replacing the previous outputs.
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let args = ["build", "examples/sales", "-o", dir.to_str().unwrap()];
    assert_eq!(run_in(&repo(), &args).code, 0);
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    assert_eq!(run_in(&repo(), &args).code, 0);
    let mut again = tree(&dir);
    assert_eq!(again.remove("keep.txt").as_deref(), Some(&b"mine"[..]));
    assert_eq!(again, first);
}

#[test]
fn lang_overrides_the_document_language() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_in(
        &repo(),
        &[
            "build",
            "examples/sales",
            "-o",
            dir.to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    let md = std::fs::read_to_string(dir.join("sales.handbook.md")).unwrap();
    assert!(md.contains("## Table of contents"), "{md}");
    assert!(md.contains("销售流程"), "user text stays as written");
    let zh = build_example("sales");
    assert!(text(&zh, "sales.handbook.md").contains("## 目录"));
    let en = build_example("sales-en");
    assert!(text(&en, "sales.handbook.md").contains("## Table of contents"));
}

/// The `http://` and `https://` addresses in `html` other than the SVG, XHTML and XLink
/// namespace names (which name a vocabulary and are never fetched).
fn external_urls(html: &str) -> Vec<String> {
    const NAMESPACES: [&str; 3] = [
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xhtml",
        "http://www.w3.org/1999/xlink",
    ];
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        for (at, _) in html.match_indices(scheme) {
            let url: String = html[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"\"'<>()".contains(*c))
                .collect();
            if !NAMESPACES.contains(&url.as_str()) {
                found.push(url);
            }
        }
    }
    found
}

#[test]
fn external_urls_are_found_but_namespaces_are_not() {
    let page = "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://e.x/a.png\"/>\
                <style>@font-face { src: url(http://e.x/f.woff) }</style>";
    assert_eq!(
        external_urls(page),
        [
            "http://e.x/f.woff".to_string(),
            "https://e.x/a.png".to_string()
        ]
    );
}

#[test]
fn the_html_handbook_is_self_contained_and_made_for_print() {
    let files = build_example("sales");
    let html = text(&files, "sales.handbook.html");
    let external = external_urls(&html);
    assert!(external.is_empty(), "external resources: {external:?}");
    assert!(!html.contains("<link"), "no linked resources");
    assert!(!html.contains("<script"));
    assert!(!html.contains("@import"));
    assert!(html.contains("size: A4"));
    assert!(html.contains(".part { break-before: page; }"));
    assert!(html.contains("Noto Sans CJK SC"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("href=\"#stage-sales_process-qualification\""));
    assert!(html.contains("id=\"stage-sales_process-qualification\""));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.contains("@top-left { content: \"销售标准操作流程\"; }"));
}

#[test]
fn templates_can_be_overridden_one_file_at_a_time() {
    let p = Project::new()
        .file(
            "doc.sop",
            &std::fs::read_to_string(repo().join("src/app/init/sales.sop")).unwrap(),
        )
        .file(
            "shared/roles.sop",
            &std::fs::read_to_string(repo().join("src/app/init/roles.sop")).unwrap(),
        )
        .file("sopc.yaml", "")
        .file(
            "tpl/handbook.md",
            "{{ doc.sop.title }} / {{ labels.owner }}: {{ doc.sop.owner.title }}\n",
        );
    p.run(&["build", ".", "-o", "out", "--templates", "tpl"]);
    let md = std::fs::read_to_string(p.path().join("out/doc.handbook.md")).unwrap();
    assert_eq!(md, "Sales SOP / Owner: Sales manager\n");
    let html = std::fs::read_to_string(p.path().join("out/doc.handbook.html")).unwrap();
    assert!(html.contains("<!DOCTYPE html>"), "the others stay built in");
}

#[test]
fn a_template_error_names_the_file_and_line() {
    let p = Project::new()
        .file(
            "doc.sop",
            &std::fs::read_to_string(repo().join("src/app/init/sales.sop")).unwrap(),
        )
        .file(
            "shared/roles.sop",
            &std::fs::read_to_string(repo().join("src/app/init/roles.sop")).unwrap(),
        )
        .file("sopc.yaml", "")
        .file(
            "tpl/handbook.html",
            "<p>\n{{ doc.sop.title }}\n{{ doc.no_such_field }}\n",
        );
    let run = p.run_code(&["build", ".", "-o", "out", "--templates", "tpl"], 2);
    let expected = format!("{}:3: ", Path::new("tpl").join("handbook.html").display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(run.stderr.contains("undefined"), "{}", run.stderr);
    assert!(!p.path().join("out").exists());
}

const TRICKY_GRAPH: &str = r#"
sop tricky "Tricky \"names\"" {
  version "1"
  review monthly
}

pipeline main "Main \"line\"" {
  stage start "Say \"hi\" \\ <now>" {
    -> end when "a \"quoted\" | condition #1"
    -> graph
  }
  stage graph "graph" { -> end }
  stage end "end" { terminal }
}
"#;

#[test]
fn graphs_are_safe_for_keywords_and_quotes() {
    let p = Project::new().file("tricky.sop", TRICKY_GRAPH);
    let mermaid = p.run(&["graph", "tricky.sop", "--format", "mermaid"]);
    assert!(
        !mermaid
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("end"))
    );
    insta::assert_snapshot!("graph.mermaid", mermaid.stdout);
    let dot = p.run(&["graph", "tricky.sop", "--format", "dot"]);
    insta::assert_snapshot!("graph.dot", dot.stdout);
    // Deterministic.
    assert_eq!(
        p.run(&["graph", "tricky.sop", "--format", "dot"]).stdout,
        dot.stdout
    );
}

#[test]
fn graph_of_the_sales_example() {
    let run = run_in(&repo(), &["graph", "examples/sales-en/sales.sop"]);
    assert!(run.stdout.starts_with("flowchart TD\n"));
    assert!(run.stdout.contains(":::terminal"));
    assert!(run.stdout.contains("-->|\""));
}

#[test]
fn graph_refuses_a_document_with_errors() {
    let p = Project::new().file(
        "bad.sop",
        "sop s {}\npipeline p { stage a { -> nowhere } }\n",
    );
    let run = p.run_code(&["graph", "bad.sop"], 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("undefined-reference"), "{}", run.stderr);
}

#[test]
fn init_writes_a_project_that_checks_clean_and_builds() {
    let p = Project::new();
    p.run(&["init", "proj"]);
    let check = p.run(&["check", "--format", "json", "proj"]);
    assert_eq!(
        check.json()["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        check.stdout
    );
    p.run(&["build", "proj", "-o", "proj/out"]);
    assert!(p.path().join("proj/out/sales.handbook.html").is_file());
    // A second init refuses, and changes nothing.
    std::fs::write(p.path().join("proj/sales.sop"), "# mine\n").unwrap();
    let again = p.run_code(&["init", "proj"], 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(p.path().join("proj/sales.sop")).unwrap(),
        "# mine\n"
    );
}
