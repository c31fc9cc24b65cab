//! Pandoc citation syntax, read exactly as pandoc reads it.
//!
//! Claims carry citations the way a pandoc Markdown author writes them: bracketed groups
//! `[see @song2014, pp. 85-101; -@naarajarvi2012]`, in-text `@song2014` and
//! `@song2014 [p. 87]`, and braced keys `@{odd.key--2019}`. A claim's text is read as the
//! inlines of one Markdown paragraph by a port of pandoc's reader (`markdown`), so an `@`
//! in a code span, a URL, math or raw HTML is no citation, and a citation in another's
//! suffix is one; each citation's locator is read from its suffix as citeproc reads it
//! (`locator`). The differential test (`tests/it/pandoc.rs`) holds both to pandoc itself.
//! Every key is returned with its byte range in the parsed string so diagnostics can point
//! at it.

mod chars;
mod locator;
mod markdown;

use std::fmt;
use std::ops::Range;

use compact_str::CompactString;

pub use chars::is_space;
pub use markdown::Mode;

/// The kinds of locator CSL knows and the en-US locale names (`p.` is a page, `chap.` a
/// chapter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr)]
pub enum LocatorKind {
    /// `book`, `bk.`.
    #[strum(serialize = "book")]
    Book,
    /// `chapter`, `chap.`.
    #[strum(serialize = "chapter")]
    Chapter,
    /// `column`, `col.`.
    #[strum(serialize = "column")]
    Column,
    /// `figure`, `fig.`.
    #[strum(serialize = "figure")]
    Figure,
    /// `folio`, `fol.`.
    #[strum(serialize = "folio")]
    Folio,
    /// `number`, `no.` (CSL's `issue`).
    #[strum(serialize = "issue")]
    Issue,
    /// `line`, `l.`.
    #[strum(serialize = "line")]
    Line,
    /// `note`, `n.`.
    #[strum(serialize = "note")]
    Note,
    /// `opus`, `op.`.
    #[strum(serialize = "opus")]
    Opus,
    /// `page`, `p.`, or a bare number.
    #[strum(serialize = "page")]
    Page,
    /// `paragraph`, `para.`, `¶`.
    #[strum(serialize = "paragraph")]
    Paragraph,
    /// `part`, `pt.`.
    #[strum(serialize = "part")]
    Part,
    /// `section`, `sec.`, `§`.
    #[strum(serialize = "section")]
    Section,
    /// `sub verbo`, `s.v.`.
    #[strum(serialize = "sub verbo")]
    SubVerbo,
    /// `verse`, `v.`.
    #[strum(serialize = "verse")]
    Verse,
    /// `volume`, `vol.`.
    #[strum(serialize = "volume")]
    Volume,
}

impl LocatorKind {
    /// CSL's name of the kind (`page`, `sub verbo`).
    pub fn csl_name(self) -> &'static str {
        self.into()
    }
}

/// A locator: its label, kind and value, e.g. `pp.`, a page, `85-101`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locator {
    /// The label as written (`p.`, `pp.`, `Chap.`, `§`); empty when the locator is a bare
    /// number, which citeproc reads as a page.
    pub label: String,
    /// What the label names.
    pub kind: LocatorKind,
    /// The value as citeproc reads it (`85-101`; `93–101` for `93--101`, as pandoc's
    /// smart punctuation makes it; `32` for `**32**`).
    pub value: String,
    /// Byte range of the locator, label and value (`p. 87`), in the parsed string.
    pub range: Range<usize>,
    /// What argmap reads on, on purpose, for comparing pages: an em-dash range's end
    /// (`—35` of `p. 33—35`), which citeproc leaves in the suffix.
    pub range_end: Option<String>,
}

impl Locator {
    /// The pages to compare with a work's: the value, and an em-dash range's end.
    pub fn pages(&self) -> std::borrow::Cow<'_, str> {
        match &self.range_end {
            Some(end) => format!("{}{end}", self.value).into(),
            None => self.value.as_str().into(),
        }
    }
}

