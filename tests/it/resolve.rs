//! `argmap check --online` and `argmap resolve` through the binary, against a local
//! resolver (wiremock on 127.0.0.1) that plays doi.org's Handle API and content
//! negotiation, a registration agency serving recorded CSL-JSON answers, and every fault
//! a real network has. No test touches the internet.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::assert::OutputAssertExt;
use serde_json::{Value, json};
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::doi::*;

// ----------------------------------------------------------------------------- answers

#[tokio::test]
async fn recorded_crossref_answer_verifies_and_a_wrong_reference_is_a_mismatch() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    let root = project(&[FRANK]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(statuses(&doc), [("frank1970".into(), "verified".into())]);
    assert_eq!(
        doc["summary"]["dois"],
        json!({"verified": 1, "broken": 0, "unverified": 0})
    );

    // The same DOI on another work's reference: every differing field, both values.
    let wrong = Ref {
        id: "denisov2016",
        doi: FRANK.doi,
        title: "Four Problems of the SCO in Connection with Its Enlargement",
        family: "Denisov",
        year: 2016,
    };
    let root = project(&[wrong]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(rules(&doc), ["doi-metadata-mismatch"]);
    let d = &doc["diagnostics"][0];
    let message = d["message"].as_str().unwrap();
    for shown in [
        "“The Structure of Ordinary Water” is registered",
        "“Four Problems of the SCO in Connection with Its Enlargement”",
        "year 1970 is registered, the reference has 2016",
        "“Frank” is registered, the reference has “Denisov”",
    ] {
        assert!(message.contains(shown), "{message}");
    }
    assert_eq!(d["severity"], "warning");
    // Labelled at the DOI field of the reference.
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64()),
        (Some("references/refs.yaml"), Some(8))
    );
    assert_eq!(d["column"], 10);
    assert_eq!(doc["summary"]["dois"]["broken"], 1);
}

#[tokio::test]
async fn wrapped_empty_and_degenerate_recorded_answers_are_read() {
    let server = MockServer::start().await;
    let cases = [
        (WINTER, "manubot-crossref-winter-scabs-csl.json"),
        (
            Ref {
                id: "pepe2017",
                doi: "10.22541/au.149693987.70506124",
                title: "The arXiv of the future will not look like the arXiv",
                family: "Pepe",
                year: 2017,
            },
            "manubot-empty-date-parts-csl.json",
        ),
        (r("empty", "10.5555/empty"), "manubot-empty-csl.json"),
        (
            r("nulldate", "10.5555/null-date"),
            "manubot-null-date-parts-csl.json",
        ),
        (
            Ref {
                year: 2018,
                ..r("excess", "10.5555/excess")
            },
            "manubot-excess-date-parts-csl.json",
        ),
    ];
    for (reference, file) in &cases {
        mount_handle(&server, reference.doi, handle_found(reference.doi)).await;
        mount_csl(&server, reference.doi, csl_answer(fixture(file))).await;
    }
    let root = project(&cases.map(|(r, _)| r));
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(doc["summary"]["dois"]["verified"], 5, "{doc:#}");
    assert_eq!(doc["dois"][0]["detail"], "registered; metadata agrees");
    assert_eq!(
        doc["dois"][2]["detail"],
        "registered; its metadata has nothing to compare"
    );
}

#[tokio::test]
async fn handle_api_no_is_the_only_not_found_and_fails_check() {
    let server = MockServer::start().await;
    let gone = r("gone", "10.5555/does-not-exist");
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    // Content negotiation is not asked about a DOI that does not exist.
    Mock::given(path("/10.5555/does-not-exist"))
        .respond_with(ResponseTemplate::new(404))
        .expect(0)
        .mount(&server)
        .await;
    let root = project(&[gone]);
    let out = run(argmap(
        root.path(),
        &server.uri(),
        &["check", "--online", "--format", "json"],
    ))
    .await;
    let out = out.assert().code(1).get_output().clone();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules(&doc), ["doi-not-found"]);
    assert_eq!(doc["diagnostics"][0]["severity"], "error");
    assert_eq!(
        doc["summary"]["dois"],
        json!({"verified": 0, "broken": 1, "unverified": 0})
    );
}

#[tokio::test]
async fn a_404_without_the_handle_body_is_not_an_answer() {
    let server = MockServer::start().await;
    let doi = "10.5555/proxy-404";
    mount_handle(
        &server,
        doi,
        ResponseTemplate::new(404).set_body_raw("<h1>Not Found</h1>", "text/html"),
    )
    .await;
    let root = project(&[r("a", doi)]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(rules(&doc), ["doi-unverified"]);
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("HTTP 404")
    );
}

