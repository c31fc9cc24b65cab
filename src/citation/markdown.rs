//! pandoc's Markdown inline reader, as far as citations depend on it (pandoc 2.17's
//! `Text.Pandoc.Readers.Markdown`, with its default extensions, rule for rule).
//!
//! A claim's text is read as the inlines of one paragraph. Every construct that decides
//! whether an `@` is a citation is read as pandoc reads it: code spans, TeX math, raw HTML
//! and TeX, autolinks, link destinations and titles, footnote markers and escapes hide an
//! `@`; emphasis, spans, link text, notes and a citation's own prefix and suffix do not.
//! A citation's prefix and suffix are kept as inlines ([`Tok`]), which the locator reader
//! reads as citeproc does.
//!
//! pandoc's parser backtracks; this one does the same, but reads each bracketed construct
//! at a position once (a table of results), so its time stays near-linear in the text.
//! Constructs nested deeper than [`MAX_DEPTH`] are read as plain text, where pandoc would
//! still recurse.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use nom::{IResult, Parser, bytes::complete::take_while1, combinator::recognize};

use super::chars::{is_alnum, is_space};
use super::{Tok, TokKind};

/// How deep constructs may nest (brackets in brackets, emphasis in emphasis) before the
/// reader takes their marks as text.
pub(super) const MAX_DEPTH: usize = 48;

/// How pandoc cites a work: `citationMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `[@key]`.
    Normal,
    /// `@key` in the text.
    AuthorInText,
    /// `[-@key]`.
    SuppressAuthor,
}

/// One citation as the reader found it.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub key: String,
    /// `@key` or `@{key}` (without a `-` before it).
    pub key_range: Range<usize>,
    pub mode: Mode,
    pub prefix: Vec<Tok>,
    pub suffix: Vec<Tok>,
    /// Where the key would end if its internal punctuation ran on (`@a--b` is `a` to
    /// pandoc): the end of the longer spelling, when it differs.
    pub longer_end: Option<usize>,
}

/// Something written like a citation that pandoc does not read as one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Miss {
    /// `@{…}` with white space in its braces.
    pub range: Range<usize>,
}

/// What reading a bracketed construct gave, kept for the next time it is asked.
#[derive(Clone, Debug)]
struct Outcome {
    end: usize,
    toks: Vec<Tok>,
    found: Vec<Found>,
    misses: Vec<Miss>,
    last_str: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Memo {
    /// `inline` at a `[`.
    Bracket,
    /// `normalCite` at a `[`.
    NormalCite,
}

/// A reading's place and state: what it is, where, the end of input, links allowed,
/// inlines kept.
type MemoKey = (Memo, usize, usize, bool, bool);

#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    last_str: Option<usize>,
    found: usize,
    misses: usize,
}

/// The reader's state: pandoc's parser state, as far as citations depend on it.
pub(super) struct Reader<'t> {
    text: &'t str,
    pos: usize,
    /// The end of the input: the text's, or a label's while it is read on its own (pandoc's
    /// `parseFromString`).
    end: usize,
    /// Just after the last word (`stateLastStrPos`): an `@` there is not a citation.
    last_str: Option<usize>,
    /// Off inside a link's text, where links and autolinks are not read.
    allow_links: bool,
    /// On inside a citation's prefix and suffix, whose inlines the locator reader reads:
    /// elsewhere the reader keeps no inlines, only citations.
    keep: bool,
    depth: usize,
    /// Inlines read so far, and how many may be: pandoc's reading can backtrack without
    /// bound (`[@a [@a [@a …`), so a text that takes more than [`WORK_PER_BYTE`] inlines a
    /// byte is read by [`fallback`] instead.
    work: usize,
    budget: usize,
    pub found: Vec<Found>,
    pub misses: Vec<Miss>,
    runs: BacktickRuns,
    memo: HashMap<MemoKey, Option<Rc<Outcome>>>,
    /// Where the balanced brackets opened at an offset close (`inlinesInBalancedBrackets`).
    brackets: HashMap<(usize, usize), Option<usize>>,
}

