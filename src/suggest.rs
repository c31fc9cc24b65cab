//! "Did you mean ...?": the closest candidate to a misspelt word, in near-linear time.
//!
//! Comparing every miss with every candidate is quadratic: 20,000 dangling links against
//! 20,000 claim ids is 400 million string comparisons. A [`Suggester`] answers each
//! distinct miss once (a cache), compares it only with the few candidates that share its
//! rarer trigrams (an index: a typo leaves most of a word's trigrams intact), and stops
//! suggesting once a run's work budget is spent: a suggestion is a courtesy, and the
//! finding is reported either way.

use rustc_hash::FxHashMap as HashMap;

/// The similarity (Jaro-Winkler, case-insensitive) a candidate needs to be suggested.
pub const THRESHOLD: f64 = 0.85;
/// Candidate lists up to this size are compared in full: the index would not pay.
const SMALL: usize = 256;
/// Trigrams shared by more candidates than this say little about which one is meant.
const COMMON_TRIGRAM: usize = 512;
/// Candidates compared per miss, the ones sharing the most trigrams with it.
const SHORTLIST: usize = 16;
/// Work units (a posting read, a comparison) for all suggestions of one run.
pub const RUN_BUDGET: usize = 20_000_000;
/// Words longer than this get no suggestion and are never suggested: a comparison costs
/// the product of the lengths, and nobody mistypes a name of hundreds of characters.
const MAX_WORD: usize = 80;
/// A suggestion is clear when no other candidate comes this close to its similarity: then
/// it may become a fix, not only advice.
const CLEAR_MARGIN: f64 = 0.05;

/// The closest candidate to a misspelt word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion<'a> {
    /// The candidate.
    pub word: &'a str,
    /// Whether it is clearly the closest: no other is nearly as close.
    pub clear: bool,
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo. For a
/// handful of candidates (field names, rule names).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggest(word, candidates).map(|s| s.word)
}

/// [`did_you_mean`], saying whether the suggestion is clear.
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Suggestion<'a>> {
    let lower = word.to_lowercase();
    best(
        &lower,
        candidates.into_iter().map(|c| (c, c.to_lowercase())),
    )
    .map(|(word, clear)| Suggestion { word, clear })
}

/// The candidate most similar to `lower` (already lower-cased), at or above the threshold
/// (the first of equals wins), and whether it is clearly the closest.
fn best<T: Copy, S: AsRef<str>>(
    lower: &str,
    candidates: impl IntoIterator<Item = (T, S)>,
) -> Option<(T, bool)> {
    if lower.len() > MAX_WORD {
        return None;
    }
    let mut found: Option<(f64, T)> = None;
    // The best score of any other candidate, to tell a clear winner.
    let mut runner_up = 0.0f64;
    for (candidate, lowered) in candidates {
        if lowered.as_ref().len() > MAX_WORD {
            continue;
        }
        let score = strsim::jaro_winkler(lower, lowered.as_ref());
        match found {
            Some((best, _)) if score > best => {
                runner_up = best;
                found = Some((score, candidate));
            }
            Some(_) => runner_up = runner_up.max(score),
            None if score >= THRESHOLD => found = Some((score, candidate)),
            None => runner_up = runner_up.max(score),
        }
    }
    found.map(|(score, c)| (c, score - runner_up >= CLEAR_MARGIN))
}

/// Suggestions from one list of candidates, for many misses.
pub struct Suggester<'a> {
    candidates: Vec<&'a str>,
    lowered: Vec<String>,
    /// Trigram → the candidates holding it (by index, each once), for large lists only.
    index: HashMap<u64, Vec<u32>>,
    cache: HashMap<String, Option<(u32, bool)>>,
    /// By candidate: trigrams shared with the miss at hand (reset after each miss).
    shared: Vec<u32>,
}

