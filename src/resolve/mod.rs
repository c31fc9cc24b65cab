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

mod cache;
mod csl;
mod gate;
mod http;
mod judge;
mod text;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{StatusCode, Url};
use tokio::time::Instant;

use crate::diagnostic::{Diagnostic, Label, Phase, Rule, RuleInfo, Severity};
use crate::doi::Doi;
use crate::model::{Corpus, Reference};
use crate::report::DoiCounts;
use crate::source::Span;

pub use cache::MaxAge;
pub use csl::{CslError, Metadata};
pub use judge::Difference;
pub use text::sanitize;

use cache::{Cache, Stored};
use http::{Http, NoAnswer, Settings};

pub(crate) static DOI_NOT_FOUND: RuleInfo = RuleInfo {
    severity: Severity::Error,
    summary: "the DOI system says this DOI does not exist",
    doc: "The Handle API of the resolver answered that the DOI is not registered (HTTP 404 with \
          responseCode 100). The DOI is mistyped, was never registered, or the reference is \
          invented. Check the DOI printed in the source paper, or remove it. Only this answer \
          is reported as a broken DOI: an unreachable or failing resolver is `doi-unverified`.",
    phase: Phase::Online,
    example: "DOI: 10.1177/000944551452364   # a digit lost",
    fixed: "DOI: 10.1177/0009445514523646",
    blocks_drawing: false,
};

pub(crate) static DOI_METADATA_MISMATCH: RuleInfo = RuleInfo {
    severity: Severity::Warning,
    summary: "the DOI belongs to a work whose metadata differs from the reference",
    doc: "The DOI exists, but the CSL-JSON its registration agency returns disagrees with the \
          reference on the title, the year or the first author's family name. The DOI may have \
          been copied onto the wrong entry. Titles are compared without regard to case, \
          punctuation, diacritics, HTML entities and markup, and a subtitle present on one side \
          only is not a difference; a print year is not a difference from an online-first \
          year when it matches the registered `published-print`. The message shows both values.",
    phase: Phase::Online,
    example: "- id: frank1970\n  title: The structure of ordinary water\n  DOI: 10.1038/193293a0   # another work's DOI",
    fixed: "- id: frank1970\n  title: The structure of ordinary water\n  DOI: 10.1126/science.169.3946.635",
    blocks_drawing: false,
};

pub(crate) static DOI_UNVERIFIED: RuleInfo = RuleInfo {
    severity: Severity::Warning,
    summary: "no definitive answer about a DOI could be had",
    doc: "The resolver could not be reached, timed out, rate-limited the run or answered \
          something that is not an answer (5xx, garbage, an oversized body) even after retries; \
          or the DOI exists but its metadata could not be fetched. This says nothing about the \
          DOI itself, which is why it is never reported as broken: run again later, or give \
          more `--timeout` or `--retries`. Unverified answers are not cached.",
    phase: Phase::Online,
    example: "argmap check --online --timeout 1s   # the resolver is slow today",
    fixed: "argmap check --online   # later, or with more --timeout and --retries",
    blocks_drawing: false,
};

/// Largest Handle API answer read: a real one is well under a kilobyte.
const HANDLE_BODY_CAP: usize = 1 << 20;
/// Largest CSL-JSON answer read: Crossref's, with hundreds of references, is tens of kB.
const CSL_BODY_CAP: usize = 8 << 20;
/// Redirects followed from the resolver to the agency's CSL-JSON.
const MAX_REDIRECTS: usize = 8;
const CSL_JSON: &str = "application/vnd.citationstyles.csl+json";

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

/// Resolves every valid DOI of `corpus` and judges each reference that carries one.
pub async fn resolve(
    corpus: &Corpus,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Resolution, ResolveError> {
    run(corpus, options, Some(progress)).await
}

/// The verdicts the cache holds, without the network: for a view (an editor's hover, a
/// report) that must not wait for servers. A DOI the cache does not answer (or answers
/// too old) has no row and no diagnostic; nothing is written.
pub fn from_cache(corpus: &Corpus, options: &Options) -> Resolution {
    // Without the network nothing awaits: the future is ready at its first poll.
    let ready = run(corpus, options, None);
    let mut ready = std::pin::pin!(ready);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match ready.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Ok(resolution)) => resolution,
        _ => Resolution::default(),
    }
}

