//! The fast path: a well-formed file read straight from the YAML event stream.
//!
//! Most files in a check are valid, and the generic spanned tree costs more than parsing
//! itself (serde-saphyr's span wrappers and the tree's allocations: about 60% of loading on
//! the benchmark corpus). So each file is first read from the events of granit-parser (the
//! parser serde-saphyr is built on, and re-exports) by a small reader that accepts only
//! the plain, expected shape: known fields, each once, with the expected kind of value, no
//! tags, anchors or aliases. Anything else makes the fast path give up, and the file is
//! read again by the serde-based tree reader, which reports every problem. Both paths build
//! the same model; a test holds them to it.

use std::borrow::Cow;
use std::ops::Range;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span as EventSpan, StrInput};

use super::{CSL_TYPES, cites_citation, next_char_boundary, text_citations, valid_claim_id};
use crate::csl::{self, DATE_VARIABLES, NAME_PARTS, NAME_VARIABLES, STRUCTURED};
use crate::doi;
use crate::format::{self, ClaimField, LinkField, MapField, ReferenceFileField};
use crate::model::{
    ArgumentMap, Citation, Claim, ClaimKind, ClaimRef, CslValue, Date, DoiField, Link, LinkBy,
    Name, Reference, Relation,
};
use crate::rule::Rule;
use crate::source::{FileId, Span, Spanned};

/// Gives up: the tree-based path will read the file.
pub(super) type Fast<T> = Option<T>;

/// The keys of one mapping read so far, to refuse a repeated one: on the stack for the
/// mappings argmap's formats have (a handful of keys; a reference's dozen or so), for
/// there is one per claim, reference, name and date.
type Seen<'a> = smallvec::SmallVec<[Cow<'a, str>; 16]>;

/// A scalar's text and its byte range in the source.
#[derive(Debug, PartialEq)]
pub(super) struct Scalar<'a> {
    pub(super) value: Cow<'a, str>,
    pub(super) range: Range<usize>,
    /// Plain style: neither quoted nor a block scalar.
    pub(super) plain: bool,
}

impl Scalar<'_> {
    /// Plain `~`, `null` or nothing: YAML's null, which is not text.
    fn is_null(&self) -> bool {
        self.plain && matches!(self.value.as_ref(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// A node of the document: what the fast reader asks of YAML.
#[derive(Debug, PartialEq)]
pub(super) enum Node<'a> {
    Scalar(Scalar<'a>),
    SeqStart,
    /// A mapping, at the byte offset of its start.
    MapStart(usize),
    SeqEnd,
    MapEnd,
}

/// Where the nodes of one document come from: granit-parser's events, or the scanner of
/// the plain shape ([`super::scan`]), which yields the same nodes for the files it accepts.
pub(super) trait Nodes<'a> {
    /// `StreamStart DocumentStart`, or whatever stands before the root node.
    fn document_start(&mut self) -> Fast<()>;
    /// The next node; gives up on tags, anchors, aliases and anything unexpected.
    fn node(&mut self) -> Fast<Node<'a>>;
    /// After the root node: `DocumentEnd StreamEnd`, nothing else.
    fn document_end(&mut self) -> Fast<()>;
}

impl<'a> Nodes<'a> for Parser<'a, StrInput<'a>> {
    fn document_start(&mut self) -> Fast<()> {
        matches!(self.next()?.ok()?.0, Event::StreamStart).then_some(())?;
        matches!(self.next()?.ok()?.0, Event::DocumentStart(..)).then_some(())
    }

    fn node(&mut self) -> Fast<Node<'a>> {
        fn offset(marker: &serde_saphyr::granit_parser::Marker) -> Fast<usize> {
            marker.byte_offset()
        }
        fn range(span: &EventSpan) -> Fast<Range<usize>> {
            Some(offset(&span.start)?..offset(&span.end)?)
        }
        let (event, span) = self.next()?.ok()?;
        match event {
            Event::Scalar(value, style, 0, None) => Some(Node::Scalar(Scalar {
                value,
                range: range(&span)?,
                plain: style == ScalarStyle::Plain,
            })),
            Event::SequenceStart(_, 0, None) => Some(Node::SeqStart),
            Event::MappingStart(_, 0, None) => Some(Node::MapStart(offset(&span.start)?)),
            Event::SequenceEnd => Some(Node::SeqEnd),
            Event::MappingEnd => Some(Node::MapEnd),
            _ => None,
        }
    }

    fn document_end(&mut self) -> Fast<()> {
        matches!(self.next()?.ok()?.0, Event::DocumentEnd).then_some(())?;
        matches!(self.next()?.ok()?.0, Event::StreamEnd).then_some(())
    }
}

/// The scanner's nodes, all of the document's.
impl<'a> Nodes<'a> for std::vec::IntoIter<Node<'a>> {
    fn document_start(&mut self) -> Fast<()> {
        Some(())
    }

    fn node(&mut self) -> Fast<Node<'a>> {
        self.next()
    }

    fn document_end(&mut self) -> Fast<()> {
        self.next().is_none().then_some(())
    }
}

