//! What sopc prints when the text it prints is hostile: control characters in titles, paths, file
//! names and logs; Markdown, Mermaid and DOT syntax in titles; lines and names a megabyte long.

use crate::support::{Project, Run};

/// A character no human output may hold: any control character but the line feed, and the
/// bidirectional controls.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Asserts that `out` is safe for a terminal and a CI runner: no hidden character, and no line
/// that starts (after blanks) with `::`, which a GitHub Actions runner obeys as a command.
fn assert_safe(out: &str) {
    if let Some(c) = out.chars().find(|&c| hidden(c)) {
        panic!("output holds {c:?}:\n{out}");
    }
    if let Some(l) = out.lines().find(|l| l.trim_start().starts_with("::")) {
        panic!("a line starts like a workflow command: {l:?}\n{out}");
    }
}

const HOSTILE_CHECK: &str = "sop s \"T\\u{1b}]0;pwned\\u{7}\" { owner r review weekly }\n\
    import \"\\u{1b}]52;c;ZXZpbA==\\u{7}x.sop\"\n\
    role r \"R\" { responsibilities \"x\" }\n\
    pipeline p { stage a \"A \u{1b}[31mred\u{202e}txet\" { exit \"x\" -> b } stage b { terminal } }\n";

#[test]
fn control_characters_in_titles_paths_and_quoted_source_are_escaped() {
    let p = Project::new().file("h.sop", HOSTILE_CHECK);
    let run = p.run_code(&["check", "h.sop"], 1);
    assert_safe(&run.stdout);
    assert_safe(&run.stderr);
    // The OSC 52 path is named, escaped, in the message and in the quoted source.
    assert!(
        run.stdout
            .contains("imported file `\\u{1b}]52;c;ZXZpbA==\\u{7}x.sop` does not exist"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\"A \\u{1b}[31mred\\u{202e}txet\""));
    // The underline still sits under the stage name, and the column is the file's.
    assert!(run.stdout.contains("[h.sop:4:14]"), "{}", run.stdout);
}

