//! Page numbers as people write them, in a CSL `page` field (`85-101`) and in a citation's
//! locator (`pp. 3, 7-9`): arabic numbers with an optional letter prefix (`S12`, `e1234`),
//! roman numerals (`xiv`), ranges with a hyphen or a dash, abbreviated ends (`85-7` is 85
//! to 87), lists (`,` `;` `&`), and open ends (`85ff.`, `85+`). Parsed with nom.
//!
//! What cannot be read exactly is not read: a comparison of pages never guesses.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    character::complete::space0,
    combinator::{all_consuming, opt},
    multi::separated_list1,
    sequence::delimited,
};

/// How a page is numbered: ranges compare only within one numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Numbering {
    /// Arabic numbers, with the prefix letters they carry (`S` of `S12`; none for `12`).
    Arabic(Prefix),
    /// Roman numerals (front matter).
    Roman,
}

/// The letters before an arabic page number (`S` of `S12`, `E` of `e1234`): up to three
/// ASCII letters, upper-cased, held inline so that comparing numberings, which every
/// locator does against its work's pages, is comparing integers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Prefix([u8; 3]);

impl Prefix {
    /// No prefix (`12`).
    pub const NONE: Prefix = Prefix([0; 3]);

    /// Up to three ASCII letters, upper-cased; `None` for anything else. (Padding with
    /// zeros orders `S` before `SA`, as the strings would be.)
    pub fn new(letters: &str) -> Option<Prefix> {
        let bytes = letters.as_bytes();
        if bytes.len() > 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let mut prefix = [0; 3];
        for (to, from) in prefix.iter_mut().zip(bytes) {
            *to = from.to_ascii_uppercase();
        }
        Some(Prefix(prefix))
    }

    /// Whether there are no letters.
    pub fn is_empty(self) -> bool {
        self == Prefix::NONE
    }
}

/// A run of pages, first to last (an open end runs to `u64::MAX`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRange {
    /// How its pages are numbered.
    pub numbering: Numbering,
    /// The first page.
    pub first: u64,
    /// The last page.
    pub last: u64,
}

impl PageRange {
    /// Whether `other` lies wholly within this range, in the same numbering.
    pub fn contains(&self, other: &PageRange) -> bool {
        self.numbering == other.numbering && self.first <= other.first && other.last <= self.last
    }
}

/// Reads a page field or a page locator; `None` when any part of it is not a page.
pub fn parse(text: &str) -> Option<Vec<PageRange>> {
    if let Some(simple) = simple(text) {
        return simple.map(|r| vec![r]);
    }
    let ranges = all_consuming(delimited(space0, separated_list1(separator, range), space0))
        .parse(text)
        .ok()?
        .1;
    ranges.into_iter().collect()
}

/// A work's pages (its `page` field), sorted and merged, so that a locator's page is
/// looked up in them by binary search however many ranges the field lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkPages(Vec<PageRange>);

impl WorkPages {
    /// The ranges sorted by numbering and first page, overlapping or touching ones merged
    /// (`1-5, 6-10` is `1-10`: pages 3-7 lie within the work).
    pub fn new(mut ranges: Vec<PageRange>) -> Self {
        ranges.sort_by_key(|r| (r.numbering, r.first));
        let mut merged: Vec<PageRange> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last)
                    if last.numbering == range.numbering
                        && range.first <= last.last.saturating_add(1) =>
                {
                    last.last = last.last.max(range.last);
                }
                _ => merged.push(range),
            }
        }
        WorkPages(merged)
    }

    /// Whether any range is in `numbering`.
    fn has(&self, numbering: Numbering) -> bool {
        let at = self.0.partition_point(|r| r.numbering < numbering);
        self.0.get(at).is_some_and(|r| r.numbering == numbering)
    }

    /// Whether one range holds all of `page`; of a locator's open end (`90ff.`) only the
    /// first page, the one it names.
    fn holds(&self, page: &PageRange) -> bool {
        let after = self
            .0
            .partition_point(|r| (r.numbering, r.first) <= (page.numbering, page.first));
        let named = PageRange {
            last: if page.last == u64::MAX {
                page.first
            } else {
                page.last
            },
            ..*page
        };
        after > 0 && self.0[after - 1].contains(&named)
    }
}

