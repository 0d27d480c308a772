//! The audit page says everything the terminal report says, in the page's language, with its
//! times in the log's own offset, and draws pictures (well-formed inline SVG, each with a title
//! and a legend) whose figures are those of the JSON report of the same run.

use std::collections::HashSet;

use serde_json::Value;

use super::{DEMO_SOP, figures};
use crate::support::{Project, Run};

/// The demo SOP with every title in Chinese, and the page in Chinese.
fn zh_sop() -> String {
    let mut sop = DEMO_SOP.replace("lang \"en\"", "lang \"zh\"");
    for (en, zh) in [
        ("\"Demo sales\"", "\"演示销售\""),
        ("\"Boss\"", "\"负责人\""),
        ("\"Sales\"", "\"销售流程\""),
        ("\"Nurture\"", "\"培育\""),
        ("\"Proposal\"", "\"方案报价\""),
        ("\"Won\"", "\"赢单\""),
        ("\"Lost\"", "\"丢单\""),
        ("\"Win rate\"", "\"赢单率\""),
        ("\"Revenue\"", "\"收入\""),
        ("\"Deals won\"", "\"赢单数\""),
        ("\"Satisfaction\"", "\"满意度\""),
        ("\"Weekly\"", "\"周会\""),
        ("unit deals", "unit 单"),
    ] {
        sop = sop.replace(en, zh);
    }
    sop
}

fn project(sop: &str, log: &str) -> Project {
    Project::new().file("demo.sop", sop).file("log.csv", log)
}

/// The terminal report, the page and the JSON report of the same log.
fn runs(p: &Project) -> (Run, String, Value) {
    let human = p.run(&["audit", "demo.sop", "log.csv", "--html", "report.html"]);
    let page = std::fs::read_to_string(p.path().join("report.html")).expect("the page");
    let json = p
        .run(&["audit", "demo.sop", "log.csv", "--format", "json"])
        .json();
    (human, page, json)
}

/// The page's text: tags dropped (each as a space), entities decoded, the style sheet left out.
fn text_of(page: &str) -> String {
    let body = match (page.find("<style>"), page.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &page[..a], &page[b..]),
        _ => page.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// The words of a text, without the punctuation around them.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| "()[],;:·`?…".contains(c))
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn strings(v: &Value, pointer: &str, key: &str) -> Vec<String> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.get(key).and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Case ids and stage ids and titles the report names.
fn names(json: &Value) -> HashSet<String> {
    let mut names: HashSet<String> = HashSet::new();
    names.extend(strings(json, "/cases", "case_id"));
    names.extend(strings(json, "/open_cases/cases", "case_id"));
    names.extend(strings(json, "/rejected_rows", "case_id"));
    names.extend(strings(json, "/stages", "id"));
    names.extend(strings(json, "/stages", "title"));
    names
}

#[test]
fn the_page_says_every_case_stage_and_figure_the_terminal_says() {
    for sop in [DEMO_SOP.to_string(), zh_sop()] {
        let (human, page, json) = runs(&project(&sop, figures::LOG));
        let text = text_of(&page);
        let shown: HashSet<String> = words(&text).into_iter().collect();
        let names = names(&json);
        let mut checked = 0;
        for w in words(&human.stdout) {
            let figure = w.chars().any(|c| c.is_ascii_digit());
            if figure || names.contains(&w) {
                checked += 1;
                assert!(
                    shown.contains(&w) || text.contains(&w),
                    "the terminal says `{w}`, the page does not:\n{text}"
                );
            }
        }
        assert!(checked > 100, "only {checked} words checked");
        // The open and overdue cases come first, before the stages.
        let open = page.find("id=\"open-cases\"").expect("open cases");
        let stages = page.find("id=\"stages\"").expect("stages");
        assert!(open < stages);
        // Every rejected row names its case, and the row warning is there.
        for id in strings(&json, "/rejected_rows", "case_id") {
            assert!(page.contains(&format!("<td>{id}</td></tr>")), "{id}");
        }
        assert!(page.contains("id=\"row-warnings\""));
        assert!(page.contains("id=\"cases\""));
    }
}

#[test]
fn a_chinese_page_has_no_english_words_but_ids_numbers_and_units() {
    let (_, page, json) = runs(&project(&zh_sop(), figures::LOG));
    let mut allowed = names(&json);
    allowed.extend(strings(&json, "/rejected_rows", "reason"));
    allowed.extend(strings(&json, "/row_warnings", "reason"));
    allowed.extend(strings(&json, "/kpis", "id"));
    if let Some(unknown) = json
        .pointer("/deviations/unknown_stages")
        .and_then(Value::as_object)
    {
        allowed.extend(unknown.keys().cloned());
    }
    allowed.extend(["sales", "log", "csv"].map(String::from));
    // Units and abbreviations: durations (`1d04h`), weeks and quarters (`2026-W09`), P90, the
    // currency, UTC and SOP.
    let units = ["d", "h", "m", "s", "W", "Q", "P", "CNY", "UTC", "SOP"];
    // Values quoted from the log are the log's, in whatever language it is written.
    let mut text = text_of(&page);
    for quoted in strings(&json, "/rejected_rows", "value")
        .into_iter()
        .chain(strings(&json, "/row_warnings", "value"))
    {
        text = text.replace(&quoted, " ");
    }
    let mut english = Vec::new();
    for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let w = w.trim_matches('-');
        if w.is_empty() || allowed.contains(w) {
            continue;
        }
        for part in w.split(|c: char| !c.is_ascii_alphabetic()) {
            if !part.is_empty() && !units.contains(&part) && !allowed.contains(part) {
                english.push(w.to_string());
            }
        }
    }
    assert!(english.is_empty(), "English left in the page: {english:?}");
    // What used to be left in English: the target's period and why a kpi is not computable.
    assert!(text.contains(">= 1_000 每月"), "{text}");
    assert!(text.contains("无法计算 (定性指标)"), "{text}");
}

