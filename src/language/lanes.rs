//! Which stretches of a prose mask hold a match of the shared word-pack
//! automaton, found by walking several stretches at once.
//!
//! The shared automaton's unanchored scan was about an eighth of pmlint's
//! time on the benchmark corpus, for about one match in two documents. A
//! lazy DFA takes one transition per byte, and each transition's load
//! depends on the one before: the scan waits on the cache for every byte
//! rather than being short of work. No pattern matches the mask's boundary
//! byte ([`BOUNDARY`]: code, tables' pipes, block ends), so the mask falls
//! into independent stretches at those bytes; [`Lanes::hits`] walks
//! [`LANES`] stretches side by side, one transition of each per step, so
//! their loads overlap. A stretch in which the automaton reaches a match is
//! then scanned the usual way to find where its matches start; the others,
//! nearly all, hold none.
//!
//! A stretch is the pattern's whole world: the automaton starts it after
//! the byte before it (a word boundary sees that byte) and ends it on the
//! byte after it (or the end of the text), as a search over that range
//! would. [`Lanes::new`] declines patterns that could match the boundary
//! byte or the empty string, for which stretches would not be independent.

use crate::diagnostic::Span;
use crate::document::BOUNDARY;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::sync::Mutex;

/// Stretches walked side by side. Finding the starts in the masks of the
/// 1,000-file benchmark corpus, one thread, best of 15: 15.0 ms with the
/// unanchored scan, 7.3 ms with four lanes (the rescans of the stretches
/// that hold a match included); three, six or eight lanes, or stretches of
/// 128 or 512 bytes, were no quicker.
const LANES: usize = 4;

/// A stretch is at least this long (it ends at the next boundary byte
/// after that), so that starting and ending one costs little per byte.
const MIN_STRETCH: usize = 256;

/// The walk gave up: the automaton's cache was cleared, which renumbers
/// the states the other lanes hold, or a start state could not be had
/// untagged (neither happens with the built-in packs but the first can
/// with a small cache). The caller scans the usual way.
#[derive(Debug)]
pub(super) struct GaveUp;

#[derive(Debug)]
pub(super) struct Lanes {
    dfa: DFA,
    caches: Mutex<Vec<Cache>>,
}

/// One lane's stretch being walked (the default: a free lane).
#[derive(Clone, Copy, Default)]
struct Walk {
    /// The stretch's index; `None`: the lane is free.
    stretch: Option<usize>,
    at: usize,
    end: usize,
    state: LazyStateID,
}

impl Lanes {
    /// An unanchored automaton for `hirs`, if no pattern can match the
    /// boundary byte or the empty string.
    pub(super) fn new(hirs: &[&Hir]) -> Option<Lanes> {
        Lanes::build(hirs, None)
    }

    /// [`Lanes::new`] with a cache of `capacity` bytes, raised to the
    /// least the automaton accepts (the lazy DFA's default if `None`).
    fn build(hirs: &[&Hir], capacity: Option<usize>) -> Option<Lanes> {
        let independent = hirs.iter().all(|h| {
            h.properties().minimum_len().is_some_and(|n| n > 0) && !may_match_byte(h, BOUNDARY)
        });
        if !independent {
            return None;
        }
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many_from_hir(hirs)
            .ok()?;
        // No quit bytes (a Unicode word boundary fails the build instead)
        // and never giving up: a walk fails only if the cache is cleared.
        let mut config = DFA::config()
            .match_kind(MatchKind::LeftmostFirst)
            .minimum_cache_clear_count(None);
        if let Some(bytes) = capacity {
            config = config.cache_capacity(bytes).skip_cache_capacity_check(true);
        }
        let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
        Some(Lanes {
            dfa,
            caches: Mutex::new(Vec::new()),
        })
    }

