//! The language server (and `sopc check`) on cases that once went wrong: a rename to a name a
//! file importing the library defines, a suppression already above a block, a misspelt keyword
//! that begins with a real one, messages that said their label twice, a clean `sopc.yaml`, an
//! import of a file that does not exist.

use std::path::Path;

use serde_json::{Value, json};

use crate::lsp_client::{Client, pos, uri};
use crate::support::{Project, repo};

/// `text` with LSP edits (UTF-16 positions) applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, t);
    }
    out
}

/// The code of each diagnostic.
fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The example in Chinese with one line changed.
fn sales_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(repo().join("examples/sales/sales.sop")).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

fn sales_project(text: &str) -> Project {
    let roles = std::fs::read_to_string(repo().join("examples/sales/shared/roles.sop")).unwrap();
    Project::new()
        .file("shared/roles.sop", &roles)
        .file("sales.sop", text)
}

#[test]
fn a_misspelt_keyword_that_starts_with_a_keyword_says_what_the_block_takes() {
    for (from, to, word, meant) in [
        ("    sla 3d", "    slaa 3d", "slaa", "sla"),
        ("    sla 3d", "    slab 3d", "slab", "sla"),
        ("    exit \"", "    exitt \"", "exitt", "exit"),
        (
            "  owner sales_director",
            "  owners sales_director",
            "owners",
            "owner",
        ),
        (
            "  version \"1.0\"",
            "  versions \"1.0\"",
            "versions",
            "version",
        ),
        (
            "  review quarterly",
            "  review quarterlyy",
            "quarterlyy",
            "quarterly",
        ),
    ] {
        let p = sales_project(&sales_with(from, to));
        let run = p.run_code(&["check", "sales.sop"], 1);
        let out = format!("{}{}", run.stdout, run.stderr);
        assert!(!out.contains("something else"), "{to}: {out}");
        assert!(out.contains(&format!("found `{word}`")), "{to}: {out}");
        assert!(
            out.contains(&format!("did you mean `{meant}`?")),
            "{to}: {out}"
        );
        if meant != "quarterly" {
            assert!(out.contains("an attribute such as"), "{to}: {out}");
        }
    }
}

#[test]
fn lsp_a_misspelt_keyword_that_starts_with_a_keyword_has_a_quick_fix() {
    let text = sales_with("    sla 3d", "    slaa 3d");
    let p = sales_project(&text);
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let u = c.open(&root.join("sales.sop"), &text);
    let diags = c.diagnostics(&u);
    let d = diags
        .iter()
        .find(|d| d["code"] == "syntax")
        .unwrap_or_else(|| panic!("{diags:?}"))
        .clone();
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("found `slaa`") && !message.contains("something else"),
        "{message}"
    );
    let actions = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains("`sla`"))
        .unwrap_or_else(|| panic!("{actions}"))
        .clone();
    let edits = fix["edit"]["changes"][&u]
        .as_array()
        .expect("edits")
        .clone();
    let applied = apply(&text, &edits);
    assert_eq!(applied, sales_with("    sla 3d", "    sla 3d"));
    c.replace(&u, 2, &applied);
    let after = codes(&c.diagnostics(&u));
    assert!(!after.contains(&"syntax".to_string()), "{after:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_messages_do_not_repeat_their_label() {
    let p = Project::new().file("sopc.yaml", "rulez:\n  no-feedback: off\n");
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let broken = c.open(&root.join("b.sop"), "sop s {\n  version “1.0”\n}\n");
    let clean = "sop s \"S\" {\n  version \"1.0\"\n  owner r\n  review quarterly\n}\n\n\
                 # sopc: allow(kpi-without-owner)\nrole r \"R\" {\n  responsibilities \"x\"\n}\n\n\
                 pipeline p \"P\" {\n  stage a {\n    owner r\n    exit \"e\"\n    task t {\n      done_when \"d\"\n    }\n    -> b\n  }\n  stage b { terminal }\n}\n";
    let good = c.open(&root.join("g.sop"), clean);
    let mut messages: Vec<String> = Vec::new();
    for u in [&broken, &good] {
        for d in c.diagnostics(u) {
            messages.push(d["message"].as_str().unwrap().to_string());
        }
    }
    let cfg = uri(&root.join("sopc.yaml"));
    for d in c.diagnostics(&cfg) {
        messages.push(d["message"].as_str().unwrap().to_string());
    }
    let all = messages.join("\n");
    for said in [
        "expected a string",
        "silences nothing",
        "unknown key `rulez`",
    ] {
        assert!(all.contains(said), "{said} not in:\n{all}");
    }
    for twice in [
        "(expected a string)",
        "(silences nothing)",
        "(unknown key)",
        "(unexpected here)",
    ] {
        assert!(!all.contains(twice), "{twice} in:\n{all}");
    }
    // A label that says more than the message is kept.
    assert!(all.contains("(by when must this be done?)"), "{all}");
    assert_eq!(c.shutdown(), 0);
}

