//! The two readers agree: whenever the fast reader accepts a file, the tree reader reports
//! nothing and builds the same model. Checked on generated maps and reference files that
//! use every field of the formats, every scalar style and both list styles, with a share
//! of entries the fast reader must refuse (wrong kinds, unknown fields, invalid values).
//! Whenever the scanner of the plain shape takes a generated file, its nodes are the
//! parser's.

use proptest::prelude::*;

use super::{FileKind, Reader, fast, scan};
use crate::source::FileId;
use crate::yaml;

/// A scalar in one of YAML's styles, at the indentation of its key.
fn scalar(text: &str, style: u8, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let plain_safe = !text.is_empty()
        && !text.starts_with([
            '[', '{', '-', '@', '&', '*', '!', '|', '>', '\'', '"', '%', '#', '?', ':', ',', ' ',
        ])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([':', ' '])
        && !text.contains(['\n', '\t']);
    match style % 5 {
        0 if plain_safe => text.to_owned(),
        0 | 1 => format!("'{}'", text.replace('\'', "''")),
        2 => format!(
            "\"{}\"",
            text.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('é', "\\u00e9")
                .replace('\n', "\\n")
        ),
        3 if !text.starts_with(' ') && !text.contains('\n') => format!(">-\n{pad}{text}"),
        _ if !text.starts_with(' ') && !text.ends_with(['\n', ' ']) => {
            format!("|-\n{pad}{}", text.replace('\n', &format!("\n{pad}")))
        }
        _ => format!("'{}'", text.replace('\'', "''")),
    }
}

/// A list, in flow or block style.
fn list(items: &[String], block: bool, indent: usize) -> String {
    if block && !items.is_empty() {
        let pad = " ".repeat(indent + 2);
        items.iter().map(|i| format!("\n{pad}- {i}")).collect()
    } else {
        format!("[{}]", items.join(", "))
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zé ,.()-]{1,20}",
        "[a-z]{1,6}",
        Just("Russia's policy [@song2014, p. 87] and @yun2012.".to_owned()),
        Just("A claim [see @a; -@b, pp. 3-4]".to_owned()),
        Just("05".to_owned()),
        Just("true".to_owned()),
    ]
}

/// An entry of a `supports` or `attacks` list: an id, quoted, or a link mapping (some
/// of each malformed).
fn link_entry() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        9 => Just("\"x\""),
        9 => Just("\"other:y\""),
        1 => Just("\"m:\""),
        9 => Just("a-b"),
        6 => Just("{to: x, by: analyst, note: Both papers say so.}"),
        3 => Just("{to: \"other:y\", by: paper}"),
        3 => Just("{to: a-b}"),
        1 => Just("{to: x, by: anlyst}"),
        1 => Just("{by: analyst}"),
        1 => Just("{to: x, to: y}"),
        1 => Just("{to: [x]}"),
        1 => Just("{to: x, why: no}"),
    ]
}

fn claim_id() -> impl Strategy<Value = String> {
    prop_oneof![30 => "[a-z0-9_-]{1,8}", 1 => Just("bad id".to_owned())]
}

