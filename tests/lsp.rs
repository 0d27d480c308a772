//! `sopc lsp` over stdio, as an editor drives it: each feature through JSON-RPC.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::lsp_client::{Client, pos, uri};
use crate::support::Project;

const ROLES: &str = "role rep \"销售代表\" {
  responsibilities \"跟进线索\"
  reports_to mgr
}

role mgr \"经理\" {
  responsibilities \"带团队\"
}

training basics \"基础\" {
  for rep, mgr
  when new_hire
  duration 4h
}
";

const MAIN: &str = "import \"roles.sop\"

sop demo \"示例\" {
  owner mgr
  review quarterly
}

pipeline flow \"流程\" {
  stage lead \"线索\" {
    owner rep
    requires basics
    exit \"done\"
    -> won
  }

  stage won \"成交\" {
    owner mgr
    terminal
  }
}
";

fn project() -> (Project, PathBuf) {
    let p = Project::new()
        .file("sopc.yaml", "rules:\n  no-feedback: off\n")
        .file("roles.sop", ROLES)
        .file("main.sop", MAIN)
        .file(
            "other.sop",
            "import \"roles.sop\"\n\nsop other {\n  owner rep\n}\n",
        );
    let root = p.path().canonicalize().unwrap();
    (p, root)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn at(u: &str, text: &str, needle: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": u}, "position": pos(text, needle, nth, false)})
}

#[test]
fn lsp_initialize_announces_capabilities_and_shutdown_exits_0() {
    let (p, _) = project();
    let (c, caps) = Client::start(p.path(), json!({}));
    let caps = &caps["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{caps}");
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "foldingRangeProvider",
        "renameProvider",
        "completionProvider",
        "codeActionProvider",
        "documentFormattingProvider",
        "semanticTokensProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lsp_exit_without_shutdown_is_1_and_requests_before_initialize_fail() {
    let (p, _) = project();
    let mut c = Client::spawn(p.path());
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn lsp_utf8_is_negotiated_when_offered() {
    let (p, root) = project();
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut c, init) = Client::start(p.path(), caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    // An emoji and CJK text before the finding: its column counts bytes.
    let text = "sop d \"😀线\" { owner nobody }\n";
    let u = c.open(&root.join("e.sop"), text);
    let diags = c.diagnostics(&u);
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d["range"]["start"], pos(text, "nobody", 0, true));
    assert_eq!(d["range"]["start"]["character"], 24);
}

#[test]
fn lsp_positions_count_utf16_units_by_default() {
    let (p, root) = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = "sop d \"😀线\" { owner nobody }\n";
    let u = c.open(&root.join("e.sop"), text);
    let diags = c.diagnostics(&u);
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .unwrap_or_else(|| panic!("{diags:?}"));
    // `sop d "` is 7 units, the emoji 2, `线` 1, `" { owner ` 10.
    assert_eq!(d["range"]["start"]["character"], 20);
    assert_eq!(d["range"]["end"]["character"], 26);
    assert_eq!(d["source"], "sopc");
    assert_eq!(d["severity"], 1);
    assert!(d["message"].as_str().unwrap().contains("nobody"), "{d}");
}

#[test]
fn lsp_diagnostics_follow_unsaved_imports_and_config() {
    let (p, root) = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let main = c.open(&root.join("main.sop"), MAIN);
    assert_eq!(
        c.diagnostics(&main),
        Vec::<Value>::new(),
        "clean: an empty list"
    );
    // The library, edited and not saved: `mgr` is gone, so the document's `owner mgr` breaks.
    let lib = c.open(&root.join("roles.sop"), ROLES);
    let _ = c.diagnostics(&lib);
    assert_eq!(
        c.diagnostics(&main),
        Vec::<Value>::new(),
        "published again as an importer"
    );
    let edited = ROLES.replace("role mgr", "role boss");
    c.replace(&lib, 2, &edited);
    let lib_diags = c.diagnostics(&lib);
    assert!(
        codes(&lib_diags).contains(&"undefined-reference".to_string()),
        "{lib_diags:?}"
    );
    let diags = c.diagnostics(&main);
    let undefined: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "undefined-reference")
        .collect();
    assert_eq!(undefined.len(), 2, "{diags:?}");
    assert_eq!(undefined[0]["range"]["start"], pos(MAIN, "mgr", 0, false));
    // Back as it was: clean again.
    c.replace(&lib, 3, ROLES);
    let _ = c.diagnostics(&lib);
    assert_eq!(c.diagnostics(&main), Vec::<Value>::new());
    // `sopc.yaml` edited in the editor: its level applies, its own errors are on it.
    let cfg_path = root.join("sopc.yaml");
    let cfg = c.open(&cfg_path, "rules:\n  no-feedback: off\n");
    assert_eq!(c.diagnostics(&main), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&cfg), Vec::<Value>::new(), "clean on open");
    c.replace(
        &cfg,
        2,
        "rules:\n  no-feedback: error\n  no-such-rule: warn\n",
    );
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "no-feedback")
        .expect("no-feedback");
    assert_eq!(d["severity"], 1, "error, as sopc.yaml says");
    let cfg_diags = c.diagnostics(&cfg);
    assert_eq!(codes(&cfg_diags), vec!["invalid-config"], "{cfg_diags:?}");
    assert_eq!(cfg_diags[0]["range"]["start"]["line"], 2);
}

