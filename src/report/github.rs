//! `--format github`: GitHub Actions workflow commands, one per diagnostic, so findings
//! appear as annotations on the changed lines of a pull request.
//!
//! Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded;
//! in properties `:` and `,` are too.

use super::Report;
use crate::diagnostic::Severity;

/// A message: percent-encoded as the runner decodes it, other control characters shown as
/// escapes (the log is displayed in a terminal emulator).
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::sanitize::is_unsafe(c) => {
                out.push_str(&crate::sanitize::for_terminal(c.encode_utf8(&mut [0; 4])))
            }
            c => out.push(c),
        }
    }
    out
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per diagnostic, then a notice with the summary.
pub fn render(report: &Report) -> String {
    let (sources, diagnostics, summary) = (report.sources, report.diagnostics, report.summary);
    let mut out = String::new();
    for d in diagnostics {
        let (start, end) = sources.positions(d.primary.span);
        let command = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&sources.get(d.primary.span.file).path),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(d.rule.name()),
            escape_data(&message),
        ));
    }
    out.push_str(&format!(
        "::notice title=argmap::{}\n",
        escape_data(&summary.line())
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
