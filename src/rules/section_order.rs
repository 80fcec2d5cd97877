use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a section that appears after a section configured to come
    /// later (the order of `sections` in the configuration, the template's
    /// order by default). The finding points at the first heading where the
    /// order breaks; sections that are not configured and repeated sections
    /// (see `duplicate-section`) are ignored.
    ///
    /// ## Why is this bad?
    /// Readers of many post-mortems expect each part in the same place;
    /// a timeline after the action items is easy to miss.
    ///
    /// ## Example
    /// ```markdown
    /// ## Incident Summary
    /// ## Action Items
    /// ## Incident Timeline
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Incident Summary
    /// ## Incident Timeline
    /// ## Action Items
    /// ```
    RULE {
        id: "section-order",
        default: Warning,
        summary: "configured sections appear out of order",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mut seen = vec![false; ctx.settings.sections.len()];
    // The latest configured position seen so far, and its heading.
    let mut latest: Option<(usize, usize)> = None;
    for s in &doc.sections {
        let Some(k) = s.kind else { continue };
        if std::mem::replace(&mut seen[k], true) {
            continue; // a repeat: duplicate-section's finding
        }
        match latest {
            Some((max, heading)) if k < max => {
                let h = doc.heading_of(s);
                let before = &doc.md.headings[heading];
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        h.span.clone(),
                        format!("Section `{}` comes after `{}`", h.text, before.text),
                    )
                    .with_suggestion(format!("move it above `{}`", before.text)),
                );
                // Judge the following sections against this one, so one
                // misplaced section is one finding.
                latest = Some((k, s.heading));
            }
            _ => latest = Some((k, s.heading)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    #[test]
    fn section_order_accepts_the_configured_order() {
        let text = "## Summary\n\n## Timeline\n\n## Appendix: raw logs\n\n## Action Items\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn section_order_points_at_the_first_heading_after_a_later_section() {
        let text = "## 1. Incident Summary\n\n## 7. Action Items\n\nx\n\n## 2. Incident Timeline\n\n## 3. What Happened?\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## 2. Incident Timeline"]);
        assert_eq!(lines(text, &d), vec![7]);
        assert_eq!(
            d[0].message,
            "Section `2. Incident Timeline` comes after `7. Action Items`"
        );
    }

    #[test]
    fn section_order_reports_each_separate_swap() {
        let text = "## Summary\n## Narrative\n## Timeline\n## Action Items\n## Lessons Learned\n## What Went Well\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## Timeline", "## What Went Well"]);
    }

    #[test]
    fn section_order_leaves_duplicates_to_duplicate_section() {
        let text = "## Summary\n## Timeline\n## Narrative\n## Timeline\n";
        assert!(run(&RULE, text).is_empty());
    }
}
