//! A fake GitHub REST API server for integration tests.
//!
//! A real HTTP/1.1 server on `127.0.0.1` (an ephemeral port), built on the
//! standard library only: one thread accepts connections, one thread serves
//! each connection (keep-alive, `Content-Length` and chunked request bodies,
//! `Expect: 100-continue`). It answers the part of the GitHub REST API that
//! `pmlint sync` talks to, with the objects, status codes, error bodies and
//! headers GitHub sends, so a typed client deserializes them as it would
//! GitHub's:
//!
//! * `GET /user`, `GET /rate_limit`
//! * `GET /repos/{o}/{r}` (and `/repositories/{id}/…` for every repository
//!   route, the form github.com uses in its `Link` headers)
//! * issues: list (filters `state`, `labels`, `assignee`, `creator`, `since`;
//!   `sort`, `direction`, `per_page`, `page`, `Link` header; pull requests
//!   mixed in), get, create, update; 410 for a deleted issue, 301 for a
//!   transferred one
//! * issue labels: list, add, replace, remove one, remove all
//! * issue assignees: add, remove; repository assignees: list, check one
//! * repository labels: list, get, create, update, delete
//!
//! Test-side control goes through [`FakeGitHub`]: tokens, repositories,
//! labels, seeded issues, hand edits "on GitHub", the log of requests and
//! injected faults ([`Fault`]).
//!
//! Behaviour worth knowing when writing a test:
//!
//! * Timestamps come from a logical clock that starts at
//!   2026-01-01T00:00:00Z and advances one second on every change, so
//!   `updated_at` differs after every write and nothing depends on the wall
//!   clock. Only the rate-limit headers (`x-ratelimit-reset`) and `Date` use
//!   real time, as their meaning requires.
//! * A repository's owner is assignable from the start; others only after
//!   [`FakeGitHub::add_assignable`]. New repositories have no labels.
//! * Closing without a reason sets `state_reason` `"completed"`; reopening
//!   sets `"reopened"` and clears `closed_at`, as GitHub does. As on GitHub,
//!   a PATCH's `state_reason` is ignored unless the same PATCH has `state`.
//! * An unassignable assignee in a create or update is a 422 and nothing
//!   changes (labels included); `POST …/issues/{n}/assignees` ignores
//!   unassignable logins, as GitHub does.
//! * `Link` headers are absolute, built from the `Host` the client sent and
//!   the prefix; they repeat the request's query with `page` replaced.
//! * The test-side methods panic on an unknown repository (a bug in the
//!   test), except [`FakeGitHub::issue`], which answers `None`.
//! * A request without `Authorization` gets 401 "Requires authentication"
//!   unless anonymous reads are allowed; an unknown token gets 401 "Bad
//!   credentials"; a read-only token gets 403 "Resource not accessible by
//!   integration" on writes (after the 404 for an unknown repository).
//! * Every request is logged ([`FakeGitHub::requests`]), malformed ones
//!   too (with what could be parsed of them, status 400).
//! * Faults are matched in the order they were injected; the first fault
//!   that fires decides the fate of the request and later faults do not see
//!   it. A fault counts every request that matches its method and path
//!   (`skip` of them pass), then fires `times` times, then is spent.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------------------
// Public interface
// ---------------------------------------------------------------------------

/// An issue (or pull request) to create directly in the fake's state,
/// without a request. `author` defaults to the repository owner; labels that
/// the repository lacks are created; `state_closed` without a
/// `state_reason` closes as `"completed"`.
#[derive(Clone, Debug, Default)]
pub struct SeedIssue {
    pub title: String,
    pub body: String,
    pub author: String,
    pub labels: Vec<String>,
    pub state_closed: bool,
    pub state_reason: Option<String>,
    pub assignees: Vec<String>,
    pub pull_request: bool,
}

/// A snapshot of an issue as the fake holds it. `body` is `""` when GitHub
/// would send `null`. Timestamps are ISO 8601 (`2026-01-01T00:00:05Z`).
///
/// [`FakeGitHub::edit_issue`] writes back `title`, `body`, `author`,
/// `labels`, `state`, `state_reason` and `assignees`; the other fields are
/// maintained by the server.
#[derive(Clone, Debug)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub author: String,
    pub labels: Vec<String>,
    /// `"open"` or `"closed"`.
    pub state: String,
    pub state_reason: Option<String>,
    pub assignees: Vec<String>,
    pub pull_request: bool,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path as sent (still percent-encoded), without the server's
    /// prefix; the full path when the request lay outside the prefix.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub body: String,
    /// The status answered; 0 when the connection was closed without an
    /// answer (or the answer is still being prepared).
    pub status: u16,
    /// The request's header fields as received, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first header field named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A fault to inject into matching requests.
#[derive(Clone, Debug)]
pub struct Fault {
    /// Match only this method (case-insensitive); `None` matches all.
    pub method: Option<String>,
    /// Match only paths (without prefix) containing this text. The query
    /// is left out of the comparison unless the text contains `?`: then it
    /// is compared with `path?query`.
    pub path_contains: Option<String>,
    /// Let this many matching requests pass first.
    pub skip: usize,
    /// Then apply the fault to this many matching requests.
    pub times: usize,
    pub kind: FaultKind,
}

#[derive(Clone, Debug)]
pub enum FaultKind {
    /// Answer this status with a JSON message; the request is not applied.
    Status(u16),
    /// 429 with `Retry-After`; not applied.
    TooManyRequests { retry_after_secs: u64 },
    /// 403 with `Retry-After` and GitHub's secondary-rate-limit message; not
    /// applied.
    SecondaryRateLimit { retry_after_secs: u64 },
    /// 403 with `x-ratelimit-remaining: 0`, `x-ratelimit-reset` = now + n
    /// (epoch seconds, wall clock) and "API rate limit exceeded"; not
    /// applied.
    PrimaryRateLimit { reset_in_secs: u64 },
    /// Read the request, close the connection without answering; not
    /// applied.
    Drop,
    /// Handle the request at once (a write is applied immediately), send the
    /// answer after this delay. For client timeouts.
    Delay { ms: u64 },
    /// Read the request, wait, then close without answering; not applied.
    /// A request lost in a slow network.
    Stall { ms: u64 },
    /// Apply the request, then answer this status instead of the real
    /// answer (the "ghost create").
    ApplyThenStatus(u16),
    /// Apply the request, then close without answering.
    ApplyThenDrop,
}

impl Fault {
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            method: None,
            path_contains: None,
            skip: 0,
            times: 1,
            kind,
        }
    }
    pub fn method(mut self, m: &str) -> Self {
        self.method = Some(m.to_string());
        self
    }
    pub fn path(mut self, p: &str) -> Self {
        self.path_contains = Some(p.to_string());
        self
    }
    pub fn skip(mut self, n: usize) -> Self {
        self.skip = n;
        self
    }
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }
}

