//! Crossref's REST API: what it says about a work it registered, read from its answers as
//! they come (`GET /works/{doi}`, and `GET /works?filter=doi:A,doi:B` for many at once).
//!
//! Kept: the metadata argmap compares, the notices that update the work (`updated-by`:
//! retractions, corrections, expressions of concern) and the works the record is itself a
//! notice for (`update-to`). The same notice reported by the publisher and by Retraction
//! Watch is one notice with two sources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::csl::{Metadata, first_string, item_metadata};
use super::text::sanitize;
use crate::rule::{Rule, RuleDocs};

pub(crate) static CITED_WORK_RETRACTED: RuleDocs = RuleDocs {
    summary: "a cited work has been retracted, withdrawn or removed",
    doc: "Crossref records a notice that retracts the work (also a partial retraction, a \
          withdrawal or a removal), from the publisher or from the Retraction Watch database. \
          Claims resting on it rest on nothing: find other support, or say in the claims that \
          the work was retracted and allow the rule on the reference (`argmap-allow`). The \
          message names the notice, its date and its source; every claim citing the work is \
          shown. Checked online for DOIs Crossref registered \
          (`--no-updates` skips it); works of other agencies are not flagged.",
    example: r#"# references/wakefield1998.yaml
references:
  - id: wakefield1998
    type: article-journal
    author: [{family: Wakefield, given: A. J.}]
    issued: {date-parts: [[1998]]}
    title: >-
      Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and
      pervasive developmental disorder in children
    DOI: 10.1016/S0140-6736(97)11096-0   # retracted in 2010
"#,
    fixed: r#"# references/wakefield1998.yaml
references:
  - id: wakefield1998
    type: article-journal
    author: [{family: Wakefield, given: A. J.}]
    issued: {date-parts: [[1998]]}
    title: >-
      Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and
      pervasive developmental disorder in children
    DOI: 10.1016/S0140-6736(97)11096-0
    argmap-allow: [cited-work-retracted]   # the claims citing it say so
"#,
};

pub(crate) static CITED_WORK_CONCERN: RuleDocs = RuleDocs {
    summary: "a cited work carries an expression of concern",
    doc: "The publisher has issued an expression of concern about the work: its results are \
          in doubt while an investigation runs. Read the notice, and check that the claims \
          citing the work can still rest on it; then allow the rule on the reference \
          (`argmap-allow`), or cite other work.",
    example: r#"# references/energyclub2019.yaml
references:
  - id: energyclub2019
    type: article-journal
    title: "[A study of the SCO Energy Club]"
    DOI: 10.5555/sco-energy-club   # under an expression of concern
"#,
    fixed: r#"# references/energyclub2019.yaml
references:
  - id: energyclub2019
    type: article-journal
    title: "[A study of the SCO Energy Club]"
    DOI: 10.5555/sco-energy-club
    argmap-allow: [cited-work-concern]   # notice read: the claims still hold
"#,
};

pub(crate) static CITED_WORK_CORRECTED: RuleDocs = RuleDocs {
    summary: "a cited work has a correction, erratum, addendum or clarification",
    doc: "A notice corrects the work (correction, corrigendum, erratum, addendum or \
          clarification). Most corrections leave a work's findings standing, some do not: read \
          the notice and check that the claims citing the work still hold. Turn the rule off \
          in `argmap.toml` once checked, or allow it on the reference (`argmap-allow`).",
    example: r#"# references/rats2018.yaml
references:
  - id: rats2018
    type: article-journal
    title: "[A study of the SCO's Regional Antiterrorist Structure]"
    DOI: 10.5555/sco-rats   # a correction was published in 2021
"#,
    fixed: r#"# references/rats2018.yaml
references:
  - id: rats2018
    type: article-journal
    title: "[A study of the SCO's Regional Antiterrorist Structure]"
    DOI: 10.5555/sco-rats
    argmap-allow: [cited-work-corrected]   # notice read: the claims still hold
"#,
};

