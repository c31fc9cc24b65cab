//! Reading the CSL-JSON that registration agencies return, as they really return it.
//!
//! Only what argmap compares is kept. The reader is tolerant: `title` as a string or an
//! array, an item wrapped in a one-element array, `date-parts` nested, flat, empty or
//! null, years as numbers or strings, `literal` authors, and any number of extra fields.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::text::sanitize;

/// Longest string kept from an answer: anything longer is not a title or a name.
const MAX_FIELD_CHARS: usize = 2000;

/// What a work's registered metadata says about the fields argmap checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The title (the first, when several are given).
    pub title: Option<String>,
    /// Crossref keeps subtitles apart from the title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subtitles: Vec<String>,
    /// The earliest publication year (online-first, often).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The year of the print edition, when the agency gives it.
    pub published_print: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The year of the online edition, when the agency gives it.
    pub published_online: Option<i32>,
    /// The first author's family name (with its particle) or literal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_author: Option<String>,
}

/// Why an answer is not CSL-JSON.
#[derive(Debug, thiserror::Error)]
pub enum CslError {
    #[error("the answer is not JSON ({0})")]
    /// The body is not JSON.
    NotJson(#[from] serde_json::Error),
    #[error("the answer is JSON but not a CSL item")]
    /// The JSON is not one CSL item.
    NotAnItem,
}

/// Reads one CSL-JSON item (or a one-item array, as some services wrap it).
pub fn parse(body: &[u8]) -> Result<Metadata, CslError> {
    let value: Value = serde_json::from_slice(body)?;
    let item = match &value {
        Value::Object(item) => item,
        Value::Array(items) => match items.first() {
            Some(Value::Object(item)) => item,
            _ => return Err(CslError::NotAnItem),
        },
        _ => return Err(CslError::NotAnItem),
    };
    Ok(item_metadata(item))
}

/// The compared fields of one CSL item, or of a Crossref REST item (the same names).
pub(super) fn item_metadata(item: &serde_json::Map<String, Value>) -> Metadata {
    Metadata {
        title: item.get("title").and_then(first_string),
        subtitles: match item.get("subtitle") {
            Some(Value::Array(all)) => all.iter().filter_map(first_string).collect(),
            Some(one) => first_string(one).into_iter().collect(),
            None => Vec::new(),
        },
        issued: item.get("issued").and_then(year),
        published_print: item.get("published-print").and_then(year),
        published_online: item.get("published-online").and_then(year),
        first_author: item.get("author").and_then(first_author),
    }
}

/// A non-empty string, or the first non-empty string of an array.
pub(super) fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(sanitize(s, MAX_FIELD_CHARS)).filter(|s| !s.is_empty()),
        Value::Array(all) => all.iter().find_map(first_string),
        _ => None,
    }
}

/// The year of a CSL date: `{"date-parts": [[2013, 7, 5]]}` and its degenerate forms
/// (`[2013]`, `[[]]`, `[[null]]`, `null`, `[["2013"]]`), `raw` or `literal` strings,
/// or a bare date string.
fn year(date: &Value) -> Option<i32> {
    match date {
        Value::Object(d) => {
            let from_parts = d.get("date-parts").and_then(|parts| {
                let first = parts.as_array()?.first()?;
                match first {
                    Value::Array(inner) => inner.first().and_then(year_part),
                    flat => year_part(flat),
                }
            });
            from_parts.or_else(|| {
                ["raw", "literal"]
                    .iter()
                    .find_map(|k| d.get(*k).and_then(Value::as_str).and_then(year_in))
            })
        }
        Value::String(s) => year_in(s),
        _ => None,
    }
}

fn year_part(v: &Value) -> Option<i32> {
    let y = match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    i32::try_from(y).ok().filter(|y| (1..=9999).contains(y))
}

/// The first run of exactly four digits in a free-form date (`2013-07-05`, `Summer 2013`).
fn year_in(s: &str) -> Option<i32> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4 {
            return s[start..i].parse().ok();
        }
        i = i.max(start + 1);
    }
    None
}

