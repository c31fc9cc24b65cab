//! Source files and positions: byte spans, and their conversion to 1-based line and
//! column (columns count characters, not bytes, as editors and the JSON output do).

use std::fmt;
use std::sync::Arc;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// The first byte.
    pub start: u32,
    /// Past the last byte.
    pub end: u32,
}

impl Span {
    /// The bytes `start..end` of `file` (an end before the start is the start).
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The byte range.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A value and the place in a source file it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// A value read at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: fmt::Display> fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// The units a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the language server protocol's default).
    Utf16,
    /// Characters (Unicode scalar values), as argmap's reports count.
    Chars,
}

/// A 1-based line and column; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

/// One version of a file's text, unique in the process: every [`SourceFile`] made gets a
/// new one, so two analyses know a file is unchanged when its revision is, with no
/// address or content compared (an address can be reused; a revision cannot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Revision(u64);

impl Revision {
    fn next() -> Revision {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Revision(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// One file that was read: its path relative to the checked root, and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to ROOT, with `/` separators (`arguments/russia-sco.yaml`).
    pub path: String,
    /// The text as decoded (a UTF-8 BOM is removed; invalid UTF-8 is replaced).
    pub text: String,
    /// This version of the text.
    pub revision: Revision,
    line_starts: Vec<u32>,
    /// One bit a line, set when the line is ASCII alone: a column on such a line is its
    /// distance in bytes from the line's start, with no character counted (most lines of
    /// most files; a report of many findings asks for two positions each).
    ascii_lines: Vec<u64>,
    /// Characters before every multiple of [`CHECKPOINT`] bytes: a column on a very long
    /// line is then counted from the nearest checkpoint, not from the line's start. Built
    /// when a position on a long line is first asked for: most files have none.
    checkpoints: std::sync::OnceLock<Vec<u32>>,
}

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 1024;

/// Characters that start in `bytes` (UTF-8: every byte that is not a continuation byte).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl SourceFile {
    /// A file read from `path` (relative to ROOT), with its line index.
    pub fn new(path: String, text: String) -> Self {
        let line_starts: Vec<u32> = std::iter::once(0)
            .chain(line_breaks(&text).map(|i| i as u32 + 1))
            .collect();
        let lines = line_starts.len();
        let mut ascii_lines = vec![0u64; lines.div_ceil(64)];
        if text.is_ascii() {
            ascii_lines.fill(!0);
        } else {
            let bytes = text.as_bytes();
            for (line, &start) in line_starts.iter().enumerate() {
                let end = line_starts
                    .get(line + 1)
                    .map_or(bytes.len(), |&e| e as usize);
                if bytes[start as usize..end].is_ascii() {
                    ascii_lines[line / 64] |= 1 << (line % 64);
                }
            }
        }
        SourceFile {
            path,
            text,
            revision: Revision::next(),
            line_starts,
            ascii_lines,
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// Whether the 0-based line `line` is ASCII alone.
    fn is_ascii_line(&self, line: usize) -> bool {
        self.ascii_lines
            .get(line / 64)
            .is_some_and(|word| word & (1 << (line % 64)) != 0)
    }

    fn checkpoints(&self) -> &[u32] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = Vec::with_capacity(self.text.len() / CHECKPOINT + 1);
            let mut chars = 0u32;
            for chunk in self.text.as_bytes().chunks(CHECKPOINT) {
                checkpoints.push(chars);
                chars += char_starts(chunk) as u32;
            }
            checkpoints
        })
    }

    /// Characters before byte `offset` (a char boundary), in O(CHECKPOINT).
    fn chars_before(&self, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        let base = self.checkpoints().get(k).map_or(0, |&c| c as usize);
        base + char_starts(&self.text.as_bytes()[k * CHECKPOINT..offset])
    }

    /// The offset clamped to the text and moved back to a char boundary.
    fn clamped(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Positions of a range's start and end. An end on the start's line, not far on (most
    /// spans), is counted on from the start rather than looked up again.
    pub fn range_positions(&self, start: usize, end: usize) -> (Position, Position) {
        let (start, end) = (self.clamped(start), self.clamped(end));
        let from = self.position_of(start);
        let next_line = self
            .line_starts
            .get(from.line)
            .map_or(usize::MAX, |&s| s as usize);
        if start <= end && end < next_line && end - start <= CHECKPOINT {
            let columns = if self.is_ascii_line(from.line - 1) {
                end - start
            } else {
                char_starts(&self.text.as_bytes()[start..end])
            };
            let to = Position {
                line: from.line,
                column: from.column + columns,
            };
            return (from, to);
        }
        (from, self.position_of(end))
    }

    /// Line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        self.position_of(self.clamped(offset))
    }

    /// [`Self::position`] of an offset already clamped.
    fn position_of(&self, offset: usize) -> Position {
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        // Lines are short as a rule: count their characters; a long one from checkpoints.
        let column = if self.is_ascii_line(line) {
            offset - start
        } else if offset - start <= CHECKPOINT {
            char_starts(&self.text.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The 0-based line and column of a byte offset, the column counted in the code units
    /// of `encoding` (what editors and the language server protocol ask for).
    pub fn line_column(&self, offset: usize, encoding: Encoding) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let column = match encoding {
            _ if self.is_ascii_line(line) => offset - start,
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
            Encoding::Chars => self.chars_before(offset) - self.chars_before(start),
        };
        (line, column)
    }

    /// The byte offset of a 0-based line and column in `encoding`'s code units; clamped to
    /// the line (a column past its end is its end) and to a character boundary.
    pub fn offset_of(&self, line: usize, column: usize, encoding: Encoding) -> usize {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        let text = &self.text[start..end];
        let mut units = 0;
        for (i, c) in text.char_indices() {
            if units >= column || c == '\n' || c == '\r' {
                return start + i;
            }
            units += match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Chars => 1,
            };
        }
        end
    }

    /// Byte offset where the 0-based line `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.text.len(), |&s| s as usize)
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= offset) - 1
    }

