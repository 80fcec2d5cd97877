use super::prelude::*;
use crate::language::COUNTERFACTUAL;

declare_rule! {
    /// ## What it does
    /// Flags counterfactual and hindsight wording (`rules/counterfactual.yml`).
    ///
    /// Always: "should have", "could have", "would have" (with their
    /// contractions and negations: "should've", "shouldn't have", "would
    /// not have"), "if only", "had we …", "neglected to", "in hindsight",
    /// "in retrospect", "should have seen it coming", "it was obvious
    /// that", "warning signs were ignored".
    ///
    /// Only when the subject is a person — a pronoun (I, we, they, he,
    /// she, someone), an `@handle`, a known name (author, reviewers,
    /// `people`, timeline Responsible Party) or a role noun (engineer,
    /// operator, on-call, developer, reviewer, team, SRE …): "failed to",
    /// "forgot to", "missed", "overlooked", "ignored", and "did not" /
    /// "didn't" / "never" followed by a verb of duty (check, verify,
    /// escalate, notice …). "The health check failed to detect the fault"
    /// and "we did not have an alert for this" are facts and do not fire.
    ///
    /// ## Why is this bad?
    /// Counterfactuals describe a past that did not happen and judge the
    /// people in it by what is known only now. They hide why the actions
    /// taken made sense at the time — which is what the review needs to
    /// learn — and turn the narrative into a list of personal failings.
    ///
    /// ## Example
    /// ```markdown
    /// The on-call engineer should have checked the dashboard; he failed to
    /// escalate and missed the second alert.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// The dashboard showing replication lag was not linked from the alert,
    /// and the runbook had no escalation step; the second alert arrived
    /// while the first was being handled.
    /// ```
    RULE {
        id: "counterfactual-language",
        default: Warning,
        summary: "counterfactual and hindsight wording",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mask = &ctx.doc.md.mask;
    for hit in super::people::language_hits(ctx, &COUNTERFACTUAL) {
        out.push(COUNTERFACTUAL.diagnostic(RULE.id, mask, &hit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::rules::test_util::{flagged, run, run_with};

    fn hits(text: &str) -> Vec<&str> {
        flagged(text, &run(&RULE, text))
    }

    #[test]
    fn counterfactual_language_always_flags_hindsight_phrases() {
        let text = "We should have paged earlier. They could've rolled back. It would not have \
                    helped. If only the cache had expired. The team neglected to renew it. \
                    In hindsight the graph was odd. Someone should have seen it coming. \
                    It was obvious that the disk was full. The warning signs were ignored. \
                    You shouldn't have merged it. Had we checked, it would've been fine. \
                    It could easily have been avoided. We should of course keep paging.";
        assert_eq!(
            hits(text),
            vec![
                "should have",
                "could've",
                "would not have",
                "If only",
                "neglected to",
                "In hindsight",
                "should have seen it coming",
                "It was obvious that",
                "The warning signs were ignored",
                "shouldn't have",
                "Had we checked",
                "would've",
                "could easily have",
            ]
        );
        assert!(run(&RULE, text).iter().all(|d| d.suggestion.is_some()));
    }

    #[test]
    fn counterfactual_language_flags_person_subjects() {
        let text = "The on-call engineer failed to escalate. We forgot to renew the certificate. \
                    I missed the page. They ignored the alert. @bob didn't check the diff. \
                    The reviewers did not notice the typo. Engineers never tested it.";
        assert_eq!(
            hits(text),
            vec![
                "failed to",
                "forgot to",
                "missed",
                "ignored",
                "didn't check",
                "did not notice",
                "never tested"
            ]
        );
    }

    #[test]
    fn counterfactual_language_flags_known_names() {
        let mut settings = Settings::defaults();
        settings.people = vec!["Priya Sharma".into()];
        let text = "Priya missed the page.";
        let diags = run_with(&RULE, text, &settings);
        assert_eq!(flagged(text, &diags), vec!["missed"]);
        // Unknown capitalised words are not assumed to be people.
        assert_eq!(hits("Grafana missed the spike."), Vec::<&str>::new());
    }

    #[test]
    fn counterfactual_language_ignores_systems_as_subjects() {
        let text = "The health check failed to detect the fault. The deploy failed to start. \
                    Failed to connect to the primary. The retry logic ignored the timeout. \
                    The page to the on-call engineer failed to deliver. \
                    We did not have an alert for this. We didn't know the disk was full. \
                    The cache missed on every request. Alerts for the team failed to fire. \
                    After we deployed, missed heartbeats piled up. \
                    Each action item should have an owner. Every service should have alerts. \
                    A slower rollout would have no effect. It could have a bigger impact. \
                    We knew we would have to restart all 40 pods. \
                    The dashboard could have up to 5 minutes of lag.";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn counterfactual_language_treats_software_operators_and_managers_as_systems() {
        let text = "The Postgres operator failed to promote the replica. \
                    The Kubernetes operator missed two reconcile loops. \
                    The secrets manager failed to rotate the key. \
                    The cluster member missed three heartbeats. \
                    The k8s operator ignored the annotation. \
                    The lock owner failed to release it.";
        assert_eq!(hits(text), Vec::<&str>::new());
        let mut settings = Settings::defaults();
        settings.systems = vec!["Strimzi".into()];
        let text = "The Strimzi operator failed to roll the brokers.";
        assert!(run_with(&RULE, text, &settings).is_empty());
    }

    #[test]
    fn counterfactual_language_keeps_human_operators_and_managers() {
        let text = "The on-call operator failed to escalate. \
                    The release manager missed the freeze. \
                    A team member ignored the page. \
                    The operator failed to escalate. \
                    The service owner did not respond.";
        assert_eq!(
            hits(text),
            vec![
                "failed to",
                "missed",
                "ignored",
                "failed to",
                "did not respond"
            ]
        );
    }

    #[test]
    fn counterfactual_language_reads_they_as_the_things_just_named() {
        let text = "After we restarted the pods, they failed to start again. \
                    The replicas were healthy until they missed a heartbeat.";
        assert_eq!(hits(text), Vec::<&str>::new());
        let text = "We paged the engineers, but they failed to respond. They forgot to renew it.";
        assert_eq!(hits(text), vec!["failed to", "forgot to"]);
    }

    #[test]
    fn counterfactual_language_treats_a_missed_target_as_an_outcome() {
        let text = "We missed our SLO by 0.2%. The team missed the October availability target. \
                    We missed the 99.9% monthly objective. They missed nothing.";
        assert_eq!(hits(text), Vec::<&str>::new());
        let text = "We missed the page. The team missed the target alert in the noise.";
        assert_eq!(hits(text), vec!["missed", "missed"]);
    }

    #[test]
    fn counterfactual_language_ignores_code_and_quotes() {
        let text = "`should have` in code.\n\n> we should have paged\n";
        assert_eq!(hits(text), Vec::<&str>::new());
    }
}
