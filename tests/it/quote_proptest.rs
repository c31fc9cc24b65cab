//! Property tests of quote finding (`argmap::quote`) on generated prose laid out as a PDF's
//! text extraction is: hard line breaks, blank lines, hyphenated line ends, typographic
//! quotes and dashes, non-ASCII words. A passage taken from the text is exact, one edit in
//! it is inexact, and its words shuffled are missing.

use std::ops::Range;

use argmap::quote::{CHARS_PER_EDIT, SourceText, Verdict};
use proptest::prelude::*;

/// Words of the papers argmap checks, a few with hyphens, accents, ligatures or marks.
const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "as",
    "with",
    "by",
    "its",
    "was",
    "it",
    "this",
    "an",
    "be",
    "are",
    "from",
    "has",
    "have",
    "not",
    "which",
    "their",
    "Russia",
    "China",
    "Russia’s",
    "Chinese",
    "Russian-Chinese",
    "SCO",
    "Shanghai",
    "Cooperation",
    "Organization",
    "organization",
    "member",
    "states",
    "security",
    "economic",
    "cooperation",
    "co-operation",
    "policy",
    "foreign",
    "regional",
    "interests",
    "Central",
    "Asia",
    "Asian",
    "influence",
    "political",
    "development",
    "relations",
    "countries",
    "terrorism",
    "separatism",
    "extremism",
    "“three",
    "evils”",
    "initiative",
    "successful",
    "established",
    "establishment",
    "expansion",
    "membership",
    "India",
    "Pakistan",
    "Eurasian",
    "integration",
    "strategy",
    "framework",
    "bilateral",
    "multilateral",
    "energy",
    "trade",
    "investment",
    "infrastructure",
    "Belt",
    "Road",
    "rivalry",
    "partnership",
    "balance",
    "power",
    "world",
    "order",
    "unipolar",
    "western",
    "concern",
    "dominance",
    "stance",
    "agenda",
    "summit",
    "declaration",
    "charter",
    "naïve",
    "Gdańsk",
    "ﬁnancial",
    "Ærø",
    "straße",
    "dialogue",
    "—",
    "–",
    "well-known",
    "(2001)",
    "[1]",
    "e.g.,",
    "i.e.",
    "45%",
    "mid-2010s",
    "AIIB",
    "BRI",
    "EAEU",
    "CSTO",
];

/// A generated text, and the byte range of each word in it.
#[derive(Debug)]
struct Prose {
    text: String,
    words: Vec<Range<usize>>,
}

/// Lays out words: `(word, what follows it)`.
fn render(tokens: &[(usize, u8)]) -> Prose {
    let mut text = String::new();
    let mut words = Vec::new();
    let mut capital = true;
    for &(w, after) in tokens {
        let mut word = WORDS[w].to_owned();
        if capital && let Some(c) = word.chars().next().filter(char::is_ascii_lowercase) {
            word.replace_range(..1, &c.to_ascii_uppercase().to_string());
        }
        capital = false;
        let start = text.len();
        match after {
            // Hyphenated at a line end (a PDF's layout).
            16 if word.len() >= 6 && word.is_ascii() && !word.contains('-') => {
                text.push_str(&word[..3]);
                text.push_str("-\n");
                text.push_str(&word[3..]);
            }
            17 => text.push_str(&format!("“{word}”")),
            _ => text.push_str(&word),
        }
        words.push(start..text.len());
        text.push_str(match after {
            0..=9 => " ",
            10 | 11 => ", ",
            12 => {
                capital = true;
                ". "
            }
            13 => "\n",
            14 => " \n",
            15 => ".\n\n",
            _ => " ",
        });
        capital |= after == 15;
    }
    Prose { text, words }
}

fn prose() -> impl Strategy<Value = Prose> {
    prop::collection::vec((0..WORDS.len(), 0u8..20), 60..250).prop_map(|t| render(&t))
}

