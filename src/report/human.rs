//! `--format human`: miette's graphical report, a source snippet with the offending token
//! labelled, related places in other files shown after it, then the summary line.

use std::borrow::Cow;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Report, Summary};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::resolve::Resolution;
use crate::sanitize;
use crate::source::{FileId, SourceFile, Sources};

/// How the report looks: colour on a terminal only, width fixed in tests.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Colour the output (ANSI).
    pub color: bool,
    /// Columns to wrap messages at.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// A source file as miette sees it: its text made safe for a terminal (offsets unchanged),
/// and only the lines around a span handed over, so a report on a large file costs a
/// lookup in the line index, not a scan of the file. Positions in the header are argmap's
/// own (columns count characters, as everywhere), not miette's byte counts.
struct FileSource<'a> {
    file: &'a SourceFile,
    text: Cow<'a, str>,
    name: String,
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let first = file.line_of(span.offset()).saturating_sub(before + 1);
        let last_line = file.line_of(span.offset() + span.len());
        let window_start = file.line_start(first);
        let window_end = file.line_start(last_line + after + 2);
        let window = &self.text[window_start..window_end];
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        let (line, column) = if before == 0 && after == 0 {
            // The header's place: miette would count the column in bytes.
            let at = file.position(span.offset());
            (at.line - 1, at.column - 1)
        } else {
            (inner.line() + first, inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window_start).into(),
                inner.span().len(),
            ),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// The files a report shows, each made safe once however many findings it has.
struct Files<'a> {
    by_id: Vec<Option<FileSource<'a>>>,
}

impl<'a> Files<'a> {
    fn new(sources: &'a Sources, diagnostics: &[Diagnostic]) -> Self {
        let mut by_id: Vec<Option<FileSource<'a>>> = Vec::new();
        let labels = diagnostics
            .iter()
            .flat_map(|d| std::iter::once(&d.primary).chain(&d.related));
        for label in labels {
            let id = label.span.file.0 as usize;
            if by_id.len() <= id {
                by_id.resize_with(id + 1, || None);
            }
            if by_id[id].is_none() {
                let file = sources.get(label.span.file);
                by_id[id] = Some(FileSource {
                    file,
                    text: sanitize::for_snippet(&file.text),
                    name: sanitize::for_terminal(&file.path).into_owned(),
                });
            }
        }
        Files { by_id }
    }

    fn get(&self, file: FileId) -> &FileSource<'a> {
        self.by_id[file.0 as usize]
            .as_ref()
            .expect("every labelled file is prepared")
    }
}

/// Lines longer than this are not shown as snippets (a minified or junk file would
/// flood the terminal); the report gives the position instead.
const MAX_SNIPPET_LINE: usize = 400;

/// The source to show for a label, or `None` (with a position to print) when its line is
/// too long to show.
fn snippet_source<'f, 'a>(
    files: &'f Files<'a>,
    label: &Label,
) -> Result<&'f FileSource<'a>, String> {
    let source = files.get(label.span.file);
    let file = source.file;
    let line = file.line_of(label.span.start as usize);
    let length = file.line_start(line + 1) - file.line_start(line);
    if length <= MAX_SNIPPET_LINE {
        Ok(source)
    } else {
        let start = file.position(label.span.start as usize);
        Err(format!("{}:{}:{}", source.name, start.line, start.column))
    }
}

/// One diagnostic, or one related place, in miette's terms.
struct Entry<'f, 'a> {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<&'f FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Entry<'f, 'a>>,
}

impl fmt::Debug for Entry<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Entry<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Entry<'_, '_> {}

