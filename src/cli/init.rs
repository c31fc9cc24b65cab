//! `argmap init`: a new project that `argmap check` passes, with what editors, GitHub and
//! pre-commit need to check it too.
//!
//! All or nothing: when any file it would write is already there (or a folder it needs is
//! not a folder), it writes nothing and names them (exit 2), so it never changes a
//! project, not even by adding to it half-way. Each file is created atomically and only
//! where nothing is (`argmap::output::create`: a file made meanwhile is not replaced); if
//! one cannot be written, the files and folders made before it are removed again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{Outcome, fail, print};
use argmap::format::{SchemaOf, json_schema};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The project's folder (made when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// argmap's GitHub repository and the ref to use, OWNER/REPO@REF: the workflow's
    /// `uses:` and the pre-commit hook's `repo:` and `rev:` name it.
    #[arg(long, value_name = "OWNER/REPO@REF", default_value_t = default_upstream())]
    pub upstream: String,
}

/// Where argmap's action and hook live, from `repository` in Cargo.toml when it names a
/// GitHub repository; otherwise a placeholder that `init` points out.
fn default_upstream() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match env!("CARGO_PKG_REPOSITORY")
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .strip_prefix("https://github.com/")
    {
        Some(repo) if repo.split('/').count() == 2 => format!("{repo}@v{version}"),
        _ => format!("{PLACEHOLDER_OWNER}/argmap@v{version}"),
    }
}

/// The owner `--upstream` has when argmap does not know its repository.
const PLACEHOLDER_OWNER: &str = "OWNER";

/// `OWNER/REPO@REF` split, if it is one: names GitHub allows, nothing YAML would read
/// differently.
fn parse_upstream(upstream: &str) -> Option<(&str, &str)> {
    let (repo, rev) = upstream.split_once('@')?;
    let (owner, name) = repo.split_once('/')?;
    let word = |s: &str, extra: &[char]| {
        !s.is_empty()
            && !s.starts_with(['.', '-'])
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || extra.contains(&c))
    };
    (word(owner, &[]) && word(name, &['.', '_']) && word(rev, &['.', '_', '/']))
        .then_some((repo, rev))
}

/// The files of a new project, relative to its folder, and their text.
///
/// The schemas go to `schemas/`, to be committed: the modelines point there, so an editor
/// validates the files in every clone. (`.argmap/`, argmap's cache folder, is ignored by
/// git, so schemas there would be missing from every clone but the first.) `.gitignore`
/// therefore ignores all of `.argmap/`.
fn files(upstream: &str) -> Option<Vec<(&'static str, String)>> {
    let (repo, rev) = parse_upstream(upstream)?;
    let schema = |of| format!("{:#}\n", json_schema(of));
    Some(vec![
        ("arguments/example.yaml", EXAMPLE_MAP.to_owned()),
        ("references/example.yaml", EXAMPLE_REFERENCES.to_owned()),
        ("schemas/argument-map.schema.json", schema(SchemaOf::Map)),
        (
            "schemas/references.schema.json",
            schema(SchemaOf::References),
        ),
        (".gitignore", GITIGNORE.to_owned()),
        (
            ".github/workflows/argmap.yml",
            WORKFLOW.replace("{upstream}", upstream),
        ),
        (
            ".pre-commit-config.yaml",
            PRE_COMMIT.replace("{repo}", repo).replace("{rev}", rev),
        ),
    ])
}

