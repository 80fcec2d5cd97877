//! `pmlint sync`: every action item becomes a GitHub issue — created,
//! updated, closed, reopened — idempotently.
//!
//! ```text
//! documents ──items──▶ Desired ──plan(current issues)──▶ Plan ──apply──▶ GitHub
//! ```
//!
//! [`documents`] reads the items (pure), [`plan`] compares them with the
//! issues (pure), [`apply`] writes through [`github`] (pmlint's fault
//! handling over octocrab), [`writeback`] links the IDs in the documents.
//! [`run`] ties them together; the whole run is callable in-process with
//! an injected [`clock::Clock`], so tests never really wait.

pub mod apply;
pub mod clock;
pub mod documents;
pub mod github;
pub mod key;
pub mod marker;
pub mod plan;
pub mod render;
pub mod report;
pub mod writeback;

use crate::app::{EXIT_FAILURES, EXIT_OK, EXIT_USAGE};
use crate::config::Settings;
use clock::Clock;
use documents::{IdAnchor, ItemRules};
use github::{ApiBase, ApiError, GitHub, OctocrabTransport, Policy, Token, Wait};
use plan::{Action, CurrentIssue, Desired, OrphanScope, PlanContext, Skipped, Syncer};
use render::Links;
use report::Report;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use clock::{ManualClock, SystemClock};

/// The command line's choices (`None`: the configuration decides).
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    pub paths: Vec<String>,
    pub repo: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub api_url: Option<String>,
    /// `--label`, repeated; empty: `sync.labels`.
    pub labels: Vec<String>,
    pub close_done: Option<bool>,
    pub assign_owners: Option<bool>,
    pub max_writes: Option<usize>,
    pub write_back: bool,
    pub write_interval_ms: Option<u64>,
    pub full_scan: bool,
    pub max_wait: Option<String>,
}

/// What the run takes from its environment.
#[derive(Clone)]
pub struct SyncEnv {
    /// `GITHUB_TOKEN`, else `GH_TOKEN`.
    pub token: Option<String>,
    /// `GITHUB_REPOSITORY`.
    pub repository: Option<String>,
    /// `GITHUB_API_URL`.
    pub api_url: Option<String>,
    /// `GITHUB_SERVER_URL`.
    pub server_url: Option<String>,
    /// `GITHUB_SHA`, else `git rev-parse HEAD`.
    pub sha: Option<String>,
    /// The repository root: keys and permalinks use paths relative to it.
    pub root: PathBuf,
    /// Per request, answer included.
    pub request_timeout: Duration,
    /// Backoff before the first retry (doubles per attempt).
    pub backoff: Duration,
}

impl std::fmt::Debug for SyncEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEnv")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("repository", &self.repository)
            .field("api_url", &self.api_url)
            .field("server_url", &self.server_url)
            .field("sha", &self.sha)
            .field("root", &self.root)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

impl SyncEnv {
    /// The process environment; the root is `git rev-parse
    /// --show-toplevel`, else the current directory.
    pub fn from_process() -> SyncEnv {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .stderr(std::process::Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        SyncEnv {
            token: var("GITHUB_TOKEN").or_else(|| var("GH_TOKEN")),
            repository: var("GITHUB_REPOSITORY"),
            api_url: var("GITHUB_API_URL"),
            server_url: var("GITHUB_SERVER_URL"),
            sha: var("GITHUB_SHA").or_else(|| git(&["rev-parse", "HEAD"])),
            root: git(&["rev-parse", "--show-toplevel"])
                .map(PathBuf::from)
                .unwrap_or(cwd),
            request_timeout: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
        }
    }
}

/// The result of a run: the exit status, what to print, and what the run
/// waited for.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
    pub report: Option<Report>,
    pub waits: Vec<Wait>,
}

/// `90s`, `15m`, `1h`, `1h30m`, `500ms`; a bare number is seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<u64>() {
        return Some(Duration::from_secs(n));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let d = match unit {
            "ms" => Duration::from_millis(n),
            "s" | "sec" | "secs" => Duration::from_secs(n),
            "m" | "min" | "mins" => Duration::from_secs(n.checked_mul(60)?),
            "h" | "hr" | "hrs" => Duration::from_secs(n.checked_mul(3600)?),
            _ => return None,
        };
        total = total.checked_add(d)?;
    }
    Some(total)
}

