//! `pmlint sync` against the fake GitHub server (loopback only).
//!
//! Most scenarios run the sync in-process (`pmlint::sync::run`) with a
//! manual clock, so rate-limit waits and backoffs are asserted, never
//! slept; a few go through the binary end to end.

mod support;

use assert_cmd::Command;
use pmlint::config::Settings;
use pmlint::sync::github::Wait;
use pmlint::sync::{run, ManualClock, Outcome, SyncEnv, SyncOptions};
use std::path::Path;
use std::time::Duration;
use support::fake_github::*;

const TOKEN: &str = "ghp_sync_test_token_4f9a";
const REPO: &str = "acme/ops";
const LOGIN: &str = "pmlint-bot";
const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

const DOC: &str = "---
title: Login outage
status: Finalised
incident_id: INC-2025-07-18-001
---
# Login outage

## Action Items

| ID | Description | Owner | Target Date | Status |
|---|---|---|---|---|
| PM-AI-001 | Add an alert on login error rate above 5% | @alice | 2025-08-01 | Open |
| PM-AI-002 | Write the rollback runbook for auth deploys | @bob | 2025-08-08 | In Progress |
| PM-AI-003 | Add a canary stage to the auth pipeline, ask @acme/sre | @alice | 2025-08-15 | Open |
";

const KEY1: &str = "INC-2025-07-18-001/PM-AI-001";

struct World {
    gh: FakeGitHub,
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        World::with(FakeGitHub::start())
    }

    fn with(gh: FakeGitHub) -> World {
        gh.add_token(TOKEN, LOGIN);
        gh.add_repo(REPO);
        gh.add_assignable(REPO, "alice");
        gh.add_assignable(REPO, "bob");
        let dir = tempfile::Builder::new()
            .prefix("pmlint-sync")
            .tempdir()
            .expect("tempdir");
        let w = World { gh, dir };
        w.write(DOC);
        w
    }

    fn doc(&self) -> std::path::PathBuf {
        self.dir.path().join("pm.md")
    }

    fn write(&self, text: &str) {
        std::fs::write(self.doc(), text).expect("write doc");
    }

    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.doc()).unwrap();
        assert!(text.contains(from), "{from}");
        self.write(&text.replacen(from, to, 1));
    }

    fn env(&self) -> SyncEnv {
        SyncEnv {
            token: Some(TOKEN.into()),
            repository: Some(REPO.into()),
            api_url: Some(self.gh.url()),
            server_url: Some(self.gh.html_url()),
            sha: Some(SHA.into()),
            root: self.dir.path().to_path_buf(),
            request_timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(1),
        }
    }

    fn opts(&self) -> SyncOptions {
        SyncOptions {
            paths: vec![self.dir.path().display().to_string()],
            write_interval_ms: Some(0),
            ..SyncOptions::default()
        }
    }

    fn sync(&self) -> Outcome {
        self.sync_with(self.opts(), self.env())
    }

    fn sync_with(&self, opts: SyncOptions, env: SyncEnv) -> Outcome {
        let clock = ManualClock::new(1_700_000_000);
        let out = run(&opts, &Settings::defaults(), &env, &clock);
        assert!(
            !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
            "the token leaked"
        );
        out
    }

    fn issues(&self) -> Vec<Issue> {
        self.gh.issues(REPO)
    }

    /// The issue carrying `key`'s marker.
    fn issue_for(&self, key: &str) -> Issue {
        let mut found: Vec<Issue> = self
            .issues()
            .into_iter()
            .filter(|i| i.body.contains(&format!("key=\"{key}\"")))
            .collect();
        assert_eq!(found.len(), 1, "issues for {key}: {found:#?}");
        found.remove(0)
    }

    fn writes(&self) -> Vec<Request> {
        self.gh
            .requests()
            .into_iter()
            .filter(|r| r.method != "GET")
            .collect()
    }
}

fn actions(out: &Outcome) -> Vec<(String, &'static str)> {
    out.report
        .as_ref()
        .expect("a report")
        .entries
        .iter()
        .map(|e| {
            (
                e.key.as_ref().map(|k| k.to_string()).unwrap_or_default(),
                e.action.as_str(),
            )
        })
        .collect()
}

