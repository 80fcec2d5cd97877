//! The GitHub REST client: a thin transport on octocrab (`Transport`) and
//! the API pmlint uses (`GitHub`), with pmlint's own fault handling.
//!
//! octocrab's retry layer is off: it resends any request on a 5xx, and a
//! POST that GitHub already applied then creates a duplicate issue. pmlint
//! retries reads and PATCHes itself (with jittered exponential backoff),
//! reports a create whose outcome is unknown as `Uncertain` so the caller
//! can look before creating again, and waits out rate limits within a
//! total budget (`--max-wait`). Answers are read into small, lenient types
//! holding only the fields pmlint needs, so a GitHub that omits or adds
//! fields still works.

use super::clock::Clock;
use super::plan::{CurrentIssue, IssueState};
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

/// The API token. Its value never appears in `Debug` output, errors or
/// reports.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// A token as read from the environment: surrounding blanks trimmed.
    /// Empty means none; characters that cannot go into an HTTP header
    /// are an error (whose message does not include the token).
    pub fn new(raw: &str) -> Result<Option<Token>, String> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the token in GITHUB_TOKEN/GH_TOKEN contains characters that cannot be sent in an HTTP header (blanks, control or non-ASCII characters); check how it is set"
                    .into(),
            );
        }
        Ok(Some(Token(t.to_string())))
    }

    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The API's base URL: `https://api.github.com`, a GitHub Enterprise
/// Server's `https://HOST/api/v3`, or a local server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    scheme: String,
    authority: String,
    /// Empty or `/api/v3`: no trailing slash.
    path: String,
}

impl ApiBase {
    pub fn parse(url: &str) -> Result<ApiBase, String> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("API URL `{url}` must start with https:// or http://"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(format!(
                "API URL `{url}` must start with https:// or http://"
            ));
        }
        if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "API URL `{url}` must not contain a query, a fragment or blanks"
            ));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("API URL `{url}` needs a host (and no user name)"));
        }
        let base = ApiBase {
            scheme,
            authority: authority.to_ascii_lowercase(),
            path: path.trim_end_matches('/').to_string(),
        };
        // The transport needs it as a URI.
        base.url()
            .parse::<http::Uri>()
            .map_err(|e| format!("API URL `{url}` is not a valid URL: {e}"))?;
        Ok(base)
    }

    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.path)
    }

    /// A URL the API gave (a pagination link) as a path below the base;
    /// `None` when it points elsewhere (the token is never sent there).
    pub fn relative(&self, absolute: &str) -> Option<String> {
        let (scheme, rest) = absolute.trim().split_once("://")?;
        if !scheme.eq_ignore_ascii_case(&self.scheme) {
            return None;
        }
        let i = rest.find('/').unwrap_or(rest.len());
        if !rest[..i].eq_ignore_ascii_case(&self.authority) {
            return None;
        }
        let path = &rest[i..];
        let below = path.strip_prefix(self.path.as_str())?;
        if below.starts_with('/') {
            Some(below.to_string())
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }

    pub fn is_write(self) -> bool {
        self != Method::Get
    }
}

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: Method,
    /// Path and query below the API base, starting with `/`.
    pub path: String,
    pub body: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default)]
