//! Judging a reference against the metadata registered for its DOI.
//!
//! The bar for a mismatch is "another work", not "another spelling": titles are compared
//! after normalisation and with a little tolerance, a subtitle on one side only is fine,
//! an online-first year is fine when the print year matches, and a particle or hyphen in
//! a family name is fine.

use std::fmt;

use super::csl::Metadata;
use super::text::{decode_entities, normalize, sanitize, strip_tags};
use crate::model::{Name, Reference};

/// Normalised titles at least this similar (Levenshtein, 0..1) are one title: this
/// absorbs British and American spellings and single typos, not a different work.
const TITLE_SIMILARITY: f64 = 0.9;

/// How many characters of a network string a message shows.
const SHOWN_CHARS: usize = 160;

/// One field on which the reference and the registered metadata disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// The titles are of different works.
    Title {
        /// What the agency has registered.
        registered: String,
        /// What the reference says.
        reference: String,
    },
    /// The years differ.
    Year {
        /// The registered year (`issued`).
        registered: i32,
        /// The registered print year, if any.
        print: Option<i32>,
        /// The reference's year.
        reference: i32,
    },
    /// The first authors' family names differ.
    FirstAuthor {
        /// What the agency has registered.
        registered: String,
        /// What the reference says.
        reference: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Title {
                registered,
                reference,
            } => write!(
                f,
                "title “{}” is registered, the reference has “{}”",
                sanitize(registered, SHOWN_CHARS),
                sanitize(reference, SHOWN_CHARS)
            ),
            Difference::Year {
                registered,
                print,
                reference,
            } => {
                write!(f, "year {registered}")?;
                if let Some(p) = print.filter(|p| p != registered) {
                    write!(f, " (in print {p})")?;
                }
                write!(f, " is registered, the reference has {reference}")
            }
            Difference::FirstAuthor {
                registered,
                reference,
            } => write!(
                f,
                "first author “{}” is registered, the reference has “{}”",
                sanitize(registered, SHOWN_CHARS),
                sanitize(reference, SHOWN_CHARS)
            ),
        }
    }
}

/// Every field on which `reference` disagrees with `registered`. A field missing on
/// either side is not judged.
pub fn compare(reference: &Reference, registered: &Metadata) -> Vec<Difference> {
    let mut out = Vec::new();
    if let Some(title) = &registered.title {
        let ours = &reference.title.value;
        if !ours.trim().is_empty() && !same_title(ours, title, &registered.subtitles) {
            out.push(Difference::Title {
                registered: title.clone(),
                reference: ours.clone(),
            });
        }
    }
    if let (Some(ours), Some(theirs)) = (reference.issued, registered.issued) {
        let registered_years = [
            Some(theirs),
            registered.published_print,
            registered.published_online,
        ];
        let our_years = [Some(ours.year), reference.published_print.map(|d| d.year)];
        let agree = our_years
            .iter()
            .flatten()
            .any(|y| registered_years.contains(&Some(*y)));
        if !agree {
            out.push(Difference::Year {
                registered: theirs,
                print: registered.published_print,
                reference: ours.year,
            });
        }
    }
    if let (Some(ours), Some(theirs)) = (reference.authors.first(), &registered.first_author) {
        let ours = match ours {
            Name::Personal { .. } => ours.short(),
            Name::Literal(s) => s.clone(),
        };
        if !same_family_name(&ours, theirs) {
            out.push(Difference::FirstAuthor {
                registered: theirs.clone(),
                reference: ours,
            });
        }
    }
    out
}

/// Whether two titles name one work. Each side may carry a subtitle the other lacks:
/// inline after `:`, `?`, `!`, `.` or a dash, or (registered side) in CSL's `subtitle`.
fn same_title(ours: &str, registered: &str, subtitles: &[String]) -> bool {
    let our_full = normalize(ours);
    let our_mains = mains(ours);
    let mut their_full = vec![normalize(registered)];
    their_full.extend(
        subtitles
            .iter()
            .map(|s| normalize(&format!("{registered}: {s}"))),
    );
    let their_mains = mains(registered);
    let similar = |a: &str, b: &str| {
        !a.is_empty() && !b.is_empty() && strsim::normalized_levenshtein(a, b) >= TITLE_SIMILARITY
    };
    // The reference's full title against every registered form, then the reference's
    // main title against the registered full titles (the subtitle is ours alone).
    their_full
        .iter()
        .chain(&their_mains)
        .any(|t| similar(&our_full, t))
        || our_mains
            .iter()
            .any(|m| their_full.iter().any(|t| similar(m, t)))
}

