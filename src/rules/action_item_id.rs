use super::missing_column::MissingColumn;
use super::prelude::*;
use crate::document::action_items::is_unset_value;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Checks every action item's ID: it must be present, unique within the
    /// file, and match `id_pattern` (default
    /// `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]+$`; the pattern must match the
    /// whole ID, so write it anchored). Markup is ignored: `**PM-AI-001**`
    /// and a linked `[PM-AI-001](https://github.com/o/r/issues/42)` both read
    /// `PM-AI-001`. A duplicate is reported at its second occurrence, naming
    /// the line of the first. A table with no ID column is one finding at
    /// its header row.
    ///
    /// ## Why is this bad?
    /// The ID is the item's identity: `pmlint sync` keys GitHub issues by
    /// it, so an item without a valid, unique ID cannot be tracked.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | Open |
    /// | PM-AI-001 | Write the rollback runbook | @bob | 2025-08-08 | Open |
    /// | ai 3 | Add a canary stage | @carol | 2025-08-15 | Open |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Add a login rate alert | @alice | 2025-08-01 | Open |
    /// | PM-AI-002 | Write the rollback runbook | @bob | 2025-08-08 | Open |
    /// | PM-AI-003 | Add a canary stage | @carol | 2025-08-15 | Open |
    /// ```
    RULE {
        id: "action-item-id",
        default: Error,
        summary: "an action item's ID is missing, duplicated, or malformed",
        draft_relaxed: false,
        options: ["id_pattern"],
        check: Some(check),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let pattern = &ctx.settings.options.id_pattern;
    let mut seen = Seen::for_items(doc.action_items.len());
    let mut missing_column = MissingColumn::default();
    for item in &doc.action_items {
        let id = match &item.id {
            Some(f) if !is_unset_value(&f.text) => f,
            Some(f) => {
                let span = if f.span.is_empty() {
                    item.anchor.clone()
                } else {
                    f.span.clone()
                };
                out.push(missing(item.name().into_owned(), span, Some(&f.text)));
                continue;
            }
            None => {
                if missing_column.check(
                    doc,
                    item,
                    |c| c.id,
                    RULE.id,
                    "ID",
                    "add an `ID` column with IDs such as `PM-AI-001`",
                    out,
                ) {
                    continue;
                }
                out.push(missing(item.name().into_owned(), item.anchor.clone(), None));
                continue;
            }
        };
        let text = id.text.trim();
        if let Some(first) = seen.get(text) {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    id.span.clone(),
                    format!(
                        "Duplicate action-item ID `{text}` (first used on line {})",
                        doc.line_of(first)
                    ),
                )
                .with_suggestion("give this item the next unused ID"),
            );
            continue;
        }
        seen.insert(text, id.span.start);
        let whole = pattern
            .find(text)
            .is_some_and(|m| m.start() == 0 && m.end() == text.len());
        if !whole {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    id.span.clone(),
                    format!(
                        "Action-item ID `{text}` does not match `{}`",
                        pattern.as_str()
                    ),
                )
                .with_suggestion("use an ID such as `PM-AI-001`"),
            );
        }
    }
}

/// The IDs met so far, with where each was first written. A document has
/// a handful of action items: their IDs are compared in order, and hashed
/// only past [`SCANNED`] (hashing each ID was half of this rule's time).
struct Seen<'a> {
    few: Vec<(&'a str, usize)>,
    many: Option<HashMap<&'a str, usize>>,
}

/// IDs up to this many are compared in order.
const SCANNED: usize = 32;

impl<'a> Seen<'a> {
    /// Room for the IDs of `items` action items, up to [`SCANNED`].
    fn for_items(items: usize) -> Seen<'a> {
        Seen {
            few: Vec::with_capacity(items.min(SCANNED + 1)),
            many: None,
        }
    }

    /// Where `id` was first written, if it was met before.
    fn get(&self, id: &str) -> Option<usize> {
        match &self.many {
            Some(map) => map.get(id).copied(),
            None => self.few.iter().find(|(k, _)| *k == id).map(|&(_, at)| at),
        }
    }

    /// Records `id`, not met before, first written at `at`.
    fn insert(&mut self, id: &'a str, at: usize) {
        if let Some(map) = &mut self.many {
            map.insert(id, at);
            return;
        }
        self.few.push((id, at));
        if self.few.len() > SCANNED {
            self.many = Some(self.few.drain(..).collect());
        }
    }
}

