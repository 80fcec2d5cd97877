//! Word packs: lists of phrases (data, in `rules/*.yml`) compiled into one
//! multi-pattern automaton per pack and run over a document's prose mask.
//!
//! A pack entry's patterns are regular-expression fragments written as
//! phrases: a space stands for any run of blanks (line breaks included), a
//! straight apostrophe also matches the typographic one, matching is
//! case-insensitive (the automata scan a copy of the prose mask with its
//! ASCII letters lower-cased, see [`fold_ascii`]) and on whole words. At
//! one position a longer phrasing wins ("should have seen it coming" over
//! "should have"). Every match reports the entry it came from, so the
//! entry's suggestion can go with it. An entry may be cancelled by what
//! follows or precedes it (`unless_followed_by`, `unless_preceded_by`), or
//! fire only with a person as its subject (`subject: person`, decided by
//! the rules with `rules::people`). A pack file may also carry the word
//! lists that decide who is a person (`system_nouns`, `role_nouns`,
//! `pronouns`).

mod lanes;
mod syntax;

use crate::diagnostic::{Diagnostic, Span};
use crate::document::BOUNDARY;
use regex_automata::hybrid::dfa::{Cache as LazyCache, DFA as LazyDfa};
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::Hir;
use serde::{Deserialize, Serialize};
use std::sync::{LazyLock, Mutex, OnceLock};

/// The built-in pack files.
const BUILTIN_FILES: [(&str, &str); 4] = [
    ("blameless.yml", include_str!("../../rules/blameless.yml")),
    (
        "counterfactual.yml",
        include_str!("../../rules/counterfactual.yml"),
    ),
    ("minimizing.yml", include_str!("../../rules/minimizing.yml")),
    (
        "individual-blame.yml",
        include_str!("../../rules/individual-blame.yml"),
    ),
];

/// The built-in packs (`rules/*.yml`), loaded once per process.
pub static BLAMELESS: LazyLock<Pack> = LazyLock::new(|| builtin(0));
pub static COUNTERFACTUAL: LazyLock<Pack> = LazyLock::new(|| builtin(1));
pub static MINIMIZING: LazyLock<Pack> = LazyLock::new(|| builtin(2));
pub static INDIVIDUAL_BLAME: LazyLock<Pack> = LazyLock::new(|| builtin(3));

/// One automaton for the patterns of the four built-in packs.
pub static BUILTIN: LazyLock<Matcher> = LazyLock::new(|| {
    Matcher::shared(&[&BLAMELESS, &COUNTERFACTUAL, &MINIMIZING, &INDIVIDUAL_BLAME])
        .unwrap_or_else(|e| panic!("built-in packs: {e}"))
});

/// The built-in pack files as JSON, one line per file:
/// `<file name> <fingerprint of its YAML> <JSON>`. Parsing the four YAML
/// files took 6.6 M of the 37 M instructions of a one-file run; the same
/// data as JSON takes a tenth of that. Generated from `rules/*.yml`
/// (`PMLINT_BLESS=1 cargo test --lib builtin_pack_digest`) and checked by
/// a test; a file whose YAML changed since is read from its YAML.
const BUILTIN_DIGEST: &str = include_str!("../../rules/packs.json");

/// The JSON line of `name` in [`BUILTIN_DIGEST`], if it was made from
/// `yaml`.
fn digest_line(name: &str, yaml: &str) -> Option<&'static str> {
    let head = format!("{name} {:016x} ", syntax::fingerprint([yaml]));
    BUILTIN_DIGEST
        .lines()
        .find_map(|l| l.strip_prefix(head.as_str()))
}

fn builtin(index: usize) -> Pack {
    let (name, yaml) = BUILTIN_FILES[index];
    // Invariant: the embedded packs are valid; `builtin_packs_parse_and_every_entry_has_a_suggestion`
    // and `builtin_guards_compile` prove it, so their guards are not
    // checked again at every start.
    Pack::load(name, yaml, false, Some(syntax::BUILTIN))
        .unwrap_or_else(|e| panic!("built-in pack {e}"))
}

/// One entry of a pack: phrasings that mean the same thing, and what to
/// write instead.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    /// The patterns' syntax trees in priority order (a [`Matcher`] is built
    /// from them).
    hirs: Vec<Hir>,
    /// The patterns as regular expressions ([`phrase_regex`]), in the same
    /// order: what the trees were folded from.
    #[cfg_attr(not(test), allow(dead_code))]
    sources: Vec<String>,
    /// Pattern id → entry index.
    pattern_entry: Vec<usize>,
    guards: Vec<Guards>,
    /// The pack's own automaton, for [`Scan::Separate`] and for the
    /// shared automaton's places where an earlier pack's pattern wins
    /// ([`Matcher::match_at`]).
    own: OnceLock<Option<Matcher>>,
}

