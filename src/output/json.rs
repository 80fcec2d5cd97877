//! `json`: one stable, versioned document (schema in the README).

use super::RunReport;
use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Diag<'a> {
    file: &'a str,
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    suggestion: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
}

pub fn render(report: &RunReport) -> String {
    let doc = Doc {
        version: 1,
        summary: Summary {
            files: report.files.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
        diagnostics: report
            .findings()
            .map(|(file, f)| Diag {
                file,
                rule: f.rule.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                suggestion: f.suggestion.as_deref(),
                line: f.start.line,
                column: f.start.column,
                end_line: f.end.line,
                end_column: f.end.column,
                offset: f.span.start,
                length: f.span.len(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the report serialises");
    s.push('\n');
    s
}
