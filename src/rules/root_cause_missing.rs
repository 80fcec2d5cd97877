use super::placeholders::has_sentence;
use super::prelude::*;
use crate::document::root_causes::contributing_spans;

declare_rule! {
    /// ## What it does
    /// Reports a root-cause section that names no root cause. A root cause
    /// is named by a labelled item (`**Root Cause 1:** …`) or sub-heading
    /// (`### Root Cause 1: …`) with real text, or — in a section that uses
    /// no such labels — by a sentence of prose. Template placeholders and
    /// `Contributing Factors` name no root cause. The finding points at the
    /// section's heading; a post-mortem without the section at all is
    /// reported by `required-section` instead.
    ///
    /// ## Why is this bad?
    /// A review that does not say why the incident happened cannot prevent
    /// the next one.
    ///
    /// ## Example
    /// ```markdown
    /// ## 4. Why Did It Happen? (Root Cause Analysis)
    ///
    /// * **Root Cause 1:** [e.g., "Insufficient validation …"]
    /// * **Contributing Factors:** the alert threshold was too high.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 4. Why Did It Happen? (Root Cause Analysis)
    ///
    /// * **Root Cause 1:** The login handler accepted empty tokens.
    ///     * *Why:* The validator was skipped for legacy clients.
    ///     * *Why:* No test covered legacy clients.
    /// ```
    RULE {
        id: "root-cause-missing",
        default: Error,
        summary: "the root-cause section names no root cause",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let Some(si) = doc.role_section(Role::RootCause) else {
        return;
    };
    let section = &doc.sections[si];
    let named = doc.root_causes.iter().any(|c| {
        has_sentence(ctx, &c.text_span) || c.why_spans.iter().any(|w| has_sentence(ctx, w))
    });
    if named {
        return;
    }
    // Prose outside labelled root causes and contributing factors.
    let mut excluded: Vec<Span> = doc.root_causes.iter().map(|c| c.extent.clone()).collect();
    excluded.extend(contributing_spans(doc));
    excluded.sort_by_key(|s| s.start);
    let mut at = section.body.start;
    let mut prose = false;
    for ex in excluded
        .iter()
        .chain(std::iter::once(&(section.body.end..section.body.end)))
    {
        if ex.start > at && has_sentence(ctx, &(at..ex.start.min(section.body.end))) {
            prose = true;
            break;
        }
        at = at.max(ex.end);
    }
    if prose {
        return;
    }
    let heading = doc.heading_of(section);
    out.push(
        Diagnostic::new(
            RULE.id,
            heading.span.clone(),
            format!("\"{}\" names no root cause", heading.text),
        )
        .with_suggestion(
            "add `* **Root Cause 1:** …` with the systemic cause, and `*Why:*` bullets beneath it",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    #[test]
    fn placeholder_only_root_causes_name_nothing() {
        let text = "## 4. Why Did It Happen? (Root Cause Analysis)\n\n[Identify the causes.]\n\n* **Root Cause 1:** [e.g., \"Insufficient validation.\"]\n    * *Why:* [e.g., \"Developer assumed.\"]\n";
        let d = run(&RULE, text);
        assert_eq!(
            flagged(text, &d),
            ["## 4. Why Did It Happen? (Root Cause Analysis)"]
        );
    }

    #[test]
    fn contributing_factors_are_not_a_root_cause() {
        let text =
            "## Root Causes\n\n* **Contributing Factors:** the alert threshold was too high.\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }

    #[test]
    fn labelled_root_cause_with_text_is_enough() {
        let text = "## Root Causes\n\n* **Root Cause 1:** The handler accepted empty tokens.\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn unlabelled_prose_names_a_root_cause() {
        let text =
            "## Root Cause Analysis\n\nA zero TTL in the cache config made every request miss.\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn missing_section_is_left_to_required_section() {
        assert!(run(&RULE, "## Timeline\n\ntext\n").is_empty());
    }
}
