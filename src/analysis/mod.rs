//! The analysis: what a workspace's files say, finished by the library. An [`Analysis`] is
//! an immutable snapshot: the model, its resolved graph, the diagnostics of every phase
//! asked for (loading, the offline rules, and DOI verdicts when asked), merged and sorted by
//! place, the summary, the DOI table, and the answers front ends ask of a place in a file
//! (what is written there, where it is defined, what refers to it). Front ends (the command
//! line, a language server, an HTML site, exports) read an `Analysis` and never sort,
//! merge, resolve or re-parse.
//!
//! [`AnalysisHost`] owns a workspace and what is kept between analyses, applies changes,
//! and makes snapshots, as rust-analyzer's host does.

mod host;
mod occurrences;

use std::sync::{Arc, OnceLock};

pub use host::AnalysisHost;
pub use occurrences::{ClaimAt, LinkPart, Occurrence, Range, Target};

use crate::config::{Allowed, Levels};
use crate::diagnostic::Diagnostic;
use crate::graph::{Graph, GraphIndex};
use crate::model::{ArgumentMap, Corpus};
use crate::order::{self, Ranks};
use crate::resolve::{self, Resolution};
use crate::rules;
use crate::source::{FileId, SourceFile};
use crate::summary::Summary;
use crate::workspace::Workspace;

/// A map file that does not parse now, as it last did: what navigation reads while its
/// text is mid-edit (its diagnostics come from the new text).
#[derive(Debug)]
struct LastGood {
    source: Arc<SourceFile>,
    map: Arc<ArgumentMap>,
}

/// The findings of one analysis, and what they are about. See the module docs.
#[derive(Debug)]
pub struct Analysis {
    corpus: Corpus,
    graph: GraphIndex,
    /// Every finding of the phases that ran, sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// The closing counts.
    pub summary: Summary,
    /// The DOI table, when DOIs were resolved (or read from the cache).
    pub resolution: Option<Resolution>,
    last_good: Vec<LastGood>,
    /// What is written where, by file: built at the first question.
    occurrences: OnceLock<occurrences::Table>,
}

impl Analysis {
    /// Loading and the offline rules, once (a command's check): nothing is kept.
    pub fn offline(workspace: &Workspace) -> Analysis {
        let (corpus, mut diagnostics) = workspace.assemble();
        let levels = workspace.levels();
        let graph = GraphIndex::new(&corpus);
        rules::check(&Graph::of(&corpus, &graph), &levels, &mut diagnostics);
        Analysis::finish(corpus, graph, diagnostics, None, &levels)
    }

    /// Loading, the offline rules and DOI resolution over the network.
    #[cfg(feature = "online")]
    pub async fn online(
        workspace: &Workspace,
        options: &resolve::Options,
        progress: &dyn resolve::Progress,
    ) -> Result<Analysis, resolve::ResolveError> {
        let (corpus, mut diagnostics) = workspace.assemble();
        let levels = workspace.levels();
        let graph = GraphIndex::new(&corpus);
        rules::check(&Graph::of(&corpus, &graph), &levels, &mut diagnostics);
        let resolution = resolve::resolve(&Graph::of(&corpus, &graph), options, progress).await?;
        let diagnostics = merge_resolution(&corpus, diagnostics, &resolution);
        Ok(Analysis::finish(
            corpus,
            graph,
            diagnostics,
            Some(resolution),
            &levels,
        ))
    }

    /// DOI resolution alone (`argmap resolve`): the DOI findings, not the offline ones.
    #[cfg(feature = "online")]
    pub async fn dois(
        workspace: &Workspace,
        options: &resolve::Options,
        progress: &dyn resolve::Progress,
    ) -> Result<Analysis, resolve::ResolveError> {
        let (corpus, _) = workspace.assemble();
        let graph = GraphIndex::new(&corpus);
        let resolution = resolve::resolve(&Graph::of(&corpus, &graph), options, progress).await?;
        let mut diagnostics = resolution.diagnostics.clone();
        order::sort(&corpus.sources, &mut diagnostics);
        Ok(Analysis::finish(
            corpus,
            graph,
            diagnostics,
            Some(resolution),
            &workspace.levels(),
        ))
    }

    /// Finishes an analysis from its findings, in report order.
    fn finish(
        corpus: Corpus,
        graph: GraphIndex,
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
            graph,
            diagnostics,
            summary,
            resolution,
            last_good: Vec::new(),
            occurrences: OnceLock::new(),
        }
    }

    /// The model the findings are about.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The resolved graph of the model (built once, with the analysis).
    pub fn graph(&self) -> Graph<'_> {
        Graph::of(&self.corpus, &self.graph)
    }

    /// Whether the findings fail a run: errors, or warnings when they are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0)
    }

    /// The file of an id: its text and line index, as the diagnostics' spans read it.
    pub fn source(&self, file: FileId) -> Option<&SourceFile> {
        self.corpus.sources.try_get(file)
    }

    /// The id of the file at `path` (relative to ROOT: `arguments/m.yaml`).
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.corpus
            .sources
            .iter()
            .find(|(_, s)| s.path == path)
            .map(|(id, _)| id)
    }

    /// The file navigation reads for `file`: its last good parse's text while the file
    /// does not parse (the spans of [`Analysis::occurrences`] are in it), else its text.
    pub fn navigation_source(&self, file: FileId) -> Option<&SourceFile> {
        match self.last_good.iter().find(|g| g.map.file == file) {
            Some(good) => Some(&good.source),
            None => self.source(file),
        }
    }

    /// Every map navigation knows, by [`ClaimAt::map`]: the model's maps, in order, then
    /// the last good parse of each map file that does not parse now.
    pub fn maps(&self) -> impl Iterator<Item = &ArgumentMap> {
        self.corpus
            .maps
            .iter()
            .map(|m| &**m)
            .chain(self.last_good.iter().map(|g| &*g.map))
    }

    /// The map of index `map` in [`Analysis::maps`].
    pub fn map(&self, map: u32) -> Option<&ArgumentMap> {
        let map = map as usize;
        match self.corpus.maps.get(map) {
            Some(m) => Some(m),
            None => self
                .last_good
                .get(map - self.corpus.maps.len())
                .map(|g| &*g.map),
        }
    }

    /// Whether a map of [`Analysis::maps`] is a last good parse (its file does not parse
    /// now; it is in no graph and no finding).
    pub fn is_last_good(&self, map: u32) -> bool {
        map as usize >= self.corpus.maps.len()
    }

    /// The DOI verdict of the reference of index `reference`, when DOIs were resolved or
    /// read from the cache and the cache answers for its DOI.
    pub fn doi_verdict(&self, reference: usize) -> Option<&resolve::Checked> {
        let r = self.corpus.references.get(reference)?;
        self.resolution
            .as_ref()?
            .checked
            .iter()
            .find(|c| c.reference == r.id.value)
    }
}

/// The offline findings and the DOI findings of `resolution`, merged in report order.
fn merge_resolution(
    corpus: &Corpus,
    diagnostics: Vec<Diagnostic>,
    resolution: &Resolution,
) -> Vec<Diagnostic> {
    let mut found = resolution.diagnostics.clone();
    let ranks = Ranks::of(&corpus.sources);
    order::sort_ranked(&ranks, &mut found);
    order::merge_sorted(&ranks, diagnostics, found)
}
