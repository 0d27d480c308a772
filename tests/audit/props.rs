//! Properties over generated logs, through the library (no process per case).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use sopc::audit::report::Report;
use sopc::audit::{AuditInput, InputFormat, ReadOptions, TransitionKind, audit};
use sopc::driver::{CheckOptions, CheckOutcome, check_paths};

use super::DEMO_SOP;

/// The demo SOP, checked and modelled (the temporary folder lives as long as the outcome).
fn demo() -> (tempfile::TempDir, CheckOutcome) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sop");
    std::fs::write(&path, DEMO_SOP).unwrap();
    let options = CheckOptions {
        keep_models: true,
        ..CheckOptions::default()
    };
    let outcome = check_paths(&[path], &options).unwrap_or_else(|_| panic!("demo.sop exists"));
    (dir, outcome)
}

fn run(outcome: &CheckOutcome, data: Vec<u8>, format: InputFormat) -> Option<Report> {
    let input = AuditInput {
        model: &outcome.models[0],
        db: &outcome.db,
        pipeline: 0,
        sop_name: "demo.sop".into(),
        log_name: "log".into(),
        data,
        read: ReadOptions::new(format),
        stage_map: None,
        as_of: None,
    };
    audit(input).ok()
}

const VALUES: [&str; 10] = [
    "lead",
    "线索",
    "nurture",
    "qualify",
    "客户筛选",
    "propose",
    "won",
    "lost",
    "Qualify",
    "xyz",
];

/// Rows of (case, stage value, minutes after the start), in any order.
fn any_log() -> impl Strategy<Value = Vec<(u8, usize, u32)>> {
    prop::collection::vec((0u8..6, 0..VALUES.len(), 0u32..20_000), 1..60)
}

fn csv(rows: &[(u8, usize, u32)]) -> Vec<u8> {
    let mut text = String::from("case_id,stage,timestamp\n");
    for &(case, stage, minutes) in rows {
        let (d, h, m) = (1 + minutes / 1440, minutes / 60 % 24, minutes % 60);
        text.push_str(&format!(
            "C{case},{},2026-03-{d:02}T{h:02}:{m:02}:00Z\n",
            VALUES[stage]
        ));
    }
    text.into_bytes()
}

#[test]
fn conversion_rows_sum_to_one_with_ended_here() {
    let (_dir, outcome) = demo();
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&any_log(), |rows| {
            let Some(report) = run(&outcome, csv(&rows), InputFormat::Csv) else {
                // Only a log none of whose stages is the SOP's cannot be audited.
                let unknown =
                    |&(_, v, _): &(u8, usize, u32)| matches!(VALUES[v], "Qualify" | "xyz");
                prop_assert!(rows.iter().all(unknown), "no audit of {rows:?}");
                return Ok(());
            };
            for s in &report.stages {
                if s.entries == 0 {
                    prop_assert!(s.next.0.is_empty());
                    continue;
                }
                let sum: f64 = s.conversion.0.iter().map(|(_, c)| c).sum::<f64>()
                    + s.ended_here as f64 / s.entries as f64;
                prop_assert!((sum - 1.0).abs() < 1e-5, "{}: {}", s.id, sum);
                let next: u64 = s.next.0.iter().map(|(_, n)| n).sum();
                prop_assert_eq!(next + s.ended_here, s.entries);
            }
            let a = &report.fitness.alignment;
            prop_assert!(a.log_fitness.is_some_and(|f| (0.0..=1.0).contains(&f)));
            let t = &report.fitness.token_replay;
            prop_assert!(t.log_fitness.is_some_and(|f| (0.0..=1.0).contains(&f)));
            Ok(())
        })
        .unwrap();
}

/// The demo SOP's successors, and a way from each stage to `lost`.
fn successors(stage: &str) -> &'static [&'static str] {
    match stage {
        "lead" => &["qualify", "nurture"],
        "nurture" => &["qualify"],
        "qualify" => &["propose", "lost"],
        "propose" => &["won", "lost", "qualify"],
        _ => &[],
    }
}

