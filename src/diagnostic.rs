//! Diagnostics: what a rule found, where, and how to fix it. Values, not output: the
//! `report` module turns them into text for people and machines.

use std::sync::Arc;

use crate::source::Span;

pub use crate::rule::{Phase, Rule, RuleDocs, Severity};
pub use crate::suggest::did_you_mean;

/// A text of a finding: fixed (one for every finding) or written for one finding and
/// shared by its copies, so that keeping findings between analyses copies no text.
#[derive(Clone, Debug)]
pub enum Text {
    /// Fixed advice or a fixed label.
    Fixed(&'static str),
    /// Written for the finding.
    Written(Arc<str>),
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Fixed(s) => s,
            Text::Written(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Fixed(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Written(s.into())
    }
}

impl From<std::fmt::Arguments<'_>> for Text {
    /// Written once, straight into its shared form (`format!` would write a `String`
    /// first, and copy it): for texts written per finding, which may be many.
    fn from(args: std::fmt::Arguments<'_>) -> Self {
        use std::fmt::Write;
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        if let Some(fixed) = args.as_str() {
            return Text::Fixed(fixed);
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                buffer.clear();
                buffer
                    .write_fmt(args)
                    .expect("writing to a String cannot fail");
                Text::Written(Arc::from(buffer.as_str()))
            }
            // Written while another is (a `Display` that writes a text): its own string.
            Err(_) => Text::Written(args.to_string().into()),
        })
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// The related places of a finding: none (most findings, no allocation), or a list shared
/// by the finding's copies and by findings that name the same places (every out-of-range
/// locator of one work names its `page` field), so that copying a finding copies no list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Related(Option<Arc<[Label]>>);

impl Related {
    /// The places, shared.
    pub fn shared(labels: Arc<[Label]>) -> Self {
        Related((!labels.is_empty()).then_some(labels))
    }

    fn push(&mut self, label: Label) {
        let mut labels = self.to_vec();
        labels.push(label);
        self.0 = Some(labels.into());
    }
}

impl std::ops::Deref for Related {
    type Target = [Label];

    fn deref(&self) -> &[Label] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl<'a> IntoIterator for &'a Related {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A place in a source file with a short explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The place.
    pub span: Span,
    /// What is there; may be empty (most labels are fixed text, shared, not copied).
    pub message: Text,
}

impl Label {
    /// A label at `span` saying `message`.
    pub fn new(span: Span, message: impl Into<Text>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// The fix only corrects the spelling of what was meant (a field name, a DOI's form):
    /// `argmap check --fix` applies it.
    Safe,
    /// The fix guesses what was meant (the closest reference or claim to a typo): it is
    /// offered, and applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One text replacement: the bytes of `span` become `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// What is replaced (empty to insert).
    pub span: Span,
    /// What replaces it, as it is written in the file (quoted and escaped as needed).
    pub replacement: String,
}

/// A fix a rule knows for its finding: a title and the edits that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for people (`replace with @song2014`).
    pub title: String,
    /// The edits, in no particular order; they never overlap.
    pub edits: Vec<Edit>,
    /// Whether `--fix` applies it on its own.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix of one edit.
    pub fn replace(
        title: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
        applicability: Applicability,
    ) -> Self {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
            applicability,
        }
    }
}

/// One finding: which rule, what is wrong, the offending token and any related places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
    /// What is wrong, in one sentence.
    pub message: Text,
    /// The offending token.
    pub primary: Label,
    /// Other places that explain the finding (the first definition of a duplicate,
    /// the other links of a cycle), in any file.
    pub related: Related,
    /// How to fix it, in words (most advice is fixed text, shared, not copied per finding).
    pub help: Option<Text>,
    /// How to fix it, as edits (when the rule knows).
    pub fixes: Vec<Fix>,
    /// How serious it is: the rule's default, or the level the user set for the rule.
    pub severity: Severity,
}

impl Diagnostic {
    /// A finding of `rule` at `primary`.
    pub fn new(rule: Rule, primary: Label, message: impl Into<Text>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            primary,
            related: Related::default(),
            help: None,
            fixes: Vec::new(),
            severity: rule.severity(),
        }
    }

    /// The same finding with advice.
    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same finding with one more related place. (A finding names a few at most:
    /// each call copies the list.)
    pub fn with_related(mut self, label: Label) -> Self {
        self.related.push(label);
        self
    }

    /// The same finding with these related places, shared.
    pub fn with_related_shared(mut self, labels: Arc<[Label]>) -> Self {
        self.related = Related::shared(labels);
        self
    }

    /// The same finding with a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// How serious it is.
    pub fn severity(&self) -> Severity {
        self.severity
    }
}

/// `1 map`, `2 maps`: a count and its noun, for messages and summaries.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_written_from_arguments_is_what_format_writes() {
        let n = 7;
        let text = Text::from(format_args!("claim `{}` cites p. {n}", "c1"));
        assert!(matches!(text, Text::Written(_)));
        assert_eq!(text.as_str(), format!("claim `{}` cites p. {n}", "c1"));
        assert!(matches!(
            Text::from(format_args!("fixed")),
            Text::Fixed("fixed")
        ));
        // A value whose `Display` writes a text itself, while the outer one is written.
        struct Nested;
        impl std::fmt::Display for Nested {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let inner = Text::from(format_args!("inner {}", 1));
                f.write_str(&inner)
            }
        }
        let outer = Text::from(format_args!("outer {} {}", Nested, 2));
        assert_eq!(outer.as_str(), "outer inner 1 2");
        let again = Text::from(format_args!("{}", "reused buffer"));
        assert_eq!(again.as_str(), "reused buffer");
    }
}
