//! The analysis: what a workspace's files say, finished by the library. One call gives
//! the diagnostics of every phase asked for (loading, the offline rules, and DOI
//! resolution when asked), merged and sorted by place, the summary, the DOI table, and the
//! resolved graph on demand. Front ends (the command line today; a language server, an
//! HTML site, exports tomorrow) render an [`Analysis`] and never sort, merge or re-parse.

use crate::config::{Allowed, Levels};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Corpus;
use crate::report::Summary;
use crate::resolve::{self, Progress, Resolution, ResolveError};
use crate::rule::Rule;
use crate::rules;
use crate::source::{FileId, Sources};
use crate::workspace::Workspace;
use strum::IntoEnumIterator;

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
        diagnostics.extend(resolution.diagnostics.iter().cloned());
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
        let diagnostics = resolution.diagnostics.clone();
        Ok(Analysis::finish(
            corpus,
            diagnostics,
            Some(resolution),
            &workspace.levels(),
        ))
    }

    fn finish(
        corpus: Corpus,
        mut diagnostics: Vec<Diagnostic>,
        resolution: Option<Resolution>,
        levels: &Levels,
    ) -> Analysis {
        // What users allow where it occurs (`argmap-allow:` on a claim or reference), then the
        // levels they set: a rule turned off is not reported, one raised or lowered
        // counts at its new severity (and so does its exit status).
        Allowed::of(&corpus).apply(&corpus.sources, &mut diagnostics, levels);
        if !levels.is_empty() {
            diagnostics.retain_mut(|d| match levels.level(d.rule).severity() {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            });
        }
        sort(&corpus.sources, &mut diagnostics);
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

    /// The findings of one severity.
    pub fn of_severity(&self, severity: Severity) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.severity() == severity)
    }
}

/// Orders diagnostics by file path, position, rule and message, so output is stable.
/// Findings are large and may be many (tens of thousands): small keys (each file's rank
/// among the paths, each rule's among the names) are sorted side by side, and each finding
/// is then swapped into its place, in the vector itself.
pub fn sort(sources: &Sources, diagnostics: &mut [Diagnostic]) {
    use rayon::prelude::*;
    let mut files: Vec<FileId> = diagnostics.iter().map(|d| d.primary.span.file).collect();
    files.sort_unstable();
    files.dedup();
    files.sort_by(|a, b| sources.get(*a).path.cmp(&sources.get(*b).path));
    let mut file_rank = vec![0u32; files.iter().map(|f| f.0 as usize + 1).max().unwrap_or(0)];
    for (rank, file) in files.iter().enumerate() {
        file_rank[file.0 as usize] = rank as u32;
    }
    let rule_rank = rule_ranks();
    let mut keys: Vec<(u32, u32, u8, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let span = d.primary.span;
            (
                file_rank[span.file.0 as usize],
                span.start,
                rule_rank[d.rule as usize],
                i as u32,
            )
        })
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| {
                diagnostics[a.3 as usize]
                    .message
                    .cmp(&diagnostics[b.3 as usize].message)
            })
            .then(a.3.cmp(&b.3))
    });
    // Each finding is moved into its place in the vector itself (following the cycles of the
    // permutation), so no second vector of findings is allocated; those already in place,
    // often most of them, are not touched.
    let order: Vec<u32> = keys.into_iter().map(|k| k.3).collect();
    let mut placed = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            diagnostics.swap(at, from);
            at = from;
        }
    }
}

/// Each rule's place among the rules' names in alphabetical order, by the rule's index.
fn rule_ranks() -> &'static [u8; Rule::COUNT] {
    static RANKS: std::sync::OnceLock<[u8; Rule::COUNT]> = std::sync::OnceLock::new();
    RANKS.get_or_init(|| {
        let mut rules: Vec<Rule> = Rule::iter().collect();
        rules.sort_by_key(|r| r.name());
        let mut ranks = [0u8; Rule::COUNT];
        for (rank, rule) in rules.into_iter().enumerate() {
            ranks[rule as usize] = rank as u8;
        }
        ranks
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::{SourceFile, Span};

    #[test]
    fn findings_sort_by_path_then_place_then_rule_name_then_message() {
        let mut sources = Sources::default();
        // Ids in the opposite order of the paths.
        let z = sources.add(SourceFile::new("z.yaml".into(), "x".repeat(20)));
        let a = sources.add(SourceFile::new("a.yaml".into(), "x".repeat(20)));
        let at = |file, start, rule, message: &'static str| {
            Diagnostic::new(rule, Label::new(Span::new(file, start, start), ""), message)
        };
        let mut found = vec![
            at(z, 0, Rule::Schema, "z"),
            at(a, 9, Rule::Schema, "late"),
            // `yaml-syntax` comes first among the rules, last among their names.
            at(a, 2, Rule::YamlSyntax, "y"),
            at(a, 2, Rule::InvalidUtf8, "i"),
            at(a, 2, Rule::Schema, "second"),
            at(a, 2, Rule::Schema, "first"),
        ];
        sort(&sources, &mut found);
        let order: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["i", "first", "second", "y", "late", "z"]);
    }
}
