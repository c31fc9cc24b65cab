//! `argmap check`: load, run every rule (and resolve DOIs with `--online`), report.

use std::path::PathBuf;

use clap::Args;

use super::online::{self, OnlineArgs, Phases};
use super::{Format, Outcome, fail, print, render};
use argmap::Analysis;
use argmap::report::Report;
use argmap::workspace::Workspace;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub online: OnlineArgs,
}

pub fn run(args: CheckArgs) -> Outcome {
    let workspace = match Workspace::open(&args.root) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let analysis = if args.online.online {
        match online::analyze(
            &args.online.network,
            &args.root,
            &workspace,
            Phases::CheckAndResolve,
        ) {
            Ok(a) => a,
            Err(e) => return fail(e),
        }
    } else {
        Analysis::offline(&workspace)
    };
    let outcome = print(
        &render(args.format, &Report::of(&analysis)),
        Outcome::of(&analysis.summary, args.deny_warnings),
    );
    // The process ends here: the OS reclaims the model faster than freeing it piece by piece.
    std::mem::forget(analysis);
    std::mem::forget(workspace);
    outcome
}