impl<'a> Suggester<'a> {
    /// A suggester over `candidates` (indexed when there are many).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let candidates: Vec<&'a str> = candidates.into_iter().collect();
        let lowered: Vec<String> = candidates.iter().map(|c| c.to_lowercase()).collect();
        let mut index: HashMap<u64, Vec<u32>> = HashMap::default();
        if candidates.len() > SMALL {
            let mut grams = Vec::new();
            for (i, lower) in lowered.iter().enumerate() {
                trigrams(lower, &mut grams);
                for &g in &grams {
                    index.entry(g).or_default().push(i as u32);
                }
            }
        }
        Suggester {
            candidates,
            lowered,
            index,
            cache: HashMap::default(),
            shared: Vec::new(),
        }
    }

    /// The closest candidate to `word`, if one is close enough; `None` also once `budget`
    /// (shared by a run's suggesters) is spent.
    pub fn suggest(&mut self, word: &str, budget: &mut usize) -> Option<Suggestion<'a>> {
        if let Some(&hit) = self.cache.get(word) {
            return hit.map(|(i, clear)| Suggestion {
                word: self.candidates[i as usize],
                clear,
            });
        }
        let lower = word.to_lowercase();
        if lower.len() > MAX_WORD {
            return None;
        }
        let found = if self.candidates.len() <= SMALL {
            spend(budget, self.candidates.len())?;
            best(
                &lower,
                (0..self.candidates.len()).map(|i| (i, self.lowered[i].as_str())),
            )
        } else {
            self.indexed(&lower, budget)?
        };
        self.cache
            .insert(word.to_owned(), found.map(|(i, clear)| (i as u32, clear)));
        found.map(|(i, clear)| Suggestion {
            word: self.candidates[i],
            clear,
        })
    }

    /// The best of the candidates sharing the most rare trigrams with `lower`.
    fn indexed(&mut self, lower: &str, budget: &mut usize) -> Option<Option<(usize, bool)>> {
        let mut grams = Vec::new();
        trigrams(lower, &mut grams);
        self.shared.resize(self.candidates.len(), 0);
        let mut touched: Vec<u32> = Vec::new();
        for g in grams {
            let Some(holders) = self.index.get(&g) else {
                continue;
            };
            if holders.len() > COMMON_TRIGRAM {
                continue;
            }
            if spend(budget, holders.len()).is_none() {
                for &i in &touched {
                    self.shared[i as usize] = 0;
                }
                return None;
            }
            for &i in holders {
                let n = &mut self.shared[i as usize];
                if *n == 0 {
                    touched.push(i);
                }
                *n += 1;
            }
        }
        let mut shortlist: Vec<(u32, u32)> = touched
            .iter()
            .map(|&i| (i, std::mem::take(&mut self.shared[i as usize])))
            .collect();
        // Most shared trigrams first; the candidates' order breaks ties, for stable output.
        let rank = |&(i, n): &(u32, u32)| (std::cmp::Reverse(n), i);
        if shortlist.len() > SHORTLIST {
            shortlist.select_nth_unstable_by_key(SHORTLIST, rank);
            shortlist.truncate(SHORTLIST);
        }
        shortlist.sort_unstable_by_key(|&(i, _)| i);
        spend(budget, shortlist.len())?;
        Some(best(
            lower,
            shortlist
                .iter()
                .map(|&(i, _)| (i as usize, self.lowered[i as usize].as_str())),
        ))
    }
}

/// Takes `cost` from the budget, or `None` when it is spent.
fn spend(budget: &mut usize, cost: usize) -> Option<()> {
    *budget = budget.checked_sub(cost)?;
    Some(())
}

/// A word's trigrams, padded at both ends (`^ab`, `abc`, ..., `yz$`), each once.
fn trigrams(word: &str, out: &mut Vec<u64>) {
    out.clear();
    let chars: Vec<char> = std::iter::once('\u{2}')
        .chain(word.chars())
        .chain(std::iter::once('\u{3}'))
        .collect();
    for w in chars.windows(3) {
        let g = (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]);
        out.push(g);
    }
    out.sort_unstable();
    out.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let fields = ["title", "source", "claims"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("claim", fields), Some("claims"));
        assert_eq!(did_you_mean("zzz", fields), None);
    }

    #[test]
    fn the_index_finds_what_a_full_comparison_finds() {
        let ids: Vec<String> = (0..5000).map(|i| format!("claim-{i:05}")).collect();
        let mut s = Suggester::new(ids.iter().map(String::as_str));
        let mut budget = RUN_BUDGET;
        fn word(s: Option<Suggestion<'_>>) -> Option<&str> {
            s.map(|s| s.word)
        }
        assert_eq!(
            word(s.suggest("claim-01234x", &mut budget)),
            Some("claim-01234")
        );
        assert_eq!(
            word(s.suggest("CLAIM-04999", &mut budget)),
            Some("claim-04999")
        );
        assert_eq!(s.suggest("thesis", &mut budget), None);
        let spent = RUN_BUDGET - budget;
        assert_eq!(
            word(s.suggest("claim-01234x", &mut budget)),
            Some("claim-01234")
        );
        assert_eq!(
            RUN_BUDGET - budget,
            spent,
            "a repeated miss is answered from the cache"
        );
    }

    /// A comparison costs the product of the lengths: very long words are not compared.
    #[test]
    fn long_words_are_neither_compared_nor_suggested() {
        let long = "a".repeat(4000);
        let ids: Vec<String> = (0..300).map(|i| format!("{long}{i}")).collect();
        let mut s = Suggester::new(ids.iter().map(String::as_str));
        let mut budget = RUN_BUDGET;
        assert_eq!(s.suggest(&"b".repeat(4000), &mut budget), None);
        assert_eq!(s.suggest(&format!("{long}1x"), &mut budget), None);
        assert_eq!(
            suggest("thesiss", [long.as_str(), "thesis"]).map(|s| s.word),
            Some("thesis")
        );
    }

    #[test]
    fn a_spent_budget_stops_suggesting() {
        let mut s = Suggester::new(["thesis", "reason"]);
        let mut budget = 1;
        assert_eq!(s.suggest("thesiss", &mut budget), None);
        let mut budget = 10;
        assert_eq!(
            s.suggest("thesiss", &mut budget).map(|s| s.word),
            Some("thesis")
        );
    }

    #[test]
    fn a_suggestion_is_clear_when_no_other_comes_close() {
        let clear = suggest("thesiss", ["thesis", "reason"]).unwrap();
        assert_eq!(
            clear,
            Suggestion {
                word: "thesis",
                clear: true
            }
        );
        let close_call = suggest("song201", ["song2014", "song2015"]).unwrap();
        assert!(!close_call.clear, "{close_call:?}");
    }
}