/// Whether the locator's pages fall outside the work's: `Some(true)` when a page of the
/// locator is in a numbering the work's pages have and outside all of them; `None` when
/// the two cannot be compared (either unreadable, or no numbering in common).
pub fn outside(locator: &[PageRange], work: &WorkPages) -> Option<bool> {
    let mut compared = false;
    for page in locator {
        if work.has(page.numbering) {
            compared = true;
            if !work.holds(page) {
                return Some(true);
            }
        }
    }
    compared.then_some(false)
}

/// Whether a locator as written (`300`, `pp. 3, 7-9`'s `3, 7-9`) falls outside the work's
/// pages, as [`outside`] tells; `None` when it cannot be read or compared. The common
/// shapes (`300`, `85-101`) are read without allocating: a corpus checks one per citation.
pub fn locator_outside(locator: &str, work: &WorkPages) -> Option<bool> {
    match simple(locator) {
        Some(range) => outside(&[range?], work),
        None => outside(&parse(locator)?, work),
    }
}

/// The common shapes without the parser, `300` and `85-101`: `Some(None)` when such a
/// range makes no sense (`101-85` unabbreviated), `None` for any other shape.
fn simple(text: &str) -> Option<Option<PageRange>> {
    let number = |digits: &str| {
        (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Page {
                numbering: Numbering::Arabic(Prefix::NONE),
                number: digits.parse().expect("ASCII digits"),
                digits: digits.len(),
                prefixed: false,
            })
    };
    match text.split_once('-') {
        None => number(text).map(|p| {
            Some(PageRange {
                numbering: p.numbering,
                first: p.number,
                last: p.number,
            })
        }),
        Some((first, last)) => Some(span(number(first)?, number(last)?)),
    }
}

fn separator(input: &str) -> IResult<&str, &str> {
    delimited(space0, alt((tag(","), tag(";"), tag("&"))), space0).parse(input)
}

fn dash(input: &str) -> IResult<&str, &str> {
    delimited(
        space0,
        alt((tag("--"), tag("-"), tag("–"), tag("—"), tag("‐"), tag("‑"))),
        space0,
    )
    .parse(input)
}

/// `ff.`, `f.`, `ff`, `+`: and the pages following.
fn open_end(input: &str) -> IResult<&str, &str> {
    alt((tag("ff."), tag("ff"), tag("f."), tag("+"))).parse(input)
}

/// One page or range; `None` inside when it has the shape of one but not the sense (an end
/// before its start, numberings that differ).
fn range(input: &str) -> IResult<&str, Option<PageRange>> {
    let (rest, (first, end)) = (
        page,
        opt(alt((
            (dash, page).map(|(_, p)| End::Page(p)),
            (space0, open_end).map(|_| End::Open),
        ))),
    )
        .parse(input)?;
    let range = match end {
        None => Some(PageRange {
            numbering: first.numbering,
            first: first.number,
            last: first.number,
        }),
        Some(End::Open) => Some(PageRange {
            numbering: first.numbering,
            first: first.number,
            last: u64::MAX,
        }),
        Some(End::Page(last)) => span(first, last),
    };
    Ok((rest, range))
}

enum End {
    Page(Page),
    Open,
}

#[derive(Debug)]
struct Page {
    numbering: Numbering,
    number: u64,
    /// Digits as written, for abbreviated ends (`85-7`).
    digits: usize,
    /// Whether the prefix was written (`S12-S15`) or left to the start (`S12-15`).
    prefixed: bool,
}

/// The range from `first` to `last`, expanding an abbreviated end (`85-7`, `1234-56`,
/// `S12-5`) from the start's leading digits.
fn span(first: Page, last: Page) -> Option<PageRange> {
    let numbering = match (first.numbering, last.numbering) {
        (a, b) if a == b => a,
        // `S12-15`: the end takes the start's prefix.
        (Numbering::Arabic(a), Numbering::Arabic(b)) if b.is_empty() && !last.prefixed => {
            Numbering::Arabic(a)
        }
        _ => return None,
    };
    let mut end = last.number;
    if numbering != Numbering::Roman && last.digits < first.digits && end < first.number {
        let scale = 10u64.checked_pow(last.digits as u32)?;
        end += first.number / scale * scale;
    }
    (end >= first.number).then_some(PageRange {
        numbering,
        first: first.number,
        last: end,
    })
}

