//! Retractions, corrections and notices from Crossref's REST API, through the binary,
//! against a local stand-in (wiremock on 127.0.0.1) answering as api.crossref.org does.
//!
//! The shapes follow Crossref's REST API documentation (`api_format.md`: `message-type`
//! `work` and `work-list`, `updated-by`/`update-to` entries with `DOI`, `type`, `source`,
//! `updated`) and the documented Lancet example of `../shared/notes/retractions-and-quotes.md`
//! (a correction and a retraction, each reported by the publisher and by Retraction Watch).

use std::sync::{Arc, Mutex};

use assert_cmd::assert::OutputAssertExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::doi::*;

/// The Lancet paper, its correction and its retraction (notes: "Documented example").
const LANCET: &str = "10.1016/S0140-6736(97)11096-0";
const LANCET_RETRACTION: &str = "10.1016/s0140-6736(10)60175-4";
const LANCET_CORRECTION: &str = "10.1016/s0140-6736(04)15715-2";

fn lancet() -> Ref {
    Ref {
        id: "wakefield1998",
        doi: LANCET,
        title: "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive \
                developmental disorder in children",
        family: "Wakefield",
        year: 1998,
    }
}

fn lancet_item() -> Value {
    let mut w = item(&lancet());
    // As recorded in the notes: the same retraction twice (publisher, Retraction Watch).
    w["updated-by"] = json!([
        {"DOI": LANCET_CORRECTION, "type": "correction", "label": "Correction",
         "source": "retraction-watch", "record-id": "1",
         "updated": {"date-parts": [[2004, 3, 6]], "date-time": "2004-03-06T00:00:00Z", "timestamp": 1078531200000i64}},
        {"DOI": LANCET_RETRACTION, "type": "retraction", "label": "Retraction",
         "source": "retraction-watch", "record-id": "2",
         "updated": {"date-parts": [[2010, 2, 6]], "date-time": "2010-02-06T00:00:00Z", "timestamp": 1265414400000i64}},
        {"DOI": LANCET_RETRACTION.to_uppercase(), "type": "retraction", "label": "Retraction",
         "source": "publisher", "updated": {"date-time": "2010-02-06T00:00:00Z"}},
    ]);
    w
}

