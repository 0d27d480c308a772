//! Audit gates that say why they fail, a nested Pipedrive export recognised, the site in the
//! language of each SOP.

use crate::audit::{DEMO_SOP, project};
use crate::support::{Project, repo, run_in_any};

/// Against the demo SOP (`lead` sla 1d, `qualify` 2d, `propose` 3d): A waits 2 days in `lead`
/// (one breach) and skips `propose`; B goes through `报价中`, `x`, `报价中` (3 events of 2
/// unknown stages); C is still in `lead` after 3 days at the as-of (the latest event, 03-04):
/// overdue; line 11 has a month 13 (rejected).
const LOG: &str = "case_id,stage,timestamp
A,lead,2026-03-01
A,qualify,2026-03-03
A,won,2026-03-04
B,lead,2026-03-01
B,报价中,2026-03-01T06:00
B,x,2026-03-01T07:00
B,报价中,2026-03-01T08:00
B,lost,2026-03-02
C,lead,2026-03-01
D,lead,2026-13-01
";

fn audit(p: &Project, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["audit", "demo.sop", "log.csv"];
    args.extend_from_slice(extra);
    p.run_any(&args)
}

/// The one `error:` line of a run that failed one gate.
#[track_caller]
fn one_failure(p: &Project, extra: &[&str]) -> String {
    let run = audit(p, extra);
    assert_eq!(run.code, 1, "{extra:?}: {}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{extra:?}: {}", run.stderr);
    lines[0].to_string()
}

#[test]
fn every_failed_gate_says_what_failed_and_by_how_much() {
    let p = project("log.csv", LOG);
    assert_eq!(
        one_failure(&p, &["--deny", "unknown-stages"]),
        "error: the run fails: 3 events of 2 unknown stages (`x`, `报价中`) and \
         `--deny unknown-stages`; map the values to stages with `--stage-map`"
    );
    assert_eq!(
        one_failure(&p, &["--deny", "sla"]),
        "error: the run fails: 1 visit longer than the stage's `sla` (`lead` 1) and `--deny sla`"
    );
    assert_eq!(
        one_failure(&p, &["--deny", "open-overdue"]),
        "error: the run fails: 1 of 1 open case is past the `sla` of the stage it is in and \
         `--deny open-overdue`"
    );
    assert_eq!(
        one_failure(&p, &["--deny", "rejected-rows"]),
        "error: the run fails: 1 of 10 rows was rejected (the first on line 11: bad-timestamp) \
         and `--deny rejected-rows`; the report lists the rejected rows with their lines"
    );
    // A skips `propose`, B passes through stages the SOP does not have; C has not deviated yet.
    assert_eq!(
        one_failure(&p, &["--deny", "deviations"]),
        "error: the run fails: 2 of 3 cases deviate from the SOP and `--deny deviations`"
    );
    let json = audit(&p, &["--format", "json"]).json();
    let fitness = json["fitness"]["alignment"]["log_fitness"]
        .as_f64()
        .unwrap();
    assert!(fitness < 0.9, "{fitness}");
    assert_eq!(
        one_failure(&p, &["--min-fitness", "0.9"]),
        format!(
            "error: the run fails: the log's alignment fitness is {fitness:.3}, {:.3} below \
             `--min-fitness 0.9`",
            0.9 - fitness
        )
    );
}

#[test]
fn gates_change_stderr_only() {
    let p = project("log.csv", LOG);
    for format in ["human", "json"] {
        let plain = audit(&p, &["--format", format]);
        assert_eq!(plain.code, 0, "{}", plain.stderr);
        assert_eq!(plain.stderr, "");
        let gated = audit(
            &p,
            &[
                "--format",
                format,
                "--deny",
                "sla,unknown-stages,sla",
                "--min-fitness",
                "0.99",
            ],
        );
        assert_eq!(gated.code, 1);
        assert_eq!(gated.stdout, plain.stdout, "{format}");
        let lines: Vec<&str> = gated.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            3,
            "a gate named twice is said once: {}",
            gated.stderr
        );
        assert!(lines[0].contains("`--min-fitness 0.99`"), "{}", lines[0]);
        assert!(lines[1].ends_with("and `--deny sla`"), "{}", lines[1]);
        assert!(
            lines[2].contains("and `--deny unknown-stages`"),
            "{}",
            lines[2]
        );
    }
}

