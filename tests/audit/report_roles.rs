//! Who handled each stage, in the human report and on the page: roles with their events against
//! the SOP's owner, the owner mismatches, the actors; nothing of it without a role or an actor
//! column. And the page's picture of the cases started per week: a bar per ISO week in the log's
//! own offset, per month beyond two years, no label over another.

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::{DEMO_SOP, audit_json};
use crate::support::{Project, Run};

/// Roles written as the owner's id (`boss`), its title (`Boss`), another role (`rep`, `销售代表`)
/// or not at all; five actors in `lead`.
const LOG: &str = "case_id,stage,timestamp,actor,role\n\
                   A,lead,2026-03-01,王芳,boss\n\
                   A,qualify,2026-03-02,李雷,Boss\n\
                   A,won,2026-03-04,李雷,rep\n\
                   B,lead,2026-03-01,Tom,rep\n\
                   B,Qualify,2026-03-03,Tom,rep\n\
                   B,propose,2026-03-04,Tom,\n\
                   C,lead,2026-03-02,Tom,rep\n\
                   D,lead,2026-03-20,张伟,销售代表\n\
                   E,lead,2026-03-21,Bob,rep\n\
                   F,lead,2026-03-21,Cy,rep\n";

/// The demo SOP with its labels in `lang`.
fn sop(lang: &str) -> String {
    DEMO_SOP.replace("lang \"en\"", &format!("lang \"{lang}\""))
}

fn project(lang: &str, log: &str) -> Project {
    Project::new()
        .file("demo.sop", &sop(lang))
        .file("log.csv", log)
}

/// The human report and the page of `log.csv`, with `extra` arguments.
fn human_and_page(p: &Project, extra: &[&str]) -> (Run, String) {
    let mut args = vec!["audit", "demo.sop", "log.csv", "--html", "report.html"];
    args.extend_from_slice(extra);
    let run = p.run(&args);
    let page = std::fs::read_to_string(p.path().join("report.html")).expect("the page");
    (run, page)
}

/// The lines of the human report from the one that starts with `heading` to the next blank line
/// or heading of another section.
fn section<'a>(stdout: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(heading));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no `{heading}`:\n{stdout}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| l.starts_with("  ")))
        .collect()
}

/// The terminal column `needle` starts at in `line`.
fn column(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in `{line}`"));
    line[..at].width()
}

#[test]
fn the_human_report_says_who_handled_each_stage() {
    for lang in ["en", "zh"] {
        let (run, _) = human_and_page(&project(lang, LOG), &[]);
        insta::assert_snapshot!(format!("roles-{lang}.human"), run.stdout);
    }
    let (run, _) = human_and_page(&project("en", LOG), &[]);
    let table = section(&run.stdout, "who handled each stage:");
    // Header, then the stages cases entered: lead, qualify, propose, won and the unknown Qualify.
    assert_eq!(table.len(), 1 + 1 + 5, "{}", table.join("\n"));
    let header = table[1];
    let lead = table[2];
    assert!(lead.starts_with("  线索 "), "{lead}");
    // The roles, the most events first; 5 of 6 events with a role are not the owner's.
    assert!(lead.contains("rep 4, boss 1, 销售代表 1"), "{lead}");
    assert!(lead.contains("5 (83%)"), "{lead}");
    // The top three actors, and how many more.
    assert!(lead.contains("Tom 2, Bob 1, Cy 1 and 2 more"), "{lead}");
    // Aligned in terminal columns, Chinese names two wide each.
    let qualify = table[3];
    assert!(qualify.starts_with("  客户筛选 "), "{qualify}");
    for (row, owner, actor) in [(lead, "boss", "Tom"), (qualify, "boss", "李雷")] {
        assert_eq!(column(row, owner), column(header, "owner"), "{row}");
        assert_eq!(column(row, actor), column(header, "actors"), "{row}");
    }
    // The mismatch column is right-aligned: it ends where its header ends.
    let end = column(header, "not owner") + "not owner".len();
    assert_eq!(column(lead, "5 (83%)") + "5 (83%)".len(), end);
    assert_eq!(column(qualify, "0  ") + 1, end, "{qualify}");
    // `won` has no owner, `Qualify` is not a stage of the SOP: no mismatch to count.
    let won = table.iter().find(|l| l.starts_with("  Won ")).expect("won");
    assert!(won.contains("  —  "), "{won}");

    // The mismatches, as JSON lists them: (stage, role, events, cases).
    let json = audit_json(&project("en", LOG), "log.csv", &[]).json();
    let mismatches = json["deviations"]["owner_mismatch"].as_array().unwrap();
    let list = section(&run.stdout, "owner mismatch");
    assert_eq!(list[0], format!("owner mismatch ({}):", mismatches.len()));
    assert_eq!(list.len(), 2 + mismatches.len(), "{}", list.join("\n"));
    for (line, m) in list[2..].iter().zip(mismatches) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let events = m["events"].to_string();
        let cases = m["cases"].to_string();
        assert_eq!(
            cells,
            ["线索", "boss", m["role"].as_str().unwrap(), &events, &cases],
            "{line}"
        );
    }
}

