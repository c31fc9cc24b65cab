//! `argmap html`: the site of the maps, laid out by Graphviz and written to a folder.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::Args;

use super::{Outcome, fail};
use argmap::AnalysisHost;

#[derive(Args, Debug)]
pub struct HtmlArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// The folder to write the site to (made if missing). A folder argmap did not write
    /// before must be empty; in one it did, the pages of maps, claims and works that are
    /// gone are removed, and nothing else.
    #[arg(short, long, value_name = "DIR", default_value = "site")]
    pub output: PathBuf,
}

/// The list of the files a site's folder holds, written with them: what a rebuild may
/// remove.
const MANIFEST: &str = ".argmap-site";

/// Lays out a DOT diagram as SVG with Graphviz's `dot`.
fn render(dot: &str) -> Result<String, String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run Graphviz's `dot` ({e}): install graphviz"))?;
    let mut stdin = child.stdin.take().expect("a piped stdin");
    let text = dot.to_owned();
    // Written from a thread: `dot` may fill its output before it has read its input.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}

pub fn run(args: HtmlArgs) -> Outcome {
    let mut host = match AnalysisHost::open(&args.root) {
        Ok(host) => host,
        Err(e) => return fail(e),
    };
    let mut options = argmap::resolve::Options::new(
        argmap::resolve::parse_resolver("https://doi.org").expect("a resolver"),
    );
    options.cache = Some(args.root.join(".argmap").join("doi-cache.json"));
    host.read_dois_from(options);
    let analysis = host.analysis();
    let site = match argmap::html::build(&analysis, &render) {
        Ok(site) => site,
        Err(e) => return fail(e),
    };
    match write_site(&args.output, &site) {
        Ok(()) => {
            eprintln!(
                "{}: {} files ({})",
                args.output.display(),
                site.files.len(),
                analysis.summary.line()
            );
            Outcome::Clean
        }
        Err(e) => fail(e),
    }
}

/// Writes the site into `dir`, each file atomically, and removes the files of the last
/// site written there that this one does not have.
fn write_site(dir: &Path, site: &argmap::html::Site) -> Result<(), String> {
    let manifest = dir.join(MANIFEST);
    let before: BTreeSet<String> = match std::fs::read_to_string(&manifest) {
        Ok(text) => text.lines().map(str::to_owned).collect(),
        Err(_) => {
            let empty = match std::fs::read_dir(dir) {
                Ok(mut entries) => entries.next().is_none(),
                Err(_) => true,
            };
            if !empty {
                return Err(format!(
                    "{} holds files argmap did not write: choose an empty or new folder",
                    dir.display()
                ));
            }
            BTreeSet::new()
        }
    };
    for (path, text) in &site.files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
        }
        argmap::output::write(&target, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    for gone in before.iter().filter(|p| !site.files.contains_key(*p)) {
        // Only what a site is made of, inside the folder, and only files.
        if gone.split('/').any(|part| part == ".." || part.is_empty()) {
            continue;
        }
        let path = dir.join(gone);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(&path);
        }
    }
    let list: String = site.files.keys().map(|p| format!("{p}\n")).collect();
    argmap::output::write(&manifest, list.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}