    /// The stretches of `range` in `hay` that hold a match lying inside
    /// them, in order; every match inside `range` lies inside one of them.
    pub(super) fn hits(&self, hay: &[u8], range: Span) -> Result<Vec<Span>, GaveUp> {
        let end = range.end.min(hay.len());
        let mut stretches = Vec::new();
        let mut at = range.start;
        while at < end {
            let from = (at + MIN_STRETCH).min(end);
            let to = memchr::memchr(BOUNDARY, &hay[from..end]).map_or(end, |i| from + i);
            stretches.push(at..to);
            at = to + 1;
        }
        let hit = super::Matcher::with_cache(&self.dfa, &self.caches, |cache| {
            self.walk(cache, hay, &stretches)
        });
        let mut hit = hit?;
        hit.sort_unstable();
        Ok(hit.into_iter().map(|i| stretches[i].clone()).collect())
    }

    /// The indexes of the stretches that hold a match.
    fn walk(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        stretches: &[Span],
    ) -> Result<Vec<usize>, GaveUp> {
        let clears = cache.clear_count();
        let mut hit = Vec::new();
        let mut lanes = [Walk::default(); LANES];
        let mut next = 0;
        loop {
            for lane in &mut lanes {
                if lane.stretch.is_none() && next < stretches.len() {
                    let s = &stretches[next];
                    *lane = Walk {
                        stretch: Some(next),
                        at: s.start,
                        end: s.end,
                        state: self.start(cache, hay, s.start)?,
                    };
                    next += 1;
                    unchanged(cache, clears)?;
                }
            }
            let busy = lanes.iter().filter(|l| l.stretch.is_some()).count();
            if busy == 0 {
                break;
            }
            if busy < LANES {
                // Too few stretches left to share the steps: one by one.
                for lane in lanes.iter_mut().filter(|l| l.stretch.is_some()) {
                    if self.finish_alone(cache, hay, lane)? {
                        hit.extend(lane.stretch);
                    }
                    unchanged(cache, clears)?;
                    *lane = Walk::default();
                }
                continue;
            }
            // Steps every lane can take before one reaches its end.
            let steps = lanes.iter().map(|l| l.end - l.at).min().unwrap_or(0);
            let mut taken = 0;
            while taken < steps {
                taken += self.run(cache, hay, &mut lanes, taken, steps);
                if taken == steps {
                    break;
                }
                // In some lane, step `taken` leads to a state not yet
                // built, a match or the dead state.
                let mut ended = false;
                for lane in &mut lanes {
                    let b = hay[lane.at + taken];
                    let s = (self.dfa).next_state(cache, lane.state, b);
                    let s = s.map_err(|_| GaveUp)?;
                    unchanged(cache, clears)?;
                    if s.is_match() {
                        hit.extend(lane.stretch);
                        lane.stretch = None;
                        ended = true;
                    } else if s.is_dead() || s.is_quit() {
                        lane.stretch = None;
                        ended = true;
                    }
                    lane.state = s;
                }
                taken += 1;
                if ended {
                    break;
                }
            }
            for lane in &mut lanes {
                if lane.stretch.is_none() {
                    *lane = Walk::default();
                    continue;
                }
                lane.at += taken;
                if lane.at == lane.end {
                    if self.ends_in_match(cache, hay, lane)? {
                        hit.extend(lane.stretch);
                    }
                    unchanged(cache, clears)?;
                    *lane = Walk::default();
                }
            }
        }
        Ok(hit)
    }

    /// Steps every lane from its `at + from` on, one byte of each per
    /// step, while no lane reaches a tagged state (one not yet built, a
    /// match or the dead state), up to `at + to`: how many steps were
    /// taken. The lanes' states are those after them.
    fn run(
        &self,
        cache: &Cache,
        hay: &[u8],
        lanes: &mut [Walk; LANES],
        from: usize,
        to: usize,
    ) -> usize {
        let n = to - from;
        let bytes: [&[u8]; LANES] = std::array::from_fn(|l| &hay[lanes[l].at + from..][..n]);
        let mut states: [LazyStateID; LANES] = std::array::from_fn(|l| lanes[l].state);
        let mut k = 0;
        while k < n {
            let next: [LazyStateID; LANES] = std::array::from_fn(|l| {
                (self.dfa).next_state_untagged(cache, states[l], bytes[l][k])
            });
            if next.iter().any(|s| s.is_tagged()) {
                break;
            }
            states = next;
            k += 1;
        }
        for (lane, s) in lanes.iter_mut().zip(states) {
            lane.state = s;
        }
        k
    }

