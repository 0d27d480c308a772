//! `sopc diff`: pairs of SOP versions under `tests/fixtures/diff/`, a git repository built in a
//! temporary folder, the three formats, the gates and the JSON Schema.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Project, repo, run_in_any, run_in_code};

fn case(name: &str) -> PathBuf {
    repo().join("tests/fixtures/diff").join(name)
}

/// `sopc diff old new ARGS` run in the fixture's folder; it must exit `code`.
fn diff_code(name: &str, args: &[&str], code: i32) -> crate::support::Run {
    let mut all = vec!["diff", "old", "new"];
    all.extend_from_slice(args);
    run_in_code(&case(name), &all, code)
}

fn diff_json(name: &str) -> Value {
    diff_code(name, &["--format", "json"], 0).json()
}

/// The change to entity `id` of `kind`.
fn change<'a>(json: &'a Value, kind: &str, id: &str) -> &'a Value {
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["kind"] == kind && c["id"] == id)
        .unwrap_or_else(|| panic!("no change to {kind} `{id}` in {json:#}"))
}

/// The one attribute `name` of a modified change.
fn attribute<'a>(c: &'a Value, name: &str) -> &'a Value {
    let found: Vec<&Value> = c["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter(|a| a["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "attribute `{name}` in {c:#}");
    found[0]
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn the_chinese_pair_names_each_change_with_its_direction() {
    let json = diff_json("zh-sales");
    assert_eq!(json["schema_version"], 1);
    let sla = attribute(change(&json, "stage", "sales_process.qualification"), "sla");
    assert_eq!((&sla["old"], &sla["new"]), (&"3d".into(), &"5d".into()));
    assert_eq!(sla["direction"], "longer");
    let stage = change(&json, "stage", "sales_process.proposal");
    assert!(attribute(stage, "owner").get("inherited").is_none());
    // The tasks without an owner of their own move with the stage; the one with its own stays.
    for task in ["draft_solution", "present_solution"] {
        let c = change(&json, "task", &format!("sales_process.proposal.{task}"));
        let owner = attribute(c, "owner");
        assert_eq!(owner["new"], "presales");
        assert_eq!(owner["inherited"], true);
    }
    let review = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "sales_process.proposal.solution_review");
    assert!(review.is_none(), "a task with its own owner did not change");
    let explicit = change(&json, "task", "sales_process.negotiation.discount_approval");
    assert!(attribute(explicit, "owner").get("inherited").is_none());
    let t = change(&json, "transition", "sales_process.service->lost");
    assert_eq!(t["change"], "added");
    assert_eq!(t["when"], "客户验收失败且无法补救");
    assert_eq!(change(&json, "role", "presales")["change"], "added");
    assert_eq!(
        change(&json, "role", "presales")["file"],
        "shared/roles.sop"
    );
    let renamed = change(&json, "stage", "sales_process.done");
    assert_eq!(renamed["change"], "renamed");
    assert_eq!(renamed["from_id"], "sales_process.closed");
    // The transition into the renamed stage changed the same way: not reported on its own.
    assert!(
        !json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "transition" && c["id"].as_str().unwrap().contains("closed"))
    );
    let kpi = attribute(change(&json, "kpi", "new_customers"), "target");
    assert_eq!(kpi["direction"], "raised");
    let cadence = attribute(change(&json, "feedback", "team_meeting"), "cadence");
    assert_eq!(cadence["direction"], "less-often");
    assert_eq!(
        change(&json, "task", "sales_process.service.referral_ask")["change"],
        "removed"
    );
    assert_eq!(
        strings(&json["affected_roles"]),
        [
            "after_sales",
            "presales",
            "sales_director",
            "sales_manager",
            "sales_rep"
        ]
    );
    assert_eq!(json["version"]["old"], "1.0");
    assert_eq!(json["version"]["bumped"], false);
    assert_eq!(
        json["summary"]["changes"],
        json["changes"].as_array().unwrap().len()
    );
}

