//! Template placeholders, found once per document and shared by
//! `template-placeholder`, `empty-section`, `root-cause-missing` and the
//! front-matter rules. The patterns are data: `rules/placeholders.yml`.
//!
//! The shared API: [`Found::compute`] (placeholder spans in the body),
//! [`is_placeholder_value`] (a front-matter or cell value that is still the
//! template's), [`is_template_example`] (the template's example names and
//! rows) and [`has_sentence`] (whether a span holds real content).
//!
//! Bracketed text is a placeholder only when it reads like a template
//! instruction (`[e.g., …]`, `[List …]`, `[Timezone]`, an instruction
//! sentence); `[REDACTED]`, `[sic]`, `[1]`, log levels (`[ERROR]`), log
//! stamps and editor's notes never are, and other bracketed text
//! (`[Kafka]`) is left alone. Links, reference links, footnotes and task
//! boxes are not in the prose mask as brackets, so they never match.

use super::Ctx;
use crate::config::Settings;
use crate::diagnostic::Span;
use crate::document::{Document, BOUNDARY};
use regex::{RegexSet, RegexSetBuilder};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

/// What kind of template text a placeholder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `[e.g., …]`, `YYYY-MM-DD`, `TBD`: an instruction or format to replace.
    Placeholder,
    /// One of the template's example names or values (`Jane Doe`).
    Example,
    /// One of the template's example rows, as a whole cell or list item.
    ExampleRow,
}

/// One piece of template text left in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub span: Span,
    pub kind: Kind,
}

#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Spans of template text in the body, sorted and disjoint: the
    /// placeholders plus the template's example rows and labelled list
    /// items around them (`**Start:** YYYY-MM-DD HH:MM [Timezone]`).
    pub spans: Vec<Span>,
    /// The placeholders themselves, in order (adjacent ones merged), for
    /// reporting. Table header rows hold none.
    pub items: Vec<Placeholder>,
}

#[derive(Deserialize)]
struct PackFile {
    brackets: BracketFile,
    dates: Vec<String>,
    times: Vec<String>,
    time_prepositions: Vec<String>,
    todo_values: Vec<String>,
    empty_values: Vec<String>,
    phrases: Vec<String>,
    example_names: Vec<String>,
    example_values: Vec<String>,
    example_rows: Vec<String>,
}

#[derive(Deserialize)]
struct BracketFile {
    allowed: Vec<String>,
    placeholder: Vec<String>,
}

/// A case-insensitive `RegexSet` compiled on first use: the bracket sets
/// use Unicode classes that take milliseconds to compile, and many
/// documents have no bracketed text to test.
struct LazySet {
    sources: Vec<String>,
    set: OnceLock<RegexSet>,
}

impl LazySet {
    fn new(sources: &[String]) -> LazySet {
        LazySet {
            sources: sources.to_vec(),
            set: OnceLock::new(),
        }
    }

    fn get(&self) -> &RegexSet {
        self.set.get_or_init(|| {
            RegexSetBuilder::new(&self.sources)
                .case_insensitive(true)
                .build()
                .expect("rules/placeholders.yml patterns are valid")
        })
    }
}

struct Pack {
    allowed: LazySet,
    placeholder: LazySet,
    dates: Vec<String>,
    times: Vec<String>,
    /// Dates (optionally with a time), times, to-do values and example
    /// names, in that order ([`TEXTS`]).
    texts: literals::Scan,
    prepositions: Vec<String>,
    todo_values: Vec<String>,
    empty_values: Vec<String>,
    phrases: Vec<String>,
    examples: HashSet<String>,
    rows: HashSet<String>,
    /// The first words of the normalised example rows, sorted.
    row_starts: Vec<String>,
    /// By byte: whether one of `row_starts` begins with it (they are lower
    /// case where ASCII, so an ASCII word can only equal one ignoring
    /// case if its first byte, lower-cased, is marked).
    row_first: [bool; 256],
    /// The `phrases` (lower case, compared ignoring ASCII case) and then
    /// the `dates` and `times` formats (compared as written): what
    /// [`holds_phrase_or_format`] looks for.
    in_values: Vec<InValue>,
    /// By byte: bit `k` when `in_values[k]` begins with it (a phrase in
    /// either case; an empty one begins with every byte).
    in_values_first: [u32; 256],
    /// The longest of `todo_values` and `empty_values`, in bytes.
    longest_value: usize,
    /// The longest normalised example row, in bytes.
    longest_row: usize,
}

mod literals;
use literals::{Alternation, End};

/// The alternations of [`Pack::texts`], by index.
const TEXTS: [&str; 4] = ["date", "time", "todo", "example"];

const PACK_YAML: &str = include_str!("../../rules/placeholders.yml");

/// The embedded pack; a unit test proves it loads, so `expect` cannot fire.
static PACK: LazyLock<Pack> = LazyLock::new(|| {
    let f: PackFile = serde_yaml::from_str(PACK_YAML).expect("rules/placeholders.yml is valid");
    let mut examples: Vec<String> = f.example_names.clone();
    examples.extend(f.example_values.iter().cloned());
    Pack {
        allowed: LazySet::new(&f.brackets.allowed),
        placeholder: LazySet::new(&f.brackets.placeholder),
        texts: literals::Scan::new(vec![
            Alternation::new(&f.dates, false, End::Boundary)
                .with_suffix(b" T", Alternation::new(&f.times, false, End::Boundary)),
            Alternation::new(&f.times, false, End::Boundary),
            Alternation::new(&f.todo_values, true, End::Boundary),
            Alternation::new(&examples, false, End::BoundaryOrEnd),
        ]),
        prepositions: f
            .time_prepositions
            .iter()
            .map(|s| s.to_lowercase())
            .collect(),
        todo_values: f.todo_values.iter().map(|s| s.to_lowercase()).collect(),
        empty_values: f.empty_values.iter().map(|s| s.to_lowercase()).collect(),
        phrases: f.phrases.iter().map(|s| s.to_lowercase()).collect(),
        examples: examples.iter().map(|s| normalize(s)).collect(),
        rows: f.example_rows.iter().map(|s| normalize(s)).collect(),
        row_starts: {
            let mut v: Vec<String> = f
                .example_rows
                .iter()
                .map(|s| normalize(s).split(' ').next().unwrap_or("").to_string())
                .collect();
            v.sort();
            v.dedup();
            v
        },
        row_first: {
            let mut t = [false; 256];
            for row in &f.example_rows {
                if let Some(b) = normalize(row).bytes().next() {
                    t[usize::from(b)] = true;
                }
            }
            t
        },
        longest_row: f
            .example_rows
            .iter()
            .map(|s| normalize(s).len())
            .max()
            .unwrap_or(0),
        longest_value: f
            .todo_values
            .iter()
            .chain(&f.empty_values)
            .map(|v| v.to_lowercase().len())
            .max()
            .unwrap_or(0),
        in_values_first: in_values_first(&in_values(&f)),
        in_values: in_values(&f),
        dates: f.dates,
        times: f.times,
    }
});

