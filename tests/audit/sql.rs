//! `--emit-sql`: the script run on DuckDB, Spark and Postgres gives the figures of `sopc audit
//! --format json` on the same log, kpis included. Each engine's test skips (saying why) when
//! python3 cannot import duckdb or pyspark, or when `SOPC_TEST_PG` names no Postgres server to
//! reach with `psql`; `.ci/run` installs all three and sets `SOPC_TEST_PG`.

use std::process::Command;

use serde_json::{Value, json};
use sopc::audit::Timestamp;

use super::DEMO_SOP;
use crate::support::Project;

/// Loads `log.csv` into a table `deals` (case and stage text, timestamps with time zone, the
/// session in UTC, the amount a double; a bad timestamp is NULL, a rejected row), runs
/// `script.sql` and prints every view as JSON, with timestamps as seconds since the epoch.
/// Postgres runs in a schema of its own, dropped at the end.
const RUNNER: &str = r#"
import calendar, datetime, json, os, subprocess, sys, time
os.environ['TZ'] = 'UTC'
time.tzset()
engine = sys.argv[1]
views = ['sopc_log', 'sopc_stages', 'sopc_next', 'sopc_transitions', 'sopc_bad_starts', 'sopc_open_cases', 'sopc_kpis']
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
      TRY_CAST("timestamp" AS TIMESTAMPTZ) AS "timestamp", TRY_CAST(amount AS DOUBLE) AS amount FROM raw""")
    con.execute(script)
    for view in views:
        cur = con.execute(f'SELECT * FROM {view}')
        cols = [c[0] for c in cur.description]
        out[view] = [{k: value(v) for k, v in zip(cols, r)} for r in cur.fetchall()]
elif engine == 'postgres':
    conn = os.environ['SOPC_TEST_PG']
    schema = 'sopc_test_%d' % os.getpid()
    env = dict(os.environ, PGTZ='UTC', PGOPTIONS='-c search_path=' + schema)
    def psql(*args):
        r = subprocess.run(['psql', conn, '-X', '-q', '-v', 'ON_ERROR_STOP=1', *args],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit('psql ' + ' '.join(args)[:200] + ': ' + r.stderr)
        return r.stdout
    psql('-c', f'CREATE SCHEMA {schema}')
    try:
        with open('load.sql', 'w') as f:
            f.write("""CREATE FUNCTION try_ts(s text) RETURNS timestamptz AS $$
BEGIN RETURN s::timestamptz; EXCEPTION WHEN others THEN RETURN NULL; END $$ LANGUAGE plpgsql;
CREATE TABLE raw (case_id text, stage text, "timestamp" text, amount text);
\\copy raw FROM 'log.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE deals AS SELECT case_id, stage, try_ts("timestamp") AS "timestamp",
  CAST(NULLIF(amount, '') AS DOUBLE PRECISION) AS amount FROM raw;
