//! Graph walks shared by the checks. All iterative: a pipeline of 100,000 stages must not
//! overflow the stack.

use petgraph::Direction;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef};

/// Nodes reachable from `start` (itself included).
pub fn reachable_from<N, E>(graph: &DiGraph<N, E>, start: NodeIndex) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    let mut bfs = Bfs::new(graph, start);
    while let Some(n) = bfs.next(graph) {
        seen[n.index()] = true;
    }
    seen
}

/// The nodes of the stages of `p` with a `->` to a name that is no stage of the pipeline.
///
/// Where such a `->` leads is unknown until the name is fixed (its `undefined-reference` says
/// so), so the graph checks do not guess: a stage that reaches one is not said to have no way
/// to a terminal stage, and while the start reaches one no stage is said to be unreachable.
/// One typo, one finding.
pub fn broken_edges(p: &crate::model::Pipeline) -> Vec<NodeIndex> {
    p.stages
        .iter()
        .filter(|s| s.transitions.iter().any(|t| t.target.target.is_none()))
        .map(|s| s.node)
        .collect()
}

/// Nodes from which some node of `targets` can be reached: one walk back from all of them, so
/// many targets cost no more than one.
pub fn reaching<N, E>(graph: &DiGraph<N, E>, targets: &[NodeIndex]) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    let mut stack: Vec<NodeIndex> = Vec::new();
    for &t in targets {
        if !seen[t.index()] {
            seen[t.index()] = true;
            stack.push(t);
        }
    }
    while let Some(n) = stack.pop() {
        for m in graph.neighbors_directed(n, Direction::Incoming) {
            if !seen[m.index()] {
                seen[m.index()] = true;
                stack.push(m);
            }
        }
    }
    seen
}

/// Every cycle's nodes in walking order, starting from its lowest-numbered node.
/// One cycle per strongly connected component.
pub fn cycles<N, E>(graph: &DiGraph<N, E>) -> Vec<Vec<NodeIndex>> {
    let mut out = Vec::new();
    // Shared by every component and cleared after each, so many small cycles in a big graph
    // cost their own size, not the graph's each.
    let mut walk = Walk {
        in_scc: vec![false; graph.node_count()],
        parent: vec![None; graph.node_count()],
        seen: vec![false; graph.node_count()],
        touched: Vec::new(),
    };
    for scc in kosaraju_scc(graph) {
        let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        for n in &scc {
            walk.in_scc[n.index()] = true;
        }
        let first = *scc.iter().min().expect("non-empty");
        out.push(walk.cycle_through(graph, first));
        for n in &scc {
            walk.in_scc[n.index()] = false;
        }
        for n in walk.touched.drain(..) {
            walk.seen[n.index()] = false;
            walk.parent[n.index()] = None;
        }
    }
    out.sort();
    out
}

/// A cycle of [`cycles`] as the checks report it, its nodes mapped to the items they stand for
/// (`ids`, indexes into the items in reading order).
pub struct Closed {
    /// Where the cycle closes in reading order: the position in `ids` of the item read last.
    pub last: usize,
    /// The names of the cycle's items in walking order.
    pub names: Vec<String>,
}

impl Closed {
    /// `ids` in walking order, each item named by `name`.
    pub fn new(ids: &[usize], name: impl Fn(usize) -> String) -> Closed {
        let last = (0..ids.len()).max_by_key(|&k| ids[k]).expect("non-empty");
        Closed {
            last,
            names: ids.iter().map(|&i| name(i)).collect(),
        }
    }

    /// The cycle walked back to its start: `` `a` -> `b` -> `a` ``.
    pub fn chain(&self) -> String {
        let mut names = self.names.clone();
        names.push(names[0].clone());
        crate::text::chain(&names)
    }

    /// The positions other than the closing one, each link that gets a secondary label.
    pub fn others(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.names.len()).filter(|&k| k != self.last)
    }
}

struct Walk {
    in_scc: Vec<bool>,
    parent: Vec<Option<NodeIndex>>,
    seen: Vec<bool>,
    /// The nodes whose `seen` or `parent` were set.
    touched: Vec<NodeIndex>,
}

impl Walk {
    /// A simple cycle from `first` back to it, staying inside the component (breadth-first, so
    /// the shortest one).
    fn cycle_through<N, E>(&mut self, graph: &DiGraph<N, E>, first: NodeIndex) -> Vec<NodeIndex> {
        let mut queue = std::collections::VecDeque::from([first]);
        self.seen[first.index()] = true;
        self.touched.push(first);
        while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = graph
                .edges_directed(n, Direction::Outgoing)
                .map(|e| e.target())
                .collect();
            next.sort();
            for m in next {
                if m == first {
                    let mut path = vec![n];
                    let mut cur = n;
                    while let Some(p) = self.parent[cur.index()] {
                        path.push(p);
                        cur = p;
                    }
                    path.reverse();
                    return path;
                }
                if self.in_scc[m.index()] && !self.seen[m.index()] {
                    self.seen[m.index()] = true;
                    self.parent[m.index()] = Some(n);
                    self.touched.push(m);
                    queue.push_back(m);
                }
            }
        }
        vec![first]
    }
}
