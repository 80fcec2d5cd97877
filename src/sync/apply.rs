//! Applying a plan: one request per change, in plan order, within
//! `--max-writes`. One failing item never stops the others; a fatal error
//! (auth, permissions) or a rate limit past `--max-wait` stops the run, and
//! what was not attempted is reported.

use super::github::{ApiError, GitHub, IssueChanges, NewIssue};
use super::key::IssueKey;
use super::marker;
use super::plan::{Action, Change, Create, CurrentIssue, Entry, Patch, Plan, Syncer};

/// How the apply step ended.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// A fatal error: exit 2.
    pub fatal: Option<String>,
    /// The run stopped early (rate limit past the bound).
    pub stopped: Option<String>,
    /// `--max-writes` left items undone.
    pub cap_hit: bool,
}

/// The issue of the syncing account that carries `key`'s marker (the
/// lowest number when several do).
pub fn find_ours(issues: &[CurrentIssue], key: &IssueKey, syncer: &Syncer) -> Option<CurrentIssue> {
    issues
        .iter()
        .filter(|i| syncer.wrote(&i.author))
        .filter(|i| marker::find(&i.body).is_some_and(|(m, _)| &m.key == key))
        .min_by_key(|i| i.number)
        .cloned()
}

struct Applier<'g, 'a> {
    gh: &'g GitHub<'a>,
    syncer: &'g Syncer,
    labels: &'g [String],
    max_writes: usize,
    /// Write requests started (first attempts only: retries do not count).
    started: usize,
    labels_ready: bool,
    attempts: u32,
}

fn with_reason(e: &ApiError) -> String {
    e.to_string()
}

impl Applier<'_, '_> {
    /// Takes one write from the budget.
    fn take_write(&mut self) -> bool {
        if self.started >= self.max_writes {
            return false;
        }
        self.started += 1;
        true
    }

    /// Creates the configured labels that the repository lacks, once.
    fn ensure_labels(&mut self, entry: &mut Entry) -> Result<bool, ApiError> {
        if self.labels_ready {
            return Ok(true);
        }
        let existing = match self.gh.labels() {
            Ok(l) => l,
            Err(e @ (ApiError::Fatal(_) | ApiError::RateLimited(_))) => return Err(e),
            Err(e) => {
                entry
                    .warnings
                    .push(format!("could not list the repository's labels: {e}"));
                self.labels_ready = true;
                return Ok(true);
            }
        };
        for l in self.labels {
            if existing.iter().any(|x| x.eq_ignore_ascii_case(l)) {
                continue;
            }
            if !self.take_write() {
                return Ok(false);
            }
            match self.gh.create_label(l) {
                Ok(()) => {}
                Err(e @ (ApiError::Fatal(_) | ApiError::RateLimited(_))) => return Err(e),
                Err(e) => entry
                    .warnings
                    .push(format!("could not create the label `{l}`: {e}")),
            }
        }
        self.labels_ready = true;
        Ok(true)
    }