impl<'t> Reader<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Self::within(text, 0..text.len())
    }

    /// A reader of `range` of `text` alone (offsets stay the text's).
    fn within(text: &'t str, range: Range<usize>) -> Self {
        Reader {
            text,
            pos: range.start,
            end: range.end,
            last_str: None,
            allow_links: true,
            keep: false,
            depth: 0,
            work: 0,
            budget: WORK_PER_BYTE * range.len() + 4096,
            found: Vec::new(),
            misses: Vec::new(),
            runs: BacktickRuns::new(text.as_bytes(), range),
            memo: HashMap::new(),
            brackets: HashMap::new(),
        }
    }

    /// Reads the whole text as a paragraph's inlines; false when it took more work than the
    /// budget allows (what was found is then incomplete).
    pub(super) fn paragraph(&mut self) -> bool {
        let mut toks = Vec::new();
        while self.pos < self.end && !self.exhausted() {
            self.skip_prose();
            if self.pos >= self.end {
                break;
            }
            if !self.inline(&mut toks) {
                // A blank line ends a paragraph; the next one is read the same way.
                self.pos += self.rest().chars().next().map_or(1, char::len_utf8);
                self.last_str = None;
            }
        }
        !self.exhausted()
    }

    /// Skips, at the top level, what reads as plain words, spaces and symbols: up to the
    /// next character that can start a construct a citation depends on. What the skipped
    /// inlines would have left is set as they would have: whether the place is just after
    /// a word (a letter or digit before it, or a full stop pandoc reads as a word's: the
    /// last of a run of them unless the run ends in an ellipsis, `...`).
    fn skip_prose(&mut self) {
        let bytes = &self.text.as_bytes()[self.pos..self.end];
        let n = bytes
            .iter()
            .position(|b| {
                matches!(
                    b,
                    b'@' | b'[' | b'`' | b'$' | b'<' | b'\\' | b'!' | b'^' | b'~' | b'*' | b'_'
                )
            })
            .unwrap_or(bytes.len());
        if n == 0 {
            return;
        }
        self.pos += n;
        let before = &self.text[..self.pos];
        let dots = before.bytes().rev().take_while(|&b| b == b'.').count();
        self.last_str = match dots {
            0 => before
                .chars()
                .next_back()
                .filter(|&c| is_alnum(c))
                .map(|_| self.pos),
            _ if dots % 3 != 0 && self.peek() != Some('.') => Some(self.pos),
            _ => None,
        };
    }

    fn exhausted(&self) -> bool {
        self.work > self.budget
    }

    // ----- input -----

    fn rest(&self) -> &'t str {
        &self.text[self.pos..self.end]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_at(&self, at: usize) -> Option<char> {
        (at < self.end)
            .then(|| self.text[at..self.end].chars().next())
            .flatten()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    /// `spnl`: spaces, at most one line break, spaces; not a blank line.
    fn spnl(&mut self) -> bool {
        let mark = self.pos;
        self.skip_spaces();
        self.eat('\n');
        self.skip_spaces();
        if self.peek() == Some('\n') {
            self.pos = mark;
            return false;
        }
        true
    }

    fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            last_str: self.last_str,
            found: self.found.len(),
            misses: self.misses.len(),
        }
    }

    fn reset(&mut self, mark: Mark) {
        self.pos = mark.pos;
        self.last_str = mark.last_str;
        self.found.truncate(mark.found);
        self.misses.truncate(mark.misses);
    }

    fn after_str(&self) -> bool {
        self.last_str == Some(self.pos)
    }

    /// A token of `kind` at `range`, when inlines are kept (in a citation's prefix or
    /// suffix): every token the reader makes is made here.
    fn push_at(&self, out: &mut Vec<Tok>, kind: TokKind, text: &str, range: Range<usize>) {
        if self.keep {
            out.push(Tok {
                kind,
                text: text.into(),
                range,
            });
        }
    }

    /// A token of `kind` from `from` to here.
    fn push(&self, out: &mut Vec<Tok>, kind: TokKind, text: &str, from: usize) {
        self.push_at(out, kind, text, from..self.pos);
    }

    /// A `Str` from `from` to here.
    fn atom(&self, out: &mut Vec<Tok>, text: &str, from: usize) {
        self.push(out, TokKind::Str, text, from);
    }

    /// Markup (a link, code, a tag) from `from` to here, by its text.
    fn other_text(&self, out: &mut Vec<Tok>, text: &str, from: usize) {
        self.push(out, TokKind::Other, text, from);
    }

    /// Markup around `children` (emphasis, a span), by their text.
    fn other(&self, out: &mut Vec<Tok>, children: &[Tok], from: usize) {
        if !self.keep {
            return;
        }
        out.push(Tok {
            kind: TokKind::Other,
            text: children.iter().map(|t| t.text.as_str()).collect(),
            range: from..self.pos,
        });
    }

    /// Runs `f` one level deeper, or fails past the depth limit.
    fn deeper(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        if self.depth >= MAX_DEPTH {
            return false;
        }
        self.depth += 1;
        let done = f(self);
        self.depth -= 1;
        done
    }

    /// Reads `range` on its own, as pandoc's `parseFromString` reads a label: the inlines
    /// of that text alone, with no word before it.
    fn sub_inlines(&mut self, range: Range<usize>, allow_links: bool) -> Vec<Tok> {
        let (pos, end, last_str, links) = (self.pos, self.end, self.last_str, self.allow_links);
        self.pos = range.start;
        self.end = range.end;
        self.last_str = None;
        self.allow_links = allow_links;
        let mut toks = Vec::new();
        while self.pos < self.end && self.inline(&mut toks) {}
        self.pos = pos;
        self.end = end;
        self.last_str = last_str;
        self.allow_links = links;
        toks
    }

    /// Runs a bracketed reader at most once for each place and state.
    fn memo(
        &mut self,
        kind: Memo,
        out: &mut Vec<Tok>,
        read: impl FnOnce(&mut Self, &mut Vec<Tok>) -> bool,
    ) -> bool {
        // At the top level a place is read once: no table, no copies.
        if self.depth <= 1 {
            let mark = self.mark();
            let done = read(self, out);
            if !done {
                self.reset(mark);
            }
            return done;
        }
        let key = (kind, self.pos, self.end, self.allow_links, self.keep);
        let outcome = match self.memo.get(&key) {
            Some(known) => known.clone(),
            None => {
                let mark = self.mark();
                let mut toks = Vec::new();
                let done = read(self, &mut toks);
                self.work += self.found.len() - mark.found + toks.len();
                let outcome = done.then(|| {
                    Rc::new(Outcome {
                        end: self.pos,
                        toks,
                        found: self.found[mark.found..].to_vec(),
                        misses: self.misses[mark.misses..].to_vec(),
                        last_str: self.last_str,
                    })
                });
                self.reset(mark);
                self.memo.insert(key, outcome.clone());
                outcome
            }
        };
        let Some(outcome) = outcome else {
            return false;
        };
        // Copying a reading costs as reading it would: it counts against the budget.
        self.work += outcome.found.len() + outcome.toks.len() + outcome.misses.len();
        self.pos = outcome.end;
        self.last_str = outcome.last_str;
        self.found.extend(outcome.found.iter().cloned());
        self.misses.extend(outcome.misses.iter().cloned());
        out.extend(outcome.toks.iter().cloned());
        true
    }

    // ----- inlines -----

    /// pandoc's `inline`: one inline at the position, into `out`; false at the end or at a
    /// blank line.
    fn inline(&mut self, out: &mut Vec<Tok>) -> bool {
        self.work += 1;
        if self.exhausted() {
            return false;
        }
        let Some(c) = self.peek() else {
            return false;
        };
        let read = match c {
            ' ' | '\t' => self.whitespace(out),
            '\n' => return self.endline(out),
            '`' => self.code(out),
            '_' | '*' => self.deeper(|r| r.enclosure(c, out)),
            '^' => self.deeper(|r| r.superscript(out) || r.inline_note(out)),
            '[' => self.deeper(|r| r.memo(Memo::Bracket, out, Self::bracket)),
            '!' => self.deeper(|r| r.image(out)),
            '$' => self.math(out),
            '~' => self.deeper(|r| r.strikeout(out) || r.subscript(out)),
            '<' => self.deeper(|r| r.autolink(out) || r.span_html(out) || r.raw_html(out)),
            '\\' => self.escaped_newline(out) || self.escaped_char(out) || self.raw_tex(out),
            '@' => self.deeper(|r| r.textual_cite(out)) || self.example_ref(out),
            '-' => self.dash(out),
            '.' => self.ellipsis(out),
            '&' => self.char_ref(out),
            _ => false,
        };
        read || self.word(out) || self.symbol(out)
    }

    /// `[`: a footnote marker, a citation group, a bracketed span or a link.
    fn bracket(&mut self, out: &mut Vec<Tok>) -> bool {
        self.note_marker(out)
            || self.normal_cite_inline(out)
            || self.bracketed_span(out)
            || self.link(out)
    }

    fn whitespace(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        self.skip_spaces();
        let run = self.pos - from;
        if run >= 2 && self.peek() == Some('\n') {
            let before = self.pos;
            let mut ignored = Vec::new();
            if self.endline(&mut ignored) {
                // A hard line break: no space to a locator.
                self.other_text(out, " ", from);
                return true;
            }
            self.pos = before;
        }
        self.push(out, TokKind::Space, " ", from);
        true
    }

    /// A line break inside the paragraph; false before a blank line.
    fn endline(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if !self.eat('\n') {
            return false;
        }
        let after = self.pos;
        self.skip_spaces();
        if self.pos < self.end && self.peek() == Some('\n') {
            self.pos = from;
            return false;
        }
        self.pos = after;
        self.skip_spaces();
        self.push(out, TokKind::Space, " ", from);
        true
    }

    /// A code span: a run of backticks to the next run of the same length.
    fn code(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let run = self.rest().bytes().take_while(|&b| b == b'`').count();
        let Some(end) = self.runs.span_end(from, run).filter(|&e| e <= self.end) else {
            return false;
        };
        self.pos = end;
        self.attributes();
        let text = self.text;
        self.push(
            out,
            TokKind::Other,
            text[from + run..end - run].trim(),
            from,
        );
        true
    }

    /// `{#id .class key=value}` or `{=format}` after code, a link or a span.
    fn attributes(&mut self) -> bool {
        let from = self.pos;
        if !self.eat('{') {
            return false;
        }
        self.spnl();
        if self.eat('=') {
            let name = self
                .rest()
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                .count();
            self.pos += name;
            if name > 0 && self.eat('}') {
                return true;
            }
            self.pos = from;
            return false;
        }
        loop {
            self.spnl();
            if self.eat('}') {
                return true;
            }
            let start = self.pos;
            match self.peek() {
                Some('#' | '.') => {
                    self.pos += 1;
                    let n = self.ident_len();
                    if n == 0 {
                        break;
                    }
                    self.pos += n;
                }
                Some('-')
                    if matches!(self.peek_at(self.pos + 1), Some(' ' | '\t' | '\n' | '}')) =>
                {
                    self.pos += 1;
                }
                Some(c) if c.is_alphabetic() || c == '_' => {
                    self.pos += self.ident_len();
                    if !self.eat('=') {
                        break;
                    }
                    if !self.attribute_value() {
                        break;
                    }
                }
                _ => break,
            }
            if !matches!(self.peek(), Some(' ' | '\t' | '\n' | '}')) || self.pos == start {
                break;
            }
        }
        self.pos = from;
        false
    }

    fn ident_len(&self) -> usize {
        self.rest()
            .char_indices()
            .find(|&(_, c)| !(is_alnum(c) || matches!(c, '-' | '_' | ':' | '.')))
            .map_or(self.rest().len(), |(i, _)| i)
    }

    fn attribute_value(&mut self) -> bool {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                match self.rest().find(q) {
                    Some(i) => {
                        self.pos += i + 1;
                        true
                    }
                    None => false,
                }
            }
            _ => {
                let n = self
                    .rest()
                    .find(|c: char| c.is_whitespace() || c == '}' || c == '"' || c == '\'')
                    .unwrap_or(self.rest().len());
                self.pos += n;
                n > 0
            }
        }
    }

    /// `*`/`_` emphasis, as pandoc's `enclosure`, `one`, `two` and `three`.
    fn enclosure(&mut self, c: char, out: &mut Vec<Tok>) -> bool {
        // intraword_underscores: no `_` emphasis starts right after a word.
        if c == '_' && self.after_str() {
            return false;
        }
        let from = self.pos;
        let n = self.rest().chars().take_while(|&x| x == c).count();
        self.pos += n;
        let text = self.text;
        if matches!(self.peek(), Some(' ' | '\t')) {
            self.atom(out, &text[from..self.pos], from);
            return self.whitespace(out);
        }
        match n {
            3 => self.three(c, from, out),
            2 => self.two(c, from, Vec::new(), out),
            1 => self.one(c, from, Vec::new(), out),
            _ => self.atom(out, &text[from..self.pos], from),
        }
        true
    }

    /// `ender c n`: `n` marks, and for `_` no letter or digit after them.
    fn ender(&self, c: char, n: usize) -> bool {
        let rest = self.rest();
        if rest.len() < n || !rest.as_bytes()[..n].iter().all(|&b| b == c as u8) {
            return false;
        }
        c == '*' || !self.peek_at(self.pos + n).is_some_and(is_alnum)
    }

    fn close(&mut self, n: usize) {
        self.pos += n;
        self.last_str = Some(self.pos);
    }

    fn three(&mut self, c: char, from: usize, out: &mut Vec<Tok>) {
        let mut contents = Vec::new();
        while !self.ender(c, 1) && self.inline(&mut contents) {}
        if self.ender(c, 3) {
            self.close(3);
            self.other(out, &contents, from);
        } else if self.ender(c, 2) {
            self.close(2);
            let mut strong = Vec::new();
            self.other(&mut strong, &contents, from);
            self.one(c, from, strong, out);
        } else if self.ender(c, 1) {
            self.close(1);
            let mut emph = Vec::new();
            self.other(&mut emph, &contents, from);
            self.two(c, from, emph, out);
        } else {
            let text = self.text;
            self.push_at(out, TokKind::Str, &text[from..from + 3], from..from + 3);
            out.extend(contents);
        }
    }

    fn two(&mut self, c: char, from: usize, prefix: Vec<Tok>, out: &mut Vec<Tok>) {
        let mut contents = prefix;
        let start = contents.len();
        while !self.ender(c, 2) && self.inline(&mut contents) {}
        if self.ender(c, 2) {
            self.close(2);
            self.other(out, &contents, from);
        } else {
            // The marks, then what came before them (pandoc's order).
            let at = match start {
                0 => from,
                _ => contents[start - 1].range.end,
            };
            let marks: String = std::iter::repeat_n(c, 2).collect();
            self.push_at(out, TokKind::Str, &marks, at..at + 2);
            out.extend(contents);
        }
    }

    fn one(&mut self, c: char, from: usize, prefix: Vec<Tok>, out: &mut Vec<Tok>) {
        let mut contents = prefix;
        loop {
            if !self.ender(c, 1) {
                if !self.inline(&mut contents) {
                    break;
                }
                continue;
            }
            let double = self.rest().as_bytes().get(..2) == Some(&[c as u8, c as u8][..]);
            if double
                && !{
                    self.pos += 2;
                    let e = self.ender(c, 1);
                    self.pos -= 2;
                    e
                }
            {
                let at = self.pos;
                self.pos += 2;
                self.two(c, at, Vec::new(), &mut contents);
                continue;
            }
            break;
        }
        if self.ender(c, 1) {
            self.close(1);
            self.other(out, &contents, from);
        } else {
            self.push_at(out, TokKind::Str, &c.to_string(), from..from + 1);
            out.extend(contents);
        }
    }

    /// `^text^`, no spaces in it.
    fn superscript(&mut self, out: &mut Vec<Tok>) -> bool {
        self.between_marks('^', out)
    }

    /// `~sub~`, no spaces in it.
    fn subscript(&mut self, out: &mut Vec<Tok>) -> bool {
        self.between_marks('~', out)
    }

    /// Inlines between two `mark`s, at least one, with no space or line break.
    fn between_marks(&mut self, mark_char: char, out: &mut Vec<Tok>) -> bool {
        if self.peek_at(self.pos + 1) == Some(mark_char) {
            return false; // `many1Till` checks for the end first
        }
        let mark = self.mark();
        let from = self.pos;
        self.pos += 1;
        let mut contents = Vec::new();
        // Whether an inline was read: tokens are kept only in a prefix or suffix, so
        // `contents` can stay empty after one.
        let mut read = false;
        loop {
            if read && self.eat(mark_char) {
                self.other(out, &contents, from);
                return true;
            }
            if matches!(self.peek(), None | Some(' ' | '\t' | '\n')) || !self.inline(&mut contents)
            {
                break;
            }
            read = true;
        }
        self.reset(mark);
        false
    }

    /// `^[note]`: an inline note, whose citations count.
    fn inline_note(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if self.peek_at(from + 1) != Some('[') {
            return false;
        }
        let Some(close) = self.balanced_end(from + 1) else {
            return false;
        };
        self.sub_inlines(from + 2..close, self.allow_links);
        self.pos = close + 1;
        self.other_text(out, "", from);
        true
    }

    /// `~~struck~~`.
    fn strikeout(&mut self, out: &mut Vec<Tok>) -> bool {
        if !self.starts_with("~~")
            || matches!(
                self.peek_at(self.pos + 2),
                None | Some('~') | Some(' ' | '\t' | '\n')
            )
        {
            return false;
        }
        let mark = self.mark();
        let from = self.pos;
        self.pos += 2;
        let mut contents = Vec::new();
        // Whether an inline was read (see `between_marks`).
        let mut read = false;
        loop {
            if read && self.eat_str("~~") {
                self.other(out, &contents, from);
                return true;
            }
            if matches!(self.peek(), Some(' ' | '\t')) {
                let mut space = Vec::new();
                self.whitespace(&mut space);
                if self.starts_with("~~") {
                    break;
                }
                contents.extend(space);
                read = true;
                continue;
            }
            if !self.inline(&mut contents) {
                break;
            }
            read = true;
        }
        self.reset(mark);
        false
    }

    /// TeX math: `$$display$$` or `$inline$` (no space inside the dollars, no digit after).
    fn math(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if self.starts_with("$$") && !self.text[from + 2..self.end].starts_with("$$") {
            // At least one character, then the first `$$`, with no blank line between.
            let body = from + 2;
            let close = self.text[body..self.end]
                .char_indices()
                .nth(1)
                .and_then(|(i, _)| {
                    self.text[body + i..self.end]
                        .find("$$")
                        .map(|j| body + i + j)
                });
            if let Some(close) = close
                && !blank_line_in(&self.text[body..close])
            {
                self.pos = close + 2;
                let text = self.text;
                self.push(out, TokKind::Math, &text[body..close], from);
                return true;
            }
        }
        // Inline math.
        let mut i = from + 1;
        match self.peek_at(i) {
            // pandoc's `many1Till` checks for the end first: `$$` is no inline math.
            None | Some('$') => return false,
            Some(c) if is_space(c) => return false,
            _ => {}
        }
        let mut first = true;
        loop {
            if !first && self.text[i..self.end].starts_with('$') {
                let after = i + 1;
                if self.peek_at(after).is_some_and(|c| c.is_ascii_digit()) {
                    return false;
                }
                self.pos = after;
                let text = self.text;
                self.push(out, TokKind::Math, &text[from + 1..i], from);
                return true;
            }
            first = false;
            let Some(c) = self.peek_at(i) else {
                return false;
            };
            match c {
                ' ' | '\t' | '\n' | '\r' => {
                    let run = self.text[i..self.end]
                        .bytes()
                        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                        .count();
                    if blank_line_in(&self.text[i..i + run]) {
                        return false;
                    }
                    i += run;
                    if self.peek_at(i) == Some('$') {
                        return false;
                    }
                }
                '\\' => {
                    i += 1;
                    if self.text[i..self.end].starts_with("text{") {
                        i += 4;
                        match braces_end(&self.text[i..self.end]) {
                            Some(n) => i += n,
                            None => return false,
                        }
                    } else {
                        match self.peek_at(i) {
                            Some(c) => i += c.len_utf8(),
                            None => return false,
                        }
                    }
                }
                c => i += c.len_utf8(),
            }
        }
    }

    /// `<https://…>` or `<name@example.org>`.
    fn autolink(&mut self, out: &mut Vec<Tok>) -> bool {
        if !self.allow_links {
            return false;
        }
        let from = self.pos;
        let inner = &self.text[from + 1..self.end];
        let Some(head) = uri_head(inner).or_else(|| email_head(inner)) else {
            return false;
        };
        let tail = &inner[head..];
        let Some(close) = tail.find(|c: char| c == '>' || is_space(c)) else {
            return false;
        };
        if !tail[close..].starts_with('>') {
            return false;
        }
        self.pos = from + 1 + head + close + 1;
        self.other_text(out, &inner[..head + close], from);
        true
    }

    /// `<span …>inlines</span>`.
    fn span_html(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let Some((len, Tag::Open(name))) = html_tag(&self.text[from..self.end]) else {
            return false;
        };
        if !name.eq_ignore_ascii_case("span") {
            return false;
        }
        let mark = self.mark();
        self.pos += len;
        let mut contents = Vec::new();
        loop {
            if let Some((n, Tag::Close(name))) = html_tag(self.rest())
                && name.eq_ignore_ascii_case("span")
            {
                self.pos += n;
                self.other(out, &contents, from);
                return true;
            }
            if !self.inline(&mut contents) {
                break;
            }
        }
        self.reset(mark);
        false
    }

    /// A raw HTML tag or comment: nothing in it is read.
    fn raw_html(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let Some((len, _)) = html_tag(&self.text[from..self.end]) else {
            return false;
        };
        self.pos += len;
        self.other_text(out, "", from);
        true
    }

    /// `\` and a line break: a hard line break.
    fn escaped_newline(&mut self, out: &mut Vec<Tok>) -> bool {
        if self.peek_at(self.pos + 1) != Some('\n') {
            return false;
        }
        let from = self.pos;
        self.pos += 1;
        self.other_text(out, " ", from);
        true
    }

    /// `\` and any character but a letter or digit: the character itself (`\ ` is a
    /// no-break space).
    fn escaped_char(&mut self, out: &mut Vec<Tok>) -> bool {
        let Some(c) = self.peek_at(self.pos + 1) else {
            return false;
        };
        if is_alnum(c) || c == '\n' {
            return false;
        }
        let from = self.pos;
        self.pos += 1 + c.len_utf8();
        let text = if c == ' ' {
            "\u{a0}".to_owned()
        } else {
            c.to_string()
        };
        self.atom(out, &text, from);
        true
    }

    /// Raw TeX: a command (letters and `@`, as TeX's `\makeatletter` names have them), the
    /// spaces after it, and its bracketed and braced arguments (`\cite[p. 3]{doe99}`).
    fn raw_tex(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let rest = &self.text[from + 1..self.end];
        let name = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == b'@')
            .count();
        if name == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            return false;
        }
        let mut i = from + 1 + name;
        if self.text[i..self.end].starts_with('*') {
            i += 1;
        }
        let spaces = |i: usize| {
            self.text[i..self.end]
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count()
        };
        i += spaces(i);
        loop {
            let at = &self.text[i..self.end];
            if at.starts_with('{') {
                match braces_end(at) {
                    Some(n) => i += n,
                    None => break,
                }
            } else if at.starts_with('[') {
                match at.find(']') {
                    Some(n) => i += n + 1 + spaces(i + n + 1),
                    None => break,
                }
            } else {
                break;
            }
        }
        self.pos = i;
        self.other_text(out, "", from);
        true
    }

    /// `@label` where it is not a citation: text.
    fn example_ref(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        self.pos += 1;
        loop {
            let n = self
                .rest()
                .chars()
                .take_while(|&c| is_alnum(c))
                .map(char::len_utf8)
                .sum::<usize>();
            if n > 0 {
                self.pos += n;
                continue;
            }
            if let Some('_' | '-') = self.peek() {
                let after = self.pos + 1;
                let m = self.text[after..self.end]
                    .chars()
                    .take_while(|&c| is_alnum(c))
                    .map(char::len_utf8)
                    .sum::<usize>();
                if m > 0 {
                    self.pos = after + m;
                    continue;
                }
            }
            break;
        }
        let text = self.text;
        self.atom(out, &text[from..self.pos], from);
        true
    }

    /// `--` and `---`: dashes (smart punctuation).
    fn dash(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if self.eat_str("---") {
            self.atom(out, "—", from);
        } else if self.eat_str("--") {
            self.atom(out, "–", from);
        } else {
            return false;
        }
        true
    }

    fn ellipsis(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if !self.eat_str("...") {
            return false;
        }
        self.atom(out, "…", from);
        true
    }

    /// `&amp;`, `&#64;`, `&nbsp;`: a character reference is its character.
    fn char_ref(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let rest = &self.text[from + 1..self.end];
        let Some(semi) = rest.find(';').filter(|&i| i > 0 && i <= 32) else {
            return false;
        };
        let name = &rest[..semi];
        let c = if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            code.and_then(char::from_u32)
        } else {
            named_entity(name)
        };
        let Some(c) = c else { return false };
        self.pos = from + 1 + semi + 1;
        self.atom(out, &c.to_string(), from);
        true
    }

    /// pandoc's `str`: letters and digits, and full stops not before another; the end of a
    /// word is remembered (an `@` right after it is not a citation).
    fn word(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let rest = self.rest().as_bytes();
        let mut i = 0;
        let text = self.rest();
        while i < rest.len() {
            let c = text[i..].chars().next().expect("in the text");
            if is_alnum(c) || (c == '.' && rest.get(i + 1) != Some(&b'.')) {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        if i == 0 {
            return false;
        }
        self.pos += i;
        let word = &text[..i];
        self.atom(out, word, from);
        self.last_str = Some(self.pos);
        if ABBREVIATIONS.contains(&word) && matches!(self.peek(), Some(' ' | '\t')) {
            self.space_after_abbreviation(out);
        }
        true
    }

    /// After an abbreviation (`p.`, `sec.`), smart punctuation makes a space a no-break
    /// space, unless a citation or a note follows.
    fn space_after_abbreviation(&mut self, out: &mut Vec<Tok>) {
        let from = self.pos;
        let mut space = Vec::new();
        self.whitespace(&mut space);
        let plain = space.len() == 1 && space[0].kind == TokKind::Space;
        let mark = self.mark();
        let cite_next = self.cite_key().is_some()
            || (self.peek() == Some('[')
                && (self.note_marker(&mut Vec::new())
                    || self.memo(Memo::NormalCite, &mut Vec::new(), Self::normal_cite)));
        self.reset(mark);
        if plain && !cite_next {
            self.atom(out, "\u{a0}", from);
        } else {
            out.extend(space);
        }
    }

    fn symbol(&mut self, out: &mut Vec<Tok>) -> bool {
        let Some(c) = self.peek() else {
            return false;
        };
        if c == '\n' {
            return false;
        }
        let from = self.pos;
        self.pos += c.len_utf8();
        self.atom(out, &c.to_string(), from);
        true
    }

    // ----- brackets -----

    /// The offset of the `]` closing the `[` at `open`, brackets inside escapes, code,
    /// math, raw HTML and raw TeX not counted (`inlinesInBalancedBrackets`).
    ///
    /// One scan serves every bracket it passes: a scan from a `[` inside reads what this
    /// one reads from there, so the pairs a stack matches are the answers those scans would
    /// give, and a `[` left open is open for good. So all the brackets of a text cost one
    /// pass (per end of input: a label read on its own has its own).
    fn balanced_end(&mut self, open: usize) -> Option<usize> {
        if let Some(known) = self.brackets.get(&(open, self.end)) {
            return *known;
        }
        let (pos, last_str) = (self.pos, self.last_str);
        self.pos = open + 1;
        let mut opened = vec![open];
        let mut ignored = Vec::new();
        while let Some(c) = self.peek() {
            let skipped = match c {
                '\\' => self.escaped_char(&mut ignored) || self.raw_tex(&mut ignored),
                '`' => self.code(&mut ignored),
                '$' => self.math(&mut ignored),
                '<' => self.raw_html(&mut ignored),
                _ => false,
            };
            ignored.clear();
            if skipped {
                continue;
            }
            match c {
                ']' => {
                    let at = opened.pop().expect("an open bracket");
                    self.brackets.insert((at, self.end), Some(self.pos));
                    if opened.is_empty() {
                        break;
                    }
                }
                '[' => {
                    // Known from an earlier scan: jump over it (or it never closes).
                    match self.brackets.get(&(self.pos, self.end)) {
                        Some(Some(close)) => {
                            self.pos = close + 1;
                            continue;
                        }
                        Some(None) => break,
                        None => opened.push(self.pos),
                    }
                }
                _ => {}
            }
            self.pos += c.len_utf8();
        }
        for at in opened {
            self.brackets.insert((at, self.end), None);
        }
        self.pos = pos;
        self.last_str = last_str;
        self.brackets[&(open, self.end)]
    }

    /// `[^label]`: a footnote marker; nothing in it is a citation.
    fn note_marker(&mut self, out: &mut Vec<Tok>) -> bool {
        if !self.starts_with("[^") {
            return false;
        }
        let from = self.pos;
        let body = &self.text[from + 2..self.end];
        let mut chars = body.char_indices();
        match chars.next() {
            // pandoc's `many1Till` checks for the end first: `[^]` is no marker.
            Some((_, c)) if !matches!(c, ' ' | '\t' | '\n' | ']') => {}
            _ => return false,
        }
        for (i, c) in chars {
            if c == ']' {
                self.pos = from + 2 + i + 1;
                self.other_text(out, "", from);
                return true;
            }
            if matches!(c, ' ' | '\t' | '\n') {
                return false;
            }
        }
        false
    }

    fn normal_cite_inline(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        if !self.memo(Memo::NormalCite, &mut Vec::new(), Self::normal_cite) {
            return false;
        }
        let text = self.text;
        self.other_text(out, &text[from..self.pos], from);
        true
    }

    /// `[prefix @key suffix; …]`, not followed by `{`, `(` or `[`.
    fn normal_cite(&mut self, _: &mut Vec<Tok>) -> bool {
        let mark = self.mark();
        if !self.eat('[') {
            return false;
        }
        self.spnl();
        if self.cite_list().is_none() {
            self.reset(mark);
            return false;
        }
        self.spnl();
        if !self.eat(']') || matches!(self.peek(), Some('{' | '(' | '[')) {
            self.reset(mark);
            return false;
        }
        true
    }

    /// `citation (; citation)*`: how many it read, or none. pandoc's `sepBy1`: once a `;`
    /// (and the spaces after it) is read, an item must follow, or the whole list fails
    /// (`[@a;]` is no group; its `@a` is then read in the text).
    fn cite_list(&mut self) -> Option<usize> {
        let mut n = 0;
        loop {
            if !self.citation() {
                if n > 0 {
                    return None;
                }
                break;
            }
            n += 1;
            let mark = self.mark();
            if !(self.eat(';') && self.spnl()) {
                self.reset(mark);
                break;
            }
        }
        (n > 0).then_some(n)
    }

    /// One item of a group: prefix, key, suffix.
    fn citation(&mut self) -> bool {
        let mark = self.mark();
        let Some(prefix) = self.prefix() else {
            self.reset(mark);
            return false;
        };
        let Some((suppress, key, key_range, longer_end)) = self.cite_key() else {
            self.reset(mark);
            return false;
        };
        let index = self.found.len();
        self.found.push(Found {
            key,
            key_range,
            mode: if suppress {
                Mode::SuppressAuthor
            } else {
                Mode::Normal
            },
            prefix,
            suffix: Vec::new(),
            longer_end,
        });
        let suffix = self.suffix();
        self.found[index].suffix = suffix;
        true
    }

    /// The inlines before a key, up to it (or up to a `]`, which the key must follow).
    fn prefix(&mut self) -> Option<Vec<Tok>> {
        let keep = std::mem::replace(&mut self.keep, true);
        let toks = self.prefix_inlines();
        self.keep = keep;
        toks
    }

    fn prefix_inlines(&mut self) -> Option<Vec<Tok>> {
        let mut toks = Vec::new();
        loop {
            if self.eat(']') {
                break;
            }
            if self.key_ahead() {
                break;
            }
            if self.peek() == Some(';') || !self.inline(&mut toks) {
                return None;
            }
        }
        trim(&mut toks);
        Some(toks)
    }

    /// Whether a key (perhaps after `;` and spaces) starts here.
    fn key_ahead(&mut self) -> bool {
        let mark = self.mark();
        if self.eat(';') && !self.spnl() {
            self.reset(mark);
            return false;
        }
        let ahead = self.cite_key().is_some();
        self.reset(mark);
        ahead
    }

    /// The inlines after a key, up to `;` or `]`, with a space first if one was there.
    fn suffix(&mut self) -> Vec<Tok> {
        let keep = std::mem::replace(&mut self.keep, true);
        let toks = self.suffix_inlines();
        self.keep = keep;
        toks
    }

    fn suffix_inlines(&mut self) -> Vec<Tok> {
        let spaced = self
            .peek()
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let space_from = self.pos;
        self.spnl();
        let mut toks = Vec::new();
        while !matches!(self.peek(), Some(';' | ']') | None) && self.inline(&mut toks) {}
        trim(&mut toks);
        if spaced && !toks.is_empty() {
            toks.insert(
                0,
                Tok {
                    kind: TokKind::Space,
                    text: " ".into(),
                    range: space_from..space_from,
                },
            );
        }
        toks
    }

    /// pandoc's `citeKey`: not right after a word, an optional `-`, `@`, and a key, bare
    /// or braced. Returns whether the author is suppressed, the key, the range of `@key`
    /// and where a greedier reading of the key would end.
    fn cite_key(&mut self) -> Option<(bool, String, Range<usize>, Option<usize>)> {
        if self.after_str() {
            return None;
        }
        let mark = self.mark();
        let suppress = self.eat('-');
        let at = self.pos;
        if !self.eat('@') {
            self.reset(mark);
            return None;
        }
        let rest = self.rest();
        if let Ok((_, key)) = simple_key(rest) {
            self.pos += key.len();
            // Only a key followed by its punctuation can run on.
            let longer = match rest[key.len()..].chars().next() {
                Some(c) if is_key_punct(c) => greedy_key_len(rest),
                _ => 0,
            };
            let longer_end = (longer > key.len()).then_some(at + 1 + longer);
            return Some((suppress, key.to_owned(), at..self.pos, longer_end));
        }
        let braced = braced_key(rest);
        self.work += match braced {
            Braced::Key(n) | Braced::Spaced(n) => n,
            Braced::No if rest.starts_with('{') => rest.len().min(self.budget),
            Braced::No => 0,
        };
        match braced {
            Braced::Key(len) => {
                let key = rest[1..len - 1].to_owned();
                self.pos += len;
                Some((suppress, key, at..self.pos, None))
            }
            Braced::Spaced(len) => {
                // `@{Foo 2010}`: pandoc reads no citation; say so where it is.
                let miss = Miss {
                    range: at..at + 1 + len,
                };
                self.reset(mark);
                self.misses.push(miss); // duplicates from backtracking go at the end
                None
            }
            Braced::No => {
                self.reset(mark);
                None
            }
        }
    }

    /// `@key` in the text, and the bracket after it (`@key [p. 33]`, `@key [@other]`).
    fn textual_cite(&mut self, out: &mut Vec<Tok>) -> bool {
        let from = self.pos;
        let Some((suppress, key, key_range, longer_end)) = self.cite_key() else {
            return false;
        };
        let index = self.found.len();
        self.found.push(Found {
            key,
            key_range,
            mode: if suppress {
                Mode::SuppressAuthor
            } else {
                Mode::AuthorInText
            },
            prefix: Vec::new(),
            suffix: Vec::new(),
            longer_end,
        });
        let after_key = self.mark();
        // `spnl *> normalCite`.
        self.spnl();
        let mut bracketed = self.memo(Memo::NormalCite, &mut Vec::new(), Self::normal_cite);
        if !bracketed {
            self.reset(after_key);
            bracketed = self.bareloc(index);
        }
        if bracketed {
            self.reference_label_after();
        } else {
            self.reset(after_key);
        }
        let text = self.text;
        self.other_text(out, &text[from..self.pos], from);
        true
    }

    /// `@key [suffix; @more]`: the suffix of the in-text citation at `index`.
    fn bareloc(&mut self, index: usize) -> bool {
        let mark = self.mark();
        self.spnl();
        if !self.eat('[') || self.peek() == Some('^') {
            self.reset(mark);
            return false;
        }
        let suffix = self.suffix();
        let more = self.mark();
        if !(self.eat(';') && self.spnl() && self.cite_list().is_some()) {
            self.reset(more);
        }
        self.spnl();
        if !self.eat(']') || matches!(self.peek(), Some('[' | '(')) {
            self.reset(mark);
            return false;
        }
        self.found[index].suffix = suffix;
        true
    }

    /// After `@key [...]`, pandoc's reference-link check takes a `[label]` right after, and
    /// drops it, unless it is a citation group.
    fn reference_label_after(&mut self) {
        if self.peek() != Some('[') || self.starts_with("[^") {
            return;
        }
        let mark = self.mark();
        if self.memo(Memo::NormalCite, &mut Vec::new(), Self::normal_cite) {
            self.reset(mark);
            return;
        }
        if let Some(close) = self.balanced_end(self.pos) {
            self.pos = close + 1;
        }
    }

    /// `[inlines]{attributes}`.
    fn bracketed_span(&mut self, out: &mut Vec<Tok>) -> bool {
        if self.starts_with("[^") {
            return false;
        }
        let from = self.pos;
        let Some(close) = self.balanced_end(from) else {
            return false;
        };
        self.pos = close + 1;
        if !self.attributes() {
            self.pos = from;
            return false;
        }
        let end = self.pos;
        let toks = self.sub_inlines(from + 1..close, self.allow_links);
        self.pos = end;
        self.other(out, &toks, from);
        true
    }

    /// `[text](destination "title")`, `[text][label]` or `[text]`: the text's citations
    /// count, the destination and title are not read.
    fn link(&mut self, out: &mut Vec<Tok>) -> bool {
        self.label_and_target(out, false)
    }

    /// `![alt](path)`.
    fn image(&mut self, out: &mut Vec<Tok>) -> bool {
        if self.peek_at(self.pos + 1) != Some('[') {
            return false;
        }
        let from = self.pos;
        self.pos += 1;
        if self.label_and_target(out, true) {
            return true;
        }
        self.pos = from;
        false
    }

    fn label_and_target(&mut self, out: &mut Vec<Tok>, image: bool) -> bool {
        if !image && !self.allow_links {
            return false;
        }
        if self.starts_with("[^") {
            return false;
        }
        let from = self.pos;
        let Some(close) = self.balanced_end(from) else {
            return false;
        };
        self.pos = close + 1;
        if let Some(end) = self.link_destination() {
            // The label is read with links off.
            let toks = self.sub_inlines(from + 1..close, false);
            self.pos = end;
            self.attributes();
            self.other(out, &toks, from);
            return true;
        }
        // A reference link with no definition: `[text]`, then a `[label]` right after.
        let label_after = if self.peek() == Some('[') && !self.starts_with("[^") {
            let at = self.pos;
            let mark = self.mark();
            let cite = self.memo(Memo::NormalCite, &mut Vec::new(), Self::normal_cite);
            self.reset(mark);
            if cite {
                None
            } else {
                self.balanced_end(at).map(|c| at..c + 1)
            }
        } else {
            None
        };
        let mut toks = Vec::new();
        self.push_at(&mut toks, TokKind::Str, "[", from..from + 1);
        toks.extend(self.sub_inlines(from + 1..close, true));
        self.push_at(&mut toks, TokKind::Str, "]", close..close + 1);
        self.pos = close + 1;
        if let Some(label) = label_after {
            toks.extend(self.sub_inlines(label.clone(), true));
            self.pos = label.end;
        }
        out.extend(toks);
        true
    }

    /// `(destination "title")` after a link's text: where it ends.
    fn link_destination(&mut self) -> Option<usize> {
        let from = self.pos;
        let text = &self.text[from..self.end];
        if !text.starts_with('(') {
            return None;
        }
        let bytes = text.as_bytes();
        let mut i = 1;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'<') {
            let close = text[i..].find('>')?;
            i += close + 1;
        } else {
            let mut depth = 0usize;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => {
                        i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8);
                        continue;
                    }
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    b' ' | b'\t' | b'\n' if depth == 0 => {
                        // A space ends the destination before a title.
                        let after = text[i..].trim_start_matches([' ', '\t', '\n']);
                        if after.starts_with(['"', '\'', ')']) {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // An optional title, then `)`.
        let rest = &text[i..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\n']);
        let mut j = i + (rest.len() - trimmed.len());
        if let Some(q) = trimmed.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let body = &text[j + 1..];
            let mut k = 0;
            let mut found = None;
            for (idx, c) in body.char_indices() {
                if idx < k {
                    continue;
                }
                if c == '\\' {
                    k = idx + 2;
                    continue;
                }
                if c == q && !body[idx + 1..].starts_with(|n: char| is_alnum(n)) {
                    found = Some(idx);
                    break;
                }
            }
            if let Some(f) = found {
                j = j + 1 + f + 1;
            }
        }
        let after = &text[j..];
        let after_trim = after.trim_start_matches([' ', '\t']);
        j += after.len() - after_trim.len();
        if !text[j..].starts_with(')') {
            return None;
        }
        Some(from + j + 1)
    }
}

/// Whether a blank line (a line break, spaces, a line break) is in `text`.
fn blank_line_in(text: &str) -> bool {
    let mut breaks = text.match_indices('\n').map(|(i, _)| i);
    let Some(mut last) = breaks.next() else {
        return false;
    };
    breaks.any(|next| {
        let blank = text[last + 1..next]
            .bytes()
            .all(|b| b == b' ' || b == b'\t');
        last = next;
        blank
    })
}

/// The longest text read exactly (8 KiB: a claim is a sentence or a paragraph); a longer
/// one is read by [`fallback`].
pub(crate) const EXACT_LIMIT: usize = 8 << 10;

/// How many inlines a byte of text may take to read, backtracking included, before the
/// text is read by [`fallback`].
pub(super) const WORK_PER_BYTE: usize = 64;

/// A linear reading for a text whose exact reading would take too long: each bracket group
/// with no bracket inside is read exactly on its own (with a budget of its own), and every
/// other `@key` not after a word, outside code spans and escapes, as an in-text citation.
pub(super) fn fallback(text: &str) -> (Vec<Found>, Vec<Miss>) {
    let bytes = text.as_bytes();
    let runs = BacktickRuns::new(bytes, 0..bytes.len());
    let (mut found, mut misses) = (Vec::new(), Vec::new());
    let mut in_text = Vec::new();
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                i = runs.span_end(i, run).unwrap_or(i + run);
                continue;
            }
            b'[' => open = Some(i),
            b']' => {
                if let Some(start) = open.take() {
                    let end = (i + 2).min(text.len());
                    let end = (end..=text.len())
                        .find(|&e| text.is_char_boundary(e))
                        .unwrap_or(text.len());
                    let mut group = Reader::within(text, start..end);
                    let mut ignored = Vec::new();
                    if group.inline(&mut ignored) && !group.exhausted() {
                        found.append(&mut group.found);
                        misses.append(&mut group.misses);
                        groups.push(start..group.pos);
                    }
                }
            }
            b'@' => {
                let after_word = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| is_alnum(c) || c == '.');
                if let (false, Ok((_, key))) = (after_word, simple_key(&text[i + 1..])) {
                    in_text.push(Found {
                        key: key.to_owned(),
                        key_range: i..i + 1 + key.len(),
                        mode: Mode::AuthorInText,
                        prefix: Vec::new(),
                        suffix: Vec::new(),
                        longer_end: None,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    // The keys outside the groups read (which are in order and apart).
    found.extend(in_text.into_iter().filter(|f| {
        let at = groups.partition_point(|g| g.end <= f.key_range.start);
        groups.get(at).is_none_or(|g| f.key_range.start < g.start)
    }));
    (found, misses)
}

/// Strips spaces at both ends (`trimInlines`).
fn trim(toks: &mut Vec<Tok>) {
    while toks.last().is_some_and(|t| t.kind == TokKind::Space) {
        toks.pop();
    }
    let lead = toks.iter().take_while(|t| t.kind == TokKind::Space).count();
    toks.drain(..lead);
}

/// pandoc's `simpleCiteIdentifier`: a letter, digit, `_` or `*`, then letters, digits and
/// `_`, with `:.#$%&-+?<>~/` inside only before a letter, digit or `_` (and `:` or `/`
/// before `/`, for URLs).
fn simple_key(input: &str) -> IResult<&str, &str> {
    let fail = || nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Alpha));
    let first = input.chars().next().ok_or_else(fail)?;
    if !(is_alnum(first) || first == '_' || first == '*') {
        return Err(fail());
    }
    let mut end = first.len_utf8();
    let mut chars = input[end..].chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let keep = is_key_char(c)
            || (is_key_punct(c) && next.is_some_and(is_key_char))
            || (matches!(c, ':' | '/') && next == Some('/'));
        if !keep {
            break;
        }
        end += c.len_utf8();
    }
    Ok((&input[end..], &input[..end]))
}

fn is_key_char(c: char) -> bool {
    is_alnum(c) || c == '_'
}

fn is_key_punct(c: char) -> bool {
    matches!(
        c,
        ':' | '.' | '#' | '$' | '%' | '&' | '-' | '+' | '?' | '<' | '>' | '~' | '/'
    )
}

/// How far a key would run if any run of its internal punctuation were kept before a
/// letter, digit or `_` (`a--b`, `HFH+:WEKA:09`): what a writer of such a key meant.
fn greedy_key_len(input: &str) -> usize {
    let key: IResult<&str, &str> = recognize((
        take_while1(|c: char| is_key_char(c) || c == '*'),
        nom::multi::many0_count((take_while1(is_key_punct), take_while1(is_key_char))),
    ))
    .parse(input);
    key.map_or(0, |(_, k)| k.len())
}

enum Braced {
    /// `{key}` with balanced braces and no white space: its length.
    Key(usize),
    /// Balanced, but with white space inside: its length.
    Spaced(usize),
    No,
}

/// `charsInBalanced '{' '}' (satisfy (not . isSpace))`.
fn braced_key(input: &str) -> Braced {
    if !input.starts_with('{') {
        return Braced::No;
    }
    let mut depth = 0usize;
    let mut spaced = false;
    for (i, c) in input.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return if spaced {
                        Braced::Spaced(i + 1)
                    } else {
                        Braced::Key(i + 1)
                    };
                }
            }
            '\n' if spaced => return Braced::No,
            c if is_space(c) => spaced = true,
            _ => {}
        }
    }
    Braced::No
}

