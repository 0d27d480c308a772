//! Fitness of a log to the SOP pipeline seen as a Petri net state machine: places `source`, one
//! per stage and `sink`; a transition labelled with the start stage from `source`; for each
//! `a -> b` a transition labelled `b` from `a` to `b`; a silent transition from each terminal
//! stage to `sink`.
//!
//! - Alignment: the least number of log moves and model moves (each cost 1, synchronous moves
//!   and the silent moves free) that turn a case into a complete path: a 0-1 BFS over the
//!   states (events consumed, place), done one layer of events at a time.
//! - Token replay, as pm4py defines it.

use std::collections::VecDeque;

use super::cases::alignment_fitness;
use super::events::EventLog;
use super::process::Process;
use super::report::{Alignment, TokenReplay, round6};

/// Token counts of one replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Tokens added because no input place of a fired transition held one (or the `sink` none).
    pub missing: u64,
    /// Tokens consumed by the transitions fired, and the one taken from `sink` at the end.
    pub consumed: u64,
    /// Tokens left in the places at the end, once the `sink` token is consumed.
    pub remaining: u64,
    /// Tokens produced by the transitions fired, the initial one in `source` included.
    pub produced: u64,
}

impl Tokens {
    /// ½(1 − m/c) + ½(1 − r/p).
    pub fn fitness(self) -> f64 {
        let part = |a: u64, b: u64| {
            if b == 0 {
                1.0
            } else {
                1.0 - a as f64 / b as f64
            }
        };
        0.5 * part(self.missing, self.consumed) + 0.5 * part(self.remaining, self.produced)
    }
}

/// Fitness of every case and of the log.
#[derive(Debug, Clone, Default)]
pub struct LogFitness {
    /// Each case's alignment cost, in the order of the event log's cases; empty when the
    /// pipeline has no complete path.
    pub alignment_cost: Vec<u32>,
    /// Each case's token-replay fitness, rounded to 6 decimals, in the same order.
    pub token_fitness: Vec<f64>,
    /// The log's alignment fitness, over all cases and over the closed ones.
    pub alignment: Alignment,
    /// The log's token-replay fitness.
    pub token_replay: TokenReplay,
}

/// Computes both fitness measures for every case of `log`.
pub fn compute(log: &EventLog, process: &Process) -> LogFitness {
    let mut aligner = Aligner::new(process);
    let mut replayer = Replayer::new(process);
    let shortest = process.shortest_complete_path;
    let mut out = LogFitness::default();
    let (mut cost, mut size, mut closed_cost, mut closed_size) = (0u64, 0u64, 0u64, 0u64);
    let (mut case_sum, mut token_sum) = (0.0, 0.0);
    let mut sums = Tokens::default();
    if shortest.is_some() {
        out.alignment_cost.reserve_exact(log.cases());
    }
    out.token_fitness.reserve_exact(log.cases());
    let mut known: Vec<Option<usize>> = Vec::new();
    for c in 0..log.cases() {
        let stages = &log.stages[log.range(c)];
        known.clear();
        known.extend(stages.iter().map(|&s| log.known_stage(s)));
        let n = stages.len() as u64;
        if let Some(l) = shortest {
            let d = aligner.cost(&known);
            let fitness = alignment_fitness(d, stages.len(), l);
            out.alignment_cost
                .push(u32::try_from(d).unwrap_or(u32::MAX));
            cost += d;
            size += n + l as u64;
            case_sum += fitness;
            out.alignment.fitting_cases += u64::from(d == 0);
            let closed = known
                .last()
                .copied()
                .flatten()
                .is_some_and(|k| process.terminal[k]);
            if closed {
                out.alignment.closed_cases += 1;
                closed_cost += d;
                closed_size += n + l as u64;
            }
        }
        let t = replayer.replay(&known);
        sums.missing += t.missing;
        sums.consumed += t.consumed;
        sums.remaining += t.remaining;
        sums.produced += t.produced;
        let fitness = t.fitness();
        token_sum += fitness;
        out.token_replay.fitting_cases += u64::from(t.missing == 0 && t.remaining == 0);
        out.token_fitness.push(round6(fitness));
    }
    let cases = log.cases() as f64;
    let ratio = |a: u64, b: u64| (b > 0).then(|| round6(1.0 - a as f64 / b as f64));
    out.alignment.shortest_complete_path = shortest;
    if shortest.is_some() {
        out.alignment.log_fitness = ratio(cost, size);
        out.alignment.closed_log_fitness = ratio(closed_cost, closed_size);
        out.alignment.mean_case_fitness = (cases > 0.0).then(|| round6(case_sum / cases));
    }
    let t = &mut out.token_replay;
    t.missing = sums.missing;
    t.consumed = sums.consumed;
    t.remaining = sums.remaining;
    t.produced = sums.produced;
    if log.cases() > 0 {
        t.log_fitness = Some(round6(sums.fitness()));
        t.mean_case_fitness = Some(round6(token_sum / cases));
    }
    out
}

