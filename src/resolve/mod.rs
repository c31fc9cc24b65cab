//! DOI resolution over HTTP (`argmap check --online`, `argmap resolve`).
//!
//! For every distinct valid DOI of the corpus: existence from the Handle API
//! (`GET {resolver}/api/handles/{doi}`), the only authority on "does not exist"; then, unless
//! turned off, the registered metadata by content negotiation (`GET {resolver}/{doi}` asking
//! for CSL-JSON), which is compared with each reference carrying the DOI. Anything short of a
//! definitive answer (an unreachable, slow, rate-limiting or confused server) is
//! "unverified", never "not found". Definitive answers are cached under ROOT.
//!
//! The module does no terminal I/O: it reports progress through [`Progress`] and returns
//! diagnostics labelled at each reference's DOI field. The caller owns the tokio runtime.

// Without the network, the answers' readers (Crossref's records, CSL-JSON) and what only a
// fetch sets are kept, unused: the cache holds what they read, and their tests run alike.
#![cfg_attr(not(feature = "online"), allow(dead_code))]

mod cache;
mod crossref;
mod csl;
#[cfg(feature = "online")]
mod gate;
#[cfg(feature = "online")]
mod http;
mod judge;
#[cfg(feature = "online")]
mod online;
mod text;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::diagnostic::{Diagnostic, Label, Rule, RuleDocs};
use crate::doi::Doi;
use crate::graph::Graph;
use crate::model::{Corpus, Reference};
use crate::source::Span;

pub use cache::MaxAge;
pub(crate) use crossref::{
    CITED_WORK_CONCERN, CITED_WORK_CORRECTED, CITED_WORK_RETRACTED, DOI_IS_NOTICE,
};
pub use crossref::{Notice, Work};
pub use csl::{CslError, Metadata};
pub use judge::Difference;
pub use text::sanitize;

#[cfg(feature = "online")]
pub use online::{ItemError, Items, csl_items};

use cache::Stored;
pub use cache::{Cache, now};

/// Outcome of DOI resolution, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DoiCounts {
    /// DOIs that exist and whose metadata agrees (or has none to compare).
    pub verified: usize,
    /// DOIs that do not exist, or belong to another work.
    pub broken: usize,
    /// DOIs no definitive answer was had about.
    pub unverified: usize,
}

pub(crate) static DOI_NOT_FOUND: RuleDocs = RuleDocs {
    summary: "the DOI system says this DOI does not exist",
    doc: "The Handle API of the resolver answered that the DOI is not registered (HTTP 404 with \
          responseCode 100). The DOI is mistyped, was never registered, or the reference is \
          invented. Check the DOI printed in the source paper, or remove it. Only this answer \
          is reported as a broken DOI: an unreachable or failing resolver is `doi-unverified`.",
    example: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: 10.1080/10670564.2013.80998   # a digit lost
"#,
    fixed: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: 10.1080/10670564.2013.809981
"#,
};

pub(crate) static DOI_METADATA_MISMATCH: RuleDocs = RuleDocs {
    summary: "the DOI belongs to a work whose metadata differs from the reference",
    doc: "The DOI exists, but the CSL-JSON its registration agency returns disagrees with the \
          reference on the title, the year or the first author's family name. The DOI may have \
          been copied onto the wrong entry. Titles are compared without regard to case, \
          punctuation, diacritics, HTML entities and markup, and a subtitle present on one side \
          only is not a difference; a print year is not a difference from an online-first \
          year when it matches the registered `published-print`. The message shows both values.",
    example: r#"# references/yun2012.yaml
references:
  - id: yun2012
    type: article-journal
    title: >-
      An Analysis of the Multilateral Cooperation and Competition between
      Russia and China in the Shanghai Cooperation Organization
    DOI: 10.1080/10611940.2016.1296304   # Denisov and Safranchuk's, the next entry
"#,
    fixed: r#"# references/yun2012.yaml
references:
  - id: yun2012
    type: article-journal
    title: >-
      An Analysis of the Multilateral Cooperation and Competition between
      Russia and China in the Shanghai Cooperation Organization
    DOI: 10.1111/j.1976-5118.2012.01076.x
"#,
};

