//! DOI parsing never panics, and its canonical output is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(parsed) = argmap::doi::parse(raw) {
        let again = argmap::doi::parse(parsed.doi.as_str()).expect("canonical DOI parses");
        assert!(again.is_canonical());
        assert_eq!(again.doi, parsed.doi);
        let _ = parsed.doi.url_path();
    }
});
