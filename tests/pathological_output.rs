//! Human output of many findings in one large file: each finding costs the few lines it shows,
//! not a pass over the file, so thousands of findings print in seconds.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::support::Project;

/// Far above what printing takes (well under a second for each of these in a release build),
/// far below the minutes it took when each finding read the file from its start.
const LIMIT: Duration = Duration::from_secs(20);

const HEAD: &str = "sop s { owner r review weekly }\nrole r { responsibilities \"x\" }\n\
                    training t { for r }\nfeedback f { cadence weekly owner r }\n";

/// Runs `sopc check` on `text` in `format`; the output and how long the run took.
fn timed(p: &Project, format: &str) -> (String, Duration) {
    let start = Instant::now();
    let run = p.run_any(&["check", "big.sop", "--format", format]);
    let took = start.elapsed();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (run.stdout, took)
}

/// `text` padded at the front to `size` bytes with comment lines, so that every finding sits
/// behind megabytes of text.
fn padded(size: usize, text: &str) -> String {
    let line = "# padding, as in a long handbook source with many comments in it\n";
    let mut out = String::from(HEAD);
    out.push_str(&line.repeat(size / line.len()));
    out.push_str(text);
    out
}

/// How long printing the findings of `text` takes: the human run less the JSON run.
fn printing_time(text: &str, finding: &str, count: usize) -> Duration {
    let p = Project::new().file("big.sop", text);
    let (json, json_took) = timed(&p, "json");
    let rule = format!("\"rule\":\"{finding}\"");
    assert_eq!(json.matches(&rule).count(), count);
    let (human, human_took) = timed(&p, "human");
    assert_eq!(human.lines().filter(|l| *l == finding).count(), count);
    human_took.saturating_sub(json_took)
}

#[test]
fn eight_thousand_infos_in_half_a_megabyte() {
    let mut text = String::from(HEAD);
    for i in 0..8_000 {
        writeln!(
            text,
            "kpi k{i} {{ kind quantitative target >= 1 owner r }} # {i:040}"
        )
        .unwrap();
    }
    while text.len() < 500_000 {
        text.push_str("# padding to half a megabyte, as in a long handbook source\n");
    }
    let p = Project::new().file("big.sop", &text);
    let (out, took) = timed(&p, "human");
    assert_eq!(
        out.lines().filter(|l| *l == "unused-definition").count(),
        8_000
    );
    assert!(took < LIMIT, "took {took:?}");
}

#[test]
fn five_thousand_undefined_owners_behind_two_megabytes() {
    let mut text = String::new();
    for i in 0..5_000 {
        writeln!(
            text,
            "kpi k{i} {{ kind quantitative target >= 1 owner nobody{i} }}"
        )
        .unwrap();
    }
    let took = printing_time(&padded(2_000_000, &text), "undefined-reference", 5_000);
    assert!(took < LIMIT, "printing took {took:?}");
}

#[test]
fn ten_thousand_unused_suppressions_behind_two_megabytes() {
    let text = "# sopc: allow(stage-without-owner) -- nothing here to silence\n".repeat(10_000);
    let took = printing_time(&padded(2_000_000, &text), "unused-suppression", 10_000);
    assert!(took < LIMIT, "printing took {took:?}");
}
