//! DOI resolution over HTTP (`argmap check --online`, `argmap resolve`).

use crate::diagnostic::{Rule, Severity};

pub static DOI_NOT_FOUND: Rule = Rule {
    name: "doi-not-found",
    severity: Severity::Error,
    summary: "the DOI system says this DOI does not exist",
    doc: "The Handle API of the resolver answered that the DOI is not registered (HTTP 404 with \
          responseCode 100). The DOI is mistyped, was never registered, or the reference is \
          invented. Check the DOI printed in the source paper, or remove it.",
};

pub static DOI_METADATA_MISMATCH: Rule = Rule {
    name: "doi-metadata-mismatch",
    severity: Severity::Warning,
    summary: "the DOI belongs to a work whose metadata differs from the reference",
    doc: "The DOI exists, but the metadata its registration agency returns disagrees with the \
          reference on the title, the year or the first author's family name. The DOI may have \
          been copied onto the wrong entry. The message shows both values.",
};

pub static DOI_UNVERIFIED: Rule = Rule {
    name: "doi-unverified",
    severity: Severity::Warning,
    summary: "no definitive answer about a DOI could be had",
    doc: "The resolver could not be reached, timed out, rate-limited the run or answered \
          something that is not an answer (5xx, garbage) even after retries. This says nothing \
          about the DOI itself, which is why it is never reported as broken: run again later.",
};
