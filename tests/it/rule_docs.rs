//! Every rule's documented example (`argmap rules NAME`), run: laid over the standard
//! workspace, the example must report its rule and no other, and its fix must not report it
//! (an offline rule's fix reports nothing at all). The convention the examples are written in is `argmap::rule::RuleDocs`'s: one
//! or more files, each opened by a line `# PATH` with an optional note in parentheses.
//!
//! The offline rules (phases `load` and `check`) are run in memory through
//! `argmap::Analysis::offline`. The online rules are run by `argmap resolve` against a local
//! stand-in for the DOI system (wiremock), which answers about the examples' DOIs as
//! [`registered`] records them.

use std::collections::{BTreeMap, BTreeSet};

use argmap::Rule;
use argmap::report::{Summary, human};
use argmap::rule::Phase;
use argmap::workspace::Workspace;
use serde_json::{Value, json};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::Project;
use crate::common::doi::{Crossref, Ref, argmap, handle_not_found, item, run};

/// The standard workspace the examples are laid over: five references, one file each, and
/// the map `china-sco`, which cites them all. It has no finding.
const STANDARD: &[(&str, &str)] = &[
    (
        "references/guliev2020.yaml",
        r#"references:
  - id: guliev2020
    type: article-journal
    author: [{family: Guliev, given: Igbal A.}]
    issued: {date-parts: [[2020]]}
    title: >-
      Russian Engagement in the Shanghai Cooperation Organization: Motives
      and Current Situation
    container-title: International Journal on Emerging Technologies
    page: 132-136
"#,
    ),
    (
        "references/song2014.yaml",
        r#"references:
  - id: song2014
    type: article-journal
    author: [{family: Song, given: W.}]
    issued: {date-parts: [[2014]]}
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    container-title: Journal of Contemporary China
    page: 85-101
    DOI: 10.1080/10670564.2013.809981
"#,
    ),
    (
        "references/yun2012.yaml",
        r#"references:
  - id: yun2012
    type: article-journal
    author: [{family: Yun, given: Y.}, {family: Park, given: K.}]
    issued: {date-parts: [[2012]]}
    title: >-
      An Analysis of the Multilateral Cooperation and Competition between
      Russia and China in the Shanghai Cooperation Organization: Issues and
      Prospects
    container-title: Pacific Focus
    page: 62-85
    DOI: 10.1111/j.1976-5118.2012.01076.x
"#,
    ),
    (
        "references/alimov2020.yaml",
        r#"references:
  - id: alimov2020
    type: chapter
    author: [{family: Alimov, given: R.}]
    issued: {date-parts: [[2020]]}
    title: The Shanghai Cooperation Organisation and the Development of Eurasia
    container-title: The "Roads" and "Belts" of Eurasia
    page: 261-301
"#,
    ),
    (
        "references/chinasco.yaml",
        r#"references:
  - id: chinasco
    type: document
    title: "[Paper on Chinese foreign policy in the SCO]"
"#,
    ),
    (
        "arguments/china-sco.yaml",
        r#"title: China's policy in the SCO
source: chinasco
claims:
  - id: two-interests
    text: China's SCO policy shows two parallel interests, political and economic.
    cites: ["@chinasco"]
  - id: security-success
    text: The SCO helped China fight extremist groups in its western regions [@song2014].
    supports: [two-interests]
  - id: rivalry-faded
    text: >-
      Russian-Chinese rivalry within the SCO faded once economic cooperation
      moved to the AIIB and the BRI [@yun2012; @alimov2020; @guliev2020].
    supports: [two-interests]
  - id: russia-stalled-economy
    text: Russia stalled economic cooperation in the SCO, against Chinese dominance.
    cites: ["@chinasco"]
    supports: [rivalry-faded]
"#,
    ),
];

