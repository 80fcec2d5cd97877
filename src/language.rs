//! Word packs: lists of phrases (data, in `rules/*.yml`) compiled into one
//! multi-pattern automaton per pack and run over a document's prose mask.
//!
//! A pack entry's patterns are regular-expression fragments written as
//! phrases: a space stands for any run of blanks (line breaks included), a
//! straight apostrophe also matches the typographic one, matching is
//! case-insensitive and on whole words. At one position a longer phrasing
//! wins ("should have seen it coming" over
//! "should have"). Every match reports the entry it came from, so the
//! entry's suggestion can go with it. An entry may be cancelled by what
//! follows or precedes it (`unless_followed_by`, `unless_preceded_by`), or
//! fire only with a person as its subject (`subject: person`, decided by
//! the rules with `rules::people`). A pack file may also carry the word
//! lists that decide who is a person (`system_nouns`, `role_nouns`,
//! `pronouns`).

use crate::diagnostic::{Diagnostic, Span};
use crate::document::BOUNDARY;
use regex_automata::meta::Regex;
use regex_automata::{Input, MatchKind};
use serde::Deserialize;
use std::sync::{LazyLock, OnceLock};

/// The built-in packs (`rules/*.yml`), compiled once per process.
pub static BLAMELESS: LazyLock<Pack> =
    LazyLock::new(|| builtin("blameless.yml", include_str!("../rules/blameless.yml")));
pub static COUNTERFACTUAL: LazyLock<Pack> = LazyLock::new(|| {
    builtin(
        "counterfactual.yml",
        include_str!("../rules/counterfactual.yml"),
    )
});
pub static MINIMIZING: LazyLock<Pack> =
    LazyLock::new(|| builtin("minimizing.yml", include_str!("../rules/minimizing.yml")));
pub static INDIVIDUAL_BLAME: LazyLock<Pack> = LazyLock::new(|| {
    builtin(
        "individual-blame.yml",
        include_str!("../rules/individual-blame.yml"),
    )
});

fn builtin(name: &str, yaml: &str) -> Pack {
    // Invariant: the embedded packs are valid; `builtin_packs_parse_and_every_entry_has_a_suggestion`
    // and `builtin_guards_compile` prove it, so their guards are not
    // checked again at every start.
    Pack::load(name, yaml, false).unwrap_or_else(|e| panic!("built-in pack {e}"))
}

/// One entry of a pack: phrasings that mean the same thing, and what to
/// write instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub patterns: Vec<String>,
    #[serde(default)]
    pub suggestion: Option<String>,
    /// `person`: only fires when the subject of the phrase is a person.
    #[serde(default)]
    pub subject: Option<String>,
    /// Regular expressions that, matched right after the phrase, cancel it
    /// ("human error rate" is not blame).
    #[serde(default)]
    pub unless_followed_by: Vec<String>,
    /// Regular expressions that, matched right before the phrase, cancel it.
    #[serde(default)]
    pub unless_preceded_by: Vec<String>,
}

/// A pack file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    pub rule: String,
    #[serde(default)]
    pub message: Option<String>,
    pub entries: Vec<Entry>,
    /// Words that make a name a system, not a person ("Monitoring System",
    /// "Platform Team"). A trailing `*` matches any word with that prefix
    /// (`Alert*`: Alerting, Alertmanager).
    #[serde(default)]
    pub system_nouns: Vec<String>,
    /// Nouns naming a role ("engineer", "on-call"): a person for the
    /// person-subject counterfactuals, never an individual.
    #[serde(default)]
    pub role_nouns: Vec<String>,
    /// Subject pronouns ("we", "they", "someone").
    #[serde(default)]
    pub pronouns: Vec<String>,
    /// Role nouns that also name software ("operator", "manager").
    #[serde(default)]
    pub machine_roles: Vec<String>,
    /// Words that, before a machine role, make it a component ("the
    /// *Postgres* operator", "the *secrets* manager").
    #[serde(default)]
    pub machine_modifiers: Vec<String>,
}