/// The Handle API must not be asked: Crossref's record settles existence.
async fn no_handle_requests(server: &MockServer) {
    Mock::given(path_regex("^/api/handles/"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(server)
        .await;
}

/// `argmap ARGS --format json ROOT` against `server`: the document, once the exit status
/// is checked.
async fn online_json(
    root: &std::path::Path,
    server: &MockServer,
    args: &[&str],
    code: i32,
) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = online(root, server, &all).await;
    json_of(&out.assert().code(code).get_output().clone())
}

/// `argmap ARGS ROOT` with the resolver and Crossref both on `server`.
async fn online(
    root: &std::path::Path,
    server: &MockServer,
    args: &[&str],
) -> std::process::Output {
    let api = server.uri();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--crossref-api", &api]);
    run(argmap(root, &server.uri(), &all)).await
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[tokio::test]
async fn a_retracted_work_is_an_error_at_its_doi_with_every_citing_claim() {
    let server = MockServer::start().await;
    no_handle_requests(&server).await;
    let crossref = Crossref::new(vec![lancet_item(), item(&FRANK)]);
    crossref.mount(&server).await;
    let root = project(&[lancet(), FRANK]);
    let out = online(
        root.path(),
        &server,
        &["check", "--online", "--format", "json"],
    )
    .await;
    let out = out.assert().code(1).get_output().clone();
    let doc = json_of(&out);
    assert_eq!(
        rules(&doc),
        ["cited-work-corrected", "cited-work-retracted"]
    );
    // Sorted by place, then by rule name.
    let retracted = &doc["diagnostics"][1];
    assert_eq!(retracted["severity"], "error");
    assert_eq!(
        retracted["message"],
        format!(
            "the work of DOI {LANCET} is retracted, cited by 2 claims: retraction notice \
             {LANCET_RETRACTION} of 2010-02-06, reported by Retraction Watch and the publisher"
        )
    );
    // At the reference's DOI; the claims citing the work as related places.
    assert_eq!(
        (retracted["file"].as_str(), retracted["line"].as_u64()),
        (Some("references/refs.yaml"), Some(8))
    );
    let related: Vec<(u64, &str)> = retracted["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        related,
        [(5, "arguments/map.yaml"), (7, "arguments/map.yaml")]
    );
    let corrected = &doc["diagnostics"][0];
    assert_eq!(corrected["severity"], "warning");
    assert!(
        corrected["message"].as_str().unwrap().contains(&format!(
            "correction notice {LANCET_CORRECTION} of 2004-03-06"
        )),
        "{corrected}"
    );
    // One request for both DOIs; the DOI table names the notices.
    assert_eq!(
        crossref.batches(),
        [vec![LANCET.to_owned(), FRANK.doi.to_owned()]]
    );
    let resolved = {
        let out = online(
            root.path(),
            &server,
            &["resolve", "--format", "json", "--no-cache"],
        )
        .await;
        json_of(&out)
    };
    assert_eq!(resolved["dois"][0]["updated_by"][1]["kind"], "retraction");
    assert_eq!(
        resolved["dois"][0]["updated_by"][1]["sources"],
        json!(["retraction-watch", "publisher"])
    );
    assert!(
        resolved["dois"][0]["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("retraction 2010-02-06 ({LANCET_RETRACTION})")),
        "{resolved:#}"
    );
    assert_eq!(
        resolved["dois"][1]["detail"],
        "registered; metadata agrees; no notice updates it"
    );
}

#[tokio::test]
async fn concerns_and_corrections_are_warnings_new_versions_nothing() {
    let server = MockServer::start().await;
    let concern = r("concern", "10.5555/concern");
    let versioned = r("versioned", "10.5555/versioned");
    let mut concern_item = item(&concern);
    concern_item["updated-by"] = json!([{"DOI": "10.5555/eoc", "type": "expression-of-concern",
        "source": "publisher", "updated": {"date-parts": [[2022, 11]]}}]);
    let mut versioned_item = item(&versioned);
    versioned_item["updated-by"] = json!([{"DOI": "10.5555/v2", "type": "new_version",
        "source": "publisher", "updated": {"date-parts": [[2022]]}}]);
    Crossref::new(vec![concern_item, versioned_item])
        .mount(&server)
        .await;
    let root = project(&[concern, versioned]);
    let doc = online_json(root.path(), &server, &["check", "--online"], 0).await;
    assert_eq!(rules(&doc), ["cited-work-concern"]);
    let finding = &doc["diagnostics"][0];
    assert!(
        finding["message"].as_str().unwrap().contains(
            "is under an expression of concern, cited by 2 claims: expression of concern notice \
             10.5555/eoc of 2022-11, reported by the publisher"
        ),
        "{doc:#}"
    );
    assert_eq!(
        finding["help"],
        "read the notice: the work's findings are in doubt while it stands"
    );
    // The levels apply: a concern denied fails the run.
    let out = online(
        root.path(),
        &server,
        &["check", "--online", "--deny", "cited-work-concern"],
    )
    .await;
    out.assert().code(1);
}

#[tokio::test]
async fn a_doi_that_is_a_notice_is_flagged_with_the_work_to_cite() {
    let server = MockServer::start().await;
    let notice = Ref {
        id: "retraction2010",
        doi: "10.1016/S0140-6736(10)60175-4",
        title: "Retraction—Ileal-lymphoid-nodular hyperplasia",
        family: "Editors",
        year: 2010,
    };
    let mut notice_item = item(&notice);
    notice_item["update-to"] = json!([{"DOI": LANCET, "type": "retraction", "source": "publisher",
        "updated": {"date-parts": [[2010, 2, 6]]}}]);
    Crossref::new(vec![notice_item]).mount(&server).await;
    let root = project(&[notice]);
    let doc = online_json(root.path(), &server, &["check", "--online"], 0).await;
    assert_eq!(rules(&doc), ["doi-is-notice"]);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        d["message"],
        format!(
            "DOI 10.1016/S0140-6736(10)60175-4 is a retraction notice for {LANCET}: the \
             reference cites the notice, not the work"
        )
    );
    assert_eq!(d["fixes"][0]["applicability"], "unsafe");
    // The scalar keeps its quotes.
    assert_eq!(
        d["fixes"][0]["edits"][0]["replacement"],
        json!(format!("\"{LANCET}\""))
    );
}

#[tokio::test]
async fn a_work_crossref_does_not_know_is_asked_alone_then_resolved_and_not_flagged() {
    let server = MockServer::start().await;
    // A DataCite DOI: absent from the batch, 404 alone, found by the Handle API.
    let datacite = Ref {
        id: "pepe2017",
        doi: "10.22541/au.149693987.70506124",
        title: "The arXiv of the future will not look like the arXiv",
        family: "Pepe",
        year: 2017,
    };
    let crossref = Crossref::new(vec![item(&FRANK)]);
    crossref.mount(&server).await;
    mount_handle(&server, datacite.doi, handle_found(datacite.doi)).await;
    mount_csl(
        &server,
        datacite.doi,
        csl_answer(fixture("manubot-empty-date-parts-csl.json")),
    )
    .await;
    let root = project(&[FRANK, datacite]);
    let doc = online_json(root.path(), &server, &["resolve"], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(
        statuses(&doc),
        [
            ("frank1970".to_owned(), "verified".to_owned()),
            ("pepe2017".to_owned(), "verified".to_owned())
        ]
    );
    let queries = crossref.queries.lock().unwrap().clone();
    assert_eq!(
        queries,
        [
            format!("filter=doi:{},doi:{}", FRANK.doi, datacite.doi),
            format!("alone={}", datacite.doi)
        ]
    );
    // The second run asks nobody: "not in Crossref" and "found" are both cached.
    let before = server.received_requests().await.unwrap().len();
    let doc = online_json(root.path(), &server, &["resolve"], 0).await;
    assert_eq!(doc["requests"], 0);
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

#[tokio::test]
async fn crossref_failing_is_unverified_never_a_verdict() {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/works"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    // A DOI the DOI system says does not exist stays not found: Crossref's silence does
    // not soften a definite answer.
    let gone = r("gone", "10.5555/gone");
    mount_handle(&server, gone.doi, handle_not_found(gone.doi)).await;
    let root = project(&[FRANK, gone]);
    let doc = online_json(root.path(), &server, &["check", "--online"], 1).await;
    assert_eq!(rules(&doc), ["doi-unverified", "doi-not-found"], "{doc:#}");
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("whether a notice (a retraction, a correction) updates it could not be learnt from Crossref")
            && message.contains("HTTP 503"),
        "{message}"
    );
    // Not cached: the next run asks again.
    let root_cache = root.path().join(".argmap/doi-cache.json");
    let cache = std::fs::read_to_string(root_cache).unwrap_or_default();
    assert!(
        !cache.contains("crossref-work") && !cache.contains("not-in-crossref"),
        "{cache}"
    );
}

#[tokio::test]
async fn a_refused_batch_is_asked_one_doi_at_a_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/works"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": "failed", "message-type": "validation-failure",
            "message": [{"type": "filter-not-available", "value": "doi", "message": "..."}]
        })))
        .mount(&server)
        .await;
    let crossref = Crossref::new(vec![lancet_item(), item(&FRANK)]);
    crossref.mount(&server).await;
    let root = project(&[lancet(), FRANK]);
    let doc = online_json(root.path(), &server, &["resolve"], 1).await;
    assert_eq!(
        rules(&doc),
        ["cited-work-corrected", "cited-work-retracted"]
    );
    let mut alone = crossref.queries.lock().unwrap().clone();
    alone.sort();
    assert_eq!(
        alone,
        [format!("alone={LANCET}"), format!("alone={}", FRANK.doi)]
    );
}

