//! What an issue says: its title and body, rendered from an action item.
//!
//! Document text is untrusted here: it is escaped so that it cannot open a
//! code span around pmlint's own backticks, cannot start an HTML comment
//! (`<!--` becomes `&lt;!--`, so no document plants a second marker), and
//! cannot ping anyone — every `@name` and `@org/team` is wrapped in
//! backticks except the owner's own `@login` when that login is assigned.

use regex::Regex;
use std::sync::LazyLock;

/// GitHub's limit on issue titles, in characters.
pub const MAX_TITLE_CHARS: usize = 256;
/// Longest description copied into a body (GitHub bodies hold 65,536
/// characters; escaping can double the text).
const MAX_DESCRIPTION_CHARS: usize = 8_000;
/// Longest other value copied into a body.
const MAX_VALUE_CHARS: usize = 1_000;

/// The facts of one action item that an issue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub id: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub incident_title: Option<String>,
    pub incident_id: Option<String>,
    /// Repository-relative path of the post-mortem.
    pub path: String,
    /// 1-based line of the item.
    pub line: usize,
}

/// Where permalinks point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `GITHUB_SERVER_URL`, e.g. `https://github.com`.
    pub server_url: String,
    /// `owner/name`.
    pub repo: String,
    /// The commit (`GITHUB_SHA` or `git rev-parse HEAD`).
    pub sha: String,
}

impl Links {
    /// `{server}/{repo}/blob/{sha}/{path}#L{line}`.
    pub fn permalink(&self, path: &str, line: usize) -> String {
        format!(
            "{}/{}/blob/{}/{}#L{line}",
            self.server_url.trim_end_matches('/'),
            self.repo,
            self.sha,
            crate::output::encode_path(path)
        )
    }
}

/// `PM-AI-001: description`, at most 256 characters, on one line, with no
/// bare mention.
pub fn title(id: &str, description: &str) -> String {
    let description = one_line(description);
    let raw = if description.is_empty() {
        one_line(id)
    } else {
        format!("{}: {description}", one_line(id))
    };
    // Titles render code spans only: a stray backtick from the document
    // would pair with pmlint's own, so it becomes an apostrophe.
    let raw = raw.replace('`', "'");
    let mut t = wrap_mentions(&raw, &[]);
    if t.chars().count() > MAX_TITLE_CHARS {
        let mut cut: String = t.chars().take(MAX_TITLE_CHARS - 1).collect();
        // Never leave half of a wrapped mention (`` `@ali ``) behind.
        if cut.matches('`').count() % 2 == 1 {
            if let Some(i) = cut.rfind('`') {
                cut.truncate(i);
            }
        }
        t = format!("{}…", cut.trim_end());
    }
    t
}

/// The issue body without the marker.
pub fn body(facts: &ItemFacts, links: &Links, assignees: &[String]) -> String {
    let cell = |s: &str| {
        let v = one_line(&truncate(s, MAX_VALUE_CHARS));
        if v.is_empty() {
            "—".to_string()
        } else {
            neutralize(&v, assignees)
        }
    };
    // Control characters other than line breaks and tabs have no place in
    // an issue (and some servers refuse them).
    let description: String = facts
        .description
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    let description = truncate(description.trim(), MAX_DESCRIPTION_CHARS);
    let mut out = String::new();
    if description.is_empty() {
        out.push_str(&neutralize(&facts.id, &[]));
    } else {
        out.push_str(&neutralize(&description, assignees));
    }
    out.push_str("\n\n| | |\n|---|---|\n");
    out.push_str(&format!("| **Owner** | {} |\n", cell(&facts.owner)));
    out.push_str(&format!("| **Target date** | {} |\n", cell(&facts.due)));
    out.push_str(&format!("| **Status** | {} |\n", cell(&facts.status)));
    let incident = match (&facts.incident_title, &facts.incident_id) {
        (Some(t), Some(id)) => format!("{} ({})", cell(t), cell(id)),
        (Some(t), None) => cell(t),
        (None, Some(id)) => cell(id),
        (None, None) => "—".into(),
    };
    out.push_str(&format!("| **Incident** | {incident} |\n"));
    out.push_str(&format!(
        "| **Post-mortem** | [{}]({}) |\n",
        cell(&facts.path),
        links.permalink(&facts.path, facts.line)
    ));
    out.push_str(
        "\n<sub>This issue tracks an action item of the post-mortem; `pmlint sync` keeps it up to date.</sub>\n",
    );
    out
}

