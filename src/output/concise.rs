//! `concise`: `path:line:col: severity[rule-id] message`, one per line.

use super::RunReport;
use std::fmt::Write;

pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    for (path, f) in report.findings() {
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
    out
}

/// Messages may quote document text: keep each finding on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
