//! YAML with positions: serde-saphyr deserialises each file into a small tree whose every
//! node knows its byte range, and [`locate`] maps an offset inside a decoded string back
//! to the source, through quotes, escapes, folding and block indentation.
//!
//! serde_yaml is archived and gives values no positions; serde-saphyr is maintained, is
//! fuzzed not to panic, bounds resources (depth, aliases, nodes) and has `Spanned<T>`.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Options, Spanned};

/// A YAML value and its byte range in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: Kind,
    /// Byte range in the source. For a quoted scalar it includes the quotes; for a block
    /// scalar it is the content after the `|`/`>` header; a collection's range is empty,
    /// at its first token.
    pub start: usize,
    /// Past the last byte (see `start`).
    pub end: usize,
    /// Where the value is written: the node's own range, or for an alias the range of
    /// the anchored value it repeats.
    pub spelt: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
/// The kind of a YAML value.
pub enum Kind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, its entries in file order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What the node is, for messages ("expected text, found a list").
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) | Kind::Float(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// The scalar's text: the decoded string, or the source spelling of a number or
    /// boolean (so `volume: 05` stays `05`). `None` for null and collections.
    pub fn scalar_text<'a>(&'a self, source: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        match &self.kind {
            Kind::Str(s) => Some(s.as_str().into()),
            // An alias (`*n`) is spelt where its anchor's value is.
            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => Some(
                source
                    .get(self.spelt.clone())
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && !s.starts_with(['*', '&']))
                    .map_or_else(|| self.display().into(), Into::into),
            ),
            _ => None,
        }
    }

    /// A number or boolean written as YAML would print it.
    fn display(&self) -> String {
        match self.kind {
            Kind::Bool(b) => b.to_string(),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            _ => String::new(),
        }
    }
}

/// Deserialised shape, before spans are converted to byte ranges.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        charge_text(v.len())?;
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        charge_text(v.len())?;
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let _depth = DepthGuard::enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let _depth = DepthGuard::enter()?;
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

fn convert(raw: Spanned<Raw>, text: &str) -> Node {
    let range = |location: &serde_saphyr::Location| {
        let span = location.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        start..start + span.byte_len().unwrap_or(0) as usize
    };
    let Range { start, end } = range(&raw.referenced);
    let spelt = range(&raw.defined);
    let (kind, end) = match raw.value {
        Raw::Null => (Kind::Null, end),
        Raw::Bool(b) => (Kind::Bool(b), end),
        Raw::Int(i) => (Kind::Int(i), end),
        Raw::Float(f) => (Kind::Float(f), end),
        Raw::Str(s) => (Kind::Str(overflowed(s, text.get(spelt.clone()))), end),
        Raw::Seq(items) => (
            Kind::Seq(items.into_iter().map(|i| convert(i, text)).collect()),
            start,
        ),
        Raw::Map(entries) => (
            Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (convert(k, text), convert(v, text)))
                    .collect(),
            ),
            start,
        ),
    };
    Node {
        kind,
        start,
        end,
        spelt,
    }
}

/// A number too large for a float (`1e310`) is read as infinity, which the non-finite
/// policy turns into the text `.inf`: it is text to argmap, spelt as the file spells it (as
/// the fast reader reads it), not as infinity is spelt.
fn overflowed(value: String, spelt: Option<&str>) -> String {
    match spelt.map(str::trim) {
        Some(spelling)
            if spelling != value && spelling.parse::<f64>().is_ok_and(|f| !f.is_finite()) =>
        {
            spelling.to_owned()
        }
        _ => value,
    }
}

/// Whether `gap`, the text between two entries of a YAML list (or before the first), is
/// only the list's punctuation: blanks and line breaks around exactly one `,` (flow) or
/// `-` (block). An edit that removes an entry with such a gap touches nothing else: no
/// comment, no entry a reader could not take.
pub(crate) fn is_list_separator(gap: &str) -> bool {
    gap.chars()
        .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | '-'))
        && gap.matches([',', '-']).count() == 1
}

/// A file that is not well-formed YAML (or exceeds a resource bound).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// Nesting deeper than this is refused: no map needs it, and it bounds recursion.
pub const MAX_DEPTH: usize = 64;

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes of text the document may still decode to (see [`text_budget`]).
    static TEXT_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// The most text a document of `len` bytes may decode to. Without aliases a document
