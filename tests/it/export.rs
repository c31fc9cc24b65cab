//! `argmap export` as a process: the JSON document and its schema, Argdown as the real
//! `@argdown/cli` reads it (its own JSON export compared with the maps), AIF's structure
//! and stable ids, what each format cannot hold (on stderr), and writing.
//!
//! The Argdown test runs `argdown` (npm's `@argdown/cli`, installed by `make deps` and
//! `.ci/run`): it fails when node is installed and argdown is not, and is skipped, saying
//! so, only where node itself is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Project, argmap};

fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `argmap export ROOT --format FORMAT ARGS...`: stdout and stderr, after success.
fn export(root: &Path, format: &str, args: &[&str]) -> (String, String) {
    let out = argmap()
        .arg("export")
        .arg(root)
        .args(["--format", format])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "argmap export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_export(root: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&export(root, "json", args).0).unwrap()
}

/// Claims whose texts and quotes hold every character that means something to Argdown,
/// YAML or JSON, line breaks, a section, a kind, `cites` with locators, links across maps.
fn hostile() -> Project {
    let refs = "references:
  - id: paper
    type: article-journal
    title: The paper
    author: [{family: Author, given: A.}]
    issued: {date-parts: [[2020, 5]]}
    categories: [one, two]
  - id: song2014
    type: book
    title: \"Security first: {braces} and [brackets]\"
    author: [{family: Song, given: Weiqing}, {literal: World Bank}]
    editor: [{family: Berg, given: Anna, non-dropping-particle: van den}]
    issued: 2014
    publisher: Routledge
    page: 85-101
    DOI: 10.1177/0009445514523646
  - id: unused
    type: book
    title: Nobody cites this
";
    let m = r#"title: "A map: with [brackets], #tags and <angles>"
source: paper
claims:
  - id: thesis
    text: |-
      The thesis [@song2014, pp. 85-87; @paper] holds // not a comment,
      #not-a-tag, <not an argument>, *not emphasis*, {not data}, back\slash, 50% & "quotes".
    quote: "It said } and { and \"so\" // too"
    section: "III.C: Security {issues}"
    note: Read as the paper's main claim.
  - id: reason
    text: A reason, with @song2014 in the text.
    cites: ["see @paper, p. 3, emphasis added", "@song2014"]
    supports: [thesis]
    attacks: [{to: n:objection, by: analyst, note: "An inference {of mine}"}]
  - id: aim
    kind: aim
    text: The paper sets out to show things [@paper].
"#;
    let n = "title: N
source: paper
claims:
  - id: objection
    text: An objection [@paper].
    attacks: [m:thesis]
";
    Project::empty()
        .with("references/refs.yaml", refs)
        .with("arguments/m.yaml", m)
        .with("arguments/n.yaml", n)
}

fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("schema.json", schema.clone())
        .map_err(|e| e.to_string())?;
    let id = compiler
        .compile("schema.json", &mut schemas)
        .map_err(|e| e.to_string())?;
    schemas.validate(instance, id).map_err(|e| format!("{e:#}"))
}

