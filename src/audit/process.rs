//! The SOP pipeline seen as a process model: its stages, the `->` edges of its petgraph graph,
//! reachability between stages and the shortest complete path.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use petgraph::visit::EdgeRef;

use crate::model::Pipeline;

/// How an observed transition relates to the SOP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransitionKind {
    /// The SOP has `a -> b`.
    Allowed,
    /// `a` or `b` is not a stage of the SOP.
    UnknownStage,
    /// `b` is reachable from `a` by a longer path.
    Skip,
    /// `a` is reachable from `b` (this includes leaving a terminal stage).
    Backward,
    /// Neither.
    Jump,
}

impl TransitionKind {
    /// The kind's code as the report writes it: `allowed`, `unknown-stage`, `skip`, `backward`,
    /// `jump`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransitionKind::Allowed => "allowed",
            TransitionKind::UnknownStage => "unknown-stage",
            TransitionKind::Skip => "skip",
            TransitionKind::Backward => "backward",
            TransitionKind::Jump => "jump",
        }
    }
}

/// Memory the cached reachability sets may take.
const REACH_CACHE_BYTES: usize = 64 << 20;

/// The stages of one pipeline, indexed in declaration order, with the graph's edges.
#[derive(Debug, Clone)]
pub struct Process {
    /// Each stage's id.
    pub ids: Vec<String>,
    /// Each stage's title, else its id.
    pub titles: Vec<String>,
    /// Whether each stage has the `terminal` flag: it ends the pipeline.
    pub terminal: Vec<bool>,
    /// `sla` in seconds.
    pub sla_s: Vec<Option<u64>>,
    /// The stage the work enters at.
    pub start: Option<usize>,
    /// Successors of each stage, from the graph (each once).
    pub successors: Vec<Vec<usize>>,
    /// Per stage, the stages a path of one or more transitions leads to (a bit set), found
    /// when first asked for: a log touches few of the pairs of a large pipeline, and a table of
    /// all of them would take stages² bytes.
    reach: RefCell<HashMap<usize, Vec<u64>>>,
    /// Stages on the shortest path from the start stage to a terminal stage.
    pub shortest_complete_path: Option<usize>,
    by_id: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
}

impl Process {
    /// The process model of `pipeline`, read from its graph.
    pub fn new(pipeline: &Pipeline) -> Process {
        let n = pipeline.stages.len();
        let graph = &pipeline.graph;
        let mut successors = vec![Vec::new(); n];
        for e in graph.edge_references() {
            successors[graph[e.source()]].push(graph[e.target()]);
        }
        for s in &mut successors {
            s.sort_unstable();
            s.dedup();
        }
        let mut by_title = HashMap::new();
        for (i, s) in pipeline.stages.iter().enumerate().rev() {
            if let Some(t) = &s.def.title {
                by_title.insert(t.clone(), i);
            }
        }
        let mut process = Process {
            ids: pipeline.stages.iter().map(|s| s.def.id.clone()).collect(),
            titles: pipeline
                .stages
                .iter()
                .map(|s| s.def.display_title().to_string())
                .collect(),
            terminal: pipeline.stages.iter().map(|s| s.terminal).collect(),
            sla_s: pipeline
                .stages
                .iter()
                .map(|s| {
                    let sla = &s.sla.as_ref()?.value;
                    sla.amount?
                        .checked_mul(sla.unit.minutes())?
                        .checked_mul(60)
                        .filter(|&s| s > 0)
                })
                .collect(),
            start: pipeline.start_stage(),
            successors,
            reach: RefCell::default(),
            shortest_complete_path: None,
            by_id: pipeline.stage_index.clone(),
            by_title,
        };
        process.shortest_complete_path = process.shortest_to_terminal();
        process
    }

