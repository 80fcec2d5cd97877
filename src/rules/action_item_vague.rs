use super::prelude::*;
use regex::{Regex, RegexSet};
use regex_automata::meta::Regex as MetaRegex;
use serde::Deserialize;
use std::sync::{LazyLock, OnceLock};

declare_rule! {
    /// ## What it does
    /// Reports an action item whose description has fewer than `min_words`
    /// words (default 4), or opens with a vague verb — "investigate", "look
    /// into", "improve", "monitor", "consider", "review", "ensure" … — while
    /// nothing in it is measurable. Measurable means: a number (count,
    /// threshold, percentage, duration, version or date), a threshold word
    /// (`SLO`, `p99`, "at most" …), a named artefact (inline code, a link or
    /// URL, an `@handle`, a runbook/dashboard/RFC), or a concrete
    /// deliverable clause ("… and add an alert"). The phrasings and signals
    /// live in `rules/vague-actions.yml`. Template placeholders are left to
    /// `template-placeholder`.
    ///
    /// ## Why is this bad?
    /// "Improve monitoring" can never be finished, so it never is. An item
    /// should say what will exist, or what number will change, when done.
    ///
    /// ## Example
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Improve monitoring of the auth service | @alice | 2025-08-01 | Open |
    /// | PM-AI-002 | Fix tests | @bob | 2025-08-01 | Open |
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// | ID | Description | Owner | Target Date | Status |
    /// |----|-------------|-------|-------------|--------|
    /// | PM-AI-001 | Alert when auth 5xx rate exceeds 2% for 5 minutes | @alice | 2025-08-01 | Open |
    /// | PM-AI-002 | Add integration tests for expired-token login | @bob | 2025-08-01 | Open |
    /// ```
    RULE {
        id: "action-item-vague",
        default: Warning,
        summary: "an action item's description is too short or vague",
        draft_relaxed: false,
        options: ["min_words"],
        check: Some(check),
    }
}

#[derive(Deserialize)]
struct PackFile {
    entries: Vec<Entry>,
    measurable: Vec<String>,
}

#[derive(Deserialize)]
struct Entry {
    patterns: Vec<String>,
    suggestion: String,
}

struct Pack {
    /// One pattern per entry, each anchored at the start, searched
    /// leftmost-first: as every match starts at 0, the match found is that
    /// of the first entry that matches, with the extent that entry's own
    /// pattern finds (`starts_is_the_first_entry_and_its_own_match` checks
    /// it). A `RegexSet` would allocate a match set per item and still
    /// need the entry's pattern for the extent.
    starts: MetaRegex,
    /// The sources of `starts`, for the tests.
    #[cfg(test)]
    sources: Vec<String>,
    suggestions: Vec<String>,
    measurable_sources: Vec<String>,
    /// Compiled on the first item that starts with a vague phrase.
    measurable: OnceLock<RegexSet>,
}

impl Pack {
    /// The first entry whose pattern matches the start of `text`, and the
    /// text it matches.
    fn start<'t>(&self, text: &'t str) -> Option<(usize, &'t str)> {
        let m = self.starts.find(text)?;
        Some((m.pattern().as_usize(), text.get(m.range()).unwrap_or("")))
    }

    /// The measurable patterns (a broken list, ruled out by the tests,
    /// makes nothing measurable).
    fn measurable(&self) -> &RegexSet {
        self.measurable.get_or_init(|| {
            RegexSet::new(&self.measurable_sources).unwrap_or_else(|_| RegexSet::empty())
        })
    }
}

/// The embedded pack; a broken pack is a build-time mistake caught by the
/// tests, so it degrades to an empty pack rather than panicking.
static PACK: LazyLock<Pack> = LazyLock::new(|| {
    load(include_str!("../../rules/vague-actions.yml")).unwrap_or_else(|_| Pack {
        starts: MetaRegex::new_many::<&str>(&[]).expect("no patterns always compile"),
        #[cfg(test)]
        sources: Vec::new(),
        suggestions: Vec::new(),
        measurable_sources: Vec::new(),
        measurable: OnceLock::new(),
    })
});

/// Compiles the embedded pack now (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&PACK);
}

fn load(yaml: &str) -> Result<Pack, String> {
    let file: PackFile = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let mut sources = Vec::new();
    let mut suggestions = Vec::new();
    for e in &file.entries {
        let alts: Vec<String> = e.patterns.iter().map(|p| p.replace(' ', r"\s+")).collect();
        sources.push(format!(r"(?i)^(?:{})\b", alts.join("|")));
        suggestions.push(e.suggestion.clone());
    }
    let measurable: Vec<String> = file.measurable.iter().map(|m| format!("(?i){m}")).collect();
    Ok(Pack {
        starts: MetaRegex::new_many(&sources).map_err(|e| e.to_string())?,
        #[cfg(test)]
        sources,
        suggestions,
        measurable_sources: measurable,
        measurable: OnceLock::new(),
    })
}

