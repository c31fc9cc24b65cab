//! The order findings are reported in: by file path, then position, then rule name, then
//! message, so that output is stable. Findings may be many (one per citation of a large
//! corpus) and each is large, so they are sorted by small keys and moved once; and
//! findings that are already in order (each map's citation findings, sorted when they are
//! found and kept sorted between analyses) are merged with the others, not sorted again.

use std::borrow::Cow;
use std::cmp::Ordering;

use strum::IntoEnumIterator;

use crate::diagnostic::Diagnostic;
use crate::rule::Rule;
use crate::source::{FileId, Sources};

/// Each file's rank among the paths of a run, by file id.
#[derive(Debug)]
pub struct Ranks {
    by_file: Vec<u32>,
}

impl Ranks {
    /// The ranks of every file of `sources`.
    pub fn of(sources: &Sources) -> Ranks {
        let mut files: Vec<(FileId, &str)> = sources
            .iter()
            .map(|(id, file)| (id, file.path.as_str()))
            .collect();
        files.sort_unstable_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
        let len = files
            .iter()
            .map(|(id, _)| id.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let mut by_file = vec![u32::MAX; len];
        for (rank, (id, _)) in files.into_iter().enumerate() {
            by_file[id.0 as usize] = rank as u32;
        }
        Ranks { by_file }
    }

    fn rank(&self, file: FileId) -> u32 {
        self.by_file
            .get(file.0 as usize)
            .copied()
            .unwrap_or(u32::MAX)
    }

    /// The report order of two findings.
    pub fn cmp(&self, a: &Diagnostic, b: &Diagnostic) -> Ordering {
        let (fa, fb) = (a.primary.span.file, b.primary.span.file);
        self.rank(fa)
            .cmp(&self.rank(fb))
            .then_with(|| cmp_in_file(a, b))
    }
}

/// The report order of two findings of one file: by position, rule name, message.
pub fn cmp_in_file(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    let ranks = rule_ranks();
    let key = |d: &Diagnostic| (d.primary.span.start, ranks[d.rule as usize]);
    key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
}

/// Sorts findings into report order; findings that compare equal keep their order.
/// Small keys (each file's rank, each rule's) are sorted side by side, and each finding is
/// then swapped into its place, in the vector itself.
pub fn sort(sources: &Sources, diagnostics: &mut [Diagnostic]) {
    sort_ranked(&Ranks::of(sources), diagnostics);
}

/// [`sort`], with the files' ranks at hand.
pub fn sort_ranked(ranks: &Ranks, diagnostics: &mut [Diagnostic]) {
    use rayon::prelude::*;
    let rule_rank = rule_ranks();
    let mut keys: Vec<(u32, u32, u8, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let span = d.primary.span;
            (
                ranks.rank(span.file),
                span.start,
                rule_rank[d.rule as usize],
                i as u32,
            )
        })
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| {
                diagnostics[a.3 as usize]
                    .message
                    .cmp(&diagnostics[b.3 as usize].message)
            })
            .then(a.3.cmp(&b.3))
    });
    // Each finding is moved into its place in the vector itself (following the cycles of the
    // permutation), so no second vector of findings is allocated; those already in place
    // are not touched.
    let order: Vec<u32> = keys.into_iter().map(|k| k.3).collect();
    let mut placed = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            diagnostics.swap(at, from);
            at = from;
        }
    }
}

/// Two vectors of findings, each in report order, as one.
pub fn merge_sorted(ranks: &Ranks, a: Vec<Diagnostic>, b: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    merge(ranks, b, vec![Cow::Owned(a)], &mut out);
    out
}

/// Appends to `out`, in report order, the findings of `loose` (in report order) and those
/// of `runs`: each run is one file's findings (`(file, findings)`) in report order, and no
/// two runs are of the same file. Owned findings are moved; borrowed ones (a workspace's
/// kept findings) are copied, side by side.
pub fn merge_files(
    ranks: &Ranks,
    loose: Vec<Diagnostic>,
    mut runs: Vec<(FileId, Cow<'_, [Diagnostic]>)>,
    out: &mut Vec<Diagnostic>,
) {
    runs.sort_by_key(|(file, _)| ranks.rank(*file));
    debug_assert!(runs.windows(2).all(|w| w[0].0 != w[1].0), "one run a file");
    debug_assert!(
        runs.iter()
            .all(|(file, run)| run.iter().all(|d| d.primary.span.file == *file)),
        "a run holds its file's findings alone"
    );
    merge(
        ranks,
        loose,
        runs.into_iter().map(|(_, run)| run).collect(),
        out,
    );
}

/// Which of the two inputs of a merge the next findings come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Loose,
    Runs,
}

