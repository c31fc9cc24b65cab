//! `argmap export`: the checked maps in other tools' formats. Each writer reads the
//! analysis (its graph resolves every link once) and returns the text and what the format
//! could not hold, so that nothing is dropped silently: the binary prints that list.
//!
//! - [`json`]: the checked model as one document, with a JSON Schema ([`json::schema`]);
//! - [`argdown`]: statements and relations in Argdown, the citations in the texts;
//! - [`aif`]: the Argument Interchange Format as AIFdb and OVA write it in JSON;
//! - [`iccma`]: the attack graph as an abstract argumentation framework, in the ICCMA'23
//!   format that solvers read.

pub mod aif;
pub mod argdown;
pub mod iccma;
pub mod json;

use crate::analysis::Analysis;
use crate::dot::UnknownMap;
use crate::graph::{Graph, Node};

/// A document written, and what its format cannot say of the maps.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Export {
    /// The document.
    pub text: String,
    /// One line for each kind of thing left out (`12 supports: ICCMA holds attacks only`).
    pub lost: Vec<String>,
}

/// The claims an export holds: those of the maps asked for (all when none is named).
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    graph: Graph<'a>,
    /// By map index: whether it is exported.
    maps: Vec<bool>,
}

impl<'a> Selection<'a> {
    /// The maps named (every map when `names` is empty), or the first name that is none.
    pub fn new(analysis: &'a Analysis, names: &[impl AsRef<str>]) -> Result<Self, UnknownMap> {
        let graph = analysis.graph();
        let corpus = analysis.corpus();
        let mut maps = vec![names.is_empty(); corpus.maps.len()];
        for name in names {
            let name = name.as_ref();
            match graph.map_index(name) {
                Some(i) => maps[i] = true,
                None => {
                    let suggestion = crate::diagnostic::did_you_mean(
                        name,
                        corpus.maps.iter().map(|m| m.name.as_str()),
                    )
                    .map(str::to_owned);
                    return Err(UnknownMap {
                        name: name.to_owned(),
                        suggestion,
                    });
                }
            }
        }
        Ok(Selection { graph, maps })
    }

    /// The graph.
    pub fn graph(&self) -> Graph<'a> {
        self.graph
    }

    /// Whether a map (by index) is exported.
    pub fn has_map(&self, map: usize) -> bool {
        self.maps[map]
    }

    /// Whether a claim is exported.
    pub fn has(&self, node: Node) -> bool {
        self.maps[self.graph.split(node).0]
    }

    /// The exported claims, in corpus order (maps by name, claims in file order).
    pub fn nodes(&self) -> impl Iterator<Item = Node> + '_ {
        (0..self.maps.len())
            .filter(|&m| self.maps[m])
            .flat_map(|m| self.graph.nodes_of(m))
    }

    /// `map:id` of a claim.
    pub fn name(&self, node: Node) -> String {
        let (map, claim) = self.graph.claim(node);
        format!("{}:{}", map.name, claim.id.value)
    }
}

/// `N things` with the right number.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
