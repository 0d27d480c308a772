//! The audit compiled to SQL: one script that creates views computing, inside a warehouse
//! (DuckDB, Spark, Postgres), the figures that need no per-case search. The SOP's stages, the
//! stage values that name them and the kind of every pair of stages are compiled into `VALUES`
//! tables; the engine does the rest.

use std::fmt::Write as _;

use super::kpi::Goal;
use super::process::Process;
use super::report::KpiReport;
use super::stages::StageMap;

/// The SQL engines a script can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB (`--dialect duckdb`).
    Duckdb,
    /// Spark SQL (`--dialect spark`).
    Spark,
    /// PostgreSQL (`--dialect postgres`).
    Postgres,
}

impl Dialect {
    /// The dialect of a name given to `--dialect`.
    pub fn parse(name: &str) -> Option<Dialect> {
        match name {
            "duckdb" => Some(Dialect::Duckdb),
            "spark" => Some(Dialect::Spark),
            "postgres" => Some(Dialect::Postgres),
            _ => None,
        }
    }

    /// A column alias or name that may be a reserved word (`from`, `to`, `open`).
    pub(super) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A table name as given: each dot-separated part quoted unless it is a plain identifier.
    fn table(self, name: &str) -> String {
        name.split('.')
            .map(|part| {
                let plain = part
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain {
                    part.to_string()
                } else {
                    self.ident(part)
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Seconds since the epoch of a timestamp, as a double with its fraction.
    fn epoch(self, expr: &str) -> String {
        match self {
            Dialect::Duckdb => format!("epoch({expr})"),
            Dialect::Spark => format!("(CAST(unix_micros({expr}) AS DOUBLE) / 1000000.0)"),
            Dialect::Postgres => format!("CAST(EXTRACT(EPOCH FROM {expr}) AS DOUBLE PRECISION)"),
        }
    }

    /// An exact quantile (linear interpolation between closest ranks) of a column.
    pub(super) fn quantile(self, expr: &str, q: f64) -> String {
        match self {
            Dialect::Duckdb => format!("quantile_cont({expr}, {q})"),
            Dialect::Spark => format!("percentile({expr}, {q})"),
            Dialect::Postgres => format!("percentile_cont({q}) WITHIN GROUP (ORDER BY {expr})"),
        }
    }

    /// A timestamp literal in UTC.
    fn timestamp(self, rfc3339: &str) -> String {
        match self {
            Dialect::Spark => format!("TIMESTAMP {}", lit(rfc3339)),
            _ => format!("TIMESTAMPTZ {}", lit(rfc3339)),
        }
    }

    /// A double rounded to 6 decimals, half away from zero (Postgres rounds only `numeric`).
    pub(super) fn round6(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => {
                format!("CAST(ROUND(CAST({expr} AS NUMERIC), 6) AS DOUBLE PRECISION)")
            }
            _ => format!("ROUND({expr}, 6)"),
        }
    }

    /// The date `days` days after 1970-01-01.
    pub(super) fn date_from_days(self, days: &str) -> String {
        match self {
            Dialect::Spark => format!("date_add(DATE '1970-01-01', CAST({days} AS INT))"),
            _ => format!("(DATE '1970-01-01' + CAST({days} AS INTEGER))"),
        }
    }

    /// An expression ordered by code point, as the audit orders text (Postgres sorts by the
    /// database's collation otherwise).
    fn binary(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
            _ => expr.to_string(),
        }
    }

    /// A timestamp from text, NULL when the text is no timestamp where the engine allows it.
    fn text_to_timestamp(self, expr: &str) -> String {
        match self {
            Dialect::Duckdb => format!("TRY_CAST({expr} AS TIMESTAMPTZ)"),
            Dialect::Spark => format!("try_cast({expr} AS TIMESTAMP)"),
            Dialect::Postgres => format!("CAST({expr} AS TIMESTAMPTZ)"),
        }
    }

    /// A row of the table `alias` as a JSON object (or, in Spark, a map) of its columns, NULL
    /// cells kept.
    fn row_object(self, alias: &str) -> String {
        match self {
            Dialect::Duckdb => format!("to_json({alias})"),
            Dialect::Spark => format!(
                "from_json(to_json(struct({alias}.*), map('ignoreNullFields', 'false')), \
                 'map<string,string>')"
            ),
            Dialect::Postgres => format!("to_jsonb({alias})"),
        }
    }

    /// Whether the row object `object` has a column named by the text `name`.
    fn has_column(self, object: &str, name: &str) -> String {
        match self {
            Dialect::Duckdb => format!("list_contains(json_keys({object}), {name})"),
            Dialect::Spark => format!("array_contains(map_keys({object}), {name})"),
            Dialect::Postgres => format!("(({object}) -> ({name})) IS NOT NULL"),
        }
    }

    /// The text type.
    pub(super) fn text(self) -> &'static str {
        match self {
            Dialect::Spark => "STRING",
            _ => "VARCHAR",
        }
    }

    /// The double type.
    pub(super) fn double(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }
}

/// What the script is written for.
pub struct SqlInput<'a> {
    /// The audited pipeline's stages and their graph.
    pub process: &'a Process,
    /// The `--stage-map` values, compiled into the value-to-stage table.
    pub map: &'a StageMap,
    /// The engine the script is written for.
    pub dialect: Dialect,
    /// The history table as `--table` gives it (`crm.deal_history`); each dot-separated part that
    /// is no plain identifier is quoted.
    pub table: &'a str,
    /// The case id column: the first of the case column names (`--case-col`, a preset's, else
    /// `case_id`).
    pub case_col: &'a str,
    /// The stage column, likewise (default `stage`).
    pub stage_col: &'a str,
    /// The timestamp column, likewise (default `timestamp`).
    pub time_col: &'a str,
    /// The SOP and pipeline, named in the script's first lines.
    pub sop: &'a str,
    /// The audited pipeline's id.
    pub pipeline: &'a str,
    /// `--as-of`, as RFC 3339 in UTC and as seconds since the epoch; default: the latest event.
    pub as_of: Option<(String, f64)>,
    /// The amount column (a double), when one is named; amount kpis need it.
    pub amount_col: Option<&'a str>,
    /// Every kpi of the document with its goal when computable, for `sopc_kpis`.
    pub kpis: &'a [(KpiReport, Option<Goal>)],
    /// The layout of a preset's export.
    pub layout: SqlLayout<'a>,
}