/// One phrase or format of [`Pack::in_values`].
struct InValue {
    bytes: Vec<u8>,
    /// Compared ignoring ASCII case (a phrase, lower case).
    fold: bool,
}

/// The entries of [`Pack::in_values`], in order: the phrases lower case,
/// then the date and time formats. At most 32 (one bit each in
/// [`Pack::in_values_first`]).
fn in_values(f: &PackFile) -> Vec<InValue> {
    let phrases = f.phrases.iter().map(|p| InValue {
        bytes: p.to_lowercase().into_bytes(),
        fold: true,
    });
    let formats = f.dates.iter().chain(&f.times).map(|d| InValue {
        bytes: d.clone().into_bytes(),
        fold: false,
    });
    let v: Vec<InValue> = phrases.chain(formats).collect();
    assert!(v.len() <= 32, "at most 32 phrases and formats");
    v
}

/// [`Pack::in_values_first`] for `in_values`.
fn in_values_first(in_values: &[InValue]) -> [u32; 256] {
    let mut t = [0u32; 256];
    for (k, v) in in_values.iter().enumerate() {
        let bit = 1u32 << k;
        match v.bytes.first() {
            Some(b) if v.fold => {
                t[usize::from(b.to_ascii_lowercase())] |= bit;
                t[usize::from(b.to_ascii_uppercase())] |= bit;
            }
            Some(b) => t[usize::from(*b)] |= bit,
            None => t.iter_mut().for_each(|x| *x |= bit),
        }
    }
    t
}

/// Compiles the embedded pack now (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&PACK);
}

/// Lower case, letters and digits only, single spaces.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out, usize::MAX, None);
    out
}

/// [`normalize`] into `out`; stops (returning false) once `out` is longer
/// than `limit` bytes, or once its first word is complete and not one of
/// `starts`.
fn normalize_into(s: &str, out: &mut String, limit: usize, starts: Option<&[String]>) -> bool {
    out.clear();
    // Called before the separator after the first word is written.
    let mut first_word_done = false;
    let mut gate = |out: &String| -> bool {
        if first_word_done {
            return true;
        }
        first_word_done = true;
        starts.is_none_or(|st| st.binary_search_by(|w| w.as_str().cmp(out)).is_ok())
    };
    // Byte by byte while the text is ASCII (most text is); from the first
    // other byte on, over again by chars. Up to there both ways write the
    // same (a first word the gate passed is passed again), so a stop on
    // the way gives the answer the chars would.
    let mut in_word = false;
    let mut ascii = true;
    for b in s.bytes() {
        if !b.is_ascii() {
            ascii = false;
            break;
        }
        if b.is_ascii_alphanumeric() {
            if !in_word && !out.is_empty() {
                if !gate(out) {
                    return false;
                }
                out.push(' ');
            }
            in_word = true;
            out.push(char::from(b.to_ascii_lowercase()));
            if out.len() > limit {
                return false;
            }
        } else {
            in_word = false;
        }
    }
    if ascii {
        return true;
    }
    out.clear();
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            if !gate(out) {
                return false;
            }
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
        if out.len() > limit {
            return false;
        }
    }
    true
}

/// Whether `s` is one of the template's example rows once normalised:
/// text longer than the longest row is dismissed without normalising it
/// whole (table cells are checked one by one).
fn is_example_row(s: &str, pack: &Pack, buf: &mut String) -> bool {
    // Most cells and items fail on their first word: test it in place,
    // its first byte first.
    let b = s.as_bytes();
    let start = b
        .iter()
        .position(|c| !c.is_ascii() || c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    // An ASCII first byte, lower-cased, begins the normalised text however
    // the word goes on, so a byte no row begins with settles it before the
    // word is scanned (most cells and items; 148 instructions per call
    // before, over 116,000 calls on a 1,000-file corpus).
    if b.get(start)
        .is_some_and(|c| c.is_ascii() && !pack.row_first[usize::from(c.to_ascii_lowercase())])
    {
        return false;
    }
    let len = b[start..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len() - start);
    let end = start + len;
    if len > 0
        && b.get(end).is_none_or(u8::is_ascii)
        && !pack
            .row_starts
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(&b[start..end]))
    {
        return false;
    }
    normalize_into(s, buf, pack.longest_row, Some(&pack.row_starts))
        && pack.rows.contains(buf.as_str())
}

/// Whether the text between brackets is a template instruction.
fn is_bracket_placeholder(inner: &str) -> bool {
    is_bracket_placeholder_in(inner, &mut String::new())
}

/// [`is_bracket_placeholder`] with a buffer for the collapsed text.
fn is_bracket_placeholder_in(inner: &str, words: &mut String) -> bool {
    // The placeholder test first: the allowed set is only needed (and
    // compiled) for bracketed text that looks like a placeholder. Before
    // either, a test of what every placeholder pattern needs: most
    // bracketed text (names, links, notes) fails it, and the sets are not
    // compiled at all. It gives the same answer on the trimmed text as on
    // the collapsed one, so the text is only collapsed once it passes.
    if !may_be_placeholder(inner.trim()) {
        return false;
    }
    // Text already collapsed (most bracketed text) is matched as it is.
    let words: &str = if is_collapsed(inner) {
        inner
    } else {
        collapse_into(inner, words);
        words
    };
    let pack = &*PACK;
    pack.placeholder.get().is_match(words) && !pack.allowed.get().is_match(words)
}

