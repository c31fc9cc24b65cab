//! A scanner for the plain shape of YAML that argmap's files have, ahead of the parser.
//!
//! Almost every file a check reads is block mappings and block lists of one-line scalars,
//! with flow collections such as `[c1, map:c2]`, `{family: Zhao}` and `[[1992]]`, and text
//! in `>-` blocks. For that shape this scanner yields the same nodes granit-parser's events
//! give the fast reader (same values, styles and byte ranges) in a single pass over the
//! bytes, several times faster than the general parser. It gives up (`None`) on anything
//! else: tabs, carriage returns, control characters, byte order marks, document markers,
//! directives, tags, anchors, aliases, kept (`+`) or indented (`>2`) block scalars and
//! blank lines inside one, multi-line flow collections and scalars, escapes beyond `\"`
//! `\\` `\/` `\n` `\t`, empty values, and any indentation it does not expect. The file is
//! then read by the parser as before, so giving up costs time, never correctness. Tests
//! hold the scanner to granit-parser's nodes on every text it accepts: generated documents
//! in every style, damaged now and then; the generated files of the readers-agree
//! property; and every YAML file in the repository.

use std::borrow::Cow;

use super::fast::{Fast, Node, Scalar};

/// Deeper than any argmap format nests (a reference's date is the deepest, at five).
const MAX_DEPTH: usize = 12;

/// The nodes of `text`, or `None` when it is not of the plain shape.
pub(super) fn nodes(text: &str) -> Fast<Vec<Node<'_>>> {
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        // About one node for every 16 bytes of a map or reference file.
        out: Vec::with_capacity(text.len() / 16),
    };
    let indent = scanner.line()??;
    let first = scanner.pos + indent;
    scanner.block_map(first, indent, 0)?;
    // The root mapping ends only at the end of the text.
    scanner.line()?.is_none().then_some(scanner.out)
}

/// Only characters YAML allows and the scanner expects: no control characters but the line
/// feed (tabs and carriage returns are for the parser), no C1 controls (nor NEL), no line or
/// paragraph separators, no byte order mark, no U+FFFE or U+FFFF.
fn plain_characters(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let refused = match b {
            b'\n' => false,
            0..0x20 | 0x7f => true,
            0xc2 => at(i + 1) < 0xa0,
            0xe2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9),
            0xef => {
                (at(i + 1) == 0xbb && at(i + 2) == 0xbf) || (at(i + 1) == 0xbf && at(i + 2) >= 0xbe)
            }
            _ => false,
        };
        if refused {
            return false;
        }
        i += 1;
    }
    true
}

/// Characters that cannot start a plain scalar here (YAML's indicators, and `-`, `?` and
/// `:`, which may start one only in cases the scanner leaves to the parser).
fn starts_otherwise(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The start of the line being read, between nodes.
    pos: usize,
    out: Vec<Node<'a>>,
}

