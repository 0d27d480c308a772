//! A user template that fails says where and what: the template file and line, the undefined
//! field or unknown filter with the closest known one, and where the fields are listed.

use crate::support::Project;

const DOC: &str = "sop s \"销售\" { owner rep review quarterly }\n\
                   role rep \"销售代表\" { responsibilities \"跟进\" }\n\
                   training basics { for rep when new_hire }\n\
                   feedback weekly { cadence weekly owner rep with rep }\n\
                   pipeline p {\n  stage lead \"线索\" { owner rep exit \"x\" -> won }\n  stage won { terminal }\n}\n";

/// Builds [`DOC`] with `tpl/NAME` holding `template`: the build fails with exit 2 and writes
/// nothing; returns what it said on stderr.
fn failing(name: &str, template: &str) -> String {
    let p = Project::new()
        .file("doc.sop", DOC)
        .file(&format!("tpl/{name}"), template);
    let run = p.run_code(&["build", "doc.sop", "-o", "out", "--templates", "tpl"], 2);
    assert!(!p.path().join("out").exists(), "{}", run.stderr);
    run.stderr
}

fn place(name: &str, line: usize) -> String {
    format!(
        "{}:{line}: ",
        std::path::Path::new("tpl").join(name).display()
    )
}

#[test]
fn an_undefined_field_is_named_with_the_closest_one() {
    let stderr = failing(
        "handbook.md",
        "# {{ doc.sop.title }}\n{% for p in doc.pipelines %}{% for stage in p.stages %}\n- {{ stage.ownr }}\n{% endfor %}{% endfor %}\n",
    );
    assert!(
        stderr.contains(&format!(
            "{}undefined value `stage.ownr` in `- {{{{ stage.ownr }}}}`",
            place("handbook.md", 3)
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `stage.owner`?"),
        "{stderr}"
    );
    assert!(stderr.contains("docs/build.md"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn an_undefined_top_level_name_has_no_wild_guess() {
    let stderr = failing("handbook.html", "<p>\n{{ qqqqqq }}\n");
    assert!(
        stderr.contains(&format!(
            "{}undefined value `qqqqqq`",
            place("handbook.html", 2)
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("did you mean"), "{stderr}");
    assert!(stderr.contains("docs/build.md"), "{stderr}");
}

#[test]
fn an_unknown_filter_is_named_with_the_closest_one() {
    let stderr = failing("handbook.md", "x\n\n{{ doc.sop.title | uper }}\n");
    assert!(
        stderr.contains(&format!(
            "{}unknown filter `uper` in `{{{{ doc.sop.title | uper }}}}`",
            place("handbook.md", 3)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `upper`?"), "{stderr}");
    // One of sopc's own filters too.
    let stderr = failing("handbook.md", "{{ doc.sop.title | anchr }}\n");
    assert!(stderr.contains("did you mean `anchor`?"), "{stderr}");
}

#[test]
fn a_syntax_error_names_the_line_and_shows_it() {
    let stderr = failing(
        "checklist.md",
        "# x\n{% for s in checklist.sections %}\n{{ s.heading }\n{% endfor %}\n",
    );
    assert!(
        stderr.contains(&format!("{}syntax error: ", place("checklist.md", 3))),
        "{stderr}"
    );
    assert!(stderr.contains("in `{{ s.heading }`"), "{stderr}");
}

#[test]
fn a_line_of_chinese_text_is_shown_as_written() {
    let stderr = failing("handbook.md", "# 手册\n流程：{{ doc.sop.titel }}（草稿）\n");
    assert!(
        stderr.contains(&format!(
            "{}undefined value `doc.sop.titel` in `流程：{{{{ doc.sop.titel }}}}（草稿）`",
            place("handbook.md", 2)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `doc.sop.title`?"), "{stderr}");
}