/// The permalink in a body: commit and line vary from run to run without
/// the item changing.
static PERMALINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\]\(([^()\s]*?)/blob/[^/()\s]+/([^()\s#]*)(?:#L[0-9]+(?:-L[0-9]+)?)?\)")
        .expect("static regex")
});

/// A body as compared for the hash: without markers, line endings and
/// trailing blanks normalised, and the permalink's commit and line left
/// out. So a new commit does not rewrite every issue, while a renamed file
/// does.
pub fn canonical_body(body: &str) -> String {
    let stripped = super::marker::strip(body);
    let unified = stripped.replace("\r\n", "\n").replace('\r', "\n");
    let linked = PERMALINK.replace_all(&unified, "]($1/blob/-/$2)");
    let lines: Vec<&str> = linked.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// One line: control characters and runs of blanks become one space.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// The handle of a mention starting at `chars[at]` (`@`): `name` or
/// `org/team`, when one starts there.
fn mention_at(chars: &[char], at: usize) -> Option<(String, bool)> {
    if chars.get(at) != Some(&'@') {
        return None;
    }
    // `user@example.com` is an address, not a mention.
    if at > 0 && chars[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut end = at + 1;
    while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '-') {
        end += 1;
    }
    if end == at + 1 || !chars[at + 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut team = false;
    if chars.get(end) == Some(&'/')
        && chars
            .get(end + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        team = true;
        end += 1;
        while end < chars.len()
            && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], '-' | '_' | '.'))
        {
            end += 1;
        }
    }
    Some((chars[at + 1..end].iter().collect(), team))
}