/// One cited work inside a citation group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitationItem {
    /// Text before the key (`see`).
    pub prefix: String,
    /// `-@key`: the author's name is suppressed.
    pub suppress_author: bool,
    /// The citation key, without `@` or braces.
    pub key: String,
    /// Byte range of `@key` (or `-@key`'s `@key`, or `@{key}`) in the parsed string.
    pub key_range: Range<usize>,
    /// The place in the work cited (`p. 87`), if given.
    pub locator: Option<Locator>,
    /// Text after the key and locator (`, emphasis added`).
    pub suffix: String,
}

/// A citation found in a claim's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The cited work and its locator.
    pub item: CitationItem,
    /// In-text (`@key says`) rather than in brackets.
    pub in_text: bool,
    /// Where a key that pandoc cuts short would end if read on through its punctuation
    /// (`@duquette_share--income_2019` is `@duquette_share` to pandoc): the byte range of
    /// that longer spelling, from `@`.
    pub longer: Option<Range<usize>>,
}

impl Citation {
    /// pandoc's `citationMode`.
    pub fn mode(&self) -> Mode {
        match (self.in_text, self.item.suppress_author) {
            (_, true) => Mode::SuppressAuthor,
            (true, false) => Mode::AuthorInText,
            (false, false) => Mode::Normal,
        }
    }
}

/// What a claim's text holds: its citations, and what looks like a citation but is none to
/// pandoc.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cited {
    /// The citations, in the order of their keys in the text.
    pub citations: Vec<Citation>,
    /// `@{Foo 2010}`: braced keys with white space, which pandoc does not read as
    /// citations (their byte ranges).
    pub unread: Vec<Range<usize>>,
}

/// An inline of a citation's prefix or suffix, as citeproc's locator parser sees it: a
/// `Str` split at spaces and punctuation, a space, math, or anything else (emphasis, code,
/// a link), by its text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tok {
    kind: TokKind,
    /// Inline up to 24 bytes (most tokens are a word, a space or a mark): no allocation.
    text: CompactString,
    range: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    Str,
    Space,
    Math,
    Other,
}

/// Every citation in a piece of prose, in order.
pub fn parse_text(text: &str) -> Vec<Citation> {
    read(text).citations
}

/// Every citation in a piece of prose, and the braced keys pandoc would not read.
pub fn read(text: &str) -> Cited {
    if !text.contains('@') {
        return Cited::default();
    }
    // Past a few pages, or past a budget of work, pandoc's backtracking can cost time out
    // of proportion to the text: such a text is read the linear way.
    let exact = (text.len() <= markdown::EXACT_LIMIT)
        .then(|| {
            let mut reader = markdown::Reader::new(text);
            reader.paragraph().then_some((reader.found, reader.misses))
        })
        .flatten();
    let (found, misses) = exact.unwrap_or_else(|| markdown::fallback(text));
    let mut citations: Vec<Citation> = found
        .into_iter()
        .map(|found| {
            let toks = split_strs(text, found.suffix);
            let (locator, rest) = match locator::read(&toks) {
                Some(read) => {
                    let rest = &toks[read.taken..];
                    let range_end = match rest {
                        [dash, end, ..]
                            if dash.kind == TokKind::Str
                                && dash.text == "—"
                                && dash.range.start == read.range.end
                                && end.kind == TokKind::Str
                                && end.text.bytes().all(|b| b.is_ascii_digit()) =>
                        {
                            Some(format!("—{}", end.text))
                        }
                        _ => None,
                    };
                    let locator = Locator {
                        label: read.label,
                        kind: read.kind,
                        value: read.value,
                        range: read.range,
                        range_end,
                    };
                    (Some(locator), rest)
                }
                None => (None, &toks[..]),
            };
            let prefix = split_strs(text, found.prefix);
            Citation {
                item: CitationItem {
                    prefix: shown(&prefix),
                    suppress_author: found.mode == Mode::SuppressAuthor,
                    key: found.key,
                    key_range: found.key_range.clone(),
                    locator,
                    suffix: shown(rest),
                },
                in_text: found.mode == Mode::AuthorInText,
                longer: found.longer_end.map(|end| found.key_range.start..end),
            }
        })
        .collect();
    citations.sort_by_key(|c| c.item.key_range.start);
    let mut unread: Vec<Range<usize>> = misses.into_iter().map(|m| m.range).collect();
    unread.sort_by_key(|r| r.start);
    unread.dedup();
    Cited { citations, unread }
}