pub(crate) static DOI_UNVERIFIED: RuleDocs = RuleDocs {
    summary: "no definitive answer about a DOI could be had",
    doc: "The resolver could not be reached, timed out, rate-limited the run or answered \
          something that is not an answer (5xx, garbage, an oversized body) even after retries; \
          or the DOI exists but its metadata could not be fetched. This says nothing about the \
          DOI itself, which is why it is never reported as broken: run again later, or give \
          more `--timeout` or `--retries`. Unverified answers are not cached.",
    example: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: 10.1080/10670564.2013.809981   # doi.org answered 503, every retry
"#,
    fixed: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: 10.1080/10670564.2013.809981   # unchanged: a later run verified it
"#,
};

/// Crossref's REST API.
pub const CROSSREF_API: &str = "https://api.crossref.org";
/// How a run resolves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The DOI proxy, e.g. `https://doi.org`; every request of the run starts there.
    pub resolver: Url,
    /// Sent with every request: names argmap, its version and a contact.
    pub user_agent: String,
    /// Most requests in flight at once (servers that declare less get less).
    pub concurrency: usize,
    /// Per request, from connecting to the end of the body.
    pub timeout: Duration,
    /// For the whole run: DOIs still unanswered then are unverified.
    pub deadline: Duration,
    /// Retries after the first attempt, for 429, 5xx, timeouts and broken connections.
    pub retries: u32,
    /// The first backoff; it doubles (with jitter) on every retry.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more ends the retries.
    pub max_retry_wait: Duration,
    /// Fetch and compare registered metadata, not only existence.
    pub metadata: bool,
    /// Crossref's REST API, asked which notices (retractions, corrections) update each
    /// work it registered, and for its metadata; `None` skips it (`--no-updates`).
    pub crossref: Option<Url>,
    /// Where definitive answers are kept; `None` for no cache.
    pub cache: Option<PathBuf>,
    /// How old a cached answer may be and still be used.
    pub max_age: MaxAge,
}

impl Options {
    /// Defaults for a resolver: polite and patient.
    pub fn new(resolver: Url) -> Options {
        Options {
            resolver,
            user_agent: user_agent(None),
            concurrency: 8,
            timeout: Duration::from_secs(20),
            deadline: Duration::from_secs(600),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(120),
            metadata: true,
            crossref: Some(Url::parse(CROSSREF_API).expect("a URL")),
            cache: None,
            max_age: MaxAge::default(),
        }
    }
}

/// `argmap/0.1.0 (DOI check of argument maps; mailto:you@example.org)`, as Crossref asks.
pub fn user_agent(mailto: Option<&str>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match mailto.map(|m| sanitize(m, 200)).filter(|m| !m.is_empty()) {
        Some(m) => format!("argmap/{version} (DOI check of argument maps; mailto:{m})"),
        None => format!("argmap/{version} (DOI check of argument maps)"),
    }
}

/// Parses and checks a resolver URL: http or https, no query or fragment.
pub fn parse_resolver(s: &str) -> Result<Url, ResolveError> {
    let bad = |why: &str| ResolveError::Resolver(format!("`{s}` {why}"));
    let url = Url::parse(s.trim()).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("is not an http or https URL"));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(bad("must be a plain base URL such as https://doi.org"));
    }
    Ok(url)
}

/// Why a run could not start at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    #[error("bad resolver: {0}")]
    /// The resolver URL is not usable.
    Resolver(String),
    #[cfg(feature = "online")]
    #[error("cannot set up HTTP: {0}")]
    /// The HTTP client could not be built.
    Client(#[from] reqwest::Error),
}

