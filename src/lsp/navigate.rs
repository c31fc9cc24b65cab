//! Reading the workspace from the editor: hover ("can I rely on this?"), definitions,
//! references, rename, code lenses and the outline, all from the analysis's queries.

use std::collections::HashMap;

use lsp_types::{self as lsp, Uri};

use super::{Server, convert};
use crate::analysis::{Analysis, ClaimAt, LinkPart, Occurrence, Target};
use crate::model::{ArgumentMap, Claim, Reference, Relation};
use crate::quote::Verdict;
use crate::resolve::{Checked, Status};
use crate::source::{FileId, Span};

/// Text from a file or a server, shown literally in Markdown: on one line, no control
/// character, every character Markdown would read escaped.
pub(super) fn literal(s: &str, max_chars: usize) -> String {
    let line = crate::sanitize::one_line(s, max_chars);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if "\\`*_[]<>|~#&$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link is only made of an http(s) address; anything else is shown as text.
fn link(url: &str) -> String {
    let web = url.starts_with("https://") || url.starts_with("http://");
    match web && !url.contains(|c: char| c.is_whitespace() || "()<>".contains(c)) {
        true => format!("[{}]({url})", literal(url, 200)),
        false => literal(url, 200),
    }
}

/// A reference's entry: authors, year, title, container, volume, issue, pages, and its
/// DOI or URL as a link.
pub(super) fn entry(reference: &Reference) -> String {
    let e = reference.entry();
    let mut out = String::new();
    if !e.names.is_empty() {
        out.push_str(&literal(&e.names, 300));
        if e.edited {
            out.push_str(" (ed.)");
        }
        out.push(' ');
    }
    match e.year {
        Some(year) => out.push_str(&format!("({year}). ")),
        None => out.push_str("(n.d.). "),
    }
    out.push_str(&format!("*{}*.", literal(e.title, 300)));
    if let Some(container) = e.container {
        out.push_str(&format!(" {}", literal(container, 200)));
        if let Some(volume) = e.volume {
            out.push_str(&format!(", {}", literal(volume, 20)));
        }
        if let Some(issue) = e.issue {
            out.push_str(&format!("({})", literal(issue, 20)));
        }
        if let Some(pages) = e.pages {
            out.push_str(&format!(", {}", literal(pages, 40)));
        }
        out.push('.');
    } else if let Some(pages) = e.pages {
        out.push_str(&format!(" {}.", literal(pages, 40)));
    }
    match (&e.doi_url, e.url) {
        (Some(doi), _) => out.push_str(&format!("  \n{}", link(doi))),
        (None, Some(url)) => out.push_str(&format!("  \n{}", link(url))),
        _ => {}
    }
    out
}

/// How long ago a time was, in words.
fn ago(then: u64) -> String {
    let secs = crate::resolve::now().saturating_sub(then);
    match secs {
        0..120 => "just now".to_owned(),
        120..7200 => format!("{} minutes ago", secs / 60),
        7200..172800 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    }
}

/// A reference's standing, from the DOI cache: what a reader needs before relying on it.
pub(super) fn standing(reference: &Reference, checked: Option<&Checked>) -> String {
    let Some(doi) = reference.valid_doi() else {
        return match &reference.doi {
            Some(_) => "**DOI**: not a valid DOI (see the finding)".to_owned(),
            None => "**DOI**: none, so not checked".to_owned(),
        };
    };
    let Some(checked) = checked else {
        return format!(
            "**DOI** `{}`: unverified, the DOI cache has no answer (run `argmap resolve`)",
            literal(doi.doi.as_str(), 200)
        );
    };
    let when = match checked.answered_at {
        Some(at) => format!(" (answer from the DOI cache, {})", ago(at)),
        None => String::new(),
    };
    let mut out = match &checked.status {
        Status::Verified => format!("**DOI**: verified{when}"),
        Status::NotFound => {
            format!("**DOI**: NOT FOUND, the DOI system says it does not exist{when}")
        }
        Status::Mismatch(differences) => format!(
            "**DOI**: belongs to another work{when}: {}",
            literal(
                &differences
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                400
            )
        ),
        Status::Unverified(why) => format!("**DOI**: unverified{when}: {}", literal(why, 300)),
    };
    for notice in &checked.updated_by {
        let serious = notice.rule().is_some();
        let date = notice
            .date
            .as_deref()
            .map(|d| format!(" of {}", literal(d, 20)));
        out.push_str(&format!(
            "  \n{}**{}**{}: {}",
            if serious { "⚠ " } else { "" },
            literal(&notice.kind_words(), 60),
            date.unwrap_or_default(),
            link(&format!("https://doi.org/{}", notice.doi))
        ));
    }
    out
}

/// A claim as a hover names it: `map:id` and its text, its quote and section.
fn claim_card(analysis: &Analysis, at: ClaimAt) -> Option<String> {
    let map = analysis.map(at.map)?;
    let claim = map.claims.get(at.claim as usize)?;
    let mut out = format!(
        "**{}:{}**: {}",
        literal(&map.name, 100),
        literal(&claim.id.value, 100),
        literal(claim.text(), 1000)
    );
    if let Some(quote) = &claim.quote {
        out.push_str(&format!("\n\n> {}", literal(&quote.value, 1000)));
    }
    if let Some(section) = &claim.section {
        out.push_str(&format!("\n\nsection: {}", literal(&section.value, 200)));
    }
    if let Some(note) = &claim.note {
        out.push_str(&format!(
            "\n\n*the map-maker's note*: {}",
            literal(&note.value, 1000)
        ));
    }
    out.push_str(&format!("\n\n{}", lens_of_claim(analysis, at)));
    Some(out)
}

/// "supports 2, attacks 1; supported by 3, attacked by 1".
fn lens_of_claim(analysis: &Analysis, at: ClaimAt) -> String {
    let Some(claim) = analysis
        .map(at.map)
        .and_then(|m| m.claims.get(at.claim as usize))
    else {
        return String::new();
    };
    let count = |links: &mut dyn Iterator<Item = Relation>| {
        links.fold((0, 0), |(s, a), r| match r {
            Relation::Supports => (s + 1, a),
            Relation::Attacks => (s, a + 1),
        })
    };
    let (supports, attacks) = count(&mut claim.links.iter().map(|l| l.relation));
    let (by_s, by_a) = match analysis.is_last_good(at.map) {
        true => (0, 0),
        false => {
            let graph = analysis.graph();
            let node = graph.node(at.map as usize, at.claim as usize);
            count(&mut graph.links_to(node).map(|e| e.relation()))
        }
    };
    format!("supports {supports}, attacks {attacks}; supported by {by_s}, attacked by {by_a}")
}

/// The claims that cite a reference: distinct claims, in claim order.
fn citing_claims(analysis: &Analysis, reference: usize) -> usize {
    let mut claims: Vec<u32> = analysis
        .graph()
        .citations_of(reference)
        .map(|(at, _)| at.node)
        .collect();
    claims.dedup();
    claims.len()
}

fn reference_card(analysis: &Analysis, reference: usize) -> Option<String> {
    let r = analysis.corpus().references.get(reference)?;
    Some(format!(
        "{}\n\n{}\n\ncited by {}",
        entry(r),
        standing(r, analysis.doi_verdict(reference)),
        crate::diagnostic::plural(citing_claims(analysis, reference), "claim")
    ))
}

/// Whether and where a claim's quote is in its paper's text.
fn quote_card(analysis: &Analysis, at: ClaimAt) -> Option<String> {
    let map = analysis.map(at.map)?;
    let Some(found) = analysis.quote_found(at) else {
        let source = map.source.as_ref().map_or("?", |s| s.value.as_str());
        return Some(format!(
            "**quote**: not checked, `sources/` has no text of `{}`",
            literal(source, 100)
        ));
    };
    let paper = analysis.source(found.paper)?;
    let place = |range: std::ops::Range<usize>| {
        let (line, _) = paper.line_column(range.start, crate::source::Encoding::Chars);
        let context = paper.text.get(range).unwrap_or("");
        format!(
            "{}, line {}: {}",
            literal(&paper.path, 200),
            line + 1,
            literal(context, 300)
        )
    };
    Some(match found.verdict {
        Verdict::Exact { range } => format!("**quote**: found verbatim in {}", place(range)),
        Verdict::Inexact {
            range, differences, ..
        } => format!(
            "**quote**: inexact ({}), nearest passage in {}",
            literal(&differences, 300),
            place(range)
        ),
        Verdict::Missing { nearest } => match nearest {
            Some(range) => format!(
                "**quote**: NOT in the paper; nearest passage in {}",
                place(range)
            ),
            None => format!("**quote**: NOT in {}", literal(&paper.path, 200)),
        },
    })
}

pub(super) fn hover(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::HoverParams,
) -> Option<lsp::Hover> {
    let (file, offset) = convert::offset(server, analysis, &params.text_document_position_params)?;
    let (span, text) = match analysis.at(file, offset) {
        Some((span, occurrence)) => {
            let text = match occurrence {
                Occurrence::Citation {
                    reference: Some(r),
                    claim,
                    citation,
                } => {
                    let mut card = reference_card(analysis, r as usize)?;
                    let locator = analysis
                        .map(claim.map)
                        .and_then(|m| m.claims.get(claim.claim as usize))
                        .and_then(|c| c.citations.get(citation as usize))
                        .and_then(|c| c.item.locator.as_ref());
                    if let Some(locator) = locator {
                        card.push_str(&format!(
                            "\n\ncited here at: {}",
                            literal(&format!("{} {}", locator.label, locator.value), 100)
                        ));
                    }
                    card
                }
                Occurrence::Citation {
                    reference: None, ..
                } => "no reference has this id".to_owned(),
                Occurrence::Reference(r)
                | Occurrence::Source {
                    reference: Some(r), ..
                } => reference_card(analysis, r as usize)?,
                Occurrence::Link {
                    from,
                    link,
                    to: Some(to),
                    ..
                } => {
                    let link = analysis
                        .map(from.map)
                        .and_then(|m| m.claims.get(from.claim as usize))
                        .and_then(|c| c.links.get(link as usize));
                    let card = claim_card(analysis, to)?;
                    match link.filter(|l| l.is_analysts()) {
                        Some(l) => {
                            let mut whose = "**The map-maker's link**, not the paper's".to_owned();
                            if let Some(note) = &l.note {
                                whose.push_str(&format!(": {}", literal(&note.value, 500)));
                            }
                            format!("{whose}\n\n---\n\n{card}")
                        }
                        None => card,
                    }
                }
                Occurrence::Claim(to) => claim_card(analysis, to)?,
                Occurrence::Link {
                    part: LinkPart::Map,
                    map: Some(m),
                    ..
                } => literal(analysis.map(m)?.title(), 300),
                Occurrence::Allow(rule) => literal(rule.docs().summary, 300),
                _ => return None,
            };
            (span, text)
        }
        None => {
            // A claim's quote.
            let at = analysis.claim_around(file, offset)?;
            let quote = analysis.map(at.map)?.claims[at.claim as usize]
                .quote
                .as_ref()?;
            let inside = quote.span.start as usize <= offset && offset <= quote.span.end as usize;
            if !inside {
                return None;
            }
            (quote.span, quote_card(analysis, at)?)
        }
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(convert::range(server, analysis, span)),
    })
}

