//! Project hygiene, checked by `cargo test` (as rust-analyzer's tidy test does): every
//! source file says what it is for, and the library stays free of terminal and process I/O.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

#[test]
fn every_module_has_a_doc_comment() {
    for (path, text) in sources() {
        assert!(
            text.starts_with("//!"),
            "{} has no `//!` module doc",
            path.display()
        );
    }
}

/// The binary owns stdout, stderr, colour and exit codes; the library returns values.
#[test]
fn the_library_does_no_terminal_or_process_io() {
    for (path, text) in sources() {
        let in_binary =
            path.components().any(|c| c.as_os_str() == "cli") || path.ends_with("main.rs");
        if in_binary {
            continue;
        }
        let code: String = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for forbidden in [
            "println!",
            "eprintln!",
            "print!(",
            "eprint!(",
            "std::process::exit",
            "dbg!(",
        ] {
            assert!(
                !code.contains(forbidden),
                "{} uses {forbidden}",
                path.display()
            );
        }
    }
}
