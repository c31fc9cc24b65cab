//! The resolved graph: the corpus's claims numbered densely, every link resolved once (in
//! both directions, each with its span), citations tied to their references (and each
//! reference to the citations of it), and the one definition of a conclusion. Built once
//! per analysis; the rules, `dot` and every front end read it instead of resolving names
//! their own way.
//!
//! [`GraphIndex`] holds indices alone (no borrow), so an analysis keeps it beside the
//! corpus it was built from; [`Graph`] is the two read together, and it is what everyone
//! reads. Everything is vectors indexed by [`Node`] (the claims of all maps, map after
//! map, in file order) and compressed rows of links, so building and walking it is linear
//! in the corpus. Where ids repeat, the first wins everywhere: the first claim of a
//! duplicated id in a map, the first reference of a duplicated key (as pandoc's citeproc
//! does).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::model::{ArgumentMap, Citation, Claim, ClaimRef, Corpus, Link, Relation};

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

/// A citation of the corpus: the claim it is on and its index among the claim's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CitationAt {
    /// The claim.
    pub node: Node,
    /// Its index in the claim's `citations`.
    pub index: u32,
}

/// The graph's indices, built from one corpus and read with it ([`Graph`]). See the
/// module docs.
#[derive(Debug, Default)]
pub struct GraphIndex {
    /// The node of each map's first claim; one more entry holds the total.
    first: Vec<u32>,
    /// Map index by name (the first map of a name).
    maps: HashTable<u32>,
    /// By map: claim index by id (the first of duplicates).
    ids: Vec<HashTable<u32>>,
    /// Where each link leads ([`NOWHERE`] for none), in claim order;
    /// `out_start[n]..out_start[n + 1]` are node n's.
    targets: Vec<u32>,
    out_start: Vec<u32>,
    /// The claim each link is written on.
    origins: Vec<Node>,
    /// Indices into `targets` of the links that reach each node, by target node.
    incoming: Vec<u32>,
    in_start: Vec<u32>,
    /// Reference index by id (the first of duplicates).
    references: HashTable<u32>,
    /// The citations of each reference (by the first reference of its id), in claim
    /// order: `cited[cited_start[r]..cited_start[r + 1]]`.
    cited: Vec<CitationAt>,
    cited_start: Vec<u32>,
    /// Claims whose id an earlier claim of their map has: (that claim, this one).
    duplicates: Vec<(Node, Node)>,
}

/// A link that names no claim.
const NOWHERE: u32 = u32::MAX;

fn hash(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// Positions whose name an earlier position has: (that one, this one).
type Repeated = Vec<(u32, u32)>;

/// Indexes `names` (the first of a repeated name wins) into `table`; returns the
/// positions whose name an earlier one has, with that earlier one.
fn index_names<'a>(
    table: &mut HashTable<u32>,
    names: impl Iterator<Item = &'a str> + Clone,
    name_of: impl Fn(u32) -> &'a str,
) -> Repeated {
    let mut repeated = Vec::new();
    for (i, name) in names.enumerate() {
        match table.entry(hash(name), |&j| name_of(j) == name, |&j| hash(name_of(j))) {
            Entry::Vacant(e) => {
                e.insert(i as u32);
            }
            Entry::Occupied(e) => repeated.push((*e.get(), i as u32)),
        }
    }
    repeated
}

fn find<'a>(table: &HashTable<u32>, name: &str, name_of: impl Fn(u32) -> &'a str) -> Option<u32> {
    table.find(hash(name), |&j| name_of(j) == name).copied()
}