fn all(out: &Outcome, action: &str) -> bool {
    actions(out).iter().all(|(_, a)| *a == action)
}

fn rate_waits(out: &Outcome) -> Vec<Duration> {
    out.waits
        .iter()
        .filter_map(|w| match w {
            Wait::RateLimit(d) => Some(*d),
            _ => None,
        })
        .collect()
}

#[test]
fn first_sync_creates_one_issue_per_item() {
    let w = World::new();
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}{}", out.stdout, out.stderr);
    assert!(all(&out, "create"), "{:?}", actions(&out));
    let issues = w.issues();
    assert_eq!(issues.len(), 3);
    let first = w.issue_for(KEY1);
    assert_eq!(
        first.title,
        "PM-AI-001: Add an alert on login error rate above 5%"
    );
    assert_eq!(first.author, LOGIN);
    assert_eq!(first.assignees, ["alice"]);
    let mut labels = first.labels.clone();
    labels.sort();
    assert_eq!(labels, ["action-item", "postmortem"]);
    assert_eq!(first.state, "open");
    assert!(first.body.contains(&format!(
        "{}/acme/ops/blob/{SHA}/pm.md#L12",
        w.gh.html_url()
    )));
    assert!(first
        .body
        .contains("| **Incident** | Login outage (INC-2025-07-18-001) |"));
    assert!(first
        .body
        .contains("<!-- pmlint:item key=\"INC-2025-07-18-001/PM-AI-001\" hash=\""));
    // Labels were created in the repository; mentions other than the
    // assignee are neutralised.
    let labels = w.gh.labels(REPO);
    assert!(
        labels.contains(&"postmortem".to_string()) && labels.contains(&"action-item".to_string())
    );
    let third = w.issue_for("INC-2025-07-18-001/PM-AI-003");
    assert!(third.title.contains("`@acme/sre`"), "{}", third.title);
    assert!(third.body.contains("`@acme/sre`"));
    // The report links each item to its issue.
    let report = out.report.unwrap();
    assert!(report
        .entries
        .iter()
        .all(|e| e.issue.is_some() && e.url.is_some()));
    assert_eq!(report.writes, w.gh.write_count());
}

#[test]
fn a_second_sync_of_unchanged_documents_makes_zero_writes() {
    let w = World::new();
    assert_eq!(w.sync().exit, 0);
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.gh.write_count(), 0, "{:#?}", w.writes());
    assert!(all(&out, "unchanged"), "{:?}", actions(&out));
    // Runs that create nothing never list every issue.
    assert!(w
        .gh
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/issues"))
        .all(|r| r.query.contains("labels=postmortem")));
    // A new commit does not rewrite the issues either.
    let mut env = w.env();
    env.sha = Some("fedcba9876543210fedcba9876543210fedcba98".into());
    w.gh.clear_requests();
    assert_eq!(w.sync_with(w.opts(), env).exit, 0);
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn a_changed_item_is_one_patch() {
    let w = World::new();
    w.sync();
    w.edit("2025-08-01", "2025-09-30");
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(out.exit, 0);
    let writes = w.writes();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].method, "PATCH");
    assert!(w.issue_for(KEY1).body.contains("2025-09-30"));
    assert_eq!(actions(&out)[0], (KEY1.to_string(), "update"),);
}

