//! Completion: the attributes of the enclosing block, the names of the right kind after an
//! attribute that takes a name, cadence and `when` keywords, and snippets for new blocks.

use lsp_types::*;

use super::keywords::{self, CADENCES};
use super::lex::{self, Tok};
use super::{Failure, Server};
use crate::model::Model;
use crate::syntax::BlockKind;

/// Which names a place takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    Roles,
    Trainings,
    Kpis,
    Goals,
    /// The stages of the enclosing pipeline.
    Stages,
    /// Stages anywhere, written `stage` or `pipeline.stage`.
    StagePaths,
    /// The stages of the pipeline named before the dot.
    StagesOf,
}

pub(crate) fn completion(
    server: &mut Server,
    p: CompletionParams,
) -> Result<Option<CompletionResponse>, Failure> {
    let pos = p.text_document_position;
    let (key, doc) = server.doc(&pos.text_document.uri)?;
    let text = doc.text.clone();
    let offset = doc.lines.offset(&text, pos.position, server.enc);
    let line = doc.lines.line_of(offset);
    let line_start = doc.lines.line_start(line, &text);
    let toks = lex::tokens(&text);
    // Inside a string or a comment: nothing to complete.
    if toks.iter().any(|t| {
        matches!(t.kind, Tok::Str | Tok::Comment) && t.span.start < offset && offset < t.span.end
            || t.kind == Tok::Comment && t.span.start < offset && offset == t.span.end
    }) {
        return Ok(None);
    }
    let blocks = lex::open_blocks(&text, &toks, offset);
    let enclosing = blocks.last().map(|b| b.0);
    let pipeline = blocks
        .iter()
        .rev()
        .find(|b| b.0 == BlockKind::Pipeline)
        .map(|b| b.1.clone());
    let mut before: Vec<&lex::Token> = toks
        .iter()
        .filter(|t| t.span.start >= line_start && t.span.end <= offset)
        .collect();
    if before
        .last()
        .is_some_and(|t| t.kind == Tok::Word && t.span.end == offset)
    {
        before.pop();
    }
    // The names of the current texts: the model's when the document and its imports parse,
    // else the ones a tolerant reading of those texts finds.
    let model = server
        .ws
        .check_document(&key)
        .ok()
        .and_then(|r| r.model.clone());
    let mut items = Vec::new();
    if before.is_empty() {
        for a in enclosing.map(keywords::attrs).unwrap_or_default() {
            items.push(CompletionItem {
                label: a.name.clone(),
                kind: Some(CompletionItemKind::KEYWORD),
                detail: Some(a.value.clone()),
                documentation: Some(Documentation::String(a.meaning.clone())),
                ..CompletionItem::default()
            });
        }
        for &k in keywords::nested(enclosing) {
            items.push(CompletionItem {
                label: k.keyword().to_string(),
                kind: Some(CompletionItemKind::SNIPPET),
                detail: Some(format!("a new `{}` block", k.keyword())),
                insert_text: Some(keywords::snippet(k).to_string()),
                insert_text_format: Some(InsertTextFormat::SNIPPET),
                ..CompletionItem::default()
            });
        }
        if enclosing == Some(BlockKind::Stage) {
            items.push(snippet(
                "->",
                "a transition to another stage",
                "-> ${1:stage}",
            ));
        }
        if enclosing.is_none() {
            items.push(snippet(
                "import",
                "import a library",
                "import \"${1:shared/roles.sop}\"",
            ));
        }
        return Ok(Some(CompletionResponse::Array(items)));
    }
    let head = &before[0];
    let word = &text[head.span.start..head.span.end];
    let rest = &before[1..];
    // After the key, or after a comma of a list of names.
    let at_value = rest.is_empty() || rest.last().is_some_and(|t| t.kind == Tok::Comma);
    let mut names = None;
    let mut words: Vec<&str> = Vec::new();
    if head.kind == Tok::Arrow {
        if rest.is_empty() {
            names = Some(Names::Stages);
        } else if rest.len() == 1 {
            words.push("when");
        }
    } else if head.kind == Tok::Word {
        match (enclosing, word) {
            (_, "owner" | "reports_to" | "with") if at_value => names = Some(Names::Roles),
            (Some(BlockKind::Training), "for") if at_value => names = Some(Names::Roles),
            (_, "requires") if at_value => names = Some(Names::Trainings),
            (Some(BlockKind::Pipeline), "start") if at_value => names = Some(Names::Stages),
            (_, "covers") if at_value => names = Some(Names::Kpis),
            (_, "supports") if at_value => names = Some(Names::Goals),
            (Some(BlockKind::Goal), "target") if rest.is_empty() => names = Some(Names::Kpis),
            (Some(BlockKind::Kpi), "stage") => {
                if rest.is_empty() {
                    names = Some(Names::StagePaths);
                } else if rest.len() == 2 && rest[1].kind == Tok::Dot {
                    names = Some(Names::StagesOf);
                }
            }
            (_, "review" | "cadence") if rest.is_empty() => words.extend(CADENCES),
            (Some(BlockKind::Training), "when") if rest.is_empty() => {
                words.extend(["new_hire", "ongoing"]);
                words.extend(CADENCES);
            }
            (Some(BlockKind::Kpi), "kind") if rest.is_empty() => {
                words.extend(["quantitative", "qualitative"]);
            }
            _ => {}
        }
    }
    for w in words {
        items.push(CompletionItem {
            label: w.to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            ..CompletionItem::default()
        });
    }
    if let Some(names) = names {
        let defs = match model.as_deref() {
            Some(m) => model_defs(m),
            None => text_defs(server, &key),
        };
        let of = rest
            .first()
            .map(|t| text[t.span.start..t.span.end].to_string());
        items.extend(name_items(&defs, names, pipeline.as_deref(), of.as_deref()));
    }
    Ok(Some(CompletionResponse::Array(items)))
}

