//! The sync report: a table for people, a versioned JSON document for
//! tools (`--format json`).

use super::plan::{Action, Entry};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct Report {
    pub repo: String,
    pub dry_run: bool,
    pub entries: Vec<Entry>,
    /// Write requests sent (retries included).
    pub writes: usize,
    /// Notes for the whole run (not tied to an item).
    pub notes: Vec<String>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    key: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<usize>,
    action: &'static str,
    issue: Option<u64>,
    url: Option<&'a str>,
    warning: Option<String>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    create: usize,
    update: usize,
    close: usize,
    reopen: usize,
    unchanged: usize,
    conflict: usize,
    orphan: usize,
    skipped: usize,
    failed: usize,
    writes: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    repo: &'a str,
    dry_run: bool,
    items: Vec<JsonItem<'a>>,
    summary: JsonSummary,
}

impl Report {
    pub fn count(&self, action: Action) -> usize {
        self.entries.iter().filter(|e| e.action == action).count()
    }

    pub fn json(&self) -> String {
        let items = self
            .entries
            .iter()
            .map(|e| JsonItem {
                key: e.key.as_ref().map(|k| k.as_str()),
                file: e.file.as_deref(),
                line: e.line,
                action: e.action.as_str(),
                issue: e.issue,
                url: e.url.as_deref(),
                warning: (!e.warnings.is_empty()).then(|| e.warnings.join("; ")),
                error: e.error.as_deref(),
            })
            .collect();
        let c = |a| self.count(a);
        let report = JsonReport {
            version: 1,
            repo: &self.repo,
            dry_run: self.dry_run,
            items,
            summary: JsonSummary {
                create: c(Action::Create),
                update: c(Action::Update),
                close: c(Action::Close),
                reopen: c(Action::Reopen),
                unchanged: c(Action::Unchanged),
                conflict: c(Action::Conflict),
                orphan: c(Action::Orphan),
                skipped: c(Action::Skipped),
                failed: c(Action::Failed),
                writes: self.writes,
            },
        };
        let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
            // Serialising plain strings and numbers cannot fail; say so if
            // it ever does rather than print half a document.
            format!("{{\"version\":1,\"error\":\"{e}\"}}")
        });
        s.push('\n');
        s
    }

    pub fn human(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "{} {}{}\n",
            if self.dry_run {
                "Plan for"
            } else {
                "Synced with"
            },
            self.repo,
            if self.dry_run {
                " (dry run: nothing was written)"
            } else {
                ""
            }
        ));
        let rows: Vec<[String; 4]> = self
            .entries
            .iter()
            .map(|e| {
                [
                    e.action.as_str().to_string(),
                    e.issue.map_or("—".to_string(), |n| format!("#{n}")),
                    e.key.as_ref().map_or("—".to_string(), |k| k.to_string()),
                    match (&e.file, e.line) {
                        (Some(f), Some(l)) => format!("{f}:{l}"),
                        (Some(f), None) => f.clone(),
                        _ => String::new(),
                    },
                ]
            })
            .collect();
        let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2) = (width(0), width(1), width(2));
        for (row, e) in rows.iter().zip(&self.entries) {
            let pad = |s: &str, w: usize| {
                format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
            };
            let line = format!(
                "  {}  {}  {}  {}",
                pad(&row[0], w0),
                pad(&row[1], w1),
                pad(&row[2], w2),
                row[3]
            );
            out.push_str(line.trim_end());
            out.push('\n');
            for w in &e.warnings {
                out.push_str(&format!("      warning: {w}\n"));
            }
            if let Some(err) = &e.error {
                out.push_str(&format!("      error: {err}\n"));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        let parts: Vec<String> = Action::ALL
            .iter()
            .map(|a| format!("{} {}", self.count(*a), a.as_str()))
            .collect();
        out.push_str(&format!(
            "{}; {} write{}.\n",
            parts.join(", "),
            self.writes,
            if self.writes == 1 { "" } else { "s" }
        ));
        out
    }
}
