//! Graphviz DOT argument diagrams: pure functions from the model to DOT text.
//!
//! A [`Diagram`] is a selection of maps (one, several or all) plus the claims of other
//! maps linked to or from them; [`Diagram::to_dot`] writes it. Claims are boxes, their
//! text wrapped; conclusions (claims that neither support nor attack another) are filled,
//! bold and ranked together in the first column (or on top). Supports are solid blue
//! arrows, attacks dashed vermillion tees (Okabe–Ito colours, told apart without colour
//! too). Several maps are one cluster each; `section`s become labelled clusters when
//! asked for. Argument maps are wide and shallow (many reasons, few levels), so the
//! default layout runs sideways, the reasons stacked down the page; drawn top to bottom,
//! wide fans of reasons are spread over a few rows.
//!
//! `graph` numbers the drawn claims and resolves their links once, `write` emits the
//! DOT, `text` says what a claim's box shows, `escape` and [`wrap`] make strings safe
//! and short. Output is deterministic: ids come from map and claim ids, everything is
//! written in map, claim and link order, and no hash map is ever iterated. The writer is
//! linear in the size of the corpus and allocates little per claim.

mod escape;
mod graph;
mod text;
mod wrap;
mod write;

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::graph::Graph;
use crate::load::FileKind;
use crate::model::{ArgumentMap, Claim, Corpus};
pub use wrap::wrap;

/// How a diagram is laid out and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Characters per line of claim text.
    pub wrap: usize,
    /// The direction of the arrows.
    pub rank_dir: RankDir,
    /// How citations are drawn.
    pub citations: CitationStyle,
    /// Draw only the claims at most this many links below a conclusion (an overview);
    /// a claim whose reasons are left out says how many.
    pub depth: Option<usize>,
    /// Group each map's claims into a labelled cluster per `section`. Off by default: a
    /// paper's links cross its sections, and the clusters then pull linked claims apart
    /// (on the bundled maps they about double the edge crossings).
    pub sections: bool,
    /// Where a click on a claim leads.
    pub claim_links: ClaimLinks,
    /// Grounded labels to shade the claims by (`argmap dot --labels`), with a legend.
    pub labels: Option<Labels>,
}

/// Each claim's grounded label, by map and claim index, and the reading of supports they
/// are under (named in the legend).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// By map index, then claim index.
    pub labels: Vec<Vec<crate::eval::Label>>,
    /// `none`, `supported` or `deductive`.
    pub reading: &'static str,
}

impl Labels {
    /// The labels of an evaluation.
    pub fn of_evaluation(evaluation: &crate::eval::Evaluation) -> Labels {
        let graph = evaluation.graph();
        let labels = (0..graph.corpus().maps.len())
            .map(|mi| graph.nodes_of(mi).map(|n| evaluation.label(n)).collect())
            .collect();
        Labels {
            labels,
            reading: evaluation.support().as_str(),
        }
    }

    fn of(&self, map: usize, claim: usize) -> crate::eval::Label {
        self.labels[map][claim]
    }
}

/// The file name a site gives the page of `name` (a map, a claim or a work): the name
/// where it is `[A-Za-z0-9._-]`, each other byte as `%XX` (injective, and no path
/// separator can appear).
pub fn site_file_name(name: &str) -> String {
    let mut out = String::new();
    escape::push_id_part(&mut out, name);
    out
}

/// `name` as one part of a URL: every byte outside `[A-Za-z0-9._-]` as `%XX`.
pub fn site_url_part(name: &str) -> String {
    site_file_name(name)
}

/// The link from a map page of the site to a claim on the page of `map` (pages side by
/// side): `<file>.html#claim-<id>`.
pub fn site_claim_url(map: &str, claim: &str) -> String {
    format!(
        "{}.html#claim-{}",
        site_url_part(&site_file_name(map)),
        site_url_part(claim)
    )
}