/// What the registration agency offers about a registered DOI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Metadata was not asked for (`--no-metadata`).
    Unchecked,
    /// The agency offers no CSL-JSON (an HTML landing page, or 406).
    NoMetadata,
    /// The registered metadata.
    Metadata(Metadata),
}

/// What the DOI system says about one DOI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The DOI exists; what its agency offers about it.
    Found(Record),
    /// The DOI does not exist (the Handle API said so).
    NotFound,
    /// No definitive answer; `registered` when the Handle API did say it exists and only
    /// the metadata is missing.
    Unverified {
        /// Why not.
        reason: String,
        /// Whether the Handle API did say the DOI exists.
        registered: bool,
    },
}

/// The verdict on one reference's DOI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The DOI exists and its metadata agrees (or there is none to compare).
    Verified,
    /// The DOI does not exist.
    NotFound,
    /// The DOI belongs to a work that differs from the reference.
    Mismatch(Vec<Difference>),
    /// No definitive answer; why.
    Unverified(String),
}

impl Status {
    /// `verified`, `not-found`, `mismatch` or `unverified`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::NotFound => "not-found",
            Status::Mismatch(_) => "mismatch",
            Status::Unverified(_) => "unverified",
        }
    }
}

/// One reference's DOI and what became of it.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The reference's id.
    pub reference: String,
    /// Its DOI.
    pub doi: Doi,
    /// The verdict.
    pub status: Status,
    /// A line for people: what was checked, or why it could not be.
    pub detail: String,
    /// The answer came from the cache.
    pub cached: bool,
    /// When the cached answer was had (seconds since the Unix epoch); `None` when this run
    /// had it.
    pub answered_at: Option<u64>,
    /// Notices that update the work, as Crossref records them (`updated-by`).
    pub updated_by: Vec<Notice>,
    /// The works this DOI is itself a notice for (`update-to`).
    pub update_to: Vec<Notice>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Resolution {
    /// One row per reference with a valid DOI, in corpus order.
    pub checked: Vec<Checked>,
    /// The `doi-*` findings, at each reference's `DOI` field.
    pub diagnostics: Vec<Diagnostic>,
    /// Verified, broken and unverified references.
    pub counts: DoiCounts,
    /// Things to tell the user that concern no source file (a rebuilt cache, say).
    pub notes: Vec<String>,
    /// Distinct DOIs, and how many were answered from the cache.
    pub dois: usize,
    /// How many of the distinct DOIs the cache answered.
    pub from_cache: usize,
    /// HTTP requests sent.
    pub requests: usize,
}

/// Reports progress; the binary draws it, tests ignore it.
pub trait Progress {
    /// `total` distinct DOIs, `cached` of them already answered from the cache.
    fn start(&self, _total: usize, _cached: usize) {}
    /// One DOI was answered (or given up on).
    fn resolved(&self, _doi: &Doi, _answer: &Answer) {}
    /// The run is over.
    fn finish(&self) {}
}

/// Progress nobody watches.
pub struct Quiet;

impl Progress for Quiet {}

/// An answer, and whether it came from the cache.
type Slot = Option<(Answer, bool)>;

/// Resolves every valid DOI of the graph's corpus and judges each reference that carries
/// one: the cache first (`options.cache`), then the network for what it does not answer.
#[cfg(feature = "online")]
pub async fn resolve(
    graph: &Graph<'_>,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Resolution, ResolveError> {
    let corpus = graph.corpus();
    let mut notes = Vec::new();
    let mut cache = options.cache.as_deref().map(|path| {
        let (cache, warning) = Cache::load(path);
        notes.extend(warning);
        cache
    });
    let mut plan = Plan::new(corpus, options, cache.as_ref());
    plan.out.notes = notes;
    plan.fetch(options, progress).await?;
    if let Some(cache) = cache.as_mut() {
        plan.store(options, cache);
    }
    Ok(plan.verdicts(graph))
}