fn snippet(label: &str, detail: &str, body: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(detail.to_string()),
        insert_text: Some(body.to_string()),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        ..CompletionItem::default()
    }
}

fn item(id: &str, title: Option<&str>, kind: CompletionItemKind, what: &str) -> CompletionItem {
    CompletionItem {
        label: id.to_string(),
        kind: Some(kind),
        detail: Some(match title {
            Some(t) => format!("{what} — {t}"),
            None => what.to_string(),
        }),
        ..CompletionItem::default()
    }
}

/// A definition that can be completed: its kind, id, title and, for a stage, its pipeline.
struct Cand {
    kind: BlockKind,
    id: String,
    title: Option<String>,
    pipeline: Option<String>,
}

/// The definitions of a model (the document's and its imports').
fn model_defs(m: &Model) -> Vec<Cand> {
    let cand = |kind, d: &crate::model::Def, pipeline: Option<&str>| Cand {
        kind,
        id: d.id.clone(),
        title: d.title.clone(),
        pipeline: pipeline.map(str::to_string),
    };
    let mut out = Vec::new();
    out.extend(m.roles.iter().map(|x| cand(BlockKind::Role, &x.def, None)));
    out.extend(
        m.trainings
            .iter()
            .map(|x| cand(BlockKind::Training, &x.def, None)),
    );
    out.extend(m.kpis.iter().map(|x| cand(BlockKind::Kpi, &x.def, None)));
    out.extend(m.goals.iter().map(|x| cand(BlockKind::Goal, &x.def, None)));
    for p in &m.pipelines {
        out.extend(
            p.stages
                .iter()
                .map(|s| cand(BlockKind::Stage, &s.def, Some(&p.def.id))),
        );
    }
    out
}

/// The definitions written in the current text of the document at `key` and of the files it
/// imports, each once, read tolerantly: what is typed counts before it parses.
fn text_defs(server: &Server, key: &std::path::Path) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    // The imported files' names first, as a model lists them.
    let (own, imported): (Vec<_>, Vec<_>) = super::nav::names_with_imports(server, key)
        .into_iter()
        .partition(|(f, _)| f == key);
    for (_, n) in imported.into_iter().chain(own) {
        if !n.is_def
            || out
                .iter()
                .any(|c| c.kind == n.kind && c.id == n.name && c.pipeline == n.pipeline)
        {
            continue;
        }
        out.push(Cand {
            kind: n.kind,
            id: n.name,
            title: n.title,
            pipeline: n.pipeline,
        });
    }
    out
}

fn name_items(
    defs: &[Cand],
    names: Names,
    pipeline: Option<&str>,
    of: Option<&str>,
) -> Vec<CompletionItem> {
    use CompletionItemKind as K;
    let of_kind = |kind: BlockKind, ck, what| {
        defs.iter()
            .filter(|d| d.kind == kind)
            .map(|d| item(&d.id, d.title.as_deref(), ck, what))
            .collect::<Vec<_>>()
    };
    match names {
        Names::Roles => of_kind(BlockKind::Role, K::CLASS, "role"),
        Names::Trainings => of_kind(BlockKind::Training, K::STRUCT, "training"),
        Names::Kpis => of_kind(BlockKind::Kpi, K::VALUE, "kpi"),
        Names::Goals => of_kind(BlockKind::Goal, K::CONSTANT, "goal"),
        Names::Stages | Names::StagesOf => {
            let want = if names == Names::Stages { pipeline } else { of };
            defs.iter()
                .filter(|d| d.kind == BlockKind::Stage)
                .filter(|d| want.is_none_or(|w| d.pipeline.as_deref() == Some(w)))
                .map(|d| item(&d.id, d.title.as_deref(), K::ENUM_MEMBER, "stage"))
                .collect()
        }
        Names::StagePaths => {
            let mut out = Vec::new();
            for d in defs.iter().filter(|d| d.kind == BlockKind::Stage) {
                out.push(item(&d.id, d.title.as_deref(), K::ENUM_MEMBER, "stage"));
                if let Some(p) = &d.pipeline {
                    let qualified = format!("{p}.{}", d.id);
                    out.push(item(
                        &qualified,
                        d.title.as_deref(),
                        K::ENUM_MEMBER,
                        "stage",
                    ));
                }
            }
            out
        }
    }
}
