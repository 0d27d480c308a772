//! What sopc writes, against a hostile file system: full disks, kills, and files with
//! metadata to keep.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::{Project, Run};

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

const LOG: &str =
    "case_id,stage,timestamp\nA,lead,2026-03-02T00:00:00Z\nA,won,2026-03-10T12:00:00Z\n";

#[test]
fn a_failing_audit_html_write_keeps_the_previous_report() {
    let p = Project::new()
        .file("demo.sop", include_str!("audit/demo.sop"))
        .file("log.csv", LOG);
    let args = ["audit", "demo.sop", "log.csv", "--html", "report.html"];
    assert_eq!(run_with_fault(p.path(), "", &args).code, 0);
    let report = std::fs::read(p.path().join("report.html")).unwrap();
    std::fs::write(p.path().join("report.html"), b"the previous report").unwrap();
    // A full disk halfway through, then a kill halfway through.
    let run = run_with_fault(p.path(), "fail:write:1", &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`report.html`"), "{}", run.stderr);
    assert_eq!(
        tree(p.path()).keys().collect::<Vec<_>>(),
        ["demo.sop", "log.csv", "report.html"],
        "no temporary file is left"
    );
    assert_eq!(
        std::fs::read(p.path().join("report.html")).unwrap(),
        b"the previous report"
    );
    assert_ne!(run_with_fault(p.path(), "abort:write:1", &args).code, 0);
    assert_eq!(
        std::fs::read(p.path().join("report.html")).unwrap(),
        b"the previous report"
    );
    assert_eq!(run_with_fault(p.path(), "", &args).code, 0);
    assert_eq!(std::fs::read(p.path().join("report.html")).unwrap(), report);
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
    let run = p.run(&["fmt", "a.sop", "b.sop"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
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
