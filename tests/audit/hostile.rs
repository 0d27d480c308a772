//! Hostile logs and SOPs: a case far longer than the pipeline under a memory limit, dates from
//! year 1 to 9999, amounts too large to hold, an `sla` too long to count, a log of a million
//! columns and a closed standard input.

use std::fmt::Write as _;

use serde_json::Value;

use crate::support::Project;

/// A pipeline `s0 -> s1 -> … -> s(k-1) -> end`.
pub fn chain_sop(k: usize) -> String {
    let mut text = String::from(
        "sop s { review weekly owner r }\nrole r { responsibilities \"x\" }\n\
         training t { for r }\nfeedback f { cadence weekly owner r }\npipeline p {\n",
    );
    for i in 0..k {
        let next = if i + 1 < k {
            format!("s{}", i + 1)
        } else {
            "end".to_string()
        };
        writeln!(
            text,
            "stage s{i} {{ owner r exit \"x\" -> {next} when \"a\" }}"
        )
        .unwrap();
    }
    text.push_str("stage end { terminal }\n}\n");
    text
}

/// One case `A` walking the chain of `k` stages round and round, `n` events a second apart.
pub fn walking_log(k: usize, n: usize) -> String {
    let mut log = String::from("case_id,stage,timestamp\n");
    for i in 0..n {
        let (d, r) = (i / 86_400, i % 86_400);
        writeln!(
            log,
            "A,s{},2026-03-{:02}T{:02}:{:02}:{:02}Z",
            i % k,
            1 + d,
            r / 3600,
            r / 60 % 60,
            r % 60
        )
        .unwrap();
    }
    log
}

#[cfg(unix)]
#[test]
fn a_long_case_over_a_long_chain_is_aligned_in_little_memory() {
    // Holding every (event, stage) state would take 200,000 × 3,001 × 8 bytes = 4.8 GB.
    let (k, n) = (3_000, 200_000);
    let p = Project::new()
        .file("chain.sop", &chain_sop(k))
        .file("log.csv", &walking_log(k, n));
    let sopc = env!("CARGO_BIN_EXE_sopc");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000 || exit 77; exec '{sopc}' audit chain.sop log.csv --format json --cases none"
        ))
        .current_dir(p.path())
        .output()
        .expect("sh runs");
    if out.status.code() == Some(77) {
        eprintln!("skipped: `ulimit -v` is not available here");
        return;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let a = &r["fitness"]["alignment"];
    assert_eq!(a["shortest_complete_path"], 3_001);
    // The case walks the chain 66 times and a bit: the best alignment keeps one full pass
    // (3,000 synchronous moves), deletes the other 197,000 events and adds `end`.
    // D = 197,000 + 1 over n + L = 203,001.
    let expected = 1.0 - 197_001.0 / 203_001.0;
    let fitness = a["log_fitness"].as_f64().expect("a number");
    assert!((fitness - expected).abs() < 1e-6, "{fitness} vs {expected}");
}
