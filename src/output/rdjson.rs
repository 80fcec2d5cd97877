//! `rdjson`: reviewdog's Diagnostic Format as one JSON document
//! (`DiagnosticResult`), for `reviewdog -f=rdjson`.
//!
//! Paths are relative to the repository root (absolute for a file outside
//! it). Positions are 1-based with an exclusive end; columns count UTF-8
//! bytes, as reviewdog's format defines them (a byte-order mark is not
//! counted). pmlint's suggestions are advice in prose, not replacement
//! text, so they follow the message instead of filling `suggestions`
//! (which reviewdog would apply as an edit).

use super::{RepoPath, RunReport};
use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct DiagnosticResult {
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Diagnostic {
    message: String,
    location: Location,
    severity: &'static str,
    code: Code,
}

#[derive(Serialize)]
struct Location {
    path: String,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code {
    value: String,
    url: String,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

/// Renders the report; `locate` maps a reported path to the repository.
pub fn render(report: &RunReport, locate: &dyn Fn(&str) -> RepoPath) -> String {
    let mut diagnostics = Vec::new();
    for file in &report.files {
        let path = locate(&file.path).as_str().to_string();
        for (f, a) in file.anchored() {
            let mut message = f.message.clone();
            if let Some(s) = &f.suggestion {
                message.push_str("\nhelp: ");
                message.push_str(s);
            }
            let end_column = if f.end.line > f.start.line {
                a.end_byte
            } else {
                a.end_byte.max(a.start_byte)
            };
            diagnostics.push(Diagnostic {
                message,
                location: Location {
                    path: path.clone(),
                    range: Range {
                        start: Position {
                            line: f.start.line,
                            column: a.start_byte,
                        },
                        end: Position {
                            line: f.end.line.max(f.start.line),
                            column: end_column,
                        },
                    },
                },
                severity: severity(f.severity),
                code: Code {
                    value: f.rule.as_str().to_string(),
                    url: super::help_uri(f.rule.as_str()),
                },
            });
        }
    }
    // The overall severity: the most severe reported.
    let overall = report
        .findings()
        .map(|(_, f)| f.severity)
        .max()
        .map(severity);
    let doc = DiagnosticResult {
        source: Source {
            name: "pmlint",
            url: env!("CARGO_PKG_HOMEPAGE"),
        },
        severity: overall,
        diagnostics,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the report serialises");
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

    #[test]
    fn diagnostics_have_reviewdogs_shape_with_byte_columns() {
        let text = "# T\n\nÉtat: careless\n";
        let start = text.find("careless").unwrap();
        let idx = crate::diagnostic::LineIndex::new(text);
        let f = Finding {
            rule: RuleId::Builtin("blameless-language"),
            severity: Severity::Warning,
            message: "Blaming wording: \"careless\"".into(),
            suggestion: Some("describe the conditions".into()),
            span: start..start + 8,
            start: idx.position(text, start),
            end: idx.position(text, start + 8),
        };
        let anchors = crate::output::anchor::compute(text.as_bytes(), std::slice::from_ref(&f));
        let report = RunReport {
            files: vec![FileResult {
                path: "pm/a.md".into(),
                report: FileReport {
                    findings: vec![f],
                    ..FileReport::default()
                },
                human: None,
                anchors,
            }],
        };
        let out = render(&report, &|p| RepoPath::Inside(format!("repo/{p}")));
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["source"]["name"], "pmlint");
        assert_eq!(v["severity"], "WARNING");
        let d = &v["diagnostics"][0];
        assert_eq!(
            d["message"],
            "Blaming wording: \"careless\"\nhelp: describe the conditions"
        );
        assert_eq!(d["severity"], "WARNING");
        assert_eq!(d["location"]["path"], "repo/pm/a.md");
        // "État: " is 7 bytes (É is two): the column is byte 8, but code
        // point 7.
        assert_eq!(d["location"]["range"]["start"]["line"], 3);
        assert_eq!(d["location"]["range"]["start"]["column"], 8);
        assert_eq!(d["location"]["range"]["end"]["column"], 16);
        assert_eq!(d["code"]["value"], "blameless-language");
        assert!(d["code"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/blameless-language.md"));
        assert!(d.get("suggestions").is_none());
    }

    #[test]
    fn an_empty_run_has_no_overall_severity() {
        let v: Value = serde_json::from_str(&render(&RunReport::default(), &|p| {
            RepoPath::Inside(p.into())
        }))
        .unwrap();
        assert!(v.get("severity").is_none());
        assert_eq!(v["diagnostics"], Value::Array(Vec::new()));
    }
}
