//! BibTeX and BibLaTeX files as [`Entry`]s, read by Typst's `biblatex` crate: `@string`
//! macros expanded, accents and braces decoded (`{\"o}` is `ö`), names split at `and` into
//! family, given and particle, `year`/`month`/`date` read as one date, `--` ranges written
//! `-`, and entry types mapped to CSL's. Keys are kept as ids. Every field is either
//! written as a CSL variable or named in the entry's list of what was left out.

use biblatex::{Bibliography, ChunksExt, DateValue, EntryType, PermissiveType, Person};

use super::{Entry, Field};
use crate::model::Name;

/// An entry read, and what of it was left out.
#[derive(Debug)]
pub struct Imported {
    /// The entry (its id the file's key).
    pub entry: Entry,
    /// What CSL-YAML could not say, field by field.
    pub lost: Vec<String>,
}

/// Why a file is not BibTeX argmap can read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct BibError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

/// The CSL type of an entry type, and the `genre` it implies.
fn csl_type(t: &EntryType) -> (Option<&'static str>, Option<&'static str>) {
    use EntryType::*;
    let csl = match t {
        Article => "article-journal",
        Book | MvBook | BookInBook | Proceedings | MvProceedings | Collection | MvCollection
        | Reference | MvReference => "book",
        Booklet => "pamphlet",
        InBook | InCollection | SuppBook | SuppCollection => "chapter",
        InProceedings => "paper-conference",
        InReference => "entry-encyclopedia",
        Manual | TechReport | Report => "report",
        MastersThesis => return (Some("thesis"), Some("Master's thesis")),
        PhdThesis => return (Some("thesis"), Some("PhD thesis")),
        Thesis => "thesis",
        Misc => "document",
        Unpublished => "manuscript",
        Periodical | SuppPeriodical => "periodical",
        Patent => "patent",
        Online => "webpage",
        Software => "software",
        Dataset => "dataset",
        Unknown(name) => {
            return (
                crate::csl::CSL_TYPES
                    .iter()
                    .copied()
                    .find(|c| c.eq_ignore_ascii_case(name))
                    .or_else(|| crate::csl::type_alias(name)),
                None,
            );
        }
        Set | XData => return (None, None),
    };
    (Some(csl), None)
}

