//! From post-mortems to the items that sync: keys, facts, states, owners,
//! and the items that do not sync with the reason why. Pure: the text of a
//! document in, values out.

use super::key::IssueKey;
use super::plan::{Desired, IssueState, Skipped};
use super::render::ItemFacts;
use crate::config::Settings;
use crate::document::action_items::{is_unset_value, normalize_status, Source};
use crate::document::{ActionItem, Document};
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// The sync settings that decide what an item's issue says.
#[derive(Debug, Clone)]
pub struct ItemRules {
    pub labels: Vec<String>,
    pub assign_owners: bool,
    pub close_done: bool,
    pub include_drafts: bool,
    /// `owner/name`, to recognise links to the repository's issues.
    pub repo: String,
}

/// Where an item's ID is written, for `--write-back`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdAnchor {
    pub key: IssueKey,
    /// The table cell (`list == false`) or the ID text of a list item.
    pub span: Range<usize>,
    pub id: String,
    pub list: bool,
}

/// What one document contributes.
#[derive(Debug, Clone, Default)]
pub struct DocumentItems {
    pub desired: Vec<Desired>,
    pub skipped: Vec<Skipped>,
    /// The INCIDENT part of this document's keys.
    pub incident: String,
    pub anchors: Vec<IdAnchor>,
}

/// A GitHub login: letters, digits and single hyphens, at most 39.
static LOGIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^@([A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38})$").expect("static regex")
});
/// A Markdown link: text and target.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^()\s]*)\)").expect("static regex"));

/// The GitHub logins an owner field names: `@alice`, `@alice, @bob`,
/// `@alice and @bob`. Team handles and plain names are not logins.
pub fn owner_logins(owner: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let normalized = owner.replace(" and ", ",");
    for part in normalized.split([',', ';', '&']) {
        let Some(word) = part.split_whitespace().next() else {
            continue;
        };
        if let Some(c) = LOGIN.captures(word) {
            let login = c[1].to_string();
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&login)) {
                out.push(login);
            }
        }
    }
    out
}

/// The issue number a link points to when it is an issue of `repo`.
pub fn issue_number(url: &str, repo: &str) -> Option<u64> {
    let (_, rest) = url.split_once("://")?;
    let path = rest.split_once('/')?.1;
    let path = path.split(['#', '?']).next()?;
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let [owner, name, "issues", number] = parts.as_slice() else {
        return None;
    };
    if !format!("{owner}/{name}").eq_ignore_ascii_case(repo) {
        return None;
    }
    number.parse().ok()
}

/// The link target already written on an item's ID, if any.
fn linked_url<'t>(text: &'t str, item: &ActionItem) -> Option<&'t str> {
    match item.source {
        Source::Table { .. } => {
            let cell = text.get(item.id_cell.clone()?)?;
            LINK.captures_iter(cell)
                .find(|c| {
                    let shown = c[1].trim_matches(|ch: char| matches!(ch, '*' | '_' | '`' | ' '));
                    item.id.as_ref().is_some_and(|id| shown == id.text.trim())
                })
                .and_then(|c| c.get(2))
                .map(|m| m.as_str())
        }
        Source::List => {
            let span = item.id.as_ref()?.span.clone();
            let after = text.get(span.end..)?.strip_prefix("](")?;
            let end = after.find(')')?;
            Some(&after[..end])
        }
    }
}