fn page(input: &str) -> IResult<&str, Page> {
    alt((arabic, roman)).parse(input)
}

fn arabic(input: &str) -> IResult<&str, Page> {
    let (rest, (prefix, digits)) = (
        take_while_m_n(0, 3, |c: char| c.is_ascii_alphabetic()),
        take_while1(|c: char| c.is_ascii_digit()),
    )
        .parse(input)?;
    // More than 18 digits is no page number; refuse rather than overflow.
    let number = if digits.len() > 18 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::TooLarge,
        )));
    } else {
        digits.parse().expect("ASCII digits")
    };
    Ok((
        rest,
        Page {
            numbering: Numbering::Arabic(Prefix::new(prefix).expect("up to 3 ASCII letters")),
            number,
            digits: digits.len(),
            prefixed: !prefix.is_empty(),
        },
    ))
}

fn roman(input: &str) -> IResult<&str, Page> {
    let (rest, letters) =
        take_while_m_n(1, 12, |c: char| "ivxlcdmIVXLCDM".contains(c)).parse(input)?;
    // One case throughout, followed by no other letter or digit, and spelt canonically
    // (`iv`, not `iiii`; `mix` is 1009, `did` is nothing).
    let one_case = letters.chars().all(|c| c.is_ascii_lowercase())
        || letters.chars().all(|c| c.is_ascii_uppercase());
    let ends = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
    match roman_value(letters) {
        Some(number) if one_case && ends => Ok((
            rest,
            Page {
                numbering: Numbering::Roman,
                number,
                digits: 0,
                prefixed: false,
            },
        )),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        ))),
    }
}

