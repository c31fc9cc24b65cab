//! The rule registry: each rule's documentation, read from beside the code that reports
//! it (loading, the configuration, the offline rules, DOI resolution). It sits above all of
//! them, so that none depends on another through it; the `match` holds it to every rule.

use crate::rule::{Rule, RuleDocs};
use crate::{config, load, resolve, rules};

impl Rule {
    /// The rule's documentation: summary, paragraph, example and its fix.
    pub fn docs(self) -> &'static RuleDocs {
        match self {
            Rule::YamlSyntax => &load::YAML_SYNTAX,
            Rule::InvalidUtf8 => &load::INVALID_UTF8,
            Rule::FileTooLarge => &load::FILE_TOO_LARGE,
            Rule::Schema => &load::SCHEMA,
            Rule::CslFieldName => &load::CSL_FIELD_NAME,
            Rule::CitationSyntax => &load::CITATION_SYNTAX,
            Rule::DuplicateMapName => &load::DUPLICATE_MAP_NAME,
            Rule::Config => &config::CONFIG,
            Rule::DuplicateClaimId => &rules::DUPLICATE_CLAIM_ID,
            Rule::DuplicateReferenceId => &rules::DUPLICATE_REFERENCE_ID,
            Rule::UnknownReference => &rules::UNKNOWN_REFERENCE,
            Rule::CutCitationKey => &rules::CUT_CITATION_KEY,
            Rule::UncitedClaim => &rules::UNCITED_CLAIM,
            Rule::UnknownSource => &rules::UNKNOWN_SOURCE,
            Rule::DanglingLink => &rules::DANGLING_LINK,
            Rule::SelfLink => &rules::SELF_LINK,
            Rule::DuplicateLink => &rules::DUPLICATE_LINK,
            Rule::ConflictingLink => &rules::CONFLICTING_LINK,
            Rule::CircularSupport => &rules::CIRCULAR_SUPPORT,
            Rule::FramingLink => &rules::FRAMING_LINK,
            Rule::ContradictoryLinks => &rules::CONTRADICTORY_LINKS,
            Rule::InvalidDoi => &rules::INVALID_DOI,
            Rule::UnusedReference => &rules::UNUSED_REFERENCE,
            Rule::DuplicateDoi => &rules::DUPLICATE_DOI,
            Rule::NonCanonicalDoi => &rules::NON_CANONICAL_DOI,
            Rule::IsolatedClaim => &rules::ISOLATED_CLAIM,
            Rule::UndeclaredConclusion => &rules::UNDECLARED_CONCLUSION,
            Rule::CrossSourceLink => &rules::CROSS_SOURCE_LINK,
            Rule::LocatorOutOfRange => &rules::LOCATOR_OUT_OF_RANGE,
            Rule::QuoteInexact => &rules::QUOTE_INEXACT,
            Rule::QuoteNotInSource => &rules::QUOTE_NOT_IN_SOURCE,
            Rule::UnusedAllow => &config::UNUSED_ALLOW,
            Rule::DoiNotFound => &resolve::DOI_NOT_FOUND,
            Rule::DoiMetadataMismatch => &resolve::DOI_METADATA_MISMATCH,
            Rule::DoiUnverified => &resolve::DOI_UNVERIFIED,
            Rule::CitedWorkRetracted => &resolve::CITED_WORK_RETRACTED,
            Rule::CitedWorkConcern => &resolve::CITED_WORK_CONCERN,
            Rule::CitedWorkCorrected => &resolve::CITED_WORK_CORRECTED,
            Rule::DoiIsNotice => &resolve::DOI_IS_NOTICE,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rule::Rule;

    #[test]
    fn every_rule_is_documented_with_an_example_and_its_fix() {
        for rule in Rule::all() {
            let docs = rule.docs();
            assert!(
                !docs.summary.is_empty() && docs.doc.len() > 80,
                "{rule} needs docs"
            );
            assert!(
                !docs.example.is_empty() && !docs.fixed.is_empty(),
                "{rule} needs an example"
            );
            assert_ne!(docs.example, docs.fixed, "{rule}");
            // Whole files, each after its `# PATH` line (tests/it/rule_docs.rs runs them).
            for text in [docs.example, docs.fixed] {
                assert!(
                    text.starts_with("# ") && text.ends_with('\n'),
                    "{rule}: {text:?}"
                );
            }
        }
    }
}
