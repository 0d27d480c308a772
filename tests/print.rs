//! The HTML handbook on paper: printed to PDF by headless Chromium (A4, as a user prints it),
//! the bundled sales handbooks, Chinese and English, fit in 14 pages, no diagram is cut by a
//! page break, no page holds only a heading, and no page ends with a heading. Without Chromium these tests say so and skip; without `pdftotext` (poppler)
//! only the page count is checked.

use crate::support::{Project, repo, run_in};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            let ok = Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            ok.then(|| PathBuf::from(name))
        })
}

/// Prints `html` to `pdf` with headless Chromium.
fn print(chromium: &Path, html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(html)
        .output()
        .expect("chromium runs");
    assert!(
        pdf.is_file(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn page_count(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    // Page objects: `/Type /Page` not followed by `s` (that is the `/Pages` tree).
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

/// The text lines of each page, blank lines left out, or `None` without `pdftotext`.
fn pages(pdf: &Path, count: usize) -> Option<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for page in 1..=count {
        let o = Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        out.push(
            text.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect(),
        );
    }
    Some(out)
}

/// The text of each page as `pdftotext -layout` lays it out, cut into the runs of text that
/// stand apart (two spaces or more between them), or `None` without `pdftotext`.
fn page_runs(pdf: &Path, count: usize) -> Option<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for page in 1..=count {
        let o = Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        let runs = text
            .lines()
            .flat_map(|l| l.split("  ").map(str::trim).collect::<Vec<_>>())
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        out.push(runs);
    }
    Some(out)
}

/// The lines of text of every stage box of each pipeline diagram (not of its print slices).
fn diagram_labels(html: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("class=\"pipeline-diagram\"") {
        let svg = &rest[i..i + rest[i..].find("</svg>").unwrap()];
        let mut labels = Vec::new();
        let mut nodes = svg;
        while let Some(j) = nodes.find("<g class=\"node") {
            let node = &nodes[j..j + nodes[j..].find("</g>").unwrap()];
            let mut texts = node;
            while let Some(k) = texts.find("<text") {
                let start = k + texts[k..].find('>').unwrap() + 1;
                let end = start + texts[start..].find("</text>").unwrap();
                let text = texts[start..end]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                labels.push(text);
                texts = &texts[end..];
            }
            nodes = &nodes[j + node.len()..];
        }
        out.push(labels);
        rest = &rest[i + svg.len()..];
    }
    out
}

/// The texts of the handbook's headings, tags and entities removed.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for level in ["<h2", "<h3", "<h4"] {
        let close = format!("</h{}>", &level[2..]);
        let mut rest = html;
        while let Some(i) = rest.find(level) {
            let start = i + rest[i..].find('>').unwrap() + 1;
            let end = start + rest[start..].find(&close).unwrap();
            let mut text = String::new();
            let mut tag = false;
            for c in rest[start..end].chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => text.push(c),
                    _ => {}
                }
            }
            out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            rest = &rest[end..];
        }
    }
    out
}