/// The items of one document. `display` names the file in reports;
/// `repo_path` is its path relative to the repository root (the key's
/// fallback and the permalink's path).
pub fn items_of(
    text: &str,
    display: &str,
    repo_path: &str,
    settings: &Settings,
    rules: &ItemRules,
) -> DocumentItems {
    // A lone CR ends a line as in the lint; same length, same offsets.
    let normalized;
    let parsed = if crate::lint::has_lone_cr(text) {
        normalized = crate::lint::lone_cr_to_lf(text);
        normalized.as_str()
    } else {
        text
    };
    let doc = Document::parse(parsed, settings);
    let incident_id = crate::rules::incident_id::declared(&doc);
    let incident = incident_id.clone().unwrap_or_else(|| repo_path.to_string());
    // The template's `title: [Incident Title]` is a placeholder, not a title.
    let incident_title = doc
        .fm_value("title")
        .filter(|v| {
            !v.is_sequence
                && !v.raw.trim_start().starts_with('[')
                && !crate::rules::placeholders::is_placeholder_value(v.raw)
        })
        .map(|v| v.text.trim().to_string())
        .filter(|t| !t.is_empty());
    let is_draft = doc
        .status()
        .is_some_and(|s| crate::config::normalize_status(&s) == "draft");
    let pattern = &settings.options.id_pattern;
    let allowed = &settings.action_item_statuses;

    let mut counts: HashMap<String, usize> = HashMap::new();
    for item in &doc.action_items {
        if let Some(id) = item.id.as_ref().filter(|f| !is_unset_value(&f.text)) {
            *counts.entry(id.text.trim().to_string()).or_default() += 1;
        }
    }

    let mut out = DocumentItems {
        incident: incident.clone(),
        ..DocumentItems::default()
    };
    for item in &doc.action_items {
        let line = doc.line_of(item.anchor.start);
        let skip = |key: Option<IssueKey>, reason: String, blocking: bool| Skipped {
            key,
            file: display.to_string(),
            line: Some(line),
            reason,
            blocking,
        };
        let Some(id) = item
            .id
            .as_ref()
            .map(|f| f.text.trim())
            .filter(|t| !is_unset_value(t))
        else {
            out.skipped.push(skip(
                None,
                format!("{} has no ID, so it has no key", item.name()),
                !is_draft || rules.include_drafts,
            ));
            continue;
        };
        let key = IssueKey::new(&incident, id);
        if is_draft && !rules.include_drafts {
            out.skipped.push(skip(
                Some(key),
                "the post-mortem is a Draft (set sync.include_drafts to sync drafts)".into(),
                false,
            ));
            continue;
        }
        let whole = pattern
            .find(id)
            .is_some_and(|m| m.start() == 0 && m.end() == id.len());
        if !whole {
            out.skipped.push(skip(
                Some(key),
                format!(
                    "ID `{id}` does not match the action-item ID pattern `{}`",
                    pattern.as_str()
                ),
                true,
            ));
            continue;
        }
        if counts.get(id).copied().unwrap_or(0) > 1 {
            out.skipped.push(skip(
                Some(key),
                format!("ID `{id}` is used by more than one item in this file"),
                true,
            ));
            continue;
        }
        let status = match item.status.as_ref().filter(|f| !f.is_blank()) {
            Some(f) => {
                let n = normalize_status(&f.text);
                match allowed.iter().find(|a| normalize_status(a) == n) {
                    Some(a) => a.clone(),
                    None => {
                        out.skipped.push(skip(
                            Some(key),
                            format!(
                                "status `{}` is not one of: {}",
                                f.text.trim(),
                                allowed.join(", ")
                            ),
                            true,
                        ));
                        continue;
                    }
                }
            }
            None => match item.checked {
                Some(true) => "Done".to_string(),
                Some(false) => "Open".to_string(),
                None => {
                    out.skipped
                        .push(skip(Some(key), format!("{id} has no status"), true));
                    continue;
                }
            },
        };
        let state = rules
            .close_done
            .then(|| match normalize_status(&status).as_str() {
                "done" => IssueState::Completed,
                "won't do" | "wont do" => IssueState::NotPlanned,
                _ => IssueState::Open,
            });
        let text_of = |f: &Option<crate::document::Field>| {
            f.as_ref()
                .map(|f| f.text.trim().to_string())
                .unwrap_or_default()
        };
        let owner = text_of(&item.owner);
        let owners = if rules.assign_owners {
            owner_logins(&owner)
        } else {
            Vec::new()
        };
        let linked_issue = linked_url(parsed, item).and_then(|u| issue_number(u, &rules.repo));
        match item.source {
            Source::Table { .. } => {
                if let Some(cell) = &item.id_cell {
                    out.anchors.push(IdAnchor {
                        key: key.clone(),
                        span: cell.clone(),
                        id: id.to_string(),
                        list: false,
                    });
                }
            }
            Source::List => {
                if let Some(f) = &item.id {
                    if parsed.get(f.span.clone()).is_some_and(|s| s == id) {
                        out.anchors.push(IdAnchor {
                            key: key.clone(),
                            span: f.span.clone(),
                            id: id.to_string(),
                            list: true,
                        });
                    }
                }
            }
        }
        out.desired.push(Desired {
            key,
            file: display.to_string(),
            line,
            facts: ItemFacts {
                id: id.to_string(),
                description: text_of(&item.description),
                owner,
                due: text_of(&item.due),
                status,
                incident_title: incident_title.clone(),
                incident_id: incident_id.clone(),
                path: repo_path.to_string(),
                line,
            },
            owners,
            state,
            labels: rules.labels.clone(),
            linked_issue,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ItemRules {
        ItemRules {
            labels: vec!["postmortem".into(), "action-item".into()],
            assign_owners: true,
            close_done: true,
            include_drafts: false,
            repo: "acme/ops".into(),
        }
    }

    const DOC: &str = "---\ntitle: Auth outage\nstatus: Finalised\nincident_id: INC-2025-07-18-001\n---\n# Auth outage\n\n## Action Items\n\n| ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n| PM-AI-001 | Add a login alert | @alice | 2025-08-01 | Open |\n| [PM-AI-002](https://github.com/acme/ops/issues/42) | Write a runbook | @bob, @carol | 2025-08-02 | Done |\n| PM-AI-003 | Drop the flag | Jane Doe | 2025-08-03 | Won’t Do |\n| PM-AI-004 | Nope | @dan | 2025-08-04 | Later |\n| bad id | x | @e | 2025-08-05 | Open |\n|  | no id | @f | 2025-08-06 | Open |\n";

    fn items(text: &str) -> DocumentItems {
        items_of(
            text,
            "pm.md",
            "postmortems/pm.md",
            &Settings::defaults(),
            &rules(),
        )
    }

    #[test]
    fn keys_come_from_the_front_matter_incident_id() {
        let d = items(DOC);
        assert_eq!(d.incident, "INC-2025-07-18-001");
        let keys: Vec<&str> = d.desired.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "INC-2025-07-18-001/PM-AI-001",
                "INC-2025-07-18-001/PM-AI-002",
                "INC-2025-07-18-001/PM-AI-003"
            ]
        );
    }

    #[test]
    fn items_carry_their_facts_state_owners_and_link() {
        let d = items(DOC);
        let [a, b, c] = &d.desired[..] else {
            panic!("three items")
        };
        assert_eq!(a.line, 12);
        assert_eq!(a.facts.description, "Add a login alert");
        assert_eq!(a.facts.incident_title.as_deref(), Some("Auth outage"));
        assert_eq!(a.owners, ["alice"]);
        assert_eq!(a.state, Some(IssueState::Open));
        assert_eq!(b.owners, ["bob", "carol"]);
        assert_eq!(b.state, Some(IssueState::Completed));
        assert_eq!(b.linked_issue, Some(42));
        assert!(c.owners.is_empty());
        assert_eq!(c.facts.status, "Won't Do");
        assert_eq!(c.state, Some(IssueState::NotPlanned));
    }

    #[test]
    fn invalid_items_are_skipped_with_their_reason() {
        let d = items(DOC);
        let reasons: Vec<(&str, bool)> = d
            .skipped
            .iter()
            .map(|s| (s.reason.as_str(), s.blocking))
            .collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].0.contains("status `Later`"));
        assert!(reasons[1].0.contains("ID `bad id` does not match"));
        assert!(reasons[2].0.contains("has no ID"));
        assert!(reasons.iter().all(|(_, b)| *b));
    }

    #[test]
    fn drafts_do_not_sync_unless_configured() {
        let draft = DOC.replace("status: Finalised", "status: Draft");
        let d = items(&draft);
        assert!(d.desired.is_empty());
        assert!(d
            .skipped
            .iter()
            .any(|s| s.reason.contains("Draft") && !s.blocking));
        let mut r = rules();
        r.include_drafts = true;
        let d = items_of(&draft, "pm.md", "pm.md", &Settings::defaults(), &r);
        assert_eq!(d.desired.len(), 3);
    }

    #[test]
    fn the_key_falls_back_to_section_1_2_then_the_path() {
        let text = "---\ntitle: t\nstatus: Finalised\n---\n## 1. Incident Summary\n\n### 1.2 Incident ID\n\n**INC-7** (PagerDuty)\n\n## Action Items\n\n- [x] PM-AI-005: Add an alert — owner: @alice, due: 2025-08-01\n";
        let d = items(text);
        assert_eq!(d.desired[0].key.as_str(), "INC-7/PM-AI-005");
        assert_eq!(d.desired[0].facts.status, "Done");
        let no_id = text.replace("**INC-7** (PagerDuty)", "[Unique identifier]");
        assert_eq!(
            items(&no_id).desired[0].key.as_str(),
            "postmortems/pm.md/PM-AI-005"
        );
    }

    #[test]
    fn a_placeholder_title_is_no_incident_title() {
        let text = DOC.replace("title: Auth outage", "title: [Incident Title]");
        assert_eq!(items(&text).desired[0].facts.incident_title, None);
    }

    #[test]
    fn duplicate_ids_are_skipped() {
        let text = DOC.replace("| PM-AI-003 |", "| PM-AI-001 |");
        let d = items(&text);
        assert_eq!(d.desired.len(), 1);
        assert_eq!(
            d.skipped
                .iter()
                .filter(|s| s.reason.contains("more than one item"))
                .count(),
            2
        );
    }

    #[test]
    fn without_close_done_or_assign_owners_those_are_left_out() {
        let mut r = rules();
        r.close_done = false;
        r.assign_owners = false;
        let d = items_of(DOC, "pm.md", "pm.md", &Settings::defaults(), &r);
        assert!(d
            .desired
            .iter()
            .all(|i| i.state.is_none() && i.owners.is_empty()));
    }

    #[test]
    fn owners_are_logins_only() {
        assert_eq!(owner_logins("@alice"), ["alice"]);
        assert_eq!(owner_logins("@alice and @bob; @Alice"), ["alice", "bob"]);
        assert_eq!(owner_logins("@alice (SRE lead)"), ["alice"]);
        assert!(owner_logins("@acme/sre").is_empty());
        assert!(owner_logins("Jane Doe").is_empty());
        assert!(owner_logins("@-bad").is_empty());
        assert!(owner_logins("@a--b").is_empty());
    }

    #[test]
    fn issue_links_must_point_at_this_repository() {
        assert_eq!(
            issue_number("https://github.com/acme/ops/issues/42", "acme/ops"),
            Some(42)
        );
        assert_eq!(
            issue_number("https://github.com/ACME/Ops/issues/7#x", "acme/ops"),
            Some(7)
        );
        assert_eq!(
            issue_number("https://github.com/other/ops/issues/42", "acme/ops"),
            None
        );
        assert_eq!(
            issue_number("https://github.com/acme/ops/pull/42", "acme/ops"),
            None
        );
        assert_eq!(issue_number("not a url", "acme/ops"), None);
    }

    #[test]
    fn id_anchors_cover_the_cell_or_the_list_id() {
        let d = items(DOC);
        assert_eq!(&DOC[d.anchors[0].span.clone()], "PM-AI-001");
        assert_eq!(
            &DOC[d.anchors[1].span.clone()],
            "[PM-AI-002](https://github.com/acme/ops/issues/42)"
        );
        let text = "---\nstatus: Finalised\nincident_id: I-1\n---\n## Action Items\n\n- [ ] [PM-AI-005](https://github.com/acme/ops/issues/9): Add an alert — owner: @alice, due: 2025-08-01\n";
        let d = items(text);
        assert_eq!(d.desired[0].linked_issue, Some(9));
        assert!(d.anchors[0].list);
        assert_eq!(&text[d.anchors[0].span.clone()], "PM-AI-005");
    }
}
