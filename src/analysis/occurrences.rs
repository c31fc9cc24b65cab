//! What is written where: for each file, every place a front end asks about (a claim's id,
//! a link entry and the map and claim parts of `map:id`, a citation key, a reference's id,
//! a map's `source:`, an `argmap-allow:` entry), sorted by place, and the questions asked of
//! them: what is at a position, where it is defined, what refers to it. Built from the
//! analysis's model and graph at the first question, and from the last good parse of a map
//! file that does not parse now.

use rustc_hash::FxHashMap as HashMap;

use super::Analysis;
use crate::model::{ArgumentMap, ClaimRef, Link};
use crate::rule::Rule;
use crate::source::{Encoding, FileId, SourceFile, Span};

/// A claim of [`Analysis::maps`]: the map's index there and the claim's index in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimAt {
    /// The map, by its index in [`Analysis::maps`].
    pub map: u32,
    /// The claim, by its index in the map.
    pub claim: u32,
}

/// Which part of a `supports:`/`attacks:` entry a place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPart {
    /// The map name of `map:id`.
    Map,
    /// The claim id (`id`, or the `id` of `map:id`), without quotes.
    Claim,
    /// The entry as written, where its parts cannot be told apart (an escape in it).
    Whole,
}

/// What is written at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    /// A claim's `id:` value: the claim's definition.
    Claim(ClaimAt),
    /// A link entry, or one part of it.
    Link {
        /// The claim the link is written on.
        from: ClaimAt,
        /// Its index among the claim's links.
        link: u32,
        /// Which part of the entry.
        part: LinkPart,
        /// The claim it names, when it names one.
        to: Option<ClaimAt>,
        /// The map it names (its own for a bare `id`), when there is one of that name.
        map: Option<u32>,
    },
    /// A citation key (`@key`) in a claim's `text` or `cites`.
    Citation {
        /// The claim.
        claim: ClaimAt,
        /// Its index among the claim's citations.
        citation: u32,
        /// The reference it names (the first of its id), when one does.
        reference: Option<u32>,
    },
    /// A reference's `id:` value: the reference's definition.
    Reference(u32),
    /// A map's `source:` value.
    Source {
        /// The map, by its index in [`Analysis::maps`].
        map: u32,
        /// The reference it names, when one does.
        reference: Option<u32>,
    },
    /// An `argmap-allow:` entry.
    Allow(Rule),
}

/// Every file's places, each file's sorted by start.
#[derive(Debug, Default)]
pub(super) struct Table {
    files: HashMap<FileId, Vec<(Span, Occurrence)>>,
}

/// The span of `part` of the link entry `link` (`map:id`, `id`, either quoted), found in
/// the text as written; `None` when it is not there as it is (written through an escape).
fn part_span(text: &str, link: &Link, part: LinkPart) -> Option<Span> {
    let span = link.span;
    let written = text.get(span.range())?;
    let (offset, len) = match (part, &link.target.map) {
        (LinkPart::Map, Some(map)) => (written.find(&format!("{map}:"))?, map.len()),
        (LinkPart::Claim, Some(map)) => {
            let at = written.find(&format!("{map}:{}", link.target.claim))?;
            (at + map.len() + 1, link.target.claim.len())
        }
        (LinkPart::Claim, None) => (
            written.find(link.target.claim.as_str())?,
            link.target.claim.len(),
        ),
        _ => return None,
    };
    let start = span.start as usize + offset;
    Some(Span::new(span.file, start, start + len))
}

