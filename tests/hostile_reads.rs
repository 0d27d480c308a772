//! What sopc reads: links found by walking stay inside the project, only regular files are
//! read, sizes are bounded, templates stay in their folder and within their budget, and a
//! folder with nothing to check says so.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Project, Run};

/// Runs sopc in `dir`, killing it (and failing the test) if it takes longer than `secs`: a
/// hang is the bug these tests look for.
fn run_bounded(dir: &Path, args: &[&str], secs: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sopc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sopc runs");
    // The pipes are drained on their own threads while this one watches the clock: a child
    // whose output fills a pipe must not look like a hang.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`sopc {}` did not finish in {secs} s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (out_reader.join().unwrap(), err_reader.join().unwrap());
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: `mkfifo` is not available");
    }
    ok
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, at).expect("symbolic link");
}

const GOOD: &str = "role r { responsibilities \"a\" }\n";
const SECRET: &str = "TOKEN_3f9d1c_SHOULD_NEVER_BE_PRINTED";

/// A folder outside the project holding a secret, as a `.sop` file and as plain text.
#[cfg(unix)]
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.sop"), format!("{SECRET} {{\n")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn walks_never_follow_links_out_of_the_project() {
    let out = outside();
    let p = Project::new()
        .file("sopc.yaml", "")
        .file("a.sop", GOOD)
        .file("sub/b.sop", GOOD);
    link(out.path().join("secret.sop"), p.path().join("secret.sop"));
    link(out.path(), p.path().join("outdir"));
    link("/dev/zero", p.path().join("zero.sop"));
    if Path::new("/proc/self/environ").exists() {
        link("/proc/self/environ", p.path().join("env.sop"));
    }
    for format in ["human", "json", "sarif"] {
        let run = run_bounded(p.path(), &["check", "--format", format, "."], 60);
        assert_eq!(run.code, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
        assert!(
            run.stderr
                .contains("note: skipped `secret.sop`: the link leads outside the project"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("note: skipped `outdir`"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("note: skipped `zero.sop`"),
            "{}",
            run.stderr
        );
        if format != "human" {
            let _: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        }
    }
    let run = run_bounded(p.path(), &["check", "--format", "json", "."], 60);
    assert_eq!(run.json()["summary"]["files"], 2, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn links_inside_the_project_are_followed() {
    let p = Project::new()
        .file("sopc.yaml", "")
        .file("shared/lib.sop", "role q {}\n")
        .file("more/other.sop", GOOD)
        .file("sops/a.sop", GOOD);
    link("../shared/lib.sop", p.path().join("sops/lib.sop"));
    link("../shared", p.path().join("sops/linked"));
    link("../more", p.path().join("sops/more"));
    let run = run_bounded(p.path(), &["check", "--format", "json", "sops"], 60);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("skipped"), "{}", run.stderr);
    // `lib.sop` is reached twice (through a file link and a folder link) and read once;
    // `other.sop` only through the linked folder.
    assert_eq!(run.json()["summary"]["files"], 3, "{}", run.stdout);
    assert_eq!(
        run.rules_and_lines(),
        vec![("role-without-responsibilities".to_string(), 1)]
    );
}

#[cfg(unix)]
#[test]
fn fmt_never_rewrites_a_file_outside_the_project() {
    let out = tempfile::tempdir().unwrap();
    let ugly = "role   r{responsibilities \"a\"}\n";
    std::fs::write(out.path().join("o.sop"), ugly).unwrap();
    let p = Project::new()
        .file("sopc.yaml", "")
        .file("a.sop", "role   a{responsibilities \"a\"}\n");
    link(out.path().join("o.sop"), p.path().join("o.sop"));
    let run = run_bounded(p.path(), &["fmt", "."], 60);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("note: skipped `o.sop`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("o.sop")).unwrap(),
        ugly
    );
    assert_ne!(
        std::fs::read_to_string(p.path().join("a.sop")).unwrap(),
        "role   a{responsibilities \"a\"}\n"
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_never_opened() {
    let p = Project::new().file("sopc.yaml", "").file("a.sop", GOOD);
    if !mkfifo(&p.path().join("pipe.sop")) {
        return;
    }
    // Found by walking: left out with a note.
    let run = run_bounded(p.path(), &["check", "."], 60);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: skipped `pipe.sop`: it is a FIFO, not a regular file"),
        "{}",
        run.stderr
    );
    // Named on the command line: refused, exit 2.
    let run = run_bounded(p.path(), &["check", "pipe.sop"], 60);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read `pipe.sop`: it is a FIFO, not a regular file"),
        "{}",
        run.stderr
    );
    let run = run_bounded(p.path(), &["fmt", "pipe.sop"], 60);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("it is a FIFO"), "{}", run.stderr);
    if Path::new("/dev/zero").exists() {
        let run = run_bounded(p.path(), &["check", "/dev/zero"], 60);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("cannot read `/dev/zero`: it is a character device, not a regular file"),
            "{}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn an_imported_fifo_is_an_import_error() {
    let p = Project::new().file("sopc.yaml", "").file(
        "a.sop",
        "import \"pipe.sop\"\nrole r { responsibilities \"a\" }\n",
    );
    if !mkfifo(&p.path().join("pipe.sop")) {
        return;
    }
    let run = run_bounded(p.path(), &["check", "--format", "json", "a.sop"], 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "import-error");
    assert_eq!(
        d["message"],
        "imported file `pipe.sop` is a FIFO, not a regular file"
    );
}

#[cfg(unix)]
#[test]
fn a_sopc_yaml_must_be_a_regular_file_of_the_project() {
    let p = Project::new().file("a.sop", GOOD);
    if !mkfifo(&p.path().join("sopc.yaml")) {
        return;
    }
    let run = run_bounded(p.path(), &["check", "."], 60);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read `sopc.yaml`: it is a FIFO, not a regular file"),
        "{}",
        run.stderr
    );
    // A link to a file outside: its text would be quoted in `invalid-config` findings.
    let out = outside();
    let p = Project::new().file("a.sop", GOOD);
    link(out.path().join("secret.txt"), p.path().join("sopc.yaml"));
    let run = run_bounded(p.path(), &["check", "."], 60);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
    assert!(
        run.stderr
            .contains("cannot read `sopc.yaml`: the link leads outside the project"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_larger_than_the_limit_are_refused() {
    let p = Project::new()
        .file("sopc.yaml", "")
        .file("a.sop", "import \"big.sop\"\n");
    let big = std::fs::File::create(p.path().join("big.sop")).unwrap();
    // Sparse: 64 MiB and one byte, without writing them.
    big.set_len(64 * 1024 * 1024 + 1).unwrap();
    let run = run_bounded(p.path(), &["check", "big.sop"], 60);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read `big.sop`: it is larger than 64 MiB, the most sopc reads"),
        "{}",
        run.stderr
    );
    let run = run_bounded(p.path(), &["check", "--format", "json", "a.sop"], 60);
    assert_eq!(
        run.json()["diagnostics"][0]["message"],
        "imported file `big.sop` is larger than 64 MiB, the most sopc reads"
    );
}

#[cfg(unix)]
mod audit_inputs {
    use super::*;
    use crate::audit::DEMO_SOP;

    const LOG: &str = "case_id,stage,timestamp\nA,lead,2026-03-01T00:00:00Z\n";

    #[test]
    fn a_stage_map_must_be_a_regular_file() {
        let p = Project::new()
            .file("demo.sop", DEMO_SOP)
            .file("log.csv", LOG);
        if !mkfifo(&p.path().join("map.csv")) {
            return;
        }
        let args = ["audit", "demo.sop", "log.csv", "--stage-map", "map.csv"];
        let run = run_bounded(p.path(), &args, 60);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("cannot read the stage map `map.csv`: it is a FIFO, not a regular file"),
            "{}",
            run.stderr
        );
    }

    #[test]
    fn a_log_may_be_a_pipe_but_not_a_device() {
        let p = Project::new().file("demo.sop", DEMO_SOP);
        let fifo = p.path().join("log.csv");
        if !mkfifo(&fifo) {
            return;
        }
        let writer = std::thread::spawn(move || std::fs::write(fifo, LOG));
        let args = ["audit", "--format", "json", "demo.sop", "log.csv"];
        let run = run_bounded(p.path(), &args, 60);
        writer.join().unwrap().unwrap();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.json()["log"]["events"], 1);
        if Path::new("/dev/zero").exists() {
            let run = run_bounded(p.path(), &["audit", "demo.sop", "/dev/zero"], 60);
            assert_eq!(run.code, 2);
            assert!(
                run.stderr.contains(
                    "cannot read `/dev/zero`: it is a character device, not a regular file"
                ),
                "{}",
                run.stderr
            );
        }
    }
}

mod templates {
    use super::*;
    use sopc::render::{Lang, Templates};

    const DOC: &str = "sop s \"S\" {\n  owner r\n  review quarterly\n}\nrole r \"R\" { responsibilities \"a\" }\n";

    /// Puts files into a templates folder.
    type SetUp<'a> = dyn Fn(&Path) + 'a;

    fn build(p: &Project, templates: &str) -> Run {
        run_bounded(
            p.path(),
            &["build", "s.sop", "-o", "out", "--templates", templates],
            120,
        )
    }

    #[cfg(unix)]
    #[test]
    fn templates_never_reach_out_of_their_folder() {
        let out = outside();
        // An include of a link, a linked folder, and the template itself a link.
        let cases: [(&str, &SetUp<'_>); 3] = [
            ("include a linked file", &|t: &Path| {
                link(out.path().join("secret.txt"), t.join("x.txt"));
                std::fs::write(t.join("handbook.md"), "{% include \"x.txt\" %}\n").unwrap();
            }),
            ("include through a linked folder", &|t: &Path| {
                link(out.path(), t.join("linked"));
                std::fs::write(
                    t.join("handbook.md"),
                    "{% include \"linked/secret.txt\" %}\n",
                )
                .unwrap();
            }),
            ("the template is a link", &|t: &Path| {
                link(out.path().join("secret.txt"), t.join("handbook.md"));
            }),
        ];
        for (what, set_up) in cases {
            let p = Project::new().file("s.sop", DOC);
            std::fs::create_dir(p.path().join("t")).unwrap();
            set_up(&p.path().join("t"));
            let run = build(&p, "t");
            assert_eq!(run.code, 2, "{what}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("leads outside the templates folder `t`"),
                "{what}: {}",
                run.stderr
            );
            assert!(!p.path().join("out").exists(), "{what}");
            assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
        }
        // A link that stays inside the folder is fine.
        let p = Project::new()
            .file("s.sop", DOC)
            .file("t/parts/body.md", "BODY {{ doc.sop.id }}\n")
            .file("t/handbook.md", "{% include \"body.md\" %}");
        link("parts/body.md", p.path().join("t/body.md"));
        let run = build(&p, "t");
        assert_eq!(run.code, 0, "{}", run.stderr);
        let handbook = std::fs::read_to_string(p.path().join("out/s.handbook.md")).unwrap();
        assert_eq!(handbook, "BODY s\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_template_must_be_a_regular_file() {
        let p = Project::new().file("s.sop", DOC);
        std::fs::create_dir(p.path().join("t")).unwrap();
        if !mkfifo(&p.path().join("t/handbook.md")) {
            return;
        }
        let run = build(&p, "t");
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("cannot read `t/handbook.md`: it is a FIFO, not a regular file"),
            "{}",
            run.stderr
        );
    }

    #[test]
    fn templates_must_be_a_folder() {
        let p = Project::new().file("s.sop", DOC).file("theme.md", "x");
        let run = build(&p, "theme.md");
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("`--templates theme.md`: `theme.md` is a file, not a folder"),
            "{}",
            run.stderr
        );
        let run = build(&p, "nowhere");
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("templates folder `nowhere` does not exist"),
            "{}",
            run.stderr
        );
    }

    /// The bounds on one render, small enough to reach in a test.
    fn small(dir: &Path) -> Templates {
        Templates::with_dir(dir).with_limits(2_000_000, 1024 * 1024)
    }

    #[test]
    fn a_template_that_loops_runs_out_of_fuel() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("handbook.md"),
            "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}x{% endfor %}{% endfor %}{% endfor %}\n",
        )
        .unwrap();
        let start = Instant::now();
        let e = small(dir.path())
            .render("handbook.md", Lang::En, &())
            .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(60));
        assert_eq!(e.template, "handbook.md");
        assert_eq!(e.path, Some(dir.path().join("handbook.md")));
        assert!(
            e.message
                .starts_with("the template does too much work (more than 2000000 units of fuel)"),
            "{e}"
        );
    }

    #[test]
    fn a_template_that_writes_without_end_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("handbook.md"),
            "{% for a in range(100000) %}{{ \"x\" * 100000 }}{% endfor %}\n",
        )
        .unwrap();
        let e = Templates::with_dir(dir.path())
            .with_limits(sopc::render::FUEL, 1024 * 1024)
            .render("handbook.md", Lang::En, &())
            .unwrap_err();
        assert!(
            e.message
                .starts_with("the output is larger than 1 MiB, the most sopc writes"),
            "{e}"
        );
    }

    #[test]
    fn the_built_in_templates_stay_far_within_the_budget() {
        // The sales example renders with a thousandth of the fuel of a real build.
        let options = sopc::driver::CheckOptions {
            keep_models: true,
            ..Default::default()
        };
        let sales = crate::support::repo().join("examples/sales/sales.sop");
        let outcome =
            sopc::driver::check_paths(&[sales], &options).unwrap_or_else(|e| panic!("{e:?}"));
        let model = outcome.models.iter().find(|m| m.header.is_some()).unwrap();
        let view = sopc::render::DocumentView::from_model(model, None);
        let templates = Templates::embedded().with_limits(sopc::render::FUEL / 1000, 1024 * 1024);
        let outputs = sopc::render::render_document(&view, "sales", &templates)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(outputs.len() > 3);
    }
}