#[test]
fn lsp_incremental_changes_and_tags() {
    let (p, root) = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let main = c.open(&root.join("main.sop"), MAIN);
    let _ = c.diagnostics(&main);
    // Replace `rep` in `owner rep` with `rpe`, by range.
    let start = pos(MAIN, "rep", 0, false);
    let mut end = start.clone();
    end["character"] = json!(start["character"].as_u64().unwrap() + 3);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "rpe"}]}),
    );
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .expect("finding");
    assert_eq!(d["range"]["start"], start);
    assert!(d["message"].as_str().unwrap().contains("rpe"), "{d}");
    // An unused role in a document is tagged unnecessary.
    let text = format!("{MAIN}\nrole spare {{\n  responsibilities \"x\"\n}}\n");
    c.replace(&main, 3, &text);
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "unused-definition")
        .expect("unused");
    assert_eq!(d["tags"], json!([1]));
}

#[test]
fn lsp_related_information_points_at_the_first_definition() {
    let (p, root) = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let text = format!("{MAIN}\nrole mgr {{\n  responsibilities \"x\"\n}}\n");
    let main = c.open(&root.join("main.sop"), &text);
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "duplicate-definition")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let rel = &d["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], uri(&root.join("roles.sop")), "{d}");
    assert_eq!(rel["location"]["range"]["start"]["line"], 5);
}

#[test]
fn lsp_survives_garbage_and_a_large_document() {
    let (p, root) = project();
    let (mut c, _) = Client::start(p.path(), json!({}));
    c.raw(b"Content-Length: 5\r\n\r\n{{{{{");
    c.raw(b"this is no header\r\n\r\n");
    let garbage = c.open(&root.join("g.sop"), "\u{0}\u{1} }}}{{{ \"\"\" -> -> role");
    assert!(!c.diagnostics(&garbage).is_empty());
    let mut big = String::from("sop big {\n  owner rep\n}\n");
    let mut i = 0;
    while big.len() < 2 << 20 {
        big.push_str(&format!(
            "role r{i} \"角色 {i}\" {{\n  responsibilities \"做事\"\n}}\n"
        ));
        i += 1;
    }
    let u = c.open(&root.join("big.sop"), &big);
    let _ = c.diagnostics(&u);
    let h = c.call("textDocument/hover", at(&u, &big, "r17 ", 0));
    assert!(
        h["contents"]["value"].as_str().unwrap().contains("r17"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

fn open_main(root: &Path) -> (Client, String) {
    let (mut c, _) = Client::start(root, json!({}));
    let main = c.open(&root.join("main.sop"), MAIN);
    let _ = c.diagnostics(&main);
    (c, main)
}

#[test]
fn lsp_hover_shows_facts_and_keywords() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let h = c.call("textDocument/hover", at(&main, MAIN, "rep", 0));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("role") && text.contains("`rep`") && text.contains("销售代表"),
        "{text}"
    );
    assert!(
        text.contains("跟进线索") && text.contains("`mgr`"),
        "{text}"
    );
    let h = c.call("textDocument/hover", at(&main, MAIN, "lead", 0));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("owner: `rep`") && text.contains("-> `won`") && text.contains("exit: done"),
        "{text}"
    );
    let h = c.call("textDocument/hover", at(&main, MAIN, "basics", 0));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("for: `rep`, `mgr`") && text.contains("duration: 4h"),
        "{text}"
    );
    let h = c.call("textDocument/hover", at(&main, MAIN, "requires", 0));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("training") && text.contains("`requires`"),
        "{text}"
    );
    let h = c.call("textDocument/hover", at(&main, MAIN, "\"done\"", 0));
    assert!(h.is_null(), "{h}");
}

