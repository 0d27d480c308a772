//! A model flattened into the entities `sopc diff` compares: each with its kind, qualified id,
//! file and attributes, the attributes held as values that compare by meaning (durations in
//! minutes, lists whose order carries no meaning as sets) and shown as written.

use std::collections::BTreeMap;

use super::report::EntityKind;
use crate::diag::FileId;
use crate::model::{self, Model, Ref, Text};
use crate::syntax::{Cadence, Duration, NamedCadence, Quantity, Span, TrainingWhen};

/// What a name in an attribute refers to: renames of that kind rewrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RefKind {
    /// Not a reference: a list of texts.
    Plain,
    Role,
    Goal,
    Kpi,
    Training,
    /// A qualified stage id, `pipeline.stage`.
    Stage,
}

impl RefKind {
    pub(crate) fn entity(self) -> Option<EntityKind> {
        match self {
            RefKind::Plain => None,
            RefKind::Role => Some(EntityKind::Role),
            RefKind::Goal => Some(EntityKind::Goal),
            RefKind::Kpi => Some(EntityKind::Kpi),
            RefKind::Training => Some(EntityKind::Training),
            RefKind::Stage => Some(EntityKind::Stage),
        }
    }
}

/// An attribute's value, as compared.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Text(String),
    /// Names (or texts); `ordered` when their order carries meaning.
    List {
        kind: RefKind,
        items: Vec<String>,
        ordered: bool,
    },
    /// In minutes; `None` when the number overflows (compared as written).
    Duration(Option<u64>),
    /// How many days apart, for ordering cadences.
    Cadence(Option<u64>),
    Date(u32, u32, u32),
    Target {
        comparator: &'static str,
        value: f64,
        /// Unit, percent and period: a target is raised or lowered only when these stay.
        unit: String,
    },
    Flag,
}

/// One attribute that was given.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    /// As written, white space folded.
    pub shown: String,
    pub value: Val,
}

