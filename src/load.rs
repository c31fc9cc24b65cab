//! Loading: files → [`Corpus`] + diagnostics.
//!
//! Files are read and parsed in parallel; each becomes a source (for reports) and, when it
//! is well-formed, part of the model. Loading never stops at the first problem: every file
//! is read and every schema problem reported. It fails (exit 2) only when ROOT or a file
//! cannot be read at all.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::citation::{self, parse_cites_entry};
use crate::diagnostic::{Diagnostic, Label, Rule, Severity, did_you_mean};
use crate::doi;
use crate::model::{
    ArgumentMap, Citation, CitationOrigin, Claim, ClaimRef, Corpus, Date, DoiField, Link, Name,
    Reference, Relation,
};
use crate::source::{FileId, SourceFile, Span, Spanned};
use crate::yaml::{self, Kind, Node};

mod csl;
mod fast;

pub use csl::CSL_TYPES;

/// Stack size of the loading threads.
const PARSER_STACK_BYTES: usize = 64 << 20;

/// Files larger than this are refused: no argument map or bibliography is this big, and a
/// file of junk must not cost unbounded time or memory.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

pub static YAML_SYNTAX: Rule = Rule {
    name: "yaml-syntax",
    severity: Severity::Error,
    summary: "a file is not well-formed YAML",
    doc: "The file could not be parsed as YAML: bad indentation, an unclosed bracket or quote, \
          a tab used for indentation, a duplicate key, several documents in one file, or \
          binary content. Resource bounds are enforced here too: nesting deeper than 64 levels \
          or an alias expansion bomb is refused rather than followed. Nothing else is checked \
          in a file that fails to parse, so fix this first.",
};

pub static INVALID_UTF8: Rule = Rule {
    name: "invalid-utf8",
    severity: Severity::Error,
    summary: "a file is not UTF-8 text",
    doc: "argmap reads UTF-8 (with or without a byte-order mark). A file in another encoding \
          (Latin-1, Windows-1252, UTF-16) or with binary bytes is reported at the first byte \
          that is not UTF-8 and is not checked further. Re-save it as UTF-8.",
};

pub static FILE_TOO_LARGE: Rule = Rule {
    name: "file-too-large",
    severity: Severity::Error,
    summary: "a file is larger than argmap reads (32 MiB)",
    doc: "A single map or reference file over 32 MiB is refused without being read, so that a \
          stray data dump cannot make a check take unbounded time or memory. Real maps are far \
          smaller; split a huge bibliography into several files in `references/`.",
};

pub static SCHEMA: Rule = Rule {
    name: "schema",
    severity: Severity::Error,
    summary: "a field is missing, of the wrong type, or unknown",
    doc: "The YAML is well-formed but does not have the shape argmap reads: a required field \
          is missing (`title`, `source`, `claims` for a map; `id`, `text` for a claim; `id`, \
          `type`, `title` for a reference), a value has the wrong type (a list where text is \
          expected), a claim id has characters other than letters, digits, `-` and `_`, a \
          link is not `id` or `map:id`, a CSL `type` is not a CSL type, or a map has a field \
          argmap does not know. Unknown and misspelt names come with a did-you-mean.",
};

pub static CSL_FIELD_NAME: Rule = Rule {
    name: "csl-field-name",
    severity: Severity::Warning,
    summary: "a reference field is not a CSL variable",
    doc: "References are CSL items, and pandoc (citeproc) silently ignores fields that are not \
          CSL variables, so the data is lost from every bibliography. Common slips are BibTeX \
          or lower-case names: `doi` for `DOI`, `authors` for `author`, `year` for `issued`, \
          `journal` for `container-title`, `pages` for `page`. The message names the CSL \
          variable to use.",
};

pub static CITATION_SYNTAX: Rule = Rule {
    name: "citation-syntax",
    severity: Severity::Error,
    summary: "an entry of a claim's `cites` list is not a citation",
    doc: "Each entry of `cites` is one pandoc citation item: `@key`, optionally with a prefix \
          and a locator (`see @song2014, pp. 85-101`), with or without brackets. An entry with \
          no `@key` (a bare `song2014`) or with several works in one entry (`@a; @b`) is \
          reported; write `@` before the key and give each work its own entry.",
};

