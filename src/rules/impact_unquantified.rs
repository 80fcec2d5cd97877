use super::prelude::*;
use regex::Regex;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Reports an Impact section (the template's 1.5, or any heading named
    /// `Impact`, `Customer Impact`, `Impact Assessment` …) that holds no
    /// number: digits count in any form (`41 lakh`, `3.5k`, `12%`, `2h`,
    /// `$4,000`), number words alone ("a few", "several") do not, and
    /// neither do template placeholders. The finding points at the Impact
    /// heading. Without any Impact heading, the Incident Summary section is
    /// checked instead (dates, times and IDs such as `INC-2025-07-18-001`
    /// do not count there) and the finding points at its heading.
    ///
    /// ## Why is this bad?
    /// "Some users were affected" cannot be compared with other incidents,
    /// an SLA, or the cost of the action items. A rough number is better
    /// than none.
    ///
    /// ## Example
    /// ```markdown
    /// ### 1.5 Impact
    ///
    /// * **Customer Impact:** Several users could not log in.
    /// * **Business Impact:** Some revenue was lost.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ### 1.5 Impact
    ///
    /// * **Customer Impact:** About 12% of logins (roughly 41 lakh requests) failed for 1h 47m.
    /// * **Business Impact:** An estimated $4,000 of orders were delayed.
    /// ```
    RULE {
        id: "impact-unquantified",
        default: Warning,
        summary: "the Impact section holds no number (count, %, duration, money)",
        draft_relaxed: true,
        options: [],
        check: Some(check),
    }
}

/// Digits that are not a quantity of impact: dates, times of day, and IDs
/// with letters and a dash (`INC-2025-07-18-001`, `PM-AI-001`).
static NOT_A_QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-\d[A-Za-z0-9-]*",
    )
    .expect("static regex")
});

/// Whether a heading key (the heading normalised by
/// [`crate::document::normalize_heading`]) names an Impact section.
fn is_impact_heading(n: &str) -> bool {
    n == "impact"
        || n.ends_with(" impact")
        || n.starts_with("impact ")
        || n == "business and customer impact"
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let headings = &doc.md.headings;
    // The first Impact heading with a level deeper than or equal to the
    // sections' (a sub-section or a section of its own).
    let impact = headings.iter().enumerate().find(|(i, h)| {
        h.span.start >= doc.body_start && doc.heading_keys.get(*i).is_some_and(is_impact_heading)
    });
    if let Some((i, h)) = impact {
        let end = headings
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .find(|o| o.level <= h.level)
            .map(|o| o.span.start)
            .unwrap_or(doc.text.len());
        if !has_quantity(ctx, &(h.span.end..end), false) {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    h.span.clone(),
                    format!("Impact section `{}` holds no number", h.text),
                )
                .with_suggestion(
                    "quantify the impact: affected users or requests, error rate (%), duration, \
                     revenue or SLA minutes — an estimate is fine",
                ),
            );
        }
        return;
    }
    let Some(section) = doc
        .role_section(Role::Summary)
        .and_then(|i| doc.sections.get(i))
    else {
        return;
    };
    if !has_quantity(ctx, &section.body, true) {
        let span = headings
            .get(section.heading)
            .map(|h| h.span.clone())
            .unwrap_or(section.span.clone());
        out.push(
            Diagnostic::new(
                RULE.id,
                span,
                "No Impact section, and the summary quantifies no impact",
            )
            .with_suggestion(
                "add an `Impact` sub-section with numbers: affected users or requests, error \
                 rate (%), duration, revenue",
            ),
        );
    }
}

/// Whether prose in `span` (headings and placeholders excluded) holds a
/// digit. `strict` also ignores dates, times of day and IDs.
fn has_quantity(ctx: &Ctx<'_>, span: &Span, strict: bool) -> bool {
    let found = ctx.placeholders();
    ctx.doc.texts_in(span).any(|run| {
        if run.flags.heading || run.flags.table_head {
            return false;
        }
        let Some(text) = ctx.doc.text.get(run.span.clone()) else {
            return false;
        };
        let digit_at = |at: usize| {
            let abs = run.span.start + at;
            !found.covers(&(abs..abs + 1))
        };
        if !strict {
            return text
                .bytes()
                .enumerate()
                .any(|(i, b)| b.is_ascii_digit() && digit_at(i));
        }
        let mut skipped = NOT_A_QUANTITY.find_iter(text).peekable();
        text.bytes().enumerate().any(|(i, b)| {
            while skipped.peek().is_some_and(|m| m.end() <= i) {
                skipped.next();
            }
            let inside = skipped.peek().is_some_and(|m| m.start() <= i);
            b.is_ascii_digit() && !inside && digit_at(i)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    fn doc(impact: &str) -> String {
        format!("---\ntitle: t\n---\n## 1. Incident Summary\n\nOn 2025-07-18 at 14:05 (INC-2025-07-18-001) logins failed.\n\n### 1.5 Impact\n\n{impact}\n\n## 2. Timeline\n\n| Time | Event |\n|---|---|\n| 14:05 | 500 errors |\n")
    }

    #[test]
    fn numbers_in_any_form_count() {
        for s in [
            "About 41 lakh requests failed.",
            "3.5k users",
            "* **Customer Impact:** 12% of logins",
            "Logins failed for 2h.",
            "We refunded $4,000.",
        ] {
            assert!(run(&RULE, &doc(s)).is_empty(), "{s}");
        }
    }

    #[test]
    fn number_words_alone_are_unquantified() {
        let text = doc("* **Customer Impact:** A few users could not log in.\n* **Business Impact:** Several orders were delayed.");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["### 1.5 Impact"]);
    }

    #[test]
    fn digits_in_template_placeholders_do_not_count() {
        let text = doc("[Describe the business and customer impact of the incident. Quantify where possible.]\n\n* **Customer Impact:** [e.g., \"50% of users experienced login failures.\"]");
        assert_eq!(run(&RULE, &text).len(), 1);
    }

    #[test]
    fn digits_after_the_impact_section_do_not_count() {
        // The timeline's `14:05` and `500` lie outside the Impact section.
        assert_eq!(run(&RULE, &doc("Users were unhappy.")).len(), 1);
    }

    #[test]
    fn impact_heading_anywhere_is_used() {
        let text = "## 3. Narrative\n\n### Customer Impact\n\nLogins failed for many users.\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["### Customer Impact"]);
    }

    #[test]
    fn without_impact_heading_the_summary_is_checked_ignoring_dates_and_ids() {
        let text = "## 1. Incident Summary\n\nOn 2025-07-18 at 14:05 UTC, INC-2025-07-18-001: logins failed.\n\n## 2. Timeline\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), vec!["## 1. Incident Summary"]);
        let quantified = text.replace("logins failed", "8% of logins failed");
        assert!(run(&RULE, &quantified).is_empty());
    }

    #[test]
    fn nothing_to_check_without_impact_or_summary() {
        assert!(run(&RULE, "## 3. Narrative\n\nText.\n").is_empty());
    }
}
