//! Finding one's way: hover, go to definition, references, highlight, rename, symbols and
//! folding ranges.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lsp_types::*;

use super::diagnostics::LineCache;
use super::index::{self, DefKey, Kind, Occurrence, Path3};
use super::keywords;
use super::lex::{self, Tok};
use super::text::Lines;
use super::{Failure, Server, failure, file_id};
use crate::model::{Model, Ref, normalize, overlay_key};
use crate::syntax::{self, Block, BlockKind, Cadence, Entry, Item, Span, TrainingWhen};

/// The cursor of a request as a byte offset in its open document.
fn cursor(server: &Server, p: &TextDocumentPositionParams) -> Result<(PathBuf, usize), Failure> {
    let (key, doc) = server.doc(&p.text_document.uri)?;
    Ok((key, doc.lines.offset(&doc.text, p.position, server.enc)))
}

/// The name under the cursor, with the current result's occurrences.
fn name_at(
    server: &mut Server,
    p: &TextDocumentPositionParams,
) -> Result<Option<(Occurrence, std::sync::Arc<crate::driver::DocumentResult>)>, Failure> {
    let (key, offset) = cursor(server, p)?;
    let (result, occs) = server.analysis(&key)?;
    let Some(fid) = file_id(&result.db, &key) else {
        return Ok(None);
    };
    Ok(index::at(&occs, fid, offset).cloned().map(|o| (o, result)))
}

/// The text of the file at `key`: the editor's when it is open, else the one on disk.
pub(crate) fn text_of(server: &Server, key: &Path) -> Option<String> {
    match server.docs.get(key) {
        Some(d) => Some(d.text.clone()),
        None => std::fs::read_to_string(key).ok(),
    }
}

/// The names written in the file at `key` and in the files it imports, each with its file,
/// read from their current text by [`lex::names`] (the texts need not parse); `key`'s first.
pub(crate) fn names_with_imports(server: &Server, key: &Path) -> Vec<(PathBuf, lex::Name)> {
    let mut seen = HashSet::new();
    let mut todo = vec![key.to_path_buf()];
    let mut out = Vec::new();
    while let Some(file) = todo.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let Some(text) = text_of(server, &file) else {
            continue;
        };
        let toks = lex::tokens(&text);
        let dir = file.parent().unwrap_or(Path::new("/"));
        let mut imported: Vec<PathBuf> = lex::imports(&text, &toks)
            .into_iter()
            .filter(|i| !i.is_empty() && !Path::new(i).has_root())
            .map(|i| overlay_key(&normalize(&dir.join(i))))
            .collect();
        imported.reverse();
        todo.extend(imported);
        out.extend(
            lex::names(&text, &toks)
                .into_iter()
                .map(|n| (file.clone(), n)),
        );
    }
    out
}

/// The first syntax error of the document at `key` or of a file it reads: the file and the line
/// (from 1).
fn syntax_error(server: &Server, key: &Path) -> Option<(PathBuf, usize)> {
    let mut files = vec![key.to_path_buf()];
    for (f, _) in names_with_imports(server, key) {
        if !files.contains(&f) {
            files.push(f);
        }
    }
    files.into_iter().find_map(|f| {
        let text = text_of(server, &f)?;
        let e = syntax::parse(&text).err()?;
        let line = Lines::new(&text).line_of(e.span.start) + 1;
        Some((f, line))
    })
}

/// Why a rename is refused while `key` (or a file it reads) does not parse.
fn rename_refused(server: &Server, key: &Path, name: &str) -> Failure {
    match syntax_error(server, key) {
        Some((file, line)) => failure(format!(
            "`{}` does not parse: fix the syntax error at line {line} first, then rename `{name}` (a rename changes every file that names it, and only a text that parses says which they are)",
            file.display()
        )),
        None => failure(format!(
            "the document does not parse: fix its syntax error first, then rename `{name}`"
        )),
    }
}

/// The name under the cursor read from the text when the document (or a file it reads) does
/// not parse: `None` when it parses, else the name if there is one.
fn tolerant_at(
    server: &mut Server,
    p: &TextDocumentPositionParams,
) -> Result<Option<Option<lex::Name>>, Failure> {
    let (key, offset) = cursor(server, p)?;
    let (result, _) = server.analysis(&key)?;
    if result.model.is_some() {
        return Ok(None);
    }
    let doc = &server.docs[&key];
    let toks = lex::tokens(&doc.text);
    Ok(Some(
        lex::names(&doc.text, &toks)
            .into_iter()
            .filter(|n| n.span.start <= offset && offset <= n.span.end)
            .min_by_key(|n| n.span.len()),
    ))
}

/// The definitions `name` can name, read from the current texts: in its document and the
/// files it imports first, else in the workspace.
fn tolerant_defs(server: &Server, key: &Path, name: &lex::Name) -> Vec<(PathBuf, lex::Name)> {
    let near: Vec<(PathBuf, lex::Name)> = names_with_imports(server, key)
        .into_iter()
        .filter(|(_, n)| n.is_def && n.same(name))
        .collect();
    if !near.is_empty() {
        return near;
    }
    tolerant_places(server, key, name)
        .into_iter()
        .filter(|(_, n)| n.is_def)
        .collect()
}