/// Resolves (with `progress`, over the network) or reads the cache only (without).
async fn run(
    corpus: &Corpus,
    options: &Options,
    progress: Option<&dyn Progress>,
) -> Result<Resolution, ResolveError> {
    let mut out = Resolution::default();
    // Distinct DOIs (they compare case-insensitively) in order of first appearance.
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

    let mut cache = options.cache.as_deref().map(|path| {
        let (cache, warning) = Cache::load(path);
        out.notes.extend(warning);
        cache
    });
    let now = cache::now();
    let mut answers: Vec<Slot> = dois
        .iter()
        .map(|doi| Some((cached(cache.as_ref()?, doi, now, options)?, true)))
        .collect();
    out.from_cache = answers.iter().flatten().count();
    if let Some(progress) = progress {
        progress.start(dois.len(), out.from_cache);
        if out.from_cache < dois.len() {
            out.requests = look_up(&dois, &mut answers, options, progress).await?;
        }
        progress.finish();
    }

    if let Some(cache) = cache.as_mut().filter(|_| progress.is_some()) {
        for (doi, slot) in dois.iter().zip(&answers) {
            let stored = match slot {
                Some((Answer::Found(record), false)) => Stored::Found {
                    metadata: record.into(),
                },
                Some((Answer::NotFound, false)) => Stored::NotFound,
                // Already cached, or not definitive.
                _ => continue,
            };
            cache.put(options.resolver.as_str(), doi.key(), stored, now);
        }
        if cache.is_dirty()
            && let Err(e) = cache.save()
        {
            out.notes.push(format!(
                "cannot write the DOI cache {}: {e}",
                cache.path().display()
            ));
        }
    }

    for r in &corpus.references {
        let (Some(field), Some(p)) = (&r.doi, r.valid_doi()) else {
            continue;
        };
        let Some((answer, cached)) = &answers[index[&p.doi.key()]] else {
            continue;
        };
        let (status, detail) = verdict(r, answer);
        match &status {
            Status::Verified => out.counts.verified += 1,
            Status::NotFound | Status::Mismatch(_) => out.counts.broken += 1,
            Status::Unverified(_) => out.counts.unverified += 1,
        }
        out.diagnostics
            .extend(diagnostic(&p.doi, &status, field.raw.span));
        out.checked.push(Checked {
            reference: r.id.value.clone(),
            doi: p.doi.clone(),
            status,
            detail,
            cached: *cached,
        });
    }
    Ok(out)
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
        },
    )
}

