//! Rules about claims' citations and maps' sources.

use crate::config::Levels;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Label, Rule, RuleDocs, Text};
use crate::graph::Graph;
use std::sync::{Arc, OnceLock};

use crate::model::{ArgumentMap, Citation, Claim, Corpus, Reference};
use crate::order;
use crate::pages;
use crate::source::{FileId, Revision, Spanned};
use crate::suggest::Suggestion;
use crate::suggest::{self, Suggester};
use crate::yaml;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

pub(crate) static UNKNOWN_REFERENCE: RuleDocs = RuleDocs {
    summary: "a claim cites a key that no reference defines",
    doc: "Every `@key` in a claim's `text` or `cites` must be the `id` of a reference in \
          `references/`. An unknown key is a typo (the message suggests the closest id), a \
          reference not yet entered, or an invented source. pandoc would print the raw key and \
          a warning; argmap makes it an error because an unbacked citation is the problem it \
          exists to catch.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@sung2014].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@song2014].
"#,
};

pub(crate) static CUT_CITATION_KEY: RuleDocs = RuleDocs {
    summary: "pandoc ends a citation key before the reference id it was meant to be",
    doc: "pandoc keeps punctuation (`:.#$%&-+?<>~/`) inside a bare key only when a letter, \
          digit or `_` follows it, so `@duquette_share--income_2019` is the key \
          `duquette_share` followed by `--income_2019`, and `@HFH+:WEKA:09` is `@HFH`: keys \
          that Zotero and Better BibTeX write. Such a citation does not resolve when the \
          paper is rendered. argmap reports it where the key is written, when the whole \
          spelling is a reference's id; the safe fix writes the key in braces, \
          `@{duquette_share--income_2019}`, which pandoc reads whole.",
    example: r#"# references/naarajarvi2012.yaml
references:
  - id: naarajarvi_china--russia_2012   # as Better BibTeX wrote it
    type: article-journal
    title: >-
      China, Russia and the Shanghai Cooperation Organisation: Blessing or
      curse for new regionalism in Central Asia?
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Russia and China want different things [@naarajarvi_china--russia_2012].
"#,
    fixed: r#"# references/naarajarvi2012.yaml
references:
  - id: naarajarvi_china--russia_2012   # as Better BibTeX wrote it
    type: article-journal
    title: >-
      China, Russia and the Shanghai Cooperation Organisation: Blessing or
      curse for new regionalism in Central Asia?
# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Russia and China want different things [@{naarajarvi_china--russia_2012}].
"#,
};

pub(crate) static UNCITED_CLAIM: RuleDocs = RuleDocs {
    summary: "a claim cites nothing",
    doc: "Every claim must say where it comes from: the works the paper cites at that point, \
          or the paper itself (its map's `source`, e.g. `cites: [\"@guliev2020\"]`) when the \
          claim is the authors' own reasoning. Add a citation to the claim's text or to its \
          `cites` list.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security.
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security.
    cites: ["@guliev2020"]
"#,
};

pub(crate) static UNKNOWN_SOURCE: RuleDocs = RuleDocs {
    summary: "a map's `source` is not a reference id",
    doc: "A map's `source` names the paper the map is derived from, by its reference id. The \
          paper must be in `references/` like any other work, so that the map can be traced to \
          it and its own reasoning can be cited. Add the paper to the references or correct \
          the id (the message suggests the closest one).",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2019
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
};

pub(crate) static LOCATOR_OUT_OF_RANGE: RuleDocs = RuleDocs {
    summary: "a citation's page is not among the pages of the work it cites",
    doc: "When a reference gives the work's pages (`page: 85-101`), a citation's page locator \
          (`p. 300`, `pp. 3, 7-9`, or a bare `300`) must fall within them: a page outside is \
          a slip in the locator, or a citation of the wrong work. Pages are read as people \
          write them (`85-7` is 85 to 87; `S12-S15`; roman numerals for front matter; \
          `85ff.`, `85+`, and an em-dash range `85—90`, which citeproc would cut at the dash) \
          and compared only within one numbering: `p. xiv` against `page: 85-101`, a \
          chapter, a section, or anything not exactly a page is not checked. Locators are \
          read as citeproc reads them (`p.`+no-break space, `pp. **33**`, `{35-89, 102}`).",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@song2014, p. 300].
    # song2014 has page: 85-101
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@song2014, p. 90].
"#,
};

/// How much of a reference's `page` field a finding shows.
const MAX_PAGES_SHOWN: usize = 40;

