//! Accepted records to events: group by case, sort each case by (timestamp, line), collapse
//! repeats (see "Input in short" and "Choices in the details" in `docs/audit.md`).

use serde::Serialize;

use std::sync::Arc;

use super::names::Names;
use super::process::Process;
use super::rows::{NONE, RawLog, Records};
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
    pub case_ids: Arc<Names>,
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
///
/// The records are put in case order by counting (a case is the rank of its id), one column at
/// a time, then each case sorted by time where the file has it out of order: the memory is that
/// of the records and one more column.
pub fn build(raw: RawLog, process: &Process) -> EventLog {
    let known = process.len();
    let RawLog {
        records,
        case_ids,
        unknown_stages,
        actors: actor_names,
        roles: role_names,
        has_actor,
        has_role,
        wide,
        ..
    } = raw;
    let Records {
        mut times,
        mut lines,
        cases: mut order,
        mut stages,
        mut actors,
        mut roles,
        amounts,
    } = records;
    let n = times.len();
    if has_actor && actors.is_empty() {
        actors = vec![NONE; n];
    }
    if has_role && roles.is_empty() {
        roles = vec![NONE; n];
    }

    // A case is the rank of its id among the log's distinct ids.
    let (case_rank, sorted_ids) = numbered(&case_ids);
    drop(case_ids);
    let cases = sorted_ids.len();
    for c in &mut order {
        *c = case_rank[*c as usize];
    }
    drop(case_rank);

    // Out of order: in file order, a row earlier than one above it in the same case. Rows
    // one entry each are counted when each case is sorted below; a wide row's entries here.
    let mut out_of_order_cases = match wide {
        true => wide_out_of_order(&order, &times, &lines, cases),
        false => 0,
    };
    let latest_accepted = times.iter().max().copied();

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
    for s in &mut stages {
        if *s as usize >= known {
            *s = unknown_slot[*s as usize - known];
        }
    }
    // Where each record goes: its case's rows in file order, the cases in rank order.
    let mut starts = vec![0u32; cases + 1];
    for &c in &order {
        starts[c as usize + 1] += 1;
    }
    for c in 0..cases {
        starts[c + 1] += starts[c];
    }
    // The amounts in case order, by counting too: within a case they stay in file order, which
    // is the order of their records' places.
    let mut next = vec![0u32; cases + 1];
    for a in &amounts {
        next[order[a.0 as usize] as usize + 1] += 1;
    }
    for c in 0..cases {
        next[c + 1] += next[c];
    }
    let mut by_case = vec![(0u32, f64::NAN); amounts.len()];
    for &(at, amount) in &amounts {
        let c = order[at as usize] as usize;
        by_case[next[c] as usize] = (at, amount);
        next[c] += 1;
    }
    drop(amounts);
    next.copy_from_slice(&starts);
    for c in &mut order {
        let rank = *c as usize;
        *c = next[rank];
        next[rank] += 1;
    }
    drop(next);
    let mut amounts = by_case;
    for a in &mut amounts {
        a.0 = order[a.0 as usize];
    }
    debug_assert!(amounts.is_sorted_by_key(|a| a.0));
    // Every record to its place, a column at a time: each is written anew in case order and the
    // old one dropped (a scatter is many times faster than following the permutation's cycles
    // in place, and only one column is held twice at a time).
    let target = order;
    if !target.iter().enumerate().all(|(i, &t)| t as usize == i) {
        times = scatter(times, &target);
        lines = scatter(lines, &target);
        stages = scatter(stages, &target);
        actors = scatter(actors, &target);
        roles = scatter(roles, &target);
    }
    drop(target);
    // Each case by (time, line): its rows are in file order, so by line already, and a stable
    // sort by time keeps the entries of one row (a wide export) in column order.
    let mut amount_at: Vec<(u32, f64)> = Vec::new();
    let mut by_time: Vec<u32> = Vec::new();
    let mut buffer_t: Vec<Timestamp> = Vec::new();
    let mut buffer_u: Vec<u32> = Vec::new();
    for c in 0..cases {
        let range = starts[c] as usize..starts[c + 1] as usize;
        if times[range.clone()].is_sorted() {
            continue;
        }
        out_of_order_cases += u64::from(!wide);
        by_time.clear();
        by_time.extend(0..range.len() as u32);
        by_time.sort_by_key(|&k| times[range.start + k as usize]);
        let permute_t = |column: &mut [Timestamp], buffer: &mut Vec<Timestamp>| {
            buffer.clear();
            buffer.extend(by_time.iter().map(|&k| column[k as usize]));
            column.copy_from_slice(buffer);
        };
        permute_t(&mut times[range.clone()], &mut buffer_t);
        let permute_u = |column: &mut [u32], buffer: &mut Vec<u32>| {
            buffer.clear();
            buffer.extend(by_time.iter().map(|&k| column[k as usize]));
            column.copy_from_slice(buffer);
        };
        permute_u(&mut lines[range.clone()], &mut buffer_u);
        permute_u(&mut stages[range.clone()], &mut buffer_u);
        if has_actor {
            permute_u(&mut actors[range.clone()], &mut buffer_u);
        }
        if has_role {
            permute_u(&mut roles[range.clone()], &mut buffer_u);
        }
        // The amounts of the case move with their records.
        let from = amounts.partition_point(|a| (a.0 as usize) < range.start);
        let to = amounts.partition_point(|a| (a.0 as usize) < range.end);
        if from < to {
            let mut place = vec![0u32; range.len()];
            for (new, &old) in by_time.iter().enumerate() {
                place[old as usize] = (range.start + new) as u32;
            }
            amount_at.clear();
            amount_at.extend(
                amounts[from..to]
                    .iter()
                    .map(|&(at, a)| (place[at as usize - range.start], a)),
            );
            amount_at.sort_unstable_by_key(|a| a.0);
            amounts[from..to].copy_from_slice(&amount_at);
        }
    }
    drop((by_time, buffer_t, buffer_u, amount_at));

    // Repeats collapsed, in place: event `w` is written where record `w` or a later one was.
    let mut log = EventLog {
        offsets: Vec::with_capacity(cases + 1),
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
    let mut w = 0usize;
    let mut amount = amounts.iter().peekable();
    for c in 0..cases {
        log.offsets.push(w);
        let mut kept_line = 0;
        for i in starts[c] as usize..starts[c + 1] as usize {
            let has_amount = amount.next_if(|a| a.0 as usize == i).map(|a| a.1);
            let (stage, time, line) = (stages[i], times[i], u64::from(lines[i]));
            if w > log.offsets[c] {
                let prev = w - 1;
                let same = stages[prev] == stage;
                let self_loop =
                    (stage as usize) < known && process.allows(stage as usize, stage as usize);
                if same && !self_loop {
                    log.dropped.push(DroppedRow {
                        line,
                        reason: if times[prev] == time {
                            DropReason::DuplicateRow
                        } else {
                            DropReason::RepeatedStage
                        },
                        case_id: sorted_ids[c].to_string(),
                        kept_line,
                    });
                    continue;
                }
            }
            kept_line = line;
            stages[w] = stage;
            times[w] = time;
            if has_actor {
                actors[w] = actors[i];
            }
            if has_role {
                roles[w] = roles[i];
            }
            if let Some(a) = has_amount {
                log.case_amounts[c] = a;
            }
            w += 1;
        }
    }
    log.offsets.push(w);
    drop(lines);
    for column in [&mut stages, &mut actors, &mut roles] {
        column.truncate(w);
        column.shrink_to_fit();
    }
    times.truncate(w);
    times.shrink_to_fit();
    log.stages = stages;
    log.times = times;
    log.actors = actors;
    log.roles = roles;
    log.case_ids = Arc::new(sorted_ids);
    log.dropped.sort_by_key(|d| d.line);
    log
}

/// The cases of a wide log (each row a case's entries, in column order) with a row earlier
/// than one above it: the entries of one row say nothing of time among themselves, so a row is
/// compared only with the rows above it.
fn wide_out_of_order(order: &[u32], times: &[Timestamp], lines: &[u32], cases: usize) -> u64 {
    let mut latest: Vec<Option<Timestamp>> = vec![None; cases];
    let mut out_of_order = vec![false; cases];
    let mut row: Vec<(u32, Option<Timestamp>)> = vec![(0, None); cases];
    for ((&c, &t), &line) in order.iter().zip(times).zip(lines) {
        let c = c as usize;
        let (at, row_latest) = &mut row[c];
        if *at != line {
            latest[c] = latest[c].max(*row_latest);
            (*at, *row_latest) = (line, None);
        }
        *row_latest = (*row_latest).max(Some(t));
        if latest[c].is_some_and(|l| t < l) {
            out_of_order[c] = true;
        }
    }
    out_of_order.iter().filter(|&&o| o).count() as u64
}

/// `column` with element `i` moved to `target[i]` (a permutation); an empty column stays empty.
fn scatter<T: Copy + Default>(column: Vec<T>, target: &[u32]) -> Vec<T> {
    if column.is_empty() {
        return column;
    }
    let mut out = vec![T::default(); column.len()];
    for (&t, &v) in target.iter().zip(&column) {
        out[t as usize] = v;
    }
    out
}

/// Each of `ids` numbered by its rank among the distinct strings (equal strings, one number),
/// and those strings in order. Each half is sorted on a core of its own, on the strings' first
/// 16 bytes as two integers (the strings compared only where those are equal), and the halves
/// merged.
fn numbered(ids: &Names) -> (Vec<u32>, Names) {
    let ascending = (1..ids.len()).all(|i| ids[i - 1] < ids[i]);
    if ascending {
        return ((0..ids.len() as u32).collect(), ids.clone());
    }
    let prefix = |s: &str| {
        let mut head = [0u8; 16];
        let b = s.as_bytes();
        let k = b.len().min(16);
        head[..k].copy_from_slice(&b[..k]);
        u128::from_be_bytes(head)
    };
    let order = |a: &(u128, u32), b: &(u128, u32)| {
        a.0.cmp(&b.0)
            .then_with(|| ids[a.1 as usize].cmp(&ids[b.1 as usize]))
    };
    let sorted_part = |part: std::ops::Range<usize>| {
        let mut keyed: Vec<(u128, u32)> = part.map(|i| (prefix(&ids[i]), i as u32)).collect();
        keyed.sort_unstable_by(order);
        keyed
    };
    let (n, mid) = (ids.len(), ids.len() / 2);
    let (first, second) = match n < PARALLEL_FROM {
        true => (sorted_part(0..n), Vec::new()),
        false => std::thread::scope(|scope| {
            let second = scope.spawn(|| sorted_part(mid..n));
            let first = sorted_part(0..mid);
            (first, join(second))
        }),
    };
    let mut rank = vec![0u32; n];
    let mut sorted = Names::new();
    let mut previous: Option<(u128, u32)> = None;
    let (mut a, mut b) = (first.iter().peekable(), second.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) if order(x, y).is_le() => a.next(),
            (Some(_), None) => a.next(),
            _ => b.next(),
        };
        let Some(&(head, i)) = next else { break };
        if previous.is_none_or(|p| order(&p, &(head, i)).is_ne()) {
            sorted.push(&ids[i as usize]);
            previous = Some((head, i));
        }
        rank[i as usize] = (sorted.len() - 1) as u32;
    }
    (rank, sorted)
}