/// Compressed rows from (row, value) pairs whose rows are below `rows`: each row's
/// values in the order given.
fn rows<T: Copy + Default>(rows: usize, pairs: &[(u32, T)]) -> (Vec<u32>, Vec<T>) {
    let mut start = vec![0u32; rows + 1];
    for &(row, _) in pairs {
        start[row as usize + 1] += 1;
    }
    for i in 0..rows {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut values = vec![T::default(); pairs.len()];
    for &(row, value) in pairs {
        values[fill[row as usize] as usize] = value;
        fill[row as usize] += 1;
    }
    (start, values)
}

impl GraphIndex {
    /// Numbers the claims of `corpus` and resolves every link and reference key.
    pub fn new(corpus: &Corpus) -> Self {
        use rayon::prelude::*;
        let mut first = Vec::with_capacity(corpus.maps.len() + 1);
        let mut total = 0u32;
        for map in &corpus.maps {
            first.push(total);
            total += map.claims.len() as u32;
        }
        first.push(total);
        let mut maps = HashTable::with_capacity(corpus.maps.len());
        index_names(
            &mut maps,
            corpus.maps.iter().map(|m| m.name.as_str()),
            |i| corpus.maps[i as usize].name.as_str(),
        );
        // Each map's ids side by side (hashing every id is most of the work).
        let (ids, duplicates): (Vec<HashTable<u32>>, Vec<Repeated>) = corpus
            .maps
            .par_iter()
            .map(|map| {
                let claims = &map.claims;
                let mut ids = HashTable::with_capacity(claims.len());
                let repeated =
                    index_names(&mut ids, claims.iter().map(|c| c.id.value.as_str()), |i| {
                        claims[i as usize].id.value.as_str()
                    });
                (ids, repeated)
            })
            .unzip();
        let duplicates = duplicates
            .iter()
            .enumerate()
            .flat_map(|(mi, d)| {
                let at = first[mi];
                d.iter().map(move |&(a, b)| (at + a, at + b))
            })
            .collect();
        let mut references = HashTable::with_capacity(corpus.references.len());
        index_names(
            &mut references,
            corpus.references.iter().map(|r| r.id.value.as_str()),
            |i| corpus.references[i as usize].id.value.as_str(),
        );
        let mut index = GraphIndex {
            first,
            maps,
            ids,
            references,
            duplicates,
            ..GraphIndex::default()
        };
        index.resolve_links(corpus);
        index.index_citations(corpus);
        index
    }

    fn resolve_links(&mut self, corpus: &Corpus) {
        use rayon::prelude::*;
        let this = &*self;
        // Each map's links resolved side by side, then numbered in claim order.
        let per_map: Vec<(Vec<u32>, Vec<u32>)> =
            corpus
                .maps
                .par_iter()
                .enumerate()
                .map(|(mi, map)| {
                    let mut targets = Vec::new();
                    let mut starts = Vec::with_capacity(map.claims.len());
                    for claim in &map.claims {
                        starts.push(targets.len() as u32);
                        targets.extend(claim.links.iter().map(|link| {
                            this.resolve_in(corpus, mi, &link.target).unwrap_or(NOWHERE)
                        }));
                    }
                    (targets, starts)
                })
                .collect();
        let mut targets = Vec::with_capacity(per_map.iter().map(|(t, _)| t.len()).sum());
        let mut out_start = Vec::with_capacity(self.len() + 1);
        for (map_targets, starts) in per_map {
            let offset = targets.len() as u32;
            out_start.extend(starts.into_iter().map(|s| s + offset));
            targets.extend(map_targets);
        }
        out_start.push(targets.len() as u32);
        let mut origins = Vec::with_capacity(targets.len());
        for (n, w) in out_start.windows(2).enumerate() {
            origins.extend(std::iter::repeat_n(n as Node, (w[1] - w[0]) as usize));
        }
        let pairs: Vec<(u32, u32)> = targets
            .iter()
            .enumerate()
            .filter(|(_, to)| **to != NOWHERE)
            .map(|(i, &to)| (to, i as u32))
            .collect();
        let (in_start, incoming) = rows(self.len(), &pairs);
        self.targets = targets;
        self.out_start = out_start;
        self.origins = origins;
        self.in_start = in_start;
        self.incoming = incoming;
    }

    fn index_citations(&mut self, corpus: &Corpus) {
        let mut pairs = Vec::new();
        for (mi, map) in corpus.maps.iter().enumerate() {
            for (ci, claim) in map.claims.iter().enumerate() {
                let node = self.first[mi] + ci as u32;
                for (i, citation) in claim.citations.iter().enumerate() {
                    if let Some(r) = self.reference(corpus, citation.key()) {
                        let at = CitationAt {
                            node,
                            index: i as u32,
                        };
                        pairs.push((r, at));
                    }
                }
            }
        }
        let (start, cited) = rows(corpus.references.len(), &pairs);
        self.cited_start = start;
        self.cited = cited;
    }

    fn len(&self) -> usize {
        *self.first.last().unwrap_or(&0) as usize
    }

    fn node(&self, map: usize, claim: usize) -> Node {
        self.first[map] + claim as u32
    }

    fn map_index(&self, corpus: &Corpus, name: &str) -> Option<usize> {
        find(&self.maps, name, |i| corpus.maps[i as usize].name.as_str()).map(|i| i as usize)
    }

    fn reference(&self, corpus: &Corpus, key: &str) -> Option<u32> {
        find(&self.references, key, |i| {
            corpus.references[i as usize].id.value.as_str()
        })
    }

    /// The node a claim reference names, read in the map of index `here`: a reference
    /// without a map name stays in it, with no look-up of the map by name (one name names
    /// one map: a second file of the same name is not read).
    fn resolve_in(&self, corpus: &Corpus, here: usize, target: &ClaimRef) -> Option<Node> {
        let mi = match &target.map {
            None => here,
            Some(name) => self.map_index(corpus, name)?,
        };
        let claims = &corpus.maps[mi].claims;
        let ci = find(&self.ids[mi], &target.claim, |i| {
            claims[i as usize].id.value.as_str()
        })?;
        Some(self.node(mi, ci as usize))
    }
}

/// The resolved graph of a corpus: the corpus and its [`GraphIndex`], read together. See
/// the module docs.
#[derive(Clone, Copy, Debug)]
pub struct Graph<'c> {
    corpus: &'c Corpus,
    index: &'c GraphIndex,
}

