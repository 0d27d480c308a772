//! Inputs built to break a checker: huge pipelines, long strings, many files, long import
//! cycles, unreadable files. Each must simply work (no stack overflow, no panic, the right
//! findings); how fast is measured by the benchmark, not here.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::support::Project;

/// Checks one text in-process; the rules that fired, with how often.
fn rules_of(text: &str) -> Vec<(String, usize)> {
    let path = PathBuf::from("/nonexistent/doc.sop");
    let outcome = sopc::driver::check_source(&path, text, &sopc::driver::CheckOptions::default());
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in outcome.findings {
        let d = f.diag;
        if d.rule.name() == "syntax" {
            return vec![(format!("syntax: {}", d.message), 1)];
        }
        *counts.entry(d.rule.to_string()).or_default() += 1;
    }
    counts.into_iter().collect()
}

const HEAD: &str = "sop s { review weekly owner r }\nrole r { responsibilities \"x\" }\n\
                    training t { for r }\nfeedback f { cadence weekly owner r }\n";

fn chain(n: usize, extra: impl Fn(usize) -> Option<usize>) -> String {
    let mut text = String::from(HEAD);
    text.push_str("pipeline p {\n");
    for i in 0..n {
        let next = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "end".to_string()
        };
        write!(
            text,
            "stage s{i} {{ owner r exit \"x\" -> {next} when \"a\""
        )
        .unwrap();
        if let Some(j) = extra(i) {
            write!(text, " -> s{j} when \"b\"").unwrap();
        }
        text.push_str(" }\n");
    }
    text.push_str("stage end { terminal }\n}\n");
    text
}

#[test]
fn a_pipeline_of_100000_stages_in_one_chain() {
    assert_eq!(rules_of(&chain(100_000, |_| None)), vec![]);
}

#[test]
fn a_pipeline_of_100000_stages_each_linked_ten_further_on() {
    // Every stage also leads ten stages on, wrapping around to the start: one big cycle.
    let text = chain(100_000, |i| Some((i + 10) % 100_000));
    assert_eq!(rules_of(&text), vec![]);
    // Cut the way out: every stage is now stuck in the cycle.
    let stuck = text.replace("-> end when \"a\"", "-> s0 when \"a\"");
    assert_eq!(
        rules_of(&stuck),
        vec![
            ("no-path-to-terminal".to_string(), 100_000),
            ("unreachable-stage".to_string(), 1)
        ]
    );
}

#[test]
fn a_reporting_line_and_a_training_plan_of_100000_links_in_one_cycle() {
    let n = 100_000;
    let mut text = String::new();
    for i in 0..n {
        writeln!(
            text,
            "role r{i} {{ responsibilities \"x\" reports_to r{} }}",
            (i + 1) % n
        )
        .unwrap();
        writeln!(
            text,
            "training t{i} {{ for r{i} requires t{} }}",
            (i + 1) % n
        )
        .unwrap();
    }
    assert_eq!(
        rules_of(&text),
        vec![
            ("reporting-cycle".to_string(), 1),
            ("training-cycle".to_string(), 1)
        ]
    );
}

#[test]
fn a_one_megabyte_string() {
    let long = "销售".repeat(200_000);
    let text = format!(
        "{HEAD}role q {{ responsibilities \"{long}\" reports_to r }}\nfeedback g {{ owner q }}\n"
    );
    assert_eq!(rules_of(&text), vec![]);
    let triple = format!(
        "{HEAD}role q {{ description \"\"\"\n  {long}\n\"\"\" responsibilities \"y\" reports_to r }}\nfeedback g {{ owner q }}\n"
    );
    assert_eq!(rules_of(&triple), vec![]);
}

#[test]
fn ten_thousand_files_importing_one_library() {
    let mut p = Project::new().file("sopc.yaml", "").file(
        "shared/roles.sop",
        "role r { responsibilities \"x\" }\ntraining t { for r }\n",
    );
    for i in 0..10_000 {
        p = p.file(
            &format!("docs/d{i}.sop"),
            &format!("import \"../shared/roles.sop\"\nsop d{i} {{ review weekly owner r }}\n"),
        );
    }
    let run = p.run(&["check", "--format", "json", "."]);
    assert_eq!(run.json()["summary"]["files"], 10_001);
}

