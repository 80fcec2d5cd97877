use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports each configured section (`sections` in the configuration,
    /// `required: true` by default) that no heading of the post-mortem names.
    /// Headings match by name or alias, ignoring a number prefix, emoji,
    /// case, punctuation and a trailing parenthetical. The finding points at
    /// the first line after the front matter.
    ///
    /// ## Why is this bad?
    /// A review without, say, its action items or its root-cause analysis is
    /// incomplete, and readers looking for that part will not find it.
    ///
    /// ## Example
    /// ```markdown
    /// ## 1. Incident Summary
    /// ## 3. What Happened?
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 1. Incident Summary
    /// ## 2. Incident Timeline
    /// ## 3. What Happened?
    /// ```
    RULE {
        id: "required-section",
        default: Error,
        summary: "a configured section is missing",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let settings = ctx.settings;
    // A section nested deeper than the section level is still present.
    let mut present = vec![false; settings.sections.len()];
    for s in &doc.sections {
        if let Some(k) = s.kind {
            present[k] = true;
        }
    }
    for k in doc.heading_kinds.iter().flatten() {
        present[*k] = true;
    }
    let at = doc.body_first_line();
    for (k, spec) in settings.sections.iter().enumerate() {
        if !spec.required || present[k] {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.id,
                at.clone(),
                format!("Missing required section `{}`", spec.name),
            )
            .with_suggestion(format!("add a `## {}` section", spec.name)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{lines, run, run_with};

    const ALL: &str = "---\ntitle: t\n---\n# T\n\n## 1. Incident Summary\n\n## 2. Timeline (UTC)\n\n## 🔍 3. What Happened? (Narrative)\n\n## 4. Why Did It Happen? (Root Cause Analysis)\n\n## What Went Well?\n\n## WHAT COULD BE IMPROVED\n\n## Follow-up Actions\n\n## 8. Lessons Learned\n\n## Communication Plan (Post-Incident)\n\n## References\n";

    #[test]
    fn required_section_accepts_aliases_numbers_emoji_and_parentheticals() {
        assert!(run(&RULE, ALL).is_empty());
    }

    #[test]
    fn required_section_points_at_the_first_body_line() {
        let text = ALL.replace("## 8. Lessons Learned\n", "");
        let d = run(&RULE, &text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Missing required section `Lessons Learned`");
        assert_eq!(lines(&text, &d), vec![4]);
    }

    #[test]
    fn required_section_without_front_matter_points_at_line_1() {
        let d = run(&RULE, "## Incident Summary\n\ntext\n");
        assert_eq!(d.len(), 9);
        assert!(lines("## Incident Summary\n\ntext\n", &d)
            .iter()
            .all(|l| *l == 1));
    }

    #[test]
    fn required_section_accepts_a_nested_heading() {
        let text = ALL.replace("## 8. Lessons Learned", "### Lessons Learned");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn required_section_honours_required_false() {
        let mut config = Config::default();
        for s in &mut config.sections {
            if s.name == "References" {
                s.required = false;
            }
        }
        let settings = Settings::resolve(config, None).unwrap();
        let text = ALL.replace("## References\n", "");
        assert!(run_with(&RULE, &text, &settings).is_empty());
    }

    #[test]
    fn required_section_ignores_missing_subsections() {
        // 1.x sub-sections are not required.
        assert!(run(&RULE, ALL).is_empty());
    }
}