/// The passage of words `i..i + n` (clamped) and its byte range.
fn passage(p: &Prose, i: prop::sample::Index, n: usize) -> (String, Range<usize>) {
    let first = i.index(p.words.len());
    let last = (first + n - 1).min(p.words.len() - 1);
    let range = p.words[first].start..p.words[last].end;
    (p.text[range.clone()].to_owned(), range)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A passage of the text, as is, is exact, and its range is the passage (or, when the
    /// words occur twice, a passage the quote is exact in, whole).
    #[test]
    fn a_passage_of_the_text_is_exact(p in prose(), i in any::<prop::sample::Index>(), n in 3usize..40) {
        let (quote, expected) = passage(&p, i, n);
        // Dashes alone are no quote.
        prop_assume!(quote.chars().any(char::is_alphanumeric));
        let v = SourceText::new(&p.text).find(&quote);
        let Verdict::Exact { range } = v else {
            return Err(TestCaseError::fail(format!("{quote:?}: {v:?}")));
        };
        if range != expected {
            let found = &p.text[range];
            let again = SourceText::new(found).find(&quote);
            prop_assert_eq!(again, Verdict::Exact { range: 0..found.len() }, "{:?} at {:?}", quote, found);
        }
    }

    /// One letter inserted, deleted or substituted inside a quote of 40 characters or more
    /// is inexact, found where the passage is.
    #[test]
    fn one_edit_is_inexact(
        p in prose(),
        i in any::<prop::sample::Index>(),
        n in 8usize..40,
        at in any::<prop::sample::Index>(),
        letter in any::<prop::sample::Index>(),
        kind in 0u8..3,
        new in b'a'..=b'z',
    ) {
        let (quote, expected) = passage(&p, i, n);
        // 40 characters once spaces and dashes are normalised.
        let squeezed = quote.split_whitespace().filter(|w| !w.chars().all(|c| "—–-".contains(c)));
        prop_assume!(squeezed.collect::<Vec<_>>().join(" ").chars().count() >= 40);
        // A letter of a word that is neither the first nor the last.
        let first = p.words.iter().position(|w| w.start == expected.start).unwrap();
        let last = p.words.iter().position(|w| w.end == expected.end).unwrap();
        prop_assume!(last >= first + 2);
        // Ends that are words: a quote starting with "— he" would start at "he".
        let wordy = |w: &Range<usize>| p.text[w.clone()].chars().any(char::is_alphanumeric);
        prop_assume!(wordy(&p.words[first]) && wordy(&p.words[last]));
        let inner = &p.words[first + 1 + at.index(last - first - 1)];
        let letters: Vec<usize> = p.text[inner.clone()]
            .char_indices()
            .filter(|(_, c)| c.is_ascii_alphabetic())
            .map(|(k, _)| inner.start - expected.start + k)
            .collect();
        // A letter, not a word: deleting "a" would delete a space too.
        prop_assume!(letters.len() >= 2);
        let k = letters[letter.index(letters.len())];
        let old = quote.as_bytes()[k];
        let mut edited = quote.clone();
        match kind {
            0 => edited.insert(k, new as char),
            1 => {
                edited.remove(k);
            }
            _ => {
                let new = if new.eq_ignore_ascii_case(&old) { b'a' + (new - b'a' + 1) % 26 } else { new };
                edited.replace_range(k..k + 1, &(new as char).to_string());
            }
        }
        // A deleted letter may leave an ellipsis ("i.e.." → "i.."), which is no edit.
        prop_assume!(!edited.contains("..."));
        let v = SourceText::new(&p.text).find(&edited);
        let Verdict::Inexact { range, edits, differences } = &v else {
            return Err(TestCaseError::fail(format!("{edited:?}: {v:?}")));
        };
        prop_assert!(*edits >= 1 && *edits <= 2, "{:?}", v);
        prop_assert!(*edits <= (quote.chars().count() / CHARS_PER_EDIT).max(1));
        // Where the passage is, or at a copy of it (the words may repeat).
        if range.start >= expected.end || expected.start >= range.end {
            let again = SourceText::new(&p.text[range.clone()]).find(&quote);
            prop_assert!(matches!(again, Verdict::Exact { .. }), "{:?} vs {:?}", v, expected);
        }
        prop_assert!(differences.starts_with("the "), "{}", differences);
    }

    /// The words of a passage of eight or more, in another order, are missing.
    #[test]
    fn shuffled_words_are_missing(
        p in prose(),
        i in any::<prop::sample::Index>(),
        n in 8usize..40,
        keys in prop::collection::vec(any::<u32>(), 40),
    ) {
        let (quote, _) = passage(&p, i, n);
        let words: Vec<&str> = quote.split_whitespace().collect();
        prop_assume!(words.len() >= 8);
        let mut order: Vec<usize> = (0..words.len()).collect();
        order.sort_by_key(|&k| keys[k % keys.len()] ^ k as u32);
        let shuffled: Vec<&str> = order.iter().map(|&k| words[k]).collect();
        let (before, after) = (words.join(" "), shuffled.join(" "));
        // Really another order: a swap of two short words would be a small edit.
        prop_assume!(strsim::levenshtein(&before, &after) * 4 >= before.chars().count());
        let v = SourceText::new(&p.text).find(&after);
        prop_assert!(matches!(v, Verdict::Missing { .. }), "{:?}: {:?}", after, v);
    }
}