#[test]
fn an_import_cycle_of_100_files() {
    let mut p = Project::new().file("sopc.yaml", "");
    for i in 0..100 {
        p = p.file(
            &format!("f{i}.sop"),
            &format!(
                "import \"f{}.sop\"\nrole r{i} {{ responsibilities \"x\" }}\n",
                (i + 1) % 100
            ),
        );
    }
    p = p.file("doc.sop", "import \"f0.sop\"\nsop d { review weekly }\n");
    let run = p.run_code(&["check", "--format", "json", "doc.sop"], 1);
    let json = run.json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "import-error");
    assert_eq!(d["file"], "f99.sop");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("import cycle: `f0.sop` -> `f1.sop`")
    );
    assert_eq!(json["summary"]["errors"], 1);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_rest_checked() {
    let p = Project::new()
        .file("good.sop", "role r {}\n")
        .file("sopc.yaml", "");
    std::os::unix::fs::symlink("nowhere.sop", p.path().join("dangling.sop")).unwrap();
    std::os::unix::fs::symlink("loop-b.sop", p.path().join("loop-a.sop")).unwrap();
    std::os::unix::fs::symlink("loop-a.sop", p.path().join("loop-b.sop")).unwrap();
    let run = p.run_code(&["check", "--format", "json", "."], 2);
    assert_eq!(
        run.rules_and_lines(),
        vec![("role-without-responsibilities".to_string(), 1)]
    );
    assert!(
        run.stderr.contains("cannot read `dangling.sop`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cannot read `loop-a.sop`"),
        "{}",
        run.stderr
    );
}

#[test]
fn inputs_that_would_make_a_backtracking_parser_crawl() {
    // Long runs of what almost parses: each is one clean syntax error.
    let cases = [
        "role r { responsibilities ".to_string() + &"\"a\", ".repeat(100_000),
        "pipeline p { ".to_string() + &"stage s { ".repeat(50_000),
        "goal g { target k >= ".to_string() + &"1".repeat(100_000) + " by",
        "\"".repeat(100_000),
        "role r { description \"\"\"".to_string() + &"\"\"".repeat(100_000),
        "{".repeat(100_000),
    ];
    for text in cases {
        let found = rules_of(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.starts_with("syntax: "), "{found:?}");
    }
}

/// Runs `f` and fails when it takes longer than `limit`: what took minutes must now take
/// seconds, even in a debug build on a busy machine.
fn within<T>(limit_secs: u64, what: &str, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(
        took < std::time::Duration::from_secs(limit_secs),
        "{what} took {took:?}"
    );
    out
}

#[test]
fn ten_thousand_unknown_names_among_ten_thousand_similar_roles() {
    let n = 10_000;
    let mut text = String::from(HEAD);
    for i in 0..n {
        writeln!(text, "role role_{i:05} {{ responsibilities \"x\" }}").unwrap();
    }
    text.push_str("pipeline p {\n");
    for i in 0..n {
        let next = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "end".into()
        };
        writeln!(
            text,
            "stage s{i} {{ owner rolx_{i:05} exit \"x\" -> {next} }}"
        )
        .unwrap();
    }
    text.push_str("stage end { terminal }\n}\n");
    let found = within(60, "10,000 unknown roles", || rules_of(&text));
    assert!(
        found.contains(&("undefined-reference".to_string(), n)),
        "{found:?}"
    );
}

#[test]
fn fifty_thousand_unknown_stages_in_one_pipeline() {
    let n = 50_000;
    let mut text = String::from(HEAD);
    text.push_str("pipeline p {\nstage s0 { owner r exit \"x\" -> end }\n");
    for i in 1..n {
        writeln!(text, "stage s{i} {{ owner r exit \"x\" -> q{i} }}").unwrap();
    }
    text.push_str("stage end { terminal }\n}\n");
    let found = within(60, "50,000 unknown stages", || rules_of(&text));
    assert!(
        found.contains(&("undefined-reference".to_string(), n - 1)),
        "{found:?}"
    );
}

