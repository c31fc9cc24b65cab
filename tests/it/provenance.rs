//! Whose a link is (`by: analyst`) and which claims are the paper's conclusions
//! (`conclusion: true`), through the CLI: the readers, the two rules and their fixes, and
//! what diagrams make of them.

use std::path::Path;

use crate::common::{Project, argmap, json_report, rules_of};

/// A copy of a rule fixture in a temporary project.
fn fixture_copy(name: &str) -> Project {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(name);
    let mut project = Project::empty();
    for folder in ["arguments", "references"] {
        for entry in std::fs::read_dir(from.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            project = project.with(&format!("{folder}/{name}"), std::fs::read(&path).unwrap());
        }
    }
    if from.join("argmap.toml").is_file() {
        project = project.with(
            "argmap.toml",
            std::fs::read(from.join("argmap.toml")).unwrap(),
        );
    }
    project
}

fn read(project: &Project, path: &str) -> String {
    std::fs::read_to_string(project.path().join(path)).unwrap()
}

/// `--fix` marks the links written as ids, keeping how each was written; the mapping that
/// says `by: paper` is left to its author, and is all that is reported after.
#[test]
fn fix_marks_cross_source_links_as_the_analysts() {
    let p = fixture_copy("cross-source-link");
    let before = read(&p, "arguments/a.yaml");
    let out = p.check().arg("--fix").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fixed 2 findings in 1 file"),
        "{out:?}"
    );
    let expected = before
        .replace(
            "supports: [thesis, b:thesis]\n  - id: quoted",
            "supports: [thesis, {to: b:thesis, by: analyst}]\n  - id: quoted",
        )
        .replace("- \"b:thesis\"", "- {to: \"b:thesis\", by: analyst}");
    assert_eq!(read(&p, "arguments/a.yaml"), expected);
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["cross-source-link"]);
    // The summary counts whose the links are.
    assert_eq!(
        report["summary"]["links"],
        serde_json::json!({"paper": 8, "analyst": 3, "declared_conclusions": 0})
    );
    let d = &report["diagnostics"][0];
    assert_eq!(d["fixes"].as_array().unwrap().len(), 0, "{d}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`by-paper` attacks `b:thesis`")
    );
}

/// The unsafe fix declares a hanging claim a conclusion, at its fields' indentation; a
/// claim in a flow mapping gets no fix, and the isolated claim stays isolated-claim's.
#[test]
fn unsafe_fix_declares_undeclared_conclusions() {
    let p = fixture_copy("undeclared-conclusion");
    let report = json_report(&p);
    assert_eq!(
        rules_of(&report),
        [
            "undeclared-conclusion",
            "isolated-claim",
            "undeclared-conclusion"
        ]
    );
    // The summary counts the declared conclusions of both maps.
    assert_eq!(report["summary"]["links"]["declared_conclusions"], 2);
    // Warnings only: the check passes, and the safe fixes change nothing.
    let before = read(&p, "arguments/m.yaml");
    p.check().arg("--fix").assert().code(0);
    assert_eq!(read(&p, "arguments/m.yaml"), before);
    p.check().args(["--fix", "--unsafe-fixes"]).assert().code(0);
    let map = read(&p, "arguments/m.yaml");
    assert!(
        map.contains(
            "  - id: hanging\n    conclusion: true\n    text: A premise whose link was forgotten"
        ),
        "{map}"
    );
    let report = json_report(&p);
    assert_eq!(
        rules_of(&report),
        ["isolated-claim", "undeclared-conclusion"]
    );
    assert_eq!(report["summary"]["links"]["declared_conclusions"], 3);
    // Off by default: without the project's setting, nothing of it.
    std::fs::remove_file(p.path().join("argmap.toml")).unwrap();
    assert_eq!(rules_of(&json_report(&p)), ["isolated-claim"]);
}

/// What the readers refuse in the new fields, each a `schema` error in place.
#[test]
fn malformed_links_and_conclusions_are_schema_errors() {
    let cases = [
        (
            "supports: [{to: thesis, by: analist}]",
            "did you mean `analyst`?",
        ),
        ("supports: [{by: analyst}]", "`to`"),
        ("supports: [{to: thesis, because: x}]", "because"),
        ("supports: [[thesis]]", "entries of `supports`"),
        (
            "conclusion: yes",
            "`conclusion` should be `true` or `false`",
        ),
        (
            "kind: framing\n    conclusion: true",
            "cannot be a conclusion",
        ),
    ];
    for (field, says) in cases {
        let map = format!(
            "title: T\nsource: paper\nclaims:\n  - id: thesis\n    text: The thesis [@paper].\n  - id: reason\n    text: A reason [@paper].\n    {field}\n"
        );
        let p = Project::valid().with("arguments/m.yaml", map);
        let out = p.check().output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{field}: {stdout}");
        assert!(
            stdout.contains("schema") && stdout.contains(says),
            "{field}: {stdout}"
        );
    }
}

/// A map that declares conclusions is drawn and listed from them: an undeclared claim
/// that bears on nothing is not one. The analyst's link is dotted, says so in its tooltip
/// with its note, and the legend explains it.
#[test]
fn diagrams_start_from_declared_conclusions_and_draw_analysts_links_apart() {
    let p = Project::empty()
        .with("references/refs.yaml", crate::common::REFS)
        .with(
            "references/other.yaml",
            "references:\n  - {id: other, type: book, title: O}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\nsource: paper\nclaims:\n  - id: thesis\n    text: The thesis [@paper].\n    conclusion: true\n  - id: reason\n    text: A reason [@paper].\n    supports: [thesis]\n  - id: hanging\n    text: A premise left hanging [@paper].\n  - id: for-hanging\n    text: Its reason [@paper].\n    supports:\n      - hanging\n      - to: o:far\n        by: analyst\n        note: Both papers say \"so\" <b>alike</b>.\n",
        )
        .with(
            "arguments/o.yaml",
            "title: O\nsource: other\nclaims:\n  - id: far\n    text: The other paper's claim [@other].\n",
        );
    let listed = argmap()
        .args(["dot", "--list-conclusions", "--map", "m"])
        .arg(p.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "m:thesis\n");
    let out = argmap()
        .args(["dot", "--map", "m"])
        .arg(p.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let dot = String::from_utf8(out.stdout).unwrap();
    let edge = dot
        .lines()
        .find(|l| l.contains("\"m:for-hanging\" -> \"o:far\""))
        .unwrap_or_else(|| panic!("no analyst's edge in\n{dot}"));
    assert!(
        edge.contains("style=dotted") && edge.contains("arrowhead=empty"),
        "{edge}"
    );
    assert!(
        edge.contains(
            "tooltip=\"The map-maker's link, not the paper's: supports. Both papers say \\\"so\\\" <b>alike</b>.\""
        ),
        "{edge}"
    );
    assert!(dot.contains("\"~legend:analyst\""), "{dot}");
    let paper_edge = dot
        .lines()
        .find(|l| l.contains("\"m:reason\" -> \"m:thesis\""))
        .unwrap();
    assert!(!paper_edge.contains("dotted"), "{paper_edge}");
    // Graphviz reads it.
    let mut render = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz's dot");
    use std::io::Write;
    render
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let svg = render.wait_with_output().unwrap();
    assert!(svg.status.success());
    assert!(String::from_utf8_lossy(&svg.stdout).contains("not the paper&#39;s"));
}