impl<'c> Graph<'c> {
    /// The graph of `corpus`, from its index, which must have been built from this corpus
    /// (an analysis holds both; [`Graph::build`] makes both). Panics for an index of
    /// another shape: a mismatch would answer with other claims.
    pub fn of(corpus: &'c Corpus, index: &'c GraphIndex) -> Self {
        assert!(
            index.first.len() == corpus.maps.len() + 1
                && index.cited_start.len() == corpus.references.len() + 1,
            "a graph's index is of its own corpus"
        );
        Graph { corpus, index }
    }

    /// Builds the index of `corpus` and passes the graph to `f` (for a one-off use, a test,
    /// a tool that holds no analysis).
    pub fn build<T>(corpus: &Corpus, f: impl FnOnce(Graph<'_>) -> T) -> T {
        let index = GraphIndex::new(corpus);
        f(Graph::of(corpus, &index))
    }

    /// Claims whose id an earlier claim of the same map already has, in claim order: the
    /// first claim with the id, and this one.
    pub fn duplicate_claims(&self) -> &'c [(Node, Node)] {
        &self.index.duplicates
    }

    /// The corpus the graph is of.
    pub fn corpus(&self) -> &'c Corpus {
        self.corpus
    }

    /// How many claims there are.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there are no claims.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The node of claim `claim` of map `map` (indices into the corpus).
    pub fn node(&self, map: usize, claim: usize) -> Node {
        self.index.node(map, claim)
    }

    /// The map and claim indices of a node.
    pub fn split(&self, node: Node) -> (usize, usize) {
        let first = &self.index.first;
        let map = first.partition_point(|&f| f <= node) - 1;
        (map, (node - first[map]) as usize)
    }

    /// The map and claim of a node.
    pub fn claim(&self, node: Node) -> (&'c ArgumentMap, &'c Claim) {
        let (mi, ci) = self.split(node);
        let map = &self.corpus.maps[mi];
        (map, &map.claims[ci])
    }

    /// Nodes `first..end` of map `map`.
    pub fn nodes_of(&self, map: usize) -> std::ops::Range<Node> {
        self.index.first[map]..self.index.first[map + 1]
    }

    /// The index of the map of this name.
    pub fn map_index(&self, name: &str) -> Option<usize> {
        self.index.map_index(self.corpus, name)
    }

    /// The node of a claim reference read in map `map` (`id`, or `map:id`).
    pub fn resolve(&self, map: usize, target: &ClaimRef) -> Option<Node> {
        self.index.resolve_in(self.corpus, map, target)
    }

    fn edge(&self, i: usize, claim: &'c Claim, from: Node) -> Edge<'c> {
        let start = self.index.out_start[from as usize] as usize;
        let to = self.index.targets[i];
        Edge {
            from,
            to: (to != NOWHERE).then_some(to),
            link: &claim.links[i - start],
        }
    }

    /// Every link, in claim order.
    pub fn edges(&self) -> impl Iterator<Item = Edge<'c>> + '_ {
        let claims = self.corpus.maps.iter().flat_map(|m| &m.claims);
        claims.enumerate().flat_map(move |(n, claim)| {
            let n = n as Node;
            let start = self.index.out_start[n as usize] as usize;
            (start..start + claim.links.len()).map(move |i| self.edge(i, claim, n))
        })
    }

    /// The links written on a claim, in file order (`supports` then `attacks` as written).
    pub fn links_from(&self, node: Node) -> impl ExactSizeIterator<Item = Edge<'c>> + '_ {
        let n = node as usize;
        let (_, claim) = self.claim(node);
        let range = self.index.out_start[n] as usize..self.index.out_start[n + 1] as usize;
        range.map(move |i| self.edge(i, claim, node))
    }

    /// The links that reach a claim, in the order they are written.
    pub fn links_to(&self, node: Node) -> impl ExactSizeIterator<Item = Edge<'c>> + '_ {
        let n = node as usize;
        let index = self.index;
        index.incoming[index.in_start[n] as usize..index.in_start[n + 1] as usize]
            .iter()
            .map(move |&i| {
                let from = index.origins[i as usize];
                self.edge(i as usize, self.claim(from).1, from)
            })
    }

    /// The argument for a claim: the claim and every claim that bears on it, transitively
    /// (its reasons, their reasons, and the attacks on each), in node order.
    pub fn argument_for(&self, node: Node) -> Vec<Node> {
        let mut seen = vec![false; self.len()];
        let mut todo = vec![node];
        seen[node as usize] = true;
        let mut found = Vec::new();
        while let Some(n) = todo.pop() {
            found.push(n);
            for edge in self.links_to(n) {
                if !std::mem::replace(&mut seen[edge.from as usize], true) {
                    todo.push(edge.from);
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// The claim a claim reference names, read from the top: `map:id`, or `id` in `map`.
    pub fn find(&self, map: Option<&str>, target: &str) -> Option<Node> {
        let target = ClaimRef::parse(target)?;
        let map = match (&target.map, map) {
            (Some(name), _) => self.map_index(name)?,
            (None, Some(name)) => self.map_index(name)?,
            (None, None) => return None,
        };
        self.resolve(map, &target)
    }

    /// Whether a claim is a conclusion ([`ArgumentMap::is_conclusion`]).
    pub fn is_conclusion(&self, node: Node) -> bool {
        let (map, claim) = self.claim(node);
        map.is_conclusion(claim)
    }

    /// The index in the corpus of the reference a citation key names (the first of
    /// duplicated keys).
    pub fn reference_index(&self, key: &str) -> Option<usize> {
        self.index.reference(self.corpus, key).map(|r| r as usize)
    }

    /// The citations of the reference of index `reference` (by the first reference of its
    /// id: a duplicate is cited by none), in claim order.
    pub fn citations_of(
        &self,
        reference: usize,
    ) -> impl ExactSizeIterator<Item = (CitationAt, &'c Citation)> + '_ {
        let index = self.index;
        let range =
            index.cited_start[reference] as usize..index.cited_start[reference + 1] as usize;
        index.cited[range].iter().map(move |&at| {
            let (_, claim) = self.claim(at.node);
            (at, &claim.citations[at.index as usize])
        })
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
            conclusion: None,
            text: None,
            citations: Vec::new(),
            links: links
                .iter()
                .map(|&(relation, target)| {
                    Link::paper(relation, ClaimRef::parse(target).unwrap(), span)
                })
                .collect(),
            section: None,
            quote: None,
            note: None,
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
        let index = GraphIndex::new(&corpus);
        let g = Graph::of(&corpus, &index);
        assert_eq!(g.len(), 4);
        assert_eq!(g.split(3), (1, 0));
        let from_reason: Vec<Option<Node>> = g.links_from(1).map(|e| e.to).collect();
        assert_eq!(from_reason, [Some(0), Some(3)]);
        assert_eq!(g.links_from(3).nth(1).unwrap().to, None, "a dangling link");
        let to_thesis: Vec<Node> = g.links_to(0).map(|e| e.from).collect();
        assert_eq!(
            to_thesis,
            [1, 3],
            "the first of a duplicated id is the one linked to"
        );
        assert!(g.links_to(2).next().is_none());
        // The argument for `a:thesis`: the reason, and `b:other` that supports it.
        assert_eq!(g.argument_for(0), [0, 1, 3]);
        assert_eq!(g.argument_for(3), [1, 3], "the reason attacks b:other");
        assert_eq!(g.find(None, "b:other"), Some(3));
        assert_eq!(g.find(Some("a"), "reason"), Some(1));
        assert_eq!(g.find(None, "reason"), None, "an id alone needs its map");
        assert!(g.is_conclusion(0) && !g.is_conclusion(1) && !g.is_conclusion(3));
    }

    type Shape = (Vec<(Node, Option<Node>)>, Vec<(Node, Node)>);

    /// Each link as (from, to), and the duplicated ids: what a graph resolved.
    fn shape(g: &Graph) -> Shape {
        let edges = g.edges().map(|e| (e.from, e.to)).collect();
        (edges, g.duplicate_claims().to_vec())
    }

    #[test]
    fn links_follow_a_claim_that_moves() {
        let after = Corpus {
            maps: vec![
                map(
                    "a",
                    vec![
                        claim("x", &[(Relation::Supports, "thesis")]),
                        claim("thesis", &[]),
                    ],
                ),
                map(
                    "b",
                    vec![
                        claim("other", &[(Relation::Supports, "a:thesis")]),
                        claim("more", &[(Relation::Attacks, "other")]),
                        claim("other", &[]),
                    ],
                ),
            ],
            ..Corpus::default()
        };
        let fresh = Graph::build(&after, |g| shape(&g));
        assert_eq!(fresh.0, [(0, Some(1)), (2, Some(1)), (3, Some(2))]);
        assert_eq!(fresh.1, [(2, 4)]);
    }
}
