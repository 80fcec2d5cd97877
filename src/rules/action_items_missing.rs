use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an Action Items section that lists no action item: no table
    /// whose header maps to ID / Description / Owner / Target Date / Status
    /// (a header row with no rows counts as none), and no task list
    /// (`- [ ] PM-AI-001: … — owner: @alice, due: 2025-08-01`). The finding
    /// points at the section's heading. A post-mortem without the section at
    /// all is reported by `required-section` instead.
    ///
    /// ## Why is this bad?
    /// A review that ends without owned, dated follow-ups changes nothing:
    /// the same incident comes back.
    ///
    /// ## Example
    /// ```markdown
    /// ## 7. Action Items
    ///
    /// We will discuss follow-ups next week.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 7. Action Items
    ///
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add an alert when login errors exceed 2% | @alice | 2025-08-01 | Open |
    /// ```
    RULE {
        id: "action-items-missing",
        default: Error,
        summary: "the post-mortem has no action items",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    if !doc.action_items.is_empty() {
        return;
    }
    let Some(si) = doc.role_section(Role::ActionItems) else {
        return;
    };
    let heading = doc.heading_of(&doc.sections[si]);
    out.push(
        Diagnostic::new(
            RULE.id,
            heading.span.clone(),
            format!("\"{}\" lists no action items", heading.text),
        )
        .with_suggestion(
            "add a table `| ID | Description | Owner | Target Date | Status |` with one row per follow-up",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    #[test]
    fn section_without_table_or_task_list_is_reported_at_its_heading() {
        let text = "## 7. Action Items\n\nWe will discuss follow-ups next week.\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["## 7. Action Items"]);
    }

    #[test]
    fn header_without_rows_is_missing() {
        let text = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }

    #[test]
    fn a_table_row_or_task_item_is_enough() {
        let table = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n| PM-AI-1 | Add a test | @a |\n";
        assert!(run(&RULE, table).is_empty());
        let tasks = "## Corrective Actions\n\n- [ ] Add a canary stage — owner: @a\n";
        assert!(run(&RULE, tasks).is_empty());
    }

    #[test]
    fn missing_section_is_left_to_required_section() {
        assert!(run(&RULE, "## Timeline\n\ntext\n").is_empty());
    }
}
