//! The DOT writer: nodes inside their map and section clusters, then every edge at the
//! top level, so that no edge declares a node in the wrong cluster. Claims of other maps
//! are in no cluster: each box names its map, and sits where its links pull it.

use std::fmt::Write as _;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::escape::{push_html, push_id_part, push_tooltip, push_url};
use super::graph::Graph;
use super::text::{
    Works, citation_line, cited_works, claim_url, display_text, push_locator, reference_url, works,
};
use super::wrap::{Piece, wrap, wrap_pieces};
use super::{CitationStyle, Diagram, Options};
use crate::eval::Label;
use crate::model::{ArgumentMap, Claim, Relation};

/// The fill of a claim labelled (`--labels`): light tints of Okabe–Ito's bluish green,
/// vermillion and yellow; each box also names its label, for greyscale.
fn label_fill(label: Label) -> &'static str {
    match label {
        Label::In => "#CDEBDD",
        Label::Out => "#F6D3C2",
        Label::Undecided => "#FBF0B4",
    }
}

// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
const SUPPORT_COLOR: &str = "#0072B2";
/// Attacks differ from supports in dash and arrowhead too, so greyscale keeps them apart.
const ATTACK_STYLE: &str = "color=\"#D55E00\", style=dashed, arrowhead=tee";
/// The map-maker's links are dotted and thick, with a hollow head when they support: a
/// third line style, so greyscale and colour-blind readers tell them from the paper's.
const ANALYST_SUPPORT_STYLE: &str = "style=dotted, penwidth=2, arrowhead=empty";
const ANALYST_ATTACK_STYLE: &str = "color=\"#D55E00\", style=dotted, penwidth=2, arrowhead=tee";
const CITES_STYLE: &str = "color=\"#8C8C8C\", style=dotted, arrowhead=none";
const CONCLUSION_STYLE: &str = "fillcolor=\"#DCEAF7\", color=\"#0B3558\", penwidth=2.2";
const EXTERNAL_STYLE: &str =
    "style=\"rounded,filled,dashed\", fillcolor=\"#F2F2F2\", color=\"#8C8C8C\"";
const REFERENCE_STYLE: &str =
    "shape=note, style=filled, fillcolor=\"#FFF4D6\", color=\"#B07800\", fontsize=9";
/// Aims and framing stand apart from the argument: dashed, unfilled, in a cluster of their own.
const FRAMING_STYLE: &str = "style=\"rounded,dashed\", color=\"#8C8C8C\", fontcolor=\"#404040\"";
const MUTED_TEXT: &str = "#555555";
const FONT: &str = "Helvetica";
const TABLE: &str = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">";
const CELL: &str = "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">";

