//! `argmap eval` and `argmap export --format iccma` as processes: the labels of each
//! reading of supports, explanations, distrusted evidence, exit codes, and the grounded
//! labels held to crustabri's (an ICCMA solver, run as a separate program: it is GPL) on
//! the bundled maps and on generated frameworks.
//!
//! The crustabri tests need `crustabri` on PATH (or in cargo's bin folder): `make deps` and
//! `.ci/run` install it with `cargo install crustabri`. They fail without it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Project, argmap};

const REFS: &str = "references:
  - id: paper
    type: article-journal
    title: The paper
    author: [{family: Author, given: A.}]
    issued: {date-parts: [[2020]]}
";

fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `argmap eval ROOT --format json ARGS...`: the labels, by `map:id`.
fn labels(root: &Path, args: &[&str]) -> BTreeMap<String, String> {
    let out = argmap()
        .arg("eval")
        .arg(root)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "argmap eval failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let object = doc["labels"].as_object().expect("labels");
    assert_eq!(doc.as_object().unwrap().len(), 1, "one key: labels");
    let keys: Vec<&String> = object.keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "keys sorted");
    object
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn human(root: &Path, args: &[&str]) -> String {
    let out = argmap().arg("eval").arg(root).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A map of claims `(id, supports, attacks)`, each citing the paper.
fn map(claims: &[(&str, &[&str], &[&str])]) -> String {
    let mut yaml = String::from("title: M\nsource: paper\nclaims:\n");
    for (id, supports, attacks) in claims {
        yaml.push_str(&format!("  - id: {id}\n    text: Claim {id} [@paper].\n"));
        if !supports.is_empty() {
            yaml.push_str(&format!("    supports: [{}]\n", supports.join(", ")));
        }
        if !attacks.is_empty() {
            yaml.push_str(&format!("    attacks: [{}]\n", attacks.join(", ")));
        }
    }
    yaml
}

fn project(maps: &[(&str, String)]) -> Project {
    let mut p = Project::empty().with("references/refs.yaml", REFS);
    for (name, yaml) in maps {
        p = p.with(&format!("arguments/{name}.yaml"), yaml);
    }
    p
}

fn label_list(l: &BTreeMap<String, String>, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| l[&format!("m:{id}")].clone()).collect()
}

/// The README's examples of the three readings of supports.
#[test]
fn each_reading_of_supports_labels_as_documented() {
    // z attacks y; x supports y; y attacks c. a attacks x2; x2 supports c2.
    let p = project(&[(
        "m",
        map(&[
            ("z", &[], &["y"]),
            ("x", &["y"], &[]),
            ("y", &[], &["c"]),
            ("c", &[], &[]),
            ("a", &[], &["x2"]),
            ("x2", &["c2"], &[]),
            ("c2", &[], &[]),
        ]),
    )]);
    let ids = ["z", "x", "y", "c", "a", "x2", "c2"];
    let none = labels(p.path(), &["--support", "none"]);
    assert_eq!(
        label_list(&none, &ids),
        ["in", "in", "out", "in", "in", "out", "in"]
    );
    let supported = labels(p.path(), &[]);
    assert_eq!(supported, labels(p.path(), &["--support", "supported"]));
    assert_eq!(
        label_list(&supported, &ids),
        ["in", "in", "out", "out", "in", "out", "in"]
    );
    let deductive = labels(p.path(), &["--support", "deductive"]);
    assert_eq!(
        label_list(&deductive, &ids),
        ["in", "in", "out", "out", "in", "out", "out"]
    );
    // The human report explains each conclusion that is not in.
    let text = human(p.path(), &[]);
    assert!(
        text.contains("out        c: Claim c [@paper].\n             attacked by `x` (in): `x` supports `y`, which attacks it\n"),
        "{text}"
    );
    let text = human(p.path(), &["--support", "deductive"]);
    assert!(
        text.contains("attacked by `a` (in): `a` attacks `x2`, which supports it\n"),
        "{text}"
    );
    assert!(
        text.contains("supports read as `deductive`: 2 conclusions (0 in, 2 out, 0 undecided); 7 claims (3 in, 4 out, 0 undecided)"),
        "{text}"
    );
}

