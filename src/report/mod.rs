//! Rendering diagnostics for people (`human`) and machines (`json`, `github`, `sarif`).
//! Renderers return strings; the binary decides where they go.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;
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
            sources: &analysis.corpus().sources,
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

pub use crate::resolve::DoiCounts;
pub use crate::summary::{QuoteCounts, Summary};
