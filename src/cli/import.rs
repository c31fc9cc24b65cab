//! `argmap import FILE`: a BibTeX, BibLaTeX or CSL-JSON file's entries, as CSL-YAML
//! appended to a references file.

use std::path::PathBuf;

use clap::Args;

use super::{Outcome, fail, warn_line};
use argmap::bib::{self, Ids, bibtex, csl_json};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file to import: BibTeX or BibLaTeX (`.bib`), or CSL-JSON (`.json`: a list of
    /// items, or one).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Folder holding `arguments/` and `references/`.
    #[arg(long, default_value = ".", value_name = "ROOT")]
    pub root: PathBuf,
    /// The references file to add to [default: the only file of ROOT/references/, else
    /// ROOT/references/references.yaml]. Its text is kept as it is.
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
    /// Print the change as a diff instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Largest file imported: a bibliography of tens of thousands of entries is smaller.
const MAX_BYTES: u64 = 32 << 20;

pub fn run(args: ImportArgs) -> Outcome {
    let name = args.file.display().to_string();
    let text = match std::fs::metadata(&args.file) {
        Ok(m) if !m.is_file() => {
            return fail(format!("cannot read {name}: it is not a regular file"));
        }
        Ok(m) if m.len() > MAX_BYTES => {
            return fail(format!(
                "cannot read {name}: it is over {} MiB",
                MAX_BYTES >> 20
            ));
        }
        Ok(_) => match std::fs::read(&args.file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => return fail(format!("cannot read {name}: it is not UTF-8")),
            Err(e) => return fail(format!("cannot read {name}: {e}")),
        },
        Err(e) => return fail(format!("cannot read {name}: {e}")),
    };
    let json = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let read: Vec<(bib::Entry, Vec<String>)> = if json {
        let value: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => return fail(format!("{name} is not JSON: {e}")),
        };
        let items = match value {
            serde_json::Value::Array(items) => items,
            one @ serde_json::Value::Object(_) => vec![one],
            _ => return fail(format!("{name} holds no CSL-JSON items")),
        };
        let mut read = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let serde_json::Value::Object(item) = item else {
                return fail(format!("{name}: item {} is not a CSL-JSON object", i + 1));
            };
            read.push(csl_json::entry(item, None));
        }
        read
    } else {
        match bibtex::read(&text) {
            Ok(entries) => entries.into_iter().map(|i| (i.entry, i.lost)).collect(),
            Err(e) => return fail(format!("{name} is not BibTeX argmap can read: {e}")),
        }
    };
    let (corpus, target) = match super::add::open_target(&args.root, args.to.as_deref()) {
        Ok(opened) => opened,
        Err(stop) => return stop,
    };
    let mut ids = Ids::new(corpus.references.iter().map(|r| r.id.value.as_str()));
    let mut entries = Vec::new();
    for (mut entry, lost) in read {
        let doi_key = entry
            .text("DOI")
            .and_then(|d| argmap::doi::parse(d).ok())
            .map(|p| p.doi.key());
        let known = corpus.references.iter().find(|r| {
            r.id.value == entry.id
                || (doi_key.is_some() && r.valid_doi().map(|p| p.doi.key()) == doi_key)
        });
        if let Some(r) = known {
            warn_line(
                "",
                &format!(
                    "`{}` is already in {} (as `{}`): not imported",
                    entry.id,
                    corpus.sources.get(r.span.file).path,
                    r.id.value
                ),
            );
            continue;
        }
        if entry.text("title").is_none() {
            warn_line(
                "warning: ",
                &format!("`{}` has no title: not imported", entry.id),
            );
            continue;
        }
        if entry.id.trim().is_empty() {
            entry.id = ids.make(&entry);
        } else if !ids.take(&entry.id) {
            warn_line(
                "warning: ",
                &format!("`{}` is in {name} twice: imported once", entry.id),
            );
            continue;
        }
        for line in lost {
            warn_line("", &format!("`{}`: {line}", entry.id));
        }
        entries.push(entry);
    }
    if entries.is_empty() {
        warn_line("", "nothing to import");
        return Outcome::Clean;
    }
    let to_given = args.to.is_some();
    if let Err(stop) =
        super::add::write_entries(&args.root, to_given, args.dry_run, &target, &entries)
    {
        return stop;
    }
    warn_line(
        "",
        &format!(
            "imported {} {} into {}",
            entries.len(),
            if entries.len() == 1 {
                "reference"
            } else {
                "references"
            },
            target.name
        ),
    );
    Outcome::Clean
}