impl<'a> Scanner<'a> {
    /// The byte at `i`, or a line feed past the end (the text ends as a line does).
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(b'\n')
    }

    fn spaces_from(&self, mut i: usize) -> usize {
        while self.bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    }

    /// The end of the line holding `i` (its line feed, or the end of the text).
    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[i.min(self.bytes.len())..])
            .map_or(self.bytes.len(), |n| i + n)
    }

    /// Moves to the next line that holds a node, past blank lines and comments: its
    /// indentation, or `None` at the end of the text. Gives up on document markers.
    fn line(&mut self) -> Fast<Option<usize>> {
        loop {
            if self.pos >= self.bytes.len() {
                return Some(None);
            }
            let first = self.spaces_from(self.pos);
            match self.at(first) {
                b'\n' => self.pos = first + 1,
                b'#' => self.pos = self.line_end(first) + 1,
                _ => {
                    let indent = first - self.pos;
                    let marker = self.bytes[first..].starts_with(b"---")
                        || self.bytes[first..].starts_with(b"...");
                    if indent == 0 && marker && matches!(self.at(first + 3), b' ' | b'\n') {
                        return None;
                    }
                    return Some(Some(indent));
                }
            }
        }
    }

    /// Past the end of a node at `i`: spaces, then a comment or nothing to the end of the
    /// line, where the next line starts.
    fn end_of_line(&mut self, i: usize) -> Fast<()> {
        let j = self.spaces_from(i);
        match self.at(j) {
            b'\n' => {}
            // A comment must be set off by a space.
            b'#' if j > 0 && self.bytes[j - 1] == b' ' => {}
            _ => return None,
        }
        self.pos = self.line_end(j) + 1;
        Some(())
    }

    /// A plain key and its colon at `i` (`id:` or `container-title:`, then a space or the
    /// line's end): the key's end and the offset after the colon.
    fn key_at(&self, i: usize) -> Option<(usize, usize)> {
        if !self.at(i).is_ascii_alphanumeric() {
            return None;
        }
        let mut end = i + 1;
        while matches!(self.at(end), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_') {
            end += 1;
        }
        (self.at(end) == b':' && matches!(self.at(end + 1), b' ' | b'\n')).then_some((end, end + 1))
    }

    fn scalar(&mut self, value: Cow<'a, str>, start: usize, end: usize, plain: bool) {
        self.out.push(Node::Scalar(Scalar {
            value,
            range: start..end,
            plain,
        }));
    }

    /// A block mapping whose first key is at `first`, its keys in column `indent`; stops
    /// at the first line indented less.
    fn block_map(&mut self, first: usize, indent: usize, depth: usize) -> Fast<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.out.push(Node::MapStart(first));
        let mut key = first;
        loop {
            let (end, after) = self.key_at(key)?;
            self.scalar(Cow::Borrowed(&self.text[key..end]), key, end, true);
            self.value(after, indent, depth)?;
            match self.line()? {
                Some(i) if i == indent => key = self.pos + indent,
                Some(i) if i > indent => return None,
                _ => break,
            }
        }
        self.out.push(Node::MapEnd);
        Some(())
    }

    /// The value of a key in column `indent`, from just after its colon.
    fn value(&mut self, after: usize, indent: usize, depth: usize) -> Fast<()> {
        let i = self.spaces_from(after);
        if matches!(self.at(i), b'>' | b'|') {
            return self.block_scalar(i, indent);
        }
        if !matches!(self.at(i), b'\n' | b'#') {
            let end = self.inline(i, 0)?;
            return self.end_of_line(end);
        }
        // Nothing on the key's line: a nested collection on the lines below.
        self.end_of_line(i)?;
        let nested = self.line()??;
        let start = self.pos + nested;
        let dash = self.at(start) == b'-' && self.at(start + 1) == b' ';
        if dash && nested >= indent {
            self.block_list(nested, depth + 1)
        } else if nested > indent && self.key_at(start).is_some() {
            self.block_map(start, nested, depth + 1)
        } else {
            None
        }
    }

    /// A block list of `- ` entries in column `indent`; stops at the first line that is
    /// indented less or is not an entry.
    fn block_list(&mut self, indent: usize, depth: usize) -> Fast<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.out.push(Node::SeqStart);
        loop {
            let dash = self.pos + indent;
            if self.at(dash) != b'-' || self.at(dash + 1) != b' ' {
                break;
            }
            let i = self.spaces_from(dash + 1);
            if self.key_at(i).is_some() {
                self.block_map(i, i - self.pos, depth + 1)?;
            } else if matches!(self.at(i), b'\n' | b'#') {
                return None;
            } else {
                let end = self.inline(i, 0)?;
                self.end_of_line(end)?;
            }
            match self.line()? {
                Some(i) if i == indent => {}
                Some(i) if i > indent => return None,
                _ => break,
            }
        }
        self.out.push(Node::SeqEnd);
        Some(())
    }

    /// A folded (`>`) or literal (`|`) block scalar, clipped or stripped (`-`), for a key
    /// in column `indent`: its lines all in one column, with no blank line between them.
    fn block_scalar(&mut self, header: usize, indent: usize) -> Fast<()> {
        let folded = self.at(header) == b'>';
        let strip = self.at(header + 1) == b'-';
        self.end_of_line(header + 1 + usize::from(strip))?;
        let separator = if folded { " " } else { "\n" };
        let column = self.spaces_from(self.pos) - self.pos;
        // The first line sets the column; a blank one is left to the parser.
        if column <= indent || self.at(self.pos + column) == b'\n' {
            return None;
        }
        let start = self.pos + column;
        let mut value = String::new();
        loop {
            // A line of the scalar, in its column.
            let content = self.pos + column;
            let end = self.line_end(content);
            if end == self.bytes.len() && !strip {
                return None; // clipping keeps a line break the text does not have
            }
            if !value.is_empty() {
                value.push_str(separator);
            }
            value.push_str(&self.text[content..end]);
            self.pos = end + 1;
            // The next line: another of the scalar, or blank lines and then the scalar's end.
            let mut next = self.pos;
            loop {
                let first = self.spaces_from(next);
                if first >= self.bytes.len() || self.bytes[first] != b'\n' {
                    break;
                }
                next = first + 1;
            }
            let first = self.spaces_from(next);
            if first >= self.bytes.len() && first > next {
                return None; // spaces without a line break at the end: the parser's call
            }
            if next < self.bytes.len() && first - next >= column {
                if next != self.pos || first - next > column {
                    return None; // a blank line inside, or a line indented more
                }
                continue;
            }
            if !strip {
                value.push('\n');
            }
            // Its range ends where the next node's indentation does, as the parser's does.
            let end = first.min(self.bytes.len());
            self.scalar(Cow::Owned(value), start, end, false);
            self.pos = next.min(self.bytes.len());
            return Some(());
        }
    }

    /// A node on one line at `i` (a scalar or a flow collection, `level` collections deep):
    /// its end.
    fn inline(&mut self, i: usize, level: usize) -> Fast<usize> {
        match self.at(i) {
            b'"' => self.double_quoted(i),
            b'\'' => self.single_quoted(i),
            b'[' => self.flow_list(i, level),
            b'{' => self.flow_map(i, level),
            b if starts_otherwise(b) => None,
            _ if level > 0 => self.flow_plain(i),
            _ => self.block_plain(i),
        }
    }

    /// A plain scalar to the end of its line or a comment. One holding `: ` or ending in
    /// `:` would be a mapping the parser refuses here.
    fn block_plain(&mut self, i: usize) -> Fast<usize> {
        let line_end = self.line_end(i);
        let line = &self.bytes[i..line_end];
        let content = memchr::memmem::find(line, b" #").map_or(line.len(), |n| n);
        let mut end = content;
        while end > 0 && line[end - 1] == b' ' {
            end -= 1;
        }
        let value = &line[..end];
        let mut colons = memchr::memchr_iter(b':', value);
        if colons.any(|c| c + 1 == end || value[c + 1] == b' ') {
            return None;
        }
        self.scalar(Cow::Borrowed(&self.text[i..i + end]), i, i + end, true);
        Some(i + end)
    }

    /// A plain scalar in a flow collection: to the next `,`, `]` or `}`. A `:` is part of
    /// it when a character that could go on follows (`map:claim`); one before a space or
    /// a bracket, a `#` or an opening bracket are left to the parser.
    fn flow_plain(&mut self, i: usize) -> Fast<usize> {
        let mut j = i;
        loop {
            match self.at(j) {
                b',' | b']' | b'[' | b'{' | b'}' | b'#' | b'\n' => break,
                b':' if matches!(
                    self.at(j + 1),
                    b' ' | b',' | b'[' | b']' | b'{' | b'}' | b'\n'
                ) =>
                {
                    return None;
                }
                _ => j += 1,
            }
        }
        if !matches!(self.at(j), b',' | b']' | b'}') {
            return None;
        }
        let mut end = j;
        while self.at(end - 1) == b' ' {
            end -= 1;
        }
        self.scalar(Cow::Borrowed(&self.text[i..end]), i, end, true);
        Some(j)
    }

    /// A flow list on one line, `[a, "b", [1992]]`: its end.
    fn flow_list(&mut self, open: usize, level: usize) -> Fast<usize> {
        self.flow(open, level, (Node::SeqStart, Node::SeqEnd, b']'), |s, i| {
            s.inline(i, level + 1)
        })
    }

    /// A flow mapping on one line with plain keys, `{family: Zhao, given: H.}`: its end.
    fn flow_map(&mut self, open: usize, level: usize) -> Fast<usize> {
        self.flow(
            open,
            level,
            (Node::MapStart(open), Node::MapEnd, b'}'),
            |s, i| {
                let (end, after) = s.key_at(i)?;
                if s.at(after) != b' ' {
                    return None;
                }
                s.scalar(Cow::Borrowed(&s.text[i..end]), i, end, true);
                let value = s.spaces_from(after);
                s.inline(value, level + 1)
            },
        )
    }

    /// A flow collection opened at `open`: its start and end nodes and closing bracket,
    /// and its entries, each read by `entry` from its first character to its end, with
    /// commas between them. A trailing comma is left to the parser.
    fn flow(
        &mut self,
        open: usize,
        level: usize,
        (start, end, close): (Node<'a>, Node<'a>, u8),
        mut entry: impl FnMut(&mut Self, usize) -> Fast<usize>,
    ) -> Fast<usize> {
        if level >= 3 {
            return None;
        }
        self.out.push(start);
        let mut i = self.spaces_from(open + 1);
        if self.at(i) != close {
            loop {
                let entry_end = entry(self, i)?;
                i = self.spaces_from(entry_end);
                match self.at(i) {
                    b',' => {
                        i = self.spaces_from(i + 1);
                        if self.at(i) == close {
                            return None;
                        }
                    }
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        self.out.push(end);
        Some(i + 1)
    }

    /// `"..."` on one line, with the escapes `\"`, `\\`, `\/`, `\n` and `\t`: its end.
    fn double_quoted(&mut self, open: usize) -> Fast<usize> {
        let mut owned: Option<String> = None;
        let mut from = open + 1;
        loop {
            let n = memchr::memchr3(b'"', b'\\', b'\n', &self.bytes[from..])?;
            let at = from + n;
            match self.bytes[at] {
                b'"' => return Some(self.quoted(open, owned, from, at)),
                b'\\' => {
                    let escaped = match self.at(at + 1) {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'n' => '\n',
                        b't' => '\t',
                        _ => return None,
                    };
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[from..at]);
                    s.push(escaped);
                    from = at + 2;
                }
                _ => return None,
            }
        }
    }

    /// `'...'` on one line, `''` standing for `'`: its end.
    fn single_quoted(&mut self, open: usize) -> Fast<usize> {
        let mut owned: Option<String> = None;
        let mut from = open + 1;
        loop {
            let n = memchr::memchr2(b'\'', b'\n', &self.bytes[from..])?;
            let at = from + n;
            if self.bytes[at] == b'\n' {
                return None;
            }
            if self.at(at + 1) == b'\'' {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(&self.text[from..=at]);
                from = at + 2;
                continue;
            }
            return Some(self.quoted(open, owned, from, at));
        }
    }

    /// The quoted scalar opened at `open` and closed at `close`: its text as written, or,
    /// after an escape, `unescaped` (the text up to `from`) with the rest: its end.
    fn quoted(
        &mut self,
        open: usize,
        unescaped: Option<String>,
        from: usize,
        close: usize,
    ) -> usize {
        let value = match unescaped {
            Some(mut s) => {
                s.push_str(&self.text[from..close]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[open + 1..close]),
        };
        self.scalar(value, open, close + 1, false);
        close + 1
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::load::fast::parser_nodes;

    /// The scanner agrees with the parser on `text` whenever it accepts it; whether it did.
    fn agrees(text: &str) -> bool {
        let Some(scanned) = nodes(text) else {
            return false;
        };
        match parser_nodes(text) {
            Some(parsed) => assert_eq!(scanned, parsed, "{text:?}"),
            None => panic!("the scanner accepts what the parser does not: {text:?}"),
        }
        true
    }

    fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_repositorys_files_are_scanned_as_the_parser_reads_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["arguments", "references", "tests/fixtures", "tests/data"] {
            yaml_files(&root.join(dir), &mut files);
        }
        let mut accepted = 0;
        for path in &files {
            if let Ok(text) = std::fs::read_to_string(path) {
                accepted += usize::from(agrees(&text));
            }
        }
        // The bundled maps and references are all of the plain shape.
        for dir in ["arguments", "references"] {
            let mut own = Vec::new();
            yaml_files(&root.join(dir), &mut own);
            for path in own {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(nodes(&text).is_some(), "{} is not scanned", path.display());
            }
        }
        assert!(accepted > 20, "{accepted} of {} files scanned", files.len());
    }

    #[test]
    fn every_style_the_scanner_takes_matches_the_parser() {
        for text in [
            "a: b\n",
            "a: b",
            "a:   b   # c\nd: 'e''f'\ng: \"h\\\"i\\\\j\\/k\\nl\\tm\"\n",
            "a:\n  - b\n  - 'c'\n  - [d, \"e\", []]\n",
            "a:\n- b\n- c\nd: e\n",
            "# head\n\na:\n  # inside\n  b: c\n\n  d: [[1992, 3], [2000]]\n",
            "a:\n  - id: x\n    text: y # z\n  -   id: w\n      k: v\n",
            "a: http://x.org/a#b c\n",
            "a: [ x , y ]\n",
            "a: [m:c, 'n:d', e:f:g]\n",
            "a: \"\"\nb: ''\n",
            "a: 5\nb: ~\nc: null\nd: true\n",
            "  a: b\n  c: d\n",
            "a:\n  - text: >-\n      ab  c \n      d # e\n\n    k: v\n",
            "a: >-\n  x\n  y\n\n  \n\nb: c\n",
            "a: |\n  x\n  y\n# c\nb: c\n",
            "a:\n  b: |-\n    x\n  # c\n  d: e\n",
            "a: > # c\n  x\n",
            "a: >-\n  x",
            "a: é 中 [@x, p. 5]\n",
            "a:\n  - {family: Zhao, given: 'H.'}\n  - {}\nb: {date-parts: [[2003, 4]]}\n",
            "a: { b: [c, {d: e}] , f: \"g\" }\n",
        ] {
            assert!(agrees(text), "not scanned: {text:?}");
        }
    }

    #[test]
    fn the_scanner_leaves_everything_else_to_the_parser() {
        for text in [
            "a: b\r\n",
            "a:\tb\n",
            "\u{feff}a: b\n",
            "---\na: b\n",
            "a: b\n...\n",
            "%YAML 1.2\n---\na: b\n",
            "a: !tag b\n",
            "a: &x b\nc: *x\n",
            "a: |+\n  b\n",
            "a: >2\n  b\n",
            "a: >\n  b",
            "a: >-\n  x\n   ",
            "a: >-\n  b\n\n  c\n",
            "a: >-\n  b\n    c\n",
            "a: >-\nb: c\n",
            "a: |\n    \n",
            "a: |\n\n  b\n",
            "a:\n  - >-\n    b\n",
            "a: {b: c,}\n",
            "a: {b}\n",
            "a: {b:c}\n",
            "a: {\"b\": c}\n",
            "a: {b: c\n  }\n",
            "a: {b: c]\n",
            "a: [b}\n",
            "a: b\n  c\n",
            "a: \"b\n  c\"\n",
            "a: 'b\n  c'\n",
            "a: \"\\u00e9\"\n",
            "a:\n",
            "a:\nb: c\n",
            "a: b: c\n",
            "a: b:\n",
            "a: [b, ]\n",
            "a: [b,\n  c]\n",
            "a: [b: c]\n",
            "a: [b:, c]\n",
            "a: [b:]\n",
            "a: {b: c:}\n",
            "a: [[[[b]]]]\n",
            "a: -b\n",
            "a: @b\n",
            "a: \"b\"c\n",
            "a: \"b\"#c\n",
            "a:\n    b: c\n  d: e\n",
            "a:\n  - b\n   - c\n",
            "a:\n  -\n    b\n",
            "a:\n  - - b\n",
            "? a\n: b\n",
            "\"a\": b\n",
            "a : b\n",
            "- a\n",
            "a\n",
            "",
            "a: b\u{85}\n",
            "a: b\u{2028}c\n",
            "a: \u{7f}\n",
        ] {
            assert!(nodes(text).is_none(), "scanned: {text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_left_to_the_parser_not_recursed_into() {
        let mut text = String::new();
        for depth in 0..10_000 {
            text.push_str(&" ".repeat(depth));
            text.push_str("a:\n");
        }
        text.push_str(&" ".repeat(10_000));
        text.push_str("b: c\n");
        assert!(nodes(&text).is_none());
    }

    /// A YAML value, generated as a tree and written out in random styles.
    #[derive(Clone, Debug)]
    enum Value {
        Scalar(String),
        List(Vec<Value>),
        Map(Vec<(String, Value)>),
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = "[a-z .@#:,'\"\\\\é-]{0,8}".prop_map(Value::Scalar);
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                proptest::collection::vec(("[a-c]{1,2}", inner), 1..4).prop_map(Value::Map),
            ]
        })
    }

    /// Writes values, each choice of style taken from `styles` in turn.
    struct Writer<'s> {
        styles: std::iter::Cycle<std::slice::Iter<'s, u8>>,
        out: String,
    }

    impl Writer<'_> {
        fn style(&mut self) -> u8 {
            *self.styles.next().unwrap()
        }

        /// A scalar on one line, in flow (`flow`) or block context.
        fn inline_scalar(&mut self, text: &str, flow: bool) -> String {
            match self.style() % 3 {
                0 if !flow || !text.contains([',', ']', '}']) => text.to_owned(),
                1 => format!("'{}'", text.replace('\'', "''")),
                _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
            }
        }

        fn flow(&mut self, v: &Value) -> String {
            match v {
                Value::Scalar(t) => self.inline_scalar(t, true),
                Value::List(items) => {
                    let items: Vec<String> = items.iter().map(|i| self.flow(i)).collect();
                    format!("[{}]", items.join(", "))
                }
                Value::Map(entries) => {
                    let entries: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", self.flow(v)))
                        .collect();
                    format!("{{{}}}", entries.join(", "))
                }
            }
        }

        /// The value of a key in column `indent`, from just after `key:`.
        fn after_key(&mut self, v: &Value, indent: usize) {
            let style = self.style();
            match v {
                Value::Scalar(t) if style.is_multiple_of(4) && !t.trim().is_empty() => {
                    let header = [">-", "|", ">", "|-"][usize::from(style / 4) % 4];
                    let pad = " ".repeat(indent + 2);
                    self.out.push_str(&format!(" {header}\n{pad}"));
                    self.out
                        .push_str(&t.trim().replace(' ', &format!("\n{pad}")));
                    self.out.push('\n');
                }
                Value::List(items) if style.is_multiple_of(2) && !items.is_empty() => {
                    self.out.push('\n');
                    let column = if style.is_multiple_of(4) {
                        indent
                    } else {
                        indent + 2
                    };
                    self.block_list(items, column);
                }
                Value::Map(entries) if style.is_multiple_of(2) => {
                    self.out.push('\n');
                    self.block_map(entries, indent + 2, indent + 2);
                }
                _ => {
                    let text = self.flow(v);
                    self.out.push_str(&format!(" {text}\n"));
                }
            }
        }

        /// A block mapping in column `indent`, its first key written at `first` (after a
        /// list's `- `, or at the start of its line).
        fn block_map(&mut self, entries: &[(String, Value)], indent: usize, first: usize) {
            for (i, (k, v)) in entries.iter().enumerate() {
                let pad = if i == 0 { first } else { indent };
                self.out.push_str(&" ".repeat(pad.min(indent)));
                self.out.push_str(&format!("{k}:"));
                self.after_key(v, indent);
            }
        }

        fn block_list(&mut self, items: &[Value], indent: usize) {
            for item in items {
                self.out.push_str(&" ".repeat(indent));
                self.out.push_str("- ");
                match item {
                    Value::Map(entries) if self.style().is_multiple_of(2) => {
                        self.block_map(entries, indent + 2, 0)
                    }
                    Value::Scalar(t) => {
                        let text = self.inline_scalar(t, false);
                        self.out.push_str(&format!("{text}\n"));
                    }
                    other => {
                        let text = self.flow(other);
                        self.out.push_str(&format!("{text}\n"));
                    }
                }
            }
        }
    }

    /// A document: a mapping written out, then now and then damaged by a character put in
    /// or taken out where it changes the meaning most.
    fn document() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(("[a-c]{1,2}", value()), 1..5),
            proptest::collection::vec(any::<u8>(), 1..16),
            proptest::option::of((any::<prop::sample::Index>(), 0u8..20)),
        )
            .prop_map(|(entries, styles, damage)| {
                let mut w = Writer {
                    styles: styles.iter().cycle(),
                    out: String::new(),
                };
                w.block_map(&entries, 0, 0);
                let mut text = w.out;
                if let Some((at, what)) = damage {
                    let mut i = at.index(text.len() + 1);
                    while !text.is_char_boundary(i) {
                        i -= 1;
                    }
                    match b" \n:#-'\"[]{},>|\\\t~&".get(usize::from(what)) {
                        Some(&c) => text.insert(i, char::from(c)),
                        None if i < text.len() => {
                            text.remove(i);
                        }
                        None => {}
                    }
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Whatever YAML-like text the scanner accepts, the parser reads as the same nodes.
        #[test]
        fn the_scanner_never_disagrees_with_the_parser(text in document()) {
            agrees(&text);
        }
    }

    /// The generated text reaches both sides: text the scanner takes, and text it leaves.
    #[test]
    fn generated_text_exercises_the_scanner() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let mut accepted = 0;
        for _ in 0..4000 {
            let text = document().new_tree(&mut runner).unwrap().current();
            accepted += usize::from(agrees(&text));
        }
        assert!(
            (400..3600).contains(&accepted),
            "{accepted} of 4000 scanned"
        );
    }
}
