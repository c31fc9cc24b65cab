//! Citation parsing never panics, and every key range points at an `@` token of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for c in argmap::citation::parse_text(text) {
        let token = &text[c.item.key_range.clone()];
        assert!(token.starts_with('@'));
    }
    if let Ok(item) = argmap::citation::parse_cites_entry(text) {
        // What was parsed prints back to something that parses to the same item.
        let printed = item.to_string();
        let mut again = argmap::citation::parse_cites_entry(&printed).expect("printed item parses");
        let mut item = item;
        again.key_range = 0..0;
        item.key_range = 0..0;
        assert_eq!(again.key, item.key);
    }
});