/// The path and note of a line that opens a file (`# arguments/m.yaml (Latin-1)`).
fn header(line: &str) -> Option<(&str, Option<&str>)> {
    let rest = line.strip_prefix("# ")?;
    let (path, note) = match rest.split_once(" (") {
        Some((path, note)) => (path, Some(note.strip_suffix(')')?)),
        None => (rest, None),
    };
    let known = path == "argmap.toml"
        || ["arguments/", "references/", "sources/"]
            .iter()
            .any(|folder| {
                path.strip_prefix(folder)
                    .is_some_and(|name| !name.contains('/'))
            });
    (known && !path.contains(' ')).then_some((path, note))
}

/// A file's text as its note says it is saved: UTF-8, Latin-1, or repeated to a size.
fn saved(rule: Rule, note: Option<&str>, text: &str) -> Vec<u8> {
    match note {
        None | Some("UTF-8") => text.as_bytes().to_vec(),
        Some("Latin-1") => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect(),
        Some(size) if size.ends_with(" MiB") => {
            let mib: usize = size.trim_end_matches(" MiB").parse().expect("a size");
            text.bytes().cycle().take(mib << 20).collect()
        }
        Some(other) => panic!("{rule}: no such note `({other})`"),
    }
}

/// The standard workspace's files, by path.
fn standard() -> BTreeMap<String, Vec<u8>> {
    STANDARD
        .iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect()
}

/// The files of an example (or of its fix), by path, laid over the standard workspace.
fn files(rule: Rule, text: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = standard();
    let mut sections: Vec<(&str, Option<&str>, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match header(line.trim_end_matches('\n')) {
            Some((path, note)) => sections.push((path, note, String::new())),
            None => match sections.last_mut() {
                Some((.., body)) => body.push_str(line),
                None => panic!("{rule}: the text must start with a `# PATH` line: {line:?}"),
            },
        }
    }
    assert!(!sections.is_empty(), "{rule}: no file");
    for (path, note, body) in sections {
        files.insert(path.to_owned(), saved(rule, note, &body));
    }
    files
}

/// The offline analysis of a workspace held in memory.
fn analyse(rule: Rule, files: &BTreeMap<String, Vec<u8>>) -> argmap::Analysis {
    let mut workspace = Workspace::new();
    for (path, bytes) in files {
        assert!(
            workspace.set_text(path, bytes.clone()),
            "{rule}: `{path}` is none of argmap's files"
        );
    }
    argmap::Analysis::offline(&workspace)
}

/// The rules an analysis reports.
fn rules(analysis: &argmap::Analysis) -> BTreeSet<Rule> {
    analysis.diagnostics.iter().map(|d| d.rule).collect()
}

/// The human report, to show what was found.
fn report(analysis: &argmap::Analysis) -> String {
    let summary = Summary::new(analysis.corpus(), &analysis.diagnostics);
    human::findings(
        &analysis.corpus().sources,
        &analysis.diagnostics,
        &summary,
        human::Style::default(),
    )
}

#[test]
fn the_standard_workspace_has_no_finding() {
    let analysis = analyse(Rule::YamlSyntax, &standard());
    assert!(analysis.diagnostics.is_empty(), "{}", report(&analysis));
    assert_eq!(
        (
            analysis.corpus().maps.len(),
            analysis.corpus().references.len()
        ),
        (1, 5)
    );
}

#[test]
fn a_file_opens_at_a_path_line_and_says_how_it_is_saved() {
    assert_eq!(
        header("# arguments/m.yaml"),
        Some(("arguments/m.yaml", None))
    );
    assert_eq!(
        header("# references/r.yaml (40 MiB)"),
        Some(("references/r.yaml", Some("40 MiB")))
    );
    assert_eq!(header("# argmap.toml"), Some(("argmap.toml", None)));
    // A comment in a file's text is not a file.
    for comment in [
        "# the conclusion",
        "# arguments/a/b.yaml",
        "#arguments/m.yaml",
    ] {
        assert_eq!(header(comment), None, "{comment}");
    }
    let rule = Rule::InvalidUtf8;
    assert_eq!(saved(rule, Some("Latin-1"), "Naarajärvi"), b"Naaraj\xe4rvi");
    assert_eq!(saved(rule, Some("1 MiB"), "abc").len(), 1 << 20);
    let laid = files(
        rule,
        "# arguments/m.yaml\na: 1\n# the rest\n# sources/x.txt\nText.",
    );
    assert_eq!(laid["arguments/m.yaml"], b"a: 1\n# the rest\n");
    assert_eq!(laid["sources/x.txt"], b"Text.");
    assert_eq!(laid.len(), STANDARD.len() + 2);
}