/// The fake server. Dropping it shuts the server down: open connections are
/// closed and every thread is joined.
pub struct FakeGitHub {
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl FakeGitHub {
    /// Starts a server whose API lives at the root (`https://api.github.com`
    /// style).
    pub fn start() -> FakeGitHub {
        Self::start_with_prefix("")
    }

    /// Starts a server whose API lives under `prefix`, e.g. `"/api/v3"`
    /// (GitHub Enterprise Server style). Requests outside it get 404.
    pub fn start_with_prefix(prefix: &str) -> FakeGitHub {
        let prefix = prefix.trim_end_matches('/');
        let prefix = if prefix.is_empty() || prefix.starts_with('/') {
            prefix.to_string()
        } else {
            format!("/{prefix}")
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("local address of a bound socket");
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new()),
            shutdown: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            workers: Mutex::new(Vec::new()),
            next_conn: AtomicU64::new(0),
            addr,
            prefix,
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("fake-github-accept".into())
                .spawn(move || accept_loop(listener, shared))
                .expect("spawn the accept thread")
        };
        FakeGitHub {
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// The API base URL: `http://127.0.0.1:PORT` plus the prefix, without a
    /// trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.shared.addr, self.shared.prefix)
    }

    /// The web base URL used in `html_url` fields (`http://127.0.0.1:PORT`,
    /// never with the API prefix), the fake's `GITHUB_SERVER_URL`.
    pub fn html_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    pub fn add_token(&self, token: &str, login: &str) {
        self.add_token_inner(token, login, false);
    }

    /// A token that may read but whose writes get 403 "Resource not
    /// accessible by integration".
    pub fn add_read_only_token(&self, token: &str, login: &str) {
        self.add_token_inner(token, login, true);
    }

    fn add_token_inner(&self, token: &str, login: &str, read_only: bool) {
        let mut st = self.shared.lock();
        st.user_id(login);
        st.tokens.insert(
            token.to_string(),
            TokenRec {
                login: login.to_string(),
                read_only,
            },
        );
    }

    /// Lets requests without `Authorization` read (GET/HEAD); their writes
    /// still get 401.
    pub fn allow_anonymous_reads(&self, yes: bool) {
        self.shared.lock().anonymous_reads = yes;
    }

    /// When on, `Link` headers point at `/repositories/{id}/…` like
    /// github.com's do, instead of repeating the request's `/repos/{o}/{r}`
    /// path. Off by default.
    pub fn use_repository_id_links(&self, yes: bool) {
        self.shared.lock().repository_id_links = yes;
    }

    /// Adds the repository `"owner/name"` (no labels, owner assignable).
    /// Adding an existing repository does nothing.
    pub fn add_repo(&self, repo: &str) {
        let (owner, name) = match repo.split_once('/') {
            Some((o, n)) if !o.is_empty() && !n.is_empty() && !n.contains('/') => (o, n),
            _ => panic!("FakeGitHub::add_repo: {repo:?} is not \"owner/name\""),
        };
        let mut st = self.shared.lock();
        if st.find_repo(owner, name).is_some() {
            return;
        }
        st.user_id(owner);
        st.next_repo_id += 1;
        let created = st.tick();
        let mut assignable = BTreeMap::new();
        assignable.insert(owner.to_lowercase(), owner.to_string());
        let rec = RepoRec {
            id: st.next_repo_id,
            owner: owner.to_string(),
            name: name.to_string(),
            created_at: created,
            labels: Vec::new(),
            assignable,
            issues: BTreeMap::new(),
        };
        st.repos.push(rec);
    }

    pub fn add_assignable(&self, repo: &str, login: &str) {
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        st.user_id(login);
        st.repos[r]
            .assignable
            .insert(login.to_lowercase(), login.to_string());
    }

    /// Adds a label (color `ededed`) unless one of that name exists.
    pub fn add_label(&self, repo: &str, name: &str) {
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        st.ensure_label(r, name);
    }

    /// The repository's label names, in creation order.
    pub fn labels(&self, repo: &str) -> Vec<String> {
        let st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        st.repos[r].labels.iter().map(|l| l.name.clone()).collect()
    }

    /// Creates an issue (or a pull request) directly; returns its number.
    /// Issues and pull requests share one sequence of numbers.
    pub fn seed_issue(&self, repo: &str, seed: SeedIssue) -> u64 {
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        let author = if seed.author.is_empty() {
            st.repos[r].owner.clone()
        } else {
            seed.author.clone()
        };
        st.user_id(&author);
        let labels = st.canonical_labels(r, &seed.labels);
        for a in &seed.assignees {
            st.user_id(a);
        }
        let now = st.tick();
        st.next_issue_id += 1;
        let id = st.next_issue_id;
        let number = st.repos[r].next_number();
        let (closed_at, state_reason, closed_by) = if seed.state_closed {
            (
                Some(now),
                Some(
                    seed.state_reason
                        .clone()
                        .unwrap_or_else(|| "completed".into()),
                ),
                Some(author.clone()),
            )
        } else {
            (None, seed.state_reason.clone(), None)
        };
        let rec = IssueRec {
            id,
            number,
            title: seed.title,
            body: non_empty(seed.body),
            author,
            labels,
            assignees: dedup_logins(&seed.assignees),
            closed: seed.state_closed,
            state_reason,
            closed_by,
            created_at: now,
            updated_at: now,
            closed_at,
            pull_request: seed.pull_request,
            gone: None,
        };
        st.repos[r].issues.insert(number, rec);
        number
    }

    /// A snapshot of issue (or pull request) `number`; `None` if the
    /// repository or the number is unknown, or the issue was deleted or
    /// transferred away.
    pub fn issue(&self, repo: &str, number: u64) -> Option<Issue> {
        let st = self.shared.lock();
        let r = st.find_repo_str(repo)?;
        st.repos[r]
            .issues
            .get(&number)
            .filter(|i| i.gone.is_none())
            .map(IssueRec::snapshot)
    }

    /// Deletes an issue by hand: it leaves listings and the API answers
    /// 410 "This issue was deleted" for it. Its number is not reused.
    /// Panics if the issue does not exist.
    pub fn delete_issue(&self, repo: &str, number: u64) {
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        match st.repos[r].issues.get_mut(&number) {
            Some(issue) if issue.gone.is_none() => issue.gone = Some(Gone::Deleted),
            _ => {
                drop(st);
                panic!("FakeGitHub::delete_issue: no issue {repo}#{number}");
            }
        }
    }

    /// Transfers an issue by hand to `to_repo`, where it gets the next
    /// number (returned). It leaves the old repository's listings, and the
    /// API answers 301 with a `Location` under `/repositories/{id}/` for
    /// the old number, as GitHub does. Panics if the issue does not exist.
    pub fn transfer_issue(&self, repo: &str, number: u64, to_repo: &str) -> u64 {
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        let t = st.repo_or_panic(to_repo);
        let Some(old) = st.repos[r].issues.get(&number).filter(|i| i.gone.is_none()) else {
            drop(st);
            panic!("FakeGitHub::transfer_issue: no issue {repo}#{number}");
        };
        let (title, body, author, labels, assignees, closed, reason, closed_by, closed_at, created) = (
            old.title.clone(),
            old.body.clone(),
            old.author.clone(),
            old.labels.clone(),
            old.assignees.clone(),
            old.closed,
            old.state_reason.clone(),
            old.closed_by.clone(),
            old.closed_at,
            old.created_at,
        );
        let labels = st.canonical_labels(t, &labels);
        let now = st.tick();
        st.next_issue_id += 1;
        let id = st.next_issue_id;
        let new_number = st.repos[t].next_number();
        let target_id = st.repos[t].id;
        st.repos[t].issues.insert(
            new_number,
            IssueRec {
                id,
                number: new_number,
                title,
                body,
                author,
                labels,
                assignees,
                closed,
                state_reason: reason,
                closed_by,
                created_at: created,
                updated_at: now,
                closed_at,
                pull_request: false,
                gone: None,
            },
        );
        if let Some(old) = st.repos[r].issues.get_mut(&number) {
            old.gone = Some(Gone::Transferred {
                repo_id: target_id,
                number: new_number,
            });
        }
        new_number
    }

    /// Snapshots of the repository's issues (pull requests left out), by
    /// number.
    pub fn issues(&self, repo: &str) -> Vec<Issue> {
        let st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        st.repos[r]
            .issues
            .values()
            .filter(|i| !i.pull_request && i.gone.is_none())
            .map(IssueRec::snapshot)
            .collect()
    }

    /// Edits an issue the way a person would on GitHub: no request is
    /// logged, `updated_at` advances, missing labels are created, closing
    /// sets `closed_at` (and `state_reason` `"completed"` if none is given),
    /// reopening clears `closed_at` (and sets `"reopened"` unless the closure
    /// changed `state_reason` itself). Panics if the issue does not exist.
    pub fn edit_issue(&self, repo: &str, number: u64, f: impl FnOnce(&mut Issue)) {
        let before = self
            .issue(repo, number)
            .unwrap_or_else(|| panic!("FakeGitHub::edit_issue: no issue {repo}#{number}"));
        let mut after = before.clone();
        f(&mut after);
        let mut st = self.shared.lock();
        let r = st.repo_or_panic(repo);
        let labels = st.canonical_labels(r, &after.labels);
        st.user_id(&after.author);
        for a in &after.assignees {
            st.user_id(a);
        }
        let now = st.tick();
        let Some(issue) = st.repos[r].issues.get_mut(&number) else {
            drop(st);
            panic!("FakeGitHub::edit_issue: issue {repo}#{number} vanished");
        };
        issue.title = after.title;
        issue.body = non_empty(after.body);
        if !after.author.is_empty() {
            issue.author = after.author;
        }
        issue.labels = labels;
        issue.assignees = dedup_logins(&after.assignees);
        let closed = after.state == "closed";
        let reason_changed = after.state_reason != before.state_reason;
        match (issue.closed, closed) {
            (false, true) => {
                issue.closed = true;
                issue.closed_at = Some(now);
                issue.closed_by = Some(issue.author.clone());
                issue.state_reason = Some(
                    after
                        .state_reason
                        .filter(|r| r != "reopened")
                        .unwrap_or_else(|| "completed".into()),
                );
            }
            (true, false) => {
                issue.closed = false;
                issue.closed_at = None;
                issue.closed_by = None;
                issue.state_reason = if reason_changed {
                    after.state_reason
                } else {
                    Some("reopened".into())
                };
            }
            _ => issue.state_reason = after.state_reason,
        }
        issue.updated_at = now;
    }

    /// Every request received since the start or the last
    /// [`clear_requests`](Self::clear_requests), in the order received.
    pub fn requests(&self) -> Vec<Request> {
        let st = self.shared.lock();
        st.requests.iter().map(|(_, r)| r.clone()).collect()
    }

    /// Forgets the logged requests and resets [`write_count`](Self::write_count).
    pub fn clear_requests(&self) {
        let mut st = self.shared.lock();
        st.requests.clear();
        st.writes = 0;
    }

    /// Requests with method POST, PATCH, PUT or DELETE received since the
    /// start or the last clear, faulted ones included.
    pub fn write_count(&self) -> usize {
        self.shared.lock().writes
    }

    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push(FaultSlot { fault, seen: 0 });
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept thread; it sees the flag and returns.
        let _ = TcpStream::connect_timeout(&self.shared.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        // No connection can be added now; unblock the ones still reading.
        for stream in lock(&self.shared.conns).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let workers = std::mem::take(&mut *lock(&self.shared.workers));
        for w in workers {
            let _ = w.join();
        }
    }
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the start of the logical clock.
const CLOCK_START: i64 = 1_767_225_600;
const RATE_LIMIT: u64 = 5000;
const ANONYMOUS_RATE_LIMIT: u64 = 60;
const DOCS: &str = "https://docs.github.com/rest";

struct Shared {
    state: Mutex<State>,
    shutdown: AtomicBool,
    /// Clones of the open connections, to close them on shutdown.
    conns: Mutex<HashMap<u64, TcpStream>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    next_conn: AtomicU64,
    addr: SocketAddr,
    prefix: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// Locks, ignoring poisoning: a panicking test must not turn every later
/// request (or the shutdown in `Drop`) into a second panic.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct TokenRec {
    login: String,
    read_only: bool,
}

struct FaultSlot {
    fault: Fault,
    seen: usize,
}

struct State {
    tokens: HashMap<String, TokenRec>,
    anonymous_reads: bool,
    repository_id_links: bool,
    /// lower-case login → (id, login as first seen)
    users: HashMap<String, (u64, String)>,
    repos: Vec<RepoRec>,
    next_repo_id: u64,
    next_issue_id: u64,
    next_label_id: u64,
    clock: i64,
    requests: Vec<(u64, Request)>,
    next_request: u64,
    writes: usize,
    faults: Vec<FaultSlot>,
    /// requests counted per rate-limit bucket (login, or "" for anonymous)
    rate_used: HashMap<String, u64>,
    rate_reset: u64,
}

struct RepoRec {
    id: u64,
    owner: String,
    name: String,
    created_at: i64,
    labels: Vec<LabelRec>,
    /// lower-case login → login
    assignable: BTreeMap<String, String>,
    issues: BTreeMap<u64, IssueRec>,
}

impl RepoRec {
    fn next_number(&self) -> u64 {
        self.issues.keys().next_back().map_or(1, |n| n + 1)
    }
    fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
    fn label(&self, name: &str) -> Option<&LabelRec> {
        self.labels
            .iter()
            .find(|l| l.name.to_lowercase() == name.to_lowercase())
    }
}

#[derive(Clone)]
struct LabelRec {
    id: u64,
    name: String,
    color: String,
    description: Option<String>,
}

struct IssueRec {
    id: u64,
    number: u64,
    title: String,
    body: Option<String>,
    author: String,
    labels: Vec<String>,
    assignees: Vec<String>,
    closed: bool,
    state_reason: Option<String>,
    closed_by: Option<String>,
    created_at: i64,
    updated_at: i64,
    closed_at: Option<i64>,
    pull_request: bool,
    /// Deleted or transferred away: the API answers 410 or 301.
    gone: Option<Gone>,
}

#[derive(Clone, Copy)]
enum Gone {
    Deleted,
    /// To the repository with this id, under this number.
    Transferred {
        repo_id: u64,
        number: u64,
    },
}

impl IssueRec {
    fn snapshot(&self) -> Issue {
        Issue {
            number: self.number,
            title: self.title.clone(),
            body: self.body.clone().unwrap_or_default(),
            author: self.author.clone(),
            labels: self.labels.clone(),
            state: if self.closed { "closed" } else { "open" }.into(),
            state_reason: self.state_reason.clone(),
            assignees: self.assignees.clone(),
            pull_request: self.pull_request,
            created_at: iso8601(self.created_at),
            updated_at: iso8601(self.updated_at),
            closed_at: self.closed_at.map(iso8601),
        }
    }
}

impl State {
    fn new() -> State {
        State {
            tokens: HashMap::new(),
            anonymous_reads: false,
            repository_id_links: false,
            users: HashMap::new(),
            repos: Vec::new(),
            next_repo_id: 700_000_000,
            next_issue_id: 2_000_000_000,
            next_label_id: 5_000_000_000,
            clock: CLOCK_START,
            requests: Vec::new(),
            next_request: 0,
            writes: 0,
            faults: Vec::new(),
            rate_used: HashMap::new(),
            rate_reset: epoch_now() + 3600,
        }
    }

    fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    fn user_id(&mut self, login: &str) -> u64 {
        let next = 1000 + self.users.len() as u64;
        self.users
            .entry(login.to_lowercase())
            .or_insert_with(|| (next, login.to_string()))
            .0
    }

    fn find_repo(&self, owner: &str, name: &str) -> Option<usize> {
        self.repos
            .iter()
            .position(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name))
    }

    fn find_repo_str(&self, repo: &str) -> Option<usize> {
        let (o, n) = repo.split_once('/')?;
        self.find_repo(o, n)
    }

    fn repo_or_panic(&self, repo: &str) -> usize {
        match self.find_repo_str(repo) {
            Some(r) => r,
            None => panic!("FakeGitHub: unknown repository {repo:?} (call add_repo first)"),
        }
    }

    /// The label named `name` (any case), created if missing; returns its
    /// canonical name.
    fn ensure_label(&mut self, r: usize, name: &str) -> String {
        if let Some(l) = self.repos[r].label(name) {
            return l.name.clone();
        }
        self.next_label_id += 1;
        let label = LabelRec {
            id: self.next_label_id,
            name: name.to_string(),
            color: "ededed".into(),
            description: None,
        };
        self.repos[r].labels.push(label);
        name.to_string()
    }

    /// Canonical, deduplicated label names (created when missing), sorted
    /// the way GitHub lists an issue's labels.
    fn canonical_labels(&mut self, r: usize, names: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in names {
            let n = n.trim();
            if n.is_empty() {
                continue;
            }
            let canonical = self.ensure_label(r, n);
            if !out.contains(&canonical) {
                out.push(canonical);
            }
        }
        out.sort_by_key(|a| a.to_lowercase());
        out
    }
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn dedup_logins(logins: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in logins {
        if !l.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(l)) {
            out.push(l.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn iso8601(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn http_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = secs as i64;
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let s = secs.rem_euclid(86_400);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Parses the timestamps GitHub accepts for `since`: `YYYY-MM-DD`, or
/// `YYYY-MM-DDTHH:MM:SS` with optional fraction and `Z` or `±HH:MM`.
fn parse_timestamp(s: &str) -> Option<i64> {
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year = parts.next()?;
    if year.len() != 4 {
        return None;
    }
    let y = num(year)?;
    let m = num(parts.next()?)?;
    let d = num(parts.next()?)?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = if let Some(t) = time.strip_suffix(['Z', 'z']) {
            (t, 0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (t, off) = time.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (oh, om) = off[1..].split_once(':')?;
            (t, sign * (num(oh)? * 3600 + num(om)? * 60))
        } else {
            (time, 0)
        };
        let clock = clock.split('.').next()?;
        let mut hms = clock.split(':');
        let h = num(hms.next()?)?;
        let mi = num(hms.next()?)?;
        let se = hms.next().map_or(Some(0), num)?;
        if hms.next().is_some() || h > 23 || mi > 59 || se > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + se - offset;
    }
    Some(secs)
}

// ---------------------------------------------------------------------------
// HTTP: connections and parsing
// ---------------------------------------------------------------------------

const MAX_LINE: usize = 8 * 1024;
const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
const MAX_BODY: usize = 8 * 1024 * 1024;

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = listener.accept();
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors or an aborted handshake: try again soon.
                thread::sleep(Duration::from_millis(5));
                continue;
            }
        };
        let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.conns).insert(id, clone);
        }
        let worker = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("fake-github-conn".into())
                .spawn(move || {
                    serve_connection(stream, &shared);
                    lock(&shared.conns).remove(&id);
                })
        };
        let mut workers = lock(&shared.workers);
        workers.retain(|w| !w.is_finished());
        match worker {
            Ok(w) => workers.push(w),
            Err(_) => {
                if let Some(s) = lock(&shared.conns).remove(&id) {
                    let _ = s.shutdown(Shutdown::Both);
                }
            }
        }
    }
}

