//! `argmap eval`: the grounded label of every claim, and what decides each conclusion.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, fail, print, warn_line};
use argmap::AnalysisHost;
use argmap::eval::{self, Defect, Evaluation, Support};

#[derive(Args, Debug)]
#[command(after_long_help = AFTER_HELP)]
pub struct EvalArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// How supports imply attacks (see below).
    #[arg(long, value_enum, default_value_t = SupportArg::Supported)]
    pub support: SupportArg,
    /// Count failing evidence against a claim whose only support it is: a comma-separated
    /// list of `retracted`, `not-found`, `unverified` and `quote-missing` (see below).
    #[arg(long, value_name = "DEFECTS", value_delimiter = ',', value_parser = parse_defect)]
    pub distrust: Vec<Defect>,
    /// The DOI cache whose verdicts `--distrust` reads [default: ROOT/.argmap/doi-cache.json].
    /// The network is never asked.
    #[arg(long, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// `human`: each map's conclusions, labelled, and what decides those not in; `json`:
    /// `{"labels": {"map:id": "in"|"out"|"undecided", ...}}` for every claim, keys sorted.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
}

const AFTER_HELP: &str = "\
Labels (grounded semantics, Dung 1995): a claim is `in` when every claim attacking it is out,
`out` when a claim attacking it is in, and `undecided` otherwise (attacked in a cycle, or by
an undecided claim). The grounded labelling is the most sceptical one: it accepts only what
must be accepted.

Readings of supports (--support), after Cayrol & Lagasquie-Schiex (2005), each through whole
chains of supports:
  none        attacks alone. `y` attacks `c`: `c` is out only when `y` is in.
  supported   (default) a supported attack: `x` supports `y` and `y` attacks `c`, so `x`
              attacks `c` too. With `y` out (attacked by an unattacked `z`) and `x` in,
              `c` is out: its objection still has a reason standing.
  deductive   also a secondary attack: `a` attacks `x` and `x` supports `c`, so `a` attacks
              `c`. With `a` in, `c` is out: a claim falls with a reason it rests on.

Distrust (--distrust): a claim that no claim supports and whose every citation fails in one
of the ways listed is attacked by its defect, an attacker nothing can answer (so it is out,
and under `deductive` so is what it supports). `retracted`: Crossref records a retraction
of the cited work; `not-found`: the work's DOI does not exist or names another work;
`unverified`: the work has a DOI the DOI cache has no verdict on (`argmap resolve` fills
it); `quote-missing`: the citation is of the map's own paper and the claim's quote is not
in the paper's text (sources/). Verdicts come from the DOI cache only.

Exit status: 0 labelled; 1 a map cannot be read as a graph (the findings that stop
`argmap dot`: unread files, duplicate claim ids, dangling links), shown on stderr; 2 argmap
could not run.";

fn parse_defect(s: &str) -> Result<Defect, String> {
    Defect::parse(s.trim()).ok_or_else(|| {
        let names: Vec<&str> = Defect::ALL.iter().map(|d| d.name()).collect();
        format!("no defect `{s}`: one of {}", names.join(", "))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SupportArg {
    /// Attacks only.
    None,
    /// Supported attacks: x supports y, y attacks c, so x attacks c.
    Supported,
    /// Supported and secondary attacks: also a attacks x, x supports c, so a attacks c.
    Deductive,
}

impl From<SupportArg> for Support {
    fn from(s: SupportArg) -> Support {
        match s {
            SupportArg::None => Support::None,
            SupportArg::Supported => Support::Supported,
            SupportArg::Deductive => Support::Deductive,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// Each map's conclusions and what decides them.
    Human,
    /// Every claim's label, as one JSON document.
    Json,
}

pub fn run(args: EvalArgs) -> Outcome {
    let mut host = match AnalysisHost::open(&args.root) {
        Ok(host) => host,
        Err(e) => return fail(e),
    };
    if !args.distrust.is_empty() {
        let cache = (args.cache.clone())
            .unwrap_or_else(|| args.root.join(".argmap").join("doi-cache.json"));
        if argmap::load::is_input_file(&args.root, &cache) {
            return fail(format!(
                "refusing to use {} as the DOI cache: it is one of the files checked",
                cache.display()
            ));
        }
        let mut options = argmap::resolve::Options::new(
            argmap::resolve::parse_resolver("https://doi.org").expect("a resolver"),
        );
        options.cache = Some(cache);
        host.read_dois_from(options);
    }
    let analysis = host.analysis();
    let blocking = eval::blocking(&analysis);
    if !blocking.is_empty() {
        let findings: Vec<argmap::Diagnostic> = blocking.into_iter().cloned().collect();
        super::dot::report(&analysis, &findings, &findings);
        return Outcome::Findings;
    }
    let options = eval::Options {
        support: args.support.into(),
        distrust: args.distrust.iter().copied().collect(),
    };
    let evaluation = Evaluation::new(&analysis, &options);
    if let Some(notes) = analysis.resolution.as_ref().map(|r| &r.notes) {
        for note in notes {
            warn_line("note: ", note);
        }
    }
    let text = match args.format {
        EvalFormat::Human => evaluation.human(),
        EvalFormat::Json => evaluation.to_json(),
    };
    print(&text, Outcome::Clean)
}