#[tokio::test]
async fn landing_pages_and_406_mean_no_metadata_not_broken() {
    let server = MockServer::start().await;
    let html = r("html", "10.5555/landing");
    let refused = r("refused", "10.5555/no-csl");
    for doi in [html.doi, refused.doi] {
        mount_handle(&server, doi, handle_found(doi)).await;
    }
    mount_csl(
        &server,
        html.doi,
        ResponseTemplate::new(200).set_body_raw(
            "<!doctype html><title>Article</title>",
            "text/html; charset=utf-8",
        ),
    )
    .await;
    Mock::given(path("/10.5555/no-csl"))
        .respond_with(ResponseTemplate::new(406))
        .mount(&server)
        .await;
    let root = project(&[html, refused]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new());
    assert_eq!(doc["summary"]["dois"]["verified"], 2);
    assert!(
        doc["dois"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("no CSL-JSON")
    );
}

#[tokio::test]
async fn dois_are_percent_encoded_per_the_handbook_and_short_dois_work() {
    let server = MockServer::start().await;
    let sici = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P";
    let encoded = "10.1002/(SICI)1096-987X(199803)19:4%3C377::AID-JCC1%3E3.0.CO%3B2-P";
    mount_handle(&server, encoded, handle_found(sici)).await;
    mount_handle(&server, "10/bxpz", handle_found("10/bxpz")).await;
    let root = project(&[r("sici", sici), r("short", "10/bxpz")]);
    let doc = resolve_json(root.path(), &server.uri(), &["--no-metadata"], 0).await;
    assert_eq!(
        statuses(&doc),
        [
            ("sici".into(), "verified".into()),
            ("short".into(), "verified".into())
        ]
    );
}

// ------------------------------------------------ what the services really send

/// A CSL-JSON answer whose title, year and author are another work's.
fn other_work_csl() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "article-journal",
        "title": "A completely different work on another subject",
        "author": [{"family": "Other", "given": "B."}],
        "issued": {"date-parts": [[1999]]}
    }))
    .unwrap()
}

/// doi.org's Handle API says exactly what it means: 200 with responseCode 1 (values) or 200
/// (handle exists, no values of the type asked) is "exists"; 404 with 100 is "does not
/// exist"; every other pairing is no answer.
#[tokio::test]
async fn every_handle_response_code_is_read_as_the_handle_api_means_it() {
    let server = MockServer::start().await;
    let cases: &[(u16, i64, &str)] = &[
        (200, 1, "verified"),
        (200, 200, "verified"),
        (404, 100, "not-found"),
        (404, 1, "unverified"),
        (404, 2, "unverified"),
        (404, 102, "unverified"),
        (404, 200, "unverified"),
        (200, 2, "unverified"),
        (200, 100, "unverified"),
        (500, 2, "unverified"),
        (400, 102, "unverified"),
    ];
    let mut refs = Vec::new();
    for &(status, code, _) in cases {
        let doi: &'static str = format!("10.5555/hc-{status}-{code}").leak();
        let id: &'static str = format!("r{status}x{code}").leak();
        mount_handle(
            &server,
            doi,
            ResponseTemplate::new(status)
                .set_body_json(json!({"responseCode": code, "handle": doi})),
        )
        .await;
        refs.push(r(id, doi));
    }
    let root = project(&refs);
    let doc = resolve_json(
        root.path(),
        &server.uri(),
        &["--no-metadata", "--retries", "0"],
        1,
    )
    .await;
    let expected: Vec<(String, String)> = cases
        .iter()
        .map(|&(status, code, verdict)| (format!("r{status}x{code}"), verdict.to_owned()))
        .collect();
    assert_eq!(statuses(&doc), expected);
}

/// Agencies send CSL-JSON as `application/vnd.citationstyles.csl+json`, with parameters
/// (`; charset=utf-8`, as DataCite does), as plain `application/json`, or with no type at
/// all: each is read and compared. Only an HTML page means "no metadata".
#[tokio::test]
async fn csl_is_read_whatever_its_content_type_says_and_compared() {
    let server = MockServer::start().await;
    let cases: [(&str, Option<&str>, &str); 5] = [
        ("10.5555/ct-plain", Some(CSL), "mismatch"),
        (
            "10.5555/ct-charset",
            Some("application/vnd.citationstyles.csl+json; charset=utf-8"),
            "mismatch",
        ),
        (
            "10.5555/ct-json",
            Some("application/json;charset=UTF-8"),
            "mismatch",
        ),
        ("10.5555/ct-none", None, "mismatch"),
        (
            "10.5555/ct-html",
            Some("text/html; charset=utf-8"),
            "verified",
        ),
    ];
    let mut refs = Vec::new();
    for (i, &(doi, content_type, _)) in cases.iter().enumerate() {
        mount_handle(&server, doi, handle_found(doi)).await;
        let body = if content_type.is_some_and(|t| t.starts_with("text/html")) {
            b"<!doctype html><title>Landing page</title>".to_vec()
        } else {
            other_work_csl()
        };
        let answer = match content_type {
            Some(t) => ResponseTemplate::new(200).set_body_raw(body, t),
            // wiremock adds no content type to raw bytes given as a body
            None => ResponseTemplate::new(200).set_body_bytes(body),
        };
        mount_csl(&server, doi, answer).await;
        refs.push(r(format!("ct{i}").leak(), doi));
    }
    let root = project(&refs);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    let got: Vec<String> = statuses(&doc).into_iter().map(|(_, s)| s).collect();
    let want: Vec<&str> = cases.iter().map(|c| c.2).collect();
    assert_eq!(got, want, "{doc:#}");
}

