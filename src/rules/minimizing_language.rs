use super::prelude::*;
use crate::language::MINIMIZING;

declare_rule! {
    /// ## What it does
    /// Flags minimizing wording — "obviously", "simply", "just", "clearly",
    /// "of course", "easy", "trivial", "merely", "basically", "needless to
    /// say" … (`rules/minimizing.yml`).
    ///
    /// "just" in its time or quantity sense does not fire: "just before
    /// 14:00", "had just deployed", "just under 2 hours", "just in case".
    /// Negated forms do not fire either: "not easy", "non-trivial". Manner
    /// uses such as "communicated clearly" are left alone.
    ///
    /// ## Why is this bad?
    /// Words that make a step sound trivial imply that whoever did not take
    /// it should have found it easy. What is obvious after the review was
    /// rarely obvious during the incident; the wording also hides the real
    /// cost of a fix from the people planning it.
    ///
    /// ## Example
    /// ```markdown
    /// The fix was simply to restart the pods, which was obviously the
    /// right call.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// Restarting the pods cleared the stale connections.
    /// ```
    RULE {
        id: "minimizing-language",
        default: Info,
        summary: "minimizing wording such as \"simply\" or \"obviously\"",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mask = &ctx.doc.md.mask;
    for hit in super::people::language_hits(ctx, &MINIMIZING) {
        out.push(MINIMIZING.diagnostic(RULE.id, mask, &hit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    fn hits(text: &str) -> Vec<&str> {
        flagged(text, &run(&RULE, text))
    }

    #[test]
    fn minimizing_language_flags_minimizing_words() {
        let text = "Obviously the fix was simply a restart. It was just a typo, \
                    clearly. Of course it was easy and trivial, merely a flag.";
        assert_eq!(
            hits(text),
            vec![
                "Obviously",
                "simply",
                "just",
                "clearly",
                "Of course",
                "easy",
                "trivial",
                "merely"
            ]
        );
        assert!(run(&RULE, text).iter().all(|d| d.suggestion.is_some()));
    }

    #[test]
    fn minimizing_language_keeps_clearly_as_evidence() {
        let text = "The logs clearly showed the OOM kill. The graph clearly indicates a step.";
        assert_eq!(hits(text), Vec::<&str>::new());
        assert_eq!(hits("The cause was clearly the cache."), vec!["clearly"]);
    }

    #[test]
    fn minimizing_language_ignores_just_in_its_time_and_quantity_senses() {
        let text = "The alert fired just before 14:00, just after the deploy we had just \
                    shipped. It lasted just under 2 hours, just like last time. \
                    We kept a replica just in case. We'd just restarted it.";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn minimizing_language_ignores_negated_and_manner_uses() {
        let text = "The failure was not easy to diagnose and the fix was non-trivial. \
                    It was not obvious. The status page communicated clearly; the \
                    steps were clearly documented. The alert was easy to miss. \
                    The race was easy to trigger. Justified, adjusted. \
                    Make rollbacks easy.";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn minimizing_language_ignores_code() {
        assert_eq!(hits("Run `just build` to simplify."), Vec::<&str>::new());
    }
}
