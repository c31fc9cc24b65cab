//! Does a claim's `quote` occur in the text of the paper it comes from?
//!
//! A [`SourceText`] is built once per paper (a PDF's text extraction: hard line breaks,
//! hyphenated line ends, typographic quotes and dashes) and answers [`SourceText::find`] for
//! any number of quotes with a [`Verdict`]: **exact** after normalisation, **inexact** (a few
//! edits: a typo, a dropped word), or **missing**, with byte ranges into the original text.
//!
//! Normalisation (both texts alike): Unicode NFKC; every quotation mark, single or double,
//! curly or straight, is one mark (quoters legitimately change nesting quotes); every dash
//! (`-`, `–`, `—`, `‐`, `−`, ...) and the spaces around it are one dash; whitespace runs,
//! line breaks included, are one space; soft hyphens and zero-width characters are dropped.
//! A hyphen directly after a letter and followed by a line break and a letter may be a real
//! hyphen or a line-end hyphenation: "Russian-\nChinese" is matched by "Russian-Chinese" and
//! by "RussianChinese", "co-\noperation" by "co-operation" and "cooperation". Case is kept
//! (quotes are verbatim), except the first letter of the quote and of each piece after an
//! editorial mark, which quoters adapt to their sentence.
//!
//! Editorial marks in a quote are read only when the quote does not occur literally (a
//! source may well contain `[1]`): an ellipsis (`...`, `…`, `[...]`, `[…]`, `(...)`,
//! `. . .`) splits the quote into pieces that must occur in order, each within
//! [`ELLIPSIS_GAP`] bytes of the previous; a bracketed insertion (`[the SCO]`, `[T]he`)
//! stands for up to [`INSERTION_GAP`] bytes of source text; `[sic]` is dropped.
//!
//! Exact search never aligns anything: the normalised source (without its dashes, which are
//! compared afterwards) has a suffix array (SA-IS, linear time), so a quote is found by
//! binary search in O(m log n) however repetitive the source. Only a quote not found exactly
//! is aligned: its 12-byte k-grams (from a hash index of the source's) that occur at most
//! [`SEED_CAP`] times vote for the place where it starts, and a banded edit distance with a
//! traceback is computed around the best few places. Every search spends from a budget
//! proportional to the quote's length, so a hostile input (long quotes, a repetitive source)
//! costs time linear in the quotes, plus O(n) to build the index: the price is that such a
//! quote may be reported missing.

use std::fmt;
use std::ops::Range;

// memchr's memmem: vectorised substring search, linear in the worst case (Two-Way), for the
// bounded windows in which the pieces of a quote around an ellipsis are looked for; a
// hand-written search would be slower and quadratic on repetitive text.
use memchr::memmem;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// The most normalised source bytes an ellipsis in a quote may stand for.
pub const ELLIPSIS_GAP: usize = 5_000;
/// The most normalised source bytes a bracketed insertion (`[the SCO]`) may stand for: a few
/// words.
pub const INSERTION_GAP: usize = 80;
/// A quote is inexact, not missing, with at most one edit per this many characters (5%),
/// and at least one edit.
pub const CHARS_PER_EDIT: usize = 20;
/// A k-gram of the quote occurring more often than this in the source says little about
/// where the quote is: it does not vote.
pub const SEED_CAP: usize = 64;
/// A missing quote's nearest passage is offered when at most this share (1/3) of its
/// characters differ.
const NEAREST_SHARE: usize = 3;
/// The longest bracketed text read as an editorial insertion; longer brackets are quoted.
const MAX_INSERTION: usize = 80;
/// Candidate places aligned per quote (the best voted first).
const CANDIDATES: usize = 4;
/// Occurrences of a pattern whose dashes are compared, at most.
const VERIFY_CAP: usize = 4_096;
/// Occurrences of the rarest piece of a quote with an ellipsis tried as its anchor.
const ANCHOR_CAP: usize = 16;
/// Work (bytes compared or scanned, alignment cells) allowed per quote: a base plus a
/// multiple of the quote's normalised length.
const BUDGET_BASE: usize = 1_000_000;
/// See [`BUDGET_BASE`].
const BUDGET_PER_BYTE: usize = 1_000;
/// The most cells of one alignment (a byte each for its traceback): quotes of more than
/// about 10,000 characters are not aligned.
const MAX_CELLS: usize = 16 << 20;
/// The most cells of an alignment anywhere in a window (a piece after an ellipsis none of
/// whose k-grams is there): a piece of 50 characters in the widest window.
const SMALL_WINDOW_CELLS: usize = 300_000;
/// Differences listed in a verdict's description.
const LISTED: usize = 3;
/// Characters of each side shown in a listed difference.
const SHOWN: usize = 40;
/// Sources longer than this (128 MiB) are searched in their first this many bytes: offsets
/// are u32, and NFKC may lengthen a text up to 18 times.
const MAX_SOURCE: usize = 128 << 20;

/// A real dash in normalised text (any dash, with the spaces around it).
const DASH: u8 = b'-';
/// A hyphen that may be a line-end hyphenation: it matches a dash or nothing.
const OPTIONAL: u8 = 0x01;

/// Whether and where a quote occurs in a source text. Ranges are byte ranges into the
/// original source text, on character boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The quote occurs, after normalisation.
    Exact {
        /// The passage: from the first to the last character matched.
        range: Range<usize>,
    },
    /// The quote occurs with a few edits (at most one per [`CHARS_PER_EDIT`] characters).
    Inexact {
        /// The closest passage.
        range: Range<usize>,
        /// Characters inserted, deleted or substituted.
        edits: usize,
        /// What differs, for people: `the quote has 'strenghten', the source 'strengthen'`.
        differences: String,
    },
    /// The quote does not occur.
    Missing {
        /// The closest passage, when one is plausibly meant (at most a third differs).
        nearest: Option<Range<usize>>,
    },
}

impl Verdict {
    /// The passage found, or the nearest one for a missing quote.
    pub fn range(&self) -> Option<Range<usize>> {
        match self {
            Verdict::Exact { range } | Verdict::Inexact { range, .. } => Some(range.clone()),
            Verdict::Missing { nearest } => nearest.clone(),
        }
    }
}

/// A source text, normalised and indexed once, in which quotes are looked for.
pub struct SourceText {
    /// The normalised text: UTF-8, with [`DASH`] and [`OPTIONAL`] bytes for dashes.
    full: Vec<u8>,
    /// By byte of `full`: the original range of the character(s) it comes from.
    starts: Vec<u32>,
    /// See `starts`.
    ends: Vec<u32>,
    /// `full` without its dashes: what the suffix array sorts and patterns are searched in.
    skel: Vec<u8>,
    /// By byte of `skel`: its index in `full`.
    skel_full: Vec<u32>,
    /// The suffix array of `skel`.
    sa: Vec<u32>,
    /// The [`GRAM`]-byte k-grams of `skel` (starting on a character), by hash: the seeds of
    /// approximate search, found in one probe where the suffix array takes twenty.
    grams: Grams,
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceText")
            .field("normalised_bytes", &self.full.len())
            .finish_non_exhaustive()
    }
}

impl SourceText {
    /// Normalises and indexes `text`: linear time, about 30 bytes of memory per byte (and as
    /// much again while the suffix array is built).
    pub fn new(text: &str) -> Self {
        let mut cut = text.len().min(MAX_SOURCE);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let norm = normalise(&text[..cut], true);
        let mut skel = Vec::with_capacity(norm.full.len());
        let mut skel_full = Vec::with_capacity(norm.full.len());
        for (i, &b) in norm.full.iter().enumerate() {
            if b != DASH && b != OPTIONAL {
                skel.push(b);
                skel_full.push(i as u32);
            }
        }
        let sa = suffix_array(&skel);
        let grams = Grams::new(&skel);
        SourceText {
            full: norm.full,
            starts: norm.starts,
            ends: norm.ends,
            skel,
            skel_full,
            sa,
            grams,
        }
    }

    /// Whether and where `quote` occurs. Never panics; its work is bounded by the quote's
    /// length (see the module documentation).
    pub fn find(&self, quote: &str) -> Verdict {
        let norm = normalise(quote, false);
        let Some(literal) = Piece::new(&norm.full) else {
            return Verdict::Missing { nearest: None };
        };
        let mut budget =
            Budget(BUDGET_BASE.saturating_add(literal.full.len().saturating_mul(BUDGET_PER_BYTE)));
        if let Some((start, end)) = self.exact(&literal, &mut budget) {
            return Verdict::Exact {
                range: self.original(self.skel_full[start] as usize, self.full_end(end)),
            };
        }
        let parsed = parse(&literal.full);
        if let Some((pieces, gaps)) = &parsed
            && let Some(range) = self.exact_pieces(pieces, gaps, &mut budget)
        {
            return Verdict::Exact {
                range: self.original(range.start, range.end),
            };
        }
        // The best approximate match, and the characters its quote counts.
        let mut best: Option<(Match, usize)> = None;
        if let Some((pieces, gaps)) = &parsed {
            let chars = pieces.iter().map(|p| p.chars).sum();
            best = self
                .approximate(pieces, gaps, &mut budget)
                .map(|m| (m, chars));
        }
        if best.as_ref().is_none_or(|(b, _)| b.edits > 0) {
            let plain = self.approximate(std::slice::from_ref(&literal), &[], &mut budget);
            if let Some(p) = plain
                && best.as_ref().is_none_or(|(b, _)| p.edits < b.edits)
            {
                best = Some((p, literal.chars));
            }
        }
        match best {
            Some((m, _)) if m.edits == 0 => Verdict::Exact {
                range: self.original(m.start, m.end),
            },
            Some((m, chars)) if m.edits <= allowed_edits(chars) => Verdict::Inexact {
                range: self.original(m.start, m.end),
                edits: m.edits,
                differences: describe(&m.differences),
            },
            Some((m, chars)) if m.edits * NEAREST_SHARE <= chars => Verdict::Missing {
                nearest: Some(self.original(m.start, m.end)),
            },
            _ => Verdict::Missing { nearest: None },
        }
    }

