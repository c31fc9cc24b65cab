//! `argmap eval`: which claims stand. Every claim of the corpus gets its grounded label
//! (Dung 1995: in, out or undecided) in the framework its links make, under a reading of
//! supports ([`Support`]: attacks only, supported attacks, or supported and secondary
//! attacks, after Cayrol & Lagasquie-Schiex 2005), and with the evidence that fails
//! counted against the claims resting on it alone ([`Defect`], `--distrust`).
//!
//! A thin front end on the analysis: the links come from its graph (each resolved once),
//! the verdicts on DOIs from its DOI table (the cache), quotes from its papers' texts.
//! [`grounded`] labels the framework in linear time; this module builds the framework,
//! explains each label that is not in, and writes the human and JSON outputs.

pub mod grounded;

use std::collections::BTreeSet;
use std::fmt::Write as _;

pub use grounded::{Attacker, Decision, Framework, Grounded, Label, Step, Support};

use crate::analysis::{Analysis, ClaimAt};
use crate::diagnostic::Diagnostic;
use crate::graph::{Graph, Node};
use crate::load::FileKind;
use crate::model::{ArgumentMap, Relation};
use crate::quote::Verdict;
use crate::resolve::Status;
use crate::rule::Rule;

/// A kind of evidence that fails, which `--distrust` counts against a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// The cited work was retracted (a notice Crossref records).
    Retracted,
    /// The cited work's DOI does not exist, or names another work.
    NotFound,
    /// The cited work's DOI has no verdict: not in the DOI cache, or no definitive answer.
    Unverified,
    /// The claim's quote is not in its paper's text (`sources/`).
    QuoteMissing,
}

impl Defect {
    /// Every defect, in the order documentation lists them.
    pub const ALL: [Defect; 4] = [
        Defect::Retracted,
        Defect::NotFound,
        Defect::Unverified,
        Defect::QuoteMissing,
    ];

    /// `retracted`, `not-found`, `unverified` or `quote-missing`.
    pub fn name(self) -> &'static str {
        match self {
            Defect::Retracted => "retracted",
            Defect::NotFound => "not-found",
            Defect::Unverified => "unverified",
            Defect::QuoteMissing => "quote-missing",
        }
    }

    /// Reads a name (exact spelling).
    pub fn parse(s: &str) -> Option<Defect> {
        Defect::ALL.into_iter().find(|d| d.name() == s)
    }
}

/// How to evaluate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The reading of supports.
    pub support: Support,
    /// The defects that attack a claim resting on them alone.
    pub distrust: BTreeSet<Defect>,
}

/// A failing citation of a claim whose evidence is all failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failing {
    /// The citation key.
    pub key: String,
    /// What is wrong with it (one of the distrusted defects).
    pub defect: Defect,
    /// For people: `retracted (retraction notice 10.1/x of 2020)`.
    pub detail: String,
}

/// The labels of every claim of an analysis, and what decides each.
#[derive(Debug)]
pub struct Evaluation<'a> {
    graph: Graph<'a>,
    grounded: Grounded,
    options: Options,
    /// By node, for claims attacked by their evidence: its failing citations.
    failing: Vec<Vec<Failing>>,
}

/// The findings that leave a map's links unreadable (a map file unread or read in part,
/// claims that cannot be told apart, links that lead nowhere): they stop an evaluation,
/// as they stop a drawing.
pub fn blocking(analysis: &Analysis) -> Vec<&Diagnostic> {
    let sources = &analysis.corpus().sources;
    analysis
        .diagnostics
        .iter()
        .filter(|d| {
            d.rule.blocks_drawing()
                && FileKind::of_path(&sources.get(d.primary.span.file).path) == Some(FileKind::Map)
        })
        .collect()
}

impl<'a> Evaluation<'a> {
    /// Labels every claim of `analysis`.
    pub fn new(analysis: &'a Analysis, options: &Options) -> Evaluation<'a> {
        let graph = analysis.graph();
        let mut framework = Framework {
            len: graph.len(),
            ..Framework::default()
        };
        for edge in graph.edges() {
            let Some(to) = edge.to else { continue };
            match edge.relation() {
                Relation::Attacks => framework.attacks.push((edge.from, to)),
                Relation::Supports => framework.supports.push((edge.from, to)),
            }
        }
        let mut failing = vec![Vec::new(); graph.len()];
        if !options.distrust.is_empty() {
            for node in 0..graph.len() as Node {
                if let Some(found) = failing_evidence(analysis, &graph, node, &options.distrust) {
                    framework.defective.push(node);
                    failing[node as usize] = found;
                }
            }
        }
        let grounded = Grounded::new(&framework, options.support);
        Evaluation {
            graph,
            grounded,
            options: options.clone(),
            failing,
        }
    }

    /// The graph the labels are of.
    pub fn graph(&self) -> Graph<'a> {
        self.graph
    }

