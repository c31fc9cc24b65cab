//! Where a check's time goes: each phase of `argmap check --format json` on ROOT, timed
//! alone (reading and parsing, assembling the model, the graph, the rules, sorting, the
//! JSON report).
//!
//! usage: cargo run --release --example phases -- ROOT

use std::path::Path;
use std::time::Instant;

use argmap::graph::{Graph, GraphIndex};
use argmap::report::Report;
use argmap::workspace::Workspace;

// The allocator of the `argmap` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::env::args().nth(1).expect("usage: phases ROOT");
    let mut clock = Instant::now();
    let mut lap = |name: &str| {
        eprintln!("{name:>12} {:7.1} ms", clock.elapsed().as_secs_f64() * 1e3);
        clock = Instant::now();
    };
    let workspace = Workspace::open(Path::new(&root)).expect("ROOT");
    lap("open+parse");
    let (corpus, _) = workspace.assemble();
    lap("assemble");
    let index = GraphIndex::new(&corpus);
    lap("graph");
    let mut found = Vec::new();
    argmap::rules::check(&Graph::of(&corpus, &index), &workspace.levels(), &mut found);
    lap("rules");
    eprintln!("{} findings", found.len());
    drop(index);
    std::mem::forget(found);
    std::mem::forget(corpus);
    let analysis = argmap::Analysis::offline(&workspace);
    lap("all again");
    let json = argmap::report::json::render(&Report::of(&analysis));
    lap("json");
    eprintln!("{} bytes", json.len());
    std::mem::forget(analysis);
    std::mem::forget(workspace);
}
