//! What a diagram says about a claim: its text as a reader sees it, its citations as
//! "Song 2014, p. 87", and where its node links to.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use crate::model::{ArgumentMap, Citation, CitationOrigin, Claim, Reference};

pub(super) type References<'c> = HashMap<&'c str, &'c Reference>;

/// The claim's text without citation markup: bracketed groups (`[@song2014, p. 87]`)
/// are dropped, as the citation line or nodes show them, and an in-text `@song2014`
/// becomes "Song 2014". The raw text stays in the tooltip.
pub(super) fn display_text<'t>(claim: &'t Claim, references: &References) -> Cow<'t, str> {
    let text = claim.text();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for c in &claim.citations {
        let range = c.item.key_range.clone();
        let is_key = text.get(range.clone()).is_some_and(|k| k.starts_with('@'));
        let done = edits.last().map_or(0, |e| e.1);
        if c.origin != CitationOrigin::Text || !is_key || range.start < done {
            continue; // a `cites` entry, a range the text does not hold, or the same group
        }
        let (before, after) = (&text[..range.start], &text[range.end..]);
        // A group has no brackets inside, so the nearest ones tell whether the key is in one.
        let open = before
            .rfind(['[', ']'])
            .filter(|&o| before.as_bytes()[o] == b'[');
        let close = after
            .find(['[', ']'])
            .filter(|&c| after.as_bytes()[c] == b']');
        if let (Some(open), Some(close)) = (open, close) {
            let start = before[..open].trim_end().len().max(done);
            edits.push((start, range.end + close + 1, String::new()));
            continue;
        }
        let mut start = range.start;
        if c.item.suppress_author && before.ends_with('-') {
            start -= 1;
        }
        let mut end = range.end;
        let mut name = author_date(c.key(), references);
        // `@key [p. 33]`: the bracket after an in-text key held its locator.
        let gap = after.len() - after.trim_start_matches(' ').len();
        if let (Some(locator), Some(close)) = (locator_text(c), after[gap..].find(']'))
            && after[gap..].starts_with('[')
        {
            end += gap + close + 1;
            name = format!("{name}, {locator}");
        }
        edits.push((start, end, name));
    }
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.push_str(&text[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

fn author_date(key: &str, references: &References) -> String {
    references
        .get(key)
        .map_or_else(|| format!("@{key}"), |r| r.author_date())
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
    claim
        .citations
        .iter()
        .enumerate()
        .filter(move |&(i, c)| {
            let first = !claim.citations[..i].iter().any(|e| e.key() == c.key());
            first && (Some(c.key()) != source || c.item.locator.is_some())
        })
        .map(|(_, c)| c)
}

/// "Song 2014, p. 87; Yun and Park 2012": the line under a claim's text.
pub(super) fn citation_line(map: &ArgumentMap, claim: &Claim, references: &References) -> String {
    let mut line = String::new();
    for c in cited_works(map, claim) {
        if !line.is_empty() {
            line.push_str("; ");
        }
        line.push_str(&author_date(c.key(), references));
        if let Some(locator) = locator_text(c) {
            line.push_str(", ");
            line.push_str(&locator);
        }
    }
    line
}

/// "p. 87" for a citation with a locator; a bare number is a page, as pandoc reads it.
pub(super) fn locator_text(citation: &Citation) -> Option<String> {
    let locator = citation.item.locator.as_ref()?;
    Some(match locator.label.as_str() {
        "" => format!("p. {}", locator.value),
        label => format!("{label} {}", locator.value),
    })
}

/// The link a claim's node opens: the DOI of the first cited work that has one, else
/// the URL of the first that has one.
pub(super) fn claim_url(claim: &Claim, references: &References) -> Option<String> {
    let cited = || {
        claim
            .citations
            .iter()
            .filter_map(|c| references.get(c.key()))
    };
    cited()
        .find_map(|r| r.valid_doi())
        .map(|d| format!("https://doi.org/{}", d.doi.url_path()))
        .or_else(|| {
            cited()
                .find_map(|r| r.url.as_ref())
                .map(|u| u.value.clone())
        })
}

/// A reference node's link: its DOI, else its URL.
pub(super) fn reference_url(reference: &Reference) -> Option<String> {
    match reference.valid_doi() {
        Some(d) => Some(format!("https://doi.org/{}", d.doi.url_path())),
        None => reference.url.as_ref().map(|u| u.value.clone()),
    }
}
