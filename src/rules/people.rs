//! Who counts as a person in a document: names from `author`, `reviewers`,
//! the configuration's `people`, and the timeline's Responsible Party
//! entries that look like a person's name (see SPEC "Who is a person"); and
//! who the subject of a phrase is (an individual, a pronoun, a role, or a
//! thing).
//!
//! The word lists (system nouns, role nouns, pronouns) are data, in
//! `rules/individual-blame.yml`.

use crate::config::Settings;
use crate::diagnostic::Span;
use crate::document::Document;
use crate::language::{clause_start, words, Hit, Pack, INDIVIDUAL_BLAME};
use std::borrow::Cow;
use std::sync::LazyLock;

/// How far back from a phrase its subject is looked for, in bytes. Bounds
/// the work per match on long lines.
const SUBJECT_WINDOW: usize = 240;

/// Words that may stand between a subject and its verb ("we *then* missed",
/// "the engineer *who* forgot", "they *had* failed to").
const BETWEEN: &[&str] = &[
    "also",
    "then",
    "still",
    "again",
    "already",
    "later",
    "first",
    "finally",
    "eventually",
    "once",
    "never",
    "had",
    "has",
    "have",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "both",
    "all",
    "each",
    "who",
    "that",
    "which",
    "themselves",
    "himself",
    "herself",
    "myself",
    "ourselves",
    "just",
    "soon",
    "thus",
    "therefore",
    "unfortunately",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "our", "their", "his", "her", "its", "my", "your", "this", "that", "these",
    "those", "every", "each", "any", "some", "one", "two",
];

const PREPOSITIONS: &[&str] = &[
    "of", "for", "on", "in", "at", "from", "with", "to", "by", "about", "into", "onto", "via",
    "without", "within", "behind", "under", "over", "near", "after", "before", "during",
];

/// Words that start a new clause: a preposition before them governs
/// something else ("failed to act *and* @bob missed").
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "or", "nor", "so", "yet", "while", "when", "because", "since", "as", "although",
    "though", "whereas", "until", "once", "if", "after", "before",
];

/// Lower-case particles allowed inside a person's name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "van", "von", "de", "da", "del", "der", "den", "la", "le", "di", "du", "bin", "al", "ten",
    "ter", "dos", "das",
];

/// The lists of the individual-blame pack that decide who is a person,
/// indexed by first byte. Every candidate name's words are looked up in
/// them: comparing each with every entry (133 system nouns, three forms
/// against 50 role nouns) was over half of finding the people of a
/// document.
struct Lexicon {
    pack: &'static Pack,
    /// The system nouns without a trailing `*`: matched whole.
    system_nouns: Words,
    /// The system nouns written with a trailing `*` (`System*`), without
    /// it: matched as a prefix.
    system_prefixes: Words,
    role_nouns: Words,
    pronouns: Words,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(&INDIVIDUAL_BLAME));

impl Lexicon {
    fn new(pack: &'static Pack) -> Lexicon {
        let mut system_nouns = Words::default();
        let mut system_prefixes = Words::default();
        for s in &pack.system_nouns {
            match s.strip_suffix('*') {
                Some(prefix) => system_prefixes.insert(prefix),
                None => system_nouns.insert(s),
            }
        }
        Lexicon {
            pack,
            system_nouns,
            system_prefixes,
            role_nouns: Words::of(&pack.role_nouns),
            pronouns: Words::of(&pack.pronouns),
        }
    }
}

/// A word list split by first byte: a word is compared only with the
/// entries that start as it does. The last group holds the empty entry.
struct Words {
    groups: Vec<Vec<&'static str>>,
}

impl Default for Words {
    fn default() -> Words {
        Words {
            groups: vec![Vec::new(); 257],
        }
    }
}

impl Words {
    fn of(list: &'static [String]) -> Words {
        let mut words = Words::default();
        for w in list {
            words.insert(w);
        }
        words
    }

    fn insert(&mut self, w: &'static str) {
        let g = group(w);
        if let Some(group) = self.groups.get_mut(g) {
            group.push(w);
        }
    }