#[test]
fn columns_and_underlines_stay_right_after_escapes_and_wide_characters() {
    let text = "sop s { owner r review weekly }\nrole r { responsibilities \"x\" }\n\
                feedback f { cadence weekly owner r }\n\
                pipeline p { stage 线索 \"线\u{7}索\" { owner r exit \"x\" -> nowhere } }\n";
    let run = Project::new()
        .file("w.sop", text)
        .run_code(&["check", "w.sop"], 1);
    assert_safe(&run.stdout);
    // The report of the undefined `nowhere`: its quoted line and the underline below it.
    let report: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| *l != "undefined-reference")
        .collect();
    let at = report
        .iter()
        .position(|l| l.contains("-> nowhere"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let (line, under) = (report[at], report[at + 1]);
    // The underline starts under the `n` of `nowhere`, counted in terminal columns.
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| {
                if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum()
    };
    let at = line.find("nowhere").unwrap();
    let mark = under.find(['─', '┬']).expect("marks");
    assert_eq!(width(&line[..at]), width(&under[..mark]), "{line}\n{under}");
    let col = text.lines().nth(3).unwrap();
    let col = col[..col.find("nowhere").unwrap()].chars().count() + 1;
    assert!(
        run.stdout.contains(&format!("[w.sop:4:{col}]")),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_workflow_command_cannot_inject_one() {
    let name = "a\n::error file=evil.sop,line=1::INJECTED\nb.sop";
    let p = Project::new().file(name, HOSTILE_CHECK);
    let human = p.run_code(&["check", "."], 1);
    assert_safe(&human.stdout);
    assert!(human.stdout.contains("a\\u{a}::error file=evil.sop"));
    let github = p.run_code(&["check", ".", "--format", "github"], 1);
    let json = p.run_code(&["check", ".", "--format", "json"], 1);
    let findings = json.json()["diagnostics"].as_array().unwrap().len();
    let lines: Vec<&str> = github.stdout.lines().collect();
    assert_eq!(lines.len(), findings, "{}", github.stdout);
    for l in &lines {
        assert!(!l.chars().any(hidden), "{l:?}");
        let (head, _) = l[2..].split_once("::").expect("command and message");
        assert!(
            head.contains("file=a%0A%3A%3Aerror file=evil.sop%2Cline=1%3A%3AINJECTED%0Ab.sop,"),
            "{l}"
        );
    }
}

#[test]
fn github_commands_escape_values_and_properties() {
    let text = "sop s { owner r review weekly }\nrole r { responsibilities \"x\" }\n\
                feedback f { cadence weekly owner r }\n\
                pipeline p { stage a { owner r exit \"x\" -> b } }\n";
    let p = Project::new().file("x%,:y.sop", text);
    let run = p.run_code(&["check", "x%,:y.sop", "--format", "github"], 1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("undefined-reference"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.starts_with("::error file=x%25%2C%3Ay.sop,line=4,"),
        "{line}"
    );
}

#[test]
fn a_hostile_crm_log_is_escaped_and_its_names_cut() {
    let long = "x".repeat(100_000);
    let log = format!(
        "case_id,stage,timestamp\n\
         A,lead,2026-03-01T00:00:00Z\n\
         A,\"evil\n::error::INJECT\u{1b}[31m\",2026-03-02T00:00:00Z\n\
         \"B\u{1b}]0;x\u{7}\",lead,2026-03-01T00:00:00Z\n\
         \"B\u{1b}]0;x\u{7}\",{long},2026-03-03T00:00:00Z\n\
         C\u{202e},lead,2026-03-01\n"
    );
    let p = crate::audit::project("log.csv", &log);
    let run = p.run(&["audit", "demo.sop", "log.csv", "--cases", "all"]);
    assert_safe(&run.stdout);
    assert!(run.stdout.contains("evil\\u{a}::error::INJECT\\u{1b}[31m"));
    assert!(run.stdout.contains("B\\u{1b}]0;x\\u{7}"));
    // The stage table pads to the widest name shown, and no name is shown wider than 40 columns.
    let widest = run.stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest < 300, "a line of {widest} characters");
    assert!(run.stdout.len() < 10_000, "{} bytes", run.stdout.len());
    assert!(run.stdout.contains(&format!("{}…", "x".repeat(39))));
}

#[test]
fn a_megabyte_line_is_shown_as_a_window_around_each_finding() {
    let mut line = String::from("pipeline p { ");
    for i in 0..200 {
        line.push_str(&format!("stage s{i} {{ exit \"x\" -> s{} }} ", i + 1));
    }
    line.push_str("stage s200 { terminal } } # ");
    line.push_str(&"长".repeat(350_000));
    let text = format!(
        "sop s {{ owner r review weekly }}\nrole r {{ responsibilities \"x\" }}\n\
         feedback f {{ cadence weekly owner r }}\n{line}\n"
    );
    assert!(text.len() > 1_000_000);
    let p = Project::new().file("long.sop", &text);
    let run = p.run(&["check", "long.sop"]);
    let findings = run.stdout.matches("has no owner").count();
    assert_eq!(
        findings,
        200,
        "{}",
        &run.stdout[..2000.min(run.stdout.len())]
    );
    // Each finding shows about a hundred characters of the line, marked as cut.
    assert!(run.stdout.len() < 400_000, "{} bytes", run.stdout.len());
    assert!(run.stdout.contains("stage s150 {"));
    assert!(run.stdout.contains('…'));
    let stage = run
        .stdout
        .lines()
        .find(|l| l.contains("stage s150 {") && l.contains('…'))
        .expect("the cut line");
    assert!(stage.chars().count() < 250, "{stage}");
}

/// A document whose every title is `t(name)`: the benign one with plain names, the hostile one
/// with Markdown, Mermaid and DOT syntax in them.
fn document(t: &dyn Fn(&str) -> String, summary: &str) -> String {
    format!(
        "sop s \"{}\" {{ owner r review weekly version \"{}\" summary \"{summary}\" }}\n\
         role r \"{}\" {{ responsibilities \"{}\" }}\n\
         role m \"{}\" {{ responsibilities \"y\" }}\n\
         training t \"{}\" {{ for r, m }}\n\
         feedback f \"{}\" {{ cadence weekly owner r }}\n\
         pipeline p \"{}\" {{\n\
           stage a \"{}\" {{ owner r exit \"{}\" -> b when \"{}\" }}\n\
           stage b \"{}\" {{ owner m terminal }}\n\
         }}\n\
         kpi k \"{}\" {{ kind quantitative target >= 1 stage b owner m }}\n",
        t("Title"),
        t("1.0"),
        t("Rep"),
        t("resp"),
        t("Manager"),
        t("Training"),
        t("Feedback"),
        t("Pipe"),
        t("Stage A"),
        t("exit"),
        t("when"),
        t("Stage B"),
        t("Kpi"),
    )
}

const INJECTIONS: &[&str] = &[
    "\\n\\n---\\n\\n- list\\nSetext\\n===",
    "\\n| injected | row |",
    "%%{init: {\\\"theme\\\": \\\"dark\\\"}}%%",
    "\\u{0}\\u{1b}",
    "\\n```\\n# not a heading",
    "\\\"]; x -> y; \\\"",
];

/// The structure of a Markdown file: its headings, table rows (by cell count), rules and fences,
/// outside fenced code; and whether every fence is closed.
fn structure(md: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let run = |c: char| t.chars().take_while(|&x| x == c).count();
        if let Some((c, n)) = fence {
            if run(c) >= n && t.trim_end().chars().all(|x| x == c) {
                fence = None;
                out.push("fence end".into());
            }
            continue;
        }
        for c in ['`', '~'] {
            if run(c) >= 3 {
                fence = Some((c, run(c)));
                out.push(format!("fence {}", &t[run(c)..]));
            }
        }
        if fence.is_some() {
            continue;
        }
        if t.starts_with('#') {
            out.push(format!("h{}", run('#')));
        } else if t.starts_with('|') {
            let cells = t.replace("\\|", "").matches('|').count();
            out.push(format!("row {cells}"));
        } else if !t.is_empty() && t.trim_end().chars().all(|c| matches!(c, '-' | '=' | '*')) {
            out.push(format!("rule {t}"));
        } else if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
            out.push("item".into());
        }
    }
    (out, fence.is_none())
}

fn build(text: &str) -> (Project, Run) {
    let p = Project::new().file("doc.sop", text);
    let run = p.run(&["build", "doc.sop", "-o", "out"]);
    (p, run)
}

#[test]
fn hostile_titles_leave_the_markdown_structure_as_it_is() {
    let benign = document(&|s: &str| s.to_string(), "plain summary");
    let hostile = document(
        &|s: &str| format!("{s}{}", INJECTIONS.join(" ")),
        "opens a fence\\n\\n````\\nand never closes it",
    );
    let (b, _) = build(&benign);
    let (h, _) = build(&hostile);
    let read =
        |p: &Project, f: &str| std::fs::read_to_string(p.path().join("out").join(f)).unwrap();
    for file in [
        "doc.handbook.md",
        "doc.checklists/README.md",
        "doc.checklists/stage-01-a.md",
        "doc.checklists/role-r.md",
    ] {
        let (want, closed) = structure(&read(&b, file));
        assert!(closed);
        let text = read(&h, file);
        let (got, closed) = structure(&text);
        assert!(closed, "{file} ends inside a fence:\n{text}");
        // The summary's own fence is the only extra structure.
        let got: Vec<String> = got
            .into_iter()
            .filter(|s| s != "fence " && s != "fence end" || file != "doc.handbook.md")
            .collect();
        let want: Vec<String> = want
            .into_iter()
            .filter(|s| s != "fence " && s != "fence end" || file != "doc.handbook.md")
            .collect();
        assert_eq!(got, want, "{file}:\n{text}");
        assert!(
            !text.contains('\u{0}') && !text.contains('\u{1b}'),
            "{file}"
        );
    }
    let md = read(&h, "doc.handbook.md");
    let mermaid = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|m| m.split("```").next())
        .expect("a mermaid block");
    assert!(!mermaid.contains("%%"), "{mermaid}");
}

