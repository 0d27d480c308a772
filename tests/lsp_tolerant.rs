//! `sopc lsp` on CJK text and on documents that do not parse: no request fails on any
//! position of any text, completion offers what the latest text defines, and navigation keeps
//! working while a line is half typed.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::lsp_client::{Client, pos, uri};
use crate::support::{Project, repo};

/// The JSON-RPC code of a handler that panicked.
const INTERNAL_ERROR: i64 = -32603;

fn at(u: &str, text: &str, needle: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": u}, "position": pos(text, needle, nth, false)})
}

fn labels(v: &Value) -> Vec<String> {
    let items = match v {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The UTF-16 length of every line of `text`.
fn line_lengths(text: &str) -> Vec<usize> {
    text.split('\n').map(|l| l.encode_utf16().count()).collect()
}

/// Sends `method` and asserts the server answered it without a panic (and, when `strict`,
/// without any error).
#[track_caller]
fn ask(c: &mut Client, method: &str, params: Value, strict: bool, what: &str) -> Value {
    let r = c.request(method, params);
    if let Some(e) = r.get("error") {
        assert_ne!(e["code"], INTERNAL_ERROR, "{method} on {what}: {r}");
        assert!(!strict, "{method} on {what}: {r}");
    }
    r
}

/// Every request on `text`, opened as `path`: none may fail. With `all`, each request that
/// takes a position on every position; else the requests take turns over the positions, so
/// that each position gets one (a large text stays quick to test).
fn every_request_everywhere(c: &mut Client, path: &Path, text: &str, version: &mut i32, all: bool) {
    let u = uri(path);
    *version += 1;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "sop", "version": *version, "text": text}}),
    );
    let doc = json!({"textDocument": {"uri": u}});
    let what = path.display().to_string();
    for m in [
        "textDocument/foldingRange",
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
    ] {
        ask(c, m, doc.clone(), true, &what);
    }
    ask(
        c,
        "textDocument/formatting",
        json!({"textDocument": {"uri": u},
        "options": {"tabSize": 2, "insertSpaces": true}}),
        false,
        &what,
    );
    let lines = line_lengths(text);
    for (line, len) in lines.iter().enumerate() {
        for col in 0..=*len {
            let p =
                json!({"textDocument": {"uri": u}, "position": {"line": line, "character": col}});
            let here = format!("{what}:{}:{}", line + 1, col);
            const AT: [(&str, bool); 5] = [
                ("textDocument/hover", true),
                ("textDocument/completion", true),
                ("textDocument/definition", true),
                ("textDocument/documentHighlight", true),
                ("textDocument/prepareRename", false),
            ];
            for (n, (m, strict)) in AT.iter().enumerate() {
                if all || (line + col) % AT.len() == n {
                    ask(c, m, p.clone(), *strict, &here);
                }
            }
        }
        // The requests that read the whole workspace, on some lines.
        if !line.is_multiple_of(16) {
            continue;
        }
        let p = json!({"textDocument": {"uri": u}, "position": {"line": line, "character": len / 2},
            "context": {"includeDeclaration": true}, "newName": "新名"});
        let here = format!("{what}:{}", line + 1);
        ask(c, "textDocument/references", p.clone(), true, &here);
        ask(c, "textDocument/rename", p, false, &here);
        let range = json!({"start": {"line": line, "character": 0},
            "end": {"line": line, "character": len}});
        ask(
            c,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": range,
            "context": {"diagnostics": []}}),
            true,
            &here,
        );
    }
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
}