/// Fills the empty slots over the network, `options.concurrency` DOIs at a time, within
/// the run's deadline. Returns how many requests were sent.
async fn look_up(
    dois: &[Doi],
    answers: &mut [Slot],
    options: &Options,
    progress: &dyn Progress,
) -> Result<usize, ResolveError> {
    let jobs: Vec<(usize, Doi)> = (0..dois.len())
        .filter(|&i| answers[i].is_none())
        .map(|i| (i, dois[i].clone()))
        .collect();
    let lookup = Arc::new(Lookup::new(options)?);
    let deadline = Instant::now() + options.deadline;
    let workers = options.concurrency.clamp(1, jobs.len().max(1));
    let queue = Arc::new(Mutex::new(jobs.into_iter()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (lookup, queue, tx) = (lookup.clone(), queue.clone(), tx.clone());
        tasks.spawn(async move {
            loop {
                let Some((i, doi)) = queue.lock().expect("queue lock").next() else {
                    break;
                };
                let answer = tokio::time::timeout_at(deadline, lookup.doi(&doi, deadline))
                    .await
                    .unwrap_or_else(|_| Answer::Unverified {
                        reason: "the run's deadline passed first".into(),
                        registered: false,
                    });
                if tx.send((i, answer)).is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    while let Some((i, answer)) = rx.recv().await {
        progress.resolved(&dois[i], &answer);
        answers[i] = Some((answer, false));
    }
    while tasks.join_next().await.is_some() {}
    Ok(lookup.http.requests())
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
    let label = |message: &str| Label::new(at, message);
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

/// Looking DOIs up: the HTTP client and what the run asked for.
struct Lookup {
    http: Http,
    resolver: Url,
    metadata: bool,
}

impl Lookup {
    fn new(options: &Options) -> Result<Lookup, ResolveError> {
        let http = Http::new(Settings {
            user_agent: options.user_agent.clone(),
            concurrency: options.concurrency.max(1),
            timeout: options.timeout,
            retries: options.retries,
            backoff: options.backoff,
            max_retry_wait: options.max_retry_wait,
        })?;
        Ok(Lookup {
            http,
            resolver: options.resolver.clone(),
            metadata: options.metadata,
        })
    }

    /// `{resolver}/{path}`, keeping any path the resolver URL has.
    fn url(&self, path: &str) -> Result<Url, NoAnswer> {
        let base = self.resolver.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{path}")).map_err(|e| format!("cannot build a URL ({e})"))
    }

    async fn doi(&self, doi: &Doi, deadline: Instant) -> Answer {
        let unverified = |reason: String, registered| Answer::Unverified { reason, registered };
        match self.exists(doi, deadline).await {
            Err(reason) => unverified(reason, false),
            Ok(false) => Answer::NotFound,
            Ok(true) if !self.metadata => Answer::Found(Record::Unchecked),
            Ok(true) => match self.metadata(doi, deadline).await {
                Ok(record) => Answer::Found(record),
                Err(reason) => unverified(reason, true),
            },
        }
    }

    /// The Handle API's word: 200 with responseCode 1 exists, 404 with responseCode 100
    /// does not; anything else is no answer.
    async fn exists(&self, doi: &Doi, deadline: Instant) -> Result<bool, NoAnswer> {
        let url = self.url(&format!("api/handles/{}", doi.url_path()))?;
        let f = self
            .http
            .get(&url, "application/json", HANDLE_BODY_CAP, deadline)
            .await?;
        let Some(body) = &f.body else {
            return Err(format!(
                "the Handle API answered HTTP {} with an oversized body",
                f.status.as_u16()
            ));
        };
        let code = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("responseCode")?.as_i64());
        match (f.status, code) {
            // 200 is "handle exists, no values of the type asked for".
            (StatusCode::OK, Some(1 | 200)) => Ok(true),
            (StatusCode::NOT_FOUND, Some(100)) => Ok(false),
            (status, Some(code)) => Err(format!(
                "the Handle API answered HTTP {} with responseCode {code}",
                status.as_u16()
            )),
            (status, None) => Err(format!(
                "the Handle API answered HTTP {} without a Handle API body",
                status.as_u16()
            )),
        }
    }

    /// The agency's CSL-JSON, following redirects by hand: an HTML page or a 406 means the
    /// agency offers none; an answer that should be CSL-JSON and is not is no answer.
    async fn metadata(&self, doi: &Doi, deadline: Instant) -> Result<Record, NoAnswer> {
        let mut url = self.url(&doi.url_path())?;
        for hop in 0..=MAX_REDIRECTS {
            let f = self
                .http
                .get(&url, CSL_JSON, CSL_BODY_CAP, deadline)
                .await?;
            if f.status.is_redirection() {
                let Some(location) = &f.location else {
                    return Err(format!("HTTP {} without a Location", f.status.as_u16()));
                };
                url = f
                    .url
                    .join(location)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| {
                        format!(
                            "a redirect to an unusable location ({})",
                            sanitize(location, 100)
                        )
                    })?;
                continue;
            }
            if f.status == StatusCode::NOT_ACCEPTABLE {
                return Ok(Record::NoMetadata);
            }
            // Past the resolver, a refusal comes from the agency or the publisher's landing
            // page (which may turn robots away): the DOI is fine, there is just no CSL-JSON.
            if f.status.is_client_error() && hop > 0 {
                return Ok(Record::NoMetadata);
            }
            if !f.status.is_success() {
                return Err(format!(
                    "the resolver answered HTTP {} when asked for metadata",
                    f.status.as_u16()
                ));
            }
            let mime = f.content_type.as_deref().map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
            let json = match mime.as_deref() {
                None => true,
                Some(m) => m == "application/json" || m.ends_with("+json"),
            };
            if !json {
                return Ok(Record::NoMetadata);
            }
            let Some(body) = f.body else {
                return Err("the metadata answer is larger than argmap reads".into());
            };
            return csl::parse(&body)
                .map(Record::Metadata)
                .map_err(|e| format!("the metadata answer is unusable: {e}"));
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }
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