/// What the findings of one cited work share, read once per work: its pages, the `page`
/// field as findings show it, and their label and related place (one copy for all).
struct Work {
    pages: pages::WorkPages,
    shown: String,
    label: Text,
    related: Arc<[Label]>,
}

/// Each work's pages, read when a locator first asks for them, by the work's index in the
/// corpus (`None` inside: its `page` field gives no pages that can be read). One table for
/// all maps: a corpus cites the same works from many maps, and reading a `page` field,
/// shortening it and writing its label cost more than comparing a locator with it.
struct PagesByWork(Vec<OnceLock<Option<Box<Work>>>>);

impl PagesByWork {
    fn new(corpus: &Corpus) -> PagesByWork {
        PagesByWork(corpus.references.iter().map(|_| OnceLock::new()).collect())
    }

    /// The pages of the reference at `index`, read at the first call.
    fn get(&self, reference: &Reference, index: usize) -> Option<&Work> {
        self.0[index]
            .get_or_init(|| {
                let field = reference.variable("page")?;
                let pages = pages::WorkPages::new(pages::parse(field)?);
                // Shown shortened: a `page` field may be long, and each finding repeats it.
                let shown = crate::sanitize::one_line(field, MAX_PAGES_SHOWN);
                Some(Box::new(Work {
                    pages,
                    label: format!("not within pages {shown}").into(),
                    related: Arc::new([Label::new(reference.id.span, format!("pages {shown}"))]),
                    shown,
                }))
            })
            .as_deref()
    }
}

/// A citation's page locator outside the pages of the work it cites, the reference at
/// `index` of the corpus.
fn locator_out_of_range(
    reference: &Reference,
    index: usize,
    works: &PagesByWork,
    claim: &str,
    citation: &Citation,
) -> Option<Diagnostic> {
    let locator = citation.item.locator.as_ref()?;
    let at = citation.locator_span?;
    if locator.kind != crate::citation::LocatorKind::Page {
        return None;
    }
    let work = works.get(reference, index)?;
    if !pages::locator_outside(&locator.pages(), &work.pages)? {
        return None;
    }
    Some(
        Diagnostic::new(
            Rule::LocatorOutOfRange,
            Label::new(at, work.label.clone()),
            format_args!(
                "claim `{}` cites `{locator}` of `{}`, whose pages are {}",
                super::shown(claim),
                citation.key(),
                work.shown
            ),
        )
        .with_related_shared(Arc::clone(&work.related))
        .with_help("correct the locator, or the reference's `page` if it is the one wrong"),
    )
}

/// A key pandoc cuts short whose whole spelling names a reference: the finding, with the
/// braced key as its safe fix, and the reference's index.
fn cut_key(graph: &Graph, claim: &Claim, citation: &Citation) -> Option<(Diagnostic, usize)> {
    let (longer, span) = citation.longer.as_ref()?;
    let index = graph.reference_index(longer)?;
    let corpus = graph.corpus();
    let written = corpus.sources.get(span.file).text.get(span.range());
    let form = crate::citation::cite_form(longer);
    // The fix rewrites the spelling only where it is the key as is (not through escapes).
    let fix = form
        .clone()
        .filter(|_| written == Some(format!("@{longer}").as_str()))
        .map(|form| Fix::replace(format!("write `{form}`"), *span, form, Applicability::Safe));
    let braced = form.unwrap_or_else(|| format!("@{{{longer}}}"));
    let d = Diagnostic::new(
        Rule::CutCitationKey,
        Label::new(
            *span,
            format!("pandoc reads `@{}`", super::shown(citation.key())),
        ),
        format!(
            "claim `{}` cites `@{}`, which pandoc reads as the key `{}` followed by `{}`",
            super::shown(&claim.id.value),
            super::shown(longer),
            super::shown(citation.key()),
            super::shown(&longer[citation.key().len().min(longer.len())..]),
        ),
    )
    .with_help(format!("write `{braced}`, which pandoc reads whole"));
    Some((
        match fix {
            Some(fix) => d.with_fix(fix),
            None => d,
        },
        index,
    ))
}

