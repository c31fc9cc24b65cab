//! Regression tests named after the bugs they pin: each failed before its fix. Most run
//! the binary as a process on a small project, as a user or a CI job would.

use std::fs;
use std::path::Path;

use crate::common::{Project, argmap, json_report, rules_of};

/// A map of the given claims under the usual header; the references define `src`, `a`, `b`.
fn project(claims: &str) -> Project {
    Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
        )
        .with(
            "arguments/m.yaml",
            format!("title: T\nsource: src\nclaims:\n{claims}"),
        )
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// Whether this run is mutation testing (`make mutants`), which skips the few tests that
/// exist to bound time on huge inputs: they take seconds each, and every mutant would pay it.
fn mutation_testing() -> bool {
    std::env::var_os("ARGMAP_MUTANTS").is_some()
}

fn first_place(report: &serde_json::Value) -> (u64, u64) {
    let d = &report["diagnostics"][0];
    (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
}

// ---- data loss and exit codes ----

#[cfg(unix)]
#[test]
fn dot_output_through_a_symlink_keeps_the_link() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let target = p.path().join("real.dot");
    let link = p.path().join("link.dot");
    fs::write(&target, "stale").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(&link)
        .assert()
        .code(0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().starts_with("digraph"));
}

#[cfg(unix)]
#[test]
fn dot_output_to_a_fifo_reaches_its_reader() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let fifo = p.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(&fifo)
        .assert()
        .code(0);
    assert!(reader.join().unwrap().starts_with("digraph"));
    assert!(!fs::metadata(&fifo).unwrap().is_file(), "still a FIFO");
}

#[cfg(target_os = "linux")]
#[test]
fn dot_output_to_dev_full_exits_2_and_dev_null_stays_a_device() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let root = p.path().to_str().unwrap();
    argmap()
        .args(["dot", root, "-o", "/dev/full"])
        .assert()
        .code(2);
    argmap()
        .args(["dot", root, "-o", "/dev/null"])
        .assert()
        .code(0);
    assert!(!fs::metadata("/dev/null").unwrap().is_file());
    assert!(!fs::metadata("/dev/full").unwrap().is_file());
}

#[test]
fn dot_output_error_names_the_file_not_a_temporary() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let out = argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(p.path().join("no/such/folder/out.dot"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no/such/folder/out.dot"), "{err}");
    assert!(!err.contains(".argmap-"), "no temporary file named: {err}");
}

/// Runs argmap with stdout on `/dev/full`: every command that writes a report must fail.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_exits_2() {
    let p = project("  - id: x\n    text: X [@src].\n");
    let root = p.path().to_str().unwrap();
    for args in [
        vec!["check", root, "--format", "json"],
        vec!["check", root],
        vec!["dot", root],
        vec!["rules"],
        vec!["rules", "dangling-link"],
        vec!["completions", "bash"],
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_argmap"))
            .args(&args)
            .stdout(full)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

// ---- security ----

#[test]
fn terminal_escapes_never_reach_human_output() {
    let p = project(concat!(
        "  - id: x\n",
        "    text: \"hi [@{\\u001b]0;PWNED\\u0007\\u001b[2J}]\"\n",
        "    supports: [\"\\u001b[2Jzz\"]\n",
        "  - id: y\n",
        "    text: ok [@src]\n",
        "    cites: [\"@\\u001b[31mq\"]\n",
    ));
    // The files hold the escapes as YAML escapes; what argmap decodes is a raw ESC.
    let out = p.check().env_remove("NO_COLOR").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(
        text.contains("\\u{1b}]0;PWNED"),
        "shown as an escape: {text}"
    );
    let github = stdout(p.check().args(["--format", "github"]));
    assert!(!github.contains('\u{1b}'), "{github}");
    // Machine formats keep the text exact.
    let json = json_report(&p);
    assert!(json["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]0;PWNED\u{7}")
    }));
}

#[test]
fn raw_control_bytes_in_a_snippet_are_masked() {
    // A raw ESC is not allowed in YAML: the file fails to parse, and its line is shown.
    let p = project("  - id: y # raw \u{1b}[31m comment\n    text: ok [@src]\n");
    let out = p.check().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("yaml-syntax"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("raw ?[31m comment"), "{text}");
}

// ---- positions ----

#[test]
fn unicode_spaces_before_a_citation_keep_its_place() {
    for space in ["\u{a0}", "\u{3000}", "\u{2028}"] {
        for (style, line, text) in [
            (
                "folded",
                7,
                format!(">-\n      folded\n      text{space}[@zz]"),
            ),
            ("quoted", 6, format!("\"quoted\n      text{space}[@zz]\"")),
            ("plain", 6, format!("plain\n      text{space}[@zz]")),
        ] {
            let p = project(&format!(
                "  - id: x\n    text: {text}\n    cites: ['@src', '@a', '@b']\n"
            ));
            let report = json_report(&p);
            assert_eq!(rules_of(&report), ["unknown-reference"], "{style}");
            let d = &report["diagnostics"][0];
            assert_eq!(
                (&d["line"], &d["column"]),
                (&line.into(), &13.into()),
                "{style} {space:?}"
            );
            assert_eq!(d["end_column"], 16, "{style} {space:?}: only the key");
        }
    }
}

