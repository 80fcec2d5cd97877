//! Planning: the action items of the documents and the issues GitHub has
//! become a plan — create, update, close, reopen, unchanged, conflict,
//! orphan, skipped — without any I/O.
//!
//! Hand edits on GitHub survive through a three-way comparison per field:
//! the document's value now (D), GitHub's value now (G) and the value
//! pmlint last wrote (L, known by its fingerprint in the marker). A field is
//! written only when D ≠ G and G is still what pmlint wrote (the document
//! changed it); when D is still what pmlint wrote, GitHub changed it and it
//! is kept (drift, reported); when both changed, it is a conflict, kept as
//! GitHub has it and reported. State follows the same rule.

use super::key::IssueKey;
use super::marker::{self, FieldHashes, Marker};
use super::render::{self, ItemFacts, Links};
use std::collections::{BTreeMap, BTreeSet};

/// An issue's state as pmlint manages it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueState {
    Open,
    /// Closed as completed (Done).
    Completed,
    /// Closed as not planned (Won't Do).
    NotPlanned,
    /// Closed for another reason (duplicate, or by hand).
    ClosedOther,
}

impl IssueState {
    pub fn from_github(state: &str, reason: Option<&str>) -> IssueState {
        if !state.eq_ignore_ascii_case("closed") {
            return IssueState::Open;
        }
        match reason.map(str::to_ascii_lowercase).as_deref() {
            Some("not_planned") => IssueState::NotPlanned,
            // Issues closed before GitHub had reasons have none.
            Some("completed") | None => IssueState::Completed,
            _ => IssueState::ClosedOther,
        }
    }

    pub fn is_open(self) -> bool {
        self == IssueState::Open
    }

    /// `state` and `state_reason` as the API takes them.
    pub fn api(self) -> (&'static str, Option<&'static str>) {
        match self {
            IssueState::Open => ("open", Some("reopened")),
            IssueState::Completed => ("closed", Some("completed")),
            IssueState::NotPlanned => ("closed", Some("not_planned")),
            IssueState::ClosedOther => ("closed", None),
        }
    }

    fn code(self) -> u8 {
        match self {
            IssueState::Open => 0,
            IssueState::Completed => 1,
            IssueState::NotPlanned => 2,
            IssueState::ClosedOther => 3,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            IssueState::Open => "open",
            IssueState::Completed => "closed as completed",
            IssueState::NotPlanned => "closed as not planned",
            IssueState::ClosedOther => "closed",
        }
    }
}

/// An action item that syncs: its key, where it is written and what its
/// issue should say.
#[derive(Debug, Clone)]
pub struct Desired {
    pub key: IssueKey,
    pub file: String,
    pub line: usize,
    pub facts: ItemFacts,
    /// GitHub logins from the owner field (empty when owners are not
    /// assigned).
    pub owners: Vec<String>,
    /// `None` when pmlint does not manage the state (`close_done: false`).
    pub state: Option<IssueState>,
    pub labels: Vec<String>,
    /// The issue the ID cell links to (from an earlier `--write-back`).
    pub linked_issue: Option<u64>,
}

/// An item (or file) that does not sync, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub key: Option<IssueKey>,
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
    /// Whether it makes the run fail (an invalid item) or not (a Draft).
    pub blocking: bool,
}

/// An issue as GitHub has it.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentIssue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub state: IssueState,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    pub author: String,
    pub url: String,
}

/// Which issues without an item are orphans.
#[derive(Debug, Clone)]
pub enum OrphanScope {
    /// The whole repository was synced: every managed issue.
    All,
    /// Only issues of these incidents (the documents of this run).
    Incidents(BTreeSet<String>),
}

/// Whose markers count: the syncing account's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Syncer {
    /// The account of the token (`GET /user`).
    Login(String),
    /// An installation token, which cannot read its own account: its
    /// issues are written by a bot (`github-actions[bot]` for a workflow's
    /// token), and only an installed app can write as a bot.
    AnyBot,
    /// Unknown (an anonymous dry run): every marker counts.
    Anyone,
}

impl Syncer {
    pub fn wrote(&self, author: &str) -> bool {
        match self {
            Syncer::Login(l) => author.eq_ignore_ascii_case(l),
            Syncer::AnyBot => author.ends_with("[bot]"),
            Syncer::Anyone => true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlanContext {
    pub links: Links,
    pub syncer: Syncer,
    pub scope: OrphanScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    Update,
    Close,
    Reopen,
    Unchanged,
    Conflict,
    Orphan,
    Skipped,
    Failed,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Create,
        Action::Update,
        Action::Close,
        Action::Reopen,
        Action::Unchanged,
        Action::Conflict,
        Action::Orphan,
        Action::Skipped,
        Action::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Close => "close",
            Action::Reopen => "reopen",
            Action::Unchanged => "unchanged",
            Action::Conflict => "conflict",
            Action::Orphan => "orphan",
            Action::Skipped => "skipped",
            Action::Failed => "failed",
        }
    }
}

/// One line of the plan (and, once applied, of the report).
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Option<IssueKey>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub action: Action,
    pub issue: Option<u64>,
    pub url: Option<String>,
    pub warnings: Vec<String>,
    pub error: Option<String>,
    pub change: Change,
    /// A skipped item that makes the run fail.
    pub blocking: bool,
}