/// One entity of one side.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub kind: EntityKind,
    /// The pairing key of the file it is defined in.
    pub file: String,
    pub file_id: FileId,
    /// Byte offset of the definition in its file: the order of the report.
    pub pos: usize,
    /// The whole block: the findings inside it are about it.
    pub block: Span,
    /// The qualified id of the entity that holds it (a stage's pipeline, a task's stage).
    pub parent: Option<String>,
    /// The id inside the parent; for a transition the qualified ids of its two stages.
    pub local: Local,
    pub title: Option<String>,
    pub attrs: BTreeMap<(&'static str, Option<String>), Attr>,
    /// A task whose owner is its stage's (it names none itself).
    pub inherits_owner: bool,
    /// The roles whose work this entity is (see [`crate::diff`] on affected roles).
    pub roles: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Local {
    Id(String),
    Transition { from: String, to: String },
}

impl Entity {
    /// The qualified id as written on its side.
    pub fn qid(&self) -> String {
        match (&self.local, &self.parent) {
            (Local::Id(id), Some(p)) => format!("{p}.{id}"),
            (Local::Id(id), None) => id.clone(),
            (Local::Transition { from, to }, _) => {
                let to = to.rsplit('.').next().unwrap_or(to);
                format!("{from}->{to}")
            }
        }
    }
}

/// Folds runs of white space into one space and trims the ends.
pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every entity of `m` whose file `key` names (files it gives `None` for are left out).
pub(crate) fn flatten(m: &Model, key: &dyn Fn(FileId) -> Option<String>) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut push = |e: Option<Entity>| out.extend(e);
    let new = |kind, def: &model::Def, parent: Option<String>| {
        let file = key(def.file())?;
        Some(Entity {
            kind,
            file,
            file_id: def.file(),
            pos: def.loc.span.start,
            block: def.block,
            parent,
            local: Local::Id(def.id.clone()),
            title: def.title.as_deref().map(fold),
            attrs: BTreeMap::new(),
            inherits_owner: false,
            roles: Vec::new(),
        })
    };
    if let Some(h) = &m.header {
        push(new(EntityKind::Sop, &h.def, None).map(|mut e| {
            text(&mut e, "version", &h.version);
            role(&mut e, "owner", &h.owner);
            cadence(&mut e, "review", h.review.as_ref().map(|c| &c.value));
            if let Some(d) = &h.reviewed {
                let value = Val::Date(d.year, d.month, d.day);
                insert(&mut e, "reviewed", d.text.clone(), value);
            }
            text(&mut e, "lang", &h.lang);
            text(&mut e, "summary", &h.summary);
            text(&mut e, "description", &h.description);
            e
        }));
    }
    for g in &m.goals {
        push(new(EntityKind::Goal, &g.def, None).map(|mut e| {
            for t in &g.targets {
                let kpi = Some(t.kpi.name.clone());
                let (shown, value) = target(t.comparator.symbol(), &t.quantity, None);
                e.attrs
                    .insert(("target", kpi.clone()), Attr { shown, value });
                if let Some(by) = &t.by {
                    e.attrs.insert(
                        ("by", kpi.clone()),
                        Attr {
                            shown: by.text.clone(),
                            value: Val::Date(by.year, by.month, by.day),
                        },
                    );
                }
            }
            text(&mut e, "region", &g.region);
            text(&mut e, "product", &g.product);
            role(&mut e, "owner", &g.owner);
            text(&mut e, "description", &g.description);
            e
        }));
    }
    for s in &m.strategies {
        push(new(EntityKind::Strategy, &s.def, None).map(|mut e| {
            refs(&mut e, "supports", RefKind::Goal, &s.supports);
            role(&mut e, "owner", &s.owner);
            text(&mut e, "description", &s.description);
            e
        }));
    }
    for r in &m.roles {
        push(new(EntityKind::Role, &r.def, None).map(|mut e| {
            texts(&mut e, "responsibilities", &r.responsibilities, false);
            texts(&mut e, "skills", &r.skills, false);
            role(&mut e, "reports_to", &r.reports_to);
            text(&mut e, "description", &r.description);
            e.roles.push(r.def.id.clone());
            e
        }));
    }
    for p in &m.pipelines {
        push(new(EntityKind::Pipeline, &p.def, None).map(|mut e| {
            pipeline_attrs(&mut e, p);
            e
        }));
        for (si, s) in p.stages.iter().enumerate() {
            let sid = format!("{}.{}", p.def.id, s.def.id);
            push(
                new(EntityKind::Stage, &s.def, Some(p.def.id.clone())).map(|mut e| {
                    role(&mut e, "owner", &s.owner);
                    duration(&mut e, "sla", s.sla.as_ref().map(|d| &d.value));
                    refs(&mut e, "requires", RefKind::Training, &s.requires);
                    texts(&mut e, "entry", &s.entry, true);
                    texts(&mut e, "exit", &s.exit, true);
                    if s.terminal {
                        e.attrs.insert(
                            ("terminal", None),
                            Attr {
                                shown: "true".into(),
                                value: Val::Flag,
                            },
                        );
                    }
                    text(&mut e, "guidance", &s.guidance);
                    text(&mut e, "description", &s.description);
                    e.roles.extend(s.owner.iter().map(|r| r.name.clone()));
                    e
                }),
            );
            for t in &s.tasks {
                push(
                    new(EntityKind::Task, &t.def, Some(sid.clone())).map(|mut e| {
                        let owner = t.owner.as_ref().or(s.owner.as_ref());
                        role(&mut e, "owner", &owner.cloned());
                        e.inherits_owner = t.owner.is_none();
                        duration(&mut e, "due", t.due.as_ref().map(|d| &d.value));
                        text(&mut e, "done_when", &t.done_when);
                        text(&mut e, "guidance", &t.guidance);
                        text(&mut e, "description", &t.description);
                        e.roles.extend(owner.map(|r| r.name.clone()));
                        e
                    }),
                );
            }
            for t in &s.transitions {
                let Some(file) = key(t.loc.file) else {
                    continue;
                };
                let to = match t.target.target {
                    Some(i) => format!("{}.{}", p.def.id, p.stages[i].def.id),
                    None => format!("{}.{}", p.def.id, t.target.name),
                };
                let mut e = Entity {
                    kind: EntityKind::Transition,
                    file,
                    file_id: t.loc.file,
                    pos: t.loc.span.start,
                    block: t.loc.span,
                    parent: Some(p.def.id.clone()),
                    local: Local::Transition {
                        from: sid.clone(),
                        to,
                    },
                    title: None,
                    attrs: BTreeMap::new(),
                    inherits_owner: false,
                    roles: p.stages[si].owner.iter().map(|r| r.name.clone()).collect(),
                };
                text(&mut e, "when", &t.when);
                push(Some(e));
            }
        }
    }
    for t in &m.trainings {
        push(new(EntityKind::Training, &t.def, None).map(|mut e| {
            refs(&mut e, "for", RefKind::Role, &t.for_roles);
            if let Some(w) = &t.when {
                let (shown, value) = match &w.value {
                    TrainingWhen::NewHire(_) => ("new_hire".to_string(), None),
                    TrainingWhen::Ongoing(_) => ("ongoing".to_string(), None),
                    TrainingWhen::Cadence(c) => {
                        let (shown, days) = cadence_value(c);
                        (shown, Some(days))
                    }
                };
                let value = match value {
                    Some(days) => Val::Cadence(days),
                    None => Val::Text(shown.clone()),
                };
                insert(&mut e, "when", shown, value);
            }
            texts(&mut e, "topics", &t.topics, true);
            texts(&mut e, "format", &t.format, false);
            duration(&mut e, "duration", t.duration.as_ref().map(|d| &d.value));
            refs(&mut e, "requires", RefKind::Training, &t.requires);
            text(&mut e, "assessment", &t.assessment);
            text(&mut e, "description", &t.description);
            e.roles.extend(t.for_roles.iter().map(|r| r.name.clone()));
            e
        }));
    }
    for k in &m.kpis {
        push(new(EntityKind::Kpi, &k.def, None).map(|mut e| {
            if let Some(kind) = k.kind {
                let shown = match kind {
                    crate::syntax::KpiKind::Quantitative => "quantitative",
                    crate::syntax::KpiKind::Qualitative => "qualitative",
                };
                insert(&mut e, "kind", shown.into(), Val::Text(shown.into()));
            }
            text(&mut e, "unit", &k.unit);
            if let Some(measure) = k.measure {
                let shown = measure.keyword();
                insert(&mut e, "measure", shown.into(), Val::Text(shown.into()));
            }
            if let Some(t) = &k.target {
                let per = t.per.map(|p| p.keyword());
                let (shown, value) = target(t.comparator.symbol(), &t.quantity, per);
                insert(&mut e, "target", shown, value);
            }
            role(&mut e, "owner", &k.owner);
            text(&mut e, "source", &k.source);
            cadence(&mut e, "review", k.review.as_ref().map(|c| &c.value));
            if let Some(s) = &k.stage {
                let shown = match &s.pipeline {
                    Some(p) => format!("{p}.{}", s.stage),
                    None => s.stage.clone(),
                };
                let qualified = match s.target {
                    Some((pi, si)) => {
                        let p = &m.pipelines[pi];
                        format!("{}.{}", p.def.id, p.stages[si].def.id)
                    }
                    None => shown.clone(),
                };
                let value = Val::List {
                    kind: RefKind::Stage,
                    items: vec![qualified],
                    ordered: true,
                };
                insert(&mut e, "stage", shown, value);
            }
            text(&mut e, "description", &k.description);
            e.roles.extend(k.owner.iter().map(|r| r.name.clone()));
            e
        }));
    }
    for f in &m.feedbacks {
        push(new(EntityKind::Feedback, &f.def, None).map(|mut e| {
            cadence(&mut e, "cadence", f.cadence.as_ref().map(|c| &c.value));
            role(&mut e, "owner", &f.owner);
            refs(&mut e, "with", RefKind::Role, &f.with);
            refs(&mut e, "covers", RefKind::Kpi, &f.covers);
            text(&mut e, "description", &f.description);
            e.roles.extend(f.owner.iter().map(|r| r.name.clone()));
            e.roles.extend(f.with.iter().map(|r| r.name.clone()));
            e
        }));
    }
    out
}

