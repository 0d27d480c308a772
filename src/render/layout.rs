//! A small layered (Sugiyama-style) layout for pipeline diagrams, top to bottom: back edges found
//! by a depth-first search from the start stage are turned around, layers are longest paths,
//! long edges get dummy nodes, layers are ordered by barycenters (keeping the ordering with the
//! fewest crossings) and x positions are the closest to the neighbours' that keep nodes apart
//! (isotonic regression). Edge labels are nodes of their own, in a layer between every two layers
//! of stages, as Graphviz places them ([`layout_labelled`]). Everything runs in a fixed order, so
//! the same graph gives the same picture.

/// A node to place: its size.
#[derive(Debug, Clone, Copy)]
pub struct NodeSize {
    /// Width of the box, in SVG user units (pixels).
    pub width: f64,
    /// Height of the box, in SVG user units (pixels).
    pub height: f64,
}

/// An edge between two nodes (indexes into the node list).
#[derive(Debug, Clone, Copy)]
pub struct EdgeIn {
    /// The index of the node the edge leaves.
    pub from: usize,
    /// The index of the node the edge enters; equal to `from` for a self loop.
    pub to: usize,
}

/// A placed node: its centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Horizontal position of the centre, in SVG user units from the picture's left edge.
    pub x: f64,
    /// Vertical position of the centre, in SVG user units from the picture's top edge.
    pub y: f64,
}

/// A routed edge: the points it passes through, first to last in the edge's direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The route's points as `(x, y)`, in the same units as [`Placed`].
    pub points: Vec<(f64, f64)>,
    /// Drawn against the flow (to an earlier layer).
    pub back: bool,
    /// An edge from a node to itself, drawn as a loop out to the right of it.
    pub self_loop: bool,
}

/// Where a graph's nodes, edges and labels go: what [`layout()`] and [`column()`] return.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The centre of each node, in the order of the nodes given.
    pub nodes: Vec<Placed>,
    /// The route of each edge, in the order of the edges given.
    pub edges: Vec<Route>,
    /// The centre of each edge's label box, by edge (empty when the layout places no labels).
    pub labels: Vec<Option<Placed>>,
    /// The width of the whole picture, margins included.
    pub width: f64,
    /// The height of the whole picture, margins included.
    pub height: f64,
}

/// Space between layers, and between nodes of a layer.
pub const LAYER_GAP: f64 = 64.0;
/// Space between two nodes side by side in a layer, box edge to box edge.
pub const NODE_GAP: f64 = 28.0;
const DUMMY_WIDTH: f64 = 12.0;
const MARGIN: f64 = 16.0;
/// Space between a layer of stages and a layer of labels.
pub const LABEL_LAYER_GAP: f64 = 22.0;
/// Space between an edge and its label, the edge included.
pub const LABEL_SIDE: f64 = 10.0;
/// How far a self loop reaches out to the right of its stage.
pub const SELF_LOOP: f64 = 30.0;
/// The most space between the ends of two edges on one side of a stage.
const PORT_GAP: f64 = 14.0;

/// The layered layout is used up to this many stages; larger pipelines get [`column()`].
pub const LAYERED_MAX_STAGES: usize = 300;
/// … and up to this many nodes with the dummies of long edges (which grow with stages × edges).
pub const LAYERED_MAX_NODES: usize = 3_000;
/// Space between the column and the first lane of edges beside it, and between lanes.
const LANE_GAP: f64 = 14.0;
/// Lanes beside the column: an edge spanning `s` stages runs in lane ⌊log₂ s⌋, at most this.
const MAX_LANE: usize = 12;

/// Lays out `nodes` with `edges`, starting the search for back edges at `start`: layered up to
/// [`LAYERED_MAX_STAGES`] stages and [`LAYERED_MAX_NODES`] nodes with dummies, else one column
/// ([`column()`]).
pub fn layout(nodes: &[NodeSize], edges: &[EdgeIn], start: usize) -> Layout {
    layout_labelled(nodes, edges, &[], start)
}

