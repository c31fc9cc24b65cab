//! `argmap add DOI...`: each DOI's registered metadata, as CSL-YAML entries appended to a
//! references file.

use std::path::PathBuf;

use clap::Args;

use super::online::NetworkArgs;
use super::{Outcome, fail, print, warn_line};
use argmap::bib::{self, Field, Ids, csl_json};
use argmap::doi::Doi;
use argmap::workspace::Workspace;

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The DOIs (bare, `doi:...` or `https://doi.org/...`).
    #[arg(value_name = "DOI", required = true)]
    pub dois: Vec<String>,
    /// Folder holding `arguments/` and `references/`.
    #[arg(long, default_value = ".", value_name = "ROOT")]
    pub root: PathBuf,
    /// The references file to add to [default: the only file of ROOT/references/, else
    /// ROOT/references/references.yaml]. Its text is kept as it is: the entries are added
    /// after its last one.
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
    /// Print the change as a diff instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

pub fn run(args: AddArgs) -> Outcome {
    let mut dois: Vec<Doi> = Vec::new();
    for raw in &args.dois {
        match argmap::doi::parse(raw) {
            Ok(parsed) if !dois.iter().any(|d| d.key() == parsed.doi.key()) => {
                dois.push(parsed.doi)
            }
            Ok(_) => {}
            Err(e) => return fail(format!("`{raw}` is not a DOI: {e}")),
        }
    }
    let (corpus, target) = match open_target(&args.root, args.to.as_deref()) {
        Ok(opened) => opened,
        Err(stop) => return stop,
    };
    // A DOI some reference has already is reported, not added again.
    let mut wanted = Vec::new();
    for doi in dois {
        let known = corpus
            .references
            .iter()
            .find(|r| r.valid_doi().is_some_and(|p| p.doi.key() == doi.key()));
        match known {
            Some(r) => warn_line(
                "",
                &format!(
                    "{doi} is already in {} as `{}`: not added",
                    corpus.sources.get(r.span.file).path,
                    r.id.value
                ),
            ),
            None => wanted.push(doi),
        }
    }
    if wanted.is_empty() {
        return Outcome::Clean;
    }
    let options = match args.network.options(&args.root) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the async runtime: {e}")),
    };
    let (items, notes) = match runtime.block_on(argmap::resolve::csl_items(&wanted, &options)) {
        Ok(found) => found,
        Err(e) => return fail(e),
    };
    for note in notes {
        warn_line("warning: ", &note);
    }
    let mut ids = Ids::new(corpus.references.iter().map(|r| r.id.value.as_str()));
    let mut entries = Vec::new();
    let mut failed = false;
    for (doi, item) in wanted.iter().zip(items) {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                failed = true;
                let why = match &e {
                    argmap::resolve::ItemError::Failed(reason) => format!(
                        "{reason} (argmap add asks {} over the network)",
                        options.resolver
                    ),
                    other => other.to_string(),
                };
                warn_line("error: ", &format!("cannot add {doi}: {why}"));
                continue;
            }
        };
        let (mut entry, lost) = csl_json::entry(&item, Some(csl_json::ADDED));
        if entry.text("title").is_none() {
            failed = true;
            warn_line(
                "error: ",
                &format!("cannot add {doi}: its registered metadata has no title"),
            );
            continue;
        }
        // The DOI as asked, in canonical form.
        entry.fields.retain(|(name, _)| name != "DOI");
        let at = entry
            .fields
            .iter()
            .position(|(n, _)| n == "URL")
            .unwrap_or(entry.fields.len());
        entry
            .fields
            .insert(at, ("DOI".into(), Field::Text(doi.as_str().to_owned())));
        entry.id = ids.make(&entry);
        for line in lost {
            warn_line("", &format!("`{}` ({doi}): {line}", entry.id));
        }
        entries.push((doi.clone(), entry));
    }
    if failed {
        return fail("nothing was written");
    }
    let new: Vec<bib::Entry> = entries.iter().map(|(_, e)| e.clone()).collect();
    let to_given = args.to.is_some();
    if let Err(stop) = write_entries(&args.root, to_given, args.dry_run, &target, &new) {
        return stop;
    }
    for (doi, entry) in &entries {
        warn_line(
            "",
            &format!("added `{}` ({doi}) to {}", entry.id, target.name),
        );
    }
    Outcome::Clean
}

/// Appends `entries` to the references file `target` as text (the file's own text kept as
/// it is; a new file gets the schema's modeline where ROOT has the schema and no `--to`
/// chose it), or with `dry_run` prints the diff instead. `Err` is the outcome to end with:
/// the diff printed, or why nothing was written. Shared by `add` and `import`.
pub(super) fn write_entries(
    root: &std::path::Path,
    to_given: bool,
    dry_run: bool,
    target: &bib::Target,
    entries: &[bib::Entry],
) -> Result<(), Outcome> {
    let modeline = root.join("schemas/references.schema.json").is_file() && !to_given;
    let after = bib::added(target, entries, modeline).map_err(fail)?;
    if dry_run {
        return Err(print(
            &bib::diff(&target.name, &target.text, &after),
            Outcome::Clean,
        ));
    }
    if let Some(parent) = target.path.parent()
        && !parent.as_os_str().is_empty()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return Err(fail(format!("cannot make {}: {e}", parent.display())));
    }
    argmap::output::write(&target.path, after.as_bytes())
        .map_err(|e| fail(format!("cannot write {}: {e}", target.name)))
}

/// The workspace's model and the references file new entries go to (`--to`, or the
/// default `bib::target` chooses); `Err` is the outcome to end with. Shared by `add` and
/// `import`.
pub(super) fn open_target(
    root: &std::path::Path,
    to: Option<&std::path::Path>,
) -> Result<(argmap::Corpus, bib::Target), Outcome> {
    let workspace = Workspace::open(root).map_err(fail)?;
    let (corpus, _) = workspace.assemble();
    let target = bib::target(root, to, &corpus).map_err(fail)?;
    Ok((corpus, target))
}