    fn group_of(&self, w: &str) -> &[&'static str] {
        self.groups.get(group(w)).map_or(&[], Vec::as_slice)
    }

    /// Whether `w` is in the list.
    fn contains(&self, w: &str) -> bool {
        self.group_of(w).contains(&w)
    }

    /// Whether an entry of the list starts `w`.
    fn has_prefix_of(&self, w: &str) -> bool {
        !self.group_of("").is_empty() || self.group_of(w).iter().any(|p| w.starts_with(p))
    }
}

/// The group of a word in [`Words`]: its first byte, or 256 when empty.
fn group(w: &str) -> usize {
    w.as_bytes().first().map_or(256, |&b| usize::from(b))
}

#[derive(Debug, Clone, Default)]
pub struct People {
    /// Names as written ("Jane Doe", "@jdoe"), deduplicated.
    pub names: Vec<String>,
    /// The configuration's `systems`, lower-cased: before a machine role
    /// ("the Patroni manager") they make it a component.
    systems: Vec<String>,
}

/// The subject of a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An @handle or a known name; the span covers it.
    Individual(Span),
    /// A subject pronoun: we, they, someone …
    Pronoun,
    /// A role noun: the on-call engineer, the team …
    Role,
    /// Anything else, or no subject found.
    Thing,
}

impl Subject {
    /// Pronouns, roles and individuals all count as persons for the
    /// person-subject counterfactuals.
    pub fn is_person(&self) -> bool {
        !matches!(self, Subject::Thing)
    }
}

impl People {
    pub fn compute(doc: &Document, settings: &Settings) -> People {
        let lex = &*LEXICON;
        let mut names: Vec<String> = Vec::new();
        for p in &settings.people {
            let p = p.trim();
            if !p.is_empty() && !in_systems(p, settings) {
                names.push(p.to_string());
            }
        }
        if let Some(fm) = doc.fm() {
            for key in ["author", "reviewers"] {
                if let Some(v) = fm.raw(key) {
                    crate::document::frontmatter::for_each_list_item(v, |value| {
                        candidates(value, |c| {
                            if looks_like_person(c, 4, lex, settings) {
                                names.push(c.to_string());
                            }
                        });
                    });
                }
            }
        }
        if let Some(timeline) = &doc.timeline {
            for row in &timeline.rows {
                let Some(party) = &row.party else { continue };
                candidates(&party.text, |c| {
                    if looks_like_person(c, 2, lex, settings) {
                        names.push(c.to_string());
                    }
                });
            }
        }
        let mut people = People::from_names(names);
        people.systems = settings
            .systems
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        people
    }

    fn from_names(mut names: Vec<String>) -> People {
        names.sort();
        names.dedup();
        People {
            names,
            systems: Vec::new(),
        }
    }

