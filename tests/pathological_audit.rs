//! Hostile sizes for `sopc build`'s diagram and for `sopc audit`: each must finish well inside a
//! generous time limit, with output that grows with the input, not with its square. The limits
//! are for the debug build on a slow shared machine; the release figures are in
//! `docs/robustness.md`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::audit::hostile::{audit_in_1_gb, chain_sop, walking_log};
use crate::support::Project;

/// A pipeline of `k` stages in a chain where every stage also leads far away, forward or back
/// (`s(7919·i mod k)`): thousands of long edges, which a layered layout turns into millions of
/// dummy nodes.
fn tangled_sop(k: usize) -> String {
    let mut text = String::from(
        "sop s { review weekly owner r }\nrole r { responsibilities \"x\" }\n\
         training t { for r }\nfeedback f { cadence weekly owner r }\npipeline p \"P\" {\n",
    );
    for i in 0..k {
        let next = if i + 1 < k {
            format!("s{}", i + 1)
        } else {
            "end".to_string()
        };
        writeln!(
            text,
            "stage s{i} \"Stage number {i}\" {{ owner r exit \"x\" -> {next} when \"next {i}\" \
             -> s{} when \"back {i}\" }}",
            (i * 7919) % k
        )
        .unwrap();
    }
    text.push_str("stage end { terminal }\n}\n");
    text
}

/// The document's view, lowered in-process.
fn view(text: &str) -> sopc::render::DocumentView {
    let mut db = sopc::model::SourceDb::new();
    let file = db.add(
        "big.sop".into(),
        PathBuf::from("/nonexistent/big.sop"),
        text.as_bytes().to_vec(),
    );
    let doc = sopc::model::document_files(&mut db, file, std::path::Path::new("/nonexistent"));
    let (model, _) = sopc::model::lower(&db, &doc.files, file);
    sopc::render::DocumentView::from_model(&model, None)
}

/// The diagram of a tangled pipeline of `k` stages: how long it took and its size.
fn diagram(k: usize) -> (Duration, usize) {
    let doc = view(&tangled_sop(k));
    let started = Instant::now();
    let svg = sopc::render::svg::pipeline(&doc.pipelines[0], 1);
    (started.elapsed(), svg.len())
}

#[test]
fn the_diagram_of_a_huge_pipeline_grows_linearly() {
    let (t1, svg1) = diagram(2_000);
    let (t2, svg2) = diagram(4_000);
    // About 1 KB per stage with its two edges and their labels, and twice the stages give
    // about twice the picture (a layered layout of the same made hundreds of megabytes).
    assert!(svg2 < 4_000 * 2_000, "{svg2} bytes of SVG for 4,000 stages");
    let ratio = svg2 as f64 / svg1 as f64;
    assert!((1.8..2.3).contains(&ratio), "{svg1} → {svg2} bytes");
    assert!(
        t2 < Duration::from_secs(20),
        "{t1:?} for 2,000 stages, {t2:?} for 4,000"
    );
}

/// `d` diamonds in a row: `s_i` leads to `a_i` and `b_i`, both lead to `s_(i+1)`.
fn diamonds_sop(d: usize) -> String {
    let mut text = String::from(
        "sop s { review weekly owner r }\nrole r { responsibilities \"x\" }\n\
         training t { for r }\nfeedback f { cadence weekly owner r }\npipeline p {\n",
    );
    for i in 0..d {
        let next = if i + 1 < d {
            format!("s{}", i + 1)
        } else {
            "end".to_string()
        };
        writeln!(
            text,
            "stage s{i} {{ owner r exit \"x\" -> a{i} when \"a\" -> b{i} when \"b\" }}\n\
             stage a{i} {{ owner r exit \"x\" -> {next} }}\nstage b{i} {{ owner r exit \"x\" -> {next} }}"
        )
        .unwrap();
    }
    text.push_str("stage end { terminal }\n}\n");
    text
}

/// The `y` of the box of stage `id` of pipeline `p` in an SVG diagram.
fn box_y(svg: &str, id: &str) -> String {
    let at = svg
        .find(&format!("<title>p.{id}</title><rect "))
        .expect("the stage's box");
    let y = svg[at..].find(" y=\"").expect("its y") + at + 4;
    svg[y..y + svg[y..].find('"').unwrap()].to_string()
}

