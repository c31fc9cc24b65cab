//! The checked model as one JSON document: the maps exported (each claim with its kind,
//! text, citations as pandoc reads them, section, quote and links, resolved to `map:id`),
//! and the references they cite as CSL-JSON items, whole. Its JSON Schema is
//! [`schema`] (`argmap schema export`, committed as `schemas/export.schema.json`).
//!
//! Keys follow the model's field names; everything is in corpus order (maps by name,
//! claims and links in file order, references in file order), so the same maps give the
//! same bytes.

use serde_json::{Map, Value, json};

use super::{Export, Selection, count};
use crate::citation::CitationItem;
use crate::model::{CitationOrigin, CslValue, Date, LinkBy, Name, Reference};

/// The version of the document's shape, raised on any change a reader could notice.
pub const VERSION: u32 = 1;

/// The document (see the module docs).
pub fn write(selection: &Selection) -> Export {
    let graph = selection.graph();
    let corpus = graph.corpus();
    let mut lost = Vec::new();
    let mut maps = Vec::new();
    let mut cited = vec![false; corpus.references.len()];
    for (mi, map) in corpus.maps.iter().enumerate() {
        if !selection.has_map(mi) {
            continue;
        }
        let mut claims = Vec::new();
        for node in graph.nodes_of(mi) {
            let (_, claim) = graph.claim(node);
            let citations: Vec<Value> = claim
                .citations
                .iter()
                .map(|c| {
                    if let Some(r) = graph.reference_index(c.key()) {
                        cited[r] = true;
                    }
                    citation(&c.item, c.origin, graph.reference_index(c.key()).is_some())
                })
                .collect();
            let links: Vec<Value> = graph
                .links_from(node)
                .map(|edge| {
                    let to = edge.to.map(|to| selection.name(to));
                    json!({
                        "relation": edge.relation().field(),
                        "to": to.unwrap_or_else(|| edge.link.target.to_string()),
                        "by": edge.link.by.as_str(),
                        "note": edge.link.note.as_ref().map(|n| n.value.as_str()),
                    })
                })
                .collect();
            claims.push(json!({
                "id": claim.id.value,
                "key": selection.name(node),
                "kind": claim.kind.as_str(),
                "conclusion": graph.is_conclusion(node),
                "text": claim.text(),
                "citations": citations,
                "section": claim.section.as_ref().map(|s| s.value.as_str()),
                "quote": claim.quote.as_ref().map(|q| q.value.as_str()),
                "note": claim.note.as_ref().map(|n| n.value.as_str()),
                "links": links,
            }));
        }
        if let Some(source) = &map.source
            && let Some(r) = graph.reference_index(&source.value)
        {
            cited[r] = true;
        }
        maps.push(json!({
            "name": map.name,
            "file": corpus.sources.get(map.file).path,
            "title": map.title.as_ref().map(|t| t.value.as_str()),
            "source": map.source.as_ref().map(|s| s.value.as_str()),
            "claims": claims,
        }));
    }
    let mut structured = 0;
    let mut references = Vec::new();
    for (r, reference) in corpus.references.iter().enumerate() {
        if !cited[r] {
            continue;
        }
        let (item, kept_by_name) = csl_item(reference);
        structured += kept_by_name;
        references.push(json!({
            "file": corpus.sources.get(reference.span.file).path,
            "item": item,
        }));
    }
    if structured > 0 {
        lost.push(format!(
            "the values of {} (`categories`, `custom` and the like): argmap reads them by name only",
            count(structured, "structured CSL variable", "structured CSL variables")
        ));
    }
    let uncited = cited.iter().filter(|c| !**c).count();
    if uncited > 0 {
        lost.push(format!(
            "{} that no exported claim or map cites",
            count(uncited, "reference", "references")
        ));
    }
    let allows: usize = selection
        .nodes()
        .map(|n| graph.claim(n).1.allow.len())
        .sum();
    if allows > 0 {
        lost.push(format!(
            "{} (rule levels are the check's, not the model's)",
            count(allows, "`argmap-allow` entry", "`argmap-allow` entries")
        ));
    }
    let document = json!({
        "format": "argmap-export",
        "version": VERSION,
        "maps": maps,
        "references": references,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON");
    text.push('\n');
    Export { text, lost }
}

fn citation(item: &CitationItem, origin: CitationOrigin, known: bool) -> Value {
    json!({
        "key": item.key,
        "prefix": item.prefix,
        "suffix": item.suffix,
        "suppress_author": item.suppress_author,
        "locator": item.locator.as_ref().map(|l| json!({
            "label": l.label,
            "kind": l.kind.csl_name(),
            "value": l.value,
        })),
        "origin": match origin {
            CitationOrigin::Text => "text",
            CitationOrigin::Cites => "cites",
        },
        "reference": known,
    })
}

/// A name as CSL-JSON writes it.
pub fn csl_name(name: &Name) -> Value {
    match name {
        Name::Personal {
            family,
            given,
            particle,
        } => {
            let mut out = Map::new();
            out.insert("family".into(), family.clone().into());
            if let Some(given) = given {
                out.insert("given".into(), given.clone().into());
            }
            if let Some(particle) = particle {
                out.insert("non-dropping-particle".into(), particle.clone().into());
            }
            Value::Object(out)
        }
        Name::Literal(s) => json!({ "literal": s }),
    }
}

/// A date as CSL-JSON writes it (`{"date-parts": [[2014, 5]]}`; a season as `season`).
pub fn csl_date(date: &Date) -> Value {
    let mut parts = vec![Value::from(date.year)];
    let mut season = None;
    match date.month {
        Some(m @ 21..=24) => season = Some(m - 20),
        Some(m) => {
            parts.push(m.into());
            if let Some(d) = date.day {
                parts.push(d.into());
            }
        }
        None => {}
    }
    let mut out = json!({ "date-parts": [parts] });
    if let Some(s) = season {
        out["season"] = s.into();
    }
    out
}

/// A reference as a CSL-JSON item, and how many of its variables argmap keeps by name
/// only (their values are not in the item).
pub fn csl_item(r: &Reference) -> (Value, usize) {
    let mut item = Map::new();
    item.insert("id".into(), r.id.value.clone().into());
    item.insert("type".into(), r.csl_type.value.clone().into());
    item.insert("title".into(), r.title.value.clone().into());
    if !r.authors.is_empty() {
        item.insert("author".into(), r.authors.iter().map(csl_name).collect());
    }
    if !r.editors.is_empty() {
        item.insert("editor".into(), r.editors.iter().map(csl_name).collect());
    }
    if let Some(d) = &r.issued {
        item.insert("issued".into(), csl_date(d));
    }
    if let Some(d) = &r.published_print {
        item.insert("published-print".into(), csl_date(d));
    }
    if let Some(c) = &r.container_title {
        item.insert("container-title".into(), c.value.clone().into());
    }
    if let Some(doi) = &r.doi {
        item.insert("DOI".into(), doi.raw.value.clone().into());
    }
    if let Some(url) = &r.url {
        item.insert("URL".into(), url.value.clone().into());
    }
    if let Some(note) = &r.note {
        item.insert("note".into(), note.value.clone().into());
    }
    let mut structured = 0;
    for (name, value) in &r.variables {
        let value = match value {
            CslValue::Text(t) => Value::from(t.clone()),
            CslValue::Names(names) => names.iter().map(csl_name).collect(),
            CslValue::Date(Some(d)) => csl_date(d),
            CslValue::Date(None) => continue,
            CslValue::Structured => {
                structured += 1;
                continue;
            }
        };
        item.insert(name.clone(), value);
    }
    (Value::Object(item), structured)
}

/// The JSON Schema (draft 2020-12) of the document [`write`] writes.
pub fn schema() -> Value {
    let string = || json!({"type": "string"});
    let nullable =
        |description: &str| json!({"type": ["string", "null"], "description": description});
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "argmap export",
        "description": "The checked argument maps and the references they cite, as `argmap export --format json` writes them.",
        "type": "object",
        "required": ["format", "version", "maps", "references"],
        "additionalProperties": false,
        "properties": {
            "format": {"const": "argmap-export"},
            "version": {"const": VERSION, "description": "The version of this shape."},
            "maps": {"type": "array", "items": {"$ref": "#/$defs/map"},
                     "description": "The maps exported, by name."},
            "references": {"type": "array", "items": {"$ref": "#/$defs/reference"},
                           "description": "The references cited by an exported claim or map (its source), in file order."},
        },
        "$defs": {
            "map": {
                "type": "object",
                "required": ["name", "file", "title", "source", "claims"],
                "additionalProperties": false,
                "properties": {
                    "name": {"type": "string", "description": "The map's name: its file's stem, what `map:id` links name.", "examples": ["russia-sco"]},
                    "file": {"type": "string", "description": "The map's file, relative to ROOT.", "examples": ["arguments/russia-sco.yaml"]},
                    "title": nullable("The map's title."),
                    "source": nullable("The reference id of the paper the map is made from."),
                    "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}, "description": "In file order."},
                },
            },
            "claim": {
                "type": "object",
                "required": ["id", "key", "kind", "conclusion", "text", "citations", "section", "quote", "note", "links"],
                "additionalProperties": false,
                "properties": {
                    "id": {"type": "string", "description": "The claim's id in its map.", "examples": ["thesis"]},
                    "key": {"type": "string", "description": "`map:id`: the claim's name across maps.", "examples": ["russia-sco:thesis"]},
                    "kind": {"enum": ["argument", "aim", "framing"]},
                    "conclusion": {"type": "boolean", "description": "A conclusion of its paper: declared `conclusion: true`, or, in a map that declares none, a claim of the argument that supports or attacks no other."},
                    "text": {"type": "string", "description": "The claim's text as written, citations included."},
                    "citations": {"type": "array", "items": {"$ref": "#/$defs/citation"}, "description": "The text's citations, then the `cites` list's, as pandoc reads them."},
                    "section": nullable("The paper's section."),
                    "quote": nullable("The passage of the paper behind the claim."),
                    "note": nullable("The map-maker's remark on how the claim was read."),
                    "links": {"type": "array", "items": {"$ref": "#/$defs/link"}, "description": "`supports`, then `attacks`, as written."},
                },
            },
            "citation": {
                "type": "object",
                "required": ["key", "prefix", "suffix", "suppress_author", "locator", "origin", "reference"],
                "additionalProperties": false,
                "properties": {
                    "key": {"type": "string", "description": "The citation key, without `@`."},
                    "prefix": string(),
                    "suffix": string(),
                    "suppress_author": {"type": "boolean", "description": "`-@key`."},
                    "locator": {
                        "oneOf": [
                            {"type": "null"},
                            {"type": "object", "required": ["label", "kind", "value"], "additionalProperties": false,
                             "properties": {"label": {"type": "string", "examples": ["p."]},
                                            "kind": {"type": "string", "description": "CSL's locator type.", "examples": ["page"]},
                                            "value": {"type": "string", "examples": ["85-101"]}}},
                        ],
                    },
                    "origin": {"enum": ["text", "cites"], "description": "In the claim's text, or in its `cites` list."},
                    "reference": {"type": "boolean", "description": "Whether a reference has the key (then it is in `references`)."},
                },
            },
            "link": {
                "type": "object",
                "required": ["relation", "to", "by", "note"],
                "additionalProperties": false,
                "properties": {
                    "relation": {"enum": ["supports", "attacks"]},
                    "to": {"type": "string", "description": "The claim linked to, `map:id`.", "examples": ["china-sco:rivalry-faded"]},
                    "by": {"enum": LinkBy::NAMES, "description": "Whose the link is: the paper's, or the map-maker's inference."},
                    "note": nullable("Why the link is drawn."),
                },
            },
            "reference": {
                "type": "object",
                "required": ["file", "item"],
                "additionalProperties": false,
                "properties": {
                    "file": {"type": "string", "description": "The reference file, relative to ROOT."},
                    "item": {
                        "type": "object",
                        "description": "The reference as a CSL-JSON item: every variable the file gives, names and dates in CSL-JSON's shape.",
                        "required": ["id", "type", "title"],
                        "properties": {
                            "id": string(), "type": string(), "title": string(),
                            "author": {"type": "array", "items": {"$ref": "#/$defs/name"}},
                            "editor": {"type": "array", "items": {"$ref": "#/$defs/name"}},
                            "issued": {"$ref": "#/$defs/date"},
                        },
                    },
                },
            },
            "name": {
                "type": "object",
                "oneOf": [{"required": ["family"]}, {"required": ["literal"]}],
                "properties": {"family": string(), "given": string(), "non-dropping-particle": string(), "literal": string()},
                "additionalProperties": false,
            },
            "date": {
                "type": "object",
                "required": ["date-parts"],
                "properties": {
                    "date-parts": {"type": "array", "minItems": 1, "maxItems": 1,
                                   "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}}},
                    "season": {"type": "integer", "minimum": 1, "maximum": 4},
                },
                "additionalProperties": false,
            },
        },
    })
}
