use super::missing_column::MissingColumn;
use super::prelude::*;
use crate::document::action_items::is_unset_value;
use crate::time::{has_date_shape, parse_date};

declare_rule! {
    /// ## What it does
    /// Reports an action item whose target date is missing, is not written
    /// `YYYY-MM-DD` (including the template's literal `YYYY-MM-DD`, which is
    /// this rule's finding only), names no such day (`2026-06-31`), or lies
    /// before the incident started (`incident_start_time`, in its own time
    /// zone). A table without a Target Date column is one finding at its
    /// header row.
    ///
    /// ## Why is this bad?
    /// An undated item has no point at which anyone notices it slipped;
    /// a date in another format cannot be checked for being overdue.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | next sprint | Open |
    /// | PM-AI-002 | Write the rollback runbook | @bob | 2025-06-31 | Open |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | Open |
    /// | PM-AI-002 | Write the rollback runbook | @bob | 2025-06-30 | Open |
    /// ```
    RULE {
        id: "action-item-due-date",
        default: Error,
        summary: "an action item's target date is missing, malformed, or before the incident",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

const FIX: &str = "write the target date as `YYYY-MM-DD`, e.g. `2025-08-01`";

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let start = ctx.incident().start_stamp().map(|s| s.local.date());
    let mut missing_column = MissingColumn::default();
    for item in &doc.action_items {
        // Named only in a finding: most items have a good date.
        let name = || item.name();
        let due = match &item.due {
            Some(f) if !f.is_blank() => f,
            Some(_) | None => {
                if item.due.is_none()
                    && missing_column.check(
                        doc,
                        item,
                        |c| c.due,
                        RULE.id,
                        "Target Date",
                        "add a `Target Date` column",
                        out,
                    )
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        item.anchor.clone(),
                        format!("{} has no target date", name()),
                    )
                    .with_suggestion(FIX),
                );
                continue;
            }
        };
        let value = due.text.trim();
        let diag = |message: String, fix: String| {
            Diagnostic::new(RULE.id, due.span.clone(), message).with_suggestion(fix)
        };
        if value.eq_ignore_ascii_case("YYYY-MM-DD") {
            out.push(diag(
                format!(
                    "Target date of {} is still the template's `YYYY-MM-DD`",
                    name()
                ),
                FIX.into(),
            ));
        } else if is_unset_value(value) {
            out.push(diag(
                format!("Target date `{value}` of {} is a placeholder", name()),
                FIX.into(),
            ));
        } else if let Some(date) = parse_date(value) {
            if let Some(start) = start.filter(|s| date < *s) {
                out.push(diag(
                    format!(
                        "Target date {value} of {} is before the incident started ({start})",
                        name()
                    ),
                    "set a date after the incident; check the year".into(),
                ));
            }
        } else if has_date_shape(value) {
            // `YYYY-MM-DD` that did not parse: the day does not exist.
            out.push(diag(
                format!("Target date `{value}` of {} is not a real day", name()),
                "check the month's length (and leap years)".into(),
            ));
        } else {
            let fix = match reformat(value) {
                Some(iso) => format!("write it as `{iso}`"),
                None => FIX.into(),
            };
            out.push(diag(
                format!(
                    "Target date `{value}` of {} is not a `YYYY-MM-DD` date",
                    name()
                ),
                fix,
            ));
        }
    }
}

/// An unambiguous date in another format, rewritten as `YYYY-MM-DD`.
fn reformat(value: &str) -> Option<String> {
    const FORMATS: &[&str] = &[
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d %Y",
        "%b %d %Y",
    ];
    FORMATS
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(value, f).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    const FM: &str = "---\ntitle: t\nincident_start_time: 2025-07-18 10:00 UTC\n---\n";
    const HEAD: &str =
        "## Action Items\n\n| ID | Description | Owner | Target Date |\n|---|---|---|---|\n";

    #[test]
    fn impossible_day_is_a_due_date_error() {
        let text = format!("{FM}{HEAD}| PM-AI-1 | Add a | @a | 2026-06-31 |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["2026-06-31"]);
        assert!(d[0].message.contains("not a real day"));
    }

    #[test]
    fn template_literal_is_reported_once_by_this_rule() {
        let text = format!("{FM}{HEAD}| PM-AI-1 | Add a | @a | YYYY-MM-DD |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["YYYY-MM-DD"]);
    }

    #[test]
    fn other_formats_are_reported_with_a_rewrite() {
        let text = format!("{FM}{HEAD}| PM-AI-1 | Add a | @a | 2025/08/01 |\n| PM-AI-2 | Add b | @a | next sprint |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["2025/08/01", "next sprint"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("write it as `2025-08-01`"));
    }

    #[test]
    fn date_before_incident_start_is_reported() {
        let text = format!("{FM}{HEAD}| PM-AI-1 | Add a | @a | 2025-07-17 |\n| PM-AI-2 | Add b | @a | 2025-07-18 |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["2025-07-17"]);
    }

    #[test]
    fn missing_date_points_at_the_row() {
        let text = format!("{FM}{HEAD}| PM-AI-1 | Add a | @a |  |\n");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), [9]);
        assert_eq!(d[0].message, "PM-AI-1 has no target date");
    }

    #[test]
    fn valid_dates_pass_even_without_front_matter() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | @a | 2025-08-01 |\n");
        assert!(run(&RULE, &text).is_empty());
    }
}
