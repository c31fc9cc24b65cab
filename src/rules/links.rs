//! Rules about claims and the links between them: ids, targets, and the support graph.

use std::collections::{VecDeque, hash_map::Entry};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::Levels;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Label, Rule, RuleDocs};
use crate::graph::Graph;
use crate::model::{ArgumentMap, Claim, Corpus, Link, Relation};
use crate::source::Span;
use crate::suggest::{self, Suggester, Suggestion};
use crate::yaml;
use unicode_normalization::UnicodeNormalization;

pub(crate) static DUPLICATE_CLAIM_ID: RuleDocs = RuleDocs {
    summary: "two claims of one map share an id",
    doc: "Claim ids are what links point at (`supports: [thesis]`, `china-sco:rivalry-faded`), \
          so they must be unique within their map. With two claims under one id, a link would \
          silently reach only the first. Rename one of them and update the links. Both places \
          are labelled.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: security
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
  - id: security
    text: Russia wants more security in the region [@guliev2020].
    supports: [security]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: security-topical
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
  - id: regional-security
    text: Russia wants more security in the region [@guliev2020].
    supports: [security-topical]
"#,
};

pub(crate) static DANGLING_LINK: RuleDocs = RuleDocs {
    summary: "a link points at a claim or map that does not exist",
    doc: "Every entry of `supports` and `attacks` must name an existing claim: `id` for a claim \
          of the same map, `map:id` for a claim of another map, where `map` is that map's file \
          name without `.yaml`. A dangling link is usually a renamed or deleted claim, or a \
          typo (the message suggests the closest id).",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [thesis]
    attacks: [{to: china-sco:rivalry-fade, by: analyst}]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [thesis]
    attacks: [{to: china-sco:rivalry-faded, by: analyst}]
"#,
};

pub(crate) static SELF_LINK: RuleDocs = RuleDocs {
    summary: "a claim supports or attacks itself",
    doc: "A claim cannot be a reason for, or against, itself: such a link carries no argument \
          and hides the real structure. Point the link at the claim it was meant for.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [retards-china-economy]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [{to: china-sco:russia-stalled-economy, by: analyst}]
"#,
};

pub(crate) static DUPLICATE_LINK: RuleDocs = RuleDocs {
    summary: "a claim names the same claim twice under `supports` or `attacks`",
    doc: "A link listed twice says nothing the first did not, yet it is drawn twice and \
          counted twice. The safe fix removes the second entry (when nothing but the list's \
          punctuation stands between it and the entry before).",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: security-topical
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
    supports: [thesis, thesis]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: security-topical
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
    supports: [thesis]
"#,
};

pub(crate) static CONFLICTING_LINK: RuleDocs = RuleDocs {
    summary: "a claim both supports and attacks the same claim",
    doc: "A claim that is listed under both `supports` and `attacks` of one target contradicts \
          itself. Usually one of the two is a copy-paste slip; if the claim really cuts both \
          ways, split it into two claims that each say which way they cut.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [{to: china-sco:rivalry-faded, by: analyst}]
    attacks: [{to: china-sco:rivalry-faded, by: analyst}]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    attacks: [{to: china-sco:rivalry-faded, by: analyst}]
"#,
};

pub(crate) static CIRCULAR_SUPPORT: RuleDocs = RuleDocs {
    summary: "claims support each other in a circle",
    doc: "Support must lead from premises to conclusions; a cycle (a supports b, b supports a, \
          possibly through other claims and across maps) is circular reasoning, and it leaves \
          the diagram without a top. The whole cycle is reported, every link of it labelled. \
          Break it by removing the link that runs from a conclusion back to its premise.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
    supports: [security-topical]
  - id: security-topical
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
    supports: [thesis]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis   # the conclusion: it supports nothing
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: security-topical
    text: Counterterrorism is Russia's topical interest in the SCO [@guliev2020].
    supports: [thesis]
"#,
};

