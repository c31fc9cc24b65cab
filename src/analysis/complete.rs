//! What may be written at a position: the context an editor completes in (a citation key
//! after `@`, a claim in `supports:`/`attacks:`, a reference id in `source:`, a field name),
//! read from the line being written, which is often not valid YAML yet, and the candidates
//! of that context from the analysis.

use super::{Analysis, ClaimAt};
use crate::load::FileKind;
use crate::source::{FileId, Span};

/// What is being written at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A citation key after `@` (in a claim's `text` or `cites`).
    CitationKey,
    /// A claim in a `supports:` or `attacks:` list: `id` or `map:id`.
    Claim,
    /// A reference id as a map's `source:`.
    Source,
    /// A key of a map's top level.
    MapField,
    /// A key of a claim.
    ClaimField,
    /// A key of a reference (a CSL variable).
    ReferenceField,
}

/// A completion's context and the text it replaces (what is typed of the word so far).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What is being written.
    pub context: Context,
    /// The word typed so far, which a candidate replaces.
    pub replace: Span,
}

fn key_char(c: char) -> bool {
    c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c)
}

fn id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == ':'
}

/// The key of a `key: value` line (`supports` of `    supports: [a, b`), if it is one.
fn key_of(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = line.split_once(':')?;
    key.chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        .then_some(key)
}

impl Analysis {
    /// What may be written at byte `offset` of `file`, in its text as it is now (which
    /// may not parse: the candidates then come from its last good parse).
    pub fn completion_at(&self, file: FileId, offset: usize) -> Option<Completion> {
        let source = self.source(file)?;
        let kind = FileKind::of_path(&source.path)?;
        let text = &source.text;
        let offset = offset.min(text.len());
        if !text.is_char_boundary(offset) {
            return None;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..offset];
        let word_start = |keep: fn(char) -> bool| {
            let typed: usize = before
                .chars()
                .rev()
                .take_while(|&c| keep(c))
                .map(char::len_utf8)
                .sum();
            offset - typed
        };
        let span = |start: usize| Span::new(file, start, offset);
        let completion = |context, start| {
            Some(Completion {
                context,
                replace: span(start),
            })
        };
        if kind == FileKind::Map {
            // A citation key: `@` and key characters (or `@{` and anything but `}`).
            let key_start = word_start(key_char);
            if key_start > line_start && text[..key_start].ends_with('@') {
                return completion(Context::CitationKey, key_start);
            }
            if let Some(brace) = before.rfind("@{")
                && !before[brace..].contains('}')
            {
                return completion(Context::CitationKey, line_start + brace + 2);
            }
            let word = word_start(id_char);
            let in_list = |key: &str| key == "supports" || key == "attacks";
            match key_of(before) {
                // `supports: [a, b` or `supports: b`: after the colon.
                Some(key) if in_list(key) && before.contains(':') => {
                    return completion(Context::Claim, word);
                }
                Some("source") => return completion(Context::Source, word),
                _ => {}
            }
            // An item of a block list under `supports:`: the nearest key line above.
            if before.trim_start().starts_with("- ") && !before.contains(':') {
                let indent = before.len() - before.trim_start().len();
                let above = text[..line_start].lines().rev().find(|l| {
                    let i = l.len() - l.trim_start().len();
                    !l.trim().is_empty() && (i < indent || !l.trim_start().starts_with("- "))
                });
                if let Some(key) = above.and_then(key_of)
                    && in_list(key)
                {
                    return completion(Context::Claim, word);
                }
            }
        }
        // A key being typed: the line holds only it (after its indentation or `- `).
        let trimmed = before.trim_start().trim_start_matches("- ");
        if trimmed
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            let indent = before.len() - before.trim_start().len();
            let context = match kind {
                FileKind::References => Context::ReferenceField,
                FileKind::Map if indent == 0 && !before.trim_start().starts_with("- ") => {
                    Context::MapField
                }
                FileKind::Map => Context::ClaimField,
            };
            return completion(context, offset - trimmed.len());
        }
        None
    }

    /// The claim of a map file at byte `offset`: the last claim whose mapping starts
    /// before it.
    pub fn claim_around(&self, file: FileId, offset: usize) -> Option<ClaimAt> {
        let (mi, map) = self
            .maps()
            .enumerate()
            .filter(|(_, m)| m.file == file)
            .last()?;
        let ci = map
            .claims
            .iter()
            .rposition(|c| c.span.start as usize <= offset)?;
        Some(ClaimAt {
            map: mi as u32,
            claim: ci as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalysisHost;

    fn context_at(path: &str, text: &str, cursor: &str) -> Option<(Context, String)> {
        let mut host = AnalysisHost::new();
        let at = text.find(cursor).expect("the cursor mark") + cursor.len();
        host.set_text(path, text);
        let analysis = host.analysis();
        let file = analysis.file_id(path).unwrap();
        let found = analysis.completion_at(file, at)?;
        Some((found.context, text[found.replace.range()].to_owned()))
    }

    #[test]
    fn the_context_is_read_from_the_line_being_written() {
        let map = "title: m\nsource: so\nclaims:\n  - id: a\n    text: Trade [@yu\n    supports: [b, ma\n  - id: b\n    te\n    cites: [\"@{odd\"]\n    attacks:\n      - ot\n";
        let at = |cursor| context_at("arguments/m.yaml", map, cursor);
        assert_eq!(at("[@yu"), Some((Context::CitationKey, "yu".into())));
        assert_eq!(at("[b, ma"), Some((Context::Claim, "ma".into())));
        assert_eq!(at("source: so"), Some((Context::Source, "so".into())));
        assert_eq!(at("\n    te"), Some((Context::ClaimField, "te".into())));
        assert_eq!(at("@{odd"), Some((Context::CitationKey, "odd".into())));
        assert_eq!(at("- ot"), Some((Context::Claim, "ot".into())));
        assert_eq!(at("titl"), Some((Context::MapField, "titl".into())));
        assert_eq!(at("Trade"), None, "prose is no context");
        let refs = "references:\n  - id: x\n    tit\n";
        assert_eq!(
            context_at("references/r.yaml", refs, "tit"),
            Some((Context::ReferenceField, "tit".into()))
        );
    }
}