/// The length of a balanced `{…}` group at the start (backslash escapes skipped).
fn braces_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The URI schemes pandoc knows, case-insensitively (the common ones of its IANA list).
const SCHEMES: &[&str] = &[
    "about",
    "aim",
    "apt",
    "attachment",
    "bitcoin",
    "callto",
    "cid",
    "coap",
    "content",
    "cvs",
    "data",
    "dav",
    "dict",
    "dns",
    "doi",
    "ed2k",
    "example",
    "facetime",
    "fax",
    "feed",
    "file",
    "finger",
    "ftp",
    "geo",
    "git",
    "go",
    "gopher",
    "gtalk",
    "http",
    "https",
    "im",
    "imap",
    "info",
    "irc",
    "irc6",
    "ircs",
    "isbn",
    "itms",
    "jabber",
    "jar",
    "javascript",
    "ldap",
    "ldaps",
    "magnet",
    "mailto",
    "maps",
    "market",
    "message",
    "mid",
    "mms",
    "mongodb",
    "news",
    "nfs",
    "nntp",
    "notes",
    "pmid",
    "pop",
    "redis",
    "rsync",
    "rtmp",
    "rtsp",
    "sftp",
    "sip",
    "sips",
    "skype",
    "smb",
    "sms",
    "smtp",
    "snmp",
    "spotify",
    "ssh",
    "steam",
    "svn",
    "tag",
    "tel",
    "telnet",
    "tftp",
    "urn",
    "view-source",
    "vnc",
    "webcal",
    "ws",
    "wss",
    "xmpp",
];

