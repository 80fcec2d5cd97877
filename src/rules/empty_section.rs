use super::placeholders::has_sentence;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a section (a heading at the section level, usually `##`)
    /// with no content besides its sub-headings, HTML comments and template
    /// placeholders. A section with at least one sentence of its own or in
    /// its sub-sections, a table row, a code block or an image is not
    /// empty. A section holding only placeholders is reported here and by
    /// `template-placeholder`. The finding points at the heading.
    ///
    /// ## Why is this bad?
    /// An empty heading looks like a finished review at a glance while a
    /// part of it — often the lessons or the communication plan — was never
    /// written.
    ///
    /// ## Example
    /// ```markdown
    /// ## 8. Lessons Learned
    ///
    /// [Summarize the key takeaways and learnings from this incident.]
    ///
    /// ## 9. Communication Plan
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 8. Lessons Learned
    ///
    /// Rollbacks must be as fast as deploys.
    ///
    /// ## 9. Communication Plan
    ///
    /// None beyond this review: no customer-facing impact.
    /// ```
    RULE {
        id: "empty-section",
        default: Error,
        summary: "a section has no content besides sub-headings, comments and placeholders",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for s in &doc.sections {
        if has_sentence(ctx, &s.body) || has_block_content(ctx, &s.body) {
            continue;
        }
        let h = doc.heading_of(s);
        let only_placeholders = ctx
            .placeholders()
            .items
            .iter()
            .any(|p| s.body.start <= p.span.start && p.span.start < s.body.end);
        let message = if only_placeholders {
            format!("Section `{}` holds only template placeholders", h.text)
        } else {
            format!("Section `{}` is empty", h.text)
        };
        out.push(
            Diagnostic::new(RULE.id, h.span.clone(), message).with_suggestion(
                "write at least one sentence; if nothing applies, say so (\"None: …\")",
            ),
        );
    }
}

/// Code blocks and images carry no prose text but are content.
fn has_block_content(ctx: &Ctx<'_>, span: &Span) -> bool {
    let doc = ctx.doc;
    let text = &doc.text[span.clone()];
    let comments = &doc.md.comments;
    let in_comment = |at: usize| {
        let i = comments.partition_point(|c| c.span.end <= at);
        comments.get(i).is_some_and(|c| c.span.start <= at)
    };
    let mut offset = span.start;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let at = offset + (line.len() - t.len());
        offset += line.len();
        let code = t.starts_with("```")
            || t.starts_with("~~~")
            || line.starts_with("    ")
                && !t.is_empty()
                && !t.starts_with(['*', '-', '+'])
                && doc.md.mask.get(at) == Some(&crate::document::BOUNDARY);
        let image = t.contains("![") || t.contains("<img");
        if (code || image) && !in_comment(at) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    #[test]
    fn empty_section_reports_a_heading_without_content() {
        let text = "## Summary\n\nAll good.\n\n## Lessons Learned\n\n<!-- fill in -->\n\n## References\n\n- https://example.com\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## Lessons Learned"]);
        assert_eq!(d[0].message, "Section `Lessons Learned` is empty");
    }

    #[test]
    fn empty_section_counts_sub_sections() {
        let text = "## 1. Incident Summary\n\n### 1.1 Title\n\nLogin outage.\n\n## 2. Timeline\n\n### 2.1 Detail\n\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![7]);
    }

    #[test]
    fn empty_section_reports_a_section_of_placeholders_only() {
        let text = "## 1.3 Times\n\n* **Start:** YYYY-MM-DD HH:MM [Timezone]\n* **End:** YYYY-MM-DD HH:MM [Timezone]\n\n## What Went Well?\n\n* [e.g., \"Quick response.\"]\n";
        let d = run(&RULE, text);
        assert_eq!(
            flagged(text, &d),
            vec!["## 1.3 Times", "## What Went Well?"]
        );
        assert!(d[1].message.contains("only template placeholders"));
    }

    #[test]
    fn empty_section_accepts_tables_code_and_short_statements() {
        let text = "## Timeline\n\n| Time | Event |\n|---|---|\n| 14:05 | Alert |\n\n## Logs\n\n```\nERROR x\n```\n\n## Communication Plan\n\nNone.\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn empty_section_reports_a_table_of_template_rows() {
        let text = "## Timeline\n\n| Time | Event | Who |\n|---|---|---|\n| HH:MM | [e.g., Alert fired.] | Monitoring System |\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![1]);
    }
}
