//! Syntax messages a user can act on: every slot filled, the place pointed at, the fix said.

use sopc::diag::FileId;
use sopc::syntax::{self, LineIndex};

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

/// The fix attached to the syntax error of `text`: its title and the text after applying it.
fn fixed(text: &str) -> Option<(String, String)> {
    let e = syntax::parse(text).expect_err("the text should not parse");
    let d = sopc::driver::syntax_diagnostic(FileId(0), &e, text);
    let fix = d.fixes.first()?;
    let mut out = text.to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.loc.span.start));
    for edit in edits {
        out.replace_range(edit.loc.span.start..edit.loc.span.end, &edit.new_text);
    }
    Some((fix.title.clone(), out))
}

/// Every slot of every message, label and help is filled: no empty backticks, no doubled
/// spaces, no dangling `or`.
#[track_caller]
fn assert_filled(text: &str) {
    for part in text.split(" | ") {
        assert!(!part.trim().is_empty(), "an empty part in {text:?}");
    }
    for bad in ["``", "  ", "expected ,", "write  ", " or ,", "found ``"] {
        assert!(!text.contains(bad), "{bad:?} in {text:?}");
    }
}

#[test]
fn durations_with_a_word_for_a_unit_say_what_a_duration_is() {
    assert_eq!(
        said("pipeline p { stage s { sla 2days } }"),
        "1:28: expected a duration such as `24h` or `3d`, found `2days` | expected a duration such as `24h` or `3d` | \
         a duration is a whole number and one of `m` (minutes), `h` (hours), `d` (days) or `w` (weeks), e.g. `2d` or `4w`"
    );
    assert!(said("pipeline p { stage s { sla 1mo } }").contains("found `1mo`"));
    assert!(
        said("pipeline p { stage s { task t { due 3days } } }").contains("expected a duration")
    );
}

#[test]
fn every_syntax_error_kind_fills_every_slot() {
    use sopc::syntax::{BlockKind, SyntaxErrorKind as K};
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut kinds = vec![
        K::Misplaced {
            expected: strings(&["a block"]),
            found: "`stage`".into(),
            belongs_in: "pipeline".into(),
        },
        K::AttributeColon {
            attribute: "owner".into(),
        },
        K::UnclosedBlock {
            block: "stage".into(),
            id: "s".into(),
        },
        K::HyphenInName {
            name: "lead-capture".into(),
        },
        K::MalformedUnicodeEscape {
            escape: "\\u{}".into(),
        },
        K::DeadlineInKpi,
        K::UnterminatedString,
        K::UnterminatedTripleString,
        K::UnknownEscape {
            escape: "\\q".into(),
        },
        K::InvalidEscape { code: 0xD800 },
        K::TooComplex,
        K::InvalidUtf8,
    ];
    for expected in [&[][..], &["`}`"], &["a name", "`{`"]] {
        for allowed in [&[][..], &["owner", "task"]] {
            for context in [None, Some(BlockKind::Stage)] {
                for suggestion in [None, Some("owner".to_string())] {
                    kinds.push(K::Unexpected {
                        expected: strings(expected),
                        found: "`x`".into(),
                        context,
                        allowed: strings(allowed),
                        suggestion,
                    });
                }
            }
        }
    }
    for kind in &kinds {
        assert_filled(&format!(
            "{} | {} | {}",
            kind.message(),
            kind.label(),
            kind.help().unwrap_or_else(|| "none".into())
        ));
    }
    // And as the parser reports them, on text a person might write.
    for text in CORPUS {
        assert_filled(&said(text));
    }
}