#[test]
fn lsp_wide_characters_in_a_triple_quoted_string() {
    let p = Project::new();
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = "role r {\n  responsibilities \"\"\"aéb线😀\"\"\"\n}\n";
    let u = c.open(&root.join("p.sop"), text);
    let doc = json!({"textDocument": {"uri": u}});
    let folds = c.call("textDocument/foldingRange", doc.clone());
    assert_eq!(folds[0]["startLine"], 0, "{folds}");
    assert_eq!(folds[0]["endLine"], 2, "{folds}");
    let data = c.call("textDocument/semanticTokens/full", doc)["data"].clone();
    let data: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // The string: on the line of `responsibilities`, 17 units after it, 12 UTF-16 units long
    // (the emoji is two), of type `string` (3).
    let strings: Vec<&[u64]> = data.chunks(5).filter(|t| t[3] == 3).collect();
    assert_eq!(strings, vec![&[0, 17, 12, 3, 0][..]], "{data:?}");
    let hover = c.call("textDocument/hover", at(&u, text, "role", 0));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("`role`"),
        "{hover}"
    );
    let items = c.call(
        "textDocument/completion",
        at(&u, text, "responsibilities", 0),
    );
    assert!(
        labels(&items).contains(&"reports_to".to_string()),
        "{items}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_every_request_on_every_position_of_the_examples() {
    let examples = repo().join("examples");
    let mut files: Vec<PathBuf> = vec![
        examples.join("sales/sales.sop"),
        examples.join("sales/shared/roles.sop"),
        examples.join("sales-en/sales.sop"),
    ];
    let mut broken: Vec<PathBuf> = std::fs::read_dir(examples.join("broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sop"))
        .collect();
    broken.sort();
    files.extend(broken);
    let (mut c, _) = Client::start(&examples, json!({}));
    let mut version = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        every_request_everywhere(
            &mut c,
            &f.canonicalize().unwrap(),
            &text,
            &mut version,
            false,
        );
    }
    assert_eq!(c.shutdown(), 0);
}

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

#[test]
fn lsp_every_request_on_random_mixes_of_wide_text_quotes_and_backslashes() {
    const PIECES: &[&str] = &[
        "role",
        "stage",
        "pipeline",
        "kpi",
        "goal",
        "training",
        "feedback",
        "owner",
        "->",
        "start",
        "requires",
        "covers",
        "supports",
        "target",
        "for",
        "with",
        "import",
        "销售",
        "线索",
        "😀",
        "👩‍💻",
        "é",
        "e\u{301}",
        "ｏｗｎｅｒ",
        "\"",
        "\"\"\"",
        "\\",
        "\\\"",
        "{",
        "}",
        ",",
        ".",
        " ",
        " ",
        "\n",
        "\n",
        "\r\n",
        "\t",
        "#",
        "# 注释",
        "2d",
        "5_000",
        ">=",
        "\u{200b}",
        "\u{feff}",
        "_x",
    ];
    let p = Project::new().file(
        "lib.sop",
        "role 经理 \"经理\" {\n  responsibilities \"带\"\n}\n",
    );
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut version = 0;
    for n in 0..24u32 {
        let mut text = String::from(if n.is_multiple_of(2) {
            "import \"lib.sop\"\n"
        } else {
            ""
        });
        let len = 8 + rng.next() % 40;
        for _ in 0..len {
            text.push_str(rng.pick(PIECES));
            if rng.next().is_multiple_of(3) {
                text.push(' ');
            }
        }
        let path = root.join(format!("r{n}.sop"));
        every_request_everywhere(&mut c, &path, &text, &mut version, true);
    }
    assert_eq!(c.shutdown(), 0);
}

const TWO_ROLES: &str = "role rep {\n  responsibilities \"x\"\n}\n";

#[test]
fn lsp_completion_offers_the_names_of_the_latest_text() {
    let p = Project::new();
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let v2 = format!(
        "{TWO_ROLES}role 销售经理 \"经理\" {{\n  responsibilities \"y\"\n}}\nstrategy s {{\n  owner \n}}\n"
    );
    let path = root.join("c.sop");
    let u = c.open(&path, &v2);
    let after_owner = json!({"textDocument": {"uri": u}, "position": {"line": 7, "character": 8}});
    let items = c.call("textDocument/completion", after_owner.clone());
    assert_eq!(labels(&items), vec!["rep", "销售经理"], "{items}");
    assert!(items.to_string().contains("经理"), "the title: {items}");
    // A version that parses, then the half-typed one again: the latest text counts.
    c.replace(&u, 2, TWO_ROLES);
    c.replace(&u, 3, &v2);
    let items = c.call("textDocument/completion", after_owner);
    assert_eq!(labels(&items), vec!["rep", "销售经理"], "{items}");
    assert_eq!(c.shutdown(), 0);
}

