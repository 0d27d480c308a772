//! The `sopc_kpis` view of `--emit-sql`: every kpi's value (and its values per period, the list
//! bounded as in `sopc audit`) computed by the engine over the events of the other views.

use std::fmt::Write as _;

use super::kpi::{Goal, LISTED_PERIODS};
use super::report::{KpiReport, Measure};
use super::sql::{Dialect, lit};
use crate::syntax::{Comparator, Period};

/// The views behind `sopc_kpis`, and `sopc_kpis` itself, appended to `s`. `view` writes one
/// `CREATE OR REPLACE VIEW`.
pub fn views(
    s: &mut String,
    d: Dialect,
    kpis: &[(KpiReport, Option<Goal>)],
    view: &dyn Fn(&mut String, &str, &str),
) {
    let text = d.text();
    let dbl = d.double();
    // Per case: its first event, its first entry into each stage, its amount.
    view(
        s,
        "sopc_case_start",
        "SELECT e.case_id, e.t AS first_t, e.t_s AS first_s FROM sopc_events e WHERE e.i = 1",
    );
    view(
        s,
        "sopc_case_entries",
        "SELECT e.stage, e.case_id, MIN(e.t) AS entry_t, MIN(e.t_s) AS entry_s\n\
         FROM sopc_events e WHERE e.known GROUP BY e.stage, e.case_id",
    );
    view(
        s,
        "sopc_case_amount",
        "SELECT e.case_id, e.amount FROM sopc_events e\n\
         JOIN (SELECT case_id, MAX(CASE WHEN amount IS NOT NULL THEN i END) AS ai\n      \
         FROM sopc_events GROUP BY case_id) x ON x.case_id = e.case_id AND e.i = x.ai",
    );
    // The periods of the log: from the first event's to the later of as-of and the last event.
    view(
        s,
        "sopc_period_span",
        "SELECT MIN(e.t) AS lo_t, MIN(e.t_s) AS lo_s,\n  \
         GREATEST(MAX(e.t), MAX(a.as_of)) AS hi_t, GREATEST(MAX(e.t_s), MAX(a.as_of_s)) AS hi_s\n\
         FROM sopc_events e CROSS JOIN sopc_as_of a",
    );
    let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))";
    view(
        s,
        "sopc_numbers",
        &format!(
            "SELECT a.d + 10 * b.d + 100 * c.d AS n\n\
             FROM {digits} AS a(d) CROSS JOIN {digits} AS b(d) CROSS JOIN {digits} AS c(d)"
        ),
    );
    let mut names = Vec::new();
    for (i, (report, goal)) in kpis.iter().enumerate() {
        let name = format!("sopc_kpi_{i}");
        let body = match goal {
            None => format!(
                "SELECT {id} AS id, CAST(NULL AS {text}) AS period, CAST(NULL AS {dbl}) AS value, \
                 CAST(NULL AS BOOLEAN) AS met",
                id = lit(&report.id)
            ),
            Some(goal) => computed(d, &report.id, goal),
        };
        view(s, &name, &body);
        names.push(format!("SELECT id, period, value, met FROM {name}"));
    }
    let all = if names.is_empty() {
        format!(
            "SELECT CAST(NULL AS {text}) AS id, CAST(NULL AS {text}) AS period, \
             CAST(NULL AS {dbl}) AS value, CAST(NULL AS BOOLEAN) AS met WHERE 1 = 0"
        )
    } else {
        names.join("\nUNION ALL\n")
    };
    view(s, "sopc_kpis", &all);
}