const LIBRARY: &str = "role rep \"销售代表\" {
  responsibilities \"跟进线索\"
}

training basics \"基础\" {
  for rep
  when new_hire
  duration 4h
}
";

/// Whether a `publishDiagnostics` for `u` arrived before the answer to a request sent after
/// the notification (the server handles messages in order), and with what.
fn published_before_next_answer(c: &mut Client, u: &str) -> Option<Vec<Value>> {
    c.notes.clear();
    c.call("workspace/symbol", json!({"query": "zzz"}));
    c.notes
        .iter()
        .rev()
        .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == u)
        .map(|n| n["params"]["diagnostics"].as_array().unwrap().clone())
}

fn open_yaml(c: &mut Client, path: &Path, text: &str) -> String {
    let u = uri(path);
    c.notes.clear();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
    );
    u
}

#[test]
fn lsp_a_clean_sopc_yaml_gets_an_empty_list_on_open_and_on_every_change() {
    let p = Project::new()
        .file("sopc.yaml", "rules:\n  no-feedback: off\n")
        .file("a.sop", LIBRARY);
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    // Nothing else open.
    let cfg = open_yaml(
        &mut c,
        &root.join("sopc.yaml"),
        "rules:\n  no-feedback: off\n",
    );
    let first = published_before_next_answer(&mut c, &cfg);
    assert_eq!(first, Some(Vec::new()), "on open");
    c.replace(&cfg, 2, "rules:\n  no-feedback: warning\n");
    assert_eq!(
        published_before_next_answer(&mut c, &cfg),
        Some(Vec::new()),
        "on a change"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": cfg}}),
    );
    // With a document of the project open first.
    let doc = c.open(&root.join("a.sop"), LIBRARY);
    c.diagnostics(&doc);
    let cfg = open_yaml(&mut c, &root.join("sopc.yaml"), "rules: {}\n");
    assert_eq!(
        published_before_next_answer(&mut c, &cfg),
        Some(Vec::new()),
        "on open beside a document"
    );
    c.replace(&cfg, 2, "rules:\n  unused-definition: off\n");
    assert_eq!(
        published_before_next_answer(&mut c, &cfg),
        Some(Vec::new()),
        "on a change beside a document"
    );
    assert_eq!(c.shutdown(), 0);
}

fn at(u: &str, text: &str, needle: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": u}, "position": pos(text, needle, nth, false)})
}

#[test]
fn lsp_definition_of_an_import_of_a_missing_file_is_none() {
    let p = Project::new()
        .file("sopc.yaml", "rules: {}\n")
        .file("shared/roles.sop", LIBRARY);
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = "import \"nonexist.sop\"\nimport \"shared/roles.sop\"\nimport \"draft.sop\"\n";
    let u = c.open(&root.join("main.sop"), text);
    c.diagnostics(&u);
    let missing = c.call("textDocument/definition", at(&u, text, "nonexist", 0));
    assert!(missing.is_null(), "{missing}");
    let found = c.call("textDocument/definition", at(&u, text, "roles", 0));
    assert_eq!(found["uri"], uri(&root.join("shared/roles.sop")), "{found}");
    // A buffer open in the editor, not saved yet, is there to go to.
    let draft = c.open(&root.join("draft.sop"), "role d {\n}\n");
    c.diagnostics(&draft);
    let found = c.call("textDocument/definition", at(&u, text, "draft", 0));
    assert_eq!(found["uri"], draft, "{found}");
    assert_eq!(c.shutdown(), 0);
}

