//! AST to model: collect the definitions of a document, report duplicates and impossible values,
//! resolve every name, and build each pipeline's graph.

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use super::source_db::SourceDb;
use super::types::*;
use crate::diag::{Diagnostic, FileId, Loc, did_you_mean};
use crate::syntax::{
    self, Attr, AttrKey, Block, BlockKind, Cadence, Item, Span, TrainingWhen, Value,
};

/// Builds the model of the document made of `files` (reading order, `root` last).
pub fn lower(db: &SourceDb, files: &[FileId], root: FileId) -> (Model, Vec<Diagnostic>) {
    let mut cx = Lowering {
        diags: Vec::new(),
        model: Model {
            root: Some(root),
            files: files.to_vec(),
            ..Model::default()
        },
        seen: HashMap::new(),
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
                    Diagnostic::new(
                        "duplicate-definition",
                        Loc::new(self.file, attr.span),
                        format!("`{key_word}` is given twice"),
                    )
                    .with_label("given again here")
                    .with_secondary(Loc::new(self.file, *earlier), "first given here")
                    .with_help(format!(
                        "keep one `{key_word}`: a block has a single `{key_word}`"
                    ))
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
                    Diagnostic::new(
                        "duplicate-definition",
                        Loc::new(file, block.header_span()),
                        "a document has one `sop` header; this is the second".to_string(),
                    )
                    .with_label("second header")
                    .with_secondary(earlier, "first header")
                    .with_help("merge the two headers into one")
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
                    m.goal_index.insert(g.def.id.clone(), m.goals.len());
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
                    m.role_index.insert(r.def.id.clone(), m.roles.len());
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
                    m.training_index.insert(t.def.id.clone(), m.trainings.len());
                    m.trainings.push(t);
                }
            }
            BlockKind::Kpi => {
                let k = self.kpi(file, block);
                if fresh {
                    let m = &mut self.model;
                    m.kpi_index.insert(k.def.id.clone(), m.kpis.len());
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

    /// Records a top-level definition; false (and a diagnostic) when its id is taken.
    fn define(&mut self, file: FileId, block: &Block) -> bool {
        let key = (block.kind, block.id.name.clone());
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

    fn header(&mut self, file: FileId, block: &Block) -> Header {
        let mut h = Header {
            def: def(file, block),
            version: None,
            owner: None,
            review: None,
            lang: None,
            summary: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
            match (&attr.key, &attr.value) {
                (AttrKey::Version, Value::Str(s)) => h.version = Some(text(file, s)),
                (AttrKey::Owner, Value::Ident(i)) => h.owner = Some(unresolved(file, i)),
                (AttrKey::Review, Value::Cadence(c)) => h.review = Some(self.cadence(file, c)),
                (AttrKey::Lang, Value::Str(s)) => {
                    if s.value != "en" && s.value != "zh" {
                        self.diags.push(
                            Diagnostic::new(
                                "invalid-value",
                                Loc::new(file, s.span),
                                format!("`lang` must be \"en\" or \"zh\", not \"{}\"", s.value),
                            )
                            .with_label("unknown language")
                            .with_help("write `lang \"en\"` for English labels or `lang \"zh\"` for Chinese ones"),
                        );
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

    fn goal(&mut self, file: FileId, block: &Block) -> Goal {
        let mut g = Goal {
            def: def(file, block),
            targets: Vec::new(),
            region: None,
            product: None,
            owner: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    fn strategy(&mut self, file: FileId, block: &Block) -> Strategy {
        let mut s = Strategy {
            def: def(file, block),
            supports: Vec::new(),
            owner: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    fn role(&mut self, file: FileId, block: &Block) -> Role {
        let mut r = Role {
            def: def(file, block),
            responsibilities: Vec::new(),
            skills: Vec::new(),
            reports_to: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    fn pipeline(&mut self, file: FileId, block: &Block) -> Pipeline {
        let mut p = Pipeline {
            def: def(file, block),
            start: None,
            stages: Vec::new(),
            graph: DiGraph::new(),
            description: None,
            stage_index: HashMap::new(),
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
            match (&attr.key, &attr.value) {
                (AttrKey::Start, Value::Ident(i)) => p.start = Some(unresolved(file, i)),
                (AttrKey::Description, Value::Str(s)) => p.description = Some(text(file, s)),
                _ => {}
            }
        }
        let mut first_loc: HashMap<String, Loc> = HashMap::new();
        for sb in block.blocks() {
            let loc = Loc::new(file, sb.header_span());
            if let Some(earlier) = first_loc.get(&sb.id.name) {
                self.diags
                    .push(duplicate("stage", &sb.id.name, loc, *earlier, "pipeline"));
                self.stage(file, sb);
                continue;
            }
            first_loc.insert(sb.id.name.clone(), loc);
            let mut stage = self.stage(file, sb);
            stage.node = p.graph.add_node(p.stages.len());
            p.stage_index.insert(stage.def.id.clone(), p.stages.len());
            p.stages.push(stage);
        }
        // Stage names resolve within their pipeline, so do it here.
        if let Some(start) = &mut p.start {
            start.target = p.stage_index.get(&start.name).copied();
            if start.target.is_none() {
                let start = start.clone();
                self.diags.push(undefined_stage(&start, &p));
            }
        }
        for si in 0..p.stages.len() {
            for ti in 0..p.stages[si].transitions.len() {
                let target = p
                    .stage_index
                    .get(&p.stages[si].transitions[ti].target.name)
                    .copied();
                p.stages[si].transitions[ti].target.target = target;
                match target {
                    Some(to) => {
                        let (a, b) = (p.stages[si].node, p.stages[to].node);
                        p.graph.add_edge(a, b, ti);
                    }
                    None => {
                        let r = p.stages[si].transitions[ti].target.clone();
                        self.diags.push(undefined_stage(&r, &p));
                    }
                }
            }
        }
        p
    }

    fn stage(&mut self, file: FileId, block: &Block) -> Stage {
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
                    if let Some(earlier) = s.tasks.iter().find(|t| t.def.id == tb.id.name) {
                        let earlier = earlier.def.loc;
                        self.diags
                            .push(duplicate("task", &tb.id.name, loc, earlier, "stage"));
                        self.task(file, tb);
                        continue;
                    }
                    let task = self.task(file, tb);
                    s.tasks.push(task);
                }
            }
        }
        s
    }

    fn task(&mut self, file: FileId, block: &Block) -> Task {
        let mut t = Task {
            def: def(file, block),
            owner: None,
            due: None,
            done_when: None,
            guidance: None,
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    fn training(&mut self, file: FileId, block: &Block) -> Training {
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
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    fn kpi(&mut self, file: FileId, block: &Block) -> Kpi {
        let mut k = Kpi {
            def: def(file, block),
            kind: None,
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
                    Diagnostic::new(
                        "duplicate-definition",
                        Loc::new(file, attr.span),
                        "`target` is given twice",
                    )
                    .with_label("given again here")
                    .with_secondary(earlier, "first given here")
                    .with_help("a kpi has one `target`; keep one")
                    .with_names(["target"]),
                );
                continue;
            }
            if !once.first(attr, &mut self.diags) {
                continue;
            }
            match (&attr.key, &attr.value) {
                (AttrKey::Kind, Value::KpiKind(kind, _)) => k.kind = Some(*kind),
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

    fn feedback(&mut self, file: FileId, block: &Block) -> Feedback {
        let mut f = Feedback {
            def: def(file, block),
            cadence: None,
            owner: None,
            with: Vec::new(),
            covers: Vec::new(),
            description: None,
        };
        let mut once = Once::new(file);
        for attr in block.attrs() {
            if !once.first(attr, &mut self.diags) {
                continue;
            }
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

    // ------------------------------------------------------------ values

    fn duration(&mut self, file: FileId, d: &syntax::Duration) -> At<syntax::Duration> {
        match d.amount {
            Some(0) => self.diags.push(
                Diagnostic::new(
                    "invalid-value",
                    Loc::new(file, d.span),
                    format!("duration `{}` is zero", d.text),
                )
                .with_label("zero")
                .with_help("give a time longer than zero, e.g. `24h`"),
            ),
            Some(n) if n.checked_mul(d.unit.minutes()).is_some() => {}
            _ => self.diags.push(
                Diagnostic::new(
                    "invalid-value",
                    Loc::new(file, d.span),
                    format!("duration `{}` is too long", d.text),
                )
                .with_label("too long")
                .with_help("use a larger unit, e.g. `2w` instead of `20160m`"),
            ),
        }
        At {
            value: d.clone(),
            loc: Loc::new(file, d.span),
        }
    }

    fn cadence(&mut self, file: FileId, c: &Cadence) -> At<Cadence> {
        if let Cadence::Every(d, _) = c {
            self.duration(file, d);
        }
        At {
            value: c.clone(),
            loc: Loc::new(file, c.span()),
        }
    }

    fn quantity(&mut self, file: FileId, q: &syntax::Quantity) {
        if q.percent && q.value > 100.0 {
            self.diags.push(
                Diagnostic::new(
                    "invalid-value",
                    Loc::new(file, q.number_span),
                    format!("percentage `{}` is over 100%", q.text),
                )
                .with_label("over 100%")
                .with_help("a percentage is between 0% and 100%"),
            );
        } else if !q.value.is_finite() {
            self.diags.push(
                Diagnostic::new(
                    "invalid-value",
                    Loc::new(file, q.number_span),
                    format!("number `{}` is too large", q.text),
                )
                .with_label("too large"),
            );
        }
    }

    fn date(&mut self, file: FileId, d: &syntax::Date) {
        if !date_exists(d.year, d.month, d.day) {
            self.diags.push(
                Diagnostic::new(
                    "invalid-value",
                    Loc::new(file, d.span),
                    format!("date `{}` does not exist", d.text),
                )
                .with_label("no such day")
                .with_help(date_help(d)),
            );
        }
    }

    // ------------------------------------------------------------ names

    fn resolve(&mut self) {
        let m = &mut self.model;
        let diags = &mut self.diags;
        let roles = &m.role_index;
        let trainings = &m.training_index;
        let kpis = &m.kpi_index;
        let goals = &m.goal_index;
        let mut role = |r: &mut Ref| resolve_in(r, roles, "role", diags);
        if let Some(h) = &mut m.header
            && let Some(o) = &mut h.owner
        {
            role(o);
        }
        for g in &mut m.goals {
            if let Some(o) = &mut g.owner {
                role(o);
            }
        }
        for s in &mut m.strategies {
            if let Some(o) = &mut s.owner {
                role(o);
            }
        }
        for r in &mut m.roles {
            if let Some(o) = &mut r.reports_to {
                role(o);
            }
        }
        for p in &mut m.pipelines {
            for s in &mut p.stages {
                if let Some(o) = &mut s.owner {
                    role(o);
                }
                for t in &mut s.tasks {
                    if let Some(o) = &mut t.owner {
                        role(o);
                    }
                }
            }
        }
        for t in &mut m.trainings {
            t.for_roles.iter_mut().for_each(&mut role);
        }
        for k in &mut m.kpis {
            if let Some(o) = &mut k.owner {
                role(o);
            }
        }
        for f in &mut m.feedbacks {
            if let Some(o) = &mut f.owner {
                role(o);
            }
            f.with.iter_mut().for_each(&mut role);
        }
        for p in &mut m.pipelines {
            for s in &mut p.stages {
                for r in &mut s.requires {
                    resolve_in(r, trainings, "training", diags);
                }
            }
        }
        for t in &mut m.trainings {
            for r in &mut t.requires {
                resolve_in(r, trainings, "training", diags);
            }
        }
        for g in &mut m.goals {
            for t in &mut g.targets {
                resolve_in(&mut t.kpi, kpis, "kpi", diags);
            }
        }
        for s in &mut m.strategies {
            for r in &mut s.supports {
                resolve_in(r, goals, "goal", diags);
            }
        }
        for f in &mut m.feedbacks {
            for r in &mut f.covers {
                resolve_in(r, kpis, "kpi", diags);
            }
        }
        let pipelines = &m.pipelines;
        for k in &mut m.kpis {
            if let Some(sr) = &mut k.stage {
                resolve_stage_ref(sr, pipelines, diags);
            }
        }
    }
}

fn duplicate(kind: &str, id: &str, loc: Loc, earlier: Loc, scope: &str) -> Diagnostic {
    Diagnostic::new(
        "duplicate-definition",
        loc,
        format!("{kind} `{id}` is defined twice"),
    )
    .with_label("defined again here")
    .with_secondary(earlier, "first defined here")
    .with_help(format!(
        "rename one of them: {kind} ids are unique within a {scope}"
    ))
    .with_names([id])
}

fn resolve_in(
    r: &mut Ref,
    index: &HashMap<String, usize>,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) {
    r.target = index.get(&r.name).copied();
    if r.target.is_none() {
        diags.push(undefined(r, kind, index.keys().map(String::as_str)));
    }
}

fn undefined<'a>(r: &Ref, kind: &str, candidates: impl Iterator<Item = &'a str>) -> Diagnostic {
    let mut names: Vec<&str> = candidates.collect();
    names.sort_unstable();
    let help = match did_you_mean(&r.name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "define it with `{kind} {} {{ ... }}` or import the file that does",
            r.name
        ),
    };
    Diagnostic::new(
        "undefined-reference",
        r.loc,
        format!("no {kind} named `{}`", r.name),
    )
    .with_label(format!("not a defined {kind}"))
    .with_help(help)
    .with_names([r.name.clone()])
}

fn undefined_stage(r: &Ref, p: &Pipeline) -> Diagnostic {
    let mut names: Vec<&str> = p.stage_index.keys().map(String::as_str).collect();
    names.sort_unstable();
    let help = match did_you_mean(&r.name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "add `stage {} {{ ... }}` to pipeline `{}`",
            r.name, p.def.id
        ),
    };
    Diagnostic::new(
        "undefined-reference",
        r.loc,
        format!("no stage named `{}` in pipeline `{}`", r.name, p.def.id),
    )
    .with_label("not a stage of this pipeline")
    .with_help(help)
    .with_names([r.name.clone()])
}

fn resolve_stage_ref(sr: &mut StageRef, pipelines: &[Pipeline], diags: &mut Vec<Diagnostic>) {
    let written = match &sr.pipeline {
        Some(p) => format!("{p}.{}", sr.stage),
        None => sr.stage.clone(),
    };
    let all: Vec<String> = pipelines
        .iter()
        .flat_map(|p| {
            p.stages
                .iter()
                .map(move |s| format!("{}.{}", p.def.id, s.def.id))
        })
        .collect();
    let fail = |message: String, help: String| {
        Diagnostic::new("undefined-reference", sr.loc, message)
            .with_label("not a stage")
            .with_help(help)
            .with_names([written.clone()])
    };
    match &sr.pipeline {
        Some(pname) => {
            let Some(pi) = pipelines.iter().position(|p| &p.def.id == pname) else {
                let names: Vec<&str> = pipelines.iter().map(|p| p.def.id.as_str()).collect();
                let help = did_you_mean(pname, names).map_or_else(
                    || format!("define `pipeline {pname}` or name an existing one"),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(fail(format!("no pipeline named `{pname}`"), help));
                return;
            };
            match pipelines[pi].stage_index.get(&sr.stage) {
                Some(&si) => sr.target = Some((pi, si)),
                None => diags.push(undefined_stage(
                    &Ref {
                        name: sr.stage.clone(),
                        loc: sr.loc,
                        target: None,
                    },
                    &pipelines[pi],
                )),
            }
        }
        None => {
            let found: Vec<(usize, usize)> = pipelines
                .iter()
                .enumerate()
                .filter_map(|(pi, p)| p.stage_index.get(&sr.stage).map(|&si| (pi, si)))
                .collect();
            match found.as_slice() {
                [one] => sr.target = Some(*one),
                [] => {
                    let stage_names: Vec<&str> = pipelines
                        .iter()
                        .flat_map(|p| p.stages.iter().map(|s| s.def.id.as_str()))
                        .collect();
                    let help = did_you_mean(&sr.stage, stage_names).map_or_else(
                        || "name a stage of one of the document's pipelines".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    diags.push(fail(format!("no stage named `{}`", sr.stage), help));
                }
                many => {
                    let choices: Vec<String> = many
                        .iter()
                        .map(|(pi, si)| format!("`{}`", all_name(pipelines, *pi, *si)))
                        .collect();
                    diags.push(fail(
                        format!("stage `{}` is in more than one pipeline", sr.stage),
                        format!("say which: {}", choices.join(" or ")),
                    ));
                }
            }
        }
    }
    let _ = all;
}

fn all_name(pipelines: &[Pipeline], pi: usize, si: usize) -> String {
    format!(
        "{}.{}",
        pipelines[pi].def.id, pipelines[pi].stages[si].def.id
    )
}

fn date_exists(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn date_help(d: &syntax::Date) -> String {
    if !(1..=12).contains(&d.month) {
        "months run from 01 to 12".to_string()
    } else {
        format!("that month has no day {:02}", d.day)
    }
}