#[test]
fn human_columns_count_characters_like_json() {
    let p = project("  - id: x\n    text: \"é😀中文 [@zz]\"\n");
    assert_eq!(first_place(&json_report(&p)), (5, 18));
    let text = stdout(&mut p.check());
    assert!(text.contains("[arguments/m.yaml:5:18]"), "{text}");
}

#[test]
fn a_lone_carriage_return_ends_a_line_everywhere() {
    let p = Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\rsource: src\rclaims:\r  - id: x\r    text: hi [@zz]\r",
        );
    assert_eq!(first_place(&json_report(&p)), (5, 15));
    let text = stdout(&mut p.check());
    assert!(text.contains("[arguments/m.yaml:5:15]"), "{text}");
    assert!(!text.contains('\r'), "{text:?}");
    assert!(text.contains(" 5 │     text: hi [@zz]"), "{text}");
}

// ---- time bombs ----

/// Every citation of a claim used to re-walk the whole scalar: 790 KB took 233 s.
#[test]
fn thousands_of_citations_in_one_claim_are_located_in_one_walk() {
    if mutation_testing() {
        return;
    }
    let lines: Vec<&str> = std::iter::repeat_n("[@a] [@zz]", 40_000).collect();
    let p = project(&format!(
        "  - id: x\n    text: >-\n      {}\n",
        lines.join("\n      ")
    ));
    let report = json_report(&p);
    let unknown: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 40_000);
    let last = unknown.last().unwrap();
    assert_eq!(
        (&last["line"], &last["column"]),
        (&(40_005.into()), &(13.into()))
    );
}

/// Every miss was compared with every id: 20,000 dangling links took 62 s.
#[test]
fn did_you_mean_for_many_misses_is_near_linear() {
    if mutation_testing() {
        return;
    }
    let mut claims = String::new();
    for i in 0..20_000 {
        claims.push_str(&format!(
            "  - id: claim-{i:05}\n    text: C [@src]\n    supports: [missing-{i:05}]\n    cites: [\"@unknown-{i:05}\"]\n"
        ));
    }
    let p = project(&claims);
    let report = json_report(&p);
    let rules = rules_of(&report);
    assert_eq!(
        rules.iter().filter(|r| *r == "dangling-link").count(),
        20_000
    );
    assert_eq!(
        rules.iter().filter(|r| *r == "unknown-reference").count(),
        20_000
    );
}

/// Relatives of the two above: columns counted from the start of a 400 KB line for each of
/// 40,000 findings on it, a claim's repeated targets and cited works found by scanning
/// the ones before, the brackets around each citation searched for from scratch.
#[test]
fn one_long_line_of_citations_and_links_stays_linear() {
    if mutation_testing() {
        return;
    }
    let text = vec!["@a @zz"; 40_000].join(" ");
    let links = vec!["y"; 40_000].join(", ");
    let p = project(&format!(
        "  - id: x\n    text: \"{text} [@b]\"\n    supports: [{links}]\n  - id: y\n    text: Y [@src]\n"
    ));
    let report = json_report(&p);
    let last = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|d| d["rule"] == "unknown-reference")
        .unwrap()
        .clone();
    assert_eq!(
        rules_of(&report).len(),
        40_000 + 39_999,
        "and a duplicate-link each"
    );
    assert_eq!(
        (&last["line"], &last["column"]),
        (&5.into(), &(15 + 7 * 39_999).into())
    );
    let p = project(&format!(
        "  - id: x\n    text: \"{}\"\n    supports: [{links}]\n  - id: y\n    text: Y [@src]\n",
        vec!["@a @src @b"; 40_000].join(" ")
    ));
    let out = argmap()
        .args(["dot", p.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

// ---- wrong verdicts ----

#[test]
fn two_map_files_of_one_name_are_a_clash_not_false_findings() {
    let p = project(
        "  - id: x\n    text: X [@src]\n  - id: y\n    text: Y [@a]\n    supports: [x]\n",
    )
    .with(
        "arguments/m.yml",
        "title: T2\nsource: src\nclaims:\n  - id: z\n    text: Z [@b]\n    supports: [m:x]\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["duplicate-map-name"]);
    assert_eq!(report["diagnostics"][0]["file"], "arguments/m.yml");
}

#[test]
fn an_alias_of_a_number_or_boolean_is_its_value() {
    let p = project(
        "  - id: &n 5\n    text: X [@src] [@a] [@b]\n  - id: y\n    text: Y [@src]\n    supports: [*n]\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), Vec::<String>::new(), "{report:#}");
}

#[test]
fn escaped_at_signs_and_code_spans_are_not_citations() {
    let p = project("  - id: x\n    text: 'Mail \\@zz or `@zz` [@src] [@a] [@b]'\n");
    let report = json_report(&p);
    assert_eq!(rules_of(&report), Vec::<String>::new(), "{report:#}");
}

#[test]
fn a_broken_reference_file_does_not_make_its_works_unknown() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b] [@zz]\n").with(
        "references/more.yaml",
        "references:\n  - id: extra\n    type: book\n    title: [Broken\n",
    );
    let p = p.with(
        "arguments/m.yaml",
        "title: T\nsource: src\nclaims:\n  - id: x\n    text: X [@src] [@a] [@b] [@extra] [@zz]\n",
    );
    let report = json_report(&p);
    assert_eq!(
        rules_of(&report),
        ["unknown-reference", "yaml-syntax"],
        "{report:#}"
    );
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("@zz")
    );
}

#[test]
fn a_reference_file_broken_in_its_first_entry_keeps_the_map_source_known() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: [S}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
    );
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
}