/// Prints the handbook of `example`; checks its pages; returns how many.
fn check_example(chromium: &Path, example: &str) -> usize {
    let p = Project::new();
    let out = p.path().join("out");
    run_in(
        &repo(),
        &[
            "build",
            &format!("examples/{example}"),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let html = out.join("sales.handbook.html");
    let pdf = p.path().join("sales.pdf");
    print(chromium, &html, &pdf);
    let count = page_count(&pdf);
    assert!(count > 3, "{example}: {count} pages read from the PDF");
    let html_text = std::fs::read_to_string(&html).unwrap();
    if let Some(runs) = page_runs(&pdf, count) {
        // No diagram is cut by a page break: one page shows every stage of it.
        for labels in diagram_labels(&html_text) {
            assert!(labels.len() > 3, "{example}: {labels:?}");
            let on = |page: &Vec<String>| labels.iter().filter(|l| page.contains(l)).count();
            let (best, n) = (runs.iter().enumerate())
                .map(|(i, page)| (i + 1, on(page)))
                .max_by_key(|&(_, n)| n)
                .unwrap();
            let missing: Vec<&String> = labels
                .iter()
                .filter(|l| !runs[best - 1].contains(l))
                .collect();
            assert_eq!(
                n,
                labels.len(),
                "{example}: the diagram on page {best} lacks {missing:?}, printed on another page"
            );
        }
    }
    let Some(pages) = pages(&pdf, count) else {
        eprintln!("`pdftotext` (poppler-utils) is not installed: the pages' text is not checked");
        return count;
    };
    let heads = headings(&html_text);
    for (i, lines) in pages.iter().enumerate() {
        let n = i + 1;
        assert!(
            lines.len() >= 2,
            "{example}: page {n} has no running header and page number: {lines:?}"
        );
        assert!(
            lines[lines.len() - 1].ends_with(&format!("{n} / {count}")),
            "{example}: page {n} has no page number: {lines:?}"
        );
        let body = &lines[1..lines.len() - 1];
        assert!(
            body.len() > 1,
            "{example}: page {n} holds only a heading: {lines:?}"
        );
        // The table of contents lists the headings' texts: its page is not judged by them.
        let contents = body.iter().any(|l| l == "目录" || l == "Table of contents");
        let last = &body[body.len() - 1];
        assert!(
            contents || !heads.contains(last),
            "{example}: page {n} ends with the heading `{last}`"
        );
    }
    count
}

#[test]
fn the_sales_handbook_prints_in_fourteen_pages() {
    let Some(chromium) = chromium() else {
        eprintln!("chromium is not installed: the handbook is not printed");
        return;
    };
    // Page breaks depend on the fonts: the count holds for the CJK fonts of the stylesheet.
    let fonts = Command::new("fc-list").output().map(|o| o.stdout);
    if !fonts.is_ok_and(|f| String::from_utf8_lossy(&f).contains("Noto Sans CJK")) {
        eprintln!("no Noto Sans CJK font (fonts-noto-cjk): the handbook is not printed");
        return;
    }
    let pages = check_example(&chromium, "sales");
    assert!(pages <= 14, "the sales handbook prints in {pages} pages");
    let pages = check_example(&chromium, "sales-en");
    assert!(
        pages <= 14,
        "the English sales handbook prints in {pages} pages"
    );
}

#[test]
fn a_running_header_names_the_part() {
    let p = Project::new();
    let out = p.path().join("out");
    run_in(
        &repo(),
        &["build", "examples/sales-en", "-o", out.to_str().unwrap()],
    );
    let html = std::fs::read_to_string(out.join("sales.handbook.html")).unwrap();
    for (id, part) in [("process", "2. The process"), ("roles", "3. Roles")] {
        assert!(
            html.contains(&format!("#{id} {{ page: {id}; }}")),
            "the part `{id}` has a page of its own name"
        );
        let rule = &html[html.find(&format!("@page {id} {{")).unwrap()..];
        let content = &rule[..rule.find('}').unwrap()];
        assert!(content.contains(part), "{content}");
    }
}

#[test]
fn a_block_shows_only_the_fields_it_has() {
    let p = Project::new();
    let out = p.path().join("out");
    run_in(
        &repo(),
        &["build", "examples/sales", "-o", out.to_str().unwrap()],
    );
    let html = std::fs::read_to_string(out.join("sales.handbook.html")).unwrap();
    // No row, table cell or list item of a stage, role or training says only "none".
    let start = html.find("id=\"process\"").unwrap();
    let end = html.find("id=\"performance\"").unwrap();
    for empty in ["<td>—</td>", "<li>—</li>", ": —"] {
        assert!(
            !html[start..end].contains(empty),
            "`{empty}` in the handbook's stages, roles or trainings"
        );
    }
    // The end stage `closed` has no owner, SLA or training: no table at all.
    let closed = &html[html.find("id=\"stage-sales_process-closed\"").unwrap()..];
    let closed = &closed[..closed.find("</section>").unwrap()];
    assert!(!closed.contains("<table"), "{closed}");
}

/// Four stages, the second with nothing to tick; a two-line summary.
const GAPS: &str = r#"sop gaps "Kitchen" {
  owner cook
  review monthly
  summary """
    First line of the summary.
    Second line.
  """
}
role cook "Cook" {
  responsibilities "cooking"
}
pipeline orders "Guest orders" {
  stage take "Take the order" {
    owner cook
    exit "the order is on the board"
    -> wait
  }
  stage wait "Wait" {
    owner cook
    -> cook
  }
  stage cook "Cook the dish" {
    owner cook
    task plate "Plate it" { done_when "on the pass" }
    -> served
  }
  stage served "Served" { terminal }
}
"#;

#[test]
fn checklists_are_numbered_without_gaps_and_name_their_pipeline() {
    let p = Project::new().file("gaps.sop", GAPS);
    p.run(&["build", "gaps.sop", "-o", "out"]);
    let dir = p.path().join("out/gaps.checklists");
    let mut stages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("stage-") && n.ends_with(".md"))
        .collect();
    stages.sort();
    assert_eq!(
        stages,
        ["stage-01-take.md", "stage-02-cook.md"],
        "the stage with nothing to tick leaves no gap"
    );
    let md = std::fs::read_to_string(dir.join("stage-02-cook.md")).unwrap();
    assert!(md.contains("- Pipeline: Guest orders\n"), "{md}");
    assert!(md.contains("- Case: _"), "{md}");
    assert!(!md.contains("customer") && !md.contains("| |"), "{md}");
    let html = std::fs::read_to_string(dir.join("stage-02-cook.html")).unwrap();
    assert!(
        html.contains("<tr><th>Pipeline</th><td>Guest orders</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>Case</th><td class=\"blank\">"),
        "{html}"
    );
    // The README links exactly these.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("(stage-02-cook.md)") && !readme.contains("stage-03"));
}

#[test]
fn the_summary_reads_the_same_in_markdown_and_html() {
    let p = Project::new().file("gaps.sop", GAPS);
    p.run(&["build", "gaps.sop", "-o", "out"]);
    let md = std::fs::read_to_string(p.path().join("out/gaps.handbook.md")).unwrap();
    let html = std::fs::read_to_string(p.path().join("out/gaps.handbook.html")).unwrap();
    // Both keep the author's line break, set apart as a quote.
    assert!(
        md.contains("> First line of the summary.\\\n> Second line.\n"),
        "{md}"
    );
    assert!(
        html.contains("<div class=\"summary text\">First line of the summary.\nSecond line.</div>"),
        "{html}"
    );
    assert!(html.contains(".text { white-space: pre-line; }"));
    // Key/value lists, no table with an empty header row.
    assert!(!md.contains("| | |"), "{md}");
    assert!(md.contains("- Owner: Cook\n"), "{md}");
}