/// Why a check could not run at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("ROOT `{0}` does not exist or is not a folder")]
    MissingRoot(PathBuf),
    #[error("`{}` has no `{folder}/` folder (argmap reads ROOT/arguments/*.yaml and ROOT/references/*.yaml)", root.display())]
    MissingFolder { root: PathBuf, folder: &'static str },
    #[error("cannot read `{}`: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Map,
    References,
}

/// What one file contributed.
enum Loaded {
    Map(ArgumentMap),
    References(Vec<Reference>),
    /// Unparseable: only its diagnostics remain.
    Broken,
}

/// Reads ROOT and builds the model. See the module docs.
pub fn load(root: &Path) -> Result<(Corpus, Vec<Diagnostic>), LoadError> {
    if !root.is_dir() {
        return Err(LoadError::MissingRoot(root.to_owned()));
    }
    let mut files = list(root, "references", FileKind::References)?;
    files.extend(list(root, "arguments", FileKind::Map)?);
    // Deserialising nested YAML recurses; the nesting bound (yaml::MAX_DEPTH) is only safe
    // with stacks larger than rayon's default, notably in unoptimised builds.
    let load_all = || {
        files
            .par_iter()
            .enumerate()
            .map(|(i, (path, kind))| load_file(root, path, *kind, FileId(i as u32)))
            .collect::<Result<Vec<_>, _>>()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .stack_size(PARSER_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(load_all)?,
        // No threads to be had: read on this thread (the main stack is large enough).
        Err(_) => load_all()?,
    };

    let mut corpus = Corpus::default();
    let mut diagnostics = Vec::new();
    for (source, loaded, diags) in results {
        let is_map_file = source.path.starts_with("arguments/");
        let stem = source.stem().to_owned();
        corpus.sources.add(source);
        diagnostics.extend(diags);
        match loaded {
            Loaded::Map(map) => corpus.maps.push(map),
            Loaded::References(refs) => corpus.references.extend(refs),
            Loaded::Broken if is_map_file => {
                corpus.unreadable_maps.insert(stem);
            }
            Loaded::Broken => {}
        }
    }
    corpus.maps.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((corpus, diagnostics))
}

/// `ROOT/<folder>/*.yaml` and `*.yml`, sorted by name.
fn list(
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
    let unreadable = |source| LoadError::Unreadable {
        path: dir.clone(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(&dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if is_yaml && path.is_file() {
            paths.push((path, kind));
        }
    }
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(paths)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_file(
    root: &Path,
    path: &Path,
    kind: FileKind,
    file: FileId,
) -> Result<(SourceFile, Loaded, Vec<Diagnostic>), LoadError> {
    let rel = relative(root, path);
    let unreadable = |source| LoadError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let size = fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        let d = Diagnostic::new(
            &FILE_TOO_LARGE,
            Label::new(Span::new(file, 0, 0), "not read"),
            format!(
                "{rel} is {} MiB; argmap reads files of up to 32 MiB",
                size >> 20
            ),
        )
        .with_help("split the file; real maps and bibliographies are far smaller");
        return Ok((SourceFile::new(rel, String::new()), Loaded::Broken, vec![d]));
    }
    let bytes = fs::read(path).map_err(unreadable)?;
    let (text, encoding_problem) = decode(bytes);
    if let Some((offset, help)) = encoding_problem {
        let source = SourceFile::new(rel, text);
        let d = Diagnostic::new(
            &INVALID_UTF8,
            Label::new(Span::new(file, offset, offset), "not UTF-8"),
            format!("{} is not valid UTF-8 text", source.path),
        )
        .with_help(help);
        return Ok((source, Loaded::Broken, vec![d]));
    }
    let source = SourceFile::new(rel, text);
    let mut reader = Reader {
        file,
        text: &source.text,
        diagnostics: Vec::new(),
    };
    // Valid files take the fast path; anything it does not accept is read again, slowly,
    // by the tree-based reader, which says what is wrong.
    let fast = match kind {
        FileKind::Map => fast::map(&source.text, file, source.stem()).map(Loaded::Map),
        FileKind::References => fast::references(&source.text, file).map(Loaded::References),
    };
    if let Some(loaded) = fast {
        return Ok((source, loaded, Vec::new()));
    }
    let loaded = match yaml::parse(&source.text) {
        Err(e) => {
            let end = next_char_boundary(&source.text, e.offset);
            reader.diagnostics.push(
                Diagnostic::new(
                    &YAML_SYNTAX,
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
                .map_or(Loaded::Broken, Loaded::Map),
            FileKind::References => Loaded::References(reader.references(&root)),
        },
    };
    let diagnostics = reader.diagnostics;
    Ok((source, loaded, diagnostics))
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

const MAP_FIELDS: &[&str] = &["title", "source", "claims"];
const CLAIM_FIELDS: &[&str] = &[
    "id", "text", "cites", "supports", "attacks", "section", "quote",
];

/// Turns one file's YAML tree into model values, collecting schema diagnostics.
struct Reader<'a> {
    file: FileId,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn span(&self, node: &Node) -> Span {
        // Collections have an empty range: label their first character.
        let end = if node.end > node.start {
            node.end
        } else {
            next_char_boundary(self.text, node.start.min(self.text.len()))
        };
        Span::new(self.file, node.start, end)
    }

    fn report(
        &mut self,
        rule: &'static Rule,
        node: &Node,
        label: &str,
        message: String,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::new(rule, Label::new(self.span(node), label), message);
        d.help = help;
        self.diagnostics.push(d);
    }

    fn schema(&mut self, node: &Node, label: &str, message: String, help: Option<String>) {
        self.report(&SCHEMA, node, label, message, help);
    }

    /// The entries of a mapping, or a schema error naming what was expected.
    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            _ => {
                self.schema(
                    node,
                    "expected a mapping",
                    format!(
                        "{what} should be a mapping of fields, found {}",
                        node.describe()
                    ),
                    None,
                );
                None
            }
        }
    }

    fn key(&self, key: &Node) -> String {
        key.scalar_text(self.text)
            .map(|s| s.into_owned())
            .unwrap_or_default()
    }

    /// Text, or a number/boolean in its source spelling; schema error otherwise.
    fn string(&mut self, node: &Node, field: &str) -> Option<Spanned<String>> {
        match node.scalar_text(self.text) {
            Some(s) => Some(Spanned::new(s.into_owned(), self.span(node))),
            None => {
                self.schema(
                    node,
                    "expected text",
                    format!("`{field}` should be text, found {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// A list of text entries (a single text is read as a one-entry list).
    fn strings<'n>(&mut self, node: &'n Node, field: &str) -> Vec<&'n Node> {
        match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .filter(|item| {
                    let ok = item.scalar_text(self.text).is_some();
                    if !ok {
                        self.schema(
                            item,
                            "expected text",
                            format!(
                                "entries of `{field}` should be text, found {}",
                                item.describe()
                            ),
                            None,
                        );
                    }
                    ok
                })
                .collect(),
            Kind::Str(_) => vec![node],
            Kind::Null => Vec::new(),
            _ => {
                self.schema(
                    node,
                    "expected a list",
                    format!("`{field}` should be a list, found {}", node.describe()),
                    Some(format!("write `{field}: [a, b]`")),
                );
                Vec::new()
            }
        }
    }

    fn unknown_field(&mut self, key: &Node, name: &str, known: &[&str], context: &str) {
        let help = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| Some(format!("{context} fields are: {}", known.join(", "))));
        self.schema(
            key,
            "unknown field",
            format!("unknown {context} field `{name}`"),
            help,
        );
    }

    /// Reports a required field that is absent, unless a misspelt key already named it
    /// (`titel` has been reported with "did you mean `title`?").
    fn missing(&mut self, node: &Node, field: &str, what: &str) {
        if let Kind::Map(entries) = &node.kind {
            let misspelt = entries.iter().any(|(k, _)| {
                let key = self.key(k);
                key != field && did_you_mean(&key, [field]).is_some()
            });
            if misspelt {
                return;
            }
        }
        self.schema(
            node,
            &format!("`{field}` missing"),
            format!("{what} has no `{field}`"),
            None,
        );
    }

    // ---- argument maps ----

    fn map(&mut self, root: &Node, name: &str) -> Option<ArgumentMap> {
        let entries = self.mapping(root, "an argument map")?;
        let (mut title, mut source, mut claims_node) = (None, None, None);
        for (key, value) in entries {
            match self.key(key).as_str() {
                "title" => title = self.string(value, "title"),
                "source" => source = self.string(value, "source"),
                "claims" => claims_node = Some(value),
                other => self.unknown_field(key, other, MAP_FIELDS, "map"),
            }
        }
        if title.is_none() && !entries.iter().any(|(k, _)| self.key(k) == "title") {
            self.missing(root, "title", "the map");
        }
        if source.is_none() && !entries.iter().any(|(k, _)| self.key(k) == "source") {
            self.missing(root, "source", "the map");
        }
        let mut claims = Vec::new();
        match claims_node.map(|n| (n, &n.kind)) {
            None => self.missing(root, "claims", "the map"),
            Some((_, Kind::Seq(items))) if !items.is_empty() => {
                claims.reserve(items.len());
                for item in items {
                    if let Some(claim) = self.claim(item) {
                        claims.push(claim);
                    }
                }
            }
            Some((node, _)) => self.schema(
                node,
                "expected a non-empty list",
                "`claims` should be a non-empty list of claims".into(),
                None,
            ),
        }
        Some(ArgumentMap {
            name: name.to_owned(),
            file: self.file,
            title,
            source,
            claims,
        })
    }

    fn claim(&mut self, node: &Node) -> Option<Claim> {
        let entries = self.mapping(node, "a claim")?;
        let mut id = None;
        let mut text = None;
        let mut citations = Vec::new();
        let mut cites = Vec::new();
        let mut links = Vec::new();
        let (mut section, mut quote) = (None, None);
        for (key, value) in entries {
            match self.key(key).as_str() {
                "id" => id = self.claim_id(value),
                "text" => {
                    text = self.string(value, "text");
                    if let Some(t) = &text {
                        citations =
                            text_citations(self.file, self.text, value.start..value.end, &t.value);
                    }
                }
                "cites" => {
                    for entry in self.strings(value, "cites") {
                        cites.extend(self.cites_entry(entry));
                    }
                }
                "supports" => links.extend(self.links(value, Relation::Supports)),
                "attacks" => links.extend(self.links(value, Relation::Attacks)),
                "section" => section = self.string(value, "section"),
                "quote" => quote = self.string(value, "quote"),
                other => self.unknown_field(key, other, CLAIM_FIELDS, "claim"),
            }
        }
        let text_given = entries.iter().any(|(k, _)| self.key(k) == "text");
        let id_given = entries.iter().any(|(k, _)| self.key(k) == "id");
        if !text_given {
            self.missing(node, "text", "the claim");
        }
        let Some(id) = id else {
            if !id_given {
                self.missing(node, "id", "the claim");
            }
            return None;
        };
        links.sort_by_key(|l| l.span.start);
        citations.extend(cites);
        Some(Claim {
            id,
            text,
            citations,
            links,
            section,
            quote,
            span: self.span(node),
        })
    }

    fn claim_id(&mut self, node: &Node) -> Option<Spanned<String>> {
        let id = self.string(node, "id")?;
        if !valid_claim_id(&id.value) {
            self.schema(
                node,
                "invalid id",
                format!(
                    "claim id `{}` may use only letters, digits, `-` and `_`",
                    id.value
                ),
                Some("ids are what links name: `supports: [my-claim]`".into()),
            );
            return None;
        }
        Some(id)
    }

    fn cites_entry(&mut self, node: &Node) -> Option<Citation> {
        let entry = node.scalar_text(self.text)?.into_owned();
        match cites_citation(self.file, self.text, node.start..node.end, &entry) {
            Ok(citation) => Some(citation),
            Err(why) => {
                let help = if entry.trim().is_empty() {
                    "remove the empty entry".to_owned()
                } else {
                    let key = entry
                        .trim()
                        .trim_start_matches(['[', '@'])
                        .trim_end_matches(']');
                    format!("write it as `\"@{key}\"`")
                };
                self.report(
                    &CITATION_SYNTAX,
                    node,
                    "not a citation",
                    format!("`{entry}` is not a citation: {why}"),
                    Some(help),
                );
                None
            }
        }
    }

    fn links(&mut self, node: &Node, relation: Relation) -> Vec<Link> {
        let mut out = Vec::new();
        for entry in self.strings(node, relation.field()) {
            let Some(text) = entry.scalar_text(self.text) else {
                continue;
            };
            match ClaimRef::parse(&text) {
                Some(target) => out.push(Link {
                    relation,
                    target,
                    span: self.span(entry),
                }),
                None => self.schema(
                    entry,
                    "not a claim reference",
                    format!("`{text}` is not a claim reference"),
                    Some("write `claim-id`, or `map:claim-id` for a claim of another map".into()),
                ),
            }
        }
        out
    }

    // ---- references ----

    fn references(&mut self, root: &Node) -> Vec<Reference> {
        let Some(entries) = self.mapping(root, "a reference file") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen = false;
        for (key, value) in entries {
            match self.key(key).as_str() {
                "references" => {
                    seen = true;
                    match &value.kind {
                        Kind::Seq(items) => {
                            out.reserve(items.len());
                            out.extend(items.iter().filter_map(|item| self.reference(item)));
                        }
                        Kind::Null => {}
                        _ => self.schema(
                            value,
                            "expected a list",
                            format!(
                                "`references` should be a list of CSL items, found {}",
                                value.describe()
                            ),
                            None,
                        ),
                    }
                }
                other => self.unknown_field(key, other, &["references"], "reference file"),
            }
        }
        if !seen {
            self.schema(
                root,
                "`references` missing",
                "a reference file needs a top-level `references:` list".into(),
                Some(
                    "CSL-YAML as pandoc reads it: `references:` followed by `- id: ...` items"
                        .into(),
                ),
            );
        }
        out
    }

    fn reference(&mut self, node: &Node) -> Option<Reference> {
        let entries = self.mapping(node, "a reference")?;
        let mut id = None;
        let mut csl_type = None;
        let mut title = None;
        let mut r = Reference::empty(self.span(node));
        for (key, value) in entries {
            let name = self.key(key);
            match name.as_str() {
                "id" => id = self.string(value, "id"),
                "type" => csl_type = self.csl_type(value),
                "title" => title = self.string(value, "title"),
                "author" => r.authors = self.names(value, "author"),
                "editor" => r.editors = self.names(value, "editor"),
                "issued" => r.issued = self.date(value, "issued"),
                "published-print" => r.published_print = self.date(value, "published-print"),
                "container-title" => r.container_title = self.string(value, "container-title"),
                "URL" => r.url = self.string(value, "URL"),
                "note" => r.note = self.string(value, "note"),
                "DOI" => {
                    r.doi = self.string(value, "DOI").map(|raw| DoiField {
                        parsed: doi::parse(&raw.value),
                        raw,
                    })
                }
                other if csl::NAME_VARIABLES.contains(&other) => {
                    self.names(value, other);
                }
                other if csl::DATE_VARIABLES.contains(&other) => {
                    self.date(value, other);
                }
                other if csl::is_variable(other) => {
                    if matches!(value.kind, Kind::Seq(_) | Kind::Map(_))
                        && !csl::STRUCTURED.contains(&other)
                    {
                        self.string(value, other);
                    }
                }
                other => self.csl_field_name(key, other),
            }
        }
        let what = match &id {
            Some(id) => format!("reference `{}`", id.value),
            None => "the reference".to_owned(),
        };
        for (field, present) in [
            ("id", id.is_some()),
            ("type", csl_type.is_some()),
            ("title", title.is_some()),
        ] {
            if !present && !entries.iter().any(|(k, _)| self.key(k) == field) {
                self.missing(node, field, &what);
            }
        }
        r.id = id?;
        if let Some(t) = csl_type {
            r.csl_type = t;
        }
        if let Some(t) = title {
            r.title = t;
        }
        Some(r)
    }

    fn csl_type(&mut self, node: &Node) -> Option<Spanned<String>> {
        let t = self.string(node, "type")?;
        if !CSL_TYPES.contains(&t.value.as_str()) {
            let help = csl::type_alias(&t.value)
                .or_else(|| did_you_mean(&t.value, CSL_TYPES.iter().copied()))
                .map(|s| format!("did you mean `{s}`?"))
                .or(Some("see https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types".into()));
            self.schema(
                node,
                "not a CSL type",
                format!("`{}` is not a CSL item type", t.value),
                help,
            );
        }
        Some(t)
    }

    fn csl_field_name(&mut self, key: &Node, name: &str) {
        let suggestion = csl::variable_alias(name).or_else(|| did_you_mean(name, csl::variables()));
        let (message, help) = match suggestion {
            Some(s) => (
                format!("`{name}` is not a CSL variable; did you mean `{s}`?"),
                format!("rename it to `{s}`: pandoc ignores `{name}`"),
            ),
            None => (
                format!("`{name}` is not a CSL variable"),
                "pandoc ignores fields that are not CSL variables; use `note` for free text".into(),
            ),
        };
        self.report(
            &CSL_FIELD_NAME,
            key,
            "not a CSL variable",
            message,
            Some(help),
        );
    }

    fn names(&mut self, node: &Node, field: &str) -> Vec<Name> {
        let Kind::Seq(items) = &node.kind else {
            self.schema(
                node,
                "expected a list of names",
                format!("`{field}` should be a list of names, found {}", node.describe()),
                Some(format!("write `{field}: [{{family: Song, given: Weiqing}}]` or `[{{literal: World Bank}}]`")),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Kind::Str(s) = &item.kind {
                // pandoc accepts a bare string as a literal name
                out.push(Name::Literal(s.clone()));
                continue;
            }
            let Some(entries) = self.mapping(item, "a name") else {
                continue;
            };
            let (mut family, mut given, mut particle, mut literal) = (None, None, None, None);
            for (key, value) in entries {
                let k = self.key(key);
                match k.as_str() {
                    "family" => family = self.string(value, "family"),
                    "given" => given = self.string(value, "given"),
                    "non-dropping-particle" => {
                        particle = self.string(value, "non-dropping-particle")
                    }
                    "literal" => literal = self.string(value, "literal"),
                    "dropping-particle" | "suffix" | "comma-suffix" | "static-ordering"
                    | "parse-names" => {}
                    other => self.unknown_field(key, other, csl::NAME_PARTS, "name"),
                }
            }
            match (family, literal) {
                (Some(f), _) => out.push(Name::Personal {
                    family: f.value,
                    given: given.map(|g| g.value),
                    particle: particle.map(|p| p.value),
                }),
                (None, Some(l)) => out.push(Name::Literal(l.value)),
                (None, None) => self.schema(
                    item,
                    "no family or literal",
                    "a name needs `family` (with `given`) or `literal`".into(),
                    None,
                ),
            }
        }
        out
    }

    fn date(&mut self, node: &Node, field: &str) -> Option<Date> {
        let bad = |this: &mut Self| {
            this.schema(
                node,
                "not a date",
                format!("`{field}` is not a CSL date"),
                Some(format!(
                    "write `{field}: {{date-parts: [[2014, 5]]}}`, `{field}: 2014` or `{field}: \"2014-05-01\"`"
                )),
            );
            None
        };
        match &node.kind {
            Kind::Int(y) => i32::try_from(*y).ok().map(|year| Date {
                year,
                month: None,
                day: None,
            }),
            Kind::Str(s) => match iso_date(s) {
                Some(d) => Some(d),
                None => bad(self),
            },
            Kind::Map(entries) => {
                let mut date = None;
                let mut any = false;
                for (key, value) in entries {
                    match self.key(key).as_str() {
                        "date-parts" => {
                            any = true;
                            match date_parts(value) {
                                Ok(d) => date = d,
                                Err(()) => return bad(self),
                            }
                        }
                        "literal" | "raw" => {
                            any = true;
                            if date.is_none() {
                                date = value.scalar_text(self.text).and_then(|s| iso_date(&s));
                            }
                        }
                        "season" | "circa" => {}
                        other => self.unknown_field(key, other, csl::DATE_PARTS, "date"),
                    }
                }
                if !any {
                    return bad(self);
                }
                date
            }
            _ => bad(self),
        }
    }
}

/// Claim ids are what links name: letters, digits, `-` and `_`.
fn valid_claim_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The citations in a claim's text, spelt at `scalar` in `source`.
fn text_citations(file: FileId, source: &str, scalar: Range<usize>, text: &str) -> Vec<Citation> {
    if !text.contains('@') {
        return Vec::new(); // the common case, and the parser's only trigger
    }
    citation::parse_text(text)
        .into_iter()
        .map(|c| {
            let range = yaml::locate(source, scalar.clone(), text, c.item.key_range.clone());
            Citation {
                item: c.item,
                key_span: Span::new(file, range.start, range.end),
                origin: CitationOrigin::Text,
            }
        })
        .collect()
}

/// One entry of a claim's `cites` list, spelt at `scalar` in `source`.
fn cites_citation(
    file: FileId,
    source: &str,
    scalar: Range<usize>,
    entry: &str,
) -> Result<Citation, citation::CitesError> {
    let item = parse_cites_entry(entry)?;
    let range = yaml::locate(source, scalar, entry, item.key_range.clone());
    Ok(Citation {
        item,
        key_span: Span::new(file, range.start, range.end),
        origin: CitationOrigin::Cites,
    })
}

/// `2014`, `2014-05`, `2014-05-01` (and EDTF-like strings that start with a year).
fn iso_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let year_str = parts.next()?;
    if year_str.len() != 4 || !year_str.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = year_str.parse().ok()?;
    let month = parts.next().and_then(|m| m.get(..2)?.parse().ok());
    let day = parts.next().and_then(|d| d.get(..2)?.parse().ok());
    Some(Date { year, month, day })
}

/// `[[2014, 5, 1]]` (also `[2014]` and quoted numbers); `Ok(None)` for an empty list.
fn date_parts(node: &Node) -> Result<Option<Date>, ()> {
    let Kind::Seq(outer) = &node.kind else {
        return Err(());
    };
    let Some(first) = outer.first() else {
        return Ok(None);
    };
    let parts: &[Node] = match &first.kind {
        Kind::Seq(inner) => inner,
        _ => outer, // flat: [2014, 5]
    };
    let num = |n: &Node| -> Result<Option<i64>, ()> {
        match &n.kind {
            Kind::Int(i) => Ok(Some(*i)),
            Kind::Str(s) => s.trim().parse().map(Some).map_err(|_| ()),
            Kind::Null => Ok(None),
            _ => Err(()),
        }
    };
    let Some(year) = parts.first().map(num).transpose()?.flatten() else {
        return Ok(None);
    };
    let month = parts.get(1).map(num).transpose()?.flatten();
    let day = parts.get(2).map(num).transpose()?.flatten();
    Ok(Some(Date {
        year: i32::try_from(year).map_err(|_| ())?,
        month: month.and_then(|m| u8::try_from(m).ok()),
        day: day.and_then(|d| u8::try_from(d).ok()),
    }))
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
