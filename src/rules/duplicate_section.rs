use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a section heading that names a configured section already
    /// present earlier in the file (by name or alias: `Timeline` repeats
    /// `Incident Timeline`). The finding points at the repeated heading.
    ///
    /// ## Why is this bad?
    /// Two timelines or two action-item lists split the facts, drift apart,
    /// and leave readers (and `pmlint sync`) unsure which one counts.
    ///
    /// ## Example
    /// ```markdown
    /// ## Incident Timeline
    /// …
    /// ## Timeline
    /// …
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Incident Timeline
    /// … (one merged section)
    /// ```
    RULE {
        id: "duplicate-section",
        default: Warning,
        summary: "the same section appears twice",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mut first: Vec<Option<usize>> = vec![None; ctx.settings.sections.len()];
    for s in &doc.sections {
        let Some(k) = s.kind else { continue };
        match first[k] {
            None => first[k] = Some(s.heading),
            Some(f) => {
                let h = doc.heading_of(s);
                let earlier = &doc.md.headings[f];
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        h.span.clone(),
                        format!(
                            "Duplicate section `{}`: `{}` is at line {}",
                            h.text,
                            earlier.text,
                            doc.line_of(earlier.span.start)
                        ),
                    )
                    .with_suggestion("merge the two sections into one"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    #[test]
    fn duplicate_section_reports_the_repeat_by_alias() {
        let text = "## 2. Incident Timeline\n\nx\n\n## Lessons\n\n## Timeline\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## Timeline"]);
        assert_eq!(lines(text, &d), vec![7]);
        assert_eq!(
            d[0].message,
            "Duplicate section `Timeline`: `2. Incident Timeline` is at line 1"
        );
    }

    #[test]
    fn duplicate_section_ignores_unconfigured_and_nested_headings() {
        let text = "## Appendix\n\n## Appendix: logs\n\n## Summary\n\n### Summary\n\n## Notes\n\n## Notes\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn duplicate_section_allows_an_appendix_after_the_references() {
        let text = "## 10. References

* a link

## Appendix

raw logs
";
        assert!(run(&RULE, text).is_empty());
        let text = "## 10. References

* a link

## Links

more
";
        assert_eq!(flagged(text, &run(&RULE, text)), vec!["## Links"]);
    }
}
