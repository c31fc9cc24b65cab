//! The network half of resolution (the `online` feature): the Handle API, content
//! negotiation and Crossref's REST API, asked politely and in parallel, and what they
//! answer kept in the cache. The rest of `resolve` reads the cache and judges, offline.

use std::future::Future;
use std::sync::{Arc, Mutex};

use reqwest::{StatusCode, Url};
use tokio::time::Instant;

use super::cache::{Cache, Stored};
use super::http::{Http, NoAnswer, Settings};
use super::*;

/// Largest Handle API answer read: a real one is well under a kilobyte.
const HANDLE_BODY_CAP: usize = 1 << 20;
/// Largest CSL-JSON answer read: Crossref's, with hundreds of references, is tens of kB.
const CSL_BODY_CAP: usize = 8 << 20;
/// Redirects followed from the resolver to the agency's CSL-JSON.
const MAX_REDIRECTS: usize = 8;
const CSL_JSON: &str = "application/vnd.citationstyles.csl+json";
/// Largest REST answer read: a batch of full records, reference lists and all.
const CROSSREF_BODY_CAP: usize = 64 << 20;
/// Most DOIs asked about in one request, as Crossref's staff advise ("a few dozen").
const BATCH_DOIS: usize = 50;
/// Longest batch URL, well under the 8 KB servers and proxies accept.
const BATCH_URL_BYTES: usize = 4000;

impl Plan {
    /// Asks the network about every DOI the cache did not answer.
    pub(super) async fn fetch(
        &mut self,
        options: &Options,
        progress: &dyn Progress,
    ) -> Result<(), ResolveError> {
        let total = self.dois.len();
        progress.start(total, self.out.from_cache);
        if self.out.from_cache < total {
            let lookup = Arc::new(Lookup::new(options)?);
            let deadline = Instant::now() + options.deadline;
            if options.crossref.is_some() {
                let wanted: Vec<usize> = (0..total)
                    .filter(|&i| !self.answered(i) && self.asks_crossref(&self.dois[i]))
                    .filter(|&i| !matches!(self.answers[i], Some((Answer::NotFound, _))))
                    .collect();
                let found = ask_crossref(&lookup, &self.dois, &wanted, options, deadline).await;
                for (i, found) in found {
                    if let Registry::Work(work) = &found
                        && self.answers[i].is_none()
                    {
                        let answer = work_answer(work, options);
                        progress.resolved(&self.dois[i], &answer);
                        self.answers[i] = Some((answer, false));
                    }
                    self.registry[i] = Some((found, false));
                }
            }
            let jobs: Vec<(usize, Doi)> = (0..total)
                .filter(|&i| self.answers[i].is_none())
                .map(|i| (i, self.dois[i].clone()))
                .collect();
            let run_lookup = lookup.clone();
            let resolved = in_parallel(jobs, options.concurrency, move |(i, doi)| {
                let lookup = run_lookup.clone();
                async move {
                    let answer = tokio::time::timeout_at(deadline, lookup.doi(&doi, deadline))
                        .await
                        .unwrap_or_else(|_| Answer::Unverified {
                            reason: "the run's deadline passed first".into(),
                            registered: false,
                        });
                    (i, answer)
                }
            })
            .await;
            for (i, answer) in resolved {
                progress.resolved(&self.dois[i], &answer);
                self.answers[i] = Some((answer, false));
            }
            self.out.requests = lookup.http.requests();
        }
        progress.finish();
        Ok(())
    }

