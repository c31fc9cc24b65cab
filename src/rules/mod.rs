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
    CIRCULAR_SUPPORT, CONFLICTING_LINK, CONTRADICTORY_LINKS, DANGLING_LINK, DUPLICATE_CLAIM_ID,
    DUPLICATE_LINK, FRAMING_LINK, ISOLATED_CLAIM, SELF_LINK,
};
pub(crate) use quotes::{QUOTE_INEXACT, QUOTE_NOT_IN_SOURCE};
pub(crate) use references::{
    DUPLICATE_DOI, DUPLICATE_REFERENCE_ID, INVALID_DOI, NON_CANONICAL_DOI, UNUSED_REFERENCE,
};

/// The rules' findings kept between analyses of one workspace (a language server's, a
/// watcher's), so that a change re-checks only what it touched: each map's citation
/// findings, and the link findings of each map that stands alone.
#[derive(Debug, Default)]
pub struct Cache {
    citations: citations::Cache,
    links: links::Cache,
    references: references::Cache,
}

impl Cache {
    /// How many maps the last analysis checked for citations: a test's window on the
    /// keeping.
    #[cfg(test)]
    pub(crate) fn maps_checked(&self) -> usize {
        self.citations.maps_checked()
    }

    /// How many maps the last analysis checked for links.
    #[cfg(test)]
    pub(crate) fn maps_relinked(&self) -> usize {
        self.links.maps_checked()
    }
}

/// Runs every offline rule over the resolved graph (the four groups side by side) and adds
/// their findings to `out`, which they leave in report order (what `out` held included). A
/// rule turned off (`levels`) whose work is costly is not run at all. With a `cache` (kept
/// by a workspace between analyses), the citation rules re-check only the maps that changed,
/// and the link rules only those and the maps linked across maps (see [`Cache`]).
///
/// The citation rules' findings may be many (one per citation): each map's are found in
/// report order, and merged with the others rather than sorted again.
pub fn check(graph: &Graph, levels: &Levels, cache: Option<&Cache>, out: &mut Vec<Diagnostic>) {
    let run = |group: fn(&Graph, &Levels, &mut Vec<Diagnostic>)| {
        let mut out = Vec::new();
        group(graph, levels, &mut out);
        out
    };
    let (mut citations, (references, (quotes, links))) = rayon::join(
        || citations::check(graph, levels, cache.map(|c| &c.citations)),
        || {
            rayon::join(
                || match cache {
                    Some(cache) => {
                        let mut out = Vec::new();
                        references::check_kept(graph, levels, &cache.references, &mut out);
                        out
                    }
                    None => run(references::check),
                },
                || {
                    rayon::join(
                        || run(quotes::check),
                        || {
                            let mut out = Vec::new();
                            links::check(graph, levels, cache.map(|c| &c.links), &mut out);
                            out
                        },
                    )
                },
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
    citations.merge(&ranks, loose, out);
}

/// What one group of rules keeps between the analyses of a workspace, and how many maps
/// the last analysis checked again (the others' work was kept): a test's window on the
/// keeping. Behind a lock, for the groups run side by side and a workspace is shared.
#[derive(Debug)]
pub(crate) struct Keeping<T> {
    kept: std::sync::Mutex<Option<T>>,
    checked: std::sync::atomic::AtomicUsize,
}

impl<T> Default for Keeping<T> {
    fn default() -> Self {
        Keeping {
            kept: std::sync::Mutex::new(None),
            checked: Default::default(),
        }
    }
}

impl<T> Keeping<T> {
    /// What the last analysis kept, taken (the next analysis keeps anew).
    fn take(&self) -> Option<T> {
        self.lock().take()
    }

    /// Keeps `kept` for the next analysis.
    fn keep(&self, kept: T) {
        *self.lock() = Some(kept);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<T>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Says how many maps this analysis checked again.
    fn checked(&self, maps: usize) {
        self.checked
            .store(maps, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many maps the last analysis checked again.
    #[cfg(test)]
    fn maps_checked(&self) -> usize {
        self.checked.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Whether two lists hold the same values (the same `Arc`s, in order), not equal ones:
/// what a workspace kept was found from the very values it holds (a span may differ
/// between equal ones).
fn same_values<T>(a: &[std::sync::Arc<T>], b: &[std::sync::Arc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| std::sync::Arc::ptr_eq(a, b))
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