pub(crate) static ISOLATED_CLAIM: RuleDocs = RuleDocs {
    summary: "a claim is linked to nothing, in a map of several claims",
    doc: "In a map of more than one claim, each claim should support or attack another, or be \
          supported or attacked: a claim with no link floats unconnected in the diagram, and \
          its place in the argument is lost. Add the link that says what it is a reason for.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: spillover
    text: Russian-Chinese ties may spill over into the SCO [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: spillover
    text: Russian-Chinese ties may spill over into the SCO [@guliev2020].
    supports: [thesis]
"#,
};

pub(crate) static FRAMING_LINK: RuleDocs = RuleDocs {
    summary: "an aim or framing claim supports or attacks, or is supported or attacked",
    doc: "A claim with `kind: aim` (what the paper sets out to do) or `kind: framing` (context, \
          scope, method, literature) describes the paper rather than arguing: it stands apart \
          from the argument in diagrams and needs no link. A link from or to such a claim puts \
          it back into the argument. If the paper uses the statement as a reason, remove its \
          `kind` (it is then an ordinary claim); otherwise remove the link.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [{to: china-sco:russia-stalled-economy, by: analyst}]
  - id: aim
    kind: aim
    text: The article analyses Russia's interests in the SCO [@guliev2020].
    supports: [retards-china-economy]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [{to: china-sco:russia-stalled-economy, by: analyst}]
  - id: aim
    kind: aim
    text: The article analyses Russia's interests in the SCO [@guliev2020].
"#,
};

pub(crate) static CROSS_SOURCE_LINK: RuleDocs = RuleDocs {
    summary: "a link to a claim of a map made from another paper is drawn as the paper's own",
    doc: "A link between two maps whose sources differ joins two papers. Unless the claim cites \
          the other paper, its authors did not draw that link: the map-maker did, and a reader \
          must be able to tell the papers' arguments from the analyst's connections. Mark the \
          link as the analyst's, `{to: map:id, by: analyst, note: WHY}`, saying in `note` why \
          you draw it (a restatement is not corroboration when two papers share their words). \
          Diagrams draw such links dashed. The safe fix marks the link; write the note.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports: [china-sco:russia-stalled-economy]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: retards-china-economy
    text: Russia holds back the economic activities China promotes [@guliev2020].
    supports:
      - to: china-sco:russia-stalled-economy
        by: analyst
        note: Both papers say Russia holds back economic cooperation; neither cites the other.
"#,
};

pub(crate) static UNDECLARED_CONCLUSION: RuleDocs = RuleDocs {
    summary: "a claim of the argument supports and attacks nothing but is not declared a conclusion",
    doc: "A claim that bears on no other is either a conclusion of the paper or a premise left \
          hanging, its link forgotten. Declaring the paper's conclusions (`conclusion: true`) \
          says which: diagrams and the site then start from them, and this rule reports every \
          other claim that leads nowhere. Off by default; turn it on in `argmap.toml` \
          (`undeclared-conclusion = \"warning\"`) once a map declares its conclusions. The \
          unsafe fix declares the claim a conclusion; if the paper uses it as a reason, link it \
          instead.",
    example: r#"# argmap.toml
[rules]
undeclared-conclusion = "warning"
# arguments/china-sco.yaml
title: China's policy in the SCO
source: chinasco
claims:
  - id: two-interests
    text: China's SCO policy shows two parallel interests, political and economic.
    cites: ["@chinasco"]
    conclusion: true
  - id: security-success
    text: The SCO helped China fight extremist groups in its western regions [@song2014].
    supports: [two-interests]
  - id: rivalry-faded
    text: >-
      Russian-Chinese rivalry within the SCO faded once economic cooperation
      moved to the AIIB and the BRI [@yun2012; @alimov2020; @guliev2020].
  - id: russia-stalled-economy
    text: Russia stalled economic cooperation in the SCO, against Chinese dominance.
    cites: ["@chinasco"]
    supports: [rivalry-faded]
"#,
    fixed: r#"# argmap.toml
[rules]
undeclared-conclusion = "warning"
# arguments/china-sco.yaml
title: China's policy in the SCO
source: chinasco
claims:
  - id: two-interests
    text: China's SCO policy shows two parallel interests, political and economic.
    cites: ["@chinasco"]
    conclusion: true
  - id: security-success
    text: The SCO helped China fight extremist groups in its western regions [@song2014].
    supports: [two-interests]
  - id: rivalry-faded
    text: >-
      Russian-Chinese rivalry within the SCO faded once economic cooperation
      moved to the AIIB and the BRI [@yun2012; @alimov2020; @guliev2020].
    supports: [two-interests]
  - id: russia-stalled-economy
    text: Russia stalled economic cooperation in the SCO, against Chinese dominance.
    cites: ["@chinasco"]
    supports: [rivalry-faded]
"#,
};

pub(crate) static CONTRADICTORY_LINKS: RuleDocs = RuleDocs {
    summary: "a claim attacks a claim that it also supports through a chain of supports",
    doc: "When claim A attacks claim C and A also supports B, which supports C (through any \
          number of supports, across maps), A is made a reason both for and against C. Papers \
          rarely mean that: usually one link is misplaced, or a support in the chain is really \
          a concession (an attack) or a precondition (no link). The chain of supports is shown. \
          Check each link against the paper; if A really cuts both ways, split it into two \
          claims that each say which way they cut. On very large maps with very many attacks \
          the search is bounded (about a hundred million claim visits) so that a check \
          never takes minutes; past that bound, further contradictions go unreported.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: economic-component
    text: Russia backs an economic SCO once India has joined [@guliev2020].
    supports: [greater-eurasia]
    attacks: [thesis]
  - id: greater-eurasia
    text: Russia seeks a Greater Eurasian Partnership built on the SCO [@guliev2020].
    supports: [thesis]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: economic-component   # a concession: it limits the thesis
    text: Russia backs an economic SCO once India has joined [@guliev2020].
    attacks: [thesis]
  - id: greater-eurasia
    text: Russia seeks a Greater Eurasian Partnership built on the SCO [@guliev2020].
    supports: [thesis]
"#,
};

/// A claim as a dense index over all maps' claims (the graph's node), so the support
/// graph lives in plain vectors.
type Node = usize;

/// The graph's numbering, in the `usize` nodes the vectors here are indexed by.
struct ClaimIndex<'g, 'c> {
    graph: &'g Graph<'c>,
}

impl ClaimIndex<'_, '_> {
    fn len(&self) -> usize {
        self.graph.len()
    }

    fn node(&self, map: usize, claim: usize) -> Node {
        self.graph.node(map, claim) as Node
    }

    /// The map and claim indices of a node.
    fn split(&self, node: Node) -> (usize, usize) {
        self.graph.split(node as u32)
    }
}

/// The support links of each claim in compressed rows: claim `v`'s are
/// `edges[start[v]..start[v + 1]]`, one allocation for all rather than one per claim.
struct Support<'l> {
    start: Vec<u32>,
    edges: Vec<(Node, &'l Link)>,
}

impl<'l> Support<'l> {
    fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }
}

impl<'l> std::ops::Index<Node> for Support<'l> {
    type Output = [(Node, &'l Link)];

    fn index(&self, v: Node) -> &Self::Output {
        &self.edges[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

/// The strongly connected components of the support graph, in the order Tarjan's
/// algorithm closes them (reverse topological), flat: `nodes[ends[i - 1]..ends[i]]`.
struct Components {
    nodes: Vec<Node>,
    ends: Vec<u32>,
}

impl Components {
    fn iter(&self) -> impl DoubleEndedIterator<Item = &[Node]> + '_ {
        (0..self.ends.len()).map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
            &self.nodes[start..self.ends[i] as usize]
        })
    }
}

/// Did-you-mean for dangling links: map names, and each map's claim ids (built when a link
/// into that map first dangles), under one work budget.
struct LinkSuggestions<'a> {
    corpus: &'a Corpus,
    maps: Suggester<'a>,
    claims: HashMap<&'a str, Suggester<'a>>,
    budget: usize,
    /// Names by their NFC form (maps, and each map's claim ids), built on first need.
    nfc_maps: Option<HashMap<String, &'a str>>,
    nfc_claims: HashMap<usize, HashMap<String, &'a str>>,
}

impl<'a> LinkSuggestions<'a> {
    fn new(corpus: &'a Corpus) -> Self {
        LinkSuggestions {
            corpus,
            maps: Suggester::new(corpus.maps.iter().map(|m| m.name.as_str())),
            claims: HashMap::default(),
            budget: suggest::RUN_BUDGET,
            nfc_maps: None,
            nfc_claims: HashMap::default(),
        }
    }