#[test]
fn as_of_is_shown_in_the_logs_own_offset() {
    let log = "case_id,stage,timestamp\n\
               A,lead,2026-03-01T09:00:00+08:00\n\
               A,qualify,2026-03-02T09:30:00+08:00\n";
    let (human, page, json) = runs(&project(DEMO_SOP, log));
    assert_eq!(json["log"]["as_of"], "2026-03-02T01:30:00Z");
    assert!(
        page.contains("as of 2026-03-02 09:30 +08:00"),
        "{}",
        text_of(&page)
    );
    assert!(page.contains("2026-03-02 09:30 +08:00</td>"), "open since");
    // The terminal report is unchanged: UTC.
    assert!(human.stdout.contains("as of 2026-03-02 01:30 UTC"));
    // `--timezone` names the zone of times without one.
    let log = "case_id,stage,timestamp\nA,lead,2026-03-01 09:00\nA,qualify,2026-03-02 09:30\n";
    let p = project(DEMO_SOP, log);
    p.run(&[
        "audit",
        "demo.sop",
        "log.csv",
        "--timezone",
        "-05:00",
        "--html",
        "r.html",
    ]);
    let page = std::fs::read_to_string(p.path().join("r.html")).expect("the page");
    assert!(page.contains("as of 2026-03-02 09:30 -05:00"), "{page}");
    // A log in several zones is shown in UTC.
    let (_, page, _) = runs(&project(DEMO_SOP, figures::LOG));
    assert!(page.contains("as of 2026-03-10 12:00 UTC"));
}

/// The page's `<svg>` elements, each parsed.
fn pictures(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed svg") + start + 6;
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

fn attr(n: &roxmltree::Node, name: &str) -> f64 {
    n.attribute(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .parse()
        .unwrap_or_else(|_| panic!("{name} is not a number"))
}

fn with_class<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|c| c == class))
        })
        .collect()
}

