//! Rule levels, as users set them: `ROOT/argmap.toml`, the command line, and inline
//! `argmap-allow` lists on a claim or a reference.
//!
//! ```toml
//! [rules]
//! cited-work-corrected = "off"      # error, warning or off
//! isolated-claim = "error"
//! ```
//!
//! The command line (`--warn`, `--deny`, `--allow`) wins over the file, which wins over a
//! rule's default. A problem in the file (TOML that does not parse, a name that is no rule,
//! a level that is none) is a `config` finding at its place, with did-you-mean.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Label, Phase, Rule, RuleDocs, Severity};
use crate::model::Corpus;
use crate::source::{FileId, Sources, Span, Spanned};
use crate::suggest;

pub(crate) static CONFIG: RuleDocs = RuleDocs {
    summary: "argmap.toml cannot be read, or names a rule or a level there is none of",
    doc: "`argmap.toml` at ROOT sets the level of rules: a `[rules]` table of rule names, each \
          `error`, `warning` or `off`. TOML that does not parse, a table or key argmap does not \
          know, a name that is no rule (the message suggests the closest) or a level that is \
          none of the three is reported here, and the file's other settings still apply.",
    example: r#"# argmap.toml
[rules]
isolated-claims = "of"
"#,
    fixed: r#"# argmap.toml
[rules]
isolated-claim = "off"
"#,
};

/// How a rule's findings count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// They fail the check.
    Error,
    /// They are reported; they fail the check only with `--deny-warnings`.
    Warning,
    /// They are not reported.
    Off,
}

impl Level {
    /// The level's spelling: `error`, `warning`, `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Off => "off",
        }
    }

    /// Reads a level.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    /// The severity of a finding at this level (`None`: not reported).
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

/// The level of each rule that is not at its default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    set: BTreeMap<Rule, Level>,
}

impl Levels {
    /// Sets a rule's level (a later setting wins).
    pub fn set(&mut self, rule: Rule, level: Level) {
        self.set.insert(rule, level);
    }

    /// These levels, with `other`'s settings winning.
    pub fn then(&self, other: &Levels) -> Levels {
        let mut merged = self.clone();
        merged.set.extend(other.set.iter().map(|(&r, &l)| (r, l)));
        merged
    }

    /// A rule's level: as set, or its default severity. A rule that cannot be silenced
    /// ([`Rule::can_be_silenced`]) keeps its default whatever is set: the file and the flags
    /// report such a setting, this is where it is held to.
    pub fn level(&self, rule: Rule) -> Level {
        self.set
            .get(&rule)
            .filter(|_| rule.can_be_silenced())
            .copied()
            .unwrap_or(match rule.severity() {
                _ if !rule.on_by_default() => Level::Off,
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            })
    }