    /// The unanchored start state for a search from `at`.
    fn start(&self, cache: &mut Cache, hay: &[u8], at: usize) -> Result<LazyStateID, GaveUp> {
        let config = start::Config::new()
            .anchored(Anchored::No)
            .look_behind(at.checked_sub(1).map(|i| hay[i]));
        let state = self.dfa.start_state(cache, &config).map_err(|_| GaveUp)?;
        // An unanchored start state is never a match, dead or quit state;
        // the steps above take it untagged.
        if state.is_tagged() {
            return Err(GaveUp);
        }
        Ok(state)
    }

    /// Whether the walk at the end of its stretch reaches a match on the
    /// byte after the stretch (or the end of the text): a match shows one
    /// byte late.
    fn ends_in_match(&self, cache: &mut Cache, hay: &[u8], lane: &Walk) -> Result<bool, GaveUp> {
        let last = match hay.get(lane.end) {
            Some(&b) => self.dfa.next_state(cache, lane.state, b),
            None => self.dfa.next_eoi_state(cache, lane.state),
        };
        Ok(last.map_err(|_| GaveUp)?.is_match())
    }

    /// Walks the rest of `lane`'s stretch alone: whether it holds a match.
    fn finish_alone(&self, cache: &mut Cache, hay: &[u8], lane: &mut Walk) -> Result<bool, GaveUp> {
        for &b in &hay[lane.at..lane.end] {
            lane.state = (self.dfa)
                .next_state(cache, lane.state, b)
                .map_err(|_| GaveUp)?;
            if lane.state.is_match() {
                return Ok(true);
            }
            if lane.state.is_dead() || lane.state.is_quit() {
                return Ok(false);
            }
        }
        lane.at = lane.end;
        self.ends_in_match(cache, hay, lane)
    }
}

/// Fails once the cache has been cleared since it had `clears` clearings:
/// the states the lanes hold are then numbers of states that are gone.
/// Checked after every call that may add states.
fn unchanged(cache: &Cache, clears: usize) -> Result<(), GaveUp> {
    if cache.clear_count() == clears {
        Ok(())
    } else {
        Err(GaveUp)
    }
}

