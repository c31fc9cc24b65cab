//! One fixture per rule, a folder each (`tests/fixtures/rules/<rule>/`, a ROOT): every
//! diagnostic's rule, file, line and column, and the human report, are compared exactly
//! with the snapshots kept in the folder (`findings.snap`, `report.snap`).

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
fn found(checked: &argmap::Analysis) -> Vec<(&str, &str, usize, usize)> {
    let sources = &checked.corpus().sources;
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let (start, _) = sources.positions(d.primary.span);
            let file = sources.get(d.primary.span.file).path.as_str();
            (d.rule.name(), file, start.line, start.column)
        })
        .collect()
}

/// The human report.
fn report(checked: &argmap::Analysis) -> String {
    let summary = Summary::new(checked.corpus(), &checked.diagnostics);
    human::findings(
        &checked.corpus().sources,
        &checked.diagnostics,
        &summary,
        human::Style::default(),
    )
}

/// The folder of every rule fixture, in name order.
fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/rules")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

/// One fixture's findings and report against the snapshots in its folder: `findings.snap`,
/// a line `rule file:line:column` per diagnostic in report order, and `report.snap`, the
/// human report.
fn check_fixture(folder: &std::path::Path) {
    let name = folder.file_name().unwrap().to_str().unwrap();
    let rule = Rule::from_name(name)
        .unwrap_or_else(|| panic!("tests/fixtures/rules/{name}: no rule `{name}`"));
    let checked = check(folder);
    let found = found(&checked);
    assert!(
        found.iter().any(|&(r, ..)| r == rule.name()),
        "the fixture of {name} must trigger it: {found:?}"
    );
    let lines: String = found
        .iter()
        .map(|(rule, file, line, column)| format!("{rule} {file}:{line}:{column}\n"))
        .collect();
    insta::with_settings!({
        snapshot_path => folder,
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("findings", lines);
        insta::assert_snapshot!("report", report(&checked));
    });
}

/// Every folder of `tests/fixtures/rules/` is a rule's fixture, named after the rule, with
/// its expected findings and report beside it (see [`check_fixture`]): a fixture is added
/// by adding a folder (`cargo insta review` accepts its first snapshots). Every folder is
/// checked; the failures are listed together.
#[test]
fn every_fixture_reports_what_its_folder_expects() {
    let failed: Vec<String> = fixtures()
        .iter()
        .filter(|folder| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_fixture(folder)))
                .is_err()
        })
        .map(|folder| {
            let name = folder.file_name().unwrap().to_string_lossy();
            format!("tests/fixtures/rules/{name}")
        })
        .collect();
    assert!(failed.is_empty(), "fixtures that differ: {failed:#?}");
}

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
