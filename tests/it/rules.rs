//! One fixture per rule (`tests/fixtures/rules/<rule>/`): the diagnostics' rule, file,
//! line and column are asserted exactly, and the human report is snapshotted.

use std::path::PathBuf;

use argmap::Rule;
use argmap::report::{Summary, human};

/// The offline analysis of a fixture.
fn check(root: &std::path::Path) -> argmap::Analysis {
    let workspace = argmap::workspace::Workspace::open(root).expect("fixture loads");
    argmap::Analysis::offline(&workspace)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(name)
}

/// (rule, file, line, column) of every diagnostic, in report order.
fn found(name: &str) -> Vec<(String, String, usize, usize)> {
    let checked = check(&fixture(name));
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let (start, _) = checked.corpus().sources.positions(d.primary.span);
            let file = checked
                .corpus()
                .sources
                .get(d.primary.span.file)
                .path
                .clone();
            (d.rule.name().to_owned(), file, start.line, start.column)
        })
        .collect()
}

fn report(name: &str) -> String {
    let checked = check(&fixture(name));
    let summary = Summary::new(checked.corpus(), &checked.diagnostics);
    human::findings(
        &checked.corpus().sources,
        &checked.diagnostics,
        &summary,
        human::Style::default(),
    )
}

macro_rules! rule_fixture {
    ($test:ident, $name:literal, [$(($rule:literal, $file:literal, $line:literal, $col:literal)),* $(,)?]) => {
        #[test]
        fn $test() {
            let expected: Vec<(String, String, usize, usize)> =
                vec![$(($rule.to_owned(), $file.to_owned(), $line, $col)),*];
            assert_eq!(found($name), expected);
            assert!(
                expected.iter().any(|(rule, ..)| rule == $name),
                "the fixture of {} must trigger it",
                $name
            );
            insta::assert_snapshot!($name, report($name));
        }
    };
}

rule_fixture!(
    yaml_syntax,
    "yaml-syntax",
    [("yaml-syntax", "arguments/m.yaml", 5, 11)]
);
rule_fixture!(
    invalid_utf8,
    "invalid-utf8",
    [("invalid-utf8", "arguments/m.yaml", 1, 11)]
);
rule_fixture!(
    schema,
    "schema",
    [
        ("schema", "arguments/m.yaml", 1, 1),
        ("schema", "arguments/m.yaml", 6, 9),
    ]
);
rule_fixture!(
    csl_field_name,
    "csl-field-name",
    [
        ("csl-field-name", "references/refs.yaml", 12, 5),
        ("csl-field-name", "references/refs.yaml", 13, 5),
    ]
);
rule_fixture!(
    citation_syntax,
    "citation-syntax",
    [
        ("citation-syntax", "arguments/m.yaml", 9, 13),
        ("citation-syntax", "arguments/m.yaml", 9, 25),
        ("citation-syntax", "arguments/m.yaml", 11, 41),
    ]
);
rule_fixture!(
    cut_citation_key,
    "cut-citation-key",
    [
        ("cut-citation-key", "arguments/m.yaml", 7, 29),
        ("cut-citation-key", "arguments/m.yaml", 9, 14),
    ]
);
rule_fixture!(
    duplicate_claim_id,
    "duplicate-claim-id",
    [("duplicate-claim-id", "arguments/m.yaml", 9, 9)]
);
rule_fixture!(
    duplicate_reference_id,
    "duplicate-reference-id",
    [("duplicate-reference-id", "references/refs.yaml", 7, 9)]
);
rule_fixture!(
    unknown_reference,
    "unknown-reference",
    [
        ("unknown-reference", "arguments/m.yaml", 7, 21),
        ("unknown-reference", "arguments/m.yaml", 7, 38),
        ("unused-reference", "references/refs.yaml", 7, 9),
    ]
);
rule_fixture!(
    uncited_claim,
    "uncited-claim",
    [
        ("uncited-claim", "arguments/m.yaml", 6, 9),
        ("unused-reference", "references/refs.yaml", 7, 9),
    ]
);
rule_fixture!(
    unknown_source,
    "unknown-source",
    [("unknown-source", "arguments/m.yaml", 2, 9)]
);
rule_fixture!(
    dangling_link,
    "dangling-link",
    [
        ("isolated-claim", "arguments/m.yaml", 4, 9),
        ("dangling-link", "arguments/m.yaml", 8, 16),
        ("dangling-link", "arguments/m.yaml", 8, 24),
        ("dangling-link", "arguments/m.yaml", 8, 38),
    ]
);
rule_fixture!(
    self_link,
    "self-link",
    [("self-link", "arguments/m.yaml", 8, 24)]
);
rule_fixture!(
    duplicate_link,
    "duplicate-link",
    [("duplicate-link", "arguments/m.yaml", 8, 24)]
);
rule_fixture!(
    conflicting_link,
    "conflicting-link",
    [("conflicting-link", "arguments/m.yaml", 9, 15)]
);
rule_fixture!(
    circular_support,
    "circular-support",
    [("circular-support", "arguments/m.yaml", 6, 16)]
);
rule_fixture!(
    invalid_doi,
    "invalid-doi",
    [("invalid-doi", "references/refs.yaml", 12, 10)]
);
rule_fixture!(
    unused_reference,
    "unused-reference",
    [("unused-reference", "references/refs.yaml", 12, 9)]
);
rule_fixture!(
    duplicate_doi,
    "duplicate-doi",
    [("duplicate-doi", "references/refs.yaml", 13, 10)]
);
rule_fixture!(
    non_canonical_doi,
    "non-canonical-doi",
    [("non-canonical-doi", "references/refs.yaml", 12, 10)]
);
rule_fixture!(
    isolated_claim,
    "isolated-claim",
    [("isolated-claim", "arguments/m.yaml", 9, 9)]
);

