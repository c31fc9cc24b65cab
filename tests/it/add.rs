//! `argmap add DOI...` through the binary, against a local resolver (wiremock on
//! 127.0.0.1) serving the recorded Crossref answers of `../shared/fixtures/csl/`: the entry
//! written, the file's text kept, ids and clashes, a DOI already there, failures that write
//! nothing, and the written reference passing `argmap check` with no finding.

use std::path::Path;

use wiremock::MockServer;

use crate::common::doi::{
    FRANK, WINTER, crossref_answer, csl_answer, fixture, handle_found, handle_not_found, mount_csl,
    mount_handle, run,
};
use crate::common::{Project, argmap};

const REFS: &str = "# yaml-language-server: $schema=../schemas/references.schema.json
# Our references. This comment and the layout below are kept.
references:
  - id: paper        # the paper itself
    type: article-journal
    title: The paper
    author: [{family: Author, given: A.}]
    issued: {date-parts: [[2020]]}

# A closing comment.
";

/// A project whose map cites `paper` and each key of `cites`.
fn project(cites: &[&str]) -> Project {
    let keys: Vec<String> = cites.iter().map(|k| format!("@{k}")).collect();
    let map = format!(
        "title: M\nsource: paper\nclaims:\n  - id: thesis\n    text: The thesis [@paper].\n  - id: reason\n    text: A reason [{}].\n    supports: [thesis]\n",
        keys.join("; ")
    );
    Project::empty()
        .with("references/refs.yaml", REFS)
        .with("arguments/m.yaml", map)
}