/// A pipeline's own attributes.
fn pipeline_attrs(e: &mut Entity, p: &model::Pipeline) {
    // The stage the work enters at, written or not: moving the first stage changes it too.
    if let Some(i) = p.start_stage() {
        let local = &p.stages[i].def.id;
        let value = Val::List {
            kind: RefKind::Stage,
            items: vec![format!("{}.{local}", p.def.id)],
            ordered: true,
        };
        insert(e, "start", local.clone(), value);
    } else if let Some(r) = &p.start {
        insert(e, "start", r.name.clone(), Val::Text(r.name.clone()));
    }
    if let Some(case) = &p.case {
        let shown = fold(case);
        insert(e, "case", shown.clone(), Val::Text(shown));
    }
    text(e, "description", &p.description);
}

fn insert(e: &mut Entity, name: &'static str, shown: String, value: Val) {
    e.attrs.insert((name, None), Attr { shown, value });
}

fn text(e: &mut Entity, name: &'static str, t: &Option<Text>) {
    if let Some(t) = t {
        let folded = fold(&t.value);
        insert(e, name, folded.clone(), Val::Text(folded));
    }
}

fn role(e: &mut Entity, name: &'static str, r: &Option<Ref>) {
    if let Some(r) = r {
        refs(e, name, RefKind::Role, std::slice::from_ref(r));
    }
}

