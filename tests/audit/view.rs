//! What `sopc audit` shows, whole: the human report and the HTML page of a clean log and of a log
//! with deviations, rejected rows and open cases, in English and in Chinese; the page's template
//! overridden by a user's folder.

use super::{DEMO_SOP, figures};
use crate::support::{Project, Run};

/// Every case follows the SOP; `C` is still open in `lead`.
const CLEAN: &str = "\
case_id,stage,timestamp,amount
A,lead,2026-03-02T00:00:00Z,
A,qualify,2026-03-02T12:00:00Z,
A,propose,2026-03-04T12:00:00Z,500
A,won,2026-03-06T12:00:00Z,800
B,lead,2026-03-03T00:00:00Z,
B,nurture,2026-03-04T00:00:00Z,
B,qualify,2026-03-05T00:00:00Z,
B,lost,2026-03-06T00:00:00Z,
C,lead,2026-03-07T00:00:00Z,
";

/// The demo SOP, its labels in `lang`.
fn sop(lang: &str) -> String {
    DEMO_SOP.replace("lang \"en\"", &format!("lang \"{lang}\""))
}

fn project(lang: &str, log: &str) -> Project {
    Project::new()
        .file("demo.sop", &sop(lang))
        .file("log.csv", log)
}

/// The human report on stdout (with `extra` arguments) and the page written by `--html`.
fn audit(p: &Project, extra: &[&str]) -> (Run, String) {
    let mut args = vec!["audit", "demo.sop", "log.csv", "--html", "report.html"];
    args.extend_from_slice(extra);
    let run = p.run(&args);
    let page = std::fs::read_to_string(p.path().join("report.html")).expect("the page");
    (run, page)
}

#[test]
fn a_clean_log_in_both_languages() {
    for lang in ["en", "zh"] {
        let (run, page) = audit(&project(lang, CLEAN), &[]);
        insta::assert_snapshot!(format!("clean-{lang}.human"), run.stdout);
        insta::assert_snapshot!(format!("clean-{lang}.html"), page);
    }
}

#[test]
fn a_log_with_deviations_rejected_rows_and_open_cases_in_both_languages() {
    for lang in ["en", "zh"] {
        let (run, page) = audit(&project(lang, figures::LOG), &[]);
        insta::assert_snapshot!(format!("deviations-{lang}.human"), run.stdout);
        insta::assert_snapshot!(format!("deviations-{lang}.html"), page);
    }
}

#[test]
fn the_cases_to_list_follow_cases() {
    let p = project("en", figures::LOG);
    let (all, _) = audit(&p, &["--cases", "all"]);
    insta::assert_snapshot!("deviations-en-all.human", all.stdout);
    let (none, _) = audit(&p, &["--cases", "none"]);
    assert!(all.stdout.contains("\ncases (6):\n"), "{}", all.stdout);
    assert!(!none.stdout.contains("\ncases ("), "{}", none.stdout);
    assert!(
        !none.stdout.contains("deviating cases ("),
        "{}",
        none.stdout
    );
    // Without `--cases` the deviating cases are listed.
    let (default, _) = audit(&p, &[]);
    assert!(
        default.stdout.contains("\ndeviating cases (3):\n"),
        "{}",
        default.stdout
    );
}

#[test]
fn an_unknown_stage_shown_escaped_or_cut_still_names_its_cases() {
    let long = "长".repeat(50);
    let log = format!(
        "case_id,stage,timestamp\n\
         Z1,lead,2026-03-01T00:00:00Z\n\
         Z1,\"bad\u{1b}stage\",2026-03-02T00:00:00Z\n\
         Z2,lead,2026-03-01T00:00:00Z\n\
         Z2,{long},2026-03-02T00:00:00Z\n"
    );
    let run = project("en", &log).run(&["audit", "demo.sop", "log.csv"]);
    let line = |start: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in\n{}", run.stdout))
            .to_string()
    };
    assert!(
        line("  unknown stage `bad\\u{1b}stage`").ends_with("e.g. Z1"),
        "{}",
        run.stdout
    );
    assert!(
        line(&format!("  unknown stage `{}…`", "长".repeat(19))).ends_with("e.g. Z2"),
        "{}",
        run.stdout
    );
}