/// decodes to at most its own length; aliases repeat their anchor's value, and a few
/// hundred aliases of one long scalar would decode to gigabytes from a file of a megabyte
/// (the alias limits count events, and a scalar is one event).
fn text_budget(len: usize) -> usize {
    len.saturating_mul(4).saturating_add(1 << 20)
}

/// Takes `len` bytes of decoded text from the document's budget.
fn charge_text<E: de::Error>(len: usize) -> Result<(), E> {
    TEXT_LEFT.with(|left| match left.get().checked_sub(len) {
        Some(rest) => {
            left.set(rest);
            Ok(())
        }
        None => Err(E::custom(
            "aliases repeat more text than argmap reads (more than four times the file)",
        )),
    })
}

/// Counts nesting while a collection is read; errors past [`MAX_DEPTH`].
struct DepthGuard;

impl DepthGuard {
    fn enter<E: de::Error>() -> Result<DepthGuard, E> {
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let guard = DepthGuard;
        if depth > MAX_DEPTH {
            return Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(guard)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
    }
}

/// Alias expansion (billion laughs) is bounded by serde-saphyr's alias limits; nesting by
/// [`DepthGuard`]; size by the loader's file-size cap. serde-saphyr's general event budget
/// is off: it costs a quarter of the parse time and adds no bound the others lack.
fn options() -> Options {
    let mut options = serde_saphyr::options! {
        budget: None,
        strict_booleans: true,
        with_snippet: false,
    };
    // `.nan` and `.inf` are text to argmap (a volume, a page), as the fast reader reads them.
    options.non_finite_float_policy = serde_saphyr::options::NonFiniteFloatPolicy::AsString;
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_alias_expansions_per_anchor = 10_000;
    options
}

/// Parses one YAML document. An empty document is a `Null` node.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    TEXT_LEFT.with(|left| left.set(text_budget(text.len())));
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options()) {
        Ok(raw) => Ok(convert(raw, text)),
        Err(e) => {
            let offset = e.location().map_or(0, |l| {
                l.span()
                    .byte_offset()
                    .map(|o| o as usize)
                    .unwrap_or_else(|| offset_of(text, l.line() as usize, l.column() as usize))
            });
            let message = e.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("invalid YAML");
            // The position is shown by the report itself.
            let message = match message.rfind(" at line ") {
                Some(i) => &message[..i],
                None => message,
            };
            let offset = offset.min(text.len());
            let offset = point_at_culprit(text, offset, message);
            Err(SyntaxError {
                offset,
                message: plain_message(message),
            })
        }
    }
}

/// The parser's message in argmap's words: without advice meant for programmers using the
/// library (`use from_str_multiple`, `set DuplicateKeyPolicy in Options`).
fn plain_message(message: &str) -> String {
    if message.starts_with("multiple YAML documents") {
        return "several YAML documents in one file (a `---` line starts another); \
                argmap reads one document per file"
            .to_owned();
    }
    if let Some(rest) = message.strip_prefix("unexpected character: `")
        && let Some(code) = rest.strip_prefix("\\u{").and_then(|h| h.split('}').next())
    {
        return format!(
            "control character U+{:0>4} is not allowed in YAML; remove it, or write it as an \
             escape in a double-quoted string (\"\\u{:0>4}\")",
            code.to_uppercase(),
            code.to_uppercase()
        );
    }
    let plain: Option<String> = if message.starts_with("invalid boolean") {
        Some(
            "not a boolean: YAML's booleans are `true` and `false` (quote text to keep it text)"
                .into(),
        )
    } else if message.starts_with("cannot deserialize tagged scalar") {
        Some("a tagged value argmap cannot read as text: remove the `!!` tag".into())
    } else if message.starts_with("!!binary scalar is not valid UTF-8") {
        Some("a `!!binary` value that is not UTF-8 text".into())
    } else if message.contains("recursion limit") {
        Some(format!("nesting deeper than {MAX_DEPTH} levels"))
    } else if message.starts_with("alias replay") || message.starts_with("alias expansion") {
        Some("aliases repeat more than argmap reads (an alias bomb?)".into())
    } else if let Some(ty) = message.strip_prefix("invalid ")
        && ty.chars().all(|c| c.is_ascii_alphanumeric())
    {
        Some(format!(
            "the value is not what its tag says (`{ty}` expected)"
        ))
    } else {
        None
    };
    if let Some(plain) = plain {
        return plain;
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set ").next().unwrap_or(key).trim();
        return format!("the key `{key}` appears twice in one mapping");
    }
    // Any other advice to the library's users ends the message.
    let cut = [", set ", "; use ", "; set ", " in Options"]
        .iter()
        .filter_map(|m| message.find(m))
        .min()
        .unwrap_or(message.len());
    message[..cut].to_owned()
}