/// How the built-in packs are matched in this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// One automaton for the four packs, one scan per document (the
    /// default): the fastest once its lazily built states are warm, that
    /// is, over many documents.
    Shared,
    /// An automaton per pack: four scans per document, but each automaton
    /// is smaller, so building the states a document needs costs less. For
    /// runs over one or a few small files, where that warm-up is most of
    /// the work. Both find the same matches.
    Separate,
}

static SCAN: OnceLock<Scan> = OnceLock::new();

/// Chooses how the built-in packs are matched; the first choice in a
/// process stands (call it before the first document is checked).
pub fn set_scan(scan: Scan) {
    let _ = SCAN.set(scan);
}

/// How the built-in packs are matched ([`Scan::Shared`] unless chosen).
pub fn scan() -> Scan {
    *SCAN.get().unwrap_or(&Scan::Shared)
}

/// What the packs' calls for one document share, computed on first use:
/// the lower-cased prose mask the automata scan ([`lower_ascii`]) and
/// [`Matcher::starts`] of [`BUILTIN`] over it.
#[derive(Debug, Default)]
pub struct Scratch {
    lower: std::cell::OnceCell<Vec<u8>>,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl Scratch {
    /// `mask` lower-cased ([`lower_ascii`]), made on the first call: every
    /// call for one document must pass the same mask (its whole prose
    /// mask), as the packs' calls do.
    pub fn lower(&self, mask: &[u8]) -> &[u8] {
        self.lower.get_or_init(|| lower_ascii(mask))
    }
}

/// The matches of the built-in `pack` in `range` of `hay` (a prose mask),
/// however the packs are matched ([`scan`]).
pub fn builtin_hits(pack: &Pack, hay: &[u8], range: Span, scratch: &Scratch) -> Vec<Hit> {
    let lower = scratch.lower(hay);
    match scan() {
        Scan::Shared => {
            let starts = scratch.starts.get_or_init(|| BUILTIN.starts(lower));
            BUILTIN.find_at(pack, hay, lower, range, starts)
        }
        Scan::Separate => match pack.own_matcher() {
            Some(own) => {
                let range = range.start.min(hay.len())..range.end.min(hay.len());
                let starts = own.starts_in(lower, range.clone());
                own.find_at(pack, hay, lower, range, &starts)
            }
            None => Vec::new(),
        },
    }
}

/// The automaton of one or more packs.
///
/// Scanning each pack's automaton over a whole document was a fifth of
/// pmlint's time on a large corpus. A [`Matcher`] holds one automaton for
/// the patterns of several packs, the packs one after the other and each
/// in its own priority order. A document is scanned once
/// ([`Matcher::starts`]) for every offset where any pattern matches; a
/// pack then tries its own patterns only there, anchored
/// ([`Matcher::find_at`]). That gives exactly the matches of a scan with
/// the pack's own automaton: such a scan's next match starts at the
/// leftmost offset, at or after where it stands, where one of the pack's
/// patterns matches, and every such offset is in the list; at that offset
/// the pack's first pattern in priority order that matches wins, with its
/// own preferred length. Matches are rare in prose, so the tries cost
/// little.
///
/// A pack's own matcher ([`Scan::Separate`], for runs over a few files)
/// is built differently, for a short life: a lazy DFA for anchored
/// searches only, tried at each offset ([`Matcher::anchored`]). An
/// unanchored automaton carries the start of every pattern in each of its
/// states, so each state it builds while scanning a first document is
/// costly (that building was a quarter of a one-file run); an anchored
/// one builds small states past the first byte, and needs neither the
/// reverse automaton that finds where an unanchored match starts nor the
/// other engines of a full regex. Both find the same offsets.
#[derive(Debug)]
pub struct Matcher {
    engine: Engine,
    /// Each pack (by address) and its pattern ids in the automaton.
    packs: Vec<(usize, std::ops::Range<usize>)>,
    /// For the shared automaton: the stretches of a document that hold a
    /// match, found several at a time ([`lanes`]), when its patterns allow.
    lanes: Option<lanes::Lanes>,
}

#[derive(Debug)]
enum Engine {
    /// A full regex: unanchored scans (the shared automaton).
    Full(Regex),
    /// Anchored searches only, with caches for the threads that search.
    Anchored {
        dfa: Box<LazyDfa>,
        caches: Mutex<Vec<LazyCache>>,
    },
}

impl Matcher {
    /// The patterns of `packs` in order, and each pack's pattern ids.
    fn patterns<'p>(packs: &[&'p Pack]) -> (Vec<&'p Hir>, Vec<(usize, std::ops::Range<usize>)>) {
        let mut hirs: Vec<&Hir> = Vec::new();
        let mut ranges = Vec::with_capacity(packs.len());
        for pack in packs {
            let first = hirs.len();
            hirs.extend(pack.hirs.iter());
            ranges.push((*pack as *const Pack as usize, first..hirs.len()));
        }
        (hirs, ranges)
    }

    /// An automaton for the patterns of `packs` that scans by anchored
    /// searches (see [`Matcher`]); a full one ([`Matcher::new`]) when the
    /// patterns need what a lazy DFA cannot do alone (a Unicode word
    /// boundary, in a pack of one's own).
    pub fn anchored(packs: &[&Pack]) -> Result<Matcher, String> {
        let (hirs, ranges) = Matcher::patterns(packs);
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many_from_hir(&hirs);
        // Never giving up (no minimum of cache clearings) and no quit
        // bytes (none is configured, and a Unicode word boundary fails the
        // build instead): a search of this DFA cannot fail.
        let dfa = nfa.ok().and_then(|nfa| {
            LazyDfa::builder()
                .configure(
                    LazyDfa::config()
                        .match_kind(MatchKind::LeftmostFirst)
                        .starts_for_each_pattern(true)
                        .minimum_cache_clear_count(None),
                )
                .build_from_nfa(nfa)
                .ok()
        });
        match dfa {
            Some(dfa) => Ok(Matcher {
                engine: Engine::Anchored {
                    dfa: Box::new(dfa),
                    caches: Mutex::new(Vec::new()),
                },
                packs: ranges,
                lanes: None,
            }),
            None => Matcher::new(packs),
        }
    }

    /// One automaton for the patterns of `packs`.
    pub fn new(packs: &[&Pack]) -> Result<Matcher, String> {
        let (hirs, ranges) = Matcher::patterns(packs);
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
            .map_err(|e| {
                let rules: Vec<&str> = packs.iter().map(|p| p.rule.as_str()).collect();
                format!("pack `{}`: {e}", rules.join("`, `"))
            })?;
        Ok(Matcher {
            engine: Engine::Full(regex),
            packs: ranges,
            lanes: None,
        })
    }

    /// [`Matcher::new`], for many documents: a second, unanchored lazy DFA
    /// finds the stretches of a document that hold a match several at a
    /// time ([`lanes`]), when the patterns allow. It costs a second
    /// automaton to build and makes a document's scan quicker.
    pub fn shared(packs: &[&Pack]) -> Result<Matcher, String> {
        let mut matcher = Matcher::new(packs)?;
        matcher.lanes = lanes::Lanes::new(&Matcher::patterns(packs).0);
        Ok(matcher)
    }

    /// Runs `f` with a cache of the anchored DFA (taken from the spare
    /// ones, or new).
    fn with_cache<T>(
        dfa: &LazyDfa,
        caches: &Mutex<Vec<LazyCache>>,
        f: impl FnOnce(&mut LazyCache) -> T,
    ) -> T {
        let spare = caches.lock().ok().and_then(|mut c| c.pop());
        let mut cache = spare.unwrap_or_else(|| dfa.create_cache());
        let out = f(&mut cache);
        if let Ok(mut c) = caches.lock() {
            c.push(cache);
        }
        out
    }

    /// The offsets in `hay`, ascending, where some pattern matches (an
    /// empty match too: the packs' own tries sort those out).
    pub fn starts(&self, hay: &[u8]) -> Vec<usize> {
        self.starts_in(hay, 0..hay.len())
    }

    /// The offsets in `range` of `hay` where some pattern has a match that
    /// lies inside `range`: all that [`Matcher::find_at`] needs for the
    /// same range.
    pub fn starts_in(&self, hay: &[u8], range: Span) -> Vec<usize> {
        if let Some(hits) = (self.lanes.as_ref()).and_then(|l| l.hits(hay, range.clone()).ok()) {
            // No match crosses a stretch's end.
            return (hits.into_iter())
                .flat_map(|stretch| self.starts_scanned(hay, stretch))
                .collect();
        }
        self.starts_scanned(hay, range)
    }

    /// [`Matcher::starts_in`] by the automaton's own scan.
    fn starts_scanned(&self, hay: &[u8], range: Span) -> Vec<usize> {
        let mut out = Vec::new();
        let end = range.end.min(hay.len());
        match &self.engine {
            Engine::Full(regex) => {
                let mut at = range.start;
                while at <= end {
                    let Some(m) = regex.search(&Input::new(hay).range(at..end)) else {
                        break;
                    };
                    out.push(m.start());
                    at = m.start() + 1;
                }
            }
            // An unanchored search's leftmost match starts at the first
            // offset where some pattern matches: the same offsets, one by
            // one.
            // Most offsets are ruled out by their first byte: from the
            // start state (which depends on the byte before), it leads to
            // the dead state, from which no match is ever reported (a
            // match, an empty one too, is seen on the byte after it).
            Engine::Anchored { dfa, caches } => Matcher::with_cache(dfa, caches, |cache| {
                if range.start > end {
                    return;
                }
                let mut input = Input::new(hay)
                    .range(range.start..end)
                    .anchored(Anchored::Yes)
                    .earliest(true);
                for at in range.start..=end {
                    input.set_start(at);
                    let first = hay.get(at).copied().filter(|_| at < end);
                    if let Some(byte) = first {
                        let dead = dfa
                            .start_state_forward(cache, &input)
                            .ok()
                            .and_then(|start| dfa.next_state(cache, start, byte).ok())
                            .is_some_and(|next| next.is_dead());
                        if dead {
                            continue;
                        }
                    }
                    if matches!(dfa.try_search_fwd(cache, &input), Ok(Some(_))) {
                        out.push(at);
                    }
                }
            }),
        }
        out
    }

    /// The non-overlapping matches of `pack` inside `range` of `hay`,
    /// leftmost first, as the pack's own scan would find them; the bytes
    /// around `range` still count as context (word boundaries, guards).
    /// `lower` is `hay` lower-cased ([`lower_ascii`]), which the automaton
    /// scans (the guards read `hay`); `starts` comes from
    /// [`Matcher::starts`] over all of `lower`. A pack this matcher was not
    /// built with has no matches.
    pub fn find_at(
        &self,
        pack: &Pack,
        hay: &[u8],
        lower: &[u8],
        range: Span,
        starts: &[usize],
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let addr = pack as *const Pack as usize;
        let Some(ids) = self
            .packs
            .iter()
            .find(|(a, _)| *a == addr)
            .map(|(_, ids)| ids.clone())
        else {
            debug_assert!(false, "pack `{}` is not in this matcher", pack.rule);
            return hits;
        };
        let range = range.start.min(hay.len())..range.end.min(hay.len());
        if range.is_empty() {
            return hits;
        }
        let first = starts.partition_point(|s| *s < range.start);
        let mut next = range.start;
        for &s in &starts[first..] {
            if s >= range.end {
                break;
            }
            if s < next {
                continue;
            }
            let Some(m) = self.match_at(pack, ids.clone(), lower, s..range.end) else {
                continue;
            };
            if m.start() == m.end() {
                continue;
            }
            next = m.end();
            let entry = pack.pattern_entry[m.pattern().as_usize() - ids.start];
            let span = m.start()..m.end();
            if !pack.guarded(entry, hay, &span) {
                hits.push(Hit { entry, span });
            }
        }
        hits
    }

    /// The match at `span.start` of the first pattern among `ids` (in
    /// priority order), the patterns of `pack`, that matches there, within
    /// `span`.
    fn match_at(
        &self,
        pack: &Pack,
        ids: std::ops::Range<usize>,
        hay: &[u8],
        span: Span,
    ) -> Option<regex_automata::Match> {
        let input = Input::new(hay).span(span.clone()).anchored(Anchored::Yes);
        let search = |input: &Input| -> Option<regex_automata::Match> {
            match &self.engine {
                Engine::Full(regex) => regex.search(input),
                Engine::Anchored { dfa, caches } => Matcher::with_cache(dfa, caches, |cache| {
                    let half = dfa.try_search_fwd(cache, input).ok()??;
                    // An anchored match ends at or after where it starts.
                    let end = half.offset().max(input.start());
                    Some(regex_automata::Match::new(
                        half.pattern(),
                        input.start()..end,
                    ))
                }),
            }
        };
        // The first pattern of all that matches here: if it is one of
        // `ids`, it is theirs too; if it comes after them, none of them
        // matches.
        let top = search(&input)?;
        let id = top.pattern().as_usize();
        if ids.contains(&id) {
            return Some(top);
        }
        if id >= ids.end {
            return None;
        }
        // A pattern of an earlier pack won. The pack's own automaton finds
        // in one anchored search the first of its patterns that matches
        // here, with that pattern's preferred length: what a search for
        // each of them in turn (`Anchored::Pattern`) finds, 22 of those
        // a document on the benchmark corpus. Its patterns are the pack's
        // alone, so this call does not come back here.
        match pack.own_matcher() {
            Some(own) => {
                let m = own.match_at(pack, 0..pack.hirs.len(), hay, span)?;
                let id = PatternID::new(ids.start + m.pattern().as_usize()).ok()?;
                Some(regex_automata::Match::new(id, m.span()))
            }
            None => ids
                .filter_map(|id| PatternID::new(id).ok())
                .find_map(|id| search(&input.clone().anchored(Anchored::Pattern(id)))),
        }
    }
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
    compiled: OnceLock<Option<Regex>>,
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
    ///
    /// A guard only ever answers whether it matches in the 80 bytes next to
    /// a hit, a few times a document at most: it is built for that alone,
    /// as `regex::Regex::new` builds it (same syntax, sizes and match
    /// semantics) but without what a search over long text needs: the
    /// prefilter's literals, the lazy DFAs and the reverse automaton they
    /// need, and capture groups. The 17 guards the 1,000-file benchmark
    /// corpus needs took 46 M instructions to build the full way, 34 M
    /// this way (most of the rest is their case-insensitive Unicode
    /// words).
    fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                let config = regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(10 * (1 << 20)))
                    .match_kind(MatchKind::LeftmostFirst)
                    .utf8_empty(true)
                    .which_captures(WhichCaptures::None)
                    .auto_prefilter(false)
                    .hybrid(false)
                    .dfa(false)
                    .onepass(false);
                Regex::builder()
                    .configure(config)
                    .syntax(regex_automata::util::syntax::Config::new().utf8(true))
                    .build(&self.source)
                    .ok()
            })
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