/// The verdicts `cache` holds, without the network: for a view (an editor's hover, a
/// report) that must not wait for servers. A DOI the cache does not answer (or answers
/// too old) has no row and no diagnostic; nothing is written.
pub fn from_cache(graph: &Graph<'_>, cache: &Cache, options: &Options) -> Resolution {
    Plan::new(graph.corpus(), options, Some(cache)).verdicts(graph)
}

/// What Crossref's REST API says about a DOI.
#[derive(Clone, Debug)]
enum Registry {
    /// Crossref registered the work: its record.
    Work(Box<Work>),
    /// Crossref has no record: another agency registered it (or nobody did).
    Elsewhere,
    /// Crossref could not be asked; why.
    Unknown(String),
}

/// What Crossref said, and whether it came from the cache.
type RegistrySlot = Option<(Registry, bool)>;

/// One run's DOIs and what is known of each so far: from the cache, then the network.
struct Plan {
    out: Resolution,
    /// Distinct DOIs (they compare case-insensitively) in order of first appearance.
    dois: Vec<Doi>,
    index: HashMap<String, usize>,
    /// What Crossref said of each, and what the resolver said.
    registry: Vec<RegistrySlot>,
    answers: Vec<Slot>,
    /// When each answer the cache gave was had.
    cached_at: Vec<Option<u64>>,
    now: u64,
    /// Crossref's service name in the cache (its answers are kept apart from the
    /// resolver's, even were both one server).
    crossref: Option<String>,
}

impl Plan {
    /// The corpus's distinct DOIs, each answered from `cache` where it can be.
    fn new(corpus: &Corpus, options: &Options, cache: Option<&Cache>) -> Plan {
        let mut out = Resolution::default();
        let mut dois: Vec<Doi> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for r in &corpus.references {
            if let Some(p) = r.valid_doi() {
                index.entry(p.doi.key()).or_insert_with(|| {
                    dois.push(p.doi.clone());
                    dois.len() - 1
                });
            }
        }
        out.dois = dois.len();
        let now = cache::now();
        let crossref = options
            .crossref
            .as_ref()
            .map(|u| format!("crossref-rest {u}"));
        let mut plan = Plan {
            out,
            registry: Vec::new(),
            answers: Vec::new(),
            cached_at: Vec::new(),
            dois,
            index,
            now,
            crossref,
        };
        let service = plan.crossref.as_deref();
        plan.registry = plan
            .dois
            .iter()
            .map(|doi| {
                let service = service.filter(|_| plan.asks_crossref(doi))?;
                let registry = match cache?.get(service, &doi.key(), now, options.max_age)? {
                    Stored::CrossrefWork { work } => Registry::Work(Box::new(work.clone())),
                    Stored::NotInCrossref => Registry::Elsewhere,
                    Stored::Found { .. } | Stored::NotFound => return None,
                };
                Some((registry, true))
            })
            .collect();
        plan.answers = plan
            .dois
            .iter()
            .zip(&plan.registry)
            .map(|(doi, registry)| match registry {
                // Crossref's record says the DOI exists, and what its metadata is.
                Some((Registry::Work(work), _)) => Some((work_answer(work, options), true)),
                _ => Some((cached(cache?, doi, now, options)?, true)),
            })
            .collect();
        plan.cached_at = plan
            .dois
            .iter()
            .zip(&plan.registry)
            .map(|(doi, registry)| {
                let cache = cache?;
                match (registry, service) {
                    (Some((Registry::Work(_), _)), Some(service)) => {
                        cache.checked_at(service, &doi.key())
                    }
                    _ => cache.checked_at(options.resolver.as_str(), &doi.key()),
                }
            })
            .collect();
        plan.out.from_cache = (0..plan.dois.len()).filter(|&i| plan.answered(i)).count();
        plan
    }

    /// Short DOIs are the resolver's to expand; Crossref's API does not know them.
    fn asks_crossref(&self, doi: &Doi) -> bool {
        self.crossref.is_some() && !doi.is_short()
    }

