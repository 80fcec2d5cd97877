//! `github`: GitHub Actions workflow commands, one per diagnostic:
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=pmlint(rule)::message`.
//!
//! Paths are relative to the repository root (the caller passes them
//! rebased), because annotations attach to repository paths. Document text
//! reaches the output only through escaped data, so it can never start a
//! second command.

use super::RunReport;
use crate::diagnostic::Severity;
use std::fmt::Write;

/// GitHub shows at most this many annotations of each level per step.
const SHOWN_PER_LEVEL: usize = 10;

/// Renders the report. `rebase` maps a reported path to the path relative
/// to the repository root.
pub fn render(report: &RunReport, rebase: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut per_level = [0usize; 3];
    for (path, f) in report.findings() {
        let (command, slot) = match f.severity {
            Severity::Error => ("error", 0),
            Severity::Warning => ("warning", 1),
            Severity::Info => ("notice", 2),
        };
        per_level[slot] += 1;
        let mut props = format!(
            "file={},line={},endLine={}",
            property(&rebase(path)),
            f.start.line,
            f.end.line
        );
        // GitHub rejects columns on a span over several lines.
        if f.start.line == f.end.line {
            let _ = write!(props, ",col={},endColumn={}", f.start.column, f.end.column);
        }
        let _ = write!(props, ",title={}", property(&format!("pmlint({})", f.rule)));
        let mut message = f.message.clone();
        if let Some(s) = &f.suggestion {
            message.push_str("\nhelp: ");
            message.push_str(s);
        }
        let _ = writeln!(out, "::{command} {props}::{}", data(&message));
    }
    for (count, level) in per_level.iter().zip(["error", "warning", "notice"]) {
        if *count > SHOWN_PER_LEVEL {
            let _ = writeln!(
                out,
                "pmlint: {count} {level} annotations; GitHub shows at most {SHOWN_PER_LEVEL} per level in a step (and 50 per job): the log above and the job summary list them all"
            );
        }
    }
    out
}

/// Escapes a command's data (the message).
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (file, title).
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_so_no_second_command_forms() {
        assert_eq!(data("50%\r\n::error::x"), "50%25%0D%0A::error::x");
        assert!(!data("a\n::warning::b").contains('\n'));
    }

    #[test]
    fn properties_escape_colons_and_commas_too() {
        assert_eq!(property("a,b:c%.md"), "a%2Cb%3Ac%25.md");
    }
}
