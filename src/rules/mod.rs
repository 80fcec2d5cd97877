//! The rule registry. One rule, one file: each file declares its rule with
//! [`declare_rule!`] (id, default severity, summary, options and the user
//! documentation as the doc comment) and a `check` function over the parsed
//! [`Document`]. Adding a rule is adding a file and a line in [`RULES`].

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::document::Document;
use chrono::NaiveDate;
use std::cell::OnceCell;

pub mod custom;
pub mod facts;
mod missing_column;
pub mod people;
pub mod placeholders;

mod action_item_due_date;
mod action_item_id;
mod action_item_overdue;
mod action_item_owner;
mod action_item_status;
mod action_item_vague;
mod action_items_missing;
mod blameless_language;
mod counterfactual_language;
mod duplicate_section;
mod duration_mismatch;
mod empty_section;
mod file_encoding;
mod frontmatter_date;
mod frontmatter_invalid;
mod frontmatter_missing;
mod frontmatter_required;
mod frontmatter_status;
mod impact_unquantified;
pub(crate) mod incident_id;
mod incident_window;
mod individual_blamed;
mod metadata_mismatch;
mod minimizing_language;
mod required_section;
mod root_cause_depth;
mod root_cause_missing;
mod section_order;
mod template_placeholder;
mod timeline_missing;
mod timeline_order;
mod timeline_time;
mod timeline_window;
mod unknown_rule;
mod unused_suppression;

/// Checks a document and pushes findings.
pub type CheckFn = fn(&Ctx<'_>, &mut Vec<Diagnostic>);

/// A built-in rule: its identity, documentation and check.
pub struct Rule {
    /// Stable kebab-case id (public interface).
    pub id: &'static str,
    pub default: Severity,
    /// One line for `pmlint rules` and the README table.
    pub summary: &'static str,
    /// The full documentation (Markdown): what it does, why, examples.
    pub docs: &'static str,
    /// Reported one level lower while the post-mortem is a Draft.
    pub draft_relaxed: bool,
    /// Option keys accepted under `rules.<id>`.
    pub options: &'static [&'static str],
    /// `None` for rules the pipeline itself reports (file encoding,
    /// suppression comments).
    pub check: Option<CheckFn>,
}

impl Rule {
    /// The documentation as Markdown: the doc comment's lines without the
    /// one blank that `///` leaves in front of each.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string()
    }
}

impl Rule {
    /// The rule's page as `pmlint explain` prints it and as
    /// `docs/rules/<id>.md` carries it: title, default level, options, then
    /// the documentation.
    pub fn explanation(&self) -> String {
        let mut s = format!(
            "# {}\n\nDefault level: {}{}\n",
            self.id,
            self.default,
            if self.draft_relaxed {
                " (one level lower in Draft post-mortems)"
            } else {
                ""
            }
        );
        if !self.options.is_empty() {
            s.push_str(&format!("Options: {}\n", self.options.join(", ")));
        }
        s.push('\n');
        s.push_str(&self.documentation());
        s.push('\n');
        s
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// Declares a rule. The doc comment is the rule's user documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $name:ident {
            id: $id:literal,
            default: $sev:ident,
            summary: $summary:literal,
            draft_relaxed: $relaxed:literal,
            options: [$($opt:literal),* $(,)?],
            check: $check:expr $(,)?
        }
    ) => {
        pub(crate) static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $id,
            default: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            draft_relaxed: $relaxed,
            options: &[$($opt),*],
            check: $check,
        };
    };
}
pub(crate) use declare_rule;

