//! KPIs that say what they measure: `measure` (written or inferred), durations as medians in
//! seconds held against the target in seconds, the `method` sentence on every kpi in JSON,
//! human and HTML output, and period lists that stay bounded over decades of days.

use serde_json::{Value, json};

use super::{DEMO_SOP, audit_json, project};
use crate::support::Project;

/// Five deals. Hours from each one's first event to its first entry into `won`: A 4, B 5,
/// C 31 (median 5 h = 18,000 s); into `qualify`: A 1.5 h on 03-01, B 10 min on 03-02, C 24 h
/// and D 4 h on 03-04. Amounts on `won`: A 100, B 250.5, C none.
const LOG: &str = "\
case_id,stage,timestamp,amount
A,lead,2026-03-01T09:00:00Z,
A,qualify,2026-03-01T10:30:00Z,
A,propose,2026-03-01T11:00:00Z,
A,won,2026-03-01T13:00:00Z,100
B,lead,2026-03-02T09:00:00Z,
B,qualify,2026-03-02T09:10:00Z,
B,propose,2026-03-02T10:00:00Z,
B,won,2026-03-02T14:00:00Z,250.5
C,lead,2026-03-03T09:00:00Z,
C,qualify,2026-03-04T09:00:00Z,
C,propose,2026-03-04T10:00:00Z,
C,won,2026-03-04T16:00:00Z,
D,lead,2026-03-04T08:00:00Z,
D,qualify,2026-03-04T12:00:00Z,
E,lead,2026-03-04T09:00:00Z,
";

fn sop(lang: &str) -> String {
    format!(
        "{}
kpi time_to_win \"Time to win\" {{ kind quantitative target <= 2 h stage won owner boss }}
kpi time_to_qualify \"Time to qualify\" {{ kind quantitative measure duration target <= 1 d per day stage qualify owner boss }}
kpi qualify_hours \"Hours to qualify\" {{ kind quantitative unit h target <= 2 stage qualify owner boss }}
kpi won_value \"Won value\" {{ kind quantitative measure amount unit yuan target >= 100 stage won owner boss }}
kpi odd \"Odd\" {{ kind quantitative measure duration target >= 3 deals stage won owner boss }}
",
        DEMO_SOP.replace("lang \"en\"", &format!("lang \"{lang}\""))
    )
}

fn kpis(p: &Project) -> Vec<Value> {
    let r = audit_json(p, "log.csv", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()["kpis"].as_array().unwrap().clone()
}

fn kpi<'a>(kpis: &'a [Value], id: &str) -> &'a Value {
    kpis.iter().find(|k| k["id"] == id).unwrap()
}

#[test]
fn a_duration_is_the_median_in_seconds_held_against_the_target_in_seconds() {
    let p = project("log.csv", LOG).file("demo.sop", &sop("en"));
    let kpis = kpis(&p);
    assert_eq!(
        kpi(&kpis, "time_to_win"),
        &json!({"id": "time_to_win", "stage": "won", "computable": true, "measure": "duration",
                "method": "median time from a case's first event to its first entry into `won`, \
                           over the cases that reached it",
                "unit": "h", "target": "<= 2 h", "target_s": 7200.0,
                "value": 18000.0, "met": false})
    );
    // `unit h` on the kpi makes a duration too: median of 5400, 600, 86400, 14400 s.
    let hours = kpi(&kpis, "qualify_hours");
    assert_eq!(hours["measure"], "duration");
    assert_eq!(hours["value"], 9900.0);
    assert_eq!(hours["target_s"], 7200.0);
    assert_eq!(hours["met"], false);
}

#[test]
fn a_duration_per_period_is_the_median_of_the_cases_entering_in_it() {
    let p = project("log.csv", LOG).file("demo.sop", &sop("en"));
    let kpis = kpis(&p);
    let k = kpi(&kpis, "time_to_qualify");
    assert_eq!(k["measure"], "duration");
    assert_eq!(k["target_s"], 86400.0);
    assert_eq!(
        k["periods"],
        json!([
            {"period": "2026-03-01", "value": 5400.0, "met": true},
            {"period": "2026-03-02", "value": 600.0, "met": true},
            // No case entered `qualify` that day: no median, neither met nor missed.
            {"period": "2026-03-03", "value": null, "met": null},
            {"period": "2026-03-04", "value": 50400.0, "met": true},
        ])
    );
    assert!(
        k["method"]
            .as_str()
            .unwrap()
            .starts_with("per day: median time from a case's first event"),
        "{k}"
    );
}

