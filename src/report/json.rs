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
struct Document<'a, D> {
    /// Written empty (`[]`), then filled in by [`render`].
    diagnostics: D,
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
        diagnostics: [(); 0],
        summary: report.summary,
        dois,
        requests: report.dois.map(|r| r.requests),
    };
    // The findings are the work here (tens of thousands are possible): each is written on
    // its own, side by side, at the depth it has in the document, and spliced into the
    // document written with an empty list. The bytes are serde_json's pretty output.
    let items: Vec<Vec<u8>> = report
        .diagnostics
        .par_iter()
        .map(|d| indented(&diagnostic(report.sources, d)))
        .collect();
    let mut head = Vec::with_capacity(4096);
    serde_json::to_writer_pretty(&mut head, &document).expect("serialising plain data cannot fail");
    let mut out =
        Vec::with_capacity(head.len() + items.iter().map(|i| i.len() + 6).sum::<usize>() + 16);
    if items.is_empty() {
        out.extend_from_slice(&head);
    } else {
        // `{\n  "diagnostics": []` starts the document: the list opens after its `[`.
        const EMPTY: &[u8] = b"{\n  \"diagnostics\": [";
        assert!(
            head.starts_with(EMPTY),
            "diagnostics is the document's first field"
        );
        out.extend_from_slice(EMPTY);
        for (i, item) in items.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            out.extend_from_slice(item);
        }
        out.extend_from_slice(b"\n  ");
        out.extend_from_slice(&head[EMPTY.len()..]);
    }
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A value written as serde_json's pretty output two levels deep (an entry of the document's
/// `diagnostics`): every line after the first indented by four spaces. JSON strings escape
/// line breaks, so each line break in the output is the formatter's.
fn indented(value: &impl Serialize) -> Vec<u8> {
    let flat = serde_json::to_vec_pretty(value).expect("serialising plain data cannot fail");
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    for (i, line) in flat.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\n    ");
        }
        out.extend_from_slice(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analysis;
    use crate::workspace::Workspace;

    /// The document written at once by serde_json, as `render` splices it.
    fn written_at_once(report: &Report) -> String {
        let document = Document {
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| diagnostic(report.sources, d))
                .collect::<Vec<_>>(),
            summary: report.summary,
            dois: None::<Vec<JsonDoi>>,
            requests: None,
        };
        serde_json::to_string_pretty(&document).unwrap() + "\n"
    }

    #[test]
    fn the_spliced_document_is_serde_jsons_own_pretty_output() {
        let mut ws = Workspace::new();
        let clean = Analysis::offline(&ws);
        assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
        let report = Report::of(&clean);
        assert_eq!(render(&report), written_at_once(&report));
        ws.set_text(
            "references/r.yaml",
            "references:\n  - {id: src, type: book, title: \"S\\nT\", page: 5-9}\n",
        );
        ws.set_text(
            "arguments/m.yaml",
            "title: m\nsource: src\nclaims:\n  - id: x\n    text: \"X\\n[@src, p. 1] [@nope]\"\n    supports: [gone]\n",
        );
        let analysis = Analysis::offline(&ws);
        assert!(
            analysis.diagnostics.len() >= 3,
            "{:?}",
            analysis.diagnostics
        );
        let report = Report::of(&analysis);
        let json = render(&report);
        assert_eq!(json, written_at_once(&report));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["diagnostics"].as_array().unwrap().len(),
            analysis.diagnostics.len()
        );
    }
}