pub fn run(args: InitArgs) -> Outcome {
    let Some(files) = files(&args.upstream) else {
        return fail(format!(
            "--upstream `{}` is not OWNER/REPO@REF (as `acme/argmap@v0.1.0`)",
            args.upstream
        ));
    };
    let dir = &args.dir;
    match fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return fail(format!("{} is not a folder", dir.display()));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return fail(format!("cannot read {}: {e}", dir.display())),
    }
    let conflicts = conflicts(dir, files.iter().map(|(path, _)| *path));
    if !conflicts.is_empty() {
        return fail(format!(
            "nothing written: {} already in {} ({}); move {} aside and run `argmap init` \
             again, or set the project up by hand (README: Starting a project)",
            if conflicts.len() == 1 {
                "this is"
            } else {
                "these are"
            },
            dir.display(),
            conflicts.join(", "),
            if conflicts.len() == 1 { "it" } else { "them" },
        ));
    }
    let mut made = Made::default();
    for (path, text) in &files {
        if let Err(e) = made.write(dir, path, text) {
            made.undo();
            return fail(format!(
                "nothing written: cannot write {}: {e}",
                dir.join(path).display()
            ));
        }
    }
    let mut report = format!("created in {}:\n", dir.display());
    for (path, _) in &files {
        report.push_str(&format!("  {path}\n"));
    }
    report.push_str(&format!(
        "next: `argmap check {}`, then replace the example map and references with your own\n",
        dir.display()
    ));
    if args.upstream.starts_with(&format!("{PLACEHOLDER_OWNER}/")) {
        report.push_str(&format!(
            "note: the workflow and .pre-commit-config.yaml name argmap's repository as \
             `{}`, a placeholder: write where it is in both ({PLACEHOLDER_OWNER}, and the ref \
             to use), or give it to init next time (--upstream OWNER/REPO@REF)\n",
            args.upstream
        ));
    }
    print(&report, Outcome::Clean)
}

/// The files of `paths` that are already in `dir` (anything at all: a file, a folder, a
/// link, dangling or not), and the folders on their way that are not folders.
fn conflicts<'a>(dir: &Path, paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths {
        let mut folder = PathBuf::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            folder.push(part);
            let at = dir.join(&folder);
            let blocks = fs::symlink_metadata(&at).is_ok() && !at.is_dir();
            let name = format!("{}/ (not a folder)", folder.display());
            if blocks && !out.contains(&name) {
                out.push(name);
            }
        }
        if fs::symlink_metadata(dir.join(path)).is_ok() {
            out.push(path.to_owned());
        }
    }
    out
}

/// What `init` has made so far, to take back when a later file cannot be written.
#[derive(Default)]
struct Made {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Made {
    fn write(&mut self, dir: &Path, path: &str, text: &str) -> io::Result<()> {
        let target = dir.join(path);
        let mut missing = Vec::new();
        let mut folder = target.parent();
        while let Some(f) = folder {
            if f.as_os_str().is_empty() || f.is_dir() {
                break;
            }
            missing.push(f.to_owned());
            folder = f.parent();
        }
        for f in missing.into_iter().rev() {
            fs::create_dir(&f)?;
            self.folders.push(f);
        }
        argmap::output::create(&target, text.as_bytes())?;
        self.files.push(target);
        Ok(())
    }

