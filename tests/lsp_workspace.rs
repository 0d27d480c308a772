//! What the language server needs of the driver's workspace: forgetting the files it looked at
//! once.

use sopc::driver::Workspace;

use crate::support::Project;

#[test]
fn a_forgotten_file_is_parsed_again_and_an_overlay_is_never_forgotten() {
    let p = Project::new()
        .file("lib.sop", "role rep {\n  responsibilities \"x\"\n}\n")
        .file(
            "doc.sop",
            "import \"lib.sop\"\n\nsop d {\n  owner rep\n  review monthly\n}\n",
        );
    let doc = p.path().join("doc.sop");
    let lib = p.path().join("lib.sop");
    let mut ws = Workspace::new();
    let first = ws.check_document(&doc).unwrap();
    assert_eq!(ws.stats().parses, 2);
    // Served from the cache: nothing parsed, the same result.
    let again = ws.check_document(&doc).unwrap();
    assert_eq!((ws.stats().parses, again.generation), (2, first.generation));
    ws.forget(&doc);
    let after = ws.check_document(&doc).unwrap();
    assert_eq!(ws.stats().parses, 3, "the document again, not its import");
    assert!(after.generation > first.generation);
    ws.forget(&lib);
    ws.forget(&doc);
    ws.check_document(&doc).unwrap();
    assert_eq!(ws.stats().parses, 5);
    // Held in memory: kept.
    ws.set_overlay(&doc, "sop d {\n  owner nobody\n  review monthly\n}\n");
    let held = ws.check_document(&doc).unwrap();
    ws.forget(&doc);
    let kept = ws.check_document(&doc).unwrap();
    assert_eq!(held.generation, kept.generation);
    assert!(
        kept.findings
            .iter()
            .any(|f| f.diag.message.contains("nobody"))
    );
}