#[test]
fn a_dropped_claim_does_not_make_its_works_unused() {
    for bad in [
        "  - id: \"bad id\"\n    text: Y [@a]\n",
        "  - id: y\n    text: [Y, \"@a\"]\n",
    ] {
        let p = project(&format!("  - id: x\n    text: X [@src] [@b]\n{bad}"));
        let rules = rules_of(&json_report(&p));
        assert!(
            !rules.contains(&"unused-reference".to_owned()),
            "{bad}: {rules:?}"
        );
        assert!(rules.contains(&"schema".to_owned()), "{bad}: {rules:?}");
    }
}

#[cfg(unix)]
#[test]
fn yaml_named_entries_that_are_not_files_are_failures_not_silence() {
    use std::os::unix::fs::symlink;
    type Make = fn(&Path);
    let cases: [(&str, Make); 4] = [
        ("dangling symlink", |p| symlink("nowhere.yaml", p).unwrap()),
        ("symlink loop", |p| {
            symlink(p.file_name().unwrap(), p).unwrap()
        }),
        ("folder", |p| fs::create_dir(p).unwrap()),
        ("symlink to a folder", |p| symlink("..", p).unwrap()),
    ];
    for (what, make) in cases {
        let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n");
        let entry = p.path().join("arguments/other.yaml");
        make(&entry);
        let out = p.check().output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("arguments/other.yaml"), "{what}: {err}");
    }
}

#[test]
fn an_upper_case_extension_is_read() {
    let p = Project::empty()
        .with(
            "references/R.YAML",
            "references:\n  - {id: src, type: book, title: S}\n",
        )
        .with(
            "arguments/M.YML",
            "title: T\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n",
        );
    let out = stdout(&mut p.check());
    assert!(
        out.ends_with("1 map, 1 claim, 1 reference: 0 errors, 0 warnings\n"),
        "{out}"
    );
}

#[test]
fn only_web_links_reach_a_diagram() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S, URL: \"javascript:alert(document.domain)\"}\n  - {id: a, type: book, title: A, URL: \" JAVASCRIPT:alert(1)\"}\n  - {id: b, type: book, title: B, URL: \"https://example.org/b\"}\n",
    );
    let dot = stdout(argmap().args(["dot", p.path().to_str().unwrap()]));
    assert!(!dot.to_lowercase().contains("javascript"), "{dot}");
    assert!(dot.contains("URL=\"https://example.org/b\""), "{dot}");
}

// ---- small things ----

#[test]
fn yaml_syntax_messages_give_no_library_advice() {
    for (text, expected) in [
        (
            "title: a\n---\ntitle: b\n",
            "several YAML documents in one file",
        ),
        (
            "title: a\ntitle: b\n",
            "the key `title` appears twice in one mapping",
        ),
    ] {
        let p = project("").with("arguments/m.yaml", text);
        let report = json_report(&p);
        let message = report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(expected), "{message}");
        assert!(
            !message.contains("from_str") && !message.contains("Options"),
            "{message}"
        );
    }
}

#[test]
fn tab_and_control_character_errors_point_at_the_character() {
    let p = project("").with("arguments/m.yaml", "title: a\u{1}b\nsource: src\n");
    assert_eq!(first_place(&json_report(&p)), (1, 9));
    let p = project("").with(
        "arguments/m.yaml",
        "title: T\nclaims:\n  - id: x\n\t  text: y\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["yaml-syntax"]);
    assert_eq!(first_place(&report), (4, 1));
}

#[test]
fn a_field_name_that_is_not_text_says_so() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n    ? [k]\n    : v\n");
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["schema"]);
    assert_eq!(
        report["diagnostics"][0]["message"],
        "claim field names are text, found a list"
    );
}

#[test]
fn dates_that_do_not_exist_are_schema_errors() {
    for issued in ["2014-13-45", "\"2014-02-30\"", "{date-parts: [[2014, 13]]}"] {
        let p = project("  - id: x\n    text: X [@src]\n").with(
            "references/r.yaml",
            format!("references:\n  - {{id: src, type: book, title: S, issued: {issued}}}\n"),
        );
        assert_eq!(rules_of(&json_report(&p)), ["schema"], "{issued}");
    }
}

#[test]
fn an_invisible_character_inside_a_doi_is_invalid() {
    let p = project("  - id: x\n    text: X [@src]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S, DOI: \"10.1000/a\\u200bb\"}\n",
    );
    assert_eq!(rules_of(&json_report(&p)), ["invalid-doi"]);
}

// ---- the second adversarial pass ----

/// A comparison costs the product of the lengths: 20 misses of 4,000 characters took 107 s.
#[test]
fn did_you_mean_ignores_very_long_words() {
    if mutation_testing() {
        return;
    }
    let long = "a".repeat(4000);
    let mut refs = String::from("references:\n  - {id: src, type: book, title: S}\n");
    for i in 0..200 {
        refs.push_str(&format!("  - {{id: {long}{i}, type: book, title: T}}\n"));
    }
    let cites: String = (0..20)
        .map(|i| format!(" [@{}{i}]", "b".repeat(4000)))
        .collect();
    let p = Project::empty().with("references/r.yaml", refs).with(
        "arguments/m.yaml",
        format!("title: T\nsource: src\nclaims:\n  - id: x\n    text: \"X [@src]{cites}\"\n"),
    );
    let rules = rules_of(&json_report(&p));
    assert_eq!(
        rules.iter().filter(|r| *r == "unknown-reference").count(),
        20
    );
}

