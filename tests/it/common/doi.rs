//! A local stand-in for the DOI system (wiremock on 127.0.0.1): doi.org's Handle API and
//! content negotiation, a registration agency serving recorded CSL-JSON answers, Crossref's
//! REST API, and the binary run against it.

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use assert_cmd::assert::OutputAssertExt;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{Project, percent_decode};

pub const CSL: &str = "application/vnd.citationstyles.csl+json";

/// A reference of the test corpus.
#[derive(Clone, Copy)]
pub struct Ref {
    pub id: &'static str,
    pub doi: &'static str,
    pub title: &'static str,
    pub family: &'static str,
    pub year: i32,
}

pub const FRANK: Ref = Ref {
    id: "frank1970",
    doi: "10.1126/science.169.3946.635",
    title: "The structure of ordinary water",
    family: "Frank",
    year: 1970,
};

pub const WINTER: Ref = Ref {
    id: "winter1962",
    doi: "10.1038/193293a0",
    title: "Formation of the Scab and the Rate of Epithelization of Superficial Wounds in the \
            Skin of the Young Domestic Pig",
    family: "Winter",
    year: 1962,
};

pub fn r(id: &'static str, doi: &'static str) -> Ref {
    Ref {
        id,
        doi,
        title: "Some title",
        family: "Author",
        year: 2000,
    }
}

/// A ROOT with the references and one map citing all of them, so that the offline rules
/// have nothing to say and every finding is a DOI finding.
pub fn project(refs: &[Ref]) -> Project {
    let mut yaml = String::from("references:\n");
    for r in refs {
        yaml.push_str(&format!(
            "  - id: {}\n    type: article-journal\n    title: {}\n    author:\n      - {{family: {}, given: A.}}\n    issued: {{date-parts: [[{}]]}}\n    DOI: {}\n",
            r.id,
            json!(r.title),
            json!(r.family),
            r.year,
            json!(r.doi)
        ));
    }
    let cites: Vec<String> = refs.iter().map(|r| format!("@{}", r.id)).collect();
    let map = format!(
        "title: Test map\nsource: {}\nclaims:\n  - id: c1\n    text: \"First claim [{}].\"\n  - id: c2\n    text: \"Second claim [@{}].\"\n    supports: [c1]\n",
        refs[0].id,
        cites.join("; "),
        refs[0].id
    );
    Project::empty()
        .with("references/refs.yaml", yaml)
        .with("arguments/map.yaml", map)
}

/// A recorded answer from `../shared/fixtures/csl/` (or ARGMAP_SHARED's, for a copy of the
/// tree elsewhere, as cargo-mutants makes).
pub fn fixture(name: &str) -> Vec<u8> {
    let shared = std::env::var("ARGMAP_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared").to_owned());
    let path = format!("{shared}/fixtures/csl/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The recorded answer's headers, without those that described its gzipped body.
pub fn fixture_headers(name: &str) -> Vec<(String, String)> {
    let recorded: Value = serde_json::from_slice(&fixture(name)).unwrap();
    recorded["headers"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "content-encoding" | "content-length" | "connection"
            )
        })
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// `argmap ARGS... ROOT --resolver URI`, with short timeouts and backoff unless `args`
/// set them, so that fault tests stay fast.
pub fn argmap(root: &Path, resolver: &str, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_argmap"));
    cmd.args(args).arg(root).args(["--resolver", resolver]);
    // Tests of the resolver alone leave Crossref's REST API out (it has tests of its own).
    if !args.contains(&"--crossref-api") {
        cmd.arg("--no-updates");
    }
    for (flag, value) in [
        ("--retries", "1"),
        ("--backoff", "10ms"),
        ("--timeout", "2s"),
    ] {
        if !args.contains(&flag) {
            cmd.args([flag, value]);
        }
    }
    cmd.env_remove("ARGMAP_RESOLVER")
        .env_remove("ARGMAP_CROSSREF_API")
        .env_remove("ARGMAP_MAILTO")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs a command off the async runtime, which must keep serving the mock server.
pub async fn run(mut cmd: std::process::Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// `argmap resolve --format json`: the document, after checking the exit status.
pub async fn resolve_json(root: &Path, resolver: &str, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["resolve", "--format", "json"];
    args.extend(extra);
    let out = run(argmap(root, resolver, &args)).await;
    let out = out.assert().code(code).get_output().clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The status of each reference, in order.
pub fn statuses(doc: &Value) -> Vec<(String, String)> {
    doc["dois"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["reference"].as_str().unwrap().to_owned(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn rules(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

pub fn handle_found(doi: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "responseCode": 1,
        "handle": doi,
        "values": [{"index": 1, "type": "URL",
                    "data": {"format": "string", "value": "https://example.org/"},
                    "ttl": 86400, "timestamp": "2020-01-01T00:00:00Z"}]
    }))
}

pub fn handle_not_found(doi: &str) -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({"responseCode": 100, "handle": doi}))
}

pub async fn mount_handle(server: &MockServer, doi: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/api/handles/{doi}")))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// doi.org's content negotiation: a redirect to the agency, which answers `body`.
pub async fn mount_csl(server: &MockServer, doi: &str, agency: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/{doi}")))
        .and(header("accept", CSL))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/agency/works/{doi}/transform", server.uri()),
        ))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/agency/works/{doi}/transform")))
        .respond_with(agency)
        .mount(server)
        .await;
}

pub fn csl_answer(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, CSL)
}

