//! argmap: argument maps of papers, checked against their references.
//!
//! Data flows one way: [`load`] reads `arguments/` and `references/` into a spanned
//! [`model::Corpus`] and reports what it could not read; [`rules`] checks the model;
//! [`resolve`] (optional, networked) checks DOIs against their registration agencies;
//! [`report`] renders diagnostics for people and machines and [`dot`] draws the maps.
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

pub mod analysis;
pub mod citation;
pub mod config;
pub mod csl;
pub mod diagnostic;
pub mod doi;
pub mod dot;
pub mod fix;
pub mod format;
pub mod graph;
pub mod load;
pub mod model;
pub mod order;
pub mod output;
pub mod pages;
pub mod quote;
pub mod registry;
pub mod report;
pub mod resolve;
pub mod rule;
pub mod rules;
pub mod sanitize;
pub mod source;
pub mod suggest;
pub mod summary;
pub mod workspace;
pub mod yaml;

pub use analysis::{Analysis, AnalysisHost};
pub use diagnostic::{Diagnostic, Label};
pub use load::LoadError;
pub use model::Corpus;
pub use rule::{Rule, Severity};