/// The write an entry needs.
#[derive(Debug, Clone)]
pub enum Change {
    None,
    Create(Box<Create>),
    Patch(Box<Patch>),
}

/// A new issue. Its body and marker are rendered by [`Create::render`],
/// because a refused assignee changes both.
#[derive(Debug, Clone, PartialEq)]
pub struct Create {
    pub key: IssueKey,
    pub title: String,
    pub labels: Vec<String>,
    /// Requested assignees.
    pub assignees: Vec<String>,
    pub facts: ItemFacts,
    pub links: Links,
    /// A state to set right after creating (an item already finished).
    pub then: Option<IssueState>,
}

impl Create {
    /// The body (with marker) and marker of the issue, created with the
    /// requested assignees minus `refused`.
    pub fn render(&self, refused: &[String]) -> (String, Marker) {
        let assignees = minus(&self.assignees, refused);
        let body = render::body(&self.facts, &self.links, &assignees);
        let hashes = FieldHashes {
            title: fp_title(&self.title),
            body: fp_body(&body),
            assignees: fp_logins(&assignees),
            labels: fp_labels(&self.labels),
            state: IssueState::Open.code(),
        };
        let marker = Marker {
            key: self.key.clone(),
            hashes: Some(hashes),
            refused: refused.to_vec(),
        };
        let full = marker::replace(&body, &marker);
        (full, marker)
    }

    /// The assignees sent when `refused` were refused.
    pub fn assignees_without(&self, refused: &[String]) -> Vec<String> {
        minus(&self.assignees, refused)
    }

    /// The follow-up that closes a just-created issue: state and the
    /// marker recording it, in one request.
    pub fn close_patch(&self, number: u64, body: &str, marker: &Marker) -> Option<Patch> {
        let state = self.then?;
        let mut m = marker.clone();
        if let Some(h) = m.hashes.as_mut() {
            h.state = state.code();
        }
        Some(Patch {
            number,
            title: None,
            labels: None,
            assignees: None,
            state: Some(state),
            body: marker::replace(body, &m),
            refusal: None,
        })
    }
}

/// Changes to an existing issue, sent as one PATCH. `body` always goes
/// along: it carries the marker with the new fingerprints.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    pub number: u64,
    pub title: Option<String>,
    pub labels: Option<Vec<String>>,
    pub assignees: Option<Vec<String>>,
    pub state: Option<IssueState>,
    pub body: String,
    /// How to redo the patch without its assignees if GitHub refuses them.
    pub refusal: Option<Box<Refusal>>,
}

/// What [`Patch::without_assignees`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub facts: ItemFacts,
    pub links: Links,
    /// Whether the body is pmlint's rendering (else GitHub's, kept).
    pub write_body: bool,
    pub current_body: String,
    pub marker: Marker,
}

impl Patch {
    /// The same patch without assignees, recording the refusal in the
    /// marker so later runs do not retry. `None` when the patch set no
    /// assignees (a 422 then is not about them).
    pub fn without_assignees(&self) -> Option<Patch> {
        let refused = self.assignees.clone()?;
        let r = self.refusal.as_ref()?;
        let mut m = r.marker.clone();
        let mut all_refused = m.refused.clone();
        for l in &refused {
            if !all_refused.iter().any(|x| x.eq_ignore_ascii_case(l)) {
                all_refused.push(l.clone());
            }
        }
        m.refused = all_refused;
        let body = if r.write_body {
            render::body(&r.facts, &r.links, &[])
        } else {
            r.current_body.clone()
        };
        if let Some(h) = m.hashes.as_mut() {
            // What later runs will want: the owners minus the refused.
            h.assignees = fp_logins(&[]);
            if r.write_body {
                h.body = fp_body(&body);
            }
        }
        Some(Patch {
            assignees: None,
            body: marker::replace(&body, &m),
            refusal: None,
            ..self.clone()
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
}

impl Plan {
    pub fn count(&self, action: Action) -> usize {
        self.entries.iter().filter(|e| e.action == action).count()
    }

    /// Whether some entry needs a write.
    pub fn has_writes(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e.change, Change::None))
    }

    pub fn has_creates(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.change, Change::Create(_)))
    }
}

fn fp_title(title: &str) -> u16 {
    marker::fingerprint("title", title, 16) as u16
}