#[test]
fn done_closes_as_completed_and_wont_do_as_not_planned() {
    let w = World::new();
    w.sync();
    w.edit(
        "| @alice | 2025-08-01 | Open |",
        "| @alice | 2025-08-01 | Done |",
    );
    w.edit(
        "| @bob | 2025-08-08 | In Progress |",
        "| @bob | 2025-08-08 | Won't Do |",
    );
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    let writes = w.writes();
    assert_eq!(writes.len(), 2, "one PATCH per item: {writes:#?}");
    assert!(writes.iter().all(|r| r.method == "PATCH"
        && r.body.contains("\"state\":\"closed\"")
        && r.body.contains("\"body\"")));
    let done = w.issue_for(KEY1);
    assert_eq!(
        (done.state.as_str(), done.state_reason.as_deref()),
        ("closed", Some("completed"))
    );
    let wont = w.issue_for("INC-2025-07-18-001/PM-AI-002");
    assert_eq!(
        (wont.state.as_str(), wont.state_reason.as_deref()),
        ("closed", Some("not_planned"))
    );
    assert_eq!(
        actions(&out)[..2],
        [
            (KEY1.to_string(), "close"),
            ("INC-2025-07-18-001/PM-AI-002".to_string(), "close")
        ]
    );
    w.gh.clear_requests();
    assert_eq!(w.sync().exit, 0);
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn an_item_open_again_reopens_its_issue() {
    let w = World::new();
    w.sync();
    w.edit(
        "| @alice | 2025-08-01 | Open |",
        "| @alice | 2025-08-01 | Done |",
    );
    w.sync();
    assert_eq!(w.issue_for(KEY1).state, "closed");
    w.edit(
        "| @alice | 2025-08-01 | Done |",
        "| @alice | 2025-08-01 | Blocked |",
    );
    let out = w.sync();
    assert_eq!(actions(&out)[0], (KEY1.to_string(), "reopen"));
    let i = w.issue_for(KEY1);
    assert_eq!(
        (i.state.as_str(), i.state_reason.as_deref()),
        ("open", Some("reopened"))
    );
}

#[test]
fn an_item_removed_from_the_document_is_an_orphan_left_alone() {
    let w = World::new();
    w.sync();
    w.edit(
        "| PM-AI-002 | Write the rollback runbook for auth deploys | @bob | 2025-08-08 | In Progress |\n",
        "",
    );
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(out.exit, 0);
    assert_eq!(w.gh.write_count(), 0);
    assert!(actions(&out).contains(&("INC-2025-07-18-001/PM-AI-002".into(), "orphan")));
    assert_eq!(w.issue_for("INC-2025-07-18-001/PM-AI-002").state, "open");
    assert!(out.stdout.contains("orphan"));
}

#[test]
fn more_than_a_hundred_issues_and_pull_requests_are_paged_through() {
    let w = World::new();
    // github.com's Link headers point at /repositories/{id}/issues.
    w.gh.use_repository_id_links(true);
    for n in 0..230 {
        w.gh.seed_issue(
            REPO,
            SeedIssue {
                title: format!("Unrelated {n}"),
                body: "nothing".into(),
                labels: if n % 2 == 0 {
                    vec!["postmortem".into()]
                } else {
                    vec![]
                },
                pull_request: n % 7 == 0,
                author: "someone".into(),
                ..SeedIssue::default()
            },
        );
    }
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert!(all(&out, "create"));
    // Pages of the unfiltered listing before the first create.
    assert!(w.gh.requests().iter().any(|r| r.query.contains("page=3")));
    w.gh.clear_requests();
    let again = w.sync();
    assert!(all(&again, "unchanged"), "{:?}", actions(&again));
    assert_eq!(w.gh.write_count(), 0);
    assert!(w.gh.requests().iter().any(|r| r.query.contains("page=2")));
}

#[test]
fn server_errors_and_dropped_connections_on_reads_are_retried() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::Status(502))
            .method("GET")
            .path("/issues")
            .times(2),
    );
    w.gh.inject(Fault::new(FaultKind::Drop).method("GET").path("/user"));
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(w.issues().len(), 3);
    let backoffs = out
        .waits
        .iter()
        .filter(|w| matches!(w, Wait::Backoff(_)))
        .count();
    assert_eq!(backoffs, 3);
}

#[test]
fn a_create_answered_502_without_being_applied_is_created_once() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::Status(502))
            .method("POST")
            .path("/issues"),
    );
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.issues().len(), 3);
    w.issue_for(KEY1);
}

#[test]
fn a_ghost_create_is_found_instead_of_duplicated() {
    for kind in [FaultKind::ApplyThenStatus(502), FaultKind::ApplyThenDrop] {
        let w = World::new();
        w.gh.inject(Fault::new(kind.clone()).method("POST").path("/issues"));
        let out = w.sync();
        assert_eq!(out.exit, 0, "{kind:?}: {}", out.stdout);
        assert_eq!(w.issues().len(), 3, "{kind:?}");
        w.issue_for(KEY1);
        let e = &out.report.as_ref().unwrap().entries[0];
        assert!(
            e.warnings.iter().any(|m| m.contains("was found")),
            "{:?}",
            e.warnings
        );
        assert!(e.issue.is_some());
        w.gh.clear_requests();
        assert!(all(&w.sync(), "unchanged"));
        assert_eq!(w.gh.write_count(), 0);
    }
}

