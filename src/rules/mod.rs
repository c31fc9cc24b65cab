//! The rules: each rule's documentation lives beside its logic, and [`crate::rule::Rule`]
//! names them all. Rules read the model and return diagnostics;
//! they never fail and never touch the network.

mod citations;
mod links;
mod quotes;
mod references;

use std::borrow::Cow;

use crate::config::Levels;
use crate::diagnostic::Diagnostic;
use crate::graph::Graph;

pub(crate) use citations::{
    CUT_CITATION_KEY, LOCATOR_OUT_OF_RANGE, UNCITED_CLAIM, UNKNOWN_REFERENCE, UNKNOWN_SOURCE,
};
pub(crate) use links::{
    CIRCULAR_SUPPORT, CONFLICTING_LINK, CONTRADICTORY_LINKS, CROSS_SOURCE_LINK, DANGLING_LINK,
    DUPLICATE_CLAIM_ID, DUPLICATE_LINK, FRAMING_LINK, ISOLATED_CLAIM, SELF_LINK,
    UNDECLARED_CONCLUSION,
};
pub(crate) use quotes::{QUOTE_INEXACT, QUOTE_NOT_IN_SOURCE};
pub(crate) use references::{
    DUPLICATE_DOI, DUPLICATE_REFERENCE_ID, INVALID_DOI, NON_CANONICAL_DOI, UNUSED_REFERENCE,
};

pub use citations::Kept;

/// Runs every offline rule over the resolved graph (the four groups side by side) and adds
/// their findings to `out`, which they leave in report order (what `out` held included). A
/// rule turned off (`levels`) whose work is costly is not run at all.
///
/// The citation rules' findings may be many (one per citation): each map's are found in
/// report order, and merged with the others rather than sorted again.
pub fn check(graph: &Graph, levels: &Levels, out: &mut Vec<Diagnostic>) {
    run(graph, levels, None, false, out);
}

/// [`check`], reusing the citation findings `before` holds of the maps that did not
/// change, and returning this analysis's for the next (a host's, which analyses the same
/// workspace again and again). The other rules run whole: they are fast enough (see
/// ARCHITECTURE.md).
pub fn check_keeping(
    graph: &Graph,
    levels: &Levels,
    before: &Kept,
    out: &mut Vec<Diagnostic>,
) -> Kept {
    run(graph, levels, Some(before), true, out).unwrap_or_default()
}

fn run(
    graph: &Graph,
    levels: &Levels,
    before: Option<&Kept>,
    keep: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Kept> {
    let group = |group: fn(&Graph, &Levels, &mut Vec<Diagnostic>)| {
        let mut out = Vec::new();
        group(graph, levels, &mut out);
        out
    };
    let (mut citations, (references, (quotes, links))) = rayon::join(
        || citations::check(graph, levels, before),
        || {
            rayon::join(
                || group(references::check),
                || rayon::join(|| group(quotes::check), || group(links::check)),
            )
        },
    );
    let mut loose = std::mem::take(out);
    for group in [references, quotes, links] {
        loose.extend(group);
    }
    loose.extend(std::mem::take(&mut citations.others));
    let ranks = crate::order::Ranks::of(&graph.corpus().sources);
    crate::order::sort_ranked(&ranks, &mut loose);
    citations.merge(&ranks, loose, out, keep)
}

/// The longest id a message shows in full.
const MAX_ID_SHOWN: usize = 100;

/// An id as a finding names it. Ids are short handles; one that is not (a hostile 100 KB
/// id) is shortened, for a claim's id is repeated in the finding of each of its citations
/// and links, and the output must stay linear in the input.
pub(crate) fn shown(id: &str) -> Cow<'_, str> {
    if id.len() <= MAX_ID_SHOWN {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(crate::sanitize::one_line(id, MAX_ID_SHOWN))
    }
}

/// The findings of files given in memory, as `(rule, the text labelled, message)`: what a
/// rule's unit tests compare. The offline check as `Analysis::offline` runs it, from the
/// layers below the analysis (no module imports from a layer above its own, tests
/// included): loading, the rules, `argmap-allow` lists and the levels in effect.
#[cfg(test)]
pub(crate) fn findings_of(files: &[(&str, &str)]) -> Vec<(crate::rule::Rule, String, String)> {
    let mut workspace = crate::workspace::Workspace::new();
    for (path, text) in files {
        assert!(workspace.set_text(path, *text), "{path} is an argmap file");
    }
    let (corpus, mut diagnostics) = workspace.assemble();
    let levels = workspace.levels();
    let graph = crate::graph::GraphIndex::new(&corpus);
    check(
        &crate::graph::Graph::of(&corpus, &graph),
        &levels,
        &mut diagnostics,
    );
    let mut unused =
        crate::config::Allowed::of(&corpus).apply(&corpus.sources, &mut diagnostics, &levels);
    let ranks = crate::order::Ranks::of(&corpus.sources);
    crate::order::sort_ranked(&ranks, &mut unused);
    let diagnostics = crate::order::merge_sorted(&ranks, diagnostics, unused);
    diagnostics
        .iter()
        .filter(|d| levels.level(d.rule).severity().is_some())
        .map(|d| {
            let source = corpus.sources.get(d.primary.span.file);
            let text = source.text[d.primary.span.range()].to_owned();
            (d.rule, text, d.message.to_string())
        })
        .collect()
}
