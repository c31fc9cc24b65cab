//! Rendering diagnostics for people (`human`) and machines (`json`, `github`, `sarif`).
//! Renderers return strings; the binary decides where they go.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Corpus;
use crate::resolve::Resolution;
use crate::source::Sources;

/// What a renderer formats: the findings, the files they are in, the summary, and (for
/// `argmap resolve`) the table of every DOI and its status.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// The files the findings point into.
    pub sources: &'a Sources,
    /// The findings, sorted.
    pub diagnostics: &'a [Diagnostic],
    /// The closing counts.
    pub summary: &'a Summary,
    /// The DOI table, shown when set.
    pub dois: Option<&'a Resolution>,
}

impl<'a> Report<'a> {
    /// The report of an analysis, without the DOI table.
    pub fn of(analysis: &'a Analysis) -> Self {
        Report {
            sources: &analysis.corpus.sources,
            diagnostics: &analysis.diagnostics,
            summary: &analysis.summary,
            dois: None,
        }
    }

    /// The same report with the analysis's DOI table, if it has one.
    pub fn with_table(mut self, analysis: &'a Analysis) -> Self {
        self.dois = analysis.resolution.as_ref();
        self
    }
}

/// Outcome of DOI resolution, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DoiCounts {
    /// DOIs that exist and whose metadata agrees (or has none to compare).
    pub verified: usize,
    /// DOIs that do not exist, or belong to another work.
    pub broken: usize,
    /// DOIs no definitive answer was had about.
    pub unverified: usize,
}

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

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
