//! Rules about claims' citations and maps' sources.

use crate::diagnostic::{Diagnostic, Label, Rule, Severity};
use crate::model::Corpus;
use crate::suggest::{self, Suggester};

pub static UNKNOWN_REFERENCE: Rule = Rule {
    name: "unknown-reference",
    severity: Severity::Error,
    summary: "a claim cites a key that no reference defines",
    doc: "Every `@key` in a claim's `text` or `cites` must be the `id` of a reference in \
          `references/`. An unknown key is a typo (the message suggests the closest id), a \
          reference not yet entered, or an invented source. pandoc would print the raw key and \
          a warning; argmap makes it an error because an unbacked citation is the problem it \
          exists to catch.",
};

pub static UNCITED_CLAIM: Rule = Rule {
    name: "uncited-claim",
    severity: Severity::Error,
    summary: "a claim cites nothing",
    doc: "Every claim must say where it comes from: the works the paper cites at that point, \
          or the paper itself (its map's `source`, e.g. `cites: [\"@guliev2020\"]`) when the \
          claim is the authors' own reasoning. Add a citation to the claim's text or to its \
          `cites` list.",
};

pub static UNKNOWN_SOURCE: Rule = Rule {
    name: "unknown-source",
    severity: Severity::Error,
    summary: "a map's `source` is not a reference id",
    doc: "A map's `source` names the paper the map is derived from, by its reference id. The \
          paper must be in `references/` like any other work, so that the map can be traced to \
          it and its own reasoning can be cited. Add the paper to the references or correct \
          the id (the message suggests the closest one).",
};

pub(super) fn check(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let index = corpus.reference_index();
    let mut suggester = Suggester::new(corpus.references.iter().map(|r| r.id.value.as_str()));
    let mut budget = suggest::RUN_BUDGET;
    let mut suggest = |key: &str| suggester.suggest(key, &mut budget);
    for map in &corpus.maps {
        if let Some(source) = &map.source
            && !index.contains_key(source.value.as_str())
            && !corpus.may_define(&source.value)
        {
            let mut d = Diagnostic::new(
                &UNKNOWN_SOURCE,
                Label::new(source.span, "not a reference id"),
                format!("map source `{}` is not in the references", source.value),
            );
            d = match suggest(&source.value) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("add the paper to references/ as a CSL item"),
            };
            out.push(d);
        }
        for claim in &map.claims {
            for citation in &claim.citations {
                if index.contains_key(citation.key()) || corpus.may_define(citation.key()) {
                    continue;
                }
                let mut d = Diagnostic::new(
                    &UNKNOWN_REFERENCE,
                    Label::new(citation.key_span, "no such reference"),
                    format!(
                        "claim `{}` cites `@{}`, which is not in the references",
                        claim.id.value,
                        citation.key()
                    ),
                );
                d = match suggest(citation.key()) {
                    Some(s) => d.with_help(format!("did you mean `@{s}`?")),
                    None => d.with_help("add the work to references/, or correct the key"),
                };
                out.push(d);
            }
            if claim.citations.is_empty() && claim.text.is_some() {
                let source = map
                    .source
                    .as_ref()
                    .map_or("the paper's id".to_owned(), |s| format!("@{}", s.value));
                out.push(
                    Diagnostic::new(
                        &UNCITED_CLAIM,
                        Label::new(claim.id.span, "cites nothing"),
                        format!("claim `{}` has no citation", claim.id.value),
                    )
                    .with_help(format!(
                        "cite the works behind it, or the paper itself when it is the authors' \
                         own reasoning: `cites: [\"{source}\"]`"
                    )),
                );
            }
        }
    }
}
