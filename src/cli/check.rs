//! `argmap check`: load, run every rule (and resolve DOIs with `--online`), report.

use std::path::PathBuf;

use clap::Args;

use super::online::{self, OnlineArgs, Phases};
use super::{Format, Outcome, emit, fail, print, warn_line};
use argmap::Analysis;
use argmap::fix::{self, FileFix};
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
    /// Apply the safe fixes the findings carry (a misspelt field, a DOI in pasted form),
    /// round after round until none is left, then report what remains. Files are replaced
    /// atomically; nothing else changes.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: also apply unsafe fixes (the clearly closest id for an unknown key or a
    /// dangling link), which guess what was meant.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// With --fix: print the changes as a diff instead of writing them (exit 1 when there
    /// are any; not with --format or --online).
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    #[command(flatten)]
    pub online: OnlineArgs,
    #[command(flatten)]
    pub levels: super::LevelArgs,
}

pub fn run(args: CheckArgs) -> Outcome {
    let overrides = match args.levels.levels() {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    // The files as they are on disk, under the levels in effect.
    let open = || {
        Workspace::open(&args.root).map(|mut w| {
            w.set_overrides(overrides.clone());
            w
        })
    };
    let mut workspace = match open() {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    if args.fix {
        if args.dry_run && (args.online.online || args.format != Format::Human) {
            return fail("--fix --dry-run prints a diff: it takes neither --online nor --format");
        }
        let fixes = fix_to_a_fixed_point(&mut workspace, args.unsafe_fixes);
        if args.dry_run {
            if fixes.is_empty() {
                warn_line("", "nothing to fix");
            }
            let diff: String = fixes.iter().map(fix::diff).collect();
            let outcome = if fixes.is_empty() {
                Outcome::of(&Analysis::offline(&workspace).summary, args.deny_warnings)
            } else {
                Outcome::Findings
            };
            return print(&diff, outcome);
        }
        match write_fixes(&args.root, &fixes) {
            Ok(fixed) if fixed > 0 => {
                let files = fixes.len();
                warn_line(
                    "",
                    &format!(
                        "fixed {fixed} finding{} in {files} file{}",
                        if fixed == 1 { "" } else { "s" },
                        if files == 1 { "" } else { "s" }
                    ),
                );
            }
            Ok(_) => {}
            Err(e) => return fail(e),
        }
        // What remains is reported as a check would (from the files as they are now).
        workspace = match open() {
            Ok(w) => w,
            Err(e) => return fail(e),
        };
    }
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
    let outcome = emit(
        args.format,
        &Report::of(&analysis),
        Outcome::of(&analysis.summary, args.deny_warnings),
    );
    // The process ends here: the OS reclaims the model faster than freeing it piece by piece.
    std::mem::forget(analysis);
    std::mem::forget(workspace);
    outcome
}

/// How many times fixes are applied to what the last fixes made: one fix may uncover
/// another (`doi:` renamed `DOI:` shows the DOI is in pasted form), as in `ruff --fix`.
const MAX_FIX_ROUNDS: usize = 10;

/// Applies the fixes in memory, again and again until none is left (or
/// [`MAX_FIX_ROUNDS`]): each file from its text on disk to its text after every round.
fn fix_to_a_fixed_point(workspace: &mut Workspace, unsafe_fixes: bool) -> Vec<FileFix> {
    let mut fixed: std::collections::BTreeMap<String, FileFix> = Default::default();
    for _ in 0..MAX_FIX_ROUNDS {
        let analysis = Analysis::offline(workspace);
        let round = fix::apply(
            &analysis.corpus().sources,
            &analysis.diagnostics,
            unsafe_fixes,
        );
        if round.is_empty() {
            break;
        }
        for f in round {
            workspace.set_text(&f.path, f.after.clone());
            // From the text on disk (the first round's `before`) to the last round's `after`.
            let total = fixed.entry(f.path.clone()).or_insert_with(|| FileFix {
                file: f.file,
                path: f.path.clone(),
                before: f.before.clone(),
                after: String::new(),
                fixed: 0,
            });
            total.after = f.after;
            total.fixed += f.fixed;
        }
    }
    fixed
        .into_values()
        .filter(|f| f.after != f.before)
        .collect()
}

/// Writes the fixed files; returns how many findings they fix. A file that changed on disk
/// since it was read is left alone (its fixes would be made to text that is not there).
fn write_fixes(root: &std::path::Path, fixes: &[FileFix]) -> Result<usize, String> {
    let mut fixed = 0;
    for f in fixes {
        let path = root.join(&f.path);
        let now =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // argmap reads a file without its byte-order mark; it is written back with it.
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let bom = if now.starts_with(BOM) { BOM } else { b"" };
        if &now[bom.len()..] != f.before.as_bytes() {
            warn_line(
                "warning: ",
                &format!("{} changed while it was checked; not fixed", f.path),
            );
            continue;
        }
        argmap::output::write(&path, &[bom, f.after.as_bytes()].concat())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        fixed += f.fixed;
    }
    Ok(fixed)
}