/// doi.org redirects to the agency on another host, which chooses its answer by the
/// `Accept` header (Crossref's `/transform`): without it, a landing page.
async fn mount_agency(resolver: &MockServer, agency: &MockServer, doi: &str, body: Vec<u8>) {
    Mock::given(method("GET"))
        .and(path(format!("/{doi}")))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/v1/works/{doi}/transform", agency.uri()),
        ))
        .mount(resolver)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/works/{doi}/transform")))
        .and(wiremock::matchers::header("accept", CSL))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, CSL))
        .with_priority(1)
        .mount(agency)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/works/{doi}/transform")))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>landing</html>", "text/html"))
        .with_priority(2)
        .mount(agency)
        .await;
}

#[tokio::test]
async fn the_accept_header_survives_a_redirect_to_another_host() {
    let resolver = MockServer::start().await;
    let agency = MockServer::start().await;
    let doi = "10.5555/cross-host";
    mount_handle(&resolver, doi, handle_found(doi)).await;
    mount_agency(&resolver, &agency, doi, other_work_csl()).await;
    let root = project(&[r("x", doi)]);
    let doc = resolve_json(root.path(), &resolver.uri(), &[], 0).await;
    assert_eq!(statuses(&doc), [("x".to_owned(), "mismatch".to_owned())]);
    assert_eq!(
        requests(&agency).await,
        1,
        "one request to the agency's own host"
    );
}

#[tokio::test]
async fn a_gzipped_answer_is_decoded() {
    use std::io::Write;
    let server = MockServer::start().await;
    let doi = "10.5555/gzip";
    mount_handle(&server, doi, handle_found(doi)).await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&other_work_csl()).unwrap();
    let body = gz.finish().unwrap();
    mount_csl(
        &server,
        doi,
        ResponseTemplate::new(200)
            .set_body_raw(body, CSL)
            .insert_header("content-encoding", "gzip"),
    )
    .await;
    let root = project(&[r("x", doi)]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(statuses(&doc), [("x".to_owned(), "mismatch".to_owned())]);
}

/// One DOI written in two cases is one DOI: one request, both references judged.
#[tokio::test]
async fn one_doi_in_two_cases_is_asked_once() {
    let server = MockServer::start().await;
    mount_handle(
        &server,
        "10.5555/MixedCase",
        handle_found("10.5555/MixedCase"),
    )
    .await;
    let root = project(&[
        r("upper", "10.5555/MixedCase"),
        r("lower", "10.5555/mixedcase"),
    ]);
    let doc = resolve_json(root.path(), &server.uri(), &["--no-metadata"], 0).await;
    assert_eq!(
        statuses(&doc),
        [
            ("upper".to_owned(), "verified".to_owned()),
            ("lower".to_owned(), "verified".to_owned())
        ]
    );
    assert_eq!(requests(&server).await, 1);
}