    /// The subject of the phrase starting at `at` in the prose mask: the
    /// nearest noun phrase before it in the same sentence, looking past
    /// adverbs, auxiliaries, relative pronouns, a parenthetical between
    /// commas and prepositional phrases ("the engineer *on call* missed").
    pub fn subject_before(&self, mask: &[u8], at: usize) -> Subject {
        let lex = &*LEXICON;
        let start = clause_start(mask, at, SUBJECT_WINDOW);
        let ws = words(mask, start..at);
        // A word that is lower-case ASCII already (most are) is its own
        // lower case.
        let lower: Vec<Cow<'_, str>> = ws
            .iter()
            .map(|&(_, w)| {
                if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Borrowed(w)
                } else {
                    Cow::Owned(w.to_lowercase())
                }
            })
            .collect();
        let mut i = ws.len();
        let mut gap_end = at;
        let mut hops = 0;
        let mut jumped = false;
        while i > 0 {
            let (span, w) = &ws[i - 1];
            let l = &*lower[i - 1];
            if mask[span.end..gap_end].contains(&b',') {
                // "Jane, who was on call, missed": skip the parenthetical.
                // A single comma is an introductory clause: no subject.
                if jumped {
                    return Subject::Thing;
                }
                jumped = true;
                let Some(comma) = mask[start..span.end].iter().rposition(|&b| b == b',') else {
                    return Subject::Thing;
                };
                let comma = start + comma;
                i = ws.partition_point(|(s, _)| s.end <= comma);
                gap_end = comma;
                continue;
            }
            let bare = strip_contraction(l);
            let kind = if let Some(first) = self.individual_ending_at(&ws[..i]) {
                Some(Subject::Individual(ws[first].0.start..span.end))
            } else if is_pronoun(lex, bare, strip_contraction(w)) {
                // "after we restarted the pods, they failed to start": the
                // pronoun stands for the things named just before it.
                if bare == "they" && self.they_means_things(lex, &ws[..i - 1], &lower[..i - 1]) {
                    return Subject::Thing;
                }
                Some(Subject::Pronoun)
            } else if is_role(lex, bare) {
                // "the Postgres operator failed to reconcile": a component.
                if i >= 2 && self.is_machine_role(lex, bare, &lower[i - 2]) {
                    return Subject::Thing;
                }
                Some(Subject::Role)
            } else {
                None
            };
            if let Some(kind) = kind {
                // "the alert for the team failed": the person is the object
                // of a preposition; the subject lies before it.
                let first = match &kind {
                    Subject::Individual(s) => ws.partition_point(|(w, _)| w.start < s.start),
                    _ => i - 1,
                };
                match preposition_before(&lower, first) {
                    Some(p) if hops < 2 => {
                        hops += 1;
                        i = p;
                        gap_end = ws[p].0.start;
                        continue;
                    }
                    _ => return kind,
                }
            }
            if BETWEEN.contains(&l) || (l.len() > 4 && l.ends_with("ly")) {
                i -= 1;
                gap_end = span.start;
                continue;
            }
            // The head of a noun phrase that is not a person, unless a
            // prepositional phrase ends here ("the engineer on call").
            match preposition_before(&lower, i - 1) {
                Some(p) if hops < 2 => {
                    hops += 1;
                    i = p;
                    gap_end = ws[p].0.start;
                }
                _ => return Subject::Thing,
            }
        }
        Subject::Thing
    }

    /// Whether "they" after the words `ws` (same sentence) most likely
    /// stands for things: looking back, a plural noun after a determiner or
    /// a number ("the pods", "both replicas", "3 nodes") comes before any
    /// person (a pronoun, a role noun such as "engineers", a known name).
    fn they_means_things(
        &self,
        lex: &Lexicon,
        ws: &[(Span, &str)],
        lower: &[Cow<'_, str>],
    ) -> bool {
        for j in (0..ws.len()).rev() {
            let l = &*lower[j];
            if lex.pronouns.contains(l)
                || is_role(lex, l)
                || is_handle(ws[j].1)
                || self.individual_ending_at(&ws[..=j]).is_some()
            {
                return false;
            }
            if is_plural_noun(l) && (1..=2).any(|k| j >= k && is_quantifier(&lower[j - k])) {
                return true;
            }
        }
        false
    }

    /// Whether `role` (a role noun) preceded by `modifier` names software:
    /// a machine role ("operator", "manager") after a machine modifier
    /// ("Kubernetes", "secrets"), a configured system, or a word with both
    /// letters and digits ("k8s"). Both are lower-case.
    fn is_machine_role(&self, lex: &Lexicon, role: &str, modifier: &str) -> bool {
        let pack = lex.pack;
        let singular = role
            .strip_suffix("es")
            .filter(|s| pack.machine_roles.iter().any(|r| r == s))
            .or_else(|| role.strip_suffix('s'))
            .unwrap_or(role);
        if !pack
            .machine_roles
            .iter()
            .any(|r| r == singular || r == role)
        {
            return false;
        }
        let m = modifier
            .trim_end_matches("'s")
            .trim_end_matches("\u{2019}s")
            .trim_matches(|c: char| !c.is_alphanumeric());
        if m.is_empty() || is_role(lex, m) {
            return false;
        }
        pack.machine_modifiers.iter().any(|w| w == m)
            || self.systems.iter().any(|w| w == m)
            || (m.chars().any(|c| c.is_ascii_digit()) && m.chars().any(char::is_alphabetic))
    }

    /// When the words ending at the end of `ws` are an individual (an
    /// @handle or a known name, in full or by first name), the index of its
    /// first word.
    fn individual_ending_at(&self, ws: &[(Span, &str)]) -> Option<usize> {
        let last = ws.len().checked_sub(1)?;
        let w = ws[last].1;
        if is_handle(w) {
            return Some(last);
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        // Equal ignoring case; ASCII (most names) is compared letter by
        // letter, without lower-cased copies.
        let eq = |a: &str, b: &str| {
            a == b
                || if a.is_ascii() && b.is_ascii() {
                    a.eq_ignore_ascii_case(b)
                } else {
                    a.to_lowercase() == b.to_lowercase()
                }
        };
        let mut best: Option<usize> = None;
        // The words of each name that is not a handle.
        for name in self.names.iter().filter(|n| !n.starts_with('@')) {
            let k = name.split_whitespace().count();
            if k > 1
                && ws.len() >= k
                && ws[ws.len() - k..]
                    .iter()
                    .zip(name.split_whitespace())
                    .all(|((_, a), b)| eq(a, b))
            {
                best = Some(best.map_or(ws.len() - k, |b| b.min(ws.len() - k)));
            } else if name.split_whitespace().next().is_some_and(|t| eq(w, t)) && best.is_none() {
                best = Some(last);
            }
        }
        best
    }
}

/// The matches of `pack` in the document's prose, without those of
/// person-subject entries (`subject: person`) whose subject is not a person.
pub fn language_hits(ctx: &super::Ctx<'_>, pack: &Pack) -> Vec<Hit> {
    let mask = &ctx.doc.md.mask;
    let mut hits = ctx.pack_hits(pack, 0..mask.len());
    hits.retain(|hit| {
        !pack.needs_person(hit.entry)
            || ctx
                .people()
                .subject_before(mask, hit.span.start)
                .is_person()
    });
    hits
}

/// An @handle of a person: `@jdoe`, not `@org/team`.
pub fn is_handle(w: &str) -> bool {
    w.strip_prefix('@').is_some_and(|h| {
        !h.is_empty()
            && h.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// A lower-case word that looks like a plural noun: "pods", "replicas",
/// "alerts" (not "this", "status", "was", "always").
fn is_plural_noun(l: &str) -> bool {
    const NOT: &[&str] = &[
        "this",
        "does",
        "always",
        "across",
        "perhaps",
        "whereas",
        "unless",
        "besides",
        "sometimes",
        "towards",
        "afterwards",
        "various",
        "previous",
        "serious",
        "various",
        "thus",
        "status",
        "bonus",
        "process",
        "access",
        "less",
        "unless",
        "yes",
        "plus",
        "minus",
        "chaos",
        "canvas",
    ];
    l.len() > 3
        && l.ends_with('s')
        && !l.ends_with("ss")
        && !l.ends_with("us")
        && !l.ends_with("is")
        && !l.ends_with("'s")
        && l.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !NOT.contains(&l)
}

/// A determiner or number that starts a plural noun phrase.
fn is_quantifier(l: &str) -> bool {
    DETERMINERS.contains(&l)
        || matches!(
            l,
            "all"
                | "both"
                | "several"
                | "many"
                | "most"
                | "few"
                | "other"
                | "three"
                | "four"
                | "five"
        )
        || l.chars().all(|c| c.is_ascii_digit())
}

fn strip_contraction(w: &str) -> &str {
    for suffix in ["'d", "'ve", "'ll", "\u{2019}d", "\u{2019}ve", "\u{2019}ll"] {
        if let Some(s) = w.strip_suffix(suffix) {
            return s;
        }
    }
    w
}

fn is_pronoun(lex: &Lexicon, lower: &str, written: &str) -> bool {
    // "i" only as the capital pronoun, not a list label "(i)".
    lex.pronouns.contains(lower) && (lower != "i" || written == "I")
}

fn is_role(lex: &Lexicon, lower: &str) -> bool {
    let singular = [
        lower.strip_suffix("es"),
        lower.strip_suffix('s'),
        Some(lower),
    ];
    singular
        .into_iter()
        .flatten()
        .any(|s| lex.role_nouns.contains(s))
}

/// The index of a preposition governing the word at `at` ("for *the
/// payments team*"), looking back over determiners and at most two other
/// words.
fn preposition_before(lower: &[Cow<'_, str>], at: usize) -> Option<usize> {
    let mut others = 0;
    let mut j = at;
    while j > 0 {
        let w = &*lower[j - 1];
        if CONJUNCTIONS.contains(&w) {
            return None;
        }
        if PREPOSITIONS.contains(&w) {
            return Some(j - 1);
        }
        if BETWEEN.contains(&w) {
            return None;
        }
        if !DETERMINERS.contains(&w) {
            others += 1;
            if others > 2 {
                return None;
            }
        }
        j -= 1;
    }
    None
}

/// Calls `f` with each candidate name of a Responsible Party / author
/// value: "On-call engineer (Jane Doe)" → "Jane Doe", "On-call engineer";
/// "Jane Doe, @bob & Ann" → three. The bracketed groups come first, then
/// the text around them (each group read as a blank).
///
/// The candidates are slices of the value, except the text around groups
/// when there are some: this runs for every timeline row.
fn candidates(value: &str, mut f: impl FnMut(&str)) {
    // The text outside groups, built only once a group opens.
    let mut outer: Option<String> = None;
    // Where the current run of text outside groups starts.
    let mut run = 0usize;
    // Where the current group's text starts.
    let mut inner = 0usize;
    let mut depth = 0usize;
    for (i, c) in value.char_indices() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    outer
                        .get_or_insert_with(String::new)
                        .push_str(&value[run..i]);
                    inner = i + 1;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    split_candidates(&value[inner..i], &mut f);
                    outer.get_or_insert_with(String::new).push(' ');
                    run = i + 1;
                }
            }
            _ => {}
        }
    }
    match outer {
        None => split_candidates(value, &mut f),
        Some(mut outer) => {
            if depth > 0 {
                // An unclosed group runs to the end.
                split_candidates(&value[inner..], &mut f);
            } else {
                outer.push_str(&value[run..]);
            }
            split_candidates(&outer, &mut f);
        }
    }
}

/// The names in one part of a value: split at ` and `, ` / ` and the
/// separators `,;&+|`, trimmed of blanks and emphasis marks.
fn split_candidates(part: &str, f: &mut impl FnMut(&str)) {
    split_at_blank(part, " and ", |a| {
        split_at_blank(a, " / ", |b| {
            for piece in b.split([',', ';', '&', '+', '|']) {
                let piece = piece
                    .trim()
                    .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == '.');
                if !piece.is_empty() {
                    f(piece);
                }
            }
        });
    });
}

