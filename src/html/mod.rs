//! `argmap html`: the maps as a site to read in a browser, offline: a page per map (its
//! source, its conclusions, its diagram, each conclusion's argument alone, and a panel per
//! claim), a page per claim (a permalink, with typed backlinks and the quote in the
//! paper's context), a page per cited work, a references page, and a search over claims,
//! quotes and references from a script file (so it works from `file://`).
//!
//! A thin front end on the analysis: every fact comes from [`Analysis`] (its graph, its
//! findings, DOI verdicts, quotes found in papers' texts); diagrams are `dot`'s, laid out
//! by Graphviz through the caller's `render` (the binary runs `dot -Tsvg`). The library
//! returns the files; the binary writes them. The same analysis gives the same bytes.
//! Every string from a file is escaped; links are made of http(s) addresses only.

mod assets;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::analysis::{Analysis, ClaimAt};
use crate::diagnostic::{Diagnostic, Severity};
use crate::dot::{ClaimLinks, Diagram, Options, site_file_name, site_url_part};
use crate::graph::{Graph, Node};
use crate::model::{ArgumentMap, Claim, Reference, Relation};
use crate::quote::Verdict;
use crate::resolve::Status;
use crate::rule::Rule;

/// The site: each file's path (relative, `/`-separated) and its bytes, in path order.
#[derive(Debug, Default)]
pub struct Site {
    /// The files.
    pub files: BTreeMap<String, String>,
}

/// Why a site could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot lay out the diagram of {what}: {why}")]
pub struct RenderError {
    /// What the diagram shows.
    pub what: String,
    /// What the renderer said.
    pub why: String,
}

/// HTML-escaped text, on one line where it must be, without control characters.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(' '),
            c if crate::sanitize::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A link to an address from a file: only http(s), else the text alone.
fn web_link(url: &str, text: &str) -> String {
    let url = url.trim();
    let web = url
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        || url
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"));
    match web {
        true => format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            esc(url),
            esc(text)
        ),
        false => esc(text),
    }
}

/// What makes a claim doubtful, and what it passes on to the claims it supports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Concern {
    /// It cites a work retracted, withdrawn or under an expression of concern.
    Retracted(String),
    /// It cites a work that a correction updates.
    Corrected(String),
    /// It cites a work whose DOI does not exist or names another work.
    BrokenDoi(String),
    /// Its quote is not the paper's words, or not in the paper.
    Quote(&'static str),
}

impl Concern {
    fn badge(&self) -> (&'static str, String) {
        match self {
            Concern::Retracted(id) => ("retracted", format!("cites a retracted work: {id}")),
            Concern::Corrected(id) => ("corrected", format!("cites a corrected work: {id}")),
            Concern::BrokenDoi(id) => ("broken", format!("cites a work whose DOI fails: {id}")),
            Concern::Quote(what) => ("quote", format!("quote {what}")),
        }
    }
}

/// The facts the pages share, found once.
struct Facts<'a> {
    analysis: &'a Analysis,
    graph: Graph<'a>,
    /// By node: the findings on the claim.
    findings: Vec<Vec<&'a Diagnostic>>,
    /// By node: what is doubtful about the claim itself.
    concerns: Vec<Vec<Concern>>,
    /// By node: the doubtful claims it rests on, through supports (itself not included).
    rests_on: Vec<Vec<Node>>,
}

