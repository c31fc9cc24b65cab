//! `argmap dot`: check, then draw the maps as a Graphviz DOT digraph.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, fail, print, warn_line};
use argmap::dot::{self, CitationStyle, Options, Plan, RankDir};
use argmap::report::{Summary, human};
use argmap::workspace::Workspace;
use argmap::{Analysis, Diagnostic};

#[derive(Args, Debug)]
pub struct DotArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Draw this map (its file name without `.yaml`); repeat for several. Without it, all
    /// maps are drawn in one graph, a cluster each.
    #[arg(long = "map", value_name = "NAME")]
    pub maps: Vec<String>,
    /// Write the DOT to FILE instead of standard output (`-`). A file is replaced
    /// atomically; a symbolic link keeps pointing at it; a device or FIFO is written to.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Characters per line of claim text.
    #[arg(long, value_name = "N", default_value_t = 40,
          value_parser = clap::value_parser!(u16).range(10..=400))]
    pub wrap: u16,
    /// Direction of the arrows, from premises to conclusions: RL puts the conclusions in
    /// the first column and their reasons down the page to the right; BT puts them on top.
    #[arg(long, value_enum, ignore_case = true, default_value_t = RankDirArg::Rl)]
    pub rankdir: RankDirArg,
    /// How citations are drawn: a line under the claim text, one node per cited
    /// reference, or not at all.
    #[arg(long, value_enum, default_value_t = CitationsArg::Inline)]
    pub citations: CitationsArg,
    /// Draw only the claims at most N links below a conclusion: an overview of the
    /// argument, without aims and framing. Claims whose reasons are left out say how many.
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Group each map's claims into a labelled cluster per `section`. Off by default: in
    /// maps whose links cross sections, as papers' do, the clusters tangle the drawing.
    #[arg(long, overrides_with = "no_sections")]
    pub sections: bool,
    /// No section clusters (the default; overrides an earlier `--sections`).
    #[arg(long, overrides_with = "sections")]
    pub no_sections: bool,
    /// Print the conclusions of the maps (`--map`, else all) as `map:id`, one a line, in
    /// file order, instead of drawing: each a CLAIM for `--focus`. A claim id is letters,
    /// digits, `-` and `_`, so it makes a safe file name. Maps that could not be drawn
    /// stop it, as they stop a drawing.
    #[arg(long, conflicts_with_all = ["focus", "output", "depth"])]
    pub list_conclusions: bool,
    /// Draw one argument: the claim CLAIM (`map:id`, or `id` with one `--map`) and every
    /// claim that bears on it, transitively (its reasons, their reasons, and the attacks on
    /// each), and nothing else. Claims linked to ones outside it say how many.
    #[arg(long, value_name = "CLAIM", conflicts_with = "depth")]
    pub focus: Option<String>,
    /// Shade each claim by its grounded label (in, out, undecided; see `argmap eval`),
    /// with the supports read as READING (`none`, `supported` or `deductive`), and name
    /// the label in its box and in the legend.
    #[arg(long, value_name = "READING", value_enum, num_args = 0..=1,
          default_missing_value = "supported")]
    pub labels: Option<super::eval::SupportArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RankDirArg {
    /// Bottom to top: conclusions on top.
    #[value(name = "BT")]
    Bt,
    /// Top to bottom: conclusions at the bottom.
    #[value(name = "TB")]
    Tb,
    /// Left to right: conclusions on the right.
    #[value(name = "LR")]
    Lr,
    /// Right to left: conclusions on the left.
    #[value(name = "RL")]
    Rl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CitationsArg {
    /// "Song 2014, p. 87" in smaller type under the claim.
    Inline,
    /// One node per cited reference, linked to the claims citing it.
    Nodes,
    /// No citations.
    None,
}

pub fn run(args: DotArgs) -> Outcome {
    let workspace = match Workspace::open(&args.root) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    let analysis = Analysis::offline(&workspace);
    let planned = match &args.focus {
        Some(claim) => dot::plan_focus(&analysis, &args.maps, claim),
        None => dot::plan(&analysis, &args.maps),
    };
    let diagram = match planned {
        Plan::Draw(diagram) if args.list_conclusions => return list_conclusions(&diagram),
        Plan::Draw(diagram) => diagram,
        Plan::Blocked(findings) => {
            let findings: Vec<Diagnostic> = findings.into_iter().cloned().collect();
            report(&analysis, &findings, &findings);
            return Outcome::Findings;
        }
        Plan::UnknownMap(unknown) => return fail(unknown),
        Plan::UnknownClaim(unknown) => return fail(unknown),
    };
    // The drawing does not hide the other findings, but it does not fail on them either:
    // gating is `argmap check`'s job. The first few are shown, and how many there are:
    // thousands of warnings rendered would take longer than the drawing.
    if !analysis.diagnostics.is_empty() {
        let shown = analysis.diagnostics.len().min(MAX_FINDINGS_SHOWN);
        report(
            &analysis,
            &analysis.diagnostics[..shown],
            &analysis.diagnostics,
        );
        let more = analysis.diagnostics.len() - shown;
        if more > 0 {
            warn_line(
                "",
                &format!("{more} more findings not shown; `argmap check` lists them all"),
            );
        }
    }
    let options = Options {
        wrap: usize::from(args.wrap),
        rank_dir: match args.rankdir {
            RankDirArg::Bt => RankDir::BottomTop,
            RankDirArg::Tb => RankDir::TopBottom,
            RankDirArg::Lr => RankDir::LeftRight,
            RankDirArg::Rl => RankDir::RightLeft,
        },
        citations: match args.citations {
            CitationsArg::Inline => CitationStyle::Inline,
            CitationsArg::Nodes => CitationStyle::Nodes,
            CitationsArg::None => CitationStyle::None,
        },
        depth: args.depth,
        sections: args.sections,
        labels: args.labels.map(|reading| {
            let options = argmap::eval::Options {
                support: reading.into(),
                ..argmap::eval::Options::default()
            };
            dot::Labels::of_evaluation(&argmap::eval::Evaluation::new(&analysis, &options))
        }),
        ..Options::default()
    };
    let text = diagram.to_dot(&options);
    let outcome = match &args.output {
        Some(path) if argmap::load::is_input_file(&args.root, path) => fail(format!(
            "refusing to write the diagram over {}, one of the files it is drawn from",
            path.display()
        )),
        Some(path) if path.as_os_str() != "-" => match argmap::output::write(path, text.as_bytes())
        {
            Ok(()) => Outcome::Clean,
            Err(e) => fail(format!("cannot write {}: {e}", path.display())),
        },
        _ => print(&text, Outcome::Clean),
    };
    // The process ends here: the OS reclaims the model and the text faster than freeing
    // them piece by piece.
    drop(diagram);
    std::mem::forget(text);
    std::mem::forget(analysis);
    std::mem::forget(workspace);
    outcome
}

/// `--list-conclusions`: `map:id` a line. The names are printed as they are, for scripts,
/// and made safe when standard output is a terminal (a map's name is its file's).
fn list_conclusions(diagram: &dot::Diagram) -> Outcome {
    let terminal = std::io::stdout().is_terminal();
    let mut text = String::new();
    for (map, claim) in diagram.conclusions() {
        let line = format!("{}:{}", map.name, claim.id.value);
        match terminal {
            true => text.push_str(&argmap::sanitize::for_terminal(&line)),
            false => text.push_str(&line),
        }
        text.push('\n');
    }
    print(&text, Outcome::Clean)
}

/// How many of the findings that do not stop a drawing `dot` shows.
const MAX_FINDINGS_SHOWN: usize = 20;

/// Diagnostics on stderr, in the human format (stdout may be the DOT): `shown`, then the
/// counts of `all`.
pub(super) fn report(analysis: &Analysis, shown: &[Diagnostic], all: &[Diagnostic]) {
    let style = human::Style {
        color: stderr_color(),
        width: super::terminal_width(),
    };
    let summary = Summary::new(analysis.corpus(), all);
    let text = human::findings(&analysis.corpus().sources, shown, &summary, style);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn stderr_color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}
