//! Hostile logs and SOPs: a case far longer than the pipeline under a memory limit, dates from
//! year 1 to 9999, amounts too large to hold, an `sla` too long to count, a log of a million
//! columns and a closed standard input.

use std::fmt::Write as _;

use serde_json::Value;

use super::{DEMO_SOP, audit_json, project};
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
/// Runs `sopc audit ARGS` in `dir` under a 1 GB address-space limit (`ulimit -v`); `None`, after
/// saying so, where the shell cannot set one.
pub fn audit_in_1_gb(dir: &std::path::Path, args: &str) -> Option<std::process::Output> {
    let sopc = env!("CARGO_BIN_EXE_sopc");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000 || exit 77; exec '{sopc}' audit {args}"
        ))
        .current_dir(dir)
        .output()
        .expect("sh runs");
    if out.status.code() == Some(77) {
        eprintln!("skipped: `ulimit -v` is not available here");
        return None;
    }
    Some(out)
}

#[test]
fn a_long_case_over_a_long_chain_is_aligned_in_little_memory() {
    // Holding every (event, stage) state would take 200,000 × 3,001 × 8 bytes = 4.8 GB.
    let (k, n) = (3_000, 200_000);
    let p = Project::new()
        .file("chain.sop", &chain_sop(k))
        .file("log.csv", &walking_log(k, n));
    let Some(out) = audit_in_1_gb(p.path(), "chain.sop log.csv --format json --cases none") else {
        return;
    };
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

#[test]
fn kpi_periods_from_year_1_to_9999_are_bounded() {
    // CRMs write 9999-12-31 for "never"; three `per day`/`per week`/`per month` kpis over eight
    // thousand years would list millions of empty periods.
    let log = "case_id,stage,timestamp,amount\n\
               A,lead,0001-01-01,10\nA,won,0001-01-01T01:00,10\n\
               B,lead,2026-03-02,20\nB,qualify,2026-03-02T01:00,20\nB,propose,2026-03-02T02:00,20\nB,won,2026-03-02T03:00,20\n\
               C,lead,9999-12-31,30\nC,won,9999-12-31T01:00,30\n";
    let sop = DEMO_SOP
        .replace("per month", "per day")
        .replace("target >= 25%", "target >= 25% per day");
    let p = Project::new().file("demo.sop", &sop).file("log.csv", log);
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.len() < 1_000_000, "{} bytes", run.stdout.len());
    let r = run.json();
    let kpis = r["kpis"].as_array().unwrap();
    let periods = |id: &str| -> Vec<Value> {
        kpis.iter().find(|k| k["id"] == id).unwrap()["periods"]
            .as_array()
            .unwrap()
            .clone()
    };
    let revenue = periods("revenue");
    // The first 1,000 days one by one, then the days with an entry one by one, and each run of
    // days without one as a single `FIRST/LAST` element.
    assert_eq!(revenue.len(), 1_000 + 4, "{:?}", &revenue[995..]);
    assert_eq!(revenue[0]["period"], "0001-01-01");
    assert_eq!(revenue[0]["value"], 10.0);
    assert_eq!(revenue[999]["period"], "0003-09-27");
    assert_eq!(revenue[1000]["period"], "0003-09-28/2026-03-01");
    assert_eq!(revenue[1000]["value"], 0.0);
    assert_eq!(revenue[1000]["met"], false);
    assert_eq!(revenue[1001]["period"], "2026-03-02");
    assert_eq!(revenue[1001]["value"], 20.0);
    assert_eq!(revenue[1002]["period"], "2026-03-03/9999-12-30");
    assert_eq!(revenue[1003]["period"], "9999-12-31");
    assert_eq!(revenue[1003]["value"], 30.0);
    let weeks = periods("deals_won");
    assert_eq!(weeks[1000]["period"], "0020-W10/2026-W09");
    assert_eq!(weeks[1000]["value"], 0);
    assert_eq!(weeks[1001]["period"], "2026-W10");
    assert_eq!(weeks[1001]["value"], 1);
    // A conversion per cohort: a summarised run has no cases, so no value either.
    let win_rate = periods("win_rate");
    assert_eq!(win_rate.len(), 1_004);
    assert_eq!(win_rate[1000]["value"], Value::Null);
    assert_eq!(win_rate[1000]["denominator"], 0);
    assert_eq!(win_rate[1001]["value"], 100.0);
}

