//! Each kind of block to its model type: attributes read, single values checked for repeats.

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use super::resolve::UnknownStages;
use super::{Lowering, Once, def, duplicate, text, unresolved};
use crate::diag::{Diagnostic, FileId, FindingData, Loc, ValueProblem};
use crate::model::names::name_key;
use crate::model::types::*;
use crate::syntax::{self, AttrKey, Block, TrainingWhen, Value};

impl Lowering {
    pub(super) fn header(&mut self, file: FileId, block: &Block) -> Header {
        let mut h = Header {
            def: def(file, block),
            version: None,
            owner: None,
            review: None,
            reviewed: None,
            lang: None,
            summary: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Version, Value::Str(s)) => h.version = Some(text(file, s)),
                (AttrKey::Owner, Value::Ident(i)) => h.owner = Some(unresolved(file, i)),
                (AttrKey::Review, Value::Cadence(c)) => h.review = Some(self.cadence(file, c)),
                (AttrKey::Reviewed, Value::Date(d)) => {
                    self.date(file, d);
                    h.reviewed = Some(d.clone());
                }
                (AttrKey::Lang, Value::Str(s)) => {
                    if s.value != "en" && s.value != "zh" {
                        self.diags.push(Diagnostic::of(
                            Loc::new(file, s.span),
                            FindingData::InvalidValue {
                                value: s.value.clone(),
                                problem: ValueProblem::UnknownLanguage,
                            },
                        ));
                    }
                    h.lang = Some(text(file, s));
                }
                (AttrKey::Summary, Value::Str(s)) => h.summary = Some(text(file, s)),
                (AttrKey::Description, Value::Str(s)) => h.description = Some(text(file, s)),
                _ => {}
            }
        }
        h
    }

    pub(super) fn goal(&mut self, file: FileId, block: &Block) -> Goal {
        let mut g = Goal {
            def: def(file, block),
            targets: Vec::new(),
            region: None,
            product: None,
            owner: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Target, Value::GoalTarget(t)) => {
                    self.quantity(file, &t.quantity);
                    if let Some(d) = &t.by {
                        self.date(file, d);
                    }
                    g.targets.push(GoalTarget {
                        kpi: unresolved(file, &t.kpi),
                        comparator: t.comparator,
                        quantity: t.quantity.clone(),
                        by: t.by.clone(),
                        loc: Loc::new(file, attr.span),
                    });
                }
                (AttrKey::Region, Value::Str(s)) => g.region = Some(text(file, s)),
                (AttrKey::Product, Value::Str(s)) => g.product = Some(text(file, s)),
                (AttrKey::Owner, Value::Ident(i)) => g.owner = Some(unresolved(file, i)),
                (AttrKey::Description, Value::Str(s)) => g.description = Some(text(file, s)),
                _ => {}
            }
        }
        g
    }

    pub(super) fn strategy(&mut self, file: FileId, block: &Block) -> Strategy {
        let mut s = Strategy {
            def: def(file, block),
            supports: Vec::new(),
            owner: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Supports, Value::Idents(ids)) => {
                    s.supports.extend(ids.iter().map(|i| unresolved(file, i)))
                }
                (AttrKey::Owner, Value::Ident(i)) => s.owner = Some(unresolved(file, i)),
                (AttrKey::Description, Value::Str(t)) => s.description = Some(text(file, t)),
                _ => {}
            }
        }
        s
    }

    pub(super) fn role(&mut self, file: FileId, block: &Block) -> Role {
        let mut r = Role {
            def: def(file, block),
            responsibilities: Vec::new(),
            skills: Vec::new(),
            reports_to: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Responsibilities, Value::Strings(v)) => {
                    r.responsibilities.extend(v.iter().map(|s| text(file, s)))
                }
                (AttrKey::Skills, Value::Strings(v)) => {
                    r.skills.extend(v.iter().map(|s| text(file, s)))
                }
                (AttrKey::ReportsTo, Value::Ident(i)) => r.reports_to = Some(unresolved(file, i)),
                (AttrKey::Description, Value::Str(s)) => r.description = Some(text(file, s)),
                _ => {}
            }
        }
        r
    }

    pub(super) fn pipeline(&mut self, file: FileId, block: &Block) -> Pipeline {
        let mut p = Pipeline {
            def: def(file, block),
            start: None,
            case: None,
            stages: Vec::new(),
            graph: DiGraph::new(),
            description: None,
            stage_index: HashMap::new(),
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Start, Value::Ident(i)) => p.start = Some(unresolved(file, i)),
                (AttrKey::Case, Value::Str(s)) => p.case = Some(s.value.clone()),
                (AttrKey::Description, Value::Str(s)) => p.description = Some(text(file, s)),
                _ => {}
            }
        }
        let mut first_loc: HashMap<String, Loc> = HashMap::new();
        for sb in block.blocks() {
            let loc = Loc::new(file, sb.header_span());
            let key = name_key(&sb.id.name).into_owned();
            if let Some(earlier) = first_loc.get(&key) {
                self.diags
                    .push(duplicate("stage", &sb.id.name, loc, *earlier, "pipeline"));
                self.stage(file, sb);
                continue;
            }
            first_loc.insert(key.clone(), loc);
            let mut stage = self.stage(file, sb);
            stage.node = p.graph.add_node(p.stages.len());
            p.stage_index.insert(key, p.stages.len());
            p.stages.push(stage);
        }
        // Stage names resolve within their pipeline, so do it here.
        let mut unknown: Vec<(Ref, Option<String>)> = Vec::new();
        if let Some(start) = &mut p.start {
            start.target = p.stage_index.get(&*name_key(&start.name)).copied();
            if start.target.is_none() {
                unknown.push((start.clone(), None));
            }
        }
        for si in 0..p.stages.len() {
            for ti in 0..p.stages[si].transitions.len() {
                let target = p
                    .stage_index
                    .get(&*name_key(&p.stages[si].transitions[ti].target.name))
                    .copied();
                p.stages[si].transitions[ti].target.target = target;
                match target {
                    Some(to) => {
                        let (a, b) = (p.stages[si].node, p.stages[to].node);
                        p.graph.add_edge(a, b, ti);
                    }
                    None => unknown.push((
                        p.stages[si].transitions[ti].target.clone(),
                        Some(p.stages[si].def.id.clone()),
                    )),
                }
            }
        }
        if !unknown.is_empty() {
            self.unknown_stages.push(UnknownStages {
                pipeline: p.def.id.clone(),
                stages: p.stages.iter().map(|s| s.def.id.clone()).collect(),
                refs: unknown,
            });
        }
        p
    }

    pub(super) fn stage(&mut self, file: FileId, block: &Block) -> Stage {
        let mut s = Stage {
            def: def(file, block),
            owner: None,
            sla: None,
            requires: Vec::new(),
            entry: Vec::new(),
            exit: Vec::new(),
            terminal: false,
            tasks: Vec::new(),
            transitions: Vec::new(),
            guidance: None,
            description: None,
            node: Default::default(),
        };
        let mut once = Once::new(file);
        // First definition of each task id, so a repeat is found without a search.
        let mut task_locs: HashMap<String, Loc> = HashMap::new();
        for entry in &block.entries {
            match entry {
                syntax::Entry::Attr(attr) => {
                    if !once.first(attr, &mut self.diags) {
                        continue;
                    }
                    match (&attr.key, &attr.value) {
                        (AttrKey::Owner, Value::Ident(i)) => s.owner = Some(unresolved(file, i)),
                        (AttrKey::Sla, Value::Duration(d)) => s.sla = Some(self.duration(file, d)),
                        (AttrKey::Requires, Value::Idents(ids)) => {
                            s.requires.extend(ids.iter().map(|i| unresolved(file, i)))
                        }
                        (AttrKey::Entry, Value::Strings(v)) => {
                            s.entry.extend(v.iter().map(|t| text(file, t)))
                        }
                        (AttrKey::Exit, Value::Strings(v)) => {
                            s.exit.extend(v.iter().map(|t| text(file, t)))
                        }
                        (AttrKey::Terminal, _) => s.terminal = true,
                        (AttrKey::Guidance, Value::Str(t)) => s.guidance = Some(text(file, t)),
                        (AttrKey::Description, Value::Str(t)) => {
                            s.description = Some(text(file, t))
                        }
                        _ => {}
                    }
                }
                syntax::Entry::Transition(t) => s.transitions.push(Transition {
                    target: unresolved(file, &t.target),
                    when: t.when.as_ref().map(|w| text(file, w)),
                    loc: Loc::new(file, t.span),
                }),
                syntax::Entry::Block(tb) => {
                    let loc = Loc::new(file, tb.header_span());
                    let key = name_key(&tb.id.name).into_owned();
                    if let Some(&earlier) = task_locs.get(&key) {
                        self.diags
                            .push(duplicate("task", &tb.id.name, loc, earlier, "stage"));
                        self.task(file, tb);
                        continue;
                    }
                    task_locs.insert(key, loc);
                    let task = self.task(file, tb);
                    s.tasks.push(task);
                }
            }
        }
        s
    }

    pub(super) fn task(&mut self, file: FileId, block: &Block) -> Task {
        let mut t = Task {
            def: def(file, block),
            owner: None,
            due: None,
            done_when: None,
            guidance: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Owner, Value::Ident(i)) => t.owner = Some(unresolved(file, i)),
                (AttrKey::Due, Value::Duration(d)) => t.due = Some(self.duration(file, d)),
                (AttrKey::DoneWhen, Value::Str(s)) => t.done_when = Some(text(file, s)),
                (AttrKey::Guidance, Value::Str(s)) => t.guidance = Some(text(file, s)),
                (AttrKey::Description, Value::Str(s)) => t.description = Some(text(file, s)),
                _ => {}
            }
        }
        t
    }

    pub(super) fn training(&mut self, file: FileId, block: &Block) -> Training {
        let mut t = Training {
            def: def(file, block),
            for_roles: Vec::new(),
            when: None,
            topics: Vec::new(),
            format: Vec::new(),
            duration: None,
            requires: Vec::new(),
            assessment: None,
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::For, Value::Idents(ids)) => {
                    t.for_roles.extend(ids.iter().map(|i| unresolved(file, i)))
                }
                (AttrKey::When, Value::TrainingWhen(w)) => {
                    if let TrainingWhen::Cadence(c) = w {
                        self.cadence(file, c);
                    }
                    t.when = Some(At {
                        value: w.clone(),
                        loc: Loc::new(file, attr.span),
                    });
                }
                (AttrKey::Topics, Value::Strings(v)) => {
                    t.topics.extend(v.iter().map(|s| text(file, s)))
                }
                (AttrKey::Format, Value::Idents(ids)) => {
                    t.format.extend(ids.iter().map(|i| Text {
                        value: i.name.clone(),
                        loc: Loc::new(file, i.span),
                    }))
                }
                (AttrKey::Duration, Value::Duration(d)) => {
                    t.duration = Some(self.duration(file, d))
                }
                (AttrKey::Requires, Value::Idents(ids)) => {
                    t.requires.extend(ids.iter().map(|i| unresolved(file, i)))
                }
                (AttrKey::Assessment, Value::Str(s)) => t.assessment = Some(text(file, s)),
                (AttrKey::Description, Value::Str(s)) => t.description = Some(text(file, s)),
                _ => {}
            }
        }
        t
    }

    pub(super) fn kpi(&mut self, file: FileId, block: &Block) -> Kpi {
        let mut k = Kpi {
            def: def(file, block),
            kind: None,
            measure: None,
            unit: None,
            target: None,
            owner: None,
            source: None,
            review: None,
            stage: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            // `target` is repeatable on goals only.
            if attr.key == AttrKey::Target && k.target.is_some() {
                let earlier = k.target.as_ref().map(|t| t.loc).expect("checked");
                self.diags.push(
                    Diagnostic::of(
                        Loc::new(file, attr.span),
                        FindingData::Duplicate {
                            namespace: "attribute",
                            id: "target".to_string(),
                            first: earlier,
                            scope: "kpi",
                        },
                    )
                    .with_names(["target"]),
                );
                continue;
            }
            if !once.first(attr, &mut self.diags) {
                continue;
            }
            match (&attr.key, &attr.value) {
                (AttrKey::Kind, Value::KpiKind(kind, _)) => k.kind = Some(*kind),
                (AttrKey::Measure, Value::Measure(m, _)) => k.measure = Some(*m),
                (AttrKey::Unit, Value::Ident(i)) => {
                    k.unit = Some(Text {
                        value: i.name.clone(),
                        loc: Loc::new(file, i.span),
                    })
                }
                (AttrKey::Target, Value::KpiTarget(t)) => {
                    self.quantity(file, &t.quantity);
                    k.target = Some(KpiTarget {
                        comparator: t.comparator,
                        quantity: t.quantity.clone(),
                        per: t.per.map(|(p, _)| p),
                        loc: Loc::new(file, attr.span),
                    });
                }
                (AttrKey::Owner, Value::Ident(i)) => k.owner = Some(unresolved(file, i)),
                (AttrKey::Source, Value::Str(s)) => k.source = Some(text(file, s)),
                (AttrKey::Review, Value::Cadence(c)) => k.review = Some(self.cadence(file, c)),
                (AttrKey::Stage, Value::StagePath(p)) => {
                    k.stage = Some(StageRef {
                        pipeline: p.pipeline.as_ref().map(|i| i.name.clone()),
                        stage: p.stage.name.clone(),
                        loc: Loc::new(file, p.span),
                        target: None,
                    })
                }
                (AttrKey::Description, Value::Str(s)) => k.description = Some(text(file, s)),
                _ => {}
            }
        }
        k
    }

    pub(super) fn feedback(&mut self, file: FileId, block: &Block) -> Feedback {
        let mut f = Feedback {
            def: def(file, block),
            cadence: None,
            owner: None,
            with: Vec::new(),
            covers: Vec::new(),
            description: None,
        };
        for attr in self.first_attrs(file, block) {
            match (&attr.key, &attr.value) {
                (AttrKey::Cadence, Value::Cadence(c)) => f.cadence = Some(self.cadence(file, c)),
                (AttrKey::Owner, Value::Ident(i)) => f.owner = Some(unresolved(file, i)),
                (AttrKey::With, Value::Idents(ids)) => {
                    f.with.extend(ids.iter().map(|i| unresolved(file, i)))
                }
                (AttrKey::Covers, Value::Idents(ids)) => {
                    f.covers.extend(ids.iter().map(|i| unresolved(file, i)))
                }
                (AttrKey::Description, Value::Str(s)) => f.description = Some(text(file, s)),
                _ => {}
            }
        }
        f
    }
}