    /// The original byte range of the normalised bytes `start..end` of `full`.
    fn original(&self, start: usize, end: usize) -> Range<usize> {
        if start >= end || end > self.full.len() {
            return 0..0;
        }
        self.starts[start] as usize..self.ends[end - 1] as usize
    }

    /// The end in `full` of the skeleton bytes ending at `end` (> 0).
    fn full_end(&self, end: usize) -> usize {
        self.skel_full[end - 1] as usize + 1
    }

    /// The first index of `skel` at or after `full` index `at`.
    fn skel_at(&self, at: usize) -> usize {
        self.skel_full.partition_point(|&f| (f as usize) < at)
    }

    /// The suffixes of `skel` starting with `pattern`: a range of the suffix array.
    fn sa_range(&self, pattern: &[u8], budget: &mut Budget) -> Range<usize> {
        budget.spend(pattern.len() * (usize::BITS - self.sa.len().leading_zeros()) as usize * 2);
        let skel = &self.skel;
        let prefix = |p: u32| {
            let s = &skel[p as usize..];
            &s[..s.len().min(pattern.len())]
        };
        let lo = self.sa.partition_point(|&p| prefix(p) < pattern);
        // The end by galloping from `lo`: most patterns occur a few times, and each probe is
        // a cache miss.
        let n = self.sa.len();
        let matches = |i: usize| prefix(self.sa[i]) == pattern;
        if lo == n || !matches(lo) {
            return lo..lo;
        }
        let mut bound = 1;
        while lo + bound < n && matches(lo + bound) {
            bound *= 2;
        }
        let base = lo + bound / 2 + 1;
        let end = (lo + bound).min(n);
        lo..base + self.sa[base..end].partition_point(|&p| prefix(p) == pattern)
    }

    /// Whether the source bytes `start..end` of `skel` are the piece, whose skeleton they are
    /// known to be (but for the first character's case): whether their dashes agree, and
    /// they start or end words where the piece must.
    fn agrees(&self, piece: &Piece, start: usize, end: usize, budget: &mut Budget) -> bool {
        let (fs, fe) = (self.skel_full[start] as usize, self.full_end(end));
        if (piece.word_start && self.inside_word(fs)) || (piece.word_end && self.inside_word(fe)) {
            return false;
        }
        if !piece.dashes && fe - fs == end - start {
            return true;
        }
        if !budget.spend(piece.full.len() + (fe - fs)) {
            return false;
        }
        let q = &piece.full[utf8_len(piece.full[0])..];
        let s = &self.full[(fs + utf8_len(self.full[fs])).min(fe)..fe];
        dashes_match(q, s)
    }

