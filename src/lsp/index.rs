//! Every name of a document's model with where it is written: the definitions and the
//! references that resolved to them, for go-to-definition, references, highlight, hover and
//! rename.

use std::path::PathBuf;

use crate::diag::{FileId, Loc};
use crate::model::{Def, Model, Ref, SourceDb};
use crate::syntax::Span;

/// What a name names: the kind of block that defines it.
pub use crate::syntax::BlockKind as Kind;

/// Where a definition lives in a model: its kind and its indexes (pipeline, stage, task for the
/// nested kinds; the first alone for the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path3 {
    pub kind: Kind,
    pub a: usize,
    pub b: usize,
    pub c: usize,
}

/// A definition as every model that reads its file sees it: its kind, its file and where its
/// id is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefKey {
    pub kind: Kind,
    pub name: String,
    pub file: PathBuf,
    pub id: Span,
}

/// One name written in a file.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub file: FileId,
    pub span: Span,
    pub name: String,
    /// The definition it names; `None` when it names nothing.
    pub def: Option<DefKey>,
    /// Where that definition is in the model.
    pub path: Option<Path3>,
    /// The definition itself, not a use.
    pub is_def: bool,
    pub kind: Kind,
}

/// The span of a definition's id: the end of its keyword-and-id span.
pub fn id_span(def: &Def) -> Span {
    Span::new(
        def.loc.span.end.saturating_sub(def.id.len()),
        def.loc.span.end,
    )
}

/// Every occurrence of a name in `model`, definitions first.
pub fn occurrences(db: &SourceDb, model: &Model) -> Vec<Occurrence> {
    let mut b = Builder {
        db,
        out: Vec::new(),
    };
    let p1 = |kind, a| Path3 {
        kind,
        a,
        b: 0,
        c: 0,
    };
    if let Some(h) = &model.header {
        b.def(&h.def, p1(Kind::Sop, 0));
    }
    for (i, x) in model.goals.iter().enumerate() {
        b.def(&x.def, p1(Kind::Goal, i));
    }
    for (i, x) in model.strategies.iter().enumerate() {
        b.def(&x.def, p1(Kind::Strategy, i));
    }
    for (i, x) in model.roles.iter().enumerate() {
        b.def(&x.def, p1(Kind::Role, i));
    }
    for (i, p) in model.pipelines.iter().enumerate() {
        b.def(&p.def, p1(Kind::Pipeline, i));
        for (j, s) in p.stages.iter().enumerate() {
            b.def(
                &s.def,
                Path3 {
                    kind: Kind::Stage,
                    a: i,
                    b: j,
                    c: 0,
                },
            );
            for (k, t) in s.tasks.iter().enumerate() {
                b.def(
                    &t.def,
                    Path3 {
                        kind: Kind::Task,
                        a: i,
                        b: j,
                        c: k,
                    },
                );
            }
        }
    }
    for (i, x) in model.trainings.iter().enumerate() {
        b.def(&x.def, p1(Kind::Training, i));
    }
    for (i, x) in model.kpis.iter().enumerate() {
        b.def(&x.def, p1(Kind::Kpi, i));
    }
    for (i, x) in model.feedbacks.iter().enumerate() {
        b.def(&x.def, p1(Kind::Feedback, i));
    }
    // The uses, each with the definition it resolved to.
    let role = |b: &mut Builder, r: &Ref| {
        let d = r.target.map(|t| (&model.roles[t].def, p1(Kind::Role, t)));
        b.use_(r.loc, &r.name, Kind::Role, d);
    };
    let opt_role = |b: &mut Builder, r: &Option<Ref>| {
        if let Some(r) = r {
            role(b, r);
        }
    };
    if let Some(h) = &model.header {
        opt_role(&mut b, &h.owner);
    }
    for g in &model.goals {
        opt_role(&mut b, &g.owner);
        for t in &g.targets {
            let d = t.kpi.target.map(|k| (&model.kpis[k].def, p1(Kind::Kpi, k)));
            b.use_(t.kpi.loc, &t.kpi.name, Kind::Kpi, d);
        }
    }
    for s in &model.strategies {
        opt_role(&mut b, &s.owner);
        for r in &s.supports {
            let d = r.target.map(|k| (&model.goals[k].def, p1(Kind::Goal, k)));
            b.use_(r.loc, &r.name, Kind::Goal, d);
        }
    }
    for r in &model.roles {
        opt_role(&mut b, &r.reports_to);
    }
    for (i, p) in model.pipelines.iter().enumerate() {
        let stage = |b: &mut Builder, r: &Ref| {
            let d = r.target.and_then(|j| {
                p.stages.get(j).map(|s| {
                    (
                        &s.def,
                        Path3 {
                            kind: Kind::Stage,
                            a: i,
                            b: j,
                            c: 0,
                        },
                    )
                })
            });
            b.use_(r.loc, &r.name, Kind::Stage, d);
        };
        if let Some(r) = &p.start {
            stage(&mut b, r);
        }
        for s in &p.stages {
            opt_role(&mut b, &s.owner);
            for r in &s.requires {
                training(&mut b, model, r);
            }
            for t in &s.tasks {
                opt_role(&mut b, &t.owner);
            }
            for t in &s.transitions {
                stage(&mut b, &t.target);
            }
        }
    }
    for t in &model.trainings {
        t.for_roles.iter().for_each(|r| role(&mut b, r));
        for r in &t.requires {
            training(&mut b, model, r);
        }
    }
    for k in &model.kpis {
        opt_role(&mut b, &k.owner);
        if let Some(sr) = &k.stage {
            let span = sr.loc.span;
            let text = &db.get(sr.loc.file).text;
            // `pipeline.stage`: the two names, found in the text of the path.
            let written = text.get(span.start..span.end).unwrap_or("");
            let stage_span = match written.rfind('.') {
                Some(dot) => {
                    if let Some(pn) = &sr.pipeline {
                        let pspan = Span::new(span.start, span.start + dot);
                        let d = sr
                            .target
                            .map(|(pi, _)| (&model.pipelines[pi].def, p1(Kind::Pipeline, pi)));
                        b.use_(Loc::new(sr.loc.file, pspan), pn, Kind::Pipeline, d);
                    }
                    Span::new(span.start + dot + 1, span.end)
                }
                None => span,
            };
            let d = sr.target.map(|(pi, si)| {
                (
                    &model.pipelines[pi].stages[si].def,
                    Path3 {
                        kind: Kind::Stage,
                        a: pi,
                        b: si,
                        c: 0,
                    },
                )
            });
            b.use_(Loc::new(sr.loc.file, stage_span), &sr.stage, Kind::Stage, d);
        }
    }
    for f in &model.feedbacks {
        opt_role(&mut b, &f.owner);
        f.with.iter().for_each(|r| role(&mut b, r));
        for r in &f.covers {
            let d = r.target.map(|k| (&model.kpis[k].def, p1(Kind::Kpi, k)));
            b.use_(r.loc, &r.name, Kind::Kpi, d);
        }
    }
    b.out
}

