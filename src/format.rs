//! The file formats, described once: every field of an argument map, a claim and a
//! reference file, its kind of value, whether it is required, and its documentation.
//!
//! Both YAML readers look fields up here and `match` on the field enums, so the compiler
//! holds each reader to every field; the `schema` diagnostics take their field lists and
//! kinds from here; and [`json_schema`] writes the JSON Schemas editors validate with
//! (`argmap schema map`). References are CSL items: their vocabulary is CSL's
//! ([`crate::csl::CSL_TYPES`] and the variables of `load/csl.rs`).

use serde_json::{Value, json};

use crate::csl;
use crate::model::{ClaimKind, LinkBy};

/// The kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Text (a number or boolean counts, in its spelling).
    Text,
    /// A claim id: letters, digits, `-` and `_`.
    ClaimId,
    /// One of the listed words.
    OneOf(&'static [&'static str]),
    /// A list of citation items, `"@key, p. 3"` (one text counts as a list of one).
    Citations,
    /// A claim reference: `id`, or `map:id` for a claim of another map.
    ClaimRef,
    /// A non-empty list of claims.
    Claims,
    /// A list of CSL items.
    References,
    /// A list of rule names (`argmap rules`).
    RuleNames,
    /// `true` or `false`.
    Flag,
    /// A list of links: each a claim reference, or a mapping of [`LINK`]'s fields (one
    /// entry counts as a list of one).
    Links,
}

impl ValueKind {
    /// What the value should be, for messages: "text", "a list of claims".
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::Text | ValueKind::ClaimId | ValueKind::ClaimRef | ValueKind::OneOf(_) => {
                "text"
            }
            ValueKind::Citations | ValueKind::RuleNames | ValueKind::Links => "a list",
            ValueKind::Flag => "true or false",
            ValueKind::Claims => "a non-empty list of claims",
            ValueKind::References => "a list of CSL items",
        }
    }
}

/// One field of a format.
#[derive(Debug)]
pub struct FieldSpec<F: 'static> {
    /// Which field, for readers to `match` on.
    pub field: F,
    /// The key as written.
    pub name: &'static str,
    /// What its value is.
    pub kind: ValueKind,
    /// Whether a file without it is a `schema` error.
    pub required: bool,
    /// What it means, for people and for the JSON Schema.
    pub doc: &'static str,
    /// Values as they are written, as JSON texts: the JSON Schema's `examples`, which
    /// editors offer as completions (a test validates each against its field's schema).
    pub examples: &'static [&'static str],
}

/// A mapping's fields.
#[derive(Debug)]
pub struct Format<F: 'static> {
    /// What the mapping is, for messages ("map", "claim").
    pub what: &'static str,
    /// Its fields, in the order documentation lists them.
    pub fields: &'static [FieldSpec<F>],
}

impl<F: Copy> Format<F> {
    /// The field of a key, if the format has it.
    pub fn lookup(&self, name: &str) -> Option<&'static FieldSpec<F>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field names, for did-you-mean and "fields are: ..." help.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }

    /// The required fields.
    pub fn required(&self) -> impl Iterator<Item = &'static FieldSpec<F>> + '_ {
        self.fields.iter().filter(|f| f.required)
    }
}

/// The fields of an argument map (`arguments/*.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // documented in `MAP`
pub enum MapField {
    Title,
    Source,
    Claims,
}

/// The fields of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // documented in `CLAIM`
pub enum ClaimField {
    Id,
    Text,
    Cites,
    Supports,
    Attacks,
    Section,
    Quote,
    Kind,
    Conclusion,
    Note,
    Allow,
}

/// The fields of a link written as a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // documented in `LINK`
pub enum LinkField {
    To,
    By,
    Note,
}

/// The fields of a reference file (`references/*.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // documented in `REFERENCE_FILE`
pub enum ReferenceFileField {
    References,
}