fn fp_body(body: &str) -> u32 {
    marker::fingerprint("body", &render::canonical_body(body), 20) as u32
}

fn canon_set(names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = names
        .iter()
        .map(|n| n.trim().trim_start_matches('@').to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn fp_logins(logins: &[String]) -> u16 {
    marker::fingerprint("assignees", &canon_set(logins).join("\n"), 12) as u16
}

fn fp_labels(labels: &[String]) -> u16 {
    marker::fingerprint("labels", &canon_set(labels).join("\n"), 12) as u16
}

/// `list` without the names in `remove` (case-insensitive).
fn minus(list: &[String], remove: &[String]) -> Vec<String> {
    list.iter()
        .filter(|l| !remove.iter().any(|r| r.eq_ignore_ascii_case(l)))
        .cloned()
        .collect()
}

/// How one field compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field3 {
    InSync,
    /// The document changed it: write.
    Write,
    /// GitHub changed it by hand: kept.
    Drift,
    /// Both changed it: kept as GitHub has it.
    Conflict,
}

fn decide(same: bool, d: u64, g: u64, last: Option<u64>) -> Field3 {
    if same {
        return Field3::InSync;
    }
    match last {
        // No record of what pmlint wrote: the document wins.
        None => Field3::Write,
        Some(l) if l == d => Field3::Drift,
        Some(l) if l == g => Field3::Write,
        Some(_) => Field3::Conflict,
    }
}

/// The plan for `desired` items given GitHub's `issues`.
pub fn plan(
    desired: &[Desired],
    skipped: &[Skipped],
    issues: &[CurrentIssue],
    ctx: &PlanContext,
) -> Plan {
    // Key → issues that carry its marker, lowest number first.
    let mut ours: BTreeMap<IssueKey, Vec<(&CurrentIssue, Marker)>> = BTreeMap::new();
    let mut forged: BTreeMap<IssueKey, Vec<&CurrentIssue>> = BTreeMap::new();
    let mut sorted: Vec<&CurrentIssue> = issues.iter().collect();
    sorted.sort_by_key(|i| i.number);
    sorted.dedup_by_key(|i| i.number);
    for issue in sorted {
        let Some((m, _)) = marker::find(&issue.body) else {
            continue;
        };
        if ctx.syncer.wrote(&issue.author) {
            ours.entry(m.key.clone()).or_default().push((issue, m));
        } else {
            forged.entry(m.key.clone()).or_default().push(issue);
        }
    }

    let mut entries = Vec::new();
    let mut seen_keys: BTreeSet<&IssueKey> = BTreeSet::new();
    for d in desired {
        seen_keys.insert(&d.key);
        let mut warnings = Vec::new();
        if let Some(f) = forged.get(&d.key) {
            for issue in f {
                warnings.push(format!(
                    "issue #{} by @{} carries this item's marker but was not written by the syncing account; ignored",
                    issue.number, issue.author
                ));
            }
        }
        let found = ours.get(&d.key);
        if let Some(list) = found {
            if list.len() > 1 {
                let others: Vec<String> = list[1..]
                    .iter()
                    .map(|(i, _)| format!("#{}", i.number))
                    .collect();
                warnings.push(format!(
                    "issues {} carry the same key; #{} (the lowest number) is used",
                    others.join(", "),
                    list[0].0.number
                ));
            }
        }
        let entry = match found.and_then(|l| l.first()) {
            None => {
                if let Some(n) = d.linked_issue {
                    warnings.push(format!(
                        "the ID links issue #{n}, which does not carry this item's marker from the syncing account; a new issue is created"
                    ));
                }
                create_entry(d, &ctx.links, warnings)
            }
            Some((issue, m)) => update_entry(d, issue, m, &ctx.links, warnings),
        };
        entries.push(entry);
    }
    for s in skipped {
        if let Some(k) = &s.key {
            seen_keys.insert(k);
        }
        let issue = s
            .key
            .as_ref()
            .and_then(|k| ours.get(k))
            .and_then(|l| l.first())
            .map(|(i, _)| *i);
        entries.push(Entry {
            key: s.key.clone(),
            file: Some(s.file.clone()),
            line: s.line,
            action: Action::Skipped,
            issue: issue.map(|i| i.number),
            url: issue.map(|i| i.url.clone()),
            warnings: if s.blocking {
                Vec::new()
            } else {
                vec![s.reason.clone()]
            },
            error: s.blocking.then(|| s.reason.clone()),
            change: Change::None,
            blocking: s.blocking,
        });
    }
    entries.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    for (key, list) in &ours {
        if seen_keys.contains(key) {
            continue;
        }
        let in_scope = match &ctx.scope {
            OrphanScope::All => true,
            OrphanScope::Incidents(set) => set.contains(key.incident()),
        };
        if !in_scope {
            continue;
        }
        for (issue, _) in list {
            entries.push(Entry {
                key: Some(key.clone()),
                file: None,
                line: None,
                action: Action::Orphan,
                issue: Some(issue.number),
                url: Some(issue.url.clone()),
                warnings: vec![
                    "no action item has this key any more; the issue is left alone".into(),
                ],
                error: None,
                change: Change::None,
                blocking: false,
            });
        }
    }
    Plan { entries }
}

fn create_entry(d: &Desired, links: &Links, warnings: Vec<String>) -> Entry {
    let create = Create {
        key: d.key.clone(),
        title: render::title(&d.facts.id, &d.facts.description),
        labels: d.labels.clone(),
        assignees: d.owners.clone(),
        facts: d.facts.clone(),
        links: links.clone(),
        then: d.state.filter(|s| !s.is_open()),
    };
    Entry {
        key: Some(d.key.clone()),
        file: Some(d.file.clone()),
        line: Some(d.line),
        action: Action::Create,
        issue: None,
        url: None,
        warnings,
        error: None,
        change: Change::Create(Box::new(create)),
        blocking: false,
    }
}

fn update_entry(
    d: &Desired,
    issue: &CurrentIssue,
    m: &Marker,
    links: &Links,
    mut warnings: Vec<String>,
) -> Entry {
    let last = m.hashes;
    // A refusal stands while that login is still an owner.
    let refused: Vec<String> = m
        .refused
        .iter()
        .filter(|r| d.owners.iter().any(|o| o.eq_ignore_ascii_case(r)))
        .cloned()
        .collect();
    let assignees_d = minus(&d.owners, &refused);
    let title_d = render::title(&d.facts.id, &d.facts.description);
    let body_d = render::body(&d.facts, links, &assignees_d);

    let title = decide(
        title_d == issue.title,
        fp_title(&title_d).into(),
        fp_title(&issue.title).into(),
        last.map(|h| h.title.into()),
    );
    let body = decide(
        render::canonical_body(&body_d) == render::canonical_body(&issue.body),
        fp_body(&body_d).into(),
        fp_body(&issue.body).into(),
        last.map(|h| h.body.into()),
    );
    let assignees = decide(
        canon_set(&assignees_d) == canon_set(&issue.assignees),
        fp_logins(&assignees_d).into(),
        fp_logins(&issue.assignees).into(),
        last.map(|h| h.assignees.into()),
    );
    // Labels: the configured ones must all be there; others added by hand
    // are never removed.
    let present: Vec<String> = d
        .labels
        .iter()
        .filter(|l| issue.labels.iter().any(|x| x.eq_ignore_ascii_case(l)))
        .cloned()
        .collect();
    let labels = decide(
        present.len() == canon_set(&d.labels).len(),
        fp_labels(&d.labels).into(),
        fp_labels(&present).into(),
        last.map(|h| h.labels.into()),
    );
    let state_d = d.state.unwrap_or(issue.state);
    // State: a hand close or reopen stands until the item's status moves
    // it elsewhere; then the document wins, even over the hand change.
    let mut state = decide(
        state_d == issue.state,
        state_d.code().into(),
        issue.state.code().into(),
        last.map(|h| h.state.into()),
    );
    if state == Field3::Conflict {
        state = Field3::Write;
        warnings.push(format!(
            "the issue was {} by hand on GitHub; the item's status changed since, so it is now {}",
            if issue.state.is_open() {
                "reopened"
            } else {
                "closed"
            },
            state_d.describe()
        ));
    }

    let pick = |f: Field3, d: u64, l: Option<u64>| -> u64 {
        match f {
            Field3::InSync | Field3::Write => d,
            Field3::Drift | Field3::Conflict => l.unwrap_or(d),
        }
    };
    let new_hashes = FieldHashes {
        title: pick(
            title,
            fp_title(&title_d).into(),
            last.map(|h| h.title.into()),
        ) as u16,
        body: pick(body, fp_body(&body_d).into(), last.map(|h| h.body.into())) as u32,
        assignees: pick(
            assignees,
            fp_logins(&assignees_d).into(),
            last.map(|h| h.assignees.into()),
        ) as u16,
        labels: pick(
            labels,
            fp_labels(&d.labels).into(),
            last.map(|h| h.labels.into()),
        ) as u16,
        state: pick(state, state_d.code().into(), last.map(|h| h.state.into())) as u8,
    };

    for (name, f) in [
        ("title", title),
        ("body", body),
        ("assignees", assignees),
        ("labels", labels),
    ] {
        match f {
            Field3::Conflict => warnings.push(format!(
                "conflict: the {name} changed both in the document and on GitHub; left as GitHub has it"
            )),
            Field3::Drift => warnings.push(format!(
                "the {name} was edited on GitHub; kept (pmlint writes it again only when the document changes it)"
            )),
            _ => {}
        }
    }
    if state == Field3::Drift {
        warnings.push(format!(
            "the issue was {} by hand on GitHub while the document says {}; kept until the item's status changes",
            if issue.state.is_open() { "reopened" } else { "closed" },
            if d.facts.status.is_empty() { "otherwise" } else { &d.facts.status },
        ));
    }

    let writes = [title, body, assignees, labels, state].contains(&Field3::Write);
    let conflicts = [title, body, assignees, labels, state].contains(&Field3::Conflict);
    let base = Entry {
        key: Some(d.key.clone()),
        file: Some(d.file.clone()),
        line: Some(d.line),
        action: Action::Unchanged,
        issue: Some(issue.number),
        url: Some(issue.url.clone()),
        warnings,
        error: None,
        change: Change::None,
        blocking: false,
    };
    if !writes {
        return Entry {
            action: if conflicts {
                Action::Conflict
            } else {
                Action::Unchanged
            },
            ..base
        };
    }
    let new_marker = Marker {
        key: d.key.clone(),
        hashes: Some(new_hashes),
        refused: refused.clone(),
    };
    let write_body = body == Field3::Write;
    let body_base = if write_body {
        body_d.clone()
    } else {
        issue.body.clone()
    };
    let new_state = (state == Field3::Write).then_some(state_d);
    let action = match new_state {
        Some(s) if !s.is_open() && issue.state.is_open() => Action::Close,
        Some(s) if s.is_open() && !issue.state.is_open() => Action::Reopen,
        _ => Action::Update,
    };
    let mut labels_out = None;
    if labels == Field3::Write {
        let mut all = issue.labels.clone();
        for l in &d.labels {
            if !all.iter().any(|x| x.eq_ignore_ascii_case(l)) {
                all.push(l.clone());
            }
        }
        labels_out = Some(all);
    }
    let patch = Patch {
        number: issue.number,
        title: (title == Field3::Write).then(|| title_d.clone()),
        labels: labels_out,
        assignees: (assignees == Field3::Write).then(|| assignees_d.clone()),
        state: new_state,
        body: marker::replace(&body_base, &new_marker),
        refusal: Some(Box::new(Refusal {
            facts: d.facts.clone(),
            links: links.clone(),
            write_body,
            current_body: issue.body.clone(),
            marker: new_marker.clone(),
        })),
    };
    Entry {
        action,
        change: Change::Patch(Box::new(patch)),
        ..base
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn links() -> Links {
        Links {
            server_url: "https://github.com".into(),
            repo: "acme/ops".into(),
            sha: "abc123".into(),
        }
    }

    pub fn item(id: &str, status: &str, owner: &str) -> Desired {
        let state = match status {
            "Done" => IssueState::Completed,
            "Won't Do" => IssueState::NotPlanned,
            _ => IssueState::Open,
        };
        Desired {
            key: IssueKey::new("INC-1", id),
            file: "pm.md".into(),
            line: 10 + id.len(),
            facts: ItemFacts {
                id: id.into(),
                description: format!("Fix the thing {id}"),
                owner: owner.into(),
                due: "2025-08-01".into(),
                status: status.into(),
                incident_title: Some("Outage".into()),
                incident_id: Some("INC-1".into()),
                path: "pm.md".into(),
                line: 12,
            },
            owners: owner
                .strip_prefix('@')
                .map(|o| vec![o.to_string()])
                .unwrap_or_default(),
            state: Some(state),
            labels: vec!["postmortem".into(), "action-item".into()],
            linked_issue: None,
        }
    }

    pub fn ctx() -> PlanContext {
        PlanContext {
            links: links(),
            syncer: Syncer::Login("bot".into()),
            scope: OrphanScope::Incidents(["INC-1".to_string()].into()),
        }
    }

    /// Applies a plan to an in-memory GitHub, as the API would.
    pub fn apply(plan: &Plan, issues: &mut Vec<CurrentIssue>, refuse: &[&str]) {
        for e in &plan.entries {
            match &e.change {
                Change::None => {}
                Change::Create(c) => {
                    let refused: Vec<String> = c
                        .assignees
                        .iter()
                        .filter(|a| refuse.contains(&a.as_str()))
                        .cloned()
                        .collect();
                    let (body, m) = c.render(&refused);
                    let number = issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
                    issues.push(CurrentIssue {
                        number,
                        title: c.title.clone(),
                        body: body.clone(),
                        state: IssueState::Open,
                        labels: c.labels.clone(),
                        assignees: c.assignees_without(&refused),
                        author: "bot".into(),
                        url: format!("https://github.com/acme/ops/issues/{number}"),
                    });
                    if let Some(p) = c.close_patch(number, &body, &m) {
                        patch(issues, &p, refuse);
                    }
                }
                Change::Patch(p) => patch(issues, p, refuse),
            }
        }
    }

    fn patch(issues: &mut [CurrentIssue], p: &Patch, refuse: &[&str]) {
        let p = match &p.assignees {
            Some(a) if a.iter().any(|x| refuse.contains(&x.as_str())) => {
                p.without_assignees().expect("assignees to drop")
            }
            _ => p.clone(),
        };
        let i = issues.iter_mut().find(|i| i.number == p.number).unwrap();
        if let Some(t) = &p.title {
            i.title = t.clone();
        }
        if let Some(l) = &p.labels {
            i.labels = l.clone();
        }
        if let Some(a) = &p.assignees {
            i.assignees = a.clone();
        }
        if let Some(s) = p.state {
            i.state = s;
        }
        i.body = p.body.clone();
    }

    fn actions(plan: &Plan) -> Vec<(String, Action)> {
        plan.entries
            .iter()
            .map(|e| {
                (
                    e.key.as_ref().map(|k| k.to_string()).unwrap_or_default(),
                    e.action,
                )
            })
            .collect()
    }

    fn synced(items: &[Desired]) -> Vec<CurrentIssue> {
        let mut issues = Vec::new();
        apply(&plan(items, &[], &issues, &ctx()), &mut issues, &[]);
        issues
    }

    #[test]
    fn new_items_are_created_with_title_labels_assignee_and_marker() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let p = plan(&items, &[], &[], &ctx());
        assert_eq!(actions(&p), [("INC-1/PM-AI-001".into(), Action::Create)]);
        let Change::Create(c) = &p.entries[0].change else {
            panic!("create")
        };
        assert_eq!(c.title, "PM-AI-001: Fix the thing PM-AI-001");
        assert_eq!(c.assignees, ["alice"]);
        assert_eq!(c.labels, ["postmortem", "action-item"]);
        let (body, m) = c.render(&[]);
        assert_eq!(m.key.as_str(), "INC-1/PM-AI-001");
        assert!(body.ends_with(&format!("{}\n", m.render())));
        assert!(c.then.is_none());
    }

    #[test]
    fn a_second_plan_after_applying_is_empty() {
        let items = [
            item("PM-AI-001", "Open", "@alice"),
            item("PM-AI-002", "Done", "@bob"),
            item("PM-AI-003", "Won't Do", ""),
            item("PM-AI-004", "In Progress", "@carol"),
        ];
        let issues = synced(&items);
        assert_eq!(issues.len(), 4);
        assert_eq!(issues[1].state, IssueState::Completed);
        assert_eq!(issues[2].state, IssueState::NotPlanned);
        let again = plan(&items, &[], &issues, &ctx());
        assert!(!again.has_writes(), "{:?}", actions(&again));
        assert!(again.entries.iter().all(|e| e.action == Action::Unchanged));
        assert!(again.entries.iter().all(|e| e.warnings.is_empty()));
    }

    #[test]
    fn planning_again_after_any_change_converges() {
        // Property: for every combination of document changes, applying
        // the plan leaves nothing to do.
        let statuses = ["Open", "Done", "Won't Do", "Blocked"];
        let owners = ["@alice", "@bob", "", "Jane Doe"];
        for (si, s) in statuses.iter().enumerate() {
            for (oi, o) in owners.iter().enumerate() {
                for desc_change in [false, true] {
                    let before = [item(
                        "PM-AI-001",
                        statuses[(si + 1) % 4],
                        owners[(oi + 1) % 4],
                    )];
                    let mut issues = synced(&before);
                    let mut after = item("PM-AI-001", s, o);
                    if desc_change {
                        after.facts.description = "Something else entirely".into();
                    }
                    let after = [after];
                    let p = plan(&after, &[], &issues, &ctx());
                    apply(&p, &mut issues, &["bob"]);
                    let again = plan(&after, &[], &issues, &ctx());
                    assert!(
                        !again.has_writes(),
                        "{s} {o} {desc_change}: {:?} {:?}",
                        actions(&again),
                        again.entries[0].warnings
                    );
                    assert_eq!(again.entries[0].action, Action::Unchanged);
                }
            }
        }
    }

    #[test]
    fn a_changed_description_is_one_patch_of_title_and_body() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let issues = synced(&items);
        items[0].facts.description = "Fix it better".into();
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Update);
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("patch")
        };
        assert_eq!(patch.title.as_deref(), Some("PM-AI-001: Fix it better"));
        assert!(patch.body.starts_with("Fix it better"));
        assert_eq!(patch.assignees, None);
        assert_eq!(patch.labels, None);
        assert_eq!(patch.state, None);
    }

    #[test]
    fn done_closes_completed_and_wont_do_closes_not_planned_in_one_patch() {
        for (status, state, reason) in [
            ("Done", IssueState::Completed, "completed"),
            ("Won't Do", IssueState::NotPlanned, "not_planned"),
        ] {
            let mut items = [item("PM-AI-001", "Open", "@alice")];
            let issues = synced(&items);
            items[0].facts.status = status.into();
            items[0].state = Some(state);
            let p = plan(&items, &[], &issues, &ctx());
            assert_eq!(p.entries[0].action, Action::Close);
            let Change::Patch(patch) = &p.entries[0].change else {
                panic!("patch")
            };
            assert_eq!(patch.state, Some(state));
            assert_eq!(state.api(), ("closed", Some(reason)));
            // The body's status row changes in the same request.
            assert!(patch.body.contains(&format!("| **Status** | {status} |")));
        }
    }

    #[test]
    fn an_item_reopened_in_the_document_reopens_its_issue() {
        let mut items = [item("PM-AI-001", "Done", "@alice")];
        let issues = synced(&items);
        assert_eq!(issues[0].state, IssueState::Completed);
        items[0] = item("PM-AI-001", "Open", "@alice");
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Reopen);
    }

    #[test]
    fn hand_edits_on_github_survive_and_are_reported() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].assignees = vec!["dave".into()];
        issues[0].title = "Better title by hand".into();
        issues[0].state = IssueState::Completed;
        issues[0].labels.push("p1".into());
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Unchanged);
        assert!(!p.has_writes());
        let w = p.entries[0].warnings.join("\n");
        assert!(w.contains("assignees was edited on GitHub"), "{w}");
        assert!(w.contains("title was edited on GitHub"), "{w}");
        assert!(w.contains("closed by hand"), "{w}");
    }

    #[test]
    fn a_document_change_writes_only_the_changed_field_over_hand_edits() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].assignees = vec!["dave".into()];
        items[0].facts.due = "2025-09-01".into();
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("patch")
        };
        assert_eq!(patch.assignees, None, "the hand-edited assignee is kept");
        assert!(patch.body.contains("2025-09-01"));
        apply(&p, &mut issues, &[]);
        assert_eq!(issues[0].assignees, ["dave"]);
        // Still kept on the next run.
        assert!(!plan(&items, &[], &issues, &ctx()).has_writes());
    }

    #[test]
    fn a_field_changed_on_both_sides_is_a_conflict_left_as_github_has_it() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].title = "Edited by hand".into();
        items[0].facts.description = "Edited in the document".into();
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("the body still changes")
        };
        assert_eq!(patch.title, None);
        assert!(p.entries[0]
            .warnings
            .iter()
            .any(|w| w.contains("conflict: the title")));
        apply(&p, &mut issues, &[]);
        let again = plan(&items, &[], &issues, &ctx());
        assert_eq!(again.entries[0].action, Action::Conflict);
        assert!(!again.has_writes());
        assert_eq!(issues[0].title, "Edited by hand");
    }

    #[test]
    fn a_hand_closed_issue_stays_closed_until_the_status_changes() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].state = IssueState::Completed;
        assert!(!plan(&items, &[], &issues, &ctx()).has_writes());
        items[0] = item("PM-AI-001", "Blocked", "@alice");
        let p = plan(&items, &[], &issues, &ctx());
        // Blocked is still open: the body's status row changes, the
        // hand-closed state stays.
        assert_eq!(p.entries[0].action, Action::Update);
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("the body's status row changes")
        };
        assert_eq!(patch.state, None);
        assert!(p.entries[0]
            .warnings
            .iter()
            .any(|w| w.contains("closed by hand")));
        apply(&p, &mut issues, &[]);
        // Reopened by hand, then Done in the document: closed.
        issues[0].state = IssueState::Open;
        items[0] = item("PM-AI-001", "Done", "@alice");
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Close);
    }

    #[test]
    fn a_status_change_wins_over_a_hand_closed_state() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].state = IssueState::NotPlanned;
        items[0] = item("PM-AI-001", "Done", "@alice");
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("patch")
        };
        assert_eq!(patch.state, Some(IssueState::Completed));
        assert!(p.entries[0].warnings[0].contains("closed by hand"));
        apply(&p, &mut issues, &[]);
        assert!(!plan(&items, &[], &issues, &ctx()).has_writes());
    }

    #[test]
    fn markers_count_only_on_issues_by_the_syncing_account() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].author = "mallory".into();
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Create);
        assert!(p.entries[0].warnings[0].contains("by @mallory"));
        // Unknown account (anonymous dry run): any author counts.
        let anon = PlanContext {
            syncer: Syncer::Anyone,
            ..ctx()
        };
        assert_eq!(
            plan(&items, &[], &issues, &anon).entries[0].action,
            Action::Unchanged
        );
    }

    #[test]
    fn an_installation_token_recognises_bot_authors_only() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        let bots = PlanContext {
            syncer: Syncer::AnyBot,
            ..ctx()
        };
        issues[0].author = "github-actions[bot]".into();
        assert_eq!(
            plan(&items, &[], &issues, &bots).entries[0].action,
            Action::Unchanged
        );
        issues[0].author = "mallory".into();
        assert_eq!(
            plan(&items, &[], &issues, &bots).entries[0].action,
            Action::Create
        );
    }

    #[test]
    fn duplicates_of_a_key_use_the_lowest_number_and_are_reported() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        let mut dup = issues[0].clone();
        dup.number = 7;
        issues.insert(0, dup);
        issues[1].number = 3;
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries.len(), 1);
        assert_eq!(p.entries[0].issue, Some(3));
        assert!(p.entries[0].warnings[0].contains("#7"));
    }

    #[test]
    fn issues_whose_item_vanished_are_orphans_within_the_run_scope() {
        let items = [
            item("PM-AI-001", "Open", "@alice"),
            item("PM-AI-002", "Open", ""),
        ];
        let issues = synced(&items);
        let p = plan(&items[..1], &[], &issues, &ctx());
        assert_eq!(
            actions(&p),
            [
                ("INC-1/PM-AI-001".into(), Action::Unchanged),
                ("INC-1/PM-AI-002".into(), Action::Orphan)
            ]
        );
        assert!(!p.has_writes());
        let other = PlanContext {
            scope: OrphanScope::Incidents(["INC-2".to_string()].into()),
            ..ctx()
        };
        assert_eq!(plan(&items[..1], &[], &issues, &other).entries.len(), 1);
        // A skipped item is not an orphan.
        let skipped = [Skipped {
            key: Some(IssueKey::new("INC-1", "PM-AI-002")),
            file: "pm.md".into(),
            line: Some(20),
            reason: "status `Later` is not allowed".into(),
            blocking: true,
        }];
        let p = plan(&items[..1], &skipped, &issues, &ctx());
        assert_eq!(p.count(Action::Orphan), 0);
        assert_eq!(p.entries[1].action, Action::Skipped);
        assert_eq!(p.entries[1].issue, Some(2));
    }

    #[test]
    fn a_refused_assignee_is_recorded_and_not_retried() {
        let items = [item("PM-AI-001", "Open", "@ghost")];
        let mut issues = Vec::new();
        apply(&plan(&items, &[], &issues, &ctx()), &mut issues, &["ghost"]);
        assert!(issues[0].assignees.is_empty());
        let (m, _) = marker::find(&issues[0].body).unwrap();
        assert_eq!(m.refused, ["ghost"]);
        assert!(
            issues[0].body.contains("`@ghost`"),
            "no bare mention of a refused login"
        );
        assert!(!plan(&items, &[], &issues, &ctx()).has_writes());
        // A new owner is tried.
        let items = [item("PM-AI-001", "Open", "@alice")];
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("patch")
        };
        assert_eq!(patch.assignees.as_deref(), Some(&["alice".to_string()][..]));
    }

    #[test]
    fn an_item_finished_before_its_first_sync_is_created_then_closed() {
        let items = [item("PM-AI-001", "Won't Do", "@alice")];
        let p = plan(&items, &[], &[], &ctx());
        let Change::Create(c) = &p.entries[0].change else {
            panic!("create")
        };
        assert_eq!(c.then, Some(IssueState::NotPlanned));
    }

    #[test]
    fn without_close_done_the_state_is_left_alone() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let issues = synced(&items);
        items[0].facts.status = "Done".into();
        items[0].state = None;
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("the status row changes")
        };
        assert_eq!(patch.state, None);
        assert_eq!(p.entries[0].action, Action::Update);
    }

    #[test]
    fn a_new_commit_or_a_moved_row_does_not_rewrite_the_issue() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let issues = synced(&items);
        items[0].facts.line = 99;
        items[0].line = 99;
        let mut c = ctx();
        c.links.sha = "fff999".into();
        assert!(!plan(&items, &[], &issues, &c).has_writes());
    }

    #[test]
    fn a_marker_without_hash_lets_the_document_win() {
        let items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].title = "old".into();
        issues[0].body = "<!-- pmlint:item key=\"INC-1/PM-AI-001\" -->".into();
        let p = plan(&items, &[], &issues, &ctx());
        assert_eq!(p.entries[0].action, Action::Update);
        let mut after = issues.clone();
        apply(&p, &mut after, &[]);
        assert!(!plan(&items, &[], &after, &ctx()).has_writes());
    }

    #[test]
    fn a_new_configured_label_is_added_without_removing_others() {
        let mut items = [item("PM-AI-001", "Open", "@alice")];
        let mut issues = synced(&items);
        issues[0].labels.push("p1".into());
        items[0].labels.push("sre".into());
        let p = plan(&items, &[], &issues, &ctx());
        let Change::Patch(patch) = &p.entries[0].change else {
            panic!("patch")
        };
        assert_eq!(
            patch.labels.as_deref(),
            Some(&["postmortem", "action-item", "p1", "sre"].map(String::from)[..])
        );
    }
}