#[tokio::test]
async fn long_doi_lists_are_split_under_the_url_limit_and_commas_go_alone() {
    let server = MockServer::start().await;
    let long: Vec<String> = (0..120)
        .map(|i| format!("10.5555/{}-{i}", "a-rather-long-suffix-of-a-doi".repeat(2)))
        .collect();
    let refs: Vec<Ref> = long
        .iter()
        .enumerate()
        .map(|(i, doi)| {
            r(
                Box::leak(format!("w{i}").into_boxed_str()),
                Box::leak(doi.clone().into_boxed_str()),
            )
        })
        .chain([r("comma", "10.5555/a,b")])
        .collect();
    let crossref = Crossref::new(refs.iter().map(item).collect());
    crossref.mount(&server).await;
    let root = project(&refs);
    let out = online(
        root.path(),
        &server,
        &["resolve", "--format", "json", "--no-metadata"],
    )
    .await;
    let doc = json_of(&out.assert().code(0).get_output().clone());
    assert_eq!(doc["summary"]["dois"]["verified"], 121, "{doc:#}");
    let requests = server.received_requests().await.unwrap();
    let batches: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path() == "/works")
        .collect();
    // Each DOI is counted at worst-case encoding, 3 bytes a character, `doi:` and a comma
    // included (`3 * (len + 5)`), against 4,000 bytes: 68 to 70 characters make 219 to
    // 225 bytes, so 18 DOIs a batch, then 17, and the rest.
    let sizes: Vec<usize> = crossref.batches().iter().map(Vec::len).collect();
    assert_eq!(sizes, [18, 18, 18, 18, 18, 17, 13]);
    for b in &batches {
        assert!(
            b.url.as_str().len() <= 4100,
            "{} bytes",
            b.url.as_str().len()
        );
    }
    let asked: usize = crossref.batches().iter().map(Vec::len).sum();
    assert_eq!(asked, 120, "every DOI but the one with a comma in a batch");
    assert!(
        crossref
            .queries
            .lock()
            .unwrap()
            .contains(&"alone=10.5555/a,b".to_owned())
    );
}

