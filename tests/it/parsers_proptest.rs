//! Property tests for the small languages argmap parses, and for positions in YAML: every
//! generator produces inputs that hold what the property is about (DOIs that parse,
//! prose that holds citations, scalars that spell a key), so no assertion goes unrun.

use crate::common::percent_decode;

use argmap::citation::{CitationItem, Locator, LocatorKind, parse_cites_entry, parse_text};
use argmap::doi;
use argmap::pages;
use argmap::yaml::{self, Kind};
use proptest::prelude::*;

/// A word of prose: letters (some non-ASCII), digits and punctuation that is not citation
/// syntax.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Zéü中0-9,.!?'()-]{1,8}"
}

/// A citation key as people write them.
fn key() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,6}([:.#$%&+?<>~/-][A-Za-z0-9_]{1,4}){0,2}"
}

/// Prose with citations at random places: the text, and the keys it cites in order.
fn prose_with_citations() -> impl Strategy<Value = (String, Vec<String>)> {
    let piece = prop_oneof![
        word().prop_map(|w| (w, None)),
        (key(), 0usize..4, "[1-9][0-9]{0,2}").prop_map(|(k, form, page)| {
            let text = match form {
                0 => format!("[@{k}]"),
                1 => format!("[see @{k}, p. {page}]"),
                2 => format!("@{k}"),
                _ => format!("[-@{k}, pp. {page}-{page}9; @{k}x]"),
            };
            let keys = if form == 3 {
                vec![k.clone(), format!("{k}x")]
            } else {
                vec![k]
            };
            (text, Some(keys))
        }),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|pieces| {
        let mut text = String::new();
        let mut keys = Vec::new();
        for (piece, cited) in pieces {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&piece);
            keys.extend(cited.into_iter().flatten());
        }
        (text, keys)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any text: no panic, and every citation found spells its key at its range.
    #[test]
    fn citation_ranges_spell_their_keys(text in "\\PC*") {
        for c in parse_text(&text) {
            let token = &text[c.item.key_range.clone()];
            let spelt = [format!("@{}", c.item.key), format!("@{{{}}}", c.item.key)];
            prop_assert!(spelt.contains(&token.to_owned()), "{token:?} for {:?}", c.item.key);
        }
    }

    /// Prose with citations: exactly the cited keys are found, in order, at their places.
    #[test]
    fn citations_in_prose_are_found_exactly((text, keys) in prose_with_citations()) {
        let found = parse_text(&text);
        let found_keys: Vec<&str> = found.iter().map(|c| c.item.key.as_str()).collect();
        prop_assert_eq!(&found_keys, &keys, "in {:?}", text);
        for c in &found {
            prop_assert_eq!(&text[c.item.key_range.clone()], format!("@{}", c.item.key));
        }
    }

    /// Escaped and code-span citations are text, whatever surrounds them.
    #[test]
    fn escaped_and_code_citations_are_never_found(
        (text, keys) in prose_with_citations(),
        hidden in key(),
        form in 0usize..3,
    ) {
        // A `$` in the hidden key could open TeX math across the text, as pandoc reads it.
        let hidden = hidden.replace('$', "");
        let hide = match form {
            0 => format!("\\@{hidden}"),
            1 => format!("`@{hidden}`"),
            _ => format!("``x @{hidden} ` y``"),
        };
        let text = format!("{hide} {text} {hide}");
        let found: Vec<String> = parse_text(&text).into_iter().map(|c| c.item.key).collect();
        prop_assert_eq!(found, keys);
    }

    /// Any text: no panic, and whatever parses is canonical and parses to itself.
    #[test]
    fn doi_parser_output_is_canonical(raw in "\\PC*") {
        if let Ok(parsed) = doi::parse(&raw) {
            let again = doi::parse(parsed.doi.as_str()).expect("canonical form parses");
            prop_assert!(again.is_canonical());
            prop_assert_eq!(again.doi, parsed.doi);
        }
    }

    /// DOIs as people paste them (any printable suffix, any form, trailing noise) parse to
    /// the DOI, and only the bare DOI is canonical.
    #[test]
    fn pasted_dois_parse_to_the_doi(
        registrant in "[0-9]{4,9}(\\.[0-9]{1,3})?",
        suffix in "[^\\s\\p{Cc}\\p{Cf}\\p{Cn}%\\\\]{1,40}",
        form in 0usize..5,
        noise in prop::sample::select(vec!["", ".", ",", ";", " "]),
    ) {
        let suffix = suffix.trim_end_matches(['.', ',', ';']);
        prop_assume!(!suffix.is_empty() && !suffix.contains(char::is_whitespace));
        let canonical = format!("10.{registrant}/{suffix}");
        let pasted = match form {
            0 => canonical.clone(),
            1 => format!("https://doi.org/{canonical}"),
            2 => format!("doi:{canonical}"),
            3 => format!("DOI: {canonical}"),
            _ => format!(" http://dx.doi.org/{canonical}"),
        } + noise;
        let parsed = doi::parse(&pasted).unwrap();
        prop_assert_eq!(parsed.doi.as_str(), canonical.as_str());
        prop_assert_eq!(parsed.is_canonical(), form == 0 && noise.is_empty());
        // The URL path names exactly this DOI: no segment resolves away.
        let url = reqwest::Url::parse(&format!("https://doi.org/{}", parsed.doi.url_path())).unwrap();
        let decoded = url.path()[1..].replace("%2F", "/");
        let decoded = percent_decode(&decoded);
        prop_assert_eq!(decoded, canonical);
    }

    #[test]
    fn citation_items_round_trip(
        prefix in proptest::option::of("[a-z]{2,6}( [a-z]{2,6})?"),
        suppress_author in any::<bool>(),
        key in key(),
        locator in proptest::option::of((
            prop::sample::select(vec!["p.", "pp.", "chap.", "sec.", "vol.", ""]),
            "[1-9][0-9]{0,2}(-[1-9][0-9]{0,2})?",
        )),
        suffix in proptest::option::of("z[a-z]{2,6}( [a-z]{2,6})?"),
    ) {
        let item = CitationItem {
            prefix: prefix.unwrap_or_default(),
            suppress_author,
            key,
            key_range: 0..0,
            locator: locator.map(|(label, value)| Locator {
                label: label.to_owned(),
                kind: match label {
                    "chap." => LocatorKind::Chapter,
                    "sec." => LocatorKind::Section,
                    "vol." => LocatorKind::Volume,
                    _ => LocatorKind::Page,
                },
                value,
                range: 0..0,
                range_end: None,
            }),
            suffix: suffix.unwrap_or_default(),
        };
        let printed = item.to_string();
        let mut parsed = parse_cites_entry(&printed).expect("printed item parses");
        prop_assert_eq!(&printed[parsed.key_range.clone()][1..], item.key.as_str());
        parsed.key_range = 0..0;
        if let (Some(l), Some(expected)) = (&mut parsed.locator, &item.locator) {
            // The locator's range spells it as printed.
            prop_assert_eq!(printed[l.range.clone()].to_owned(), expected.to_string());
            l.range = 0..0;
        }
        prop_assert_eq!(parsed, item);
    }

    /// Page fields: any text parses or not without a panic, in time linear in it; every
    /// range written out is read back exactly, and a page is outside a range exactly when
    /// its number is.
    #[test]
    fn pages_read_back_and_compare(
        noise in "\\PC{0,40}",
        first in 1u64..5000,
        length in 0u64..300,
        page in 1u64..6000,
        dash in prop::sample::select(vec!["-", "–", " - ", "--"]),
    ) {
        let _ = pages::parse(&noise);
        let last = first + length;
        let work = pages::parse(&format!("{first}{dash}{last}")).expect("a range");
        prop_assert_eq!(work.len(), 1);
        prop_assert_eq!((work[0].first, work[0].last), (first, last));
        let cited = pages::parse(&page.to_string()).unwrap();
        prop_assert_eq!(
            pages::outside(&cited, &pages::WorkPages::new(work.clone())),
            Some(page < first || page > last)
        );
    }
}

// ---- positions in YAML ----

/// A word safe in every scalar style: no YAML indicators, quotes or escapes, but non-ASCII
/// letters, a no-break space, U+3000 and U+2028 among them.
fn yaml_word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9éü中😀\u{a0}\u{3000}\u{2028},.()-]{1,8}"
        .prop_filter("no leading or trailing space", |w| w.trim() == w)
}