#[test]
fn the_english_pair_covers_every_direction_and_the_graph() {
    let json = diff_json("en-sales");
    let dir = |kind: &str, id: &str, name: &str| {
        let c = change(&json, kind, id);
        let found: Vec<Value> = (c["attributes"].as_array().unwrap().iter())
            .filter(|a| a["name"] == name)
            .map(|a| a["direction"].clone())
            .collect();
        found
    };
    assert_eq!(dir("sop", "sales", "review"), ["more-often"]);
    assert_eq!(dir("goal", "q3_revenue", "target"), ["raised"]);
    assert_eq!(dir("goal", "q3_revenue", "by"), ["later"]);
    assert_eq!(dir("goal", "service_quality", "target"), ["lowered"]);
    assert_eq!(dir("goal", "service_quality", "by"), ["earlier"]);
    assert_eq!(dir("training", "role_play", "duration"), ["shorter"]);
    assert_eq!(dir("training", "role_play", "when"), ["more-often"]);
    assert_eq!(
        dir("training", "contract_compliance", "when"),
        ["more-often"]
    );
    assert_eq!(dir("kpi", "lead_conversion", "target"), ["changed"]);
    let goal = attribute(change(&json, "goal", "q3_revenue"), "target");
    assert_eq!(goal["kpi"], "revenue");
    assert_eq!(goal["old"], ">= 5_000_000 CNY");
    // The order of exit criteria carries meaning; the order of responsibilities does not.
    let exit = attribute(change(&json, "stage", "sales_process.service"), "exit");
    assert!(exit.get("direction").is_none());
    let roles_file = (json["files"].as_array().unwrap().iter())
        .find(|f| f["path"] == "shared/roles.sop")
        .expect("roles.sop is listed");
    assert_eq!(roles_file["semantic"], false);
    // Moving the first stage moved the start: a reorder that is semantic.
    let start = attribute(change(&json, "pipeline", "sales_process"), "start");
    assert_eq!(
        (&start["old"], &start["new"]),
        (&"lead_capture".into(), &"qualification".into())
    );
    let graph = &json["graph"][0];
    assert_eq!(graph["pipeline"], "sales_process");
    assert_eq!(graph["start"]["new"], "sales_process.qualification");
    assert_eq!(
        strings(&graph["newly_unreachable"]),
        ["sales_process.lead_capture"]
    );
    assert_eq!(strings(&graph["newly_trapped"]), ["sales_process.lost"]);
    let introduced = json["findings"]["introduced"].as_array().unwrap();
    let unreachable = introduced
        .iter()
        .find(|f| f["rule"] == "unreachable-stage")
        .expect("unreachable-stage introduced");
    assert_eq!(unreachable["severity"], "error");
    assert_eq!(unreachable["file"], "sales.sop");
    assert_eq!(unreachable["id"], "sales_process.lead_capture");
    assert!(json["findings"]["fixed"].as_array().unwrap().is_empty());
    assert_eq!(
        json["version"],
        serde_json::json!({"old": "1.0", "new": "1.1", "bumped": true})
    );
}

