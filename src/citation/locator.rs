//! A citation's locator as citeproc reads it from the suffix (pandoc's
//! `Text.Pandoc.Citeproc.Locator`, rule for rule): an optional comma and space, then either
//! a braced locator (`{35-89, 102}`, `{p. VI}`) or an integrated one: a label of the en-US
//! locale (`p.`, `chap.`, `§`; the longest that fits) or none (a number is then a page),
//! and locator words (`33`, `xiv`, `34(1)(a)`, `33-44`, `1.2`) joined by `,` or `;`.
//!
//! It reads the suffix's inlines ([`Tok`]), as citeproc does: markup around a number is the
//! number (`p. **32**`), a no-break space is a space, math ends a word. Each position's
//! locator word is read at most once (a table), so the longest-label search is linear.

use std::ops::Range;

use compact_str::{CompactString, format_compact};

use super::chars::{is_punctuation, is_space};
use super::{LocatorKind, Tok, TokKind};

/// What citeproc reads at the start of a suffix.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Read {
    /// The label as written (`p.`, `Chap.`); empty when implied (a page).
    pub label: String,
    /// The kind the label names.
    pub kind: LocatorKind,
    /// The locator's value as citeproc gives it (`33`, `35-89, 102`, `VI`).
    pub value: String,
    /// The source range from the label (or `{`) to the value's end.
    pub range: Range<usize>,
    /// How many of the suffix's tokens the locator took; the rest is the suffix.
    pub taken: usize,
}

/// The longest locator term of the en-US locale, in characters (`sub verbis`).
const LONGEST_TERM: usize = 10;

/// The en-US locale's locator terms (long, short and symbol forms, singular and plural),
/// as citeproc's `toLocatorMap` holds them; compared case-folded.
fn term_kind(term: &str) -> Option<LocatorKind> {
    use LocatorKind::*;
    Some(match term {
        "book" | "books" | "bk." | "bks." => Book,
        "chapter" | "chapters" | "chap." | "chaps." => Chapter,
        "column" | "columns" | "col." | "cols." => Column,
        "figure" | "figures" | "fig." | "figs." => Figure,
        "folio" | "folios" | "fol." | "fols." => Folio,
        "number" | "numbers" | "no." | "nos." => Issue,
        "line" | "lines" | "l." | "ll." => Line,
        "note" | "notes" | "n." | "nn." => Note,
        "opus" | "opera" | "op." | "opp." => Opus,
        "page" | "pages" | "p." | "pp." => Page,
        "paragraph" | "paragraphs" | "para." | "paras." | "¶" | "¶¶" => Paragraph,
        "part" | "parts" | "pt." | "pts." => Part,
        "section" | "sections" | "sec." | "secs." | "§" | "§§" => Section,
        "sub verbo" | "sub verbis" | "s.v." | "s.vv." => SubVerbo,
        "verse" | "verses" | "v." | "vv." => Verse,
        "volume" | "volumes" | "vol." | "vols." => Volume,
        _ => return None,
    })
}

/// Reads the locator at the start of a suffix's tokens, as citeproc's `pLocatorWords`.
pub(super) fn read(toks: &[Tok]) -> Option<Read> {
    let mut at = 0;
    if toks.first().is_some_and(|t| t.is_char(|c| c == ',')) {
        at += 1;
    }
    if toks.get(at).is_some_and(Tok::is_space) {
        at += 1;
    }
    let mut reader = Reader {
        toks,
        words: vec![None; toks.len() + 1],
    };
    reader.delimited(at).or_else(|| reader.integrated(at))
}

struct Reader<'a> {
    toks: &'a [Tok],
    /// `pLocatorWordIntegrated True` at each position, read once: `Some(None)` when none.
    words: Vec<Option<Option<Word>>>,
}

/// A locator word: where it ends, whether it has something like a digit, and its text.
#[derive(Clone, Debug)]
struct Word {
    end: usize,
    digit_like: bool,
    text: CompactString,
}

