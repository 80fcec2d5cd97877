//! Self-tests of the fake GitHub server in `tests/support/fake_github.rs`,
//! spoken to over real sockets with a small raw HTTP/1.1 client, so they
//! check the bytes on the wire a real client would see.
//!
//! Every delay is a few milliseconds; assertions on time are lower bounds
//! only, so a slow machine cannot fail them.

mod support;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::fake_github::*;

const REPO: &str = "acme/service";
const TOKEN: &str = "ghs_writer";

// ---------------------------------------------------------------------------
// A raw client
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The URL of the `Link` relation `rel`.
    fn link(&self, rel: &str) -> Option<String> {
        let link = self.header("link")?;
        link.split(", ").find_map(|part| {
            let (url, param) = part.split_once("; ")?;
            (param == format!("rel=\"{rel}\"")).then(|| {
                url.trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
        })
    }
}

/// One keep-alive connection.
struct Client {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    host: String,
}

impl Client {
    fn connect(server: &FakeGitHub) -> Client {
        let host = server
            .url()
            .trim_start_matches("http://")
            .split('/')
            .next()
            .expect("host in url")
            .to_string();
        let stream = TcpStream::connect(&host).expect("connect to the fake");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set timeout");
        let reader = BufReader::new(stream.try_clone().expect("clone stream"));
        Client {
            stream,
            reader,
            host,
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send request");
    }

    /// Sends one request with `Host`, the token (if any), extra headers and
    /// a JSON body with `Content-Length`.
    fn send(
        &mut self,
        method: &str,
        target: &str,
        token: Option<&str>,
        extra: &[(&str, &str)],
        body: Option<&str>,
    ) {
        let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", self.host);
        req.push_str("User-Agent: pmlint-tests\r\nAccept: application/vnd.github+json\r\n");
        if let Some(t) = token {
            req.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        for (n, v) in extra {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
                b.len()
            ));
        } else {
            req.push_str("\r\n");
        }
        self.send_raw(req.as_bytes());
    }

    /// Reads one response; `None` when the server closed the connection
    /// without answering.
    fn read(&mut self) -> Option<Response> {
        let mut line = String::new();
        if self.reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let mut parts = line.trim_end().splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "status line {line:?}");
        let status: u16 = parts.next()?.parse().expect("numeric status");
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h).expect("header line");
            let h = h.trim_end_matches(['\r', '\n']);
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':').expect("header has a colon");
            headers.push((n.to_string(), v.trim().to_string()));
        }
        let mut resp = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(len) = resp.header("content-length") {
            let mut body = vec![0; len.parse().expect("numeric length")];
            self.reader.read_exact(&mut body).expect("body");
            resp.body = body;
        }
        Some(resp)
    }

    fn call(
        &mut self,
        method: &str,
        target: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Response {
        self.send(method, target, token, &[], body);
        self.read()
            .unwrap_or_else(|| panic!("no answer to {method} {target}"))
    }

    /// Whether the server has closed its side (EOF on the next read).
    fn closed_by_server(&mut self) -> bool {
        let mut buf = [0u8; 1];
        matches!(self.reader.read(&mut buf), Ok(0) | Err(_))
    }
}

/// One request on a fresh connection.
fn call(
    server: &FakeGitHub,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Response {
    let target = format!("{}{path}", prefix_of(server));
    Client::connect(server).call(method, &target, token, body)
}

fn prefix_of(server: &FakeGitHub) -> String {
    let url = server.url();
    let rest = url.trim_start_matches("http://");
    rest.find('/')
        .map_or(String::new(), |i| rest[i..].to_string())
}

fn get(server: &FakeGitHub, path: &str) -> Response {
    call(server, "GET", path, Some(TOKEN), None)
}

fn post(server: &FakeGitHub, path: &str, body: Value) -> Response {
    call(server, "POST", path, Some(TOKEN), Some(&body.to_string()))
}

fn patch(server: &FakeGitHub, path: &str, body: Value) -> Response {
    call(server, "PATCH", path, Some(TOKEN), Some(&body.to_string()))
}

fn server() -> FakeGitHub {
    let s = FakeGitHub::start();
    s.add_token(TOKEN, "pmlint-bot");
    s.add_repo(REPO);
    s.add_assignable(REPO, "alice");
    s
}

fn seed(server: &FakeGitHub, title: &str, labels: &[&str]) -> u64 {
    server.seed_issue(
        REPO,
        SeedIssue {
            title: title.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            ..SeedIssue::default()
        },
    )
}

fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn numbers(resp: &Response) -> Vec<u64> {
    resp.json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|i| i["number"].as_u64().expect("number"))
        .collect()
}

// ---------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------

#[test]
fn requests_without_a_known_token_get_401() {
    let s = server();
    let missing = call(&s, "GET", "/user", None, None);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json()["message"], "Requires authentication");
    let unknown = call(&s, "GET", "/repos/acme/service", Some("nope"), None);
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.json()["message"], "Bad credentials");
    assert!(unknown.json()["documentation_url"].is_string());
    let basic = Client::connect(&s).call_with_auth("Basic dXNlcjpwYXNz");
    assert_eq!(basic.status, 401);
}

impl Client {
    fn call_with_auth(&mut self, auth: &str) -> Response {
        self.send("GET", "/user", None, &[("Authorization", auth)], None);
        self.read().expect("an answer")
    }
}

#[test]
fn bearer_and_token_schemes_identify_the_user() {
    let s = server();
    for auth in [format!("Bearer {TOKEN}"), format!("token {TOKEN}")] {
        let r = Client::connect(&s).call_with_auth(&auth);
        assert_eq!(r.status, 200, "{auth}");
        let user = r.json();
        assert_eq!(user["login"], "pmlint-bot");
        assert_eq!(user["type"], "User");
        assert_eq!(user["site_admin"], false);
        assert!(user["id"].as_u64().is_some());
        for field in ["node_id", "avatar_url", "html_url", "url", "repos_url"] {
            assert!(user[field].is_string(), "{field}");
        }
    }
}