impl<'a> Facts<'a> {
    fn new(analysis: &'a Analysis) -> Facts<'a> {
        let graph = analysis.graph();
        let n = graph.len();
        let mut findings: Vec<Vec<&Diagnostic>> = vec![Vec::new(); n];
        // A finding is on the claim whose mapping holds its place.
        let mut by_file: BTreeMap<crate::source::FileId, Vec<(u32, u32, Node)>> = BTreeMap::new();
        for (mi, map) in analysis.corpus().maps.iter().enumerate() {
            for (ci, claim) in map.claims.iter().enumerate() {
                by_file.entry(map.file).or_default().push((
                    claim.span.start,
                    claim.span.end,
                    graph.node(mi, ci),
                ));
            }
        }
        for d in &analysis.diagnostics {
            let span = d.primary.span;
            if let Some(claims) = by_file.get(&span.file) {
                let i = claims.partition_point(|&(start, ..)| start <= span.start);
                if i > 0 && claims[i - 1].1 >= span.end {
                    findings[claims[i - 1].2 as usize].push(d);
                }
            }
        }
        let mut concerns: Vec<Vec<Concern>> = vec![Vec::new(); n];
        for node in 0..n as Node {
            let (_, claim) = graph.claim(node);
            let mut mine = Vec::new();
            for citation in &claim.citations {
                let Some(r) = graph.reference_index(citation.key()) else {
                    continue;
                };
                let Some(checked) = analysis.doi_verdict(r) else {
                    continue;
                };
                let id = citation.key().to_owned();
                match &checked.status {
                    Status::NotFound | Status::Mismatch(_) => {
                        mine.push(Concern::BrokenDoi(id.clone()))
                    }
                    _ => {}
                }
                for notice in &checked.updated_by {
                    match notice.rule() {
                        Some(Rule::CitedWorkRetracted | Rule::CitedWorkConcern) => {
                            mine.push(Concern::Retracted(id.clone()))
                        }
                        Some(Rule::CitedWorkCorrected) => mine.push(Concern::Corrected(id.clone())),
                        _ => {}
                    }
                }
            }
            for d in &findings[node as usize] {
                match d.rule {
                    Rule::QuoteInexact => mine.push(Concern::Quote("not verbatim")),
                    Rule::QuoteNotInSource => mine.push(Concern::Quote("not in the paper")),
                    _ => {}
                }
            }
            mine.sort();
            mine.dedup();
            concerns[node as usize] = mine;
        }
        // What a doubtful claim supports, transitively, rests on it.
        let mut rests_on: Vec<Vec<Node>> = vec![Vec::new(); n];
        for start in (0..n as Node).filter(|&v| !concerns[v as usize].is_empty()) {
            let mut seen = vec![false; n];
            seen[start as usize] = true;
            let mut todo = vec![start];
            while let Some(v) = todo.pop() {
                for edge in graph.links_from(v) {
                    if edge.relation() != Relation::Supports {
                        continue;
                    }
                    if let Some(to) = edge.to
                        && !std::mem::replace(&mut seen[to as usize], true)
                    {
                        rests_on[to as usize].push(start);
                        todo.push(to);
                    }
                }
            }
        }
        Facts {
            analysis,
            graph,
            findings,
            concerns,
            rests_on,
        }
    }

    /// The badges of a claim: its own concerns, and the doubtful claims it rests on.
    fn badges(&self, node: Node, base: &str) -> String {
        let mut out = String::new();
        for concern in &self.concerns[node as usize] {
            let (class, title) = concern.badge();
            let _ = write!(out, " <span class=\"badge {class}\">{}</span>", esc(&title));
        }
        let rests = &self.rests_on[node as usize];
        if !rests.is_empty() {
            let names: Vec<String> = rests.iter().map(|&v| claim_name(&self.graph, v)).collect();
            let (first_map, first) = self.graph.claim(rests[0]);
            let _ = write!(
                out,
                " <a class=\"badge rests\" href=\"{base}{}\">rests on {} doubtful claim{}: {}</a>",
                claim_page_url(&first_map.name, &first.id.value),
                rests.len(),
                if rests.len() == 1 { "" } else { "s" },
                esc(&names.join(", "))
            );
        }
        out
    }
}

fn claim_name(graph: &Graph, node: Node) -> String {
    let (map, claim) = graph.claim(node);
    format!("{}:{}", map.name, claim.id.value)
}

/// A claim's permalink, from the site's root.
fn claim_page_url(map: &str, claim: &str) -> String {
    format!(
        "claims/{}/{}.html",
        site_url_part(&site_file_name(map)),
        site_url_part(&site_file_name(claim))
    )
}

/// A map's page, from the site's root.
fn map_page_url(map: &str) -> String {
    format!("maps/{}.html", site_url_part(&site_file_name(map)))
}

/// A work's page, from the site's root.
fn work_page_url(id: &str) -> String {
    format!("works/{}.html", site_url_part(&site_file_name(id)))
}

/// A page: its head (title, stylesheet, scripts, relative to `base`), a skip link, the
/// site's navigation, and `body`.
fn page(title: &str, base: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{base}style.css\">\n\
         <script src=\"{base}search-index.js\" defer></script>\n\
         <script src=\"{base}app.js\" defer></script>\n</head>\n<body data-base=\"{base}\">\n\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\n\
         <nav class=\"site\"><a href=\"{base}index.html\">Maps</a> \
         <a href=\"{base}references.html\">References</a>\n\
         <form class=\"search\" role=\"search\" action=\"{base}index.html\">\
         <label for=\"q\">Search</label> <input id=\"q\" name=\"q\" type=\"search\" \
         placeholder=\"claims, quotes, references\" autocomplete=\"off\"></form></nav>\n\
         <ol id=\"results\" class=\"results\" aria-live=\"polite\"></ol>\n\
         <main id=\"main\">\n{body}</main>\n</body>\n</html>\n",
        title = esc(title),
    )
}

