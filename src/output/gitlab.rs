//! `gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`),
//! a JSON array of issues.
//!
//! Severities: `error` → `major`, `warning` → `minor`, `info` → `info`.
//! Paths are relative to the repository root. Each fingerprint is unique in
//! the report and stable across runs: a hash of the path, the rule, the
//! flagged text and its occurrence (see [`super::anchor`]) — not of the
//! line, so GitLab does not report an issue as fixed and new again when
//! lines above it change.

use super::{RepoPath, RunReport};
use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Renders the report; `locate` maps a reported path to the repository.
pub fn render(report: &RunReport, locate: &dyn Fn(&str) -> RepoPath) -> String {
    let mut issues = Vec::new();
    for file in &report.files {
        let path = locate(&file.path).as_str().to_string();
        for (f, a) in file.anchored() {
            let mut description = format!("{} [{}]", f.message, f.rule);
            if let Some(s) = &f.suggestion {
                description.push_str("; help: ");
                description.push_str(s);
            }
            // A span that ends at the start of a line ends on the line
            // before it.
            let end = if f.end.line > f.start.line && f.end.column == 1 {
                f.end.line - 1
            } else {
                f.end.line.max(f.start.line)
            };
            issues.push(Issue {
                description,
                check_name: f.rule.as_str().to_string(),
                fingerprint: a.report_fingerprint(&path),
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: f.start.line,
                        end,
                    },
                },
            });
        }
    }
    let mut s = serde_json::to_string_pretty(&issues).expect("the report serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::RuleId;
    use crate::lint::{FileReport, Finding};
    use crate::output::FileResult;
    use serde_json::Value;

    fn file(path: &str, text: &str, needle: &str) -> FileResult {
        let idx = crate::diagnostic::LineIndex::new(text);
        let findings: Vec<Finding> = text
            .match_indices(needle)
            .map(|(start, _)| Finding {
                rule: RuleId::Builtin("blameless-language"),
                severity: Severity::Error,
                message: format!("Blaming wording: \"{needle}\""),
                suggestion: None,
                span: start..start + needle.len(),
                start: idx.position(text, start),
                end: idx.position(text, start + needle.len()),
            })
            .collect();
        FileResult {
            path: path.into(),
            anchors: crate::output::anchor::compute(text.as_bytes(), &findings),
            report: FileReport {
                findings,
                ..FileReport::default()
            },
            human: None,
        }
    }

    fn issues(files: Vec<FileResult>) -> Vec<Value> {
        let out = render(&RunReport { files }, &|p| RepoPath::Inside(p.into()));
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn issues_have_the_code_quality_shape() {
        let v = issues(vec![file("pm/a.md", "x\ncareless\n", "careless")]);
        let i = &v[0];
        assert_eq!(i["check_name"], "blameless-language");
        assert_eq!(
            i["description"],
            "Blaming wording: \"careless\" [blameless-language]"
        );
        assert_eq!(i["severity"], "major");
        assert_eq!(i["location"]["path"], "pm/a.md");
        assert_eq!(i["location"]["lines"]["begin"], 2);
        assert_eq!(i["location"]["lines"]["end"], 2);
        let fp = i["fingerprint"].as_str().unwrap();
        assert!(fp.len() == 32 && fp.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn fingerprints_are_unique_in_the_report_and_stable_across_edits() {
        let v = issues(vec![
            file("a.md", "careless\ncareless\n", "careless"),
            file("b.md", "careless\n", "careless"),
        ]);
        let fps: std::collections::HashSet<&str> = v
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(fps.len(), 3);
        let moved = issues(vec![file(
            "a.md",
            "new\n\ncareless\ncareless\n",
            "careless",
        )]);
        assert_eq!(moved[0]["fingerprint"], v[0]["fingerprint"]);
        assert_eq!(moved[1]["fingerprint"], v[1]["fingerprint"]);
        assert_eq!(moved[0]["location"]["lines"]["begin"], 3);
    }
}
