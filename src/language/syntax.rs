//! The built-in packs' patterns as parsed syntax trees, stored in
//! `rules/packs.syntax` so that a run does not parse them again.
//!
//! Parsing a hundred case-insensitive phrases (Unicode case folding
//! included) was the largest single cost of checking one file: about 6 ms,
//! against well under 1 ms to rebuild the same trees from this encoding.
//! The file is generated from `rules/*.yml` (`PMLINT_BLESS=1 cargo test
//! --lib builtin_pack_syntax`) and checked by a test; each pack in it
//! carries a fingerprint of its patterns, and a pack whose patterns changed
//! since is parsed as before, so a stale file costs time, never a wrong
//! match.
//!
//! The encoding is a prefix notation of whitespace-separated tokens, one
//! pattern per line:
//! `e` empty; `l<hex bytes>` literal; `u<n>` then `n` ranges `<hex>-<hex>`
//! of a Unicode class; `b<n>` then `n` ranges of a byte class; `k<hex>` a
//! look-around assertion; `r<min>,<max or *>,<g or l>` then the repeated
//! tree; `c<index>` or `c<index>,<hex name>` then the captured tree;
//! `s<n>` a concatenation and `a<n>` an alternation of the `n` trees that
//! follow.

#[cfg(test)]
use regex_syntax::hir::HirKind;
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, Look,
    Repetition,
};
#[cfg(test)]
use std::fmt::Write;

/// The encoded file, as shipped.
pub const BUILTIN: &str = include_str!("../../rules/packs.syntax");

/// A fingerprint of a pack's patterns (their regular expressions, in file
/// order): FNV-1a, 64 bits.
pub fn fingerprint<'a>(regexes: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for r in regexes {
        for b in r.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The header line of a pack in the file.
pub fn header(rule: &str, fingerprint: u64) -> String {
    format!("pack {rule} {fingerprint:016x}")
}

