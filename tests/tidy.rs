//! One copy of each helper: the front ends and the stages share them, so they agree.

use sopc::syntax;

use crate::support::{self, Project};

#[test]
fn a_misspelt_keyword_is_suggested_whatever_its_case() {
    // Syntax errors use the same did-you-mean as names and rule names: case is ignored.
    let err = syntax::parse("role r { SKILS \"x\" }").unwrap_err();
    assert_eq!(err.help().as_deref(), Some("did you mean `skills`?"));
    assert_eq!(
        sopc::diag::did_you_mean("SKILS", ["skills", "responsibilities"]).as_deref(),
        Some("skills")
    );
}

#[test]
fn html_and_svg_share_one_escape() {
    use sopc::render::escape::html;
    assert_eq!(
        html("<a href='x' title=\"y\">&</a>"),
        "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
    );
    // Control characters cannot be carried by XML and are errors in HTML: they are dropped,
    // line feeds and tabs kept.
    assert_eq!(html("a\u{1}b\u{7f}c\n\td"), "abc\n\td");
}

#[test]
fn fmt_reports_a_syntax_error_as_check_does() {
    let p = Project::new().file("bad.sop", "role r { skils \"x\" }\n");
    let check = p.run_code(&["check", "bad.sop"], 1);
    let fmt = p.run_code(&["fmt", "--check", "bad.sop"], 1);
    let said = |r: &support::Run| format!("{}{}", r.stdout, r.stderr);
    let fmt_said = said(&fmt);
    assert!(
        fmt_said.contains("help: did you mean `skills`?"),
        "{fmt_said}"
    );
    assert!(said(&check).contains(fmt_said.trim()), "{fmt_said}");
}

#[test]
fn comparators_and_periods_are_written_one_way() {
    use sopc::syntax::{Comparator, Period};
    for c in Comparator::ALL {
        assert_eq!(Comparator::from_symbol(c.symbol()), Some(c));
        // The view serializes the syntax's own type: the JSON says the symbol.
        assert_eq!(
            serde_json::to_value(c).expect("serializes"),
            serde_json::Value::from(c.symbol())
        );
    }
    for p in Period::ALL {
        assert_eq!(Period::from_keyword(p.keyword()), Some(p));
        assert_eq!(
            serde_json::to_value(p).expect("serializes"),
            serde_json::Value::from(p.keyword())
        );
    }
    assert_eq!(Comparator::from_symbol("=>"), None);
    assert_eq!(Period::from_keyword("fortnight"), None);
}

#[test]
fn a_name_of_zero_width_characters_is_still_cut() {
    // Combining marks take no column, yet each counts one when a name is cut to its width.
    let marks = "\u{301}".repeat(5_000);
    let log = format!(
        "case_id,stage,timestamp\nc1,lead,2026-01-01T00:00:00Z\nc1,{marks},2026-01-02T00:00:00Z\n"
    );
    let p = Project::new()
        .file("demo.sop", include_str!("audit/demo.sop"))
        .file("log.csv", &log);
    let run = p.run(&["audit", "demo.sop", "log.csv"]);
    assert!(run.stdout.len() < 4_000, "{} bytes", run.stdout.len());
    let cut = format!("unknown stage `{}…`", "\u{301}".repeat(39));
    assert!(run.stdout.contains(&cut), "{}", run.stdout);
}

#[test]
#[should_panic(expected = "exited 2 where 0 was expected")]
fn a_run_must_exit_0_unless_the_test_says_otherwise() {
    Project::new().run(&["check", "no-such-dir"]);
}

#[test]
fn a_run_with_its_expected_code_passes() {
    let run = Project::new().run_code(&["check", "no-such-dir"], 2);
    assert!(run.stderr.contains("`no-such-dir`"), "{}", run.stderr);
}
