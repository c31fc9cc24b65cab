//! Per-server politeness: how many requests may be in flight, how fast they may start,
//! and pauses the server asked for.
//!
//! Each server (scheme, host and port) has its own gate. A server's limits are learnt
//! from what it declares (`x-concurrency-limit`, `x-rate-limit-limit` per
//! `x-rate-limit-interval`, as Crossref does): until its first answer, one request at a
//! time goes to it, so a run never bursts past limits it has not yet read.

use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Requests are spaced this much wider than the declared rate, so that jitter between
/// our clock and the server's never puts one request too many in its window.
const RATE_MARGIN: f64 = 1.03;

#[derive(Debug)]
pub struct Gate {
    state: Mutex<State>,
    changed: Notify,
    /// The run's own bound (`--concurrency`).
    ceiling: usize,
}

#[derive(Debug)]
struct State {
    limit: usize,
    in_flight: usize,
    /// Minimum time between two request starts, when the server declares a rate.
    spacing: Option<Duration>,
    next_start: Instant,
    last_start: Option<Instant>,
    /// Whether the server has answered once (and so declared its limits, if it does).
    learnt: bool,
    /// The concurrency limit the server declared, which a 429 must not raise.
    declared: bool,
}

/// A place in flight; released on drop.
pub struct Permit<'a>(&'a Gate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.state.lock().expect("gate lock").in_flight -= 1;
        self.0.changed.notify_waiters();
    }
}

impl Gate {
    pub fn new(ceiling: usize) -> Gate {
        Gate {
            state: Mutex::new(State {
                limit: 1,
                in_flight: 0,
                spacing: None,
                next_start: Instant::now(),
                last_start: None,
                learnt: false,
                declared: false,
            }),
            changed: Notify::new(),
            ceiling: ceiling.max(1),
        }
    }

    /// Waits for a place in flight and for the request's turn under the declared rate.
    pub async fn acquire(&self) -> Permit<'_> {
        let start = loop {
            let mut changed = pin!(self.changed.notified());
            // Registered before looking, so a release between the look and the wait wakes us.
            changed.as_mut().enable();
            {
                let mut s = self.state.lock().expect("gate lock");
                if s.in_flight < s.limit {
                    s.in_flight += 1;
                    let start = s.next_start.max(Instant::now());
                    s.next_start = start + s.spacing.unwrap_or_default();
                    s.last_start = Some(start);
                    break start;
                }
            }
            changed.await;
        };
        let permit = Permit(self);
        tokio::time::sleep_until(start).await;
        permit
    }

    /// Learns from an answer: declared limits, and 429s.
    pub fn observe(&self, status: StatusCode, headers: &HeaderMap) {
        let declared = Declared::from_headers(headers);
        let mut s = self.state.lock().expect("gate lock");
        if let Some(n) = declared.concurrency {
            s.limit = n.clamp(1, self.ceiling);
            s.declared = true;
        } else if !s.learnt {
            s.limit = self.ceiling;
        }
        if let Some(spacing) = declared.spacing() {
            s.spacing = Some(spacing);
            // The requests sent before the rate was known count against it too.
            if let Some(last) = s.last_start {
                s.next_start = s.next_start.max(last + spacing);
            }
        }
        if status == StatusCode::TOO_MANY_REQUESTS && !s.declared {
            // Undeclared limits: halve what we send until the server stops refusing.
            s.limit = (s.limit / 2).max(1);
        }
        s.learnt = true;
        drop(s);
        self.changed.notify_waiters();
    }

    /// A request failed without an answer: nothing to learn, but no reason to keep the
    /// server at one request at a time either.
    pub fn observe_failure(&self) {
        let mut s = self.state.lock().expect("gate lock");
        if !s.learnt {
            s.learnt = true;
            s.limit = self.ceiling;
        }
        drop(s);
        self.changed.notify_waiters();
    }

    /// Holds every request to this server back until `until` (the server said to wait).
    pub fn pause_until(&self, until: Instant) {
        let mut s = self.state.lock().expect("gate lock");
        s.next_start = s.next_start.max(until);
    }
}

/// Limits a server declares in its response headers.
#[derive(Debug, Default, PartialEq)]
struct Declared {
    concurrency: Option<usize>,
    requests: Option<u32>,
    interval: Option<Duration>,
}