struct HttpRequest {
    method: String,
    /// The request target's path, raw (percent-encoded).
    path: String,
    query: String,
    minor_version: u8,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn connection_has(&self, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("connection"))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    fn keep_alive(&self) -> bool {
        if self.minor_version == 0 {
            self.connection_has("keep-alive")
        } else {
            !self.connection_has("close")
        }
    }
}

enum ReadError {
    /// The peer closed the connection cleanly between requests.
    Closed,
    /// An I/O error or a connection cut mid-request: nobody to answer.
    Io,
    /// A malformed request: answer this status, then close.
    Bad(u16, &'static str, Option<Box<HttpRequest>>),
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    start: usize,
}

impl Conn {
    fn fill(&mut self) -> Result<(), ReadError> {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(ReadError::Io),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(ReadError::Io),
            }
        }
    }

    fn buffered(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// One line without its `\r\n` (or bare `\n`), at most `limit` bytes.
    fn line(&mut self, limit: usize, what: &'static str) -> Result<Vec<u8>, ReadError> {
        loop {
            if let Some(i) = self.buffered().iter().position(|&b| b == b'\n') {
                let mut line = self.buffered()[..i].to_vec();
                self.start += i + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.len() > limit {
                    return Err(ReadError::Bad(400, what, None));
                }
                return Ok(line);
            }
            if self.buffered().len() > limit + 1 {
                return Err(ReadError::Bad(400, what, None));
            }
            self.fill()?;
        }
    }

    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        while self.buffered().len() < n {
            self.fill()?;
        }
        let out = self.buffered()[..n].to_vec();
        self.start += n;
        Ok(out)
    }

    fn read_request(&mut self) -> Result<HttpRequest, ReadError> {
        // A clean close before a request starts is not an error.
        while self.buffered().is_empty() {
            match self.fill() {
                Ok(()) => {}
                Err(_) => return Err(ReadError::Closed),
            }
        }
        // RFC 9112 §2.2: ignore empty lines before the request line.
        let mut line = self.line(MAX_LINE, "request line too long")?;
        let mut skipped = 0;
        while line.is_empty() && skipped < 4 {
            skipped += 1;
            line = self.line(MAX_LINE, "request line too long")?;
        }
        let (method, target, minor_version) = parse_request_line(&line)?;
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let mut req = HttpRequest {
            method,
            path,
            query,
            minor_version,
            headers: Vec::new(),
            body: Vec::new(),
        };
        let mut header_bytes = 0;
        loop {
            let line = match self.line(MAX_LINE, "header line too long") {
                Ok(l) => l,
                Err(ReadError::Bad(s, m, _)) => {
                    return Err(ReadError::Bad(s, m, Some(Box::new(req))))
                }
                Err(e) => return Err(e),
            };
            if line.is_empty() {
                break;
            }
            header_bytes += line.len();
            if header_bytes > MAX_HEADER_BYTES || req.headers.len() >= MAX_HEADERS {
                return Err(ReadError::Bad(
                    431,
                    "too many header bytes",
                    Some(Box::new(req)),
                ));
            }
            match parse_header(&line) {
                Some(h) => req.headers.push(h),
                None => return Err(ReadError::Bad(400, "malformed header", Some(Box::new(req)))),
            }
        }
        match self.read_body(&req) {
            Ok(body) => {
                req.body = body;
                Ok(req)
            }
            Err(ReadError::Bad(s, m, _)) => Err(ReadError::Bad(s, m, Some(Box::new(req)))),
            Err(e) => Err(e),
        }
    }

    fn read_body(&mut self, req: &HttpRequest) -> Result<Vec<u8>, ReadError> {
        let hosts = req
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
            .count();
        if hosts > 1 || (hosts == 0 && req.minor_version == 1) {
            return Err(ReadError::Bad(
                400,
                "exactly one Host header is required",
                None,
            ));
        }
        let te: Vec<String> = req
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        let lengths: Vec<&str> = req
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .collect();
        let chunked = !te.is_empty();
        if chunked {
            if req.minor_version == 0 || !lengths.is_empty() {
                return Err(ReadError::Bad(400, "ambiguous message length", None));
            }
            if te != ["chunked"] {
                return Err(ReadError::Bad(501, "unsupported transfer coding", None));
            }
        }
        let length = if lengths.is_empty() {
            0
        } else {
            if lengths.iter().any(|l| *l != lengths[0])
                || lengths[0].is_empty()
                || !lengths[0].bytes().all(|b| b.is_ascii_digit())
            {
                return Err(ReadError::Bad(400, "invalid Content-Length", None));
            }
            match lengths[0].parse::<usize>() {
                Ok(n) if n <= MAX_BODY => n,
                _ => return Err(ReadError::Bad(413, "body too large", None)),
            }
        };
        if let Some(expect) = req.header("expect") {
            if !expect.eq_ignore_ascii_case("100-continue") {
                return Err(ReadError::Bad(417, "unsupported expectation", None));
            }
            if req.minor_version == 1 && (chunked || length > 0) {
                let _ = self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            }
        }
        if !chunked {
            return self.bytes(length);
        }
        let mut body = Vec::new();
        loop {
            let line = self.line(MAX_LINE, "chunk size line too long")?;
            let size = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(size).map(str::trim).unwrap_or("");
            if size.is_empty() || size.len() > 8 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ReadError::Bad(400, "invalid chunk size", None));
            }
            // At most 8 hex digits, so this fits.
            let size = usize::from_str_radix(size, 16).unwrap_or(usize::MAX);
            if size == 0 {
                break;
            }
            if body.len() + size > MAX_BODY {
                return Err(ReadError::Bad(413, "body too large", None));
            }
            body.extend(self.bytes(size)?);
            if !self.line(0, "chunk data longer than its size")?.is_empty() {
                return Err(ReadError::Bad(400, "chunk data longer than its size", None));
            }
        }
        // Trailer fields, ignored, up to the empty line.
        let mut trailer_bytes = 0;
        loop {
            let line = self.line(MAX_LINE, "trailer line too long")?;
            if line.is_empty() {
                return Ok(body);
            }
            trailer_bytes += line.len();
            if trailer_bytes > MAX_HEADER_BYTES {
                return Err(ReadError::Bad(431, "trailer too large", None));
            }
        }
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn parse_request_line(line: &[u8]) -> Result<(String, String, u8), ReadError> {
    let bad = || ReadError::Bad(400, "malformed request line", None);
    let mut parts = line.split(|&b| b == b' ');
    let method = parts.next().ok_or_else(bad)?;
    let target = parts.next().ok_or_else(bad)?;
    let version = parts.next().ok_or_else(bad)?;
    if parts.next().is_some()
        || method.is_empty()
        || !method.iter().all(|&b| is_tchar(b))
        || target.is_empty()
        || !target.iter().all(|&b| (0x21..0x7f).contains(&b))
    {
        return Err(bad());
    }
    let minor = match version {
        b"HTTP/1.1" => 1,
        b"HTTP/1.0" => 0,
        v if v.starts_with(b"HTTP/") && v.len() == 8 => {
            return Err(ReadError::Bad(505, "HTTP version not supported", None))
        }
        _ => return Err(bad()),
    };
    // Checked above: all ASCII.
    let method = String::from_utf8_lossy(method).into_owned();
    let mut target = String::from_utf8_lossy(target).into_owned();
    // Absolute form (`http://host/path`), as proxies send it.
    for scheme in ["http://", "https://"] {
        if target.len() > scheme.len() && target[..scheme.len()].eq_ignore_ascii_case(scheme) {
            let rest = &target[scheme.len()..];
            target = match rest.find(['/', '?']) {
                Some(i) if rest.as_bytes()[i] == b'/' => rest[i..].to_string(),
                Some(i) => format!("/{}", &rest[i..]),
                None => "/".to_string(),
            };
        }
    }
    if !target.starts_with('/') {
        return Err(bad());
    }
    Ok((method, target, minor))
}

