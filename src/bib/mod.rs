//! New references, written into a references file: `argmap add` (a DOI's registered
//! CSL-JSON, [`csl_json`]) and `argmap import` (BibTeX and BibLaTeX, [`bibtex`], and
//! CSL-JSON files). Each source becomes [`Entry`]s, CSL items holding what CSL-YAML says,
//! and a list of what it could not say; [`Entry::yaml`] writes one as a block list item;
//! [`append`] adds items to a file's text without touching anything else in it (its
//! comments, order and layout stay byte for byte), so the file is never re-serialised.
//!
//! Ids (`family` + year, ASCII, lowercase, `a`, `b`... on a clash) are made by [`Ids`].

pub mod bibtex;
pub mod csl_json;

use std::collections::HashSet;
use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

use crate::model::Name;

/// The value of a field of a new entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A standard variable (`title`, `page`).
    Text(String),
    /// A name variable (`author`, `editor`).
    Names(Vec<Name>),
    /// A date variable: year, and month and day when known.
    Date(Vec<i32>),
    /// A date only a literal can say (`2014/2015`, `forthcoming`).
    LiteralDate(String),
}

/// A CSL item to write: its id, type and variables, in the order they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The citation key.
    pub id: String,
    /// A CSL type.
    pub csl_type: String,
    /// The variables, in order.
    pub fields: Vec<(String, Field)>,
}

impl Entry {
    /// A variable's text.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields.iter().find_map(|(n, f)| match f {
            Field::Text(t) if n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The year issued, if known.
    pub fn year(&self) -> Option<i32> {
        self.fields.iter().find_map(|(n, f)| match f {
            Field::Date(parts) if n == "issued" => parts.first().copied(),
            _ => None,
        })
    }

    /// The name an id is made from: the first author's family (or literal) name, else the
    /// first editor's, else the title's first word.
    fn id_stem(&self) -> String {
        let names = |var: &str| {
            self.fields.iter().find_map(|(n, f)| match f {
                Field::Names(names) if n == var => names.first().cloned(),
                _ => None,
            })
        };
        match names("author").or_else(|| names("editor")) {
            Some(Name::Personal { family, .. }) => family,
            Some(Name::Literal(s)) => s,
            None => self
                .text("title")
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or("ref")
                .to_owned(),
        }
    }

    /// The entry as a block list item of CSL-YAML, `indent` spaces before its `-`.
    pub fn yaml(&self, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        let _ = writeln!(out, "{pad}- id: {}", scalar(&self.id, false));
        let _ = writeln!(out, "{pad}  type: {}", scalar(&self.csl_type, false));
        for (name, field) in &self.fields {
            match field {
                Field::Text(t) => {
                    let _ = writeln!(out, "{pad}  {name}: {}", scalar(t, false));
                }
                Field::Names(names) => {
                    let _ = writeln!(out, "{pad}  {name}:");
                    for n in names {
                        let _ = writeln!(out, "{pad}    - {}", name_yaml(n));
                    }
                }
                Field::Date(parts) => {
                    let parts: Vec<String> = parts.iter().map(i32::to_string).collect();
                    let _ = writeln!(
                        out,
                        "{pad}  {name}: {{date-parts: [[{}]]}}",
                        parts.join(", ")
                    );
                }
                Field::LiteralDate(s) => {
                    let _ = writeln!(out, "{pad}  {name}: {{literal: {}}}", scalar(s, true));
                }
            }
        }
        out
    }
}

fn name_yaml(n: &Name) -> String {
    match n {
        Name::Personal {
            family,
            given,
            particle,
        } => {
            let mut parts = vec![format!("family: {}", scalar(family, true))];
            if let Some(g) = given {
                parts.push(format!("given: {}", scalar(g, true)));
            }
            if let Some(p) = particle {
                parts.push(format!("non-dropping-particle: {}", scalar(p, true)));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Name::Literal(s) => format!("{{literal: {}}}", scalar(s, true)),
    }
}

/// A string as a YAML scalar: plain where YAML reads it back as this very string (a
/// letter first, or a digit and a `/`, none of YAML's indicators, no `: ` or ` #`, not a word YAML 1.1 reads
/// as a boolean or null), else double-quoted with JSON's escapes (which YAML's are).
/// In a flow collection (`flow`), commas and brackets force quotes too.
pub fn scalar(s: &str, flow: bool) -> String {
    // A digit first is plain only with a `/` (a DOI): no number or date has one.
    let first = s.chars().next();
    let plain = (first.is_some_and(char::is_alphabetic)
        || (first.is_some_and(|c| c.is_ascii_digit()) && s.contains('/')))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| {
            c.is_control()
                || crate::sanitize::is_invisible_format(c)
                || matches!(
                    c,
                    '"' | '\'' | '\\' | '`' | '|' | '>' | '&' | '*' | '!' | '%' | '@'
                )
                || (flow && matches!(c, ',' | '[' | ']' | '{' | '}'))
                || (c.is_whitespace() && c != ' ')
        })
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).expect("a JSON string")
    }
}

