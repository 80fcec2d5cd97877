//! The template's fixed strings in the body (date and time formats, `TBD`
//! and friends, the example names), found where their first words occur:
//! one search of the prose mask, one of its lower-cased copy.
//!
//! Each [`Alternation`] finds what the byte regex
//! `(?-u)\b(?:first|second|…)\b` would find with `find_iter`: leftmost
//! matches, the first alternative in list order that matches at a place
//! wins, matches do not overlap; blanks inside an alternative stand for
//! any run of ASCII white space (`\s+`). [`Scan`] runs several of them over
//! the same bytes at once, each with its own non-overlapping cursor, so the
//! result per alternation is the same as scanning with each alone.

use aho_corasick::{AhoCorasick, Input, MatchKind};

/// Words of one alternative (split on white space, matched across `\s+`).
type Alternative = Vec<Vec<u8>>;

/// How an alternation's match must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A word boundary (`\b`).
    Boundary,
    /// A word boundary or the end of the text (`(?:\b|$)`).
    BoundaryOrEnd,
}

/// One list of literal alternatives, matched at word boundaries.
#[derive(Debug, Clone)]
pub struct Alternation {
    alternatives: Vec<Alternative>,
    /// ASCII case-insensitive (`(?i-u)`).
    fold: bool,
    end: End,
    /// Whether a match must start at a word boundary (not for a suffix,
    /// which follows its joiner directly).
    start_boundary: bool,
    /// Optional suffix (`(?:[ T](?:…))?`): after one of `joiners`, one of
    /// the suffix alternatives, tried before the match without it.
    suffix: Option<(Vec<u8>, Box<Alternation>)>,
}

impl Alternation {
    /// The alternatives of `list`, each split on white space. Empty
    /// entries are dropped (they would match everywhere).
    pub fn new(list: &[String], fold: bool, end: End) -> Alternation {
        Alternation {
            alternatives: list
                .iter()
                .map(|s| {
                    s.split_whitespace()
                        .map(|w| w.as_bytes().to_vec())
                        .collect::<Alternative>()
                })
                .filter(|a| !a.is_empty())
                .collect(),
            fold,
            end,
            start_boundary: true,
            suffix: None,
        }
    }

    /// With an optional suffix: one byte of `joiners`, then `suffix`.
    pub fn with_suffix(mut self, joiners: &[u8], mut suffix: Alternation) -> Alternation {
        suffix.start_boundary = false;
        self.suffix = Some((joiners.to_vec(), Box::new(suffix)));
        self
    }

    /// The end of this alternation's match starting at `at`.
    fn match_at(&self, hay: &[u8], at: usize) -> Option<usize> {
        if self.start_boundary && !boundary(hay, at) {
            return None;
        }
        let first = hay.get(at).copied()?;
        for alt in &self.alternatives {
            let same_first = if self.fold {
                alt[0][0].eq_ignore_ascii_case(&first)
            } else {
                alt[0][0] == first
            };
            if !same_first {
                continue;
            }
            let Some(end) = self.literal_at(alt, hay, at) else {
                continue;
            };
            if let Some((joiners, suffix)) = &self.suffix {
                if hay.get(end).is_some_and(|b| joiners.contains(b)) {
                    if let Some(e) = suffix.match_at(hay, end + 1) {
                        return Some(e);
                    }
                }
            }
            if self.ends_ok(hay, end) {
                return Some(end);
            }
        }
        None
    }

    /// The end of `alt` matched at `at`, words separated by `\s+`.
    fn literal_at(&self, alt: &Alternative, hay: &[u8], at: usize) -> Option<usize> {
        let mut i = at;
        for (n, word) in alt.iter().enumerate() {
            if n > 0 {
                let blanks = hay[i.min(hay.len())..]
                    .iter()
                    .take_while(|b| is_space(**b))
                    .count();
                if blanks == 0 {
                    return None;
                }
                i += blanks;
            }
            let got = hay.get(i..i + word.len())?;
            let same = if self.fold {
                got.eq_ignore_ascii_case(word)
            } else {
                got == word.as_slice()
            };
            if !same {
                return None;
            }
            i += word.len();
        }
        Some(i)
    }

