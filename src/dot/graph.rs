//! The graph a diagram draws: its claims numbered once, its links resolved once, and what
//! the layout needs from them (which claims a `--depth` keeps, how far each edge
//! reaches). Everything is arrays indexed by node, so it stays linear in the corpus.

use crate::model::Relation;

use super::{Diagram, Options};

const NONE: u32 = u32::MAX;

/// A link between two claims of the diagram.
pub(super) struct Edge {
    pub from: u32,
    pub to: u32,
    pub relation: Relation,
    /// The link's index in its claim's `links`: whose it is, and its note.
    pub link: u32,
    /// Graphviz's `minlen`: how many ranks the edge spans (see [`stagger`]).
    pub minlen: u32,
}

pub(super) struct Graph {
    /// By node: the (map, claim) indices of its claim.
    pub claims: Vec<(usize, usize)>,
    /// By map index, then claim index: the claim's node, or `NONE` when it is not shown.
    node_of: Vec<Vec<u32>>,
    pub edges: Vec<Edge>,
    /// By node: whether `--depth` keeps it.
    pub visible: Vec<bool>,
    /// By node: how many of the claims linked to it `--depth` left out.
    pub hidden_below: Vec<u32>,
}

impl Graph {
    /// Numbers the claims of `diagram` in the order they are written (maps in corpus
    /// order, claims in file order) and resolves their links; keeps the claims
    /// `options.depth` keeps, and staggers wide fans when ranks are rows.
    pub fn new(diagram: &Diagram, options: &Options) -> Graph {
        let corpus = diagram.corpus;
        let mut nodes = 0u32;
        let mut node_of: Vec<Vec<u32>> = Vec::with_capacity(corpus.maps.len());
        let mut claims = Vec::new();
        for (mi, map) in corpus.maps.iter().enumerate() {
            let mut number = |ci: usize| {
                claims.push((mi, ci));
                nodes += 1;
                nodes - 1
            };
            node_of.push(if diagram.drawn[mi] {
                (0..map.claims.len()).map(&mut number).collect()
            } else if diagram.external[mi].is_empty() {
                Vec::new()
            } else {
                let mut of = vec![NONE; map.claims.len()];
                for &ci in &diagram.external[mi] {
                    of[ci] = number(ci);
                }
                of
            });
        }
        let mut edges = Vec::new();
        let mut drawn = rustc_hash::FxHashSet::default();
        for (from, &(mi, ci)) in claims.iter().enumerate() {
            let resolved = diagram.graph.links_from(diagram.graph.node(mi, ci));
            drawn.clear();
            for (li, edge) in resolved.enumerate() {
                let Some((tm, tc)) = edge.to.map(|to| diagram.graph.split(to)) else {
                    continue;
                };
                let to = node_of[tm].get(tc).copied().unwrap_or(NONE);
                // A link listed twice (`duplicate-link`) is drawn once.
                if to != NONE && drawn.insert((to, edge.relation())) {
                    edges.push(Edge {
                        from: from as u32,
                        to,
                        relation: edge.relation(),
                        link: li as u32,
                        minlen: 1,
                    });
                }
            }
        }
        let n = claims.len();
        let (visible, hidden_below) = match (&diagram.focus, options.depth) {
            (Some(focus), _) => keep_focus(diagram, &focus.claims, &claims),
            (None, None) => (vec![true; n], vec![0; n]),
            (None, Some(depth)) => {
                let argument: Vec<bool> = claims
                    .iter()
                    .map(|&(mi, ci)| corpus.maps[mi].claims[ci].is_argument())
                    .collect();
                keep_to_depth(&argument, &edges, depth)
            }
        };
        if options.rank_dir.is_vertical() {
            stagger(n, &mut edges, &visible);
        }
        Graph {
            claims,
            node_of,
            edges,
            visible,
            hidden_below,
        }
    }

    /// The node of a claim that is shown and kept, if it is.
    pub fn node(&self, map: usize, claim: usize) -> Option<u32> {
        match self.node_of[map].get(claim) {
            Some(&n) if n != NONE && self.visible[n as usize] => Some(n),
            _ => None,
        }
    }

    /// Whether a map has any claim in the drawing.
    pub fn shows_any(&self, map: usize) -> bool {
        self.node_of[map]
            .iter()
            .any(|&n| n != NONE && self.visible[n as usize])
    }
}

/// Keeps the claims of the argument in focus; each counts the claims linked to or from it
/// that are left out (the other uses of a reason, say).
fn keep_focus(
    diagram: &Diagram,
    focus: &[bool],
    claims: &[(usize, usize)],
) -> (Vec<bool>, Vec<u32>) {
    let graph = &diagram.graph;
    let mut hidden_below = vec![0; claims.len()];
    let visible: Vec<bool> = claims
        .iter()
        .map(|&(mi, ci)| focus[graph.node(mi, ci) as usize])
        .collect();
    for (n, &(mi, ci)) in claims.iter().enumerate() {
        if !visible[n] {
            continue;
        }
        let at = graph.node(mi, ci);
        let mut out: Vec<u32> = graph
            .links_from(at)
            .filter_map(|e| e.to)
            .chain(graph.links_to(at).map(|e| e.from))
            .filter(|&other| !focus[other as usize])
            .collect();
        out.sort_unstable();
        out.dedup();
        hidden_below[n] = out.len() as u32;
    }
    (visible, hidden_below)
}