#[test]
fn findings_match_by_entity_not_line_and_the_reverse_diff_fixes_them() {
    let dir = case("en-sales");
    let json = run_in_code(&dir, &["diff", "new", "old", "--format", "json"], 0).json();
    assert!(
        json["findings"]["introduced"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let fixed: Vec<&str> = (json["findings"]["fixed"].as_array().unwrap().iter())
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(fixed.contains(&"unreachable-stage"), "{fixed:?}");
    // A finding that stays, on another line, is neither introduced nor fixed; one on another
    // stage is introduced.
    let sop = |top: &str, second_owner: &str| {
        format!(
            "{top}sop a {{\n  version \"1\"\n  owner r\n  review monthly\n}}\nrole r {{ responsibilities \"x\" }}\npipeline p {{\n  stage s {{\n    exit \"done\"\n    task x {{\n      owner r\n      done_when \"y\"\n    }}\n    -> t\n  }}\n  stage t {{\n{second_owner}    exit \"done\"\n    -> e\n  }}\n  stage e {{ terminal }}\n}}\n"
        )
    };
    let p = Project::new()
        .file("old/a.sop", &sop("", "    owner r\n"))
        .file("new/a.sop", &sop("# moved down\n# by two lines\n", ""));
    let json = p.run(&["diff", "old", "new", "--format", "json"]).json();
    let introduced = json["findings"]["introduced"].as_array().unwrap();
    assert!(
        json["findings"]["fixed"].as_array().unwrap().is_empty(),
        "{json:#}"
    );
    assert_eq!(introduced.len(), 1, "{json:#}");
    assert_eq!(introduced[0]["id"], "p.t");
    assert_eq!(introduced[0]["rule"], "stage-without-owner");
}

#[test]
fn layout_only_changes_are_no_change() {
    let json = diff_json("layout");
    assert!(json["changes"].as_array().unwrap().is_empty(), "{json:#}");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|f| f["semantic"] == false));
    diff_code("layout", &["--deny", "changes"], 0);
    diff_code("zh-sales", &["--deny", "changes"], 1);
}