#[test]
fn hostile_titles_are_plain_labels_in_mermaid_and_dot() {
    let hostile = document(&|s: &str| format!("{s}{}", INJECTIONS.join(" ")), "s");
    let p = Project::new().file("doc.sop", &hostile);
    let mermaid = p.run(&["graph", "doc.sop", "--format", "mermaid"]);
    assert!(!mermaid.stdout.contains("%%"), "{}", mermaid.stdout);
    assert!(!mermaid.stdout.chars().any(hidden));
    // Node and edge lines only: every label stays on its line, inside its quotes.
    for l in mermaid.stdout.lines().skip(1) {
        assert_eq!(l.matches('"').count() % 2, 0, "{l}");
    }
    let dot = p.run(&["graph", "doc.sop", "--format", "dot"]);
    assert!(!dot.stdout.chars().any(hidden), "{}", dot.stdout);
    assert!(dot.stdout.contains("\\\\u{0}"));
    let Ok(mut graphviz) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("skipped: Graphviz `dot` is not installed, so the DOT is not parsed");
        return;
    };
    use std::io::Write as _;
    graphviz
        .stdin
        .take()
        .unwrap()
        .write_all(dot.stdout.as_bytes())
        .unwrap();
    let out = graphviz.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot rejects:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dot.stdout
    );
}