pub(super) fn definition(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::GotoDefinitionParams,
) -> Option<lsp::GotoDefinitionResponse> {
    let (file, offset) = convert::offset(server, analysis, &params.text_document_position_params)?;
    let (_, occurrence) = analysis.at(file, offset)?;
    let span = analysis.definition(&occurrence)?;
    Some(lsp::GotoDefinitionResponse::Scalar(convert::location(
        server, analysis, span,
    )?))
}

pub(super) fn references(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::ReferenceParams,
) -> Option<Vec<lsp::Location>> {
    let (file, offset) = convert::offset(server, analysis, &params.text_document_position)?;
    let (_, occurrence) = analysis.at(file, offset)?;
    let target = analysis.target(&occurrence)?;
    let mut spans = analysis.references(target);
    if !params.context.include_declaration {
        spans.remove(0);
    }
    Some(
        spans
            .into_iter()
            .filter_map(|s| convert::location(server, analysis, s))
            .collect(),
    )
}

/// The span of the name itself within a place naming a claim or reference: a citation's
/// key without `@` and braces.
fn name_span(analysis: &Analysis, span: Span, name: &str) -> Option<Span> {
    let text = &analysis.navigation_source(span.file)?.text;
    let written = text.get(span.range())?;
    let at = written.find(name)?;
    let start = span.start as usize + at;
    Some(Span::new(span.file, start, start + name.len()))
}