/// How the table holds the stage history beyond one entry per row (a preset's layout).
#[derive(Default)]
pub struct SqlLayout<'a> {
    /// Only rows whose column (first) holds the value (second) are stage entries: `Field` =
    /// `StageName`, `field_key` = `stage_id`.
    pub filter: Option<(&'a str, &'a str)>,
    /// A second stage column, used when the first names no stage of the SOP (Pipedrive's
    /// formatted stage name beside its numeric id).
    pub stage_alt: Option<&'a str>,
    /// The wide layout (HubSpot): one row per case, every non-NULL cell of a column named one
    /// of these prefixes and a stage value an entry of that stage; an earlier prefix wins over a
    /// later one for the same stage.
    pub wide: &'a [String],
}

/// A string literal.
pub(super) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The value-to-stage table: the stage map first, then stage ids, then titles (the first stage
/// of a title, in SOP order), each value once.
fn mapping(process: &Process, map: &StageMap) -> Vec<(String, usize)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut entries: Vec<(&str, usize)> = map.entries().collect();
    entries.sort_unstable();
    let ids = process
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i));
    let titles = process
        .titles
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i));
    for (value, stage) in entries.into_iter().chain(ids).chain(titles) {
        if seen.insert(value.to_string()) {
            out.push((value.to_string(), stage));
        }
    }
    out
}