#[test]
fn up_to_300_stages_the_diagram_stays_layered() {
    // 271 stages: the two sides of a diamond side by side, in one layer.
    let doc = view(&diamonds_sop(90));
    let started = Instant::now();
    let svg = sopc::render::svg::pipeline(&doc.pipelines[0], 1);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(box_y(&svg, "a45"), box_y(&svg, "b45"));
    // 331 stages: one column, every stage under the one before.
    let doc = view(&diamonds_sop(110));
    let svg = sopc::render::svg::pipeline(&doc.pipelines[0], 1);
    assert_ne!(box_y(&svg, "a45"), box_y(&svg, "b45"));
    assert_eq!(
        svg.matches("<g class=\"node").count(),
        331 + 1,
        "the stages and their group"
    );
}

#[test]
fn the_handbook_and_checklists_of_a_huge_pipeline_render_in_linear_time() {
    // Each checklist is a template rendered with the whole document: the document is made a
    // template value once, not once per checklist (stages² work).
    let templates = sopc::render::Templates::embedded();
    let time = |k: usize| {
        let doc = view(&tangled_sop(k));
        let started = Instant::now();
        let out = sopc::render::render_document(&doc, "big", &templates).expect("renders");
        assert!(out.len() > 2 * k);
        started.elapsed()
    };
    let t1 = time(500);
    let t2 = time(1_500);
    assert!(t2 < Duration::from_secs(60), "{t2:?}");
    // Three times the stages: far less than nine times the time.
    assert!(
        t2.as_secs_f64() < 6.0 * t1.as_secs_f64() + 1.0,
        "{t1:?} for 500 stages, {t2:?} for 1,500"
    );
}

#[test]
fn a_200000_event_case_over_a_3000_stage_chain_is_audited_quickly() {
    let (k, n) = (3_000, 200_000);
    let p = Project::new()
        .file("chain.sop", &chain_sop(k))
        .file("log.csv", &walking_log(k, n));
    let started = Instant::now();
    p.run(&[
        "audit",
        "chain.sop",
        "log.csv",
        "--format",
        "json",
        "--cases",
        "none",
    ]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "{took:?}");
}

#[test]
fn per_day_kpis_over_eight_thousand_years_are_quick_and_small() {
    let mut sop = chain_sop(3);
    sop.push_str(
        "kpi a { kind quantitative unit deals target >= 1 per day stage end owner r }\n\
         kpi b { kind quantitative unit CNY target >= 1 per day stage end owner r }\n\
         kpi c { kind quantitative target >= 50% per day stage end owner r }\n",
    );
    sop = sop.replace(
        "feedback f { cadence weekly owner r }",
        "feedback f { cadence weekly owner r with r covers a, b, c }",
    );
    let log = "case_id,stage,timestamp,amount\n\
               A,s0,0001-01-01,1\nA,s1,0001-01-02,1\nA,s2,0001-01-03,1\nA,end,0001-01-04,1\n\
               B,s0,2026-03-01,2\nB,s1,2026-03-01,2\n\
               C,s0,9999-12-31,3\n";
    let p = Project::new().file("s.sop", &sop).file("log.csv", log);
    let started = Instant::now();
    let run = p.run(&["audit", "s.sop", "log.csv", "--format", "json"]);
    let took = started.elapsed();
    assert!(run.stdout.len() < 1_000_000, "{} bytes", run.stdout.len());
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[cfg(unix)]
#[test]
fn a_30000_stage_pipeline_is_audited_without_a_stages_squared_table() {
    // Tables of every (stage, stage) pair, for "is b reachable from a", would take 1.8 GB.
    let k = 30_000;
    let log = format!(
        "case_id,stage,timestamp\nA,s0,2026-03-01\nA,s5,2026-03-02\nA,s3,2026-03-03\n\
         B,s{},2026-03-01\nB,s7,2026-03-02\nB,end,2026-03-03\n",
        k - 1
    );
    let p = Project::new()
        .file("chain.sop", &chain_sop(k))
        .file("log.csv", &log);
    let started = Instant::now();
    let Some(out) = audit_in_1_gb(p.path(), "chain.sop log.csv --format json") else {
        return;
    };
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(60), "{took:?}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let kinds: Vec<(String, String, String)> = r["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("kind"))
        })
        .collect();
    let t = |a: &str, b: &str, kind: &str| (a.to_string(), b.to_string(), kind.to_string());
    assert_eq!(
        kinds,
        [
            t("s0", "s5", "skip"),
            t("s5", "s3", "backward"),
            t("s7", "end", "skip"),
            t(&format!("s{}", k - 1), "s7", "backward"),
        ]
    );
}