/// Replaces a mistyped key with the clearly closest reference id, where the key is spelt as
/// written (`@key` or `@{key}`, not through escapes) and the id needs no braces or quoting.
/// Unsafe: the closest id may not be the work meant.
fn key_fix(corpus: &Corpus, citation: &Citation, s: Suggestion) -> Option<Fix> {
    let text = &corpus.sources.get(citation.key_span.file).text;
    let spelt = text.get(citation.key_span.range())?;
    let as_written =
        spelt == format!("@{}", citation.key()) || spelt == format!("@{{{}}}", citation.key());
    let bare = s
        .word
        .chars()
        .all(|c| c.is_alphanumeric() || "_:.#$%&+?<>~/-".contains(c))
        && s.word
            .starts_with(|c: char| c.is_alphanumeric() || c == '_')
        && s.word.ends_with(|c: char| c.is_alphanumeric() || c == '_');
    (s.clear && as_written && bare).then(|| {
        Fix::replace(
            format!("replace with `@{}`", s.word),
            citation.key_span,
            format!("@{}", s.word),
            Applicability::Unsafe,
        )
    })
}

/// The citation rules' findings: those of each map (one run per map file, in report
/// order) and the others (`unused-reference`).
pub(super) struct Found {
    pub(super) others: Vec<Diagnostic>,
    /// By map, in the model's order: its file, its revision and its findings.
    maps: Vec<(FileId, Revision, Arc<MapFindings>)>,
    key: Key,
    checked: usize,
}

impl Found {
    /// Appends the maps' findings to `out`, merged in report order with `loose` (in report
    /// order); and, when `keep`, keeps them for the next analysis.
    pub(super) fn merge(
        self,
        ranks: &order::Ranks,
        loose: Vec<Diagnostic>,
        out: &mut Vec<Diagnostic>,
        keep: bool,
    ) -> Option<Kept> {
        if !keep {
            // Not kept: each map's findings are moved, not copied.
            let runs = self
                .maps
                .into_iter()
                .map(|(file, _, f)| {
                    let run = Arc::try_unwrap(f)
                        .map_or_else(|f| f.diagnostics.clone(), |f| f.diagnostics);
                    (file, Cow::Owned(run))
                })
                .collect();
            order::merge_files(ranks, loose, runs, out);
            return None;
        }
        let runs = self
            .maps
            .iter()
            .map(|(file, _, f)| (*file, Cow::Borrowed(&f.diagnostics[..])))
            .collect();
        order::merge_files(ranks, loose, runs, out);
        Some(Kept {
            key: Some(self.key),
            maps: self
                .maps
                .into_iter()
                .map(|(_, revision, f)| (revision, f))
                .collect(),
            checked: self.checked,
        })
    }
}

/// Runs the citation rules, reusing from `before` the findings of each map whose file has
/// the revision it had, when everything else they depend on ([`Key`]) is the same.
pub(super) fn check(graph: &Graph, levels: &Levels, before: Option<&Kept>) -> Found {
    let corpus = graph.corpus();
    let key = Key::of(corpus, levels);
    let kept = before.filter(|k| k.key.as_ref() == Some(&key));
    let revision = |map: &ArgumentMap| corpus.sources.get(map.file).revision;
    let reused = |map: &ArgumentMap| kept.and_then(|k| k.maps.get(&revision(map)));
    let todo: Vec<&Arc<ArgumentMap>> = corpus.maps.iter().filter(|m| reused(m).is_none()).collect();
    let mut fresh = findings_of_maps(graph, levels, &todo).into_iter();
    let maps: Vec<(FileId, Revision, Arc<MapFindings>)> = corpus
        .maps
        .iter()
        .map(|map| {
            let found = match reused(map) {
                Some(found) => Arc::clone(found),
                None => Arc::new(fresh.next().expect("one finding per map checked")),
            };
            (map.file, revision(map), found)
        })
        .collect();
    let mut others = Vec::new();
    super::references::unused(
        graph,
        maps.iter().map(|(.., f)| f.cited.as_slice()),
        &mut others,
    );
    Found {
        others,
        maps,
        key,
        checked: todo.len(),
    }
}

/// What the citation rules find in one map.
#[derive(Debug, Default)]
struct MapFindings {
    diagnostics: Vec<Diagnostic>,
    /// The references the map cites (its source too), each by the index of the first
    /// reference with its id: what `unused-reference` needs of the map.
    cited: Vec<u32>,
}

/// A key that names no reference, for the did-you-mean.
enum Miss<'m> {
    Source(&'m Spanned<String>),
    Key(&'m Claim, &'m Citation),
}

