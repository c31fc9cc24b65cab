//! The fast path: a well-formed file deserialised straight into typed structs.
//!
//! Most files in a check are valid, and building the generic spanned tree costs about as
//! much as parsing itself. So each file is first read into strict structs (unknown fields
//! denied, every value's type fixed) and converted to the model. Anything unusual (an
//! unknown field, a wrong type, an invalid id, a link or citation that does not parse)
//! makes the fast path give up, and the file is read again by the tree-based path, which
//! reports every problem. Both paths build the same model; a test holds them to it.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;

use super::{CSL_TYPES, cites_citation, next_char_boundary, text_citations, valid_claim_id};
use crate::doi;
use crate::model::{ArgumentMap, Claim, ClaimRef, Date, DoiField, Link, Name, Reference, Relation};
use crate::source::{self, FileId, Span};

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    title: S,
    source: S,
    claims: Vec<Spanned<ClaimEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimEntry {
    id: S,
    text: S,
    #[serde(default)]
    cites: Vec<S>,
    #[serde(default)]
    supports: Vec<S>,
    #[serde(default)]
    attacks: Vec<S>,
    section: Option<S>,
    quote: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    references: Vec<Spanned<Item>>,
}

/// A CSL item with the variables bibliographies commonly use; any other variable sends
/// the file to the tree-based path.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)] // some fields are read only to check their type
struct Item {
    id: S,
    #[serde(rename = "type")]
    csl_type: S,
    title: S,
    #[serde(default)]
    author: Vec<NameEntry>,
    #[serde(default)]
    editor: Vec<NameEntry>,
    #[serde(default)]
    translator: Vec<NameEntry>,
    issued: Option<DateEntry>,
    published_print: Option<DateEntry>,
    accessed: Option<DateEntry>,
    event_date: Option<DateEntry>,
    original_date: Option<DateEntry>,
    available_date: Option<DateEntry>,
    submitted: Option<DateEntry>,
    container_title: Option<S>,
    #[serde(rename = "DOI")]
    doi: Option<S>,
    #[serde(rename = "URL")]
    url: Option<S>,
    note: Option<S>,
    volume: Option<Scalar>,
    issue: Option<Scalar>,
    page: Option<Scalar>,
    publisher: Option<Scalar>,
    publisher_place: Option<Scalar>,
    edition: Option<Scalar>,
    number: Option<Scalar>,
    genre: Option<Scalar>,
    language: Option<Scalar>,
    collection_title: Option<Scalar>,
    container_title_short: Option<Scalar>,
    title_short: Option<Scalar>,
    event_title: Option<Scalar>,
    event_place: Option<Scalar>,
    medium: Option<Scalar>,
    #[serde(rename = "ISBN")]
    isbn: Option<Scalar>,
    #[serde(rename = "ISSN")]
    issn: Option<Scalar>,
    #[serde(rename = "abstract")]
    abstract_: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)] // some fields are read only to check their type