impl Table {
    pub(super) fn new(analysis: &Analysis) -> Table {
        let graph = analysis.graph();
        let corpus = analysis.corpus();
        let mut table = Table::default();
        let current = corpus.maps.len();
        for (mi, map) in analysis.maps().enumerate() {
            let Some(source) = analysis.navigation_source(map.file) else {
                continue;
            };
            let places = table.files.entry(map.file).or_default();
            let resolve = |target: &ClaimRef| -> (Option<ClaimAt>, Option<u32>) {
                if mi < current {
                    let to = graph.resolve(mi, target).map(|n| {
                        let (map, claim) = graph.split(n);
                        ClaimAt {
                            map: map as u32,
                            claim: claim as u32,
                        }
                    });
                    let named = match &target.map {
                        None => Some(mi as u32),
                        Some(name) => graph.map_index(name).map(|m| m as u32),
                    };
                    return (to, named);
                }
                // A last good parse is in no graph: its own ids are looked up in it, the
                // others' in the model.
                resolve_last_good(analysis, mi as u32, map, target)
            };
            if let Some(s) = &map.source {
                let reference = graph.reference_index(&s.value).map(|r| r as u32);
                places.push((
                    s.span,
                    Occurrence::Source {
                        map: mi as u32,
                        reference,
                    },
                ));
            }
            for (ci, claim) in map.claims.iter().enumerate() {
                let at = ClaimAt {
                    map: mi as u32,
                    claim: ci as u32,
                };
                places.push((claim.id.span, Occurrence::Claim(at)));
                for (li, link) in claim.links.iter().enumerate() {
                    let (to, named) = resolve(&link.target);
                    let occurrence = |part| Occurrence::Link {
                        from: at,
                        link: li as u32,
                        part,
                        to,
                        map: named,
                    };
                    let claim_part = part_span(&source.text, link, LinkPart::Claim);
                    let map_part = part_span(&source.text, link, LinkPart::Map);
                    match (claim_part, link.target.map.is_some()) {
                        (Some(claim), false) => places.push((claim, occurrence(LinkPart::Claim))),
                        (Some(claim), true) if map_part.is_some() => {
                            places.push((map_part.unwrap_or(claim), occurrence(LinkPart::Map)));
                            places.push((claim, occurrence(LinkPart::Claim)));
                        }
                        _ => places.push((link.span, occurrence(LinkPart::Whole))),
                    }
                }
                for (i, citation) in claim.citations.iter().enumerate() {
                    let reference = graph.reference_index(citation.key()).map(|r| r as u32);
                    places.push((
                        citation.key_span,
                        Occurrence::Citation {
                            claim: at,
                            citation: i as u32,
                            reference,
                        },
                    ));
                }
                for allow in &claim.allow {
                    places.push((allow.span, Occurrence::Allow(allow.value)));
                }
            }
        }
        for (ri, reference) in corpus.references.iter().enumerate() {
            let places = table.files.entry(reference.id.span.file).or_default();
            places.push((reference.id.span, Occurrence::Reference(ri as u32)));
            for allow in &reference.allow {
                places.push((allow.span, Occurrence::Allow(allow.value)));
            }
        }
        for places in table.files.values_mut() {
            places.sort_by_key(|(span, _)| (span.start, span.end));
        }
        table
    }

    fn of(&self, file: FileId) -> &[(Span, Occurrence)] {
        self.files.get(&file).map_or(&[], Vec::as_slice)
    }
}

/// Where a link of a last good parse leads: its own claims by id, another map's through
/// the model.
fn resolve_last_good(
    analysis: &Analysis,
    mi: u32,
    map: &ArgumentMap,
    target: &ClaimRef,
) -> (Option<ClaimAt>, Option<u32>) {
    let named = match &target.map {
        None => Some(mi),
        Some(name) if *name == map.name => Some(mi),
        Some(name) => analysis.graph().map_index(name).map(|m| m as u32),
    };
    let to = named.and_then(|m| {
        let claims = &analysis.map(m)?.claims;
        let ci = claims.iter().position(|c| c.id.value == target.claim)?;
        Some(ClaimAt {
            map: m,
            claim: ci as u32,
        })
    });
    (to, named)
}

/// A range as editors count it: 0-based lines, and columns in the code units of an
/// encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The first line and column.
    pub start: (usize, usize),
    /// The line and column past the end.
    pub end: (usize, usize),
}

impl Analysis {
    fn table(&self) -> &Table {
        self.occurrences.get_or_init(|| Table::new(self))
    }

    /// Every place of `file` a front end asks about, sorted by place (in the text of
    /// [`Analysis::navigation_source`]).
    pub fn occurrences(&self, file: FileId) -> &[(Span, Occurrence)] {
        self.table().of(file)
    }