/// Broken files, one per way of breaking one.
const CORPUS: &[&str] = &[
    "pipeline p { stage s { sla 2days } }",
    "pipeline p { stage s { sla 1mo } }",
    "pipeline p { stage s { sla 0x } }",
    "training t { duration 2hours }",
    "feedback f { cadence every 2months }",
    "sop s { reviewed 2026-01-01x }",
    "sop s { owner: r }",
    "pipeline p {\n  stage s {\n    -> t when \"x\"\n\n}\n",
    "pipeline p { stage lead-capture {} }",
    "training t { format e-learning }",
    "role r\u{3000}{}",
    "role 销售代表｛ }",
    "role r {\u{0B}}",
    "role r {\u{0C}}",
    "role r { skills \"\\u{}\" }",
    "role r { skills \"\\u{1234567}\" }",
    "kpi k { target >= 5 by 2026-01-01 }",
    "role r {",
    "stage s {}",
    "kpi k { target >= 5 per decade }",
    "role r \"t\" x {}",
];

#[test]
fn a_colon_after_an_attribute_is_pointed_at_and_removed() {
    assert_eq!(
        said("sop s { owner: r }"),
        "1:14: attributes take no colon: write `owner` and its value with a space between | remove this colon | \
         remove the `:`: an attribute is written `owner VALUE`, not `owner: VALUE`"
    );
    assert!(
        said("pipeline p { stage s { sla: 2d } }").starts_with("1:27: attributes take no colon")
    );
    assert_eq!(
        fixed("pipeline p { stage s { owner: r } }"),
        Some((
            "remove the `:`".to_string(),
            "pipeline p { stage s { owner r } }".to_string()
        ))
    );
    assert_eq!(
        fixed("sop s { owner:r }").map(|f| f.1).as_deref(),
        Some("sop s { owner r }")
    );
}

#[test]
fn a_missing_brace_points_at_the_block_it_would_close() {
    // The stage's `}` is missing: the pipeline's closes it, and the file ends in the pipeline.
    assert_eq!(
        said("pipeline p {\n  stage s {\n    -> t when \"x\"\n\n}\n"),
        "2:3: `stage s` is not closed: its `}` is missing | this block has no `}` | \
         add a `}` where the `stage` block ends, after its last attribute"
    );
    assert!(said("role r {").starts_with("1:1: `role r` is not closed"));
    assert!(
        said("pipeline p {\n  stage s {\n    -> t\n  }\n")
            .starts_with("1:1: `pipeline p` is not closed")
    );
    assert!(
        said("pipeline p {\n  stage s \"S {\" {\n    description \"}\"  # }\n  }\n")
            .starts_with("1:1: `pipeline p` is not closed")
    );
    assert!(!said("pipeline p {\n  stage s {\n    -> t\n").contains("`when`"));
}

#[test]
fn a_hyphen_in_a_name_is_named_and_changed_to_an_underscore() {
    assert_eq!(
        said("pipeline p { stage lead-capture {} }"),
        "1:20: `lead-capture` is not a name: names cannot contain `-` | `-` in a name | \
         write `lead_capture`: names are letters, digits and `_`"
    );
    assert!(
        said("training t { format e-learning }").starts_with("1:21: `e-learning` is not a name")
    );
    assert_eq!(
        fixed("training t { format video, e-learning }"),
        Some((
            "change `e-learning` to `e_learning`".to_string(),
            "training t { format video, e_learning }".to_string()
        ))
    );
    // Not a name: an arrow, a date.
    assert!(said("pipeline p { stage s { -> } }").contains("expected a name"));
    assert!(said("goal g { target r >= 5 by 2026-1-1 }").contains("expected a date"));
}

