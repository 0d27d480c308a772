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
use crate::model::{Model, Ref, normalize};
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

pub(crate) fn hover(server: &mut Server, p: HoverParams) -> Result<Option<Hover>, Failure> {
    let pos = p.text_document_position_params;
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
    if let Some(loc) = import_at(server, &pos)? {
        return Ok(Some(GotoDefinitionResponse::Scalar(loc)));
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

/// The file an `import` under the cursor names.
fn import_at(
    server: &Server,
    pos: &TextDocumentPositionParams,
) -> Result<Option<Location>, Failure> {
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
            return Ok(Some(Location::new(
                server.uri_of(&target),
                Range::default(),
            )));
        }
    }
    Ok(None)
}

/// Every place the definition `def` is written or named, over the `.sop` files of the
/// workspace folder of `key`: each as (file, span, is the definition).
fn places(server: &mut Server, key: &Path, def: &DefKey) -> Vec<(PathBuf, Range, bool)> {
    let mut seen: HashSet<(PathBuf, Span)> = HashSet::new();
    let mut out = Vec::new();
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
        let mut cache = LineCache::new(&result.db);
        for o in occs.iter().filter(|o| o.def.as_ref() == Some(def)) {
            let path = result.db.get(o.file).canonical.clone();
            if seen.insert((path.clone(), o.span)) {
                out.push((path, cache.range(o.file, o.span, server.enc), o.is_def));
            }
        }
    }
    out.sort_by_key(|(p, r, _)| (p.clone(), r.start.line, r.start.character));
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

pub(crate) fn references(
    server: &mut Server,
    p: ReferenceParams,
) -> Result<Option<Vec<Location>>, Failure> {
    let pos = p.text_document_position;
    let Some((occ, _)) = name_at(server, &pos)? else {
        return Ok(None);
    };
    let Some(def) = occ.def else {
        return Ok(None);
    };
    let (key, _) = cursor(server, &pos)?;
    let found = places(server, &key, &def);
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
    if let Some(m) = &result.model
        && let Some(what) = collides(m, path, &new)
    {
        return Err(failure(format!(
            "a {} named `{new}` already exists ({what}): choose another name",
            def.kind.keyword()
        )));
    }
    let (key, _) = cursor(server, &pos)?;
    #[allow(
        clippy::mutable_key_type,
        reason = "the type of `WorkspaceEdit::changes`"
    )]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, range, _) in places(server, &key, &def) {
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

/// Where `name` is already taken in the namespace of the definition at `p`.
fn collides(m: &Model, p: Path3, name: &str) -> Option<String> {
    let taken = match p.kind {
        Kind::Role => m.role_index.contains_key(name),
        Kind::Goal => m.goal_index.contains_key(name),
        Kind::Kpi => m.kpi_index.contains_key(name),
        Kind::Training => m.training_index.contains_key(name),
        Kind::Strategy => m.strategies.iter().any(|s| s.def.id == name),
        Kind::Feedback => m.feedbacks.iter().any(|s| s.def.id == name),
        Kind::Pipeline => m.pipelines.iter().any(|s| s.def.id == name),
        Kind::Stage => m.pipelines[p.a].stages.iter().any(|s| s.def.id == name),
        Kind::Task => m.pipelines[p.a]
            .stages
            .iter()
            .flat_map(|s| &s.tasks)
            .any(|t| t.def.id == name),
        Kind::Sop => false,
    };
    taken.then(|| match p.kind {
        Kind::Stage | Kind::Task => format!("in pipeline `{}`", m.pipelines[p.a].def.id),
        _ => "in this document or its imports".to_string(),
    })
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
