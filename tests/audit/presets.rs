//! Presets for real CRM exports: the samples under `examples/crm/` audit to the same figures as
//! the same history written as plain `case_id,stage,timestamp` rows.

use serde_json::Value;

use crate::support::{Project, repo, run_in, run_in_code};

const SOP: &str = "examples/sales-en/sales.sop";

/// The history of the six sample deals, as the exports hold it: deal, stage id, time (UTC).
const HISTORY: &[(&str, &str, &str)] = &[
    (
        "0065g00000A1bXQAAZ",
        "lead_capture",
        "2026-03-02T01:30:05.065Z",
    ),
    (
        "0065g00000A1bXQAAZ",
        "qualification",
        "2026-03-03T06:12:44.310Z",
    ),
    (
        "0065g00000A1bXQAAZ",
        "needs_analysis",
        "2026-03-05T02:00:00Z",
    ),
    ("0065g00000A1bXQAAZ", "proposal", "2026-03-11T08:45:12.901Z"),
    ("0065g00000A1bXQAAZ", "negotiation", "2026-03-16T03:20:00Z"),
    ("0065g00000A1bXQAAZ", "contract", "2026-03-20T09:05:33.120Z"),
    ("0065g00000A1bXQAAZ", "service", "2026-03-24T01:00:00Z"),
    ("0065g00000A1bXRAAZ", "lead_capture", "2026-03-02T03:10:00Z"),
    (
        "0065g00000A1bXRAAZ",
        "qualification",
        "2026-03-06T07:00:00.500Z",
    ),
    ("0065g00000A1bXRAAZ", "lost", "2026-03-07T02:30:00Z"),
    ("0065g00000A1bXSAAZ", "lead_capture", "2026-03-04T05:00:00Z"),
    (
        "0065g00000A1bXSAAZ",
        "needs_analysis",
        "2026-03-05T05:00:00Z",
    ),
    ("0065g00000A1bXSAAZ", "proposal", "2026-03-19T10:00:00Z"),
    (
        "0065g00000A1bXSAAZ",
        "needs_analysis",
        "2026-03-23T04:00:00Z",
    ),
    ("0065g00000A1bXSAAZ", "proposal", "2026-03-26T04:00:00Z"),
    (
        "0065g00000A1bXTAAZ",
        "qualification",
        "2026-03-05T08:00:00Z",
    ),
    (
        "0065g00000A1bXTAAZ",
        "needs_analysis",
        "2026-03-07T01:00:00Z",
    ),
    ("0065g00000A1bXTAAZ", "lost", "2026-03-09T09:00:00Z"),
    ("0065g00000A1bXUAAZ", "lead_capture", "2026-03-09T02:00:00Z"),
    (
        "0065g00000A1bXUAAZ",
        "qualification",
        "2026-03-09T09:30:00Z",
    ),
    (
        "0065g00000A1bXUAAZ",
        "needs_analysis",
        "2026-03-12T03:15:00Z",
    ),
    ("0065g00000A1bXUAAZ", "proposal", "2026-03-17T06:00:00Z"),
    ("0065g00000A1bXUAAZ", "negotiation", "2026-03-20T02:00:00Z"),
    ("0065g00000A1bXVAAZ", "lead_capture", "2026-03-10T01:00:00Z"),
    (
        "0065g00000A1bXVAAZ",
        "qualification",
        "2026-03-13T01:00:00Z",
    ),
];

/// HubSpot's ids of the sample deals, in the order of [`HISTORY`].
const HUBSPOT_IDS: [&str; 6] = ["20481", "20482", "20483", "20484", "20485", "20486"];
/// Pipedrive's.
const PIPEDRIVE_IDS: [&str; 6] = ["301", "302", "303", "304", "305", "306"];

/// The history as plain rows; `first_only` keeps the first entry of each stage of a deal (a
/// HubSpot deal has one date per stage); `ids` renames the deals.
fn plain(first_only: bool, ids: Option<&[&str; 6]>) -> String {
    let mut deals: Vec<&str> = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = String::from("case_id,stage,timestamp\n");
    for &(deal, stage, time) in HISTORY {
        if !deals.contains(&deal) {
            deals.push(deal);
        }
        if first_only {
            if seen.contains(&(deal, stage)) {
                continue;
            }
            seen.push((deal, stage));
        }
        let id = ids.map_or(deal, |ids| ids[deals.len() - 1]);
        out.push_str(&format!("{id},{stage},{time}\n"));
    }
    out
}

/// The audit of a sample with a preset.
fn sample(args: &[&str]) -> Value {
    let mut all = vec!["audit", SOP];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    run_in(&repo(), &all).json()
}

/// The audit of the plain rows.
fn reference(log: &str) -> Value {
    let sop = std::fs::read_to_string(repo().join(SOP)).unwrap();
    let roles = std::fs::read_to_string(repo().join("examples/sales-en/shared/roles.sop")).unwrap();
    let p = Project::new()
        .file("sales.sop", &sop)
        .file("shared/roles.sop", &roles)
        .file("log.csv", log);
    p.run(&["audit", "sales.sop", "log.csv", "--format", "json"])
        .json()
}

