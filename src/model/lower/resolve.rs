//! Every name to its definition, with a did-you-mean when it names nothing.

use std::borrow::Cow;
use std::collections::HashMap;

use super::Lowering;
use crate::diag::{Applicability, Diagnostic, FindingData, Fix, Loc, Suggester};
use crate::model::names::name_key;
use crate::model::types::*;

impl Lowering {
    pub(super) fn resolve(&mut self) {
        let unknown_stages = std::mem::take(&mut self.unknown_stages);
        let m = &mut self.model;
        let diags = &mut self.diags;
        // Suggestions show ids as their definitions write them.
        let ids = |defs: Vec<&Def>| defs.into_iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        let role_ids = ids(m.roles.iter().map(|r| &r.def).collect());
        let training_ids = ids(m.trainings.iter().map(|t| &t.def).collect());
        let kpi_ids = ids(m.kpis.iter().map(|k| &k.def).collect());
        let goal_ids = ids(m.goals.iter().map(|g| &g.def).collect());
        let mut roles = Namespace::new(&m.role_index, &role_ids, "role");
        let mut trainings = Namespace::new(&m.training_index, &training_ids, "training");
        let mut kpis = Namespace::new(&m.kpi_index, &kpi_ids, "kpi");
        let mut goals = Namespace::new(&m.goal_index, &goal_ids, "goal");
        for r in &mut m.roles {
            if let Some(o) = &mut r.reports_to {
                roles.resolve_in(o, diags, Some(&r.def.id));
            }
        }
        let mut role = |r: &mut Ref| roles.resolve_in(r, diags, None);
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
                    trainings.resolve(r, diags);
                }
            }
        }
        for t in &mut m.trainings {
            for r in &mut t.requires {
                trainings.resolve_in(r, diags, Some(&t.def.id));
            }
        }
        for g in &mut m.goals {
            for t in &mut g.targets {
                kpis.resolve(&mut t.kpi, diags);
            }
        }
        for s in &mut m.strategies {
            for r in &mut s.supports {
                goals.resolve(r, diags);
            }
        }
        for f in &mut m.feedbacks {
            for r in &mut f.covers {
                kpis.resolve(r, diags);
            }
        }
        let mut stages = StageLookup::new(&m.pipelines);
        for k in &mut m.kpis {
            if let Some(sr) = &mut k.stage {
                stages.resolve(sr, diags);
            }
        }
        for u in &unknown_stages {
            stages.report_unknown(u, diags);
        }
    }
}

/// The `start` and `->` of one pipeline that name none of its stages.
pub(super) struct UnknownStages {
    /// The pipeline's id.
    pub pipeline: String,
    /// The ids of its stages, in reading order.
    pub stages: Vec<String>,
    /// Each reference, with the stage it is written in (`None` for `start`).
    pub refs: Vec<(Ref, Option<String>)>,
}

/// One namespace of names, with its did-you-mean prepared the first time a name is unknown.
struct Namespace<'a> {
    /// Keyed by [`name_key`].
    index: &'a HashMap<String, usize>,
    /// The ids as written, for suggestions.
    ids: &'a [String],
    kind: &'static str,
    suggester: Option<Suggester<'a>>,
}

impl<'a> Namespace<'a> {
    fn new(index: &'a HashMap<String, usize>, ids: &'a [String], kind: &'static str) -> Self {
        Namespace {
            index,
            ids,
            kind,
            suggester: None,
        }
    }

    fn resolve(&mut self, r: &mut Ref, diags: &mut Vec<Diagnostic>) {
        self.resolve_in(r, diags, None);
    }

    /// Resolves `r`, written inside the definition `inside` of this namespace when it is one
    /// (a role's `reports_to`, a training's `requires`): that one is never suggested.
    fn resolve_in(&mut self, r: &mut Ref, diags: &mut Vec<Diagnostic>, inside: Option<&str>) {
        r.target = self.index.get(&*name_key(&r.name)).copied();
        if r.target.is_none() {
            let ids = self.ids;
            let names = self
                .suggester
                .get_or_insert_with(|| Suggester::new(ids.iter().map(String::as_str)));
            let suggestion = match inside {
                Some(me) => names.suggest_other(&r.name, me),
                None => names.suggest(&r.name),
            };
            let tied = suggestion.is_some_and(|s| names.tied(&r.name, s));
            diags.push(undefined(r, self.kind, suggestion, tied));
        }
    }
}

