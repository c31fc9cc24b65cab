//! The analysis: what a workspace's files say, finished by the library. One call gives
//! the diagnostics of every phase asked for (loading, the offline rules, and DOI
//! resolution when asked), merged and sorted by place, the summary, the DOI table, and the
//! resolved graph on demand. Front ends (the command line today; a language server, an
//! HTML site, exports tomorrow) render an [`Analysis`] and never sort, merge or re-parse.

use crate::config::{Allowed, Levels};
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::model::Corpus;
use crate::order::{self, Ranks};
use crate::summary::Summary;
use crate::resolve::{self, Progress, Resolution, ResolveError};
use crate::rules;
use crate::workspace::Workspace;

/// The findings of one analysis, and what they are about.
#[derive(Debug)]
pub struct Analysis {
    /// The model the findings are about.
    pub corpus: Corpus,
    /// Every finding of the phases that ran, sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// The closing counts.
    pub summary: Summary,
    /// The DOI table, when DOIs were resolved (or read from the cache).
    pub resolution: Option<Resolution>,
}

impl Analysis {
    /// Loading and the offline rules.
    pub fn offline(workspace: &Workspace) -> Analysis {
        let (corpus, mut diagnostics) = workspace.assemble();
        let levels = workspace.levels();
        let graph = workspace.graph(&corpus);
        rules::check(&graph, &levels, workspace.rule_cache(), &mut diagnostics);
        Analysis::finish(corpus, diagnostics, None, &levels)
    }

    /// Loading, the offline rules and DOI resolution over the network.
    pub async fn online(
        workspace: &Workspace,
        options: &resolve::Options,
        progress: &dyn Progress,
    ) -> Result<Analysis, ResolveError> {
        let (corpus, mut diagnostics) = workspace.assemble();
        let graph = workspace.graph(&corpus);
        rules::check(
            &graph,
            &workspace.levels(),
            workspace.rule_cache(),
            &mut diagnostics,
        );
        let resolution = resolve::resolve(&corpus, options, progress).await?;
        let mut found = resolution.diagnostics.clone();
        let ranks = Ranks::of(&corpus.sources);
        order::sort_ranked(&ranks, &mut found);
        let diagnostics = order::merge_sorted(&ranks, diagnostics, found);
        Ok(Analysis::finish(
            corpus,
            diagnostics,
            Some(resolution),
            &workspace.levels(),
        ))
    }

    /// DOI resolution alone (`argmap resolve`): the DOI findings, not the offline ones.
    pub async fn dois(
        workspace: &Workspace,
        options: &resolve::Options,
        progress: &dyn Progress,
    ) -> Result<Analysis, ResolveError> {
        let (corpus, _) = workspace.assemble();
        let resolution = resolve::resolve(&corpus, options, progress).await?;
        let mut diagnostics = resolution.diagnostics.clone();
        order::sort(&corpus.sources, &mut diagnostics);
        Ok(Analysis::finish(
            corpus,
            diagnostics,
            Some(resolution),
            &workspace.levels(),
        ))
    }

    /// Finishes an analysis from its findings, in report order.
    fn finish(
        corpus: Corpus,
        mut diagnostics: Vec<Diagnostic>,
        resolution: Option<Resolution>,
        levels: &Levels,
    ) -> Analysis {
        // What users allow where it occurs (`argmap-allow:` on a claim or reference), then the
        // levels they set: a rule turned off is not reported, one raised or lowered
        // counts at its new severity (and so does its exit status). Both keep the order.
        let unused = Allowed::of(&corpus).apply(&corpus.sources, &mut diagnostics, levels);
        if !unused.is_empty() {
            let ranks = Ranks::of(&corpus.sources);
            let mut unused = unused;
            order::sort_ranked(&ranks, &mut unused);
            diagnostics = order::merge_sorted(&ranks, diagnostics, unused);
        }
        if !levels.is_empty() {
            diagnostics.retain_mut(|d| match levels.level(d.rule).severity() {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            });
        }
        let mut summary = Summary::new(&corpus, &diagnostics);
        summary.dois = resolution.as_ref().map(|r| r.counts);
        Analysis {
            corpus,
            diagnostics,
            summary,
            resolution,
        }
    }

    /// The resolved graph of the model.
    pub fn graph(&self) -> Graph<'_> {
        Graph::new(&self.corpus)
    }

    /// Whether the findings fail a run: errors, or warnings when they are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0)
    }
}