fn valid_repo(repo: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p != "."
            && p != ".."
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(repo.split_once('/'), Some((o, n)) if ok(o) && ok(n))
}

/// Replaces every occurrence of the token, whatever happens upstream.
fn redact(text: String, token: Option<&Token>) -> String {
    match token {
        Some(t) if text.contains(t.secret()) => text.replace(t.secret(), "***"),
        _ => text,
    }
}

fn usage(message: impl Into<String>) -> Outcome {
    Outcome {
        exit: EXIT_USAGE,
        stdout: String::new(),
        stderr: format!("error: {}\n", message.into()),
        report: None,
        waits: Vec::new(),
    }
}

/// The documents' items.
struct Gathered {
    desired: Vec<Desired>,
    skipped: Vec<Skipped>,
    incidents: BTreeSet<String>,
    /// Per file: its path, the bytes read, and its ID anchors.
    files: Vec<(PathBuf, Vec<u8>, Vec<IdAnchor>)>,
}

fn repo_relative(path: &Path, root: &Path) -> String {
    let abs = crate::app::files::canonical(path);
    let root = crate::app::files::canonical(root);
    match abs.strip_prefix(&root) {
        Ok(rel) => crate::app::files::display(rel),
        Err(_) => crate::app::files::display(path),
    }
}

fn gather(
    paths: &[String],
    settings: &Settings,
    rules: &ItemRules,
    root: &Path,
) -> Result<Gathered, String> {
    let paths = if paths.is_empty() && settings.has_include() {
        settings.config.include.clone()
    } else {
        paths.to_vec()
    };
    let mut ignored = Vec::new();
    let targets = crate::app::files::collect(&paths, settings, &mut ignored)?;
    let mut g = Gathered {
        desired: Vec::new(),
        skipped: Vec::new(),
        incidents: BTreeSet::new(),
        files: Vec::new(),
    };
    let max = settings.config.max_file_size.0;
    for t in targets {
        let unreadable = |reason: String| Skipped {
            key: None,
            file: t.display.clone(),
            line: None,
            reason,
            blocking: true,
        };
        let bytes = match std::fs::metadata(&t.path) {
            Ok(m) if m.len() > max => {
                g.skipped.push(unreadable(format!(
                    "the file is {} bytes, over the {max} byte limit (`max_file_size`)",
                    m.len()
                )));
                continue;
            }
            Ok(_) => match std::fs::read(&t.path) {
                Ok(b) => b,
                Err(e) => {
                    g.skipped
                        .push(unreadable(format!("cannot read the file: {e}")));
                    continue;
                }
            },
            Err(e) => {
                g.skipped
                    .push(unreadable(format!("cannot read the file: {e}")));
                continue;
            }
        };
        if crate::lint::looks_binary(&bytes) {
            if t.explicit {
                g.skipped.push(unreadable("binary file".into()));
            }
            continue;
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            g.skipped
                .push(unreadable("the file is not valid UTF-8".into()));
            continue;
        };
        let lint_opts = crate::lint::LintOptions {
            settings,
            today: chrono::NaiveDate::default(),
            select: None,
            ignore: Vec::new(),
            summary: false,
        };
        if !t.explicit && !crate::app::check::looks_like_postmortem(text, &lint_opts) {
            continue;
        }
        let rel = repo_relative(&t.path, root);
        let items = documents::items_of(text, &t.display, &rel, settings, rules);
        g.incidents.insert(items.incident.clone());
        g.desired.extend(items.desired);
        g.skipped.extend(items.skipped);
        g.files.push((t.path.clone(), bytes.clone(), items.anchors));
    }
    // One key, one item: two documents with the same incident and item ID
    // would fight over one issue.
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in g.desired.iter().enumerate() {
        by_key.entry(d.key.to_string()).or_default().push(i);
    }
    let clashing: BTreeSet<usize> = by_key
        .values()
        .filter(|v| v.len() > 1)
        .flatten()
        .copied()
        .collect();
    if !clashing.is_empty() {
        let place = |i: usize| format!("{}:{}", g.desired[i].file, g.desired[i].line);
        let others: BTreeMap<usize, String> = clashing
            .iter()
            .map(|&i| {
                let list: Vec<String> = by_key[g.desired[i].key.as_str()]
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| place(j))
                    .collect();
                (i, list.join(", "))
            })
            .collect();
        let all = std::mem::take(&mut g.desired);
        for (i, d) in all.into_iter().enumerate() {
            if !clashing.contains(&i) {
                g.desired.push(d);
                continue;
            }
            g.skipped.push(Skipped {
                key: Some(d.key.clone()),
                file: d.file.clone(),
                line: Some(d.line),
                reason: format!(
                    "the key {} is also used at {}: one key, one issue",
                    d.key, others[&i]
                ),
                blocking: true,
            });
        }
    }
    Ok(g)
}