/// The script. An unknown stage keeps its value as its id, and no value that names an SOP
/// stage is unknown, so a stage id alone tells known stages from unknown ones in joins.
pub fn script(input: &SqlInput) -> String {
    let d = input.dialect;
    let p = input.process;
    let q = |name: &str| d.ident(name);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "-- sopc audit of pipeline `{}` of `{}`, over the table {}: the figures that need no \
         per-case search.",
        input.pipeline.replace('\n', " "),
        input.sop.replace('\n', " "),
        input.table.replace('\n', " ")
    );
    s.push_str(
        "-- Views sopc_log, sopc_stages, sopc_next, sopc_transitions, sopc_bad_starts,\n\
         -- sopc_open_cases and sopc_kpis. Equal timestamps within a case are ordered by stage value.\n\n",
    );
    let view = |s: &mut String, name: &str, body: &str| {
        let _ = writeln!(s, "CREATE OR REPLACE VIEW {name} AS\n{body};\n");
    };

    // The SOP, compiled.
    let rows: Vec<String> = p
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                "({i}, {}, {}, {}, {})",
                lit(id),
                p.terminal[i],
                p.sla_s[i].map_or("NULL".to_string(), |v| format!("CAST({v} AS BIGINT)")),
                p.start == Some(i)
            )
        })
        .collect();
    let stages_def = if rows.is_empty() {
        format!(
            "SELECT CAST(0 AS INT) AS ord, CAST(NULL AS {t}) AS id, FALSE AS terminal, \
             CAST(NULL AS BIGINT) AS sla_s, FALSE AS is_start WHERE 1 = 0",
            t = d.text()
        )
    } else {
        format!(
            "SELECT * FROM (VALUES\n  {}\n) AS v(ord, id, terminal, sla_s, is_start)",
            rows.join(",\n  ")
        )
    };
    view(&mut s, "sopc_sop_stages", &stages_def);
    let map_rows: Vec<String> = mapping(p, input.map)
        .into_iter()
        .map(|(value, i)| format!("({}, {})", lit(&value), lit(&p.ids[i])))
        .collect();
    let map_def = if map_rows.is_empty() {
        format!(
            "SELECT CAST(NULL AS {t}) AS value, CAST(NULL AS {t}) AS stage_id WHERE 1 = 0",
            t = d.text()
        )
    } else {
        format!(
            "SELECT * FROM (VALUES\n  {}\n) AS v(value, stage_id)",
            map_rows.join(",\n  ")
        )
    };
    view(&mut s, "sopc_stage_values", &map_def);
    let mut kinds = Vec::new();
    for a in 0..p.len() {
        for b in 0..p.len() {
            let kind = p.kind(Some(a), Some(b)).as_str();
            kinds.push(format!(
                "({}, {}, {})",
                lit(&p.ids[a]),
                lit(&p.ids[b]),
                lit(kind)
            ));
        }
    }
    let kinds_def = if kinds.is_empty() {
        format!(
            "SELECT CAST(NULL AS {t}) AS a, CAST(NULL AS {t}) AS b, CAST(NULL AS {t}) AS kind WHERE 1 = 0",
            t = d.text()
        )
    } else {
        format!(
            "SELECT * FROM (VALUES\n  {}\n) AS v(a, b, kind)",
            kinds.join(",\n  ")
        )
    };
    view(&mut s, "sopc_sop_kinds", &kinds_def);

    // Rows, accepted rows, ordered and collapsed events.
    let text = d.text();
    let layout = &input.layout;
    let trimmed = |expr: &str| format!("TRIM(CAST({expr} AS {text}))");
    let amount = |alias: &str| match input.amount_col {
        Some(col) => format!("CAST({alias}{} AS {})", q(col), d.double()),
        None => format!("CAST(NULL AS {})", d.double()),
    };
    let table = d.table(input.table);
    let rows_body = if layout.wide.is_empty() {
        let filter = layout.filter.map_or_else(String::new, |(col, value)| {
            format!("\nWHERE {} = {}", trimmed(&q(col)), lit(value))
        });
        format!(
            "SELECT {case} AS case_id, {stage} AS value, {alt} AS alt, {time} AS t, {amount} \
             AS amount\nFROM {table}{filter}",
            case = trimmed(&q(input.case_col)),
            stage = trimmed(&q(input.stage_col)),
            alt = match layout.stage_alt {
                Some(col) => trimmed(&q(col)),
                None => format!("CAST(NULL AS {text})"),
            },
            time = q(input.time_col),
            amount = amount(""),
        )
    } else {
        wide_rows(
            input,
            &table,
            &trimmed(&format!("s.{}", q(input.case_col))),
            &amount("s."),
        )
    };
    view(&mut s, "sopc_rows", &rows_body);
    let (alt_join, alt_stage, alt_known) = match layout.stage_alt {
        Some(_) => (
            "\nLEFT JOIN sopc_stage_values m2 ON m2.value = r.alt",
            "m2.stage_id, ",
            " OR m2.stage_id IS NOT NULL",
        ),
        None => ("", "", ""),
    };
    view(
        &mut s,
        "sopc_accepted",
        &format!(
            "SELECT r.case_id, COALESCE(NULLIF(r.value, ''), r.alt) AS value, r.t, r.amount,\n  \
             COALESCE(m.stage_id, {alt_stage}NULLIF(r.value, ''), r.alt) AS stage,\n  \
             (m.stage_id IS NOT NULL{alt_known}) AS known\n\
             FROM sopc_rows r LEFT JOIN sopc_stage_values m ON m.value = r.value{alt_join}\n\
             WHERE r.case_id IS NOT NULL AND r.case_id <> '' \
             AND COALESCE(NULLIF(r.value, ''), NULLIF(r.alt, '')) IS NOT NULL AND r.t IS NOT NULL"
        ),
    );
    view(
        &mut s,
        "sopc_ordered",
        "SELECT a.*, LAG(a.stage) OVER (PARTITION BY a.case_id ORDER BY a.t, a.value) AS prev_stage\n\
         FROM sopc_accepted a",
    );
    view(
        &mut s,
        "sopc_kept",
        "SELECT o.case_id, o.value, o.stage, o.known, o.t, o.amount\nFROM sopc_ordered o\n\
         LEFT JOIN sopc_sop_kinds k ON k.a = o.stage AND k.b = o.stage AND k.kind = 'allowed'\n\
         WHERE o.prev_stage IS NULL OR o.prev_stage <> o.stage OR k.a IS NOT NULL",
    );
    let epoch_t = d.epoch("k.t");
    view(
        &mut s,
        "sopc_events",
        &format!(
            "SELECT k.case_id, k.stage, k.known, k.t, {epoch_t} AS t_s, k.amount,\n  \
             ROW_NUMBER() OVER (PARTITION BY k.case_id ORDER BY k.t, k.value) AS i,\n  \
             LEAD(k.stage) OVER (PARTITION BY k.case_id ORDER BY k.t, k.value) AS next_stage,\n  \
             LEAD({epoch_t}) OVER (PARTITION BY k.case_id ORDER BY k.t, k.value) AS next_t_s\n\
             FROM sopc_kept k"
        ),
    );
    let as_of = match &input.as_of {
        Some((text, v)) => format!(
            "{} AS as_of, CAST({v} AS {}) AS as_of_s",
            d.timestamp(text),
            d.double()
        ),
        // The latest accepted row, a collapsed re-save included.
        None => format!(
            "(SELECT MAX(t) FROM sopc_accepted) AS as_of, \
             (SELECT MAX({}) FROM sopc_accepted a) AS as_of_s",
            d.epoch("a.t")
        ),
    };
    view(&mut s, "sopc_as_of", &format!("SELECT {as_of}"));
    view(
        &mut s,
        "sopc_log",
        &format!(
            "SELECT\n  {row_count} AS {rows},\n  \
             (SELECT COUNT(*) FROM sopc_rows) - (SELECT COUNT(*) FROM sopc_accepted) AS rejected,\n  \
             (SELECT COUNT(*) FROM sopc_accepted) - (SELECT COUNT(*) FROM sopc_events) AS dropped,\n  \
             (SELECT COUNT(*) FROM sopc_events) AS events,\n  \
             (SELECT COUNT(DISTINCT case_id) FROM sopc_events) AS cases,\n  \
             (SELECT MIN(t) FROM sopc_events) AS {first},\n  \
             (SELECT MAX(t) FROM sopc_events) AS {last},\n  \
             (SELECT as_of FROM sopc_as_of) AS as_of",
            rows = q("rows"),
            row_count = if layout.wide.is_empty() {
                "(SELECT COUNT(*) FROM sopc_rows)".to_string()
            } else {
                format!("(SELECT COUNT(*) FROM {table})")
            },
            first = q("first"),
            last = q("last"),
        ),
    );
    // Cases: first and last event.
    view(
        &mut s,
        "sopc_case_ends",
        "SELECT e.case_id,\n  \
         MAX(CASE WHEN e.i = 1 THEN e.stage END) AS first_stage,\n  \
         MAX(CASE WHEN e.next_stage IS NULL THEN e.stage END) AS last_stage,\n  \
         MAX(CASE WHEN e.next_stage IS NULL THEN e.t END) AS last_t,\n  \
         MAX(CASE WHEN e.next_stage IS NULL THEN e.t_s END) AS last_t_s\n\
         FROM sopc_events e GROUP BY e.case_id",
    );
    view(
        &mut s,
        "sopc_open_cases",
        &format!(
            "SELECT c.case_id, c.last_stage AS stage, c.last_t AS since,\n  \
             {age} AS age_s,\n  \
             COALESCE(a.as_of_s - c.last_t_s > d.sla_s, FALSE) AS overdue\n\
             FROM sopc_case_ends c CROSS JOIN sopc_as_of a\n\
             LEFT JOIN sopc_sop_stages d ON d.id = c.last_stage\n\
             WHERE NOT COALESCE(d.terminal, FALSE)",
            age = d.round6("a.as_of_s - c.last_t_s"),
        ),
    );
    // Stages: SOP stages in order, then unknown stages by id.
    view(
        &mut s,
        "sopc_stage_list",
        &format!(
            "SELECT CAST(ord AS BIGINT) AS ord, id, TRUE AS known, terminal, sla_s FROM sopc_sop_stages\n\
             UNION ALL\n\
             SELECT {n} + ROW_NUMBER() OVER (ORDER BY {by}) - 1 AS ord, u.id, FALSE AS known, \
             FALSE AS terminal, CAST(NULL AS BIGINT) AS sla_s\n\
             FROM (SELECT DISTINCT stage AS id FROM sopc_events WHERE NOT known) u",
            n = p.len(),
            by = d.binary("u.id"),
        ),
    );
    let (median, p90) = (d.quantile("x.dwell", 0.5), d.quantile("x.dwell", 0.9));
    view(
        &mut s,
        "sopc_visits",
        "SELECT e.case_id, e.stage, e.known, e.next_stage, e.next_t_s - e.t_s AS dwell\n\
         FROM sopc_events e",
    );
    view(
        &mut s,
        "sopc_stage_counts",
        &format!(
            "SELECT l.id, COUNT(x.stage) AS entries, COUNT(DISTINCT x.case_id) AS cases,\n  \
             SUM(CASE WHEN x.next_stage IS NULL AND x.stage IS NOT NULL THEN 1 ELSE 0 END) AS ended_here,\n  \
             COUNT(x.dwell) AS dwell_completed,\n  \
             {median} AS dwell_median_s,\n  \
             {p90} AS dwell_p90_s,\n  \
             MAX(x.dwell) AS dwell_max_s,\n  \
             SUM(CASE WHEN x.dwell > l.sla_s THEN 1 ELSE 0 END) AS breaches\n\
             FROM sopc_stage_list l LEFT JOIN sopc_visits x ON x.stage = l.id AND x.known = l.known\n\
             GROUP BY l.id"
        ),
    );
    view(
        &mut s,
        "sopc_stage_open",
        "SELECT o.stage, COUNT(*) AS open_count, \
         SUM(CASE WHEN o.overdue THEN 1 ELSE 0 END) AS overdue_count\n\
         FROM sopc_open_cases o GROUP BY o.stage",
    );
    view(
        &mut s,
        "sopc_stages",
        &format!(
            "SELECT l.id, l.known, l.terminal, l.sla_s, c.entries, c.cases, c.ended_here,\n  \
             c.dwell_completed, c.dwell_median_s, c.dwell_p90_s, c.dwell_max_s,\n  \
             CASE WHEN l.sla_s IS NULL THEN NULL ELSE c.breaches END AS sla_breaches,\n  \
             CASE WHEN l.sla_s IS NULL OR c.dwell_completed = 0 THEN NULL\n       \
             ELSE {rate} END AS sla_breach_rate,\n  \
             CASE WHEN l.terminal THEN 0 ELSE COALESCE(o.open_count, 0) END AS {open},\n  \
             CASE WHEN l.sla_s IS NULL THEN NULL ELSE COALESCE(o.overdue_count, 0) END AS open_overdue,\n  \
             l.ord AS position\n\
             FROM sopc_stage_list l JOIN sopc_stage_counts c ON c.id = l.id\n\
             LEFT JOIN sopc_stage_open o ON o.stage = l.id",
            rate = d.round6(&format!(
                "CAST(c.breaches AS {}) / c.dwell_completed",
                d.double()
            )),
            open = q("open"),
        ),
    );
    view(
        &mut s,
        "sopc_transitions",
        &format!(
            "SELECT e.stage AS {from}, e.next_stage AS {to}, COUNT(*) AS {count},\n  \
             CASE WHEN MIN(CASE WHEN e.known THEN 1 ELSE 0 END) = 0 THEN 'unknown-stage'\n       \
             ELSE COALESCE(MAX(k.kind), 'unknown-stage') END AS kind\n\
             FROM sopc_events e LEFT JOIN sopc_sop_kinds k ON k.a = e.stage AND k.b = e.next_stage \
             AND e.known\n\
             WHERE e.next_stage IS NOT NULL\nGROUP BY e.stage, e.next_stage",
            from = q("from"),
            to = q("to"),
            count = q("count"),
        ),
    );
    view(
        &mut s,
        "sopc_next",
        &format!(
            "SELECT t.{from}, t.{to}, t.{count},\n  \
             {conversion} AS conversion\n\
             FROM sopc_transitions t JOIN sopc_stage_counts c ON c.id = t.{from}",
            from = q("from"),
            to = q("to"),
            count = q("count"),
            conversion = d.round6(&format!(
                "CAST(t.{} AS {}) / c.entries",
                q("count"),
                d.double()
            )),
        ),
    );
    view(
        &mut s,
        "sopc_bad_starts",
        &format!(
            "SELECT c.first_stage AS stage, COUNT(*) AS {count}\n\
             FROM sopc_case_ends c\n\
             LEFT JOIN sopc_sop_stages d ON d.is_start AND d.id = c.first_stage\n\
             WHERE d.id IS NULL\n\
             GROUP BY c.first_stage",
            count = q("count"),
        ),
    );
    super::sql_kpis::views(&mut s, d, input.kpis, &view);
    s
}