    /// A DOI is answered when its existence is, and (where Crossref is asked) its notices.
    fn answered(&self, i: usize) -> bool {
        self.answers[i].is_some()
            && (self.registry[i].is_some()
                || !self.asks_crossref(&self.dois[i])
                || matches!(self.answers[i], Some((Answer::NotFound, _))))
    }

    /// The verdict on every reference whose DOI was answered, and its findings.
    fn verdicts(self, graph: &Graph<'_>) -> Resolution {
        let corpus = graph.corpus();
        let Plan {
            mut out,
            index,
            registry,
            answers,
            cached_at,
            ..
        } = self;
        for (ri, r) in corpus.references.iter().enumerate() {
            let (Some(field), Some(p)) = (&r.doi, r.valid_doi()) else {
                continue;
            };
            let i = index[&p.doi.key()];
            let Some((answer, cached)) = &answers[i] else {
                continue;
            };
            let (mut status, mut detail) = verdict(r, answer);
            let mut checked = Checked {
                reference: r.id.value.clone(),
                doi: p.doi.clone(),
                status: Status::Verified,
                detail: String::new(),
                cached: *cached,
                answered_at: cached_at.get(i).copied().flatten().filter(|_| *cached),
                updated_by: Vec::new(),
                update_to: Vec::new(),
            };
            match &registry[i] {
                Some((Registry::Work(work), _)) if status != Status::NotFound => {
                    let at = field.raw.span;
                    // Where the reference is cited: the related places of its notices'
                    // findings (none for a duplicate id: its citations are the first's).
                    let cites: Vec<Span> = match work.updated_by.is_empty() {
                        true => Vec::new(),
                        false => graph
                            .citations_of(graph.reference_index(&r.id.value).unwrap_or(ri))
                            .map(|(_, c)| c.key_span)
                            .collect(),
                    };
                    out.diagnostics
                        .extend(notice_diagnostics(corpus, &p.doi, work, at, &cites));
                    checked.updated_by = work.updated_by.clone();
                    checked.update_to = work.update_to.clone();
                    detail = notices_detail(detail, work);
                }
                Some((Registry::Unknown(reason), _)) if status == Status::Verified => {
                    detail = format!(
                        "registered, but whether a notice (a retraction, a correction) updates it \
                         could not be learnt from Crossref: {reason}"
                    );
                    status = Status::Unverified(detail.clone());
                }
                _ => {}
            }
            match &status {
                Status::Verified => out.counts.verified += 1,
                Status::NotFound | Status::Mismatch(_) => out.counts.broken += 1,
                Status::Unverified(_) => out.counts.unverified += 1,
            }
            out.diagnostics
                .extend(diagnostic(&p.doi, &status, field.raw.span));
            checked.status = status;
            checked.detail = detail;
            out.checked.push(checked);
        }
        out
    }
}

/// The answer Crossref's record gives: the DOI exists, with this metadata.
fn work_answer(work: &Work, options: &Options) -> Answer {
    Answer::Found(if options.metadata {
        Record::Metadata(work.metadata.clone())
    } else {
        Record::Unchecked
    })
}

/// Most claims shown as related places of one finding; the message counts the rest.
const MAX_CITING_SHOWN: usize = 20;