/// Runs `pmlint sync`.
pub fn run(opts: &SyncOptions, settings: &Settings, env: &SyncEnv, clock: &dyn Clock) -> Outcome {
    let cfg = &settings.config.sync;
    let labels: Vec<String> = if opts.labels.is_empty() {
        cfg.labels.clone()
    } else {
        opts.labels.clone()
    };
    // Label names compare case-insensitively on GitHub.
    let mut unique: Vec<String> = Vec::new();
    for l in labels.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(l)) {
            unique.push(l.to_string());
        }
    }
    let labels = unique;
    if labels.is_empty() {
        return usage("sync needs at least one label (`sync.labels` or --label): the first is how pmlint finds its issues");
    }
    let Some(repo) = opts
        .repo
        .clone()
        .or_else(|| env.repository.clone())
        .map(|r| r.trim().to_string())
    else {
        return usage("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY");
    };
    if !valid_repo(&repo) {
        return usage(format!("`{repo}` is not a repository name like OWNER/NAME"));
    }
    let api_url = opts
        .api_url
        .clone()
        .or_else(|| env.api_url.clone())
        .unwrap_or_else(|| "https://api.github.com".into());
    let base = match ApiBase::parse(&api_url) {
        Ok(b) => b,
        Err(e) => return usage(e),
    };
    let token = match Token::new(env.token.as_deref().unwrap_or("")) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    if token.is_none() && !opts.dry_run {
        return usage(
            "no token: set GITHUB_TOKEN (or GH_TOKEN) to a token that may write issues (in a workflow: `env: GITHUB_TOKEN: ${{ github.token }}` with `permissions: issues: write`); --dry-run works without one for public repositories",
        );
    }
    let max_wait_text = opts
        .max_wait
        .clone()
        .unwrap_or_else(|| cfg.max_wait.clone());
    let Some(max_wait) = parse_duration(&max_wait_text) else {
        return usage(format!(
            "--max-wait `{max_wait_text}` is not a duration like 90s, 15m or 1h"
        ));
    };
    let server_url = env
        .server_url
        .clone()
        .unwrap_or_else(|| "https://github.com".into())
        .trim_end_matches('/')
        .to_string();
    let sha = env
        .sha
        .clone()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| "HEAD".into());
    let rules = ItemRules {
        labels: labels.clone(),
        assign_owners: opts.assign_owners.unwrap_or(cfg.assign_owners),
        close_done: opts.close_done.unwrap_or(cfg.close_done),
        include_drafts: cfg.include_drafts,
        repo: repo.clone(),
    };
    let gathered = match gather(&opts.paths, settings, &rules, &env.root) {
        Ok(g) => g,
        Err(e) => return usage(e),
    };
    let transport = match OctocrabTransport::new(&base, token.as_ref(), env.request_timeout) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    let policy = Policy {
        max_wait,
        write_interval: Duration::from_millis(
            opts.write_interval_ms.unwrap_or(cfg.write_interval_ms),
        ),
        backoff: env.backoff,
        ..Policy::default()
    };
    let gh = GitHub::new(&transport, clock, policy, base, &repo, &server_url);
    let ctx = Ctx {
        opts,
        gh: &gh,
        repo: &repo,
        links: Links {
            server_url,
            repo: repo.clone(),
            sha,
        },
        labels: &labels,
        max_writes: opts.max_writes.unwrap_or(cfg.max_writes),
        has_token: token.is_some(),
    };
    let mut outcome = sync(&ctx, gathered);
    outcome.waits = gh.waits();
    outcome.stdout = redact(outcome.stdout, token.as_ref());
    outcome.stderr = redact(outcome.stderr, token.as_ref());
    outcome
}

