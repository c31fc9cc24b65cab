//! Bad input never panics and never hangs: each kind of hostile file gets a clear
//! diagnostic and the right exit code, through the binary.

use crate::common::{MAP, Project, json_report, rules_of};
use predicates::prelude::*;

fn first(report: &serde_json::Value) -> &serde_json::Value {
    &report["diagnostics"][0]
}

#[test]
fn malformed_yaml_is_a_syntax_error() {
    let p = Project::valid().with("arguments/m.yaml", "title: x\n  bad: indentation\n: :\n");
    p.check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("yaml-syntax"));
    let r = json_report(&p);
    assert_eq!(rules_of(&r), ["yaml-syntax"]);
    assert_eq!(first(&r)["file"], "arguments/m.yaml");
}

#[test]
fn binary_junk_is_reported_not_parsed() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let p = Project::valid().with("references/junk.yaml", junk);
    let r = json_report(&p);
    let rules = rules_of(&r);
    // The bytes are fixed, so is the verdict: the first bad byte is not UTF-8.
    assert_eq!(rules, ["invalid-utf8"]);
    p.check().assert().code(1);
}

#[test]
fn nul_bytes_in_utf8_text_are_a_syntax_error() {
    let p = Project::valid().with(
        "arguments/m.yaml",
        "title: a\0b\nsource: paper\nclaims: []\n",
    );
    p.check().assert().code(1);
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
}

#[test]
fn empty_files_are_schema_errors() {
    let p = Project::valid()
        .with("arguments/empty.yaml", "")
        .with("references/empty.yaml", "");
    let r = json_report(&p);
    assert_eq!(rules_of(&r), ["schema", "schema"]);
    assert!(
        first(&r)["message"]
            .as_str()
            .unwrap()
            .contains("found nothing")
    );
    p.check().assert().code(1);
}

#[test]
fn huge_files_are_refused_without_being_read() {
    let p = Project::valid();
    let file = std::fs::File::create(p.path().join("references/huge.yaml")).unwrap();
    file.set_len(50 << 20).unwrap(); // 50 MB, sparse
    let r = json_report(&p);
    assert_eq!(rules_of(&r), ["file-too-large"]);
    assert_eq!(first(&r)["line"], 1);
    let out = p.check().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "file_too_large_report",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = format!(
        "title: x\nsource: paper\nclaims: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let p = Project::valid().with("arguments/m.yaml", deep);
    p.check().assert().code(1);
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
    let block: String = (0..1000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    let p = Project::valid().with("arguments/m.yaml", block);
    p.check().assert().code(1);
}

#[test]
fn alias_bombs_are_refused() {
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let p = Project::valid().with("references/bomb.yaml", bomb);
    p.check().assert().code(1);
    assert_eq!(rules_of(&json_report(&p)), ["yaml-syntax"]);
}

#[test]
fn a_bom_is_skipped_and_positions_stay_right() {
    let text = format!("\u{feff}{}", MAP.replace("[@song2014, p. 3]", "[@nobody]"));
    let p = Project::valid().with("arguments/m.yaml", text);
    let r = json_report(&p);
    let unknown: Vec<_> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (unknown[0]["line"].as_u64(), unknown[0]["column"].as_u64()),
        (Some(7), Some(21))
    );
}

#[test]
fn crlf_line_ends_keep_positions_exact() {
    let text = MAP
        .replace("[@song2014, p. 3]", "[@nobody]")
        .replace('\n', "\r\n");
    let p = Project::valid().with("arguments/m.yaml", text);
    let r = json_report(&p);
    let d = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unknown-reference")
        .cloned()
        .unwrap();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(21))
    );
}

#[test]
fn latin1_text_is_an_encoding_error_at_the_bad_byte() {
    let p = Project::valid().with("arguments/m.yaml", b"title: Na\xefve map\n");
    let r = json_report(&p);
    assert_eq!(rules_of(&r), ["invalid-utf8"]);
    assert_eq!(
        (first(&r)["line"].as_u64(), first(&r)["column"].as_u64()),
        (Some(1), Some(10))
    );
}

#[test]
fn utf16_files_are_named_as_such() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("title: x\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let p = Project::valid().with("arguments/m.yaml", utf16);
    let r = json_report(&p);
    assert_eq!(rules_of(&r), ["invalid-utf8"]);
    assert!(first(&r)["help"].as_str().unwrap().contains("UTF-16"));
}