/// A compiled pack.
#[derive(Debug)]
pub struct Pack {
    pub rule: String,
    pub message: String,
    pub entries: Vec<Entry>,
    /// Lower-cased word lists of the pack file (see [`PackFile`]).
    pub system_nouns: Vec<String>,
    pub role_nouns: Vec<String>,
    pub pronouns: Vec<String>,
    pub machine_roles: Vec<String>,
    pub machine_modifiers: Vec<String>,
    regex: Regex,
    /// Pattern id → entry index.
    pattern_entry: Vec<usize>,
    guards: Vec<Guards>,
}

/// An entry's guards, compiled on first use: most documents never match
/// most entries, and compiling every guard up front was a fifth of the
/// start-up time of a one-file run.
#[derive(Debug, Default)]
struct Guards {
    after: Option<LazyRegex>,
    before: Option<LazyRegex>,
}

#[derive(Debug)]
struct LazyRegex {
    source: String,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl LazyRegex {
    fn new(source: String) -> LazyRegex {
        LazyRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex; `None` only for a source that does not compile,
    /// which [`Pack::compile`] rules out (and the built-in packs' tests).
    fn get(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| regex::Regex::new(&self.source).ok())
            .as_ref()
    }
}

/// A match of a pack entry in the mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub span: Span,
}

/// Turns a phrase into a regex: spaces match blanks, a straight apostrophe
/// also matches the typographic one (`should’ve`), whole words only,
/// case-insensitive. ASCII word boundaries keep the automaton a DFA on
/// non-ASCII text.
pub fn phrase_regex(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len() + 24);
    let mut in_class = false;
    let mut escaped = false;
    for c in phrase.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                out.push(c);
                escaped = true;
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            ' ' if !in_class => out.push_str(r"[ \t\r\n]+"),
            '\'' if !in_class => out.push_str("['\u{2019}]"),
            _ => out.push(c),
        }
    }
    let starts_word = phrase
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '(' || c == '\\');
    let ends_word = phrase
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == ')' || c == '?' || c == '*');
    format!(
        "(?i){}(?:{}){}",
        if starts_word { r"(?-u:\b)" } else { "" },
        out,
        if ends_word { r"(?-u:\b)" } else { "" }
    )
}

impl Pack {
    /// Parses and compiles a pack file.
    pub fn from_yaml(name: &str, yaml: &str) -> Result<Pack, String> {
        Pack::load(name, yaml, true)
    }

    fn load(name: &str, yaml: &str, check_guards: bool) -> Result<Pack, String> {
        let file: PackFile = serde_yaml::from_str(yaml).map_err(|e| format!("{name}: {e}"))?;
        let message = file.message.clone().unwrap_or_else(|| "\"{match}\"".into());
        let lower = |v: Vec<String>| -> Vec<String> {
            v.into_iter().map(|w| w.trim().to_lowercase()).collect()
        };
        let mut pack = Pack::build(file.rule, message, file.entries, check_guards)?;
        pack.system_nouns = lower(file.system_nouns);
        pack.role_nouns = lower(file.role_nouns);
        pack.pronouns = lower(file.pronouns);
        pack.machine_roles = lower(file.machine_roles);
        pack.machine_modifiers = lower(file.machine_modifiers);
        Ok(pack)
    }

    /// Compiles a pack's entries (every guard is checked).
    pub fn compile(rule: String, message: String, entries: Vec<Entry>) -> Result<Pack, String> {
        Pack::build(rule, message, entries, true)
    }