#[test]
fn a_mutual_attack_alone_is_undecided_and_says_by_whom() {
    let p = project(&[(
        "m",
        map(&[("a", &[], &["b"]), ("b", &[], &["a"]), ("c", &[], &[])]),
    )]);
    for support in ["none", "supported", "deductive"] {
        let l = labels(p.path(), &["--support", support]);
        assert_eq!(
            label_list(&l, &["a", "b", "c"]),
            ["undecided", "undecided", "in"]
        );
    }
    // Neither is a conclusion (each attacks the other); a third claim that `a` supports is.
    let p = project(&[(
        "m",
        map(&[("a", &["t"], &["b"]), ("b", &[], &["a"]), ("t", &[], &[])]),
    )]);
    let text = human(p.path(), &["--support", "none"]);
    assert!(text.contains("  in         t: Claim t"), "{text}");
    let text = human(p.path(), &["--support", "deductive"]);
    assert!(
        text.contains("attacked by `b` (undecided): `b` attacks `a`, which supports it"),
        "{text}"
    );
}

#[test]
fn links_across_maps_count_and_are_named_with_their_map() {
    let p = project(&[
        ("m", map(&[("thesis", &[], &[])])),
        ("n", map(&[("objection", &[], &["m:thesis"])])),
    ]);
    let l = labels(p.path(), &[]);
    assert_eq!(l["m:thesis"], "out");
    assert_eq!(l["n:objection"], "in");
    let text = human(p.path(), &[]);
    assert!(
        text.contains("attacked by `n:objection` (in): `n:objection` attacks it"),
        "{text}"
    );
}

/// Writing claims and links in another order changes no label.
#[test]
fn labels_do_not_depend_on_file_order() {
    let mut rng = fastrand::Rng::with_seed(23);
    for _ in 0..12 {
        let (claims, supports, attacks) = generate(&mut rng);
        let a = generated_project(claims, &supports, &attacks, false);
        let b = generated_project(claims, &supports, &attacks, true);
        for support in ["none", "supported", "deductive"] {
            assert_eq!(
                labels(a.path(), &["--support", support]),
                labels(b.path(), &["--support", support])
            );
        }
    }
}

