//! What the fuzz targets assert, in one place so that the three targets say it the same way.
//! `tests/fuzz_regressions.rs` includes this file (`#[path]`), so that `cargo test` runs the
//! same assertions on fixed inputs: it must not use `libfuzzer-sys`, only `sopc` and `std`.
//!
//! Every target turns the fuzzer's bytes into text, runs one stage of sopc on it and panics —
//! which libFuzzer records as a crash — when sopc panics itself, or when a place it reports does
//! not lie inside the text on character boundaries (a span that would make the report printer
//! slice through a character or past the end of the file).

use std::path::{Path, PathBuf};

use sopc::diag::FileId;
use sopc::driver::{CheckOptions, check_source};
use sopc::model::SourceDb;
use sopc::syntax::{
    self, Block, Cadence, Entry, Item, SourceFile, Span, Str, SyntaxError, TrainingWhen, Value,
};

/// Panics unless `span` lies inside `text`, starts and ends on character boundaries, and is
/// not reversed. `what` says where the span came from.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

/// The `parse` target: parse `text`; every span of the error, or of the tree, is sound; the
/// error's words and its line and column can be produced.
pub fn parse(text: &str) {
    match syntax::parse(text) {
        Ok(file) => assert_tree(text, &file),
        Err(e) => assert_syntax_error(text, &e),
    }
}

/// The error's span, message, label and help, and its line and column.
pub fn assert_syntax_error(text: &str, e: &SyntaxError) {
    assert_span(text, e.span, "syntax error");
    assert!(!e.message().is_empty(), "empty message for {e:?}");
    let _ = e.label();
    let _ = e.help();
    let lines = syntax::LineIndex::new(text);
    let _ = lines.line_col(text, e.span.start);
    let _ = lines.line_col(text, e.span.end);
}

/// Every span in a parsed file.
pub fn assert_tree(text: &str, file: &SourceFile) {
    for c in &file.comments {
        assert_span(text, c.span, "comment");
    }
    for item in &file.items {
        match item {
            Item::Import(i) => {
                assert_span(text, i.span, "import");
                assert_str(text, &i.path);
            }
            Item::Block(b) => assert_block(text, b),
        }
    }
}

fn assert_block(text: &str, b: &Block) {
    assert_span(text, b.span, "block");
    assert_span(text, b.keyword_span, "block keyword");
    assert_span(text, b.id.span, "block id");
    assert_span(text, b.header_span(), "block header");
    if let Some(t) = &b.title {
        assert_str(text, t);
    }
    for e in &b.entries {
        assert_span(text, e.span(), "entry");
        assert!(
            b.span.contains(e.span()),
            "entry {:?} outside its block {:?}",
            e.span(),
            b.span
        );
        match e {
            Entry::Block(inner) => assert_block(text, inner),
            Entry::Transition(t) => {
                assert_span(text, t.target.span, "transition target");
                if let Some(w) = &t.when {
                    assert_str(text, w);
                }
            }
            Entry::Attr(a) => {
                assert_span(text, a.key_span, "attribute key");
                assert_value(text, &a.value);
            }
        }
    }
}

fn assert_str(text: &str, s: &Str) {
    assert_span(text, s.span, "string");
}

fn assert_cadence(text: &str, c: &Cadence) {
    assert_span(text, c.span(), "cadence");
    if let Cadence::Every(d, _) = c {
        assert_span(text, d.span, "duration");
    }
}

