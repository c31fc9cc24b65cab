//! The rules, as one exhaustive enum: every diagnostic names one, and everything that
//! reads rules (`argmap rules`, SARIF, the diagrams' gate, rule levels) reads [`RuleInfo`]
//! through [`Rule::info`], whose `match` the compiler holds to every variant. A rule's
//! name is its variant in kebab-case (`DanglingLink` is `dangling-link`), stable across
//! releases; its documentation lives beside the code that reports it.

use std::fmt;

use strum::{EnumCount, EnumIter, EnumString, IntoEnumIterator, IntoStaticStr};

/// How serious a finding is. Errors fail `argmap check`; warnings do with `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the check.
    Error,
    /// Reported; fails the check only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as the formats write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a rule runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// While files are read: a file that cannot be read, or read as a map or references.
    Load,
    /// On the model, offline.
    Check,
    /// With `--online`: DOIs resolved over HTTP.
    Online,
}

impl Phase {
    /// `load`, `check` or `online`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Load => "load",
            Phase::Check => "check",
            Phase::Online => "online",
        }
    }
}

/// What a rule is and how to read its findings.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The default severity.
    pub severity: Severity,
    /// When the rule runs.
    pub phase: Phase,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// A paragraph: why it matters and how to fix it.
    pub doc: &'static str,
    /// A small input that the rule reports (YAML, as it would be written).
    pub example: &'static str,
    /// The same input, fixed.
    pub fixed: &'static str,
    /// Whether a finding leaves the map it is in undrawable (`argmap dot` stops).
    pub blocks_drawing: bool,
}

/// Every rule argmap can report, in the order `argmap rules` lists them: loading rules,
/// then offline rules, then online rules.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    EnumCount,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
#[allow(missing_docs)] // each variant's documentation is its `RuleInfo`
pub enum Rule {
    YamlSyntax,
    InvalidUtf8,
    FileTooLarge,
    Schema,
    CslFieldName,
    CitationSyntax,
    DuplicateMapName,
    Config,
    DuplicateClaimId,
    DuplicateReferenceId,
    UnknownReference,
    CutCitationKey,
    UncitedClaim,
    UnknownSource,
    DanglingLink,
    SelfLink,
    DuplicateLink,
    ConflictingLink,
    CircularSupport,
    FramingLink,
    ContradictoryLinks,
    InvalidDoi,
    UnusedReference,
    DuplicateDoi,
    NonCanonicalDoi,
    IsolatedClaim,
    LocatorOutOfRange,
    QuoteInexact,
    QuoteNotInSource,
    UnusedAllow,
    DoiNotFound,
    DoiMetadataMismatch,
    DoiUnverified,
    CitedWorkRetracted,
    CitedWorkConcern,
    CitedWorkCorrected,
    DoiIsNotice,
}

impl Rule {
    /// The rule's documentation and defaults.
    pub fn info(self) -> &'static RuleInfo {
        use crate::{load, resolve, rules};
        match self {
            Rule::YamlSyntax => &load::YAML_SYNTAX,
            Rule::InvalidUtf8 => &load::INVALID_UTF8,
            Rule::FileTooLarge => &load::FILE_TOO_LARGE,
            Rule::Schema => &load::SCHEMA,
            Rule::CslFieldName => &load::CSL_FIELD_NAME,
            Rule::CitationSyntax => &load::CITATION_SYNTAX,
            Rule::DuplicateMapName => &load::DUPLICATE_MAP_NAME,
            Rule::Config => &crate::config::CONFIG,
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
            Rule::LocatorOutOfRange => &rules::LOCATOR_OUT_OF_RANGE,
            Rule::QuoteInexact => &rules::QUOTE_INEXACT,
            Rule::QuoteNotInSource => &rules::QUOTE_NOT_IN_SOURCE,
            Rule::UnusedAllow => &crate::config::UNUSED_ALLOW,
            Rule::DoiNotFound => &resolve::DOI_NOT_FOUND,
            Rule::DoiMetadataMismatch => &resolve::DOI_METADATA_MISMATCH,
            Rule::DoiUnverified => &resolve::DOI_UNVERIFIED,
            Rule::CitedWorkRetracted => &resolve::CITED_WORK_RETRACTED,
            Rule::CitedWorkConcern => &resolve::CITED_WORK_CONCERN,
            Rule::CitedWorkCorrected => &resolve::CITED_WORK_CORRECTED,
            Rule::DoiIsNotice => &resolve::DOI_IS_NOTICE,
        }
    }

    /// The stable kebab-case name (`dangling-link`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The default severity.
    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// Whether its level may be changed or its findings allowed. Not for the rules whose
    /// findings say that input was not read (a file, or part of one): silencing them would
    /// pass a check of data argmap never saw.
    pub fn can_be_silenced(self) -> bool {
        !matches!(
            self,
            Rule::YamlSyntax
                | Rule::InvalidUtf8
                | Rule::FileTooLarge
                | Rule::Schema
                | Rule::DuplicateMapName
                | Rule::Config
        )
    }

    /// Why [`Rule::can_be_silenced`] is false, for the finding or error that says so.
    pub const FIXED_LEVEL: &'static str =
        "its findings mean a file, or part of one, was not read; correct the file instead";

    /// Every rule, in order.
    pub fn all() -> impl Iterator<Item = Rule> {
        Rule::iter()
    }

    /// The rule of a name, if there is one.
    pub fn from_name(name: &str) -> Option<Rule> {
        name.parse().ok()
    }

    /// How many rules there are.
    pub const COUNT: usize = <Rule as EnumCount>::COUNT;
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_named_documented_and_in_phase_order() {
        let mut phase = Phase::Load;
        for rule in Rule::all() {
            let info = rule.info();
            assert!(
                rule.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{rule} is not kebab-case"
            );
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
            assert!(
                !info.summary.is_empty() && info.doc.len() > 80,
                "{rule} needs docs"
            );
            assert!(
                !info.example.is_empty() && !info.fixed.is_empty(),
                "{rule} needs an example"
            );
            assert_ne!(info.example, info.fixed, "{rule}");
            assert!(info.phase >= phase, "{rule} is listed out of phase order");
            phase = info.phase;
        }
        assert_eq!(Rule::all().count(), Rule::COUNT);
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }
}
