//! What the machine formats need from a finding's source text, taken while
//! the text is at hand (documents are not kept after they are checked):
//! columns in the units other tools count, and a content fingerprint.
//!
//! Fingerprints are computed from content, not from positions: the rule id,
//! the flagged text with its whitespace collapsed, and the finding's
//! occurrence among findings of that rule with that same text in the file.
//! A finding keeps its fingerprint when lines are added or removed above
//! it, or when the file's line endings change; two identical findings (the
//! same wording twice) still get different ones. A zero-width finding (a
//! missing section, say) flags no text: its message stands in for it.

use crate::lint::Finding;
use std::collections::HashMap;

/// One finding's source-derived facts. Columns are 1-based, the end is
/// exclusive, and a UTF-8 byte-order mark is not counted (as in pmlint's own
/// columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// Columns in UTF-16 code units (SARIF's default `columnKind`).
    pub start_utf16: usize,
    pub end_utf16: usize,
    /// Columns in UTF-8 bytes (reviewdog).
    pub start_byte: usize,
    pub end_byte: usize,
    /// Hash of the rule id and the flagged text.
    pub content: u128,
    /// 1-based rank among the file's findings with the same rule and text.
    pub occurrence: usize,
}

impl Anchor {
    /// An anchor from the finding alone, for results made without the
    /// source: code-point columns stand in for the others and the message
    /// for the flagged text.
    pub fn without_source(f: &Finding) -> Anchor {
        Anchor {
            start_utf16: f.start.column,
            end_utf16: f.end.column,
            start_byte: f.start.column,
            end_byte: f.end.column,
            content: content_hash(f.rule.as_str(), &f.message),
            occurrence: 1,
        }
    }

    /// `primaryLocationLineHash`-style fingerprint: 16 hex digits of the
    /// content hash, then `:` and the occurrence.
    pub fn line_hash(&self) -> String {
        format!("{:016x}:{}", (self.content >> 64) as u64, self.occurrence)
    }

    /// A 32-hex-digit fingerprint unique within a report: the content hash
    /// combined with the file's path and the occurrence.
    pub fn report_fingerprint(&self, path: &str) -> String {
        let mut h = Fnv128::new();
        h.write(path.as_bytes());
        h.write(&[0]);
        h.write(&self.content.to_le_bytes());
        h.write(&(self.occurrence as u64).to_le_bytes());
        // FNV spreads its last bytes (the occurrence) over few digits: mix,
        // so fingerprints of repeated findings do not look alike.
        let mut x = h.finish();
        for _ in 0..2 {
            x ^= x >> 67;
            x = x.wrapping_mul(Fnv128::PRIME | (0x9e37_79b9_7f4a_7c15 << 64));
        }
        format!("{:032x}", x ^ (x >> 61))
    }
}

/// Anchors for every finding of a file, in the findings' order. `bytes` is
/// the file as read (empty when it could not be read).
pub fn compute(bytes: &[u8], findings: &[Finding]) -> Vec<Anchor> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| findings[i].span.start);
    let mut cursor = Cursor::new(bytes);
    let mut columns = vec![(0, 0, 0, 0); findings.len()];
    for i in order {
        let span = &findings[i].span;
        let start = span.start.min(bytes.len());
        let end = span.end.clamp(start, bytes.len());
        cursor.advance(start);
        let mut at_end = cursor.clone();
        at_end.advance(end);
        columns[i] = (
            cursor.utf16 + 1,
            at_end.utf16 + 1,
            cursor.byte_column() + 1,
            at_end.byte_column() + 1,
        );
    }
    let mut seen: HashMap<u128, usize> = HashMap::new();
    findings
        .iter()
        .zip(columns)
        .map(|(f, (start_utf16, end_utf16, start_byte, end_byte))| {
            let start = f.span.start.min(bytes.len());
            let end = f.span.end.clamp(start, bytes.len());
            let flagged = String::from_utf8_lossy(&bytes[start..end]);
            let text = if flagged.trim().is_empty() {
                f.message.as_str()
            } else {
                flagged.as_ref()
            };
            let content = content_hash(f.rule.as_str(), text);
            let n = seen.entry(content).or_insert(0);
            *n += 1;
            Anchor {
                start_utf16,
                end_utf16,
                start_byte,
                end_byte,
                content,
                occurrence: *n,
            }
        })
        .collect()
}