#[test]
fn a_stalled_create_and_a_failed_update_are_retried_safely() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::Stall { ms: 50 })
            .method("POST")
            .path("/issues"),
    );
    assert_eq!(w.sync().exit, 0);
    assert_eq!(w.issues().len(), 3);
    // An update applied but answered 502, then a dropped one: PATCH is
    // sent again (it sets values, so twice is harmless).
    w.gh.inject(Fault::new(FaultKind::ApplyThenStatus(502)).method("PATCH"));
    w.gh.inject(Fault::new(FaultKind::Drop).method("PATCH"));
    w.edit(
        "| @alice | 2025-08-01 | Open |",
        "| @alice | 2025-08-01 | Done |",
    );
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(actions(&out)[0], (KEY1.to_string(), "close"));
    assert_eq!(w.issue_for(KEY1).state, "closed");
    assert_eq!(w.issues().len(), 3);
    w.gh.clear_requests();
    assert!(all(&w.sync(), "unchanged"));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn a_slow_answer_times_out_and_is_not_duplicated() {
    let w = World::new();
    // A read answered too late is retried; a create answered too late is
    // looked up before anything is sent again.
    w.gh.inject(
        Fault::new(FaultKind::Delay { ms: 1500 })
            .method("GET")
            .path("/user"),
    );
    w.gh.inject(
        Fault::new(FaultKind::Delay { ms: 1500 })
            .method("POST")
            .path("/issues"),
    );
    let mut env = w.env();
    env.request_timeout = Duration::from_millis(300);
    let out = w.sync_with(w.opts(), env);
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.issues().len(), 3);
    w.issue_for(KEY1);
}

#[test]
fn rate_limits_are_waited_out_as_the_server_asks() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::TooManyRequests {
            retry_after_secs: 7,
        })
        .method("POST")
        .path("/issues"),
    );
    w.gh.inject(
        Fault::new(FaultKind::SecondaryRateLimit {
            retry_after_secs: 11,
        })
        .method("GET")
        .path("/labels"),
    );
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.issues().len(), 3);
    assert_eq!(
        rate_waits(&out),
        [Duration::from_secs(11), Duration::from_secs(7)]
    );
}

#[test]
fn primary_rate_limit_exhaustion_waits_until_the_reset() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::PrimaryRateLimit { reset_in_secs: 40 })
            .method("GET")
            .path("/repos/acme/ops"),
    );
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    let waits = rate_waits(&out);
    assert_eq!(waits.len(), 1);
    // The reset is in whole seconds of the server's clock (+1 s margin).
    assert!((39..=42).contains(&waits[0].as_secs()), "{waits:?}");
}

#[test]
fn a_rate_limit_past_max_wait_stops_cleanly_and_fails() {
    let w = World::new();
    w.gh.inject(
        Fault::new(FaultKind::TooManyRequests {
            retry_after_secs: 3600,
        })
        .method("POST")
        .path("/issues")
        .skip(1),
    );
    let opts = SyncOptions {
        max_wait: Some("90s".into()),
        json: true,
        ..w.opts()
    };
    let out = w.sync_with(opts, w.env());
    assert_eq!(out.exit, 1, "{}", out.stdout);
    assert_eq!(w.issues().len(), 1, "the first create went through");
    assert!(rate_waits(&out).is_empty(), "no wait past the bound");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["create"], 1);
    assert_eq!(json["summary"]["failed"], 2);
    assert!(json["items"][2]["error"]
        .as_str()
        .unwrap()
        .contains("not attempted"));
    assert!(out.stderr.contains("--max-wait"));
    // A re-run converges.
    let again = w.sync();
    assert_eq!(again.exit, 0);
    assert_eq!(w.issues().len(), 3);
}

