//! The resolved graph: the corpus's claims numbered densely, every link resolved once (in
//! both directions, each with its span), citations tied to their references, and the one
//! definition of a conclusion. Built once after loading; the rules, `dot` and every front
//! end read it instead of resolving names their own way.
//!
//! Everything is vectors indexed by [`Node`] (the claims of all maps, map after map, in
//! file order) and compressed rows of links, so building and walking it is linear in the
//! corpus. Where ids repeat, the first wins everywhere: the first claim of a duplicated id
//! in a map, the first reference of a duplicated key (as pandoc's citeproc does).

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxHashMap as HashMap;

use crate::model::{ArgumentMap, Claim, ClaimRef, Corpus, Link, Relation, address};

/// A claim of the corpus, numbered over all maps.
pub type Node = u32;

/// A link of the corpus and where it leads.
#[derive(Clone, Copy, Debug)]
pub struct Edge<'c> {
    /// The claim the link is written on.
    pub from: Node,
    /// The claim it names, or `None` when it names none (a dangling link).
    pub to: Option<Node>,
    /// The link as written (relation, target, span).
    pub link: &'c Link,
}

impl Edge<'_> {
    /// `supports` or `attacks`.
    pub fn relation(&self) -> Relation {
        self.link.relation
    }
}

/// The resolved graph of a corpus. See the module docs.
#[derive(Debug)]
pub struct Graph<'c> {
    corpus: &'c Corpus,
    /// The node of each map's first claim; one more entry holds the total.
    first: Vec<u32>,
    /// Map index by name.
    maps: HashMap<&'c str, usize>,
    /// By map index: what the graph knows of the map alone.
    indices: Vec<Arc<MapIndex>>,
    /// Every link in claim order; `out_start[n]..out_start[n + 1]` are node n's.
    edges: Vec<Edge<'c>>,
    out_start: Vec<u32>,
    /// Indices into `edges` of the links that reach each node, by target node.
    incoming: Vec<u32>,
    in_start: Vec<u32>,
    /// Reference index by id (the first of duplicates).
    references: HashMap<&'c str, usize>,
    /// Claims whose id an earlier claim of their map has: (that claim, this one).
    duplicates: Vec<(Node, Node)>,
}

/// A link that names no claim.
const NOWHERE: u32 = u32::MAX;
/// A link that names a claim of another map (`map:id`).
const ELSEWHERE: u32 = u32::MAX - 1;

/// What the graph knows of one map alone: its ids, the claims whose id repeats, and the
/// links that stay in the map, resolved. It depends on the map only, so a workspace keeps
/// it ([`Memo`]) for the maps that did not change.
#[derive(Debug)]
struct MapIndex {
    /// Claim index by id (the first of duplicates), hashed by the id the map holds.
    ids: HashTable<u32>,
    /// Claims whose id an earlier claim of the map has: (that claim, this one).
    duplicates: Vec<(u32, u32)>,
    /// Each link of the map in claim order: the claim it names in the map, [`ELSEWHERE`]
    /// when it names another map (resolved as the graph is built, for maps come and go),
    /// or [`NOWHERE`].
    targets: Vec<u32>,
}