/// A chain of 2,000 claims was labelled link by link: 68 s to print, 2.6 GB for SARIF.
#[test]
fn long_chains_are_shown_by_their_ends() {
    let mut claims = String::new();
    let n = 2000;
    for i in 0..n {
        claims.push_str(&format!("  - id: c{i}\n    text: X [@src] [@a] [@b]\n"));
        if i + 1 < n {
            claims.push_str(&format!("    supports: [c{}]\n", i + 1));
        }
        if i + 1 < n - 1 {
            claims.push_str(&format!("    attacks: [c{}]\n", n - 1));
        }
    }
    let p = project(&claims);
    let report = json_report(&p);
    let findings = report["diagnostics"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|d| d["related"].as_array().unwrap().len() <= 12)
    );
    assert!(
        findings[0]["message"].as_str().unwrap().contains("more …"),
        "{}",
        findings[0]["message"]
    );
    let human = stdout(&mut p.check());
    assert!(human.len() < 20 << 20, "{} bytes", human.len());
}

/// 200 aliases of a 900 KB scalar took 3.7 GB.
#[test]
fn aliases_cannot_multiply_text() {
    let text = "X [@src] ".repeat(100_000);
    let mut claims = format!("  - id: x\n    text: &t \"{text}\"\n");
    for i in 0..200 {
        claims.push_str(&format!("  - id: c{i}\n    text: *t\n    supports: [x]\n"));
    }
    let p = project(&claims);
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
}

/// A chain that never passes through a support cycle is found whatever cycles there are.
#[test]
fn contradictions_are_found_beside_a_cycle() {
    let p = project(concat!(
        "  - id: t\n    text: T [@src] [@a] [@b]\n",
        "  - id: c\n    text: C [@src]\n    supports: [t]\n",
        "  - id: b\n    text: B [@src]\n    supports: [c]\n",
        "  - id: a\n    text: A [@src]\n    supports: [b]\n    attacks: [t]\n",
        "  - id: x\n    text: X [@src]\n    supports: [y]\n",
        "  - id: y\n    text: Y [@src]\n    supports: [x, b]\n",
    ));
    let rules = rules_of(&json_report(&p));
    assert_eq!(rules, ["contradictory-links", "circular-support"]);
}

#[test]
fn input_files_are_never_overwritten() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n");
    let map = p.path().join("arguments/m.yaml");
    let before = fs::read(&map).unwrap();
    argmap()
        .args(["dot", p.path().to_str().unwrap(), "-o"])
        .arg(&map)
        .assert()
        .code(2);
    argmap()
        .args([
            "resolve",
            p.path().to_str().unwrap(),
            "--resolver",
            "http://127.0.0.1:9",
            "--cache",
        ])
        .arg(&map)
        .assert()
        .code(2);
    assert_eq!(fs::read(&map).unwrap(), before);
}

#[test]
fn a_schema_error_elsewhere_does_not_hide_unused_references() {
    let p = project("  - id: x\n    text: X [@src] [@a]\n    supports: 5\n");
    assert_eq!(rules_of(&json_report(&p)), ["schema", "unused-reference"]);
}

#[test]
fn a_broken_reference_file_keeps_its_ids_however_they_are_spelt() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b] [@smith2020] [@jones2021]\n")
        .with(
            "references/b.yaml",
            "references:\n  - {\"id\": \"smith2020\", \"type\": \"book\", \"title\": \"S\"}\n  - id: >-\n      jones2021\n    type: book\n    title: [J\n",
        );
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
}

#[test]
fn valid_yaml_is_read_or_refused_in_plain_words() {
    for (value, says) in [
        ("!!bool yes", "YAML's booleans are `true` and `false`"),
        ("!!timestamp 2001-12-14", "remove the `!!` tag"),
    ] {
        let p = project(&format!(
            "  - id: x\n    text: X [@src] [@a] [@b]\n    section: {value}\n"
        ));
        let report = json_report(&p);
        let message = report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(says), "{value}: {message}");
    }
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S, volume: .nan}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
    );
    assert_eq!(rules_of(&json_report(&p)), Vec::<String>::new());
}

#[test]
fn edtf_dates_are_read_as_pandoc_reads_them() {
    for issued in [
        "\"2014/2015\"",
        "\"2014?\"",
        "\"2014~\"",
        "\"-0044\"",
        "\"2014-05/2014-06\"",
    ] {
        let p = project("  - id: x\n    text: X [@src]\n").with(
            "references/r.yaml",
            format!("references:\n  - {{id: src, type: book, title: S, issued: {issued}}}\n"),
        );
        assert_eq!(rules_of(&json_report(&p)), Vec::<String>::new(), "{issued}");
    }
}

#[test]
fn a_non_text_key_of_a_reference_is_a_schema_error() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S, [a]: y}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["schema"]);
    assert_eq!(
        report["diagnostics"][0]["message"],
        "reference field names are text, found a list"
    );
}

#[cfg(unix)]
#[test]
fn hidden_files_are_an_editors_not_the_users() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n");
    std::os::unix::fs::symlink("root@host.1234:17", p.path().join("arguments/.#m.yaml")).unwrap();
    fs::write(p.path().join("arguments/.hidden.yaml"), "").unwrap();
    p.check().assert().code(0);
}