/// Below this many items, work is done on one core: a thread costs more than it saves.
const PARALLEL_FROM: usize = 1 << 16;

/// What a scoped thread returned; its panic goes on in this thread.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_are_numbered_as_strings_past_their_first_sixteen_bytes() {
        let ids: Names = [
            "006Hs00001AbCdE-b",
            "006Hs00001AbCdE-a",
            "006Hs00001AbCdE",
            "",
            "商机-乙",
            "商机-甲",
            "D-2",
            "D-10",
            "006Hs00001AbCdE\0",
        ]
        .into_iter()
        .collect();
        let (rank, sorted) = numbered(&ids);
        let mut want: Vec<&str> = ids.iter().collect();
        want.sort();
        assert_eq!(sorted.iter().collect::<Vec<_>>(), want);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(&sorted[rank[i] as usize], id);
        }
        let (rank, again) = numbered(&sorted);
        assert_eq!(rank, (0..9).collect::<Vec<u32>>());
        assert_eq!(again, sorted);
    }

    #[test]
    fn a_case_read_twice_is_one_case() {
        let ids: Names = [
            "D-2",
            "D-1",
            "D-2",
            "006Hs00001AbCdE-a",
            "D-1",
            "006Hs00001AbCdE-a",
        ]
        .into_iter()
        .collect();
        let (rank, sorted) = numbered(&ids);
        assert_eq!(
            sorted.iter().collect::<Vec<_>>(),
            ["006Hs00001AbCdE-a", "D-1", "D-2"]
        );
        assert_eq!(rank, [2, 1, 2, 0, 1, 0]);
        let (rank, sorted) = numbered(&["a", "a"].into_iter().collect());
        assert_eq!((rank, sorted.len()), (vec![0, 0], 1));
    }

    #[test]
    fn a_scatter_puts_each_element_at_its_target() {
        let moved = scatter(vec!['a', 'b', 'c', 'd'], &[2, 0, 3, 1]);
        assert_eq!(moved, ['b', 'd', 'a', 'c']);
        assert!(scatter(Vec::<u32>::new(), &[1, 0]).is_empty());
    }
}
