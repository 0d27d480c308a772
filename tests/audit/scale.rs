//! `sopc audit` on logs of many chunks (read in pieces, on several threads) and on a long case
//! over a large pipeline.

use super::{audit_json, project};
use crate::support::Project;

/// A log of `cases` cases of four rows each (lead, qualify, propose, won), a quoted note with a
/// line break in every row, and a row without a timestamp every 1,000 cases: several of the
/// chunks a log is read in.
fn big_log(cases: usize) -> (String, Vec<u64>) {
    let mut log = String::from("case_id,stage,timestamp,note\r\n");
    let mut line = 2u64;
    let mut rejected = Vec::new();
    for c in 0..cases {
        for (s, stage) in ["线索", "qualify", "propose", "won"].iter().enumerate() {
            let day = 1 + (c % 27);
            log.push_str(&format!(
                "客户{c:06},{stage},2026-03-{day:02}T{:02}:00:00+08:00,\"第{s}步\r\n备注 \"\"{c}\"\"\"\r\n",
                9 + s
            ));
            line += 2;
        }
        if c % 1000 == 999 {
            log.push_str(&format!("客户{c:06},won,,\"\"\r\n"));
            rejected.push(line);
            line += 1;
        }
    }
    (log, rejected)
}

#[test]
fn a_log_of_many_chunks_keeps_every_row_and_line() {
    let cases = 40_000;
    let (log, rejected) = big_log(cases);
    assert!(
        log.len() > 2 * (4 << 20),
        "several chunks: {} bytes",
        log.len()
    );
    let p = project("big.csv", &log);
    let run = audit_json(&p, "big.csv", &["--cases", "none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let log_summary = &json["log"];
    assert_eq!(log_summary["rows"], (cases * 4 + rejected.len()) as u64);
    assert_eq!(log_summary["events"], (cases * 4) as u64);
    assert_eq!(log_summary["cases"], cases as u64);
    assert_eq!(log_summary["rejected"], rejected.len() as u64);
    let lines: Vec<u64> = json["rejected_rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{json}"))
        .iter()
        .map(|r| r["line"].as_u64().unwrap_or_default())
        .collect();
    assert_eq!(lines, rejected);
    assert!(
        json["rejected_rows"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["reason"] == "missing-timestamp")
    );
    assert_eq!(json["fitness"]["alignment"]["fitting_cases"], cases as u64);
}

#[test]
fn a_log_of_many_chunks_reads_the_same_from_standard_input_and_gzipped() {
    use std::io::Write as _;
    let (log, _) = big_log(16_000);
    assert!(
        log.len() > 4 << 20,
        "more than one chunk: {} bytes",
        log.len()
    );
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(log.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let packed = z.finish().unwrap_or_else(|e| panic!("{e}"));
    let p = project("big.csv", &log).bytes("big.csv.gz", &packed);
    let plain = audit_json(&p, "big.csv", &[]);
    let gzipped = audit_json(&p, "big.csv.gz", &[]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let without_file = |mut v: serde_json::Value| {
        v["log"]["file"] = serde_json::Value::Null;
        v
    };
    assert_eq!(without_file(plain.json()), without_file(gzipped.json()));
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_sopc"))
        .args(["audit", "demo.sop", "-", "--format", "json"])
        .current_dir(p.path())
        .stdin(std::fs::File::open(p.path().join("big.csv.gz")).unwrap_or_else(|e| panic!("{e}")))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let piped: serde_json::Value =
        serde_json::from_slice(&piped.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(without_file(plain.json()), without_file(piped));
}

/// A pipeline of `k` stages in a chain, `s0` first and the last one terminal.
fn chain_sop(k: usize) -> String {
    let mut sop = String::from(
        "sop chain \"Chain\" {\n  owner boss\n  review quarterly\n  lang \"en\"\n}\n\n\
         role boss \"Boss\" { responsibilities \"everything\" }\n\npipeline p \"P\" {\n",
    );
    for i in 0..k {
        if i + 1 < k {
            sop.push_str(&format!(
                "  stage s{i} \"S{i}\" {{\n    owner boss\n    exit \"done\"\n    -> s{}\n  }}\n",
                i + 1
            ));
        } else {
            sop.push_str(&format!("  stage s{i} \"S{i}\" {{ terminal }}\n"));
        }
    }
    sop.push_str("}\n");
    sop
}

#[test]
fn a_long_case_over_a_large_pipeline_is_aligned() {
    // 5,000 events walking a 300-stage chain round and round: one pass fits, every other event
    // is a log move. A table of every (event, stage) pair would not be needed to find that.
    let (k, n) = (300usize, 5_000usize);
    let mut log = String::from("case_id,stage,timestamp\n");
    for e in 0..n {
        log.push_str(&format!("long,s{},2026-01-01T00:00:00Z\n", e % k));
    }
    // Equal timestamps keep file order, and no row repeats the stage before it.
    let p = Project::new()
        .file("chain.sop", &chain_sop(k))
        .file("long.csv", &log);
    let run = p.run_any(&[
        "audit",
        "chain.sop",
        "long.csv",
        "--format",
        "json",
        "--cases",
        "all",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["log"]["events"], n as u64);
    let case = &json["cases"][0];
    let cost = (n - k) as u64;
    assert_eq!(case["alignment_cost"], cost);
    let fitness = 1.0 - cost as f64 / (n + k) as f64;
    let got = case["alignment_fitness"].as_f64().unwrap_or_default();
    assert!((got - fitness).abs() < 1e-6, "{got} vs {fitness}");
    assert_eq!(
        json["fitness"]["alignment"]["shortest_complete_path"],
        k as u64
    );
}