    /// The file name without folder and extension: a map's name.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// The offsets of the last byte of every line break: LF, CR LF, and a lone CR, which
/// YAML (and every editor) reads as a line break too.
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
}

/// All files of a run, addressed by [`FileId`]. Ids are stable: a file keeps its id for
/// as long as a workspace knows it, and a removed file's id is never given to another.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<Option<Arc<SourceFile>>>,
}

impl Sources {
    /// Adds a file under the next id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Some(Arc::new(file)));
        FileId(self.files.len() as u32 - 1)
    }

    /// Puts a (shared) file under a given id.
    pub fn insert(&mut self, id: FileId, file: Arc<SourceFile>) {
        let i = id.0 as usize;
        if self.files.len() <= i {
            self.files.resize(i + 1, None);
        }
        self.files[i] = Some(file);
    }

    /// The file of an id. Panics for an id no file has: ids come from spans of this run.
    pub fn get(&self, id: FileId) -> &SourceFile {
        self.files[id.0 as usize]
            .as_deref()
            .expect("a span names a file of its run")
    }

    /// The file of an id, if the run has one.
    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// Every file, with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FileId(i as u32), f.as_deref()?)))
    }

    /// Start and end positions of a span.
    pub fn positions(&self, span: Span) -> (Position, Position) {
        self.get(span.file)
            .range_positions(span.start as usize, span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let f = SourceFile::new("a.yaml".into(), "ab\nRé @x\n".into());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // "Ré " is 4 bytes, 3 characters: `@` is column 4.
        assert_eq!(f.position(7), Position { line: 2, column: 4 });
        assert_eq!(f.position(999), Position { line: 3, column: 1 });
        // An offset inside a character counts as that character's start.
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
    }

    #[test]
    fn a_range_ends_where_its_end_offset_is_looked_up_alone() {
        let long = "é".repeat(1500);
        let f = SourceFile::new("a.yaml".into(), format!("ab\nRé @x\n{long}x\n\nz"));
        let len = f.text.len();
        for start in 0..=len + 2 {
            for end in [
                start,
                start + 1,
                start + 3,
                start + 7,
                start + 2000,
                len,
                len + 5,
                0,
            ] {
                assert_eq!(
                    f.range_positions(start, end),
                    (f.position(start), f.position(end)),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn columns_on_long_lines_count_characters_across_checkpoints() {
        let line = "é".repeat(3000) + "x" + &"中".repeat(1000);
        let f = SourceFile::new("a.yaml".into(), format!("a\n{line}\n"));
        let x = 2 + "é".len() * 3000;
        assert_eq!(
            f.position(x),
            Position {
                line: 2,
                column: 3001
            }
        );
        assert_eq!(
            f.position(x + 1 + 3 * 999),
            Position {
                line: 2,
                column: 4001
            }
        );
        assert_eq!(f.position(f.text.len()), Position { line: 3, column: 1 });
    }

    #[test]
    fn columns_convert_between_encodings() {
        let f = SourceFile::new("a.yaml".into(), "x\né😀 @k\n".into());
        let at = "x\né😀 ".len();
        assert_eq!(f.line_column(at, Encoding::Utf8), (1, 7));
        assert_eq!(f.line_column(at, Encoding::Utf16), (1, 4));
        assert_eq!(f.line_column(at, Encoding::Chars), (1, 3));
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let (line, column) = f.line_column(at, encoding);
            assert_eq!(f.offset_of(line, column, encoding), at, "{encoding:?}");
        }
        assert_eq!(
            f.offset_of(1, 99, Encoding::Utf16),
            f.text.len() - 1,
            "clamped to the line"
        );
    }

    #[test]
    fn ascii_lines_and_the_others_give_the_same_columns_as_counting() {
        // Lines of ASCII (counted in bytes) beside lines that are not, around the 64 lines
        // of one word of the bitset, and line breaks of every kind.
        let mut text = String::new();
        for i in 0..150 {
            text.push_str(match i % 5 {
                0 => "plain line\n",
                1 => "ünïcode line\r\n",
                2 => "\r",
                3 => "x é y 😀 z\n",
                _ => "ascii again @key\r\n",
            });
        }
        let f = SourceFile::new("a.yaml".into(), text.clone());
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line = f.line_of(offset);
            let before = &text[f.line_start(line)..offset];
            assert_eq!(
                f.position(offset),
                Position {
                    line: line + 1,
                    column: before.chars().count() + 1
                },
                "{offset}"
            );
            assert_eq!(
                f.line_column(offset, Encoding::Utf16).1,
                before.encode_utf16().count()
            );
            assert_eq!(
                f.line_column(offset, Encoding::Chars).1,
                before.chars().count()
            );
        }
        // Both kinds of lines were met (the ASCII shortcut was taken, and not taken).
        let lines = f.line_of(text.len()) + 1;
        let ascii = (0..lines).filter(|&l| f.is_ascii_line(l)).count();
        assert!(ascii > 64 && ascii < lines - 40, "{ascii} of {lines}");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let f = SourceFile::new("a.yaml".into(), "a\rb\r\nc\nd".into());
        assert_eq!(f.position(2), Position { line: 2, column: 1 });
        assert_eq!(f.position(5), Position { line: 3, column: 1 });
        assert_eq!(f.position(7), Position { line: 4, column: 1 });
    }

    #[test]
    fn stem_is_the_map_name() {
        let f = SourceFile::new("arguments/russia-sco.yaml".into(), String::new());
        assert_eq!(f.stem(), "russia-sco");
    }
}