/// A short DOI (`10/abc`) is expanded by the resolver, and its metadata compared.
#[tokio::test]
async fn a_short_doi_is_compared_with_its_metadata() {
    let server = MockServer::start().await;
    mount_handle(&server, "10/bxpz", handle_found("10/bxpz")).await;
    mount_csl(&server, "10/bxpz", csl_answer(other_work_csl())).await;
    let root = project(&[r("short", "10/bxpz")]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(
        statuses(&doc),
        [("short".to_owned(), "mismatch".to_owned())]
    );
}

/// Eight redirects are followed; a ninth is one too many.
#[tokio::test]
async fn redirects_are_followed_up_to_the_cap() {
    let server = MockServer::start().await;
    for (doi, hops) in [("10.5555/eight", 8), ("10.5555/nine", 9)] {
        mount_handle(&server, doi, handle_found(doi)).await;
        for hop in 0..hops {
            let from = if hop == 0 {
                format!("/{doi}")
            } else {
                format!("/hop/{doi}/{hop}")
            };
            Mock::given(path(from))
                .respond_with(
                    ResponseTemplate::new(302)
                        .insert_header("location", format!("/hop/{doi}/{}", hop + 1)),
                )
                .mount(&server)
                .await;
        }
        Mock::given(path(format!("/hop/{doi}/{hops}")))
            .respond_with(csl_answer(other_work_csl()))
            .mount(&server)
            .await;
    }
    let root = project(&[r("eight", "10.5555/eight"), r("nine", "10.5555/nine")]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(
        statuses(&doc),
        [
            ("eight".to_owned(), "mismatch".to_owned()),
            ("nine".to_owned(), "unverified".to_owned())
        ]
    );
    assert!(
        doc["dois"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("more than 8 redirects")
    );
}

#[tokio::test]
async fn a_408_is_retried() {
    let server = MockServer::start().await;
    let doi = "10.5555/slow-client";
    Mock::given(path(format!("/api/handles/{doi}")))
        .respond_with(ResponseTemplate::new(408))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_handle(&server, doi, handle_found(doi)).await;
    let root = project(&[r("a", doi)]);
    let doc = resolve_json(
        root.path(),
        &server.uri(),
        &["--no-metadata", "--retries", "1"],
        0,
    )
    .await;
    assert_eq!(statuses(&doc), [("a".to_owned(), "verified".to_owned())]);
    assert_eq!(requests(&server).await, 2);
}

/// Records when each request arrives; the first is refused with `Retry-After: 1`.
struct FirstRefused {
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for FirstRefused {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut arrivals = self.arrivals.lock().unwrap();
        arrivals.push(Instant::now());
        if arrivals.len() == 1 {
            return ResponseTemplate::new(429).insert_header("retry-after", "1");
        }
        let doi = request
            .url
            .path()
            .trim_start_matches("/api/handles/")
            .to_owned();
        handle_found(&doi)
    }
}

/// A server's `Retry-After` holds back every request to it, not only the refused one.
#[tokio::test]
async fn retry_after_holds_back_every_request_to_that_server() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .respond_with(FirstRefused {
            arrivals: arrivals.clone(),
        })
        .mount(&server)
        .await;
    let refs: Vec<Ref> = (0..6)
        .map(|i| r(format!("r{i}").leak(), format!("10.5555/held-{i}").leak()))
        .collect();
    let root = project(&refs);
    let doc = resolve_json(
        root.path(),
        &server.uri(),
        &["--no-metadata", "--concurrency", "6", "--backoff", "10ms"],
        0,
    )
    .await;
    assert_eq!(doc["summary"]["dois"]["verified"], 6);
    let arrivals = arrivals.lock().unwrap();
    let refused = arrivals[0];
    for later in &arrivals[1..] {
        assert!(
            *later >= refused + Duration::from_millis(950),
            "a request arrived {:?} after the 429",
            *later - refused
        );
    }
}

/// Two works with similar titles are two works: 0.9 similarity, not less.
#[tokio::test]
async fn similar_titles_of_different_works_are_a_mismatch() {
    let server = MockServer::start().await;
    let doi = "10.5555/similar";
    mount_handle(&server, doi, handle_found(doi)).await;
    let registered = json!({
        "type": "article-journal",
        "title": "Russia's policy in South Asia",
        "author": [{"family": "Author", "given": "A."}],
        "issued": {"date-parts": [[2000]]}
    });
    mount_csl(
        &server,
        doi,
        csl_answer(serde_json::to_vec(&registered).unwrap()),
    )
    .await;
    let mut reference = r("x", doi);
    reference.title = "Russia's policy in Central Asia";
    let root = project(&[reference]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(statuses(&doc), [("x".to_owned(), "mismatch".to_owned())]);
}

/// The cache as another run left it: answers of `service` checked `days` ago.
fn write_cache(root: &std::path::Path, service: &str, entries: &[(&str, &str, u64)]) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut answers = serde_json::Map::new();
    for &(doi, status, days) in entries {
        let mut entry = json!({"checked": now - days * 86_400, "status": status});
        if status == "found" {
            entry["metadata"] = json!("not-fetched");
        }
        answers.insert(doi.to_lowercase(), entry);
    }
    let file = json!({
        "format": "argmap-doi-cache",
        "version": 3,
        "services": {service: answers},
    });
    std::fs::create_dir_all(root.join(".argmap")).unwrap();
    std::fs::write(root.join(".argmap/doi-cache.json"), file.to_string()).unwrap();
}

/// "Does not exist" is asked again after a day (a DOI may be registered since); "exists"
/// is kept for the maximum age (7 days by default).
#[tokio::test]
async fn a_not_found_answer_is_kept_a_day_at_most() {
    let server = MockServer::start().await;
    let (gone, kept) = ("10.5555/gone-then", "10.5555/exists-still");
    mount_handle(&server, gone, handle_found(gone)).await;
    mount_handle(&server, kept, handle_found(kept)).await;
    let root = project(&[r("gone", gone), r("kept", kept)]);
    write_cache(
        root.path(),
        &format!("{}/", server.uri()),
        &[(gone, "not-found", 2), (kept, "found", 2)],
    );
    let doc = resolve_json(root.path(), &server.uri(), &["--no-metadata"], 0).await;
    assert_eq!(
        statuses(&doc),
        [
            ("gone".to_owned(), "verified".to_owned()),
            ("kept".to_owned(), "verified".to_owned())
        ]
    );
    let asked = requested_paths(&server).await;
    assert_eq!(asked, [format!("/api/handles/{gone}")]);
}

/// Online findings take their place among the offline ones: sorted by file and position.
#[tokio::test]
async fn online_findings_are_sorted_into_place() {
    let server = MockServer::start().await;
    let gone = "10.5555/gone-first";
    mount_handle(&server, gone, handle_not_found(gone)).await;
    mount_handle(&server, "10.5555/fine", handle_found("10.5555/fine")).await;
    let root = project(&[r("early", gone), r("later", "doi:10.5555/fine")]);
    let out = run(argmap(
        root.path(),
        &server.uri(),
        &["check", "--online", "--no-metadata", "--format", "json"],
    ))
    .await;
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rules(&doc),
        ["doi-not-found", "non-canonical-doi"],
        "{doc:#}"
    );
    let places: Vec<(String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
}

/// Two runs resolving different DOIs into one cache at once: neither loses the other's.
#[tokio::test]
async fn two_processes_resolving_different_dois_keep_both_in_the_cache() {
    let server = MockServer::start().await;
    let (mine, theirs): (Vec<Ref>, Vec<Ref>) = (0..16)
        .map(|i| r(format!("r{i}").leak(), format!("10.5555/split-{i}").leak()))
        .partition(|r| r.id.trim_start_matches('r').parse::<u32>().unwrap() % 2 == 0);
    for r in mine.iter().chain(&theirs) {
        mount_handle(
            &server,
            r.doi,
            handle_found(r.doi).set_delay(Duration::from_millis(30)),
        )
        .await;
    }
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("shared-cache.json");
    let roots = [project(&mine), project(&theirs)];
    let children: Vec<_> = roots
        .iter()
        .map(|root| {
            let mut cmd = argmap(
                root.path(),
                &server.uri(),
                &["resolve", "--no-metadata", "--concurrency", "2"],
            );
            cmd.arg("--cache").arg(&cache);
            cmd.stdout(std::process::Stdio::null());
            cmd.spawn().unwrap()
        })
        .collect();
    let statuses = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|mut child| child.wait().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert!(statuses.iter().all(|s| s.success()));
    let file: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    let service = format!("{}/", server.uri());
    assert_eq!(
        file["services"][service.as_str()]
            .as_object()
            .unwrap()
            .len(),
        16,
        "{file:#}"
    );
}

/// A client error from the resolver itself is no answer (unverified); from the agency or a
/// publisher's page after a redirect, it only means there is no CSL-JSON (verified).
#[tokio::test]
async fn a_refusal_counts_differently_before_and_after_a_redirect() {
    let server = MockServer::start().await;
    let (at_resolver, at_agency) = ("10.5555/refused-here", "10.5555/refused-there");
    for doi in [at_resolver, at_agency] {
        mount_handle(&server, doi, handle_found(doi)).await;
    }
    Mock::given(path(format!("/{at_resolver}")))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    mount_csl(&server, at_agency, ResponseTemplate::new(403)).await;
    let root = project(&[r("here", at_resolver), r("there", at_agency)]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(
        statuses(&doc),
        [
            ("here".to_owned(), "unverified".to_owned()),
            ("there".to_owned(), "verified".to_owned())
        ]
    );
}

/// `--cache c.json`, a bare file name, is a file in the current folder.
#[tokio::test]
async fn a_cache_named_without_a_folder_is_saved() {
    let server = MockServer::start().await;
    mount_handle(&server, "10.5555/here", handle_found("10.5555/here")).await;
    let root = project(&[r("a", "10.5555/here")]);
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = argmap(
        root.path(),
        &server.uri(),
        &["resolve", "--no-metadata", "--cache", "c.json"],
    );
    cmd.current_dir(cwd.path());
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(cwd.path().join("c.json").is_file());
}

// ----------------------------------------------------------------------------- faults

#[tokio::test]
async fn closed_port_is_unverified_exit_0_or_1_with_deny_warnings() {
    // Bind and drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let resolver = format!("http://127.0.0.1:{port}");
    let root = project(&[FRANK]);
    let out = run(argmap(
        root.path(),
        &resolver,
        &["check", "--online", "--format", "json"],
    ))
    .await;
    let out = out.assert().code(0).get_output().clone();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules(&doc), ["doi-unverified"]);
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
    assert_eq!(
        doc["summary"]["dois"],
        json!({"verified": 0, "broken": 0, "unverified": 1})
    );

    let out = run(argmap(
        root.path(),
        &resolver,
        &["check", "--online", "--deny-warnings"],
    ))
    .await;
    out.assert().code(1);
    // Nothing was learnt, so nothing was cached.
    assert!(!root.path().join(".argmap/doi-cache.json").exists());
}

#[tokio::test]
async fn rate_limited_then_answered_honours_retry_after_seconds() {
    let server = MockServer::start().await;
    let doi = "10.5555/busy";
    Mock::given(path(format!("/api/handles/{doi}")))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_handle(&server, doi, handle_found(doi)).await;
    let root = project(&[r("a", doi)]);
    let start = Instant::now();
    let doc = resolve_json(root.path(), &server.uri(), &["--no-metadata"], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new());
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn server_errors_honour_retry_after_dates_then_give_up_as_unverified() {
    let server = MockServer::start().await;
    let doi = "10.5555/down";
    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    mount_handle(
        &server,
        doi,
        ResponseTemplate::new(503).insert_header("retry-after", later.as_str()),
    )
    .await;
    let root = project(&[r("a", doi)]);
    let start = Instant::now();
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(rules(&doc), ["doi-unverified"]);
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("HTTP 503 (2 attempts)"), "{message}");
    assert_eq!(requests(&server).await, 2, "one retry, as --retries 1 says");
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_retries_at_once() {
    let server = MockServer::start().await;
    let doi = "10.5555/come-back-tomorrow";
    mount_handle(
        &server,
        doi,
        ResponseTemplate::new(429).insert_header("retry-after", "86400"),
    )
    .await;
    let root = project(&[r("a", doi)]);
    let start = Instant::now();
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(rules(&doc), ["doi-unverified"]);
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("asks to wait 86400 s")
    );
}

#[tokio::test]
async fn timeouts_are_unverified() {
    let server = MockServer::start().await;
    let doi = "10.5555/slow";
    mount_handle(
        &server,
        doi,
        handle_found(doi).set_delay(Duration::from_secs(5)),
    )
    .await;
    let root = project(&[r("a", doi)]);
    let args = ["resolve", "--format", "json", "--timeout", "300ms"];
    let out = run(argmap(root.path(), &server.uri(), &args)).await;
    let doc: Value = serde_json::from_slice(&out.assert().code(0).get_output().stdout).unwrap();
    assert_eq!(rules(&doc), ["doi-unverified"]);
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("timed out after 300 ms")
    );
}

#[tokio::test]
async fn the_overall_deadline_bounds_the_run() {
    let server = MockServer::start().await;
    let doi = "10.5555/very-slow";
    mount_handle(
        &server,
        doi,
        handle_found(doi).set_delay(Duration::from_secs(10)),
    )
    .await;
    let root = project(&[r("a", doi)]);
    let args = [
        "resolve",
        "--format",
        "json",
        "--timeout",
        "20s",
        "--deadline",
        "500ms",
    ];
    let start = Instant::now();
    let out = run(argmap(root.path(), &server.uri(), &args)).await;
    assert!(start.elapsed() < Duration::from_secs(5));
    let doc: Value = serde_json::from_slice(&out.assert().code(0).get_output().stdout).unwrap();
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deadline")
    );
}

