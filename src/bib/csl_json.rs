//! A CSL-JSON item (a DOI's registered metadata, or an item of a CSL-JSON file) as an
//! [`Entry`]: the variables CSL-YAML writes, names and dates read as agencies write them
//! (a title as a string or a list, `date-parts` as numbers or strings, Crossref's type
//! vocabulary mapped to CSL's), and the names of what was left out.

use serde_json::{Map, Value};

use super::{Entry, Field};
use crate::csl;
use crate::model::Name;

/// What `argmap add` keeps of a DOI's metadata, in the order it is written.
pub const ADDED: &[&str] = &[
    "title",
    "author",
    "editor",
    "issued",
    "container-title",
    "volume",
    "issue",
    "page",
    "publisher",
    "DOI",
    "URL",
];

/// Longest text kept from a field: a title or a name is shorter.
const MAX_CHARS: usize = 2000;

/// An entry from a CSL-JSON item, keeping the variables `keep` lists (every CSL variable
/// when `None`), and what it left out: each variable by name, with why when it is not just
/// "not kept". The id is the item's (`id`), to be replaced by the caller when it makes one.
pub fn entry(item: &Map<String, Value>, keep: Option<&[&str]>) -> (Entry, Vec<String>) {
    let mut lost = Vec::new();
    let raw_type = item.get("type").and_then(Value::as_str).unwrap_or("");
    let csl_type = if csl::CSL_TYPES.contains(&raw_type) {
        raw_type.to_owned()
    } else if let Some(t) = csl::type_alias(raw_type) {
        t.to_owned()
    } else {
        if !raw_type.is_empty() {
            lost.push(format!(
                "type `{raw_type}` (no CSL type; written `document`)"
            ));
        }
        "document".to_owned()
    };
    let id = item.get("id").map(text_of).unwrap_or_default();
    let mut entry = Entry {
        id,
        csl_type,
        fields: Vec::new(),
    };
    let order: Vec<&str> = match keep {
        Some(keep) => keep.to_vec(),
        None => {
            // Every variable, the usual ones first, then the rest in the item's order.
            let mut all: Vec<&str> = ADDED.to_vec();
            all.extend(
                item.keys()
                    .map(String::as_str)
                    .filter(|k| !ADDED.contains(k)),
            );
            all
        }
    };
    for name in order {
        let Some(value) = item.get(name) else {
            continue;
        };
        if value.is_null() || matches!(name, "id" | "type") {
            continue;
        }
        let name_owned = name.to_owned();
        if csl::NAME_VARIABLES.contains(&name) {
            let (names, dropped) = names(value);
            if !dropped.is_empty() {
                lost.push(format!("{name}: {}", dropped.join(", ")));
            }
            if !names.is_empty() {
                entry.fields.push((name_owned, Field::Names(names)));
            }
        } else if csl::DATE_VARIABLES.contains(&name) {
            match date(value) {
                Some(field) => entry.fields.push((name_owned, field)),
                None if is_empty(value) => {}
                None => lost.push(format!("{name} (not a date argmap reads)")),
            }
        } else if csl::STRUCTURED.contains(&name) || !csl::is_variable(name) {
            if !is_empty(value) {
                lost.push(match csl::is_variable(name) {
                    true => format!("{name} (structured)"),
                    false => format!("{name} (no CSL variable)"),
                });
            }
        } else {
            let text = match name {
                "DOI" => text_of(value).trim().to_owned(),
                _ => one_line(&text_of(value)),
            };
            if name == "URL" && is_doi_link(&text) {
                continue; // the DOI says it
            }
            if !text.is_empty() {
                entry.fields.push((name_owned, Field::Text(text)));
            }
        }
    }
    if let Some(keep) = keep {
        let mut others: Vec<&str> = item
            .keys()
            .map(String::as_str)
            .filter(|k| !keep.contains(k) && !matches!(*k, "id" | "type"))
            .filter(|k| item.get(*k).is_some_and(|v| !is_empty(v)))
            .collect();
        others.sort_unstable();
        if !others.is_empty() {
            lost.push(format!("not kept: {}", others.join(", ")));
        }
    }
    (entry, lost)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(is_empty),
        Value::Object(o) => o.values().all(is_empty),
        _ => false,
    }
}

/// `https://doi.org/...` or `http://dx.doi.org/...`: the DOI's own link.
fn is_doi_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://"].iter().any(|scheme| {
        ["doi.org/", "dx.doi.org/"]
            .iter()
            .any(|host| lower.starts_with(&format!("{scheme}{host}")))
    })
}

/// A value as text: a string, a number, or a list's first string.
fn text_of(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a
            .iter()
            .map(text_of)
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        _ => String::new(),
    };
    s.chars().take(MAX_CHARS).collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names of a name variable, and which parts were dropped.
fn names(v: &Value) -> (Vec<Name>, Vec<String>) {
    let mut out = Vec::new();
    let mut dropped = std::collections::BTreeSet::new();
    let list = match v {
        Value::Array(a) => a.as_slice(),
        _ => std::slice::from_ref(v),
    };
    for n in list {
        let Value::Object(n) = n else { continue };
        let part = |k: &str| {
            n.get(k)
                .map(text_of)
                .map(|s| one_line(&s))
                .filter(|s| !s.is_empty())
        };
        for k in n.keys() {
            if !matches!(
                k.as_str(),
                "family"
                    | "given"
                    | "literal"
                    | "non-dropping-particle"
                    | "sequence"
                    | "affiliation"
                    | "ORCID"
                    | "authenticated-orcid"
            ) {
                dropped.insert(k.clone());
            }
        }
        match (part("family"), part("literal")) {
            (Some(family), _) => out.push(Name::Personal {
                family,
                given: part("given"),
                particle: part("non-dropping-particle"),
            }),
            (None, Some(literal)) => out.push(Name::Literal(literal)),
            (None, None) => {
                // `{given: X}` alone: a name all the same.
                if let Some(given) = part("given") {
                    out.push(Name::Literal(given));
                }
            }
        }
    }
    (out, dropped.into_iter().collect())
}

/// A CSL-JSON date: `date-parts` (numbers or numeric strings, nested or flat, only the
/// first range's start), else `literal` or `raw`.
fn date(v: &Value) -> Option<Field> {
    let Value::Object(d) = v else {
        return match v {
            Value::String(s) if !s.trim().is_empty() => {
                Some(Field::LiteralDate(s.trim().to_owned()))
            }
            Value::Number(n) => n
                .as_i64()
                .and_then(|y| i32::try_from(y).ok())
                .map(|y| Field::Date(vec![y])),
            _ => None,
        };
    };
    if let Some(parts) = d.get("date-parts") {
        let first = match parts {
            Value::Array(a) => match a.first() {
                Some(Value::Array(inner)) => inner.as_slice(),
                Some(_) => a.as_slice(),
                None => &[],
            },
            _ => &[],
        };
        let numbers: Vec<i32> = first
            .iter()
            .take(3)
            .map_while(|p| match p {
                Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect();
        if let Some(&year) = numbers.first() {
            let month = numbers.get(1).map(|&m| i64::from(m));
            let day = numbers.get(2).map(|&d| i64::from(d));
            // Only a date whose parts exist; else the year alone.
            return Some(match crate::model::Date::new(year.into(), month, day) {
                Some(_) => Field::Date(numbers),
                None => Field::Date(vec![year]),
            });
        }
    }
    ["literal", "raw"]
        .iter()
        .find_map(|k| d.get(*k).and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
        .map(|s| Field::LiteralDate(s.trim().to_owned()))
}
