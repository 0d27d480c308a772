//! `sopc audit` in corners easy to get wrong: as-of through an XES export, files read as XES that
//! are not, hints for missing columns that mend the run, the unknown-stage rows of the page's
//! deviations table, options `--emit-sql` does not use, and what the script compiles from a
//! preset and for stage order.

use super::{DEMO_SOP, audit_json, project};
use crate::support::{Project, repo, run_in_code};

const SOP: &str = "examples/sales-en/sales.sop";

/// A log whose latest row is a re-save, collapsed into the event before it.
const RESAVED_LAST: &str = "case_id,stage,timestamp,amount\n\
                            A,lead,2026-01-01T00:00:00Z,\n\
                            A,qualify,2026-01-02T00:00:00Z,\n\
                            A,qualify,2026-01-10T00:00:00Z,\n";

#[test]
fn an_xes_export_read_back_keeps_the_as_of_of_a_collapsed_resave() {
    let p = project("log.csv", RESAVED_LAST);
    let first = audit_json(&p, "log.csv", &["--export-xes", "out.xes"]).json();
    assert_eq!(first["log"]["as_of"], "2026-01-10T00:00:00Z");
    assert_eq!(first["log"]["last"], "2026-01-02T00:00:00Z");
    let xes = std::fs::read_to_string(p.path().join("out.xes")).unwrap();
    assert!(
        xes.contains("<date key=\"sopc:latest_accepted\" value=\"2026-01-10T00:00:00Z\"/>"),
        "{xes}"
    );
    let back = audit_json(&p, "out.xes", &[]).json();
    for key in ["as_of", "last", "events", "cases"] {
        assert_eq!(back["log"][key], first["log"][key], "{key}");
    }
    assert_eq!(back["open_cases"], first["open_cases"]);
    assert_eq!(back["open_cases"]["overdue"], 1);
    assert_eq!(back["stages"], first["stages"]);
    // `--as-of` still wins over the recorded time.
    let earlier = audit_json(&p, "out.xes", &["--as-of", "2026-01-03T00:00:00Z"]).json();
    assert_eq!(earlier["log"]["as_of"], "2026-01-03T00:00:00Z");
}