#[tokio::test]
async fn garbage_oversized_and_looping_answers_are_unverified_never_broken() {
    let server = MockServer::start().await;
    let garbage = r("garbage", "10.5555/garbage");
    mount_handle(
        &server,
        garbage.doi,
        ResponseTemplate::new(200).set_body_raw("\u{0}\u{1}<<not json", "application/json"),
    )
    .await;
    let bad_csl = r("badcsl", "10.5555/bad-csl");
    mount_handle(&server, bad_csl.doi, handle_found(bad_csl.doi)).await;
    mount_csl(&server, bad_csl.doi, csl_answer(b"{\"title\": ".to_vec())).await;
    let huge = r("huge", "10.5555/huge");
    mount_handle(&server, huge.doi, handle_found(huge.doi)).await;
    mount_csl(&server, huge.doi, csl_answer(vec![b' '; 64 << 20])).await;
    let looping = r("loop", "10.5555/loop");
    mount_handle(&server, looping.doi, handle_found(looping.doi)).await;
    Mock::given(path("/10.5555/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/10.5555/loop"))
        .mount(&server)
        .await;
    let root = project(&[garbage, bad_csl, huge, looping]);
    let doc = resolve_json(root.path(), &server.uri(), &[], 0).await;
    assert_eq!(rules(&doc), ["doi-unverified"; 4], "{doc:#}");
    let details: Vec<&str> = doc["dois"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["detail"].as_str().unwrap())
        .collect();
    assert!(
        details[0].contains("without a Handle API body"),
        "{}",
        details[0]
    );
    assert!(details[1].contains("not JSON"), "{}", details[1]);
    assert!(
        details[2].contains("larger than argmap reads"),
        "{}",
        details[2]
    );
    assert!(details[3].contains("redirects"), "{}", details[3]);
    assert_eq!(doc["summary"]["dois"]["broken"], 0);
}

