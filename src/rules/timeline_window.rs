use super::prelude::*;
use crate::time::format_duration;

declare_rule! {
    /// ## What it does
    /// Reports a timeline event more than `timeline_slack` (default `24h`)
    /// before `incident_start_time` or after `incident_end_time`. Time-only
    /// rows take the incident start's date (rolling over midnight), so this
    /// mostly catches a wrong date or a wrong front-matter time. Without a
    /// usable start, only rows with a full date are checked, against the end.
    ///
    /// ## Why is this bad?
    /// An event far outside the incident window means either the timeline or
    /// the front matter has the wrong day, and the durations derived from
    /// them are wrong.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// ---
    /// | Time | Event Description | Responsible Party |
    /// |------|-------------------|-------------------|
    /// | 2025-06-18 14:05 | Alert fired | Monitoring |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | Time | Event Description | Responsible Party |
    /// |------|-------------------|-------------------|
    /// | 2025-07-18 14:05 | Alert fired | Monitoring |
    /// ```
    RULE {
        id: "timeline-window",
        default: Warning,
        summary: "a timeline event lies more than `timeline_slack` outside the incident window",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident();
    let (start, end) = (incident.start_utc(), incident.end_utc());
    if start.is_none() && end.is_none() {
        return;
    }
    let slack = ctx.settings.timeline_slack;
    for row in &incident.timeline {
        let Ok(t) = row.value else { continue };
        if !t.anchored {
            continue;
        }
        let early = start.filter(|s| s.checked_sub_signed(slack).is_some_and(|b| t.utc < b));
        let late = end.filter(|e| e.checked_add_signed(slack).is_some_and(|b| t.utc > b));
        let (gap, side) = match (early, late) {
            (Some(s), _) => (s - t.utc, "before the incident started"),
            (_, Some(e)) => (t.utc - e, "after the incident ended"),
            _ => continue,
        };
        out.push(
            Diagnostic::new(
                RULE.id,
                row.span.clone(),
                format!(
                    "Timeline event `{}` is {} {side}",
                    row.text(ctx.doc),
                    format_duration(gap)
                ),
            )
            .with_suggestion(format!(
                "check the row's date and the front-matter times; events within {} of the incident window are accepted (`timeline_slack`)",
                format_duration(slack)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, run, run_with};

    fn doc(cells: &[&str]) -> String {
        let mut s = String::from("---\nincident_start_time: 2025-07-18 14:00 UTC\nincident_end_time: 2025-07-18 16:00 UTC\n---\n## 2. Timeline\n\n| Time | Event |\n|---|---|\n");
        for c in cells {
            s.push_str(&format!("| {c} | something happened |\n"));
        }
        s
    }

    #[test]
    fn events_within_the_slack_pass() {
        let text = doc(&["13:00", "15:00", "2025-07-17 15:00", "2025-07-19 15:59"]);
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn events_far_outside_the_window_are_reported() {
        let text = doc(&["2025-06-18 14:00", "2025-07-18 14:05", "2025-07-20 16:30"]);
        let d = run(&RULE, &text);
        assert_eq!(
            flagged(&text, &d),
            vec!["2025-06-18 14:00", "2025-07-20 16:30"]
        );
        assert!(d[0].message.contains("before the incident started"));
        assert!(
            d[1].message.contains("2d 30m after the incident ended"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn a_wrong_full_date_carries_over_to_later_time_only_rows() {
        let text = doc(&["2025-06-18 14:00", "14:05"]);
        assert_eq!(run(&RULE, &text).len(), 2);
    }

    #[test]
    fn slack_is_configurable() {
        let c = Config {
            timeline_slack: "1h".into(),
            ..Config::default()
        };
        let s = Settings::resolve(c, None).unwrap();
        let text = doc(&["12:30", "14:30", "17:30"]);
        let d = run_with(&RULE, &text, &s);
        assert_eq!(flagged(&text, &d), vec!["12:30", "17:30"]);
    }

    #[test]
    fn no_usable_front_matter_times_means_no_check() {
        let text = doc(&["2020-01-01 00:00"])
            .replace("14:00 UTC", "14:00 IST")
            .replace("16:00 UTC", "16:00 PST");
        assert!(run(&RULE, &text).is_empty());
    }
}
