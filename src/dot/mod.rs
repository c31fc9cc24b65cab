//! Graphviz DOT argument diagrams: pure functions from the model to DOT text.
//!
//! A [`Diagram`] is a selection of maps (one, several or all) plus the claims of other
//! maps linked to or from them; [`Diagram::to_dot`] writes it. Claims are boxes, their
//! text wrapped; conclusions (claims that neither support nor attack another) are filled
//! and bold, and the default bottom-to-top ranking puts them on top. Supports are solid
//! blue arrows, attacks dashed vermillion tees (Okabe–Ito colours, told apart without
//! colour too). `section`s become labelled clusters, several maps become one cluster each.
//!
//! Output is deterministic: ids come from map and claim ids, everything is written in
//! map, claim and link order, and no hash map is ever iterated. The writer is linear in
//! the size of the corpus.

mod escape;
mod wrap;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use crate::diagnostic::did_you_mean;
use crate::model::{ArgumentMap, Citation, Claim, ClaimRef, Corpus, Reference, Relation};
use escape::{push_html, push_id_part, push_tooltip, push_url};
pub use wrap::wrap;

/// How a diagram is laid out and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Characters per line of claim text.
    pub wrap: usize,
    pub rank_dir: RankDir,
    pub citations: CitationStyle,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            wrap: 40,
            rank_dir: RankDir::BottomTop,
            citations: CitationStyle::Inline,
        }
    }
}

/// The direction arrows point, from premises to conclusions (Graphviz's `rankdir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankDir {
    /// Arrows point up: conclusions on top.
    BottomTop,
    TopBottom,
    LeftRight,
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
}

/// How a claim's citations are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitationStyle {
    /// A smaller line under the claim text: "Song 2014, p. 87".
    Inline,
    /// One node per cited reference, shared by the claims citing it.
    Nodes,
    None,
}

/// A `--map` name that names no map.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no map named `{name}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownMap {
    pub name: String,
    pub suggestion: Option<String>,
}

// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
const SUPPORT_COLOR: &str = "#0072B2";
const CONCLUSION_FILL: &str = "#DCEAF7";
const CONCLUSION_BORDER: &str = "#0B3558";
const REFERENCE_FILL: &str = "#FFF4D6";
const REFERENCE_BORDER: &str = "#B07800";
const MUTED_TEXT: &str = "#555555";
const FONT: &str = "Helvetica";
/// Attacks differ from supports in dash and arrowhead too, so greyscale keeps them apart.
const ATTACK_STYLE: &str = "[color=\"#D55E00\", style=dashed, arrowhead=tee]";
/// Without the brackets: `cites` edges also take a label.
const CITES_STYLE: &str = "color=\"#8C8C8C\", style=dotted, arrowhead=none";

/// Claims by map name and claim id, for resolving links in constant time. The first of
/// duplicate ids wins, as in the link rules.
struct ClaimIndex<'c> {
    maps: HashMap<&'c str, (usize, HashMap<&'c str, usize>)>,
}

impl<'c> ClaimIndex<'c> {
    fn new(corpus: &'c Corpus) -> Self {
        let maps = corpus
            .maps
            .iter()
            .enumerate()
            .map(|(mi, map)| {
                let mut claims = HashMap::with_capacity(map.claims.len());
                for (ci, claim) in map.claims.iter().enumerate() {
                    claims.entry(claim.id.value.as_str()).or_insert(ci);
                }
                (map.name.as_str(), (mi, claims))
            })
            .collect();
        ClaimIndex { maps }
    }

    /// The (map, claim) indices a link of map `here` points at, if it exists.
    fn resolve(&self, here: &str, target: &ClaimRef) -> Option<(usize, usize)> {
        let (mi, claims) = self.maps.get(target.map_or(here))?;
        claims.get(target.claim.as_str()).map(|&ci| (*mi, ci))
    }
}

/// The maps to draw, and the claims of other maps they link to or are linked from.
pub struct Diagram<'c> {
    corpus: &'c Corpus,
    index: ClaimIndex<'c>,
    /// By map index: whether the whole map is drawn.
    drawn: Vec<bool>,
    /// By map index, for maps not drawn: the claims shown for their links, in map order.
    external: Vec<Vec<usize>>,
}

