//! Model -> [`DocumentView`]: every reference resolved to an id and a title.

use super::labels::Lang;
use super::view::*;
use crate::model::{self, Def, Model, Ref, Text};
use crate::syntax::{self, Cadence, Duration, Quantity, TrainingWhen};

impl DocumentView {
    /// The view of a document. `lang` overrides the header's `lang`.
    pub fn from_model(m: &Model, lang: Option<Lang>) -> DocumentView {
        let lang = lang
            .or_else(|| {
                let h = m.header.as_ref()?;
                Lang::parse(&h.lang.as_ref()?.value)
            })
            .unwrap_or_default();
        let cx = Cx { m };
        DocumentView {
            schema_version: SchemaVersion,
            lang,
            sop: cx.sop(),
            goals: m.goals.iter().map(|g| cx.goal(g)).collect(),
            strategies: m.strategies.iter().map(|s| cx.strategy(s)).collect(),
            roles: m.roles.iter().map(|r| cx.role(r)).collect(),
            pipelines: (m.pipelines.iter().enumerate())
                .map(|(i, p)| cx.pipeline(i, p))
                .collect(),
            trainings: m.trainings.iter().map(|t| cx.training(t)).collect(),
            kpis: m.kpis.iter().map(|k| cx.kpi(k)).collect(),
            feedback: m.feedbacks.iter().map(|f| cx.feedback(f)).collect(),
        }
    }
}

struct Cx<'m> {
    m: &'m Model,
}

fn def_ref(d: &Def) -> RefView {
    RefView {
        id: d.id.clone(),
        title: d.display_title().to_string(),
    }
}

/// A reference into `defs` (a namespace of the model), falling back to the name as written.
fn resolve<T>(r: &Ref, defs: &[T], def: impl Fn(&T) -> &Def) -> RefView {
    match r.target.and_then(|i| defs.get(i)) {
        Some(t) => def_ref(def(t)),
        None => RefView {
            id: r.name.clone(),
            title: r.name.clone(),
        },
    }
}

fn text(t: &Option<Text>) -> Option<String> {
    t.as_ref().map(|t| t.value.clone())
}

fn texts(ts: &[Text]) -> Vec<String> {
    ts.iter().map(|t| t.value.clone()).collect()
}

fn duration(d: &Duration) -> DurationView {
    DurationView {
        text: d.text.clone(),
        minutes: d.amount.and_then(|a| a.checked_mul(d.unit.minutes())),
    }
}

/// `quarterly`, `every 2w`.
pub(super) fn cadence(c: &Cadence) -> String {
    match c {
        Cadence::Named(n, _) => n.keyword().to_string(),
        Cadence::Every(d, _) => format!("every {}", d.text),
    }
}

fn quantity(q: &Quantity) -> QuantityView {
    QuantityView {
        text: q.text.clone(),
        value: q.value,
        percent: q.percent,
        unit: q.unit.as_ref().map(|u| u.name.clone()),
    }
}