static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|\s)@[A-Za-z0-9]").expect("valid regex"));

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let min_words = ctx.settings.options.min_words;
    for item in &doc.action_items {
        let Some(desc) = &item.description else {
            continue;
        };
        let text = desc.text.trim();
        if text.is_empty() {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    item.anchor.clone(),
                    format!("{} has no description", item.name()),
                )
                .with_suggestion("say what will be done and how you will know it is done"),
            );
            continue;
        }
        if ctx.placeholders().covers(&desc.span)
            || crate::rules::placeholders::is_placeholder_value(text)
        {
            continue;
        }
        let source = doc.text.get(desc.span.clone()).unwrap_or("");
        if let Some((entry, phrase)) = PACK.start(text) {
            let named = source.contains('`')
                || source.contains("](")
                || source.contains("://")
                || HANDLE.is_match(text);
            if !named && !PACK.measurable().is_match(text) {
                // The phrase in the source (after any leading markup).
                let offset = find_lowercase(source, phrase).unwrap_or(0);
                // Lower-casing can change byte lengths outside ASCII: keep
                // the phrase's span only when it lands on the same text.
                let span = match source.get(offset..offset + phrase.len()) {
                    Some(s) if !phrase.is_empty() && s.eq_ignore_ascii_case(phrase) => {
                        desc.span.start + offset..desc.span.start + offset + phrase.len()
                    }
                    _ => desc.span.clone(),
                };
                out.push(
                    Diagnostic::new(
                        RULE.id,
                        span,
                        format!(
                            "{} is vague: \"{phrase}\" with nothing measurable",
                            item.name()
                        ),
                    )
                    .with_suggestion(PACK.suggestions[entry].clone()),
                );
                continue;
            }
        }
        let words = words_up_to(text, min_words);
        if words < min_words {
            out.push(
                Diagnostic::new(
                    RULE.id,
                    desc.span.clone(),
                    format!("{} is too short to act on: \"{text}\" ({words} of {min_words} words)", item.name()),
                )
                .with_suggestion("say what will change and where, e.g. \"Add integration tests for expired-token login\""),
            );
        }
    }
}

/// Where `phrase` lower-cased is first found in `source` lower-cased, as
/// a byte offset into the lower-cased source. On ASCII text lower-casing
/// keeps every byte where it is and is ASCII case folding, so the search
/// needs no lower-cased copies (`find_lowercase_is_find_in_lower_case`
/// checks it).
fn find_lowercase(source: &str, phrase: &str) -> Option<usize> {
    if !(source.is_ascii() && phrase.is_ascii()) {
        return source.to_lowercase().find(&phrase.to_lowercase());
    }
    let (s, p) = (source.as_bytes(), phrase.as_bytes());
    if p.is_empty() {
        return Some(0);
    }
    s.windows(p.len()).position(|w| w.eq_ignore_ascii_case(p))
}