""")
        psql('-f', 'load.sql')
        psql('-f', 'script.sql')
        stamps = {'first', 'last', 'as_of', 'since'}
        for view in views:
            rows = json.loads(psql('-A', '-t', '-c', f"SELECT COALESCE(json_agg(v), '[]') FROM {view} v"))
            out[view] = [{k: datetime.datetime.fromisoformat(v).timestamp() if k in stamps and v else v
                          for k, v in r.items()} for r in rows]
    finally:
        psql('-c', f'DROP SCHEMA {schema} CASCADE')
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
    spark.sql("SELECT case_id, stage, try_cast(`timestamp` AS TIMESTAMP) AS `timestamp`, "
              "try_cast(amount AS DOUBLE) AS amount FROM raw") \
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
    let mut out = String::from("case_id,stage,timestamp,amount\n");
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
            let fraction = next(1000);
            // Some rows carry an amount, with cents; a case's latest one counts.
            let amount = match next(3) {
                0 => format!("{}.{:02}", 500 + next(20_000), next(100)),
                _ => String::new(),
            };
            out.push_str(&format!(
                "D{c:03},{v},2026-{month:02}-{day:02}T{h:02}:{m:02}:{secs:02}.{fraction:03}+08:00,{amount}\n",
            ));
        }
    }
    // A row with a bad timestamp and one without a stage: rejected in both.
    out.push_str("D000,lead,2026-02-30T00:00:00Z,\nD001,,2026-01-01T00:00:00Z,\n");
    // The log's latest row is a re-save, collapsed: as-of is still its time.
    out.push_str(
        "Z999,lead,2026-11-01T00:00:00Z,\nZ999,qualify,2026-11-02T00:00:00Z,\n\
         Z999,客户筛选,2026-12-30T00:00:00Z,\n",
    );
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
fn postgres_runs_the_script_to_the_audits_figures() {
    if !postgres_available() {
        return;
    }
    engine_matches_the_audit("postgres");
}

/// Whether `SOPC_TEST_PG` names a server `psql` reaches; says why not when it does not.
fn postgres_available() -> bool {
    let Ok(conn) = std::env::var("SOPC_TEST_PG") else {
        eprintln!(
            "skipped: SOPC_TEST_PG is not set (a libpq connection string; `.ci/run` sets it)"
        );
        return false;
    };
    let reached = Command::new("psql")
        .args([conn.as_str(), "-X", "-q", "-c", "SELECT 1"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !reached {
        eprintln!("skipped: psql cannot reach the server of SOPC_TEST_PG `{conn}`");
    }
    reached
}

/// The demo SOP with a kpi of every measure, with and without `per`, over every period.
fn kpi_sop() -> String {
    format!(
        "{DEMO_SOP}
kpi time_to_win \"Time to win\" {{ kind quantitative target <= 20 d stage won owner boss }}
kpi time_to_propose \"Time to propose\" {{ kind quantitative measure duration target <= 10 days per month stage propose owner boss }}
kpi qualified_share \"Qualified share\" {{ kind quantitative target >= 40% per quarter stage qualify owner boss }}
kpi lost_deals \"Lost deals\" {{ kind quantitative unit deals target <= 30 stage lost owner boss }}
kpi proposal_value \"Proposal value\" {{ kind quantitative unit CNY target >= 10_000 stage propose owner boss }}
kpi daily_wins \"Daily wins\" {{ kind quantitative measure count target >= 1 per day stage won owner boss }}
kpi yearly_wins \"Yearly wins\" {{ kind quantitative unit deals target >= 50 per year stage won owner boss }}
"
    )
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
    let (audit, sql) = run_both(dialect, &kpi_sop(), &log(150));
    assert_eq!(audit["log"]["as_of"], "2026-12-30T00:00:00Z");
    same_figures(&sql, &audit);
    assert!(
        audit["log"]["dropped"].as_u64().unwrap() > 0,
        "the log has re-saves"
    );
    assert!(
        audit["stages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["known"] == false),
        "the log has unknown stages"
    );
    let kinds: std::collections::BTreeSet<&str> = audit["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
    let measures: std::collections::BTreeSet<&str> = audit["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["measure"].as_str())
        .collect();
    assert_eq!(measures.len(), 4, "{measures:?}");
}

/// Every view of the script's run (`sql`) equals the JSON audit of the same log.
#[track_caller]
fn same_figures(sql: &Value, audit: &Value) {
    same_kpis(sql, audit);
    // The log.
    let log = &sql["sopc_log"][0];
    for k in ["rows", "rejected", "dropped", "events", "cases"] {
        same(k, &log[k], &audit["log"][k]);
    }
    for k in ["first", "last", "as_of"] {
        same(k, &log[k], &epoch(&audit["log"][k]));
    }

    // The stages, every column.
    let stages = audit["stages"].as_array().unwrap();
    assert_eq!(sql["sopc_stages"].as_array().unwrap().len(), stages.len());
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

    // `position` puts the stages in the JSON's order: the SOP's, then unknown ones by id.
    let mut by_position: Vec<&Value> = sql["sopc_stages"].as_array().unwrap().iter().collect();
    by_position.sort_by_key(|r| r["position"].as_u64().expect("a position"));
    let order: Vec<&Value> = by_position.iter().map(|r| &r["id"]).collect();
    let expected: Vec<&Value> = stages.iter().map(|s| &s["id"]).collect();
    assert_eq!(order, expected);
    let positions: Vec<u64> = by_position
        .iter()
        .map(|r| r["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, (0..stages.len() as u64).collect::<Vec<_>>());

    // Transitions with their kinds, bad starts, open cases.
    let transitions = audit["transitions"].as_array().unwrap();
    assert_eq!(
        sql["sopc_transitions"].as_array().unwrap().len(),
        transitions.len()
    );
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

/// The audit's JSON of `log` against `sop`, and every view of the script of `dialect` run on
/// its engine over the same log.
fn run_both(dialect: &str, sop: &str, log: &str) -> (Value, Value) {
    let p = Project::new()
        .file("demo.sop", sop)
        .file("log.csv", log)
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
            "--amount-col",
            "amount",
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
    (audit, serde_json::from_slice(&out.stdout).unwrap())
}

/// `sopc_kpis` holds one row per kpi without `per` (period NULL) and one per listed period,
/// each equal to the JSON's value and `met`.
#[track_caller]
fn same_kpis(sql: &Value, audit: &Value) {
    let mut expected = Vec::new();
    for k in audit["kpis"].as_array().unwrap() {
        match k["periods"].as_array() {
            Some(periods) => {
                for p in periods {
                    expected.push((k["id"].clone(), p["period"].clone(), &p["value"], &p["met"]));
                }
            }
            None => expected.push((k["id"].clone(), Value::Null, &k["value"], &k["met"])),
        }
    }
    let rows = sql["sopc_kpis"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (id, period, value, met) in expected {
        let row = rows
            .iter()
            .find(|r| r["id"] == id && r["period"] == period)
            .unwrap_or_else(|| panic!("no row of kpi {id} for period {period} in sopc_kpis"));
        let what = format!("kpi {id} {period}");
        let value = if value.is_null() { &Value::Null } else { value };
        same(&what, &row["value"], value);
        same(&what, &row["met"], met);
    }
}

/// A log over 30 years of days: the per-day lists are the first 1,000 days, then the days with
/// an entry, with the runs between them as single elements, on the engine as in the audit.
#[test]
fn duckdb_bounds_period_lists_like_the_audit() {
    if !available("duckdb") {
        eprintln!("skipped: python3 cannot import duckdb (pip install duckdb)");
        return;
    }
    let mut log = String::from("case_id,stage,timestamp,amount\n");
    for (c, year) in [1996, 1997, 2003, 2003, 2010, 2026].into_iter().enumerate() {
        log.push_str(&format!(
            "L{c},lead,{year}-03-0{}T08:00:00Z,\nL{c},qualify,{year}-03-0{}T20:00:00Z,\n\
             L{c},propose,{year}-03-09T09:00:00Z,100.5\nL{c},won,{year}-03-10T12:00:00Z,\n",
            1 + c % 2,
            1 + c % 2,
        ));
    }
    let sop = format!(
        "{DEMO_SOP}
kpi daily_wins \"Daily wins\" {{ kind quantitative measure count target >= 1 per day stage won owner boss }}
kpi daily_value \"Daily value\" {{ kind quantitative unit CNY target >= 100 per day stage won owner boss }}
kpi daily_time \"Daily time\" {{ kind quantitative target <= 9 d per day stage won owner boss }}
kpi weekly_share \"Weekly share\" {{ kind quantitative target >= 50% per week stage propose owner boss }}
"
    );
    let (audit, sql) = run_both("duckdb", &sop, &log);
    let daily = audit["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "daily_wins")
        .unwrap();
    let periods = daily["periods"].as_array().unwrap();
    assert!(periods.len() < 1_020, "{}", periods.len());
    assert!(
        periods
            .iter()
            .any(|p| p["period"] == "1998-11-26/2003-03-09"),
        "{periods:?}"
    );
    same_kpis(&sql, &audit);
}

/// Loads a CRM export of `examples/crm` into a table `deals` as a warehouse would hold it (one
/// column per field, nested JSON Lines keys flattened to `additional_data.new_value_formatted`,
/// timestamps with time zone, amounts doubles), runs `script.sql` and prints every view as JSON.
const PRESET_RUNNER: &str = r#"
import csv, datetime, json, os, subprocess, sys, time
os.environ['TZ'] = 'UTC'
time.tzset()
engine, jobs = sys.argv[1], sys.argv[2:]
views = ['sopc_log', 'sopc_stages', 'sopc_next', 'sopc_transitions', 'sopc_bad_starts', 'sopc_open_cases', 'sopc_kpis']

def load(log):
    if log.endswith('.jsonl'):
        rows, cols = [], []
        for line in open(log, encoding='utf-8'):
            if not line.strip():
                continue
            o = json.loads(line)
            flat = {}
            for k, v in o.get('data', o).items():
                if isinstance(v, dict):
                    for k2, v2 in v.items():
                        flat[k + '.' + k2] = v2
                else:
                    flat[k] = v
            for k in flat:
                if k not in cols:
                    cols.append(k)
            rows.append({k: None if v is None or isinstance(v, list) else str(v) for k, v in flat.items()})
    else:
        with open(log, newline='', encoding='utf-8-sig') as f:
            r = csv.DictReader(f)
            cols, rows = r.fieldnames, list(r)
    return cols, [[norm(c, r.get(c)) for c in cols] for r in rows]

def kind(c):
    if c in ('CreatedDate', 'log_time') or '_date_entered_' in c:
        return 'ts'
    return 'num' if c in ('Amount', 'amount') else 'text'

def norm(c, v):
    if v is None or v == '':
        return None
    if kind(c) == 'ts':
        v = v.replace('Z', '+00:00')
        if v[-5] in '+-' and v[-3] != ':':
            v = v[:-2] + ':' + v[-2:]
        t = datetime.datetime.fromisoformat(v)
        if t.tzinfo is None:
            t = t.replace(tzinfo=datetime.timezone.utc)
        return t.astimezone(datetime.timezone.utc).isoformat()
    return v

def value(v):
    return v.timestamp() if isinstance(v, datetime.datetime) else v

def statements(script):
    for statement in script.split(';\n'):
        body = '\n'.join(l for l in statement.splitlines() if not l.startswith('--')).strip()
        if body:
            yield body

results = []
if engine == 'spark':
    import shutil
    shutil.rmtree('warehouse', ignore_errors=True)
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master('local[2]').appName('sopc')
             .config('spark.sql.session.timeZone', 'UTC')
             .config('spark.ui.enabled', 'false')
             .config('spark.sql.warehouse.dir', os.path.abspath('warehouse'))
             .config('spark.sql.shuffle.partitions', '4')
             .getOrCreate())
    spark.sparkContext.setLogLevel('ERROR')
elif engine == 'duckdb':
    import duckdb
for job in jobs:
    log, script = job.split('::')
    cols, data = load(log)
    script = open(script, encoding='utf-8').read()
    out = {}
    if engine == 'duckdb':
        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")
        types = {'ts': 'TIMESTAMPTZ', 'num': 'DOUBLE', 'text': 'VARCHAR'}
        q = lambda c: '"' + c.replace('"', '""') + '"'
        con.execute('CREATE TABLE deals (' + ', '.join(q(c) + ' ' + types[kind(c)] for c in cols) + ')')
        con.executemany('INSERT INTO deals VALUES (' + ', '.join('?' for _ in cols) + ')', data)
        con.execute(script)
        for view in views:
            cur = con.execute(f'SELECT * FROM {view}')
            names = [c[0] for c in cur.description]
            out[view] = [{k: value(v) for k, v in zip(names, r)} for r in cur.fetchall()]
    elif engine == 'spark':
        names = ['c%d' % i for i in range(len(cols))]
        spark.createDataFrame(data, ', '.join(n + ' string' for n in names)).createOrReplaceTempView('raw')
        types = {'ts': 'TIMESTAMP', 'num': 'DOUBLE', 'text': 'STRING'}
        q = lambda c: '`' + c.replace('`', '``') + '`'
        spark.sql('DROP VIEW IF EXISTS sopc_rows')
        spark.sql('SELECT ' + ', '.join(f'CAST({n} AS {types[kind(c)]}) AS {q(c)}' for n, c in zip(names, cols))
                  + ' FROM raw').write.mode('overwrite').saveAsTable('deals')
        for body in statements(script):
            spark.sql(body)
        for view in views:
            out[view] = [{k: value(v) for k, v in r.asDict().items()} for r in spark.sql(f'SELECT * FROM {view}').collect()]
    else:
        conn = os.environ['SOPC_TEST_PG']
        schema = 'sopc_preset_%d' % os.getpid()
        env = dict(os.environ, PGTZ='UTC', PGOPTIONS='-c search_path=' + schema)
        def psql(*args):
            r = subprocess.run(['psql', conn, '-X', '-q', '-v', 'ON_ERROR_STOP=1', *args],
                               env=env, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(log + ': psql ' + ' '.join(args)[:200] + ': ' + r.stderr)
            return r.stdout
        types = {'ts': 'timestamptz', 'num': 'double precision', 'text': 'text'}
        q = lambda c: '"' + c.replace('"', '""') + '"'
        lit = lambda v: 'NULL' if v is None else "'" + v.replace("'", "''") + "'"
        psql('-c', f'CREATE SCHEMA {schema}')
        try:
            with open('load.sql', 'w', encoding='utf-8') as f:
                f.write('CREATE TABLE deals (' + ', '.join(q(c) + ' ' + types[kind(c)] for c in cols) + ');\n')
                for r in data:
                    f.write('INSERT INTO deals VALUES (' + ', '.join(lit(v) for v in r) + ');\n')
            psql('-f', 'load.sql')
            psql('-f', job.split('::')[1])
            stamps = {'first', 'last', 'as_of', 'since'}
            for view in views:
                got = json.loads(psql('-A', '-t', '-c', f"SELECT COALESCE(json_agg(v), '[]') FROM {view} v"))
                out[view] = [{k: datetime.datetime.fromisoformat(v).timestamp() if k in stamps and v else v
                              for k, v in r.items()} for r in got]
        finally:
            psql('-c', f'DROP SCHEMA {schema} CASCADE')
    results.append(out)
if engine == 'spark':
    spark.stop()
print(json.dumps(results))
"#;

/// The script of every preset, run over the preset's sample in `examples/crm` loaded as a
/// table, gives the figures of `sopc audit` on the sample file.
fn presets_match_the_audit(engine: &str) {
    let root = env!("CARGO_MANIFEST_DIR");
    let sop = format!("{root}/examples/sales-en/sales.sop");
    let map = format!("{root}/examples/crm/hubspot-stages.csv");
    let p = Project::new().file("run.py", PRESET_RUNNER);
    let mut audits = Vec::new();
    let mut jobs = Vec::new();
    for (preset, sample, extra) in [
        ("salesforce", "salesforce-opportunity-history.csv", None),
        (
            "salesforce-field-history",
            "salesforce-field-history.csv",
            None,
        ),
        ("hubspot", "hubspot-deals.csv", Some(map.as_str())),
        ("pipedrive", "pipedrive-flow.jsonl", None),
    ] {
        let log = format!("{root}/examples/crm/{sample}");
        let mut args = vec!["audit", sop.as_str(), log.as_str(), "--preset", preset];
        args.extend(extra.iter().flat_map(|map| ["--stage-map", map]));
        let audit = p
            .run(&[args.as_slice(), &["--format", "json"]].concat())
            .json();
        let mut emit = vec!["audit", sop.as_str(), "--emit-sql", "--dialect", engine];
        emit.extend(["--table", "deals", "--preset", preset]);
        emit.extend(extra.iter().flat_map(|map| ["--stage-map", map]));
        let script = p.path().join(format!("{preset}.sql"));
        std::fs::write(&script, p.run(&emit).stdout).unwrap();
        jobs.push(format!("{log}::{}", script.display()));
        audits.push((preset, audit));
    }
    let out = Command::new("python3")
        .arg("run.py")
        .arg(engine)
        .args(&jobs)
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results.len(), audits.len());
    for ((preset, audit), sql) in audits.iter().zip(&results) {
        assert!(audit["log"]["events"].as_u64().unwrap() > 20, "{preset}");
        assert!(
            audit["stages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["known"] == true),
            "{preset}: every stage is known"
        );
        eprintln!("comparing preset {preset}");
        same_figures(sql, audit);
    }
}

#[test]
fn duckdb_runs_each_presets_layout_to_the_audits_figures() {
    if !available("duckdb") {
        eprintln!("skipped: python3 cannot import duckdb (pip install duckdb)");
        return;
    }
    presets_match_the_audit("duckdb");
}

#[test]
fn postgres_runs_each_presets_layout_to_the_audits_figures() {
    if !postgres_available() {
        return;
    }
    presets_match_the_audit("postgres");
}

#[test]
fn spark_runs_each_presets_layout_to_the_audits_figures() {
    if !available("pyspark") {
        eprintln!("skipped: python3 cannot import pyspark, or no java (pip install pyspark)");
        return;
    }
    presets_match_the_audit("spark");
}