#[test]
fn undrawable_maps_stop_it_and_bad_flags_are_usage_errors() {
    let p = project(&[("m", map(&[("a", &[], &["nowhere"])]))]);
    let out = argmap().arg("eval").arg(p.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dangling-link"));
    let out = argmap()
        .args(["export", "--format", "iccma"])
        .arg(p.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let p = project(&[("m", map(&[("a", &[], &[])]))]);
    let out = argmap()
        .arg("eval")
        .arg(p.path())
        .args(["--distrust", "retracted,bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no defect `bogus`"));
    let out = argmap()
        .arg("eval")
        .arg(p.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Distrusted evidence attacks a claim resting on it alone: a retracted work (from the
/// DOI cache), a DOI that does not exist, one the cache has no verdict on, a quote that is
/// not in the paper. A claim with any sound citation, or a supporting claim, stands.
#[test]
fn distrusted_evidence_attacks_the_claims_resting_on_it_alone() {
    let refs = "references:
  - id: paper
    type: article-journal
    title: The paper
    author: [{family: Author, given: A.}]
    issued: {date-parts: [[2020]]}
  - {id: gone, type: article-journal, title: Gone, DOI: 10.5555/gone}
  - {id: withdrawn, type: article-journal, title: Energy, DOI: 10.1000/182}
  - {id: unknown, type: article-journal, title: Unknown, DOI: 10.5555/never-asked}
  - {id: book, type: book, title: A book without a DOI}
";
    let yaml = "title: M
source: paper
claims:
  - id: thesis
    text: The thesis [@paper].
  - id: retracted-only
    text: Resting on a retracted work [@withdrawn].
    supports: [thesis]
  - id: gone-only
    text: Resting on a DOI that does not exist [@gone].
  - id: unverified-only
    text: Resting on a DOI nobody checked [@unknown].
  - id: also-a-book
    text: A retracted work and a sound book [@withdrawn; @book].
  - id: quoted
    text: The paper says so [@paper].
    quote: Words the paper never wrote
  - id: backed
    text: Retracted, but another claim supports it [@withdrawn].
  - id: backer
    text: A reason [@paper].
    supports: [backed]
";
    let p = Project::empty()
        .with("references/refs.yaml", refs)
        .with("arguments/m.yaml", yaml)
        .with(
            "sources/paper.txt",
            "The paper's text, which says other things.\n",
        );
    let checked = now() - 3600;
    let cache = serde_json::json!({
        "format": "argmap-doi-cache",
        "version": 3,
        "services": {
            "https://doi.org/": {
                "10.5555/gone": {"checked": checked, "status": "not-found"},
            },
            "crossref-rest https://api.crossref.org/": {
                "10.1000/182": {
                    "checked": checked,
                    "status": "crossref-work",
                    "work": {"doi": "10.1000/182", "metadata": {"title": "Energy"},
                             "updated_by": [{"doi": "10.1000/999", "kind": "retraction",
                                             "date": "2020-01-02", "sources": ["publisher"]}]},
                },
                "10.5555/gone": {"checked": checked, "status": "not-in-crossref"},
            },
        },
    });
    std::fs::create_dir(p.path().join(".argmap")).unwrap();
    std::fs::write(p.path().join(".argmap/doi-cache.json"), cache.to_string()).unwrap();
    let ids = [
        "thesis",
        "retracted-only",
        "gone-only",
        "unverified-only",
        "also-a-book",
        "quoted",
        "backed",
    ];
    // Trusting everything, everything is in.
    let trusting = labels(p.path(), &[]);
    assert!(trusting.values().all(|l| l == "in"), "{trusting:?}");
    let all = labels(
        p.path(),
        &["--distrust", "retracted,not-found,unverified,quote-missing"],
    );
    assert_eq!(
        label_list(&all, &ids),
        ["in", "out", "out", "out", "in", "out", "in"]
    );
    // Each defect alone attacks only its own claims.
    for (defect, out) in [
        ("retracted", "retracted-only"),
        ("not-found", "gone-only"),
        ("unverified", "unverified-only"),
        ("quote-missing", "quoted"),
    ] {
        let l = labels(p.path(), &["--distrust", defect]);
        let outs: Vec<&String> = l
            .iter()
            .filter(|(_, v)| *v == "out")
            .map(|(k, _)| k)
            .collect();
        assert_eq!(outs, [&format!("m:{out}")], "--distrust {defect}");
    }
    // Deductive: what a claim attacked by its evidence supports falls with it.
    let l = labels(
        p.path(),
        &["--distrust", "retracted", "--support", "deductive"],
    );
    assert_eq!(l["m:thesis"], "out");
    let text = human(
        p.path(),
        &["--distrust", "retracted", "--support", "deductive"],
    );
    assert!(
        text.contains(
            "attacked by its defect: `retracted-only`'s only support is distrusted evidence \
             (`@withdrawn` is retracted (retraction notice 10.1000/999 of 2020-01-02)): \
             `retracted-only` supports it"
        ),
        "{text}"
    );
    let text = human(p.path(), &["--distrust", "not-found,quote-missing"]);
    assert!(
        text.contains(
            "attacked by its defect: its only support is distrusted evidence (`@gone` has a \
             DOI that does not exist (10.5555/gone))"
        ),
        "{text}"
    );
    assert!(
        text.contains("(`@paper` is the paper, whose text does not hold the claim's quote)"),
        "{text}"
    );
    assert!(text.contains("distrusting not-found, quote-missing (2 claims resting on it alone)"));
    // Another cache, named: it has no verdicts, so only the unverified are out.
    let empty = p.path().join("empty-cache.json");
    let l = labels(
        p.path(),
        &[
            "--distrust",
            "retracted,not-found,unverified",
            "--cache",
            empty.to_str().unwrap(),
        ],
    );
    let outs: BTreeSet<&str> = l
        .iter()
        .filter(|(_, v)| *v == "out")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        outs,
        BTreeSet::from(["m:gone-only", "m:retracted-only", "m:unverified-only"])
    );
}

#[test]
fn the_bundled_maps_are_labelled() {
    let l = labels(&bundled(), &[]);
    assert!(l.len() > 100);
    assert!(
        l.keys().any(|k| k.starts_with("russia-sco:"))
            && l.keys().any(|k| k.starts_with("china-sco:"))
    );
    let text = human(&bundled(), &[]);
    assert!(text.contains("Russian engagement in the SCO (russia-sco)\n"));
    assert!(text.contains("thesis: "));
}

// crustabri

/// crustabri's binary: on PATH, or where `cargo install` puts it.
fn crustabri() -> PathBuf {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("crustabri"))
                .collect()
        })
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        candidates.push(home.join("bin/crustabri"));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .expect("crustabri must be installed: cargo install --locked crustabri (make deps does)")
}

/// crustabri's grounded labels of an ICCMA'23 framework: in (its grounded extension),
/// out (attacked by one in), undecided; by argument number (from 1).
fn crustabri_labels(iccma: &str) -> Vec<&'static str> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("af.i23");
    std::fs::write(&file, iccma).unwrap();
    let out = std::process::Command::new(crustabri())
        .args(["solve", "-p", "SE-GR", "--logging-level", "off", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "crustabri: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer = String::from_utf8(out.stdout).unwrap();
    let line = answer
        .lines()
        .find(|l| l.starts_with('w'))
        .expect("a `w` line");
    let n: usize = iccma
        .lines()
        .find_map(|l| l.strip_prefix("p af "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut labels = vec!["undecided"; n + 1];
    for arg in line.split_whitespace().skip(1) {
        labels[arg.parse::<usize>().unwrap()] = "in";
    }
    for l in iccma
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('p'))
    {
        let (a, b) = l.split_once(' ').unwrap();
        let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
        if labels[a] == "in" {
            assert_ne!(labels[b], "in", "crustabri's extension is conflict-free");
            labels[b] = "out";
        }
    }
    labels
}

/// `argmap export --format iccma`: the framework, and the claim of each number (from its
/// `#` comments).
fn export_iccma(root: &Path) -> (String, BTreeMap<usize, String>) {
    let out = argmap()
        .args(["export", "--format", "iccma"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let names = text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|l| {
            let (n, name) = l.split_once(' ')?;
            Some((n.parse().ok()?, name.to_owned()))
        })
        .collect();
    (text, names)
}

fn compare_with_crustabri(root: &Path) {
    let (iccma, names) = export_iccma(root);
    let theirs = crustabri_labels(&iccma);
    let ours = labels(root, &["--support", "none"]);
    assert_eq!(names.len(), ours.len(), "every claim is numbered");
    for (n, name) in &names {
        assert_eq!(ours[name], theirs[*n], "{name} (argument {n})");
    }
}

#[test]
fn grounded_labels_agree_with_crustabri_on_the_bundled_maps() {
    compare_with_crustabri(&bundled());
    let (_, names) = export_iccma(&bundled());
    let ours = labels(&bundled(), &["--support", "none"]);
    assert!(
        ours.values().any(|l| l == "out"),
        "the bundled maps have claims out"
    );
    assert_eq!(
        names.values().collect::<BTreeSet<_>>(),
        ours.keys().collect()
    );
}

type Links = Vec<(usize, usize)>;

/// A framework of 1 to 24 claims over two maps, with supports and attacks (cycles and
/// self-attacks among them).
fn generate(rng: &mut fastrand::Rng) -> (usize, Links, Links) {
    let n = rng.usize(1..25);
    let mut links = |count: usize| -> Links {
        (0..count)
            .map(|_| (rng.usize(..n), rng.usize(..n)))
            .collect()
    };
    let supports = links(n);
    let attacks = links(n * 3 / 2);
    (n, supports, attacks)
}

/// Claims `c0..`, the first half in map `a`, the rest in map `b`; `reversed` writes the
/// claims and each claim's links in the other order.
fn generated_project(n: usize, supports: &Links, attacks: &Links, reversed: bool) -> Project {
    let split = n.div_ceil(2);
    let name = |i: usize, here: usize| -> String {
        match (i < split, here < split) {
            (true, true) | (false, false) => format!("c{i}"),
            (true, false) => format!("a:c{i}"),
            (false, true) => format!("b:c{i}"),
        }
    };
    let mut maps = Vec::new();
    for (map, range) in [("a", 0..split), ("b", split..n)] {
        let mut claims: Vec<usize> = range.collect();
        if reversed {
            claims.reverse();
        }
        let mut yaml = String::from("title: M\nsource: paper\nclaims:\n");
        for &i in &claims {
            yaml.push_str(&format!("  - id: c{i}\n    text: Claim {i} [@paper].\n"));
            for (field, list) in [("supports", supports), ("attacks", attacks)] {
                let mut targets: Vec<String> = list
                    .iter()
                    .filter(|&&(from, _)| from == i)
                    .map(|&(_, to)| name(to, i))
                    .collect();
                if reversed {
                    targets.reverse();
                }
                if !targets.is_empty() {
                    yaml.push_str(&format!("    {field}: [{}]\n", targets.join(", ")));
                }
            }
        }
        if !claims.is_empty() {
            maps.push((map, yaml));
        }
    }
    project(&maps)
}

/// The attacks a reading of supports implies, materialised (the test may be quadratic).
fn implied(
    n: usize,
    supports: &Links,
    attacks: &Links,
    deductive: bool,
) -> BTreeSet<(usize, usize)> {
    // ancestors[x][a]: a reaches x along supports (x itself included).
    let mut ancestors = vec![vec![false; n]; n];
    for (x, row) in ancestors.iter_mut().enumerate() {
        row[x] = true;
        let mut todo = vec![x];
        while let Some(v) = todo.pop() {
            for &(a, b) in supports {
                if b == v && !row[a] {
                    row[a] = true;
                    todo.push(a);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for &(x, y) in attacks {
        for a in (0..n).filter(|&a| ancestors[x][a]) {
            for (c, row) in ancestors.iter().enumerate() {
                if c == y || (deductive && row[y]) {
                    out.insert((a, c));
                }
            }
        }
    }
    out
}

/// On generated frameworks: `--support none` against crustabri on argmap's own export,
/// and `supported` and `deductive` against crustabri on the implied attacks, made here.
#[test]
fn grounded_labels_agree_with_crustabri_on_generated_frameworks() {
    let mut rng = fastrand::Rng::with_seed(2023);
    for _ in 0..25 {
        let (n, supports, attacks) = generate(&mut rng);
        let p = generated_project(n, &supports, &attacks, false);
        compare_with_crustabri(p.path());
        let split = n.div_ceil(2);
        let key = |i: usize| format!("{}:c{i}", if i < split { "a" } else { "b" });
        for (support, deductive) in [("supported", false), ("deductive", true)] {
            let mut iccma = format!("p af {n}\n");
            for (a, c) in implied(n, &supports, &attacks, deductive) {
                iccma.push_str(&format!("{} {}\n", a + 1, c + 1));
            }
            let theirs = crustabri_labels(&iccma);
            let ours = labels(p.path(), &["--support", support]);
            for i in 0..n {
                assert_eq!(
                    ours[&key(i)],
                    theirs[i + 1],
                    "{support}: c{i} of {supports:?} {attacks:?}"
                );
            }
        }
    }
}

/// `argmap dot --labels`: each claim shaded by the label `argmap eval` gives it, named in
/// its box, with a legend; Graphviz draws it without a warning.
#[test]
fn dot_labels_shade_each_claim_by_its_label() {
    for reading in ["none", "supported", "deductive"] {
        let l = labels(&bundled(), &["--support", reading]);
        let out = argmap()
            .arg("dot")
            .arg(bundled())
            .arg(format!("--labels={reading}"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let dot = String::from_utf8(out.stdout).unwrap();
        for (claim, label) in &l {
            let fill = match label.as_str() {
                "in" => "#CDEBDD",
                "out" => "#F6D3C2",
                _ => "#FBF0B4",
            };
            let line = dot
                .lines()
                .find(|line| {
                    line.trim_start()
                        .starts_with(&format!("\"{claim}\" [label="))
                })
                .unwrap_or_else(|| panic!("no node {claim}"));
            assert!(line.contains(&format!("<I>{label}</I>")), "{line}");
            assert!(line.ends_with(&format!("fillcolor=\"{fill}\"]")), "{line}");
        }
        assert!(dot.contains(&format!("supports read as {reading}>]")));
        for label in ["in", "out", "undecided"] {
            assert!(dot.contains(&format!("\"~legend:{label}\" [")));
        }
        let mut child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("Graphviz's dot");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let rendered = child.wait_with_output().unwrap();
        assert!(
            rendered.status.success() && rendered.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&rendered.stderr)
        );
    }
    // Without the flag, no label is drawn.
    let out = argmap().arg("dot").arg(bundled()).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("~legend:undecided"));
}