/// A library, opened and edited without saving, and a document that does not parse: each
/// place that takes a name, with the line and column where the cursor is.
#[test]
fn lsp_completion_after_each_attribute_while_the_document_does_not_parse() {
    let lib_on_disk = "role 代表 {\n  responsibilities \"跟进\"\n}\n";
    let p = Project::new().file("shared/roles.sop", lib_on_disk);
    let root = p.path().canonicalize().unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    // Unsaved: a second role and a training, only in the editor.
    let lib = format!(
        "{lib_on_disk}role 经理 {{\n  responsibilities \"带\"\n}}\ntraining 入职 {{\n  for 代表\n}}\n"
    );
    c.open(&root.join("shared/roles.sop"), &lib);
    let main = "import \"shared/roles.sop\"

goal 收入 {
  target 
}
strategy 聚焦 {
  supports 
  owner 
}
kpi 成交率 {
  stage 
  owner 经理
}
kpi 客户数 {
  stage 流程.
}
pipeline 流程 {
  start 
  stage 线索 \"线索获取\" {
    requires 
    -> 
  }
  stage 成交 {
    terminal
  }
}
role 主管 {
  reports_to 
}
feedback 周会 {
  with 代表, 
  covers 
}
training 进阶 {
  for 
}
stage {
";
    let u = c.open(&root.join("main.sop"), main);
    let mut ask_at = |needle: &str, nth: usize| {
        let at = pos(main, needle, nth, false);
        let col = at["character"].as_u64().unwrap() + needle.encode_utf16().count() as u64;
        let p =
            json!({"textDocument": {"uri": u}, "position": {"line": at["line"], "character": col}});
        let mut l = labels(&c.call("textDocument/completion", p));
        l.sort();
        l
    };
    let roles = vec!["主管", "代表", "经理"];
    assert_eq!(ask_at("target ", 0), vec!["客户数", "成交率"]);
    assert_eq!(ask_at("supports ", 0), vec!["收入"]);
    assert_eq!(ask_at("owner ", 0), roles);
    assert_eq!(
        ask_at("  stage ", 0),
        vec!["成交", "流程.成交", "流程.线索", "线索"]
    );
    assert_eq!(ask_at("stage 流程.", 0), vec!["成交", "线索"]);
    assert_eq!(ask_at("start ", 0), vec!["成交", "线索"]);
    assert_eq!(ask_at("requires ", 0), vec!["入职", "进阶"]);
    assert_eq!(ask_at("-> ", 0), vec!["成交", "线索"]);
    assert_eq!(ask_at("reports_to ", 0), roles);
    assert_eq!(ask_at("代表, ", 0), roles);
    assert_eq!(ask_at("covers ", 0), vec!["客户数", "成交率"]);
    assert_eq!(ask_at("  for ", 0), roles);
    assert_eq!(c.shutdown(), 0);
}

const LIB: &str = "role 销售代表 \"销售代表\" {\n  responsibilities \"跟进线索\"\n}\n";

const MAIN: &str = "import \"lib.sop\"

sop demo \"示例\" {
  owner 销售代表
  review quarterly
}

pipeline flow {
  stage lead {
    owner 销售代表
    exit \"done\"
    -> won
  }
  stage won {
    owner 销售代表
    terminal
  }
}
";

fn navigation_project() -> (Project, PathBuf) {
    let p = Project::new()
        .file("sopc.yaml", "rules:\n  no-feedback: off\n")
        .file("lib.sop", LIB)
        .file("main.sop", MAIN)
        .file(
            "other.sop",
            "import \"lib.sop\"\n\nsop other {\n  owner 销售代表\n}\n",
        );
    let root = p.path().canonicalize().unwrap();
    (p, root)
}