#[test]
fn a_marker_forged_by_another_account_is_ignored() {
    let w = World::new();
    let forged = w.gh.seed_issue(
        REPO,
        SeedIssue {
            title: "Give me this item".into(),
            body: format!("<!-- pmlint:item key=\"{KEY1}\" hash=\"0000000000000000\" v=\"1\" -->"),
            author: "mallory".into(),
            labels: vec!["postmortem".into()],
            ..SeedIssue::default()
        },
    );
    let out = w.sync();
    assert_eq!(out.exit, 0);
    assert_eq!(w.issues().len(), 4);
    let mine: Vec<Issue> = w
        .issues()
        .into_iter()
        .filter(|i| i.body.contains(KEY1) && i.author == LOGIN)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(w.gh.issue(REPO, forged).unwrap().title, "Give me this item");
    let e = &out.report.unwrap().entries[0];
    assert!(
        e.warnings.iter().any(|m| m.contains("@mallory")),
        "{:?}",
        e.warnings
    );
}

#[test]
fn a_hand_edited_assignee_and_title_survive() {
    let w = World::new();
    w.sync();
    let n = w.issue_for(KEY1).number;
    w.gh.add_assignable(REPO, "dave");
    w.gh.edit_issue(REPO, n, |i| {
        i.assignees = vec!["dave".into()];
        i.title = "Login alert (edited by hand)".into();
    });
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(w.gh.write_count(), 0);
    assert_eq!(actions(&out)[0], (KEY1.to_string(), "unchanged"));
    // The document changes another field: only that one is written.
    w.edit("2025-08-01", "2025-10-01");
    w.sync();
    let i = w.issue_for(KEY1);
    assert_eq!(i.assignees, ["dave"]);
    assert_eq!(i.title, "Login alert (edited by hand)");
    assert!(i.body.contains("2025-10-01"));
}

#[test]
fn an_issue_closed_by_hand_stays_closed_until_the_status_changes() {
    let w = World::new();
    w.sync();
    let n = w.issue_for(KEY1).number;
    w.gh.edit_issue(REPO, n, |i| {
        i.state = "closed".into();
        i.state_reason = Some("not_planned".into());
    });
    w.gh.clear_requests();
    let out = w.sync();
    assert_eq!(out.exit, 0);
    assert_eq!(w.gh.write_count(), 0);
    let e = &out.report.as_ref().unwrap().entries[0];
    assert_eq!(e.action.as_str(), "unchanged");
    assert!(
        e.warnings.iter().any(|m| m.contains("closed by hand")),
        "{:?}",
        e.warnings
    );
    // The item is Done now: the state the document wants is written.
    w.edit(
        "| @alice | 2025-08-01 | Open |",
        "| @alice | 2025-08-01 | Done |",
    );
    let out = w.sync();
    assert_eq!(actions(&out)[0].1, "update");
    let i = w.issue_for(KEY1);
    assert_eq!(
        (i.state.as_str(), i.state_reason.as_deref()),
        ("closed", Some("completed"))
    );
}

#[test]
fn a_label_removed_by_hand_does_not_cause_a_duplicate() {
    let w = World::new();
    w.sync();
    let n = w.issue_for(KEY1).number;
    w.gh.edit_issue(REPO, n, |i| i.labels.clear());
    // A new item forces a create, hence the full listing.
    w.edit(
        "| PM-AI-003 |",
        "| PM-AI-004 | Page the on-call for login errors | @bob | 2025-08-20 | Open |\n| PM-AI-003 |",
    );
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.issues().len(), 4);
    w.issue_for(KEY1);
    assert_eq!(actions(&out)[0], (KEY1.to_string(), "unchanged"));
    // The label stays removed: a hand edit.
    assert!(w.gh.issue(REPO, n).unwrap().labels.is_empty());
}