#[test]
fn without_a_role_or_an_actor_column_nothing_is_said_of_them() {
    let plain: String = LOG
        .lines()
        .map(|l| l.rsplitn(3, ',').nth(2).unwrap().to_string() + "\n")
        .collect();
    for lang in ["en", "zh"] {
        let (run, page) = human_and_page(&project(lang, &plain), &[]);
        for word in [
            "who handled",
            "owner mismatch",
            "各阶段经办情况",
            "负责人不符",
        ] {
            assert!(!run.stdout.contains(word), "{word}:\n{}", run.stdout);
        }
        assert!(!page.contains("id=\"handled\""));
        assert!(!page.contains("id=\"owner-mismatch\""));
    }
    // A role column but no event: nothing to say either.
    let (run, page) = human_and_page(&project("en", "case_id,stage,timestamp,actor,role\n"), &[]);
    assert!(!run.stdout.contains("who handled"), "{}", run.stdout);
    assert!(!page.contains("id=\"handled\""));
    // An actor column alone: who handled each stage, without roles, owners or mismatches.
    let actors_only: String = LOG
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let (run, page) = human_and_page(&project("en", &actors_only), &[]);
    let table = section(&run.stdout, "who handled each stage:");
    assert_eq!(
        table[1].split_whitespace().collect::<Vec<_>>(),
        ["stage", "actors"]
    );
    assert!(
        table[2].contains("Tom 2, Bob 1, Cy 1 and 2 more"),
        "{}",
        table[2]
    );
    assert!(!run.stdout.contains("owner mismatch"), "{}", run.stdout);
    assert!(page.contains("<table class=\"handled\">"));
    assert!(!page.contains("id=\"owner-mismatch\""));
}

/// The rows of the page's table of `class`, each as its cells' text (tags dropped).
fn table_rows(page: &str, class: &str) -> Vec<Vec<String>> {
    let start = page
        .find(&format!("<table class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no table {class}"));
    let end = start + page[start..].find("</table>").expect("a closed table");
    let text = |html: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.trim().to_string()
    };
    page[start..end]
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let row = row.replace("</th>", "</td>");
            let mut cells: Vec<String> = row.split("</td>").map(text).collect();
            cells.pop();
            cells
        })
        .collect()
}

#[test]
fn the_page_shows_the_same_as_tables_with_a_header_and_a_legend() {
    let json = audit_json(&project("en", LOG), "log.csv", &[]).json();
    for (lang, heading, legend) in [
        ("en", "Who handled each stage", "roles, actors: the stage"),
        ("zh", "各阶段经办情况", "角色、经办人："),
    ] {
        let (_, page) = human_and_page(&project(lang, LOG), &[]);
        assert!(page.contains(&format!("<h2 id=\"handled\">{heading}</h2>")));
        assert!(page.contains(legend), "{lang}: no legend");
        let rows = table_rows(&page, "handled");
        // A header row of five columns, then one row per stage entered.
        assert!(page.contains("<tr><th>"));
        assert_eq!(rows[0].len(), 5);
        assert_eq!(rows.len(), 1 + 5);
        assert_eq!(
            rows[1],
            [
                "线索",
                "boss",
                "rep 4, boss 1, 销售代表 1",
                "5 (83%)",
                if lang == "en" {
                    "Tom 2, Bob 1, Cy 1 and 2 more"
                } else {
                    "Tom 2, Bob 1, Cy 1 等另 2 个"
                }
            ]
        );
        let mismatches = table_rows(&page, "owner-mismatch");
        let listed = json["deviations"]["owner_mismatch"].as_array().unwrap();
        assert_eq!(mismatches.len(), 1 + listed.len());
        for (row, m) in mismatches[1..].iter().zip(listed) {
            assert_eq!(
                row,
                &[
                    "线索".to_string(),
                    "boss".to_string(),
                    m["role"].as_str().unwrap().to_string(),
                    m["events"].to_string(),
                    m["cases"].to_string()
                ]
            );
        }
    }
    // Every event with a role handled by the owner: said so, no empty table.
    let by_owner = LOG
        .replace(",rep\n", ",boss\n")
        .replace(",销售代表\n", ",Boss\n");
    let (run, page) = human_and_page(&project("en", &by_owner), &[]);
    assert!(!run.stdout.contains("owner mismatch"), "{}", run.stdout);
    assert!(page.contains("every event with a role was handled by its stage"));
    assert!(!page.contains("<table class=\"owner-mismatch\">"));
}