/// Starts building, on `pool`, the automata that the rules `selected`
/// lets run will need (the word packs and the placeholder and vague-action
/// patterns), largest first, and returns at once. Each is otherwise built
/// on first use, one after the other, by whichever worker needs it first;
/// this spreads that start-up work over the pool while the files are
/// read. A worker that needs an automaton still being built waits for
/// it; nothing is built twice.
pub fn warm_up(pool: &rayon::ThreadPool, selected: &dyn Fn(&str) -> bool) {
    use crate::language::{BLAMELESS, BUILTIN, COUNTERFACTUAL, INDIVIDUAL_BLAME, MINIMIZING};
    use std::sync::LazyLock;
    let language = [
        blameless_language::RULE.id,
        counterfactual_language::RULE.id,
        minimizing_language::RULE.id,
        individual_blamed::RULE.id,
    ];
    // The four packs share one automaton (and the person word lists of
    // `individual-blame.yml`): any language rule needs all of them. Each
    // pack's patterns are parsed on its own worker, then the automaton is
    // built from them.
    if language.iter().any(|id| selected(id)) {
        let packs = [&BLAMELESS, &INDIVIDUAL_BLAME, &COUNTERFACTUAL, &MINIMIZING];
        match crate::language::scan() {
            crate::language::Scan::Shared => {
                for pack in packs {
                    pool.spawn(move || {
                        let _ = LazyLock::force(pack);
                    });
                }
                pool.spawn(|| {
                    let _ = LazyLock::force(&BUILTIN);
                });
                // Where a pattern of an earlier pack wins in the shared
                // automaton, a later pack asks its own automaton
                // (`Matcher::match_at`); the first pack never does.
                for pack in [&COUNTERFACTUAL, &MINIMIZING, &INDIVIDUAL_BLAME] {
                    pool.spawn(move || {
                        let _ = pack.own_matcher();
                    });
                }
            }
            // Each job loads its pack, then builds the pack's automaton.
            crate::language::Scan::Separate => {
                for pack in packs {
                    pool.spawn(move || {
                        let _ = pack.own_matcher();
                    });
                }
            }
        }
    }
    pool.spawn(placeholders::warm_up);
    if selected(action_item_vague::RULE.id) {
        pool.spawn(action_item_vague::warm_up);
    }
}

/// Every built-in rule, in catalogue order.
pub static RULES: &[&Rule] = &[
    &file_encoding::RULE,
    &frontmatter_missing::RULE,
    &frontmatter_invalid::RULE,
    &frontmatter_required::RULE,
    &frontmatter_status::RULE,
    &frontmatter_date::RULE,
    &incident_window::RULE,
    &duration_mismatch::RULE,
    &required_section::RULE,
    &section_order::RULE,
    &duplicate_section::RULE,
    &empty_section::RULE,
    &template_placeholder::RULE,
    &incident_id::RULE,
    &metadata_mismatch::RULE,
    &timeline_missing::RULE,
    &timeline_time::RULE,
    &timeline_order::RULE,
    &timeline_window::RULE,
    &impact_unquantified::RULE,
    &root_cause_missing::RULE,
    &root_cause_depth::RULE,
    &action_items_missing::RULE,
    &action_item_id::RULE,
    &action_item_owner::RULE,
    &action_item_due_date::RULE,
    &action_item_status::RULE,
    &action_item_overdue::RULE,
    &action_item_vague::RULE,
    &blameless_language::RULE,
    &counterfactual_language::RULE,
    &minimizing_language::RULE,
    &individual_blamed::RULE,
    &unknown_rule::RULE,
    &unused_suppression::RULE,
];

pub fn all() -> &'static [&'static Rule] {
    RULES
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// What a rule's check sees: the document, the settings, the date that
/// counts as today, and facts computed once and shared between rules.
pub struct Ctx<'a> {
    pub doc: &'a Document<'a>,
    pub settings: &'a Settings,
    pub today: NaiveDate,
    /// The file's path as reported (for messages only; rules do no I/O).
    pub path: &'a str,
    incident: OnceCell<facts::Incident<'a>>,
    people: OnceCell<people::People>,
    placeholders: OnceCell<placeholders::Found>,
    pack_scratch: crate::language::Scratch,
}