    fn build(
        rule: String,
        message: String,
        entries: Vec<Entry>,
        check_guards: bool,
    ) -> Result<Pack, String> {
        let mut pattern_entry = Vec::new();
        // Longer phrasings first: at one position the first pattern wins,
        // so "should have seen it coming" must come before "should have".
        // Ordered by the shortest text each can match. Each pattern is
        // parsed once: the automaton is built from the same syntax trees.
        let mut order: Vec<(usize, usize, usize, _)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for p in &e.patterns {
                let re = phrase_regex(p);
                let hir = regex_automata::util::syntax::parse(&re)
                    .map_err(|e| format!("pack `{rule}`: pattern `{p}`: {e}"))?;
                let min_len = hir.properties().minimum_len().unwrap_or(0);
                order.push((min_len, re.len(), i, hir));
            }
        }
        order.sort_by_key(|(min_len, len, _, _)| {
            (std::cmp::Reverse(*min_len), std::cmp::Reverse(*len))
        });
        let mut hirs = Vec::with_capacity(order.len());
        for (_, _, i, hir) in order {
            hirs.push(hir);
            pattern_entry.push(i);
        }
        // No prefilter: the literal prefixes of a hundred case-insensitive
        // phrases make none that is faster than the lazy DFA alone (measured
        // on the benchmark corpus), and extracting them was half the time
        // of building the automaton.
        let regex = Regex::builder()
            .configure(
                Regex::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .auto_prefilter(false),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| format!("pack `{rule}`: {e}"))?;
        let mut guards = Vec::new();
        for e in &entries {
            if let Some(subject) = e.subject.as_deref().filter(|s| *s != "person") {
                return Err(format!(
                    "pack `{rule}`: unknown subject `{subject}` (only `person`)"
                ));
            }
            let join = |list: &[String], anchor_end: bool| -> Result<Option<LazyRegex>, String> {
                if list.is_empty() {
                    return Ok(None);
                }
                let alt = list.join("|");
                let src = if anchor_end {
                    format!(r"(?i)(?:{alt})[ \t\r\n]*$")
                } else {
                    format!(r"(?i)^[ \t\r\n]*(?:{alt})")
                };
                if check_guards {
                    regex::Regex::new(&src).map_err(|e| format!("pack `{rule}`: {e}"))?;
                }
                Ok(Some(LazyRegex::new(src)))
            };
            guards.push(Guards {
                after: join(&e.unless_followed_by, false)?,
                before: join(&e.unless_preceded_by, true)?,
            });
        }
        Ok(Pack {
            rule,
            message,
            entries,
            system_nouns: Vec::new(),
            role_nouns: Vec::new(),
            pronouns: Vec::new(),
            machine_roles: Vec::new(),
            machine_modifiers: Vec::new(),
            regex,
            pattern_entry,
            guards,
        })
    }

    /// All non-overlapping matches in `hay` (a prose mask), leftmost first.
    pub fn find(&self, hay: &[u8]) -> Vec<Hit> {
        self.find_in(hay, 0..hay.len())
    }

    /// The matches inside `range` of `hay`; the bytes around it still count
    /// as context (word boundaries, guards).
    pub fn find_in(&self, hay: &[u8], range: Span) -> Vec<Hit> {
        let mut hits = Vec::new();
        let range = range.start.min(hay.len())..range.end.min(hay.len());
        if range.is_empty() {
            return hits;
        }
        for m in self.regex.find_iter(Input::new(hay).range(range)) {
            let entry = self.pattern_entry[m.pattern().as_usize()];
            let span = m.start()..m.end();
            if m.start() == m.end() || self.guarded(entry, hay, &span) {
                continue;
            }
            hits.push(Hit { entry, span });
        }
        hits
    }

    fn guarded(&self, entry: usize, hay: &[u8], span: &Span) -> bool {
        let g = &self.guards[entry];
        if let Some(after) = g.after.as_ref().and_then(LazyRegex::get) {
            let end = (span.end + 80).min(hay.len());
            let tail = String::from_utf8_lossy(&hay[span.end..end]);
            if after.is_match(&tail) {
                return true;
            }
        }
        if let Some(before) = g.before.as_ref().and_then(LazyRegex::get) {
            let start = span.start.saturating_sub(80);
            let head = String::from_utf8_lossy(&hay[start..span.start]);
            if before.is_match(&head) {
                return true;
            }
        }
        false
    }

    /// The message for a hit, with `{match}` replaced by the matched text
    /// (blanks collapsed).
    pub fn message_for(&self, matched: &str) -> String {
        self.message.replace("{match}", &collapse_blanks(matched))
    }

    /// Whether an entry fires only with a person as the subject.
    pub fn needs_person(&self, entry: usize) -> bool {
        self.entries[entry].subject.as_deref() == Some("person")
    }

    /// A finding for `hit` of rule `rule`: the pack's message with the
    /// matched prose, the entry's suggestion, the exact span.
    pub fn diagnostic(&self, rule: &'static str, mask: &[u8], hit: &Hit) -> Diagnostic {
        let matched = String::from_utf8_lossy(&mask[hit.span.clone()]);
        let d = Diagnostic::new(rule, hit.span.clone(), self.message_for(&matched));
        match &self.entries[hit.entry].suggestion {
            Some(s) => d.with_suggestion(s.clone()),
            None => d,
        }
    }
}