/// `scheme:` and a first character that can start a URI: the length of the scheme and colon.
fn uri_head(text: &str) -> Option<usize> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    if scheme.is_empty() || !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        return None;
    }
    let next = text[colon + 1..].chars().next()?;
    if matches!(next, '*' | '_' | ']' | '<' | '>') || is_space(next) {
        return None;
    }
    Some(colon + 1)
}

/// `mailbox@domain` (pandoc's `emailAddress`): the length of the address.
fn email_head(text: &str) -> Option<usize> {
    let at = text.find('@')?;
    let mailbox = &text[..at];
    let words_ok = !mailbox.is_empty()
        && mailbox.split('.').all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(is_alnum)
                && cs.all(|c| is_alnum(c) || "!\"#$%&'*+-/=?^_{|}~;".contains(c))
        });
    if !words_ok {
        return None;
    }
    let domain = &text[at + 1..];
    let mut end = 0;
    let mut parts = 0;
    for part in domain.split('.') {
        let n = part
            .char_indices()
            .take_while(|&(i, c)| {
                is_alnum(c) || (c == '-' && part[i + 1..].starts_with(|n: char| is_alnum(n)))
            })
            .map(|(_, c)| c.len_utf8())
            .sum::<usize>();
        if n == 0 {
            break;
        }
        end += n + usize::from(parts > 0);
        parts += 1;
        if n < part.len() {
            break;
        }
    }
    (parts > 0).then_some(at + 1 + end)
}

