//! Rules about the reference list: ids, DOIs, and references nobody cites.

use rustc_hash::FxHashMap as HashMap;

use crate::config::Levels;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Label, Rule, RuleDocs};
use crate::doi::Doi;
use crate::graph::Graph;
use crate::model::Corpus;
use crate::yaml;

pub(crate) static DUPLICATE_REFERENCE_ID: RuleDocs = RuleDocs {
    summary: "two references share one id",
    doc: "Every reference id (citation key) must be unique across all files in `references/`. \
          With two items under one key, a citation can only ever reach one of them, and pandoc \
          silently uses the first. Rename one of them (and its citations), or delete the copy. \
          Both places are labelled.",
    example: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
  - id: song2014   # the same work, entered again
    type: article-journal
    title: China's Difficult Game in the SCO
"#,
    fixed: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
"#,
};

pub(crate) static INVALID_DOI: RuleDocs = RuleDocs {
    summary: "a DOI field does not hold a DOI",
    doc: "A DOI has the form `10.<registrant>/<suffix>`, e.g. `10.1126/science.169.3946.635`, \
          once resolver prefixes (`https://doi.org/`), a `doi:` scheme, surrounding spaces and \
          trailing punctuation are removed. A value that is still not of that form cannot be \
          resolved; it is usually a typo, an ISBN or a URL in the wrong field. Fix it, move it \
          to the right field (`URL`, `ISBN`), or remove it.",
    example: r#"# references/guliev2020.yaml
references:
  - id: guliev2020
    type: article-journal
    title: >-
      Russian Engagement in the Shanghai Cooperation Organization: Motives
      and Current Situation
    DOI: www.researchtrend.net   # the publisher's website, as printed
"#,
    fixed: r#"# references/guliev2020.yaml
references:
  - id: guliev2020
    type: article-journal
    title: >-
      Russian Engagement in the Shanghai Cooperation Organization: Motives
      and Current Situation
    URL: http://www.researchtrend.net
"#,
};

pub(crate) static NON_CANONICAL_DOI: RuleDocs = RuleDocs {
    summary: "a DOI is written in a pasted form instead of the bare DOI",
    doc: "CSL's `DOI` variable holds the bare DOI (`10.1234/abc`). Forms such as \
          `doi:10.1234/abc`, `https://doi.org/10.1234/abc`, `http://dx.doi.org/...`, stray \
          spaces, trailing punctuation or LaTeX escapes work in some tools and break in others \
          (citation styles prepend `https://doi.org/` themselves). The message gives the \
          canonical form to write instead.",
    example: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: https://doi.org/10.1080/10670564.2013.809981
"#,
    fixed: r#"# references/song2014.yaml
references:
  - id: song2014
    type: article-journal
    title: >-
      Interests, Power and China's Difficult Game in the Shanghai
      Cooperation Organization (SCO)
    DOI: 10.1080/10670564.2013.809981
"#,
};

pub(crate) static DUPLICATE_DOI: RuleDocs = RuleDocs {
    summary: "two references carry the same DOI",
    doc: "A DOI identifies one work, so two references with the same DOI (compared without \
          regard to case, as the DOI system does) are usually one work entered twice, or a DOI \
          copied onto the wrong entry. Merge the entries, or correct the DOI. Both places are \
          labelled.",
    example: r#"# references/yun2012.yaml
references:
  - id: yun2012
    type: article-journal
    title: >-
      An Analysis of the Multilateral Cooperation and Competition between
      Russia and China in the Shanghai Cooperation Organization
    DOI: 10.1080/10670564.2013.809981   # copied from song2014
"#,
    fixed: r#"# references/yun2012.yaml
references:
  - id: yun2012
    type: article-journal
    title: >-
      An Analysis of the Multilateral Cooperation and Competition between
      Russia and China in the Shanghai Cooperation Organization
    DOI: 10.1111/j.1976-5118.2012.01076.x
"#,
};

pub(crate) static UNUSED_REFERENCE: RuleDocs = RuleDocs {
    summary: "a reference is cited by no claim",
    doc: "Every reference should back at least one claim, or be the `source` of a map. An \
          unused entry is either a citation that was forgotten in a map (add it to the claim it \
          supports) or a leftover (delete it). Like checkcites for LaTeX, this keeps the \
          bibliography and the argument in step. Not reported while a map file cannot be \
          read, since that map may cite anything.",
    example: r#"# references/zhao2003.yaml
references:
  - id: zhao2003   # no claim cites it
    type: document
    author: [{family: Zhao, given: Huasheng}]
    issued: {date-parts: [[2003]]}
    title: "[Work cited as Zhao 2003]"
# arguments/china-scholars.yaml
title: Chinese scholarship on the SCO
source: chinasco
claims:
  - id: zhao-prolific
    text: Zhao Huasheng has written on the SCO since 2003 [@chinasco].
"#,
    fixed: r#"# references/zhao2003.yaml
references:
  - id: zhao2003
    type: document
    author: [{family: Zhao, given: Huasheng}]
    issued: {date-parts: [[2003]]}
    title: "[Work cited as Zhao 2003]"
# arguments/china-scholars.yaml
title: Chinese scholarship on the SCO
source: chinasco
claims:
  - id: zhao-prolific
    text: Zhao Huasheng has written on the SCO since 2003 [@chinasco; @zhao2003].
"#,
};

