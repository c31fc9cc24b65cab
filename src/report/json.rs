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
use crate::resolve::Notice;

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
                    finding::write(buffer, report.sources, d);
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

/// How a finding is written: by hand, as serde_json's pretty printer writes the shape the
/// README documents (the tests hold the two to the same bytes), without building a value
/// for each finding first. A report may hold tens of thousands of findings, and writing
/// them is most of `--format json`'s time.
mod finding {
    use crate::diagnostic::{Diagnostic, Edit, Fix};
    use crate::source::{Sources, Span};

    /// A finding, an entry of the document's `diagnostics` (two levels in).
    pub(super) fn write(out: &mut Vec<u8>, sources: &Sources, d: &Diagnostic) {
        let mut o = Object::open(out, 2);
        o.string("rule", d.rule.name());
        o.string("severity", d.severity().as_str());
        o.string("message", &d.message);
        o.range(sources, d.primary.span);
        match &d.help {
            Some(help) => o.string("help", help),
            None => o.raw("help", b"null"),
        }
        o.list("related", &d.related, |out, depth, label| {
            let mut o = Object::open(out, depth);
            o.string("message", &label.message);
            o.range(sources, label.span);
            o.close();
        });
        o.list("fixes", &d.fixes, |out, depth, fix: &Fix| {
            let mut o = Object::open(out, depth);
            o.string("title", &fix.title);
            o.string("applicability", fix.applicability.as_str());
            o.list("edits", &fix.edits, |out, depth, edit: &Edit| {
                let mut o = Object::open(out, depth);
                o.range(sources, edit.span);
                o.string("replacement", &edit.replacement);
                o.close();
            });
            o.close();
        });
        o.close();
    }

    /// A line break and two spaces a level (findings nest five levels at most).
    fn line(out: &mut Vec<u8>, depth: usize) {
        const LINE: &[u8] = b"\n                    ";
        out.extend_from_slice(&LINE[..1 + 2 * depth]);
    }

    /// An object being written at `depth`: `{`, each field on its own line one level in,
    /// `}` on its own line (serde_json's pretty layout).
    struct Object<'o> {
        out: &'o mut Vec<u8>,
        depth: usize,
        empty: bool,
    }

    impl<'o> Object<'o> {
        fn open(out: &'o mut Vec<u8>, depth: usize) -> Self {
            out.push(b'{');
            Object {
                out,
                depth,
                empty: true,
            }
        }

        /// `"key": ` after the field before, if any.
        fn key(&mut self, key: &str) -> &mut Vec<u8> {
            if !self.empty {
                self.out.push(b',');
            }
            self.empty = false;
            line(self.out, self.depth + 1);
            self.out.push(b'"');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"\": ");
            self.out
        }

        fn raw(&mut self, key: &str, value: &[u8]) {
            self.key(key).extend_from_slice(value);
        }

        fn string(&mut self, key: &str, value: &str) {
            super::escaped(self.key(key), value);
        }

        fn number(&mut self, key: &str, value: usize) {
            let mut buffer = itoa::Buffer::new();
            self.raw(key, buffer.format(value).as_bytes());
        }

        /// `file`, `line`, `column`, `end_line`, `end_column` of a span (1-based,
        /// columns in characters, the end exclusive).
        fn range(&mut self, sources: &Sources, span: Span) {
            let (start, end) = sources.positions(span);
            self.string("file", &sources.get(span.file).path);
            self.number("line", start.line);
            self.number("column", start.column);
            self.number("end_line", end.line);
            self.number("end_column", end.column);
        }

        /// `[]`, or each item on its own line one level in and `]` on its own line.
        fn list<T>(
            &mut self,
            key: &str,
            items: &[T],
            mut item: impl FnMut(&mut Vec<u8>, usize, &T),
        ) {
            let depth = self.depth + 1;
            let out = self.key(key);
            if items.is_empty() {
                out.extend_from_slice(b"[]");
                return;
            }
            out.push(b'[');
            for (i, value) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                line(out, depth + 1);
                item(out, depth + 1, value);
            }
            line(out, depth);
            out.push(b']');
        }

        fn close(self) {
            if !self.empty {
                line(self.out, self.depth);
            }
            self.out.push(b'}');
        }
    }
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control characters as
/// `\n`, `\t`... or `\u00XX`, everything else (Unicode included) as it is. The runs
/// between escapes are copied whole.
fn escaped(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while let Some(at) = next_escape(bytes, i) {
        i = at + 1;
        let b = bytes[at];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ],
            _ => unreachable!("next_escape finds only bytes to escape"),
        };
        out.extend_from_slice(&bytes[run..at]);
        out.extend_from_slice(escape);
        run = at + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// The first byte at or after `from` that JSON escapes (`"`, `\\`, a control character),
