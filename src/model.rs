//! The checked model: references and argument maps as read from disk, every value with
//! its span. Built by `load`, read by `rules`, `resolve` and `dot`; never written back.

use std::collections::{BTreeMap, BTreeSet};

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::citation::CitationItem;
use crate::doi::{DoiError, ParsedDoi};
use crate::quote::SourceText;
use crate::rule::Rule;
use crate::source::{FileId, SourceFile, Sources, Span, Spanned};

/// Everything one run read: sources, references and maps. Maps and references are
/// shared (`Arc`) with the workspace that read them, so a corpus is assembled again after a
/// change without copying what did not change.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The files, by id.
    pub sources: Sources,
    /// References of every file, in file order (files sorted by path).
    pub references: Vec<Arc<Reference>>,
    /// Argument maps, sorted by name.
    pub maps: Vec<Arc<ArgumentMap>>,
    /// Names of map files that could not be read as maps (syntax errors): links to them
    /// are not reported as dangling, since the map exists but is broken.
    pub unreadable_maps: BTreeSet<String>,
    /// Some map content could not be read (a broken or duplicate map file, a claim the
    /// reader had to drop or read in part): the citations of the model may be incomplete,
    /// so no reference is called unused.
    pub incomplete_maps: bool,
    /// Ids that reference files which could not be parsed appear to define (read from
    /// their text): citing them is not called unknown, since the entry is likely there.
    pub unread_reference_ids: rustc_hash::FxHashSet<String>,
    /// A reference file could not be read at all (too large): no citation is called unknown.
    pub unread_references: bool,
    /// The papers' texts (`sources/<id>.txt`), by reference id: maps whose `source` has
    /// one have their quotes checked against it.
    pub papers: BTreeMap<String, Paper>,
}

/// A paper's text, indexed for quotes when first asked.
#[derive(Clone, Debug)]
pub struct Paper {
    /// Its file (`sources/guliev2020.txt`), for the spans of passages.
    pub file: FileId,
    /// The text as read.
    pub source: Arc<SourceFile>,
    /// The index, shared with the workspace so that it is built once per version of the
    /// file, and only for a paper whose quotes are checked.
    pub index: Arc<OnceLock<SourceText>>,
}

impl Paper {
    /// The text normalised and indexed (built at the first call).
    pub fn text(&self) -> &SourceText {
        self.index
            .get_or_init(|| SourceText::new(&self.source.text))
    }
}

impl Corpus {
    /// How many claims the maps hold.
    pub fn claim_count(&self) -> usize {
        self.maps.iter().map(|m| m.claims.len()).sum()
    }

    /// Whether a citation of `key` that no reference defines may yet be defined in a
    /// reference file that could not be read.
    pub fn may_define(&self, key: &str) -> bool {
        self.unread_references || self.unread_reference_ids.contains(key)
    }
}

/// A personal or institutional name, as CSL writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// A person: family name, given names, particle.
    Personal {
        /// The family name.
        family: String,
        /// The given names, if any.
        given: Option<String>,
        /// `van`, `de`: the non-dropping particle, part of the family name for sorting.
        particle: Option<String>,
    },
    /// An organisation or a name that cannot be split (`{literal: "World Bank"}`).
    Literal(String),
}

impl Name {
    /// The name used in an author-date citation: the family name with its particle.
    pub fn short(&self) -> String {
        match self {
            Name::Personal {
                family, particle, ..
            } => match particle {
                Some(p) => format!("{p} {family}"),
                None => family.clone(),
            },
            Name::Literal(s) => s.clone(),
        }
    }
}

/// A CSL date reduced to what argmap compares: year, month and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// The year (negative before the common era).
    pub year: i32,
    /// The month (1-12, or 21-24 for CSL's seasons).
    pub month: Option<u8>,
    /// The day of the month.
    pub day: Option<u8>,
}

impl Date {
    /// A date whose parts exist: a month 1-12 (or 21-24, CSL's seasons, without a day)
    /// and a day of that month. `None` for `2014-13-45`.
    pub fn new(year: i64, month: Option<i64>, day: Option<i64>) -> Option<Date> {
        let year = i32::try_from(year).ok()?;
        let month = month.map(u8::try_from).transpose().ok()?;
        let day = day.map(u8::try_from).transpose().ok()?;
        let valid = match (month, day) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some(m), None) => (1..=12).contains(&m) || (21..=24).contains(&m),
            (Some(m), Some(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in(year, m),
        };
        valid.then_some(Date { year, month, day })
    }
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A reference's DOI field: as written, and as parsed.
#[derive(Clone, Debug)]
pub struct DoiField {
    /// The value as written in the file.
    pub raw: Spanned<String>,
    /// The DOI it holds, or why it holds none.
    pub parsed: Result<ParsedDoi, DoiError>,
}

/// The value of a CSL variable the model has no field of its own for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CslValue {
    /// A standard variable (`page`, `volume`, `publisher`), as written.
    Text(String),
    /// A name variable (`translator`, `container-author`).
    Names(Vec<Name>),
    /// A date variable (`accessed`, `original-date`); `None` when empty.
    Date(Option<Date>),
    /// A structured variable (`categories`, `custom`), kept by name only.
    Structured,
}

