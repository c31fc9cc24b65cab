//! The cost of checking quotes (`argmap::quote`): a generated paper of about 1 MB, laid out
//! as a PDF's text extraction is (hard line breaks, hyphenated line ends, typographic marks),
//! and 10,000 quotes: most passages of it, some with a few letters edited, some made of its
//! words in no order it has. Times `SourceText::new` and every `find`, on rayon's threads
//! and on one, and counts the verdicts by kind of quote.
//!
//! usage: cargo run --release --example quotes [-- BYTES QUOTES]

use std::time::Instant;

use argmap::quote::{SourceText, Verdict};
use rayon::prelude::*;

/// xorshift64*: deterministic, so every run checks the same text and quotes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const COMMON: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "as", "with", "by", "its",
    "was", "it", "this", "an", "be", "are", "from", "has", "have", "not", "which", "their",
];
const SYLLABLES: &[&str] = &[
    "ra", "co", "op", "er", "a", "tion", "se", "cu", "ri", "ty", "po", "li", "cy", "in", "ter",
    "na", "al", "de", "vel", "ment", "eco", "no", "mic", "re", "gion", "stra", "te", "gy", "ex",
    "pan", "sion", "mem", "ber", "ship", "ca", "pa", "ci", "dia", "lo", "gue", "for", "um", "ö",
];

/// A vocabulary of made-up words, a few thousand as a paper has.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    (0..4000)
        .map(|_| {
            let n = 1 + rng.below(4);
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

/// A word: a common one half the time, else a rarer one (a skewed pick).
fn word<'a>(rng: &mut Rng, vocab: &'a [String]) -> &'a str {
    if rng.below(2) == 0 {
        COMMON[rng.below(COMMON.len())]
    } else {
        let r = rng.below(vocab.len());
        &vocab[rng.below(r + 1)]
    }
}

/// About `size` bytes of prose, and the byte offset of every word start.
fn paper(rng: &mut Rng, vocab: &[String], size: usize) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(size + 100);
    let mut starts = Vec::new();
    let mut line = 0;
    let mut capital = true;
    while text.len() < size {
        let w = word(rng, vocab);
        starts.push(text.len());
        let w = if capital {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            w.to_owned()
        };
        capital = false;
        match rng.below(40) {
            0 => text.push_str(&format!("“{w}”")),
            1 => text.push_str(&format!("{w} –")),
            _ => text.push_str(&w),
        }
        line += w.len() + 1;
        match rng.below(20) {
            0 => text.push(','),
            1 => {
                text.push('.');
                capital = true;
            }
            _ => {}
        }
        if line > 85 {
            line = 0;
            // A line break, now and then in the middle of a hyphenated word.
            if rng.below(8) == 0 {
                let v = word(rng, vocab);
                starts.push(text.len() + 1);
                if v.len() > 4 && v.is_char_boundary(2) {
                    text.push_str(&format!(" {}-\n{}", &v[..2], &v[2..]));
                } else {
                    text.push_str(&format!(" {v}\n"));
                }
            }
            text.push_str(if rng.below(30) == 0 { "\n\n" } else { "\n" });
        } else {
            text.push(' ');
        }
    }
    (text, starts)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Passage,
    Edited,
    Absent,
}

/// A passage of the paper from a word start, of 60 to 400 bytes, ending at a word end.
fn passage(rng: &mut Rng, text: &str, starts: &[usize]) -> String {
    let i = rng.below(starts.len() - 100);
    let start = starts[i];
    let want = start + 60 + rng.below(340);
    let end = starts[i..]
        .iter()
        .copied()
        .find(|&s| s >= want)
        .unwrap_or(text.len());
    text[start..end].trim_end().to_owned()
}

fn quotes(
    rng: &mut Rng,
    text: &str,
    starts: &[usize],
    vocab: &[String],
    n: usize,
) -> Vec<(Kind, String)> {
    (0..n)
        .map(|_| match rng.below(10) {
            0 => {
                // One or two letters changed, well inside: at most 2% of the quote.
                let mut q: Vec<char> = passage(rng, text, starts).chars().collect();
                for _ in 0..1 + rng.below(2) {
                    let k = q.len() / 4 + rng.below(q.len() / 2);
                    if let Some(c) = q[k..].iter_mut().find(|c| c.is_ascii_lowercase()) {
                        *c = if *c == 'z' {
                            'a'
                        } else {
                            (*c as u8 + 1) as char
                        };
                    }
                }
                (Kind::Edited, q.into_iter().collect())
            }
            1 => {
                let words: Vec<&str> = (0..10 + rng.below(30)).map(|_| word(rng, vocab)).collect();
                (Kind::Absent, words.join(" "))
            }
            _ => (Kind::Passage, passage(rng, text, starts)),
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1 << 20);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocab = vocabulary(&mut rng);
    let (text, starts) = paper(&mut rng, &vocab, size);
    let quotes = quotes(&mut rng, &text, &starts, &vocab, count);

    let t0 = Instant::now();
    let source = SourceText::new(&text);
    let built = t0.elapsed();
    let t1 = Instant::now();
    let verdicts: Vec<Verdict> = quotes.par_iter().map(|(_, q)| source.find(q)).collect();
    let parallel = t1.elapsed();
    let mut by_kind = [std::time::Duration::ZERO; 3];
    let t2 = Instant::now();
    let sequential: Vec<Verdict> = quotes
        .iter()
        .map(|(kind, q)| {
            let t = Instant::now();
            let v = source.find(q);
            by_kind[*kind as usize] += t.elapsed();
            v
        })
        .collect();
    let one = t2.elapsed();
    assert_eq!(verdicts, sequential, "the verdicts depend on the threads");

    println!(
        "paper: {} bytes, {} quotes, {} threads",
        text.len(),
        quotes.len(),
        rayon::current_num_threads()
    );
    for kind in [Kind::Passage, Kind::Edited, Kind::Absent] {
        let (mut exact, mut inexact, mut missing) = (0, 0, 0);
        for ((k, _), v) in quotes.iter().zip(&verdicts) {
            if *k == kind {
                match v {
                    Verdict::Exact { .. } => exact += 1,
                    Verdict::Inexact { .. } => inexact += 1,
                    Verdict::Missing { .. } => missing += 1,
                }
            }
        }
        println!(
            "{kind:?}: {exact} exact, {inexact} inexact, {missing} missing; {:.1} ms on one thread",
            by_kind[kind as usize].as_secs_f64() * 1e3
        );
    }
    println!(
        "SourceText::new: {:.1} ms; find, all quotes: {:.1} ms on {} threads, {:.1} ms on one; \
         new + find: {:.1} ms",
        built.as_secs_f64() * 1e3,
        parallel.as_secs_f64() * 1e3,
        rayon::current_num_threads(),
        one.as_secs_f64() * 1e3,
        (built + parallel).as_secs_f64() * 1e3,
    );
}