enum Tag<'a> {
    Open(&'a str),
    Close(&'a str),
    Comment,
}

/// An HTML tag or comment at the start of `text`, as pandoc's `htmlTag` accepts it: its
/// length and kind.
fn html_tag(text: &str) -> Option<(usize, Tag<'_>)> {
    if let Some(body) = text.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((4 + end + 3, Tag::Comment));
    }
    if let Some(body) = text.strip_prefix("<?") {
        let end = body.find("?>")?;
        return Some((2 + end + 2, Tag::Comment));
    }
    let is_name_char = |c: char| is_alnum(c) || matches!(c, ':' | '-' | '_');
    let (close, body) = match text.strip_prefix("</") {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('<')?),
    };
    let first = body.chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let name_len = body.find(|c: char| !is_name_char(c)).unwrap_or(body.len());
    let name = &body[..name_len];
    if name.ends_with(':') {
        return None;
    }
    let mut i = name_len;
    let bytes = body.as_bytes();
    loop {
        let ws = body[i..].len() - body[i..].trim_start().len();
        i += ws;
        match bytes.get(i) {
            Some(b'>') => {
                let len = usize::from(close) + 1 + i + 1;
                return Some((
                    len,
                    if close {
                        Tag::Close(name)
                    } else {
                        Tag::Open(name)
                    },
                ));
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') && !close => {
                return Some((1 + i + 2, Tag::Open(name)));
            }
            Some(_) if ws > 0 && !close => {
                // An attribute: a name, and perhaps `=value`.
                let attr = &body[i..];
                let mut cs = attr.chars();
                if !cs.next().is_some_and(|c| c.is_alphabetic()) {
                    return None;
                }
                let n = attr.find(|c: char| !is_name_char(c)).unwrap_or(attr.len());
                i += n;
                let after = body[i..].trim_start();
                if let Some(value) = after.strip_prefix('=') {
                    let value = value.trim_start();
                    i = body.len() - value.len();
                    match value.chars().next() {
                        Some(q @ ('"' | '\'')) => {
                            let end = value[1..].find(q)?;
                            i += 1 + end + 1;
                        }
                        Some(_) => {
                            let end = value
                                .find(|c: char| c.is_whitespace() || c == '>')
                                .unwrap_or(value.len());
                            if end == 0 {
                                return None;
                            }
                            i += end;
                        }
                        None => return None,
                    }
                }
            }
            _ => return None,
        }
    }
}