#[test]
fn written_back_links_find_an_unlabelled_issue_without_a_full_listing() {
    let w = World::new();
    let opts = SyncOptions {
        write_back: true,
        ..w.opts()
    };
    assert_eq!(w.sync_with(opts.clone(), w.env()).exit, 0);
    let n = w.issue_for(KEY1).number;
    w.gh.edit_issue(REPO, n, |i| i.labels.clear());
    w.gh.clear_requests();
    let out = w.sync_with(opts, w.env());
    assert_eq!(out.exit, 0);
    assert_eq!(w.gh.write_count(), 0);
    assert!(all(&out, "unchanged"), "{:?}", actions(&out));
    assert!(w
        .gh
        .requests()
        .iter()
        .any(|r| r.path == format!("/repos/{REPO}/issues/{n}")));
}

#[test]
fn max_writes_stops_writing_and_the_next_run_continues() {
    let w = World::new();
    w.gh.add_label(REPO, "postmortem");
    w.gh.add_label(REPO, "action-item");
    let opts = SyncOptions {
        max_writes: Some(2),
        json: true,
        ..w.opts()
    };
    let out = w.sync_with(opts.clone(), w.env());
    assert_eq!(out.exit, 1);
    assert_eq!(w.issues().len(), 2);
    assert_eq!(w.gh.write_count(), 2);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["skipped"], 1);
    assert!(json["items"][2]["error"]
        .as_str()
        .unwrap()
        .contains("--max-writes"));
    let out = w.sync_with(opts, w.env());
    assert_eq!(out.exit, 0, "{}", out.stdout);
    assert_eq!(w.issues().len(), 3);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let w = World::new();
    let before = std::fs::read(w.doc()).unwrap();
    let opts = SyncOptions {
        dry_run: true,
        write_back: true,
        json: true,
        ..w.opts()
    };
    let out = w.sync_with(opts, w.env());
    assert_eq!(out.exit, 0);
    assert_eq!(w.gh.write_count(), 0);
    assert_eq!(std::fs::read(w.doc()).unwrap(), before);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["repo"], REPO);
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["summary"]["create"], 3);
    assert_eq!(json["summary"]["writes"], 0);
    assert_eq!(json["items"][0]["key"], KEY1);
    assert_eq!(json["items"][0]["line"], 12);
    assert_eq!(json["items"][0]["action"], "create");
    // Human form.
    let out = w.sync_with(
        SyncOptions {
            dry_run: true,
            ..w.opts()
        },
        w.env(),
    );
    assert!(out.stdout.contains("dry run"), "{}", out.stdout);
    assert!(out.stdout.contains("create"));
    assert!(out.stdout.contains("3 create,"));
}

#[test]
fn an_anonymous_dry_run_reads_without_a_token() {
    let w = World::new();
    w.gh.allow_anonymous_reads(true);
    let mut env = w.env();
    env.token = None;
    let opts = SyncOptions {
        dry_run: true,
        ..w.opts()
    };
    let out = w.sync_with(opts.clone(), env.clone());
    assert_eq!(out.exit, 0, "{}{}", out.stdout, out.stderr);
    assert!(all(&out, "create"));
    w.gh.allow_anonymous_reads(false);
    let out = w.sync_with(opts, env);
    assert_eq!(out.exit, 2);
}

#[test]
fn write_back_links_the_ids_and_changes_nothing_else() {
    let w = World::new();
    let original = format!("\u{feff}{}", DOC.replace('\n', "\r\n"));
    w.write(&original);
    let opts = SyncOptions {
        write_back: true,
        ..w.opts()
    };
    let out = w.sync_with(opts.clone(), w.env());
    assert_eq!(out.exit, 0, "{}", out.stdout);
    let mut expected = original.clone();
    for id in ["PM-AI-001", "PM-AI-002", "PM-AI-003"] {
        let i = w.issue_for(&format!("INC-2025-07-18-001/{id}"));
        expected = expected.replace(
            &format!("| {id} |"),
            &format!(
                "| [{id}]({}/acme/ops/issues/{}) |",
                w.gh.html_url(),
                i.number
            ),
        );
    }
    let written = std::fs::read(w.doc()).unwrap();
    assert_eq!(String::from_utf8(written.clone()).unwrap(), expected);
    // Linked: the next run changes neither GitHub nor the file.
    w.gh.clear_requests();
    assert_eq!(w.sync_with(opts, w.env()).exit, 0);
    assert_eq!(w.gh.write_count(), 0);
    assert_eq!(std::fs::read(w.doc()).unwrap(), written);
}

