//! The driver's workspace: in-memory overlays over the disk, imports and configuration read
//! through them, and documents checked again only when something they read changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sopc::driver::{CheckOptions, DocumentResult, Workspace, check_paths};

use crate::support::Project;

const DOC: &str = "import \"lib.sop\"\n\
    sop s \"S\" { version \"1.0\" owner rep review quarterly lang \"en\" }\n";
const LIB: &str = "role rep \"Rep\" { responsibilities \"sell\" }\n";
const LIB_WITHOUT_REP: &str = "role other \"Other\" { responsibilities \"sell\" }\n";

fn project() -> Project {
    Project::new()
        .file("sopc.yaml", "extends: recommended\n")
        .file("doc.sop", DOC)
        .file("lib.sop", LIB)
}

/// `(rule, file name, line)` of every finding.
fn findings(result: &DocumentResult) -> Vec<(String, String, usize)> {
    result
        .findings
        .iter()
        .map(|f| {
            let src = result.db.get(f.diag.loc.file);
            let name = Path::new(&src.display)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f.diag.rule.to_string(),
                name,
                src.line_col(f.diag.loc.span.start).line,
            )
        })
        .collect()
}

fn has_undefined(result: &DocumentResult) -> bool {
    findings(result)
        .iter()
        .any(|(rule, file, line)| rule == "undefined-reference" && file == "doc.sop" && *line == 2)
}

#[test]
fn an_unsaved_import_changes_the_findings_of_its_importer_without_touching_disk() {
    let p = project();
    let doc = p.path().join("doc.sop");
    let lib = p.path().join("lib.sop");
    let mut ws = Workspace::new();
    assert!(!has_undefined(&ws.check_document(&doc).unwrap()));
    ws.set_overlay(&lib, LIB_WITHOUT_REP);
    let result = ws.check_document(&doc).unwrap();
    assert!(has_undefined(&result), "{:?}", findings(&result));
    assert_eq!(
        std::fs::read_to_string(&lib).unwrap(),
        LIB,
        "disk untouched"
    );
    // Back to the disk: the finding goes.
    ws.remove_overlay(&lib);
    assert!(!has_undefined(&ws.check_document(&doc).unwrap()));
    // The command line, which has no overlays, never saw it.
    let outcome = check_paths(&[doc], &CheckOptions::default()).unwrap();
    assert!(
        outcome
            .findings
            .iter()
            .all(|f| f.diag.rule.name() != "undefined-reference")
    );
}

#[test]
fn a_document_is_checked_again_after_an_import_changes_and_only_the_import_is_parsed() {
    let p = project();
    let doc = p.path().join("doc.sop");
    let lib = p.path().join("lib.sop");
    let mut ws = Workspace::new();
    ws.set_overlay(&doc, DOC);
    let first = ws.check_document(&doc).unwrap();
    let after_first = ws.stats();
    assert_eq!(after_first.checks, 1);
    assert_eq!(after_first.parses, 2, "the document and its import");
    // Nothing changed: the same result, no parse, no check.
    let again = ws.check_document(&doc).unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    assert_eq!(ws.stats(), after_first);
    // The import changes: checked again, and only the import is parsed again.
    ws.set_overlay(&lib, LIB_WITHOUT_REP);
    let changed = ws.check_document(&doc).unwrap();
    assert!(has_undefined(&changed));
    assert_eq!(ws.stats().checks, 2);
    assert_eq!(ws.stats().parses, after_first.parses + 1);
    assert_eq!(changed.generation, 2);
    // The same text again under a new version: checked again, parsed not at all.
    ws.set_overlay(&lib, LIB_WITHOUT_REP);
    ws.check_document(&doc).unwrap();
    assert_eq!(ws.stats().checks, 3);
    assert_eq!(ws.stats().parses, after_first.parses + 1);
}