fn assert_value(text: &str, v: &Value) {
    match v {
        Value::Flag => {}
        Value::Ident(i) => assert_span(text, i.span, "identifier"),
        Value::Idents(is) => is
            .iter()
            .for_each(|i| assert_span(text, i.span, "identifier")),
        Value::Str(s) => assert_str(text, s),
        Value::Strings(ss) => ss.iter().for_each(|s| assert_str(text, s)),
        Value::Duration(d) => assert_span(text, d.span, "duration"),
        Value::Cadence(c) => assert_cadence(text, c),
        Value::TrainingWhen(w) => match w {
            TrainingWhen::NewHire(s) | TrainingWhen::Ongoing(s) => {
                assert_span(text, *s, "training when");
            }
            TrainingWhen::Cadence(c) => assert_cadence(text, c),
        },
        Value::KpiKind(_, s) => assert_span(text, *s, "kpi kind"),
        Value::Measure(_, s) => assert_span(text, *s, "measure"),
        Value::Date(d) => assert_span(text, d.span, "date"),
        Value::GoalTarget(t) => {
            assert_span(text, t.kpi.span, "goal target kpi");
            assert_span(text, t.quantity.number_span, "number");
            if let Some(u) = &t.quantity.unit {
                assert_span(text, u.span, "unit");
            }
            if let Some(d) = &t.by {
                assert_span(text, d.span, "date");
            }
        }
        Value::KpiTarget(t) => {
            assert_span(text, t.quantity.number_span, "number");
            if let Some(u) = &t.quantity.unit {
                assert_span(text, u.span, "unit");
            }
            if let Some((_, s)) = &t.per {
                assert_span(text, *s, "period");
            }
        }
        Value::StagePath(p) => {
            assert_span(text, p.span, "stage path");
            assert_span(text, p.stage.span, "stage path stage");
            if let Some(i) = &p.pipeline {
                assert_span(text, i.span, "stage path pipeline");
            }
        }
    }
}

/// The folder the `check` target's file pretends to live in: the sales example, so that
/// `import "shared/roles.sop"` finds a real library and the checks run across files. (The
/// manifest is the fuzz crate's, or the main crate's when the tests include this file.)
pub fn project() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = manifest.join("examples/sales");
    if here.is_dir() {
        here
    } else {
        manifest.join("../examples/sales")
    }
}

/// The `check` target: `bytes` as a file of the sales example, through the driver, the whole
/// pipeline of `sopc check` short of output: decoding, parsing, imports, lowering, every check,
/// configuration, suppressions (with reasons required); the file's own tree or syntax error is
/// sound, and every finding's place (and its labels' places) is sound in the file it points
/// into, and has a line and a column.
pub fn check(bytes: &[u8]) {
    let options = CheckOptions {
        require_reason: true,
        keep_models: true,
        ..CheckOptions::default()
    };
    let outcome = check_source(&project().join("fuzz-input.sop"), bytes, &options);
    let db = &outcome.db;
    let file = db
        .ids()
        .find(|&id| db.get(id).display.ends_with("fuzz-input.sop"))
        .expect("the input is in the run");
    // The run drops a document's tree once it is checked: parse its text again to look at it.
    let text = &db.get(file).text;
    match &db.get(file).parsed {
        Err(e) => assert_syntax_error(text, e),
        Ok(_) => match syntax::parse(text) {
            Ok(ast) => assert_tree(text, &ast),
            Err(e) => panic!("the run parsed the text, a second parse did not: {e:?}"),
        },
    }
    for f in &outcome.findings {
        let d = &f.diag;
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        assert_loc(db, d.loc.file, d.loc.span, d.rule.name());
        for l in &d.labels {
            assert_loc(db, l.loc.file, l.loc.span, d.rule.name());
        }
    }
    for m in &outcome.models {
        assert!(
            m.files.iter().all(|f| f.0 < db.len()),
            "model file not in the run"
        );
    }
}

fn assert_loc(db: &SourceDb, file: FileId, span: Span, rule: &str) {
    assert!(file.0 < db.len(), "{rule}: file {file:?} not in the run");
    let src = db.get(file);
    assert_span(&src.text, span, rule);
    let _ = src.line_col(span.start);
    let _ = src.line_col(span.end);
}

/// The `format` target: for text that parses, `format` succeeds, its output parses, and
/// formatting the output again changes nothing (the layout is a fixed point). A
/// `WouldChangeMeaning` refusal is a formatter bug and so a crash here.
pub fn format(text: &str) {
    if syntax::parse(text).is_err() {
        return;
    }
    let once = match sopc::format::format(text) {
        Ok(out) => out,
        Err(sopc::format::FormatError::Syntax(e)) => {
            panic!("format: parse accepted the text but format did not: {e:?}")
        }
        Err(sopc::format::FormatError::WouldChangeMeaning(why)) => {
            panic!("format refused: would change meaning: {why}")
        }
    };
    if let Err(e) = syntax::parse(&once) {
        panic!(
            "formatted text does not parse: {} at {:?}\n{once}",
            e.message(),
            e.span
        );
    }
    match sopc::format::format(&once) {
        Ok(twice) => assert_eq!(once, twice, "formatting is not idempotent"),
        Err(e) => panic!("formatting the formatted text failed: {e:?}\n{once}"),
    }
}