/// A reference as a bibliography lists it, with its DOI or URL as a link.
fn entry_html(r: &Reference) -> String {
    let e = r.entry();
    let mut out = String::new();
    if !e.names.is_empty() {
        out.push_str(&esc(&e.names));
        if e.edited {
            out.push_str(" (ed.)");
        }
        out.push(' ');
    }
    match e.year {
        Some(y) => {
            let _ = write!(out, "({y}). ");
        }
        None => out.push_str("(n.d.). "),
    }
    let _ = write!(out, "<cite>{}</cite>.", esc(e.title));
    if let Some(c) = e.container {
        let _ = write!(out, " <i>{}</i>", esc(c));
        if let Some(v) = e.volume {
            let _ = write!(out, ", {}", esc(v));
        }
        if let Some(i) = e.issue {
            let _ = write!(out, "({})", esc(i));
        }
        if let Some(p) = e.pages {
            let _ = write!(out, ", {}", esc(p));
        }
        out.push('.');
    } else if let Some(p) = e.pages {
        let _ = write!(out, " {}.", esc(p));
    }
    if let Some(doi) = &e.doi_url {
        let _ = write!(out, " {}", web_link(doi, doi));
    } else if let Some(url) = e.url {
        let _ = write!(out, " {}", web_link(url, url));
    }
    out
}

/// A work's DOI status, from the DOI cache.
fn status_html(analysis: &Analysis, reference: usize) -> (String, String) {
    let r = &analysis.corpus().references[reference];
    if r.valid_doi().is_none() {
        return ("none".into(), "no DOI".into());
    }
    let Some(checked) = analysis.doi_verdict(reference) else {
        return (
            "unverified".into(),
            "unverified (not in the DOI cache)".into(),
        );
    };
    let mut text = match &checked.status {
        Status::Verified => "verified".to_owned(),
        Status::NotFound => "DOI not found".to_owned(),
        Status::Mismatch(_) => "DOI of another work".to_owned(),
        Status::Unverified(_) => "unverified".to_owned(),
    };
    let mut class = checked.status.name().to_owned();
    for notice in &checked.updated_by {
        let _ = write!(text, "; {}", notice.kind_words());
        if notice.rule() == Some(Rule::CitedWorkRetracted) {
            class = "retracted".into();
        } else if notice.rule().is_some() && class != "retracted" {
            class = "corrected".into();
        }
    }
    (class, esc(&text))
}

