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

/// What stands at a place inside the site's folder.
enum Place {
    /// Nothing: the file (and any folder it needs) is made.
    Free,
    /// A regular file: replaced atomically.
    File,
}

/// Whether `rel` (a site path, `/`-separated) can be written in `dir`: every folder on
/// the way a real folder (not a link) or missing, and the name free or a regular file.
/// Anything else (a link, a FIFO, a device, a folder) is never replaced.
fn place(dir: &Path, rel: &str) -> Result<Place, String> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('\\'))
    {
        return Err(format!("{rel}: not a path inside the site"));
    }
    let mut path = dir.to_owned();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let last = i + 1 == parts.len();
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Place::Free),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            Ok(m) if !last && m.is_dir() => {}
            Ok(m) if last && m.is_file() => return Ok(Place::File),
            Ok(m) => {
                let what = match m.file_type() {
                    t if t.is_symlink() => "a symbolic link",
                    t if t.is_dir() => "a folder",
                    t if t.is_file() => "a file",
                    _ => "not a regular file",
                };
                return Err(format!(
                    "{} is {what}, where the site has {}: argmap replaces only the regular \
                     files it writes (move it away)",
                    path.display(),
                    if last { "a page" } else { "a folder" }
                ));
            }
        }
    }
    Ok(Place::Free)
}

/// Writes the site into `dir`, each file atomically, and removes the files of the last
/// site written there that this one does not have. Nothing is written until every place
/// is known to be free or a regular file; the list of what the folder holds is written
/// first (what was there and what will be) and last (what is), so a run that fails half
/// way leaves a folder the next run still knows as its own.
fn write_site(dir: &Path, site: &argmap::html::Site) -> Result<(), String> {
    // The folder itself: made when missing; a link to a folder is followed.
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(format!("{} is not a folder", dir.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(dir).is_ok() {
                return Err(format!("{} is a symbolic link to nothing", dir.display()));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        }
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    }
    let manifest = dir.join(MANIFEST);
    let before: BTreeSet<String> = match place(dir, MANIFEST)? {
        Place::File => std::fs::read_to_string(&manifest)
            .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?
            .lines()
            .map(str::to_owned)
            .collect(),
        Place::Free => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            if entries.next().is_some() {
                return Err(format!(
                    "{} holds files argmap did not write: choose an empty or new folder",
                    dir.display()
                ));
            }
            BTreeSet::new()
        }
    };
    for path in site.files.keys() {
        place(dir, path)?;
    }
    let list = |paths: &mut dyn Iterator<Item = &String>| -> String {
        paths.map(|p| format!("{p}\n")).collect()
    };
    let mut both: BTreeSet<&String> = before.iter().collect();
    both.extend(site.files.keys());
    argmap::output::write(&manifest, list(&mut both.into_iter()).as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    for (path, text) in &site.files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
        }
        // Looked at again just before: a link or FIFO put there meanwhile is refused.
        place(dir, path)?;
        argmap::output::write(&target, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    for gone in before.iter().filter(|p| !site.files.contains_key(*p)) {
        // Only regular files inside the folder, reached through real folders.
        if gone == MANIFEST || !matches!(place(dir, gone), Ok(Place::File)) {
            continue;
        }
        let path = dir.join(gone);
        if std::fs::remove_file(&path).is_ok() {
            // And the folders it leaves empty (a map's claims), up to the site's.
            let mut parent = path.parent();
            while let Some(folder) = parent.filter(|p| *p != dir) {
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
                parent = folder.parent();
            }
        }
    }
    argmap::output::write(&manifest, list(&mut site.files.keys()).as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}