fn parse_header(line: &[u8]) -> Option<(String, String)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return None;
    }
    if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return None;
    }
    let value = String::from_utf8_lossy(value);
    Some((
        String::from_utf8_lossy(name).into_owned(),
        value.trim_matches([' ', '\t']).to_string(),
    ))
}

fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        start: 0,
    };
    while !shared.shutdown.load(Ordering::SeqCst) {
        let req = match conn.read_request() {
            Ok(req) => req,
            Err(ReadError::Closed | ReadError::Io) => break,
            Err(ReadError::Bad(status, why, partial)) => {
                answer_malformed(&mut conn, shared, status, why, partial);
                break;
            }
        };
        if !serve_request(&mut conn, shared, req) {
            break;
        }
    }
    let _ = conn.stream.shutdown(Shutdown::Both);
}

fn answer_malformed(
    conn: &mut Conn,
    shared: &Shared,
    status: u16,
    why: &str,
    partial: Option<Box<HttpRequest>>,
) {
    let (method, path, query, headers) = partial
        .map(|r| {
            let r = *r;
            (r.method, r.path, r.query, r.headers)
        })
        .unwrap_or_default();
    let (log_id, request_id) = {
        let mut st = shared.lock();
        let path = strip_prefix(&shared.prefix, &path)
            .unwrap_or(&path)
            .to_string();
        log_request(
            &mut st,
            Request {
                method: method.clone(),
                path,
                query,
                body: String::new(),
                status: 0,
                headers,
            },
        )
    };
    let mut reply = Reply::message(status, why);
    reply.close = true;
    set_logged_status(shared, log_id, status);
    let _ = write_reply(
        &mut conn.stream,
        &reply,
        &request_id,
        "HEAD" == method,
        true,
    );
    lingering_close(&conn.stream);
}

/// Half-closes, then reads what the client still sends for a moment, so
/// the answer is not destroyed by a reset when unread data remains.
fn lingering_close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut sink = [0u8; 4096];
    let mut total = 0;
    let mut s = stream;
    while let Ok(n) = s.read(&mut sink) {
        total += n;
        if n == 0 || total > 256 * 1024 {
            break;
        }
    }
}

fn strip_prefix<'a>(prefix: &str, path: &'a str) -> Option<&'a str> {
    if prefix.is_empty() {
        return Some(path);
    }
    match path.strip_prefix(prefix) {
        Some(rest) if rest.starts_with('/') => Some(rest),
        Some("") => Some("/"),
        _ => None,
    }
}

fn log_request(st: &mut State, request: Request) -> (u64, String) {
    st.next_request += 1;
    let id = st.next_request;
    if matches!(request.method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE") {
        st.writes += 1;
    }
    st.requests.push((id, request));
    let request_id = format!(
        "{:04X}:{:04X}:{:06X}:{:07X}:{:08X}",
        id % 0xFFFF,
        (id * 7919) % 0xFFFF,
        (id * 104_729) % 0xFF_FFFF,
        (id * 1_299_709) % 0xFFF_FFFF,
        CLOCK_START as u64 + id
    );
    (id, request_id)
}

fn set_logged_status(shared: &Shared, log_id: u64, status: u16) {
    let mut st = shared.lock();
    if let Some((_, r)) = st.requests.iter_mut().rev().find(|(id, _)| *id == log_id) {
        r.status = status;
    }
}

/// What to do with one request, decided by the injected faults.
enum Fate {
    Normal,
    Replace(Reply),
    Drop,
    Delay(u64),
    Stall(u64),
    ApplyThen(Option<u16>),
}

fn decide_fate(st: &mut State, method: &str, path: &str, query: &str) -> Fate {
    let with_query = format!("{path}?{query}");
    for slot in st.faults.iter_mut() {
        let f = &slot.fault;
        if slot.seen >= f.skip + f.times {
            continue;
        }
        if f.method
            .as_ref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            || f.path_contains.as_ref().is_some_and(|p| {
                let subject = if p.contains('?') { &with_query } else { path };
                !subject.contains(p.as_str())
            })
        {
            continue;
        }
        slot.seen += 1;
        if slot.seen <= f.skip {
            continue;
        }
        return match f.kind {
            FaultKind::Status(code) => Fate::Replace(Reply::message(code, status_message(code))),
            FaultKind::TooManyRequests { retry_after_secs } => {
                let mut r = Reply::message(429, SECONDARY_LIMIT_MESSAGE);
                r.headers
                    .push(("retry-after".into(), retry_after_secs.to_string()));
                Fate::Replace(r)
            }
            FaultKind::SecondaryRateLimit { retry_after_secs } => {
                let mut r = Reply::message(403, SECONDARY_LIMIT_MESSAGE);
                r.headers
                    .push(("retry-after".into(), retry_after_secs.to_string()));
                Fate::Replace(r)
            }
            FaultKind::PrimaryRateLimit { reset_in_secs } => {
                let mut r = Reply::message(
                    403,
                    "API rate limit exceeded for user ID 1000. If you reach out to GitHub Support for help, please include the request ID.",
                );
                r.rate_override = Some(epoch_now() + reset_in_secs);
                Fate::Replace(r)
            }
            FaultKind::Drop => Fate::Drop,
            FaultKind::Delay { ms } => Fate::Delay(ms),
            FaultKind::Stall { ms } => Fate::Stall(ms),
            FaultKind::ApplyThenStatus(code) => Fate::ApplyThen(Some(code)),
            FaultKind::ApplyThenDrop => Fate::ApplyThen(None),
        };
    }
    Fate::Normal
}

const SECONDARY_LIMIT_MESSAGE: &str = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";

fn status_message(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Bad credentials",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Validation Failed",
        429 => "Too Many Requests",
        500 => "Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
        _ => "Error",
    }
}

/// Sleeps in small steps so a shutdown is not held up.
fn sleep_unless_shutdown(shared: &Shared, ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while !shared.shutdown.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= end {
            return;
        }
        thread::sleep((end - now).min(Duration::from_millis(10)));
    }
}

/// Serves one parsed request; returns whether the connection stays open.
fn serve_request(conn: &mut Conn, shared: &Shared, req: HttpRequest) -> bool {
    let inner_path = strip_prefix(&shared.prefix, &req.path).map(str::to_string);
    let (log_id, request_id, fate) = {
        let mut st = shared.lock();
        let logged_path = inner_path.clone().unwrap_or_else(|| req.path.clone());
        let fate = decide_fate(&mut st, &req.method, &logged_path, &req.query);
        let (log_id, request_id) = log_request(
            &mut st,
            Request {
                method: req.method.clone(),
                path: logged_path,
                query: req.query.clone(),
                body: String::from_utf8_lossy(&req.body).into_owned(),
                status: 0,
                headers: req.headers.clone(),
            },
        );
        (log_id, request_id, fate)
    };
    let handle = |shared: &Shared| -> Reply {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            dispatch(
                shared,
                &req,
                inner_path.as_deref(),
                &conn_host(&req, shared),
            )
        }));
        outcome.unwrap_or_else(|_| Reply::message(500, "Server Error"))
    };
    let reply = match fate {
        Fate::Normal => handle(shared),
        Fate::Replace(mut r) => {
            r.rate_headers = rate_headers(shared, &req, r.rate_override);
            r
        }
        Fate::Drop => {
            set_logged_status(shared, log_id, 0);
            return false;
        }
        Fate::Stall(ms) => {
            sleep_unless_shutdown(shared, ms);
            return false;
        }
        Fate::Delay(ms) => {
            let r = handle(shared);
            sleep_unless_shutdown(shared, ms);
            r
        }
        Fate::ApplyThen(status) => {
            let applied = handle(shared);
            match status {
                None => return false,
                Some(code) => {
                    let mut r = Reply::message(code, status_message(code));
                    r.rate_headers = applied.rate_headers;
                    r
                }
            }
        }
    };
    set_logged_status(shared, log_id, reply.status);
    let keep = req.keep_alive() && !reply.close;
    let head = req.method == "HEAD";
    if write_reply(&mut conn.stream, &reply, &request_id, head, !keep).is_err() {
        return false;
    }
    if !keep {
        lingering_close(&conn.stream);
    }
    keep && !shared.shutdown.load(Ordering::SeqCst)
}

