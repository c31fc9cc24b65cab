//! Diagnostics: what a rule found, where, and how to fix it. Values, not output: the
//! `report` module turns them into text for people and machines.

use std::fmt;

use crate::source::Span;

/// How serious a finding is. Errors fail `argmap check`; warnings do with `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
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

/// A rule: a stable kebab-case name, a severity and the documentation `argmap rules` shows.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// A paragraph: why it matters and how to fix it.
    pub doc: &'static str,
}

/// A place in a source file with a short explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One finding: which rule, what is wrong, the offending token and any related places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub message: String,
    /// The offending token.
    pub primary: Label,
    /// Other places that explain the finding (the first definition of a duplicate,
    /// the other links of a cycle), in any file.
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, primary: Label, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            primary,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, label: Label) -> Self {
        self.related.push(label);
        self
    }

    pub fn severity(&self) -> Severity {
        self.rule.severity
    }
}

pub use crate::suggest::did_you_mean;
