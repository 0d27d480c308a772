//! AST to model: collect the definitions of a document, report duplicates and impossible values,
//! resolve every name, and build each pipeline's graph.

mod blocks;
mod resolve;
mod values;

use std::collections::HashMap;

use crate::diag::{Diagnostic, FileId, FindingData, Loc};
use crate::model::names::name_key;
use crate::model::source_db::SourceDb;
use crate::model::types::*;
use crate::syntax::{self, Attr, AttrKey, Block, BlockKind, Item, Span};

/// Builds the model of the document made of `files` (reading order, `root` last).
pub fn lower(db: &SourceDb, files: &[FileId], root: FileId) -> (Model, Vec<Diagnostic>) {
    let mut cx = Lowering {
        diags: Vec::new(),
        model: Model {
            root: Some(root),
            is_document: db.get(root).ast().is_some_and(|ast| ast.is_document()),
            files: files.to_vec(),
            ..Model::default()
        },
        seen: HashMap::new(),
        unknown_stages: Vec::new(),
    };
    for &file in files {
        let Some(ast) = db.get(file).ast() else {
            continue;
        };
        for item in &ast.items {
            if let Item::Block(block) = item {
                cx.top_level(file, root, block);
            }
        }
    }
    cx.resolve();
    (cx.model, cx.diags)
}

struct Lowering {
    diags: Vec<Diagnostic>,
    model: Model,
    /// First definition of each (namespace, id), for duplicate reports.
    seen: HashMap<(BlockKind, String), Loc>,
    /// The `start` and `->` of each pipeline that name none of its stages, reported once every
    /// pipeline is known (the name may be a stage of another one).
    unknown_stages: Vec<resolve::UnknownStages>,
}

/// Single-valued attributes already given in the current block.
struct Once {
    file: FileId,
    seen: HashMap<AttrKey, Span>,
}

impl Once {
    fn new(file: FileId) -> Self {
        Once {
            file,
            seen: HashMap::new(),
        }
    }

    /// True the first time; reports a duplicate after that.
    fn first(&mut self, attr: &Attr, diags: &mut Vec<Diagnostic>) -> bool {
        if attr.key.is_list() {
            return true;
        }
        let key_word = attr.key.keyword();
        match self.seen.get(&attr.key) {
            Some(earlier) => {
                diags.push(
                    Diagnostic::of(
                        Loc::new(self.file, attr.span),
                        FindingData::Duplicate {
                            namespace: "attribute",
                            id: key_word.to_string(),
                            first: Loc::new(self.file, *earlier),
                            scope: "block",
                        },
                    )
                    .with_names([key_word]),
                );
                false
            }
            None => {
                self.seen.insert(attr.key, attr.span);
                true
            }
        }
    }
}

fn def(file: FileId, block: &Block) -> Def {
    Def {
        id: block.id.name.clone(),
        title: block.title.as_ref().map(|t| t.value.clone()),
        loc: Loc::new(file, block.header_span()),
        block: block.span,
    }
}

fn text(file: FileId, s: &syntax::Str) -> Text {
    Text {
        value: s.value.clone(),
        loc: Loc::new(file, s.span),
    }
}

fn unresolved(file: FileId, id: &syntax::Ident) -> Ref {
    Ref {
        name: id.name.clone(),
        loc: Loc::new(file, id.span),
        target: None,
    }
}

impl Lowering {
    fn top_level(&mut self, file: FileId, root: FileId, block: &Block) {
        if block.kind == BlockKind::Sop {
            // An imported file's header describes that file, not this document.
            if file != root {
                return;
            }
            if let Some(h) = &self.model.header {
                let earlier = h.def.loc;
                self.diags.push(
                    Diagnostic::of(
                        Loc::new(file, block.header_span()),
                        FindingData::Duplicate {
                            namespace: "sop",
                            id: block.id.name.clone(),
                            first: earlier,
                            scope: "document",
                        },
                    )
                    .with_names([block.id.name.clone()]),
                );
                return;
            }
            let header = self.header(file, block);
            self.model.header = Some(header);
            return;
        }
        // A duplicate is still read, for the problems inside it, but not added.
        let fresh = self.define(file, block);
        match block.kind {
            BlockKind::Goal => {
                let g = self.goal(file, block);
                if fresh {
                    let m = &mut self.model;
                    m.goal_index
                        .insert(name_key(&g.def.id).into_owned(), m.goals.len());
                    m.goals.push(g);
                }
            }
            BlockKind::Strategy => {
                let s = self.strategy(file, block);
                if fresh {
                    self.model.strategies.push(s);
                }
            }
            BlockKind::Role => {
                let r = self.role(file, block);
                if fresh {
                    let m = &mut self.model;
                    m.role_index
                        .insert(name_key(&r.def.id).into_owned(), m.roles.len());
                    m.roles.push(r);
                }
            }
            BlockKind::Pipeline => {
                let p = self.pipeline(file, block);
                if fresh {
                    self.model.pipelines.push(p);
                }
            }
            BlockKind::Training => {
                let t = self.training(file, block);
                if fresh {
                    let m = &mut self.model;
                    m.training_index
                        .insert(name_key(&t.def.id).into_owned(), m.trainings.len());
                    m.trainings.push(t);
                }
            }
            BlockKind::Kpi => {
                let k = self.kpi(file, block);
                if fresh {
                    let m = &mut self.model;
                    m.kpi_index
                        .insert(name_key(&k.def.id).into_owned(), m.kpis.len());
                    m.kpis.push(k);
                }
            }
            BlockKind::Feedback => {
                let f = self.feedback(file, block);
                if fresh {
                    self.model.feedbacks.push(f);
                }
            }
            BlockKind::Sop | BlockKind::Stage | BlockKind::Task => {}
        }
    }

    /// The attributes of `block`, a single-valued one only the first time it is given: a repeat
    /// is reported as a duplicate and left out.
    fn first_attrs<'b>(&mut self, file: FileId, block: &'b Block) -> Vec<&'b Attr> {
        let mut once = Once::new(file);
        block
            .attrs()
            .filter(|attr| once.first(attr, &mut self.diags))
            .collect()
    }

    /// Records a top-level definition; false (and a diagnostic) when its id is taken.
    fn define(&mut self, file: FileId, block: &Block) -> bool {
        let key = (block.kind, name_key(&block.id.name).into_owned());
        let loc = Loc::new(file, block.header_span());
        if let Some(earlier) = self.seen.get(&key) {
            self.diags.push(duplicate(
                block.kind.keyword(),
                &block.id.name,
                loc,
                *earlier,
                "document",
            ));
            return false;
        }
        self.seen.insert(key, loc);
        true
    }
}

fn duplicate(
    kind: &'static str,
    id: &str,
    loc: Loc,
    earlier: Loc,
    scope: &'static str,
) -> Diagnostic {
    Diagnostic::of(
        loc,
        FindingData::Duplicate {
            namespace: kind,
            id: id.to_string(),
            first: earlier,
            scope,
        },
    )
    .with_names([id])
}
