//! Pandoc citation syntax, parsed with nom.
//!
//! Claims carry citations the way a pandoc Markdown author writes them:
//! bracketed groups `[see @song2014, pp. 85-101; -@naarajarvi2012]`, in-text `@song2014`
//! and `@song2014 [p. 87]`, and braced keys `@{odd key}`. The parser never fails on prose:
//! text that is not a citation is skipped, as pandoc leaves it as text. Every key is
//! returned with its byte range in the parsed string so diagnostics can point at it.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use nom::{
    IResult, Offset, Parser,
    branch::alt,
    bytes::complete::{tag, take_till, take_while, take_while1},
    character::complete::{char, multispace0},
    combinator::recognize,
    sequence::delimited,
};

/// A locator term and value, e.g. `pp.` and `85-101`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locator {
    /// The label as written (`p.`, `pp.`, `chap.`, `section`); empty when the locator
    /// is a bare number, which pandoc reads as a page.
    pub label: String,
    /// The page, chapter or other place (`85-101`).
    pub value: String,
    /// Byte range of the locator, label and value (`p. 87`), in the parsed string.
    pub range: Range<usize>,
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
}

/// A pandoc locator term: full word or abbreviation, singular or plural.
const LOCATOR_TERMS: &[&str] = &[
    "book",
    "books",
    "bk.",
    "bks.",
    "chapter",
    "chapters",
    "chap.",
    "chaps.",
    "ch.",
    "column",
    "columns",
    "col.",
    "cols.",
    "figure",
    "figures",
    "fig.",
    "figs.",
    "folio",
    "folios",
    "fol.",
    "fols.",
    "number",
    "numbers",
    "no.",
    "nos.",
    "line",
    "lines",
    "l.",
    "ll.",
    "note",
    "notes",
    "n.",
    "nn.",
    "opus",
    "opera",
    "op.",
    "opp.",
    "page",
    "pages",
    "p.",
    "pp.",
    "paragraph",
    "paragraphs",
    "para.",
    "paras.",
    "¶",
    "¶¶",
    "part",
    "parts",
    "pt.",
    "pts.",
    "section",
    "sections",
    "sec.",
    "secs.",
    "§",
    "§§",
    "sub verbo",
    "sub verbis",
    "s.v.",
    "s.vv.",
    "verse",
    "verses",
    "v.",
    "vv.",
    "volume",
    "volumes",
    "vol.",
    "vols.",
];

