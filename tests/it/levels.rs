//! Rule levels through the command line: `argmap.toml`, `--warn`/`--deny`/`--allow`, and
//! `argmap-allow:` lists on claims and references.

use crate::common::{MAP, Project, REFS, argmap, json_report, rules_of};
use predicates::prelude::*;

/// A project with one isolated claim (a warning) and one unused reference (a warning).
fn with_warnings() -> Project {
    Project::valid()
        .with(
            "arguments/m.yaml",
            format!("{MAP}  - id: alone\n    text: Alone [@paper].\n"),
        )
        .with(
            "references/refs.yaml",
            format!("{REFS}  - id: spare\n    type: book\n    title: Spare\n"),
        )
}

fn severities(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_config_file_raises_and_silences_rules() {
    let project = with_warnings().with(
        "argmap.toml",
        "[rules]\nisolated-claim = \"error\"\nunused-reference = \"off\"\n",
    );
    project
        .check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 error, 0 warnings"));
    assert_eq!(
        severities(&json_report(&project)),
        [("isolated-claim".to_owned(), "error".to_owned())]
    );
    // SARIF carries the level in effect too.
    let sarif = project
        .check()
        .args(["--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "error");
}

#[test]
fn the_command_line_wins_over_the_file_and_deny_over_warn_over_allow() {
    let project = with_warnings().with("argmap.toml", "[rules]\nisolated-claim = \"error\"\n");
    project
        .check()
        .args(["--allow", "isolated-claim"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 1 warning"));
    project
        .check()
        .args(["--deny", "unused-reference", "--allow", "unused-reference"])
        .args(["--warn", "isolated-claim"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 error, 1 warning"));
    assert_eq!(
        rules_of(&json_report(&project)),
        ["isolated-claim", "unused-reference"]
    );
}

#[test]
fn unknown_rule_names_are_refused_with_the_closest() {
    with_warnings()
        .check()
        .args(["--allow", "isolated-claims"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no rule `isolated-claims`; did you mean `isolated-claim`?",
        ));
    argmap()
        .args(["rules", "--deny", "nonsense-rule-name"])
        .assert()
        .code(2);
}

#[test]
fn a_broken_config_is_reported_where_it_is_and_the_rest_applies() {
    let project = with_warnings().with(
        "argmap.toml",
        "[rules]\nisolated-claim = \"off\"\nunused-references = \"off\"\n",
    );
    let report = json_report(&project);
    assert_eq!(
        severities(&report),
        [
            ("config".to_owned(), "error".to_owned()),
            ("unused-reference".to_owned(), "warning".to_owned())
        ]
    );
    assert_eq!(report["diagnostics"][0]["file"], "argmap.toml");
    assert_eq!(report["diagnostics"][0]["line"], 3);
    assert_eq!(
        report["diagnostics"][0]["help"],
        "did you mean `unused-reference`?"
    );
    let unparsable = with_warnings().with("argmap.toml", "[rules\n");
    assert_eq!(rules_of(&json_report(&unparsable))[0], "config");
}

#[test]
fn rules_shows_the_levels_in_effect() {
    let project = with_warnings().with("argmap.toml", "[rules]\nisolated-claim = \"off\"\n");
    let out = argmap()
        .args(["rules", "--root"])
        .arg(project.path())
        .args(["--deny", "unused-reference"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let line = |rule: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(rule))
            .unwrap()
            .split_whitespace()
            .skip(1)
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("isolated-claim"), "off (default warning)");
    assert_eq!(line("unused-reference"), "error (default warning)");
    assert_eq!(line("schema"), "error load a");
}

#[test]
fn allow_on_a_claim_silences_findings_within_it_only_and_the_bare_key_is_fixed() {
    let map = format!(
        "{MAP}  - id: alone
    text: Alone [@nobody].
    argmap-allow: [isolated-claim, unknown-reference]

  # the next claim is not covered
  - id: also-alone
    text: Also alone [@paper].
"
    );
    let project = Project::valid().with("arguments/m.yaml", map);
    let report = json_report(&project);
    assert_eq!(rules_of(&report), ["isolated-claim"]);
    assert_eq!(report["diagnostics"][0]["line"], 14, "at `also-alone`");
    // A single name counts as a list of one.
    let single = Project::valid().with(
        "arguments/m.yaml",
        format!(
            "{MAP}  - id: alone\n    text: Alone [@paper].\n    argmap-allow: isolated-claim\n"
        ),
    );
    single.check().arg("--deny-warnings").assert().success();
}

#[test]
fn allow_on_a_reference_and_the_bare_key_fixed() {
    let refs = format!(
        "{REFS}  - id: spare\n    type: book\n    title: Spare\n    argmap-allow: [unused-reference]\n"
    );
    Project::valid()
        .with("references/refs.yaml", refs)
        .check()
        .arg("--deny-warnings")
        .assert()
        .success();
    let plain = Project::valid().with(
        "references/refs.yaml",
        format!(
            "{REFS}  - id: spare\n    type: book\n    title: Spare\n    allow: [unused-reference]\n"
        ),
    );
    assert_eq!(
        rules_of(&json_report(&plain)),
        ["unused-reference", "csl-field-name"]
    );
    plain.check().arg("--fix").assert().code(0);
    let fixed = std::fs::read_to_string(plain.path().join("references/refs.yaml")).unwrap();
    assert!(
        fixed.contains("    argmap-allow: [unused-reference]\n"),
        "{fixed}"
    );
    plain.check().arg("--deny-warnings").assert().success();
}

#[test]
fn a_name_in_an_allow_list_that_is_no_rule_is_a_schema_error() {
    let project = Project::valid().with(
        "arguments/m.yaml",
        format!("{MAP}    argmap-allow: [isolated-claims]\n"),
    );
    let report = json_report(&project);
    assert_eq!(rules_of(&report), ["schema"]);
    assert_eq!(report["diagnostics"][0]["column"], 20);
    assert_eq!(
        report["diagnostics"][0]["help"],
        "did you mean `isolated-claim`?"
    );
}

#[test]
fn the_schema_lists_rule_names_for_editors() {
    let out = argmap().args(["schema", "map"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = schema.to_string();
    assert!(text.contains("\"isolated-claim\""), "{text}");
    let out = argmap().args(["schema", "references"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("argmap-allow"));
}

/// Stale `argmap-allow` entries are reported, except for rules turned off (nothing to
/// judge) and when `unused-allow` itself is off.
#[test]
fn entries_that_silence_nothing_are_reported_unless_their_rule_is_off() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/unused-allow");
    let rules = |args: &[&str]| -> Vec<String> {
        let out = argmap()
            .arg("check")
            .arg(&fixture)
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        rules_of(&serde_json::from_slice(&out.stdout).unwrap())
    };
    assert_eq!(rules(&[]), ["unused-allow", "unused-allow"]);
    // `isolated-claim` off: its entry is not judged, and the `floating` claim it allowed
    // finds nothing either.
    assert_eq!(rules(&["--allow", "isolated-claim"]), ["unused-allow"]);
    assert_eq!(rules(&["--allow", "unused-allow"]), Vec::<String>::new());
    let report = String::from_utf8(
        argmap()
            .arg("check")
            .arg(&fixture)
            .args(["--deny", "unused-allow"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(report.contains("2 errors"), "{report}");
}

/// A rule listed twice in one `argmap-allow` is still allowed (the list is a set), and
/// neither entry silences nothing.
#[test]
fn a_rule_allowed_twice_is_allowed() {
    let project = with_warnings().with(
        "arguments/m.yaml",
        format!(
            "{MAP}  - id: alone\n    text: Alone [@paper].\n    argmap-allow: [isolated-claim, isolated-claim]\n"
        ),
    );
    assert_eq!(rules_of(&json_report(&project)), ["unused-reference"]);
}

/// A finding above the first item with an `argmap-allow` list is reported: no item holds it.
#[test]
fn a_finding_before_every_allowing_item_is_reported() {
    let project = Project::valid().with(
        "arguments/m.yaml",
        "title: Test map\nsource: paper\nclaims:\n  - id: alone\n    text: Alone [@paper].\n  - id: thesis\n    text: The thesis [@paper].\n  - id: reason\n    text: A reason [@song2014, p. 3].\n    supports: [thesis]\n    argmap-allow: [uncited-claim]\n",
    );
    let report = json_report(&project);
    assert_eq!(
        rules_of(&report),
        ["isolated-claim", "unused-allow"],
        "{report:#}"
    );
}

/// An item's list silences the rules it names, not the item's other findings.
#[test]
fn an_allow_list_silences_only_the_rules_it_names() {
    let project = with_warnings().with(
        "arguments/m.yaml",
        format!(
            "{MAP}  - id: alone\n    text: Alone [@paper] [@nosuch].\n    argmap-allow: [isolated-claim]\n"
        ),
    );
    assert_eq!(
        rules_of(&json_report(&project)),
        ["unknown-reference", "unused-reference"]
    );
}

/// `--fix` removes an entry that silences nothing and nothing else: its separator, or its
/// whole line when it is alone there; never an entry argmap could not read, nor a comment.
#[test]
fn fix_removes_entries_that_silence_nothing() {
    let claim = |id: &str, allow: &str| {
        format!(
            "  - id: {id}\n    text: T [@paper].\n    supports: [thesis]\n    argmap-allow: {allow}\n"
        )
    };
    let claims = [
        // Isolated: its second entry is used, the first is not.
        "  - id: first\n    text: T [@paper].\n    argmap-allow: [self-link, isolated-claim]\n"
            .to_owned(),
        "  - id: last\n    text: T [@paper].\n    argmap-allow: [isolated-claim, self-link]\n"
            .to_owned(),
        claim("both", "[self-link, uncited-claim]"),
        claim("scalar", "framing-link"),
        claim("block", "\n      - framing-link\n      - self-link"),
        claim("unread", "[nosuch-rule, self-link]"),
        claim("comment", "[self-link]  # kept for the record"),
        claim("noted", "\n      - framing-link  # why\n      - self-link"),
    ];
    let project = with_warnings().with(
        "arguments/m.yaml",
        format!(
            "{MAP}  - id: alone\n    text: Alone [@paper].\n    argmap-allow: [isolated-claim]\n{}",
            claims.concat()
        ),
    );
    project.check().arg("--fix").output().unwrap();
    let fixed = std::fs::read_to_string(project.path().join("arguments/m.yaml")).unwrap();
    let expected = [
        "  - id: first\n    text: T [@paper].\n    argmap-allow: [isolated-claim]\n".to_owned(),
        "  - id: last\n    text: T [@paper].\n    argmap-allow: [isolated-claim]\n".to_owned(),
        "  - id: both\n    text: T [@paper].\n    supports: [thesis]\n".to_owned(),
        "  - id: scalar\n    text: T [@paper].\n    supports: [thesis]\n".to_owned(),
        claim("block", "\n      - self-link"),
        claim("unread", "[nosuch-rule, self-link]"),
        claim("comment", "[self-link]  # kept for the record"),
        claim("noted", "\n      - framing-link  # why\n      - self-link"),
    ];
    assert_eq!(
        fixed,
        format!(
            "{MAP}  - id: alone\n    text: Alone [@paper].\n    argmap-allow: [isolated-claim]\n{}",
            expected.concat()
        )
    );
}