/// The `Host` the client used, for absolute `Link` URLs; the listening
/// address when it is missing or not a plain host[:port].
fn conn_host(req: &HttpRequest, shared: &Shared) -> String {
    match req.header("host") {
        Some(h)
            if !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b)) =>
        {
            h.to_string()
        }
        _ => shared.addr.to_string(),
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    close: bool,
    rate_headers: Vec<(String, String)>,
    rate_override: Option<u64>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(serde_json::to_vec(value).unwrap_or_default()),
            close: false,
            rate_headers: Vec::new(),
            rate_override: None,
        }
    }

    fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: None,
            close: false,
            rate_headers: Vec::new(),
            rate_override: None,
        }
    }

    fn message(status: u16, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({
                "message": message,
                "documentation_url": DOCS,
                "status": status.to_string(),
            }),
        )
    }

    fn validation(errors: Value) -> Reply {
        Reply::json(
            422,
            &json!({
                "message": "Validation Failed",
                "errors": errors,
                "documentation_url": DOCS,
                "status": "422",
            }),
        )
    }

    fn invalid_request(detail: &str) -> Reply {
        Reply::json(
            422,
            &json!({
                "message": format!("Invalid request.\n\n{detail}"),
                "documentation_url": DOCS,
                "status": "422",
            }),
        )
    }

    fn not_found() -> Reply {
        Reply::message(404, "Not Found")
    }

    fn header(mut self, name: &str, value: String) -> Reply {
        self.headers.push((name.to_string(), value));
        self
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        413 => "Content Too Large",
        417 => "Expectation Failed",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    request_id: &str,
    head: bool,
    close: bool,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nserver: GitHub.com\r\ndate: {}\r\n",
        reply.status,
        reason_phrase(reply.status),
        http_date(epoch_now())
    );
    let body: &[u8] = reply.body.as_deref().unwrap_or_default();
    if reply.status != 204 && reply.status != 304 {
        if reply.body.is_some() {
            out.push_str("content-type: application/json; charset=utf-8\r\n");
        }
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    out.push_str("x-github-media-type: github.v3; format=json\r\n");
    out.push_str("x-github-api-version-selected: 2022-11-28\r\n");
    for (n, v) in reply.rate_headers.iter().chain(&reply.headers) {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!("x-github-request-id: {request_id}\r\n"));
    out.push_str(if close {
        "connection: close\r\n"
    } else {
        "connection: keep-alive\r\n"
    });
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head && reply.status != 204 && reply.status != 304 {
        bytes.extend_from_slice(body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

enum Caller {
    Anonymous,
    User { login: String, read_only: bool },
}

/// Everything a handler needs besides the state.
struct Ctx<'a> {
    req: &'a HttpRequest,
    method: &'a str,
    caller: Caller,
    /// `http://127.0.0.1:PORT` + prefix, for `url` fields.
    api: String,
    /// `http://127.0.0.1:PORT`, for `html_url` fields.
    html: String,
    /// `http://{Host}` + prefix, for `Link` headers.
    link_base: String,
    /// The request path after the prefix, raw.
    path: &'a str,
}

fn rate_bucket(st: &State, req: &HttpRequest) -> (String, u64) {
    match bearer(req).and_then(|t| st.tokens.get(t)) {
        Some(t) => (t.login.to_lowercase(), RATE_LIMIT),
        None => (String::new(), ANONYMOUS_RATE_LIMIT),
    }
}

fn rate_headers(
    shared: &Shared,
    req: &HttpRequest,
    exhausted_until: Option<u64>,
) -> Vec<(String, String)> {
    let mut st = shared.lock();
    let (bucket, limit) = rate_bucket(&st, req);
    let reset = st.rate_reset;
    let used = st.rate_used.entry(bucket).or_insert(0);
    *used += 1;
    let (remaining, used, reset) = match exhausted_until {
        Some(r) => (0, limit, r),
        None => (limit.saturating_sub(*used), (*used).min(limit), reset),
    };
    vec![
        ("x-ratelimit-limit".into(), limit.to_string()),
        ("x-ratelimit-remaining".into(), remaining.to_string()),
        ("x-ratelimit-reset".into(), reset.to_string()),
        ("x-ratelimit-used".into(), used.to_string()),
        ("x-ratelimit-resource".into(), "core".into()),
    ]
}

/// The token of `Authorization: Bearer T` or `token T`.
fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        Some(token.trim())
    } else {
        None
    }
}

fn dispatch(shared: &Shared, req: &HttpRequest, path: Option<&str>, host: &str) -> Reply {
    let mut reply = route(shared, req, path, host);
    reply.rate_headers = rate_headers(shared, req, None);
    reply
}

fn route(shared: &Shared, req: &HttpRequest, path: Option<&str>, host: &str) -> Reply {
    let mut st = shared.lock();
    let caller = match req.header("authorization") {
        None if st.anonymous_reads => Caller::Anonymous,
        None => return Reply::message(401, "Requires authentication"),
        Some(_) => match bearer(req).and_then(|t| st.tokens.get(t)) {
            Some(t) => Caller::User {
                login: t.login.clone(),
                read_only: t.read_only,
            },
            None => return Reply::message(401, "Bad credentials"),
        },
    };
    let Some(path) = path else {
        return Reply::not_found();
    };
    let method = if req.method == "HEAD" {
        "GET"
    } else {
        req.method.as_str()
    };
    if matches!(caller, Caller::Anonymous) && method != "GET" {
        return Reply::message(401, "Requires authentication");
    }
    let ctx = Ctx {
        req,
        method,
        caller,
        api: format!("http://{}{}", shared.addr, shared.prefix),
        html: format!("http://{}", shared.addr),
        link_base: format!("http://{host}{}", shared.prefix),
        path,
    };
    let segs: Vec<String> = path.split('/').skip(1).map(percent_decode).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match (method, segs.as_slice()) {
        ("GET", ["user"]) => match &ctx.caller {
            Caller::User { login, .. } => {
                let login = login.clone();
                Reply::json(200, &private_user_json(&mut st, &ctx, &login))
            }
            Caller::Anonymous => Reply::message(401, "Requires authentication"),
        },
        ("GET", ["rate_limit"]) => {
            let (bucket, limit) = rate_bucket(&st, req);
            let used = st.rate_used.get(&bucket).copied().unwrap_or(0);
            let core = json!({
                "limit": limit, "used": used, "remaining": limit.saturating_sub(used),
                "reset": st.rate_reset,
            });
            Reply::json(200, &json!({"resources": {"core": core}, "rate": core}))
        }
        (_, ["repos", owner, name, rest @ ..]) => match st.find_repo(owner, name) {
            Some(r) => repo_route(&mut st, &ctx, r, rest),
            None => Reply::not_found(),
        },
        (_, ["repositories", id, rest @ ..]) => {
            match st.repos.iter().position(|r| r.id.to_string() == *id) {
                Some(r) => repo_route(&mut st, &ctx, r, rest),
                None => Reply::not_found(),
            }
        }
        _ => Reply::not_found(),
    }
}

fn repo_route(st: &mut State, ctx: &Ctx, r: usize, rest: &[&str]) -> Reply {
    let write = ctx.method != "GET";
    let known = matches!(
        (ctx.method, rest),
        (
            "GET",
            [] | ["issues" | "labels" | "assignees"] | ["labels" | "assignees", _]
        ) | ("POST", ["issues" | "labels"])
            | ("GET" | "PATCH", ["issues", _])
            | ("GET" | "POST" | "PUT" | "DELETE", ["issues", _, "labels"])
            | ("DELETE", ["issues", _, "labels", _])
            | ("POST" | "DELETE", ["issues", _, "assignees"])
            | ("PATCH" | "DELETE", ["labels", _])
    );
    if !known {
        return Reply::not_found();
    }
    if write {
        if let Caller::User {
            read_only: true, ..
        } = ctx.caller
        {
            return Reply::message(403, "Resource not accessible by integration");
        }
    }
    let issue_number = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match (ctx.method, rest) {
        ("GET", []) => Reply::json(200, &repo_json(st, ctx, r)),
        ("GET", ["issues"]) => list_issues(st, ctx, r),
        ("POST", ["issues"]) => create_issue(st, ctx, r),
        ("GET", ["labels"]) => {
            let repo = &st.repos[r];
            let items = repo
                .labels
                .iter()
                .map(|l| label_json(ctx, repo, l))
                .collect();
            paginate(st, ctx, r, items)
        }
        ("POST", ["labels"]) => create_label(st, ctx, r),
        ("GET", ["labels", name]) => match st.repos[r].label(name) {
            Some(l) => Reply::json(200, &label_json(ctx, &st.repos[r], l)),
            None => Reply::not_found(),
        },
        ("PATCH", ["labels", name]) => update_label(st, ctx, r, name),
        ("DELETE", ["labels", name]) => delete_label(st, r, name),
        ("GET", ["assignees"]) => {
            let logins: Vec<String> = st.repos[r].assignable.values().cloned().collect();
            let items = logins.iter().map(|l| user_json(st, ctx, l)).collect();
            paginate(st, ctx, r, items)
        }
        ("GET", ["assignees", login]) => {
            if st.repos[r].assignable.contains_key(&login.to_lowercase()) {
                Reply::empty(204)
            } else {
                Reply::not_found()
            }
        }
        (method, ["issues", n, tail @ ..]) => {
            let Some(n) = issue_number(n) else {
                return Reply::not_found();
            };
            match st.repos[r].issues.get(&n).map(|i| i.gone) {
                None => return Reply::not_found(),
                Some(Some(Gone::Deleted)) => return Reply::message(410, "This issue was deleted"),
                Some(Some(Gone::Transferred { repo_id, number })) => {
                    let tail: String = tail
                        .iter()
                        .map(|s| format!("/{}", encode_segment(s)))
                        .collect();
                    let url = format!("{}/repositories/{repo_id}/issues/{number}{tail}", ctx.api);
                    return Reply::json(
                        301,
                        &json!({"message": "Moved Permanently", "url": url, "documentation_url": DOCS}),
                    )
                    .header("location", url);
                }
                Some(None) => {}
            }
            match (method, tail) {
                ("GET", []) => Reply::json(200, &issue_json(st, ctx, r, n, true)),
                ("PATCH", []) => update_issue(st, ctx, r, n),
                (_, ["labels", rest @ ..]) => issue_labels(st, ctx, r, n, rest),
                (_, ["assignees"]) => issue_assignees(st, ctx, r, n),
                _ => Reply::not_found(),
            }
        }
        _ => Reply::not_found(),
    }
}

