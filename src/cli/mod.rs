//! Command-line interface: clap definitions, one file per subcommand, shared output.

mod add;
mod check;
mod dot;
mod eval;
mod export;
mod html;
mod import;
mod init;
mod lsp;
mod online;
mod resolve;
mod rules;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use argmap::report::{self, Report, Summary, human::Style};

/// Check argument maps of papers against their references, and draw them.
///
/// ROOT holds `arguments/*.yaml` (argument maps) and `references/*.yaml` (CSL-YAML
/// references, as pandoc reads them). Exit status: 0 no errors, 1 errors found (or
/// warnings with --deny-warnings), 2 argmap could not run.
#[derive(Parser, Debug)]
#[command(name = "argmap", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check every map and reference and report each problem at its file, line and column.
    Check(check::CheckArgs),
    /// Resolve every DOI over HTTP, refresh the DOI cache, and show each DOI's status.
    Resolve(resolve::ResolveArgs),
    /// List the rules, or explain one (`argmap rules unknown-reference`).
    Rules(rules::RulesArgs),
    /// Draw the argument maps as a Graphviz DOT diagram (`argmap dot | dot -Tsvg`).
    Dot(dot::DotArgs),
    /// Label each claim in, out or undecided (grounded semantics); explain the conclusions.
    ///
    /// The claims and their links make an argumentation framework; each claim is `in`
    /// when every claim attacking it is out, `out` when one attacking it is in, else
    /// `undecided`. --support says how supports imply attacks, --distrust which failing
    /// evidence attacks the claims resting on it alone.
    Eval(eval::EvalArgs),
    /// Add works by DOI, as CSL-YAML entries appended to a references file.
    ///
    /// Fetches each DOI's CSL-JSON by content negotiation through the DOI resolver (with the
    /// manners of `argmap resolve`), and appends an entry with a new id (`family` + year,
    /// `a`, `b`... on a clash) after the file's last one, keeping everything else in it. A
    /// DOI a reference has already is reported, not added twice; a DOI that cannot be had
    /// writes nothing (exit 2).
    Add(add::AddArgs),
    /// Import a BibTeX, BibLaTeX or CSL-JSON file's entries into a references file.
    ///
    /// Each entry becomes a CSL-YAML item, its key kept as its id, appended after the
    /// file's last one (the file's text is kept as it is). What CSL-YAML cannot say is
    /// listed on stderr; entries whose key or DOI a reference has already are not imported.
    Import(import::ImportArgs),
    /// Write the maps in another tool's format; what it cannot hold is listed on stderr.
    Export(export::ExportArgs),
    /// Write the maps as a site to read in a browser, offline (`site/index.html`).
    ///
    /// A page per map (its conclusions, its diagram laid out by Graphviz, each
    /// conclusion's argument alone, a panel per claim), per claim and per cited work, a
    /// references page with DOI status from the cache, and a search. Needs Graphviz's `dot`.
    Html(html::HtmlArgs),
    /// Serve an editor: a language server on standard input and output.
    ///
    /// Every finding as you type, with its fixes as code actions; completion of citation
    /// keys, claim ids and fields; hover, definitions, references and rename of citations,
    /// links, claims and references. The workspace is the folder the editor opens, or the
    /// nearest one above a file that holds `arguments/` or `references/`. DOI verdicts come
    /// from the DOI cache only: the server never goes online.
    Lsp,
    /// Print the JSON Schema of a file format, for editors that validate YAML with one.
    Schema {
        /// `map` (arguments/*.yaml), `references` (references/*.yaml) or `export` (what
        /// `argmap export --format json` writes).
        #[arg(value_enum)]
        format: SchemaArg,
    },
    /// Start a project: an example map and references, schemas, CI and pre-commit files.
    ///
    /// Writes, in DIR: arguments/example.yaml and references/example.yaml (a map and the
    /// works it cites, which `argmap check` passes), the JSON Schemas in schemas/ (named
    /// by each YAML file's first line, for editors), .gitignore (the DOI cache in
    /// .argmap/), .github/workflows/argmap.yml (argmap's GitHub Action) and
    /// .pre-commit-config.yaml (argmap's hook). Nothing is overwritten: if any of these is
    /// there already, nothing is written and they are named (exit 2).
    Init(init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// Rule levels on the command line; they win over `argmap.toml`.
#[derive(clap::Args, Debug, Default)]
#[command(next_help_heading = "Rule levels")]
pub struct LevelArgs {
    /// Report RULE's findings as warnings (repeat for several rules).
    #[arg(long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,
    /// Report RULE's findings as errors, which fail the check.
    #[arg(long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,
    /// Do not report RULE's findings. Where flags disagree, --deny wins over --warn, which
    /// wins over --allow.
    #[arg(long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,
}

impl LevelArgs {
    /// The levels the flags set, or why a name is no rule (bad usage: exit 2).
    pub fn levels(&self) -> Result<argmap::config::Levels, String> {
        use argmap::config::Level;
        let mut levels = argmap::config::Levels::default();
        for (names, level) in [
            (&self.allow, Level::Off),
            (&self.warn, Level::Warning),
            (&self.deny, Level::Error),
        ] {
            for name in names {
                let Some(rule) = argmap::Rule::from_name(name) else {
                    let names = argmap::Rule::all().map(argmap::Rule::name);
                    return Err(match argmap::diagnostic::did_you_mean(name, names) {
                        Some(s) => format!("no rule `{name}`; did you mean `{s}`?"),
                        None => format!("no rule `{name}`; `argmap rules` lists them"),
                    });
                };
                if !rule.can_be_silenced() && level != Level::Error {
                    return Err(format!(
                        "the level of `{rule}` cannot be changed: {}",
                        argmap::Rule::FIXED_LEVEL
                    ));
                }
                levels.set(rule, level);
            }
        }
        Ok(levels)
    }
}

/// The file formats `argmap schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    /// An argument map, `arguments/*.yaml`.
    Map,
    /// A reference file, `references/*.yaml` (CSL-YAML).
    References,
    /// The document `argmap export --format json` writes.
    Export,
}

