//! Helpers shared by the integration tests: temporary project folders and the binary.
#![allow(dead_code)]

pub mod doi;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// A temporary ROOT with `arguments/` and `references/`.
pub struct Project {
    pub dir: tempfile::TempDir,
}

pub const REFS: &str = "references:
  - id: paper
    type: article-journal
    title: The paper
    author: [{family: Author, given: A.}]
    issued: {date-parts: [[2020]]}
  - id: song2014
    type: article-journal
    title: Security first
    author: [{family: Song, given: Weiqing}]
    issued: {date-parts: [[2014]]}
";

pub const MAP: &str = "title: Test map
source: paper
claims:
  - id: thesis
    text: The thesis [@paper].
  - id: reason
    text: A reason [@song2014, p. 3].
    supports: [thesis]
";

impl Project {
    /// An empty project (both folders, no files).
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("arguments")).unwrap();
        fs::create_dir(dir.path().join("references")).unwrap();
        Project { dir }
    }

    /// A valid project: one map, one reference file.
    pub fn valid() -> Self {
        Self::empty()
            .with("arguments/m.yaml", MAP)
            .with("references/refs.yaml", REFS)
    }

    pub fn with(self, path: &str, content: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `argmap check ROOT` with colour off and a fixed width.
    pub fn check(&self) -> Command {
        let mut cmd = argmap();
        cmd.arg("check").arg(self.path());
        cmd
    }
}

pub fn argmap() -> Command {
    let mut cmd = Command::cargo_bin("argmap").unwrap();
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("ARGMAP_RESOLVER");
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

/// The JSON report of a check, parsed.
pub fn json_report(project: &Project) -> serde_json::Value {
    let out = project.check().args(["--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// The rules of a JSON report's diagnostics.
pub fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Decodes `%XX` escapes (as a server sees a URL path, or a test checks an encoding).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