/// Moves an error's offset onto the character it is about, when the parser points at the
/// start of the scalar or the line instead: a tab, or an unexpected control character.
fn point_at_culprit(text: &str, mut offset: usize, message: &str) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // A bad escape in a double-quoted scalar: the first one from where the parser points.
    if message.contains("escape") {
        return first_bad_escape(&text[offset..]).map_or(offset, |i| offset + i);
    }
    let culprit: Option<char> = if message.contains("tab") {
        Some('\t')
    } else {
        message
            .strip_prefix("unexpected character: `")
            .and_then(|rest| {
                // The parser writes the character escaped (`\u{1}`) or as itself.
                match rest.strip_prefix("\\u{") {
                    Some(hex) => {
                        let hex = &hex[..hex.find('}')?];
                        char::from_u32(u32::from_str_radix(hex, 16).ok()?)
                    }
                    None => rest.chars().next(),
                }
            })
            .filter(|c| c.is_control())
    };
    let Some(c) = culprit else {
        return offset;
    };
    // A plain scalar can run over lines: the tab is the first one after its start.
    if c == '\t' && message.contains("plain scalar") {
        let mut end = text.len().min(offset + 4096);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(i) = text[offset..end].find('\t') {
            return offset + i;
        }
    }
    // The line the parser points into, searched from where it points, then from its start.
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    text[offset..line_end]
        .find(c)
        .map(|i| offset + i)
        .or_else(|| text[line_start..line_end].find(c).map(|i| line_start + i))
        .unwrap_or(offset)
}

