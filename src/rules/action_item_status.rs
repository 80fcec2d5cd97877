use super::missing_column::MissingColumn;
use super::prelude::*;
use crate::document::action_items::{normalize_status, status_is, with_status_key};

declare_rule! {
    /// ## What it does
    /// Reports an action item whose status is not one of
    /// `action_item_statuses` (default Open, In Progress, Blocked, Done,
    /// Won't Do). Matching ignores case, extra blanks, typographic
    /// apostrophes and a leading or trailing emoji (`✅ Done`). A task-list
    /// item's box is its status (ticked means Done) unless it also writes
    /// `status: …`. A table without a Status column is one finding at its
    /// header row.
    ///
    /// ## Why is this bad?
    /// Sync and the overdue check read the status; a status outside the
    /// list cannot be mapped to an open or closed issue.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | WIP |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | In Progress |
    /// ```
    RULE {
        id: "action-item-status",
        default: Error,
        summary: "an action item's status is not an allowed one",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let allowed = &ctx.settings.action_item_statuses;
    let allowed_keys = ctx.settings.action_item_status_keys();
    // Built on first use: most documents have no finding to list them in.
    let list = std::cell::OnceCell::new();
    let list = || list.get_or_init(|| allowed.join(", ")).as_str();
    let mut missing_column = MissingColumn::default();
    for item in &doc.action_items {
        let status = match &item.status {
            Some(f) if !f.is_blank() => f,
            _ if item.checked.is_some() => continue,
            other => {
                if other.is_none()
                    && missing_column.check(
                        doc,
                        item,
                        |c| c.status,
                        RULE.id,
                        "Status",
                        format!("add a `Status` column ({})", list()),
                        out,
                    )
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        item.anchor.clone(),
                        format!("{} has no status", item.name()),
                    )
                    .with_suggestion(format!("set one of: {}", list())),
                );
                continue;
            }
        };
        if with_status_key(&status.text, |key| allowed_keys.iter().any(|a| a == key)) {
            continue;
        }
        let n = normalize_status(&status.text);
        let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
        let close = allowed
            .iter()
            .find(|a| squash(&normalize_status(a)) == squash(&n))
            .or_else(|| synonym_of(&n, allowed));
        let fix = match close {
            Some(a) => format!("write `{a}`"),
            None => format!("use one of: {}", list()),
        };
        out.push(
            Diagnostic::new(
                RULE.id,
                status.span.clone(),
                format!(
                    "Status `{}` of {} is not allowed",
                    status.text.trim(),
                    item.name()
                ),
            )
            .with_suggestion(fix),
        );
    }
}

/// Common words for the default statuses, so that `To Do` suggests `Open`.
/// Only statuses that the configuration allows are suggested.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "open",
        &[
            "to do",
            "todo",
            "not started",
            "new",
            "planned",
            "backlog",
            "pending",
            "proposed",
            "ready",
        ],
    ),
    (
        "in progress",
        &[
            "wip",
            "started",
            "ongoing",
            "doing",
            "in review",
            "active",
            "underway",
        ],
    ),
    ("blocked", &["on hold", "waiting", "stalled", "paused"]),
    (
        "done",
        &[
            "complete",
            "completed",
            "closed",
            "fixed",
            "resolved",
            "finished",
            "shipped",
            "implemented",
        ],
    ),
    (
        "won't do",
        &[
            "wontfix",
            "won't fix",
            "cancelled",
            "canceled",
            "dropped",
            "rejected",
            "not planned",
            "obsolete",
        ],
    ),
];

fn synonym_of<'a>(status: &str, allowed: &'a [String]) -> Option<&'a String> {
    let (canonical, _) = SYNONYMS.iter().find(|(_, words)| words.contains(&status))?;
    allowed.iter().find(|a| status_is(a, canonical))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    const HEAD: &str =
        "## Action Items\n\n| ID | Description | Owner | Status |\n|---|---|---|---|\n";

    #[test]
    fn unknown_status_is_reported_with_the_list() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | @a | WIP |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["WIP"]);
        assert_eq!(d[0].message, "Status `WIP` of PM-AI-1 is not allowed");
    }

    #[test]
    fn status_matching_is_case_insensitive_and_tolerates_emoji_and_curly_apostrophes() {
        let text = format!("{HEAD}| PM-AI-1 | a | @a | in progress |\n| PM-AI-2 | b | @a | ✅ DONE |\n| PM-AI-3 | c | @a | Won’t Do |\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn near_miss_suggests_the_configured_spelling() {
        let text = format!("{HEAD}| PM-AI-1 | a | @a | In-Progress |\n");
        let d = run(&RULE, &text);
        assert_eq!(d[0].suggestion.as_deref(), Some("write `In Progress`"));
    }

    #[test]
    fn common_synonyms_suggest_the_allowed_status_they_mean() {
        let text =
            format!("{HEAD}| PM-AI-1 | a | @a | To Do |\n| PM-AI-2 | b | @a | Completed |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["To Do", "Completed"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("write `Open`"));
        assert_eq!(d[1].suggestion.as_deref(), Some("write `Done`"));
    }

    #[test]
    fn task_box_is_a_status_but_an_explicit_one_is_checked() {
        let text = "## Action Items\n\n- [x] PM-AI-1: Add a canary stage — owner: @a\n- [ ] PM-AI-2: Add b stage — owner: @a, status: Later\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["Later"]);
    }

    #[test]
    fn empty_status_cell_is_missing() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | @a |  |\n");
        assert_eq!(run(&RULE, &text)[0].message, "PM-AI-1 has no status");
    }
}