    /// Keeps the definitive answers the network gave in `cache`, and saves it.
    pub(super) fn store(&mut self, options: &Options, cache: &mut Cache) {
        let (crossref, now) = (self.crossref.as_deref(), self.now);
        for (i, doi) in self.dois.iter().enumerate() {
            if let (Some(service), Some((found, false))) = (crossref, &self.registry[i]) {
                let stored = match found {
                    Registry::Work(work) => Stored::CrossrefWork {
                        work: (**work).clone(),
                    },
                    Registry::Elsewhere => Stored::NotInCrossref,
                    Registry::Unknown(_) => continue,
                };
                cache.put(service, doi.key(), stored, now);
            }
            // What Crossref's record answered needs no resolver entry.
            if matches!(self.registry[i], Some((Registry::Work(_), _))) {
                continue;
            }
            let stored = match &self.answers[i] {
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
            self.out.notes.push(format!(
                "cannot write the DOI cache {}: {e}",
                cache.path().display()
            ));
        }
    }
}

/// Runs `task` on every job, at most `workers` at once, and gathers the results in the
/// order they finish.
async fn in_parallel<J, T, F, Fut>(jobs: Vec<J>, workers: usize, task: F) -> Vec<T>
where
    J: Send + 'static,
    T: Send + 'static,
    F: Fn(J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send,
{
    let workers = workers.clamp(1, jobs.len().max(1));
    let queue = Arc::new(Mutex::new(jobs.into_iter()));
    let task = Arc::new(task);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (queue, task) = (queue.clone(), task.clone());
        tasks.spawn(async move {
            let mut done = Vec::new();
            loop {
                let Some(job) = queue.lock().expect("queue lock").next() else {
                    break;
                };
                done.push(task(job).await);
            }
            done
        });
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        out.extend(done.expect("a lookup task does not panic"));
    }
    out
}

/// Asks Crossref about the DOIs at `wanted`: in batches of up to [`BATCH_DOIS`], then
/// alone for those a batch cannot hold (a comma in the DOI) or did not list.
async fn ask_crossref(
    lookup: &Arc<Lookup>,
    dois: &[Doi],
    wanted: &[usize],
    options: &Options,
    deadline: Instant,
) -> Vec<(usize, Registry)> {
    let mut batches: Vec<Vec<(usize, Doi)>> = Vec::new();
    let mut alone: Vec<(usize, Doi)> = Vec::new();
    let mut url_bytes = 0;
    for &i in wanted {
        let doi = &dois[i];
        if doi.as_str().contains(',') {
            alone.push((i, doi.clone()));
            continue;
        }
        // `doi:` and a comma, percent-encoded at worst three bytes a character.
        let cost = 3 * (doi.as_str().len() + 5);
        let full = batches
            .last()
            .is_none_or(|b| b.len() >= BATCH_DOIS || url_bytes + cost > BATCH_URL_BYTES);
        if full {
            batches.push(Vec::new());
            url_bytes = 0;
        }
        url_bytes += cost;
        batches.last_mut().expect("a batch").push((i, doi.clone()));
    }
    let run_lookup = lookup.clone();
    let answered = in_parallel(batches, options.concurrency, move |batch| {
        let lookup = run_lookup.clone();
        async move {
            let asked: Vec<&Doi> = batch.iter().map(|(_, d)| d).collect();
            let answer = tokio::time::timeout_at(deadline, lookup.batch(&asked, deadline))
                .await
                .unwrap_or_else(|_| Err(Batch::Failed("the run's deadline passed first".into())));
            (batch, answer)
        }
    })
    .await;
    let mut out = Vec::new();
    for (batch, answer) in answered {
        match answer {
            Ok(works) => {
                let mut by_doi: HashMap<String, Work> = works
                    .into_iter()
                    .map(|w| (w.doi.to_ascii_lowercase(), w))
                    .collect();
                for (i, doi) in batch {
                    match by_doi.remove(&doi.key()) {
                        Some(work) => out.push((i, Registry::Work(Box::new(work)))),
                        None => alone.push((i, doi)),
                    }
                }
            }
            // The server refused this batch's request: each DOI may fare better alone.
            Err(Batch::Refused) => alone.extend(batch),
            Err(Batch::Failed(reason)) => {
                out.extend(
                    batch
                        .into_iter()
                        .map(|(i, _)| (i, Registry::Unknown(reason.clone()))),
                );
            }
        }
    }
    let run_lookup = lookup.clone();
    out.extend(
        in_parallel(alone, options.concurrency, move |(i, doi)| {
            let lookup = run_lookup.clone();
            async move {
                let found = tokio::time::timeout_at(deadline, lookup.work(&doi, deadline))
                    .await
                    .unwrap_or_else(|_| Err("the run's deadline passed first".into()));
                let registry = match found {
                    Ok(Some(work)) => Registry::Work(Box::new(work)),
                    Ok(None) => Registry::Elsewhere,
                    Err(reason) => Registry::Unknown(reason),
                };
                (i, registry)
            }
        })
        .await,
    );
    out
}

/// Why a batch brought no list.
enum Batch {
    /// The server refused the request itself (a 4xx): its DOIs are asked alone.
    Refused,
    /// No answer (after retries).
    Failed(String),
}

/// Looking DOIs up: the HTTP client and what the run asked for.
struct Lookup {
    http: Http,
    resolver: Url,
    metadata: bool,
    crossref: Option<Url>,
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
            crossref: options.crossref.clone(),
        })
    }

    /// `{crossref}/works`, keeping any path the API URL has.
    fn works_url(&self) -> Result<Url, NoAnswer> {
        let base = self
            .crossref
            .as_ref()
            .ok_or_else(|| "Crossref is not asked in this run".to_owned())?;
        let base = base.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/works")).map_err(|e| format!("cannot build a URL ({e})"))
    }

    /// Crossref's records of many DOIs in one request (`filter=doi:A,doi:B`, which ORs
    /// the repeated filter); a DOI missing from the list has no record there.
    async fn batch(&self, dois: &[&Doi], deadline: Instant) -> Result<Vec<Work>, Batch> {
        let mut url = self.works_url().map_err(Batch::Failed)?;
        let filter = dois
            .iter()
            .map(|d| format!("doi:{}", d.as_str()))
            .collect::<Vec<_>>()
            .join(",");
        url.query_pairs_mut()
            .append_pair("filter", &filter)
            .append_pair("rows", &dois.len().to_string());
        let f = self
            .http
            .get(&url, "application/json", CROSSREF_BODY_CAP, deadline)
            .await
            .map_err(|e| Batch::Failed(format!("Crossref: {e}")))?;
        if f.status.is_client_error() {
            return Err(Batch::Refused);
        }
        if !f.status.is_success() {
            return Err(Batch::Failed(format!(
                "Crossref answered HTTP {}",
                f.status.as_u16()
            )));
        }
        let body = f
            .body
            .ok_or_else(|| Batch::Failed("Crossref's answer is larger than argmap reads".into()))?;
        crossref::parse_list(&body)
            .map_err(|e| Batch::Failed(format!("Crossref's answer is unusable: {e}")))
    }

    /// Crossref's record of one DOI: `None` when Crossref has none (a 404), or answers with
    /// the record of another DOI (a proxy's mistake, or an alias): that record's notices are
    /// not this work's, and the DOI is then checked as any agency's is.
    async fn work(&self, doi: &Doi, deadline: Instant) -> Result<Option<Work>, NoAnswer> {
        let base = self.works_url()?;
        let url = Url::parse(&format!("{base}/{}", doi.url_path()))
            .map_err(|e| format!("cannot build a URL ({e})"))?;
        let f = self
            .http
            .get(&url, "application/json", CROSSREF_BODY_CAP, deadline)
            .await
            .map_err(|e| format!("Crossref: {e}"))?;
        if f.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !f.status.is_success() {
            return Err(format!("Crossref answered HTTP {}", f.status.as_u16()));
        }
        let body = f
            .body
            .ok_or_else(|| "Crossref's answer is larger than argmap reads".to_owned())?;
        let work = crossref::parse_work(&body)
            .map_err(|e| format!("Crossref's answer is unusable: {e}"))?;
        Ok((work.doi.to_ascii_lowercase() == doi.key()).then_some(work))
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
        match self.csl_body(doi, deadline).await? {
            None => Ok(Record::NoMetadata),
            Some(body) => csl::parse(&body)
                .map(Record::Metadata)
                .map_err(|e| format!("the metadata answer is unusable: {e}")),
        }
    }

    /// The body of the agency's CSL-JSON answer (`None` when it offers none), as
    /// [`Lookup::metadata`] reads it.
    async fn csl_body(&self, doi: &Doi, deadline: Instant) -> Result<Option<Vec<u8>>, NoAnswer> {
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
                return Ok(None);
            }
            // Past the resolver, a refusal comes from the agency or the publisher's landing
            // page (which may turn robots away): the DOI is fine, there is just no CSL-JSON.
            if f.status.is_client_error() && hop > 0 {
                return Ok(None);
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
                return Ok(None);
            }
            let Some(body) = f.body else {
                return Err("the metadata answer is larger than argmap reads".into());
            };
            return Ok(Some(body));
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }
}