    fn ends_ok(&self, hay: &[u8], end: usize) -> bool {
        boundary(hay, end) || (self.end == End::BoundaryOrEnd && end == hay.len())
    }
}

/// `(?-u:\w)`.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `(?-u:\s)`.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `(?-u:\b)` at `i` (the text's ends count as non-word).
fn boundary(hay: &[u8], i: usize) -> bool {
    let before = i > 0 && hay.get(i - 1).is_some_and(|b| is_word(*b));
    let after = hay.get(i).is_some_and(|b| is_word(*b));
    before != after
}

/// Several alternations run over the same text in one pass.
#[derive(Debug, Clone)]
pub struct Scan {
    alternations: Vec<Alternation>,
    /// The first words of the alternatives that match case as written,
    /// searched for in the text itself.
    exact: Option<Anchors>,
    /// The first words of the case-insensitive alternatives, lower-cased,
    /// searched for in a lower-cased copy of the text (rather than with
    /// `ascii_case_insensitive`, which rules out the fast prefilters).
    ///
    /// One search of the lower-cased text for all first words took three
    /// times as long as the two (3.9 ms against 1.2 ms over the 7.6 MB of
    /// prose of a 1,000-file corpus): in lower-case prose most bytes share
    /// the high nibbles of the lower-cased words, so the nibble
    /// fingerprints of the search (Teddy) flag many places that then fail
    /// to verify. The words as written (`YYYY`, `HH:MM`, `Jane`) stand out
    /// by their capitals, and the case-insensitive words are few.
    folded: Option<Anchors>,
}

/// The first words of some alternatives, found at every place they occur.
#[derive(Debug, Clone)]
struct Anchors {
    words: AhoCorasick,
    /// Per word: the alternations (bit i for the i-th) that it or a word
    /// that is a prefix of it starts.
    bits: Vec<u8>,
}

impl Anchors {
    /// `None` when `words` is empty.
    fn new(words: Vec<Vec<u8>>, bits: Vec<u8>) -> Option<Anchors> {
        if words.is_empty() {
            return None;
        }
        // At one place every first word that occurs is a prefix of the
        // longest one there: that one stands for all of them.
        let prefix_bits = words
            .iter()
            .map(|w| {
                words
                    .iter()
                    .zip(&bits)
                    .filter(|(p, _)| w.starts_with(p))
                    .fold(0u8, |acc, (_, b)| acc | b)
            })
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("a few short literals always build");
        Some(Anchors {
            words: automaton,
            bits: prefix_bits,
        })
    }

    /// Every place in `hay` where a word occurs (ascending, each once),
    /// with its alternations: the leftmost match, then the leftmost from
    /// the byte after its start, and so on.
    fn starts(&self, hay: &[u8]) -> Vec<(usize, u8)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = self.words.find(Input::new(hay).range(from..)) {
            out.push((m.start(), self.bits[m.pattern().as_usize()]));
            from = m.start() + 1;
        }
        out
    }
}

impl Scan {
    /// At most eight alternations.
    pub fn new(alternations: Vec<Alternation>) -> Scan {
        assert!(alternations.len() <= 8, "at most eight alternations");
        // The distinct first words, with the alternations they start: as
        // written for `exact`, lower-cased for `folded`.
        let mut words: [(Vec<Vec<u8>>, Vec<u8>); 2] = Default::default();
        for (k, a) in alternations.iter().enumerate() {
            let (words, bits) = &mut words[usize::from(a.fold)];
            for alt in &a.alternatives {
                let w = if a.fold {
                    alt[0].to_ascii_lowercase()
                } else {
                    alt[0].clone()
                };
                match words.iter().position(|x| *x == w) {
                    Some(i) => bits[i] |= 1 << k,
                    None => {
                        words.push(w);
                        bits.push(1 << k);
                    }
                }
            }
        }
        let [(exact, exact_bits), (folded, folded_bits)] = words;
        Scan {
            alternations,
            exact: Anchors::new(exact, exact_bits),
            folded: Anchors::new(folded, folded_bits),
        }
    }