#[test]
fn a_stage_of_100000_tasks() {
    let mut text = String::from(HEAD);
    text.push_str("pipeline p {\nstage a { owner r exit \"x\"\n");
    for i in 0..100_000 {
        writeln!(text, "task t{i} {{ due 1h done_when \"x\" }}").unwrap();
    }
    text.push_str("task t5 { due 1h done_when \"again\" }\n-> end }\nstage end { terminal }\n}\n");
    let found = within(60, "100,000 tasks", || rules_of(&text));
    assert_eq!(found, vec![("duplicate-definition".to_string(), 1)]);
}

#[test]
fn ten_thousand_kpis_naming_stages_of_ten_thousand_pipelines() {
    let mut text = String::from(HEAD);
    for i in 0..10_000 {
        writeln!(
            text,
            "pipeline p{i} {{ stage s{i} {{ owner r exit \"x\" -> e{i} }} stage e{i} {{ terminal }} }}"
        )
        .unwrap();
    }
    for i in 0..10_000 {
        writeln!(text, "kpi k{i} {{ owner r target >= 1 stage s{i} }}").unwrap();
        writeln!(text, "kpi m{i} {{ owner r target >= 1 stage p{i}.x{i} }}").unwrap();
    }
    let found = within(60, "20,000 kpi stages", || rules_of(&text));
    assert_eq!(found, vec![("undefined-reference".to_string(), 10_000)]);
}

#[test]
fn twenty_thousand_small_reporting_cycles() {
    let mut text = String::from(HEAD);
    for i in 0..20_000 {
        writeln!(
            text,
            "role a{i} {{ responsibilities \"x\" reports_to b{i} }}\n\
             role b{i} {{ responsibilities \"x\" reports_to a{i} }}"
        )
        .unwrap();
    }
    let found = within(60, "20,000 cycles", || rules_of(&text));
    assert_eq!(found, vec![("reporting-cycle".to_string(), 20_000)]);
}

#[test]
fn twenty_thousand_suppressions_each_over_its_own_stage() {
    let n = 20_000;
    let mut text = String::from(HEAD);
    text.push_str("pipeline p {\n");
    for i in 0..n {
        let next = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "end".into()
        };
        writeln!(
            text,
            "# sopc: allow(stage-without-exit-criteria)\nstage s{i} {{ owner r -> {next} }}"
        )
        .unwrap();
    }
    // One that silences nothing, and one finding no suppression covers.
    text.push_str("# sopc: allow(stage-without-owner)\nstage end { terminal }\n}\n");
    text.push_str("kpi k { owner r stage p.end }\n");
    let p = Project::new().file("doc.sop", &text);
    let run = within(60, "20,000 suppressions", || {
        p.run(&["check", "--format", "json", "doc.sop"])
    });
    let rules: Vec<String> = run.rules_and_lines().into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        rules,
        ["unused-suppression", "kpi-without-target"],
        "{}",
        run.stdout
    );
}

#[test]
fn fifty_thousand_findings_on_one_line() {
    // A minified file: every column is counted on the same 1.5 MB line.
    let n = 50_000;
    let mut text = HEAD.replace('\n', " ");
    text.push_str("pipeline p { ");
    for i in 0..n {
        let next = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "end".into()
        };
        write!(text, "stage s{i} {{ owner r -> {next} }} ").unwrap();
    }
    text.push_str("stage end { terminal } }\n");
    let p = Project::new().file("doc.sop", &text);
    let run = within(60, "50,000 findings on one line", || {
        p.run(&["check", "--format", "json", "doc.sop"])
    });
    let found = run.rules_and_lines();
    assert_eq!(
        found.len(),
        n,
        "{}",
        &run.stdout[..500.min(run.stdout.len())]
    );
    assert!(
        found
            .iter()
            .all(|(r, l)| r == "stage-without-exit-criteria" && *l == 1)
    );
    let last = &run.json()["diagnostics"][n - 1];
    let column = last["column"].as_u64().unwrap() as usize;
    assert_eq!(&text[column - 1..column + 6], "stage s");
}