fn places(v: &Value) -> Vec<(String, u64, u64)> {
    let list = match v {
        Value::Array(a) => a.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    let mut out: Vec<(String, u64, u64)> = list
        .iter()
        .map(|l| {
            let file = l["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            let start = &l["range"]["start"];
            (
                file,
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn lsp_navigation_while_the_document_does_not_parse() {
    let (p, root) = navigation_project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let u = c.open(&root.join("main.sop"), MAIN);
    // The answers while it parses, to compare with.
    let reference = at(&u, MAIN, "销售代表", 1);
    let def_ok = c.call("textDocument/definition", reference.clone());
    let mut with_decl = reference.clone();
    with_decl["context"] = json!({"includeDeclaration": true});
    let refs_ok = places(&c.call("textDocument/references", with_decl.clone()));
    let lights_ok = c.call("textDocument/documentHighlight", reference.clone());
    assert_eq!(refs_ok.len(), 5, "{refs_ok:?}");
    // A stray `stage {` at the end: the text does not parse.
    let broken = format!("{MAIN}stage {{\n");
    c.replace(&u, 2, &broken);
    let def = c.call("textDocument/definition", reference.clone());
    assert_eq!(places(&def), places(&def_ok));
    assert_eq!(places(&def), vec![("lib.sop".to_string(), 0, 5)]);
    assert_eq!(
        places(&c.call("textDocument/references", with_decl.clone())),
        refs_ok
    );
    with_decl["context"] = json!({"includeDeclaration": false});
    let uses = places(&c.call("textDocument/references", with_decl));
    assert_eq!(uses.len(), 4, "{uses:?}");
    let lights = c.call("textDocument/documentHighlight", reference.clone());
    assert_eq!(lights, lights_ok);
    assert_eq!(lights.as_array().unwrap().len(), 3, "{lights}");
    let hover = c.call("textDocument/hover", reference.clone());
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**role** `销售代表`"), "{text}");
    assert!(text.contains("line 19"), "{text}");
    // A stage, inside its pipeline.
    let won = at(&u, &broken, "won", 0);
    let def = c.call("textDocument/definition", won.clone());
    assert_eq!(places(&def), vec![("main.sop".to_string(), 13, 8)]);
    // Rename would change other files from a text that does not say what it names: refused,
    // saying what to fix.
    for method in ["textDocument/prepareRename", "textDocument/rename"] {
        let mut params = reference.clone();
        params["newName"] = json!("代表");
        let r = c.request(method, params);
        let msg = r["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            msg.contains("fix the syntax error at line 19 first") && msg.contains("main.sop"),
            "{msg}"
        );
    }
    // Fixed again: rename works.
    c.replace(&u, 3, MAIN);
    let mut params = reference;
    params["newName"] = json!("代表");
    let edit = c.call("textDocument/rename", params);
    assert_eq!(edit["changes"].as_object().unwrap().len(), 3, "{edit}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_hover_and_definition_of_a_name_typed_in_a_broken_text() {
    let (p, root) = navigation_project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = "import \"lib.sop\"\nrole 经理 \"区域经理\" {\n  responsibilities \"带\"\n}\nstrategy s {\n  owner 经理\n  owner 无名\n";
    let u = c.open(&root.join("t.sop"), text);
    let hover = c.call("textDocument/hover", at(&u, text, "经理", 2));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("**role** `经理` — 区域经理"), "{value}");
    let def = c.call("textDocument/definition", at(&u, text, "经理", 2));
    assert_eq!(places(&def), vec![("t.sop".to_string(), 1, 5)]);
    let hover = c.call("textDocument/hover", at(&u, text, "无名", 0));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("no role of this name is defined"), "{value}");
    assert!(
        c.call("textDocument/definition", at(&u, text, "无名", 0))
            .is_null()
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_references_and_rename_from_a_document_that_parses_see_one_that_does_not() {
    let (p, root) = navigation_project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let u = c.open(&root.join("main.sop"), MAIN);
    let other = "import \"lib.sop\"\n\nsop other {\n  owner 销售代表\n}\nrole {\n";
    c.open(&root.join("other.sop"), other);
    let mut params = at(&u, MAIN, "销售代表", 0);
    params["context"] = json!({"includeDeclaration": true});
    let refs = places(&c.call("textDocument/references", params.clone()));
    assert!(refs.contains(&("other.sop".to_string(), 3, 8)), "{refs:?}");
    assert_eq!(refs.len(), 5, "{refs:?}");
    params["newName"] = json!("代表");
    let r = c.request("textDocument/rename", params);
    let msg = r["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        msg.contains("other.sop") && msg.contains("fix the syntax error at line 6 first"),
        "{msg}"
    );
    assert_eq!(c.shutdown(), 0);
}