impl Cx<'_> {
    fn role_ref(&self, r: &Ref) -> RefView {
        resolve(r, &self.m.roles, |x| &x.def)
    }

    fn roles(&self, rs: &[Ref]) -> Vec<RefView> {
        rs.iter().map(|r| self.role_ref(r)).collect()
    }

    fn training_refs(&self, rs: &[Ref]) -> Vec<RefView> {
        rs.iter()
            .map(|r| resolve(r, &self.m.trainings, |x| &x.def))
            .collect()
    }

    fn kpi_ref(&self, r: &Ref) -> RefView {
        resolve(r, &self.m.kpis, |x| &x.def)
    }

    fn stage_ref(&self, p: &model::Pipeline, s: &model::Stage) -> RefView {
        RefView {
            id: format!("{}.{}", p.def.id, s.def.id),
            title: s.def.display_title().to_string(),
        }
    }

    fn sop(&self) -> SopView {
        let Some(h) = &self.m.header else {
            return SopView {
                id: String::new(),
                title: String::new(),
                version: None,
                owner: None,
                review: None,
                reviewed: None,
                summary: None,
                description: None,
            };
        };
        SopView {
            id: h.def.id.clone(),
            title: h.def.display_title().to_string(),
            version: text(&h.version),
            owner: h.owner.as_ref().map(|r| self.role_ref(r)),
            review: h.review.as_ref().map(|c| cadence(&c.value)),
            reviewed: h.reviewed.as_ref().map(|d| d.text.clone()),
            summary: text(&h.summary),
            description: text(&h.description),
        }
    }

    fn goal(&self, g: &model::Goal) -> GoalView {
        GoalView {
            id: g.def.id.clone(),
            title: g.def.display_title().to_string(),
            targets: g
                .targets
                .iter()
                .map(|t| GoalTargetView {
                    kpi: self.kpi_ref(&t.kpi),
                    comparator: t.comparator,
                    quantity: quantity(&t.quantity),
                    by: t.by.as_ref().map(|d| d.text.clone()),
                })
                .collect(),
            region: text(&g.region),
            product: text(&g.product),
            owner: g.owner.as_ref().map(|r| self.role_ref(r)),
            description: text(&g.description),
        }
    }

    fn strategy(&self, s: &model::Strategy) -> StrategyView {
        StrategyView {
            id: s.def.id.clone(),
            title: s.def.display_title().to_string(),
            supports: s
                .supports
                .iter()
                .map(|r| resolve(r, &self.m.goals, |x| &x.def))
                .collect(),
            owner: s.owner.as_ref().map(|r| self.role_ref(r)),
            description: text(&s.description),
        }
    }

    fn role(&self, r: &model::Role) -> RoleView {
        let is_me = |o: &Option<Ref>| o.as_ref().is_some_and(|o| o.name == r.def.id);
        let mut owns = OwnsView::default();
        for p in &self.m.pipelines {
            for s in &p.stages {
                if is_me(&s.owner) {
                    owns.stages.push(self.stage_ref(p, s));
                }
                for t in &s.tasks {
                    let owner = if t.owner.is_some() {
                        &t.owner
                    } else {
                        &s.owner
                    };
                    if is_me(owner) {
                        owns.tasks.push(RefView {
                            id: format!("{}.{}.{}", p.def.id, s.def.id, t.def.id),
                            title: t.def.display_title().to_string(),
                        });
                    }
                }
            }
        }
        owns.kpis = (self.m.kpis.iter())
            .filter(|k| is_me(&k.owner))
            .map(|k| def_ref(&k.def))
            .collect();
        owns.feedback = (self.m.feedbacks.iter())
            .filter(|f| is_me(&f.owner))
            .map(|f| def_ref(&f.def))
            .collect();
        RoleView {
            id: r.def.id.clone(),
            title: r.def.display_title().to_string(),
            responsibilities: texts(&r.responsibilities),
            skills: texts(&r.skills),
            reports_to: r.reports_to.as_ref().map(|x| self.role_ref(x)),
            description: text(&r.description),
            owns,
            trainings: (self.m.trainings.iter())
                .filter(|t| t.for_roles.iter().any(|f| f.name == r.def.id))
                .map(|t| def_ref(&t.def))
                .collect(),
        }
    }

    fn pipeline(&self, pi: usize, p: &model::Pipeline) -> PipelineView {
        let start = p.start_stage();
        PipelineView {
            id: p.def.id.clone(),
            title: p.def.display_title().to_string(),
            description: text(&p.description),
            start: start
                .and_then(|i| p.stages.get(i))
                .map(|s| self.stage_ref(p, s)),
            case: p.case.clone(),
            stages: (p.stages.iter().enumerate())
                .map(|(si, s)| self.stage(p, s, (pi, si), start == Some(si)))
                .collect(),
        }
    }

    fn stage(
        &self,
        p: &model::Pipeline,
        s: &model::Stage,
        at: (usize, usize),
        is_start: bool,
    ) -> StageView {
        let me = self.stage_ref(p, s);
        StageView {
            id: me.id.clone(),
            local_id: s.def.id.clone(),
            title: me.title.clone(),
            owner: s.owner.as_ref().map(|r| self.role_ref(r)),
            sla: s.sla.as_ref().map(|d| duration(&d.value)),
            requires: self.training_refs(&s.requires),
            entry: texts(&s.entry),
            exit: texts(&s.exit),
            terminal: s.terminal,
            start: is_start,
            guidance: text(&s.guidance),
            description: text(&s.description),
            tasks: s
                .tasks
                .iter()
                .map(|t| TaskView {
                    id: format!("{}.{}", me.id, t.def.id),
                    local_id: t.def.id.clone(),
                    title: t.def.display_title().to_string(),
                    owner: t
                        .owner
                        .as_ref()
                        .or(s.owner.as_ref())
                        .map(|r| self.role_ref(r)),
                    owner_inherited: t.owner.is_none() && s.owner.is_some(),
                    due: t.due.as_ref().map(|d| duration(&d.value)),
                    done_when: text(&t.done_when),
                    guidance: text(&t.guidance),
                    description: text(&t.description),
                })
                .collect(),
            transitions: s
                .transitions
                .iter()
                .map(|t| TransitionView {
                    to: match t.target.target.and_then(|i| p.stages.get(i)) {
                        Some(target) => self.stage_ref(p, target),
                        None => RefView {
                            id: format!("{}.{}", p.def.id, t.target.name),
                            title: t.target.name.clone(),
                        },
                    },
                    when: text(&t.when),
                })
                .collect(),
            kpis: (self.m.kpis.iter())
                .filter(|k| k.stage.as_ref().and_then(|sr| sr.target) == Some(at))
                .map(|k| def_ref(&k.def))
                .collect(),
        }
    }

    fn training(&self, t: &model::Training) -> TrainingView {
        TrainingView {
            id: t.def.id.clone(),
            title: t.def.display_title().to_string(),
            for_roles: self.roles(&t.for_roles),
            when: t.when.as_ref().map(|w| match &w.value {
                TrainingWhen::NewHire(_) => "new_hire".to_string(),
                TrainingWhen::Ongoing(_) => "ongoing".to_string(),
                TrainingWhen::Cadence(c) => cadence(c),
            }),
            topics: texts(&t.topics),
            format: texts(&t.format),
            duration: t.duration.as_ref().map(|d| duration(&d.value)),
            requires: self.training_refs(&t.requires),
            assessment: text(&t.assessment),
            description: text(&t.description),
        }
    }

    fn kpi(&self, k: &model::Kpi) -> KpiView {
        KpiView {
            id: k.def.id.clone(),
            title: k.def.display_title().to_string(),
            kind: k.kind.map(|kind| {
                match kind {
                    syntax::KpiKind::Quantitative => "quantitative",
                    syntax::KpiKind::Qualitative => "qualitative",
                }
                .to_string()
            }),
            measure: k.measure_in_effect(),
            unit: text(&k.unit),
            target: k.target.as_ref().map(|t| KpiTargetView {
                comparator: t.comparator,
                quantity: quantity(&t.quantity),
                per: t.per.map(|p| p.keyword().to_string()),
            }),
            owner: k.owner.as_ref().map(|r| self.role_ref(r)),
            source: text(&k.source),
            review: k.review.as_ref().map(|c| cadence(&c.value)),
            stage: k.stage.as_ref().map(|sr| {
                match sr
                    .target
                    .and_then(|(pi, si)| Some((self.m.pipelines.get(pi)?, si)))
                    .and_then(|(p, si)| Some((p, p.stages.get(si)?)))
                {
                    Some((p, s)) => self.stage_ref(p, s),
                    None => {
                        let id = match &sr.pipeline {
                            Some(p) => format!("{p}.{}", sr.stage),
                            None => sr.stage.clone(),
                        };
                        RefView {
                            title: sr.stage.clone(),
                            id,
                        }
                    }
                }
            }),
            description: text(&k.description),
        }
    }

    fn feedback(&self, f: &model::Feedback) -> FeedbackView {
        FeedbackView {
            id: f.def.id.clone(),
            title: f.def.display_title().to_string(),
            cadence: f.cadence.as_ref().map(|c| cadence(&c.value)),
            owner: f.owner.as_ref().map(|r| self.role_ref(r)),
            with: self.roles(&f.with),
            covers: f.covers.iter().map(|r| self.kpi_ref(r)).collect(),
            description: text(&f.description),
        }
    }
}
