//! Matching the entities of two sides: by file, kind and qualified id, after renames; then the
//! attributes that differ, with their direction.

use std::collections::{HashMap, HashSet};

use super::entities::{Attr, Entity, Local, Val, fold};
use super::report::{AttributeChange, Change, ChangeKind, Direction, EntityKind};

/// Entities renamed between the sides: (kind, old qualified id) -> new qualified id.
#[derive(Debug, Default)]
pub(crate) struct Renames {
    map: HashMap<(EntityKind, String), String>,
}

impl Renames {
    /// `qid` of an entity of `kind` on the old side, as the new side would name it.
    pub fn id(&self, kind: EntityKind, qid: &str) -> String {
        if let Some(n) = self.map.get(&(kind, qid.to_string())) {
            return n.clone();
        }
        match kind {
            EntityKind::Stage => match qid.split_once('.') {
                Some((p, s)) => format!("{}.{s}", self.id(EntityKind::Pipeline, p)),
                None => qid.to_string(),
            },
            EntityKind::Task => match qid.rsplit_once('.') {
                Some((s, t)) => format!("{}.{t}", self.id(EntityKind::Stage, s)),
                None => qid.to_string(),
            },
            _ => qid.to_string(),
        }
    }

    /// The qualified id an old entity has on the new side.
    pub fn entity(&self, e: &Entity) -> String {
        match &e.local {
            Local::Id(_) => self.id(e.kind, &e.qid()),
            Local::Transition { from, to } => {
                let to = self.id(EntityKind::Stage, to);
                let to = to.rsplit('.').next().unwrap_or(&to);
                format!("{}->{to}", self.id(EntityKind::Stage, from))
            }
        }
    }

    pub fn was_renamed(&self, e: &Entity) -> bool {
        self.map.contains_key(&(e.kind, e.qid()))
    }

    fn parent(&self, e: &Entity) -> Option<String> {
        let kind = match e.kind {
            EntityKind::Task => EntityKind::Stage,
            _ => EntityKind::Pipeline,
        };
        e.parent.as_deref().map(|p| self.id(kind, p))
    }

    /// What an attribute's value compares as, names renamed.
    fn key(&self, v: &Val) -> String {
        match v {
            Val::Text(t) => format!("t:{t}"),
            Val::List {
                kind,
                items,
                ordered,
            } => {
                let mut items: Vec<String> = match kind.entity() {
                    Some(k) => items.iter().map(|i| self.id(k, i)).collect(),
                    None => items.clone(),
                };
                if !ordered {
                    items.sort();
                    items.dedup();
                }
                format!("l:{}", items.join("\u{0}"))
            }
            Val::Duration(m) | Val::Cadence(m) => format!("n:{m:?}"),
            Val::Date(y, m, d) => format!("d:{y}-{m}-{d}"),
            Val::Target {
                comparator,
                value,
                unit,
            } => format!("g:{comparator} {value} {unit}"),
            Val::Flag => "f".into(),
        }
    }

    /// Whether two entities say the same, ids and titles aside.
    fn same_attributes(&self, old: &Entity, new: &Entity) -> bool {
        old.attrs.len() == new.attrs.len()
            && old.attrs.iter().all(|(k, a)| {
                new.attrs
                    .get(k)
                    .is_some_and(|b| self.key(&a.value) == self.key(&b.value))
            })
    }
}

/// The kinds renames are looked for in, those referred to by others first.
const RENAMED_KINDS: [EntityKind; 10] = [
    EntityKind::Role,
    EntityKind::Training,
    EntityKind::Goal,
    EntityKind::Pipeline,
    EntityKind::Stage,
    EntityKind::Kpi,
    EntityKind::Strategy,
    EntityKind::Feedback,
    EntityKind::Task,
    EntityKind::Sop,
];

