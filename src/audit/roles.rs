//! Who handled each stage: events per role and per actor, and the events whose role is not the
//! stage's `owner` in the SOP.

use std::collections::HashMap;

use super::events::EventLog;
use super::process::Process;
use super::report::{Ordered, OwnerMismatch};

/// The role and actor figures of one stage slot.
#[derive(Debug, Default)]
pub struct StageRoles {
    /// Events per role, roles sorted; `None` without a role column.
    pub roles: Option<Ordered<u64>>,
    /// Events per actor, actors sorted; `None` without an actor column.
    pub actors: Option<Ordered<u64>>,
    /// Events whose role is not the owner's; `None` without a role column, for a stage without
    /// an owner and for an unknown stage.
    pub owner_mismatch: Option<u64>,
}

/// Per stage slot, and the mismatches as (stage, role) rows.
pub struct Roles {
    /// The figures of each stage slot, in slot order.
    pub stages: Vec<StageRoles>,
    /// Each stage and role that differ, stages in slot order, roles sorted.
    pub mismatches: Vec<OwnerMismatch>,
}

/// `owners[k]`: the values that name stage `k`'s owner (its role id and title), empty for a stage
/// without an owner. An event without a role is not a mismatch: nothing says who handled it.
pub fn compute(log: &EventLog, process: &Process, owners: &[Vec<String>]) -> Roles {
    let slots = log.slots();
    // (slot, role or actor) -> (events, distinct cases, last case counted)
    let mut by_role: HashMap<(u32, u32), (u64, u64, usize)> = HashMap::new();
    let mut by_actor: HashMap<(u32, u32), u64> = HashMap::new();
    for c in 0..log.cases() {
        for e in log.range(c) {
            let slot = log.stages[e];
            if let Some(&r) = log.roles.get(e)
                && r != super::rows::NONE
            {
                let entry = by_role.entry((slot, r)).or_insert((0, 0, usize::MAX));
                entry.0 += 1;
                if entry.2 != c {
                    entry.1 += 1;
                    entry.2 = c;
                }
            }
            if let Some(&a) = log.actors.get(e)
                && a != super::rows::NONE
            {
                *by_actor.entry((slot, a)).or_default() += 1;
            }
        }
    }
    let mut stages: Vec<StageRoles> = (0..slots).map(|_| StageRoles::default()).collect();
    let mut mismatches = Vec::new();
    if log.has_role {
        let mut per_slot: Vec<Vec<(&str, u64, u64)>> = vec![Vec::new(); slots];
        for (&(s, r), &(n, cases, _)) in &by_role {
            per_slot[s as usize].push((&*log.role_names[r as usize], n, cases));
        }
        for (slot, (stage, mut mine)) in stages.iter_mut().zip(per_slot).enumerate() {
            mine.sort_unstable();
            let owner = log
                .known_stage(slot as u32)
                .map(|k| &owners[k])
                .filter(|o| !o.is_empty());
            let mut roles = Vec::new();
            let mut mismatch = 0;
            for (role, n, cases) in mine {
                roles.push((role.to_string(), n));
                if let Some(owner) = owner
                    && !owner.iter().any(|o| o == role)
                {
                    mismatch += n;
                    mismatches.push(OwnerMismatch {
                        stage: log.stage_id(process, slot as u32).to_string(),
                        role: role.to_string(),
                        events: n,
                        cases,
                    });
                }
            }
            stage.roles = Some(Ordered(roles));
            stage.owner_mismatch = owner.map(|_| mismatch);
        }
    }
    if log.has_actor {
        let mut per_slot: Vec<Vec<(&str, u64)>> = vec![Vec::new(); slots];
        for (&(s, a), &n) in &by_actor {
            per_slot[s as usize].push((&*log.actor_names[a as usize], n));
        }
        for (stage, mut mine) in stages.iter_mut().zip(per_slot) {
            mine.sort_unstable();
            let actors = mine.into_iter().map(|(a, n)| (a.to_string(), n)).collect();
            stage.actors = Some(Ordered(actors));
        }
    }
    Roles { stages, mismatches }
}