/// `argmap add --root ROOT --resolver URL --no-updates ARGS...`, off the runtime.
fn add(root: &Path, resolver: &str, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_argmap"));
    cmd.arg("add")
        .args(args)
        .arg("--root")
        .arg(root)
        .args([
            "--resolver",
            resolver,
            "--no-updates",
            "--retries",
            "0",
            "--timeout",
            "2s",
        ])
        .env_remove("ARGMAP_RESOLVER")
        .env("NO_COLOR", "1");
    cmd
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

#[tokio::test]
async fn a_doi_becomes_a_csl_yaml_entry_after_the_last_one_and_passes_the_check() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    let p = project(&["frank1970"]);
    let out = run(add(
        p.path(),
        &server.uri(),
        &[&format!("https://doi.org/{}", FRANK.doi)],
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "added `frank1970` ({}) to references/refs.yaml",
            FRANK.doi
        )),
        "{stderr}"
    );
    // What was not kept is said: Crossref's many extra fields, the subtitle among them.
    assert!(
        stderr.contains("`frank1970` (10.1126/science.169.3946.635): not kept: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("subtitle") && stderr.contains("abstract"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap();
    let entry = "  - id: frank1970
    type: article-journal
    title: The Structure of Ordinary Water
    author:
      - {family: Frank, given: Henry S.}
    issued: {date-parts: [[1970, 8, 14]]}
    container-title: Science
    volume: \"169\"
    issue: \"3946\"
    page: \"635-641\"
    publisher: American Association for the Advancement of Science (AAAS)
    DOI: 10.1126/science.169.3946.635
";
    // The file's text before, byte for byte, then the entry, then what followed the list.
    let (before, after) = REFS.split_at(REFS.find("\n# A closing").unwrap());
    assert_eq!(text, format!("{before}{entry}{after}"));
    check_clean(p.path());
    // The cache learnt that the DOI exists, as a resolution would have.
    let cache = std::fs::read_to_string(p.path().join(".argmap/doi-cache.json")).unwrap();
    assert!(
        cache.contains("10.1126/science.169.3946.635") && cache.contains("\"found\""),
        "{cache}"
    );
}

#[tokio::test]
async fn ids_get_letters_on_a_clash_and_a_known_doi_is_not_added_twice() {
    let server = MockServer::start().await;
    for r in [FRANK, WINTER] {
        mount_handle(&server, r.doi, handle_found(r.doi)).await;
    }
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    mount_csl(
        &server,
        WINTER.doi,
        csl_answer(fixture("manubot-crossref-winter-scabs-csl.json")),
    )
    .await;
    // `frank1970` is taken by another work.
    let refs = REFS.replace(
        "\n# A closing",
        "  - {id: frank1970, type: book, title: Another Frank}\n\n# A closing",
    );
    let p = project(&["frank1970", "frank1970a", "winter1962"]).with("references/refs.yaml", refs);
    let out = run(add(
        p.path(),
        &server.uri(),
        &[FRANK.doi, WINTER.doi, FRANK.doi],
    ))
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap();
    assert!(
        text.contains("  - id: frank1970a\n    type: article-journal\n"),
        "{text}"
    );
    assert!(text.contains("  - id: winter1962\n"), "{text}");
    assert_eq!(
        text.matches("DOI: 10.1126/science.169.3946.635").count(),
        1,
        "asked twice, added once"
    );
    check_clean(p.path());
    // Again: both are there already, said and not added; nothing changes.
    let out = run(add(
        p.path(),
        &server.uri(),
        &[FRANK.doi, &WINTER.doi.to_uppercase()],
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        stderr.contains("10.1126/science.169.3946.635 is already in references/refs.yaml as `frank1970a`: not added"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
        text
    );
}

#[tokio::test]
async fn dry_run_prints_the_diff_and_writes_nothing() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    let p = project(&["frank1970"]);
    let out = run(add(p.path(), &server.uri(), &["--dry-run", FRANK.doi])).await;
    assert!(out.status.success());
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/references/refs.yaml\n+++ b/references/refs.yaml\n"),
        "{diff}"
    );
    assert!(diff.contains("+  - id: frank1970\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
        REFS
    );
}

#[tokio::test]
async fn with_several_reference_files_the_default_is_references_yaml() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    let p = project(&["frank1970", "other"]).with(
        "references/other.yaml",
        "references:\n  - {id: other, type: book, title: Other}\n",
    );
    let out = run(add(p.path(), &server.uri(), &[FRANK.doi])).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(p.path().join("references/references.yaml")).unwrap();
    assert!(
        text.starts_with("references:\n  - id: frank1970\n"),
        "{text}"
    );
    check_clean(p.path());
    // --to names the file.
    mount_handle(&server, WINTER.doi, handle_found(WINTER.doi)).await;
    mount_csl(
        &server,
        WINTER.doi,
        csl_answer(fixture("manubot-crossref-winter-scabs-csl.json")),
    )
    .await;
    let to = p.path().join("references/other.yaml");
    let out = run(add(
        p.path(),
        &server.uri(),
        &["--to", to.to_str().unwrap(), WINTER.doi],
    ))
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&to).unwrap();
    assert!(
        text.starts_with(
            "references:\n  - {id: other, type: book, title: Other}\n  - id: winter1962\n"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_doi_that_cannot_be_had_writes_nothing() {
    let server = MockServer::start().await;
    mount_handle(&server, FRANK.doi, handle_found(FRANK.doi)).await;
    mount_csl(&server, FRANK.doi, crossref_answer()).await;
    mount_handle(&server, "10.5555/gone", handle_not_found("10.5555/gone")).await;
    mount_handle(&server, "10.5555/empty", handle_found("10.5555/empty")).await;
    mount_csl(
        &server,
        "10.5555/empty",
        csl_answer(fixture("manubot-empty-csl.json")),
    )
    .await;
    let p = project(&["frank1970"]);
    for (doi, said) in [
        (
            "10.5555/gone",
            "cannot add 10.5555/gone: the DOI does not exist",
        ),
        (
            "10.5555/empty",
            "cannot add 10.5555/empty: its registered metadata has no title",
        ),
    ] {
        let out = run(add(p.path(), &server.uri(), &[FRANK.doi, doi])).await;
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(said) && stderr.contains("nothing was written"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(p.path().join("references/refs.yaml")).unwrap(),
            REFS
        );
    }
    // Offline: nothing listens on the resolver's port.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let out = run(add(p.path(), &closed, &[FRANK.doi])).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("argmap add asks {closed}/ over the network")),
        "{stderr}"
    );
    // Not a DOI; a flow list; a folder.
    let out = run(add(p.path(), &server.uri(), &["not-a-doi"])).await;
    assert_eq!(out.status.code(), Some(2));
    let flow = project(&[]).with(
        "references/refs.yaml",
        "references: [{id: paper, type: book, title: P}]\n",
    );
    let out = run(add(flow.path(), &server.uri(), &[FRANK.doi])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flow list"));
}