// ---------------------------------------------------------------------------
// JSON objects
// ---------------------------------------------------------------------------

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    decode(s, false)
}

fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn node_id(kind: &str, id: u64) -> String {
    format!("{kind}_kgDO{id:X}")
}

fn user_json(st: &mut State, ctx: &Ctx, login: &str) -> Value {
    let id = st.user_id(login);
    let login = st
        .users
        .get(&login.to_lowercase())
        .map_or(login.to_string(), |(_, l)| l.clone());
    let api = format!("{}/users/{}", ctx.api, encode_segment(&login));
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("U", id),
        "avatar_url": format!("{}/avatars/u/{id}?v=4", ctx.html),
        "gravatar_id": "",
        "url": api,
        "html_url": format!("{}/{}", ctx.html, encode_segment(&login)),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false,
    })
}

fn private_user_json(st: &mut State, ctx: &Ctx, login: &str) -> Value {
    let mut v = user_json(st, ctx, login);
    if let Value::Object(m) = &mut v {
        for (k, val) in [
            ("name", Value::Null),
            ("company", Value::Null),
            ("blog", json!("")),
            ("location", Value::Null),
            ("email", Value::Null),
            ("hireable", Value::Null),
            ("bio", Value::Null),
            ("twitter_username", Value::Null),
            ("notification_email", Value::Null),
            ("public_repos", json!(0)),
            ("public_gists", json!(0)),
            ("followers", json!(0)),
            ("following", json!(0)),
            ("created_at", json!(iso8601(CLOCK_START - 86_400 * 365))),
            ("updated_at", json!(iso8601(CLOCK_START))),
        ] {
            m.insert(k.to_string(), val);
        }
    }
    v
}

fn repo_api(ctx: &Ctx, repo: &RepoRec) -> String {
    format!(
        "{}/repos/{}/{}",
        ctx.api,
        encode_segment(&repo.owner),
        encode_segment(&repo.name)
    )
}

fn repo_json(st: &mut State, ctx: &Ctx, r: usize) -> Value {
    let owner_login = st.repos[r].owner.clone();
    let owner = user_json(st, ctx, &owner_login);
    let repo = &st.repos[r];
    let api = repo_api(ctx, repo);
    let html = format!(
        "{}/{}/{}",
        ctx.html,
        encode_segment(&repo.owner),
        encode_segment(&repo.name)
    );
    let open = repo
        .issues
        .values()
        .filter(|i| !i.closed && i.gone.is_none())
        .count();
    let (push, admin) = match &ctx.caller {
        Caller::User { login, read_only } => (
            !read_only,
            !read_only && login.eq_ignore_ascii_case(&repo.owner),
        ),
        Caller::Anonymous => (false, false),
    };
    // The hypermedia templates GitHub lists on a repository.
    const TEMPLATES: [(&str, &str); 36] = [
        ("forks_url", "/forks"),
        ("keys_url", "/keys{/key_id}"),
        ("collaborators_url", "/collaborators{/collaborator}"),
        ("teams_url", "/teams"),
        ("hooks_url", "/hooks"),
        ("issue_events_url", "/issues/events{/number}"),
        ("events_url", "/events"),
        ("assignees_url", "/assignees{/user}"),
        ("branches_url", "/branches{/branch}"),
        ("tags_url", "/tags"),
        ("blobs_url", "/git/blobs{/sha}"),
        ("git_tags_url", "/git/tags{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"),
        ("trees_url", "/git/trees{/sha}"),
        ("statuses_url", "/statuses/{sha}"),
        ("languages_url", "/languages"),
        ("stargazers_url", "/stargazers"),
        ("contributors_url", "/contributors"),
        ("subscribers_url", "/subscribers"),
        ("subscription_url", "/subscription"),
        ("commits_url", "/commits{/sha}"),
        ("git_commits_url", "/git/commits{/sha}"),
        ("comments_url", "/comments{/number}"),
        ("issue_comment_url", "/issues/comments{/number}"),
        ("contents_url", "/contents/{+path}"),
        ("compare_url", "/compare/{base}...{head}"),
        ("merges_url", "/merges"),
        ("archive_url", "/{archive_format}{/ref}"),
        ("downloads_url", "/downloads"),
        ("issues_url", "/issues{/number}"),
        ("pulls_url", "/pulls{/number}"),
        ("milestones_url", "/milestones{/number}"),
        (
            "notifications_url",
            "/notifications{?since,all,participating}",
        ),
        ("labels_url", "/labels{/name}"),
        ("releases_url", "/releases{/id}"),
        ("deployments_url", "/deployments"),
    ];
    let mut v = json!({
        "id": repo.id,
        "node_id": node_id("R", repo.id),
        "name": repo.name,
        "full_name": repo.full_name(),
        "private": false,
        "owner": owner,
        "html_url": html,
        "description": null,
        "fork": false,
        "url": api,
        "created_at": iso8601(repo.created_at),
        "updated_at": iso8601(repo.created_at),
        "pushed_at": iso8601(repo.created_at),
        "git_url": format!("git://{}/{}.git", ctx.html.trim_start_matches("http://"), repo.full_name()),
        "ssh_url": format!("git@127.0.0.1:{}.git", repo.full_name()),
        "clone_url": format!("{html}.git"),
        "svn_url": html,
    });
    // A second literal: one would exceed `json!`'s recursion limit.
    let counts = json!({
        "homepage": null,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": null,
        "has_issues": true,
        "has_projects": true,
        "has_downloads": true,
        "has_wiki": true,
        "has_pages": false,
        "has_discussions": false,
        "forks_count": 0,
        "mirror_url": null,
        "archived": false,
        "disabled": false,
        "open_issues_count": open,
        "license": null,
        "allow_forking": true,
        "is_template": false,
        "web_commit_signoff_required": false,
        "topics": [],
        "visibility": "public",
        "forks": 0,
        "open_issues": open,
        "watchers": 0,
        "default_branch": "main",
        "network_count": 0,
        "subscribers_count": 0,
    });
    if let (Value::Object(m), Value::Object(c)) = (&mut v, counts) {
        m.extend(c);
        for (key, suffix) in TEMPLATES {
            m.insert(key.into(), json!(format!("{api}{suffix}")));
        }
    }
    if let (Caller::User { .. }, Value::Object(m)) = (&ctx.caller, &mut v) {
        m.insert(
            "permissions".into(),
            json!({"admin": admin, "maintain": admin, "push": push, "triage": push, "pull": true}),
        );
    }
    v
}

fn label_json(ctx: &Ctx, repo: &RepoRec, l: &LabelRec) -> Value {
    json!({
        "id": l.id,
        "node_id": node_id("LA", l.id),
        "url": format!("{}/labels/{}", repo_api(ctx, repo), encode_segment(&l.name)),
        "name": l.name,
        "color": l.color,
        "default": false,
        "description": l.description,
    })
}

fn issue_json(st: &mut State, ctx: &Ctx, r: usize, n: u64, single: bool) -> Value {
    // The issue exists: callers checked under the same lock.
    let Some(issue) = st.repos[r].issues.get(&n) else {
        return Value::Null;
    };
    let (author, assignees, closed_by) = (
        issue.author.clone(),
        issue.assignees.clone(),
        issue.closed_by.clone(),
    );
    let user = user_json(st, ctx, &author);
    let assignees: Vec<Value> = assignees.iter().map(|a| user_json(st, ctx, a)).collect();
    let closed_by = closed_by.map(|c| user_json(st, ctx, &c));
    let repo = &st.repos[r];
    let issue = &repo.issues[&n];
    let repo_url = repo_api(ctx, repo);
    let url = format!("{repo_url}/issues/{n}");
    let html_repo = format!(
        "{}/{}/{}",
        ctx.html,
        encode_segment(&repo.owner),
        encode_segment(&repo.name)
    );
    let labels: Vec<Value> = issue
        .labels
        .iter()
        .filter_map(|name| repo.label(name))
        .map(|l| label_json(ctx, repo, l))
        .collect();
    let association = if issue.author.eq_ignore_ascii_case(&repo.owner) {
        "OWNER"
    } else if repo.assignable.contains_key(&issue.author.to_lowercase()) {
        "COLLABORATOR"
    } else {
        "NONE"
    };
    let kind = if issue.pull_request { "pull" } else { "issues" };
    let mut v = json!({
        "url": url,
        "repository_url": repo_url,
        "labels_url": format!("{url}/labels{{/name}}"),
        "comments_url": format!("{url}/comments"),
        "events_url": format!("{url}/events"),
        "html_url": format!("{html_repo}/{kind}/{n}"),
        "id": issue.id,
        "node_id": node_id(if issue.pull_request { "PR" } else { "I" }, issue.id),
        "number": n,
        "title": issue.title,
        "user": user,
        "labels": labels,
        "state": if issue.closed { "closed" } else { "open" },
        "locked": false,
        "assignee": assignees.first().cloned().unwrap_or(Value::Null),
        "assignees": assignees,
        "milestone": null,
        "comments": 0,
        "created_at": iso8601(issue.created_at),
        "updated_at": iso8601(issue.updated_at),
        "closed_at": issue.closed_at.map(iso8601),
        "author_association": association,
        "type": null,
        "active_lock_reason": null,
        "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
        "body": issue.body,
        "reactions": {
            "url": format!("{url}/reactions"),
            "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
        },
        "timeline_url": format!("{url}/timeline"),
        "performed_via_github_app": null,
        "state_reason": issue.state_reason,
    });
    if let Value::Object(m) = &mut v {
        if issue.pull_request {
            m.insert("draft".into(), json!(false));
            m.insert(
                "pull_request".into(),
                json!({
                    "url": format!("{repo_url}/pulls/{n}"),
                    "html_url": format!("{html_repo}/pull/{n}"),
                    "diff_url": format!("{html_repo}/pull/{n}.diff"),
                    "patch_url": format!("{html_repo}/pull/{n}.patch"),
                    "merged_at": null,
                }),
            );
        }
        if single {
            m.insert("closed_by".into(), closed_by.unwrap_or(Value::Null));
        }
    }
    v
}

// ---------------------------------------------------------------------------
// Listing and pagination
// ---------------------------------------------------------------------------

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k, true), decode(v, true)),
            None => (decode(p, true), String::new()),
        })
        .collect()
}

