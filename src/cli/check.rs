//! `argmap check`: load, run every rule, report.

use std::path::PathBuf;

use clap::Args;

use super::online::{self, OnlineArgs};
use super::{Format, Outcome, fail, print, render};
use argmap::report::Summary;

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
    let mut checked = match argmap::check(&args.root) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let dois = match online::check(&args.online, &args.root, &mut checked) {
        Ok(dois) => dois,
        Err(e) => return fail(e),
    };
    let mut summary = Summary::new(&checked.corpus, &checked.diagnostics);
    summary.dois = dois;
    let outcome = print(
        &render(
            args.format,
            &checked.corpus.sources,
            &checked.diagnostics,
            &summary,
        ),
        Outcome::of(&summary, args.deny_warnings),
    );
    // The process ends here: the OS reclaims the model faster than freeing it piece by piece.
    std::mem::forget(checked);
    outcome
}