/// One CSL item of `references/*.yaml`.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The citation key.
    pub id: Spanned<String>,
    /// The CSL type (`article-journal`, `book`, ...).
    pub csl_type: Spanned<String>,
    /// The title (required).
    pub title: Spanned<String>,
    /// The authors, in order.
    pub authors: Vec<Name>,
    /// The editors, in order.
    pub editors: Vec<Name>,
    /// When the work was issued.
    pub issued: Option<Date>,
    /// `published-print`, which may differ from an online-first `issued`.
    pub published_print: Option<Date>,
    /// The journal, book or site the work is part of.
    pub container_title: Option<Spanned<String>>,
    /// The `DOI` field, if present.
    pub doi: Option<DoiField>,
    /// The `URL` field, if present (see [`Reference::web_url`]).
    pub url: Option<Spanned<String>>,
    /// The `note` field: what the source does not say, and why.
    pub note: Option<Spanned<String>>,
    /// Every other CSL variable of the item, in file order: nothing a reference says is
    /// lost between the file and the model.
    pub variables: Vec<(String, CslValue)>,
    /// Rules whose findings within the item are not reported (`argmap-allow:`).
    pub allow: Vec<Spanned<Rule>>,
    /// The whole item, for labels that concern the entry rather than one field.
    pub span: Span,
}

impl Reference {
    /// A reference with every field empty, labelled at `span`: a reader fills it in.
    pub fn empty(span: Span) -> Self {
        let blank = || Spanned::new(String::new(), span);
        Reference {
            id: blank(),
            csl_type: blank(),
            title: blank(),
            authors: Vec::new(),
            editors: Vec::new(),
            issued: None,
            published_print: None,
            container_title: None,
            doi: None,
            url: None,
            note: None,
            variables: Vec::new(),
            allow: Vec::new(),
            span,
        }
    }

    /// "Song 2014", "Yun and Park 2012", "Denisov et al. 2016": the author-date label.
    pub fn author_date(&self) -> String {
        let names = if self.authors.is_empty() {
            &self.editors
        } else {
            &self.authors
        };
        let who = match names.as_slice() {
            [] => String::new(),
            [one] => one.short(),
            [a, b] => format!("{} and {}", a.short(), b.short()),
            [a, ..] => format!("{} et al.", a.short()),
        };
        let year = self.issued.map(|d| d.year.to_string());
        match (who.is_empty(), year) {
            (false, Some(y)) => format!("{who} {y}"),
            (false, None) => format!("{who} n.d."),
            (true, Some(y)) => format!("{} {y}", self.id.value),
            (true, None) => self.id.value.clone(),
        }
    }