#[test]
fn hostile_text_in_claims_is_reported_verbatim_and_safely() {
    // The decoded key holds a raw ESC and BEL, and the key is in the message.
    let map = "title: x\nsource: paper\nclaims:\n  - id: a\n    text: \"<b>&amp; \\\" \\\\ [@{nobody\\u001b[31mred\\u0007}]\"\n";
    let p = Project::valid().with("arguments/h.yaml", map);
    let r = json_report(&p);
    let unknown = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unknown-reference")
        .expect("the hostile key is unknown");
    // JSON keeps the text exact...
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("nobody\u{1b}[31mred\u{7}")
    );
    // ...the human report shows the escape, never the raw byte.
    let out = p.check().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !out.stdout.contains(&0x1b),
        "raw ESC reached the terminal output"
    );
    assert!(
        !out.stdout.contains(&0x07),
        "raw BEL reached the terminal output"
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("nobody\\u{1b}[31mred\\u{7}")
    );
}

#[test]
fn wrong_types_everywhere_are_schema_errors_not_panics() {
    for (map, expected) in [
        ("- a\n- b\n", &["schema"][..]),
        ("title: [x]\nsource: {a: b}\nclaims: 5\n", &["schema"; 3]),
        (
            "title: x\nsource: p\nclaims: [5, [1], {id: [x], text: {a: 1}, cites: {a: b}, supports: 3}]\n",
            &[
                "unknown-source",
                "schema",
                "schema",
                "schema",
                "schema",
                "schema",
                "schema",
            ],
        ),
        (
            "title: x\nsource: p\nclaims:\n  - id: a\n    text: t\n    supports: [':', 'a:', ':b', '']\n",
            // Bad links lose no citation: the references nobody cites are still reported.
            &[
                "unknown-source",
                "uncited-claim",
                "schema",
                "schema",
                "schema",
                "schema",
                "unused-reference",
                "unused-reference",
            ],
        ),
        ("? [complex, key]\n: value\n", &["schema"; 4]),
        ("--- a\n--- b\n", &["yaml-syntax"]),
        ("!!binary aGVsbG8=\n", &["schema"]),
        // A merge key is read as YAML means it: the claim is there, citing `paper`.
        (
            "title: &x x\nsource: *x\nclaims: [{<<: {id: a, text: '[@paper]'}}]\n",
            &["unknown-source", "unused-reference"],
        ),
    ] {
        let p = Project::valid().with("arguments/m.yaml", map);
        let out = p.check().output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{map:?}: {out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        assert_eq!(rules_of(&json_report(&p)), expected, "{map:?}");
    }
    for (refs, expected) in [
        ("references: {id: x}\n", &["schema"][..]),
        (
            "references:\n  - 5\n  - id: [a]\n    type: 7\n    title: {a: b}\n    author: Smith\n    issued: {date-parts: x}\n",
            &["schema"; 6],
        ),
        (
            "references:\n  - id: a\n    type: book\n    title: t\n    author: [{given: Only}]\n    issued: {date-parts: [[99999999999]]}\n",
            &["unused-reference", "schema", "schema"],
        ),
        (
            "references:\n  - id: a\n    type: book\n    title: t\n    issued: '20xx'\n    DOI: [1]\n",
            &["unused-reference", "schema", "schema"],
        ),
    ] {
        let p = Project::valid().with("references/r.yaml", refs);
        let out = p.check().output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{refs:?}: {out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        assert_eq!(rules_of(&json_report(&p)), expected, "{refs:?}");
    }
}

/// Texts that make pandoc's reading backtrack without bound (groups in suffixes, brackets
/// left open, thousands deep) are read, each citation found, and the check ends.
#[test]
fn backtracking_citation_texts_are_read_and_end() {
    let texts = [
        "[@paper ".repeat(3000),
        "[@paper, [@paper, ".repeat(600),
        format!("{}@paper{}", "[".repeat(5000), "]".repeat(5000)),
        "<!-- @paper ".repeat(2000),
        "@paper [p. 3; @paper, ".repeat(2000),
        // Past the exact reading's limit: the linear reading reads each group alone.
        "[@paper] `x` ".repeat(20_000),
    ];
    let claims: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("  - id: c{i}\n    text: '{t}'\n"))
        .collect();
    let p = Project::valid().with(
        "arguments/h.yaml",
        format!("title: x\nsource: paper\nclaims:\n{claims}"),
    );
    let r = json_report(&p);
    // Every claim cites `paper`: none is uncited, and no key is unknown.
    let rules: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .filter(|r| *r == "uncited-claim" || *r == "unknown-reference")
        .collect();
    assert!(rules.is_empty(), "{rules:?}");
}