impl Reader<'_> {
    fn is_char(&self, at: usize, f: impl Fn(char) -> bool) -> bool {
        self.toks.get(at).is_some_and(|t| t.is_char(f))
    }

    fn range(&self, from: usize, to: usize) -> Range<usize> {
        let start = self.toks[from].range.start;
        let end = self.toks[to.max(from + 1) - 1].range.end;
        start..end
    }

    /// `{label? anything balanced}`.
    fn delimited(&mut self, at: usize) -> Option<Read> {
        if !self.is_char(at, |c| c == '{') {
            return None;
        }
        let mut i = at + 1;
        while self.toks.get(i).is_some_and(Tok::is_space) {
            i += 1;
        }
        let toks = self.toks;
        let (label_end, kind) = self
            .label(i, |_, k| k < toks.len())
            .unwrap_or((i, LocatorKind::Page));
        let label = strip(&stringify(&self.toks[i..label_end]));
        let mut value = String::new();
        let mut j = label_end;
        let braces = [('{', '}'), ('[', ']')];
        while let Some(part) = self.balanced(j, &braces, &mut |r, k| {
            r.toks.get(k).map(|t| Word {
                end: k + 1,
                digit_like: true,
                text: t.text.clone(),
            })
        }) {
            value.push_str(&part.text);
            j = part.end;
        }
        if !self.is_char(j, |c| c == '}') {
            return None;
        }
        Some(Read {
            label,
            kind,
            value,
            range: self.range(at, j + 1),
            taken: j + 1,
        })
    }

    /// A label (or a number, then a page) and locator words.
    fn integrated(&mut self, at: usize) -> Option<Read> {
        let label = self.label(at, |r, k| r.word_first(k).is_some_and(|w| w.digit_like));
        let (label_end, kind, implicit) = match label {
            Some((end, kind)) => (end, kind, false),
            None => {
                let digital = self.word_first(at).is_some_and(|w| has_digit(&w.text));
                if !digital {
                    return None;
                }
                (at, LocatorKind::Page, true)
            }
        };
        let keep = |w: &Word| {
            if implicit {
                has_digit(&w.text)
            } else {
                w.digit_like
            }
        };
        let first = if implicit {
            self.word(label_end, false)
        } else {
            self.word_first(label_end)
        }
        .filter(keep)?;
        let mut value = first.text;
        let mut end = first.end;
        while let Some(word) = self.word(end, false).filter(keep) {
            value.push_str(&word.text);
            end = word.end;
        }
        let start = if implicit {
            // The range starts at the number, not at a separator a word took.
            (label_end..end)
                .find(|&k| !(self.toks[k].is_space() || self.toks[k].is_char(is_locator_sep)))
                .unwrap_or(label_end)
        } else {
            at
        };
        Some(Read {
            label: if implicit {
                String::new()
            } else {
                strip(&stringify(&self.toks[at..label_end]))
            },
            kind,
            value: value.into(),
            range: self.range(start, end),
            taken: end,
        })
    }

    /// `pLocatorLabel'`: the longest run of tokens from `at`, ending where `ends` holds,
    /// whose text (stripped, case-folded) is a locator term.
    fn label(
        &mut self,
        at: usize,
        mut ends: impl FnMut(&mut Self, usize) -> bool,
    ) -> Option<(usize, LocatorKind)> {
        let mut best = None;
        let mut text = String::new();
        let mut k = at;
        while k < self.toks.len() {
            // At least one token, then on to where a locator word could start.
            text.push_str(&self.toks[k].text);
            k += 1;
            while k < self.toks.len() && !ends(self, k) {
                text.push_str(&self.toks[k].text);
                k += 1;
            }
            if k == self.toks.len() && !ends(self, k) {
                break; // no locator word after: this run cannot end a label
            }
            let term = strip(&text);
            if term.chars().count() > LONGEST_TERM {
                break; // longer runs cannot be terms either
            }
            if let Some(kind) = term_kind(&fold(&term)) {
                best = Some((k, kind));
            }
        }
        best
    }

    /// `pLocatorWordIntegrated True`, read once per position.
    fn word_first(&mut self, at: usize) -> Option<Word> {
        if let Some(known) = &self.words[at] {
            return known.clone();
        }
        let word = self.word(at, true);
        self.words[at] = Some(word.clone());
        word
    }

    /// `pLocatorWordIntegrated`: a separator (unless first), a space, and a page sequence
    /// in balanced brackets (`34(1)(a)`, `[17]`).
    fn word(&mut self, at: usize, first: bool) -> Option<Word> {
        let mut i = at;
        let mut text = CompactString::default();
        if !first && self.is_char(i, is_locator_sep) {
            text.push_str(&self.toks[i].text);
            i += 1;
        }
        if self.toks.get(i).is_some_and(Tok::is_space) {
            text.push(' ');
            i += 1;
        }
        let braces = [('(', ')'), ('[', ']'), ('{', '}')];
        let mut parts = self.balanced(i, &braces, &mut |r, k| r.page_seq(k))?;
        text.push_str(&parts.text);
        parts.text = text;
        Some(parts)
    }

    /// `pBalancedBraces`: one or more of `inner`, or `inner` (or nothing) between one of the
    /// pairs; the later pairs are tried first, as the fold in citeproc's code builds them.
    fn balanced(
        &mut self,
        at: usize,
        braces: &[(char, char)],
        inner: &mut dyn FnMut(&mut Self, usize) -> Option<Word>,
    ) -> Option<Word> {
        let is_brace = |c: char| braces.iter().any(|&(o, cl)| c == o || c == cl);
        let mut out: Option<Word> = None;
        let mut i = at;
        loop {
            let mut got = None;
            for &(open, close) in braces.iter().rev() {
                if self.is_char(i, |c| c == open) {
                    let mid = if self.is_char(i + 1, is_brace) {
                        None
                    } else {
                        inner(self, i + 1)
                    };
                    let after = mid.as_ref().map_or(i + 1, |m| m.end);
                    if self.is_char(after, |c| c == close) {
                        let (digit_like, mid_text) = mid
                            .map_or((false, CompactString::default()), |m| {
                                (m.digit_like, m.text)
                            });
                        got = Some(Word {
                            end: after + 1,
                            digit_like,
                            text: format_compact!("{open}{mid_text}{close}"),
                        });
                        break;
                    }
                }
            }
            if got.is_none() && !self.is_char(i, is_brace) {
                got = inner(self, i);
            }
            let Some(part) = got else { break };
            i = part.end;
            match &mut out {
                Some(w) => {
                    w.end = part.end;
                    w.digit_like |= part.digit_like;
                    w.text.push_str(&part.text);
                }
                None => out = Some(part),
            }
        }
        out
    }

    /// `pPageSeq`: page units joined by full stops (`1.2.3`), or `.2`.
    fn page_seq(&mut self, at: usize) -> Option<Word> {
        let mut seq = match self.page_unit(at) {
            Some(unit) => unit,
            None => return self.with_period(at),
        };
        while let Some(more) = self.with_period(seq.end) {
            seq.end = more.end;
            seq.digit_like |= more.digit_like;
            seq.text.push_str(&more.text);
        }
        Some(seq)
    }

    fn with_period(&mut self, at: usize) -> Option<Word> {
        if !self.is_char(at, |c| c == '.') {
            return None;
        }
        let unit = self.page_unit(at + 1)?;
        Some(Word {
            text: format_compact!(".{}", unit.text),
            ..unit
        })
    }

    /// `pPageUnit`: a roman numeral (digit-like), or tokens up to a space, punctuation
    /// (other than `-`, `–` and `:`) or math.
    fn page_unit(&self, at: usize) -> Option<Word> {
        let tok = self.toks.get(at)?;
        if tok.kind == TokKind::Str && is_roman(&tok.text) {
            return Some(Word {
                end: at + 1,
                digit_like: true,
                text: tok.text.clone(),
            });
        }
        let mut end = at;
        let mut text = CompactString::default();
        while let Some(t) = self.toks.get(end) {
            if t.is_space() || t.is_char(is_locator_punct) || t.kind == TokKind::Math {
                break;
            }
            text.push_str(&t.text);
            end += 1;
        }
        (end > at).then(|| Word {
            end,
            digit_like: has_digit(&text),
            text,
        })
    }
}

