//! `sopc fmt`: the layout on tricky inputs (snapshots), its safety as a property over generated
//! documents and the repository's own files, and the command's behaviour.

mod generate;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use sopc::format::{FormatError, format, same_meaning};
use sopc::syntax::{Entry, Item, SourceFile, parse};

use crate::support::{Project, Run, repo};

// ---------------------------------------------------------------- the property

/// `text` formats to a text that parses to the same AST with the same comments (in the same
/// order, when no entry had to move), and formatting that again changes nothing.
fn assert_formats_well(name: &str, text: &str) {
    let before =
        parse(text).unwrap_or_else(|e| panic!("{name} does not parse: {}\n{text}", e.message()));
    let out = match format(text) {
        Ok(out) => out,
        Err(FormatError::WouldChangeMeaning(why)) => {
            panic!("{name}: formatting changes the meaning: {why}\n--- input\n{text}")
        }
        Err(FormatError::Syntax(e)) => panic!("{name}: {}", e.message()),
    };
    let after = parse(&out).unwrap_or_else(|e| {
        panic!(
            "{name}: the output does not parse: {}\n--- output\n{out}",
            e.message()
        )
    });
    same_meaning(text, &before, &out, &after)
        .unwrap_or_else(|why| panic!("{name}: {why}\n--- input\n{text}\n--- output\n{out}"));
    let (mut old, mut new) = (comment_texts(&before), comment_texts(&after));
    if !in_canonical_order(&before) {
        old.sort();
        new.sort();
    }
    assert_eq!(
        old, new,
        "{name}: comments\n--- input\n{text}\n--- output\n{out}"
    );
    let again = format(&out).unwrap_or_else(|e| panic!("{name}: formatting again: {e:?}"));
    assert_eq!(
        again, out,
        "{name}: formatting the output changes it\n--- input\n{text}"
    );
}

fn comment_texts(file: &SourceFile) -> Vec<String> {
    file.comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect()
}

/// Imports before blocks, and in every block attributes, then blocks, then transitions.
fn in_canonical_order(file: &SourceFile) -> bool {
    fn ranks_sorted(ranks: impl Iterator<Item = u8>) -> bool {
        let ranks: Vec<u8> = ranks.collect();
        ranks.windows(2).all(|w| w[0] <= w[1])
    }
    fn block(b: &sopc::syntax::Block) -> bool {
        let rank = |e: &Entry| match e {
            Entry::Attr(_) => 0,
            Entry::Block(_) => 1,
            Entry::Transition(_) => 2,
        };
        ranks_sorted(b.entries.iter().map(rank)) && b.blocks().all(block)
    }
    let top = |i: &Item| u8::from(matches!(i, Item::Block(_)));
    ranks_sorted(file.items.iter().map(top))
        && file.items.iter().all(|i| match i {
            Item::Block(b) => block(b),
            Item::Import(_) => true,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_format_safely(tape in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = generate::document(&tape);
        assert_formats_well("generated document", &text);
    }
}

#[test]
fn repository_files_format_safely() {
    let mut seen = 0;
    for dir in ["examples", "tests/fixtures"] {
        for entry in ignore::WalkBuilder::new(repo().join(dir)).build() {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|x| x != "sop") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if parse(&text).is_ok() {
                assert_formats_well(&path.display().to_string(), &text);
                seen += 1;
            }
        }
    }
    assert!(seen > 10, "only {seen} files");
}

// ---------------------------------------------------------------- the layout

/// The input (carriage returns and tabs made visible) and what `sopc fmt` makes of it.
fn before_after(input: &str) -> String {
    let shown = input.replace('\r', "␍").replace('\t', "⇥");
    let out = format(input).unwrap_or_else(|e| panic!("{e:?}"));
    assert_formats_well("snapshot input", input);
    format!("--- before\n{shown}\n--- after\n{out}")
}

#[test]
fn layout_comments_everywhere() {
    insta::assert_snapshot!(before_after(
        r#"# File header: what this SOP is for.

# sopc: allow(task-without-due) -- a library of drafts
pipeline p "Flow" {   # after the brace
  # above a stage
  stage a "A" { # after a stage's brace
    owner rep  # trailing an attribute
    exit "x", # inside a list
         "y"
    -> b # trailing a transition


    # above a task, after blank lines
    task t {
      done_when "ok"
      # at the end of a task
    }
    # at the end of a stage
  } # after a stage
  stage b { terminal }
  # at the end of a pipeline
}
# at the end of the file
"#
    ));
}

#[test]
fn layout_crlf_and_bom() {
    insta::assert_snapshot!(before_after(
        "\u{FEFF}role rep \"Rep\" {\r\n  responsibilities \"a\",\r\n    \"b\"\r\n  description \"\"\"\r\n    line one\r\n\r\n      line two\r\n  \"\"\"\r\n}\r\n"
    ));
}

#[test]
fn layout_tabs_and_spacing() {
    insta::assert_snapshot!(before_after(
        "training\tbasics   \"Basics\"{\n\tfor rep ,lead\n\t\twhen   every\t2w\n\ttopics \"a\"\t,\"b\"\n\tdescription \"\"\"\n\t\tfirst\n\t\t\tindented\n\t\"\"\"\n}\nkpi revenue{target >=   5_000_000 CNY  per quarter kind quantitative}"
    ));
}

#[test]
fn layout_long_strings_stay_on_their_line() {
    insta::assert_snapshot!(before_after(
        r#"role manager "Sales manager" {
  responsibilities "Lead the team through every stage of the pipeline and report weekly", "Set targets", "Approve discounts above fifteen percent of the list price"
  description "A very long description that goes well past any line width a formatter might have in mind, kept on one line because sopc does not wrap text."
  skills """Negotiation, coaching"""
}
"#
    ));
}

