//! What a change costs: a full check of ROOT, then the re-analysis of the same workspace
//! after one map file changes, by an `AnalysisHost` (a language server's case). Prints both
//! times and their ratio. The file is put back as it was. Each analysis is dropped once
//! timed, as a watcher drops one once it has printed it, before the next change comes: the
//! re-analysis reuses that memory instead of faulting in fresh pages.
//!
//! usage: cargo run --release --example reanalyze -- ROOT [RUNS]

use std::path::Path;
use std::time::{Duration, Instant};

use argmap::AnalysisHost;

// The allocator of the `argmap` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: reanalyze ROOT [RUNS]");
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let root = Path::new(&root);
    let map = std::fs::read_dir(root.join("arguments"))
        .expect("arguments/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .min()
        .expect("a map");
    let original = std::fs::read(&map).expect("the map");
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let mut full = Vec::new();
    let mut again = Vec::new();
    for run in 0..runs {
        let start = Instant::now();
        let mut host = AnalysisHost::open(root).expect("ROOT");
        let analysis = host.analysis();
        full.push(start.elapsed());
        drop(analysis);
        // One file changes (its size, so the change is seen at once).
        let mut changed = original.clone();
        changed.extend(format!("# edit {run}\n").as_bytes());
        std::fs::write(&map, &changed).expect("write the map");
        let start = Instant::now();
        let parsed = host.refresh().expect("refresh");
        let analysis = host.analysis();
        again.push(start.elapsed());
        assert_eq!(parsed, 1, "one file parsed again");
        drop(analysis);
        std::fs::write(&map, &original).expect("restore the map");
    }
    let (full, again) = (median(full), median(again));
    println!(
        "full check {:.1} ms, re-analysis after a one-file change {:.2} ms: {:.1}% of a full check",
        full.as_secs_f64() * 1e3,
        again.as_secs_f64() * 1e3,
        100.0 * again.as_secs_f64() / full.as_secs_f64()
    );
}