/// Every place `name` is written over the workspace folder of `key` and the files `key`
/// imports, read from the current texts.
fn tolerant_places(server: &Server, key: &Path, name: &lex::Name) -> Vec<(PathBuf, lex::Name)> {
    let mut files = server.workspace_files(key);
    for (f, _) in names_with_imports(server, key) {
        if !files.contains(&f) {
            files.push(f);
        }
    }
    let mut out = Vec::new();
    for f in files {
        let Some(text) = text_of(server, &f) else {
            continue;
        };
        if !text.contains(name.name.as_str()) {
            continue;
        }
        let toks = lex::tokens(&text);
        out.extend(
            lex::names(&text, &toks)
                .into_iter()
                .filter(|n| n.same(name))
                .map(|n| (f.clone(), n)),
        );
    }
    out
}

/// The LSP location of a name found in the text of `file`.
fn location(server: &Server, file: &Path, span: Span) -> Option<Location> {
    let range = match server.docs.get(file) {
        Some(d) => d.lines.range(&d.text, span, server.enc),
        None => {
            let text = std::fs::read_to_string(file).ok()?;
            Lines::new(&text).range(&text, span, server.enc)
        }
    };
    Some(Location::new(server.uri_of(file), range))
}

/// Hover on a name of a text that does not parse: what its definition's header says.
fn tolerant_hover(server: &mut Server, key: &Path, name: &lex::Name) -> Hover {
    let defs = tolerant_defs(server, key, name);
    let mut md = String::new();
    match defs.first() {
        Some((_, d)) => {
            let _ = write!(md, "**{}** `{}`", d.kind.keyword(), d.name);
            if let Some(t) = &d.title {
                let _ = write!(md, " — {t}");
            }
            if let Some(p) = &d.pipeline {
                let _ = write!(md, "\n\n- in pipeline `{p}`");
            }
        }
        None => {
            let _ = write!(
                md,
                "`{}`: no {} of this name is defined",
                name.name,
                name.kind.keyword()
            );
        }
    }
    if let Some((file, line)) = syntax_error(server, key) {
        let _ = write!(
            md,
            "\n\n_`{}` does not parse (line {line}): fix it to see more_",
            file.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    let doc = &server.docs[key];
    markdown(md, Some(doc.lines.range(&doc.text, name.span, server.enc)))
}

pub(crate) fn hover(server: &mut Server, p: HoverParams) -> Result<Option<Hover>, Failure> {
    let pos = p.text_document_position_params;
    if let Some(Some(name)) = tolerant_at(server, &pos)? {
        let (key, _) = cursor(server, &pos)?;
        return Ok(Some(tolerant_hover(server, &key, &name)));
    }
    if let Some((occ, result)) = name_at(server, &pos)? {
        let mut md = String::new();
        match (&result.model, occ.path) {
            (Some(m), Some(path)) => describe(&mut md, m, path),
            _ => {
                let _ = write!(
                    md,
                    "`{}`: no {} of this name is defined",
                    occ.name,
                    occ.kind.keyword()
                );
            }
        }
        let (_, doc) = server.doc(&pos.text_document.uri)?;
        let range = doc.lines.range(&doc.text, occ.span, server.enc);
        return Ok(Some(markdown(md, Some(range))));
    }
    // A keyword: what the language reference says of it.
    let (key, offset) = cursor(server, &pos)?;
    let doc = &server.docs[&key];
    let toks = lex::tokens(&doc.text);
    let Some(t) = toks
        .iter()
        .find(|t| t.kind == Tok::Word && t.span.start <= offset && offset <= t.span.end)
    else {
        return Ok(None);
    };
    let word = &doc.text[t.span.start..t.span.end];
    let range = Some(doc.lines.range(&doc.text, t.span, server.enc));
    if t.first {
        if let Some(kind) = keywords::block_kind(word)
            && let Some(b) = keywords::block(kind)
        {
            return Ok(Some(markdown(
                format!("**`{word}`** — {}", b.summary),
                range,
            )));
        }
        let enclosing = lex::open_blocks(&doc.text, &toks, t.span.start)
            .last()
            .map(|b| b.0);
        if let Some(a) = keywords::attr(enclosing, word) {
            return Ok(Some(markdown(
                format!("**`{}`** ({}): {}", a.name, a.value, a.meaning),
                range,
            )));
        }
    }
    Ok(None)
}

fn markdown(value: String, range: Option<Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

fn name_list(refs: &[Ref]) -> String {
    refs.iter()
        .map(|r| format!("`{}`", r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cadence(c: &Cadence) -> String {
    match c {
        Cadence::Named(n, _) => n.keyword().to_string(),
        Cadence::Every(d, _) => format!("every {}", d.text),
    }
}

/// What a definition is, in Markdown: kind, id, title and the facts that matter.
fn describe(md: &mut String, m: &Model, p: Path3) {
    let def = match p.kind {
        Kind::Sop => m.header.as_ref().map(|h| &h.def),
        Kind::Goal => m.goals.get(p.a).map(|x| &x.def),
        Kind::Strategy => m.strategies.get(p.a).map(|x| &x.def),
        Kind::Role => m.roles.get(p.a).map(|x| &x.def),
        Kind::Pipeline => m.pipelines.get(p.a).map(|x| &x.def),
        Kind::Stage => m
            .pipelines
            .get(p.a)
            .and_then(|x| x.stages.get(p.b))
            .map(|x| &x.def),
        Kind::Task => m
            .pipelines
            .get(p.a)
            .and_then(|x| x.stages.get(p.b))
            .and_then(|x| x.tasks.get(p.c))
            .map(|x| &x.def),
        Kind::Training => m.trainings.get(p.a).map(|x| &x.def),
        Kind::Kpi => m.kpis.get(p.a).map(|x| &x.def),
        Kind::Feedback => m.feedbacks.get(p.a).map(|x| &x.def),
    };
    let Some(def) = def else { return };
    let _ = write!(md, "**{}** `{}`", p.kind.keyword(), def.id);
    if let Some(t) = &def.title {
        let _ = write!(md, " — {t}");
    }
    let mut facts: Vec<String> = Vec::new();
    let owner = |o: &Option<Ref>| o.as_ref().map(|r| format!("owner: `{}`", r.name));
    match p.kind {
        Kind::Role => {
            let r = &m.roles[p.a];
            if !r.responsibilities.is_empty() {
                let list: Vec<&str> = r
                    .responsibilities
                    .iter()
                    .map(|t| t.value.as_str())
                    .collect();
                facts.push(format!("responsibilities: {}", list.join("; ")));
            }
            if let Some(to) = &r.reports_to {
                facts.push(format!("reports to: `{}`", to.name));
            }
        }
        Kind::Stage => {
            let pl = &m.pipelines[p.a];
            let s = &pl.stages[p.b];
            facts.push(format!("in pipeline `{}`", pl.def.id));
            facts.extend(owner(&s.owner));
            if let Some(sla) = &s.sla {
                facts.push(format!("sla: {}", sla.value.text));
            }
            if !s.requires.is_empty() {
                facts.push(format!("requires: {}", name_list(&s.requires)));
            }
            for e in &s.exit {
                facts.push(format!("exit: {}", e.value));
            }
            if s.terminal {
                facts.push("terminal".into());
            }
            for t in &s.transitions {
                let mut line = format!("-> `{}`", t.target.name);
                if let Some(w) = &t.when {
                    let _ = write!(line, " when \"{}\"", w.value);
                }
                facts.push(line);
            }
        }
        Kind::Task => {
            let t = &m.pipelines[p.a].stages[p.b].tasks[p.c];
            facts.push(format!(
                "in stage `{}`",
                m.pipelines[p.a].stages[p.b].def.id
            ));
            facts.extend(owner(&t.owner));
            if let Some(d) = &t.due {
                facts.push(format!("due: {}", d.value.text));
            }
            if let Some(d) = &t.done_when {
                facts.push(format!("done when: {}", d.value));
            }
        }
        Kind::Training => {
            let t = &m.trainings[p.a];
            if !t.for_roles.is_empty() {
                facts.push(format!("for: {}", name_list(&t.for_roles)));
            }
            if let Some(w) = &t.when {
                facts.push(format!(
                    "when: {}",
                    match &w.value {
                        TrainingWhen::NewHire(_) => "new_hire".to_string(),
                        TrainingWhen::Ongoing(_) => "ongoing".to_string(),
                        TrainingWhen::Cadence(c) => cadence(c),
                    }
                ));
            }
            if let Some(d) = &t.duration {
                facts.push(format!("duration: {}", d.value.text));
            }
            if !t.requires.is_empty() {
                facts.push(format!("prerequisites: {}", name_list(&t.requires)));
            }
        }
        Kind::Kpi => {
            let k = &m.kpis[p.a];
            if let Some(t) = &k.target {
                let mut line = format!("target: {} {}", t.comparator.symbol(), t.quantity.text);
                if let Some(u) = &t.quantity.unit {
                    let _ = write!(line, " {}", u.name);
                }
                if let Some(per) = t.per {
                    let _ = write!(line, " per {}", per.keyword());
                }
                facts.push(line);
            }
            facts.extend(owner(&k.owner));
            if let Some(u) = &k.unit {
                facts.push(format!("unit: {}", u.value));
            }
        }
        Kind::Goal => {
            let g = &m.goals[p.a];
            for t in &g.targets {
                let mut line = format!(
                    "target: `{}` {} {}",
                    t.kpi.name,
                    t.comparator.symbol(),
                    t.quantity.text
                );
                if let Some(u) = &t.quantity.unit {
                    let _ = write!(line, " {}", u.name);
                }
                if let Some(by) = &t.by {
                    let _ = write!(line, " by {}", by.text);
                }
                facts.push(line);
            }
            facts.extend(owner(&g.owner));
        }
        Kind::Strategy => {
            let s = &m.strategies[p.a];
            if !s.supports.is_empty() {
                facts.push(format!("supports: {}", name_list(&s.supports)));
            }
            facts.extend(owner(&s.owner));
        }
        Kind::Feedback => {
            let f = &m.feedbacks[p.a];
            if let Some(c) = &f.cadence {
                facts.push(format!("cadence: {}", cadence(&c.value)));
            }
            facts.extend(owner(&f.owner));
            if !f.with.is_empty() {
                facts.push(format!("with: {}", name_list(&f.with)));
            }
            if !f.covers.is_empty() {
                facts.push(format!("covers: {}", name_list(&f.covers)));
            }
        }
        Kind::Pipeline => {
            let pl = &m.pipelines[p.a];
            let stages: Vec<String> = pl
                .stages
                .iter()
                .map(|s| format!("`{}`", s.def.id))
                .collect();
            if let Some(s) = pl.start_stage() {
                facts.push(format!("start: `{}`", pl.stages[s].def.id));
            }
            facts.push(format!("stages: {}", stages.join(" → ")));
        }
        Kind::Sop => {
            let h = m.header.as_ref().expect("a header");
            if let Some(v) = &h.version {
                facts.push(format!("version: {}", v.value));
            }
            facts.extend(owner(&h.owner));
            if let Some(r) = &h.review {
                facts.push(format!("review: {}", cadence(&r.value)));
            }
        }
    }
    if !facts.is_empty() {
        md.push('\n');
        for f in facts {
            let _ = write!(md, "\n- {f}");
        }
    }
}

pub(crate) fn definition(
    server: &mut Server,
    p: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Failure> {
    let pos = p.text_document_position_params;
    if let Some(found) = import_at(server, &pos)? {
        return Ok(found.map(GotoDefinitionResponse::Scalar));
    }
    if let Some(found) = tolerant_at(server, &pos)? {
        let Some(name) = found else { return Ok(None) };
        let (key, _) = cursor(server, &pos)?;
        let mut locs: Vec<Location> = tolerant_defs(server, &key, &name)
            .into_iter()
            .filter_map(|(f, d)| location(server, &f, d.span))
            .collect();
        return Ok(match locs.len() {
            0 => None,
            1 => locs.pop().map(GotoDefinitionResponse::Scalar),
            _ => Some(GotoDefinitionResponse::Array(locs)),
        });
    }
    let Some((occ, result)) = name_at(server, &pos)? else {
        return Ok(None);
    };
    let Some(def) = occ.def else {
        return Ok(None);
    };
    let Some(fid) = file_id(&result.db, &def.file) else {
        return Ok(None);
    };
    let mut cache = LineCache::new(&result.db);
    let range = cache.range(fid, def.id, server.enc);
    Ok(Some(GotoDefinitionResponse::Scalar(Location::new(
        server.uri_of(&def.file),
        range,
    ))))
}

/// The file an `import` under the cursor names: `None` when the cursor is on no import,
/// `Some(None)` when the file it names exists neither on disk nor as an open buffer (an editor
/// would open an empty buffer for it).
fn import_at(
    server: &Server,
    pos: &TextDocumentPositionParams,
) -> Result<Option<Option<Location>>, Failure> {
    let (key, offset) = cursor(server, pos)?;
    let doc = &server.docs[&key];
    let Ok(ast) = syntax::parse(&doc.text) else {
        return Ok(None);
    };
    for item in &ast.items {
        if let Item::Import(i) = item
            && i.span.start <= offset
            && offset <= i.span.end
        {
            let dir = key.parent().unwrap_or(Path::new("/"));
            let target = normalize(&dir.join(&i.path.value));
            let target = crate::model::overlay_key(&target);
            if !server.docs.contains_key(&target) && !target.is_file() {
                return Ok(Some(None));
            }
            return Ok(Some(Some(Location::new(
                server.uri_of(&target),
                Range::default(),
            ))));
        }
    }
    Ok(None)
}

/// Places in files: each file, the range and whether it is the definition.
type Places = Vec<(PathBuf, Range, bool)>;

/// Every place the definition `def` is written or named, over the `.sop` files of the
/// workspace folder of `key`: each as (file, span, is the definition). A file that does not
/// parse counts the places its text names a `def.kind` called `def.name` (read by
/// [`lex::names`]); those files come second, with the line of their syntax error.
fn places(server: &mut Server, key: &Path, def: &DefKey) -> (Places, Vec<(PathBuf, usize)>) {
    let mut seen: HashSet<(PathBuf, Span)> = HashSet::new();
    let mut out = Vec::new();
    let mut broken = Vec::new();
    let name = def.name.clone();
    for file in server.workspace_files(key) {
        let open = server.docs.contains_key(&file);
        // A file that does not spell the name cannot name the definition.
        if !open
            && let Ok(bytes) = std::fs::read(&file)
            && !contains(&bytes, name.as_bytes())
        {
            continue;
        }
        let Ok((result, occs)) = server.analysis(&file) else {
            continue;
        };
        if !open {
            // Keep no result of a file no editor shows: memory stays that of the open ones.
            server.forget(&file);
        }
        if result.model.is_none()
            && let Some(text) = text_of(server, &file)
            && let Err(e) = syntax::parse(&text)
        {
            let lines = Lines::new(&text);
            let toks = lex::tokens(&text);
            let mut named = false;
            for n in lex::names(&text, &toks) {
                if n.kind == def.kind && n.name == name && seen.insert((file.clone(), n.span)) {
                    out.push((
                        file.clone(),
                        lines.range(&text, n.span, server.enc),
                        n.is_def,
                    ));
                    named = true;
                }
            }
            if named {
                broken.push((file.clone(), lines.line_of(e.span.start) + 1));
            }
            continue;
        }
        let mut cache = LineCache::new(&result.db);
        for o in occs.iter().filter(|o| o.def.as_ref() == Some(def)) {
            let path = result.db.get(o.file).canonical.clone();
            if seen.insert((path.clone(), o.span)) {
                out.push((path, cache.range(o.file, o.span, server.enc), o.is_def));
            }
        }
    }
    out.sort_by_key(|(p, r, _)| (p.clone(), r.start.line, r.start.character));
    (out, broken)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

pub(crate) fn references(
    server: &mut Server,
    p: ReferenceParams,
) -> Result<Option<Vec<Location>>, Failure> {
    let pos = p.text_document_position;
    if let Some(found) = tolerant_at(server, &pos)? {
        let Some(name) = found else { return Ok(None) };
        let (key, _) = cursor(server, &pos)?;
        let places = tolerant_places(server, &key, &name);
        return Ok(Some(
            places
                .into_iter()
                .filter(|(_, n)| p.context.include_declaration || !n.is_def)
                .filter_map(|(f, n)| location(server, &f, n.span))
                .collect(),
        ));
    }
    let Some((occ, _)) = name_at(server, &pos)? else {
        return Ok(None);
    };
    let Some(def) = occ.def else {
        return Ok(None);
    };
    let (key, _) = cursor(server, &pos)?;
    let (found, _) = places(server, &key, &def);
    Ok(Some(
        found
            .into_iter()
            .filter(|(_, _, is_def)| p.context.include_declaration || !is_def)
            .map(|(path, range, _)| Location::new(server.uri_of(&path), range))
            .collect(),
    ))
}

pub(crate) fn highlight(
    server: &mut Server,
    p: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>, Failure> {
    let pos = p.text_document_position_params;
    if let Some(found) = tolerant_at(server, &pos)? {
        let Some(name) = found else { return Ok(None) };
        let (_, doc) = server.doc(&pos.text_document.uri)?;
        let toks = lex::tokens(&doc.text);
        return Ok(Some(
            lex::names(&doc.text, &toks)
                .into_iter()
                .filter(|n| n.same(&name))
                .map(|n| DocumentHighlight {
                    range: doc.lines.range(&doc.text, n.span, server.enc),
                    kind: Some(if n.is_def {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
                .collect(),
        ));
    }
    let Some((occ, result)) = name_at(server, &pos)? else {
        return Ok(None);
    };
    let (key, _) = cursor(server, &pos)?;
    let (_, occs) = server.analysis(&key)?;
    let Some(fid) = file_id(&result.db, &key) else {
        return Ok(None);
    };
    let mut cache = LineCache::new(&result.db);
    let same = |o: &&Occurrence| match (&occ.def, &o.def) {
        (Some(a), Some(b)) => a == b,
        (None, None) => o.name == occ.name && o.kind == occ.kind,
        _ => false,
    };
    Ok(Some(
        occs.iter()
            .filter(|o| o.file == fid)
            .filter(same)
            .map(|o| DocumentHighlight {
                range: cache.range(o.file, o.span, server.enc),
                kind: Some(if o.is_def {
                    DocumentHighlightKind::WRITE
                } else {
                    DocumentHighlightKind::READ
                }),
            })
            .collect(),
    ))
}

fn renamable(kind: Kind) -> bool {
    kind != Kind::Sop
}

pub(crate) fn prepare_rename(
    server: &mut Server,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    if let Some(Some(name)) = tolerant_at(server, &p)? {
        let (key, _) = cursor(server, &p)?;
        return Err(rename_refused(server, &key, &name.name));
    }
    match name_at(server, &p)? {
        Some((occ, _)) if renamable(occ.kind) && occ.def.is_some() => {
            let (_, doc) = server.doc(&p.text_document.uri)?;
            Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: doc.lines.range(&doc.text, occ.span, server.enc),
                placeholder: occ.name,
            }))
        }
        Some((occ, _)) if occ.def.is_none() => Err(failure(format!(
            "`{}` names no {}: define it before renaming it",
            occ.name,
            occ.kind.keyword()
        ))),
        Some(_) => Err(failure(
            "the `sop` header's id cannot be renamed here: edit it by hand",
        )),
        None => Err(failure(
            "only the id of a definition or a reference to one can be renamed, not a keyword or a string",
        )),
    }
}

/// Whether `name` is an identifier of the language.
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}

pub(crate) fn rename(
    server: &mut Server,
    p: RenameParams,
) -> Result<Option<WorkspaceEdit>, Failure> {
    let pos = p.text_document_position;
    let new = p.new_name;
    if let Some(Some(name)) = tolerant_at(server, &pos)? {
        let (key, _) = cursor(server, &pos)?;
        return Err(rename_refused(server, &key, &name.name));
    }
    let Some((occ, result)) = name_at(server, &pos)? else {
        return Err(failure(
            "only the id of a definition or a reference to one can be renamed, not a keyword or a string",
        ));
    };
    let (Some(def), Some(path)) = (occ.def.clone(), occ.path) else {
        return Err(failure(format!(
            "`{}` names no {}: define it before renaming it",
            occ.name,
            occ.kind.keyword()
        )));
    };
    if !renamable(def.kind) {
        return Err(failure(
            "the `sop` header's id cannot be renamed here: edit it by hand",
        ));
    }
    if !is_ident(&new) {
        return Err(failure(format!(
            "`{new}` is not an identifier: start with a letter (any script) or `_`, then letters, digits or `_`"
        )));
    }
    if new == occ.name {
        return Ok(Some(WorkspaceEdit::default()));
    }
    let (key, _) = cursor(server, &pos)?;
    if let Some(m) = &result.model
        && let Some(taken) = collides(m, path, &new)
    {
        let at = def_place(server, &result.db, &taken.loc);
        return Err(failure(match path.kind {
            Kind::Stage | Kind::Task => format!(
                "a {} named `{new}` already exists in pipeline `{}` ({at}): choose another name",
                def.kind.keyword(),
                m.pipelines[path.a].def.id
            ),
            _ => format!(
                "a {} named `{new}` already exists ({at}): choose another name",
                def.kind.keyword()
            ),
        }));
    }
    if !matches!(def.kind, Kind::Stage | Kind::Task)
        && let Some((importer, clash)) = collides_in_importers(server, &key, &def, &new)
    {
        let kind = def.kind.keyword();
        let (at, line) = clash;
        let defined_in = shown_path(server, &def.file);
        return Err(failure(if at == importer {
            format!(
                "a {kind} named `{new}` already exists (`{at}` line {line}), and `{at}` imports `{defined_in}`, where `{}` is defined: choose another name",
                occ.name
            )
        } else {
            format!(
                "a {kind} named `{new}` already exists (`{at}` line {line}), and `{importer}` reads both it and `{defined_in}`, where `{}` is defined: choose another name",
                occ.name
            )
        }));
    }
    #[allow(
        clippy::mutable_key_type,
        reason = "the type of `WorkspaceEdit::changes`"
    )]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let (found, broken) = places(server, &key, &def);
    if let Some((file, line)) = broken.first() {
        return Err(failure(format!(
            "`{}` does not parse: fix the syntax error at line {line} first, then rename `{}` (it names `{}`, and only a text that parses says which definition)",
            file.display(),
            occ.name,
            occ.name
        )));
    }
    for (file, range, _) in found {
        changes
            .entry(server.uri_of(&file))
            .or_default()
            .push(TextEdit::new(range, new.clone()));
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// The definition that already takes `name` in the namespace of the definition at `p`.
fn collides<'m>(m: &'m Model, p: Path3, name: &str) -> Option<&'m crate::model::Def> {
    match p.kind {
        Kind::Stage => m.pipelines[p.a]
            .stages
            .iter()
            .map(|s| &s.def)
            .find(|d| d.id == name),
        Kind::Task => m.pipelines[p.a]
            .stages
            .iter()
            .flat_map(|s| &s.tasks)
            .map(|t| &t.def)
            .find(|d| d.id == name),
        kind => defined(m, kind, name),
    }
}

/// The definition of the kind `kind` (one of the namespaces of a whole document) called `name`
/// in `m`.
fn defined<'m>(m: &'m Model, kind: Kind, name: &str) -> Option<&'m crate::model::Def> {
    match kind {
        Kind::Role => m.role_index.get(name).map(|&i| &m.roles[i].def),
        Kind::Goal => m.goal_index.get(name).map(|&i| &m.goals[i].def),
        Kind::Kpi => m.kpi_index.get(name).map(|&i| &m.kpis[i].def),
        Kind::Training => m.training_index.get(name).map(|&i| &m.trainings[i].def),
        Kind::Strategy => m.strategies.iter().map(|x| &x.def).find(|d| d.id == name),
        Kind::Feedback => m.feedbacks.iter().map(|x| &x.def).find(|d| d.id == name),
        Kind::Pipeline => m.pipelines.iter().map(|x| &x.def).find(|d| d.id == name),
        Kind::Stage | Kind::Task | Kind::Sop => None,
    }
}

/// "`shared/roles.sop` line 3": where a definition is, its file shown from the workspace folder.
fn def_place(server: &Server, db: &crate::model::SourceDb, loc: &crate::diag::Loc) -> String {
    let (file, line) = file_and_line(server, db, loc);
    format!("`{file}` line {line}")
}

/// The file of a place, shown from the workspace folder, and its line (from 1).
fn file_and_line(
    server: &Server,
    db: &crate::model::SourceDb,
    loc: &crate::diag::Loc,
) -> (String, usize) {
    let src = db.get(loc.file);
    let line = src.lines.line_of(loc.span.start) + 1;
    (shown_path(server, &src.canonical), line)
}

/// A path as a user reads it: from the workspace folder that holds it, else whole.
fn shown_path(server: &Server, path: &Path) -> String {
    server
        .roots
        .iter()
        .filter_map(|r| path.strip_prefix(r).ok())
        .min_by_key(|p| p.components().count())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A definition called `name` of the kind of `def` in a document that also sees `def`: the
/// file that defines `def` and every file of the workspace that imports it, directly or
/// through other files. The document (shown) and where the clashing definition is (its file
/// shown, and its line).
fn collides_in_importers(
    server: &mut Server,
    key: &Path,
    def: &DefKey,
    name: &str,
) -> Option<(String, (String, usize))> {
    for doc in importers(server, key, &def.file) {
        if doc == key {
            // Its own model was asked already.
            continue;
        }
        let open = server.docs.contains_key(&doc);
        let found = server.analysis(&doc).ok().and_then(|(result, _)| {
            let m = result.model.as_ref()?;
            let taken = defined(m, def.kind, name)?;
            Some((
                shown_path(server, &doc),
                file_and_line(server, &result.db, &taken.loc),
            ))
        });
        if !open {
            server.forget(&doc);
        }
        if found.is_some() {
            return found;
        }
    }
    None
}

/// `file` and the `.sop` files of the workspace folder of `key` that import it, directly or
/// through other files, read from their current texts (which need not parse).
fn importers(server: &Server, key: &Path, file: &Path) -> Vec<PathBuf> {
    let files = server.workspace_files(key);
    let mut imported_by: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for f in &files {
        let Some(text) = text_of(server, f) else {
            continue;
        };
        if !text.contains("import") {
            continue;
        }
        let toks = lex::tokens(&text);
        let dir = f.parent().unwrap_or(Path::new("/"));
        for i in lex::imports(&text, &toks) {
            if i.is_empty() || Path::new(&i).has_root() {
                continue;
            }
            let target = overlay_key(&normalize(&dir.join(i)));
            imported_by.entry(target).or_default().push(f.clone());
        }
    }
    let mut out = vec![file.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        for by in imported_by.get(&out[i]).into_iter().flatten() {
            if !out.contains(by) {
                out.push(by.clone());
            }
        }
        i += 1;
    }
    out
}

fn symbol_kind(kind: BlockKind) -> SymbolKind {
    match kind {
        BlockKind::Sop => SymbolKind::FILE,
        BlockKind::Goal => SymbolKind::CONSTANT,
        BlockKind::Strategy => SymbolKind::INTERFACE,
        BlockKind::Role => SymbolKind::CLASS,
        BlockKind::Pipeline => SymbolKind::NAMESPACE,
        BlockKind::Stage => SymbolKind::FUNCTION,
        BlockKind::Task => SymbolKind::METHOD,
        BlockKind::Training => SymbolKind::STRUCT,
        BlockKind::Kpi => SymbolKind::NUMBER,
        BlockKind::Feedback => SymbolKind::EVENT,
    }
}

fn block_name(b: &Block) -> String {
    b.title
        .as_ref()
        .map_or_else(|| b.id.name.clone(), |t| t.value.clone())
}

pub(crate) fn document_symbols(
    server: &mut Server,
    p: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, Failure> {
    let (_, doc) = server.doc(&p.text_document.uri)?;
    let Ok(ast) = syntax::parse(&doc.text) else {
        return Ok(None);
    };
    let enc = server.enc;
    fn symbol(b: &Block, text: &str, lines: &Lines, enc: super::text::Encoding) -> DocumentSymbol {
        let children: Vec<DocumentSymbol> =
            b.blocks().map(|c| symbol(c, text, lines, enc)).collect();
        #[allow(deprecated, reason = "a required field of the type")]
        DocumentSymbol {
            name: block_name(b),
            detail: Some(format!("{} {}", b.kind.keyword(), b.id.name)),
            kind: symbol_kind(b.kind),
            tags: None,
            deprecated: None,
            range: lines.range(text, b.span, enc),
            selection_range: lines.range(text, b.header_span(), enc),
            children: (!children.is_empty()).then_some(children),
        }
    }
    let symbols = ast
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Block(b) => Some(symbol(b, &doc.text, &doc.lines, enc)),
            Item::Import(_) => None,
        })
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

pub(crate) fn workspace_symbols(
    server: &mut Server,
    p: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>, Failure> {
    let query = p.query.to_lowercase();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut anchors: Vec<PathBuf> = server
        .roots
        .iter()
        .map(|r| r.join("_"))
        .chain(server.docs.keys().cloned())
        .collect();
    anchors.sort();
    for a in anchors {
        for f in server.workspace_files(&a) {
            if f.extension().is_some_and(|e| e == "sop") && !files.contains(&f) {
                files.push(f);
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let text = match server.docs.get(&f) {
            Some(d) => d.text.clone(),
            None => match std::fs::read_to_string(&f) {
                Ok(t) => t,
                Err(_) => continue,
            },
        };
        let Ok(ast) = syntax::parse(&text) else {
            continue;
        };
        let lines = Lines::new(&text);
        let uri = server.uri_of(&f);
        let mut stack: Vec<(&Block, Option<String>)> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Block(b) => Some((b, None)),
                Item::Import(_) => None,
            })
            .collect();
        while let Some((b, container)) = stack.pop() {
            let name = block_name(b);
            if query.is_empty()
                || name.to_lowercase().contains(&query)
                || b.id.name.to_lowercase().contains(&query)
            {
                #[allow(deprecated, reason = "a required field of the type")]
                out.push(SymbolInformation {
                    name: format!("{} ({})", name, b.id.name),
                    kind: symbol_kind(b.kind),
                    tags: None,
                    deprecated: None,
                    location: Location::new(
                        uri.clone(),
                        lines.range(&text, b.header_span(), server.enc),
                    ),
                    container_name: container.clone(),
                });
            }
            for c in b.blocks() {
                stack.push((c, Some(b.id.name.clone())));
            }
        }
    }
    Ok(Some(WorkspaceSymbolResponse::Flat(out)))
}

pub(crate) fn folding(
    server: &mut Server,
    p: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, Failure> {
    let (_, doc) = server.doc(&p.text_document.uri)?;
    let (text, lines) = (&doc.text, &doc.lines);
    let mut out = Vec::new();
    let mut push = |span: Span, kind: Option<FoldingRangeKind>| {
        let (a, b) = (
            lines.line_of(span.start),
            lines.line_of(span.end.saturating_sub(1)),
        );
        if b > a {
            out.push(FoldingRange {
                start_line: a as u32,
                start_character: None,
                end_line: b as u32,
                end_character: None,
                kind,
                collapsed_text: None,
            });
        }
    };
    if let Ok(ast) = syntax::parse(text) {
        fn walk(b: &Block, push: &mut dyn FnMut(Span, Option<FoldingRangeKind>)) {
            push(b.span, Some(FoldingRangeKind::Region));
            for e in &b.entries {
                match e {
                    Entry::Block(c) => walk(c, push),
                    Entry::Attr(a) if !a.span.is_empty() => push(a.span, None),
                    _ => {}
                }
            }
        }
        let imports: Vec<Span> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Import(i) => Some(i.span),
                Item::Block(_) => None,
            })
            .collect();
        if let (Some(a), Some(b)) = (imports.first(), imports.last()) {
            push(a.to(*b), Some(FoldingRangeKind::Imports));
        }
        for item in &ast.items {
            if let Item::Block(b) = item {
                walk(b, &mut push);
            }
        }
    } else {
        // Braces matched lexically, so that a text being edited still folds.
        let mut stack = Vec::new();
        for t in lex::tokens(text) {
            match t.kind {
                Tok::Open => stack.push(t.span.start),
                Tok::Close => {
                    if let Some(s) = stack.pop() {
                        push(Span::new(s, t.span.end), Some(FoldingRangeKind::Region));
                    }
                }
                _ => {}
            }
        }
    }
    // Runs of comment lines.
    let toks = lex::tokens(text);
    let mut run: Option<(Span, usize)> = None;
    for t in toks.iter() {
        let line = lines.line_of(t.span.start);
        match (t.kind == Tok::Comment && t.first, run) {
            (true, Some((s, l))) if l + 1 == line => run = Some((s.to(t.span), line)),
            (true, r) => {
                if let Some((s, _)) = r {
                    push(s, Some(FoldingRangeKind::Comment));
                }
                run = Some((t.span, line));
            }
            (false, Some((s, _))) => {
                push(s, Some(FoldingRangeKind::Comment));
                run = None;
            }
            (false, None) => {}
        }
    }
    if let Some((s, _)) = run {
        push(s, Some(FoldingRangeKind::Comment));
    }
    Ok(Some(out))
}