#[test]
fn names_that_differ_only_in_unicode_normalisation_are_explained() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n    supports: [\"e\u{301}map:y\"]\n")
        .with(
            "arguments/\u{e9}map.yaml",
            "title: E\nsource: src\nclaims:\n  - id: y\n    text: Y [@src]\n",
        );
    let report = json_report(&p);
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "dangling-link");
    assert!(d["help"].as_str().unwrap().contains("NFC"), "{d}");
    assert_eq!(d["fixes"][0]["applicability"], "safe");
}

#[test]
fn help_cites_ids_in_a_form_that_cites_them() {
    let p = project("  - id: x\n    text: X [@src]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S}\n  - {id: 'smith 2020', type: book, title: A}\n  - {id: 'a}b', type: book, title: B}\n",
    );
    let report = json_report(&p);
    let helps: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    // pandoc reads no key with white space, braced or not: rename it.
    assert!(
        helps[0].contains("rename it") && helps[0].contains("white space"),
        "{helps:?}"
    );
    assert!(helps[1].contains("rename it"), "{helps:?}");
}

#[test]
fn a_timeout_of_zero_is_bad_usage() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n");
    for flag in ["--timeout", "--deadline"] {
        argmap()
            .args(["resolve", p.path().to_str().unwrap(), flag, "0"])
            .assert()
            .code(2);
    }
}

#[test]
fn help_that_cannot_be_written_exits_2() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    for args in [vec!["--help"], vec!["--version"], vec!["check", "--help"]] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_argmap"))
            .args(&args)
            .stdout(full)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

// ---- the third adversarial pass ----

/// Makes a FIFO at `path`; false where `mkfifo` is missing.
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn argmap_toml_that_is_a_fifo_or_a_device_is_refused_not_read_forever() {
    let p = project("  - id: x\n    text: X [@src]\n");
    assert!(mkfifo(&p.path().join("argmap.toml")), "mkfifo");
    for args in [&["check"][..], &["dot"], &["rules", "--root"]] {
        argmap()
            .args(args)
            .arg(p.path())
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("argmap.toml"))
            .stderr(predicates::str::contains("not a regular file"));
    }
    fs::remove_file(p.path().join("argmap.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.path().join("argmap.toml")).unwrap();
    p.check()
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a regular file"));
}

#[test]
fn argmap_toml_not_utf8_or_too_large_is_a_finding_not_silence() {
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n")
        .with("argmap.toml", b"[rules]\nisolated-claim = \"off\" # \xff\n");
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["invalid-utf8"], "{report:#}");
    assert_eq!(report["diagnostics"][0]["file"], "argmap.toml");
    p.check().assert().code(1);
    let big = "#".repeat(33 << 20);
    let p = p.with("argmap.toml", big);
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["file-too-large"], "{report:#}");
    argmap()
        .args(["rules", "--root"])
        .arg(p.path())
        .assert()
        .code(1);
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("33.0 MiB"), "{message}");
}

#[test]
fn paper_text_too_large_leaves_its_quotes_unchecked_not_missing() {
    let p =
        project("  - id: x\n    text: X [@src] [@a] [@b]\n    quote: \"the quick brown fox\"\n")
            .with(
                "sources/src.txt",
                format!("the quick brown fox\n{}", "a".repeat(33 << 20)),
            );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["file-too-large"], "{report:#}");
    assert_eq!(
        report["summary"]["quotes"],
        serde_json::json!({"checked": 0, "unchecked": 1, "without_text": ["src"]})
    );
}

#[test]
fn unrelated_paper_texts_are_not_indexed() {
    // Indexing a text (a suffix array, some 37 bytes a byte) was done for every file in
    // sources/ on every run, `dot` and `resolve` included: only quoted papers are indexed.
    let p = project("  - id: x\n    text: X [@src]\n    quote: \"Quoted\"\n")
        .with("sources/src.txt", "Quoted.\n")
        .with("sources/other.txt", "Never quoted.\n");
    let workspace = argmap::workspace::Workspace::open(p.path()).unwrap();
    let (corpus, _) = workspace.assemble();
    assert!(
        corpus
            .papers
            .values()
            .all(|paper| paper.index.get().is_none())
    );
    let analysis = argmap::Analysis::offline(&workspace);
    assert!(analysis.corpus().papers["src"].index.get().is_some());
    assert!(analysis.corpus().papers["other"].index.get().is_none());
}