/// What the citation rules find in each of `maps` (in their order). The maps are looked
/// at side by side, each citation's key resolved once for its locator and for the works
/// the map cites (a corpus whose locators are often wrong yields a finding per citation);
/// then the keys that name no reference get their did-you-mean, in order, from one budget.
fn findings_of_maps(
    graph: &Graph,
    levels: &Levels,
    maps: &[&Arc<ArgumentMap>],
) -> Vec<MapFindings> {
    let corpus = graph.corpus();
    let locators = levels.runs(Rule::LocatorOutOfRange);
    let works = PagesByWork::new(corpus);
    let mut per_map: Vec<(MapFindings, Vec<Miss>)> = maps
        .par_iter()
        .map(|map| {
            let mut found = MapFindings::default();
            let mut misses = Vec::new();
            if let Some(source) = &map.source {
                match graph.reference_index(&source.value) {
                    Some(i) => found.cited.push(i as u32),
                    None if !corpus.may_define(&source.value) => misses.push(Miss::Source(source)),
                    None => {}
                }
            }
            for claim in &map.claims {
                for citation in &claim.citations {
                    match graph.reference_index(citation.key()) {
                        Some(i) => {
                            found.cited.push(i as u32);
                            let reference = &corpus.references[i];
                            if locators
                                && let Some(d) = locator_out_of_range(
                                    reference,
                                    i,
                                    &works,
                                    &claim.id.value,
                                    citation,
                                )
                            {
                                found.diagnostics.push(d);
                            }
                        }
                        None => {
                            if let Some((d, i)) = cut_key(graph, claim, citation) {
                                found.cited.push(i as u32);
                                found.diagnostics.push(d);
                            } else if !corpus.may_define(citation.key()) {
                                misses.push(Miss::Key(claim, citation));
                            }
                        }
                    }
                }
                if claim.citations.is_empty() && claim.text.is_some() {
                    let source = map
                        .source
                        .as_ref()
                        .map_or("the paper's id".to_owned(), |s| {
                            format!("@{}", super::shown(&s.value))
                        });
                    found.diagnostics.push(
                        Diagnostic::new(
                            Rule::UncitedClaim,
                            Label::new(claim.id.span, "cites nothing"),
                            format!("claim `{}` has no citation", claim.id.value),
                        )
                        .with_help(format!(
                            "cite the works behind it, or the paper itself when it is the \
                             authors' own reasoning: `cites: [\"{source}\"]`"
                        )),
                    );
                }
            }
            found.cited.sort_unstable();
            found.cited.dedup();
            (found, misses)
        })
        .collect();
    // Built at the first unknown key: most checks have none.
    let mut suggester: Option<Suggester> = None;
    let mut budget = suggest::RUN_BUDGET;
    let mut suggest = |key: &str| {
        suggester
            .get_or_insert_with(|| {
                Suggester::new(corpus.references.iter().map(|r| r.id.value.as_str()))
            })
            .suggest(key, &mut budget)
    };
    for (found, misses) in &mut per_map {
        for miss in misses.drain(..) {
            let d = match miss {
                Miss::Source(source) => {
                    let d = Diagnostic::new(
                        Rule::UnknownSource,
                        Label::new(source.span, "not a reference id"),
                        format!("map source `{}` is not in the references", source.value),
                    );
                    match suggest(&source.value) {
                        Some(s) => {
                            let text = &corpus.sources.get(source.span.file).text;
                            let fix = s
                                .clear
                                .then(|| yaml::rewrite_scalar(text, source.span.range(), s.word))
                                .flatten()
                                .map(|new| {
                                    let title = format!("replace with `{}`", s.word);
                                    Fix::replace(title, source.span, new, Applicability::Unsafe)
                                });
                            let d = d.with_help(format!("did you mean `{}`?", s.word));
                            match fix {
                                Some(fix) => d.with_fix(fix),
                                None => d,
                            }
                        }
                        None => d.with_help("add the paper to references/ as a CSL item"),
                    }
                }
                Miss::Key(claim, citation) => {
                    let d = Diagnostic::new(
                        Rule::UnknownReference,
                        Label::new(citation.key_span, "no such reference"),
                        format!(
                            "claim `{}` cites `@{}`, which is not in the references",
                            super::shown(&claim.id.value),
                            citation.key()
                        ),
                    );
                    match suggest(citation.key()) {
                        Some(s) => {
                            let d = d.with_help(format!("did you mean `@{}`?", s.word));
                            match key_fix(corpus, citation, s) {
                                Some(fix) => d.with_fix(fix),
                                None => d,
                            }
                        }
                        None => d.with_help("add the work to references/, or correct the key"),
                    }
                }
            };
            found.diagnostics.push(d);
        }
    }
    // Each map's findings in report order (all are in the map's file), once, as found.
    per_map
        .into_par_iter()
        .map(|(mut found, _)| {
            found.diagnostics.sort_by(order::cmp_in_file);
            found
        })
        .collect()
}

