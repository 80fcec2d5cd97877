use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an `incident_end_time` before `incident_start_time`, and a
    /// review `date` before the day the incident ended (compared with the
    /// end's local date; when the end is unusable, with the start's). The
    /// finding points at the value that is out of order: the end time, or
    /// the review date. Times with an ambiguous zone are not compared.
    ///
    /// ## Why is this bad?
    /// Swapped or mistyped times make the duration, the timeline checks and
    /// every reader's picture of the incident wrong.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// date: 2025-07-17
    /// incident_start_time: 2025-07-18 15:52 UTC
    /// incident_end_time: 2025-07-18 14:05 UTC
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// date: 2025-07-21
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// ---
    /// ```
    RULE {
        id: "incident-window",
        default: Error,
        summary: "the incident ends before it starts, or is reviewed before it ended",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident();
    let start = incident.start_stamp();
    let end = incident.end_stamp();
    if let (Some(s), Some(e), Some(end_value)) = (start, end, &incident.end) {
        if e.utc < s.utc {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    end_value.span.clone(),
                    format!(
                        "Incident ends (`{}`) before it starts (`{}`)",
                        end_value.raw,
                        incident.start.as_ref().map(|p| &*p.raw).unwrap_or("")
                    ),
                )
                .with_suggestion(
                    "check the dates and time zones of `incident_start_time` and `incident_end_time`",
                ),
            );
        }
    }
    let Some(review) = &incident.review_date else {
        return;
    };
    let Ok(review_date) = review.value else {
        return;
    };
    let (bound, what) = match (end, start) {
        (Some(e), _) => (e.local.date(), "ended"),
        (None, Some(s)) => (s.local.date(), "started"),
        (None, None) => return,
    };
    if review_date < bound {
        out.push(
            Diagnostic::new(
                RULE.id,
                review.span.clone(),
                format!("Review date `{review_date}` is before the incident {what} (`{bound}`)"),
            )
            .with_suggestion(format!(
                "set `date` to the day of the review, on or after {bound}"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    fn doc(date: &str, start: &str, end: &str) -> String {
        format!("---\ntitle: t\ndate: {date}\nincident_start_time: {start}\nincident_end_time: {end}\n---\n")
    }

    #[test]
    fn ordered_window_passes() {
        let text = doc("2025-07-18", "2025-07-18 14:05 UTC", "2025-07-18 15:52 UTC");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn end_before_start_points_at_the_end_time() {
        let text = doc("2025-07-21", "2025-07-18 15:52 UTC", "2025-07-18 14:05 UTC");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![5]);
        assert_eq!(flagged(&text, &d), vec!["2025-07-18 14:05 UTC"]);
    }

    #[test]
    fn end_compared_as_instants_across_zones() {
        // 16:00 +02:00 is 14:00 UTC, before 15:00 UTC.
        let text = doc(
            "2025-07-21",
            "2025-07-18 15:00 UTC",
            "2025-07-18 16:00 +02:00",
        );
        assert_eq!(run(&RULE, &text).len(), 1);
        let ok = doc(
            "2025-07-21",
            "2025-07-18 15:00 UTC",
            "2025-07-18 18:00 +02:00",
        );
        assert!(run(&RULE, &ok).is_empty());
    }

    #[test]
    fn review_before_the_end_points_at_the_review_date() {
        let text = doc("2025-07-18", "2025-07-18 22:00 UTC", "2025-07-19 01:00 UTC");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![3]);
        assert!(d[0].message.contains("`2025-07-19`"));
    }

    #[test]
    fn review_date_compares_with_the_end_local_date() {
        // Ends 2025-07-19 00:30 in Berlin (22:30 UTC on the 18th).
        let text = doc(
            "2025-07-18",
            "2025-07-18 20:00 UTC",
            "2025-07-19 00:30 Europe/Berlin",
        );
        assert_eq!(run(&RULE, &text).len(), 1);
    }

    #[test]
    fn ambiguous_or_broken_times_are_not_compared() {
        let text = doc("2020-01-01", "2025-07-18 15:52 PST", "2025-07-18 14:05 IST");
        assert!(run(&RULE, &text).is_empty());
        let text = doc("not a date", "2025-07-18 15:52 UTC", "2025-07-18 14:05 UTC");
        assert_eq!(run(&RULE, &text).len(), 1);
    }
}