/// Whether [`collapse_into`] would give `inner` back unchanged: its only
/// blanks are single spaces between words.
fn is_collapsed(inner: &str) -> bool {
    let mut prev_blank = true;
    for c in inner.chars() {
        let blank = c.is_whitespace();
        if blank && (c != ' ' || prev_blank) {
            return false;
        }
        prev_blank = blank;
    }
    !prev_blank || inner.is_empty()
}

/// `inner`'s words joined by single spaces (what the bracket patterns are
/// matched against).
fn collapse_into(inner: &str, words: &mut String) {
    words.clear();
    for w in inner.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(w);
    }
}

/// What the `placeholder` patterns of `rules/placeholders.yml` are
/// compared with, case folded: ASCII letters lower-cased, and the two
/// non-ASCII letters that `(?i)` equates with ASCII ones (`ſ` with `s`, the
/// Kelvin sign with `k`) mapped to them.
fn fold(c: char) -> char {
    match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    }
}

/// How the `placeholder` patterns may begin: the words they open with,
/// shortened to what the pattern fixes (`servic` for `services?`).
const PLACEHOLDER_OPENINGS: [&str; 40] = [
    "incident",
    "date",
    "time",
    "tz",
    "servic",
    "component",
    "system",
    "name",
    "list",
    "describe",
    "provide",
    "identify",
    "summari",
    "explain",
    "insert",
    "add",
    "enter",
    "fill",
    "specify",
    "include",
    "outline",
    "detail",
    "write",
    "quantify",
    "mention",
    "give",
    "attach",
    "paste",
    "replace",
    "link",
    "unique",
    "identifier",
    "any",
    "todo",
    "tbd",
    "tba",
    "tbc",
    "fixme",
    "xxx",
    "placeholder",
];

/// The words an unanchored placeholder pattern may end with
/// (`[Owner Name]`, `[Ticket ID]`).
const PLACEHOLDER_ENDINGS: [&str; 12] = [
    "name", "names", "id", "ids", "number", "link", "links", "url", "date", "time", "title", "here",
];

/// How many chars of each end of the text [`may_be_placeholder`] looks
/// at: more than the longest opening or ending (a test checks).
const HEAD: usize = 16;

/// The first (or, with `rev`, the last, last first) [`HEAD`] chars of `s`,
/// [`fold`]ed, one byte each: a char that folds to no ASCII byte becomes
/// `0x80`, which equals no letter of an opening or ending and is not an
/// ASCII letter or digit, as the char is not. Also how many were taken.
fn folded_end(s: &str, rev: bool) -> ([u8; HEAD], usize) {
    let mut out = [0u8; HEAD];
    let mut n = 0;
    let mut put = |c: char| {
        let f = fold(c);
        out[n] = if f.is_ascii() { f as u8 } else { 0x80 };
        n += 1;
        n < HEAD
    };
    if rev {
        for c in s.chars().rev() {
            if !put(c) {
                break;
            }
        }
    } else {
        for c in s.chars() {
            if !put(c) {
                break;
            }
        }
    }
    (out, n)
}

/// `false` only when no `placeholder` pattern can match `words` (collapsed
/// bracketed text, or the same trimmed only: the answer is the same): a
/// test of what each pattern needs, looser than the pattern (a byte that
/// is not an ASCII letter or digit stands for any blank or word boundary).
/// Written for the patterns in `rules/placeholders.yml`;
/// `placeholder_pre_test_is_current` fails when they change, and
/// `placeholder_pre_test_admits_every_match` checks it against the
/// patterns.
fn may_be_placeholder(words: &str) -> bool {
    // The folded ends, taken once: each opening and ending is compared
    // with them rather than by walking the text again.
    let (head, n) = folded_end(words, false);
    let head = &head[..n];
    let loose = |c: Option<&u8>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    let starts_with = |p: &str| head.starts_with(p.as_bytes());
    let after = |p: &str| head.get(p.len());
    // `^e\.?\s?g\b`, `^(a|an)\s+…`, then the patterns opening with a word.
    if starts_with("e") && (after("e") == Some(&b'g') || loose(after("e")))
        || starts_with("a") && loose(after("a"))
        || starts_with("an") && loose(after("an"))
        || PLACEHOLDER_OPENINGS.iter().any(|p| starts_with(p))
    {
        return true;
    }
    // `\be\.\s?g\.` anywhere; an instruction sentence `…[.?]$`.
    if words.contains("e.") || words.contains("E.") || words.ends_with(['.', '?']) {
        return true;
    }
    // `^(\S+\s+){0,3}(name|…|here)$`.
    let (tail, n) = folded_end(words, true);
    let tail = &tail[..n];
    PLACEHOLDER_ENDINGS.iter().any(|w| {
        w.len() <= tail.len()
            && w.bytes().rev().eq(tail[..w.len()].iter().copied())
            && loose(tail.get(w.len()))
    })
}

impl Found {
    pub fn compute(doc: &Document, settings: &Settings) -> Found {
        Found::compute_lowered(doc, settings, &crate::language::lower_ascii(&doc.md.mask))
    }