#[tokio::test]
async fn network_strings_reach_the_terminal_sanitised() {
    let server = MockServer::start().await;
    let doi = "10.5555/evil";
    mount_handle(&server, doi, handle_found(doi)).await;
    let body = json!({"title": "\u{1b}]0;owned\u{7}\u{1b}[2JEvil \u{202e}title", "author": [{"family": "X\u{1b}[31m"}]});
    mount_csl(&server, doi, csl_answer(serde_json::to_vec(&body).unwrap())).await;
    let root = project(&[r("a", doi)]);
    let out = run(argmap(root.path(), &server.uri(), &["resolve"])).await;
    let out = out.assert().code(0).get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("mismatch"), "{text}");
    assert!(text.contains("Evil title"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
}

// ----------------------------------------------------------------------------- manners

#[tokio::test]
async fn polite_user_agent_and_no_metadata_asks_the_handle_api_only() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/api/handles/{}", FRANK.doi)))
        .and(header_regex(
            "user-agent",
            r"^argmap/\d+\.\d+\.\d+ \(.+; mailto:me@example\.org\)$",
        ))
        .respond_with(handle_found(FRANK.doi))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("/{}", FRANK.doi)))
        .respond_with(crossref_answer())
        .expect(0)
        .mount(&server)
        .await;
    let root = project(&[FRANK]);
    let mut cmd = argmap(
        root.path(),
        &server.uri(),
        &["resolve", "--format", "json", "--no-metadata"],
    );
    cmd.env("ARGMAP_MAILTO", "me@example.org");
    let out = run(cmd).await;
    let doc: Value = serde_json::from_slice(&out.assert().code(0).get_output().stdout).unwrap();
    assert_eq!(statuses(&doc), [("frank1970".into(), "verified".into())]);
}

