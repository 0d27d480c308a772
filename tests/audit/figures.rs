//! A small log with every kind of deviation and bad row; every figure worked out by hand.

use serde_json::{Value, json};

use super::{audit_json, project};

/// Line numbers are physical: the header is line 1, line 20 is blank.
///
/// After rejection (lines 15–19) and collapsing (8 re-saves 7, 12 duplicates 11) the cases are:
///
/// | case | events (sorted)                                  | note                         |
/// | A    | lead 03-02 00:00, qualify 03-02 12:00, propose 03-04 12:00, won 03-10 12:00 | fits |
/// | B    | lead 03-01, propose 03-03, lost 03-05, propose 03-06 | skip, backward (leaves lost) |
/// | C    | qualify 03-01, Qualify 03-02                     | bad start, unknown stage     |
/// | D    | lead 03-03                                       | open, bad amount             |
/// | F    | lead 03-03 16:00Z (+08:00), qualify 03-05, won 03-06, lost 03-07 | skip, jump   |
/// | G    | lead 03-04, qualify 03-05 (written in the other order) | open, out of order     |
pub const LOG: &str = "\
case_id,stage,timestamp,amount
A,lead,2026-03-02T00:00:00Z,
A,客户筛选,2026-03-02T12:00:00Z,
A,propose,2026-03-04T12:00:00Z,500
A,won,2026-03-10T12:00:00Z,800
B,lead,2026-03-01T00:00:00Z,
B,propose,2026-03-03T00:00:00Z,
B,propose,2026-03-03T01:00:00Z,
B,lost,2026-03-05T00:00:00Z,
B,propose,2026-03-06T00:00:00Z,
C,qualify,2026-03-01T00:00:00Z,
C,qualify,2026-03-01T00:00:00Z,
C,Qualify,2026-03-02T00:00:00Z,
D,lead,2026-03-03T00:00:00Z,abc
D,lead,2026-02-30T00:00:00Z,
,lead,2026-03-01T00:00:00Z,
E,,2026-03-01T00:00:00Z,
E,lead,,
E,lead,2026-03-01T00:00:00Z

F,lead,2026-03-04T00:00:00+08:00,
F,qualify,2026-03-05T00:00:00Z,1000
F,won,2026-03-06T00:00:00Z,
F,lost,2026-03-07T00:00:00Z,
G,qualify,2026-03-05T00:00:00Z,
G,lead,2026-03-04T00:00:00Z,
";

fn report() -> Value {
    let p = project("log.csv", LOG);
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.json()
}

fn stage<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no stage {id}"))
}