#[test]
fn unchanged_documents_are_served_from_the_cache() {
    let p = project().file("other.sop", &DOC.replace("sop s", "sop t"));
    let doc = p.path().join("doc.sop");
    let other = p.path().join("other.sop");
    let lib = p.path().join("lib.sop");
    let mut ws = Workspace::new();
    let a = ws.check_document(&doc).unwrap();
    let b = ws.check_document(&other).unwrap();
    assert_eq!(ws.stats().checks, 2);
    assert_eq!(
        ws.dependents(&lib),
        vec![doc.canonicalize().unwrap(), other.canonicalize().unwrap()]
    );
    assert!(ws.dependents(&doc).is_empty());
    // Editing one document leaves the other's result alone.
    ws.set_overlay(&other, format!("{DOC}# edited\n").replace("sop s", "sop t"));
    let a2 = ws.check_document(&doc).unwrap();
    assert!(Arc::ptr_eq(&a, &a2));
    assert_eq!(ws.stats().checks, 2);
    let b2 = ws.check_document(&other).unwrap();
    assert!(!Arc::ptr_eq(&b, &b2));
    assert_eq!(ws.stats().checks, 3);
    // Closing a document drops it from the dependents.
    ws.remove_overlay(&other);
    assert_eq!(ws.dependents(&lib), vec![doc.canonicalize().unwrap()]);
}

#[test]
fn configuration_is_read_through_the_overlays_per_project_root() {
    let p = project().file(
        "second/doc.sop",
        "sop s \"S\" { version \"1.0\" owner nobody review quarterly lang \"en\" }\n",
    );
    let second = p.path().join("second");
    std::fs::write(second.join("sopc.yaml"), "extends: recommended\n").unwrap();
    let doc = p.path().join("doc.sop");
    let mut ws = Workspace::new();
    ws.set_overlay(&p.path().join("lib.sop"), LIB_WITHOUT_REP);
    assert!(has_undefined(&ws.check_document(&doc).unwrap()));
    let second_doc = second.join("doc.sop");
    let undefined_in_second = |r: &DocumentResult| {
        r.findings
            .iter()
            .any(|f| f.diag.rule.name() == "undefined-reference")
    };
    assert!(undefined_in_second(
        &ws.check_document(&second_doc).unwrap()
    ));
    // An unsaved `sopc.yaml` turns the check off in its own root only.
    ws.set_overlay(
        &p.path().join("sopc.yaml"),
        "rules:\n  undefined-reference: off\n",
    );
    assert!(!has_undefined(&ws.check_document(&doc).unwrap()));
    assert!(undefined_in_second(
        &ws.check_document(&second_doc).unwrap()
    ));
    assert_eq!(ws.dependents(&p.path().join("sopc.yaml")).len(), 1);
}

#[test]
fn a_file_held_only_in_memory_can_be_checked_and_imported() {
    let p = project();
    let new_lib = p.path().join("new_lib.sop");
    let new_doc = p.path().join("new_doc.sop");
    let mut ws = Workspace::new();
    ws.set_overlay(&new_lib, LIB);
    ws.set_overlay(&new_doc, DOC.replace("lib.sop", "new_lib.sop"));
    let result = ws.check_document(&new_doc).unwrap();
    assert!(
        result
            .findings
            .iter()
            .all(|f| f.diag.rule.name() != "import-error"),
        "{:?}",
        findings(&result)
    );
    let model = ws.model(&new_doc).unwrap().expect("a model");
    assert_eq!(model.roles.len(), 1);
    assert_eq!(model.files.len(), 2);
    assert!(!new_lib.exists() && !new_doc.exists());
    // Through `check_paths` too.
    let outcome = ws
        .check_paths(std::slice::from_ref(&new_doc), &CheckOptions::default())
        .unwrap();
    assert_eq!(outcome.db.sop_count(), 2);
    assert!(outcome.unreadable.is_empty());
    // Gone from memory: the import no longer resolves, and the document is not there.
    ws.remove_overlay(&new_lib);
    ws.set_overlay(&new_doc, DOC.replace("lib.sop", "new_lib.sop"));
    let result = ws.check_document(&new_doc).unwrap();
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.diag.rule.name() == "import-error")
    );
    ws.remove_overlay(&new_doc);
    assert!(ws.check_document(&new_doc).is_err());
}

