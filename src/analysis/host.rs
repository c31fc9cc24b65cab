//! The host: a workspace, what is kept from one analysis to the next, and the DOI cache
//! verdicts are read from. Changes go in (`set_text`, `close`, `refresh`); snapshots come
//! out ([`AnalysisHost::analysis`]), each immutable and whole.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use super::{Analysis, LastGood, merge_resolution};
use crate::config::Levels;
use crate::graph::{Graph, GraphIndex};
use crate::load::{LoadError, Loaded};
use crate::resolve::{self, Cache};
use crate::rules;
use crate::workspace::Workspace;

/// The DOI cache verdicts are read from, as last read, and the file's state then: read
/// again when the file changes.
#[derive(Debug)]
struct DoiCache {
    options: resolve::Options,
    cache: Cache,
    read: Option<(u64, Option<SystemTime>)>,
}

impl DoiCache {
    fn state(options: &resolve::Options) -> Option<(u64, Option<SystemTime>)> {
        let meta = std::fs::metadata(options.cache.as_deref()?).ok()?;
        Some((meta.len(), meta.modified().ok()))
    }

    /// The cache `options.cache` names, read; `None` when it names none.
    fn new(options: resolve::Options) -> Option<DoiCache> {
        let read = DoiCache::state(&options);
        // A cache that cannot be read is an empty one: no verdict, and no warning here (a
        // run with `--online` says why, and replaces it).
        let cache = Cache::load(options.cache.as_deref()?).0;
        Some(DoiCache {
            options,
            cache,
            read,
        })
    }

    /// The cache as the file is now (read again when it changed).
    fn current(&mut self) -> &Cache {
        let now = DoiCache::state(&self.options);
        if now != self.read
            && let Some(fresh) = DoiCache::new(self.options.clone())
        {
            *self = fresh;
        }
        &self.cache
    }
}

/// Owns a workspace and makes its analyses. See the module docs.
#[derive(Debug, Default)]
pub struct AnalysisHost {
    workspace: Workspace,
    /// The citation rules' findings of the last analysis, by each map's revision.
    kept: rules::Kept,
    /// Where DOI verdicts come from: a cache, never the network.
    dois: Option<DoiCache>,
}

impl AnalysisHost {
    /// A host with no ROOT: files come only from [`AnalysisHost::set_text`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The host of ROOT, every file read and parsed. Fails as [`Workspace::open`] does.
    pub fn open(root: &Path) -> Result<Self, LoadError> {
        Ok(AnalysisHost {
            workspace: Workspace::open(root)?,
            ..AnalysisHost::default()
        })
    }

    /// The workspace: the files as they are now.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// Sets a file's text from memory (an editor's buffer); see [`Workspace::set_text`].
    pub fn set_text(&mut self, path: &str, text: impl Into<Vec<u8>>) -> bool {
        self.workspace.set_text(path, text)
    }

    /// Forgets a file set from memory; see [`Workspace::close`].
    pub fn close(&mut self, path: &str) {
        self.workspace.close(path);
    }

    /// Looks at ROOT again; see [`Workspace::refresh`].
    pub fn refresh(&mut self) -> Result<usize, LoadError> {
        self.workspace.refresh()
    }

    /// Levels set on the command line; see [`Workspace::set_overrides`].
    pub fn set_overrides(&mut self, overrides: Levels) {
        self.workspace.set_overrides(overrides);
    }

    /// Reads DOI verdicts from the cache `options` name (`options.cache`), read again
    /// whenever the file changes, with `options`' services and maximum age. The network is
    /// never asked.
    pub fn read_dois_from(&mut self, options: resolve::Options) {
        self.dois = DoiCache::new(options);
    }

    /// How many maps the last analysis checked for citations (the others' findings were
    /// kept): a window on the keeping, for tests and benchmarks.
    pub fn citations_checked(&self) -> usize {
        self.kept.maps_checked()
    }