/// An agency that enforces what it declares (as Crossref does): more than `per_second`
/// requests in a second, or more than `at_once` in flight, is a 429.
struct StrictAgency {
    per_second: usize,
    at_once: usize,
    latency: Duration,
    body: Vec<u8>,
    arrivals: Mutex<Vec<Instant>>,
    refused: Arc<Mutex<usize>>,
}

impl Respond for StrictAgency {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().unwrap();
        let in_window = arrivals
            .iter()
            .filter(|t| now - **t < Duration::from_secs(1))
            .count();
        let in_flight = arrivals.iter().filter(|t| now - **t < self.latency).count();
        arrivals.push(now);
        let declared = |t: ResponseTemplate| {
            t.insert_header("x-rate-limit-limit", self.per_second.to_string().as_str())
                .insert_header("x-rate-limit-interval", "1s")
                .insert_header("x-concurrency-limit", self.at_once.to_string().as_str())
        };
        if in_window >= self.per_second || in_flight >= self.at_once {
            *self.refused.lock().unwrap() += 1;
            return declared(ResponseTemplate::new(429));
        }
        declared(csl_answer(self.body.clone()).set_delay(self.latency))
    }
}

#[tokio::test]
async fn declared_rate_limits_are_kept_with_no_429() {
    let resolver = MockServer::start().await;
    let agency = MockServer::start().await;
    let refused = Arc::new(Mutex::new(0));
    // Crossref's public pool, as recorded: 5 requests a second, one at a time.
    Mock::given(method("GET"))
        .respond_with(StrictAgency {
            per_second: 5,
            at_once: 1,
            latency: Duration::from_millis(20),
            body: fixture("crossref-cn-10.1126-science.169.3946.635.json"),
            arrivals: Mutex::new(Vec::new()),
            refused: refused.clone(),
        })
        .mount(&agency)
        .await;
    let mut refs = Vec::new();
    for i in 0..8 {
        let doi: &'static str = format!("10.5555/rate-{i}").leak();
        mount_handle(&resolver, doi, handle_found(doi)).await;
        Mock::given(path(format!("/{doi}")))
            .respond_with(ResponseTemplate::new(302).insert_header(
                "location",
                format!("{}/works/{doi}/transform", agency.uri()),
            ))
            .mount(&resolver)
            .await;
        refs.push(Ref {
            id: format!("r{i}").leak(),
            doi,
            ..FRANK
        });
    }
    let root = project(&refs);
    let start = Instant::now();
    let doc = resolve_json(root.path(), &resolver.uri(), &["--concurrency", "8"], 0).await;
    assert_eq!(
        *refused.lock().unwrap(),
        0,
        "the run got 429s it could have avoided"
    );
    assert_eq!(doc["summary"]["dois"]["verified"], 8, "{doc:#}");
    // Eight requests at five a second: seven gaps of a fifth of a second.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(1400), "{took:?}");
}

// ----------------------------------------------------------------------------- cache

#[tokio::test]
async fn a_warm_cache_makes_no_request() {
    let server = MockServer::start().await;
    let gone = r("gone", "10.5555/gone");
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    let root = project(&[FRANK, gone]);
    let first = resolve_json(root.path(), &server.uri(), &[], 1).await;
    let sent = requests(&server).await;
    assert_eq!(sent, 4, "handle + redirect + agency, and one handle");
    assert!(root.path().join(".argmap/.gitignore").exists());

    let second = resolve_json(root.path(), &server.uri(), &[], 1).await;
    assert_eq!(requests(&server).await, sent, "the warm run sent requests");
    let table = run(argmap(root.path(), &server.uri(), &["resolve"])).await;
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("distinct DOIs: 2, answered from the cache: 2, HTTP requests: 0"),
        "{table}"
    );
    // The library reads the same verdicts without the network (an editor's hover), from a
    // host, synchronously.
    let mut host = argmap::AnalysisHost::open(root.path()).unwrap();
    let mut options = argmap::resolve::Options::new(server.uri().parse().unwrap());
    options.crossref = None;
    options.cache = Some(root.path().join(".argmap/doi-cache.json"));
    host.read_dois_from(options);
    let analysis = host.analysis();
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.rule == argmap::Rule::DoiNotFound),
        "the cache's verdict is a finding: {:?}",
        analysis.diagnostics
    );
    let gone_index = analysis
        .corpus()
        .references
        .iter()
        .position(|r| r.id.value == "gone")
        .unwrap();
    assert_eq!(
        analysis.doi_verdict(gone_index).map(|c| c.status.name()),
        Some("not-found")
    );
    let cached = analysis.resolution.as_ref().unwrap();
    let verdicts: Vec<_> = cached
        .checked
        .iter()
        .map(|c| (c.reference.as_str(), c.cached))
        .collect();
    assert_eq!(verdicts, [("frank1970", true), ("gone", true)]);
    assert_eq!((cached.counts.verified, cached.counts.broken), (1, 1));
    assert_eq!(cached.requests, 0);
    assert_eq!(requests(&server).await, sent, "from_cache sent requests");
    assert_eq!(statuses(&first), statuses(&second));
    assert_eq!(second["requests"], 0);
    assert!(
        second["dois"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["cached"] == true)
    );

    // Existence-only answers do for an existence-only run, and an age of 0 asks again.
    resolve_json(root.path(), &server.uri(), &["--no-metadata"], 1).await;
    assert_eq!(requests(&server).await, sent);
    resolve_json(root.path(), &server.uri(), &["--max-cache-age", "0"], 1).await;
    assert_eq!(requests(&server).await, 2 * sent);
}

