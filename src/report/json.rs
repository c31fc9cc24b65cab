//! `--format json`: one JSON document with every diagnostic and the summary (and, for
//! `argmap resolve`, every DOI and its status).
//!
//! Positions are 1-based; columns count characters; end positions are exclusive. `file`
//! is relative to ROOT. A diagnostic's `fixes` are the edits its rule knows, each edit a
//! range and the text that replaces it.

use std::io;

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

// Positions are written out field by field rather than with `#[serde(flatten)]`, which
// serialises each entry through a map, key by key, instead of as a struct.

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
    fixes: Vec<JsonFix<'a>>,
}

/// A related label: its message and its range.
#[derive(Serialize)]
struct JsonPlace<'a> {
    message: &'a str,
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
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
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

/// A span's file and 1-based positions: `(file, line, column, end_line, end_column)`.
fn range(sources: &Sources, span: Span) -> (&str, usize, usize, usize, usize) {
    let (start, end) = sources.positions(span);
    let file = &sources.get(span.file).path;
    (file, start.line, start.column, end.line, end.column)
}

fn place<'a>(sources: &'a Sources, span: Span, message: &'a str) -> JsonPlace<'a> {
    let (file, line, column, end_line, end_column) = range(sources, span);
    JsonPlace {
        message,
        file,
        line,
        column,
        end_line,
        end_column,
    }
}

fn fix<'a>(sources: &'a Sources, fix: &'a Fix) -> JsonFix<'a> {
    JsonFix {
        title: &fix.title,
        applicability: fix.applicability.as_str(),
        edits: fix
            .edits
            .iter()
            .map(|Edit { span, replacement }| {
                let (file, line, column, end_line, end_column) = range(sources, *span);
                JsonEdit {
                    file,
                    line,
                    column,
                    end_line,
                    end_column,
                    replacement,
                }
            })
            .collect(),
    }
}

fn diagnostic<'a>(sources: &'a Sources, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (file, line, column, end_line, end_column) = range(sources, d.primary.span);
    JsonDiagnostic {
        rule: d.rule.name(),
        severity: d.severity().as_str(),
        message: &d.message,
        file,
        line,
        column,
        end_line,
        end_column,
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
    let mut out = Vec::new();
    write(report, &mut out).expect("a vector takes every write");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the document of a report to `out` as it is rendered: a report of many findings
/// is tens of megabytes, not gathered in one string first.
pub fn write(report: &Report, out: &mut impl io::Write) -> io::Result<()> {
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
    let mut head = Vec::with_capacity(4096);
    serde_json::to_writer_pretty(&mut head, &document).expect("serialising plain data cannot fail");
    if report.diagnostics.is_empty() {
        out.write_all(&head)?;
    } else {
        // `{\n  "diagnostics": []` starts the document: the list opens after its `[`.
        const EMPTY: &[u8] = b"{\n  \"diagnostics\": [";
        assert!(
            head.starts_with(EMPTY),
            "diagnostics is the document's first field"
        );
        out.write_all(EMPTY)?;
        findings(report, RUN, RUNS_AT_ONCE, out)?;
        out.write_all(b"\n  ")?;
        out.write_all(&head[EMPTY.len()..])?;
    }
    out.write_all(b"\n")
}

/// How many findings one task renders (a task's share of the work must outweigh handing
/// it out).
const RUN: usize = 256;
/// How many runs are rendered side by side before they are written: enough to keep every
/// core busy, few enough that the buffers stay small and are reused from batch to batch
/// (a report of tens of megabytes is never held whole, nor its pages faulted in).
const RUNS_AT_ONCE: usize = 16;

/// The findings are the work here (tens of thousands are possible): they are written side
/// by side in runs of `run`, `at_once` runs at a time, each at the depth it has in the
/// document and after `,` and its line break (but the first), and spliced into the
/// document serde_json writes with an empty list. The bytes are serde_json's pretty output.
fn findings(
    report: &Report,
    run: usize,
    at_once: usize,
    out: &mut impl io::Write,
) -> io::Result<()> {
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); at_once];
    let mut first = true;
    for batch in report.diagnostics.chunks(run * at_once) {
        batch
            .par_chunks(run)
            .zip(buffers.par_iter_mut())
            .for_each(|(run, buffer)| {
                buffer.clear();
                for d in run {
                    buffer.extend_from_slice(b",\n    ");
                    nested(buffer, &diagnostic(report.sources, d));
                }
            });
        for buffer in &buffers[..batch.len().div_ceil(run)] {
            // The first finding follows the `[` without a comma.
            out.write_all(if first { &buffer[1..] } else { buffer })?;
            first = false;
        }
    }
    Ok(())
}

/// A value written as serde_json's pretty output two levels deep (an entry of the document's
/// `diagnostics`), in one pass, onto `out`.
fn nested(out: &mut Vec<u8>, value: &impl Serialize) {
    let mut writer = serde_json::Serializer::with_formatter(out, Nested::at(2));
    value
        .serialize(&mut writer)
        .expect("serialising plain data cannot fail");
}

/// serde_json's `PrettyFormatter` (two spaces a level) starting at a given depth, which
/// the pretty formatter cannot be told.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn open(&mut self, writer: &mut (impl io::Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close(&mut self, writer: &mut (impl io::Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(writer, b"\n")?;
        }
        writer.write_all(bracket)
    }

    /// Before an entry of a list or an object: a comma after the first, a line break and
    /// the indentation.
    fn entry(&self, writer: &mut (impl io::Write + ?Sized), first: bool) -> io::Result<()> {
        self.line(writer, if first { b"\n" } else { b",\n" })
    }

    /// `brk`, then two spaces a level.
    fn line(&self, writer: &mut (impl io::Write + ?Sized), brk: &[u8]) -> io::Result<()> {
        writer.write_all(brk)?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.entry(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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
    fn the_nested_formatter_writes_serde_jsons_pretty_output_two_levels_in() {
        // Any value, not only the shapes findings have today: lists of plain values,
        // empty collections, nesting.
        let value = serde_json::json!({
            "a": [1, "two", null, [3, [4]], {}, []],
            "b": {"c": {"d": [true]}, "e": {}},
            "f": [],
        });
        let mut nested_out = Vec::new();
        nested(&mut nested_out, &value);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(
            String::from_utf8(nested_out).unwrap(),
            pretty.replace('\n', "\n    ")
        );
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
            "title: m\nsource: src\nclaims:\n  - id: x\n    text: \"X\\n[@src, p. 1] [@nope]\"\n    supports: [gone]\n  - id: y\n    text: Y [@src, p. 2; @src, p. 3; @src, p. 4]\n    supports: [x, x, gone]\n",
        );
        let analysis = Analysis::offline(&ws);
        assert!(
            analysis.diagnostics.len() >= 8,
            "{:?}",
            analysis.diagnostics
        );
        let report = Report::of(&analysis);
        let json = render(&report);
        assert_eq!(json, written_at_once(&report));
        // Written in batches of runs (here of two runs of two findings), the bytes are
        // the same: every batch, the last one partly filled, and the comma before each.
        for (run, at_once) in [(1, 1), (2, 2), (3, 2), (1, 7)] {
            let mut spliced = Vec::new();
            findings(&report, run, at_once, &mut spliced).unwrap();
            let all = written_at_once(&report);
            let list = &all[all.find('[').unwrap() + 1..all.rfind("\n  ],").unwrap()];
            assert_eq!(
                String::from_utf8(spliced).unwrap(),
                list,
                "{run} x {at_once}"
            );
        }
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["diagnostics"].as_array().unwrap().len(),
            analysis.diagnostics.len()
        );
    }
}
