//! The assertions of the fuzz targets (`fuzz/src/lib.rs`, included below; see
//! `docs/robustness.md`), run in-process on fixed inputs. Every crash, timeout or
//! out-of-memory a fuzzer finds lands here as its minimized input, so that `cargo test` keeps it fixed; until then the table holds inputs shaped
//! like the fuzzers' dictionary (`fuzz/sop.dict`), which keep these assertions themselves
//! running in CI, where the fuzz crate is not built.

/// The fuzz crate's assertions, the same code its targets run.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code, reason = "the fuzz targets use parts the tests do not")]
mod targets;

/// Every input through all three targets.
fn all(bytes: &[u8]) {
    targets::parse(&String::from_utf8_lossy(bytes));
    targets::check(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        targets::format(text);
    }
}

/// Found by `cargo fuzz run format` (2026-11-27, 83 s into a run with `-max_len=65536`; the
/// artifact was `b" \xef\xbb\xbf# "`, the first input here is it minimized by hand): whitespace,
/// then a byte order mark, then a comment. The grammar lets the BOM follow leading whitespace
/// (`file = { SOI ~ "\u{FEFF}"? ~ item* ~ EOI }` skips whitespace before it); the comment
/// scanner then takes the comment for one at the end of a line of code (`own_line` is false, as
/// only a BOM at the start of the line is trimmed), and the top-level layout drops such an
/// opening comment: `format` refuses with "would change meaning: the comments moved: file open:
/// Some([("", false)]) -> None", and `sopc fmt` prints "internal error".
/// Either fix passes: the text parses and formats keeping the comment, or it is a clean syntax
/// error (a BOM only at the very start, as docs/language.md says).
#[test]
fn bom_after_whitespace_then_comment() {
    for input in [
        &b" \xef\xbb\xbf#"[..],
        b" \xef\xbb\xbf# ",
        b" \xef\xbb\xbf# x\nrole r {}\n",
        b"\t\xef\xbb\xbf#x\nrole r {}",
    ] {
        all(input);
        let text = std::str::from_utf8(input).unwrap();
        if sopc::syntax::parse(text).is_ok() {
            let out = sopc::format::format(text).unwrap();
            assert!(out.contains('#'), "the comment is kept: {out:?}");
        }
    }
}

#[test]
fn dictionary_shaped_inputs() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\xff",
        b"role r \"\xe9\"{}",
        b"role r { skills \"\\u{D800}\" }",
        b"role r { skills \"\\u{110000}\" }",
        b"role r { skills \"\\u{10FFFF}\", \"\\u{\" }",
        b"role r { skills \"\"\"\n  never closed",
        b"role r { skills \"\"\"\"\"\"\"\" }",
        b"role \xe9\x94\x80\xe5\x94\xae \xef\xbd\x9b }",
        b"role r\xef\xbc\x8c q {}",
        b"kpi k { target >= 99999999999999999999999 per quarter }",
        b"goal g { target k >= 30% by 2026-02-30 }",
        b"goal g { target k >= 1_000.5 CNY by 9999-99-99 }",
        b"pipeline p { stage a { -> a -> a when \"x\" sla 99999999999999999999999d } }",
        b"pipeline p { start a stage a { -> b } stage b { terminal } }",
        b"import \"\"\nimport \"/etc/passwd\"\nimport \"../../x.sop\"\nimport \"shared\"",
        b"import \"fuzz-input.sop\"\nimport \"sales.sop\"\nimport \"shared/roles.sop\"",
        b"import \"a\x00b.sop\"",
        b"# sopc: allow(\n# sopc: allow(a,,b) --\n# sopc: allow(unused-definition) -- x\nrole r {}",
        b"# sopc: fmt-ignore-file\nrole r {}",
        b"role r { # c\r\n}\r\n# end",
        b"sop s { owner o review every 0m lang \"\" }\nsop s {}",
        b"training t { for r when every 1w requires t }",
        b"feedback f { cadence weekly with a, b covers c }",
        b"kpi k { kind qualitative unit stage stage p.s }",
    ];
    for input in inputs {
        all(input);
    }
}