rule_fixture!(
    duplicate_map_name,
    "duplicate-map-name",
    [("duplicate-map-name", "arguments/m.yml", 1, 1)]
);
rule_fixture!(
    framing_link,
    "framing-link",
    [
        ("framing-link", "arguments/m.yaml", 7, 16),
        ("framing-link", "arguments/m.yaml", 18, 15),
    ]
);
rule_fixture!(
    contradictory_links,
    "contradictory-links",
    [("contradictory-links", "arguments/m.yaml", 12, 15)]
);

rule_fixture!(
    config,
    "config",
    [
        ("config", "argmap.toml", 4, 1),
        ("config", "argmap.toml", 5, 17),
        ("isolated-claim", "arguments/m.yaml", 9, 9),
    ]
);

rule_fixture!(
    locator_out_of_range,
    "locator-out-of-range",
    [
        ("locator-out-of-range", "arguments/m.yaml", 5, 43),
        ("locator-out-of-range", "arguments/m.yaml", 11, 25),
    ]
);

rule_fixture!(
    quote_inexact,
    "quote-inexact",
    [("quote-inexact", "arguments/m.yaml", 11, 12)]
);
rule_fixture!(
    unused_allow,
    "unused-allow",
    [
        ("unused-allow", "arguments/m.yaml", 9, 20),
        ("unused-allow", "references/refs.yaml", 7, 20),
    ]
);
rule_fixture!(
    quote_not_in_source,
    "quote-not-in-source",
    [("quote-not-in-source", "arguments/m.yaml", 9, 12)]
);

/// Every offline rule has a fixture folder (the online ones are tested in tests/it/resolve.rs).
#[test]
fn every_offline_rule_has_a_fixture() {
    for rule in Rule::all() {
        if rule.phase() == argmap::rule::Phase::Online || rule.name() == "file-too-large" {
            continue; // online rules: tests/it/resolve.rs; file-too-large: tests/it/robustness.rs
        }
        assert!(
            fixture(rule.name()).is_dir(),
            "no fixture for {}",
            rule.name()
        );
    }
}

/// The cycle is reported whole, across maps, with every link labelled.
#[test]
fn circular_support_labels_every_link() {
    let checked = check(&fixture("circular-support"));
    let d = &checked.diagnostics[0];
    assert_eq!(
        d.message,
        "circular support: thesis → n:back → loop → reason → thesis"
    );
    assert_eq!(d.related.len(), 3);
    let files: Vec<_> = d
        .related
        .iter()
        .map(|l| checked.corpus().sources.get(l.span.file).path.as_str())
        .collect();
    assert!(files.contains(&"arguments/n.yaml"));
}

/// Did-you-mean suggestions come with unknown references and sources.
#[test]
fn suggestions_name_the_closest_id() {
    let checked = check(&fixture("unknown-reference"));
    assert_eq!(
        checked.diagnostics[0].help.as_deref(),
        Some("did you mean `@song2014`?")
    );
    let checked = check(&fixture("unknown-source"));
    assert_eq!(
        checked.diagnostics[0].help.as_deref(),
        Some("did you mean `paper`?")
    );
}