/// The offset of the first escape in `s` (a double-quoted scalar from its opening quote)
/// that YAML does not know, or that is cut short.
fn first_bad_escape(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'"'));
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return None,
            b'\\' => {
                let hex = |n: usize| {
                    bytes
                        .get(i + 2..i + 2 + n)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
                };
                let ok = match bytes.get(i + 1) {
                    Some(b'x') => hex(2),
                    Some(b'u') => hex(4),
                    Some(b'U') => hex(8),
                    Some(
                        b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' '
                        | b'"' | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' | b'\n' | b'\r',
                    ) => true,
                    // `\u{85}`, `\u{a0}`, `\u{2028}`, `\u{2029}` spelt as themselves are not escapes
                    _ => false,
                };
                if !ok {
                    return Some(i);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// Byte offset of a 1-based line and character column, lines broken as YAML breaks them
/// (LF, CR LF, or a lone CR).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let file = crate::source::SourceFile::new(String::new(), text.to_owned());
    file.offset_of(
        line.saturating_sub(1),
        column.saturating_sub(1),
        crate::source::Encoding::Chars,
    )
}

/// Whether `value` can be written as a plain scalar anywhere (block or flow context)
/// and read back as the same text.
fn plain_safe(value: &str) -> bool {
    !value.is_empty()
        && value.trim() == value
        && !value.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.contains([',', '[', ']', '{', '}'])
        && !value.chars().any(|c| c.is_control())
        && !matches!(
            value,
            "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
        && value.parse::<f64>().is_err()
}

/// The text that makes the scalar spelt at `range` of `source` read `value`, keeping its
/// style: a quoted scalar stays quoted the same way (escaped as that style needs), a plain
/// one stays plain when `value` can be written plain and is double-quoted otherwise.
/// `None` for block scalars, whose layout an edit should not guess.
pub fn rewrite_scalar(source: &str, range: Range<usize>, value: &str) -> Option<String> {
    if is_block_content(source, range.start) {
        return None;
    }
    let raw = source.get(range)?;
    let double = || {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    Some(match raw.as_bytes().first()? {
        b'|' | b'>' => return None,
        b'\'' if !value.chars().any(|c| c.is_control()) => {
            format!("'{}'", value.replace('\'', "''"))
        }
        b'"' | b'\'' => double(),
        _ if plain_safe(value) => value.to_owned(),
        _ => double(),
    })
}

/// The insertion that adds the line `field` (`key: value`) to the block mapping whose
/// key on the line of `value` (a single-line scalar, such as a claim's `id`) is written
/// as `key: value` after nothing but indentation and `- `: at the end of that line, at
/// the key's indentation, in the file's line ending. `None` in a flow mapping, or where
/// the line is not laid out so.
pub fn insert_field_after(
    source: &str,
    value: Range<usize>,
    field: &str,
) -> Option<(usize, String)> {
    let line_start = source.get(..value.start)?.rfind('\n').map_or(0, |i| i + 1);
    let before = source.get(line_start..value.start)?;
    // `  - id: ` or `    id: `: indentation and dashes, a plain key, a colon, spaces.
    let key_and_colon = before.trim_end_matches(' ').strip_suffix(':')?;
    let key_start = key_and_colon.rfind([' ', '-']).map_or(0, |i| i + 1);
    let key = &key_and_colon[key_start..];
    let lead = &key_and_colon[..key_start];
    let laid_out = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && lead.chars().all(|c| c == ' ' || c == '-')
        && !lead.contains("--");
    let rest = source.get(value.end..)?;
    let line_end = value.end + rest.find('\n').unwrap_or(rest.len());
    let value_line = source.get(value.clone())?;
    if !laid_out || value_line.contains('\n') {
        return None;
    }
    let (at, newline) = match source.get(..line_end)?.strip_suffix('\r') {
        Some(_) => (line_end - 1, "\r\n"),
        None => (line_end, "\n"),
    };
    Some((at, format!("{newline}{}{field}", " ".repeat(key_start))))
}

/// Whether the scalar whose content starts at `start` is a block scalar: its header
/// (`|`, `>-`, `|2+`, perhaps with a comment) ends the last line before the content.
pub(crate) fn is_block_content(source: &str, start: usize) -> bool {
    let Some(before) = source.get(..start) else {
        return false;
    };
    let before = before.trim_end_matches([' ', '\t', '\n', '\r']);
    let line = before.rsplit(['\n', '\r']).next().unwrap_or(before);
    let line = match line.find(" #") {
        Some(comment) => line[..comment].trim_end(),
        None => line,
    };
    let token = line.rsplit([' ', '\t']).next().unwrap_or(line);
    token.starts_with(['|', '>'])
        && token[1..]
            .chars()
            .all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// Maps `range`, a byte range of `decoded` (the value of the string scalar spelt at
/// `scalar` in `source`), to the byte range in `source` that spells it. Falls back to the
/// whole scalar when the spelling cannot be followed (a tagged or otherwise unusual
/// scalar): never a wrong place.
pub fn locate(
    source: &str,
    scalar: Range<usize>,
    decoded: &str,
    range: Range<usize>,
) -> Range<usize> {
    locate_all(source, scalar, decoded, std::slice::from_ref(&range))
        .pop()
        .expect("one range in, one out")
}

/// [`locate`] for many ranges of one scalar at once, in one walk over its spelling: a
/// claim with thousands of citations costs one pass, not one per citation.
pub fn locate_all(
    source: &str,
    scalar: Range<usize>,
    decoded: &str,
    ranges: &[Range<usize>],
) -> Vec<Range<usize>> {
    let mut located = ranges.to_vec();
    locate_in_place(source, scalar, decoded, &mut located);
    located
}

/// [`locate_all`], each range replaced by where it is spelt.
pub fn locate_in_place(
    source: &str,
    scalar: Range<usize>,
    decoded: &str,
    ranges: &mut [Range<usize>],
) {
    let Some(raw) = source.get(scalar.clone()) else {
        ranges.fill(scalar);
        return;
    };
    let style = match raw.as_bytes().first() {
        Some(b'"') => Style::Double,
        Some(b'\'') => Style::Single,
        _ => Style::Plain,
    };
    let body = match style {
        Style::Plain => raw,
        _ => &raw[1..],
    };
    let base = scalar.start + (raw.len() - body.len());
    // Most scalars spell their text verbatim (no escapes, no folding): offsets carry over.
    if body.as_bytes().starts_with(decoded.as_bytes()) {
        for r in ranges.iter_mut() {
            *r = base + r.start..base + r.end;
        }
        return;
    }
    let mut starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
    let mut ends: Vec<usize> = ranges.iter().map(|r| r.end).collect();
    starts.sort_unstable();
    starts.dedup();
    ends.sort_unstable();
    ends.dedup();
    let (start_at, end_at) = walk(body, style, decoded, &starts, &ends);
    let find = |offsets: &[usize], found: &[Option<usize>], at: usize| {
        let i = offsets.binary_search(&at).ok()?;
        found[i]
    };
    for r in ranges.iter_mut() {
        *r = match (
            find(&starts, &start_at, r.start),
            find(&ends, &end_at, r.end),
        ) {
            (Some(s), Some(e)) if s <= e => base + s..base + e,
            _ => scalar.clone(),
        };
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Plain, literal and folded scalars: the text as written, with line breaks and
    /// indentation folded.
    Plain,
    Single,
    Double,
}

/// White space that YAML folds or adds: what a line break, indentation or a folded line
/// becomes. Other white space (a no-break space, U+3000, U+2028) is text, spelt as itself.
fn is_folding_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Walks `decoded` and its spelling `src` in step. For each decoded byte offset in `starts`
/// (sorted), the source offset of the spelling of the character there; for each in `ends`
/// (sorted), the source offset just past the spelling of the character before it. An
/// offset the walk cannot follow to (a spelling it does not understand) stays `None`.
fn walk(
    src: &str,
    style: Style,
    decoded: &str,
    starts: &[usize],
    ends: &[usize],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut start_at = vec![None; starts.len()];
    let mut end_at = vec![None; ends.len()];
    let (mut next_start, mut next_end) = (0, 0);
    let s = src.as_bytes();
    let mut si = 0;
    let mut lost = false;
    for (di, c) in decoded.char_indices() {
        record(ends, &mut end_at, &mut next_end, di, si);
        if next_start == starts.len() && next_end == ends.len() {
            break;
        }
        if is_folding_space(c) {
            record(starts, &mut start_at, &mut next_start, di, si);
            // One source character (or escape) of white space, if there is one.
            if si < s.len() {
                if s[si] == b'\\' && style == Style::Double {
                    match escape_len(&s[si..]) {
                        Some(len) => si += len,
                        None => {
                            lost = true;
                            break;
                        }
                    }
                } else if s[si] == b'\r' && s.get(si + 1) == Some(&b'\n') {
                    si += 2;
                } else if (s[si] as char).is_ascii_whitespace() {
                    si += 1;
                }
            }
            continue;
        }
        // Skip folded white space and escaped line breaks up to the next spelled character.
        loop {
            match s.get(si) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => si += 1,
                Some(b'\\')
                    if style == Style::Double && matches!(s.get(si + 1), Some(b'\n' | b'\r')) =>
                {
                    si += 2
                }
                _ => break,
            }
        }
        record(starts, &mut start_at, &mut next_start, di, si);
        let len = match (style, s.get(si)) {
            (Style::Double, Some(b'\\')) => escape_len(&s[si..]),
            (Style::Single, Some(b'\'')) if s.get(si + 1) == Some(&b'\'') && c == '\'' => Some(2),
            _ => match src.get(si..).and_then(|rest| rest.chars().next()) {
                Some(here) if here == c => Some(c.len_utf8()),
                _ => None,
            },
        };
        match len {
            Some(len) => si += len,
            // The spelling is not understood: later offsets stay unknown.
            None => {
                lost = true;
                break;
            }
        }
    }
    // Ends at the decoded text's end: past the last spelled character.
    if !lost {
        record(ends, &mut end_at, &mut next_end, decoded.len(), si);
    }
    (start_at, end_at)
}

/// Records `si` for the offsets in `offsets[*next..]` that equal `di` (they are sorted),
/// moving `next` past every offset up to `di`.
fn record(offsets: &[usize], found: &mut [Option<usize>], next: &mut usize, di: usize, si: usize) {
    while *next < offsets.len() && offsets[*next] <= di {
        if offsets[*next] == di {
            found[*next] = Some(si);
        }
        *next += 1;
    }
}

/// Length of a double-quoted escape sequence starting at `\`.
fn escape_len(s: &[u8]) -> Option<usize> {
    Some(match s.get(1)? {
        b'x' => 4,
        b'u' => 6,
        b'U' => 10,
        _ => 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(node: &'a Node, key: &str) -> &'a Node {
        let Kind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        &entries
            .iter()
            .find(|(k, _)| k.kind == Kind::Str(key.into()))
            .expect("key")
            .1
    }

    fn located(src: &str, key: &str, needle: &str) -> String {
        let root = parse(src).unwrap();
        let node = value(&root, key);
        let Kind::Str(decoded) = &node.kind else {
            panic!("not a string")
        };
        let at = decoded.find(needle).expect("needle");
        src[locate(src, node.start..node.end, decoded, at..at + needle.len())].to_owned()
    }

    #[test]
    fn positions_survive_every_scalar_style() {
        assert_eq!(located("t: see @a and @key here\n", "t", "@key"), "@key");
        assert_eq!(located("t: \"q \\\"x\\\" @key\"\n", "t", "@key"), "@key");
        assert_eq!(located("t: 'it''s @key'\n", "t", "@key"), "@key");
        assert_eq!(
            located("t: >-\n  folded\n  text @key.\n", "t", "@key"),
            "@key"
        );
        assert_eq!(located("t: |\n  one\n  two @key\n", "t", "@key"), "@key");
        assert_eq!(located("t: plain\n  continued @key\n", "t", "@key"), "@key");
        assert_eq!(located("t: \"a\\\n   b @key\"\n", "t", "@key"), "@key");
        assert_eq!(located("t: \"\\u00e9 @key\"\n", "t", "@key"), "@key");
        assert_eq!(
            located("t: >-\r\n  crlf\r\n  @key\r\n", "t", "@key"),
            "@key"
        );
    }

    #[test]
    fn unicode_spaces_are_text_not_folding() {
        for space in ['\u{a0}', '\u{3000}', '\u{2028}'] {
            for src in [
                format!("t: >-\n  folded\n  text{space}@key.\n"),
                format!("t: \"quoted\n  text{space}@key\"\n"),
                format!("t: plain\n  text{space}@key\n"),
                format!("t: '{space}single\n\n  @key'\n"),
            ] {
                assert_eq!(located(&src, "t", "@key"), "@key", "{src:?}");
            }
        }
    }

    #[test]
    fn many_ranges_are_located_in_one_walk() {
        let src = format!(
            "t: >-\n  {}\n",
            "[@a] ".repeat(2000).trim_end().replace("] [", "]\n  [")
        );
        let root = parse(&src).unwrap();
        let node = value(&root, "t");
        let Kind::Str(decoded) = &node.kind else {
            panic!("not a string")
        };
        let ranges: Vec<Range<usize>> = decoded
            .match_indices("@a")
            .map(|(i, m)| i..i + m.len())
            .collect();
        assert_eq!(ranges.len(), 2000);
        for r in locate_all(&src, node.start..node.end, decoded, &ranges) {
            assert_eq!(&src[r], "@a");
        }
    }

    #[test]
    fn rewritten_scalars_keep_their_style_and_read_back() {
        for (src, value, expected) in [
            ("k: thesiss\n", "thesis", "thesis"),
            ("k: 'it''s'\n", "it's b", "'it''s b'"),
            ("k: \"a\"\n", "say \"hi\"", "\"say \\\"hi\\\"\""),
            ("k: doi:10.1/a\n", "10.1/a", "10.1/a"),
            ("k: x\n", "10.1/a,b", "\"10.1/a,b\""),
            ("k: x\n", "true", "\"true\""),
            ("k: x\n", "a: b", "\"a: b\""),
        ] {
            let root = parse(src).unwrap();
            let node = value_of(&root, "k");
            let new = rewrite_scalar(src, node.start..node.end, value).unwrap();
            assert_eq!(new, expected, "{src:?}");
            let edited = format!("{}{new}{}", &src[..node.start], &src[node.end..]);
            let again = parse(&edited).unwrap();
            assert_eq!(
                value_of(&again, "k").scalar_text(&edited).unwrap(),
                value,
                "{edited:?}"
            );
        }
        let block = "k: |\n  x\n";
        let root = parse(block).unwrap();
        let node = value_of(&root, "k");
        assert_eq!(rewrite_scalar(block, node.start..node.end, "y"), None);
    }

    fn value_of<'a>(node: &'a Node, key: &str) -> &'a Node {
        value(node, key)
    }

    #[test]
    fn escaped_characters_map_to_their_escape() {
        assert_eq!(located("t: \"a \\u0040key\"\n", "t", "@key"), "\\u0040key");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(e.offset > 0, "{e:?}");
        assert!(parse("a: 1\na: 2\n").is_err(), "duplicate keys are errors");
    }

    #[test]
    fn syntax_errors_speak_to_users_and_point_at_the_culprit() {
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.starts_with("several YAML documents"), "{e:?}");
        let e = parse("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(e.message, "the key `title` appears twice in one mapping");
        let text = "title: a\u{1}b\n";
        assert_eq!(parse(text).unwrap_err().offset, 8);
        let text = "a:\n\t- x\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.offset..e.offset + 1], "\t", "{e:?}");
    }

    #[test]
    fn library_messages_are_said_in_users_words() {
        for (text, says) in [
            ("a: !!bool yes\n", "YAML's booleans are `true` and `false`"),
            ("a: !!int x\n", "not what its tag says"),
            ("a: !!timestamp 2001-12-14\n", "remove the `!!` tag"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(says), "{text:?}: {e:?}");
            assert!(!e.message.contains("Options") && !e.message.contains("strict mode"));
        }
        // `.nan` is text, as the fast reader takes it.
        let root = parse("issued: .nan\n").unwrap();
        assert_eq!(
            value(&root, "issued")
                .scalar_text("issued: .nan\n")
                .unwrap(),
            ".nan"
        );
    }

    #[test]
    fn bad_escapes_and_lone_carriage_returns_are_placed_exactly() {
        let text = "t: \"X [@src]\n   more \\q text\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.offset..e.offset + 2], "\\q", "{e:?}");
        let lf = "title: T\nclaims:\n  - id: x\n    supports: [\n  - id: y\n";
        let cr = lf.replace('\n', "\r");
        let (a, b) = (parse(lf).unwrap_err(), parse(&cr).unwrap_err());
        assert_eq!(a.offset, b.offset, "{a:?} {b:?}");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_bounded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn aliases_of_numbers_and_booleans_read_as_their_anchor() {
        let src = "a: &n 05\nb: *n\nc: &t true\nd: [*t]\n";
        let root = parse(src).unwrap();
        assert_eq!(value(&root, "b").scalar_text(src).unwrap(), "05");
        let Kind::Seq(d) = &value(&root, "d").kind else {
            panic!("a list")
        };
        assert_eq!(d[0].scalar_text(src).unwrap(), "true");
    }

    #[test]
    fn aliases_of_long_text_are_bounded() {
        let mut text = format!("a: &t \"{}\"\nb:\n", "x ".repeat(100_000));
        for _ in 0..200 {
            text.push_str("  - *t\n");
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("aliases repeat more text"), "{e:?}");
        // A few repetitions are fine.
        let small = format!("a: &t \"{}\"\nb: [*t, *t]\n", "x ".repeat(1000));
        assert!(parse(&small).is_ok());
    }

    #[test]
    fn numbers_keep_their_spelling() {
        let src = "v: 05\nw: 1.10\n";
        let root = parse(src).unwrap();
        assert_eq!(value(&root, "v").scalar_text(src).unwrap(), "05");
        assert_eq!(value(&root, "w").scalar_text(src).unwrap(), "1.10");
    }

    #[test]
    fn numbers_too_large_for_a_float_keep_their_spelling_not_infinitys() {
        // The tree reader called the claim id `1e310` `.inf` while the fast reader kept it.
        let src = "a: 1e310\nb: -1E999\nc: .inf\nd: '1e310'\ne: inf\n";
        let root = parse(src).unwrap();
        let text = |key| value(&root, key).scalar_text(src).unwrap().into_owned();
        assert_eq!(text("a"), "1e310");
        assert_eq!(text("b"), "-1E999");
        assert_eq!(text("c"), ".inf");
        assert_eq!(text("d"), "1e310");
        assert_eq!(text("e"), "inf");
    }
}