/// Finds the renames: a removed and an added entity of one kind in one parent and one file that
/// say the same. Repeated until none is found, since one rename can make others visible (a
/// role renamed makes the stages it owns equal again).
pub(crate) fn renames(old: &[Entity], new: &[Entity]) -> Renames {
    let mut r = Renames::default();
    loop {
        let new_ids: HashSet<(&str, EntityKind, String)> = new
            .iter()
            .map(|e| (e.file.as_str(), e.kind, e.qid()))
            .collect();
        let old_ids: HashSet<(&str, EntityKind, String)> = old
            .iter()
            .map(|e| (e.file.as_str(), e.kind, r.entity(e)))
            .collect();
        let removed: Vec<&Entity> = old
            .iter()
            .filter(|e| !new_ids.contains(&(e.file.as_str(), e.kind, r.entity(e))))
            .collect();
        let added: Vec<&Entity> = new
            .iter()
            .filter(|e| !old_ids.contains(&(e.file.as_str(), e.kind, e.qid())))
            .collect();
        let mut found = Vec::new();
        let mut taken = HashSet::new();
        for kind in RENAMED_KINDS {
            for o in removed.iter().filter(|e| e.kind == kind) {
                let parent = r.parent(o);
                let hit = added.iter().position(|n| {
                    n.kind == kind
                        && n.file == o.file
                        && n.parent == parent
                        && !taken.contains(&n.qid())
                        && r.same_attributes(o, n)
                });
                if let Some(i) = hit {
                    taken.insert(added[i].qid());
                    found.push(((kind, o.qid()), added[i].qid()));
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        if found.is_empty() {
            return r;
        }
        r.map.extend(found);
    }
}

/// Every entity added, removed, changed or renamed, in report order.
pub(crate) fn changes(old: &[Entity], new: &[Entity], r: &Renames) -> Vec<(Change, usize)> {
    let old_by: HashMap<(&str, EntityKind, String), &Entity> = old
        .iter()
        .map(|e| ((e.file.as_str(), e.kind, r.entity(e)), e))
        .collect();
    let mut matched = HashSet::new();
    let mut out = Vec::new();
    for n in new {
        let qid = n.qid();
        let Some(o) = old_by.get(&(n.file.as_str(), n.kind, qid.clone())) else {
            out.push((change(n, ChangeKind::Added, Vec::new(), None), n.pos));
            continue;
        };
        matched.insert((n.file.as_str(), n.kind, qid.clone()));
        let attributes = attribute_changes(o, n, r);
        if r.was_renamed(o) {
            let c = change(n, ChangeKind::Renamed, attributes, Some(o.qid()));
            out.push((c, n.pos));
        } else if !attributes.is_empty() {
            out.push((change(n, ChangeKind::Modified, attributes, None), n.pos));
        }
    }
    for o in old {
        if !matched.contains(&(o.file.as_str(), o.kind, r.entity(o))) {
            out.push((change(o, ChangeKind::Removed, Vec::new(), None), o.pos));
        }
    }
    out.sort_by(|(a, pa), (b, pb)| (&a.file, pa, a.kind).cmp(&(&b.file, pb, b.kind)));
    out
}

fn change(
    e: &Entity,
    kind: ChangeKind,
    attributes: Vec<AttributeChange>,
    from_id: Option<String>,
) -> Change {
    let when = match (e.kind, kind) {
        (EntityKind::Transition, ChangeKind::Added | ChangeKind::Removed) => {
            e.attrs.get(&("when", None)).map(|a| a.shown.clone())
        }
        _ => None,
    };
    Change {
        file: e.file.clone(),
        kind: e.kind,
        id: e.qid(),
        change: kind,
        from_id,
        when,
        title: e.title.clone(),
        attributes,
    }
}

fn attribute_changes(o: &Entity, n: &Entity, r: &Renames) -> Vec<AttributeChange> {
    let mut out = Vec::new();
    let (ot, nt) = (o.title.as_deref().map(fold), n.title.as_deref().map(fold));
    if ot != nt {
        out.push(AttributeChange {
            name: "title".into(),
            kpi: None,
            old: ot,
            new: nt,
            direction: None,
            inherited: None,
        });
    }
    let mut keys: Vec<_> = o.attrs.keys().chain(n.attrs.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (a, b) = (o.attrs.get(&k), n.attrs.get(&k));
        if let (Some(a), Some(b)) = (a, b)
            && r.key(&a.value) == r.key(&b.value)
        {
            continue;
        }
        let name = k.0;
        let inherited =
            (name == "owner" && n.kind == EntityKind::Task && o.inherits_owner && n.inherits_owner)
                .then_some(true);
        out.push(AttributeChange {
            name: name.into(),
            kpi: k.1.clone(),
            old: a.map(|a| a.shown.clone()),
            new: b.map(|b| b.shown.clone()),
            direction: a.zip(b).and_then(|(a, b)| direction(a, b)),
            inherited,
        });
    }
    out
}

/// Which way an ordered attribute moved.
fn direction(a: &Attr, b: &Attr) -> Option<Direction> {
    use std::cmp::Ordering::*;
    match (&a.value, &b.value) {
        (Val::Duration(Some(x)), Val::Duration(Some(y))) => match x.cmp(y) {
            Less => Some(Direction::Longer),
            Greater => Some(Direction::Shorter),
            Equal => None,
        },
        (Val::Cadence(Some(x)), Val::Cadence(Some(y))) => match x.cmp(y) {
            Less => Some(Direction::LessOften),
            Greater => Some(Direction::MoreOften),
            Equal => None,
        },
        (Val::Date(..), Val::Date(..)) => {
            let key = |v: &Val| match v {
                Val::Date(y, m, d) => (*y, *m, *d),
                _ => (0, 0, 0),
            };
            match key(&a.value).cmp(&key(&b.value)) {
                Less => Some(Direction::Later),
                Greater => Some(Direction::Earlier),
                Equal => None,
            }
        }
        (
            Val::Target {
                comparator: c1,
                value: v1,
                unit: u1,
            },
            Val::Target {
                comparator: c2,
                value: v2,
                unit: u2,
            },
        ) => {
            if c1 != c2 || u1 != u2 {
                return Some(Direction::Changed);
            }
            match v1.partial_cmp(v2) {
                Some(Less) => Some(Direction::Raised),
                Some(Greater) => Some(Direction::Lowered),
                _ => Some(Direction::Changed),
            }
        }
        (Val::Target { .. }, _) | (_, Val::Target { .. }) => Some(Direction::Changed),
        _ => None,
    }
}