/// Alignment cost, computed event by event; buffers kept between cases.
///
/// The states of the 0-1 BFS are (events consumed, place). Layer `i` holds the least cost of
/// every place after `i` events; only the current layer is kept, so memory is linear in the
/// stages whatever the length of the case. Storing each cost less `i` makes a log move (cost 1
/// to every place of the next layer) free to apply, and since a layer is closed under model moves
/// (a place costs at most one more than each of its predecessors), only the place of a
/// synchronous move can improve; a breadth-first search from it restores the closure.
pub struct Aligner<'p> {
    process: &'p Process,
    /// Input places of the transitions labelled with each stage (`source` is `k`).
    preds: Vec<Vec<usize>>,
    /// Per place (stages, then `source`): least cost after the events so far, less their number.
    cost: Vec<i64>,
    /// The costs before any event: model moves from `source`, the same for every case.
    initial: Vec<i64>,
    queue: VecDeque<usize>,
}

/// A place not reachable yet.
const UNREACHED: i64 = i64::MAX / 4;

impl<'p> Aligner<'p> {
    /// An aligner for `process`, with the costs before any event computed once.
    pub fn new(process: &'p Process) -> Self {
        let k = process.len();
        let mut preds = vec![Vec::new(); k];
        if let Some(s) = process.start {
            preds[s].push(k);
        }
        for (a, succ) in process.successors.iter().enumerate() {
            for &b in succ {
                preds[b].push(a);
            }
        }
        let mut aligner = Aligner {
            process,
            preds,
            cost: vec![UNREACHED; k + 1],
            initial: Vec::new(),
            queue: VecDeque::new(),
        };
        aligner.cost[k] = 0;
        aligner.spread(k);
        aligner.initial = aligner.cost.clone();
        aligner
    }

    /// The least number of log and model moves for a case (`None` entries: stages outside the
    /// SOP, which only log moves can take). Requires a complete path to exist.
    pub fn cost(&mut self, case: &[Option<usize>]) -> u64 {
        let k = self.process.len();
        self.cost.copy_from_slice(&self.initial);
        for &event in case {
            // Every place's cost grows by one log move: the stored values stay as they are.
            let Some(q) = event else { continue };
            // A synchronous move into `q` from one of its input places costs nothing: one less
            // than the log move the stored values already count.
            let best = self.preds[q].iter().map(|&p| self.cost[p]).min();
            if let Some(best) = best.filter(|&b| b < UNREACHED / 2 && b - 1 < self.cost[q]) {
                self.cost[q] = best - 1;
                self.spread(q);
            }
        }
        let n = case.len() as i64;
        let best = (0..k)
            .filter(|&z| self.process.terminal[z] && self.cost[z] < UNREACHED / 2)
            .map(|z| self.cost[z] + n)
            .min();
        match best {
            Some(d) => d as u64,
            // Unreachable when a complete path exists: every case can be aligned to it.
            None => (case.len() + self.process.shortest_complete_path.unwrap_or(0)) as u64,
        }
    }

    /// Model moves (cost 1 each) from `from`, lowering every place they make cheaper.
    fn spread(&mut self, from: usize) {
        let k = self.process.len();
        self.queue.clear();
        self.queue.push_back(from);
        while let Some(a) = self.queue.pop_front() {
            let successors: &[usize] = if a == k {
                self.process.start.as_slice()
            } else {
                &self.process.successors[a]
            };
            let next = self.cost[a] + 1;
            for &b in successors {
                if next < self.cost[b] {
                    self.cost[b] = next;
                    self.queue.push_back(b);
                }
            }
        }
    }
}

/// Token replay with the most recently produced token preferred; buffers kept between cases.
pub struct Replayer<'p> {
    process: &'p Process,
    /// Input places of the transitions labelled with each stage (`source` is `k`).
    inputs: Vec<Vec<usize>>,
    /// Per place (stages, `source`, `sink`): the production numbers of its tokens, newest last.
    places: Vec<Vec<u64>>,
}

impl<'p> Replayer<'p> {
    /// A replayer for `process`, with empty places.
    pub fn new(process: &'p Process) -> Self {
        let k = process.len();
        let mut inputs = vec![Vec::new(); k];
        if let Some(s) = process.start {
            inputs[s].push(k);
        }
        for (a, succ) in process.successors.iter().enumerate() {
            for &b in succ {
                inputs[b].push(a);
            }
        }
        Replayer {
            process,
            inputs,
            places: vec![Vec::new(); k + 2],
        }
    }