/// The page's picture of the cases started per week, parsed.
fn started_svg(page: &str) -> String {
    let at = page
        .find("class=\"picture started\"")
        .expect("a picture of the cases started");
    let start = page[..at].rfind("<svg").unwrap();
    let end = at + page[at..].find("</svg>").unwrap() + 6;
    page[start..end].to_string()
}

/// Each bar of the picture: its period and its count.
fn bars(svg: &str) -> Vec<(String, u64)> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| {
            (
                n.attribute("data-period").unwrap().to_string(),
                n.attribute("data-value").unwrap().parse().unwrap(),
            )
        })
        .collect()
}

/// The picture of a log, audited with `extra` arguments.
fn picture(log: &str, lang: &str, extra: &[&str]) -> String {
    let (_, page) = human_and_page(&project(lang, log), extra);
    started_svg(&page)
}

#[test]
fn a_bar_per_week_from_the_first_start_to_the_last() {
    // A starts in week 9 (its rejected row before that does not count), B and C in week 9 too
    // (Sunday 2026-03-01), nobody in week 10, D in week 11; a case's later events count nothing.
    let log = "case_id,stage,timestamp\n\
               A,,2026-02-01\n\
               A,lead,2026-02-23T08:00:00Z\n\
               A,qualify,2026-03-10T08:00:00Z\n\
               B,lead,2026-03-01T23:00:00Z\n\
               C,lead,2026-03-01T10:00:00Z\n\
               C,qualify,2026-03-12T10:00:00Z\n\
               D,lead,2026-03-12T10:00:00Z\n";
    let svg = picture(log, "en", &[]);
    assert_eq!(
        bars(&svg),
        [
            ("2026-W09".to_string(), 3),
            ("2026-W10".to_string(), 0),
            ("2026-W11".to_string(), 1)
        ]
    );
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let title = doc.root_element().first_element_child().unwrap();
    assert_eq!(title.text(), Some("Cases started per week"));
    assert!(svg.contains("class=\"legend\""));
    // The bars are as high as their counts; the zero week has no height.
    let heights: Vec<f64> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| n.attribute("height").unwrap().parse().unwrap())
        .collect();
    assert!((heights[0] - 3.0 * heights[2]).abs() < 0.2, "{heights:?}");
    assert_eq!(heights[1], 0.0);

    // In the log's own offset: B's Sunday 23:00 UTC is Monday 07:00 at +08:00, week 10.
    let local = "case_id,stage,timestamp\n\
                 A,lead,2026-02-23T16:00:00+08:00\n\
                 B,lead,2026-03-02T07:00:00+08:00\n\
                 C,lead,2026-03-01T18:00:00+08:00\n";
    let svg = picture(local, "zh", &[]);
    assert_eq!(
        bars(&svg),
        [("2026-W09".to_string(), 2), ("2026-W10".to_string(), 1)]
    );
    assert!(svg.contains("每周新开案例数"));
    // An empty log: a picture that says so, with its legend.
    let svg = picture("case_id,stage,timestamp\n", "en", &[]);
    assert!(bars(&svg).is_empty());
    assert!(svg.contains(">no case</text>") && svg.contains("class=\"legend\""));
}

/// A log whose cases start at `dates` (`YYYY-MM-DD`), one event each.
fn started_on(dates: &[String]) -> String {
    let mut log = String::from("case_id,stage,timestamp\n");
    for (i, d) in dates.iter().enumerate() {
        log.push_str(&format!("C{i:05},lead,{d}T09:00:00Z\n"));
    }
    log
}

