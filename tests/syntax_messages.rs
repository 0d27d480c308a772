//! Syntax messages that point at the real mistake, helps that name only what a block takes, and
//! fixes of full-width punctuation that make the text parse.

use sopc::diag::FileId;
use sopc::syntax::{self, LineIndex, SyntaxErrorKind, fullwidth};

use crate::support::Project;

/// `line:col: message | label | help` for a text that does not parse.
fn said(text: &str) -> String {
    let e = syntax::parse(text).expect_err("the text should not parse");
    let lc = LineIndex::new(text).line_col(text, e.span.start);
    format!(
        "{}:{}: {} | {} | {}",
        lc.line,
        lc.column,
        e.message(),
        e.label(),
        e.help().unwrap_or_default()
    )
}

/// The text after the first fix of its syntax error, when it has one.
fn fixed(text: &str) -> Option<String> {
    let e = syntax::parse(text).expect_err("the text should not parse");
    let d = sopc::driver::syntax_diagnostic(FileId(0), &e, text);
    let fix = d.fixes.first()?;
    let mut out = text.to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.loc.span.start));
    for edit in edits {
        out.replace_range(edit.loc.span.start..edit.loc.span.end, &edit.new_text);
    }
    Some(out)
}

/// The text in the layout `sopc fmt` writes.
fn formatted(text: &str) -> String {
    sopc::format::format(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e:?}"))
}

/// Places a full-width character can be typed at, `X` for it: as a list separator, after a
/// value, inside a header, in a comparison, an arrow, a stage's path, a comment.
const PLACES: &[&str] = &[
    // list separators
    "role r {\n  responsibilities \"a\"X\"b\"\n}\n",
    "role r {\n  responsibilities \"a\"X\n    \"b\"\n}\n",
    "strategy s {\n  supports aXb\n}\n",
    "strategy s {\n  supports a X b\n}\n",
    // after a value
    "role r {\n  responsibilities \"x\"\n}\nrole s {\n  responsibilities \"y\"X\n}\n",
    "sop s {\n  version \"1.0\"X\n}\n",
    "role r {\n  reports_to bossX\n}\n",
    "pipeline p {\n  stage a {\n    sla 2dX\n  }\n}\n",
    // inside a header
    "role rX{\n  skills \"a\"\n}\n",
    "role r \"销售代表\" X{\n  skills \"a\"\n}\n",
    "role r X\n  skills \"a\"\n}\n",
    "role r {\n  skills \"a\"\nX\n",
    "role 销售代表X{\n}\n",
    // in a comparison, an arrow, a path, a comment
    "kpi k {\n  target X 5\n}\n",
    "kpi k {\n  target X= 5\n}\n",
    "pipeline p {\n  stage a {\n    X> b\n  }\n  stage b {\n    terminal\n  }\n}\n",
    "kpi k {\n  stage pXa\n}\n",
    "X note\nrole r {\n}\n",
    "role r {\n  X skills \"a\"\n}\n",
];

/// The text with `X` removed, as the fix removes a character: a space where it stood between
/// two words.
fn without(place: &str) -> String {
    let at = place.find('X').expect("a place");
    let apart = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let between = apart(place[..at].chars().next_back()) && apart(place[at + 1..].chars().next());
    place.replacen('X', if between { " " } else { "" }, 1)
}

#[test]
fn every_full_width_character_in_every_place_is_fixed_so_the_text_parses() {
    let mut fixes = 0;
    for (written, ascii) in fullwidth::TABLE {
        for place in PLACES {
            let text = place.replacen('X', written, 1);
            let at = place.find('X').expect("a place");
            let Err(e) = syntax::parse(&text) else {
                continue;
            };
            assert_eq!(
                e.span.start, at,
                "the error of {text:?} is not at {written:?}"
            );
            let help = e.help().unwrap_or_default();
            assert!(
                help.contains(&fullwidth::name_of(written)),
                "the help of {text:?} does not name the character: {help}"
            );
            let with_ascii = place.replacen('X', ascii, 1);
            let removed = without(place);
            let want = if syntax::parse(&with_ascii).is_ok() {
                Some(with_ascii)
            } else if syntax::parse(&removed).is_ok() {
                Some(removed)
            } else {
                None
            };
            match (fixed(&text), want) {
                (Some(got), Some(want)) => {
                    assert_eq!(formatted(&got), formatted(&want), "the fix of {text:?}");
                    fixes += 1;
                }
                (None, Some(want)) => panic!("no fix for {text:?}, where {want:?} parses"),
                // Nothing alone makes it parse: a fix, if any, gets past the line it changes,
                // to an error the text had already (a `}` it lacks).
                (Some(got), None) => {
                    let e2 = syntax::parse(&got).expect_err("cannot parse");
                    let line = |t: &str, at: usize| LineIndex::new(t).line_col(t, at).line;
                    let lacks_brace = text.matches('{').count() > text.matches('}').count();
                    assert!(
                        line(&got, e2.span.start) > line(&text, at)
                            || matches!(e2.kind, SyntaxErrorKind::UnclosedBlock { .. })
                                && lacks_brace,
                        "the fix of {text:?} fails on its own line: {got:?}"
                    );
                }
                (None, None) => assert!(
                    help.contains("else remove it"),
                    "{text:?} has neither a fix nor a choice in its help: {help}"
                ),
            }
        }
    }
    assert!(fixes > 100, "only {fixes} fixes");
}