/// Parses a pack pattern (as [`phrase_regex`] writes it) into the tree the
/// automata are built from: one for text whose ASCII letters are
/// lower-cased ([`lower_ascii`]), see [`fold_ascii`].
pub fn parse_pattern(regex: &str) -> Result<Hir, String> {
    let hir = regex_automata::util::syntax::parse(regex).map_err(|e| e.to_string())?;
    fold_ascii(&hir)
}

/// A fingerprint of a pack's patterns for `rules/packs.syntax`, which
/// also names the form of the stored trees ([`fold_ascii`]).
fn pack_fingerprint<'a>(regexes: impl IntoIterator<Item = &'a str>) -> u64 {
    syntax::fingerprint(std::iter::once("ascii-folded").chain(regexes))
}

/// The ASCII lower-case copy of a prose mask, which the packs' automata
/// scan: same length, same offsets.
pub fn lower_ascii(mask: &[u8]) -> Vec<u8> {
    mask.to_ascii_lowercase()
}

/// The same pattern for text whose ASCII letters are lower-cased: upper-
/// case ASCII letters leave every class, and so do the two non-ASCII
/// letters that Unicode case folding adds to `k` and `s` (the Kelvin sign
/// and the long s, which no one writes in prose). A case-insensitive
/// phrase then becomes a run of plain bytes: `human` one literal instead
/// of five classes of two or three letters. That tree is a fifth the size
/// to store and decode, and its automata are smaller and quicker to build;
/// a run over one file spent most of its time on that. Only patterns that
/// ignore ASCII case fold exactly: any other (a class or literal that
/// tells an upper-case ASCII letter from its lower case) is an error.
pub fn fold_ascii(hir: &Hir) -> Result<Hir, String> {
    use regex_syntax::hir::{
        Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, HirKind, Repetition,
    };
    let not_folded = || format!("the pattern tells upper- from lower-case letters: {hir}");
    Ok(match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Look(look) => Hir::look(*look),
        HirKind::Literal(lit) => {
            if lit.0.iter().any(u8::is_ascii_uppercase) {
                return Err(not_folded());
            }
            hir.clone()
        }
        HirKind::Class(Class::Unicode(class)) => {
            let has = |c: char| (class.ranges().iter()).any(|r| r.start() <= c && c <= r.end());
            if (b'a'..=b'z').any(|l| has(char::from(l)) != has(char::from(l.to_ascii_uppercase())))
            {
                return Err(not_folded());
            }
            let mut gone = vec![ClassUnicodeRange::new('A', 'Z')];
            if has('k') {
                gone.push(ClassUnicodeRange::new('\u{212A}', '\u{212A}'));
            }
            if has('s') {
                gone.push(ClassUnicodeRange::new('\u{17F}', '\u{17F}'));
            }
            let mut folded = class.clone();
            folded.difference(&ClassUnicode::new(gone));
            Hir::class(Class::Unicode(folded))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let has = |b: u8| (class.ranges().iter()).any(|r| r.start() <= b && b <= r.end());
            if (b'a'..=b'z').any(|l| has(l) != has(l.to_ascii_uppercase())) {
                return Err(not_folded());
            }
            let mut folded = class.clone();
            folded.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(folded))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(fold_ascii(&rep.sub)?),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(regex_syntax::hir::Capture {
            sub: Box::new(fold_ascii(&cap.sub)?),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => {
            Hir::concat(subs.iter().map(fold_ascii).collect::<Result<_, _>>()?)
        }
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(fold_ascii).collect::<Result<_, _>>()?)
        }
    })
}

