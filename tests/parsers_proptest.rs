//! Property tests for the small languages argmap parses: citations and DOIs never panic on
//! any input, their results point inside the input, and printing then parsing round-trips.

use argmap::citation::{CitationItem, Locator, parse_cites_entry, parse_text};
use argmap::doi;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn citation_parser_never_panics_and_ranges_are_sound(text in "\\PC*") {
        for c in parse_text(&text) {
            let token = &text[c.item.key_range.clone()];
            prop_assert!(token.starts_with('@'), "{token:?}");
            prop_assert!(token.contains(c.item.key.as_str()));
        }
    }

    #[test]
    fn citation_parser_survives_citation_like_noise(text in "[@\\[\\];,{}a-z0-9 .:-]{0,60}") {
        for c in parse_text(&text) {
            prop_assert!(text.get(c.item.key_range.clone()).is_some());
        }
        let _ = parse_cites_entry(&text);
    }

    #[test]
    fn doi_parser_never_panics_and_its_output_is_canonical(raw in "\\PC*") {
        if let Ok(parsed) = doi::parse(&raw) {
            let again = doi::parse(parsed.doi.as_str()).expect("canonical form parses");
            prop_assert!(again.is_canonical());
            prop_assert_eq!(again.doi, parsed.doi);
        }
    }

    #[test]
    fn dois_round_trip_through_pasted_forms(
        registrant in "[0-9]{4,9}",
        suffix in "[A-Za-z0-9._;()/:-]{1,40}",
        form in 0usize..4,
    ) {
        let suffix = suffix.trim_end_matches(['.', ',', ';']);
        prop_assume!(!suffix.is_empty());
        let canonical = format!("10.{registrant}/{suffix}");
        let pasted = match form {
            0 => canonical.clone(),
            1 => format!("https://doi.org/{canonical}"),
            2 => format!("doi:{canonical}"),
            _ => format!(" http://dx.doi.org/{canonical}. "),
        };
        let parsed = doi::parse(&pasted).unwrap();
        prop_assert_eq!(parsed.doi.as_str(), canonical.as_str());
        prop_assert_eq!(parsed.is_canonical(), form == 0);
    }

    #[test]
    fn citation_items_round_trip(
        prefix in proptest::option::of("[a-z]{2,6}( [a-z]{2,6})?"),
        suppress_author in any::<bool>(),
        key in "[A-Za-z_][A-Za-z0-9_]{0,6}([:.#$%&+?<>~/-][A-Za-z0-9_]{1,4}){0,2}",
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
            locator: locator.map(|(label, value)| Locator { label: label.to_owned(), value }),
            suffix: suffix.unwrap_or_default(),
        };
        let printed = item.to_string();
        let mut parsed = parse_cites_entry(&printed).expect("printed item parses");
        prop_assert_eq!(&printed[parsed.key_range.clone()][1..], item.key.as_str());
        parsed.key_range = 0..0;
        prop_assert_eq!(parsed, item);
    }
}