/// How many of `text`'s blank-separated words hold a letter or digit,
/// counted up to `limit`: the count when it is below `limit` (all a
/// message needs), else `limit`.
fn words_up_to(text: &str, limit: usize) -> usize {
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .take(limit)
            .count();
    }
    // ASCII text: the blanks `split_whitespace` splits on are these bytes.
    text.as_bytes()
        .split(|b| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '))
        .filter(|w| w.iter().any(u8::is_ascii_alphanumeric))
        .take(limit)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::{flagged, run};

    const HEAD: &str = "## Action Items\n\n| ID | Description | Owner |\n|---|---|---|\n";

    #[test]
    fn the_embedded_pack_loads() {
        let p = load(include_str!("../../rules/vague-actions.yml")).unwrap();
        assert!(p.sources.len() >= 5);
        // The lazily compiled parts compile.
        for s in &p.sources {
            Regex::new(s).unwrap();
        }
        RegexSet::new(&p.measurable_sources).unwrap();
    }

    /// What `Pack::start` replaced: the first entry of a `RegexSet` over
    /// the entries, and that entry's own pattern's match.
    fn start_by_set<'t>(set: &RegexSet, each: &[Regex], text: &'t str) -> Option<(usize, &'t str)> {
        let entry = set.matches(text).iter().next()?;
        Some((entry, each[entry].find(text).map_or("", |m| m.as_str())))
    }

    #[test]
    fn starts_is_the_first_entry_and_its_own_match() {
        let set = RegexSet::new(&PACK.sources).unwrap();
        let each: Vec<Regex> = PACK
            .sources
            .iter()
            .map(|s| Regex::new(s).unwrap())
            .collect();
        let pieces = [
            "investigate",
            "Investigation",
            " of",
            " into",
            "look",
            "LOOKING",
            " at",
            " into ",
            "make",
            " it ",
            "better",
            "a",
            "x",
            "improve",
            "Improvements",
            "monitor",
            "ing",
            "keep",
            " an eye",
            " track",
            " on",
            "review",
            "explore",
            " options",
            "ensure",
            "be",
            " more",
            " careful",
            "follow",
            " up",
            "try",
            " to",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "-",
            "**",
            "`",
            "é",
            "ſ",
            "\u{212a}",
            "ſtrengthen",
            "optimiſe",
            "1",
            ".",
            ",",
            "İ",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut found = vec![0; PACK.sources.len()];
        for _ in 0..100_000 {
            let mut text = String::new();
            for _ in 0..(crate::rules::test_util::xorshift(&mut x) % 8) {
                let r = crate::rules::test_util::xorshift(&mut x);
                text.push_str(pieces[(r % pieces.len() as u64) as usize]);
            }
            let new = PACK.start(&text);
            assert_eq!(new, start_by_set(&set, &each, &text), "{text:?}");
            if let Some((entry, _)) = new {
                found[entry] += 1;
            }
        }
        assert!(found.iter().all(|n| *n > 100), "{found:?}");
    }

    #[test]
    fn find_lowercase_is_find_in_lower_case() {
        let pieces = [
            "a",
            "A",
            "b",
            "Look",
            "look into",
            "İ",
            "ß",
            "ẞ",
            "é",
            "É",
            "\u{212a}",
            "k",
            "Σ",
            "σ",
            " ",
            "`",
        ];
        let mut x: u64 = 0x1357_9bdf_2468_ace1;
        for _ in 0..50_000 {
            let mut texts = [String::new(), String::new()];
            for (i, t) in texts.iter_mut().enumerate() {
                for _ in 0..(crate::rules::test_util::xorshift(&mut x) % (8 - 5 * i as u64)) {
                    let r = crate::rules::test_util::xorshift(&mut x);
                    t.push_str(pieces[(r % pieces.len() as u64) as usize]);
                }
            }
            let [source, phrase] = &texts;
            assert_eq!(
                find_lowercase(source, phrase),
                source.to_lowercase().find(&phrase.to_lowercase()),
                "{source:?} {phrase:?}"
            );
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let pieces = [
            "a", "Add", "1", "-", "--", "`x`", " ", "  ", "\t", "\n", "\r", "\u{b}", "\u{c}",
            "\u{85}", "\u{a0}", "\u{2003}", "é", "Zoë", "—", "_", ".",
        ];
        let mut x: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(crate::rules::test_util::xorshift(&mut x) % 12) {
                let r = crate::rules::test_util::xorshift(&mut x);
                text.push_str(pieces[(r % pieces.len() as u64) as usize]);
            }
            let all = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            for limit in [0, 1, 4, 100] {
                assert_eq!(words_up_to(&text, limit), all.min(limit), "{text:?}");
            }
        }
    }

    #[test]
    fn vague_verb_with_nothing_measurable_is_flagged_at_the_verb() {
        let text = format!("{HEAD}| PM-AI-1 | Improve monitoring of the auth service | @a |\n| PM-AI-2 | **Look into** the cache eviction behaviour | @a |\n| PM-AI-3 | Investigate why the pool ran dry | @a |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["Improve", "Look into", "Investigate"]);
        assert!(d[0].message.starts_with("PM-AI-1 is vague"));
    }

    #[test]
    fn measurable_targets_and_artefacts_make_it_concrete() {
        let text = format!("{HEAD}| PM-AI-1 | Improve p99 login latency to under 300 ms | @a |\n| PM-AI-2 | Monitor `pgbouncer` pool saturation | @a |\n| PM-AI-3 | Investigate the leak and add a regression test | @a |\n| PM-AI-4 | Review and adjust alert thresholds for Auth | @a |\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn short_description_is_flagged_with_the_word_count() {
        let text = format!("{HEAD}| PM-AI-1 | Fix tests | @a |\n| PM-AI-2 | Add input validation to login | @a |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["Fix tests"]);
        assert!(d[0].message.contains("2 of 4 words"));
    }

    #[test]
    fn vague_verbs_match_whole_words_only() {
        // "Monitoring" is not the verb "monitor" in "Monitorless".
        let text = format!("{HEAD}| PM-AI-1 | Reviewer rotation gets a second approver | @a |\n");
        assert!(run(&RULE, &text).is_empty());
    }

    #[test]
    fn non_ascii_descriptions_never_split_a_character() {
        let text = format!("{HEAD}| PM-AI-1 | İİİ **Improve** things for Zoë | @a |\n| PM-AI-2 | Improve İstanbul routing for all users | @a |\n");
        let d = run(&RULE, &text);
        assert_eq!(flagged(&text, &d), ["Improve"]);
    }

    #[test]
    fn placeholders_are_left_to_template_placeholder() {
        let text = format!("{HEAD}| PM-AI-1 | [e.g., Improve things] | @a |\n");
        assert!(run(&RULE, &text).is_empty());
    }
}