const SUPPRESSED: &str = "role r \"R\" {
  responsibilities \"x\"
}

pipeline p \"P\" {
  start a
  stage a {
    owner r
    sla 2d
    exit \"e\"
    # sopc: allow(task-without-due) -- set per deal
    task t \"T\" {
      owner r
    }
    -> b
  }
  stage b { terminal }
}
";

#[test]
fn lsp_allow_adds_the_check_to_the_suppression_already_above_the_block() {
    let p = Project::new().file(
        "sopc.yaml",
        "rules:\n  no-feedback: off\n  missing-header: off\n",
    );
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let u = c.open(&root.join("a.sop"), SUPPRESSED);
    let diags = c.diagnostics(&u);
    assert!(
        !codes(&diags).contains(&"task-without-due".to_string()),
        "{diags:?}"
    );
    let d = diags
        .iter()
        .find(|d| d["code"] == "task-without-done-criteria")
        .unwrap_or_else(|| panic!("{diags:?}"))
        .clone();
    let actions = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "allow `task-without-done-criteria` for this block")
        .unwrap_or_else(|| panic!("{actions}"))
        .clone();
    let edits = allow["edit"]["changes"][&u]
        .as_array()
        .expect("edits")
        .clone();
    let applied = apply(SUPPRESSED, &edits);
    assert!(
        applied.contains(
            "    # sopc: allow(task-without-due, task-without-done-criteria) -- set per deal\n    task t"
        ),
        "{applied}"
    );
    c.replace(&u, 2, &applied);
    let after = codes(&c.diagnostics(&u));
    for gone in [
        "task-without-due",
        "task-without-done-criteria",
        "unused-suppression",
    ] {
        assert!(!after.contains(&gone.to_string()), "{gone}: {after:?}");
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_rename_refuses_a_name_that_a_file_importing_the_library_defines() {
    let p = Project::new()
        .file("sopc.yaml", "rules: {}\n")
        .file("shared/roles.sop", LIBRARY)
        // Imports the library and defines `客服` itself.
        .file(
            "other.sop",
            "import \"shared/roles.sop\"\n\nrole 客服 \"客服专员\" {\n  responsibilities \"接待\"\n  reports_to rep\n}\n",
        )
        // Reads the library through `mid.sop`, and a training `advanced` from `extra.sop`.
        .file("mid.sop", "import \"shared/roles.sop\"\n")
        .file("extra.sop", "training advanced \"进阶\" {\n  when ongoing\n}\n")
        .file(
            "top.sop",
            "import \"mid.sop\"\nimport \"extra.sop\"\n\nrole boss {\n  responsibilities \"x\"\n}\n",
        );
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let lib = c.open(&root.join("shared/roles.sop"), LIBRARY);
    c.diagnostics(&lib);

    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": lib}, "position": pos(LIBRARY, "rep \"", 0, false),
               "newName": "客服"}),
    );
    let msg = r["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        msg.contains("`客服`") && msg.contains("`other.sop` line 3"),
        "{msg}"
    );

    // Through an import of an import, the clash in a third file.
    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": lib}, "position": pos(LIBRARY, "basics", 0, false),
               "newName": "advanced"}),
    );
    let msg = r["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        msg.contains("`extra.sop` line 1") && msg.contains("`top.sop`"),
        "{msg}"
    );

    // A free name is renamed in the library and in the file that imports it.
    let r = c.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": lib}, "position": pos(LIBRARY, "rep \"", 0, false),
               "newName": "销售员"}),
    );
    let changes = r["changes"].as_object().expect("changes");
    assert!(changes.contains_key(&lib), "{r}");
    assert!(changes.contains_key(&uri(&root.join("other.sop"))), "{r}");
    assert_eq!(c.shutdown(), 0);
}