/// Writes `diagram` as a DOT digraph: header, clusters and nodes, legend, then edges.
pub(super) fn write(diagram: &Diagram, options: &Options) -> String {
    use rayon::prelude::*;
    let corpus = diagram.corpus;
    let graph = Graph::new(diagram, options);
    let works = works(corpus);
    let mut w = Writer::new(options, &works, estimated_size(diagram, &graph));
    let drawn: Vec<usize> = (0..corpus.maps.len())
        .filter(|&mi| diagram.drawn[mi])
        .collect();
    // The map the diagram is titled after: the one drawn, or the one of the claim in
    // focus. Several maps drawn whole are a cluster each; an argument that spans maps is
    // drawn as one, its claims from other maps naming theirs (clusters would pull them
    // apart from what they bear on).
    let titled = match &diagram.focus {
        Some(focus) => Some(focus.map),
        None => match drawn.as_slice() {
            &[only] => Some(only),
            _ => None,
        },
    };
    w.header(titled.map(|mi| corpus.maps[mi].as_ref()));
    // The maps' clusters are most of the text: each is written on its own, side by side,
    // then joined in order, as one writer would have written them.
    let parts: Vec<Writer> = drawn
        .par_iter()
        .map(|&mi| {
            // Sized for every claim of the map (a depth limit draws fewer), so that a
            // large cluster is not copied again and again as it grows.
            let size = corpus.maps[mi].claims.iter().map(claim_size).sum();
            let mut part = Writer::new(options, &works, size);
            let foreign = titled.is_some_and(|t| t != mi);
            part.map(&graph, mi, &corpus.maps[mi], titled.is_none(), foreign);
            part
        })
        .collect();
    for part in parts {
        w.out.push_str(&part.out);
        for key in part.cited {
            if w.cited_seen.insert(key) {
                w.cited.push(key);
            }
        }
        w.has_framing |= part.has_framing;
    }
    let mut has_external = false;
    for (mi, map) in corpus.maps.iter().enumerate() {
        if !diagram.drawn[mi] && graph.shows_any(mi) {
            w.external_map(&graph, mi, map);
            has_external = true;
        }
    }
    if options.citations == CitationStyle::Nodes {
        w.reference_nodes();
    }
    let has_analysts = graph.edges.iter().any(|e| {
        let (fm, fc) = graph.claims[e.from as usize];
        graph.visible[e.from as usize]
            && graph.visible[e.to as usize]
            && corpus.maps[fm].claims[fc].links[e.link as usize].is_analysts()
    });
    w.declared_conclusions = (corpus.maps.iter().enumerate())
        .any(|(mi, m)| diagram.drawn[mi] && m.facts().declared_conclusions > 0);
    w.legend(has_external, has_analysts);
    w.conclusions_on_top(diagram, &graph);
    w.links(diagram, &graph);
    if options.citations == CitationStyle::Nodes {
        w.citation_edges(diagram, &graph);
    }
    w.out.push_str("}\n");
    w.out
}

/// An upper estimate of the DOT's length, so that it is written into one allocation:
/// regrowing a string of tens of megabytes costs as much as writing it.
fn estimated_size(diagram: &Diagram, graph: &Graph) -> usize {
    let maps = &diagram.corpus.maps;
    let claims: usize = graph
        .claims
        .iter()
        .map(|&(mi, ci)| claim_size(&maps[mi].claims[ci]))
        .sum();
    claims + 120 * graph.edges.len() + 8192
}

/// About how many bytes a claim's node takes: its text twice (the label and the tooltip),
/// its quote, and a few hundred bytes of markup, ids and styles.
fn claim_size(claim: &Claim) -> usize {
    2 * claim.text().len() + claim.quote.as_ref().map_or(0, |q| q.value.len()) + 500
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

/// Writes `text` wrapped and escaped, its lines joined by breaks (left-aligned by the
/// enclosing cell's `BALIGN`); whether there was any text.
fn push_wrapped(out: &mut String, text: &str, width: usize) -> bool {
    // A box of a huge text would outgrow what Graphviz lays out (65,535 points): the
    // label ends after `LABEL_CHARS` characters (the site's panel has the whole).
    let (text, cut) = super::escape::cut(text, LABEL_CHARS);
    let mut any = false;
    wrap_pieces(text, width, |piece| {
        any = true;
        let word = match piece {
            Piece::First(word) => word,
            Piece::Spaced(word) => {
                out.push(' ');
                word
            }
            Piece::Broken(word) => {
                out.push_str("<BR/>");
                word
            }
        };
        push_html(out, word);
    });
    if cut {
        out.push('…');
    }
    any
}

/// The most characters of a label's text.
const LABEL_CHARS: usize = 800;

/// A map's title in small italic type, and its source ("Guliev et al. 2020"), wrapped
/// at `width`: the line that tells a claim of another map from the map's own.
fn push_map_name(out: &mut String, map: &ArgumentMap, works: &Works, width: usize) {
    let _ = write!(out, "<FONT POINT-SIZE=\"8\" COLOR=\"{MUTED_TEXT}\"><I>");
    let mut name = map.title().to_owned();
    if let Some(source) = &map.source {
        name.push_str(", ");
        name.push_str(
            works
                .get(source.value.as_str())
                .map_or(&source.value, |w| &w.label),
        );
    }
    push_wrapped(out, &name, width);
    out.push_str("</I></FONT>");
}

/// Lines joined by breaks (left-aligned by the enclosing cell's `BALIGN`).
fn push_lines(out: &mut String, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<BR/>");
        }
        push_html(out, line);
    }
}

