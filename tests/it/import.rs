//! `argmap import FILE.bib|FILE.json` through the binary: BibTeX's accents, braces, `--`
//! ranges, `and` names, `@string` macros, months, DOIs, URLs and types as CSL-YAML, keys
//! kept as ids, what could not be said reported, the file's text kept, and the imported
//! references passing `argmap check` with no finding.

use std::path::Path;

use crate::common::{Project, argmap};

const REFS: &str = "# Kept as it is.\nreferences:\n  - id: paper\n    type: article-journal\n    title: The paper\n    author: [{family: Author, given: A.}]\n    issued: {date-parts: [[2020]]}\n";

const BIB: &str = r#"% A comment BibTeX ignores.
@string{cr = "China Report"}
@string{jan = "January"}

@article{song2014,
  author  = {Song, Weiqing and M{\"u}ller, J{\"o}rg and van der Berg, Anna},
  title   = {{Russia}'s {SCO} policy: from {\"O}sterreich to {\'E}cole},
  journal = cr,
  year    = {2014},
  month   = mar,
  volume  = {50},
  number  = {1},
  pages   = {85--101},
  doi     = {10.1177/0009445514523646},
  url     = {https://example.org/song},
  file    = {song.pdf},
  keywords = {sco, russia},
}

@book{allison2018,
  editor    = {Allison, Roy},
  title     = {Russia and Central Asia},
  publisher = {Routledge},
  address   = {London},
  date      = {2018-05-03},
  isbn      = {978-0-00-000000-0},
}

@inproceedings{lee2019,
  author    = {Lee, Kim and {Shanghai Institute}},
  title     = {Cooperation},
  booktitle = {Proceedings of the Conference},
  year      = 2019,
  pages     = {1--10},
}

@phdthesis{doe2020, author = {Doe, Jane}, title = {A Thesis}, school = {MIT}, year = {2020}}
@misc{paper, title = {Already there}}
"#;

fn project(cites: &[&str]) -> Project {
    let keys: Vec<String> = cites.iter().map(|k| format!("@{k}")).collect();
    let map = format!(
        "title: M\nsource: paper\nclaims:\n  - id: thesis\n    text: The thesis [@paper].\n  - id: reason\n    text: Reasons [{}].\n    supports: [thesis]\n",
        keys.join("; ")
    );
    Project::empty()
        .with("references/refs.yaml", REFS)
        .with("arguments/m.yaml", map)
}

fn import(root: &Path, file: &Path, args: &[&str]) -> std::process::Output {
    argmap()
        .arg("import")
        .arg(file)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn check_clean(root: &Path) {
    let out = argmap()
        .arg("check")
        .arg(root)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("0 errors, 0 warnings"), "{report}");
}

#[test]
fn bibtex_entries_become_csl_yaml_that_passes_the_check() {
    let p = project(&["song2014", "allison2018", "lee2019", "doe2020"]).with("refs.bib", BIB);
    let out = import(p.path(), &p.path().join("refs.bib"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("`paper` is already in references/refs.yaml (as `paper`): not imported"),
        "{stderr}"
    );
    assert!(stderr.contains("`song2014`: not kept: file"), "{stderr}");
    assert!(
        stderr.contains("imported 4 references into references/refs.yaml"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap();
    assert!(text.starts_with(REFS), "the file's text is kept");
    let song = "  - id: song2014
    type: article-journal
    title: \"Russia's SCO policy: from Österreich to École\"
    author:
      - {family: Song, given: Weiqing}
      - {family: Müller, given: Jörg}
      - {family: Berg, given: Anna, non-dropping-particle: van der}
    issued: {date-parts: [[2014, 3]]}
    container-title: China Report
    volume: \"50\"
    issue: \"1\"
    page: \"85-101\"
    DOI: 10.1177/0009445514523646
    URL: https://example.org/song
    keyword: sco, russia
";
    assert!(text.contains(song), "{text}");
    assert!(text.contains("  - id: allison2018\n    type: book\n    title: Russia and Central Asia\n    editor:\n      - {family: Allison, given: Roy}\n    issued: {date-parts: [[2018, 5, 3]]}\n    publisher: Routledge\n    publisher-place: London\n"), "{text}");
    assert!(text.contains("    ISBN: \"978-0-00-000000-0\"\n"), "{text}");
    assert!(
        text.contains("  - id: lee2019\n    type: paper-conference\n"),
        "{text}"
    );
    assert!(
        text.contains("      - {family: Shanghai Institute}\n"),
        "{text}"
    );
    assert!(
        text.contains("    container-title: Proceedings of the Conference\n"),
        "{text}"
    );
    assert!(
        text.contains("  - id: doe2020\n    type: thesis\n"),
        "{text}"
    );
    assert!(
        text.contains("    publisher: MIT\n    genre: PhD thesis\n"),
        "{text}"
    );
    check_clean(p.path());
    // Again: every key is there now.
    let out = import(p.path(), &p.path().join("refs.bib"), &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to import"));
    assert_eq!(
        std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
        text
    );
}

#[test]
fn csl_json_items_keep_every_variable_and_say_what_they_cannot() {
    let json = serde_json::json!([
        {"id": "frank1970", "type": "journal-article", "title": "The Structure of Ordinary Water",
         "author": [{"family": "Frank", "given": "Henry S.", "suffix": "Jr."}],
         "issued": {"date-parts": [["1970", "8", "14"]]}, "container-title": ["Science"],
         "volume": 169, "page": "635-641", "DOI": "10.1126/science.169.3946.635",
         "custom": {"x": 1}, "made-up": "value"},
        {"type": "book", "title": "No id here", "author": [{"literal": "World Bank"}],
         "issued": {"date-parts": [[2019]]}},
    ]);
    let p = project(&["frank1970", "worldbank2019"]).with("items.json", json.to_string());
    let out = import(p.path(), &p.path().join("items.json"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("`frank1970`: author: suffix"), "{stderr}");
    assert!(
        stderr.contains("`frank1970`: custom (structured)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`frank1970`: made-up (no CSL variable)"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap();
    assert!(text.contains("  - id: frank1970\n    type: article-journal\n    title: The Structure of Ordinary Water\n"), "{text}");
    assert!(text.contains("    issued: {date-parts: [[1970, 8, 14]]}\n    container-title: Science\n    volume: \"169\"\n"), "{text}");
    assert!(text.contains("  - id: worldbank2019\n"), "{text}");
    check_clean(p.path());
}

#[test]
fn dry_run_and_bad_files() {
    let p = project(&[]).with("refs.bib", BIB);
    let out = import(p.path(), &p.path().join("refs.bib"), &["--dry-run"]);
    assert!(out.status.success());
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+  - id: song2014\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
        REFS
    );
    for (name, content, said) in [
        (
            "broken.bib",
            "@article{x, title = {unclosed}",
            "is not BibTeX argmap can read: line 1",
        ),
        ("broken.json", "{not json", "is not JSON"),
        ("number.json", "42", "holds no CSL-JSON items"),
    ] {
        let p = project(&[]).with(name, content);
        let out = import(p.path(), &p.path().join(name), &[]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(said),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
            REFS
        );
    }
    let out = import(p.path(), &p.path().join("missing.bib"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = import(p.path(), Path::new("/dev/null"), &[]);
    assert_eq!(out.status.code(), Some(2));
}