fn names(persons: &[Person]) -> Vec<Name> {
    persons
        .iter()
        .filter(|p| !p.name.trim().is_empty() || !p.given_name.trim().is_empty())
        .map(|p| {
            let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            let family = match nonempty(&p.suffix) {
                Some(suffix) => format!("{}, {suffix}", p.name.trim()),
                None => p.name.trim().to_owned(),
            };
            if family.is_empty() {
                return Name::Literal(p.given_name.trim().to_owned());
            }
            Name::Personal {
                family,
                given: nonempty(&p.given_name),
                particle: nonempty(&p.prefix),
            }
        })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a BibTeX or BibLaTeX file.
pub fn read(text: &str) -> Result<Vec<Imported>, BibError> {
    let bib = Bibliography::parse(text).map_err(|e| {
        let mut at = e.span.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        BibError {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
            message: e.kind.to_string(),
        }
    })?;
    Ok(bib.iter().map(entry).collect())
}

fn entry(e: &biblatex::Entry) -> Imported {
    let mut lost = Vec::new();
    let (csl, genre) = csl_type(&e.entry_type);
    let csl_type = match csl {
        Some(t) => t.to_owned(),
        None => {
            lost.push(format!(
                "type @{} (no CSL type; written `document`)",
                e.entry_type
            ));
            "document".to_owned()
        }
    };
    let mut fields: Vec<(String, Field)> = Vec::new();
    let mut used: Vec<&str> = vec![];
    let text = |name: &str| {
        e.get(name)
            .map(|c| one_line(&c.format_verbatim()))
            .filter(|s| !s.is_empty())
    };
    let push = |fields: &mut Vec<(String, Field)>, var: &str, value: Option<String>| {
        if let Some(v) = value
            && !fields.iter().any(|(n, _)| n == var)
        {
            fields.push((var.to_owned(), Field::Text(v)));
        }
    };
    // The title, with its subtitle (CSL has none of its own).
    let title = match (text("title"), text("subtitle")) {
        (Some(t), Some(s)) => Some(format!("{t}: {s}")),
        (t, _) => t,
    };
    push(&mut fields, "title", title);
    used.extend(["title", "subtitle"]);
    for (var, field) in [("author", "author"), ("translator", "translator")] {
        used.push(field);
        match e.get_as::<Vec<Person>>(field) {
            Ok(p) if !p.is_empty() => fields.push((var.to_owned(), Field::Names(names(&p)))),
            Ok(_) => {}
            Err(biblatex::RetrievalError::Missing(_)) => {}
            Err(err) => lost.push(format!("{field} ({err})")),
        }
    }
    used.extend([
        "editor",
        "editortype",
        "editora",
        "editoratype",
        "editorb",
        "editorbtype",
    ]);
    match e.editors() {
        Ok(editors) => {
            for (persons, kind) in editors {
                match kind {
                    biblatex::EditorType::Editor => {
                        fields.push(("editor".into(), Field::Names(names(&persons))))
                    }
                    other => lost.push(format!("editors of type {other:?}")),
                }
            }
        }
        Err(err) => lost.push(format!("editor ({err})")),
    }
    used.extend(["date", "year", "month", "day"]);
    match e.date() {
        Ok(PermissiveType::Typed(date)) => {
            let at = match date.value {
                DateValue::At(d) | DateValue::After(d) | DateValue::Between(d, _) => d,
                DateValue::Before(d) => d,
            };
            let mut parts = vec![at.year];
            if let Some(m) = at.month {
                parts.push(i32::from(m) + 1);
                if let Some(d) = at.day {
                    parts.push(i32::from(d) + 1);
                }
            }
            if !matches!(date.value, DateValue::At(_)) {
                lost.push("the date's range (its start is written)".into());
            }
            fields.push(("issued".into(), Field::Date(parts)));
        }
        Ok(PermissiveType::Chunks(chunks)) => {
            let literal = one_line(&chunks.format_verbatim());
            if !literal.is_empty() {
                fields.push(("issued".into(), Field::LiteralDate(literal)));
            }
        }
        Err(biblatex::RetrievalError::Missing(_)) => {}
        Err(err) => lost.push(format!("date ({err})")),
    }
    let container = text("journaltitle")
        .or_else(|| text("journal"))
        .or_else(|| text("booktitle"));
    push(&mut fields, "container-title", container);
    used.extend(["journaltitle", "journal", "booktitle"]);
    push(&mut fields, "volume", text("volume"));
    used.push("volume");
    let article = matches!(e.entry_type, EntryType::Article | EntryType::Periodical);
    push(&mut fields, "issue", text("issue"));
    used.extend(["issue", "number"]);
    match article {
        true => push(&mut fields, "issue", text("number")),
        false => push(&mut fields, "number", text("number")),
    }
    let pages = text("pages").map(|p| p.replace("---", "-").replace("--", "-").replace('–', "-"));
    push(&mut fields, "page", pages);
    used.push("pages");
    let publisher = text("publisher")
        .or_else(|| text("school"))
        .or_else(|| text("institution"))
        .or_else(|| text("organization"));
    push(
        &mut fields,
        "publisher",
        publisher.map(|p| p.replace(" and ", "; ")),
    );
    used.extend(["publisher", "school", "institution", "organization"]);
    push(
        &mut fields,
        "publisher-place",
        text("location").or_else(|| text("address")),
    );
    used.extend(["location", "address"]);
    if let Some(doi) = text("doi") {
        match crate::doi::parse(&doi) {
            Ok(parsed) => push(&mut fields, "DOI", Some(parsed.doi.as_str().to_owned())),
            Err(_) => push(&mut fields, "DOI", Some(doi)),
        }
    }
    used.push("doi");
    push(&mut fields, "URL", text("url"));
    used.push("url");
    if let Ok(PermissiveType::Typed(d)) = e.url_date() {
        let at = match d.value {
            DateValue::At(d)
            | DateValue::After(d)
            | DateValue::Between(d, _)
            | DateValue::Before(d) => d,
        };
        let mut parts = vec![at.year];
        if let Some(m) = at.month {
            parts.push(i32::from(m) + 1);
            if let Some(day) = at.day {
                parts.push(i32::from(day) + 1);
            }
        }
        fields.push(("accessed".into(), Field::Date(parts)));
    }
    used.push("urldate");
    for (field, var) in [
        ("edition", "edition"),
        ("series", "collection-title"),
        ("note", "note"),
        ("abstract", "abstract"),
        ("isbn", "ISBN"),
        ("issn", "ISSN"),
        ("chapter", "chapter-number"),
        ("language", "language"),
        ("langid", "language"),
        ("type", "genre"),
        ("pagetotal", "number-of-pages"),
        ("version", "version"),
        ("eventtitle", "event-title"),
        ("venue", "event-place"),
        ("shorttitle", "title-short"),
        ("keywords", "keyword"),
        ("annote", "annote"),
        ("annotation", "annote"),
        ("howpublished", "medium"),
        ("pubstate", "status"),
    ] {
        push(&mut fields, var, text(field));
        used.push(field);
    }
    if let Some(g) = genre {
        push(&mut fields, "genre", Some(g.to_owned()));
    }
    let mut others: Vec<&str> = e
        .fields
        .keys()
        .map(String::as_str)
        .filter(|k| !used.contains(k))
        .collect();
    others.sort_unstable();
    if !others.is_empty() {
        lost.push(format!("not kept: {}", others.join(", ")));
    }
    Imported {
        entry: Entry {
            id: e.key.clone(),
            csl_type,
            fields,
        },
        lost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_braces_ranges_names_macros_months_and_types() {
        let bib = r#"
@string{sr = "Security Review"}
@article{song2014,
  author = {Song, Weiqing and van der Berg, Jan and {World Bank}},
  title = {{Russia}'s {SCO} Policy in {\"O}sterreich},
  journal = sr # { Quarterly},
  year = 2014, month = may,
  volume = {50}, number = {1},
  pages = {85--101},
  doi = {https://doi.org/10.1177/0009445514523646},
  file = {song.pdf},
}
@phdthesis{doe2020, author = {Doe, J.}, title = {A thesis}, school = {MIT}, year = {2020}}
"#;
        let read = read(bib).unwrap();
        let song = &read[0].entry;
        assert_eq!(song.id, "song2014");
        assert_eq!(song.csl_type, "article-journal");
        assert_eq!(
            song.text("title"),
            Some("Russia's SCO Policy in Österreich")
        );
        assert_eq!(
            song.text("container-title"),
            Some("Security Review Quarterly")
        );
        assert_eq!(song.text("page"), Some("85-101"));
        assert_eq!(song.text("issue"), Some("1"));
        assert_eq!(song.text("DOI"), Some("10.1177/0009445514523646"));
        let authors = song.fields.iter().find(|(n, _)| n == "author").unwrap();
        assert_eq!(
            authors.1,
            Field::Names(vec![
                Name::Personal {
                    family: "Song".into(),
                    given: Some("Weiqing".into()),
                    particle: None
                },
                Name::Personal {
                    family: "Berg".into(),
                    given: Some("Jan".into()),
                    particle: Some("van der".into())
                },
                Name::Personal {
                    family: "World Bank".into(),
                    given: None,
                    particle: None
                },
            ])
        );
        assert!(
            song.fields
                .contains(&("issued".into(), Field::Date(vec![2014, 5])))
        );
        assert_eq!(read[0].lost, ["not kept: file"]);
        let doe = &read[1].entry;
        assert_eq!(
            (doe.csl_type.as_str(), doe.text("genre")),
            ("thesis", Some("PhD thesis"))
        );
        assert_eq!(doe.text("publisher"), Some("MIT"));
        let err = super::read("@article{x, title = {unclosed}").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