    /// The reading of supports the labels are under.
    pub fn support(&self) -> Support {
        self.options.support
    }

    /// By node: every claim's label.
    pub fn labels(&self) -> &[Label] {
        &self.grounded.labels
    }

    /// A claim's label.
    pub fn label(&self, node: Node) -> Label {
        self.grounded.labels[node as usize]
    }

    /// What decides a claim that is not in (see [`Grounded::decision`]).
    pub fn decision(&self, node: Node) -> Option<Decision> {
        self.grounded.decision(node)
    }

    /// The failing citations of a claim attacked by its evidence (else none).
    pub fn failing(&self, node: Node) -> &[Failing] {
        &self.failing[node as usize]
    }

    /// `{"labels": {"map:id": "in", ...}}`, keys sorted, pretty-printed as serde_json does.
    pub fn to_json(&self) -> String {
        let mut labels: Vec<(String, Label)> = (0..self.graph.len() as Node)
            .map(|n| (self.name(n), self.label(n)))
            .collect();
        labels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let map: serde_json::Map<String, serde_json::Value> = labels
            .into_iter()
            .map(|(k, l)| (k, serde_json::Value::from(l.as_str())))
            .collect();
        let mut out = serde_json::to_string_pretty(&serde_json::json!({ "labels": map }))
            .expect("JSON of strings");
        out.push('\n');
        out
    }

    /// `map:id` of a node.
    fn name(&self, node: Node) -> String {
        let (map, claim) = self.graph.claim(node);
        format!("{}:{}", map.name, claim.id.value)
    }

    /// A node as a reader of map `here` names it: `id` in that map, else `map:id`.
    fn name_in(&self, node: Node, here: &ArgumentMap) -> String {
        let (map, claim) = self.graph.claim(node);
        if std::ptr::eq(map, here) {
            format!("`{}`", claim.id.value)
        } else {
            format!("`{}:{}`", map.name, claim.id.value)
        }
    }

    /// Why a claim is not in, as a sentence for people: the attacker, its label, and the
    /// links from it (`by `x` (in): `x` supports `y`, which attacks it`). Names and texts
    /// from the files are made safe for a terminal.
    pub fn explain(&self, node: Node) -> Option<String> {
        let decision = self.decision(node)?;
        let (here, _) = self.graph.claim(node);
        let mut out = String::new();
        let name = |n: Node| {
            if n == node {
                "it".to_owned()
            } else {
                self.name_in(n, here)
            }
        };
        match decision.attacker {
            Attacker::Argument(a) => {
                let _ = write!(
                    out,
                    "attacked by {} ({})",
                    self.name_in(a, here),
                    self.label(a).as_str()
                );
            }
            Attacker::Defect(y) => {
                let failing = self
                    .failing(y)
                    .iter()
                    .map(|f| format!("`@{}` {}", f.key, f.detail))
                    .collect::<Vec<_>>()
                    .join("; ");
                let whose = if y == node {
                    "its".to_owned()
                } else {
                    format!("{}'s", self.name_in(y, here))
                };
                let _ = write!(
                    out,
                    "attacked by its defect: {whose} only support is distrusted evidence ({failing})"
                );
            }
        }
        for (i, step) in decision.path.iter().enumerate() {
            let verb = match step.relation {
                Relation::Supports => "supports",
                Relation::Attacks => "attacks",
            };
            if i == 0 {
                let _ = write!(out, ": {} {verb} {}", name(step.from), name(step.to));
            } else {
                let _ = write!(out, ", which {verb} {}", name(step.to));
            }
        }
        Some(crate::sanitize::for_terminal(&out).into_owned())
    }

