//! The rules, as one exhaustive enum: every diagnostic names one. A leaf of the crate: the
//! enum, its names and a table of each rule's defaults (severity, phase, whether it stops
//! a drawing), whose `match` the compiler holds to every variant. A rule's name is its
//! variant in kebab-case (`DanglingLink` is `dangling-link`), stable across releases. Its
//! documentation ([`RuleDocs`]) lives beside the code that reports it, and the registry
//! (`crate::registry`) ties the two together.

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

/// How to read a rule's findings: what `argmap rules` prints and SARIF carries.
///
/// An example, and its fix, is one or more whole files of a workspace, each opened by a
/// line `# PATH` (relative to ROOT: `arguments/<map>.yaml`, `references/<name>.yaml`,
/// `sources/<id>.txt`, `argmap.toml`) and running to the next such line. A note in
/// parentheses after the path says what the text cannot show: `(Latin-1)`, the file is
/// saved in that encoding (`(UTF-8)`, the default, may be said for contrast); `(40 MiB)`,
/// the file is that large (its text, repeated). The files are laid over a standard
/// workspace, replacing its file of the same path: the references `guliev2020`,
/// `song2014`, `yun2012`, `alimov2020` and `chinasco`, one file each
/// (`references/<id>.yaml`), and the map `china-sco` (source `chinasco`; claims
/// `two-interests`, `security-success`, `rivalry-faded`, `russia-stalled-economy`), which
/// cites them all and has no finding. `tests/it/rule_docs.rs` holds that workspace, and holds
/// every example to reporting its rule and no other, and its fix to not reporting it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleDocs {
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// A paragraph: why it matters and how to fix it.
    pub doc: &'static str,
    /// Files that the rule reports, as they would be written (see above).
    pub example: &'static str,
    /// The same files, fixed.
    pub fixed: &'static str,
}

/// A rule's defaults: how serious its findings are, when it runs, what it stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Defaults {
    severity: Severity,
    phase: Phase,
    /// A finding leaves the map it is in undrawable (`argmap dot` stops).
    blocks_drawing: bool,
    /// The rule runs unless a project turns it off (most do; some are for projects that
    /// opt in).
    on: bool,
}

const fn row(severity: Severity, phase: Phase, blocks_drawing: bool) -> Defaults {
    Defaults {
        severity,
        phase,
        blocks_drawing,
        on: true,
    }
}

/// A row for a rule that is off until a project sets its level.
const fn off(severity: Severity, phase: Phase) -> Defaults {
    Defaults {
        on: false,
        ..row(severity, phase, false)
    }
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
#[allow(missing_docs)] // each variant's documentation is its `RuleDocs`
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
    CrossSourceLink,
    ContradictoryLinks,
    InvalidDoi,
    UnusedReference,
    DuplicateDoi,
    NonCanonicalDoi,
    IsolatedClaim,
    UndeclaredConclusion,
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
    /// The rule's defaults, one row per rule.
    const fn defaults(self) -> Defaults {
        use Phase::{Check, Load, Online};
        use Severity::{Error as E, Warning as W};
        match self {
            Rule::YamlSyntax => row(E, Load, true),
            Rule::InvalidUtf8 => row(E, Load, true),
            Rule::FileTooLarge => row(E, Load, true),
            Rule::Schema => row(E, Load, true),
            Rule::CslFieldName => row(W, Load, false),
            Rule::CitationSyntax => row(E, Load, false),
            Rule::DuplicateMapName => row(E, Load, false),
            Rule::Config => row(E, Load, false),
            Rule::DuplicateClaimId => row(E, Check, true),
            Rule::DuplicateReferenceId => row(E, Check, false),
            Rule::UnknownReference => row(E, Check, false),
            Rule::CutCitationKey => row(E, Check, false),
            Rule::UncitedClaim => row(E, Check, false),
            Rule::UnknownSource => row(E, Check, false),
            Rule::DanglingLink => row(E, Check, true),
            Rule::SelfLink => row(E, Check, false),
            Rule::DuplicateLink => row(W, Check, false),
            Rule::ConflictingLink => row(E, Check, false),
            Rule::CircularSupport => row(E, Check, false),
            Rule::FramingLink => row(E, Check, false),
            Rule::CrossSourceLink => row(W, Check, false),
            Rule::ContradictoryLinks => row(W, Check, false),
            Rule::InvalidDoi => row(E, Check, false),
            Rule::UnusedReference => row(W, Check, false),
            Rule::DuplicateDoi => row(W, Check, false),
            Rule::NonCanonicalDoi => row(W, Check, false),
            Rule::IsolatedClaim => row(W, Check, false),
            Rule::UndeclaredConclusion => off(W, Check),
            Rule::LocatorOutOfRange => row(W, Check, false),
            Rule::QuoteInexact => row(W, Check, false),
            Rule::QuoteNotInSource => row(E, Check, false),
            Rule::UnusedAllow => row(W, Check, false),
            Rule::DoiNotFound => row(E, Online, false),
            Rule::DoiMetadataMismatch => row(W, Online, false),
            Rule::DoiUnverified => row(W, Online, false),
            Rule::CitedWorkRetracted => row(E, Online, false),
            Rule::CitedWorkConcern => row(W, Online, false),
            Rule::CitedWorkCorrected => row(W, Online, false),
            Rule::DoiIsNotice => row(W, Online, false),
        }
    }

    /// The stable kebab-case name (`dangling-link`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The default severity.
    pub const fn severity(self) -> Severity {
        self.defaults().severity
    }

    /// When the rule runs.
    pub const fn phase(self) -> Phase {
        self.defaults().phase
    }

    /// Whether the rule runs when no level is set for it: `false` for the rules a project
    /// opts into (`argmap.toml`, `--warn RULE`), at their severity.
    pub const fn on_by_default(self) -> bool {
        self.defaults().on
    }

    /// Whether a finding leaves the map it is in undrawable (`argmap dot` stops).
    pub const fn blocks_drawing(self) -> bool {
        self.defaults().blocks_drawing
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
    fn rules_are_named_and_in_phase_order() {
        let mut phase = Phase::Load;
        for rule in Rule::all() {
            assert!(
                rule.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{rule} is not kebab-case"
            );
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
            assert!(rule.phase() >= phase, "{rule} is listed out of phase order");
            phase = rule.phase();
        }
        assert_eq!(Rule::all().count(), Rule::COUNT);
        assert_eq!(Rule::from_name("no-such-rule"), None);
        assert!(Rule::DanglingLink.blocks_drawing() && !Rule::SelfLink.blocks_drawing());
        assert_eq!(Rule::DoiNotFound.phase(), Phase::Online);
        assert_eq!(Rule::DuplicateLink.severity(), Severity::Warning);
        assert!(Rule::DuplicateLink.on_by_default() && !Rule::UndeclaredConclusion.on_by_default());
    }
}
