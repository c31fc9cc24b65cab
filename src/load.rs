//! Loading: files → [`Corpus`] + diagnostics.
//!
//! Files are read and parsed in parallel; each becomes a source (for reports) and, when it
//! is well-formed, part of the model. Loading never stops at the first problem: every file
//! is read and every schema problem reported. It fails (exit 2) only when ROOT or a file
//! cannot be read at all.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::citation;
use crate::diagnostic::{Diagnostic, Label, Rule, RuleDocs};
use crate::model::{ArgumentMap, Citation, CitationOrigin, Corpus, Reference};
use crate::quote::SourceText;
use crate::source::{FileId, SourceFile, Span};
use crate::yaml::{self};

#[cfg(test)]
mod agree;
mod fast;
mod scan;
mod tree;

use tree::Reader;

pub use crate::csl::CSL_TYPES;

/// Stack size of the loading threads.
const PARSER_STACK_BYTES: usize = 64 << 20;

/// Files larger than this are refused: no argument map or bibliography is this big, and a
/// file of junk must not cost unbounded time or memory.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

pub(crate) static YAML_SYNTAX: RuleDocs = RuleDocs {
    summary: "a file is not well-formed YAML",
    doc: "The file could not be parsed as YAML: bad indentation, an unclosed bracket or quote, \
          a tab used for indentation, a duplicate key, several documents in one file, or \
          binary content. Resource bounds are enforced here too: nesting deeper than 64 levels \
          or an alias expansion bomb is refused rather than followed. Nothing else is checked \
          in a file that fails to parse, so fix this first.",
    example: r#"# arguments/russia-sco.yaml
title: "Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: "Russian engagement in the SCO"
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
};