pub struct HttpResponse {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The logins a 422 names in its `errors` for an assignee field
    /// (`{"field":"assignees","value":"ghost"}`; the value may be a list).
    pub fn invalid_assignees(&self) -> Vec<String> {
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&self.body) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in v["errors"].as_array().into_iter().flatten() {
            let field = e["field"].as_str().unwrap_or("");
            if !field.to_ascii_lowercase().contains("assignee") {
                continue;
            }
            match &e["value"] {
                serde_json::Value::String(s) => out.push(s.trim_start_matches('@').to_string()),
                serde_json::Value::Array(a) => out.extend(
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(|x| x.trim_start_matches('@').to_string()),
                ),
                _ => {}
            }
        }
        out
    }

    /// GitHub's error `message`, else the start of the body.
    pub fn message(&self) -> String {
        #[derive(Deserialize)]
        struct ErrorBody {
            #[serde(default)]
            message: Option<String>,
        }
        let text = String::from_utf8_lossy(&self.body);
        match serde_json::from_slice::<ErrorBody>(&self.body) {
            Ok(ErrorBody { message: Some(m) }) if !m.trim().is_empty() => m,
            _ => {
                let t: String = text.trim().chars().take(200).collect();
                if t.is_empty() {
                    format!("HTTP {}", self.status)
                } else {
                    t
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No complete answer within the request timeout.
    Timeout,
    /// The connection failed or was dropped.
    Connection(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout => f.write_str("no answer within the request timeout"),
            TransportError::Connection(m) => write!(f, "connection error: {m}"),
        }
    }
}

/// Sends one HTTP request, nothing more: no retries, no interpretation.
pub trait Transport {
    fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// The real transport: octocrab's default client (rustls with the
/// platform's roots, HTTP/1.1), without its retry layer, on a
/// single-threaded runtime. Every request is bounded by `timeout` as a
/// whole, answer body included.
pub struct OctocrabTransport {
    runtime: tokio::runtime::Runtime,
    client: octocrab::Octocrab,
    base: ApiBase,
    timeout: Duration,
}

impl fmt::Debug for OctocrabTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OctocrabTransport")
            .field("base", &self.base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl OctocrabTransport {
    pub fn new(
        base: &ApiBase,
        token: Option<&Token>,
        timeout: Duration,
    ) -> Result<OctocrabTransport, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
        // octocrab's service stack spawns a worker: build it inside the
        // runtime.
        let client = {
            let _guard = runtime.enter();
            let mut builder = octocrab::Octocrab::builder()
                .base_uri(base.url())
                .map_err(|e| format!("invalid API URL {}: {e}", base.url()))?
                .add_header(
                    http::header::ACCEPT,
                    "application/vnd.github+json".to_string(),
                )
                .add_header(
                    http::header::HeaderName::from_static("x-github-api-version"),
                    "2022-11-28".to_string(),
                )
                .set_connect_timeout(Some(timeout))
                .set_read_timeout(Some(timeout))
                .set_write_timeout(Some(timeout));
            if let Some(t) = token {
                builder = builder.personal_token(t.secret().to_string());
            }
            builder
                .build()
                .map_err(|e| format!("cannot set up the HTTP client: {e}"))?
        };
        Ok(OctocrabTransport {
            runtime,
            client,
            base: base.clone(),
            timeout,
        })
    }
}

/// An error and its sources on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let m = inner.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        source = inner.source();
    }
    s
}

impl Transport for OctocrabTransport {
    fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        use http_body_util::BodyExt;
        // The full path keeps a GHES `/api/v3` prefix exactly once.
        let uri = format!("{}{}", self.base.url(), req.path);
        let client = &self.client;
        let body = req.body.as_ref();
        let exchange = async move {
            let response = match req.method {
                Method::Get => client._get(uri).await,
                Method::Post => client._post(uri, body).await,
                Method::Patch => client._patch(uri, body).await,
            }
            .map_err(|e| TransportError::Connection(chain(&e)))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| TransportError::Connection(chain(&e)))?
                .to_bytes();
            Ok(HttpResponse {
                status,
                headers,
                body: bytes.to_vec(),
            })
        };
        self.runtime.block_on(async {
            match tokio::time::timeout(self.timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(TransportError::Timeout),
            }
        })
    }
}

/// How pmlint treats faults.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Attempts per request for 5xx, timeouts and connection errors.
    pub attempts: u32,
    /// First backoff; doubled per attempt, with full jitter.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Total time all rate-limit waits may take.
    pub max_wait: Duration,
    /// Minimum spacing between write requests.
    pub write_interval: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_wait: Duration::from_secs(15 * 60),
            write_interval: Duration::from_millis(1000),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// Stops the run with exit 2: no or bad token, no permission, unknown
    /// repository.
    Fatal(String),
    /// A rate limit would need a longer wait than `--max-wait` allows.
    RateLimited(String),
    /// A create whose outcome is unknown (5xx, timeout, lost answer).
    Uncertain(String),
    /// GitHub answered with an error. `invalid`: the values a 422 names
    /// as invalid for an assignee field.
    Status {
        status: u16,
        message: String,
        invalid: Vec<String>,
    },
    /// No usable answer after every attempt.
    Unavailable(String),
    /// An answer pmlint cannot read.
    Invalid(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Fatal(m)
            | ApiError::RateLimited(m)
            | ApiError::Uncertain(m)
            | ApiError::Unavailable(m)
            | ApiError::Invalid(m) => f.write_str(m),
            ApiError::Status {
                status, message, ..
            } => {
                write!(f, "GitHub answered {status}: {message}")
            }
        }
    }
}

/// What the run asked the clock for, for the report and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    RateLimit(Duration),
    Backoff(Duration),
    Spacing(Duration),
}

/// Whether a request may be sent again after a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resend {
    /// GET, PATCH, label POST: sending twice does no harm.
    Safe,
    /// Issue POST: a second send could create a duplicate.
    Unsafe,
}

/// The GitHub API as pmlint uses it.
pub struct GitHub<'a> {
    transport: &'a dyn Transport,
    clock: &'a dyn Clock,
    policy: Policy,
    base: ApiBase,
    repo: String,
    server_url: String,
    waited: Cell<Duration>,
    last_write: Cell<Option<Duration>>,
    writes_sent: Cell<usize>,
    waits: RefCell<Vec<Wait>>,
    notes: RefCell<Vec<String>>,
}