pub(crate) static DOI_IS_NOTICE: RuleDocs = RuleDocs {
    summary: "a reference's DOI is a retraction notice or erratum, not the work",
    doc: "Crossref's record for the DOI updates another work (`update-to`): the DOI is a \
          notice, a retraction or an erratum, and the reference most likely meant the work it \
          concerns. Use the work's DOI (the message names it), or keep the notice's if the \
          notice is what is cited.",
    example: r#"# references/wakefield1998.yaml
references:
  - id: wakefield1998
    type: article-journal
    title: >-
      Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and
      pervasive developmental disorder in children
    DOI: 10.1016/S0140-6736(10)60175-4   # the retraction notice
"#,
    fixed: r#"# references/wakefield1998.yaml
references:
  - id: wakefield1998
    type: article-journal
    title: >-
      Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and
      pervasive developmental disorder in children
    DOI: 10.1016/S0140-6736(97)11096-0   # the work
"#,
};

/// Longest DOI or label kept from an answer.
const MAX_FIELD_CHARS: usize = 300;
/// Most notices kept per work: a record with more is not a bibliography's concern.
const MAX_NOTICES: usize = 50;

/// What Crossref says about one work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    /// The DOI as Crossref spells it.
    pub doi: String,
    /// The fields argmap compares with the reference.
    pub metadata: Metadata,
    /// Notices that update this work (`updated-by`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updated_by: Vec<Notice>,
    /// Works this record is a notice for (`update-to`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub update_to: Vec<Notice>,
}

