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

#[test]
fn a_template_folder_replaces_the_page_and_escapes_what_it_shows() {
    let template = "<h1>{{ labels.deviations }}: {{ deviations.deviating }}{{ labels.of }}{{ deviations.cases }}</h1>\n\
                    {% for s in stages.rows %}\n<p>{{ s.title }} {{ s.entries }}</p>\n{% endfor %}\n\
                    {% for r in rejected_rows.rows %}{{ r.line }} {{ r.value or \"-\" }};{% endfor %}\n";
    let log = format!("{}H,<b>lead</b>,2026-03-01T00:00:00Z,\n", figures::LOG);
    let p = project("zh", &log).file("theme/audit.html", template);
    let (themed, page) = audit(&p, &["--templates", "theme"]);
    assert_eq!(
        page,
        "<h1>偏差: 4&#x2f;7</h1>\n\
         <p>线索 5</p>\n<p>Nurture 0</p>\n<p>客户筛选 4</p>\n<p>Proposal 3</p>\n<p>Won 2</p>\n\
         <p>Lost 2</p>\n<p>&lt;b&gt;lead&lt;&#x2f;b&gt;? 1</p>\n<p>Qualify? 1</p>\n\
         第15行 2026-02-30T00:00:00Z;第16行 -;第17行 -;第18行 -;第19行 -;"
    );
    // The report on the terminal is the same with or without the folder.
    let (plain, built_in) = audit(&p, &[]);
    assert_eq!(themed.stdout, plain.stdout);
    assert!(built_in.starts_with("<!doctype html>"), "{built_in}");
}

#[test]
fn a_template_folder_without_the_page_keeps_the_built_in_one() {
    let p = project("en", CLEAN).file("theme/handbook.md", "not the page\n");
    let (_, themed) = audit(&p, &["--templates", "theme"]);
    let (_, built_in) = audit(&p, &[]);
    assert_eq!(themed, built_in);
}

#[test]
fn a_page_template_that_loops_forever_is_stopped_and_named() {
    use sopc::audit::view::{AuditView, Cases};
    use sopc::audit::{AuditInput, InputFormat, ReadOptions, audit};
    use sopc::driver::{CheckOptions, check_paths};
    use sopc::render::{Lang, Templates};

    let dir = tempfile::tempdir().unwrap();
    let sop = dir.path().join("demo.sop");
    std::fs::write(&sop, DEMO_SOP).unwrap();
    let theme = dir.path().join("theme");
    std::fs::create_dir(&theme).unwrap();
    std::fs::write(
        theme.join("audit.html"),
        "ok\n{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let options = CheckOptions {
        keep_models: true,
        ..CheckOptions::default()
    };
    let outcome = check_paths(&[sop], &options).unwrap_or_else(|_| panic!("demo.sop exists"));
    let model = &outcome.models[0];
    let report = audit(AuditInput {
        model,
        db: &outcome.db,
        pipeline: 0,
        sop_name: "demo.sop".into(),
        log_name: "log.csv".into(),
        data: CLEAN.as_bytes().to_vec(),
        read: ReadOptions::new(InputFormat::Csv),
        stage_map: None,
        as_of: None,
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    let view = AuditView::new(&report, model, Lang::En, Cases::Deviating);
    // The bounds of a real run, made small enough to reach quickly.
    let templates = Templates::with_dir(&theme).with_limits(2_000_000, 1024 * 1024);
    let start = std::time::Instant::now();
    let e = view.page_html(&templates).unwrap_err();
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(e.template, "audit.html");
    assert_eq!(e.path, Some(theme.join("audit.html")));
    assert_eq!(e.line, Some(2));
    assert!(
        e.message
            .starts_with("the template does too much work (more than 2000000 units of fuel)"),
        "{e}"
    );
    // The built-in page renders within the same small budget.
    let page = view.page_html(&Templates::embedded().with_limits(2_000_000, 1024 * 1024));
    assert!(page.is_ok_and(|p| p.starts_with("<!doctype html>")));
}

#[test]
fn a_broken_page_template_or_a_missing_folder_stops_the_run() {
    let p = project("en", CLEAN).file("theme/audit.html", "{{ stages.nope }}\n");
    let args = ["audit", "demo.sop", "log.csv", "--html", "report.html"];
    let run = p.run_code(&[&args[..], &["--templates", "theme"]].concat(), 2);
    assert!(
        run.stderr
            .starts_with("error: template theme/audit.html:1: "),
        "{}",
        run.stderr
    );
    let run = p.run_code(&[&args[..], &["--templates", "nowhere"]].concat(), 2);
    assert_eq!(
        run.stderr,
        "error: templates folder `nowhere` does not exist\n"
    );
    assert!(!p.path().join("report.html").exists());
    // A template folder is for the page: without `--html` it is a mistake, not ignored.
    let run = p.run_code(&["audit", "demo.sop", "log.csv", "--templates", "theme"], 2);
    assert!(run.stderr.contains("--html <FILE>"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn the_page_drops_control_characters_from_the_log() {
    let log = "case_id,stage,timestamp\nA\u{1b}[31m,lead,2026-03-01T00:00:00Z\nA\u{1b}[31m,\"x\u{7}y\",2026-03-02T00:00:00Z\n";
    let (run, page) = audit(&project("en", log), &[]);
    assert!(run.stdout.contains("x\\u{7}y"), "{}", run.stdout);
    assert!(!page.chars().any(|c| c.is_control() && c != '\n'), "{page}");
    assert!(page.contains("<code>xy</code>"), "{page}");
}