#[test]
fn a_file_read_as_xes_without_a_log_element_is_exit_2_saying_what_it_holds() {
    let csv = std::fs::read_to_string(repo().join("examples/sales/deals.csv")).unwrap();
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("deals.xes", &csv)
        .file("deals.csv", &csv)
        .file("garbage.xes", "\n\n  not xml at all {")
        .file("empty.xes", "");
    let r = p.run_code(&["audit", "demo.sop", "deals.xes"], 2);
    assert!(
        r.stderr.starts_with("error: cannot read `deals.xes`: no XES `<log>` element: line 1 holds `case_id,stage,timestamp")
            && r.stderr.contains("`--input-format csv`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = p.run_code(&["audit", "demo.sop", "garbage.xes"], 2);
    assert!(
        r.stderr.contains("`garbage.xes`") && r.stderr.contains("line 3 holds `not xml at all {`"),
        "{}",
        r.stderr
    );
    let r = p.run_code(&["audit", "demo.sop", "empty.xes"], 2);
    assert!(r.stderr.contains("holds no element"), "{}", r.stderr);
    // A CSV piped in as XES.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sopc"))
        .args(["audit", "demo.sop", "-", "--input-format", "xes"])
        .current_dir(p.path())
        .stdin(std::fs::File::open(p.path().join("deals.csv")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no XES `<log>` element"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A real XES log with no trace is an empty log, as before.
    let p = p.file(
        "none.xes",
        "<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\"></log>\n",
    );
    assert_eq!(audit_json(&p, "none.xes", &[]).json()["log"]["events"], 0);
}

#[test]
fn a_salesforce_export_without_its_stage_column_is_not_told_to_try_the_preset_that_fails() {
    let log = "\"Id\",\"OpportunityId\",\"CreatedById\",\"CreatedDate\",\"Amount\",\"Probability\"\n\
               \"1\",\"O1\",\"U1\",\"2026-03-01T09:30:05.065+0000\",\"10\",\"10\"\n";
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("opp.csv", log);
    let r = p.run_code(&["audit", "demo.sop", "opp.csv"], 2);
    assert!(!r.stderr.contains("try `--preset"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "it looks like a `salesforce` export, but `--preset salesforce` also needs the column `StageName`"
        ),
        "{}",
        r.stderr
    );
    // With the preset, the option that names the stage column, and only that one.
    let r = p.run_code(
        &["audit", "demo.sop", "opp.csv", "--preset", "salesforce"],
        2,
    );
    assert!(
        r.stderr
            .contains("no column `StageName` (preset `salesforce`)")
            && r.stderr.contains("(name the column with `--stage-col`)"),
        "{}",
        r.stderr
    );
    // That option mends it.
    let fixed = log
        .replace("\"Probability\"\n", "\"Stage\"\n")
        .replace("\"10\"\n", "\"lead\"\n");
    let p = p.file("opp2.csv", &fixed);
    let ok = p.run(&[
        "audit",
        "demo.sop",
        "opp2.csv",
        "--preset",
        "salesforce",
        "--stage-col",
        "Stage",
        "--format",
        "json",
    ]);
    assert_eq!(ok.json()["log"]["events"], 1);
}

#[test]
fn a_hubspot_export_without_date_entered_columns_is_told_which_columns_the_preset_reads() {
    let log = "hs_object_id,dealname,pipeline,dealstage,amount\n1,x,default,qualifiedtobuy,5\n";
    let p = Project::new()
        .file("demo.sop", DEMO_SOP)
        .file("deals.csv", log);
    let r = p.run_code(
        &["audit", "demo.sop", "deals.csv", "--preset", "hubspot"],
        2,
    );
    assert!(
        !r.stderr.contains("--stage-col") && r.stderr.contains("`hs_v2_date_entered_<stage>`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("reads one row per deal with a column `hs_v2_date_entered_<stage>`"),
        "{}",
        r.stderr
    );
    let r = p.run_code(&["audit", "demo.sop", "deals.csv"], 2);
    assert!(
        !r.stderr.contains("try `--preset hubspot`")
            && r.stderr
                .contains("it looks like a `hubspot` export, but `--preset hubspot` reads"),
        "{}",
        r.stderr
    );
    // A field history without `Field`: the preset's filter column is named, with no option.
    let log = "OpportunityId,CreatedDate,OldValue,NewValue\nO1,2026-03-01T00:00:00Z,,lead\n";
    let p = p.file("fh.csv", log);
    let r = p.run_code(
        &[
            "audit",
            "demo.sop",
            "fh.csv",
            "--preset",
            "salesforce-field-history",
        ],
        2,
    );
    assert!(
        r.stderr.contains("no column `Field`")
            && r.stderr
                .contains("reads the rows whose `Field` is `StageName`")
            && !r.stderr.contains("--case-col"),
        "{}",
        r.stderr
    );
}

/// The cells of the rows of the page's deviations table, tags stripped.
fn deviation_rows(page: &str) -> Vec<Vec<String>> {
    let start = page
        .find("<table class=\"deviations\">")
        .expect("a deviations table");
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2) // before the table, the header
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').unwrap() + 1..];
                    let cell = cell.split("</td>").next().unwrap();
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in cell.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_string()
                })
                .collect()
        })
        .collect()
}

#[test]
fn an_unknown_stage_row_of_the_page_has_its_counts_in_the_times_column() {
    let dir = repo().join("examples/sales");
    let out = Project::new();
    let page = out.path().join("d.html");
    run_in_code(
        &dir,
        &[
            "audit",
            "sales.sop",
            "deals.csv",
            "--html",
            page.to_str().unwrap(),
        ],
        0,
    );
    let page = std::fs::read_to_string(&page).unwrap();
    let rows = deviation_rows(&page);
    let unknown: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "未知阶段").collect();
    assert!(!unknown.is_empty(), "{rows:?}");
    assert!(
        unknown
            .iter()
            .any(|r| r[1].starts_with("Qualification") && r[3] == "D-000021"),
        "{unknown:?}"
    );
    for row in &unknown {
        assert_eq!(row.len(), 4, "{row:?}");
        assert!(
            !row[1].contains("个事件"),
            "the move cell holds no count: {row:?}"
        );
        let (events, cases) = row[2].split_once(" 涉及 ").expect("events in cases");
        assert!(
            events.ends_with(" 个事件") && cases.ends_with(" 个案例"),
            "the times cell holds the counts: {row:?}"
        );
        assert!(!row[3].is_empty(), "{row:?}");
    }
    // Every row of the table fills its times cell.
    assert!(rows.iter().all(|r| !r[2].is_empty()), "{rows:?}");
}