/// Calls `f` with each part of `s.split(sep)`, for a `sep` that starts
/// with a blank: it is tried only at the blanks (found with memchr).
/// `str::split` first builds a two-way searcher for `sep`, which cost
/// more than these short values take to scan.
fn split_at_blank<'s>(s: &'s str, sep: &str, mut f: impl FnMut(&'s str)) {
    let Some(&first) = sep.as_bytes().first() else {
        s.split(sep).for_each(f);
        return;
    };
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = bytes.get(from..).and_then(|b| memchr::memchr(first, b)) {
        let at = from + i;
        if bytes[at..].starts_with(sep.as_bytes()) {
            f(&s[start..at]);
            start = at + sep.len();
            from = start;
        } else {
            from = at + 1;
        }
    }
    f(&s[start..]);
}

/// `f` of `w.to_lowercase()`, lower-cased on the stack when `w` is short
/// ASCII (words of names are) rather than into a new string.
fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    if w.is_ascii() {
        if let Some(b) = buf.get_mut(..w.len()) {
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            if let Ok(lower) = std::str::from_utf8(b) {
                return f(lower);
            }
        }
    }
    f(&w.to_lowercase())
}

/// A person's name: an @handle, or one to `max_words` capitalised words
/// with a lower-case letter each (not an acronym like "SRE"), none of them
/// a system noun, role noun or pronoun, and not listed under `systems`.
fn looks_like_person(c: &str, max_words: usize, lex: &Lexicon, settings: &Settings) -> bool {
    if in_systems(c, settings) {
        return false;
    }
    let words = c.split_whitespace().count();
    if words == 1 && c.starts_with('@') {
        return is_handle(c);
    }
    if words == 0 || words > max_words {
        return false;
    }
    c.split_whitespace().enumerate().all(|(i, w)| {
        let capitalised = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().any(char::is_lowercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '\u{2019}' | '.'));
        if !capitalised && i == 0 {
            return false;
        }
        with_lower(w, |lower| {
            if i > 0 && PARTICLES.contains(&lower) {
                return true;
            }
            capitalised
                && !is_system_noun(lex, lower)
                && !is_role(lex, lower)
                && !lex.pronouns.contains(lower)
        })
    })
}