fn close(a: &Value, b: f64) {
    let a = a.as_f64().unwrap_or_else(|| panic!("{a} is not a number"));
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

#[test]
fn log_summary_and_row_policy() {
    let r = report();
    // 24 data rows (lines 2–19 and 21–26; the blank line 20 is not a row); 5 rejected; 2
    // dropped; 24 − 5 − 2 = 17 events in cases A, B, C, D, F, G. As of: the latest accepted
    // timestamp, A's `won`.
    assert_eq!(
        r["log"],
        json!({"file": "log.csv", "rows": 24, "rejected": 5, "dropped": 2, "events": 17,
               "cases": 6, "first": "2026-03-01T00:00:00Z", "last": "2026-03-10T12:00:00Z",
               "as_of": "2026-03-10T12:00:00Z", "out_of_order_cases": 1})
    );
    assert_eq!(
        r["rejected_rows"],
        json!([
            {"line": 15, "reason": "bad-timestamp", "value": "2026-02-30T00:00:00Z", "case_id": "D"},
            {"line": 16, "reason": "missing-case-id"},
            {"line": 17, "reason": "missing-stage", "case_id": "E"},
            {"line": 18, "reason": "missing-timestamp", "case_id": "E"},
            {"line": 19, "reason": "field-count", "fields": 3},
        ])
    );
    assert_eq!(
        r["row_warnings"],
        json!([{"line": 14, "reason": "bad-amount", "value": "abc", "case_id": "D"}])
    );
    assert_eq!(
        r["dropped_rows"],
        json!([
            {"line": 8, "reason": "repeated-stage", "case_id": "B", "kept_line": 7},
            {"line": 12, "reason": "duplicate-row", "case_id": "C", "kept_line": 11},
        ])
    );
}

#[test]
fn stage_figures() {
    let r = report();
    let ids: Vec<&str> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    // SOP order, then the unknown stage.
    assert_eq!(
        ids,
        [
            "lead", "nurture", "qualify", "propose", "won", "lost", "Qualify"
        ]
    );
    assert_eq!(r["never_visited"], json!(["nurture"]));

    // lead: entered by A, B, D, F, G; D ended there. Next: qualify (A, F, G), propose (B).
    // Dwell: A 12h = 43200, G 24h = 86400, F 03-03 16:00 → 03-05 = 32h = 115200, B 48h =
    // 172800. Median (86400 + 115200) / 2 = 100800; p90: h = 3 · 0.9 = 2.7 → 115200 + 0.7 ·
    // 57600 = 155520. SLA 1d: 115200 and 172800 breach (G's 86400 is not strictly more).
    // D is open since 03-03, 7d12h before as-of: overdue.
    let lead = stage(&r, "lead");
    assert_eq!(lead["entries"], 5);
    assert_eq!(lead["cases"], 5);
    assert_eq!(lead["ended_here"], 1);
    assert_eq!(lead["next"], json!({"qualify": 3, "propose": 1}));
    assert_eq!(lead["conversion"], json!({"qualify": 0.6, "propose": 0.2}));
    assert_eq!(
        lead["dwell"],
        json!({"completed": 4, "median_s": 100800.0, "p90_s": 155520.0, "max_s": 172800.0})
    );
    assert_eq!(lead["sla_s"], 86400);
    assert_eq!(lead["sla_breaches"], 2);
    assert_eq!(lead["sla_breach_rate"], 0.5);
    assert_eq!(
        (&lead["open"], &lead["open_overdue"]),
        (&json!(1), &json!(1))
    );

    // qualify: A (by its title 客户筛选), C, F, G; G ended there, C went on to `Qualify`.
    // Dwell: C 86400, F 86400, A 172800 → median 86400, p90 86400 + 0.8 · 86400 = 155520.
    // SLA 2d: A's 172800 is not more. G open since 03-05: 5d12h > 2d, overdue.
    let q = stage(&r, "qualify");
    assert_eq!(
        (q["entries"].clone(), q["ended_here"].clone()),
        (json!(4), json!(1))
    );
    assert_eq!(q["next"], json!({"propose": 1, "won": 1, "Qualify": 1}));
    assert_eq!(
        q["conversion"],
        json!({"propose": 0.25, "won": 0.25, "Qualify": 0.25})
    );
    assert_eq!(
        q["dwell"],
        json!({"completed": 3, "median_s": 86400.0, "p90_s": 155520.0, "max_s": 172800.0})
    );
    assert_eq!(
        (q["sla_breaches"].clone(), q["sla_breach_rate"].clone()),
        (json!(0), json!(0.0))
    );
    assert_eq!((&q["open"], &q["open_overdue"]), (&json!(1), &json!(1)));

    // propose: A once, B twice (before and after `lost`): 3 entries in 2 cases. Dwell: B
    // 172800, A 6d = 518400 → median 345600, p90 172800 + 0.9 · 345600 = 483840. SLA 3d: A
    // breaches. B is open since 03-06 (4d12h > 3d).
    let p = stage(&r, "propose");
    assert_eq!(
        (p["entries"].clone(), p["cases"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(p["conversion"], json!({"won": 0.333333, "lost": 0.333333}));
    assert_eq!(
        p["dwell"],
        json!({"completed": 2, "median_s": 345600.0, "p90_s": 483840.0, "max_s": 518400.0})
    );
    assert_eq!(
        (p["sla_breaches"].clone(), p["sla_breach_rate"].clone()),
        (json!(1), json!(0.5))
    );
    assert_eq!((&p["open"], &p["open_overdue"]), (&json!(1), &json!(1)));

    // Terminal stages without SLA: breaches and overdue are null, never open.
    let won = stage(&r, "won");
    assert_eq!(won["terminal"], true);
    assert_eq!(won["next"], json!({"lost": 1}));
    assert_eq!(won["sla_breaches"], Value::Null);
    assert_eq!(won["sla_breach_rate"], Value::Null);
    assert_eq!(
        (&won["open"], &won["open_overdue"]),
        (&json!(0), &Value::Null)
    );

    // The unknown stage: no completed visit, open (not terminal) without SLA, a suggestion.
    let u = stage(&r, "Qualify");
    assert_eq!(u["known"], false);
    assert_eq!(u["did_you_mean"], "qualify");
    assert_eq!(
        u["dwell"],
        json!({"completed": 0, "median_s": null, "p90_s": null, "max_s": null})
    );
    assert_eq!((&u["open"], &u["open_overdue"]), (&json!(1), &Value::Null));
    assert!(stage(&r, "lead").get("did_you_mean").is_none());
}

#[test]
fn transitions_and_deviations() {
    let r = report();
    assert_eq!(r["start_stages"], json!({"lead": 5, "qualify": 1}));
    assert_eq!(
        r["end_stages"],
        json!({"lead": 1, "qualify": 1, "propose": 1, "won": 1, "lost": 1, "Qualify": 1})
    );
    // lead → propose skips qualify; qualify → won skips propose; won → lost: neither reaches
    // the other (jump); lost → propose leaves a terminal stage that propose reaches (backward).
    assert_eq!(
        r["transitions"],
        json!([
            {"from": "lead", "to": "qualify", "count": 3, "kind": "allowed"},
            {"from": "lead", "to": "propose", "count": 1, "kind": "skip"},
            {"from": "qualify", "to": "propose", "count": 1, "kind": "allowed"},
            {"from": "qualify", "to": "won", "count": 1, "kind": "skip"},
            {"from": "qualify", "to": "Qualify", "count": 1, "kind": "unknown-stage"},
            {"from": "propose", "to": "won", "count": 1, "kind": "allowed"},
            {"from": "propose", "to": "lost", "count": 1, "kind": "allowed"},
            {"from": "won", "to": "lost", "count": 1, "kind": "jump"},
            {"from": "lost", "to": "propose", "count": 1, "kind": "backward"},
        ])
    );
    let d = &r["deviations"];
    let kinds: Vec<(&str, &str, &Value)> = d["disallowed_transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["from"].as_str().unwrap(),
                t["kind"].as_str().unwrap(),
                &t["cases"],
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("lead", "skip", &json!(["B"])),
            ("qualify", "skip", &json!(["F"])),
            ("qualify", "unknown-stage", &json!(["C"])),
            ("won", "jump", &json!(["F"])),
            ("lost", "backward", &json!(["B"])),
        ]
    );
    assert_eq!(d["cases_with_disallowed_transition"], 3); // B, C, F
    assert_eq!(d["bad_starts"], json!({"qualify": 1}));
    assert_eq!(d["cases_with_bad_start"], 1);
    assert_eq!(
        d["unknown_stages"],
        json!({"Qualify": {"events": 1, "cases": 1, "did_you_mean": "qualify"}})
    );
    assert_eq!(d["deviating_cases"], 3);
}

#[test]
fn open_cases() {
    let r = report();
    // As of 03-10 12:00: B in propose since 03-06 (388800 s), C in the unknown stage since
    // 03-02 (734400 s, no SLA so never overdue), D in lead since 03-03 (648000 s), G in qualify
    // since 03-05 (475200 s).
    assert_eq!(
        r["open_cases"],
        json!({
            "count": 4,
            "overdue": 3,
            "by_stage": {"lead": 1, "qualify": 1, "propose": 1, "Qualify": 1},
            "cases": [
                {"case_id": "B", "stage": "propose", "since": "2026-03-06T00:00:00Z", "age_s": 388800.0, "overdue": true},
                {"case_id": "C", "stage": "Qualify", "since": "2026-03-02T00:00:00Z", "age_s": 734400.0, "overdue": false},
                {"case_id": "D", "stage": "lead", "since": "2026-03-03T00:00:00Z", "age_s": 648000.0, "overdue": true},
                {"case_id": "G", "stage": "qualify", "since": "2026-03-05T00:00:00Z", "age_s": 475200.0, "overdue": true},
            ]
        })
    );
}

#[test]
fn fitness() {
    let r = report();
    // Alignment, L = 3 (lead, qualify, lost). D per case: A 0; B 2 (model move qualify, log
    // move of the last propose); C 3 (model move lead, log move Qualify, model move lost); D 2
    // (qualify, lost); F 1 (log move won: lead, qualify, lost); G 1 (lost).
    // ΣD = 9, Σ(n + L) = 7 + 7 + 5 + 4 + 7 + 5 = 35 → 26/35. Case fitness: 1, 5/7, 2/5, 1/2,
    // 6/7, 4/5 → mean 0.711905. Closed cases A and F: 1 − 1/14 = 13/14.
    let a = &r["fitness"]["alignment"];
    close(&a["log_fitness"], 26.0 / 35.0);
    close(&a["mean_case_fitness"], 0.711905);
    assert_eq!(a["fitting_cases"], 1);
    assert_eq!(a["closed_cases"], 2);
    close(&a["closed_log_fitness"], 13.0 / 14.0);
    assert_eq!(a["shortest_complete_path"], 3);
    // Token replay (m, c, r, p): A (0, 6, 0, 6); B (2, 6, 2, 6): propose and the second
    // propose find no token, lead and propose remain; C (2, 2, 2, 2): qualify finds no token,
    // Qualify is skipped, no sink token; D (1, 2, 1, 2); F (1, 6, 1, 6): won finds no token,
    // the newer terminal token (lost) goes to the sink, won remains; G (1, 3, 1, 3).
    // Σ = (7, 25, 7, 25) → 18/25. Case fitness 1, 2/3, 0, 1/2, 5/6, 2/3 → mean 0.611111.
    let t = &r["fitness"]["token_replay"];
    close(&t["log_fitness"], 0.72);
    close(&t["mean_case_fitness"], 0.611111);
    assert_eq!(t["fitting_cases"], 1);
    assert_eq!(
        (
            &t["missing"],
            &t["consumed"],
            &t["remaining"],
            &t["produced"]
        ),
        (&json!(7), &json!(25), &json!(7), &json!(25))
    );
}

#[test]
fn cases() {
    let r = report();
    let cases = r["cases"].as_array().unwrap();
    let ids: Vec<&str> = cases
        .iter()
        .map(|c| c["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["A", "B", "C", "D", "F", "G"]);
    assert_eq!(
        cases[0],
        json!({"case_id": "A", "events": 4, "first": "lead", "last": "won", "closed": true,
               "alignment_fitness": 1.0, "alignment_cost": 0, "token_replay_fitness": 1.0,
               "deviations": [], "sla_breaches": 1})
    );
    // B: lead 48h > 1d breaches; F: lead 32h > 1d breaches.
    assert_eq!(
        cases[1]["deviations"],
        json!([{"from": "lead", "to": "propose", "kind": "skip"},
               {"from": "lost", "to": "propose", "kind": "backward"}])
    );
    assert_eq!(cases[1]["sla_breaches"], 1);
    close(&cases[1]["alignment_fitness"], 5.0 / 7.0);
    close(&cases[1]["token_replay_fitness"], 2.0 / 3.0);
    assert_eq!(
        cases[2]["deviations"],
        json!([{"from": null, "to": "qualify", "kind": "bad-start"},
               {"from": "qualify", "to": "Qualify", "kind": "unknown-stage"}])
    );
    assert_eq!(cases[2]["alignment_cost"], 3);
    assert_eq!(cases[2]["token_replay_fitness"], 0.0);
    assert_eq!(cases[4]["alignment_cost"], 1);
    assert_eq!(cases[4]["closed"], true);
    assert_eq!(cases[5]["closed"], false);
}

#[test]
fn kpis() {
    let r = report();
    // win_rate: A and F entered `won`, of 6 cases → 33.333333% ≥ 25%.
    // revenue: A's latest amount 800 (won), F's 1000 (its qualify row): 1800 in 2026-03.
    // deals_won per ISO week from the first event (Sunday 03-01, 2026-W09) to as-of (Tuesday
    // 03-10, 2026-W11): F won on Friday 03-06 (W10), A on 03-10 (W11).
    assert_eq!(
        r["kpis"],
        json!([
            {"id": "win_rate", "stage": "won", "computable": true, "measure": "conversion",
             "method": "share of cases that reached `won`",
             "target": ">= 25%", "value": 33.333333, "numerator": 2, "denominator": 6, "met": true},
            {"id": "revenue", "stage": "won", "computable": true, "measure": "amount",
             "method": "per month: sum of the amounts of the cases whose first entry into `won` \
                        falls in the month (a case's amount is the one on its latest event that has one)",
             "unit": "CNY", "target": ">= 1_000 per month", "missing_amount": 0,
             "periods": [{"period": "2026-03", "value": 1800.0, "met": true}]},
            {"id": "deals_won", "stage": "won", "computable": true, "measure": "count",
             "method": "per week: number of cases whose first entry into `won` falls in the week",
             "unit": "deals", "target": ">= 1 per week",
             "periods": [{"period": "2026-W09", "value": 0, "met": false},
                         {"period": "2026-W10", "value": 1, "met": true},
                         {"period": "2026-W11", "value": 1, "met": true}]},
            {"id": "csat", "stage": "won", "computable": false, "reason": "qualitative",
             "measure": null,
             "method": "not computed: the kpi is qualitative, the log cannot measure it"},
        ])
    );
}

#[test]
fn gates_and_exit_codes() {
    let p = project("log.csv", LOG);
    let code = |extra: &[&str]| audit_json(&p, "log.csv", extra).code;
    assert_eq!(code(&[]), 0, "deviations alone never fail");
    assert_eq!(code(&["--min-fitness", "0.7"]), 0);
    assert_eq!(code(&["--min-fitness", "0.75"]), 1);
    assert_eq!(code(&["--deny", "deviations"]), 1);
    assert_eq!(code(&["--deny", "sla"]), 1);
    assert_eq!(code(&["--deny", "open-overdue"]), 1);
    assert_eq!(code(&["--deny", "rejected-rows"]), 1);
    assert_eq!(code(&["--deny", "sla,rejected-rows"]), 1);
    assert_eq!(code(&["--deny", "nonsense"]), 2);

    let clean = project(
        "ok.csv",
        "case_id,stage,timestamp\nA,lead,2026-03-01\nA,qualify,2026-03-01T12:00\nA,lost,2026-03-02\n",
    );
    let run = audit_json(
        &clean,
        "ok.csv",
        &[
            "--min-fitness",
            "1",
            "--deny",
            "deviations,sla,open-overdue,rejected-rows",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn cases_option_and_as_of() {
    let p = project("log.csv", LOG);
    let ids = |extra: &[&str]| -> Vec<String> {
        audit_json(&p, "log.csv", extra).json()["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--cases", "deviating"]), ["B", "C", "F"]);
    assert!(ids(&["--cases", "none"]).is_empty());
    // A later as-of makes C's open case older but changes nothing else.
    let r = audit_json(&p, "log.csv", &["--as-of", "2026-03-12"]).json();
    assert_eq!(r["log"]["as_of"], "2026-03-12T00:00:00Z");
    assert_eq!(r["open_cases"]["cases"][1]["age_s"], 864_000.0);
}

#[test]
fn human_report() {
    let p = project("log.csv", LOG);
    let run = p.run(&["audit", "demo.sop", "log.csv"]);
    let out = &run.stdout;
    for expected in [
        "audit sales (Sales) · 6 cases · 17 events · 2026-03-01 → 2026-03-10 · as of 2026-03-10 12:00 UTC",
        "24 rows · 5 rejected · 2 dropped",
        "never visited: Nurture",
        "skip 线索 → Proposal  1×  e.g. B",
        "jump Won → Lost",
        "backward Lost → Proposal",
        "bad start 客户筛选  1 case  e.g. C",
        "unknown stage `Qualify`: 1 event in 1 case  e.g. C — did you mean `qualify`?",
        "1 re-save, 1 duplicate) · 1 warning · 1 case out of order",
        "line 19  field-count (3 fields)",
        "fitness: alignment 0.743 (closed cases 0.929)",
        "token replay 0.720",
        "met  Win rate (win_rate): 33.3% (2 of 6)",
        "line 15  bad-timestamp `2026-02-30T00:00:00Z`  (D)",
        "line 14  bad-amount `abc`  (D)",
        "deviating cases (3):",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    // The stage table: lead's median 100800 s = 1d04h, p90 155520 s = 1d19h12m → 1d19h.
    let lead = out.lines().find(|l| l.starts_with("线索")).unwrap();
    assert!(
        lead.contains("1d04h") && lead.contains("1d19h") && lead.contains("2 (50%)"),
        "{lead}"
    );
}

#[test]
fn html_report() {
    let p = project("log.csv", LOG);
    p.run_code(
        &["audit", "demo.sop", "log.csv", "--html", "out/audit.html"],
        2,
    );
    p.run(&[
        "audit",
        "demo.sop",
        "log.csv",
        "--html",
        "audit.html",
        "--format",
        "json",
    ]);
    let page = std::fs::read_to_string(p.path().join("audit.html")).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    for expected in [
        "<html lang=\"en\">",
        "客户筛选",
        "Qualify?",
        "did you mean <code>qualify</code>?",
        "0.743",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    // One bar per stage, the SLA breaches of `lead` (2 of 4 completed visits) in red.
    assert_eq!(page.matches("class=\"fill\"").count(), 7);
    assert!(page.contains("<span style=\"width:50.0%\">"));
}