impl Pack {
    /// Parses a pack file and checks that its patterns and guards compile.
    pub fn from_yaml(name: &str, yaml: &str) -> Result<Pack, String> {
        Pack::load(name, yaml, true, None)
    }

    fn load(
        name: &str,
        yaml: &str,
        check_guards: bool,
        stored: Option<&str>,
    ) -> Result<Pack, String> {
        let digested = (stored.is_some())
            .then(|| digest_line(name, yaml))
            .flatten()
            .and_then(|json| serde_json::from_str(json).ok());
        let file: PackFile = match digested {
            Some(file) => file,
            None => serde_yaml::from_str(yaml).map_err(|e| format!("{name}: {e}"))?,
        };
        let message = file.message.clone().unwrap_or_else(|| "\"{match}\"".into());
        let lower = |v: Vec<String>| -> Vec<String> {
            v.into_iter().map(|w| w.trim().to_lowercase()).collect()
        };
        let mut pack = Pack::build(file.rule, message, file.entries, check_guards, stored)?;
        if check_guards {
            // The automaton builds (it is built with the other packs').
            Matcher::new(&[&pack])?;
        }
        pack.system_nouns = lower(file.system_nouns);
        pack.role_nouns = lower(file.role_nouns);
        pack.pronouns = lower(file.pronouns);
        pack.machine_roles = lower(file.machine_roles);
        pack.machine_modifiers = lower(file.machine_modifiers);
        Ok(pack)
    }

