//! A workspace: the files of one ROOT, each with a stable id, read from disk or given from
//! memory (an editor's unsaved text), each parsed once and kept until it changes.
//!
//! A file keeps its [`FileId`] for as long as the workspace knows it, and a removed file's
//! id is never reused, so diagnostics, spans and an editor's state stay valid across
//! changes. [`Workspace::refresh`] looks at the disk again and re-parses only the files
//! whose size or modification time changed (or that are new); [`Workspace::set_text`]
//! replaces one file's text. Assembling the model shares every parsed map and reference
//! (`Arc`) rather than copying it, so a re-analysis costs the changed files' parse and the
//! rules, not the corpus. A file whose new text does not parse keeps its last good parse
//! beside the new one, for navigation.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::sync::Arc;

use crate::config::{self, Levels};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Content, FileKind, LoadError, Loaded, PaperText, Parsed};
use crate::model::{Corpus, Paper};
use crate::source::{FileId, SourceFile};

/// What a file's content was last read from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    /// The disk, when it had this size and modification time.
    Disk {
        len: u64,
        modified: Option<SystemTime>,
    },
    /// An editor: the text stays until it is set again or the file is reloaded.
    Memory,
}

impl Origin {
    /// The file on disk as it is now.
    fn of(path: &Path) -> Result<Origin, LoadError> {
        let meta = fs::metadata(path).map_err(|source| LoadError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        Ok(Origin::Disk {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// Whether content read from `self` still stands for the file now at `now`: it is
    /// unchanged on disk, or an editor's buffer (which stays until set again).
    fn holds(&self, now: &Origin) -> bool {
        self == now || *self == Origin::Memory
    }
}

#[derive(Debug)]
struct File {
    parsed: Parsed,
    origin: Origin,
    /// The last parse of the file that read it, while the file does not parse (an editor's
    /// text mid-edit): navigation reads it, diagnostics come from `parsed`.
    last_good: Option<Parsed>,
}

impl File {
    /// A file parsed anew, keeping the last good parse of what it replaces while the new
    /// text does not parse.
    fn replacing(before: Option<File>, parsed: Parsed, origin: Origin) -> File {
        let last_good = match parsed.loaded {
            Loaded::Broken => before.and_then(|b| match b.parsed.loaded {
                Loaded::Broken => b.last_good,
                _ => Some(b.parsed),
            }),
            _ => None,
        };
        File {
            parsed,
            origin,
            last_good,
        }
    }
}

/// `argmap.toml`, read.
#[derive(Debug)]
struct Config {
    file: FileId,
    source: Arc<SourceFile>,
    levels: Levels,
    diagnostics: Vec<Diagnostic>,
    origin: Origin,
}

/// The name of the configuration file at ROOT.
pub const CONFIG_FILE: &str = "argmap.toml";

/// The files of one ROOT. See the module docs.
#[derive(Debug, Default)]
pub struct Workspace {
    root: Option<PathBuf>,
    /// By path relative to ROOT, so that iteration is in path order (the model's order).
    files: BTreeMap<String, File>,
    /// Ids by path, kept after a file is removed so that it gets its id back.
    ids: BTreeMap<String, FileId>,
    next_id: u32,
    /// How many files were parsed since the workspace was made (for tests and benchmarks).
    parses: usize,
    /// `argmap.toml`, when there is one.
    config: Option<Config>,
    /// The papers' texts (`sources/*.txt`, `*.md`), by path relative to ROOT.
    papers: BTreeMap<String, (PaperText, Origin)>,
    /// Levels set on the command line: they win over the file's.
    overrides: Levels,
}

impl Workspace {
    /// An empty workspace with no ROOT: files come only from [`Workspace::set_text`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The workspace of ROOT, every file read and parsed. Fails (exit 2) only when ROOT, a
    /// folder or a file cannot be read at all.
    pub fn open(root: &Path) -> Result<Self, LoadError> {
        let mut workspace = Workspace {
            root: Some(root.to_owned()),
            ..Workspace::default()
        };
        workspace.refresh()?;
        Ok(workspace)
    }

    /// ROOT, if the workspace reads from disk.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// How many file parses the workspace has done.
    pub fn parses(&self) -> usize {
        self.parses
    }

    /// The id of a path relative to ROOT (`arguments/m.yaml`), if the workspace knows it.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.files.get(path).map(|f| f.parsed.file)
    }

    fn id_for(&mut self, path: &str) -> FileId {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = FileId(self.next_id);
        self.next_id += 1;
        self.ids.insert(path.to_owned(), id);
        id
    }

    /// Looks at ROOT again: new files are read, files whose size or modification time
    /// changed are read again, removed files are forgotten; the others are kept as they
    /// are. Files set from memory are kept until set again. Returns how many files were
    /// parsed.
    pub fn refresh(&mut self) -> Result<usize, LoadError> {
        let Some(root) = self.root.clone() else {
            return Ok(0);
        };
        if !root.is_dir() {
            return Err(LoadError::MissingRoot(root));
        }
        let mut listed = load::list(&root, "references", FileKind::References)?;
        listed.extend(load::list(&root, "arguments", FileKind::Map)?);
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = Vec::new();
        for (path, kind) in listed {
            let rel = load::relative(&root, &path);
            let origin = Origin::of(&path)?;
            seen.insert(rel.clone());
            let unchanged = self
                .files
                .get(&rel)
                .is_some_and(|f| f.origin.holds(&origin));
            if unchanged {
                continue;
            }
            let id = self.id_for(&rel);
            todo.push(((id, rel, kind, path), origin));
        }
        let (unread, origins): (Vec<_>, Vec<_>) = todo.into_iter().unzip();
        let parsed = load::read_and_parse_all(unread)?;
        self.files
            .retain(|path, f| seen.contains(path) || f.origin == Origin::Memory);
        self.refresh_config(&root)?;
        self.refresh_papers(&root)?;
        let count = parsed.len();
        self.parses += count;
        for (parsed, origin) in parsed.into_iter().zip(origins) {
            let path = parsed.source.path.clone();
            let before = self.files.remove(&path);
            self.files
                .insert(path, File::replacing(before, parsed, origin));
        }
        Ok(count)
    }

    /// Reads the papers' texts that are new or changed, and forgets those that are gone.
    fn refresh_papers(&mut self, root: &Path) -> Result<(), LoadError> {
        let mut seen = std::collections::BTreeSet::new();
        for path in load::list_papers(root)? {
            let rel = load::relative(root, &path);
            let origin = Origin::of(&path)?;
            seen.insert(rel.clone());
            let unchanged = self.papers.get(&rel).is_some_and(|(_, o)| o.holds(&origin));
            if unchanged {
                continue;
            }
            let content = load::read(&path)?;
            let id = self.id_for(&rel);
            self.parses += 1;
            self.papers
                .insert(rel.clone(), (load::read_paper(id, rel, content), origin));
        }
        self.papers
            .retain(|path, (_, o)| seen.contains(path) || *o == Origin::Memory);
        Ok(())
    }

    /// Reads `ROOT/argmap.toml` alone (`argmap rules --root`): its levels and findings.
    pub fn read_config(&mut self, root: &Path) -> Result<(), LoadError> {
        self.refresh_config(root)
    }

    /// Reads `ROOT/argmap.toml` again when it changed, or forgets it when it is gone.
    fn refresh_config(&mut self, root: &Path) -> Result<(), LoadError> {
        let path = root.join(CONFIG_FILE);
        let origin = match Origin::of(&path) {
            Ok(origin) => origin,
            // Gone: forgotten, unless an editor holds it.
            Err(_) => {
                if !self
                    .config
                    .as_ref()
                    .is_some_and(|c| c.origin == Origin::Memory)
                {
                    self.config = None;
                }
                return Ok(());
            }
        };
        if self
            .config
            .as_ref()
            .is_some_and(|c| c.origin.holds(&origin))
        {
            return Ok(());
        }
        self.set_config(load::read(&path)?, origin);
        Ok(())
    }

    /// Reads `argmap.toml` from disk or from an editor alike: too large, it is read as
    /// empty; not UTF-8, its bad bytes are replaced; either way with a finding that fails
    /// the run, never silently.
    fn set_config(&mut self, content: Content, origin: Origin) {
        let file = self.id_for(CONFIG_FILE);
        let (text, mut diagnostics) = load::read_text(file, CONFIG_FILE, content);
        let (levels, mistakes) = config::parse(&text, file);
        diagnostics.extend(mistakes);
        self.parses += 1;
        self.config = Some(Config {
            file,
            source: Arc::new(SourceFile::new(CONFIG_FILE.to_owned(), text)),
            levels,
            diagnostics,
            origin,
        });
    }

    /// Levels set on the command line, which win over `argmap.toml`'s.
    pub fn set_overrides(&mut self, overrides: Levels) {
        self.overrides = overrides;
    }

    /// The level of every rule: its default, then `argmap.toml`, then the command line.
    pub fn levels(&self) -> Levels {
        match &self.config {
            Some(c) => c.levels.then(&self.overrides),
            None => self.overrides.clone(),
        }
    }

    /// Sets a file's text from memory (an editor's unsaved buffer), `path` relative to ROOT
    /// (`arguments/m.yaml`, or `argmap.toml`). Returns `false`, and changes nothing, for a
    /// path that is none of argmap's files.
    pub fn set_text(&mut self, path: &str, text: impl Into<Vec<u8>>) -> bool {
        if path == CONFIG_FILE {
            self.set_config(Content::Bytes(text.into()), Origin::Memory);
            return true;
        }
        if load::is_paper_path(path) {
            let id = self.id_for(path);
            let paper = load::read_paper(id, path.to_owned(), Content::Bytes(text.into()));
            self.parses += 1;
            self.papers.insert(path.to_owned(), (paper, Origin::Memory));
            return true;
        }
        let Some(kind) = FileKind::of_path(path) else {
            return false;
        };
        let id = self.id_for(path);
        let bytes: Vec<u8> = text.into();
        let content = if bytes.len() as u64 > load::MAX_FILE_BYTES {
            Content::TooLarge(bytes.len() as u64)
        } else {
            Content::Bytes(bytes)
        };
        let parsed = load::parse(id, path.to_owned(), kind, content);
        self.parses += 1;
        let before = self.files.remove(path);
        self.files.insert(
            path.to_owned(),
            File::replacing(before, parsed, Origin::Memory),
        );
        true
    }

    /// Forgets a file set from memory, so that the next refresh reads it from disk (or
    /// finds it gone); forgets a file of disk until the next refresh.
    pub fn close(&mut self, path: &str) {
        if path == CONFIG_FILE {
            self.config = None;
        }
        self.papers.remove(path);
        self.files.remove(path);
    }

    /// The last good parse of each file that does not parse now, in path order: what a
    /// front end navigates while the text is mid-edit.
    pub fn last_good(&self) -> impl Iterator<Item = &Parsed> {
        self.files.values().filter_map(|f| f.last_good.as_ref())
    }

    /// The model and the `load` phase's diagnostics (those of `argmap.toml` included),
    /// from the files as they are now.
    pub fn assemble(&self) -> (Corpus, Vec<Diagnostic>) {
        let (mut corpus, mut diagnostics) = load::assemble(self.files.values().map(|f| &f.parsed));
        if let Some(config) = &self.config {
            corpus.sources.insert(config.file, config.source.clone());
            diagnostics.extend(config.diagnostics.iter().cloned());
        }
        // In path order, so `x.txt` wins over `x.md`.
        for (paper, _) in self.papers.values() {
            corpus.sources.insert(paper.file, paper.source.clone());
            diagnostics.extend(paper.diagnostics.iter().cloned());
            if let Some(index) = &paper.index {
                corpus.papers.insert(
                    paper.source.stem().to_owned(),
                    Paper {
                        file: paper.file,
                        source: paper.source.clone(),
                        index: index.clone(),
                    },
                );
            }
        }
        (corpus, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFS: &str = "references:\n  - {id: src, type: book, title: S}\n";

    fn root() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("arguments")).unwrap();
        fs::create_dir(dir.path().join("references")).unwrap();
        fs::write(dir.path().join("references/r.yaml"), REFS).unwrap();
        for name in ["a", "b"] {
            fs::write(
                dir.path().join(format!("arguments/{name}.yaml")),
                format!("title: {name}\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n"),
            )
            .unwrap();
        }
        dir
    }

    #[test]
    fn only_changed_files_are_parsed_again_and_ids_stay() {
        let dir = root();
        let mut ws = Workspace::open(dir.path()).unwrap();
        assert_eq!(ws.parses(), 3);
        let ids: Vec<_> = ["arguments/a.yaml", "arguments/b.yaml", "references/r.yaml"]
            .map(|p| ws.file_id(p).unwrap())
            .to_vec();
        assert_eq!(ws.refresh().unwrap(), 0, "nothing changed");
        // A change of size is seen without waiting for the clock.
        fs::write(
            dir.path().join("arguments/b.yaml"),
            "title: b\nsource: src\nclaims:\n  - id: y\n    text: Y [@src]\n  - id: z\n    text: Z [@src]\n",
        )
        .unwrap();
        fs::write(dir.path().join("arguments/c.yaml"), "title: c\n").unwrap();
        assert_eq!(ws.refresh().unwrap(), 2, "the changed file and the new one");
        let (corpus, _) = ws.assemble();
        assert_eq!(corpus.claim_count(), 3);
        assert_eq!(ws.file_id("arguments/b.yaml"), Some(ids[1]));
        fs::remove_file(dir.path().join("arguments/a.yaml")).unwrap();
        ws.refresh().unwrap();
        assert_eq!(ws.file_id("arguments/a.yaml"), None);
        fs::write(dir.path().join("arguments/a.yaml"), "title: a\n").unwrap();
        ws.refresh().unwrap();
        assert_eq!(ws.file_id("arguments/a.yaml"), Some(ids[0]), "its id back");
        assert!(
            ws.file_id("arguments/c.yaml").unwrap().0 > ids[2].0,
            "a new id"
        );
    }

    #[test]
    fn text_from_memory_wins_until_closed() {
        let dir = root();
        let mut ws = Workspace::open(dir.path()).unwrap();
        assert!(ws.set_text(
            "arguments/a.yaml",
            "title: a\nsource: src\nclaims:\n  - id: x\n    text: X [@nowhere]\n"
        ));
        assert!(!ws.set_text("notes.txt", "x"));
        let (corpus, _) = ws.assemble();
        let a = corpus.maps.iter().find(|m| m.name == "a").unwrap();
        assert_eq!(a.claims[0].citations[0].key(), "nowhere");
        ws.refresh().unwrap();
        let (corpus, _) = ws.assemble();
        let a = corpus.maps.iter().find(|m| m.name == "a").unwrap();
        assert_eq!(
            a.claims[0].citations[0].key(),
            "nowhere",
            "memory wins over disk"
        );
        ws.close("arguments/a.yaml");
        ws.refresh().unwrap();
        let (corpus, _) = ws.assemble();
        let a = corpus.maps.iter().find(|m| m.name == "a").unwrap();
        assert_eq!(a.claims[0].citations[0].key(), "src");
    }

    #[test]
    fn a_workspace_without_root_holds_what_it_is_given() {
        let mut ws = Workspace::new();
        ws.set_text("references/r.yaml", REFS);
        ws.set_text(
            "arguments/m.yaml",
            "title: m\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n",
        );
        assert_eq!(ws.refresh().unwrap(), 0);
        let (corpus, diagnostics) = ws.assemble();
        assert!(diagnostics.is_empty());
        assert_eq!((corpus.maps.len(), corpus.references.len()), (1, 1));
    }

    #[test]
    fn papers_texts_are_read_when_they_change_and_txt_wins_over_md() {
        let dir = root();
        let mut ws = Workspace::open(dir.path()).unwrap();
        assert!(
            ws.assemble().0.papers.is_empty(),
            "no sources/ folder is no text"
        );
        fs::create_dir(dir.path().join("sources")).unwrap();
        fs::write(dir.path().join("sources/src.md"), "From markdown.").unwrap();
        fs::write(dir.path().join("sources/src.txt"), "From text.").unwrap();
        fs::write(dir.path().join("sources/notes.pdf"), "not read").unwrap();
        assert_eq!(ws.refresh().unwrap(), 0, "no map or reference changed");
        let parses = ws.parses();
        let (corpus, _) = ws.assemble();
        let paper = &corpus.papers["src"];
        assert_eq!(corpus.sources.get(paper.file).path, "sources/src.txt");
        assert!(matches!(
            paper.text().find("From text"),
            crate::quote::Verdict::Exact { .. }
        ));
        ws.refresh().unwrap();
        assert_eq!(ws.parses(), parses, "unchanged texts are not read again");
        fs::write(dir.path().join("sources/src.txt"), "Changed, and longer.").unwrap();
        ws.refresh().unwrap();
        assert_eq!(ws.parses(), parses + 1);
        let (corpus, _) = ws.assemble();
        assert!(matches!(
            corpus.papers["src"].text().find("and longer"),
            crate::quote::Verdict::Exact { .. }
        ));
        // An editor's buffer stands for the file.
        assert!(ws.set_text("sources/src.txt", "Unsaved words."));
        let (corpus, _) = ws.assemble();
        assert!(matches!(
            corpus.papers["src"].text().find("Unsaved words"),
            crate::quote::Verdict::Exact { .. }
        ));
        assert!(!ws.set_text("sources/sub/x.txt", "no"));
    }
}