#[test]
fn layout_cjk_and_escapes() {
    insta::assert_snapshot!(before_after(
        r#"pipeline 销售流程 "销售流程" {
  stage 线索获取 {
    owner 销售代表
    exit "联系人信息完整\u{FF01}", "引号\"与反斜杠\\", "制表\t符"
    guidance """
                开场先讲清来意。
                  - 再约下一次交流
    """
    -> 客户筛选 when "BANT 评分 >= 3 # 不是注释"
  }
  stage 客户筛选 "客户筛选" { terminal }
}
"#
    ));
}

#[test]
fn layout_empty_and_terminal_blocks() {
    insta::assert_snapshot!(before_after(
        "pipeline p {\n  stage a { }\n  stage b {\n\n  }\n  stage c {\n    terminal\n  }\n  stage d { terminal # done\n  }\n}\nrole r {}\n\n\n\nrole q {\n  # nothing yet\n}\n"
    ));
}

#[test]
fn layout_moves_transitions_last_and_imports_first() {
    insta::assert_snapshot!(before_after(
        r#"sop s { version "1" }
# the roles
import "roles.sop"
pipeline p {
  stage a {
    -> b when "ready" # the usual way
    # who does it
    owner rep
    task t { due 1d }
    sla 2d
  }
  start a
  stage b { terminal }
}
"#
    ));
}

#[test]
fn layout_only_comments() {
    insta::assert_snapshot!(before_after("\n\n# one\n#two   \n\n\n\t# three\n\n"));
}

#[test]
fn layout_empty_file() {
    insta::assert_snapshot!(before_after("\u{FEFF}\r\n\t  \n\n"));
    assert_eq!(format("").unwrap(), "");
    assert_eq!(format(" \r\n\t\n").unwrap(), "");
    assert_eq!(format("\u{FEFF}").unwrap(), "");
}

#[test]
fn layout_is_what_the_docs_say() {
    // The canonical example of docs/formatting.md is formatted already.
    let doc = std::fs::read_to_string(repo().join("docs/formatting.md")).unwrap();
    let start = doc.find("```sop\n").expect("a sop block") + "```sop\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    assert_eq!(format(example).unwrap(), example);
}

// ---------------------------------------------------------------- the command

const MESSY: &str = "role rep \"Rep\" { responsibilities \"a\",\"b\" }\n";
const TIDY: &str = "role rep \"Rep\" {\n  responsibilities \"a\", \"b\"\n}\n";

fn read(p: &Project, path: &str) -> String {
    std::fs::read_to_string(p.path().join(path)).unwrap()
}