#[test]
fn amounts_too_large_to_hold_are_refused_with_a_warning() {
    let huge = "9".repeat(401);
    let log = format!(
        "case_id,stage,timestamp,amount\n\
         A,lead,2026-03-02,\nA,qualify,2026-03-02T01:00,\nA,propose,2026-03-02T02:00,\n\
         A,won,2026-03-02T03:00,{huge}\n\
         B,lead,2026-03-02,\nB,qualify,2026-03-02T01:00,\nB,propose,2026-03-02T02:00,\n\
         B,won,2026-03-02T03:00,1000000000000000\n\
         C,lead,2026-03-02,\nC,qualify,2026-03-02T01:00,\nC,propose,2026-03-02T02:00,\n\
         C,won,2026-03-02T03:00,999999999999999\n"
    );
    let p = project("log.csv", &log);
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    let warnings: Vec<(u64, &str)> = r["row_warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["line"].as_u64().unwrap(), w["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(warnings, [(5, "bad-amount"), (9, "bad-amount")]);
    assert_eq!(r["row_warnings"][0]["value"], huge.as_str());
    let revenue = r["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "revenue")
        .unwrap();
    assert_eq!(revenue["missing_amount"], 2);
    assert_eq!(revenue["periods"][0]["value"], 999_999_999_999_999.0);
    assert_eq!(revenue["periods"][0]["met"], true);
}

#[test]
fn an_sla_too_long_to_count_in_seconds_stops_the_audit() {
    // 18446744073709551615 minutes fits in 64 bits; in seconds it does not.
    let sop = DEMO_SOP.replace("sla 2d", "sla 18446744073709551615m");
    let p = Project::new()
        .file("demo.sop", &sop)
        .file("log.csv", "case_id,stage,timestamp\nA,lead,2026-03-01\n");
    let run = audit_json(&p, "log.csv", &[]);
    if run.code == 2 && run.stderr.contains("invalid-value") {
        // `sopc check` refuses it already: the audit does not run either.
        return;
    }
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "demo.sop:24: the `sla 18446744073709551615m` of stage `qualify` is too long to count \
             in seconds; give a shorter sla"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_missing_column_names_a_few_columns_and_counts_the_rest() {
    let header: Vec<String> = (0..1_000_000).map(|i| format!("column_{i}")).collect();
    let mut log = header.join(",");
    log.push('\n');
    let p = project("log.csv", &log);
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.len() < 1_000, "{} bytes", run.stderr.len());
    assert!(
        run.stderr.contains(
            "found: `column_0`, `column_1`, `column_2`, `column_3`, `column_4`, `column_5`, \
             `column_6`, `column_7`, `column_8`, `column_9` and 999990 more (1000000 columns in all)"
        ),
        "{}",
        run.stderr
    );
    // A long name is cut too.
    let p = project("log.csv", &format!("{}\n", "x".repeat(100_000)));
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(&format!("found: `{}…`", "x".repeat(40))),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_closed_standard_input_is_exit_2_and_an_empty_one_an_empty_audit() {
    let p = Project::new().file("demo.sop", DEMO_SOP);
    let sopc = env!("CARGO_BIN_EXE_sopc");
    for redirect in ["<&-", "</dev/null"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "exec '{sopc}' audit demo.sop - --format json {redirect}"
            ))
            .current_dir(p.path())
            .output()
            .expect("sh runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{redirect}: {stderr}");
        assert!(
            stderr.contains(
                "error: standard input is closed (or `/dev/null`), so there is no log to read"
            ),
            "{redirect}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    // An open pipe with nothing in it is an empty log: a valid audit of zero cases.
    let out = assert_cmd::Command::new(sopc)
        .args(["audit", "demo.sop", "-", "--format", "json"])
        .current_dir(p.path())
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["log"]["cases"], 0);
}