    /// [`Found::compute`], given the document's prose mask with its ASCII
    /// letters lower-cased (the copy the word packs scan, made once).
    pub fn compute_lowered(doc: &Document, settings: &Settings, lower: &[u8]) -> Found {
        let pack = &*PACK;
        let text = doc.text.as_bytes();
        let mask = &doc.md.mask;
        let start = doc.body_start.min(mask.len());
        let mut cands: Vec<Placeholder> = Vec::new();
        let ph = |span: Span| Placeholder {
            span,
            kind: Kind::Placeholder,
        };

        // Bracketed text: one pass with a stack; a line end or a table pipe
        // closes every open bracket.
        let mut open: Vec<usize> = Vec::new();
        let mut pairs: Vec<Span> = Vec::new();
        let mut next = start;
        while next < mask.len() {
            if open.is_empty() {
                // Nothing is open: closing brackets and line ends change
                // nothing until the next `[`.
                match memchr::memchr(b'[', &mask[next..]) {
                    Some(p) => next += p,
                    None => break,
                }
            }
            let i = next;
            next += 1;
            let m = mask[i];
            if m == b'\n' || (m == BOUNDARY && matches!(text[i], b'\n' | b'\r' | b'|')) {
                open.clear();
            } else if m == b'[' {
                open.push(i);
            } else if m == b']' {
                if let Some(o) = open.pop() {
                    if open.is_empty() {
                        pairs.push(o..i + 1);
                    }
                }
            }
        }
        let mut inner_buf: Vec<u8> = Vec::new();
        let mut words = String::new();
        for pair in pairs {
            inner_buf.clear();
            inner_buf.extend((pair.start + 1..pair.end - 1).map(|i| {
                if mask[i] == BOUNDARY {
                    text[i]
                } else {
                    mask[i]
                }
            }));
            let inner = String::from_utf8_lossy(&inner_buf);
            let inner = inner.trim().trim_end_matches('\\');
            if is_bracket_placeholder_in(inner, &mut words) {
                // `\[…\]` (escaped by an editor) is the same placeholder.
                let s = if pair.start > start && text[pair.start - 1] == b'\\' {
                    pair.start - 1
                } else {
                    pair.start
                };
                cands.push(ph(s..pair.end));
            }
        }

        let body = &mask[start..];
        // The real people are only needed once an example name matched.
        let mut real: Option<HashSet<String>> = None;
        // By alternation, as separate scans would list them (ties in the
        // sort below keep this order).
        let lower = lower.get(start..).unwrap_or_default();
        let mut found = pack.texts.find_all_lowered(body, lower);
        found.sort_by_key(|m| m.0);
        for (k, s, e) in found {
            let span = start + s..start + e;
            match TEXTS[k] {
                "date" => cands.push(ph(span)),
                "time" if in_date_position(mask, &span, pack) => cands.push(ph(span)),
                "todo" if whole_unit(mask, &span) => cands.push(ph(span)),
                "example" => {
                    let name = normalize(&String::from_utf8_lossy(&text[span.clone()]));
                    let real = real.get_or_insert_with(|| real_people(doc, settings));
                    if !real.contains(&name) {
                        cands.push(Placeholder {
                            span,
                            kind: Kind::Example,
                        });
                    }
                }
                _ => {}
            }
        }
        let mut buf = String::new();
        for t in &doc.md.tables {
            for row in &t.rows {
                for cell in &row.cells {
                    if is_example_row(&cell.text, pack, &mut buf) {
                        cands.push(Placeholder {
                            span: cell.span.clone(),
                            kind: Kind::ExampleRow,
                        });
                    }
                }
            }
        }
        for item in &doc.md.items {
            if !item.quoted && is_example_row(&item.text, pack, &mut buf) {
                cands.push(Placeholder {
                    span: item.text_span.clone(),
                    kind: Kind::ExampleRow,
                });
            }
        }

        // Table header rows hold column names, never placeholders.
        let heads: Vec<Span> = doc
            .md
            .tables
            .iter()
            .map(|t| t.header.span.clone())
            .collect();
        // Tables are in file order and disjoint: a binary search finds the
        // only header a candidate could lie in.
        cands.retain(|c| {
            let i = heads.partition_point(|h| h.end <= c.span.start);
            c.span.start >= start && heads.get(i).is_none_or(|h| h.start > c.span.start)
        });
        cands.sort_by(|a, b| {
            (a.span.start, std::cmp::Reverse(a.span.end))
                .cmp(&(b.span.start, std::cmp::Reverse(b.span.end)))
        });

        // Drop nested candidates; merge neighbours separated by blanks only.
        let mut items: Vec<Placeholder> = Vec::new();
        for c in cands {
            if let Some(last) = items.last_mut() {
                if c.span.start < last.span.end {
                    last.span.end = last.span.end.max(c.span.end);
                    continue;
                }
                let gap = &text[last.span.end..c.span.start];
                if gap.iter().all(|b| matches!(b, b' ' | b'\t')) {
                    last.span.end = c.span.end;
                    continue;
                }
            }
            items.push(c);
        }

        // Template units: a row whose cells are mostly template text, and a
        // list item that holds nothing but a label and template text.
        let mut units: Vec<Span> = items.iter().map(|p| p.span.clone()).collect();
        let covered = |s: &Span| {
            let i = items.partition_point(|p| p.span.end <= s.start);
            items
                .get(i)
                .is_some_and(|p| p.span.start <= s.start && s.end <= p.span.end)
        };
        for t in &doc.md.tables {
            for row in &t.rows {
                let filled = row.cells.iter().filter(|c| !c.text.is_empty()).count();
                let template = row
                    .cells
                    .iter()
                    .filter(|c| !c.text.is_empty() && covered(&c.span))
                    .count();
                if filled > 0 && template * 2 > filled {
                    units.push(row.span.clone());
                }
            }
        }
        for item in &doc.md.items {
            let ts = &item.text_span;
            if ts.is_empty() || ts.end > mask.len() {
                continue;
            }
            let from = item
                .label
                .as_ref()
                .map(|(_, l)| l.end.clamp(ts.start, ts.end))
                .unwrap_or(ts.start);
            let mut any_template = false;
            let mut other = false;
            let mut i = from;
            while i < ts.end {
                let j = items.partition_point(|p| p.span.end <= i);
                if let Some(p) = items.get(j).filter(|p| p.span.start <= i) {
                    any_template = true;
                    i = p.span.end;
                    continue;
                }
                if mask[i].is_ascii_alphanumeric() || mask[i] >= 0x80 {
                    other = true;
                    break;
                }
                i += 1;
            }
            if any_template && !other {
                units.push(ts.clone());
            }
        }
        units.sort_by_key(|s| s.start);
        let mut spans: Vec<Span> = Vec::new();
        for u in units {
            match spans.last_mut() {
                Some(last) if u.start <= last.end => last.end = last.end.max(u.end),
                _ => spans.push(u),
            }
        }
        Found { spans, items }
    }