/// The figures that depend on the events only (not on the file's rows or name, nor on amounts,
/// which the plain rows lack), with the per-stage keys that only some logs have left out.
fn figures(r: &Value) -> Value {
    let mut r = r.clone();
    for s in r["stages"].as_array_mut().unwrap() {
        let s = s.as_object_mut().unwrap();
        s.remove("actors");
        s.remove("roles");
        s.remove("owner_mismatch");
    }
    let keys = [
        "stages",
        "transitions",
        "deviations",
        "open_cases",
        "fitness",
        "cases",
    ];
    let mut out = serde_json::Map::new();
    for k in keys {
        out.insert(k.to_string(), r[k].clone());
    }
    for k in ["events", "cases", "first", "last", "as_of"] {
        out.insert(format!("log.{k}"), r["log"][k].clone());
    }
    Value::Object(out)
}

#[test]
fn salesforce_opportunity_history() {
    let r = sample(&[
        "examples/crm/salesforce-opportunity-history.csv",
        "--preset",
        "salesforce",
    ]);
    assert_eq!(figures(&r), figures(&reference(&plain(false, None))));
    // Every change is a row; an amount edited in the same stage is a re-save, collapsed.
    assert_eq!(r["log"]["rows"], 28);
    assert_eq!(r["log"]["rejected"], 0);
    let dropped = r["dropped_rows"].as_array().unwrap();
    assert_eq!(dropped.len(), 3);
    assert!(dropped.iter().all(|d| d["reason"] == "repeated-stage"));
    // CRLF lines: the header is line 1, the re-save of the first deal's second stage line 4.
    assert_eq!(dropped[0]["line"], 4);
    assert_eq!(dropped[0]["kept_line"], 3);
    // Milliseconds and the `+0000` offset are kept.
    assert_eq!(r["log"]["first"], "2026-03-02T01:30:05.065Z");
    // `Amount` is the amount: the first deal's latest amount counts for revenue.
    let revenue = r["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "revenue");
    assert_eq!(revenue.unwrap()["periods"][0]["value"], 135000.0);
}

#[test]
fn salesforce_field_history_reads_stage_rows_only() {
    let r = sample(&[
        "examples/crm/salesforce-field-history.csv",
        "--preset",
        "salesforce-field-history",
    ]);
    assert_eq!(figures(&r), figures(&reference(&plain(false, None))));
    // `created`, `Amount` and `CloseDate` rows are no stage entries and are not counted.
    assert_eq!(r["log"]["rows"], HISTORY.len());
    assert_eq!(r["log"]["dropped"], 0);
}

#[test]
fn hubspot_one_row_per_deal() {
    let r = sample(&[
        "examples/crm/hubspot-deals.csv",
        "--preset",
        "hubspot",
        "--stage-map",
        "examples/crm/hubspot-stages.csv",
    ]);
    let plain = plain(true, Some(&HUBSPOT_IDS));
    assert_eq!(figures(&r), figures(&reference(&plain)));
    assert_eq!(r["log"]["rows"], 6);
}

#[test]
fn pipedrive_flow_items() {
    let r = sample(&["examples/crm/pipedrive-flow.jsonl", "--preset", "pipedrive"]);
    // Pipedrive logs whole seconds.
    let plain = plain(false, Some(&PIPEDRIVE_IDS))
        .replace(".065Z", "Z")
        .replace(".310Z", "Z")
        .replace(".901Z", "Z")
        .replace(".120Z", "Z")
        .replace(".500Z", "Z");
    assert_eq!(figures(&r), figures(&reference(&plain)));
    // Only `stage_id` changes are rows; the numeric stage id is mapped by its formatted name.
    assert_eq!(r["log"]["rows"], HISTORY.len());
    assert_eq!(r["deviations"]["unknown_stages"], serde_json::json!({}));
}

#[test]
fn pipedrive_flow_as_csv_with_a_stage_map_for_numeric_ids() {
    let log = "id,item_id,user_id,field_key,old_value,new_value,log_time,change_source\n\
               1,7,11,add_time,,2026-03-01 09:00:00,2026-03-01 09:00:00,app\n\
               2,7,11,stage_id,,1,2026-03-01 09:00:00,app\n\
               3,7,12,value,0,5000,2026-03-01 10:00:00,app\n\
               4,7,12,stage_id,1,2,2026-03-02 09:00:00,api\n";
    let map = "value,stage_id\n1,lead_capture\n2,qualification\n";
    let sop = std::fs::read_to_string(repo().join(SOP)).unwrap();
    let roles = std::fs::read_to_string(repo().join("examples/sales-en/shared/roles.sop")).unwrap();
    let p = Project::new()
        .file("sales.sop", &sop)
        .file("shared/roles.sop", &roles)
        .file("flow.csv", log)
        .file("map.csv", map);
    let r = p
        .run(&[
            "audit",
            "sales.sop",
            "flow.csv",
            "--preset",
            "pipedrive",
            "--stage-map",
            "map.csv",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(r["log"]["rows"], 2);
    assert_eq!(r["transitions"][0]["from"], "lead_capture");
    assert_eq!(r["transitions"][0]["to"], "qualification");
    assert_eq!(r["transitions"][0]["kind"], "allowed");
}

#[test]
fn a_log_of_no_preset_names_the_one_it_resembles() {
    let r = run_in_code(
        &repo(),
        &["audit", SOP, "examples/crm/salesforce-field-history.csv"],
        2,
    );
    assert!(
        r.stderr.contains("found: `Id`, `OpportunityId`")
            && r.stderr.contains("try `--preset salesforce-field-history`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_preset_whose_stage_column_is_missing_is_exit_2_naming_it() {
    let log = "\"Id\",\"OpportunityId\",\"CreatedDate\",\"Amount\",\"Probability\"\r\n\
               \"1\",\"006A\",\"2026-03-01T09:30:05.065+0000\",\"10.00\",\"10\"\r\n";
    let p = Project::new()
        .file("demo.sop", super::DEMO_SOP)
        .file("opp.csv", log);
    let r = p.run_code(
        &["audit", "demo.sop", "opp.csv", "--preset", "salesforce"],
        2,
    );
    assert!(
        r.stderr
            .contains("no column `StageName` (preset `salesforce`)")
            && r.stderr
                .contains("found: `Id`, `OpportunityId`, `CreatedDate`"),
        "{}",
        r.stderr
    );
    // A HubSpot export without any date-entered column.
    let log = "hs_object_id,dealname,dealstage,amount\n1,A,closedwon,10\n";
    let p = Project::new()
        .file("demo.sop", super::DEMO_SOP)
        .file("deals.csv", log);
    let r = p.run_code(
        &["audit", "demo.sop", "deals.csv", "--preset", "hubspot"],
        2,
    );
    assert!(
        r.stderr.contains(
            "no column `hs_v2_date_entered_<stage>` or `hs_date_entered_<stage>` (preset `hubspot`)"
        ),
        "{}",
        r.stderr
    );
    let r = p.run_code(&["audit", "demo.sop", "deals.csv", "--preset", "zoho"], 2);
    assert!(r.stderr.contains("no preset `zoho`"), "{}", r.stderr);
}

#[test]
fn hubspot_prefers_v2_columns_and_keeps_column_order_on_equal_times() {
    let log = "Record ID,dealname,hs_date_entered_lead,hs_v2_date_entered_lead,hs_v2_date_entered_qualify,hs_v2_date_entered_propose\n\
               1,\"Acme, Inc.\",2026-01-01,2026-03-01T00:00:00Z,2026-03-01T00:00:00Z,\n\
               2,Beta,,,,\n";
    let p = Project::new()
        .file("demo.sop", super::DEMO_SOP)
        .file("deals.csv", log);
    let r = p
        .run(&[
            "audit",
            "demo.sop",
            "deals.csv",
            "--preset",
            "hubspot",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(r["log"]["rows"], 2);
    assert_eq!(r["log"]["events"], 2);
    assert_eq!(r["log"]["first"], "2026-03-01T00:00:00Z");
    assert_eq!(r["transitions"][0]["from"], "lead");
    assert_eq!(r["transitions"][0]["to"], "qualify");
    // A deal that entered no stage is a row without a stage, never dropped silently.
    assert_eq!(r["rejected_rows"][0]["line"], 3);
    assert_eq!(r["rejected_rows"][0]["reason"], "missing-stage");
}

/// The stage columns of a wide row are in the export's column order, not in time order: only a
/// row earlier than a row above it of the same deal makes the deal out of order.
#[test]
fn hubspot_column_order_is_not_time_order() {
    let sop = std::fs::read_to_string(repo().join(SOP)).unwrap();
    let roles = std::fs::read_to_string(repo().join("examples/sales-en/shared/roles.sop")).unwrap();
    let head =
        "Record ID,dealname,hs_v2_date_entered_qualification,hs_v2_date_entered_lead_capture\n";
    let rows = "7,X,2026-03-03T00:00:00Z,2026-03-01T00:00:00Z\n\
                8,Y,2026-03-05T00:00:00Z,2026-03-04T00:00:00Z\n\
                8,Y,2026-03-02T00:00:00Z,\n";
    let p = Project::new()
        .file("sales.sop", &sop)
        .file("shared/roles.sop", &roles)
        .file("hs.csv", &format!("{head}{rows}"))
        .file(
            "hs1.csv",
            &format!("{head}7,X,2026-03-03T00:00:00Z,2026-03-01T00:00:00Z\n"),
        );
    let r = p
        .run(&[
            "audit",
            "sales.sop",
            "hs.csv",
            "--preset",
            "hubspot",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(r["log"]["out_of_order_cases"], 1, "{}", r["log"]);
    let r = p
        .run(&[
            "audit",
            "sales.sop",
            "hs1.csv",
            "--preset",
            "hubspot",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(r["log"]["out_of_order_cases"], 0, "{}", r["log"]);
    assert_eq!(r["cases"][0]["first"], "lead_capture");
}
