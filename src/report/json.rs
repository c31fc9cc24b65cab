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
    #[serde(flatten)]
    at: JsonPlace<'a>,
    help: Option<&'a str>,
    /// Other places the finding involves (first definitions, the rest of a cycle).
    related: Vec<JsonPlace<'a>>,
}

/// A message at a place: the diagnostic's own, or a related label's.
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
        .map(|d| JsonDiagnostic {
            rule: d.rule.name(),
            severity: d.severity().as_str(),
            at: place(sources, d.primary.span, &d.message),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|l| place(sources, l.span, &l.message))
                .collect(),
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
