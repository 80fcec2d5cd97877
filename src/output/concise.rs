//! `concise`: `path:line:col: severity[rule-id] message`, one per line.

use super::RunReport;
use std::fmt::Write;

pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        write_file(&mut out, &file.path, &file.report.findings);
    }
    out
}

/// One file's lines.
pub fn write_file(out: &mut String, path: &str, findings: &[crate::lint::Finding]) {
    for f in findings {
        let _ = writeln!(
            out,
            "{path}:{}:{}: {}[{}] {}",
            f.start.line,
            f.start.column,
            f.severity,
            f.rule,
            one_line(&f.message)
        );
    }
}

/// Messages may quote document text: keep each finding on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
