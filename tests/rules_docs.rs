//! The documentation of every check: present, in the three-heading shape, its examples doing what
//! they say, and `docs/rules/` generated from it and up to date.

use crate::support::{Project, repo, run_in, run_in_code};

/// The code block following a `### Bad` or `### Good` heading: (fence language, code).
fn example(docs: &str, heading: &str) -> Option<(String, String)> {
    let after = &docs[docs.find(heading)? + heading.len()..];
    let open = after.find("```")?;
    let rest = &after[open + 3..];
    let newline = rest.find('\n')?;
    let lang = rest[..newline].trim().to_string();
    let body = &rest[newline + 1..];
    let close = body.find("```")?;
    Some((lang, body[..close].to_string()))
}

/// The page `docs/rules/NAME.md` must hold.
fn page(rule: &sopc::lint::RuleInfo) -> String {
    format!(
        "# `{}`\n\nDefault level: **{}**. {}\n\n{}\n\nRun `sopc explain {}` to read this in a terminal.\n",
        rule.name,
        rule.default.as_str(),
        sentence(rule.summary),
        rule.documentation().replace("```sop", "```text"),
        rule.name
    )
}

fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => String::new(),
    }
}

fn index() -> String {
    let mut s = String::from(
        "# Checks\n\nEvery check sopc runs, with its default level. Change levels in `sopc.yaml`; silence one \
         block with `# sopc: allow(name)`.\n\n| check | default | fires when |\n| --- | --- | --- |\n",
    );
    for r in sopc::lint::RULES {
        s.push_str(&format!(
            "| [`{0}`]({0}.md) | {1} | {2} |\n",
            r.name,
            r.default.as_str(),
            r.summary
        ));
    }
    s
}

/// `docs/rules/` is generated from the registry. Run with `SOPC_BLESS=1` to regenerate.
#[test]
fn docs_rules_are_up_to_date() {
    let dir = repo().join("docs/rules");
    let bless = std::env::var_os("SOPC_BLESS").is_some();
    let mut wanted: Vec<(String, String)> = sopc::lint::RULES
        .iter()
        .map(|r| (format!("{}.md", r.name), page(r)))
        .collect();
    wanted.push(("README.md".to_string(), index()));
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, text) in &wanted {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if bless {
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !wanted.iter().any(|(w, _)| w == n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is stale: {stale:?}, not generated: {extra:?}; run `SOPC_BLESS=1 cargo test docs_rules`"
    );
}

#[test]
fn every_check_is_documented_with_three_headings() {
    for r in sopc::lint::RULES {
        let docs = r.documentation();
        for heading in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "### Bad",
            "### Good",
        ] {
            assert!(docs.contains(heading), "{} lacks `{heading}`", r.name);
        }
        assert!(!r.summary.is_empty(), "{} has no summary", r.name);
    }
}

/// Each documented bad example makes its check fire; each good example passes with no finding.
#[test]
fn documented_examples_do_what_they_say() {
    let mut problems = Vec::new();
    for r in sopc::lint::RULES {
        let docs = r.documentation();
        for (heading, must_fire) in [("### Bad", true), ("### Good", false)] {
            let Some((lang, code)) = example(&docs, heading) else {
                problems.push(format!("{}: no code block after `{heading}`", r.name));
                continue;
            };
            let project = if lang == "yaml" {
                Project::new()
                    .file("sopc.yaml", &code)
                    .file("doc.sop", "role r { responsibilities \"x\" }\n")
            } else {
                Project::new().file("doc.sop", &code)
            };
            // A fixed today, as the examples of `review-overdue` say.
            let run = project.run_any(&["check", "--format", "json", "--today", "2026-12-01", "."]);
            let found = run.rules_and_lines();
            let fired = found.iter().any(|(rule, _)| rule == r.name);
            // A good example is a whole file to copy: it passes with no finding at all.
            if must_fire && !fired {
                problems.push(format!(
                    "{} {heading}: does not fire ({})",
                    r.name, run.stdout
                ));
            } else if !must_fire && !found.is_empty() {
                problems.push(format!("{} {heading}: has findings {found:?}", r.name));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn explain_prints_the_documentation() {
    let run = run_in(&repo(), &["explain", "unreachable-stage"]);
    assert!(
        run.stdout.starts_with("# unreachable-stage\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("## Why it matters"));
    assert!(
        run.stdout
            .contains("### Bad\n\n```sop\nsop s { review quarterly }"),
        "{}",
        run.stdout
    );
    let run = run_in_code(&repo(), &["explain", "unreachable-stag"], 2);
    assert!(
        run.stderr.contains("did you mean `unreachable-stage`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_lists_every_check() {
    let run = run_in(&repo(), &["rules", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows.len(), sopc::lint::RULES.len());
    assert_eq!(rows[0]["name"], "syntax");
    assert_eq!(rows[0]["default"], "error");
    let human = run_in(&repo(), &["rules"]);
    for r in sopc::lint::RULES {
        assert!(human.stdout.contains(r.name), "{} missing", r.name);
    }
}
