use super::placeholders::has_sentence;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a labelled root cause (`**Root Cause N:**` item or
    /// `### Root Cause N` sub-heading) with fewer than `min_whys` (default 2)
    /// "Why" entries. Why entries are `*Why:*` bullets (or bullets starting
    /// "Why …") nested beneath it or written as siblings right after it; a
    /// Why that is still a template placeholder does not count, and a root
    /// cause that is itself only a placeholder is `root-cause-missing`'s
    /// business. Unlabelled prose root causes are not checked.
    ///
    /// ## Why is this bad?
    /// The first answer to "why?" is usually a symptom. Asking again leads
    /// from the trigger to the systemic condition that can be fixed.
    ///
    /// ## Example
    /// ```markdown
    /// * **Root Cause 1:** The deploy shipped a bad config.
    ///     * *Why:* The config was edited by hand.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// * **Root Cause 1:** The deploy shipped a bad config.
    ///     * *Why:* The config was edited by hand.
    ///     * *Why:* The pipeline does not validate configs before rollout.
    /// ```
    RULE {
        id: "root-cause-depth",
        default: Warning,
        summary: "a root cause has too few \"Why\" levels",
        draft_relaxed: false,
        options: ["min_whys"],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let min = ctx.settings.options.min_whys;
    for cause in &ctx.doc.root_causes {
        let whys = cause
            .why_spans
            .iter()
            .filter(|w| has_sentence(ctx, w))
            .count();
        if whys >= min || (whys == 0 && !has_sentence(ctx, &cause.text_span)) {
            continue;
        }
        let label = ctx.doc.text[cause.span.clone()]
            .trim_matches(|c: char| c == '*' || c == '_' || c == '#' || c.is_whitespace())
            .trim_end_matches(':');
        let label = label.split([':', '—', '–']).next().unwrap_or(label).trim();
        let plural = if whys == 1 { "" } else { "s" };
        out.push(
            Diagnostic::new(
                RULE.id,
                cause.span.clone(),
                format!("{label} has {whys} \"Why\" level{plural}; at least {min} expected"),
            )
            .with_suggestion("ask \"why?\" again: add nested `*Why:*` bullets until you reach a condition the team can change"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    #[test]
    fn root_cause_with_one_why_is_too_shallow() {
        let text = "## Root Causes\n\n* **Root Cause 1:** a\n    * *Why:* b\n    * *Why:* c\n* **Root Cause 2:** d\n    * *Why:* e\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["**Root Cause 2:**"]);
        assert_eq!(lines(text, &d), [6]);
        assert_eq!(
            d[0].message,
            "Root Cause 2 has 1 \"Why\" level; at least 2 expected"
        );
    }

    #[test]
    fn sibling_whys_count() {
        let text = "## Root Causes\n\n* **Root Cause 1:** a\n* *Why:* b\n* *Why:* c\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn placeholder_whys_do_not_count_and_placeholder_causes_are_skipped() {
        let text = "## Root Causes\n\n* **Root Cause 1:** real cause\n    * *Why:* [e.g., x]\n    * *Why:* real\n* **Root Cause 2:** [e.g., y]\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["**Root Cause 1:**"]);
    }

    #[test]
    fn contributing_factors_are_not_checked() {
        let text = "## Root Causes\n\n* **Contributing Factors:** slow alert\n";
        assert!(run(&RULE, text).is_empty());
    }
}