#[test]
fn a_workspace_without_overlays_checks_as_the_command_line_does() {
    let p = project().file("bad.sop", "role r {\n");
    let paths: Vec<PathBuf> = vec![p.path().to_path_buf()];
    let plain = check_paths(&paths, &CheckOptions::default()).unwrap();
    let mut ws = Workspace::new();
    let through = ws.check_paths(&paths, &CheckOptions::default()).unwrap();
    let key = |o: &sopc::driver::CheckOutcome| -> Vec<(String, String, usize)> {
        o.findings
            .iter()
            .map(|f| {
                let src = o.db.get(f.diag.loc.file);
                (
                    f.diag.rule.to_string(),
                    src.display.clone(),
                    src.line_col(f.diag.loc.span.start).line,
                )
            })
            .collect()
    };
    assert!(!plain.findings.is_empty());
    assert_eq!(key(&plain), key(&through));
}

/// The layers import downwards only: nothing below the front ends reaches `app/`, the driver
/// never reaches a front end, the layers below the driver never reach it, and `lint/` and
/// `render/` never reach each other (see docs/architecture.md).
#[test]
fn the_layers_import_downwards_only() {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = crate::support::repo().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let below_driver = [
        "syntax",
        "model",
        "lint",
        "render",
        "format",
        "files",
        "diag.rs",
        "parallel.rs",
    ];
    let mut wrong = Vec::new();
    for file in &all {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let mut banned: Vec<&str> = Vec::new();
        if top != "app" && top != "main.rs" && top != "lib.rs" {
            banned.push("crate::app");
        }
        if top == "driver" {
            banned.push("crate::audit");
            banned.push("crate::diff");
        }
        if below_driver.contains(&top.as_ref()) {
            banned.push("crate::driver");
            banned.push("crate::diff");
        }
        // Front ends never import each other.
        match top.as_ref() {
            "audit" => banned.push("crate::diff"),
            "diff" => banned.push("crate::audit"),
            _ => {}
        }
        match top.as_ref() {
            "lint" => banned.push("crate::render"),
            "render" => banned.push("crate::lint"),
            _ => {}
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for b in &banned {
                if line.contains(b) {
                    wrong.push(format!("{}:{}: {}", rel.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// No two files under `src/` import each other, directly or in a ring: every `use crate::...`,
/// `use super::...`, `use self::...` and `use child::...` at the top of a file, mapped to the file it names (the
/// longest module path that is a file), gives a file graph without a cycle.
#[test]
fn no_files_import_each_other() {
    use std::collections::BTreeMap;

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    /// `a::{b, c::{d}}` as `a::b`, `a::c::d`.
    fn expand(path: &str, out: &mut Vec<String>) {
        let path = path.trim();
        let Some(open) = path.find('{') else {
            let path = path.split(" as ").next().unwrap().trim();
            out.push(path.trim_end_matches("::*").to_string());
            return;
        };
        let prefix = &path[..open];
        let inner = &path[open + 1..path.rfind('}').unwrap()];
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[start..]);
        for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            if part == "self" {
                expand(prefix.trim_end_matches("::"), out);
            } else {
                expand(&format!("{prefix}{part}"), out);
            }
        }
    }
    let src = crate::support::repo().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    // Each file's module path: `lint/mod.rs` is `lint`, `lint/graph.rs` is `lint::graph`.
    let mut by_module: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut module_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &all {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "main.rs" {
            continue;
        }
        let mut segs: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_string)
            .collect();
        if segs.last().is_some_and(|s| s == "mod" || s == "lib") {
            segs.pop();
        }
        by_module.insert(segs.clone(), rel.clone());
        module_of.insert(rel, segs);
    }
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (rel, module) in &module_of {
        let text = std::fs::read_to_string(src.join(rel)).unwrap();
        let mut statements = Vec::new();
        let mut current: Option<String> = None;
        for line in text.lines() {
            if let Some(c) = &mut current {
                c.push_str(line);
            } else {
                let rest = line
                    .strip_prefix("pub use ")
                    .or_else(|| line.strip_prefix("pub(crate) use "))
                    .or_else(|| line.strip_prefix("use "));
                if let Some(rest) = rest {
                    current = Some(rest.to_string());
                }
            }
            if current.as_ref().is_some_and(|c| c.contains(';')) {
                let c = current.take().unwrap();
                statements.push(c[..c.find(';').unwrap()].to_string());
            }
        }
        let mut targets = Vec::new();
        for statement in statements {
            let mut paths = Vec::new();
            expand(&statement, &mut paths);
            for path in paths {
                let mut segs: Vec<&str> = path.split("::").collect();
                let mut base = match segs[0] {
                    "crate" => Vec::new(),
                    "self" => module.clone(),
                    "super" => {
                        let mut m = module.clone();
                        while segs.first() == Some(&"super") {
                            m.pop();
                            segs.remove(0);
                        }
                        segs.insert(0, "super");
                        m
                    }
                    // A child module named without `self::`.
                    child => {
                        let mut m = module.clone();
                        m.push(child.to_string());
                        if !by_module.contains_key(&m) {
                            continue;
                        }
                        segs.insert(0, "self");
                        module.clone()
                    }
                };
                base.extend(segs[1..].iter().map(|s| s.to_string()));
                while !base.is_empty() && !by_module.contains_key(&base) {
                    base.pop();
                }
                let target = &by_module[&base];
                if target != rel && !targets.contains(target) {
                    targets.push(target.clone());
                }
            }
        }
        edges.insert(rel.clone(), targets);
    }
    // A depth-first walk; a file met again while on the stack closes a ring.
    fn walk(
        f: &str,
        edges: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        rings: &mut Vec<String>,
    ) {
        state.insert(f.to_string(), 1);
        stack.push(f.to_string());
        for t in &edges[f] {
            match state.get(t).copied().unwrap_or(0) {
                0 => walk(t, edges, state, stack, rings),
                1 => {
                    let pos = stack.iter().position(|s| s == t).unwrap();
                    let mut ring = stack[pos..].to_vec();
                    ring.push(t.clone());
                    rings.push(ring.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(f.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut rings = Vec::new();
    for f in edges.keys() {
        if !state.contains_key(f) {
            walk(f, &edges, &mut state, &mut Vec::new(), &mut rings);
        }
    }
    // Rings not broken yet: a `mod.rs` re-exporting a child that imports the parent's items.
    // This list only shrinks.
    assert!(
        rings.is_empty(),
        "files that import each other:\n{}",
        rings.join("\n")
    );
}

#[test]
fn a_change_on_disk_is_seen_and_findings_are_given_per_file() {
    let p = project();
    let doc = p.path().join("doc.sop");
    let lib = p.path().join("lib.sop");
    let mut ws = Workspace::new();
    assert!(!has_undefined(&ws.check_document(&doc).unwrap()));
    // Another length: seen without any call telling the workspace.
    std::fs::write(&lib, format!("{LIB_WITHOUT_REP}# saved\n")).unwrap();
    let result = ws.check_document(&doc).unwrap();
    assert!(has_undefined(&result));
    assert_eq!(ws.stats().checks, 2);
    // A syntax error in the library is reported in the library, not in the document.
    ws.set_overlay(&lib, "role r {\n");
    let result = ws.check_document(&doc).unwrap();
    let in_lib: Vec<&str> = result
        .findings_in(&lib)
        .map(|f| f.diag.rule.name())
        .collect();
    assert_eq!(in_lib, vec!["syntax"]);
    assert!(
        result
            .findings_in(&doc)
            .all(|f| f.diag.rule.name() != "syntax")
    );
    assert!(result.model.is_none(), "a broken import gives no model");
}