/// Why a DOI's CSL-JSON item could not be had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// The DOI does not exist (the Handle API said so).
    #[error("the DOI does not exist")]
    NotFound,
    /// The DOI exists, but its agency offers no CSL-JSON.
    #[error("its registration agency offers no CSL-JSON for it")]
    NoMetadata,
    /// No answer; why.
    #[error("{0}")]
    Failed(String),
}

/// Each DOI's registered CSL-JSON item, or why there is none.
pub type Items = Vec<Result<serde_json::Map<String, serde_json::Value>, ItemError>>;

/// The registered CSL-JSON item of each DOI, in order: whether it exists from the Handle
/// API, then the item by content negotiation, through the resolver, with the manners of a
/// resolution (a gate per server, retries, capped bodies, redirects followed by hand).
/// What is learnt is kept in the cache as a resolution keeps it (existence and the compared
/// metadata; the cache holds no whole items, so an item is always asked for). Returns the
/// items and notes about the cache.
pub async fn csl_items(
    dois: &[Doi],
    options: &Options,
) -> Result<(Items, Vec<String>), ResolveError> {
    let lookup = Lookup::new(options)?;
    let deadline = Instant::now() + options.deadline;
    let mut items = Vec::with_capacity(dois.len());
    let mut learnt = Vec::new();
    for doi in dois {
        let item = match lookup.exists(doi, deadline).await {
            Err(reason) => Err(ItemError::Failed(reason)),
            Ok(false) => {
                learnt.push((doi, Stored::NotFound));
                Err(ItemError::NotFound)
            }
            Ok(true) => match lookup.csl_body(doi, deadline).await {
                Err(reason) => Err(ItemError::Failed(reason)),
                Ok(None) => {
                    learnt.push((
                        doi,
                        Stored::Found {
                            metadata: cache::StoredMetadata::None,
                        },
                    ));
                    Err(ItemError::NoMetadata)
                }
                Ok(Some(body)) => match serde_json::from_slice::<serde_json::Value>(&body) {
                    Ok(serde_json::Value::Object(item)) => Ok(item),
                    Ok(serde_json::Value::Array(list)) => match list.into_iter().next() {
                        Some(serde_json::Value::Object(item)) => Ok(item),
                        _ => Err(ItemError::Failed(
                            "the answer is JSON but not a CSL item".into(),
                        )),
                    },
                    Ok(_) => Err(ItemError::Failed(
                        "the answer is JSON but not a CSL item".into(),
                    )),
                    Err(e) => Err(ItemError::Failed(format!("the answer is not JSON ({e})"))),
                }
                .inspect(|item| {
                    let metadata = cache::StoredMetadata::Csl(csl::item_metadata(item));
                    learnt.push((doi, Stored::Found { metadata }));
                }),
            },
        };
        items.push(item);
    }
    let mut notes = Vec::new();
    if let Some(path) = &options.cache {
        let (mut cache, note) = Cache::load(path);
        notes.extend(note);
        let now = super::now();
        for (doi, stored) in learnt {
            cache.put(options.resolver.as_str(), doi.key(), stored, now);
        }
        if cache.is_dirty()
            && let Err(e) = cache.save()
        {
            notes.push(format!(
                "cannot write the DOI cache {}: {e}",
                path.display()
            ));
        }
    }
    Ok((items, notes))
}
