//! XES in and out, and gzipped logs: the same history gives the same figures in every form.

use std::io::Write;

use serde_json::Value;

use super::{DEMO_SOP, audit_json};
use crate::support::Project;

const LOG: &str = "case_id,stage,timestamp,actor,role,amount\n\
                   A,lead,2026-03-01T09:00:00+08:00,王芳,boss,\n\
                   A,qualify,2026-03-02T09:00:00.250+08:00,王芳,boss,1200\n\
                   A,qualify,2026-03-02T10:00:00+08:00,王芳,boss,\n\
                   A,won,2026-03-04T09:00:00+08:00,李雷,rep,1500\n\
                   B,lead,2026-03-01T00:00:00Z,Tom & Jerry <x>,rep,\n\
                   B,propose,2026-03-03T00:00:00Z,Tom & Jerry <x>,rep,\n\
                   B,negotation,2026-03-05T00:00:00Z,,,\n";

fn gz(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// The figures of the events, whatever file they came from.
fn figures(r: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for k in [
        "stages",
        "transitions",
        "deviations",
        "open_cases",
        "fitness",
        "kpis",
        "cases",
    ] {
        out.insert(k.to_string(), r[k].clone());
    }
    for k in ["events", "cases", "first", "last", "as_of"] {
        out.insert(format!("log.{k}"), r["log"][k].clone());
    }
    Value::Object(out)
}

#[test]
fn exported_xes_reads_back_to_the_same_figures() {
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("log.csv", LOG);
    let csv = audit_json(&p, "log.csv", &["--export-xes", "out.xes"]);
    csv.expect_code(0, &["--export-xes"]);
    let xes = std::fs::read_to_string(p.path().join("out.xes")).unwrap();
    // The collapsed events only: the re-save of `qualify` is not exported.
    assert_eq!(xes.matches("<event>").count(), 6);
    assert!(xes.contains("value=\"Tom &amp; Jerry &lt;x&gt;\""), "{xes}");
    assert!(xes.contains("<date key=\"time:timestamp\" value=\"2026-03-02T01:00:00.25Z\"/>"));
    assert!(xes.contains("<string key=\"org:role\" value=\"boss\"/>"));
    let back = audit_json(&p, "out.xes", &[]).json();
    assert_eq!(figures(&back), figures(&csv.json()));
    assert_eq!(back["log"]["rows"], 6);
    assert_eq!(back["log"]["dropped"], 0);
    // And gzipped.
    std::fs::write(p.path().join("out.xes.gz"), gz(xes.as_bytes())).unwrap();
    let zipped = audit_json(&p, "out.xes.gz", &[]).json();
    assert_eq!(figures(&zipped), figures(&back));
}

#[test]
fn gzipped_csv_and_json_lines_are_read_directly() {
    let jsonl: String = LOG
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!(
                "{{\"case_id\":\"{}\",\"stage\":\"{}\",\"timestamp\":\"{}\",\"actor\":\"{}\",\"role\":\"{}\",\"amount\":\"{}\"}}\n",
                f[0], f[1], f[2], f[3], f[4], f[5]
            )
        })
        .collect();
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("log.csv", LOG)
        .bytes("log.csv.gz", &gz(LOG.as_bytes()))
        .bytes("log.jsonl.gz", &gz(jsonl.as_bytes()));
    let plain = audit_json(&p, "log.csv", &[]).json();
    let csv = audit_json(&p, "log.csv.gz", &[]).json();
    assert_eq!(figures(&csv), figures(&plain));
    assert_eq!(csv["log"]["rows"], 7);
    assert_eq!(csv["dropped_rows"], plain["dropped_rows"]);
    let jsonl = audit_json(&p, "log.jsonl.gz", &[]).json();
    assert_eq!(figures(&jsonl), figures(&plain));
    // A damaged archive is exit 2, said plainly.
    let mut cut = gz(LOG.as_bytes());
    cut.truncate(cut.len() - 12);
    let p = p.bytes("cut.csv.gz", &cut);
    let r = audit_json(&p, "cut.csv.gz", &[]);
    r.expect_code(2, &["cut.csv.gz"]);
    assert!(r.stderr.contains("gzip data is damaged"), "{}", r.stderr);
}

#[test]
fn xes_events_keep_their_offsets_and_ignore_other_attributes() {
    let xes = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <string key="concept:name" value="export"/>
  <trace>
    <event>
      <string key="concept:name" value="lead"/>
      <date key="time:timestamp" value="2026-03-01T09:00:00.000+08:00"/>
      <string key="lifecycle:transition" value="complete"/>
      <list key="tags"><values><string key="concept:name" value="not a stage"/></values></list>
    </event>
    <event>
      <string key="concept:name" value="lead"/>
      <date key="time:timestamp" value="2026-03-01T09:00:00.000+08:00"/>
    </event>
    <event>
      <string key="concept:name" value="客户筛选"/>
      <date key="time:timestamp" value="2026-03-01T02:30:00Z"/>
      <string key="org:resource" value="王芳"/>
    </event>
    <string key="concept:name" value="deal &amp; co"/>
  </trace>
  <trace>
    <string key="concept:name" value="B"/>
    <event>
      <string key="concept:name" value="lead"/>
      <date key="time:timestamp" value="2026-02-30T00:00:00Z"/>
    </event>
    <event><string key="concept:name" value="lead"/><date key="time:timestamp" value="2026-03-01"/></event>
  </trace>
</log>
"#;
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("log.xes", xes);
    let r = audit_json(&p, "log.xes", &[]).json();
    assert_eq!(r["log"]["rows"], 5);
    assert_eq!(r["log"]["events"], 3);
    assert_eq!(r["cases"][1]["case_id"], "deal & co");
    // 09:00 at +08:00 is 01:00Z, before 02:30Z: lead then qualify, allowed.
    assert_eq!(r["cases"][1]["first"], "lead");
    assert_eq!(r["cases"][1]["last"], "qualify");
    assert_eq!(r["transitions"][0]["kind"], "allowed");
    // The duplicate goes through the same collapse as a CSV row, numbered by its tag's line.
    assert_eq!(r["dropped_rows"][0]["reason"], "duplicate-row");
    assert_eq!(r["dropped_rows"][0]["line"], 13);
    assert_eq!(r["dropped_rows"][0]["kept_line"], 7);
    assert_eq!(r["rejected_rows"][0]["reason"], "bad-timestamp");
    assert_eq!(r["rejected_rows"][0]["line"], 26);
}

#[test]
fn broken_xes_is_exit_2_with_the_line() {
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("cut.xes", "<log>\n  <trace>\n    <event>\n")
        .file("bad.xes", "<log>\n  <trace></event>\n</log>\n")
        .file("html.xes", "<html><body/></html>\n");
    for (file, says) in [
        ("cut.xes", "ends inside an element"),
        ("bad.xes", "line 2: not XES"),
        ("html.xes", "starts with `<log>`, not `<html>`"),
    ] {
        let r = audit_json(&p, file, &[]);
        r.expect_code(2, &[file]);
        assert!(r.stderr.contains(says), "{file}: {}", r.stderr);
    }
}