/// The nodes of one file, with the checks every node shares.
struct Reader<'a, N> {
    events: N,
    text: &'a str,
    file: FileId,
    /// A claim's `cites` and links as they are read, reused from claim to claim: each
    /// claim's own lists are then allocated once, at their length.
    cites: Vec<Citation>,
    links: Vec<Link>,
}

impl<'a, N: Nodes<'a>> Reader<'a, N> {
    fn new(events: N, text: &'a str, file: FileId) -> Self {
        Reader {
            events,
            text,
            file,
            cites: Vec::new(),
            links: Vec::new(),
        }
    }

    fn next(&mut self) -> Fast<Node<'a>> {
        self.events.node()
    }

    /// The document's start, then the root mapping's.
    fn document_start(&mut self) -> Fast<()> {
        self.events.document_start()?;
        matches!(self.next()?, Node::MapStart(_)).then_some(())
    }

    /// After the root mapping's end: nothing else.
    fn document_end(&mut self) -> Fast<()> {
        self.events.document_end()
    }

    /// The next key of the current mapping, or `None` inside `Some` at its end.
    fn key(&mut self, seen: &mut Seen<'a>) -> Fast<Option<Cow<'a, str>>> {
        match self.next()? {
            Node::MapEnd => Some(None),
            Node::Scalar(s) if !s.is_null() => {
                // A repeated key is a syntax error the tree path reports.
                if seen.contains(&s.value) {
                    return None;
                }
                seen.push(s.value.clone());
                Some(Some(s.value))
            }
            _ => None,
        }
    }

    /// A scalar that is text (numbers and booleans keep their spelling), not null.
    fn text(&mut self) -> Fast<Spanned<String>> {
        match self.next()? {
            Node::Scalar(s) if !s.is_null() => Some(self.spanned(s)),
            _ => None,
        }
    }

    fn spanned(&self, s: Scalar) -> Spanned<String> {
        Spanned::new(
            s.value.into_owned(),
            Span::new(self.file, s.range.start, s.range.end),
        )
    }

    /// A collection's span: its first character, as the tree-based path labels it.
    fn collection_span(&self, start: usize) -> Span {
        let start = start.min(self.text.len());
        Span::new(self.file, start, next_char_boundary(self.text, start))
    }

    /// A list whose entries are each read by `entry` from their first event.
    fn list<T>(&mut self, mut entry: impl FnMut(&mut Self, Node<'a>) -> Fast<T>) -> Fast<Vec<T>> {
        let Node::SeqStart = self.next()? else {
            return None;
        };
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Node::SeqEnd => return Some(out),
                node => out.push(entry(self, node)?),
            }
        }
    }

    /// Each entry of a list of text scalars, given to `entry` in order (without gathering
    /// them first: a claim has such lists).
    fn each_text(&mut self, mut entry: impl FnMut(Scalar<'a>) -> Fast<()>) -> Fast<()> {
        let Node::SeqStart = self.next()? else {
            return None;
        };
        loop {
            match self.next()? {
                Node::SeqEnd => return Some(()),
                Node::Scalar(s) if !s.is_null() => entry(s)?,
                _ => return None,
            }
        }
    }

    /// A list of mappings, each read by `item` (given the mapping's start offset).
    fn mappings<T>(&mut self, mut item: impl FnMut(&mut Self, usize) -> Fast<T>) -> Fast<Vec<T>> {
        self.list(|reader, node| match node {
            Node::MapStart(start) => item(reader, start),
            _ => None,
        })
    }

    /// Any scalar (a CSL variable the model does not keep), but not a collection.
    fn skip_scalar(&mut self) -> Fast<()> {
        matches!(self.next()?, Node::Scalar(_)).then_some(())
    }

    // ---- argument maps ----

    fn map(mut self, name: &str) -> Fast<ArgumentMap> {
        self.document_start()?;
        let (mut title, mut source, mut claims) = (None, None, None);
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match format::MAP.lookup(&key)?.field {
                MapField::Title => title = Some(self.text()?),
                MapField::Source => source = Some(self.text()?),
                MapField::Claims => claims = Some(self.claims()?),
            }
        }
        self.document_end()?;
        Some(ArgumentMap {
            name: name.to_owned(),
            file: self.file,
            title: Some(title?),
            source: Some(source?),
            claims: claims?,
            facts: Default::default(),
        })
    }

    fn claims(&mut self) -> Fast<Vec<Claim>> {
        let claims = self.mappings(Self::claim)?;
        (!claims.is_empty()).then_some(claims)
    }

    fn claim(&mut self, start: usize) -> Fast<Claim> {
        let (mut id, mut text, mut section, mut quote, mut note) = (None, None, None, None, None);
        let (mut kind, mut kind_span) = (ClaimKind::Argument, None);
        let mut conclusion = None;
        let mut citations = Vec::new();
        let mut cites = std::mem::take(&mut self.cites);
        let mut links = std::mem::take(&mut self.links);
        cites.clear();
        links.clear();
        let mut allow = Vec::new();
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match format::CLAIM.lookup(&key)?.field {
                ClaimField::Id => {
                    let value = self.text()?;
                    valid_claim_id(&value.value).then_some(())?;
                    id = Some(value);
                }
                ClaimField::Text => {
                    let value = self.text()?;
                    let unread;
                    (citations, unread) =
                        text_citations(self.file, self.text, value.span.range(), &value.value);
                    // What pandoc reads as no citation is reported by the tree reader.
                    unread.is_empty().then_some(())?;
                    text = Some(value);
                }
                ClaimField::Cites => {
                    let (file, text) = (self.file, self.text);
                    self.each_text(|entry| {
                        cites.push(cites_citation(file, text, entry.range, &entry.value).ok()?);
                        Some(())
                    })?;
                }
                field @ (ClaimField::Supports | ClaimField::Attacks) => {
                    let relation = if field == ClaimField::Supports {
                        Relation::Supports
                    } else {
                        Relation::Attacks
                    };
                    self.links(relation, &mut links)?;
                }
                ClaimField::Section => section = Some(self.text()?),
                ClaimField::Quote => quote = Some(self.text()?),
                ClaimField::Note => note = Some(self.text()?),
                ClaimField::Kind => {
                    let value = self.text()?;
                    kind = ClaimKind::parse(&value.value)?;
                    kind_span = Some(value.span);
                }
                ClaimField::Conclusion => {
                    let value = self.next()?;
                    match value {
                        Node::Scalar(s) if s.plain && s.value == "true" => {
                            conclusion = Some(Span::new(self.file, s.range.start, s.range.end))
                        }
                        Node::Scalar(s) if s.plain && s.value == "false" => {}
                        _ => return None,
                    }
                }
                ClaimField::Allow => allow = self.rule_names()?,
            }
        }
        // Only a claim of the argument can be a conclusion: the tree path says so.
        (conclusion.is_none() || kind == ClaimKind::Argument).then_some(())?;
        links.sort_by_key(|l| l.span.start);
        // The text's citations, then those of `cites`; each list at its length.
        if !cites.is_empty() {
            let mut all = Vec::with_capacity(citations.len() + cites.len());
            all.append(&mut citations);
            all.append(&mut cites);
            citations = all;
        }
        // Moved into a list of their own length; the scratch list keeps its room.
        let mut own_links = Vec::with_capacity(links.len());
        own_links.append(&mut links);
        (self.cites, self.links) = (cites, links);
        Some(Claim {
            id: id?,
            kind,
            kind_span,
            conclusion,
            text: Some(text?),
            citations,
            links: own_links,
            section,
            quote,
            note,
            allow,
            span: self.collection_span(start),
        })
    }

    /// A `supports` or `attacks` list, each entry an id or a link mapping, onto `links`.
    fn links(&mut self, relation: Relation, links: &mut Vec<Link>) -> Fast<()> {
        let Node::SeqStart = self.next()? else {
            return None;
        };
        loop {
            match self.next()? {
                Node::SeqEnd => return Some(()),
                Node::Scalar(s) if !s.is_null() => {
                    let span = Span::new(self.file, s.range.start, s.range.end);
                    links.push(Link::paper(relation, ClaimRef::parse(&s.value)?, span));
                }
                Node::MapStart(_) => links.push(self.link_mapping(relation)?),
                _ => return None,
            }
        }
    }

    /// The fields of a link mapping, after its start: `{to: ID, by: analyst, note: WHY}`.
    fn link_mapping(&mut self, relation: Relation) -> Fast<Link> {
        let (mut to, mut by, mut note) = (None, LinkBy::Paper, None);
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match format::LINK.lookup(&key)?.field {
                LinkField::To => to = Some(self.text()?),
                LinkField::By => by = LinkBy::parse(&self.text()?.value)?,
                LinkField::Note => note = Some(self.text()?),
            }
        }
        let to = to?;
        Some(Link {
            relation,
            target: ClaimRef::parse(&to.value)?,
            span: to.span,
            by,
            note,
            as_mapping: true,
        })
    }

    // ---- references ----

    fn references(mut self) -> Fast<Vec<Reference>> {
        self.document_start()?;
        let mut out = None;
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match format::REFERENCE_FILE.lookup(&key)?.field {
                ReferenceFileField::References => out = Some(self.mappings(Self::reference)?),
            }
        }
        self.document_end()?;
        out
    }

    fn reference(&mut self, start: usize) -> Fast<Reference> {
        let (mut id, mut csl_type, mut title) = (None, None, None);
        let mut r = Reference::empty(self.collection_span(start));
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match key.as_ref() {
                "id" => id = Some(self.text()?),
                "type" => {
                    let t = self.text()?;
                    CSL_TYPES.contains(&t.value.as_str()).then_some(())?;
                    csl_type = Some(t);
                }
                "title" => title = Some(self.text()?),
                "author" => r.authors = self.names()?,
                "editor" => r.editors = self.names()?,
                "issued" => r.issued = self.date()?,
                "published-print" => r.published_print = self.date()?,
                "container-title" => r.container_title = Some(self.text()?),
                "URL" => r.url = Some(self.text()?),
                "note" => r.note = Some(self.text()?),
                format::ALLOW => r.allow = self.rule_names()?,
                "DOI" => {
                    let raw = self.text()?;
                    r.doi = Some(DoiField {
                        parsed: doi::parse(&raw.value),
                        raw,
                    });
                }
                other if NAME_VARIABLES.contains(&other) => {
                    let names = self.names()?;
                    r.variables.push((other.to_owned(), CslValue::Names(names)));
                }
                other if DATE_VARIABLES.contains(&other) => {
                    let date = self.date()?;
                    r.variables.push((other.to_owned(), CslValue::Date(date)));
                }
                other if csl::is_variable(other) && !STRUCTURED.contains(&other) => {
                    let Node::Scalar(value) = self.next()? else {
                        return None;
                    };
                    if !value.is_null() {
                        let text = value.value.into_owned();
                        r.variables.push((other.to_owned(), CslValue::Text(text)));
                    }
                }
                _ => return None,
            }
        }
        r.id = id?;
        r.csl_type = csl_type?;
        r.title = title?;
        Some(r)
    }

    /// An `allow` list; a name that is no rule, or one that cannot be allowed, is for the
    /// tree reader to report.
    fn rule_names(&mut self) -> Fast<Vec<Spanned<Rule>>> {
        let file = self.file;
        let mut rules = Vec::new();
        self.each_text(|entry| {
            let rule = Rule::from_name(&entry.value).filter(|r| r.can_be_silenced())?;
            rules.push(Spanned::new(
                rule,
                Span::new(file, entry.range.start, entry.range.end),
            ));
            Some(())
        })?;
        Some(rules)
    }

    fn names(&mut self) -> Fast<Vec<Name>> {
        self.mappings(|reader, _| reader.name())
    }

    fn name(&mut self) -> Fast<Name> {
        let (mut family, mut given, mut particle, mut literal) = (None, None, None, None);
        let mut seen = Seen::new();
        while let Some(key) = self.key(&mut seen)? {
            match key.as_ref() {
                "family" => family = Some(self.text()?.value),
                "given" => given = Some(self.text()?.value),
                "non-dropping-particle" => particle = Some(self.text()?.value),
                "literal" => literal = Some(self.text()?.value),
                other if NAME_PARTS.contains(&other) => self.skip_scalar()?,
                _ => return None,
            }
        }
        match (family, literal) {
            (Some(family), _) => Some(Name::Personal {
                family,
                given,
                particle,
            }),
            (None, Some(literal)) => Some(Name::Literal(literal)),
            (None, None) => None,
        }
    }

    /// `{date-parts: [[y, m, d], ...]}`: `Some(None)` for an empty date.
    fn date(&mut self) -> Fast<Option<Date>> {
        let Node::MapStart(_) = self.next()? else {
            return None;
        };
        let mut seen = Seen::new();
        let mut date = None;
        let mut any = false;
        while let Some(key) = self.key(&mut seen)? {
            if key != "date-parts" {
                return None;
            }
            any = true;
            let Node::SeqStart = self.next()? else {
                return None;
            };
            let mut first = true;
            loop {
                match self.next()? {
                    Node::SeqEnd => break,
                    Node::SeqStart => {
                        let mut parts = Vec::new();
                        loop {
                            match self.next()? {
                                Node::SeqEnd => break,
                                Node::Scalar(s) if s.is_null() => parts.push(None),
                                Node::Scalar(s) => {
                                    parts.push(Some(s.value.trim().parse::<i64>().ok()?))
                                }
                                _ => return None,
                            }
                        }
                        if first {
                            date = date_of(&parts)?;
                            first = false;
                        }
                    }
                    _ => return None,
                }
            }
        }
        any.then_some(date)
    }
}

