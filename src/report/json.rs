//! `--format json`: one JSON document with every diagnostic and the summary.
//!
//! Positions are 1-based; columns count characters. `file` is relative to ROOT.

use serde::Serialize;

use super::Summary;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span};

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    /// Other places the finding involves (first definitions, the rest of a cycle).
    related: Vec<JsonPlace<'a>>,
}

#[derive(Serialize)]
struct JsonPlace<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn place<'a>(sources: &'a Sources, span: Span, message: &'a str) -> JsonPlace<'a> {
    let (start, end) = sources.positions(span);
    JsonPlace {
        message,
        file: &sources.get(span.file).path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn render(sources: &Sources, diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            let p = place(sources, d.primary.span, &d.primary.message);
            JsonDiagnostic {
                rule: d.rule.name,
                severity: d.severity().as_str(),
                message: &d.message,
                file: p.file,
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|l| place(sources, l.span, &l.message))
                    .collect(),
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&Document {
        diagnostics,
        summary,
    })
    .expect("serialising plain data cannot fail");
    out.push('\n');
    out
}