    /// Whether a rule's findings are reported at all (it is not `off`).
    pub fn runs(&self, rule: Rule) -> bool {
        self.level(rule) != Level::Off
    }

    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

pub(crate) static UNUSED_ALLOW: RuleDocs = RuleDocs {
    summary: "an `argmap-allow` entry silences nothing: its rule finds nothing within the item",
    doc: "An `argmap-allow` entry silences one rule's findings within its claim or reference. \
          Once the data is corrected the entry silences nothing, and it would hide the next, \
          unrelated finding of the rule there: remove it. Entries are judged only for the \
          offline rules that run: not for the online rules (their findings need the network), \
          nor for the quote rules (theirs need the paper's text in `sources/`), nor for a rule \
          turned off. An item that allows `unused-allow` itself is not judged. `--fix` removes \
          the entry (with its separator, or its line when it is alone there).",
    example: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: spillover
    text: Russian-Chinese ties may spill over into the SCO [@guliev2020].
    supports: [thesis]
    argmap-allow: [isolated-claim]
"#,
    fixed: r#"# arguments/russia-sco.yaml
title: Russian engagement in the SCO
source: guliev2020
claims:
  - id: thesis
    text: Russia's SCO policy is confined to regional security [@guliev2020].
  - id: spillover
    text: Russian-Chinese ties may spill over into the SCO [@guliev2020].
    supports: [thesis]
"#,
};

/// The `argmap-allow` lists of the claims and references: a finding within a claim or a
/// reference that allows its rule is not reported, and an entry that silences nothing is
/// (`unused-allow`).
#[derive(Debug, Default)]
pub struct Allowed {
    /// Each claim or reference with an `allow` list, by file and start; extents of one
    /// file do not overlap (claims and references are sibling mappings).
    items: Vec<AllowingItem>,
}

/// A claim or reference with an `allow` list.
#[derive(Debug)]
struct AllowingItem {
    /// Its text, to its block's end and no further than the next item's start.
    extent: Span,
    /// The list, as written.
    entries: Vec<Spanned<Rule>>,
    /// The rules the list names, a bit each: a finding is looked up in O(1) however long
    /// the list.
    rules: u64,
    /// `claim` or `reference`, for messages.
    what: &'static str,
}

/// A rule's bit in a set of rules.
fn bit(rule: Rule) -> u64 {
    const _: () = assert!(Rule::COUNT <= 64);
    1 << rule as u32
}

impl Allowed {
    /// The `allow` lists of a model.
    pub fn of(corpus: &Corpus) -> Allowed {
        let claims = corpus
            .maps
            .iter()
            .flat_map(|m| &m.claims)
            .map(|c| (c.span, &c.allow, "claim"));
        let references = corpus
            .references
            .iter()
            .map(|r| (r.span, &r.allow, "reference"));
        // Most corpora allow nothing: that is found without gathering every item (nor
        // walking the claims of every map again: each map knows).
        if !corpus.maps.iter().any(|m| m.facts().allows)
            && references.clone().all(|(_, allow, _)| allow.is_empty())
        {
            return Allowed::default();
        }
        let items: Vec<_> = claims.chain(references).collect();
        // An item ends where its block ends, and at the latest where the next item of its
        // file starts: flow items (`[{...}, {...}]`) share one indentation.
        let mut starts: Vec<(FileId, usize)> = items
            .iter()
            .map(|(span, ..)| (span.file, span.range().start))
            .collect();
        starts.sort_unstable();
        let mut items: Vec<AllowingItem> = items
            .iter()
            .filter(|(_, allow, _)| !allow.is_empty())
            .map(|&(span, allow, what)| {
                let text = &corpus.sources.get(span.file).text;
                let start = span.range().start;
                let next = starts.partition_point(|&s| s <= (span.file, start));
                let mut end = block_end(text, start);
                if let Some(&(file, next)) = starts.get(next)
                    && file == span.file
                {
                    end = end.min(next);
                }
                AllowingItem {
                    extent: Span::new(span.file, start, end),
                    entries: allow.clone(),
                    rules: allow.iter().fold(0, |rules, r| rules | bit(r.value)),
                    what,
                }
            })
            .collect();
        items.sort_by_key(|item| (item.extent.file, item.extent.start));
        Allowed { items }
    }

    /// The item that silences a finding (its index): the claim or reference the finding
    /// lies within, if that allows its rule.
    fn covering(&self, diagnostic: &Diagnostic) -> Option<usize> {
        let at = diagnostic.primary.span;
        let after = self
            .items
            .partition_point(|item| (item.extent.file, item.extent.start) <= (at.file, at.start));
        // Like `Levels::level`, the mechanism holds what the readers already report.
        if !diagnostic.rule.can_be_silenced() || after == 0 {
            return None;
        }
        let item = &self.items[after - 1];
        (item.extent.file == at.file
            && at.end <= item.extent.end
            && item.rules & bit(diagnostic.rule) != 0)
            .then_some(after - 1)
    }