#[test]
fn a_written_measure_wins_over_the_unit_and_every_kpi_says_how_it_was_computed() {
    let p = project("log.csv", LOG).file("demo.sop", &sop("en"));
    let kpis = kpis(&p);
    // `yuan` is no currency code, but `measure amount` sums amounts: 100 + 250.5, C has none.
    let value = kpi(&kpis, "won_value");
    assert_eq!(value["measure"], "amount");
    assert_eq!(value["value"], 350.5);
    assert_eq!(value["missing_amount"], 1);
    assert_eq!(value["met"], true);
    // A duration whose target is no time cannot be held against it.
    let odd = kpi(&kpis, "odd");
    assert_eq!(odd["computable"], false);
    assert_eq!(odd["reason"], "no time unit");
    assert_eq!(odd["measure"], "duration");
    assert!(odd.get("value").is_none(), "{odd}");
    assert_eq!(
        odd["method"],
        "not computed: a duration needs a target in a time unit (`min`, `h`, `d`, `w`)"
    );
    for k in &kpis {
        assert!(
            k["method"].as_str().is_some_and(|m| !m.is_empty()),
            "{k} has no method"
        );
        assert!(k.get("measure").is_some(), "{k} has no measure");
    }
    assert_eq!(kpi(&kpis, "csat")["measure"], Value::Null);
    assert_eq!(
        kpi(&kpis, "win_rate")["method"],
        "share of cases that reached `won`"
    );
    // Without an amount column an amount kpi says why it is not computed.
    let no_amount: String = LOG
        .lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head).to_string() + "\n")
        .collect();
    let p = project("log.csv", &no_amount).file("demo.sop", &sop("en"));
    let kpis = self::kpis(&p);
    let value = kpi(&kpis, "won_value");
    assert_eq!(value["reason"], "no amount column");
    assert_eq!(
        value["method"],
        "not computed: the log has no amount column (name it with `--amount-col`)"
    );
}

#[test]
fn human_and_html_show_a_duration_as_a_duration_and_the_method_in_the_pages_language() {
    let p = project("log.csv", LOG).file("demo.sop", &sop("en"));
    let human = p
        .run(&["audit", "demo.sop", "log.csv", "--html", "report.html"])
        .stdout;
    let line = human
        .lines()
        .find(|l| l.contains("(time_to_win)"))
        .unwrap_or_else(|| panic!("{human}"));
    assert!(line.contains(": 5 h  target <= 2 h"), "{line}");
    assert!(
        !line.contains("18,000") && !line.contains("hours"),
        "{line}"
    );
    assert!(
        human.contains(
            "\n       median time from a case's first event to its first entry into `won`, over the cases that reached it\n"
        ),
        "{human}"
    );
    assert!(
        human.contains(
            "2026-03-01 1 h 30 min ✓ · 2026-03-02 10 min ✓ · 2026-03-03 — · 2026-03-04 14 h ✓"
        ),
        "{human}"
    );
    let page = std::fs::read_to_string(p.path().join("report.html")).unwrap();
    assert!(
        page.contains("<div class=\"method\">share of cases that reached `won`</div>"),
        "{page}"
    );
    assert!(
        page.contains(">5 h<"),
        "the page shows the median as a duration"
    );

    // A Chinese report names the items by the pipeline's `case` word.
    let zh = sop("zh").replace(
        "pipeline sales \"Sales\" {",
        "pipeline sales \"Sales\" {\n  case \"商机\"",
    );
    let p = project("log.csv", LOG).file("demo.sop", &zh);
    let human = p.run(&["audit", "demo.sop", "log.csv"]).stdout;
    assert!(human.contains(": 5小时  目标 <= 2 h"), "{human}");
    assert!(human.contains("2026-03-01 1小时30分 ✓"), "{human}");
    assert!(
        human.contains("进入 `won` 的商机从首个事件到首次进入 `won` 的时间的中位数"),
        "{human}"
    );
    assert!(
        human.contains("未计算：时长指标的目标需要时间单位"),
        "{human}"
    );
}

/// Three wins 30 years apart, a `per day` count: the first 1,000 days one by one, then each
/// run of days without a win as one element, each day with a win on its own.
#[test]
fn thirty_years_of_days_list_a_thousand_days_then_runs() {
    let log = "\
case_id,stage,timestamp
A,lead,1996-01-01T08:00:00Z
A,won,1996-01-02T08:00:00Z
B,lead,2010-06-14T08:00:00Z
B,won,2010-06-15T08:00:00Z
C,lead,2025-12-31T08:00:00Z
C,won,2026-01-01T08:00:00Z
";
    let p = project("log.csv", log).file(
        "demo.sop",
        &format!(
            "{DEMO_SOP}\nkpi daily \"Daily wins\" {{ kind quantitative measure count target >= 1 per day stage won owner boss }}\n"
        ),
    );
    let kpis = kpis(&p);
    let periods = kpi(&kpis, "daily")["periods"].as_array().unwrap().clone();
    // 1996-01-01 + 999 days is 1998-09-26 (366 + 365 + 268 days).
    assert_eq!(periods.len(), 1_000 + 4);
    assert_eq!(periods[0]["period"], "1996-01-01");
    assert_eq!(
        periods[1],
        json!({"period": "1996-01-02", "value": 1, "met": true})
    );
    assert_eq!(periods[999]["period"], "1998-09-26");
    assert_eq!(
        &periods[1_000..],
        &[
            json!({"period": "1998-09-27/2010-06-14", "value": 0, "met": false}),
            json!({"period": "2010-06-15", "value": 1, "met": true}),
            json!({"period": "2010-06-16/2025-12-31", "value": 0, "met": false}),
            json!({"period": "2026-01-01", "value": 1, "met": true}),
        ]
    );
    // Every win is in the list.
    let total: u64 = periods.iter().filter_map(|p| p["value"].as_u64()).sum();
    assert_eq!(total, 3);
}