    /// The map whose name is `name` once both are in Unicode's composed form (NFC): names
    /// that look the same but encode accents differently (`é` as one character, or `e`
    /// and a combining accent, as macOS file names do).
    fn map_by_nfc(&mut self, name: &str) -> Option<&'a str> {
        if name.is_ascii() {
            return None;
        }
        let corpus = self.corpus;
        let index = self.nfc_maps.get_or_insert_with(|| {
            corpus
                .maps
                .iter()
                .map(|m| (m.name.nfc().collect(), m.name.as_str()))
                .collect()
        });
        index.get(&name.nfc().collect::<String>()).copied()
    }

    /// A claim id of map `map` equal to `claim` in NFC (see [`Self::map_by_nfc`]).
    fn claim_by_nfc(&mut self, map: usize, claim: &str) -> Option<&'a str> {
        if claim.is_ascii() {
            return None;
        }
        let m = &self.corpus.maps[map];
        let index = self.nfc_claims.entry(map).or_insert_with(|| {
            m.claims
                .iter()
                .map(|c| (c.id.value.nfc().collect(), c.id.value.as_str()))
                .collect()
        });
        index.get(&claim.nfc().collect::<String>()).copied()
    }

    fn map(&mut self, name: &str) -> Option<Suggestion<'a>> {
        self.maps.suggest(name, &mut self.budget)
    }

    fn claim(&mut self, map: usize, claim: &str) -> Option<Suggestion<'a>> {
        let m = &self.corpus.maps[map];
        self.claims
            .entry(m.name.as_str())
            .or_insert_with(|| Suggester::new(m.claims.iter().map(|c| c.id.value.as_str())))
            .suggest(claim, &mut self.budget)
    }
}

/// What one map's links say, found without the rest of the graph (but for the claims its
/// links name in other maps): the maps are read side by side.
#[derive(Debug, Default)]
struct Part<'c> {
    /// `self-link`, `duplicate-link`, `conflicting-link` and `framing-link` findings.
    diagnostics: Vec<Diagnostic>,
    /// Where each claim's support links start in `support`.
    support_start: Vec<u32>,
    /// Support links: the claim supported, and the link.
    support: Vec<(Node, &'c Link)>,
    /// Attacks: the attacker, the claim attacked, and the link.
    attacks: Vec<(Node, Node, &'c Link)>,
    /// Links that name no claim, in order.
    dangling: Vec<&'c Link>,
}

fn map_part<'c>(index: &ClaimIndex<'_, 'c>, mi: usize, map: &'c ArgumentMap) -> Part<'c> {
    let graph = index.graph;
    let corpus = graph.corpus();
    let mut part = Part::default();
    let out = &mut part.diagnostics;
    // A claim's resolved targets: claims have few links, so a short list beats a map; a
    // claim with very many links gets a map of its own, so that it is not quadratic.
    let mut targets: Vec<(Node, Relation, &Link)> = Vec::new();
    let mut many_targets: HashMap<Node, (Relation, &Link)> = HashMap::default();
    for (ci, claim) in map.claims.iter().enumerate() {
        let here = index.node(mi, ci);
        part.support_start.push(part.support.len() as u32);
        targets.clear();
        let many = claim.links.len() > MANY_LINKS;
        if many {
            many_targets = HashMap::default();
        }
        let mut previous: Option<&Link> = None;
        for edge in graph.links_from(here as u32) {
            let link = edge.link;
            // The entry written just before this one (links are in file order).
            let before = previous.replace(link);
            let Some(target) = edge.to.map(|t| t as Node) else {
                part.dangling.push(link);
                continue;
            };
            let (target_map, target_claim) = graph.claim(target as u32);
            if !claim.is_argument() || !target_claim.is_argument() {
                framing_link(claim, target_claim, link, out);
                continue;
            }
            if target == here {
                out.push(
                    Diagnostic::new(
                        Rule::SelfLink,
                        Label::new(link.span, "points back at its own claim"),
                        format!(
                            "claim `{}` {} itself",
                            super::shown(&claim.id.value),
                            link.relation.field()
                        ),
                    )
                    .with_help("link the claim to the claim it bears on"),
                );
                continue;
            }
            if !link.is_analysts() && !std::ptr::eq(target_map, map) {
                out.extend(cross_source(corpus, map, claim, target_map, link));
            }
            let seen = if many {
                many_targets.get(&target).map(|&(r, l)| (target, r, l))
            } else {
                targets.iter().find(|(t, ..)| *t == target).copied()
            };
            match seen {
                Some((_, relation, first)) if relation != link.relation => out.push(
                    Diagnostic::new(
                        Rule::ConflictingLink,
                        Label::new(link.span, format!("{} here", link.relation.field())),
                        format!(
                            "claim `{}` both supports and attacks `{}`",
                            super::shown(&claim.id.value),
                            link.target
                        ),
                    )
                    .with_related(Label::new(first.span, format!("{} here", relation.field())))
                    .with_help("keep one of the two links, or split the claim"),
                ),
                Some((_, _, first)) => {
                    out.push(duplicate_link(corpus, claim, first, before, link));
                }
                None => {
                    if many {
                        many_targets.insert(target, (link.relation, link));
                    } else {
                        targets.push((target, link.relation, link));
                    }
                    match link.relation {
                        Relation::Supports => part.support.push((target, link)),
                        Relation::Attacks => part.attacks.push((here, target, link)),
                    }
                }
            }
        }
    }
    part
}