/// The rows of the wide layout: every non-NULL cell of a stage column is an entry of its stage;
/// a row with none is one row without a stage (rejected, as in `sopc audit`). `case` and
/// `amount` are the row's, on the alias `s`.
fn wide_rows(input: &SqlInput, table: &str, case: &str, amount: &str) -> String {
    let d = input.dialect;
    let text = d.text();
    let prefixes = input.layout.wide;
    let starts = |key: &str, p: &str| format!("substr({key}, 1, {}) = {}", p.len(), lit(p));
    // A column is an entry column of its stage when it starts with a prefix (and no earlier
    // one), names a stage after it, and the row has no column of an earlier prefix for it.
    let mut arms = Vec::new();
    let mut stage_of = Vec::new();
    for (rank, prefix) in prefixes.iter().enumerate() {
        let rest = format!("substr(kv.key, {})", prefix.len() + 1);
        let mut test = vec![
            starts("kv.key", prefix),
            format!("length(kv.key) > {}", prefix.len()),
        ];
        for earlier in &prefixes[..rank] {
            test.push(format!("NOT {}", starts("kv.key", earlier)));
            test.push(format!(
                "NOT {}",
                d.has_column("s.sopc_j", &format!("{} || {rest}", lit(earlier)))
            ));
        }
        arms.push(format!("({})", test.join(" AND ")));
        stage_of.push(format!("WHEN {} THEN {rest}", starts("kv.key", prefix)));
    }
    // The casts are guarded: an engine may compute them before filtering.
    let is_entry = format!("({})", arms.join("\n      OR "));
    let stage = format!("CASE {} END", stage_of.join(" "));
    let time = d.text_to_timestamp("NULLIF(TRIM(kv.val), '')");
    let source = format!(
        "(SELECT w.*, {} AS sopc_j FROM {table} w) s",
        d.row_object("w")
    );
    match d {
        Dialect::Spark => format!(
            "SELECT {case} AS case_id, {stage_e} AS value, CAST(NULL AS {text}) AS alt, \
             {time_e} AS t, {amount} AS amount\n\
             FROM {source}\n\
             LATERAL VIEW OUTER explode(map_filter(s.sopc_j, (k, v) -> v IS NOT NULL \
             AND TRIM(v) <> '' AND {is_entry})) e AS key, val",
            is_entry = is_entry.replace("kv.key", "k"),
            stage_e = stage.replace("kv.key", "e.key"),
            time_e = time.replace("kv.val", "e.val"),
        ),
        _ => {
            let entries = match d {
                Dialect::Duckdb => {
                    "(SELECT j.key, j.value ->> '$' AS val FROM json_each(s.sopc_j) j) kv"
                }
                _ => "jsonb_each_text(s.sopc_j) AS kv(key, val)",
            };
            format!(
                "SELECT {case} AS case_id, e.value, CAST(NULL AS {text}) AS alt, e.t, {amount} AS amount\n\
                 FROM {source}\n\
                 LEFT JOIN LATERAL (\n  \
                 SELECT {stage} AS value, CASE WHEN {is_entry} THEN {time} END AS t\n  \
                 FROM {entries}\n  \
                 WHERE kv.val IS NOT NULL AND TRIM(kv.val) <> ''\n    AND {is_entry}\n\
                 ) e ON TRUE"
            )
        }
    }
}