/// Runs `sopc fmt ARGS` in `dir` with `input` on standard input.
fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sopc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sopc runs");
    // sopc may exit before reading (bad arguments): a broken pipe is not a failure here.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn check_lists_the_files_that_would_change_and_writes_nothing() {
    let p = Project::new()
        .file("a.sop", MESSY)
        .file("b.sop", TIDY)
        .file("sub/c.sop", MESSY)
        .file("notes.txt", MESSY);
    let run = p.run_code(&["fmt", "--check"], 1);
    assert_eq!(run.stdout, "a.sop\nsub/c.sop\n");
    assert!(
        run.stderr.contains("2 files would be reformatted"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&p, "a.sop"), MESSY);
    let run = p.run_code(&["fmt", "--check", "a.sop", "./a.sop"], 1);
    assert_eq!(run.stdout, "a.sop\n", "a file named twice is listed once");

    let run = p.run(&["fmt"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(read(&p, "a.sop"), TIDY);
    assert_eq!(read(&p, "sub/c.sop"), TIDY);
    assert_eq!(read(&p, "notes.txt"), MESSY);

    let run = p.run(&["fmt", "--check", "."]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

#[test]
fn diff_shows_a_unified_diff() {
    let p = Project::new().file("a.sop", MESSY).file("b.sop", TIDY);
    let run = p.run_code(&["fmt", "--diff", "a.sop", "b.sop"], 1);
    assert_eq!(
        run.stdout,
        "--- a.sop\t(original)\n+++ a.sop\t(formatted)\n@@ -1,1 +1,3 @@\n\
         -role rep \"Rep\" { responsibilities \"a\",\"b\" }\n\
         +role rep \"Rep\" {\n+  responsibilities \"a\", \"b\"\n+}\n"
    );
    assert_eq!(read(&p, "a.sop"), MESSY);
}

#[test]
fn standard_input_to_standard_output() {
    let p = Project::new();
    let run = run_with_stdin(p.path(), &["fmt", "-"], MESSY);
    assert_eq!((run.code, run.stdout.as_str()), (0, TIDY), "{}", run.stderr);

    let run = run_with_stdin(p.path(), &["fmt", "--check", "-"], MESSY);
    assert_eq!((run.code, run.stdout.as_str()), (1, "<stdin>\n"));
    let run = run_with_stdin(p.path(), &["fmt", "--check", "-"], TIDY);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));

    let run = run_with_stdin(p.path(), &["fmt", "-"], "role r {");
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(run.stderr.contains("<stdin>:1:1"), "{}", run.stderr);

    let run = run_with_stdin(p.path(), &["fmt", "-", "a.sop"], MESSY);
    assert_eq!(run.code, 2);
}

#[test]
fn a_file_with_a_syntax_error_is_left_alone() {
    let broken = "role rep \"Rep\"\n  responsibilities \"a\"\n}\n";
    let p = Project::new()
        .file("broken.sop", broken)
        .file("fine.sop", MESSY);
    let run = p.run_code(&["fmt"], 1);
    assert_eq!(read(&p, "broken.sop"), broken);
    assert_eq!(read(&p, "fine.sop"), TIDY, "the other files are formatted");
    // Reported as `sopc check` reports it.
    assert!(run.stderr.contains("syntax"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("expected `{`, found `responsibilities`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("broken.sop:2:3"), "{}", run.stderr);

    let run = p.run_code(&["fmt", "--check"], 1);
    assert_eq!(run.stdout, "");
}

#[test]
fn an_unchanged_file_is_not_rewritten() {
    let p = Project::new().file("a.sop", TIDY).file("b.sop", MESSY);
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for name in ["a.sop", "b.sop"] {
        let file = std::fs::File::options()
            .write(true)
            .open(p.path().join(name))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    p.run(&["fmt"]);
    let mtime = |name: &str| {
        std::fs::metadata(p.path().join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    assert_eq!(mtime("a.sop"), old);
    assert_ne!(mtime("b.sop"), old);
    let leftovers: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_file_can_opt_out() {
    let ignored = "# sopc: fmt-ignore-file -- hand-aligned on purpose\nrole rep { responsibilities \"a\",\"b\" }\n";
    let broken = "# sopc: fmt-ignore-file\nrole rep {\n";
    let p = Project::new().file("a.sop", ignored).file("b.sop", broken);
    let run = p.run(&["fmt", "--check"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    p.run(&["fmt"]);
    assert_eq!(read(&p, "a.sop"), ignored);
    let run = run_with_stdin(p.path(), &["fmt", "-"], ignored);
    assert_eq!((run.code, run.stdout.as_str()), (0, ignored));
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let run = Project::new().run_code(&["fmt", "nope.sop"], 2);
    assert!(
        run.stderr.contains("`nope.sop` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_examples_are_formatted() {
    crate::support::run_in(&repo(), &["fmt", "--check", "examples"]);
}
