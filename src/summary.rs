//! The closing counts of a run: maps, claims, references, findings by severity, DOIs and
//! quotes. Made once by the analysis; every report prints the same numbers.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, plural};
use crate::model::Corpus;
use crate::resolve::DoiCounts;

/// The claims' quotes: how many were checked against their paper's text, and how many
/// could not be (their map's paper has no text in `sources/`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuoteCounts {
    /// Quotes looked for in their paper's text.
    pub checked: usize,
    /// Quotes of maps whose paper has no text.
    pub unchecked: usize,
    /// The `source` ids of those maps, each once, in map order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub without_text: Vec<String>,
}

impl QuoteCounts {
    /// The quotes of a model, when any claim has one.
    pub fn of(corpus: &Corpus) -> Option<QuoteCounts> {
        let mut counts = QuoteCounts::default();
        for map in &corpus.maps {
            let quotes = map.facts().quotes;
            let source = map.source.as_ref().map(|s| s.value.as_str());
            match source.filter(|s| corpus.papers.contains_key(*s)) {
                Some(_) => counts.checked += quotes,
                None if quotes > 0 => {
                    counts.unchecked += quotes;
                    let id = source.unwrap_or("?").to_owned();
                    if !counts.without_text.contains(&id) {
                        counts.without_text.push(id);
                    }
                }
                None => {}
            }
        }
        (counts.checked + counts.unchecked > 0).then_some(counts)
    }
}

/// The links of the maps read, by whose they are, and the conclusions declared: how much
/// of a map is the papers' argument and how much the map-maker's reading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LinkCounts {
    /// Links the papers draw (entries written as ids, or `by: paper`).
    pub paper: usize,
    /// Links the map-maker draws (`by: analyst`).
    pub analyst: usize,
    /// Claims declared `conclusion: true`.
    pub declared_conclusions: usize,
}

impl LinkCounts {
    /// The counts of a model, from each map's facts (read once a map).
    pub fn of(corpus: &Corpus) -> LinkCounts {
        let mut counts = LinkCounts::default();
        for map in &corpus.maps {
            let facts = map.facts();
            counts.paper += facts.links - facts.analyst_links;
            counts.analyst += facts.analyst_links;
            counts.declared_conclusions += facts.declared_conclusions;
        }
        counts
    }
}

/// The closing counts of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Map files (read or not).
    pub maps: usize,
    /// Claims of the maps read.
    pub claims: usize,
    /// References read.
    pub references: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// The links, by whose they are, and the declared conclusions.
    pub links: LinkCounts,
    /// Present when DOIs were resolved (`--online`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dois: Option<DoiCounts>,
    /// Present when claims have quotes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotes: Option<QuoteCounts>,
}

impl Summary {
    /// The counts of a model and its findings.
    pub fn new(corpus: &Corpus, diagnostics: &[Diagnostic]) -> Self {
        Summary {
            maps: corpus.maps.len() + corpus.unreadable_maps.len(),
            claims: corpus.claim_count(),
            references: corpus.references.len(),
            errors: diagnostics
                .iter()
                .filter(|d| d.severity() == Severity::Error)
                .count(),
            warnings: diagnostics
                .iter()
                .filter(|d| d.severity() == Severity::Warning)
                .count(),
            dois: None,
            quotes: QuoteCounts::of(corpus),
            links: LinkCounts::of(corpus),
        }
    }

    /// `2 maps, 87 claims, 41 references: 0 errors, 1 warning`
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}, {}, {}: {}, {}",
            plural(self.maps, "map"),
            plural(self.claims, "claim"),
            plural(self.references, "reference"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        );
        if let Some(d) = self.dois {
            s.push_str(&format!(
                "; DOIs: {} verified, {} broken, {} unverified",
                d.verified, d.broken, d.unverified
            ));
        }
        // Said once here, not per claim: quotes without their paper's text are unchecked.
        if let Some(q) = self.quotes.as_ref().filter(|q| q.unchecked > 0) {
            let ids = q.without_text.join(", ");
            s.push_str(&format!(
                "; {} not checked (no text of {ids} in sources/)",
                plural(q.unchecked, "quote")
            ));
        }
        s
    }
}