/// The value of a canonically written roman numeral.
fn roman_value(letters: &str) -> Option<u64> {
    let digit = |c: char| match c.to_ascii_lowercase() {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        'l' => 50,
        'c' => 100,
        'd' => 500,
        'm' => 1000,
        _ => 0,
    };
    let values: Vec<u64> = letters.chars().map(digit).collect();
    let mut total = 0;
    for (i, &v) in values.iter().enumerate() {
        match values.get(i + 1) {
            Some(&next) if next > v => total -= v as i64,
            _ => total += v as i64,
        }
    }
    let total = u64::try_from(total).ok().filter(|&t| t > 0)?;
    (to_roman(total) == letters.to_ascii_lowercase()).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arabic(first: u64, last: u64) -> PageRange {
        PageRange {
            numbering: Numbering::Arabic(Prefix::NONE),
            first,
            last,
        }
    }

    #[test]
    fn ranges_as_people_write_them() {
        assert_eq!(parse("85-101"), Some(vec![arabic(85, 101)]));
        assert_eq!(parse("85–101"), Some(vec![arabic(85, 101)]));
        assert_eq!(parse("85 -- 101"), Some(vec![arabic(85, 101)]));
        assert_eq!(parse("85-7"), Some(vec![arabic(85, 87)]));
        assert_eq!(parse("1234-56"), Some(vec![arabic(1234, 1256)]));
        assert_eq!(
            parse("101-85"),
            Some(vec![arabic(101, 185)]),
            "Chicago's 101-85"
        );
        assert_eq!(parse("3, 7-9"), Some(vec![arabic(3, 3), arabic(7, 9)]));
        assert_eq!(
            parse("3; 7 & 9"),
            Some(vec![arabic(3, 3), arabic(7, 7), arabic(9, 9)])
        );
        assert_eq!(parse("85ff."), Some(vec![arabic(85, u64::MAX)]));
        let s = |first, last| PageRange {
            numbering: Numbering::Arabic(Prefix::new("S").unwrap()),
            first,
            last,
        };
        assert_eq!(parse("S12-S15"), Some(vec![s(12, 15)]));
        assert_eq!(parse("S12-15"), Some(vec![s(12, 15)]));
        assert_eq!(
            parse("e1234").unwrap()[0].numbering,
            Numbering::Arabic(Prefix::new("E").unwrap())
        );
        let roman = |first, last| PageRange {
            numbering: Numbering::Roman,
            first,
            last,
        };
        assert_eq!(parse("xiv-xx"), Some(vec![roman(14, 20)]));
        assert_eq!(parse("XIV"), Some(vec![roman(14, 14)]));
    }

    #[test]
    fn what_is_not_exactly_pages_is_not_read() {
        for text in [
            "",
            "chap. 3",
            "3101-2900",
            "95-1",
            "iiii",
            "did",
            "Xiv",
            "S12-E15",
            "12-xiv",
            "3, and more",
            "99999999999999999999",
            "12a",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        assert_eq!(
            parse("mix"),
            Some(vec![PageRange {
                numbering: Numbering::Roman,
                first: 1009,
                last: 1009
            }])
        );
    }

    /// The shortcut for plain numbers and ranges reads them as the parser does.
    #[test]
    fn the_shortcut_agrees_with_the_parser() {
        for text in ["300", "85-101", "85-7", "101-85", "3101-2900", "0", "007-9"] {
            let slow = all_consuming(delimited(space0, separated_list1(separator, range), space0))
                .parse(text)
                .ok()
                .and_then(|(_, r)| r.into_iter().collect::<Option<Vec<_>>>());
            assert_eq!(parse(text), slow, "{text}");
        }
    }

    #[test]
    fn prefixes_are_three_letters_at_most_and_order_as_their_strings() {
        assert_eq!(Prefix::new(""), Some(Prefix::NONE));
        assert!(Prefix::new("").unwrap().is_empty());
        assert_eq!(Prefix::new("s"), Prefix::new("S"));
        assert!(!Prefix::new("S").unwrap().is_empty());
        assert_eq!(Prefix::new("ABCD"), None);
        assert_eq!(Prefix::new("S1"), None);
        let p = |s| Prefix::new(s).unwrap();
        assert!(p("") < p("A") && p("A") < p("AB") && p("AB") < p("B") && p("AZZ") < p("B"));
    }

    #[test]
    fn a_locator_as_written_is_compared_as_parsed() {
        let work = WorkPages::new(parse("85-101, S1-S4").unwrap());
        for text in [
            "300", "85", "100-102", "87, 300", "S2", "S5", "xiv", "e12", "3a", "", "90ff.",
        ] {
            assert_eq!(
                locator_outside(text, &work),
                parse(text).and_then(|l| outside(&l, &work)),
                "{text}"
            );
        }
    }

    #[test]
    fn only_comparable_pages_are_compared() {
        let pages = |text| WorkPages::new(parse(text).unwrap());
        let work = pages("85-101");
        assert_eq!(outside(&parse("300").unwrap(), &work), Some(true));
        assert_eq!(outside(&parse("85").unwrap(), &work), Some(false));
        assert_eq!(outside(&parse("101").unwrap(), &work), Some(false));
        assert_eq!(outside(&parse("100-102").unwrap(), &work), Some(true));
        assert_eq!(outside(&parse("87, 300").unwrap(), &work), Some(true));
        // Front matter, or an article number, against arabic pages: nothing to compare.
        assert_eq!(outside(&parse("xiv").unwrap(), &work), None);
        assert_eq!(outside(&parse("e12").unwrap(), &work), None);
        let both = pages("xi-xv, 1-20");
        assert_eq!(outside(&parse("xiv, 3").unwrap(), &both), Some(false));
        assert_eq!(outside(&parse("xx").unwrap(), &both), Some(true));
        assert_eq!(
            outside(&parse("500").unwrap(), &pages("85ff.")),
            Some(false)
        );
        // Listed in any order, touching or overlapping: merged, then searched.
        let listed = pages("30-40, 1-5, 6-10, 8-12, S1-S4");
        assert_eq!(outside(&parse("3-7").unwrap(), &listed), Some(false));
        assert_eq!(outside(&parse("12").unwrap(), &listed), Some(false));
        assert_eq!(outside(&parse("13").unwrap(), &listed), Some(true));
        assert_eq!(outside(&parse("35, S2").unwrap(), &listed), Some(false));
        assert_eq!(outside(&parse("S5").unwrap(), &listed), Some(true));
        assert_eq!(outside(&parse("29-31").unwrap(), &listed), Some(true));
        // A locator's open end names its first page.
        assert_eq!(outside(&parse("35ff.").unwrap(), &listed), Some(false));
        assert_eq!(outside(&parse("36+").unwrap(), &listed), Some(false));
        assert_eq!(outside(&parse("41f.").unwrap(), &listed), Some(true));
    }
}