fn hash_id(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl MapIndex {
    fn new(map: &ArgumentMap) -> MapIndex {
        let claims = &map.claims;
        let id_of = |ci: u32| claims[ci as usize].id.value.as_str();
        let mut ids = HashTable::with_capacity(claims.len());
        let mut duplicates = Vec::new();
        for (ci, claim) in claims.iter().enumerate() {
            let id = claim.id.value.as_str();
            match ids.entry(hash_id(id), |&c| id_of(c) == id, |&c| hash_id(id_of(c))) {
                Entry::Vacant(e) => {
                    e.insert(ci as u32);
                }
                Entry::Occupied(e) => duplicates.push((*e.get(), ci as u32)),
            }
        }
        let mut index = MapIndex {
            ids,
            duplicates,
            targets: Vec::new(),
        };
        index.targets = claims
            .iter()
            .flat_map(|c| &c.links)
            .map(|link| match &link.target.map {
                Some(_) => ELSEWHERE,
                None => index.find(map, &link.target.claim).unwrap_or(NOWHERE),
            })
            .collect();
        index
    }

    /// The index of the claim of `map` (the map indexed) with id `id`.
    fn find(&self, map: &ArgumentMap, id: &str) -> Option<u32> {
        let claims = &map.claims;
        self.ids
            .find(hash_id(id), |&c| claims[c as usize].id.value == id)
            .copied()
    }
}

/// The maps' indices kept between the graphs of one workspace (a language server's, a
/// watcher's): a map parsed again (a new `Arc`) is indexed again, the others are not.
/// Holding each map's `Arc` keeps its address from being reused by another.
#[derive(Debug, Default)]
pub struct Memo {
    kept: Mutex<Kept>,
}

/// By map address: the map and its index.
type Kept = HashMap<usize, (Arc<ArgumentMap>, Arc<MapIndex>)>;

impl<'c> Graph<'c> {
    /// Numbers the claims and resolves every link and reference key.
    pub fn new(corpus: &'c Corpus) -> Self {
        Self::build(corpus, None)
    }

    /// The same graph, reusing what `memo` kept of the maps that did not change since the
    /// last graph built with it, and keeping what it builds.
    pub fn with_memo(corpus: &'c Corpus, memo: &Memo) -> Self {
        Self::build(corpus, Some(memo))
    }

    fn build(corpus: &'c Corpus, memo: Option<&Memo>) -> Self {
        use rayon::prelude::*;
        let mut first = Vec::with_capacity(corpus.maps.len() + 1);
        let mut total = 0u32;
        let mut maps = HashMap::with_capacity_and_hasher(corpus.maps.len(), Default::default());
        for (mi, map) in corpus.maps.iter().enumerate() {
            first.push(total);
            total += map.claims.len() as u32;
            maps.entry(map.name.as_str()).or_insert(mi);
        }
        first.push(total);
        // Each map indexed side by side (hashing every id is most of the work), unless the
        // memo has it.
        let indices: Vec<Arc<MapIndex>> = match memo {
            None => corpus
                .maps
                .par_iter()
                .map(|map| Arc::new(MapIndex::new(map)))
                .collect(),
            Some(memo) => {
                let mut kept = memo.kept.lock().unwrap_or_else(PoisonError::into_inner);
                let before = &*kept;
                let indices: Vec<Arc<MapIndex>> = corpus
                    .maps
                    .par_iter()
                    .map(|map| match before.get(&address(map)) {
                        Some((_, index)) => Arc::clone(index),
                        None => Arc::new(MapIndex::new(map)),
                    })
                    .collect();
                *kept = corpus
                    .maps
                    .iter()
                    .zip(&indices)
                    .map(|(map, index)| (address(map), (Arc::clone(map), Arc::clone(index))))
                    .collect();
                indices
            }
        };
        let duplicates = indices
            .iter()
            .enumerate()
            .flat_map(|(mi, index)| {
                let first = first[mi];
                index
                    .duplicates
                    .iter()
                    .map(move |&(a, b)| (first + a, first + b))
            })
            .collect();
        let mut references =
            HashMap::with_capacity_and_hasher(corpus.references.len(), Default::default());
        for (i, r) in corpus.references.iter().enumerate() {
            references.entry(r.id.value.as_str()).or_insert(i);
        }
        let mut graph = Graph {
            corpus,
            first,
            maps,
            indices,
            edges: Vec::new(),
            out_start: Vec::new(),
            incoming: Vec::new(),
            in_start: Vec::new(),
            references,
            duplicates,
        };
        graph.resolve_links();
        graph
    }

    fn resolve_links(&mut self) {
        use rayon::prelude::*;
        let corpus = self.corpus;
        // Each map's links resolved side by side, then numbered in claim order.
        let per_map: Vec<(Vec<Edge<'c>>, Vec<u32>)> = corpus
            .maps
            .par_iter()
            .enumerate()
            .map(|(mi, map)| {
                let mut edges = Vec::with_capacity(self.indices[mi].targets.len());
                let mut starts = Vec::with_capacity(map.claims.len());
                let mut targets = self.indices[mi].targets.iter();
                for (ci, claim) in map.claims.iter().enumerate() {
                    starts.push(edges.len() as u32);
                    let from = self.node(mi, ci);
                    edges.extend(claim.links.iter().zip(&mut targets).map(|(link, &to)| {
                        let to = match to {
                            NOWHERE => None,
                            ELSEWHERE => self.resolve_in(mi, &link.target),
                            claim => Some(self.node(mi, claim as usize)),
                        };
                        Edge { from, to, link }
                    }));
                }
                (edges, starts)
            })
            .collect();
        let mut edges = Vec::with_capacity(per_map.iter().map(|(e, _)| e.len()).sum());
        self.out_start = Vec::with_capacity(self.len() + 1);
        for (map_edges, starts) in per_map {
            let offset = edges.len() as u32;
            self.out_start
                .extend(starts.into_iter().map(|s| s + offset));
            edges.extend(map_edges);
        }
        self.out_start.push(edges.len() as u32);
        // Incoming links in compressed rows, by counting then filling.
        let n = self.len();
        let mut in_start = vec![0u32; n + 1];
        for e in &edges {
            if let Some(to) = e.to {
                in_start[to as usize + 1] += 1;
            }
        }
        for i in 0..n {
            in_start[i + 1] += in_start[i];
        }
        let mut fill = in_start.clone();
        let mut incoming = vec![0u32; in_start[n] as usize];
        for (i, e) in edges.iter().enumerate() {
            if let Some(to) = e.to {
                incoming[fill[to as usize] as usize] = i as u32;
                fill[to as usize] += 1;
            }
        }
        self.edges = edges;
        self.incoming = incoming;
        self.in_start = in_start;
    }

    /// Claims whose id an earlier claim of the same map already has, in claim order: the
    /// first claim with the id, and this one.
    pub fn duplicate_claims(&self) -> &[(Node, Node)] {
        &self.duplicates
    }

    /// The corpus the graph is of.
    pub fn corpus(&self) -> &'c Corpus {
        self.corpus
    }

    /// How many claims there are.
    pub fn len(&self) -> usize {
        *self.first.last().unwrap_or(&0) as usize
    }

    /// Whether there are no claims.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The node of claim `claim` of map `map` (indices into the corpus).
    pub fn node(&self, map: usize, claim: usize) -> Node {
        self.first[map] + claim as u32
    }

    /// The map and claim indices of a node.
    pub fn split(&self, node: Node) -> (usize, usize) {
        let map = self.first.partition_point(|&f| f <= node) - 1;
        (map, (node - self.first[map]) as usize)
    }

    /// The map and claim of a node.
    pub fn claim(&self, node: Node) -> (&'c ArgumentMap, &'c Claim) {
        let (mi, ci) = self.split(node);
        let map = &self.corpus.maps[mi];
        (map, &map.claims[ci])
    }

    /// Nodes `first..end` of map `map`.
    pub fn nodes_of(&self, map: usize) -> std::ops::Range<Node> {
        self.first[map]..self.first[map + 1]
    }

    /// The index of the map of this name.
    pub fn map_index(&self, name: &str) -> Option<usize> {
        self.maps.get(name).copied()
    }

    /// The node a claim reference names, read in the map of index `here`: a reference
    /// without a map name stays in it, with no look-up of the map by name (one name names
    /// one map: a second file of the same name is not read).
    fn resolve_in(&self, here: usize, target: &ClaimRef) -> Option<Node> {
        let mi = match &target.map {
            None => here,
            Some(name) => self.map_index(name)?,
        };
        self.claim_in(mi, &target.claim)
    }

    /// The node of the claim of id `id` in map `map` (the first of duplicated ids).
    fn claim_in(&self, map: usize, id: &str) -> Option<Node> {
        let ci = self.indices[map].find(&self.corpus.maps[map], id)?;
        Some(self.node(map, ci as usize))
    }

    /// Every link, in claim order.
    pub fn edges(&self) -> &[Edge<'c>] {
        &self.edges
    }

    /// The links written on a claim, in file order (`supports` then `attacks` as written).
    pub fn links_from(&self, node: Node) -> &[Edge<'c>] {
        let n = node as usize;
        &self.edges[self.out_start[n] as usize..self.out_start[n + 1] as usize]
    }

    /// The links written in map `map`, claim after claim, in file order: a link's index
    /// here is its index among the map's links.
    pub fn links_of_map(&self, map: usize) -> &[Edge<'c>] {
        let (first, end) = (self.first[map] as usize, self.first[map + 1] as usize);
        &self.edges[self.out_start[first] as usize..self.out_start[end] as usize]
    }

    /// The links that reach a claim, in the order they are written.
    pub fn links_to(&self, node: Node) -> impl Iterator<Item = &Edge<'c>> + '_ {
        let n = node as usize;
        self.incoming[self.in_start[n] as usize..self.in_start[n + 1] as usize]
            .iter()
            .map(|&i| &self.edges[i as usize])
    }

    /// Whether a claim is a conclusion ([`Claim::is_conclusion`]).
    pub fn is_conclusion(&self, node: Node) -> bool {
        self.claim(node).1.is_conclusion()
    }

    /// The index in the corpus of the reference a citation key names (the first of
    /// duplicated keys).
    pub fn reference_index(&self, key: &str) -> Option<usize> {
        self.references.get(key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span, Spanned};

    fn claim(id: &str, links: &[(Relation, &str)]) -> Claim {
        let span = Span::new(FileId(0), 0, 0);
        Claim {
            id: Spanned::new(id.to_owned(), span),
            kind: crate::model::ClaimKind::Argument,
            kind_span: None,
            text: None,
            citations: Vec::new(),
            links: links
                .iter()
                .map(|&(relation, target)| Link {
                    relation,
                    target: ClaimRef::parse(target).unwrap(),
                    span,
                })
                .collect(),
            section: None,
            quote: None,
            allow: Vec::new(),
            span,
        }
    }

    fn map(name: &str, claims: Vec<Claim>) -> std::sync::Arc<ArgumentMap> {
        std::sync::Arc::new(ArgumentMap {
            name: name.to_owned(),
            file: FileId(0),
            title: None,
            source: None,
            claims,
            facts: Default::default(),
        })
    }

    #[test]
    fn links_resolve_both_ways_across_maps() {
        let corpus = Corpus {
            maps: vec![
                map(
                    "a",
                    vec![
                        claim("thesis", &[]),
                        claim(
                            "reason",
                            &[
                                (Relation::Supports, "thesis"),
                                (Relation::Attacks, "b:other"),
                            ],
                        ),
                        claim("thesis", &[]),
                    ],
                ),
                map(
                    "b",
                    vec![claim(
                        "other",
                        &[
                            (Relation::Supports, "a:thesis"),
                            (Relation::Supports, "nowhere"),
                        ],
                    )],
                ),
            ],
            ..Corpus::default()
        };
        let g = Graph::new(&corpus);
        assert_eq!(g.len(), 4);
        assert_eq!(g.split(3), (1, 0));
        let from_reason: Vec<Option<Node>> = g.links_from(1).iter().map(|e| e.to).collect();
        assert_eq!(from_reason, [Some(0), Some(3)]);
        assert_eq!(g.links_from(3)[1].to, None, "a dangling link");
        let to_thesis: Vec<Node> = g.links_to(0).map(|e| e.from).collect();
        assert_eq!(
            to_thesis,
            [1, 3],
            "the first of a duplicated id is the one linked to"
        );
        assert!(g.links_to(2).next().is_none());
        assert!(g.is_conclusion(0) && !g.is_conclusion(1) && !g.is_conclusion(3));
    }

    type Shape = (Vec<(Node, Option<Node>)>, Vec<(Node, Node)>);

    /// Each link as (from, to), and the duplicated ids: what a graph resolved.
    fn shape(g: &Graph) -> Shape {
        let edges = g.edges().iter().map(|e| (e.from, e.to)).collect();
        (edges, g.duplicate_claims().to_vec())
    }

    #[test]
    fn a_memo_keeps_unchanged_maps_and_resolves_links_into_changed_ones_afresh() {
        let b = map(
            "b",
            vec![
                claim("other", &[(Relation::Supports, "a:thesis")]),
                claim("more", &[(Relation::Attacks, "other")]),
                claim("other", &[]),
            ],
        );
        let before = Corpus {
            maps: vec![
                map("a", vec![claim("thesis", &[]), claim("x", &[])]),
                std::sync::Arc::clone(&b),
            ],
            ..Corpus::default()
        };
        let memo = Memo::default();
        assert_eq!(
            shape(&Graph::with_memo(&before, &memo)),
            shape(&Graph::new(&before))
        );
        // `a` changes (its thesis moves), `b` is the same map: `b`'s link into `a` must
        // follow the thesis, and its own links stay as they were.
        let after = Corpus {
            maps: vec![
                map(
                    "a",
                    vec![
                        claim("x", &[(Relation::Supports, "thesis")]),
                        claim("thesis", &[]),
                    ],
                ),
                b,
            ],
            ..Corpus::default()
        };
        let fresh = shape(&Graph::new(&after));
        assert_eq!(shape(&Graph::with_memo(&after, &memo)), fresh);
        assert_eq!(fresh.0, [(0, Some(1)), (2, Some(1)), (3, Some(2))]);
        assert_eq!(fresh.1, [(2, 4)]);
        // Twice from the memo alone: the same again.
        assert_eq!(shape(&Graph::with_memo(&after, &memo)), fresh);
    }
}
