//! The maps as [Argdown](https://argdown.org): a section per map (its title, with its
//! name and source as data), a statement per claim titled `map:id` (unique across maps),
//! its text with the citations in it, and under it one relation per link, `+> [map:id]`
//! for a support and `-> [map:id]` for an attack, cross-map links too.
//!
//! Argdown gives most ASCII punctuation a meaning in a statement's text (`[` a reference,
//! `<` an argument, `#` a tag, `*` emphasis, `//` a comment), and reads a backslash before
//! any character as that character, so every ASCII punctuation mark of a text is written
//! escaped: the text Argdown reads is the claim's. A claim's kind (when not `argument`),
//! section, quote and `cites` list are the statement's data (`{"section": "..."}`, JSON,
//! which is YAML; braces inside its strings written `\u007b`, `\u007d`, since Argdown ends
//! data at the first `}`). A statement is one paragraph: line breaks in a text are spaces.

use serde_json::{Map, Value};

use super::{Export, Selection, count};
use crate::model::{CitationOrigin, ClaimKind, Relation};

/// Writes `s` with every ASCII punctuation mark escaped and white space (line breaks
/// included) collapsed to single spaces; returns whether a line break was joined.
fn push_text(out: &mut String, s: &str) -> bool {
    let mut joined = false;
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            joined |= c == '\n' || c == '\r';
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c.is_control() {
            continue;
        }
        out.push(c);
    }
    joined
}

/// A statement's title: `]`, `[` and `\` escaped (Argdown keeps the backslash in the title).
fn push_title(out: &mut String, s: &str) {
    out.push('[');
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out.push(']');
}

/// Data as JSON on one line, braces inside strings escaped.
fn push_data(out: &mut String, data: Map<String, Value>) {
    if data.is_empty() {
        return;
    }
    let json = serde_json::to_string(&Value::Object(data)).expect("JSON");
    // Inside the object, braces only occur in strings (values are strings and lists).
    let inner = &json[1..json.len() - 1];
    out.push_str(" {");
    out.push_str(&inner.replace('{', "\\u007b").replace('}', "\\u007d"));
    out.push('}');
}

/// A `cites` entry as pandoc reads it: `see @key, p. 3, suffix`.
fn cites_entry(item: &crate::citation::CitationItem) -> String {
    let mut s = String::new();
    if !item.prefix.is_empty() {
        s.push_str(&item.prefix);
        s.push(' ');
    }
    if item.suppress_author {
        s.push('-');
    }
    s.push('@');
    s.push_str(&item.key);
    if let Some(l) = &item.locator {
        s.push_str(", ");
        if !l.label.is_empty() {
            s.push_str(&l.label);
            s.push(' ');
        }
        s.push_str(&l.value);
    }
    // citeproc takes the comma between a locator and the suffix; it is put back.
    if item.locator.is_some() && item.suffix.starts_with(|c: char| c.is_alphanumeric()) {
        s.push_str(", ");
    }
    s.push_str(&item.suffix);
    s
}

/// The Argdown document (see the module docs).
pub fn write(selection: &Selection) -> Export {
    let graph = selection.graph();
    let corpus = graph.corpus();
    let mut text = String::new();
    let (mut joined, mut link_notes, mut analysts) = (0, 0, 0);
    for (mi, map) in corpus.maps.iter().enumerate() {
        if !selection.has_map(mi) {
            continue;
        }
        text.push_str("# ");
        push_text(&mut text, map.title());
        let mut data = Map::new();
        data.insert("map".into(), map.name.clone().into());
        if let Some(source) = &map.source {
            data.insert("source".into(), source.value.clone().into());
        }
        push_data(&mut text, data);
        text.push_str("\n\n");
        for node in graph.nodes_of(mi) {
            let (_, claim) = graph.claim(node);
            push_title(&mut text, &selection.name(node));
            text.push_str(": ");
            if push_text(&mut text, claim.text()) {
                joined += 1;
            }
            let mut data = Map::new();
            if claim.kind != ClaimKind::Argument {
                data.insert("kind".into(), claim.kind.as_str().into());
            }
            if let Some(section) = &claim.section {
                data.insert("section".into(), section.value.clone().into());
            }
            if let Some(quote) = &claim.quote {
                data.insert("quote".into(), quote.value.clone().into());
            }
            if let Some(note) = &claim.note {
                data.insert("note".into(), note.value.clone().into());
            }
            let cites: Vec<Value> = claim
                .citations
                .iter()
                .filter(|c| c.origin == CitationOrigin::Cites)
                .map(|c| cites_entry(&c.item).into())
                .collect();
            if !cites.is_empty() {
                data.insert("cites".into(), cites.into());
            }
            push_data(&mut text, data);
            text.push('\n');
            for edge in graph.links_from(node) {
                let Some(to) = edge.to else { continue };
                link_notes += usize::from(edge.link.note.is_some());
                analysts += usize::from(edge.link.is_analysts());
                text.push_str(match edge.relation() {
                    Relation::Supports => "    +> ",
                    Relation::Attacks => "    -> ",
                });
                push_title(&mut text, &selection.name(to));
                text.push('\n');
            }
            text.push('\n');
        }
    }
    let mut lost = Vec::new();
    if joined > 0 {
        lost.push(format!(
            "the line breaks of {}: an Argdown statement is one paragraph",
            count(joined, "claim's text", "claims' texts")
        ));
    }
    if link_notes > 0 || analysts > 0 {
        lost.push(format!(
            "{}, and who draws each link (the map-maker draws {analysts}): an Argdown \
             relation holds no data",
            count(link_notes, "link's note", "links' notes"),
        ));
    }
    let references = corpus.references.len();
    if references > 0 {
        lost.push(format!(
            "{}: Argdown has no bibliography (the citations stay in the texts, `cites` lists in the statements' data)",
            count(references, "reference", "references")
        ));
    }
    let allows: usize = selection
        .nodes()
        .map(|n| graph.claim(n).1.allow.len())
        .sum();
    if allows > 0 {
        lost.push(format!(
            "{}: rule levels are the check's",
            count(allows, "`argmap-allow` entry", "`argmap-allow` entries")
        ));
    }
    Export { text, lost }
}