#[test]
fn locator_findings_do_not_repeat_a_long_page_field() {
    // Each finding quoted the whole `page` field three times: output grew as
    // citations x field length, 74 MB of JSON from 120 KB of YAML.
    let n = 2_000;
    let page: Vec<String> = (1..=n).map(|i| (2 * i).to_string()).collect();
    let cites: Vec<String> = (0..n)
        .map(|i| format!("\"@w, p. {}\"", 2 * i + 1))
        .collect();
    let p = Project::empty()
        .with(
            "references/r.yaml",
            format!(
                "references:\n  - {{id: src, type: book, title: S}}\n  - {{id: w, type: book, title: W, page: \"{}\"}}\n",
                page.join(", ")
            ),
        )
        .with(
            "arguments/m.yaml",
            format!(
                "title: T\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n    cites: [{}]\n",
                cites.join(", ")
            ),
        );
    let out = p.check().args(["--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["warnings"], n);
    let per_finding = out.stdout.len() / n as usize;
    assert!(per_finding < 1_000, "{per_finding} bytes a finding");
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.ends_with("whose pages are 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 2…"),
        "{message}"
    );
}

#[test]
fn an_allow_in_a_flow_item_does_not_silence_its_siblings() {
    // Flow items share one indentation, and an item's extent was guessed from it: the
    // first item's `argmap-allow` hid every later item's findings, errors included.
    let p = project(
        "",
    )
    .with(
        "arguments/m.yaml",
        "title: T\nsource: src\nclaims: [\n  {id: x, text: \"X [@src]\", argmap-allow: [unknown-reference, isolated-claim]},\n  {id: y, text: \"Y [@nosuch]\"},\n  {id: z, text: \"Z [@a] [@b] [@gone]\", supports: [x], argmap-allow: [unknown-reference]}\n  ]\n",
    );
    let report = json_report(&p);
    // `x` is linked and cites a listed work: both its entries silence nothing.
    assert_eq!(
        rules_of(&report),
        [
            "unused-allow",
            "unused-allow",
            "isolated-claim",
            "unknown-reference"
        ],
        "{report:#}"
    );
    assert_eq!(report["diagnostics"][2]["line"], 5);
    assert_eq!(report["diagnostics"][2]["column"], 8);
    p.check().assert().code(1);
    let p = p.with(
        "references/r.yaml",
        "references: [\n  {id: src, type: book, title: S, argmap-allow: [unused-reference]},\n  {id: a, type: book, title: A, DOI: not-a-doi},\n  {id: b, type: book, title: B}]\n",
    );
    assert!(rules_of(&json_report(&p)).contains(&"invalid-doi".to_owned()));
}

#[test]
fn findings_that_mean_input_was_not_read_cannot_be_silenced() {
    // `argmap-allow: [schema]` hid a claim's unknown field and the allow list's own unknown
    // rule; `schema = "off"` or `--allow yaml-syntax` passed files argmap never read.
    let p = project(
        "  - id: x\n    txet: X [@src]\n    argmap-allow: [schema, nosuch-rule]\n  - id: y\n    text: Y [@src] [@a] [@b]\n    supports: [x]\n",
    );
    let report = json_report(&p);
    assert_eq!(
        rules_of(&report),
        ["schema", "schema", "schema"],
        "{report:#}"
    );
    let messages: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messages[1].contains("cannot allow `schema`"),
        "{messages:?}"
    );
    for rule in ["schema", "yaml-syntax", "config"] {
        argmap()
            .args(["check", "--allow", rule])
            .arg(p.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("cannot be changed"));
    }
    let p = p.with("argmap.toml", "[rules]\nschema = \"warning\"\n");
    let report = json_report(&p);
    assert_eq!(report["summary"]["errors"], 4, "{report:#}");
    assert!(rules_of(&report).contains(&"config".to_owned()));
    p.check().args(["--deny", "schema"]).assert().code(1);
}

#[test]
fn fix_runs_until_nothing_is_left_to_fix() {
    // Renaming `doi` to `DOI` uncovered a DOI in pasted form: one `--fix` left a finding
    // with a safe fix for the next.
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S}\n  - id: a\n    type: book\n    title: A\n    doi: \"https://doi.org/10.1000/ABC\"\n  - {id: b, type: book, title: B}\n",
    );
    let diff = stdout(p.check().args(["--fix", "--dry-run"]));
    assert!(diff.contains("+    DOI: \"10.1000/ABC\"\n"), "{diff}");
    p.check().arg("--fix").assert().code(0);
    let fixed = fs::read_to_string(p.path().join("references/r.yaml")).unwrap();
    assert!(fixed.contains("    DOI: \"10.1000/ABC\"\n"), "{fixed}");
    assert_eq!(rules_of(&json_report(&p)), Vec::<String>::new());
}

#[test]
fn fix_dry_run_refuses_what_it_cannot_honour_and_says_when_nothing_is_fixed() {
    // `--format json` got a diff (or nothing), `--online` was dropped without a word.
    let p = project("  - id: x\n    text: X [@nosuch] [@a] [@b]\n");
    for extra in [&["--format", "json"][..], &["--online"]] {
        p.check()
            .args(["--fix", "--dry-run"])
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--dry-run"));
    }
    p.check()
        .args(["--fix", "--dry-run"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("nothing to fix"));
}

#[test]
fn a_link_listed_twice_is_reported_drawn_once_and_counted_once() {
    // `supports: [top, top]` passed the check, was drawn as two arrows, and `--depth 0`
    // said "+2 linked claims not shown" for one claim.
    let p = project(
        "  - id: top\n    text: Top [@src] [@a] [@b]\n  - id: r1\n    text: R1 [@src]\n    supports:\n      - top\n      - top\n  - id: r2\n    text: R2 [@src]\n    supports: [top, top]   # twice\n    attacks: [r1, r1]\n",
    );
    let report = json_report(&p);
    assert_eq!(
        rules_of(&report),
        ["duplicate-link", "duplicate-link", "duplicate-link"],
        "{report:#}"
    );
    let dot = stdout(argmap().arg("dot").arg(p.path()));
    assert_eq!(dot.matches("\"m:r1\" -> \"m:top\"").count(), 1, "{dot}");
    assert_eq!(dot.matches("\"m:r2\" -> \"m:top\"").count(), 1, "{dot}");
    let shallow = stdout(argmap().args(["dot", "--depth", "0"]).arg(p.path()));
    assert!(shallow.contains("+2 linked claims not shown"), "{shallow}");
    // The safe fix removes each second entry with its separator, and nothing else.
    p.check().arg("--fix").assert().code(0);
    let fixed = fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap();
    assert!(
        fixed.ends_with(
            "    supports:\n      - top\n  - id: r2\n    text: R2 [@src]\n    supports: [top]   # twice\n    attacks: [r1]\n"
        ),
        "{fixed}"
    );
    // A comment between the two entries: removing the second would need the comment's
    // line judged too, so the finding carries no fix and `--fix` leaves the file alone.
    let commented = "  - id: top\n    text: Top [@src] [@a] [@b]\n  - id: r1\n    text: R1 [@src]\n    supports:\n      - top   # first\n      - top\n";
    let p = project(commented);
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["duplicate-link"], "{report:#}");
    assert_eq!(
        report["diagnostics"][0]["fixes"],
        serde_json::json!([]),
        "{report:#}"
    );
    p.check().arg("--fix").assert().code(0);
    let kept = fs::read_to_string(p.path().join("arguments/m.yaml")).unwrap();
    assert!(kept.ends_with(&commented[commented.len() - 40..]), "{kept}");
}

