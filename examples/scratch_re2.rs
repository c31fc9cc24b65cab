use argmap::graph::Graph;
use argmap::workspace::Workspace;
use std::path::Path;
use std::time::Instant;

// The allocator of the `argmap` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let mut ws = Workspace::open(Path::new(&root)).unwrap();
    let cache = argmap::rules::Cache::default();
    let text = std::fs::read_to_string(Path::new(&root).join("arguments/map0000.yaml")).unwrap();
    for i in 0..8 {
        ws.set_text("arguments/map0000.yaml", format!("{text}# {i}\n"));
        let t = Instant::now();
        let (corpus, _) = ws.assemble();
        let a = t.elapsed();
        let graph = Graph::new(&corpus);
        let g = t.elapsed();
        let mut found = argmap::rules::check(&graph, &ws.levels(), Some(&cache));
        let r = t.elapsed();
        argmap::analysis::sort(&corpus.sources, &mut found);
        let s = t.elapsed();
        drop(graph);
        std::mem::forget(found);
        std::mem::forget(corpus);
        eprintln!(
            "assemble {:?} graph {:?} rules {:?} sort {:?}",
            a,
            g - a,
            r - g,
            s - r
        );
    }
}
