//! `argmap resolve`: resolve every DOI, refresh the cache, and show each DOI's status.

use std::path::PathBuf;

use clap::Args;

use super::online::{self, NetworkArgs, Phases};
use super::{Format, Outcome, emit, fail, warn_line};
use argmap::report::Report;
use argmap::workspace::Workspace;

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
    #[command(flatten)]
    pub levels: super::LevelArgs,
}

pub fn run(args: ResolveArgs) -> Outcome {
    let overrides = match args.levels.levels() {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let mut workspace = match Workspace::open(&args.root) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    workspace.set_overrides(overrides);
    if !workspace.assemble().1.is_empty() {
        warn_line(
            "warning: ",
            "the files have problems (`argmap check` shows them); \
             DOIs of unreadable references are not resolved",
        );
    }
    let analysis = match online::analyze(&args.network, &args.root, &workspace, Phases::Resolve) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let report = Report::of(&analysis).with_table(&analysis);
    emit(
        args.format,
        &report,
        Outcome::of(&analysis.summary, args.deny_warnings),
    )
}