/// Every offline rule's example reports that rule and no other (every example is written
/// so; none needs a second rule to show its own), and its fix reports nothing at all.
/// `file-too-large` and `invalid-utf8` are run too: their notes, `(40 MiB)` and
/// `(Latin-1)`, make the bytes their text cannot show.
#[test]
fn every_offline_example_reports_its_rule_alone_and_its_fix_nothing() {
    let mut checked = 0;
    for rule in Rule::all().filter(|r| r.phase() != Phase::Online) {
        let docs = rule.docs();
        let example = analyse(rule, &files(rule, docs.example));
        assert_eq!(
            rules(&example),
            BTreeSet::from([rule]),
            "{rule}: the example reports\n{}",
            report(&example)
        );
        let fixed = analyse(rule, &files(rule, docs.fixed));
        assert!(
            fixed.diagnostics.is_empty(),
            "{rule}: the fix reports\n{}",
            report(&fixed)
        );
        checked += 1;
    }
    assert_eq!(checked, 32, "every rule of the load and check phases");
}

/// What Crossref records of the DOIs the examples and the standard workspace carry: each
/// work's title, first author and year, and the notices about it. The works of the SCO
/// papers are as registered; the Lancet paper of 1998 and its retraction notice of 2010
/// are the documented case of `../shared/notes/retractions-and-quotes.md` (its correction
/// left out, so that the example shows the retraction alone); the two works under
/// Crossref's test prefix (10.5555) stand for a work under an expression of concern and a
/// corrected one. Any other DOI the DOI system does not know.
fn registered() -> Vec<Value> {
    let work = |doi, title, family, year| {
        item(&Ref {
            id: "",
            doi,
            title,
            family,
            year,
        })
    };
    // A work known by its title alone.
    let described = |doi, title| {
        let mut w = work(doi, title, "", 0);
        let fields = w.as_object_mut().unwrap();
        fields.remove("author");
        fields.remove("issued");
        w
    };
    let notice = |doi: &str, kind: &str, date: [i32; 3]| {
        json!([{"DOI": doi, "type": kind, "source": "publisher",
                "updated": {"date-parts": [date]}}])
    };
    let lancet = "10.1016/S0140-6736(97)11096-0";
    let lancet_retraction = "10.1016/S0140-6736(10)60175-4";
    let lancet_title = "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and \
                        pervasive developmental disorder in children";
    let mut retracted = work(lancet, lancet_title, "Wakefield", 1998);
    retracted["updated-by"] = notice(lancet_retraction, "retraction", [2010, 2, 6]);
    let mut retraction = described(lancet_retraction, "");
    // Registered under its own title and date, with no author.
    retraction["title"] = json!([format!("Retraction—{lancet_title}")]);
    retraction["issued"] = json!({"date-parts": [[2010, 2, 6]]});
    retraction["update-to"] = notice(lancet, "retraction", [2010, 2, 6]);
    let mut concern = described(
        "10.5555/sco-energy-club",
        "[A study of the SCO Energy Club]",
    );
    concern["updated-by"] = notice(
        "10.5555/sco-energy-club-eoc",
        "expression_of_concern",
        [2022, 11, 1],
    );
    let mut corrected = described(
        "10.5555/sco-rats",
        "[A study of the SCO's Regional Antiterrorist Structure]",
    );
    corrected["updated-by"] = notice("10.5555/sco-rats-erratum", "correction", [2021, 3, 1]);
    vec![
        work(
            "10.1080/10670564.2013.809981",
            "Interests, Power and China's Difficult Game in the Shanghai Cooperation \
             Organization (SCO)",
            "Song",
            2014,
        ),
        work(
            "10.1111/j.1976-5118.2012.01076.x",
            "An Analysis of the Multilateral Cooperation and Competition between Russia and \
             China in the Shanghai Cooperation Organization: Issues and Prospects: Russia and \
             China in the SCO",
            "Yun",
            2012,
        ),
        work(
            "10.1080/10611940.2016.1296304",
            "Four Problems of the SCO in Connection with Its Enlargement",
            "Denisov",
            2016,
        ),
        retracted,
        retraction,
        concern,
        corrected,
    ]
}

