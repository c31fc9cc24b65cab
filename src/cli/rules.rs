//! `argmap rules [NAME]`: the rule list, or one rule's documentation.

use clap::Args;

use super::{Outcome, fail, print};
use argmap::rules::{ALL, find};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule to explain, e.g. `unknown-reference`.
    pub name: Option<String>,
}

pub fn run(args: RulesArgs) -> Outcome {
    match args.name {
        None => {
            let width = ALL.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for rule in ALL {
                out.push_str(&format!(
                    "{:width$}  {:7}  {}\n",
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary
                ));
            }
            out.push_str("\n`argmap rules NAME` explains one rule.\n");
            print(&out, Outcome::Clean)
        }
        Some(name) => match find(&name) {
            Some(rule) => print(
                &format!(
                    "{} ({})\n{}\n\n{}\n",
                    rule.name,
                    rule.severity,
                    rule.summary,
                    textwrap(rule.doc, 88)
                ),
                Outcome::Clean,
            ),
            None => {
                let names = ALL.iter().map(|r| r.name);
                match argmap::diagnostic::did_you_mean(&name, names) {
                    Some(s) => fail(format!("no rule `{name}`; did you mean `{s}`?")),
                    None => fail(format!("no rule `{name}`; `argmap rules` lists them")),
                }
            }
        },
    }
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