/// Where a click on a claim's box leads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClaimLinks {
    /// To the first work it cites that has a DOI or URL.
    #[default]
    CitedWork,
    /// To the claim in a site of map pages side by side: `<map>.html#claim-<id>`
    /// (`argmap html`).
    MapPages,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            wrap: 40,
            rank_dir: RankDir::RightLeft,
            citations: CitationStyle::Inline,
            depth: None,
            sections: false,
            claim_links: ClaimLinks::CitedWork,
            labels: None,
        }
    }
}

/// The direction arrows point, from premises to conclusions (Graphviz's `rankdir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankDir {
    /// Arrows point up: conclusions on top.
    BottomTop,
    /// Arrows point down: conclusions at the bottom.
    TopBottom,
    /// Arrows point right: conclusions on the right.
    LeftRight,
    /// Arrows point left: conclusions on the left.
    RightLeft,
}

impl RankDir {
    fn as_str(self) -> &'static str {
        match self {
            RankDir::BottomTop => "BT",
            RankDir::TopBottom => "TB",
            RankDir::LeftRight => "LR",
            RankDir::RightLeft => "RL",
        }
    }

    /// The `labelloc` that puts a cluster's label on top: Graphviz flips cluster labels
    /// (not the graph's) in bottom-to-top layouts.
    fn cluster_label_top(self) -> &'static str {
        match self {
            RankDir::BottomTop => "b",
            _ => "t",
        }
    }

    /// The `labeljust` that puts a cluster's label on the left: Graphviz flips cluster
    /// labels (not the graph's) in right-to-left layouts.
    fn cluster_label_left(self) -> &'static str {
        match self {
            RankDir::RightLeft => "r",
            _ => "l",
        }
    }

    /// Whether ranks are rows (arrows up or down), so that a wide fan of reasons makes a
    /// wide row; sideways, it makes a tall column, which a page scrolls through.
    fn is_vertical(self) -> bool {
        matches!(self, RankDir::BottomTop | RankDir::TopBottom)
    }
}

/// How a claim's citations are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitationStyle {
    /// A smaller line under the claim text: "Song 2014, p. 87".
    Inline,
    /// One node per cited reference, shared by the claims citing it.
    Nodes,
    /// No citations.
    None,
}

/// A `--map` name that names no map.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("no map named `{name}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownMap {
    /// The name asked for.
    pub name: String,
    /// The closest map name, if one is close.
    pub suggestion: Option<String>,
}

/// What `argmap dot` does with an analysis.
#[derive(Debug)]
pub enum Plan<'c> {
    /// Draw this diagram.
    Draw(Box<Diagram<'c>>),
    /// Stop: these findings leave a map the diagram shows undrawable.
    Blocked(Vec<&'c Diagnostic>),
    /// A map was asked for that there is none of.
    UnknownMap(UnknownMap),
    /// A `--focus` claim names no claim.
    UnknownClaim(UnknownClaim),
}

/// A `--focus` claim that names no claim.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("no claim `{claim}`{}{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), if claim.contains(':') { "" } else { ": name it `map:id`, or give one `--map`" })]
pub struct UnknownClaim {
    /// The claim asked for.
    pub claim: String,
    /// The closest `map:id`, if one is close.
    pub suggestion: Option<String>,
}

/// Chooses what to draw for `names` (all maps when empty), and whether findings stop it:
/// an undrawable finding (see [`is_undrawable`]) in a map file the diagram shows, links
/// into, or that was asked for and could not be read. Findings elsewhere do not stop it.
pub fn plan<'c>(analysis: &'c Analysis, names: &[impl AsRef<str>]) -> Plan<'c> {
    decide(analysis, Diagram::select(analysis.graph(), names))
}

