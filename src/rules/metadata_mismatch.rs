use super::placeholders::is_placeholder_value;
use super::prelude::*;
use crate::document::strip_inline_markup;
use crate::time::{format_duration, parse_duration, Stamp};
use chrono::Duration;

declare_rule! {
    /// ## What it does
    /// Compares the `Start`, `End` and `Duration` items of the "Date and
    /// Time of Incident" sub-section (1.3; the Summary section when there is
    /// no such heading) with the front matter's `incident_start_time`,
    /// `incident_end_time` and `incident_duration` (or, without one, end −
    /// start). Values are compared parsed: `1h 47m` equals `1 hour 47
    /// minutes`, `Z` equals `UTC`, `16:05 +02:00` equals `14:05 UTC`; a time
    /// in 1.3 without a zone is read in the front matter's zone. Differences
    /// over a minute are reported at the 1.3 value. Placeholders and values
    /// that do not parse are left to other rules.
    ///
    /// ## Why is this bad?
    /// Two versions of the same fact: readers of the body and tools reading
    /// the front matter see different incidents.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// ---
    /// ### 1.3 Date and Time of Incident
    ///
    /// * **Start:** 2025-07-18 14:50 UTC
    /// * **End:** 2025-07-18 15:52 UTC
    /// * **Duration:** 2 hours
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ### 1.3 Date and Time of Incident
    ///
    /// * **Start:** 2025-07-18 14:05 UTC
    /// * **End:** 2025-07-18 15:52 UTC
    /// * **Duration:** 1 hour 47 minutes
    /// ```
    RULE {
        id: "metadata-mismatch",
        default: Warning,
        summary: "section 1.3 start/end/duration disagree with the front matter",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

const SUBSECTION: &[&str] = &[
    "date and time of incident",
    "date and time",
    "incident date and time",
    "time of incident",
    "incident time",
    "incident times",
    "incident window",
    "timing",
];

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Start,
    End,
    Duration,
}

fn field_of(label: &str) -> Option<Field> {
    crate::document::with_heading_key(label, |l| match l {
        "start" | "started" | "start time" | "incident start" | "began" => Some(Field::Start),
        "end" | "ended" | "end time" | "incident end" | "resolved" => Some(Field::End),
        "duration" | "total duration" | "incident duration" => Some(Field::Duration),
        _ => None,
    })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let span = match doc.subsection(SUBSECTION) {
        Some((_, span)) => span,
        None => match doc.role_section(Role::Summary) {
            Some(i) => doc.sections[i].body.clone(),
            None => return,
        },
    };
    let incident = ctx.incident();
    for (_, item) in doc.items_in(&span) {
        let Some((label, value)) = item.text.split_once(':') else {
            continue;
        };
        let Some(field) = field_of(label) else {
            continue;
        };
        let value = strip_inline_markup(value);
        if value.is_empty() || is_placeholder_value(value) || value.contains('[') {
            continue;
        }
        // Only a finding needs the value's span: most values agree.
        let value_span = || locate(doc.text, &item.span, value).unwrap_or(item.text_span.clone());
        match field {
            Field::Start | Field::End => {
                let (key, fm) = if field == Field::Start {
                    ("incident_start_time", incident.start_stamp())
                } else {
                    ("incident_end_time", incident.end_stamp())
                };
                let Some(fm) = fm else { continue };
                let Some(body) = parse_stamp(ctx, value, fm) else {
                    continue;
                };
                if (body.utc - fm.utc).num_seconds().abs() >= 60 {
                    let fm_raw = if field == Field::Start {
                        incident.start.as_ref()
                    } else {
                        incident.end.as_ref()
                    }
                    .map(|p| p.raw.clone())
                    .unwrap_or_default();
                    let which = if field == Field::Start {
                        "Start"
                    } else {
                        "End"
                    };
                    out.push(
                        Diagnostic::new(
                            RULE.id,
                            value_span(),
                            format!("{which} `{value}` disagrees with `{key}` `{fm_raw}` in the front matter"),
                        )
                        .with_suggestion(format!(
                            "write the same time in both places (the front matter says `{fm_raw}`)"
                        )),
                    );
                }
            }
            Field::Duration => {
                let Some(body) = parse_duration(value) else {
                    continue;
                };
                let Some((expected, source)) = front_matter_duration(ctx) else {
                    continue;
                };
                if (body - expected).num_seconds().abs() > 60 {
                    let shown = format_duration(expected);
                    out.push(
                        Diagnostic::new(
                            RULE.id,
                            value_span(),
                            format!("Duration `{value}` disagrees with the front matter's {source} ({shown})"),
                        )
                        .with_suggestion(format!("write `{shown}` here, or correct the front matter")),
                    );
                }
            }
        }
    }
}

/// A 1.3 time, read in the front matter's zone when it names none. A
/// trailing parenthetical (`(approx.)`) is ignored.
fn parse_stamp(ctx: &Ctx<'_>, value: &str, fm: &Stamp) -> Option<Stamp> {
    let v = match (value.ends_with(')'), value.rfind('(')) {
        (true, Some(open)) => value.get(..open).unwrap_or(value).trim(),
        _ => value,
    };
    ctx.settings.zones.parse_stamp_in(v, fm.zone).ok()
}

/// The duration the front matter states, or else implies (end − start).
fn front_matter_duration(ctx: &Ctx<'_>) -> Option<(Duration, &'static str)> {
    if let Some(v) = ctx.doc.fm_value("incident_duration") {
        if let Some(d) = parse_duration(&v.text) {
            return Some((d, "`incident_duration`"));
        }
    }
    let incident = ctx.incident();
    let (s, e) = (incident.start_utc()?, incident.end_utc()?);
    (e >= s).then(|| (e - s, "end − start"))
}

/// The span of `needle` inside `within`, when it is written there as is.
fn locate(text: &str, within: &Span, needle: &str) -> Option<Span> {
    let hay = text.get(within.clone())?;
    let at = hay.find(needle)?;
    Some(within.start + at..within.start + at + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    const FM: &str = "---\nincident_start_time: 2025-07-18 14:05 UTC\nincident_end_time: 2025-07-18 15:52 UTC\nincident_duration: 1h 47m\n---\n";

    fn doc(start: &str, end: &str, duration: &str) -> String {
        format!(
            "{FM}## 1. Incident Summary\n\n### 1.3 Date and Time of Incident\n\n* **Start:** {start}\n* **End:** {end}\n* **Duration:** {duration}\n\n### 1.4 Services\n\n* **Start:** 2001-01-01 00:00\n"
        )
    }

    #[test]
    fn equal_values_in_other_spellings_pass() {
        let text = doc(
            "2025-07-18 14:05Z",
            "2025-07-18 17:52 +02:00",
            "1 hour 47 minutes",
        );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn times_without_a_zone_take_the_front_matters() {
        let text = doc("2025-07-18 14:05", "`2025-07-18 15:52`", "107 minutes");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn different_start_and_duration_are_reported_at_the_body_value() {
        let text = doc("2025-07-18 14:50 UTC", "2025-07-18 15:52 UTC", "2 hours");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["2025-07-18 14:50 UTC", "2 hours"]);
        assert_eq!(lines(&text, &d), vec![10, 12]);
        assert!(d[0].message.contains("`incident_start_time`"));
    }

    #[test]
    fn duration_is_compared_with_end_minus_start_without_incident_duration() {
        let text = doc("2025-07-18 14:05 UTC", "2025-07-18 15:52 UTC", "3h")
            .replace("incident_duration: 1h 47m\n", "");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["3h"]);
        assert!(d[0].message.contains("end − start (1h 47m)"));
    }

    #[test]
    fn placeholders_are_not_mismatches() {
        let text = doc(
            "YYYY-MM-DD HH:MM [Timezone]",
            "YYYY-MM-DD HH:MM [Timezone]",
            "[e.g., 2 hours 30 minutes]",
        );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn ambiguous_front_matter_time_is_not_compared() {
        let text = doc("2025-07-18 09:00 UTC", "2025-07-18 15:52 UTC", "1h 47m")
            .replace("14:05 UTC\n", "14:05 IST\n");
        assert!(run(&RULE, &text).is_empty());
    }
}
