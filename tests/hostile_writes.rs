//! What sopc writes, against a hostile file system: folders it did not write, failures and
//! kills at every step of a build, full disks, and files with metadata to keep.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::{Project, Run, repo};

/// Every entry under `dir` (files with their bytes, folders as `/`), by path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy();
            let rel = rel.replace('\\', "/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Runs sopc in `dir` with `SOPC_FAULT_INJECT` set to `fault` (none when empty).
fn run_with_fault(dir: &Path, fault: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sopc"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOPC_FAULT_INJECT");
    if !fault.is_empty() {
        cmd.env("SOPC_FAULT_INJECT", fault);
    }
    let out = cmd.output().expect("sopc runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The starter project of `sopc init`, under `src/`, plus a broken project under `broken/`.
fn project() -> Project {
    let roles = std::fs::read_to_string(repo().join("src/app/init/roles.sop")).unwrap();
    Project::new()
        .file("src/sopc.yaml", "")
        .file("src/sales.sop", &starter())
        .file("src/shared/roles.sop", &roles)
        .file("broken/bad.sop", "sop {\n")
}

/// The starter document of `sopc init`.
fn starter() -> String {
    std::fs::read_to_string(repo().join("src/app/init/sales.sop")).unwrap()
}

/// Gives the document another title (every output shows it), or back its own with `""`.
fn edit_sources(p: &Project, version: &str) {
    let text = starter();
    let text = if version.is_empty() {
        text
    } else {
        text.replace("\"Sales SOP\"", &format!("\"Sales SOP {version}\""))
    };
    std::fs::write(p.path().join("src/sales.sop"), text).unwrap();
}

fn build(p: &Project, fault: &str) -> Run {
    run_with_fault(p.path(), fault, &["build", "src", "-o", "out"])
}

/// The outputs of the project's current sources, built into a fresh folder.
fn expected_outputs(p: &Project) -> BTreeMap<String, Vec<u8>> {
    let run = run_with_fault(p.path(), "", &["build", "src", "-o", "reference"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&p.path().join("reference"));
    std::fs::remove_dir_all(p.path().join("reference")).unwrap();
    files
}

#[test]
fn build_never_replaces_a_folder_it_did_not_write() {
    let p = project().file("src/sales.checklists/NOTES.txt", "x\n");
    let before = tree(&p.path().join("src"));
    let run = run_with_fault(p.path(), "", &["build", "src", "-o", "src"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`src/sales.checklists/NOTES.txt` is a file sopc did not write"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(
        run.stderr.contains("-o"),
        "says how to proceed: {}",
        run.stderr
    );
    assert_eq!(tree(&p.path().join("src")), before);
}

#[test]
fn build_never_replaces_a_file_it_did_not_write_or_one_edited_since() {
    let p = project().file("out/sales.json", "{\"mine\": true}\n");
    let run = build(&p, "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`out/sales.json` is a file sopc did not write"),
        "{}",
        run.stderr
    );
    assert_eq!(
        tree(&p.path().join("out")),
        BTreeMap::from([("sales.json".to_string(), b"{\"mine\": true}\n".to_vec())])
    );
    // Free names in a folder with other files: the build goes ahead and leaves them.
    std::fs::rename(
        p.path().join("out/sales.json"),
        p.path().join("out/mine.json"),
    )
    .unwrap();
    assert_eq!(build(&p, "").code, 0);
    let built = tree(&p.path().join("out"));
    assert_eq!(built["mine.json"], b"{\"mine\": true}\n");
    assert!(built.contains_key(".sopc-build.json"));
    // Its own outputs it replaces; one edited by hand it does not.
    edit_sources(&p, "second");
    assert_eq!(build(&p, "").code, 0);
    std::fs::write(p.path().join("out/sales.handbook.md"), "my notes\n").unwrap();
    let before = tree(&p.path().join("out"));
    edit_sources(&p, "third");
    let run = build(&p, "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`out/sales.handbook.md` was changed since sopc wrote it"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&p.path().join("out")), before);
    // A file put into an output folder is not lost either.
    std::fs::remove_file(p.path().join("out/sales.handbook.md")).unwrap();
    std::fs::write(p.path().join("out/sales.checklists/extra.md"), "mine\n").unwrap();
    let run = build(&p, "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`out/sales.checklists/extra.md` is a file sopc did not write"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(p.path().join("out/sales.checklists/extra.md")).unwrap();
    assert_eq!(build(&p, "").code, 0);
}

/// Every fault point of a rebuild (four outputs and the record), each pass of it.
fn rebuild_steps() -> Vec<String> {
    let mut steps: Vec<String> = (1..=3).map(|n| format!("stage:{n}")).collect();
    steps.push("journal:1".into());
    for n in 1..=5 {
        steps.push(format!("backup:{n}"));
        steps.push(format!("move-in:{n}"));
    }
    steps.push("cleanup:1".into());
    steps
}

#[test]
fn a_failure_at_any_step_of_a_build_changes_nothing_and_says_so() {
    let p = project();
    assert_eq!(build(&p, "").code, 0);
    let old = tree(&p.path().join("out"));
    edit_sources(&p, "new");
    let new = expected_outputs(&p);
    assert_ne!(old, new);
    for step in rebuild_steps() {
        let run = build(&p, &format!("fail:{step}"));
        assert_eq!(run.code, 2, "{step}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was changed"),
            "{step}: {}",
            run.stderr
        );
        assert_eq!(tree(&p.path().join("out")), old, "{step}");
    }
    // A failure, then a failure while putting things back: the message says so, and the next
    // build puts the old outputs back before doing its work.
    let run = build(&p, "fail:move-in:2,fail:rollback:1");
    assert_eq!(run.code, 2);
    assert!(
        !run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("left partly updated"), "{}", run.stderr);
    let run = run_with_fault(p.path(), "", &["build", "broken", "-o", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("were put back"), "{}", run.stderr);
    assert_eq!(tree(&p.path().join("out")), old);
    assert_eq!(build(&p, "").code, 0);
    assert_eq!(tree(&p.path().join("out")), new);
}

#[test]
fn a_kill_at_any_step_of_a_build_leaves_the_old_or_the_new_outputs() {
    let p = project();
    assert_eq!(build(&p, "").code, 0);
    let old = tree(&p.path().join("out"));
    edit_sources(&p, "new");
    let new = expected_outputs(&p);
    let mut kills: Vec<String> = rebuild_steps()
        .iter()
        .map(|s| format!("abort:{s}"))
        .collect();
    // Killed while putting things back after a failure.
    kills.push("fail:move-in:3,abort:rollback:2".into());
    for kill in kills {
        let run = build(&p, &kill);
        assert_ne!(run.code, 0, "{kill}: killed");
        assert!(!run.stderr.contains("nothing was changed"), "{kill}");
        // The next run, even one that builds nothing, finishes or undoes the killed one.
        let next = run_with_fault(p.path(), "", &["build", "broken", "-o", "out"]);
        assert_eq!(next.code, 1, "{kill}: {}", next.stderr);
        let after = tree(&p.path().join("out"));
        assert!(
            after == old || after == new,
            "{kill}: neither the old nor the new outputs: {:?}",
            after.keys().collect::<Vec<_>>()
        );
        // Back to the old set for the next step.
        if after == new {
            edit_sources(&p, "");
            assert_eq!(build(&p, "").code, 0);
            assert_eq!(tree(&p.path().join("out")), old, "{kill}");
            edit_sources(&p, "new");
        }
    }
    // Killed while finishing a killed build: the run after that finishes it.
    assert_eq!(build(&p, "abort:move-in:2").code, -1);
    let run = run_with_fault(
        p.path(),
        "abort:recover:1",
        &["build", "broken", "-o", "out"],
    );
    assert_eq!(run.code, -1);
    let run = run_with_fault(p.path(), "", &["build", "broken", "-o", "out"]);
    assert!(run.stderr.contains("now all in place"), "{}", run.stderr);
    assert_eq!(tree(&p.path().join("out")), new);
}

#[test]
fn staging_folders_of_earlier_killed_builds_are_removed() {
    let p = project();
    assert_eq!(build(&p, "").code, 0);
    let built = tree(&p.path().join("out"));
    // One of a build killed while staging, and one of the earlier `.sopc-build-PID` kind.
    assert_ne!(build(&p, "abort:stage:2").code, 0);
    assert!(p.path().join("out/.sopc-build/new").is_dir());
    std::fs::create_dir_all(p.path().join("out/.sopc-build-4242/sales.checklists")).unwrap();
    std::fs::write(p.path().join("out/.sopc-build-4242/sales.json"), "{}").unwrap();
    assert_eq!(build(&p, "").code, 0);
    assert_eq!(tree(&p.path().join("out")), built);
}

#[test]
fn a_failed_first_build_leaves_no_folder() {
    let p = project();
    let run = run_with_fault(
        p.path(),
        "fail:stage:2",
        &["build", "src", "-o", "new/deeper/out"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(!p.path().join("new").exists());
    // And when moving in fails.
    let run = run_with_fault(
        p.path(),
        "fail:move-in:2",
        &["build", "src", "-o", "new/deeper/out"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(!p.path().join("new").exists());
    let run = run_with_fault(p.path(), "", &["build", "src", "-o", "new/deeper/out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn an_old_output_that_cannot_be_moved_fails_the_build_truthfully() {
    let p = project();
    assert_eq!(build(&p, "").code, 0);
    let old = tree(&p.path().join("out"));
    let pinned = p.path().join("out/sales.json");
    let chattr = Command::new("chattr").arg("+i").arg(&pinned).output();
    if !chattr.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: `chattr +i` is not available here (needs root and a file system with it)"
        );
        return;
    }
    edit_sources(&p, "new");
    let run = build(&p, "");
    let _ = Command::new("chattr").arg("-i").arg(&pinned).status();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`out/sales.json`"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert_eq!(tree(&p.path().join("out")), old);
    assert_eq!(build(&p, "").code, 0);
}

#[test]
fn messages_name_the_file_in_the_way() {
    let p = project().file("afile", "x\n");
    let run = run_with_fault(p.path(), "", &["build", "src", "-o", "afile/sub"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`afile` is a file, so the folder `afile/sub` cannot be made"),
        "{}",
        run.stderr
    );
    let run = run_with_fault(p.path(), "", &["build", "src", "-o", "afile"]);
    assert!(
        run.stderr.contains("`afile` is a file, not a folder"),
        "{}",
        run.stderr
    );
    let run = run_with_fault(p.path(), "", &["init", "afile"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`afile` is a file, not a folder"),
        "{}",
        run.stderr
    );
    let p = Project::new().file("proj/shared", "x\n");
    let run = p.run_code(&["init", "proj"], 2);
    assert!(
        run.stderr.contains("`proj/shared` is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&p.path().join("proj")).len(), 1, "nothing written");
}

const LOG: &str =
    "case_id,stage,timestamp\nA,lead,2026-03-02T00:00:00Z\nA,won,2026-03-10T12:00:00Z\n";

/// An audit that writes `output` (an `--html` page, an `--export-xes` file) with `flag`: a full
/// disk, then a kill, halfway through leave the previous file as it was and nothing beside it;
/// an audit after them writes what the first did. Returns what it writes.
fn an_audit_output_survives_failures(p: &Project, flag: &str, output: &str) -> Vec<u8> {
    let args = ["audit", "demo.sop", "log.csv", flag, output];
    assert_eq!(run_with_fault(p.path(), "", &args).code, 0);
    let written = std::fs::read(p.path().join(output)).unwrap();
    std::fs::write(p.path().join(output), b"the previous file").unwrap();
    let run = run_with_fault(p.path(), "fail:write:1", &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("cannot write `{output}`")),
        "{}",
        run.stderr
    );
    assert_eq!(
        tree(p.path()).keys().collect::<Vec<_>>(),
        ["demo.sop", "log.csv", output],
        "no temporary file is left"
    );
    assert_eq!(
        std::fs::read(p.path().join(output)).unwrap(),
        b"the previous file"
    );
    assert_ne!(run_with_fault(p.path(), "abort:write:1", &args).code, 0);
    assert_eq!(
        std::fs::read(p.path().join(output)).unwrap(),
        b"the previous file"
    );
    assert_eq!(run_with_fault(p.path(), "", &args).code, 0);
    assert_eq!(std::fs::read(p.path().join(output)).unwrap(), written);
    written
}

fn audit_project() -> Project {
    Project::new()
        .file("demo.sop", include_str!("audit/demo.sop"))
        .file("log.csv", LOG)
}

#[test]
fn a_failing_xes_export_keeps_the_previous_file() {
    let p = audit_project();
    let export = an_audit_output_survives_failures(&p, "--export-xes", "out.xes");
    assert!(export.starts_with(b"<?xml") && export.ends_with(b"</log>\n"));
    let args = [
        "audit",
        "demo.sop",
        "log.csv",
        "--export-xes",
        "nowhere/out.xes",
    ];
    p.run_code(&args, 2);
}

#[test]
fn a_failing_audit_html_write_keeps_the_previous_report() {
    let p = audit_project();
    let report = an_audit_output_survives_failures(&p, "--html", "report.html");
    assert!(report.starts_with(b"<!DOCTYPE html>") || report.starts_with(b"<!doctype html>"));
    let run = p.run_code(
        &["audit", "demo.sop", "log.csv", "--html", "nowhere/r.html"],
        2,
    );
    assert!(
        run.stderr
            .contains("cannot write `nowhere/r.html`: the folder `nowhere` does not exist"),
        "{}",
        run.stderr
    );
}

const UNFORMATTED: &str = "role   r {\n}\n";

fn formatted() -> String {
    let p = Project::new().file("a.sop", UNFORMATTED);
    assert_eq!(p.run(&["fmt", "a.sop"]).code, 0);
    let text = std::fs::read_to_string(p.path().join("a.sop")).unwrap();
    assert_ne!(text, UNFORMATTED);
    text
}

#[cfg(unix)]
#[test]
fn fmt_keeps_the_mode_and_the_hard_links_of_a_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let p = Project::new()
        .file("a.sop", UNFORMATTED)
        .file("b.sop", UNFORMATTED);
    let a = p.path().join("a.sop");
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::hard_link(p.path().join("b.sop"), p.path().join("b-link.txt")).unwrap();
    let inode = std::fs::metadata(p.path().join("b.sop")).unwrap().ino();
    p.run(&["fmt", "a.sop", "b.sop"]);
    let text = formatted();
    assert_eq!(std::fs::read_to_string(&a).unwrap(), text);
    assert_eq!(
        std::fs::metadata(&a).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    let b = std::fs::metadata(p.path().join("b.sop")).unwrap();
    assert_eq!((b.ino(), b.nlink()), (inode, 2));
    assert_eq!(
        std::fs::read_to_string(p.path().join("b-link.txt")).unwrap(),
        text
    );
    assert_eq!(
        tree(p.path()).len(),
        3,
        "no backup or temporary file is left"
    );
}

#[cfg(unix)]
#[test]
fn fmt_that_fails_halfway_leaves_the_file_as_it_was() {
    let p = Project::new()
        .file("a.sop", UNFORMATTED)
        .file("b.sop", UNFORMATTED);
    std::fs::hard_link(p.path().join("b.sop"), p.path().join("b-link.txt")).unwrap();
    for file in ["a.sop", "b.sop"] {
        let run = run_with_fault(p.path(), "fail:write:1", &["fmt", file]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(&format!("`{file}`")), "{}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(p.path().join(file)).unwrap(),
            UNFORMATTED
        );
    }
    assert_eq!(
        tree(p.path()).len(),
        3,
        "no backup or temporary file is left"
    );
    // Killed halfway through: the file is whole, and only a temporary file is left beside it.
    assert_ne!(
        run_with_fault(p.path(), "abort:write:1", &["fmt", "a.sop"]).code,
        0
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("a.sop")).unwrap(),
        UNFORMATTED
    );
    // Killed halfway through a file with links: the old text waits in a backup beside it.
    assert_ne!(
        run_with_fault(p.path(), "abort:write:1", &["fmt", "b.sop"]).code,
        0
    );
    let backup = std::fs::read_to_string(p.path().join(".b.sop.sopc-backup")).unwrap();
    assert_eq!(backup, UNFORMATTED);
    let run = run_with_fault(p.path(), "", &["fmt", "b.sop"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".b.sop.sopc-backup"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(p.path().join(".b.sop.sopc-backup")).unwrap(),
        UNFORMATTED,
        "the backup is kept"
    );
}

#[cfg(unix)]
#[test]
fn fmt_keeps_the_owner_and_extended_attributes_of_a_file() {
    use std::os::unix::fs::MetadataExt;
    let p = Project::new().file("a.sop", UNFORMATTED);
    let a = p.path().join("a.sop");
    let owned = std::os::unix::fs::chown(&a, Some(1234), Some(5678));
    #[cfg(target_os = "linux")]
    let xattr = rustix::fs::setxattr(
        &a,
        "user.sopc-test",
        b"kept",
        rustix::fs::XattrFlags::empty(),
    );
    assert_eq!(p.run(&["fmt", "a.sop"]).code, 0);
    let meta = std::fs::metadata(&a).unwrap();
    if owned.is_ok() {
        assert_eq!((meta.uid(), meta.gid()), (1234, 5678));
    } else {
        eprintln!("skipped the owner: changing a file's owner needs root");
    }
    #[cfg(target_os = "linux")]
    if xattr.is_ok() {
        let mut value = [0u8; 16];
        let len = rustix::fs::getxattr(&a, "user.sopc-test", &mut value[..]).unwrap();
        assert_eq!(&value[..len], b"kept");
    } else {
        eprintln!("skipped extended attributes: this file system has no user attributes");
    }
}

#[cfg(unix)]
#[test]
fn fmt_through_a_symbolic_link_formats_the_file_and_keeps_the_link() {
    let p = Project::new().file("real/a.sop", UNFORMATTED);
    std::os::unix::fs::symlink("real/a.sop", p.path().join("link.sop")).unwrap();
    assert_eq!(p.run(&["fmt", "link.sop"]).code, 0);
    assert!(
        std::fs::symlink_metadata(p.path().join("link.sop"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("real/a.sop")).unwrap(),
        formatted()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_build_into_a_folder_being_written_stops_and_touches_nothing() {
    use rustix::fs::{FlockOperation, flock};
    let p = project();
    assert_eq!(build(&p, "").code, 0);
    let old = tree(&p.path().join("out"));
    edit_sources(&p, "new");
    // As a build running at the same time holds it.
    let held = std::fs::File::open(p.path().join("out")).unwrap();
    flock(&held, FlockOperation::NonBlockingLockExclusive).unwrap();
    let run = build(&p, "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("another `sopc build` is writing into this folder"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&p.path().join("out")), old);
    drop(held);
    assert_eq!(build(&p, "").code, 0);
}
