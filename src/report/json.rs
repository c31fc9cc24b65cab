//! `--format json`: one JSON document with every diagnostic and the summary (and, for
//! `argmap resolve`, every DOI and its status).
//!
//! Positions are 1-based; columns count characters; end positions are exclusive. `file`
//! is relative to ROOT. A diagnostic's `fixes` are the edits its rule knows, each edit a
//! range and the text that replaces it.

use rayon::prelude::*;
use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::resolve::Notice;
use crate::source::{Sources, Span};

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    dois: Option<Vec<JsonDoi<'a>>>,
    /// HTTP requests sent, with the DOI table.
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<usize>,
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
    fixes: Vec<JsonFix<'a>>,
}

/// A message at a place: the diagnostic's own, or a related label's.
#[derive(Serialize)]
struct JsonPlace<'a> {
    message: &'a str,
    #[serde(flatten)]
    range: JsonRange<'a>,
}

#[derive(Serialize)]
struct JsonRange<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    range: JsonRange<'a>,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonDoi<'a> {
    reference: &'a str,
    doi: &'a str,
    status: &'static str,
    detail: &'a str,
    cached: bool,
    /// Notices that update the work (Crossref's `updated-by`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    updated_by: &'a [Notice],
    /// Works this DOI is a notice for (Crossref's `update-to`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    update_to: &'a [Notice],
}

fn range(sources: &Sources, span: Span) -> JsonRange<'_> {
    let (start, end) = sources.positions(span);
    JsonRange {
        file: &sources.get(span.file).path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn place<'a>(sources: &'a Sources, span: Span, message: &'a str) -> JsonPlace<'a> {
    JsonPlace {
        message,
        range: range(sources, span),
    }
}

fn fix<'a>(sources: &'a Sources, fix: &'a Fix) -> JsonFix<'a> {
    JsonFix {
        title: &fix.title,
        applicability: fix.applicability.as_str(),
        edits: fix
            .edits
            .iter()
            .map(|Edit { span, replacement }| JsonEdit {
                range: range(sources, *span),
                replacement,
            })
            .collect(),
    }
}

fn diagnostic<'a>(sources: &'a Sources, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: d.rule.name(),
        severity: d.severity().as_str(),
        at: place(sources, d.primary.span, &d.message),
        help: d.help.as_deref(),
        related: d
            .related
            .iter()
            .map(|l| place(sources, l.span, &l.message))
            .collect(),
        fixes: d.fixes.iter().map(|f| fix(sources, f)).collect(),
    }
}

/// The document of a report.
pub fn render(report: &Report) -> String {
    let dois = report.dois.map(|resolution| {
        resolution
            .checked
            .iter()
            .map(|c| JsonDoi {
                reference: &c.reference,
                doi: c.doi.as_str(),
                status: c.status.name(),
                detail: &c.detail,
                cached: c.cached,
                updated_by: &c.updated_by,
                update_to: &c.update_to,
            })
            .collect()
    });
    let document = Document {
        // Positions are the work here (tens of thousands of findings are possible): spread.
        diagnostics: report
            .diagnostics
            .par_iter()
            .map(|d| diagnostic(report.sources, d))
            .collect(),
        summary: report.summary,
        dois,
        requests: report.dois.map(|r| r.requests),
    };
    // About half a kilobyte a finding: reserved at once rather than grown by copying.
    let mut out = Vec::with_capacity(4096 + 600 * report.diagnostics.len());
    serde_json::to_writer_pretty(&mut out, &document).expect("serialising plain data cannot fail");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
