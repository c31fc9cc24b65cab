//! argmap: argument maps of papers, checked against their references.
//!
//! Data flows one way, through the layers listed below (enforced by a test): [`load`]
//! reads `arguments/` and `references/` into a spanned [`model::Corpus`] and reports what
//! it could not read; [`graph`] resolves it and [`rules`] checks it; [`resolve`] judges
//! DOIs (from the cache, or over the network with the `online` feature); [`analysis`]
//! makes the immutable snapshot front ends read ([`AnalysisHost`] keeps a workspace and
//! makes them); [`report`] renders diagnostics for people and machines and [`dot`] draws
//! the maps.
//! The library does no terminal or process I/O beyond reading the checked files and the
//! DOI cache: the `argmap` binary owns arguments, output and exit codes.

#![warn(missing_docs)]
// No terminal or process I/O: the binary (`src/main.rs`, `src/cli/`) is its own crate root
// and owns stdout, stderr and exit codes. Test code is held to it too.
#![deny(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::dbg_macro,
    clippy::exit
)]

// The layers, lowest first. A module imports from its own layer and those above it in this
// list, never from one below: `tests/it/layers.rs` reads this list and fails on any
// import that runs the other way, or on a module not listed.

// Layer 1, text and syntax: files and spans, the rule enum and diagnostics, the languages
// inside a field (pandoc citations, DOIs, locators, page ranges), quotes, YAML helpers.
pub mod citation;
pub mod csl;
pub mod diagnostic;
pub mod doi;
pub mod order;
pub mod output;
pub mod pages;
pub mod quote;
pub mod rule;
pub mod sanitize;
pub mod source;
pub mod suggest;
pub mod yaml;

// Layer 2, model and loading: the spanned model, the file formats, the readers, the
// configuration, and the workspace of files.
pub mod config;
pub mod format;
pub mod load;
pub mod model;
pub mod workspace;

// Layer 3, checking: the resolved graph, the offline rules, fixes, new references written
// into a references file.
pub mod bib;
pub mod fix;
pub mod graph;
pub mod rules;

// Layer 4, DOIs: verdicts from the cache, and (feature `online`) from the network.
pub mod resolve;

// Layer 5, analysis: the host, the immutable snapshot and its queries, the summary, the
// rule registry (each rule's documentation, read from the layers below).
pub mod analysis;
pub mod registry;
pub mod summary;

// Layer 6, front ends: reports, diagrams, the evaluation of the maps' arguments, the
// exports (the binary, `src/cli/`, sits above them all).
pub mod dot;
pub mod eval;
pub mod export;
pub mod html;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod report;

pub use analysis::{Analysis, AnalysisHost};
pub use diagnostic::{Diagnostic, Label};
pub use load::LoadError;
pub use model::Corpus;
pub use rule::{Rule, Severity};