/// Collapses runs of blanks to one space.
pub fn collapse_blanks(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the byte at `i` ends a sentence: `.`, `!`, `?`, `;`, or a
/// boundary byte (block ends, code, table pipes). A period ends one only
/// when a blank follows ("v1.2" and "e.g." mid-word do not).
fn ends_sentence(mask: &[u8], i: usize) -> bool {
    match mask[i] {
        BOUNDARY | b'!' | b'?' | b';' => true,
        b'.' => mask
            .get(i + 1)
            .is_none_or(|n| n.is_ascii_whitespace() || *n == BOUNDARY),
        _ => false,
    }
}

/// The sentence around `span` in the mask: back to the previous sentence
/// end and forward to the next.
pub fn sentence_bounds(mask: &[u8], span: &Span) -> Span {
    let mut start = span.start;
    while start > 0 && !ends_sentence(mask, start - 1) {
        start -= 1;
    }
    let mut end = span.end;
    while end < mask.len() && !ends_sentence(mask, end) {
        end += 1;
    }
    start..end
}

/// Where the sentence holding `at` starts, looking back at most `max_back`
/// bytes (so scanning a long line stays linear in the number of matches).
pub fn clause_start(mask: &[u8], at: usize, max_back: usize) -> usize {
    let at = at.min(mask.len());
    let floor = at.saturating_sub(max_back);
    let mut start = at;
    while start > floor && !ends_sentence(mask, start - 1) {
        start -= 1;
    }
    start
}

/// The words of `mask[range]` with their spans (letters, digits, `@`, `'`,
/// `-`, `/`, `_`, `.` inside a handle).
pub fn words(mask: &[u8], range: Span) -> Vec<(Span, &str)> {
    let mut out = Vec::new();
    let mut i = range.start;
    let is_word = |b: u8| {
        b.is_ascii_alphanumeric() || matches!(b, b'@' | b'\'' | b'-' | b'_' | b'/') || b >= 0x80
    };
    while i < range.end {
        if is_word(mask[i]) {
            let s = i;
            while i < range.end && is_word(mask[i]) {
                i += 1;
            }
            // Trim trailing apostrophes/hyphens.
            let mut e = i;
            while e > s && matches!(mask[e - 1], b'\'' | b'-' | b'/') {
                e -= 1;
            }
            if e > s {
                if let Ok(w) = std::str::from_utf8(&mask[s..e]) {
                    out.push((s..e, w));
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(entries: &str) -> Pack {
        Pack::from_yaml("t", &format!("rule: t\nentries:\n{entries}")).unwrap()
    }

    #[test]
    fn builtin_packs_parse_and_every_entry_has_a_suggestion() {
        let packs = [
            (&*BLAMELESS, "blameless-language"),
            (&*COUNTERFACTUAL, "counterfactual-language"),
            (&*MINIMIZING, "minimizing-language"),
            (&*INDIVIDUAL_BLAME, "individual-blamed"),
        ];
        for (pack, rule) in packs {
            assert_eq!(pack.rule, rule);
            assert!(pack.message.contains("{match}"), "{rule}");
            assert!(pack.entries.len() >= 5, "{rule}");
            for (i, e) in pack.entries.iter().enumerate() {
                assert!(!e.patterns.is_empty(), "{rule} entry {i}");
                assert!(
                    e.suggestion
                        .as_deref()
                        .is_some_and(|s| !s.trim().is_empty()),
                    "{rule} entry {i} has no suggestion"
                );
            }
        }
        assert!(INDIVIDUAL_BLAME
            .system_nouns
            .contains(&"on-call".to_string()));
        assert!(INDIVIDUAL_BLAME
            .role_nouns
            .contains(&"engineer".to_string()));
        assert!(INDIVIDUAL_BLAME.pronouns.contains(&"we".to_string()));
    }

    #[test]
    fn builtin_guards_compile() {
        for pack in [
            &*BLAMELESS,
            &*COUNTERFACTUAL,
            &*MINIMIZING,
            &*INDIVIDUAL_BLAME,
        ] {
            for (i, g) in pack.guards.iter().enumerate() {
                for lazy in [&g.after, &g.before].into_iter().flatten() {
                    assert!(
                        lazy.get().is_some(),
                        "{} entry {i}: {}",
                        pack.rule,
                        lazy.source
                    );
                }
            }
        }
    }

    #[test]
    fn packs_reject_bad_guards_up_front() {
        let err = Pack::from_yaml(
            "t",
            "rule: t\nentries:\n  - patterns: [x]\n    unless_followed_by: ['(']\n",
        )
        .unwrap_err();
        assert!(err.contains("pack `t`"), "{err}");
    }

    #[test]
    fn packs_reject_unknown_fields_and_subjects() {
        assert!(Pack::from_yaml("t", "rule: t\nentries: []\nbogus: 1\n").is_err());
        assert!(Pack::from_yaml(
            "t",
            "rule: t\nentries:\n  - patterns: [x]\n    subject: thing\n"
        )
        .is_err());
    }

    #[test]
    fn straight_apostrophes_match_typographic_ones() {
        let p = pack("  - patterns: [\"should've\"]\n");
        assert_eq!(p.find("we should’ve".as_bytes()).len(), 1);
        assert_eq!(p.find(b"we should've").len(), 1);
    }

    #[test]
    fn sentence_start_is_bounded() {
        let mask = vec![b'a'; 10_000];
        assert_eq!(clause_start(&mask, 9_000, 100), 8_900);
        assert_eq!(clause_start(b"One. Two", 8, 100), 4);
    }

    #[test]
    fn phrases_match_whole_words_across_blanks_case_insensitively() {
        let p = pack("  - patterns: ['human errors?']\n    suggestion: s\n");
        let hay = b"It was Human\n  error, not humane errors or inhuman error.";
        let hits = p.find(hay);
        assert_eq!(hits.len(), 1);
        assert_eq!(&hay[hits[0].span.clone()], b"Human\n  error");
    }

    #[test]
    fn longer_phrasings_win_at_the_same_position() {
        let p =
            pack("  - patterns: ['should have']\n  - patterns: ['should have seen it coming']\n");
        let hits = p.find(b"we should have seen it coming");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entry, 1);
    }

    #[test]
    fn guards_cancel_a_match() {
        let p = pack("  - patterns: ['human error']\n    unless_followed_by: ['rate']\n");
        assert!(p.find(b"the human error rate").is_empty());
        assert_eq!(p.find(b"a human error").len(), 1);
    }

    #[test]
    fn boundaries_end_sentences() {
        let mask = b"First one. Jane missed\x01 it";
        let at = 11..15;
        assert_eq!(sentence_bounds(mask, &at), 10..22);
    }

    #[test]
    fn words_keep_handles_together() {
        let w = words(b"then @bob-x didn't", 0..18);
        let texts: Vec<&str> = w.iter().map(|(_, t)| *t).collect();
        assert_eq!(texts, vec!["then", "@bob-x", "didn't"]);
    }
}