/// Whether `lower` is a system noun, or starts with one written with a
/// trailing `*`.
fn is_system_noun(lex: &Lexicon, lower: &str) -> bool {
    let lower = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
    lex.system_nouns.contains(lower) || lex.system_prefixes.has_prefix_of(lower)
}

/// Whether the configuration's `systems` names `c` or one of its words.
fn in_systems(c: &str, settings: &Settings) -> bool {
    let systems = &settings.systems;
    if systems.is_empty() {
        return false;
    }
    if c.is_ascii() && systems.iter().all(|s| s.is_ascii()) {
        // ASCII lower-cases letter by letter: compared so, without copies.
        return systems.iter().any(|s| {
            let s = s.trim();
            !s.is_empty()
                && (c.eq_ignore_ascii_case(s)
                    || c.split_whitespace().any(|w| w.eq_ignore_ascii_case(s)))
        });
    }
    let lc = c.to_lowercase();
    settings.systems.iter().any(|s| {
        let s = s.trim().to_lowercase();
        !s.is_empty() && (lc == s || lc.split_whitespace().any(|w| w == s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(names: &[&str]) -> People {
        People::from_names(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn subject_detection_never_panics_on_odd_text() {
        let p = people(&["Jane Doe", "Élodie"]);
        let pieces = [
            "é", "ß", "’", ",", ", ", ".", " ", "\u{1}", "@", "@x", "Jane", "Élodie", "we",
            "missed", "the", "for", "\n", "🙂", "'d",
        ];
        // A deterministic pseudo-random walk over the pieces.
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let mask = text.as_bytes();
            for at in 0..=mask.len() {
                let _ = p.subject_before(mask, at);
            }
        }
    }

    fn subject(p: &People, text: &str, verb: &str) -> Subject {
        let at = text.find(verb).expect("verb in text");
        p.subject_before(text.as_bytes(), at)
    }

    #[test]
    fn pronouns_roles_and_names_are_subjects() {
        let p = people(&["Jane Doe"]);
        assert_eq!(
            subject(&p, "Then we failed to page.", "failed"),
            Subject::Pronoun
        );
        assert_eq!(
            subject(&p, "The on-call engineer failed to escalate.", "failed"),
            Subject::Role
        );
        assert_eq!(
            subject(&p, "Jane missed the page.", "missed"),
            Subject::Individual(0..4)
        );
        assert_eq!(
            subject(&p, "So Jane Doe also missed it.", "missed"),
            Subject::Individual(3..11)
        );
        assert_eq!(
            subject(&p, "Then @bob-x missed it.", "missed"),
            Subject::Individual(5..11)
        );
    }

    #[test]
    fn things_and_objects_are_not_subjects() {
        let p = people(&["Jane Doe"]);
        assert_eq!(
            subject(&p, "The health check failed to detect it.", "failed"),
            Subject::Thing
        );
        assert_eq!(
            subject(
                &p,
                "The page to the on-call engineer failed to deliver.",
                "failed"
            ),
            Subject::Thing
        );
        assert_eq!(
            subject(&p, "After we deployed, missed alerts piled up.", "missed"),
            Subject::Thing
        );
        assert_eq!(
            subject(&p, "@org/team missed it.", "missed"),
            Subject::Thing
        );
        assert_eq!(subject(&p, "Failed to start.", "Failed"), Subject::Thing);
        assert_eq!(
            subject(&p, "The alert Jane configured missed it.", "missed"),
            Subject::Thing
        );
    }

    #[test]
    fn they_standing_for_things_is_not_a_person() {
        let p = people(&["Jane Doe"]);
        for text in [
            "After we restarted the pods, they failed to start again.",
            "The replicas were healthy until they missed a heartbeat.",
            "We rolled back both canaries because they failed to pass.",
            "The alerts were noisy, so they were ignored by the router.",
            "Of the 3 nodes they missed heartbeats.",
        ] {
            let verb = ["failed", "missed", "ignored"]
                .into_iter()
                .find(|v| text.contains(v))
                .expect("verb");
            assert_eq!(subject(&p, text, verb), Subject::Thing, "{text}");
        }
        for text in [
            "They failed to escalate.",
            "We paged the engineers, but they failed to respond.",
            "Jane said they failed to escalate.",
            "When the reviewers saw the diff, they missed the typo.",
            "Because the status was green, they failed to escalate.",
        ] {
            let verb = ["failed", "missed"]
                .into_iter()
                .find(|v| text.contains(v))
                .expect("verb");
            assert_eq!(subject(&p, text, verb), Subject::Pronoun, "{text}");
        }
    }

    #[test]
    fn machine_roles_after_a_machine_modifier_are_things() {
        let p = people(&["Jane Doe"]);
        for (text, verb) in [
            ("The Postgres operator failed to promote.", "failed"),
            ("The secrets manager failed to rotate.", "failed"),
            ("Two cluster members missed heartbeats.", "missed"),
            ("The k8s operator ignored it.", "ignored"),
        ] {
            assert_eq!(subject(&p, text, verb), Subject::Thing, "{text}");
        }
        for (text, verb) in [
            ("The operator failed to escalate.", "failed"),
            ("The on-call operator failed to escalate.", "failed"),
            ("The release manager missed the freeze.", "missed"),
            ("The Postgres engineer missed it.", "missed"),
        ] {
            assert_eq!(subject(&p, text, verb), Subject::Role, "{text}");
        }
    }

    #[test]
    fn parentheticals_and_prepositional_phrases_are_skipped() {
        let p = people(&["Jane Doe"]);
        assert_eq!(
            subject(&p, "Jane, who was on call, missed the page.", "missed"),
            Subject::Individual(0..4)
        );
        assert_eq!(
            subject(&p, "The engineer on call failed to escalate.", "failed"),
            Subject::Role
        );
        assert_eq!(
            subject(&p, "Jane from the platform team missed it.", "missed"),
            Subject::Individual(0..4)
        );
    }

    #[test]
    fn party_names_exclude_systems_roles_and_acronyms() {
        let lex = &*LEXICON;
        let mut s = Settings::defaults();
        s.systems = vec!["Patroni".into(), "Hal".into()];
        for yes in ["Jane Doe", "Priya", "@jdoe", "Seán O'Brien"] {
            assert!(looks_like_person(yes, 2, lex, &s), "{yes}");
        }
        for no in [
            "Monitoring System",
            "Auth Service",
            "PagerDuty",
            "Alertmanager",
            "SRE",
            "On-call",
            "Platform Team",
            "Support",
            "Hal",
            "Deploy Bot",
            "@org/team",
            "Jane Mary Doe",
            "Name or Role of Post-Mortem Lead",
        ] {
            assert!(!looks_like_person(no, 2, lex, &s), "{no}");
        }
        assert_eq!(
            all_candidates("On-call engineer (Jane Doe)"),
            vec!["Jane Doe", "On-call engineer"]
        );
        assert_eq!(
            all_candidates("Jane Doe, @bob and Ann"),
            vec!["Jane Doe", "@bob", "Ann"]
        );
    }

    fn all_candidates(value: &str) -> Vec<String> {
        let mut out = Vec::new();
        candidates(value, |c| out.push(c.to_string()));
        out
    }

    /// The candidates as first written: every part built as a string and
    /// its separators replaced with commas.
    fn candidates_by_replacing(value: &str) -> Vec<String> {
        let mut parts = Vec::new();
        let mut outer = String::new();
        let mut inner = String::new();
        let mut depth = 0usize;
        for c in value.chars() {
            match c {
                '(' | '[' => {
                    depth += 1;
                    if depth == 1 {
                        continue;
                    }
                }
                ')' | ']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        parts.push(std::mem::take(&mut inner));
                        outer.push(' ');
                        continue;
                    }
                }
                _ => {}
            }
            if depth > 0 {
                inner.push(c);
            } else {
                outer.push(c);
            }
        }
        parts.push(inner);
        parts.push(outer);
        let mut out = Vec::new();
        for part in parts {
            let part = part.replace(" and ", ",").replace(" / ", ",");
            for piece in part.split([',', ';', '&', '+', '|']) {
                let piece = piece
                    .trim()
                    .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == '.');
                if !piece.is_empty() {
                    out.push(piece.to_string());
                }
            }
        }
        out
    }

    /// [`is_system_noun`], [`is_role`] and the pronoun lookup as first
    /// written: a scan of the pack's lists.
    fn by_scan(lower: &str) -> (bool, bool, bool) {
        let pack = &*INDIVIDUAL_BLAME;
        let trimmed = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
        let system = pack.system_nouns.iter().any(|s| match s.strip_suffix('*') {
            Some(prefix) => trimmed.starts_with(prefix),
            None => trimmed == s,
        });
        let role = [
            lower.strip_suffix("es"),
            lower.strip_suffix('s'),
            Some(lower),
        ]
        .into_iter()
        .flatten()
        .any(|s| pack.role_nouns.iter().any(|r| r == s));
        let pronoun = pack.pronouns.iter().any(|p| p == lower);
        (system, role, pronoun)
    }

    #[test]
    fn lexicon_lookups_agree_with_scanning_the_lists() {
        let pack = &*INDIVIDUAL_BLAME;
        let lex = &*LEXICON;
        let mut words: Vec<String> = ["", "s", "es", "é", "élodie", "x", "jane", "i"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for w in pack
            .system_nouns
            .iter()
            .chain(&pack.role_nouns)
            .chain(&pack.pronouns)
        {
            let w = w.trim_end_matches('*');
            for cut in 0..=w.len() {
                if let Some(head) = w.get(..cut) {
                    for tail in ["", "s", "es", "x", "-", ".", "ß"] {
                        words.push(format!("{head}{tail}"));
                    }
                }
            }
        }
        for w in &words {
            let indexed = (
                is_system_noun(lex, w),
                is_role(lex, w),
                lex.pronouns.contains(w),
            );
            assert_eq!(indexed, by_scan(w), "{w:?}");
        }
    }

    #[test]
    fn splitting_at_blanks_splits_as_str_split_does() {
        let pieces = [" and ", " and", "and ", " ", "a", " / ", "/", "é", ""];
        let mut seed: u64 = 5;
        for _ in 0..20_000 {
            let count = crate::rules::test_util::xorshift(&mut seed) >> 60;
            let value = crate::rules::test_util::random_concat(&pieces, count, &mut seed);
            for sep in [" and ", " / ", " ", ""] {
                let mut parts = Vec::new();
                split_at_blank(&value, sep, |p| parts.push(p));
                let expected: Vec<&str> = value.split(sep).collect();
                assert_eq!(parts, expected, "{value:?} {sep:?}");
            }
        }
    }

    #[test]
    fn candidates_split_as_replacing_the_separators_does() {
        let pieces = [
            "Jane", " and ", " / ", "(", ")", "[", "]", ",", ";", "&", "+", "|", " ", "and", "/",
            "*", "_", ".", "é", "Doe", "@bob",
        ];
        let mut seed: u64 = 11;
        for _ in 0..20_000 {
            let count = crate::rules::test_util::xorshift(&mut seed) >> 60;
            let value = crate::rules::test_util::random_concat(&pieces, count, &mut seed);
            assert_eq!(
                all_candidates(&value),
                candidates_by_replacing(&value),
                "{value:?}"
            );
        }
    }
}