#[test]
fn a_doi_cache_that_is_a_fifo_is_left_alone_not_read_forever() {
    // The relative of a FIFO `argmap.toml`: the cache was read (and its head sniffed)
    // without asking what it is.
    let p = project("  - id: x\n    text: X [@src] [@a] [@b]\n").with(
        "references/r.yaml",
        "references:\n  - {id: src, type: book, title: S, DOI: 10.5555/x}\n  - {id: a, type: book, title: A}\n  - {id: b, type: book, title: B}\n",
    );
    fs::create_dir_all(p.path().join(".argmap")).unwrap();
    assert!(mkfifo(&p.path().join(".argmap/doi-cache.json")), "mkfifo");
    argmap()
        .arg("resolve")
        .arg(p.path())
        .args([
            "--resolver",
            "http://127.0.0.1:9",
            "--retries",
            "0",
            "--no-updates",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(0)
        .stderr(predicates::str::contains("is not a regular file"));
}

#[test]
fn a_long_claim_id_is_not_repeated_in_full_in_each_finding() {
    // The relative of the long `page` field: a claim's id is named in the finding of each
    // of its citations and links, so a 50 KB id made output quadratic.
    let id = "x".repeat(50_000);
    let cites = "[@nosuch] ".repeat(2_000);
    let links = vec!["gone"; 500].join(", ");
    let p = project(&format!(
        "  - id: {id}\n    text: X {cites}\n    supports: [{links}]\n  - id: y\n    text: Y [@src] [@a] [@b]\n    supports: [{id}]\n"
    ));
    let out = p.check().args(["--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["diagnostics"].as_array().unwrap().len();
    assert_eq!(findings, 2_500);
    let per_finding = out.stdout.len() / findings;
    assert!(per_finding < 2_000, "{per_finding} bytes a finding");
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("claim `{}…`", "x".repeat(100))),
        "{message}"
    );
}

#[test]
fn dot_shows_a_few_findings_not_thousands() {
    // Every finding of the check was rendered on stderr before drawing: 83,000 warnings
    // of a large corpus took longer than the diagram.
    let claims: String = (0..30)
        .map(|i| format!("  - id: c{i}\n    text: C [@src]\n"))
        .collect();
    let p = project(&format!(
        "{claims}  - id: top\n    text: Top [@src] [@a] [@b]\n"
    ));
    let out = argmap().arg("dot").arg(p.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("isolated-claim\n").count(), 20, "{stderr}");
    assert!(stderr.contains("0 errors, 31 warnings"), "{stderr}");
    assert!(
        stderr.contains("11 more findings not shown; `argmap check` lists them all"),
        "{stderr}"
    );
}

#[test]
fn locators_that_run_on_are_checked_by_the_page_they_name() {
    // `p. 300ff.` and `p. 300+` were not read as locators at all (the mark after the
    // number stopped the parser), so an out-of-range page passed.
    let p = Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n  - {id: w, type: book, title: W, page: 85-101}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\nsource: src\nclaims:\n  - id: x\n    text: \"X [@src] [@w, p. 300ff.] [@w, p. 300+] [@w, pp. 90f.] [@w, p. 95ff., emphasis added]\"\n",
        );
    let report = json_report(&p);
    let cited: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        cited,
        [("locator-out-of-range", 26), ("locator-out-of-range", 42)],
        "{report:#}"
    );
}

// ---- found by make mutants ----