/// Chooses to draw the argument for `claim` (`map:id`, or `id` in the one map of `names`),
/// and whether findings stop it, as [`plan`] does.
pub fn plan_focus<'c>(analysis: &'c Analysis, names: &[impl AsRef<str>], claim: &str) -> Plan<'c> {
    let graph = analysis.graph();
    let map = match names {
        [one] => Some(one.as_ref()),
        _ => None,
    };
    match graph.find(map, claim) {
        Some(node) => decide(analysis, Ok(Diagram::focus(graph, node))),
        None => {
            let corpus = analysis.corpus();
            let names: Vec<String> = corpus
                .maps
                .iter()
                .flat_map(|m| {
                    m.claims
                        .iter()
                        .map(move |c| format!("{}:{}", m.name, c.id.value))
                })
                .collect();
            let wanted = match (map, claim.contains(':')) {
                (Some(map), false) => format!("{map}:{claim}"),
                _ => claim.to_owned(),
            };
            let suggestion =
                did_you_mean(&wanted, names.iter().map(String::as_str)).map(str::to_owned);
            Plan::UnknownClaim(UnknownClaim {
                claim: claim.to_owned(),
                suggestion,
            })
        }
    }
}

fn decide<'c>(analysis: &'c Analysis, selected: Result<Diagram<'c>, UnknownMap>) -> Plan<'c> {
    let corpus = analysis.corpus();
    // A name of a map whose file could not be read is not a typo: its own diagnostics,
    // which stop the drawing below, say what is wrong.
    if let Err(unknown) = &selected
        && !corpus.unreadable_maps.contains(&unknown.name)
    {
        return Plan::UnknownMap(unknown.clone());
    }
    let blocking: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| {
            let file = corpus.sources.get(d.primary.span.file);
            is_undrawable(d)
                && FileKind::of_path(&file.path) == Some(FileKind::Map)
                && match &selected {
                    Ok(diagram) => diagram.touches(file.stem()),
                    Err(unknown) => unknown.name == file.stem(),
                }
        })
        .collect();
    match selected {
        _ if !blocking.is_empty() => Plan::Blocked(blocking),
        Ok(diagram) => Plan::Draw(Box::new(diagram)),
        Err(unknown) => Plan::UnknownMap(unknown),
    }
}

/// Whether a finding makes the map it is in undrawable: an unread or half-read file,
/// claims that cannot be told apart, links that lead nowhere.
pub fn is_undrawable(diagnostic: &Diagnostic) -> bool {
    diagnostic.rule.blocks_drawing()
}

/// The maps to draw, and the claims of other maps they link to or are linked from.
#[derive(Debug)]
pub struct Diagram<'c> {
    corpus: &'c Corpus,
    /// The corpus's resolved graph: what every link points at.
    graph: Graph<'c>,
    /// By map index: whether the whole map is drawn.
    drawn: Vec<bool>,
    /// By map index, for maps not drawn: the claims shown for their links, in map order.
    external: Vec<Vec<usize>>,
    /// Whether every map is drawn, including any that could not be read.
    everything: bool,
    /// Maps that drawn claims link into but that were not loaded (unreadable files).
    missing_targets: BTreeSet<String>,
    /// When the diagram shows one argument (`--focus`): the claims in it.
    focus: Option<Focus>,
}

/// The argument a diagram shows (`--focus`).
#[derive(Debug)]
struct Focus {
    /// The map index of the claim in focus: the diagram is titled after it.
    map: usize,
    /// By corpus node: whether the claim bears on the claim in focus (or is it).
    claims: Vec<bool>,
}

impl<'c> Diagram<'c> {
    /// Every map of the graph's corpus in one diagram.
    pub fn all(graph: Graph<'c>) -> Self {
        let corpus = graph.corpus();
        Diagram {
            corpus,
            graph,
            drawn: vec![true; corpus.maps.len()],
            external: vec![Vec::new(); corpus.maps.len()],
            everything: true,
            missing_targets: BTreeSet::new(),
            focus: None,
        }
    }