/// `[y, m, d]` (any may be missing) → a date, as the tree path reads it.
fn date_of(parts: &[Option<i64>]) -> Fast<Option<Date>> {
    let part = |i: usize| parts.get(i).copied().flatten();
    let Some(year) = part(0) else {
        return Some(None);
    };
    // A date that does not exist is for the tree path to report.
    Some(Some(Date::new(year, part(1), part(2))?))
}

/// Reads a valid argument map, or `None` when the tree-based path must judge the file.
pub(super) fn map(text: &str, file: FileId, name: &str) -> Option<ArgumentMap> {
    // A file of the plain shape is read from the scanner's nodes; another from the parser's.
    // The nodes are the same, so a file the reader refuses from either is refused.
    match super::scan::nodes(text) {
        Some(nodes) => Reader::new(nodes.into_iter(), text, file).map(name),
        None => Reader::new(Parser::new_from_str(text), text, file).map(name),
    }
}

/// Reads a valid reference file, or `None` when the tree-based path must judge the file.
pub(super) fn references(text: &str, file: FileId) -> Option<Vec<Reference>> {
    match super::scan::nodes(text) {
        Some(nodes) => Reader::new(nodes.into_iter(), text, file).references(),
        None => Reader::new(Parser::new_from_str(text), text, file).references(),
    }
}

/// The nodes granit-parser's events give a document, for tests that hold the scanner to
/// them; `None` where the fast reader would give up on the events alone.
#[cfg(test)]
pub(super) fn parser_nodes(text: &str) -> Option<Vec<Node<'_>>> {
    let mut parser = Parser::new_from_str(text);
    parser.document_start()?;
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let node = parser.node()?;
        match node {
            Node::SeqStart | Node::MapStart(_) => depth += 1,
            Node::SeqEnd | Node::MapEnd => depth -= 1,
            Node::Scalar(_) => {}
        }
        out.push(node);
        if depth == 0 {
            break;
        }
    }
    parser.document_end()?;
    Some(out)
}
