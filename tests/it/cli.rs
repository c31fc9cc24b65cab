//! The `argmap` binary as a process: commands, formats and exit codes.

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use crate::common::{self, MAP, Project, argmap, json_report, rules_of};
use predicates::prelude::*;

fn repo_root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

#[test]
fn bundled_maps_are_clean() {
    // Guards the project's own data: both papers' maps and references.
    argmap()
        .args(["check", repo_root(), "--deny-warnings"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(
                r"^2 maps, \d+ claims, \d+ references: 0 errors, 0 warnings\n$",
            )
            .unwrap(),
        );
}

#[test]
fn root_defaults_to_the_current_folder() {
    argmap()
        .arg("check")
        .current_dir(repo_root())
        .assert()
        .success();
}

#[test]
fn errors_exit_1_warnings_exit_0_unless_denied() {
    let errors = Project::valid().with("arguments/m.yaml", MAP.replace("[@paper]", "[@nobody]"));
    errors
        .check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 error"));
    let warnings = Project::valid().with(
        "arguments/m.yaml",
        format!("{MAP}  - id: alone\n    text: Alone [@paper].\n"),
    );
    warnings
        .check()
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 warning"));
    warnings.check().arg("--deny-warnings").assert().code(1);
}

#[test]
fn failures_to_run_exit_2() {
    argmap()
        .args(["check", "/no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    let dir = tempfile::tempdir().unwrap();
    argmap()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no `references/` folder"));
    argmap().args(["check", "--format", "xml"]).assert().code(2);
    argmap().arg("frobnicate").assert().code(2);
    argmap().assert().code(2);
}

#[cfg(unix)]
#[test]
fn unreadable_files_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    // A folder named like a map cannot be read, by root either.
    let p = Project::valid();
    std::fs::create_dir(p.path().join("arguments/folder.yaml")).unwrap();
    p.check().assert().code(2).stderr(
        predicate::str::contains("cannot read").and(predicate::str::contains("folder.yaml")),
    );
    // A file without read permission, where permissions stop reads (not as root).
    let p = Project::valid();
    let file = p.path().join("arguments/m.yaml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&file).is_err() {
        p.check()
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot read"));
    }
}

#[test]
fn json_format_is_documented_shape() {
    let p = Project::valid().with(
        "arguments/m.yaml",
        MAP.replace("[@song2014, p. 3]", "[@sóng2014, p. 3]"),
    );
    let r = json_report(&p);
    let d = &r["diagnostics"][0];
    assert_eq!(d["rule"], "unknown-reference");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "arguments/m.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(21))
    );
    // Columns count characters: `@sóng2014` is 9 characters (10 bytes).
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(7), Some(30))
    );
    assert_eq!(d["help"], "did you mean `@song2014`?");
    assert!(d["message"].as_str().unwrap().contains("sóng2014"));
    let s = &r["summary"];
    assert_eq!(
        (
            s["maps"].as_u64(),
            s["claims"].as_u64(),
            s["references"].as_u64()
        ),
        (Some(1), Some(2), Some(2))
    );
    assert_eq!(
        (s["errors"].as_u64(), s["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    // No claim has a quote: the summary says nothing of quotes, nor of DOIs (offline).
    assert_eq!(s.get("quotes"), None, "{s}");
    assert_eq!(s.get("dois"), None, "{s}");
}

#[test]
fn github_format_emits_escaped_workflow_commands() {
    let p = Project::valid().with("arguments/m.yaml", MAP.replace("[@paper]", "[@nobody]"));
    let out = p.check().args(["--format", "github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=arguments/m.yaml,line=5,col=23,endLine=5,endColumn=30,title=unknown-reference::"),
        "{first}"
    );
    // The help line is joined with an escaped newline, never a raw one.
    assert!(first.contains("%0Ahelp: "), "{first}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("::notice title=argmap::")
    );
}

/// `related` carries the other places, each with its own position.
#[test]
fn json_related_places_have_positions() {
    let refs = format!(
        "{}  - id: song2014\n    type: book\n    title: Again\n",
        common::REFS
    );
    let p = Project::valid().with("references/refs.yaml", refs);
    let r = json_report(&p);
    let d = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "duplicate-reference-id")
        .unwrap();
    assert_eq!((&d["line"], &d["column"]), (&12.into(), &9.into()));
    let related = d["related"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["message"], "first defined here");
    assert_eq!(related[0]["file"], "references/refs.yaml");
    assert_eq!(
        (
            &related[0]["line"],
            &related[0]["column"],
            &related[0]["end_column"]
        ),
        (&7.into(), &9.into(), &17.into())
    );
}

/// Properties of a workflow command escape `%`, CR, LF, `:` and `,`: a file name holding
/// them must not end the property early.
#[test]
fn github_file_properties_are_escaped() {
    let p = Project::valid().with("arguments/m.yaml", common::MAP).with(
        "arguments/a,b:c%.yaml",
        "title: x\nsource: paper\nclaims:\n  - id: y\n    text: Y [@nobody]\n",
    );
    let out = p.check().args(["--format", "github"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=arguments/a%2Cb%3Ac%25.yaml,line=5,")),
        "{text}"
    );
}

/// A map of one claim has nothing to link it to: not an isolated claim.
#[test]
fn a_lone_claim_of_a_map_is_not_isolated() {
    let p = Project::valid().with(
        "arguments/m.yaml",
        "title: x\nsource: paper\nclaims:\n  - id: only\n    text: Only [@paper] [@song2014].\n",
    );
    assert_eq!(rules_of(&json_report(&p)), Vec::<String>::new());
    let two = Project::valid().with(
        "arguments/m.yaml",
        "title: x\nsource: paper\nclaims:\n  - id: one\n    text: One [@paper] [@song2014].\n  - id: two\n    text: Two [@paper].\n",
    );
    assert_eq!(
        rules_of(&json_report(&two)),
        ["isolated-claim", "isolated-claim"]
    );
}

#[test]
fn human_format_labels_the_token_without_colour_when_piped() {
    let p = Project::valid().with("arguments/m.yaml", MAP.replace("[@paper]", "[@nobody]"));
    let out = p.check().env_remove("NO_COLOR").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "colour codes in piped output");
    assert!(text.contains("╭─[arguments/m.yaml:5:23]"), "{text}");
    assert!(text.contains("no such reference"));
    assert!(
        text.ends_with("1 map, 2 claims, 2 references: 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn rules_lists_and_explains() {
    let out = argmap().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in argmap::Rule::all() {
        assert!(
            text.contains(rule.name()),
            "{} missing from `argmap rules`",
            rule.name()
        );
    }
    argmap()
        .args(["rules", "circular-support"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("circular-support (error)"));
    argmap()
        .args(["rules", "circular-suport"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `circular-support`?"));
}

#[test]
fn help_and_version_exit_0() {
    argmap()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: argmap <COMMAND>"));
    argmap()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("argmap "));
    argmap()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--deny-warnings"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Many diagnostics, read one byte of them, close the pipe.
    let mut map = String::from("title: x\nsource: paper\nclaims:\n");
    for i in 0..3000 {
        map.push_str(&format!("  - id: c{i}\n    text: claim [@missing{i}]\n"));
    }
    let p = Project::valid().with("arguments/big.yaml", map);
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("argmap"))
        .arg("check")
        .arg(p.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut byte = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut byte).unwrap(); // then dropped: closed
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_ne!(status.code(), Some(101), "exit 101 is a panic");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let map = MAP
        .replace("[@paper]", "[@nobody]")
        .replace("supports: [thesis]", "supports: [nowhere]");
    let p = Project::valid().with("arguments/m.yaml", map).with(
        "references/extra.yaml",
        "references:\n  - id: x\n    type: book\n    title: t\n    DOI: doi:10.1/x\n",
    );
    let rules = rules_of(&json_report(&p));
    for expected in [
        "unknown-reference",
        "dangling-link",
        "non-canonical-doi",
        "unused-reference",
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "{expected} missing from {rules:?}"
        );
    }
}

/// The README documents every subcommand that `argmap --help` lists, and every rule.
#[test]
fn readme_matches_help_and_rules() {
    let readme = std::fs::read_to_string(format!("{}/README.md", repo_root())).unwrap();
    let help = String::from_utf8(argmap().arg("--help").output().unwrap().stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"check"), "{help}");
    for command in commands {
        assert!(
            readme.contains(&format!("argmap {command}")),
            "README does not show `argmap {command}`"
        );
    }
    for rule in argmap::Rule::all() {
        assert!(
            readme.contains(&format!("| `{}` |", rule.name())),
            "README's rule table lacks {}",
            rule.name()
        );
    }
}

/// The JSON Schema `argmap schema WHICH` prints, as printed.
fn printed_schema(which: &str) -> Vec<u8> {
    let out = argmap().args(["schema", which]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    out.stdout
}

/// Validates YAML text against a JSON Schema.
pub(crate) fn validate(schema: &serde_json::Value, yaml: &str) -> Result<(), String> {
    let instance: serde_json::Value = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    validate_at(schema, "", &instance)
}

/// Validates a value against the part of a JSON Schema at a JSON pointer ("" for all).
fn validate_at(
    schema: &serde_json::Value,
    pointer: &str,
    instance: &serde_json::Value,
) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("schema.json", schema.clone())
        .map_err(|e| e.to_string())?;
    let id = compiler
        .compile(&format!("schema.json#{pointer}"), &mut schemas)
        .map_err(|e| e.to_string())?;
    schemas.validate(instance, id).map_err(|e| format!("{e:#}"))
}

/// Validates YAML text against the JSON Schema `argmap schema WHICH` prints.
fn schema_errors(which: &str, yaml: &str) -> Result<(), String> {
    let schema = serde_json::from_slice(&printed_schema(which)).unwrap();
    validate(&schema, yaml)
}

/// The schemas in `schemas/` are the ones argmap prints, byte for byte: the bundled files'
/// modelines point at them, and a change to the formats must come with them.
#[test]
fn committed_schemas_are_the_printed_ones() {
    for (which, file) in [
        ("map", "schemas/argument-map.schema.json"),
        ("references", "schemas/references.schema.json"),
        ("export", "schemas/export.schema.json"),
    ] {
        let committed = std::fs::read(format!("{}/{file}", repo_root()))
            .unwrap_or_else(|e| panic!("{file}: {e}; run `argmap schema {which} > {file}`"));
        assert!(
            committed == printed_schema(which),
            "{file} is not what argmap prints: run `argmap schema {which} > {file}` \
             (`cargo run -- schema {which} > {file}`) and commit it"
        );
    }
}

/// Every bundled map and reference file names its schema on its first line, and is valid
/// against the schema it names (the committed file, as an editor reads it).
#[test]
fn bundled_files_name_their_schema_and_follow_it() {
    let root = std::path::Path::new(repo_root());
    let mut seen = 0;
    for (folder, schema) in [
        ("arguments", "argument-map.schema.json"),
        ("references", "references.schema.json"),
    ] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let modeline = format!("# yaml-language-server: $schema=../schemas/{schema}");
            assert_eq!(
                text.lines().next(),
                Some(modeline.as_str()),
                "the first line of {}",
                path.display()
            );
            let named = path
                .parent()
                .unwrap()
                .join(modeline.split_once("$schema=").unwrap().1);
            let schema = serde_json::from_slice(&std::fs::read(&named).unwrap()).unwrap();
            validate(&schema, &text)
                .unwrap_or_else(|e| panic!("{} does not validate: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} bundled files");
}

/// The JSON Schemas accept valid maps and references, and reject what argmap does.
#[test]
fn json_schemas_describe_the_file_formats() {
    assert!(schema_errors("map", MAP).is_ok());
    assert!(schema_errors("references", common::REFS).is_ok());
    for bad in [
        MAP.replace("title:", "titel:"),
        MAP.replace("    text: A reason", "    txet: A reason"),
        MAP.replace(
            "supports: [thesis]",
            "supports: [thesis]\n    kind: conclusion",
        ),
        MAP.replace("supports: [thesis]", "supports: [\"m:\"]"),
        "title: T\nsource: paper\nclaims: []\n".to_owned(),
    ] {
        assert!(schema_errors("map", &bad).is_err(), "accepted: {bad}");
    }
    for bad in [
        common::REFS.replace("type: article-journal", "type: journal-article"),
        common::REFS.replace("    title: The paper\n", ""),
        common::REFS.replace("issued:", "year:"),
    ] {
        assert!(
            schema_errors("references", &bad).is_err(),
            "accepted: {bad}"
        );
    }
}

/// The `schema` rule's fixture: its map is rejected for each of its two mistakes (the
/// misspelt `titel`, the id `reason!`), and accepted with both corrected; its references
/// are valid, as the rule finds.
#[test]
fn json_schemas_reject_the_schema_rules_fixture() {
    let fixture = format!("{}/tests/fixtures/rules/schema", repo_root());
    let map = std::fs::read_to_string(format!("{fixture}/arguments/m.yaml")).unwrap();
    let refs = std::fs::read_to_string(format!("{fixture}/references/refs.yaml")).unwrap();
    let both = schema_errors("map", &map).unwrap_err();
    assert!(both.contains("titel"), "{both}");
    let id = map.replace("titel:", "title:");
    let error = schema_errors("map", &id).unwrap_err();
    assert!(error.contains("reason!"), "{error}");
    let title = map.replace("reason!", "reason");
    assert!(schema_errors("map", &title).is_err(), "accepted: {title}");
    let fixed = id.replace("reason!", "reason");
    schema_errors("map", &fixed).unwrap();
    schema_errors("references", &refs).unwrap();
}

/// The schemas carry what editors show: a description of the file and of every field of a
/// map, a claim and a reference file, examples of each, and examples that are valid.
#[test]
fn json_schemas_describe_every_field_with_valid_examples() {
    fn walk(schema: &serde_json::Value, at: &str, node: &serde_json::Value, checked: &mut usize) {
        match node {
            serde_json::Value::Object(fields) => {
                for example in fields
                    .get("examples")
                    .and_then(|e| e.as_array())
                    .into_iter()
                    .flatten()
                {
                    validate_at(schema, at, example)
                        .unwrap_or_else(|e| panic!("the example at {at} is not valid: {e}"));
                    *checked += 1;
                }
                for (key, value) in fields {
                    if key != "examples" {
                        let key = key.replace('~', "~0").replace('/', "~1");
                        walk(schema, &format!("{at}/{key}"), value, checked);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    walk(schema, &format!("{at}/{i}"), value, checked);
                }
            }
            _ => {}
        }
    }
    // Every field of a map, a claim and a reference file; the CSL variables written most.
    let csl = [
        "id",
        "type",
        "title",
        "author",
        "issued",
        "DOI",
        "page",
        "argmap-allow",
    ];
    for (which, fields) in [
        (
            "map",
            &[
                ("/properties", None),
                ("/properties/claims/items/properties", None),
            ][..],
        ),
        (
            "references",
            &[
                ("/properties", None),
                ("/properties/references/items/properties", Some(&csl)),
            ][..],
        ),
    ] {
        let schema: serde_json::Value = serde_json::from_slice(&printed_schema(which)).unwrap();
        assert!(schema["description"].is_string(), "{which}: no description");
        for (pointer, only) in fields {
            let properties = schema.pointer(pointer).unwrap().as_object().unwrap();
            for (name, field) in properties {
                if only.is_some_and(|names| !names.contains(&name.as_str())) {
                    continue;
                }
                let field = match field.get("$ref").and_then(|r| r.as_str()) {
                    Some(r) => schema.pointer(r.trim_start_matches('#')).unwrap(),
                    None => field,
                };
                assert!(
                    field["description"].is_string(),
                    "{which}{pointer}/{name}: no description"
                );
                assert!(
                    field["examples"].is_array(),
                    "{which}{pointer}/{name}: no examples"
                );
            }
        }
        let mut checked = 0;
        walk(&schema, "", &schema, &mut checked);
        assert!(checked >= 10, "{which}: {checked} examples");
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        argmap()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("deny-warnings"));
    }
    argmap().args(["completions", "tcsh"]).assert().code(2);
}

/// A project with one finding of each fixable kind.
fn fixable() -> Project {
    Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - id: song2014\n    type: book\n    title: S\n    doi: 10.1/x\n  - id: paper\n    type: book\n    title: P\n    DOI: \"https://doi.org/10.2/y\"\n  - {id: yun2012, type: book, title: Y}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\nsource: paper\nclaims:\n  - id: thesis\n    txet: The thesis [@paper].\n  - id: reason\n    text: A reason [@sung2014] and [@yun2012].\n    supports: [thesiss]\n",
        )
}

#[test]
fn json_lists_each_fix_with_its_edits() {
    let r = json_report(&fixable());
    let fixes: Vec<(String, String, String, u64, u64, String)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["fixes"].as_array().unwrap().iter().map(move |f| {
                let e = &f["edits"][0];
                (
                    d["rule"].as_str().unwrap().to_owned(),
                    f["applicability"].as_str().unwrap().to_owned(),
                    e["file"].as_str().unwrap().to_owned(),
                    e["line"].as_u64().unwrap(),
                    e["column"].as_u64().unwrap(),
                    e["replacement"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect();
    let expected = [
        ("schema", "safe", "arguments/m.yaml", 5, 5, "text"),
        (
            "unknown-reference",
            "unsafe",
            "arguments/m.yaml",
            7,
            21,
            "@song2014",
        ),
        (
            "dangling-link",
            "unsafe",
            "arguments/m.yaml",
            8,
            16,
            "thesis",
        ),
        ("csl-field-name", "safe", "references/r.yaml", 5, 5, "DOI"),
        (
            "non-canonical-doi",
            "safe",
            "references/r.yaml",
            9,
            10,
            "\"10.2/y\"",
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|&(a, b, c, d, e, f)| (a.into(), b.into(), c.into(), d, e, f.into()))
        .collect();
    assert_eq!(fixes, expected);
}

#[test]
fn fix_applies_safe_fixes_only_and_a_second_run_is_clean_of_them() {
    let p = fixable();
    let before_map = std::fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap();
    let out = p.check().arg("--fix").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fixed 3 findings in 2 files"),
        "{out:?}"
    );
    let map = std::fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap();
    // Only the misspelt field changed; the unsafe guesses were left.
    assert_eq!(map, before_map.replace("txet:", "text:"));
    let refs = std::fs::read_to_string(p.path().join("references/r.yaml")).unwrap();
    assert!(
        refs.contains("    DOI: 10.1/x\n") && refs.contains("DOI: \"10.2/y\""),
        "{refs}"
    );
    let rules = rules_of(&json_report(&p));
    assert_eq!(
        rules,
        [
            "isolated-claim",
            "unknown-reference",
            "dangling-link",
            "unused-reference"
        ]
    );
    // With the unsafe ones too: clean.
    p.check().args(["--fix", "--unsafe-fixes"]).assert().code(0);
    assert_eq!(rules_of(&json_report(&p)), Vec::<String>::new());
    p.check().arg("--fix").assert().code(0).stderr("");
}

#[test]
fn fix_dry_run_prints_a_diff_and_writes_nothing() {
    let p = fixable();
    let map = std::fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap();
    let out = p.check().args(["--fix", "--dry-run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("--- a/arguments/m.yaml\n+++ b/arguments/m.yaml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-    txet: The thesis [@paper].\n+    text: The thesis [@paper].\n"),
        "{diff}"
    );
    assert!(diff.contains("+    DOI: \"10.2/y\"\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap(),
        map
    );
    argmap().args(["check", "--dry-run"]).assert().code(2);
}

/// Quotes are checked against `sources/<source>.txt` end to end; a map whose paper has no
/// text says so once, in the summary.
#[test]
fn quotes_are_checked_against_the_papers_text_or_said_unchecked_once() {
    let map = "title: Test map
source: paper
claims:
  - id: thesis
    text: The thesis [@paper].
    quote: \"Security came first.\"
  - id: reason
    text: A reason [@song2014, p. 3].
    quote: \"Security never mattered.\"
    supports: [thesis]
";
    let project = Project::valid().with("arguments/m.yaml", map);
    project
        .check()
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with(
            "0 errors, 0 warnings; 2 quotes not checked (no text of paper in sources/)\n",
        ));
    let report = json_report(&project);
    assert_eq!(
        report["summary"]["quotes"],
        serde_json::json!({"checked": 0, "unchecked": 2, "without_text": ["paper"]})
    );
    // A map without quotes needs no text and is not named.
    let project = project
        .with(
            "sources/paper.txt",
            "The paper.\n\nIn 2001, security came first. Then trade followed.\n",
        )
        .with(
            "arguments/n.yaml",
            "title: Other\nsource: song2014\nclaims:\n  - id: other\n    text: Other [@song2014].\n",
        );
    let report = json_report(&project);
    assert_eq!(rules_of(&report), ["quote-not-in-source"]);
    assert_eq!(report["diagnostics"][0]["line"], 9);
    assert_eq!(
        report["summary"]["quotes"],
        serde_json::json!({"checked": 2, "unchecked": 0})
    );
}

/// Each quote rule runs on its own level, and quotes that cannot be looked for (empty, or
/// longer than 20,000 characters: a passage, not a quote) are left alone.
#[test]
fn quote_rules_run_on_their_own_levels_and_skip_what_is_no_quote() {
    let claim = |id: &str, quote: &str| {
        format!(
            "  - id: {id}\n    text: T [@paper]\n    quote: \"{quote}\"\n    supports: [thesis]\n"
        )
    };
    let at_limit = "z".repeat(20_000);
    let over_limit = "z".repeat(20_001);
    let map = format!(
        "title: Test map\nsource: paper\nclaims:\n  - id: thesis\n    text: The thesis [@paper] [@song2014].\n{}{}{}{}{}",
        claim(
            "inexact",
            "In 2001, security came frst. Then trade followed."
        ),
        claim("missing", "Trade never mattered to anyone here."),
        claim("empty", " "),
        claim("long", &over_limit),
        claim("limit", &at_limit),
    );
    let project = Project::valid().with("arguments/m.yaml", map).with(
        "sources/paper.txt",
        "The paper.\n\nIn 2001, security came first. Then trade followed.\n",
    );
    let claims_of = |args: &[&str]| {
        let out = project
            .check()
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                let claim = message.split('`').nth(1).unwrap_or_default().to_owned();
                (d["rule"].as_str().unwrap().to_owned(), claim)
            })
            .collect::<Vec<_>>()
    };
    let pair = |rule: &str, claim: &str| (rule.to_owned(), claim.to_owned());
    assert_eq!(
        claims_of(&[]),
        [
            pair("quote-inexact", "inexact"),
            pair("quote-not-in-source", "missing"),
            pair("quote-not-in-source", "limit"),
        ]
    );
    assert_eq!(
        claims_of(&["--allow", "quote-not-in-source"]),
        [pair("quote-inexact", "inexact")]
    );
    assert_eq!(
        claims_of(&["--allow", "quote-inexact"]),
        [
            pair("quote-not-in-source", "missing"),
            pair("quote-not-in-source", "limit"),
        ]
    );
}
