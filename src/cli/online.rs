//! The flags of DOI resolution, shared by `argmap check --online` and `argmap resolve`,
//! and the run both make: a tokio runtime, a progress bar on a terminal, notes on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use argmap::Analysis;
use argmap::doi::Doi;
use argmap::resolve::{self, Answer, MaxAge, Options, Progress};
use argmap::workspace::Workspace;

/// `argmap check`'s switch for the DOI rules, and their settings.
#[derive(Args, Debug)]
pub struct OnlineArgs {
    /// Also resolve every DOI over HTTP: doi-not-found, doi-metadata-mismatch,
    /// doi-unverified, and from Crossref cited-work-retracted, cited-work-concern,
    /// cited-work-corrected and doi-is-notice.
    #[arg(long)]
    pub online: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Args, Debug)]
#[command(next_help_heading = "DOI resolution")]
pub struct NetworkArgs {
    /// The DOI resolver every request goes through.
    #[arg(
        long,
        env = "ARGMAP_RESOLVER",
        default_value = "https://doi.org",
        value_name = "URL"
    )]
    pub resolver: String,
    /// A contact address for the User-Agent, as Crossref asks of polite clients.
    #[arg(long, env = "ARGMAP_MAILTO", value_name = "EMAIL")]
    pub mailto: Option<String>,
    /// Most requests in flight at once (servers declaring less get less).
    #[arg(long, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Time allowed for one request, e.g. `20s` or `500ms`.
    #[arg(long, default_value = "20s", value_name = "DURATION", value_parser = parse_positive_duration)]
    pub timeout: Duration,
    /// Time allowed for all of the resolution; DOIs still unanswered then are unverified.
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = parse_positive_duration)]
    pub deadline: Duration,
    /// Retries of a request that failed in a way that may pass (429, 5xx, timeout, reset).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,
    /// The wait before the first retry; it doubles, with jitter, each time. A server's
    /// Retry-After is honoured instead.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration)]
    pub backoff: Duration,
    /// Check that DOIs exist only; do not fetch and compare their registered metadata.
    #[arg(long)]
    pub no_metadata: bool,
    /// Crossref's REST API, asked in batches which notices (retractions, corrections)
    /// update each work it registered, and for its metadata.
    #[arg(
        long,
        env = "ARGMAP_CROSSREF_API",
        default_value = resolve::CROSSREF_API,
        value_name = "URL"
    )]
    pub crossref_api: String,
    /// Do not ask Crossref about retractions and corrections (existence and metadata come
    /// from the resolver alone).
    #[arg(long)]
    pub no_updates: bool,
    /// The oldest cached answer to use for a DOI that exists (one that does not is asked
    /// again after a day at most). `0` asks again for everything.
    #[arg(long, default_value = "7d", value_name = "DURATION", value_parser = parse_duration)]
    pub max_cache_age: Duration,
    /// The cache file [default: ROOT/.argmap/doi-cache.json].
    #[arg(long, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
}

impl NetworkArgs {
    pub(super) fn options(&self, root: &Path) -> Result<Options, String> {
        let resolver = resolve::parse_resolver(&self.resolver).map_err(|e| e.to_string())?;
        let crossref = match self.no_updates {
            true => None,
            false => Some(resolve::parse_resolver(&self.crossref_api).map_err(|e| {
                e.to_string()
                    .replace("bad resolver", "bad Crossref API URL")
            })?),
        };
        if let Some(cache) = &self.cache
            && argmap::load::is_input_file(root, cache)
        {
            return Err(format!(
                "refusing to use {} as the DOI cache: it is one of the files checked",
                cache.display()
            ));
        }
        let day = Duration::from_secs(24 * 3600);
        Ok(Options {
            user_agent: resolve::user_agent(self.mailto.as_deref()),
            concurrency: self.concurrency.into(),
            timeout: self.timeout,
            deadline: self.deadline,
            retries: self.retries,
            backoff: self.backoff,
            metadata: !self.no_metadata,
            crossref,
            cache: (!self.no_cache).then(|| {
                self.cache
                    .clone()
                    .unwrap_or_else(|| root.join(".argmap").join("doi-cache.json"))
            }),
            max_age: MaxAge {
                found: self.max_cache_age,
                not_found: self.max_cache_age.min(day),
            },
            ..Options::new(resolver)
        })
    }
}

/// Which phases run with DOI resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phases {
    /// The offline check and DOI resolution (`argmap check --online`).
    CheckAndResolve,
    /// DOI resolution alone (`argmap resolve`).
    Resolve,
}

/// Runs an analysis that resolves DOIs on a tokio runtime, with a progress bar on stderr
/// when it is a terminal; notes (a rebuilt or unwritable cache) go to stderr.
pub fn analyze(
    args: &NetworkArgs,
    root: &Path,
    workspace: &Workspace,
    phases: Phases,
) -> Result<Analysis, String> {
    let options = args.options(root)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let bar = Bar::new();
    let analysis = runtime
        .block_on(async {
            match phases {
                Phases::CheckAndResolve => Analysis::online(workspace, &options, &bar).await,
                Phases::Resolve => Analysis::dois(workspace, &options, &bar).await,
            }
        })
        .map_err(|e| e.to_string())?;
    for note in analysis.resolution.iter().flat_map(|r| &r.notes) {
        super::warn_line("warning: ", note);
    }
    Ok(analysis)
}

/// indicatif's bar, drawn only on a terminal.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} DOIs {elapsed} {wide_msg}")
            .expect("a valid template");
        bar.set_style(style);
        Bar(Some(bar))
    }
}

impl Progress for Bar {
    fn start(&self, total: usize, cached: usize) {
        if let Some(b) = &self.0 {
            b.set_length(total as u64);
            b.set_position(cached as u64);
        }
    }

    fn resolved(&self, doi: &Doi, _answer: &Answer) {
        if let Some(b) = &self.0 {
            b.inc(1);
            b.set_message(doi.to_string());
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// `500ms`, `20s`, `5m`, `2h`, `7d`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration such as 500ms, 20s, 5m, 2h or 7d"))?;
    let seconds = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        u => return Err(format!("unknown unit `{u}` (use ms, s, m, h or d)")),
    };
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| *d <= Duration::from_secs(100 * 365 * 86_400))
        .ok_or_else(|| format!("`{s}` is longer than argmap waits (at most 100 years)"))
}

/// A duration that is more than zero (a timeout of 0 would fail every request).
pub fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err(format!("`{s}`: the time allowed must be more than zero")),
        d => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_units() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("5 weeks").is_err());
        assert!(
            parse_duration("99999999999999999999d")
                .unwrap_err()
                .contains("longer than")
        );
        assert!(parse_positive_duration("0").is_err());
        assert_eq!(parse_positive_duration("1ms"), Ok(Duration::from_millis(1)));
        assert!(parse_duration("fast").is_err());
    }
}
