//! Project hygiene, checked by `cargo test` (as rust-analyzer's tidy test does): every
//! source file says what it is for. That the library stays free of terminal and process
//! I/O is clippy's to check (`src/lib.rs` denies its print, `dbg!` and exit lints, and
//! `make test` runs clippy); the test here only holds those lints in place.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
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
/// Clippy enforces it, in test code too, but only while the library denies the lints.
#[test]
fn the_library_denies_terminal_and_process_io() {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let deny = lib
        .split("#![deny(")
        .skip(1)
        .map(|rest| &rest[..rest.find(")]").unwrap_or(rest.len())])
        .collect::<Vec<_>>()
        .join(",");
    for lint in [
        "clippy::print_stdout",
        "clippy::print_stderr",
        "clippy::dbg_macro",
        "clippy::exit",
    ] {
        assert!(deny.contains(lint), "src/lib.rs does not deny {lint}");
    }
}
