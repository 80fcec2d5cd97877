use super::placeholders::is_placeholder_value;
use super::prelude::*;
use crate::document::FmValue;

declare_rule! {
    /// ## What it does
    /// Reports a required front-matter key (`title`, `status`, `date`,
    /// `incident_start_time`, `incident_end_time`, `author`) that is missing
    /// or empty, and any key — optional ones such as `reviewers` and
    /// `incident_duration` too — whose value is still the template's
    /// placeholder. A missing key points at the opening `---` line.
    /// Placeholders in `status` and in the date keys are reported by
    /// `frontmatter-status` and `frontmatter-date` instead.
    ///
    /// ## Why is this bad?
    /// A review without an author or title cannot be owned or found, and a
    /// placeholder left in the metadata shows the review was never completed.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: Post-Mortem / Incident Review - [Incident ID/Title]
    /// status: Draft
    /// date: 2025-07-21
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// reviewers: [List of key reviewers/stakeholders]
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// title: Post-Mortem / Incident Review - Login outage
    /// status: Draft
    /// date: 2025-07-21
    /// incident_start_time: 2025-07-18 14:05 UTC
    /// incident_end_time: 2025-07-18 15:52 UTC
    /// author: "@alice"
    /// reviewers: ["@bob", "@carol"]
    /// ---
    /// ```
    RULE {
        id: "frontmatter-required",
        default: Error,
        summary: "a required front-matter key is missing, empty or still the template's placeholder",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

/// Keys every post-mortem must fill in.
pub(crate) const REQUIRED: &[&str] = &[
    "title",
    "status",
    "date",
    "incident_start_time",
    "incident_end_time",
    "author",
];

/// Keys whose non-empty values other rules judge (`frontmatter-status`,
/// `frontmatter-date`).
const JUDGED_ELSEWHERE: &[&str] = &["status", "date", "incident_start_time", "incident_end_time"];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.doc.fm() else { return };
    for key in REQUIRED {
        match ctx.doc.fm_value(key) {
            None => out.push(
                Diagnostic::new(
                    RULE.id,
                    fm.open_span.clone(),
                    format!("Front matter lacks the required key `{key}`"),
                )
                .with_suggestion(format!("add `{key}: {}` to the front matter", example(key))),
            ),
            Some(v) if v.text.trim().is_empty() => out.push(
                Diagnostic::new(RULE.id, v.span, format!("Required key `{key}` is empty"))
                    .with_suggestion(format!("fill it in, e.g. `{key}: {}`", example(key))),
            ),
            Some(_) => {}
        }
    }
    // Placeholders, in required and optional keys alike, in file order.
    for entry in &fm.keys {
        let key = entry.key.as_str();
        if JUDGED_ELSEWHERE.contains(&key) {
            continue;
        }
        let Some(v) = fm.entry_value(ctx.doc.text, entry) else {
            continue;
        };
        if v.text.trim().is_empty() {
            continue;
        }
        if let Some(placeholder) = placeholder_in(&v) {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    v.span.clone(),
                    format!("`{key}` is still the template placeholder `{placeholder}`"),
                )
                .with_suggestion(format!(
                    "replace it with the real value, e.g. `{key}: {}`",
                    example(key)
                )),
            );
        }
    }
}

/// The template placeholder left in a value: the whole value, or a
/// bracketed part of it (`Post-Mortem - [Incident ID/Title]`).
fn placeholder_in(v: &FmValue) -> Option<String> {
    let raw: &str = if v.raw.is_empty() { &v.text } else { v.raw };
    let unquoted = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    if is_placeholder_value(unquoted) {
        return Some(unquoted.to_string());
    }
    let mut rest = unquoted;
    while let Some(open) = rest.find('[') {
        let after = &rest[open..];
        let Some(close) = after.find(']') else { break };
        let segment = &after[..=close];
        // A segment that is the whole value was judged above.
        if segment.len() < unquoted.len() && is_placeholder_value(segment) {
            return Some(segment.to_string());
        }
        rest = &after[close + 1..];
    }
    None
}