/// Tarjan's numbering could go wrong without any test failing: a cycle that does not pass
/// through the claim a search starts from (here `a`, which supports into it) must be found.
#[test]
fn a_cycle_away_from_the_first_claim_is_found() {
    let p = project(
        "  - id: top\n    text: T [@src]\n  - id: a\n    text: A [@a]\n    supports: [top, b]\n  - id: b\n    text: B [@b]\n    supports: [c]\n  - id: c\n    text: C [@a]\n    supports: [b]\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), ["circular-support"], "{report:#}");
    assert_eq!(
        report["diagnostics"][0]["message"],
        "circular support: b → c → b"
    );
}

/// The tree reader (which reads a file the fast reader gives up on, here for its anchor)
/// read a number too large for a float as infinity: the claim id `1e310` became `.inf`, an
/// invalid id, where the fast reader kept `1e310`.
#[test]
fn a_number_too_large_for_a_float_keeps_its_spelling_in_either_reader() {
    let p = project(
        "  - id: 1e310\n    text: &t T [@src]\n  - id: x\n    text: X [@a] [@b]\n    supports: [1e310]\n",
    );
    let report = json_report(&p);
    assert_eq!(rules_of(&report), Vec::<String>::new(), "{report:#}");
}

// ---- DOI resolution ----

mod doi {
    use crate::common::doi::*;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer};

    /// A "does not exist" from one resolver is never served to a run against another.
    #[tokio::test]
    async fn cached_answers_are_keyed_by_the_resolver_that_gave_them() {
        let test_resolver = MockServer::start().await;
        let real = MockServer::start().await;
        let doi = "10.5555/exists";
        mount_handle(&test_resolver, doi, handle_not_found(doi)).await;
        mount_handle(&real, doi, handle_found(doi)).await;
        let root = project(&[r("ref", doi)]);
        let first = resolve_json(root.path(), &test_resolver.uri(), &["--no-metadata"], 1).await;
        assert_eq!(
            statuses(&first),
            [("ref".to_owned(), "not-found".to_owned())]
        );
        let second = resolve_json(root.path(), &real.uri(), &["--no-metadata"], 0).await;
        assert_eq!(
            statuses(&second),
            [("ref".to_owned(), "verified".to_owned())]
        );
        assert_eq!(requests(&real).await, 1, "the other resolver was asked");
    }

    /// A server whose headers overflow the client's limit is unverified, and says why.
    #[tokio::test]
    async fn oversized_response_headers_are_named_as_such() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let mut buf = [0; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nX-Big: ");
                let _ = stream.write_all(&vec![b'a'; 2 << 20]);
                let _ = stream.write_all(b"\r\nContent-Length: 2\r\n\r\n{}");
            }
        });
        let root = project(&[r("ref", "10.5555/x")]);
        let doc = resolve_json(
            root.path(),
            &format!("http://{address}"),
            &["--no-metadata", "--retries", "0", "--no-cache"],
            0,
        )
        .await;
        assert_eq!(
            statuses(&doc),
            [("ref".to_owned(), "unverified".to_owned())]
        );
        let detail = doc["dois"][0]["detail"].as_str().unwrap();
        assert!(detail.contains("response headers are larger"), "{detail}");
    }

    /// `.` and `..` segments are sent as written, never resolved away by the URL.
    #[tokio::test]
    async fn dot_segments_of_a_doi_are_requested_as_written() {
        let server = MockServer::start().await;
        for doi in ["10.5555/./x", "10.5555/a/../../../evil"] {
            let encoded = doi.replace('/', "%2F");
            Mock::given(method("GET"))
                .and(path(format!("/api/handles/{encoded}")))
                .respond_with(handle_not_found(doi))
                .mount(&server)
                .await;
        }
        let root = project(&[r("dot", "10.5555/./x"), r("up", "10.5555/a/../../../evil")]);
        let doc = resolve_json(root.path(), &server.uri(), &["--no-metadata"], 1).await;
        assert_eq!(
            statuses(&doc),
            [
                ("dot".to_owned(), "not-found".to_owned()),
                ("up".to_owned(), "not-found".to_owned())
            ]
        );
        let asked = requested_paths(&server).await;
        assert_eq!(
            asked.len(),
            2,
            "nothing but the two DOIs was requested: {asked:?}"
        );
        assert!(
            asked
                .iter()
                .all(|p| p.starts_with("/api/handles/10.5555%2F")),
            "{asked:?}"
        );
    }
}

/// An `@` where pandoc reads no citation is never an `unknown-reference`: in a URL, a code
/// span, math, raw HTML or TeX, a footnote marker, an escape; and a citation in another's
/// suffix is one.
#[test]
fn no_false_unknown_reference_where_pandoc_reads_no_citation() {
    let text = r#"    text: 'See [the post](https://medium.com/@doe99 "by @doe99"), <https://x.org/@y>,
      `@code`, $@math$, <a href="@attr">x</a> <!-- @comment -->, \cite{tex}, [^@note],
      \@escaped, ![img](img/@x.png), mail info@example.org [@src, contra @a].'
"#;
    let p = project(&format!("  - id: x\n{text}"));
    let report = json_report(&p);
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    // `b` is cited nowhere; `a`, cited in `src`'s suffix, is.
    assert_eq!(rules, ["unused-reference"], "{report}");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`b`")
    );
}

/// `cut-citation-key`'s fix braces the key where it is written as is, and only there: a key
/// spelt through a YAML escape gets the finding but no fix.
#[test]
fn cut_citation_key_is_fixed_only_where_spelt_as_is() {
    let p = Project::empty()
        .with(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: S}\n  - {id: a--b, type: book, title: A}\n",
        )
        .with(
            "arguments/m.yaml",
            "title: T\nsource: src\nclaims:\n  - id: x\n    text: X [@src] [@a--b].\n  - id: y\n    text: \"Y [@src] [@a\\x2d-b].\"\n",
        );
    let report = json_report(&p);
    let cut: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "cut-citation-key")
        .collect();
    assert_eq!(cut.len(), 2, "{report}");
    let fix = &cut[0]["fixes"][0];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["replacement"], "@{a--b}");
    assert_eq!(cut[1]["fixes"].as_array().unwrap().len(), 0, "{report}");
}