/// Makes ids: `family` + year, ASCII letters and digits, lowercase (`García Márquez` 1967
/// is `garciamarquez1967`, no year `nd`), with `a`, `b`, ... when the id is taken.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// Ids already taken (the corpus's references).
    pub fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> Ids {
        Ids {
            taken: taken.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether an id is taken.
    pub fn is_taken(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// Takes an id as it is (an imported key).
    pub fn take(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_owned())
    }

    /// A new id for an entry.
    pub fn make(&mut self, entry: &Entry) -> String {
        let mut stem: String = entry
            .id_stem()
            .nfkd()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if stem.is_empty() || !stem.starts_with(|c: char| c.is_ascii_alphabetic()) {
            stem.insert_str(0, "ref");
        }
        match entry.year() {
            Some(y) => {
                let _ = write!(stem, "{y}");
            }
            None => stem.push_str("nd"),
        }
        let mut id = stem.clone();
        let mut suffix = 0usize;
        while self.taken.contains(&id) {
            id = format!("{stem}{}", letters(suffix));
            suffix += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// `a`, `b`, ..., `z`, `aa`, `ab`, ...
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Why entries cannot be added to a file's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    /// The references are a flow list (`references: [{...}]`).
    #[error("its references are written as a flow list (`[...]`); argmap adds to block lists only")]
    FlowList,
    /// The file has a `references:` key whose value is not a list.
    #[error("its `references:` is not a list")]
    NotAList,
}

/// Where the references list of a file ends, and how its items are indented: read from
/// the text (the last item's last line), not from a parse, so that nothing is rewritten.
struct Layout {
    /// Byte offset where new items go (after the last item, or after `references:`).
    at: usize,
    /// Spaces before an item's `-`.
    indent: usize,
    /// Text to put before the items (a line end, or `references:` itself).
    before: String,
    /// A replacement of `references: []` by `references:`, if needed: (range, text).
    replace: Option<(std::ops::Range<usize>, &'static str)>,
}

/// Whether a line holds nothing but white space or a comment.
fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

fn layout(text: &str) -> Result<Layout, AppendError> {
    // Lines with their start offsets.
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, line));
        start += line.len();
    }
    let key = lines.iter().position(|(_, l)| {
        l.starts_with("references:") && {
            let rest = l["references:".len()..].trim_start();
            rest.is_empty() || rest.starts_with('#') || rest.starts_with('[')
        }
    });
    let Some(key) = key else {
        if lines.iter().any(|(_, l)| l.starts_with("references:")) {
            return Err(AppendError::NotAList);
        }
        let before = match text.is_empty() || text.ends_with('\n') {
            true => "references:\n".to_owned(),
            false => "\nreferences:\n".to_owned(),
        };
        return Ok(Layout {
            at: text.len(),
            indent: 2,
            before,
            replace: None,
        });
    };
    let (key_start, key_line) = lines[key];
    let rest = key_line["references:".len()..].trim();
    if rest.starts_with('[') {
        // `references: []` (with a comment, perhaps) is an empty list to start.
        let empty = rest.strip_prefix('[').map(str::trim_start);
        if empty.is_some_and(|r| r.starts_with(']') && is_blank_or_comment(&r[1..])) {
            let open = key_start + key_line.find('[').expect("a bracket");
            let close = key_start + key_line.find(']').expect("a bracket") + 1;
            let end = key_start + key_line.len();
            let newline = match key_line.ends_with('\n') {
                true => "",
                false => "\n",
            };
            return Ok(Layout {
                at: end,
                indent: 2,
                before: newline.to_owned(),
                replace: Some((open - 1..close, "")),
            });
        }
        return Err(AppendError::FlowList);
    }
    // The block under the key: lines indented or starting with `-`, up to the next
    // top-level key. Items start with `- `.
    let mut indent = None;
    let mut last_content = key;
    for (i, (_, line)) in lines.iter().enumerate().skip(key + 1) {
        if is_blank_or_comment(line) {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let item = line[spaces..].starts_with('-');
        if spaces == 0 && !item {
            break; // the next top-level key
        }
        if item && indent.is_none() {
            indent = Some(spaces);
        }
        last_content = i;
    }
    if last_content == key {
        // `references:` with nothing under it.
        let end = key_start + key_line.len();
        let newline = if key_line.ends_with('\n') { "" } else { "\n" };
        return Ok(Layout {
            at: end,
            indent: 2,
            before: newline.to_owned(),
            replace: None,
        });
    }
    let Some(indent) = indent else {
        return Err(AppendError::NotAList);
    };
    let (start, line) = lines[last_content];
    let at = start + line.len();
    Ok(Layout {
        at,
        indent,
        before: if line.ends_with('\n') {
            String::new()
        } else {
            "\n".into()
        },
        replace: None,
    })
}

/// `text` with `entries` added at the end of its `references:` block list (after its last
/// item, before any comment or key that follows), indented as its items are; a file
/// without the key gets it. Nothing else in the text changes.
pub fn append(text: &str, entries: &[Entry]) -> Result<String, AppendError> {
    let layout = layout(text)?;
    let mut out = String::with_capacity(text.len() + entries.len() * 300);
    let (head, tail) = text.split_at(layout.at);
    match &layout.replace {
        Some((range, with)) => {
            out.push_str(&head[..range.start]);
            out.push_str(with);
            out.push_str(&head[range.end..]);
        }
        None => out.push_str(head),
    }
    out.push_str(&layout.before);
    for entry in entries {
        out.push_str(&entry.yaml(layout.indent));
    }
    out.push_str(tail);
    Ok(out)
}

/// The references file new entries go to, and what it holds now.
#[derive(Debug)]
pub struct Target {
    /// Where it is on disk.
    pub path: std::path::PathBuf,
    /// As it is named to people (relative to ROOT when it is under it).
    pub name: String,
    /// Its text now (empty for a file not there yet).
    pub text: String,
    /// Whether it is there.
    pub exists: bool,
}

/// Why new entries cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The file cannot be read, or is not a regular file.
    #[error("cannot read {0}: {1}")]
    Unreadable(String, String),
    /// Its text cannot take new items.
    #[error("cannot add to {0}: {1}")]
    Layout(String, AppendError),
    /// The text with the new entries does not read as they were meant (a bug, or a file
    /// whose shape the appending does not know): nothing is written.
    #[error(
        "cannot add to {0}: the file would not read back as it should ({1}); nothing was written"
    )]
    Verify(String, String),
}