    /// A snapshot of the workspace as it is now: loading, the offline rules (reusing the
    /// citation findings of the maps that did not change), and DOI verdicts from the
    /// cache when one is set.
    pub fn analysis(&mut self) -> Analysis {
        let workspace = &self.workspace;
        let (corpus, mut diagnostics) = workspace.assemble();
        let levels = workspace.levels();
        let index = GraphIndex::new(&corpus);
        let graph = Graph::of(&corpus, &index);
        self.kept = rules::check_keeping(&graph, &levels, &self.kept, &mut diagnostics);
        let resolution = self.dois.as_mut().map(|dois| {
            let options = dois.options.clone();
            resolve::from_cache(&graph, dois.current(), &options)
        });
        if let Some(resolution) = &resolution {
            diagnostics = merge_resolution(&corpus, diagnostics, resolution);
        }
        let mut analysis = Analysis::finish(corpus, index, diagnostics, resolution, &levels);
        analysis.last_good = workspace
            .last_good()
            .filter_map(|parsed| match &parsed.loaded {
                Loaded::Map(map) => Some(LastGood {
                    source: Arc::clone(&parsed.source),
                    map: Arc::clone(map),
                }),
                _ => None,
            })
            .collect();
        analysis
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::load;

    const REFS: &str = "references:\n  - {id: src, type: book, title: S}\n";

    /// Both workspaces given the same edit, the one that keeps findings between analyses
    /// must find what the one that does not finds.
    fn same_findings(kept: &mut AnalysisHost, fresh: &mut Workspace, path: &str, text: &str) {
        kept.set_text(path, text);
        fresh.set_text(path, text);
        let (a, b) = (kept.analysis(), Analysis::offline(fresh));
        assert_eq!(
            a.diagnostics,
            b.diagnostics,
            "after setting {path} to {:?}",
            &text[..text.len().min(80)]
        );
    }

    #[test]
    fn kept_findings_are_those_of_a_fresh_analysis_after_every_kind_of_change() {
        let mut kept = AnalysisHost::new();
        let mut fresh = Workspace::new();
        let map = |name: &str, body: &str| {
            format!("title: {name}\nsource: src\nclaims:\n  - id: x\n    text: {body}\n")
        };
        let (a, b, refs) = ("arguments/a.yaml", "arguments/b.yaml", "references/r.yaml");
        let steps = [
            (
                refs,
                "references:\n  - {id: src, type: book, title: S, page: 10-20}\n".to_owned(),
            ),
            (a, map("a", "A [@src, p. 5] [@sr]")),
            (b, map("b", "B [@src, p. 15] [@nowhere]")),
            // A map changes: its findings change, the other's are kept.
            (a, map("a", "A [@src, p. 12]")),
            // The pages change: an unchanged map's locator is now out of range.
            (
                refs,
                "references:\n  - {id: src, type: book, title: S, page: 1-9}\n".to_owned(),
            ),
            // A references file read in part may define the ids it names: `@nowhere` is
            // no longer unknown...
            (
                "references/s.yaml",
                "references:\n  - id: nowhere\n    title: [\n".to_owned(),
            ),
            // ...and one with nothing read may define anything: nor is `@sr`.
            (a, map("a", "A [@src, p. 2] [@sr]")),
            // (too large to read)
            (
                "references/t.yaml",
                " ".repeat(load::MAX_FILE_BYTES as usize + 1),
            ),
            (
                "references/t.yaml",
                "references:\n  - {id: other, type: book, title: O}\n".to_owned(),
            ),
            // An id appears in a file read in full.
            (
                "references/s.yaml",
                "references:\n  - {id: nowhere, type: book, title: N}\n".to_owned(),
            ),
            // The reference list's own findings (an id twice, DOIs), kept while the
            // reference files are, found again when one changes.
            (
                "references/t.yaml",
                "references:\n  - {id: src, type: book, title: O, DOI: 'doi:10.1/x'}\n  - {id: d, type: book, title: D, DOI: nodoi}\n".to_owned(),
            ),
            (a, map("a", "A [@src, p. 3] [@d]")),
            (
                "references/t.yaml",
                "references:\n  - {id: d, type: book, title: D, DOI: 10.1/x}\n".to_owned(),
            ),
            (b, map("b", "B [@d]")),
        ];
        for (path, text) in &steps {
            same_findings(&mut kept, &mut fresh, path, text);
        }
        // The levels change: an unchanged map's locators are no longer checked, then again.
        let mut off = Levels::default();
        off.set(crate::rule::Rule::LocatorOutOfRange, config::Level::Off);
        for (levels, path, body) in [(off, b, "B [@src, p. 15]"), (Levels::default(), a, "A")] {
            kept.set_overrides(levels.clone());
            fresh.set_overrides(levels);
            same_findings(&mut kept, &mut fresh, path, &map(&path[10..11], body));
        }
        // A second analysis of the same files, from what was kept, finds the same, and
        // checks no map again.
        let again = kept.analysis();
        assert_eq!(kept.citations_checked(), 0);
        assert_eq!(again.diagnostics, Analysis::offline(&fresh).diagnostics);
        assert!(
            again
                .diagnostics
                .iter()
                .any(|d| d.rule == crate::rule::Rule::LocatorOutOfRange),
            "the check is not vacuous: {:?}",
            again.diagnostics
        );
        // One map changed: it alone is checked again, the other's findings are kept.
        same_findings(&mut kept, &mut fresh, a, &map("a", "A [@src, p. 4]"));
        assert_eq!(kept.citations_checked(), 1);
        // The references changed: every map is checked again.
        let refs_again = "references:\n  - {id: src, type: book, title: S, page: 1-8}\n";
        same_findings(&mut kept, &mut fresh, refs, refs_again);
        assert_eq!(kept.citations_checked(), 2);
    }

    #[test]
    fn kept_reference_findings_are_found_again_when_a_reference_file_changes() {
        let mut kept = AnalysisHost::new();
        let mut fresh = Workspace::new();
        let body = |doi: &str| {
            format!(
                "references:\n  - {{id: src, type: book, title: S, DOI: '{doi}'}}\n  - {{id: src, type: book, title: T}}\n"
            )
        };
        let map = "title: m\nsource: src\nclaims:\n  - id: x\n    text: X [@src]\n";
        same_findings(&mut kept, &mut fresh, "arguments/m.yaml", map);
        for (path, text) in [
            ("references/r.yaml", body("doi:10.1/x")),
            (
                "arguments/m.yaml",
                format!("{map}  - id: y\n    text: Y [@src]\n"),
            ),
            ("references/r.yaml", body("not a doi")),
            ("references/r.yaml", body("10.1/x")),
        ] {
            same_findings(&mut kept, &mut fresh, path, &text);
            let found = kept.analysis().diagnostics;
            assert!(
                found
                    .iter()
                    .any(|d| d.rule == crate::rule::Rule::DuplicateReferenceId),
                "{found:?}"
            );
        }
    }

    /// A map of claims `p{i}`, `m{i}`, `q{i}` for each `i` below `n`, where `p` supports `m`,
    /// `m` supports `q`, and `p` attacks `q`: `n` contradictions.
    fn contradicting(name: &str, n: usize, extra: &str) -> String {
        let mut map = format!("title: {name}\nsource: src\nclaims:\n");
        for i in 0..n {
            map.push_str(&format!(
                "  - id: p{i}\n    text: P [@src]\n    supports: [m{i}]\n    attacks: [q{i}]\n\
                 \x20 - id: m{i}\n    text: M [@src]\n    supports: [q{i}]\n\
                 \x20 - id: q{i}\n    text: Q [@src]\n"
            ));
        }
        map.push_str(extra);
        map
    }

    #[test]
    fn kept_link_findings_are_those_of_a_fresh_analysis_after_every_kind_of_change() {
        let mut kept = AnalysisHost::new();
        let mut fresh = Workspace::new();
        let (a, b, c) = ("arguments/a.yaml", "arguments/b.yaml", "arguments/c.yaml");
        let cycle = "  - id: x\n    text: X [@src]\n    supports: [y]\n\
                     \x20 - id: y\n    text: Y [@src]\n    supports: [x]\n\
                     \x20 - id: lone\n    text: L [@src]\n\
                     \x20 - id: lone\n    text: again [@src]\n";
        let link_to_b = "  - id: z\n    text: Z [@src]\n    supports: [b:q0]\n";
        let steps: Vec<(&str, String, usize)> = vec![
            ("references/r.yaml", REFS.to_owned(), 0),
            // A map comes (or goes): every map is read again.
            (a, contradicting("a", 2, cycle), 1),
            (b, contradicting("b", 1, ""), 2),
            (c, contradicting("c", 1, ""), 3),
            // A change to one map reads that map alone.
            (b, contradicting("b", 2, ""), 1),
            // A link across maps: the map that has it...
            (c, contradicting("c", 1, link_to_b), 1),
            // ...is read again when the map it names changes (the claim may be gone).
            (b, contradicting("b", 3, ""), 2),
            (
                b,
                contradicting("b", 0, "  - id: q0\n    text: Q [@src]\n"),
                2,
            ),
            // A cycle and contradictions through both maps, and their end.
            (
                b,
                contradicting(
                    "b",
                    1,
                    "  - id: back\n    text: B [@src]\n    supports: [c:z]\n    attacks: [c:p0]\n",
                ),
                2,
            ),
            (
                c,
                contradicting(
                    "c",
                    1,
                    "  - id: z\n    text: Z [@src]\n    supports: [b:q0, p0]\n  - id: w\n    text: W [@src]\n    supports: [b:back]\n    attacks: [b:q0]\n",
                ),
                2,
            ),
            (a, contradicting("a", 3, cycle), 1),
            (b, contradicting("b", 1, ""), 2),
            // The link gone, the map stands alone again.
            (c, contradicting("c", 1, ""), 1),
            (b, contradicting("b", 2, ""), 1),
            // A link that names nothing.
            (
                a,
                contradicting(
                    "a",
                    3,
                    "  - id: d\n    text: D [@src]\n    supports: [nowhere]\n",
                ),
                1,
            ),
            // More findings than show their chain: the whole graph is searched again.
            (b, contradicting("b", 199, ""), 1),
            (c, contradicting("c", 2, ""), 1),
            // Fewer again.
            (b, contradicting("b", 1, ""), 1),
            (c, contradicting("c", 3, ""), 1),
        ];
        for (path, text, _) in &steps {
            same_findings(&mut kept, &mut fresh, path, text);
        }
        let found = kept.analysis().diagnostics;
        for rule in [
            crate::rule::Rule::ContradictoryLinks,
            crate::rule::Rule::DanglingLink,
        ] {
            assert!(
                found.iter().any(|d| d.rule == rule),
                "the check is not vacuous: {rule:?}"
            );
        }
        // The levels change: every map is checked again, with the rule off.
        let mut off = Levels::default();
        off.set(crate::rule::Rule::ContradictoryLinks, config::Level::Off);
        kept.set_overrides(off.clone());
        fresh.set_overrides(off);
        same_findings(&mut kept, &mut fresh, c, &contradicting("c", 2, ""));
    }

    /// A map of generated claims: each `(id, kind, supports, attacks)`, a link naming a
    /// claim of this map, of another, or of none.
    fn generated_map(name: &str, claims: &[(u8, u8, Vec<u8>, Vec<u8>)]) -> String {
        let target = |t: u8| match t % 9 {
            0..=3 => format!("c{}", t % 7),
            4..=7 => format!("m{}:c{}", t % 3, t % 5),
            _ => "gone:c0".to_owned(),
        };
        let mut map = format!("title: {name}\nsource: src\nclaims:\n");
        for (id, kind, supports, attacks) in claims {
            // Ids repeat now and then (c0..c5 for six claims at most, drawn from seven).
            map.push_str(&format!("  - id: c{}\n    text: T [@src]\n", id % 7));
            if kind % 8 == 0 {
                map.push_str("    kind: framing\n");
            }
            for (field, links) in [("supports", supports), ("attacks", attacks)] {
                if !links.is_empty() {
                    let names: Vec<String> = links.iter().map(|&t| target(t)).collect();
                    map.push_str(&format!("    {field}: [{}]\n", names.join(", ")));
                }
            }
        }
        map
    }

    type Claims = Vec<(u8, u8, Vec<u8>, Vec<u8>)>;

    fn claims() -> impl proptest::strategy::Strategy<Value = Claims> {
        use proptest::collection::vec;
        vec(
            (0u8..7, 0u8..16, vec(0u8..64, 0..4), vec(0u8..64, 0..3)),
            1..7,
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Maps linked every way (within and across maps, cycles, contradictions, framing,
        /// duplicates, links that name nothing), changed one at a time, removed and added
        /// back: the workspace that keeps findings finds what a fresh one finds each time.
        #[test]
        fn kept_link_findings_are_those_of_a_fresh_analysis_through_random_changes(
            first in proptest::collection::vec(claims(), 3),
            edits in proptest::collection::vec((0usize..3, 0u8..8, claims()), 1..8),
        ) {
            let mut kept = AnalysisHost::new();
            let mut fresh = Workspace::new();
            same_findings(&mut kept, &mut fresh, "references/r.yaml", REFS);
            for (i, claims) in first.iter().enumerate() {
                let name = format!("m{i}");
                let path = format!("arguments/{name}.yaml");
                same_findings(&mut kept, &mut fresh, &path, &generated_map(&name, claims));
            }
            for (i, how, claims) in edits {
                let name = format!("m{i}");
                let path = format!("arguments/{name}.yaml");
                if how == 0 {
                    kept.close(&path);
                    fresh.close(&path);
                    let (a, b) = (kept.analysis(), Analysis::offline(&fresh));
                    proptest::prop_assert_eq!(a.diagnostics, b.diagnostics);
                } else {
                    same_findings(&mut kept, &mut fresh, &path, &generated_map(&name, &claims));
                }
            }
        }
    }

    /// A chain of supports through three maps carries a contradiction; a change to the map
    /// in its middle breaks the chain at a link that leaves that map. The maps at the
    /// chain's ends are neither changed nor linked to the changed map (they are kept), and
    /// the contradiction found before must go.
    #[test]
    fn a_chain_broken_in_a_map_between_two_kept_maps_loses_its_contradiction() {
        let mut kept = AnalysisHost::new();
        let mut fresh = Workspace::new();
        same_findings(&mut kept, &mut fresh, "references/r.yaml", REFS);
        let claim = |id: &str, links: &str| format!("  - id: {id}\n    text: T [@src]\n{links}");
        let map = |name: &str, claims: &[String]| {
            format!("title: {name}\nsource: src\nclaims:\n{}", claims.concat())
        };
        // b:p supports y:y, which supports a:a, which supports b:x, which supports b:q; and
        // b:p attacks b:q.
        let b = map(
            "b",
            &[
                claim("p", "    supports: [y:y]\n    attacks: [q]\n"),
                claim("x", "    supports: [q]\n"),
                claim("q", ""),
            ],
        );
        let y = map(
            "y",
            &[
                claim("y", "    supports: [a:a]\n"),
                claim("z", "    supports: [y]\n"),
            ],
        );
        let linked = map(
            "a",
            &[
                claim("a", "    supports: [b:x]\n"),
                claim("c", "    supports: [a]\n"),
            ],
        );
        let apart = map("a", &[claim("a", ""), claim("c", "    supports: [a]\n")]);
        same_findings(&mut kept, &mut fresh, "arguments/b.yaml", &b);
        same_findings(&mut kept, &mut fresh, "arguments/y.yaml", &y);
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &linked);
        let found = kept.analysis().diagnostics;
        assert!(
            found
                .iter()
                .any(|d| d.rule == crate::rule::Rule::ContradictoryLinks)
        );
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &apart);
        let found = kept.analysis().diagnostics;
        assert!(
            !found
                .iter()
                .any(|d| d.rule == crate::rule::Rule::ContradictoryLinks)
        );
        same_findings(&mut kept, &mut fresh, "arguments/a.yaml", &linked);
    }

    /// The generated maps above do meet every link rule that depends on other maps.
    #[test]
    fn generated_maps_meet_the_rules_that_span_maps() {
        let mut ws = Workspace::new();
        ws.set_text("references/r.yaml", REFS);
        // c0 → c2 → c1 → c0 in supports, c2 attacks c0, c3 frames, c4 names nothing.
        let claims: Claims = vec![
            (0, 1, vec![2], vec![]),
            (1, 1, vec![0], vec![]),
            (2, 1, vec![1], vec![0]),
            (3, 0, vec![0], vec![]),
            (4, 1, vec![8], vec![5]),
        ];
        for i in 0..3 {
            ws.set_text(
                &format!("arguments/m{i}.yaml"),
                generated_map(&format!("m{i}"), &claims),
            );
        }
        let found = crate::Analysis::offline(&ws).diagnostics;
        for rule in [
            crate::rule::Rule::CircularSupport,
            crate::rule::Rule::ContradictoryLinks,
            crate::rule::Rule::DanglingLink,
            crate::rule::Rule::FramingLink,
        ] {
            assert!(found.iter().any(|d| d.rule == rule), "{rule:?}: {found:#?}");
        }
    }
}