fn training(b: &mut Builder, model: &Model, r: &Ref) {
    let d = r.target.map(|t| {
        (
            &model.trainings[t].def,
            Path3 {
                kind: Kind::Training,
                a: t,
                b: 0,
                c: 0,
            },
        )
    });
    b.use_(r.loc, &r.name, Kind::Training, d);
}

struct Builder<'a> {
    db: &'a SourceDb,
    out: Vec<Occurrence>,
}

impl Builder<'_> {
    fn key(&self, def: &Def, kind: Kind) -> DefKey {
        DefKey {
            kind,
            name: def.id.clone(),
            file: self.db.get(def.file()).canonical.clone(),
            id: id_span(def),
        }
    }

    fn def(&mut self, def: &Def, path: Path3) {
        let key = self.key(def, path.kind);
        self.out.push(Occurrence {
            file: def.file(),
            span: key.id,
            name: def.id.clone(),
            def: Some(key),
            path: Some(path),
            is_def: true,
            kind: path.kind,
        });
    }

    fn use_(&mut self, loc: Loc, name: &str, kind: Kind, target: Option<(&Def, Path3)>) {
        let (def, path) = match target {
            Some((d, p)) => (Some(self.key(d, p.kind)), Some(p)),
            None => (None, None),
        };
        self.out.push(Occurrence {
            file: loc.file,
            span: loc.span,
            name: name.to_string(),
            def,
            path,
            is_def: false,
            kind,
        });
    }
}

/// The occurrence under byte `offset` of `file` (a name touching the cursor on either side).
pub fn at(occs: &[Occurrence], file: FileId, offset: usize) -> Option<&Occurrence> {
    occs.iter()
        .filter(|o| o.file == file && o.span.start <= offset && offset <= o.span.end)
        .min_by_key(|o| o.span.len())
}