    /// Replays one case; stages outside the SOP are skipped.
    pub fn replay(&mut self, case: &[Option<usize>]) -> Tokens {
        let k = self.process.len();
        let (source, sink) = (k, k + 1);
        for p in &mut self.places {
            p.clear();
        }
        let mut clock = 0u64;
        self.places[source].push(clock);
        let mut t = Tokens {
            produced: 1,
            ..Tokens::default()
        };
        for &b in case.iter().flatten() {
            let newest = self.inputs[b]
                .iter()
                .filter_map(|&p| self.places[p].last().map(|&n| (n, p)))
                .max();
            match newest {
                Some((_, p)) => {
                    self.places[p].pop();
                }
                None => t.missing += 1,
            }
            t.consumed += 1;
            t.produced += 1;
            clock += 1;
            self.places[b].push(clock);
        }
        let newest_terminal = (0..k)
            .filter(|&z| self.process.terminal[z])
            .filter_map(|z| self.places[z].last().map(|&n| (n, z)))
            .max();
        if let Some((_, z)) = newest_terminal {
            self.places[z].pop();
            t.consumed += 1;
            t.produced += 1;
            clock += 1;
            self.places[sink].push(clock);
        }
        if self.places[sink].pop().is_none() {
            t.missing += 1;
        }
        t.consumed += 1;
        t.remaining = self.places.iter().map(|p| p.len() as u64).sum();
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain 0-1 BFS over every state (events consumed, place), kept to check the
    /// layer-by-layer one against.
    fn full_bfs(process: &Process, case: &[Option<usize>]) -> u64 {
        let k = process.len();
        let (source, width, n) = (k, k + 1, case.len());
        let mut dist = vec![u64::MAX; (n + 1) * width];
        let mut queue = VecDeque::from([(0usize, source, 0u64)]);
        dist[source] = 0;
        while let Some((i, place, d)) = queue.pop_front() {
            if d > dist[i * width + place] {
                continue;
            }
            if i == n && place < k && process.terminal[place] {
                return d;
            }
            let next = case.get(i).copied().flatten();
            let mut relax = |queue: &mut VecDeque<_>, j: usize, q: usize, cost: u64| {
                let nd = d + cost;
                if nd < dist[j * width + q] {
                    dist[j * width + q] = nd;
                    if cost == 0 {
                        queue.push_front((j, q, nd));
                    } else {
                        queue.push_back((j, q, nd));
                    }
                }
            };
            if i < n {
                relax(&mut queue, i + 1, place, 1);
            }
            let successors: &[usize] = if place == source {
                process.start.as_slice()
            } else {
                &process.successors[place]
            };
            for &q in successors {
                relax(&mut queue, i, q, 1);
                if next == Some(q) {
                    relax(&mut queue, i + 1, q, 0);
                }
            }
        }
        u64::MAX
    }

    /// Stages, edges, terminal stages and cases.
    type Sample = (
        usize,
        Vec<(usize, usize)>,
        Vec<usize>,
        Vec<Vec<Option<usize>>>,
    );

    fn graph_and_cases() -> impl Strategy<Value = Sample> {
        (2usize..9).prop_flat_map(|k| {
            (
                Just(k),
                prop::collection::vec((0..k, 0..k), 1..(3 * k)),
                prop::collection::vec(0..k, 1..3),
                prop::collection::vec(
                    prop::collection::vec(prop::option::weighted(0.9, 0..k), 0..14),
                    1..6,
                ),
            )
        })
    }

    proptest! {
        #[test]
        fn layer_by_layer_alignment_equals_the_full_search(
            (k, edges, terminal, cases) in graph_and_cases()
        ) {
            let process = Process::from_edges(k, Some(0), &edges, &terminal);
            prop_assume!(process.shortest_complete_path.is_some());
            let mut aligner = Aligner::new(&process);
            for case in &cases {
                prop_assert_eq!(aligner.cost(case), full_bfs(&process, case), "{:?}", case);
            }
        }
    }

    #[test]
    fn a_long_case_over_a_long_chain_is_aligned_exactly() {
        // s0 -> s1 -> ... -> s(k-1), terminal at the end; the case walks the chain twice.
        let k = 300;
        let edges: Vec<_> = (0..k - 1).map(|i| (i, i + 1)).collect();
        let process = Process::from_edges(k, Some(0), &edges, &[k - 1]);
        let case: Vec<Option<usize>> = (0..2 * k).map(|i| Some(i % k)).collect();
        // One pass fits; the second is k log moves.
        assert_eq!(Aligner::new(&process).cost(&case), k as u64);
        assert_eq!(full_bfs(&process, &case), k as u64);
    }
}
