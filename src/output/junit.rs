//! `junit`: JUnit XML for CI test-report views.
//!
//! One `<testsuite>` (in a `<testsuites>` wrapper) with one `<testcase>`
//! per linted file. Each error-level diagnostic is a `<failure>` (`type` is
//! the rule id, `message` the message, the text `line:col: [rule] message`
//! and the suggestion). Warnings and infos do not fail a test case — they
//! do not fail the run either — and are listed in the test case's
//! `<system-out>`, one `line:col: severity[rule] message` per line. The
//! `failures` count is the number of failed test cases (files), the JUnit
//! meaning; `tests` is the number of files.
//!
//! Paths are as reported (as given or relative to the current directory).
//! Document text is untrusted: everything is escaped, and characters that
//! XML 1.0 cannot carry at all (most control characters, U+FFFE, U+FFFF)
//! become U+FFFD.

use super::RunReport;
use crate::diagnostic::Severity;
use std::fmt::Write;

pub fn render(report: &RunReport) -> String {
    let tests = report.files.len();
    let failed = report
        .files
        .iter()
        .filter(|f| f.report.count(Severity::Error) > 0)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!("tests=\"{tests}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\"");
    let _ = writeln!(out, "<testsuites name=\"pmlint\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"pmlint\" {counts}>");
    for file in &report.files {
        let path = attr(&file.path);
        let _ = write!(
            out,
            "    <testcase name=\"{path}\" classname=\"pmlint\" file=\"{path}\""
        );
        if file.report.findings.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let mut others = String::new();
        for f in &file.report.findings {
            if f.severity == Severity::Error {
                let mut body = format!(
                    "{}:{}: [{}] {}",
                    f.start.line, f.start.column, f.rule, f.message
                );
                if let Some(s) = &f.suggestion {
                    body.push_str("\nhelp: ");
                    body.push_str(s);
                }
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attr(&f.message),
                    attr(f.rule.as_str()),
                    text(&body)
                );
            } else {
                let _ = writeln!(
                    others,
                    "{}:{}: {}[{}] {}",
                    f.start.line,
                    f.start.column,
                    f.severity,
                    f.rule,
                    super::concise::one_line(&f.message)
                );
            }
        }
        if !others.is_empty() {
            let _ = writeln!(out, "      <system-out>{}</system-out>", text(&others));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Whether XML 1.0 allows the character at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes character data. CR is written as a reference, since a parser
/// would otherwise turn CRLF into LF, and so is LF: every line of the
/// output is then pmlint's own markup, and no line of document text can
/// start a line of its own (in a CI log, `::error::…` would be a command).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value. Tab, LF and CR are references, since a
/// parser would otherwise turn them into spaces.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, RuleId};
    use crate::lint::{FileReport, Finding};
    use crate::output::FileResult;

    fn finding(sev: Severity, message: &str) -> Finding {
        Finding {
            rule: RuleId::Builtin("blameless-language"),
            severity: sev,
            message: message.into(),
            suggestion: Some("a <better> way".into()),
            span: 0..1,
            start: Position { line: 2, column: 3 },
            end: Position { line: 2, column: 4 },
        }
    }

    fn file(path: &str, findings: Vec<Finding>) -> FileResult {
        FileResult {
            path: path.into(),
            report: FileReport {
                findings,
                ..FileReport::default()
            },
            human: None,
            anchors: Vec::new(),
        }
    }

    #[test]
    fn one_testcase_per_file_and_a_failure_per_error() {
        let out = render(&RunReport {
            files: vec![
                file(
                    "a.md",
                    vec![
                        finding(Severity::Error, "one"),
                        finding(Severity::Error, "two"),
                        finding(Severity::Warning, "warned"),
                    ],
                ),
                file("b.md", vec![finding(Severity::Info, "noted")]),
                file("c.md", Vec::new()),
            ],
        });
        assert!(out.contains("<testsuite name=\"pmlint\" tests=\"3\" failures=\"1\""));
        assert_eq!(out.matches("<testcase ").count(), 3);
        assert_eq!(out.matches("<failure ").count(), 2);
        assert!(out.contains(
            "<failure message=\"one\" type=\"blameless-language\">2:3: [blameless-language] one&#10;help: a &lt;better&gt; way</failure>"
        ));
        assert!(
            out.contains("<system-out>2:3: warning[blameless-language] warned&#10;</system-out>")
        );
        assert!(out.contains("<system-out>2:3: info[blameless-language] noted&#10;</system-out>"));
        assert!(out.contains("<testcase name=\"c.md\" classname=\"pmlint\" file=\"c.md\"/>"));
    }

    #[test]
    fn hostile_text_is_escaped_and_forbidden_characters_replaced() {
        assert_eq!(
            attr("a\"b'<c>&\u{1}\u{FFFE}\t\n\r"),
            "a&quot;b&apos;&lt;c&gt;&amp;\u{FFFD}\u{FFFD}&#9;&#10;&#13;"
        );
        assert_eq!(
            text("]]>\r\n\u{0}x\u{1F525}"),
            "]]&gt;&#13;&#10;\u{FFFD}x\u{1F525}"
        );
    }
}