/// Words, one of which is the citation `[@key]`.
fn words_with_citation() -> impl Strategy<Value = (Vec<String>, usize)> {
    (
        proptest::collection::vec(yaml_word(), 1..20),
        key(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut words, key, at)| {
            let i = at.index(words.len() + 1);
            words.insert(i, format!("[@{key}]"));
            (words, i)
        })
}

/// The words as a YAML scalar in one of the styles, lines wrapped after `wrap` words.
fn spell(words: &[String], style: usize, wrap: usize) -> String {
    let lines: Vec<String> = words.chunks(wrap.max(1)).map(|c| c.join(" ")).collect();
    match style {
        // plain, over several lines (starting with a word: `[` would open a list)
        0 => format!("x {}", lines.join("\n  ")),
        // single-quoted, an apostrophe doubled
        1 => format!("'{}'", lines.join("\n  ").replace('\'', "''")),
        // double-quoted, with escapes for some characters outside the citation
        2 => {
            let body = lines
                .join("\n  ")
                .replace('\\', "\\\\")
                .replace('"', "\\\"");
            let body = body.replace('é', "\\u00e9").replace('\u{a0}', "\\_");
            format!("\"{body}\"")
        }
        // folded block
        3 => format!(">-\n  {}", lines.join("\n  ")),
        // literal block
        _ => format!("|-\n  {}", lines.join("\n  ")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// In every scalar style, the citation's key is located at exactly its spelling in
    /// the file: escapes, folding, quotes and Unicode spaces before it notwithstanding.
    #[test]
    fn a_citation_is_located_at_its_spelling(
        (words, _) in words_with_citation(),
        style in 0usize..5,
        wrap in 1usize..6,
    ) {
        let scalar = spell(&words, style, wrap);
        let source = format!("t: {scalar}\n");
        let root = yaml::parse(&source).map_err(|e| TestCaseError::fail(format!("{e:?} in {source:?}")))?;
        let Kind::Map(entries) = &root.kind else { panic!("a mapping") };
        let node = &entries[0].1;
        let Kind::Str(decoded) = &node.kind else { panic!("a string in {source:?}") };
        let found = parse_text(decoded);
        prop_assert_eq!(found.len(), 1, "{:?} decoded as {:?}", source, decoded);
        let c = &found[0];
        let range = yaml::locate(&source, node.start..node.end, decoded, c.item.key_range.clone());
        prop_assert_eq!(&source[range], format!("@{}", c.item.key), "in {:?}", source);
    }
}