fn missing(name: String, span: Span, value: Option<&str>) -> Diagnostic {
    let message = match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => format!("Action item has no ID (`{v}`)"),
        None if name.starts_with("the action item") || name == "an action item" => {
            format!("{} has no ID", capitalise(&name))
        }
        None => "Action item has no ID".to_string(),
    };
    Diagnostic::new(RULE.id, span, message)
        .with_suggestion("give it a unique ID such as `PM-AI-001`")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::rules::test_util::{flagged, lines, run, run_with};

    const HEAD: &str = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n";

    #[test]
    fn duplicate_id_is_reported_at_second_occurrence_naming_the_first_line() {
        let text = format!(
            "{HEAD}| PM-AI-001 | Add a test | @a |\n| **PM-AI-001** | Write runbook | @b |\n"
        );
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["**PM-AI-001**"]);
        assert_eq!(lines(&text, &d), [6]);
        assert!(d[0].message.contains("line 5"), "{}", d[0].message);
    }

    #[test]
    fn duplicates_among_many_items_name_the_first_line() {
        // Past the IDs compared in order, the hashed ones: each duplicate
        // names the line of its first use.
        let mut text = HEAD.to_string();
        for i in 0..100 {
            text.push_str(&format!("| PM-AI-{:03} | Add a test | @a |\n", i % 40));
        }
        let d = run(&RULE, &text);
        assert_eq!(d.len(), 60);
        assert_eq!(lines(&text, &d)[0], 45);
        for (k, diag) in d.iter().enumerate() {
            let first = 5 + (40 + k) % 40;
            assert!(
                diag.message.contains(&format!("line {first})")),
                "{}",
                diag.message
            );
        }
    }

    #[test]
    fn malformed_id_does_not_match_the_pattern() {
        let text = format!("{HEAD}| ai 3 | Add a test | @a |\n| PM-AI-01x | Add a test | @a |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["ai 3", "PM-AI-01x"]);
    }

    #[test]
    fn empty_or_tbd_id_is_missing() {
        let text = format!("{HEAD}|  | Add a test | @a |\n| TBD | Add b | @a |\n");
        let d = run(&RULE, &text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("no ID"));
        assert_eq!(flagged(&text, &d)[1], "TBD");
    }

    #[test]
    fn linked_and_bold_ids_are_valid() {
        let text = format!("{HEAD}| [PM-AI-001](https://github.com/o/r/issues/4) | Add a test | @a |\n| `PM-AI-002` | Add b | @a |\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn table_without_id_column_is_one_finding_at_the_header() {
        let text = "## Action Items\n\n| Description | Owner |\n|---|---|\n| Add a test | @a |\n| Add b | @b |\n";
        let d = run(&RULE, text);
        assert_eq!(flagged(text, &d), ["| Description | Owner |"]);
    }

    #[test]
    fn task_item_without_id_is_reported() {
        let text = "## Action Items\n\n- [ ] Add a canary stage — owner: @a\n";
        let d = run(&RULE, text);
        assert_eq!(lines(text, &d), [3]);
    }

    #[test]
    fn configured_pattern_must_match_the_whole_id() {
        let mut c = Config::default();
        let yaml = "id_pattern: 'PM-AI-\\d{3}'";
        c.rules
            .insert("action-item-id".into(), serde_yaml::from_str(yaml).unwrap());
        let s = Settings::resolve(c, None).unwrap();
        let text = format!("{HEAD}| PM-AI-0001 | Add a test | @a |\n| PM-AI-002 | Add b | @a |\n");
        let d = run_with(&RULE, &text, &s);
        assert_eq!(flagged(&text, &d), ["PM-AI-0001"]);
    }
}