impl<'c> Diagram<'c> {
    /// Every map of the corpus in one graph.
    pub fn all(corpus: &'c Corpus) -> Self {
        Diagram {
            corpus,
            index: ClaimIndex::new(corpus),
            drawn: vec![true; corpus.maps.len()],
            external: vec![Vec::new(); corpus.maps.len()],
        }
    }

    /// The named maps (all of them when `names` is empty), drawn in the corpus's order.
    pub fn select(corpus: &'c Corpus, names: &[impl AsRef<str>]) -> Result<Self, UnknownMap> {
        if names.is_empty() {
            return Ok(Diagram::all(corpus));
        }
        let index = ClaimIndex::new(corpus);
        let mut drawn = vec![false; corpus.maps.len()];
        for name in names {
            let name = name.as_ref();
            match index.maps.get(name) {
                Some(&(mi, _)) => drawn[mi] = true,
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
        for (mi, map) in corpus.maps.iter().enumerate() {
            for (ci, claim) in map.claims.iter().enumerate() {
                for link in &claim.links {
                    let Some((tm, tc)) = index.resolve(&map.name, &link.target) else {
                        continue;
                    };
                    if drawn[mi] && !drawn[tm] {
                        linked.insert((tm, tc));
                    } else if !drawn[mi] && drawn[tm] {
                        linked.insert((mi, ci));
                    }
                }
            }
        }
        let mut external = vec![Vec::new(); corpus.maps.len()];
        for (mi, ci) in linked {
            external[mi].push(ci);
        }
        Ok(Diagram {
            corpus,
            index,
            drawn,
            external,
        })
    }

    /// The maps with at least one claim in the diagram: drawn, or linked to a drawn one.
    pub fn shown_maps(&self) -> impl Iterator<Item = &'c ArgumentMap> + '_ {
        self.corpus
            .maps
            .iter()
            .enumerate()
            .filter(|&(mi, _)| self.drawn[mi] || !self.external[mi].is_empty())
            .map(|(_, m)| m)
    }

    fn is_shown(&self, (mi, ci): (usize, usize)) -> bool {
        self.drawn[mi] || self.external[mi].binary_search(&ci).is_ok()
    }

    /// Writes the diagram as a DOT digraph.
    pub fn to_dot(&self, options: &Options) -> String {
        let mut w = Writer {
            out: String::with_capacity(512 * self.corpus.claim_count().min(1 << 20) + 4096),
            options,
            references: self.corpus.reference_index(),
            cited: Vec::new(),
            cited_seen: HashSet::new(),
        };
        let drawn: Vec<&ArgumentMap> = self
            .corpus
            .maps
            .iter()
            .zip(&self.drawn)
            .filter(|&(_, &d)| d)
            .map(|(m, _)| m)
            .collect();
        let single = match drawn.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        w.header(single);
        for map in &drawn {
            w.map(map, single.is_none());
        }
        for (map, claims) in self.corpus.maps.iter().zip(&self.external) {
            if !claims.is_empty() {
                w.external_map(map, claims);
            }
        }
        if options.citations == CitationStyle::Nodes {
            w.reference_nodes();
        }
        let has_external = self.external.iter().any(|c| !c.is_empty());
        w.legend(has_external);
        self.edges(&mut w);
        w.out.push_str("}\n");
        w.out
    }

    /// Writes every link between shown claims, then the citation edges; all at the top
    /// level, after the nodes, so that no edge pulls a node into the wrong cluster.
    fn edges(&self, w: &mut Writer) {
        for (mi, map) in self.corpus.maps.iter().enumerate() {
            if self.drawn[mi] {
                for claim in &map.claims {
                    self.links(w, map, claim);
                }
            } else {
                for &ci in &self.external[mi] {
                    self.links(w, map, &map.claims[ci]);
                }
            }
        }
        if w.options.citations == CitationStyle::Nodes {
            for map in self
                .corpus
                .maps
                .iter()
                .zip(&self.drawn)
                .filter(|(_, d)| **d)
                .map(|(m, _)| m)
            {
                for claim in &map.claims {
                    for citation in cited_works(map, claim) {
                        w.out.push_str("  ");
                        push_reference_id(&mut w.out, citation.key());
                        w.out.push_str(" -> ");
                        push_claim_id(&mut w.out, &map.name, &claim.id.value);
                        w.out.push_str(" [");
                        w.out.push_str(CITES_STYLE);
                        if let Some(locator) = locator_text(citation) {
                            w.out.push_str(", label=<");
                            push_html(&mut w.out, &locator);
                            w.out.push('>');
                        }
                        w.out.push_str("]\n");
                    }
                }
            }
        }
    }
}

impl Diagram<'_> {
    /// The claim's supports and attacks whose target is in the diagram.
    fn links(&self, w: &mut Writer, map: &ArgumentMap, claim: &Claim) {
        for link in &claim.links {
            let Some(target) = self.index.resolve(&map.name, &link.target) else {
                continue;
            };
            if !self.is_shown(target) {
                continue;
            }
            let target_map = &self.corpus.maps[target.0];
            w.out.push_str("  ");
            push_claim_id(&mut w.out, &map.name, &claim.id.value);
            w.out.push_str(" -> ");
            push_claim_id(
                &mut w.out,
                &target_map.name,
                &target_map.claims[target.1].id.value,
            );
            if link.relation == Relation::Attacks {
                w.out.push(' ');
                w.out.push_str(ATTACK_STYLE);
            }
            w.out.push('\n');
        }
    }
}

/// The citations a diagram shows for a claim: each cited work once (the first citation
/// of it, for its locator), leaving out the map's own source unless a locator says
/// where in it: the map's label names the source already, and a line or an edge on
/// every claim would bury the other works.
fn cited_works<'a>(map: &'a ArgumentMap, claim: &'a Claim) -> impl Iterator<Item = &'a Citation> {
    let source = map.source.as_ref().map(|s| s.value.as_str());
    claim
        .citations
        .iter()
        .enumerate()
        .filter(move |&(i, c)| {
            let first = !claim.citations[..i].iter().any(|e| e.key() == c.key());
            first && (Some(c.key()) != source || c.item.locator.is_some())
        })
        .map(|(_, c)| c)
}

/// "p. 87" for a citation with a locator; a bare number is a page, as pandoc reads it.
fn locator_text(citation: &Citation) -> Option<String> {
    let locator = citation.item.locator.as_ref()?;
    Some(match locator.label.as_str() {
        "" => format!("p. {}", locator.value),
        label => format!("{label} {}", locator.value),
    })
}

/// `"map:claim"`, sanitised.
fn push_claim_id(out: &mut String, map: &str, claim: &str) {
    out.push('"');
    push_id_part(out, map);
    out.push(':');
    push_id_part(out, claim);
    out.push('"');
}

/// `"@key"`, sanitised; `@` is encoded in map names, so it cannot clash with a claim.
fn push_reference_id(out: &mut String, key: &str) {
    out.push_str("\"@");
    push_id_part(out, key);
    out.push('"');
}

/// The link a claim's node opens: the DOI of the first cited work that has one, else
/// the URL of the first that has one.
fn claim_url(claim: &Claim, references: &HashMap<&str, &Reference>) -> Option<String> {
    let cited = || {
        claim
            .citations
            .iter()
            .filter_map(|c| references.get(c.key()))
    };
    cited()
        .find_map(|r| r.valid_doi())
        .map(|d| format!("https://doi.org/{}", d.doi.url_path()))
        .or_else(|| {
            cited()
                .find_map(|r| r.url.as_ref())
                .map(|u| u.value.clone())
        })
}

fn reference_url(reference: &Reference) -> Option<String> {
    match reference.valid_doi() {
        Some(d) => Some(format!("https://doi.org/{}", d.doi.url_path())),
        None => reference.url.as_ref().map(|u| u.value.clone()),
    }
}

/// The DOT text being written, and the references cited so far (`--citations nodes`).
struct Writer<'a, 'c> {
    out: String,
    options: &'a Options,
    references: HashMap<&'c str, &'c Reference>,
    /// Cited keys in order of first citation, for one node each.
    cited: Vec<&'c str>,
    cited_seen: HashSet<&'c str>,
}

impl<'c> Writer<'_, 'c> {
    fn header(&mut self, single: Option<&ArgumentMap>) {
        let o = &mut self.out;
        o.push_str("digraph argmap {\n");
        let _ = writeln!(
            o,
            "  graph [rankdir={}, charset=\"UTF-8\", fontname=\"{FONT}\", fontsize=12, \
             nodesep=0.3, ranksep=0.45, newrank=true, labelloc=t, labeljust=l]",
            self.options.rank_dir.as_str()
        );
        let _ = writeln!(
            o,
            "  node [shape=box, style=\"rounded,filled\", fillcolor=white, color=\"#4D4D4D\", \
             fontname=\"{FONT}\", fontsize=10, margin=\"0.12,0.06\"]"
        );
        let _ = writeln!(
            o,
            "  edge [color=\"{SUPPORT_COLOR}\", penwidth=1.4, arrowsize=0.8, fontname=\"{FONT}\", \
             fontsize=8, fontcolor=\"{MUTED_TEXT}\"]"
        );
        if let Some(map) = single {
            self.out.push_str("  label=");
            self.map_label(map, 16);
            self.out.push('\n');
        }
    }