/// The DOT text being written, and the works cited so far (`--citations nodes`).
struct Writer<'a, 'c> {
    out: String,
    options: &'a Options,
    works: &'a Works<'c>,
    /// Reused buffers for a claim's text without citation markup, and its citation line.
    scratch: String,
    line: String,
    /// Cited keys in order of first citation, for one node each.
    cited: Vec<&'c str>,
    cited_seen: HashSet<&'c str>,
    /// Whether an aim or framing claim was drawn (the legend then explains them).
    has_framing: bool,
    /// Whether a map drawn declares its conclusions (the legend then says "of the paper").
    declared_conclusions: bool,
}

impl<'a, 'c> Writer<'a, 'c> {
    fn new(options: &'a Options, works: &'a Works<'c>, capacity: usize) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            options,
            works,
            scratch: String::new(),
            line: String::new(),
            cited: Vec::new(),
            cited_seen: HashSet::default(),
            has_framing: false,
            declared_conclusions: false,
        }
    }

    fn header(&mut self, single: Option<&ArgumentMap>) {
        let o = &mut self.out;
        o.push_str("digraph argmap {\n");
        let _ = writeln!(
            o,
            "  graph [rankdir={}, charset=\"UTF-8\", fontname=\"{FONT}\", fontsize=12, \
             nodesep=0.25, ranksep=0.4, newrank=true, labelloc=t, labeljust=l]",
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

    /// The map's title, bold, over its source ("Guliev et al. 2020").
    fn map_label(&mut self, map: &ArgumentMap, size: u8) {
        let o = &mut self.out;
        let _ = write!(o, "<<FONT POINT-SIZE=\"{size}\"><B>");
        push_html(o, map.title());
        o.push_str("</B></FONT>");
        if let Some(source) = &map.source {
            let _ = write!(
                o,
                "<BR ALIGN=\"LEFT\"/><FONT POINT-SIZE=\"10\" COLOR=\"{MUTED_TEXT}\">"
            );
            match self.works.get(source.value.as_str()) {
                Some(work) => push_html(o, &work.label),
                None => push_html(o, &source.value),
            }
            o.push_str("</FONT>");
        }
        o.push_str("<BR ALIGN=\"LEFT\"/>>");
    }

    /// `subgraph "cluster:..." {` and its attributes up to the label's value: the cluster
    /// of a map, of a map's section `sub`, or (no map) the legend.
    fn open_cluster(&mut self, indent: &str, map: Option<&str>, sub: Option<usize>, style: &str) {
        let o = &mut self.out;
        let _ = write!(o, "{indent}subgraph \"cluster:");
        match map {
            Some(name) => push_id_part(o, name),
            // `~` is encoded in map names: no map's cluster can be the legend's.
            None => o.push_str("~legend"),
        }
        if let Some(i) = sub {
            let _ = write!(o, "/{i}");
        }
        let _ = write!(
            o,
            "\" {{\n{indent}  graph [{style}, labelloc={}, labeljust={}, label=",
            self.options.rank_dir.cluster_label_top(),
            self.options.rank_dir.cluster_label_left()
        );
    }

    /// One drawn map: its claims grouped by section, in a cluster of its own when
    /// several maps are drawn; each box names the map when it is `foreign` to the map the
    /// diagram is titled after.
    fn map(
        &mut self,
        graph: &Graph,
        mi: usize,
        map: &'c ArgumentMap,
        own_cluster: bool,
        foreign: bool,
    ) {
        let indent = if own_cluster {
            self.open_cluster(
                "  ",
                Some(&map.name),
                None,
                "style=rounded, color=\"#7F7F7F\", penwidth=1.5, margin=12",
            );
            self.map_label(map, 14);
            self.out.push_str("]\n");
            "    "
        } else {
            "  "
        };
        // Sections in order of first appearance; claims without one go straight in.
        let mut section_of: HashMap<&str, usize> = HashMap::default();
        let mut sections: Vec<(&str, Vec<(usize, u32)>)> = Vec::new();
        let mut unsectioned = Vec::new();
        let mut apart = Vec::new();
        for (ci, claim) in map.claims.iter().enumerate() {
            let Some(node) = graph.node(mi, ci) else {
                continue;
            };
            if !claim.is_argument() {
                apart.push((ci, node));
                continue;
            }
            match claim.section.as_ref().filter(|_| self.options.sections) {
                Some(s) => {
                    let i = *section_of.entry(s.value.as_str()).or_insert_with(|| {
                        sections.push((s.value.as_str(), Vec::new()));
                        sections.len() - 1
                    });
                    sections[i].1.push((ci, node));
                }
                None => unsectioned.push((ci, node)),
            }
        }
        for (i, (title, claims)) in sections.iter().enumerate() {
            self.open_cluster(
                indent,
                Some(&map.name),
                Some(i),
                &format!(
                    "style=\"rounded,filled\", fillcolor=\"#F5F5F5\", color=\"#D9D9D9\", \
                     fontsize=11, fontcolor=\"{MUTED_TEXT}\", margin=10"
                ),
            );
            self.out.push('<');
            push_html(&mut self.out, title);
            self.out.push_str(">]\n");
            for &(ci, node) in claims {
                let hidden = graph.hidden_below[node as usize];
                self.claim((mi, ci), map, hidden, foreign, indent.len() + 2);
            }
            let _ = writeln!(self.out, "{indent}}}");
        }
        for (ci, node) in unsectioned {
            let hidden = graph.hidden_below[node as usize];
            self.claim((mi, ci), map, hidden, foreign, indent.len());
        }
        if !apart.is_empty() {
            // Numbered past the sections, so the cluster's name is its own.
            self.open_cluster(
                indent,
                Some(&map.name),
                Some(sections.len()),
                &format!(
                    "style=\"rounded,dashed\", color=\"#BFBFBF\", fontsize=11, \
                     fontcolor=\"{MUTED_TEXT}\", margin=10"
                ),
            );
            self.out.push_str("<<I>Aims and framing</I>>]\n");
            for &(ci, _) in &apart {
                self.claim((mi, ci), map, 0, foreign, indent.len() + 2);
            }
            let _ = writeln!(self.out, "{indent}}}");
            self.has_framing = true;
        }
        if own_cluster {
            self.out.push_str("  }\n");
        }
    }

    /// A claim's box: its text (bold for a conclusion), its citation line, its map when
    /// `foreign`, how many claims linked to it the drawing left out; a tooltip with the
    /// full text and the quote, and a link to the first cited DOI.
    fn claim(
        &mut self,
        (mi, ci): (usize, usize),
        map: &'c ArgumentMap,
        hidden_below: u32,
        foreign: bool,
        indent: usize,
    ) {
        let claim = &map.claims[ci];
        let conclusion = map.is_conclusion(claim);
        self.line.clear();
        match self.options.citations {
            CitationStyle::Inline => citation_line(map, claim, self.works, &mut self.line),
            CitationStyle::Nodes => {
                for c in cited_works(map, claim) {
                    if self.cited_seen.insert(c.key()) {
                        self.cited.push(c.key());
                    }
                }
            }
            CitationStyle::None => {}
        }
        let text = display_text(claim, self.works, &mut self.scratch);
        let o = &mut self.out;
        o.extend(std::iter::repeat_n(' ', indent));
        push_claim_id(o, &map.name, &claim.id.value);
        o.push_str(" [label=<");
        o.push_str(TABLE);
        o.push_str(CELL);
        if conclusion {
            o.push_str("<B>");
        }
        if !push_wrapped(o, text, self.options.wrap) {
            // Only a claim without text (a schema error) gets here: show its id.
            o.push_str("<I>");
            push_html(o, &claim.id.value);
            o.push_str("</I>");
        }
        if conclusion {
            o.push_str("</B>");
        }
        o.push_str("</TD></TR>");
        if !self.line.is_empty() {
            o.push_str(CELL);
            let _ = write!(o, "<FONT POINT-SIZE=\"8\" COLOR=\"{MUTED_TEXT}\">");
            // The smaller type fits a quarter more characters on a line.
            push_wrapped(o, &self.line, self.options.wrap * 5 / 4);
            o.push_str("</FONT></TD></TR>");
        }
        if foreign {
            o.push_str(CELL);
            push_map_name(o, map, self.works, self.options.wrap * 5 / 4);
            o.push_str("</TD></TR>");
        }
        if hidden_below > 0 {
            o.push_str(CELL);
            let _ = write!(
                o,
                "<FONT POINT-SIZE=\"8\" COLOR=\"{MUTED_TEXT}\"><I>+{hidden_below} linked claims \
                 not shown</I></FONT></TD></TR>"
            );
        }
        let label = self.options.labels.as_ref().map(|l| l.of(mi, ci));
        if let Some(label) = label {
            let _ = write!(
                o,
                "{CELL}<FONT POINT-SIZE=\"8\"><I>{}</I></FONT></TD></TR>",
                label.as_str()
            );
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
        match self.options.claim_links {
            super::ClaimLinks::CitedWork => {
                if let Some(url) = claim_url(claim, self.works) {
                    o.push_str(", URL=\"");
                    push_url(o, url);
                    o.push('"');
                }
            }
            super::ClaimLinks::MapPages => {
                o.push_str(", URL=\"");
                push_url(o, &super::site_claim_url(&map.name, &claim.id.value));
                o.push('"');
            }
        }
        if conclusion {
            o.push_str(", ");
            o.push_str(CONCLUSION_STYLE);
        } else if !claim.is_argument() {
            o.push_str(", ");
            o.push_str(FRAMING_STYLE);
        }
        if let Some(label) = label {
            let style = match claim.is_argument() {
                true => "rounded,filled",
                false => "rounded,filled,dashed",
            };
            let _ = write!(
                o,
                ", style=\"{style}\", fillcolor=\"{}\"",
                label_fill(label)
            );
        }
        o.push_str("]\n");
    }

    /// Claims of a map that is not drawn, shown for their links to drawn claims: grey,
    /// dashed, each naming its map. They are in no cluster: one would gather claims linked
    /// from all over the drawing in one place, and its edges would cross everything (on
    /// the bundled maps, three quarters of the crossings of a map drawn alone).
    fn external_map(&mut self, graph: &Graph, mi: usize, map: &ArgumentMap) {
        let labels = self.options.labels.as_ref();
        for (ci, claim) in map.claims.iter().enumerate() {
            if graph.node(mi, ci).is_none() {
                continue;
            }
            let text = display_text(claim, self.works, &mut self.scratch);
            let o = &mut self.out;
            o.push_str("  ");
            push_claim_id(o, &map.name, &claim.id.value);
            let _ = write!(o, " [{EXTERNAL_STYLE}, fontcolor=\"#333333\", label=<");
            push_wrapped(o, text, self.options.wrap);
            o.push_str("<BR/>");
            push_map_name(o, map, self.works, self.options.wrap * 5 / 4);
            if let Some(label) = labels.map(|l| l.of(mi, ci)) {
                let _ = write!(
                    o,
                    "<BR/><FONT POINT-SIZE=\"8\"><I>{}</I></FONT>",
                    label.as_str()
                );
            }
            o.push_str(">, tooltip=\"");
            push_tooltip(o, claim.text());
            o.push_str("\\n\\n(");
            push_tooltip(o, &map.name);
            o.push(':');
            push_tooltip(o, &claim.id.value);
            o.push_str(")\"");
            if self.options.claim_links == super::ClaimLinks::MapPages {
                o.push_str(", URL=\"");
                push_url(o, &super::site_claim_url(&map.name, &claim.id.value));
                o.push('"');
            }
            if let Some(label) = labels.map(|l| l.of(mi, ci)) {
                let _ = write!(o, ", fillcolor=\"{}\"", label_fill(label));
            }
            o.push_str("]\n");
        }
    }

    /// One note-shaped node per cited work: author and year, and the title.
    fn reference_nodes(&mut self) {
        for key in std::mem::take(&mut self.cited) {
            let o = &mut self.out;
            o.push_str("  ");
            push_reference_id(o, key);
            let _ = write!(o, " [{REFERENCE_STYLE}, label=<");
            match self.works.get(key) {
                Some(work) => {
                    let r = work.reference;
                    o.push_str("<B>");
                    push_html(o, &work.label);
                    o.push_str("</B><BR ALIGN=\"LEFT\"/>");
                    let title = wrap(&r.title.value, self.options.wrap);
                    // Three lines of title identify the work; the tooltip has all of it.
                    let shown = title.len().min(3);
                    push_lines(o, &title[..shown]);
                    if shown < title.len() {
                        o.push('…');
                    }
                    o.push_str("<BR ALIGN=\"LEFT\"/>>, tooltip=\"");
                    push_tooltip(o, &r.title.value);
                    if let Some(container) = &r.container_title {
                        o.push_str("\\n");
                        push_tooltip(o, &container.value);
                    }
                    o.push('"');
                    if let Some(url) = reference_url(work) {
                        o.push_str(", URL=\"");
                        push_url(o, url);
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
    fn legend(&mut self, has_external: bool, has_analysts: bool) {
        let citations = self.options.citations;
        self.open_cluster(
            "  ",
            None,
            None,
            "style=rounded, color=\"#BFBFBF\", fontsize=10, margin=8",
        );
        let o = &mut self.out;
        o.push_str("<<B>Legend</B>>]\n    node [fontsize=9]\n");
        // Declared conclusions may support others; found ones support nothing.
        let what = match self.declared_conclusions {
            true => "of the paper",
            false => "supports nothing",
        };
        let _ = writeln!(
            o,
            "    \"~legend:conclusion\" [label=<<B>Conclusion</B><BR/><FONT POINT-SIZE=\"8\">\
             {what}</FONT>>, {CONCLUSION_STYLE}, tooltip=\"Conclusion\"]"
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
        if self.has_framing {
            let _ = writeln!(
                o,
                "    \"~legend:framing\" [{FRAMING_STYLE}, label=<<I>Aim or framing</I><BR/>\
                 <FONT POINT-SIZE=\"8\">not part of the argument</FONT>>, \
                 tooltip=\"Aim or framing\"]"
            );
        }
        if has_external {
            let _ = writeln!(
                o,
                "    \"~legend:external\" [{EXTERNAL_STYLE}, label=<Claim of<BR/>another map>, \
                 tooltip=\"Claim of another map\"]"
            );
        }
        if citations == CitationStyle::Nodes {
            let _ = writeln!(
                o,
                "    \"~legend:reference\" [{REFERENCE_STYLE}, label=<<B>Reference</B>>, \
                 tooltip=\"Reference\"]\n    \
                 \"~legend:reference\" -> \"~legend:reason\" [{CITES_STYLE}, label=<cites>]"
            );
        }
        if has_analysts {
            let _ = writeln!(
                o,
                "    \"~legend:analyst\" [label=<Claim the map-maker<BR/>links>, \
                 tooltip=\"Claim the map-maker links\"]\n    \
                 \"~legend:analyst\" -> \"~legend:conclusion\" [{ANALYST_SUPPORT_STYLE}, \
                 label=<map-maker's link,<BR/>not the paper's>]"
            );
        }
        if let Some(labels) = &self.options.labels {
            for label in [Label::In, Label::Out, Label::Undecided] {
                let _ = writeln!(
                    o,
                    "    \"~legend:{0}\" [style=\"rounded,filled\", fillcolor=\"{1}\", \
                     label=<<I>{0}</I><BR/><FONT POINT-SIZE=\"8\">{2}</FONT>>, tooltip=\"{0}\"]",
                    label.as_str(),
                    label_fill(label),
                    match label {
                        Label::In => "every attacker out",
                        Label::Out => "an attacker in",
                        Label::Undecided => "neither",
                    }
                );
            }
            let _ = writeln!(
                o,
                "    \"~legend:labels\" [shape=plaintext, style=\"\", label=<grounded labels,<BR/>\
                 supports read as {}>]",
                labels.reading
            );
        }
        let _ = writeln!(
            o,
            "    \"~legend:reason\" -> \"~legend:conclusion\" [label=<supports>]\n    \
             \"~legend:objection\" -> \"~legend:conclusion\" [{ATTACK_STYLE}, label=<attacks>]\n  }}"
        );
    }

    /// Puts every drawn conclusion on the last rank (the top, bottom-to-top), however
    /// short its chain of reasons: a reader looks for the theses in one place.
    /// `newrank` lets the constraint cross clusters.
    fn conclusions_on_top(&mut self, diagram: &Diagram, graph: &Graph) {
        let maps = &diagram.corpus.maps;
        let mut any = false;
        for &(mi, ci) in &graph.claims {
            let claim = &maps[mi].claims[ci];
            let conclusion = maps[mi].is_conclusion(claim);
            if !diagram.drawn[mi] || !conclusion || graph.node(mi, ci).is_none() {
                continue;
            }
            if !any {
                self.out.push_str("  { rank=max;");
                any = true;
            }
            self.out.push(' ');
            push_claim_id(&mut self.out, &maps[mi].name, &claim.id.value);
        }
        if any {
            self.out.push_str(" }\n");
        }
    }

    /// Every support and attack between claims in the drawing.
    fn links(&mut self, diagram: &Diagram, graph: &Graph) {
        let maps = &diagram.corpus.maps;
        for e in &graph.edges {
            if !graph.visible[e.from as usize] || !graph.visible[e.to as usize] {
                continue;
            }
            let (fm, fc) = graph.claims[e.from as usize];
            let (tm, tc) = graph.claims[e.to as usize];
            let link = &maps[fm].claims[fc].links[e.link as usize];
            let o = &mut self.out;
            o.push_str("  ");
            push_claim_id(o, &maps[fm].name, &maps[fm].claims[fc].id.value);
            o.push_str(" -> ");
            push_claim_id(o, &maps[tm].name, &maps[tm].claims[tc].id.value);
            // Written straight into the DOT (an edge is written per link of the corpus).
            let style = match (e.relation, link.is_analysts()) {
                (Relation::Supports, false) => None,
                (Relation::Attacks, false) => Some(ATTACK_STYLE),
                (Relation::Supports, true) => Some(ANALYST_SUPPORT_STYLE),
                (Relation::Attacks, true) => Some(ANALYST_ATTACK_STYLE),
            };
            let mut open = false;
            let mut attribute = |o: &mut String| {
                o.push_str(if open { ", " } else { " [" });
                open = true;
            };
            if let Some(style) = style {
                attribute(o);
                o.push_str(style);
            }
            if link.is_analysts() {
                attribute(o);
                o.push_str("tooltip=\"");
                push_tooltip(
                    o,
                    match e.relation {
                        Relation::Supports => "The map-maker's link, not the paper's: supports",
                        Relation::Attacks => "The map-maker's link, not the paper's: attacks",
                    },
                );
                if let Some(note) = &link.note {
                    o.push_str(". ");
                    push_tooltip(o, note.value.trim());
                }
                o.push('"');
            }
            if e.minlen != 1 {
                attribute(o);
                let _ = write!(o, "minlen={}", e.minlen);
            }
            if open {
                o.push(']');
            }
            o.push('\n');
        }
    }

    /// From each cited work's node to the drawn claims citing it, labelled with the
    /// locator when there is one.
    fn citation_edges(&mut self, diagram: &Diagram, graph: &Graph) {
        for (mi, map) in diagram.corpus.maps.iter().enumerate() {
            if !diagram.drawn[mi] {
                continue;
            }
            for (ci, claim) in map.claims.iter().enumerate() {
                if graph.node(mi, ci).is_none() {
                    continue;
                }
                for citation in cited_works(map, claim) {
                    let o = &mut self.out;
                    o.push_str("  ");
                    push_reference_id(o, citation.key());
                    o.push_str(" -> ");
                    push_claim_id(o, &map.name, &claim.id.value);
                    let _ = write!(o, " [{CITES_STYLE}");
                    if citation.item.locator.is_some() {
                        self.line.clear();
                        push_locator(&mut self.line, citation);
                        o.push_str(", label=<");
                        push_html(o, &self.line);
                        o.push('>');
                    }
                    o.push_str("]\n");
                }
            }
        }
    }
}
