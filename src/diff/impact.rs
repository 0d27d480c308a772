//! What the changes mean for people: the roles to tell, stages cut off, findings introduced
//! and fixed.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::Side;
use super::compare::Renames;
use super::entities::{Entity, Local, Val};
use super::report::StartChange;
use super::report::{Change, ChangeKind, EntityKind, FindingRef, FindingsDiff, GraphImpact};
use crate::diag::FileId;

/// Every role whose work changed, sorted: the roles of each changed entity on both sides (the
/// old side's names renamed).
pub(crate) fn affected_roles(
    changes: &[Change],
    old: &[Entity],
    new: &[Entity],
    r: &Renames,
) -> Vec<String> {
    let mut by_old: HashMap<(&str, EntityKind, String), &Entity> = HashMap::new();
    for e in old {
        by_old.insert((e.file.as_str(), e.kind, r.entity(e)), e);
        by_old.insert((e.file.as_str(), e.kind, e.qid()), e);
    }
    let by_new: HashMap<(&str, EntityKind, String), &Entity> = new
        .iter()
        .map(|e| ((e.file.as_str(), e.kind, e.qid()), e))
        .collect();
    let mut roles = BTreeSet::new();
    for c in changes {
        let key = (c.file.as_str(), c.kind, c.id.clone());
        if let Some(e) = by_new.get(&key).filter(|_| c.change != ChangeKind::Removed) {
            roles.extend(e.roles.iter().cloned());
        }
        if let Some(e) = by_old.get(&key).filter(|_| c.change != ChangeKind::Added) {
            roles.extend(e.roles.iter().map(|n| r.id(EntityKind::Role, n)));
        }
    }
    roles.into_iter().collect()
}

/// A pipeline's stages as the graph sees them: qualified ids, terminal or not, exits.
struct Graph {
    start: Option<String>,
    stages: Vec<(String, bool)>,
    edges: HashMap<String, Vec<String>>,
}

fn graph(entities: &[&Entity], pipeline: &str, r: Option<&Renames>) -> Graph {
    let id = |e: &Entity| r.map_or_else(|| e.qid(), |r| r.entity(e));
    let stage = |s: &str| r.map_or_else(|| s.to_string(), |r| r.id(EntityKind::Stage, s));
    let mut g = Graph {
        start: None,
        stages: Vec::new(),
        edges: HashMap::new(),
    };
    for e in entities.iter().copied() {
        match e.kind {
            EntityKind::Pipeline if id(e) == pipeline => {
                g.start = e.attrs.get(&("start", None)).and_then(|a| match &a.value {
                    Val::List { items, .. } => items.first().map(|s| stage(s)),
                    _ => None,
                });
            }
            EntityKind::Stage
                if e.parent.as_deref().map(|p| stage_parent(p, r))
                    == Some(pipeline.to_string()) =>
            {
                g.stages
                    .push((id(e), e.attrs.contains_key(&("terminal", None))));
            }
            EntityKind::Transition => {
                if let Local::Transition { from, to } = &e.local {
                    let from = stage(from);
                    if from.split_once('.').map(|(p, _)| p) == Some(pipeline) {
                        g.edges.entry(from).or_default().push(stage(to));
                    }
                }
            }
            _ => {}
        }
    }
    g
}

fn stage_parent(p: &str, r: Option<&Renames>) -> String {
    r.map_or_else(|| p.to_string(), |r| r.id(EntityKind::Pipeline, p))
}

impl Graph {
    fn reachable(&self) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut queue: VecDeque<String> = self.start.iter().cloned().collect();
        while let Some(s) = queue.pop_front() {
            if seen.insert(s.clone()) {
                queue.extend(self.edges.get(&s).into_iter().flatten().cloned());
            }
        }
        seen
    }

    /// Stages from which some terminal stage can be reached.
    fn can_finish(&self) -> HashSet<String> {
        let mut back: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, tos) in &self.edges {
            for to in tos {
                back.entry(to.as_str()).or_default().push(from.as_str());
            }
        }
        let mut seen = HashSet::new();
        let mut queue: VecDeque<&str> = (self.stages.iter())
            .filter(|(_, terminal)| *terminal)
            .map(|(s, _)| s.as_str())
            .collect();
        while let Some(s) = queue.pop_front() {
            if seen.insert(s.to_string()) {
                queue.extend(back.get(s).into_iter().flatten().copied());
            }
        }
        seen
    }
}

