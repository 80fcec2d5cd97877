//! `pmlint new`: a new post-mortem from the template, with valid front
//! matter (status Draft, today's date, start = end = now to the minute) and
//! every section carrying its guidance as HTML comments, so that `check`
//! reports no error on it, only Draft warnings.

use super::{write_atomic, EXIT_OK, EXIT_USAGE};
use crate::cli::NewArgs;
use chrono::NaiveDateTime;

pub fn run(args: &NewArgs) -> miette::Result<i32> {
    let now = match &args.now {
        Some(s) => match NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M") {
            Ok(t) => t,
            Err(_) => {
                eprintln!("error: --now: `{s}` is not a time like `2025-07-18 14:05`");
                return Ok(EXIT_USAGE);
            }
        },
        None => chrono::Utc::now().naive_utc(),
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "Untitled incident".into());
    let author = author();
    let text = render(&title, &author, now);
    if args.stdout {
        super::print_stdout(&text);
        return Ok(EXIT_OK);
    }
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| format!("{}-{}.md", now.format("%Y-%m-%d"), slug(&title)).into());
    if path.exists() && !args.force {
        eprintln!(
            "error: {} already exists (use --force to overwrite)",
            path.display()
        );
        return Ok(EXIT_USAGE);
    }
    if let Err(e) = write_atomic(&path, text.as_bytes()) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return Ok(EXIT_USAGE);
    }
    eprintln!("wrote {}", path.display());
    Ok(EXIT_OK)
}

/// The author: `git config user.name`, else `$USER`, else "unknown".
fn author() -> String {
    let from_git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty());
    from_git
        .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("USERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "incident".into()
    } else {
        s.chars().take(60).collect()
    }
}

/// YAML-quotes a scalar.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn render(title: &str, author: &str, now: NaiveDateTime) -> String {
    let date = now.format("%Y-%m-%d");
    let stamp = now.format("%Y-%m-%d %H:%M");
    format!(
        r#"---
title: {title_q}
status: Draft
date: {date}
incident_start_time: {stamp} UTC
incident_end_time: {stamp} UTC
incident_duration: 0 minutes
author: {author_q}
reviewers: []
version: 1.0
---

# Post-Mortem / Incident Review: {title_md}

<!-- This is a blameless review focused on learning and systemic improvement.
     Describe what the system allowed, not who slipped. -->

## 1. Incident Summary

### 1.1 Incident Title

<!-- A concise, descriptive title for the incident. -->

### 1.2 Incident ID

<!-- The identifier from your incident management system, e.g. INC-2025-07-18-001. -->

### 1.3 Date and Time of Incident

<!-- Start, end and duration, as in the front matter. -->

### 1.4 Services/Components Affected

<!-- Every service, component or system that was impacted. -->

### 1.5 Impact

<!-- The business and customer impact, quantified: users affected, error rates,
     duration, revenue, SLA. -->

## 2. Incident Timeline

<!-- A table `| Time (UTC) | Event Description | Responsible Party |`, one row per
     event: detection, diagnosis, mitigation, resolution. -->

## 3. What Happened? (Narrative)

<!-- The sequence of events from start to finish, facts first, without judgment. -->

## 4. Why Did It Happen? (Root Cause Analysis)

<!-- `* **Root Cause 1:** …` with nested `* *Why:* …` bullets (5 Whys, fishbone …).
     Contributing factors go under `* **Contributing Factors:**`. -->

## 5. What Went Well?

<!-- What worked in the response. -->

## 6. What Could Be Improved?

<!-- Where the response or the system could be better; these lead to action items. -->

## 7. Action Items

<!-- | Action Item ID | Description | Owner | Target Date | Status |
     One row per specific, measurable task with an owner and a date. -->

## 8. Lessons Learned

<!-- Broader insights for the organisation. -->

## 9. Communication Plan (Post-Incident)

<!-- How and to whom the findings will be communicated. -->

## 10. References

<!-- Incident tickets, dashboards, logs, code changes. -->
"#,
        title_q = quote(title),
        author_q = quote(author),
        title_md = title.replace(['\r', '\n'], " "),
    )
}