/// What a claim is about and where its words are: its text, quote, section.
fn claim_body(facts: &Facts, node: Node, base: &str) -> String {
    let graph = &facts.graph;
    let (map, claim) = graph.claim(node);
    let mut out = String::new();
    let kind = match (map.is_conclusion(claim), claim.is_argument()) {
        (true, _) => "conclusion",
        (_, false) => claim.kind.as_str(),
        _ => "claim",
    };
    let _ = writeln!(
        out,
        "<p class=\"claim-text\"><span class=\"kind\">{kind}</span> {}{}</p>",
        esc(claim.text()),
        facts.badges(node, base)
    );
    if let Some(quote) = &claim.quote {
        let section = claim
            .section
            .as_ref()
            .map(|s| format!("<figcaption>section: {}</figcaption>", esc(&s.value)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<figure class=\"quote\"><blockquote>{}</blockquote>{section}</figure>",
            esc(&quote.value)
        );
    } else if let Some(section) = &claim.section {
        let _ = writeln!(
            out,
            "<p class=\"section\">section: {}</p>",
            esc(&section.value)
        );
    }
    if !claim.citations.is_empty() {
        out.push_str("<h3>Cites</h3>\n<ul class=\"citations\">\n");
        for citation in &claim.citations {
            let locator = citation
                .item
                .locator
                .as_ref()
                .map(|l| format!(", {} {}", esc(&l.label), esc(&l.value)))
                .unwrap_or_default();
            match graph.reference_index(citation.key()) {
                Some(r) => {
                    let reference = &facts.analysis.corpus().references[r];
                    let _ = writeln!(
                        out,
                        "<li><a href=\"{base}{}\">{}</a>{locator}: {}</li>",
                        work_page_url(&reference.id.value),
                        esc(&reference.author_date()),
                        entry_html(reference)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "<li class=\"missing\">@{}{locator}: not in the references</li>",
                        esc(citation.key())
                    );
                }
            }
        }
        out.push_str("</ul>\n");
    }
    let link = |other: Node, here_map: &ArgumentMap| {
        let (m, c) = graph.claim(other);
        let name = match m.name == here_map.name {
            true => c.id.value.clone(),
            false => format!("{}:{}", m.name, c.id.value),
        };
        format!(
            "<a href=\"{base}{}\" title=\"{}\">{}</a>",
            claim_page_url(&m.name, &c.id.value),
            esc(c.text()),
            esc(&name)
        )
    };
    let mut rows: Vec<(&str, Vec<String>)> = vec![
        ("Supports", Vec::new()),
        ("Attacks", Vec::new()),
        ("Supported by", Vec::new()),
        ("Attacked by", Vec::new()),
    ];
    for edge in graph.links_from(node) {
        if let Some(to) = edge.to {
            let row = match edge.relation() {
                Relation::Supports => 0,
                Relation::Attacks => 1,
            };
            rows[row].1.push(link(to, map));
        }
    }
    for edge in graph.links_to(node) {
        let row = match edge.relation() {
            Relation::Supports => 2,
            Relation::Attacks => 3,
        };
        rows[row].1.push(link(edge.from, map));
    }
    out.push_str("<dl class=\"links\">\n");
    for (what, links) in rows.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = writeln!(out, "<dt>{what}</dt><dd>{}</dd>", links.join(", "));
    }
    out.push_str("</dl>\n");
    let findings = &facts.findings[node as usize];
    if !findings.is_empty() {
        out.push_str("<h3>Findings of <code>argmap check</code></h3>\n<ul class=\"findings\">\n");
        for d in findings {
            let class = match d.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "<li class=\"{class}\"><code>{}</code> {}</li>",
                d.rule.name(),
                esc(&d.message)
            );
        }
        out.push_str("</ul>\n");
    }
    out
}

/// The passage of the paper around a claim's quote, marked exact or inexact.
fn quote_in_context(facts: &Facts, at: ClaimAt) -> String {
    let Some(found) = facts.analysis.quote_found(at) else {
        return "<p class=\"note\">The paper's text is not in <code>sources/</code>: the quote \
                is not checked.</p>\n"
            .to_owned();
    };
    let Some(paper) = facts.analysis.source(found.paper) else {
        return String::new();
    };
    let text = &paper.text;
    let (range, label, class) = match &found.verdict {
        Verdict::Exact { range } => (Some(range.clone()), "found verbatim", "exact"),
        Verdict::Inexact { range, .. } => (Some(range.clone()), "found, not verbatim", "inexact"),
        Verdict::Missing { nearest } => (
            nearest.clone(),
            "not in the paper; the nearest passage",
            "missing",
        ),
    };
    let Some(range) = range else {
        return format!(
            "<p class=\"quote-status missing\">The quote is not in {}.</p>\n",
            esc(&paper.path)
        );
    };
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(range.start.saturating_sub(300));
    let end = floor((range.end + 300).min(text.len()));
    let (line, _) = paper.line_column(range.start, crate::source::Encoding::Chars);
    format!(
        "<p class=\"quote-status {class}\">The quote, {label} in {} (line {}):</p>\n\
         <blockquote class=\"context\">…{}<mark class=\"{class}\">{}</mark>{}…</blockquote>\n",
        esc(&paper.path),
        line + 1,
        esc(&text[start..floor(range.start)]),
        esc(&text[floor(range.start)..floor(range.end)]),
        esc(&text[floor(range.end)..end]),
    )
}