/// The file to add to: `to`, else the only references file of `corpus`, else
/// `ROOT/references/references.yaml`.
pub fn target(
    root: &std::path::Path,
    to: Option<&std::path::Path>,
    corpus: &crate::Corpus,
) -> Result<Target, TargetError> {
    use crate::load::FileKind;
    let files: Vec<&str> = corpus
        .sources
        .iter()
        .map(|(_, s)| s.path.as_str())
        .filter(|p| FileKind::of_path(p) == Some(FileKind::References))
        .collect();
    let (path, name) = match (to, files.as_slice()) {
        (Some(to), _) => {
            let name = to
                .strip_prefix(root)
                .unwrap_or(to)
                .to_string_lossy()
                .into_owned();
            (to.to_owned(), name)
        }
        (None, [only]) => (root.join(only), (*only).to_owned()),
        (None, _) => (
            root.join("references").join("references.yaml"),
            "references/references.yaml".to_owned(),
        ),
    };
    let unreadable = |e: String| TargetError::Unreadable(name.clone(), e);
    match std::fs::metadata(&path) {
        Ok(meta) if !meta.is_file() => Err(unreadable("it is not a regular file".into())),
        Ok(_) => {
            let bytes = std::fs::read(&path).map_err(|e| unreadable(e.to_string()))?;
            let text =
                String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8".into()))?;
            Ok(Target {
                path,
                name,
                text,
                exists: true,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target {
            path,
            name,
            text: String::new(),
            exists: false,
        }),
        Err(e) => Err(unreadable(e.to_string())),
    }
}

/// The ids and findings a references text reads as (parsed as `argmap check` parses it).
fn read_back(name: &str, text: &str) -> (Vec<String>, usize) {
    use crate::load::{self, Content, FileKind, Loaded};
    let (name, text) = (name.to_owned(), text.as_bytes().to_vec());
    // The parser recurses on nesting: a stack as large as the check's.
    let parsed = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            load::parse(
                crate::source::FileId(0),
                name,
                FileKind::References,
                Content::Bytes(text),
            )
        })
        .expect("a thread")
        .join()
        .expect("the parser does not panic");
    let ids = match &parsed.loaded {
        Loaded::References(refs) => refs.iter().map(|r| r.id.value.clone()).collect(),
        _ => Vec::new(),
    };
    (ids, parsed.diagnostics.len())
}