/// The support graph and the attacks of the whole corpus, from the maps' parts.
fn assemble<'c>(index: &ClaimIndex<'_, 'c>, parts: &[Part<'c>]) -> (Support<'c>, Attacks<'c>) {
    let mut support = Support {
        start: Vec::with_capacity(index.len() + 1),
        edges: Vec::with_capacity(parts.iter().map(|p| p.support.len()).sum()),
    };
    let mut attacks = Vec::with_capacity(parts.iter().map(|p| p.attacks.len()).sum());
    for part in parts {
        let offset = support.edges.len() as u32;
        support
            .start
            .extend(part.support_start.iter().map(|s| s + offset));
        support.edges.extend_from_slice(&part.support);
        attacks.extend_from_slice(&part.attacks);
    }
    support.start.push(support.edges.len() as u32);
    (support, attacks)
}

/// Every attack: the attacker, the claim attacked, and the link.
type Attacks<'c> = Vec<(Node, Node, &'c Link)>;

/// The link rules. Each map's part ([`map_part`]) is read side by side; what needs the
/// whole graph (cycles, contradictions, isolation) and the dangling links' did-you-mean
/// (one budget, in order) come after.
pub(super) fn check(graph: &Graph, levels: &Levels, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let corpus = graph.corpus();
    let index = ClaimIndex { graph };
    let parts: Vec<Part> = corpus
        .maps
        .par_iter()
        .enumerate()
        .map(|(mi, map)| map_part(&index, mi, map))
        .collect();
    duplicate_ids(graph, out);
    for part in &parts {
        out.extend(part.diagnostics.iter().cloned());
    }
    let mut suggestions = LinkSuggestions::new(corpus);
    for (map, part) in corpus.maps.iter().zip(&parts) {
        for link in &part.dangling {
            dangling(corpus, &index, &mut suggestions, &map.name, link, out);
        }
    }
    isolated(graph, levels.runs(Rule::UndeclaredConclusion), out);
    let (support, mut attacks) = assemble(&index, &parts);
    let components = strongly_connected(&support, 0..support.len(), |_| true);
    out.extend(cycles(&index, &support, &components));
    if levels.runs(Rule::ContradictoryLinks) {
        out.extend(contradictions(&index, &support, &components, &mut attacks));
    }
}

/// The claims `starts` reach by supports, `starts` included: as a mask and a list.
fn reach(n: usize, support: &Support, starts: &[Node]) -> (Vec<bool>, Vec<Node>) {
    let mut seen = vec![false; n];
    let mut nodes = Vec::new();
    for &s in starts {
        if !seen[s] {
            seen[s] = true;
            nodes.push(s);
        }
    }
    let mut next = 0;
    while let Some(&v) = nodes.get(next) {
        next += 1;
        for &(w, _) in &support[v] {
            if !seen[w] {
                seen[w] = true;
                nodes.push(w);
            }
        }
    }
    (seen, nodes)
}

/// A link listed again; its fix deletes the entry with the separator before it, when only
/// a list's punctuation (`, ` or a new line and `- `) stands there.
fn duplicate_link(
    corpus: &Corpus,
    claim: &Claim,
    first: &Link,
    previous: Option<&Link>,
    again: &Link,
) -> Diagnostic {
    let relation = again.relation.field();
    let d = Diagnostic::new(
        Rule::DuplicateLink,
        Label::new(again.span, "listed again"),
        format!(
            "claim `{}` {relation} `{}` twice",
            super::shown(&claim.id.value),
            again.target
        ),
    )
    .with_related(Label::new(first.span, "first here"))
    .with_help(format!("remove the second `{}`", again.target));
    let text = &corpus.sources.get(again.span.file).text;
    let start = again.span.range().start;
    let before = &text[..start];
    let gap_start = before
        .trim_end_matches([' ', '\t', '\r', '\n', ',', '-'])
        .len();
    let gap = &before[gap_start..];
    let after_an_entry = previous.is_some_and(|b| {
        b.relation == again.relation
            && b.span.file == again.span.file
            && b.span.range().end == gap_start
    });
    if !crate::yaml::is_list_separator(gap) || !after_an_entry {
        return d;
    }
    let span = Span::new(again.span.file, gap_start, again.span.range().end);
    d.with_fix(Fix::replace(
        format!("remove the second `{}`", again.target),
        span,
        "",
        Applicability::Safe,
    ))
}

fn framing_link(from: &Claim, to: &Claim, link: &Link, out: &mut Vec<Diagnostic>) {
    let verb = link.relation.field();
    let (apart, message) = if from.is_argument() {
        let message = format!(
            "claim `{}` {verb} `{}`, which has `kind: {}` and is not part of the argument",
            super::shown(&from.id.value),
            super::shown(&to.id.value),
            to.kind.as_str()
        );
        (to, message)
    } else {
        let message = format!(
            "claim `{}` has `kind: {}` but {verb} `{}`",
            super::shown(&from.id.value),
            from.kind.as_str(),
            link.target
        );
        (from, message)
    };
    let mut d = Diagnostic::new(
        Rule::FramingLink,
        Label::new(
            link.span,
            format!("`{}` is not part of the argument", apart.id.value),
        ),
        message,
    )
    .with_help("remove the link, or remove the `kind` if the paper uses the statement as a reason");
    if let Some(span) = apart.kind_span {
        d = d.with_related(Label::new(span, "declared here"));
    }
    out.push(d);
}

/// Attacks on a claim that the attacker also supports through a chain of supports, with
/// the graph's components (see [`search`]).
fn contradictions(
    index: &ClaimIndex,
    support: &Support,
    components: &Components,
    attacks: &mut Attacks,
) -> Vec<Diagnostic> {
    let relevant = relevant(support, attacks);
    search(index, support, &relevant, components, attacks)
}