#[test]
fn lsp_definition_goes_across_files_and_to_imports() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let d = c.call("textDocument/definition", at(&main, MAIN, "rep", 0));
    assert_eq!(d["uri"], uri(&root.join("roles.sop")));
    assert_eq!(d["range"]["start"], pos(ROLES, "rep", 0, false));
    let d = c.call("textDocument/definition", at(&main, MAIN, "won", 0));
    assert_eq!(d["uri"], main);
    assert_eq!(d["range"]["start"], pos(MAIN, "won", 1, false));
    let d = c.call("textDocument/definition", at(&main, MAIN, "roles.sop", 0));
    assert_eq!(d["uri"], uri(&root.join("roles.sop")));
}

#[test]
fn lsp_references_cover_files_not_open() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let params = |decl: bool| {
        let mut p = at(&main, MAIN, "rep", 0);
        p["context"] = json!({"includeDeclaration": decl});
        p
    };
    let refs = c.call("textDocument/references", params(true));
    let mut places: Vec<(String, u64)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let u = l["uri"].as_str().unwrap();
            let name = u.rsplit('/').next().unwrap().to_string();
            (name, l["range"]["start"]["line"].as_u64().unwrap())
        })
        .collect();
    places.sort();
    assert_eq!(
        places,
        vec![
            ("main.sop".into(), 9),
            ("other.sop".into(), 3),
            ("roles.sop".into(), 0),
            ("roles.sop".into(), 10),
        ]
    );
    let refs = c.call("textDocument/references", params(false));
    assert_eq!(refs.as_array().unwrap().len(), 3);
    let hl = c.call("textDocument/documentHighlight", at(&main, MAIN, "won", 0));
    let kinds: Vec<u64> = hl
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_u64().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![3, 2],
        "the definition writes, the transition reads: {hl}"
    );
}

#[test]
fn lsp_rename_across_files_and_refusals() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let prep = c.call("textDocument/prepareRename", at(&main, MAIN, "rep", 0));
    assert_eq!(prep["placeholder"], "rep");
    let r = c.request("textDocument/prepareRename", at(&main, MAIN, "owner", 0));
    assert!(
        r["error"]["message"].as_str().unwrap().contains("keyword"),
        "{r}"
    );
    let r = c.request("textDocument/prepareRename", at(&main, MAIN, "\"done\"", 0));
    assert!(r.get("error").is_some(), "{r}");
    let mut params = at(&main, MAIN, "rep", 0);
    params["newName"] = json!("代表");
    let edit = c.call("textDocument/rename", params.clone());
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(
        changes[&uri(&root.join("roles.sop"))]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(changes[&main].as_array().unwrap().len(), 1);
    assert_eq!(
        changes[&uri(&root.join("other.sop"))]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        changes
            .values()
            .flat_map(|v| v.as_array().unwrap())
            .all(|e| e["newText"] == "代表")
    );
    params["newName"] = json!("two words");
    let r = c.request("textDocument/rename", params.clone());
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not an identifier"),
        "{r}"
    );
    params["newName"] = json!("mgr");
    let r = c.request("textDocument/rename", params);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{r}"
    );
    let mut params = at(&main, MAIN, "won", 0);
    params["newName"] = json!("lead");
    let r = c.request("textDocument/rename", params);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("pipeline `flow`"),
        "{r}"
    );
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lsp_completion_offers_the_right_kind() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let text = MAIN.replace("    owner rep\n", "    owner \n");
    c.replace(&main, 2, &text);
    let _ = c.diagnostics(&main);
    let l = labels(&c.call(
        "textDocument/completion",
        at(&main, &text, "owner \n", 0).tap_char(6),
    ));
    assert_eq!(l, vec!["rep", "mgr"], "roles only");
    let text2 = MAIN.replace("    -> won\n", "    -> \n");
    c.replace(&main, 3, &text2);
    let l = labels(&c.call(
        "textDocument/completion",
        at(&main, &text2, "-> \n", 0).tap_char(3),
    ));
    assert_eq!(l, vec!["lead", "won"], "the stages of the pipeline");
    let text3 = MAIN.replace("    exit \"done\"\n", "    exit \"done\"\n    \n");
    c.replace(&main, 4, &text3);
    let p = at(&main, &text3, "    \n", 0).tap_char(4);
    let l = labels(&c.call("textDocument/completion", p));
    for k in ["owner", "sla", "requires", "exit", "terminal", "task", "->"] {
        assert!(l.contains(&k.to_string()), "{k} missing: {l:?}");
    }
    assert!(
        !l.contains(&"for".to_string()) && !l.contains(&"stage".to_string()),
        "{l:?}"
    );
    let l = labels(&c.call("textDocument/completion", at(&main, MAIN, "quarterly", 0)));
    assert!(l.contains(&"monthly".to_string()), "{l:?}");
}

