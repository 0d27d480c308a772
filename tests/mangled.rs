//! No input makes sopc panic: mangled files get a clean diagnostic with a place inside the file.

use proptest::prelude::*;

use crate::support::{Project, repo};

const SALES: &str = include_str!("../examples/sales-en/sales.sop");

/// Runs `sopc check --format json` on `bytes` and checks the output is sound.
fn check_bytes(bytes: &[u8]) -> serde_json::Value {
    let p = Project::new().bytes("doc.sop", bytes);
    let run = p.run_any(&["check", "--format", "json", "doc.sop"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    let json = run.json();
    let lines = String::from_utf8_lossy(bytes).lines().count().max(1) as u64;
    for d in json["diagnostics"].as_array().unwrap() {
        let line = d["line"].as_u64().unwrap();
        assert!(
            line >= 1 && line <= lines + 1,
            "line {line} outside the file: {d}"
        );
        assert!(d["column"].as_u64().unwrap() >= 1);
        assert!(!d["message"].as_str().unwrap().is_empty());
    }
    json
}

fn first_rule(json: &serde_json::Value) -> String {
    json["diagnostics"][0]["rule"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn empty_file_is_a_library_with_nothing_in_it() {
    let json = check_bytes(b"");
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn truncated_at_every_line_gives_a_clean_diagnostic() {
    let lines: Vec<&str> = SALES.lines().collect();
    for cut in (1..lines.len()).step_by(7) {
        let text = lines[..cut].join("\n");
        check_bytes(text.as_bytes());
    }
}

#[test]
fn unbalanced_braces() {
    assert_eq!(
        first_rule(&check_bytes(b"role r { responsibilities \"x\" }}")),
        "syntax"
    );
    assert_eq!(
        first_rule(&check_bytes(b"pipeline p { stage s { terminal }")),
        "syntax"
    );
}

#[test]
fn binary_garbage_and_invalid_utf8() {
    let json = check_bytes(&[0xff, 0xfe, 0x00, 0x01, b'r', b'o', 0xc3]);
    assert_eq!(first_rule(&json), "syntax");
    assert_eq!(
        json["diagnostics"][0]["message"],
        "the file is not valid UTF-8"
    );
    let mut bytes = b"role r {\n  skills \"".to_vec();
    bytes.extend([0xe9, b'"', b'\n', b'}']);
    let json = check_bytes(&bytes);
    assert_eq!(json["diagnostics"][0]["line"], 2);
    assert_eq!(json["diagnostics"][0]["column"], 11);
    let json = check_bytes(b"\0\0\0role");
    assert_eq!(first_rule(&json), "syntax");
}

#[test]
fn bom_and_crlf_are_fine() {
    let crlf = |t: &str| format!("\u{FEFF}{}", t.replace('\n', "\r\n"));
    let roles = include_str!("../examples/sales-en/shared/roles.sop");
    let p = Project::new()
        .file("doc.sop", &crlf(SALES))
        .file("shared/roles.sop", &crlf(roles));
    let run = p.run(&["check", "--format", "json", "doc.sop"]);
    assert_eq!(
        run.json()["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        run.stdout
    );
    let json = check_bytes("\u{FEFF}role r {}\r\nrole q {}\r\n".as_bytes());
    let lines: Vec<(u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(lines, vec![(1, 1), (2, 1)]);
}

#[test]
fn a_syntax_error_in_one_file_does_not_stop_the_others() {
    let p = Project::new()
        .file("a.sop", "role r {")
        .file("b.sop", "role q {}\n");
    let run = p.run_code(&["check", "--format", "json"], 1);
    let rules: Vec<(String, u64)> = run.rules_and_lines();
    assert_eq!(
        rules,
        vec![
            ("syntax".to_string(), 1),
            ("role-without-responsibilities".to_string(), 1)
        ]
    );
}

/// Mutations of a valid document, checked in-process through the driver.
fn lint_text(text: &[u8]) {
    let options = sopc::driver::CheckOptions::default();
    // Beside the file it mutates, so that its imports resolve.
    let path = repo().join("examples/sales/doc-mangled.sop");
    let outcome = sopc::driver::check_source(&path, text.to_vec(), &options);
    let db = &outcome.db;
    for f in &outcome.findings {
        let locs = std::iter::once(f.diag.loc).chain(f.diag.labels.iter().map(|l| l.loc));
        for loc in locs {
            let text = &db.get(loc.file).text;
            let s = loc.span;
            assert!(
                s.start <= s.end && s.end <= text.len(),
                "span {s:?} outside the text"
            );
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "span {s:?} splits a character"
            );
        }
    }
}

fn tokens(text: &str) -> Vec<String> {
    text.split_inclusive(|c: char| c.is_whitespace() || "{}\",".contains(c))
        .map(str::to_string)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_panic(
        op in 0..6usize,
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        junk in prop::collection::vec(any::<u8>(), 0..4),
    ) {
        let base = include_str!("../examples/sales/sales.sop");
        let mut toks = tokens(base);
        let i = a.index(toks.len());
        let j = b.index(toks.len());
        let bytes: Vec<u8> = match op {
            0 => { toks.remove(i); toks.concat().into_bytes() }
            1 => { let t = toks[i].clone(); toks.insert(j, t); toks.concat().into_bytes() }
            2 => { toks.swap(i, j); toks.concat().into_bytes() }
            3 => { toks.insert(i, String::from_utf8_lossy(&junk).into_owned()); toks.concat().into_bytes() }
            4 => base.as_bytes()[..a.index(base.len())].to_vec(),
            _ => {
                let mut v = base.as_bytes().to_vec();
                let at = a.index(v.len());
                v.splice(at..at, junk.iter().copied().chain([0u8, 0xff]));
                v
            }
        };
        lint_text(&bytes);
    }
}