    /// What is written at byte `offset` of `file`: the place that holds it (a cursor just
    /// past a word counts as on it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<(Span, Occurrence)> {
        let places = self.occurrences(file);
        let offset = offset as u32;
        let after = places.partition_point(|(span, _)| span.start <= offset);
        places[..after]
            .iter()
            .rev()
            .take(8)
            .find(|(span, _)| span.start <= offset && offset <= span.end)
            .copied()
    }

    /// The claim's `id:` value.
    pub fn claim_span(&self, claim: ClaimAt) -> Option<Span> {
        let map = self.map(claim.map)?;
        Some(map.claims.get(claim.claim as usize)?.id.span)
    }

    /// Where what is at a place is defined: a claim's id for a claim or a link to it, a
    /// reference's id for a citation, a `source:` or a reference, the start of a map's
    /// file for the map part of `map:id`.
    pub fn definition(&self, occurrence: &Occurrence) -> Option<Span> {
        match *occurrence {
            Occurrence::Claim(at) => self.claim_span(at),
            Occurrence::Link {
                part: LinkPart::Map,
                map,
                ..
            } => Some(Span::new(self.map(map?)?.file, 0, 0)),
            Occurrence::Link { to, .. } => self.claim_span(to?),
            Occurrence::Citation { reference, .. } | Occurrence::Source { reference, .. } => {
                Some(self.corpus.references.get(reference? as usize)?.id.span)
            }
            Occurrence::Reference(r) => Some(self.corpus.references.get(r as usize)?.id.span),
            Occurrence::Allow(_) => None,
        }
    }

    /// The claim or reference a place is about, as [`Analysis::references`] takes it.
    pub fn target(&self, occurrence: &Occurrence) -> Option<Target> {
        match *occurrence {
            Occurrence::Claim(at) => Some(Target::Claim(at)),
            Occurrence::Link {
                part: LinkPart::Map,
                ..
            } => None,
            Occurrence::Link { to, .. } => Some(Target::Claim(to?)),
            Occurrence::Citation { reference, .. } | Occurrence::Source { reference, .. } => {
                Some(Target::Reference(reference?))
            }
            Occurrence::Reference(r) => Some(Target::Reference(r)),
            Occurrence::Allow(_) => None,
        }
    }

    /// Every place that names a claim or a reference, in file order, its definition first:
    /// for a claim, the id of each link to it (the claim part of `map:id`); for a
    /// reference, every citation of it and every `source:` naming it. The places are those
    /// of [`Analysis::occurrences`], in every file (last good parses included).
    pub fn references(&self, target: Target) -> Vec<Span> {
        let mut found: Vec<Span> = Vec::new();
        let table = self.table();
        let mut files: Vec<&FileId> = table.files.keys().collect();
        files.sort();
        for file in files {
            for (span, occurrence) in table.of(*file) {
                let names = match (*occurrence, target) {
                    (Occurrence::Claim(at), Target::Claim(t)) => at == t,
                    (
                        Occurrence::Link {
                            to: Some(to),
                            part: LinkPart::Claim | LinkPart::Whole,
                            ..
                        },
                        Target::Claim(t),
                    ) => to == t,
                    (Occurrence::Reference(r), Target::Reference(t)) => r == t,
                    (
                        Occurrence::Citation {
                            reference: Some(r), ..
                        }
                        | Occurrence::Source {
                            reference: Some(r), ..
                        },
                        Target::Reference(t),
                    ) => r == t,
                    _ => false,
                };
                if names {
                    found.push(*span);
                }
            }
        }
        if let Some(definition) = match target {
            Target::Claim(at) => self.claim_span(at),
            Target::Reference(r) => self.corpus.references.get(r as usize).map(|r| r.id.span),
        } && let Some(i) = found.iter().position(|s| *s == definition)
        {
            let definition = found.remove(i);
            found.insert(0, definition);
        }
        found
    }

    /// A span as editors count it, in the text navigation reads for its file.
    pub fn range(&self, span: Span, encoding: Encoding) -> Option<Range> {
        let source: &SourceFile = self.navigation_source(span.file)?;
        Some(Range {
            start: source.line_column(span.start as usize, encoding),
            end: source.line_column(span.end as usize, encoding),
        })
    }

    /// The byte offset of a 0-based line and column (in `encoding`'s units) of `file`, in
    /// the text navigation reads.
    pub fn offset(
        &self,
        file: FileId,
        line: usize,
        column: usize,
        encoding: Encoding,
    ) -> Option<usize> {
        Some(
            self.navigation_source(file)?
                .offset_of(line, column, encoding),
        )
    }
}

/// What [`Analysis::references`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A claim, and the links to it.
    Claim(ClaimAt),
    /// A reference (the first of its id), and the citations and sources naming it.
    Reference(u32),
}
