use super::facts::RowInstant;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a timeline row that is earlier than the row before it. A
    /// time-only row takes the incident start's date and zone (or the zone
    /// in a `Time (UTC)` header) and rolls over midnight when the times go
    /// back by more than 12 hours (`23:50` then `00:10` is the next day); a
    /// row with a full date sets the date for the rows after it. Rows whose
    /// time does not parse are skipped (`timeline-time` reports them).
    ///
    /// ## Why is this bad?
    /// Readers follow the timeline top to bottom to understand cause and
    /// effect; a row out of place usually means a typo in its time.
    ///
    /// ## Example
    /// ```markdown
    /// | Time (UTC) | Event Description | Responsible Party |
    /// |------------|-------------------|-------------------|
    /// | 14:05 | Alert fired | Monitoring |
    /// | 14:40 | Rollback started | On-call engineer |
    /// | 14:20 | Incident call opened | Incident commander |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Time (UTC) | Event Description | Responsible Party |
    /// |------------|-------------------|-------------------|
    /// | 14:05 | Alert fired | Monitoring |
    /// | 14:20 | Incident call opened | Incident commander |
    /// | 14:40 | Rollback started | On-call engineer |
    /// ```
    RULE {
        id: "timeline-order",
        default: Warning,
        summary: "timeline rows are not in chronological order",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut prev: Option<(RowInstant, &str)> = None;
    for row in &ctx.incident().timeline {
        let Ok(cur) = row.value else { continue };
        if let Some((p, p_text)) = prev {
            // Rows on a stand-in date (no start known) are only compared
            // with each other.
            if p.anchored == cur.anchored && cur.utc < p.utc {
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        row.span.clone(),
                        format!(
                            "Timeline row `{}` is earlier than the row before it (`{p_text}`)",
                            row.text(ctx.doc)
                        ),
                    )
                    .with_suggestion(
                        "put the rows in chronological order, or give this row its full date \
                         (`YYYY-MM-DD HH:MM`) if it happened on another day",
                    ),
                );
            }
        }
        prev = Some((cur, row.text(ctx.doc)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    fn doc(start: &str, cells: &[&str]) -> String {
        let mut s = format!("---\nincident_start_time: {start}\n---\n## 2. Timeline\n\n| Time | Event |\n|---|---|\n");
        for c in cells {
            s.push_str(&format!("| {c} | something happened |\n"));
        }
        s
    }

    #[test]
    fn chronological_rows_pass() {
        let text = doc(
            "2025-07-18 14:00 UTC",
            &["14:05", "14:05", "14:20", "15:52"],
        );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn a_row_going_back_is_reported_at_its_time_cell() {
        let text = doc(
            "2025-07-18 14:00 UTC",
            &["14:05", "14:40", "14:20", "14:50"],
        );
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["14:20"]);
        assert!(d[0].message.contains("(`14:40`)"));
    }

    #[test]
    fn time_only_rows_roll_over_midnight() {
        let text = doc(
            "2025-07-18 23:30 UTC",
            &["23:40", "23:55", "00:10", "01:00"],
        );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn a_full_date_row_sets_the_date_for_later_rows() {
        let text = doc(
            "2025-07-18 10:00 UTC",
            &["10:05", "2025-07-19 09:00", "09:30", "2025-07-19 09:10"],
        );
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["2025-07-19 09:10"]);
    }

    #[test]
    fn rows_in_different_zones_compare_as_instants() {
        // 16:30 +02:00 is 14:30 UTC, after 14:20 UTC.
        let text = doc("2025-07-18 14:00 UTC", &["14:20", "16:30 +02:00", "14:25"]);
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["14:25"]);
    }

    #[test]
    fn unparseable_rows_are_skipped() {
        let text = doc("2025-07-18 14:00 UTC", &["14:05", "HH:MM", "14:10"]);
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn without_a_start_rows_are_still_ordered() {
        let text = "## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | a |\n| 09:00 | b |\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }
}
