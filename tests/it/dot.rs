//! `argmap dot` as a process: the DOT it prints, what real Graphviz makes of it, exit codes.
//!
//! These tests run Graphviz's `dot` (Debian package `graphviz`) and fail without it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use crate::common::{MAP, Project, argmap};
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dot")
        .join(name)
}

/// `argmap dot ROOT ARGS...`, which must succeed; its stdout.
fn dot_of(root: &Path, args: &[&str]) -> String {
    let out = argmap().arg("dot").arg(root).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "argmap dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Renders DOT with the real Graphviz and returns the SVG, failing on a non-zero exit
/// or on anything Graphviz writes to stderr (its warnings).
fn render_svg(dot: &str) -> String {
    use std::io::Write;
    let mut child = Process::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz's `dot` must be installed (apt-get install graphviz)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {stderr}\n{dot}");
    assert!(stderr.is_empty(), "dot warned: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Undoes XML escaping as SVG readers do.
fn xml_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';').expect("entity end") + amp;
        let entity = &rest[amp + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if entity.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap()
            }
            _ if entity.starts_with('#') => char::from_u32(entity[1..].parse().unwrap()).unwrap(),
            _ => panic!("unknown entity &{entity};"),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of every `<text>` element of an SVG: what the picture shows.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let start = t.find('>').unwrap() + 1;
            let end = t.find("</text>").unwrap();
            xml_unescape(&t[start..end])
        })
        .collect()
}

/// The tooltips (`xlink:title`) of an SVG.
fn svg_tooltips(svg: &str) -> Vec<String> {
    svg.split("xlink:title=\"")
        .skip(1)
        .map(|t| xml_unescape(&t[..t.find('"').unwrap()]))
        .collect()
}

#[test]
fn small_fixture_dot_is_stable() {
    let dot = dot_of(&fixture("small"), &[]);
    insta::assert_snapshot!("small_all_maps", dot);
    let dot = dot_of(
        &fixture("small"),
        &["--map", "main", "--citations", "nodes"],
    );
    insta::assert_snapshot!("small_main_citation_nodes", dot);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let first = dot_of(&fixture("small"), &[]);
    for _ in 0..3 {
        assert_eq!(dot_of(&fixture("small"), &[]), first);
    }
}

#[test]
fn every_option_renders_without_graphviz_warnings() {
    let root = fixture("small");
    for args in [
        &[][..],
        &["--map", "main"],
        &["--map", "side"],
        &["--map", "main", "--map", "side"],
        &["--citations", "nodes"],
        &["--citations", "none", "--no-sections"],
        &["--sections"],
        &["--sections", "--rankdir", "BT"],
        &["--rankdir", "TB", "--wrap", "20"],
        &["--rankdir", "lr"],
        &["--rankdir", "RL", "--depth", "0"],
    ] {
        let texts = svg_texts(&render_svg(&dot_of(&root, args)));
        assert!(texts.iter().any(|t| t.contains("SCO serves")), "{args:?}");
    }
}