fn example(key: &str) -> &'static str {
    match key {
        "title" => "Post-Mortem / Incident Review - Login outage",
        "status" => "Draft",
        "date" => "2025-07-21",
        "incident_start_time" => "2025-07-18 14:05 UTC",
        "incident_end_time" => "2025-07-18 15:52 UTC",
        "incident_duration" => "1 hour 47 minutes",
        "author" | "reviewers" => "\"@alice\"",
        "incident_id" => "INC-2025-07-18-001",
        _ => "…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    const FULL: &str = "---\ntitle: Login outage\nstatus: Draft\ndate: 2025-07-21\nincident_start_time: 2025-07-18 14:05 UTC\nincident_end_time: 2025-07-18 15:52 UTC\nincident_duration: 1h 47m\nauthor: Alice\nreviewers: [Bob, Carol]\nversion: 1.0\n---\n# x\n";

    #[test]
    fn complete_front_matter_passes() {
        assert!(run(&RULE, FULL).is_empty());
    }

    #[test]
    fn missing_key_points_at_the_opening_line() {
        let text = FULL.replace("author: Alice\n", "");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![1]);
        assert_eq!(flagged(&text, &d), vec!["---"]);
        assert!(d[0].message.contains("`author`"));
    }

    #[test]
    fn empty_required_key_points_at_the_key() {
        let text = FULL.replace("author: Alice", "author:");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![8]);
        assert_eq!(d[0].message, "Required key `author` is empty");
    }

    #[test]
    fn template_placeholders_are_reported_for_optional_keys_too() {
        let text = FULL
            .replace(
                "author: Alice",
                "author: [Name or Role of Post-Mortem Lead]",
            )
            .replace(
                "reviewers: [Bob, Carol]",
                "reviewers: [List of key reviewers/stakeholders]",
            )
            .replace(
                "incident_duration: 1h 47m",
                "incident_duration: [e.g., 2 hours 30 minutes]",
            );
        let d = run(&RULE, &text);
        assert_eq!(
            flagged(&text, &d),
            vec![
                "[e.g., 2 hours 30 minutes]",
                "[Name or Role of Post-Mortem Lead]",
                "[List of key reviewers/stakeholders]"
            ]
        );
    }

    #[test]
    fn title_with_a_bracketed_placeholder_is_reported() {
        let text = FULL.replace(
            "title: Login outage",
            "title: Post-Mortem / Incident Review - [Incident ID/Title]",
        );
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), vec![2]);
        assert!(d[0].message.contains("[Incident ID/Title]"));
    }

    #[test]
    fn unparseable_dates_and_template_status_are_left_to_their_rules() {
        let text = FULL
            .replace("status: Draft", "status: Draft / Under Review / Finalised")
            .replace("date: 2025-07-21", "date: YYYY-MM-DD (Date of Review)")
            .replace(
                "incident_start_time: 2025-07-18 14:05 UTC",
                "incident_start_time: YYYY-MM-DD HH:MM [Timezone]",
            );
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn no_findings_without_valid_front_matter() {
        assert!(run(&RULE, "# no front matter\n").is_empty());
        assert!(run(&RULE, "---\ntitle: [x\n---\n").is_empty());
    }

    #[test]
    fn each_of_many_placeholder_keys_is_reported_at_its_own_line() {
        // Every key is visited once, at its own line (not looked up again
        // by name, which made huge front matter quadratic).
        let extra: String = (0..20_000)
            .map(|i| format!("x{i}: [Insert value {i}]\n"))
            .collect();
        let text = FULL.replace("version: 1.0\n", &extra);
        let d = run(&RULE, &text);
        assert_eq!(d.len(), 20_000);
        assert_eq!(lines(&text, &d)[..3], [10, 11, 12]);
        assert_eq!(lines(&text, &d)[19_999], 20_009);
    }

    #[test]
    fn a_markdown_link_in_a_value_is_not_a_placeholder() {
        let text = FULL.replace(
            "title: Login outage",
            "title: \"Outage of [auth](https://x.y)\"",
        );
        assert!(run(&RULE, &text).is_empty());
    }
}
