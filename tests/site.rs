//! `sopc build` on several SOPs: documents with the same file name build side by side, and the
//! output folder gets `index.html` listing every SOP and a page per role across all of them.

use crate::support::{Project, repo, run_in, run_in_code};
use std::collections::BTreeSet;
use std::path::Path;

/// Every file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn build_both(out: &Path) {
    build_both_on(out, "2026-12-01");
}

/// Builds both sales examples with `--today DAY`, which decides whether their review is overdue.
fn build_both_on(out: &Path, day: &str) {
    run_in(
        &repo(),
        &[
            "build",
            "examples/sales",
            "examples/sales-en",
            "-o",
            out.to_str().unwrap(),
            "--today",
            day,
        ],
    );
}

#[test]
fn the_index_says_a_review_is_overdue_as_review_overdue_does() {
    // Both examples were reviewed on 2026-11-16 with a quarterly review: due on 2027-02-16.
    let p = Project::new();
    for (day, overdue) in [("2027-02-16", false), ("2027-02-17", true)] {
        let out = p.path().join(day);
        build_both_on(&out, day);
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert_eq!(
            index.contains("review overdue<"),
            overdue,
            "on {day}: {index}"
        );
        assert!(index.contains("2026-11-16"), "the reviewed date is shown");
        let check = sopc::driver::check_paths(
            &[repo().join("examples/sales")],
            &sopc::driver::CheckOptions {
                today: sopc::lint::calendar::Day::parse(day),
                ..Default::default()
            },
        )
        .unwrap();
        let fired = check
            .findings
            .iter()
            .any(|f| f.diag.rule.name() == "review-overdue");
        assert_eq!(fired, overdue, "review-overdue on {day}");
    }
}

#[test]
fn equal_file_names_build_side_by_side() {
    let p = Project::new();
    let out = p.path().join("out");
    build_both(&out);
    let all = files(&out);
    for example in ["sales", "sales-en"] {
        for file in ["sales.json", "sales.handbook.html", "sales.handbook.md"] {
            assert!(
                all.contains(&format!("{example}/{file}")),
                "{example}/{file} in {all:?}"
            );
        }
        assert!(all.contains(&format!("{example}/sales.checklists/README.md")));
    }
    // Each is the document built alone, byte for byte.
    let alone = p.path().join("alone");
    run_in(
        &repo(),
        &["build", "examples/sales-en", "-o", alone.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read(out.join("sales-en/sales.handbook.html")).unwrap(),
        std::fs::read(alone.join("sales.handbook.html")).unwrap()
    );
    // A single document writes no site.
    let single = files(&alone);
    assert!(!single.contains("index.html") && !single.iter().any(|f| f.starts_with("roles/")));
    // The record covers every new file, so a second build replaces them all.
    let record = std::fs::read_to_string(out.join(".sopc-build.json")).unwrap();
    for f in all.iter().filter(|f| *f != ".sopc-build.json") {
        assert!(
            record.contains(&format!("\"{f}\"")),
            "{f} not in the record"
        );
    }
    build_both(&out);
    assert_eq!(files(&out), all);
}

#[test]
fn the_index_lists_every_sop() {
    let p = Project::new();
    let out = p.path().join("out");
    build_both(&out);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    insta::assert_snapshot!("index.html", index);
    for link in [
        "href=\"sales/sales.handbook.html\"",
        "href=\"sales-en/sales.handbook.html\"",
        "href=\"sales/sales.checklists/stage-01-线索获取.html\"",
        "href=\"sales-en/sales.checklists/role-sales_rep.html\"",
        "href=\"roles/sales_rep.html\"",
    ] {
        assert!(index.contains(link), "{link}");
        let target = link.trim_start_matches("href=\"").trim_end_matches('"');
        assert!(out.join(target).is_file(), "{target} exists");
    }
}

#[test]
fn a_role_page_gathers_the_role_from_every_sop() {
    let p = Project::new();
    let out = p.path().join("out");
    build_both(&out);
    let page = std::fs::read_to_string(out.join("roles/sales_rep.html")).unwrap();
    insta::assert_snapshot!("roles.sales_rep.html", page);
    // Both SOPs, each with what the role owns, does, learns and is measured on.
    assert!(page.contains("Sales Standard Operating Procedure"));
    assert!(page.contains("销售标准操作流程"));
    for text in [
        "Lead Capture",
        "Record the lead in the CRM",
        "在 CRM 中登记线索",
        "CRM Basics",
    ] {
        assert!(page.contains(text), "`{text}` on the role page");
    }
    assert!(page.contains("href=\"../sales/sales.handbook.html#role-sales_rep\""));
    // Printable: A4, one SOP a page.
    assert!(page.contains("size: A4"));
    assert!(page.contains("section.sop + section.sop { break-before: page; }"));
}

#[test]
fn a_role_in_one_sop_only_gets_its_page() {
    let sop = |id: &str, role: &str| {
        format!(
            "sop {id} \"{id}\" {{\n  owner {role}\n  review monthly\n}}\nrole {role} \"{role} title\" {{\n  responsibilities \"work\"\n}}\n"
        )
    };
    let p = Project::new()
        .file("kitchen/menu.sop", &sop("menu", "chef"))
        .file("front/menu.sop", &sop("front", "waiter"));
    p.run(&["build", ".", "-o", "out"]);
    let all = files(&p.path().join("out"));
    for f in [
        "kitchen/menu.json",
        "front/menu.json",
        "index.html",
        "roles/chef.html",
        "roles/waiter.html",
    ] {
        assert!(all.contains(f), "{f} in {all:?}");
    }
    let chef = std::fs::read_to_string(p.path().join("out/roles/chef.html")).unwrap();
    assert!(chef.contains("chef title") && !chef.contains("waiter title"));
}

#[test]
fn names_that_still_clash_are_refused() {
    // `a b/x.sop` and `a_b/x.sop` both become `a_b/x`.
    let sop = "sop x \"X\" {\n  review monthly\n}\n";
    let p = Project::new().file("a b/x.sop", sop).file("a_b/x.sop", sop);
    let run = run_in_code(p.path(), &["build", ".", "-o", "out"], 2);
    assert!(
        run.stderr.contains("would both write `a_b/x.*`"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("out").exists());
}