impl Declared {
    fn from_headers(headers: &HeaderMap) -> Declared {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        Declared {
            concurrency: get("x-concurrency-limit").and_then(|v| v.parse().ok()),
            requests: get("x-rate-limit-limit")
                .and_then(|v| v.parse().ok())
                .filter(|&n| n > 0),
            interval: get("x-rate-limit-interval").and_then(parse_interval),
        }
    }

    fn spacing(&self) -> Option<Duration> {
        let requests = self.requests?;
        let interval = self.interval.unwrap_or(Duration::from_secs(1));
        Some(interval.mul_f64(RATE_MARGIN) / requests)
    }
}

/// `1s`, `1000ms`, `1m`, or a bare number of seconds.
fn parse_interval(v: &str) -> Option<Duration> {
    let (number, unit) = v
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((v, ""), |i| v.split_at(i));
    let n: f64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return None,
    };
    (seconds > 0.0 && seconds < 86_400.0).then(|| Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn reads_crossref_style_declarations() {
        let d = Declared::from_headers(&headers(&[
            ("x-rate-limit-limit", "5"),
            ("x-rate-limit-interval", "1s"),
            ("x-concurrency-limit", "1"),
        ]));
        assert_eq!(d.concurrency, Some(1));
        assert_eq!(d.spacing(), Some(Duration::from_secs_f64(1.03 / 5.0)));
        assert_eq!(parse_interval("1000ms"), Some(Duration::from_secs(1)));
        assert_eq!(parse_interval("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_interval("soon"), None);
        // Seconds, bare or marked; hours; within a day, and more than nothing.
        assert_eq!(parse_interval("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_interval("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_interval("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_interval("24h"), None);
        assert_eq!(parse_interval("0s"), None);
        // A declared rate of zero requests is no declaration (it would divide by zero).
        let zero = Declared::from_headers(&headers(&[("x-rate-limit-limit", "0")]));
        assert_eq!(zero.requests, None);
        assert_eq!(zero.spacing(), None);
        let one = Declared::from_headers(&headers(&[("x-rate-limit-limit", "1")]));
        assert_eq!(one.spacing(), Some(Duration::from_secs_f64(1.03)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_request_opens_the_gate_that_waited_for_an_answer() {
        // One request at a time until the server answers; a failure is no answer, but
        // there is nothing to wait for either: the gate opens to its ceiling.
        let gate = Gate::new(4);
        drop(gate.acquire().await);
        gate.observe_failure();
        assert_eq!(acquire_n(&gate, 4).await.len(), 4);
        // What was learnt from an answer is not undone by a later failure.
        let gate = Gate::new(4);
        drop(gate.acquire().await);
        gate.observe(StatusCode::OK, &headers(&[("x-concurrency-limit", "2")]));
        gate.observe_failure();
        assert_eq!(gate.state.lock().unwrap().limit, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn one_request_until_the_server_answers_then_its_declared_limits() {
        let gate = Gate::new(8);
        let first = gate.acquire().await;
        // A second request waits for the first answer.
        let waiting = tokio::time::timeout(Duration::from_secs(1), gate.acquire()).await;
        assert!(waiting.is_err());
        gate.observe(
            StatusCode::OK,
            &headers(&[("x-concurrency-limit", "2"), ("x-rate-limit-limit", "10")]),
        );
        drop(first);
        let t0 = Instant::now();
        let a = gate.acquire().await;
        let b = gate.acquire().await;
        // Spaced by the declared rate (10/s), with the margin.
        assert!(
            t0.elapsed() >= Duration::from_millis(100),
            "{:?}",
            t0.elapsed()
        );
        assert!(
            tokio::time::timeout(Duration::from_secs(5), gate.acquire())
                .await
                .is_err()
        );
        drop((a, b));
    }

    #[tokio::test(start_paused = true)]
    async fn undeclared_servers_open_up_and_back_off_on_429() {
        let gate = Gate::new(8);
        drop(gate.acquire().await);
        gate.observe(StatusCode::OK, &HeaderMap::new());
        let held: Vec<_> = acquire_n(&gate, 8).await;
        assert_eq!(held.len(), 8);
        drop(held);
        gate.observe(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new());
        assert_eq!(gate.state.lock().unwrap().limit, 4);
    }

    async fn acquire_n(gate: &Gate, n: usize) -> Vec<Permit<'_>> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(
                tokio::time::timeout(Duration::from_millis(10), gate.acquire())
                    .await
                    .expect("a free place"),
            );
        }
        out
    }
}
