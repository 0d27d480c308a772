//! The pipeline diagram of the HTML handbook, read back as SVG: no text covers another, no text
//! leaves the picture, every edge label sits by its own edge, and the picture is not wider than
//! what Graphviz's `dot` draws for the same graph.

use crate::support::{Project, repo, run_in};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// A text's box, estimated from its font size and its display width: a wide (CJK) character is
/// two columns, one em; a narrow one is one column, taken as 0.55 em (a sans-serif's average is
/// about 0.5).
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl TextBox {
    fn overlaps(&self, o: &TextBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

fn attr(n: roxmltree::Node, name: &str) -> f64 {
    n.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("`{name}` of {n:?}"))
}

fn text_boxes(svg: &roxmltree::Document) -> Vec<TextBox> {
    (svg.descendants())
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let text = n.text().unwrap_or_default().to_string();
            let size = attr(n, "font-size");
            let cols = text.width() as f64;
            let width = text
                .chars()
                .map(|c| {
                    if c.to_string().width() == 2 {
                        size
                    } else {
                        0.55 * size
                    }
                })
                .sum::<f64>()
                .max(cols * 0.5 * size);
            let (x, y) = (attr(n, "x"), attr(n, "y"));
            let x0 = match n.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            let (y0, y1) = match n.attribute("dominant-baseline") {
                Some("central") => (y - 0.6 * size, y + 0.6 * size),
                _ => (y - 0.9 * size, y + 0.3 * size),
            };
            TextBox {
                text,
                x0,
                y0,
                x1: x0 + width,
                y1,
            }
        })
        .collect()
}

