//! The template's fixed strings in the body (date and time formats, `TBD`
//! and friends, the example names), found with one search of the prose
//! mask.
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
    /// The distinct first words of all alternatives, lower-cased: an
    /// alternative can only match where its first word occurs, ignoring
    /// ASCII case.
    anchors: AhoCorasick,
    /// Per anchor: the alternations (bit i for the i-th) that it or an
    /// anchor that is a prefix of it starts.
    anchor_bits: Vec<u8>,
}

impl Scan {
    /// At most eight alternations.
    pub fn new(alternations: Vec<Alternation>) -> Scan {
        assert!(alternations.len() <= 8, "at most eight alternations");
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut anchor_bits: Vec<u8> = Vec::new();
        for (k, a) in alternations.iter().enumerate() {
            for alt in &a.alternatives {
                let w = alt[0].to_ascii_lowercase();
                match words.iter().position(|x| *x == w) {
                    Some(i) => anchor_bits[i] |= 1 << k,
                    None => {
                        words.push(w);
                        anchor_bits.push(1 << k);
                    }
                }
            }
        }
        // At one place every first word that occurs is a prefix of the
        // longest one there: that one stands for all of them.
        let prefix_bits = words
            .iter()
            .map(|w| {
                words
                    .iter()
                    .zip(&anchor_bits)
                    .filter(|(p, _)| w.starts_with(p))
                    .fold(0u8, |acc, (_, b)| acc | b)
            })
            .collect();
        // Searched in a lower-cased copy of the text rather than with
        // `ascii_case_insensitive`, which rules out the fast prefilters.
        let anchors = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("a few short literals always build");
        Scan {
            alternations,
            anchors,
            anchor_bits: prefix_bits,
        }
    }

    /// Every match in `hay`, as `(alternation index, start, end)`, ordered
    /// by start (and by index at one start).
    pub fn find_all(&self, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        // Every place where a first word occurs (ascending, each once): the
        // leftmost at or after `from`, then on from the next byte.
        let mut starts: Vec<(usize, u8)> = Vec::new();
        let lower = hay.to_ascii_lowercase();
        let mut from = 0;
        while let Some(m) = self.anchors.find(Input::new(&lower).range(from..)) {
            starts.push((m.start(), self.anchor_bits[m.pattern().as_usize()]));
            from = m.start() + 1;
        }
        let mut out = Vec::new();
        let mut next = [0usize; 8];
        for (at, bits) in starts {
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

    #[test]
    fn ends_and_starts_of_the_text_count_as_boundaries() {
        let names = strings(&["Jane Doe"]);
        let scan = Scan::new(vec![Alternation::new(&names, false, End::BoundaryOrEnd)]);
        assert_eq!(scan.find_all(b"Jane  Doe"), vec![(0, 0, 9)]);
        assert_eq!(scan.find_all(b"xJane Doe"), vec![]);
        assert_eq!(scan.find_all(b"Jane Doex"), vec![]);
    }
}
