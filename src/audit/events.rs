//! Accepted records to events: group by case, sort each case by (timestamp, line), collapse
//! repeats (see "Input in short" and "Choices in the details" in `docs/audit.md`).

use serde::Serialize;

use super::process::Process;
use super::rows::{NONE, RawLog};
use super::timestamp::Timestamp;

/// Why a row was dropped when collapsing repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// Same stage and same timestamp as the row kept.
    DuplicateRow,
    /// Same stage again, later: a CRM re-save.
    RepeatedStage,
}

impl DropReason {
    /// The reason's code as the report writes it: `duplicate-row` or `repeated-stage`.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::DuplicateRow => "duplicate-row",
            DropReason::RepeatedStage => "repeated-stage",
        }
    }
}

/// A row collapsed into an earlier one of the same case and stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DroppedRow {
    /// `line`: the dropped row's physical line in the file, 1-based.
    pub line: u64,
    /// `reason`: `duplicate-row` or `repeated-stage`.
    pub reason: DropReason,
    /// `case_id`: the case of both rows.
    pub case_id: String,
    /// `kept_line`: the line of the row it was collapsed into.
    pub kept_line: u64,
}

/// The events of a log, case by case.
#[derive(Debug, Default)]
pub struct EventLog {
    /// Case ids sorted as strings; a case is its index here.
    pub case_ids: Vec<Box<str>>,
    /// Case `c`'s events are `offsets[c]..offsets[c + 1]`.
    pub offsets: Vec<usize>,
    /// Stage slot of each event: the SOP's stages first, then unknown stages sorted by id.
    pub stages: Vec<u32>,
    /// When each event's case entered its stage, in the case's order.
    pub times: Vec<Timestamp>,
    /// The amount on each case's latest event that has one (NaN: none).
    pub case_amounts: Vec<f64>,
    /// Number of SOP stages; slots from here on are unknown stages.
    pub known: usize,
    /// Unknown stage values, sorted, by slot after the SOP's stages.
    pub unknown: Vec<Box<str>>,
    /// Sorted by line.
    pub dropped: Vec<DroppedRow>,
    /// Cases whose rows are not in time order in the file (only information: they are sorted).
    pub out_of_order_cases: u64,
    /// The latest timestamp of an accepted row.
    pub latest_accepted: Option<Timestamp>,
    /// The actor, the role of each event (indexes into the names, [`NONE`] for none); empty
    /// when the log has no such column.
    pub actors: Vec<u32>,
    /// The role of each event, like `actors`.
    pub roles: Vec<u32>,
    /// Actor values; `actors` indexes into them.
    pub actor_names: Vec<Box<str>>,
    /// Role values; `roles` indexes into them.
    pub role_names: Vec<Box<str>>,
    /// Whether the log has an actor, a role column.
    pub has_actor: bool,
    /// Whether the log has a role column.
    pub has_role: bool,
}

impl EventLog {
    /// Number of cases.
    pub fn cases(&self) -> usize {
        self.case_ids.len()
    }

    /// The range of case `c`'s events.
    pub fn range(&self, c: usize) -> std::ops::Range<usize> {
        self.offsets[c]..self.offsets[c + 1]
    }

    /// The id of a stage slot.
    pub fn stage_id<'a>(&'a self, process: &'a Process, slot: u32) -> &'a str {
        let slot = slot as usize;
        if slot < self.known {
            &process.ids[slot]
        } else {
            &self.unknown[slot - self.known]
        }
    }

    /// The SOP stage of a slot, `None` for an unknown stage.
    pub fn known_stage(&self, slot: u32) -> Option<usize> {
        let slot = slot as usize;
        (slot < self.known).then_some(slot)
    }

    /// The actor of event `e`.
    pub fn actor(&self, e: usize) -> Option<&str> {
        let i = *self.actors.get(e)?;
        (i != NONE).then(|| &*self.actor_names[i as usize])
    }

    /// The role of event `e`.
    pub fn role(&self, e: usize) -> Option<&str> {
        let i = *self.roles.get(e)?;
        (i != NONE).then(|| &*self.role_names[i as usize])
    }

    /// Number of stage slots.
    pub fn slots(&self) -> usize {
        self.known + self.unknown.len()
    }
}

