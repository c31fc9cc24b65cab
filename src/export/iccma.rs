//! The attack graph in the ICCMA'23 format of abstract argumentation frameworks: a line
//! `p af N` (N arguments, numbered from 1), then one line `i j` per attack of argument i on
//! argument j. Lines starting with `#` are comments, which solvers skip: argmap writes the
//! numbering there before the `p af` line, `# 3 russia-sco:thesis`, one claim a line,
//! numbered in corpus order (maps by name, claims in file order), so that a solver's answer
//! can be read back.
//!
//! This is the framework of `argmap eval --support none`: supports imply attacks only under
//! a reading of them, and the attacks they imply can be quadratic in number, so none is
//! written. An attack listed twice is written once.

use std::fmt::Write as _;

use super::{Export, Selection, count};
use crate::model::Relation;

/// The attacks between the selected claims, with the numbering as comments.
pub fn write(selection: &Selection) -> Export {
    let graph = selection.graph();
    let nodes: Vec<_> = selection.nodes().collect();
    let mut number = vec![0u32; graph.len()];
    let mut text = String::new();
    text.push_str("# argmap: claims are arguments, attacks are attacks; supports are left out\n");
    for (i, &node) in nodes.iter().enumerate() {
        number[node as usize] = i as u32 + 1;
        let _ = writeln!(text, "# {} {}", i + 1, selection.name(node));
    }
    let _ = writeln!(text, "p af {}", nodes.len());
    let (mut supports, mut outside, mut repeated) = (0, 0, 0);
    let mut seen = rustc_hash::FxHashSet::default();
    for &node in &nodes {
        for edge in graph.links_from(node) {
            let Some(to) = edge.to else { continue };
            if edge.relation() == Relation::Supports {
                supports += 1;
                continue;
            }
            if !selection.has(to) {
                outside += 1;
                continue;
            }
            if !seen.insert((node, to)) {
                repeated += 1;
                continue;
            }
            let _ = writeln!(text, "{} {}", number[node as usize], number[to as usize]);
        }
    }
    // Attacks from claims of maps not exported on exported ones.
    for &node in &nodes {
        outside += graph
            .links_to(node)
            .filter(|e| e.relation() == Relation::Attacks && !selection.has(e.from))
            .count();
    }
    let mut lost = Vec::new();
    if supports > 0 {
        lost.push(format!(
            "{}: an ICCMA framework holds attacks only (its labels are `argmap eval --support none`'s)",
            count(supports, "support", "supports")
        ));
    }
    if outside > 0 {
        lost.push(format!(
            "{} to or from claims of maps not exported",
            count(outside, "attack", "attacks")
        ));
    }
    if repeated > 0 {
        lost.push(format!(
            "{} listed twice, written once",
            count(repeated, "attack", "attacks")
        ));
    }
    if !nodes.is_empty() {
        lost.push(
            "claims' texts, kinds, sections, quotes and citations, maps' titles and sources, \
             references: an ICCMA framework holds arguments and attacks alone (the numbering \
             is in `#` comments)"
                .to_owned(),
        );
    }
    Export { text, lost }
}
