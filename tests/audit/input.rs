//! Reading logs: RFC 4180, JSON Lines, timestamps and zones, column and stage mapping, and the
//! runs that cannot be done (exit 2).

use serde_json::{Value, json};

use super::{DEMO_SOP, audit_json, project};
use crate::support::Project;

fn lines_and_reasons(r: &Value) -> Vec<(u64, String)> {
    r["rejected_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn rfc4180_quotes_newlines_bom_and_physical_lines() {
    // BOM, CRLF, a quoted delimiter, doubled quotes, a note spanning two lines, blank lines:
    // the bad rows after them are on physical lines 9 and 10.
    let log = "\u{feff}case_id,stage,note,timestamp\r\n\
               A,lead,\"a, b\",2026-03-01T00:00:00Z\r\n\
               \r\n\
               A,\"qualify\",\"she said \"\"next week\"\"\r\nand hung up\",2026-03-02T00:00:00Z\r\n\
               \"A\",lost,,2026-03-03T00:00:00Z\r\n\
               \r\n   \r\n\
               B,lead,,2026-02-30\r\n\
               B,lead,\"x,y\"\r\n";
    let p = project("log.csv", log);
    let r = audit_json(&p, "log.csv", &[]).json();
    assert_eq!(r["log"]["rows"], 5);
    assert_eq!(r["log"]["events"], 3);
    assert_eq!(
        lines_and_reasons(&r),
        [
            (9, "bad-timestamp".to_string()),
            (10, "field-count".to_string())
        ]
    );
    assert_eq!(r["cases"][0]["alignment_cost"], 0);
}

#[test]
fn quoted_newline_pushes_later_lines_down_without_crlf() {
    let log = "case_id,stage,timestamp,note\nA,lead,2026-03-01,\"1\n2\n3\"\n,lead,2026-03-01,\n";
    let p = project("log.csv", log);
    let r = audit_json(&p, "log.csv", &[]).json();
    assert_eq!(lines_and_reasons(&r), [(5, "missing-case-id".to_string())]);
}

#[test]
fn delimiter_and_column_options() {
    let log = "deal;phase;entered\nA;lead;2026-03-01\nA;客户筛选;2026-03-02\n";
    let p = project("log.txt", log);
    let r = audit_json(
        &p,
        "log.txt",
        &[
            "--delimiter",
            ";",
            "--case-col",
            "deal",
            "--stage-col",
            "phase",
            "--time-col",
            "entered",
        ],
    )
    .json();
    assert_eq!(r["log"]["events"], 2);
    assert_eq!(r["transitions"][0]["kind"], "allowed");
    // pm4py-style aliases are found without options.
    let log = "case:concept:name,concept:name,time:timestamp\nA,lead,2026-03-01\n";
    let p = project("log.csv", log);
    assert_eq!(audit_json(&p, "log.csv", &[]).json()["log"]["events"], 1);
}

#[test]
fn missing_column_names_the_columns_found() {
    let p = project("log.csv", "id,stage,when\nA,lead,2026-03-01\n");
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`case_id` or `case:concept:name`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("found: `id`, `stage`, `when`"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_usable_row_is_exit_2_and_an_empty_log_is_a_valid_audit() {
    let p = project("log.csv", "case_id,stage,timestamp\nA,lead,yesterday\n");
    let run = audit_json(&p, "log.csv", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("line 2: bad-timestamp `yesterday`"),
        "{}",
        run.stderr
    );

    for empty in ["", "case_id,stage,timestamp\n", "\n\n"] {
        let p = project("log.csv", empty);
        let run = audit_json(&p, "log.csv", &[]);
        assert_eq!(run.code, 0, "{empty:?}: {}", run.stderr);
        let r = run.json();
        assert_eq!(r["log"]["cases"], 0);
        assert_eq!(r["log"]["as_of"], Value::Null);
        assert_eq!(r["fitness"]["alignment"]["log_fitness"], Value::Null);
        assert_eq!(r["never_visited"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn json_lines() {
    let log = concat!(
        "{\"case_id\": 1001, \"stage\": \"lead\", \"timestamp\": \"2026-03-01T08:00:00+08:00\", \"amount\": 12.50}\n",
        "\n",
        "not json\n",
        "[1, 2]\n",
        "{\"case_id\": 1001, \"stage\": \"客户筛选\", \"timestamp\": \"2026-03-02\", \"amount\": null}\r\n",
        "{\"case_id\": null, \"stage\": \"lead\", \"timestamp\": \"2026-03-02\"}\n",
        "{\"case_id\": \"1e3\", \"stage\": \"lead\", \"timestamp\": 20260301}\n",
    );
    let p = project("log.jsonl", log);
    let r = audit_json(&p, "log.jsonl", &[]).json();
    assert_eq!(r["log"]["rows"], 6);
    assert_eq!(
        r["rejected_rows"],
        json!([
            {"line": 3, "reason": "bad-json"},
            {"line": 4, "reason": "bad-json"},
            {"line": 6, "reason": "missing-case-id"},
            {"line": 7, "reason": "bad-timestamp", "value": "20260301", "case_id": "1e3"},
        ])
    );
    // The number 1001 is taken as its JSON text; 08:00+08:00 is midnight UTC.
    assert_eq!(r["cases"][0]["case_id"], "1001");
    assert_eq!(r["log"]["first"], "2026-03-01T00:00:00Z");

    // `.ndjson` is JSON Lines too; `--input-format` overrides the extension.
    let p = project("log.ndjson", log);
    assert_eq!(audit_json(&p, "log.ndjson", &[]).json()["log"]["events"], 2);
    let p = project("log.txt", log);
    let r = audit_json(&p, "log.txt", &["--input-format", "jsonl"]).json();
    assert_eq!(r["log"]["events"], 2);
}

#[test]
fn standard_input_is_sniffed() {
    let dir = Project::new().file("demo.sop", DEMO_SOP);
    for (log, events) in [
        ("case_id,stage,timestamp\nA,lead,2026-03-01\n", 1),
        (
            "  \n{\"case_id\":\"A\",\"stage\":\"lead\",\"timestamp\":\"2026-03-01\"}\n",
            1,
        ),
    ] {
        let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_sopc"))
            .args(["audit", "demo.sop", "-", "--format", "json"])
            .current_dir(dir.path())
            .write_stdin(log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["log"]["events"], events);
        assert_eq!(r["log"]["file"], "-");
    }
}

#[test]
fn timestamps_zones_and_timezone_option() {
    let log = "case_id,stage,timestamp\n\
               A,lead,2026-03-01 08:00\n\
               A,qualify,2026-03-01T09:00:00.5+0100\n\
               A,lost,2026-03-01T10:00:00z\n\
               B,lead,2026-03-01T24:00\n\
               B,lead,2025-02-29\n\
               B,lead,2026-03-01T10:00:60\n\
               B,lead,2026-03-01T10:00+8\n\
               B,lead,2026/03/01\n";
    let p = project("log.csv", log);
    let reasons: Vec<(u64, String)> = lines_and_reasons(&audit_json(&p, "log.csv", &[]).json());
    assert_eq!(
        reasons.iter().map(|r| r.0).collect::<Vec<_>>(),
        [5, 6, 7, 8, 9]
    );
    assert!(reasons.iter().all(|r| r.1 == "bad-timestamp"));
    // Without --timezone 08:00 is UTC; with +08:00 it is midnight UTC. Zoned values keep their
    // zone; the fraction survives.
    let r = audit_json(&p, "log.csv", &["--timezone", "+08:00"]).json();
    assert_eq!(r["log"]["first"], "2026-03-01T00:00:00Z");
    let dwell = &r["stages"][0]["dwell"]["max_s"];
    assert_eq!(dwell, &json!(28_800.5), "08:00.0 → 08:00:00.5 UTC");
    let r = audit_json(&p, "log.csv", &[]).json();
    assert_eq!(r["log"]["first"], "2026-03-01T08:00:00Z");
    assert_eq!(audit_json(&p, "log.csv", &["--timezone", "8"]).code, 2);
    assert_eq!(
        audit_json(&p, "log.csv", &["--as-of", "2026-02-30"]).code,
        2
    );
    assert_eq!(audit_json(&p, "log.csv", &["--timezone", "-05:00"]).code, 0);
}

#[test]
fn stage_map_and_did_you_mean() {
    let log = "case_id,stage,timestamp\n\
               A,New lead,2026-03-01\n\
               A,Qualifying,2026-03-02\n\
               A,Lost,2026-03-03\n\
               B,propse,2026-03-01\n\
               B,xyz,2026-03-02\n";
    let p = project("log.csv", log).file(
        "map.csv",
        "value,stage_id\nNew lead,lead\n\"Qualifying\",qualify\n",
    );
    let r = audit_json(&p, "log.csv", &["--stage-map", "map.csv"]).json();
    // `Lost` is the title of `lost`; `propse` is one edit from `propose`; `xyz` is close to
    // nothing.
    assert_eq!(r["cases"][0]["alignment_cost"], 0);
    assert_eq!(
        r["deviations"]["unknown_stages"],
        json!({"propse": {"events": 1, "cases": 1, "did_you_mean": "propose"},
               "xyz": {"events": 1, "cases": 1, "did_you_mean": null}})
    );
    let bad = project("log.csv", log).file("map.csv", "value,stage_id\n\nNew lead,leed\n");
    let run = audit_json(&bad, "log.csv", &["--stage-map", "map.csv"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("map.csv:3: `leed` is not a stage"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `lead`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn runs_that_cannot_be_done() {
    let p = project("log.csv", "case_id,stage,timestamp\n");
    p.run_code(&["audit", "demo.sop", "missing.csv"], 2);
    p.run_code(&["audit", "missing.sop", "log.csv"], 2);
    p.run_code(&["audit", "demo.sop", "log.csv", "--pipeline", "nope"], 2);
    p.run_code(&["audit", "demo.sop", "log.csv", "--delimiter", "::"], 2);

    let broken = Project::new()
        .file(
            "bad.sop",
            "sop x { owner nobody }\npipeline p { stage a { -> b } }\n",
        )
        .file("log.csv", "case_id,stage,timestamp\n");
    let run = broken.run_code(&["audit", "bad.sop", "log.csv"], 2);
    assert!(run.stderr.contains("undefined-reference"), "{}", run.stderr);

    let two = format!(
        "{DEMO_SOP}\npipeline other {{ stage x {{ owner boss exit \"e\" -> y }} stage y {{ terminal }} }}\n"
    );
    let p = Project::new()
        .file("two.sop", &two)
        .file("log.csv", "case_id,stage,timestamp\nA,x,2026-03-01\n");
    let run = p.run_code(&["audit", "two.sop", "log.csv"], 2);
    assert!(run.stderr.contains("`sales`, `other`"), "{}", run.stderr);
    let run = p.run(&[
        "audit",
        "two.sop",
        "log.csv",
        "--pipeline",
        "other",
        "--format",
        "json",
    ]);
    assert_eq!(run.json()["pipeline"], "other");
}