/// The target's text with `entries` added (see [`append`]), checked by reading it back:
/// the file's references and then the new ones, and no finding more than before. A new
/// file under a ROOT with `schemas/references.schema.json` starts with its modeline, as
/// `argmap init`'s do.
pub fn added(target: &Target, entries: &[Entry], modeline: bool) -> Result<String, TargetError> {
    let mut before = target.text.clone();
    if !target.exists && modeline {
        before.push_str("# yaml-language-server: $schema=../schemas/references.schema.json\n");
    }
    let after =
        append(&before, entries).map_err(|e| TargetError::Layout(target.name.clone(), e))?;
    let (old_ids, old_findings) = read_back(&target.name, &target.text);
    let (new_ids, new_findings) = read_back(&target.name, &after);
    let mut expected = old_ids;
    expected.extend(entries.iter().map(|e| e.id.clone()));
    if new_ids != expected {
        return Err(TargetError::Verify(
            target.name.clone(),
            format!(
                "it would hold {} references, not {}",
                new_ids.len(),
                expected.len()
            ),
        ));
    }
    if new_findings > old_findings {
        return Err(TargetError::Verify(
            target.name.clone(),
            format!("{} new findings", new_findings - old_findings),
        ));
    }
    Ok(after)
}

/// A unified diff of a file's text before and after, for `--dry-run`.
pub fn diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            csl_type: "book".into(),
            fields: vec![("title".into(), Field::Text("A: title".into()))],
        }
    }

    #[test]
    fn scalars_are_plain_only_when_yaml_reads_them_back() {
        assert_eq!(
            scalar("The Structure of Ordinary Water", false),
            "The Structure of Ordinary Water"
        );
        for s in [
            "169", "A: b", "yes", "No", "#x", "-x", "a #b", "[x", "x\ny", "", " x", "\"q\"", "null",
        ] {
            let written = scalar(s, false);
            let read: String = serde_saphyr::from_str(&format!("v: {written}"))
                .map(|m: std::collections::BTreeMap<String, String>| m["v"].clone())
                .unwrap_or_else(|e| panic!("{s:?} as {written}: {e}"));
            assert_eq!(read, s, "{written}");
        }
        assert_eq!(scalar("a, b", true), "\"a, b\"");
        assert_eq!(scalar("a, b", false), "a, b");
    }

    #[test]
    fn appending_keeps_everything_else_and_follows_the_indentation() {
        let text = "# comment\nreferences:\n    - id: a   # kept\n      type: book\n      title: A\n\n# trailing comment\n";
        let out = append(text, &[entry("b")]).unwrap();
        assert_eq!(
            out,
            "# comment\nreferences:\n    - id: a   # kept\n      type: book\n      title: A\n    - id: b\n      type: book\n      title: \"A: title\"\n\n# trailing comment\n"
        );
        // A key after the list stays after it.
        let text = "references:\n- id: a\n  type: book\n  title: A\nnocite: '@*'\n";
        let out = append(text, &[entry("b")]).unwrap();
        assert!(
            out.ends_with(
                "  title: A\n- id: b\n  type: book\n  title: \"A: title\"\nnocite: '@*'\n"
            ),
            "{out}"
        );
        // No newline at the end, an empty list, no list at all.
        assert_eq!(
            append(
                "references:\n  - id: a\n    type: book\n    title: A",
                &[entry("b")]
            )
            .unwrap(),
            "references:\n  - id: a\n    type: book\n    title: A\n  - id: b\n    type: book\n    title: \"A: title\"\n"
        );
        assert_eq!(
            append("references: []  # none yet\n", &[entry("b")]).unwrap(),
            "references:  # none yet\n  - id: b\n    type: book\n    title: \"A: title\"\n"
        );
        assert_eq!(
            append("", &[entry("b")]).unwrap(),
            "references:\n  - id: b\n    type: book\n    title: \"A: title\"\n"
        );
        assert_eq!(
            append("references: [{id: a}]\n", &[entry("b")]),
            Err(AppendError::FlowList)
        );
    }

    #[test]
    fn ids_are_family_and_year_with_letters_on_clashes() {
        let mut e = entry("");
        e.fields.push((
            "author".into(),
            Field::Names(vec![Name::Personal {
                family: "García Márquez".into(),
                given: None,
                particle: None,
            }]),
        ));
        e.fields.push(("issued".into(), Field::Date(vec![1967])));
        let mut ids = Ids::new(["garciamarquez1967"]);
        assert_eq!(ids.make(&e), "garciamarquez1967a");
        assert_eq!(ids.make(&e), "garciamarquez1967b");
        assert_eq!(letters(25), "z");
        assert_eq!(letters(26), "aa");
        let untitled = Entry {
            fields: vec![],
            ..entry("")
        };
        assert_eq!(Ids::default().make(&untitled), "refnd");
    }
}