#[test]
fn ordinary_documents_print_as_before() {
    // The escaping must not show on ordinary text: titles with `&`, digits, dashes and quotes.
    let text = "sop s \"R&D: 1.0 - plan\" { owner nobody review weekly }\n\
                role r \"Sales-rep #1\" { responsibilities \"x\" }\n";
    let p = Project::new().file("o.sop", text);
    let run = p.run_code(&["check", "o.sop"], 1);
    assert!(
        run.stdout
            .contains("sop s \"R&D: 1.0 - plan\" { owner nobody review weekly }"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\\u{"));
}

/// File names reach sopc's own messages too (skipped links, unreadable files, formatting, the
/// list of built outputs): there they are escaped like everywhere else.
#[cfg(unix)]
#[test]
fn file_names_in_messages_are_escaped() {
    let evil = "e\n::error file=x.sop::INJECTED\u{1b}]0;t\u{7}";
    let p = Project::new().file("sopc.yaml", "").file(
        &format!("{evil}.sop"),
        "sop s  { owner r review weekly }\nrole r { responsibilities \"x\" }\n",
    );
    let dir = p.path();
    std::os::unix::fs::symlink("/etc/hostname", dir.join(format!("{evil}-out.sop"))).unwrap();
    std::os::unix::fs::symlink(dir.join("missing"), dir.join(format!("{evil}-gone.sop"))).unwrap();
    for args in [
        &["check", "."][..],
        &["fmt", "--check", "."],
        &["fmt", "--diff", "."],
        &["build", ".", "-o", "out"],
    ] {
        let run = p.run_any(args);
        assert!(
            run.stderr.contains("e\\u{a}::error"),
            "{args:?}: {}",
            run.stderr
        );
        for out in [&run.stderr, &run.stdout] {
            // A unified diff's header holds a tab, as `diff -u` writes it.
            assert_safe(&out.replace('\t', " "));
        }
    }
}