#[tokio::test]
async fn a_corrupt_cache_is_a_warning_and_is_rebuilt() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    let root = project(&[FRANK]);
    let cache = root.path().join(".argmap/doi-cache.json");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(
        &cache,
        "{\"format\": \"argmap-doi-cache\", \"version\": 2, \"entries\": [1, 2",
    )
    .unwrap();
    let out = run(argmap(
        root.path(),
        &server.uri(),
        &["resolve", "--no-metadata"],
    ))
    .await;
    let out = out.assert().code(0).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("is not an argmap DOI cache") && stderr.contains("rebuilt"),
        "{stderr}"
    );
    let rebuilt: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    let service = format!("{}/", server.uri());
    assert_eq!(
        rebuilt["services"][service.as_str()][FRANK.doi.to_lowercase()]["status"],
        "found"
    );
}

#[tokio::test]
async fn two_processes_at_once_leave_a_whole_cache() {
    let server = MockServer::start().await;
    let refs: Vec<Ref> = (0..12)
        .map(|i| r(format!("r{i}").leak(), format!("10.5555/both-{i}").leak()))
        .collect();
    for r in &refs {
        mount_handle(
            &server,
            r.doi,
            handle_found(r.doi).set_delay(Duration::from_millis(20)),
        )
        .await;
    }
    let root = project(&refs);
    let spawn = || {
        let mut cmd = argmap(
            root.path(),
            &server.uri(),
            &["resolve", "--no-metadata", "--concurrency", "2"],
        );
        cmd.stdout(std::process::Stdio::null());
        cmd.spawn().unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let results =
        tokio::task::spawn_blocking(move || [a, b].map(|mut child| child.wait().unwrap()))
            .await
            .unwrap();
    assert!(results.iter().all(|s| s.success()));
    let cache = root.path().join(".argmap/doi-cache.json");
    let file: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    let service = format!("{}/", server.uri());
    assert_eq!(
        file["services"][service.as_str()]
            .as_object()
            .unwrap()
            .len(),
        12
    );
}

// ----------------------------------------------------------------------------- formats

#[tokio::test]
async fn sarif_for_check_online_points_at_the_doi_field() {
    let server = MockServer::start().await;
    let gone = r("gone", "10.5555/gone");
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    let root = project(&[gone]);
    let out = run(argmap(
        root.path(),
        &server.uri(),
        &["check", "--online", "--format", "sarif"],
    ))
    .await;
    let out = out.assert().code(1).get_output().clone();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "doi-not-found");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "references/refs.yaml");
    assert_eq!(loc["region"]["startLine"], 8);
    assert_eq!(
        sarif["runs"][0]["properties"]["summary"]["dois"]["broken"],
        1
    );
}

#[tokio::test]
async fn the_human_table_lists_each_doi_and_its_status() {
    let server = MockServer::start().await;
    let gone = r("gone", "10.5555/gone");
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    let root = project(&[FRANK, gone]);
    let out = run(argmap(
        root.path(),
        &server.uri(),
        &["resolve", "--no-metadata"],
    ))
    .await;
    let out = out.assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let table: Vec<&str> = text.lines().take(3).collect();
    assert_eq!(
        table,
        [
            "REFERENCE  DOI                           STATUS     DETAIL",
            "frank1970  10.1126/science.169.3946.635  verified   registered",
            "gone       10.5555/gone                  not-found  not registered",
        ]
    );
    assert!(
        text.contains("DOIs: 1 verified, 1 broken, 0 unverified"),
        "{text}"
    );
    // No progress bar when stderr is not a terminal.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_bad_resolver_is_a_failure_to_run() {
    let root = project(&[FRANK]);
    for resolver in ["ftp://example.org", "not a url", "https://doi.org/?x=1"] {
        let out = run(argmap(root.path(), resolver, &["check", "--online"])).await;
        let out = out.assert().code(2).get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("bad resolver"), "{resolver}: {stderr}");
    }
}

/// The human report of the three online rules, as a person sees it.
#[tokio::test]
async fn online_findings_read_well_in_the_human_report() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    let gone = r("gone2020", "10.5555/does-not-exist");
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    let flaky = r("flaky2019", "10.5555/flaky");
    mount_handle(&server, flaky.doi, ResponseTemplate::new(503)).await;
    let wrong = Ref {
        id: "denisov2016",
        doi: FRANK.doi,
        title: "Four Problems of the SCO in Connection with Its Enlargement",
        family: "Denisov",
        year: 2016,
    };
    let root = project(&[wrong, gone, flaky]);
    let mut cmd = argmap(root.path(), &server.uri(), &["check", "--online"]);
    cmd.env("COLUMNS", "100");
    let out = run(cmd).await;
    let out = out.assert().code(1).get_output().clone();
    let report = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&server.address().to_string(), "127.0.0.1:PORT");
    insta::assert_snapshot!("online_human_report", report);
}