/// The DOI findings of `argmap resolve` on a workspace, the resolver and Crossref both at
/// `server`.
async fn resolved(rule: Rule, files: &BTreeMap<String, Vec<u8>>, server: &MockServer) -> Value {
    let project = files
        .iter()
        .fold(Project::empty(), |p, (path, bytes)| p.with(path, bytes));
    let uri = server.uri();
    let args = [
        "resolve",
        "--format",
        "json",
        "--no-cache",
        "--crossref-api",
        &uri,
    ];
    let out = run(argmap(project.path(), &uri, &args)).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{rule}: {e}\n{}", String::from_utf8_lossy(&out.stderr)))
}

fn rules_of(doc: &Value) -> BTreeSet<Rule> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Rule::from_name(d["rule"].as_str().unwrap()).unwrap())
        .collect()
}

/// Every online rule's example, and its fix, loads cleanly: no finding of the load phase,
/// and offline none but `unused-reference` (the examples of notices add a reference that
/// no map of the standard workspace cites). Then `argmap resolve` against the registry
/// reports the example's rule and no other, and nothing on the fix, except that the fix of
/// `doi-is-notice` names the Lancet paper, which is retracted (`cited-work-retracted`).
///
/// `doi-unverified` needs more than the text: it reports the network, not the data, so its
/// example is resolved against a DOI system that answers 503 to every request, and its fix
/// (the same DOI, a later run) against the registry.
#[tokio::test]
async fn every_online_example_is_reported_by_the_registry_and_its_fix_is_not() {
    let registry = MockServer::start().await;
    Crossref::new(registered()).mount(&registry).await;
    // A DOI Crossref has no record of is asked about at the Handle API: here, none exists.
    Mock::given(path_regex("^/api/handles/"))
        .respond_with(|request: &Request| {
            handle_not_found(request.url.path().trim_start_matches("/api/handles/"))
        })
        .mount(&registry)
        .await;
    let failing = MockServer::start().await;
    Mock::given(path_regex(".*"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&failing)
        .await;

    let mut checked = 0;
    for rule in Rule::all().filter(|r| r.phase() == Phase::Online) {
        let docs = rule.docs();
        let (example, fixed) = (files(rule, docs.example), files(rule, docs.fixed));
        for (what, files) in [("example", &example), ("fix", &fixed)] {
            let offline = analyse(rule, files);
            let unexpected: BTreeSet<Rule> = rules(&offline)
                .into_iter()
                .filter(|&r| r != Rule::UnusedReference)
                .collect();
            assert!(
                unexpected.is_empty(),
                "{rule}: the {what} reports offline\n{}",
                report(&offline)
            );
        }
        let server = match rule {
            Rule::DoiUnverified => &failing,
            _ => &registry,
        };
        let doc = resolved(rule, &example, server).await;
        assert_eq!(
            rules_of(&doc),
            BTreeSet::from([rule]),
            "{rule}: the example: {doc:#}"
        );
        let doc = resolved(rule, &fixed, &registry).await;
        // The work whose DOI the notice example is fixed to is the retracted one.
        let left = match rule {
            Rule::DoiIsNotice => BTreeSet::from([Rule::CitedWorkRetracted]),
            _ => BTreeSet::new(),
        };
        assert_eq!(rules_of(&doc), left, "{rule}: the fix: {doc:#}");
        checked += 1;
    }
    assert_eq!(checked, 7, "every rule of the online phase");
}