struct NameEntry {
    family: Option<String>,
    given: Option<String>,
    non_dropping_particle: Option<String>,
    literal: Option<String>,
    dropping_particle: Option<Scalar>,
    suffix: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DateEntry {
    date_parts: Vec<Vec<Option<Number>>>,
}

/// Any scalar (text, number, boolean), but not a collection.
struct Scalar;

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Scalar, E> {
                Ok(Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Scalar, E> {
                Ok(Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Scalar, E> {
                Ok(Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Scalar, E> {
                Ok(Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Scalar, E> {
                Ok(Scalar)
            }
        }
        d.deserialize_any(V)
    }
}

/// A date part: an integer, or text holding one.
struct Number(i64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v).map(Number).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                v.trim().parse().map(Number).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Converts serde-saphyr spans into model spans.
struct Spans<'a> {
    file: FileId,
    text: &'a str,
}

impl Spans<'_> {
    fn range<T>(&self, s: &Spanned<T>) -> Range<usize> {
        let span = s.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        start..start + span.byte_len().unwrap_or(0) as usize
    }

    /// A scalar's span.
    fn scalar(&self, s: &S) -> source::Spanned<String> {
        let r = self.range(s);
        source::Spanned::new(s.value.clone(), Span::new(self.file, r.start, r.end))
    }

    /// A collection's span: its first character, as the tree-based path labels it.
    fn collection<T>(&self, s: &Spanned<T>) -> Span {
        let start = self.range(s).start.min(self.text.len());
        Span::new(self.file, start, next_char_boundary(self.text, start))
    }
}

/// Reads a valid argument map, or `None` when the tree-based path must judge the file.
pub(super) fn map(text: &str, file: FileId, name: &str) -> Option<ArgumentMap> {
    let parsed: MapFile = serde_saphyr::from_str_with_options(text, super::yaml_options()).ok()?;
    let spans = Spans { file, text };
    if parsed.claims.is_empty() {
        return None;
    }
    let mut claims = Vec::with_capacity(parsed.claims.len());
    for entry in &parsed.claims {
        let c = &entry.value;
        if !valid_claim_id(&c.id.value) {
            return None;
        }
        let mut citations = text_citations(file, text, spans.range(&c.text), &c.text.value);
        for cite in &c.cites {
            citations.push(cites_citation(file, text, spans.range(cite), &cite.value).ok()?);
        }
        let mut links = Vec::with_capacity(c.supports.len() + c.attacks.len());
        for (relation, entries) in [
            (Relation::Supports, &c.supports),
            (Relation::Attacks, &c.attacks),
        ] {
            for target in entries {
                links.push(Link {
                    relation,
                    target: ClaimRef::parse(&target.value)?,
                    span: spans.scalar(target).span,
                });
            }
        }
        links.sort_by_key(|l| l.span.start);
        claims.push(Claim {
            id: spans.scalar(&c.id),
            text: Some(spans.scalar(&c.text)),
            citations,
            links,
            section: c.section.as_ref().map(|s| spans.scalar(s)),
            quote: c.quote.as_ref().map(|s| spans.scalar(s)),
            span: spans.collection(entry),
        });
    }
    Some(ArgumentMap {
        name: name.to_owned(),
        file,
        title: Some(spans.scalar(&parsed.title)),
        source: Some(spans.scalar(&parsed.source)),
        claims,
    })
}

/// Reads a valid reference file, or `None` when the tree-based path must judge the file.
pub(super) fn references(text: &str, file: FileId) -> Option<Vec<Reference>> {
    let parsed: ReferenceFile =
        serde_saphyr::from_str_with_options(text, super::yaml_options()).ok()?;
    let spans = Spans { file, text };
    let mut out = Vec::with_capacity(parsed.references.len());
    for entry in &parsed.references {
        let item = &entry.value;
        if !CSL_TYPES.contains(&item.csl_type.value.as_str()) {
            return None;
        }
        out.push(Reference {
            id: spans.scalar(&item.id),
            csl_type: spans.scalar(&item.csl_type),
            title: spans.scalar(&item.title),
            authors: names(&item.author)?,
            editors: names(&item.editor)?,
            issued: date(item.issued.as_ref())?,
            published_print: date(item.published_print.as_ref())?,
            container_title: item.container_title.as_ref().map(|s| spans.scalar(s)),
            doi: item.doi.as_ref().map(|s| {
                let raw = spans.scalar(s);
                DoiField {
                    parsed: doi::parse(&raw.value),
                    raw,
                }
            }),
            url: item.url.as_ref().map(|s| spans.scalar(s)),
            note: item.note.as_ref().map(|s| spans.scalar(s)),
            span: spans.collection(entry),
        });
    }
    Some(out)
}

fn names(entries: &[NameEntry]) -> Option<Vec<Name>> {
    entries
        .iter()
        .map(|n| match (&n.family, &n.literal) {
            (Some(family), _) => Some(Name::Personal {
                family: family.clone(),
                given: n.given.clone(),
                particle: n.non_dropping_particle.clone(),
            }),
            (None, Some(literal)) => Some(Name::Literal(literal.clone())),
            (None, None) => None,
        })
        .collect()
}

/// `Some(None)` when there is no date; `None` when the tree-based path must judge it.
fn date(entry: Option<&DateEntry>) -> Option<Option<Date>> {
    let Some(entry) = entry else {
        return Some(None);
    };
    let Some(parts) = entry.date_parts.first() else {
        return Some(None);
    };
    let part = |i: usize| parts.get(i).and_then(|p| p.as_ref()).map(|n| n.0);
    let Some(year) = part(0) else {
        return Some(None);
    };
    Some(Some(Date {
        year: i32::try_from(year).ok()?,
        month: part(1).and_then(|m| u8::try_from(m).ok()),
        day: part(2).and_then(|d| u8::try_from(d).ok()),
    }))
}