/// Appends to `out` the findings of `loose` and of `runs` in report order: `loose` is in
/// report order, and so are the runs one after the other.
fn merge(
    ranks: &Ranks,
    loose: Vec<Diagnostic>,
    runs: Vec<Cow<'_, [Diagnostic]>>,
    out: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let stretches = {
        let slices: Vec<&[Diagnostic]> = runs.iter().map(|run| &**run).collect();
        stretches(ranks, &loose, &slices)
    };
    out.reserve(loose.len() + runs.iter().map(|run| run.len()).sum::<usize>());
    if runs.iter().all(|run| matches!(run, Cow::Owned(_))) {
        let mut loose = loose.into_iter();
        let mut runs = runs.into_iter().flat_map(Cow::into_owned);
        for (side, n) in stretches {
            match side {
                Side::Loose => out.extend(loose.by_ref().take(n)),
                Side::Runs => out.extend(runs.by_ref().take(n)),
            }
        }
    } else {
        let (mut loose, mut runs) = (loose.iter(), runs.iter().flat_map(|run| run.iter()));
        let mut order: Vec<&Diagnostic> = Vec::with_capacity(out.capacity() - out.len());
        for (side, n) in stretches {
            match side {
                Side::Loose => order.extend(loose.by_ref().take(n)),
                Side::Runs => order.extend(runs.by_ref().take(n)),
            }
        }
        out.par_extend(order.par_iter().map(|d| (*d).clone()));
    }
}

/// The merge of `loose` and `runs` as alternating stretches: so many findings from one,
/// then so many from the other. A finding of the runs goes before an equal one of `loose`.
/// Each loose finding's place among the runs' is found by binary search (first among the
/// runs, by their last findings, then in one run): loose findings are few and the runs'
/// many, so a merge touches few of the runs' findings (a workspace's re-analysis merges a
/// handful of fresh findings into tens of thousands it kept).
fn stretches(ranks: &Ranks, loose: &[Diagnostic], runs: &[&[Diagnostic]]) -> Vec<(Side, usize)> {
    let mut stretches: Vec<(Side, usize)> = Vec::new();
    let mut take = |side: Side, n: usize| match stretches.last_mut() {
        Some((last, count)) if *last == side => *count += n,
        _ if n == 0 => {}
        _ => stretches.push((side, n)),
    };
    let runs: Vec<&[Diagnostic]> = runs.iter().copied().filter(|r| !r.is_empty()).collect();
    // How many of the runs' findings come before each run.
    let mut before = Vec::with_capacity(runs.len() + 1);
    let mut total = 0;
    for run in &runs {
        before.push(total);
        total += run.len();
    }
    before.push(total);
    let mut taken = 0;
    for d in loose {
        let not_after = |r: &Diagnostic| ranks.cmp(r, d) != Ordering::Greater;
        let whole = runs.partition_point(|run| not_after(run.last().expect("not empty")));
        let place = before[whole]
            + runs
                .get(whole)
                .map_or(0, |run| run.partition_point(not_after));
        take(Side::Runs, place - taken);
        taken = place;
        take(Side::Loose, 1);
    }
    take(Side::Runs, total - taken);
    stretches
}