/// An SVG from Graphviz, ready to sit inside a page: without the XML prolog.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// Builds the site of an analysis. `render` lays out a DOT diagram as SVG (the binary
/// runs Graphviz); it is called from several threads at once.
pub fn build(
    analysis: &Analysis,
    render: &(dyn Fn(&str) -> Result<String, String> + Sync),
) -> Result<Site, RenderError> {
    use rayon::prelude::*;
    let facts = Facts::new(analysis);
    let graph = facts.graph;
    let corpus = analysis.corpus();
    let options = Options {
        claim_links: ClaimLinks::MapPages,
        ..Options::default()
    };
    // Every diagram: each map whole, and each conclusion's argument alone.
    let mut jobs: Vec<(usize, Option<Node>)> = Vec::new();
    for (mi, map) in corpus.maps.iter().enumerate() {
        jobs.push((mi, None));
        for (ci, claim) in map.claims.iter().enumerate() {
            if map.is_conclusion(claim) {
                jobs.push((mi, Some(graph.node(mi, ci))));
            }
        }
    }
    let svgs: Vec<Result<String, RenderError>> = jobs
        .par_iter()
        .map(|&(mi, focus)| {
            let map = &corpus.maps[mi];
            let diagram = match focus {
                Some(node) => Diagram::focus(graph, node),
                None => Diagram::select(graph, &[map.name.as_str()]).expect("a map of the corpus"),
            };
            let what = match focus {
                Some(node) => format!("the argument for {}", claim_name(&graph, node)),
                None => format!("map {}", map.name),
            };
            render(&diagram.to_dot(&options)).map_err(|why| RenderError { what, why })
        })
        .collect();
    let mut svgs = svgs.into_iter();
    let mut site = Site::default();
    let mut maps_index = String::new();
    for (mi, map) in corpus.maps.iter().enumerate() {
        let whole = svgs.next().expect("one diagram per job")?;
        let conclusions: Vec<(usize, &Claim)> = map
            .claims
            .iter()
            .enumerate()
            .filter(|(_, c)| map.is_conclusion(c))
            .collect();
        let mut focus_svgs = Vec::new();
        for _ in &conclusions {
            focus_svgs.push(svgs.next().expect("one diagram per job")?);
        }
        let source = map.source.as_ref().and_then(|s| {
            let r = graph.reference_index(&s.value)?;
            Some(entry_html(&corpus.references[r]))
        });
        let mut body = String::new();
        let _ = writeln!(body, "<h1>{}</h1>", esc(map.title()));
        if let Some(source) = &source {
            let _ = writeln!(body, "<p class=\"source\">From {source}</p>");
        }
        // The conclusions, linked to their arguments on the map's page: from the page
        // itself (`page` empty) or from elsewhere, `base` leading to the site's root.
        let conclusion_list = |page: &str, base: &str| {
            let mut list = String::new();
            for (ci, claim) in &conclusions {
                let node = graph.node(mi, *ci);
                let _ = writeln!(
                    list,
                    "<li><a href=\"{page}#focus-{}\">{}</a>{}</li>",
                    site_url_part(&claim.id.value),
                    esc(claim.text()),
                    facts.badges(node, base)
                );
            }
            list
        };
        let list = conclusion_list("", "../");
        let _ = writeln!(
            body,
            "<h2>Conclusions</h2>\n<ol class=\"conclusions\">\n{list}</ol>\n\
             <p class=\"hint\">Choose a conclusion to see its argument alone; click a claim to \
             read it, its sources and what bears on it.</p>"
        );
        for ((_, claim), svg) in conclusions.iter().zip(&focus_svgs) {
            let _ = writeln!(
                body,
                "<section class=\"focus\" id=\"focus-{}\" aria-label=\"The argument for {}\">\n\
                 <h2>The argument for: {}</h2>\n<p><a href=\"#map\">Back to the whole map</a> · \
                 <a href=\"../{}\">the claim's page</a></p>\n<div class=\"diagram\">{}</div>\n</section>",
                esc(&claim.id.value),
                esc(&claim.id.value),
                esc(claim.text()),
                claim_page_url(&map.name, &claim.id.value),
                inline_svg(svg),
            );
        }
        let _ = writeln!(
            body,
            "<section class=\"whole\" id=\"map\">\n<h2>The whole map</h2>\n\
             <div class=\"diagram\">{}</div>\n</section>",
            inline_svg(&whole)
        );
        body.push_str("<section class=\"claims\">\n<h2>Claims</h2>\n");
        for (ci, claim) in map.claims.iter().enumerate() {
            let node = graph.node(mi, ci);
            let _ = writeln!(
                body,
                "<article class=\"panel\" id=\"claim-{}\" tabindex=\"-1\">\n<h3><a href=\"../{}\">{}</a></h3>\n{}</article>",
                esc(&claim.id.value),
                claim_page_url(&map.name, &claim.id.value),
                esc(&claim.id.value),
                claim_body(&facts, node, "../")
            );
        }
        body.push_str("</section>\n");
        site.files.insert(
            format!("maps/{}.html", site_file_name(&map.name)),
            page(map.title(), "../", &body),
        );
        // The claims' own pages.
        for (ci, claim) in map.claims.iter().enumerate() {
            let node = graph.node(mi, ci);
            let at = ClaimAt {
                map: mi as u32,
                claim: ci as u32,
            };
            let mut body = String::new();
            let _ = writeln!(
                body,
                "<p class=\"crumbs\"><a href=\"../../{}\">{}</a> › {}</p>\n<h1>{}</h1>",
                map_page_url(&map.name),
                esc(map.title()),
                esc(&claim.id.value),
                esc(&format!("{}:{}", map.name, claim.id.value))
            );
            body.push_str(&claim_body(&facts, node, "../../"));
            if claim.quote.is_some() {
                body.push_str("<h2>The quote in context</h2>\n");
                body.push_str(&quote_in_context(&facts, at));
            }
            let _ = writeln!(
                body,
                "<p><a href=\"../../{}#claim-{}\">See it on the map</a></p>",
                map_page_url(&map.name),
                site_url_part(&claim.id.value)
            );
            site.files.insert(
                format!(
                    "claims/{}/{}.html",
                    site_file_name(&map.name),
                    site_file_name(&claim.id.value)
                ),
                page(&format!("{}:{}", map.name, claim.id.value), "../../", &body),
            );
        }
        let _ = writeln!(
            maps_index,
            "<li><h2><a href=\"{}\">{}</a></h2>{}\n<ol class=\"conclusions\">\n{}</ol></li>",
            map_page_url(&map.name),
            esc(map.title()),
            source
                .map(|s| format!("<p class=\"source\">From {s}</p>"))
                .unwrap_or_default(),
            conclusion_list(&map_page_url(&map.name), "")
        );
    }
    site.files.insert(
        "index.html".into(),
        page(
            "Argument maps",
            "",
            &format!(
                "<h1>Argument maps</h1>\n<p>Each map is a paper's argument: its claims, what \
                 supports and attacks them, and the sources behind each.</p>\n\
                 <ul class=\"maps\">\n{maps_index}</ul>\n"
            ),
        ),
    );
    works(&facts, &mut site);
    site.files
        .insert("style.css".into(), assets::STYLE.to_owned());
    site.files.insert("app.js".into(), assets::APP.to_owned());
    site.files
        .insert("search-index.js".into(), search_index(&facts));
    Ok(site)
}

