//! Fitness of a log to the SOP pipeline seen as a Petri net state machine: places `source`, one
//! per stage and `sink`; a transition labelled with the start stage from `source`; for each
//! `a -> b` a transition labelled `b` from `a` to `b`; a silent transition from each terminal
//! stage to `sink`.
//!
//! - Alignment: the least number of log moves and model moves (each cost 1, synchronous moves
//!   and the silent moves free) that turn a case into a complete path, by a 0-1 BFS over the
//!   states (events consumed, place).
//! - Token replay, as pm4py defines it.

use std::collections::VecDeque;

use super::events::EventLog;
use super::process::Process;
use super::report::{Alignment, TokenReplay, round6};

/// What fitness says about one case.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CaseFitness {
    /// Least log + model moves; `None` when the SOP has no complete path.
    pub alignment_cost: Option<u64>,
    pub alignment_fitness: Option<f64>,
    pub tokens: Tokens,
}

/// Token counts of one replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub missing: u64,
    pub consumed: u64,
    pub remaining: u64,
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
    pub cases: Vec<CaseFitness>,
    pub alignment: Alignment,
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
    for c in 0..log.cases() {
        let stages = &log.stages[log.range(c)];
        let known: Vec<Option<usize>> = stages.iter().map(|&s| log.known_stage(s)).collect();
        let n = stages.len() as u64;
        let mut case = CaseFitness::default();
        if let Some(l) = shortest {
            let d = aligner.cost(&known);
            let fitness = 1.0 - d as f64 / (n + l as u64) as f64;
            case.alignment_cost = Some(d);
            case.alignment_fitness = Some(fitness);
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
        case.tokens = replayer.replay(&known);
        let t = case.tokens;
        sums.missing += t.missing;
        sums.consumed += t.consumed;
        sums.remaining += t.remaining;
        sums.produced += t.produced;
        token_sum += t.fitness();
        out.token_replay.fitting_cases += u64::from(t.missing == 0 && t.remaining == 0);
        out.cases.push(case);
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

/// Alignment cost by a 0-1 BFS; buffers kept between cases.
pub struct Aligner<'p> {
    process: &'p Process,
    dist: Vec<u64>,
    queue: VecDeque<(usize, usize, u64)>,
}

impl<'p> Aligner<'p> {
    pub fn new(process: &'p Process) -> Self {
        Aligner {
            process,
            dist: Vec::new(),
            queue: VecDeque::new(),
        }
    }

    /// The least number of log and model moves for a case (`None` entries: stages outside the
    /// SOP, which only log moves can take). Requires a complete path to exist.
    pub fn cost(&mut self, case: &[Option<usize>]) -> u64 {
        let k = self.process.len();
        let source = k;
        let width = k + 1;
        let n = case.len();
        self.dist.clear();
        self.dist.resize((n + 1) * width, u64::MAX);
        self.queue.clear();
        self.dist[source] = 0;
        self.queue.push_back((0, source, 0));
        let start = self.process.start;
        while let Some((i, place, d)) = self.queue.pop_front() {
            if d > self.dist[i * width + place] {
                continue;
            }
            if i == n && place < k && self.process.terminal[place] {
                return d;
            }
            let next = case.get(i).copied().flatten();
            let mut relax = |queue: &mut VecDeque<_>, j: usize, q: usize, cost: u64| {
                let nd = d + cost;
                let slot = &mut self.dist[j * width + q];
                if nd < *slot {
                    *slot = nd;
                    if cost == 0 {
                        queue.push_front((j, q, nd));
                    } else {
                        queue.push_back((j, q, nd));
                    }
                }
            };
            if i < n {
                relax(&mut self.queue, i + 1, place, 1);
            }
            let successors: &[usize] = if place == source {
                start.as_slice()
            } else {
                &self.process.successors[place]
            };
            for &q in successors {
                relax(&mut self.queue, i, q, 1);
                if next == Some(q) {
                    relax(&mut self.queue, i + 1, q, 0);
                }
            }
        }
        // Unreachable when a complete path exists: every case can be aligned to it.
        (n + self.process.shortest_complete_path.unwrap_or(0)) as u64
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