/// Keeps the claims at most `depth` links below a top of the diagram (a claim of the
/// argument that links to no other claim in it), by breadth-first search from the tops
/// against the links. Claims no top can be reached from (a support cycle) are kept: hiding
/// them would hide the problem. Aims and framing (`argument[i]` false) are no part of the
/// argument's outline and are left out.
fn keep_to_depth(argument: &[bool], edges: &[Edge], depth: usize) -> (Vec<bool>, Vec<u32>) {
    let n = argument.len();
    // Incoming links in compressed rows: `from_nodes[start[t]..start[t + 1]]` link to t.
    let mut start = vec![0u32; n + 1];
    let mut has_outgoing = vec![false; n];
    for e in edges {
        start[e.to as usize + 1] += 1;
        has_outgoing[e.from as usize] = true;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut from_nodes = vec![0u32; edges.len()];
    for e in edges {
        from_nodes[fill[e.to as usize] as usize] = e.from;
        fill[e.to as usize] += 1;
    }
    let mut level = vec![u32::MAX; n];
    let mut queue: Vec<u32> = (0..n as u32)
        .filter(|&i| !has_outgoing[i as usize] && argument[i as usize])
        .collect();
    for &top in &queue {
        level[top as usize] = 0;
    }
    let mut head = 0;
    while head < queue.len() {
        let t = queue[head] as usize;
        head += 1;
        for &f in &from_nodes[start[t] as usize..start[t + 1] as usize] {
            if level[f as usize] == u32::MAX {
                level[f as usize] = level[t] + 1;
                queue.push(f);
            }
        }
    }
    let visible: Vec<bool> = level
        .iter()
        .zip(argument)
        .map(|(&l, &argument)| argument && (l == u32::MAX || l as usize <= depth))
        .collect();
    // Claims, not links: a hidden claim that both supports and attacks is one claim.
    let mut hidden: Vec<(u32, u32)> = edges
        .iter()
        .filter(|e| !visible[e.from as usize] && visible[e.to as usize])
        .map(|e| (e.to, e.from))
        .collect();
    hidden.sort_unstable();
    hidden.dedup();
    let mut hidden_below = vec![0; n];
    for (to, _) in hidden {
        hidden_below[to as usize] += 1;
    }
    (visible, hidden_below)
}

/// Spreads the reasons of a claim with many over two to four ranks, by giving their links
/// different lengths in turn. Argument maps are wide and shallow (a thesis with a dozen
/// reasons), and drawn top to bottom one rank per level makes a long strip no screen can
/// show; staggered rows keep each claim's reasons together under it, like Graphviz's
/// `unflatten`. Sideways the reasons are a column already, and staggering them would only
/// widen the drawing and lengthen its edges.
fn stagger(n: usize, edges: &mut [Edge], visible: &[bool]) {
    let shown = |e: &Edge| visible[e.from as usize] && visible[e.to as usize];
    let mut fan_in = vec![0u32; n];
    for e in edges.iter().filter(|e| shown(e)) {
        fan_in[e.to as usize] += 1;
    }
    let mut seen = vec![0u32; n];
    for e in edges.iter_mut().filter(|e| shown(e)) {
        let to = e.to as usize;
        let rows = match fan_in[to] {
            0..=2 => 1,
            k => k.div_ceil(2).min(4),
        };
        e.minlen = 1 + seen[to] % rows;
        seen[to] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: u32, to: u32) -> Edge {
        Edge {
            from,
            to,
            relation: Relation::Supports,
            link: 0,
            minlen: 1,
        }
    }

    #[test]
    fn depth_keeps_claims_near_the_tops_and_counts_the_rest() {
        // 0 <- 1 <- 2 <- 3, and 4 <- 2 as well: 2 is two links below 0 and one below 4.
        let edges = [edge(1, 0), edge(2, 1), edge(3, 2), edge(2, 4)];
        let (visible, hidden) = keep_to_depth(&[true; 5], &edges, 1);
        assert_eq!(visible, [true, true, true, false, true]);
        assert_eq!(hidden, [0, 0, 1, 0, 0]);
        let (visible, _) = keep_to_depth(&[true; 5], &edges, 0);
        assert_eq!(visible, [true, false, false, false, true]);
    }

    #[test]
    fn depth_leaves_aims_and_framing_out() {
        // 2 is a framing statement: linked to nothing, it is no top of the argument.
        let edges = [edge(1, 0)];
        let (visible, _) = keep_to_depth(&[true, true, false], &edges, 1);
        assert_eq!(visible, [true, true, false]);
    }

    #[test]
    fn claims_in_a_cycle_are_kept() {
        let edges = [edge(1, 2), edge(2, 1), edge(3, 0)];
        let (visible, _) = keep_to_depth(&[true; 4], &edges, 0);
        assert_eq!(visible, [true, true, true, false]);
    }

    #[test]
    fn many_reasons_are_spread_over_rows_few_are_not() {
        let mut edges: Vec<Edge> = (1..=7).map(|f| edge(f, 0)).collect();
        edges.extend([edge(9, 8), edge(10, 8)]);
        stagger(11, &mut edges, &[true; 11]);
        let lens: Vec<u32> = edges.iter().map(|e| e.minlen).collect();
        assert_eq!(lens, [1, 2, 3, 4, 1, 2, 3, 1, 1]);
    }
}