    /// The parts of the reference's bibliography entry, as a reader sees them: no style,
    /// each front end lays them out (and escapes them for where they go).
    pub fn entry(&self) -> Entry<'_> {
        let names = if self.authors.is_empty() {
            &self.editors
        } else {
            &self.authors
        };
        let names = names
            .iter()
            .map(|n| match n {
                Name::Personal {
                    family,
                    given,
                    particle,
                } => {
                    let family = match particle {
                        Some(p) => format!("{p} {family}"),
                        None => family.clone(),
                    };
                    match given {
                        Some(g) => format!("{family}, {g}"),
                        None => family,
                    }
                }
                Name::Literal(s) => s.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        Entry {
            names,
            edited: self.authors.is_empty() && !self.editors.is_empty(),
            year: self.issued.map(|d| d.year),
            title: &self.title.value,
            container: self.container_title.as_ref().map(|c| c.value.as_str()),
            volume: self.variable("volume"),
            issue: self.variable("issue"),
            pages: self.variable("page"),
            doi_url: self
                .valid_doi()
                .map(|p| format!("https://doi.org/{}", p.doi.url_path())),
            url: self.web_url(),
        }
    }

    /// The `URL` when it is a web address (`http:` or `https:`): the only links argmap
    /// draws, so that a `javascript:` or `file:` URL never becomes a link in a diagram.
    pub fn web_url(&self) -> Option<&str> {
        let url = self.url.as_ref()?.value.trim();
        let scheme = url.get(..url.find(':')?)?;
        let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        (web && url.len() > scheme.len() + 3).then_some(url)
    }

    /// The text of a standard CSL variable the model has no field for (`page`, `volume`).
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.iter().find_map(|(n, v)| match v {
            CslValue::Text(t) if n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The DOI when the field holds a valid one (canonical or not).
    pub fn valid_doi(&self) -> Option<&ParsedDoi> {
        self.doi.as_ref().and_then(|d| d.parsed.as_ref().ok())
    }
}

/// Where a citation was written: in the claim's prose or in its `cites` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitationOrigin {
    /// In the claim's `text`.
    Text,
    /// In the claim's `cites` list.
    Cites,
}

/// One cited work of a claim.
#[derive(Clone, Debug)]
pub struct Citation {
    /// The cited work, locator, prefix and suffix.
    pub item: CitationItem,
    /// The `@key` token in the source file.
    pub key_span: Span,
    /// The locator (`p. 87`) in the source file, if there is one.
    pub locator_span: Option<Span>,
    /// A key pandoc cuts short (`@duquette_share--income_2019` is `@duquette_share` to
    /// pandoc): the key as written through its punctuation, and where it is spelt.
    pub longer: Option<(String, Span)>,
    /// Where it was written.
    pub origin: CitationOrigin,
}

impl Citation {
    /// The citation key (without `@`).
    pub fn key(&self) -> &str {
        &self.item.key
    }
}

/// A reference's bibliography entry in parts ([`Reference::entry`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'r> {
    /// "Family, Given; Family, Given": the authors, or the editors when there are none.
    pub names: String,
    /// Whether `names` are the editors'.
    pub edited: bool,
    /// The year issued.
    pub year: Option<i32>,
    /// The title.
    pub title: &'r str,
    /// The journal, book or site.
    pub container: Option<&'r str>,
    /// Its volume, issue and pages, as written.
    pub volume: Option<&'r str>,
    /// The issue.
    pub issue: Option<&'r str>,
    /// The pages.
    pub pages: Option<&'r str>,
    /// The DOI as a link (`https://doi.org/...`), when the DOI is valid.
    pub doi_url: Option<String>,
    /// The `URL`, when it is a web address.
    pub url: Option<&'r str>,
}

/// A reference to a claim: `id` in the same map, or `map:id` in another.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimRef {
    /// `None` for a claim of the map that holds the link.
    pub map: Option<String>,
    /// The claim id.
    pub claim: String,
}

impl ClaimRef {
    /// Reads `id` or `map:id`; `None` when either part is empty.
    pub fn parse(s: &str) -> Option<ClaimRef> {
        let s = s.trim();
        match s.rsplit_once(':') {
            Some((map, claim)) if !map.is_empty() && !claim.is_empty() => Some(ClaimRef {
                map: Some(map.to_owned()),
                claim: claim.to_owned(),
            }),
            Some(_) => None,
            None if s.is_empty() => None,
            None => Some(ClaimRef {
                map: None,
                claim: s.to_owned(),
            }),
        }
    }

    /// The map this reference points into, given the map that holds it.
    pub fn map_or<'a>(&'a self, here: &'a str) -> &'a str {
        self.map.as_deref().unwrap_or(here)
    }
}

impl fmt::Display for ClaimRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.map {
            Some(m) => write!(f, "{m}:{}", self.claim),
            None => f.write_str(&self.claim),
        }
    }
}

/// How one claim bears on another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// The claim is a reason for its target.
    Supports,
    /// The claim is a reason against its target, or limits it.
    Attacks,
}

impl Relation {
    /// The field that writes it: `supports` or `attacks`.
    pub fn field(self) -> &'static str {
        match self {
            Relation::Supports => "supports",
            Relation::Attacks => "attacks",
        }
    }
}

/// Whose a link is: the paper's own argument, or the map-maker's reading of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LinkBy {
    /// The paper draws it (the default: an entry written as an id).
    #[default]
    Paper,
    /// The map-maker draws it (`{to: ID, by: analyst, note: ...}`): an inference the paper
    /// does not make, such as a link to a claim of another paper.
    Analyst,
}