/// A JSON `null` read as the type's default.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize, Default)]
struct ApiUser {
    #[serde(default, deserialize_with = "nullable")]
    login: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ApiLabel {
    Name(String),
    Object {
        #[serde(default, deserialize_with = "nullable")]
        name: String,
    },
}

#[derive(Deserialize)]
struct ApiIssue {
    number: u64,
    #[serde(default, deserialize_with = "nullable")]
    title: String,
    #[serde(default, deserialize_with = "nullable")]
    body: String,
    #[serde(default, deserialize_with = "nullable")]
    state: String,
    #[serde(default)]
    state_reason: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    labels: Vec<ApiLabel>,
    #[serde(default, deserialize_with = "nullable")]
    assignees: Vec<ApiUser>,
    #[serde(default)]
    assignee: Option<ApiUser>,
    #[serde(default)]
    user: Option<ApiUser>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
}

/// The `rel="next"` target of a Link header.
pub fn link_next(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let url = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = &after[..params_end];
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            let Some((name, value)) = p.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(url.trim().to_string());
        }
        rest = after;
    }
    None
}

/// Percent-encodes a query value or a path segment.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The new issue as sent.
#[derive(Debug, Clone)]
pub struct NewIssue<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub labels: &'a [String],
    pub assignees: &'a [String],
}

/// The changes as sent.
#[derive(Debug, Clone, Default)]
pub struct IssueChanges<'a> {
    pub title: Option<&'a str>,
    pub body: Option<&'a str>,
    pub labels: Option<&'a [String]>,
    pub assignees: Option<&'a [String]>,
    pub state: Option<IssueState>,
}