fn query_param(ctx: &Ctx, name: &str) -> Option<String> {
    query_pairs(&ctx.req.query)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn positive(s: Option<String>) -> Option<usize> {
    s.and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
}

/// Answers one page of `items` with GitHub's `Link` header.
fn paginate(st: &State, ctx: &Ctx, r: usize, items: Vec<Value>) -> Reply {
    let per_page = positive(query_param(ctx, "per_page"))
        .unwrap_or(30)
        .min(100);
    let page = positive(query_param(ctx, "page")).unwrap_or(1);
    let last = items.len().div_ceil(per_page).max(1);
    let start = (page - 1).saturating_mul(per_page).min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    let body = Value::Array(items[start..end].to_vec());
    let mut reply = Reply::json(200, &body);
    if last > 1 || page > 1 {
        let mut path = ctx.path.to_string();
        if st.repository_id_links && path.starts_with("/repos/") {
            let tail = path.splitn(5, '/').nth(4).unwrap_or_default();
            path = format!("/repositories/{}/{tail}", st.repos[r].id);
        }
        let others: Vec<&str> = ctx
            .req
            .query
            .split('&')
            .filter(|p| !p.is_empty() && p.split('=').next() != Some("page"))
            .collect();
        let link = |p: usize| {
            let mut q = others.join("&");
            if !q.is_empty() {
                q.push('&');
            }
            format!("<{}{path}?{q}page={p}>", ctx.link_base)
        };
        let mut parts = Vec::new();
        if page > 1 {
            parts.push(format!("{}; rel=\"prev\"", link(page - 1)));
        }
        if page < last {
            parts.push(format!("{}; rel=\"next\"", link(page + 1)));
            parts.push(format!("{}; rel=\"last\"", link(last)));
        }
        if page > 1 {
            parts.push(format!("{}; rel=\"first\"", link(1)));
        }
        reply = reply.header("link", parts.join(", "));
    }
    reply
}

fn list_issues(st: &mut State, ctx: &Ctx, r: usize) -> Reply {
    let state = query_param(ctx, "state").unwrap_or_else(|| "open".into());
    if !matches!(state.as_str(), "open" | "closed" | "all") {
        return Reply::validation(json!([
            {"resource": "Issue", "field": "state", "code": "invalid", "value": state}
        ]));
    }
    let labels: Vec<String> = query_param(ctx, "labels")
        .map(|l| {
            l.split(',')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let sort = query_param(ctx, "sort").unwrap_or_else(|| "created".into());
    let direction = query_param(ctx, "direction").unwrap_or_else(|| "desc".into());
    if !matches!(sort.as_str(), "created" | "updated" | "comments") {
        return Reply::validation(json!([
            {"resource": "Issue", "field": "sort", "code": "invalid", "value": sort}
        ]));
    }
    if !matches!(direction.as_str(), "asc" | "desc") {
        return Reply::validation(json!([
            {"resource": "Issue", "field": "direction", "code": "invalid", "value": direction}
        ]));
    }
    let since = match query_param(ctx, "since") {
        None => None,
        Some(s) => match parse_timestamp(&s) {
            Some(t) => Some(t),
            None => {
                return Reply::validation(json!([
                    {"resource": "Issue", "field": "since", "code": "invalid", "value": s}
                ]))
            }
        },
    };
    let assignee = query_param(ctx, "assignee");
    let creator = query_param(ctx, "creator");
    let repo = &st.repos[r];
    let mut chosen: Vec<&IssueRec> = repo
        .issues
        .values()
        .filter(|i| i.gone.is_none())
        .filter(|i| match state.as_str() {
            "open" => !i.closed,
            "closed" => i.closed,
            _ => true,
        })
        .filter(|i| {
            labels
                .iter()
                .all(|want| i.labels.iter().any(|l| l.to_lowercase() == *want))
        })
        .filter(|i| since.is_none_or(|s| i.updated_at >= s))
        .filter(|i| match assignee.as_deref() {
            None => true,
            Some("none") => i.assignees.is_empty(),
            Some("*") => !i.assignees.is_empty(),
            Some(a) => i.assignees.iter().any(|x| x.eq_ignore_ascii_case(a)),
        })
        .filter(|i| {
            creator
                .as_deref()
                .is_none_or(|c| i.author.eq_ignore_ascii_case(c))
        })
        .collect();
    chosen.sort_by_key(|i| {
        let key = match sort.as_str() {
            "updated" => i.updated_at,
            _ => i.created_at,
        };
        (key, i.number)
    });
    if direction == "desc" {
        chosen.reverse();
    }
    let numbers: Vec<u64> = chosen.iter().map(|i| i.number).collect();
    let items = numbers
        .into_iter()
        .map(|n| issue_json(st, ctx, r, n, false))
        .collect();
    paginate(st, ctx, r, items)
}

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

fn parse_body(ctx: &Ctx) -> Result<Value, Reply> {
    if ctx.req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(&ctx.req.body).map_err(|_| Reply::message(400, "Problems parsing JSON"))
}

fn parse_object(ctx: &Ctx) -> Result<Map<String, Value>, Reply> {
    match parse_body(ctx)? {
        Value::Object(m) => Ok(m),
        _ => Err(Reply::message(400, "Problems parsing JSON")),
    }
}

fn caller_login(ctx: &Ctx) -> String {
    match &ctx.caller {
        Caller::User { login, .. } => login.clone(),
        Caller::Anonymous => String::new(),
    }
}

/// `title`: a string or a number, not blank.
fn parse_title(v: &Value) -> Result<String, Reply> {
    let title = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(Reply::invalid_request(&format!(
                "For 'properties/title', {other} is not a string or integer."
            )))
        }
    };
    if title.trim().is_empty() {
        return Err(Reply::validation(json!([
            {"resource": "Issue", "code": "missing_field", "field": "title"}
        ])));
    }
    Ok(title)
}

fn parse_optional_string(field: &str, v: &Value) -> Result<Option<String>, Reply> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(Reply::invalid_request(&format!(
            "For 'properties/{field}', {other} is not a string or null."
        ))),
    }
}

/// `labels`: strings, or objects with a `name`.
fn parse_label_names(v: &Value) -> Result<Vec<String>, Reply> {
    let Value::Array(items) = v else {
        return Err(Reply::invalid_request(&format!(
            "For 'properties/labels', {v} is not an array."
        )));
    };
    let mut names = Vec::new();
    for item in items {
        let name = match item {
            Value::String(s) => s.clone(),
            Value::Object(m) => match m.get("name") {
                Some(Value::String(s)) => s.clone(),
                _ => {
                    return Err(Reply::invalid_request(&format!(
                        "For 'items', {item} is not a string or an object with a name."
                    )))
                }
            },
            other => {
                return Err(Reply::invalid_request(&format!(
                    "For 'items', {other} is not a string."
                )))
            }
        };
        if name.trim().is_empty() {
            return Err(Reply::validation(json!([
                {"resource": "Label", "code": "invalid", "field": "name", "value": name}
            ])));
        }
        names.push(name);
    }
    Ok(names)
}

fn parse_logins(field: &str, v: &Value) -> Result<Vec<String>, Reply> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                other => Err(Reply::invalid_request(&format!(
                    "For 'items', {other} is not a string."
                ))),
            })
            .collect(),
        other => Err(Reply::invalid_request(&format!(
            "For 'properties/{field}', {other} is not an array."
        ))),
    }
}

/// The assignees of `assignees` and/or `assignee`, all assignable (422
/// naming the first refused login otherwise); `None` when neither is given.
fn parse_assignees(
    st: &State,
    r: usize,
    body: &Map<String, Value>,
) -> Result<Option<Vec<String>>, Reply> {
    let mut given: Option<Vec<String>> = None;
    if let Some(v) = body.get("assignees") {
        given = Some(if v.is_null() {
            Vec::new()
        } else {
            parse_logins("assignees", v)?
        });
    }
    if let Some(v) = body.get("assignee") {
        let list = given.get_or_insert_with(Vec::new);
        if let Some(login) = parse_optional_string("assignee", v)? {
            list.insert(0, login);
        }
    }
    let Some(list) = given else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for login in dedup_logins(&list) {
        match st.repos[r].assignable.get(&login.to_lowercase()) {
            Some(canonical) => out.push(canonical.clone()),
            None => {
                return Err(Reply::validation(json!([
                    {"resource": "Issue", "field": "assignees", "code": "invalid", "value": login}
                ])))
            }
        }
    }
    if out.len() > 10 {
        return Err(Reply::validation(json!([
            {"resource": "Issue", "field": "assignees", "code": "invalid", "value": "too many assignees (at most 10)"}
        ])));
    }
    Ok(Some(out))
}

fn check_milestone(body: &Map<String, Value>) -> Result<(), Reply> {
    match body.get("milestone") {
        None | Some(Value::Null) => Ok(()),
        Some(v) => Err(Reply::validation(json!([
            {"resource": "Issue", "field": "milestone", "code": "invalid", "value": v}
        ]))),
    }
}

fn create_issue(st: &mut State, ctx: &Ctx, r: usize) -> Reply {
    let body = match parse_object(ctx) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let parsed = (|| -> Result<_, Reply> {
        let title = match body.get("title") {
            Some(v) => parse_title(v)?,
            None => {
                return Err(Reply::validation(json!([
                    {"resource": "Issue", "code": "missing_field", "field": "title"}
                ])))
            }
        };
        let text = match body.get("body") {
            Some(v) => parse_optional_string("body", v)?,
            None => None,
        };
        let labels = match body.get("labels") {
            Some(Value::Null) | None => Vec::new(),
            Some(v) => parse_label_names(v)?,
        };
        let assignees = parse_assignees(st, r, &body)?.unwrap_or_default();
        check_milestone(&body)?;
        Ok((title, text, labels, assignees))
    })();
    let (title, text, labels, assignees) = match parsed {
        Ok(p) => p,
        Err(e) => return e,
    };
    let author = caller_login(ctx);
    st.user_id(&author);
    let labels = st.canonical_labels(r, &labels);
    let now = st.tick();
    st.next_issue_id += 1;
    let id = st.next_issue_id;
    let number = st.repos[r].next_number();
    st.repos[r].issues.insert(
        number,
        IssueRec {
            id,
            number,
            title,
            body: text.and_then(non_empty),
            author,
            labels,
            assignees,
            closed: false,
            state_reason: None,
            closed_by: None,
            created_at: now,
            updated_at: now,
            closed_at: None,
            pull_request: false,
            gone: None,
        },
    );
    let location = format!("{}/issues/{number}", repo_api(ctx, &st.repos[r]));
    Reply::json(201, &issue_json(st, ctx, r, number, true)).header("location", location)
}