    /// Removes the findings that lie within an item that allows their rule (the others keep
    /// their order), and returns an `unused-allow` finding for each entry that silenced
    /// nothing (the rule's documentation says which entries are judged).
    pub fn apply(
        &self,
        sources: &Sources,
        diagnostics: &mut Vec<Diagnostic>,
        levels: &Levels,
    ) -> Vec<Diagnostic> {
        let mut unused = Vec::new();
        if self.items.is_empty() {
            return unused;
        }
        // By item: the rules whose findings it silenced, a bit each (however many findings
        // and entries an item has, each is looked at once).
        let mut silenced = vec![0u64; self.items.len()];
        diagnostics.retain(|d| match self.covering(d) {
            Some(item) => {
                silenced[item] |= bit(d.rule);
                false
            }
            None => true,
        });
        if !levels.runs(Rule::UnusedAllow) {
            return unused;
        }
        let judged = |rule: Rule| {
            rule.phase() == Phase::Check
                && levels.runs(rule)
                && !matches!(
                    rule,
                    Rule::QuoteInexact | Rule::QuoteNotInSource | Rule::UnusedAllow
                )
        };
        for (item, &silenced) in self.items.iter().zip(&silenced) {
            if item.rules & bit(Rule::UnusedAllow) != 0 {
                continue;
            }
            for (i, entry) in item.entries.iter().enumerate() {
                let rule = entry.value;
                if !judged(rule) || silenced & bit(rule) != 0 {
                    continue;
                }
                let d = Diagnostic::new(
                    Rule::UnusedAllow,
                    Label::new(entry.span, "silences nothing"),
                    format!(
                        "this {} allows `{rule}`, but no `{rule}` finding lies within it",
                        item.what,
                        rule = rule.name()
                    ),
                )
                .with_help(
                    "remove the entry: once the finding is gone, it would only hide the next one",
                );
                let text = &sources.get(entry.span.file).text;
                unused.push(match removal(text, &item.entries, i) {
                    Some(range) => d.with_fix(Fix::replace(
                        format!("remove `{}` from `argmap-allow`", rule.name()),
                        Span::new(entry.span.file, range.start, range.end),
                        "",
                        Applicability::Safe,
                    )),
                    None => d,
                });
            }
        }
        unused
    }
}

/// The text to delete to remove entry `i` of an allow list and nothing else: with the
/// separator before it (after another entry) or after it (before another), or the whole line
/// when it is the only entry, written on the key's line (`argmap-allow: [rule]`). `None`
/// when the list's text is not that plain: a comment, or an entry argmap could not read,
/// sits beside the entry, or a lone entry shares its line with more.
fn removal(text: &str, entries: &[Spanned<Rule>], i: usize) -> Option<std::ops::Range<usize>> {
    let plain_gap = crate::yaml::is_list_separator;
    let this = entries[i].span.range();
    if i > 0 {
        let before = entries[i - 1].span.range();
        return plain_gap(text.get(before.end..this.start)?).then_some(before.end..this.end);
    }
    if let Some(next) = entries.get(1) {
        let next = next.span.range();
        return plain_gap(text.get(this.end..next.start)?).then_some(this.start..next.start);
    }
    let line_start = text.get(..this.start)?.rfind('\n').map_or(0, |p| p + 1);
    let rest = text.get(this.end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |p| this.end + p + 1);
    let squeezed = |s: &str| s.split_whitespace().collect::<String>();
    let before = squeezed(&text[line_start..this.start]);
    let after = squeezed(&text[this.end..line_end]);
    let alone = matches!(
        (before.as_str(), after.as_str()),
        ("argmap-allow:", "") | ("argmap-allow:[", "]")
    );
    alone.then_some(line_start..line_end)
}

/// Where the block collection that starts at `start` ends: at the first later line that is
/// indented less than its first token (blank and comment lines aside), or at the end of
/// the text. The readers label a collection at its first token only; its extent is what a
/// suppression covers, cut at the next sibling's start. A flow collection whose lines are
/// indented less than its bracket ends early, which can only report a finding, never hide
/// one.
fn block_end(text: &str, start: usize) -> usize {
    let start = start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let column = start - line_start;
    let mut at = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let line = &text[at..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line[indent..].trim_end();
        if !rest.is_empty() && !rest.starts_with('#') && indent < column {
            return at;
        }
        at = line_end;
    }
    text.len()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
}

/// Reads `argmap.toml` (`file` is its id, for the diagnostics' spans): the levels it sets,
/// and what is wrong with it.
pub fn parse(text: &str, file: FileId) -> (Levels, Vec<Diagnostic>) {
    let mut levels = Levels::default();
    let mut out = Vec::new();
    let at = |range: std::ops::Range<usize>| Span::new(file, range.start, range.end);
    let parsed: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            out.push(
                Diagnostic::new(
                    Rule::Config,
                    Label::new(at(span), "here"),
                    format!("argmap.toml: {}", e.message().trim()),
                )
                .with_help("argmap.toml holds a `[rules]` table: `rule-name = \"off\"`"),
            );
            return (levels, out);
        }
    };
    for (name, value) in parsed.rules {
        let Some(rule) = Rule::from_name(name.get_ref()) else {
            let help = match suggest::did_you_mean(name.get_ref(), Rule::all().map(Rule::name)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`argmap rules` lists the rules".to_owned(),
            };
            out.push(
                Diagnostic::new(
                    Rule::Config,
                    Label::new(at(name.span()), "no such rule"),
                    format!("argmap.toml: there is no rule `{}`", name.get_ref()),
                )
                .with_help(help),
            );
            continue;
        };
        let level = value.get_ref().as_str().and_then(Level::parse);
        match level {
            Some(level) if !rule.can_be_silenced() && level != Level::Error => out.push(
                Diagnostic::new(
                    Rule::Config,
                    Label::new(at(value.span()), "not taken"),
                    format!("argmap.toml: the level of `{rule}` cannot be changed"),
                )
                .with_help(Rule::FIXED_LEVEL),
            ),
            Some(level) => levels.set(rule, level),
            None => {
                let written = text.get(value.span()).unwrap_or_default().to_owned();
                let help = match value
                    .get_ref()
                    .as_str()
                    .and_then(|v| suggest::did_you_mean(v, ["error", "warning", "off"]))
                {
                    Some(s) => format!("did you mean `\"{s}\"`?"),
                    None => "a level is \"error\", \"warning\" or \"off\"".to_owned(),
                };
                out.push(
                    Diagnostic::new(
                        Rule::Config,
                        Label::new(at(value.span()), "not a level"),
                        format!("argmap.toml: `{written}` is not a level of `{rule}`"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    (levels, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_that_means_input_was_not_read_keeps_its_level() {
        let mut levels = Levels::default();
        levels.set(Rule::Schema, Level::Off);
        levels.set(Rule::IsolatedClaim, Level::Off);
        assert_eq!(levels.level(Rule::Schema), Level::Error);
        assert_eq!(levels.level(Rule::IsolatedClaim), Level::Off);
    }

    #[test]
    fn levels_are_read_and_mistakes_placed() {
        let text =
            "[rules]\nisolated-claim = \"off\"\nisolated-claims = \"off\"\nschema = \"of\"\n";
        let (levels, findings) = parse(text, FileId(0));
        assert_eq!(levels.level(Rule::IsolatedClaim), Level::Off);
        assert_eq!(
            levels.level(Rule::Schema),
            Level::Error,
            "a bad level leaves the default"
        );
        assert_eq!(levels.level(Rule::UnusedReference), Level::Warning);
        let places: Vec<(&str, &str)> = findings
            .iter()
            .map(|d| (&text[d.primary.span.range()], d.help.as_deref().unwrap()))
            .collect();
        assert_eq!(
            places,
            [
                ("isolated-claims", "did you mean `isolated-claim`?"),
                ("\"of\"", "did you mean `\"off\"`?")
            ]
        );
        let (_, findings) = parse("[rules\n", FileId(0));
        assert_eq!(findings.len(), 1);
        let (_, findings) = parse("[ruless]\n", FileId(0));
        assert!(findings[0].message.contains("ruless"), "{:?}", findings[0]);
    }

    #[test]
    fn a_block_ends_at_the_first_line_indented_less() {
        let text = "claims:\n  - id: a\n    text: |\n      deep\n\n# note\n    allow: [x]\n  - id: b\ntitle: t\n";
        let a = text.find("id: a").unwrap();
        assert_eq!(
            &text[a..block_end(text, a)],
            &text[a..text.find("  - id: b").unwrap()]
        );
        let b = text.find("id: b").unwrap();
        assert_eq!(&text[b..block_end(text, b)], "id: b\n");
        let last = "  - id: c\n    text: t";
        assert_eq!(block_end(last, 4), last.len());
    }

    #[test]
    fn the_command_line_wins() {
        let (file, _) = parse("[rules]\nisolated-claim = \"off\"\n", FileId(0));
        let mut cli = Levels::default();
        cli.set(Rule::IsolatedClaim, Level::Error);
        assert_eq!(file.then(&cli).level(Rule::IsolatedClaim), Level::Error);
    }
}