/// The recorded Crossref answer for FRANK's DOI, with its recorded headers.
pub fn crossref_answer() -> ResponseTemplate {
    let mut t = csl_answer(fixture("crossref-cn-10.1126-science.169.3946.635.json"));
    for (k, v) in fixture_headers("crossref-cn-10.1126-science.169.3946.635.headers.json") {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    t
}

pub async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// The paths the server was asked for, in order.
pub async fn requested_paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

/// A Crossref work item as `/works` lists it, for a reference of the test corpus.
pub fn item(r: &Ref) -> Value {
    json!({
        "DOI": r.doi,
        "type": "journal-article",
        "title": [r.title],
        "author": [{"given": "A.", "family": r.family, "sequence": "first"}],
        "issued": {"date-parts": [[r.year]]},
        "publisher": "Test",
        "reference-count": 0,
    })
}

/// api.crossref.org as a test sees it: the works it knows, answered singly
/// (`/works/{doi}`) or listed (`/works?filter=doi:A,doi:B`); everything else 404s, as
/// Crossref does for a DOI it has no record of. Every query string is kept.
#[derive(Clone, Default)]
pub struct Crossref {
    pub works: Arc<HashMap<String, Value>>,
    /// Every query string asked, in order.
    pub queries: Arc<Mutex<Vec<String>>>,
}

impl Crossref {
    pub fn new(works: Vec<Value>) -> Crossref {
        Crossref {
            works: Arc::new(
                works
                    .into_iter()
                    .map(|w| (w["DOI"].as_str().unwrap().to_lowercase(), w))
                    .collect(),
            ),
            queries: Arc::default(),
        }
    }

    pub async fn mount(&self, server: &MockServer) {
        Mock::given(method("GET"))
            .and(path_regex("^/works"))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }

    /// The DOIs of each batch request, in order.
    pub fn batches(&self) -> Vec<Vec<String>> {
        self.queries
            .lock()
            .unwrap()
            .iter()
            .filter_map(|q| q.strip_prefix("filter="))
            .map(|f| {
                f.split(',')
                    .map(|d| d.strip_prefix("doi:").unwrap().to_owned())
                    .collect()
            })
            .collect()
    }
}

impl Respond for Crossref {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let url = &request.url;
        if url.path() == "/works" {
            let filter = url
                .query_pairs()
                .find(|(k, _)| k == "filter")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            self.queries
                .lock()
                .unwrap()
                .push(format!("filter={filter}"));
            let items: Vec<Value> = filter
                .split(',')
                .filter_map(|f| f.strip_prefix("doi:"))
                .filter_map(|doi| self.works.get(&doi.to_lowercase()).cloned())
                .collect();
            return ResponseTemplate::new(200).set_body_json(json!({
                "status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": items.len(), "items": items,
                            "items-per-page": 20, "query": {"start-index": 0, "search-terms": null}}
            }));
        }
        let doi = percent_decode(url.path().trim_start_matches("/works/"));
        self.queries.lock().unwrap().push(format!("alone={doi}"));
        match self.works.get(&doi.to_lowercase()) {
            Some(work) => ResponseTemplate::new(200).set_body_json(json!({
                "status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work
            })),
            None => ResponseTemplate::new(404).set_body_raw("Resource not found.", "text/plain"),
        }
    }
}