fn update_issue(st: &mut State, ctx: &Ctx, r: usize, n: u64) -> Reply {
    let body = match parse_object(ctx) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let current_closed = st.repos[r].issues[&n].closed;
    let parsed = (|| -> Result<_, Reply> {
        let title = body.get("title").map(parse_title).transpose()?;
        let text = body
            .get("body")
            .map(|v| parse_optional_string("body", v))
            .transpose()?;
        let state = match body.get("state") {
            None => None,
            Some(Value::String(s)) if s == "open" || s == "closed" => Some(s == "closed"),
            Some(v) => {
                return Err(Reply::validation(json!([
                    {"resource": "Issue", "field": "state", "code": "invalid", "value": v}
                ])))
            }
        };
        let reason = match body.get("state_reason") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s))
                if matches!(
                    s.as_str(),
                    "completed" | "not_planned" | "reopened" | "duplicate"
                ) =>
            {
                Some(Some(s.clone()))
            }
            Some(v) => {
                return Err(Reply::validation(json!([
                    {"resource": "Issue", "field": "state_reason", "code": "invalid", "value": v}
                ])))
            }
        };
        // Like GitHub: `state_reason` is ignored unless `state` is given.
        let reason = if state.is_some() { reason } else { None };
        let closed = state.unwrap_or(current_closed);
        if closed && reason == Some(Some("reopened".into())) {
            return Err(Reply::validation(json!([
                {"resource": "Issue", "field": "state_reason", "code": "invalid", "value": "reopened"}
            ])));
        }
        let labels = match body.get("labels") {
            None => None,
            Some(Value::Null) => Some(Vec::new()),
            Some(v) => Some(parse_label_names(v)?),
        };
        let assignees = parse_assignees(st, r, &body)?;
        check_milestone(&body)?;
        Ok((title, text, closed, reason, labels, assignees))
    })();
    let (title, text, closed, reason, labels, assignees) = match parsed {
        Ok(p) => p,
        Err(e) => return e,
    };
    let labels = labels.map(|l| st.canonical_labels(r, &l));
    let now = st.tick();
    let login = caller_login(ctx);
    let issue = st.repos[r]
        .issues
        .get_mut(&n)
        .expect("checked by the caller under the same lock");
    if let Some(t) = title {
        issue.title = t;
    }
    if let Some(t) = text {
        issue.body = t.and_then(non_empty);
    }
    if let Some(l) = labels {
        issue.labels = l;
    }
    if let Some(a) = assignees {
        issue.assignees = a;
    }
    match (issue.closed, closed) {
        (false, true) => {
            issue.closed = true;
            issue.closed_at = Some(now);
            issue.closed_by = Some(login);
            issue.state_reason = Some(reason.flatten().unwrap_or_else(|| "completed".into()));
        }
        (true, false) => {
            issue.closed = false;
            issue.closed_at = None;
            issue.closed_by = None;
            issue.state_reason = match reason {
                Some(None) => None,
                _ => Some("reopened".into()),
            };
        }
        (true, true) => {
            if let Some(Some(reason)) = reason {
                issue.state_reason = Some(reason);
            }
        }
        (false, false) => {
            if let Some(reason) = reason {
                if reason.is_none() || reason.as_deref() == Some("reopened") {
                    issue.state_reason = reason;
                }
            }
        }
    }
    issue.updated_at = now;
    Reply::json(200, &issue_json(st, ctx, r, n, true))
}

fn issue_labels(st: &mut State, ctx: &Ctx, r: usize, n: u64, rest: &[&str]) -> Reply {
    let list = |st: &mut State| -> Value {
        let repo = &st.repos[r];
        Value::Array(
            repo.issues[&n]
                .labels
                .iter()
                .filter_map(|name| repo.label(name))
                .map(|l| label_json(ctx, repo, l))
                .collect(),
        )
    };
    match (ctx.method, rest) {
        ("GET", []) => Reply::json(200, &list(st)),
        ("POST" | "PUT", []) => {
            let names = match parse_body(ctx) {
                Err(e) => return e,
                Ok(Value::Object(m)) => match m.get("labels") {
                    Some(v) => parse_label_names(v),
                    None => Ok(Vec::new()),
                },
                Ok(v @ Value::Array(_)) => parse_label_names(&v),
                Ok(_) => Err(Reply::message(400, "Problems parsing JSON")),
            };
            let names = match names {
                Ok(n) => n,
                Err(e) => return e,
            };
            let mut all = if ctx.method == "POST" {
                st.repos[r].issues[&n].labels.clone()
            } else {
                Vec::new()
            };
            all.extend(names);
            let labels = st.canonical_labels(r, &all);
            let now = st.tick();
            if let Some(issue) = st.repos[r].issues.get_mut(&n) {
                issue.labels = labels;
                issue.updated_at = now;
            }
            Reply::json(200, &list(st))
        }
        ("DELETE", []) => {
            let now = st.tick();
            if let Some(issue) = st.repos[r].issues.get_mut(&n) {
                issue.labels.clear();
                issue.updated_at = now;
            }
            Reply::empty(204)
        }
        ("DELETE", [name]) => {
            let now = st.tick();
            let Some(issue) = st.repos[r].issues.get_mut(&n) else {
                return Reply::not_found();
            };
            let before = issue.labels.len();
            issue.labels.retain(|l| !l.eq_ignore_ascii_case(name));
            if issue.labels.len() == before {
                return Reply::message(404, "Label does not exist");
            }
            issue.updated_at = now;
            Reply::json(200, &list(st))
        }
        _ => Reply::not_found(),
    }
}

fn issue_assignees(st: &mut State, ctx: &Ctx, r: usize, n: u64) -> Reply {
    let body = match parse_object(ctx) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let logins = match body.get("assignees") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => match parse_logins("assignees", v) {
            Ok(l) => l,
            Err(e) => return e,
        },
    };
    let now = st.tick();
    let repo = &mut st.repos[r];
    let Some(issue) = repo.issues.get_mut(&n) else {
        return Reply::not_found();
    };
    if ctx.method == "POST" {
        // Like GitHub, logins that cannot be assigned are ignored here.
        for login in logins {
            if let Some(canonical) = repo.assignable.get(&login.to_lowercase()) {
                if !issue
                    .assignees
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(canonical))
                {
                    issue.assignees.push(canonical.clone());
                }
            }
        }
        issue.assignees.truncate(10);
    } else {
        issue
            .assignees
            .retain(|a| !logins.iter().any(|l| l.eq_ignore_ascii_case(a)));
    }
    issue.updated_at = now;
    let status = if ctx.method == "POST" { 201 } else { 200 };
    Reply::json(status, &issue_json(st, ctx, r, n, true))
}

fn parse_color(v: Option<&Value>) -> Result<Option<String>, Reply> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => {
            let c = s.strip_prefix('#').unwrap_or(s);
            if c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(c.to_lowercase()))
            } else {
                Err(Reply::validation(json!([
                    {"resource": "Label", "code": "invalid", "field": "color"}
                ])))
            }
        }
        Some(other) => Err(Reply::invalid_request(&format!(
            "For 'properties/color', {other} is not a string."
        ))),
    }
}

fn parse_description(v: Option<&Value>) -> Result<Option<Option<String>>, Reply> {
    match v {
        None => Ok(None),
        Some(v) => {
            let d = parse_optional_string("description", v)?;
            if d.as_ref().is_some_and(|d| d.chars().count() > 100) {
                return Err(Reply::validation(json!([
                    {"resource": "Label", "code": "custom", "field": "description",
                     "message": "description is too long (maximum is 100 characters)"}
                ])));
            }
            Ok(Some(d))
        }
    }
}

fn create_label(st: &mut State, ctx: &Ctx, r: usize) -> Reply {
    let body = match parse_object(ctx) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let name = match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) | None => {
            return Reply::validation(json!([
                {"resource": "Label", "code": "missing_field", "field": "name"}
            ]))
        }
        Some(other) => {
            return Reply::invalid_request(&format!(
                "For 'properties/name', {other} is not a string."
            ))
        }
    };
    let color = match parse_color(body.get("color")) {
        Ok(c) => c.unwrap_or_else(|| "ededed".into()),
        Err(e) => return e,
    };
    let description = match parse_description(body.get("description")) {
        Ok(d) => d.flatten(),
        Err(e) => return e,
    };
    if st.repos[r].label(&name).is_some() {
        return Reply::validation(json!([
            {"resource": "Label", "code": "already_exists", "field": "name"}
        ]));
    }
    st.next_label_id += 1;
    let label = LabelRec {
        id: st.next_label_id,
        name,
        color,
        description,
    };
    st.repos[r].labels.push(label.clone());
    let v = label_json(ctx, &st.repos[r], &label);
    let location = v["url"].as_str().unwrap_or_default().to_string();
    Reply::json(201, &v).header("location", location)
}

fn update_label(st: &mut State, ctx: &Ctx, r: usize, name: &str) -> Reply {
    let Some(old) = st.repos[r].label(name).cloned() else {
        return Reply::not_found();
    };
    let body = match parse_object(ctx) {
        Ok(b) => b,
        Err(e) => return e,
    };
    let new_name = match body.get("new_name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(v) => {
            return Reply::validation(json!([
                {"resource": "Label", "code": "invalid", "field": "name", "value": v}
            ]))
        }
    };
    let color = match parse_color(body.get("color")) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let description = match parse_description(body.get("description")) {
        Ok(d) => d,
        Err(e) => return e,
    };
    if let Some(new) = &new_name {
        if st.repos[r].label(new).is_some_and(|l| l.id != old.id) {
            return Reply::validation(json!([
                {"resource": "Label", "code": "already_exists", "field": "name"}
            ]));
        }
    }
    let repo = &mut st.repos[r];
    let Some(label) = repo.labels.iter_mut().find(|l| l.id == old.id) else {
        return Reply::not_found();
    };
    if let Some(new) = &new_name {
        label.name = new.clone();
    }
    if let Some(c) = color {
        label.color = c;
    }
    if let Some(d) = description {
        label.description = d;
    }
    let label = label.clone();
    if new_name.is_some() {
        for issue in repo.issues.values_mut() {
            for l in issue.labels.iter_mut() {
                if *l == old.name {
                    *l = label.name.clone();
                }
            }
        }
    }
    Reply::json(200, &label_json(ctx, repo, &label))
}

fn delete_label(st: &mut State, r: usize, name: &str) -> Reply {
    let repo = &mut st.repos[r];
    let Some(old) = repo.label(name).cloned() else {
        return Reply::not_found();
    };
    repo.labels.retain(|l| l.id != old.id);
    for issue in repo.issues.values_mut() {
        issue.labels.retain(|l| *l != old.name);
    }
    Reply::empty(204)
}