/// One update relation: a notice and what kind of update it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The other end of the relation: the notice (in `updated-by`) or the work it updates
    /// (in `update-to`).
    pub doi: String,
    /// The kind of update, normalised (`expression_of_concern`, `retraction`, ...).
    pub kind: String,
    /// When, as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Who reported it (`publisher`, `retraction-watch`), each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Notice {
    /// The rule a cited work updated by this notice falls under, if any (a new version or
    /// edition is no concern).
    pub fn rule(&self) -> Option<Rule> {
        match self.kind.as_str() {
            "retraction" | "partial_retraction" | "withdrawal" | "removal" => {
                Some(Rule::CitedWorkRetracted)
            }
            "expression_of_concern" => Some(Rule::CitedWorkConcern),
            "correction" | "corrigendum" | "erratum" | "addendum" | "clarification" => {
                Some(Rule::CitedWorkCorrected)
            }
            _ => None,
        }
    }

    /// The kind for people: `expression of concern`, `partial retraction`.
    pub fn kind_words(&self) -> String {
        self.kind.replace('_', " ")
    }

    /// The sources for people: `the publisher and Retraction Watch`.
    pub fn sources_words(&self) -> String {
        let named: Vec<String> = self
            .sources
            .iter()
            .map(|s| match s.as_str() {
                "publisher" => "the publisher".to_owned(),
                "retraction-watch" => "Retraction Watch".to_owned(),
                other => other.to_owned(),
            })
            .collect();
        match named.as_slice() {
            [] => "Crossref".to_owned(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

/// Why an answer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not JSON ({0})")]
    /// Not JSON.
    NotJson(#[from] serde_json::Error),
    #[error("the answer is not a Crossref {0}")]
    /// JSON of another shape.
    Shape(&'static str),
}

/// Reads the answer to `GET /works/{doi}`.
pub fn parse_work(body: &[u8]) -> Result<Work, AnswerError> {
    let value: Value = serde_json::from_slice(body)?;
    match (value.get("message-type"), value.get("message")) {
        (Some(Value::String(t)), Some(Value::Object(item))) if t == "work" => Ok(work(item)),
        _ => Err(AnswerError::Shape("work")),
    }
}

/// Reads the answer to `GET /works?filter=doi:...`: the works it lists.
pub fn parse_list(body: &[u8]) -> Result<Vec<Work>, AnswerError> {
    let value: Value = serde_json::from_slice(body)?;
    let items = match (value.get("message-type"), value.get("message")) {
        (Some(Value::String(t)), Some(message)) if t == "work-list" => message.get("items"),
        _ => None,
    };
    match items {
        Some(Value::Array(items)) => Ok(items
            .iter()
            .filter_map(Value::as_object)
            .map(work)
            .filter(|w| !w.doi.is_empty())
            .collect()),
        _ => Err(AnswerError::Shape("work list")),
    }
}

fn work(item: &Map<String, Value>) -> Work {
    let text = |v: Option<&Value>| {
        v.and_then(first_string)
            .map(|s| sanitize(&s, MAX_FIELD_CHARS))
            .unwrap_or_default()
    };
    Work {
        doi: text(item.get("DOI")),
        metadata: item_metadata(item),
        updated_by: notices(item.get("updated-by")),
        update_to: notices(item.get("update-to")),
    }
}

/// The update relations of a list, one per (DOI, kind), their sources merged.
fn notices(list: Option<&Value>) -> Vec<Notice> {
    let mut out: Vec<Notice> = Vec::new();
    for entry in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
    {
        let field = |k: &str| {
            entry
                .get(k)
                .and_then(first_string)
                .map(|s| sanitize(&s, MAX_FIELD_CHARS))
                .filter(|s| !s.is_empty())
        };
        let (Some(doi), Some(kind)) = (field("DOI"), field("type")) else {
            continue;
        };
        // `expression-of-concern` and `Expression_of_Concern` are seen in the wild.
        let kind = kind.to_ascii_lowercase().replace(['-', ' '], "_");
        let date = entry.get("updated").and_then(date);
        let source = field("source").map(|s| s.to_ascii_lowercase());
        let known = out
            .iter()
            .position(|n| n.doi.eq_ignore_ascii_case(&doi) && n.kind == kind);
        match known {
            Some(i) => {
                let known = &mut out[i];
                known
                    .sources
                    .extend(source.filter(|s| !known.sources.contains(s)));
                known.date = known.date.take().or(date);
            }
            None if out.len() < MAX_NOTICES => out.push(Notice {
                doi,
                kind,
                date,
                sources: source.into_iter().collect(),
            }),
            None => {}
        }
    }
    out
}

/// A Crossref date: `{"date-parts": [[2010, 2, 6]]}`, or only `date-time`
/// (`2010-02-06T00:00:00Z`).
fn date(v: &Value) -> Option<String> {
    let parts = v
        .get("date-parts")
        .and_then(Value::as_array)
        .and_then(|p| p.first())
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .map_while(|n| n.as_i64().or_else(|| n.as_str()?.trim().parse().ok()))
                .collect::<Vec<i64>>()
        })
        .filter(|p| !p.is_empty());
    if let Some(p) = parts {
        let year = *p.first()?;
        if !(1..=9999).contains(&year) {
            return None;
        }
        // A month, then a day: each kept only when it can be one, and a day only after a month.
        let rest: String = p[1..]
            .iter()
            .zip([12, 31])
            .take_while(|&(n, most)| (1..=most).contains(n))
            .map(|(n, _)| format!("-{n:02}"))
            .collect();
        return Some(format!("{year:04}{rest}"));
    }
    let stamp = v.get("date-time")?.as_str()?;
    let day = stamp.get(..10)?;
    let valid = day.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    valid.then(|| day.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented Lancet example (`../shared/notes/retractions-and-quotes.md`): a
    /// correction and a retraction, each reported by the publisher and by Retraction Watch.
    const LANCET: &str = r#"{"status":"ok","message-type":"work","message":{
        "DOI":"10.1016/S0140-6736(97)11096-0",
        "title":["Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children"],
        "author":[{"given":"AJ","family":"Wakefield","sequence":"first"}],
        "issued":{"date-parts":[[1998,2]]},
        "updated-by":[
          {"DOI":"10.1016/s0140-6736(04)15715-2","type":"correction","label":"Correction","source":"retraction-watch","updated":{"date-parts":[[2004,3,6]],"date-time":"2004-03-06T00:00:00Z","timestamp":1078531200000},"record-id":"1"},
          {"DOI":"10.1016/s0140-6736(10)60175-4","type":"retraction","label":"Retraction","source":"retraction-watch","updated":{"date-parts":[[2010,2,6]]},"record-id":"2"},
          {"DOI":"10.1016/S0140-6736(10)60175-4","type":"retraction","label":"Retraction","source":"publisher","updated":{"date-time":"2010-02-06T00:00:00Z"}}
        ]}}"#;

    #[test]
    fn reads_notices_and_merges_their_sources() {
        let w = parse_work(LANCET.as_bytes()).unwrap();
        assert_eq!(w.doi, "10.1016/S0140-6736(97)11096-0");
        assert_eq!(w.metadata.first_author.as_deref(), Some("Wakefield"));
        assert_eq!(w.metadata.issued, Some(1998));
        assert_eq!(w.updated_by.len(), 2, "{:?}", w.updated_by);
        let retraction = &w.updated_by[1];
        assert_eq!(retraction.kind, "retraction");
        assert_eq!(retraction.date.as_deref(), Some("2010-02-06"));
        assert_eq!(retraction.sources, ["retraction-watch", "publisher"]);
        assert_eq!(
            retraction.sources_words(),
            "Retraction Watch and the publisher"
        );
        assert_eq!(retraction.rule(), Some(Rule::CitedWorkRetracted));
        assert_eq!(w.updated_by[0].rule(), Some(Rule::CitedWorkCorrected));
        assert!(w.update_to.is_empty());
    }

    #[test]
    fn kinds_are_normalised_and_only_some_concern() {
        let body = br#"{"message-type":"work","message":{"DOI":"10.5555/n","update-to":[
            {"DOI":"10.5555/w","type":"Expression-of-Concern","updated":{"date-time":"2021-05-01T10:00:00Z"}},
            {"DOI":"10.5555/w","type":"new_version"},
            {"type":"retraction"},
            {"DOI":"10.5555/x","type":"withdrawal","updated":{"date-parts":[[2020]]}}]}}"#;
        let w = parse_work(body).unwrap();
        let kinds: Vec<(&str, Option<Rule>, Option<&str>)> = w
            .update_to
            .iter()
            .map(|n| (n.kind.as_str(), n.rule(), n.date.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "expression_of_concern",
                    Some(Rule::CitedWorkConcern),
                    Some("2021-05-01")
                ),
                ("new_version", None, None),
                ("withdrawal", Some(Rule::CitedWorkRetracted), Some("2020")),
            ]
        );
    }

    #[test]
    fn dates_keep_only_a_month_and_a_day_that_can_be() {
        let d = |parts: Value| date(&serde_json::json!({ "date-parts": [parts] }));
        assert_eq!(
            d(serde_json::json!([2012, 12, 31])).as_deref(),
            Some("2012-12-31")
        );
        assert_eq!(d(serde_json::json!([2012, 13, 5])).as_deref(), Some("2012"));
        assert_eq!(
            d(serde_json::json!([2012, 1, 40])).as_deref(),
            Some("2012-01")
        );
        assert_eq!(d(serde_json::json!([2012, 0])).as_deref(), Some("2012"));
        assert_eq!(d(serde_json::json!([0, 1])), None);
    }

    #[test]
    fn notices_are_kept_up_to_the_limit() {
        let many: Vec<serde_json::Value> = (0..MAX_NOTICES + 5)
            .map(|i| serde_json::json!({"DOI": format!("10.5555/n{i}"), "type": "correction"}))
            .collect();
        let body = serde_json::json!({"message-type": "work",
            "message": {"DOI": "10.5555/w", "updated-by": many}});
        let w = parse_work(body.to_string().as_bytes()).unwrap();
        assert_eq!(w.updated_by.len(), MAX_NOTICES);
        assert_eq!(
            w.updated_by[MAX_NOTICES - 1].doi,
            format!("10.5555/n{}", MAX_NOTICES - 1)
        );
    }

    #[test]
    fn lists_and_refusals() {
        let list = br#"{"status":"ok","message-type":"work-list","message":{"total-results":2,
            "items":[{"DOI":"10.5555/a","title":["A"]},{"DOI":"10.5555/b"},{"title":["no DOI"]}]}}"#;
        let works = parse_list(list).unwrap();
        assert_eq!(
            works.iter().map(|w| w.doi.as_str()).collect::<Vec<_>>(),
            ["10.5555/a", "10.5555/b"]
        );
        assert!(matches!(
            parse_list(b"<html>"),
            Err(AnswerError::NotJson(_))
        ));
        assert!(matches!(
            parse_list(br#"{"message-type":"work","message":{"items":[{"DOI":"10.5555/a"}]}}"#),
            Err(AnswerError::Shape(_))
        ));
        assert!(matches!(
            parse_work(br#"{"message-type":"work-list","message":{"items":[]}}"#),
            Err(AnswerError::Shape(_))
        ));
    }

    #[test]
    fn network_strings_are_sanitised() {
        let body = b"{\"message-type\":\"work\",\"message\":{\"DOI\":\"10.5555/a\\u001b[2J\",\"updated-by\":[{\"DOI\":\"10.5555/n\\u0007\",\"type\":\"retraction\",\"source\":\"x\\u001b]0;t\\u0007\"}]}}";
        let w = parse_work(body).unwrap();
        assert_eq!(w.doi, "10.5555/a[2J");
        assert_eq!(w.updated_by[0].doi, "10.5555/n");
        assert!(!w.updated_by[0].sources[0].contains('\u{1b}'));
    }
}