impl<'a> GitHub<'a> {
    pub fn new(
        transport: &'a dyn Transport,
        clock: &'a dyn Clock,
        policy: Policy,
        base: ApiBase,
        repo: &str,
        server_url: &str,
    ) -> GitHub<'a> {
        GitHub {
            transport,
            clock,
            policy,
            base,
            repo: repo.to_string(),
            server_url: server_url.trim_end_matches('/').to_string(),
            waited: Cell::new(Duration::ZERO),
            last_write: Cell::new(None),
            writes_sent: Cell::new(0),
            waits: RefCell::new(Vec::new()),
            notes: RefCell::new(Vec::new()),
        }
    }

    /// Write requests sent so far, retries included.
    pub fn writes_sent(&self) -> usize {
        self.writes_sent.get()
    }

    pub fn waits(&self) -> Vec<Wait> {
        self.waits.borrow().clone()
    }

    /// Things worth telling the user that are not errors (unreadable
    /// entries in a listing).
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.borrow_mut())
    }

    fn sleep(&self, d: Duration, why: Wait) {
        self.waits.borrow_mut().push(why);
        self.clock.sleep(d);
    }

    /// The backoff before attempt `attempt + 1`: exponential, full jitter
    /// over its upper half.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let cap = self.policy.max_backoff.max(self.policy.backoff);
        let exp = self
            .policy
            .backoff
            .saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX))
            .min(cap);
        exp.mul_f64(0.5 + 0.5 * self.clock.random())
    }

    /// Attempts per request.
    pub fn attempts(&self) -> u32 {
        self.policy.attempts.max(1)
    }

    /// The backoff pause after the `attempt`-th fault (0-based).
    pub fn pause(&self, attempt: u32) {
        self.sleep_backoff(attempt);
    }

    fn sleep_backoff(&self, attempt: u32) {
        let d = self.backoff(attempt);
        self.sleep(d, Wait::Backoff(d));
    }

    /// How long a rate-limited answer asks to wait, if it is one.
    fn rate_limit_wait(&self, r: &HttpResponse) -> Option<Duration> {
        if r.status != 429 && r.status != 403 {
            return None;
        }
        if let Some(v) = r.header("retry-after") {
            if let Some(d) = parse_retry_after(v, self.server_now(r)) {
                return Some(d.max(Duration::from_secs(1)));
            }
        }
        if r.header("x-ratelimit-remaining").map(str::trim) == Some("0") {
            if let Some(reset) = r
                .header("x-ratelimit-reset")
                .and_then(|v| v.trim().parse::<u64>().ok())
            {
                let now = self.server_now(r);
                // One second of margin: the reset is rounded down.
                return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
            }
            return Some(Duration::from_secs(60));
        }
        let message = r.message().to_ascii_lowercase();
        if r.status == 429 || message.contains("rate limit") || message.contains("abuse") {
            // GitHub's advice for secondary limits without a header: wait
            // at least a minute.
            return Some(Duration::from_secs(60));
        }
        None
    }

    /// The server's clock (its `Date` header) when it sent one, so that a
    /// skewed local clock does not distort `x-ratelimit-reset`.
    fn server_now(&self, r: &HttpResponse) -> u64 {
        r.header("date")
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d.trim()).ok())
            .and_then(|d| u64::try_from(d.timestamp()).ok())
            .unwrap_or_else(|| self.clock.unix_time())
    }

    /// Waits before a write so that writes are spaced.
    fn space_write(&self) {
        if let Some(last) = self.last_write.get() {
            let since = self.clock.now().saturating_sub(last);
            if since < self.policy.write_interval {
                let d = self.policy.write_interval - since;
                self.sleep(d, Wait::Spacing(d));
            }
        }
    }

    /// Sends a request with pmlint's fault handling.
    fn send(&self, req: &HttpRequest, resend: Resend) -> Result<HttpResponse, ApiError> {
        let mut attempt = 0u32;
        let mut rate_limited = 0u32;
        loop {
            if req.method.is_write() {
                self.space_write();
                self.writes_sent.set(self.writes_sent.get() + 1);
            }
            let result = self.transport.send(req);
            if req.method.is_write() {
                self.last_write.set(Some(self.clock.now()));
            }
            let what = format!("{} {}", req.method.as_str(), req.path);
            match result {
                Ok(r) => {
                    if let Some(wait) = self.rate_limit_wait(&r) {
                        rate_limited += 1;
                        let total = self.waited.get() + wait;
                        if total > self.policy.max_wait || rate_limited > 1000 {
                            return Err(ApiError::RateLimited(format!(
                                "rate limited by GitHub ({}): waiting {}s more would pass --max-wait ({}s in total); stopped, re-run later to continue",
                                r.status,
                                wait.as_secs(),
                                self.policy.max_wait.as_secs()
                            )));
                        }
                        self.waited.set(total);
                        self.sleep(wait, Wait::RateLimit(wait));
                        continue;
                    }
                    if r.status == 401 {
                        return Err(ApiError::Fatal(
                            "GitHub refused the token (401 Bad credentials): set GITHUB_TOKEN (or GH_TOKEN) to a valid token".into(),
                        ));
                    }
                    let message = r.message();
                    if r.status == 403
                        && message
                            .to_ascii_lowercase()
                            .contains("resource not accessible by")
                    {
                        return Err(ApiError::Fatal(format!(
                            "the token may not {} issues of {} (403 {}): give the workflow `permissions: issues: write` (a fine-grained token: Issues read and write)",
                            if req.method.is_write() { "write" } else { "read" },
                            self.repo,
                            message.trim_end_matches('.')
                        )));
                    }
                    if r.status >= 500 {
                        if resend == Resend::Unsafe {
                            return Err(ApiError::Uncertain(format!(
                                "{what}: GitHub answered {}",
                                r.status
                            )));
                        }
                        attempt += 1;
                        if attempt >= self.policy.attempts {
                            return Err(ApiError::Unavailable(format!(
                                "{what}: GitHub answered {} {} times",
                                r.status, attempt
                            )));
                        }
                        self.sleep_backoff(attempt - 1);
                        continue;
                    }
                    return Ok(r);
                }
                Err(e) => {
                    if resend == Resend::Unsafe {
                        return Err(ApiError::Uncertain(format!("{what}: {e}")));
                    }
                    attempt += 1;
                    if attempt >= self.policy.attempts {
                        return Err(ApiError::Unavailable(format!(
                            "{what}: {e} ({attempt} attempts)"
                        )));
                    }
                    self.sleep_backoff(attempt - 1);
                }
            }
        }
    }

    fn get(&self, path: String) -> Result<HttpResponse, ApiError> {
        self.send(
            &HttpRequest {
                method: Method::Get,
                path,
                body: None,
            },
            Resend::Safe,
        )
    }

    fn error(r: &HttpResponse) -> ApiError {
        ApiError::Status {
            status: r.status,
            message: r.message(),
            invalid: r.invalid_assignees(),
        }
    }

    /// Errors that concern the repository as a whole.
    fn repo_error(&self, r: &HttpResponse) -> ApiError {
        match r.status {
            404 => ApiError::Fatal(format!(
                "repository {} not found (404): check --repo or GITHUB_REPOSITORY, and that the token can see it",
                self.repo
            )),
            410 => ApiError::Fatal(format!(
                "issues are disabled in {} (410): enable them in the repository settings",
                self.repo
            )),
            301 | 302 | 307 | 308 => ApiError::Fatal(format!(
                "repository {} has moved{}: use its new name with --repo",
                self.repo,
                r.header("location")
                    .map(|l| format!(" ({l})"))
                    .unwrap_or_default()
            )),
            _ => Self::error(r),
        }
    }

    /// The syncing account (`GET /user`). `Ok(None)` when the token is an
    /// installation token that cannot read it (403).
    pub fn login(&self) -> Result<Option<String>, ApiError> {
        let r = match self.get("/user".into()) {
            Err(ApiError::Fatal(m))
                if m.to_ascii_lowercase().contains("resource not accessible") =>
            {
                return Ok(None)
            }
            other => other?,
        };
        if r.status == 403 {
            return Ok(None);
        }
        if r.status != 200 {
            return Err(Self::error(&r));
        }
        let user: ApiUser = serde_json::from_slice(&r.body)
            .map_err(|e| ApiError::Invalid(format!("GET /user: unreadable answer: {e}")))?;
        if user.login.trim().is_empty() {
            return Err(ApiError::Invalid(
                "GET /user: no login in the answer".into(),
            ));
        }
        Ok(Some(user.login))
    }

    fn issue_from(&self, v: serde_json::Value) -> Option<CurrentIssue> {
        let issue: ApiIssue = match serde_json::from_value(v) {
            Ok(i) => i,
            Err(e) => {
                self.notes.borrow_mut().push(format!(
                    "an entry of the issue list was unreadable ({e}); skipped"
                ));
                return None;
            }
        };
        if issue.pull_request.is_some() {
            return None;
        }
        let mut assignees: Vec<String> = issue
            .assignees
            .into_iter()
            .map(|u| u.login)
            .filter(|l| !l.is_empty())
            .collect();
        if assignees.is_empty() {
            if let Some(a) = issue.assignee.filter(|a| !a.login.is_empty()) {
                assignees.push(a.login);
            }
        }
        let url = issue
            .html_url
            .filter(|u| {
                (u.starts_with("https://") || u.starts_with("http://"))
                    && !u.contains(|c: char| c.is_whitespace() || "()<>[]\"'`".contains(c))
            })
            .unwrap_or_else(|| {
                format!("{}/{}/issues/{}", self.server_url, self.repo, issue.number)
            });
        Some(CurrentIssue {
            number: issue.number,
            title: issue.title,
            body: issue.body,
            state: IssueState::from_github(&issue.state, issue.state_reason.as_deref()),
            labels: issue
                .labels
                .into_iter()
                .map(|l| match l {
                    ApiLabel::Name(n) => n,
                    ApiLabel::Object { name } => name,
                })
                .filter(|l| !l.is_empty())
                .collect(),
            assignees,
            author: issue.user.map(|u| u.login).unwrap_or_default(),
            url,
        })
    }

    /// Every page of a listing, following `Link: rel="next"`. A server that
    /// sends no Link header but a full page is asked for `page=N+1`. Stops
    /// on an empty page, a link already visited, or a page that repeats an
    /// earlier one (a server ignoring `page`); more than `MAX_PAGES` pages
    /// is an error rather than an endless loop.
    fn pages(&self, first: String, repo_level: bool) -> Result<Vec<serde_json::Value>, ApiError> {
        const MAX_PAGES: usize = 10_000;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut firsts = HashSet::new();
        let mut path = first.clone();
        let mut page_no = 1usize;
        loop {
            if !seen.insert(path.clone()) {
                break;
            }
            if seen.len() > MAX_PAGES {
                return Err(ApiError::Invalid(format!(
                    "GET {first}: more than {MAX_PAGES} pages; stopped"
                )));
            }
            let r = self.get(path.clone())?;
            if r.status != 200 {
                return Err(if repo_level {
                    self.repo_error(&r)
                } else {
                    Self::error(&r)
                });
            }
            let page: serde_json::Value = serde_json::from_slice(&r.body).map_err(|e| {
                ApiError::Invalid(format!("GET {path}: the answer is not JSON: {e}"))
            })?;
            let serde_json::Value::Array(items) = page else {
                return Err(ApiError::Invalid(format!(
                    "GET {path}: expected a list in the answer"
                )));
            };
            if items.is_empty() || !firsts.insert(items[0].to_string()) {
                break;
            }
            let full = items.len() >= 100;
            out.extend(items);
            page_no += 1;
            match r.header("link").and_then(link_next) {
                Some(next) => match self.base.relative(&next) {
                    Some(p) => path = p,
                    None => {
                        return Err(ApiError::Invalid(format!(
                            "GET {path}: the next page ({next}) is not below the API URL {}; not followed",
                            self.base.url()
                        )))
                    }
                },
                None if full => path = format!("{first}&page={page_no}"),
                None => break,
            }
        }
        Ok(out)
    }

    /// The repository's issues (pull requests skipped), every state, every
    /// page; only those with `label` when given.
    pub fn list_issues(&self, label: Option<&str>) -> Result<Vec<CurrentIssue>, ApiError> {
        let mut path = format!("/repos/{}/issues?state=all&per_page=100", self.repo);
        if let Some(l) = label {
            path.push_str("&labels=");
            path.push_str(&encode_component(l));
        }
        Ok(self
            .pages(path, true)?
            .into_iter()
            .filter_map(|v| self.issue_from(v))
            .collect())
    }

    /// One issue; `None` when it does not exist (or is a pull request).
    pub fn issue(&self, number: u64) -> Result<Option<CurrentIssue>, ApiError> {
        let r = self.get(format!("/repos/{}/issues/{number}", self.repo))?;
        match r.status {
            200 => {
                let v: serde_json::Value = serde_json::from_slice(&r.body).map_err(|e| {
                    ApiError::Invalid(format!("GET issue #{number}: unreadable answer: {e}"))
                })?;
                Ok(self.issue_from(v))
            }
            404 | 410 | 301 => Ok(None),
            _ => Err(Self::error(&r)),
        }
    }

    /// The repository's label names.
    pub fn labels(&self) -> Result<Vec<String>, ApiError> {
        Ok(self
            .pages(format!("/repos/{}/labels?per_page=100", self.repo), false)?
            .into_iter()
            .filter_map(|v| {
                serde_json::from_value::<ApiLabel>(v).ok().map(|l| match l {
                    ApiLabel::Name(n) => n,
                    ApiLabel::Object { name } => name,
                })
            })
            .collect())
    }

    /// Creates a label; one that already exists is fine.
    pub fn create_label(&self, name: &str) -> Result<(), ApiError> {
        let r = self.send(
            &HttpRequest {
                method: Method::Post,
                path: format!("/repos/{}/labels", self.repo),
                body: Some(serde_json::json!({
                    "name": name,
                    "color": "d4c5f9",
                    "description": "Managed by pmlint sync",
                })),
            },
            Resend::Safe,
        )?;
        match r.status {
            200..=299 | 422 => Ok(()),
            _ => Err(Self::error(&r)),
        }
    }

    /// Creates an issue. A 5xx, timeout or lost answer is `Uncertain`: the
    /// issue may exist.
    pub fn create_issue(&self, new: &NewIssue<'_>) -> Result<CurrentIssue, ApiError> {
        let mut body = serde_json::json!({
            "title": new.title,
            "body": new.body,
            "labels": new.labels,
        });
        if !new.assignees.is_empty() {
            body["assignees"] = serde_json::json!(new.assignees);
        }
        let r = self.send(
            &HttpRequest {
                method: Method::Post,
                path: format!("/repos/{}/issues", self.repo),
                body: Some(body),
            },
            Resend::Unsafe,
        )?;
        if !(200..300).contains(&r.status) {
            return Err(Self::error(&r));
        }
        serde_json::from_slice::<serde_json::Value>(&r.body)
            .ok()
            .and_then(|v| self.issue_from(v))
            .ok_or_else(|| {
                ApiError::Uncertain("POST issue: the answer does not describe an issue".into())
            })
    }

    /// Changes an issue in one request.
    pub fn update_issue(
        &self,
        number: u64,
        changes: &IssueChanges<'_>,
    ) -> Result<CurrentIssue, ApiError> {
        let mut body = serde_json::Map::new();
        if let Some(t) = changes.title {
            body.insert("title".into(), t.into());
        }
        if let Some(b) = changes.body {
            body.insert("body".into(), b.into());
        }
        if let Some(l) = changes.labels {
            body.insert("labels".into(), serde_json::json!(l));
        }
        if let Some(a) = changes.assignees {
            body.insert("assignees".into(), serde_json::json!(a));
        }
        if let Some(s) = changes.state {
            let (state, reason) = s.api();
            body.insert("state".into(), state.into());
            if let Some(r) = reason {
                body.insert("state_reason".into(), r.into());
            }
        }
        let r = self.send(
            &HttpRequest {
                method: Method::Patch,
                path: format!("/repos/{}/issues/{number}", self.repo),
                body: Some(serde_json::Value::Object(body)),
            },
            Resend::Safe,
        )?;
        if !(200..300).contains(&r.status) {
            return Err(Self::error(&r));
        }
        serde_json::from_slice::<serde_json::Value>(&r.body)
            .ok()
            .and_then(|v| self.issue_from(v))
            .ok_or_else(|| {
                ApiError::Invalid(format!(
                    "PATCH issue #{number}: the answer does not describe an issue"
                ))
            })
    }
}