/// An argument map.
pub static MAP: Format<MapField> = Format {
    what: "map",
    fields: &[
        FieldSpec {
            field: MapField::Title,
            name: "title",
            kind: ValueKind::Text,
            required: true,
            doc: "The map's title, shown on its diagram.",
            examples: &[r#""Russian engagement in the SCO""#],
        },
        FieldSpec {
            field: MapField::Source,
            name: "source",
            kind: ValueKind::Text,
            required: true,
            doc: "The reference id of the paper the map is made from.",
            examples: &[r#""guliev2020""#],
        },
        FieldSpec {
            field: MapField::Claims,
            name: "claims",
            kind: ValueKind::Claims,
            required: true,
            doc: "The claims of the paper's argument.",
            examples: &[
                r#"[{"id": "thesis", "text": "Russia's SCO policy puts regional security first [@guliev2020]."}]"#,
            ],
        },
    ],
};

/// A claim of an argument map.
pub static CLAIM: Format<ClaimField> = Format {
    what: "claim",
    fields: &[
        FieldSpec {
            field: ClaimField::Id,
            name: "id",
            kind: ValueKind::ClaimId,
            required: true,
            doc: "Unique in the map: letters, digits, `-` and `_`. Links name claims by it.",
            examples: &[r#""thesis""#, r#""security-first""#],
        },
        FieldSpec {
            field: ClaimField::Text,
            name: "text",
            kind: ValueKind::Text,
            required: true,
            doc: "The claim, in the map author's words; may carry pandoc citations ([@key, p. 3]).",
            examples: &[
                r#""From the start Russia focused SCO cooperation on security [@allison2018, p. 300].""#,
            ],
        },
        FieldSpec {
            field: ClaimField::Cites,
            name: "cites",
            kind: ValueKind::Citations,
            required: false,
            doc: "More citations, one item each: \"@key\", \"see @key, pp. 3-4\".",
            examples: &[
                r#"["@guliev2020"]"#,
                r#"["@naarajarvi2012", "see @song2014, pp. 85-101"]"#,
            ],
        },
        FieldSpec {
            field: ClaimField::Supports,
            name: "supports",
            kind: ValueKind::Links,
            required: false,
            doc: "Claims this one is a reason for: `id`, or `map:id` for a claim of another map; \
                  `{to: ID, by: analyst, note: WHY}` for a link the map-maker draws and the \
                  paper does not.",
            examples: &[
                r#"["thesis"]"#,
                r#"["thesis", {"to": "china-sco:russia-stalled-economy", "by": "analyst", "note": "Both papers say so; neither cites the other."}]"#,
            ],
        },
        FieldSpec {
            field: ClaimField::Attacks,
            name: "attacks",
            kind: ValueKind::Links,
            required: false,
            doc: "Claims this one is a reason against, or limits: `id` or `map:id`, or \
                  `{to: ID, by: analyst, note: WHY}` for the map-maker's reading.",
            examples: &[
                r#"["rivalry-faded"]"#,
                r#"[{"to": "china-sco:rivalry-faded", "by": "analyst", "note": "The other paper's claim, read against this one."}]"#,
            ],
        },
        FieldSpec {
            field: ClaimField::Section,
            name: "section",
            kind: ValueKind::Text,
            required: false,
            doc: "The paper's section, which groups claims in diagrams.",
            examples: &[r#""III.C Security issues""#],
        },
        FieldSpec {
            field: ClaimField::Quote,
            name: "quote",
            kind: ValueKind::Text,
            required: false,
            doc: "The passage of the paper behind the claim, verbatim.",
            examples: &[
                r#""Russia's policy in the SCO is confined to the promotion of the regional security.""#,
            ],
        },
        FieldSpec {
            field: ClaimField::Kind,
            name: "kind",
            kind: ValueKind::OneOf(&ClaimKind::NAMES),
            required: false,
            doc: "`argument` (the default), `aim` (what the paper sets out to do) or `framing` \
                  (context, scope, method): aims and framing take no part in the argument.",
            examples: &[r#""aim""#, r#""framing""#],
        },
        FieldSpec {
            field: ClaimField::Conclusion,
            name: "conclusion",
            kind: ValueKind::Flag,
            required: false,
            doc: "`true`: a conclusion of the paper (it may still support another claim). When \
                  a map declares any, its declared conclusions are where diagrams and the site \
                  start.",
            examples: &["true"],
        },
        FieldSpec {
            field: ClaimField::Note,
            name: "note",
            kind: ValueKind::Text,
            required: false,
            doc: "The map-maker's remark on the claim: how it was read from the paper, and why \
                  (not part of the claim, nor of the paper's words).",
            examples: &[r#""The paper gives this conjecture no reason.""#],
        },
        FieldSpec {
            field: ClaimField::Allow,
            name: ALLOW,
            kind: ValueKind::RuleNames,
            required: false,
            doc: "Rules whose findings within this claim are not reported: `[isolated-claim]`.",
            examples: &[r#"["isolated-claim"]"#],
        },
    ],
};

/// A link written as a mapping: whose it is, and why.
pub static LINK: Format<LinkField> = Format {
    what: "link",
    fields: &[
        FieldSpec {
            field: LinkField::To,
            name: "to",
            kind: ValueKind::ClaimRef,
            required: true,
            doc: "The claim linked to: `id`, or `map:id` for a claim of another map.",
            examples: &[r#""china-sco:russia-stalled-economy""#],
        },
        FieldSpec {
            field: LinkField::By,
            name: "by",
            kind: ValueKind::OneOf(&LinkBy::NAMES),
            required: false,
            doc: "Whose link it is: `paper` (the default: the paper's own argument) or `analyst` \
                  (the map-maker's reading, which diagrams draw dashed).",
            examples: &[r#""analyst""#],
        },
        FieldSpec {
            field: LinkField::Note,
            name: "note",
            kind: ValueKind::Text,
            required: false,
            doc: "Why the link is drawn: for the map-maker's own, the reading behind it.",
            examples: &[
                r#""Both papers say so in the same words; a restatement, not corroboration.""#,
            ],
        },
    ],
};

/// The key of a claim or a reference that lists the rules whose findings within it are
/// not reported. Namespaced, since reference files are shared with pandoc and other tools,
/// and spelt the same in both.
pub const ALLOW: &str = "argmap-allow";

/// A reference file: CSL-YAML as pandoc reads it.
pub static REFERENCE_FILE: Format<ReferenceFileField> = Format {
    what: "reference file",
    fields: &[FieldSpec {
        field: ReferenceFileField::References,
        name: "references",
        kind: ValueKind::References,
        required: true,
        doc: "The CSL items: the works the maps cite, and the papers they are made from.",
        examples: &[
            r#"[{"id": "song2014", "type": "article-journal", "title": "Russia's SCO policy", "author": [{"family": "Song", "given": "Weiqing"}], "issued": {"date-parts": [[2014]]}, "DOI": "10.1177/0009445514523646"}]"#,
        ],
    }],
};

/// The CSL variables a reference must have (beyond CSL itself, which requires only `id`
/// and `type`: argmap needs a title to compare with registered metadata).
pub const REQUIRED_REFERENCE_VARIABLES: &[&str] = &["id", "type", "title"];

/// Which file a JSON Schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaOf {
    /// `arguments/*.yaml`.
    Map,
    /// `references/*.yaml`.
    References,
}

/// The JSON Schema (draft 2020-12) of a file format, for editors (yaml-language-server,
/// VS Code) to validate and complete maps and references as they are written.
pub fn json_schema(of: SchemaOf) -> Value {
    let (title, description, root) = match of {
        SchemaOf::Map => (
            "argmap argument map",
            "An argument map of one paper (`arguments/NAME.yaml`, the map named NAME): the \
             claims of its argument, which claims support or attack which, and the citations \
             behind each claim. `argmap check` holds it to the references.",
            object(&MAP),
        ),
        SchemaOf::References => (
            "argmap references (CSL-YAML)",
            "CSL-YAML references as pandoc reads them (`references/*.yaml`): a top-level \
             `references:` list of CSL items, which claims cite by id (`[@song2014, p. 3]`).",
            object(&REFERENCE_FILE),
        ),
    };
    let defs = match of {
        SchemaOf::Map => None,
        SchemaOf::References => Some(csl_defs()),
    };
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
    });
    schema
        .as_object_mut()
        .expect("an object")
        .extend(root.as_object().expect("an object").clone());
    if let Some(defs) = defs {
        schema["$defs"] = defs;
    }
    schema
}

/// A mapping of `format`'s fields, closed to others.
fn object<F: Copy>(format: &Format<F>) -> Value {
    let properties: serde_json::Map<String, Value> = format
        .fields
        .iter()
        .map(|f| {
            let mut value = value_schema(f.kind);
            value["description"] = json!(f.doc);
            value["examples"] = examples(f.examples);
            (f.name.to_owned(), value)
        })
        .collect();
    let required: Vec<&str> = format.required().map(|f| f.name).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// Examples written as JSON texts, as values.
fn examples(texts: &[&str]) -> Value {
    texts
        .iter()
        .map(|t| serde_json::from_str::<Value>(t).unwrap_or_else(|e| panic!("example {t}: {e}")))
        .collect()
}

/// Text, or a number or boolean (which YAML reads as such but argmap takes as written).
fn scalar() -> Value {
    json!({"type": ["string", "number", "boolean"]})
}

fn list_of(item: Value) -> Value {
    json!({"anyOf": [{"type": "array", "items": item}, item]})
}

fn value_schema(kind: ValueKind) -> Value {
    match kind {
        ValueKind::Text => scalar(),
        ValueKind::ClaimId => json!({"type": "string", "pattern": "^[\\p{L}\\p{N}_-]+$"}),
        ValueKind::OneOf(words) => json!({"enum": words}),
        ValueKind::Citations => list_of(json!({"type": "string", "pattern": "@"})),
        ValueKind::ClaimRef => claim_ref(),
        ValueKind::Links => list_of(json!({"anyOf": [claim_ref(), object(&LINK)]})),
        ValueKind::Flag => json!({"type": "boolean"}),
        ValueKind::Claims => json!({"type": "array", "minItems": 1, "items": object(&CLAIM)}),
        ValueKind::References => json!({"type": "array", "items": csl_item()}),
        ValueKind::RuleNames => rule_names(),
    }
}

/// One claim reference: `id` or `map:id`.
fn claim_ref() -> Value {
    json!({"type": "string", "pattern": "^(.+:)?[^:]+$"})
}

/// A list of rule names, which editors can complete.
fn rule_names() -> Value {
    let names: Vec<&str> = crate::Rule::all().map(crate::Rule::name).collect();
    list_of(json!({"enum": names}))
}

/// The CSL variables written most, described for the JSON Schema: name, description and
/// examples (JSON texts). The others are CSL's, as its specification describes them.
const CSL_DOCS: &[(&str, &str, &[&str])] = &[
    (
        "id",
        "The citation key: claims cite the work as `@id` (`[@song2014, p. 3]`).",
        &[r#""song2014""#],
    ),
    (
        "type",
        "The CSL item type.",
        &[r#""article-journal""#, r#""book""#, r#""chapter""#],
    ),
    (
        "title",
        "The work's title (compared with the DOI's registered metadata by `--online`).",
        &[r#""Russia's SCO policy""#],
    ),
    (
        "container-title",
        "The journal, book or site the work is part of.",
        &[r#""China Report""#],
    ),
    ("volume", "The volume.", &[r#""50""#]),
    ("issue", "The issue.", &[r#""1""#]),
    (
        "page",
        "The pages of the work: citations' page locators (`p. 300`) are checked against them.",
        &[r#""85-101""#],
    ),
    (
        "DOI",
        "The bare DOI (`10.…/…`), not a resolver URL: `argmap check --online` resolves it.",
        &[r#""10.1177/0009445514523646""#],
    ),
    (
        "URL",
        "Where the work is found.",
        &[r#""https://example.org/paper""#],
    ),
    ("publisher", "The publisher.", &[r#""Routledge""#]),
    (
        "note",
        "Anything to say about the entry: what the source does not say, and why a field is missing.",
        &[r#""No DOI is printed in the paper.""#],
    ),
];

/// The shapes many CSL variables share, named once (`#/$defs/name`, `#/$defs/date`) in
/// the schema of a reference file.
fn csl_defs() -> Value {
    let mut name = json!({
        "anyOf": [
            {"type": "string"},
            {
                "type": "object",
                "properties": csl::NAME_PARTS.iter().map(|p| (p.to_string(), scalar())).collect::<serde_json::Map<_, _>>(),
                "additionalProperties": false,
            },
        ]
    });
    let mut date = json!({
        "anyOf": [
            {"type": ["string", "integer"]},
            {
                "type": "object",
                "properties": {
                    "date-parts": {"type": "array", "items": {"type": "array", "items": {"type": ["integer", "string", "null"]}}},
                    "literal": {"type": "string"}, "raw": {"type": "string"},
                    "season": scalar(), "circa": scalar(),
                },
                "additionalProperties": false,
            },
        ]
    });
    name["description"] = json!("A person (`{family, given}`) or an organisation (`{literal}`).");
    date["description"] = json!(
        "A date: `{date-parts: [[2014, 5, 1]]}`, a year, or an EDTF text (`\"2014-05-01\"`)."
    );
    date["examples"] = examples(&[r#"{"date-parts": [[2014]]}"#, "2014", r#""2014-05-01""#]);
    json!({"name": name, "date": date})
}

/// A CSL item as argmap reads it: CSL's variables, `id`, `type` and `title` required.
fn csl_item() -> Value {
    let mut properties = serde_json::Map::new();
    for v in csl::STANDARD_VARIABLES {
        let schema = match *v {
            "type" => json!({"enum": crate::csl::CSL_TYPES}),
            v if csl::STRUCTURED.contains(&v) => json!({}),
            _ => scalar(),
        };
        properties.insert(v.to_string(), schema);
    }
    for v in csl::NAME_VARIABLES {
        properties.insert(
            v.to_string(),
            json!({
                "type": "array",
                "items": {"$ref": "#/$defs/name"},
                "description": "People, in the order the work names them.",
                "examples": [[{"family": "Song", "given": "Weiqing"}], [{"literal": "World Bank"}]],
            }),
        );
    }
    for v in csl::DATE_VARIABLES {
        properties.insert(v.to_string(), json!({"$ref": "#/$defs/date"}));
    }
    for (v, description, texts) in CSL_DOCS {
        let property = properties.get_mut(*v).expect("a CSL variable");
        property["description"] = json!(description);
        property["examples"] = examples(texts);
    }
    let mut allow = rule_names();
    allow["description"] =
        json!("Rules whose findings within this reference are not reported: `[unused-reference]`.");
    allow["examples"] = examples(&[r#"["unused-reference"]"#]);
    properties.insert(ALLOW.to_owned(), allow);
    json!({
        "type": "object",
        "description": "A CSL item: one work, with CSL's variables (pandoc drops any other key).",
        "properties": properties,
        "required": REQUIRED_REFERENCE_VARIABLES,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_unique_and_documented() {
        fn check<F: Copy>(format: &Format<F>) {
            let mut seen = std::collections::HashSet::new();
            for f in format.fields {
                assert!(seen.insert(f.name), "{} twice in {}", f.name, format.what);
                assert!(!f.doc.is_empty(), "{} undocumented", f.name);
                assert!(!f.examples.is_empty(), "{} has no example", f.name);
            }
        }
        check(&MAP);
        check(&CLAIM);
        check(&REFERENCE_FILE);
        assert_eq!(
            CLAIM.lookup("supports").map(|f| f.field),
            Some(ClaimField::Supports)
        );
        assert!(CLAIM.lookup("support").is_none());
    }
}