#[test]
fn two_years_of_weeks_then_months_then_years() {
    // 104 weeks, Monday 2024-01-01 to Monday 2025-12-22: a bar each.
    let weeks = started_on(&["2024-01-01".into(), "2025-12-22".into()]);
    let drawn = bars(&picture(&weeks, "en", &[]));
    assert_eq!(drawn.len(), 104);
    assert_eq!(drawn[0], ("2024-W01".to_string(), 1));
    assert_eq!(drawn[103], ("2025-W52".to_string(), 1));
    // One week more: by month, and the picture says so.
    let svg = picture(
        &started_on(&["2024-01-01".into(), "2025-12-29".into()]),
        "en",
        &[],
    );
    let drawn = bars(&svg);
    assert_eq!(drawn.len(), 24);
    assert_eq!(drawn[0], ("2024-01".to_string(), 1));
    assert_eq!(drawn[23], ("2025-12".to_string(), 1));
    assert!(svg.contains("cases started per month"), "{svg}");
    // Ten years, a case a month and three in March 2020: 120 months.
    let mut dates: Vec<String> = (0..120)
        .map(|m| format!("{}-{:02}-15", 2016 + m / 12, m % 12 + 1))
        .collect();
    dates.extend(["2020-03-01", "2020-03-31"].map(String::from));
    let drawn = bars(&picture(&started_on(&dates), "en", &[]));
    assert_eq!(drawn.len(), 120);
    assert_eq!(drawn[50], ("2020-03".to_string(), 3));
    assert_eq!(drawn.iter().map(|b| b.1).sum::<u64>(), 122);
    // Forty years: by year.
    let svg = picture(
        &started_on(&["1986-05-01".into(), "2025-05-01".into()]),
        "zh",
        &[],
    );
    let drawn = bars(&svg);
    assert_eq!(drawn.len(), 40);
    assert_eq!(drawn[0], ("1986".to_string(), 1));
    assert!(svg.contains("改为每年"), "{svg}");
}

/// A text's box: a wide (CJK) character one em, any other 0.55 em, from the baseline 0.9 em up
/// and 0.3 em down.
fn text_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let size: f64 = doc
        .root_element()
        .attribute("font-size")
        .unwrap()
        .parse()
        .unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let text = n.text().unwrap_or_default().to_string();
            let width: f64 = text
                .chars()
                .map(|c| {
                    if c.to_string().width() == 2 {
                        size
                    } else {
                        0.55 * size
                    }
                })
                .sum();
            let x: f64 = n.attribute("x").unwrap().parse().unwrap();
            let y: f64 = n.attribute("y").unwrap().parse().unwrap();
            let x0 = match n.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            (text, [x0, y - 0.9 * size, x0 + width, y + 0.3 * size])
        })
        .collect()
}

#[test]
fn no_text_of_the_picture_covers_another_or_leaves_it() {
    let mut dates: Vec<String> = (0..100)
        .map(|d| format!("2025-{:02}-{:02}", d % 12 + 1, d % 28 + 1))
        .collect();
    dates.extend((0..120).map(|m| format!("{}-{:02}-15", 2016 + m / 12, m % 12 + 1)));
    let logs = [
        started_on(&["2026-03-02".into()]),
        started_on(&["2026-03-02".into(), "2026-03-09".into()]),
        started_on(&dates[..100]),
        started_on(&["2024-01-01".into(), "2025-12-22".into()]),
        started_on(&dates),
        started_on(&["1986-05-01".into(), "2025-05-01".into()]),
    ];
    for log in &logs {
        for lang in ["en", "zh"] {
            let svg = picture(log, lang, &[]);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let view: Vec<f64> = doc
                .root_element()
                .attribute("viewBox")
                .unwrap()
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            let boxes = text_boxes(&svg);
            for (i, (a, ra)) in boxes.iter().enumerate() {
                assert!(
                    ra[0] >= 0.0 && ra[1] >= 0.0 && ra[2] <= view[2] && ra[3] <= view[3],
                    "`{a}` leaves the picture {view:?}: {ra:?}"
                );
                for (b, rb) in &boxes[i + 1..] {
                    let overlap = ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3];
                    assert!(!overlap, "`{a}` {ra:?} overlaps `{b}` {rb:?}");
                }
            }
            // Labelled sparsely, yet labelled: the first bar, and more than one when there are.
            let periods = bars(&svg);
            let labels = boxes
                .iter()
                .filter(|(t, _)| periods.iter().any(|(p, _)| p == t))
                .count();
            let wanted = if periods.len() > 1 { 2 } else { 1 };
            assert!(labels >= wanted, "{svg}");
        }
    }
}

/// The JSON stays as it was: nothing of the cases' starts is added to it.
#[test]
fn the_json_report_carries_no_start_times() {
    let json: Value = audit_json(&project("en", LOG), "log.csv", &[]).json();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert!(
        !keys
            .iter()
            .any(|k| k.contains("start") && *k != "start_stages"),
        "{keys:?}"
    );
}