mod walking {
    use super::*;

    #[test]
    fn a_folder_without_sop_files_is_an_error() {
        let p = Project::new().file("notes.txt", "x");
        for command in ["check", "fmt", "build"] {
            let mut args = vec![command, "."];
            if command == "build" {
                args.extend(["-o", "out"]);
            }
            let run = run_bounded(p.path(), &args, 60);
            assert_eq!(run.code, 2, "{command}: {}", run.stderr);
            assert_eq!(
                run.stderr,
                "error: no `.sop` file found in `.`; name the folder or the files that hold your SOPs\n",
                "{command}"
            );
        }
        // The default path is `.` too.
        assert_eq!(run_bounded(p.path(), &["check"], 60).code, 2);
    }

    #[test]
    fn the_message_counts_what_the_walking_rules_left_out() {
        let p = Project::new()
            .file(".ignore", "drafts/\n")
            .file("drafts/a.sop", GOOD)
            .file("drafts/b.sop", GOOD)
            .file(".hidden/c.sop", GOOD)
            .file(".d.sop", GOOD);
        let run = run_bounded(p.path(), &["check", "."], 60);
        assert_eq!(run.code, 2);
        assert_eq!(
            run.stderr,
            "error: no `.sop` file found in `.`: 2 `.sop` files are excluded by `.gitignore` or \
             `.ignore` rules, 2 `.sop` files are in hidden folders or files (named `.*`); name a \
             file on the command line to check it anyway\n"
        );
        // Named, they are checked.
        let run = run_bounded(p.path(), &["check", "drafts/a.sop", ".hidden"], 60);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.ends_with("in 2 files\n"), "{}", run.stdout);
    }

    #[test]
    fn a_folder_with_sop_files_checks_as_before() {
        let p = Project::new()
            .file("a.sop", GOOD)
            .file(".ignore", "b.sop\n")
            .file("b.sop", "x");
        let run = run_bounded(p.path(), &["check", "."], 60);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "");
        assert!(run.stdout.ends_with("in 1 file\n"), "{}", run.stdout);
    }
}