#[test]
fn invisible_and_full_width_characters_are_named_and_replaced() {
    assert_eq!(
        said("role r\u{3000}{}"),
        "1:7: expected a name, a string or `{`, found the full-width space (U+3000) | unexpected here | \
         write an ASCII space instead of the full-width space (U+3000)"
    );
    assert_eq!(
        fixed("role r\u{3000}{}").map(|f| f.1).as_deref(),
        Some("role r {}")
    );
    let brace = said("role 销售代表｛ }");
    assert!(
        brace.starts_with("1:10: expected a name, a string or `{`, found `｛`"),
        "{brace}"
    );
    assert!(
        brace.ends_with("write the ASCII `{` instead of the full-width `｛`"),
        "{brace}"
    );
    assert_eq!(
        fixed("role 销售代表｛ }").map(|f| f.1).as_deref(),
        Some("role 销售代表{ }")
    );
    for (c, name) in [
        ('\u{0B}', "a vertical tab (U+000B)"),
        ('\u{0C}', "a form feed (U+000C)"),
    ] {
        let text = format!("role r {{{c}}}");
        let got = said(&text);
        assert!(got.contains(&format!("found {name}")), "{got}");
        assert!(
            got.ends_with(&format!("write an ASCII space instead of {name}")),
            "{got}"
        );
        assert_eq!(fixed(&text).map(|f| f.1), Some("role r { }".to_string()));
    }
}

#[test]
fn a_malformed_unicode_escape_is_pointed_at_and_explained() {
    assert_eq!(
        said(r#"role r { skills "a\u{}b" }"#),
        "1:19: the escape `\\u{}` has no hex digits | this escape | \
         write a code point as `\\u{XXXX}`, 1 to 6 hex digits, e.g. `\\u{4E2D}`; write `\\\\` for a backslash"
    );
    assert!(
        said(r#"role r { skills "\u{1234567}" }"#)
            .starts_with("1:18: the escape `\\u{1234567}` has more than 6 hex digits")
    );
    assert!(
        said(r#"role r { skills "\u{12" }"#)
            .starts_with("1:18: the escape `\\u{12` is not closed with `}`")
    );
    assert!(said(r#"role r { skills "\u12" }"#).contains("`\\u`"));
    assert!(said("role r { skills \"a }").contains("unterminated string"));
}

#[test]
fn a_deadline_in_a_kpi_target_is_sent_to_a_goal() {
    assert_eq!(
        said("kpi k { target >= 5 by 2026-01-01 }"),
        "1:21: a kpi's target takes no deadline: `by` belongs in a goal's target | a deadline in a kpi | \
         remove `by DATE` here and give it to a goal on this kpi, e.g. `goal g { target KPI >= 5 by 2026-12-31 }`"
    );
    assert!(
        said("kpi k { target >= 5 deals by 2026-01-01 }")
            .starts_with("1:27: a kpi's target takes no deadline")
    );
    // A goal's target takes one.
    assert!(syntax::parse("goal g { target k >= 5 by 2026-01-01 }").is_ok());
}

#[test]
fn a_duration_too_long_in_weeks_suggests_no_larger_unit() {
    use crate::support::Project;
    let p = Project::new().file(
        "a.sop",
        "pipeline p { start s stage s { sla 999999999999999999999w terminal } }\n",
    );
    let run = p.run_code(&["check", "--format", "json", "a.sop"], 1);
    let diags = run.json()["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let d = diags
        .iter()
        .find(|d| d["rule"] == "invalid-value")
        .expect("an invalid-value finding");
    let help = d["help"].as_str().expect("a help");
    assert_eq!(
        help,
        "give a duration of at most `15250284452471w` (about 292 billion years)"
    );
    assert!(!help.contains("larger unit"), "{help}");
}

#[test]
fn a_run_failed_by_its_warnings_says_why() {
    use crate::support::Project;
    // One warning at least: a library role without responsibilities.
    let p = Project::new().file("a.sop", "role r {}\n");
    let run = p.run(&["check", "a.sop"]);
    assert!(!run.stderr.contains("--max-warnings"), "{}", run.stderr);
    let run = p.run_code(&["check", "--max-warnings", "0", "a.sop"], 1);
    assert!(
        run.stderr
            .contains("warning, more than `--max-warnings 0` allows")
            || run
                .stderr
                .contains("warnings, more than `--max-warnings 0` allows"),
        "{}",
        run.stderr
    );
    let run = p.run_code(&["check", "--deny", "warnings", "a.sop"], 1);
    assert!(
        run.stderr
            .contains("and `--deny warnings`: the run fails on any warning"),
        "{}",
        run.stderr
    );
}