/// Builds the events of `raw`.
pub fn build(raw: RawLog, process: &Process) -> EventLog {
    let known = process.len();
    let RawLog {
        mut records,
        case_ids,
        unknown_stages,
        actors: actor_names,
        roles: role_names,
        has_actor,
        has_role,
        wide,
        ..
    } = raw;
    let cases = case_ids.len();

    // Out of order: in file order, a row earlier than one above it in the same case.
    let mut latest: Vec<Option<Timestamp>> = vec![None; cases];
    let mut out_of_order = vec![false; cases];
    for r in &records {
        let c = r.case as usize;
        match latest[c] {
            Some(t) if r.time < t => out_of_order[c] = true,
            Some(t) if r.time == t => {}
            _ => latest[c] = Some(r.time),
        }
    }
    let out_of_order_cases = out_of_order.iter().filter(|&&o| o).count() as u64;
    let latest_accepted = records.iter().map(|r| r.time).max();

    // Unknown stages sorted by id; cases sorted as strings.
    let mut unknown_order: Vec<usize> = (0..unknown_stages.len()).collect();
    unknown_order.sort_unstable_by(|&a, &b| unknown_stages[a].cmp(&unknown_stages[b]));
    let mut unknown_slot = vec![0u32; unknown_stages.len()];
    for (rank, &u) in unknown_order.iter().enumerate() {
        unknown_slot[u] = (known + rank) as u32;
    }
    let unknown: Vec<Box<str>> = unknown_order
        .iter()
        .map(|&u| unknown_stages[u].clone())
        .collect();
    let mut case_order: Vec<u32> = (0..cases as u32).collect();
    case_order.sort_unstable_by(|&a, &b| case_ids[a as usize].cmp(&case_ids[b as usize]));
    let mut case_rank = vec![0u32; cases];
    for (rank, &c) in case_order.iter().enumerate() {
        case_rank[c as usize] = rank as u32;
    }
    for r in &mut records {
        r.case = case_rank[r.case as usize];
        if r.stage as usize >= known {
            r.stage = unknown_slot[r.stage as usize - known];
        }
    }
    // The entries of one row (a wide export) with equal timestamps keep column order: a stable
    // sort then, and the unstable one (no buffer of half the records) when lines are unique.
    if wide {
        records.sort_by_key(|r| (r.case, r.time, r.line));
    } else {
        records.sort_unstable_by_key(|r| (r.case, r.time, r.line));
    }
    let case_ids: Vec<Box<str>> = case_order
        .into_iter()
        .map(|c| case_ids[c as usize].clone())
        .collect();

    let mut log = EventLog {
        offsets: Vec::with_capacity(cases + 1),
        stages: Vec::with_capacity(records.len()),
        times: Vec::with_capacity(records.len()),
        case_amounts: vec![f64::NAN; cases],
        known,
        unknown,
        out_of_order_cases,
        latest_accepted,
        actor_names,
        role_names,
        has_actor,
        has_role,
        ..EventLog::default()
    };
    let mut kept_line = 0;
    let mut current: Option<u32> = None;
    for r in &records {
        let first = current != Some(r.case);
        if first {
            current = Some(r.case);
            log.offsets.push(log.stages.len());
        } else {
            let prev = log.stages.len() - 1;
            let same = log.stages[prev] == r.stage;
            let self_loop =
                (r.stage as usize) < known && process.allows(r.stage as usize, r.stage as usize);
            if same && !self_loop {
                log.dropped.push(DroppedRow {
                    line: r.line,
                    reason: if log.times[prev] == r.time {
                        DropReason::DuplicateRow
                    } else {
                        DropReason::RepeatedStage
                    },
                    case_id: case_ids[r.case as usize].to_string(),
                    kept_line,
                });
                continue;
            }
        }
        kept_line = r.line;
        log.stages.push(r.stage);
        log.times.push(r.time);
        if has_actor {
            log.actors.push(r.actor);
        }
        if has_role {
            log.roles.push(r.role);
        }
        if !r.amount.is_nan() {
            log.case_amounts[r.case as usize] = r.amount;
        }
    }
    log.offsets.push(log.stages.len());
    log.case_ids = case_ids;
    log.dropped.sort_by_key(|d| d.line);
    log
}