    /// `<title<BR/>source>`, the title bold.
    fn map_label(&mut self, map: &ArgumentMap, size: u8) {
        let o = &mut self.out;
        let _ = write!(o, "<<FONT POINT-SIZE=\"{size}\"><B>");
        push_html(o, map.title());
        o.push_str("</B></FONT>");
        if let Some(source) = &map.source {
            let key = source.value.as_str();
            o.push_str("<BR ALIGN=\"LEFT\"/><FONT POINT-SIZE=\"10\" COLOR=\"");
            o.push_str(MUTED_TEXT);
            o.push_str("\">");
            match self.references.get(key) {
                Some(r) => push_html(o, &r.author_date()),
                None => push_html(o, key),
            }
            o.push_str("</FONT>");
        }
        o.push_str("<BR ALIGN=\"LEFT\"/>>");
    }

    /// One map: its claims grouped by section, in a cluster of its own when several maps
    /// are drawn.
    fn map(&mut self, map: &'c ArgumentMap, own_cluster: bool) {
        let indent = if own_cluster {
            self.out.push_str("  subgraph \"cluster:");
            push_id_part(&mut self.out, &map.name);
            self.out.push_str("\" {\n    graph [style=rounded, color=\"#7F7F7F\", penwidth=1.5, margin=12, labelloc=");
            self.out.push_str(self.options.rank_dir.cluster_label_top());
            self.out.push_str(", label=");
            self.map_label(map, 14);
            self.out.push_str("]\n");
            "    "
        } else {
            "  "
        };
        // Sections in order of first appearance; claims without one go straight in.
        let mut section_of: HashMap<&str, usize> = HashMap::new();
        let mut sections: Vec<(&str, Vec<&'c Claim>)> = Vec::new();
        let mut unsectioned = Vec::new();
        for claim in &map.claims {
            match &claim.section {
                Some(s) => {
                    let i = *section_of.entry(s.value.as_str()).or_insert_with(|| {
                        sections.push((s.value.as_str(), Vec::new()));
                        sections.len() - 1
                    });
                    sections[i].1.push(claim);
                }
                None => unsectioned.push(claim),
            }
        }
        for (i, (title, claims)) in sections.iter().enumerate() {
            let _ = write!(self.out, "{indent}subgraph \"cluster:");
            push_id_part(&mut self.out, &map.name);
            let _ = write!(
                self.out,
                "/{i}\" {{\n{indent}  graph [style=\"rounded,filled\", fillcolor=\"#F5F5F5\", color=\"#D9D9D9\", \
                 fontsize=11, fontcolor=\"{MUTED_TEXT}\", margin=10, labelloc={}, label=<",
                self.options.rank_dir.cluster_label_top()
            );
            push_html(&mut self.out, title);
            self.out.push_str(">]\n");
            for claim in claims {
                self.claim(map, claim, indent.len() + 2);
            }
            let _ = writeln!(self.out, "{indent}}}");
        }
        for claim in unsectioned {
            self.claim(map, claim, indent.len());
        }
        if own_cluster {
            self.out.push_str("  }\n");
        }
    }

    fn claim(&mut self, map: &'c ArgumentMap, claim: &'c Claim, indent: usize) {
        let conclusion = claim.links.is_empty();
        let citation_line = match self.options.citations {
            CitationStyle::Inline => self.citation_line(map, claim),
            CitationStyle::Nodes => {
                for c in cited_works(map, claim) {
                    self.cite(c.key());
                }
                String::new()
            }
            CitationStyle::None => String::new(),
        };
        let o = &mut self.out;
        o.extend(std::iter::repeat_n(' ', indent));
        push_claim_id(o, &map.name, &claim.id.value);
        o.push_str(
            " [label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">",
        );
        o.push_str("<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">");
        if conclusion {
            o.push_str("<B>");
        }
        let lines = wrap(claim.text(), self.options.wrap);
        if lines.is_empty() {
            // Only a claim without text (a schema error) gets here: show its id.
            o.push_str("<I>");
            push_html(o, &claim.id.value);
            o.push_str("</I>");
        }
        push_lines(o, &lines);
        if conclusion {
            o.push_str("</B>");
        }
        o.push_str("</TD></TR>");
        if !citation_line.is_empty() {
            let _ = write!(
                o,
                "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\" COLOR=\"{MUTED_TEXT}\">"
            );
            // The smaller font fits more characters per line.
            push_lines(o, &wrap(&citation_line, self.options.wrap * 5 / 4));
            o.push_str("</FONT></TD></TR>");
        }
        o.push_str("</TABLE>>, tooltip=\"");
        push_tooltip(o, claim.text());
        if let Some(quote) = &claim.quote {
            o.push_str("\\n\\n“");
            push_tooltip(o, quote.value.trim());
            o.push('”');
        }
        o.push_str("\\n\\n(");
        push_tooltip(o, &map.name);
        o.push(':');
        push_tooltip(o, &claim.id.value);
        o.push_str(")\"");
        if let Some(url) = claim_url(claim, &self.references) {
            o.push_str(", URL=\"");
            push_url(o, &url);
            o.push('"');
        }
        if conclusion {
            let _ = write!(
                o,
                ", fillcolor=\"{CONCLUSION_FILL}\", color=\"{CONCLUSION_BORDER}\", penwidth=2.2"
            );
        }
        o.push_str("]\n");
    }

    /// "Song 2014, p. 87; Yun and Park 2012".
    fn citation_line(&self, map: &ArgumentMap, claim: &Claim) -> String {
        let mut line = String::new();
        for c in cited_works(map, claim) {
            if !line.is_empty() {
                line.push_str("; ");
            }
            match self.references.get(c.key()) {
                Some(r) => line.push_str(&r.author_date()),
                None => {
                    line.push('@');
                    line.push_str(c.key());
                }
            }
            if let Some(locator) = locator_text(c) {
                line.push_str(", ");
                line.push_str(&locator);
            }
        }
        line
    }

    fn cite(&mut self, key: &'c str) {
        if self.cited_seen.insert(key) {
            self.cited.push(key);
        }
    }

    /// Claims of a map that is not drawn, shown for their links to drawn claims: grey,
    /// dashed, in a dashed cluster named after their map.
    fn external_map(&mut self, map: &ArgumentMap, claims: &[usize]) {
        let o = &mut self.out;
        o.push_str("  subgraph \"cluster:");
        push_id_part(o, &map.name);
        let _ = write!(
            o,
            "\" {{\n    graph [style=\"rounded,dashed\", color=\"#999999\", fontcolor=\"{MUTED_TEXT}\", fontsize=10, labelloc={}, label=<<I>",
            self.options.rank_dir.cluster_label_top()
        );
        push_html(o, map.title());
        o.push_str("</I>>]\n");
        for &ci in claims {
            let claim = &map.claims[ci];
            o.push_str("    ");
            push_claim_id(o, &map.name, &claim.id.value);
            let _ = write!(
                o,
                " [style=\"rounded,filled,dashed\", fillcolor=\"#F2F2F2\", color=\"#8C8C8C\", fontcolor=\"#333333\", label=<"
            );
            push_lines(o, &wrap(claim.text(), self.options.wrap));
            o.push_str(">, tooltip=\"");
            push_tooltip(o, claim.text());
            o.push_str("\\n\\n(");
            push_tooltip(o, &map.name);
            o.push(':');
            push_tooltip(o, &claim.id.value);
            o.push_str(")\"]\n");
        }
        o.push_str("  }\n");
    }

    /// One note-shaped node per cited work: author and year, and the title.
    fn reference_nodes(&mut self) {
        let cited = std::mem::take(&mut self.cited);
        for key in cited {
            let o = &mut self.out;
            o.push_str("  ");
            push_reference_id(o, key);
            let _ = write!(
                o,
                " [shape=note, style=filled, fillcolor=\"{REFERENCE_FILL}\", color=\"{REFERENCE_BORDER}\", fontsize=9, label=<"
            );
            match self.references.get(key) {
                Some(r) => {
                    o.push_str("<B>");
                    push_html(o, &r.author_date());
                    o.push_str("</B><BR ALIGN=\"LEFT\"/>");
                    let title = wrap(&r.title.value, self.options.wrap);
                    // Three lines of title identify the work; the tooltip has all of it.
                    let shown = title.len().min(3);
                    push_lines(o, &title[..shown]);
                    if shown < title.len() {
                        o.push('…');
                    }
                    o.push_str(">, tooltip=\"");
                    push_tooltip(o, &r.title.value);
                    if let Some(container) = &r.container_title {
                        o.push_str("\\n");
                        push_tooltip(o, &container.value);
                    }
                    o.push('"');
                    if let Some(url) = reference_url(r) {
                        o.push_str(", URL=\"");
                        push_url(o, &url);
                        o.push('"');
                    }
                }
                None => {
                    o.push('@');
                    push_html(o, key);
                    o.push_str("<BR/><I>not in references/</I>>, style=\"filled,dashed\"");
                }
            }
            o.push_str("]\n");
        }
    }

    /// A small argument explaining the styles: a reason supports a conclusion, an
    /// objection attacks it; plus what else the diagram uses.
    fn legend(&mut self, has_external: bool) {
        let citations = self.options.citations;
        let label_top = self.options.rank_dir.cluster_label_top();
        let o = &mut self.out;
        let _ = writeln!(
            o,
            "  subgraph \"cluster:~legend\" {{\n    graph [label=<<B>Legend</B>>, labelloc={label_top}, style=rounded, \
             color=\"#BFBFBF\", fontsize=10, margin=8]\n    node [fontsize=9]\n    edge [fontsize=8]"
        );
        let _ = writeln!(
            o,
            "    \"~legend:conclusion\" [label=<<B>Conclusion</B><BR/><FONT POINT-SIZE=\"8\">supports nothing</FONT>>, \
             fillcolor=\"{CONCLUSION_FILL}\", color=\"{CONCLUSION_BORDER}\", penwidth=2.2, tooltip=\"Conclusion\"]"
        );
        o.push_str("    \"~legend:reason\" [label=<Reason");
        if citations == CitationStyle::Inline {
            let _ = write!(
                o,
                "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"{MUTED_TEXT}\">Author 2020, p. 1</FONT>"
            );
        }
        o.push_str(">, tooltip=\"Reason\"]\n");
        o.push_str("    \"~legend:objection\" [label=<Objection>, tooltip=\"Objection\"]\n");
        if has_external {
            o.push_str(
                "    \"~legend:external\" [style=\"rounded,filled,dashed\", fillcolor=\"#F2F2F2\", \
                 color=\"#8C8C8C\", label=<Claim of<BR/>another map>, tooltip=\"Claim of another map\"]\n",
            );
        }
        if citations == CitationStyle::Nodes {
            let _ = writeln!(
                o,
                "    \"~legend:reference\" [shape=note, style=filled, fillcolor=\"{REFERENCE_FILL}\", \
                 color=\"{REFERENCE_BORDER}\", label=<<B>Reference</B>>, tooltip=\"Reference\"]\n    \
                 \"~legend:reference\" -> \"~legend:reason\" [{CITES_STYLE}, label=<cites>]"
            );
        }
        o.push_str(
            "    \"~legend:reason\" -> \"~legend:conclusion\" [label=<supports>]\n    \
             \"~legend:objection\" -> \"~legend:conclusion\" [",
        );
        o.push_str(&ATTACK_STYLE[1..ATTACK_STYLE.len() - 1]);
        o.push_str(", label=<attacks>]\n  }\n");
    }
}

/// Lines joined by left-aligned breaks.
fn push_lines(out: &mut String, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<BR/>");
        }
        push_html(out, line);
    }
}

#[cfg(test)]
mod tests;
