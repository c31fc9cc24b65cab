//! The floor of `argmap check`: the YAML parser's events for every file of ROOT, counted and
//! dropped, read in parallel on the same threads argmap uses. `make bench` compares a check
//! with it: what argmap adds on top of parsing.
//!
//! usage: cargo run --release --example events -- ROOT

use std::path::Path;

use rayon::prelude::*;
use serde_saphyr::granit_parser::Parser;

fn main() {
    let root = std::env::args().nth(1).expect("usage: events ROOT");
    let mut files = Vec::new();
    for folder in ["references", "arguments"] {
        for entry in std::fs::read_dir(Path::new(&root).join(folder)).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .expect("threads");
    let events: usize = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("UTF-8");
                Parser::new_from_str(&text)
                    .take_while(Result::is_ok)
                    .count()
            })
            .sum()
    });
    println!("{} files, {events} events", files.len());
}