    /// The argument for one claim ([`Graph::argument_for`]) and nothing else: the maps it
    /// spans are drawn, with the claims outside it left out (and counted on the boxes
    /// linked to them).
    pub fn focus(graph: Graph<'c>, node: crate::graph::Node) -> Self {
        let corpus = graph.corpus();
        let mut drawn = vec![false; corpus.maps.len()];
        let mut claims = vec![false; graph.len()];
        for n in graph.argument_for(node) {
            claims[n as usize] = true;
            drawn[graph.split(n).0] = true;
        }
        let focus = Focus {
            map: graph.split(node).0,
            claims,
        };
        Diagram {
            corpus,
            graph,
            drawn,
            external: vec![Vec::new(); corpus.maps.len()],
            everything: false,
            missing_targets: BTreeSet::new(),
            focus: Some(focus),
        }
    }

    /// The named maps of the graph's corpus (all of them when `names` is empty), drawn in
    /// the corpus's order.
    pub fn select(graph: Graph<'c>, names: &[impl AsRef<str>]) -> Result<Self, UnknownMap> {
        if names.is_empty() {
            return Ok(Diagram::all(graph));
        }
        let corpus = graph.corpus();
        let mut drawn = vec![false; corpus.maps.len()];
        for name in names {
            let name = name.as_ref();
            match graph.map_index(name) {
                Some(mi) => drawn[mi] = true,
                None => {
                    return Err(UnknownMap {
                        name: name.to_owned(),
                        suggestion: did_you_mean(name, corpus.maps.iter().map(|m| m.name.as_str()))
                            .map(str::to_owned),
                    });
                }
            }
        }
        let mut linked = BTreeSet::new();
        let mut missing_targets = BTreeSet::new();
        for edge in graph.edges() {
            let (mi, ci) = graph.split(edge.from);
            let map = &corpus.maps[mi];
            let target_map = edge.link.target.map_or(&map.name);
            if drawn[mi] && graph.map_index(target_map).is_none() {
                missing_targets.insert(target_map.to_owned());
            }
            let Some((tm, tc)) = edge.to.map(|to| graph.split(to)) else {
                continue;
            };
            if drawn[mi] && !drawn[tm] {
                linked.insert((tm, tc));
            } else if !drawn[mi] && drawn[tm] {
                linked.insert((mi, ci));
            }
        }
        let mut external = vec![Vec::new(); corpus.maps.len()];
        for (mi, ci) in linked {
            external[mi].push(ci);
        }
        Ok(Diagram {
            corpus,
            graph,
            drawn,
            external,
            everything: false,
            missing_targets,
            focus: None,
        })
    }

    /// Whether the map named `name` contributes to the diagram, or would if it could be
    /// read: its problems then concern the diagram.
    pub fn touches(&self, name: &str) -> bool {
        self.everything
            || self.missing_targets.contains(name)
            || self.shown_maps().any(|m| m.name == name)
    }

    /// The maps with at least one claim in the diagram: drawn, or linked to a drawn one.
    pub fn shown_maps(&self) -> impl Iterator<Item = &'c ArgumentMap> + '_ {
        self.corpus
            .maps
            .iter()
            .enumerate()
            .filter(|&(mi, _)| self.drawn[mi] || !self.external[mi].is_empty())
            .map(|(_, m)| m.as_ref())
    }

    /// The conclusions the diagram draws ([`Claim::is_conclusion`]), in corpus and file
    /// order: what [`Diagram::focus`] can draw the argument for, one each. Claims of other
    /// maps shown only for their links are not among them.
    pub fn conclusions(&self) -> impl Iterator<Item = (&'c ArgumentMap, &'c Claim)> + '_ {
        self.corpus
            .maps
            .iter()
            .enumerate()
            .filter(|&(mi, _)| self.drawn[mi])
            .flat_map(move |(mi, map)| {
                map.claims
                    .iter()
                    .enumerate()
                    .filter(move |&(ci, claim)| {
                        map.is_conclusion(claim)
                            && self
                                .focus
                                .as_ref()
                                .is_none_or(|f| f.claims[self.graph.node(mi, ci) as usize])
                    })
                    .map(move |(_, claim)| (map.as_ref(), claim))
            })
    }

    /// Writes the diagram as a DOT digraph.
    pub fn to_dot(&self, options: &Options) -> String {
        write::write(self, options)
    }
}

#[cfg(test)]
mod tests;
