//! `argmap resolve`: resolve every DOI, refresh the cache, and show each DOI's status.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::online::{self, NetworkArgs};
use super::{Format, Outcome, fail, print, render};
use argmap::report::Summary;
use argmap::resolve::Resolution;
use argmap::sanitize::for_terminal;

#[derive(Args, Debug)]
pub struct ResolveArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Output format: `human` is a table of every DOI and its status, then the findings;
    /// `json` adds the table (`dois`) to the usual document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when there are warnings (a mismatch, an unverified DOI).
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

pub fn run(args: ResolveArgs) -> Outcome {
    let (corpus, load_diagnostics) = match argmap::load::load(&args.root) {
        Ok(loaded) => loaded,
        Err(e) => return fail(e),
    };
    if !load_diagnostics.is_empty() {
        super::warn_line(
            "warning: ",
            "the files have problems (`argmap check` shows them); \
             DOIs of unreadable references are not resolved",
        );
    }
    let mut resolution = match online::run(&args.network, &args.root, &corpus) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    argmap::sort_diagnostics(&corpus, &mut resolution.diagnostics);
    let mut summary = Summary::new(&corpus, &resolution.diagnostics);
    summary.dois = Some(resolution.counts);
    let diagnostics = &resolution.diagnostics;
    let out = match args.format {
        Format::Human => {
            let findings = render(Format::Human, &corpus.sources, diagnostics, &summary);
            format!("{}\n{findings}", table(&resolution))
        }
        Format::Json => {
            let doc = render(Format::Json, &corpus.sources, diagnostics, &summary);
            let mut doc: serde_json::Value =
                serde_json::from_str(&doc).expect("the JSON renderer writes JSON");
            doc["dois"] = rows(&resolution);
            doc["requests"] = json!(resolution.requests);
            format!("{doc:#}\n")
        }
        format => render(format, &corpus.sources, diagnostics, &summary),
    };
    print(&out, Outcome::of(&summary, args.deny_warnings))
}

/// One line per reference with a DOI: reference, DOI, status, what it rests on.
fn table(r: &Resolution) -> String {
    let header = ["REFERENCE", "DOI", "STATUS", "DETAIL"];
    let lines: Vec<[String; 4]> = r
        .checked
        .iter()
        .map(|c| {
            let cached = if c.cached { " (cached)" } else { "" };
            // Ids, DOIs and details come from files and servers: safe for a terminal.
            [
                for_terminal(&c.reference).into_owned(),
                for_terminal(c.doi.as_str()).into_owned(),
                c.status.name().to_owned(),
                format!("{}{cached}", for_terminal(&c.detail)),
            ]
        })
        .collect();
    let width = |col: usize| {
        lines
            .iter()
            .map(|l| l[col].chars().count())
            .chain([header[col].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 4]| {
        for (cell, w) in cells.iter().zip(widths) {
            out.push_str(&format!("{cell:w$}  "));
        }
        out.push_str(cells[3]);
        out.push('\n');
    };
    row(&mut out, header);
    for l in &lines {
        row(&mut out, [&l[0], &l[1], &l[2], &l[3]]);
    }
    out.push_str(&format!(
        "distinct DOIs: {}, answered from the cache: {}, HTTP requests: {}\n",
        r.dois, r.from_cache, r.requests,
    ));
    out
}

fn rows(r: &Resolution) -> serde_json::Value {
    r.checked
        .iter()
        .map(|c| {
            json!({
                "reference": c.reference,
                "doi": c.doi.as_str(),
                "status": c.status.name(),
                "detail": c.detail,
                "cached": c.cached,
            })
        })
        .collect()
}