impl LinkBy {
    /// The spellings of `by:`, in the order documentation lists them.
    pub const NAMES: [&'static str; 2] = ["paper", "analyst"];

    /// Reads a `by:` value (exact spelling).
    pub fn parse(s: &str) -> Option<LinkBy> {
        match s {
            "paper" => Some(LinkBy::Paper),
            "analyst" => Some(LinkBy::Analyst),
            _ => None,
        }
    }

    /// The spelling of `by:`.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// An entry of a claim's `supports` or `attacks` list: an id (`thesis`, `map:id`), or a
/// mapping `{to: ID, by: analyst, note: TEXT}` that says whose the link is and why.
#[derive(Clone, Debug)]
pub struct Link {
    /// Supports or attacks.
    pub relation: Relation,
    /// The claim named.
    pub target: ClaimRef,
    /// The claim's name in the file: the entry, or its `to:` value.
    pub span: Span,
    /// Whose the link is.
    pub by: LinkBy,
    /// Why the link is drawn (`note:`), when the entry is a mapping that says.
    pub note: Option<Spanned<String>>,
    /// Whether the entry is written as a mapping (`{to: ...}`), not as an id alone.
    pub as_mapping: bool,
}

impl Link {
    /// The paper's own link to `target`, written as an id at `span`.
    pub fn paper(relation: Relation, target: ClaimRef, span: Span) -> Link {
        Link {
            relation,
            target,
            span,
            by: LinkBy::Paper,
            note: None,
            as_mapping: false,
        }
    }

    /// Whether the map-maker draws the link, not the paper.
    pub fn is_analysts(&self) -> bool {
        self.by == LinkBy::Analyst
    }
}

/// What a claim is to its map: a step of the argument, or a statement about the paper
/// that is not part of the argument (its aim, or framing: context, scope, method).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ClaimKind {
    /// A premise, reason, objection or conclusion (the default).
    #[default]
    Argument,
    /// What the paper sets out to do ("The aim of this article is ...").
    Aim,
    /// Context, scope, method or literature that frames the argument without taking part.
    Framing,
}

impl ClaimKind {
    /// The spellings of `kind:`, in the order documentation lists them.
    pub const NAMES: [&'static str; 3] = ["argument", "aim", "framing"];

    /// Reads a `kind:` value (exact spelling).
    pub fn parse(s: &str) -> Option<ClaimKind> {
        match s {
            "argument" => Some(ClaimKind::Argument),
            "aim" => Some(ClaimKind::Aim),
            "framing" => Some(ClaimKind::Framing),
            _ => None,
        }
    }

    /// The spelling of `kind:`.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One claim of an argument map.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The claim's id, unique in its map.
    pub id: Spanned<String>,
    /// `Argument` unless the claim's `kind:` says otherwise; the span is the `kind` value's.
    pub kind: ClaimKind,
    /// Where `kind:` is written, if it is.
    pub kind_span: Option<Span>,
    /// Where `conclusion: true` is written: the claim is declared a conclusion of its
    /// paper (it may still support another claim).
    pub conclusion: Option<Span>,
    /// `None` only when the file lacks it (a `schema` error was reported).
    pub text: Option<Spanned<String>>,
    /// Citations of the text, then of `cites`, in source order.
    pub citations: Vec<Citation>,
    /// `supports` then `attacks` entries, in source order.
    pub links: Vec<Link>,
    /// The paper's section, which groups claims in diagrams.
    pub section: Option<Spanned<String>>,
    /// The passage of the paper behind the claim.
    pub quote: Option<Spanned<String>>,
    /// The map-maker's remark on the claim (`note:`): how it was read, and why.
    pub note: Option<Spanned<String>>,
    /// Rules whose findings within the claim are not reported (`argmap-allow:`).
    pub allow: Vec<Spanned<Rule>>,
    /// The claim's mapping in the file.
    pub span: Span,
}

impl Claim {
    /// The claim's text (empty when the file lacks it).
    pub fn text(&self) -> &str {
        self.text.as_ref().map_or("", |t| t.value.as_str())
    }

    /// Whether the claim takes part in the argument (not an aim or framing statement).
    pub fn is_argument(&self) -> bool {
        self.kind == ClaimKind::Argument
    }

    /// Whether the claim is declared a conclusion (`conclusion: true`).
    pub fn is_declared_conclusion(&self) -> bool {
        self.conclusion.is_some()
    }
}

/// One `arguments/*.yaml` file.
#[derive(Clone, Debug)]
pub struct ArgumentMap {
    /// The file stem: what `map:id` links name.
    pub name: String,
    /// The file it was read from.
    pub file: FileId,
    /// `None` only when the file lacks it (a `schema` error was reported).
    pub title: Option<Spanned<String>>,
    /// The reference id of the paper the map is made from.
    pub source: Option<Spanned<String>>,
    /// The claims, in file order.
    pub claims: Vec<Claim>,
    /// What every analysis asks of the claims, read at the first question.
    pub(crate) facts: Facts,
}

impl ArgumentMap {
    /// The title, or the map's name when the file lacks one.
    pub fn title(&self) -> &str {
        self.title.as_ref().map_or(&self.name, |t| t.value.as_str())
    }