/// Per pipeline on both sides in `files`: stages cut off from the start or from every end, and
/// the start if it moved.
pub(crate) fn graph_impact(
    old: &[Entity],
    new: &[Entity],
    r: &Renames,
    files: &HashSet<String>,
) -> Vec<GraphImpact> {
    let (old_by, new_by) = (by_file(old), by_file(new));
    let none = Vec::new();
    let mut out = Vec::new();
    for p in new.iter().filter(|e| e.kind == EntityKind::Pipeline) {
        if !files.contains(&p.file) {
            continue;
        }
        let pid = p.qid();
        let olds = old_by.get(p.file.as_str()).unwrap_or(&none);
        let exists_old = olds
            .iter()
            .any(|e| e.kind == EntityKind::Pipeline && r.entity(e) == pid);
        if !exists_old {
            continue;
        }
        let news = new_by.get(p.file.as_str()).unwrap_or(&none);
        let (go, gn) = (graph(olds, &pid, Some(r)), graph(news, &pid, None));
        let old_stages: HashSet<&String> = go.stages.iter().map(|(s, _)| s).collect();
        let both: Vec<&String> = (gn.stages.iter())
            .map(|(s, _)| s)
            .filter(|s| old_stages.contains(s))
            .collect();
        let (ro, rn) = (go.reachable(), gn.reachable());
        let (fo, fn_) = (go.can_finish(), gn.can_finish());
        out.push(GraphImpact {
            pipeline: pid,
            start: (go.start != gn.start).then(|| StartChange {
                old: go.start.clone(),
                new: gn.start.clone(),
            }),
            newly_unreachable: (both.iter())
                .filter(|s| ro.contains(**s) && !rn.contains(**s))
                .map(|s| s.to_string())
                .collect(),
            newly_trapped: (both.iter())
                .filter(|s| fo.contains(**s) && !fn_.contains(**s))
                .map(|s| s.to_string())
                .collect(),
        });
    }
    out
}

/// The entities of each file.
pub(crate) fn by_file(entities: &[Entity]) -> HashMap<&str, Vec<&Entity>> {
    let mut out: HashMap<&str, Vec<&Entity>> = HashMap::new();
    for e in entities {
        out.entry(e.file.as_str()).or_default().push(e);
    }
    out
}

/// One finding with what it is about.
struct Found {
    item: FindingRef,
    key: (String, String, Option<String>),
}

fn found(
    side: &Side,
    entities: &[Entity],
    r: Option<&Renames>,
    text_only: &HashSet<String>,
) -> Vec<Found> {
    let db = &side.outcome.db;
    let mut in_file: HashMap<FileId, Vec<&Entity>> = HashMap::new();
    for e in entities {
        in_file.entry(e.file_id).or_default().push(e);
    }
    let mut out = Vec::new();
    for f in &side.outcome.findings {
        let file_id = f.diag.loc.file;
        let file = side.key(file_id);
        // A file compared as text has no findings on the side that does not parse: comparing
        // the other side's would report them all as introduced or fixed.
        if text_only.contains(&file) && f.diag.rule != crate::lint::RuleId::Syntax {
            continue;
        }
        let at = f.diag.loc.span.start;
        let about = (in_file.get(&file_id).into_iter().flatten())
            .filter(|e| e.block.start <= at && at < e.block.end.max(e.block.start + 1))
            .min_by_key(|e| e.block.end - e.block.start)
            .map(|e| r.map_or_else(|| e.qid(), |r| r.entity(e)));
        let line = db.get(file_id).line_col(at).line;
        let rule = f.diag.rule.name().to_string();
        out.push(Found {
            key: (rule.clone(), file.clone(), about.clone()),
            item: FindingRef {
                rule,
                severity: f.severity.as_str().to_string(),
                message: f.diag.message.clone(),
                file,
                line,
                id: about,
            },
        });
    }
    out
}

/// The findings of each side matched by rule, file and the entity they are about: first those
/// with the same message, then any.
pub(crate) fn findings(
    old: &Side,
    new: &Side,
    old_entities: &[Entity],
    new_entities: &[Entity],
    r: &Renames,
    text_only: &HashSet<String>,
) -> FindingsDiff {
    let olds = found(old, old_entities, Some(r), text_only);
    let news = found(new, new_entities, None, text_only);
    // Old findings by what they are about; each matched at most once.
    let mut groups: HashMap<&(String, String, Option<String>), Vec<usize>> = HashMap::new();
    for (i, f) in olds.iter().enumerate() {
        groups.entry(&f.key).or_default().push(i);
    }
    let mut old_used = vec![false; olds.len()];
    let mut new_used = vec![false; news.len()];
    for same_message in [true, false] {
        for (n, nf) in news.iter().enumerate() {
            if new_used[n] {
                continue;
            }
            let Some(group) = groups.get(&nf.key) else {
                continue;
            };
            let hit = group.iter().copied().find(|&o| {
                !old_used[o] && (!same_message || olds[o].item.message == nf.item.message)
            });
            if let Some(o) = hit {
                old_used[o] = true;
                new_used[n] = true;
            }
        }
    }
    let left = |found: &[Found], used: &[bool]| -> Vec<FindingRef> {
        (found.iter().zip(used))
            .filter(|(_, used)| !**used)
            .map(|(f, _)| f.item.clone())
            .collect()
    };
    FindingsDiff {
        introduced: left(&news, &new_used),
        fixed: left(&olds, &old_used),
    }
}