#[test]
fn renames_are_one_change_and_references_follow() {
    let json = diff_json("rename");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{json:#}");
    let role = change(&json, "role", "customer_success");
    assert_eq!(
        (&role["change"], &role["from_id"]),
        (&"renamed".into(), &"after_sales".into())
    );
    let task = change(&json, "task", "sales_process.service.handover_meeting");
    assert_eq!(task["from_id"], "sales_process.service.kickoff");
    assert_eq!(attribute(task, "title")["new"], "Handover meeting");
    assert_eq!(strings(&json["affected_roles"]), ["customer_success"]);
}

#[test]
fn a_side_that_does_not_parse_is_reported_not_fatal() {
    let json = diff_json("broken");
    let file = &json["files"][0];
    assert_eq!(file["path"], "sales.sop");
    assert!(file["old_parse_error"].is_null());
    assert_eq!(file["new_parse_error"]["rule"], "syntax");
    assert_eq!(file["new_parse_error"]["line"], 89);
    assert_eq!(file["semantic"], true);
    assert!(json["changes"].as_array().unwrap().is_empty());
    assert!(
        json["findings"]["introduced"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "syntax")
    );
    diff_code("broken", &["--deny", "new-errors"], 1);
    diff_code("layout", &["--deny", "new-errors"], 0);
    // The old side's warnings in that file are not "fixed": the new side was never checked.
    let old = "sop a {\n  version \"1\"\n  owner r\n  review monthly\n}\nrole r { responsibilities \"x\" }\npipeline p {\n  stage s {\n    owner r\n    -> e\n  }\n  stage e { terminal }\n}\n";
    let p = Project::new().file("old/a.sop", old).file(
        "new/a.sop",
        &old.replace("owner r\n    ->", "owner\n    ->"),
    );
    let before = p.run_any(&["check", "old", "--format", "json"]).json();
    assert!(
        !before["diagnostics"].as_array().unwrap().is_empty(),
        "{before:#}"
    );
    let json = p.run(&["diff", "old", "new", "--format", "json"]).json();
    assert!(
        json["findings"]["fixed"].as_array().unwrap().is_empty(),
        "{json:#}"
    );
    assert_eq!(
        json["findings"]["introduced"][0]["rule"], "syntax",
        "{json:#}"
    );
}

#[test]
fn added_and_removed_files() {
    let json = diff_json("files");
    let status: Vec<(String, String)> = (json["files"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("renewals.sop".to_string(), "removed".to_string()),
            ("upsell.sop".to_string(), "added".to_string())
        ]
    );
    assert_eq!(change(&json, "pipeline", "renewal")["change"], "removed");
    assert_eq!(change(&json, "stage", "upsell.remind")["change"], "added");
}

#[test]
fn two_files_are_compared_with_their_imports() {
    let dir = case("zh-sales");
    let json = run_in_code(
        &dir,
        &["diff", "old/sales.sop", "new/sales.sop", "--format", "json"],
        0,
    )
    .json();
    assert_eq!(json["files"][0]["path"], "new/sales.sop");
    assert_eq!(
        change(&json, "role", "presales")["file"],
        "shared/roles.sop"
    );
    assert_eq!(
        change(&json, "stage", "sales_process.qualification")["file"],
        "new/sales.sop"
    );
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let dir = case("zh-sales");
    let one = run_in_code(&dir, &["diff", "old"], 2);
    assert!(one.stderr.contains("sopc diff OLD NEW"), "{}", one.stderr);
    let mixed = run_in_code(&dir, &["diff", "old", "new/sales.sop"], 2);
    assert!(
        mixed.stderr.contains("both be files or both be folders"),
        "{}",
        mixed.stderr
    );
    let missing = run_in_code(&dir, &["diff", "old", "nowhere"], 2);
    assert!(
        missing.stderr.contains("`nowhere` does not exist"),
        "{}",
        missing.stderr
    );
}

#[test]
fn the_json_validates_against_its_schema() {
    let schema = run_in_code(&repo(), &["schema", "diff"], 0).json();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for name in [
        "zh-sales", "en-sales", "layout", "rename", "broken", "files",
    ] {
        let json = diff_json(name);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    let mut bad = diff_json("zh-sales");
    bad["changes"][0]["change"] = "moved".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn snapshots_of_the_three_formats() {
    let human = diff_code("zh-sales", &[], 0).stdout;
    insta::assert_snapshot!("diff_zh_human", human);
    let markdown = diff_code("zh-sales", &["--format", "markdown"], 0).stdout;
    insta::assert_snapshot!("diff_zh_markdown", markdown);
    let json = diff_code("zh-sales", &["--format", "json"], 0).stdout;
    insta::assert_snapshot!("diff_zh_json", json);
    let en = diff_code("en-sales", &["--format", "markdown"], 0).stdout;
    insta::assert_snapshot!("diff_en_markdown", en);
}

#[test]
fn markdown_charts_escape_user_text() {
    let p = Project::new()
        .file(
            "old/a.sop",
            "sop a {\n  version \"1\"\n  owner r\n  review monthly\n}\nrole r { responsibilities \"x\" }\npipeline p {\n  stage s \"A\" {\n    owner r\n    -> e\n  }\n  stage e { terminal }\n}\n",
        )
        .file(
            "new/a.sop",
            "sop a {\n  version \"1\"\n  owner r\n  review monthly\n}\nrole r { responsibilities \"x\" }\npipeline p {\n  stage s \"A\\\"] --> x[\\\"#pwn\" {\n    owner r\n    -> e when \"a | b `c`\"\n  }\n  stage e { terminal }\n}\n",
        );
    let out = p
        .run(&["diff", "old", "new", "--format", "markdown"])
        .stdout;
    let chart = out
        .split("```mermaid\n")
        .nth(1)
        .and_then(|c| c.split("```").next())
        .expect("a chart");
    assert!(
        chart.contains("s0[\"A#34;] --#62; x[#34;#35;pwn\"]:::changed"),
        "{chart}"
    );
    assert!(chart.contains("-->|\"a #124; b #96;c#96;\"| s1"), "{chart}");
    assert!(chart.contains("classDef changed"), "{chart}");
    assert!(!chart.contains("`c`"), "{chart}");
}

/// Runs git in `dir`; panics with what it said unless it succeeds.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn has_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn git_reads_the_old_side_without_touching_the_work_tree() {
    if !has_git() {
        eprintln!("skipped: `git` is not installed");
        return;
    }
    let old = case("en-sales").join("old");
    let new = case("en-sales").join("new");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let p = Project::new()
        .file("sop/sales.sop", &read(&old.join("sales.sop")))
        .file("sop/shared/roles.sop", &read(&old.join("shared/roles.sop")))
        .file(
            "sop/team.sop",
            "# the team's notes\nrole intern \"Intern\" { responsibilities \"Learn\" }\n",
        );
    let dir = p.path();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first"]);
    // The new version, with the library renamed and its import following it.
    std::fs::write(
        dir.join("sop/sales.sop"),
        read(&new.join("sales.sop")).replace("shared/roles.sop", "shared/people.sop"),
    )
    .unwrap();
    git(
        dir,
        &["mv", "sop/shared/roles.sop", "sop/shared/people.sop"],
    );
    std::fs::write(
        dir.join("sop/shared/people.sop"),
        read(&new.join("shared/roles.sop")),
    )
    .unwrap();
    git(dir, &["add", "-A"]);
    let status = |d: &Path| {
        Command::new("git")
            .args(["status", "--porcelain"])
            .current_dir(d)
            .output()
            .unwrap()
            .stdout
    };
    let before = status(dir);
    let json = run_in_code(dir, &["diff", "--git", "HEAD", "--format", "json"], 0).json();
    assert_eq!(status(dir), before, "the work tree and index are untouched");
    let files = json["files"].as_array().unwrap();
    let people = files
        .iter()
        .find(|f| f["path"] == "sop/shared/people.sop")
        .expect("renamed file");
    assert_eq!(people["status"], "renamed");
    assert_eq!(people["old_path"], "sop/shared/roles.sop");
    assert_eq!(people["semantic"], false);
    assert_eq!(
        attribute(change(&json, "stage", "sales_process.service"), "exit")["name"],
        "exit"
    );
    // The old side's findings came from the old texts: the new unreachable stage is introduced.
    assert!(
        json["findings"]["introduced"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "unreachable-stage")
    );
    assert_eq!(json["old"], "HEAD");
    // Two commits, limited to a path; and a path outside the change lists nothing.
    git(dir, &["commit", "-q", "-m", "second"]);
    let two = run_in_code(
        dir,
        &["diff", "--git", "HEAD~1..HEAD", "sop", "--format", "json"],
        0,
    )
    .json();
    assert_eq!(two["summary"]["changes"], json["summary"]["changes"]);
    let none = run_in_code(
        dir,
        &[
            "diff",
            "--git",
            "HEAD~1..HEAD",
            "sop/team.sop",
            "--format",
            "json",
        ],
        0,
    )
    .json();
    assert!(none["files"].as_array().unwrap().is_empty(), "{none:#}");
    // From a subfolder, paths are the user's; `A...B` starts where B left A.
    let sub = run_in_code(
        &dir.join("sop"),
        &[
            "diff",
            "--git",
            "HEAD~1...HEAD",
            "shared",
            "--format",
            "json",
        ],
        0,
    )
    .json();
    let paths: Vec<&str> = (sub["files"].as_array().unwrap().iter())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["sop/shared/people.sop"], "{sub:#}");
    let outside = Project::new().file("a.sop", "role r {}\n");
    if !outside.path().ancestors().any(|d| d.join(".git").exists()) {
        let run = run_in_any(outside.path(), &["diff", "--git", "HEAD"]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("`--git` needs a git repository"),
            "{}",
            run.stderr
        );
    }
    let bad = run_in_any(dir, &["diff", "--git", "no-such-branch"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("`no-such-branch` is not a commit"),
        "{}",
        bad.stderr
    );
}

/// Every example and every broken example: against itself no difference; against the sales
/// example a report that validates, never a failure to run.
#[test]
fn any_pair_of_examples_gives_a_valid_report() {
    let schema = run_in_code(&repo(), &["schema", "diff"], 0).json();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let broken = repo().join("examples/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sop"))
        .collect();
    files.sort();
    files.push(repo().join("examples/sales-en/sales.sop"));
    let sales = repo().join("examples/sales/sales.sop");
    for f in &files {
        let (f, s) = (f.to_str().unwrap(), sales.to_str().unwrap());
        let same = run_in_code(&repo(), &["diff", f, f, "--format", "json"], 0).json();
        assert!(
            same["files"].as_array().unwrap().is_empty(),
            "{f}: {same:#}"
        );
        for (old, new) in [(s, f), (f, s)] {
            let json = run_in_code(&repo(), &["diff", old, new, "--format", "json"], 0).json();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{old} -> {new}: {errors:#?}");
            run_in_code(&repo(), &["diff", old, new, "--format", "markdown"], 0);
        }
    }
}

#[test]
fn removing_the_only_end_traps_every_stage_that_reached_it() {
    let sop = |end: &str| {
        format!(
            "sop a {{\n  version \"1\"\n  owner r\n  review monthly\n}}\nrole r {{ responsibilities \"x\" }}\npipeline p {{\n  stage s {{\n    owner r\n    -> t\n  }}\n  stage t {{\n    owner r\n    -> e\n  }}\n  stage e {{ {end} }}\n}}\n"
        )
    };
    let p = Project::new()
        .file("old/a.sop", &sop("terminal"))
        .file("new/a.sop", &sop("owner r"));
    let json = p.run(&["diff", "old", "new", "--format", "json"]).json();
    let graph = &json["graph"][0];
    assert_eq!(
        strings(&graph["newly_trapped"]),
        ["p.s", "p.t", "p.e"],
        "{json:#}"
    );
    assert!(strings(&graph["newly_unreachable"]).is_empty());
}

#[test]
fn nothing_changed_says_so_in_every_format() {
    let dir = case("zh-sales");
    let human = run_in_code(&dir, &["diff", "old", "old"], 0).stdout;
    assert_eq!(human, "no difference between `old` and `old`\n");
    let md = run_in_code(&dir, &["diff", "old", "old", "--format", "markdown"], 0).stdout;
    assert!(
        md.contains("**0 files, 0 changes**") && md.ends_with("No SOP file changed.\n"),
        "{md}"
    );
    let json = run_in_code(
        &dir,
        &[
            "diff", "old", "old", "--format", "json", "--deny", "changes",
        ],
        0,
    )
    .json();
    assert_eq!(json["summary"]["files"], 0);
}

/// The attributes of language 1.1 are compared: the header's `reviewed` (a date, `later` /
/// `earlier`), a kpi's `measure` and a pipeline's `case`.
#[test]
fn the_language_1_1_attributes_are_compared() {
    let json = diff_json("lang11");
    let sop = change(&json, "sop", "sales");
    let reviewed = attribute(sop, "reviewed");
    assert_eq!(
        (&reviewed["old"], &reviewed["new"], &reviewed["direction"]),
        (&"2026-01-15".into(), &"2026-04-20".into(), &"later".into())
    );
    let measure = attribute(change(&json, "kpi", "wins"), "measure");
    assert_eq!(
        (&measure["old"], &measure["new"]),
        (&"count".into(), &"conversion".into())
    );
    assert!(
        measure.get("direction").is_none_or(Value::is_null),
        "{measure}"
    );
    let pipeline_case = attribute(change(&json, "pipeline", "funnel"), "case");
    assert_eq!(
        (&pipeline_case["old"], &pipeline_case["new"]),
        (&"deal".into(), &"opportunity".into())
    );
    // And back: the date moves the other way.
    let back = run_in_code(
        &self::case("lang11"),
        &["diff", "new", "old", "--format", "json"],
        0,
    )
    .json();
    let reviewed = attribute(change(&back, "sop", "sales"), "reviewed");
    assert_eq!(reviewed["direction"], "earlier");
}