fn refs(e: &mut Entity, name: &'static str, kind: RefKind, rs: &[Ref]) {
    if rs.is_empty() {
        return;
    }
    let items: Vec<String> = rs.iter().map(|r| r.name.clone()).collect();
    let shown = items.join(", ");
    let value = Val::List {
        kind,
        items,
        ordered: false,
    };
    insert(e, name, shown, value);
}

fn texts(e: &mut Entity, name: &'static str, ts: &[Text], ordered: bool) {
    if ts.is_empty() {
        return;
    }
    let items: Vec<String> = ts.iter().map(|t| fold(&t.value)).collect();
    let shown = items
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let value = Val::List {
        kind: RefKind::Plain,
        items,
        ordered,
    };
    insert(e, name, shown, value);
}

fn duration(e: &mut Entity, name: &'static str, d: Option<&Duration>) {
    if let Some(d) = d {
        insert(e, name, d.text.clone(), Val::Duration(minutes(d)));
    }
}

fn minutes(d: &Duration) -> Option<u64> {
    d.amount.and_then(|a| a.checked_mul(d.unit.minutes()))
}

fn cadence(e: &mut Entity, name: &'static str, c: Option<&Cadence>) {
    if let Some(c) = c {
        let (shown, days) = cadence_value(c);
        insert(e, name, shown, Val::Cadence(days));
    }
}

/// A cadence as written, and how many minutes apart its occasions are.
fn cadence_value(c: &Cadence) -> (String, Option<u64>) {
    const DAY: u64 = 60 * 24;
    match c {
        Cadence::Named(n, _) => {
            let days = match n {
                NamedCadence::Daily => 1,
                NamedCadence::Weekly => 7,
                NamedCadence::Biweekly => 14,
                NamedCadence::Monthly => 30,
                NamedCadence::Quarterly => 91,
                NamedCadence::Yearly => 365,
            };
            (n.keyword().to_string(), Some(days * DAY))
        }
        Cadence::Every(d, _) => (format!("every {}", d.text), minutes(d)),
    }
}

fn target(comparator: &'static str, q: &Quantity, per: Option<&str>) -> (String, Val) {
    let mut shown = format!("{comparator} {}", q.text);
    let mut unit = String::new();
    if q.percent {
        unit.push('%');
    }
    if let Some(u) = &q.unit {
        shown.push(' ');
        shown.push_str(&u.name);
        unit.push_str(&u.name);
    }
    if let Some(per) = per {
        shown.push_str(" per ");
        shown.push_str(per);
        unit.push_str(" per ");
        unit.push_str(per);
    }
    let value = Val::Target {
        comparator,
        value: q.value,
        unit,
    };
    (shown, value)
}
