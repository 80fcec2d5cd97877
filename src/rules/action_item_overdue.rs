use super::prelude::*;
use crate::document::action_items::is_finished;
use crate::time::parse_date;
use std::fmt::Write as _;

declare_rule! {
    /// ## What it does
    /// Reports an action item whose target date is before today (`--today`
    /// or the system date) and whose status is anything but Done or Won't
    /// Do — an invalid status too. A ticked task box counts as Done. A date
    /// that does not parse, or that lies before the incident started, is
    /// `action-item-due-date`'s finding and not also overdue.
    ///
    /// ## Why is this bad?
    /// Overdue follow-ups are how the same incident happens twice; the
    /// review should say whether the date moved or the work was dropped.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2024-01-15 | Open |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2024-01-15 | Done |
    /// ```
    RULE {
        id: "action-item-overdue",
        default: Warning,
        summary: "an open action item is past its target date",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let start = ctx.incident().start_stamp().map(|s| s.local.date());
    for item in &ctx.doc.action_items {
        let Some(due) = &item.due else { continue };
        let Some(date) = parse_date(&due.text) else {
            continue;
        };
        if start.is_some_and(|s| date < s) || date >= ctx.today || is_finished(item) {
            continue;
        }
        let status = match &item.status {
            Some(s) if !s.is_blank() => s.text.trim(),
            _ => "open",
        };
        // Sized for the whole message up front (`format!` guesses short
        // and grows the string): " was due ", " and is still " and a date
        // of at most 13 chars.
        let name = item.name();
        let mut message = String::with_capacity(name.len() + status.len() + 36);
        // Writing to a `String` cannot fail.
        let _ = write!(message, "{name} was due {date} and is still {status}");
        out.push(
            Diagnostic::new(RULE.id, due.span.clone(), message)
                .with_suggestion("finish it and mark it Done, or agree a new target date"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    // test_util's today is 2025-08-01.
    const HEAD: &str = "## Action Items\n\n| ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n";

    #[test]
    fn open_item_past_its_date_is_overdue() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | @a | 2025-07-31 | Open |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["2025-07-31"]);
        assert_eq!(d[0].message, "PM-AI-1 was due 2025-07-31 and is still Open");
    }

    #[test]
    fn invalid_status_is_overdue_too() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | @a | 2025-07-01 | Closed |\n");
        assert_eq!(run(&RULE, &text).len(), 1);
    }

    #[test]
    fn done_wont_do_ticked_and_due_today_are_not_overdue() {
        let text = format!("{HEAD}| PM-AI-1 | a | @a | 2025-07-01 | done |\n| PM-AI-2 | b | @a | 2025-07-01 | Won't Do |\n| PM-AI-3 | c | @a | 2025-08-01 | Open |\n\n- [x] PM-AI-4: Add d — owner: @a, due: 2025-07-01\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn unparseable_date_is_left_to_due_date_rule() {
        let text = format!("{HEAD}| PM-AI-1 | a | @a | 2025-02-30 | Open |\n");
        assert!(run(&RULE, &text).is_empty());
    }
}
