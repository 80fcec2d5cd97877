//! Report formats. Each format turns the run's results into text.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod summary;

use crate::diagnostic::Severity;
use crate::lint::FileReport;

/// One linted file in a run.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The path as reported: as given or relative to the current
    /// directory, with `/` separators.
    pub path: String,
    pub report: FileReport,
    /// The `human` rendering, made while the source was at hand (documents
    /// are not kept after they are checked).
    pub human: Option<String>,
}

/// Everything a run found, files in a stable order.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub files: Vec<FileResult>,
}

impl RunReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.files.iter().map(|f| f.report.count(severity)).sum()
    }

    /// Findings in output order: by file, then offset.
    pub fn findings(&self) -> impl Iterator<Item = (&str, &crate::lint::Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.report.findings.iter().map(move |d| (f.path.as_str(), d)))
    }

    /// "3 errors, 1 warning and 0 infos in 2 files".
    pub fn totals_line(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {} and {} in {}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning"),
            plural(self.count(Severity::Info), "info"),
            plural(self.files.len(), "file"),
        )
    }
}