#[test]
fn bundled_maps_render_without_graphviz_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let maps: Vec<String> = fs::read_dir(root.join("arguments"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    assert!(!maps.is_empty());
    render_svg(&dot_of(root, &["--citations", "nodes"]));
    for map in &maps {
        render_svg(&dot_of(root, &["--map", map]));
        render_svg(&dot_of(
            root,
            &["--map", map, "--depth", "1", "--no-sections"],
        ));
    }
}

/// Quotes, backslashes and Graphviz escapes (`\N`, `\G`, `\n`), markup and entities,
/// braces, brackets, pipes, non-ASCII and control characters, in titles, claims,
/// sections, quotes, reference names, keys and URLs: all shown as written.
#[test]
fn hostile_text_comes_out_literally_in_the_svg() {
    let root = fixture("hostile");
    let thesis = "Quote \"q\" back\\slash \\N \\G \\n <b>bold</b> &amp; & {braces} [brackets] \
                  |pipe| é 日本語 🙂 bell\u{7} del\u{7F} end\\";
    let quote = "A \"quoted\" line \\ with a backslash,\nand a second line <with> &amp; markup.";
    for citations in ["inline", "nodes", "none"] {
        // Sections too (their titles are text to escape), which are not drawn by default.
        let svg = render_svg(&dot_of(&root, &["--citations", citations, "--sections"]));
        let texts = svg_texts(&svg);
        // Control characters cannot appear in SVG: they are drawn as control pictures.
        let visible = thesis
            .replace('\u{7}', "\u{2407}")
            .replace('\u{7F}', "\u{2421}");
        for line in argmap::dot::wrap(&visible, 40) {
            assert!(texts.contains(&line), "{line:?} not in {texts:#?}");
        }
        for expected in [
            "Title \"quoted\" \\N \\G <b>&amp;</b> {x} | 日本語 🙂",
            "O'Brien & <Sons> \\G 2020",
            "Sec <1> & \"2\" \\ {3}",
            "Tab here, \\\\ two backslashes, trailing \\",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected:?} not in {texts:#?}"
            );
        }
        let tooltips = svg_tooltips(&svg);
        let expected = format!("{visible}\n\n“{quote}”\n\n(Ünï & {{b}} 'q' [x]:thesis)");
        assert!(
            tooltips.contains(&expected),
            "{expected:?} not in {tooltips:#?}"
        );
        match citations {
            "inline" => assert!(texts.iter().any(|t| t == "Ünïcødé 日本語 1999, pp. 5-6")),
            "nodes" => {
                assert!(texts.iter().any(|t| t == "Ünïcødé 日本語 1999"));
                assert!(
                    texts
                        .iter()
                        .any(|t| t.starts_with("Ti\"tle\\ {with} [all] |of| <them> &"))
                );
            }
            _ => assert!(!texts.iter().any(|t| t.contains("Ünïcødé"))),
        }
        if citations != "none" {
            assert!(
                svg.contains("xlink:href=\"http://example.org/a%20b%22c%3Cd%3E%5Ce?x=1&amp;y=2\"")
            );
        }
    }
}

#[test]
fn map_selection_and_cross_map_links() {
    let dot = dot_of(&fixture("small"), &["--map", "side"]);
    // The linked claim of `main` is drawn as context, dashed, naming its map.
    assert!(dot.contains("\"side:echo\" -> \"main:thesis\""));
    let thesis = dot
        .lines()
        .find(|l| l.starts_with("  \"main:thesis\" [style=\"rounded,filled,dashed\""))
        .expect(&dot);
    assert!(
        thesis.contains("<I>A small argument, Author 2020</I>"),
        "{thesis}"
    );
    assert!(!dot.contains("main:trade"));
}

#[test]
fn unknown_map_is_a_usage_error_with_a_suggestion() {
    argmap()
        .args(["dot"])
        .arg(fixture("small"))
        .args(["--map", "mian"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no map named `mian` (did you mean `main`?)",
        ));
}