#[test]
fn the_pictures_are_well_formed_svg_with_the_figures_of_the_json() {
    for sop in [DEMO_SOP.to_string(), zh_sop()] {
        let (_, page, json) = runs(&project(&sop, figures::LOG));
        assert!(!page.contains("<script"), "no script");
        let svgs = pictures(&page);
        let docs: Vec<roxmltree::Document> = svgs
            .iter()
            .map(|s| roxmltree::Document::parse(s).unwrap_or_else(|e| panic!("{e}:\n{s}")))
            .collect();
        let of = |class: &str| {
            docs.iter()
                .find(|d| {
                    d.root_element()
                        .attribute("class")
                        .is_some_and(|c| c.split(' ').any(|c| c == class))
                })
                .unwrap_or_else(|| panic!("no {class} picture"))
        };
        for d in &docs {
            let title = d
                .root_element()
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap_or_default();
            assert!(!title.is_empty(), "a picture without a title");
            assert!(!with_class(d, "legend").is_empty(), "{title}: no legend");
        }
        let stages = json["stages"].as_array().expect("stages");
        let known: Vec<&Value> = stages.iter().filter(|s| s["known"] == true).collect();
        let known_ids: HashSet<&str> = known.iter().filter_map(|s| s["id"].as_str()).collect();

        // Process map: one edge per move between two of the SOP's stages, with its count.
        let map = of("process-map");
        let edges = with_class(map, "edge");
        let mut observed = 0;
        for t in json["transitions"].as_array().expect("transitions") {
            let (from, to) = (t["from"].as_str().unwrap(), t["to"].as_str().unwrap());
            if from == to || !known_ids.contains(from) || !known_ids.contains(to) {
                continue;
            }
            observed += 1;
            let edge = edges
                .iter()
                .find(|e| {
                    e.attribute("data-from") == Some(from) && e.attribute("data-to") == Some(to)
                })
                .unwrap_or_else(|| panic!("no edge {from} -> {to}"));
            assert_eq!(attr(edge, "data-count"), t["count"].as_f64().unwrap());
            let class = edge.attribute("class").unwrap();
            let allowed = t["kind"] == "allowed";
            assert_eq!(class.contains("disallowed"), !allowed, "{from} -> {to}");
            let line = edge
                .children()
                .find(|n| n.has_tag_name("polyline"))
                .unwrap();
            assert_eq!(line.attribute("stroke-dasharray").is_some(), !allowed);
            let label = edge.children().find(|n| n.has_tag_name("text")).unwrap();
            assert_eq!(label.text(), Some(t["count"].to_string().as_str()));
        }
        assert!(observed >= 6, "{observed}");
        // Thicker the more cases took it.
        let width_of = |e: &roxmltree::Node| {
            attr(
                &e.children().find(|n| n.has_tag_name("polyline")).unwrap(),
                "stroke-width",
            )
        };
        for a in &edges {
            for b in &edges {
                if attr(a, "data-count") > attr(b, "data-count") {
                    assert!(width_of(a) > width_of(b));
                }
            }
        }
        // Each stage with its entries.
        for s in &known {
            let node = with_class(map, "stage")
                .into_iter()
                .find(|n| n.attribute("data-stage") == s["id"].as_str())
                .expect("a stage box");
            assert_eq!(attr(&node, "data-entries"), s["entries"].as_f64().unwrap());
        }

        // Funnel: the bars are the cases reaching each stage, as a share of all cases.
        let cases = json["log"]["cases"].as_f64().unwrap();
        let bars = with_class(of("funnel"), "bar");
        assert_eq!(bars.len(), known.len());
        for (bar, s) in bars.iter().zip(&known) {
            assert_eq!(bar.attribute("data-stage"), s["id"].as_str());
            let n = s["cases"].as_f64().unwrap();
            assert_eq!(attr(bar, "data-value"), n);
            assert!((attr(bar, "width") - 360.0 * n / cases).abs() < 0.1);
        }

        // Dwell: each stage with completed visits, its SLA line where it has one.
        let rows = with_class(of("dwell"), "dwell-row");
        let with_visits: Vec<&&Value> = known
            .iter()
            .filter(|s| s["terminal"] == false && s["dwell"]["completed"].as_u64() > Some(0))
            .collect();
        assert_eq!(rows.len(), with_visits.len());
        for (row, s) in rows.iter().zip(&with_visits) {
            assert_eq!(
                attr(row, "data-median"),
                s["dwell"]["median_s"].as_f64().unwrap()
            );
            let sla = row.children().find(|n| n.attribute("class") == Some("sla"));
            assert_eq!(
                sla.map(|n| attr(&n, "data-sla")),
                s["sla_s"].as_f64(),
                "{}",
                s["id"]
            );
        }

        // Each kpi per period: a bar per period, as high as its value, and the target line.
        let kpi_svgs: Vec<&roxmltree::Document> = docs
            .iter()
            .filter(|d| d.root_element().attribute("class") == Some("picture kpi"))
            .collect();
        let per_period: Vec<&Value> = json["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["periods"].as_array().is_some_and(|p| !p.is_empty()))
            .collect();
        assert_eq!(kpi_svgs.len(), per_period.len());
        assert!(per_period.len() >= 2);
        for (d, k) in kpi_svgs.iter().zip(&per_period) {
            let periods = k["periods"].as_array().unwrap();
            let bars = with_class(d, "bar");
            assert_eq!(bars.len(), periods.len());
            let target = with_class(d, "target");
            let target = attr(&target[0], "data-value");
            let scale = periods
                .iter()
                .map(|p| p["value"].as_f64().unwrap_or(0.0))
                .fold(target, f64::max);
            for (bar, p) in bars.iter().zip(periods) {
                let v = p["value"].as_f64().unwrap_or(0.0);
                assert_eq!(bar.attribute("data-period"), p["period"].as_str());
                assert_eq!(attr(bar, "data-value"), v);
                assert!((attr(bar, "height") - 140.0 * v / scale).abs() < 0.01);
                // Met or missed reads in grey too: solid or hatched.
                let hatched = bar.attribute("fill").unwrap().starts_with("url(");
                assert_eq!(hatched, p["met"] != true);
            }
        }
    }
}
