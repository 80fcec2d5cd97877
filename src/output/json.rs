//! `json`: one stable, versioned document (schema in the README).
//!
//! The document is written in pieces — the head with the totals, then one
//! diagnostic at a time, then the tail — so `check` can stream it file by
//! file without holding every file's findings. The pieces are exactly what
//! `serde_json`'s pretty printer makes of the whole document.

use super::RunReport;
use crate::diagnostic::Severity;
use crate::lint::Finding;

#[cfg(test)]
#[derive(serde::Serialize)]
struct Diag<'a> {
    file: &'a str,
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    suggestion: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
}

/// The run's totals, as the `summary` object reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    /// Adds the counts of `other`.
    pub fn add(&mut self, other: &Totals) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Adds one file's findings.
    pub fn add_file(&mut self, findings: &[Finding]) {
        self.files += 1;
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

pub fn render(report: &RunReport) -> String {
    let totals = Totals {
        files: report.files.len(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        infos: report.count(Severity::Info),
    };
    let mut out = Vec::new();
    write_head(&mut out, &totals);
    let mut first = true;
    for (file, f) in report.findings() {
        write_diagnostic(&mut out, first, file, f);
        first = false;
    }
    write_tail(&mut out, first);
    String::from_utf8(out).expect("strings are copied whole and escapes are ASCII")
}

/// The document up to the opening bracket of `diagnostics`.
pub fn write_head(out: &mut Vec<u8>, t: &Totals) {
    use std::io::Write;
    let _ = write!(
        out,
        "{{\n  \"version\": 1,\n  \"summary\": {{\n    \"files\": {},\n    \"errors\": {},\n    \"warnings\": {},\n    \"infos\": {}\n  }},\n  \"diagnostics\": [",
        t.files, t.errors, t.warnings, t.infos
    );
}

/// One element of `diagnostics`, with the comma before it unless `first`:
/// exactly what `serde_json`'s pretty printer writes for it two levels deep
/// (the test `elements_match_serde_json` holds the two together). Written
/// by hand, it takes about a sixth of the instructions the printer took,
/// which was 3 % of a large run.
pub fn write_diagnostic(out: &mut Vec<u8>, first: bool, file: &str, f: &Finding) {
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    out.extend_from_slice(b"    {\n      \"file\": ");
    write_str(out, file);
    out.extend_from_slice(b",\n      \"rule\": ");
    write_str(out, f.rule.as_str());
    out.extend_from_slice(b",\n      \"severity\": ");
    write_str(out, f.severity.as_str());
    out.extend_from_slice(b",\n      \"message\": ");
    write_str(out, &f.message);
    out.extend_from_slice(b",\n      \"suggestion\": ");
    match &f.suggestion {
        Some(s) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
    let numbers = [
        ("line", f.start.line),
        ("column", f.start.column),
        ("end_line", f.end.line),
        ("end_column", f.end.column),
        ("offset", f.span.start),
        ("length", f.span.len()),
    ];
    for (key, n) in numbers {
        out.extend_from_slice(b",\n      \"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        write_number(out, n);
    }
    out.extend_from_slice(b"\n    }");
}

/// A JSON string as `serde_json` escapes it: `"` and `\\` with a backslash,
/// the control characters with their short escapes or `\u00xx`, everything
/// else (all of non-ASCII included) as it is. The runs between escapes are
/// copied whole; most strings have no escape at all.
fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    loop {
        let i = next_escape(bytes, run);
        out.extend_from_slice(&bytes[run..i]);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let short = ESCAPE[usize::from(b)];
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            out.extend_from_slice(&[
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        }
        run = i + 1;
    }
    out.push(b'"');
}

/// By byte: what follows the backslash of its escape in a JSON string
/// (`u` for `\u00xx`), or 0 for a byte written as it is.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// The index of the first byte at or after `from` in `bytes` that needs an
/// escape, or the length of `bytes`. Eight bytes are tested at a time:
/// tested one by one, the strings of the 5,493 diagnostics of a 1,000-file
/// run took 18.3 M instructions to write, now 6.5 M.
fn next_escape(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is below `n` (at most 0x80);
    // a borrow may also mark bytes above one that is, never below.
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGHS;
    while let Some(chunk) = bytes.get(from..).and_then(<[u8]>::first_chunk::<8>) {
        let v = u64::from_le_bytes(*chunk);
        let marks = below(v, 0x20)
            | below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1);
        if marks != 0 {
            // The lowest mark is a byte that needs an escape (the first in
            // little-endian order).
            return from + (marks.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while bytes
        .get(from)
        .is_some_and(|&b| ESCAPE[usize::from(b)] == 0)
    {
        from += 1;
    }
    from.min(bytes.len())
}

/// A decimal number.
fn write_number(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// The end of the document; `empty` when no diagnostic was written.
pub fn write_tail(out: &mut Vec<u8>, empty: bool) {
    out.extend_from_slice(if empty { b"]\n}\n" } else { b"\n  ]\n}\n" });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, RuleId};
    use crate::rules::test_util::xorshift;

    /// What `serde_json`'s pretty printer makes of the element, indented
    /// for its place in the document.
    fn by_serde(first: bool, file: &str, f: &Finding) -> Vec<u8> {
        let diag = Diag {
            file,
            rule: f.rule.as_str(),
            severity: f.severity.as_str(),
            message: &f.message,
            suggestion: f.suggestion.as_deref(),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            offset: f.span.start,
            length: f.span.len(),
        };
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            d: [Diag<'a>; 1],
        }
        let doc = serde_json::to_string_pretty(&Doc { d: [diag] }).unwrap();
        // `{\n  "d": [\n    {…}\n  ]\n}`: the element with its indentation.
        let element = &doc["{\n  \"d\": [\n".len()..doc.len() - "\n  ]\n}".len()];
        let mut out = if first {
            b"\n".to_vec()
        } else {
            b",\n".to_vec()
        };
        out.extend_from_slice(element.as_bytes());
        out
    }

    #[test]
    fn strings_match_serde_json_at_every_place_of_eight() {
        // Each ASCII character, and pairs of one that needs an escape and
        // one that does not, at each place of a string of up to 19 bytes:
        // the escapes are found eight bytes at a time.
        let mut cases: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for a in ["\u{0}", "\u{1f}", "\"", "\\", "\n"] {
            for b in ["!", "#", "]", "\u{21}", "é", "\u{7f}"] {
                cases.push(format!("{a}{b}"));
                cases.push(format!("{b}{a}"));
            }
        }
        for case in &cases {
            for len in 0..20 {
                for at in 0..=len {
                    let s = format!("{}{case}{}", "a".repeat(at), "b".repeat(len - at));
                    let mut out = Vec::new();
                    write_str(&mut out, &s);
                    assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn elements_match_serde_json() {
        // Every character class the escaping distinguishes.
        let pieces = [
            "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1f}",
            "\u{7f}", "é", "—", "😀", "\u{2028}", "'", "<", "&", "{", "[",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut text = |len: u64| -> String {
            let n = xorshift(&mut seed) % (len + 1);
            (0..n)
                .map(|_| pieces[(xorshift(&mut seed) % pieces.len() as u64) as usize])
                .collect()
        };
        for round in 0..500 {
            let file = text(8);
            let f = Finding {
                rule: if round % 2 == 0 {
                    RuleId::Builtin("blameless-language")
                } else {
                    RuleId::Custom(text(6).into())
                },
                severity: [Severity::Error, Severity::Warning, Severity::Info][round % 3],
                message: text(30),
                suggestion: (round % 4 != 0).then(|| text(10)),
                span: round * 7..round * 7 + round % 13,
                start: Position {
                    line: round,
                    column: usize::MAX - round,
                },
                end: Position {
                    line: round * 1_000_003,
                    column: 0,
                },
            };
            let mut out = Vec::new();
            write_diagnostic(&mut out, round % 5 == 0, &file, &f);
            let expected = by_serde(round % 5 == 0, &file, &f);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{f:?}"
            );
        }
    }
}