    /// Every match in `hay`, as `(alternation index, start, end)`, ordered
    /// by start (and by index at one start). The placeholders call
    /// [`Scan::find_all_lowered`] with the document's lower-cased copy.
    #[cfg(test)]
    pub fn find_all(&self, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let lower = match self.folded {
            Some(_) => hay.to_ascii_lowercase(),
            None => Vec::new(),
        };
        self.find_all_lowered(hay, &lower)
    }

    /// [`Scan::find_all`], given `lower`, `hay` with its ASCII letters
    /// lower-cased (a document's rules keep one such copy of the prose
    /// mask for all that need it). A `lower` of another length is not that
    /// copy and is made anew; one of the same length is trusted.
    pub fn find_all_lowered(&self, hay: &[u8], lower: &[u8]) -> Vec<(usize, usize, usize)> {
        let exact = match &self.exact {
            Some(a) => a.starts(hay),
            None => Vec::new(),
        };
        let folded = match &self.folded {
            Some(a) if lower.len() == hay.len() => a.starts(lower),
            Some(a) => a.starts(&hay.to_ascii_lowercase()),
            None => Vec::new(),
        };
        let mut out = Vec::new();
        let mut next = [0usize; 8];
        // The two lists merged by place, a place in both once.
        let (mut e, mut f) = (exact.iter().peekable(), folded.iter().peekable());
        loop {
            let (at, bits) = match (e.peek(), f.peek()) {
                (Some(&&(a, x)), Some(&&(b, y))) if a == b => {
                    e.next();
                    f.next();
                    (a, x | y)
                }
                (Some(&&(a, x)), Some(&&(b, _))) if a < b => {
                    e.next();
                    (a, x)
                }
                (_, Some(&&(b, y))) => {
                    f.next();
                    (b, y)
                }
                (Some(&&(a, x)), None) => {
                    e.next();
                    (a, x)
                }
                (None, None) => break,
            };
            for (k, a) in self.alternations.iter().enumerate() {
                if bits & (1 << k) == 0 || at < next[k] {
                    continue;
                }
                if let Some(end) = a.match_at(hay, at) {
                    out.push((k, at, end));
                    next[k] = end;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::Regex;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn alt(v: &[String]) -> String {
        v.iter()
            .map(|s| {
                s.split_whitespace()
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    /// Random text over an alphabet that makes near-misses likely.
    fn soup(seed: u64, pieces: &[&str]) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut out = Vec::new();
        for _ in 0..400 {
            crate::rules::test_util::xorshift(&mut x);
            out.extend_from_slice(pieces[(x % pieces.len() as u64) as usize].as_bytes());
        }
        out
    }

    #[test]
    fn one_pass_finds_what_each_regex_finds() {
        let dates = strings(&["YYYY-MM-DD", "YYYY/MM/DD", "DD/MM/YYYY", "MM/DD/YYYY"]);
        let times = strings(&["HH:MM:SS", "HH:MM"]);
        let todo = strings(&["TBD", "TBA", "TODO", "XXX"]);
        let names = strings(&["Jane Doe", "Auth Service v1.2", "Jane"]);
        let scan = Scan::new(vec![
            Alternation::new(&dates, false, End::Boundary)
                .with_suffix(b" T", Alternation::new(&times, false, End::Boundary)),
            Alternation::new(&times, false, End::Boundary),
            Alternation::new(&todo, true, End::Boundary),
            Alternation::new(&names, false, End::BoundaryOrEnd),
        ]);
        let regexes = [
            Regex::new(&format!(
                r"(?-u)\b(?:{})(?:[ T](?:{}))?\b",
                alt(&dates),
                alt(&times)
            ))
            .unwrap(),
            Regex::new(&format!(r"(?-u)\b(?:{})\b", alt(&times))).unwrap(),
            Regex::new(&format!(r"(?i-u)\b(?:{})\b", alt(&todo))).unwrap(),
            Regex::new(&format!(r"(?-u)\b(?:{})(?:\b|$)", alt(&names))).unwrap(),
        ];
        let pieces = [
            "YYYY-MM-DD",
            "YYYY",
            "-MM",
            "-DD",
            " ",
            "T",
            "HH:MM",
            ":SS",
            "HH",
            ":",
            "x",
            "_",
            "tbd",
            "TBD",
            "ToDo",
            "todox",
            "XXXX",
            "Jane",
            " Doe",
            "\t\n",
            "Doe",
            "Auth Service",
            " v1.2",
            "v1.2.3",
            "é",
            "\u{b}",
            "DD/MM/YYYY",
            "MM/DD",
            "/YYYY",
            "9",
            ".",
        ];
        let mut seen = [0usize; 4];
        for seed in 1..200u64 {
            let hay = soup(seed, &pieces);
            let got = scan.find_all(&hay);
            for m in &got {
                seen[m.0] += 1;
            }
            for (k, re) in regexes.iter().enumerate() {
                let want: Vec<(usize, usize)> =
                    re.find_iter(&hay).map(|m| (m.start(), m.end())).collect();
                let have: Vec<(usize, usize)> = got
                    .iter()
                    .filter(|m| m.0 == k)
                    .map(|m| (m.1, m.2))
                    .collect();
                assert_eq!(have, want, "alternation {k}, seed {seed}");
            }
        }
        // The soups hold plenty of matches of every kind.
        assert!(seen.iter().all(|n| *n > 100), "{seen:?}");
    }

    /// Each alternation tried at every offset: what [`Scan::find_all`]
    /// finds, with no search for first words to pick the offsets.
    fn every_offset(scan: &Scan, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut next = [0usize; 8];
        for at in 0..=hay.len() {
            for (k, a) in scan.alternations.iter().enumerate() {
                if at >= next[k] {
                    if let Some(end) = a.match_at(hay, at) {
                        out.push((k, at, end));
                        next[k] = end;
                    }
                }
            }
        }
        out
    }

    #[test]
    fn first_word_search_misses_no_match() {
        // Words that share prefixes and cases, start or end with a
        // non-word byte, or are one byte long.
        let pool = [
            "a", "A", "ab", "Ab", "abc", "ABC", "abd", "b", "B", "bc", "-", "-a", "a-", ":", "a:b",
            "é", "Jane", "jane", "JANE", "ja", "x y", "X  Y", "ab c", "abc d",
        ];
        let pieces = [
            "a", "A", "b", "B", "c", "C", "d", "-", ":", " ", "\n", "_", "é", "j", "J", "ane",
            "ANE", "x", "X", "y", "Y", "\t",
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || crate::rules::test_util::xorshift(&mut x);
        let mut found = 0;
        for round in 0..600 {
            let mut alternations = Vec::new();
            for _ in 0..1 + next() % 5 {
                let list: Vec<String> = (0..1 + next() % 4)
                    .map(|_| pool[(next() % pool.len() as u64) as usize].to_string())
                    .collect();
                let end = if next() % 2 == 0 {
                    End::Boundary
                } else {
                    End::BoundaryOrEnd
                };
                let mut a = Alternation::new(&list, next() % 2 == 0, end);
                if next() % 4 == 0 {
                    let suffix = [pool[(next() % pool.len() as u64) as usize].to_string()];
                    a = a.with_suffix(b" T", Alternation::new(&suffix, next() % 2 == 0, end));
                }
                alternations.push(a);
            }
            let scan = Scan::new(alternations);
            let hay: Vec<u8> = (0..next() % 200)
                .flat_map(|_| pieces[(next() % pieces.len() as u64) as usize].bytes())
                .collect();
            let want = every_offset(&scan, &hay);
            assert_eq!(scan.find_all(&hay), want, "round {round}");
            let lower = hay.to_ascii_lowercase();
            assert_eq!(scan.find_all_lowered(&hay, &lower), want, "round {round}");
            // A copy that is not `hay` lower-cased is not trusted.
            assert_eq!(scan.find_all_lowered(&hay, b"x"), want, "round {round}");
            found += want.len();
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn ends_and_starts_of_the_text_count_as_boundaries() {
        let names = strings(&["Jane Doe"]);
        let scan = Scan::new(vec![Alternation::new(&names, false, End::BoundaryOrEnd)]);
        assert_eq!(scan.find_all(b"Jane  Doe"), vec![(0, 0, 9)]);
        assert_eq!(scan.find_all(b"xJane Doe"), vec![]);
        assert_eq!(scan.find_all(b"Jane Doex"), vec![]);
    }
}