    /// A process of `k` stages named `s0`, `s1`… with the given edges, for tests.
    #[cfg(test)]
    pub(crate) fn from_edges(
        k: usize,
        start: Option<usize>,
        edges: &[(usize, usize)],
        terminal: &[usize],
    ) -> Process {
        let mut successors = vec![Vec::new(); k];
        for &(a, b) in edges {
            successors[a].push(b);
        }
        for s in &mut successors {
            s.sort_unstable();
            s.dedup();
        }
        let mut process = Process {
            ids: (0..k).map(|i| format!("s{i}")).collect(),
            titles: (0..k).map(|i| format!("s{i}")).collect(),
            terminal: (0..k).map(|i| terminal.contains(&i)).collect(),
            sla_s: vec![None; k],
            start,
            successors,
            reach: RefCell::default(),
            shortest_complete_path: None,
            by_id: (0..k).map(|i| (format!("s{i}"), i)).collect(),
            by_title: HashMap::new(),
        };
        process.shortest_complete_path = process.shortest_to_terminal();
        process
    }

    /// Number of stages.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the pipeline has no stage.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The stage with this id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The lookups of [`Process::by_id`] and [`Process::by_title`] as maps of their own (which,
    /// unlike the process, may be shared between threads).
    pub fn name_maps(&self) -> (HashMap<String, usize>, HashMap<String, usize>) {
        (self.by_id.clone(), self.by_title.clone())
    }

    /// The first stage (in SOP order) with this title.
    pub fn by_title(&self, title: &str) -> Option<usize> {
        self.by_title.get(title).copied()
    }

    /// Whether the SOP has `a -> b`.
    pub fn allows(&self, a: usize, b: usize) -> bool {
        self.successors[a].binary_search(&b).is_ok()
    }

    /// Whether `b` can be reached from `a` by one or more transitions.
    pub fn reaches(&self, a: usize, b: usize) -> bool {
        let word = |set: &[u64]| set[b / 64] >> (b % 64) & 1 == 1;
        if let Some(set) = self.reach.borrow().get(&a) {
            return word(set);
        }
        let set = self.reached_from(a);
        let found = word(&set);
        let mut cache = self.reach.borrow_mut();
        // Kept while they take at most 64 MB; past that each question is a search of its own.
        if (cache.len() + 1) * set.len() * 8 <= REACH_CACHE_BYTES {
            cache.insert(a, set);
        }
        found
    }

    /// The kind of an observed transition; `None` for a stage outside the SOP.
    pub fn kind(&self, a: Option<usize>, b: Option<usize>) -> TransitionKind {
        let (Some(a), Some(b)) = (a, b) else {
            return TransitionKind::UnknownStage;
        };
        if self.allows(a, b) {
            TransitionKind::Allowed
        } else if self.reaches(a, b) {
            TransitionKind::Skip
        } else if self.reaches(b, a) {
            TransitionKind::Backward
        } else {
            TransitionKind::Jump
        }
    }

    /// The stages reached from `a` by one or more transitions, as a bit set (a depth-first
    /// search).
    fn reached_from(&self, a: usize) -> Vec<u64> {
        let mut set = vec![0u64; self.len().div_ceil(64)];
        let mut stack: Vec<usize> = self.successors[a].clone();
        while let Some(s) = stack.pop() {
            if set[s / 64] >> (s % 64) & 1 == 1 {
                continue;
            }
            set[s / 64] |= 1 << (s % 64);
            stack.extend(&self.successors[s]);
        }
        set
    }

    /// Stages on the shortest path start → … → terminal (a breadth-first search).
    fn shortest_to_terminal(&self) -> Option<usize> {
        let start = self.start?;
        let mut dist = vec![usize::MAX; self.len()];
        dist[start] = 1;
        let mut queue = VecDeque::from([start]);
        while let Some(a) = queue.pop_front() {
            if self.terminal[a] {
                return Some(dist[a]);
            }
            for &b in &self.successors[a] {
                if dist[b] == usize::MAX {
                    dist[b] = dist[a] + 1;
                    queue.push_back(b);
                }
            }
        }
        None
    }
}