#[test]
fn emit_sql_refuses_what_it_does_not_use() {
    let p = project("log.csv", RESAVED_LAST);
    let base = ["audit", "demo.sop", "--emit-sql", "--table", "deals"];
    let cases: [(&[&str], &str); 10] = [
        (
            &["log.csv"],
            "a log file (`log.csv`) does not apply with `--emit-sql`",
        ),
        (
            &["--format", "json"],
            "`--format json` does not apply with `--emit-sql`",
        ),
        (
            &["--html", "x.html"],
            "`--html` does not apply with `--emit-sql`",
        ),
        (&["--cases", "all"], "`--cases` does not apply"),
        (&["--export-xes", "x.xes"], "`--export-xes` does not apply"),
        (&["--deny", "sla"], "`--deny` does not apply"),
        (&["--min-fitness", "0.5"], "`--min-fitness` does not apply"),
        (
            &["--input-format", "csv"],
            "`--input-format` does not apply",
        ),
        (&["--delimiter", ";"], "`--delimiter` does not apply"),
        (&["-"], "a log file (`-`) does not apply"),
    ];
    for (extra, message) in cases {
        let r = p.run_code(&[&base[..], extra].concat(), 2);
        assert!(r.stderr.contains(message), "{extra:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{extra:?}: {}", r.stdout);
    }
    assert!(!p.path().join("x.html").exists());
    assert!(!p.path().join("x.xes").exists());
    // What it uses is still taken.
    let ok = p.run(
        &[
            &base[..],
            &["--as-of", "2026-02-01T00:00:00Z", "--format", "human"],
        ]
        .concat(),
    );
    assert!(
        ok.stdout
            .contains("TIMESTAMPTZ '2026-02-01T00:00:00Z' AS as_of"),
        "{}",
        ok.stdout
    );
}

#[test]
fn the_script_compiles_each_presets_layout_and_the_stage_order() {
    let root = repo();
    let emit = |preset: &str| {
        run_in_code(
            &root,
            &[
                "audit",
                SOP,
                "--emit-sql",
                "--table",
                "t",
                "--preset",
                preset,
            ],
            0,
        )
        .stdout
    };
    let fh = emit("salesforce-field-history");
    assert!(
        fh.contains("WHERE TRIM(CAST(\"Field\" AS VARCHAR)) = 'StageName'"),
        "{fh}"
    );
    let pd = emit("pipedrive");
    assert!(
        pd.contains("WHERE TRIM(CAST(\"field_key\" AS VARCHAR)) = 'stage_id'"),
        "{pd}"
    );
    assert!(
        pd.contains("\"additional_data.new_value_formatted\"")
            && pd.contains("LEFT JOIN sopc_stage_values m2 ON m2.value = r.alt"),
        "{pd}"
    );
    let hs = emit("hubspot");
    assert!(!hs.contains("\"stage\""), "{hs}");
    assert!(
        hs.contains("'hs_v2_date_entered_'") && hs.contains("'hs_date_entered_'"),
        "{hs}"
    );
    assert!(hs.contains("json_each(s.sopc_j)"), "{hs}");
    // The default as-of is the latest accepted row, not the latest collapsed event.
    assert!(
        fh.contains("(SELECT MAX(t) FROM sopc_accepted) AS as_of"),
        "{fh}"
    );
    // Stages carry their order.
    assert!(fh.contains("l.ord AS position"), "{fh}");
}