/// One claim: (field name, YAML value) pairs, some fields left out.
fn claim() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        claim_id(),
        text(),
        proptest::collection::vec(prop_oneof![9 => Just("@a"), 9 => Just("@b, p. 3"), 9 => Just("[see @c]"), 1 => Just("nokey")], 0..3),
        proptest::collection::vec(link_entry(), 0..3),
        proptest::collection::vec(prop_oneof![3 => Just("\"z\""), 1 => Just("{to: z, by: analyst}")], 0..2),
        proptest::option::of(text()),
        proptest::option::of(prop_oneof![9 => Just("argument"), 9 => Just("aim"), 9 => Just("framing"), 1 => Just("thesis")]),
        (any::<u8>(), any::<bool>(), any::<u16>()),
    )
        .prop_map(|(id, t, cites, supports, attacks, quote, kind, (style, block, drop))| {
            let mut fields = vec![
                ("id".to_owned(), scalar(&id, style, 4)),
                ("text".to_owned(), scalar(&t, style / 5, 4)),
            ];
            let quoted = |v: &[&str]| -> Vec<String> { v.iter().map(|s| format!("\"{s}\"")).collect() };
            if !cites.is_empty() {
                fields.push(("cites".to_owned(), list(&quoted(&cites), block, 4)));
            }
            let own = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
            if !supports.is_empty() {
                fields.push(("supports".to_owned(), list(&own(&supports), !block, 4)));
            }
            if !attacks.is_empty() {
                fields.push(("attacks".to_owned(), list(&own(&attacks), block, 4)));
            }
            match drop % 11 {
                0 => fields.push(("conclusion".to_owned(), "true".to_owned())),
                1 => fields.push(("conclusion".to_owned(), "false".to_owned())),
                2 => fields.push(("conclusion".to_owned(), "\"true\"".to_owned())),
                3 => fields.push(("conclusion".to_owned(), "yes".to_owned())),
                _ => {}
            }
            if let Some(q) = quote {
                fields.push(("quote".to_owned(), scalar(&q, style / 25, 4)));
            }
            if drop % 13 == 5 {
                fields.push(("note".to_owned(), scalar("Read so, since the paper says so.", style, 4)));
            }
            if let Some(k) = kind {
                fields.push(("kind".to_owned(), k.to_owned()));
            }
            if drop % 7 == 0 {
                let allow = ["\"isolated-claim\"", "uncited-claim", "isolated-claims"].map(String::from);
                fields.push(("argmap-allow".to_owned(), list(&allow[..1 + drop as usize % 3], block, 4)));
            }
            if drop % 37 == 0 {
                fields.push(("sectoin".to_owned(), "Typo".to_owned()));
            }
            if drop % 41 == 0 {
                fields.retain(|(k, _)| k != "text");
            }
            if drop % 43 == 0 {
                fields.push(("section".to_owned(), "[not, text]".to_owned()));
            }
            fields
        })
}

fn map() -> impl Strategy<Value = String> {
    (
        text(),
        proptest::collection::vec(claim(), 1..5),
        any::<u8>(),
    )
        .prop_map(|(title, claims, style)| {
            let mut out = format!(
                "title: {}\nsource: paper\nclaims:\n",
                scalar(&title, style, 0)
            );
            for fields in claims {
                for (i, (k, v)) in fields.iter().enumerate() {
                    let lead = if i == 0 { "  - " } else { "    " };
                    out.push_str(&format!("{lead}{k}: {v}\n"));
                }
            }
            out
        })
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{family: Song, given: Weiqing}".to_owned()),
        Just("{family: Beethoven, non-dropping-particle: van, suffix: Jr.}".to_owned()),
        Just("{literal: World Bank}".to_owned()),
        Just("{family: Yun}".to_owned()),
        Just("Plain Name".to_owned()),
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{date-parts: [[2014, 5, 1]]}".to_owned()),
        Just("{date-parts: [[2014]]}".to_owned()),
        Just("{date-parts: [['2014', '05']]}".to_owned()),
        Just("{date-parts: [[]]}".to_owned()),
        Just("{date-parts: [[2014, 13]]}".to_owned()),
        Just("2014".to_owned()),
        Just("\"2014-05-01\"".to_owned()),
        Just("{literal: 2014}".to_owned()),
    ]
}