/// The author Crossref marks `"sequence": "first"`, else the first one listed.
fn first_author(authors: &Value) -> Option<String> {
    let authors = authors.as_array()?;
    let is_first = |a: &&Value| a.get("sequence").and_then(Value::as_str) == Some("first");
    let author = authors
        .iter()
        .find(is_first)
        .or_else(|| authors.iter().find(|a| a.is_object()))?;
    let family = author.get("family").and_then(first_string);
    match family {
        Some(family) => {
            let particle = author.get("non-dropping-particle").and_then(first_string);
            Some(match particle {
                Some(p) => format!("{p} {family}"),
                None => family,
            })
        }
        None => author.get("literal").and_then(first_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shapes_agencies_send() {
        let m = parse(
            br#"{"title": ["A title", "ignored"], "subtitle": "sub",
                 "issued": {"date-parts": [2013, 7]},
                 "published-print": {"date-parts": [["2014", "1"]]},
                 "author": [{"literal": "World Bank"}], "member": "1", "reference": []}"#,
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("A title"));
        assert_eq!(m.subtitles, ["sub"]);
        assert_eq!(m.issued, Some(2013));
        assert_eq!(m.published_print, Some(2014));
        assert_eq!(m.first_author.as_deref(), Some("World Bank"));
    }

    #[test]
    fn prefers_the_author_marked_first_and_keeps_particles() {
        let m = parse(
            br#"{"author": [{"family": "Second", "sequence": "additional"},
                            {"family": "Gogh", "non-dropping-particle": "van", "sequence": "first"}]}"#,
        )
        .unwrap();
        assert_eq!(m.first_author.as_deref(), Some("van Gogh"));
    }

    #[test]
    fn degenerate_dates_have_no_year() {
        for date in [
            r#"{"date-parts": [[]]}"#,
            r#"{"date-parts": [[null]]}"#,
            r#"{"date-parts": null}"#,
            r#"{"date-parts": []}"#,
            r#"null"#,
            r#"{}"#,
        ] {
            let m = parse(format!(r#"{{"issued": {date}}}"#).as_bytes()).unwrap();
            assert_eq!(m.issued, None, "{date}");
        }
        let m = parse(br#"{"issued": {"raw": "Summer 2013"}}"#).unwrap();
        assert_eq!(m.issued, Some(2013));
        let m = parse(br#"{"issued": "2013-07-05"}"#).unwrap();
        assert_eq!(m.issued, Some(2013));
    }

    #[test]
    fn refuses_what_is_not_an_item() {
        assert!(matches!(parse(b"<html>"), Err(CslError::NotJson(_))));
        assert!(matches!(parse(b"[]"), Err(CslError::NotAnItem)));
        assert!(matches!(parse(b"\"x\""), Err(CslError::NotAnItem)));
    }

    fn fixture(name: &str) -> Metadata {
        // `../shared` beside the repository, or where ARGMAP_SHARED says (a copy of the
        // tree elsewhere, as cargo-mutants makes).
        let shared = std::env::var("ARGMAP_SHARED")
            .unwrap_or_else(|_| format!("{}/../shared", env!("CARGO_MANIFEST_DIR")));
        let path = format!("{shared}/fixtures/csl/{name}");
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        parse(&body).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn reads_recorded_answers() {
        let m = fixture("crossref-cn-10.1126-science.169.3946.635.json");
        assert_eq!(m.title.as_deref(), Some("The Structure of Ordinary Water"));
        assert_eq!(m.subtitles.len(), 1);
        assert_eq!((m.issued, m.published_print), (Some(1970), Some(1970)));
        assert_eq!(m.first_author.as_deref(), Some("Frank"));

        let m = fixture("manubot-crossref-winter-scabs-csl.json");
        assert_eq!(m.first_author.as_deref(), Some("WINTER"));
        assert_eq!((m.issued, m.published_online), (Some(1962), Some(1962)));

        assert_eq!(fixture("manubot-empty-csl.json"), Metadata::default());
        let m = fixture("manubot-empty-date-parts-csl.json");
        assert_eq!((m.issued, m.first_author.as_deref()), (None, Some("Pepe")));
        assert_eq!(fixture("manubot-null-date-parts-csl.json").issued, None);
        assert_eq!(
            fixture("manubot-excess-date-parts-csl.json").issued,
            Some(2018)
        );
    }

    #[test]
    fn network_strings_are_sanitized() {
        let m = parse(b"{\"title\": \"evil\\u001b]0;pwned\\u0007 title\\n  here\"}").unwrap();
        assert_eq!(m.title.as_deref(), Some("evil]0;pwned title here"));
    }
}
