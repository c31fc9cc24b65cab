//! HTTP with manners: one client (connections are reused), a gate per server, retries
//! with exponential backoff and jitter that honour `Retry-After`, capped bodies, and
//! redirects followed by hand so every hop passes its own server's gate.

use std::collections::HashMap;
use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;

use super::gate::Gate;
use super::text::sanitize;

/// Longest backoff between two attempts when the server names no wait.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What the network layer needs from the run's options.
#[derive(Clone, Debug)]
pub struct Settings {
    pub user_agent: String,
    pub concurrency: usize,
    pub timeout: Duration,
    pub retries: u32,
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_wait: Duration,
}

/// An answer: status, the headers that matter, and the body unless it was over the cap.
#[derive(Debug)]
pub struct Fetched {
    pub url: Url,
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub location: Option<String>,
    /// `None` when the body was larger than allowed (it was not read).
    pub body: Option<Vec<u8>>,
}

/// Why no answer could be had (after retries, where retrying made sense).
pub type NoAnswer = String;

pub struct Http {
    client: reqwest::Client,
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    settings: Settings,
    requests: AtomicUsize,
}

enum Attempt {
    Done(Fetched),
    /// Worth another try: why, and how long the server asked us to wait.
    Retry(String, Option<Duration>),
    Fail(String),
}

impl Http {
    pub fn new(settings: Settings) -> reqwest::Result<Http> {
        let client = reqwest::Client::builder()
            .user_agent(&settings.user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.timeout)
            .pool_max_idle_per_host(settings.concurrency)
            .build()?;
        Ok(Http {
            client,
            gates: Mutex::new(HashMap::new()),
            settings,
            requests: AtomicUsize::new(0),
        })
    }

    /// How many requests were sent.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    fn gate(&self, url: &Url) -> Arc<Gate> {
        let origin = url.origin().ascii_serialization();
        let mut gates = self.gates.lock().expect("gates lock");
        gates
            .entry(origin)
            .or_insert_with(|| Arc::new(Gate::new(self.settings.concurrency)))
            .clone()
    }

    /// GETs `url`, retrying 429, 5xx, 408, timeouts and broken connections, and reading
    /// at most `cap` bytes of body. Retries stop before `deadline`.
    pub async fn get(
        &self,
        url: &Url,
        accept: &str,
        cap: usize,
        deadline: Instant,
    ) -> Result<Fetched, NoAnswer> {
        let gate = self.gate(url);
        let mut attempt = 0;
        loop {
            let outcome = {
                let _permit = gate.acquire().await;
                self.attempt(&gate, url, accept, cap).await
            };
            let (reason, asked) = match outcome {
                Attempt::Done(f) => return Ok(f),
                Attempt::Fail(reason) => return Err(reason),
                Attempt::Retry(reason, asked) => (reason, asked),
            };
            if attempt >= self.settings.retries {
                let tries = attempt + 1;
                return Err(match tries {
                    1 => reason,
                    n => format!("{reason} ({n} attempts)"),
                });
            }
            let wait = match asked {
                Some(w) if w > self.settings.max_retry_wait => {
                    return Err(format!(
                        "{reason}; the server asks to wait {} s",
                        w.as_secs()
                    ));
                }
                // Honour the server's wait; a little jitter keeps waiting clients apart.
                Some(w) => {
                    let w = w + jitter(w / 10);
                    gate.pause_until(Instant::now() + w);
                    w
                }
                None => backoff(self.settings.backoff, attempt),
            };
            if Instant::now() + wait > deadline {
                return Err(format!("{reason}; no time left to retry"));
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, gate: &Gate, url: &Url, accept: &str, cap: usize) -> Attempt {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let sent = self
            .client
            .get(url.clone())
            .header(ACCEPT, accept)
            .timeout(self.settings.timeout)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                gate.observe_failure();
                return self.failed(&e);
            }
        };
        let status = response.status();
        gate.observe(status, response.headers());
        if is_retryable(status) {
            let asked = retry_after(response.headers(), SystemTime::now());
            return Attempt::Retry(format!("HTTP {}", status.as_u16()), asked);
        }
        let header = |name| {
            let value = response.headers().get(name)?;
            value.to_str().ok().map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let location = header(LOCATION);
        let url = response.url().clone();
        match read_capped(response, cap).await {
            Ok(body) => Attempt::Done(Fetched {
                url,
                status,
                content_type,
                location,
                body,
            }),
            Err(e) => self.failed(&e),
        }
    }

    fn failed(&self, e: &reqwest::Error) -> Attempt {
        if e.is_builder() {
            return Attempt::Fail(describe(e, self.settings.timeout));
        }
        Attempt::Retry(describe(e, self.settings.timeout), None)
    }
}

fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
}

/// Reads a body up to `cap` bytes; `None` if it is longer (the rest is never read).
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> reqwest::Result<Option<Vec<u8>>> {
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// Exponential backoff with jitter: between half and all of `base * 2^attempt`, capped.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let full = base.saturating_mul(1 << attempt.min(16)).min(MAX_BACKOFF);
    full / 2 + jitter(full / 2)
}

fn jitter(max: Duration) -> Duration {
    max.mul_f64(fastrand::f64())
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = v.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// A short account of a failed request: what happened, not the whole error chain.
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("timed out after {}", human_duration(timeout));
    }
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let what = match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                std::io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
                std::io::ErrorKind::TimedOut => {
                    format!("timed out after {}", human_duration(timeout))
                }
                _ => io.to_string(),
            };
            return sanitize(&what, 200);
        }
        source = s.source();
    }
    // The innermost cause says what happened; the outer layers only say where.
    let mut innermost = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        innermost = s.to_string();
        source = s.source();
    }
    let plain = if innermost.contains("message head is too large") {
        "the server's response headers are larger than argmap reads".to_owned()
    } else if innermost.contains("connection closed before message completed") {
        "the server closed the connection before answering".to_owned()
    } else if e.is_decode() || e.is_body() {
        format!("the answer's body could not be read ({innermost})")
    } else if e.is_connect() {
        format!("could not connect ({innermost})")
    } else {
        format!("the request failed ({innermost})")
    };
    sanitize(&plain, 200)
}

fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{} s", d.as_secs_f64().round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(90));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(90)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_secs(1);
        for attempt in 0..4 {
            let full = base * (1 << attempt);
            let b = backoff(base, attempt);
            assert!(b >= full / 2 && b <= full, "{attempt}: {b:?}");
        }
        assert!(backoff(base, 30) <= MAX_BACKOFF);
    }
}