trait Tap {
    fn tap_char(self, by: u64) -> Self;
}

impl Tap for Value {
    /// Moves the position of request parameters `by` units right.
    fn tap_char(mut self, by: u64) -> Value {
        let c = self["position"]["character"].as_u64().unwrap();
        self["position"]["character"] = json!(c + by);
        self
    }
}

#[test]
fn lsp_code_actions_allow_and_create_stage() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let text = MAIN.replace("    -> won\n", "    -> won\n    -> negotiation\n");
    c.replace(&main, 2, &text);
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .expect("finding")
        .clone();
    let actions = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let titles = labels_of(&actions, "title");
    assert!(
        titles.contains(&"create stage `negotiation`".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"allow `undefined-reference` for this block".to_string()),
        "{titles:?}"
    );
    for a in actions.as_array().unwrap() {
        assert_eq!(a["kind"], "quickfix");
        let edits = a["edit"]["changes"][&main]
            .as_array()
            .expect("edits")
            .clone();
        let applied = apply(&text, &edits);
        c.replace(&main, 3, &applied);
        let after = c.diagnostics(&main);
        assert!(
            !after.iter().any(|d| d["code"] == "undefined-reference"),
            "{}: {after:?}\n{applied}",
            a["title"]
        );
        if a["title"].as_str().unwrap().starts_with("allow") {
            assert!(
                applied.contains("  # sopc: allow(undefined-reference)\n  stage lead"),
                "{applied}"
            );
        }
    }
}

#[test]
fn lsp_code_actions_offer_the_fixes_findings_carry() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    // A misspelt owner after CJK text on the line before: the did-you-mean is a safe fix.
    let text = MAIN.replace("    owner rep\n", "    owner rpe\n");
    c.replace(&main, 2, &text);
    let diags = c.diagnostics(&main);
    let d = diags
        .iter()
        .find(|d| d["code"] == "undefined-reference")
        .expect("finding")
        .clone();
    let actions = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix: {actions}"))
        .clone();
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][&main]
        .as_array()
        .expect("edits")
        .clone();
    let applied = apply(&text, &edits);
    assert!(applied.contains("    owner rep\n"), "{applied}");
    c.replace(&main, 3, &applied);
    let after = c.diagnostics(&main);
    assert!(
        !after.iter().any(|d| d["code"] == "undefined-reference"),
        "{after:?}"
    );
}

#[test]
fn lsp_today_decides_whether_a_review_is_overdue() {
    let (_p, root) = project();
    let text = MAIN.replace(
        "  review quarterly\n",
        "  review quarterly\n  reviewed 2026-01-01\n",
    );
    for (today, overdue) in [("2026-02-01", false), ("2026-06-01", true)] {
        let (mut c, _) = Client::start_with(&root, json!({}), &["--today", today]);
        let main = c.open(&root.join("main.sop"), &text);
        let diags = c.diagnostics(&main);
        let fired = diags.iter().any(|d| d["code"] == "review-overdue");
        assert_eq!(fired, overdue, "on {today}: {diags:?}");
    }
}

