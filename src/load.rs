//! Loading.
use std::path::Path;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::Corpus;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Root(String),
}

pub static YAML_SYNTAX: Rule = Rule { name: "yaml-syntax", severity: Severity::Error, summary: "x", doc: "x" };
pub static INVALID_UTF8: Rule = Rule { name: "invalid-utf8", severity: Severity::Error, summary: "x", doc: "x" };
pub static FILE_TOO_LARGE: Rule = Rule { name: "file-too-large", severity: Severity::Error, summary: "x", doc: "x" };
pub static SCHEMA: Rule = Rule { name: "schema", severity: Severity::Error, summary: "x", doc: "x" };
pub static CSL_FIELD_NAME: Rule = Rule { name: "csl-field-name", severity: Severity::Warning, summary: "x", doc: "x" };
pub static CITATION_SYNTAX: Rule = Rule { name: "citation-syntax", severity: Severity::Error, summary: "x", doc: "x" };

pub fn load(_root: &Path) -> Result<(Corpus, Vec<Diagnostic>), LoadError> {
    Err(LoadError::Root("loader not written yet".into()))
}
