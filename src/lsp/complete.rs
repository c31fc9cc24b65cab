//! Completion: the analysis says what is being written at the cursor
//! ([`Analysis::completion_at`]); the candidates are the workspace's references, claims and
//! the formats' fields, each with what a writer needs to pick it.

use lsp_types as lsp;

use super::{Server, convert};
use crate::analysis::{Analysis, Context};
use crate::format::{self, FieldSpec};

/// Most candidates sent at once: a client filters as more is typed, and asks again.
const MAX_ITEMS: usize = 200;

fn item(
    label: String,
    detail: String,
    kind: lsp::CompletionItemKind,
    edit: lsp::Range,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.clone(),
        kind: Some(kind),
        detail: Some(detail),
        filter_text: Some(label.clone()),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: edit,
            new_text: label,
        })),
        ..Default::default()
    }
}

fn fields<F: Copy>(spec: &'static [FieldSpec<F>], edit: lsp::Range) -> Vec<lsp::CompletionItem> {
    spec.iter()
        .map(|f| lsp::CompletionItem {
            documentation: Some(lsp::Documentation::String(f.doc.to_owned())),
            ..item(
                f.name.to_owned(),
                f.kind.describe().to_owned(),
                lsp::CompletionItemKind::FIELD,
                edit,
            )
        })
        .collect()
}

pub(super) fn completion(
    server: &Server,
    analysis: &Analysis,
    params: &lsp::CompletionParams,
) -> Option<lsp::CompletionResponse> {
    let (file, offset) = convert::current_offset(server, analysis, &params.text_document_position)?;
    let completion = analysis.completion_at(file, offset)?;
    let edit = convert::current_range(server, analysis, completion.replace);
    let typed = analysis
        .source(file)?
        .text
        .get(completion.replace.range())
        .unwrap_or("")
        .to_lowercase();
    let matches = |label: &str| label.to_lowercase().contains(&typed);
    let mut items: Vec<lsp::CompletionItem> = match completion.context {
        Context::CitationKey | Context::Source => {
            let graph = analysis.graph();
            analysis
                .corpus()
                .references
                .iter()
                .enumerate()
                // Only the first of a duplicated id is cited.
                .filter(|(i, r)| graph.reference_index(&r.id.value) == Some(*i))
                .filter(|(_, r)| matches(&r.id.value))
                .map(|(_, r)| {
                    let detail = format!(
                        "{}: {}",
                        r.author_date(),
                        crate::sanitize::one_line(&r.title.value, 120)
                    );
                    item(
                        r.id.value.clone(),
                        detail,
                        lsp::CompletionItemKind::REFERENCE,
                        edit,
                    )
                })
                .collect()
        }
        Context::Claim => {
            let mut items = Vec::new();
            for map in analysis.maps() {
                let own = map.file == file;
                for claim in &map.claims {
                    let label = match own {
                        true => claim.id.value.clone(),
                        false => format!("{}:{}", map.name, claim.id.value),
                    };
                    if matches(&label) {
                        let detail = crate::sanitize::one_line(claim.text(), 120);
                        items.push(item(label, detail, lsp::CompletionItemKind::VALUE, edit));
                    }
                }
            }
            // The map's own claims first.
            items.sort_by_key(|i| i.label.contains(':'));
            items
        }
        Context::MapField => fields(format::MAP.fields, edit),
        Context::ClaimField => fields(format::CLAIM.fields, edit),
        Context::ReferenceField => crate::csl::variables()
            .chain(["id", "type"])
            .map(|v| {
                let detail = "CSL variable".to_owned();
                item(v.to_owned(), detail, lsp::CompletionItemKind::FIELD, edit)
            })
            .collect(),
    };
    items.retain(|i| matches(&i.label));
    let complete = items.len() <= MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: !complete,
        items,
    }))
}
