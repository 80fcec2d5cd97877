use super::facts::Parsed;
use super::prelude::*;
use crate::time::TimeError;

declare_rule! {
    /// ## What it does
    /// Reports a `date` (the review date, `YYYY-MM-DD`), `incident_start_time`
    /// or `incident_end_time` (`YYYY-MM-DD HH:MM`, optional seconds, a space
    /// or `T`, then an optional zone: `Z`, `UTC`, an offset such as `+02:00`,
    /// or an IANA name such as `Europe/Berlin`) that does not parse — the
    /// template's `YYYY-MM-DD HH:MM [Timezone]` included. An ambiguous zone
    /// abbreviation (`IST`, `PST`) is reported one level lower (a warning by
    /// default) unless `timezone_aliases` maps it; that time is then not used
    /// by any other check.
    ///
    /// ## Why is this bad?
    /// The incident window, the duration, the timeline and the action items'
    /// due dates are all checked against these times. `IST` is India, Israel
    /// or Irish Standard Time: the reader cannot know which.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// date: 21/07/2025
    /// incident_start_time: 2025-07-18 19:35 IST
    /// incident_end_time: YYYY-MM-DD HH:MM [Timezone]
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// date: 2025-07-21
    /// incident_start_time: 2025-07-18 19:35 +05:30
    /// incident_end_time: 2025-07-18 21:22 Asia/Kolkata
    /// ---
    /// ```
    RULE {
        id: "frontmatter-date",
        default: Error,
        summary: "`date`, `incident_start_time` or `incident_end_time` does not parse",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident();
    if let Some(Parsed {
        value: Err(_),
        span,
        raw,
    }) = &incident.review_date
    {
        out.push(
            Diagnostic::new(
                RULE.id,
                span.clone(),
                format!("Review `date` `{raw}` is not a date like `2025-07-21`"),
            )
            .with_suggestion("write the review date as `YYYY-MM-DD`, e.g. `date: 2025-07-21`"),
        );
    }
    for (key, parsed) in [
        ("incident_start_time", &incident.start),
        ("incident_end_time", &incident.end),
    ] {
        let Some(Parsed {
            value: Err(e),
            span,
            raw,
        }) = parsed
        else {
            continue;
        };
        let d = match e {
            TimeError::AmbiguousZone(abbr) => Diagnostic::new(
                RULE.id,
                span.clone(),
                format!("Ambiguous time zone `{abbr}` in `{key}`; this time is not checked further"),
            )
            .with_suggestion(format!(
                "write an offset or IANA zone (`+05:30`, `Asia/Kolkata`), or map `{abbr}` in `timezone_aliases`"
            ))
            .lowered(),
            TimeError::Invalid(_) => Diagnostic::new(
                RULE.id,
                span.clone(),
                format!("`{key}` `{raw}` is not a time stamp like `2025-07-18 14:05 UTC`"),
            )
            .with_suggestion(format!(
                "write `{key}: YYYY-MM-DD HH:MM` followed by a zone (`UTC`, `+02:00`, `Europe/Berlin`)"
            )),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, lines, run, run_with};

    fn doc(date: &str, start: &str, end: &str) -> String {
        format!("---\ntitle: t\ndate: {date}\nincident_start_time: {start}\nincident_end_time: {end}\n---\n")
    }

    #[test]
    fn documented_forms_parse() {
        for (s, e) in [
            ("2025-07-18 14:05", "2025-07-18 15:00"),
            ("2025-07-18T14:05:00Z", "2025-07-18 15:00:30 UTC"),
            ("2025-07-18 16:05+02:00", "2025-07-18 17:00 Europe/Berlin"),
        ] {
            assert!(run(&RULE, &doc("2025-07-21", s, e)).is_empty(), "{s} {e}");
        }
    }

    #[test]
    fn template_values_are_date_findings() {
        let text = doc(
            "YYYY-MM-DD (Date of Review)",
            "YYYY-MM-DD HH:MM [Timezone]",
            "YYYY-MM-DD HH:MM [Timezone]",
        );
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![3, 4, 5]);
        assert!(d.iter().all(|d| !d.lowered));
    }

    #[test]
    fn ambiguous_zone_is_a_lowered_frontmatter_date() {
        let text = doc("2025-07-21", "2025-07-18 19:35 IST", "2025-07-18 16:00 UTC");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["2025-07-18 19:35 IST"]);
        assert!(d[0].lowered);
        assert!(d[0].message.contains("`IST`"));
    }

    #[test]
    fn timezone_alias_makes_an_abbreviation_valid() {
        let mut c = Config::default();
        c.timezone_aliases.insert("IST".into(), "+05:30".into());
        let s = Settings::resolve(c, None).unwrap();
        let text = doc("2025-07-21", "2025-07-18 19:35 IST", "2025-07-18 16:00 UTC");
        assert!(run_with(&RULE, &text, &s).is_empty());
    }

    #[test]
    fn impossible_dates_and_other_formats_are_reported() {
        let text = doc("21/07/2025", "2025-02-30 10:00", "2025-07-18 25:00");
        assert_eq!(run(&RULE, &text).len(), 3);
    }

    #[test]
    fn missing_or_empty_keys_are_not_date_findings() {
        assert!(run(&RULE, "---\ntitle: t\ndate:\n---\n").is_empty());
        assert!(run(&RULE, "# none\n").is_empty());
    }
}