/// The `<svg>` elements of a handbook with `class`.
fn svgs_of(html: &str, class: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        let end = rest[i..].find("</svg>").expect("a closed svg") + i + "</svg>".len();
        let tag = &rest[i..i + rest[i..].find('>').unwrap()];
        if tag.contains(&format!("class=\"{class}\"")) {
            out.push(rest[i..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// The diagrams of a handbook (not their print slices).
fn diagrams(html: &str) -> Vec<String> {
    svgs_of(html, "pipeline-diagram")
}

/// The numbers of a path's `d`, as points.
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let nums: Vec<f64> = d
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a number"))
        .collect();
    nums.chunks(2).map(|p| (p[0], p[1])).collect()
}

fn distance(p: (f64, f64), r: (f64, f64, f64, f64)) -> f64 {
    let dx = (r.0 - p.0).max(p.0 - r.2).max(0.0);
    let dy = (r.1 - p.1).max(p.1 - r.3).max(0.0);
    dx.hypot(dy)
}

/// Checks one diagram; returns its width.
fn check(svg_text: &str, what: &str) -> f64 {
    let svg = roxmltree::Document::parse(svg_text)
        .unwrap_or_else(|e| panic!("{what}: the diagram is not XML: {e}"));
    let root = svg.root_element();
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let boxes = text_boxes(&svg);
    assert!(!boxes.is_empty(), "{what}: no text in the diagram");
    for b in &boxes {
        assert!(
            b.x0 >= vb[0] && b.y0 >= vb[1] && b.x1 <= vb[0] + vb[2] && b.y1 <= vb[1] + vb[3],
            "{what}: `{}` leaves the drawing {vb:?}: {b:?}",
            b.text
        );
        assert!(!b.text.ends_with('…'), "{what}: `{}` is cut", b.text);
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "{what}: `{}` overlaps `{}`", a.text, b.text);
        }
    }
    // Every label by its own edge: a point of a path with the same tooltip within 12 px of it.
    let paths: Vec<(String, Vec<(f64, f64)>)> = (svg.descendants())
        .filter(|n| n.has_tag_name("path") && n.attribute("marker-end").is_some())
        .map(|n| {
            let title = (n.children())
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string();
            (title, path_points(n.attribute("d").unwrap()))
        })
        .collect();
    let labels = (svg.descendants()).filter(|n| {
        n.has_tag_name("g")
            && n.parent()
                .is_some_and(|p| p.attribute("class") == Some("edge-labels"))
    });
    let mut count = 0;
    for g in labels {
        count += 1;
        let title = (g.children())
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default();
        let rect = (g.children()).find(|c| c.has_tag_name("rect")).unwrap();
        let r = (
            attr(rect, "x"),
            attr(rect, "y"),
            attr(rect, "x") + attr(rect, "width"),
            attr(rect, "y") + attr(rect, "height"),
        );
        let near = (paths.iter())
            .filter(|(t, _)| t == title)
            .flat_map(|(_, ps)| ps)
            .map(|&p| distance(p, r))
            .fold(f64::INFINITY, f64::min);
        assert!(
            near <= 12.0,
            "{what}: label `{title}` is {near} px from its edge"
        );
        // Its text, in full: the lines put together are the tooltip.
        let shown: Vec<&str> = (g.children())
            .filter(|c| c.has_tag_name("text"))
            .filter_map(|c| c.text())
            .collect();
        assert_eq!(
            shown.join(" ").replace(' ', ""),
            title.replace(' ', ""),
            "{what}: a label shows all its text"
        );
    }
    assert!(count > 0, "{what}: no edge labels");
    vb[2]
}

/// The width of what `dot` draws for the same pipeline, in px; `None` without Graphviz.
fn dot_width(dir: &std::path::Path, file: &str) -> Option<f64> {
    let dot = run_in(dir, &["graph", file, "--format", "dot"]).stdout;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(&mut child.stdin.take()?, dot.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let svg = String::from_utf8(out.stdout).ok()?;
    // Its DOCTYPE names an external DTD, which an XML parser refuses: the attribute is enough.
    let at = svg.find("viewBox=\"")? + "viewBox=\"".len();
    let vb = &svg[at..at + svg[at..].find('"')?];
    // `dot` writes points: 1 pt = 4/3 px.
    vb.split(' ')
        .nth(2)?
        .parse::<f64>()
        .ok()
        .map(|w| w * 4.0 / 3.0)
}

/// Shrunk to an A4 page's text width (178 mm, 673 px), the labels (10.5 px) stay 9 px or more.
fn readable(width: f64, what: &str) {
    let label = 10.5 * (673.0 / width).min(1.0);
    assert!(
        label >= 9.0,
        "{what}: {width} px wide, labels print at {label:.1} px"
    );
}

fn build(p: &Project, file: &str) -> Vec<String> {
    let out = p.path().join("out");
    p.run(&["build", file, "-o", out.to_str().unwrap()]);
    let stem = file.trim_end_matches(".sop");
    let html = std::fs::read_to_string(out.join(format!("{stem}.handbook.html"))).unwrap();
    diagrams(&html)
}

/// A pipeline of `n` stages: each goes on to the next, some skip ahead, some go back, every
/// transition with a condition of varying length, in English or Chinese.
fn generated(n: usize, zh: bool) -> String {
    let mut s = String::from(
        "sop gen \"Generated\" {\n  owner rep\n  review monthly\n}\nrole rep \"Rep\" {\n  responsibilities \"all\"\n}\npipeline p \"Generated\" {\n",
    );
    let words = [
        "ok",
        "the customer signed",
        "budget confirmed by the finance team and the sponsor",
        "客户确认",
        "客户没有明确需求,或预算被取消",
    ];
    for i in 0..n {
        let _ = writeln!(s, "  stage s{i} \"Stage number {i}\" {{\n    owner rep");
        if i + 1 == n {
            s.push_str("    terminal\n  }\n");
            continue;
        }
        let mut say = |to: usize, k: usize| {
            let w = if zh { words[(k + 3) % 5] } else { words[k % 3] };
            let _ = writeln!(s, "    -> s{to} when \"{w} ({i}→{to})\"");
        };
        say(i + 1, i);
        if i % 3 == 0 && i + 3 < n {
            say(i + 3, i + 1);
        }
        if i % 4 == 2 {
            say(i - 2, i + 2);
        }
        if i % 7 == 5 {
            say(n - 1, i);
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}

#[test]
fn the_sales_pipeline_has_no_overlapping_text() {
    for dir in ["sales", "sales-en"] {
        let p = Project::new();
        let out = p.path().join("out");
        run_in(
            &repo(),
            &[
                "build",
                &format!("examples/{dir}"),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        let html = std::fs::read_to_string(out.join("sales.handbook.html")).unwrap();
        let svgs = diagrams(&html);
        assert_eq!(svgs.len(), 1);
        let width = check(&svgs[0], dir);
        readable(width, dir);
        match dot_width(&repo(), &format!("examples/{dir}/sales.sop")) {
            Some(dot) => assert!(width <= dot * 1.1, "{dir}: {width} px wide, `dot` {dot}"),
            None => eprintln!("`dot` (Graphviz) is not installed: not compared with it"),
        }
    }
}

#[test]
fn six_stages_with_twelve_branching_edges() {
    let text = include_str!("fixtures/diagram/six.sop");
    assert_eq!(text.matches("->").count(), 12);
    let p = Project::new().file("six.sop", text);
    let svgs = build(&p, "six.sop");
    let width = check(&svgs[0], "six");
    readable(width, "six");
    match dot_width(p.path(), "six.sop") {
        Some(dot) => assert!(width <= dot * 1.1, "{width} px wide, `dot` {dot}"),
        None => eprintln!("`dot` (Graphviz) is not installed: not compared with it"),
    }
}

#[test]
fn a_generated_thirty_stage_pipeline() {
    for zh in [false, true] {
        let p = Project::new().file("gen.sop", &generated(30, zh));
        let svgs = build(&p, "gen.sop");
        check(
            &svgs[0],
            if zh {
                "30 stages, Chinese"
            } else {
                "30 stages"
            },
        );
    }
}

fn view_box(svg: &str) -> Vec<f64> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    (doc.root_element().attribute("viewBox").unwrap().split(' '))
        .map(|v| v.parse().unwrap())
        .collect()
}

#[test]
fn a_tall_diagram_prints_in_page_high_slices() {
    let p = Project::new().file("gen.sop", &generated(30, false));
    p.run(&["build", "gen.sop", "-o", "out"]);
    let html = std::fs::read_to_string(p.path().join("out/gen.handbook.html")).unwrap();
    let full = view_box(&diagrams(&html)[0]);
    let slices: Vec<Vec<f64>> = svgs_of(&html, "pipeline-slice")
        .iter()
        .map(|s| view_box(s))
        .collect();
    assert!(slices.len() > 1, "{} slices", slices.len());
    // Together they show the whole picture, top to bottom, each band at most a page high when
    // the picture is as wide as the page (673 px), and each draws the picture by reference.
    let scale = (673.0 / full[2]).min(1.0);
    assert_eq!(slices[0][1], full[1]);
    let last = &slices[slices.len() - 1];
    assert!((last[1] + last[3] - (full[1] + full[3])).abs() < 0.2);
    for w in slices.windows(2) {
        assert!((w[0][1] + w[0][3] - w[1][1]).abs() < 0.2, "{slices:?}");
    }
    for s in &slices {
        assert_eq!((s[0], s[2]), (full[0], full[2]));
        assert!(s[3] * scale <= 850.5, "{s:?}");
    }
    assert!(html.contains("<use href=\"#pipeline-1-drawing\"/>"));
    assert!(html.contains("<g id=\"pipeline-1-drawing\">"));
    // A diagram that fits a page has none.
    let p = Project::new().file("six.sop", include_str!("fixtures/diagram/six.sop"));
    p.run(&["build", "six.sop", "-o", "out"]);
    let html = std::fs::read_to_string(p.path().join("out/six.handbook.html")).unwrap();
    assert!(svgs_of(&html, "pipeline-slice").is_empty());
}

#[test]
fn the_estimate_can_fail() {
    // Two texts at the same spot do overlap, as the test reads them.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">\
               <text x=\"10\" y=\"20\" font-size=\"10\">销售流程</text>\
               <text x=\"40\" y=\"20\" font-size=\"10\">next</text></svg>";
    let doc = roxmltree::Document::parse(svg).unwrap();
    let b = text_boxes(&doc);
    assert!(b[0].overlaps(&b[1]), "{b:?}");
}

/// Measures every `<text>` of each diagram as Chromium lays it out (`getBBox`, with the fonts of
/// the machine), and returns what overlaps or leaves the drawing; `None` without Chromium.
fn measured_problems(svgs: &[String]) -> Option<Vec<String>> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })?;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("measure.html");
    let script = r#"<script>
const out = [];
document.querySelectorAll('svg').forEach((svg, n) => {
  const vb = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()]);
  for (const [s, b] of boxes) {
    if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5
        || b.y + b.height > vb.y + vb.height + 0.5) out.push(`svg ${n}: "${s}" leaves the drawing`);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [s, a] = boxes[i], [u, b] = boxes[j];
    // Glyph boxes include the font's line gap: a pixel of touching is not an overlap.
    if (a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width
        && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height)
      out.push(`svg ${n}: "${s}" overlaps "${u}"`);
  }
  out.push(`measured ${boxes.length}`);
});
const pre = document.createElement('pre');
pre.id = 'result';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"#;
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{}{script}</body></html>",
        svgs.join("\n")
    );
    std::fs::write(&page, html).unwrap();
    let profile = dir.path().join("profile");
    let out = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&page)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<pre id=\"result\">")
        .expect("the measuring script ran")
        + 17;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let list: Vec<String> = serde_json::from_str(&json).expect("a JSON list");
    let measured: usize = (list.iter())
        .filter_map(|s| s.strip_prefix("measured "))
        .map(|n| n.parse::<usize>().unwrap())
        .sum();
    assert!(measured > 0, "Chromium measured no text");
    Some(
        list.into_iter()
            .filter(|s| !s.starts_with("measured "))
            .collect(),
    )
}

#[test]
fn chromium_measures_no_overlap() {
    let mut svgs = Vec::new();
    for dir in ["sales", "sales-en"] {
        let p = Project::new();
        let out = p.path().join("out");
        run_in(
            &repo(),
            &[
                "build",
                &format!("examples/{dir}"),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        let html = std::fs::read_to_string(out.join("sales.handbook.html")).unwrap();
        svgs.extend(diagrams(&html));
    }
    let p = Project::new().file("six.sop", include_str!("fixtures/diagram/six.sop"));
    svgs.extend(build(&p, "six.sop"));
    for zh in [false, true] {
        let p = Project::new().file("gen.sop", &generated(30, zh));
        svgs.extend(build(&p, "gen.sop"));
    }
    match measured_problems(&svgs) {
        Some(problems) => assert!(problems.is_empty(), "{problems:#?}"),
        None => eprintln!("chromium is not installed: the diagrams' text is not measured"),
    }
}