/// The references page and a page per cited work.
fn works(facts: &Facts, site: &mut Site) {
    let analysis = facts.analysis;
    let graph = facts.graph;
    let corpus = analysis.corpus();
    let mut rows = String::new();
    for (ri, r) in corpus.references.iter().enumerate() {
        // A duplicated id is cited as its first entry: the others have no page.
        if graph.reference_index(&r.id.value) != Some(ri) {
            continue;
        }
        let citing: Vec<_> = graph.citations_of(ri).collect();
        let mut claims: Vec<Node> = citing.iter().map(|(at, _)| at.node).collect();
        claims.dedup();
        let (class, status) = status_html(analysis, ri);
        let _ = writeln!(
            rows,
            "<tr class=\"{class}\"><td><a href=\"{}\">{}</a></td><td>{}</td>\
             <td data-sort=\"{}\">{}</td><td class=\"status\">{status}</td></tr>",
            work_page_url(&r.id.value),
            esc(&r.id.value),
            entry_html(r),
            claims.len(),
            claims.len()
        );
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<h1>{}</h1>\n<p class=\"entry\">{}</p>\n<p class=\"status {class}\">DOI: {status}</p>",
            esc(&r.id.value),
            entry_html(r)
        );
        if let Some(note) = &r.note {
            let _ = writeln!(body, "<p class=\"note\">Note: {}</p>", esc(&note.value));
        }
        body.push_str("<h2>Cited by</h2>\n<ul class=\"cited-by\">\n");
        for (at, citation) in &citing {
            let (map, claim) = graph.claim(at.node);
            let locator = citation
                .item
                .locator
                .as_ref()
                .map(|l| format!(" ({} {})", esc(&l.label), esc(&l.value)))
                .unwrap_or_default();
            let _ = writeln!(
                body,
                "<li><a href=\"../{}\">{}:{}</a>{locator}: {}</li>",
                claim_page_url(&map.name, &claim.id.value),
                esc(&map.name),
                esc(&claim.id.value),
                esc(claim.text())
            );
        }
        if citing.is_empty() {
            body.push_str("<li>No claim cites it.</li>\n");
        }
        body.push_str("</ul>\n");
        site.files.insert(
            format!("works/{}.html", site_file_name(&r.id.value)),
            page(&r.id.value, "../", &body),
        );
    }
    site.files.insert(
        "references.html".into(),
        page(
            "References",
            "",
            &format!(
                "<h1>References</h1>\n<table class=\"sortable\">\n<thead><tr><th scope=\"col\">Id</th>\
                 <th scope=\"col\">Work</th><th scope=\"col\">Citing claims</th>\
                 <th scope=\"col\">DOI</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
            ),
        ),
    );
}

