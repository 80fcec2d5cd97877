use super::prelude::*;
use crate::time::TimeError;

declare_rule! {
    /// ## What it does
    /// Reports a timeline time cell that does not parse. Accepted: `HH:MM`,
    /// `HH:MM:SS`, either followed by a zone (`14:05 UTC`, `14:05+02:00`),
    /// and `YYYY-MM-DD HH:MM[ TZ]`. The template's `HH:MM` is reported here
    /// only (not also as a placeholder). An ambiguous zone abbreviation
    /// (`PST`) is reported one level lower, and that row is then not used
    /// by the order and window checks.
    ///
    /// ## Why is this bad?
    /// An event without a usable time cannot be ordered, compared with the
    /// incident window, or used to measure time to detect and recover.
    ///
    /// ## Example
    /// ```markdown
    /// | Time | Event Description | Responsible Party |
    /// |------|-------------------|-------------------|
    /// | HH:MM | Alert fired | Monitoring |
    /// | afternoon | Rollback started | On-call engineer |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Time (UTC) | Event Description | Responsible Party |
    /// |------------|-------------------|-------------------|
    /// | 14:05 | Alert fired | Monitoring |
    /// | 2025-07-18 15:10 | Rollback started | On-call engineer |
    /// ```
    RULE {
        id: "timeline-time",
        default: Error,
        summary: "a timeline time cell does not parse",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(timeline) = &ctx.doc.timeline else {
        return;
    };
    for row in &ctx.incident().timeline {
        let Err(e) = &row.value else { continue };
        let span = if row.span.is_empty() {
            timeline
                .rows
                .get(row.row)
                .map(|r| r.span.clone())
                .unwrap_or(row.span.clone())
        } else {
            row.span.clone()
        };
        let text = row.text(ctx.doc);
        let d = match e {
            TimeError::AmbiguousZone(abbr) => Diagnostic::new(
                RULE.id,
                span,
                format!("Ambiguous time zone `{abbr}` in timeline time `{text}`"),
            )
            .with_suggestion(format!(
                "write an offset or IANA zone (`-08:00`, `America/Los_Angeles`), or map `{abbr}` in `timezone_aliases`"
            ))
            .lowered(),
            TimeError::Invalid(_) if text.is_empty() => {
                Diagnostic::new(RULE.id, span, "Timeline row has no time")
                    .with_suggestion("write when the event happened, e.g. `14:05`")
            }
            TimeError::Invalid(_) if text.contains("HH:MM") || text.contains("YYYY") => {
                Diagnostic::new(
                    RULE.id,
                    span,
                    format!("Timeline time `{text}` is still the template placeholder"),
                )
                .with_suggestion("write when the event happened, e.g. `14:05` or `2025-07-18 14:05 UTC`")
            }
            TimeError::Invalid(_) => Diagnostic::new(
                RULE.id,
                span,
                format!("Timeline time `{text}` does not parse"),
            )
            .with_suggestion("write `HH:MM`, `HH:MM UTC` or `YYYY-MM-DD HH:MM UTC`, e.g. `14:05`"),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    fn doc(cells: &[&str]) -> String {
        let mut s = String::from("---\nincident_start_time: 2025-07-18 14:00 UTC\n---\n## 2. Timeline\n\n| Time | Event | Who |\n|---|---|---|\n");
        for c in cells {
            s.push_str(&format!("| {c} | something happened | Bot |\n"));
        }
        s
    }

    #[test]
    fn documented_forms_parse() {
        let text = doc(&[
            "14:05",
            "14:06:30",
            "14:07 UTC",
            "16:08+02:00",
            "2025-07-18 14:09",
            "2025-07-18T14:10Z",
            "**14:11**",
        ]);
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn approximate_ranged_and_twelve_hour_times_parse() {
        let text = doc(&[
            "~14:05",
            "14:06 (approx.)",
            "14:07–14:20",
            "14:21 - 14:25 UTC",
            "14:26 to 14:40",
            "2:41 PM",
            "2:42pm UTC",
            "2025-07-18 2:43 p.m.",
            "2025-07-18 14:44 – 15:10",
        ]);
        assert!(run(&RULE, &text).is_empty(), "{:?}", run(&RULE, &text));
        for bad in ["13:05 PM", "~afternoon", "14:05 - later", "0:15 AM"] {
            let text = doc(&[bad]);
            assert_eq!(run(&RULE, &text).len(), 1, "{bad}");
        }
    }

    #[test]
    fn template_hh_mm_is_a_timeline_time_finding() {
        let text = doc(&["HH:MM", "14:05"]);
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["HH:MM"]);
        assert_eq!(lines(&text, &d), vec![8]);
        assert!(d[0].message.contains("template placeholder"));
    }

    #[test]
    fn garbage_and_impossible_times_are_reported() {
        let text = doc(&["afternoon", "25:10", "2025-02-30 10:00"]);
        assert_eq!(run(&RULE, &text).len(), 3);
    }

    #[test]
    fn empty_time_cell_points_at_the_row() {
        let text = doc(&[""]);
        let d = run(&RULE, &text);
        assert_eq!(d[0].message, "Timeline row has no time");
        assert_eq!(lines(&text, &d), vec![8]);
    }

    #[test]
    fn ambiguous_zone_in_a_row_is_lowered() {
        let text = doc(&["14:05 PST"]);
        let d = run(&RULE, &text);
        assert!(d[0].lowered);
        assert!(d[0].message.contains("`PST`"));
    }
}
