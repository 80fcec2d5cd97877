use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a front-matter `status` that is not one of the configured
    /// statuses (default `Draft`, `Under Review`, `Finalised`; matched
    /// case-insensitively, `Finalized` accepted). The template's literal
    /// `Draft / Under Review / Finalised` is reported here, not as a
    /// placeholder. A missing or empty status is `frontmatter-required`.
    ///
    /// ## Why is this bad?
    /// The status decides how strictly the review is checked (Draft reviews
    /// are relaxed) and whether its action items are synced.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// status: Draft / Under Review / Finalised
    /// ---
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ---
    /// status: Under Review
    /// ---
    /// ```
    RULE {
        id: "frontmatter-status",
        default: Error,
        summary: "`status` is not one of the allowed statuses",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.doc.fm_value("status") else {
        return;
    };
    let status = v.text.trim();
    if status.is_empty() || ctx.settings.canonical_status(status).is_some() {
        return;
    }
    let allowed = ctx.settings.statuses.join(", ");
    let parts: Vec<&str> = status.split(['/', '|']).map(str::trim).collect();
    let is_choice_list = parts.len() > 1
        && parts
            .iter()
            .all(|p| ctx.settings.canonical_status(p).is_some());
    let d = if is_choice_list {
        Diagnostic::new(
            RULE.id,
            v.span,
            format!("Status is still the template's choice list `{status}`"),
        )
        .with_suggestion(format!("pick one status: {allowed}"))
    } else {
        let hint =
            crate::config::did_you_mean(status, ctx.settings.statuses.iter().map(String::as_str));
        Diagnostic::new(RULE.id, v.span, format!("Unknown status `{status}`")).with_suggestion(
            match hint {
                Some(best) => format!("did you mean `{best}`? Allowed: {allowed}"),
                None => format!("use one of: {allowed}"),
            },
        )
    };
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    fn doc(status: &str) -> String {
        format!("---\ntitle: t\nstatus: {status}\n---\n")
    }

    #[test]
    fn allowed_statuses_pass_case_insensitively() {
        for s in [
            "Draft",
            "under review",
            "FINALISED",
            "Finalized",
            "  Under   Review",
        ] {
            assert!(run(&RULE, &doc(s)).is_empty(), "{s}");
        }
    }

    #[test]
    fn template_choice_list_is_a_status_finding() {
        let text = doc("Draft / Under Review / Finalised");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), vec!["Draft / Under Review / Finalised"]);
        assert!(d[0].message.contains("choice list"));
    }

    #[test]
    fn unknown_status_suggests_the_closest() {
        let d = run(&RULE, &doc("Finalsed"));
        assert_eq!(d[0].message, "Unknown status `Finalsed`");
        assert!(d[0].suggestion.as_deref().unwrap().contains("`Finalised`"));
    }

    #[test]
    fn missing_or_empty_status_is_not_this_rule() {
        assert!(run(&RULE, "---\ntitle: t\n---\n").is_empty());
        assert!(run(&RULE, &doc("")).is_empty());
    }
}