    /// Removes what was made, newest first; folders only when empty (`remove_dir`).
    fn undo(self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for f in self.folders.iter().rev() {
            let _ = fs::remove_dir(f);
        }
    }
}

const GITIGNORE: &str = "\
# argmap's DOI cache (`argmap check --online`, `argmap resolve`): answers from the network,
# kept between runs. The schemas in schemas/ are committed: editors read them.
.argmap/
";

/// `{upstream}` is `OWNER/REPO@REF`.
const WORKFLOW: &str = "\
# argmap checks the argument maps and references (made by `argmap init`).
# - offline on every push and pull request: findings as annotations on the lines they are
#   about, and in code scanning (SARIF);
# - online weekly and on demand: every DOI resolved, Crossref asked about retractions and
#   corrections (DOIs break without anyone pushing), with the DOI cache kept between runs.
#   Set the repository variable ARGMAP_MAILTO to a contact address: Crossref serves polite
#   clients better.
name: argmap

on:
  push:
  pull_request:
  schedule:
    - cron: \"23 5 * * 1\"
  workflow_dispatch:

permissions:
  contents: read

jobs:
  argmap:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # to upload the findings to code scanning
    steps:
      - uses: actions/checkout@v4
      - uses: {upstream}
        with:
          online: ${{ github.event_name == 'schedule' || github.event_name == 'workflow_dispatch' }}
          mailto: ${{ vars.ARGMAP_MAILTO }}
";

/// `{repo}` is `OWNER/REPO`, `{rev}` the ref.
const PRE_COMMIT: &str = "\
# pre-commit (https://pre-commit.com), made by `argmap init`: after `pre-commit install`,
# argmap checks the maps and references (offline) before each commit that changes them.
repos:
  - repo: https://github.com/{repo}
    rev: {rev}
    hooks:
      - id: argmap
";

const EXAMPLE_MAP: &str = "\
# yaml-language-server: $schema=../schemas/argument-map.schema.json
# An example argument map, made by `argmap init`: four claims of Guliev et al. (2020) on
# Russia's engagement in the Shanghai Cooperation Organization, and how they connect.
# Replace it with the map of a paper of your own (one file per paper, named after it),
# then run `argmap check`. A claim may also give `quote:`, the paper's words behind it,
# which argmap looks for in the paper's text once that is in sources/<source>.txt.
title: \"Example: Russian engagement in the SCO (after Guliev et al. 2020)\"
source: guliev2020
claims:
  - id: thesis
    text: >-
      Russia's policy in the SCO is confined to promoting regional security and
      deepening its relations with the major Asian states in order to establish
      a multipolar world order.
    cites: [\"@guliev2020\"]
    section: \"IV. Conclusion and future scope\"

  - id: politics-over-economy
    text: >-
      In general Russia pushes for more political cooperation within the SCO
      and holds back the economic activities that China promotes there.
    cites: [\"@guliev2020\"]
    section: Abstract
    supports: [thesis]

  - id: no-economic-interest
    text: >-
      Russia is not interested in expanding economic activities within the
      SCO: it has historical ties with the Central Asian states and avoids a
      large-scale Chinese financial invasion of the region.
    cites: [\"@guliev2020\"]
    section: \"IV. Conclusion and future scope\"
    supports: [politics-over-economy]

  - id: enlargement-as-balance
    kind: framing
    text: >-
      Denisov and Safranchuk recast the SCO's enlargement as a search for
      balance between globalizing (Russian) and regionalizing (Chinese) trends
      in its strategy [@denisov2016].
    section: \"I. Introduction\"
";

const EXAMPLE_REFERENCES: &str = "\
# yaml-language-server: $schema=../schemas/references.schema.json
# Example references, made by `argmap init` for arguments/example.yaml: CSL-YAML, as pandoc
# reads it and Zotero exports it (\"CSL YAML\"). Replace them with the works you cite.
references:
  - id: guliev2020
    type: article-journal
    author:
      - {family: Guliev, given: Igbal A.}
      - {family: Karpova, given: Svetlana V.}
      - {family: Rovbel, given: Rostislav L.}
      - {family: Perevozchikov, given: Sergey Yu.}
    issued: {date-parts: [[2020]]}
    title: \"Russian Engagement in the Shanghai Cooperation Organization: Motives and Current Situation\"
    container-title: International Journal on Emerging Technologies
    volume: \"11\"
    issue: \"5\"
    page: \"132-136\"
    publisher: Research Trend
    note: No DOI is printed in the paper.

  - id: denisov2016
    type: article-journal
    author:
      - {family: Denisov, given: I. E.}
      - {family: Safranchuk, given: I. A.}
    issued: {date-parts: [[2016]]}
    title: Four Problems of the SCO in Connection with Its Enlargement
    container-title: Russian Politics & Law
    volume: \"54\"
    issue: \"5-6\"
    page: \"494-515\"
    DOI: 10.1080/10611940.2016.1296304
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_are_owner_repo_at_ref() {
        assert_eq!(
            parse_upstream("acme/argmap@v0.1.0"),
            Some(("acme/argmap", "v0.1.0"))
        );
        assert_eq!(
            parse_upstream("a-b/c.d_e@feature/x"),
            Some(("a-b/c.d_e", "feature/x"))
        );
        for bad in [
            "",
            "acme/argmap",
            "acme@v1",
            "acme/argmap@",
            "/argmap@v1",
            "a/b/c@v1",
            "acme/argmap@v1 # x",
            "acme/argmap@v1\n  evil: 1",
            "acme/arg map@v1",
            "-x/y@v1",
        ] {
            assert_eq!(parse_upstream(bad), None, "{bad:?}");
        }
        assert!(parse_upstream(&default_upstream()).is_some());
    }

    #[test]
    fn what_was_made_is_taken_back() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("mine"), "kept").unwrap();
        let dir = tmp.path().join("new");
        let mut made = Made::default();
        made.write(&dir, "a/b/one.yaml", "1").unwrap();
        made.write(&dir, "a/two.yaml", "2").unwrap();
        assert!(made.write(&dir, "a/two.yaml", "again").is_err());
        assert_eq!(fs::read_to_string(dir.join("a/two.yaml")).unwrap(), "2");
        made.undo();
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["mine"]);
    }
}