#[test]
fn a_refused_assignee_is_created_without_and_not_retried() {
    let w = World::new();
    w.edit("| @bob | 2025-08-08", "| @carol | 2025-08-08");
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    let i = w.issue_for("INC-2025-07-18-001/PM-AI-002");
    assert!(i.assignees.is_empty());
    assert!(i.body.contains("refused=\"carol\""));
    assert!(
        i.body.contains("`@carol`"),
        "no bare mention of a refused owner"
    );
    let e = &out.report.as_ref().unwrap().entries[1];
    assert!(
        e.warnings.iter().any(|m| m.contains("@carol")),
        "{:?}",
        e.warnings
    );
    w.gh.clear_requests();
    assert!(all(&w.sync(), "unchanged"));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn only_the_refused_one_of_several_owners_is_left_out() {
    let w = World::new();
    w.edit("| @bob | 2025-08-08", "| @bob, @carol | 2025-08-08");
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}", out.stdout);
    let i = w.issue_for("INC-2025-07-18-001/PM-AI-002");
    assert_eq!(i.assignees, ["bob"]);
    assert!(i.body.contains("refused=\"carol\""));
    w.gh.clear_requests();
    assert!(all(&w.sync(), "unchanged"));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn a_workflow_token_that_cannot_read_its_account_still_recognises_its_issues() {
    let w = World::new();
    // An installation token: GET /user is refused; its issues are
    // written by github-actions[bot].
    w.gh.add_token("ghs_installation", "github-actions[bot]");
    w.gh.inject(
        Fault::new(FaultKind::Status(403))
            .method("GET")
            .path("/user")
            .times(100),
    );
    let mut env = w.env();
    env.token = Some("ghs_installation".into());
    let out = w.sync_with(w.opts(), env.clone());
    assert_eq!(out.exit, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(w.issue_for(KEY1).author, "github-actions[bot]");
    assert!(
        out.stdout.contains("github-actions[bot]"),
        "the report notes it"
    );
    w.gh.clear_requests();
    let again = w.sync_with(w.opts(), env);
    assert!(all(&again, "unchanged"), "{:?}", actions(&again));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn invalid_items_are_skipped_and_fail_the_run_while_others_sync() {
    let w = World::new();
    w.edit(
        "| @bob | 2025-08-08 | In Progress |",
        "| @bob | 2025-08-08 | Someday |",
    );
    let out = w.sync();
    assert_eq!(out.exit, 1);
    assert_eq!(w.issues().len(), 2);
    let a = actions(&out);
    assert_eq!(a[1], ("INC-2025-07-18-001/PM-AI-002".into(), "skipped"));
    assert!(out.stdout.contains("status `Someday`"));
}

#[test]
fn drafts_are_skipped_without_failing() {
    let w = World::new();
    w.edit("status: Finalised", "status: Draft");
    let out = w.sync();
    assert_eq!(out.exit, 0);
    assert!(all(&out, "skipped"));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn auth_and_repository_problems_exit_2_without_writes() {
    let w = World::new();
    let mut env = w.env();
    env.token = Some("ghp_wrong_token_value".into());
    let out = w.sync_with(w.opts(), env);
    assert_eq!(out.exit, 2);
    assert!(out.stderr.contains("401"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("ghp_wrong_token_value")
            && !out.stdout.contains("ghp_wrong_token_value")
    );
    assert_eq!(w.gh.write_count(), 0);
    w.gh.add_read_only_token("ghp_read_only", LOGIN);
    let mut env = w.env();
    env.token = Some("ghp_read_only".into());
    let out = w.sync_with(w.opts(), env);
    assert_eq!(out.exit, 2);
    assert!(out.stderr.contains("issues: write"), "{}", out.stderr);
    assert!(w.issues().is_empty());
    // The first write is refused and the run stops there.
    assert_eq!(w.gh.write_count(), 1);
    w.gh.clear_requests();
    let out = w.sync_with(
        SyncOptions {
            repo: Some("acme/missing".into()),
            ..w.opts()
        },
        w.env(),
    );
    assert_eq!(out.exit, 2);
    assert!(
        out.stderr.contains("acme/missing not found"),
        "{}",
        out.stderr
    );
    let mut env = w.env();
    env.token = None;
    let out = w.sync_with(w.opts(), env);
    assert_eq!(out.exit, 2);
    assert!(out.stderr.contains("GITHUB_TOKEN"));
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn an_enterprise_server_prefix_works() {
    let w = World::with(FakeGitHub::start_with_prefix("/api/v3"));
    for n in 0..120 {
        w.gh.seed_issue(
            REPO,
            SeedIssue {
                title: format!("Old {n}"),
                labels: vec!["postmortem".into()],
                ..SeedIssue::default()
            },
        );
    }
    assert!(w.gh.url().ends_with("/api/v3"));
    let out = w.sync();
    assert_eq!(out.exit, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(w.issues().len(), 123);
    w.gh.clear_requests();
    assert!(all(&w.sync(), "unchanged"));
    assert_eq!(w.gh.write_count(), 0);
}

// End to end through the binary.

fn pmlint(w: &World) -> Command {
    let mut cmd = Command::cargo_bin("pmlint").unwrap();
    cmd.current_dir(w.dir.path())
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", w.gh.url())
        .env("GITHUB_SERVER_URL", w.gh.html_url())
        .env("GITHUB_SHA", SHA);
    cmd
}

fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("json on stdout")
}

#[test]
fn the_binary_syncs_then_makes_zero_writes() {
    let w = World::new();
    let out = pmlint(&w)
        .args(["sync", "--format", "json", "--write-interval-ms", "0"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    assert_eq!(json["summary"]["create"], 3);
    assert_eq!(json["items"][0]["file"], "pm.md");
    w.gh.clear_requests();
    let out = pmlint(&w)
        .args(["sync", "pm.md", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["summary"]["unchanged"], 3);
    assert_eq!(w.gh.write_count(), 0);
}

#[test]
fn the_binary_refuses_a_bad_token_without_printing_it() {
    let w = World::new();
    let secret = "ghp_this_must_never_be_printed_0042";
    let out = pmlint(&w)
        .env("GITHUB_TOKEN", secret)
        .args(["sync", "--write-interval-ms", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Bad credentials") || stderr.contains("401"),
        "{stderr}"
    );
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
    assert_eq!(w.gh.write_count(), 0);
    // The token travelled only in the Authorization header.
    assert!(w
        .gh
        .requests()
        .iter()
        .all(|r| !r.path.contains(secret) && !r.query.contains(secret)));
}

#[test]
fn the_binary_takes_the_specified_flags() {
    let w = World::new();
    let out = pmlint(&w)
        .args([
            "sync",
            ".",
            "--repo",
            REPO,
            "--dry-run",
            "--api-url",
            &w.gh.url(),
            "--label",
            "pm",
            "--label",
            "follow-up",
            "--no-close-done",
            "--no-assign-owners",
            "--max-writes",
            "5",
            "--write-interval-ms",
            "0",
            "--full-scan",
            "--max-wait",
            "1h",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 create"));
    // --full-scan lists every issue, no label filter.
    assert!(w
        .gh
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/issues"))
        .all(|r| !r.query.contains("labels=")));
    let bad = pmlint(&w)
        .args(["sync", "--max-wait", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(Path::new(&w.doc()).exists());
}

#[test]
fn the_binary_reads_the_sync_settings_from_a_named_config_file() {
    let w = World::new();
    std::fs::write(
        w.dir.path().join("sync-settings.yml"),
        "sync:\n  labels: [incident-follow-up]\n  write_interval_ms: 0\n",
    )
    .unwrap();
    let out = pmlint(&w)
        .args(["sync", "--config", "sync-settings.yml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout_json(&out)["summary"]["create"], 3);
    let issues = w.gh.issues(REPO);
    assert_eq!(issues.len(), 3);
    assert!(issues
        .iter()
        .all(|i| i.labels == vec!["incident-follow-up".to_string()]));
    // A missing file is a configuration error, exit 2, before any request.
    w.gh.clear_requests();
    let out = pmlint(&w)
        .args(["sync", "--config", "missing.yml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(w.gh.requests().is_empty());
}