#[test]
fn a_comma_is_written_only_where_a_comma_is_valid() {
    let after = "role r {\n  responsibilities \"y\"，\n}\n";
    assert_eq!(
        said(after),
        "2:23: expected `,`, `}` or an attribute such as `responsibilities`, `skills` or \
         `reports_to`, found `，` | unexpected here | remove the full-width `，`: the text parses \
         without it, not with an ASCII `,` in its place"
    );
    assert_eq!(
        fixed(after).as_deref(),
        Some("role r {\n  responsibilities \"y\"\n}\n")
    );
    let list = "role r {\n  responsibilities \"x\"，\"y\"\n}\n";
    assert!(said(list).ends_with("write the ASCII `,` instead of the full-width `，`"));
    assert_eq!(
        fixed(list).as_deref(),
        Some("role r {\n  responsibilities \"x\",\"y\"\n}\n")
    );
    let version = "sop s {\n  version \"1.0\"，\n}\n";
    assert!(said(version).contains("remove the full-width `，`"));
    // Full-width quotes: both of the pair.
    let quoted = "role r {\n  description “客户”\n}\n";
    assert_eq!(
        fixed(quoted).as_deref(),
        Some("role r {\n  description \"客户\"\n}\n")
    );
}

#[test]
fn check_fix_never_writes_a_syntax_error_it_did_not_find() {
    let text = "role r {\n  responsibilities \"x\"\n}\nrole s {\n  responsibilities \"y\"，\n}\n";
    let p = Project::new().file("d.sop", text).file(
        "v.sop",
        "sop s {\n  version \"1.0\"，\n  review quarterly\n}\n",
    );
    let run = p.run(&["check", "--fix", "d.sop", "v.sop"]);
    assert!(run.stderr.contains("2 fixes in 2 files"), "{run:?}");
    let d = std::fs::read_to_string(p.path().join("d.sop")).expect("d.sop");
    assert_eq!(
        d,
        "role r {\n  responsibilities \"x\"\n}\n\nrole s {\n  responsibilities \"y\"\n}\n"
    );
    let v = std::fs::read_to_string(p.path().join("v.sop")).expect("v.sop");
    assert!(syntax::parse(&v).is_ok(), "{v}");
    assert!(v.contains("version \"1.0\"\n"), "{v}");
    p.run(&["check", "d.sop", "v.sop"]);

    // Where no change of the character alone gets past it, nothing is written.
    let stuck = "strategy s {\n  supports a（b\n}\n";
    let p = Project::new().file("s.sop", stuck);
    let run = p.run_code(&["check", "--fix", "s.sop"], 1);
    assert!(run.stdout.contains("else remove it"), "{run:?}");
    let s = std::fs::read_to_string(p.path().join("s.sop")).expect("s.sop");
    assert_eq!(s, stuck);
}