/// Like [`layout`], with a label box for some edges (`labels[i]` for `edges[i]`; missing ones
/// have none). As Graphviz does it, a labelled graph gets a layer between every two layers of
/// stages, and each label is a node there, placed like any other node: no label can cover a
/// stage or another label, and every edge crosses a layer of labels straight down, beside the
/// labels, never through one. The column layout places no labels ([`Layout::labels`] is empty).
pub fn layout_labelled(
    nodes: &[NodeSize],
    edges: &[EdgeIn],
    labels: &[Option<NodeSize>],
    start: usize,
) -> Layout {
    let n = nodes.len();
    if n == 0 {
        return Layout {
            nodes: Vec::new(),
            edges: Vec::new(),
            labels: Vec::new(),
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
        };
    }
    let label = |i: usize| labels.get(i).copied().flatten();
    let labelled = (0..edges.len()).any(|i| label(i).is_some());
    let step = if labelled { 2 } else { 1 };
    let back = back_edges(n, edges, start);
    let layer = layers(n, edges, &back, step);
    let dummies: usize = (edges.iter().enumerate())
        .filter(|(_, e)| e.from != e.to)
        .map(|(i, e)| {
            let (a, b) = if back[i] {
                (e.to, e.from)
            } else {
                (e.from, e.to)
            };
            layer[b] - layer[a] - 1
        })
        .sum();
    if n > LAYERED_MAX_STAGES || n + dummies > LAYERED_MAX_NODES {
        return column(nodes, edges);
    }
    // Room a self loop (and its label) takes on the right of its stage: the stage is placed as
    // if that much wider on both sides, so that its neighbours keep clear.
    let mut loop_room = vec![0.0f64; n];
    for (i, e) in edges.iter().enumerate() {
        if e.from == e.to {
            let room = SELF_LOOP + label(i).map_or(0.0, |l| l.width + LABEL_SIDE);
            loop_room[e.from] = loop_room[e.from].max(room);
        }
    }
    // Virtual graph: real nodes, then dummies; each edge a chain of virtual nodes top to bottom.
    let mut widths: Vec<f64> = (nodes.iter().zip(&loop_room))
        .map(|(s, room)| s.width + 2.0 * room)
        .collect();
    let mut heights: Vec<f64> = nodes.iter().map(|s| s.height).collect();
    let mut vlayer = layer.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    // The virtual node of each edge's label.
    let mut label_node: Vec<Option<usize>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        if e.from == e.to {
            chains.push(vec![e.from]);
            continue;
        }
        let (top, bottom) = if back[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        };
        let mut chain = vec![top];
        for l in layer[top] + 1..layer[bottom] {
            match label(i).filter(|_| l == layer[top] + 1) {
                Some(size) => {
                    widths.push(size.width + LABEL_SIDE);
                    heights.push(size.height);
                    label_node[i] = Some(widths.len() - 1);
                }
                None => {
                    widths.push(DUMMY_WIDTH);
                    heights.push(0.0);
                }
            }
            vlayer.push(l);
            chain.push(widths.len() - 1);
        }
        chain.push(bottom);
        chains.push(chain);
    }
    let layer_count = vlayer.iter().max().map_or(0, |m| m + 1);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); widths.len()];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); widths.len()];
    for chain in &chains {
        for w in chain.windows(2) {
            succs[w[0]].push(w[1]);
            preds[w[1]].push(w[0]);
        }
    }
    let order = order_layers(
        &vlayer,
        layer_count,
        &preds,
        &succs,
        &discovery(n, edges, start),
    );
    let xs = place_x(&order, &widths, &preds, &succs);
    // y: the centre of each layer, layers as tall as their tallest node (or label); a self loop's
    // label sits level with its stage.
    let mut layer_h = vec![0.0f64; layer_count];
    for (v, h) in heights.iter().enumerate() {
        layer_h[vlayer[v]] = layer_h[vlayer[v]].max(*h);
    }
    for (i, e) in edges.iter().enumerate() {
        if let (true, Some(l)) = (e.from == e.to, label(i)) {
            layer_h[layer[e.from]] = layer_h[layer[e.from]].max(l.height);
        }
    }
    let gap = if labelled { LABEL_LAYER_GAP } else { LAYER_GAP };
    let mut layer_y = Vec::with_capacity(layer_count);
    let mut y = MARGIN;
    for h in &layer_h {
        layer_y.push(y + h / 2.0);
        y += h + gap;
    }
    let height = y - gap + MARGIN;
    let min_x = (0..widths.len())
        .map(|i| xs[i] - widths[i] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let max_x = (0..widths.len())
        .map(|i| xs[i] + widths[i] / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let shift = MARGIN - min_x;
    let at = |v: usize| (xs[v] + shift, layer_y[vlayer[v]]);
    let placed: Vec<Placed> = (0..n)
        .map(|i| Placed {
            x: at(i).0,
            y: at(i).1,
        })
        .collect();
    // A label's box: on the right of where its edge runs down the label layer.
    let label_box = |v: usize| {
        let (x, y) = at(v);
        Placed {
            x: x + LABEL_SIDE / 2.0,
            y,
        }
    };
    // Where an edge crosses a virtual node: straight down from the top of its layer to the bottom,
    // at the left of a label's box.
    let crossing = |v: usize, is_label: bool| {
        let (x, y) = at(v);
        let x = if is_label {
            x - widths[v] / 2.0 + LABEL_SIDE / 2.0
        } else {
            x
        };
        let half = layer_h[vlayer[v]] / 2.0;
        [(x, y - half), (x, y + half)]
    };
    let mut routes: Vec<Route> = (edges.iter().zip(&chains).enumerate())
        .map(|(i, (e, chain))| {
            route(e, chain, back[i], nodes, &at, &|v| {
                crossing(v, label_node[i] == Some(v))
            })
        })
        .collect();
    spread_ports(&mut routes, edges, &placed, nodes);
    let label_at = (0..edges.len())
        .map(|i| {
            let e = edges[i];
            let size = label(i)?;
            if e.from == e.to {
                let p = placed[e.from];
                return Some(Placed {
                    x: p.x
                        + nodes[e.from].width / 2.0
                        + SELF_LOOP
                        + LABEL_SIDE / 2.0
                        + size.width / 2.0,
                    y: p.y,
                });
            }
            label_node[i].map(label_box)
        })
        .collect();
    Layout {
        nodes: placed,
        edges: routes,
        labels: label_at,
        width: max_x - min_x + 2.0 * MARGIN,
        height,
    }
}

/// The layout of a very large pipeline, in time and size linear in stages + edges: the stages
/// one under the other in declaration order, an edge to the next stage straight down, every
/// other edge in a lane beside the column, forward ones on the right and backward ones (drawn as
/// back edges) on the left, farther out the more stages they span.
pub fn column(nodes: &[NodeSize], edges: &[EdgeIn]) -> Layout {
    let widest = nodes.iter().map(|s| s.width).fold(0.0, f64::max);
    let lane = |e: &EdgeIn| (e.from.abs_diff(e.to).max(1).ilog2() as usize).min(MAX_LANE);
    let lanes = |forward: bool| {
        (edges.iter())
            .filter(|e| e.from != e.to && (e.to > e.from) == forward && e.to != e.from + 1)
            .map(|e| lane(e) as f64 + 1.0)
            .fold(0.0, f64::max)
    };
    let (left, right) = (lanes(false), lanes(true));
    let x = MARGIN + left * LANE_GAP + widest / 2.0;
    let mut y = MARGIN;
    let placed: Vec<Placed> = nodes
        .iter()
        .map(|s| {
            let p = Placed {
                x,
                y: y + s.height / 2.0,
            };
            y += s.height + LAYER_GAP / 2.0;
            p
        })
        .collect();
    let height = y - LAYER_GAP / 2.0 + MARGIN;
    let routes = edges
        .iter()
        .map(|e| {
            let (a, b) = (placed[e.from], placed[e.to]);
            let (sa, sb) = (nodes[e.from], nodes[e.to]);
            if e.from == e.to {
                return Route {
                    points: vec![
                        (x + sa.width / 2.0, a.y - 6.0),
                        (x + sa.width / 2.0, a.y + 6.0),
                    ],
                    back: false,
                    self_loop: true,
                };
            }
            if e.to == e.from + 1 {
                return Route {
                    points: vec![(x, a.y + sa.height / 2.0), (x, b.y - sb.height / 2.0)],
                    back: false,
                    self_loop: false,
                };
            }
            let forward = e.to > e.from;
            let side = if forward { 1.0 } else { -1.0 };
            let lane_x = x + side * (widest / 2.0 + (lane(e) as f64 + 1.0) * LANE_GAP);
            Route {
                points: vec![
                    (x + side * sa.width / 2.0, a.y),
                    (lane_x, a.y),
                    (lane_x, b.y),
                    (x + side * sb.width / 2.0, b.y),
                ],
                back: !forward,
                self_loop: false,
            }
        })
        .collect();
    let loop_room = if edges.iter().any(|e| e.from == e.to) {
        24.0
    } else {
        0.0
    };
    Layout {
        nodes: placed,
        edges: routes,
        labels: Vec::new(),
        width: 2.0 * MARGIN + (left + right) * LANE_GAP + widest + loop_room,
        height,
    }
}

/// The points of an edge: from the bottom of the upper node, straight down through each layer
/// between (`crossing`), to the top of the lower one; a back edge runs the other way. Where on
/// a stage's side an edge ends is left to [`spread_ports`].
fn route(
    e: &EdgeIn,
    chain: &[usize],
    back: bool,
    nodes: &[NodeSize],
    at: &dyn Fn(usize) -> (f64, f64),
    crossing: &dyn Fn(usize) -> [(f64, f64); 2],
) -> Route {
    if e.from == e.to {
        let (x, y) = at(e.from);
        let s = nodes[e.from];
        return Route {
            points: vec![(x + s.width / 2.0, y - 6.0), (x + s.width / 2.0, y + 6.0)],
            back: false,
            self_loop: true,
        };
    }
    let top = chain[0];
    let bottom = chain[chain.len() - 1];
    let mut points = Vec::with_capacity(2 * chain.len());
    let (x, y) = at(top);
    points.push((x, y + nodes[top].height / 2.0));
    for &d in &chain[1..chain.len() - 1] {
        let [a, b] = crossing(d);
        points.push(a);
        if b != a {
            points.push(b);
        }
    }
    let (x, y) = at(bottom);
    points.push((x, y - nodes[bottom].height / 2.0));
    if back {
        points.reverse();
    }
    Route {
        points,
        back,
        self_loop: false,
    }
}

/// One end of an edge on a side of a stage: the x of the point after it, the route, and whether
/// it is the route's first point.
type PortEnd = (f64, usize, bool);

/// Spreads the ends of the edges that meet one side of a stage along that side, in the order of
/// where they go, as Graphviz does: edges leave and enter side by side instead of at one point.
fn spread_ports(routes: &mut [Route], edges: &[EdgeIn], placed: &[Placed], nodes: &[NodeSize]) {
    // (node, bottom side?) -> (x of the next point, route, which end)
    let mut ends: std::collections::BTreeMap<(usize, bool), Vec<PortEnd>> = Default::default();
    for (i, (r, e)) in routes.iter().zip(edges).enumerate() {
        if r.self_loop || r.points.len() < 2 {
            continue;
        }
        // Either way round, the first point leaves `e.from` and the last enters `e.to`.
        let (first, last) = (e.from, e.to);
        let p = &r.points;
        let bottom = |v: usize, y: f64| y > placed[v].y;
        ends.entry((first, bottom(first, p[0].1)))
            .or_default()
            .push((p[1].0, i, true));
        let k = p.len();
        ends.entry((last, bottom(last, p[k - 1].1)))
            .or_default()
            .push((p[k - 2].0, i, false));
    }
    for ((v, _), mut list) in ends {
        if list.len() < 2 {
            continue;
        }
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let m = list.len() as f64;
        let spacing = (nodes[v].width * 0.7 / (m - 1.0)).min(PORT_GAP);
        for (k, (_, i, first)) in list.into_iter().enumerate() {
            let x = placed[v].x + (k as f64 - (m - 1.0) / 2.0) * spacing;
            let points = &mut routes[i].points;
            let at = if first { 0 } else { points.len() - 1 };
            points[at].0 = x;
        }
    }
}

/// Depth-first search order from `start`, then from every node not yet reached, in index order.
fn dfs(n: usize, edges: &[EdgeIn], start: usize, mut visit: impl FnMut(usize, usize, bool)) {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        out[e.from].push((i, e.to));
    }
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let roots = std::iter::once(start.min(n - 1)).chain(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        visit(usize::MAX, root, false);
        let mut stack = vec![(root, 0usize)];
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if let Some(&(edge, to)) = out[v].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        visit(edge, to, false);
                        stack.push((to, 0));
                    }
                    1 => visit(edge, to, true),
                    _ => visit(edge, to, false),
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
}

