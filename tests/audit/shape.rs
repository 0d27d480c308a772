//! The JSON output pinned by a mirror of the contract's shape (§5) that denies unknown fields;
//! the extra keys sopc adds (`title`, `case_id` and `fields` on rejected rows) are listed here
//! on purpose.

#![allow(
    dead_code,
    reason = "the mirror names every key of the contract; a test reads only some"
)]

use std::collections::BTreeMap;

use serde::Deserialize;

use super::figures::LOG;
use super::{audit_json, project};
use crate::support::{repo, run_in};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    schema_version: u32,
    sop: String,
    pipeline: String,
    log: Log,
    rejected_rows: Vec<Rejected>,
    row_warnings: Vec<Warning>,
    dropped_rows: Vec<Dropped>,
    stages: Vec<Stage>,
    never_visited: Vec<String>,
    start_stages: BTreeMap<String, u64>,
    end_stages: BTreeMap<String, u64>,
    transitions: Vec<Transition>,
    deviations: Deviations,
    open_cases: OpenCases,
    fitness: Fitness,
    kpis: Vec<Kpi>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Log {
    file: String,
    rows: u64,
    rejected: u64,
    dropped: u64,
    events: u64,
    cases: u64,
    first: Option<String>,
    last: Option<String>,
    as_of: Option<String>,
    out_of_order_cases: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rejected {
    line: u64,
    reason: String,
    value: Option<String>,
    case_id: Option<String>,
    fields: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Warning {
    line: u64,
    reason: String,
    value: String,
    case_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dropped {
    line: u64,
    reason: String,
    case_id: String,
    kept_line: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stage {
    id: String,
    title: String,
    known: bool,
    terminal: bool,
    sla_s: Option<u64>,
    entries: u64,
    cases: u64,
    ended_here: u64,
    next: BTreeMap<String, u64>,
    conversion: BTreeMap<String, f64>,
    dwell: Dwell,
    sla_breaches: Option<u64>,
    sla_breach_rate: Option<f64>,
    open: u64,
    open_overdue: Option<u64>,
    #[serde(default)]
    did_you_mean: Option<String>,
    // Version 1.1: who handled the stage (`roles`, `actors` only with such a column).
    #[serde(default)]
    roles: Option<BTreeMap<String, u64>>,
    #[serde(default)]
    actors: Option<BTreeMap<String, u64>>,
    owner_mismatch: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dwell {
    completed: u64,
    median_s: Option<f64>,
    p90_s: Option<f64>,
    max_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Transition {
    from: String,
    to: String,
    count: u64,
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Disallowed {
    from: String,
    to: String,
    count: u64,
    kind: String,
    cases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Deviations {
    disallowed_transitions: Vec<Disallowed>,
    cases_with_disallowed_transition: u64,
    bad_starts: BTreeMap<String, u64>,
    cases_with_bad_start: u64,
    unknown_stages: BTreeMap<String, Unknown>,
    deviating_cases: u64,
    owner_mismatch: Vec<OwnerMismatch>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerMismatch {
    stage: String,
    role: String,
    events: u64,
    cases: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Unknown {
    events: u64,
    cases: u64,
    did_you_mean: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenCases {
    count: u64,
    overdue: u64,
    by_stage: BTreeMap<String, u64>,
    cases: Vec<OpenCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenCase {
    case_id: String,
    stage: String,
    since: String,
    age_s: f64,
    overdue: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fitness {
    alignment: Alignment,
    token_replay: TokenReplay,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Alignment {
    log_fitness: Option<f64>,
    mean_case_fitness: Option<f64>,
    fitting_cases: u64,
    closed_cases: u64,
    closed_log_fitness: Option<f64>,
    shortest_complete_path: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenReplay {
    log_fitness: Option<f64>,
    mean_case_fitness: Option<f64>,
    fitting_cases: u64,
    missing: u64,
    consumed: u64,
    remaining: u64,
    produced: u64,
}

/// The three forms of a kpi in one struct: the keys of the other forms are absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kpi {
    id: String,
    stage: Option<String>,
    computable: bool,
    reason: Option<String>,
    measure: Option<String>,
    method: String,
    unit: Option<String>,
    target: Option<String>,
    missing_amount: Option<u64>,
    target_s: Option<f64>,
    value: Option<serde_json::Number>,
    numerator: Option<u64>,
    denominator: Option<u64>,
    periods: Option<Vec<Period>>,
    met: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Period {
    period: String,
    value: Option<serde_json::Number>,
    numerator: Option<u64>,
    denominator: Option<u64>,
    met: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    case_id: String,
    events: u64,
    first: String,
    last: String,
    closed: bool,
    alignment_fitness: Option<f64>,
    alignment_cost: Option<u64>,
    token_replay_fitness: f64,
    deviations: Vec<CaseDeviation>,
    sla_breaches: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDeviation {
    from: Option<String>,
    to: String,
    kind: String,
}

fn parse(stdout: &str) -> Output {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn hand_checked_log_matches_the_shape() {
    let p = project("log.csv", LOG);
    let out = parse(&audit_json(&p, "log.csv", &[]).stdout);
    assert_eq!(out.schema_version, 1);
    assert_eq!(
        (out.sop.as_str(), out.pipeline.as_str()),
        ("demo.sop", "sales")
    );
    assert_eq!(
        out.log.rows,
        out.log.rejected + out.log.dropped + out.log.events
    );
    assert_eq!(out.rejected_rows.len() as u64, out.log.rejected);
    assert_eq!(out.dropped_rows.len() as u64, out.log.dropped);
    assert!(out.row_warnings.iter().all(|w| w.reason == "bad-amount"));
    let entries: u64 = out.stages.iter().map(|s| s.entries).sum();
    assert_eq!(entries, out.log.events);
    let counted: u64 = out.transitions.iter().map(|t| t.count).sum();
    assert_eq!(
        counted,
        out.log.events - out.log.cases,
        "one transition per event but the first"
    );
    assert!(
        out.stages
            .iter()
            .all(|s| s.next.len() == s.conversion.len())
    );
    assert!(
        out.stages
            .iter()
            .all(|s| s.dwell.completed == s.entries - s.ended_here)
    );
    assert_eq!(out.open_cases.cases.len() as u64, out.open_cases.count);
    assert_eq!(out.cases.len() as u64, out.log.cases);
    let starts: u64 = out.start_stages.values().sum();
    let ends: u64 = out.end_stages.values().sum();
    assert_eq!((starts, ends), (out.log.cases, out.log.cases));
    let _ = (&out.deviations, &out.fitness, &out.kpis, &out.never_visited);
    let _ = out
        .cases
        .iter()
        .map(|c| (&c.first, &c.last, c.closed, &c.deviations));
}

#[test]
fn example_log_matches_the_shape_and_checks_its_invariants() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "examples/sales/sales.sop",
            "examples/sales/deals.csv",
            "--format",
            "json",
        ],
    );
    let out = parse(&run.stdout);
    assert!(out.log.rejected > 0 && out.log.dropped > 0 && !out.row_warnings.is_empty());
    assert!(out.log.out_of_order_cases > 0);
    assert!(!out.deviations.unknown_stages.is_empty());
    for s in &out.stages {
        if s.entries > 0 {
            let sum: f64 =
                s.conversion.values().sum::<f64>() + s.ended_here as f64 / s.entries as f64;
            assert!((sum - 1.0).abs() < 1e-5, "{}: {sum}", s.id);
        }
    }
    // Every case in the per-case list also appears in the counts.
    let deviating = out
        .cases
        .iter()
        .filter(|c| !c.deviations.is_empty())
        .count() as u64;
    assert_eq!(deviating, out.deviations.deviating_cases);
}

#[test]
fn example_human_report_reads_in_chinese() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "examples/sales/sales.sop",
            "examples/sales/deals.csv",
        ],
    );
    for expected in [
        "执行审计 sales_process (销售流程)",
        "阶段",
        "拟合度",
        "指标",
        "是否应为 `negotiation`?",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing {expected:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn docs_worked_example_is_what_sopc_prints() {
    let doc = std::fs::read_to_string(repo().join("docs/audit.md")).unwrap();
    let command = "$ sopc audit examples/sales/sales.sop examples/sales/deals.csv\n";
    let start = doc.find(command).expect("the worked example") + command.len();
    let end = start + doc[start..].find("```").unwrap();
    let run = run_in(
        &repo(),
        &[
            "audit",
            "examples/sales/sales.sop",
            "examples/sales/deals.csv",
        ],
    );
    assert_eq!(run.stdout, &doc[start..end], "docs/audit.md is out of date");
}