#[test]
fn a_block_not_closed_before_the_next_is_pointed_at() {
    let roles = "role r {\n  responsibilities \"x\"\n\nrole s {\n  responsibilities \"y\"\n}\n";
    assert_eq!(
        said(roles),
        "1:1: `role r` on line 1 is not closed: a `role` block on line 4 cannot be inside it \
         | this block has no `}` | add `}` before line 4"
    );
    let stages = "pipeline p {\n  stage a {\n    -> b\n  stage b {\n    terminal\n  }\n}\n";
    assert_eq!(
        said(stages),
        "2:3: `stage a` on line 2 is not closed: a `stage` block on line 4 cannot be inside it \
         | this block has no `}` | add `}` before line 4"
    );
    // A title, comments and strings with braces do not confuse which block is open.
    let titled = "pipeline p \"销售\" {\n  # { not a brace\n  stage 线索 \"线索 {\" {\n    owner r\n  stage b {\n  }\n}\n";
    assert!(
        said(titled).starts_with("3:3: `stage 线索` on line 3 is not closed"),
        "{}",
        said(titled)
    );
    // On one line, too.
    let inline = "pipeline p { stage a { -> b stage b { } }";
    assert!(said(inline).starts_with("1:14: `stage a` on line 1 is not closed"));
    let e = syntax::parse(roles).expect_err("does not parse");
    assert!(matches!(
        e.kind,
        SyntaxErrorKind::UnclosedBefore { ref block, before: 4, line: 1, .. } if block == "role"
    ));

    // A block that may be there keeps the ordinary message: a task in a stage, whose error is
    // further on; a block that fits nowhere around it is no sign of a missing `}`.
    let task = "pipeline p {\n  stage a {\n    task t {\n      ownr r\n    }\n  }\n}\n";
    assert!(said(task).starts_with("4:7: expected"), "{}", said(task));
    let nowhere = "role r {\n  task t {\n  }\n}\n";
    assert!(
        said(nowhere).starts_with("2:3: expected"),
        "{}",
        said(nowhere)
    );
    let stage_in_role = "role r {\n  stage s {\n  }\n}\n";
    assert!(said(stage_in_role).starts_with("2:3: expected"));
}

#[test]
fn helps_name_only_what_the_block_takes() {
    let goal = "goal g {\n  target k >= 100 % by 2026-12-31\n}\n";
    assert_eq!(
        said(goal),
        "2:19: expected `by`, `}` or an attribute such as `target`, `region` or `product`, \
         found `%` | unexpected here | a `goal` block takes `description`, `owner`, `product`, \
         `region` and `target`"
    );
    let kpi = "kpi k {\n  target >= 100 ; \n}\n";
    let help = syntax::parse(kpi)
        .expect_err("no")
        .help()
        .unwrap_or_default();
    assert_eq!(
        help,
        "a `kpi` block takes `description`, `kind`, `measure`, `owner`, `review`, `source`, \
         `stage`, `target` and `unit`"
    );
    // After a transition `when` may follow, but it is no attribute of a stage.
    let stage = "pipeline p {\n  stage a {\n    -> b\n    ownr r\n  }\n}\n";
    let said_stage = said(stage);
    assert!(said_stage.contains("found `ownr`"), "{said_stage}");
    assert!(said_stage.contains("did you mean `owner`?"), "{said_stage}");
    let stage = "pipeline p {\n  stage a {\n    -> b ; \n  }\n}\n";
    let help = syntax::parse(stage)
        .expect_err("no")
        .help()
        .unwrap_or_default();
    assert_eq!(
        help,
        "a `stage` block takes `->`, `description`, `entry`, `exit`, `guidance`, `owner`, \
         `requires`, `sla`, `task` and `terminal`"
    );
    // A training's `when` is one of its attributes.
    let training = "training t {\n  for r ; \n}\n";
    let help = syntax::parse(training)
        .expect_err("no")
        .help()
        .unwrap_or_default();
    assert!(help.contains("`when`"), "{help}");
    // Every help that lists a block's attributes names only keywords.
    for text in [goal, kpi, stage, training] {
        let help = syntax::parse(text)
            .expect_err("no")
            .help()
            .unwrap_or_default();
        for bad in ["`_`", "`by`", "`per`", "`when`"] {
            if !(text == training && bad == "`when`") {
                assert!(!help.contains(bad), "{bad} in {help}");
            }
        }
    }
}

#[test]
fn the_first_bad_escape_of_a_string_is_reported() {
    let text = "role r {\n  description \"a\\u{D800}b\\qc\"\n}\n";
    assert_eq!(
        said(text),
        "2:17: `\\u{D800}` is not a Unicode character | this escape | use a code point from 0 \
         to 10FFFF outside D800..DFFF"
    );
    let malformed = "role r {\n  description \"\\u{110000}\\u{}\"\n}\n";
    assert!(said(malformed).starts_with("2:16: `\\u{110000}` is not a Unicode character"));
    // A bad escape first stays the one reported.
    let later = "role r {\n  description \"\\q\\u{D800}\"\n}\n";
    assert!(said(later).starts_with("2:16: unknown escape `\\q`"));
}