    /// Whether `claim` (one of this map's) is a conclusion of the paper: the claims declared
    /// `conclusion: true` when the map declares any; otherwise each claim of the argument
    /// that supports and attacks no other. The one definition every view uses.
    pub fn is_conclusion(&self, claim: &Claim) -> bool {
        if self.facts().declared_conclusions > 0 {
            claim.is_declared_conclusion()
        } else {
            claim.is_argument() && claim.links.is_empty()
        }
    }

    /// What every analysis asks of the map's claims, read once for the map: a workspace
    /// keeps a map that did not change, and with it these, so that an analysis after a
    /// change does not walk every claim of every map to ask them again.
    pub fn facts(&self) -> &MapFacts {
        self.facts.0.get_or_init(|| MapFacts {
            quotes: self.claims.iter().filter(|c| c.quote.is_some()).count(),
            allows: self.claims.iter().any(|c| !c.allow.is_empty()),
            unlinked: (self.claims.iter().enumerate())
                .filter(|(_, c)| c.links.is_empty() && c.is_argument())
                .map(|(i, _)| i as u32)
                .collect(),
            links: self.claims.iter().map(|c| c.links.len()).sum(),
            analyst_links: (self.claims.iter().flat_map(|c| &c.links))
                .filter(|l| l.is_analysts())
                .count(),
            declared_conclusions: (self.claims.iter())
                .filter(|c| c.is_declared_conclusion())
                .count(),
        })
    }
}

/// What every analysis asks of a map's claims. See [`ArgumentMap::facts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapFacts {
    /// How many claims have a `quote`.
    pub quotes: usize,
    /// Whether a claim has an `argmap-allow` list.
    pub allows: bool,
    /// The claims of the argument that support and attack nothing, by index.
    pub unlinked: Vec<u32>,
    /// How many links the claims write.
    pub links: usize,
    /// How many of them are the map-maker's (`by: analyst`).
    pub analyst_links: usize,
    /// How many claims are declared `conclusion: true`.
    pub declared_conclusions: usize,
}

/// [`MapFacts`] once read. Shown as nothing: read or not, the map is the same. A copy of
/// a map reads them again (it may be changed before it is asked; the model is not
/// changed once read, as a rule, but a test may build a variant of a map from another).
#[derive(Default)]
pub(crate) struct Facts(OnceLock<MapFacts>);

impl Clone for Facts {
    fn clone(&self) -> Self {
        Facts::default()
    }
}

impl fmt::Debug for Facts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Facts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(Date::new(2014, Some(13), Some(45)).is_none());
        assert!(Date::new(2014, Some(2), Some(29)).is_none());
        assert!(Date::new(2016, Some(2), Some(29)).is_some());
        assert!(Date::new(2014, Some(0), None).is_none());
        assert!(Date::new(2014, Some(21), None).is_some(), "a season");
        assert!(Date::new(2014, None, Some(3)).is_none());
        assert!(Date::new(2014, None, None).is_some());
    }

    #[test]
    fn only_web_urls_are_links() {
        let mut r = Reference::empty(Span::new(FileId(0), 0, 0));
        let span = r.span;
        for (url, web) in [
            ("https://example.org/a", true),
            ("HTTP://example.org", true),
            ("javascript:alert(document.domain)", false),
            ("JaVaScRiPt:alert(1)", false),
            ("file:///etc/passwd", false),
            ("data:text/html,x", false),
            ("https:", false),
            ("example.org", false),
        ] {
            r.url = Some(Spanned::new(url.to_owned(), span));
            assert_eq!(r.web_url().is_some(), web, "{url}");
        }
    }

    #[test]
    fn claim_refs_parse_local_and_remote() {
        assert_eq!(
            ClaimRef::parse("thesis"),
            Some(ClaimRef {
                map: None,
                claim: "thesis".into()
            })
        );
        let r = ClaimRef::parse("china-sco:rivalry-faded").unwrap();
        assert_eq!(r.map.as_deref(), Some("china-sco"));
        assert_eq!(r.to_string(), "china-sco:rivalry-faded");
        assert_eq!(ClaimRef::parse(":x"), None);
        assert_eq!(ClaimRef::parse("m:"), None);
        assert_eq!(ClaimRef::parse(""), None);
    }
}