/// Which edges point back up the depth-first tree (to a node still on the stack).
fn back_edges(n: usize, edges: &[EdgeIn], start: usize) -> Vec<bool> {
    let mut back = vec![false; edges.len()];
    dfs(n, edges, start, |edge, _, is_back| {
        if is_back {
            back[edge] = true;
        }
    });
    back
}

/// The order nodes are first reached in: the initial order within layers.
fn discovery(n: usize, edges: &[EdgeIn], start: usize) -> Vec<usize> {
    let mut rank = vec![usize::MAX; n];
    let mut next = 0;
    dfs(n, edges, start, |_, to, _| {
        if rank[to] == usize::MAX {
            rank[to] = next;
            next += 1;
        }
    });
    rank
}

/// Longest-path layers over the edges with back edges turned around, each edge spanning at least
/// `step` layers.
fn layers(n: usize, edges: &[EdgeIn], back: &[bool], step: usize) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        if e.from == e.to {
            continue;
        }
        let (a, b) = if back[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        };
        out[a].push(b);
        indegree[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + step);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    layer
}

/// Orders each layer: start from first-reached order, then barycenter sweeps down and up,
/// keeping the ordering with the fewest crossings.
fn order_layers(
    vlayer: &[usize],
    layer_count: usize,
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    rank: &[usize],
) -> Vec<Vec<usize>> {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (v, &l) in vlayer.iter().enumerate() {
        order[l].push(v);
    }
    // Dummies come after real nodes in first-reached order, by creation.
    let key = |v: usize| rank.get(v).copied().unwrap_or(usize::MAX / 2 + v);
    for layer in &mut order {
        layer.sort_by_key(|&v| key(v));
    }
    let mut best = order.clone();
    let mut best_crossings = crossings(&order, succs, vlayer.len());
    for round in 0..8 {
        let down = round % 2 == 0;
        let mut pos = positions(&order, vlayer.len());
        let layers: Vec<usize> = if down {
            (1..layer_count).collect()
        } else {
            (0..layer_count.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let neighbours = if down { preds } else { succs };
            let bary: Vec<(f64, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let b = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (b, v)
                })
                .collect();
            let mut sorted = bary;
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(pos[a.1].cmp(&pos[b.1])));
            order[l] = sorted.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in order[l].iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = crossings(&order, succs, vlayer.len());
        if c < best_crossings {
            best_crossings = c;
            best = order.clone();
        }
    }
    best
}