/// The claims that can carry a contradiction: those an attacker reaches by supports that
/// reach a claim attacked. Found from the attackers forwards, then back from the claims
/// attacked among the claims reached only, so that the work is that of the attacks'
/// part of the graph.
fn relevant(support: &Support, attacks: &Attacks) -> Vec<bool> {
    let n = support.len();
    let attackers: Vec<Node> = attacks.iter().map(|&(from, ..)| from).collect();
    let (reached, nodes) = reach(n, support, &attackers);
    // The support links among the claims reached, reversed, in compressed rows (every
    // claim a reached claim supports is reached).
    let mut place = vec![u32::MAX; n];
    for (i, &v) in nodes.iter().enumerate() {
        place[v] = i as u32;
    }
    let mut start = vec![0u32; nodes.len() + 1];
    for &v in &nodes {
        for &(w, _) in &support[v] {
            start[place[w] as usize + 1] += 1;
        }
    }
    for i in 0..nodes.len() {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut into = vec![0 as Node; start[nodes.len()] as usize];
    for &v in &nodes {
        for &(w, _) in &support[v] {
            let at = &mut fill[place[w] as usize];
            into[*at as usize] = v;
            *at += 1;
        }
    }
    let mut relevant = vec![false; n];
    let mut queue: Vec<Node> = Vec::new();
    for &(_, to, _) in attacks {
        if reached[to] && !relevant[to] {
            relevant[to] = true;
            queue.push(to);
        }
    }
    while let Some(w) = queue.pop() {
        let p = place[w] as usize;
        for &v in &into[start[p] as usize..start[p + 1] as usize] {
            if !relevant[v] {
                relevant[v] = true;
                queue.push(v);
            }
        }
    }
    relevant
}

/// The contradiction search over the `relevant` claims.
///
/// Reachability is decided 64 attacks at a time: one pass over the claims in topological
/// order (of their strongly connected components, so cycles are no obstacle) carries, for
/// each claim, the set of the 64 attackers it is reached from by supports. Passes visit
/// only claims between an attacker and an attacked claim, and start at the earliest
/// attacker of their batch; their total is bounded ([`CONTRADICTION_BUDGET`]).
fn search(
    index: &ClaimIndex,
    support: &Support,
    relevant: &[bool],
    components: &Components,
    attacks: &mut Attacks,
) -> Vec<Diagnostic> {
    let corpus = index.graph.corpus();
    let n = support.len();
    if attacks.is_empty() {
        return Vec::new();
    }
    // The claims in topological order of their strongly connected components (claims of a
    // support cycle reach each other, so they share what reaches them).
    let order: Vec<&[Node]> = components
        .iter()
        .rev()
        .filter(|c| c.iter().any(|&v| relevant[v]))
        .collect();
    let mut position = vec![u32::MAX; n];
    for (i, component) in order.iter().enumerate() {
        for &v in component.iter() {
            position[v] = i as u32;
        }
    }
    let mut live: Vec<&(Node, Node, &Link)> = attacks
        .iter()
        .filter(|&&(from, to, _)| relevant[from] && relevant[to])
        .collect();
    // Batches of attackers close together in the order share short passes.
    live.sort_by_key(|&&(from, ..)| std::cmp::Reverse(position[from]));
    let mut reached = vec![0u64; n];
    let mut found: Vec<(Node, Node, &Link)> = Vec::new();
    let mut budget = CONTRADICTION_BUDGET;
    for batch in live.chunks(64) {
        let first = batch.iter().map(|&&(f, ..)| position[f]).min().unwrap_or(0) as usize;
        let pass: usize = order[first..].iter().map(|c| c.len()).sum();
        let Some(rest) = budget.checked_sub(pass) else {
            break; // bounded: see the rule's documentation
        };
        budget = rest;
        for (bit, &&(from, ..)) in batch.iter().enumerate() {
            reached[from] |= 1 << bit;
        }
        for component in &order[first..] {
            let bits = component.iter().fold(0, |acc, &v| acc | reached[v]);
            if bits == 0 {
                continue;
            }
            for &v in component.iter() {
                reached[v] = bits;
                for &(w, _) in &support[v] {
                    if relevant[w] {
                        reached[w] |= bits;
                    }
                }
            }
        }
        for (bit, &&(from, to, link)) in batch.iter().enumerate() {
            if reached[to] & (1 << bit) != 0 {
                found.push((from, to, link));
            }
        }
        for component in &order[first..] {
            for &v in component.iter() {
                reached[v] = 0;
            }
        }
    }
    found.sort_by_key(|&(.., link)| (link.span.file, link.span.start));
    let mut findings = Vec::with_capacity(found.len());
    for (i, &(from, to, link)) in found.iter().enumerate() {
        let (fm, fc) = index.split(from);
        let attacker = &corpus.maps[fm].claims[fc];
        let here = &corpus.maps[fm].name;
        let name = |node: Node| {
            let (mi, ci) = index.split(node);
            let id = super::shown(&corpus.maps[mi].claims[ci].id.value);
            if corpus.maps[mi].name == *here {
                id.into_owned()
            } else {
                format!("{}:{id}", corpus.maps[mi].name)
            }
        };
        let mut d = Diagnostic::new(
            Rule::ContradictoryLinks,
            Label::new(link.span, "attacks here"),
            format!(
                "claim `{}` attacks `{}` but also supports it through a chain of supports",
                super::shown(&attacker.id.value),
                name(to)
            ),
        )
        .with_help(
            "check each link against the paper: one of them is misplaced, or a support in the \
             chain is a concession (an attack) or a precondition (no link)",
        );
        // The chain is shown for the first findings; finding it costs a search each.
        if i < MAX_CHAINS_SHOWN
            && let Some(path) = support_path(support, from, to)
        {
            let chain: Vec<String> = std::iter::once(from)
                .chain(path.iter().map(|&(w, _)| w))
                .map(name)
                .collect();
            d.message = format!(
                "claim `{}` attacks `{}` but also supports it: {}",
                super::shown(&attacker.id.value),
                name(to),
                elide_chain(&chain)
            )
            .into();
            let mut prev = from;
            for &(w, support_link) in path.iter().take(MAX_CHAIN_LABELS) {
                d = d.with_related(Label::new(
                    support_link.span,
                    format!("`{}` supports `{}`", name(prev), name(w)),
                ));
                prev = w;
            }
        }
        findings.push(d);
    }
    findings
}

/// A chain of claims longer than this is shown by its ends ("a → b → … 40 more … → z"),
/// and labelled at its first links only: a report stays readable, and its size linear.
const MAX_CHAIN_LABELS: usize = 12;

/// `a → b → c`, with the middle of a long chain left out.
fn elide_chain(chain: &[String]) -> String {
    if chain.len() <= MAX_CHAIN_LABELS {
        return chain.join(" → ");
    }
    let head = &chain[..MAX_CHAIN_LABELS / 2];
    let tail = &chain[chain.len() - MAX_CHAIN_LABELS / 2..];
    format!(
        "{} → … {} more … → {}",
        head.join(" → "),
        chain.len() - head.len() - tail.len(),
        tail.join(" → ")
    )
}

/// Claims with more links than this find repeated targets through a hash map.
const MANY_LINKS: usize = 16;

/// How many `contradictory-links` findings name their whole chain.
const MAX_CHAINS_SHOWN: usize = 200;

/// Claims visited, summed over the passes of `contradictory-links`: the rule stops past it
/// (a few hundred passes over a large corpus) rather than take minutes.
const CONTRADICTION_BUDGET: usize = 100_000_000;

/// The shortest chain of supports from `from` to `to`: each step's claim and the link that
/// reaches it.
fn support_path<'l>(edges: &Support<'l>, from: Node, to: Node) -> Option<Vec<(Node, &'l Link)>> {
    let mut parent: HashMap<Node, (Node, &Link)> = HashMap::default();
    let mut queue = VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for &(w, link) in &edges[v] {
            if w == from || parent.contains_key(&w) {
                continue;
            }
            parent.insert(w, (v, link));
            if w == to {
                let mut path = vec![(w, link)];
                let mut at = v;
                while at != from {
                    let (p, l) = parent[&at];
                    path.push((at, l));
                    at = p;
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(w);
        }
    }
    None
}

fn duplicate_ids(graph: &Graph, out: &mut Vec<Diagnostic>) {
    for &(first, again) in graph.duplicate_claims() {
        let (map, prev) = graph.claim(first);
        let (_, claim) = graph.claim(again);
        out.push(
            Diagnostic::new(
                Rule::DuplicateClaimId,
                Label::new(claim.id.span, "defined again here"),
                format!(
                    "claim id `{}` is used twice in map `{}`",
                    claim.id.value, map.name
                ),
            )
            .with_related(Label::new(prev.id.span, "first defined here"))
            .with_help("rename one of the claims and update the links to it"),
        );
    }
}

fn dangling(
    corpus: &Corpus,
    index: &ClaimIndex,
    suggestions: &mut LinkSuggestions,
    here: &str,
    link: &Link,
    out: &mut Vec<Diagnostic>,
) {
    let target_map = link.target.map_or(here);
    if corpus.unreadable_maps.contains(target_map) {
        return; // the map exists but could not be read: its own errors say why
    }
    // What the link should say, when the closest name is clearly the one meant; and
    // whether it is the same name, encoded differently (then the fix is safe).
    let mut corrected = None;
    let mut same_name = false;
    let encoding_help = "the names look the same but encode accents differently (Unicode \
                         NFC and NFD): write them the same way";
    let (message, label, help) = match index.graph.map_index(target_map) {
        None => (
            format!("link to `{}`: there is no map `{target_map}`", link.target),
            "no such map".to_owned(),
            if let Some(same) = suggestions.map_by_nfc(target_map) {
                corrected = Some(format!("{same}:{}", link.target.claim));
                same_name = true;
                format!("map `{same}`: {encoding_help}")
            } else {
                match suggestions.map(target_map) {
                    Some(s) => {
                        if s.clear && link.target.map.is_some() {
                            corrected = Some(format!("{}:{}", s.word, link.target.claim));
                        }
                        format!("did you mean map `{}`?", s.word)
                    }
                    None => "a map is named by its file name in arguments/, without `.yaml`".into(),
                }
            },
        ),
        Some(mi) => {
            let where_ = if link.target.map.is_some() {
                format!(" in map `{target_map}`")
            } else {
                String::new()
            };
            let with_map = |claim: &str| match &link.target.map {
                Some(m) => format!("{m}:{claim}"),
                None => claim.to_owned(),
            };
            (
                format!(
                    "link to `{}`: there is no claim `{}`{where_}",
                    link.target, link.target.claim
                ),
                "no such claim".to_owned(),
                if let Some(same) = suggestions.claim_by_nfc(mi, &link.target.claim) {
                    corrected = Some(with_map(same));
                    same_name = true;
                    format!("claim `{same}`: {encoding_help}")
                } else {
                    match suggestions.claim(mi, &link.target.claim) {
                        Some(s) => {
                            if s.clear {
                                corrected = Some(with_map(s.word));
                            }
                            format!("did you mean `{}`?", s.word)
                        }
                        None if link.target.map.is_none() => {
                            "to link to a claim of another map, write `map:id`".into()
                        }
                        None => "check the claim ids of that map".into(),
                    }
                },
            )
        }
    };
    let mut d =
        Diagnostic::new(Rule::DanglingLink, Label::new(link.span, label), message).with_help(help);
    // Unsafe when it guesses (the closest id may not be the claim meant); safe when it only
    // encodes the same name the same way.
    let text = &corpus.sources.get(link.span.file).text;
    if let Some(target) = corrected
        && let Some(new) = yaml::rewrite_scalar(text, link.span.range(), &target)
    {
        let applicability = if same_name {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        d = d.with_fix(Fix::replace(
            format!("link to `{target}`"),
            link.span,
            new,
            applicability,
        ));
    }
    out.push(d);
}

/// Tarjan's strongly connected components, iteratively (maps can be deep chains), of the
/// claims `inside` says are in, whose support links lead to claims in (or are left out):
/// every component, from `roots` in their order, in the order Tarjan emits them, which is
/// reverse topological (a component comes after every component it reaches).
fn strongly_connected(
    edges: &Support,
    roots: impl IntoIterator<Item = Node>,
    inside: impl Fn(Node) -> bool,
) -> Components {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index_of = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<Node> = Vec::new();
    let mut components = Components {
        nodes: Vec::with_capacity(n),
        ends: Vec::new(),
    };
    let mut next = 0;
    // (node, how many of its successors have been looked at); one for every root.
    let mut work: Vec<(Node, usize)> = Vec::new();
    for root in roots {
        if index_of[root] != UNSEEN {
            continue;
        }
        work.push((root, 0));
        index_of[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if let Some(&(w, _)) = edges[v].get(*child) {
                *child += 1;
                if !inside(w) {
                    continue;
                }
                if index_of[w] == UNSEEN {
                    index_of[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index_of[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index_of[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    components.nodes.push(w);
                    if w == v {
                        break;
                    }
                }
                components.ends.push(components.nodes.len() as u32);
            }
        }
    }
    components
}

/// A `circular-support` finding for each component of more than one claim, with the
/// component's claims.
fn cycles(index: &ClaimIndex, edges: &Support, components: &Components) -> Vec<Diagnostic> {
    let corpus = index.graph.corpus();
    let mut out = Vec::new();
    for component in components.iter().filter(|c| c.len() > 1) {
        let mut component = component.to_vec();
        component.sort_unstable();
        let members: HashSet<Node> = component.iter().copied().collect();
        let start = component[0];
        // Shortest way back to `start` inside the component: the cycle to show.
        let mut parent: HashMap<Node, (Node, &Link)> = HashMap::default();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'bfs: while let Some(v) = queue.pop_front() {
            for &(w, link) in &edges[v] {
                if !members.contains(&w) {
                    continue;
                }
                if w == start {
                    closing = Some((v, link));
                    break 'bfs;
                }
                if let Entry::Vacant(e) = parent.entry(w) {
                    e.insert((v, link));
                    queue.push_back(w);
                }
            }
        }
        let Some((last, closing_link)) = closing else {
            continue;
        };
        let mut path = vec![(last, closing_link)];
        let mut v = last;
        while v != start {
            let (p, link) = parent[&v];
            path.push((p, link));
            v = p;
        }
        path.reverse(); // path[i] = (claim, its link to the next claim)
        let start_map = index.split(start).0;
        let name = |node: Node| {
            let (mi, ci) = index.split(node);
            let m = &corpus.maps[mi];
            let first_map = corpus.maps[start_map].name.as_str();
            if m.name == first_map {
                m.claims[ci].id.value.clone()
            } else {
                format!("{}:{}", m.name, m.claims[ci].id.value)
            }
        };
        let mut chain: Vec<String> = path.iter().map(|&(n, _)| name(n)).collect();
        chain.push(name(start));
        let (_, first_link) = path[0];
        let mut d = Diagnostic::new(
            Rule::CircularSupport,
            Label::new(first_link.span, "the cycle starts here"),
            format!("circular support: {}", elide_chain(&chain)),
        )
        .with_help("remove the link that leads from a conclusion back to one of its premises");
        for &(n, link) in path[1..].iter().take(MAX_CHAIN_LABELS) {
            d = d.with_related(Label::new(
                link.span,
                format!("`{}` supports the next claim", name(n)),
            ));
        }
        out.push(d);
    }
    out
}

/// A `cross-source-link` finding when `link`, from `claim` of `map` to a claim of `other`,
/// joins two papers (the maps' sources differ) and neither marks it as the analyst's nor
/// cites the other paper. Maps without a source are reported by the source rules.
fn cross_source(
    corpus: &Corpus,
    map: &ArgumentMap,
    claim: &Claim,
    other: &ArgumentMap,
    link: &Link,
) -> Option<Diagnostic> {
    let (here, there) = (map.source.as_ref()?, other.source.as_ref()?);
    if here.value == there.value || claim.citations.iter().any(|c| c.key() == there.value) {
        return None;
    }
    let mut d = Diagnostic::new(
        Rule::CrossSourceLink,
        Label::new(link.span, "drawn as the paper's own"),
        format!(
            "claim `{}` {} `{}`, a claim of another paper (`{}`), but the link is not marked \
             as the analyst's",
            super::shown(&claim.id.value),
            link.relation.field(),
            link.target,
            super::shown(&there.value)
        ),
    )
    .with_help(
        "neither paper draws this link unless the claim cites the other: write it as \
         `{to: ..., by: analyst, note: WHY}`",
    );
    let text = &corpus.sources.get(link.span.file).text;
    if let Some(fix) = mark_analysts(text, link) {
        d = d.with_fix(fix);
    }
    Some(d)
}

/// The fix that rewrites the link entry `id` as `{to: id, by: analyst}` (written as the
/// id was, quotes included); none for a mapping (it has more to keep) or a block scalar.
fn mark_analysts(text: &str, link: &Link) -> Option<Fix> {
    let written = text.get(link.span.range())?;
    let plain_line =
        !written.contains(['\n', '\r']) && !yaml::is_block_content(text, link.span.start as usize);
    (!link.as_mapping && plain_line).then(|| {
        Fix::replace(
            "mark the link as the analyst's",
            link.span,
            format!("{{to: {written}, by: analyst}}"),
            Applicability::Safe,
        )
    })
}

/// `undeclared-conclusion`: a claim of the argument that bears on no other and is not
/// declared a conclusion. A claim nothing bears on either is `isolated-claim`'s (in maps of
/// several claims), not this rule's.
fn undeclared(graph: &Graph, claim: &Claim, out: &mut Vec<Diagnostic>) {
    if claim.is_declared_conclusion() {
        return;
    }
    let mut d = Diagnostic::new(
        Rule::UndeclaredConclusion,
        Label::new(claim.id.span, "bears on no claim"),
        format!(
            "claim `{}` supports and attacks nothing, and is not declared a conclusion",
            super::shown(&claim.id.value)
        ),
    )
    .with_help(
        "add `conclusion: true` if the paper concludes it; if it is a reason, add the \
         `supports` or `attacks` it lacks",
    );
    let text = &graph.corpus().sources.get(claim.id.span.file).text;
    if let Some((at, line)) =
        yaml::insert_field_after(text, claim.id.span.range(), "conclusion: true")
    {
        let here = Span::new(claim.id.span.file, at, at);
        d = d.with_fix(Fix::replace(
            "declare it a conclusion",
            here,
            line,
            Applicability::Unsafe,
        ));
    }
    out.push(d);
}

/// Claims of the argument that neither support nor attack a claim and that no claim of
/// the argument supports or attacks (in maps of more than one claim); and, when its rule
/// runs (it is off by default), the other claims that bear on none, `undeclared`. A claim whose only
/// links dangle is reported as dangling-link, not here; aims and framing stand apart from
/// the argument by design.
fn isolated(graph: &Graph, undeclared_runs: bool, out: &mut Vec<Diagnostic>) {
    for (mi, map) in graph.corpus().maps.iter().enumerate() {
        for &ci in &map.facts().unlinked {
            let (ci, claim) = (ci as usize, &map.claims[ci as usize]);
            let node = graph.node(mi, ci);
            // A link from a claim outside the argument is a framing-link, no link.
            if map.claims.len() < 2
                || graph
                    .links_to(node)
                    .any(|edge| graph.claim(edge.from).1.is_argument())
            {
                if undeclared_runs {
                    undeclared(graph, claim, out);
                }
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::IsolatedClaim,
                    Label::new(claim.id.span, "linked to nothing"),
                    format!(
                        "claim `{}` neither supports nor attacks any claim, and none bears on it",
                        claim.id.value
                    ),
                )
                .with_help("add `supports: [...]` or `attacks: [...]` to place it in the argument"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rule::Rule;
    use crate::rules::findings_of;

    const REFS: &str = "references:\n  - {id: src, type: book, title: S}\n";

    /// A claim: its id, what it supports and what it attacks (as the lists are written).
    type Claim<'a> = (&'a str, &'a str, &'a str);

    /// The findings of maps `(name, claims)`.
    fn links(maps: &[(&str, &[Claim])]) -> Vec<(Rule, String, String)> {
        let texts: Vec<(String, String)> = maps
            .iter()
            .map(|(name, claims)| {
                let mut text = format!("title: {name}\nsource: src\nclaims:\n");
                for (id, supports, attacks) in claims.iter() {
                    text.push_str(&format!("  - id: {id}\n    text: T [@src]\n"));
                    if !supports.is_empty() {
                        text.push_str(&format!("    supports: [{supports}]\n"));
                    }
                    if !attacks.is_empty() {
                        text.push_str(&format!("    attacks: [{attacks}]\n"));
                    }
                }
                (format!("arguments/{name}.yaml"), text)
            })
            .collect();
        let mut files: Vec<(&str, &str)> = vec![("references/r.yaml", REFS)];
        files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        findings_of(&files)
    }

    fn rules(found: &[(Rule, String, String)]) -> Vec<Rule> {
        found.iter().map(|(r, ..)| *r).collect()
    }

    #[test]
    fn a_link_to_its_own_claim_twice_and_both_ways() {
        let found = links(&[(
            "m",
            &[
                ("a", "a", ""),
                ("b", "c, c", ""),
                ("c", "", ""),
                ("d", "c", "c"),
            ],
        )]);
        assert_eq!(
            rules(&found),
            [Rule::SelfLink, Rule::DuplicateLink, Rule::ConflictingLink],
            "{found:?}"
        );
        assert_eq!(found[0].2, "claim `a` supports itself");
        assert_eq!(found[1].1, "c", "labelled at the second entry");
        assert_eq!(found[2].2, "claim `d` both supports and attacks `c`");
    }

    #[test]
    fn a_dangling_link_names_the_closest_claim_and_map() {
        let found = links(&[
            ("m", &[("thesis", "", ""), ("r", "thesiss, n:reson", "")]),
            ("n", &[("reason", "m:thesis", "")]),
        ]);
        let dangling: Vec<_> = found
            .iter()
            .filter(|(r, ..)| *r == Rule::DanglingLink)
            .collect();
        assert_eq!(dangling.len(), 2, "{found:?}");
        assert_eq!(dangling[0].1, "thesiss");
        assert_eq!(dangling[1].1, "n:reson");
    }

    #[test]
    fn a_cycle_across_maps_is_reported_once_with_its_chain() {
        let found = links(&[
            ("m", &[("a", "b", ""), ("b", "n:c", "")]),
            ("n", &[("c", "m:a", "")]),
        ]);
        assert_eq!(rules(&found), [Rule::CircularSupport], "{found:?}");
        assert_eq!(found[0].2, "circular support: a → b → n:c → a");
    }

    #[test]
    fn an_attack_on_a_claim_the_attacker_supports_through_a_chain() {
        let found = links(&[("m", &[("p", "q", "r"), ("q", "r", ""), ("r", "", "")])]);
        assert_eq!(rules(&found), [Rule::ContradictoryLinks], "{found:?}");
        assert_eq!(
            found[0].2,
            "claim `p` attacks `r` but also supports it: p → q → r"
        );
        // A concession that supports nothing it attacks is no contradiction.
        let found = links(&[("m", &[("p", "", "r"), ("q", "r", ""), ("r", "", "")])]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_claim_linked_to_nothing_in_a_map_of_several() {
        let found = links(&[("m", &[("a", "b", ""), ("b", "", ""), ("alone", "", "")])]);
        assert_eq!(rules(&found), [Rule::IsolatedClaim], "{found:?}");
        assert_eq!(found[0].1, "alone");
        // A map of one claim has nothing to link it to.
        assert!(links(&[("m", &[("alone", "", "")])]).is_empty());
    }

    #[test]
    fn ids_repeated_in_a_map_and_links_to_framing() {
        let found = findings_of(&[
            ("references/r.yaml", REFS),
            (
                "arguments/m.yaml",
                "title: m\nsource: src\nclaims:\n  - id: a\n    text: A [@src]\n    supports: [f]\n  - id: a\n    text: again [@src]\n  - id: f\n    kind: framing\n    text: F [@src]\n",
            ),
        ]);
        assert_eq!(
            rules(&found),
            [
                Rule::FramingLink,
                Rule::DuplicateClaimId,
                Rule::IsolatedClaim
            ],
            "{found:?}"
        );
        assert_eq!(found[2].1, "a", "the second `a`, which no link can name");
    }
}