    /// Whether a word goes on across `full` index `at`.
    fn inside_word(&self, at: usize) -> bool {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '\u{1}');
        let (before, after) = self.full.split_at(at.min(self.full.len()));
        word(last_char(before)) && word(first_char(after))
    }

    /// A piece's match stretched to the word boundaries the piece must have, each character
    /// added an edit.
    fn to_word_bounds(&self, piece: &Piece, m: &mut Match) {
        let (start, end) = (m.start, m.end);
        // A word longer than this is no word: the match is wrong anyway.
        const LONGEST_WORD: usize = 64;
        if piece.word_start {
            while m.start > 0 && start - m.start < LONGEST_WORD && self.inside_word(m.start) {
                m.start -= last_char(&self.full[..m.start]).map_or(1, char::len_utf8);
            }
        }
        if piece.word_end {
            while m.end < self.full.len() && m.end - end < LONGEST_WORD && self.inside_word(m.end) {
                m.end += first_char(&self.full[m.end..]).map_or(1, char::len_utf8);
            }
        }
        for added in [m.start..start, end..m.end] {
            if !added.is_empty() {
                let text = String::from_utf8_lossy(&self.full[added]).into_owned();
                m.edits += text.chars().count();
                m.differences.push((String::new(), text));
            }
        }
    }

    /// The earliest exact occurrence of a piece (in its own case if it has one): its `skel`
    /// range.
    fn exact(&self, piece: &Piece, budget: &mut Budget) -> Option<(usize, usize)> {
        // The quote's own case first: its first letter changed only if that is not there.
        for v in piece.variants() {
            let mut best: Option<(usize, usize)> = None;
            let range = self.sa_range(&v, budget);
            for &p in self.sa[range].iter().take(VERIFY_CAP) {
                let start = p as usize;
                if best.is_some_and(|(b, _)| b <= start) {
                    continue;
                }
                if self.agrees(piece, start, start + v.len(), budget) {
                    best = Some((start, start + v.len()));
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }

    /// Occurrences of a piece in `skel[window]`: the first (or with `last`, the last)
    /// whose dashes agree.
    fn exact_in(
        &self,
        piece: &Piece,
        window: Range<usize>,
        last: bool,
        budget: &mut Budget,
    ) -> Option<(usize, usize)> {
        let window = window.start.min(self.skel.len())..window.end.min(self.skel.len());
        let hay = self.skel.get(window.clone())?;
        let mut best: Option<(usize, usize)> = None;
        for v in piece.variants() {
            if !budget.spend(hay.len()) {
                return None;
            }
            let mut check = |at: usize| {
                let start = window.start + at;
                self.agrees(piece, start, start + v.len(), budget)
                    .then_some((start, start + v.len()))
            };
            let found = if last {
                memmem::rfind_iter(hay, &v).find_map(&mut check)
            } else {
                memmem::find_iter(hay, &v).find_map(&mut check)
            };
            best = match (best, found) {
                (Some(b), Some(f)) if (f.0 > b.0) == last => Some(f),
                (b, f) => b.or(f),
            };
        }
        best
    }

    /// An exact occurrence of pieces in order within their gaps: a `full` range.
    fn exact_pieces(
        &self,
        pieces: &[Piece],
        gaps: &[usize],
        budget: &mut Budget,
    ) -> Option<Range<usize>> {
        let mut counts = Vec::with_capacity(pieces.len());
        for p in pieces {
            let n: usize = p
                .variants()
                .iter()
                .map(|v| self.sa_range(v, budget).len())
                .sum();
            if n == 0 {
                return None;
            }
            counts.push(n);
        }
        let anchor = (0..pieces.len()).min_by_key(|&i| counts[i])?;
        let piece = &pieces[anchor];
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for v in piece.variants() {
            let range = self.sa_range(&v, budget);
            for &p in self.sa[range].iter().take(VERIFY_CAP) {
                starts.push((p as usize, p as usize + v.len()));
            }
        }
        starts.sort_unstable();
        let mut tried = 0;
        for (start, end) in starts {
            if tried == ANCHOR_CAP || budget.exhausted() {
                break;
            }
            if !self.agrees(piece, start, end, budget) {
                continue;
            }
            tried += 1;
            if let Some(range) = self.extend_exact(pieces, gaps, anchor, (start, end), budget) {
                return Some(self.skel_full[range.0] as usize..self.full_end(range.1));
            }
        }
        None
    }

    /// The other pieces found exactly around the anchor's occurrence, the nearest first.
    fn extend_exact(
        &self,
        pieces: &[Piece],
        gaps: &[usize],
        anchor: usize,
        at: (usize, usize),
        budget: &mut Budget,
    ) -> Option<(usize, usize)> {
        let (mut first, mut last) = at;
        for i in (0..anchor).rev() {
            let lo = first.saturating_sub(gaps[i] + pieces[i].skel.len() + 4);
            let (s, e) = self.exact_in(&pieces[i], lo..first, true, budget)?;
            if first - e > gaps[i] {
                return None;
            }
            first = s;
        }
        for i in anchor + 1..pieces.len() {
            let hi = last + gaps[i - 1] + pieces[i].skel.len() + 4;
            let (s, e) = self.exact_in(&pieces[i], last..hi, false, budget)?;
            if s - last > gaps[i - 1] {
                return None;
            }
            last = e;
        }
        Some((first, last))
    }

    /// The best approximate occurrence of pieces in order (one piece: a plain quote),
    /// whatever its number of edits; `None` when no candidate place was found.
    fn approximate(&self, pieces: &[Piece], gaps: &[usize], budget: &mut Budget) -> Option<Match> {
        let chars: usize = pieces.iter().map(|p| p.chars).sum();
        let allowed = allowed_edits(chars);
        let anchor = (0..pieces.len()).max_by_key(|&i| (pieces[i].skel.len(), usize::MAX - i))?;
        let mut best: Option<Match> = None;
        for (lo, hi) in self.candidates(&pieces[anchor], allowed, None, budget) {
            let Some(mut found) = self.align_near(&pieces[anchor], lo, hi, allowed, budget) else {
                continue;
            };
            self.to_word_bounds(&pieces[anchor], &mut found);
            // An anchor already too far off is at best the nearest passage: the other pieces
            // are not looked for.
            let whole = if found.edits > allowed {
                found
            } else {
                let Some(whole) = self.extend_approximate(pieces, gaps, anchor, found, budget)
                else {
                    continue;
                };
                whole
            };
            if best.as_ref().is_none_or(|b| whole.edits < b.edits) {
                best = Some(whole);
            }
            if best.as_ref().is_some_and(|b| b.edits <= allowed) {
                break;
            }
        }
        best
    }

    /// Candidate places of a piece: ranges of its likely start in `skel` (`within` a range of
    /// it), by votes of its k-grams, the most voted first.
    fn candidates(
        &self,
        piece: &Piece,
        allowed: usize,
        within: Option<Range<usize>>,
        budget: &mut Budget,
    ) -> Vec<(isize, isize)> {
        let q = &piece.skel;
        let m = q.len();
        // With at most `allowed` edits, one of `allowed + 1` blocks of the quote is intact:
        // seeds are placed so that every block of that length holds one.
        let block = m / (allowed + 1);
        let (stride, k) = if block >= 16 {
            (4, 12)
        } else {
            (1, block.clamp(4, 12).min(m))
        };
        let mut diagonals: Vec<isize> = Vec::new();
        // The first occurrences of a seed too common to vote, and its offset: in a
        // repetitive text, the only seed there may be.
        let mut common: Option<(Vec<u32>, usize)> = None;
        let mut seeds = 0;
        let mut found = Vec::new();
        let mut off = 0;
        while off + k <= m {
            let s = next_boundary(q, off);
            if s + k > m || budget.exhausted() {
                break;
            }
            let e = next_boundary(q, s + k);
            seeds += 1;
            found.clear();
            let frequent = if e - s == GRAM {
                !self.grams.find(&q[s..e], &mut found, budget)
            } else {
                let range = self.sa_range(&q[s..e], budget);
                found.extend(self.sa[range.clone()].iter().take(SEED_CAP));
                range.len() > SEED_CAP
            };
            if !frequent {
                diagonals.extend(found.iter().map(|&p| p as isize - s as isize));
            } else if common.is_none() {
                common = Some((found.clone(), s));
            }
            off = s + stride;
        }
        if let Some(w) = within {
            let (lo, hi) = (w.start as isize - allowed as isize, w.end as isize);
            diagonals.retain(|&d| lo <= d && d < hi);
            if let Some((found, _)) = &mut common {
                found.retain(|&p| lo <= p as isize && (p as isize) < hi + m as isize);
            }
        }
        if diagonals.is_empty()
            && let Some((found, s)) = common
        {
            return found
                .iter()
                .take(CANDIDATES)
                .map(|&p| (p as isize - s as isize, p as isize - s as isize))
                .collect();
        }
        diagonals.sort_unstable();
        let tolerance = (allowed + 8) as isize;
        let mut clusters: Vec<(usize, isize, isize)> = Vec::new();
        for d in diagonals {
            match clusters.last_mut() {
                Some((votes, lo, hi)) if d - *hi <= tolerance && d - *lo <= 2 * tolerance => {
                    *votes += 1;
                    *hi = d;
                }
                _ => clusters.push((1, d, d)),
            }
        }
        // A place a few seeds point at is a chance likeness: with at most one edit per 20
        // characters, a real one keeps far more of its seeds.
        let least = (seeds / 8).max(1);
        clusters.retain(|&(votes, _, _)| votes >= least);
        clusters.sort_by_key(|&(votes, lo, _)| (std::cmp::Reverse(votes), lo));
        clusters
            .into_iter()
            .take(CANDIDATES)
            .map(|(_, lo, hi)| (lo, hi))
            .collect()
    }

    /// A piece aligned (banded) around a candidate place whose start lies in `lo..=hi` of
    /// `skel`.
    fn align_near(
        &self,
        piece: &Piece,
        lo: isize,
        hi: isize,
        allowed: usize,
        budget: &mut Budget,
    ) -> Option<Match> {
        let n = self.skel.len() as isize;
        let reach = (allowed + 2) as isize;
        let wlo = (lo - reach).clamp(0, n) as usize;
        let whi = (hi + piece.skel.len() as isize + reach).clamp(0, n) as usize;
        if wlo >= whi {
            return None;
        }
        let (fs, fe) = (self.skel_full[wlo] as usize, self.full_end(whi));
        let at =
            |p: isize| self.skel_full[p.clamp(wlo as isize, whi as isize - 1) as usize] as isize;
        let qdashes = (piece.full.len() - piece.skel.len()) as isize;
        let wdashes = ((fe - fs) - (whi - wlo)) as isize;
        let dmin = at(lo) - fs as isize - reach - qdashes;
        let dmax = at(hi) - fs as isize + reach + wdashes;
        self.aligned(piece, fs..fe, (dmin, dmax), false, budget)
    }

    /// The piece aligned in `full[window]` within the diagonal band, as a match.
    fn aligned(
        &self,
        piece: &Piece,
        window: Range<usize>,
        band: (isize, isize),
        late: bool,
        budget: &mut Budget,
    ) -> Option<Match> {
        let s = &self.full[window.clone()];
        let a = align(&piece.full, s, band, late, budget)?;
        let (edits, differences) = differences(&piece.full, s, &a);
        // Alignment is by bytes: snap its ends to characters.
        let mut start = window.start + a.start;
        while start > window.start && is_continuation(self.full[start]) {
            start -= 1;
        }
        let mut end = (window.start + a.end).max(start);
        while end < window.end && is_continuation(self.full[end]) {
            end += 1;
        }
        Some(Match {
            start,
            end,
            edits,
            differences,
        })
    }

    /// The other pieces of a quote around its anchor's match, each exactly if it can be and
    /// aligned in its window if not.
    fn extend_approximate(
        &self,
        pieces: &[Piece],
        gaps: &[usize],
        anchor: usize,
        found: Match,
        budget: &mut Budget,
    ) -> Option<Match> {
        let mut whole = found;
        for i in (0..anchor).rev() {
            let p = &pieces[i];
            let end = whole.start;
            let lo = end.saturating_sub(gaps[i] + p.full.len() * 2 + 8);
            let part = self.piece_in(p, lo..end, true, budget)?;
            whole.start = part.start;
            whole.edits += part.edits;
            whole.differences.splice(0..0, part.differences);
        }
        for i in anchor + 1..pieces.len() {
            let p = &pieces[i];
            let start = whole.end;
            let hi = (start + gaps[i - 1] + p.full.len() * 2 + 8).min(self.full.len());
            let part = self.piece_in(p, start..hi, false, budget)?;
            whole.end = part.end;
            whole.edits += part.edits;
            whole.differences.extend(part.differences);
        }
        Some(whole)
    }

    /// A piece in `full[window]`: exactly if it occurs there, else its best alignment.
    fn piece_in(
        &self,
        piece: &Piece,
        window: Range<usize>,
        last: bool,
        budget: &mut Budget,
    ) -> Option<Match> {
        let skel = self.skel_at(window.start)..self.skel_at(window.end);
        if let Some((s, e)) = self.exact_in(piece, skel.clone(), last, budget) {
            return Some(Match {
                start: self.skel_full[s] as usize,
                end: self.full_end(e),
                edits: 0,
                differences: Vec::new(),
            });
        }
        // Near its seeds in the window, else (a short piece, or none of its seeds there)
        // anywhere in a small window.
        let allowed = allowed_edits(piece.chars);
        let mut best: Option<Match> = None;
        for (lo, hi) in self.candidates(piece, allowed, Some(skel), budget) {
            let Some(m) = self.align_near(piece, lo, hi, allowed, budget) else {
                continue;
            };
            if best.as_ref().is_none_or(|b| m.edits < b.edits) {
                best = Some(m);
            }
            if best.as_ref().is_some_and(|b| b.edits <= allowed) {
                break;
            }
        }
        let cells = (piece.full.len() + 1).saturating_mul(window.len() + piece.full.len() + 1);
        if best.is_none() && cells <= SMALL_WINDOW_CELLS {
            let band = (-(piece.full.len() as isize), window.len() as isize);
            best = self.aligned(piece, window, band, last, budget);
        }
        let mut m = best?;
        self.to_word_bounds(piece, &mut m);
        Some(m)
    }
}

/// The length of the k-grams of [`Grams`].
const GRAM: usize = 12;

/// Every [`GRAM`]-byte k-gram of a text that starts on a character, by hash: buckets (by the
/// hash's high bits) of positions, each with the hash's low bits to tell k-grams apart
/// without reading the text.
struct Grams {
    bits: u32,
    /// Bucket `b` is `entries[offsets[b]..offsets[b + 1]]`.
    offsets: Vec<u32>,
    /// (position, low bits of the hash), by bucket, in text order within one.
    entries: Vec<(u32, u32)>,
}

impl Grams {
    fn new(text: &[u8]) -> Grams {
        let count = (text.len() + 1).saturating_sub(GRAM);
        let bits = (usize::BITS - count.leading_zeros()).clamp(4, 26);
        let mut offsets = vec![0u32; (1 << bits) + 1];
        let starts = || (0..count).filter(|&p| !is_continuation(text[p]));
        for p in starts() {
            offsets[(gram_hash(&text[p..p + GRAM]) >> (64 - bits)) as usize + 1] += 1;
        }
        for b in 1..offsets.len() {
            offsets[b] += offsets[b - 1];
        }
        let mut cursor = offsets.clone();
        let mut entries = vec![(0u32, 0u32); offsets[offsets.len() - 1] as usize];
        for p in starts() {
            let h = gram_hash(&text[p..p + GRAM]);
            let b = (h >> (64 - bits)) as usize;
            entries[cursor[b] as usize] = (p as u32, h as u32);
            cursor[b] += 1;
        }
        Grams {
            bits,
            offsets,
            entries,
        }
    }

    /// Puts the first positions of `gram` (up to [`SEED_CAP`]) in `out`; false when it occurs
    /// more often than that.
    fn find(&self, gram: &[u8], out: &mut Vec<u32>, budget: &mut Budget) -> bool {
        let h = gram_hash(gram);
        let b = (h >> (64 - self.bits)) as usize;
        let bucket = &self.entries[self.offsets[b] as usize..self.offsets[b + 1] as usize];
        for &(p, low) in bucket {
            if !budget.spend(1) {
                return false;
            }
            // The low bits tell k-grams apart (a collision of all 64 bits only adds a vote
            // that the alignment then discounts): no reading of the text.
            if low == h as u32 {
                if out.len() == SEED_CAP {
                    return false;
                }
                out.push(p);
            }
        }
        true
    }
}

/// A hash of [`GRAM`] bytes.
fn gram_hash(g: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    let mut b = [0u8; 4];
    a.copy_from_slice(&g[..8]);
    b.copy_from_slice(&g[8..GRAM]);
    let h = u64::from_le_bytes(a) ^ u64::from(u32::from_le_bytes(b)).rotate_left(29);
    let h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// Edits allowed in a quote of `chars` normalised characters.
fn allowed_edits(chars: usize) -> usize {
    (chars / CHARS_PER_EDIT).max(1)
}

/// A quote's (or piece's) best approximate match: a `full` range.
#[derive(Debug)]
struct Match {
    start: usize,
    end: usize,
    /// Character edits.
    edits: usize,
    /// What differs: (the quote's words, the source's), in order.
    differences: Vec<(String, String)>,
}

/// Work left for one quote.
struct Budget(usize);

impl Budget {
    /// Takes `cost`; false when less is left, and then nothing is left.
    fn spend(&mut self, cost: usize) -> bool {
        match self.0.checked_sub(cost) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => {
                self.0 = 0;
                false
            }
        }
    }

    fn exhausted(&self) -> bool {
        self.0 == 0
    }
}

// ------------------------------------------------------------------------- normalisation

/// Normalised text: `full` and, by byte, the original range it comes from.
struct Normalised {
    full: Vec<u8>,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

/// What a normalised character does.
enum Class {
    /// Part of a whitespace run; `newline` if it breaks the line.
    Space { newline: bool },
    /// A dash of any kind.
    Dash,
    /// A soft hyphen.
    Soft,
    /// Dropped: zero-width and control characters.
    Ignore,
    /// Compared: itself, or `'` for every quotation mark.
    Content(char),
}

/// What `c` (already NFKC) does in normalised text.
fn class(c: char) -> Class {
    match c {
        '\u{AD}' => Class::Soft,
        '-'
        | '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => Class::Dash,
        '\''
        | '"'
        | '`'
        | '\u{B4}'
        | '\u{AB}'
        | '\u{BB}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2032}'..='\u{2037}'
        | '\u{2039}'
        | '\u{203A}'
        | '\u{FF02}'
        | '\u{FF07}' => Class::Content('\''),
        '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
            Class::Space { newline: true }
        }
        c if c.is_whitespace() => Class::Space { newline: false },
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Class::Ignore,
        c if c.is_control() => Class::Ignore,
        c => Class::Content(c),
    }
}

/// A run of whitespace, dashes and soft hyphens between two characters.
#[derive(Default)]
struct Separator {
    start: u32,
    end: u32,
    space: bool,
    newline: bool,
    dashes: u32,
    space_before_dash: bool,
    newline_after_dash: bool,
    /// The run begins with a soft hyphen (right after a character).
    soft_first: bool,
}

/// Normalises a stream of characters, holding back the separator since the last character
/// until the next one shows what it is.
struct Normaliser {
    out: Normalised,
    /// Whether to keep the original ranges (a quote's are never needed).
    offsets: bool,
    separator: Option<Separator>,
    last: Option<char>,
}

impl Normaliser {
    fn separator(&mut self, start: u32, end: u32) -> &mut Separator {
        let s = self.separator.get_or_insert_with(|| Separator {
            start,
            ..Separator::default()
        });
        s.end = end;
        s
    }

    fn push(&mut self, bytes: &[u8], start: u32, end: u32) {
        self.out.full.extend_from_slice(bytes);
        if self.offsets {
            for _ in bytes {
                self.out.starts.push(start);
                self.out.ends.push(end);
            }
        }
    }

    fn feed(&mut self, c: char, start: u32, end: u32) {
        match class(c) {
            Class::Ignore => {}
            Class::Space { newline } => {
                let s = self.separator(start, end);
                s.space = true;
                s.newline |= newline;
                s.newline_after_dash |= newline && s.dashes > 0;
            }
            Class::Dash => {
                let s = self.separator(start, end);
                if s.dashes == 0 {
                    s.space_before_dash = s.space;
                }
                s.dashes += 1;
            }
            Class::Soft => {
                let fresh = self.separator.is_none();
                self.separator(start, end).soft_first |= fresh;
            }
            Class::Content(c) => self.content(c, start, end),
        }
    }

    fn content(&mut self, c: char, start: u32, end: u32) {
        let mut joined = true;
        if let Some(sep) = self.separator.take() {
            // A leading separator is dropped: nothing precedes it.
            if let Some(last) = self.last {
                let letters = last.is_alphabetic() && c.is_alphabetic();
                let unit = if sep.dashes > 0 {
                    let maybe = sep.dashes == 1
                        && !sep.space_before_dash
                        && sep.newline_after_dash
                        && letters;
                    Some(if maybe { OPTIONAL } else { DASH })
                } else if sep.soft_first && sep.newline && letters {
                    Some(OPTIONAL)
                } else if sep.space {
                    Some(b' ')
                } else {
                    None
                };
                if let Some(u) = unit {
                    self.push(&[u], sep.start, sep.end);
                    joined = false;
                }
            }
        }
        // A run of quotation marks (`''`, `”’`) is one mark.
        if c == '\'' && joined && self.last == Some('\'') {
            if let Some(e) = self.out.ends.last_mut() {
                *e = end;
            }
            return;
        }
        let mut buf = [0u8; 4];
        self.push(c.encode_utf8(&mut buf).as_bytes(), start, end);
        self.last = Some(c);
    }
}

/// Normalises `text` (see the module documentation), keeping each byte's original range
/// with `offsets`.
fn normalise(text: &str, offsets: bool) -> Normalised {
    let kept = if offsets { text.len() } else { 0 };
    let mut n = Normaliser {
        out: Normalised {
            full: Vec::with_capacity(text.len()),
            starts: Vec::with_capacity(kept),
            ends: Vec::with_capacity(kept),
        },
        offsets,
        separator: None,
        last: None,
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // A cluster: a character and the combining marks after it, normalised together.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_ascii() || canonical_combining_class(d) == 0 {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let (start, stop) = (i as u32, end as u32);
        if c.is_ascii() && end == i + 1 {
            n.feed(c, start, stop);
        } else {
            for d in text[i..end].nfkc() {
                n.feed(d, start, stop);
            }
        }
    }
    n.out
}

/// Whether dashes agree, the rest being equal: a dash matches a dash, an optional hyphen a
/// dash or nothing.
fn dashes_match(q: &[u8], s: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    loop {
        match (q.get(i), s.get(j)) {
            (None, None) => return true,
            (Some(&a), Some(&b))
                if a == b || (a == DASH && b == OPTIONAL) || (a == OPTIONAL && b == DASH) =>
            {
                i += 1;
                j += 1;
            }
            (_, Some(&OPTIONAL)) => j += 1,
            (Some(&OPTIONAL), _) => i += 1,
            _ => return false,
        }
    }
}

/// The first character of UTF-8 bytes, if they start with one.
fn first_char(b: &[u8]) -> Option<char> {
    let n = utf8_len(*b.first()?);
    std::str::from_utf8(b.get(..n)?).ok()?.chars().next()
}

/// The last character of UTF-8 bytes, if they end with one.
fn last_char(b: &[u8]) -> Option<char> {
    let start = b.iter().rposition(|&x| !is_continuation(x))?;
    std::str::from_utf8(&b[start..]).ok()?.chars().next()
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The length of the UTF-8 character starting with `b` (1 for a stray byte).
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The first character boundary of `s` at or after `i` (or `s.len()`).
fn next_boundary(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_continuation(s[i]) {
        i += 1;
    }
    i.min(s.len())
}

// ------------------------------------------------------------------------- quotes

/// A quote, or a piece of one between ellipses and insertions: normalised, trimmed.
#[derive(Clone, Debug)]
struct Piece {
    full: Vec<u8>,
    skel: Vec<u8>,
    chars: usize,
    dashes: bool,
    /// It follows an editorial mark after a space: it starts a word in the source too.
    word_start: bool,
    /// It precedes an editorial mark before a space: it ends a word in the source too.
    word_end: bool,
}

impl Piece {
    /// `full` trimmed of spaces and dashes at both ends; `None` when nothing is left. A
    /// space trimmed means the piece starts (or ends) a word.
    fn new(raw: &[u8]) -> Option<Piece> {
        let edge = |b: &u8| matches!(*b, b' ' | DASH | OPTIONAL);
        let start = raw.iter().position(|b| !edge(b))?;
        let end = raw.iter().rposition(|b| !edge(b))? + 1;
        let full = raw[start..end].to_vec();
        let skel: Vec<u8> = full
            .iter()
            .copied()
            .filter(|&b| b != DASH && b != OPTIONAL)
            .collect();
        Some(Piece {
            chars: skel.iter().filter(|&&b| !is_continuation(b)).count()
                + (full.len() - skel.len()),
            dashes: full.len() != skel.len(),
            word_start: raw[..start].contains(&b' '),
            word_end: raw[end..].contains(&b' '),
            full,
            skel,
        })
    }

    /// The skeleton, and with its first letter's case changed when that is one letter.
    fn variants(&self) -> Vec<Vec<u8>> {
        let mut out = vec![self.skel.clone()];
        let text = String::from_utf8_lossy(&self.skel);
        let Some(first) = text.chars().next() else {
            return out;
        };
        let mut other = if first.is_uppercase() {
            first.to_lowercase().collect::<Vec<char>>()
        } else if first.is_lowercase() {
            first.to_uppercase().collect::<Vec<char>>()
        } else {
            Vec::new()
        };
        if let [c] = other.as_mut_slice()
            && *c != first
            && text.len() == self.skel.len()
        {
            let mut v = c.to_string().into_bytes();
            v.extend_from_slice(&self.skel[first.len_utf8()..]);
            out.push(v);
        }
        out
    }
}

/// The pieces of a quote with editorial marks, and the gap allowed before each but the
/// first; `None` when it has none.
fn parse(full: &[u8]) -> Option<(Vec<Piece>, Vec<usize>)> {
    let mut pieces = Vec::new();
    let mut gaps = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut gap = 0usize;
    let mut marked = false;
    let mut flush = |current: &mut Vec<u8>, gap: &mut usize, pieces: &mut Vec<Piece>| {
        if let Some(p) = Piece::new(current) {
            if !pieces.is_empty() {
                gaps.push(*gap);
            }
            pieces.push(p);
            *gap = 0;
        }
        current.clear();
    };
    let mut i = 0;
    while i < full.len() {
        if let Some(len) = ellipsis_at(full, i) {
            flush(&mut current, &mut gap, &mut pieces);
            gap = gap.saturating_add(ELLIPSIS_GAP);
            marked = true;
            i += len;
            continue;
        }
        if full[i] == b'[' {
            let inner_end = full[i + 1..]
                .iter()
                .take(MAX_INSERTION + 1)
                .position(|&b| b == b']' || b == b'[')
                .map(|p| i + 1 + p)
                .filter(|&p| full[p] == b']');
            if let Some(close) = inner_end {
                let inner = String::from_utf8_lossy(&full[i + 1..close])
                    .trim()
                    .to_lowercase();
                marked = true;
                i = close + 1;
                if inner == "sic" || inner == "sic!" {
                    // Dropped: "recieve [sic] the" reads "recieve the".
                    if current.last() == Some(&b' ') && full.get(i) == Some(&b' ') {
                        i += 1;
                    }
                } else {
                    flush(&mut current, &mut gap, &mut pieces);
                    gap = gap.saturating_add(INSERTION_GAP);
                }
                continue;
            }
        }
        current.push(full[i]);
        i += 1;
    }
    flush(&mut current, &mut gap, &mut pieces);
    (marked && !pieces.is_empty()).then_some((pieces, gaps))
}

/// The length of an ellipsis at `i`: three or more dots, each optionally after one space,
/// optionally in brackets or parentheses.
fn ellipsis_at(full: &[u8], i: usize) -> Option<usize> {
    let dots = |mut j: usize| {
        let mut n = 0;
        let mut end = j;
        loop {
            if full.get(j) == Some(&b'.') {
                n += 1;
                j += 1;
                end = j;
            } else if n > 0 && full.get(j) == Some(&b' ') && full.get(j + 1) == Some(&b'.') {
                j += 1;
            } else {
                break;
            }
        }
        (n >= 3).then_some(end)
    };
    let close = match full.get(i) {
        Some(b'[') => Some(b']'),
        Some(b'(') => Some(b')'),
        _ => None,
    };
    if let Some(close) = close {
        let mut j = i + 1;
        if full.get(j) == Some(&b' ') {
            j += 1;
        }
        let mut end = dots(j)?;
        if full.get(end) == Some(&b' ') {
            end += 1;
        }
        return (full.get(end) == Some(&close)).then_some(end + 1 - i);
    }
    if full.get(i) == Some(&b'.') {
        return dots(i).map(|end| end - i);
    }
    None
}

// ------------------------------------------------------------------------- alignment

/// An alignment of a quote in a window: where it starts and ends there, and how.
struct Alignment {
    start: usize,
    end: usize,
    ops: Vec<Op>,
}

/// One step of an alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// A quote byte against a source byte, equal (`cost` 0) or not.
    Pair { cost: u8 },
    /// A quote byte the source lacks.
    Quote { cost: u8 },
    /// A source byte the quote lacks.
    Source { cost: u8 },
}

const START: u8 = 0;
const DIAG: u8 = 1;
const UP: u8 = 2;
const LEFT: u8 = 3;

/// The cost of a quote byte against a source byte.
fn substitution(q: u8, s: u8, first: bool) -> u32 {
    let same = q == s
        || (q == DASH && s == OPTIONAL)
        || (q == OPTIONAL && s == DASH)
        || (first && q.is_ascii_alphabetic() && q.eq_ignore_ascii_case(&s));
    u32::from(!same)
}

/// Semi-global edit distance of `q` in `s` (free start and end in `s`) over the diagonals
/// `band.0..=band.1` (`j - i`), with a traceback; the earliest end among equals, or with
/// `late`, the latest. `None` when the band is empty or the budget short.
fn align(
    q: &[u8],
    s: &[u8],
    band: (isize, isize),
    late: bool,
    budget: &mut Budget,
) -> Option<Alignment> {
    let m = q.len();
    let w = s.len() as isize;
    let dmin = band.0.max(-(m as isize));
    let dmax = band.1.min(w);
    if dmin > dmax {
        return None;
    }
    let width = (dmax - dmin + 1) as usize;
    let cells = (m + 1).checked_mul(width)?;
    if cells > MAX_CELLS || !budget.spend(cells) {
        return None;
    }
    const INF: u32 = u32::MAX / 2;
    // Rows of costs by diagonal, shifted by one: `row[k + 1]` is diagonal `dmin + k`, with a
    // sentinel at each end instead of bounds checks.
    let mut prev = vec![INF; width + 2];
    let mut cur = vec![INF; width + 2];
    let mut dirs = vec![START; cells];
    for k in 0..width {
        if (0..=w).contains(&(dmin + k as isize)) {
            prev[k + 1] = 0;
        }
    }
    for i in 1..=m {
        let qb = q[i - 1];
        let first = i == 1;
        let up_cost = u32::from(qb != OPTIONAL);
        let base = i as isize + dmin;
        let row = &mut dirs[i * width..(i + 1) * width];
        cur.fill(INF);
        // The diagonals whose column `j = base + k` is in `0..=w`.
        let k_lo = (-base).max(0) as usize;
        let k_hi = (w - base).min(width as isize - 1);
        for k in k_lo..(k_hi + 1).max(0) as usize {
            let j = (base + k as isize) as usize;
            let (mut best, mut dir) = (prev[k + 2] + up_cost, UP);
            if j >= 1 {
                let sb = s[j - 1];
                let diag = prev[k + 1] + substitution(qb, sb, first);
                if diag <= best {
                    (best, dir) = (diag, DIAG);
                }
                let left = cur[k] + u32::from(sb != OPTIONAL);
                if left < best {
                    (best, dir) = (left, LEFT);
                }
            }
            cur[k + 1] = best;
            row[k] = dir;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut end_k = None;
    for k in 0..width {
        let c = prev[k + 1];
        if c >= INF {
            continue;
        }
        let better = match end_k {
            None => true,
            Some(b) => c < prev[b + 1] || (late && c == prev[b + 1]),
        };
        if better {
            end_k = Some(k);
        }
    }
    let mut k = end_k?;
    let end = (m as isize + dmin + k as isize) as usize;
    let mut ops = Vec::with_capacity(m + 8);
    let mut i = m;
    while i > 0 {
        let j = i as isize + dmin + k as isize;
        match dirs[i * width + k] {
            DIAG => {
                let cost = substitution(q[i - 1], s[j as usize - 1], i == 1) as u8;
                ops.push(Op::Pair { cost });
                i -= 1;
            }
            UP => {
                ops.push(Op::Quote {
                    cost: u8::from(q[i - 1] != OPTIONAL),
                });
                i -= 1;
                k += 1;
            }
            LEFT => {
                ops.push(Op::Source {
                    cost: u8::from(s[j as usize - 1] != OPTIONAL),
                });
                k -= 1;
            }
            _ => return None,
        }
    }
    ops.reverse();
    let start = (dmin + k as isize) as usize;
    Some(Alignment { start, end, ops })
}

/// A step of an alignment as shown: the quote's byte, the source's, and whether it is an
/// edit.
type Step = (Option<u8>, Option<u8>, bool);

/// The character edits of an alignment and the differing words, each side expanded to
/// whole words.
fn differences(q: &[u8], s: &[u8], a: &Alignment) -> (usize, Vec<(String, String)>) {
    // Each step with the quote's and the source's byte (as rendered) and its cost.
    let mut steps: Vec<Step> = Vec::with_capacity(a.ops.len());
    let (mut i, mut j) = (0, a.start);
    for op in &a.ops {
        match *op {
            Op::Pair { cost } => {
                let (x, y) = (q[i], s[j]);
                let dash = |b: u8| if b == OPTIONAL { DASH } else { b };
                steps.push((Some(dash(x)), Some(dash(y)), cost > 0));
                i += 1;
                j += 1;
            }
            Op::Quote { cost } => {
                steps.push(((cost > 0).then_some(q[i]), None, cost > 0));
                i += 1;
            }
            Op::Source { cost } => {
                steps.push((None, (cost > 0).then_some(s[j]), cost > 0));
                j += 1;
            }
        }
    }
    let is_break = |t: usize| matches!(steps[t], (Some(b' '), Some(b' '), false));
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for t in 0..steps.len() {
        if !steps[t].2 || groups.last().is_some_and(|&(_, r)| t <= r) {
            continue;
        }
        let mut l = t;
        while l > 0 && !is_break(l - 1) {
            l -= 1;
        }
        let mut r = t;
        while r + 1 < steps.len() && !is_break(r + 1) {
            r += 1;
        }
        groups.push((l, r));
    }
    let first_quote_byte = steps.iter().position(|s| s.0.is_some());
    let mut edits = 0;
    let mut out = Vec::new();
    for (l, r) in groups {
        let side = |pick: fn(&Step) -> Option<u8>| {
            let bytes: Vec<u8> = steps[l..=r].iter().filter_map(pick).collect();
            String::from_utf8_lossy(&bytes).trim().to_owned()
        };
        let (mut x, mut y) = (side(|s| s.0), side(|s| s.1));
        let quote_start = first_quote_byte.is_none_or(|f| f >= l);
        let n = if quote_start {
            strsim::levenshtein(&first_lower(&x), &first_lower(&y))
        } else {
            strsim::levenshtein(&x, &y)
        };
        if n == 0 {
            continue;
        }
        edits += n;
        shorten(&mut x);
        shorten(&mut y);
        out.push((x, y));
    }
    (edits, out)
}

/// `s` with its first character in lower case.
fn first_lower(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `s` cut to [`SHOWN`] characters.
fn shorten(s: &mut String) {
    if let Some((i, _)) = s.char_indices().nth(SHOWN) {
        s.truncate(i);
        s.push('…');
    }
}

/// The differences for people: the first few, and how many more.
fn describe(differences: &[(String, String)]) -> String {
    let mut parts: Vec<String> = differences
        .iter()
        .take(LISTED)
        .map(|(q, s)| match (q.is_empty(), s.is_empty()) {
            (true, _) => format!("the source adds '{s}'"),
            (_, true) => format!("the quote adds '{q}'"),
            _ => format!("the quote has '{q}', the source '{s}'"),
        })
        .collect();
    if differences.len() > LISTED {
        parts.push(format!("and {} more", differences.len() - LISTED));
    }
    parts.join("; ")
}

// ------------------------------------------------------------------------- suffix array

/// The suffix array of `text` (SA-IS, linear time).
fn suffix_array(text: &[u8]) -> Vec<u32> {
    let s: Vec<u32> = text.iter().map(|&b| u32::from(b)).collect();
    sa_is(&s, 255)
}

/// SA-IS (Nong, Zhang and Chan), after the AtCoder Library's: `s` over `0..=upper`.
fn sa_is(s: &[u32], upper: usize) -> Vec<u32> {
    let n = s.len();
    if n < 16 {
        let mut sa: Vec<u32> = (0..n as u32).collect();
        sa.sort_by(|&a, &b| s[a as usize..].cmp(&s[b as usize..]));
        return sa;
    }
    const NONE: u32 = u32::MAX;
    let mut ls = vec![false; n];
    for i in (0..n - 1).rev() {
        ls[i] = if s[i] == s[i + 1] {
            ls[i + 1]
        } else {
            s[i] < s[i + 1]
        };
    }
    let mut sum_l = vec![0usize; upper + 2];
    let mut sum_s = vec![0usize; upper + 2];
    for i in 0..n {
        if ls[i] {
            sum_l[s[i] as usize + 1] += 1;
        } else {
            sum_s[s[i] as usize] += 1;
        }
    }
    for i in 0..=upper {
        sum_s[i] += sum_l[i];
        sum_l[i + 1] += sum_s[i];
    }
    let mut sa = vec![NONE; n];
    let induce = |sa: &mut Vec<u32>, lms: &[u32]| {
        sa.fill(NONE);
        let mut buf = sum_s.clone();
        for &d in lms {
            if d as usize == n {
                continue;
            }
            let c = s[d as usize] as usize;
            sa[buf[c]] = d;
            buf[c] += 1;
        }
        buf.copy_from_slice(&sum_l);
        let c = s[n - 1] as usize;
        sa[buf[c]] = (n - 1) as u32;
        buf[c] += 1;
        for i in 0..n {
            let v = sa[i];
            if v != NONE && v >= 1 && !ls[v as usize - 1] {
                let c = s[v as usize - 1] as usize;
                sa[buf[c]] = v - 1;
                buf[c] += 1;
            }
        }
        buf.copy_from_slice(&sum_l);
        for i in (0..n).rev() {
            let v = sa[i];
            if v != NONE && v >= 1 && ls[v as usize - 1] {
                let c = s[v as usize - 1] as usize + 1;
                buf[c] -= 1;
                sa[buf[c]] = v - 1;
            }
        }
    };
    let mut lms_map = vec![NONE; n + 1];
    let mut lms: Vec<u32> = Vec::new();
    for i in 1..n {
        if !ls[i - 1] && ls[i] {
            lms_map[i] = lms.len() as u32;
            lms.push(i as u32);
        }
    }
    induce(&mut sa, &lms);
    let m = lms.len();
    if m > 0 {
        let mut sorted: Vec<u32> = sa
            .iter()
            .copied()
            .filter(|&v| v != NONE && lms_map[v as usize] != NONE)
            .collect();
        let mut rec = vec![0u32; m];
        let mut upper = 0usize;
        rec[lms_map[sorted[0] as usize] as usize] = 0;
        for i in 1..m {
            let (mut l, mut r) = (sorted[i - 1] as usize, sorted[i] as usize);
            let next = |x: usize| {
                let k = lms_map[x] as usize + 1;
                if k < m { lms[k] as usize } else { n }
            };
            let (end_l, end_r) = (next(l), next(r));
            let mut same = end_l - l == end_r - r;
            if same {
                while l < end_l && s[l] == s[r] {
                    l += 1;
                    r += 1;
                }
                if l == n || r == n || s[l] != s[r] {
                    same = false;
                }
            }
            if !same {
                upper += 1;
            }
            rec[lms_map[sorted[i] as usize] as usize] = upper as u32;
        }
        let rec_sa = sa_is(&rec, upper);
        for (slot, &r) in sorted.iter_mut().zip(&rec_sa) {
            *slot = lms[r as usize];
        }
        induce(&mut sa, &sorted);
    }
    sa
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdict for `quote` in `source`, with the exact passage's original text.
    fn exact(source: &str, quote: &str) -> Option<String> {
        match SourceText::new(source).find(quote) {
            Verdict::Exact { range } => Some(source[range].to_owned()),
            _ => None,
        }
    }

    #[track_caller]
    fn assert_exact(source: &str, quote: &str, passage: &str) {
        let v = SourceText::new(source).find(quote);
        match &v {
            Verdict::Exact { range } => assert_eq!(&source[range.clone()], passage, "{quote:?}"),
            _ => panic!("{quote:?} in {source:?}: {v:?}"),
        }
    }

    #[track_caller]
    fn assert_not_exact(source: &str, quote: &str) {
        let v = SourceText::new(source).find(quote);
        assert!(
            !matches!(v, Verdict::Exact { .. }),
            "{quote:?} in {source:?}: {v:?}"
        );
    }

    #[test]
    fn unicode_is_compared_after_nfkc() {
        // A ligature, full-width letters, a no-break space, a decomposed accent.
        let source = "the \u{FB01}nancial crisis in Ｍoscow and\u{A0}the cafe\u{301} closed";
        assert_exact(source, "the financial crisis", "the \u{FB01}nancial crisis");
        assert_exact(
            source,
            "in Moscow and the café",
            "in Ｍoscow and\u{A0}the cafe\u{301}",
        );
        assert_exact(
            "the café closed",
            "the cafe\u{301} closed",
            "the café closed",
        );
    }

    #[test]
    fn quotation_marks_are_one_mark() {
        let source =
            "established to fight \u{201C}three evils\u{201D}: terrorism, Russia\u{2019}s stance";
        assert_exact(
            source,
            "fight \"three evils\": terrorism",
            "fight \u{201C}three evils\u{201D}: terrorism",
        );
        assert_exact(
            source,
            "fight 'three evils'",
            "fight \u{201C}three evils\u{201D}",
        );
        assert_exact(source, "Russia's stance", "Russia\u{2019}s stance");
        // A run of marks (nested quotes, LaTeX ``...'') is one mark.
        assert_exact(
            "he said ``the SCO''.",
            "said \"the SCO\".",
            "said ``the SCO''.",
        );
    }

    #[test]
    fn dashes_and_the_spaces_around_them_are_one_dash() {
        let source = "relations between Russia\u{2013}China and the point of contention \u{2013} development";
        assert_exact(source, "Russia-China and", "Russia\u{2013}China and");
        assert_exact(source, "Russia \u{2014} China", "Russia\u{2013}China");
        assert_exact(
            source,
            "contention - development",
            "contention \u{2013} development",
        );
        assert_exact(
            source,
            "contention--development",
            "contention \u{2013} development",
        );
        // A dash is not nothing, nor a space.
        assert_not_exact(source, "RussiaChina and");
        assert_not_exact(source, "contention development");
    }

    #[test]
    fn whitespace_runs_are_one_space() {
        let source =
            "The Shanghai   Cooperation\nOrganization (SCO) was\r\n\r\n  established\tin 2001.";
        assert_exact(
            source,
            "Shanghai Cooperation Organization (SCO) was established in 2001.",
            "Shanghai   Cooperation\nOrganization (SCO) was\r\n\r\n  established\tin 2001.",
        );
        assert_exact(
            source,
            "  Shanghai\n Cooperation  ",
            "Shanghai   Cooperation",
        );
        assert_not_exact(source, "ShanghaiCooperation");
    }

    #[test]
    fn soft_hyphens_are_dropped() {
        let source = "economic coop\u{AD}eration and co\u{AD}\noperation";
        assert_exact(source, "economic cooperation", "economic coop\u{AD}eration");
        assert_exact(source, "and cooperation", "and co\u{AD}\noperation");
    }

    #[test]
    fn a_hyphen_at_a_line_end_may_be_real_or_not() {
        let source =
            "on the Russian-\nChinese border and economic co-\r\noperation, a\nwell-known fact";
        for q in [
            "Russian-Chinese border",
            "RussianChinese border",
            "Russian\u{2013}Chinese border",
        ] {
            assert_exact(source, q, "Russian-\nChinese border");
        }
        for q in ["economic cooperation", "economic co-operation"] {
            assert_exact(source, q, "economic co-\r\noperation");
        }
        // The bundled quotes: a blank line after the hyphen (a page or column break).
        assert_exact(
            "These articles discuss Russian-\n\nChinese relations",
            "discuss Russian-Chinese relations",
            "discuss Russian-\n\nChinese relations",
        );
        // Mid-line, the hyphen is real: dropping it is an edit.
        assert_not_exact(source, "a wellknown fact");
        // A spaced dash at a line end is a dash.
        assert_not_exact("the point -\ndevelopment", "the pointdevelopment");
        assert_exact(
            "the point -\ndevelopment",
            "the point - development",
            "the point -\ndevelopment",
        );
    }

    #[test]
    fn an_ellipsis_splits_a_quote_into_pieces_in_order() {
        let source = "The organization proved to be a successful initiative. It aided China \
                      to fight extremist groups in the western parts of the country.";
        let whole = "organization proved to be a successful initiative. It aided China to fight \
                     extremist groups";
        for q in [
            "organization proved ... extremist groups",
            "organization proved \u{2026} extremist groups",
            "organization proved [...] extremist groups",
            "organization proved [\u{2026}] extremist groups",
            "organization proved (...) extremist groups",
            "organization proved . . . extremist groups",
            "organization proved...extremist groups",
        ] {
            assert_exact(source, q, whole);
        }
        // A quote may start or end with one, and a piece may start a sentence anew.
        assert_exact(
            source,
            "... a successful initiative ...",
            "a successful initiative",
        );
        assert_exact(
            source,
            "The organization ... It aided China",
            "The organization proved to be a successful initiative. It aided China",
        );
        // Out of order, or a piece that is not there: not exact.
        assert_not_exact(source, "extremist groups ... organization proved");
        assert_not_exact(source, "organization proved ... extremist parties");
        // Too far apart.
        let far = format!("alpha beta {} gamma delta", "filler words ".repeat(1000));
        assert!(exact(&far, "alpha beta ... gamma delta").is_none());
        let near = format!("alpha beta {} gamma delta", "filler words ".repeat(100));
        assert!(exact(&near, "alpha beta ... gamma delta").is_some());
        // A source's own ellipsis is quoted literally.
        assert_exact("and so on... until", "so on... until", "so on... until");
    }

    #[test]
    fn a_typo_in_any_piece_of_an_ellipsis_quote_is_inexact() {
        let filler: String = (0..300).map(|i| format!("filler{i} ")).collect();
        let source = format!(
            "The organization proved to be a successful initiative. {filler}It aided China \
             to fight extremist groups in the western parts of the country."
        );
        let text = SourceText::new(&source);
        for (quote, said) in [
            (
                "The organization proved to be a successful initiative ... it aided China to \
                 fight extremist grups in the western parts",
                "the quote has 'grups', the source 'groups'",
            ),
            (
                "The organization proved to be a sucessful initiative ... it aided China to \
                 fight extremist groups in the western parts",
                "the quote has 'sucessful', the source 'successful'",
            ),
        ] {
            let v = text.find(quote);
            let Verdict::Inexact {
                range, differences, ..
            } = &v
            else {
                panic!("{v:?}")
            };
            assert_eq!(differences, said);
            assert!(
                source[range.clone()].starts_with("The organization"),
                "{v:?}"
            );
            assert!(source[range.clone()].ends_with("western parts"), "{v:?}");
        }
    }

    #[test]
    fn a_bracketed_insertion_stands_for_a_few_words() {
        let source = "Since it was founded, it has fought terrorism. The text was recieve the.";
        assert_exact(
            source,
            "since [the SCO] was founded",
            "Since it was founded",
        );
        assert_exact(
            source,
            "[I]t has fought terrorism",
            "t has fought terrorism",
        );
        assert_exact(
            source,
            "it has fought [emphasis added] terrorism",
            "it has fought terrorism",
        );
        assert_exact(source, "was recieve [sic] the", "was recieve the");
        assert_exact(source, "was recieve [sic!] the", "was recieve the");
        // An insertion stands for a few words, not a paragraph.
        let far = format!("since {} was founded", "many words ".repeat(20));
        assert!(exact(&far, "since [the SCO] was founded").is_none());
        // A bracket of the source is quoted literally.
        assert_exact(
            "Yun and Park (2012) [1] discussed",
            "Park (2012) [1] discussed",
            "Park (2012) [1] discussed",
        );
    }

    #[test]
    fn a_mark_after_a_space_stands_for_whole_words() {
        let source = "tension between Eurasian [1] terrorism and Russia";
        let v = SourceText::new(source).find("between Eurasia [1] terrorism");
        let Verdict::Inexact {
            edits, differences, ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!((edits, differences.as_str()), (1, "the source adds 'n'"));
        assert_not_exact(source, "between Eurasia ... and Russia");
        assert_exact(
            source,
            "between Eurasian ... and Russia",
            "between Eurasian [1] terrorism and Russia",
        );
        // Attached to a word, a mark stands for part of it.
        assert_exact(
            source,
            "between Eurasia[n] terrorism",
            "between Eurasian [1] terrorism",
        );
    }

    #[test]
    fn only_the_first_letter_may_change_case() {
        let source = "the organization proved to be a successful initiative";
        assert_exact(source, "The organization proved", "the organization proved");
        assert_exact("Émile said so", "émile said", "Émile said");
        assert_exact(
            "He said so. The end",
            "he said so ... the end",
            "He said so. The end",
        );
        assert_not_exact(source, "tHe organization proved");
        assert_not_exact(source, "the Organization proved");
        assert_not_exact(source, "THE ORGANIZATION PROVED");
    }

    #[test]
    fn ranges_are_original_bytes_on_character_boundaries() {
        let source = "Ünïcödé — “quoted” text ﬁnds the ﬁsh.";
        let text = SourceText::new(source);
        let Verdict::Exact { range } = text.find("\"quoted\" text finds the fi") else {
            panic!()
        };
        assert_eq!(&source[range], "“quoted” text ﬁnds the ﬁ");
        let Verdict::Exact { range } = text.find("Ünïcödé - \"quoted\"") else {
            panic!()
        };
        assert_eq!(range, 0..source.find('”').unwrap() + '”'.len_utf8());
    }

    #[test]
    fn an_edit_or_two_is_inexact_and_said() {
        let source = "Both countries will intensify their efforts to strengthen the political \
                      influence of the SCO in Central Asia.";
        let text = SourceText::new(source);
        let v = text
            .find("will intensify their efforts to strenghten the political influence of the SCO");
        let Verdict::Inexact {
            range,
            edits,
            differences,
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(
            &source[range],
            "will intensify their efforts to strengthen the political influence of the SCO"
        );
        assert_eq!(edits, 2);
        assert_eq!(
            differences,
            "the quote has 'strenghten', the source 'strengthen'"
        );

        // A dropped word: six edits, within 5% of a quote of 120 characters or more.
        let long = "For years to come, both countries will intensify their efforts to strengthen \
                    the political influence of the SCO in Central Asia and beyond it.";
        let v = SourceText::new(long).find(
            "For years to come, both countries will intensify efforts to strengthen the \
             political influence of the SCO in Central Asia and beyond it.",
        );
        let Verdict::Inexact {
            edits, differences, ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(edits, 6);
        assert_eq!(
            differences,
            "the quote has 'intensify', the source 'intensify their'"
        );
        // In a shorter quote, the same is too much.
        let v = text.find(
            "countries will intensify efforts to strengthen the political influence of the SCO",
        );
        assert!(matches!(v, Verdict::Missing { nearest: Some(_) }), "{v:?}");

        // A dropped mid-line hyphen is one edit.
        let v = SourceText::new("a well-established regional organization of states")
            .find("a wellestablished regional organization of states");
        let Verdict::Inexact {
            edits, differences, ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(
            (edits, differences.as_str()),
            (
                1,
                "the quote has 'wellestablished', the source 'well-established'"
            )
        );
        // A case change inside is an edit.
        let v = text.find("Will Intensify their efforts to strengthen the political influence");
        assert!(matches!(v, Verdict::Inexact { edits: 1, .. }), "{v:?}");
    }

    #[test]
    fn many_differences_are_counted_and_a_few_listed() {
        let source = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima \
                      mike november oscar papa quebec romeo sierra tango uniform victor whiskey";
        let v = SourceText::new(source).find(
            "alpha brav0 charlie delta ech0 foxtrot golf hotel india juliet kil0 lima mike \
             november 0scar papa quebec romeo sierra tango uniform victor whiskey",
        );
        let Verdict::Inexact {
            edits, differences, ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(edits, 4);
        assert_eq!(
            differences,
            "the quote has 'brav0', the source 'bravo'; the quote has 'ech0', the source 'echo'; \
             the quote has 'kil0', the source 'kilo'; and 1 more"
        );
    }

    #[test]
    fn a_quote_too_far_from_the_source_is_missing_with_its_nearest_passage() {
        let source = "Before it. The Shanghai Cooperation Organization was established with the aim \
                      to fight against three evils: terrorism, separatism and extremism. After it.";
        let text = SourceText::new(source);
        let v = text.find(
            "The Shanghai Cooperation Organisation was founded with the goal to fight three evils",
        );
        let Verdict::Missing {
            nearest: Some(range),
        } = v
        else {
            panic!("{v:?}")
        };
        assert!(source[range].starts_with("The Shanghai Cooperation Organization was established"));
        assert_eq!(
            text.find("Nothing like this sentence appears in that text at all."),
            Verdict::Missing { nearest: None }
        );
    }

    #[test]
    fn odd_inputs_never_panic() {
        let sources = [
            String::new(),
            " ".into(),
            "-".into(),
            "a".into(),
            "\u{301}\u{301}é".into(),
            "ab".repeat(5000),
            "\u{AD}\u{200B}--  \n- x".into(),
            "日本語のテキスト、ﬁ、Ⅻ、㍿".into(),
        ];
        let quotes = [
            String::new(),
            " \n ".into(),
            "...".into(),
            "[...]".into(),
            "[sic]".into(),
            "[".into(),
            "]".into(),
            "[ab".into(),
            "-".into(),
            "a".into(),
            "\u{301}".into(),
            "é".into(),
            "ab".repeat(3000),
            "ba".repeat(40) + "x" + &"ab".repeat(40),
            "x".repeat(100_000),
            "テキスト".into(),
            "ﬁ ... Ⅻ".into(),
            "[x] [y] ... [z] ... ".repeat(50),
        ];
        for s in &sources {
            let text = SourceText::new(s);
            for q in &quotes {
                if let Some(r) = text.find(q).range() {
                    assert!(
                        s.is_char_boundary(r.start)
                            && s.is_char_boundary(r.end)
                            && r.start <= r.end
                    );
                }
            }
        }
        // The empty quote quotes nothing.
        assert_eq!(
            SourceText::new("text").find(""),
            Verdict::Missing { nearest: None }
        );
    }

    #[test]
    fn a_repetitive_source_and_long_quotes_stay_bounded() {
        let source = "abc ".repeat(50_000);
        let text = SourceText::new(&source);
        let v = text.find(&"abc ".repeat(2_000));
        assert_eq!(v.range().map(|r| r.len()), Some(4 * 2_000 - 1));
        let mut q = "abc ".repeat(1_000);
        q.push_str("abd ");
        q.push_str(&"abc ".repeat(1_000));
        assert!(!matches!(text.find(&q), Verdict::Exact { .. }));
        let q = format!("{} ... {}", "abc ".repeat(300), "abc ".repeat(300));
        assert!(matches!(text.find(&q), Verdict::Exact { .. }));
    }

    /// Every seed of the quote is too common to vote: the rarest is used all the same.
    #[test]
    fn an_edited_quote_is_found_in_a_repetitive_source() {
        let source = "the ".repeat(200);
        let v = SourceText::new(&source).find("the the the athe the the the the the the the the");
        assert!(matches!(v, Verdict::Inexact { edits: 1, .. }), "{v:?}");
    }

    #[test]
    fn the_suffix_array_is_sorted() {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            let n = (next() % 400) as usize;
            let alphabet = 1 + (round % 5) as u64 * (round % 3) as u64;
            let text: Vec<u8> = (0..n)
                .map(|_| b'a' + (next() % alphabet.max(1)) as u8)
                .collect();
            let mut naive: Vec<u32> = (0..n as u32).collect();
            naive.sort_by(|&a, &b| text[a as usize..].cmp(&text[b as usize..]));
            assert_eq!(
                suffix_array(&text),
                naive,
                "{}",
                String::from_utf8_lossy(&text)
            );
        }
        let periodic = "abaababaabaab".repeat(100);
        let mut naive: Vec<u32> = (0..periodic.len() as u32).collect();
        naive.sort_by(|&a, &b| {
            periodic.as_bytes()[a as usize..].cmp(&periodic.as_bytes()[b as usize..])
        });
        assert_eq!(suffix_array(periodic.as_bytes()), naive);
    }

    /// Where the seeds are: `../shared/seeds/` beside the repository, or ARGMAP_SHARED's.
    fn seed(name: &str) -> String {
        let shared = std::env::var("ARGMAP_SHARED")
            .unwrap_or_else(|_| format!("{}/../shared", env!("CARGO_MANIFEST_DIR")));
        let path = format!("{shared}/seeds/{name}");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn every_bundled_quote_is_exact_in_its_paper() {
        for (map, paper) in [
            ("russia-sco.yaml", "000_653e190e66ad8d7b.txt"),
            ("china-sco.yaml", "002_bd8305a91d38ae0c.txt"),
        ] {
            let path = format!("{}/arguments/{map}", env!("CARGO_MANIFEST_DIR"));
            let yaml = std::fs::read_to_string(&path).unwrap();
            let doc: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
            let text = SourceText::new(&seed(paper));
            let quotes: Vec<&str> = doc["claims"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c["quote"].as_str())
                .collect();
            assert!(quotes.len() > 50, "{map}: {} quotes", quotes.len());
            for q in quotes {
                let v = text.find(q);
                assert!(matches!(v, Verdict::Exact { .. }), "{map}: {q:?}: {v:?}");
            }
        }
    }
}
