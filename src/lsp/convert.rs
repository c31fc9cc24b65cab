//! Between argmap's values and the protocol's: documents and paths, spans and ranges in the
//! client's encoding, findings and their fixes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{self as lsp, Uri};

use super::Server;
use crate::analysis::Analysis;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::source::{Encoding, FileId, Span};

/// The encoding of columns: UTF-8 when the client offers it (no conversion at all), else
/// UTF-16, the protocol's default.
pub(super) fn negotiate(capabilities: &lsp::ClientCapabilities) -> Encoding {
    let offered = capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

pub(super) fn kind_of(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Chars => lsp::PositionEncodingKind::UTF32,
    }
}

/// The path of a `file:` document.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The document of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// A span as a range of the client's positions (in the text navigation reads).
pub(super) fn range(server: &Server, analysis: &Analysis, span: Span) -> lsp::Range {
    let at = |(line, character): (usize, usize)| lsp::Position::new(line as u32, character as u32);
    match analysis.range(span, server.encoding) {
        Some(r) => lsp::Range::new(at(r.start), at(r.end)),
        None => lsp::Range::default(),
    }
}

/// A span of the file as it is now, even mid-edit (what diagnostics and completion are
/// about).
pub(super) fn current_range(server: &Server, analysis: &Analysis, span: Span) -> lsp::Range {
    let Some(source) = analysis.source(span.file) else {
        return lsp::Range::default();
    };
    let at = |offset: usize| {
        let (line, character) = source.line_column(offset, server.encoding);
        lsp::Position::new(line as u32, character as u32)
    };
    lsp::Range::new(at(span.start as usize), at(span.end as usize))
}

/// A position of a document as a byte offset of its file in the analysis.
pub(super) fn offset(
    server: &Server,
    analysis: &Analysis,
    document: &lsp::TextDocumentPositionParams,
) -> Option<(FileId, usize)> {
    let file = server.file(analysis, &document.text_document.uri)?;
    let p = document.position;
    let offset = analysis.offset(file, p.line as usize, p.character as usize, server.encoding)?;
    Some((file, offset))
}

/// A position of a document as a byte offset of its text as it is now (mid-edit too).
pub(super) fn current_offset(
    server: &Server,
    analysis: &Analysis,
    document: &lsp::TextDocumentPositionParams,
) -> Option<(FileId, usize)> {
    let file = server.file(analysis, &document.text_document.uri)?;
    let p = document.position;
    let source = analysis.source(file)?;
    Some((
        file,
        source.offset_of(p.line as usize, p.character as usize, server.encoding),
    ))
}

/// A span as a place the client can open.
pub(super) fn location(server: &Server, analysis: &Analysis, span: Span) -> Option<lsp::Location> {
    Some(lsp::Location::new(
        server.uri(analysis, span.file)?,
        range(server, analysis, span),
    ))
}

/// A finding as the protocol shows it: its rule as its code, its help after its message,
/// and its other places as related information.
pub(super) fn diagnostic(server: &Server, analysis: &Analysis, d: &Diagnostic) -> lsp::Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.to_string(),
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|label| {
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(
                    server.uri(analysis, label.span.file)?,
                    current_range(server, analysis, label.span),
                ),
                message: label.message.to_string(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: current_range(server, analysis, d.primary.span),
        severity: Some(match d.severity() {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.rule.name().to_owned())),
        source: Some("argmap".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// The edits of some fixes as a workspace edit (in the files as they are now).
fn workspace_edit<'f>(
    server: &Server,
    analysis: &Analysis,
    fixes: impl IntoIterator<Item = &'f Fix>,
) -> lsp::WorkspaceEdit {
    // The protocol's own map: lsp-types' `Uri` hashes its text, which never changes.
    #[allow(clippy::mutable_key_type)]
    let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for fix in fixes {
        for edit in &fix.edits {
            let Some(uri) = server.uri(analysis, edit.span.file) else {
                continue;
            };
            changes.entry(uri).or_default().push(lsp::TextEdit {
                range: current_range(server, analysis, edit.span),
                new_text: edit.replacement.to_string(),
            });
        }
    }
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// The fixes of the findings in the range asked about, as quick fixes (a safe fix is the
/// preferred one, which an editor may apply on its own; an unsafe one is offered), and
/// "apply all safe fixes in this file" when the file has any.
pub(super) fn code_actions(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::CodeActionParams,
) -> Vec<lsp::CodeActionOrCommand> {
    let Some(file) = server.file(analysis, &params.text_document.uri) else {
        return Vec::new();
    };
    let wanted = |kind: &lsp::CodeActionKind| {
        params
            .context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
    };
    let mut actions = Vec::new();
    let in_file = || {
        analysis
            .diagnostics
            .iter()
            .filter(move |d| d.primary.span.file == file)
    };
    if wanted(&lsp::CodeActionKind::QUICKFIX) {
        for d in in_file().filter(|d| !d.fixes.is_empty()) {
            let at = current_range(server, analysis, d.primary.span);
            // Ranges that touch (a cursor at either end of the finding's token) ask for it.
            if at.end < params.range.start || params.range.end < at.start {
                continue;
            }
            for fix in &d.fixes {
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title.to_string(),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(server, analysis, d)]),
                    edit: Some(workspace_edit(server, analysis, [fix])),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..Default::default()
                }));
            }
        }
    }
    // Every safe fix of the file, each finding's first, as `argmap check --fix` applies
    // them in one round (fixes of one round never overlap: the first of two that would is
    // left for the next request).
    let mut safe: Vec<&Fix> = Vec::new();
    let mut taken: Vec<Span> = Vec::new();
    for d in in_file() {
        let Some(fix) = d
            .fixes
            .iter()
            .find(|f| f.applicability == Applicability::Safe)
        else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|e| {
            taken
                .iter()
                .any(|t| t.file == e.span.file && t.start < e.span.end && e.span.start < t.end)
        });
        if !overlaps {
            taken.extend(fix.edits.iter().map(|e| e.span));
            safe.push(fix);
        }
    }
    if !safe.is_empty() && wanted(&lsp::CodeActionKind::SOURCE_FIX_ALL) {
        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!("apply all safe fixes in this file ({})", safe.len()),
            kind: Some(lsp::CodeActionKind::SOURCE_FIX_ALL),
            edit: Some(workspace_edit(server, analysis, safe)),
            ..Default::default()
        }));
    }
    actions
}