/// eight bytes at a time: most text has none.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` below `n` (n <= 128), or equal to `b`: its high bit set in the result.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGHS;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found =
            below(x, 0x20) | zero(x ^ (ONES * b'"' as u64)) | zero(x ^ (ONES * b'\\' as u64));
        if found != 0 {
            // The lowest flagged byte is the first: no borrow reaches below it.
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|at| i + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analysis;
    use crate::diagnostic::{Diagnostic, Edit, Fix};
    use crate::source::{Sources, Span};
    use crate::workspace::Workspace;

    // The documented shape of a finding, written by serde_json: what the hand-written
    // writer is held to.
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

    /// A finding written by hand, and by serde_json from the documented shape (two levels
    /// in), as the document nests it.
    fn both_ways(sources: &Sources, d: &Diagnostic) -> (String, String) {
        let mut by_hand = Vec::new();
        finding::write(&mut by_hand, sources, d);
        let pretty = serde_json::to_string_pretty(&diagnostic(sources, d)).unwrap();
        (
            String::from_utf8(by_hand).unwrap(),
            pretty.replace('\n', "\n    "),
        )
    }

    #[test]
    fn a_finding_is_written_as_serde_json_writes_its_shape() {
        // Every part a finding may have or lack: help or none, related places (none, one,
        // several), fixes (none, one without edits, one with several), text to escape.
        let mut sources = Sources::default();
        let file = sources.add(crate::source::SourceFile::new(
            "arguments/m\u{1b}\"q\".yaml".into(),
            "title: m\nclaims:\n  - id: é\n    text: \"x\\ty\"\n".into(),
        ));
        let at = |start, end| Span::new(file, start, end);
        let bare = Diagnostic::new(
            crate::Rule::DanglingLink,
            crate::Label::new(at(0, 5), ""),
            "plain",
        );
        let full = Diagnostic::new(
            crate::Rule::UnknownReference,
            crate::Label::new(at(20, 22), "here"),
            "quote \" backslash \\ tab \t nul \u{0} del \u{7f} bell \u{7} é 🦀 \u{2028}",
        )
        .with_help("did you mean `@x`?\r\n\u{8}\u{c}")
        .with_related(crate::Label::new(at(0, 0), "first"))
        .with_related(crate::Label::new(at(30, 99), ""))
        .with_fix(Fix {
            title: "nothing".into(),
            edits: Vec::new(),
            applicability: crate::diagnostic::Applicability::Safe,
        })
        .with_fix(Fix {
            title: "two \"edits\"".into(),
            edits: vec![
                Edit {
                    span: at(20, 22),
                    replacement: "\"a\\b\"".into(),
                },
                Edit {
                    span: at(40, 40),
                    replacement: String::new(),
                },
            ],
            applicability: crate::diagnostic::Applicability::Unsafe,
        });
        for d in [&bare, &full] {
            let (by_hand, by_serde) = both_ways(&sources, d);
            assert_eq!(by_hand, by_serde);
        }
    }

    #[test]
    fn every_ascii_byte_is_escaped_as_serde_json_escapes_it_wherever_it_is() {
        // Each byte at each place of an eight-byte word, after text of one and more bytes
        // a character, and before more text to escape.
        for b in 0u8..0x80 {
            for before in ["", "a", "abcdefg", "é", "ééé", "😀x", "abcdefghijklmnop"] {
                for after in ["", "z", "\"", "\u{1}tail", "ü and more text"] {
                    let text = format!("{before}{}{after}", b as char);
                    let mut out = Vec::new();
                    escaped(&mut out, &text);
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        serde_json::to_string(&text).unwrap(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Any text is escaped as serde_json escapes it.
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(text in "(?s).{0,40}", ascii in "[\\x00-\\x7f]{0,40}") {
            for text in [&text, &ascii] {
                let mut out = Vec::new();
                escaped(&mut out, text);
                proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(text).unwrap());
            }
        }
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
