//! The rules: each rule's name, severity and documentation live beside its logic, and
//! [`ALL`] lists them for `argmap rules`. Rules read the model and return diagnostics;
//! they never fail and never touch the network.

mod citations;
mod links;
mod references;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Corpus;

pub use citations::{UNCITED_CLAIM, UNKNOWN_REFERENCE, UNKNOWN_SOURCE};
pub use links::{
    CIRCULAR_SUPPORT, CONFLICTING_LINK, CONTRADICTORY_LINKS, DANGLING_LINK, DUPLICATE_CLAIM_ID,
    FRAMING_LINK, ISOLATED_CLAIM, SELF_LINK,
};
pub use references::{
    DUPLICATE_DOI, DUPLICATE_REFERENCE_ID, INVALID_DOI, NON_CANONICAL_DOI, UNUSED_REFERENCE,
};

/// Every rule argmap can report, loading rules first, then offline, then online rules.
pub static ALL: &[&Rule] = &[
    &crate::load::YAML_SYNTAX,
    &crate::load::INVALID_UTF8,
    &crate::load::FILE_TOO_LARGE,
    &crate::load::SCHEMA,
    &crate::load::CSL_FIELD_NAME,
    &crate::load::CITATION_SYNTAX,
    &crate::load::DUPLICATE_MAP_NAME,
    &DUPLICATE_CLAIM_ID,
    &DUPLICATE_REFERENCE_ID,
    &UNKNOWN_REFERENCE,
    &UNCITED_CLAIM,
    &UNKNOWN_SOURCE,
    &DANGLING_LINK,
    &SELF_LINK,
    &CONFLICTING_LINK,
    &CIRCULAR_SUPPORT,
    &FRAMING_LINK,
    &CONTRADICTORY_LINKS,
    &INVALID_DOI,
    &UNUSED_REFERENCE,
    &DUPLICATE_DOI,
    &NON_CANONICAL_DOI,
    &ISOLATED_CLAIM,
    // online rules (`argmap check --online`, `argmap resolve`)
    &crate::resolve::DOI_NOT_FOUND,
    &crate::resolve::DOI_METADATA_MISMATCH,
    &crate::resolve::DOI_UNVERIFIED,
];

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

/// Runs every offline rule over the model (the three groups side by side).
pub fn check(corpus: &Corpus) -> Vec<Diagnostic> {
    let run = |group: fn(&Corpus, &mut Vec<Diagnostic>)| {
        let mut out = Vec::new();
        group(corpus, &mut out);
        out
    };
    let (mut out, (citations, links)) = rayon::join(
        || run(references::check),
        || rayon::join(|| run(citations::check), || run(links::check)),
    );
    out.extend(citations);
    out.extend(links);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.name), "duplicate rule {}", rule.name);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                !rule.summary.is_empty() && rule.doc.len() > 80,
                "{} needs docs",
                rule.name
            );
        }
    }
}
