use super::missing_column::MissingColumn;
use super::prelude::*;
use crate::document::action_items::is_unset_value;

declare_rule! {
    /// ## What it does
    /// Reports an action item whose owner is missing or a placeholder
    /// (`TBD`, `TODO`, `?`, `-`, `N/A`, `none`, `[Owner]`, `<name>`), and,
    /// when `owner_pattern` is set (e.g. GitHub handles
    /// `^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$`), an owner that does not match
    /// it. Several owners separated by `,`, `;`, `&` or ` and ` must each
    /// match. The template's example names (`Jane Doe` …) are left to
    /// `template-placeholder`. A table without an Owner column is one
    /// finding at its header row.
    ///
    /// ## Why is this bad?
    /// An item nobody owns is an item nobody does.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | TBD | 2025-08-01 | Open |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | Open |
    /// ```
    RULE {
        id: "action-item-owner",
        default: Error,
        summary: "an action item has no owner, a placeholder owner, or a malformed one",
        draft_relaxed: true,
        options: ["owner_pattern"],
        check: Some(check),
    }
}

const FIX: &str = "name one accountable person or team, e.g. `@alice`";

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mut missing_column = MissingColumn::default();
    for item in &doc.action_items {
        // Named only in a finding: most items have a good owner.
        let name = || item.name();
        let owner = match &item.owner {
            Some(f) => f,
            None => {
                if missing_column.check(
                    doc,
                    item,
                    |c| c.owner,
                    RULE.id,
                    "Owner",
                    "add an `Owner` column",
                    out,
                ) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        item.anchor.clone(),
                        format!("{} has no owner", name()),
                    )
                    .with_suggestion(FIX),
                );
                continue;
            }
        };
        // Plain text is empty for inline HTML such as `<name>`: read the source.
        let raw = if owner.is_blank() {
            doc.text.get(owner.span.clone()).unwrap_or("").trim()
        } else {
            owner.text.trim()
        };
        if raw.is_empty() {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    item.anchor.clone(),
                    format!("{} has no owner", name()),
                )
                .with_suggestion(FIX),
            );
            continue;
        }
        if is_unset_value(raw) {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    owner.span.clone(),
                    format!("Owner `{raw}` of {} is a placeholder", name()),
                )
                .with_suggestion(FIX),
            );
            continue;
        }
        if ctx.placeholders().covers(&owner.span) {
            // The template's example names: `template-placeholder` reports them.
            continue;
        }
        if let Some(pattern) = &ctx.settings.options.owner_pattern {
            let bad = split_owners(raw).find(|o| {
                !pattern
                    .find(o)
                    .is_some_and(|m| m.start() == 0 && m.end() == o.len())
            });
            if let Some(bad) = bad {
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        owner.span.clone(),
                        format!(
                            "Owner `{bad}` of {} does not match `{}`",
                            name(),
                            pattern.as_str()
                        ),
                    )
                    .with_suggestion(
                        "write the owner as the pattern expects, e.g. a GitHub handle `@alice`",
                    ),
                );
            }
        }
    }
}

fn split_owners(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, lines, run, run_with};

    const HEAD: &str = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n";

    fn with_pattern() -> Settings {
        let mut c = Config::default();
        let yaml = "owner_pattern: '^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$'";
        c.rules.insert(
            "action-item-owner".into(),
            serde_yaml::from_str(yaml).unwrap(),
        );
        Settings::resolve(c, None).unwrap()
    }

    #[test]
    fn placeholder_owners_are_reported_with_the_item_id() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | TBD |\n| PM-AI-2 | Add b | N/A |\n| PM-AI-3 | Add c | ? |\n| PM-AI-4 | Add d | - |\n| PM-AI-5 | Add e | [Owner] |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["TBD", "N/A", "?", "-", "[Owner]"]);
        assert_eq!(d[0].message, "Owner `TBD` of PM-AI-1 is a placeholder");
    }

    #[test]
    fn empty_owner_cell_is_missing_and_points_at_the_row() {
        let text = format!("{HEAD}| PM-AI-1 | Add a |  |\n");
        let d = run(&RULE, &text);
        assert_eq!(lines(&text, &d), [5]);
        assert_eq!(d[0].message, "PM-AI-1 has no owner");
    }

    #[test]
    fn real_owners_pass_without_a_pattern() {
        let text =
            format!("{HEAD}| PM-AI-1 | Add a | Priya Raman |\n| PM-AI-2 | Add b | @sre-team |\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn owner_pattern_rejects_names_and_accepts_handles_and_teams() {
        let text = format!("{HEAD}| PM-AI-1 | Add a | Priya Raman |\n| PM-AI-2 | Add b | @alice, @org/sre |\n| PM-AI-3 | Add c | @bob and carol |\n");
        let d = run_with(&RULE, &text, &with_pattern());
        assert_eq!(flagged(&text, &d), ["Priya Raman", "@bob and carol"]);
        assert!(d[1].message.contains("`carol`"));
    }

    #[test]
    fn task_item_without_owner_is_reported() {
        let text = "## Action Items\n\n- [ ] PM-AI-1: Add a canary stage, due: 2025-09-01\n";
        let d = run(&RULE, text);
        assert_eq!(d[0].message, "PM-AI-1 has no owner");
    }

    #[test]
    fn table_without_owner_column_is_one_finding() {
        let text = "## Action Items\n\n| ID | Description | Status |\n|---|---|---|\n| PM-AI-1 | Add a | Open |\n| PM-AI-2 | Add b | Open |\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["| ID | Description | Status |"]);
    }
}