struct Ctx<'a> {
    opts: &'a SyncOptions,
    gh: &'a GitHub<'a>,
    repo: &'a str,
    links: Links,
    labels: &'a [String],
    max_writes: usize,
    has_token: bool,
}

/// Every desired item failed for one reason (the run could not plan).
fn all_failed(ctx: &Ctx<'_>, g: &Gathered, why: &str, exit: i32) -> Outcome {
    let mut entries: Vec<plan::Entry> = g
        .desired
        .iter()
        .map(|d| plan::Entry {
            key: Some(d.key.clone()),
            file: Some(d.file.clone()),
            line: Some(d.line),
            action: Action::Failed,
            issue: None,
            url: None,
            warnings: Vec::new(),
            error: Some(why.to_string()),
            change: plan::Change::None,
            blocking: false,
        })
        .collect();
    entries.extend(g.skipped.iter().map(|s| plan::Entry {
        key: s.key.clone(),
        file: Some(s.file.clone()),
        line: s.line,
        action: Action::Skipped,
        issue: None,
        url: None,
        warnings: if s.blocking {
            vec![]
        } else {
            vec![s.reason.clone()]
        },
        error: s.blocking.then(|| s.reason.clone()),
        change: plan::Change::None,
        blocking: s.blocking,
    }));
    let report = Report {
        repo: ctx.repo.to_string(),
        dry_run: ctx.opts.dry_run,
        entries,
        writes: ctx.gh.writes_sent(),
        notes: Vec::new(),
    };
    finish(ctx, report, exit, Some(why))
}

fn finish(ctx: &Ctx<'_>, report: Report, exit: i32, error: Option<&str>) -> Outcome {
    let stdout = if ctx.opts.json {
        report.json()
    } else {
        report.human()
    };
    Outcome {
        exit,
        stdout,
        stderr: error.map(|e| format!("error: {e}\n")).unwrap_or_default(),
        report: Some(report),
        waits: Vec::new(),
    }
}

fn exit_for(e: &ApiError) -> i32 {
    match e {
        ApiError::Fatal(_) => EXIT_USAGE,
        _ => EXIT_FAILURES,
    }
}

/// Merges `more` into `issues`, by number.
fn merge(issues: &mut Vec<CurrentIssue>, more: Vec<CurrentIssue>) {
    for i in more {
        match issues.iter_mut().find(|x| x.number == i.number) {
            Some(slot) => *slot = i,
            None => issues.push(i),
        }
    }
}

