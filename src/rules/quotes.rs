//! Rules about claims' quotes: each must occur in the text of the paper its map comes
//! from (`sources/<source id>.txt`), as [`crate::quote`] finds it.

use rayon::prelude::*;

use crate::config::Levels;
use crate::diagnostic::{Diagnostic, Label, Rule, RuleDocs};
use crate::graph::Graph;
use crate::quote::Verdict;
use crate::source::Span;

pub(crate) static QUOTE_INEXACT: RuleDocs = RuleDocs {
    summary: "a claim's quote differs from the paper's text in a few characters",
    doc: "A claim's `quote` must be the paper's words. Its map's `source` names the paper, \
          and `sources/<source>.txt` (or `.md`) holds the paper's text. The quote was found \
          there with a few edits (at most one in twenty characters): a typo, a dropped or \
          changed word. The message shows what differs, and the passage is shown in the \
          paper's text; copy it verbatim. Differences of quotation marks, dashes, spacing, \
          line breaks and line-end hyphenation are not differences, and an ellipsis \
          (`...`, `[...]`) or a bracketed insertion (`[the SCO]`) is read as an editor's mark.",
    example: r#"# sources/guliev2020.txt
Russia is not interested in expanding economic activities within the SCO,
since it has historical ties with the Central Asian states and avoids Chinese
large-scale financial invasion in the region.
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: no-economic-interest
    text: Russia wants no more economic activity in the SCO [@guliev2020].
    quote: Russia is not intrested in expanding economic activities
"#,
    fixed: r#"# sources/guliev2020.txt
Russia is not interested in expanding economic activities within the SCO,
since it has historical ties with the Central Asian states and avoids Chinese
large-scale financial invasion in the region.
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: no-economic-interest
    text: Russia wants no more economic activity in the SCO [@guliev2020].
    quote: Russia is not interested in expanding economic activities
"#,
};

pub(crate) static QUOTE_NOT_IN_SOURCE: RuleDocs = RuleDocs {
    summary: "a claim's quote is not in the paper's text",
    doc: "A claim's `quote` must be the paper's words, and it was not found in \
          `sources/<source>.txt` (or `.md`), even allowing a few edits: it is a paraphrase, \
          it comes from another work, or the map's `source` names the wrong paper. The \
          nearest passage is shown when there is one. Quote the paper verbatim (an ellipsis \
          may join passages that are close together), or move the words to the claim's \
          `text`. A map whose paper has no text in `sources/` is not quote-checked; the \
          summary says so.",
    example: r#"# sources/guliev2020.txt
Russia is opposed to attempts to turn the SCO into an international player
with its own military potential [5].
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: no-military-role
    text: Russia does not want the SCO to have a military role [@guliev2020].
    quote: Russia does not want the SCO to become a military alliance
"#,
    fixed: r#"# sources/guliev2020.txt
Russia is opposed to attempts to turn the SCO into an international player
with its own military potential [5].
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: no-military-role
    text: Russia does not want the SCO to have a military role [@guliev2020].
    quote: >-
      Russia is opposed to attempts to turn the SCO into an international
      player with its own military potential
"#,
};

/// The longest quote checked: a longer one is a passage, not a quote, and its alignment
/// would cost more than it tells.
const MAX_QUOTE_CHARS: usize = 20_000;

pub(super) fn check(graph: &Graph, levels: &Levels, out: &mut Vec<Diagnostic>) {
    if !levels.runs(Rule::QuoteInexact) && !levels.runs(Rule::QuoteNotInSource) {
        return;
    }
    let corpus = graph.corpus();
    let jobs: Vec<_> = corpus
        .maps
        .iter()
        .filter_map(|map| {
            let source = map.source.as_ref()?;
            Some((corpus.papers.get(&source.value)?, &source.value, map))
        })
        .flat_map(|(paper, source, map)| {
            map.claims.iter().filter_map(move |claim| {
                Some((paper, source, &claim.id.value, claim.quote.as_ref()?))
            })
        })
        .collect();
    // Only the papers that have quotes to look for are indexed, each once, side by side.
    let mut papers: Vec<_> = jobs.iter().map(|job| job.0).collect();
    papers.sort_by_key(|p| p.file);
    papers.dedup_by_key(|p| p.file);
    papers.par_iter().for_each(|p| {
        p.text();
    });
    // Quotes are independent, and an alignment may take a while: spread them over cores.
    let found: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|&(paper, source, claim, quote)| {
            let text = &quote.value;
            if text.chars().count() > MAX_QUOTE_CHARS || text.trim().is_empty() {
                return None;
            }
            let path = &corpus.sources.get(paper.file).path;
            let at = without_trailing_space(&corpus.sources.get(quote.span.file).text, quote.span);
            let passage = |range: std::ops::Range<usize>, what: &'static str| {
                Label::new(Span::new(paper.file, range.start, range.end), what)
            };
            match paper.text().find(text) {
                Verdict::Exact { .. } => None,
                Verdict::Inexact {
                    range,
                    edits,
                    differences,
                } => Some(
                    Diagnostic::new(
                        Rule::QuoteInexact,
                        Label::new(at, "not the paper's words"),
                        format!(
                            "the quote of claim `{claim}` differs from {path} in {}: {differences}",
                            crate::diagnostic::plural(edits, "character")
                        ),
                    )
                    .with_related(passage(range, "the passage in the paper"))
                    .with_help("copy the passage verbatim from the paper"),
                ),
                Verdict::Missing { nearest } => {
                    let mut d = Diagnostic::new(
                        Rule::QuoteNotInSource,
                        Label::new(at, "not in the paper"),
                        format!(
                            "the quote of claim `{claim}` is not in {path}, the text of `{source}`"
                        ),
                    )
                    .with_help(
                        "quote the paper verbatim, or move the words to the claim's `text`; if \
                         the quote is from another work, the map's `source` may be wrong",
                    );
                    if let Some(range) = nearest {
                        d = d.with_related(passage(range, "the nearest passage"));
                    }
                    Some(d)
                }
            }
        })
        .collect();
    out.extend(found);
}

/// A block scalar's span runs on to the next key; its label ends with its last word.
fn without_trailing_space(text: &str, span: Span) -> Span {
    let range = span.range();
    match text.get(range.clone()) {
        Some(spelt) => {
            let end = range.start + spelt.trim_end().len();
            Span::new(span.file, range.start, end.max(range.start))
        }
        None => span,
    }
}