/// A prefix's or suffix's text as a person reads it: trimmed, without a leading comma.
fn shown(toks: &[Tok]) -> String {
    let text: String = toks.iter().map(|t| t.text.as_str()).collect();
    let text = text.trim();
    text.strip_prefix(',').unwrap_or(text).trim().to_owned()
}

/// pandoc's Builder joins adjacent `Str`s, and citeproc splits them again at spaces and
/// punctuation (other than `:`): each such character is a `Str` of its own.
fn split_strs(text: &str, toks: Vec<Tok>) -> Vec<Tok> {
    let is_split = |c: char| chars::is_space(c) || (chars::is_punctuation(c) && c != ':');
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    // The current run of joined, unsplit characters.
    let mut run: Option<Tok> = None;
    let flush = |run: &mut Option<Tok>, out: &mut Vec<Tok>| {
        if let Some(t) = run.take() {
            out.push(t);
        }
    };
    for tok in toks {
        if tok.kind != TokKind::Str {
            flush(&mut run, &mut out);
            let space = tok.kind == TokKind::Space;
            if space && out.last().is_some_and(|t| t.kind == TokKind::Space) {
                let last = out.last_mut().expect("checked");
                last.range.end = tok.range.end;
                continue;
            }
            out.push(tok);
            continue;
        }
        // A Str spelt as in the text splits by character; one the reader made (a dash from
        // `--`, an escape, an entity) is one character.
        let literal = text.get(tok.range.clone()) == Some(tok.text.as_str());
        let start = tok.range.start;
        for (i, c) in tok.text.char_indices() {
            let range = if literal {
                start + i..start + i + c.len_utf8()
            } else {
                tok.range.clone()
            };
            if is_split(c) {
                flush(&mut run, &mut out);
                out.push(Tok {
                    kind: TokKind::Str,
                    text: CompactString::from(&*c.encode_utf8(&mut [0; 4])),
                    range,
                });
            } else {
                match &mut run {
                    Some(t) => {
                        t.text.push(c);
                        t.range.end = range.end;
                    }
                    None => {
                        run = Some(Tok {
                            kind: TokKind::Str,
                            text: CompactString::from(&*c.encode_utf8(&mut [0; 4])),
                            range,
                        })
                    }
                }
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Why an entry of a claim's `cites` list is not a citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitesError {
    /// No `@key` in it.
    NoKey,
    /// More than one item: use one list entry per work.
    SeveralItems,
    /// `@{Foo 2010}`: a braced key with white space, which pandoc does not read.
    SpacedKey,
}

impl fmt::Display for CitesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CitesError::NoKey => f.write_str("no `@key` in this citation"),
            CitesError::SeveralItems => {
                f.write_str("several works in one entry: give each its own list entry")
            }
            CitesError::SpacedKey => {
                f.write_str("pandoc reads no citation in a braced key with white space")
            }
        }
    }
}

/// Parses an entry of a claim's `cites` list: one citation item, with or without
/// brackets (`"@song2014, pp. 85-101"`, `"[see @key]"`). Without brackets the entry is
/// read as if it had them: an item of a group, as pandoc reads `[@song2014, pp. 85-101]`.
pub fn parse_cites_entry(entry: &str) -> Result<CitationItem, CitesError> {
    read_cites_entry(entry).map(|c| c.item)
}

