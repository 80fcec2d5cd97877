//! Report formats. Each format turns the run's results into text.

pub mod anchor;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
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
    /// One anchor per finding, in the same order, for the formats that
    /// need the source (`sarif`, `rdjson`, `gitlab`); empty when not asked
    /// for.
    pub anchors: Vec<anchor::Anchor>,
}

impl FileResult {
    /// The findings with their anchors (made from the finding alone when
    /// the run did not compute them).
    pub fn anchored(&self) -> impl Iterator<Item = (&crate::lint::Finding, anchor::Anchor)> {
        let complete = self.anchors.len() == self.report.findings.len();
        self.report.findings.iter().enumerate().map(move |(i, f)| {
            let a = if complete {
                self.anchors[i]
            } else {
                anchor::Anchor::without_source(f)
            };
            (f, a)
        })
    }
}

/// Where a reported path lies for the formats that attach results to the
/// repository (`sarif`, `rdjson`, `gitlab`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoPath {
    /// Relative to the repository root, with `/` separators.
    Inside(String),
    /// Outside the repository: the absolute path, with `/` separators.
    Outside(String),
}

impl RepoPath {
    /// The path as text (relative, or absolute when outside).
    pub fn as_str(&self) -> &str {
        match self {
            RepoPath::Inside(p) | RepoPath::Outside(p) => p,
        }
    }
}

/// The documentation page of a built-in rule, in the project's repository.
pub fn rule_help_uri(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Where custom rules (configuration, no page of their own) are documented.
pub fn custom_rules_help_uri() -> String {
    format!("{}#custom-rules", env!("CARGO_PKG_HOMEPAGE"))
}

/// A rule's help page: the built-in rule's own page, else the custom-rules
/// documentation.
pub fn help_uri(id: &str) -> String {
    if crate::rules::find(id).is_some() {
        rule_help_uri(id)
    } else {
        custom_rules_help_uri()
    }
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
        totals_line(&json::Totals {
            files: self.files.len(),
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            infos: self.count(Severity::Info),
        })
    }
}

/// "3 errors, 1 warning and 0 infos in 2 files".
pub fn totals_line(t: &json::Totals) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {} and {} in {}",
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.infos, "info"),
        plural(t.files, "file"),
    )
}

/// Percent-encodes a `/`-separated path for a URI reference: every byte
/// but unreserved characters and the separators. A `:` is encoded too, so
/// a relative path can never read as a scheme, and parentheses too, so the
/// URL can stand in a Markdown link. Used by SARIF URIs and sync permalinks.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