/// `tied`: another name is as close as the suggestion, so its fix is unsafe.
fn undefined(r: &Ref, kind: &'static str, suggestion: Option<&str>, tied: bool) -> Diagnostic {
    let d = Diagnostic::of(
        r.loc,
        FindingData::Undefined {
            namespace: kind,
            name: r.name.clone(),
            suggestion: suggestion.map(str::to_string),
            pipeline: None,
            elsewhere: Vec::new(),
        },
    )
    .with_names([r.name.clone()]);
    let applicability = if tied {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    match suggestion {
        Some(s) => d.with_fix(rename(r.loc, &r.name, s.to_string(), applicability)),
        None => d,
    }
}

/// A reference to a stage of pipeline `pipeline` that names none, written `written` (`stage` or
/// `pipeline.stage`); `suggestion` is what to write instead, in the same form. `elsewhere`: the
/// other pipelines that have a stage of that name, for a `->` or `start` (which cannot reach
/// them); with one, a suggestion of this pipeline may not be what was meant, so its fix is
/// unsafe, as it is when another stage is as close (`tied`).
fn undefined_stage(
    r: &Ref,
    written: &str,
    pipeline: &str,
    suggestion: Option<String>,
    elsewhere: Vec<String>,
    tied: bool,
) -> Diagnostic {
    let applicability = if elsewhere.is_empty() && !tied {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let d = Diagnostic::of(
        r.loc,
        FindingData::Undefined {
            namespace: "stage",
            name: r.name.clone(),
            suggestion: suggestion.clone(),
            pipeline: Some(pipeline.to_string()),
            elsewhere,
        },
    )
    .with_names([r.name.clone()]);
    match suggestion {
        Some(s) => d.with_fix(rename(r.loc, written, s, applicability)),
        None => d,
    }
}

/// The fix that writes `new` where `written` is.
fn rename(loc: Loc, written: &str, new: String, applicability: Applicability) -> Fix {
    Fix::replace(
        format!("change `{written}` to `{new}`"),
        loc,
        new,
        applicability,
    )
}

/// The stages of every pipeline, found by name without a search: a kpi's `stage` names one.
struct StageLookup<'a> {
    pipelines: &'a [Pipeline],
    by_id: HashMap<Cow<'a, str>, usize>,
    /// Stage id to the (pipeline, stage) pairs that have it, in reading order.
    by_stage: HashMap<&'a str, Vec<(usize, usize)>>,
    pipeline_names: Option<Suggester<'a>>,
    stage_names: Option<Suggester<'a>>,
    stages_of: HashMap<usize, Suggester<'a>>,
}

impl<'a> StageLookup<'a> {
    fn new(pipelines: &'a [Pipeline]) -> Self {
        let mut by_id = HashMap::new();
        let mut by_stage: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (pi, p) in pipelines.iter().enumerate() {
            by_id.entry(name_key(&p.def.id)).or_insert(pi);
            for (name, &si) in &p.stage_index {
                by_stage.entry(name.as_str()).or_default().push((pi, si));
            }
        }
        for found in by_stage.values_mut() {
            found.sort_unstable();
        }
        StageLookup {
            pipelines,
            by_id,
            by_stage,
            pipeline_names: None,
            stage_names: None,
            stages_of: HashMap::new(),
        }
    }

    fn resolve(&mut self, sr: &mut StageRef, diags: &mut Vec<Diagnostic>) {
        let pipelines = self.pipelines;
        let written = match &sr.pipeline {
            Some(p) => format!("{p}.{}", sr.stage),
            None => sr.stage.clone(),
        };
        let fail =
            |data: FindingData<Loc>| Diagnostic::of(sr.loc, data).with_names([written.clone()]);
        match &sr.pipeline {
            Some(pname) => {
                let Some(&pi) = self.by_id.get(&name_key(pname)) else {
                    // The one pipeline with that stage is what was meant, else the closest
                    // pipeline name.
                    let with_stage = self.others(&sr.stage, "");
                    let suggestion = match with_stage.as_slice() {
                        [one] => pipelines
                            .iter()
                            .find(|p| p.def.id == *one)
                            .map(|p| p.def.id.as_str()),
                        _ => self
                            .pipeline_names
                            .get_or_insert_with(|| {
                                Suggester::new(pipelines.iter().map(|p| p.def.id.as_str()))
                            })
                            .suggest(pname),
                    };
                    let d = fail(FindingData::Undefined {
                        namespace: "pipeline",
                        name: pname.clone(),
                        suggestion: suggestion.map(str::to_string),
                        pipeline: None,
                        elsewhere: Vec::new(),
                    });
                    diags.push(match suggestion {
                        Some(s) => d.with_fix(rename(
                            sr.loc,
                            &written,
                            format!("{s}.{}", sr.stage),
                            Applicability::Safe,
                        )),
                        None => d,
                    });
                    return;
                };
                let p = &pipelines[pi];
                match p.stage_index.get(&*name_key(&sr.stage)) {
                    Some(&si) => sr.target = Some((pi, si)),
                    None => {
                        // The stage named in the one other pipeline that has it is what was
                        // meant, before a near miss in this one.
                        let others = self.other_pipelines(&sr.stage, pi);
                        let mut tied = false;
                        let suggestion = match others.as_slice() {
                            [other] => Some(format!("{other}.{}", sr.stage)),
                            [] => {
                                let names = self.stages_of.entry(pi).or_insert_with(|| {
                                    Suggester::new(p.stages.iter().map(|s| s.def.id.as_str()))
                                });
                                let found = names.suggest(&sr.stage);
                                tied = found.is_some_and(|s| names.tied(&sr.stage, s));
                                found.map(|s| format!("{}.{s}", p.def.id))
                            }
                            _ => None,
                        };
                        let r = Ref {
                            name: sr.stage.clone(),
                            loc: sr.loc,
                            target: None,
                        };
                        diags.push(undefined_stage(
                            &r,
                            &written,
                            &p.def.id,
                            suggestion,
                            Vec::new(),
                            tied,
                        ));
                    }
                }
            }
            None => match self.by_stage.get(&*name_key(&sr.stage)).map(Vec::as_slice) {
                Some([one]) => sr.target = Some(*one),
                None | Some([]) => {
                    let names = self.stage_names.get_or_insert_with(|| {
                        Suggester::new(
                            pipelines
                                .iter()
                                .flat_map(|p| p.stages.iter().map(|s| s.def.id.as_str())),
                        )
                    });
                    let suggestion = names.suggest(&sr.stage);
                    let tied = suggestion.is_some_and(|s| names.tied(&sr.stage, s));
                    // A stage id that more than one pipeline has is written `pipeline.stage`:
                    // which one is for a person to say.
                    let suggestion = suggestion.filter(|s| {
                        self.by_stage
                            .get(&*name_key(s))
                            .is_some_and(|found| found.len() == 1)
                    });
                    let d = fail(FindingData::Undefined {
                        namespace: "stage",
                        name: sr.stage.clone(),
                        suggestion: suggestion.map(str::to_string),
                        pipeline: None,
                        elsewhere: Vec::new(),
                    });
                    let applicability = if tied {
                        Applicability::Unsafe
                    } else {
                        Applicability::Safe
                    };
                    diags.push(match suggestion {
                        Some(s) => {
                            d.with_fix(rename(sr.loc, &written, s.to_string(), applicability))
                        }
                        None => d,
                    });
                }
                Some(many) => {
                    let candidates: Vec<String> = many
                        .iter()
                        .map(|(pi, si)| all_name(pipelines, *pi, *si))
                        .collect();
                    let mut d = fail(FindingData::Ambiguous {
                        namespace: "stage",
                        name: sr.stage.clone(),
                        candidates: candidates.clone(),
                    });
                    // Each is as good as the others: a person chooses.
                    for c in candidates {
                        d = d.with_fix(rename(sr.loc, &written, c, Applicability::Unsafe));
                    }
                    diags.push(d);
                }
            },
        }
    }
}

impl StageLookup<'_> {
    /// The ids of the pipelines other than the `pi`th that have a stage named `stage`, in
    /// reading order.
    fn other_pipelines(&self, stage: &str, pi: usize) -> Vec<String> {
        let own = name_key(&self.pipelines[pi].def.id);
        self.others(stage, &own)
    }

    fn others(&self, stage: &str, own: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &(pi, _) in self
            .by_stage
            .get(&*name_key(stage))
            .map_or(&[][..], Vec::as_slice)
        {
            let id = &self.pipelines[pi].def.id;
            if *name_key(id) != *own && !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// Reports the `start` and `->` of one pipeline that name none of its stages, with the
    /// closest stage of that pipeline (never the stage the `->` is written in) and the other
    /// pipelines that have a stage of that name.
    fn report_unknown(&self, u: &UnknownStages, diags: &mut Vec<Diagnostic>) {
        let mut names = Suggester::new(u.stages.iter().map(String::as_str));
        let own = name_key(&u.pipeline);
        for (r, inside) in &u.refs {
            let suggestion = match inside {
                Some(me) => names.suggest_other(&r.name, me),
                None => names.suggest(&r.name),
            };
            let elsewhere = self.others(&r.name, &own);
            let tied = suggestion.is_some_and(|s| names.tied(&r.name, s));
            diags.push(undefined_stage(
                r,
                &r.name,
                &u.pipeline,
                suggestion.map(str::to_string),
                elsewhere,
                tied,
            ));
        }
    }
}

fn all_name(pipelines: &[Pipeline], pi: usize, si: usize) -> String {
    format!(
        "{}.{}",
        pipelines[pi].def.id, pipelines[pi].stages[si].def.id
    )
}