/// A complete path of the SOP: start at `lead`, follow the choices, end at a terminal stage.
fn walk(choices: &[u8]) -> Vec<&'static str> {
    let mut path = vec!["lead"];
    let mut stage = "lead";
    for (step, &c) in choices.iter().enumerate() {
        let next = successors(stage);
        if next.is_empty() {
            return path;
        }
        // After a while, head for `lost` (every non-terminal stage but `lead` and `nurture`
        // goes there directly).
        stage = if step > 8 && next.contains(&"lost") {
            "lost"
        } else {
            next[c as usize % next.len()]
        };
        path.push(stage);
    }
    while !successors(stage).is_empty() {
        stage = if successors(stage).contains(&"lost") {
            "lost"
        } else {
            "qualify"
        };
        path.push(stage);
    }
    path
}

#[test]
fn logs_replayed_from_the_sops_paths_fit_perfectly() {
    let (_dir, outcome) = demo();
    let strategy = prop::collection::vec(
        (
            prop::collection::vec(any::<u8>(), 0..14),
            prop::collection::vec(1u32..2000, 20),
            any::<bool>(),
        ),
        1..12,
    );
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&strategy, |cases| {
            let mut text = String::from("case_id,stage,timestamp\n");
            for (i, (choices, gaps, titles)) in cases.iter().enumerate() {
                let mut minutes = 0;
                for (j, stage) in walk(choices).into_iter().enumerate() {
                    // At most 17 stages of at most 2000 minutes: within January.
                    minutes += gaps[j % gaps.len()];
                    let value = match (titles, stage) {
                        (true, "lead") => "线索",
                        (true, "qualify") => "客户筛选",
                        _ => stage,
                    };
                    let (d, h, m) = (1 + minutes / 1440, minutes / 60 % 24, minutes % 60);
                    text.push_str(&format!("K{i},{value},2026-01-{d:02}T{h:02}:{m:02}Z\n"));
                }
            }
            let report = run(&outcome, text.into_bytes(), InputFormat::Csv).expect("an audit");
            prop_assert_eq!(report.fitness.alignment.log_fitness, Some(1.0));
            prop_assert_eq!(report.fitness.token_replay.log_fitness, Some(1.0));
            prop_assert_eq!(report.fitness.alignment.fitting_cases, report.log.cases);
            prop_assert_eq!(report.deviations.deviating_cases, 0);
            prop_assert!(
                report
                    .transitions
                    .iter()
                    .all(|t| t.kind == TransitionKind::Allowed)
            );
            prop_assert_eq!(report.log.dropped, 0);
            Ok(())
        })
        .unwrap();
}

#[test]
fn no_input_panics() {
    let (_dir, outcome) = demo();
    let bytes = prop::collection::vec(
        prop_oneof![
            Just(b','),
            Just(b'"'),
            Just(b'\n'),
            Just(b'\r'),
            Just(b'{'),
            Just(b'}'),
            Just(b':'),
            any::<u8>(),
        ],
        0..200,
    );
    let mut runner = TestRunner::new(Config::with_cases(256));
    runner
        .run(&(bytes, any::<bool>()), |(tail, jsonl)| {
            let (head, format): (&[u8], _) = if jsonl {
                (
                    b"{\"case_id\":\"a\",\"stage\":\"lead\",\"timestamp\":\"2026-03-01\"}\n",
                    InputFormat::Jsonl,
                )
            } else {
                (b"case_id,stage,timestamp,amount\n", InputFormat::Csv)
            };
            let mut data = head.to_vec();
            data.extend_from_slice(&tail);
            if let Some(report) = run(&outcome, data, format) {
                prop_assert_eq!(
                    report.log.rows,
                    report.log.rejected + report.log.dropped + report.log.events
                );
            }
            Ok(())
        })
        .unwrap();
}