    /// Whether `span` lies inside template text.
    pub fn covers(&self, span: &Span) -> bool {
        let i = self.spans.partition_point(|s| s.end <= span.start);
        self.spans
            .get(i)
            .is_some_and(|s| s.start <= span.start && span.end <= s.end)
    }
}

/// Names that are real people here: the config's `people`, `author` and
/// `reviewers`.
fn real_people(doc: &Document, settings: &Settings) -> HashSet<String> {
    let mut names: Vec<String> = settings.people.clone();
    if let Some(fm) = doc.fm() {
        for key in ["author", "reviewers"] {
            if let Some(v) = fm.raw(key) {
                names.extend(crate::document::frontmatter::value_list(v));
            }
        }
    }
    names.iter().map(|n| normalize(n)).collect()
}

/// The mask bytes of the line before `at`, blanks at the end trimmed.
fn before(mask: &[u8], at: usize) -> &[u8] {
    // Only the last word matters: look back a bounded distance so a long
    // line with many matches stays linear.
    let floor = at.saturating_sub(64);
    let line_start = mask[floor..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(floor, |p| floor + p + 1);
    let mut s = &mask[line_start..at];
    while let [rest @ .., b' ' | b'\t' | b'*' | b'_'] = s {
        s = rest;
    }
    s
}

/// Whether what follows `at` on its line is only blanks up to a block or
/// cell boundary.
fn ends_unit(mask: &[u8], at: usize, extra: &[u8]) -> bool {
    for &b in &mask[at.min(mask.len())..] {
        match b {
            b' ' | b'\t' | b'*' | b'_' => continue,
            b if extra.contains(&b) => continue,
            b'\n' | b'\r' | BOUNDARY => return true,
            _ => return false,
        }
    }
    true
}

/// A whole paragraph, list item or cell, possibly after a `Label:`.
fn whole_unit(mask: &[u8], span: &Span) -> bool {
    let b = before(mask, span.start);
    let opens = b.is_empty() || matches!(b.last(), Some(&BOUNDARY) | Some(&b':'));
    opens && ends_unit(mask, span.end, b".!")
}

/// `HH:MM` after a date, a label or a preposition, or as a whole cell.
fn in_date_position(mask: &[u8], span: &Span, pack: &Pack) -> bool {
    let b = before(mask, span.start);
    match b.last() {
        None | Some(&BOUNDARY) => return ends_unit(mask, span.end, b"[]"),
        Some(&b':') => return true,
        _ => {}
    }
    let prev = String::from_utf8_lossy(b);
    let word = prev
        .rsplit(|c: char| c.is_whitespace() || c == '\u{1}')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    pack.prepositions.contains(&lower)
        || pack.dates.iter().any(|d| word.ends_with(d.as_str()))
        || is_iso_date(word)
}

fn is_iso_date(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 10 && {
        let d = &b[b.len() - 10..];
        d.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
    }
}

/// Whether a value (front matter, table cell) is still the template's
/// placeholder: empty, `TBD`/`TODO`/`?`/`-`/`N/A`, a bracketed
/// instruction, a `YYYY-MM-DD`/`HH:MM` format, or a phrase of the
/// template's front matter (`Date of Review`).
pub fn is_placeholder_value(raw: &str) -> bool {
    let pack = &*PACK;
    let t = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if t.is_empty() {
        return true;
    }
    if t.is_ascii() {
        return is_ascii_placeholder_value(t, pack);
    }
    let lower = t.to_lowercase();
    if pack.todo_values.contains(&lower) || pack.empty_values.contains(&lower) {
        return true;
    }
    if pack
        .dates
        .iter()
        .chain(&pack.times)
        .any(|l| t.contains(l.as_str()))
    {
        return true;
    }
    if pack.phrases.iter().any(|p| lower.contains(p.as_str())) {
        return true;
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return is_bracket_placeholder(inner);
    }
    false
}

/// [`is_placeholder_value`] on trimmed ASCII text, without allocating:
/// the pack's lists are lower case, so comparing ASCII text with them
/// ignoring ASCII case is comparing its lower case.
fn is_ascii_placeholder_value(t: &str, pack: &Pack) -> bool {
    let same = |v: &String| t.eq_ignore_ascii_case(v);
    if t.len() <= pack.longest_value
        && (pack.todo_values.iter().any(same) || pack.empty_values.iter().any(same))
    {
        return true;
    }
    if holds_phrase_or_format(t.as_bytes(), pack) {
        return true;
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return is_bracket_placeholder(inner);
    }
    false
}

/// Whether ASCII `b` holds one of the phrases ignoring ASCII case, or one
/// of the date and time formats in its own case (`YYYY-MM-DD`, not
/// `yyyy-mm-dd`). Only the entries [`Pack::in_values_first`] says begin
/// with a byte are compared there: an overlapping Aho-Corasick search for
/// all of them cost about 930 instructions per value (25,500 values, 2 %
/// of a 1,000-file run; action items' descriptions run to 80 bytes).
fn holds_phrase_or_format(b: &[u8], pack: &Pack) -> bool {
    // Most bytes begin no entry: the loop only looks them up.
    for (i, c) in b.iter().enumerate() {
        let bits = pack.in_values_first[usize::from(*c)];
        if bits != 0 && in_value_at(b, i, bits, pack) {
            return true;
        }
    }
    false
}

/// Whether one of the entries of [`Pack::in_values`] in `bits` occurs in
/// `b` at `i`.
fn in_value_at(b: &[u8], i: usize, mut bits: u32, pack: &Pack) -> bool {
    while bits != 0 {
        let v = &pack.in_values[bits.trailing_zeros() as usize];
        bits &= bits - 1;
        let same = b.get(i..i + v.bytes.len()).is_some_and(|w| {
            if v.fold {
                w.eq_ignore_ascii_case(&v.bytes)
            } else {
                w == v.bytes.as_slice()
            }
        });
        if same {
            return true;
        }
    }
    false
}

/// Whether a value is one of the template's example names, values or rows
/// (`Jane Doe`, `Auth Service v1.2`, its example action items). The caller
/// decides whether a name is a real person (`people`).
pub fn is_template_example(raw: &str) -> bool {
    let n = normalize(raw);
    !n.is_empty() && (PACK.examples.contains(&n) || PACK.rows.contains(&n))
}

/// Whether `span` holds at least some real prose: text outside headings,
/// table header rows and template text, with a letter or digit in it.
pub fn has_sentence(ctx: &Ctx<'_>, span: &Span) -> bool {
    let found = ctx.placeholders();
    ctx.doc.texts_in(span).any(|t| {
        !t.flags.heading
            && !t.flags.table_head
            && !found.covers(&t.span)
            && ctx.doc.text[t.span.clone()]
                .chars()
                .any(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_util::run;
    use crate::rules::RULES;

    #[test]
    fn is_collapsed_is_collapsing_changing_nothing() {
        let pieces = [
            "a", "Bc", " ", "  ", "\t", "\n", "\u{a0}", "\u{2003}", "\u{85}", "é", "-", ".",
        ];
        let mut x: u64 = 0x0bad_cafe_f00d_1234;
        let mut buf = String::new();
        for _ in 0..50_000 {
            let mut inner = String::new();
            for _ in 0..(crate::rules::test_util::xorshift(&mut x) % 7) {
                let r = crate::rules::test_util::xorshift(&mut x);
                inner.push_str(pieces[(r % pieces.len() as u64) as usize]);
            }
            collapse_into(&inner, &mut buf);
            assert_eq!(is_collapsed(&inner), buf == inner, "{inner:?}");
        }
    }

    /// The `placeholder` patterns [`may_be_placeholder`] was written for.
    #[test]
    fn placeholder_pre_test_is_current() {
        let f: PackFile = serde_yaml::from_str(PACK_YAML).unwrap();
        let written_for = [
            r"^e\.?\s?g\b",
            r"\be\.\s?g\.",
            r"^incident\s+(id|title|name|number|date)\b",
            r"^(date|time|timestamp)(\s+(of|and)\b.*)?$",
            r"^(time\s*zone|timezone|tz)$",
            r"^(services?|components?|systems?)(\s*/\s*(services?|components?|systems?))*(\s+(\d+|name|names))?$",
            r"^name\b",
            r"^(list|describe|provide|identify|summari[sz]e|explain|insert|add|enter|fill|specify|include|outline|detail|write|quantify|mention|give|attach|paste|replace|link)\b",
            r"^(a|an)\s+(concise|detailed|brief|short|clear|one-line|one-sentence|summary|description|list)\b",
            r"^(unique\s+)?identifier\b",
            r"^any\s+(other|relevant|additional)\b",
            r"^(todo|tbd|tba|tbc|fixme|xxx+|placeholder|fill me in|insert here)$",
            r"^(\S+\s+){0,3}(name|names|id|ids|number|link|links|url|date|time|title|here)$",
            r"^\S+(\s+\S+){2,}[.?]$",
        ];
        assert_eq!(
            f.brackets.placeholder, written_for,
            "the placeholder patterns changed: update `may_be_placeholder` and this list"
        );
        // `fold` is the case folding `(?i)` does for ASCII letters.
        let mut buf = [0; 4];
        for letter in 'a'..='z' {
            let re = regex::Regex::new(&format!("(?i)^{letter}$")).unwrap();
            for c in (0..=0x10ffff).filter_map(char::from_u32) {
                assert_eq!(
                    re.is_match(c.encode_utf8(&mut buf)),
                    fold(c) == letter,
                    "{letter} and {c:?}"
                );
            }
        }
    }

    #[test]
    fn placeholder_pre_test_admits_every_match() {
        let f: PackFile = serde_yaml::from_str(PACK_YAML).unwrap();
        // The patterns' own words, and others.
        let mut pieces: Vec<String> = Vec::new();
        for p in &f.brackets.placeholder {
            let plain: String = p
                .chars()
                .map(|c| if c.is_ascii_alphabetic() { c } else { ' ' })
                .collect();
            pieces.extend(plain.split_whitespace().map(str::to_string));
        }
        pieces.extend(
            [
                "e.g.",
                "e.",
                "g",
                "E. G.",
                "eg",
                ".",
                "?",
                "/",
                ",",
                "1",
                "12",
                "Zoë",
                "Tomás",
                "ſervice",
                "\u{212a}",
                "lin\u{212a}s",
                "ID",
                "Name",
                "A",
                "An",
                "x",
                "—",
                "-",
                "(",
                ")",
                ":",
                "\u{a0}",
                "[",
                "note:",
                "Jane",
                "here.",
                "ids?",
            ]
            .map(str::to_string),
        );
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut matched = 0;
        let mut words = String::new();
        for _ in 0..100_000 {
            crate::rules::test_util::xorshift(&mut x);
            let mut raw = String::new();
            let mut r = x;
            for i in 0..(1 + x % 5) {
                let piece = &pieces[(r % pieces.len() as u64) as usize];
                r /= pieces.len() as u64;
                if i > 0 && r % 4 != 0 {
                    raw.push(' ');
                }
                raw.push_str(piece);
                r /= 4;
            }
            collapse_into(&raw, &mut words);
            if PACK.placeholder.get().is_match(&words) {
                matched += 1;
                assert!(may_be_placeholder(&words), "{words:?}");
            }
        }
        assert!(matched > 5_000, "{matched}");
        assert!(!may_be_placeholder("Zoë Tanaka, Tomás Lee"));
        assert!(!may_be_placeholder("Jane Doe"));
    }

    /// [`may_be_placeholder`] as first written, walking the text for each
    /// opening and ending.
    fn may_be_placeholder_walking(words: &str) -> bool {
        let loose = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        let starts_with = |p: &str| {
            let mut f = words.chars().map(fold);
            p.chars().all(|c| f.next() == Some(c))
        };
        let after = |p: &str| words.chars().map(fold).nth(p.len());
        if starts_with("e") && (after("e") == Some('g') || loose(after("e")))
            || starts_with("a") && loose(after("a"))
            || starts_with("an") && loose(after("an"))
            || PLACEHOLDER_OPENINGS.iter().any(|p| starts_with(p))
        {
            return true;
        }
        if words.contains("e.") || words.contains("E.") || words.ends_with(['.', '?']) {
            return true;
        }
        PLACEHOLDER_ENDINGS.iter().any(|w| {
            let mut r = words.chars().rev().map(fold);
            w.chars().rev().all(|c| r.next() == Some(c)) && loose(r.next())
        })
    }

    /// The folded ends are long enough for every opening and ending and
    /// the char after it; the pre-test answers as the walk over the text
    /// did, and the same on trimmed text as on collapsed text.
    #[test]
    fn placeholder_pre_test_reads_the_folded_ends_like_the_text() {
        for w in PLACEHOLDER_OPENINGS.iter().chain(&PLACEHOLDER_ENDINGS) {
            assert!(w.is_ascii() && w.len() < HEAD, "{w}");
        }
        let pieces = [
            "e",
            "E",
            "g",
            "e.g.",
            "a",
            "an",
            "An",
            "any",
            "name",
            "Names",
            "id",
            "ID",
            "here",
            "tbd",
            "ſervice",
            "\u{212a}",
            "lin\u{212a}",
            "s",
            "placeholder",
            "identifier",
            "zoë",
            "é",
            "İ",
            "x",
            "1",
            ".",
            "?",
            "/",
            "-",
            ",",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "number",
            "title",
            "url",
            "links",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut words = String::new();
        for _ in 0..100_000 {
            let count = 1 + crate::rules::test_util::xorshift(&mut x) % 8;
            let raw = crate::rules::test_util::random_concat(&pieces, count, &mut x);
            collapse_into(&raw, &mut words);
            let want = may_be_placeholder_walking(&words);
            assert_eq!(may_be_placeholder(&words), want, "{words:?}");
            assert_eq!(may_be_placeholder(raw.trim()), want, "{raw:?}");
        }
    }

    #[test]
    fn the_embedded_pack_loads() {
        assert!(PACK.rows.len() >= 4);
        // The lazily compiled sets compile (`LazySet::get` expects it).
        assert!(PACK.allowed.get().len() >= 5);
        assert!(PACK.placeholder.get().len() >= 5);
        assert!(PACK.examples.contains("jane doe"));
    }

    /// The ASCII path finds what the general one (lower-casing, `contains`)
    /// finds.
    #[test]
    fn ascii_values_are_judged_like_any_other() {
        let pack = &*PACK;
        let general = |t: &str| {
            let lower = t.to_lowercase();
            pack.todo_values.contains(&lower)
                || pack.empty_values.contains(&lower)
                || pack
                    .dates
                    .iter()
                    .chain(&pack.times)
                    .any(|l| t.contains(l.as_str()))
                || pack.phrases.iter().any(|p| lower.contains(p.as_str()))
                || t.strip_prefix('[')
                    .and_then(|r| r.strip_suffix(']'))
                    .is_some_and(is_bracket_placeholder)
        };
        let pieces = [
            "Date of Review",
            "date OF review",
            "Date of",
            "YYYY-MM-DD",
            "yyyy-mm-dd",
            "YYYY-MM",
            "HH:MM",
            "hh:mm",
            "HH:MM:SS",
            "DD/MM/YYYY",
            "MM/DD/YYYY",
            "Incident ID/Title",
            "incident id/title",
            "List of key reviewers/stakeholders",
            "TBD",
            "n/a",
            "-",
            "[",
            "]",
            "Name or Role of Post-Mortem Lead",
            "name",
            "2026-03-14",
            "14:02",
            "Jane",
            " ",
            "YYYYY-MM-DDD",
            "HHH:MMM",
        ];
        let mut seed = 7u64;
        let mut checked = 0;
        for _ in 0..4000 {
            let mut t = String::new();
            for _ in 0..(seed % 4 + 1) {
                crate::rules::test_util::xorshift(&mut seed);
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                if seed % 3 == 0 {
                    t.push(' ');
                }
            }
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            assert_eq!(is_ascii_placeholder_value(t, pack), general(t), "{t:?}");
            checked += 1;
        }
        assert!(checked > 3000);
    }

    /// What [`holds_phrase_or_format`] replaced: every occurrence of the
    /// phrases and formats ignoring ASCII case, a format counting only in
    /// its own case.
    fn holds_by_overlapping_search(b: &[u8]) -> bool {
        let pack = &*PACK;
        let patterns: Vec<&String> = pack
            .phrases
            .iter()
            .chain(&pack.dates)
            .chain(&pack.times)
            .collect();
        static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
        let ac = AC.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&patterns)
                .unwrap()
        });
        let phrases = pack.phrases.len();
        ac.find_overlapping_iter(b).any(|m| {
            let id = m.pattern().as_usize();
            id < phrases || &b[m.span()] == patterns[id].as_bytes()
        })
    }

    #[test]
    fn phrases_and_formats_are_found_as_the_overlapping_search_found_them() {
        let pieces = [
            "Date of Review",
            "DATE of review",
            "date of revie",
            "D",
            "d",
            "Date",
            " of",
            " Review",
            "YYYY-MM-DD",
            "yyyy-MM-DD",
            "YYYY",
            "-MM",
            "-DD",
            "/",
            "DD/MM/YYYY",
            "MM/DD/YYYY",
            "HH:MM",
            "HH:MM:SS",
            "hh:mm",
            "H",
            ":",
            "Name or Role of Post-Mortem Lead",
            "name or role",
            "List of key reviewers/stakeholders",
            "Incident ID/Title",
            "INCIDENT id/",
            "Title",
            "x",
            " ",
            "1",
        ];
        let mut x: u64 = 0x5eed_1234_abcd_ef01;
        let mut found = 0;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..(crate::rules::test_util::xorshift(&mut x) % 9) {
                let r = crate::rules::test_util::xorshift(&mut x);
                t.push_str(pieces[(r % pieces.len() as u64) as usize]);
            }
            let want = holds_by_overlapping_search(t.as_bytes());
            assert_eq!(holds_phrase_or_format(t.as_bytes(), &PACK), want, "{t:?}");
            found += usize::from(want);
        }
        assert!(found > 5_000, "{found}");
    }

    /// [`is_example_row`] is its definition: the normalised text is one
    /// of the rows.
    #[test]
    fn example_rows_are_the_normalised_rows() {
        let pack = &*PACK;
        let pieces = [
            "Implement input validation for Auth Service API endpoint /login.",
            "Review and adjust monitoring alert thresholds for Auth Service error rates.",
            "**Create** automated integration test for Auth Service login edge cases",
            "DOCUMENT and automate rollback procedure for Auth Service deployments",
            "Implement",
            "implementé",
            "Review",
            "review",
            "Create",
            "Document",
            "Documented",
            "Done",
            "Investigate",
            " and",
            " for",
            " Auth Service",
            "é",
            "—",
            "\u{a0}",
            "İ",
            "\u{212a}",
            "1",
            "-",
            "*",
            " ",
            "`",
            ".",
        ];
        let mut x: u64 = 0x0123_4567_89ab_cdef;
        let mut buf = String::new();
        let mut rows = 0;
        for _ in 0..50_000 {
            let count = crate::rules::test_util::xorshift(&mut x) % 5;
            let t = crate::rules::test_util::random_concat(&pieces, count, &mut x);
            let want = pack.rows.contains(&normalize(&t));
            assert_eq!(is_example_row(&t, pack, &mut buf), want, "{t:?}");
            rows += usize::from(want);
        }
        assert!(rows > 500, "{rows}");
    }

    #[test]
    fn placeholder_values_are_the_templates() {
        for v in [
            "",
            "  ",
            "[e.g., 2 hours 30 minutes]",
            "[Name or Role of Post-Mortem Lead]",
            "[List of key reviewers/stakeholders]",
            "YYYY-MM-DD (Date of Review)",
            "YYYY-MM-DD HH:MM [Timezone]",
            "TBD",
            "todo",
            "?",
            "-",
            "N/A",
            "[Timezone]",
            "\"[Incident ID/Title]\"",
        ] {
            assert!(is_placeholder_value(v), "{v:?}");
        }
        for v in [
            "Login outage",
            "[Bob, Carol]",
            "@alice",
            "2025-07-18 14:05 UTC",
            "Draft",
            "[REDACTED]",
            "Jane Doe",
            "1h 47m",
        ] {
            assert!(!is_placeholder_value(v), "{v:?}");
        }
    }

    #[test]
    fn template_examples_are_recognised() {
        assert!(is_template_example("Jane Doe"));
        assert!(is_template_example("**Auth Service v1.2**"));
        assert!(is_template_example(
            "Implement input validation for Auth Service API endpoint `/login`."
        ));
        assert!(!is_template_example("Jane"));
        assert!(!is_template_example(""));
    }

    const CLEAN: &str = "---\ntitle: Login outage\nstatus: Finalised\ndate: 2025-07-21\nincident_start_time: 2025-07-18 14:05 UTC\nincident_end_time: 2025-07-18 15:52 UTC\nauthor: \"@alice\"\nreviewers: [\"@bob\"]\n---\n\n# 🚨 Post-Mortem: Login outage [INC-2025-07-18-001]\n\n## 1. Summary\n\n### 1.3 Date and Time of Incident\n\n* **Start:** 2025-07-18 14:05 UTC\n* **End:** 2025-07-18 15:52 UTC\n\n### 1.5 Impact\n\n38% of logins failed for 1 hour 47 minutes [1].\n\n## 2. Timeline (UTC)\n\n| Time (UTC) | Event | Owner |\n|---|---|---|\n| 14:05 | Alert fired [ERROR] | Monitoring System |\n| 14:09 | On-call acknowledged | @alice |\n\n## 3. What Happened?\n\nA config push at 14:01 set the token TTL to zero; see [the diff](https://example.com/pr/1).\n\n## 4. Root Causes\n\n* **Root Cause 1:** TTL defaulted to zero.\n    * *Why:* The schema had no minimum.\n\n## 5. What Went Well\n\n- [x] Rollback worked.\n\n## 6. What Could Be Improved?\n\nCanary coverage.\n\n## 7. Corrective Actions\n\n| ID | Description | Owner | Due | Status |\n|---|---|---|---|---|\n| PM-AI-001 | Add a minimum TTL to the schema | @bob | 2025-08-01 | Open |\n\n## 8. Lessons Learned\n\nRollbacks must be as fast as deploys.\n\n## 9. Communication\n\nNone beyond this review.\n\n## 10. References\n\n- [Dashboard](https://grafana.example.com)[^1]\n\n[^1]: Screenshot taken at 15:00.\n";

    #[test]
    fn a_clean_complete_post_mortem_gets_no_content_findings() {
        for id in [
            "required-section",
            "section-order",
            "duplicate-section",
            "empty-section",
            "template-placeholder",
        ] {
            let rule = RULES.iter().find(|r| r.id == id).unwrap();
            let d = run(rule, CLEAN);
            assert!(d.is_empty(), "{id}: {d:?}");
        }
    }

    #[test]
    fn template_rows_and_labelled_items_are_template_text() {
        let text = "| Time | Event | Who |\n|---|---|---|\n| HH:MM | [e.g., x.] | Monitoring System |\n\n* **Start:** YYYY-MM-DD\n";
        let doc = Document::parse(text, &Settings::defaults());
        let found = Found::compute(&doc, &Settings::defaults());
        let who = text.find("Monitoring System").unwrap();
        assert!(found.covers(&(who..who + 17)));
        let label = text.find("Start:").unwrap();
        assert!(found.covers(&(label..label + 6)));
    }
}