/// What a rename at a position renames: a claim or a reference, and its name now.
fn renamed(analysis: &Analysis, file: FileId, offset: usize) -> Option<(Span, Target, String)> {
    let (span, occurrence) = analysis.at(file, offset)?;
    let target = analysis.target(&occurrence)?;
    let name = match target {
        Target::Claim(at) => analysis
            .map(at.map)?
            .claims
            .get(at.claim as usize)?
            .id
            .value
            .clone(),
        Target::Reference(r) => analysis
            .corpus()
            .references
            .get(r as usize)?
            .id
            .value
            .clone(),
    };
    Some((name_span(analysis, span, &name)?, target, name))
}

pub(super) fn prepare_rename(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::TextDocumentPositionParams,
) -> Option<lsp::PrepareRenameResponse> {
    let (file, offset) = convert::offset(server, analysis, params)?;
    let (span, _, name) = renamed(analysis, file, offset)?;
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(server, analysis, span),
        placeholder: name,
    })
}

/// Whether a new name can be written as it is: a claim id (letters, digits, `-`, `_`), or
/// a reference id that pandoc reads whole as `@id` (letters, digits, `_`, and inner
/// punctuation pandoc keeps).
fn valid_name(target: Target, name: &str) -> bool {
    let start = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    match target {
        Target::Claim(_) => {
            start
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        }
        Target::Reference(_) => {
            start
                && name.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c))
                && !name.contains("--")
        }
    }
}

