//! `json`: one stable, versioned document (schema in the README).
//!
//! The document is written in pieces — the head with the totals, then one
//! diagnostic at a time, then the tail — so `check` can stream it file by
//! file without holding every file's findings. The pieces are exactly what
//! `serde_json`'s pretty printer makes of the whole document.

use super::RunReport;
use crate::diagnostic::Severity;
use crate::lint::Finding;
use serde::Serialize;

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

/// The run's totals, as the `summary` object reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    /// Adds one file's findings.
    pub fn add_file(&mut self, findings: &[Finding]) {
        self.files += 1;
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

pub fn render(report: &RunReport) -> String {
    let totals = Totals {
        files: report.files.len(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        infos: report.count(Severity::Info),
    };
    let mut out = Vec::new();
    write_head(&mut out, &totals);
    let mut scratch = Vec::new();
    let mut first = true;
    for (file, f) in report.findings() {
        write_diagnostic(&mut out, &mut scratch, first, file, f);
        first = false;
    }
    write_tail(&mut out, first);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The document up to the opening bracket of `diagnostics`.
pub fn write_head(out: &mut Vec<u8>, t: &Totals) {
    use std::io::Write;
    let _ = write!(
        out,
        "{{\n  \"version\": 1,\n  \"summary\": {{\n    \"files\": {},\n    \"errors\": {},\n    \"warnings\": {},\n    \"infos\": {}\n  }},\n  \"diagnostics\": [",
        t.files, t.errors, t.warnings, t.infos
    );
}

/// One element of `diagnostics`, with the comma before it unless `first`.
/// `scratch` is a buffer reused between calls.
pub fn write_diagnostic(
    out: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
    first: bool,
    file: &str,
    f: &Finding,
) {
    let diag = Diag {
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
    };
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, &diag).expect("a diagnostic serialises");
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    // The element sits two levels deep: indent each of its lines by four
    // spaces. Strings are escaped, so every raw newline is the printer's.
    out.extend_from_slice(b"    ");
    let mut rest = &scratch[..];
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.extend_from_slice(b"    ");
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
}

/// The end of the document; `empty` when no diagnostic was written.
pub fn write_tail(out: &mut Vec<u8>, empty: bool) {
    out.extend_from_slice(if empty { b"]\n}\n" } else { b"\n  ]\n}\n" });
}