impl miette::Diagnostic for Entry<'_, '_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new((label.span.start as usize).into(), label.span.range().len());
    let text =
        (!label.message.is_empty()).then(|| sanitize::for_terminal(&label.message).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// A report for `label` and the labels that share its file; its message gains the
/// position when the snippet cannot be shown.
fn report_at<'f, 'a>(
    files: &'f Files<'a>,
    label: &Label,
    message: &str,
    extra: &[&Label],
) -> Entry<'f, 'a> {
    let message = sanitize::for_terminal(message);
    let (source, message) = match snippet_source(files, label) {
        Ok(source) => (Some(source), message.into_owned()),
        Err(at) => (None, format!("{message} (at {at})")),
    };
    let mut labels = vec![labeled(label, true)];
    labels.extend(extra.iter().map(|l| labeled(l, false)));
    Entry {
        message,
        code: None,
        severity: miette::Severity::Advice,
        help: None,
        source,
        labels,
        related: Vec::new(),
    }
}

fn report<'f, 'a>(files: &'f Files<'a>, d: &Diagnostic) -> Entry<'f, 'a> {
    let file = d.primary.span.file;
    let (same_file, other_files): (Vec<&Label>, Vec<&Label>) =
        d.related.iter().partition(|l| l.span.file == file);
    let mut main = report_at(files, &d.primary, &d.message, &same_file);
    main.code = Some(d.rule.name());
    main.severity = match d.severity() {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    main.help = d
        .help
        .as_deref()
        .map(|h| sanitize::for_terminal(h).into_owned());
    // A place in another file gets its own snippet, under the main one.
    main.related = other_files
        .into_iter()
        .map(|l| report_at(files, l, &l.message, &[]))
        .collect();
    main
}

fn render_with(files: &Files, d: &Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    if handler.render_report(&mut out, &report(files, d)).is_err() {
        // The snippet could not be drawn (it should always be): fall back to a plain line.
        let source = files.get(d.primary.span.file);
        let start = source.file.position(d.primary.span.start as usize);
        out = format!(
            "{}[{}]: {}\n  at {}:{}:{}\n",
            d.severity(),
            d.rule.name(),
            sanitize::for_terminal(&d.message),
            source.name,
            start.line,
            start.column
        );
    }
    out
}

/// Renders the DOI table (when the report has one), every diagnostic, then the summary
/// line.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = report.dois.map(table).unwrap_or_default();
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&findings(
        report.sources,
        report.diagnostics,
        report.summary,
        style,
    ));
    out
}

/// Every diagnostic, then the summary line.
pub fn findings(
    sources: &Sources,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    style: Style,
) -> String {
    use rayon::prelude::*;
    let files = Files::new(sources, diagnostics);
    // Drawing a snippet is the work here (tens of thousands of findings are possible):
    // each is drawn on its own, side by side, and they are joined in order.
    let rendered: Vec<String> = diagnostics
        .par_iter()
        .map(|d| render_with(&files, d, style))
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(|r| r.len() + 1).sum::<usize>() + 256);
    for r in rendered {
        out.push_str(&r);
        out.push('\n');
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}

/// One line per reference with a DOI: reference, DOI, status, what the verdict rests on;
/// then how many DOIs, cached answers and requests. Ids, DOIs and details come from files
/// and servers: made safe for a terminal.
pub fn table(r: &Resolution) -> String {
    let header = ["REFERENCE", "DOI", "STATUS", "DETAIL"];
    let lines: Vec<[String; 4]> = r
        .checked
        .iter()
        .map(|c| {
            let cached = if c.cached { " (cached)" } else { "" };
            [
                sanitize::for_terminal(&c.reference).into_owned(),
                sanitize::for_terminal(c.doi.as_str()).into_owned(),
                c.status.name().to_owned(),
                format!("{}{cached}", sanitize::for_terminal(&c.detail)),
            ]
        })
        .collect();
    let width = |col: usize| {
        lines
            .iter()
            .map(|l| l[col].chars().count())
            .chain([header[col].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 4]| {
        for (cell, w) in cells.iter().zip(widths) {
            out.push_str(&format!("{cell:w$}  "));
        }
        out.push_str(cells[3]);
        out.push('\n');
    };
    row(&mut out, header);
    for l in &lines {
        row(&mut out, [&l[0], &l[1], &l[2], &l[3]]);
    }
    out.push_str(&format!(
        "distinct DOIs: {}, answered from the cache: {}, HTTP requests: {}\n",
        r.dois, r.from_cache, r.requests,
    ));
    out
}