fn sync(ctx: &Ctx<'_>, g: Gathered) -> Outcome {
    let gh = ctx.gh;
    let mut notes = Vec::new();
    // Who pmlint is on GitHub: markers count only on its own issues.
    let syncer = if ctx.has_token {
        match gh.login() {
            Ok(Some(l)) => Syncer::Login(l),
            Ok(None) => {
                notes.push("the token cannot read its own account (GET /user: 403, an installation token such as a workflow's GITHUB_TOKEN): markers count on issues written by a bot (github-actions[bot])".to_string());
                Syncer::AnyBot
            }
            Err(e) => return all_failed(ctx, &g, &e.to_string(), exit_for(&e)),
        }
    } else {
        notes.push(
            "no token: reading anonymously, and markers count whoever wrote the issue".into(),
        );
        Syncer::Anyone
    };
    let managed = &ctx.labels[0];
    // GitHub's `labels` filter splits on commas: such a label needs the
    // full listing.
    let full = ctx.opts.full_scan || managed.contains(',');
    let listed = gh.list_issues(if full { None } else { Some(managed) });
    let mut issues = match listed {
        Ok(i) => i,
        Err(e) => return all_failed(ctx, &g, &e.to_string(), exit_for(&e)),
    };
    // Issues linked from the documents whose label was removed by hand.
    let linked: BTreeSet<u64> = g.desired.iter().filter_map(|d| d.linked_issue).collect();
    for n in linked {
        if issues.iter().any(|i| i.number == n) {
            continue;
        }
        match gh.issue(n) {
            Ok(Some(i)) => issues.push(i),
            Ok(None) => {}
            Err(e @ (ApiError::Fatal(_) | ApiError::RateLimited(_))) => {
                return all_failed(ctx, &g, &e.to_string(), exit_for(&e))
            }
            Err(e) => notes.push(format!("could not read linked issue #{n}: {e}")),
        }
    }
    let scope = if ctx.opts.paths.is_empty() {
        OrphanScope::All
    } else {
        OrphanScope::Incidents(g.incidents.clone())
    };
    let pctx = PlanContext {
        links: ctx.links.clone(),
        syncer: syncer.clone(),
        scope,
    };
    let mut the_plan = plan::plan(&g.desired, &g.skipped, &issues, &pctx);
    if the_plan.has_creates() && !full {
        // Before the first create: make sure the key is absent from every
        // issue, not only the labelled ones.
        match gh.list_issues(None) {
            Ok(all) => merge(&mut issues, all),
            Err(e) => return all_failed(ctx, &g, &e.to_string(), exit_for(&e)),
        }
        the_plan = plan::plan(&g.desired, &g.skipped, &issues, &pctx);
    }
    notes.extend(gh.take_notes());

    let mut exit = EXIT_OK;
    let mut error = None;
    if !ctx.opts.dry_run {
        let applied = apply::apply(&mut the_plan, gh, &syncer, ctx.labels, ctx.max_writes);
        if let Some(f) = &applied.fatal {
            exit = EXIT_USAGE;
            error = Some(f.clone());
        } else if let Some(s) = &applied.stopped {
            exit = EXIT_FAILURES;
            error = Some(s.clone());
        }
        if applied.cap_hit && exit == EXIT_OK {
            exit = EXIT_FAILURES;
        }
        if ctx.opts.write_back {
            write_back(&g, &mut the_plan.entries, &mut notes);
        }
    }
    if exit == EXIT_OK
        && the_plan
            .entries
            .iter()
            .any(|e| e.action == Action::Failed || (e.action == Action::Skipped && e.blocking))
    {
        exit = EXIT_FAILURES;
    }
    let report = Report {
        repo: ctx.repo.to_string(),
        dry_run: ctx.opts.dry_run,
        entries: the_plan.entries,
        writes: gh.writes_sent(),
        notes,
    };
    finish(ctx, report, exit, error.as_deref())
}

/// Links each synced item's ID to its issue in the documents.
fn write_back(g: &Gathered, entries: &mut [plan::Entry], notes: &mut Vec<String>) {
    let urls: BTreeMap<&str, &str> = entries
        .iter()
        .filter(|e| !matches!(e.action, Action::Failed | Action::Orphan | Action::Skipped))
        .filter_map(|e| Some((e.key.as_ref()?.as_str(), e.url.as_deref()?)))
        .collect();
    for (path, bytes, anchors) in &g.files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let pairs: Vec<(&IdAnchor, &str)> = anchors
            .iter()
            .filter_map(|a| Some((a, *urls.get(a.key.as_str())?)))
            .collect();
        let Some(new_text) = writeback::link_ids(text, &pairs) else {
            continue;
        };
        // The file must still be what was read: never overwrite an edit
        // made while the sync ran.
        match std::fs::read(path) {
            Ok(now) if now == *bytes => {}
            _ => {
                notes.push(format!(
                    "{}: changed during the sync; IDs not linked",
                    path.display()
                ));
                continue;
            }
        }
        if let Err(e) = crate::app::write_atomic(path, new_text.as_bytes()) {
            notes.push(format!("{}: cannot write the links: {e}", path.display()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_seconds_minutes_and_hours() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("42"), Some(Duration::from_secs(42)));
        for bad in ["", "m", "15x", "-1s", "1.5h", "99999999999999999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn repositories_are_owner_slash_name() {
        assert!(valid_repo("acme/ops"));
        assert!(valid_repo("a-b_c.d/e.f"));
        for bad in ["acme", "acme/", "/ops", "a/b/c", "a/..", "a b/c", "a/c?x"] {
            assert!(!valid_repo(bad), "{bad}");
        }
    }

    #[test]
    fn the_token_is_redacted_from_anything_printed() {
        let t = Token::new("ghp_abc").unwrap();
        assert_eq!(redact("x ghp_abc y".into(), t.as_ref()), "x *** y");
        let env = SyncEnv {
            token: Some("ghp_abc".into()),
            ..SyncEnv::from_process()
        };
        assert!(!format!("{env:?}").contains("ghp_abc"));
    }
}