#[test]
fn missing_root_fails_with_status_2() {
    argmap()
        .args(["dot", "/nonexistent/argmap-root"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn writes_to_a_file_atomically_with_o() {
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("diagram.dot");
    fs::write(&target, "old content").unwrap();
    argmap()
        .arg("dot")
        .arg(fixture("small"))
        .arg("-o")
        .arg(&target)
        .assert()
        .success()
        .stdout("");
    let written = fs::read_to_string(&target).unwrap();
    assert_eq!(written, dot_of(&fixture("small"), &[]));
    // Nothing left behind but the diagram.
    let names: Vec<_> = fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["diagram.dot"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o044,
            0o044,
            "a diagram is readable by others: {mode:o}"
        );
    }
}

#[test]
fn unwritable_output_fails_with_status_2_and_leaves_nothing() {
    let out_dir = tempfile::tempdir().unwrap();
    fs::create_dir(out_dir.path().join("folder.dot")).unwrap();
    for target in ["missing/diagram.dot", "folder.dot"] {
        argmap()
            .arg("dot")
            .arg(fixture("small"))
            .arg("-o")
            .arg(out_dir.path().join(target))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot write"));
    }
    // No folder made, no temporary file left, the folder untouched.
    let names: Vec<_> = fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["folder.dot"]);
    assert_eq!(
        fs::read_dir(out_dir.path().join("folder.dot"))
            .unwrap()
            .count(),
        0
    );
}

/// Each undrawable finding stops the drawing of the map it is in.
#[test]
fn each_undrawable_finding_stops_the_drawing() {
    let refs = "references:\n  - {id: paper, type: book, title: P}\n";
    for (rule, map) in [
        (
            "duplicate-claim-id",
            "title: T\nsource: paper\nclaims:\n  - id: a\n    text: A [@paper]\n  - id: a\n    text: B [@paper]\n",
        ),
        (
            "dangling-link",
            "title: T\nsource: paper\nclaims:\n  - id: a\n    text: A [@paper]\n    supports: [nowhere]\n",
        ),
        (
            "schema",
            "title: T\nsource: paper\nclaims:\n  - id: a\n    txet: A [@paper]\n",
        ),
        ("yaml-syntax", "title: [T\n"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("arguments")).unwrap();
        fs::create_dir_all(dir.path().join("references")).unwrap();
        fs::write(dir.path().join("references/r.yaml"), refs).unwrap();
        fs::write(dir.path().join("arguments/m.yaml"), map).unwrap();
        let out = argmap().arg("dot").arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{rule}");
        assert!(out.stdout.is_empty(), "{rule}: nothing is drawn");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(rule),
            "{rule}"
        );
    }
}

#[test]
fn undrawable_map_stops_with_its_diagnostics() {
    let project = Project::valid().with(
        "arguments/m.yaml",
        format!("{MAP}  - id: stray\n    text: Stray [@paper].\n    supports: [nowhere]\n"),
    );
    argmap()
        .arg("dot")
        .arg(project.path())
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("dangling-link"));
}