/// Output formats shared by the commands that report diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with the offending token labelled, and a summary line.
    Human,
    /// One JSON document: `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// The process outcome, mapped onto exit codes in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing that fails the run.
    Clean,
    /// Errors found (or warnings, with --deny-warnings).
    Findings,
    /// argmap could not do its job: bad usage, missing ROOT, unreadable file.
    Failure,
}

impl Outcome {
    /// A run fails on errors, and on warnings too with `--deny-warnings`.
    pub fn of(summary: &Summary, deny_warnings: bool) -> Outcome {
        // (the same rule as `Analysis::fails`, for summaries of partial runs)
        if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(match o {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Failure => 2,
        })
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let printed = e.print();
            return if e.use_stderr() {
                Outcome::Failure.into()
            } else if printed.is_err() {
                // --help or --version that nobody can read
                Outcome::Failure.into()
            } else {
                Outcome::Clean.into()
            };
        }
    };
    let outcome = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Add(args) => add::run(args),
        Command::Import(args) => import::run(args),
        Command::Resolve(args) => resolve::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Dot(args) => dot::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Export(args) => export::run(args),
        Command::Lsp => lsp::run(),
        Command::Html(args) => html::run(args),
        Command::Schema { format } => {
            let schema = match format {
                SchemaArg::Map => argmap::format::json_schema(argmap::format::SchemaOf::Map),
                SchemaArg::References => {
                    argmap::format::json_schema(argmap::format::SchemaOf::References)
                }
                SchemaArg::Export => argmap::export::json::schema(),
            };
            print(&format!("{schema:#}\n"), Outcome::Clean)
        }
        Command::Init(args) => init::run(args),
        Command::Completions { shell } => {
            // Generated from the same clap definitions as `--help`, so they cannot drift.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "argmap", &mut script);
            print(&String::from_utf8_lossy(&script), Outcome::Clean)
        }
    };
    outcome.into()
}

/// Whether to colour output: only on a terminal, and never with NO_COLOR or TERM=dumb.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Renders a report in the chosen format.
pub fn render(format: Format, report: &Report) -> String {
    match format {
        Format::Human => {
            let style = Style {
                color: use_color(),
                width: terminal_width(),
            };
            report::human::render(report, style)
        }
        Format::Json => report::json::render(report),
        Format::Github => report::github::render(report),
        Format::Sarif => report::sarif::render(report),
    }
}

/// The width reports wrap at: `COLUMNS`, within reason.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(40, 200)
}

/// Writes the run's output to stdout and returns the run's outcome: `outcome` when the
/// output was written, or when the reader left (`argmap check | head` ends quietly);
/// a failure (exit 2) when it could not be written (a full disk, `/dev/full`), since a
/// CI job must not pass on a report nobody got.
pub fn print(text: &str, outcome: Outcome) -> Outcome {
    print_with(|out| out.write_all(text.as_bytes()), outcome)
}

/// Prints a report in the chosen format, as [`print`] does. A JSON report is written as it
/// is rendered (with many findings it is tens of megabytes).
pub fn emit(format: Format, report: &Report, outcome: Outcome) -> Outcome {
    match format {
        Format::Json => print_with(|out| report::json::write(report, out), outcome),
        _ => print(&render(format, report), outcome),
    }
}

/// [`print`], the output written by `write`.
fn print_with(
    write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
    outcome: Outcome,
) -> Outcome {
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|_| out.flush()) {
        Ok(()) => outcome,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => outcome,
        Err(e) => fail(format!("cannot write the output: {e}")),
    }
}

/// Reports a failure to run (exit 2) on stderr.
pub fn fail(message: impl std::fmt::Display) -> Outcome {
    warn_line("", &message.to_string());
    Outcome::Failure
}

/// A line on stderr (`argmap: warning: ...`), its text made safe for a terminal: paths and
/// messages may carry control characters from file names or files.
pub fn warn_line(kind: &str, message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "argmap: {kind}{}",
        argmap::sanitize::for_terminal(message)
    );
}
