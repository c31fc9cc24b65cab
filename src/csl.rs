//! The CSL 1.0.2 vocabulary (citation-style-language/schema, `csl-data.json`): item types
//! and variables, and the slips people make when they write them by hand.

/// CSL item types.
pub const CSL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// Name variables: lists of `{family, given}` or `{literal}`.
pub const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "interviewer",
    "illustrator",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// Date variables: `{date-parts: [[y, m, d]]}` and friends.
pub const DATE_VARIABLES: &[&str] = &[
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
    // Crossref's dates, which content negotiation returns and people paste.
    "published-print",
    "published-online",
];

/// Variables whose value is structured (not text) in CSL-JSON.
pub const STRUCTURED: &[&str] = &["categories", "custom"];

/// Every CSL variable that is neither a name nor a date, plus `id` and `type`.
pub const STANDARD_VARIABLES: &[&str] = &[
    "id",
    "type",
    "categories",
    "citation-key",
    "language",
    "journalAbbreviation",
    "shortTitle",
    "custom",
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-label",
    "citation-number",
    "collection-number",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "edition",
    "event",
    "event-title",
    "event-place",
    "first-reference-note-number",
    "genre",
    "ISBN",
    "ISSN",
    "issue",
    "jurisdiction",
    "keyword",
    "license",
    "locator",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "page",
    "page-first",
    "part",
    "part-title",
    "PMCID",
    "PMID",
    "printing",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "supplement",
    "title",
    "title-short",
    "URL",
    "version",
    "volume",
    "volume-title",
    "volume-title-short",
    "year-suffix",
];

/// Whether `name` is a CSL variable (or `id`, `type`).
pub fn is_variable(name: &str) -> bool {
    STANDARD_VARIABLES.contains(&name)
        || NAME_VARIABLES.contains(&name)
        || DATE_VARIABLES.contains(&name)
}

/// Every CSL variable, for suggestions.
pub fn variables() -> impl Iterator<Item = &'static str> {
    STANDARD_VARIABLES
        .iter()
        .chain(NAME_VARIABLES)
        .chain(DATE_VARIABLES)
        .copied()
}

/// Parts of a name.
pub const NAME_PARTS: &[&str] = &[
    "family",
    "given",
    "literal",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "comma-suffix",
    "static-ordering",
    "parse-names",
];

/// Parts of a date.
pub const DATE_PARTS: &[&str] = &["date-parts", "literal", "raw", "season", "circa"];

/// Field names from BibTeX, RIS or habit, and the CSL variable meant.
pub fn variable_alias(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    Some(match lower.as_str() {
        "doi" => "DOI",
        "url" | "link" => "URL",
        "isbn" => "ISBN",
        "issn" => "ISSN",
        "pmid" => "PMID",
        "pmcid" => "PMCID",
        "authors" | "creator" | "creators" => "author",
        "editors" => "editor",
        "translators" => "translator",
        "year" | "date" | "published" | "publication-date" => "issued",
        "journal" | "journal-title" | "booktitle" | "book-title" | "container" | "periodical" => {
            "container-title"
        }
        "pages" | "pp" => "page",
        "address" | "location" | "place" | "publisher-location" | "city" => "publisher-place",
        "keywords" => "keyword",
        "series" => "collection-title",
        "institution" | "organization" | "school" => "publisher",
        "notes" => "note",
        "abstract-note" => "abstract",
        "short-title" => "title-short",
        "accessed-date" | "access-date" | "urldate" => "accessed",
        _ => {
            // Right name, wrong case (`Title`, `Doi`).
            return variables().find(|v| v.eq_ignore_ascii_case(name) && *v != name);
        }
    })
}

/// Type names from Crossref, BibTeX or habit, and the CSL type meant.
pub fn type_alias(t: &str) -> Option<&'static str> {
    Some(match t.to_ascii_lowercase().as_str() {
        "journal-article" | "article-journal" | "journal" => "article-journal",
        "book-chapter" | "incollection" | "inbook" => "chapter",
        "proceedings-article" | "inproceedings" | "conference-paper" => "paper-conference",
        "phdthesis" | "mastersthesis" | "dissertation" => "thesis",
        "techreport" | "report-component" => "report",
        "web-page" | "website" | "online" => "webpage",
        "newspaper-article" => "article-newspaper",
        "magazine-article" => "article-magazine",
        "misc" | "other" => "document",
        "monograph" | "edited-book" | "reference-book" => "book",
        "posted-content" | "preprint" => "article",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_real_csl_terms() {
        for name in ["doi", "authors", "year", "journal", "pages", "Title", "Doi"] {
            let v = variable_alias(name).unwrap();
            assert!(is_variable(v), "{name} -> {v}");
        }
        assert_eq!(variable_alias("title"), None);
        assert_eq!(type_alias("journal-article"), Some("article-journal"));
        for t in ["journal-article", "book-chapter", "misc", "posted-content"] {
            assert!(CSL_TYPES.contains(&type_alias(t).unwrap()));
        }
    }
}