/// `Retry-After`: seconds, or an HTTP date.
fn parse_retry_after(v: &str, now: u64) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?.timestamp();
    Some(Duration::from_secs(
        u64::try_from(at).ok()?.saturating_sub(now),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::clock::tests::FakeClock;
    use super::*;
    use std::collections::VecDeque;

    /// Answers from a script and records the requests.
    struct Script {
        answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<HttpRequest>>,
    }

    impl Script {
        fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Script {
            Script {
                answers: RefCell::new(answers.into()),
                sent: RefCell::new(Vec::new()),
            }
        }
    }

    impl Transport for Script {
        fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.borrow_mut().push(req.clone());
            self.answers
                .borrow_mut()
                .pop_front()
                .unwrap_or(Err(TransportError::Connection("script ended".into())))
        }
    }

    fn answer(
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        })
    }

    fn gh<'a>(t: &'a Script, c: &'a FakeClock) -> GitHub<'a> {
        GitHub::new(
            t,
            c,
            Policy {
                write_interval: Duration::ZERO,
                ..Policy::default()
            },
            ApiBase::parse("http://127.0.0.1:9/api/v3/").unwrap(),
            "acme/ops",
            "https://github.com",
        )
    }

    #[test]
    fn tokens_never_show_in_debug_output() {
        let t = Token::new(" ghp_secret123\n").unwrap().unwrap();
        assert_eq!(t.secret(), "ghp_secret123");
        assert!(!format!("{t:?}").contains("secret"));
        assert!(Token::new("  ").unwrap().is_none());
        let e = Token::new("ghp_bad token").unwrap_err();
        assert!(!e.contains("ghp_bad"));
    }

    #[test]
    fn api_bases_keep_an_enterprise_prefix_and_judge_links() {
        let b = ApiBase::parse("https://GHE.example.com/api/v3/").unwrap();
        assert_eq!(b.url(), "https://ghe.example.com/api/v3");
        assert_eq!(
            b.relative("https://ghe.example.com/api/v3/repositories/1/issues?page=2"),
            Some("/repositories/1/issues?page=2".into())
        );
        assert_eq!(b.relative("https://evil.example.com/api/v3/x"), None);
        assert_eq!(b.relative("http://ghe.example.com/api/v3/x"), None);
        assert_eq!(b.relative("https://ghe.example.com/api/v30/x"), None);
        assert!(ApiBase::parse("ftp://x").is_err());
        assert!(ApiBase::parse("https://").is_err());
        assert!(ApiBase::parse("https://user:pw@host").is_err());
        assert_eq!(
            ApiBase::parse("http://127.0.0.1:8080").unwrap().url(),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn link_headers_yield_the_next_page() {
        let h = r#"<https://api.github.com/repositories/1/issues?page=2&per_page=100>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            link_next(h).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2&per_page=100")
        );
        assert_eq!(
            link_next(r#"<a>; rel="prev", <b>; rel=next"#).as_deref(),
            Some("b")
        );
        assert_eq!(link_next(r#"<a>; rel="first last""#), None);
        assert_eq!(link_next("garbage"), None);
        assert_eq!(link_next("<unterminated; rel=next"), None);
    }

    #[test]
    fn reads_retry_5xx_and_connection_errors_with_growing_backoff() {
        let t = Script::new(vec![
            answer(502, &[], ""),
            Err(TransportError::Timeout),
            Err(TransportError::Connection("reset".into())),
            answer(200, &[], r#"{"login":"bot"}"#),
        ]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        assert_eq!(g.login().unwrap().as_deref(), Some("bot"));
        let waits = g.waits();
        assert_eq!(waits.len(), 3);
        let secs: Vec<f64> = waits
            .iter()
            .map(|w| match w {
                Wait::Backoff(d) => d.as_secs_f64(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!((0.5..=1.0).contains(&secs[0]), "{secs:?}");
        assert!((1.0..=2.0).contains(&secs[1]), "{secs:?}");
        assert!((2.0..=4.0).contains(&secs[2]), "{secs:?}");
    }

    #[test]
    fn reads_give_up_after_the_last_attempt() {
        let t = Script::new((0..5).map(|_| answer(503, &[], "")).collect());
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        assert!(matches!(g.login(), Err(ApiError::Unavailable(_))));
        assert_eq!(t.sent.borrow().len(), 5);
    }

    #[test]
    fn an_issue_create_is_never_resent_blindly() {
        for fault in [answer(502, &[], ""), Err(TransportError::Timeout)] {
            let t = Script::new(vec![fault]);
            let c = FakeClock::default_test();
            let g = gh(&t, &c);
            let r = g.create_issue(&NewIssue {
                title: "t",
                body: "b",
                labels: &[],
                assignees: &[],
            });
            assert!(matches!(r, Err(ApiError::Uncertain(_))), "{r:?}");
            assert_eq!(t.sent.borrow().len(), 1);
        }
    }

    #[test]
    fn rate_limits_wait_as_told_within_the_budget() {
        let t = Script::new(vec![
            answer(429, &[("retry-after", "30")], ""),
            answer(
                403,
                &[("retry-after", "5")],
                r#"{"message":"You have exceeded a secondary rate limit"}"#,
            ),
            answer(
                403,
                &[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1000120"),
                    ("date", "Mon, 12 Jan 1970 13:46:40 GMT"),
                ],
                r#"{"message":"API rate limit exceeded"}"#,
            ),
            answer(200, &[], r#"{"login":"bot"}"#),
        ]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        assert_eq!(g.login().unwrap().as_deref(), Some("bot"));
        assert_eq!(
            g.waits(),
            [
                Wait::RateLimit(Duration::from_secs(30)),
                Wait::RateLimit(Duration::from_secs(5)),
                Wait::RateLimit(Duration::from_secs(121)),
            ]
        );
        // The fake clock really advanced, nobody slept.
        assert_eq!(c.now(), Duration::from_secs(156));
    }

    #[test]
    fn a_wait_past_max_wait_stops_cleanly() {
        let t = Script::new(vec![answer(429, &[("retry-after", "3600")], "")]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        match g.login() {
            Err(ApiError::RateLimited(m)) => assert!(m.contains("--max-wait"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(g.waits().is_empty());
    }

    #[test]
    fn auth_failures_are_fatal_and_name_the_fix() {
        let t = Script::new(vec![answer(401, &[], r#"{"message":"Bad credentials"}"#)]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        assert!(
            matches!(g.list_issues(None), Err(ApiError::Fatal(m)) if m.contains("GITHUB_TOKEN"))
        );
        let t = Script::new(vec![answer(
            403,
            &[],
            r#"{"message":"Resource not accessible by integration"}"#,
        )]);
        let g = gh(&t, &c);
        let r = g.update_issue(1, &IssueChanges::default());
        assert!(matches!(r, Err(ApiError::Fatal(m)) if m.contains("issues: write")));
        let t = Script::new(vec![answer(404, &[], r#"{"message":"Not Found"}"#)]);
        let g = gh(&t, &c);
        assert!(
            matches!(g.list_issues(None), Err(ApiError::Fatal(m)) if m.contains("acme/ops not found"))
        );
    }

    #[test]
    fn listings_follow_links_skip_pull_requests_and_stop_on_repeats() {
        let page1 = r#"[{"number":1,"title":"a","user":{"login":"bot"},"labels":[{"name":"postmortem"}],"state":"open"},
                        {"number":2,"pull_request":{"url":"x"}},
                        {"number":"bad"}]"#;
        let page2 = r#"[{"number":3,"body":null,"assignees":null,"state":"closed","state_reason":"not_planned"}]"#;
        let next = r#"<http://127.0.0.1:9/api/v3/repositories/5/issues?page=2>; rel="next""#;
        let t = Script::new(vec![
            answer(200, &[("link", next)], page1),
            answer(200, &[("link", next)], page2),
        ]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        let issues = g.list_issues(Some("post mortem")).unwrap();
        assert_eq!(issues.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(issues[0].labels, ["postmortem"]);
        assert_eq!(issues[0].url, "https://github.com/acme/ops/issues/1");
        assert_eq!(issues[1].state, IssueState::NotPlanned);
        let sent = t.sent.borrow();
        assert_eq!(
            sent[0].path,
            "/repos/acme/ops/issues?state=all&per_page=100&labels=post%20mortem"
        );
        assert_eq!(sent[1].path, "/repositories/5/issues?page=2");
        assert_eq!(sent.len(), 2, "a repeated link is not followed again");
        assert_eq!(g.take_notes().len(), 1);
    }

    #[test]
    fn a_422_names_the_refused_assignees() {
        let r = HttpResponse {
            status: 422,
            headers: Vec::new(),
            body: br#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"assignees","code":"invalid","value":"ghost"},{"field":"assignee","value":["@x","y"]},{"field":"title","value":"t"}]}"#.to_vec(),
        };
        assert_eq!(r.invalid_assignees(), ["ghost", "x", "y"]);
        assert_eq!(r.message(), "Validation Failed");
        let plain = HttpResponse {
            status: 422,
            headers: Vec::new(),
            body: b"oops".to_vec(),
        };
        assert!(plain.invalid_assignees().is_empty());
        assert_eq!(plain.message(), "oops");
    }

    #[test]
    fn full_pages_without_link_headers_are_paged_by_number() {
        let page = |from: u64| {
            let items: Vec<String> = (from..from + 100)
                .map(|n| format!(r#"{{"number":{n}}}"#))
                .collect();
            format!("[{}]", items.join(","))
        };
        let t = Script::new(vec![
            answer(200, &[], &page(1)),
            answer(200, &[], &page(101)),
            // A server that ignores `page` repeats itself: stop there.
            answer(200, &[], &page(101)),
        ]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        assert_eq!(g.list_issues(None).unwrap().len(), 200);
        let sent = t.sent.borrow();
        assert_eq!(sent.len(), 3);
        assert!(sent[1].path.ends_with("&page=2"));
        assert!(sent[2].path.ends_with("&page=3"));
    }

    #[test]
    fn writes_are_spaced_by_the_interval() {
        let t = Script::new(vec![
            answer(201, &[], r#"{"name":"a"}"#),
            answer(201, &[], r#"{"name":"b"}"#),
        ]);
        let c = FakeClock::default_test();
        let mut g = gh(&t, &c);
        g.policy.write_interval = Duration::from_millis(1000);
        g.create_label("a").unwrap();
        g.create_label("b").unwrap();
        assert_eq!(g.waits(), [Wait::Spacing(Duration::from_millis(1000))]);
        assert_eq!(g.writes_sent(), 2);
    }

    #[test]
    fn patches_send_state_and_reason_with_the_body() {
        let t = Script::new(vec![answer(200, &[], r#"{"number":4,"state":"closed"}"#)]);
        let c = FakeClock::default_test();
        let g = gh(&t, &c);
        g.update_issue(
            4,
            &IssueChanges {
                body: Some("b"),
                state: Some(IssueState::NotPlanned),
                ..IssueChanges::default()
            },
        )
        .unwrap();
        let sent = t.sent.borrow();
        assert_eq!(
            sent[0].body,
            Some(serde_json::json!({"body":"b","state":"closed","state_reason":"not_planned"}))
        );
    }
}
