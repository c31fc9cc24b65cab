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
                    // A map that does not parse now is navigated as it last parsed.
                    if named.is_none()
                        && let Some(name) = &target.map
                        && let Some(m) = analysis.maps().skip(current).position(|m| m.name == *name)
                    {
                        let good = (current + m) as u32;
                        return (claim_in(analysis, good, &target.claim), Some(good));
                    }
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
    (
        named.and_then(|m| claim_in(analysis, m, &target.claim)),
        named,
    )
}

/// The first claim of id `id` in map `map` of [`Analysis::maps`].
fn claim_in(analysis: &Analysis, map: u32, id: &str) -> Option<ClaimAt> {
    let claims = &analysis.map(map)?.claims;
    let ci = claims.iter().position(|c| c.id.value == id)?;
    Some(ClaimAt {
        map,
        claim: ci as u32,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalysisHost;

    const REFS: &str = "references:\n  - id: song2014\n    type: book\n    title: S\n  - id: yun2012\n    type: book\n    title: Y\n";
    /// Non-ASCII text before the spans: `é` is two bytes of UTF-8 and one unit of UTF-16,
    /// `𝄞` four bytes and two units.
    const A: &str = "title: Ré𝄞\nsource: song2014\nclaims:\n  - id: thesis\n    text: Sécurité 𝄞 first [@song2014, p. 3].\n  - id: reason\n    text: Trade [@yun2012] and [@nowhere].\n    supports: [thesis, \"b:other\"]\n";
    const B: &str = "title: B\nsource: song2014\nclaims:\n  - id: other\n    text: O [@song2014].\n    attacks: [a:thesis]\n";

    fn host() -> AnalysisHost {
        let mut host = AnalysisHost::new();
        host.set_text("references/r.yaml", REFS);
        host.set_text("arguments/a.yaml", A);
        host.set_text("arguments/b.yaml", B);
        host
    }

    fn offset(text: &str, needle: &str) -> usize {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} in the text"))
    }

    #[test]
    fn what_is_at_a_position_and_where_it_is_defined() {
        let analysis = host().analysis();
        let a = analysis.file_id("arguments/a.yaml").unwrap();
        let refs = analysis.file_id("references/r.yaml").unwrap();
        let text = |span: Span| {
            let source = analysis.navigation_source(span.file).unwrap();
            source.text[span.range()].to_owned()
        };
        // A citation key, its reference.
        let (span, at) = analysis.at(a, offset(A, "@song2014, p.") + 3).unwrap();
        assert_eq!(text(span), "@song2014");
        let Occurrence::Citation { reference, .. } = at else {
            panic!("{at:?}")
        };
        assert_eq!(reference, Some(0));
        let definition = analysis.definition(&at).unwrap();
        assert_eq!(
            (definition.file, text(definition)),
            (refs, "song2014".to_owned())
        );
        // A key that names nothing has no definition.
        let (_, at) = analysis.at(a, offset(A, "@nowhere")).unwrap();
        assert_eq!(analysis.definition(&at), None);
        // A link: the id without its quotes, and the map and claim parts of `map:id`.
        let (span, at) = analysis.at(a, offset(A, "thesis, ")).unwrap();
        assert!(
            matches!(
                at,
                Occurrence::Link {
                    part: LinkPart::Claim,
                    ..
                }
            ),
            "{at:?}"
        );
        assert_eq!(text(span), "thesis");
        assert_eq!(text(analysis.definition(&at).unwrap()), "thesis");
        let (span, at) = analysis.at(a, offset(A, "b:other")).unwrap();
        assert!(
            matches!(
                at,
                Occurrence::Link {
                    part: LinkPart::Map,
                    ..
                }
            ),
            "{at:?}"
        );
        assert_eq!(text(span), "b");
        let b = analysis.file_id("arguments/b.yaml").unwrap();
        assert_eq!(analysis.definition(&at), Some(Span::new(b, 0, 0)));
        let (span, at) = analysis.at(a, offset(A, "other\"")).unwrap();
        assert!(
            matches!(
                at,
                Occurrence::Link {
                    part: LinkPart::Claim,
                    ..
                }
            ),
            "{at:?}"
        );
        assert_eq!(text(span), "other");
        let definition = analysis.definition(&at).unwrap();
        assert_eq!((definition.file, text(definition)), (b, "other".to_owned()));
        // A claim's id, a map's source, and nothing between.
        let (_, at) = analysis.at(a, offset(A, "id: reason") + 5).unwrap();
        assert!(
            matches!(at, Occurrence::Claim(ClaimAt { map: 0, claim: 1 })),
            "{at:?}"
        );
        let (_, at) = analysis.at(a, offset(A, "source: song") + 9).unwrap();
        assert!(
            matches!(
                at,
                Occurrence::Source {
                    map: 0,
                    reference: Some(0)
                }
            ),
            "{at:?}"
        );
        assert_eq!(analysis.at(a, offset(A, "claims:")), None);
        // A cursor just past a word is on it.
        let end = offset(A, "id: reason") + "id: reason".len();
        assert!(matches!(
            analysis.at(a, end),
            Some((_, Occurrence::Claim(_)))
        ));
    }

    #[test]
    fn every_place_that_names_a_claim_or_a_reference() {
        let analysis = host().analysis();
        let text = |span: &Span| {
            let source = analysis.navigation_source(span.file).unwrap();
            format!("{}:{}", source.path, &source.text[span.range()])
        };
        let song: Vec<String> = analysis
            .references(Target::Reference(0))
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            song,
            [
                "references/r.yaml:song2014",
                "arguments/a.yaml:song2014",
                "arguments/a.yaml:@song2014",
                "arguments/b.yaml:song2014",
                "arguments/b.yaml:@song2014",
            ],
            "the definition first, then the sources and citations in file order"
        );
        let thesis = ClaimAt { map: 0, claim: 0 };
        let links: Vec<String> = analysis
            .references(Target::Claim(thesis))
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            links,
            [
                "arguments/a.yaml:thesis",
                "arguments/a.yaml:thesis",
                "arguments/b.yaml:thesis"
            ]
        );
        // The graph answers the same questions in its terms.
        let graph = analysis.graph();
        assert_eq!(graph.citations_of(0).len(), 2);
        assert_eq!(graph.citations_of(1).len(), 1);
        assert_eq!(graph.links_to(graph.node(0, 0)).len(), 2);
    }

    #[test]
    fn ranges_count_in_the_encoding_asked_for() {
        let analysis = host().analysis();
        let a = analysis.file_id("arguments/a.yaml").unwrap();
        let (span, _) = analysis.at(a, offset(A, "@song2014, p.")).unwrap();
        let line = 4;
        let utf8 = analysis.range(span, Encoding::Utf8).unwrap();
        let utf16 = analysis.range(span, Encoding::Utf16).unwrap();
        let before = "    text: Sécurité 𝄞 first [";
        assert_eq!(utf8.start, (line, before.len()));
        assert_eq!(utf16.start, (line, before.encode_utf16().count()));
        assert_eq!(utf16.end.1 - utf16.start.1, "@song2014".len());
        assert_ne!(utf8.start, utf16.start, "the text before is not ASCII");
        // And back.
        let back = analysis
            .offset(a, line, utf16.start.1, Encoding::Utf16)
            .unwrap();
        assert_eq!(back, span.start as usize);
    }

    #[test]
    fn a_map_that_no_longer_parses_is_navigated_as_it_last_parsed() {
        let mut host = host();
        let broken = A.replace("supports: [thesis", "supports: [[thesis");
        host.set_text("arguments/a.yaml", broken.as_str());
        let analysis = host.analysis();
        assert!(
            analysis
                .diagnostics
                .iter()
                .any(|d| d.rule == Rule::YamlSyntax),
            "diagnostics come from the new text"
        );
        assert!(analysis.corpus().maps.iter().all(|m| m.name != "a"));
        let a = analysis.file_id("arguments/a.yaml").unwrap();
        // Navigation from the last good parse, in its text.
        assert_eq!(analysis.navigation_source(a).unwrap().text, A);
        let (_, at) = analysis.at(a, offset(A, "@yun2012") + 1).unwrap();
        assert!(
            matches!(
                at,
                Occurrence::Citation {
                    reference: Some(1),
                    ..
                }
            ),
            "{at:?}"
        );
        let (_, at) = analysis.at(a, offset(A, "thesis, ")).unwrap();
        let Occurrence::Link { to: Some(to), .. } = at else {
            panic!("{at:?}")
        };
        assert!(analysis.is_last_good(to.map));
        assert_eq!(
            analysis.map(to.map).unwrap().claims[to.claim as usize]
                .id
                .value,
            "thesis"
        );
        // b's link into a finds the claim in the last good parse (the graph has no map a).
        let b = analysis.file_id("arguments/b.yaml").unwrap();
        let (_, at) = analysis.at(b, offset(B, "a:thesis") + 3).unwrap();
        assert!(
            matches!(at, Occurrence::Link { to: Some(t), .. } if t == to),
            "{at:?}"
        );
        // Fixed again: no last good parse is kept.
        host.set_text("arguments/a.yaml", A);
        let analysis = host.analysis();
        assert!(analysis.maps().count() == 2 && !analysis.is_last_good(1));
    }
}
