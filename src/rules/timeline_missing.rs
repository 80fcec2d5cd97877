use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Timeline section without a timeline table (`Time | Event
    /// Description | Responsible Party`, with header aliases such as
    /// `Timestamp`, `Event`, `Owner`), or a table without rows. The finding
    /// points at the section's heading. A post-mortem with no Timeline
    /// section at all is left to `required-section`.
    ///
    /// ## Why is this bad?
    /// The timeline is the factual backbone of the review: detection,
    /// diagnosis and recovery times come from it.
    ///
    /// ## Example
    /// ```markdown
    /// ## 2. Incident Timeline
    ///
    /// The alert fired in the afternoon and we fixed it later.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 2. Incident Timeline
    ///
    /// | Time (UTC) | Event Description | Responsible Party |
    /// |------------|-------------------|-------------------|
    /// | 14:05      | Error-rate alert fired for the auth service | Monitoring |
    /// | 15:52      | Rollback completed, error rate normal | On-call engineer |
    /// ```
    RULE {
        id: "timeline-missing",
        default: Error,
        summary: "no timeline table, or one with no rows",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let heading_span = |si: usize| {
        doc.sections
            .get(si)
            .and_then(|s| doc.md.headings.get(s.heading))
            .map(|h| h.span.clone())
    };
    match &doc.timeline {
        Some(t) if !t.rows.is_empty() => {}
        Some(t) => {
            let span = t
                .section
                .and_then(heading_span)
                .unwrap_or(t.table_span.clone());
            out.push(
                Diagnostic::new(RULE.id, span, "The timeline table has no rows")
                    .with_suggestion("add one row per event: time, what happened, who acted"),
            );
        }
        None => {
            let Some(span) = doc.role_section(Role::Timeline).and_then(heading_span) else {
                return;
            };
            out.push(
                Diagnostic::new(RULE.id, span, "No timeline table in the Timeline section")
                    .with_suggestion(
                        "add a table `| Time (UTC) | Event Description | Responsible Party |` \
                         with one row per event",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    #[test]
    fn section_without_a_table_is_reported_at_its_heading() {
        let text = "# T\n\n## 2. Incident Timeline\n\nWe fixed it later.\n\n## 3. Narrative\n\n| Time | Event |\n|--|--|\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## 2. Incident Timeline"]);
    }

    #[test]
    fn table_without_rows_is_reported_at_the_heading() {
        let text = "## Timeline\n\n| Time | Event Description | Responsible Party |\n|---|---|---|\n|  |  |  |\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## Timeline"]);
        assert_eq!(d[0].message, "The timeline table has no rows");
    }

    #[test]
    fn table_with_rows_and_header_aliases_passes() {
        let text = "## 2. Timeline\n\n| Timestamp | Event | Owner |\n|---|---|---|\n| 14:05 | Alert | Bot |\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn no_timeline_section_is_left_to_required_section() {
        assert!(run(&RULE, "# T\n\n## 1. Incident Summary\n\nText.\n").is_empty());
    }

    #[test]
    fn template_rows_count_as_rows() {
        let text = "## 2. Incident Timeline\n\n| Time (HH:MM [Timezone]) | Event Description | Responsible Party |\n|---|---|---|\n| HH:MM | [e.g., alert] | Monitoring System |\n";
        assert!(run(&RULE, text).is_empty());
    }
}