/// Whether `hir` could match a string that contains `byte` (an ASCII
/// byte): some literal or class of it holds the byte.
fn may_match_byte(hir: &Hir, byte: u8) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&byte),
        HirKind::Class(Class::Bytes(c)) => {
            (c.ranges().iter()).any(|r| r.start() <= byte && byte <= r.end())
        }
        HirKind::Class(Class::Unicode(c)) => {
            let ch = char::from(byte);
            (c.ranges().iter()).any(|r| r.start() <= ch && ch <= r.end())
        }
        HirKind::Repetition(rep) => may_match_byte(&rep.sub, byte),
        HirKind::Capture(cap) => may_match_byte(&cap.sub, byte),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|s| may_match_byte(s, byte))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::{
        Matcher, BLAMELESS, BUILTIN, COUNTERFACTUAL, INDIVIDUAL_BLAME, MINIMIZING,
    };

    /// Prose with the packs' words, boundary bytes, upper case and
    /// non-ASCII letters, in stretches long and short.
    fn text(seed: u64) -> Vec<u8> {
        let mut x = seed;
        let mut next = move || crate::rules::test_util::xorshift(&mut x);
        let words = [
            "should",
            "have",
            "known",
            "better",
            "human",
            "error",
            "Jane",
            "forgot",
            "to",
            "the",
            "obviously",
            "just",
            "simply",
            "if",
            "only",
            "we",
            "had",
            "checked",
            "blame",
            "lies",
            "with",
            "careless",
            "fat-fingered",
            "not",
            "été",
            "naïve",
            "\u{1}",
            "\u{1}\u{1}",
            "\n",
            "...",
            "pushed",
            "deployed",
            "It",
            "was",
            "clearly",
            "a",
            "mistake",
            "SHOULD",
        ];
        let mut out = Vec::new();
        for _ in 0..(200 + next() % 800) {
            let r = next();
            out.extend_from_slice(words[(r % words.len() as u64) as usize].as_bytes());
            if r % 11 == 0 {
                out.extend(std::iter::repeat_n(b'x', (r % 300) as usize));
            }
            // Also a boundary right after a word: a match may end where
            // its stretch does.
            out.push(match r % 13 {
                0 => BOUNDARY,
                1..=3 => b'\n',
                _ => b' ',
            });
        }
        out
    }

    #[test]
    fn the_shared_automaton_walks_lanes() {
        assert!(BUILTIN.lanes.is_some());
    }

    /// The lanes' stretches, scanned, give exactly the automaton's own
    /// scan's starts: over whole texts and over ranges that begin and end
    /// anywhere, and when the walk gives up (a cache so small that it is
    /// cleared) too.
    #[test]
    fn lanes_find_the_starts_the_scan_finds() {
        let packs = [
            &*BLAMELESS,
            &*COUNTERFACTUAL,
            &*MINIMIZING,
            &*INDIVIDUAL_BLAME,
        ];
        let hirs = Matcher::patterns(&packs).0;
        let tiny = Lanes::build(&hirs, Some(1)).expect("the built-in patterns allow lanes");
        let lanes = BUILTIN
            .lanes
            .as_ref()
            .expect("the shared automaton walks lanes");
        let mut found = 0;
        let mut gave_up = 0;
        let mut tiny_found = 0;
        for seed in 1..60 {
            let lower = crate::language::lower_ascii(&text(seed));
            let n = lower.len();
            // Ranges that end right after a match, too.
            let cut = (BUILTIN.starts_scanned(&lower, 0..n).get(2)).map_or(n, |s| s + 9);
            for range in [
                0..cut,
                0..n,
                1..n,
                n / 3..2 * n / 3,
                7..n - 3,
                n / 2..n / 2,
                0..n + 5,
            ] {
                let expected = BUILTIN.starts_scanned(&lower, range.clone());
                // The lanes answer (the default cache is never cleared on
                // these texts): `starts_in` is not the scan it falls back to.
                assert!(lanes.hits(&lower, range.clone()).is_ok(), "seed {seed}");
                assert_eq!(
                    BUILTIN.starts_in(&lower, range.clone()),
                    expected,
                    "seed {seed}, {range:?}"
                );
                found += expected.len();
                match tiny.hits(&lower, range.clone()) {
                    Ok(stretches) => {
                        let starts: Vec<usize> = (stretches.into_iter())
                            .flat_map(|s| BUILTIN.starts_scanned(&lower, s))
                            .collect();
                        assert_eq!(starts, expected, "tiny cache, seed {seed}, {range:?}");
                        tiny_found += expected.len();
                    }
                    Err(GaveUp) => gave_up += 1,
                }
            }
        }
        assert!(found > 500, "the texts hold many matches ({found})");
        assert!(gave_up > 0, "a tiny cache makes the walk give up");
        assert!(tiny_found > 0, "and sometimes still finishes, with matches");
    }

    #[test]
    fn patterns_that_could_cross_a_boundary_get_no_lanes() {
        let parse = |re: &str| crate::language::parse_pattern(re).unwrap();
        let crossing = parse(r"(?-u:\b)(?:foo[\x00-\x02]bar)");
        let empty = parse(r"(?:foo)?");
        let fine = parse(r"(?-u:\b)(?:foo bar)(?-u:\b)");
        assert!(Lanes::new(&[&fine]).is_some());
        assert!(Lanes::new(&[&fine, &crossing]).is_none());
        assert!(Lanes::new(&[&empty]).is_none());
    }
}