/// The citation findings of every map, kept from one analysis to the next by the host
/// that made them: a map's are reused while its file has the same revision and the
/// references are the same.
#[derive(Debug, Default)]
pub struct Kept {
    /// What the findings were found with.
    key: Option<Key>,
    /// Each map's findings, by the revision of its file.
    maps: HashMap<Revision, Arc<MapFindings>>,
    /// How many maps the analysis that kept them checked (the others' were kept).
    checked: usize,
}

impl Kept {
    /// How many maps the analysis that kept these findings checked.
    pub fn maps_checked(&self) -> usize {
        self.checked
    }
}

/// What every map's findings depend on besides the map: the reference files (by
/// revision), what could not be read of them, and whether locators are checked.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    references: Vec<Revision>,
    unread_references: bool,
    unread_reference_ids: Vec<String>,
    locators: bool,
}

impl Key {
    fn of(corpus: &Corpus, levels: &Levels) -> Key {
        let mut references: Vec<Revision> = Vec::new();
        let mut last = None;
        for r in &corpus.references {
            if last != Some(r.id.span.file) {
                last = Some(r.id.span.file);
                references.push(corpus.sources.get(r.id.span.file).revision);
            }
        }
        let mut unread_reference_ids: Vec<String> =
            corpus.unread_reference_ids.iter().cloned().collect();
        unread_reference_ids.sort_unstable();
        Key {
            references,
            unread_references: corpus.unread_references,
            unread_reference_ids,
            locators: levels.runs(Rule::LocatorOutOfRange),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rule::Rule;
    use crate::rules::findings_of;

    const REFS: &str = "references:\n  - {id: song2014, type: book, title: S, page: 10-20}\n  - {id: yun2012, type: book, title: Y}\n  - {id: duquette_share--income_2019, type: book, title: D}\n";

    fn map(claims: &str) -> String {
        format!("title: m\nsource: song2014\nclaims:\n{claims}")
    }

    fn check(claims: &str) -> Vec<(Rule, String, String)> {
        let map = map(claims);
        findings_of(&[("references/r.yaml", REFS), ("arguments/m.yaml", &map)])
            .into_iter()
            .filter(|(r, ..)| ![Rule::UnusedReference, Rule::IsolatedClaim].contains(r))
            .collect()
    }

    #[test]
    fn an_unknown_key_with_the_closest_id() {
        let found = check("  - id: a\n    text: Security first [@song2041, p. 12].\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Rule::UnknownReference);
        assert_eq!(found[0].1, "@song2041");
    }

    #[test]
    fn a_key_pandoc_cuts_short_is_reported_where_it_is_written() {
        let found = check("  - id: a\n    text: As argued [@duquette_share--income_2019].\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Rule::CutCitationKey);
        assert!(found[0].1.starts_with("@duquette_share"), "{found:?}");
    }

    #[test]
    fn a_claim_that_cites_nothing_and_a_locator_outside_the_work() {
        let found = check(
            "  - id: a\n    text: No source here.\n  - id: b\n    text: Trade [@song2014, p. 99].\n",
        );
        let rules: Vec<Rule> = found.iter().map(|(r, ..)| *r).collect();
        assert_eq!(
            rules,
            [Rule::UncitedClaim, Rule::LocatorOutOfRange],
            "{found:?}"
        );
        assert_eq!(found[1].1, "p. 99");
        // Inside the work's pages: no finding.
        assert!(check("  - id: b\n    text: Trade [@song2014, p. 12].\n").is_empty());
    }

    #[test]
    fn an_unknown_source_and_an_unused_reference() {
        let map = "title: m\nsource: song2041\nclaims:\n  - id: a\n    text: T [@song2014].\n";
        let found = findings_of(&[("references/r.yaml", REFS), ("arguments/m.yaml", map)]);
        let rules: Vec<(Rule, &str)> = found.iter().map(|(r, t, _)| (*r, t.as_str())).collect();
        assert_eq!(
            rules,
            [
                (Rule::UnknownSource, "song2041"),
                (Rule::UnusedReference, "yun2012"),
                (Rule::UnusedReference, "duquette_share--income_2019"),
            ],
            "{found:?}"
        );
    }
}
