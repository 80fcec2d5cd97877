use super::prelude::*;
use crate::language::BLAMELESS;

declare_rule! {
    /// ## What it does
    /// Flags blaming or judgmental wording — "human error", "operator
    /// error", "fault of", "careless", "negligent", "sloppy",
    /// "incompetent", "lazy", "reckless", "stupid", "screwed up", "dropped
    /// the ball", "fat-fingered", "rookie mistake", "should have known
    /// better", "PEBKAC" and many more, with their inflections
    /// ("carelessness", "negligence") — and suggests a neutral rewording.
    /// The phrases live in `rules/blameless.yml`.
    ///
    /// Technical uses do not fire: "the error rate", "error budget",
    /// "fault tolerance", "Kubernetes operator error handling", "lazy
    /// loading", "sloppy quorum". Code spans and blocks, link URLs, HTML
    /// comments, block quotes (quoted chat and logs) and the front matter
    /// are not scanned; headings and table cells are.
    ///
    /// ## Why is this bad?
    /// A blameless review looks for the conditions that made a failure
    /// possible. Labelling a person's action as careless or as "human
    /// error" ends the inquiry at the person, discourages candid accounts
    /// in the next review, and leaves the system that allowed the mistake
    /// unchanged.
    ///
    /// ## Example
    /// ```markdown
    /// The outage was caused by human error: a careless engineer
    /// fat-fingered the replica count.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// The replica count was set to 0; the deploy tool accepted the value
    /// without a confirmation step.
    /// ```
    RULE {
        id: "blameless-language",
        default: Error,
        summary: "blaming or judgmental wording",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mask = &ctx.doc.md.mask;
    for hit in super::people::language_hits(ctx, &BLAMELESS) {
        out.push(BLAMELESS.diagnostic(RULE.id, mask, &hit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, lines, run};

    fn hits(text: &str) -> Vec<&str> {
        flagged(text, &run(&RULE, text))
    }

    #[test]
    fn blameless_language_flags_blame_with_a_suggestion() {
        let text = "# Review\n\nThe outage was human error by a careless operator.\n";
        let diags = run(&RULE, text);
        assert_eq!(flagged(text, &diags), vec!["human error", "careless"]);
        assert_eq!(lines(text, &diags), vec![3, 3]);
        assert!(diags.iter().all(|d| d.suggestion.is_some()));
        assert_eq!(
            diags[0].message,
            "Blaming or judgmental wording: \"human error\""
        );
    }

    #[test]
    fn blameless_language_matches_inflections_and_phrases() {
        let text = "Pure carelessness and negligence. It was operator error. \
                    It was the fault of the DBA. Sloppy work, incompetent and lazy. \
                    A reckless, stupid change. We screwed up and dropped the ball. \
                    Someone fat-fingered it, a rookie mistake; he should have known better. \
                    Classic PEBKAC, user error. He messed up and botched it. What an idiot.";
        assert_eq!(
            hits(text),
            vec![
                "carelessness",
                "negligence",
                "operator error",
                "fault of",
                "Sloppy",
                "incompetent",
                "lazy",
                "reckless",
                "stupid",
                "screwed up",
                "dropped the ball",
                "fat-fingered",
                "rookie mistake",
                "should have known better",
                "PEBKAC",
                "user error",
                "messed up",
                "botched",
                "idiot",
            ]
        );
    }

    #[test]
    fn blameless_language_blames_people_not_components_for_fault() {
        let text = "The engineer was at fault. Jane made a mistake. The load balancer was \
                    at fault. The parser made an error. Nobody was at fault. No one is to blame.";
        let mut settings = crate::config::Settings::defaults();
        settings.people = vec!["Jane".into()];
        let diags = crate::rules::test_util::run_with(&RULE, text, &settings);
        assert_eq!(flagged(text, &diags), vec!["at fault", "made a mistake"]);
    }

    #[test]
    fn blameless_language_spans_line_breaks_and_emphasis() {
        let text = "It was **human\nerror**.\n";
        assert_eq!(hits(text), vec!["human\nerror"]);
    }

    #[test]
    fn blameless_language_ignores_technical_uses() {
        let text = "# Review\n\n\
            The error rate rose and the error budget burned. The human error rate \
            of the form study is unrelated. Fault tolerance held; our fault tolerance \
            design and fault injection tests passed. The operator restarted pods. \
            The Kubernetes operator error handling retried. The operator error log \
            was noisy. Lazy loading and lazily initialised caches, a sloppy quorum, \
            and lazy-loaded modules are fine. Negligible latency. The test failed to start. \
            Nobody is to blame. We ran git blame on the file. The fault was in the disk.\n";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn blameless_language_ignores_code_quotes_comments_urls_and_front_matter() {
        let text = "---\ntitle: careless\nauthor: Jane\n---\n\n\
            Run `blame --careless`.\n\n```\nhuman error\n```\n\n\
            > chat: that was sloppy\n\n<!-- human error -->\n\n\
            See [the log](https://x.example/careless).\n";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn blameless_language_scans_headings_and_table_cells() {
        let text = "## Human error\n\n| Time | Event |\n|---|---|\n| 10:00 | careless push |\n";
        assert_eq!(hits(text), vec!["Human error", "careless"]);
    }

    #[test]
    fn blameless_language_accepts_typographic_apostrophes() {
        assert_eq!(
            hits("It was nobody’s fault but she should’ve known better."),
            vec!["should’ve known better"]
        );
    }
}