/// A computable kpi: one row without `per`, else one row per listed period.
fn computed(d: Dialect, id: &str, g: &Goal) -> String {
    let dbl = d.double();
    let text = d.text();
    let stage = lit(&g.stage_id);
    let cmp = match g.comparator {
        Comparator::Ge => ">=",
        Comparator::Le => "<=",
        Comparator::Gt => ">",
        Comparator::Lt => "<",
        Comparator::Eq => "=",
    };
    let met = |value: &str| {
        format!(
            "CASE WHEN {value} IS NULL THEN NULL WHEN {value} {cmp} CAST({} AS {dbl}) THEN TRUE \
             ELSE FALSE END",
            g.value
        )
    };
    // The entered cases, each with the time its value is filed under.
    let entered = format!(
        "SELECT n.case_id, n.entry_t, n.entry_s, s.first_t, s.first_s, m.amount\n  \
         FROM sopc_case_entries n JOIN sopc_case_start s ON s.case_id = n.case_id\n  \
         LEFT JOIN sopc_case_amount m ON m.case_id = n.case_id\n  WHERE n.stage = {stage}"
    );
    let median = d.quantile("x.entry_s - x.first_s", 0.5);
    let Some(per) = g.per else {
        let value = match g.measure {
            Measure::Conversion => format!(
                "(SELECT CASE WHEN c.n = 0 THEN NULL ELSE {} END\n   \
                 FROM (SELECT COUNT(*) AS n FROM sopc_case_start) c\n   \
                 CROSS JOIN (SELECT COUNT(*) AS m FROM ({entered}) x) x)",
                d.round6(&format!("100.0 * CAST(x.m AS {dbl}) / c.n"))
            ),
            Measure::Count => format!("(SELECT CAST(COUNT(*) AS {dbl}) FROM ({entered}) x)"),
            Measure::Amount => {
                format!("(SELECT COALESCE(SUM(x.amount), CAST(0 AS {dbl})) FROM ({entered}) x)")
            }
            Measure::Duration => format!(
                "(SELECT {} FROM ({entered}) x)",
                d.round6(&format!("CAST({median} AS {dbl})"))
            ),
        };
        return format!(
            "SELECT {id} AS id, CAST(NULL AS {text}) AS period, v.value, {met} AS met\n\
             FROM (SELECT CAST({value} AS {dbl}) AS value) v",
            id = lit(id),
            met = met("v.value"),
        );
    };
    // The buckets: a value per period key that has an entry (a cohort for a conversion).
    let (key_of, bucket_value, empty) = match g.measure {
        Measure::Conversion => (
            key(d, per, "s.first_t", "s.first_s"),
            d.round6(&format!(
                "100.0 * CAST(SUM(CASE WHEN n.case_id IS NULL THEN 0 ELSE 1 END) AS {dbl}) / COUNT(*)"
            )),
            "NULL".to_string(),
        ),
        Measure::Count => (
            key(d, per, "x.entry_t", "x.entry_s"),
            format!("CAST(COUNT(*) AS {dbl})"),
            "0".to_string(),
        ),
        Measure::Amount => (
            key(d, per, "x.entry_t", "x.entry_s"),
            "SUM(x.amount)".to_string(),
            "0".to_string(),
        ),
        Measure::Duration => (
            key(d, per, "x.entry_t", "x.entry_s"),
            d.round6(&format!("CAST({median} AS {dbl})")),
            "NULL".to_string(),
        ),
    };
    let buckets = match g.measure {
        Measure::Conversion => format!(
            "SELECT {key_of} AS k, {bucket_value} AS value\n  \
             FROM sopc_case_start s\n  \
             LEFT JOIN sopc_case_entries n ON n.case_id = s.case_id AND n.stage = {stage}\n  \
             GROUP BY {key_of}"
        ),
        // An amount period holds the cases with an amount only, as in `sopc audit`.
        Measure::Amount => format!(
            "SELECT {key_of} AS k, {bucket_value} AS value FROM ({entered}) x\n  \
             WHERE x.amount IS NOT NULL GROUP BY {key_of}"
        ),
        _ => format!(
            "SELECT {key_of} AS k, {bucket_value} AS value FROM ({entered}) x GROUP BY {key_of}"
        ),
    };
    let lo = key(d, per, "p.lo_t", "p.lo_s");
    let hi = key(d, per, "p.hi_t", "p.hi_s");
    let label = |k: &str| label(d, per, k);
    let mut s = String::new();
    let _ = write!(
        s,
        "WITH buckets AS (\n  {buckets}\n),\n\
         span AS (\n  SELECT lo_k, hi_k, CASE WHEN hi_k < lo_k + {n} THEN hi_k ELSE lo_k + {n} END AS head_end\n  \
         FROM (SELECT {lo} AS lo_k, {hi} + 1 AS hi_k FROM sopc_period_span p WHERE p.lo_t IS NOT NULL) q\n),\n\
         head AS (\n  SELECT sp.lo_k + nb.n AS k FROM span sp CROSS JOIN sopc_numbers nb WHERE sp.lo_k + nb.n < sp.head_end\n),\n\
         later AS (\n  SELECT b.k, LAG(b.k) OVER (ORDER BY b.k) AS prev FROM buckets b CROSS JOIN span sp\n  \
         WHERE b.k >= sp.head_end AND b.k < sp.hi_k\n),\n\
         runs AS (\n  \
         SELECT COALESCE(l.prev + 1, sp.head_end) AS first_k, l.k - 1 AS last_k FROM later l CROSS JOIN span sp\n  \
         UNION ALL\n  \
         SELECT COALESCE(MAX(l.k) + 1, MAX(sp.head_end)) AS first_k, MAX(sp.hi_k) - 1 AS last_k\n  \
         FROM span sp LEFT JOIN later l ON 1 = 1\n),\n\
         listed AS (\n  \
         SELECT h.k AS k, {lh} AS period, b.value AS value FROM head h LEFT JOIN buckets b ON b.k = h.k\n  \
         UNION ALL\n  \
         SELECT l.k AS k, {ll} AS period, b.value AS value FROM later l JOIN buckets b ON b.k = l.k\n  \
         UNION ALL\n  \
         SELECT r.first_k AS k,\n    \
         CASE WHEN r.first_k = r.last_k THEN {lf} ELSE CONCAT({lf}, '/', {lt}) END AS period,\n    \
         CAST(NULL AS {dbl}) AS value\n  \
         FROM runs r WHERE r.last_k >= r.first_k\n)\n\
         SELECT {id} AS id, CAST(x.period AS {text}) AS period, x.value, {met} AS met\n\
         FROM (SELECT k, period, CAST(COALESCE(value, {empty}) AS {dbl}) AS value FROM listed) x",
        n = LISTED_PERIODS,
        lh = label("h.k"),
        ll = label("l.k"),
        lf = label("r.first_k"),
        lt = label("r.last_k"),
        id = lit(id),
        met = met("x.value"),
    );
    s
}