#[test]
fn gates_that_pass_say_nothing() {
    let p = project(
        "log.csv",
        "case_id,stage,timestamp\nA,lead,2026-03-01\nA,qualify,2026-03-01T12:00\nA,lost,2026-03-02\n",
    );
    let run = audit(
        &p,
        &[
            "--min-fitness",
            "1",
            "--deny",
            "deviations,sla,open-overdue,rejected-rows,unknown-stages",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_long_list_of_unknown_stages_is_cut_short() {
    let mut log = String::from("case_id,stage,timestamp\n");
    for i in 0..8 {
        log.push_str(&format!(
            "A{i},lead,2026-03-01\nA{i},stage{i},2026-03-01T01:00\n"
        ));
    }
    log.push_str(&format!("B,{},2026-03-02\n", "长".repeat(60)));
    let p = project("log.csv", &log);
    let line = one_failure(&p, &["--deny", "unknown-stages"]);
    assert!(
        line.starts_with(
            "error: the run fails: 9 events of 9 unknown stages (`stage0`, `stage1`, `stage2`, \
             `stage3`, `stage4` and 4 more) and `--deny unknown-stages`"
        ),
        "{line}"
    );
}

#[test]
fn a_nested_pipedrive_export_is_recognised() {
    let dir = repo().join("examples");
    let run = run_in_any(
        &dir,
        &["audit", "sales-en/sales.sop", "crm/pipedrive-flow.jsonl"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("it looks like a `pipedrive` export: try `--preset pipedrive`"),
        "{}",
        run.stderr
    );
    let with = run_in_any(
        &dir,
        &[
            "audit",
            "sales-en/sales.sop",
            "crm/pipedrive-flow.jsonl",
            "--preset",
            "pipedrive",
            "--format",
            "json",
        ],
    );
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(with.json()["log"]["events"].as_u64().unwrap() > 0);
}

#[test]
fn nested_keys_alone_do_not_make_a_preset() {
    let p = Project::new().file("demo.sop", DEMO_SOP).file(
        "log.jsonl",
        "{\"event\": {\"deal\": 1, \"when\": \"2026-03-01\", \"meta\": {\"field\": \"x\"}}}\n",
    );
    let run = p.run_any(&["audit", "demo.sop", "log.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("found: `event`"), "{}", run.stderr);
    assert!(!run.stderr.contains("looks like"), "{}", run.stderr);
}

/// `sopc build` of both sales examples into `out`, as a folder of SOPs.
fn build_site(p: &Project) -> std::path::PathBuf {
    let out = p.path().join("site");
    let run = run_in_any(
        &repo(),
        &[
            "build",
            "examples/sales",
            "examples/sales-en",
            "-o",
            out.to_str().unwrap(),
            "--today",
            "2026-12-01",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

/// The part of a role page for the SOP in `html_lang`.
fn section<'a>(page: &'a str, html_lang: &str) -> &'a str {
    let start = format!("<section class=\"sop\" lang=\"{html_lang}\">");
    let from = page
        .find(&start)
        .unwrap_or_else(|| panic!("no {start} in\n{page}"));
    let rest = &page[from..];
    &rest[..rest.find("</section>").expect("section closes")]
}

#[test]
fn each_sop_of_a_role_page_speaks_its_own_language() {
    let p = Project::new();
    let out = build_site(&p);
    // English words a Chinese part must not have: the site's words, cadences, training times,
    // periods, durations as written.
    let english = [
        "What this role does",
        "What to learn",
        "Measured on",
        "(Runs)",
        "new hires",
        "ongoing",
        "quarterly",
        "monthly",
        "weekly",
        "yearly",
        "/ quarter",
        "/ month",
        "Stages owned",
        "Due ",
    ];
    let mut checked = 0;
    for role in [
        "sales_rep",
        "sales_manager",
        "sales_director",
        "after_sales",
    ] {
        let page = std::fs::read_to_string(out.join(format!("roles/{role}.html"))).unwrap();
        let zh = section(&page, "zh-CN");
        for word in english {
            assert!(
                !zh.contains(word),
                "`{word}` in the Chinese part of {role}:\n{zh}"
            );
        }
        // Durations are spelled out in Chinese: `时限 2 天`, never `时限 2d`.
        assert!(
            !zh.chars()
                .zip(zh.chars().skip(1))
                .any(|(a, b)| a.is_ascii_digit() && matches!(b, 'h' | 'd' | 'w')),
            "a duration as written in the Chinese part of {role}"
        );
        let en = section(&page, "en");
        assert!(
            !en.contains("本角色要做的事") && !en.contains("每月"),
            "{role}"
        );
        checked += 1;
    }
    assert_eq!(checked, 4);
    let manager = std::fs::read_to_string(out.join("roles/sales_manager.html")).unwrap();
    let zh = section(&manager, "zh-CN");
    for word in [
        "本角色要做的事",
        "培训(按顺序)",
        "考核指标",
        "新员工入职",
        "/ 季度",
        "(主持)",
    ] {
        assert!(zh.contains(word), "`{word}` missing in\n{zh}");
    }
    let en = section(&manager, "en");
    for word in ["What this role does", "new hires", "/ quarter", "(Runs)"] {
        assert!(en.contains(word), "`{word}` missing in\n{en}");
    }
}

#[test]
fn the_index_links_the_html_checklists() {
    let p = Project::new();
    let out = build_site(&p);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let links: Vec<&str> = index
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(!links.iter().any(|l| l.contains("README.md")), "{links:?}");
    for name in ["sales", "sales-en"] {
        let dir = out.join(format!("{name}/sales.checklists"));
        let mut html: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".html"))
            .map(|f| format!("{name}/sales.checklists/{f}"))
            .collect();
        html.sort();
        let mut linked: Vec<String> = links
            .iter()
            .filter(|l| l.starts_with(&format!("{name}/sales.checklists/")))
            .map(|l| l.to_string())
            .collect();
        linked.sort();
        assert_eq!(
            linked, html,
            "every HTML checklist of {name}, and nothing else"
        );
    }
    for link in links {
        assert!(out.join(link).is_file(), "`{link}` is no file");
    }
}

/// A pipeline of `n` stages one after another.
fn chain(n: usize) -> String {
    let mut s = String::from(
        "sop chain \"Chain\" {\n  owner cook\n  review monthly\n}\nrole cook \"Cook\" {\n  responsibilities \"cooking\"\n}\npipeline line \"Line\" {\n",
    );
    for i in 0..n {
        s.push_str(&format!("  stage s{i} \"Step {i}\" {{\n    owner cook\n"));
        if i + 1 < n {
            s.push_str(&format!("    -> s{}\n  }}\n", i + 1));
        } else {
            s.push_str("    terminal\n  }\n");
        }
    }
    s.push_str("}\n");
    s
}

/// The `viewBox` heights of the diagram and of its print slices in a handbook.
fn diagram_heights(html: &str) -> (f64, Vec<f64>) {
    let height = |class: &str| -> Vec<f64> {
        html.split(&format!("class=\"{class}\" viewBox=\""))
            .skip(1)
            .map(|rest| {
                let vb = &rest[..rest.find('"').unwrap()];
                vb.split(' ').nth(3).unwrap().parse().unwrap()
            })
            .collect()
    };
    (height("pipeline-diagram")[0], height("pipeline-slice"))
}

#[test]
fn a_diagram_a_little_taller_than_a_page_is_shrunk_onto_it_not_sliced() {
    // Ten narrow stages: taller than a printed page shows (850 px) at full size, less than one
    // and a half pages.
    let p = Project::new().file("chain.sop", &chain(10));
    p.run(&["build", "chain.sop", "-o", "out"]);
    let html = std::fs::read_to_string(p.path().join("out/chain.handbook.html")).unwrap();
    let (full, slices) = diagram_heights(&html);
    assert!(full > 850.0 && full < 1275.0, "{full}");
    assert!(slices.is_empty(), "{slices:?}");
    assert!(html.contains("figure.diagram { break-inside: avoid; }"));
}

#[test]
fn a_sliced_diagram_has_no_sliver_of_a_last_page() {
    for n in [14, 20, 26] {
        let p = Project::new().file("chain.sop", &chain(n));
        p.run(&["build", "chain.sop", "-o", "out"]);
        let html = std::fs::read_to_string(p.path().join("out/chain.handbook.html")).unwrap();
        let (full, slices) = diagram_heights(&html);
        assert!(full > 1275.0, "{n} stages: {full}");
        assert!(slices.len() > 1, "{n} stages: {slices:?}");
        // As few bands as pages need, of about even height, none more than a page.
        assert_eq!(slices.len(), (full / 850.0).ceil() as usize, "{slices:?}");
        let even = full / slices.len() as f64;
        for h in &slices {
            assert!(*h <= 850.5 && *h > even * 0.75, "{n} stages: {slices:?}");
        }
    }
}