/// Punctuation pandoc allows inside a key (but not at its end).
fn is_key_punct(c: char) -> bool {
    matches!(
        c,
        ':' | '.' | '#' | '$' | '%' | '&' | '-' | '+' | '?' | '<' | '>' | '~' | '/'
    )
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A bare key: starts with a letter, digit or `_`; internal punctuation is kept only
/// when followed by a key character, so `@song2014.` ends before the full stop.
fn bare_key(input: &str) -> IResult<&str, &str> {
    let mut end = 0;
    let mut chars = input.char_indices().peekable();
    match chars.peek() {
        Some(&(_, c)) if is_key_char(c) => {}
        _ => {
            return Err(nom::Err::Error(nom::error::Error::new(
                input,
                nom::error::ErrorKind::Alpha,
            )));
        }
    }
    while let Some((i, c)) = chars.next() {
        if is_key_char(c) {
            end = i + c.len_utf8();
        } else if is_key_punct(c) {
            match chars.peek() {
                Some(&(_, n)) if is_key_char(n) || is_key_punct(n) => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    Ok((&input[end..], &input[..end]))
}

fn braced_key(input: &str) -> IResult<&str, &str> {
    delimited(char('{'), take_while1(|c| c != '}'), char('}')).parse(input)
}

/// `@key` or `@{key}`: returns the key and the length of the whole token.
fn at_key(input: &str) -> IResult<&str, (&str, usize)> {
    let (rest, key) = (char('@'), alt((braced_key, bare_key)))
        .map(|(_, k)| k)
        .parse(input)?;
    Ok((rest, (key, input.len() - rest.len())))
}

fn locator_term(input: &str) -> IResult<&str, &str> {
    // Longest match first, so `pp.` wins over `p.`; a term is followed by space or a digit.
    let mut best: Option<&str> = None;
    for term in LOCATOR_TERMS {
        if input.len() >= term.len()
            && input.is_char_boundary(term.len())
            && input[..term.len()].eq_ignore_ascii_case(term)
            && best.is_none_or(|b| b.len() < term.len())
        {
            let next = input[term.len()..].chars().next();
            if next.is_none_or(|c| c.is_whitespace() || c.is_ascii_digit()) {
                best = Some(&input[..term.len()]);
            }
        }
    }
    match best {
        Some(t) => Ok((&input[t.len()..], t)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// A locator value: numbers, roman numerals, ranges and lists (`85-101`, `3, 7`, `xiv`,
/// `S12-S15`, `xiv-xvi`). After a comma only a number (`7`, `S7`) continues the list, so
/// that a suffix (`p. 3, emphasis added`) is not taken for a page.
fn locator_value(input: &str) -> IResult<&str, &str> {
    let part = |i| take_while1(|c: char| c.is_alphanumeric()).parse(i);
    let numbered = |i| {
        recognize((
            nom::bytes::complete::take_while_m_n(0, 2, |c: char| c.is_ascii_alphabetic()),
            take_while1(|c: char| c.is_ascii_digit()),
        ))
        .parse(i)
    };
    let dash = alt((tag("-"), tag("–"), tag("—"), tag(":")));
    let (rest, value) = recognize((
        part,
        nom::multi::many0_count(alt((
            (dash, part),
            (recognize((tag(","), take_while(|c| c == ' '))), numbered),
        ))),
    ))
    .parse(input)?;
    // "And the pages following": `85ff.`, `85f.`, `85+` end with a mark the parts above
    // leave out, and without it the locator would not be read at all.
    let number_then = |marks: &str| {
        let bare = value.strip_suffix(marks)?;
        bare.ends_with(|c: char| c.is_ascii_digit()).then_some(())
    };
    let following = match rest.chars().next() {
        Some('+') if number_then("").is_some() => 1,
        Some('.') if number_then("ff").or_else(|| number_then("f")).is_some() => 1,
        _ => 0,
    };
    let end = value.len() + following;
    Ok((&input[end..], &input[..end]))
}

/// A locator: its label (empty for a bare number) and value.
fn locator(input: &str) -> IResult<&str, (&str, &str)> {
    let labelled = (locator_term, multispace0, locator_value).map(|(l, _, v)| (l, v));
    // A bare number is a page (`@key, 33`), as in pandoc.
    let bare = nom::combinator::verify(locator_value, |v: &str| {
        v.starts_with(|c: char| c.is_ascii_digit())
    })
    .map(|v: &str| ("", v));
    alt((labelled, bare)).parse(input)
}

/// Parses the part after a key: `, p. 87, emphasis added` → locator and suffix. `base` is
/// the offset of `rest` in the whole string, for the locator's range.
fn after_key(rest: &str, base: usize) -> (Option<Locator>, String) {
    let trimmed = rest.trim();
    let body = trimmed
        .strip_prefix(',')
        .map(str::trim_start)
        .unwrap_or(trimmed);
    if let Ok((after, (label, value))) = locator(body) {
        let after_ok = after.is_empty() || after.starts_with(',') || after.starts_with(' ');
        if after_ok {
            let start = base + rest.offset(body);
            let locator = Locator {
                label: label.to_owned(),
                value: value.to_owned(),
                range: start..start + body.offset(after),
            };
            return (Some(locator), strip_comma(after));
        }
    }
    (None, strip_comma(trimmed))
}

fn strip_comma(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix(',').unwrap_or(s).trim().to_owned()
}

/// Parses one citation item (`see -@key, p. 3, suffix`), where `base` is the offset of
/// `item` in the whole string. Returns `None` when the item has no key.
fn item(item: &str, base: usize) -> Option<CitationItem> {
    let mut search = 0;
    while let Some(at) = item[search..].find('@').map(|i| i + search) {
        let before = &item[..at];
        let preceded_ok = before
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '-' || c == '[' || c == ';');
        if preceded_ok && let Ok((rest, (key, len))) = at_key(&item[at..]) {
            let suppress_author = before.ends_with('-');
            let prefix = before.strip_suffix('-').unwrap_or(before).trim().to_owned();
            let (locator, suffix) = after_key(rest, base + at + len);
            return Some(CitationItem {
                prefix,
                suppress_author,
                key: key.to_owned(),
                key_range: base + at..base + at + len,
                locator,
                suffix,
            });
        }
        search = at + 1;
    }
    None
}

/// Splits `inner` on `;` at the top level (not inside braces) into items, each given to
/// `each` in order (not gathered: a claim's text has a group or two).
fn group_items(inner: &str, base: usize, mut each: impl FnMut(CitationItem)) {
    let mut start = 0;
    let mut depth = 0usize;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                if let Some(found) = item(&inner[start..i], base + start) {
                    each(found);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(found) = item(&inner[start..], base + start) {
        each(found);
    }
}

/// A bracketed group `[...]` that contains at least one key: returns the inner text.
fn bracket_group(input: &str) -> IResult<&str, &str> {
    let (rest, inner) =
        delimited(char('['), take_till(|c| c == ']' || c == '['), char(']')).parse(input)?;
    Ok((rest, inner))
}

/// Runs of backticks by length, each list in text order: where a code span may close.
/// Built once per text, so that finding every span's end stays near-linear however many
/// unclosed runs there are.
#[derive(Default)]
struct BacktickRuns(HashMap<usize, Vec<usize>>);

impl BacktickRuns {
    fn new(bytes: &[u8]) -> Self {
        let mut runs: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                runs.entry(run).or_default().push(i);
                i += run;
            } else {
                i += 1;
            }
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

/// Every citation in a piece of prose, in order. As in pandoc, an escaped `\@` or `\[`
/// and anything inside a code span (`` `@key` ``) is text, not a citation.
pub fn parse_text(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let runs = if text.contains('`') {
        BacktickRuns::new(bytes)
    } else {
        BacktickRuns::default()
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // An escaped character is literal; skip it whole (it may be multi-byte).
            b'\\' => {
                i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8);
            }
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                i = runs.span_end(i, run).unwrap_or(i + run);
            }
            b'[' => {
                if let Ok((rest, inner)) = bracket_group(&text[i..]) {
                    let before = out.len();
                    group_items(inner, i + 1, |item| {
                        out.push(Citation {
                            item,
                            in_text: false,
                        })
                    });
                    if out.len() > before {
                        i = text.len() - rest.len();
                        continue;
                    }
                }
                i += 1;
            }
            b'@' => {
                // An `@` after a word character is an e-mail address or a handle, not a citation.
                let prev = text[..i].chars().next_back();
                let is_citation =
                    prev.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
                if is_citation && let Ok((rest, (key, len))) = at_key(&text[i..]) {
                    let suppress_author = prev == Some('-');
                    let mut item = CitationItem {
                        prefix: String::new(),
                        suppress_author,
                        key: key.to_owned(),
                        key_range: i..i + len,
                        locator: None,
                        suffix: String::new(),
                    };
                    let mut next = text.len() - rest.len();
                    // `@key [p. 33]`: a bracket right after an in-text key holds its locator.
                    let after_space = rest.trim_start_matches(' ');
                    if let Ok((rest2, inner)) = bracket_group(after_space)
                        && !inner.contains('@')
                    {
                        let inner_at = text.len() - after_space.len() + 1;
                        let (locator, suffix) = after_key(inner, inner_at);
                        item.locator = locator;
                        item.suffix = suffix;
                        next = text.len() - rest2.len();
                    }
                    out.push(Citation {
                        item,
                        in_text: true,
                    });
                    i = next;
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Why an entry of a claim's `cites` list is not a citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitesError {
    /// No `@key` in it.
    NoKey,
    /// More than one item: use one list entry per work.
    SeveralItems,
}

impl fmt::Display for CitesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CitesError::NoKey => f.write_str("no `@key` in this citation"),
            CitesError::SeveralItems => {
                f.write_str("several works in one entry: give each its own list entry")
            }
        }
    }
}

/// Parses an entry of a claim's `cites` list: one citation item, with or without
/// brackets (`"@song2014, pp. 85-101"`, `"[see @key]"`).
pub fn parse_cites_entry(entry: &str) -> Result<CitationItem, CitesError> {
    let trimmed_start = entry.len() - entry.trim_start().len();
    let body = entry.trim();
    let (inner, base) = match body.strip_prefix('[').and_then(|b| b.strip_suffix(']')) {
        Some(inner) => (inner, trimmed_start + 1),
        None => (body, trimmed_start),
    };
    let (mut first, mut count) = (None, 0);
    group_items(inner, base, |item| {
        count += 1;
        first.get_or_insert(item);
    });
    match (first, count) {
        (Some(item), 1) => Ok(item),
        (None, _) => Err(CitesError::NoKey),
        _ => Err(CitesError::SeveralItems),
    }
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() {
            f.write_str(&self.value)
        } else {
            write!(f, "{} {}", self.label, self.value)
        }
    }
}

/// How a key is written in a citation: `@key`, or `@{key}` when it holds characters a bare
/// key cannot end with or contain; `None` when no citation can name it (a `}` in it).
pub fn cite_form(key: &str) -> Option<String> {
    if key.is_empty() || key.contains('}') {
        return None;
    }
    let bare = bare_key(key).is_ok_and(|(rest, _)| rest.is_empty());
    Some(if bare {
        format!("@{key}")
    } else {
        format!("@{{{key}}}")
    })
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
        let needs_braces = bare_key(&self.key).map_or(true, |(rest, _)| !rest.is_empty());
        if needs_braces {
            write!(f, "@{{{}}}", self.key)?;
        } else {
            write!(f, "@{}", self.key)?;
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
                value: "87".into(),
                range: 36..41,
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
    fn braced_keys_keep_odd_characters() {
        assert_eq!(
            keys("[@{Foo 2012}]"),
            vec![("Foo 2012".into(), "@{Foo 2012}")]
        );
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
        for key in ["song2014", "smith 2020", "jones.", "a:b", "é"] {
            let form = cite_form(key).unwrap();
            let parsed = parse_text(&format!("[{form}]"));
            assert_eq!(parsed.len(), 1, "{form}");
            assert_eq!(parsed[0].item.key, key, "{form}");
        }
        assert_eq!(cite_form("a}b"), None);
    }

    #[test]
    fn printing_round_trips() {
        for s in [
            "see @song2014, pp. 85-101, emphasis added",
            "-@a",
            "@{odd key}, 12",
        ] {
            let item = parse_cites_entry(s).unwrap();
            assert_eq!(item.to_string(), s);
        }
    }
}