    /// The human report: each map's conclusions with their labels, and for each that is
    /// not in, what decides it; then the counts.
    pub fn human(&self) -> String {
        let corpus = self.graph.corpus();
        let mut out = String::new();
        let mut conclusions = [0usize; 3];
        for (mi, map) in corpus.maps.iter().enumerate() {
            let title = crate::sanitize::one_line(map.title(), 80);
            let _ = writeln!(
                out,
                "{} ({})",
                title,
                crate::sanitize::for_terminal(&map.name)
            );
            let mut any = false;
            for node in self.graph.nodes_of(mi) {
                let (_, claim) = self.graph.claim(node);
                if !self.graph.is_conclusion(node) {
                    continue;
                }
                any = true;
                let label = self.label(node);
                conclusions[label as usize] += 1;
                let _ = writeln!(
                    out,
                    "  {:<10} {}: {}",
                    label.as_str(),
                    crate::sanitize::for_terminal(&claim.id.value),
                    crate::sanitize::one_line(claim.text(), 72)
                );
                if let Some(why) = self.explain(node) {
                    let _ = writeln!(out, "  {:<10} {why}", "");
                }
            }
            if !any {
                out.push_str("  no conclusion\n");
            }
        }
        let mut all = [0usize; 3];
        for &label in self.labels() {
            all[label as usize] += 1;
        }
        let _ = write!(
            out,
            "grounded semantics, supports read as `{}`",
            self.options.support.as_str()
        );
        if !self.options.distrust.is_empty() {
            let names: Vec<&str> = self.options.distrust.iter().map(|d| d.name()).collect();
            let attacked = self.failing.iter().filter(|f| !f.is_empty()).count();
            let _ = write!(
                out,
                ", distrusting {} ({attacked} {} resting on it alone)",
                names.join(", "),
                if attacked == 1 { "claim" } else { "claims" }
            );
        }
        let _ = writeln!(
            out,
            ": {} conclusions ({} in, {} out, {} undecided); {} claims ({} in, {} out, {} undecided)",
            conclusions.iter().sum::<usize>(),
            conclusions[0],
            conclusions[1],
            conclusions[2],
            self.labels().len(),
            all[0],
            all[1],
            all[2]
        );
        out
    }
}

/// The failing citations of a claim whose only support is failing evidence: no claim
/// supports it, it cites something, and every citation is of a distrusted defect.
fn failing_evidence(
    analysis: &Analysis,
    graph: &Graph,
    node: Node,
    distrust: &BTreeSet<Defect>,
) -> Option<Vec<Failing>> {
    let (map, claim) = graph.claim(node);
    if claim.citations.is_empty()
        || graph
            .links_to(node)
            .any(|e| e.relation() == Relation::Supports)
    {
        return None;
    }
    let mut found = Vec::new();
    for citation in &claim.citations {
        let key = citation.key();
        let mut defect = None;
        if let Some(r) = graph.reference_index(key) {
            let reference = &graph.corpus().references[r];
            let verdict = analysis.doi_verdict(r);
            let retraction = verdict.and_then(|v| {
                v.updated_by
                    .iter()
                    .find(|n| n.rule() == Some(Rule::CitedWorkRetracted))
            });
            if let Some(notice) = retraction.filter(|_| distrust.contains(&Defect::Retracted)) {
                let date = notice
                    .date
                    .as_deref()
                    .map(|d| format!(" of {d}"))
                    .unwrap_or_default();
                defect = Some((
                    Defect::Retracted,
                    format!(
                        "is retracted ({} notice {}{date})",
                        notice.kind_words(),
                        notice.doi
                    ),
                ));
            } else if let Some(v) = verdict
                && matches!(v.status, Status::NotFound | Status::Mismatch(_))
                && distrust.contains(&Defect::NotFound)
            {
                let what = match v.status {
                    Status::NotFound => "does not exist",
                    _ => "names another work",
                };
                defect = Some((
                    Defect::NotFound,
                    format!("has a DOI that {what} ({})", v.doi),
                ));
            } else if let Some(doi) = reference.valid_doi()
                && distrust.contains(&Defect::Unverified)
                && verdict.is_none_or(|v| matches!(v.status, Status::Unverified(_)))
            {
                let why = match verdict.map(|v| &v.status) {
                    Some(Status::Unverified(why)) => why.clone(),
                    _ => "not in the DOI cache".to_owned(),
                };
                defect = Some((
                    Defect::Unverified,
                    format!("has an unverified DOI ({}: {why})", doi.doi),
                ));
            }
        }
        if defect.is_none()
            && distrust.contains(&Defect::QuoteMissing)
            && map.source.as_ref().is_some_and(|s| s.value == key)
            && quote_missing(analysis, graph, node)
        {
            defect = Some((
                Defect::QuoteMissing,
                "is the paper, whose text does not hold the claim's quote".to_owned(),
            ));
        }
        let (defect, detail) = defect?;
        found.push(Failing {
            key: key.to_owned(),
            defect,
            detail,
        });
    }
    Some(found)
}

/// Whether a claim's quote is missing from its paper's text (not when the paper has no
/// text in `sources/`).
fn quote_missing(analysis: &Analysis, graph: &Graph, node: Node) -> bool {
    let (mi, ci) = graph.split(node);
    let at = ClaimAt {
        map: mi as u32,
        claim: ci as u32,
    };
    analysis
        .quote_found(at)
        .is_some_and(|found| matches!(found.verdict, Verdict::Missing { .. }))
}
