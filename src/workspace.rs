//! A workspace: the files of one ROOT, each with a stable id, read from disk or given from
//! memory (an editor's unsaved text), each parsed once and kept until it changes.
//!
//! A file keeps its [`FileId`] for as long as the workspace knows it, and a removed file's
//! id is never reused, so diagnostics, spans and an editor's state stay valid across
//! changes. [`Workspace::refresh`] looks at the disk again and re-parses only the files
//! whose size or modification time changed (or that are new); [`Workspace::set_text`]
//! replaces one file's text. Assembling the model shares every parsed map and reference
//! (`Arc`) rather than copying it, so a re-analysis costs the changed files' parse and the
//! rules, not the corpus.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::sync::Arc;

use crate::config::{self, Levels};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Content, FileKind, LoadError, PaperText, Parsed};
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
    /// Rule findings kept between analyses, when asked for ([`Workspace::keep_findings`]).
    rule_cache: Option<crate::rules::Cache>,
    /// The maps' graph indices kept between analyses, likewise.
    graph_memo: Option<crate::graph::Memo>,
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

    /// Keeps rule findings and the maps' graph indices between analyses, so that an
    /// analysis after a change re-checks and re-indexes only what the change touched (for a
    /// language server or a watcher, which analyse the same workspace again and again). A
    /// single check does without: keeping costs a copy of the findings.
    pub fn keep_findings(&mut self) {
        self.rule_cache.get_or_insert_with(Default::default);
        self.graph_memo.get_or_insert_with(Default::default);
    }

    /// The findings kept between analyses, if they are.
    pub fn rule_cache(&self) -> Option<&crate::rules::Cache> {
        self.rule_cache.as_ref()
    }

    /// The resolved graph of `corpus` (this workspace's), reusing the maps' indices kept
    /// between analyses if they are.
    pub fn graph<'c>(&self, corpus: &'c Corpus) -> crate::graph::Graph<'c> {
        match &self.graph_memo {
            Some(memo) => crate::graph::Graph::with_memo(corpus, memo),
            None => crate::graph::Graph::new(corpus),
        }
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
            self.files.insert(path, File { parsed, origin });
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
        self.files.insert(
            path.to_owned(),
            File {
                parsed,
                origin: Origin::Memory,
            },
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

    /// Both workspaces given the same edit, the one that keeps findings between analyses
    /// must find what the one that does not finds.
    fn same_findings(kept: &mut Workspace, fresh: &mut Workspace, path: &str, text: &str) {
        kept.set_text(path, text);
        fresh.set_text(path, text);
        let (a, b) = (
            crate::Analysis::offline(kept),
            crate::Analysis::offline(fresh),
        );
        assert_eq!(
            a.diagnostics,
            b.diagnostics,
            "after setting {path} to {:?}",
            &text[..text.len().min(80)]
        );
    }

    #[test]
    fn kept_findings_are_those_of_a_fresh_analysis_after_every_kind_of_change() {
        let mut kept = Workspace::new();
        assert!(kept.rule_cache().is_none(), "a single check keeps nothing");
        kept.keep_findings();
        assert!(kept.rule_cache().is_some() && kept.graph_memo.is_some());
        let mut fresh = Workspace::new();
        let map = |name: &str, body: &str| {
            format!("title: {name}\nsource: src\nclaims:\n  - id: x\n    text: {body}\n")
        };
        let (a, b, refs) = ("arguments/a.yaml", "arguments/b.yaml", "references/r.yaml");
        let steps = [
            (
                refs,
                "references:\n  - {id: src, type: book, title: S, page: 10-20}\n".to_owned(),
            ),
            (a, map("a", "A [@src, p. 5] [@sr]")),
            (b, map("b", "B [@src, p. 15] [@nowhere]")),
            // A map changes: its findings change, the other's are kept.
            (a, map("a", "A [@src, p. 12]")),
            // The pages change: an unchanged map's locator is now out of range.
            (
                refs,
                "references:\n  - {id: src, type: book, title: S, page: 1-9}\n".to_owned(),
            ),
            // A references file read in part may define the ids it names: `@nowhere` is
            // no longer unknown...
            (
                "references/s.yaml",
                "references:\n  - id: nowhere\n    title: [\n".to_owned(),
            ),
            // ...and one with nothing read may define anything: nor is `@sr`.
            (a, map("a", "A [@src, p. 2] [@sr]")),
            // (too large to read)
            (
                "references/t.yaml",
                " ".repeat(load::MAX_FILE_BYTES as usize + 1),
            ),
            (
                "references/t.yaml",
                "references:\n  - {id: other, type: book, title: O}\n".to_owned(),
            ),
            // An id appears in a file read in full.
            (
                "references/s.yaml",
                "references:\n  - {id: nowhere, type: book, title: N}\n".to_owned(),
            ),
            // The reference list's own findings (an id twice, DOIs), kept while the
            // reference files are, found again when one changes.
            (
                "references/t.yaml",
                "references:\n  - {id: src, type: book, title: O, DOI: 'doi:10.1/x'}\n  - {id: d, type: book, title: D, DOI: nodoi}\n".to_owned(),
            ),
            (a, map("a", "A [@src, p. 3] [@d]")),
            (
                "references/t.yaml",
                "references:\n  - {id: d, type: book, title: D, DOI: 10.1/x}\n".to_owned(),
            ),
            (b, map("b", "B [@d]")),
        ];
        for (path, text) in &steps {
            same_findings(&mut kept, &mut fresh, path, text);
        }
        // The levels change: an unchanged map's locators are no longer checked, then again.
        let mut off = Levels::default();
        off.set(crate::rule::Rule::LocatorOutOfRange, config::Level::Off);
        for (levels, path, body) in [(off, b, "B [@src, p. 15]"), (Levels::default(), a, "A")] {
            kept.set_overrides(levels.clone());
            fresh.set_overrides(levels);
            same_findings(&mut kept, &mut fresh, path, &map(&path[10..11], body));
        }
        // A second analysis of the same files, from what was kept, finds the same, and
        // checks no map again.
        let again = crate::Analysis::offline(&kept);
        assert_eq!(kept.rule_cache().unwrap().maps_checked(), 0);
        assert_eq!(
            again.diagnostics,
            crate::Analysis::offline(&fresh).diagnostics
        );
        assert!(
            again
                .diagnostics
                .iter()
                .any(|d| d.rule == crate::rule::Rule::LocatorOutOfRange),
            "the check is not vacuous: {:?}",
            again.diagnostics
        );
    }

    #[test]
    fn kept_reference_findings_are_found_again_when_a_reference_file_changes() {
        let mut kept = Workspace::new();
        kept.keep_findings();
        let mut fresh = Workspace::new();
        let body = |doi: &str| {
            format!(
                "references:\n  - {{id: src, type: book, title: S, DOI: '{doi}'}}\n  - {{id: src, type: book, title: T}}\n"
            )
        };
        let map = "title: m\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n";
        same_findings(&mut kept, &mut fresh, "arguments/m.yaml", map);
        for (path, text) in [
            ("references/r.yaml", body("doi:10.1/x")),
            (
                "arguments/m.yaml",
                format!("{map}  - id: y\n    text: Y [@src]\n"),
            ),
            ("references/r.yaml", body("not a doi")),
            ("references/r.yaml", body("10.1/x")),
        ] {
            same_findings(&mut kept, &mut fresh, path, &text);
            let found = crate::Analysis::offline(&kept).diagnostics;
            assert!(
                found
                    .iter()
                    .any(|d| d.rule == crate::rule::Rule::DuplicateReferenceId),
                "{found:?}"
            );
        }
    }

    /// A map of claims `p{i}`, `m{i}`, `q{i}` for each `i` below `n`, where `p` supports `m`,
    /// `m` supports `q`, and `p` attacks `q`: `n` contradictions.
    fn contradicting(name: &str, n: usize, extra: &str) -> String {
        let mut map = format!("title: {name}\nsource: src\nclaims:\n");
        for i in 0..n {
            map.push_str(&format!(
                "  - id: p{i}\n    text: P [@src]\n    supports: [m{i}]\n    attacks: [q{i}]\n\
                 \x20 - id: m{i}\n    text: M [@src]\n    supports: [q{i}]\n\
                 \x20 - id: q{i}\n    text: Q [@src]\n"
            ));
        }
        map.push_str(extra);
        map
    }

    #[test]
    fn kept_link_findings_are_those_of_a_fresh_analysis_after_every_kind_of_change() {
        let mut kept = Workspace::new();
        kept.keep_findings();
        let mut fresh = Workspace::new();
        let (a, b, c) = ("arguments/a.yaml", "arguments/b.yaml", "arguments/c.yaml");
        let cycle = "  - id: x\n    text: X [@src]\n    supports: [y]\n\
                     \x20 - id: y\n    text: Y [@src]\n    supports: [x]\n\
                     \x20 - id: lone\n    text: L [@src]\n\
                     \x20 - id: lone\n    text: again [@src]\n";
        let link_to_b = "  - id: z\n    text: Z [@src]\n    supports: [b:q0]\n";
        let steps: Vec<(&str, String, usize)> = vec![
            ("references/r.yaml", REFS.to_owned(), 0),
            // A map comes (or goes): every map is read again.
            (a, contradicting("a", 2, cycle), 1),
            (b, contradicting("b", 1, ""), 2),
            (c, contradicting("c", 1, ""), 3),
            // A change to one map reads that map alone.
            (b, contradicting("b", 2, ""), 1),
            // A link across maps: the map that has it...
            (c, contradicting("c", 1, link_to_b), 1),
            // ...is read again when the map it names changes (the claim may be gone).
            (b, contradicting("b", 3, ""), 2),
            (
                b,
                contradicting("b", 0, "  - id: q0\n    text: Q [@src]\n"),
                2,
            ),
            // A cycle and contradictions through both maps, and their end.
            (
                b,
                contradicting(
                    "b",
                    1,
                    "  - id: back\n    text: B [@src]\n    supports: [c:z]\n    attacks: [c:p0]\n",
                ),
                2,
            ),
            (
                c,
                contradicting(
                    "c",
                    1,
                    "  - id: z\n    text: Z [@src]\n    supports: [b:q0, p0]\n  - id: w\n    text: W [@src]\n    supports: [b:back]\n    attacks: [b:q0]\n",
                ),
                2,
            ),
            (a, contradicting("a", 3, cycle), 1),
            (b, contradicting("b", 1, ""), 2),
            // The link gone, the map stands alone again.
            (c, contradicting("c", 1, ""), 1),
            (b, contradicting("b", 2, ""), 1),
            // A link that names nothing.
            (
                a,
                contradicting(
                    "a",
                    3,
                    "  - id: d\n    text: D [@src]\n    supports: [nowhere]\n",
                ),
                1,
            ),
            // More findings than show their chain: the whole graph is searched again.
            (b, contradicting("b", 199, ""), 1),
            (c, contradicting("c", 2, ""), 1),
            // Fewer again.
            (b, contradicting("b", 1, ""), 1),
            (c, contradicting("c", 3, ""), 1),
        ];
        for (path, text, relinked) in &steps {
            same_findings(&mut kept, &mut fresh, path, text);
            let cache = kept.rule_cache().unwrap();
            assert_eq!(cache.maps_relinked(), *relinked, "after setting {path}");
        }
        let found = crate::Analysis::offline(&kept).diagnostics;
        for rule in [
            crate::rule::Rule::ContradictoryLinks,
            crate::rule::Rule::DanglingLink,
        ] {
            assert!(
                found.iter().any(|d| d.rule == rule),
                "the check is not vacuous: {rule:?}"
            );
        }
        // The levels change: every map is checked again, with the rule off.
        let mut off = Levels::default();
        off.set(crate::rule::Rule::ContradictoryLinks, config::Level::Off);
        kept.set_overrides(off.clone());
        fresh.set_overrides(off);
        same_findings(&mut kept, &mut fresh, c, &contradicting("c", 2, ""));
        assert_eq!(kept.rule_cache().unwrap().maps_relinked(), 3);
    }

    /// A map of generated claims: each `(id, kind, supports, attacks)`, a link naming a
    /// claim of this map, of another, or of none.
    fn generated_map(name: &str, claims: &[(u8, u8, Vec<u8>, Vec<u8>)]) -> String {
        let target = |t: u8| match t % 9 {
            0..=3 => format!("c{}", t % 7),
            4..=7 => format!("m{}:c{}", t % 3, t % 5),
            _ => "gone:c0".to_owned(),
        };
        let mut map = format!("title: {name}\nsource: src\nclaims:\n");
        for (id, kind, supports, attacks) in claims {
            // Ids repeat now and then (c0..c5 for six claims at most, drawn from seven).
            map.push_str(&format!("  - id: c{}\n    text: T [@src]\n", id % 7));
            if kind % 8 == 0 {
                map.push_str("    kind: framing\n");
            }
            for (field, links) in [("supports", supports), ("attacks", attacks)] {
                if !links.is_empty() {
                    let names: Vec<String> = links.iter().map(|&t| target(t)).collect();
                    map.push_str(&format!("    {field}: [{}]\n", names.join(", ")));
                }
            }
        }
        map
    }

    type Claims = Vec<(u8, u8, Vec<u8>, Vec<u8>)>;

    fn claims() -> impl proptest::strategy::Strategy<Value = Claims> {
        use proptest::collection::vec;
        vec(
            (0u8..7, 0u8..16, vec(0u8..64, 0..4), vec(0u8..64, 0..3)),
            1..7,
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Maps linked every way (within and across maps, cycles, contradictions, framing,
        /// duplicates, links that name nothing), changed one at a time, removed and added
        /// back: the workspace that keeps findings finds what a fresh one finds each time.
        #[test]
        fn kept_link_findings_are_those_of_a_fresh_analysis_through_random_changes(
            first in proptest::collection::vec(claims(), 3),
            edits in proptest::collection::vec((0usize..3, 0u8..8, claims()), 1..8),
        ) {
            let mut kept = Workspace::new();
            kept.keep_findings();
            let mut fresh = Workspace::new();
            same_findings(&mut kept, &mut fresh, "references/r.yaml", REFS);
            for (i, claims) in first.iter().enumerate() {
                let name = format!("m{i}");
                let path = format!("arguments/{name}.yaml");
                same_findings(&mut kept, &mut fresh, &path, &generated_map(&name, claims));
            }
            for (i, how, claims) in edits {
                let name = format!("m{i}");
                let path = format!("arguments/{name}.yaml");
                if how == 0 {
                    kept.close(&path);
                    fresh.close(&path);
                    let (a, b) = (crate::Analysis::offline(&kept), crate::Analysis::offline(&fresh));
                    proptest::prop_assert_eq!(a.diagnostics, b.diagnostics);
                } else {
                    same_findings(&mut kept, &mut fresh, &path, &generated_map(&name, &claims));
                }
            }
        }
    }

    /// A chain of supports through three maps carries a contradiction; a change to the map
    /// in its middle breaks the chain at a link that leaves that map. The maps at the
    /// chain's ends are neither changed nor linked to the changed map (they are kept), and
    /// the contradiction found before must go.
    #[test]
    fn a_chain_broken_in_a_map_between_two_kept_maps_loses_its_contradiction() {
        let mut kept = Workspace::new();
        kept.keep_findings();
        let mut fresh = Workspace::new();
        same_findings(&mut kept, &mut fresh, "references/r.yaml", REFS);
        let claim = |id: &str, links: &str| format!("  - id: {id}\n    text: T [@src]\n{links}");
        let map = |name: &str, claims: &[String]| {
            format!("title: {name}\nsource: src\nclaims:\n{}", claims.concat())
        };
        // b:p supports y:y, which supports a:a, which supports b:x, which supports b:q; and
        // b:p attacks b:q.
        let b = map(
            "b",
            &[
                claim("p", "    supports: [y:y]\n    attacks: [q]\n"),
                claim("x", "    supports: [q]\n"),
                claim("q", ""),
            ],
        );
        let y = map(
            "y",
            &[
                claim("y", "    supports: [a:a]\n"),
                claim("z", "    supports: [y]\n"),
            ],
        );
        let linked = map(
            "a",
            &[
                claim("a", "    supports: [b:x]\n"),
                claim("c", "    supports: [a]\n"),
            ],
        );
        let apart = map("a", &[claim("a", ""), claim("c", "    supports: [a]\n")]);
        same_findings(&mut kept, &mut fresh, "arguments/b.yaml", &b);
        same_findings(&mut kept, &mut fresh, "arguments/y.yaml", &y);
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &linked);
        let found = crate::Analysis::offline(&kept).diagnostics;
        assert!(
            found
                .iter()
                .any(|d| d.rule == crate::rule::Rule::ContradictoryLinks)
        );
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &apart);
        assert_eq!(
            kept.rule_cache().unwrap().maps_relinked(),
            2,
            "a, and y that names it"
        );
        let found = crate::Analysis::offline(&kept).diagnostics;
        assert!(
            !found
                .iter()
                .any(|d| d.rule == crate::rule::Rule::ContradictoryLinks)
        );
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &linked);
    }

    /// The generated maps above do meet every link rule that depends on other maps.
    #[test]
    fn generated_maps_meet_the_rules_that_span_maps() {
        let mut ws = Workspace::new();
        ws.set_text("references/r.yaml", REFS);
        // c0 → c2 → c1 → c0 in supports, c2 attacks c0, c3 frames, c4 names nothing.
        let claims: Claims = vec![
            (0, 1, vec![2], vec![]),
            (1, 1, vec![0], vec![]),
            (2, 1, vec![1], vec![0]),
            (3, 0, vec![0], vec![]),
            (4, 1, vec![8], vec![5]),
        ];
        for i in 0..3 {
            ws.set_text(
                &format!("arguments/m{i}.yaml"),
                generated_map(&format!("m{i}"), &claims),
            );
        }
        let found = crate::Analysis::offline(&ws).diagnostics;
        for rule in [
            crate::rule::Rule::CircularSupport,
            crate::rule::Rule::ContradictoryLinks,
            crate::rule::Rule::DanglingLink,
            crate::rule::Rule::FramingLink,
        ] {
            assert!(found.iter().any(|d| d.rule == rule), "{rule:?}: {found:#?}");
        }
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