/// The trees stored for `rule` in `file`, if its fingerprint is
/// `fingerprint`, in the order of its patterns; `None` when the pack is not
/// there, is stale, or does not decode.
pub fn lookup(file: &str, rule: &str, fingerprint: u64) -> Option<Vec<Hir>> {
    let want = header(rule, fingerprint);
    let mut lines = file.lines();
    lines.find(|l| *l == want)?;
    let mut out = Vec::new();
    for line in lines {
        if line.starts_with("pack ") {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut tokens = line.split_ascii_whitespace();
        let hir = decode(&mut tokens, 0)?;
        if tokens.next().is_some() {
            return None;
        }
        out.push(hir);
    }
    Some(out)
}

/// One tree as a line of tokens; `None` for what the notation does not
/// cover.
#[cfg(test)]
pub fn encode(hir: &Hir) -> Option<String> {
    let mut out = String::new();
    encode_into(hir, &mut out)?;
    Some(out.trim_end().to_string())
}

#[cfg(test)]
fn encode_into(hir: &Hir, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => out.push_str("e "),
        HirKind::Literal(lit) => {
            out.push('l');
            for b in lit.0.iter() {
                let _ = write!(out, "{b:02x}");
            }
            out.push(' ');
        }
        HirKind::Class(Class::Unicode(c)) => {
            let _ = write!(out, "u{} ", c.ranges().len());
            for r in c.ranges() {
                let _ = write!(out, "{:x}-{:x} ", u32::from(r.start()), u32::from(r.end()));
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let _ = write!(out, "b{} ", c.ranges().len());
            for r in c.ranges() {
                let _ = write!(out, "{:x}-{:x} ", r.start(), r.end());
            }
        }
        HirKind::Look(look) => {
            let _ = write!(out, "k{:x} ", look.as_repr());
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.map_or("*".to_string(), |m| m.to_string());
            let greedy = if rep.greedy { 'g' } else { 'l' };
            let _ = write!(out, "r{},{max},{greedy} ", rep.min);
            encode_into(&rep.sub, out)?;
        }
        HirKind::Capture(cap) => {
            let _ = write!(out, "c{}", cap.index);
            if let Some(name) = &cap.name {
                out.push(',');
                for b in name.bytes() {
                    let _ = write!(out, "{b:02x}");
                }
            }
            out.push(' ');
            encode_into(&cap.sub, out)?;
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            let tag = if matches!(hir.kind(), HirKind::Concat(_)) {
                's'
            } else {
                'a'
            };
            let _ = write!(out, "{tag}{} ", subs.len());
            for sub in subs {
                encode_into(sub, out)?;
            }
        }
    }
    Some(())
}

/// Deeper than any phrase: a bound so that a damaged file cannot exhaust
/// the stack.
const MAX_DEPTH: usize = 200;

fn decode<'a>(tokens: &mut impl Iterator<Item = &'a str>, depth: usize) -> Option<Hir> {
    if depth > MAX_DEPTH {
        return None;
    }
    let token = tokens.next()?;
    let (tag, rest) = token.split_at(1);
    let count = |rest: &str| rest.parse::<usize>().ok().filter(|n| *n < 1 << 20);
    Some(match tag {
        "e" => Hir::empty(),
        "l" => Hir::literal(hex_bytes(rest)?),
        "u" => {
            let n = count(rest)?;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let (a, b) = tokens.next()?.split_once('-')?;
                let a = char::from_u32(u32::from_str_radix(a, 16).ok()?)?;
                let b = char::from_u32(u32::from_str_radix(b, 16).ok()?)?;
                ranges.push(ClassUnicodeRange::new(a, b));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        "b" => {
            let n = count(rest)?;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let (a, b) = tokens.next()?.split_once('-')?;
                let a = u8::from_str_radix(a, 16).ok()?;
                let b = u8::from_str_radix(b, 16).ok()?;
                ranges.push(ClassBytesRange::new(a, b));
            }
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        "k" => Hir::look(Look::from_repr(u32::from_str_radix(rest, 16).ok()?)?),
        "r" => {
            let mut parts = rest.split(',');
            let min = parts.next()?.parse().ok()?;
            let max = match parts.next()? {
                "*" => None,
                m => Some(m.parse().ok()?),
            };
            let greedy = match parts.next()? {
                "g" => true,
                "l" => false,
                _ => return None,
            };
            let sub = Box::new(decode(tokens, depth + 1)?);
            Hir::repetition(Repetition {
                min,
                max,
                greedy,
                sub,
            })
        }
        "c" => {
            let (index, name) = match rest.split_once(',') {
                Some((i, n)) => (i, Some(String::from_utf8(hex_bytes(n)?).ok()?.into())),
                None => (rest, None),
            };
            let sub = Box::new(decode(tokens, depth + 1)?);
            Hir::capture(Capture {
                index: index.parse().ok()?,
                name,
                sub,
            })
        }
        "s" | "a" => {
            let n = count(rest)?;
            let mut subs = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                subs.push(decode(tokens, depth + 1)?);
            }
            if tag == "s" {
                Hir::concat(subs)
            } else {
                Hir::alternation(subs)
            }
        }
        _ => return None,
    })
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_survive_the_round_trip() {
        for re in [
            r"(?i)(?-u:\b)(?:human[ \t\r\n]+errors?)(?-u:\b)",
            r"(?i)(?:a|b|c)+?x{2,5}(?P<name>y)*\d\w(?-u:\w)[^a-z]$",
            r"",
            r"(?-u:[\x00-\x10])x",
        ] {
            let hir = regex_automata::util::syntax::parse(re).unwrap();
            let code = encode(&hir).unwrap();
            let back = decode(&mut code.split_ascii_whitespace(), 0).unwrap();
            assert_eq!(back, hir, "{re}: {code}");
        }
    }

    #[test]
    fn damaged_or_stale_entries_are_not_used() {
        let file = "pack t 0000000000000001\nl6869\nzz\n";
        assert!(lookup(file, "t", 1).is_none());
        assert!(lookup("pack t 0000000000000001\nl6869\n", "t", 2).is_none());
        assert_eq!(
            lookup("pack t 0000000000000001\nl6869\npack u 0\n", "t", 1).map(|v| v.len()),
            Some(1)
        );
        assert!(decode(&mut "s3 e".split_ascii_whitespace(), 0).is_none());
        let deep = "r0,1,g ".repeat(500) + "e";
        assert!(decode(&mut deep.split_ascii_whitespace(), 0).is_none());
    }
}
