//! Every name to its definition, with a did-you-mean when it names nothing.

use std::collections::HashMap;

use super::Lowering;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::types::*;

impl Lowering {
    pub(super) fn resolve(&mut self) {
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

pub(super) fn undefined_stage(r: &Ref, p: &Pipeline) -> Diagnostic {
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
