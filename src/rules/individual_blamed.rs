use super::people::Subject;
use super::prelude::*;
use crate::language::INDIVIDUAL_BLAME;

declare_rule! {
    /// ## What it does
    /// In the root-cause, narrative and "What could be improved" sections,
    /// flags a sentence whose subject is a named individual and whose verb
    /// is a failure: "Jane deployed a broken config", "@bob missed the
    /// alert", "Priya pushed the change without review", "Sam accidentally
    /// deleted the production table".
    ///
    /// An individual is an `@handle` (not a team handle `@org/team`) or a
    /// name from `author`, `reviewers`, the configuration's `people`, or
    /// the timeline's Responsible Party column (one or two capitalised
    /// words with no system noun such as System, Service, Bot, Monitoring,
    /// Alert…, Pipeline, Team, Support, On-call, and not listed under
    /// `systems`); a first name alone matches the full name. Pronouns and
    /// role nouns ("the on-call engineer") are not individuals. Neutral
    /// verbs ("acknowledged", "joined", "deployed the fix") never fire. The
    /// failure verbs and the system nouns are in
    /// `rules/individual-blame.yml`.
    ///
    /// ## Why is this bad?
    /// Naming a person as the cause makes the review about them: it invites
    /// blame, makes people guarded in the next review, and stops the
    /// analysis before it reaches the process or system that let one action
    /// cause an outage. The timeline may say who did what; the analysis
    /// should talk about roles and systems.
    ///
    /// ## Example
    /// ```markdown
    /// ## 4. Why Did It Happen?
    ///
    /// Jane deployed a broken config, and @bob missed the alert.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## 4. Why Did It Happen?
    ///
    /// A config with an invalid upstream reached production because the
    /// deploy pipeline does not validate configs; the alert fired during a
    /// shift handover and was not routed to the incoming on-call engineer.
    /// ```
    RULE {
        id: "individual-blamed",
        default: Warning,
        summary: "a named person is the subject of a failure",
        draft_relaxed: false,
        options: [],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mask = &doc.md.mask;
    let kinds: Vec<usize> = [Role::RootCause, Role::Narrative, Role::Improvements]
        .iter()
        .filter_map(|r| doc.roles.get(*r as usize).copied().flatten())
        .collect();
    let pack = &*INDIVIDUAL_BLAME;
    for section in doc
        .sections
        .iter()
        .filter(|s| s.kind.is_some_and(|k| kinds.contains(&k)))
    {
        for hit in ctx.pack_hits(pack, section.body.clone()) {
            let Subject::Individual(person) = ctx.people().subject_before(mask, hit.span.start)
            else {
                continue;
            };
            let mut d = pack.diagnostic(RULE.id, mask, &hit);
            let name = String::from_utf8_lossy(&mask[person.clone()]);
            d.message = d.message.replace("{person}", &name);
            d.span = person.start..hit.span.end;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::rules::test_util::{flagged, run, run_with};

    const TIMELINE: &str = "## 2. Incident Timeline\n\n\
        | Time | Event Description | Responsible Party |\n|---|---|---|\n\
        | 10:00 | Alert fired | Monitoring System |\n\
        | 10:05 | Acknowledged | Jane Doe |\n\
        | 10:06 | Joined | Priya Sharma |\n\
        | 10:07 | Restarted | Deploy Bot |\n\
        | 10:08 | Escalated | Platform Team |\n\n";

    fn doc(section: &str, body: &str) -> String {
        format!("---\ntitle: T\nauthor: Sam Lee\n---\n\n{TIMELINE}## {section}\n\n{body}\n")
    }

    fn hits(text: &str) -> Vec<&str> {
        flagged(text, &run(&RULE, text))
    }

    #[test]
    fn individual_blamed_flags_named_people_with_failure_verbs() {
        let text = doc(
            "4. Why Did It Happen? (Root Cause Analysis)",
            "Jane deployed a broken config. @bob missed the alert. Priya pushed the change \
             to production without review. Sam accidentally deleted the index. \
             Jane Doe, who was on call, forgot to renew the certificate. \
             The job failed to run and @bob missed the alert.",
        );
        let diags = run(&RULE, &text);
        assert_eq!(
            flagged(&text, &diags),
            vec![
                "Jane deployed a broken",
                "@bob missed",
                "Priya pushed the change to production without review",
                "Sam accidentally",
                "Jane Doe, who was on call, forgot to",
                "@bob missed",
            ]
        );
        assert_eq!(
            diags[1].message,
            "@bob is named as the subject of a failure (\"missed\")"
        );
        assert!(diags.iter().all(|d| d.suggestion.is_some()));
    }

    #[test]
    fn one_sentence_breaks_individual_blamed_and_counterfactual_language() {
        let text = doc("3. What Happened?", "Priya missed the page.");
        assert_eq!(hits(&text), vec!["Priya missed"]);
        let counterfactual = crate::rules::find("counterfactual-language").expect("registered");
        assert_eq!(flagged(&text, &run(counterfactual, &text)), vec!["missed"]);
    }

    #[test]
    fn individual_blamed_reads_reviewers_and_keeps_crlf_spans() {
        let text = "---\r\nreviewers: [Ops Team, Kofi Mensah]\r\n---\r\n\r\n## Root Causes\r\n\r\n\
                    Kofi Mensah\r\nignored the alert.\r\n";
        assert_eq!(hits(text), vec!["Kofi Mensah\r\nignored"]);
        let text = text.replace("Kofi Mensah\r\n", "The Ops Team ");
        assert_eq!(hits(&text), Vec::<&str>::new());
    }

    #[test]
    fn individual_blamed_checks_narrative_and_improvements() {
        for section in [
            "3. What Happened? (Narrative)",
            "6. What Could Be Improved?",
        ] {
            let text = doc(section, "Priya missed the page.");
            assert_eq!(hits(&text), vec!["Priya missed"], "{section}");
        }
    }

    #[test]
    fn individual_blamed_ignores_other_sections() {
        let text = doc("5. What Went Well?", "Jane missed nothing.");
        assert_eq!(hits(&text), Vec::<&str>::new());
        // The timeline itself may say who did what.
        let text = "## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | @bob missed the page |\n";
        assert_eq!(hits(text), Vec::<&str>::new());
    }

    #[test]
    fn individual_blamed_ignores_neutral_verbs_roles_pronouns_and_systems() {
        let text = doc(
            "3. What Happened?",
            "Jane acknowledged the alert and joined the call. Priya deployed the fix. \
             The on-call engineer missed the page. We missed the page. \
             Monitoring missed the spike. The Deploy Bot broke the build. \
             The Platform Team forgot to renew it. @org/team missed the alert. \
             The alert for Jane failed to fire. Jane's change broke login. \
             Priya should have access to the dashboard.",
        );
        assert_eq!(hits(&text), Vec::<&str>::new());
    }

    #[test]
    fn individual_blamed_ignores_analysis_phrasal_verbs_and_missed_nothing() {
        let text = doc(
            "3. What Happened?",
            "Priya broke down the problem into three parts. Jane broke the work up by team. \
             Jane skipped ahead to the mitigation section. Priya missed nothing in the review.",
        );
        assert_eq!(hits(&text), Vec::<&str>::new());
        let text = doc(
            "3. What Happened?",
            "Priya broke the build. Jane skipped the canary stage. Priya missed the page.",
        );
        assert_eq!(
            hits(&text),
            vec!["Priya broke", "Jane skipped", "Priya missed"]
        );
    }

    #[test]
    fn individual_blamed_honours_people_and_systems_config() {
        let mut settings = Settings::defaults();
        settings.people = vec!["Alex Kim".into()];
        settings.systems = vec!["Priya".into()];
        let text = doc("Root Causes", "Alex broke the build. Priya missed it.");
        assert_eq!(
            flagged(&text, &run_with(&RULE, &text, &settings)),
            vec!["Alex broke"]
        );
    }

    #[test]
    fn individual_blamed_ignores_template_placeholders_in_front_matter() {
        let text = "---\nauthor: [Name or Role of Post-Mortem Lead]\n---\n\n## Root Causes\n\n\
                    Name missed it. Role missed it.\n";
        assert_eq!(hits(text), Vec::<&str>::new());
    }
}
