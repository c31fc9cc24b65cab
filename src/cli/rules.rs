//! `argmap rules [NAME]`: the rule list, or one rule's documentation.

use clap::Args;

use super::{Outcome, fail, print};
use argmap::Rule;

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule to explain, e.g. `unknown-reference`.
    pub name: Option<String>,
    /// The folder whose `argmap.toml` sets the levels shown (entries it does not take are
    /// named on stderr, exit 1).
    #[arg(long, default_value = ".")]
    pub root: std::path::PathBuf,
    #[command(flatten)]
    pub levels: super::LevelArgs,
}

pub fn run(args: RulesArgs) -> Outcome {
    let overrides = match args.levels.levels() {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    // The levels in effect: argmap.toml (when ROOT has one) and the flags.
    let mut workspace = argmap::workspace::Workspace::new();
    if !args.root.is_dir() {
        return fail(format!("`{}` is not a folder", args.root.display()));
    }
    if let Err(e) = workspace.read_config(&args.root) {
        return fail(e);
    }
    workspace.set_overrides(overrides);
    let levels = workspace.levels();
    // Entries of argmap.toml that were not taken are said, not silently shown as defaults.
    let (_, problems) = workspace.assemble();
    for problem in &problems {
        let kind = format!("{}: ", problem.severity().as_str());
        super::warn_line(
            &kind,
            &format!("{} [{}]", problem.message, problem.rule.name()),
        );
    }
    let outcome = if problems
        .iter()
        .any(|d| d.severity() == argmap::Severity::Error)
    {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    match args.name {
        None => print(&list(&levels), outcome),
        Some(name) => match Rule::from_name(&name) {
            Some(rule) => print(&explain(rule), Outcome::Clean),
            None => {
                let names = Rule::all().map(Rule::name);
                match argmap::diagnostic::did_you_mean(&name, names) {
                    Some(s) => fail(format!("no rule `{name}`; did you mean `{s}`?")),
                    None => fail(format!("no rule `{name}`; `argmap rules` lists them")),
                }
            }
        },
    }
}

/// Every rule: name, level in effect, when it runs, what it reports.
fn list(levels: &argmap::config::Levels) -> String {
    let width = Rule::all().map(|r| r.name().len()).max().unwrap_or(0);
    let shown = |rule: Rule| {
        let defaults = argmap::config::Levels::default();
        let (level, default) = (levels.level(rule).as_str(), defaults.level(rule).as_str());
        if level == default {
            level.to_owned()
        } else {
            format!("{level} (default {default})")
        }
    };
    let level_width = Rule::all().map(|r| shown(r).len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in Rule::all() {
        out.push_str(&format!(
            "{:width$}  {:level_width$}  {:6}  {}\n",
            rule.name(),
            shown(rule),
            rule.phase().as_str(),
            rule.docs().summary
        ));
    }
    out.push_str("\n`argmap rules NAME` explains one rule; argmap.toml and --warn, --deny, --allow set levels.\n");
    out
}

/// One rule: what it reports and why, an example and the same example fixed.
fn explain(rule: Rule) -> String {
    let info = rule.docs();
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    let mut out = format!(
        "{} ({}{})\n{}\n\n{}\n\nExample:\n{}\nFixed:\n{}\n{}\n",
        rule.name(),
        rule.severity(),
        if rule.on_by_default() {
            ""
        } else {
            ", off unless a project turns it on"
        },
        info.summary,
        textwrap(info.doc, 88),
        indent(info.example),
        indent(info.fixed),
        match rule.phase() {
            argmap::rule::Phase::Load => "Reported while the files are read.",
            argmap::rule::Phase::Check => "Reported by `argmap check`.",
            argmap::rule::Phase::Online => "Reported with `--online` and by `argmap resolve`.",
        },
    );
    if rule.blocks_drawing() {
        out.push_str("A map with this finding is not drawn by `argmap dot`.\n");
    }
    out
}

/// Wraps a paragraph at `width` columns.
fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}