/// The findings about the notices of a work: one per rule, naming every notice under it;
/// and one when the DOI is itself a notice.
fn notice_diagnostics(
    corpus: &Corpus,
    doi: &Doi,
    work: &Work,
    at: Span,
    citing: &[Span],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in [
        Rule::CitedWorkRetracted,
        Rule::CitedWorkConcern,
        Rule::CitedWorkCorrected,
    ] {
        let notices: Vec<&Notice> = work
            .updated_by
            .iter()
            .filter(|n| n.rule() == Some(rule))
            .collect();
        if notices.is_empty() {
            continue;
        }
        let listed = notices
            .iter()
            .map(|n| {
                let date = n
                    .date
                    .as_deref()
                    .map(|d| format!(" of {d}"))
                    .unwrap_or_default();
                format!(
                    "{} notice {}{date}, reported by {}",
                    n.kind_words(),
                    n.doi,
                    n.sources_words()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let (label, help) = match rule {
            Rule::CitedWorkRetracted => (
                "retracted",
                "a retracted work backs no claim: find other support for the claims citing it, \
                 or say in them that it was retracted",
            ),
            Rule::CitedWorkConcern => (
                "under an expression of concern",
                "read the notice: the work's findings are in doubt while it stands",
            ),
            _ => (
                "corrected",
                "read the notice and check that the claims citing the work still hold; then \
                 allow the rule on the reference (`argmap-allow: [cited-work-corrected]`)",
            ),
        };
        let more = citing.len().saturating_sub(MAX_CITING_SHOWN);
        let cited = match (citing.len(), more) {
            (0, _) => String::new(),
            (1, _) => ", cited by 1 claim".to_owned(),
            (n, 0) => format!(", cited by {n} claims"),
            (n, more) => format!(", cited by {n} claims ({more} not shown)"),
        };
        let mut d = Diagnostic::new(
            rule,
            Label::new(at, label),
            format!("the work of DOI {doi} is {label}{cited}: {listed}"),
        )
        .with_help(help);
        for &span in citing.iter().take(MAX_CITING_SHOWN) {
            d = d.with_related(Label::new(span, "cites it"));
        }
        out.push(d);
    }
    let concerned: Vec<&Notice> = work
        .update_to
        .iter()
        .filter(|n| n.rule().is_some())
        .collect();
    if let Some(first) = concerned.first() {
        let targets = concerned
            .iter()
            .map(|n| n.doi.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::new(
            Rule::DoiIsNotice,
            Label::new(at, "a notice, not the work"),
            format!(
                "DOI {doi} is a {} notice for {targets}: the reference cites the notice, not the work",
                first.kind_words()
            ),
        )
        .with_help(format!(
            "use the work's DOI ({}), unless the notice itself is what is cited",
            first.doi
        ));
        // Only one work to point to makes a replacement; unsafe, as the notice may be meant.
        let text = &corpus.sources.get(at.file).text;
        if concerned.len() == 1
            && crate::doi::parse(&first.doi).is_ok()
            && let Some(new) = crate::yaml::rewrite_scalar(text, at.range(), &first.doi)
        {
            d = d.with_fix(crate::diagnostic::Fix::replace(
                format!("replace with `{}`", first.doi),
                at,
                new,
                crate::diagnostic::Applicability::Unsafe,
            ));
        }
        out.push(d);
    }
    out
}

/// The DOI table's line, with the notices that concern the work.
fn notices_detail(detail: String, work: &Work) -> String {
    let notices: Vec<String> = work
        .updated_by
        .iter()
        .filter(|n| n.rule().is_some())
        .map(|n| {
            let date = n
                .date
                .as_deref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default();
            format!("{}{date} ({})", n.kind_words(), n.doi)
        })
        .chain(
            work.update_to
                .iter()
                .filter(|n| n.rule().is_some())
                .map(|n| format!("a {} notice for {}", n.kind_words(), n.doi)),
        )
        .collect();
    if notices.is_empty() {
        format!("{detail}; no notice updates it")
    } else {
        format!("{detail}; {}", notices.join("; "))
    }
}

/// A fresh cached answer that does for this run.
fn cached(cache: &Cache, doi: &Doi, now: u64, options: &Options) -> Option<Answer> {
    let service = options.resolver.as_str();
    Some(
        match cache
            .get(service, &doi.key(), now, options.max_age)?
            .clone()
        {
            Stored::NotFound => Answer::NotFound,
            Stored::Found { metadata } => {
                let record = Record::from(metadata);
                // An existence-only answer does not do for a run that wants metadata.
                if options.metadata && record == Record::Unchecked {
                    return None;
                }
                Answer::Found(record)
            }
            Stored::CrossrefWork { .. } | Stored::NotInCrossref => return None,
        },
    )
}

/// The verdict on one reference, and a line saying what it rests on.
fn verdict(reference: &Reference, answer: &Answer) -> (Status, String) {
    match answer {
        Answer::NotFound => (Status::NotFound, "not registered".into()),
        Answer::Unverified { reason, registered } => {
            let reason = if *registered {
                format!("registered, but its metadata could not be fetched: {reason}")
            } else {
                reason.clone()
            };
            (Status::Unverified(reason.clone()), reason)
        }
        Answer::Found(Record::Unchecked) => (Status::Verified, "registered".into()),
        Answer::Found(Record::NoMetadata) => (
            Status::Verified,
            "registered; its agency offers no CSL-JSON to compare".into(),
        ),
        Answer::Found(Record::Metadata(m)) => {
            let differences = judge::compare(reference, m);
            let nothing = m.title.is_none() && m.issued.is_none() && m.first_author.is_none();
            if nothing {
                (
                    Status::Verified,
                    "registered; its metadata has nothing to compare".into(),
                )
            } else if differences.is_empty() {
                (Status::Verified, "registered; metadata agrees".into())
            } else {
                let detail = differences
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                (Status::Mismatch(differences), detail)
            }
        }
    }
}

/// The finding for a verdict, labelled at the DOI field.
fn diagnostic(doi: &Doi, status: &Status, at: Span) -> Option<Diagnostic> {
    let label = |message: &'static str| Label::new(at, message);
    Some(match status {
        Status::Verified => return None,
        Status::NotFound => Diagnostic::new(
            Rule::DoiNotFound,
            label("not registered"),
            format!("DOI {doi} does not exist: the DOI system has no record of it"),
        )
        .with_help("check the DOI printed in the cited work (one wrong character is enough), or remove it"),
        Status::Mismatch(differences) => {
            let what = differences
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            Diagnostic::new(
                Rule::DoiMetadataMismatch,
                label("registered for different metadata"),
                format!("DOI {doi} is registered with other metadata: {what}"),
            )
            .with_help(
                "check that this DOI belongs to this reference (it may come from a neighbouring \
                 entry), or correct the reference",
            )
        }
        Status::Unverified(reason) => Diagnostic::new(
            Rule::DoiUnverified,
            label("not verified"),
            format!("DOI {doi} could not be verified: {reason}"),
        )
        .with_help("this says nothing about the DOI itself; run again later, or allow more --timeout or --retries"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolver_is_a_plain_http_base_url() {
        assert!(parse_resolver("https://doi.org").is_ok());
        assert!(parse_resolver("http://127.0.0.1:9/sub").is_ok());
        for bad in [
            "https://doi.org/?x=1",
            "https://doi.org/#top",
            "ftp://doi.org",
            "doi.org",
            "mailto:x@y",
        ] {
            assert!(parse_resolver(bad).is_err(), "{bad}");
        }
    }

    fn reference(title: &str) -> Reference {
        let span = Span::new(crate::source::FileId(0), 0, 0);
        let mut r = Reference::empty(span);
        r.title = crate::source::Spanned::new(title.to_owned(), span);
        r
    }

    /// Metadata with only a title is compared on the title: it is not "nothing".
    #[test]
    fn metadata_with_one_field_is_compared_on_it() {
        let registered = Metadata {
            title: Some("A different work entirely".into()),
            ..Metadata::default()
        };
        let (status, _) = verdict(
            &reference("The structure of ordinary water"),
            &Answer::Found(Record::Metadata(registered)),
        );
        assert!(matches!(status, Status::Mismatch(_)), "{status:?}");
        let (status, detail) = verdict(
            &reference("Water"),
            &Answer::Found(Record::Metadata(Metadata::default())),
        );
        assert_eq!(status, Status::Verified);
        assert!(detail.contains("nothing to compare"), "{detail}");
    }
}
