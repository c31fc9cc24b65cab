//! The maps in the Argument Interchange Format, as AIFdb and OVA write it in JSON:
//! `nodes` (`nodeID`, `text`, `type`), `edges` (`edgeID`, `fromID`, `toID`), `locutions`
//! and `participants`.
//!
//! Each claim is an I-node (its text, citations included); each support an RA-node (a
//! default inference) with an edge from the supporting claim's I-node to it and one from it
//! to the supported claim's; each attack a CA-node (a default conflict) likewise. A claim's
//! quote is an L-node (the map's source speaking: `Guliev et al. 2020 : "..."`, a locution
//! of the participant that is the source) asserting the I-node through a YA-node. Node ids
//! are made from `map:id`, never numbered (`I:russia-sco:thesis`,
//! `RA:russia-sco:reason>russia-sco:thesis`, `L:russia-sco:thesis`), and edges from the ids
//! they join, so two exports of maps that differ in one claim differ in that claim's lines.

use serde_json::{Value, json};

use super::{Export, Selection, count};
use crate::model::{CitationOrigin, Relation};

/// The AIF document (see the module docs).
pub fn write(selection: &Selection) -> Export {
    let graph = selection.graph();
    let corpus = graph.corpus();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut locutions = Vec::new();
    let mut participants = Vec::new();
    let edge = |from: &str, to: &str| json!({"edgeID": format!("{from}|{to}"), "fromID": from, "toID": to, "formEdgeID": null});
    let (mut outside, mut repeated, mut sections, mut kinds, mut cites, mut locators) =
        (0, 0, 0, 0, 0, 0);
    let (mut notes, mut link_notes, mut analysts) = (0, 0, 0);
    let mut seen = rustc_hash::FxHashSet::default();
    for (mi, map) in corpus.maps.iter().enumerate() {
        if !selection.has_map(mi) {
            continue;
        }
        let speaker = match &map.source {
            Some(source) => {
                let who = graph
                    .reference_index(&source.value)
                    .map(|r| corpus.references[r].author_date())
                    .unwrap_or_else(|| source.value.clone());
                let id = format!("P:{}", source.value);
                if seen.insert(id.clone()) {
                    participants.push(json!({
                        "participantID": id,
                        "firstname": "",
                        "surname": who,
                    }));
                }
                Some((id, who))
            }
            None => None,
        };
        for node in graph.nodes_of(mi) {
            let (_, claim) = graph.claim(node);
            let name = selection.name(node);
            let i = format!("I:{name}");
            nodes.push(json!({"nodeID": i, "text": claim.text(), "type": "I"}));
            sections += usize::from(claim.section.is_some());
            notes += usize::from(claim.note.is_some());
            kinds += usize::from(!claim.is_argument());
            for c in &claim.citations {
                match c.origin {
                    CitationOrigin::Cites => cites += 1,
                    CitationOrigin::Text => {}
                }
                locators += usize::from(c.item.locator.is_some());
            }
            if let Some(quote) = &claim.quote {
                let l = format!("L:{name}");
                let ya = format!("YA:{name}");
                let (person, who) = match &speaker {
                    Some((id, who)) => (Value::from(id.clone()), who.clone()),
                    None => (Value::Null, map.name.clone()),
                };
                nodes.push(
                    json!({"nodeID": l, "text": format!("{who} : {}", quote.value), "type": "L"}),
                );
                nodes.push(json!({"nodeID": ya, "text": "Asserting", "type": "YA"}));
                edges.push(edge(&l, &ya));
                edges.push(edge(&ya, &i));
                locutions.push(json!({"nodeID": l, "personID": person}));
            }
            outside += graph
                .links_to(node)
                .filter(|e| !selection.has(e.from))
                .count();
            for link in graph.links_from(node) {
                let Some(to) = link.to else { continue };
                if !selection.has(to) {
                    outside += 1;
                    continue;
                }
                link_notes += usize::from(link.link.note.is_some());
                analysts += usize::from(link.link.is_analysts());
                let (kind, text) = match link.relation() {
                    Relation::Supports => ("RA", "Default Inference"),
                    Relation::Attacks => ("CA", "Default Conflict"),
                };
                let s = format!("{kind}:{name}>{}", selection.name(to));
                if !seen.insert(s.clone()) {
                    repeated += 1;
                    continue;
                }
                nodes.push(json!({"nodeID": s, "text": text, "type": kind}));
                edges.push(edge(&i, &s));
                edges.push(edge(&s, &format!("I:{}", selection.name(to))));
            }
        }
    }
    let mut lost = Vec::new();
    for (n, what, why) in [
        (
            locators,
            "citation locators",
            "AIF has no citations: those in a claim's text stay in its I-node's text",
        ),
        (cites, "citations of `cites` lists", "AIF has no citations"),
        (sections, "claims' sections", "AIF has no sections"),
        (notes, "claims' notes", "an I-node holds its text alone"),
        (
            link_notes,
            "links' notes",
            "an RA or CA node says only its scheme",
        ),
        (
            analysts,
            "links the map-maker draws",
            "AIF does not say whose a link is",
        ),
        (
            kinds,
            "claim kinds (aim, framing)",
            "every claim is an I-node",
        ),
        (
            outside,
            "links to or from claims of maps not exported",
            "an edge needs both nodes",
        ),
        (repeated, "links listed twice", "written once"),
    ] {
        if n > 0 {
            lost.push(format!("{n} {what}: {why}"));
        }
    }
    if !corpus.references.is_empty() {
        lost.push(format!(
            "{}: AIF has no bibliography (a map's source is named as the participant of its quotes)",
            count(corpus.references.len(), "reference", "references")
        ));
    }
    let document = json!({
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": participants,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON");
    text.push('\n');
    Export { text, lost }
}