/// The search index, as a script (a page opened from `file://` cannot fetch a file).
fn search_index(facts: &Facts) -> String {
    let graph = facts.graph;
    let corpus = facts.analysis.corpus();
    let mut items = Vec::new();
    for node in 0..graph.len() as Node {
        let (map, claim) = graph.claim(node);
        let quote = claim.quote.as_ref().map_or("", |q| q.value.as_str());
        items.push(serde_json::json!([
            format!("{}:{}", map.name, claim.id.value),
            claim.text(),
            quote,
            claim_page_url(&map.name, &claim.id.value),
        ]));
    }
    for (ri, r) in corpus.references.iter().enumerate() {
        if graph.reference_index(&r.id.value) != Some(ri) {
            continue;
        }
        items.push(serde_json::json!([
            r.id.value,
            format!("{}: {}", r.author_date(), r.title.value),
            "",
            work_page_url(&r.id.value),
        ]));
    }
    let json = serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
    // Inside a script, `</` would end it, and the two line separators end a JS string.
    let json = json
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.ARGMAP_INDEX = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalysisHost;

    #[test]
    fn pages_escape_what_files_say_and_link_only_the_web() {
        let mut host = AnalysisHost::new();
        host.set_text(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: \"<script>alert(1)</script>\", URL: \"javascript:alert(1)\"}\n",
        );
        host.set_text(
            "arguments/m.yaml",
            "title: \"M <b>\"\nsource: src\nclaims:\n  - id: a\n    text: \"Hi <img src=x onerror=alert(1)> [@src]\"\n  - id: b\n    text: B [@src]\n    supports: [a]\n",
        );
        let analysis = host.analysis();
        let site = build(&analysis, &|dot| Ok(format!("<svg>{}</svg>", esc(dot)))).unwrap();
        for (path, text) in &site.files {
            if path.ends_with(".html") {
                assert!(!text.contains("<script>alert"), "{path}");
                assert!(!text.contains("<img src=x"), "{path}");
                assert!(!text.contains("href=\"javascript:"), "{path}");
            }
        }
        let map = &site.files["maps/m.html"];
        assert!(map.contains("id=\"claim-a\""), "{map}");
        assert!(map.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(site.files.contains_key("claims/m/a.html"));
        assert!(site.files.contains_key("works/src.html"));
        assert!(site.files["search-index.js"].starts_with("window.ARGMAP_INDEX = [["));
        assert!(!site.files["search-index.js"].contains("</script"));
        // The same analysis, the same bytes.
        let again = build(&analysis, &|dot| Ok(format!("<svg>{}</svg>", esc(dot)))).unwrap();
        assert_eq!(site.files, again.files);
    }
}
