//! Rendering diagnostics for people (`human`) and machines (`json`, `github`, `sarif`).
//! Renderers return strings; the binary decides where they go.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Corpus;

/// Outcome of DOI resolution, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DoiCounts {
    pub verified: usize,
    pub broken: usize,
    pub unverified: usize,
}

/// The closing counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub maps: usize,
    pub claims: usize,
    pub references: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Present when DOIs were resolved (`--online`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dois: Option<DoiCounts>,
}

impl Summary {
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