fn reference() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9]{0,7}",
        prop_oneof![9 => Just("book"), 9 => Just("article-journal"), 1 => Just("journal-article")],
        text(),
        proptest::collection::vec(name(), 0..3),
        proptest::option::of(date()),
        proptest::option::of(prop_oneof![
            Just("10.1177/0009445514523646"),
            Just("doi:10.1/x"),
            Just("not a doi")
        ]),
        proptest::collection::vec(
            prop_oneof![
                Just("volume: 05".to_owned()),
                Just("page: 85-101".to_owned()),
                Just("publisher: Springer".to_owned()),
                Just("translator: [{family: T}]".to_owned()),
                Just("accessed: {date-parts: [[2020, 1, 2]]}".to_owned()),
                Just("note: 'A note.'".to_owned()),
                Just("argmap-allow: [unused-reference]".to_owned()),
                Just("argmap-allow: unused-references".to_owned()),
                Just("URL: https://example.org".to_owned()),
                Just("container-title: China Report".to_owned()),
                Just("issue: ~".to_owned()),
                Just("categories: [a, b]".to_owned()),
            ],
            0..4,
        ),
        any::<u8>(),
    )
        .prop_map(
            |(id, kind, title, authors, issued, doi, mut extra, style)| {
                // Now and then a field that is not CSL, or a name without a family.
                if style % 29 == 0 {
                    extra.push("journal: Wrong Name".to_owned());
                }
                if style % 31 == 0 {
                    extra.push("editor: [{given: Only}]".to_owned());
                }
                let mut out = format!(
                    "  - id: {id}\n    type: {kind}\n    title: {}\n",
                    scalar(&title, style, 4)
                );
                if !authors.is_empty() {
                    out.push_str(&format!(
                        "    author: {}\n",
                        list(&authors, style % 2 == 0, 4)
                    ));
                }
                if let Some(d) = issued {
                    out.push_str(&format!("    issued: {d}\n"));
                }
                if let Some(d) = doi {
                    out.push_str(&format!("    DOI: {}\n", scalar(d, style / 2, 4)));
                }
                let mut seen = std::collections::HashSet::new();
                for e in extra {
                    if seen.insert(e.split(':').next().unwrap().to_owned()) {
                        out.push_str(&format!("    {e}\n"));
                    }
                }
                out
            },
        )
}

fn references() -> impl Strategy<Value = String> {
    proptest::collection::vec(reference(), 0..4)
        .prop_map(|refs| format!("references:\n{}", refs.concat()))
}

/// Asserts the property on one file; returns whether the fast reader accepted it.
fn agree(text: &str, kind: FileKind) -> Result<bool, TestCaseError> {
    let file = FileId(0);
    // The scanner of the plain shape yields the parser's own nodes for what it takes.
    if let Some(scanned) = scan::nodes(text) {
        prop_assert_eq!(Some(scanned), fast::parser_nodes(text), "\n{}", text);
    }
    let fast = match kind {
        FileKind::Map => fast::map(text, file, "m").map(|m| format!("{m:?}")),
        FileKind::References => fast::references(text, file).map(|r| format!("{r:?}")),
    };
    let Some(fast) = fast else {
        return Ok(false);
    };
    let root = yaml::parse(text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
    let mut reader = Reader {
        file,
        text,
        diagnostics: Vec::new(),
        lost_citations: false,
    };
    let tree = match kind {
        FileKind::Map => format!("{:?}", reader.map(&root, "m").expect("a map")),
        FileKind::References => format!("{:?}", reader.references(&root)),
    };
    prop_assert!(
        reader.diagnostics.is_empty(),
        "the fast reader accepted what the tree reader reports: {:?}\n{}",
        reader.diagnostics,
        text
    );
    prop_assert_eq!(fast, tree, "\n{}", text);
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn readers_agree_on_generated_maps(text in map()) {
        agree(&text, FileKind::Map)?;
    }

    #[test]
    fn readers_agree_on_generated_references(text in references()) {
        agree(&text, FileKind::References)?;
    }
}

/// The generators reach both sides: files the fast reader takes and files it leaves.
#[test]
fn generated_files_exercise_both_readers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..300 {
        let text = map().new_tree(&mut runner).unwrap().current();
        if agree(&text, FileKind::Map).unwrap() {
            accepted += 1;
        } else {
            refused += 1;
        }
        let text = references().new_tree(&mut runner).unwrap().current();
        if agree(&text, FileKind::References).unwrap() {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        accepted > 100 && refused > 100,
        "{accepted} accepted, {refused} refused"
    );
}