fn export_schema() -> Value {
    let out = argmap().args(["schema", "export"]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_holds_the_checked_model_and_follows_its_schema() {
    let schema = export_schema();
    for root in [bundled(), hostile().dir.keep()] {
        let doc = json_export(&root, &[]);
        validate(&schema, &doc).unwrap();
    }
    let p = hostile();
    let doc = json_export(p.path(), &[]);
    assert_eq!(doc["format"], "argmap-export");
    let maps = doc["maps"].as_array().unwrap();
    assert_eq!(maps.len(), 2);
    let m = &maps[0];
    assert_eq!(m["name"], "m");
    assert_eq!(m["file"], "arguments/m.yaml");
    assert_eq!(m["source"], "paper");
    let thesis = &m["claims"][0];
    assert_eq!(thesis["key"], "m:thesis");
    assert_eq!(thesis["conclusion"], true);
    assert!(
        thesis["text"]
            .as_str()
            .unwrap()
            .ends_with("50% & \"quotes\".")
    );
    assert_eq!(thesis["section"], "III.C: Security {issues}");
    assert_eq!(thesis["quote"], "It said } and { and \"so\" // too");
    assert_eq!(thesis["citations"][0]["key"], "song2014");
    assert_eq!(
        thesis["citations"][0]["locator"],
        serde_json::json!({"label": "pp.", "kind": "page", "value": "85-87"})
    );
    let reason = &m["claims"][1];
    assert_eq!(
        reason["links"],
        serde_json::json!([{"relation": "supports", "to": "m:thesis", "by": "paper", "note": null},
                           {"relation": "attacks", "to": "n:objection", "by": "analyst",
                            "note": "An inference {of mine}"}])
    );
    let cites: Vec<&Value> = reason["citations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["origin"] == "cites")
        .collect();
    assert_eq!(cites[0]["prefix"], "see");
    assert_eq!(
        cites[0]["suffix"], "emphasis added",
        "citeproc takes the comma"
    );
    assert_eq!(m["claims"][2]["kind"], "aim");
    // References cited, as CSL-JSON; the uncited one is said to be left out.
    let refs = doc["references"].as_array().unwrap();
    let ids: Vec<&str> = refs
        .iter()
        .map(|r| r["item"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["paper", "song2014"]);
    let song = &refs[1]["item"];
    assert_eq!(song["issued"], serde_json::json!({"date-parts": [[2014]]}));
    assert_eq!(
        refs[0]["item"]["issued"],
        serde_json::json!({"date-parts": [[2020, 5]]})
    );
    assert_eq!(
        song["author"][1],
        serde_json::json!({"literal": "World Bank"})
    );
    assert_eq!(
        song["editor"][0],
        serde_json::json!({"family": "Berg", "given": "Anna", "non-dropping-particle": "van den"})
    );
    assert_eq!(song["publisher"], "Routledge");
    assert_eq!(song["page"], "85-101");
    assert_eq!(song["DOI"], "10.1177/0009445514523646");
    let (_, stderr) = export(p.path(), "json", &[]);
    assert!(
        stderr.contains("argmap: not exported: 1 reference that no exported claim or map cites"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the values of 1 structured CSL variable"),
        "{stderr}"
    );
    // One map: links into the other are kept, by name.
    let doc = json_export(p.path(), &["--map", "n"]);
    assert_eq!(doc["maps"].as_array().unwrap().len(), 1);
    assert_eq!(doc["maps"][0]["claims"][0]["links"][0]["to"], "m:thesis");
}

/// The `argdown` command, or `None` (with a message) where node is missing.
fn argdown() -> Option<PathBuf> {
    let find = |name: &str| {
        std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
    };
    match (find("argdown"), find("node")) {
        (Some(argdown), _) => Some(argdown),
        (None, None) => {
            eprintln!("skipped: node is not installed, so @argdown/cli cannot run");
            None
        }
        (None, Some(_)) => panic!(
            "argdown is missing: npm install -g @argdown/cli@1.7.5 (make deps and .ci/run do)"
        ),
    }
}

/// By title: a statement's text and data.
type Statements = BTreeMap<String, (String, Value)>;
/// (from, `support` or `attack`, to).
type Relations = BTreeSet<(String, String, String)>;

/// What the real Argdown reads in a document: each statement's title, text and data, and
/// the relations (from, type, to), from `argdown json`.
fn argdown_reads(argdown: &Path, text: &str) -> (Statements, Relations) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("maps.argdown"), text).unwrap();
    let out = std::process::Command::new(argdown)
        .arg("json")
        .arg(dir.path().join("maps.argdown"))
        .arg(dir.path())
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !said.contains("canceled"),
        "argdown: {said}"
    );
    let doc: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("maps.json")).expect(&said)).unwrap();
    let mut statements = BTreeMap::new();
    for (title, ec) in doc["statements"].as_object().unwrap() {
        let top = ec["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"] == "top-level-statement");
        let text = top
            .and_then(|m| m["text"].as_str())
            .unwrap_or("")
            .trim()
            .to_owned();
        let data = top.map(|m| m["data"].clone()).unwrap_or(Value::Null);
        statements.insert(title.clone(), (text, data));
    }
    let relations = doc["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["from"].as_str().unwrap().to_owned(),
                r["relationType"].as_str().unwrap().to_owned(),
                r["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (statements, relations)
}

fn one_paragraph(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Argdown's own reading of the export gives the claims' titles, texts (citations kept)
/// and data, and the links, as the JSON export has them.
#[test]
fn argdown_loads_the_export_with_the_same_statements_and_relations() {
    let Some(argdown) = argdown() else { return };
    let p = hostile();
    for root in [bundled(), p.path().to_owned()] {
        let (text, _) = export(&root, "argdown", &[]);
        let (statements, relations) = argdown_reads(&argdown, &text);
        let doc = json_export(&root, &[]);
        let mut expected_relations = BTreeSet::new();
        let mut titles = BTreeSet::new();
        for map in doc["maps"].as_array().unwrap() {
            for claim in map["claims"].as_array().unwrap() {
                let key = claim["key"].as_str().unwrap();
                titles.insert(key.to_owned());
                let (read, data) = statements
                    .get(key)
                    .unwrap_or_else(|| panic!("no statement {key}"));
                assert_eq!(
                    read,
                    &one_paragraph(claim["text"].as_str().unwrap()),
                    "{key}"
                );
                assert_eq!(
                    data.get("quote"),
                    claim.get("quote").filter(|q| !q.is_null()),
                    "{key}"
                );
                assert_eq!(
                    data.get("section"),
                    claim.get("section").filter(|q| !q.is_null()),
                    "{key}"
                );
                let cites = claim["citations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["origin"] == "cites")
                    .count();
                assert_eq!(
                    data.get("cites").map_or(0, |c| c.as_array().unwrap().len()),
                    cites,
                    "{key}"
                );
                for link in claim["links"].as_array().unwrap() {
                    let kind = match link["relation"].as_str().unwrap() {
                        "supports" => "support",
                        _ => "attack",
                    };
                    expected_relations.insert((
                        key.to_owned(),
                        kind.to_owned(),
                        link["to"].as_str().unwrap().to_owned(),
                    ));
                }
            }
        }
        assert_eq!(statements.keys().cloned().collect::<BTreeSet<_>>(), titles);
        assert_eq!(relations, expected_relations);
    }
    // The hostile map's details.
    let (text, stderr) = export(p.path(), "argdown", &[]);
    let (statements, _) = argdown_reads(&argdown, &text);
    assert_eq!(statements["m:aim"].1["kind"], "aim");
    assert_eq!(
        statements["m:thesis"].1["note"],
        "Read as the paper's main claim."
    );
    assert!(
        stderr.contains("1 link's note, and who draws each link (the map-maker draws 1)"),
        "{stderr}"
    );
    assert_eq!(
        statements["m:reason"].1["cites"],
        serde_json::json!(["see @paper, p. 3, emphasis added", "@song2014"])
    );
    assert!(
        stderr.contains("the line breaks of 1 claim's text"),
        "{stderr}"
    );
    assert!(stderr.contains("Argdown has no bibliography"), "{stderr}");
}

#[test]
fn aif_nodes_and_edges_are_the_claims_links_and_quotes_with_ids_from_names() {
    let p = hostile();
    let (text, stderr) = export(p.path(), "aif", &[]);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let nodes: BTreeMap<&str, (&str, &str)> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["nodeID"].as_str().unwrap(),
                (n["type"].as_str().unwrap(), n["text"].as_str().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        nodes.len(),
        doc["nodes"].as_array().unwrap().len(),
        "ids are unique"
    );
    let edges: BTreeSet<(&str, &str)> = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["fromID"].as_str().unwrap(), e["toID"].as_str().unwrap()))
        .collect();
    for (from, to) in &edges {
        assert!(
            nodes.contains_key(from) && nodes.contains_key(to),
            "{from} -> {to}"
        );
    }
    for claim in ["m:thesis", "m:reason", "m:aim", "n:objection"] {
        assert_eq!(nodes[format!("I:{claim}").as_str()].0, "I");
    }
    assert!(
        nodes["I:m:reason"]
            .1
            .starts_with("A reason, with @song2014")
    );
    let ra = "RA:m:reason>m:thesis";
    assert_eq!(nodes[ra], ("RA", "Default Inference"));
    assert!(edges.contains(&("I:m:reason", ra)) && edges.contains(&(ra, "I:m:thesis")));
    for (ca, from, to) in [
        ("CA:m:reason>n:objection", "I:m:reason", "I:n:objection"),
        ("CA:n:objection>m:thesis", "I:n:objection", "I:m:thesis"),
    ] {
        assert_eq!(nodes[ca].0, "CA");
        assert!(edges.contains(&(from, ca)) && edges.contains(&(ca, to)));
    }
    // The quote: an L-node of the map's source, asserting the claim through a YA-node.
    assert_eq!(
        nodes["L:m:thesis"],
        ("L", "Author 2020 : It said } and { and \"so\" // too")
    );
    assert_eq!(nodes["YA:m:thesis"].0, "YA");
    assert!(
        edges.contains(&("L:m:thesis", "YA:m:thesis"))
            && edges.contains(&("YA:m:thesis", "I:m:thesis"))
    );
    assert_eq!(
        doc["locutions"][0],
        serde_json::json!({"nodeID": "L:m:thesis", "personID": "P:paper"})
    );
    assert_eq!(doc["participants"][0]["surname"], "Author 2020");
    assert_eq!(
        nodes.values().filter(|(t, _)| *t == "L").count(),
        1,
        "one claim has a quote"
    );
    for lost in [
        "citation locators",
        "claims' sections",
        "claim kinds",
        "AIF has no bibliography",
        "1 claims' notes",
        "1 links' notes",
        "1 links the map-maker draws",
    ] {
        assert!(stderr.contains(lost), "{lost}: {stderr}");
    }
    // Two exports of maps differing in one claim's text differ in that line alone.
    let again = export(p.path(), "aif", &[]).0;
    assert_eq!(text, again, "deterministic");
    let changed = p.with("arguments/n.yaml", "title: N\nsource: paper\nclaims:\n  - id: objection\n    text: Another objection [@paper].\n    attacks: [m:thesis]\n");
    let after = export(changed.path(), "aif", &[]).0;
    let diff: Vec<(&str, &str)> = text
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(text.lines().count(), after.lines().count());
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert!(diff[0].1.contains("Another objection"));
    // With one map, links to the other are left out and said to be.
    let (one, stderr) = export(changed.path(), "aif", &["--map", "m"]);
    assert!(!one.contains("I:n:objection"));
    assert!(
        stderr.contains("2 links to or from claims of maps not exported"),
        "{stderr}"
    );
}

#[test]
fn writing_is_atomic_and_failures_are_status_2() {
    let p = hostile();
    let target = p.path().join("out.json");
    std::fs::write(&target, "old").unwrap();
    let (stdout, _) = export(p.path(), "json", &["-o", target.to_str().unwrap()]);
    assert!(stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["format"], "argmap-export");
    // Over one of its inputs, to a full disk, to a folder: refused, status 2.
    for to in ["arguments/m.yaml", "/dev/full", "arguments"] {
        let out = argmap()
            .arg("export")
            .arg(p.path())
            .args(["--format", "argdown", "-o"])
            .arg(if to.starts_with('/') {
                PathBuf::from(to)
            } else {
                p.path().join(to)
            })
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{to}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        std::fs::read_to_string(p.path().join("arguments/m.yaml"))
            .unwrap()
            .starts_with("title:")
    );
    let out = argmap()
        .arg("export")
        .arg(p.path())
        .args(["--format", "aif", "--map", "nn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no map named `nn` (did you mean `n`?)"));
}