fn positions(order: &[Vec<usize>], count: usize) -> Vec<usize> {
    let mut pos = vec![0; count];
    for layer in order {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Edge crossings between neighbouring layers.
fn crossings(order: &[Vec<usize>], succs: &[Vec<usize>], count: usize) -> usize {
    let pos = positions(order, count);
    let mut total = 0;
    for layer in order {
        let segs: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&v| succs[v].iter().map(move |&w| (v, w)))
            .map(|(v, w)| (pos[v], pos[w]))
            .collect();
        for (i, a) in segs.iter().enumerate() {
            for b in &segs[i + 1..] {
                if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                    total += 1;
                }
            }
        }
    }
    total
}

/// x centres: packed, then pulled towards the mean of the neighbours, alternately from above and
/// from below, without changing the order or letting nodes overlap.
fn place_x(
    order: &[Vec<usize>],
    widths: &[f64],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
) -> Vec<f64> {
    let mut xs = vec![0.0; widths.len()];
    for layer in order {
        let mut x = 0.0;
        for &v in layer {
            xs[v] = x + widths[v] / 2.0;
            x += widths[v] + NODE_GAP;
        }
    }
    for round in 0..12 {
        let down = round % 2 == 0;
        let layers: Vec<&Vec<usize>> = if down {
            order.iter().collect()
        } else {
            order.iter().rev().collect()
        };
        for layer in layers {
            let wanted: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let ns = if down { &preds[v] } else { &succs[v] };
                    let ns = if ns.is_empty() {
                        if down { &succs[v] } else { &preds[v] }
                    } else {
                        ns
                    };
                    if ns.is_empty() {
                        xs[v]
                    } else {
                        ns.iter().map(|&u| xs[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let gaps: Vec<f64> = layer
                .windows(2)
                .map(|w| (widths[w[0]] + widths[w[1]]) / 2.0 + NODE_GAP)
                .collect();
            for (&v, x) in layer.iter().zip(closest_spaced(&wanted, &gaps)) {
                xs[v] = x;
            }
        }
    }
    xs
}

/// The positions closest (least squares) to `wanted` with at least `gaps[i]` between neighbours
/// `i` and `i + 1`: pool-adjacent-violators on the positions less their minimum offsets.
fn closest_spaced(wanted: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(wanted.len());
    let mut acc = 0.0;
    for i in 0..wanted.len() {
        if i > 0 {
            acc += gaps[i - 1];
        }
        offset.push(acc);
    }
    // Blocks of (sum, count), each with one shared value.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (w, o) in wanted.iter().zip(&offset) {
        blocks.push((w - o, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(wanted.len());
    for (s, c) in blocks {
        for _ in 0..c {
            out.push(s / c as f64 + offset[out.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node() -> NodeSize {
        NodeSize {
            width: 80.0,
            height: 30.0,
        }
    }

    #[test]
    fn a_chain_with_a_loop_back_is_layered_in_order() {
        let edges = [
            EdgeIn { from: 0, to: 1 },
            EdgeIn { from: 1, to: 2 },
            EdgeIn { from: 2, to: 1 },
            EdgeIn { from: 0, to: 2 },
        ];
        let l = layout(&[node(), node(), node()], &edges, 0);
        assert!(l.nodes[0].y < l.nodes[1].y && l.nodes[1].y < l.nodes[2].y);
        assert!(l.edges[2].back);
        assert_eq!(l.edges[3].points.len(), 4, "straight down the middle layer");
        assert_eq!(l, layout(&[node(), node(), node()], &edges, 0));
    }

    #[test]
    fn a_huge_pipeline_is_one_column_with_lanes_beside_it() {
        let n = LAYERED_MAX_STAGES + 1;
        let mut edges: Vec<EdgeIn> = (0..n - 1).map(|i| EdgeIn { from: i, to: i + 1 }).collect();
        edges.push(EdgeIn { from: 0, to: 5 });
        edges.push(EdgeIn { from: 9, to: 1 });
        edges.push(EdgeIn { from: 3, to: 3 });
        let l = layout(&vec![node(); n], &edges, 0);
        assert!(
            l.nodes
                .windows(2)
                .all(|w| w[0].x == w[1].x && w[0].y < w[1].y)
        );
        assert_eq!(
            l.edges[0].points.len(),
            2,
            "straight down to the next stage"
        );
        let (skip, back) = (&l.edges[n - 1], &l.edges[n]);
        assert!(
            !skip.back && skip.points[1].0 > l.nodes[0].x + 40.0,
            "forward on the right"
        );
        assert!(
            back.back && back.points[1].0 < l.nodes[0].x - 40.0,
            "backward on the left"
        );
        assert!(l.edges[n + 1].self_loop);
        // Every point inside the picture.
        for p in l.edges.iter().flat_map(|e| &e.points) {
            assert!((0.0..=l.width).contains(&p.0) && (0.0..=l.height).contains(&p.1));
        }
    }

    #[test]
    fn spacing_keeps_order_and_distance() {
        let xs = closest_spaced(&[10.0, 10.0, 10.0], &[5.0, 5.0]);
        assert_eq!(xs, vec![5.0, 10.0, 15.0]);
        let xs = closest_spaced(&[0.0, 100.0], &[5.0]);
        assert_eq!(xs, vec![0.0, 100.0]);
    }
}
