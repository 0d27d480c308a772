//! Exit codes and arguments.

use crate::support::Project;

#[test]
fn missing_path_exits_2() {
    let run = Project::new().run_code(&["check", "no-such-dir"], 2);
    assert!(
        run.stderr.contains("`no-such-dir` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_argument_exits_2() {
    Project::new().run_code(&["check", "--format", "yaml"], 2);
}

#[test]
fn default_path_is_the_current_directory() {
    let p = Project::new().file("sub/a.sop", "role r {}\n");
    let run = p.run(&["check", "--format", "json"]);
    assert_eq!(
        run.rules_and_lines(),
        vec![("role-without-responsibilities".to_string(), 1)]
    );
    assert_eq!(run.json()["diagnostics"][0]["file"], "sub/a.sop");
}

#[test]
fn paths_are_shown_as_given() {
    let p = Project::new().file("docs/x/a.sop", "role r {}\n");
    let run = p.run(&["check", "--format", "json", "docs/"]);
    assert_eq!(run.json()["diagnostics"][0]["file"], "docs/x/a.sop");
    let run = p.run(&["check", "--format", "json", "./docs/x/a.sop"]);
    assert_eq!(run.json()["diagnostics"][0]["file"], "./docs/x/a.sop");
}

#[test]
fn deny_warnings_and_max_warnings() {
    let p = Project::new().file("a.sop", "role r {}\nrole s {}\n");
    assert_eq!(p.run(&["check"]).code, 0);
    assert_eq!(p.run_code(&["check", "--deny", "warnings"], 1).code, 1);
    assert_eq!(p.run(&["check", "--max-warnings", "2"]).code, 0);
    assert_eq!(p.run_code(&["check", "--max-warnings", "1"], 1).code, 1);
}

#[test]
fn summary_line_counts() {
    let p = Project::new().file("a.sop", "role r {}\n").file(
        "b.sop",
        "role q { reports_to nobody responsibilities \"x\" }\n",
    );
    let run = p.run_code(&["check"], 1);
    assert!(
        run.stdout.ends_with("1 error, 1 warning in 2 files\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn github_format() {
    let p = Project::new().file(
        "a.sop",
        "role r {}\nrole q { reports_to nobody responsibilities \"x\" }\n",
    );
    let run = p.run_code(&["check", "--format", "github"], 1);
    assert_eq!(
        run.stdout,
        "::error file=a.sop,line=2,col=21,endLine=2,endColumn=27,title=undefined-reference::no role named `nobody`\n\
         ::warning file=a.sop,line=1,col=1,endLine=1,endColumn=7,title=role-without-responsibilities::role `r` has no responsibilities\n"
    );
}

#[test]
fn github_format_escapes_data_and_properties() {
    // A message with `%` and a newline (from the import path), a path with `,` and `:`.
    let p = Project::new().file("a,b:c.sop", "import \"50%\\nx.sop\"\n");
    let run = p.run_code(&["check", "--format", "github"], 1);
    assert_eq!(
        run.stdout,
        "::error file=a%2Cb%3Ac.sop,line=1,col=8,endLine=1,endColumn=20,title=import-error::imported file `50%25%0Ax.sop` does not exist\n"
    );
}