/// [`parse_cites_entry`], with what else is known of the citation (a key pandoc cuts
/// short); ranges are in `entry`.
pub fn read_cites_entry(entry: &str) -> Result<Citation, CitesError> {
    let lead = entry.len() - entry.trim_start().len();
    let body = entry.trim();
    let bracketed = body.starts_with('[') && body.ends_with(']');
    let (text, shift) = if bracketed {
        (body.to_owned(), lead as isize)
    } else {
        (format!("[{body}]"), lead as isize - 1)
    };
    let read = read(&text);
    let mut cited = read.citations.into_iter();
    let mut citation = match (cited.next(), cited.next()) {
        (Some(c), None) => c,
        (None, _) if !read.unread.is_empty() => return Err(CitesError::SpacedKey),
        (None, _) => return Err(CitesError::NoKey),
        _ => return Err(CitesError::SeveralItems),
    };
    let moved = |r: &Range<usize>| {
        (r.start as isize + shift).max(0) as usize..(r.end as isize + shift).max(0) as usize
    };
    citation.item.key_range = moved(&citation.item.key_range);
    if let Some(locator) = &mut citation.item.locator {
        locator.range = moved(&locator.range);
    }
    citation.longer = citation.longer.as_ref().map(moved);
    Ok(citation)
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() {
            f.write_str(&self.pages())
        } else {
            write!(f, "{} {}", self.label, self.pages())
        }
    }
}

/// Whether pandoc reads all of `key` after a bare `@`.
fn is_bare_key(key: &str) -> bool {
    matches!(markdown::bare_key_len(key), Some(n) if n == key.len())
}

/// How a key is written in a citation: `@key`, or `@{key}` when pandoc would not read it
/// whole after a bare `@`; `None` when no citation can name it (white space, or braces that
/// do not balance).
pub fn cite_form(key: &str) -> Option<String> {
    if is_bare_key(key) {
        return Some(format!("@{key}"));
    }
    markdown::is_braceable(key).then(|| format!("@{{{key}}}"))
}