    fn create(&mut self, c: &Create, entry: &mut Entry) -> Result<(), ApiError> {
        let mut refused: Vec<String> = Vec::new();
        let mut uncertain = 0u32;
        loop {
            let (body, m) = c.render(&refused);
            let assignees = c.assignees_without(&refused);
            let sent = self.gh.create_issue(&NewIssue {
                title: &c.title,
                body: &body,
                labels: &c.labels,
                assignees: &assignees,
            });
            match sent {
                Ok(issue) => {
                    entry.issue = Some(issue.number);
                    entry.url = Some(issue.url.clone());
                    return self.after_create(c, entry, issue.number, &body, &m);
                }
                Err(ApiError::Status {
                    status: 422,
                    message,
                    invalid,
                }) if !assignees.is_empty() => {
                    // The logins GitHub names, else every requested one.
                    let mut now: Vec<String> = assignees
                        .iter()
                        .filter(|a| invalid.iter().any(|i| i.eq_ignore_ascii_case(a)))
                        .cloned()
                        .collect();
                    if now.is_empty() {
                        now = assignees.clone();
                    }
                    entry.warnings.push(format!(
                        "GitHub refused to assign {} ({message}); the issue is created without {}",
                        now.iter()
                            .map(|a| format!("@{a}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if now.len() == 1 {
                            "that assignee"
                        } else {
                            "those assignees"
                        }
                    ));
                    refused.extend(now);
                }
                Err(ApiError::Uncertain(why)) => {
                    // GitHub may have created it: look before creating again.
                    // Twice, a backoff apart: a request that timed out may
                    // still be in flight when the first listing runs.
                    uncertain += 1;
                    let mut found = None;
                    for look in 0..2 {
                        self.gh.pause(uncertain - 1 + look);
                        let issues = self.gh.list_issues(None)?;
                        found = find_ours(&issues, &c.key, self.syncer);
                        if found.is_some() {
                            break;
                        }
                    }
                    if let Some(found) = found {
                        entry.warnings.push(format!(
                            "the answer to the create was lost ({why}); the issue it made was found"
                        ));
                        entry.issue = Some(found.number);
                        entry.url = Some(found.url.clone());
                        let Some((m, _)) = marker::find(&found.body) else {
                            return Ok(());
                        };
                        return self.after_create(c, entry, found.number, &found.body, &m);
                    }
                    if uncertain >= self.attempts {
                        return Err(ApiError::Unavailable(format!(
                            "{why}; the issue does not exist after {uncertain} attempts"
                        )));
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Closes a just-created issue whose item is already finished.
    fn after_create(
        &mut self,
        c: &Create,
        entry: &mut Entry,
        number: u64,
        body: &str,
        m: &marker::Marker,
    ) -> Result<(), ApiError> {
        let Some(p) = c.close_patch(number, body, m) else {
            return Ok(());
        };
        if !self.take_write() {
            entry.warnings.push(
                "created but not closed yet: --max-writes reached; the next run closes it".into(),
            );
            entry.blocking = true;
            return Ok(());
        }
        self.patch(&p, entry)
    }

    fn patch(&mut self, p: &Patch, entry: &mut Entry) -> Result<(), ApiError> {
        let send = |p: &Patch| {
            self.gh.update_issue(
                p.number,
                &IssueChanges {
                    title: p.title.as_deref(),
                    body: Some(&p.body),
                    labels: p.labels.as_deref(),
                    assignees: p.assignees.as_deref(),
                    state: p.state,
                },
            )
        };
        let issue = match send(p) {
            Err(ApiError::Status {
                status: 422,
                message,
                invalid,
            }) if p.assignees.is_some() => {
                let Some(retry) = p.without_assignees() else {
                    return Err(ApiError::Status {
                        status: 422,
                        message,
                        invalid,
                    });
                };
                entry.warnings.push(format!(
                    "GitHub refused the assignees ({message}); the issue is updated without changing them"
                ));
                send(&retry)?
            }
            other => other?,
        };
        entry.issue = Some(issue.number);
        entry.url = Some(issue.url);
        Ok(())
    }
}

/// Applies the plan's changes through `gh`.
pub fn apply(
    plan: &mut Plan,
    gh: &GitHub<'_>,
    syncer: &Syncer,
    labels: &[String],
    max_writes: usize,
) -> Applied {
    let mut a = Applier {
        gh,
        syncer,
        labels,
        max_writes,
        started: 0,
        labels_ready: false,
        attempts: gh.attempts(),
    };
    let mut out = Applied::default();
    for entry in &mut plan.entries {
        let change = std::mem::replace(&mut entry.change, Change::None);
        if matches!(change, Change::None) {
            continue;
        }
        if let Some(why) = out.fatal.as_ref().or(out.stopped.as_ref()) {
            entry.action = Action::Failed;
            entry.error = Some(format!("not attempted: {why}"));
            continue;
        }
        if a.started >= a.max_writes {
            out.cap_hit = true;
            entry.action = Action::Skipped;
            entry.blocking = true;
            entry.error = Some(format!(
                "left by --max-writes ({max_writes}); the next run continues"
            ));
            continue;
        }
        let needs_labels = match &change {
            Change::Create(_) => true,
            Change::Patch(p) => p.labels.is_some(),
            Change::None => false,
        };
        let result = (|| {
            if needs_labels && !a.ensure_labels(entry)? {
                return Ok(false);
            }
            if !a.take_write() {
                return Ok(false);
            }
            match &change {
                Change::Create(c) => a.create(c, entry)?,
                Change::Patch(p) => a.patch(p, entry)?,
                Change::None => {}
            }
            Ok(true)
        })();
        match result {
            Ok(true) => {
                if entry.blocking {
                    out.cap_hit = true;
                }
            }
            Ok(false) => {
                out.cap_hit = true;
                entry.action = Action::Skipped;
                entry.blocking = true;
                entry.error = Some(format!(
                    "left by --max-writes ({max_writes}); the next run continues"
                ));
            }
            Err(e) => {
                entry.error = Some(with_reason(&e));
                entry.action = Action::Failed;
                match e {
                    ApiError::Fatal(m) => out.fatal = Some(m),
                    ApiError::RateLimited(m) => out.stopped = Some(m),
                    _ => {}
                }
            }
        }
    }
    out
}
