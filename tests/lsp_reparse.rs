//! Parsing again after an edit (what the language server does on each keystroke) gives exactly
//! the AST of parsing the whole new text, whatever the edit: in a block, between blocks, in a
//! comment or a string, one that opens a comment or a string, one that breaks the file.

use std::path::Path;

use sopc::syntax::{parse, parse_after_edit};

/// Pieces typed or pasted: ones that change how the rest reads (`#`, `"`, `"""`, braces), whole
/// blocks, CJK text, a byte-order mark, line breaks.
const PIECES: &[&str] = &[
    "#",
    "\"",
    "\"\"\"",
    "{",
    "}",
    "\n",
    " ",
    "x",
    "销售",
    "\u{FEFF}",
    "role 新角色 \"新\" {\n  responsibilities \"跟进\"\n}\n",
    "\n# 注释\n",
    "owner sales_rep\n",
    "-> won\n",
];

/// A small deterministic generator, so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies `rounds` random edits to `start`, each checked against a whole parse; the text after
/// an edit that breaks the file goes on from the last text that parsed.
fn edits_agree(start: &str, seed: u64, rounds: usize) -> usize {
    let mut rng = Rng(seed);
    let mut text = start.to_string();
    let mut ast = parse(&text).expect("the starting text parses");
    let mut reused = 0;
    for round in 0..rounds {
        let mut next = text.clone();
        let at = boundary(&next, rng.below(next.len() + 1));
        match rng.below(3) {
            0 => {
                let end = boundary(&next, at + rng.below(40));
                next.replace_range(at..end, "");
            }
            _ => next.insert_str(at, PIECES[rng.below(PIECES.len())]),
        }
        let whole = parse(&next);
        let again = parse_after_edit(&text, &ast, &next);
        assert_eq!(
            again, whole,
            "seed {seed}, round {round}: edit at byte {at} parsed differently\n{next}"
        );
        if let Ok(new_ast) = again {
            reused += 1;
            text = next;
            ast = new_ast;
        }
    }
    reused
}

fn example(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

#[test]
fn lsp_reparse_after_random_edits_is_a_whole_parse() {
    for (i, path) in [
        "examples/sales/sales.sop",
        "examples/sales/shared/roles.sop",
    ]
    .iter()
    .enumerate()
    {
        let text = example(path);
        let parsed = edits_agree(&text, 7 + i as u64, 150);
        assert!(
            parsed > 20,
            "{path}: only {parsed} edits left a text that parses"
        );
    }
}

#[test]
fn lsp_reparse_at_the_edges_of_blocks() {
    let text = "role a \"甲\" {\n  responsibilities \"x\"\n}\n\nrole b {\n}\n# end\n";
    let ast = parse(text).unwrap();
    let cases: Vec<String> = vec![
        // A comment opened before the next block's keyword, on its line.
        text.replace("\nrole b", "\n#role b"),
        // Text glued to the end of a block.
        text.replace("}\n\nrole b", "}x\n\nrole b"),
        // A string opened between the blocks.
        text.replace("\n\nrole b", "\n\"\nrole b"),
        // A new block between them, and one at the end.
        text.replace("\n\nrole b", "\n\nrole c {}\n\nrole b"),
        format!("{text}role d {{}}\n"),
        // The first block removed, the last one removed.
        text.replace("role a \"甲\" {\n  responsibilities \"x\"\n}\n", ""),
        text.replace("role b {\n}\n", ""),
        // An edit inside a block's string, and a byte-order mark in the middle.
        text.replace("\"x\"", "\"销售 x\""),
        text.replace("\n\nrole b", "\n\n\u{FEFF}role b"),
        String::new(),
    ];
    for next in cases {
        assert_eq!(parse_after_edit(text, &ast, &next), parse(&next), "{next}");
    }
}