impl<'a> Ctx<'a> {
    pub fn new(
        doc: &'a Document<'a>,
        settings: &'a Settings,
        today: NaiveDate,
        path: &'a str,
    ) -> Ctx<'a> {
        Ctx {
            doc,
            settings,
            today,
            path,
            incident: OnceCell::new(),
            people: OnceCell::new(),
            placeholders: OnceCell::new(),
            pack_scratch: crate::language::Scratch::default(),
        }
    }

    /// The incident's parsed times and review date (front matter).
    pub fn incident(&self) -> &facts::Incident<'a> {
        self.incident
            .get_or_init(|| facts::Incident::compute(self.doc, self.settings))
    }

    /// Who counts as a person in this document.
    pub fn people(&self) -> &people::People {
        self.people
            .get_or_init(|| people::People::compute(self.doc, self.settings))
    }

    /// Template placeholders left in the body.
    pub fn placeholders(&self) -> &placeholders::Found {
        self.placeholders.get_or_init(|| {
            // The word packs scan the same lower-cased mask.
            let lower = self.pack_scratch.lower(&self.doc.md.mask);
            placeholders::Found::compute_lowered(self.doc, self.settings, lower)
        })
    }

    /// The matches of a built-in word pack in `range` of the prose mask
    /// (one scan serves all four packs).
    pub fn pack_hits(
        &self,
        pack: &crate::language::Pack,
        range: Span,
    ) -> Vec<crate::language::Hit> {
        crate::language::builtin_hits(pack, &self.doc.md.mask, range, &self.pack_scratch)
    }

    /// Whether the document's status is Draft.
    pub fn is_draft(&self) -> bool {
        self.doc
            .status()
            .is_some_and(|s| crate::config::normalize_status(&s) == "draft")
    }
}

/// Shared imports for rule files.
pub(crate) mod prelude {
    pub(crate) use super::{declare_rule, Ctx};
    #[allow(unused_imports)]
    pub(crate) use crate::diagnostic::{Diagnostic, Span};
    #[allow(unused_imports)]
    pub(crate) use crate::document::{Document, Role};
}

#[cfg(test)]
#[allow(dead_code)] // used by the rules' unit tests
pub(crate) mod test_util {
    //! Helpers for rule unit tests: run one rule on a text.
    use super::*;

    /// One step of the xorshift generator the tests' random texts use:
    /// advances `x` and returns it.
    pub(crate) fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    /// `count` pieces drawn from `pieces` by [`xorshift`] on `x`, joined:
    /// the random texts of the property tests.
    pub(crate) fn random_concat(pieces: &[&str], count: u64, x: &mut u64) -> String {
        (0..count)
            .map(|_| pieces[(xorshift(x) % pieces.len() as u64) as usize])
            .collect()
    }

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 1).expect("valid date")
    }

    /// Runs `rule` on `text` with the default settings.
    pub(crate) fn run(rule: &Rule, text: &str) -> Vec<Diagnostic> {
        run_with(rule, text, &Settings::defaults())
    }

    pub(crate) fn run_with(rule: &Rule, text: &str, settings: &Settings) -> Vec<Diagnostic> {
        let doc = Document::parse(text, settings);
        let ctx = Ctx::new(&doc, settings, today(), "test.md");
        let mut out = Vec::new();
        if let Some(check) = rule.check {
            check(&ctx, &mut out);
        }
        out
    }

    /// The text each finding points at.
    pub(crate) fn flagged<'t>(text: &'t str, diags: &[Diagnostic]) -> Vec<&'t str> {
        diags.iter().map(|d| &text[d.span.clone()]).collect()
    }

    /// 1-based lines of the findings.
    pub(crate) fn lines(text: &str, diags: &[Diagnostic]) -> Vec<usize> {
        let idx = crate::diagnostic::LineIndex::new(text);
        diags
            .iter()
            .map(|d| idx.position(text, d.span.start).line)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(
                    r.documentation().lines().any(|l| l == heading),
                    "{} docs lack `{heading}`",
                    r.id
                );
            }
            assert!(!r.summary.is_empty());
        }
    }
}