/// Renames a claim (its id and every link to it, in every map) or a reference (its id,
/// every citation of it and every `source:` naming it), as one workspace edit.
pub(super) fn rename(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::RenameParams,
) -> Result<lsp::WorkspaceEdit, String> {
    let position = &params.text_document_position;
    let (file, offset) =
        convert::offset(server, analysis, position).ok_or("not a file of the workspace")?;
    let (_, target, name) = renamed(analysis, file, offset)
        .ok_or("nothing to rename here: a claim id, a link, a citation key or a reference id")?;
    let new_name = params.new_name.trim();
    if !valid_name(target, new_name) {
        return Err(format!("`{new_name}` cannot be written as an id here"));
    }
    let taken = match target {
        Target::Claim(at) => analysis
            .map(at.map)
            .is_some_and(|m| m.claims.iter().any(|c| c.id.value == new_name)),
        Target::Reference(_) => analysis
            .corpus()
            .references
            .iter()
            .any(|r| r.id.value == new_name),
    };
    if taken {
        return Err(format!(
            "`{new_name}` is already an id: a rename would merge the two"
        ));
    }
    #[allow(clippy::mutable_key_type)] // lsp-types' `Uri` hashes its text, which never changes
    let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for span in analysis.references(target) {
        let span = name_span(analysis, span, &name).ok_or_else(|| {
            format!("a place names `{name}` through an escape: rename it by hand")
        })?;
        let uri = server
            .uri(analysis, span.file)
            .ok_or("a file outside the workspace")?;
        changes.entry(uri).or_default().push(lsp::TextEdit {
            range: convert::range(server, analysis, span),
            new_text: new_name.to_owned(),
        });
    }
    Ok(lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

pub(super) fn code_lenses(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::CodeLensParams,
) -> Vec<lsp::CodeLens> {
    let Some(file) = server.file(analysis, &params.text_document.uri) else {
        return Vec::new();
    };
    let lens = |span: Span, title: String| lsp::CodeLens {
        range: convert::range(server, analysis, span),
        command: Some(lsp::Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    };
    let mut out = Vec::new();
    for (span, occurrence) in analysis.occurrences(file) {
        match *occurrence {
            Occurrence::Reference(r) => {
                let n = citing_claims(analysis, r as usize);
                out.push(lens(*span, crate::diagnostic::plural(n, "citing claim")));
            }
            Occurrence::Claim(at) => out.push(lens(*span, lens_of_claim(analysis, at))),
            _ => {}
        }
    }
    out
}

pub(super) fn symbols(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::DocumentSymbolParams,
) -> Option<lsp::DocumentSymbolResponse> {
    let file = server.file(analysis, &params.text_document.uri)?;
    let mut out = Vec::new();
    for map in analysis.maps().filter(|m| m.file == file) {
        for claim in &map.claims {
            out.push(claim_symbol(server, analysis, map, claim));
        }
    }
    for r in analysis
        .corpus()
        .references
        .iter()
        .filter(|r| r.id.span.file == file)
    {
        #[allow(deprecated)] // `deprecated` is a field the type still requires
        out.push(lsp::DocumentSymbol {
            name: r.id.value.clone(),
            detail: Some(crate::sanitize::one_line(&r.title.value, 200)),
            kind: lsp::SymbolKind::OBJECT,
            tags: None,
            deprecated: None,
            range: convert::range(server, analysis, r.span),
            selection_range: convert::range(server, analysis, r.id.span),
            children: None,
        });
    }
    Some(lsp::DocumentSymbolResponse::Nested(out))
}

fn claim_symbol(
    server: &Server,
    analysis: &Analysis,
    map: &ArgumentMap,
    claim: &Claim,
) -> lsp::DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a field the type still requires
    lsp::DocumentSymbol {
        name: claim.id.value.clone(),
        detail: Some(crate::sanitize::one_line(claim.text(), 200)),
        kind: match map.is_conclusion(claim) {
            true => lsp::SymbolKind::CONSTANT,
            false => lsp::SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: convert::range(server, analysis, claim.span),
        selection_range: convert::range(server, analysis, claim.id.span),
        children: None,
    }
}
