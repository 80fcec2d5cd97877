use super::placeholders::Kind;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports template text left in the body (headings, paragraphs, lists,
    /// table cells — not the front matter, code, comments or quotes):
    /// bracketed instructions (`[Incident ID/Title]`, `[e.g., …]`,
    /// `[Name or Role …]`, `[Timezone]`, `[List …]`), the formats
    /// `YYYY-MM-DD` and `HH:MM` where a date or time belongs, a lone `TBD`
    /// or `TODO`, and the template's example names and rows (`Jane Doe`,
    /// `Auth Service v1.2`). Links, footnotes, task boxes, `[REDACTED]`,
    /// `[sic]` and `[1]` are never placeholders; a name listed under
    /// `people` (or as author or reviewer) is a real person. The patterns
    /// live in `rules/placeholders.yml`. Table header rows, timeline time
    /// cells (`timeline-time`) and action items' owner and target-date cells
    /// (`action-item-owner`, `action-item-due-date`) are left to their rules.
    ///
    /// ## Why is this bad?
    /// A placeholder means a part of the review was never written; readers
    /// cannot tell template text from facts.
    ///
    /// ## Example
    /// ```markdown
    /// * **Start:** YYYY-MM-DD HH:MM [Timezone]
    /// * **Customer Impact:** [e.g., "50% of users experienced login failures"]
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// * **Start:** 2025-07-18 14:05 UTC
    /// * **Customer Impact:** 38% of logins failed for 1 hour 47 minutes.
    /// ```
    RULE {
        id: "template-placeholder",
        default: Error,
        summary: "template text left in the document",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    // Cells that other rules judge.
    let mut owned: Vec<Span> = Vec::new();
    if let Some(t) = &doc.timeline {
        owned.extend(t.rows.iter().map(|r| r.time.span.clone()));
    }
    for item in &doc.action_items {
        owned.extend(item.owner.iter().map(|f| f.span.clone()));
        owned.extend(item.due.iter().map(|f| f.span.clone()));
    }
    owned.sort_by_key(|o| o.start);
    for p in &ctx.placeholders().items {
        // Owned cells are disjoint: the last one starting at or before the
        // placeholder is the only one that can hold it.
        let i = owned.partition_point(|o| o.start <= p.span.start);
        if i > 0 && p.span.end <= owned[i - 1].end {
            continue;
        }
        let quoted = quote(&doc.text[p.span.clone()]);
        let (message, suggestion) = match p.kind {
            Kind::Placeholder => (
                format!("Template placeholder `{quoted}` left in"),
                "replace it with this incident's facts",
            ),
            Kind::Example => (
                format!("Template example `{quoted}` left in"),
                "replace it with the real person, role or system (a real person can be listed under `people`)",
            ),
            Kind::ExampleRow => (
                format!("Template example row `{quoted}` left in"),
                "replace the template's example with this incident's own entry",
            ),
        };
        out.push(Diagnostic::new(RULE.id, p.span.clone(), message).with_suggestion(suggestion));
    }
}

/// The text on one line, shortened for a message.
fn quote(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        let cut: String = one.chars().take(57).collect();
        format!("{}…", cut.trim_end())
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, lines, run, run_with};

    const TEMPLATE: &str = include_str!("../../tests/fixtures/template.md");

    #[test]
    fn template_placeholder_reports_the_unchanged_template_at_the_right_lines() {
        let d = run(&RULE, TEMPLATE);
        let l = lines(TEMPLATE, &d);
        let f = flagged(TEMPLATE, &d);
        // Heading with mojibake, intro, 1.1–1.5.
        assert_eq!(f[0], "[Incident ID/Title]");
        assert_eq!(l[0], 13);
        assert_eq!(
            f[1..3],
            [
                "[Incident ID, e.g., INC-2025-07-18-001]",
                "[Date of Incident]"
            ]
        );
        assert!(f.contains(&"YYYY-MM-DD HH:MM [Timezone]"));
        assert!(f.contains(&"[Service/Component 1]"));
        // Not the front matter, not the table header rows, not timeline
        // time cells, not action items' owner and date cells.
        assert!(l.iter().all(|l| *l > 12));
        assert!(!l.contains(&54) && !l.contains(&101));
        assert!(!f.contains(&"HH:MM") && !f.contains(&"YYYY-MM-DD"));
        // Timeline: event and party cells of each example row.
        assert_eq!(l.iter().filter(|l| (56..=62).contains(*l)).count(), 13);
        // Action items: the four example rows.
        for line in 103..=106 {
            assert_eq!(l.iter().filter(|l| **l == line).count(), 1, "line {line}");
        }
        assert!(d
            .iter()
            .any(|d| d.message.starts_with("Template example row")));
        // Every section's instruction, down to References.
        assert_eq!(*l.last().unwrap(), 126);
    }

    #[test]
    fn template_placeholder_merges_a_date_time_and_zone() {
        let text = "* **Start:** YYYY-MM-DD HH:MM [Timezone]\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["YYYY-MM-DD HH:MM [Timezone]"]);
        assert_eq!(
            d[0].message,
            "Template placeholder `YYYY-MM-DD HH:MM [Timezone]` left in"
        );
    }

    #[test]
    fn template_placeholder_ignores_links_footnotes_task_boxes_and_notes() {
        let text = "See [the dashboard](https://grafana.example.com) and [runbook][rb].\n\nA claim[^1] from [1] and [2, 3]; the user [REDACTED] wrote \"teh\" [sic]. Log: [ERROR] at [14:05:01].\n\n- [ ] PM-AI-005: Add alert on queue depth\n- [x] done\n\n[Editor's note: updated after review.]\n\nWe use [Kafka] here [Time to detect: 4 minutes].\n\n[rb]: https://example.com/rb\n[^1]: A footnote.\n";
        let d = run(&RULE, text);
        assert!(d.is_empty(), "{:?}", flagged(text, &d));
    }

    #[test]
    fn template_placeholder_ignores_code_quotes_comments_and_front_matter() {
        let text = "---\ndate: YYYY-MM-DD\nauthor: [Name or Role of Post-Mortem Lead]\n---\nRun `date +YYYY-MM-DD`.\n\n```\n[e.g., foo]\n```\n\n> [List all things]\n\n<!-- [Describe it] -->\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn template_placeholder_finds_time_formats_only_in_date_positions() {
        let text =
            "Times below are HH:MM in UTC.\n\nThe alert fired at HH:MM.\n\n**Detected:** HH:MM\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), vec![3, 5]);
    }

    #[test]
    fn template_placeholder_finds_lone_todo_and_escaped_brackets() {
        let text = "TBD\n\nThe TODO list is long.\n\n\\[e.g., something\\]\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["TBD", "\\[e.g., something\\]"]);
    }

    #[test]
    fn template_placeholder_skips_table_headers_and_owned_cells() {
        let text = "## Timeline\n\n| Time (HH:MM [Timezone]) | Event | Who |\n|---|---|---|\n| HH:MM | Alert fired | @sre |\n\n## Action Items\n\n| ID | Description | Owner | Target Date | Status |\n|---|---|---|---|---|\n| PM-AI-1 | Add a queue depth alert at 80% | [Name or Role] | YYYY-MM-DD | Open |\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn template_placeholder_reports_example_names_unless_real_people() {
        let text = "The rollback by Jane Doe finished.\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["Jane Doe"]);
        let config = Config {
            people: vec!["Jane Doe".into()],
            ..Config::default()
        };
        let settings = Settings::resolve(config, None).unwrap();
        assert!(run_with(&RULE, text, &settings).is_empty());
    }

    #[test]
    fn template_placeholder_positions_survive_crlf_and_a_bom() {
        let text = "\u{feff}---\r\ntitle: t\r\n---\r\n## Summary\r\n\r\n* **Start:** YYYY-MM-DD HH:MM [Timezone]\r\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["YYYY-MM-DD HH:MM [Timezone]"]);
        assert_eq!(lines(text, &d), vec![6]);
    }

    #[test]
    fn template_placeholder_never_panics_on_odd_brackets() {
        for text in [
            "[",
            "]",
            "[[[[",
            "]]][[",
            "\\[",
            "[e.g.\n",
            "| [a | b] |\n",
            "[é]]",
            "x [YYYY-MM-DD",
        ] {
            let _ = run(&RULE, text);
        }
    }
}
