//! argmap reads citations as pandoc does: a differential test against the real pandoc.
//!
//! For every fragment of `tests/data/pandoc-citations.jsonl` (drawn from pandoc's own tests,
//! manual and changelog, each with where it came from, and hard cases around them), and
//! for generated ones, the keys, citation modes and locators argmap reads must be those of
//! pandoc: keys and modes from `pandoc -f markdown -t json` (every `Cite`, nested ones
//! included, in text order), locators from citeproc, which `pandoc --citeproc` runs on each
//! citation with a style that prints its locator's label and value.

use std::io::Write;
use std::process::{Command, Stdio};

use argmap::citation::{self, Mode};
use proptest::prelude::*;
use serde_json::{Value, json};

/// What one citation is, as either side reads it: key, mode, and locator (CSL's long
/// term for its kind, and its value).
type Reading = (String, &'static str, Option<(String, String)>);

/// Prints each citation's id, its locator's label (the long singular term) and value, each
/// in marks of its own (a delimiter would be dropped before a value's punctuation).
const PROBE_STYLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>probe</title><id>probe</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout delimiter="">
      <group prefix="⟦" suffix="⟧">
        <text variable="title"/>
        <label variable="locator" form="long" plural="never" prefix="‹" suffix="›"/>
        <text variable="locator" prefix="«" suffix="»"/>
      </group>
    </layout>
  </citation>
</style>
"#;

fn pandoc(args: &[&str], input: &[u8], dir: &std::path::Path) -> Value {
    let mut child = Command::new("pandoc")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pandoc runs (the tests need it: `make test` installs Debian's pandoc)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("pandoc ends");
    writer
        .join()
        .expect("writer")
        .expect("pandoc reads its input");
    assert!(
        out.status.success(),
        "pandoc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("pandoc writes JSON")
}

fn mode_name(mode: &Value) -> &'static str {
    match mode["t"].as_str() {
        Some("AuthorInText") => "in-text",
        Some("SuppressAuthor") => "suppress-author",
        _ => "normal",
    }
}

/// Every citation under `node`, in text order: a group's items, each after the citations
/// in its prefix and before those in its suffix.
fn cites_in(node: &Value, out: &mut Vec<Value>) {
    match node {
        Value::Array(items) => items.iter().for_each(|n| cites_in(n, out)),
        Value::Object(map) if map.get("t").and_then(Value::as_str) == Some("Cite") => {
            for c in map["c"][0].as_array().expect("citations") {
                cites_in(&c["citationPrefix"], out);
                out.push(c.clone());
                cites_in(&c["citationSuffix"], out);
            }
        }
        Value::Object(map) => map.values().for_each(|n| cites_in(n, out)),
        _ => {}
    }
}

/// A nested `Cite` in a suffix, as the locator reader sees it: its text (a span of its
/// content), so that citeproc reads each citation on its own.
fn flatten_cites(node: &Value) -> Value {
    match node {
        Value::Array(items) => Value::Array(items.iter().map(flatten_cites).collect()),
        Value::Object(map) if map.get("t").and_then(Value::as_str) == Some("Cite") => {
            json!({"t": "Span", "c": [["", [], []], flatten_cites(&map["c"][1])]})
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), flatten_cites(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn stringify(node: &Value, out: &mut String) {
    match node {
        Value::Array(items) => items.iter().for_each(|n| stringify(n, out)),
        Value::Object(map) => match map.get("t").and_then(Value::as_str) {
            Some("Str") => out.push_str(map["c"].as_str().unwrap_or("")),
            Some("Space" | "SoftBreak" | "LineBreak") => out.push(' '),
            _ => {
                if let Some(c) = map.get("c") {
                    stringify(c, out)
                }
            }
        },
        _ => {}
    }
}

/// Dashes as citeproc renders a range (`35–89` for `35-89`) compare as written. (Values
/// are compared trimmed: the rendering drops white space at the end of a value.)
fn same_dash(value: &str) -> String {
    value.replace('–', "-")
}

/// pandoc's reading of each fragment.
fn pandoc_readings(fragments: &[String]) -> Vec<Vec<Reading>> {
    let dir = tempfile::tempdir().expect("temp dir");
    // Each fragment is a document of its own, as a claim's text is (and pandoc reads a
    // long document of them in superlinear time): side by side, a few at a time.
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let chunk = fragments.len().div_ceil(workers).max(1);
    let by_fragment: Vec<Vec<Value>> = std::thread::scope(|scope| {
        let handles: Vec<_> = fragments
            .chunks(chunk)
            .map(|part| {
                let dir = dir.path();
                scope.spawn(move || {
                    part.iter()
                        .map(|fragment| {
                            let ast =
                                pandoc(&["-f", "markdown", "-t", "json"], fragment.as_bytes(), dir);
                            let mut cites = Vec::new();
                            cites_in(&ast["blocks"], &mut cites);
                            cites
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker"))
            .collect()
    });
    let api_version =
        pandoc(&["-f", "markdown", "-t", "json"], b"x", dir.path())["pandoc-api-version"].clone();
    // Each citation alone, under an id of its own, through citeproc.
    let all: Vec<&Value> = by_fragment.iter().flatten().collect();
    let mut blocks = Vec::new();
    let mut references = Vec::new();
    for (n, c) in all.iter().enumerate() {
        let id = format!("c{n}");
        let mut alone = flatten_cites(c);
        alone["citationId"] = json!(id);
        alone["citationPrefix"] = json!([]);
        alone["citationMode"] = json!({"t": "NormalCitation"});
        blocks.push(
            json!({"t": "Para", "c": [{"t": "Cite", "c": [[alone], [{"t": "Str", "c": "x"}]]}]}),
        );
        references.push(json!({"id": id, "type": "book", "title": id}));
    }
    std::fs::write(dir.path().join("probe.csl"), PROBE_STYLE).expect("style");
    std::fs::write(
        dir.path().join("refs.json"),
        serde_json::to_vec(&references).expect("refs"),
    )
    .expect("refs");
    let doc = json!({"pandoc-api-version": api_version, "meta": {}, "blocks": blocks});
    let rendered = pandoc(
        &[
            "-f",
            "json",
            "--citeproc",
            "--csl",
            "probe.csl",
            "--bibliography",
            "refs.json",
            "-t",
            "json",
        ],
        &serde_json::to_vec(&doc).expect("doc"),
        dir.path(),
    );
    let rendered = rendered["blocks"].as_array().expect("blocks");
    assert_eq!(rendered.len(), all.len(), "one paragraph per citation");
    let mut locators = rendered.iter().enumerate().map(|(n, block)| {
        let mut text = String::new();
        stringify(block, &mut text);
        let open = text.find('⟦').expect("the probe's group");
        let close = text.find('⟧').expect("the probe's group");
        let group = &text[open + '⟦'.len_utf8()..close];
        let between = |a: char, b: char| {
            let from = group.find(a)? + a.len_utf8();
            let to = group.rfind(b)?;
            Some(group[from..to].to_owned())
        };
        let id_end = group.find(['‹', '«']).unwrap_or(group.len());
        assert_eq!(&group[..id_end], format!("c{n}"), "{text}");
        match (between('‹', '›'), between('«', '»')) {
            (None, None) => None,
            (label, value) => Some((
                label.unwrap_or_default(),
                same_dash(value.unwrap_or_default().trim()),
            )),
        }
    });
    by_fragment
        .into_iter()
        .map(|cites| {
            cites
                .into_iter()
                .map(|c| {
                    let key = c["citationId"].as_str().expect("id").to_owned();
                    (
                        key,
                        mode_name(&c["citationMode"]),
                        locators.next().expect("one each"),
                    )
                })
                .collect()
        })
        .collect()
}

/// argmap's reading of a fragment.
fn argmap_reading(fragment: &str) -> Vec<Reading> {
    citation::parse_text(fragment)
        .into_iter()
        .map(|c| {
            let mode = match c.mode() {
                Mode::AuthorInText => "in-text",
                Mode::SuppressAuthor => "suppress-author",
                Mode::Normal => "normal",
            };
            let locator = c.item.locator.map(|l| {
                let term = match l.kind {
                    citation::LocatorKind::Issue => "number",
                    kind => kind.csl_name(),
                };
                (term.to_owned(), same_dash(l.value.trim()))
            });
            (c.item.key, mode, locator)
        })
        .collect()
}

/// The fragments on which the two disagree, with both readings.
fn disagreements(fragments: &[String]) -> Vec<String> {
    let theirs = pandoc_readings(fragments);
    fragments
        .iter()
        .zip(theirs)
        .filter_map(|(fragment, pandoc)| {
            let ours = argmap_reading(fragment);
            (ours != pandoc)
                .then(|| format!("{fragment:?}\n  pandoc: {pandoc:?}\n  argmap: {ours:?}"))
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Fragment {
    fragment: String,
    from: String,
}

fn corpus() -> Vec<Fragment> {
    let text = include_str!("../data/pandoc-citations.jsonl");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a fragment per line"))
        .collect()
}

#[test]
fn the_corpus_is_drawn_from_pandoc_and_large() {
    let corpus = corpus();
    assert!(corpus.len() >= 300, "{} fragments", corpus.len());
    let from_pandoc = corpus
        .iter()
        .filter(|f| f.from.starts_with("pandoc ") || f.from.starts_with("variant of pandoc "))
        .count();
    assert!(from_pandoc >= 250, "{from_pandoc} fragments from pandoc");
    assert!(
        corpus.iter().all(|f| !f.from.is_empty()),
        "every fragment says where it is from"
    );
}

#[test]
fn argmap_reads_the_corpus_as_pandoc_does() {
    let fragments: Vec<String> = corpus().into_iter().map(|f| f.fragment).collect();
    let wrong = disagreements(&fragments);
    assert!(
        wrong.is_empty(),
        "{} of {} fragments read differently:\n{}",
        wrong.len(),
        fragments.len(),
        wrong.join("\n")
    );
}

/// Pieces citation strings are made of: keys' characters and punctuation, brackets,
/// locators, markup that hides or shows an `@`.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "@",
        "@",
        "@",
        "-@",
        "[",
        "]",
        "[@",
        "; ",
        ";",
        ", ",
        ",",
        " ",
        " ",
        " ",
        "a",
        "doe99",
        "b2",
        "_",
        "-",
        "--",
        ":",
        ".",
        "/",
        "+",
        "{",
        "}",
        "p. ",
        "pp. ",
        "chap. ",
        "§ ",
        "33",
        "35-37",
        "xiv",
        "(1)",
        "`",
        "``",
        "$",
        "*",
        "**",
        "<",
        ">",
        "<span>",
        "</span>",
        "(",
        ")",
        "](http://x/@y)",
        "\\",
        "\\@",
        "é",
        "e\u{301}",
        "\u{a0}",
        "see ",
        "and ",
        "^",
        "~",
        "!",
        "\"",
        "'",
        "&",
        "#",
        "%",
        "?",
        "<!-- ",
        " -->",
        "[^",
        "ff.",
        "+",
        "=",
    ])
}

fn fragment() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..14).prop_map(|pieces| format!("Text {}", pieces.concat()))
}

proptest! {
    // ARGMAP_PANDOC_BATCHES runs more batches (a soak: `ARGMAP_PANDOC_BATCHES=200`).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("ARGMAP_PANDOC_BATCHES").ok().and_then(|n| n.parse().ok()).unwrap_or(6),
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    /// Generated citation strings, compared with pandoc a batch at a time.
    #[test]
    fn argmap_reads_generated_citations_as_pandoc_does(batch in prop::collection::vec(fragment(), 120)) {
        let wrong = disagreements(&batch);
        prop_assert!(wrong.is_empty(), "{} of {} read differently:\n{}", wrong.len(), batch.len(), wrong.join("\n"));
    }
}