/// Prints an item in pandoc syntax (without brackets); `parse_cites_entry` reads it back.
impl fmt::Display for CitationItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.prefix.is_empty() {
            write!(f, "{} ", self.prefix)?;
        }
        if self.suppress_author {
            f.write_str("-")?;
        }
        if is_bare_key(&self.key) {
            write!(f, "@{}", self.key)?;
        } else {
            write!(f, "@{{{}}}", self.key)?;
        }
        if let Some(loc) = &self.locator {
            write!(f, ", {loc}")?;
        }
        if !self.suffix.is_empty() {
            write!(f, ", {}", self.suffix)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, &str)> {
        parse_text(text)
            .into_iter()
            .map(|c| (c.item.key.clone(), &text[c.item.key_range.clone()]))
            .collect()
    }

    #[test]
    fn bracketed_groups_with_locators() {
        let text = "Security came first [see @song2014, p. 87; -@naarajarvi2012].";
        let cites = parse_text(text);
        assert_eq!(cites.len(), 2);
        let first = &cites[0].item;
        assert_eq!(first.key, "song2014");
        assert_eq!(first.prefix, "see");
        assert_eq!(
            first.locator,
            Some(Locator {
                label: "p.".into(),
                kind: LocatorKind::Page,
                value: "87".into(),
                range: 36..41,
                range_end: None,
            })
        );
        assert_eq!(&text[first.key_range.clone()], "@song2014");
        assert_eq!(
            &text[first.locator.as_ref().unwrap().range.clone()],
            "p. 87"
        );
        assert!(cites[1].item.suppress_author);
        assert_eq!(&text[cites[1].item.key_range.clone()], "@naarajarvi2012");
    }

    #[test]
    fn locators_as_people_write_them() {
        let locator = |text: &str| {
            let item = &parse_text(text)[0].item;
            let l = item.locator.as_ref().unwrap();
            (
                l.to_string(),
                text[l.range.clone()].to_owned(),
                item.suffix.clone(),
            )
        };
        let owned = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            locator("[@a, pp. S12-S15]"),
            owned("pp. S12-S15", "pp. S12-S15", "")
        );
        assert_eq!(
            locator("[@a, pp. xiv-xvi, 3]"),
            owned("pp. xiv-xvi, 3", "pp. xiv-xvi, 3", "")
        );
        assert_eq!(
            locator("[@a, p. 3, emphasis added]"),
            owned("p. 3", "p. 3", "emphasis added")
        );
        assert_eq!(locator("[@a, 300]"), owned("300", "300", ""));
        assert_eq!(locator("[@a, p. e1234]").0, "p. e1234");
    }

    #[test]
    fn in_text_citations_and_trailing_punctuation() {
        assert_eq!(
            keys("As @allison2018 argues, and @song2014."),
            vec![
                ("allison2018".into(), "@allison2018"),
                ("song2014".into(), "@song2014")
            ]
        );
        let text = "@smith04  [ p. 33, note] says";
        let c = &parse_text(text)[0].item;
        assert_eq!(c.locator.as_ref().unwrap().value, "33");
        assert_eq!(&text[c.locator.as_ref().unwrap().range.clone()], "p. 33");
    }

    #[test]
    fn email_addresses_are_not_citations() {
        assert!(parse_text("write to info@example.org today").is_empty());
        assert!(parse_text("no [brackets with @] keys").is_empty());
    }

    #[test]
    fn escaped_at_signs_and_code_spans_are_text() {
        assert!(parse_text("a \\@zz b").is_empty());
        assert!(parse_text("a `@zz` b").is_empty());
        assert!(parse_text("a ``x ` @zz`` b").is_empty());
        // `\[` is a literal bracket: what follows is an in-text citation, as in pandoc.
        let escaped_bracket = parse_text("\\[@zz]");
        assert!(escaped_bracket.len() == 1 && escaped_bracket[0].in_text);
        // An unclosed backtick is plain text, and what follows it is read.
        assert_eq!(keys("a ` b @zz"), vec![("zz".into(), "@zz")]);
        assert_eq!(
            keys("`x` @a ``y`` [@b]"),
            vec![("a".into(), "@a"), ("b".into(), "@b")]
        );
    }

    #[test]
    fn braced_keys_as_pandoc_reads_them() {
        assert_eq!(keys("[@{a{b}c}]"), vec![("a{b}c".into(), "@{a{b}c}")]);
        assert_eq!(keys("@{} x"), vec![("".into(), "@{}")]);
        // White space in braces: no citation, and said so.
        let cited = read("[@{Foo 2012}, p. 3]");
        assert!(cited.citations.is_empty());
        assert_eq!(cited.unread, vec![1..12]);
    }

    #[test]
    fn keys_end_where_pandoc_ends_them() {
        let c = &parse_text("@Foo_bar--baz says")[0];
        assert_eq!(c.item.key, "Foo_bar");
        assert_eq!(c.longer, Some(0..13));
        assert_eq!(keys("@HFH+:WEKA:09")[0].0, "HFH");
        assert_eq!(keys("@doe99. Then")[0].0, "doe99");
        assert!(parse_text("@doe99.")[0].longer.is_none());
        assert_eq!(keys("@http://x.org/y")[0].0, "http://x.org/y");
        assert_eq!(
            keys("<span>@doe99</span>"),
            vec![("doe99".into(), "@doe99")]
        );
        assert_eq!(keys("_@doe99_")[0].0, "doe99_");
        // A combining mark is no letter in pandoc: it ends the key.
        assert_eq!(keys("@Garci\u{301}a2010")[0].0, "Garci");
        assert_eq!(keys("x@doe99 and x.@doe99"), vec![]);
    }

    #[test]
    fn where_markdown_hides_an_at_sign() {
        for text in [
            "[text](https://medium.com/@doe99)",
            "[text](https://x.org \"by @doe99\")",
            "<https://x.org/@doe99>",
            "![alt](img/@x.png)",
            "`@doe99`",
            "$@doe99$",
            "<a href=\"@doe99\">x</a>",
            "<!-- @doe99 -->",
            "\\cite{doe99} \\textbf{@doe99}",
            "[^@x]",
            "\\@doe99",
            "mail info@example.org",
        ] {
            assert_eq!(parse_text(text), vec![], "{text}");
        }
    }

    #[test]
    fn citations_inside_citations_and_links() {
        assert_eq!(
            keys("[@doe99, contra @smith04]"),
            vec![("doe99".into(), "@doe99"), ("smith04".into(), "@smith04")]
        );
        assert_eq!(keys("[see @doe99](http://x)")[0].0, "doe99");
        assert_eq!(keys("^[see @doe99]")[0].0, "doe99");
        let group = parse_text("@a [p. 33; @b]");
        assert_eq!(group[0].item.locator.as_ref().unwrap().value, "33");
        assert!(group[0].in_text && !group[1].in_text);
    }

    #[test]
    fn locators_as_citeproc_reads_them() {
        use LocatorKind::*;
        // Each text, and its locator's kind, value and spelling.
        for (text, kind, value, spelt) in [
            ("[@a, p.\u{a0}33]", Page, "33", "p.\u{a0}33"),
            ("[@a, 93--101]", Page, "93–101", "93--101"),
            ("[@a, {35-89, 102}]", Page, "35-89, 102", "{35-89, 102}"),
            ("[@a, {p. VI}]", Page, "VI", "{p. VI}"),
            ("[@a, p. **32**]", Page, "32", "p. **32**"),
            ("[@a, chap. 3]", Chapter, "3", "chap. 3"),
            ("[@a, §§ 3-4]", Section, "3-4", "§§ 3-4"),
        ] {
            let l = parse_text(text)[0].item.locator.clone().unwrap();
            assert_eq!(
                (l.kind, l.value.as_str(), &text[l.range]),
                (kind, value, spelt),
                "{text}"
            );
        }
        // An em-dash range: citeproc ends the value at the dash; argmap compares the range.
        let em = parse_text("[@a, p. 33—35]")[0]
            .item
            .locator
            .clone()
            .unwrap();
        assert_eq!((em.value.as_str(), em.pages().as_ref()), ("33", "33—35"));
        // No label and no number: no locator.
        assert_eq!(parse_text("[@a, ch. 3]")[0].item.locator, None);
    }

    #[test]
    fn cites_entries() {
        let item = parse_cites_entry("@song2014, pp. 85-101").unwrap();
        assert_eq!(item.key, "song2014");
        assert_eq!(item.locator.unwrap().to_string(), "pp. 85-101");
        assert_eq!(parse_cites_entry("[@a]").unwrap().key_range, 1..3);
        assert_eq!(parse_cites_entry("song2014"), Err(CitesError::NoKey));
        assert_eq!(parse_cites_entry("@a; @b"), Err(CitesError::SeveralItems));
    }

    #[test]
    fn cite_forms_read_back_as_their_key() {
        for key in ["song2014", "jones.", "a:b", "é", "a--b", "a{b}c"] {
            let form = cite_form(key).unwrap();
            let parsed = parse_text(&format!("[{form}]"));
            assert_eq!(parsed.len(), 1, "{form}");
            assert_eq!(parsed[0].item.key, key, "{form}");
        }
        assert_eq!(cite_form("a}b"), None);
        // pandoc reads no key with white space, braced or not.
        assert_eq!(cite_form("smith 2020"), None);
    }

    #[test]
    fn printing_round_trips() {
        for s in [
            "see @song2014, pp. 85-101, emphasis added",
            "-@a",
            "@{odd--key}, 12",
        ] {
            let item = parse_cites_entry(s).unwrap();
            assert_eq!(item.to_string(), s);
        }
    }
}