impl Tok {
    /// A Str of one character that `f` accepts (`pMatchChar`).
    fn is_char(&self, f: impl Fn(char) -> bool) -> bool {
        let mut chars = self.text.chars();
        self.kind == TokKind::Str && chars.next().is_some_and(&f) && chars.next().is_none()
    }

    /// `pSpace`: a space, a line break, or a no-break space.
    fn is_space(&self) -> bool {
        self.kind == TokKind::Space || (self.kind == TokKind::Str && self.text == "\u{a0}")
    }
}

fn is_locator_sep(c: char) -> bool {
    c == ',' || c == ';'
}

fn is_locator_punct(c: char) -> bool {
    !matches!(c, '-' | '–' | ':') && is_punctuation(c)
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

fn stringify(toks: &[Tok]) -> String {
    toks.iter().map(|t| t.text.as_str()).collect()
}

/// Haskell's `T.strip`: white space (as `isSpace` has it) off both ends.
fn strip(text: &str) -> String {
    text.trim_matches(is_space).to_owned()
}

/// Case folding, as far as the terms need it.
fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// A whole roman numeral, as pandoc's `romanNumeral True` reads it (upper-cased first).
fn is_roman(text: &str) -> bool {
    let upper: Vec<char> = text.chars().flat_map(char::to_uppercase).collect();
    let s = &upper[..];
    if !s
        .first()
        .is_some_and(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
    {
        return false;
    }
    let mut i = 0;
    let mut total = 0u64;
    let many = |i: &mut usize, c: char| {
        let n = s[*i..].iter().take_while(|&&x| x == c).count();
        *i += n;
        n as u64
    };
    let pair = |i: &mut usize, a: char, b: char| {
        let hit = s.get(*i) == Some(&a) && s.get(*i + 1) == Some(&b);
        if hit {
            *i += 2;
        }
        hit
    };
    let one = |i: &mut usize, c: char| {
        let hit = s.get(*i) == Some(&c);
        if hit {
            *i += 1;
        }
        hit
    };
    total += 1000 * many(&mut i, 'M');
    total += 900 * u64::from(pair(&mut i, 'C', 'M'));
    total += 500 * u64::from(one(&mut i, 'D'));
    total += 400 * u64::from(pair(&mut i, 'C', 'D'));
    total += 100 * many(&mut i, 'C');
    total += 90 * u64::from(pair(&mut i, 'X', 'C'));
    total += 50 * u64::from(one(&mut i, 'L'));
    total += 40 * u64::from(pair(&mut i, 'X', 'L'));
    total += 10 * many(&mut i, 'X');
    total += 9 * u64::from(pair(&mut i, 'I', 'X'));
    total += 5 * u64::from(one(&mut i, 'V'));
    total += 4 * u64::from(pair(&mut i, 'I', 'V'));
    total += many(&mut i, 'I');
    total > 0 && i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_as_pandoc_reads_them() {
        for yes in ["xiv", "XIV", "MCMXC", "iv", "vi", "cm", "i"] {
            assert!(is_roman(yes), "{yes}");
        }
        for no in ["", "iiv", "vv", "ic", "x1", "page", "IVX"] {
            assert!(!is_roman(no), "{no}");
        }
    }

    #[test]
    fn every_term_names_its_kind() {
        assert_eq!(term_kind("pp."), Some(LocatorKind::Page));
        assert_eq!(term_kind("§§"), Some(LocatorKind::Section));
        assert_eq!(term_kind("number"), Some(LocatorKind::Issue));
        assert_eq!(term_kind("ch."), None);
        assert!(
            ["sub verbis", "paragraphs"]
                .iter()
                .all(|t| t.chars().count() <= LONGEST_TERM)
        );
    }
}
