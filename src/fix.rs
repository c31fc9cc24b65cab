//! Applying fixes: the edits diagnostics carry, made to the texts of their files.
//!
//! Only what a fix names changes: every other byte of a file stays as it was. The edits of
//! one file are applied from the end backwards, so offsets stay valid; a fix whose edits
//! overlap an earlier fix's is left for the next run (its finding remains, and a second
//! `--fix` applies it). Writing the files is the caller's: this module returns texts.

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::source::{FileId, Sources};

/// The fixed text of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFix {
    /// The file.
    pub file: FileId,
    /// Its path relative to ROOT.
    pub path: String,
    /// Its text before.
    pub before: String,
    /// Its text after the fixes.
    pub after: String,
    /// How many findings the fixes address.
    pub fixed: usize,
}

/// The texts of the files that the fixes of `diagnostics` change, in path order. Safe
/// fixes are applied; unsafe ones too when `unsafe_fixes`.
pub fn apply(sources: &Sources, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Vec<FileFix> {
    // Per file: the chosen fixes' edits, and how many fixes.
    let mut by_file: HashMap<FileId, (Vec<&Edit>, usize)> = HashMap::default();
    for d in diagnostics {
        let chosen = d
            .fixes
            .iter()
            .find(|f| f.applicability == Applicability::Safe || unsafe_fixes);
        let Some(fix) = chosen else { continue };
        let Some(first) = fix.edits.first() else {
            continue;
        };
        // A fix is applied whole or not at all: its edits must lie in one file, within it.
        let file = first.span.file;
        let text = &sources.get(file).text;
        let sound = fix.edits.iter().all(|e| {
            e.span.file == file
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
                && (e.span.end as usize) <= text.len()
        });
        if !sound {
            continue;
        }
        let entry = by_file.entry(file).or_default();
        // Overlapping an edit taken already: left for the next run.
        let overlaps = fix.edits.iter().any(|e| {
            entry.0.iter().any(|t| {
                e.span.start < t.span.end.max(t.span.start + 1)
                    && t.span.start < e.span.end.max(e.span.start + 1)
            })
        });
        if overlaps {
            continue;
        }
        entry.0.extend(fix.edits.iter());
        entry.1 += 1;
    }
    let mut out: Vec<FileFix> = by_file
        .into_iter()
        .map(|(file, (mut edits, fixed))| {
            let source = sources.get(file);
            edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
            let mut after = source.text.clone();
            for e in edits {
                after.replace_range(e.span.range(), &e.replacement);
            }
            FileFix {
                file,
                path: source.path.clone(),
                before: source.text.clone(),
                after,
                fixed,
            }
        })
        .filter(|f| f.before != f.after)
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A unified diff of a fix, as `git diff` shows one (`a/PATH`, `b/PATH`).
pub fn diff(fix: &FileFix) -> String {
    similar::TextDiff::from_lines(&fix.before, &fix.after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{}", fix.path), &format!("b/{}", fix.path))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Label, Rule};
    use crate::source::{SourceFile, Span};

    fn diagnostic(span: Span, replacement: &str, applicability: Applicability) -> Diagnostic {
        Diagnostic::new(Rule::Schema, Label::new(span, ""), "m").with_fix(Fix::replace(
            "t",
            span,
            replacement,
            applicability,
        ))
    }

    #[test]
    fn edits_apply_from_the_end_and_overlaps_wait() {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new(
            "m.yaml".into(),
            "titel: a\nb: doi:10.1/x\n".into(),
        ));
        let ds = [
            diagnostic(Span::new(file, 0, 5), "title", Applicability::Safe),
            diagnostic(Span::new(file, 12, 22), "10.1/x", Applicability::Safe),
            // overlaps the one before: waits for the next run
            diagnostic(Span::new(file, 12, 16), "x", Applicability::Safe),
            diagnostic(Span::new(file, 9, 10), "c", Applicability::Unsafe),
        ];
        let fixes = apply(&sources, &ds, false);
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0].after, "title: a\nb: 10.1/x\n");
        assert_eq!(fixes[0].fixed, 2);
        let with_unsafe = apply(&sources, &ds, true);
        assert_eq!(with_unsafe[0].after, "title: a\nc: 10.1/x\n");
        let d = diff(&fixes[0]);
        assert!(
            d.contains("--- a/m.yaml") && d.contains("-titel: a") && d.contains("+title: a"),
            "{d}"
        );
    }
}