    fn build(
        rule: String,
        message: String,
        entries: Vec<Entry>,
        check_guards: bool,
        stored: Option<&str>,
    ) -> Result<Pack, String> {
        let regexes: Vec<(usize, &str, String)> = entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.patterns
                    .iter()
                    .map(move |p| (i, p.as_str(), phrase_regex(p)))
            })
            .collect();
        // The trees of a built-in pack come from `rules/packs.syntax` when
        // its patterns are those it was generated from.
        let mut stored = stored
            .and_then(|file| {
                let print = pack_fingerprint(regexes.iter().map(|(_, _, re)| re.as_str()));
                syntax::lookup(file, &rule, print)
            })
            .filter(|hirs| hirs.len() == regexes.len())
            .map(Vec::into_iter);
        // Longer phrasings first: at one position the first pattern wins,
        // so "should have seen it coming" must come before "should have".
        // Ordered by the shortest text each can match. Each pattern is
        // parsed once: the automaton is built from the same syntax trees.
        let mut order: Vec<(usize, usize, usize, Hir, String)> = Vec::with_capacity(regexes.len());
        for (i, p, re) in regexes {
            let hir = match stored.as_mut().and_then(Iterator::next) {
                Some(hir) => hir,
                None => {
                    parse_pattern(&re).map_err(|e| format!("pack `{rule}`: pattern `{p}`: {e}"))?
                }
            };
            let min_len = hir.properties().minimum_len().unwrap_or(0);
            order.push((min_len, re.len(), i, hir, re));
        }
        order.sort_by_key(|(min_len, len, _, _, _)| {
            (std::cmp::Reverse(*min_len), std::cmp::Reverse(*len))
        });
        let mut hirs = Vec::with_capacity(order.len());
        let mut pattern_entry = Vec::with_capacity(order.len());
        let mut sources = Vec::with_capacity(order.len());
        for (_, _, i, hir, re) in order {
            hirs.push(hir);
            pattern_entry.push(i);
            sources.push(re);
        }
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
            hirs,
            sources,
            pattern_entry,
            guards,
            own: OnceLock::new(),
        })
    }

    /// The pack's own automaton (built on first use; `None` only if it
    /// cannot be built, which the built-in packs' tests rule out).
    pub fn own_matcher(&self) -> Option<&Matcher> {
        self.own
            .get_or_init(|| Matcher::anchored(&[self]).ok())
            .as_ref()
    }

    fn guarded(&self, entry: usize, hay: &[u8], span: &Span) -> bool {
        let g = &self.guards[entry];
        if let Some(after) = g.after.as_ref().and_then(LazyRegex::get) {
            let end = (span.end + 80).min(hay.len());
            let tail = String::from_utf8_lossy(&hay[span.end..end]);
            if after.is_match(tail.as_ref()) {
                return true;
            }
        }
        if let Some(before) = g.before.as_ref().and_then(LazyRegex::get) {
            let start = span.start.saturating_sub(80);
            let head = String::from_utf8_lossy(&hay[start..span.start]);
            if before.is_match(head.as_ref()) {
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

    /// The matches of one pack in `hay`, through a matcher of its own.
    fn find(p: &Pack, hay: &[u8]) -> Vec<Hit> {
        let m = Matcher::new(&[p]).unwrap();
        let lower = lower_ascii(hay);
        m.find_at(p, hay, &lower, 0..hay.len(), &m.starts(&lower))
    }

    /// What a scan of `hay` (not lower-cased) with the pack's patterns as
    /// written ([`phrase_regex`], case-insensitive) finds in `range`: every
    /// leftmost-first match, empty and guarded ones skipped.
    fn reference(p: &Pack, hay: &[u8], range: Span) -> Vec<Hit> {
        let re = Regex::builder()
            .configure(Regex::config().match_kind(MatchKind::LeftmostFirst))
            .build_many(&p.sources)
            .unwrap();
        re.find_iter(Input::new(hay).range(range))
            .filter(|m| m.start() < m.end())
            .map(|m| Hit {
                entry: p.pattern_entry[m.pattern().as_usize()],
                span: m.start()..m.end(),
            })
            .filter(|h| !p.guarded(h.entry, hay, &h.span))
            .collect()
    }

    /// Text made of the packs' own phrases (their literal words), joined
    /// and cut at random, with filler: many overlapping near-matches.
    fn phrase_soup(seed: u64, words: &[String]) -> Vec<u8> {
        let mut x = seed;
        let mut next = move || crate::rules::test_util::xorshift(&mut x);
        let filler = [
            "the", "a", "Jane", "we", "It", ".", ",", "\n", "\u{1}", "é", "deploy", "not",
        ];
        let mut out = String::new();
        for _ in 0..400 {
            let r = next();
            if r % 3 == 0 {
                out.push_str(filler[(r / 3 % filler.len() as u64) as usize]);
            } else {
                out.push_str(&words[(r / 3 % words.len() as u64) as usize]);
            }
            out.push(if r % 7 == 0 { '\n' } else { ' ' });
        }
        out.into_bytes()
    }

    #[test]
    fn one_scan_for_all_packs_finds_what_each_pack_finds_alone() {
        let packs = [
            &*BLAMELESS,
            &*COUNTERFACTUAL,
            &*MINIMIZING,
            &*INDIVIDUAL_BLAME,
        ];
        let mut words: Vec<String> = Vec::new();
        for p in packs {
            for e in &p.entries {
                for pat in &e.patterns {
                    let plain: String = pat
                        .chars()
                        .map(|c| {
                            if c.is_alphanumeric() || c == '\'' {
                                c
                            } else {
                                ' '
                            }
                        })
                        .collect();
                    words.extend(plain.split_whitespace().map(str::to_string));
                    if !pat.contains(['(', '[', '?', '*', '+', '{', '\\']) {
                        words.push(pat.clone());
                    }
                }
            }
        }
        let shouted: Vec<String> = words.iter().step_by(3).map(|w| w.to_uppercase()).collect();
        let capitalised: Vec<String> = (words.iter().step_by(2))
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
            .collect();
        words.extend(shouted);
        words.extend(capitalised);
        words.extend([
            "Human error rate".into(),
            "did not check".into(),
            "should have known".into(),
        ]);
        let mut texts: Vec<Vec<u8>> = (1..40).map(|seed| phrase_soup(seed, &words)).collect();
        for example in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap()
        {
            let path = example.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                texts.push(std::fs::read(path).unwrap());
            }
        }
        let mut total = 0;
        for hay in &texts {
            let lower = lower_ascii(hay);
            let starts = BUILTIN.starts(&lower);
            for p in packs {
                let all = BUILTIN.find_at(p, hay, &lower, 0..hay.len(), &starts);
                assert_eq!(all, reference(p, hay, 0..hay.len()), "pack {}", p.rule);
                total += all.len();
                let (a, b) = (hay.len() / 3, hay.len() * 2 / 3);
                for range in [a..b, 0..a, b..hay.len() + 10, a..a] {
                    assert_eq!(
                        BUILTIN.find_at(p, hay, &lower, range.clone(), &starts),
                        reference(p, hay, range.start.min(hay.len())..range.end.min(hay.len())),
                        "pack {} in {range:?}",
                        p.rule
                    );
                }
            }
        }
        assert!(total > 1000, "the texts hold many matches ({total})");
        // Each pack's own automaton, over ranges, finds the same.
        for hay in &texts {
            let lower = lower_ascii(hay);
            for p in packs {
                let own = p.own_matcher().unwrap();
                let (a, b) = (hay.len() / 4, hay.len() / 2);
                for range in [0..hay.len(), a..b] {
                    let starts = own.starts_in(&lower, range.clone());
                    assert_eq!(
                        own.find_at(p, hay, &lower, range.clone(), &starts),
                        reference(p, hay, range.clone()),
                        "pack {} alone in {range:?}",
                        p.rule
                    );
                }
            }
        }
    }

    /// `rules/packs.syntax` holds the parsed patterns of the built-in packs
    /// (see `syntax`); `PMLINT_BLESS=1 cargo test --lib builtin_pack_syntax`
    /// regenerates it.
    #[test]
    fn builtin_pack_syntax_is_current() {
        let mut file = String::from(
            "# The parsed patterns of rules/*.yml (see src/language/syntax.rs).\n\
             # Generated: PMLINT_BLESS=1 cargo test --lib builtin_pack_syntax\n",
        );
        for (name, yaml) in BUILTIN_FILES {
            let pack: PackFile = serde_yaml::from_str(yaml).unwrap();
            let regexes: Vec<String> = pack
                .entries
                .iter()
                .flat_map(|e| e.patterns.iter().map(|p| phrase_regex(p)))
                .collect();
            let print = pack_fingerprint(regexes.iter().map(String::as_str));
            file.push_str(&syntax::header(&pack.rule, print));
            file.push('\n');
            for re in &regexes {
                let hir = parse_pattern(re).unwrap();
                let code = syntax::encode(&hir).unwrap_or_else(|| panic!("{name}: {re}"));
                file.push_str(&code);
                file.push('\n');
            }
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/packs.syntax");
        if std::env::var_os("PMLINT_BLESS").is_some_and(|v| v == "1") {
            crate::app::write_atomic(std::path::Path::new(path), file.as_bytes()).unwrap();
            return;
        }
        assert!(
            syntax::BUILTIN == file,
            "rules/packs.syntax is stale: PMLINT_BLESS=1 cargo test --lib builtin_pack_syntax"
        );
        // And every built-in pack was built from it, with the same trees
        // as parsing gives.
        for (name, yaml) in BUILTIN_FILES {
            let parsed = Pack::load(name, yaml, false, None).unwrap();
            let stored = Pack::load(name, yaml, false, Some(syntax::BUILTIN)).unwrap();
            assert_eq!(parsed.hirs, stored.hirs, "{name}");
            assert_eq!(parsed.pattern_entry, stored.pattern_entry, "{name}");
        }
    }

    /// `rules/packs.json` holds the built-in pack files as JSON (see
    /// [`BUILTIN_DIGEST`]); `PMLINT_BLESS=1 cargo test --lib
    /// builtin_pack_digest` regenerates it.
    #[test]
    fn builtin_pack_digest_is_current() {
        let mut file = String::new();
        for (name, yaml) in BUILTIN_FILES {
            let pack: PackFile = serde_yaml::from_str(yaml).unwrap();
            let json = serde_json::to_string(&pack).unwrap();
            let print = syntax::fingerprint([yaml]);
            file.push_str(&format!("{name} {print:016x} {json}\n"));
            // What the line gives back is what the YAML says.
            let back: PackFile = serde_json::from_str(&json).unwrap();
            assert_eq!(format!("{back:?}"), format!("{pack:?}"), "{name}");
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/packs.json");
        if std::env::var_os("PMLINT_BLESS").is_some_and(|v| v == "1") {
            crate::app::write_atomic(std::path::Path::new(path), file.as_bytes()).unwrap();
            return;
        }
        assert!(
            BUILTIN_DIGEST == file,
            "rules/packs.json is stale: PMLINT_BLESS=1 cargo test --lib builtin_pack_digest"
        );
        for (name, yaml) in BUILTIN_FILES {
            assert!(digest_line(name, yaml).is_some(), "{name}");
            // A changed file is not read from a stale line.
            assert!(digest_line(name, &format!("{yaml}\n")).is_none(), "{name}");
        }
    }

    #[test]
    fn no_builtin_pattern_matches_empty_text() {
        for p in [
            &*BLAMELESS,
            &*COUNTERFACTUAL,
            &*MINIMIZING,
            &*INDIVIDUAL_BLAME,
        ] {
            for h in &p.hirs {
                assert!(h.properties().minimum_len().unwrap_or(0) > 0, "{}", p.rule);
            }
        }
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
        assert_eq!(find(&p, "we should’ve".as_bytes()).len(), 1);
        assert_eq!(find(&p, b"we should've").len(), 1);
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
        let hits = find(&p, hay);
        assert_eq!(hits.len(), 1);
        assert_eq!(&hay[hits[0].span.clone()], b"Human\n  error");
    }

    #[test]
    fn longer_phrasings_win_at_the_same_position() {
        let p =
            pack("  - patterns: ['should have']\n  - patterns: ['should have seen it coming']\n");
        let hits = find(&p, b"we should have seen it coming");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entry, 1);
    }

    #[test]
    fn guards_cancel_a_match() {
        let p = pack("  - patterns: ['human error']\n    unless_followed_by: ['rate']\n");
        assert!(find(&p, b"the human error rate").is_empty());
        assert_eq!(find(&p, b"a human error").len(), 1);
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