/// pandoc's default abbreviations (its data file `abbreviations`).
const ABBREVIATIONS: &[&str] = &[
    "aet.", "aetat.", "al.", "Apr.", "Aug.", "bk.", "Bros.", "c.", "Capt.", "cf.", "ch.", "chap.",
    "chs.", "Co.", "col.", "Corp.", "cp.", "d.", "Dec.", "Dr.", "e.g.", "ed.", "eds.", "esp.",
    "f.", "fasc.", "Feb.", "ff.", "fig.", "fl.", "fol.", "fols.", "Fr.", "Gen.", "Gov.", "Hon.",
    "i.e.", "ill.", "Inc.", "incl.", "Jan.", "Jr.", "Jul.", "Jun.", "Ltd.", "M.A.", "M.D.", "Mar.",
    "Mr.", "Mrs.", "Ms.", "n.", "n.b.", "nn.", "No.", "Nov.", "Oct.", "p.", "Ph.D.", "pp.",
    "Pres.", "Prof.", "pt.", "q.v.", "Rep.", "Rev.", "s.v.", "s.vv.", "saec.", "sec.", "Sen.",
    "Sep.", "Sept.", "Sgt.", "Sr.", "St.", "univ.", "viz.", "vol.", "vs.",
];

/// The named character references a claim's text is likely to hold.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "sect" => '§',
        "para" => '¶',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "thinsp" => '\u{2009}',
        "commat" => '@',
        _ => return None,
    })
}