/// The normalised title before each subtitle separator: `A: B? C` gives `a` and `a b`.
fn mains(title: &str) -> Vec<String> {
    let plain = strip_tags(&decode_entities(title));
    let mut out = Vec::new();
    for (i, c) in plain.char_indices() {
        let rest = &plain[i + c.len_utf8()..];
        let separator = match c {
            ':' | '?' | '!' => true,
            '.' => rest.starts_with(' '),
            '-' | '–' | '—' => plain[..i].ends_with(' ') && rest.starts_with(' '),
            _ => false,
        };
        if separator {
            let main = normalize(&plain[..i]);
            if !main.is_empty() && !out.contains(&main) {
                out.push(main);
            }
        }
    }
    out
}

/// Whether two family names are one: equal once normalised and with spaces and hyphens
/// ignored (`Na-Xi`, `Naxi`), or one is the other's trailing words (`van Gogh`, `Gogh`).
fn same_family_name(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return true;
    }
    if a.replace(' ', "") == b.replace(' ', "") {
        return true;
    }
    let (wa, wb): (Vec<_>, Vec<_>) = (a.split(' ').collect(), b.split(' ').collect());
    wa.ends_with(&wb) || wb.ends_with(&wa)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;
    use crate::source::{FileId, Span, Spanned};

    fn reference(title: &str, year: i32, family: &str) -> Reference {
        let span = Span::new(FileId(0), 0, 0);
        let s = |v: &str| Spanned::new(v.to_owned(), span);
        Reference {
            id: s("r"),
            csl_type: s("article-journal"),
            title: s(title),
            authors: vec![Name::Personal {
                family: family.into(),
                given: None,
                particle: None,
            }],
            issued: Some(Date {
                year,
                month: None,
                day: None,
            }),
            ..Reference::empty(span)
        }
    }

    fn registered(title: &str, year: i32, family: &str) -> Metadata {
        Metadata {
            title: Some(title.into()),
            issued: Some(year),
            first_author: Some(family.into()),
            ..Metadata::default()
        }
    }

    #[test]
    fn spellings_of_one_work_agree() {
        let r = reference("The structure of ordinary water", 1970, "Frank");
        for title in [
            "The Structure of Ordinary Water",
            "The <i>Structure</i> of Ordinary Water.",
            "The Structure of Ordinary Water: New data and interpretations",
            "THE STRUCTURE OF ORDINARY WATER",
        ] {
            assert_eq!(
                compare(&r, &registered(title, 1970, "Frank")),
                [],
                "{title}"
            );
        }
        let r = reference("Water: a subtitle the registry lacks", 1970, "Frank");
        assert_eq!(compare(&r, &registered("Water", 1970, "Frank")), []);
        let r = reference("Organisation of the SCO", 2016, "Na-Xi");
        assert_eq!(
            compare(&r, &registered("Organization of the SCO", 2016, "Naxi")),
            []
        );
    }

    #[test]
    fn a_subtitle_in_csl_subtitle_agrees() {
        let r = reference(
            "Analysis of cooperation: Russia and China in the SCO",
            2012,
            "Yun",
        );
        let mut m = registered("Analysis of cooperation", 2012, "Yun");
        m.subtitles = vec!["Russia and China in the SCO".into()];
        assert_eq!(compare(&r, &m), []);
    }

    #[test]
    fn different_subtitles_on_both_sides_disagree() {
        let r = reference("Water: its structure", 1970, "Frank");
        let d = compare(&r, &registered("Water: its politics", 1970, "Frank"));
        assert!(matches!(d.as_slice(), [Difference::Title { .. }]), "{d:?}");
    }

    #[test]
    fn another_work_disagrees_and_shows_both_values() {
        let r = reference("Four Problems of the SCO", 2016, "Denisov");
        let d = compare(
            &r,
            &registered("The Structure of Ordinary Water", 1970, "Frank"),
        );
        assert_eq!(d.len(), 3, "{d:?}");
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "title “The Structure of Ordinary Water” is registered, the reference has “Four Problems of the SCO”",
                "year 1970 is registered, the reference has 2016",
                "first author “Frank” is registered, the reference has “Denisov”",
            ]
        );
    }

    #[test]
    fn print_year_agrees_with_online_first_issued() {
        let r = reference("Water", 2014, "Frank");
        let mut m = registered("Water", 2013, "Frank");
        assert_eq!(compare(&r, &m).len(), 1);
        m.published_print = Some(2014);
        assert_eq!(compare(&r, &m), []);
    }

    #[test]
    fn particles_and_missing_fields_are_not_mismatches() {
        let mut r = reference("Sunflowers", 1888, "Gogh");
        r.authors[0] = Name::Personal {
            family: "Gogh".into(),
            given: Some("Vincent".into()),
            particle: Some("van".into()),
        };
        assert_eq!(compare(&r, &registered("Sunflowers", 1888, "Gogh")), []);
        assert_eq!(compare(&r, &Metadata::default()), []);
        let r = reference("Sunflowers", 1888, "Li");
        assert_eq!(
            compare(&r, &registered("Sunflowers", 1888, "Jiali")).len(),
            1
        );
    }
}
