//! `sopc lsp` on a buffer that was never saved (`untitled:Untitled-1`, as VS Code names a new
//! file): checked with no project, features served as for a file.

use serde_json::{Value, json};

use crate::lsp_client::{Client, pos};
use crate::support::Project;

const UNTITLED: &str = "untitled:Untitled-1";

/// A pipeline with an undefined owner and no feedback block, CJK names throughout.
const TEXT: &str = "sop 演示 \"示例\" {
  owner 经理
  review quarterly
}

role 经理 \"经理\" {
  responsibilities \"带团队\"
}

pipeline 流程 \"流程\" {
  stage 线索 \"线索\" {
    owner 销售
    exit \"完成\"
    -> 成交
  }

  stage 成交 \"成交\" {
    owner 经理
    terminal
  }
}
";

/// A project whose `sopc.yaml` turns `no-feedback` off and which has `roles.sop` beside it:
/// neither applies to a buffer with no file.
fn project() -> Project {
    Project::new()
        .file("sopc.yaml", "rules:\n  no-feedback: off\n")
        .file(
            "roles.sop",
            "role rep \"销售代表\" {\n  responsibilities \"跟进线索\"\n}\n",
        )
}

fn open_untitled(c: &mut Client, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": UNTITLED, "languageId": "sop", "version": 1, "text": text}}),
    );
}

fn codes(diags: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn lsp_untitled_buffer_is_checked_with_the_default_config() {
    let p = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    open_untitled(&mut c, TEXT);
    let diags = c.diagnostics(UNTITLED);
    // What `sopc check` says of the same text saved alone, in a folder with no `sopc.yaml`.
    let alone = Project::new().file("buffer.sop", TEXT);
    let run = alone.run_any(&["check", "--format", "json", "buffer.sop"]);
    let mut want: Vec<String> = run
        .rules_and_lines()
        .into_iter()
        .map(|(rule, _)| rule)
        .collect();
    want.sort();
    assert!(want.contains(&"no-feedback".to_string()), "{want:?}");
    assert!(
        want.contains(&"undefined-reference".to_string()),
        "{want:?}"
    );
    assert_eq!(codes(&diags), want, "{diags:?}");
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .unwrap();
    assert_eq!(d["range"]["start"], pos(TEXT, "销售", 0, false), "{d}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_untitled_buffer_cannot_import_until_saved() {
    let p = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = format!("import \"roles.sop\"\n\n{TEXT}");
    open_untitled(&mut c, &text);
    let diags = c.diagnostics(UNTITLED);
    let d = diags
        .iter()
        .find(|d| d["code"] == "import-error")
        .unwrap_or_else(|| panic!("an import error: {diags:?}"));
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`roles.sop`") && message.contains("save"),
        "{message}"
    );
    assert_eq!(d["range"]["start"], pos(&text, "\"roles.sop\"", 0, false));
    // Once the import is gone, so is the error.
    c.replace(UNTITLED, 2, TEXT);
    let diags = c.diagnostics(UNTITLED);
    assert!(
        !codes(&diags).contains(&"import-error".to_string()),
        "{diags:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_untitled_buffer_has_hover_completion_formatting_and_symbols() {
    let p = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    open_untitled(&mut c, TEXT);
    let _ = c.diagnostics(UNTITLED);
    let doc = json!({"uri": UNTITLED});

    let hover = c.call(
        "textDocument/hover",
        json!({"textDocument": doc, "position": pos(TEXT, "经理", 3, false)}),
    );
    let shown = hover["contents"].to_string();
    assert!(
        shown.contains("经理") && shown.contains("带团队"),
        "{hover}"
    );

    let blank = TEXT.replace("    owner 销售\n", "    owner \n");
    c.replace(UNTITLED, 2, &blank);
    let _ = c.diagnostics(UNTITLED);
    let mut at = pos(&blank, "owner \n", 0, false);
    at["character"] = json!(at["character"].as_u64().unwrap() + 6);
    let items = c.call(
        "textDocument/completion",
        json!({"textDocument": doc, "position": at}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["经理"], "the roles of the buffer");

    let messy = TEXT.replace("  owner 经理\n  review", "owner   经理\n review");
    c.replace(UNTITLED, 3, &messy);
    let _ = c.diagnostics(UNTITLED);
    let edits = c.call(
        "textDocument/formatting",
        json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(
        !edits.as_array().unwrap().is_empty(),
        "a messy buffer is formatted: {edits}"
    );
    c.replace(UNTITLED, 4, TEXT);
    let _ = c.diagnostics(UNTITLED);
    let edits = c.call(
        "textDocument/formatting",
        json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]), "already formatted");

    let syms = c.call("textDocument/documentSymbol", json!({"textDocument": doc}));
    let names: Vec<&str> = syms
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["示例", "经理", "流程"], "{syms}");

    // Closing the buffer clears its diagnostics.
    c.notify("textDocument/didClose", json!({"textDocument": doc}));
    assert_eq!(c.diagnostics(UNTITLED), Vec::<Value>::new());
    assert_eq!(c.shutdown(), 0);
}