#[test]
fn read_only_token_reads_but_writes_get_403_without_effect() {
    let s = server();
    s.add_read_only_token("ghs_reader", "reader");
    let r = call(
        &s,
        "GET",
        "/repos/acme/service/issues",
        Some("ghs_reader"),
        None,
    );
    assert_eq!(r.status, 200);
    let w = call(
        &s,
        "POST",
        "/repos/acme/service/issues",
        Some("ghs_reader"),
        Some(r#"{"title":"x"}"#),
    );
    assert_eq!(w.status, 403);
    assert_eq!(
        w.json()["message"],
        "Resource not accessible by integration"
    );
    let label = call(
        &s,
        "POST",
        "/repos/acme/service/labels",
        Some("ghs_reader"),
        Some(r#"{"name":"x"}"#),
    );
    assert_eq!(label.status, 403);
    assert!(s.issues(REPO).is_empty());
    assert!(s.labels(REPO).is_empty());
    // An unknown repository is 404 before any permission check.
    let missing = call(
        &s,
        "POST",
        "/repos/acme/other/issues",
        Some("ghs_reader"),
        Some(r#"{"title":"x"}"#),
    );
    assert_eq!(missing.status, 404);
}

#[test]
fn anonymous_reads_only_when_allowed() {
    let s = server();
    seed(&s, "one", &[]);
    assert_eq!(
        call(&s, "GET", "/repos/acme/service/issues", None, None).status,
        401
    );
    s.allow_anonymous_reads(true);
    let list = call(&s, "GET", "/repos/acme/service/issues", None, None);
    assert_eq!(list.status, 200);
    assert_eq!(list.header("x-ratelimit-limit"), Some("60"));
    assert_eq!(numbers(&list), vec![1]);
    let repo = call(&s, "GET", "/repos/acme/service", None, None).json();
    assert!(repo.get("permissions").is_none());
    assert_eq!(call(&s, "GET", "/user", None, None).status, 401);
    let write = call(
        &s,
        "POST",
        "/repos/acme/service/issues",
        None,
        Some(r#"{"title":"x"}"#),
    );
    assert_eq!(write.status, 401);
    assert_eq!(s.issues(REPO).len(), 1);
    // A bad token is still refused.
    assert_eq!(
        call(&s, "GET", "/repos/acme/service", Some("nope"), None).status,
        401
    );
}

// ---------------------------------------------------------------------------
// Repositories and headers
// ---------------------------------------------------------------------------

#[test]
fn unknown_repository_is_404_on_every_endpoint() {
    let s = server();
    for (method, path) in [
        ("GET", "/repos/acme/nope"),
        ("GET", "/repos/acme/nope/issues"),
        ("GET", "/repos/acme/nope/issues/1"),
        ("PATCH", "/repos/acme/nope/issues/1"),
        ("POST", "/repos/acme/nope/issues"),
        ("GET", "/repos/acme/nope/labels"),
        ("GET", "/repos/acme/nope/labels/bug"),
        ("POST", "/repos/acme/nope/labels"),
    ] {
        let body = (method != "GET").then_some(r#"{"title":"t","name":"n"}"#);
        let r = call(&s, method, path, Some(TOKEN), body);
        assert_eq!(r.status, 404, "{method} {path}");
        assert_eq!(r.json()["message"], "Not Found");
    }
    assert_eq!(get(&s, "/repos/acme/service/issues/99").status, 404);
    assert_eq!(get(&s, "/repos/acme/service/nothing").status, 404);
}

#[test]
fn repository_object_is_complete_and_names_are_case_insensitive() {
    let s = server();
    let r = get(&s, "/repos/ACME/Service");
    assert_eq!(r.status, 200);
    let repo = r.json();
    assert_eq!(repo["full_name"], "acme/service");
    assert_eq!(repo["owner"]["login"], "acme");
    assert_eq!(repo["permissions"]["push"], true);
    assert_eq!(repo["default_branch"], "main");
    assert_eq!(repo["has_issues"], true);
    assert_eq!(
        repo["url"],
        format!("{}/repos/acme/service", s.url()).as_str()
    );
    assert_eq!(
        repo["html_url"],
        format!("{}/acme/service", s.html_url()).as_str()
    );
    assert!(repo["issues_url"]
        .as_str()
        .is_some_and(|u| u.ends_with("/issues{/number}")));
}

#[test]
fn every_answer_carries_github_headers() {
    let s = server();
    for r in [
        get(&s, "/user"),
        get(&s, "/repos/acme/missing"),
        call(&s, "GET", "/user", Some("bad"), None),
    ] {
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        for h in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-used",
            "x-ratelimit-reset",
            "x-ratelimit-resource",
            "x-github-request-id",
            "date",
        ] {
            assert!(r.header(h).is_some(), "{h} missing on {}", r.status);
        }
    }
    let first = get(&s, "/user");
    let second = get(&s, "/user");
    let remaining = |r: &Response| -> u64 {
        r.header("x-ratelimit-remaining")
            .and_then(|v| v.parse().ok())
            .expect("numeric remaining")
    };
    assert_eq!(remaining(&first), remaining(&second) + 1);
    assert_ne!(
        first.header("x-github-request-id"),
        second.header("x-github-request-id")
    );
}

// ---------------------------------------------------------------------------
// Listing issues
// ---------------------------------------------------------------------------

#[test]
fn issue_list_paginates_with_link_headers_and_mixes_in_pull_requests() {
    let s = server();
    for i in 0..150 {
        s.seed_issue(
            REPO,
            SeedIssue {
                title: format!("item {i}"),
                labels: vec!["postmortem".into()],
                pull_request: i % 10 == 3,
                state_closed: i % 7 == 0,
                ..SeedIssue::default()
            },
        );
    }
    let mut client = Client::connect(&s);
    let first = client.call(
        "GET",
        "/repos/acme/service/issues?state=all&per_page=100",
        Some(TOKEN),
        None,
    );
    assert_eq!(first.status, 200);
    let page1 = numbers(&first);
    assert_eq!(page1.len(), 100);
    assert_eq!(page1[0], 150, "newest first");
    let host = format!("http://{}", client.host);
    let next = first.link("next").expect("rel=next");
    assert_eq!(
        next,
        format!("{host}/repos/acme/service/issues?state=all&per_page=100&page=2")
    );
    assert_eq!(first.link("last").as_deref(), Some(next.as_str()));
    assert_eq!(first.link("prev"), None);
    // Follow the absolute URL on the same connection.
    let second = client.call("GET", next.trim_start_matches(&host), Some(TOKEN), None);
    let page2 = numbers(&second);
    assert_eq!(page2.len(), 50);
    assert_eq!(second.link("next"), None);
    assert!(second.link("prev").is_some_and(|u| u.ends_with("page=1")));
    assert!(second.link("first").is_some_and(|u| u.ends_with("page=1")));
    let all: Vec<Value> = first
        .json()
        .as_array()
        .into_iter()
        .chain(second.json().as_array())
        .flatten()
        .cloned()
        .collect();
    assert_eq!(all.len(), 150);
    let prs = all
        .iter()
        .filter(|i| i.get("pull_request").is_some())
        .count();
    assert_eq!(prs, 15);
    assert_eq!(
        s.issues(REPO).len(),
        135,
        "snapshots leave pull requests out"
    );

    // Defaults: open only, 30 a page; per_page is capped at 100.
    let open = get(&s, "/repos/acme/service/issues");
    assert_eq!(numbers(&open).len(), 30);
    assert!(open
        .link("last")
        .is_some_and(|u| u.ends_with(&format!("page={}", 128_usize.div_ceil(30)))));
    let capped = get(&s, "/repos/acme/service/issues?state=all&per_page=1000");
    assert_eq!(numbers(&capped).len(), 100);
    let beyond = get(
        &s,
        "/repos/acme/service/issues?state=all&per_page=100&page=9",
    );
    assert_eq!(numbers(&beyond), Vec::<u64>::new());
    let asc = get(
        &s,
        "/repos/acme/service/issues?state=all&direction=asc&per_page=3",
    );
    assert_eq!(numbers(&asc), vec![1, 2, 3]);
}

#[test]
fn link_header_uses_the_host_the_client_sent() {
    let s = server();
    for i in 0..3 {
        seed(&s, &format!("t{i}"), &[]);
    }
    let mut c = Client::connect(&s);
    c.send(
        "GET",
        "/repos/acme/service/issues?per_page=2",
        Some(TOKEN),
        &[],
        None,
    );
    let r = c.read().expect("answer");
    assert!(r
        .link("next")
        .is_some_and(|u| u.starts_with(&format!("http://{}/repos/", c.host))));
    // With another Host header the links follow it.
    let mut raw = Client::connect(&s);
    raw.send_raw(
        format!(
            "GET /repos/acme/service/issues?per_page=2 HTTP/1.1\r\nHost: api.example.test:8443\r\nAuthorization: token {TOKEN}\r\n\r\n"
        )
        .as_bytes(),
    );
    let r = raw.read().expect("answer");
    assert_eq!(
        r.link("next").as_deref(),
        Some("http://api.example.test:8443/repos/acme/service/issues?per_page=2&page=2")
    );
}

#[test]
fn repository_id_links_point_at_a_working_route() {
    let s = server();
    s.use_repository_id_links(true);
    for i in 0..3 {
        seed(&s, &format!("t{i}"), &[]);
    }
    let mut c = Client::connect(&s);
    let r = c.call(
        "GET",
        "/repos/acme/service/issues?per_page=2",
        Some(TOKEN),
        None,
    );
    let next = r.link("next").expect("next");
    let id = get(&s, "/repos/acme/service").json()["id"].clone();
    let host = format!("http://{}", c.host);
    assert_eq!(
        next,
        format!("{host}/repositories/{id}/issues?per_page=2&page=2")
    );
    let page2 = c.call("GET", next.trim_start_matches(&host), Some(TOKEN), None);
    assert_eq!(numbers(&page2), vec![1]);
}

#[test]
fn issue_list_filters_by_state_and_all_labels_case_insensitively() {
    let s = server();
    let a = seed(&s, "a", &["postmortem", "action-item"]);
    let b = seed(&s, "b", &["postmortem"]);
    let c = seed(&s, "c", &["Action Item", "PostMortem"]);
    let closed = s.seed_issue(
        REPO,
        SeedIssue {
            title: "d".into(),
            labels: vec!["postmortem".into(), "action-item".into()],
            state_closed: true,
            ..SeedIssue::default()
        },
    );
    let list = |q: &str| numbers(&get(&s, &format!("/repos/acme/service/issues?{q}")));
    assert_eq!(list("labels=postmortem"), vec![c, b, a]);
    assert_eq!(list("labels=POSTMORTEM,action-item"), vec![a]);
    assert_eq!(list("labels=action%20item"), vec![c]);
    assert_eq!(list("labels=action+item,postmortem"), vec![c]);
    assert_eq!(
        list("labels=postmortem,action-item&state=all"),
        vec![closed, a]
    );
    assert_eq!(list("labels=postmortem&state=closed"), vec![closed]);
    assert_eq!(list("labels=nothing&state=all"), Vec::<u64>::new());
    assert_eq!(
        get(&s, "/repos/acme/service/issues?state=weird").status,
        422
    );
    // The labels of an issue are full objects.
    let issue = get(&s, &format!("/repos/acme/service/issues/{a}")).json();
    let label = &issue["labels"][0];
    for field in [
        "id",
        "node_id",
        "url",
        "name",
        "color",
        "default",
        "description",
    ] {
        assert!(label.get(field).is_some(), "{field}");
    }
}

#[test]
fn issue_list_filters_by_assignee_creator_and_since() {
    let s = server();
    let mine = s.seed_issue(
        REPO,
        SeedIssue {
            title: "assigned".into(),
            author: "pmlint-bot".into(),
            assignees: vec!["alice".into()],
            ..SeedIssue::default()
        },
    );
    let theirs = seed(&s, "by the owner", &[]);
    let list = |q: &str| numbers(&get(&s, &format!("/repos/acme/service/issues?{q}")));
    assert_eq!(list("assignee=alice"), vec![mine]);
    assert_eq!(list("assignee=none"), vec![theirs]);
    assert_eq!(list("assignee=*"), vec![mine]);
    assert_eq!(list("creator=PMLINT-BOT"), vec![mine]);
    let updated = s.issue(REPO, theirs).expect("issue").updated_at;
    assert_eq!(list(&format!("since={updated}")), vec![theirs]);
    assert_eq!(list("since=2020-01-01"), vec![theirs, mine]);
    assert_eq!(list("sort=updated&direction=asc"), vec![mine, theirs]);
    for bad in [
        "since=yesterday",
        "since=99999999999-01-01",
        "sort=size",
        "direction=up",
    ] {
        let r = get(&s, &format!("/repos/acme/service/issues?{bad}"));
        assert_eq!(r.status, 422, "{bad}");
    }
}

// ---------------------------------------------------------------------------
// Writing issues
// ---------------------------------------------------------------------------

#[test]
fn create_issue_returns_201_with_a_full_object_and_creates_labels() {
    let s = server();
    s.add_label(REPO, "postmortem");
    let r = post(
        &s,
        "/repos/acme/service/issues",
        json!({"title": "PM-AI-001: fix", "body": "text", "labels": ["PostMortem", "action-item"], "assignees": ["ALICE"]}),
    );
    assert_eq!(r.status, 201);
    let issue = r.json();
    assert_eq!(issue["number"], 1);
    assert_eq!(issue["state"], "open");
    assert_eq!(issue["state_reason"], Value::Null);
    assert_eq!(issue["user"]["login"], "pmlint-bot");
    assert_eq!(issue["assignee"]["login"], "alice");
    assert_eq!(issue["assignees"][0]["login"], "alice");
    assert_eq!(issue["closed_at"], Value::Null);
    assert_eq!(issue["milestone"], Value::Null);
    assert_eq!(issue["locked"], false);
    assert!(issue.get("pull_request").is_none());
    let names: Vec<&str> = issue["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(names, ["action-item", "postmortem"]);
    let location = format!("{}/repos/acme/service/issues/1", s.url());
    assert_eq!(r.header("location"), Some(location.as_str()));
    assert_eq!(issue["url"], location.as_str());
    assert_eq!(s.labels(REPO), ["postmortem", "action-item"]);
    let snap = s.issue(REPO, 1).expect("created");
    assert_eq!(snap.title, "PM-AI-001: fix");
    assert_eq!(snap.body, "text");
    assert_eq!(snap.author, "pmlint-bot");
    assert_eq!(snap.assignees, ["alice"]);
    assert_eq!(snap.state, "open");
    // Numbers continue after pull requests.
    s.seed_issue(
        REPO,
        SeedIssue {
            title: "a PR".into(),
            pull_request: true,
            ..SeedIssue::default()
        },
    );
    let third = post(&s, "/repos/acme/service/issues", json!({"title": "next"}));
    assert_eq!(third.json()["number"], 3);
    assert_eq!(third.json()["body"], Value::Null);
}

#[test]
fn create_issue_validates_its_input() {
    let s = server();
    let no_title = post(&s, "/repos/acme/service/issues", json!({"body": "x"}));
    assert_eq!(no_title.status, 422);
    assert_eq!(no_title.json()["errors"][0]["field"], "title");
    let bad_json = call(
        &s,
        "POST",
        "/repos/acme/service/issues",
        Some(TOKEN),
        Some("{not json"),
    );
    assert_eq!(bad_json.status, 400);
    assert_eq!(bad_json.json()["message"], "Problems parsing JSON");
    let bad_labels = post(
        &s,
        "/repos/acme/service/issues",
        json!({"title": "t", "labels": "postmortem"}),
    );
    assert_eq!(bad_labels.status, 422);
    assert!(s.issues(REPO).is_empty());
}

#[test]
fn unassignable_assignee_is_422_and_changes_nothing() {
    let s = server();
    let r = post(
        &s,
        "/repos/acme/service/issues",
        json!({"title": "t", "labels": ["new-label"], "assignees": ["alice", "mallory"]}),
    );
    assert_eq!(r.status, 422);
    let body = r.json();
    assert_eq!(body["message"], "Validation Failed");
    assert_eq!(
        body["errors"][0],
        json!({"resource": "Issue", "field": "assignees", "code": "invalid", "value": "mallory"})
    );
    assert!(s.issues(REPO).is_empty());
    assert!(s.labels(REPO).is_empty(), "no label created either");
    let singular = post(
        &s,
        "/repos/acme/service/issues",
        json!({"title": "t", "assignee": "mallory"}),
    );
    assert_eq!(singular.status, 422);

    let n = seed(&s, "before", &[]);
    let before = s.issue(REPO, n).expect("seeded");
    let r = patch(
        &s,
        &format!("/repos/acme/service/issues/{n}"),
        json!({"title": "after", "state": "closed", "assignees": ["mallory"]}),
    );
    assert_eq!(r.status, 422);
    let after = s.issue(REPO, n).expect("still there");
    assert_eq!(after.title, "before");
    assert_eq!(after.state, "open");
    assert_eq!(after.updated_at, before.updated_at);
}

#[test]
fn patch_closes_with_a_reason_and_reopens() {
    let s = server();
    let n = seed(&s, "item", &["postmortem"]);
    let path = format!("/repos/acme/service/issues/{n}");
    let created = get(&s, &path).json();

    let closed = patch(
        &s,
        &path,
        json!({"state": "closed", "state_reason": "not_planned", "body": "new body"}),
    );
    assert_eq!(closed.status, 200);
    let c = closed.json();
    assert_eq!(c["state"], "closed");
    assert_eq!(c["state_reason"], "not_planned");
    assert_eq!(c["body"], "new body");
    assert!(c["closed_at"].is_string());
    assert_eq!(c["closed_by"]["login"], "pmlint-bot");
    assert_ne!(c["updated_at"], created["updated_at"]);
    let snap = s.issue(REPO, n).expect("issue");
    assert_eq!(snap.state, "closed");
    assert_eq!(snap.state_reason.as_deref(), Some("not_planned"));
    assert!(snap.closed_at.is_some());

    let reopened = patch(&s, &path, json!({"state": "open"})).json();
    assert_eq!(reopened["state"], "open");
    assert_eq!(reopened["state_reason"], "reopened");
    assert_eq!(reopened["closed_at"], Value::Null);
    assert_eq!(reopened["closed_by"], Value::Null);
    assert_ne!(reopened["updated_at"], c["updated_at"]);

    let done = patch(&s, &path, json!({"state": "closed"})).json();
    assert_eq!(done["state_reason"], "completed");
    // Like GitHub, state_reason alone is ignored; with state it applies.
    let alone = patch(&s, &path, json!({"state_reason": "not_planned"})).json();
    assert_eq!(alone["state_reason"], "completed");
    let changed = patch(
        &s,
        &path,
        json!({"state": "closed", "state_reason": "not_planned"}),
    )
    .json();
    assert_eq!(changed["state"], "closed");
    assert_eq!(changed["state_reason"], "not_planned");
    // Labels and assignees are replaced; [] clears.
    let relabelled = patch(
        &s,
        &path,
        json!({"labels": ["x"], "assignees": ["alice"], "title": "renamed"}),
    )
    .json();
    assert_eq!(relabelled["labels"][0]["name"], "x");
    assert_eq!(relabelled["assignees"][0]["login"], "alice");
    let cleared = patch(&s, &path, json!({"labels": [], "assignees": []})).json();
    assert_eq!(cleared["labels"], json!([]));
    assert_eq!(cleared["assignee"], Value::Null);
    let snap = s.issue(REPO, n).expect("issue");
    assert_eq!(snap.title, "renamed");
    assert!(snap.labels.is_empty() && snap.assignees.is_empty());

    let invalid = patch(
        &s,
        &path,
        json!({"state": "closed", "state_reason": "reopened"}),
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(patch(&s, &path, json!({"state": "done"})).status, 422);
}

#[test]
fn hand_edits_on_github_show_in_the_api() {
    let s = server();
    let n = seed(&s, "item", &["postmortem"]);
    let before = s.issue(REPO, n).expect("issue");
    s.edit_issue(REPO, n, |i| {
        i.title = "edited by hand".into();
        i.labels.push("triaged".into());
        i.state = "closed".into();
    });
    let after = s.issue(REPO, n).expect("issue");
    assert_eq!(after.state_reason.as_deref(), Some("completed"));
    assert_ne!(after.updated_at, before.updated_at);
    assert!(s.labels(REPO).contains(&"triaged".to_string()));
    let api = get(&s, &format!("/repos/acme/service/issues/{n}")).json();
    assert_eq!(api["title"], "edited by hand");
    assert_eq!(api["state"], "closed");
    assert_eq!(api["labels"].as_array().map(Vec::len), Some(2));
    assert_eq!(s.requests().len(), 1, "hand edits are not requests");
    s.edit_issue(REPO, n, |i| i.state = "open".into());
    let reopened = s.issue(REPO, n).expect("issue");
    assert_eq!(reopened.state_reason.as_deref(), Some("reopened"));
    assert_eq!(reopened.closed_at, None);
}

#[test]
fn deleted_issues_answer_410_and_transferred_ones_301() {
    let s = server();
    s.add_repo("acme/archive");
    let deleted = seed(&s, "deleted", &["postmortem"]);
    let moved = seed(&s, "moved", &["postmortem"]);
    let kept = seed(&s, "kept", &["postmortem"]);
    s.delete_issue(REPO, deleted);
    let new_number = s.transfer_issue(REPO, moved, "acme/archive");
    assert_eq!(new_number, 1);
    assert!(s.issue(REPO, deleted).is_none());
    assert!(s.issue(REPO, moved).is_none());
    assert_eq!(s.issue("acme/archive", 1).expect("moved").title, "moved");
    assert_eq!(
        numbers(&get(&s, "/repos/acme/service/issues?state=all")),
        vec![kept]
    );
    let gone = get(&s, &format!("/repos/acme/service/issues/{deleted}"));
    assert_eq!(gone.status, 410);
    assert_eq!(gone.json()["message"], "This issue was deleted");
    let r = patch(
        &s,
        &format!("/repos/acme/service/issues/{moved}"),
        json!({"title": "x"}),
    );
    assert_eq!(r.status, 301);
    let location = r.header("location").expect("Location").to_string();
    assert_eq!(r.json()["url"], location.as_str());
    let archive_id = get(&s, "/repos/acme/archive").json()["id"].clone();
    assert_eq!(
        location,
        format!("{}/repositories/{archive_id}/issues/1", s.url())
    );
    let followed = get(&s, location.trim_start_matches(&s.url()));
    assert_eq!(followed.json()["title"], "moved");
    // The next new issue does not reuse a number.
    let next = post(&s, "/repos/acme/service/issues", json!({"title": "new"}));
    assert_eq!(next.json()["number"], kept + 1);
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

#[test]
fn labels_are_listed_fetched_and_created() {
    let s = server();
    s.add_label(REPO, "postmortem");
    let created = post(
        &s,
        "/repos/acme/service/labels",
        json!({"name": "action item", "color": "#B60205", "description": "from pmlint"}),
    );
    assert_eq!(created.status, 201);
    let label = created.json();
    assert_eq!(label["name"], "action item");
    assert_eq!(label["color"], "b60205");
    assert_eq!(label["default"], false);
    assert_eq!(
        label["url"],
        format!("{}/repos/acme/service/labels/action%20item", s.url()).as_str()
    );
    let again = post(
        &s,
        "/repos/acme/service/labels",
        json!({"name": "Action Item"}),
    );
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["errors"][0]["code"], "already_exists");
    assert_eq!(s.labels(REPO), ["postmortem", "action item"]);

    let fetched = get(&s, "/repos/acme/service/labels/ACTION%20ITEM");
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json()["name"], "action item");
    assert_eq!(get(&s, "/repos/acme/service/labels/missing").status, 404);
    let list = get(&s, "/repos/acme/service/labels?per_page=1");
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));
    assert!(list
        .link("next")
        .is_some_and(|u| u.ends_with("per_page=1&page=2")));
    let bad = post(
        &s,
        "/repos/acme/service/labels",
        json!({"name": "c", "color": "blue"}),
    );
    assert_eq!(bad.status, 422);
}

#[test]
fn labels_are_renamed_and_deleted_on_issues_too() {
    let s = server();
    let n = seed(&s, "item", &["old", "keep"]);
    let renamed = patch(
        &s,
        "/repos/acme/service/labels/old",
        json!({"new_name": "new", "color": "00ff00"}),
    );
    assert_eq!(renamed.status, 200);
    assert_eq!(renamed.json()["color"], "00ff00");
    assert_eq!(s.issue(REPO, n).expect("issue").labels, ["keep", "new"]);
    let deleted = call(
        &s,
        "DELETE",
        "/repos/acme/service/labels/keep",
        Some(TOKEN),
        None,
    );
    assert_eq!(deleted.status, 204);
    assert!(deleted.body.is_empty());
    assert_eq!(s.issue(REPO, n).expect("issue").labels, ["new"]);
    assert_eq!(s.labels(REPO), ["new"]);
}

#[test]
fn issue_label_and_assignee_endpoints() {
    let s = server();
    let n = seed(&s, "item", &["a"]);
    let base = format!("/repos/acme/service/issues/{n}");
    let added = post(&s, &format!("{base}/labels"), json!({"labels": ["b"]}));
    assert_eq!(added.status, 200);
    assert_eq!(added.json().as_array().map(Vec::len), Some(2));
    let removed = call(&s, "DELETE", &format!("{base}/labels/a"), Some(TOKEN), None);
    assert_eq!(removed.status, 200);
    assert_eq!(s.issue(REPO, n).expect("issue").labels, ["b"]);
    let gone = call(&s, "DELETE", &format!("{base}/labels/a"), Some(TOKEN), None);
    assert_eq!(gone.status, 404);
    assert_eq!(get(&s, "/repos/acme/service/assignees/alice").status, 204);
    assert_eq!(get(&s, "/repos/acme/service/assignees/mallory").status, 404);
    let assigned = post(
        &s,
        &format!("{base}/assignees"),
        json!({"assignees": ["alice", "mallory"]}),
    );
    assert_eq!(assigned.status, 201);
    assert_eq!(s.issue(REPO, n).expect("issue").assignees, ["alice"]);
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

#[test]
fn status_fault_answers_an_error_and_applies_nothing() {
    let s = server();
    s.inject(Fault::new(FaultKind::Status(502)).method("POST"));
    let r = post(&s, "/repos/acme/service/issues", json!({"title": "t"}));
    assert_eq!(r.status, 502);
    assert!(r.json()["message"].is_string());
    assert!(s.issues(REPO).is_empty());
    // Spent after one match: the retry works.
    let r = post(&s, "/repos/acme/service/issues", json!({"title": "t"}));
    assert_eq!(r.status, 201);
    assert_eq!(s.issues(REPO).len(), 1);
}

#[test]
fn faults_skip_and_repeat_and_match_method_and_path() {
    let s = server();
    s.inject(
        Fault::new(FaultKind::Status(503))
            .method("get")
            .path("/issues")
            .skip(1)
            .times(2),
    );
    let statuses: Vec<u16> = (0..4)
        .map(|_| get(&s, "/repos/acme/service/issues").status)
        .collect();
    assert_eq!(statuses, [200, 503, 503, 200]);
    // A '?' in the pattern compares the query too.
    s.inject(Fault::new(FaultKind::Status(502)).path("/issues?state=all"));
    assert_eq!(get(&s, "/repos/acme/service/issues?state=open").status, 200);
    assert_eq!(get(&s, "/repos/acme/service/issues?state=all").status, 502);
    // Other paths and methods never matched.
    s.inject(Fault::new(FaultKind::Status(500)).path("/labels"));
    assert_eq!(get(&s, "/repos/acme/service").status, 200);
    assert_eq!(get(&s, "/repos/acme/service/labels").status, 500);
}

#[test]
fn rate_limit_faults_carry_their_headers() {
    let s = server();
    s.inject(Fault::new(FaultKind::TooManyRequests {
        retry_after_secs: 7,
    }));
    let r = get(&s, "/user");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));

    s.inject(
        Fault::new(FaultKind::SecondaryRateLimit {
            retry_after_secs: 3,
        })
        .method("POST"),
    );
    let r = post(&s, "/repos/acme/service/issues", json!({"title": "t"}));
    assert_eq!(r.status, 403);
    assert_eq!(r.header("retry-after"), Some("3"));
    assert!(r.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("secondary rate limit")));
    assert!(s.issues(REPO).is_empty());

    let before = epoch_now();
    s.inject(Fault::new(FaultKind::PrimaryRateLimit {
        reset_in_secs: 120,
    }));
    let r = get(&s, "/repos/acme/service/issues");
    let after = epoch_now();
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let reset: u64 = r
        .header("x-ratelimit-reset")
        .and_then(|v| v.parse().ok())
        .expect("numeric reset");
    assert!((before + 120..=after + 120).contains(&reset), "{reset}");
    assert!(r.json()["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("API rate limit exceeded")));
}

#[test]
fn drop_fault_closes_without_answer_and_applies_nothing() {
    let s = server();
    s.inject(Fault::new(FaultKind::Drop).method("POST"));
    let mut c = Client::connect(&s);
    c.send(
        "POST",
        "/repos/acme/service/issues",
        Some(TOKEN),
        &[],
        Some(r#"{"title":"t"}"#),
    );
    assert!(c.read().is_none(), "no answer");
    assert!(s.issues(REPO).is_empty());
    let log = s.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, 0);
    assert_eq!(s.write_count(), 1);
}

#[test]
fn stall_fault_waits_then_closes_without_applying() {
    let s = server();
    s.inject(Fault::new(FaultKind::Stall { ms: 30 }));
    let mut c = Client::connect(&s);
    let start = Instant::now();
    c.send(
        "POST",
        "/repos/acme/service/issues",
        Some(TOKEN),
        &[],
        Some(r#"{"title":"t"}"#),
    );
    assert!(c.read().is_none());
    assert!(start.elapsed() >= Duration::from_millis(30));
    assert!(s.issues(REPO).is_empty());
}

#[test]
fn delay_fault_answers_normally_after_the_delay() {
    let s = server();
    s.inject(Fault::new(FaultKind::Delay { ms: 40 }).method("POST"));
    let start = Instant::now();
    let r = post(&s, "/repos/acme/service/issues", json!({"title": "t"}));
    assert!(start.elapsed() >= Duration::from_millis(40));
    assert_eq!(r.status, 201);
    assert_eq!(s.issues(REPO).len(), 1);
    assert_eq!(s.requests()[0].status, 201);
}

#[test]
fn apply_then_status_creates_the_issue_and_answers_an_error() {
    let s = server();
    s.inject(Fault::new(FaultKind::ApplyThenStatus(500)).method("POST"));
    let r = post(&s, "/repos/acme/service/issues", json!({"title": "ghost"}));
    assert_eq!(r.status, 500);
    let issues = s.issues(REPO);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].title, "ghost");
    let listed = get(&s, "/repos/acme/service/issues");
    assert_eq!(numbers(&listed), vec![1]);
}

#[test]
fn apply_then_drop_creates_the_issue_and_closes_without_answer() {
    let s = server();
    s.inject(Fault::new(FaultKind::ApplyThenDrop).method("PATCH"));
    let n = seed(&s, "open", &[]);
    let mut c = Client::connect(&s);
    c.send(
        "PATCH",
        &format!("/repos/acme/service/issues/{n}"),
        Some(TOKEN),
        &[],
        Some(r#"{"state":"closed"}"#),
    );
    assert!(c.read().is_none());
    assert_eq!(s.issue(REPO, n).expect("issue").state, "closed");
    assert_eq!(s.requests()[0].status, 0);
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let s = server();
    let mut c = Client::connect(&s);
    let a = c.call("GET", "/user", Some(TOKEN), None);
    assert_eq!(a.status, 200);
    assert_eq!(a.header("connection"), Some("keep-alive"));
    let b = c.call(
        "POST",
        "/repos/acme/service/issues",
        Some(TOKEN),
        Some(r#"{"title":"one"}"#),
    );
    assert_eq!(b.status, 201);
    // A chunked body, then two pipelined requests in one write.
    c.send_raw(
        format!(
            "POST /repos/acme/service/issues HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{{\"titl\r\n9;ext=1\r\ne\":\"two\"}}\r\n0\r\nX-Trailer: t\r\n\r\n",
            c.host
        )
        .as_bytes(),
    );
    assert_eq!(c.read().expect("chunked answer").status, 201);
    let two = format!(
        "GET /repos/acme/service/issues/1 HTTP/1.1\r\nHost: {h}\r\nAuthorization: Bearer {TOKEN}\r\n\r\nGET /repos/acme/service/issues/2 HTTP/1.1\r\nHost: {h}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
        h = c.host
    );
    c.send_raw(two.as_bytes());
    assert_eq!(c.read().expect("first").json()["title"], "one");
    assert_eq!(c.read().expect("second").json()["title"], "two");
    // Connection: close is honoured.
    c.send(
        "GET",
        "/user",
        Some(TOKEN),
        &[("Connection", "close")],
        None,
    );
    let last = c.read().expect("answer");
    assert_eq!(last.header("connection"), Some("close"));
    assert!(c.closed_by_server());
}

#[test]
fn expect_continue_and_http_1_0_are_handled() {
    let s = server();
    let mut c = Client::connect(&s);
    let body = r#"{"title":"t"}"#;
    c.send_raw(
        format!(
            "POST /repos/acme/service/issues HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            c.host,
            body.len()
        )
        .as_bytes(),
    );
    let interim = c.read().expect("100 Continue");
    assert_eq!(interim.status, 100);
    c.send_raw(body.as_bytes());
    assert_eq!(c.read().expect("final").status, 201);

    let mut old = Client::connect(&s);
    old.send_raw(format!("GET /user HTTP/1.0\r\nAuthorization: token {TOKEN}\r\n\r\n").as_bytes());
    assert_eq!(old.read().expect("answer").status, 200);
    assert!(old.closed_by_server());
}

#[test]
fn malformed_requests_get_400_and_the_connection_closes() {
    let s = server();
    let host = Client::connect(&s).host;
    let cases: Vec<(String, u16)> = vec![
        ("HELLO\r\n\r\n".into(), 400),
        ("GET /user HTTP/1.1 extra\r\n\r\n".into(), 400),
        ("GET /user HTTP/1.1\r\n\r\n".into(), 400), // no Host
        (format!("GET /user HTTP/1.1\r\nHost: {host}\r\nBad Header\r\n\r\n"), 400),
        (format!("GET /user HTTP/1.1\r\nHost: {host}\r\n folded\r\n\r\n"), 400),
        (
            format!("POST /user HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5x\r\n\r\n"),
            400,
        ),
        (
            format!("POST /user HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            400,
        ),
        (
            format!("POST /user HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            400,
        ),
        (
            format!("POST /user HTTP/1.1\r\nHost: {host}\r\nContent-Length: 999999999999\r\n\r\n"),
            413,
        ),
        ("GET /user HTTP/2.0\r\n\r\n".into(), 505),
        (
            format!("GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n", "a".repeat(20_000)),
            400,
        ),
        (
            format!("GET /user HTTP/1.1\r\nHost: {host}\r\nX: {}\r\n\r\n", "v".repeat(20_000)),
            400,
        ),
        ("\u{0}\u{1}\u{2}garbage\r\n\r\n".into(), 400),
    ];
    for (raw, status) in cases {
        let mut c = Client::connect(&s);
        c.send_raw(raw.as_bytes());
        let r = c.read().unwrap_or_else(|| panic!("no answer to {raw:?}"));
        assert_eq!(r.status, status, "{raw:?}");
        assert_eq!(r.header("connection"), Some("close"), "{raw:?}");
        assert!(c.closed_by_server(), "{raw:?}");
    }
    // A request cut short is simply dropped; the server goes on.
    let mut c = Client::connect(&s);
    c.send_raw(
        format!("POST /user HTTP/1.1\r\nHost: {host}\r\nContent-Length: 10\r\n\r\nabc").as_bytes(),
    );
    drop(c);
    assert_eq!(get(&s, "/user").status, 200);
}

#[test]
fn head_requests_get_headers_only() {
    let s = server();
    let mut c = Client::connect(&s);
    c.send("HEAD", "/user", Some(TOKEN), &[], None);
    let mut line = String::new();
    c.reader.read_line(&mut line).expect("status line");
    assert!(line.starts_with("HTTP/1.1 200 "), "{line:?}");
    let mut length = None;
    loop {
        line.clear();
        c.reader.read_line(&mut line).expect("header");
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    assert!(length.is_some_and(|n| n > 0), "the length of the GET body");
    // No body followed: the next answer on the connection parses cleanly.
    let next = c.call("GET", "/user", Some(TOKEN), None);
    assert_eq!(next.status, 200);
    assert_eq!(next.json()["login"], "pmlint-bot");
}

#[test]
fn prefix_serves_the_api_under_api_v3_only() {
    let s = FakeGitHub::start_with_prefix("/api/v3");
    s.add_token(TOKEN, "pmlint-bot");
    s.add_repo(REPO);
    for i in 0..3 {
        seed(&s, &format!("t{i}"), &[]);
    }
    assert!(s.url().ends_with("/api/v3"));
    assert!(!s.url().ends_with('/'));
    let mut c = Client::connect(&s);
    let user = c.call("GET", "/api/v3/user", Some(TOKEN), None);
    assert_eq!(user.status, 200);
    let outside = c.call("GET", "/user", Some(TOKEN), None);
    assert_eq!(outside.status, 404);
    let list = c.call(
        "GET",
        "/api/v3/repos/acme/service/issues?per_page=2",
        Some(TOKEN),
        None,
    );
    assert_eq!(
        list.link("next").as_deref(),
        Some(format!("{}/repos/acme/service/issues?per_page=2&page=2", s.url()).as_str())
    );
    assert!(list.json()[0]["url"]
        .as_str()
        .is_some_and(|u| u.starts_with(&format!("{}/repos/", s.url()))));
    let paths: Vec<String> = s.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/user", "/user", "/repos/acme/service/issues"]);
}

#[test]
fn request_log_and_write_count_record_everything_received() {
    let s = server();
    get(&s, "/repos/acme/service/issues?state=all&labels=postmortem");
    post(&s, "/repos/acme/service/issues", json!({"title": "t"}));
    patch(&s, "/repos/acme/service/issues/1", json!({"title": "u"}));
    s.inject(Fault::new(FaultKind::Status(500)).method("PATCH"));
    patch(&s, "/repos/acme/service/issues/1", json!({"title": "v"}));
    let log = s.requests();
    let summary: Vec<(&str, &str, u16)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("GET", "/repos/acme/service/issues", 200),
            ("POST", "/repos/acme/service/issues", 201),
            ("PATCH", "/repos/acme/service/issues/1", 200),
            ("PATCH", "/repos/acme/service/issues/1", 500),
        ]
    );
    assert_eq!(log[0].query, "state=all&labels=postmortem");
    assert_eq!(log[1].body, r#"{"title":"t"}"#);
    assert_eq!(log[1].header("user-agent"), Some("pmlint-tests"));
    assert_eq!(
        log[1].header("AUTHORIZATION"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(s.write_count(), 3);
    s.clear_requests();
    assert!(s.requests().is_empty());
    assert_eq!(s.write_count(), 0);
    get(&s, "/user");
    assert_eq!(s.write_count(), 0);
    assert_eq!(s.requests().len(), 1);
}

#[test]
fn dropping_the_server_closes_idle_connections_promptly() {
    let s = server();
    let mut idle = Client::connect(&s);
    assert_eq!(idle.call("GET", "/user", Some(TOKEN), None).status, 200);
    let mut partial = Client::connect(&s);
    partial.send_raw(b"GET /user HTTP/1.1\r\nHo");
    s.inject(Fault::new(FaultKind::Delay { ms: 60_000 }));
    let mut slow = Client::connect(&s);
    slow.send("GET", "/user", Some(TOKEN), &[], None);
    // Wait until the slow request is being held.
    while s.requests().len() < 2 {
        std::thread::sleep(Duration::from_millis(1));
    }
    let start = Instant::now();
    drop(s);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "shutdown is prompt"
    );
    assert!(idle.closed_by_server());
    assert!(partial.closed_by_server());
}

#[test]
fn hostile_bytes_never_crash_or_hang_the_server() {
    let s = server();
    seed(&s, "target", &["postmortem"]);
    let host = Client::connect(&s).host;
    let methods = [
        "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "G\u{0}T",
    ];
    let paths = [
        "/user",
        "/repos/acme/service",
        "/repos/acme/service/issues",
        "/repos/acme/service/issues/1",
        "/repos/acme/service/issues/1/labels",
        "/repos/acme/service/issues/1/labels/%ZZ%",
        "/repos/acme/service/issues/18446744073709551616",
        "/repos/acme/service/labels",
        "/repos/acme/service/labels/post%00mortem",
        "/repositories/x/issues",
        "//repos//acme",
        "*",
    ];
    let queries = [
        "",
        "?state=all&labels=%E2%82&per_page=-1&page=99999999999999999999999",
        "?since=2026-13-45T99:99:99+99:99&sort=&direction=",
        "?since=2026-01-01T00:00:00-0&labels=,,,&per_page=100&page=0",
        "?&&=&a==b&%",
    ];
    let versions = [" HTTP/1.1", " HTTP/1.0", " HTTP/9.9", "", " http/1.1"];
    let headers = [
        "Authorization: Bearer\r\n",
        "Authorization: token  \r\n",
        "Content-Length: -1\r\n",
        "Content-Length: 3\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Expect: 100-continue\r\n",
        "Expect: magic\r\n",
        "Connection: close\r\n",
        "X-Odd: \u{1}\r\n",
        ": empty name\r\n",
    ];
    let bodies = [
        "",
        "{\"title\":[1,{\"x\":null}],\"labels\":{\"a\":1},\"assignees\":\"x\"}",
        "{\"title\":\"ok\",\"labels\":[\"\",\"a\",{\"name\":5}],\"assignee\":7}",
        "{\"state\":\"closed\",\"state_reason\":7,\"milestone\":3}",
        "{\"name\":\"x\",\"color\":\"#12345g\",\"new_name\":\"\",\"description\":[]}",
        "[\"a\",\"b\"]",
        "ffffffff\r\nab\r\n0\r\n\r\n",
        "\u{0}\u{7f}\u{ff}é\t",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ];
    // A fixed xorshift sequence: the same hostile inputs on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut statuses = std::collections::BTreeSet::new();
    for _ in 0..600 {
        let mut raw = format!(
            "{} {}{}{}\r\n",
            methods[next(methods.len())],
            paths[next(paths.len())],
            queries[next(queries.len())],
            if next(10) < 8 {
                versions[0]
            } else {
                versions[next(versions.len())]
            }
        );
        if next(10) > 0 {
            raw.push_str(&format!("Host: {host}\r\n"));
        }
        if next(10) > 1 {
            raw.push_str(&format!("Authorization: Bearer {TOKEN}\r\n"));
        }
        let body = bodies[next(bodies.len())];
        if next(5) > 0 {
            raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        for _ in 0..next(3) {
            raw.push_str(headers[next(headers.len())]);
        }
        raw.push_str("\r\n");
        raw.push_str(body);
        let mut bytes = raw.into_bytes();
        match next(5) {
            0 => {
                let at = next(bytes.len());
                bytes[at] = next(256) as u8;
            }
            1 => bytes.truncate(next(bytes.len())),
            _ => {}
        }
        let mut stream = TcpStream::connect(&host).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        // The server may already have answered and closed; that is fine.
        let _ = stream.write_all(&bytes);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        if let Err(e) = stream.read_to_end(&mut answer) {
            assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "the server hung on {:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
        let text = String::from_utf8_lossy(&answer);
        for status in text.lines().filter_map(|l| l.strip_prefix("HTTP/1.1 ")) {
            let code = &status[..3];
            assert_ne!(
                code,
                "500",
                "a handler failed on {:?}",
                String::from_utf8_lossy(&bytes)
            );
            statuses.insert(code.to_string());
        }
    }
    // The inputs reached the API, not only the parser.
    for code in ["200", "400", "401", "404", "422"] {
        assert!(
            statuses.contains(code),
            "{code} never answered: {statuses:?}"
        );
    }
    assert_eq!(get(&s, "/user").status, 200);
}
