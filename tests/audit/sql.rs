//! `--emit-sql`: the script run on DuckDB gives the figures of `sopc audit --format json` on
//! the same log. Skips (saying why) when python3 cannot import duckdb; `.ci/run` installs it.

use std::process::Command;

use serde_json::{Value, json};
use sopc::audit::Timestamp;

use super::DEMO_SOP;
use crate::support::Project;

/// Loads `log.csv` into a table `deals` (timestamps with time zone, the session in UTC; a bad
/// timestamp is NULL, a rejected row), runs `script.sql` and prints every view as JSON, with
/// timestamps as seconds since the epoch.
const RUNNER: &str = r#"
import calendar, datetime, json, os, sys, time
os.environ['TZ'] = 'UTC'
time.tzset()
engine = sys.argv[1]
views = ['sopc_log', 'sopc_stages', 'sopc_next', 'sopc_transitions', 'sopc_bad_starts', 'sopc_open_cases']
script = open('script.sql').read()

def value(v):
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            return calendar.timegm(v.timetuple()) + v.microsecond / 1e6
        return v.timestamp()
    return v

out = {}
if engine == 'duckdb':
    import duckdb
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute("CREATE TABLE raw AS SELECT * FROM read_csv('log.csv', header=true, all_varchar=true)")
    con.execute("""CREATE TABLE deals AS SELECT case_id, stage,
      TRY_CAST("timestamp" AS TIMESTAMPTZ) AS "timestamp" FROM raw""")
    con.execute(script)
    for view in views:
        cur = con.execute(f'SELECT * FROM {view}')
        cols = [c[0] for c in cur.description]
        out[view] = [{k: value(v) for k, v in zip(cols, r)} for r in cur.fetchall()]
else:
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master('local[2]').appName('sopc')
             .config('spark.sql.session.timeZone', 'UTC')
             .config('spark.ui.enabled', 'false')
             .config('spark.sql.warehouse.dir', os.path.abspath('warehouse'))
             .config('spark.sql.shuffle.partitions', '4')
             .getOrCreate())
    spark.sparkContext.setLogLevel('ERROR')
    spark.read.option('header', 'true').csv('log.csv').createOrReplaceTempView('raw')
    spark.sql("SELECT case_id, stage, try_cast(`timestamp` AS TIMESTAMP) AS `timestamp` FROM raw") \
        .write.mode('overwrite').saveAsTable('deals')
    for statement in script.split(';\n'):
        body = '\n'.join(l for l in statement.splitlines() if not l.startswith('--')).strip()
        if body:
            spark.sql(body)
    for view in views:
        out[view] = [{k: value(v) for k, v in r.asDict().items()} for r in spark.sql(f'SELECT * FROM {view}').collect()]
    spark.stop()
print(json.dumps(out))
"#;

/// Whether python3 can import `module` (and, for Spark, a JRE runs).
fn available(module: &str) -> bool {
    let java = module != "pyspark"
        || Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    java && Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A log of `n` cases walking the demo pipeline with skips, back steps, unknown and titled
/// stage values and re-saves; no two rows of a case share a timestamp.
fn log(n: usize) -> String {
    let values = [
        "lead",
        "线索",
        "nurture",
        "qualify",
        "客户筛选",
        "propose",
        "Proposal",
        "won",
        "lost",
        "Qualify",
        "negotation",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let mut out = String::from("case_id,stage,timestamp\n");
    for c in 0..n {
        let mut minutes = next(40_000);
        let len = 1 + next(7);
        for _ in 0..len {
            minutes += 1 + next(6_000);
            let v = values[next(values.len() as u64) as usize];
            let (d, h, m) = (1 + minutes / 1440, minutes / 60 % 24, minutes % 60);
            let secs = next(60);
            let month = 1 + d / 28;
            let day = 1 + d % 28;
            out.push_str(&format!(
                "D{c:03},{v},2026-{month:02}-{day:02}T{h:02}:{m:02}:{secs:02}.{:03}+08:00\n",
                next(1000)
            ));
        }
    }
    // A row with a bad timestamp and one without a stage: rejected in both.
    out.push_str("D000,lead,2026-02-30T00:00:00Z\nD001,,2026-01-01T00:00:00Z\n");
    out
}

fn epoch(rfc3339: &Value) -> Value {
    match rfc3339.as_str() {
        Some(s) => json!(
            Timestamp::parse(s, 0)
                .unwrap()
                .seconds_since(Timestamp::from_secs(0))
        ),
        None => Value::Null,
    }
}

/// Numbers equal to 1e-6 (integers exactly), everything else equal.
#[track_caller]
fn same(what: &str, sql: &Value, json: &Value) {
    match (sql.as_f64(), json.as_f64()) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-6, "{what}: sql {a}, json {b}"),
        _ => assert_eq!(sql, json, "{what}"),
    }
}

#[test]
fn duckdb_runs_the_script_to_the_audits_figures() {
    if !available("duckdb") {
        eprintln!("skipped: python3 cannot import duckdb (pip install duckdb)");
        return;
    }
    engine_matches_the_audit("duckdb");
}

#[test]
fn spark_runs_the_script_to_the_audits_figures() {
    if !available("pyspark") {
        eprintln!("skipped: python3 cannot import pyspark, or no java (pip install pyspark)");
        return;
    }
    engine_matches_the_audit("spark");
}