/// Hash of a rule id and a text with its whitespace runs collapsed (so
/// re-wrapping or a change of line endings keeps it).
fn content_hash(rule: &str, text: &str) -> u128 {
    let mut h = Fnv128::new();
    h.write(rule.as_bytes());
    h.write(&[0]);
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.write(b" ");
        }
        h.write(word.as_bytes());
    }
    h.finish()
}

/// 128-bit FNV-1a: fixed constants, so fingerprints are the same on every
/// platform and in every pmlint version that keeps this scheme.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Fnv128 {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u128::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

/// Walks the bytes forward, tracking the current line's start and the
/// UTF-16 column. Lines end at `\n` or a lone `\r`; a `\r` of a CRLF pair
/// counts as a column, as in pmlint's own positions.
#[derive(Clone)]
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    line_start: usize,
    utf16: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Cursor<'a> {
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Cursor {
            bytes,
            pos: bom,
            line_start: bom,
            utf16: 0,
        }
    }

    fn advance(&mut self, to: usize) {
        while self.pos < to {
            let b = self.bytes[self.pos];
            self.pos += 1;
            let line_break =
                b == b'\n' || b == b'\r' && self.bytes.get(self.pos).is_none_or(|n| *n != b'\n');
            if line_break {
                self.line_start = self.pos;
                self.utf16 = 0;
            } else if b & 0xC0 != 0x80 {
                // A lead byte: four-byte sequences are surrogate pairs.
                self.utf16 += if b >= 0xF0 { 2 } else { 1 };
            }
        }
    }

    fn byte_column(&self) -> usize {
        self.pos.saturating_sub(self.line_start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, RuleId, Severity};

    fn finding(rule: &'static str, text: &str, span: std::ops::Range<usize>) -> Finding {
        let idx = crate::diagnostic::LineIndex::new(text);
        Finding {
            rule: RuleId::Builtin(rule),
            severity: Severity::Error,
            message: "m".into(),
            suggestion: None,
            start: idx.position(text, span.start),
            end: idx.position(text, span.end),
            span,
        }
    }

    fn at(text: &str, needle: &str, nth: usize) -> std::ops::Range<usize> {
        let start = text.match_indices(needle).nth(nth).expect("needle").0;
        start..start + needle.len()
    }

    #[test]
    fn columns_count_utf16_units_and_utf8_bytes_without_the_bom() {
        let text = "\u{feff}a😀é x\r\nsecond 😀 y";
        let f = [
            finding("r", text, at(text, "x", 0)),
            finding("r", text, at(text, "y", 0)),
        ];
        let a = compute(text.as_bytes(), &f);
        // "a😀é " is 1 + 2 + 1 + 1 UTF-16 units and 1 + 4 + 2 + 1 bytes.
        assert_eq!((a[0].start_utf16, a[0].end_utf16), (6, 7));
        assert_eq!((a[0].start_byte, a[0].end_byte), (9, 10));
        assert_eq!(f[0].start.column, 5);
        assert_eq!((a[1].start_utf16, a[1].start_byte), (11, 13));
        assert_eq!(f[1].start.line, 2);
    }

    #[test]
    fn utf16_columns_match_code_point_columns_on_the_basic_plane() {
        let text = "ab\ncdé\r\n\rfgh ü ij\n\nlast line";
        let mut f = Vec::new();
        for start in 0..=text.len() {
            for end in start..=text.len() {
                if text.is_char_boundary(start) && text.is_char_boundary(end) {
                    f.push(finding("r", text, start..end));
                }
            }
        }
        // Positions of pmlint's index are over text with lone CR read as LF.
        let normalized = crate::lint::lone_cr_to_lf(text);
        for (f, a) in f.iter().zip(compute(text.as_bytes(), &f)) {
            let idx = crate::diagnostic::LineIndex::new(&normalized);
            let s = idx.position(&normalized, f.span.start);
            let e = idx.position(&normalized, f.span.end);
            assert_eq!((a.start_utf16, a.end_utf16), (s.column, e.column), "{f:?}");
        }
    }

    #[test]
    fn fingerprints_survive_lines_inserted_above() {
        let before = "# T\n\nThe operator was careless here.\n";
        let after =
            "# T\n\nA new paragraph.\n\nAnd another one.\n\nThe operator was careless here.\n";
        let a = compute(
            before.as_bytes(),
            &[finding(
                "blameless-language",
                before,
                at(before, "careless", 0),
            )],
        );
        let b = compute(
            after.as_bytes(),
            &[finding(
                "blameless-language",
                after,
                at(after, "careless", 0),
            )],
        );
        assert_eq!(a[0].line_hash(), b[0].line_hash());
        assert_eq!(
            a[0].report_fingerprint("p.md"),
            b[0].report_fingerprint("p.md")
        );
    }

    #[test]
    fn identical_findings_get_distinct_fingerprints() {
        let text = "careless\ncareless\n";
        let f = [
            finding("blameless-language", text, at(text, "careless", 0)),
            finding("blameless-language", text, at(text, "careless", 1)),
        ];
        let a = compute(text.as_bytes(), &f);
        assert_eq!(a[0].content, a[1].content);
        assert_eq!((a[0].occurrence, a[1].occurrence), (1, 2));
        assert_ne!(a[0].line_hash(), a[1].line_hash());
        assert_ne!(
            a[0].report_fingerprint("p.md"),
            a[1].report_fingerprint("p.md")
        );
        // The same finding in another file is another report entry.
        assert_ne!(
            a[0].report_fingerprint("p.md"),
            a[0].report_fingerprint("q.md")
        );
    }

    #[test]
    fn fingerprints_depend_on_rule_and_text_not_on_line_endings() {
        let lf = "a careless\nstep\n";
        let crlf = "a careless\r\nstep\r\n";
        let a = compute(lf.as_bytes(), &[finding("r", lf, 2..15)]);
        let b = compute(crlf.as_bytes(), &[finding("r", crlf, 2..16)]);
        assert_eq!(a[0].content, b[0].content);
        let other_rule = compute(lf.as_bytes(), &[finding("s", lf, 2..15)]);
        assert_ne!(a[0].content, other_rule[0].content);
    }

    #[test]
    fn zero_width_findings_are_told_apart_by_their_message() {
        let text = "# T\n";
        let mut one = finding("required-section", text, 0..0);
        one.message = "Missing section `Impact`".into();
        let mut two = one.clone();
        two.message = "Missing section `Timeline`".into();
        let a = compute(text.as_bytes(), &[one, two]);
        assert_ne!(a[0].content, a[1].content);
        assert_eq!((a[0].occurrence, a[1].occurrence), (1, 1));
    }

    #[test]
    fn spans_past_the_end_and_unreadable_files_do_not_panic() {
        let mut f = finding("file-encoding", "", 0..0);
        f.span = 5..9;
        f.start = Position { line: 1, column: 1 };
        let a = compute(b"", &[f.clone()]);
        assert_eq!((a[0].start_utf16, a[0].start_byte), (1, 1));
        let a = compute(b"ab\xff\xfe", &[f]);
        assert_eq!(a[0].start_byte, 5);
    }

    #[test]
    fn the_hash_is_pinned() {
        // Changing the scheme changes every fingerprint users have stored:
        // code scanning would see all alerts as fixed and new.
        let mut h = Fnv128::new();
        assert_eq!(h.finish(), Fnv128::OFFSET);
        h.write(b"pmlint");
        assert_eq!(h.finish(), 0x8400_7d3f_203c_64bf_6f4a_dd72_c8d1_f427);
    }
}