fn labels_of(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

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

#[test]
fn lsp_formatting_is_sopc_fmt() {
    let (p, root) = project();
    let messy = "role  a \"A\" {responsibilities \"x\",\"y\" # why\n}\r\nrole b{}";
    let path = root.join("messy.sop");
    std::fs::write(&path, messy).unwrap();
    let (mut c, _) = Client::start(p.path(), json!({}));
    let u = c.open(&path, messy);
    let edits = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(messy, edits.as_array().unwrap());
    p.run(&["fmt", "messy.sop"]);
    assert_eq!(formatted, std::fs::read_to_string(&path).unwrap());
    let main = c.open(&root.join("main.sop"), MAIN);
    let edits = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": main}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]), "already formatted");
}

#[test]
fn lsp_symbols_folding_and_tokens() {
    let (_p, root) = project();
    let (mut c, main) = open_main(&root);
    let syms = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": main}}),
    );
    let pipeline = &syms[1];
    assert_eq!(pipeline["name"], "流程");
    assert_eq!(pipeline["detail"], "pipeline flow");
    assert_eq!(
        pipeline["selectionRange"]["start"],
        pos(MAIN, "pipeline", 0, false)
    );
    let stages = labels_of(&pipeline["children"], "name");
    assert_eq!(stages, vec!["线索", "成交"]);
    let ws = c.call("workspace/symbol", json!({"query": "经理"}));
    let names = labels_of(&ws, "name");
    assert_eq!(names, vec!["经理 (mgr)"]);
    assert!(
        ws[0]["location"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("roles.sop")
    );
    let folds = c.call(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": main}}),
    );
    let ranges: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        ranges.contains(&(7, 19)) && ranges.contains(&(8, 13)),
        "{ranges:?}"
    );
    let toks = c.call(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": main}}),
    );
    let data: Vec<u64> = toks["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // The first tokens: `import` (keyword) then the string.
    assert_eq!(&data[..5], &[0, 0, 6, 0, 0]);
    assert_eq!(&data[5..10], &[0, 7, 11, 3, 0]);
    // `sop` on line 2 is a keyword, `demo` a declaration.
    assert_eq!(&data[10..20], &[2, 0, 3, 0, 0, 0, 4, 4, 7, 1]);
}

const KINDS: &str = "import \"roles.sop\"

sop kinds {
  owner mgr
  review monthly
}

goal g \"目标\" {
  target k1 >= 5
}

kpi k1 \"收入\" {
  owner mgr
  target >= 10 per month
  stage flow.a
}

training adv \"进阶\" {
  for rep, mgr
  requires basics
}

feedback fb {
  cadence weekly
  covers k1
}

strategy st {
  supports g
}

pipeline flow {
  stage a {
    owner rep
    -> b
  }

  stage b {
    terminal
  }
}
";

#[test]
fn lsp_completion_after_each_attribute_that_takes_a_name() {
    let (_p, root) = project();
    let (mut c, _) = Client::start(&root, json!({}));
    let u = c.open(&root.join("kinds.sop"), KINDS);
    let _ = c.diagnostics(&u);
    let h = c.call("textDocument/hover", at(&u, KINDS, "k1", 1));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("target: >= 10 per month") && text.contains("owner: `mgr`"),
        "{text}"
    );
    let broken = KINDS
        .replace("target k1 >= 5", "target ")
        .replace("stage flow.a", "stage ")
        .replace("for rep, mgr", "for rep, ")
        .replace("requires basics", "requires ")
        .replace("cadence weekly", "cadence ")
        .replace("covers k1", "covers ")
        .replace("supports g", "supports ");
    c.replace(&u, 2, &broken);
    let _ = c.diagnostics(&u);
    let mut complete = |needle: &str, skip: u64| {
        let p = at(&u, &broken, needle, 0).tap_char(skip);
        labels(&c.call("textDocument/completion", p))
    };
    assert_eq!(complete("target \n", 7), vec!["k1"]);
    assert_eq!(complete("stage \n", 6), vec!["a", "flow.a", "b", "flow.b"]);
    assert_eq!(complete("for rep, \n", 9), vec!["rep", "mgr"]);
    assert_eq!(complete("requires \n", 9), vec!["basics", "adv"]);
    assert_eq!(complete("covers \n", 7), vec!["k1"]);
    assert_eq!(complete("supports \n", 9), vec!["g"]);
    assert_eq!(
        complete("cadence \n", 8),
        vec![
            "daily",
            "weekly",
            "biweekly",
            "monthly",
            "quarterly",
            "yearly"
        ]
    );
}

#[test]
fn lsp_config_errors_show_with_no_document_open() {
    let (_p, root) = project();
    let (mut c, _) = Client::start(&root, json!({}));
    let cfg = c.open(&root.join("sopc.yaml"), "rules:\n  no-feedbak: off\n");
    let diags = c.diagnostics(&cfg);
    assert_eq!(codes(&diags), vec!["invalid-config"], "{diags:?}");
    assert!(
        diags[0]["message"].as_str().unwrap().contains("no-feedbak"),
        "{diags:?}"
    );
    c.replace(&cfg, 2, "rules:\n  no-feedback: off\n");
    assert_eq!(c.diagnostics(&cfg), Vec::<Value>::new(), "fixed: cleared");
    // No SOP feature on it: no tokens, no formatting as SOP.
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/formatting",
    ] {
        let r = c.call(
            method,
            json!({"textDocument": {"uri": cfg}, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        assert!(r.is_null(), "{method}: {r}");
    }
}