/// Runs the script of `dialect` on its engine and compares every view with the JSON audit.
fn engine_matches_the_audit(dialect: &str) {
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("log.csv", &log(150))
        .file("run.py", RUNNER);
    let audit = p
        .run(&["audit", "demo.sop", "log.csv", "--format", "json"])
        .json();
    let script = p
        .run(&[
            "audit",
            "demo.sop",
            "--emit-sql",
            "--dialect",
            dialect,
            "--table",
            "deals",
        ])
        .stdout;
    std::fs::write(p.path().join("script.sql"), &script).unwrap();
    let out = Command::new("python3")
        .args(["run.py", dialect])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sql: Value = serde_json::from_slice(&out.stdout).unwrap();

    // The log.
    let log = &sql["sopc_log"][0];
    for k in ["rows", "rejected", "dropped", "events", "cases"] {
        same(k, &log[k], &audit["log"][k]);
    }
    assert!(
        audit["log"]["dropped"].as_u64().unwrap() > 0,
        "the log has re-saves"
    );
    for k in ["first", "last", "as_of"] {
        same(k, &log[k], &epoch(&audit["log"][k]));
    }

    // The stages, every column.
    let stages = audit["stages"].as_array().unwrap();
    assert_eq!(sql["sopc_stages"].as_array().unwrap().len(), stages.len());
    assert!(
        stages.iter().any(|s| s["known"] == false),
        "the log has unknown stages"
    );
    for s in stages {
        let row = sql["sopc_stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == s["id"])
            .unwrap_or_else(|| panic!("no stage {} in SQL", s["id"]));
        for k in [
            "known",
            "terminal",
            "sla_s",
            "entries",
            "cases",
            "ended_here",
            "sla_breaches",
            "sla_breach_rate",
            "open",
            "open_overdue",
        ] {
            same(&format!("{} {k}", s["id"]), &row[k], &s[k]);
        }
        for k in ["completed", "median_s", "p90_s", "max_s"] {
            same(
                &format!("{} dwell {k}", s["id"]),
                &row[&format!("dwell_{k}")],
                &s["dwell"][k],
            );
        }
        // `next` and `conversion`, pair by pair.
        let next: Vec<&Value> = sql["sopc_next"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["from"] == s["id"])
            .collect();
        assert_eq!(
            next.len(),
            s["next"].as_object().unwrap().len(),
            "{}",
            s["id"]
        );
        for r in next {
            let to = r["to"].as_str().unwrap();
            same("next", &r["count"], &s["next"][to]);
            same("conversion", &r["conversion"], &s["conversion"][to]);
        }
    }

    // Transitions with their kinds, bad starts, open cases.
    let transitions = audit["transitions"].as_array().unwrap();
    assert_eq!(
        sql["sopc_transitions"].as_array().unwrap().len(),
        transitions.len()
    );
    let kinds: std::collections::BTreeSet<&str> = transitions
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
    for t in transitions {
        let row = sql["sopc_transitions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["from"] == t["from"] && r["to"] == t["to"])
            .unwrap_or_else(|| panic!("no transition {t} in SQL"));
        same("count", &row["count"], &t["count"]);
        same("kind", &row["kind"], &t["kind"]);
    }
    let bad = audit["deviations"]["bad_starts"].as_object().unwrap();
    assert_eq!(sql["sopc_bad_starts"].as_array().unwrap().len(), bad.len());
    for r in sql["sopc_bad_starts"].as_array().unwrap() {
        same("bad start", &r["count"], &bad[r["stage"].as_str().unwrap()]);
    }
    let open = audit["open_cases"]["cases"].as_array().unwrap();
    assert_eq!(sql["sopc_open_cases"].as_array().unwrap().len(), open.len());
    for o in open {
        let row = sql["sopc_open_cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case_id"] == o["case_id"])
            .unwrap();
        same("stage", &row["stage"], &o["stage"]);
        same("since", &row["since"], &epoch(&o["since"]));
        same("age_s", &row["age_s"], &o["age_s"]);
        same("overdue", &row["overdue"], &o["overdue"]);
    }
}

#[test]
fn the_script_names_its_table_and_dialect_and_refuses_unknown_ones() {
    let p = Project::new().file("demo.sop", DEMO_SOP);
    let spark = p
        .run(&[
            "audit",
            "demo.sop",
            "--emit-sql",
            "--dialect",
            "spark",
            "--table",
            "crm.deal history",
        ])
        .stdout;
    assert!(spark.contains("FROM crm.`deal history`"), "{spark}");
    assert!(spark.contains("percentile(x.dwell, 0.5)"));
    assert!(spark.contains("AS `from`"));
    let pg = p
        .run(&[
            "audit",
            "demo.sop",
            "--emit-sql",
            "--dialect",
            "postgres",
            "--table",
            "deals",
        ])
        .stdout;
    assert!(
        pg.contains("percentile_cont(0.5) WITHIN GROUP (ORDER BY x.dwell)"),
        "{pg}"
    );
    assert!(pg.contains("EXTRACT(EPOCH FROM k.t)"));
    assert!(pg.matches("CREATE OR REPLACE VIEW").count() >= 6);
    let r = p.run_code(
        &[
            "audit",
            "demo.sop",
            "--emit-sql",
            "--dialect",
            "oracle",
            "--table",
            "t",
        ],
        2,
    );
    assert!(r.stderr.contains("no SQL dialect `oracle`"), "{}", r.stderr);
    // Without a log and without `--emit-sql`, the log is asked for.
    p.run_code(&["audit", "demo.sop"], 2);
}