/// The period key of a timestamp (`t`, its epoch seconds `t_s`), as `period_key` computes it:
/// days since 1970-01-01, weeks from Monday 1969-12-29, year·12 + month − 1, year·4 + quarter
/// − 1, the year.
fn key(d: Dialect, per: Period, t: &str, t_s: &str) -> String {
    let dbl = d.double();
    let year = format!("CAST(EXTRACT(YEAR FROM {t}) AS BIGINT)");
    let month = format!("CAST(EXTRACT(MONTH FROM {t}) AS BIGINT)");
    let days = format!("FLOOR({t_s} / 86400.0)");
    match per {
        Period::Day => format!("CAST({days} AS BIGINT)"),
        Period::Week => format!("CAST(FLOOR(({days} + 3) / 7.0) AS BIGINT)"),
        Period::Month => format!("({year} * 12 + {month} - 1)"),
        Period::Quarter => {
            format!("({year} * 4 + CAST(FLOOR(CAST({month} - 1 AS {dbl}) / 3.0) AS BIGINT))")
        }
        Period::Year => year,
    }
}

/// The label of a period key: `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-Qn`, `YYYY`.
fn label(d: Dialect, per: Period, k: &str) -> String {
    let text = d.text();
    let dbl = d.double();
    let pad = |x: &str, n: u8| format!("LPAD(CAST(CAST({x} AS BIGINT) AS {text}), {n}, '0')");
    let div = |n: u8| format!("CAST(FLOOR(CAST({k} AS {dbl}) / {n}.0) AS BIGINT)");
    match per {
        Period::Day => {
            let date = d.date_from_days(k);
            format!(
                "CONCAT({}, '-', {}, '-', {})",
                pad(&format!("EXTRACT(YEAR FROM {date})"), 4),
                pad(&format!("EXTRACT(MONTH FROM {date})"), 2),
                pad(&format!("EXTRACT(DAY FROM {date})"), 2)
            )
        }
        Period::Week => {
            // The ISO year is the year of the week's Thursday.
            let thursday = d.date_from_days(&format!("({k}) * 7"));
            format!(
                "CONCAT({}, '-W', {})",
                pad(&format!("EXTRACT(YEAR FROM {thursday})"), 4),
                pad(
                    &format!("FLOOR((EXTRACT(DOY FROM {thursday}) - 1) / 7.0) + 1"),
                    2
                )
            )
        }
        Period::Month => format!(
            "CONCAT({}, '-', {})",
            pad(&div(12), 4),
            pad(&format!("{k} - 12 * {} + 1", div(12)), 2)
        ),
        Period::Quarter => format!(
            "CONCAT({}, '-Q', {})",
            pad(&div(4), 4),
            pad(&format!("{k} - 4 * {} + 1", div(4)), 1)
        ),
        Period::Year => pad(k, 4),
    }
}
