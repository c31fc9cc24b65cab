//! `argmap rules [NAME]`: the rule list, or one rule's documentation.

use clap::Args;

use super::{Outcome, fail, print};
use argmap::Rule;

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule to explain, e.g. `unknown-reference`.
    pub name: Option<String>,
}

pub fn run(args: RulesArgs) -> Outcome {
    match args.name {
        None => print(&list(), Outcome::Clean),
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

/// Every rule: name, severity, when it runs, what it reports.
fn list() -> String {
    let width = Rule::all().map(|r| r.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in Rule::all() {
        let info = rule.info();
        out.push_str(&format!(
            "{:width$}  {:7}  {:6}  {}\n",
            rule.name(),
            info.severity.as_str(),
            info.phase.as_str(),
            info.summary
        ));
    }
    out.push_str("\n`argmap rules NAME` explains one rule.\n");
    out
}

/// One rule: what it reports and why, an example and the same example fixed.
fn explain(rule: Rule) -> String {
    let info = rule.info();
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    let mut out = format!(
        "{} ({})\n{}\n\n{}\n\nExample:\n{}\nFixed:\n{}\n{}\n",
        rule.name(),
        info.severity,
        info.summary,
        textwrap(info.doc, 88),
        indent(info.example),
        indent(info.fixed),
        match info.phase {
            argmap::rule::Phase::Load => "Reported while the files are read.",
            argmap::rule::Phase::Check => "Reported by `argmap check`.",
            argmap::rule::Phase::Online => "Reported with `--online` and by `argmap resolve`.",
        },
    );
    if info.blocks_drawing {
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
