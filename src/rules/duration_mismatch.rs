use super::placeholders::is_placeholder_value;
use super::prelude::*;
use crate::time::{format_duration, parse_duration};

declare_rule! {
    /// ## What it does
    /// Compares `incident_duration` with the elapsed time between
    /// `incident_start_time` and `incident_end_time` (UTC instants, so a
    /// daylight-saving shift counts as it happened) and reports a difference
    /// of more than one minute. A duration that does not parse (`2 hours 30
    /// minutes`, `2h30m`, `2h 30m`, `150 minutes`, `1 day 3 hours` do) is
    /// reported too. A duration still the template placeholder is
    /// `frontmatter-required`.
    ///
    /// ## Why is this bad?
    /// The duration is what readers and reports quote; when it disagrees with
    /// the times, one of them is wrong.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// incident_duration: 2 hours
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// incident_duration: 1 hour 47 minutes
    /// ---
    /// ```
    RULE {
        id: "duration-mismatch",
        default: Warning,
        summary: "`incident_duration` differs from end − start by more than a minute",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.doc.fm_value("incident_duration") else {
        return;
    };
    let text = v.text.trim();
    let raw = if v.raw.is_empty() { text } else { v.raw };
    if text.is_empty() || is_placeholder_value(raw) || is_placeholder_value(text) {
        return;
    }
    let Some(written) = parse_duration(text) else {
        out.push(
            Diagnostic::new(
                RULE.id,
                v.span,
                format!("`incident_duration` `{text}` does not parse as a duration"),
            )
            .with_suggestion("write it like `2 hours 30 minutes`, `2h30m` or `150 minutes`"),
        );
        return;
    };
    let incident = ctx.incident();
    let (Some(start), Some(end)) = (incident.start_utc(), incident.end_utc()) else {
        return;
    };
    // An end before the start is `incident-window`'s finding.
    if end < start {
        return;
    }
    let elapsed = end - start;
    if (written - elapsed).num_seconds().abs() > 60 {
        let actual = format_duration(elapsed);
        out.push(
            Diagnostic::new(
                RULE.id,
                v.span,
                format!("`incident_duration` `{text}` differs from end − start ({actual})"),
            )
            .with_suggestion(format!(
                "set `incident_duration: {actual}`, or correct the start and end times"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    fn doc(start: &str, end: &str, duration: &str) -> String {
        format!("---\nincident_start_time: {start}\nincident_end_time: {end}\nincident_duration: {duration}\n---\n")
    }

    #[test]
    fn matching_durations_in_any_form_pass() {
        for d in [
            "1 hour 47 minutes",
            "1h47m",
            "1h 47m",
            "107 minutes",
            "1h 48m",
            "1h47",
        ] {
            let text = doc("2025-07-18 14:05 UTC", "2025-07-18 15:52 UTC", d);
            assert!(run(&RULE, &text).is_empty(), "{d}");
        }
    }

    #[test]
    fn a_difference_over_a_minute_is_reported() {
        let text = doc("2025-07-18 14:05 UTC", "2025-07-18 15:52 UTC", "2 hours");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["2 hours"]);
        assert!(d[0].message.contains("(1h 47m)"), "{}", d[0].message);
        assert_eq!(
            d[0].suggestion.as_deref(),
            Some("set `incident_duration: 1h 47m`, or correct the start and end times")
        );
    }

    #[test]
    fn hours_with_bare_minutes_are_compared_not_rejected() {
        let (start, end) = ("2025-07-18 14:05 UTC", "2025-07-18 15:52 UTC");
        assert!(run(&RULE, &doc(start, end, "1h47")).is_empty());
        let text = doc(start, end, "1h17");
        assert_eq!(flagged(&text, &run(&RULE, &text)), vec!["1h17"]);
    }

    #[test]
    fn dst_shift_counts_in_elapsed_time() {
        // Berlin springs forward at 02:00: 01:00 → 04:00 local is 2 hours.
        let start = "2025-03-30 01:00 Europe/Berlin";
        let end = "2025-03-30 04:00 Europe/Berlin";
        assert!(run(&RULE, &doc(start, end, "2 hours")).is_empty());
        assert_eq!(run(&RULE, &doc(start, end, "3 hours")).len(), 1);
    }

    #[test]
    fn unparseable_duration_is_a_warning_even_without_times() {
        let text = "---\nincident_duration: about two hours\n---\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["about two hours"]);
    }

    #[test]
    fn placeholder_duration_is_left_to_frontmatter_required() {
        let text = doc(
            "2025-07-18 14:05 UTC",
            "2025-07-18 15:52 UTC",
            "[e.g., 2 hours 30 minutes]",
        );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn ambiguous_times_are_not_used() {
        let text = doc("2025-07-18 14:05 IST", "2025-07-18 15:52 UTC", "5 hours");
        assert!(run(&RULE, &text).is_empty());
    }
}
