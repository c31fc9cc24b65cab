//! `--format sarif`: SARIF 2.1.0, which GitHub code scanning shows in place on the files.
//!
//! One run; the tool's rules are every rule argmap has ([`Rule::all`]), so a
//! result's `ruleIndex` points into them and the rule's documentation travels with it.
//! Artifact URIs are relative to ROOT (`%SRCROOT%`): run argmap from the repository root
//! for GitHub to find the files. Columns count Unicode code points, as argmap's do.

use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::source::{Sources, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference: `/` kept, everything outside RFC 3986's unreserved
/// set percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn location(sources: &Sources, span: Span) -> Value {
    let (start, end) = sources.positions(span);
    json!({
        "physicalLocation": {
            "artifactLocation": {
                "uri": uri(&sources.get(span.file).path),
                "uriBaseId": "%SRCROOT%",
            },
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            },
        },
    })
}

fn result(sources: &Sources, d: &Diagnostic) -> Value {
    let mut text = d.message.to_string();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut primary = location(sources, d.primary.span);
    if !d.primary.message.is_empty() {
        primary["message"] = json!({ "text": d.primary.message.as_str() });
    }
    let mut r = json!({
        "ruleId": d.rule.name(),
        "level": level(d.severity()),
        "message": { "text": text },
        "locations": [primary],
    });
    // Rules are listed in their order, so a rule's index is its place in the enum.
    r["ruleIndex"] = json!(d.rule as usize);
    if !d.related.is_empty() {
        r["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = location(sources, l.span);
                loc["id"] = json!(i);
                loc["message"] = json!({ "text": l.message.as_str() });
                loc
            })
            .collect();
    }
    r
}

/// A SARIF 2.1.0 log of one run.
pub fn render(report: &Report) -> String {
    let (sources, diagnostics, summary) = (report.sources, report.diagnostics, report.summary);
    let rules: Vec<Value> = Rule::all()
        .map(|rule| {
            let info = rule.docs();
            json!({
                "id": rule.name(),
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.doc },
                "help": { "text": format!("{}\n\n`argmap rules {}` shows this text.", info.doc, rule.name()) },
                "defaultConfiguration": { "level": level(rule.severity()) },
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "argmap",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": diagnostics.iter().map(|d| result(sources, d)).collect::<Vec<_>>(),
            "properties": { "summary": summary },
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("serialising plain data cannot fail");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::SourceFile;

    const SARIF_SCHEMA: &str = include_str!("../../tests/data/sarif-schema-2.1.0.json");

    fn sample() -> (Sources, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new(
            "references/my refs.yaml".into(),
            "references:\n  - {id: é, DOI: 10.1/x}\n".into(),
        ));
        let at = |start, end| Span::new(file, start, end);
        let d = vec![
            Diagnostic::new(
                Rule::DoiNotFound,
                Label::new(at(30, 36), "not registered"),
                "DOI 10.1/x does not exist",
            )
            .with_help("check it"),
            Diagnostic::new(
                Rule::DuplicateReferenceId,
                Label::new(at(21, 23), ""),
                "twice",
            )
            .with_related(Label::new(at(21, 23), "first defined here")),
        ];
        (sources, d)
    }

    fn report_of<'a>(sources: &'a Sources, d: &'a [Diagnostic]) -> Report<'a> {
        static SUMMARY: crate::report::Summary = crate::report::Summary {
            maps: 0,
            claims: 0,
            references: 0,
            errors: 0,
            warnings: 0,
            dois: None,
            quotes: None,
            links: crate::summary::LinkCounts {
                paper: 0,
                analyst: 0,
                declared_conclusions: 0,
            },
        };
        Report {
            sources,
            diagnostics: d,
            summary: &SUMMARY,
            dois: None,
        }
    }

    fn validate(instance: &Value) -> Result<(), String> {
        let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler
            .add_resource("sarif.json", schema)
            .map_err(|e| e.to_string())?;
        let id = compiler
            .compile("sarif.json", &mut schemas)
            .map_err(|e| e.to_string())?;
        schemas.validate(instance, id).map_err(|e| format!("{e:#}"))
    }

    #[test]
    fn output_validates_against_the_sarif_schema() {
        let (sources, d) = sample();
        let out: Value = serde_json::from_str(&render(&report_of(&sources, &d))).unwrap();
        validate(&out).unwrap();
        // The validator does reject what the schema forbids.
        let mut broken = out.clone();
        broken["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(validate(&broken).is_err());
        let mut broken = out;
        broken["runs"][0]["tool"]["driver"]
            .as_object_mut()
            .unwrap()
            .remove("name");
        assert!(validate(&broken).is_err());
    }

    #[test]
    fn results_point_at_rules_places_and_help() {
        let (sources, d) = sample();
        let out: Value = serde_json::from_str(&render(&report_of(&sources, &d))).unwrap();
        let run = &out["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Rule::COUNT);
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "doi-not-found");
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "doi-not-found"
        );
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "DOI 10.1/x does not exist\nhelp: check it"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "references/my%20refs.yaml");
        // `é` is two bytes but one code point.
        assert_eq!(
            loc["region"],
            json!({"startLine": 2, "startColumn": 18, "endLine": 2, "endColumn": 24})
        );
        // A primary label's text is the location's message; an empty one gives none.
        assert_eq!(r["locations"][0]["message"]["text"], "not registered");
        assert!(run["results"][1]["locations"][0].get("message").is_none());
        assert_eq!(
            run["results"][1]["relatedLocations"][0]["message"]["text"],
            "first defined here"
        );
        assert_eq!(run["columnKind"], "unicodeCodePoints");
    }
}