#[test]
fn problems_in_maps_the_diagram_does_not_touch_do_not_stop_it() {
    let project = Project::valid()
        .with(
            "arguments/other.yaml",
            "title: Other\nsource: paper\nclaims:\n  - id: x\n",
        )
        .with("arguments/broken.yaml", "title: [unclosed\n");
    // `m` neither links to nor is linked from the broken maps.
    let out = argmap()
        .arg("dot")
        .arg(project.path())
        .args(["--map", "m"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema") && stderr.contains("yaml-syntax"),
        "{stderr}"
    );
    render_svg(&String::from_utf8(out.stdout).unwrap());
    // Drawing everything includes them, and naming a broken map draws nothing.
    argmap()
        .arg("dot")
        .arg(project.path())
        .assert()
        .code(1)
        .stdout("");
    argmap()
        .arg("dot")
        .arg(project.path())
        .args(["--map", "broken"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("yaml-syntax"));
}

#[test]
fn other_findings_are_shown_and_the_diagram_still_drawn() {
    // An unknown reference is an error for `argmap check`, not a reason not to draw.
    let project = Project::valid().with(
        "arguments/m.yaml",
        MAP.replace("[@song2014, p. 3]", "[@nosuchwork, p. 3]"),
    );
    let out = argmap().arg("dot").arg(project.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown-reference"));
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.contains("@nosuchwork, p. 3"), "{dot}");
    render_svg(&dot);
}

#[test]
fn help_lists_the_options() {
    argmap().args(["dot", "--help"]).assert().success().stdout(
        predicate::str::contains("--map <NAME>")
            .and(predicate::str::contains("--wrap <N>"))
            .and(predicate::str::contains("--rankdir <RANKDIR>"))
            .and(predicate::str::contains("--citations <CITATIONS>"))
            .and(predicate::str::contains("--depth <N>"))
            .and(predicate::str::contains("--focus <CLAIM>"))
            .and(predicate::str::contains("--sections"))
            .and(predicate::str::contains("--list-conclusions")),
    );
}

/// `argmap dot ROOT --list-conclusions ARGS...`: its lines.
fn conclusions_of(root: &Path, args: &[&str]) -> Vec<String> {
    dot_of(root, &[&["--list-conclusions"], args].concat())
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn list_conclusions_names_each_conclusion_once_in_file_order() {
    let root = fixture("small");
    // side:echo supports main:thesis: not a conclusion.
    assert_eq!(conclusions_of(&root, &[]), ["main:thesis"]);
    assert_eq!(conclusions_of(&root, &["--map", "main"]), ["main:thesis"]);
    assert_eq!(
        conclusions_of(&root, &["--map", "side"]),
        Vec::<String>::new()
    );
    let project = Project::valid().with(
        "arguments/z.yaml",
        "title: Z\nsource: paper\nclaims:\n  - id: Ünï_2\n    text: Z one [@paper].\n  \
         - id: b-1\n    text: Z two [@paper].\n    supports: [\"m:thesis\"]\n  \
         - id: c\n    text: Z three [@paper].\n",
    );
    assert_eq!(
        conclusions_of(project.path(), &[]),
        ["m:thesis", "z:Ünï_2", "z:c"]
    );
    argmap()
        .arg("dot")
        .arg(&root)
        .args(["--list-conclusions", "--map", "mian"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("did you mean `main`?"));
    argmap()
        .arg("dot")
        .arg(&root)
        .args(["--list-conclusions", "--focus", "main:thesis"])
        .assert()
        .code(2)
        .stdout("");
}

/// What `make diagrams` does: each listed conclusion drawn alone, named after it, and
/// rendered by the real Graphviz.
#[test]
fn each_listed_conclusion_draws_its_argument() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = conclusions_of(root, &[]);
    assert!(listed.len() >= 2, "{listed:?}");
    let out = tempfile::tempdir().unwrap();
    for claim in &listed {
        let (map, id) = claim.rsplit_once(':').unwrap();
        // A claim id is a safe file name: one path component, no dot.
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_'),
            "{claim}"
        );
        fs::create_dir_all(out.path().join(map)).unwrap();
        let path = out.path().join(map).join(format!("{id}.dot"));
        argmap()
            .arg("dot")
            .arg(root)
            .args(["--focus", claim, "-o"])
            .arg(&path)
            .assert()
            .success();
        let dot = fs::read_to_string(&path).unwrap();
        // The claim, bold and ranked first; nothing that bears on no claim of it.
        assert!(
            dot.contains(&format!("{{ rank=max; \"{claim}\" }}")),
            "{claim}"
        );
        assert!(!dot.contains("Aims and framing"), "{claim}");
        render_svg(&dot);
    }
}

/// A name that is no claim id (`..`, a slash) is a schema error, which stops the list as it
/// stops a drawing: what is listed is always safe to name a file after.
#[test]
fn list_conclusions_stops_on_an_undrawable_map() {
    for id in ["\"..\"", "a/b", "\"\""] {
        let project = Project::valid().with(
            "arguments/m.yaml",
            format!("title: T\nsource: paper\nclaims:\n  - id: {id}\n    text: A [@paper].\n"),
        );
        argmap()
            .arg("dot")
            .arg(project.path())
            .arg("--list-conclusions")
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("schema"));
    }
}

#[test]
fn sections_are_opt_in_and_the_last_flag_wins() {
    let root = fixture("small");
    let clusters = |args: &[&str]| dot_of(&root, args).contains("label=<Findings>");
    assert!(!clusters(&["--map", "main"]));
    assert!(clusters(&["--map", "main", "--sections"]));
    assert!(!clusters(&["--map", "main", "--sections", "--no-sections"]));
    assert!(clusters(&["--map", "main", "--no-sections", "--sections"]));
}