/// Each rule's place among the rules' names in alphabetical order, by the rule's index.
fn rule_ranks() -> &'static [u8; Rule::COUNT] {
    static RANKS: std::sync::OnceLock<[u8; Rule::COUNT]> = std::sync::OnceLock::new();
    RANKS.get_or_init(|| {
        let mut rules: Vec<Rule> = Rule::iter().collect();
        rules.sort_by_key(|r| r.name());
        let mut ranks = [0u8; Rule::COUNT];
        for (rank, rule) in rules.into_iter().enumerate() {
            ranks[rule as usize] = rank as u8;
        }
        ranks
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::{SourceFile, Span};

    #[test]
    fn findings_sort_by_path_then_place_then_rule_name_then_message() {
        let mut sources = Sources::default();
        // Ids in the opposite order of the paths.
        let z = sources.add(SourceFile::new("z.yaml".into(), "x".repeat(20)));
        let a = sources.add(SourceFile::new("a.yaml".into(), "x".repeat(20)));
        let at = |file, start, rule, message: &'static str| {
            Diagnostic::new(rule, Label::new(Span::new(file, start, start), ""), message)
        };
        let mut found = vec![
            at(z, 0, Rule::Schema, "z"),
            at(a, 9, Rule::Schema, "late"),
            // `yaml-syntax` comes first among the rules, last among their names.
            at(a, 2, Rule::YamlSyntax, "y"),
            at(a, 2, Rule::InvalidUtf8, "i"),
            at(a, 2, Rule::Schema, "second"),
            at(a, 2, Rule::Schema, "first"),
        ];
        sort(&sources, &mut found);
        let order: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["i", "first", "second", "y", "late", "z"]);
    }

    #[test]
    fn a_merge_takes_maximal_stretches_from_each_side() {
        let (sources, ids) = files();
        let ranks = Ranks::of(&sources);
        let at = |start| finding(ids[1], start, 0, 0);
        let (a, b) = (vec![at(1), at(3)], vec![at(2)]);
        let c = vec![at(4), at(5)];
        assert_eq!(
            stretches(&ranks, &a, &[&b, &c]),
            [
                (Side::Loose, 1),
                (Side::Runs, 1),
                (Side::Loose, 1),
                (Side::Runs, 2)
            ],
            "runs one after the other are one stretch"
        );
        assert_eq!(stretches(&ranks, &[], &[&b, &[], &c]), [(Side::Runs, 3)]);
        assert_eq!(stretches(&ranks, &c, &[]), [(Side::Loose, 2)]);
        assert_eq!(
            stretches(&ranks, &b, &[&c]),
            [(Side::Loose, 1), (Side::Runs, 2)]
        );
        assert!(stretches(&ranks, &[], &[]).is_empty());
    }

    /// A finding of `file`, at `start`, of one of a few rules and messages, so that ties on
    /// each key occur.
    fn finding(file: FileId, start: usize, rule: u8, message: u8) -> Diagnostic {
        let rule = [Rule::Schema, Rule::YamlSyntax, Rule::LocatorOutOfRange][rule as usize % 3];
        let message = ["a", "b", "c"][message as usize % 3];
        Diagnostic::new(rule, Label::new(Span::new(file, start, start), ""), message)
    }

    fn files() -> (Sources, Vec<FileId>) {
        let mut sources = Sources::default();
        // Ids in another order than the paths.
        let ids = ["c.yaml", "a.yaml", "d.yaml", "b.yaml"]
            .map(|path| sources.add(SourceFile::new(path.into(), "x".repeat(20))))
            .to_vec();
        (sources, ids)
    }

    type Raw = Vec<(u8, usize, u8, u8)>;

    fn raw() -> impl proptest::strategy::Strategy<Value = Raw> {
        proptest::collection::vec((0u8..4, 0usize..5, 0u8..3, 0u8..3), 0..40)
    }

    fn identities(found: &[Diagnostic]) -> Vec<(FileId, u32, Rule, String)> {
        found
            .iter()
            .map(|d| {
                (
                    d.primary.span.file,
                    d.primary.span.start,
                    d.rule,
                    d.message.to_string(),
                )
            })
            .collect()
    }

    proptest::proptest! {
        /// Runs (each file's findings, sorted) merged with loose findings (sorted) give the
        /// order a sort of them all gives, whether the runs are moved or copied.
        #[test]
        fn merging_runs_gives_the_order_of_a_sort(loose in raw(), in_runs in raw()) {
            let (sources, ids) = files();
            let ranks = Ranks::of(&sources);
            let make = |raw: &Raw| -> Vec<Diagnostic> {
                raw.iter().map(|&(f, s, r, m)| finding(ids[f as usize], s, r, m)).collect()
            };
            let mut loose = make(&loose);
            sort(&sources, &mut loose);
            let runs: Vec<(FileId, Vec<Diagnostic>)> = ids
                .iter()
                .map(|&file| {
                    let mut run: Vec<Diagnostic> = make(&in_runs)
                        .into_iter()
                        .filter(|d| d.primary.span.file == file)
                        .collect();
                    run.sort_by(cmp_in_file);
                    (file, run)
                })
                .collect();
            let mut expected = loose.clone();
            expected.extend(runs.iter().flat_map(|(_, run)| run.iter().cloned()));
            sort(&sources, &mut expected);
            let mut moved = Vec::new();
            let owned = runs.iter().map(|(f, run)| (*f, Cow::Owned(run.clone()))).collect();
            merge_files(&ranks, loose.clone(), owned, &mut moved);
            proptest::prop_assert_eq!(identities(&moved), identities(&expected));
            let mut copied = Vec::new();
            let borrowed = runs.iter().map(|(f, run)| (*f, Cow::Borrowed(&run[..]))).collect();
            merge_files(&ranks, loose.clone(), borrowed, &mut copied);
            proptest::prop_assert_eq!(identities(&copied), identities(&expected));
            // Two sorted vectors.
            let all: Vec<Diagnostic> = runs.into_iter().flat_map(|(_, run)| run).collect();
            let mut all_sorted = all.clone();
            sort(&sources, &mut all_sorted);
            let merged = merge_sorted(&ranks, all_sorted, loose);
            proptest::prop_assert_eq!(identities(&merged), identities(&expected));
        }
    }
}