/// Runs of backticks by length, each list in text order: where a code span may close.
/// Built once per text, so that finding every span's end stays near-linear however many
/// unclosed runs there are.
#[derive(Default)]
struct BacktickRuns(HashMap<usize, Vec<usize>>);

impl BacktickRuns {
    /// The runs in `range` of `bytes`, at their offsets in `bytes`.
    fn new(bytes: &[u8], range: Range<usize>) -> Self {
        let mut runs: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut i = range.start;
        while let Some(at) = memchr::memchr(b'`', &bytes[i..range.end]) {
            let start = i + at;
            let run = bytes[start..range.end]
                .iter()
                .take_while(|&&b| b == b'`')
                .count();
            runs.entry(run).or_default().push(start);
            i = start + run;
        }
        BacktickRuns(runs)
    }

    /// The end of the code span opened by the run of `run` backticks at `start`, or `None`
    /// when no later run of the same length closes it (the backticks are then plain text).
    fn span_end(&self, start: usize, run: usize) -> Option<usize> {
        let starts = self.0.get(&run)?;
        let next = starts.partition_point(|&s| s <= start);
        starts.get(next).map(|&s| s + run)
    }
}

/// How much of `key` pandoc reads as a bare key after `@`.
pub(super) fn bare_key_len(key: &str) -> Option<usize> {
    simple_key(key).ok().map(|(_, k)| k.len())
}

/// Whether `@{key}` reads back as `key`: balanced braces, no white space.
pub(super) fn is_braceable(key: &str) -> bool {
    matches!(braced_key(&format!("{{{key}}}")), Braced::Key(n) if n == key.len() + 2)
}
