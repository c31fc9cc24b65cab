//! The integration tests, as one test binary (as ripgrep's are): each file of `tests/it/`
//! is a module of it, so the library and the dev-dependencies (wiremock, tokio, insta,
//! proptest, ...) are linked once, not once per file (twelve times). The helpers in
//! `common` are compiled once and shared by every module (`crate::common`).
//!
//! The fixtures stay in `tests/fixtures/` and `tests/data/`; insta's snapshots are in
//! `tests/it/snapshots/` (a rule fixture's beside it, in `tests/fixtures/rules/<rule>/`) and
//! proptest's seeds in `tests/proptest-regressions/`, where each looks now that the tests
//! live under `tests/it/`.

mod common;

mod add;
mod ci;
mod cli;
mod crossref;
mod dot;
mod eval;
mod export;
mod html;
mod html_browser;
mod import;
mod init;
mod layers;
mod levels;
mod lsp;
mod pandoc;
mod parsers_proptest;
mod provenance;
mod quote_proptest;
mod regression;
mod resolve;
mod robustness;
mod rule_docs;
mod rules;
mod tidy;
