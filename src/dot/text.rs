//! What a diagram says about a claim: its text as a reader sees it, its citations as
//! "Song 2014, p. 87", and where its node links to. Text is written into buffers the
//! writer reuses, as a large corpus has hundreds of thousands of citations.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::{ArgumentMap, Citation, CitationOrigin, Claim, Corpus, Reference};

/// A cited work with what a diagram shows of it, made once per reference.
pub(super) struct Work<'c> {
    pub reference: &'c Reference,
    /// "Song 2014".
    pub label: String,
    /// `https://doi.org/...` when the reference has a valid DOI.
    pub doi_url: Option<String>,
}

/// The references by id; the first of duplicates wins, as everywhere in argmap.
pub(super) type Works<'c> = HashMap<&'c str, Work<'c>>;

pub(super) fn works(corpus: &Corpus) -> Works<'_> {
    let mut works = HashMap::with_capacity_and_hasher(corpus.references.len(), Default::default());
    for reference in &corpus.references {
        works
            .entry(reference.id.value.as_str())
            .or_insert_with(|| Work {
                reference,
                label: reference.author_date(),
                doi_url: reference
                    .valid_doi()
                    .map(|d| format!("https://doi.org/{}", d.doi.url_path())),
            });
    }
    works
}

/// "Song 2014", or the key as written when no reference has it.
fn push_author_date(out: &mut String, key: &str, works: &Works) {
    match works.get(key) {
        Some(work) => out.push_str(&work.label),
        None => {
            out.push('@');
            out.push_str(key);
        }
    }
}

/// The claim's text without citation markup: bracketed groups (`[@song2014, p. 87]`)
/// are dropped, as the citation line or nodes show them, and an in-text `@song2014`
/// becomes "Song 2014". The raw text stays in the tooltip. Uses `scratch` only when
/// there is markup to remove.
pub(super) fn display_text<'a>(
    claim: &'a Claim,
    works: &Works,
    scratch: &'a mut String,
) -> &'a str {
    let text = claim.text();
    if !claim
        .citations
        .iter()
        .any(|c| c.origin == CitationOrigin::Text)
    {
        return text;
    }
    scratch.clear();
    // Every bracket of the text, found once: the nearest ones around a key tell whether
    // it is in a group (a group has no brackets inside).
    let brackets: Vec<usize> = text.match_indices(['[', ']']).map(|(i, _)| i).collect();
    // `text[..copied]` has been written (or dropped).
    let mut copied = 0;
    for c in claim
        .citations
        .iter()
        .filter(|c| c.origin == CitationOrigin::Text)
    {
        let range = c.item.key_range.clone();
        let is_key = text.get(range.clone()).is_some_and(|k| k.starts_with('@'));
        if !is_key || range.start < copied {
            continue; // a range the text does not hold, or a later key of the same group
        }
        let (before, after) = (&text[..range.start], &text[range.end..]);
        let open = brackets
            .partition_point(|&b| b < range.start)
            .checked_sub(1)
            .map(|i| brackets[i])
            .filter(|&o| text.as_bytes()[o] == b'[');
        let close = brackets
            .get(brackets.partition_point(|&b| b < range.end))
            .copied()
            .filter(|&c| text.as_bytes()[c] == b']');
        if let (Some(open), Some(close)) = (open, close) {
            // The group goes, with the space before it.
            scratch.push_str(&text[copied..before[..open].trim_end().len().max(copied)]);
            copied = close + 1;
            continue;
        }
        let start = if c.item.suppress_author && before.ends_with('-') {
            range.start - 1
        } else {
            range.start
        };
        scratch.push_str(&text[copied..start.max(copied)]);
        push_author_date(scratch, c.key(), works);
        copied = range.end;
        // `@key [p. 33]`: the bracket after an in-text key held its locator.
        let gap = after.len() - after.trim_start_matches(' ').len();
        if c.item.locator.is_some()
            && after[gap..].starts_with('[')
            && let Some(close) = after[gap..].find(']')
        {
            scratch.push_str(", ");
            push_locator(scratch, c);
            copied = range.end + gap + close + 1;
        }
    }
    scratch.push_str(&text[copied..]);
    scratch
}

/// The citations a diagram shows for a claim: each cited work once (the first citation
/// of it, for its locator), leaving out the map's own source unless a locator says
/// where in it: the map's label names the source already, and a line or an edge on
/// every claim would bury the other works.
pub(super) fn cited_works<'a>(
    map: &'a ArgumentMap,
    claim: &'a Claim,
) -> impl Iterator<Item = &'a Citation> {
    let source = map.source.as_ref().map(|s| s.value.as_str());
    // A few citations are checked against the ones before; many, against a set.
    let many = claim.citations.len() > 8;
    let mut seen: HashSet<&str> = HashSet::default();
    claim
        .citations
        .iter()
        .enumerate()
        .filter(move |&(i, c)| {
            let first = if many {
                seen.insert(c.key())
            } else {
                !claim.citations[..i].iter().any(|e| e.key() == c.key())
            };
            first && (Some(c.key()) != source || c.item.locator.is_some())
        })
        .map(|(_, c)| c)
}

/// Writes "Song 2014, p. 87; Yun and Park 2012", the line under a claim's text, into
/// `line` (cleared first).
pub(super) fn citation_line(map: &ArgumentMap, claim: &Claim, works: &Works, line: &mut String) {
    line.clear();
    for c in cited_works(map, claim) {
        if !line.is_empty() {
            line.push_str("; ");
        }
        push_author_date(line, c.key(), works);
        if c.item.locator.is_some() {
            line.push_str(", ");
            push_locator(line, c);
        }
    }
}

/// "p. 87" for a citation with a locator; a bare number is a page, as pandoc reads it.
pub(super) fn push_locator(out: &mut String, citation: &Citation) {
    if let Some(locator) = &citation.item.locator {
        out.push_str(if locator.label.is_empty() {
            "p."
        } else {
            &locator.label
        });
        out.push(' ');
        out.push_str(&locator.value);
    }
}

/// The link a claim's node opens: the DOI of the first cited work that has one, else
/// the URL of the first that has one.
pub(super) fn claim_url<'w>(claim: &Claim, works: &'w Works) -> Option<&'w str> {
    let mut url = None;
    for c in &claim.citations {
        let Some(work) = works.get(c.key()) else {
            continue;
        };
        if let Some(doi_url) = &work.doi_url {
            return Some(doi_url);
        }
        url = url.or(work.reference.web_url());
    }
    url
}

/// A reference node's link: its DOI, else its URL.
pub(super) fn reference_url<'w>(work: &'w Work) -> Option<&'w str> {
    work.doi_url.as_deref().or(work.reference.web_url())
}