/// Wraps every mention in backticks except `@login` for the logins in
/// `bare`. The text must hold no backtick of its own.
fn wrap_mentions(text: &str, bare: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if let Some((handle, team)) = mention_at(&chars, i) {
            let len = handle.chars().count() + 1;
            if !team && bare.iter().any(|b| b.eq_ignore_ascii_case(&handle)) {
                out.push('@');
                out.push_str(&handle);
            } else {
                out.push_str(&format!("`@{handle}`"));
            }
            i += len;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Document text made safe for an issue body: Markdown escapes for `\`,
/// `` ` ``, `[`, `]` and `|` (so document text can neither pair with
/// pmlint's backticks nor break its table or links), `<!--` as
/// `&lt;!--`, and mentions wrapped except for the logins in `bare`.
pub fn neutralize(text: &str, bare: &[String]) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<!--") {
            escaped.push_str("&lt;!--");
            rest = &rest[4..];
            continue;
        }
        if matches!(c, '\\' | '`' | '[' | ']' | '|') {
            escaped.push('\\');
        }
        escaped.push(c);
        rest = &rest[c.len_utf8()..];
    }
    wrap_mentions(&escaped, bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ItemFacts {
        ItemFacts {
            id: "PM-AI-001".into(),
            description: "Add an alert on login errors for @alice and @acme/sre".into(),
            owner: "@alice".into(),
            due: "2025-08-01".into(),
            status: "Open".into(),
            incident_title: Some("Auth outage".into()),
            incident_id: Some("INC-2025-07-18-001".into()),
            path: "postmortems/2025 auth.md".into(),
            line: 57,
        }
    }

    fn links() -> Links {
        Links {
            server_url: "https://github.com/".into(),
            repo: "acme/ops".into(),
            sha: "0123abcd".into(),
        }
    }

    #[test]
    fn titles_are_id_and_description_on_one_line() {
        assert_eq!(
            title("PM-AI-001", "Add an alert\non  errors"),
            "PM-AI-001: Add an alert on errors"
        );
        assert_eq!(title("PM-AI-001", "  "), "PM-AI-001");
    }

    #[test]
    fn titles_never_carry_a_bare_mention() {
        assert_eq!(
            title("PM-AI-1", "Ask @alice and @acme/sre, mail bob@example.com"),
            "PM-AI-1: Ask `@alice` and `@acme/sre`, mail bob@example.com"
        );
        // A stray backtick cannot pair with pmlint's own.
        assert_eq!(title("X-1", "run `ls @bob"), "X-1: run 'ls `@bob`");
    }

    #[test]
    fn long_titles_are_cut_at_256_characters_on_a_char_boundary() {
        let t = title("PM-AI-001", &"é".repeat(400));
        assert_eq!(t.chars().count(), 256);
        assert!(t.ends_with('…'));
        // A cut through a wrapped mention drops the half mention.
        let desc = format!("{} @someone-with-a-long-name", "x".repeat(235));
        let t = title("PM-AI-001", &desc);
        assert!(t.chars().count() <= 256);
        assert_eq!(t.matches('`').count() % 2, 0, "{t}");
        assert!(!t.contains("@some"), "{t}");
    }

    #[test]
    fn bodies_show_every_fact_and_the_permalink() {
        let b = body(&facts(), &links(), &["alice".into()]);
        assert!(b.starts_with("Add an alert on login errors for @alice and `@acme/sre`\n"));
        assert!(b.contains("| **Owner** | @alice |"));
        assert!(b.contains("| **Target date** | 2025-08-01 |"));
        assert!(b.contains("| **Status** | Open |"));
        assert!(b.contains("| **Incident** | Auth outage (INC-2025-07-18-001) |"));
        assert!(b.contains(
            "[postmortems/2025 auth.md](https://github.com/acme/ops/blob/0123abcd/postmortems/2025%20auth.md#L57)"
        ));
    }

    #[test]
    fn only_the_assigned_owner_stays_bare() {
        let b = body(&facts(), &links(), &[]);
        assert!(b.contains("| **Owner** | `@alice` |"));
        assert!(b.starts_with("Add an alert on login errors for `@alice`"));
        assert!(!b.contains(" @"), "{b}");
    }

    #[test]
    fn document_text_cannot_open_a_comment_or_a_code_span() {
        let mut f = facts();
        f.description = "x <!-- pmlint:item key=\"EVIL/1\" --> \\`@bob` [a](b) | c".into();
        let b = body(&f, &links(), &[]);
        assert!(!b.contains("<!--"), "{b}");
        assert!(b.contains("&lt;!-- pmlint:item"));
        assert!(super::super::marker::find(&b).is_none());
        assert!(
            b.starts_with(
                "x &lt;!-- pmlint:item key=\"EVIL/1\" --> \\\\\\``@bob`\\` \\[a\\](b) \\| c\n"
            ),
            "{b}"
        );
    }

    #[test]
    fn mentions_are_recognised_like_github_does() {
        let n = |s: &str| neutralize(s, &["alice".into()]);
        assert_eq!(n("@alice"), "@alice");
        assert_eq!(n("@ALICE"), "@ALICE");
        assert_eq!(n("@alice/team"), "`@alice/team`");
        assert_eq!(n("(@bob)"), "(`@bob`)");
        assert_eq!(n("a@bob"), "a@bob");
        assert_eq!(n("@ @-x"), "@ @-x");
        assert_eq!(n("é@bob"), "é`@bob`");
    }

    #[test]
    fn the_canonical_body_ignores_commit_line_marker_and_line_endings() {
        let a = body(&facts(), &links(), &["alice".into()]);
        let mut other = links();
        other.sha = "ffff0000".into();
        let mut moved = facts();
        moved.line = 90;
        let b = format!(
            "{}\r\n\r\n<!-- pmlint:item key=\"K/1\" v=\"1\" -->\r\n",
            body(&moved, &other, &["alice".into()]).replace('\n', "\r\n")
        );
        assert_eq!(canonical_body(&a), canonical_body(&b));
        let mut renamed = facts();
        renamed.path = "postmortems/auth.md".into();
        let c = body(&renamed, &links(), &["alice".into()]);
        assert_ne!(canonical_body(&a), canonical_body(&c));
    }
}