/// Crossref's limits, as its answers declare them; a 429 carries them too.
struct Limited {
    inner: Crossref,
    refused: Arc<Mutex<bool>>,
}

impl Respond for Limited {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut refused = self.refused.lock().unwrap();
        let answer = if *refused {
            self.inner.respond(request)
        } else {
            *refused = true;
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_raw("Too many requests", "text/plain")
        };
        answer
            .insert_header("x-rate-limit-limit", "10")
            .insert_header("x-rate-limit-interval", "1s")
            .insert_header("x-concurrency-limit", "3")
    }
}

#[tokio::test]
async fn a_429_is_waited_out_and_the_answer_used() {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/works"))
        .respond_with(Limited {
            inner: Crossref::new(vec![lancet_item()]),
            refused: Arc::default(),
        })
        .mount(&server)
        .await;
    let root = project(&[lancet()]);
    let started = std::time::Instant::now();
    let doc = online_json(root.path(), &server, &["resolve"], 1).await;
    assert_eq!(
        rules(&doc),
        ["cited-work-corrected", "cited-work-retracted"]
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(doc["requests"], 2);
}

/// "No notice" is asked again after the maximum age: retractions come years later.
#[tokio::test]
async fn no_notice_is_asked_again_after_the_maximum_age() {
    let server = MockServer::start().await;
    let crossref = Crossref::new(vec![item(&FRANK)]);
    crossref.mount(&server).await;
    let root = project(&[FRANK]);
    online(root.path(), &server, &["resolve"])
        .await
        .assert()
        .code(0);
    online(root.path(), &server, &["resolve"])
        .await
        .assert()
        .code(0);
    assert_eq!(crossref.batches().len(), 1, "the second run used the cache");
    online(root.path(), &server, &["resolve", "--max-cache-age", "0"])
        .await
        .assert()
        .code(0);
    assert_eq!(crossref.batches().len(), 2, "an age of 0 asks again");
}

#[tokio::test]
async fn the_human_report_names_the_notice() {
    let server = MockServer::start().await;
    Crossref::new(vec![lancet_item()]).mount(&server).await;
    let root = project(&[lancet()]);
    let out = online(root.path(), &server, &["check", "--online"]).await;
    let out = out.assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("cited-work-retracted"), "{text}");
    assert!(text.contains("cites it"), "{text}");
    assert!(text.contains("a retracted work backs no claim"), "{text}");
}

#[tokio::test]
async fn a_record_of_another_doi_is_not_this_works_record() {
    // A DOI with a comma is asked alone; an answer naming another DOI (a proxy's mistake,
    // an alias) carried that work's retraction over to the cited one, a false error.
    let server = MockServer::start().await;
    let comma = Ref {
        doi: "10.1126/science.169.3946.635,x",
        ..FRANK
    };
    Mock::given(method("GET"))
        .and(path(format!("/works/{}", comma.doi)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "ok", "message-type": "work", "message-version": "1.0.0",
            "message": lancet_item()
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_handle(&server, comma.doi, handle_found(comma.doi)).await;
    mount_csl(&server, comma.doi, crossref_answer()).await;
    let root = project(&[comma]);
    let doc = online_json(root.path(), &server, &["resolve"], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(
        statuses(&doc),
        [("frank1970".to_owned(), "verified".to_owned())]
    );
}

#[tokio::test]
async fn a_short_doi_is_never_sent_to_crossref_and_a_warm_cache_asks_nobody() {
    // Crossref's API does not know short DOIs (`10/abc`): the resolver expands them.
    let server = MockServer::start().await;
    let crossref = Crossref::new(vec![item(&FRANK)]);
    crossref.mount(&server).await;
    let short = r("short", "10/bxpz");
    mount_handle(&server, short.doi, handle_found(short.doi)).await;
    let root = project(&[FRANK, short]);
    let doc = online_json(root.path(), &server, &["resolve", "--no-metadata"], 0).await;
    assert_eq!(rules(&doc), Vec::<String>::new(), "{doc:#}");
    let queries = crossref.queries.lock().unwrap().clone();
    assert_eq!(queries, [format!("filter=doi:{}", FRANK.doi)]);
    // Both answers are cached: the next run sends nothing, and says so.
    let out = online(root.path(), &server, &["resolve", "--no-metadata"]).await;
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("distinct DOIs: 2, answered from the cache: 2, HTTP requests: 0"),
        "{table}"
    );
}