pub(super) fn check(graph: &Graph, _: &Levels, out: &mut Vec<Diagnostic>) {
    let corpus = graph.corpus();
    duplicate_ids(corpus, out);
    dois(corpus, out);
}

fn duplicate_ids(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let mut first = HashMap::with_capacity_and_hasher(corpus.references.len(), Default::default());
    for r in &corpus.references {
        if let Some(prev) = first.insert(r.id.value.as_str(), r.id.span) {
            first.insert(r.id.value.as_str(), prev);
            out.push(
                Diagnostic::new(
                    Rule::DuplicateReferenceId,
                    Label::new(r.id.span, "defined again here"),
                    format!("reference id `{}` is defined twice", r.id.value),
                )
                .with_related(Label::new(prev, "first defined here"))
                .with_help("rename one of the entries or delete the copy"),
            );
        }
    }
}

fn dois(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<Doi, &crate::model::Reference> = HashMap::default();
    for r in &corpus.references {
        let Some(field) = &r.doi else { continue };
        match &field.parsed {
            Err(why) => out.push(
                Diagnostic::new(
                    Rule::InvalidDoi,
                    Label::new(field.raw.span, "not a DOI"),
                    format!("`{}` is not a DOI: {why}", field.raw.value),
                )
                .with_help("a DOI looks like `10.1126/science.169.3946.635`"),
            ),
            Ok(parsed) => {
                if !parsed.is_canonical() {
                    let what: Vec<String> = parsed.cleanups.iter().map(|c| c.to_string()).collect();
                    let mut d = Diagnostic::new(
                        Rule::NonCanonicalDoi,
                        Label::new(field.raw.span, format!("write `{}`", parsed.doi)),
                        format!(
                            "DOI `{}` is not in canonical form ({})",
                            field.raw.value,
                            what.join(", ")
                        ),
                    )
                    .with_help(format!("write the bare DOI: `DOI: {}`", parsed.doi));
                    // Safe: the same DOI, written the way CSL expects.
                    let text = &corpus.sources.get(field.raw.span.file).text;
                    if let Some(new) =
                        yaml::rewrite_scalar(text, field.raw.span.range(), parsed.doi.as_str())
                    {
                        d = d.with_fix(Fix::replace(
                            format!("write `{}`", parsed.doi),
                            field.raw.span,
                            new,
                            Applicability::Safe,
                        ));
                    }
                    out.push(d);
                }
                if let Some(prev) = seen.get(&parsed.doi) {
                    out.push(
                        Diagnostic::new(
                            Rule::DuplicateDoi,
                            Label::new(
                                field.raw.span,
                                format!("also the DOI of `{}`", prev.id.value),
                            ),
                            format!(
                                "references `{}` and `{}` have the same DOI {}",
                                prev.id.value, r.id.value, parsed.doi
                            ),
                        )
                        .with_related(Label::new(
                            prev.doi.as_ref().map_or(prev.id.span, |d| d.raw.span),
                            format!("DOI of `{}`", prev.id.value),
                        ))
                        .with_help("merge the two entries, or correct the DOI"),
                    );
                } else {
                    seen.insert(parsed.doi.clone(), r);
                }
            }
        }
    }
}

/// `unused-reference`, given the references each map cites (by the index of the first
/// reference with each id; see the citation rules, which resolve the keys).
pub(super) fn unused<'m>(
    graph: &Graph,
    cited_by_maps: impl Iterator<Item = &'m [u32]>,
    out: &mut Vec<Diagnostic>,
) {
    let corpus = graph.corpus();
    // A map that could not be read (in full) may cite anything: do not guess.
    if !corpus.unreadable_maps.is_empty() || corpus.incomplete_maps {
        return;
    }
    let mut cited = vec![false; corpus.references.len()];
    for i in cited_by_maps.flatten() {
        cited[*i as usize] = true;
    }
    // A cited index is the first reference of its id; another of the same id is used
    // when that first one is (as pandoc, citing the key, would find the first).
    let used = |i: usize, id: &str| {
        cited[i] || graph.reference_index(id).is_some_and(|first| cited[first])
    };
    for (i, r) in corpus.references.iter().enumerate() {
        if !used(i, &r.id.value) {
            out.push(
                Diagnostic::new(
                    Rule::UnusedReference,
                    Label::new(r.id.span, "cited nowhere"),
                    format!("reference `{}` is not cited by any claim", r.id.value),
                )
                .with_help(match crate::citation::cite_form(&r.id.value) {
                    Some(form) => {
                        format!("cite it where it backs a claim (`[{form}]`), or remove the entry")
                    }
                    None => "no citation can name this id (pandoc reads no key with white space \
                             or unbalanced braces): rename it, or remove the entry"
                        .to_owned(),
                }),
            );
        }
    }
}