pub(crate) static INVALID_UTF8: RuleDocs = RuleDocs {
    summary: "a file is not UTF-8 text",
    doc: "argmap reads UTF-8 (with or without a byte-order mark). A file in another encoding \
          (Latin-1, Windows-1252, UTF-16) or with binary bytes is reported at the first byte \
          that is not UTF-8 and is not checked further. Re-save it as UTF-8.",
    example: r#"# arguments/russia-sco.yaml (Latin-1)
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: As Naarajärvi found, Russia and China want different things [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml (UTF-8)
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: As Naarajärvi found, Russia and China want different things [@guliev2020].
"#,
};

pub(crate) static FILE_TOO_LARGE: RuleDocs = RuleDocs {
    summary: "a file is larger than argmap reads (32 MiB)",
    doc: "A file over 32 MiB (a map, a reference file, a paper's text or `argmap.toml`) is \
          refused without being read, so that a stray data dump (a PDF pasted into a field, a \
          whole library exported) cannot make a check take unbounded time or memory. Real maps \
          and bibliographies are far smaller: take out what does not belong, or split a huge \
          bibliography into several files in `references/`.",
    example: r#"# references/chinasco.yaml (40 MiB)
references:
  - id: chinasco
    type: document
    title: "[Paper on Chinese foreign policy in the SCO]"
    note: "JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2cv..."   # a PDF, pasted
"#,
    fixed: r#"# references/chinasco.yaml
references:
  - id: chinasco
    type: document
    title: "[Paper on Chinese foreign policy in the SCO]"
    # the paper's text goes to sources/chinasco.txt
"#,
};

pub(crate) static SCHEMA: RuleDocs = RuleDocs {
    summary: "a field is missing, of the wrong type, or unknown",
    doc: "The YAML is well-formed but does not have the shape argmap reads: a required field \
          is missing (`title`, `source`, `claims` for a map; `id`, `text` for a claim; `id`, \
          `type`, `title` for a reference), a value has the wrong type (a list where text is \
          expected), a claim id has characters other than letters, digits, `-` and `_`, a \
          link is not `id` or `map:id`, a CSL `type` is not a CSL type, or a map has a field \
          argmap does not know. Unknown and misspelt names come with a did-you-mean.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    txet: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
"#,
};

pub(crate) static CSL_FIELD_NAME: RuleDocs = RuleDocs {
    summary: "a reference field is not a CSL variable",
    doc: "References are CSL items, and pandoc (citeproc) silently ignores fields that are not \
          CSL variables, so the data is lost from every bibliography. Common slips are BibTeX \
          or lower-case names: `doi` for `DOI`, `authors` for `author`, `year` for `issued`, \
          `journal` for `container-title`, `pages` for `page`. The message names the CSL \
          variable to use.",
    example: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    journal: Journal of Contemporary China
    doi: 10.1080/10670564.2013.809981
"#,
    fixed: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    container-title: Journal of Contemporary China
    DOI: 10.1080/10670564.2013.809981
"#,
};

pub(crate) static CITATION_SYNTAX: RuleDocs = RuleDocs {
    summary: "a citation pandoc cannot read: a `cites` entry that is none, or `@{Foo 2010}`",
    doc: "Each entry of `cites` is one pandoc citation item: `@key`, optionally with a prefix \
          and a locator (`see @song2014, pp. 85-101`), with or without brackets. An entry with \
          no `@key` (a bare `song2014`) or with several works in one entry (`@a; @b`) is \
          reported; write `@` before the key and give each work its own entry. In a claim's \
          text, and in `cites`, a braced key with white space (`@{Foo 2010}`) is no citation \
          to pandoc, which prints it as text: write the key without white space, and the \
          reference's id to match.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@{Song 2014}].
    cites: ["@guliev2020", "yun2012", "@yun2012; @alimov2020"]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: asymmetry
    text: Unequal motives of China and Russia hold the SCO back [@song2014].
    cites: ["@guliev2020", "@yun2012", "@alimov2020"]
"#,
};

pub(crate) static DUPLICATE_MAP_NAME: RuleDocs = RuleDocs {
    summary: "two map files have the same name (`m.yaml` and `m.yml`)",
    doc: "A map is named by its file name without the extension, and links name maps that \
          way (`m:claim`). Two files whose names differ only in the extension (`m.yaml`, \
          `m.yml`, `m.YAML`), or whose names cannot be told apart once decoded as UTF-8, \
          would be one map: links could reach either. The first file (in sorted order) is \
          read; the other is reported and not checked. Rename or merge one of them.",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
# arguments/russia-sco.yml
title: Greater Eurasia
source: guliev2020
claims:
  - id: greater-eurasia
    text: Russia and China would join the EAEU and the BRI [@guliev2020].
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
# arguments/greater-eurasia.yml
title: Greater Eurasia
source: guliev2020
claims:
  - id: greater-eurasia
    text: Russia and China would join the EAEU and the BRI [@guliev2020].
"#,
};

/// Why a check could not run at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("ROOT `{0}` does not exist or is not a folder")]
    /// ROOT is missing or not a folder.
    MissingRoot(PathBuf),
    #[error("`{}` has no `{folder}/` folder (argmap reads ROOT/arguments/*.yaml and ROOT/references/*.yaml)", root.display())]
    /// ROOT lacks `arguments/` or `references/`.
    MissingFolder {
        /// ROOT.
        root: PathBuf,
        /// `arguments` or `references`.
        folder: &'static str,
    },
    #[error("cannot read `{}`: {source}", path.display())]
    /// A folder or file could not be read (or is not a regular file).
    Unreadable {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a file in ROOT is: a map (`arguments/`) or references (`references/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `arguments/*.yaml`.
    Map,
    /// `references/*.yaml`.
    References,
}

impl FileKind {
    /// The kind of a path relative to ROOT (`arguments/m.yaml`), if it is one argmap reads.
    pub fn of_path(relative: &str) -> Option<FileKind> {
        let (folder, name) = relative.split_once('/')?;
        let yaml = !name.contains('/')
            && name.rsplit_once('.').is_some_and(|(_, ext)| {
                ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")
            });
        match folder {
            "arguments" if yaml => Some(FileKind::Map),
            "references" if yaml => Some(FileKind::References),
            _ => None,
        }
    }
}

/// What one file contributed to the model.
#[derive(Clone, Debug)]
pub enum Loaded {
    /// A map, whole or in part (its diagnostics say what was left out).
    Map(Arc<ArgumentMap>),
    /// References, those that could be read.
    References(Vec<Arc<Reference>>),
    /// Unparseable: only its diagnostics remain.
    Broken,
}

/// One file, read and parsed: its source (for reports), what it contributed, and the
/// diagnostics of reading it. Independent of every other file, so it can be kept and
/// reused until the file changes.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The file's id, which its spans carry.
    pub file: FileId,
    /// Whether it is a map or references.
    pub kind: FileKind,
    /// The text and its line index.
    pub source: Arc<SourceFile>,
    /// What it contributed.
    pub loaded: Loaded,
    /// The `load` phase's findings in it.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether part of a map could not be read in a way that may lose citations (a
    /// dropped claim, a text or `cites` that is not text).
    pub lost_citations: bool,
}

/// The content of a file as read from disk or given by an editor.
#[derive(Clone, Debug)]
pub enum Content {
    /// The bytes of the file.
    Bytes(Vec<u8>),
    /// A file over [`MAX_FILE_BYTES`], not read: its size.
    TooLarge(u64),
}

/// One file to read from disk and parse: its id, its path relative to ROOT, its kind, and
/// where it is.
pub type Unread = (FileId, String, FileKind, PathBuf);

/// Reads and parses many files side by side (each with [`read`], then [`parse`]), on
/// threads with stacks large enough for the nesting bound. Reading is part of each file's
/// task, so that the first files are parsed while the last are read. Fails as [`read`]
/// does, for the first file in `files`' order that cannot be read.
pub fn read_and_parse_all(files: Vec<Unread>) -> Result<Vec<Parsed>, LoadError> {
    // Deserialising nested YAML recurses; the nesting bound (yaml::MAX_DEPTH) is only safe
    // with stacks larger than rayon's default, notably in unoptimised builds.
    let parse_each = move || {
        files
            .into_par_iter()
            .map(|(id, rel, kind, path)| Ok(parse(id, rel, kind, read(&path)?)))
            .collect::<Vec<Result<Parsed, LoadError>>>()
    };
    let parsed = match rayon::ThreadPoolBuilder::new()
        .stack_size(PARSER_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(parse_each),
        // No threads to be had: read on this thread (the main stack is large enough).
        Err(_) => parse_each(),
    };
    // The first failure in the files' order, whichever thread met it first.
    parsed.into_iter().collect()
}

/// Builds the model from parsed files, given in path order: maps sorted by name,
/// references in file order, and the findings that concern several files at once (two map
/// files of one name). Shares the parsed values rather than copying them.
pub fn assemble<'p>(files: impl IntoIterator<Item = &'p Parsed>) -> (Corpus, Vec<Diagnostic>) {
    let mut corpus = Corpus::default();
    let mut diagnostics = Vec::new();
    let mut map_files: HashMap<&str, FileId> = HashMap::default();
    for parsed in files {
        let source = &parsed.source;
        let is_map_file = parsed.kind == FileKind::Map;
        let stem = source.stem();
        let id = parsed.file;
        corpus.sources.insert(id, source.clone());
        if is_map_file && let Some(&first) = map_files.get(stem) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::DuplicateMapName,
                    Label::new(Span::new(id, 0, 0), "not read"),
                    format!(
                        "{} names map `{stem}`, as {} does",
                        source.path,
                        corpus.sources.get(first).path
                    ),
                )
                .with_related(Label::new(Span::new(first, 0, 0), "map read from here"))
                .with_help("rename one of the files (a map's name is its file name)"),
            );
            // Unread, it may cite anything: no reference is called unused on its account.
            corpus.incomplete_maps = true;
            continue;
        }
        if is_map_file {
            map_files.insert(stem, id);
            // A map read in part may have lost citations.
            corpus.incomplete_maps |= parsed.lost_citations;
        }
        diagnostics.extend(parsed.diagnostics.iter().cloned());
        match &parsed.loaded {
            Loaded::Map(map) => corpus.maps.push(map.clone()),
            Loaded::References(refs) => corpus.references.extend(refs.iter().cloned()),
            Loaded::Broken if is_map_file => {
                corpus.unreadable_maps.insert(stem.to_owned());
            }
            Loaded::Broken => {
                if source.text.is_empty() {
                    corpus.unread_references = true;
                } else {
                    corpus
                        .unread_reference_ids
                        .extend(ids_in_text(&source.text));
                }
            }
        }
    }
    corpus.maps.sort_by(|a, b| a.name.cmp(&b.name));
    (corpus, diagnostics)
}

/// Whether writing to `path` would replace one of ROOT's input files (a map or a
/// reference file, through any symbolic link): `argmap dot -o` and the DOI cache refuse
/// such paths rather than destroy the data they were asked to read.
pub fn is_input_file(root: &Path, path: &Path) -> bool {
    // Where a write would land: the file a link names, or the path in its real folder.
    let target = fs::canonicalize(path).ok().or_else(|| {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Some(fs::canonicalize(parent).ok()?.join(path.file_name()?))
    });
    let Some(target) = target else {
        return false;
    };
    let yaml = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    yaml && ["arguments", "references"].iter().any(|folder| {
        fs::canonicalize(root.join(folder)).is_ok_and(|dir| target.parent() == Some(dir.as_path()))
    })
}

/// `ROOT/<folder>/*.yaml` and `*.yml` (in any case: `X.YAML` too), sorted by name.
///
/// Files whose names start with a dot are skipped (editors' lock and backup files).
/// Nothing else named like a YAML file is skipped without a word: a dangling link, a link loop,
/// a folder or a device is a [`LoadError`] naming it, since a map or bibliography that
/// silently vanishes would turn every link into it into a false finding.
pub(crate) fn list(
    root: &Path,
    folder: &'static str,
    kind: FileKind,
) -> Result<Vec<(PathBuf, FileKind)>, LoadError> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Err(LoadError::MissingFolder {
            root: root.to_owned(),
            folder,
        });
    }
    Ok(list_in(&dir, &["yaml", "yml"])?
        .into_iter()
        .map(|path| (path, kind))
        .collect())
}

/// The folder of the papers' texts, at ROOT: `sources/<reference id>.txt` (or `.md`).
pub const PAPERS: &str = "sources";

/// Whether a path relative to ROOT (`sources/guliev2020.txt`) is a paper's text.
pub fn is_paper_path(relative: &str) -> bool {
    relative.split_once('/').is_some_and(|(folder, name)| {
        folder == PAPERS
            && !name.contains('/')
            && !name.starts_with('.')
            && name.rsplit_once('.').is_some_and(|(_, ext)| {
                ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md")
            })
    })
}

/// The papers' texts (`sources/*.txt`, `sources/*.md`), in path order; none when ROOT has
/// no `sources/` folder.
pub(crate) fn list_papers(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let dir = root.join(PAPERS);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    list_in(&dir, &["txt", "md"])
}

/// The files of `dir` with one of the extensions (in any case), in path order. Hidden
/// files are skipped; anything else named so that is not a readable file (a folder, a
/// FIFO, a dangling link) stops the run, rather than be left out without a word.
fn list_in(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, LoadError> {
    let unreadable = |source| LoadError::Unreadable {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        // Hidden files are an editor's (a lock file `.#m.yaml`, a backup), not the user's.
        if path
            .file_name()
            .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
        {
            continue;
        }
        let wanted = path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)));
        if !wanted {
            continue;
        }
        let not_a_file = |why: &str| LoadError::Unreadable {
            path: path.clone(),
            source: std::io::Error::other(why.to_owned()),
        };
        match fs::metadata(&path) {
            Ok(meta) if meta.is_file() => paths.push(path),
            Ok(meta) if meta.is_dir() => return Err(not_a_file("it is a folder, not a file")),
            Ok(_) => return Err(not_a_file("it is not a regular file")),
            Err(e) if path.is_symlink() => {
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        "it is a symbolic link to a file that does not exist".to_owned()
                    }
                    _ => format!("it is a symbolic link that cannot be followed ({e})"),
                };
                return Err(not_a_file(&why));
            }
            Err(e) => return Err(LoadError::Unreadable { path, source: e }),
        }
    }
    paths.sort();
    Ok(paths)
}

pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file from disk for [`parse`]: its bytes, or only its size when it is too large
/// to read.
pub fn read(path: &Path) -> Result<Content, LoadError> {
    use std::io::Read;
    let unreadable = |source| LoadError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let meta = fs::metadata(path).map_err(unreadable)?;
    // A FIFO would block the read, and a device (`/dev/zero`) never ends: neither is a file
    // argmap reads, wherever it is named.
    if !meta.is_file() {
        let why = if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is not a regular file"
        };
        return Err(unreadable(std::io::Error::other(why)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Content::TooLarge(meta.len()));
    }
    // At most one byte past the limit, should the file grow while it is read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Content::TooLarge(bytes.len() as u64));
    }
    Ok(Content::Bytes(bytes))
}

/// A paper's text (`sources/<id>.txt`), read; indexed for quotes when a quote is first
/// looked for in it.
#[derive(Clone, Debug)]
pub struct PaperText {
    /// The file's id.
    pub file: FileId,
    /// The text as read, for the spans of passages.
    pub source: Arc<SourceFile>,
    /// The text normalised and indexed, built on first use and kept while the file is
    /// unchanged; `None` when the file was too large to read (its quotes are not checked).
    pub index: Option<Arc<OnceLock<SourceText>>>,
    /// What is wrong with the file (too large, not UTF-8).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a paper's text (`rel` relative to ROOT). A file too large is not read (with a
/// `file-too-large` finding), and its map's quotes count as not checked; one that is not
/// UTF-8 is read with its bad bytes replaced (and an `invalid-utf8` finding), so quotes in
/// the rest can still be found.
pub fn read_paper(file: FileId, rel: String, content: Content) -> PaperText {
    let index = matches!(content, Content::Bytes(_)).then(Arc::default);
    let (text, diagnostics) = read_text(file, &rel, content);
    PaperText {
        file,
        source: Arc::new(SourceFile::new(rel, text)),
        index,
        diagnostics,
    }
}

/// A text file that is not YAML (a paper's text, `argmap.toml`) as text: empty when it is
/// too large, its bad bytes replaced when it is not UTF-8, each with its finding.
pub(crate) fn read_text(file: FileId, rel: &str, content: Content) -> (String, Vec<Diagnostic>) {
    match content {
        Content::TooLarge(size) => (String::new(), vec![too_large(file, rel, size)]),
        Content::Bytes(bytes) => {
            let (text, bad) = decode(bytes);
            let diagnostics = bad
                .map(|(offset, help)| {
                    Diagnostic::new(
                        Rule::InvalidUtf8,
                        Label::new(Span::new(file, offset, offset), "not UTF-8"),
                        format!("{rel} is not valid UTF-8 text"),
                    )
                    .with_help(help)
                })
                .into_iter()
                .collect();
            (text, diagnostics)
        }
    }
}

fn too_large(file: FileId, rel: &str, size: u64) -> Diagnostic {
    Diagnostic::new(
        Rule::FileTooLarge,
        Label::new(Span::new(file, 0, 0), "not read"),
        format!(
            "{rel} is {:.1} MiB; argmap reads files of up to 32 MiB",
            size as f64 / f64::from(1 << 20)
        ),
    )
    .with_help("split the file; real maps and bibliographies are far smaller")
}

/// Parses one file (`rel` is its path relative to ROOT) into its contribution to the model
/// and the diagnostics of reading it. Never fails: a file that cannot be read as YAML, as
/// UTF-8 or as the format of its kind is a diagnostic.
pub fn parse(file: FileId, rel: String, kind: FileKind, content: Content) -> Parsed {
    let done = |source: SourceFile, loaded, diagnostics, lost_citations| Parsed {
        file,
        kind,
        source: Arc::new(source),
        loaded,
        diagnostics,
        lost_citations,
    };
    let bytes = match content {
        Content::Bytes(bytes) => bytes,
        Content::TooLarge(size) => {
            let d = too_large(file, &rel, size);
            return done(
                SourceFile::new(rel, String::new()),
                Loaded::Broken,
                vec![d],
                true,
            );
        }
    };
    let (text, encoding_problem) = decode(bytes);
    if let Some((offset, help)) = encoding_problem {
        let d = Diagnostic::new(
            Rule::InvalidUtf8,
            Label::new(Span::new(file, offset, offset), "not UTF-8"),
            format!("{rel} is not valid UTF-8 text"),
        )
        .with_help(help);
        return done(SourceFile::new(rel, text), Loaded::Broken, vec![d], true);
    }
    let source = SourceFile::new(rel, text);
    // Valid files take the fast path; anything it does not accept is read again, slowly,
    // by the tree-based reader, which says what is wrong.
    let fast = match kind {
        FileKind::Map => {
            fast::map(&source.text, file, source.stem()).map(|m| Loaded::Map(Arc::new(m)))
        }
        FileKind::References => fast::references(&source.text, file)
            .map(|refs| Loaded::References(refs.into_iter().map(Arc::new).collect())),
    };
    if let Some(loaded) = fast {
        return done(source, loaded, Vec::new(), false);
    }
    let mut reader = Reader {
        file,
        text: &source.text,
        diagnostics: Vec::new(),
        lost_citations: false,
    };
    let loaded = match yaml::parse(&source.text) {
        Err(e) => {
            let end = next_char_boundary(&source.text, e.offset);
            reader.diagnostics.push(
                Diagnostic::new(
                    Rule::YamlSyntax,
                    Label::new(Span::new(file, e.offset, end), "here"),
                    format!("invalid YAML: {}", e.message),
                )
                .with_help(
                    "fix the YAML syntax; nothing else in this file is checked until it parses",
                ),
            );
            Loaded::Broken
        }
        Ok(root) => match kind {
            FileKind::Map => reader
                .map(&root, source.stem())
                .map_or(Loaded::Broken, |m| Loaded::Map(Arc::new(m))),
            FileKind::References => {
                Loaded::References(reader.references(&root).into_iter().map(Arc::new).collect())
            }
        },
    };
    let (diagnostics, lost) = (reader.diagnostics, reader.lost_citations);
    let lost = lost || matches!(loaded, Loaded::Broken);
    done(source, loaded, diagnostics, lost)
}

/// The ids a reference file that could not be parsed appears to define, used only to hold
/// back `unknown-reference` for keys the file most likely holds: the `id` values the YAML
/// parser read before it met the error (whatever their spelling: quoted keys, anchors,
/// folded values), and every `id:` key the text shows after it.
fn ids_in_text(text: &str) -> Vec<String> {
    let (mut ids, read_up_to) = ids_parsed(text);
    let mut from = read_up_to;
    let bytes = text.as_bytes();
    while let Some(at) = text[from..].find("id").map(|i| i + from) {
        from = at + 2;
        let quote = at > 0 && matches!(bytes[at - 1], b'"' | b'\'');
        let key_start = at.checked_sub(1 + usize::from(quote)).is_none_or(|before| {
            matches!(
                bytes[before],
                b' ' | b'\t' | b'{' | b',' | b'\n' | b'\r' | b'-' | b'?'
            )
        });
        let after = &text[from..];
        let after = if quote {
            &after[1.min(after.len())..]
        } else {
            after
        };
        let Some(rest) = after.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        if !key_start {
            continue;
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        let value = match rest.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => rest[1..].split(q as char).next().unwrap_or(""),
            _ => rest
                .split(['\n', '\r', ',', '}', '#'])
                .next()
                .unwrap_or("")
                .trim(),
        };
        if !value.is_empty() {
            ids.push(value.to_owned());
        }
    }
    ids
}

/// The `id` values of mappings the YAML parser reads before an error, and the offset
/// where it stopped.
fn ids_parsed(text: &str) -> (Vec<String>, usize) {
    use serde_saphyr::granit_parser::{Event, Parser};
    // Per open collection: whether it is a mapping, and (for one) whether its next scalar
    // is a key, and whether the key just read was `id`.
    let mut stack: Vec<(bool, bool, bool)> = Vec::new();
    let mut ids = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let mut read_up_to = 0;
    // A node that ends: in a mapping, keys and values take turns.
    fn node_done(stack: &mut [(bool, bool, bool)]) {
        if let Some((true, expect_key, _)) = stack.last_mut() {
            *expect_key = !*expect_key;
        }
    }
    while let Some(Ok((event, span))) = parser.next() {
        read_up_to = span.end.byte_offset().unwrap_or(read_up_to);
        match event {
            Event::MappingStart(..) => stack.push((true, true, false)),
            Event::SequenceStart(..) => stack.push((false, false, false)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                node_done(&mut stack);
            }
            Event::Scalar(value, ..) => {
                if let Some((true, expect_key, id_next)) = stack.last_mut() {
                    if *expect_key {
                        *id_next = value == "id";
                    } else if *id_next {
                        ids.push(value.into_owned());
                    }
                }
                node_done(&mut stack);
            }
            Event::Alias(..) => node_done(&mut stack),
            _ => {}
        }
    }
    (ids, read_up_to.min(text.len()))
}

fn next_char_boundary(text: &str, offset: usize) -> usize {
    text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8())
}

/// UTF-8 text without its BOM; or lossy text and the offset and advice for the first bad byte.
fn decode(mut bytes: Vec<u8>) -> (String, Option<(usize, &'static str)>) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        // Shown (and searched for ids) as the text it is, though argmap reads UTF-8 only.
        let little = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| {
                if little {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        let text = String::from_utf16_lossy(&units);
        return (text, Some((0, "the file is UTF-16: save it as UTF-8")));
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Lossy decoding replaces bad bytes with U+FFFD (3 bytes): the first one sits at
            // the same offset, since everything before it was valid.
            let help = if utf16 {
                "the file looks like UTF-16: save it as UTF-8"
            } else {
                "save the file as UTF-8 (it may be Latin-1 or Windows-1252, or binary)"
            };
            (text, Some((offset, help)))
        }
    }
}

fn valid_claim_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The citations in a claim's text, spelt at `scalar` in `source`, and where the text holds
/// what pandoc reads as no citation (`@{Foo 2010}`).
fn text_citations(
    file: FileId,
    source: &str,
    scalar: Range<usize>,
    text: &str,
) -> (Vec<Citation>, Vec<Span>) {
    if !text.contains('@') {
        return (Vec::new(), Vec::new()); // the common case, and the parser's only trigger
    }
    let found = citation::read(text);
    // Keys, locators and longer spellings, then the unread keys: one walk over the
    // scalar's spelling for all.
    let mut ranges: Vec<Range<usize>> = found
        .citations
        .iter()
        .flat_map(spelt_ranges)
        .chain(found.unread.iter().cloned())
        .collect();
    yaml::locate_in_place(source, scalar, text, &mut ranges);
    let mut spelt = ranges.into_iter();
    let span = |r: Range<usize>| Span::new(file, r.start, r.end);
    let citations = found
        .citations
        .into_iter()
        .map(|c| {
            let key = spelt.next().expect("a range per key");
            let locator = c.item.locator.is_some().then(|| spelt.next()).flatten();
            let longer = c.longer.map(|r| {
                let at = spelt.next().expect("a range per longer key");
                (text[r.start + 1..r.end].to_owned(), span(at))
            });
            Citation {
                item: c.item,
                key_span: span(key),
                locator_span: locator.map(span),
                longer,
                origin: CitationOrigin::Text,
            }
        })
        .collect();
    (citations, spelt.map(span).collect())
}

/// The ranges of a citation that are located in the file: its key, its locator, then the
/// longer spelling of its key, if any.
fn spelt_ranges(c: &citation::Citation) -> impl Iterator<Item = Range<usize>> + '_ {
    std::iter::once(c.item.key_range.clone())
        .chain(c.item.locator.as_ref().map(|l| l.range.clone()))
        .chain(c.longer.clone())
}

/// One entry of a claim's `cites` list, spelt at `scalar` in `source`.
fn cites_citation(
    file: FileId,
    source: &str,
    scalar: Range<usize>,
    entry: &str,
) -> Result<Citation, citation::CitesError> {
    let found = citation::read_cites_entry(entry)?;
    // The key, the locator and the longer spelling, if any: on the stack.
    let mut ranges = [found.item.key_range.clone(), 0..0, 0..0];
    let mut n = 1;
    for range in [
        found.item.locator.as_ref().map(|l| l.range.clone()),
        found.longer.clone(),
    ]
    .into_iter()
    .flatten()
    {
        ranges[n] = range;
        n += 1;
    }
    yaml::locate_in_place(source, scalar, entry, &mut ranges[..n]);
    let span = |r: &Range<usize>| Span::new(file, r.start, r.end);
    let locator_span = found.item.locator.is_some().then(|| span(&ranges[1]));
    let longer = found.longer.as_ref().map(|r| {
        let at = &ranges[n - 1];
        (entry[r.start + 1..r.end].to_owned(), span(at))
    });
    Ok(Citation {
        item: found.item,
        key_span: span(&ranges[0]),
        locator_span,
        longer,
        origin: CitationOrigin::Cites,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path and the tree-based path build the same model from a valid file.
    fn assert_paths_agree(text: &str, kind: FileKind) {
        let file = FileId(0);
        let mut reader = Reader {
            file,
            text,
            diagnostics: Vec::new(),
            lost_citations: false,
        };
        let root = yaml::parse(text).expect("valid YAML");
        let (fast, slow) = match kind {
            FileKind::Map => (
                format!(
                    "{:?}",
                    fast::map(text, file, "m").expect("fast path accepts it")
                ),
                format!("{:?}", reader.map(&root, "m").unwrap()),
            ),
            FileKind::References => (
                format!(
                    "{:?}",
                    fast::references(text, file).expect("fast path accepts it")
                ),
                format!("{:?}", reader.references(&root)),
            ),
        };
        assert!(reader.diagnostics.is_empty(), "{:?}", reader.diagnostics);
        assert_eq!(fast, slow);
    }

    #[test]
    fn ids_of_a_broken_reference_file_are_found_in_its_text() {
        let text = "references:\n  - id: song2014\n    title: [x\n  - {id: \"b c\", type: book}\n  - grid: no\n";
        assert_eq!(ids_in_text(text), ["song2014", "b c"]);
        // Before the error, whatever the spelling; after it, the `id:` keys the text shows.
        let text = "references:\n  - {\"id\": \"paper\", \"type\": \"book\"}\n  - id: &x smith2020\n  - ? id\n    : folded\n  - id: >-\n      jones2021\n  - {\"id\": \"late\", \"title\": \"J\"\n  - {'id': 'later'}\n";
        assert_eq!(
            ids_in_text(text),
            ["paper", "smith2020", "folded", "jones2021", "late", "later"]
        );
    }

    #[test]
    fn fast_and_tree_paths_build_the_same_model() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for (folder, kind) in [
            ("arguments", FileKind::Map),
            ("references", FileKind::References),
        ] {
            for (path, _) in list(root, folder, kind).unwrap() {
                assert_paths_agree(&fs::read_to_string(&path).unwrap(), kind);
                seen += 1;
            }
        }
        assert!(seen >= 4);
        // Every scalar style, escapes and a multi-line text with citations.
        assert_paths_agree(
            "title: 'It''s a map'\nsource: \"p\\u00e9\"\nclaims:\n  - id: a\n    text: >-\n      folded @k1\n      text [see -@k2, pp. 3-4]\n    cites: ['@k3, 5', \"[@k4]\"]\n    supports: [b, other:c]\n    attacks: [d]\n    section: S\n    quote: |\n      q\n  - {id: b, text: \"x [@k5]\"}\n",
            FileKind::Map,
        );
        assert_paths_agree(
            "references:\n  - id: a\n    type: book\n    title: T\n    author: [{family: Song, given: W., non-dropping-particle: van}, {literal: World Bank}]\n    editor: [{family: E}]\n    issued: {date-parts: [[2014, '5', 1]]}\n    published-print: {date-parts: [[2015]]}\n    DOI: doi:10.1/X\n    URL: http://x\n    note: n\n    volume: 05\n    page: 1-2\n",
            FileKind::References,
        );
    }
}
